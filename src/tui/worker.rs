//! The store worker: a thread that owns the file, runs the app's effects through `market`
//! and answers with messages. The screen never waits on SQLite.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

use tokio::sync::mpsc::UnboundedSender;

use super::Input;

use crate::app::command::Command;
use crate::app::pager::Placement;
use crate::app::text::notices as t;
use crate::app::{Detail, DetailKey, Effect, Msg, Session, StatusFilter, Tab};
use crate::domain::{AccountId, FinancingStatus};
use crate::market::views::FinancingView;
use crate::market::{CountJob, Counterparty, ListQuery, Market, MarketError, MarketResult};
use crate::sdk::Settings;

pub struct Worker {
    market: Market,
    actor: Option<AccountId>,
    file: String,
    /// The file's `data_version` at the last [`Effect::CheckFile`].
    data_version: Option<i64>,
    /// Where answers go as they come (in [`Self::run`]): a pull's progress from its own
    /// thread, a push's statuses. `None` under [`Self::handle`] alone (tests, benches): a
    /// pull's fetch then runs inline and its messages come back with the rest.
    live: Option<UnboundedSender<Input>>,
    /// AWS credentials are configured: `X` pushes (see [`Self::with_aws`]). Shared with the
    /// look for an instance role, which may find them after the start.
    aws: Arc<AtomicBool>,
    /// Where to reach AWS, and as whom (`--profile`, `--region`).
    settings: Settings,
}

/// A count in progress. A long one goes a chunk of rows at a time, between the other
/// requests, so that a page, a detail or a newer count never waits for it; after each chunk
/// the app gets what is counted so far, a lower bound.
struct Counting {
    tab: Tab,
    query_id: u64,
    job: CountJob,
}

impl Worker {
    pub fn new(market: Market, actor: Option<AccountId>) -> Self {
        let file = market.store().path().display().to_string();
        Self {
            market,
            actor,
            file,
            data_version: None,
            live: None,
            aws: Arc::new(AtomicBool::new(false)),
            settings: Settings::default(),
        }
    }

    /// AWS reached with `settings`; with `configured`, `X` pushes to AWS rather than writing
    /// the change set's file. The TUI passes what `sdk::credentials_configured` found at
    /// start (a cheap look at the environment and `~/.aws`, no network); without it, a worker
    /// never reaches AWS by `X` (unless [`Self::credentials_flag`] is raised), whatever the
    /// environment it runs in.
    pub fn with_aws(mut self, settings: Settings, configured: bool) -> Self {
        self.settings = settings;
        self.aws.store(configured, Ordering::Relaxed);
        self
    }

    /// Raised by whoever finds credentials after the start (the look for an instance role):
    /// every later session says `X` pushes.
    pub fn credentials_flag(&self) -> Arc<AtomicBool> {
        self.aws.clone()
    }

    /// Runs until the app side hangs up.
    pub fn run(mut self, effects: Receiver<Effect>, answers: UnboundedSender<Input>) {
        self.live = Some(answers.clone());
        let mut counts: Vec<Counting> = Vec::new();
        loop {
            // Wait for work only when no count is left to go on with.
            let mut batch = Vec::new();
            if counts.is_empty() {
                match effects.recv() {
                    Ok(first) => batch.push(first),
                    Err(_) => return,
                }
            }
            batch.extend(effects.try_iter());
            // Each answer goes out as soon as it is ready: a page never waits for the count
            // started after it.
            let send = |m: Msg| answers.send(Input::Store(Box::new(m))).is_ok();
            for effect in coalesce(batch) {
                let msgs = match effect {
                    Effect::Count { tab, query_id, filter, status } => {
                        // A newer count of a tab makes its running one stale.
                        counts.retain(|c| c.tab != tab);
                        match self.start_count(tab, filter.as_deref(), status) {
                            Ok(job) if job.is_done() => {
                                vec![Msg::Count { tab, query_id, total: job.so_far(), exact: true }]
                            }
                            Ok(job) => {
                                counts.push(Counting { tab, query_id, job });
                                Vec::new()
                            }
                            Err(e) => vec![Msg::Error(e.to_string())],
                        }
                    }
                    effect => self.handle(effect).unwrap_or_else(|e| vec![self.error(e)]),
                };
                if !msgs.into_iter().all(send) {
                    return;
                }
            }
            if !counts.is_empty() {
                let mut c = counts.remove(0);
                let msg = match self.market.count_step(&mut c.job) {
                    Ok(()) => {
                        let exact = c.job.is_done();
                        let msg = Msg::Count { tab: c.tab, query_id: c.query_id, total: c.job.so_far(), exact };
                        if !exact {
                            counts.push(c);
                        }
                        msg
                    }
                    Err(e) => Msg::Error(e.to_string()),
                };
                if !send(msg) {
                    return;
                }
            }
        }
    }

