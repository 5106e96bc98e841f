//! The command line as scripts use it (DESIGN.md "CLI"): commands, `--json` shapes, exit
//! codes, one-line refusals that write nothing, visibility, the remembered acting account,
//! and snapshots of the help and of one human table.
//!
//! Every run points `--db` into a temporary directory, fixes "today" with `--now`, drops
//! `CPPO_*` from the environment and moves HOME / XDG dirs into the temporary directory,
//! so nothing touches the real home.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

const ISV: &str = "111111111111";
const PARTNER: &str = "222222222222";
const BUYER: &str = "333333333333";
const OTHER_BUYER: &str = "444444444444";
const TODAY: &str = "2026-11-26";

/// Offer keys the buyer must never see (DOMAIN.md "Visibility").
const HIDDEN_FROM_BUYER: [&str; 6] =
    ["wholesale_total", "markup_pct", "listing_fee", "listing_fee_rate", "isv_net", "partner_net"];
/// Offer keys the ISV must never see.
const HIDDEN_FROM_ISV: [&str; 3] = ["markup_pct", "buyer_total", "partner_net"];

/// One temporary directory holding the cppo file and standing in for HOME.
struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

/// What one run printed, and how it exited.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Every table's row count and rows (as text), read straight from the file.
type Dump = BTreeMap<String, (i64, Vec<String>)>;

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        Self { dir, db }
    }

    /// The binary with a clean environment; `--db` and `--now` come first.
    fn command(&self, now: &str) -> Command {
        let mut c = Command::cargo_bin("cppo").unwrap();
        c.env_remove("CPPO_DB")
            .env_remove("CPPO_AS")
            .env_remove("CPPO_NOW")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path())
            .arg("--db")
            .arg(&self.db)
            .arg("--now")
            .arg(now);
        c
    }

    /// Runs `cppo --db .. --now <now> ARGS`: (exit code, stdout, stderr).
    fn run_at(&self, now: &str, args: &[&str]) -> Out {
        let o = self.command(now).args(args).output().unwrap();
        Out {
            code: o.status.code().expect("cppo exited by a signal"),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_at(TODAY, args)
    }

    /// Runs a command that must succeed quietly; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 0, "cppo {args:?} failed: {o:?}");
        assert_eq!(o.stderr, "", "cppo {args:?} wrote to stderr");
        o.stdout
    }

    /// Runs a command with `--json`; its parsed stdout.
    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("cppo {a:?}: not JSON ({e}): {out}"))
    }

    /// Runs a `create`-like command: stdout must be one line holding an id of the given
    /// shape (`prefix` then `len` ASCII letters or digits); returns the id.
    fn create(&self, args: &[&str], prefix: &str, len: usize) -> String {
        let out = self.ok(args);
        let id = out.strip_suffix('\n').unwrap_or_else(|| panic!("cppo {args:?}: no newline after the id: {out:?}"));
        assert!(!id.contains('\n'), "cppo {args:?}: more than one line: {out:?}");
        assert!(is_id(id, prefix, len), "cppo {args:?}: `{id}` is not {prefix} + {len} alphanumerics");
        id.to_owned()
    }

    /// Every table of the file: row count and contents.
    fn dump(&self) -> Dump {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let tables: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert!(tables.len() >= 10, "the file has too few tables: {tables:?}");
        let mut out = Dump::new();
        for t in tables {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
            let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let cols = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    let vals: Vec<String> =
                        (0..cols).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect();
                    Ok(vals.join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            out.insert(t, (n, rows));
        }
        out
    }

    /// Asserts that `args` is refused: exit 1, nothing on stdout, exactly one line on
    /// stderr containing every one of `words`, and the file unchanged. Returns that line.
    fn refused_at(&self, now: &str, args: &[&str], words: &[&str]) -> String {
        let before = self.dump();
        let o = self.run_at(now, args);
        assert_eq!(o.code, 1, "cppo {args:?} should be refused: {o:?}");
        assert_eq!(o.stdout, "", "cppo {args:?}: a refusal prints nothing on stdout");
        assert_one_line(&o.stderr, args);
        for w in words {
            assert!(o.stderr.contains(w), "cppo {args:?}: stderr lacks `{w}`: {}", o.stderr);
        }
        assert_same(&before, &self.dump(), args);
        o.stderr
    }

    fn refused(&self, args: &[&str], words: &[&str]) -> String {
        self.refused_at(TODAY, args, words)
    }

    /// Asserts a usage error: exit 2, nothing on stdout, the file unchanged.
    fn usage_error(&self, args: &[&str], words: &[&str]) {
        let before = self.dump();
        let o = self.run(args);
        assert_eq!(o.code, 2, "cppo {args:?} is a usage error: {o:?}");
        assert_eq!(o.stdout, "", "cppo {args:?}: a usage error prints nothing on stdout");
        for w in words {
            assert!(o.stderr.contains(w), "cppo {args:?}: stderr lacks `{w}`: {}", o.stderr);
        }
        assert_same(&before, &self.dump(), args);
    }
}

