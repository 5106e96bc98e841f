//! Account ids pasted as the AWS console shows them (`1234-5678-9012`, `1234 5678 9012`) are
//! taken wherever an account id goes, and stored as their 12 digits.

use super::*;

#[test]
fn account_ids_grouped_as_the_console_shows_them_are_taken_everywhere() {
    let env = Env::new();
    assert_eq!(
        env.ok(&["accounts", "add", "1111-1111-1111", "--name", "Acme Analytics Inc.", "--isv"]),
        "111111111111\n"
    );
    assert_eq!(env.ok(&["accounts", "add", "2222 2222 2222", "--name", "Northwind", "--partner"]), "222222222222\n");
    env.ok(&["accounts", "add", BUYER, "--name", "Contoso Retail Ltd", "--buyer"]);
    let product = add_product(&env);
    let opp = env.create(
        &[
            "--as",
            "1111-1111-1111",
            "opportunities",
            "create",
            "--partner",
            "2222-2222-2222",
            "--product",
            &product,
            "--name",
            "Acme resale",
            "--discount",
            "20",
            "--buyer",
            "3333 3333 3333",
            "--release",
        ],
        "resaleauthz-",
        13,
    );
    let offer = env.create(
        &[
            "--as",
            "2222 2222 2222",
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            "3333-3333-3333",
            "--markup",
            "10",
            "--expires",
            "2026-12-31",
            "--name",
            "Contoso",
            "--quantity",
            "users=1",
            "--release",
        ],
        "offer-",
        13,
    );
    let shown = env.json(&["--as", "3333-3333-3333", "offers", "show", &offer]);
    assert_eq!(shown["buyer_account_id"], BUYER);
    assert_eq!(
        env.json(&["--as", "1111 1111 1111", "opportunities", "show", &opp])["buyer_account_ids"],
        json!([BUYER])
    );
    // Another grouping is a typo, not an id: refused, nothing written.
    env.refused(
        &["accounts", "add", "123-4567-89012", "--name", "Typo", "--buyer"],
        &["`123-4567-89012`", "12 digits"],
    );
}
