//! Records made in cppo, linked back to the entities AWS created from their exports: `cppo
//! import` of AWS's `describe-change-set` answer (written from AWS's documented shape,
//! `support/aws_answers.rs`), on a real file. SUCCEEDED links the record to AWS's id,
//! keeping its history and offers, after which AWS's copy imports without a duplicate; FAILED
//! keeps AWS's errors beside the record, which stays local. Every export is checked against
//! AWS's request model (and botocore's, where it is installed).

use crate::aws_cli;
use crate::aws_model;
use crate::common;
use crate::require;

use common::{BUYER, Fixture, ISV, PARTNER, STRANGER, aws_answers, id, record};
use cppo::aws::changeset::Exported;
use cppo::aws::import::read;
use cppo::domain::opportunity::OpportunityKind;
use cppo::domain::{OfferId, OfferState, OpportunityId, OpportunityState};
use cppo::market::actions::Verb;
use cppo::market::{ImportLine, ImportOptions, ImportReport, Market, Outcome};
use require::{Tool, require};
use rust_decimal::dec;
use serde_json::{Value, json};

const RA_AWS: &str = "resaleauthz-7hq2vx9kd4m1s";
const OFFER_AWS: &str = "offer-3mz8wq1tc6k2r";

/// The change set `actor` exports for `record`, as the AWS CLI reads it (checked against AWS's model).
fn export(m: &Market, actor: &str, what: &str, release: bool) -> Value {
    let v: Value =
        serde_json::from_str(&m.export(&id(actor), &record(what), release).unwrap().change_set.to_json()).unwrap();
    assert_eq!(aws_model::check_start_change_set(&v), Vec::<String>::new(), "{v:#}");
    v
}

fn import_as(m: &mut Market, actor: &str, doc: &Value, dry_run: bool) -> ImportReport {
    let entries = read("answer.json", &doc.to_string()).unwrap();
    m.import(&id(actor), &entries, ImportOptions { dry_run, ..ImportOptions::default() }).unwrap()
}

/// The single line of importing `doc` as `actor`.
fn import(m: &mut Market, actor: &str, doc: &Value) -> ImportLine {
    import_as(m, actor, doc, false).lines.remove(0)
}

fn ra(s: &str) -> OpportunityId {
    OpportunityId::parse(s).unwrap()
}

fn skipped_because(line: &ImportLine) -> &str {
    match &line.outcome {
        Outcome::Skipped(why) => why,
        other => panic!("expected a skip, got {other:?} ({line:?})"),
    }
}

/// Every row of every table of the file at `path`, to prove that nothing was written.
fn dump(path: &std::path::Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    let tables: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    tables
        .into_iter()
        .map(|t| {
            let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let cols = st.column_count();
            let mut rows: Vec<String> = st
                .query_map([], |r| {
                    Ok((0..cols).map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap())).collect())
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            (t, rows)
        })
        .collect()
}

