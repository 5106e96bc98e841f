//! Offers and their lines, with the figures `market` computed for them (kept on the row so
//! lists sort, sum and show them without re-pricing).

use chrono::{DateTime, Utc};
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use rust_decimal::Decimal;

use super::codec::{RowExt, bad, date, id, opt_date, parse_date, timestamp};
use super::{StoreError, StoreResult};
use crate::domain::pricing::{self, AwsBuyerPrice, Breakdown};
use crate::domain::{AgreementId, Money, Offer, OfferId, OfferState, OpportunityId, OpportunityKind, ProductId};

/// The money of an offer as last priced (at its last change; fixed at acceptance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferFigures {
    pub wholesale_total: Money,
    pub buyer_total: Money,
    pub fee_rate_pct: Decimal,
    pub listing_fee: Money,
    /// False when no quantity prices the contract (`pricing::value_known`): the amounts are
    /// stored as zeros, which sort first, and stand for "unknown". Not a column: read back,
    /// it is derived from the offer's lines and its opportunity's terms ([`complete`]).
    pub value_known: bool,
}

impl OfferFigures {
    pub fn of(b: &Breakdown) -> Self {
        Self {
            wholesale_total: b.wholesale_total,
            buyer_total: b.buyer_total,
            fee_rate_pct: b.fee_rate_pct,
            listing_fee: b.listing_fee,
            value_known: b.value_known,
        }
    }
    pub fn isv_net(&self) -> Money {
        pricing::isv_net(self.wholesale_total, self.listing_fee)
    }
    pub fn partner_net(&self) -> Money {
        pricing::partner_net(self.buyer_total, self.wholesale_total)
    }
}

/// An offer as read back: the domain value, its opportunity's kind and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRecord {
    pub offer: Offer,
    pub kind: OpportunityKind,
    pub figures: OfferFigures,
}

/// The one INSERT of an offer row, shared with the bulk loader; `?22` is the rowid (NULL:
/// SQLite picks it).
const INSERT_OFFER: &str = "INSERT INTO offers(id, opportunity_id, product_id, opportunity_kind, isv_account_id,
        partner_account_id, buyer_account_id, name, description, markup_pct, expires_on, currency, state, agreement_id,
        wholesale_total_minor, buyer_total_minor, fee_rate_pct, listing_fee_minor, created_on, created_at, version, rowid,
        duration)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";
const INSERT_LINE: &str =
    "INSERT INTO offer_lines(offer_id, position, dimension_key, quantity) VALUES (?1, ?2, ?3, ?4)";
const INSERT_AWS_PRICE: &str =
    "INSERT INTO offer_aws_prices(offer_id, dimension_key, aws_price, computed_price) VALUES (?1, ?2, ?3, ?4)";

/// The prepared statements that write an offer, its lines and AWS's buyer prices.
pub(super) struct OfferStatements<'c> {
    offer: CachedStatement<'c>,
    line: CachedStatement<'c>,
    aws_price: CachedStatement<'c>,
}

impl<'c> OfferStatements<'c> {
    pub(super) fn new(conn: &'c Connection) -> StoreResult<Self> {
        Ok(Self {
            offer: conn.prepare_cached(INSERT_OFFER)?,
            line: conn.prepare_cached(INSERT_LINE)?,
            aws_price: conn.prepare_cached(INSERT_AWS_PRICE)?,
        })
    }

    /// Writes `o` (created at `created_at`, a `codec::timestamp`) and its lines.
    pub(super) fn write(
        &mut self,
        o: &Offer,
        kind: OpportunityKind,
        f: &OfferFigures,
        created_at: &str,
        rowid: Option<i64>,
    ) -> StoreResult<()> {
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
            rowid,
            o.duration.to_string(),
        ])?;
        self.lines(o)
    }

    fn lines(&mut self, o: &Offer) -> StoreResult<()> {
        for (i, (k, q)) in (0i64..).zip(o.quantities.iter()) {
            self.line.execute(params![o.id.as_str(), i, k, *q as i64])?;
        }
        for p in &o.aws_buyer_prices {
            self.aws_price.execute(params![o.id.as_str(), p.dimension, p.aws.to_string(), p.computed.to_string()])?;
        }
        Ok(())
    }
}

/// The buyer's other accounts of `o` (its first stays on the row).
fn write_accounts(conn: &Connection, o: &Offer) -> StoreResult<()> {
    if o.buyer_accounts.is_empty() {
        return Ok(());
    }
    let mut st =
        conn.prepare_cached("INSERT INTO offer_accounts(offer_id, position, account_id) VALUES (?1, ?2, ?3)")?;
    for (i, a) in (1i64..).zip(o.buyer_accounts.iter()) {
        st.execute(params![o.id.as_str(), i, a.as_str()])?;
    }
    Ok(())
}

pub fn insert(
    conn: &Connection,
    o: &Offer,
    kind: OpportunityKind,
    f: &OfferFigures,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    OfferStatements::new(conn)?.write(o, kind, f, &timestamp(now), None)?;
    write_accounts(conn, o)?;
    write_replacement(conn, o)
}

