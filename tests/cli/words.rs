//! Issue 22, "Words that mislead", from the shell: refusals in the user's words (never
//! Rust's), Cancelled as its own status, one word per state, the ISV's labels.

use super::*;

/// A number clap reads (`--ending-within`, `--net-terms`, `demo --scale`) is refused in words,
/// never in Rust's (`invalid digit found in string`, `99999 is not in 0..=3650`).
#[test]
fn a_bad_number_is_refused_in_words_not_in_rust() {
    let (env, product, _) = with_opportunity();
    let rust = ["invalid digit", "found in string", "..=", "target type"];
    let cases: [(&[&str], &str); 4] = [
        (&["agreements", "list", "--ending-within", "soon"], "`soon` is not a whole number of days"),
        (&["agreements", "list", "--ending-within", "99999"], "99999 days is too many: at most 3,650"),
        (&["demo", "--scale", "99999999999999999999"], "at most 20,000,000"),
        (
            &[&opportunity_args(&product, "Net", &["--discount", "10"])[..], &["--net-terms", "thirty"]].concat(),
            "`thirty` is not a whole number of days",
        ),
    ];
    for (args, words) in cases {
        let o = env.run(args);
        assert_eq!(o.code, 2, "{args:?}: {o:?}");
        assert!(o.stderr.contains(words), "{args:?}: {}", o.stderr);
        for r in rust {
            assert!(!o.stderr.contains(r), "{args:?} speaks Rust: {}", o.stderr);
        }
    }
    // A percentage's example is a percentage.
    env.refused(&opportunity_args(&product, "Pct", &["--discount", "twenty"]), &["e.g. 12.5"]);
}

/// Cancelled is an offer status of its own in the shell: `--status`, the sort, JSON and the
/// human table tell "we withdrew it" from "the buyer let it lapse".
#[test]
fn a_cancelled_offer_is_cancelled_not_expired_in_filters_sorts_and_json() {
    let (env, _, opp) = with_opportunity();
    let lapsed = add_offer(&env, &opp, BUYER, "10", "Lapsed", "users=1");
    let withdrawn = add_offer(&env, &opp, OTHER_BUYER, "10", "Withdrawn", "users=1");
    env.ok(&["--as", PARTNER, "offers", "cancel", &withdrawn]);
    // A month on, the first offer has lapsed.
    let later = "2027-01-15";
    let list = |status: &str| {
        let out = env.run_at(later, &["--as", PARTNER, "offers", "list", "--status", status, "--json"]);
        assert_eq!(out.code, 0, "{out:?}");
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        ids(&v).iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(list("expired"), [lapsed.as_str()]);
    assert_eq!(list("Cancelled"), [withdrawn.as_str()]);
    let shown: Value =
        serde_json::from_str(&env.run_at(later, &["--as", PARTNER, "offers", "show", &withdrawn, "--json"]).stdout)
            .unwrap();
    assert_eq!((shown["status"].as_str(), shown["cancelled_on"].as_str()), (Some("Cancelled"), Some(TODAY)));
    // Sorted by status: the lapsed one, then the withdrawn one; the table says each.
    let table = env.run_at(later, &["--as", PARTNER, "offers", "list", "--sort", "status"]).stdout;
    let statuses: Vec<&str> =
        table.lines().skip(1).map(|l| if l.contains("Cancelled") { "Cancelled" } else { "Expired" }).collect();
    assert_eq!(statuses, ["Expired", "Cancelled"], "{table}");
    env.refused(&["offers", "list", "--status", "withdrawn"], &["use draft, active, accepted, expired or cancelled"]);
}

/// One word per state, from the domain, in every view: no `(stored state: released)`, no
/// `Authorized (consumed)` beside `Consumed`, no `ACTIVE` in capitals for agreements alone.
#[test]
fn each_state_has_one_word_in_every_view() {
    let Example { env, opp, offer, agreement, .. } = worked_example();
    let status_line = |out: &str| -> Vec<String> {
        let line = out.lines().find(|l| l.starts_with("Status:")).unwrap_or_default();
        line.split_whitespace().map(str::to_owned).collect()
    };
    let shown = env.ok(&["--as", PARTNER, "offers", "show", &offer]);
    assert_eq!(status_line(&shown), ["Status:", "Accepted"], "{shown}");
    let shown = env.ok(&["--as", ISV, "opportunities", "show", &opp]);
    assert_eq!(status_line(&shown), ["Status:", "Reusable"], "{shown}");
    assert!(env.ok(&["--as", ISV, "opportunities", "list"]).contains(" Reusable "));
    let shown = env.ok(&["--as", BUYER, "agreements", "show", &agreement]);
    assert_eq!(status_line(&shown), ["Status:", "Active"], "{shown}");
    let list = env.ok(&["--as", BUYER, "agreements", "list"]);
    assert!(list.contains(" Active ") && !list.contains("ACTIVE"), "{list}");
    // JSON keeps the contract's words: both the stored state and AWS's agreement status.
    assert_eq!(env.json(&["--as", BUYER, "agreements", "show", &agreement])["status"], "ACTIVE");
    assert_eq!(env.json(&["--as", PARTNER, "offers", "show", &offer])["state"], "released");
    assert_eq!(env.json(&["--as", ISV, "opportunities", "show", &opp])["status"], "Reusable");
}