#[test]
fn a_succeeded_answer_gives_the_record_awss_id_with_its_history_and_its_offers() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &local, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    // AWS's list-entities summary of the new authorization, imported before the answer.
    let summary = json!({"EntitySummaryList": [{"EntityId": RA_AWS, "EntityType": "ResaleAuthorization",
        "ResaleAuthorizationSummary": {"Name": "Acme Insight resale 2027", "ManufacturerAccountId": ISV,
                                       "ResellerAccountID": PARTNER, "Status": "Active"}}]});
    assert_eq!(import(&mut f.market, ISV, &summary).outcome, Outcome::Created);
    let request = export(&f.market, ISV, local.as_str(), false);
    let exported = Exported::from_name(request["ChangeSetName"].as_str().unwrap()).unwrap();
    let version = f.market.opportunity(&id(ISV), &local).unwrap().0.version;
    assert_eq!((exported.id.as_str(), exported.version, exported.creates), (local.as_str(), version, true));
    let history = f.market.events(&id(ISV), Some(local.as_str())).unwrap();

    let line = import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ra1", RA_AWS));
    assert_eq!(line.outcome, Outcome::Linked(RA_AWS.into()));
    assert_eq!((line.id.as_deref(), line.kind), (Some(local.as_str()), "opportunity"));
    assert!(line.what.contains(&format!("now {RA_AWS}, the id AWS gave it")), "{line:?}");

    // One record, now under AWS's id: its source says so, and it agrees with AWS.
    let (o, view) = f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap();
    assert_eq!(o.name, "Acme Insight resale 2027");
    let aws = view.aws.expect("an AWS source");
    assert_eq!((aws.revision.as_deref(), aws.changed_locally), (Some("1"), false));
    assert!(aws.words().contains(&format!("linked 2026-11-26 12:00 UTC (made in cppo as {local})")), "{}", aws.words());
    let err = f.market.opportunity(&id(ISV), &local).unwrap_err().to_string();
    assert!(err.contains(&format!("{local} was made in cppo and is now {RA_AWS}")), "{err}");
    assert!(f.market.summaries(&id(ISV)).unwrap().is_empty(), "the record replaces AWS's summary");
    // Its history and its offers came along.
    let events = f.market.events(&id(ISV), Some(RA_AWS)).unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.len(), history.len() + 1);
    assert_eq!((actions[0], actions.last().copied()), ("create", Some("link")));
    assert_eq!(events.last().unwrap().details["former_id"], local.as_str());
    assert!(f.market.events(&id(ISV), Some(local.as_str())).unwrap().is_empty());
    let made = f.market.offers_of_opportunity(&id(PARTNER), &ra(RA_AWS)).unwrap();
    assert_eq!(made.iter().map(|o| &o.id).collect::<Vec<_>>(), [&offer]);
    assert_eq!(f.market.offer(&id(PARTNER), &offer).unwrap().0.offer.opportunity_id.as_str(), RA_AWS);

    // Exports now act on AWS's entity: nothing moved, then an end is a restriction of it.
    let err = f.market.export(&id(ISV), &record(RA_AWS), false).unwrap_err().to_string();
    assert!(err.starts_with(&format!("nothing to send: {RA_AWS} is as AWS held it")), "{err}");
    f.market.end_opportunity(&id(ISV), &ra(RA_AWS)).unwrap();
    let end = export(&f.market, ISV, RA_AWS, false);
    assert_eq!(end["ChangeSet"][0]["ChangeType"], "RestrictResaleAuthorization");
    assert_eq!(end["ChangeSet"][0]["Entity"]["Identifier"], RA_AWS);
}

#[test]
fn awss_copy_of_a_linked_record_imports_as_it_and_a_change_since_the_export_is_a_conflict() {
    let mut f = Fixture::new();
    let terms = f.terms(OpportunityKind::Recurring, dec!(20));
    let local = f.market.create_opportunity(&id(ISV), &f.product, terms.clone(), false).unwrap();
    let request = export(&f.market, ISV, local.as_str(), false);
    let line = import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ra1", RA_AWS));
    assert_eq!(line.outcome, Outcome::Linked(RA_AWS.into()));
    // AWS's copy is what the export sent: the file already holds it, under its id.
    let mut described = aws_answers::described(&request, RA_AWS, ISV, &[("users", "user")]);
    described["LastModifiedDate"] = json!("2026-11-26T09:14:41Z"); // the change set's end
    let before = dump(&f.path);
    let line = import(&mut f.market, ISV, &described);
    assert_eq!((line.id.as_deref(), &line.outcome), (Some(RA_AWS), &Outcome::Unchanged), "{line:?}");
    assert_eq!(dump(&f.path), before, "no duplicate, nothing rewritten");
    let (o, _) = f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap();
    assert_eq!(o.discount_pct, Some(dec!(20)), "the discount the prices were made with stays");

    // Edited in cppo since: AWS's copy is a conflict, and the export sends the draft's terms.
    let mut edited = terms.clone();
    edited.name = "Acme Insight resale 2027 (wider)".into();
    f.market.edit_opportunity(&id(ISV), &ra(RA_AWS), edited, None).unwrap();
    assert!(f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap().1.aws.unwrap().changed_locally);
    let line = import(&mut f.market, ISV, &described);
    assert!(matches!(&line.outcome, Outcome::Conflict(why) if why.contains("changed in cppo since its import")));
    let update = export(&f.market, ISV, RA_AWS, false);
    let info = update["ChangeSet"].as_array().unwrap().iter().find(|c| c["ChangeType"] == "UpdateInformation");
    assert_eq!(info.unwrap()["DetailsDocument"]["Name"], "Acme Insight resale 2027 (wider)");
    assert!(update["ChangeSet"].as_array().unwrap().iter().all(|c| c["Entity"]["Identifier"] == RA_AWS));

    // A draft edited between its export and AWS's answer is changed in cppo from the start.
    let other = f.market.create_opportunity(&id(ISV), &f.product, terms.clone(), false).unwrap();
    let request = export(&f.market, ISV, other.as_str(), false);
    f.market.edit_opportunity(&id(ISV), &other, terms, None).unwrap();
    let aws_id = "resaleauthz-2bv6np8rk3w5y";
    assert_eq!(
        import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ra2", aws_id)).outcome,
        Outcome::Linked(aws_id.into())
    );
    assert!(f.market.opportunity(&id(ISV), &ra(aws_id)).unwrap().1.aws.unwrap().changed_locally);
}

