//! The whole terms as typed: every field's text read by its parser in one pass, so that a form
//! learns each field's error at once and the CLI the first one, in the fields' order.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Entry, Errors, Field, FieldError};
use crate::domain::offer::OfferTerms;
use crate::domain::opportunity::{OpportunityKind, OpportunityTerms, WholesaleTerms};

/// An offer's terms as typed. `None`: the field was left out (a blank form field).
#[derive(Debug, Clone, Default)]
pub struct OfferText {
    pub name: String,
    pub description: String,
    pub buyer: Option<String>,
    pub markup: String,
    pub expires: Option<String>,
    pub quantities: Vec<Entry>,
    /// One of the opportunity's durations; `None`: its first.
    pub duration: Option<String>,
}

impl OfferText {
    /// The terms, or the first field that does not parse.
    pub fn parse(&self) -> Result<OfferTerms, FieldError> {
        self.parse_all().map_err(|mut e| e.swap_remove(0))
    }

    /// The terms, or every field that does not parse (at least one), in the fields' order.
    pub fn parse_all(&self) -> Result<OfferTerms, Vec<FieldError>> {
        let mut e = Errors::default();
        let buyer = e.take(self.buyer.as_deref().map(|b| super::account(Field::Buyer, b)).transpose());
        let markup = e.take(super::markup(&self.markup));
        let expires = e.take(self.expires.as_deref().map(|d| super::date(Field::Expires, d)).transpose());
        let quantities = e.take_all(self.quantities.iter().map(super::quantity_entry));
        let duration = e.take(self.duration.as_deref().map(super::duration).transpose());
        let (Some(buyer), Some(markup_pct), Some(expires_on), Some(quantities), Some(duration)) =
            (buyer, markup, expires, quantities, duration)
        else {
            return Err(e.0);
        };
        Ok(OfferTerms {
            name: self.name.clone(),
            description: self.description.clone(),
            buyer,
            markup_pct,
            expires_on,
            quantities,
            duration,
        })
    }
}

/// An opportunity's terms as typed. A discount, when given, prices every dimension and the
/// prices typed are not read; without one, the prices are.
#[derive(Debug, Clone)]
pub struct OpportunityText {
    pub partner: String,
    pub name: String,
    pub description: String,
    pub kind: OpportunityKind,
    /// Buyer accounts, each entry listing one or more (commas or spaces between).
    pub buyers: Vec<String>,
    pub currency: String,
    pub discount: Option<String>,
    pub prices: Vec<Entry>,
    pub ends_on: Option<String>,
    pub renewal: bool,
    /// `DATE=AMOUNT` charges, in the opportunity's currency.
    pub installments: Vec<Entry>,
    /// `KEY=UNITS` entries, each listing one or more (commas between).
    pub grants: Vec<String>,
    /// Already a number (clap reads it); its allowed values are the opportunity's rule.
    pub net_payment_days: Option<u32>,
    /// Checked by the opportunity's rule (https only).
    pub eula_url: Option<String>,
}

impl OpportunityText {
    /// The terms, or the first field that does not parse.
    pub fn parse(&self) -> Result<OpportunityTerms, FieldError> {
        self.parse_all().map_err(|mut e| e.swap_remove(0))
    }

    /// The terms, or every field that does not parse (at least one), in the fields' order.
    pub fn parse_all(&self) -> Result<OpportunityTerms, Vec<FieldError>> {
        let mut e = Errors::default();
        let partner = e.take(super::account(Field::Partner, &self.partner));
        let buyers = e.take_all(self.buyers.iter().map(|b| super::buyers(b))).map(|b| b.concat());
        let currency = e.take(super::currency(&self.currency));
        let wholesale = match &self.discount {
            Some(d) => e.take(super::discount(d)).map(WholesaleTerms::Discount),
            None => e.take_all(self.prices.iter().map(super::price_entry)).map(WholesaleTerms::Prices),
        };
        let ends_on = e.take(self.ends_on.as_deref().map(|d| super::date(Field::EndsOn, d)).transpose());
        // The amounts' decimals follow the currency: unknown, only the dates are read.
        let installments: Option<Vec<(NaiveDate, Decimal)>> = match currency {
            Some(c) => e.take_all(self.installments.iter().map(|i| super::installment(i, c))),
            None => None,
        };
        let grants = e.take_all(self.grants.iter().map(|g| super::grants(g))).map(|g| g.concat());
        let (
            Some(partner),
            Some(buyers),
            Some(currency),
            Some(wholesale),
            Some(ends_on),
            Some(installments),
            Some(grants),
        ) = (partner, buyers, currency, wholesale, ends_on, installments, grants)
        else {
            return Err(e.0);
        };
        Ok(OpportunityTerms {
            partner,
            name: self.name.clone(),
            description: self.description.clone(),
            kind: self.kind,
            buyers,
            currency,
            wholesale,
            ends_on,
            renewal: self.renewal,
            installments,
            grants,
            net_payment_days: self.net_payment_days,
            eula_url: self.eula_url.clone(),
        })
    }
}
