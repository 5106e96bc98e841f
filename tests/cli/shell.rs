//! Issue 22, "From the shell": names beside ids in every table (ids alone in JSON), `--csv`
//! on every `list`, and the ISV's tables saying what each column holds.

use super::*;

/// The value of the field `key` of a `show` block, its padding dropped.
fn field(out: &str, key: &str) -> String {
    let line = out.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap_or_else(|| panic!("{key}: {out}"));
    line[key.len() + 1..].trim().to_owned()
}

/// The header and the rows of a CSV (no field of these tests holds a comma or a quote).
fn csv(out: &str) -> Vec<Vec<String>> {
    out.lines().map(|l| l.split(',').map(str::to_owned).collect()).collect()
}

#[test]
fn lists_and_shows_print_each_accounts_name_beside_its_id_and_json_keeps_ids_alone() {
    let Example { env, offer, agreement, .. } = worked_example();
    let contoso = format!("{BUYER} Contoso Retail Ltd");
    let northwind = format!("{PARTNER} Northwind Cloud Partners");
    let offers = env.ok(&["--as", PARTNER, "offers", "list"]);
    assert!(offers.contains(&contoso), "{offers}");
    let agreements = env.ok(&["--as", BUYER, "agreements", "list"]);
    assert!(agreements.contains(&contoso) && agreements.contains(&northwind), "{agreements}");
    let paid = env.ok(&["--as", PARTNER, "disbursements", "list"]);
    assert!(paid.lines().next().unwrap().contains("BUYER") && paid.contains(&contoso), "{paid}");
    for (who, args) in [(PARTNER, ["offers", "show", &offer]), (BUYER, ["agreements", "show", &agreement])] {
        let shown = env.ok(&[&["--as", who][..], &args].concat());
        assert_eq!(field(&shown, "Partner"), northwind, "{shown}");
        assert_eq!(field(&shown, "Buyer"), contoso, "{shown}");
    }
    // JSON: ids, no names.
    let v = env.json(&["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!(v["buyer_account_id"], BUYER);
    assert!(!v.to_string().contains("Contoso Retail"), "{v}");
}

/// The ISV is told the partner, not the end buyer of a recurring opportunity's agreement:
/// `agreements list` says so under BUYER instead of printing the partner twice.
#[test]
fn the_isv_reads_the_end_buyer_undisclosed_not_the_partner_twice() {
    let Example { env, offer, agreement, .. } = worked_example();
    let list = env.ok(&["--as", ISV, "agreements", "list"]);
    let row = list.lines().find(|l| l.contains(&agreement)).unwrap();
    assert_eq!(row.matches(PARTNER).count(), 1, "{list}");
    assert!(row.contains("undisclosed"), "{list}");
    let offers = env.ok(&["--as", ISV, "offers", "list"]);
    let header = offers.lines().next().unwrap();
    assert!(header.contains("BUYER") && header.contains("PARTNER"), "{offers}");
    let row = offers.lines().find(|l| l.contains(&offer)).unwrap();
    assert!(row.contains("undisclosed") && row.contains(PARTNER), "{offers}");
    let shown = env.ok(&["--as", ISV, "agreements", "show", &agreement]);
    assert!(field(&shown, "Buyer").starts_with("not disclosed by AWS"), "{shown}");
}

/// `--csv` on every list: a header in snake_case, an account as id and name, an amount as a
/// number and its currency; refused on a command that prints no list.
#[test]
fn every_list_prints_as_csv_for_a_spreadsheet() {
    let Example { env, agreement, .. } = worked_example();
    let lists: [&[&str]; 8] = [
        &["accounts", "list"],
        &["products", "list"],
        &["--as", PARTNER, "opportunities", "list"],
        &["--as", PARTNER, "offers", "list"],
        &["--as", PARTNER, "agreements", "list"],
        &["--as", PARTNER, "agreements", "list", "--ending-within", "400"],
        &["--as", PARTNER, "disbursements", "list"],
        &["--as", PARTNER, "events", "list"],
    ];
    for args in lists {
        let out = env.ok(&[args, &["--csv"]].concat());
        let rows = csv(&out);
        assert!(rows.len() >= 2, "{args:?}: {out}");
        assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{args:?}: every record has the header's fields: {out}");
        assert!(rows[0].iter().all(|h| h.chars().all(|c| c.is_ascii_lowercase() || c == '_')), "{args:?}: {out}");
    }
    let rows = csv(&env.ok(&["--as", PARTNER, "agreements", "list", "--csv"]));
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {:?}", rows[0]));
    let row = rows.iter().find(|r| r[col("agreement")] == agreement).unwrap();
    assert_eq!((row[col("buyer")].as_str(), row[col("buyer_name")].as_str()), (BUYER, "Contoso Retail Ltd"));
    assert_eq!((row[col("total")].as_str(), row[col("total_currency")].as_str()), ("88000.00", "USD"));
    let rows = csv(&env.ok(&["--as", PARTNER, "disbursements", "list", "--csv"]));
    assert_eq!(rows[1][rows[0].iter().position(|h| h == "amount").unwrap()], "8000.00");
    // A show is no list; --csv and --json are one or the other.
    env.refused(&["--as", PARTNER, "agreements", "show", &agreement, "--csv"], &["--csv prints a list"]);
    env.usage_error(&["offers", "list", "--csv", "--json"], &["--json"]);
}

/// `cppo review`, for scripts: what needs the acting account, as the TUI's `v` lists it; the
/// partner's queue includes the charges its buyers have not paid by their day.
#[test]
fn review_lists_what_needs_the_account_and_the_partners_overdue_buyer_charges() {
    let (env, _, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    let review = |who: &str, now: &str| -> Value {
        let out = env.run_at(now, &["--as", who, "review", "--json"]);
        assert_eq!(out.code, 0, "{out:?}");
        serde_json::from_str(&out.stdout).unwrap()
    };
    let overdue = |v: &Value| -> Vec<Value> {
        v.as_array().unwrap().iter().filter(|i| i["kind"] == "overdue").cloned().collect()
    };
    // Due today: the buyer is to pay it; nothing is overdue for the partner yet.
    assert!(review(BUYER, TODAY).as_array().unwrap().iter().any(|i| i["kind"] == "pay" && i["overdue"] == false));
    assert!(overdue(&review(PARTNER, TODAY)).is_empty());
    // A day later, unpaid: overdue, in the partner's queue, about the agreement.
    let later = "2026-11-27";
    let items = overdue(&review(PARTNER, later));
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        (items[0]["record_type"].as_str(), items[0]["record_id"].as_str()),
        (Some("agreement"), Some(agreement.as_str()))
    );
    assert_eq!(items[0]["title"], "Charge of 88,000.00 USD owed by Contoso Retail Ltd");
    assert_eq!(items[0]["due_on"], TODAY);
    let text = env.run_at(later, &["--as", PARTNER, "review"]).stdout;
    assert!(text.contains("overdue") && text.contains("OVERDUE since 2026-11-26"), "{text}");
    // The ISV is not the one to chase a buyer; once paid, it leaves the queue.
    assert!(overdue(&review(ISV, later)).is_empty());
    let paid = env.run_at(later, &["--as", BUYER, "agreements", "pay", &agreement]);
    assert_eq!(paid.code, 0, "{paid:?}");
    assert!(overdue(&review(PARTNER, later)).is_empty());
    assert!(env.run_at(later, &["--as", PARTNER, "review", "--csv"]).stdout.starts_with("due,kind,record,what,why\n"));
}