#[test]
fn a_failed_answer_keeps_awss_errors_beside_the_record_which_stays_local_until_a_later_answer() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let request = export(&f.market, ISV, local.as_str(), false);
    let refused = aws_answers::failed(
        &request,
        "cs-fail1",
        &[
            ("UpdatePricingTerms", "INVALID_PRICE", "The price of users must be less than the list price"),
            ("UpdateLegalTerms", "INVALID_EULA", "The EULA could not be read"),
        ],
    );
    let version = f.market.opportunity(&id(ISV), &local).unwrap().0.version;
    let line = import(&mut f.market, ISV, &refused);
    let Outcome::Failed(why) = &line.outcome else { panic!("{line:?}") };
    let head = format!(
        "AWS refused change set cs-fail1 (CLIENT_ERROR) of version {version}: UpdatePricingTerms: INVALID_PRICE"
    );
    assert!(why.starts_with(&head), "{why}");
    assert!(why.contains("UpdateLegalTerms: INVALID_EULA The EULA could not be read"), "{why}");

    // The record stays as it was, under its own id, with AWS's errors beside it for its ISV.
    let (o, view) = f.market.opportunity(&id(ISV), &local).unwrap();
    assert_eq!(o.version, version, "the record is as it was");
    assert!(view.aws.is_none());
    let r = view.aws_refusal.expect("the refusal beside it");
    assert_eq!(r.words(), format!("change set cs-fail1 (CLIENT_ERROR) of version {version}, 2026-11-26 12:00 UTC"));
    assert_eq!(
        r.errors,
        [
            "UpdatePricingTerms: INVALID_PRICE The price of users must be less than the list price",
            "UpdateLegalTerms: INVALID_EULA The EULA could not be read"
        ]
    );
    let (_, partners) = f.market.opportunity(&id(PARTNER), &local).unwrap();
    assert!(partners.aws_refusal.is_none(), "AWS's messages are the ISV's");
    let isv_events = f.market.events(&id(ISV), Some(local.as_str())).unwrap();
    assert_eq!(isv_events.last().unwrap().action, "export_failed");
    assert!(f.market.events(&id(PARTNER), Some(local.as_str())).unwrap().iter().all(|e| e.action != "export_failed"));
    // The same answer again changes nothing; the export still creates the record.
    assert_eq!(import(&mut f.market, ISV, &refused).outcome, Outcome::Unchanged);
    assert_eq!(
        export(&f.market, ISV, local.as_str(), false)["ChangeSet"][0]["ChangeType"],
        "CreateResaleAuthorization"
    );

    // A later export that AWS applied links it, and the refusal goes.
    let line = import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ok2", RA_AWS));
    assert_eq!(line.outcome, Outcome::Linked(RA_AWS.into()));
    assert!(f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap().1.aws_refusal.is_none());
    // The earlier refusal, imported after, no longer concerns it.
    let why = skipped_because(&import(&mut f.market, ISV, &refused)).to_owned();
    assert!(why.contains(&format!("{local} is {RA_AWS} since change set cs-ok2")), "{why}");

    // An update of AWS's entity refused, then applied: shown, then cleared.
    f.market.end_opportunity(&id(ISV), &ra(RA_AWS)).unwrap();
    let end = export(&f.market, ISV, RA_AWS, false);
    let line = import(
        &mut f.market,
        ISV,
        &aws_answers::failed(
            &end,
            "cs-end1",
            &[("RestrictResaleAuthorization", "RESOURCE_LOCKED", "Another change set is in progress")],
        ),
    );
    assert!(matches!(line.outcome, Outcome::Failed(_)), "{line:?}");
    assert!(f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap().1.aws_refusal.is_some());
    let line = import(&mut f.market, ISV, &aws_answers::succeeded(&end, "cs-end2", RA_AWS));
    assert_eq!(line.outcome, Outcome::Updated);
    assert!(f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap().1.aws_refusal.is_none());
}

