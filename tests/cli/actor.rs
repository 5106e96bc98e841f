//! The remembered acting account.

use super::*;

#[test]
fn the_file_remembers_the_last_acting_account() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env); // --as ISV
    // No --as: still the ISV.
    let opp = env.create(
        &[
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            &product,
            "--name",
            "Acme resale 2027",
            "--discount",
            "20",
            "--release",
        ],
        "resaleauthz-",
        13,
    );
    assert_eq!(env.json(&["opportunities", "show", &opp])["seen_as"], "isv");
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "list"])[0]["seen_as"], "partner");
    assert_eq!(env.json(&["opportunities", "show", &opp])["seen_as"], "partner");
    // A refused command remembers nothing: the partner still acts.
    env.refused(&["--as", BUYER, "opportunities", "show", &opp], &["not found"]);
    assert_eq!(env.json(&["opportunities", "show", &opp])["seen_as"], "partner");
    // CPPO_AS works like --as.
    let o = env.command(TODAY).env("CPPO_AS", ISV).args(["opportunities", "show", &opp, "--json"]).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap()["seen_as"], "isv");
    assert_eq!(env.json(&["opportunities", "show", &opp])["seen_as"], "isv");
}

/// With no `--as` and none remembered, the file's only account acts; with several, nobody
/// does until named (the same rule as the TUI's, which then asks).
#[test]
fn the_only_account_acts_when_none_is_remembered_and_several_need_a_name() {
    let env = Env::new();
    env.ok(&["accounts", "add", ISV, "--name", "Acme Analytics Inc.", "--isv"]);
    assert_eq!(env.json(&["opportunities", "list"]), serde_json::json!([]), "the only account acts");
    env.ok(&["accounts", "add", PARTNER, "--name", "Northwind Cloud Partners", "--partner"]);
    env.refused(&["opportunities", "list"], &["no acting account", "--as", ISV, PARTNER]);
}
