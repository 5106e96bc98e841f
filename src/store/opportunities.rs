//! Opportunities with their prices, targeted buyers and installments.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{RowExt, bad, date, from_e8, id, opt_date, price_e8, timestamp};
use super::parties::pricing_model;
use super::{StoreError, StoreResult};
use crate::domain::opportunity::{Installment, RateCard, WholesalePrice};
use crate::domain::{Money, Opportunity, OpportunityId, OpportunityKind, OpportunityState, ProductId, ProductType};

pub fn insert(conn: &Connection, o: &Opportunity, now: DateTime<Utc>) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO opportunities(id, isv_account_id, partner_account_id, product_id, product_type, name, description,
            kind, currency, discount_pct, duration_months, ends_on, renewal, net_payment_days, eula_url, state,
            ended_by, offers_created, created_on, created_at, version, duration)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        params![
            o.id.as_str(),
            o.isv.as_str(),
            o.partner.as_str(),
            o.product_id.as_str(),
            o.product_type.as_str(),
            o.name,
            o.description,
            o.kind.as_str(),
            o.currency.code(),
            o.discount_pct.map(|d| d.to_string()),
            o.duration.whole_months(),
            opt_date(o.ends_on),
            o.renewal,
            o.net_payment_days,
            o.eula_url,
            o.state.as_str(),
            o.ended_by.as_ref().map(|a| a.as_str().to_owned()),
            o.offers_created,
            date(o.created_on),
            timestamp(now),
            o.version,
            o.duration.to_string(),
        ],
    )?;
    insert_children(conn, o)
}

fn insert_children(conn: &Connection, o: &Opportunity) -> StoreResult<()> {
    let mut prices = conn.prepare_cached(
        "INSERT INTO opportunity_prices(opportunity_id, position, dimension_key, pricing, list_price_e8, wholesale_price_e8,
            granted_units)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, p) in (0i64..).zip(o.prices.iter()) {
        prices.execute(params![
            o.id.as_str(),
            i,
            p.dimension,
            p.pricing.as_str(),
            p.list_price.map(price_e8),
            price_e8(p.wholesale_price),
            p.granted_units.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
        ])?;
    }
    let mut buyers = conn.prepare_cached(
        "INSERT INTO opportunity_buyers(opportunity_id, position, buyer_account_id) VALUES (?1, ?2, ?3)",
    )?;
    for (i, b) in (0i64..).zip(o.buyers.iter()) {
        buyers.execute(params![o.id.as_str(), i, b.as_str()])?;
    }
    let mut inst = conn.prepare_cached(
        "INSERT INTO opportunity_installments(opportunity_id, due_on, amount_minor) VALUES (?1, ?2, ?3)",
    )?;
    for i in &o.installments {
        inst.execute(params![o.id.as_str(), date(i.due_on), i.amount.minor_units()])?;
    }
    let mut cards = conn.prepare_cached(
        "INSERT INTO opportunity_rate_cards(opportunity_id, duration, dimension_key, card, position, wholesale_price_e8)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (c, card) in (0i64..).zip(o.rate_cards.iter()) {
        for (i, (key, price)) in (0i64..).zip(card.prices.iter()) {
            cards.execute(params![o.id.as_str(), card.duration.to_string(), key, c, i, price_e8(*price)])?;
        }
    }
    Ok(())
}

/// The tables that hold an opportunity's children, each keyed by `opportunity_id`.
const CHILDREN: [&str; 4] =
    ["opportunity_prices", "opportunity_buyers", "opportunity_installments", "opportunity_rate_cards"];

/// Writes `o` over the stored row if nobody changed it since version `o.version` was read;
/// bumps `o.version`.
pub fn update(conn: &Connection, o: &mut Opportunity) -> StoreResult<()> {
    let n = conn.execute(
        "UPDATE opportunities SET partner_account_id = ?2, name = ?3, description = ?4, kind = ?5, currency = ?6,
            discount_pct = ?7, ends_on = ?8, renewal = ?9, net_payment_days = ?10, eula_url = ?11, state = ?12,
            ended_by = ?13, offers_created = ?14, duration = ?16, duration_months = ?17, version = version + 1
         WHERE id = ?1 AND version = ?15",
        params![
            o.id.as_str(),
            o.partner.as_str(),
            o.name,
            o.description,
            o.kind.as_str(),
            o.currency.code(),
            o.discount_pct.map(|d| d.to_string()),
            opt_date(o.ends_on),
            o.renewal,
            o.net_payment_days,
            o.eula_url,
            o.state.as_str(),
            o.ended_by.as_ref().map(|a| a.as_str().to_owned()),
            o.offers_created,
            o.version,
            o.duration.to_string(),
            o.duration.whole_months(),
        ],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "opportunity", id: o.id.to_string() });
    }
    for t in CHILDREN {
        conn.execute(&format!("DELETE FROM {t} WHERE opportunity_id = ?1"), [o.id.as_str()])?;
    }
    insert_children(conn, o)?;
    o.version += 1;
    Ok(())
}

