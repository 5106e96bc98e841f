//! Customer financing: a buyer has a third-party financier pay an agreement on its behalf
//! and repays the financier on its own schedule, outside AWS.
//!
//! Owns the rules: who may finance (the buyer, alone), which agreements may be financed,
//! how an application moves (offered -> approved -> funded; offered or approved ->
//! declined), and the buyer's repayment plan. What funding pays is the agreement's
//! ([`Agreement::pay_open_by_financier`]); who sees what of it is `visibility`'s.
//!
//! **Decisions** (DOMAIN.md's "Customer financing", made precise here):
//! - The first step names the financier and may start at any status (a buyer records what
//!   the financier said, which may already be an approval, or the funding itself); after
//!   that the status only moves forward, with the same financier. A declined application
//!   is closed: the next step starts a new one, with any financier. Declined changes
//!   nothing else; funded is final.
//! - An agreement may be financed while it is ACTIVE and has a charge still to pay: the
//!   financier pays those (every one, due or not). The amount financed is what is still
//!   to pay when the step is taken, fixed once funded.
//! - An agreement imported from AWS is refused: AWS bills it, and AWS's own financing is
//!   arranged in AWS. Marking its charges paid here would record a payment AWS never made,
//!   which the next import would contradict.
//! - The plan: `months` payments of the amount divided by `months`, at the minor unit. An
//!   exact division rarely exists; rounding each payment half-up and giving the last the
//!   rest can leave the last one many minor units away from the others (100.02 USD over 12
//!   months: eleven of 8.34, then 8.28). So each payment is the amount divided by `months`
//!   rounded down, and the rest (fewer minor units than there are payments) goes to the
//!   last payments, one minor unit each: the payments sum to the amount exactly, and no
//!   two differ by more than one minor unit. With a rest of one, the last payment alone
//!   takes the rounding.

use chrono::NaiveDate;

use super::agreement::{Agreement, AgreementStatus};
use super::error::{ErrorCode, RuleError};
use super::ids::{AccountId, AgreementId};
use super::money::Money;

/// The longest repayment plan cppo records, in months (five years).
pub const MAX_MONTHS: u32 = 60;
/// The longest financier name, in characters.
pub const MAX_PROVIDER_CHARS: usize = 100;

/// Where a financing application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinancingStatus {
    /// The financier offered to finance the agreement.
    Offered,
    /// The financier approved the buyer.
    Approved,
    /// The financier (or the buyer) said no: nothing is paid.
    Declined,
    /// The financier paid the agreement's open charges.
    Funded,
}

impl FinancingStatus {
    pub const ALL: [FinancingStatus; 4] = [Self::Offered, Self::Approved, Self::Declined, Self::Funded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Funded => "funded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s.trim().to_ascii_lowercase())
    }

    /// Its place on the way to funding (declined leaves the way).
    fn rank(self) -> u8 {
        match self {
            Self::Offered => 0,
            Self::Approved => 1,
            Self::Funded => 2,
            Self::Declined => 3,
        }
    }

    /// Whether an application at `self` may move to `to`: forward along offered ->
    /// approved -> funded, or to declined before it is funded.
    pub fn may_move_to(self, to: FinancingStatus) -> bool {
        match (self, to) {
            (Self::Declined | Self::Funded, _) => false,
            (_, Self::Declined) => true,
            (from, to) => to.rank() > from.rank(),
        }
    }
}

/// The buyer's financing of one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Financing {
    pub agreement_id: AgreementId,
    /// The financier's name.
    pub provider: String,
    /// Repayment months.
    pub months: u32,
    pub status: FinancingStatus,
    /// What the financier pays: the agreement's open charges when the step was taken.
    pub amount: Money,
    /// 0 for an application not yet stored.
    pub version: i64,
}

/// What the buyer asks: the financier, the months, the status it reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancingRequest {
    pub provider: String,
    pub months: u32,
    pub status: FinancingStatus,
}

