//! Import: the entities `aws::import::read` found in AWS CLI output, written into the file as
//! the acting account, in one transaction. Keyed by AWS's ids, so that importing the same
//! output twice changes nothing; a record changed in cppo since its import is a conflict,
//! left as it is unless forced; what cppo cannot hold is skipped with its reason.

use crate::store::Conn as Connection;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::missing::summary_what;
use super::offers::{event as offer_event, priced};
use super::opportunities::event as opportunity_event;
use super::{Market, MarketResult, audit};
use crate::aws::import::{Authorization, AuthorizationSummary, Entry, Offer as AwsOffer, OfferSummary, ResellerRole};
use crate::domain::account::PartnerKind;
use crate::domain::sync::{
    AwsSource, Held, SummaryParties, check_offer_holder, check_offer_import, check_offer_made_from, check_offer_origin,
    check_opportunity_holder, check_opportunity_import, check_overwrite, check_summary_import, product_after_import,
    summary_offer_status, summary_opportunity_status,
};
use crate::domain::{Account, AccountId, OfferState, OpportunityId, OpportunityState, ProductType, Roles, RuleError};
use crate::store::aws::{self as sources, Summary};
use crate::store::events::NewEvent;
use crate::store::offers::{self, OfferFigures};
use crate::store::{opportunities, parties};

/// How an import runs.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Show what would change, write nothing.
    pub dry_run: bool,
    /// Write AWS's version over records changed in cppo since their import.
    pub force: bool,
    /// The type of products the file does not hold yet (AWS's authorization does not say).
    pub product_type: ProductType,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { dry_run: false, force: false, product_type: ProductType::Saas }
    }
}

/// What became of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Not imported: cppo cannot hold it, or the acting account may not import it.
    Skipped(String),
    /// Changed in cppo since its import: left as it is.
    Conflict(String),
    /// Made in cppo, now the entity AWS created from its export: it took AWS's id (here).
    Linked(String),
    /// AWS refused its export (a FAILED change set): why, now shown beside the record.
    Failed(String),
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Unchanged => "unchanged",
            Self::Skipped(_) => "skipped",
            Self::Conflict(_) => "conflict",
            Self::Linked(_) => "linked",
            Self::Failed(_) => "failed",
        }
    }
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Skipped(r) | Self::Conflict(r) | Self::Failed(r) => Some(r),
            _ => None,
        }
    }
    /// It wrote (or, dry, would write) something.
    pub fn writes(&self) -> bool {
        matches!(self, Self::Created | Self::Updated | Self::Linked(_) | Self::Failed(_))
    }
}

/// One entity of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    /// AWS's id, when the input had one.
    pub id: Option<String>,
    /// "opportunity", "offer", "change set", "agreement" or "entity" (another type).
    pub kind: &'static str,
    /// Its name and status, for the person reading the report.
    pub what: String,
    /// Only a `list-entities` summary: no terms, no offer can be made from it yet.
    pub summary_only: bool,
    pub outcome: Outcome,
    /// What the import assumed or could not carry (never a guess left unsaid).
    pub notes: Vec<String>,
}

/// Created and updated accounts or products.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub updated: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub lines: Vec<ImportLine>,
    pub accounts: Tally,
    pub products: Tally,
    pub dry_run: bool,
}

impl ImportReport {
    /// How many lines have `label` as their outcome.
    pub fn count(&self, label: &str) -> usize {
        self.lines.iter().filter(|l| l.outcome.label() == label).count()
    }
    /// How many entities were not imported: skipped, or left as they were (a conflict).
    pub fn refused(&self) -> usize {
        self.count("skipped") + self.count("conflict")
    }
    /// True when the import wrote (or, dry, would write) something.
    pub fn changed(&self) -> bool {
        self.lines.iter().any(|l| l.outcome.writes())
    }
}

/// A per-entity refusal: skipped, or a conflict.
pub(super) enum Refusal {
    Skip(String),
    Conflict(String),
}

impl From<RuleError> for Refusal {
    fn from(e: RuleError) -> Self {
        Refusal::Skip(e.message)
    }
}

pub(super) type Step<T> = Result<T, Refusal>;

