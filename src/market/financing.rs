//! Customer financing: the buyer records its financier's steps on an agreement; funding
//! pays every open charge at once, disbursed to the ISV and the partner as any payment.

use serde_json::json;

use super::views::AgreementView;
use super::{Market, MarketError, MarketResult, audit};
use crate::domain::financing::imported_refusal;
use crate::domain::{
    AccountId, Agreement, AgreementId, Financing, FinancingRequest, FinancingStatus, aws_agreement, visibility,
};
use crate::store::events::NewEvent;
use crate::store::{Conn as Connection, aws, aws_agreements, financing, ledger};

impl Market {
    /// The buyer takes a step of an agreement's financing (applies, or records the
    /// financier's answer): the agreement as the buyer sees it after it.
    pub fn finance_agreement(
        &mut self,
        actor: &AccountId,
        id: &AgreementId,
        req: &FinancingRequest,
    ) -> MarketResult<AgreementView> {
        let (now, today) = (self.now(), self.today());
        self.store.write(|tx| {
            let Some(mut a) = ledger::get(tx, id)?.filter(|a| visibility::agreement(actor, a).is_some()) else {
                // An agreement AWS made, imported: its party hears why not, anyone else "not found".
                return match aws_agreements::get(tx, id)?.filter(|a| aws_agreement::audience(actor, a).is_some()) {
                    Some(_) => Err(imported_refusal(id).into()),
                    None => Err(MarketError::not_found("agreement", id)),
                };
            };
            let current = financing::get(tx, id, a.currency)?;
            let mut f = Financing::step(current.as_ref(), &a, actor, req, imported(tx, id)?, today)?;
            financing::put(tx, &mut f, current.is_none(), now)?;
            let from = current.as_ref().map(|c| c.status.as_str());
            audit(
                tx,
                NewEvent {
                    actor,
                    entity: "agreement",
                    entity_id: a.id.as_str(),
                    action: "finance",
                    from_state: from,
                    to_state: Some(f.status.as_str()),
                    details: json!({ "provider": f.provider, "months": f.months, "amount": f.amount.to_plain() }),
                    // The financier and the plan are the buyer's business.
                    audience: vec![&a.buyer],
                },
                now,
            )?;
            if f.status == FinancingStatus::Funded {
                pay_by_financier(tx, actor, &mut a, today, now)?;
            }
            Ok::<_, MarketError>(())
        })?;
        let (_, view) = self.agreement(actor, id)?;
        Ok(view)
    }

    /// The financing of `a`, if the buyer applied for one (unscoped: views filter it).
    pub(super) fn financing_of(&self, a: &Agreement) -> MarketResult<Option<Financing>> {
        Ok(financing::get(self.conn(), &a.id, a.currency)?)
    }

    /// Whether `viewer` could take a financing step on `a` now (the TUI's `F`): the domain's
    /// verdict on a first application, or on approving the one under way.
    pub fn finance_verdict(&self, viewer: &AccountId, a: &Agreement) -> Result<(), String> {
        let current = self.financing_of(a).map_err(|e| e.to_string())?;
        let imported = imported(self.conn(), &a.id).map_err(|e| e.to_string())?;
        let req = match &current {
            Some(f) if f.status != FinancingStatus::Declined => FinancingRequest {
                provider: f.provider.clone(),
                months: f.months,
                status: if f.status == FinancingStatus::Offered {
                    FinancingStatus::Approved
                } else {
                    FinancingStatus::Funded
                },
            },
            _ => FinancingRequest { provider: "probe".into(), months: 12, status: FinancingStatus::Offered },
        };
        Financing::step(current.as_ref(), a, viewer, &req, imported, self.today()).map(|_| ()).map_err(|e| e.message)
    }
}

/// Was agreement `id` imported from AWS (it has an AWS source)?
fn imported(conn: &Connection, id: &AgreementId) -> MarketResult<bool> {
    Ok(aws::source(conn, id.as_str())?.is_some())
}

/// The financier pays every open charge of `a`: the disbursements, and one payment event
/// every party sees, saying only that a financier paid.
fn pay_by_financier(
    tx: &Connection,
    actor: &AccountId,
    a: &mut Agreement,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> MarketResult<()> {
    let paid = a.pay_open_by_financier(today);
    let mut charges = Vec::new();
    for (idx, disbursements) in &paid {
        ledger::record_payment(tx, a, *idx, disbursements, now)?;
        charges.push(a.charges[*idx].id.as_str().to_owned());
    }
    audit(
        tx,
        NewEvent {
            actor,
            entity: "agreement",
            entity_id: a.id.as_str(),
            action: "pay",
            from_state: None,
            to_state: None,
            details: json!({ "charge_ids": charges, "paid_by": "financier" }),
            audience: crate::domain::visibility::agreement_readers(a),
        },
        now,
    )
}
