//! The TUI's `P` and `X` against the fake AWS, at app level: the app and the store worker
//! as the event loop drives them (`cppo::tui::settle`), on a file the CLI pulled into first.
//! The SDK reads its endpoint and credentials from the environment, which a test binary's
//! threads share: each test here runs itself again as a child process (this binary, only
//! that test) with the fake's variables, and the parent checks what the fake was asked.

use std::process::Command;

use cppo::app::{App, Effect, Msg, Popup};
use cppo::domain::clock::parse_now;
use cppo::domain::{AccountId, FixedClock};
use cppo::market::Market;
use cppo::sdk::Settings;
use cppo::tui::{Worker, settle};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::pull::{AWS_VARS, CONTOSO, CONTRACT_RA, PARTNER, TODAY, book, ok_json, run};
use crate::env::Env;
use crate::fake_aws::{FakeAws, Outcome};

/// Set in the child: the file it opens.
const CHILD_DB: &str = "CPPO_TEST_TUI_AWS_DB";

/// Where the child's credentials come from.
#[derive(Clone, Copy, PartialEq)]
enum Creds {
    /// The partner's static keys in the environment.
    Static,
    /// Nothing in the environment or `~/.aws`: the instance role the fake's metadata
    /// service hands out (the parent sets it up).
    InstanceRole,
}

/// Runs `test` (this module's test of that name) again in a child process that sees the
/// fake as AWS with the partner's credentials, and `env`'s home and file.
fn in_child(test: &str, env: &Env, fake: &FakeAws, creds: Creds) {
    let mut c = Command::new(std::env::current_exe().unwrap());
    for v in AWS_VARS {
        c.env_remove(v);
    }
    c.envs(crate::env::homed(env.dir.path()))
        .env(CHILD_DB, &env.db)
        .env("AWS_ENDPOINT_URL", &fake.url)
        .env("AWS_MAX_ATTEMPTS", "3")
        .args([&format!("tui::{test}"), "--exact", "--nocapture", "--test-threads=1"]);
    match creds {
        Creds::Static => c
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", format!("AKID{PARTNER}"))
            .env("AWS_SECRET_ACCESS_KEY", "fake-secret-key"),
        Creds::InstanceRole => c.env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fake.url),
    };
    let o = c.output().expect("run the test binary again");
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "the child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child ran no test:\n{stdout}");
}

struct Ui {
    app: App,
    worker: Worker,
}