fn assert_one_line(stderr: &str, args: &[&str]) {
    let line = stderr.strip_suffix('\n').unwrap_or_else(|| panic!("cppo {args:?}: stderr {stderr:?}"));
    assert!(!line.is_empty() && !line.contains('\n'), "cppo {args:?}: stderr is not one line: {stderr:?}");
    assert!(line.starts_with("error: "), "cppo {args:?}: {line}");
}

fn assert_same(before: &Dump, after: &Dump, args: &[&str]) {
    let counts = |d: &Dump| d.iter().map(|(t, (n, _))| (t.clone(), *n)).collect::<Vec<_>>();
    assert_eq!(counts(before), counts(after), "cppo {args:?} changed row counts");
    assert_eq!(before, after, "cppo {args:?} changed the file");
}

fn is_id(s: &str, prefix: &str, len: usize) -> bool {
    s.strip_prefix(prefix).is_some_and(|r| r.len() == len && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The keys of a JSON object.
fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap_or_else(|| panic!("not an object: {v}")).keys().cloned().collect()
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}")).iter().map(|o| o["id"].as_str().unwrap()).collect()
}

/// Replaces every generated id by its prefix and X's of the same length (tables stay aligned).
fn redact_ids(s: &str) -> String {
    const SHAPES: [(&str, usize); 6] =
        [("resaleauthz-", 13), ("offer-", 13), ("prod-", 13), ("agmt-", 25), ("chrg-", 13), ("disb-", 13)];
    let mut out = s.to_owned();
    for (prefix, len) in SHAPES {
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(prefix) {
            let (head, tail) = rest.split_at(i + prefix.len());
            next.push_str(head);
            let body = tail.as_bytes();
            let word = body.len() >= len
                && body[..len].iter().all(u8::is_ascii_alphanumeric)
                && body.get(len).is_none_or(|b| !b.is_ascii_alphanumeric());
            if word {
                next.push_str(&"X".repeat(len));
                rest = &tail[len..];
            } else {
                rest = tail;
            }
        }
        next.push_str(rest);
        out = next;
    }
    out
}

/// The header line, then the rows sorted (rows created in the same instant come in id
/// order, and ids are random).
fn sorted_table(s: &str) -> String {
    let mut lines: Vec<&str> = s.lines().collect();
    lines[1..].sort_unstable();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn add_accounts(env: &Env) {
    for (id, name, role) in [
        (ISV, "Acme Analytics Inc.", "--isv"),
        (PARTNER, "Northwind Cloud Partners", "--partner"),
        (BUYER, "Contoso Retail Ltd", "--buyer"),
        (OTHER_BUYER, "Fabrikam Health", "--buyer"),
    ] {
        assert_eq!(env.ok(&["accounts", "add", id, "--name", name, role]), format!("{id}\n"));
    }
}

fn add_product(env: &Env) -> String {
    env.create(
        &[
            "--as",
            ISV,
            "products",
            "add",
            "--name",
            "Acme Insight",
            "--type",
            "saas",
            "--dimension",
            "users:user:1000.00",
            "--duration",
            "P12M",
        ],
        "prod-",
        13,
    )
}

/// The ISV grants a recurring 20% opportunity, released.
fn add_opportunity(env: &Env, product: &str) -> String {
    let opp = env.create(
        &[
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            product,
            "--name",
            "Acme resale 2027",
            "--discount",
            "20",
        ],
        "resaleauthz-",
        13,
    );
    let out = env.ok(&["--as", ISV, "opportunities", "release", &opp]);
    assert!(out.starts_with(&opp) && out.contains("released") && out.contains("Authorized"), "{out}");
    opp
}

/// The partner makes a released offer from `opp` to `buyer`.
fn add_offer(env: &Env, opp: &str, buyer: &str, markup: &str, name: &str, qty: &str) -> String {
    let offer = env.create(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            opp,
            "--buyer",
            buyer,
            "--markup",
            markup,
            "--expires",
            "2026-12-31",
            "--name",
            name,
            "--quantity",
            qty,
        ],
        "offer-",
        13,
    );
    let out = env.ok(&["--as", PARTNER, "offers", "release", &offer]);
    assert_eq!(out, format!("{offer} released to its buyer (status: Active, expires on 2026-12-31)\n"));
    offer
}

struct Example {
    env: Env,
    product: String,
    opp: String,
    offer: String,
    agreement: String,
}

/// DOMAIN.md's worked example, through the CLI: list 1,000.00 per user for P12M, 100
/// users, 20% discount, 10% markup; the buyer accepts and pays.
fn worked_example() -> Example {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    let paid = env.ok(&["--as", BUYER, "agreements", "pay", &agreement]);
    assert!(paid.starts_with(&format!("Paid 88,000.00 USD of {agreement}")), "{paid}");
    assert!(paid.contains("Every charge of this agreement is paid."), "{paid}");
    Example { env, product, opp, offer, agreement }
}

// ---------------------------------------------------------------------------------------
// Every command, once
// ---------------------------------------------------------------------------------------

