//! Accounts and products.

use serde_json::json;

use super::views::{AccountView, ProductView};
use super::{Market, MarketError, MarketResult, audit};
use crate::domain::account::PartnerKind;
use crate::domain::product::Duration;
use crate::domain::{Account, AccountId, Dimension, Product, ProductId, ProductType, Roles, RuleError};
use crate::store::events::NewEvent;
use crate::store::parties;

impl Market {
    /// Adds an account. `actor` is who adds it (the new account itself when none is acting yet).
    pub fn add_account(
        &mut self,
        actor: Option<&AccountId>,
        id: AccountId,
        name: &str,
        roles: Roles,
        partner_kind: Option<PartnerKind>,
    ) -> MarketResult<AccountView> {
        let account = Account::new(id, name, roles, partner_kind)?;
        let now = self.now();
        let actor = actor.cloned().unwrap_or_else(|| account.id.clone());
        self.store.write(|tx| {
            if parties::account(tx, &account.id)?.is_some() {
                return Err(RuleError::validation(format!("account {} already exists", account.id)).into());
            }
            parties::insert_account(tx, &account, now)?;
            audit(
                tx,
                NewEvent {
                    actor: &actor,
                    entity: "account",
                    entity_id: account.id.as_str(),
                    action: "add",
                    from_state: None,
                    to_state: None,
                    details: json!({ "name": account.name, "roles": account.roles.names() }),
                    audience: vec![&account.id],
                },
                now,
            )?;
            Ok(AccountView::of(&account))
        })
    }

    /// Every account: parties are public, so a partner can look up a buyer and vice versa.
    pub fn accounts(&self) -> MarketResult<Vec<AccountView>> {
        Ok(parties::accounts(self.conn())?.iter().map(AccountView::of).collect())
    }

    pub fn account(&self, id: &AccountId) -> MarketResult<Account> {
        parties::account(self.conn(), id)?.ok_or_else(|| MarketError::not_found("account", id))
    }

    /// The ISV `actor` lists a product.
    pub fn add_product(
        &mut self,
        actor: &AccountId,
        title: &str,
        product_type: ProductType,
        duration: Duration,
        dimensions: Vec<Dimension>,
    ) -> MarketResult<ProductId> {
        let isv = self.account(actor)?;
        if !isv.roles.isv {
            return Err(RuleError::denied(format!(
                "{} ({}) is not an ISV: only ISVs list products; act as an ISV with --as",
                isv.id, isv.name
            ))
            .into());
        }
        let product = Product::new(ProductId::generate(), actor.clone(), title, product_type, duration, dimensions)?;
        let now = self.now();
        self.store.write(|tx| {
            parties::insert_product(tx, &product, now)?;
            audit(
                tx,
                NewEvent {
                    actor,
                    entity: "product",
                    entity_id: product.id.as_str(),
                    action: "add",
                    from_state: None,
                    to_state: None,
                    details: json!({ "title": product.title }),
                    audience: vec![],
                },
                now,
            )?;
            Ok::<_, MarketError>(())
        })?;
        Ok(product.id)
    }

    /// Products are public listings.
    pub fn products(&self) -> MarketResult<Vec<ProductView>> {
        Ok(parties::products(self.conn())?.iter().map(ProductView::of).collect())
    }

    pub fn product(&self, id: &ProductId) -> MarketResult<Product> {
        parties::product(self.conn(), id)?.ok_or_else(|| MarketError::not_found("product", id))
    }
}

/// A counterparty row of the Partners tab, with names and money resolved.
/// What a counterparty is to the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counterparty {
    /// The viewer is its ISV.
    Partner,
    /// The viewer is its partner.
    Isv,
    /// The viewer buys from it.
    Seller,
}

impl Counterparty {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partner => "partner",
            Self::Isv => "isv",
            Self::Seller => "seller",
        }
    }
    /// The store's word for it.
    fn of(s: &str) -> Self {
        match s {
            "partner" => Self::Partner,
            "isv" => Self::Isv,
            _ => Self::Seller,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipView {
    pub account_id: AccountId,
    pub name: String,
    pub role: Counterparty,
    pub opportunities: Option<u64>,
    pub offers: u64,
    pub agreements: u64,
    /// Accepted value per currency (`88000.00 USD`), as the viewer may see it.
    pub accepted: Vec<crate::domain::Money>,
}

impl Market {
    /// The acting account's partners (as ISV), ISVs (as partner) and sellers (as buyer),
    /// optionally only those whose id or name contains `filter`.
    pub fn relationships(&self, viewer: &AccountId, filter: Option<&str>) -> MarketResult<Vec<RelationshipView>> {
        let needle = filter.map(str::to_lowercase).filter(|f| !f.is_empty());
        let names: std::collections::HashMap<String, String> =
            parties::accounts(self.conn())?.into_iter().map(|a| (a.id.to_string(), a.name)).collect();
        let mut rows: Vec<RelationshipView> = crate::store::query::relationships(self.conn(), viewer)?
            .into_iter()
            .map(|r| RelationshipView {
                name: names.get(r.account.as_str()).cloned().unwrap_or_default(),
                account_id: r.account.clone(),
                role: Counterparty::of(r.role),
                opportunities: r.opportunities,
                offers: r.offers,
                agreements: r.agreements,
                accepted: r
                    .accepted
                    .iter()
                    .filter_map(|(c, m)| {
                        crate::domain::Currency::parse(c).ok().map(|c| crate::domain::Money::from_minor(*m, c))
                    })
                    .collect(),
            })
            .filter(|r: &RelationshipView| {
                needle.as_ref().is_none_or(|n| {
                    r.account_id.as_str().contains(n.as_str()) || r.name.to_lowercase().contains(n.as_str())
                })
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.role.as_str().cmp(b.role.as_str())));
        Ok(rows)
    }

    /// The last `n` months of the relationship with `account`, oldest first, ending with this
    /// month: offers made and value accepted (months without either are zero).
    pub fn relationship_months(
        &self,
        viewer: &AccountId,
        account: &AccountId,
        role: Counterparty,
        n: u32,
    ) -> MarketResult<Vec<MonthView>> {
        use chrono::{Datelike, Months};
        let this = self.today().with_day(1).expect("the first of a month exists");
        let first = this.checked_sub_months(Months::new(n.saturating_sub(1))).unwrap_or(this);
        let found =
            crate::store::query::relationship_months(self.conn(), viewer, account, role.as_str(), &first.to_string())?;
        let months = (0..n).filter_map(|i| first.checked_add_months(Months::new(i)));
        Ok(months
            .map(|month| {
                let key = month.format("%Y-%m").to_string();
                let t = found.iter().find(|t| t.month == key);
                MonthView {
                    month,
                    offers: t.map_or(0, |t| t.offers),
                    accepted: t
                        .map(|t| {
                            t.accepted
                                .iter()
                                .filter_map(|(c, m)| {
                                    crate::domain::Currency::parse(c)
                                        .ok()
                                        .map(|c| crate::domain::Money::from_minor(*m, c))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect())
    }
}

/// One month of a relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthView {
    /// Its first day.
    pub month: chrono::NaiveDate,
    /// Offers made between the two that the viewer may see.
    pub offers: u64,
    /// Value accepted that month, per currency.
    pub accepted: Vec<crate::domain::Money>,
}
