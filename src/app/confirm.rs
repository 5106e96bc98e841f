//! What each confirmation holds: the consequence of the change, and the command it runs.
//! Its words are in `text::confirm`.

use super::command::Command;
use super::form::{Extending, FormKind};
use super::model::Effect;
use super::text::confirm as t;
use super::{App, Confirm, Detail};
use crate::domain::{AccountId, Money, OfferState, OfferStatus, OpportunityState, OpportunityStatus, RecordId};
use crate::market::actions::Verb;
use crate::market::views::Figure;
use crate::market::{changeset_file, planned_file, submit_command};

impl App {
    /// The confirmation of `verb` on `detail`, stating its consequence.
    pub(super) fn confirm_for(&self, detail: &Detail, verb: Verb) -> Option<Confirm> {
        let name = |id: &AccountId| self.account_name(id).map_or_else(|| id.to_string(), |n| format!("{n} ({id})"));
        let money = |amount: Option<Money>| amount.map_or_else(|| t::NONE.into(), |m| m.display());
        let figure = |amount: Option<Figure>| amount.map_or_else(|| t::NONE.into(), Figure::text);
        let dir = self.session.as_ref().and_then(|s| s.export_dir.as_deref());
        Some(match (detail, verb) {
            (Detail::Opportunity { view, .. }, Verb::Release) => Confirm {
                title: t::release(&view.name),
                lines: vec![
                    t::partner_will_see(&name(&view.partner_account_id)),
                    t::TERMS_FROZEN.into(),
                    t::authorized(view.ends_on),
                ],
                effect: Effect::Run(Command::ReleaseOpportunity(view.id.clone())),
                with_release: None,
            },
            (Detail::Opportunity { view, .. }, Verb::End) => Confirm {
                title: t::end(&view.name),
                lines: vec![
                    t::NO_NEW_OFFER.into(),
                    t::offers_stay(view.offers_created),
                    t::new_status(OpportunityStatus::Deactivated.label()),
                ],
                effect: Effect::Run(Command::EndOpportunity(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Release) => Confirm {
                title: t::release(&view.name),
                lines: vec![
                    t::buyer_can_accept(
                        &view.buyer_account_id.as_ref().map_or_else(|| t::THE_BUYER.into(), name),
                        &view.expires_on.map_or_else(|| t::NONE.into(), |d| d.to_string()),
                    ),
                    t::buyer_pays(&figure(view.buyer_total)),
                    t::new_status(OfferStatus::Active.label()),
                ],
                effect: Effect::Run(Command::ReleaseOffer(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Cancel) => Confirm {
                title: t::cancel(&view.name),
                lines: vec![t::expiry_moves(), t::EXTEND_AGAIN.into(), t::new_status(OfferStatus::Cancelled.label())],
                effect: Effect::Run(Command::CancelOffer(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Accept) => {
                let mut lines = vec![
                    t::from_seller(&name(&view.partner_account_id)),
                    match view.buyer_total {
                        Some(Figure::Unplanned) => t::TOTAL_UNKNOWN.into(),
                        total => t::agree_to_pay(&figure(total)),
                    },
                ];
                lines.extend(view.charge_plan.iter().map(|c| t::charge(&money(c.amount), c.due_on)));
                Confirm {
                    title: t::accept(&view.name),
                    lines,
                    effect: Effect::Run(Command::AcceptOffer(view.id.clone())),
                    with_release: None,
                }
            }
            (Detail::Offer { agreement: Some(a), .. } | Detail::Agreement { view: a, .. }, Verb::Pay) => {
                let next = a.charges.iter().find(|c| c.paid_on.is_none() && c.cancelled_on.is_none());
                let amount = money(next.and_then(|c| c.amount));
                Confirm {
                    title: t::pay(&amount),
                    lines: vec![
                        t::charge_due(&next.map_or_else(|| t::NONE.into(), |c| c.due_on.to_string()), a.id.as_str()),
                        t::goes_to(&name(&a.partner_account_id)),
                        t::PAYS_THE_PARTIES.into(),
                    ],
                    effect: Effect::Run(Command::PayNext(a.id.clone())),
                    with_release: None,
                }
            }
            (Detail::Opportunity { view, .. }, Verb::Export) => export_confirm(
                view.id.clone().into(),
                &view.name,
                view.state == OpportunityState::Draft,
                view.aws.is_some(),
                dir,
            ),
            (Detail::Offer { view, .. }, Verb::Export) => export_confirm(
                view.id.clone().into(),
                &view.name,
                view.state == OfferState::Draft,
                view.aws.is_some(),
                dir,
            ),
            (Detail::Opportunity { view, .. }, Verb::Delete) => Confirm {
                title: t::delete(&view.name),
                lines: vec![t::OPPORTUNITY_GOES.into(), t::AUDIT_KEEPS.into()],
                effect: Effect::Run(Command::DeleteOpportunity(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Delete) => Confirm {
                title: t::delete(&view.name),
                lines: vec![t::OFFER_GOES.into(), t::ONE_OFFER_LESS.into(), t::AUDIT_KEEPS.into()],
                effect: Effect::Run(Command::DeleteOffer(view.id.clone())),
                with_release: None,
            },
            _ => return None,
        })
    }
}

/// `E`, once a date is typed: what moves, from what to what, and for whom.
pub(super) fn extension(kind: &FormKind, command: Command) -> Option<Confirm> {
    let FormKind::Extend { target, party, current, .. } = kind else { return None };
    let to = match &command {
        Command::ExtendOffer(_, to) | Command::ExtendOpportunity(_, to) => *to,
        _ => return None,
    };
    let lines = match target {
        Extending::Offer(..) => vec![
            t::expiry_moves_to(*current, to),
            t::buyer_can_accept(if party.is_empty() { t::THE_BUYER } else { party }, &to.to_string()),
            t::new_status(OfferStatus::Active.label()),
        ],
        Extending::Opportunity(..) => {
            vec![t::end_moves_to(*current, to), t::partner_may_offer(party, to), t::EXPORT_SENDS_END.into()]
        }
    };
    Some(Confirm { title: t::extend(target.name()), lines, effect: Effect::Run(command), with_release: None })
}

/// `X`: what the export writes and where; a draft may go with its release (`r`).
/// `dir`: the export folder the file keeps, `None` for the current directory.
fn export_confirm(id: RecordId, name: &str, draft: bool, imported: bool, dir: Option<&str>) -> Confirm {
    let what = if imported { t::MOVES_AWS_COPY } else { t::CREATES_ON_AWS };
    let mut lines =
        vec![t::writes(&changeset_file(&id), dir), what.into(), t::then(&submit_command(&planned_file(&id, dir)))];
    let with_release = draft.then(|| {
        lines.push(String::new());
        lines.push(t::DRAFT_OR_RELEASED.into());
        Effect::Export { id: id.clone(), release: true }
    });
    let effect = Effect::Export { id, release: false };
    Confirm { title: t::export(name), lines, effect, with_release }
}