#[test]
fn an_answer_that_released_the_entity_links_a_released_record_and_awss_copy_imports_unchanged() {
    let mut f = Fixture::new();
    let terms = f.terms(OpportunityKind::Recurring, dec!(20));
    let local = f.market.create_opportunity(&id(ISV), &f.product, terms.clone(), false).unwrap();
    let request = export(&f.market, ISV, local.as_str(), true);
    let line = import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ra1", RA_AWS));
    assert_eq!(line.outcome, Outcome::Linked(RA_AWS.into()));
    let (o, view) = f.market.opportunity(&id(ISV), &ra(RA_AWS)).unwrap();
    assert_eq!(o.state, OpportunityState::Active, "AWS released it, as the export asked");
    assert!(!view.aws.unwrap().changed_locally, "the release is AWS's, not a change in cppo");
    let described = aws_answers::described(&request, RA_AWS, ISV, &[("users", "user")]);
    assert_eq!(import(&mut f.market, ISV, &described).outcome, Outcome::Unchanged);

    // Edited between its export and AWS's answer: released, and still changed in cppo.
    let other = f.market.create_opportunity(&id(ISV), &f.product, terms.clone(), false).unwrap();
    let request = export(&f.market, ISV, other.as_str(), true);
    f.market.edit_opportunity(&id(ISV), &other, terms, None).unwrap();
    let aws_id = "resaleauthz-2bv6np8rk3w5y";
    import(&mut f.market, ISV, &aws_answers::succeeded(&request, "cs-ra2", aws_id));
    let (o, view) = f.market.opportunity(&id(ISV), &ra(aws_id)).unwrap();
    assert_eq!(o.state, OpportunityState::Active);
    assert!(view.aws.unwrap().changed_locally);
}

#[test]
fn an_offer_on_an_opportunity_made_in_cppo_exports_once_aws_holds_it_and_links_the_same_way() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &local, Fixture::offer_terms(BUYER, dec!(12.5), 5), false).unwrap();
    let export_verdict = |m: &Market| {
        let (rec, _) = m.offer(&id(PARTNER), &offer).unwrap();
        let opp = m.opportunity_record(&rec.offer.opportunity_id).unwrap();
        m.offer_actions(&id(PARTNER), &rec.offer, &opp, None).into_iter().find(|(v, _)| *v == Verb::Export).unwrap().1
    };
    let err = f.market.export(&id(PARTNER), &record(offer.as_str()), true).unwrap_err().to_string();
    assert!(err.contains(&format!("its opportunity {local} was made in cppo and AWS does not hold it yet")), "{err}");
    assert!(err.contains("import its describe-change-set answer"), "{err}");
    assert_eq!(export_verdict(&f.market), Err(err.clone()), "the TUI's X says the same");

    let opp = f.on_aws(&local);
    assert_eq!(export_verdict(&f.market), Ok(()));
    let request = export(&f.market, PARTNER, offer.as_str(), true);
    assert_eq!(request["ChangeSet"][0]["DetailsDocument"]["ResaleAuthorizationId"], opp.as_str());
    // Only the partner links its offer; the ISV does not even see the draft.
    let answer = aws_answers::succeeded(&request, "cs-of1", OFFER_AWS);
    let why = skipped_because(&import(&mut f.market, ISV, &answer)).to_owned();
    assert_eq!(
        why,
        format!("{offer} is another account's record in this file: only its ISV or its partner imports it")
    );
    let line = import(&mut f.market, PARTNER, &answer);
    assert_eq!((line.kind, &line.outcome), ("offer", &Outcome::Linked(OFFER_AWS.into())));
    let (rec, view) = f.market.offer(&id(PARTNER), &OfferId::parse(OFFER_AWS).unwrap()).unwrap();
    assert_eq!(rec.offer.quantities.len(), 1, "planned quantities stay");
    assert_eq!(rec.offer.state, OfferState::Released, "released on AWS, as the export asked");
    assert!(view.aws.unwrap().words().contains(&format!("made in cppo as {offer}")));
    // AWS's describe of it is what cppo holds: unchanged, no duplicate.
    let mut described = aws_answers::described(&request, OFFER_AWS, PARTNER, &[]);
    described["DetailsDocument"]["ProductId"] = json!(f.product.as_str());
    let offers_before = f.market.count_offers(&id(PARTNER), None, None).unwrap();
    assert_eq!(import(&mut f.market, PARTNER, &described).outcome, Outcome::Unchanged);
    assert_eq!(f.market.count_offers(&id(PARTNER), None, None).unwrap(), offers_before);
    let (rec, _) = f.market.offer(&id(PARTNER), &OfferId::parse(OFFER_AWS).unwrap()).unwrap();
    assert_eq!(rec.offer.state, OfferState::Released);
}

