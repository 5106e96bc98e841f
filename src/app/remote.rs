//! AWS reached directly: `P` starts a pull that runs in the background (the keys stay the
//! person's, its progress is on the bottom line) and `X`'s push, once confirmed, says each
//! status AWS gives. The worker does the I/O; this holds what the screen shows of it.

use super::command::Touched;
use super::text::notices as t;
use super::{App, Effect};
use crate::domain::AccountId;
use crate::market::{Fetched, PullStart};

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
            Err(why) => {
                self.say(why, true);
                Vec::new()
            }
        }
    }

    /// A push's change set moved on AWS: the busy notice says where it is.
    pub(super) fn push_status(&mut self, status: &str) -> Vec<Effect> {
        self.busy = Some(t::pushing(status));
        Vec::new()
    }

    /// A push ended: its lines on the bottom line (a warning unless AWS applied it), and
    /// everything read again (the record may now have AWS's id, and AWS's copy came with it).
    pub(super) fn pushed(&mut self, lines: &[String], ok: bool) -> Vec<Effect> {
        let fx = self.done(lines.join("; "), Touched::Offers);
        self.say(lines.join("; "), !ok);
        fx
    }
}
