//! Bugs of the typed-views review (issue 11), each with the test that failed before its fix.

use super::*;

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