#[test]
fn only_the_exporter_links_and_a_dry_run_reveals_nothing_to_others() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let request = export(&f.market, ISV, local.as_str(), false);
    let answer = aws_answers::succeeded(&request, "cs-ra1", RA_AWS);
    let before = dump(&f.path);
    // The partner sees the opportunity but did not export it; the stranger learns nothing.
    let why = skipped_because(&import(&mut f.market, PARTNER, &answer)).to_owned();
    assert_eq!(why, format!("only its ISV ({ISV}) links {local} to AWS: it is the ISV's export"));
    let hidden = format!("{local} is another account's record in this file: only its ISV or its partner imports it");
    assert_eq!(skipped_because(&import(&mut f.market, STRANGER, &answer)), hidden);
    let dry = import_as(&mut f.market, STRANGER, &answer, true);
    assert_eq!(skipped_because(&dry.lines[0]), hidden, "a dry run tells no more");
    // The ISV's dry run says what would happen, and writes nothing.
    let dry = import_as(&mut f.market, ISV, &answer, true);
    assert_eq!(dry.lines[0].outcome, Outcome::Linked(RA_AWS.into()));
    assert_eq!(dump(&f.path), before);
    assert!(f.market.opportunity(&id(ISV), &local).is_ok());
    // Once linked, the same answer is `unchanged` to the ISV; to the stranger still nothing.
    assert_eq!(import(&mut f.market, ISV, &answer).outcome, Outcome::Linked(RA_AWS.into()));
    assert_eq!(import(&mut f.market, ISV, &answer).outcome, Outcome::Unchanged);
    assert_eq!(skipped_because(&import(&mut f.market, STRANGER, &answer)), hidden);
    let err = f.market.opportunity(&id(STRANGER), &local).unwrap_err().to_string();
    assert_eq!(err, format!("opportunity {local} not found"), "the old id tells a stranger nothing");
}