#[test]
fn accounts_add_prints_the_id_and_list_shows_every_account() {
    let env = Env::new();
    add_accounts(&env);
    assert_eq!(env.ok(&["accounts", "add", "555555555555", "--name", "Initech", "--isv", "--buyer"]), "555555555555\n");
    let list = env.json(&["accounts", "list"]);
    assert_eq!(ids(&list), [ISV, PARTNER, BUYER, OTHER_BUYER, "555555555555"]);
    let by_id = |id: &str| list.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(by_id(ISV)["name"], "Acme Analytics Inc.");
    assert_eq!(by_id(ISV)["roles"], json!(["isv"]));
    assert_eq!(by_id(PARTNER)["name"], "Northwind Cloud Partners");
    assert_eq!(by_id(PARTNER)["roles"], json!(["partner"]));
    assert_eq!(by_id(BUYER)["roles"], json!(["buyer"]));
    assert_eq!(by_id("555555555555")["roles"], json!(["isv", "buyer"]));
    for a in list.as_array().unwrap() {
        assert!(a["id"].is_string(), "ids are strings: {a}");
    }
    let table = env.ok(&["accounts", "list"]);
    assert!(table.starts_with("ACCOUNT"), "{table}");
    assert!(table.contains("Initech") && table.contains("isv, buyer"), "{table}");
}

#[test]
fn products_add_prints_the_id_and_list_shows_the_dimensions() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let list = env.json(&["products", "list"]);
    assert_eq!(ids(&list), [product.as_str()]);
    let p = &list[0];
    assert_eq!(p["name"], "Acme Insight");
    assert_eq!(p["product_type"], "saas");
    assert_eq!(p["isv_account_id"], ISV);
    assert_eq!(p["duration"], "P12M");
    assert_eq!(
        p["dimensions"],
        json!([{ "key": "users", "unit": "user", "pricing": "contract", "list_price": "1000.00" }])
    );
    let table = env.ok(&["products", "list"]);
    assert!(table.contains(&product) && table.contains("users 1000.00/user"), "{table}");
}

#[test]
fn opportunities_create_release_show_list_and_end() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = env.create(
        &[
            "--as",
            ISV,
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
            "--description",
            "internal note",
        ],
        "resaleauthz-",
        13,
    );
    // A draft: the ISV sees it, the partner does not.
    let draft = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((draft["state"].as_str(), draft["status"].as_str()), (Some("draft"), Some("Draft")));
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "list"]), json!([]));
    env.refused(&["--as", PARTNER, "opportunities", "show", &opp], &["not found", &opp]);

    let out = env.ok(&["--as", ISV, "opportunities", "release", &opp]);
    assert_eq!(out, format!("{opp} released: the partner can now make offers from it (status: Authorized)\n"));

    let o = env.json(&["--as", PARTNER, "opportunities", "show", &opp]);
    assert_eq!(o["id"], opp.as_str());
    assert_eq!(o["name"], "Acme resale 2027");
    assert_eq!(o["product_id"], product.as_str());
    assert_eq!(o["isv_account_id"], ISV);
    assert_eq!(o["partner_account_id"], PARTNER);
    assert_eq!(o["kind"], "recurring");
    assert_eq!(o["buyer_account_ids"], json!([]));
    assert_eq!(o["currency"], "USD");
    assert_eq!(o["discount_pct"], "20");
    assert_eq!(o["state"], "active");
    assert_eq!(o["status"], "Authorized");
    assert_eq!(o["ends_on"], Value::Null);
    assert_eq!(o["offers_created"], 0);
    assert_eq!(
        o["prices"],
        json!([{ "dimension": "users", "pricing": "contract", "list_price": "1000.00", "wholesale_price": "800.00" }])
    );

    let list = env.json(&["--as", PARTNER, "opportunities", "list"]);
    assert_eq!(ids(&list), [opp.as_str()]);
    assert_eq!(ids(&env.json(&["--as", PARTNER, "opportunities", "list", "--status", "authorized"])), [opp.as_str()]);
    assert_eq!(env.json(&["--as", PARTNER, "opportunities", "list", "--status", "deactivated"]), json!([]));
    let table = env.ok(&["--as", PARTNER, "opportunities", "list"]);
    assert!(table.starts_with("OPPORTUNITY") && table.contains(&opp) && table.contains("20%"), "{table}");

    // A one-time opportunity with an explicit price, released at once.
    let one = env.create(
        &[
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            &product,
            "--name",
            "Contoso only",
            "--price",
            "users=750",
            "--one-time",
            "--buyer",
            BUYER,
            "--until",
            "2027-06-30",
            "--release",
        ],
        "resaleauthz-",
        13,
    );
    let o = env.json(&["--as", ISV, "opportunities", "show", &one]);
    assert_eq!(o["kind"], "one_time");
    assert_eq!(o["buyer_account_ids"], json!([BUYER]));
    assert_eq!(o["discount_pct"], Value::Null);
    assert_eq!(o["ends_on"], "2027-06-30");
    assert_eq!(o["state"], "active");
    assert_eq!(o["prices"][0]["wholesale_price"], "750.00");

    // The partner ends the first one.
    let out = env.ok(&["--as", PARTNER, "opportunities", "end", &opp]);
    assert!(out.starts_with(&format!("{opp} ended")) && out.contains("(status: Deactivated)"), "{out}");
    let o = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((o["state"].as_str(), o["status"].as_str()), (Some("restricted"), Some("Deactivated")));
    assert_eq!(ids(&env.json(&["--as", ISV, "opportunities", "list", "--status", "deactivated"])), [opp.as_str()]);
}

