//! `cppo demo --scale N`: N synthetic offers on top of the demo, to try the app on a big file.
//!
//! Every offer goes through the domain (`Offer::draft`, `Offer::release`, `price_offer`) on
//! the day it is made, so the rows are ones the rules allow: made from an Active, unexpired
//! recurring opportunity by the partner it was granted to, for a buyer it may sell to, with
//! an expiry inside the opportunity's term and the money columns priced as `create_offer`
//! prices them. Only the writing is different: `store::bulk` inserts a chunk of rows per
//! transaction with prepared statements, and one audit event summarises the whole load.
//!
//! Nine offers in ten go to the remembered acting account (the demo's busiest partner, the
//! one the TUI opens as); the rest are spread over the other partners. Creation times are
//! spread evenly from the first day an opportunity of that partner could take offers to
//! now, one offer per instant, so `created` sorts them in the order they were made. No
//! synthetic offer is accepted: agreements keep coming from the demo alone.
//!
//! Ids come from a fixed seed, so the same N on the same day gives the same file.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use super::{Market, MarketError, MarketResult, audit};
use crate::domain::fees::FeeTable;
use crate::domain::ids::seed_ids;
use crate::domain::offer::OfferTerms;
use crate::domain::pricing::price_offer;
use crate::domain::{AccountId, Offer, OfferId, OfferState, Opportunity, PricingModel, RuleError};
use crate::store::events::NewEvent;
use crate::store::offers::OfferFigures;
use crate::store::{bulk, opportunities, parties, timestamp};

/// A word in exactly one synthetic offer's name (a search that must find one row).
pub const RARE_NEEDLE: &str = "Quixotic";
/// A word in about one synthetic offer name in six.
pub const COMMON_NEEDLE: &str = "Renewal";
/// Offers written per transaction.
pub const CHUNK: u64 = 50_000;
/// Progress is reported every this many offers.
const STEP: u64 = 10_000;
/// The seed of the synthetic ids (the demo's seed, varied).
const SEED: u64 = super::demo::DEMO_SEED ^ 0x5ca1e;

const WORDS: [&str; 6] = ["Annual", "Multi-year", "Pilot", "Renewal", "Expansion", "Enterprise"];

/// What `add_offers` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleSummary {
    pub offers: u64,
    pub released: u64,
    pub drafts: u64,
    /// The partner that got most of them (the acting account).
    pub partner: AccountId,
    pub partner_offers: u64,
}

/// An opportunity that can take synthetic offers, and from when to when.
struct Source {
    opp: Opportunity,
    from: DateTime<Utc>,
    buyers: Vec<usize>,
    product: String,
    made: u32,
}

impl Source {
    fn usable_on(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && self.opp.ends_on.is_none_or(|end| end >= t.date_naive())
    }
}

/// A fixed-seed mixer (SplitMix64): the same `i` always draws the same choices.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(SEED).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Seeds the id generator until dropped.
struct SeededIds;

impl Drop for SeededIds {
    fn drop(&mut self) {
        seed_ids(None);
    }
}

fn refuse(message: impl Into<String>) -> MarketError {
    RuleError::validation(format!("--scale: {}", message.into())).into()
}

