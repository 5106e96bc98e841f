//! Bulk writes for `cppo demo --scale`: many offers through prepared statements inside the
//! caller's transaction (one per chunk), instead of one `BEGIN IMMEDIATE` per offer. The rows
//! are the same as `offers::insert` writes; `market::scale` builds them with the domain.

use rusqlite::{CachedStatement, Connection, params};

use super::StoreResult;
use super::codec::{date, id, opt_date};
use super::offers::OfferFigures;
use crate::domain::{Offer, OpportunityId, OpportunityKind};

/// Inserts offers and their lines with two prepared statements.
pub struct OfferWriter<'c> {
    offer: CachedStatement<'c>,
    line: CachedStatement<'c>,
}

impl<'c> OfferWriter<'c> {
    pub fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(Self {
            offer: conn.prepare_cached(
                "INSERT INTO offers(id, opportunity_id, product_id, opportunity_kind, isv_account_id, partner_account_id,
                    buyer_account_id, name, description, markup_pct, expires_on, currency, state, agreement_id,
                    wholesale_total_minor, buyer_total_minor, fee_rate_pct, listing_fee_minor, created_on, created_at,
                    version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            )?,
            line: conn.prepare_cached(
                "INSERT INTO offer_lines(offer_id, position, dimension_key, quantity) VALUES (?1, ?2, ?3, ?4)",
            )?,
        })
    }

    /// Writes one offer created at `created_at` (a `codec::timestamp`), with its lines.
    pub fn insert(&mut self, o: &Offer, kind: OpportunityKind, f: &OfferFigures, created_at: &str) -> StoreResult<()> {
        self.offer.execute(params![
            o.id.as_str(),
            o.opportunity_id.as_str(),
            o.product_id.as_str(),
            kind.as_str(),
            o.isv.as_str(),
            o.partner.as_str(),
            o.buyer.as_ref().map(|b| b.as_str()),
            o.name,
            o.description,
            o.markup_pct.to_string(),
            opt_date(o.expires_on),
            o.currency.code(),
            o.state.as_str(),
            o.agreement_id.as_ref().map(|a| a.as_str()),
            f.wholesale_total.minor_units(),
            f.buyer_total.minor_units(),
            f.fee_rate_pct.to_string(),
            f.listing_fee.minor_units(),
            date(o.created_on),
            created_at,
            o.version,
        ])?;
        for (i, (k, q)) in (0i64..).zip(o.quantities.iter()) {
            self.line.execute(params![o.id.as_str(), i, k, *q as i64])?;
        }
        Ok(())
    }
}

/// Counts `n` more offers made from `opportunity` (one write per chunk, not per offer).
pub fn add_offers_created(conn: &Connection, opportunity: &OpportunityId, n: u32) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE opportunities SET offers_created = offers_created + ?2, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![opportunity.as_str(), n])?;
    Ok(())
}

/// Every Active recurring opportunity with the time it became Active (from the audit log;
/// its creation time if the log does not say), oldest first.
pub fn reusable_opportunities(conn: &Connection) -> StoreResult<Vec<(OpportunityId, String)>> {
    let mut st = conn.prepare(
        "SELECT o.id, coalesce((SELECT min(e.at) FROM events e
                                 WHERE e.entity_id = o.id AND e.entity = 'opportunity' AND e.to_state = 'active'),
                                o.created_at) AS active_at
         FROM opportunities o WHERE o.state = 'active' AND o.kind = 'recurring'
         ORDER BY active_at, o.id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (s, at) = row?;
        out.push((id(s, OpportunityId::parse)?, at));
    }
    Ok(out)
}

/// Gives SQLite a bigger page cache while a bulk load runs (`kib` KiB; the default is 2 MiB),
/// and back to the default with `None`.
pub fn set_cache(conn: &Connection, kib: Option<u32>) -> StoreResult<()> {
    let pages = kib.map_or(-2000, |k| -i64::from(k));
    conn.pragma_update(None, "cache_size", pages)?;
    Ok(())
}

/// Brings the query planner's statistics up to date after a bulk load (`PRAGMA optimize`).
pub fn optimize(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("PRAGMA optimize=0x10002;")?;
    Ok(())
}