impl FinancingRequest {
    /// Checks the financier's name and the months.
    pub fn check(&self) -> Result<(), RuleError> {
        let name = self.provider.trim();
        if name.is_empty() || name.chars().count() > MAX_PROVIDER_CHARS {
            return Err(RuleError::validation(format!(
                "the financier's name must be 1 to {MAX_PROVIDER_CHARS} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(RuleError::validation("the financier's name must be one line of text"));
        }
        check_months(self.months)
    }
}

/// Repayment months: 1 to [`MAX_MONTHS`].
pub fn check_months(months: u32) -> Result<(), RuleError> {
    if (1..=MAX_MONTHS).contains(&months) {
        Ok(())
    } else {
        Err(RuleError::validation(format!("the repayment plan must be 1 to {MAX_MONTHS} months, not {months}")))
    }
}

/// What is still to pay of `a` if it may be financed now: ACTIVE, made in cppo (not
/// `imported` from AWS), with a charge still to pay.
pub fn financeable(a: &Agreement, imported: bool, today: NaiveDate) -> Result<Money, RuleError> {
    if imported {
        return Err(imported_refusal(&a.id));
    }
    let status = a.status(today);
    if status != AgreementStatus::Active {
        return Err(RuleError::status(format!("{} is {status}: only an Active agreement may be financed", a.id)));
    }
    // A charge cancelled by a replacement is nobody's to pay, a financier's neither.
    let open = a
        .charges
        .iter()
        .filter(|c| c.paid_on.is_none() && c.cancelled_on.is_none())
        .fold(Money::zero(a.currency), |s, c| s.plus(c.amount));
    if open.amount().is_zero() {
        return Err(RuleError::new(
            ErrorCode::NothingDue,
            format!("every charge of {} is paid: nothing to finance", a.id),
        ));
    }
    Ok(open)
}

/// Why an agreement imported from AWS (`id`) is not financed in cppo.
pub fn imported_refusal(id: &AgreementId) -> RuleError {
    RuleError::status(format!("{id} was imported from AWS, which bills it: arrange its financing in AWS Marketplace"))
}

impl Financing {
    /// The buyer `actor` takes a step of the financing of `a` (`current`: the application
    /// stored, if any): the financing as it stands after it.
    pub fn step(
        current: Option<&Financing>,
        a: &Agreement,
        actor: &AccountId,
        req: &FinancingRequest,
        imported: bool,
        today: NaiveDate,
    ) -> Result<Financing, RuleError> {
        if *actor != a.buyer {
            return Err(RuleError::denied(format!("only the buyer ({}) finances {}", a.buyer, a.id)));
        }
        req.check()?;
        let provider = req.provider.trim().to_owned();
        let open = match current {
            // A live application keeps its financier and moves forward only.
            Some(f) if f.status != FinancingStatus::Declined => {
                if f.provider != provider {
                    return Err(RuleError::status(format!(
                        "{} is financed by {} ({}): decline that first to apply to {provider}",
                        a.id, f.provider, f.status
                    )));
                }
                if f.status == req.status {
                    return Err(RuleError::status(format!("the financing of {} is already {}", a.id, f.status)));
                }
                if !f.status.may_move_to(req.status) {
                    return Err(RuleError::status(format!(
                        "the financing of {} is {}: it cannot become {}",
                        a.id, f.status, req.status
                    )));
                }
                // Declining needs nothing of the agreement: nothing is paid.
                if req.status == FinancingStatus::Declined {
                    return Ok(Financing { status: req.status, ..f.clone() });
                }
                financeable(a, imported, today)?
            }
            _ => financeable(a, imported, today)?,
        };
        Ok(Financing {
            agreement_id: a.id.clone(),
            provider,
            months: req.months,
            status: req.status,
            amount: open,
            version: current.map_or(0, |f| f.version),
        })
    }

    /// The buyer's repayments to the financier, first to last.
    pub fn plan(&self) -> Vec<Money> {
        repayment_plan(self.amount, self.months)
    }
}

/// `months` payments of `amount / months` at the minor unit; the rest of the division goes
/// to the last payments, one minor unit each (see the module's decision). Empty for 0
/// months.
pub fn repayment_plan(amount: Money, months: u32) -> Vec<Money> {
    if months == 0 {
        return Vec::new();
    }
    let total = amount.minor_units();
    let n = i64::from(months);
    let (base, rest) = (total.div_euclid(n), total.rem_euclid(n));
    (0..n).map(|i| Money::from_minor(base + i64::from(i >= n - rest), amount.currency())).collect()
}

/// A plan told in runs of equal payments: (first payment number, last, amount), numbered
/// from 1 (`1-6: 8.33`, `7-12: 8.34`).
pub fn plan_runs(plan: &[Money]) -> Vec<(usize, usize, Money)> {
    let mut runs: Vec<(usize, usize, Money)> = Vec::new();
    for (i, m) in plan.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if run.2 == *m => run.1 = i + 1,
            _ => runs.push((i + 1, i + 1, *m)),
        }
    }
    runs
}

/// A plan in words: `12 monthly payments: 1-6 of 8.33 USD, 7-12 of 8.34 USD`.
pub fn plan_words(plan: &[Money]) -> String {
    let runs: Vec<String> = plan_runs(plan)
        .into_iter()
        .map(|(a, b, m)| if a == b { format!("{a} of {m}") } else { format!("{a}-{b} of {m}") })
        .collect();
    let n = plan.len();
    format!("{n} monthly payment{}: {}", if n == 1 { "" } else { "s" }, runs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Usd)
    }