/// Adds `n` synthetic offers to a file that holds the demo; calls `progress(done, n)` as it
/// goes. Each chunk of [`CHUNK`] offers is one transaction; the last one also appends the
/// audit event of the load.
pub fn add_offers(market: &mut Market, n: u64, progress: &mut dyn FnMut(u64, u64)) -> MarketResult<ScaleSummary> {
    let partner = market.last_actor()?.ok_or_else(|| refuse("load the demo first: no acting partner"))?;
    let mut summary = ScaleSummary { offers: 0, released: 0, drafts: 0, partner: partner.clone(), partner_offers: 0 };
    if n == 0 {
        return Ok(summary);
    }
    let now = market.now();
    let conn = market.store.conn();
    let accounts = parties::accounts(conn)?;
    let products: HashMap<String, String> =
        parties::products(conn)?.into_iter().map(|p| (p.id.as_str().to_owned(), p.title)).collect();
    let mut sources = Vec::new();
    for (id, at) in bulk::reusable_opportunities(conn)? {
        let Some(opp) = opportunities::get(conn, &id)? else { continue };
        let from = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| refuse(format!("{id} has an unreadable activation time `{at}`")))?
            .with_timezone(&Utc);
        let buyers = accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.roles.buyer && a.id != opp.partner && a.id != opp.isv)
            .filter(|(_, a)| opp.buyers.is_empty() || opp.buyers.contains(&a.id))
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        let sells = opp.prices.iter().any(|p| p.pricing == PricingModel::Contract) || !opp.installments.is_empty();
        if buyers.is_empty() || !sells {
            continue;
        }
        let product = products.get(opp.product_id.as_str()).cloned().unwrap_or_else(|| "Product".into());
        sources.push(Source { opp, from, buyers, product, made: 0 });
    }
    let mine: Vec<usize> = (0..sources.len()).filter(|&i| sources[i].opp.partner == partner).collect();
    let others: Vec<usize> = (0..sources.len()).filter(|&i| sources[i].opp.partner != partner).collect();
    let start =
        mine.iter().map(|&i| sources[i].from).min().ok_or_else(|| {
            refuse(format!("partner {partner} has no Active recurring opportunity to make offers from"))
        })?;
    let end = now - TimeDelta::seconds(1);
    if end <= start {
        return Err(refuse("the partner's opportunities became Active just now: try again in a second"));
    }
    let span = (end - start).num_microseconds().unwrap_or(i64::MAX) as u128;
    let rare = n * 987_654 / 1_000_000;

    seed_ids(Some(SEED ^ n));
    let _seeded = SeededIds;
    let fees = FeeTable::embedded();
    let mut done = 0u64;
    let mut mine_made = 0u64;
    let mut per_partner: HashMap<AccountId, u64> = HashMap::new();
    bulk::set_cache(market.store.conn(), Some(256 * 1024))?;
    let result = (|| -> MarketResult<()> {
        while done < n {
            let upto = (done + CHUNK).min(n);
            let last = upto == n;
            let sources = &mut sources;
            let (released, drafts) = (&mut summary.released, &mut summary.drafts);
            let (mine_made, per_partner) = (&mut mine_made, &mut per_partner);
            market.store.write(|tx| -> MarketResult<()> {
                let mut writer = bulk::OfferWriter::new(tx)?;
                let mut touched: Vec<usize> = Vec::new();
                for i in done..upto {
                    let h = mix(i);
                    let t = start + TimeDelta::microseconds((span * u128::from(i) / u128::from(n)) as i64);
                    let group = if h % 10 != 0 || others.is_empty() { &mine } else { &others };
                    let usable: Vec<usize> = group.iter().copied().filter(|&s| sources[s].usable_on(t)).collect();
                    let usable = if usable.is_empty() {
                        mine.iter().copied().filter(|&s| sources[s].usable_on(t)).collect()
                    } else {
                        usable
                    };
                    let &s = usable
                        .get((h >> 8) as usize % usable.len().max(1))
                        .ok_or_else(|| refuse(format!("no opportunity can take an offer at {t}")))?;
                    let src = &sources[s];
                    let (offer, kind) = synthetic(src, &accounts, i, h, t.date_naive(), i == rare)?;
                    let figures = OfferFigures::of(&price_offer(
                        &src.opp,
                        &offer.quantities,
                        offer.markup_pct,
                        offer.created_on,
                        fees,
                    ));
                    writer.insert(&offer, kind, &figures, &timestamp(t))?;
                    if offer.state == OfferState::Released {
                        *released += 1;
                    } else {
                        *drafts += 1;
                    }
                    if offer.partner == partner {
                        *mine_made += 1;
                    }
                    *per_partner.entry(offer.partner.clone()).or_default() += 1;
                    if sources[s].made == 0 {
                        touched.push(s);
                    }
                    sources[s].made += 1;
                    if (i + 1) % STEP == 0 {
                        progress(i + 1, n);
                    }
                }
                drop(writer);
                for s in touched {
                    bulk::add_offers_created(tx, &sources[s].opp.id, sources[s].made)?;
                    sources[s].opp.offers_created += sources[s].made;
                    sources[s].made = 0;
                }
                if last {
                    let partners: Vec<(&AccountId, &u64)> = per_partner.iter().collect();
                    let audience: Vec<&AccountId> = partners.iter().map(|(a, _)| *a).collect();
                    let by_partner: serde_json::Map<String, serde_json::Value> =
                        partners.iter().map(|(a, c)| (a.as_str().to_owned(), json!(c))).collect();
                    let event = NewEvent {
                        actor: &partner,
                        entity: "offer",
                        entity_id: "bulk",
                        action: "bulk_load",
                        from_state: None,
                        to_state: None,
                        details: json!({
                            "offers": n, "released": *released, "drafts": *drafts,
                            "by_partner": by_partner, "first_created_at": timestamp(start),
                            "last_created_at": timestamp(t_of(start, span, n - 1, n)),
                            "source": "cppo demo --scale",
                        }),
                        audience,
                    };
                    audit(tx, event, now)?;
                }
                Ok(())
            })?;
            done = upto;
            progress(done, n);
        }
        Ok(())
    })();
    bulk::set_cache(market.store.conn(), None)?;
    result?;
    bulk::optimize(market.store.conn())?;
    summary.offers = n;
    summary.partner_offers = mine_made;
    Ok(summary)
}

fn t_of(start: DateTime<Utc>, span: u128, i: u64, n: u64) -> DateTime<Utc> {
    start + TimeDelta::microseconds((span * u128::from(i) / u128::from(n)) as i64)
}

/// The `i`th synthetic offer, made from `src` on `day` through the domain's own checks.
fn synthetic(
    src: &Source,
    accounts: &[crate::domain::Account],
    i: u64,
    h: u64,
    day: NaiveDate,
    rare: bool,
) -> MarketResult<(Offer, crate::domain::OpportunityKind)> {
    let opp = &src.opp;
    let buyer = &accounts[src.buyers[(h >> 16) as usize % src.buyers.len()]];
    let short = buyer.name.split_whitespace().next().unwrap_or("Buyer");
    let word = WORDS[(h >> 24) as usize % WORDS.len()];
    let name = if rare {
        format!("{RARE_NEEDLE} Widgets {} Pilot #{}", src.product, i + 1)
    } else {
        format!("{short} {} {word} #{}", src.product, i + 1)
    };
    let quantities = opp
        .prices
        .iter()
        .enumerate()
        .filter(|(_, p)| p.pricing == PricingModel::Contract)
        .map(|(k, p)| (p.dimension.clone(), 1 + (h >> (28 + 4 * k as u32)) % 250))
        .collect();
    let expires = day + TimeDelta::days(30 + ((h >> 40) % 91) as i64);
    let expires_on = opp.ends_on.map_or(expires, |end| expires.min(end));
    let terms = OfferTerms {
        name,
        description: String::new(),
        buyer: Some(buyer.id.clone()),
        markup_pct: Decimal::new(((h >> 48) % 41 * 5) as i64, 1),
        expires_on: Some(expires_on),
        quantities,
    };
    let mut offer = Offer::draft(OfferId::generate(), &opp.partner, opp, terms, day)?;
    if (h >> 56) % 12 != 0 {
        offer.release(&opp.partner, opp, day)?;
    }
    Ok((offer, opp.kind))
}