#[test]
fn offers_create_show_list_release_extend_cancel_accept() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let offer = env.create(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            BUYER,
            "--markup",
            "10",
            "--expires",
            "2026-12-31",
            "--name",
            "Contoso 2027",
            "--quantity",
            "users=100",
        ],
        "offer-",
        13,
    );
    let o = env.json(&["offers", "show", &offer]);
    assert_eq!(o["id"], offer.as_str());
    assert_eq!(o["name"], "Contoso 2027");
    assert_eq!(o["opportunity_id"], opp.as_str());
    assert_eq!(o["product_id"], product.as_str());
    assert_eq!(o["isv_account_id"], ISV);
    assert_eq!(o["partner_account_id"], PARTNER);
    assert_eq!(o["buyer_account_id"], BUYER);
    assert_eq!(o["currency"], "USD");
    assert_eq!((o["state"].as_str(), o["status"].as_str()), (Some("draft"), Some("Draft")));
    assert_eq!(o["expires_on"], "2026-12-31");
    assert_eq!(o["markup_pct"], "10");
    assert_eq!(o["wholesale_total"], "80000.00");
    assert_eq!(o["buyer_total"], "88000.00");
    assert_eq!(o["listing_fee_rate"], "3.5");
    assert_eq!(o["listing_fee"], "2800.00");
    assert_eq!(o["isv_net"], "77200.00");
    assert_eq!(o["partner_net"], "8000.00");
    // Drafts are the partner's own: neither the buyer nor the ISV sees one.
    env.refused(&["--as", BUYER, "offers", "show", &offer], &["not found"]);
    env.refused(&["--as", ISV, "offers", "show", &offer], &["not found"]);
    assert_eq!(env.json(&["--as", BUYER, "offers", "list"]), json!([]));

    let out = env.ok(&["--as", PARTNER, "offers", "release", &offer]);
    assert_eq!(out, format!("{offer} released to its buyer (status: Active, expires on 2026-12-31)\n"));
    let list = env.json(&["offers", "list"]);
    assert_eq!(ids(&list), [offer.as_str()]);
    assert_eq!((list[0]["state"].as_str(), list[0]["status"].as_str()), (Some("released"), Some("Active")));
    assert_eq!(list[0]["buyer_total"], "88000.00");
    assert_eq!(ids(&env.json(&["offers", "list", "--status", "active"])), [offer.as_str()]);
    assert_eq!(env.json(&["offers", "list", "--status", "draft"]), json!([]));

    let out = env.ok(&["offers", "extend", &offer, "--expires", "2027-01-31"]);
    assert_eq!(out, format!("{offer} extended (status: Active, expires on 2027-01-31)\n"));
    assert_eq!(env.json(&["offers", "show", &offer])["expires_on"], "2027-01-31");

    let out = env.ok(&["offers", "cancel", &offer]);
    assert_eq!(out, format!("{offer} cancelled (status: Expired, expires on 2026-11-25)\n"));
    let o = env.json(&["offers", "show", &offer]);
    assert_eq!((o["status"].as_str(), o["expires_on"].as_str()), (Some("Expired"), Some("2026-11-25")));
    env.refused(&["--as", BUYER, "offers", "accept", &offer], &["expired on 2026-11-25"]);

    // Extending a cancelled offer makes it Active again; then the buyer accepts it.
    env.ok(&["--as", PARTNER, "offers", "extend", &offer, "--expires", "2026-12-15"]);
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    let o = env.json(&["--as", BUYER, "offers", "show", &offer]);
    assert_eq!(o["status"], "Accepted");
    assert_eq!(o["agreement_id"], agreement.as_str());
    let table = env.ok(&["--as", BUYER, "offers", "show", &offer]);
    assert!(table.contains("Buyer total:") && table.contains("88,000.00 USD"), "{table}");
    assert!(!table.to_lowercase().contains("wholesale") && !table.contains("Markup"), "{table}");
}

