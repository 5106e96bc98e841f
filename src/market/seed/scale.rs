//! `cppo demo --scale N`: N synthetic offers on top of the demo, to try the app on a big file.
//!
//! Every offer goes through the domain (`Offer::draft`, `Offer::release`, `price_offer`) on
//! the day it is made, so the rows are ones the rules allow: made from an Active, unexpired
//! recurring opportunity by the partner it was granted to, for a buyer it may sell to, with
//! an expiry inside the opportunity's term and the money columns priced as `create_offer`
//! prices them. Only the writing is different: `store::bulk` writes them with prepared
//! statements in one transaction, with the indexes set aside and rebuilt after, and one audit
//! event summarises the whole load.
//!
//! Nine offers in ten go to the remembered acting account (the demo's busiest partner, the
//! one the TUI opens as); the rest are spread over the other partners. Creation times are
//! spread evenly from the first day an opportunity of that partner could take offers to
//! now, one offer per instant, so `created` sorts them in the order they were made.
//!
//! About one released offer in [`ACCEPTED_ONE_IN`] is accepted by its buyer within 30 days
//! of being made (never after its expiry, never after now: fewer of the last month's offers
//! are accepted), through `Agreement::accept`
//! priced on that day as `accept_offer` prices it; the upfront charge is paid that day
//! (`Agreement::pay_next`, with its two disbursements) and later installments stay due. So
//! the agreements are in proportion to the offers and the partner's share of them, and
//! their end dates spread from the past (EXPIRED) to the years ahead, through the renewal
//! radar's 30 / 60 / 90 days. They are written in the same transaction through
//! `ledger::insert`'s prepared statements.
//!
//! Ids come from a fixed seed, so the same N on the same day gives the same file.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::domain::fees::FeeTable;
use crate::domain::ids::seed_ids;
use crate::domain::offer::OfferTerms;
use crate::domain::pricing::Breakdown;
use crate::domain::pricing::price_offer;
use crate::domain::{
    Account, AccountId, Agreement, AgreementId, Disbursement, Offer, OfferId, OfferState, Opportunity, OpportunityKind,
    PricingModel, RuleError,
};
use crate::market::{Market, MarketError, MarketResult, audit};
use crate::store::events::NewEvent;
use crate::store::offers::OfferFigures;
use crate::store::{Conn, bulk, ledger, opportunities, parties, timestamp};

/// A word in exactly one synthetic offer's name (a search that must find one row).
pub const RARE_NEEDLE: &str = "Quixotic";
/// A word in about one synthetic offer name in six.
pub const COMMON_NEEDLE: &str = "Renewal";
/// Progress is reported every this many offers.
const STEP: u64 = 10_000;
/// Offers made per batch by the generating thread.
const BATCH: u64 = 2_000;
/// What `add_offers` makes, numbered: bumped whenever it changes (2: agreements), so that
/// files cached by the benchmarks are built again.
pub const GENERATION: u32 = 2;
/// About one released synthetic offer in this many is accepted (an agreement).
pub const ACCEPTED_ONE_IN: u64 = 8;
/// The seed of the synthetic ids (the demo's seed, varied).
const SEED: u64 = super::demo::DEMO_SEED ^ 0x5ca1e;

const WORDS: [&str; 6] = ["Annual", "Multi-year", "Pilot", "Renewal", "Expansion", "Enterprise"];

/// What `add_offers` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleSummary {
    pub offers: u64,
    pub released: u64,
    pub drafts: u64,
    /// Offers accepted, each with its agreement.
    pub agreements: u64,
    /// The partner that got most of them (the acting account).
    pub partner: AccountId,
    pub partner_offers: u64,
    /// The acting partner's agreements among them.
    pub partner_agreements: u64,
}

