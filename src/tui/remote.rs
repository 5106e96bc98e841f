//! AWS from the TUI: `P` pulls and `X` pushes (when credentials look configured) through the
//! SDK adapter, as `cppo pull` and `cppo push` do. The network part of each runs on a thread
//! of its own (the store worker stays free for pages and details), and only what reads or
//! writes the file runs on the worker: a pull's start and its storing, a push's export and
//! the recording of AWS's answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::app::text::notices as t;
use crate::app::{Msg, PushEnd};
use crate::aws::ChangeSet;
use crate::domain::{AccountId, RecordId};
use crate::market::{Fetched, Market, MarketResult, Marketplace, PullOptions, PullStart, Sent, SyncError};
use crate::sdk::{Aws, Settings};

/// The shortest time between two progress messages of a pull (each one redraws the screen).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Connects and reads what changed on AWS since `start`, telling `send` its progress, then
/// what it read ([`Msg::Fetched`]) or why it failed. Writes nothing.
pub fn fetch(settings: &Settings, actor: AccountId, start: PullStart, send: &mut dyn FnMut(Msg)) {
    let mut aws = match Aws::connect(settings) {
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

/// Looks for credentials the start's cheap look could not see (an instance role: a network
/// call, made only where the machine says it is EC2, see `sdk::maybe_on_ec2`). Found, they
/// raise `flag` for every later session and the answer says so to the app.
pub fn look_for_credentials(settings: &Settings, flag: &AtomicBool) -> Option<Msg> {
    if !crate::sdk::credentials_resolve(settings) {
        return None;
    }
    flag.store(true, Ordering::Relaxed);
    Some(Msg::CredentialsFound)
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

/// Sends the change set `cs` of `id` to AWS and follows it to its end, telling `send` each
/// status AWS gives, then AWS's last answer ([`Msg::Sent`]) or why it stopped. Writes nothing.
pub fn push(settings: &Settings, actor: AccountId, id: RecordId, cs: &ChangeSet, send: &mut dyn FnMut(Msg)) {
    send(Msg::PushStatus(t::PUSH_SENDING.into()));
    let mut aws = match Aws::connect(settings) {
        Ok(aws) => aws,
        Err(e) => return send(failed(&id, &e.to_string())),
    };
    let sent = crate::market::send(&mut aws, cs, false, &mut |s| send(Msg::PushStatus(s.to_owned())));
    send(match sent {
        Ok(sent) => Msg::Sent(actor, id, Box::new(sent)),
        Err(e) => failed(&id, &e.to_string()),
    });
}

/// A push that ended before AWS's answer could be recorded.
pub fn failed(id: &RecordId, why: &str) -> Msg {
    Msg::Pushed(Box::new(PushEnd {
        ids: vec![id.to_string()],
        lines: vec![t::push_failed(id.as_str(), why)],
        ok: false,
    }))
}

/// Records what AWS made of the push of `id`, as `me`: the lines that say what came of it.
/// A failure of the file is the worker's to report, as any command's.
pub fn store_push(market: &mut Market, me: &AccountId, id: &RecordId, sent: &Sent) -> MarketResult<Msg> {
    let report = match market.record_push(me, id, false, sent) {
        Ok(r) => r,
        Err(SyncError::Remote(e)) => return Ok(failed(id, &e.to_string())),
        Err(SyncError::Market(e)) => return Err(e),
    };
    let mut lines = vec![t::pushed(id.as_str(), &report.change_set_id, &report.status)];
    lines.extend(report.error_lines());
    let mut ids = vec![id.to_string()];
    if report.record != id.as_str() {
        lines.push(t::now_aws_id(id.as_str(), &report.record));
        ids.push(report.record.clone());
    }
    Ok(Msg::Pushed(Box::new(PushEnd { ids, lines, ok: report.status == "SUCCEEDED" })))
}
