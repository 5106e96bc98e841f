//! Answers from the store worker: pages, counts, details, the session, results of changes.

use super::{App, Effect, Msg, Popup, Session, Tab};

impl App {
    /// An answer from the store worker.
    pub fn handle_msg(&mut self, msg: Msg) -> Vec<Effect> {
        if matches!(msg, Msg::Error(_) | Msg::Refused(..)) {
            // The row or the form the waiting keys were for cannot come: the error says why.
            self.waiting_keys.clear();
            self.reloading = None;
            self.over.form_coming = false;
        }
        if matches!(msg, Msg::Session(_)) && self.reloading.is_some() {
            self.reloading = Some(true);
        }
        let mut fx = self.apply_msg(msg);
        if self.reloading == Some(true) && self.settled() {
            self.reloading = None;
            self.toast.text = Some((super::text::notices::RELOADED.into(), 8));
            self.toast.warn = false;
        }
        fx.extend(self.replay_waiting_keys());
        fx
    }

    fn apply_msg(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Session(s) => {
                let id = |s: &Session| s.actor.as_ref().map(|a| a.id.clone());
                let switched = self.session.as_ref().is_none_or(|old| id(old) != id(&s) || old.empty);
                let before = self.session.as_ref().and_then(id);
                let now = id(&s);
                self.busy = None;
                self.session = Some(*s);
                if switched {
                    self.pane.detail = None;
                    self.pane.open = false;
                    self.leave_drills();
                    if before != now {
                        self.trade_views(before, now.as_ref());
                    }
                }
                if self.welcome() {
                    return Vec::new();
                }
                // Several accounts and none remembered: the person picks who acts.
                if self.session.as_ref().is_some_and(|s| s.actor.is_none()) {
                    self.say(super::text::notices::CHOOSE_ACCOUNT.into(), false);
                    return self.act(super::keymap::Action::SwitchAccount);
                }
                let mut fx = vec![self.tabs.partners.load()];
                if self.pane.expiries.is_some() {
                    fx.push(Effect::LoadExpiries);
                }
                if self.pane.ending.is_some() {
                    fx.push(Effect::LoadValueEnding);
                }
                for tab in [Tab::Opportunities, Tab::Offers, Tab::Agreements] {
                    fx.extend(self.refetch(tab, switched));
                }
                fx
            }
            Msg::Opportunities(f, page, spot) => {
                let more = self.tabs.opportunities.receive_at(&f, page, spot);
                self.after_page(Tab::Opportunities, more.map(Effect::FetchOpportunities))
            }
            Msg::Offers(f, page, spot) => {
                let more = self.tabs.offers.receive_at(&f, page, spot);
                self.after_page(Tab::Offers, more.map(Effect::FetchOffers))
            }
            Msg::Agreements(f, page, spot) => {
                let more = self.tabs.agreements.receive_at(&f, page, spot);
                self.after_page(Tab::Agreements, more.map(Effect::FetchAgreements))
            }
            Msg::Count { tab, query_id, total, exact } => {
                self.list_mut(tab).receive_count(query_id, total, exact);
                self.follow();
                Vec::new()
            }
            Msg::Partners(rows) => {
                self.tabs.partners.receive(rows);
                if self.tabs.tab == Tab::Partners { self.select_effects() } else { Vec::new() }
            }
            Msg::Detail(key, detail) => {
                if self.selected_key().as_ref() == Some(&key) {
                    if self.pane.detail.as_ref().map(|(k, _)| k) != Some(&key) {
                        self.pane.scroll = 0;
                    }
                    self.pane.detail = Some((key, *detail));
                }
                Vec::new()
            }
            Msg::Toast(text) => {
                self.say(text, false);
                Vec::new()
            }
            Msg::Error(text) => {
                self.busy = None;
                self.over.popup = Some(Popup::Error(crate::domain::error::one_line(&text)));
                Vec::new()
            }
            Msg::Refused(kind, text) => self.refused(kind, &text),
            Msg::FileChanged => {
                self.notice_gone();
                self.pane.detail = None;
                self.say(super::text::notices::FILE_CHANGED.into(), false);
                vec![Effect::LoadSession]
            }
            Msg::Expiries(weeks) => {
                if self.pane.expiries.is_some() {
                    self.pane.expiries = Some(weeks);
                }
                Vec::new()
            }
            Msg::ValueEnding(months) => {
                if self.pane.ending.is_some() {
                    self.pane.ending = Some(months);
                }
                Vec::new()
            }
            Msg::Done(text, touched) => self.done(text, touched),
            Msg::Made(text, key) => self.made(text, key),
            Msg::Exported(written) => {
                self.busy = None;
                self.say(exported(&written, self.width), false);
                Vec::new()
            }
            Msg::PullProgress(what, done, total) => self.pull_progress(&what, done, total),
            Msg::Fetched(actor, start, fetched) => self.fetched(actor, start, fetched),
            Msg::Pulled(result) => self.pulled(result),
            Msg::PushStatus(status) => self.push_status(&status),
            Msg::Sent(actor, id, sent) => self.sent(actor, id, sent),
            Msg::Pushed(end) => self.pushed(*end),
            Msg::CredentialsFound => self.credentials_found(),
            Msg::OfferTargets(targets) => self.form_arrived(|app| app.open_offer_form(targets)),
            Msg::ReplacementTargets(targets) => self.form_arrived(|app| app.open_replacement_form(*targets)),
            Msg::Review(items) => self.start_review(items),
        }
    }

    /// The records of the form asked for are in: it opens, unless Esc took it back. The keys
    /// typed meanwhile were for the form: when it does not open (the toast says why), they
    /// go too, never to the table under it.
    fn form_arrived(&mut self, open: impl FnOnce(&mut Self) -> Vec<Effect>) -> Vec<Effect> {
        if !std::mem::take(&mut self.over.form_coming) {
            return Vec::new();
        }
        let fx = open(self);
        if self.over.form.is_none() {
            self.waiting_keys.clear();
        }
        fx
    }

    fn after_page(&mut self, tab: Tab, more: Option<Effect>) -> Vec<Effect> {
        let mut fx: Vec<Effect> = more.into_iter().collect();
        self.follow();
        if self.tabs.tab == tab {
            if let Some(note) = self.list_mut(tab).gone_news() {
                self.say(note, true);
            }
            fx.extend(self.select_effects());
        }
        fx
    }

    /// The next reload of each list follows a write by another program: a record gone from
    /// under its cursor is said, and holds the action keys until the cursor moves.
    pub(super) fn notice_gone(&mut self) {
        self.tabs.opportunities.notice_gone();
        self.tabs.offers.notice_gone();
        self.tabs.agreements.notice_gone();
    }
}

/// The one line that says an export was written: where, how to submit it, and its notes, in
/// full when the line holds them at `width`, else how many there are and where to read them
/// (near the start, where a cut line still shows it).
fn exported(w: &crate::market::Written, width: u16) -> String {
    use super::text::notices as t;
    let path = w.path.display().to_string();
    let submit = crate::market::submit_command(&path);
    let changes = t::changes(w.changes);
    let full = std::iter::once(t::wrote(&path, &changes, &submit))
        .chain(w.notes.iter().map(|n| t::note(n)))
        .collect::<Vec<_>>()
        .join(t::SENTENCES);
    // The toast is drawn after one space.
    if w.notes.is_empty() || full.chars().count() < usize::from(width) {
        return full;
    }
    t::wrote_with_notes(&path, &changes, w.notes.len(), &w.id.to_string(), &submit)
}
