//! The command line as scripts use it (DESIGN.md "CLI"): commands, `--json` shapes, exit
//! codes, one-line refusals that write nothing, visibility, the remembered acting account,
//! and snapshots of the help and of one human table.
//!
//! Every run goes through the shared hermetic [`Env`] (`tests/support/env.rs`): `--db` in a
//! temporary directory that also stands in for the home, "today" fixed with `--now`, no
//! `CPPO_*` from the environment, so nothing touches the real home.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use env::{Env, Out};
use predicates::prelude::*;
use serde_json::{Value, json};

#[path = "../support/demo_file.rs"]
mod demo_file;
#[path = "../support/env.rs"]
mod env;

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

/// Every table's row count and rows (as text), read straight from the file.
type Dump = BTreeMap<String, (i64, Vec<String>)>;

/// The command line's own checks on the shared hermetic [`Env`].
impl Env {
    /// Runs `cppo --db .. --now <now> ARGS`: (exit code, stdout, stderr).
    fn run_at(&self, now: &str, args: &[&str]) -> Out {
        self.output(now, args)
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

/// `--as ISV opportunities create` for `PARTNER` and `product`, named `name`, with `terms`.
fn opportunity_args<'a>(product: &'a str, name: &'a str, terms: &[&'a str]) -> Vec<&'a str> {
    let mut args =
        vec!["--as", ISV, "opportunities", "create", "--partner", PARTNER, "--product", product, "--name", name];
    args.extend_from_slice(terms);
    args
}

/// The ISV grants a recurring 20% opportunity, released.
fn add_opportunity(env: &Env, product: &str) -> String {
    let opp = env.create(&opportunity_args(product, "Acme resale 2027", &["--discount", "20"]), "resaleauthz-", 13);
    let out = env.ok(&["--as", ISV, "opportunities", "release", &opp]);
    assert!(out.starts_with(&opp) && out.contains("released") && out.contains("Authorized"), "{out}");
    opp
}

/// A file with the cast, the ISV's product and its released opportunity to the partner:
/// `(env, product, opportunity)`.
fn with_opportunity() -> (Env, String, String) {
    let env = Env::new();
    add_accounts(&env);
    let product = add_product(&env);
    let opp = add_opportunity(&env, &product);
    (env, product, opp)
}

/// `offers create` by the partner from `opp`, expiring on 2026-12-31 (`buyer`: `None` leaves
/// it to the opportunity).
fn offer_args<'a>(opp: &'a str, buyer: Option<&'a str>, markup: &'a str, name: &'a str, qty: &'a str) -> Vec<&'a str> {
    let mut args = vec!["--as", PARTNER, "offers", "create", "--opportunity", opp];
    if let Some(b) = buyer {
        args.extend(["--buyer", b]);
    }
    args.extend(["--markup", markup, "--expires", "2026-12-31", "--name", name, "--quantity", qty]);
    args
}

/// The partner's draft offer from `opp` to `buyer`, expiring on 2026-12-31; its id.
fn draft_offer(env: &Env, opp: &str, buyer: &str, markup: &str, name: &str, qty: &str) -> String {
    env.create(&offer_args(opp, Some(buyer), markup, name, qty), "offer-", 13)
}

fn add_offer(env: &Env, opp: &str, buyer: &str, markup: &str, name: &str, qty: &str) -> String {
    let offer = draft_offer(env, opp, buyer, markup, name, qty);
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
    let (env, product, opp) = with_opportunity();
    let offer = add_offer(&env, &opp, BUYER, "10", "Contoso 2027", "users=100");
    let agreement = env.create(&["--as", BUYER, "offers", "accept", &offer], "agmt-", 25);
    let paid = env.ok(&["--as", BUYER, "agreements", "pay", &agreement]);
    assert!(paid.starts_with(&format!("Paid 88,000.00 USD of {agreement}")), "{paid}");
    assert!(paid.contains("Every charge of this agreement is paid."), "{paid}");
    Example { env, product, opp, offer, agreement }
}

mod actor;
mod commands;
mod console_ids;
mod example;
mod faults;
mod financing;
mod json_contract;
mod output;
mod refusals;
mod replacement;
mod shell;
mod typed_view_bugs;
mod visibility;
mod words;

// ---------------------------------------------------------------------------------------
// Snapshots (here, so that their files keep the names `cli__*.snap`)
// ---------------------------------------------------------------------------------------

/// Help output, with every CPPO_* variable set to something that must not leak into it.
fn help(args: &[&str]) -> String {
    let env = Env::new();
    let out = assert_cmd::Command::from_std(env::cppo(env.path()))
        .env("CPPO_DB", "/secret/path/x.db")
        .env("CPPO_AS", "999999999999")
        .env("CPPO_NOW", "1999-01-01")
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