#[test]
fn agreements_disbursements_and_events() {
    let Example { env, opp, offer, agreement, .. } = worked_example();

    let list = env.json(&["--as", BUYER, "agreements", "list"]);
    assert_eq!(ids(&list), [agreement.as_str()]);
    let a = env.json(&["--as", BUYER, "agreements", "show", &agreement]);
    assert_eq!(a, list[0]);
    assert_eq!(a["offer_id"], offer.as_str());
    assert_eq!(a["opportunity_id"], opp.as_str());
    assert_eq!(a["buyer_account_id"], BUYER);
    assert_eq!(a["partner_account_id"], PARTNER);
    assert_eq!(a["isv_account_id"], ISV);
    assert_eq!(a["currency"], "USD");
    assert_eq!(a["status"], "ACTIVE");
    assert_eq!(a["starts_on"], TODAY);
    assert_eq!(a["ends_on"], "2027-11-26");
    assert_eq!(a["total"], "88000.00");
    let charges = a["charges"].as_array().unwrap();
    assert_eq!(charges.len(), 1);
    assert!(is_id(charges[0]["id"].as_str().unwrap(), "chrg-", 13), "{a}");
    assert_eq!(charges[0]["due_on"], TODAY);
    assert_eq!(charges[0]["amount"], "88000.00");
    assert_eq!(charges[0]["paid_on"], TODAY);
    assert!(!keys(&a).contains("wholesale_total") && !keys(&a).contains("listing_fee_rate"), "{a}");

    // The partner sees everything; the ISV of a recurring opportunity sees the partner
    // as the buyer and no buyer price.
    let p = env.json(&["--as", PARTNER, "agreements", "show", &agreement]);
    assert_eq!((p["total"].as_str(), p["buyer_account_id"].as_str()), (Some("88000.00"), Some(BUYER)));
    let i = env.json(&["--as", ISV, "agreements", "show", &agreement]);
    assert_eq!(i["buyer_account_id"], PARTNER);
    assert!(!keys(&i).contains("total"), "{i}");
    assert_eq!(i["charges"][0]["paid_on"], TODAY);
    assert!(i["charges"][0].get("amount").is_none(), "{i}");
    env.refused(&["--as", OTHER_BUYER, "agreements", "show", &agreement], &["not found"]);
    let table = env.ok(&["--as", BUYER, "agreements", "list"]);
    assert!(table.starts_with("AGREEMENT") && table.contains("1/1"), "{table}");

    // Disbursements: each payee sees its own; the buyer none.
    assert_eq!(env.json(&["--as", BUYER, "disbursements", "list"]), json!([]));
    let d = env.json(&["--as", PARTNER, "disbursements", "list"]);
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert!(is_id(d[0]["id"].as_str().unwrap(), "disb-", 13), "{d}");
    assert_eq!(d[0]["agreement_id"], agreement.as_str());
    assert_eq!(d[0]["charge_id"], charges[0]["id"]);
    assert_eq!(d[0]["payee_account_id"], PARTNER);
    assert_eq!(d[0]["role"], "partner");
    assert_eq!(d[0]["currency"], "USD");
    assert_eq!(d[0]["paid_on"], TODAY);
    assert!(d[0].get("listing_fee").is_none(), "{d}");
    let table = env.ok(&["--as", ISV, "disbursements", "list"]);
    assert!(table.contains("77,200.00 USD") && table.contains("2,800.00 USD"), "{table}");

    // Events: the buyer reads the offer's release (not its draft), the partner both.
    let e = env.json(&["--as", BUYER, "events", "list", "--entity", &offer]);
    let actions: Vec<&str> = e.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["release"]);
    assert_eq!(e[0]["actor"], PARTNER);
    assert_eq!(e[0]["entity"], "offer");
    assert_eq!(e[0]["entity_id"], offer.as_str());
    assert_eq!((e[0]["from_state"].as_str(), e[0]["to_state"].as_str()), (Some("draft"), Some("released")));
    assert!(e[0]["at"].as_str().unwrap().starts_with(TODAY), "{e}");
    let e = env.json(&["--as", PARTNER, "events", "list", "--entity", &offer]);
    let actions: Vec<&str> = e.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "release"]);
    let all = env.json(&["--as", BUYER, "events", "list"]);
    let seen: BTreeSet<&str> = all.as_array().unwrap().iter().map(|e| e["entity_id"].as_str().unwrap()).collect();
    assert!(seen.contains(agreement.as_str()) && seen.contains(offer.as_str()), "{all}");
    assert!(!seen.contains(opp.as_str()), "the buyer never sees opportunities: {all}");
    let table = env.ok(&["--as", BUYER, "events", "list"]);
    assert!(table.contains("accept") && table.contains("pay"), "{table}");
}

// ---------------------------------------------------------------------------------------
// The worked example, end to end
// ---------------------------------------------------------------------------------------