    /// Starts counting the rows of `tab` under `filter`.
    fn start_count(&mut self, tab: Tab, filter: Option<&str>, status: Option<StatusFilter>) -> MarketResult<CountJob> {
        let Some(me) = self.actor.clone() else { return Ok(CountJob::exact(0)) };
        match tab {
            Tab::Opportunities => {
                Ok(CountJob::exact(self.market.count_opportunities(&me, StatusFilter::opportunity(status), filter)?))
            }
            Tab::Offers => self.market.start_count_offers(&me, StatusFilter::offer(status), filter),
            Tab::Agreements => self.market.start_count_agreements(&me, StatusFilter::agreement(status), filter),
            Tab::Partners => Ok(CountJob::exact(0)),
        }
    }

    fn session(&mut self) -> MarketResult<Session> {
        let accounts = self.market.accounts()?;
        if self.actor.is_none() {
            self.actor = self.market.default_actor()?;
        }
        // Several accounts and none remembered: nobody acts until the person picks one.
        let actor = self.actor.as_ref().and_then(|id| accounts.iter().find(|a| a.id == *id)).cloned();
        if let Some(a) = &actor {
            self.actor = Some(a.id.clone());
        }
        let products = self.market.products()?;
        let summaries = match &self.actor {
            Some(a) => self.market.summaries(a)?,
            None => Vec::new(),
        };
        let summary_only = summaries.iter().fold((0, 0), |(o, f), s| match s.entity {
            "offer" => (o, f + 1),
            _ => (o + 1, f),
        });
        Ok(Session {
            summary_only,
            empty: accounts.is_empty(),
            actor,
            today: self.market.today(),
            file: self.file.clone(),
            accounts,
            products,
            export_dir: self.market.export_dir()?.map(|d| d.display().to_string()),
            aws: self.aws.load(Ordering::Relaxed),
        })
    }

    /// An error for the app; a damaged file also stops every later write of this run.
    fn error(&mut self, e: MarketError) -> Msg {
        if let Some(why) = e.damaged() {
            self.market.mark_damaged(why);
        }
        Msg::Error(e.to_string())
    }

