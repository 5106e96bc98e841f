//! The flows that change things: forms, confirmations and the review queue. Whether an
//! action is allowed is never decided here: the detail carries the domain's verdict for
//! each verb, and the use case judges again when it runs.

use super::command::Command;
use super::form::{Form, FormEvent, FormKind};
use super::keymap::{Action, BINDINGS};
use super::{App, Confirm, Detail, Effect, Popup, Review, Tab};
use crate::domain::{AccountId, Money, Offer, OfferState, OpportunityState, Roles};
use crate::market::actions::{ReviewItem, Verb};
use crate::market::views::OpportunityView;
use crate::market::words;

/// The verb an action key asks for.
fn verb(action: Action) -> Option<Verb> {
    Some(match action {
        Action::Edit => Verb::Edit,
        Action::Extend => Verb::Extend,
        Action::Release => Verb::Release,
        Action::End => return None,
        Action::Accept => Verb::Accept,
        Action::Pay => Verb::Pay,
        Action::Export => Verb::Export,
        _ => return None,
    })
}

impl App {
    /// A notice at the bottom; `warn` for a refusal.
    /// A word for the person at start-up (e.g. no log file this time).
    pub fn notice(&mut self, text: String) {
        self.say(text, true);
    }

    pub(super) fn say(&mut self, text: String, warn: bool) {
        self.toast = Some((crate::domain::error::one_line(&text), if warn { 16 } else { 12 }));
        self.toast_warn = warn;
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
        self.detail.as_ref().filter(|(k, _)| *k == key).map(|(_, d)| d)
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

    /// The one-line hints: the keys of the current scopes, action keys only where the
    /// selected record allows them.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        let scopes = self.scopes();
        let detail = self.current_detail();
        let reviewing = self.review.is_some();
        scopes
            .iter()
            .flat_map(|scope| BINDINGS.iter().filter(move |b| b.scope == *scope))
            .filter(|b| !(reviewing && Self::is_navigation(b.action)))
            .filter(|b| match (b.action, detail) {
                (Action::End, Some(d)) => d.allows(Verb::End).is_ok() || d.allows(Verb::Cancel).is_ok(),
                (Action::End, None) => false,
                (a, d) => match verb(a) {
                    Some(v) => d.is_some_and(|d| d.allows(v).is_ok()),
                    None => true,
                },
            })
            .filter_map(|b| b.hint.map(|h| (b.label.split("  ").next().unwrap_or(b.label), h)))
            .collect()
    }