#[test]
fn worked_example_pays_the_isv_and_the_partner() {
    let Example { env, product, opp, offer, agreement } = worked_example();

    let partner_view = env.json(&["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!(partner_view["product_id"], product.as_str());
    assert_eq!(partner_view["opportunity_id"], opp.as_str());
    assert_eq!(partner_view["agreement_id"], agreement.as_str());
    assert_eq!(partner_view["wholesale_total"], "80000.00");
    assert_eq!(partner_view["buyer_total"], "88000.00");
    assert_eq!(partner_view["listing_fee"], "2800.00");
    assert_eq!(partner_view["isv_net"], "77200.00");
    assert_eq!(partner_view["partner_net"], "8000.00");
    assert_eq!(partner_view["status"], "Accepted");

    let isv = env.json(&["--as", ISV, "disbursements", "list"]);
    assert_eq!(isv.as_array().unwrap().len(), 1, "{isv}");
    assert_eq!(isv[0]["agreement_id"], agreement.as_str());
    assert_eq!(isv[0]["payee_account_id"], ISV);
    assert_eq!(isv[0]["role"], "isv");
    assert_eq!(isv[0]["amount"], "77200.00");
    assert_eq!(isv[0]["listing_fee"], "2800.00");
    assert_eq!(isv[0]["currency"], "USD");

    let partner = env.json(&["--as", PARTNER, "disbursements", "list"]);
    assert_eq!(partner.as_array().unwrap().len(), 1, "{partner}");
    assert_eq!(partner[0]["role"], "partner");
    assert_eq!(partner[0]["amount"], "8000.00");

    // Paying again is refused: every charge is paid.
    env.refused(&["--as", BUYER, "agreements", "pay", &agreement], &["paid", &agreement]);
}

// ---------------------------------------------------------------------------------------
// Refusals: exit 1, one line on stderr, nothing on stdout, nothing written
// ---------------------------------------------------------------------------------------

#[test]
fn an_accepted_offer_can_be_neither_extended_nor_cancelled_nor_released() {
    let Example { env, offer, .. } = worked_example();
    env.refused(&["--as", PARTNER, "offers", "cancel", &offer], &[&offer, "Accepted", "cancelled"]);
    env.refused(
        &["--as", PARTNER, "offers", "extend", &offer, "--expires", "2027-06-30"],
        &[&offer, "Accepted", "extended"],
    );
    env.refused(&["--as", PARTNER, "offers", "release", &offer], &[&offer, "only Draft offers can be released"]);
    env.refused(&["--as", BUYER, "offers", "accept", &offer], &[&offer, "already Accepted"]);
}

#[test]
fn releasing_a_released_offer_is_refused() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    env.refused(&["--as", PARTNER, "offers", "release", &offer], &[&offer, "Active", "only Draft"]);
    // Only the partner may move it.
    env.refused(&["--as", ISV, "offers", "cancel", &offer], &["only the partner", PARTNER]);
}

#[test]
fn bad_input_is_refused() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let create = |buyer: &str, markup: &str, qty: &str| -> Vec<String> {
        [
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            buyer,
            "--markup",
            markup,
            "--expires",
            "2026-12-31",
            "--name",
            "x",
            "--quantity",
            qty,
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let refuse = |args: Vec<String>, words: &[&str]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.refused(&args, words)
    };
    refuse(create(BUYER, "1e3", "users=1"), &["markup", "`1e3`", "not a number"]);
    refuse(create(BUYER, "1_000", "users=1"), &["markup", "`1_000`"]);
    refuse(create(BUYER, "1000000000", "users=1"), &["markup"]);
    refuse(create("33333333333", "10", "users=1"), &["`33333333333`", "not an AWS account id", "12 digits"]);
    refuse(create("555555555555", "10", "users=1"), &["555555555555", "not found"]);
    refuse(create(BUYER, "10", "seats=1"), &["`seats`", "not a dimension", "users"]);
    refuse(create(BUYER, "10", "users=many"), &["--quantity", "`many`"]);
    env.refused(&["accounts", "add", "12345", "--name", "Short", "--buyer"], &["`12345`", "12 digits"]);
    env.refused(&["accounts", "add", BUYER, "--name", "Again", "--buyer"], &[BUYER, "already exists"]);
    env.refused(&["--as", BUYER, "offers", "show", "offer-123"], &["`offer-123`", "not an offer id"]);
    env.refused(
        &["--as", BUYER, "products", "add", "--name", "Nope", "--type", "saas", "--dimension", "users:user:1.00"],
        &["not an ISV"],
    );
    env.refused(
        &[
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            &product,
            "--name",
            "x",
            "--discount",
            "1e1",
        ],
        &["`1e1`"],
    );
    env.refused(&["--as", PARTNER, "offers", "list", "--status", "bogus"], &["`bogus`", "not an offer status"]);
    env.refused_at("yesterday", &["--as", PARTNER, "offers", "list"], &["--now"]);
}

#[test]
fn unknown_acting_account_is_refused_with_the_list_of_accounts() {
    let env = Env::new();
    add_accounts(&env);
    let line = env.refused(&["--as", "999999999999", "offers", "list"], &["999999999999", "does not exist"]);
    for (id, name) in [
        (ISV, "Acme Analytics Inc."),
        (PARTNER, "Northwind Cloud Partners"),
        (BUYER, "Contoso Retail Ltd"),
        (OTHER_BUYER, "Fabrikam Health"),
    ] {
        assert!(line.contains(id) && line.contains(name), "{line}");
    }
    env.refused(&["--as", "99", "offers", "list"], &["`99`", "12 digits"]);
}

#[test]
fn first_run_without_acting_account_is_refused_and_writes_nothing() {
    let env = Env::new();
    assert!(!env.db.exists());
    let o = env.run(&["offers", "list"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert_eq!(o.stdout, "");
    assert_one_line(&o.stderr, &["offers", "list"]);
    assert!(o.stderr.contains("no acting account") && o.stderr.contains("--as"), "{}", o.stderr);
    assert!(o.stderr.contains("accounts add"), "it says how to start: {}", o.stderr);
    for (table, (n, _)) in env.dump() {
        assert_eq!(n, 0, "table {table} has rows after a refused first run");
    }
    // Still nothing remembered, still refused.
    env.refused(&["agreements", "list"], &["no acting account"]);
}

#[test]
fn a_one_time_opportunity_makes_one_offer() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = env.create(
        &[
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            &product,
            "--name",
            "Contoso only",
            "--discount",
            "20",
            "--one-time",
            "--buyer",
            BUYER,
            "--until",
            "2027-03-31",
            "--release",
        ],
        "resaleauthz-",
        13,
    );
    let create = |name: &str| {
        [
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--markup",
            "10",
            "--expires",
            "2026-12-31",
            "--name",
            name,
            "--quantity",
            "users=100",
        ]
        .map(str::to_owned)
    };
    let first = create("First");
    let offer = env.create(&first.each_ref().map(String::as_str), "offer-", 13);
    // The buyer was filled in from the opportunity.
    assert_eq!(env.json(&["offers", "show", &offer])["buyer_account_id"], BUYER);
    let o = env.json(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!((o["status"].as_str(), o["offers_created"].as_i64()), (Some("Authorized (consumed)"), Some(1)));
    let second = create("Second");
    env.refused(&second.each_ref().map(String::as_str), &[&opp, "one-time", "already has its offer"]);
}

#[test]
fn a_buyer_cannot_accept_another_buyers_offer() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "accept", &offer], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "accept", "offer-AAAAAAAAAAAAA"], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace("offer-AAAAAAAAAAAAA", "<id>"));
    assert_eq!(theirs, format!("error: offer {offer} not found\n"));
}