    /// Handles one effect; an error becomes an error popup. One match: every request is
    /// answered here, and each that acts as someone needs the acting account.
    pub fn handle(&mut self, effect: Effect) -> MarketResult<Vec<Msg>> {
        let me = self.actor.clone();
        let m = &self.market;
        Ok(vec![match (effect, me) {
            (Effect::LoadSession, _) => Msg::Session(Box::new(self.session()?)),
            (Effect::SwitchActor(id), _) => {
                let account = self.market.act_as(&id)?;
                self.actor = Some(id);
                let s = self.session()?;
                return Ok(vec![
                    Msg::Toast(t::now_acting_as(account.id.as_str(), &account.name)),
                    Msg::Session(Box::new(s)),
                ]);
            }
            (Effect::LoadDemo, _) => {
                let summary = crate::market::demo::load(&mut self.market)?;
                self.actor = Some(summary.actor.clone());
                let s = self.session()?;
                return Ok(vec![
                    Msg::Toast(t::demo_loaded(
                        summary.offers,
                        summary.opportunities,
                        s.actor.as_ref().map_or("", |a| a.name.as_str()),
                    )),
                    Msg::Session(Box::new(s)),
                ]);
            }
            (Effect::CheckFile, _) => {
                let now = m.data_version()?;
                let seen = self.data_version.replace(now);
                if seen.is_none_or(|v| v == now) {
                    return Ok(Vec::new());
                }
                Msg::FileChanged
            }
            (Effect::Run(command), me) => self.run_command(me.as_ref(), command),
            // Nothing below is asked before an account acts (the welcome screen asks none).
            (_, None) => return Ok(Vec::new()),
            (Effect::FetchOpportunities(f), Some(me)) if f.placement == Placement::Around => {
                let (page, spot) = m.opportunities_around(&me, StatusFilter::opportunity(f.status), &f.query)?;
                Msg::Opportunities(f, page, Some(spot))
            }
            (Effect::FetchOpportunities(f), Some(me)) => {
                let page = m.opportunities(&me, StatusFilter::opportunity(f.status), &f.query)?;
                Msg::Opportunities(f, page, None)
            }
            (Effect::FetchOffers(f), Some(me)) if f.placement == Placement::Around => {
                let (page, spot) = m.offers_around(&me, StatusFilter::offer(f.status), &f.query)?;
                Msg::Offers(f, page, Some(spot))
            }
            (Effect::FetchOffers(f), Some(me)) => {
                let page = m.offers(&me, StatusFilter::offer(f.status), &f.query)?;
                Msg::Offers(f, page, None)
            }
            (Effect::FetchAgreements(f), Some(me)) if f.placement == Placement::Around => {
                let (page, spot) = m.agreements_around(&me, StatusFilter::agreement(f.status), &f.query)?;
                Msg::Agreements(f, page, Some(spot))
            }
            (Effect::FetchAgreements(f), Some(me)) => {
                let page = m.agreements_page(&me, StatusFilter::agreement(f.status), &f.query)?;
                Msg::Agreements(f, page, None)
            }
            (Effect::LoadValueEnding, Some(me)) => Msg::ValueEnding(m.value_ending_by_month(&me)?),
            (Effect::Count { tab, query_id, filter, status }, Some(_)) => {
                let mut job = self.start_count(tab, filter.as_deref(), status)?;
                while !job.is_done() {
                    self.market.count_step(&mut job)?;
                }
                Msg::Count { tab, query_id, total: job.so_far(), exact: true }
            }
            (Effect::LoadPartners { filter }, Some(me)) => Msg::Partners(m.relationships(&me, filter.as_deref())?),
            (Effect::LoadDetail(key), Some(me)) => Msg::Detail(key.clone(), Box::new(detail(m, &me, key)?)),
            (Effect::LoadOfferTargets, Some(me)) => Msg::OfferTargets(m.offer_targets(&me)?),
            (Effect::LoadReplacementTargets(id), Some(me)) => match m.replacement_targets(&me, &id) {
                Ok(targets) => Msg::ReplacementTargets(Box::new(targets)),
                Err(e) => match e.refusal() {
                    Some(kind) => Msg::Refused(kind, e.to_string()),
                    None => return Err(e),
                },
            },
            (Effect::LoadReview, Some(me)) => Msg::Review(m.review_queue(&me)?),
            (Effect::LoadExpiries, Some(me)) => Msg::Expiries(m.expiry_weeks(&me, crate::app::EXPIRY_WEEKS)?),
            (Effect::Pull, Some(me)) => {
                let start = m.pull_start(&me, false)?;
                let settings = self.settings.clone();
                let failed = |why: String| Msg::Pulled(Err(t::pull_failed(&why)));
                return Ok(self.away("pull", failed, move |send| super::remote::fetch(&settings, me, start, send)));
            }
            (Effect::StorePull(actor, start, fetched), Some(_)) => {
                super::remote::store(&mut self.market, &actor, &start, &fetched)
            }
            (Effect::Push { id, release }, Some(me)) => {
                // The export's checks here, on the file; a push they refuse never reaches AWS.
                let cs = match m.export(&me, &id, release) {
                    Ok(export) => export.change_set,
                    Err(e) => return Ok(vec![super::remote::failed(&id, &e.to_string())]),
                };
                let settings = self.settings.clone();
                let pushed = id.clone();
                let failed = move |why: String| super::remote::failed(&pushed, &why);
                return Ok(self.away("push", failed, move |send| super::remote::push(&settings, me, id, &cs, send)));
            }
            (Effect::StorePush(actor, id, sent), Some(_)) => {
                super::remote::store_push(&mut self.market, &actor, &id, &sent)?
            }
            (Effect::Export { id, release }, Some(me)) => match m.export_to_folder(&me, &id, release) {
                Ok(written) => Msg::Exported(Box::new(written)),
                Err(e) => Msg::Error(e.to_string()),
            },
        }])
    }

