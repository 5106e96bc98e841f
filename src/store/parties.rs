//! Accounts and products.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::codec::{RowExt, bad, from_e8, id, price_e8, timestamp};
use crate::domain::account::PartnerKind;
use crate::domain::{Account, AccountId, Dimension, PricingModel, Product, ProductId, ProductType, Roles};

pub fn insert_account(conn: &Connection, a: &Account, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO accounts(id, name, is_isv, is_partner, is_buyer, partner_kind, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            a.id.as_str(),
            a.name,
            a.roles.isv,
            a.roles.partner,
            a.roles.buyer,
            a.partner_kind.map(PartnerKind::as_str),
            timestamp(now)
        ],
    )?;
    Ok(())
}

/// Writes an account's name, roles and partner kind (an import learns them).
pub fn update_account(conn: &Connection, a: &Account) -> StoreResult<()> {
    conn.execute(
        "UPDATE accounts SET name = ?2, is_isv = ?3, is_partner = ?4, is_buyer = ?5, partner_kind = ?6,
            version = version + 1 WHERE id = ?1",
        params![
            a.id.as_str(),
            a.name,
            a.roles.isv,
            a.roles.partner,
            a.roles.buyer,
            a.partner_kind.map(PartnerKind::as_str)
        ],
    )?;
    Ok(())
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.account("id")?,
        name: r.get("name")?,
        roles: Roles { isv: r.get("is_isv")?, partner: r.get("is_partner")?, buyer: r.get("is_buyer")? },
        partner_kind: r.get::<_, Option<String>>("partner_kind")?.as_deref().and_then(PartnerKind::parse),
    })
}

pub fn account(conn: &Connection, id: &AccountId) -> StoreResult<Option<Account>> {
    Ok(conn.query_row("SELECT * FROM accounts WHERE id = ?1", [id.as_str()], account_row).optional()?)
}

/// Every account, by id. Accounts are public in cppo: any party can look a counterparty up.
pub fn accounts(conn: &Connection) -> StoreResult<Vec<Account>> {
    let mut st = conn.prepare_cached("SELECT * FROM accounts ORDER BY id")?;
    let rows = st.query_map([], account_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn insert_product(conn: &Connection, p: &Product, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO products(id, isv_account_id, title, product_type, duration_months, duration, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            p.id.as_str(),
            p.isv.as_str(),
            p.title,
            p.product_type.as_str(),
            p.duration.whole_months(),
            p.duration.to_string(),
            timestamp(now)
        ],
    )?;
    let mut st = conn.prepare_cached(
        "INSERT INTO dimensions(product_id, position, key, name, unit, pricing, list_price_e8)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, d) in (0i64..).zip(p.dimensions.iter()) {
        st.execute(params![p.id.as_str(), i, d.key, d.name, d.unit, d.pricing.as_str(), d.list_price.map(price_e8)])?;
    }
    Ok(())
}

/// Writes a product's title and its dimensions (an import adds those it learns).
pub fn update_product(conn: &Connection, p: &Product) -> StoreResult<()> {
    conn.execute(
        "UPDATE products SET title = ?2, version = version + 1 WHERE id = ?1",
        params![p.id.as_str(), p.title],
    )?;
    let mut st = conn.prepare_cached(
        "INSERT INTO dimensions(product_id, position, key, name, unit, pricing, list_price_e8)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(product_id, key) DO UPDATE SET name = excluded.name, unit = excluded.unit,
            pricing = excluded.pricing, list_price_e8 = excluded.list_price_e8",
    )?;
    for (i, d) in (0i64..).zip(p.dimensions.iter()) {
        st.execute(params![p.id.as_str(), i, d.key, d.name, d.unit, d.pricing.as_str(), d.list_price.map(price_e8)])?;
    }
    Ok(())
}

pub fn pricing_model(s: &str) -> PricingModel {
    if s == "usage" { PricingModel::Usage } else { PricingModel::Contract }
}

fn product_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Product> {
    let ty: String = r.get("product_type")?;
    Ok(Product {
        id: id(r.get("id")?, ProductId::parse).map_err(bad)?,
        isv: r.account("isv_account_id")?,
        title: r.get("title")?,
        product_type: ProductType::parse(&ty)
            .map_err(|_| bad(super::StoreError::Corrupt(format!("product type `{ty}`"))))?,
        duration: super::codec::duration(&r.get::<_, String>("duration")?).map_err(bad)?,
        dimensions: Vec::new(),
    })
}

fn with_dimensions(conn: &Connection, mut p: Product) -> StoreResult<Product> {
    let mut st = conn.prepare_cached(
        "SELECT key, name, unit, pricing, list_price_e8 FROM dimensions WHERE product_id = ?1 ORDER BY position",
    )?;
    p.dimensions = st
        .query_map([p.id.as_str()], |r| {
            Ok(Dimension {
                key: r.get(0)?,
                name: r.get(1)?,
                unit: r.get(2)?,
                pricing: pricing_model(&r.str("pricing")?),
                list_price: r.get::<_, Option<i64>>(4)?.map(from_e8),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(p)
}

pub fn product(conn: &Connection, id: &ProductId) -> StoreResult<Option<Product>> {
    match conn.query_row("SELECT * FROM products WHERE id = ?1", [id.as_str()], product_row).optional()? {
        Some(p) => Ok(Some(with_dimensions(conn, p)?)),
        None => Ok(None),
    }
}

/// Products are public listings: every account sees them all, by title.
pub fn products(conn: &Connection) -> StoreResult<Vec<Product>> {
    let mut st = conn.prepare_cached("SELECT * FROM products ORDER BY title, id")?;
    let rows = st.query_map([], product_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(|p| with_dimensions(conn, p)).collect()
}
