//! Each field's parser, on good and bad text, and the whole terms read in one pass.

use super::*;
use crate::domain::opportunity::{OpportunityKind, WholesaleTerms};
use rust_decimal::dec;

fn pair(s: &str) -> Entry {
    Entry::Pair(s.into())
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a_quantity_is_a_whole_number_of_units_up_to_the_cap() {
    assert_eq!(quantity("users", "100"), Ok(100));
    assert_eq!(quantity("users", " 0 "), Ok(0));
    assert_eq!(quantity("users", ""), Ok(0), "a blank form field plans none");
    assert_eq!(quantity("users", &MAX_QUANTITY.to_string()), Ok(MAX_QUANTITY));
    for bad in ["x", "1.5", "-1", "+5", "1e3", "1_000", "1 000"] {
        let e = quantity("users", bad).unwrap_err();
        assert_eq!(e.field, Field::Quantity("users".into()));
        assert!(e.message.ends_with("is not a whole number of units"), "{bad}: {e}");
    }
    for big in ["10000001", "99999999999999999999999"] {
        let e = quantity("users", big).unwrap_err();
        assert_eq!(e.message, format!("`{big}` is too large: at most 10000000 units"));
    }
}

#[test]
fn a_quantity_entry_is_key_equals_n_and_its_error_quotes_the_entry() {
    assert_eq!(quantity_entry(&pair(" users = 5 ")), Ok(("users".into(), 5)));
    assert_eq!(quantity_entry(&Entry::Keyed("users".into(), "".into())), Ok(("users".into(), 0)));
    let e = quantity_entry(&pair("users=x")).unwrap_err();
    assert_eq!(
        (e.field, e.entry.as_deref(), e.message.as_str()),
        (Field::Quantity("users".into()), Some("users=x"), "`x` is not a whole number of units")
    );
    for bad in ["users", "users=", "=5"] {
        let e = quantity_entry(&pair(bad)).unwrap_err();
        assert_eq!((e.entry.as_deref(), e.message.as_str()), (Some(bad), "use KEY=N"), "{bad}");
    }
    let keyed = quantity_entry(&Entry::Keyed("users".into(), "x".into())).unwrap_err();
    assert_eq!(keyed.entry, None, "a form field is named by its key, not an entry");
}

#[test]
fn markup_and_discount_are_percentages_within_their_limits() {
    assert_eq!(markup("10%"), Ok(dec!(10)));
    assert_eq!(markup("0.123456789"), Ok(dec!(0.123456789)));
    assert!(markup("1e3").unwrap_err().message.contains("`1e3` is not a number"));
    assert!(markup("10001").unwrap_err().message.contains("is too large"));
    assert_eq!(markup("").unwrap_err().field, Field::Markup);
    assert_eq!(discount(" 12.5 % "), Ok(dec!(12.5)));
    let e = discount("150").unwrap_err();
    assert_eq!((e.field, e.message.as_str()), (Field::Discount, "discount % `150` is too large: at most 100"));
}

#[test]
fn a_price_names_its_dimension() {
    assert_eq!(price("users", "800.000001"), Ok(dec!(800.000001)));
    assert_eq!(price_entry(&pair("users=80")), Ok(("users".into(), dec!(80))));
    let e = price_entry(&pair("users=abc")).unwrap_err();
    assert_eq!((&e.field, e.entry.as_deref()), (&Field::Price("users".into()), Some("users=abc")));
    assert!(e.message.starts_with("wholesale price of `users` `abc` is not a number"), "{e}");
    assert!(price("users", "").unwrap_err().message.contains("is empty"));
    assert_eq!(price_entry(&pair("users")).unwrap_err().message, "use KEY=AMOUNT");
}

#[test]
fn dates_are_calendar_days_cppo_can_store() {
    assert_eq!(date(Field::Expires, "2026-12-31"), Ok(day("2026-12-31")));
    let e = date(Field::EndsOn, "2026-02-30").unwrap_err();
    assert_eq!(
        (e.field, e.message.as_str()),
        (Field::EndsOn, "`2026-02-30` is no such day: February 2026 has 28 days")
    );
    assert!(date(Field::Expires, "31/12/2026").unwrap_err().message.contains("use YYYY-MM-DD"));
    assert!(date(Field::Expires, "9999-12-31").unwrap_err().message.contains("past the last day"));
}

#[test]
fn an_installment_is_a_date_and_an_amount_of_the_currency() {
    assert_eq!(installment(&pair("2027-01-15=1000.50"), Currency::Usd), Ok((day("2027-01-15"), dec!(1000.50))));
    let e = installment(&pair("2027-01-15=10.5"), Currency::Jpy).unwrap_err();
    assert_eq!((&e.field, e.entry.as_deref()), (&Field::Installment, Some("2027-01-15=10.5")));
    assert!(e.message.contains("whole numbers"), "{e}");
    assert!(installment(&pair("tomorrow=5"), Currency::Usd).unwrap_err().message.contains("is not a date"));
    assert_eq!(installment(&pair("2027-01-15"), Currency::Usd).unwrap_err().message, "use DATE=AMOUNT");
}

#[test]
fn grants_are_typed_as_key_equals_units_comma_separated() {
    let g = |v: &[(&str, u64)]| v.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect::<Vec<_>>();
    assert_eq!(grants(" users=50, admins = 2 ,"), Ok(g(&[("users", 50), ("admins", 2)])));
    assert!(grants("").unwrap().is_empty());
    for bad in ["users", "users=", "=5", "users=5.5", "users=-1", "users=1e3"] {
        let e = grants(bad).unwrap_err();
        assert_eq!(e.field, Field::Grants);
        assert!(e.message.ends_with("is not a grant: use KEY=UNITS, e.g. users=50"), "{bad}: {e}");
    }
    assert_eq!(
        grants("users=99999999999999999999").unwrap_err().message,
        "`users` granted 99999999999999999999 units: grant 1 to 10000000"
    );
}

#[test]
fn accounts_currency_and_duration_name_their_field() {
    assert_eq!(account(Field::Buyer, " 123456789012 ").unwrap().as_str(), "123456789012");
    let e = account(Field::Partner, "12345").unwrap_err();
    assert_eq!(e.field, Field::Partner);
    assert!(e.message.contains("12 digits"));
    let two = buyers("111111111111, 222222222222 333333333333").unwrap();
    assert_eq!(two.len(), 3);
    assert_eq!(buyers("111111111111,12").unwrap_err().field, Field::Buyers);
    assert!(buyers("").unwrap().is_empty());
    // As the console shows them, spaced or dashed, among others.
    let pasted = buyers("1111 1111 1111 2222-2222-2222, 333333333333").unwrap();
    let digits: Vec<&str> = pasted.iter().map(AccountId::as_str).collect();
    assert_eq!(digits, ["111111111111", "222222222222", "333333333333"]);
    assert_eq!(currency("jpy"), Ok(Currency::Jpy));
    assert_eq!(currency("XYZ").unwrap_err().field, Field::Currency);
    assert_eq!(duration("p12m"), Ok(crate::domain::product::Duration::P12M));
    assert!(duration("12 months").unwrap_err().message.contains("not a contract duration"));
}

fn offer_text() -> OfferText {
    OfferText {
        name: "Contoso 2027".into(),
        buyer: Some("333333333333".into()),
        markup: "10".into(),
        expires: Some("2026-12-31".into()),
        quantities: vec![pair("users=100")],
        ..OfferText::default()
    }
}

#[test]
fn offer_text_reads_into_terms() {
    let t = offer_text().parse().unwrap();
    assert_eq!(
        (t.markup_pct, t.expires_on, t.quantities),
        (dec!(10), Some(day("2026-12-31")), vec![("users".into(), 100)])
    );
    assert_eq!(t.buyer.unwrap().as_str(), "333333333333");
    let blank = OfferText { buyer: None, expires: None, ..offer_text() }.parse().unwrap();
    assert_eq!((blank.buyer, blank.expires_on, blank.duration), (None, None, None));
}

#[test]
fn offer_text_reports_every_bad_field_in_order_and_parse_the_first() {
    let text = OfferText {
        markup: "1e3".into(),
        quantities: vec![pair("users=20000000"), pair("admins=2")],
        duration: Some("forever".into()),
        ..offer_text()
    };
    let fields: Vec<Field> = text.parse_all().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, [Field::Markup, Field::Quantity("users".into()), Field::Duration]);
    assert_eq!(text.parse().unwrap_err().field, Field::Markup);
}

