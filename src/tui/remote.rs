//! AWS from the TUI: `P` pulls and `X` pushes (when credentials look configured) through the
//! SDK adapter, as `cppo pull` and `cppo push` do. A pull's network part runs on a thread of
//! its own (the store worker stays free for pages and details), and only its storing runs
//! on the worker; a push runs on the worker, its statuses told as AWS gives them.

use std::time::{Duration, Instant};

use crate::app::Msg;
use crate::app::text::notices as t;
use crate::aws::changeset::field_of;
use crate::domain::error::one_line;
use crate::domain::{AccountId, RecordId};
use crate::market::{Fetched, Market, Marketplace, PullOptions, PullStart, SyncError};
use crate::sdk::{Aws, Settings};

/// The shortest time between two progress messages of a pull (each one redraws the screen).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Connects and reads what changed on AWS since `start`, telling `send` its progress, then
/// what it read ([`Msg::Fetched`]) or why it failed. Writes nothing.
pub fn fetch(actor: AccountId, start: PullStart, send: &mut dyn FnMut(Msg)) {
    let mut aws = match Aws::connect(&Settings::default()) {
        Ok(aws) => aws,
        Err(e) => return send(Msg::Pulled(Err(t::pull_failed(&e.to_string())))),
    };
    let mut last: Option<(String, Instant)> = None;
    let fetched = aws.fetch(start.since, &mut |what, done, total| {
        // A new stage is always told; within one, at most one message per PROGRESS_EVERY.
        let due = last.as_ref().is_none_or(|(w, at)| w != what || at.elapsed() >= PROGRESS_EVERY);
        if due {
            last = Some((what.to_owned(), Instant::now()));
            send(Msg::PullProgress(what.to_owned(), done, total));
        }
    });
    send(match fetched {
        Ok(f) => Msg::Fetched(actor, start, Box::new(f)),
        Err(e) => Msg::Pulled(Err(t::pull_failed(&e.to_string()))),
    });
}

/// Stores what a pull fetched, as `me`: its one line, or why nothing was stored.
pub fn store(market: &mut Market, me: &AccountId, start: &PullStart, fetched: &Fetched) -> Msg {
    match market.store_pull(me, start, fetched, PullOptions::default()) {
        Ok(r) => Msg::Pulled(Ok(t::pulled(
            r.counts.authorizations,
            r.counts.offers,
            r.counts.agreements,
            r.import.lines.iter().filter(|l| l.outcome.writes()).count(),
            r.import.refused(),
        ))),
        Err(e) => Msg::Pulled(Err(t::pull_failed(&e.to_string()))),
    }
}

/// Sends the change set of `id` to AWS and follows it to its end, telling `status` each
/// status; what came of it. The export's checks come first: a push they refuse never asks
/// for credentials.
pub fn push(market: &mut Market, me: &AccountId, id: &RecordId, release: bool, status: &mut dyn FnMut(Msg)) -> Msg {
    if let Err(e) = market.export(me, id, release) {
        return Msg::Error(e.to_string());
    }
    let mut aws = match Aws::connect(&Settings::default()) {
        Ok(aws) => aws,
        Err(e) => return Msg::Error(t::push_failed(id.as_str(), &e.to_string())),
    };
    let mut told = |s: &str| status(Msg::PushStatus(s.to_owned()));
    let report = match market.push(me, id, release, false, &mut aws as &mut dyn Marketplace, &mut told) {
        Ok(r) => r,
        Err(SyncError::Remote(e)) => return Msg::Error(t::push_failed(id.as_str(), &e.to_string())),
        Err(SyncError::Market(e)) => return Msg::Error(e.to_string()),
    };
    let mut lines = vec![t::pushed(id.as_str(), &report.change_set_id, &report.status)];
    lines.extend(report.errors.iter().map(|(change_type, code, message)| {
        format!("{}: {code} {} ({change_type})", field_of(change_type), one_line(message))
    }));
    if report.record != id.as_str() {
        lines.push(t::now_aws_id(id.as_str(), &report.record));
    }
    Msg::Pushed { lines, ok: report.status == "SUCCEEDED" }
}