    #[test]
    fn an_even_amount_is_repaid_in_equal_payments() {
        assert_eq!(repayment_plan(usd(120_000), 12), vec![usd(10_000); 12]);
    }

    #[test]
    fn the_last_payments_take_the_rest_one_minor_unit_each() {
        let plan = repayment_plan(usd(10_002), 12);
        assert_eq!(&plan[..6], &[usd(833); 6]);
        assert_eq!(&plan[6..], &[usd(834); 6]);
        assert_eq!(plan.iter().map(Money::minor_units).sum::<i64>(), 10_002);
    }

    #[test]
    fn a_rest_of_one_goes_to_the_last_payment_alone() {
        assert_eq!(repayment_plan(usd(1_000), 3), vec![usd(333), usd(333), usd(334)]);
    }

    #[test]
    fn yen_are_repaid_in_whole_yen() {
        let plan = repayment_plan(Money::from_minor(1_000, Currency::Jpy), 6);
        assert_eq!(
            plan.iter().map(|m| m.amount().to_string()).collect::<Vec<_>>(),
            ["166", "166", "167", "167", "167", "167"]
        );
    }

    #[test]
    fn a_plan_is_told_in_runs_of_equal_payments() {
        assert_eq!(
            plan_words(&repayment_plan(usd(10_002), 12)),
            "12 monthly payments: 1-6 of 8.33 USD, 7-12 of 8.34 USD"
        );
        assert_eq!(plan_words(&repayment_plan(usd(1_000), 1)), "1 monthly payment: 1 of 10.00 USD");
    }

    #[test]
    fn status_moves_forward_or_to_declined_until_funded() {
        use FinancingStatus::*;
        assert!(Offered.may_move_to(Approved));
        assert!(Offered.may_move_to(Funded));
        assert!(Approved.may_move_to(Funded));
        assert!(Offered.may_move_to(Declined));
        assert!(Approved.may_move_to(Declined));
        assert!(!Approved.may_move_to(Offered));
        assert!(!Offered.may_move_to(Offered));
        assert!(!Funded.may_move_to(Declined));
        assert!(!Declined.may_move_to(Approved));
    }

    #[test]
    fn a_financier_name_is_one_line_of_up_to_100_characters() {
        let req = |p: &str| FinancingRequest { provider: p.into(), months: 12, status: FinancingStatus::Offered };
        assert!(req("Acme Capital").check().is_ok());
        assert!(req("  ").check().is_err());
        assert!(req(&"x".repeat(101)).check().is_err());
        assert!(req("Acme\nCapital").check().is_err());
        assert!(check_months(0).is_err());
        assert!(check_months(61).is_err());
    }
}