#[test]
fn an_expired_offer_cannot_be_accepted() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    // The last day still counts; the day after does not.
    env.refused_at("2027-01-01", &["--as", BUYER, "offers", "accept", &offer], &[&offer, "expired on 2026-12-31"]);
    let o = env.run_at("2027-01-01", &["--as", BUYER, "offers", "show", &offer, "--json"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert_eq!(serde_json::from_str::<Value>(&o.stdout).unwrap()["status"], "Expired");
    let o = env.run_at("2026-12-31T23:59:59Z", &["--as", BUYER, "offers", "accept", &offer]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(is_id(o.stdout.trim_end(), "agmt-", 25), "{o:?}");
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    env.usage_error(&["--as", PARTNER, "offers", "list", "--bogus"], &["--bogus"]);
    env.usage_error(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            BUYER,
            "--expires",
            "2026-12-31",
            "--name",
            "x",
        ],
        &["--markup"],
    );
    env.usage_error(&["accounts", "add", "555555555555", "--name", "No role"], &["--isv"]);
    env.usage_error(
        &["--as", ISV, "opportunities", "create", "--partner", PARTNER, "--product", &product, "--name", "x"],
        &["--discount"],
    );
    env.usage_error(&["offers", "frobnicate"], &["frobnicate"]);
}

// ---------------------------------------------------------------------------------------
// Visibility
// ---------------------------------------------------------------------------------------

#[test]
fn another_buyers_offer_is_not_found_exactly_like_a_missing_one() {
    let Example { env, offer, .. } = worked_example();
    let missing = "offer-ZZZZZZZZZZZZZ";
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "show", &offer], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "show", missing], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace(missing, "<id>"));
    // The same with --json: still one line on stderr, nothing on stdout.
    let theirs = env.refused(&["--as", OTHER_BUYER, "offers", "show", &offer, "--json"], &["not found"]);
    let none = env.refused(&["--as", OTHER_BUYER, "offers", "show", missing, "--json"], &["not found"]);
    assert_eq!(theirs.replace(&offer, "<id>"), none.replace(missing, "<id>"));
}

#[test]
fn each_party_sees_only_its_figures() {
    let Example { env, offer, .. } = worked_example();

    let buyer = env.json(&["--as", BUYER, "offers", "show", &offer]);
    for k in HIDDEN_FROM_BUYER {
        assert!(!keys(&buyer).contains(k), "the buyer sees `{k}`: {buyer}");
    }
    assert!(!keys(&buyer).contains("description"), "descriptions are never shown to buyers: {buyer}");
    assert_eq!(buyer["buyer_total"], "88000.00");
    assert_eq!(buyer["buyer_account_id"], BUYER);
    for line in buyer["lines"].as_array().unwrap() {
        assert!(line.get("wholesale_price").is_none() && line.get("wholesale_total").is_none(), "{line}");
    }

    let isv = env.json(&["--as", ISV, "offers", "show", &offer]);
    for k in HIDDEN_FROM_ISV {
        assert!(!keys(&isv).contains(k), "the ISV sees `{k}`: {isv}");
    }
    assert_eq!(isv["wholesale_total"], "80000.00");
    assert_eq!(isv["listing_fee"], "2800.00");
    assert_eq!(isv["isv_net"], "77200.00");
    // A recurring opportunity: AWS reports the partner as the buyer to the ISV.
    assert_eq!(isv["buyer_account_id"], PARTNER);
    for line in isv["lines"].as_array().unwrap() {
        assert!(line.get("buyer_price").is_none() && line.get("buyer_total").is_none(), "{line}");
    }

    let partner = env.json(&["--as", PARTNER, "offers", "show", &offer]);
    for k in HIDDEN_FROM_BUYER.iter().chain(&HIDDEN_FROM_ISV) {
        assert!(keys(&partner).contains(*k), "the partner lacks `{k}`: {partner}");
    }

    // The same rules hold in lists, and in the human output.
    let list = env.json(&["--as", BUYER, "offers", "list"]);
    for k in HIDDEN_FROM_BUYER {
        assert!(!keys(&list[0]).contains(k), "the buyer's list shows `{k}`");
    }
    let list = env.json(&["--as", ISV, "offers", "list"]);
    for k in HIDDEN_FROM_ISV {
        assert!(!keys(&list[0]).contains(k), "the ISV's list shows `{k}`");
    }
    let table = env.ok(&["--as", BUYER, "offers", "show", &offer]);
    assert!(!table.contains("80,000.00") && !table.contains("Markup") && !table.contains("Listing fee"), "{table}");
    let table = env.ok(&["--as", ISV, "offers", "list"]);
    assert!(!table.contains("88,000.00") && !table.contains("MARKUP"), "{table}");
}

