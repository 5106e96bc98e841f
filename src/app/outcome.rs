//! What follows a change the store ran: the notice at the bottom, what is read again, the
//! record made put under the cursor, or the refusal said where the person is.

use super::command::Touched;
use super::{App, DetailKey, Effect, Tab};
use crate::market::Refusal;

impl App {
    /// A notice at the bottom; `warn` for a refusal.
    /// A word for the person at start-up (e.g. no log file this time).
    pub fn notice(&mut self, text: String) {
        self.say(text, true);
    }

    pub(super) fn say(&mut self, text: String, warn: bool) {
        self.toast.text = Some((crate::domain::error::one_line(&text), if warn { 16 } else { 12 }));
        self.toast.warn = warn;
    }

    /// A state change succeeded: close the form, move the review on, read again what it
    /// touched.
    pub(super) fn done(&mut self, text: String, touched: Touched) -> Vec<Effect> {
        self.busy = None;
        self.over.form = None;
        self.say(text, false);
        let mut fx = Vec::new();
        self.pane.detail = None;
        if self.over.review.is_some() {
            fx.extend(self.review_step());
        }
        fx.extend(self.read_again(touched));
        fx
    }

    /// The reads that follow a change: what it touched, and the tab on screen (its detail
    /// was dropped, and comes back with its rows).
    fn read_again(&mut self, touched: Touched) -> Vec<Effect> {
        let tabs: &[Tab] = match touched {
            Touched::Accounts => return vec![Effect::LoadSession],
            Touched::Opportunities => &[Tab::Partners, Tab::Opportunities],
            Touched::Offers => &[Tab::Partners, Tab::Opportunities, Tab::Offers, Tab::Agreements],
        };
        let mut fx = Vec::new();
        if touched == Touched::Offers && self.pane.expiries.is_some() {
            fx.push(Effect::LoadExpiries);
        }
        if touched == Touched::Offers && self.pane.ending.is_some() {
            fx.push(Effect::LoadValueEnding);
        }
        for tab in Tab::ALL {
            if tabs.contains(&tab) || tab == self.tabs.tab {
                fx.extend(self.refetch(tab, false));
            }
        }
        fx
    }

    /// A change was refused: a form keeps what was typed and says why on its message line;
    /// elsewhere the bottom line says it. Either way the rows and the record are read again,
    /// as the refusal may come from a change made elsewhere.
    pub(super) fn refused(&mut self, kind: Refusal, text: &str) -> Vec<Effect> {
        self.busy = None;
        let text = self.you(text);
        match &mut self.over.form {
            Some(form) if kind == Refusal::Stale => {
                form.message = Some(super::text::forms::cant_save_stale(&text));
            }
            Some(form) => form.message = Some(super::text::forms::cant_save(&text)),
            None => self.say(text, true),
        }
        self.pane.detail = None;
        // The refusal may come from another program's change: if the record is gone, say so.
        self.notice_gone();
        vec![Effect::LoadSession]
    }

    /// `text` with the acting account's id read as "you".
    pub(super) fn you(&self, text: &str) -> String {
        match self.me() {
            Some(me) => text.replace(me.as_str(), super::text::notices::YOU),
            None => text.to_owned(),
        }
    }

    /// A record was made: its tab shows it under the cursor. Its list is read from the
    /// newest first, unfiltered, where the new record is the first row.
    pub(super) fn made(&mut self, text: String, key: DetailKey) -> Vec<Effect> {
        let (tab, touched) = match key {
            DetailKey::Opportunity(_) => (Tab::Opportunities, Touched::Opportunities),
            DetailKey::Offer(_) => (Tab::Offers, Touched::Offers),
            DetailKey::Agreement(_) => (Tab::Agreements, Touched::Offers),
            DetailKey::Partner { .. } => (Tab::Partners, Touched::Accounts),
        };
        let mut fx = self.done(text, touched);
        self.tabs.tab = tab;
        self.pane.open = false;
        let list = self.list_mut(tab);
        list.set_filter(String::new());
        if let Some((sort, descending)) = list.sort_mut() {
            *sort = crate::market::Sort::Created;
            *descending = true;
        }
        fx.extend(self.reset_tab(tab));
        fx
    }
}