/// An opportunity that can take synthetic offers, and from when to when.
struct Source {
    opp: Opportunity,
    from: DateTime<Utc>,
    buyers: Vec<usize>,
    product: String,
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

/// Adds `n` synthetic offers to a file that holds the demo, in one transaction with one audit
/// event; calls `progress(done, total)` as it goes (`total` counts the rows and the index
/// rebuilds that follow them).
/// The most synthetic offers one `demo --scale` adds (a 4 GB file; the arithmetic of the
/// plan stays far inside u64).
pub const MAX_SCALE: u64 = 20_000_000;

/// Refuses a scale beyond [`MAX_SCALE`], before anything is loaded.
pub fn check_scale(n: u64) -> MarketResult<()> {
    if n > MAX_SCALE {
        return Err(refuse(format!(
            "--scale {n} is more than cppo adds in one run: at most {}",
            crate::domain::money::group_thousands(&MAX_SCALE.to_string())
        )));
    }
    Ok(())
}

pub fn add_offers(market: &mut Market, n: u64, progress: &mut dyn FnMut(u64, u64)) -> MarketResult<ScaleSummary> {
    check_scale(n)?;
    let partner = market.last_actor()?.ok_or_else(|| refuse("load the demo first: no acting partner"))?;
    let mut summary = ScaleSummary {
        offers: 0,
        released: 0,
        drafts: 0,
        agreements: 0,
        partner: partner.clone(),
        partner_offers: 0,
        partner_agreements: 0,
    };
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
        sources.push(Source { opp, from, buyers, product });
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
    let plan = Plan {
        span: (end - start).num_microseconds().unwrap_or(i64::MAX) as u128,
        start,
        now,
        n,
        rare: n * 987_654 / 1_000_000,
        sources,
        accounts,
        mine,
        others,
    };

    let path = market.store.path().to_owned();
    let on_file = path != std::path::Path::new(":memory:");
    let mut counts = Counts::default();
    let total = market.store.bulk_write(|tx| load(tx, &plan, &partner, now, on_file, &mut counts, progress))?;
    if on_file {
        // The trigram tables were copied in behind FTS5's back: start afresh on the file.
        market.store = crate::store::Store::open(&path)?;
    }
    progress(total, total);
    summary.offers = n;
    summary.released = counts.released;
    summary.drafts = counts.drafts;
    summary.partner_offers = counts.partner;
    summary.agreements = counts.agreements;
    summary.partner_agreements = counts.partner_agreements;
    Ok(summary)
}

/// What a load wrote.
#[derive(Default)]
struct Counts {
    released: u64,
    drafts: u64,
    /// Made by the acting partner.
    partner: u64,
    agreements: u64,
    partner_agreements: u64,
    per_partner: Vec<(AccountId, u64)>,
    /// Per source.
    made: Vec<u32>,
    /// Per tally group: (source, buyer, released).
    groups: HashMap<(usize, usize, bool), u64>,
}

/// The load itself, inside its transaction; returns the progress total.
fn load(
    tx: &Conn,
    plan: &Plan,
    partner: &AccountId,
    now: DateTime<Utc>,
    on_file: bool,
    c: &mut Counts,
    progress: &mut dyn FnMut(u64, u64),
) -> MarketResult<u64> {
    let n = plan.n;
    c.made = vec![0; plan.sources.len()];
    let made_search = bulk::ensure_search(tx)?;
    bulk::ensure_agreement_search(tx)?;
    let suspended = bulk::suspend(tx)?;
    let first = suspended.first_rowid();
    // Progress units: ten per row; each index rebuild takes about thirteen per row.
    let per_index = n * 13 / 10;
    let total = n * 10 + suspended.indexes() as u64 * per_index + n;
    // On a file the trigram tables are built on the side, in parallel; in memory, in place.
    let search = if on_file { Some(bulk::SearchBuilder::new(tx, first)?) } else { None };
    let search = std::thread::scope(|scope| -> MarketResult<Option<bulk::SearchBuilder>> {
        // The domain work (and the trigram tables) on a second thread, the writes on this
        // one; in batches, so that the threads do not wake each other for every offer.
        let (send, batches) = std::sync::mpsc::sync_channel::<MarketResult<Vec<Made>>>(4);
        let generator = scope.spawn(move || generate(plan, first, send, search));
        let mut writer = bulk::OfferWriter::new(tx)?;
        let mut i = 0u64;
        while i < n {
            let Ok(batch) = batches.recv() else { break };
            for row in batch? {
                writer.insert(first + i as i64, &row.offer, row.kind, &row.figures, &row.created_at)?;
                if let Some(a) = &row.accepted {
                    ledger::insert(tx, &a.agreement, a.at)?;
                    for d in &a.paid {
                        ledger::insert_disbursement(tx, d, a.at)?;
                    }
                }
                c.count(&row, partner);
                i += 1;
                if i.is_multiple_of(STEP) {
                    progress(i * 10, total);
                }
            }
        }
        drop(writer);
        let mut done = n * 10;
        bulk::rebuild_indexes(tx, &suspended, &mut || {
            done += per_index;
            progress(done, total);
        })?;
        let search = generator.join().map_err(|_| refuse("the offer generator failed"))??;
        if i < n {
            return Err(refuse("the offer generator stopped early"));
        }
        Ok(search)
    })?;
    match search {
        Some(search) => search.install(tx)?,
        None => bulk::index_search(tx, if made_search { 1 } else { first })?,
    }
    for (&(source, buyer, released), &count) in &c.groups {
        let o = &plan.sources[source].opp;
        let state = if released { OfferState::Released } else { OfferState::Draft };
        let buyer = plan.accounts[buyer].id.as_str();
        let group = [o.partner.as_str(), o.isv.as_str(), buyer, o.product_id.as_str(), o.id.as_str(), state.as_str()];
        bulk::add_to_tally(tx, group, count)?;
    }
    bulk::resume(tx, suspended)?;
    for (src, &k) in plan.sources.iter().zip(&c.made).filter(|(_, k)| **k > 0) {
        bulk::add_offers_created(tx, &src.opp.id, k)?;
    }
    let by_partner: serde_json::Map<String, serde_json::Value> =
        c.per_partner.iter().map(|(a, k)| (a.as_str().to_owned(), json!(k))).collect();
    let event = NewEvent {
        actor: partner,
        entity: "offer",
        entity_id: "bulk",
        action: "bulk_load",
        from_state: None,
        to_state: None,
        details: json!({
            "offers": n, "released": c.released, "drafts": c.drafts, "agreements": c.agreements,
            "by_partner": by_partner,
            "first_created_at": timestamp(plan.at(0)), "last_created_at": timestamp(plan.at(n - 1)),
            "source": "cppo demo --scale",
        }),
        audience: c.per_partner.iter().map(|(a, _)| a).collect(),
    };
    audit(tx, event, now)?;
    Ok(total)
}

impl Counts {
    fn count(&mut self, row: &Made, partner: &AccountId) {
        let released = row.offer.state == OfferState::Released;
        if released {
            self.released += 1;
        } else {
            self.drafts += 1;
        }
        if row.offer.partner == *partner {
            self.partner += 1;
        }
        if row.accepted.is_some() {
            self.agreements += 1;
            if row.offer.partner == *partner {
                self.partner_agreements += 1;
            }
        }
        match self.per_partner.iter_mut().find(|(p, _)| *p == row.offer.partner) {
            Some((_, k)) => *k += 1,
            None => self.per_partner.push((row.offer.partner.clone(), 1)),
        }
        self.made[row.source] += 1;
        *self.groups.entry((row.source, row.buyer, released)).or_default() += 1;
    }
}

/// The generating thread: makes the offers in batches for the writer and, with a
/// `SearchBuilder`, indexes them in its trigram tables whenever the writer has enough to do.
fn generate(
    plan: &Plan,
    first: i64,
    send: std::sync::mpsc::SyncSender<MarketResult<Vec<Made>>>,
    mut search: Option<bulk::SearchBuilder>,
) -> MarketResult<Option<bulk::SearchBuilder>> {
    use std::sync::mpsc::TrySendError;
    seed_ids(Some(SEED ^ plan.n));
    let _seeded = SeededIds;
    // Offers written (or about to be) but not indexed yet: (rowid, id, name).
    let mut pending: VecDeque<(i64, String, String)> = VecDeque::new();
    let mut i = 0;
    while i < plan.n {
        let upto = (i + BATCH).min(plan.n);
        let batch = match (i..upto).map(|k| plan.offer(k)).collect::<MarketResult<Vec<_>>>() {
            Ok(batch) => batch,
            Err(e) => {
                let _ = send.send(Err(e));
                return Ok(None);
            }
        };
        if search.is_some() {
            for (k, row) in (i..).zip(&batch) {
                pending.push_back((first + k as i64, row.offer.id.as_str().to_owned(), row.offer.name.clone()));
            }
        }
        let mut item = Ok(batch);
        loop {
            match send.try_send(item) {
                Ok(()) => break,
                Err(TrySendError::Full(back)) => {
                    item = back;
                    match search.as_mut() {
                        Some(s) if !pending.is_empty() => index(s, &mut pending, 200)?,
                        // Nothing else to do: wait for room.
                        _ => {
                            if send.send(item).is_err() {
                                return Ok(None);
                            }
                            break;
                        }
                    }
                }
                Err(TrySendError::Disconnected(_)) => return Ok(None),
            }
        }
        i = upto;
    }
    drop(send);
    if let Some(s) = search.as_mut() {
        index(s, &mut pending, usize::MAX)?;
    }
    Ok(search)
}

/// Indexes up to `k` of the `pending` offers.
fn index(s: &mut bulk::SearchBuilder, pending: &mut VecDeque<(i64, String, String)>, k: usize) -> MarketResult<()> {
    for (rowid, id, name) in pending.drain(..k.min(pending.len())) {
        s.add(rowid, &id, &name)?;
    }
    Ok(())
}

/// Everything needed to make the `i`th synthetic offer, shared with the generating thread.
struct Plan {
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    span: u128,
    n: u64,
    rare: u64,
    sources: Vec<Source>,
    accounts: Vec<Account>,
    /// Sources of the acting partner, and of the others.
    mine: Vec<usize>,
    others: Vec<usize>,
}

/// One synthetic offer, ready to write.
struct Made {
    offer: Offer,
    kind: OpportunityKind,
    figures: OfferFigures,
    created_at: String,
    source: usize,
    /// The buyer, as an index into `Plan::accounts`.
    buyer: usize,
    accepted: Option<Accepted>,
}

/// A synthetic offer's agreement, accepted at `at`, and the disbursements of the charge paid
/// that day (none when its first installment falls later).
struct Accepted {
    agreement: Agreement,
    paid: Vec<Disbursement>,
    at: DateTime<Utc>,
}

impl Plan {
    /// The creation time of the `i`th offer: evenly spread from `start` to now.
    fn at(&self, i: u64) -> DateTime<Utc> {
        self.start + TimeDelta::microseconds((self.span * u128::from(i) / u128::from(self.n)) as i64)
    }