fn opportunity_text() -> OpportunityText {
    OpportunityText {
        partner: "222222222222".into(),
        name: "Acme resale".into(),
        description: String::new(),
        kind: OpportunityKind::Recurring,
        buyers: vec!["333333333333".into()],
        currency: "USD".into(),
        discount: None,
        prices: vec![pair("users=800"), pair("calls=0.008")],
        ends_on: Some("2027-06-30".into()),
        renewal: false,
        installments: vec![pair("2027-01-15=1000")],
        grants: vec!["users=50".into()],
        net_payment_days: Some(30),
        eula_url: None,
    }
}

#[test]
fn opportunity_text_reads_into_terms() {
    let t = opportunity_text().parse().unwrap();
    assert_eq!(t.wholesale, WholesaleTerms::Prices(vec![("users".into(), dec!(800)), ("calls".into(), dec!(0.008))]));
    assert_eq!(
        (t.ends_on, t.installments, t.grants),
        (Some(day("2027-06-30")), vec![(day("2027-01-15"), dec!(1000))], vec![("users".into(), 50)])
    );
    assert_eq!((t.buyers.len(), t.net_payment_days), (1, Some(30)));
}

#[test]
fn a_discount_prices_the_opportunity_and_the_prices_typed_are_not_read() {
    let text = OpportunityText { discount: Some("20".into()), prices: vec![pair("users=junk")], ..opportunity_text() };
    assert_eq!(text.parse().unwrap().wholesale, WholesaleTerms::Discount(dec!(20)));
}

#[test]
fn opportunity_text_reports_every_bad_field() {
    let text = OpportunityText {
        partner: "2".into(),
        currency: "XYZ".into(),
        prices: vec![pair("users=-1")],
        installments: vec![pair("2027-01-15=1000")],
        grants: vec!["users=ten".into()],
        ..opportunity_text()
    };
    let fields: Vec<Field> = text.parse_all().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, [Field::Partner, Field::Currency, Field::Price("users".into()), Field::Grants]);
}
