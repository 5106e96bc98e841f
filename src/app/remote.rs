//! AWS reached directly: `P` starts a pull and `X`, once confirmed, a push; each runs in the
//! background (the keys stay the person's), its progress on the bottom line, a push's also in
//! its record's detail. The worker does the I/O; this holds what the screen shows of it.

use super::command::Touched;
use super::text::notices as t;
use super::{App, Effect, Popup, PushEnd};
use crate::domain::{AccountId, RecordId};
use crate::market::{Fetched, PullStart, Sent};

/// A push on its way: the record, and where its change set is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushing {
    pub id: RecordId,
    pub status: String,
    /// `q` was pressed once meanwhile: the next one quits.
    pub quit_asked: bool,
}

impl App {
    /// `P`: a pull, unless one is running already (or no one acts yet).
    pub(super) fn pull(&mut self) -> Vec<Effect> {
        if self.me().is_none() {
            return Vec::new();
        }
        if self.pulling.is_some() {
            self.say(t::PULL_RUNNING.into(), true);
            return Vec::new();
        }
        self.pulling = Some(t::pulling("connecting", 0, 0));
        vec![Effect::Pull]
    }

    pub(super) fn pull_progress(&mut self, what: &str, done: u64, total: u64) -> Vec<Effect> {
        if self.pulling.is_some() {
            self.pulling = Some(t::pulling(what, done, total));
        }
        Vec::new()
    }

    /// The pull read AWS: the worker stores it (between the pages and details it serves).
    pub(super) fn fetched(&mut self, actor: AccountId, start: PullStart, fetched: Box<Fetched>) -> Vec<Effect> {
        self.pulling = Some(t::pulling("storing", 0, 0));
        vec![Effect::StorePull(actor, start, fetched)]
    }

    /// The pull ended: said on the bottom line, and, once stored, what is on screen read
    /// again as after another program's write (an open form keeps its work).
    pub(super) fn pulled(&mut self, result: Result<String, String>) -> Vec<Effect> {
        self.pulling = None;
        match result {
            Ok(text) => {
                self.notice_gone();
                self.pane.detail = None;
                self.say(text, false);
                vec![Effect::LoadSession]
            }
            // The whole reason in a popup (it says what to do: sign in, add a permission),
            // unless the person is busy in a form or another popup: then the bottom line.
            Err(why) if self.over.form.is_none() && self.over.popup.is_none() => {
                self.over.popup = Some(Popup::Error(crate::domain::error::one_line(&why)));
                Vec::new()
            }
            Err(why) => {
                self.say(why, true);
                Vec::new()
            }
        }
    }

    /// `X` confirmed with credentials: the push starts in the background, unless one runs.
    pub(super) fn start_push(&mut self, effect: Effect) -> Vec<Effect> {
        let Effect::Push { id, .. } = &effect else { return vec![effect] };
        if self.pushing.is_some() {
            self.say(t::PUSH_RUNNING.into(), true);
            return Vec::new();
        }
        self.pushing = Some(Pushing { id: id.clone(), status: t::PUSH_CHECKING.into(), quit_asked: false });
        vec![effect]
    }

    /// A push's change set moved on AWS: the bottom line and the record's detail say where.
    pub(super) fn push_status(&mut self, status: &str) -> Vec<Effect> {
        if let Some(p) = &mut self.pushing {
            p.status = status.to_owned();
        }
        Vec::new()
    }

    /// AWS ended the change set: the worker records it.
    pub(super) fn sent(&mut self, actor: AccountId, id: RecordId, sent: Box<Sent>) -> Vec<Effect> {
        if let Some(p) = &mut self.pushing {
            p.status = t::PUSH_RECORDING.into();
        }
        vec![Effect::StorePush(actor, id, sent)]
    }

    /// A push ended: its lines on the bottom line (a warning unless AWS applied it) and in
    /// its record's detail, and everything read again (the record may now have AWS's id, and
    /// AWS's copy came with it).
    pub(super) fn pushed(&mut self, end: PushEnd) -> Vec<Effect> {
        self.pushing = None;
        let text = end.lines.join("; ");
        let fx = self.done(text.clone(), Touched::Offers);
        self.say(text, !end.ok);
        self.last_push = Some(end);
        fx
    }

    /// Credentials turned up after the start (an instance role): `X` pushes from now on.
    pub(super) fn credentials_found(&mut self) -> Vec<Effect> {
        if let Some(s) = &mut self.session {
            s.aws = true;
        }
        Vec::new()
    }
}
