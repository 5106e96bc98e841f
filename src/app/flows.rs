//! The flows that change things: forms, confirmations and the review queue. Whether an
//! action is allowed is never decided here: the detail carries the domain's verdict for
//! each verb, and the use case judges again when it runs.

use super::command::Touched;
use super::form::{Form, FormEvent, FormKind};
use super::keymap::{Action, BINDINGS, Binding};
use super::{App, Detail, DetailKey, Effect, Popup, Review, Tab};
use crate::domain::{AccountId, Offer, Roles};
use crate::market::Refusal;
use crate::market::actions::{ReviewQueue, Verb};
use crate::market::views::OpportunityView;

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

    fn today(&self) -> chrono::NaiveDate {
        self.session.as_ref().map_or_else(|| chrono::Utc::now().date_naive(), |s| s.today)
    }

    fn me(&self) -> Option<AccountId> {
        self.session.as_ref()?.actor.as_ref().map(|a| a.id.clone())
    }

    /// The acting account's roles (none before the session is in).
    fn roles(&self) -> Roles {
        self.session.as_ref().and_then(|s| s.actor.as_ref()).map(|a| a.roles).unwrap_or_default()
    }

    /// The detail under the cursor (or of the review item), if loaded and the row is
    /// settled (no page or detail on its way that would change it).
    fn current_detail(&self) -> Option<&Detail> {
        if !self.settled() {
            return None;
        }
        let key = self.selected_key()?;
        self.pane.detail.as_ref().filter(|(k, _)| *k == key).map(|(_, d)| d)
    }

    /// `Ok(detail)` if `verb` is allowed on it; else says why and returns `None`.
    fn allowed(&mut self, verb: Verb) -> Option<Detail> {
        let verdict = match self.current_detail() {
            None => Err("select an opportunity or an offer first".to_owned()),
            Some(d) => d.allows(verb).map(|_| d.clone()),
        };
        match verdict {
            Ok(d) => Some(d),
            Err(why) => {
                self.say(why, true);
                None
            }
        }
    }

    /// The one-line hints: the bindings of the current scopes that have one, action keys
    /// only where the selected record allows them.
    pub fn hints(&self) -> Vec<&'static Binding> {
        let scopes = self.scopes();
        let detail = self.current_detail();
        let reviewing = self.over.review.is_some();
        // The record under the cursor left the list: no key acts on the row there now.
        let gone = !reviewing && self.list(self.tabs.tab).gone_note().is_some();
        scopes
            .iter()
            .flat_map(|scope| BINDINGS.iter().filter(move |b| b.scope == *scope))
            .filter(|b| !(reviewing && b.action.is_navigation()))
            .filter(|b| !(gone && b.action.uses_selected()))
            .filter(|b| match (b.action, detail) {
                (Action::Expiries, _) => self.tabs.tab == Tab::Offers,
                // The Partners tab holds its few rows in one order.
                (Action::Sort | Action::ReverseSort, _) => self.tabs.tab != Tab::Partners,
                // `n` makes an account (Partners), an opportunity (an ISV, or a partner from
                // a received one), an offer (a partner).
                (Action::New, _) => match self.tabs.tab {
                    Tab::Partners => true,
                    Tab::Opportunities => self.roles().isv || self.roles().partner,
                    Tab::Offers => self.roles().partner,
                },
                (Action::Open, _) => self.list(self.tabs.tab).selected_key().is_some(),
                (Action::End, Some(d)) => d.allows(Verb::End).is_ok() || d.allows(Verb::Cancel).is_ok(),
                (Action::End, None) => false,
                (a, d) => match a.verb() {
                    Some(v) => d.is_some_and(|d| d.allows(v).is_ok()),
                    None => true,
                },
            })
            .filter(|b| b.hint.is_some())
            .collect()
    }

    pub(super) fn form_event(&mut self, ev: FormEvent) -> Vec<Effect> {
        match ev {
            FormEvent::Nothing => Vec::new(),
            FormEvent::Cancel => {
                self.over.form = None;
                Vec::new()
            }
            FormEvent::Quit => {
                self.quit = true;
                Vec::new()
            }
            FormEvent::Submit(c) => {
                self.busy = Some("Saving…".into());
                vec![Effect::Run(*c)]
            }
            FormEvent::Edited => self.preview_effects(),
        }
    }

    /// Prices the offer being typed, here: the domain judges the terms and prices them from
    /// the opportunity the form holds (no store round trip per key).
    fn preview_effects(&mut self) -> Vec<Effect> {
        let (me, today) = (self.me(), self.today());
        let Some(form) = &mut self.over.form else { return Vec::new() };
        let FormKind::Offer { edit, .. } = &form.kind else { return Vec::new() };
        let new = edit.is_none();
        let opportunity = form.chosen_opportunity().map(|o| o.terms.clone());
        form.preview = match (me, opportunity, form.offer_terms()) {
            (Some(me), Some(opp), Some((_, terms))) => {
                Some(Offer::preview(&me, &opp, terms, today, new).map_err(|e| e.message.replace(me.as_str(), "you")))
            }
            _ => None,
        };
        Vec::new()
    }

    /// `n`: an account (Partners), an opportunity (ISV) or an offer (partner).
    pub(super) fn new_record(&mut self) -> Vec<Effect> {
        let today = self.today();
        if self.welcome() {
            self.over.form = Some(Form::account(today));
            return Vec::new();
        }
        match self.tabs.tab {
            Tab::Partners => {
                self.over.form = Some(Form::account(today));
                Vec::new()
            }
            Tab::Opportunities => {
                let me = self.me();
                // The selected row says whose opportunity it is; the detail, once loaded,
                // carries the domain's verdict (the form's preview and the save judge again).
                let received =
                    self.tabs.opportunities.selected().filter(|o| Some(&o.partner_account_id) == me.as_ref()).cloned();
                if let Some(view) = received {
                    if let Some(Err(why)) = self.current_detail().map(|d| d.allows(Verb::NewOffer)) {
                        self.say(why, true);
                        return Vec::new();
                    }
                    return self.open_offer_form(vec![view]);
                }
                if let (true, Some(me)) = (self.roles().isv, &me) {
                    let s = self.session.as_ref().expect("a session when tabs show");
                    self.over.form =
                        Some(Form::new_opportunity(me, &s.accounts, &s.products, today).with_accounts(&s.accounts));
                    return Vec::new();
                }
                self.say("Only ISVs grant opportunities; a partner makes offers from a received one".into(), true);
                Vec::new()
            }
            Tab::Offers => {
                if self.roles().partner {
                    vec![Effect::LoadOfferTargets]
                } else {
                    self.say("Only partners make offers".into(), true);
                    Vec::new()
                }
            }
        }
    }

    pub(super) fn open_offer_form(&mut self, targets: Vec<OpportunityView>) -> Vec<Effect> {
        if targets.is_empty() {
            self.say("No opportunity can take an offer now: none is authorized, unexpired and unused".into(), true);
            return Vec::new();
        }
        let accounts = self.session.as_ref().map(|s| s.accounts.as_slice()).unwrap_or_default();
        self.over.form = Some(Form::new_offer(targets, self.today()).with_accounts(accounts));
        self.preview_effects()
    }

    /// `e`: edit the selected draft.
    pub(super) fn edit_selected(&mut self) -> Vec<Effect> {
        let Some(detail) = self.allowed(Verb::Edit) else { return Vec::new() };
        let today = self.today();
        let s = self.session.as_ref().expect("a session when tabs show");
        match detail {
            Detail::Opportunity { view, .. } => {
                self.over.form =
                    Some(Form::edit_opportunity(&view, &s.accounts, &s.products, today).with_accounts(&s.accounts));
                Vec::new()
            }
            Detail::Offer { view, opportunity: Some(opp), .. } => {
                self.over.form = Some(Form::edit_offer(&view, *opp, today).with_accounts(&s.accounts));
                self.preview_effects()
            }
            _ => Vec::new(),
        }
    }

    /// `E`: a new expiry for the selected released offer.
    pub(super) fn extend_selected(&mut self) -> Vec<Effect> {
        let Some(Detail::Offer { view, .. }) = self.allowed(Verb::Extend) else { return Vec::new() };
        self.over.form = Some(Form::extend(view.id.clone(), view.expires_on, self.today()));
        Vec::new()
    }

    /// `r`, `x`, `a`, `p`: a confirm popup stating the consequence.
    pub(super) fn confirm_selected(&mut self, action: Action) -> Vec<Effect> {
        let verb = match (action, self.current_detail()) {
            (Action::End, Some(Detail::Offer { .. })) => Verb::Cancel,
            (Action::End, _) => Verb::End,
            (a, _) => a.verb().expect("an action verb"),
        };
        let Some(detail) = self.allowed(verb) else { return Vec::new() };
        if let Some(confirm) = self.confirm_for(&detail, verb) {
            self.over.popup = Some(Popup::Confirm(Box::new(confirm)));
        }
        Vec::new()
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
            Touched::Offers => &[Tab::Partners, Tab::Opportunities, Tab::Offers],
        };
        let mut fx = Vec::new();
        if touched == Touched::Offers && self.pane.expiries.is_some() {
            fx.push(Effect::LoadExpiries);
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
                form.message = Some(format!("Can't save: {text} (Esc closes the form; the rows are read again)"));
            }
            Some(form) => form.message = Some(format!("Can't save: {text}")),
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
            Some(me) => text.replace(me.as_str(), "you"),
            None => text.to_owned(),
        }
    }

    /// A record was made: its tab shows it under the cursor. Its list is read from the
    /// newest first, unfiltered, where the new record is the first row.
    pub(super) fn made(&mut self, text: String, key: DetailKey) -> Vec<Effect> {
        let (tab, touched) = match key {
            DetailKey::Opportunity(_) => (Tab::Opportunities, Touched::Opportunities),
            DetailKey::Offer(_) => (Tab::Offers, Touched::Offers),
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

    pub(super) fn start_review(&mut self, queue: ReviewQueue) -> Vec<Effect> {
        if queue.items.is_empty() {
            self.say("Nothing needs you right now".into(), false);
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
            self.say("This is the first item".into(), false);
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
            self.say("Review done: you went through every item".into(), false);
        }
        self.pane.detail = None;
        self.select_effects()
    }
}