    /// Runs `job` (AWS's network part of a pull or a push) on a thread of its own, its
    /// messages sent as they come, so that pages and details go on meanwhile. Without the
    /// loop's channel (tests, benches) it runs here and its messages come back with the rest.
    /// A thread that cannot start is `failed`'s answer, which ends the job on screen.
    fn away(
        &self,
        name: &str,
        failed: impl FnOnce(String) -> Msg,
        job: impl FnOnce(&mut dyn FnMut(Msg)) + Send + 'static,
    ) -> Vec<Msg> {
        let Some(answers) = self.live.clone() else {
            let mut out = Vec::new();
            job(&mut |msg| out.push(msg));
            return out;
        };
        let run = move || {
            job(&mut |msg| {
                let _ = answers.send(Input::Store(Box::new(msg)));
            });
        };
        match std::thread::Builder::new().name(name.into()).spawn(run) {
            Ok(_) => Vec::new(),
            Err(e) => vec![failed(format!("cannot start a thread for it: {e}"))],
        }
    }

    /// Runs a state change: what it did, or why it was refused (a failure of the file is an
    /// error popup).
    fn run_command(&mut self, me: Option<&AccountId>, command: Command) -> Msg {
        let touched = command.touches();
        match self.change(me, command) {
            Ok((text, Some(made))) => Msg::Made(text, made),
            Ok((text, None)) => Msg::Done(text, touched),
            Err(e) => match e.refusal() {
                Some(kind) => Msg::Refused(kind, e.to_string()),
                None => self.error(e),
            },
        }
    }

