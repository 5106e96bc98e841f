//! What the acting account may do next with a record, and what needs its attention.
//!
//! Availability is asked of the domain itself: each transition is tried on a copy, so the
//! TUI offers exactly the actions the use cases would accept, with the domain's reason
//! when they would not.

use crate::domain::clock::{OFFER_ATTENTION_DAYS, OPPORTUNITY_ATTENTION_DAYS};
use chrono::NaiveDate;
use serde::Serialize;

use super::{Market, MarketResult};
use crate::domain::{AccountId, Agreement, Offer, Opportunity, OpportunityId, OpportunityKind};
use crate::store::review;

/// A state change the TUI can start from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Verb {
    /// Edit a draft.
    Edit,
    /// Release a draft.
    Release,
    /// End an opportunity.
    End,
    /// Create an offer from an opportunity.
    NewOffer,
    /// Cancel a released offer.
    Cancel,
    /// Move a released offer's expiry, or an Active opportunity's end date, later.
    Extend,
    /// Accept an offer.
    Accept,
    /// Pay the next charge of the offer's agreement.
    Pay,
    /// Finance the offer's agreement through a third-party financier (buyer).
    Finance,
    /// Write the AWS change set that creates the record (`cppo export`).
    Export,
    /// Delete a draft for good.
    Delete,
    /// Make a replacement offer for an ACTIVE agreement (its partner).
    Replace,
    /// Grant the partner a renewal authorization for an agreement that is ending (its ISV).
    GrantRenewal,
}

/// Each verb with `Ok` or the domain's reason it is refused now.
pub type Actions = Vec<(Verb, Result<(), String>)>;

fn check(r: Result<(), crate::domain::RuleError>) -> Result<(), String> {
    r.map_err(|e| e.message)
}

/// A date that an extension would accept if anything would: the first of the range the
/// domain gives (within its end, so that an empty range is refused for the right reason).
fn extension_probe(range: crate::domain::clock::DateRange) -> NaiveDate {
    range.until.map_or(range.from, |end| range.from.min(end))
}

/// Why nothing is done in cppo to an agreement imported from AWS.
const AWS_HOLDS_IT: &str =
    "AWS holds this agreement: its buyer pays (or finances) it on AWS, and the next import brings the change";

/// Why an ISV grants no renewal authorization from an agreement imported from AWS.
const NO_RENEWAL_FROM_AWS: &str = "a renewal authorization is prefilled from one of cppo's agreements; for one AWS holds, \
     grant the partner a one-time authorization for its buyer (2, then o)";

impl Market {
    /// What `viewer` may do with opportunity `o`.
    pub fn opportunity_actions(&self, viewer: &AccountId, o: &Opportunity) -> Actions {
        let today = self.today();
        vec![
            (Verb::Edit, check(o.check_editable(viewer, today))),
            (Verb::Delete, check(o.check_delete(viewer)).and_then(|()| self.local_delete_verdict(o.id.as_str()))),
            (Verb::Release, check(o.clone().release(viewer, today))),
            (Verb::End, check(o.clone().end(viewer, today))),
            (Verb::Extend, check(o.clone().extend(viewer, extension_probe(o.extension_range(today)), today))),
            (Verb::NewOffer, check(o.check_offer_allowed(viewer, None, today))),
            (Verb::Export, self.opportunity_export_verdict(viewer, o)),
        ]
    }

