//! What each confirmation says: the consequence of the change, in the person's words, and
//! the command it runs. The texts of the TUI's questions live here, beside `market::words`
//! (what a change means, shared with the CLI) and `ui::text` (the fixed strings).

use super::command::Command;
use super::model::Effect;
use super::{App, Confirm, Detail};
use crate::domain::{AccountId, Money, OfferState, OpportunityState, RecordId};
use crate::market::actions::Verb;
use crate::market::views::Figure;
use crate::market::words;
use crate::market::{changeset_file, planned_file, submit_command};

impl App {
    /// The confirmation of `verb` on `detail`, stating its consequence.
    pub(super) fn confirm_for(&self, detail: &Detail, verb: Verb) -> Option<Confirm> {
        let name = |id: &AccountId| self.account_name(id).map_or_else(|| id.to_string(), |n| format!("{n} ({id})"));
        let money = |amount: Option<Money>| amount.map_or_else(|| "-".into(), |m| m.display());
        let figure = |amount: Option<Figure>| amount.map_or_else(|| "-".into(), Figure::text);
        let dir = self.session.as_ref().and_then(|s| s.export_dir.as_deref());
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
                effect: Effect::Run(Command::ReleaseOpportunity(view.id.clone())),
                with_release: None,
            },
            (Detail::Opportunity { view, .. }, Verb::End) => Confirm {
                title: format!("End {}", view.name),
                lines: vec![
                    "No new offer can be made from it. This cannot be undone.".into(),
                    format!("The {} offer(s) already made and their agreements stay as they are.", view.offers_created),
                    "New status: Deactivated".into(),
                ],
                effect: Effect::Run(Command::EndOpportunity(view.id.clone())),
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
                    format!("The buyer pays {}; its terms are frozen once released.", figure(view.buyer_total)),
                    "New status: Active".into(),
                ],
                effect: Effect::Run(Command::ReleaseOffer(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Cancel) => Confirm {
                title: format!("Cancel {}", view.name),
                lines: vec![
                    format!("Its expiry moves to yesterday: {}.", words::OFFER_CANCELLED),
                    "You can extend it again later (E).".into(),
                    "New status: Expired".into(),
                ],
                effect: Effect::Run(Command::CancelOffer(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Accept) => {
                let mut lines = vec![
                    format!("From {} (seller of record).", name(&view.partner_account_id)),
                    match view.buyer_total {
                        Some(Figure::Unplanned) => {
                            "No quantities are planned: its total is unknown; the agreement starts today.".into()
                        }
                        total => format!("You agree to pay {} in total; the agreement starts today.", figure(total)),
                    },
                ];
                for c in &view.charge_plan {
                    let when = c.due_on.map_or_else(|| "today, on acceptance".into(), |d| format!("on {d}"));
                    let amount = money(c.amount);
                    lines.push(format!("  charge {amount} {when}"));
                }
                Confirm {
                    title: format!("Accept {}", view.name),
                    lines,
                    effect: Effect::Run(Command::AcceptOffer(view.id.clone())),
                    with_release: None,
                }
            }
            (Detail::Offer { agreement: Some(a), .. }, Verb::Pay) => {
                let next = a.charges.iter().find(|c| c.paid_on.is_none() && c.cancelled_on.is_none());
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
                title: format!("Delete {}", view.name),
                lines: vec![
                    "The draft goes for good: its partner never saw it.".into(),
                    "The audit log keeps that it existed.".into(),
                ],
                effect: Effect::Run(Command::DeleteOpportunity(view.id.clone())),
                with_release: None,
            },
            (Detail::Offer { view, .. }, Verb::Delete) => Confirm {
                title: format!("Delete {}", view.name),
                lines: vec![
                    "The draft goes for good: its buyer never saw it.".into(),
                    "Its opportunity counts one offer less (a one-time one can take an offer again).".into(),
                    "The audit log keeps that it existed.".into(),
                ],
                effect: Effect::Run(Command::DeleteOffer(view.id.clone())),
                with_release: None,
            },
            _ => return None,
        })
    }
}

/// `X`: what the export writes and where; a draft may go with its release (`r`).
/// `dir`: the export folder the file keeps, `None` for the current directory.
fn export_confirm(id: RecordId, name: &str, draft: bool, imported: bool, dir: Option<&str>) -> Confirm {
    let what = if imported {
        "moves AWS's copy to what cppo holds (only what changed). Nothing changes in cppo."
    } else {
        "creates it on AWS Marketplace. Nothing changes in cppo."
    };
    let mut lines = vec![
        format!("Writes {} in {}: the change set that", changeset_file(&id), dir.unwrap_or("the current directory")),
        what.into(),
        format!("Then: {}", submit_command(&planned_file(&id, dir))),
    ];
    let with_release = draft.then(|| {
        lines.push(String::new());
        lines.push("y: as a draft on AWS    r: released on AWS too".into());
        Effect::Export { id: id.clone(), release: true }
    });
    let effect = Effect::Export { id, release: false };
    Confirm { title: format!("Export {name}"), lines, effect, with_release }
}