#[test]
fn answers_that_link_nothing_say_why_and_write_nothing() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let request = export(&f.market, ISV, local.as_str(), false);
    let mut answer = aws_answers::succeeded(&request, "cs-ra1", RA_AWS);
    let before = dump(&f.path);
    let why = |f: &mut Fixture, answer: &Value| skipped_because(&import(&mut f.market, ISV, answer)).to_owned();

    answer["Status"] = json!("APPLYING");
    assert!(why(&mut f, &answer).starts_with("AWS is still working on change set cs-ra1 (APPLYING): import"));
    answer["Status"] = json!("CANCELLED");
    assert_eq!(
        why(&mut f, &answer),
        format!("change set cs-ra1 was cancelled: AWS applied nothing, and {local} stays as it is")
    );
    answer["Status"] = json!("SUCCEEDED");
    // Named by AWS, not by cppo's export (AWS's own answer is such).
    let mut unnamed = answer.clone();
    unnamed["ChangeSetName"] = json!("Submitted by 111111111111");
    assert!(
        why(&mut f, &unnamed).contains("was not written by `cppo export` (its name is `Submitted by 111111111111`)")
    );
    let real = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aws/real/refcode-postman-describechangeset-ra-create-succeeded.json"
    ))
    .unwrap();
    let r = f.market.import(&id(ISV), &read("real.json", &real).unwrap(), ImportOptions::default()).unwrap();
    assert!(skipped_because(&r.lines[0]).contains("was not written by `cppo export`"));
    // Of a version the record never had, or of a record the file does not hold.
    let mut later = answer.clone();
    later["ChangeSetName"] = json!(format!("cppo create {local} v9"));
    assert!(why(&mut f, &later).contains("exported from version 9 of"), "{later}");
    let mut elsewhere = answer.clone();
    elsewhere["ChangeSetName"] = json!("cppo create resaleauthz-4fk9sd2mq7x1c v0");
    assert_eq!(
        why(&mut f, &elsewhere),
        "resaleauthz-4fk9sd2mq7x1c is not in this file: import the answer into the file it was exported from"
    );
    // Without the create change's id.
    let mut no_id = answer.clone();
    no_id["ChangeSet"][0]["Entity"].as_object_mut().unwrap().remove("Identifier");
    assert!(why(&mut f, &no_id).contains("gives no Entity.Identifier"));
    assert_eq!(dump(&f.path), before);

    // AWS's id taken by another record of the file: refused, not merged.
    let other = f.opportunity(OpportunityKind::Recurring);
    let taken_by = f.on_aws(&other);
    let mut taken = answer.clone();
    taken["ChangeSet"][0]["Entity"]["Identifier"] = json!(format!("{taken_by}@1"));
    assert!(why(&mut f, &taken).starts_with(&format!("AWS's id {taken_by} is a record of this file already")));
    // Linked, then a second answer that created another copy on AWS.
    assert_eq!(import(&mut f.market, ISV, &answer).outcome, Outcome::Linked(RA_AWS.into()));
    let second = aws_answers::succeeded(&request, "cs-ra2", "resaleauthz-9zz9zz9zz9zz9");
    assert!(why(&mut f, &second).contains("this change set created resaleauthz-9zz9zz9zz9zz9, a second copy on AWS"));
}

#[test]
fn in_one_import_the_answers_link_before_the_entities_and_the_authorization_before_its_offer() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::Recurring);
    let offer = f.market.create_offer(&id(PARTNER), &local, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    let ra_request = export(&f.market, ISV, local.as_str(), false);
    let described = aws_answers::described(&ra_request, RA_AWS, ISV, &[("users", "user")]);
    let succeeded = aws_answers::succeeded(&ra_request, "cs-ra1", RA_AWS);
    // AWS's describe first in the input, its change set after: the link still comes first.
    let text = format!("{described}\n{succeeded}");
    let r = f.market.import(&id(ISV), &read("both.jsonl", &text).unwrap(), ImportOptions::default()).unwrap();
    let got: Vec<_> = r.lines.iter().map(|l| (l.id.clone().unwrap(), l.outcome.label())).collect();
    assert_eq!(got, [(RA_AWS.to_owned(), "unchanged"), (local.to_string(), "linked")]);
    assert_eq!(f.market.count_opportunities(&id(ISV), None, None).unwrap(), 1);
    assert_eq!(f.market.offer(&id(PARTNER), &offer).unwrap().0.offer.opportunity_id.as_str(), RA_AWS);
}

#[test]
fn botocore_accepts_the_loops_exports() {
    let mut f = Fixture::new();
    let local = f.opportunity(OpportunityKind::OneTime);
    let offer = f.market.create_offer(&id(PARTNER), &local, Fixture::offer_terms(BUYER, dec!(10), 5), false).unwrap();
    let mut requests = vec![export(&f.market, ISV, local.as_str(), false)];
    f.on_aws(&local);
    requests.push(export(&f.market, PARTNER, offer.as_str(), true));
    let line = import(&mut f.market, PARTNER, &aws_answers::succeeded(&requests[1], "cs-of1", OFFER_AWS));
    assert_eq!(line.outcome, Outcome::Linked(OFFER_AWS.into()));
    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&requests)) else { return };
    assert!(ok, "botocore rejected an export:\n{text}");
}