    /// What `viewer` may do with `offer` (made from `opp`, accepted as `agreement`).
    pub fn offer_actions(
        &self,
        viewer: &AccountId,
        offer: &Offer,
        opp: &Opportunity,
        agreement: Option<&Agreement>,
    ) -> Actions {
        let today = self.today();
        let (pay, finance) = match agreement {
            Some(a) => (check(a.clone().pay_next(viewer, today).map(|_| ())), self.finance_verdict(viewer, a)),
            // An offer AWS made an agreement on (imported) is paid on AWS.
            None => {
                let why = match crate::store::aws_agreements::of_offer(self.conn(), offer.id.as_str()) {
                    Ok(on_aws) if !on_aws.is_empty() => AWS_HOLDS_IT.to_owned(),
                    _ => "the offer has no agreement yet: the buyer accepts it first".to_owned(),
                };
                (Err(why.clone()), Err(why))
            }
        };
        vec![
            (Verb::Edit, check(offer.check_editable(viewer, today))),
            (
                Verb::Delete,
                check(offer.check_delete(viewer)).and_then(|()| self.local_delete_verdict(offer.id.as_str())),
            ),
            (Verb::Release, check(offer.clone().release(viewer, opp, today))),
            (Verb::Cancel, check(offer.clone().cancel(viewer, today))),
            (Verb::Extend, {
                let range = crate::domain::offer::extension_range(offer.expires_on, opp.ends_on, today);
                check(offer.clone().extend(viewer, opp, extension_probe(range), today))
            }),
            (Verb::Accept, self.accept_verdict(viewer, offer)),
            (Verb::Pay, pay),
            (Verb::Finance, finance),
            (Verb::Export, self.offer_export_verdict(viewer, offer, opp)),
        ]
    }

    /// What `viewer` may do with agreement `a`: pay its next charge or finance it (the
    /// buyer), replace it (the partner), grant a renewal authorization for it (the ISV).
    pub fn agreement_actions(&self, viewer: &AccountId, a: &Agreement) -> Actions {
        use crate::domain::replacement::{Target, check_renewal_grant, check_replaceable};
        let today = self.today();
        vec![
            (Verb::Pay, check(a.clone().pay_next(viewer, today).map(|_| ()))),
            (Verb::Finance, self.finance_verdict(viewer, a)),
            (Verb::Replace, check(check_replaceable(viewer, Target::own(a, today)))),
            (Verb::GrantRenewal, check(check_renewal_grant(viewer, a, today))),
        ]
    }

    /// May `viewer` accept `offer` here (a replacement of an AWS agreement is accepted on AWS)?
    fn accept_verdict(&self, viewer: &AccountId, offer: &Offer) -> Result<(), String> {
        check(offer.check_accept(viewer, self.today()))?;
        let on_aws = super::agreements::replaced_on_aws(self.conn(), offer).map_err(|e| e.to_string())?;
        check(crate::domain::replacement::check_accepted_here(offer, on_aws))
    }

    /// What `viewer` may do with an agreement imported from AWS: nothing that changes it (AWS
    /// does; the next import brings the change); paying and financing happen on AWS.
    pub fn aws_agreement_actions(&self, viewer: &AccountId, a: &crate::market::AwsAgreementView) -> Actions {
        let on_aws = || Err(AWS_HOLDS_IT.to_owned());
        vec![
            (Verb::Pay, on_aws()),
            (Verb::Finance, on_aws()),
            (Verb::Replace, self.replace_verdict(viewer, &a.id)),
            (Verb::GrantRenewal, Err(NO_RENEWAL_FROM_AWS.to_owned())),
        ]
    }

    /// May `viewer` make a replacement offer for the agreement `id`, cppo's or AWS's: the
    /// domain's rule first, then whether cppo knows the product it sells.
    fn replace_verdict(&self, viewer: &AccountId, id: &crate::domain::AgreementId) -> Result<(), String> {
        use crate::domain::replacement::{Target, check_replaceable};
        if let Some(a) = crate::store::aws_agreements::get(self.conn(), id).map_err(|e| e.to_string())? {
            check(check_replaceable(viewer, Target::aws(&a)))?;
        }
        super::offers::load_replaceable(self.conn(), viewer, id).map(|_| ()).map_err(|e| e.to_string())
    }

    /// A record imported from AWS is deleted there, not here.
    fn local_delete_verdict(&self, id: &str) -> Result<(), String> {
        let source = self.aws_source(id).map_err(|e| e.to_string())?;
        check(crate::domain::sync::check_local_delete(id, source.as_ref()))
    }

