//! The review queue (`v`): what needs the acting account, one item at a time.

use super::{App, Effect, Review};
use crate::market::actions::ReviewQueue;

impl App {
    pub(super) fn start_review(&mut self, queue: ReviewQueue) -> Vec<Effect> {
        if queue.items.is_empty() {
            self.say(super::text::notices::NOTHING_NEEDS_YOU.into(), false);
            return Vec::new();
        }
        self.over.review = Some(Review { queue, index: 0 });
        self.pane.detail = None;
        self.pane.open = false;
        self.select_effects()
    }

    /// Back to the review's previous item (`b`).
    pub(super) fn review_back(&mut self) -> Vec<Effect> {
        let Some(r) = &mut self.over.review else { return Vec::new() };
        if r.index == 0 {
            self.say(super::text::notices::FIRST_ITEM.into(), false);
            return Vec::new();
        }
        r.index -= 1;
        self.pane.detail = None;
        self.select_effects()
    }

    /// Moves the review to its next item; leaves it after the last one.
    pub(super) fn review_step(&mut self) -> Vec<Effect> {
        let Some(r) = &mut self.over.review else { return Vec::new() };
        r.index += 1;
        if r.index >= r.queue.items.len() {
            self.over.review = None;
            self.say(super::text::notices::REVIEW_DONE.into(), false);
        }
        self.pane.detail = None;
        self.select_effects()
    }
}