    fn offer(&self, i: u64) -> MarketResult<Made> {
        let h = mix(i);
        let t = self.at(i);
        let group = if !h.is_multiple_of(10) || self.others.is_empty() { &self.mine } else { &self.others };
        let pick = |group: &[usize]| -> Option<usize> {
            let usable = group.iter().filter(|&&s| self.sources[s].usable_on(t)).count();
            (usable > 0).then(|| {
                let k = (h >> 8) as usize % usable;
                group.iter().copied().filter(|&s| self.sources[s].usable_on(t)).nth(k).expect("k < usable")
            })
        };
        let source = pick(group)
            .or_else(|| pick(&self.mine))
            .ok_or_else(|| refuse(format!("no opportunity can take an offer at {t}")))?;
        let src = &self.sources[source];
        let (mut offer, buyer) = synthetic(src, &self.accounts, i, h, t.date_naive(), i == self.rare)?;
        // An accepted offer is priced again on the day of acceptance, as `accept_offer` does.
        let at = self.acceptance(&offer, i, t);
        let day = at.map_or(offer.created_on, |at| at.date_naive());
        let b = price_offer(&src.opp, &offer.quantities, offer.markup_pct, day, FeeTable::embedded());
        let accepted = match at {
            Some(at) => Some(accept(src, &mut offer, &self.accounts[buyer].id, &b, at)?),
            None => None,
        };
        Ok(Made {
            figures: OfferFigures::of(&b),
            kind: src.opp.kind,
            created_at: stamp(t),
            offer,
            source,
            buyer,
            accepted,
        })
    }