/// What a replacement offer replaces, and the end it gives its agreement (nothing for the
/// rest: the offer replaces no agreement). Its agreement never changes; the end date may.
fn write_replacement(conn: &Connection, o: &Offer) -> StoreResult<()> {
    let Some(agreement) = &o.replaces else { return Ok(()) };
    conn.prepare_cached(
        "INSERT INTO offer_replacements(offer_id, agreement_id, agreement_ends_on) VALUES (?1, ?2, ?3)
         ON CONFLICT(offer_id) DO UPDATE SET agreement_ends_on = excluded.agreement_ends_on",
    )?
    .execute(params![o.id.as_str(), agreement.as_str(), o.agreement_ends_on.map(date)])?;
    Ok(())
}

/// The offers that replace agreement `id` (drafted, released or accepted), oldest first.
pub fn replacing(conn: &Connection, agreement: &AgreementId) -> StoreResult<Vec<OfferId>> {
    let mut st =
        conn.prepare_cached("SELECT offer_id FROM offer_replacements WHERE agreement_id = ?1 ORDER BY rowid")?;
    let ids = st.query_map([agreement.as_str()], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    ids.into_iter().map(|s| id(s, OfferId::parse)).collect()
}

/// Writes `o` if its version is still `o.version`; bumps it.
pub fn update(conn: &Connection, o: &mut Offer, f: &OfferFigures) -> StoreResult<()> {
    let n = conn.execute(
        "UPDATE offers SET buyer_account_id = ?2, name = ?3, description = ?4, markup_pct = ?5, expires_on = ?6,
            state = ?7, agreement_id = ?8, wholesale_total_minor = ?9, buyer_total_minor = ?10, fee_rate_pct = ?11,
            listing_fee_minor = ?12, duration = ?14, cancelled_on = ?15, version = version + 1
         WHERE id = ?1 AND version = ?13",
        params![
            o.id.as_str(),
            o.buyer.as_ref().map(|b| b.as_str().to_owned()),
            o.name,
            o.description,
            o.markup_pct.to_string(),
            opt_date(o.expires_on),
            o.state.as_str(),
            o.agreement_id.as_ref().map(|a| a.as_str().to_owned()),
            f.wholesale_total.minor_units(),
            f.buyer_total.minor_units(),
            f.fee_rate_pct.to_string(),
            f.listing_fee.minor_units(),
            o.version,
            o.duration.to_string(),
            o.cancelled_on.map(date),
        ],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "offer", id: o.id.to_string() });
    }
    conn.execute("DELETE FROM offer_lines WHERE offer_id = ?1", [o.id.as_str()])?;
    conn.execute("DELETE FROM offer_aws_prices WHERE offer_id = ?1", [o.id.as_str()])?;
    OfferStatements::new(conn)?.lines(o)?;
    conn.execute("DELETE FROM offer_accounts WHERE offer_id = ?1", [o.id.as_str()])?;
    write_accounts(conn, o)?;
    write_replacement(conn, o)?;
    o.version += 1;
    Ok(())
}

/// Deletes the draft `o` at version `o.version`, with its lines and accounts.
pub fn delete(conn: &Connection, o: &Offer) -> StoreResult<()> {
    conn.execute("DELETE FROM offer_lines WHERE offer_id = ?1", [o.id.as_str()])?;
    conn.execute("DELETE FROM offer_aws_prices WHERE offer_id = ?1", [o.id.as_str()])?;
    conn.execute("DELETE FROM offer_accounts WHERE offer_id = ?1", [o.id.as_str()])?;
    conn.execute("DELETE FROM offer_replacements WHERE offer_id = ?1", [o.id.as_str()])?;
    // What AWS said of an export of it goes with it.
    super::link::drop_refusal(conn, o.id.as_str())?;
    let n = conn.execute("DELETE FROM offers WHERE id = ?1 AND version = ?2", params![o.id.as_str(), o.version])?;
    if n == 0 {
        return Err(StoreError::Conflict { entity: "offer", id: o.id.to_string() });
    }
    Ok(())
}

