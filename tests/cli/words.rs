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