impl Ui {
    /// The TUI as the partner, on the file the parent made, with credentials as the start's
    /// cheap look finds them.
    fn open(db: &str) -> Self {
        let market = Market::open(db.as_ref(), Box::new(FixedClock(parse_now(TODAY).unwrap()))).unwrap();
        let aws = cppo::sdk::credentials_configured();
        let worker = Worker::new(market, Some(AccountId::parse(PARTNER).unwrap())).with_aws(Settings::default(), aws);
        let mut ui = Self { app: App::new(140, 40), worker };
        let fx = ui.app.start();
        settle(&mut ui.app, &mut ui.worker, fx);
        ui
    }
    fn press(&mut self, c: char) -> Vec<Effect> {
        self.app.handle_event(&Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
    }
    fn key(&mut self, code: KeyCode) {
        let fx = self.app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        settle(&mut self.app, &mut self.worker, fx);
    }
    fn chars(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn screen(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(self.app.width(), self.app.height())).unwrap();
        t.draw(|f| cppo::ui::render(&self.app, f)).unwrap();
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect()
    }
    fn bottom_line(&self) -> String {
        self.screen().lines().last().unwrap_or_default().trim().to_owned()
    }
}

/// A draft offer made in cppo from the pulled contract authorization: its id.
pub(super) fn draft_offer(env: &Env, fake: &FakeAws, name: &str) -> String {
    let out = run(
        env,
        fake,
        PARTNER,
        &[
            "offers",
            "create",
            "--opportunity",
            CONTRACT_RA,
            "--buyer",
            CONTOSO,
            "--markup",
            "10",
            "--expires",
            "2027-01-31",
            "--name",
            name,
            "--quantity",
            "seats=5",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    out.stdout.trim().to_owned()
}

#[test]
fn p_pulls_what_changed_in_the_background_with_its_progress_on_the_bottom_line() {
    let Ok(db) = std::env::var(CHILD_DB) else {
        let (env, fake) = (Env::new(), book());
        ok_json(&env, &fake, PARTNER, &["pull"]);
        // The ISV extends the contract authorization on AWS after that pull.
        fake.modify(CONTRACT_RA, "2026-11-29T09:00:00Z", |d| {
            let rule = d["Rules"].as_array_mut().unwrap().iter_mut().find(|r| r["Type"] == "AvailabilityRule").unwrap();
            rule["AvailabilityEndDate"] = json!("2027-12-31T23:59:59Z");
        });
        let listed = fake.bodies("ListEntities").len();
        in_child(
            "p_pulls_what_changed_in_the_background_with_its_progress_on_the_bottom_line",
            &env,
            &fake,
            Creds::Static,
        );
        // The TUI's pull asked from the watermark the CLI's left.
        let lists = fake.bodies("ListEntities");
        assert!(lists.len() > listed, "the TUI's pull listed nothing");
        assert_eq!(
            lists.last().unwrap()["EntityTypeFilters"]["OfferFilters"]["LastModifiedDate"]["DateRange"]["AfterValue"],
            "2026-11-27T16:40:00Z"
        );
        let opp = ok_json(&env, &fake, PARTNER, &["opportunities", "show", CONTRACT_RA]);
        assert_eq!(opp["ends_on"], "2027-12-31", "the TUI's pull was stored: {opp:#}");
        return;
    };
    let mut ui = Ui::open(&db);
    assert!(ui.app.session().unwrap().aws, "static credentials in the environment count as configured");
    let fx = ui.press('P');
    assert!(matches!(fx.as_slice(), [Effect::Pull]), "{fx:?}");
    assert!(ui.bottom_line().contains("Pulling from AWS"), "{}", ui.bottom_line());
    // The worker's answers, one at a time, as the loop would feed them.
    let msgs = ui.worker.handle(Effect::Pull).unwrap();
    let mut fx = Vec::new();
    let mut saw_progress = false;
    for m in msgs {
        let progress = matches!(m, Msg::PullProgress(..));
        fx.extend(ui.app.handle_msg(m));
        if progress {
            saw_progress = true;
            let line = ui.bottom_line();
            assert!(line.starts_with("Pulling from AWS:"), "{line}");
            // The keys are the person's meanwhile: `j` moves the cursor as ever.
            let moved = ui.press('j');
            settle(&mut ui.app, &mut ui.worker, moved);
        }
    }
    assert!(saw_progress, "no progress was told");
    assert!(matches!(fx.as_slice(), [Effect::StorePull(..)]), "{fx:?}");
    // A second P while it runs starts nothing, and says why.
    assert!(ui.press('P').is_empty());
    assert!(ui.bottom_line().starts_with("A pull from AWS is running"), "{}", ui.bottom_line());
    settle(&mut ui.app, &mut ui.worker, fx);
    let toast = ui.app.toast().unwrap_or_default().to_owned();
    assert!(toast.starts_with("Pulled from AWS: 1 resale authorizations, "), "{toast}");
    assert!(toast.contains("1 changed here"), "{toast}");
    assert!(ui.app.pulling().is_none());
}

/// Feeds the worker's answers to `effect` to the app one at a time, as the loop would, calling
/// `meanwhile` after each status of a push; then settles what they ask.
fn feed(ui: &mut Ui, effect: Effect, meanwhile: &mut dyn FnMut(&mut Ui)) {
    let msgs = ui.worker.handle(effect).unwrap();
    let mut fx = Vec::new();
    for m in msgs {
        let status = matches!(m, Msg::PushStatus(..));
        fx.extend(ui.app.handle_msg(m));
        if status {
            meanwhile(ui);
        }
    }
    settle(&mut ui.app, &mut ui.worker, fx);
}

#[test]
fn x_pushes_in_the_background_when_credentials_are_configured_and_the_detail_shows_aws_errors() {
    let test = "x_pushes_in_the_background_when_credentials_are_configured_and_the_detail_shows_aws_errors";
    let Ok(db) = std::env::var(CHILD_DB) else {
        let (env, fake) = (Env::new(), book());
        ok_json(&env, &fake, PARTNER, &["pull"]);
        let local = draft_offer(&env, &fake, "Pushed from the TUI");
        fake.next_change_set(Outcome::Fail(vec![(
            "UpdateMarkup".into(),
            "INCOMPATIBLE_MARKUP".into(),
            "Markup can't be updated for this offer.".into(),
        )]));
        in_child(test, &env, &fake, Creds::Static);
        let starts = fake.bodies("StartChangeSet");
        assert_eq!(starts.len(), 1, "one push reached AWS");
        assert_eq!(
            starts[0]["ClientRequestToken"].as_str().unwrap(),
            format!("cppo-o-{}-v0-r", local.trim_start_matches("offer-")),
            "the export's token, with the release"
        );
        let after = ok_json(&env, &fake, PARTNER, &["offers", "show", &local]);
        assert_eq!(after["state"], "draft", "the record stays as it was: {after:#}");
        return;
    };
    let mut ui = Ui::open(&db);
    ui.key(KeyCode::Char('/'));
    ui.chars("Pushed from the TUI");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('X'));
    let Some(Popup::Confirm(c)) = ui.app.popup() else { panic!("X asks first:\n{}", ui.screen()) };
    assert!(c.title.starts_with("Push Pushed from the TUI to AWS"), "{}", c.title);
    assert!(matches!(c.with_release, Some(Effect::Push { release: true, .. })), "{c:?}");
    // Asking sends nothing: the parent counts one StartChangeSet, this release.
    let fx = ui.press('r');
    let [Effect::Push { id, release: true }] = fx.as_slice() else { panic!("{fx:?}") };
    let id = id.to_string();
    // The push runs in the background: no busy popup, its progress on the bottom line.
    assert!(ui.app.busy().is_none());
    assert!(ui.bottom_line().starts_with(&format!("Pushing {id} to AWS: checking")), "{}", ui.bottom_line());
    let mut statuses = Vec::new();
    feed(&mut ui, fx[0].clone(), &mut |ui| {
        let status = ui.app.pushing().expect("the push runs").status.clone();
        if statuses.is_empty() {
            assert_eq!(status, "sending the change set");
            let line = ui.bottom_line();
            assert_eq!(line, format!("Pushing {id} to AWS: {status}"));
            // The record's detail says where its push is.
            assert!(ui.screen().contains(&format!("Pushing to AWS    {status}")), "{}", ui.screen());
            // The keys are the person's meanwhile; a second X says a push runs.
            ui.key(KeyCode::Char('X'));
            assert!(ui.app.popup().is_none(), "a second push started: {:?}", ui.app.popup());
            assert!(ui.bottom_line().starts_with("A push to AWS is running"), "{}", ui.bottom_line());
        }
        statuses.push(status);
    });
    assert!(statuses.iter().filter(|s| s.starts_with("change set ")).count() >= 2, "AWS's statuses: {statuses:?}");
    let toast = ui.app.toast().unwrap_or_default().to_owned();
    assert!(toast.contains("FAILED"), "{toast}");
    assert!(toast.contains("markup: INCOMPATIBLE_MARKUP"), "{toast}");
    assert!(ui.app.toast_warn(), "a refusal is a warning");
    assert!(ui.app.pushing().is_none());
    // The detail pane shows how the push ended, and AWS's refusal beside the record.
    let screen = ui.screen();
    assert!(screen.contains(&format!("Last push         {id} pushed: change set ")), "{screen}");
    assert!(screen.contains("AWS refused"), "{screen}");
    assert!(screen.contains("INCOMPATIBLE_MARKUP"), "{screen}");
    assert!(!screen.contains("Pushing to AWS"), "{screen}");
}

#[test]
fn an_instance_role_found_after_the_start_makes_x_push() {
    let test = "an_instance_role_found_after_the_start_makes_x_push";
    let Ok(db) = std::env::var(CHILD_DB) else {
        let (env, fake) = (Env::new(), book());
        ok_json(&env, &fake, PARTNER, &["pull"]);
        let local = draft_offer(&env, &fake, "Pushed with the instance role");
        fake.instance_role(PARTNER);
        in_child(test, &env, &fake, Creds::InstanceRole);
        assert_eq!(fake.bodies("StartChangeSet").len(), 1, "one push reached AWS");
        let old = run(&env, &fake, PARTNER, &["offers", "show", &local]);
        assert!(old.stderr.contains("the id AWS gave it"), "the offer took AWS's id: {old:?}");
        return;
    };
    assert!(!cppo::sdk::credentials_configured(), "nothing in the environment or ~/.aws");
    assert!(cppo::sdk::maybe_on_ec2(), "a metadata endpoint named counts as EC2");
    let mut ui = Ui::open(&db);
    assert!(!ui.app.session().unwrap().aws);
    // The start's look in the background finds the role.
    let flag = ui.worker.credentials_flag();
    let found = cppo::tui::look_for_credentials(&Settings::default(), &flag).expect("the instance role");
    let fx = ui.app.handle_msg(found);
    settle(&mut ui.app, &mut ui.worker, fx);
    assert!(ui.app.session().unwrap().aws);
    ui.key(KeyCode::Char('/'));
    ui.chars("Pushed with the instance role");
    ui.key(KeyCode::Enter);
    ui.key(KeyCode::Char('X'));
    let Some(Popup::Confirm(c)) = ui.app.popup() else { panic!("X asks first:\n{}", ui.screen()) };
    assert!(c.title.starts_with("Push "), "{}", c.title);
    let fx = ui.press('y');
    settle(&mut ui.app, &mut ui.worker, fx);
    let toast = ui.app.toast().unwrap_or_default().to_owned();
    assert!(toast.contains("SUCCEEDED"), "{toast}");
    // The cursor stays on the record, now under AWS's id, and its detail says how the push ended.
    ui.key(KeyCode::Enter);
    let screen = ui.screen();
    assert!(screen.contains("Offer             offer-fake"), "{screen}");
    assert!(screen.contains("Last push         "), "{screen}");
    // A session read again keeps it (the worker's flag).
    let fx = ui.app.handle_msg(ui.worker.handle(Effect::LoadSession).unwrap().remove(0));
    settle(&mut ui.app, &mut ui.worker, fx);
    assert!(ui.app.session().unwrap().aws);
}

#[test]
fn a_failed_pull_says_why_whole_in_a_popup_or_on_the_bottom_line_under_a_form() {
    let test = "a_failed_pull_says_why_whole_in_a_popup_or_on_the_bottom_line_under_a_form";
    let Ok(db) = std::env::var(CHILD_DB) else {
        let (env, fake) = (Env::new(), book());
        ok_json(&env, &fake, PARTNER, &["pull"]);
        fake.deny("ListEntities");
        in_child(test, &env, &fake, Creds::Static);
        return;
    };
    let mut ui = Ui::open(&db);
    let fx = ui.press('P');
    settle(&mut ui.app, &mut ui.worker, fx);
    let Some(Popup::Error(why)) = ui.app.popup() else { panic!("no popup:\n{}", ui.screen()) };
    assert!(why.starts_with("Pull from AWS failed: "), "{why}");
    assert!(why.contains("aws-marketplace:ListEntities"), "the permission to add: {why}");
    assert!(ui.app.pulling().is_none());
    ui.key(KeyCode::Esc);
    // With a form open, the popup would take its keys: the bottom line says it instead.
    ui.key(KeyCode::Char('n'));
    assert!(ui.app.form().is_some(), "n opens the offer form:\n{}", ui.screen());
    let fx = ui.press('P');
    assert!(fx.is_empty(), "P in a form types a P: {fx:?}");
    let fx = ui.app.handle_msg(ui.worker.handle(Effect::Pull).unwrap().pop().unwrap());
    settle(&mut ui.app, &mut ui.worker, fx);
    assert!(ui.app.popup().is_none());
    assert!(ui.app.form().is_some(), "the form stays");
    assert!(ui.app.toast().unwrap_or_default().contains("aws-marketplace:ListEntities"));
}