impl Market {
    /// Imports `entries` as `actor`, which must be the ISV or the partner of each entity. When
    /// `actor` is not in the file yet, it must be a party of the input, which creates it.
    pub fn import(&mut self, actor: &AccountId, entries: &[Entry], opts: ImportOptions) -> MarketResult<ImportReport> {
        self.import_then(actor, entries, opts, |_| Ok(()))
    }

    /// [`Self::import`], and `then` in the same transaction once every entry is written (a
    /// pull's watermark moves only with what it pulled).
    pub(super) fn import_then(
        &mut self,
        actor: &AccountId,
        entries: &[Entry],
        opts: ImportOptions,
        then: impl FnOnce(&Connection) -> MarketResult<()>,
    ) -> MarketResult<ImportReport> {
        let (now, today) = (self.now(), self.today());
        let run = |tx: &Connection| -> MarketResult<ImportReport> {
            // Refused whole only when every entity was read and none names the actor: an entity
            // the reader skipped may have named it, and its line says the real reason.
            let may_name = |e: &Entry| names_party(e, actor) || matches!(e, Entry::Skipped { .. });
            if parties::account(tx, actor)?.is_none() && !entries.iter().any(may_name) {
                return Err(RuleError::validation(format!(
                    "account {actor} is not in this file and not a party of the input: import as the ISV or the partner it names"
                ))
                .into());
            }
            let mut run = Run {
                tx,
                actor,
                now,
                today,
                opts,
                report: ImportReport { dry_run: opts.dry_run, ..Default::default() },
            };
            // Links before the entities they concern, an authorization's before an offer's,
            // authorizations before offers, offers before the agreements made on them, and an
            // agreement before its terms, so that each finds what it needs wherever it is in the
            // input; the report keeps the input's order.
            let mut lines: Vec<(usize, ImportLine)> = Vec::with_capacity(entries.len());
            for pass in 0..6 {
                for (i, e) in entries.iter().enumerate() {
                    if pass_of(e) == pass {
                        lines.push((i, run.entry(e)?));
                    }
                }
            }
            lines.sort_by_key(|(i, _)| *i);
            for (i, line) in &mut lines {
                if let Some(what) = run.what(&entries[*i], &line.outcome)? {
                    line.what = what;
                }
            }
            let summaries = lines.into_iter().map(|(i, l)| (is_summary(&entries[i]), l));
            run.report.lines = one_line_per_entity(summaries);
            then(tx)?;
            Ok(run.report)
        };
        if opts.dry_run { self.store.rehearse(run) } else { self.store.write(run) }
    }

    /// The `list-entities` summaries `viewer` may see whose details were never imported.
    pub fn summaries(&self, viewer: &AccountId) -> MarketResult<Vec<Summary>> {
        Ok(sources::summaries(self.conn(), viewer)?)
    }

    /// Where the opportunity or offer `id` came from on AWS, if it was imported.
    pub fn aws_source(&self, id: &str) -> MarketResult<Option<AwsSource>> {
        Ok(sources::source(self.conn(), id)?)
    }
}

/// When an entry is imported: see [`Market::import`].
fn pass_of(e: &Entry) -> u8 {
    match e {
        Entry::ChangeSet(c) if c.exported.as_ref().is_some_and(|x| x.id.starts_with(OpportunityId::PREFIX)) => 0,
        Entry::ChangeSet(_) => 1,
        Entry::Offer(_) | Entry::OfferSummary(_) => 3,
        // After offers, whose ISV an agreement takes; terms after their agreement.
        Entry::Agreement(_) => 4,
        Entry::AgreementTerms(_) => 5,
        _ => 2,
    }
}

/// A `list-entities` summary, whose `describe-entity` says more of the same entity.
fn is_summary(e: &Entry) -> bool {
    matches!(e, Entry::AuthorizationSummary(_) | Entry::OfferSummary(_))
}