    /// When the buyer accepts the `i`th offer, made at `t`, if it does: one released offer in
    /// [`ACCEPTED_ONE_IN`], 0 to 29 days after it was made. A day drawn past its expiry or
    /// past now is no acceptance (yet), rather than one moved to the last day possible,
    /// which would pile agreements up on today.
    fn acceptance(&self, offer: &Offer, i: u64, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // A draw of its own, so the offers' other choices stay as they were.
        let g = mix(!i);
        if offer.state != OfferState::Released || !g.is_multiple_of(ACCEPTED_ONE_IN) {
            return None;
        }
        let by_expiry = (offer.expires_on? - t.date_naive()).num_days();
        let room = (self.now - t).num_days().min(by_expiry);
        let after = ((g >> 32) % 30) as i64;
        (after <= room).then(|| t + TimeDelta::days(after))
    }
}

/// The buyer `buyer` accepts `offer` at `at` through the domain, and pays the upfront charge
/// if it is due that day.
fn accept(
    src: &Source,
    offer: &mut Offer,
    buyer: &AccountId,
    b: &Breakdown,
    at: DateTime<Utc>,
) -> MarketResult<Accepted> {
    let day = at.date_naive();
    let mut agreement = Agreement::accept(AgreementId::generate(), buyer, offer, &src.opp, b, day)?;
    offer.agreement_id = Some(agreement.id.clone());
    let paid = match agreement.charges.first() {
        Some(c) if c.due_on <= day => agreement.pay_next(buyer, day)?.1.to_vec(),
        _ => Vec::new(),
    };
    Ok(Accepted { agreement, paid, at })
}

/// `store::timestamp(t)`, written out by hand: it runs once per offer.
fn stamp(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_micros()
    )
}

/// The `i`th synthetic offer, made from `src` on `day` through the domain's own checks.
fn synthetic(
    src: &Source,
    accounts: &[Account],
    i: u64,
    h: u64,
    day: NaiveDate,
    rare: bool,
) -> MarketResult<(Offer, usize)> {
    let opp = &src.opp;
    let buyer_index = src.buyers[(h >> 16) as usize % src.buyers.len()];
    let buyer = &accounts[buyer_index];
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
        duration: None,
    };
    let mut offer = Offer::draft(OfferId::generate(), &opp.partner, opp, terms, day)?;
    if !(h >> 56).is_multiple_of(12) {
        offer.release(&opp.partner, opp, day)?;
    }
    Ok((offer, buyer_index))
}