    /// Runs one state change as `me`; says what happened, and which record it made (if it
    /// made one). Only the first account of a file is added with no one acting.
    fn change(&mut self, me: Option<&AccountId>, command: Command) -> MarketResult<(String, Option<DetailKey>)> {
        let m = &mut self.market;
        Ok((
            match (command, me) {
                (Command::AddAccount { id, name, roles, kind }, me) => {
                    let a = m.add_account(me, id, &name, roles, kind)?;
                    // The first account of an empty file acts as itself from then on.
                    if me.is_none() {
                        m.act_as(&a.id)?;
                        self.actor = Some(a.id.clone());
                    }
                    t::added_account(a.id.as_str(), &a.name)
                }
                (_, None) => {
                    return Err(MarketError::Rule(crate::domain::RuleError::validation(t::ADD_AN_ACCOUNT_FIRST)));
                }
                (Command::ReleaseOpportunity(id), Some(me)) => {
                    m.release_opportunity(me, &id)?;
                    t::released_opportunity(id.as_str())
                }
                (Command::EndOpportunity(id), Some(me)) => {
                    m.end_opportunity(me, &id)?;
                    t::ended_opportunity(id.as_str())
                }
                (Command::ReleaseOffer(id), Some(me)) => {
                    m.release_offer(me, &id)?;
                    t::released_offer(id.as_str())
                }
                (Command::CancelOffer(id), Some(me)) => {
                    m.cancel_offer(me, &id)?;
                    t::cancelled_offer(id.as_str())
                }
                (Command::DeleteOpportunity(id), Some(me)) => {
                    m.delete_opportunity(me, &id)?;
                    t::deleted_draft(id.as_str())
                }
                (Command::DeleteOffer(id), Some(me)) => {
                    m.delete_offer(me, &id)?;
                    t::deleted_draft(id.as_str())
                }
                (Command::ExtendOffer(id, to), Some(me)) => {
                    m.extend_offer(me, &id, to)?;
                    t::extended(id.as_str(), to)
                }
                (Command::ExtendOpportunity(id, to), Some(me)) => {
                    m.extend_opportunity(me, &id, to)?;
                    t::extended(id.as_str(), to)
                }
                (Command::AcceptOffer(id), Some(me)) => {
                    let a = m.accept_offer(me, &id)?;
                    t::accepted(id.as_str(), a.as_str())
                }
                (Command::PayNext(id), Some(me)) => {
                    m.pay_next_charge(me, &id)?;
                    let (a, _) = m.agreement(me, &id)?;
                    let paid =
                        a.charges.iter().rfind(|c| c.paid_on.is_some()).map(|c| c.amount.display()).unwrap_or_default();
                    t::paid(&paid, id.as_str())
                }
                (Command::Finance(id, req), Some(me)) => {
                    let view = m.finance_agreement(me, &id, &req)?;
                    match view.financing {
                        Some(FinancingView::Full { provider, status: FinancingStatus::Funded, amount, .. }) => {
                            t::funded(id.as_str(), &provider, &amount.display())
                        }
                        _ => t::financing(id.as_str(), &req.provider, req.status.as_str()),
                    }
                }
                (Command::CreateOffer { opportunity, terms }, Some(me)) => {
                    let id = m.create_offer(me, &opportunity, terms, false)?;
                    let text = t::created_offer(id.as_str());
                    return Ok((text, Some(DetailKey::Offer(id))));
                }
                (Command::CreateReplacementOffer { agreement, opportunity, terms, agreement_ends_on }, Some(me)) => {
                    let id =
                        m.create_replacement_offer(me, &agreement, &opportunity, terms, agreement_ends_on, false)?;
                    let text = t::created_replacement(id.as_str(), agreement.as_str());
                    return Ok((text, Some(DetailKey::Offer(id))));
                }
                (Command::EditOffer { id, version, terms, agreement_ends_on }, Some(me)) => {
                    match agreement_ends_on {
                        Some(end) => m.edit_replacement_offer(me, &id, terms, end, Some(version))?,
                        None => m.edit_offer(me, &id, terms, Some(version))?,
                    }
                    t::saved(id.as_str())
                }
                (Command::CreateOpportunity { product, terms }, Some(me)) => {
                    let id = m.create_opportunity(me, &product, terms, false)?;
                    let text = t::granted_opportunity(id.as_str());
                    return Ok((text, Some(DetailKey::Opportunity(id))));
                }
                (Command::EditOpportunity { id, version, terms }, Some(me)) => {
                    m.edit_opportunity(me, &id, terms, Some(version))?;
                    t::saved(id.as_str())
                }
            },
            None,
        ))
    }
}