// ---- The whole loop through the command line --------------------------------------------

/// The file's own folder is the working directory: the exports are written there.
struct Cli(aws_cli::Cli);

impl Cli {
    fn new() -> Self {
        Self(aws_cli::Cli::new())
    }

    /// (exit code, stdout, stderr)
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.0.run_in(self.0.dir.path(), "2026-11-26", args, "")
    }

    /// Stdout of a command that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "cppo {args:?}: {err}");
        out
    }

    fn write(&self, name: &str, v: &Value) -> String {
        std::fs::write(self.0.dir.path().join(name), v.to_string()).unwrap();
        name.to_owned()
    }

    fn read(&self, name: &str) -> Value {
        let v = serde_json::from_str(&std::fs::read_to_string(self.0.dir.path().join(name)).unwrap()).unwrap();
        assert_eq!(aws_model::check_start_change_set(&v), Vec::<String>::new(), "{v:#}");
        v
    }
}

#[test]
fn cli_the_whole_loop_export_refused_then_applied_linked_and_awss_copy_imported_without_a_duplicate() {
    let cli = Cli::new();
    for (account, name, role) in [
        (ISV, "Acme Analytics Inc.", "--isv"),
        (PARTNER, "Northwind Cloud Partners", "--partner"),
        (BUYER, "Contoso Retail Ltd", "--buyer"),
    ] {
        cli.ok(&["accounts", "add", account, "--name", name, role]);
    }
    let product = cli
        .ok(&[
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
        ])
        .trim()
        .to_owned();
    let local = cli
        .ok(&[
            "--as",
            ISV,
            "opportunities",
            "create",
            "--partner",
            PARTNER,
            "--product",
            &product,
            "--name",
            "Acme Insight resale 2027",
            "--discount",
            "20",
            "--until",
            "2027-06-30",
            "--release",
        ])
        .trim()
        .to_owned();
    let (code, _, err) = cli.run(&["--as", ISV, "export", &local, "--out", "ra.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("import its describe-change-set answer (cppo import), and the record takes that id"), "{err}");
    let ra = cli.read("ra.json");

    // AWS refuses it: the errors stand beside the record, in `show` and its JSON.
    let failed = aws_answers::failed(&ra, "cs-0001", &[("UpdatePricingTerms", "INVALID_PRICE", "Price too low")]);
    let out = cli.ok(&["--as", ISV, "import", &cli.write("failed.json", &failed)]);
    assert!(
        out.contains(&format!("{:<9}  {local}  opportunity: AWS refused change set cs-0001 (CLIENT_ERROR)", "failed")),
        "{out}"
    );
    assert!(out.contains("1 entity: 0 created, 0 updated, 0 unchanged, 0 skipped, 0 conflicts, 1 failed"), "{out}");
    let show = cli.ok(&["--as", ISV, "opportunities", "show", &local]);
    let refused = "AWS refused: change set cs-0001 (CLIENT_ERROR) of version 0, 2026-11-26 12:00 UTC: the record stays";
    assert!(show.contains(refused), "{show}");
    assert!(show.contains("AWS error:   UpdatePricingTerms: INVALID_PRICE Price too low"), "{show}");
    let v: Value = serde_json::from_str(&cli.ok(&["--as", ISV, "opportunities", "show", &local, "--json"])).unwrap();
    assert_eq!(v["aws_refusal"]["errors"], json!(["UpdatePricingTerms: INVALID_PRICE Price too low"]));
    let partner_view: Value =
        serde_json::from_str(&cli.ok(&["--as", PARTNER, "opportunities", "show", &local, "--json"])).unwrap();
    assert!(partner_view.get("aws_refusal").is_none(), "{partner_view}");

    // Submitted again, AWS applies it: the record takes AWS's id, its history with it.
    let out = cli.ok(&["--as", ISV, "import", &cli.write("ok.json", &aws_answers::succeeded(&ra, "cs-0002", RA_AWS))]);
    let linked = format!("{:<9}  {local}  opportunity \"Acme Insight resale 2027\": now {RA_AWS}", "linked");
    assert!(out.contains(&linked), "{out}");
    let show = cli.ok(&["--as", ISV, "opportunities", "show", RA_AWS]);
    assert!(show.contains(&format!("(made in cppo as {local})")) && !show.contains("AWS refused"), "{show}");
    let (code, _, err) = cli.run(&["--as", ISV, "opportunities", "show", &local]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{local} was made in cppo and is now {RA_AWS}")), "{err}");
    let events = cli.ok(&["--as", ISV, "events", "list", "--entity", RA_AWS]);
    assert!(events.contains("create") && events.contains("export_failed") && events.contains("link"), "{events}");

    // The partner's offer exports from AWS's id, and links the same way.
    let offer = cli
        .ok(&[
            "--as",
            PARTNER,
            "offers",
            "create",
            "--opportunity",
            RA_AWS,
            "--buyer",
            BUYER,
            "--markup",
            "10",
            "--expires",
            "2026-12-31",
            "--name",
            "Contoso 2027",
            "--quantity",
            "users=5",
        ])
        .trim()
        .to_owned();
    cli.ok(&["--as", PARTNER, "export", &offer, "--release", "--out", "offer.json"]);
    let offer_request = cli.read("offer.json");
    assert_eq!(offer_request["ChangeSet"][0]["DetailsDocument"]["ResaleAuthorizationId"], RA_AWS);
    let answer = aws_answers::succeeded(&offer_request, "cs-0003", OFFER_AWS);
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("offer-ok.json", &answer)]);
    assert!(out.contains(&format!("now {OFFER_AWS}")), "{out}");

    // AWS's copies of both: no duplicate.
    let mut ra_copy = aws_answers::described(&ra, RA_AWS, ISV, &[("users", "user")]);
    ra_copy["DetailsDocument"]["OfferDetails"] = json!({"OfferCreatedCount": 1});
    let out = cli.ok(&["--as", ISV, "import", &cli.write("ra-copy.json", &ra_copy)]);
    assert!(out.contains(&format!("unchanged  {RA_AWS}")), "{out}");
    let mut offer_copy = aws_answers::described(&offer_request, OFFER_AWS, PARTNER, &[]);
    offer_copy["DetailsDocument"]["ProductId"] = json!(product);
    let out = cli.ok(&["--as", PARTNER, "import", &cli.write("offer-copy.json", &offer_copy)]);
    assert!(out.contains(&format!("unchanged  {OFFER_AWS}")), "released when linked, as exported: {out}");
    let list = |what: &str| -> usize {
        let v: Value = serde_json::from_str(&cli.ok(&["--as", PARTNER, what, "list", "--json"])).unwrap();
        v.as_array().unwrap().len()
    };
    assert_eq!((list("opportunities"), list("offers")), (1, 1));
    let Some((ok, text)) = require(Tool::Botocore, aws_model::botocore_check(&[ra, offer_request])) else { return };
    assert!(ok, "botocore rejected an export:\n{text}");
}

#[test]
fn a_refused_draft_keeps_awss_errors_through_its_edits_and_loses_them_when_deleted() {
    let mut f = Fixture::new();
    let terms = f.terms(OpportunityKind::Recurring, dec!(20));
    let draft = f.market.create_opportunity(&id(ISV), &f.product, terms.clone(), false).unwrap();
    let request = export(&f.market, ISV, draft.as_str(), false);
    let refused = aws_answers::failed(&request, "cs-fail1", &[("UpdatePricingTerms", "INVALID_PRICE", "Too low")]);
    assert!(matches!(import(&mut f.market, ISV, &refused).outcome, Outcome::Failed(_)));
    // Fixing the draft keeps what AWS said until a later answer.
    f.market.edit_opportunity(&id(ISV), &draft, f.terms(OpportunityKind::Recurring, dec!(25)), None).unwrap();
    assert!(f.market.opportunity(&id(ISV), &draft).unwrap().1.aws_refusal.is_some());
    f.market.delete_opportunity(&id(ISV), &draft).unwrap();
    let refusals: i64 =
        f.market.store().conn().query_row("SELECT count(*) FROM aws_refusals", [], |r| r.get(0)).unwrap();
    assert_eq!(refusals, 0);
}