    /// What needs `viewer` and what it can do about it now, nearest deadline first: a draft
    /// the domain would not let it release (its opportunity expired, say) is left out.
    pub fn review_queue(&self, viewer: &AccountId) -> MarketResult<ReviewQueue> {
        let today = self.today();
        let conn = self.conn();
        let mut q = ReviewQueue::default();
        let mut capped = |n: usize| q.capped |= n as i64 >= review::LIMIT;
        let mut items = Vec::new();
        let opportunities = review::isv_opportunities(conn, viewer, today)?;
        capped(opportunities.len());
        for o in opportunities {
            let (kind, why) = if o.state == crate::domain::OpportunityState::Draft {
                if o.clone().release(viewer, today).is_err() {
                    continue;
                }
                (ReviewKind::Release, "draft to release".to_owned())
            } else if o.kind == OpportunityKind::OneTime && o.offers_created == 0 {
                (ReviewKind::Unused, "one-time opportunity not used yet".to_owned())
            } else {
                (ReviewKind::Ending, format!("ends within {OPPORTUNITY_ATTENTION_DAYS} days"))
            };
            items.push(ReviewItem::new(ReviewTarget::Opportunity(o.id.clone()), o.name, kind, why, o.ends_on));
        }
        let opportunities = review::partner_opportunities(conn, viewer, today)?;
        capped(opportunities.len());
        for o in opportunities {
            let why = "ends soon and has no offer".into();
            items.push(ReviewItem::new(
                ReviewTarget::Opportunity(o.id.clone()),
                o.name,
                ReviewKind::Unused,
                why,
                o.ends_on,
            ));
        }
        let offers = review::partner_offers(conn, viewer, today)?;
        capped(offers.len());
        let mut opps: std::collections::HashMap<OpportunityId, Opportunity> = Default::default();
        for r in offers {
            let (kind, why) = if r.offer.state == crate::domain::OfferState::Draft {
                let opp = match opps.entry(r.offer.opportunity_id.clone()) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(self.opportunity_record(&r.offer.opportunity_id)?)
                    }
                };
                if r.offer.clone().release(viewer, opp, today).is_err() {
                    continue;
                }
                (ReviewKind::Release, "draft offer to release".to_owned())
            } else {
                (ReviewKind::Expiring, format!("expires within {OFFER_ATTENTION_DAYS} days"))
            };
            items.push(ReviewItem::new(
                ReviewTarget::Offer(r.offer.id.clone()),
                r.offer.name,
                kind,
                why,
                r.offer.expires_on,
            ));
        }
        let offers = review::buyer_offers(conn, viewer, today)?;
        capped(offers.len());
        for r in offers {
            let why = "awaiting your acceptance".into();
            items.push(ReviewItem::new(
                ReviewTarget::Offer(r.offer.id.clone()),
                r.offer.name,
                ReviewKind::Accept,
                why,
                r.offer.expires_on,
            ));
        }
        let charges = review::buyer_charges(conn, viewer, today)?;
        capped(charges.len());
        for c in charges {
            let overdue = c.due_on < today;
            let why = if overdue {
                format!("OVERDUE since {} (agreement {})", c.due_on, c.agreement_id)
            } else {
                format!("to pay today (agreement {})", c.agreement_id)
            };
            let mut item = ReviewItem::new(
                ReviewTarget::Offer(c.offer_id),
                format!("Charge of {}", c.amount.display()),
                ReviewKind::Pay,
                why,
                Some(c.due_on),
            );
            item.overdue = overdue;
            items.push(item);
        }
        // The partner's buyers who have not paid a charge by its day: the seller of record
        // follows them up.
        let unpaid = review::partner_overdue_charges(conn, viewer, today)?;
        capped(unpaid.len());
        for c in unpaid {
            let buyer = crate::store::parties::account(conn, &c.buyer)?.map_or_else(|| c.buyer.to_string(), |a| a.name);
            let mut item = ReviewItem::new(
                ReviewTarget::Agreement(c.agreement_id.clone()),
                super::words::owed_by(&c.amount.display(), &buyer),
                ReviewKind::Overdue,
                super::words::overdue_since(c.due_on, c.agreement_id.as_str()),
                Some(c.due_on),
            );
            item.overdue = true;
            items.push(item);
        }
        // The renewal radar: the ACTIVE agreements of every party ending soonest first.
        let within = crate::domain::radar::REVIEW_DAYS;
        let by_end = crate::store::query::ListQuery {
            sort: crate::store::query::Sort::Date,
            descending: false,
            limit: review::LIMIT as usize,
            ..Default::default()
        };
        let ending =
            self.agreements_page(viewer, Some(crate::store::query::AgreementNarrow::EndingWithin(within)), &by_end)?;
        capped(ending.rows.len());
        for a in ending.rows {
            let Some(days) = a.days_left() else { continue };
            let why = super::words::ending(days, a.renewal());
            let title = format!("Agreement {}", a.id());
            let due = a.ends_on();
            items.push(ReviewItem::new(ReviewTarget::Agreement(a.id().clone()), title, ReviewKind::Renew, why, due));
        }
        items.sort_by_key(|i| i.due.unwrap_or(NaiveDate::MAX));
        q.items = items;
        Ok(q)
    }
}