#[test]
fn a_buyer_lists_only_its_released_offers() {
    let Example { env, opp, offer, .. } = worked_example();
    // A draft for the buyer, and a released offer for someone else.
    let draft = env.create(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            BUYER,
            "--markup",
            "5",
            "--expires",
            "2026-12-31",
            "--name",
            "Contoso draft",
            "--quantity",
            "users=5",
        ],
        "offer-",
        13,
    );
    let other = add_offer(&env, &opp, OTHER_BUYER, "12.5", "Fabrikam 2027", "users=3");

    assert_eq!(ids(&env.json(&["--as", BUYER, "offers", "list"])), [offer.as_str()]);
    assert_eq!(ids(&env.json(&["--as", OTHER_BUYER, "offers", "list"])), [other.as_str()]);
    let mut isv: Vec<String> = ids(&env.json(&["--as", ISV, "offers", "list"])).into_iter().map(String::from).collect();
    isv.sort();
    let mut want = vec![offer.clone(), other.clone()];
    want.sort();
    assert_eq!(isv, want, "the ISV sees released offers only");
    let partner = env.json(&["--as", PARTNER, "offers", "list"]);
    assert_eq!(partner.as_array().unwrap().len(), 3);
    assert!(ids(&partner).contains(&draft.as_str()));
    let table = env.ok(&["--as", BUYER, "offers", "list"]);
    assert!(table.contains(&offer) && !table.contains(&draft) && !table.contains(&other), "{table}");
}

// ---------------------------------------------------------------------------------------
// The remembered acting account
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------

/// Help output, with every CPPO_* variable set to something that must not leak into it.
fn help(args: &[&str]) -> String {
    let env = Env::new();
    let out = Command::cargo_bin("cppo")
        .unwrap()
        .env("CPPO_DB", "/secret/path/x.db")
        .env("CPPO_AS", "999999999999")
        .env("CPPO_NOW", "1999-01-01")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env("HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .args(args)
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("/secret").not())
        .stdout(predicate::str::contains("999999999999").not())
        .stdout(predicate::str::contains("1999").not())
        .get_output()
        .stdout
        .clone();
    assert!(!env.db.exists() && !Path::new("/secret/path/x.db").exists(), "help opens no file");
    String::from_utf8(out).unwrap()
}

#[test]
fn help_snapshot() {
    insta::assert_snapshot!("help", help(&["--help"]));
}

#[test]
fn offers_create_help_snapshot() {
    insta::assert_snapshot!("offers_create_help", help(&["offers", "create", "--help"]));
}

#[test]
fn partner_offers_table_snapshot() {
    let Example { env, opp, .. } = worked_example();
    env.create(
        &[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            &opp,
            "--buyer",
            OTHER_BUYER,
            "--markup",
            "12.5",
            "--expires",
            "2026-12-15",
            "--name",
            "Fabrikam pilot",
            "--quantity",
            "users=3",
        ],
        "offer-",
        13,
    );
    let table = env.ok(&["--as", PARTNER, "offers", "list"]);
    insta::assert_snapshot!("partner_offers_table", sorted_table(&redact_ids(&table)));
}

#[test]
fn redaction_keeps_widths_and_leaves_other_text() {
    assert_eq!(redact_ids("offer-Ab3dE6gH9jK1m  x"), "offer-XXXXXXXXXXXXX  x");
    assert_eq!(redact_ids("offer-short offer-"), "offer-short offer-");
    assert_eq!(redact_ids("agmt-0123456789012345678901234."), format!("agmt-{}.", "X".repeat(25)));
}

// ---- bugs of the typed-views review ----------------------------------------------------------

#[test]
fn a_scale_beyond_the_limit_is_refused_before_anything_is_loaded() {
    let env = Env::new();
    let o = env.run(&["demo", "--scale", "18446744073709551615"]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("at most 20,000,000"), "{}", o.stderr);
    assert_eq!(env.run(&["accounts", "list"]).stdout.lines().count(), 1, "nothing was loaded (only the header)");
}

#[test]
fn the_last_day_of_the_calendar_is_refused_not_read_back_as_no_date() {
    let env = Env::new();
    env.ok(&["demo"]);
    let o = env.run(&[
        "--as",
        "418227093615",
        "opportunities",
        "create",
        "--product",
        "prod-jk85Xi2WeUDfT",
        "--partner",
        "902174365518",
        "--name",
        "Forever",
        "--discount",
        "10",
        "--currency",
        "USD",
        "--until",
        "9999-12-31",
    ]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stderr.contains("9999-12-31 is past the last day cppo holds (9999-12-30)"), "{}", o.stderr);
}
