//! Issue 22's words and ids in the TUI: account ids as the console shows them, Cancelled as
//! its own status, the ISV's labels, one word per state, validation in its time and place.

use super::*;

#[test]
fn an_account_id_pasted_as_the_console_shows_it_picks_and_filters_its_account() {
    let mut ui = demo_as(PARTNER);
    // `@` with the buyer's id grouped by dashes: the one account.
    ui.key(KeyCode::Char('@'));
    ui.chars("2210-7846-3519");
    assert!(ui.screen().contains("1 of 18"), "{}", ui.screen());
    ui.key(KeyCode::Esc);
    // `/` with the id grouped by spaces: the offers to that buyer, as with its 12 digits.
    ui.key(KeyCode::Char('/'));
    ui.chars(BUYER);
    ui.key(KeyCode::Enter);
    let by_digits = ui.app.offers().total().unwrap();
    assert!(by_digits > 0);
    ui.key(KeyCode::Esc);
    ui.key(KeyCode::Char('/'));
    ui.chars("2210 7846 3519");
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.offers().total(), Some(by_digits));
}

#[test]
fn a_new_account_form_opens_without_an_error_and_says_a_role_is_missing_on_save() {
    let mut ui = open(80, 24, None, false);
    ui.key(KeyCode::Char('n'));
    let roles = "an account needs at least one role";
    assert!(!ui.screen().contains(roles), "nothing typed yet, nothing wrong yet:\n{}", ui.screen());
    ui.chars("1234-5678-9012");
    ui.key(KeyCode::Tab);
    ui.chars("Acme Analytics");
    ui.ctrl('s');
    assert!(ui.app.form().is_some(), "no role: not saved");
    assert!(ui.screen().contains(roles), "on save, the missing role is said:\n{}", ui.screen());
}

#[test]
fn an_expiry_past_the_opportunitys_end_is_said_under_the_expiry_field() {
    use cppo::app::form::FieldKey;
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('2'));
    // The first opportunity that takes offers and ends on a day.
    let n = ui.app.opportunities().total().unwrap();
    let takes = |o: &cppo::market::views::OpportunityView| {
        o.ends_on.is_some() && matches!(o.status.key(), "authorized" | "reusable")
    };
    let at = (0..n).find(|&i| ui.app.opportunities().row(i).is_some_and(takes)).expect("an opportunity with an end");
    for _ in 0..at {
        ui.key(KeyCode::Char('j'));
    }
    let ends = ui.app.opportunities().selected().unwrap().ends_on.unwrap();
    ui.key(KeyCode::Char('n'));
    ui.focus(FieldKey::Expires);
    ui.chars(&ends.succ_opt().unwrap().to_string());
    let error = ui.app.form().unwrap().fields.iter().find(|f| f.key == FieldKey::Expires).unwrap().error.clone();
    let says = format!("is after the opportunity's end date {ends}");
    assert!(error.as_deref().is_some_and(|e| e.contains(&says)), "{error:?}");
    assert!(ui.screen().contains("↳ expiry"), "beside the field:\n{}", ui.screen());
    // Its last day is fine.
    ui.key(KeyCode::Backspace);
    ui.key(KeyCode::Backspace);
    ui.chars(&format!("{:02}", ends.format("%d")));
    let error = ui.app.form().unwrap().fields.iter().find(|f| f.key == FieldKey::Expires).unwrap().error.clone();
    assert_eq!(error, None);
}

/// The ISV's Offers column holds the partner (the reseller) and says so; the detail says the
/// end buyer of a recurring opportunity's offer is not disclosed (AWS tells the ISV only the
/// partner), and names a one-time opportunity's buyer, whom the ISV named itself. The
/// Agreements tab says the same in its Buyer column.
#[test]
fn the_isv_sees_the_partner_named_as_partner_and_the_end_buyer_undisclosed() {
    let mut ui = open(80, 24, Some(ISV), true);
    ui.key(KeyCode::Char('3'));
    let header = ui.screen().lines().nth(3).unwrap_or_default().to_owned();
    assert!(header.contains("Partner") && !header.contains("Buyer"), "{header}");
    let n = ui.app.offers().total().unwrap();
    let kind = |ui: &Ui, i: u64| {
        let o = ui.app.offers().row(i).unwrap();
        (o.buyer_disclosed, o.partner_account_id.clone())
    };
    // A recurring opportunity's offer, then a one-time one's.
    for disclosed in [false, true] {
        let at = (0..n).find(|&i| kind(&ui, i).0 == disclosed).expect("an offer of each kind");
        ui.key(KeyCode::Char('g'));
        for _ in 0..at {
            ui.key(KeyCode::Char('j'));
        }
        let screen = ui.screen();
        let buyer = screen.lines().find(|l| l.contains("│Buyer ")).unwrap_or_default().to_owned();
        if disclosed {
            assert!(!buyer.contains("not disclosed") && buyer.contains(char::is_numeric), "{screen}");
        } else {
            assert!(buyer.contains("not disclosed by AWS"), "{screen}");
        }
        let partner = kind(&ui, at).1;
        assert!(screen.contains(&format!("│Partner           {partner}")), "{screen}");
    }
    ui.key(KeyCode::Char('4'));
    assert!(ui.screen().contains("undisclosed"), "{}", ui.screen());
}

/// The partner's review queue (`v`) holds the charges its buyers have not paid by their day,
/// marked overdue and counted in the title.
#[test]
fn the_partners_review_queue_holds_its_buyers_overdue_charges() {
    let mut ui = demo_as(PARTNER);
    ui.key(KeyCode::Char('v'));
    let r = ui.app.review().expect("the queue opens");
    let overdue: Vec<_> =
        r.queue.items.iter().filter(|i| i.kind == cppo::market::actions::ReviewKind::Overdue).cloned().collect();
    assert!(!overdue.is_empty(), "{:?}", r.queue.items);
    assert!(overdue.iter().all(|i| i.overdue && i.due.is_some_and(|d| d < today())));
    assert!(overdue[0].title.contains("owed by"), "{:?}", overdue[0]);
    assert!(ui.screen().contains(" overdue · "), "counted in the title: {}", ui.screen());
    // On its item, the detail is the agreement's.
    let at = r.queue.items.iter().position(|i| i.kind == cppo::market::actions::ReviewKind::Overdue).unwrap();
    for _ in 0..at {
        ui.key(KeyCode::Char(' '));
    }
    assert!(ui.screen().contains("OVERDUE since"), "{}", ui.screen());
    assert!(ui.screen().contains("Agreement "), "{}", ui.screen());
}