/// The review queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewQueue {
    pub items: Vec<ReviewItem>,
    /// Some kind had more items than the queue lists ([`review::LIMIT`] of each): said on
    /// screen, never a silent cut.
    pub capped: bool,
}

impl ReviewQueue {
    /// How many items of each kind, in a fixed order, kinds without items left out.
    pub fn counts(&self) -> Vec<(ReviewKind, usize)> {
        ReviewKind::ALL
            .iter()
            .map(|k| (*k, self.items.iter().filter(|i| i.kind == *k).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// What a review item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewKind {
    Release,
    Ending,
    Unused,
    Expiring,
    Accept,
    Pay,
    /// A charge the buyer of the partner's agreement has not paid by its day.
    Overdue,
    /// An agreement on the renewal radar.
    Renew,
}

impl ReviewKind {
    pub const ALL: [ReviewKind; 8] = [
        Self::Release,
        Self::Expiring,
        Self::Ending,
        Self::Unused,
        Self::Accept,
        Self::Pay,
        Self::Overdue,
        Self::Renew,
    ];

    /// The JSON spelling (`cppo review --json`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Release => "release",
            Self::Ending => "ending",
            Self::Unused => "unused",
            Self::Expiring => "expiring",
            Self::Accept => "accept",
            Self::Pay => "pay",
            Self::Overdue => "overdue",
            Self::Renew => "renew",
        }
    }

    /// Words for a count of them: "3 to release".
    pub fn label(self) -> &'static str {
        match self {
            Self::Release => "to release",
            Self::Ending => "ending",
            Self::Unused => "unused",
            Self::Expiring => "expiring",
            Self::Accept => "to accept",
            Self::Pay => "to pay",
            Self::Overdue => "overdue",
            Self::Renew => "to renew",
        }
    }
}

/// The record a review item is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewTarget {
    Opportunity(crate::domain::OpportunityId),
    Offer(crate::domain::OfferId),
    Agreement(crate::domain::AgreementId),
}

/// One thing that needs the acting account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    pub target: ReviewTarget,
    pub title: String,
    pub kind: ReviewKind,
    /// Why it is in the queue.
    pub why: String,
    /// Its deadline, if any.
    pub due: Option<NaiveDate>,
    /// A charge past its due day.
    pub overdue: bool,
}

impl ReviewItem {
    fn new(target: ReviewTarget, title: String, kind: ReviewKind, why: String, due: Option<NaiveDate>) -> Self {
        Self { target, title, kind, why, due, overdue: false }
    }
}