/// The report's lines, one per entity, in the order the input first names each: an entity the
/// input holds more than once (its summary and its details, an agreement and its terms) gets
/// one line with its final outcome. The details decide over a summary; among the lines that
/// decide, the outcome that did the most (created over updated over unchanged), else the
/// last refusal (skipped, conflict); the other refusals are said in its notes. `lines`: each
/// with whether it came from a summary.
fn one_line_per_entity(lines: impl IntoIterator<Item = (bool, ImportLine)>) -> Vec<ImportLine> {
    let mut out: Vec<(Vec<(bool, ImportLine)>, ImportLine)> = Vec::new();
    for (summary, line) in lines {
        let same = line
            .id
            .as_ref()
            .and_then(|id| out.iter().position(|(_, first)| first.kind == line.kind && first.id.as_ref() == Some(id)));
        match same {
            Some(at) => out[at].0.push((summary, line)),
            None => out.push((vec![(summary, line.clone())], line)),
        }
    }
    out.into_iter().map(|(all, _)| final_line(all)).collect()
}

/// The one line of an entity from every line the input gave it (see [`one_line_per_entity`]).
fn final_line(all: Vec<(bool, ImportLine)>) -> ImportLine {
    if all.len() == 1 {
        return all.into_iter().next().map(|(_, l)| l).expect("one line");
    }
    let details = all.iter().any(|(summary, _)| !summary);
    let deciding: Vec<&ImportLine> = all.iter().filter(|(s, _)| !details || !s).map(|(_, l)| l).collect();
    let rank = |o: &Outcome| match o {
        Outcome::Created => 3,
        Outcome::Updated | Outcome::Linked(_) | Outcome::Failed(_) => 2,
        Outcome::Unchanged => 1,
        Outcome::Skipped(_) | Outcome::Conflict(_) => 0,
    };
    // The last of the best (`max_by_key` keeps the last of equals): a refusal only when every
    // deciding line is one.
    let kept = deciding.iter().max_by_key(|l| rank(&l.outcome)).copied().expect("a line decides");
    let mut line = kept.clone();
    line.summary_only = all.iter().all(|(_, l)| l.summary_only);
    for (_, l) in &all {
        for n in &l.notes {
            if !line.notes.contains(n) {
                line.notes.push(n.clone());
            }
        }
    }
    // Every other refusal, in its own words, and what was written all the same.
    for (_, l) in &all {
        if let Some(reason) = l.outcome.reason().filter(|r| rank(&l.outcome) == 0 && Some(*r) != line.outcome.reason())
        {
            line.notes.push(format!("also {}: {reason}", l.outcome.label()));
        }
    }
    if rank(&line.outcome) == 0
        && let Some(w) = all.iter().map(|(_, l)| l).find(|l| l.outcome.writes())
    {
        line.notes.push(format!(
            "its {} was {} all the same",
            if w.summary_only { "summary" } else { "record" },
            w.outcome.label()
        ));
    }
    line
}

/// Does `e` name `account` as a party that an import creates?
fn names_party(e: &Entry, account: &AccountId) -> bool {
    match e {
        Entry::Authorization(a) => a.isv == *account || a.partner == *account,
        Entry::AuthorizationSummary(s) => s.isv.as_ref() == Some(account) || s.partner.as_ref() == Some(account),
        Entry::Agreement(a) => a.agreement.proposer == *account || a.agreement.acceptor == *account,
        _ => false,
    }
}

/// One import, inside its transaction.
pub(super) struct Run<'t> {
    pub(super) tx: &'t Connection,
    pub(super) actor: &'t AccountId,
    pub(super) now: DateTime<Utc>,
    today: NaiveDate,
    opts: ImportOptions,
    report: ImportReport,
}

pub(super) const AGREEMENT: &str = "agreement";

pub(super) const OPPORTUNITY: &str = "opportunity";
pub(super) const OFFER: &str = "offer";
pub(super) const CHANGE_SET: &str = "change set";

