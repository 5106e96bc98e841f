//! The verbs on the selected record: opening a form to make or change one, and the
//! confirmations that state a change's consequence. Whether a verb is allowed is never
//! decided here: the detail carries the domain's verdict for each verb, and the use case
//! judges again when it runs.

use super::form::{Extending, Form};
use super::keymap::{Action, BINDINGS, Binding};
use super::{App, Detail, Effect, Popup, Tab};
use crate::market::actions::Verb;
use crate::market::views::{FinancingView, OpportunityView};

impl App {
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
            None => Err(super::text::notices::SELECT_A_RECORD.to_owned()),
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
                (Action::Expiries, _) => matches!(self.tabs.tab, Tab::Offers | Tab::Agreements),
                (Action::Radar, _) => self.tabs.tab == Tab::Agreements,
                // The Partners tab holds its few rows in one order.
                (Action::Sort | Action::ReverseSort, _) => self.tabs.tab != Tab::Partners,
                // `n` makes an account (Partners), an opportunity (an ISV, or a partner from
                // a received one), an offer (a partner), a replacement offer or a renewal
                // authorization (as the agreement's detail allows).
                (Action::New, d) => match self.tabs.tab {
                    Tab::Partners => true,
                    Tab::Opportunities => self.roles().isv || self.roles().partner,
                    Tab::Offers => self.roles().partner,
                    Tab::Agreements => {
                        d.is_some_and(|d| d.allows(Verb::Replace).is_ok() || d.allows(Verb::GrantRenewal).is_ok())
                    }
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
                self.say(super::text::notices::ONLY_ISVS_GRANT.into(), true);
                Vec::new()
            }
            Tab::Offers => {
                if self.roles().partner {
                    self.over.form_coming = true;
                    vec![Effect::LoadOfferTargets]
                } else {
                    self.say(super::text::notices::ONLY_PARTNERS_OFFER.into(), true);
                    Vec::new()
                }
            }
            Tab::Agreements => self.renew_selected(),
        }
    }

    /// `n` on an agreement: its partner makes a replacement offer, its ISV grants a renewal
    /// authorization, as the detail's verdicts allow; anyone else reads the domain's reason
    /// (the renewal's to the ISV, the replacement's to the others).
    fn renew_selected(&mut self) -> Vec<Effect> {
        let (id, seen_as) = match self.current_detail() {
            Some(Detail::Agreement { view, .. }) => (view.id.clone(), view.seen_as),
            Some(Detail::AwsAgreement { view, .. }) => (view.id.clone(), view.seen_as),
            _ => {
                self.say(super::text::notices::SELECT_A_RECORD.into(), true);
                return Vec::new();
            }
        };
        let detail = self.current_detail().expect("checked above");
        match (detail.allows(Verb::Replace), detail.allows(Verb::GrantRenewal)) {
            (Ok(()), _) => {
                self.over.form_coming = true;
                vec![Effect::LoadReplacementTargets(id)]
            }
            (_, Ok(())) => {
                let Some(Detail::Agreement { view, .. }) = self.current_detail().cloned() else { return Vec::new() };
                let (today, me) = (self.today(), self.me());
                let s = self.session.as_ref().expect("a session when tabs show");
                if let Some(me) = me {
                    let form = Form::renewal_opportunity(&me, &s.accounts, &s.products, &view, today);
                    self.over.form = Some(form.with_accounts(&s.accounts));
                }
                Vec::new()
            }
            (Err(replace), Err(renew)) => {
                let why = if seen_as == crate::domain::visibility::Audience::Isv { renew } else { replace };
                self.say(why, true);
                Vec::new()
            }
        }
    }

    /// The partner's replacement offer form, once the market said what may replace the
    /// agreement.
    pub(super) fn open_replacement_form(&mut self, targets: crate::market::ReplacementTargets) -> Vec<Effect> {
        if targets.opportunities.is_empty() {
            self.say(super::text::notices::NO_AUTHORIZATION_FOR_REPLACEMENT.into(), true);
            return Vec::new();
        }
        let accounts = self.session.as_ref().map(|s| s.accounts.as_slice()).unwrap_or_default();
        self.over.form = Some(Form::replacement_offer(targets, self.today()).with_accounts(accounts));
        self.preview_effects()
    }

    pub(super) fn open_offer_form(&mut self, targets: Vec<OpportunityView>) -> Vec<Effect> {
        if targets.is_empty() {
            self.say(super::text::notices::NO_OPPORTUNITY_FOR_OFFER.into(), true);
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

    /// `E`: a later expiry for the selected released offer, or a later end for the selected
    /// Active opportunity (its ISV): a form naming it and the days allowed, then a confirmation.
    pub(super) fn extend_selected(&mut self) -> Vec<Effect> {
        let today = self.today();
        let detail = self.allowed(Verb::Extend);
        let name = |id: &crate::domain::AccountId| self.account_name(id).unwrap_or(id.as_str()).to_owned();
        let form = match detail {
            Some(Detail::Offer { view, opportunity, .. }) => {
                let end = opportunity.as_ref().and_then(|o| o.ends_on);
                let range = crate::domain::offer::extension_range(view.expires_on, end, today);
                let buyer = view.buyer_account_id.as_ref().map_or_else(String::new, name);
                let target = Extending::Offer(view.id.clone(), view.name.clone());
                Form::extend(target, buyer, view.expires_on, range, today)
            }
            Some(Detail::Opportunity { view, .. }) => {
                let range = view.terms.extension_range(today);
                let target = Extending::Opportunity(view.id.clone(), view.name.clone());
                Form::extend(target, name(&view.partner_account_id), view.ends_on, range, today)
            }
            _ => return Vec::new(),
        };
        self.over.form = Some(form);
        Vec::new()
    }

    /// `F`: a step of the financing of the selected agreement, or the selected offer's (buyer).
    pub(super) fn finance_selected(&mut self) -> Vec<Effect> {
        let a = match self.allowed(Verb::Finance) {
            Some(Detail::Offer { agreement: Some(a), .. }) => a,
            Some(Detail::Agreement { view, .. }) => view,
            _ => return Vec::new(),
        };
        let current = match &a.financing {
            Some(FinancingView::Full { provider, months, status, .. }) => Some((provider.as_str(), *months, *status)),
            _ => None,
        };
        self.over.form = Some(Form::finance(a.id.clone(), current, self.today()));
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
        if verb == Verb::Export && self.pushing.is_some() && self.session.as_ref().is_some_and(|s| s.aws) {
            self.say(super::text::notices::PUSH_RUNNING.into(), true);
            return Vec::new();
        }
        if let Some(confirm) = self.confirm_for(&detail, verb) {
            self.over.popup = Some(Popup::Confirm(Box::new(confirm)));
        }
        Vec::new()
    }
}