/// Maps one `offers` row (lines not loaded).
pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OfferRecord> {
    let corrupt = |what: String| bad(StoreError::Corrupt(what));
    let state: String = r.get("state")?;
    let kind: String = r.get("opportunity_kind")?;
    let currency = r.currency("currency")?;
    let offer = Offer {
        id: id(r.get("id")?, OfferId::parse).map_err(bad)?,
        opportunity_id: id(r.get("opportunity_id")?, OpportunityId::parse).map_err(bad)?,
        product_id: id(r.get("product_id")?, ProductId::parse).map_err(bad)?,
        isv: r.account("isv_account_id")?,
        partner: r.account("partner_account_id")?,
        buyer: match r.get::<_, Option<String>>("buyer_account_id")? {
            Some(s) => Some(id(s, crate::domain::AccountId::parse).map_err(bad)?),
            None => None,
        },
        buyer_accounts: Vec::new(),
        name: r.get("name")?,
        description: r.get("description")?,
        markup_pct: r.decimal("markup_pct")?,
        expires_on: r.opt_date("expires_on")?,
        quantities: Vec::new(),
        // Set by `complete` (an offer written before file format 10 has none stored).
        duration: crate::domain::product::Duration::P12M,
        aws_buyer_prices: Vec::new(),
        currency,
        state: OfferState::parse(&state).ok_or_else(|| corrupt(format!("offer state `{state}`")))?,
        agreement_id: match r.get::<_, Option<String>>("agreement_id")? {
            Some(s) => Some(id(s, AgreementId::parse).map_err(bad)?),
            None => None,
        },
        // Set by `complete`, from `offer_replacements`.
        replaces: None,
        agreement_ends_on: None,
        // NULL unless cancelled (the status indexes hold `cancelled_on IS NOT NULL`).
        cancelled_on: r
            .get::<_, Option<String>>("cancelled_on")?
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(bad)?,
        created_on: r.date("created_on")?,
        version: r.get("version")?,
    };
    Ok(OfferRecord {
        offer,
        kind: OpportunityKind::parse(&kind).ok_or_else(|| corrupt(format!("kind `{kind}`")))?,
        figures: OfferFigures {
            wholesale_total: Money::from_minor(r.get("wholesale_total_minor")?, currency),
            buyer_total: Money::from_minor(r.get("buyer_total_minor")?, currency),
            fee_rate_pct: r.decimal("fee_rate_pct")?,
            listing_fee: Money::from_minor(r.get("listing_fee_minor")?, currency),
            // Set by `complete`, which reads the lines.
            value_known: true,
        },
    })
}

/// Loads the quantities and the duration of a record read by [`row`].
pub(super) fn complete(conn: &Connection, mut rec: OfferRecord) -> StoreResult<OfferRecord> {
    // NULL before file format 10: the opportunity's first duration, the only one there was.
    let duration: String = conn
        .prepare_cached(
            "SELECT coalesce(f.duration, o.duration) FROM offers f JOIN opportunities o ON o.id = f.opportunity_id
             WHERE f.id = ?1",
        )?
        .query_row([rec.offer.id.as_str()], |r| r.get(0))?;
    rec.offer.duration = super::codec::duration(&duration)?;
    let mut st =
        conn.prepare_cached("SELECT dimension_key, quantity FROM offer_lines WHERE offer_id = ?1 ORDER BY position")?;
    rec.offer.quantities = st
        .query_map([rec.offer.id.as_str()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
        .collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached("SELECT account_id FROM offer_accounts WHERE offer_id = ?1 ORDER BY position")?;
    rec.offer.buyer_accounts =
        st.query_map([rec.offer.id.as_str()], |r| r.account("account_id"))?.collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT dimension_key, aws_price, computed_price FROM offer_aws_prices WHERE offer_id = ?1 ORDER BY dimension_key",
    )?;
    rec.offer.aws_buyer_prices = st
        .query_map([rec.offer.id.as_str()], |r| {
            Ok(AwsBuyerPrice {
                dimension: r.get(0)?,
                aws: r.decimal("aws_price")?,
                computed: r.decimal("computed_price")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let replacement: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT agreement_id, agreement_ends_on FROM offer_replacements WHERE offer_id = ?1")?
        .query_row([rec.offer.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((agreement, ends_on)) = replacement {
        rec.offer.replaces = Some(id(agreement, AgreementId::parse)?);
        rec.offer.agreement_ends_on = ends_on.as_deref().map(super::codec::parse_date).transpose()?;
    }
    // Without a quantity, the opportunity's terms decide whether the value is known: two
    // lookups on primary keys, only for offers that plan no unit.
    if rec.offer.quantities.iter().all(|(_, q)| *q == 0) {
        let (has_contract, has_installments): (bool, bool) = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM opportunity_prices WHERE opportunity_id = ?1 AND pricing = 'contract'),
                        EXISTS (SELECT 1 FROM opportunity_installments WHERE opportunity_id = ?1)",
            )?
            .query_row([rec.offer.opportunity_id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rec.figures.value_known = pricing::value_known(has_contract, has_installments, false);
    }
    Ok(rec)
}

/// Whether a buyer accepted an offer made from the opportunity `id` (an agreement stands on it).
pub fn has_agreements(conn: &Connection, id: &crate::domain::OpportunityId) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM offers WHERE opportunity_id = ?1 AND agreement_id IS NOT NULL)",
        [id.as_str()],
        |r| r.get(0),
    )?)
}

/// Any offer by id, unscoped: `market` decides what the acting account may see.
pub fn get(conn: &Connection, id: &OfferId) -> StoreResult<Option<OfferRecord>> {
    match conn.query_row("SELECT * FROM offers WHERE id = ?1", [id.as_str()], row).optional()? {
        Some(r) => Ok(Some(complete(conn, r)?)),
        None => Ok(None),
    }
}