    pub(super) fn form_event(&mut self, ev: FormEvent) -> Vec<Effect> {
        match ev {
            FormEvent::Nothing => Vec::new(),
            FormEvent::Cancel => {
                self.form = None;
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
        let Some(form) = &mut self.form else { return Vec::new() };
        let FormKind::Offer { edit, .. } = &form.kind else { return Vec::new() };
        let new = edit.is_none();
        let opportunity = form.chosen_opportunity().map(|o| o.terms.clone());
        form.preview = match (me, opportunity, form.offer_terms()) {
            (Some(me), Some(opp), Some((_, terms))) => {
                Some(Offer::preview(&me, &opp, terms, today, new).map_err(|e| e.message))
            }
            _ => None,
        };
        Vec::new()
    }

    /// `n`: an account (Partners), an opportunity (ISV) or an offer (partner).
    pub(super) fn new_record(&mut self) -> Vec<Effect> {
        let today = self.today();
        if self.welcome() {
            self.form = Some(Form::account(today));
            return Vec::new();
        }
        match self.tab {
            Tab::Partners => {
                self.form = Some(Form::account(today));
                Vec::new()
            }
            Tab::Opportunities => {
                let me = self.me();
                // The selected row says whose opportunity it is; the detail, once loaded,
                // carries the domain's verdict (the form's preview and the save judge again).
                let received =
                    self.opportunities.selected().filter(|o| Some(&o.partner_account_id) == me.as_ref()).cloned();
                if let Some(view) = received {
                    if let Some(Err(why)) = self.current_detail().map(|d| d.allows(Verb::NewOffer)) {
                        self.say(why, true);
                        return Vec::new();
                    }
                    return self.open_offer_form(vec![view]);
                }
                if let (true, Some(me)) = (self.roles().isv, &me) {
                    let s = self.session.as_ref().expect("a session when tabs show");
                    self.form = Some(Form::new_opportunity(me, &s.accounts, &s.products, today));
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
        self.form = Some(Form::new_offer(targets, self.today()));
        self.preview_effects()
    }

    /// `e`: edit the selected draft.
    pub(super) fn edit_selected(&mut self) -> Vec<Effect> {
        let Some(detail) = self.allowed(Verb::Edit) else { return Vec::new() };
        let today = self.today();
        let s = self.session.as_ref().expect("a session when tabs show");
        match detail {
            Detail::Opportunity { view, .. } => {
                self.form = Some(Form::edit_opportunity(&view, &s.accounts, &s.products, today));
                Vec::new()
            }
            Detail::Offer { view, opportunity: Some(opp), .. } => {
                self.form = Some(Form::edit_offer(&view, *opp, today));
                self.preview_effects()
            }
            _ => Vec::new(),
        }
    }

    /// `E`: a new expiry for the selected released offer.
    pub(super) fn extend_selected(&mut self) -> Vec<Effect> {
        let Some(Detail::Offer { view, .. }) = self.allowed(Verb::Extend) else { return Vec::new() };
        self.form = Some(Form::extend(view.id.clone(), view.expires_on, self.today()));
        Vec::new()
    }

    /// `r`, `x`, `a`, `p`: a confirm popup stating the consequence.
    pub(super) fn confirm_selected(&mut self, action: Action) -> Vec<Effect> {
        let verb = match (action, self.current_detail()) {
            (Action::End, Some(Detail::Offer { .. })) => Verb::Cancel,
            (Action::End, _) => Verb::End,
            (a, _) => verb(a).expect("an action verb"),
        };
        let Some(detail) = self.allowed(verb) else { return Vec::new() };
        if let Some(confirm) = self.confirm_for(&detail, verb) {
            self.popup = Some(Popup::Confirm(Box::new(confirm)));
        }
        Vec::new()
    }

    /// The confirmation of `verb` on `detail`, stating its consequence.
    fn confirm_for(&self, detail: &Detail, verb: Verb) -> Option<Confirm> {
        let name = |id: &AccountId| self.account_name(id).map_or_else(|| id.to_string(), |n| format!("{n} ({id})"));
        let money = |amount: Option<Money>| amount.map_or_else(|| "-".into(), |m| m.display());
        Some(match (detail, verb) {
            (Detail::Opportunity { view, .. }, Verb::Release) => Confirm {
                title: format!("Release {}", view.name),
                lines: vec![
                    format!("{} will see it and can make offers from it.", name(&view.partner_account_id)),
                    "Its terms are frozen once released.".into(),
                    format!(
                        "New status: Authorized{}",
                        view.ends_on.map_or_else(String::new, |d| format!(" until {d}"))
                    ),
                ],
                command: Command::ReleaseOpportunity(view.id.clone()),
                with_release: None,
            },
            (Detail::Opportunity { view, .. }, Verb::End) => Confirm {
                title: format!("End {}", view.name),
                lines: vec![
                    "No new offer can be made from it. This cannot be undone.".into(),
                    format!("The {} offer(s) already made and their agreements stay as they are.", view.offers_created),
                    "New status: Deactivated".into(),
                ],
                command: Command::EndOpportunity(view.id.clone()),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Release) => Confirm {
                title: format!("Release {}", view.name),
                lines: vec![
                    format!(
                        "{} can accept it until {} 23:59:59 UTC.",
                        view.buyer_account_id.as_ref().map_or_else(|| "The buyer".into(), name),
                        view.expires_on.map_or_else(|| "-".into(), |d| d.to_string())
                    ),
                    format!("The buyer pays {}; its terms are frozen once released.", money(view.buyer_total)),
                    "New status: Active".into(),
                ],
                command: Command::ReleaseOffer(view.id.clone()),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Cancel) => Confirm {
                title: format!("Cancel {}", view.name),
                lines: vec![
                    format!("Its expiry moves to yesterday: {}.", words::OFFER_CANCELLED),
                    "You can extend it again later (E).".into(),
                    "New status: Expired".into(),
                ],
                command: Command::CancelOffer(view.id.clone()),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Accept) => {
                let mut lines = vec![
                    format!("From {} (seller of record).", name(&view.partner_account_id)),
                    format!("You agree to pay {} in total; the agreement starts today.", money(view.buyer_total)),
                ];
                for c in &view.charge_plan {
                    let when = c.due_on.map_or_else(|| "today, on acceptance".into(), |d| format!("on {d}"));
                    let amount = money(c.amount);
                    lines.push(format!("  charge {amount} {when}"));
                }
                Confirm {
                    title: format!("Accept {}", view.name),
                    lines,
                    command: Command::AcceptOffer(view.id.clone()),
                    with_release: None,
                }
            }
            (Detail::Offer { agreement: Some(a), .. }, Verb::Pay) => {
                let next = a.charges.iter().find(|c| c.paid_on.is_none());
                let amount = money(next.and_then(|c| c.amount));
                Confirm {
                    title: format!("Pay {amount}"),
                    lines: vec![
                        format!(
                            "The charge due {} of agreement {}.",
                            next.map_or_else(|| "-".into(), |c| c.due_on.to_string()),
                            a.id
                        ),
                        format!(
                            "It goes to {} (seller of record) through AWS Marketplace,",
                            name(&a.partner_account_id)
                        ),
                        "which pays the ISV its wholesale part, less the listing fee, and the partner its markup."
                            .into(),
                    ],
                    command: Command::PayNext(a.id.clone()),
                    with_release: None,
                }
            }
            (Detail::Opportunity { view, .. }, Verb::Export) => {
                export_confirm(view.id.as_str(), &view.name, view.state == OpportunityState::Draft, view.aws.is_some())
            }
            (Detail::Offer { view, .. }, Verb::Export) => {
                export_confirm(view.id.as_str(), &view.name, view.state == OfferState::Draft, view.aws.is_some())
            }
            _ => return None,
        })
    }

    /// A state change succeeded: close the form, move the review on, reload.
    pub(super) fn done(&mut self, text: String) -> Vec<Effect> {
        self.busy = None;
        self.form = None;
        self.say(text, false);
        self.detail = None;
        let mut fx = Vec::new();
        if self.review.is_some() {
            fx.extend(self.review_step());
        }
        fx.push(Effect::LoadSession);
        fx
    }

    pub(super) fn start_review(&mut self, items: Vec<ReviewItem>) -> Vec<Effect> {
        if items.is_empty() {
            self.say("Nothing needs you right now".into(), false);
            return Vec::new();
        }
        self.review = Some(Review { items, index: 0 });
        self.detail = None;
        self.detail_open = false;
        self.select_effects()
    }

    /// Moves the review to its next item; leaves it after the last one.
    pub(super) fn review_step(&mut self) -> Vec<Effect> {
        let Some(r) = &mut self.review else { return Vec::new() };
        r.index += 1;
        if r.index >= r.items.len() {
            self.review = None;
            self.say("Review done: you went through every item".into(), false);
        }
        self.detail = None;
        self.select_effects()
    }
}

/// `X`: what the export writes and where; a draft may go with its release (`r`).
fn export_confirm(id: &str, name: &str, draft: bool, imported: bool) -> Confirm {
    let file = format!("{id}.changeset.json");
    let what = if imported {
        "moves AWS's copy to what cppo holds (only what changed). Nothing changes in cppo."
    } else {
        "creates it on AWS Marketplace. Nothing changes in cppo."
    };
    let mut lines = vec![
        format!("Writes {file} in the current directory: the change set that"),
        what.into(),
        format!("Then: aws marketplace-catalog start-change-set --cli-input-json file://{file}"),
    ];
    let command = Command::Export { id: id.to_owned(), release: false };
    let with_release = draft.then(|| {
        lines.push(String::new());
        lines.push("y: as a draft on AWS    r: released on AWS too".into());
        Command::Export { id: id.to_owned(), release: true }
    });
    Confirm { title: format!("Export {name}"), lines, command, with_release }
}