fn detail(m: &Market, me: &AccountId, key: DetailKey) -> MarketResult<Detail> {
    Ok(match key {
        DetailKey::Partner { account, role } => {
            let row = m
                .relationships(me, Some(account.as_str()))?
                .into_iter()
                .find(|r| r.account_id == account && r.role == role)
                .ok_or_else(|| crate::market::MarketError::not_found("relationship", &account))?;
            let q =
                ListQuery { filter: Some(account.to_string()), limit: 50, descending: true, ..ListQuery::default() };
            let (opportunities, offers) = if role == Counterparty::Seller {
                (Vec::new(), m.offers(me, None, &q)?.rows)
            } else {
                (m.opportunities(me, None, &q)?.rows, Vec::new())
            };
            let months = m.relationship_months(me, &account, role, 12)?;
            Detail::Partner { row, months, opportunities, offers }
        }
        DetailKey::Opportunity(id) => {
            let (o, view) = m.opportunity(me, &id)?;
            let offers = m.offers_of_opportunity(me, &id)?;
            Detail::Opportunity { view: Box::new(view), offers, actions: m.opportunity_actions(me, &o) }
        }
        // An agreement imported from AWS (`None`: not one, so one of cppo's).
        DetailKey::Agreement(id) => match m.aws_agreement(me, &id)? {
            Some(view) => {
                let offer = view.offer_id.as_deref().and_then(|o| crate::domain::OfferId::parse(o).ok());
                let offer = offer.and_then(|o| m.offer(me, &o).ok()).map(|(_, v)| Box::new(v));
                let events = m.events(me, Some(id.as_str()))?;
                let actions = m.aws_agreement_actions(me, &view);
                Detail::AwsAgreement { view: Box::new(view), offer, events, actions }
            }
            None => {
                let (a, view) = m.agreement(me, &id)?;
                let offer = m.offer(me, &a.offer_id).ok().map(|(_, v)| Box::new(v));
                let disbursements = m.disbursements(me, Some(&id))?;
                let events = m.events(me, Some(id.as_str()))?;
                let actions = m.agreement_actions(me, &a);
                Detail::Agreement { view: Box::new(view), offer, disbursements, events, actions }
            }
        },
        DetailKey::Offer(id) => {
            let (rec, view) = m.offer(me, &id)?;
            let (agreement, agreement_view, disbursements) = match &rec.offer.agreement_id {
                Some(a) => {
                    let (agmt, av) = m.agreement(me, a)?;
                    (Some(agmt), Some(Box::new(av)), m.disbursements(me, Some(a))?)
                }
                None => (None, None, Vec::new()),
            };
            let opportunity = m.opportunity(me, &rec.offer.opportunity_id).ok();
            let opp_domain = m.opportunity_record(&rec.offer.opportunity_id)?;
            let actions = m.offer_actions(me, &rec.offer, &opp_domain, agreement.as_ref());
            let aws_agreements = m.aws_agreements_of_offer(me, &id)?;
            Detail::Offer {
                view: Box::new(view),
                opportunity: opportunity.map(|(_, v)| Box::new(v)),
                agreement: agreement_view,
                aws_agreements,
                disbursements,
                actions,
            }
        }
    })
}

/// Keeps only what still matters in a burst of effects: the newest page request and count
/// of each tab, the last detail, the last partners load. Typing a filter fast thus runs
/// one query, not one per key.
fn coalesce(batch: Vec<Effect>) -> Vec<Effect> {
    let mut newest: HashMap<&'static str, u64> = HashMap::new();
    let tag = |e: &Effect| -> Option<(&'static str, u64)> {
        match e {
            Effect::FetchOpportunities(f) => Some(("fetch-opp", f.generation)),
            Effect::FetchOffers(f) => Some(("fetch-off", f.generation)),
            Effect::FetchAgreements(f) => Some(("fetch-agr", f.generation)),
            Effect::Count { tab: Tab::Agreements, query_id, .. } => Some(("count-agr", *query_id)),
            Effect::Count { tab: Tab::Opportunities, query_id, .. } => Some(("count-opp", *query_id)),
            Effect::Count { tab: Tab::Offers, query_id, .. } => Some(("count-off", *query_id)),
            _ => None,
        }
    };
    for e in &batch {
        if let Some((k, g)) = tag(e) {
            let n = newest.entry(k).or_insert(g);
            *n = (*n).max(g);
        }
    }
    let last_detail = batch.iter().rposition(|e| matches!(e, Effect::LoadDetail(_)));
    let last_partners = batch.iter().rposition(|e| matches!(e, Effect::LoadPartners { .. }));
    batch
        .into_iter()
        .enumerate()
        .filter(|(i, e)| match e {
            Effect::LoadDetail(_) => Some(*i) == last_detail,
            Effect::LoadPartners { .. } => Some(*i) == last_partners,
            _ => tag(e).is_none_or(|(k, g)| newest.get(k) == Some(&g)),
        })
        .map(|(_, e)| e)
        .collect()
}