impl Run<'_> {
    /// What the report says of an opportunity or offer `e` once the import ran: its name and
    /// its status in cppo's words (the words of every other screen, not AWS's `Restricted`
    /// or `Released`), the record's as the file now holds it. A skipped one's status is what
    /// AWS's state and dates make it: a record the actor may not see is never read for it.
    fn what(&self, e: &Entry, outcome: &Outcome) -> MarketResult<Option<String>> {
        let read = !matches!(outcome, Outcome::Skipped(_));
        let today = self.today;
        let opportunity = |id: &OpportunityId| -> MarketResult<Option<String>> {
            Ok(if read { opportunities::get(self.tx, id)?.map(|o| o.status(today).label().to_owned()) } else { None })
        };
        let offer = |id: &crate::domain::OfferId| -> MarketResult<Option<String>> {
            Ok(if read { offers::get(self.tx, id)?.map(|r| r.offer.status(today).label().to_owned()) } else { None })
        };
        Ok(Some(match e {
            Entry::Authorization(a) => {
                let aws = || summary_opportunity_status(a.status, a.ends_on, today).label().to_owned();
                format!("\"{}\" ({})", a.name, opportunity(&a.id)?.unwrap_or_else(aws))
            }
            Entry::AuthorizationSummary(s) => {
                let aws = s.status.map(|st| summary_opportunity_status(st, s.ends_on, today).label().to_owned());
                summary_what(s.name.as_deref(), opportunity(&s.id)?.or(aws).as_deref())
            }
            Entry::Offer(o) => {
                let aws = || summary_offer_status(o.state, o.expires_on, today).label().to_owned();
                format!("\"{}\" ({})", o.name, offer(&o.id)?.unwrap_or_else(aws))
            }
            Entry::OfferSummary(s) => {
                let aws = s.state.map(|st| summary_offer_status(st, s.expires_on, today).label().to_owned());
                summary_what(s.name.as_deref(), offer(&s.id)?.or(aws).as_deref())
            }
            _ => return Ok(None),
        }))
    }

    fn entry(&mut self, e: &Entry) -> MarketResult<ImportLine> {
        let mut line = ImportLine {
            id: e.id().map(str::to_owned),
            kind: OPPORTUNITY,
            what: String::new(),
            summary_only: false,
            outcome: Outcome::Unchanged,
            notes: Vec::new(),
        };
        let outcome = match e {
            Entry::Authorization(a) => {
                line.notes.clone_from(&a.notes);
                self.authorization(a, &mut line.notes)?
            }
            Entry::AuthorizationSummary(s) => {
                line.summary_only = true;
                self.authorization_summary(s, &mut line)?
            }
            Entry::Offer(o) => {
                line.kind = OFFER;
                line.notes.clone_from(&o.notes);
                self.offer(o, &mut line.notes)?
            }
            Entry::OfferSummary(s) => {
                line.kind = OFFER;
                line.summary_only = true;
                self.offer_summary(s, &mut line)?
            }
            Entry::ChangeSet(c) => self.change_set(c, &mut line)?,
            Entry::Agreement(a) => {
                line.kind = AGREEMENT;
                line.what = format!("{} for {} ({})", a.agreement.proposer, a.agreement.acceptor, a.agreement.status);
                line.notes.clone_from(&a.notes);
                self.agreement(a, &mut line.notes)?
            }
            Entry::AgreementTerms(t) => {
                line.kind = AGREEMENT;
                line.what = format!("terms: {} charges", t.charges.len());
                line.notes.clone_from(&t.notes);
                self.agreement_terms(t, &mut line.notes)?
            }
            Entry::Skipped { kind, reason, .. } => {
                line.kind = match *kind {
                    "resale authorization" => OPPORTUNITY,
                    "offer" => OFFER,
                    crate::aws::import::KIND_CHANGE_SET => CHANGE_SET,
                    crate::aws::import::KIND_AGREEMENT => AGREEMENT,
                    _ => "entity",
                };
                Ok(Outcome::Skipped(reason.clone()))
            }
        };
        line.outcome = match outcome {
            Ok(o) => o,
            Err(Refusal::Skip(r)) => Outcome::Skipped(r),
            Err(Refusal::Conflict(r)) => Outcome::Conflict(r),
        };
        if !line.outcome.writes() {
            line.notes.clear();
        }
        Ok(line)
    }

    fn authorization(&mut self, a: &Authorization, notes: &mut Vec<String>) -> MarketResult<Step<Outcome>> {
        // Who may write it: the stored record decides; for a new one, the input's parties.
        let held = opportunities::get(self.tx, &a.id)?;
        let authority = match &held {
            Some(h) => check_opportunity_holder(self.actor, h),
            None => self.summary_authority(a.id.as_str(), Some(&a.isv), Some(&a.partner))?,
        };
        if let Err(e) = authority {
            return Ok(Err(e.into()));
        }
        let held_product = parties::product(self.tx, &a.product_id)?;
        let product = a.product(held_product.as_ref(), self.opts.product_type).and_then(|p| match &held_product {
            Some(h) => product_after_import(self.actor, h, p, held.is_none()),
            None => Ok(p),
        });
        let product = match product {
            Ok(p) => p,
            Err(e) => return Ok(Err(e.into())),
        };
        let mut o = match a.opportunity(&product, held.as_ref(), self.today) {
            Ok(o) => o,
            Err(e) => return Ok(Err(e.into())),
        };
        if let Some(h) = &held
            && let Err(e) = check_opportunity_import(self.actor, h, &o, offers::has_agreements(self.tx, &h.id)?)
        {
            return Ok(Err(e.into()));
        }
        if held_product.as_ref().is_some_and(|h| h.isv != *self.actor)
            && a.product_name.as_deref().is_some_and(|n| !n.trim().is_empty() && n.trim() != product.title)
        {
            notes.push(format!("product name kept as \"{}\": only its ISV renames it", product.title));
        }
        if a.duration.is_none() && held.is_none() && held_product.is_none() {
            notes.push(format!(
                "priced by usage alone: AWS's authorization has no duration; agreements are taken as {}",
                o.duration.words()
            ));
        }
        if held_product.is_none() {
            notes.push(format!(
                "new product {}: list prices unknown (AWS's authorization has wholesale prices only); type taken as {}",
                product.id,
                product.product_type.label()
            ));
        }
        let source = sources::source(self.tx, a.id.as_str())?;
        let outcome = match &held {
            Some(h) if *h == o && held_product.as_ref() == Some(&product) => Outcome::Unchanged,
            Some(h) => {
                if let Err(e) = check_overwrite(a.id.as_str(), h.version, source.as_ref(), self.opts.force) {
                    return Ok(Err(Refusal::Conflict(e.message)));
                }
                Outcome::Updated
            }
            None => Outcome::Created,
        };
        let held_state = Held::Opportunity { state: a.status, ends_on: a.ends_on };
        if outcome == Outcome::Unchanged {
            self.note_source(a.id.as_str(), a.revision.as_ref(), a.last_modified, o.version, held_state, source)?;
            return Ok(Ok(outcome));
        }
        self.account(&a.isv, a.isv_name.as_deref(), Roles { isv: true, ..Roles::default() }, None)?;
        let kind = partner_kind(a.role);
        self.account(&a.partner, a.partner_name.as_deref(), Roles { partner: true, ..Roles::default() }, kind)?;
        for b in &a.buyers {
            self.account(&b.account, b.legal_name.as_deref(), Roles { buyer: true, ..Roles::default() }, None)?;
        }
        match held_product {
            None => {
                parties::insert_product(self.tx, &product, self.now)?;
                self.report.products.created += 1;
            }
            Some(p) if p != product => {
                parties::update_product(self.tx, &product)?;
                self.report.products.updated += 1;
            }
            Some(_) => {}
        }
        let from = held.as_ref().map(|h| h.state);
        match &held {
            None => opportunities::insert(self.tx, &o, self.now)?,
            Some(_) => opportunities::update(self.tx, &mut o)?,
        }
        let e = opportunity_event(self.actor, &o, "import", from);
        self.written(o.id.as_str(), &a.revision, a.last_modified, o.version, held_state, e)?;
        Ok(Ok(outcome))
    }

    fn offer(&mut self, o: &AwsOffer, notes: &mut Vec<String>) -> MarketResult<Step<Outcome>> {
        let held = offers::get(self.tx, &o.id)?;
        if let Some(h) = &held
            && let Err(e) = check_offer_holder(self.actor, &h.offer)
                .and_then(|()| check_offer_made_from(&h.offer, &o.resale_authorization_id))
        {
            return Ok(Err(e.into()));
        }
        let Some(opp) = opportunities::get(self.tx, &o.resale_authorization_id)? else {
            return Ok(Err(Refusal::Skip(self.missing_authorization(o.resale_authorization_id.as_str())?)));
        };
        if held.is_none() {
            let authority = match check_offer_origin(self.actor, &opp) {
                Ok(()) => self.summary_authority(o.id.as_str(), Some(&opp.isv), Some(&opp.partner))?,
                Err(e) => Err(e),
            };
            if let Err(e) = authority {
                return Ok(Err(e.into()));
            }
        }
        let mut offer = match o.offer(&opp, held.as_ref().map(|h| &h.offer), self.today) {
            Ok(offer) => offer,
            Err(e) => return Ok(Err(e.into())),
        };
        if let Some(h) = &held
            && let Err(e) = check_offer_import(self.actor, &h.offer, &offer)
        {
            return Ok(Err(e.into()));
        }
        if o.markup_pct.is_none() {
            notes.push("no markup set on AWS yet: 0%".into());
        }
        if offer.quantities.is_empty() {
            notes.push("no quantities: AWS lets the buyer choose units when accepting; plan them in cppo".into());
        }
        for p in &offer.aws_buyer_prices {
            let unit = |d| crate::domain::money::unit_price_text(d, offer.currency);
            notes.push(format!(
                "AWS prices `{}` at {}, cppo computes {} from wholesale x markup: AWS's price is kept",
                p.dimension,
                unit(p.aws),
                unit(p.computed)
            ));
        }
        let source = sources::source(self.tx, o.id.as_str())?;
        let outcome = match &held {
            Some(h) if h.offer == offer => Outcome::Unchanged,
            Some(h) => {
                if let Err(e) = check_overwrite(o.id.as_str(), h.offer.version, source.as_ref(), self.opts.force) {
                    return Ok(Err(Refusal::Conflict(e.message)));
                }
                Outcome::Updated
            }
            None => Outcome::Created,
        };
        let held_state = Held::Offer { state: o.state, expires_on: o.expires_on };
        if outcome == Outcome::Unchanged {
            self.note_source(o.id.as_str(), o.revision.as_ref(), o.last_modified, offer.version, held_state, source)?;
            return Ok(Ok(outcome));
        }
        for b in &o.buyers {
            self.account(&b.account, b.legal_name.as_deref(), Roles { buyer: true, ..Roles::default() }, None)?;
        }
        let figures = match priced(&opp, &offer, self.today) {
            Ok(b) => OfferFigures::of(&b),
            Err(e) => return Ok(Err(e.into())),
        };
        let from = held.as_ref().map(|h| h.offer.state);
        match &held {
            None => offers::insert(self.tx, &offer, opp.kind, &figures, self.now)?,
            Some(_) => offers::update(self.tx, &mut offer, &figures)?,
        }
        let e = offer_event(self.actor, &offer, "import", from);
        self.written(offer.id.as_str(), &o.revision, o.last_modified, offer.version, held_state, e)?;
        Ok(Ok(outcome))
    }

    /// After an opportunity or offer `id` was written at `version`: where it came from, its
    /// summary forgotten (the details replace it), and the audit event `e`.
    fn written(
        &self,
        id: &str,
        revision: &Option<String>,
        last_modified: Option<DateTime<Utc>>,
        version: i64,
        held: Held,
        mut e: NewEvent<'_>,
    ) -> MarketResult<()> {
        let source = AwsSource {
            revision: revision.clone(),
            last_modified,
            imported_at: self.now,
            local_version: version,
            held,
        };
        sources::set_source(self.tx, id, &source)?;
        sources::drop_summary(self.tx, id)?;
        e.details["source"] = json!("aws");
        e.details["revision"] = json!(revision);
        audit(self.tx, e, self.now)
    }

    /// Why an offer whose authorization cppo does not hold in full cannot be imported (a
    /// summary the actor may not see is not mentioned).
    fn missing_authorization(&self, id: &str) -> MarketResult<String> {
        Ok(if sources::summary(self.tx, id)?.is_some_and(|s| s.visible_to(self.actor)) {
            format!("its resale authorization {id} is known by its summary only: import its describe-entity first")
        } else {
            format!("its resale authorization {id} is not in cppo: import its describe-entity first")
        })
    }

    fn authorization_summary(
        &mut self,
        s: &AuthorizationSummary,
        line: &mut ImportLine,
    ) -> MarketResult<Step<Outcome>> {
        if let Some(held) = opportunities::get(self.tx, &s.id)? {
            line.summary_only = false;
            if let Err(e) = check_opportunity_holder(self.actor, &held) {
                return Ok(Err(e.into()));
            }
            let same = s.status.is_none_or(|st| st == held.state) && s.ends_on == held.ends_on;
            return Ok(if same {
                Ok(Outcome::Unchanged)
            } else {
                Err(Refusal::Skip(format!(
                    "cppo holds its details, and AWS's summary now differs ({}, ends {}): import its describe-entity to update it",
                    s.status
                        .map_or("status unknown", |st| summary_opportunity_status(st, s.ends_on, self.today).label()),
                    s.ends_on.map_or_else(|| "never".to_owned(), |d| d.to_string())
                )))
            });
        }
        if let Err(e) = self.summary_authority(s.id.as_str(), s.isv.as_ref(), s.partner.as_ref())? {
            return Ok(Err(e.into()));
        }
        let summary = Summary {
            id: s.id.to_string(),
            entity: OPPORTUNITY,
            name: s.name.clone(),
            status: s.status.map(|st| aws_status(st).to_owned()),
            product_id: s.product_id.as_ref().map(ToString::to_string),
            isv: s.isv.clone(),
            partner: s.partner.clone(),
            opportunity_id: None,
            ends_on: s.ends_on,
            last_modified: s.last_modified,
            imported_by: self.actor.clone(),
        };
        let outcome = self.summary(summary)?;
        if matches!(outcome, Outcome::Created | Outcome::Updated) {
            if let Some(isv) = &s.isv {
                self.account(isv, s.isv_name.as_deref(), Roles { isv: true, ..Roles::default() }, None)?;
            }
            if let Some(partner) = &s.partner {
                let kind = partner_kind(s.role);
                self.account(partner, s.partner_name.as_deref(), Roles { partner: true, ..Roles::default() }, kind)?;
            }
        }
        Ok(Ok(outcome))
    }

    fn offer_summary(&mut self, s: &OfferSummary, line: &mut ImportLine) -> MarketResult<Step<Outcome>> {
        let Some(ra) = &s.resale_authorization_id else {
            return Ok(Err(Refusal::Skip("not made from a resale authorization: not a channel partner offer".into())));
        };
        if let Some(held) = offers::get(self.tx, &s.id)? {
            line.summary_only = false;
            if let Err(e) = check_offer_holder(self.actor, &held.offer) {
                return Ok(Err(e.into()));
            }
            let same = s.state.is_none_or(|st| st == held.offer.state) && s.expires_on == held.offer.expires_on;
            return Ok(if same {
                Ok(Outcome::Unchanged)
            } else {
                Err(Refusal::Skip(format!(
                    "cppo holds its details, and AWS's summary now differs ({}, expires {}): import its describe-entity to update it",
                    s.state.map_or("status unknown", |st| summary_offer_status(st, s.expires_on, self.today).label()),
                    s.expires_on.map_or_else(|| "never".to_owned(), |d| d.to_string())
                )))
            });
        }
        let parties = match opportunities::get(self.tx, ra)? {
            Some(opp) => {
                if let Err(e) = check_offer_origin(self.actor, &opp) {
                    return Ok(Err(e.into()));
                }
                (Some(opp.isv), Some(opp.partner))
            }
            None => (None, None),
        };
        if let Err(e) = self.summary_authority(s.id.as_str(), parties.0.as_ref(), parties.1.as_ref())? {
            return Ok(Err(e.into()));
        }
        let summary = Summary {
            id: s.id.to_string(),
            entity: OFFER,
            name: s.name.clone(),
            status: s.state.map(|st| aws_state(st).to_owned()),
            product_id: s.product_id.as_ref().map(ToString::to_string),
            isv: parties.0,
            partner: parties.1,
            opportunity_id: Some(ra.to_string()),
            ends_on: s.expires_on,
            last_modified: s.last_modified,
            imported_by: self.actor.clone(),
        };
        self.summary(summary).map(Ok)
    }

    /// May the actor write `id`, which the file holds as a summary or not at all, as a record
    /// naming `isv` and `partner`? A held summary is its parties' (see
    /// [`check_summary_import`]); a new record needs the actor among the parties it names.
    pub(super) fn summary_authority(
        &self,
        id: &str,
        isv: Option<&AccountId>,
        partner: Option<&AccountId>,
    ) -> MarketResult<Result<(), RuleError>> {
        let held = sources::summary(self.tx, id)?;
        let parties = held.as_ref().map(|h| SummaryParties {
            id,
            isv: h.isv.as_ref(),
            partner: h.partner.as_ref(),
            imported_by: &h.imported_by,
            visible: h.visible_to(self.actor),
        });
        Ok(check_summary_import(self.actor, id, parties, isv, partner))
    }

    /// Records a summary: created, updated or unchanged.
    fn summary(&mut self, mut s: Summary) -> MarketResult<Outcome> {
        let outcome = match sources::summary(self.tx, &s.id)? {
            None => Outcome::Created,
            Some(held) => {
                // It stays visible to the account that first imported it.
                s.imported_by = held.imported_by.clone();
                if held == s {
                    return Ok(Outcome::Unchanged);
                }
                Outcome::Updated
            }
        };
        sources::set_summary(self.tx, &s, self.now)?;
        Ok(outcome)
    }

    /// Creates `id` with `roles`, or adds the roles it lacks; a legal name replaces the
    /// account id that stood in for an unknown one.
    pub(super) fn account(
        &mut self,
        id: &AccountId,
        name: Option<&str>,
        roles: Roles,
        kind: Option<PartnerKind>,
    ) -> MarketResult<()> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        // A refused name says whose it is: the whole import stops on it.
        let checked = |name: &str, roles: Roles, kind: Option<PartnerKind>| {
            Account::new(id.clone(), name, roles, kind)
                .map_err(|e| RuleError::new(e.code, format!("account {id} in the input: {}", e.message)))
        };
        match parties::account(self.tx, id)? {
            None => {
                let account = checked(name.unwrap_or(id.as_str()), roles, kind)?;
                parties::insert_account(self.tx, &account, self.now)?;
                self.report.accounts.created += 1;
            }
            Some(held) => {
                let mut next = held.clone();
                next.roles.isv |= roles.isv;
                next.roles.partner |= roles.partner;
                next.roles.buyer |= roles.buyer;
                if next.roles.partner && next.partner_kind.is_none() {
                    next.partner_kind = Some(kind.unwrap_or(PartnerKind::ChannelPartner));
                }
                if let Some(n) = name
                    && held.name == id.as_str()
                {
                    // The rules of a new account's name hold for a name learned later.
                    next.name = checked(n, next.roles, next.partner_kind)?.name;
                }
                if next != held {
                    parties::update_account(self.tx, &next)?;
                    self.report.accounts.updated += 1;
                }
            }
        }
        Ok(())
    }

    /// An unchanged record: remembers AWS's latest revision of it, and that it now agrees.
    fn note_source(
        &self,
        id: &str,
        revision: Option<&String>,
        last_modified: Option<DateTime<Utc>>,
        version: i64,
        held: Held,
        source: Option<AwsSource>,
    ) -> MarketResult<()> {
        let fresh = AwsSource {
            revision: revision.cloned(),
            last_modified,
            imported_at: source.as_ref().map_or(self.now, |s| s.imported_at),
            local_version: version,
            held,
        };
        if source.as_ref() != Some(&fresh) {
            sources::set_source(self.tx, id, &fresh)?;
        }
        Ok(())
    }
}

/// What AWS's `ResellerRole` makes a partner.
fn partner_kind(role: Option<ResellerRole>) -> Option<PartnerKind> {
    role.map(|r| match r {
        ResellerRole::ChannelPartner => PartnerKind::ChannelPartner,
        ResellerRole::Distributor => PartnerKind::Distributor,
    })
}

/// AWS's word for an authorization's state.
fn aws_status(s: OpportunityState) -> &'static str {
    match s {
        OpportunityState::Draft => "Draft",
        OpportunityState::Active => "Active",
        OpportunityState::Restricted => "Restricted",
    }
}

/// AWS's word for an offer's state.
fn aws_state(s: OfferState) -> &'static str {
    match s {
        OfferState::Draft => "Draft",
        OfferState::Released => "Released",
    }
}