/// Deletes the draft `o` at version `o.version`, with its prices, buyers, installments and
/// rate cards.
pub fn delete(conn: &Connection, o: &Opportunity) -> StoreResult<()> {
    for t in CHILDREN {
        conn.execute(&format!("DELETE FROM {t} WHERE opportunity_id = ?1"), [o.id.as_str()])?;
    }
    // What AWS said of an export of it goes with it.
    super::link::drop_refusal(conn, o.id.as_str())?;
    let n =
        conn.execute("DELETE FROM opportunities WHERE id = ?1 AND version = ?2", params![o.id.as_str(), o.version])?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "opportunity", id: o.id.to_string() });
    }
    Ok(())
}

pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Opportunity> {
    let corrupt = |what: String| bad(StoreError::Corrupt(what));
    let kind: String = r.get("kind")?;
    let state: String = r.get("state")?;
    let ty: String = r.get("product_type")?;
    let currency = r.currency("currency")?;
    Ok(Opportunity {
        id: id(r.get("id")?, OpportunityId::parse).map_err(bad)?,
        isv: r.account("isv_account_id")?,
        partner: r.account("partner_account_id")?,
        product_id: id(r.get("product_id")?, ProductId::parse).map_err(bad)?,
        product_type: ProductType::parse(&ty).map_err(|_| corrupt(format!("product type `{ty}`")))?,
        name: r.get("name")?,
        description: r.get("description")?,
        kind: OpportunityKind::parse(&kind).ok_or_else(|| corrupt(format!("kind `{kind}`")))?,
        buyers: Vec::new(),
        currency,
        discount_pct: match r.get::<_, Option<String>>("discount_pct")? {
            Some(s) => Some(super::codec::decimal(&s).map_err(bad)?),
            None => None,
        },
        prices: Vec::new(),
        duration: super::codec::duration(&r.get::<_, String>("duration")?).map_err(bad)?,
        rate_cards: Vec::new(),
        ends_on: r.opt_date("ends_on")?,
        renewal: r.get("renewal")?,
        installments: Vec::new(),
        net_payment_days: r.get("net_payment_days")?,
        eula_url: r.get("eula_url")?,
        state: OpportunityState::parse(&state).ok_or_else(|| corrupt(format!("state `{state}`")))?,
        ended_by: match r.get::<_, Option<String>>("ended_by")? {
            Some(s) => Some(id(s, crate::domain::AccountId::parse).map_err(bad)?),
            None => None,
        },
        offers_created: r.get("offers_created")?,
        created_on: r.date("created_on")?,
        version: r.get("version")?,
    })
}

/// Loads the prices, buyers, installments and rate cards of a row read by [`row`].
pub(super) fn complete(conn: &Connection, mut o: Opportunity) -> StoreResult<Opportunity> {
    let mut st = conn.prepare_cached(
        "SELECT dimension_key, pricing, list_price_e8, wholesale_price_e8, granted_units FROM opportunity_prices
         WHERE opportunity_id = ?1 ORDER BY position",
    )?;
    o.prices = st
        .query_map([o.id.as_str()], |r| {
            Ok(WholesalePrice {
                dimension: r.get(0)?,
                pricing: pricing_model(&r.str("pricing")?),
                list_price: r.get::<_, Option<i64>>(2)?.map(from_e8),
                wholesale_price: from_e8(r.get(3)?),
                granted_units: r.get::<_, Option<i64>>(4)?.map(|n| u64::try_from(n).unwrap_or(0)),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT buyer_account_id FROM opportunity_buyers WHERE opportunity_id = ?1 ORDER BY position",
    )?;
    o.buyers = st.query_map([o.id.as_str()], |r| r.account("buyer_account_id"))?.collect::<Result<_, _>>()?;
    let currency = o.currency;
    let mut st = conn.prepare_cached(
        "SELECT due_on, amount_minor FROM opportunity_installments WHERE opportunity_id = ?1 ORDER BY due_on",
    )?;
    o.installments = st
        .query_map([o.id.as_str()], |r| {
            Ok(Installment { due_on: r.date("due_on")?, amount: Money::from_minor(r.get(1)?, currency) })
        })?
        .collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT duration, dimension_key, wholesale_price_e8 FROM opportunity_rate_cards WHERE opportunity_id = ?1
         ORDER BY card, position",
    )?;
    let rows = st
        .query_map([o.id.as_str()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, from_e8(r.get(2)?))))?
        .collect::<Result<Vec<_>, _>>()?;
    for (duration, key, price) in rows {
        let duration = super::codec::duration(&duration)?;
        match o.rate_cards.last_mut() {
            Some(card) if card.duration == duration => card.prices.push((key, price)),
            _ => o.rate_cards.push(RateCard { duration, prices: vec![(key, price)] }),
        }
    }
    Ok(o)
}

/// Any opportunity by id, unscoped: `market` decides what the acting account may see.
pub fn get(conn: &Connection, id: &OpportunityId) -> StoreResult<Option<Opportunity>> {
    match conn.query_row("SELECT * FROM opportunities WHERE id = ?1", [id.as_str()], row).optional()? {
        Some(o) => Ok(Some(complete(conn, o)?)),
        None => Ok(None),
    }
}
