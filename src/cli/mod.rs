//! The headless CLI: clap commands over `market`, human tables or `--json`, exit codes
//! 0 (done), 1 (refused: one line on stderr saying why), 2 (usage, from clap) and 3
//! (`import` wrote what it could, but skipped some entities or left them in conflict: each
//! one's line says why).
//!
//! Standard output that closes early (`cppo offers list | head -1`) ends the command quietly
//! with exit 0, as `ls | head` does: the reader has what it wanted, and whatever the command
//! changed was committed before it printed. Any other failure to write it (a full disk) is
//! one line and exit 1. Nothing here panics on a write.

/// `println!` to standard output that hands back a write error (a closed pipe, a full disk)
/// as [`stdout::StdoutError`] instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err($crate::cli::stdout::StdoutError)
    }};
}

/// `eprintln!` that never panics: a message that cannot reach standard error is dropped,
/// since there is nowhere left to say so.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod args;
pub mod json;
mod lists;
mod output;
mod remote;
mod stdout;
pub mod table;
mod terms;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};

use crate::domain::account::PartnerKind;
use crate::domain::clock::parse_now;
use crate::domain::input::{self, Field};
use crate::domain::product::Duration;
use crate::domain::{
    AccountId, AgreementId, Clock, Dimension, FinancingRequest, FinancingStatus, FixedClock, OfferId, OfferStatus,
    OpportunityId, OpportunityStatus, ProductId, ProductType, Roles, SystemClock,
};
use crate::market::Market;
use crate::market::{ListQuery, Sort, words};
use args::*;
use lists::{Format, Names};

/// The default file: `<platform data dir>/cppo/cppo.db`.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "cppo")
        .map(|d| d.data_dir().join("cppo.db"))
        .unwrap_or_else(|| PathBuf::from("cppo.db"))
}

/// The clock `--now` asks for, or the wall clock.
pub fn clock_from(now: Option<&str>) -> anyhow::Result<Box<dyn Clock>> {
    Ok(match now {
        Some(s) => Box::new(FixedClock(parse_now(s).map_err(|e| anyhow!("--now: {e}"))?)),
        None => Box::new(SystemClock),
    })
}

/// The cppo file the global flags point at.
fn db_path(cli: &Cli) -> PathBuf {
    cli.db.clone().unwrap_or_else(default_db_path)
}

/// Opens the market the global flags point at.
pub fn open_market(cli: &Cli) -> anyhow::Result<Market> {
    let path = db_path(cli);
    let clock = clock_from(cli.now.as_deref())?;
    Ok(Market::open_noting(&path, clock, &mut |notice| note!("{notice}"))?)
}

/// The exit code of an import that skipped entities or left them in conflict: done, but a
/// script must know that not everything is in the file.
pub const EXIT_NOT_ALL_IMPORTED: u8 = 3;

/// `import` did its work, but `refused` of the `all` entities were not imported.
#[derive(Debug, thiserror::Error)]
#[error(
    "{refused} of {all} entities {} not imported (skipped or in conflict: {} why)",
    if *refused == 1 { "was" } else { "were" },
    if *refused == 1 { "its line says" } else { "their lines say" }
)]
struct NotAllImported {
    refused: usize,
    all: usize,
}

/// Runs one command; prints the outcome; returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    match execute(&cli).and_then(|()| stdout::flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if stdout::closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is::<NotAllImported>() => {
            note!("note: {e}; exit code {EXIT_NOT_ALL_IMPORTED}");
            ExitCode::from(EXIT_NOT_ALL_IMPORTED)
        }
        Err(e) => {
            note!("error: {}", crate::domain::error::one_line(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

/// The acting account: `--as`, else [`Market::default_actor`]. `execute` remembers a
/// given `--as` once the command has succeeded (a refused command writes nothing).
pub fn resolve_actor(market: &mut Market, given: Option<&str>) -> anyhow::Result<AccountId> {
    if let Some(s) = given {
        let id = AccountId::parse(s)?;
        if market.account(&id).is_err() {
            bail!("account {id} does not exist in this file; {}", account_choices(market)?);
        }
        return Ok(id);
    }
    if let Some(id) = market.default_actor()? {
        return Ok(id);
    }
    bail!("no acting account: pass --as ACCOUNT (or set CPPO_AS); {}", account_choices(market)?)
}

fn account_choices(market: &Market) -> anyhow::Result<String> {
    let accounts = market.accounts()?;
    if accounts.is_empty() {
        return Ok("the file has no accounts yet: run `cppo demo` or `cppo accounts add`".into());
    }
    let list: Vec<String> =
        accounts.iter().map(|a| format!("{} {} ({})", a.id, a.name, a.roles.names().join("/"))).collect();
    Ok(format!("accounts: {}", list.join(", ")))
}

/// Whether `command` prints a list (`--csv` prints only those).
fn is_list(command: &Command) -> bool {
    matches!(
        command,
        Command::Accounts(AccountsCmd::List)
            | Command::Products(ProductsCmd::List)
            | Command::Opportunities(OpportunitiesCmd::List(_))
            | Command::Offers(OffersCmd::List(_))
            | Command::Agreements(AgreementsCmd::List(_))
            | Command::Disbursements(DisbursementsCmd::List)
            | Command::Events(EventsCmd::List(_))
            | Command::Review
    )
}

fn execute(cli: &Cli) -> anyhow::Result<()> {
    let Some(command) = &cli.command else { unreachable!("main opens the TUI when no command is given") };
    if cli.csv && !is_list(command) {
        bail!("--csv prints a list: use it with a `list` command (`show` takes --json)");
    }
    let mut market = open_market(cli)?;
    let json = cli.json;
    let format = match (cli.json, cli.csv) {
        (true, _) => Format::Json,
        (false, true) => Format::Csv,
        (false, false) => Format::Text,
    };
    // Each account's name, printed beside its id.
    let names = |m: &Market| -> anyhow::Result<Names> { Ok(Names::of(&m.accounts()?)) };
    let actor = |m: &mut Market| resolve_actor(m, cli.actor.as_deref());
    let outcome: anyhow::Result<()> = match command {
        Command::Demo { scale } => {
            if let Some(n) = scale {
                crate::market::scale::check_scale(*n)?;
            }
            let summary = crate::market::demo::load(&mut market)?;
            let scaled = match scale {
                Some(n) if *n > 0 => {
                    let label =
                        format!("adding {} synthetic offers", crate::domain::money::group_thousands(&n.to_string()));
                    let mut bar = output::Progress::new(label);
                    let s =
                        crate::market::scale::add_offers(&mut market, *n, &mut |done, total| bar.show(done, total))?;
                    bar.finish();
                    Some(s)
                }
                _ => None,
            };
            output::demo(&summary, scaled.as_ref(), json)
        }
        Command::Accounts(AccountsCmd::List) => lists::accounts(&market.accounts()?, format),
        Command::Accounts(AccountsCmd::Add(a)) => {
            let new_id = AccountId::parse(&a.id)?;
            let acting = match cli.actor.as_deref() {
                // An account may register itself; anyone else acting must exist.
                Some(s) if AccountId::parse(s).is_ok_and(|id| id == new_id) => None,
                Some(s) => Some(resolve_actor(&mut market, Some(s))?),
                None => market.last_actor()?,
            };
            let roles = Roles { isv: a.isv, partner: a.partner, buyer: a.buyer };
            let kind = a.distributor.then_some(PartnerKind::Distributor);
            let view = market.add_account(acting.as_ref(), new_id, &a.name, roles, kind)?;
            say!("{}", view.id)?;
            Ok(())
        }
        Command::Products(ProductsCmd::List) => lists::products(&market.products()?, &names(&market)?, format),
        Command::Products(ProductsCmd::Add(p)) => {
            let me = actor(&mut market)?;
            let dims = p.dimensions.iter().map(|d| Dimension::parse_spec(d)).collect::<Result<Vec<_>, _>>()?;
            let id = market.add_product(
                &me,
                &p.name,
                ProductType::parse(&p.product_type)?,
                Duration::parse(&p.duration)?,
                dims,
            )?;
            say!("{id}")?;
            Ok(())
        }
        Command::Opportunities(cmd) => {
            let me = actor(&mut market)?;
            opportunities(&mut market, &me, cmd, format)
        }
        Command::Offers(cmd) => {
            let me = actor(&mut market)?;
            offers(&mut market, &me, cmd, format)
        }
        Command::Agreements(cmd) => {
            let me = actor(&mut market)?;
            match cmd {
                AgreementsCmd::List(AgreementsList { ending_within: Some(days) }) => {
                    lists::radar(&market.radar(&me, *days)?, &names(&market)?, format)
                }
                AgreementsCmd::List(AgreementsList { ending_within: None }) => {
                    lists::agreements(&market.agreements(&me)?, &market.aws_agreements(&me)?, &names(&market)?, format)
                }
                AgreementsCmd::Show(IdArg { id }) => {
                    let id = AgreementId::parse(id)?;
                    if let Some(view) = market.aws_agreement(&me, &id)? {
                        return output::aws_agreement(&view, &names(&market)?, json);
                    }
                    let (_, view) = market.agreement(&me, &id)?;
                    output::agreement(&view, &market.disbursements(&me, Some(&id))?, &names(&market)?, json)
                }
                AgreementsCmd::Pay(IdArg { id }) => {
                    let id = AgreementId::parse(id)?;
                    market.pay_next_charge(&me, &id)?;
                    let (agreement, view) = market.agreement(&me, &id)?;
                    output::paid(&agreement, &view, json)
                }
                AgreementsCmd::Finance(f) => {
                    let id = AgreementId::parse(&f.id)?;
                    let req = FinancingRequest {
                        provider: input::provider(&f.provider).map_err(terms::refused)?,
                        months: input::months(&f.months).map_err(terms::refused)?,
                        status: FinancingStatus::parse(&f.status).expect("clap checked the status"),
                    };
                    let done = market.finance_agreement(&me, &id, &req)?;
                    output::financed(&done, &names(&market)?, json)
                }
            }
        }
        Command::Disbursements(DisbursementsCmd::List) => {
            let me = actor(&mut market)?;
            let paid = market.disbursements(&me, None)?;
            lists::disbursements(&paid, &market.agreements(&me)?, &names(&market)?, format)
        }
        Command::Events(EventsCmd::List(e)) => {
            let me = actor(&mut market)?;
            lists::events(&market.events(&me, e.entity.as_deref())?, &names(&market)?, format)
        }
        Command::Review => {
            let me = actor(&mut market)?;
            lists::review(&market.review_queue(&me)?, format)
        }
        Command::Export(e) => {
            let me = actor(&mut market)?;
            let export = market.export(&me, &crate::domain::RecordId::parse(&e.id)?, e.release)?;
            let database = db_path(cli);
            use crate::market::outfile;
            let out = e.out.as_deref().map(|path| outfile::Target { path, force: e.force, database: &database });
            output::export(&export, out.as_ref())
        }
        Command::Import(i) => {
            // The importing account may be one the input creates.
            let me = match cli.actor.as_deref() {
                Some(s) => AccountId::parse(s)?,
                None => resolve_actor(&mut market, None)?,
            };
            let entries = read_imports(&i.files, i.id.as_deref())?;
            let opts = crate::market::ImportOptions {
                dry_run: i.dry_run,
                force: i.force,
                product_type: ProductType::parse(&i.product_type).map_err(|e| anyhow!("--product-type: {e}"))?,
            };
            let report = market.import(&me, &entries, opts)?;
            output::import(&report, json)?;
            match report.refused() {
                0 => Ok(()),
                refused => Err(NotAllImported { refused, all: report.lines.len() }.into()),
            }
        }
        Command::Pull(p) => {
            // As for an import, the pulling account may be one the pull creates (a first pull).
            let me = match cli.actor.as_deref() {
                Some(s) => AccountId::parse(s)?,
                None => resolve_actor(&mut market, None)?,
            };
            remote::pull(&mut market, &me, p, &cli.aws, json)
        }
        Command::Push(p) => {
            let me = actor(&mut market)?;
            remote::push(&mut market, &me, p, &cli.aws, json)
        }
        Command::Settings(SettingsCmd::ExportDir { dir, clear }) => {
            if *clear || dir.is_some() {
                market.set_export_dir(dir.as_deref())?;
            }
            match market.export_dir()? {
                Some(d) => say!("{}", d.display())?,
                None => say!("(the current directory)")?,
            }
            Ok(())
        }
    };
    // The demo leaves its own partner as the remembered account; a dry run writes nothing.
    // A reader that closed its end early got what it wanted: the command did its work.
    let finished = outcome.as_ref().map_or_else(|e| stdout::closed_pipe(e) || e.is::<NotAllImported>(), |()| true);
    if finished
        && !matches!(command, Command::Demo { .. })
        && !matches!(command, Command::Import(i) if i.dry_run)
        && !matches!(command, Command::Pull(p) if p.dry_run)
        && let Some(id) = cli.actor.as_deref().and_then(|s| AccountId::parse(s).ok())
    {
        match market.act_as(&id) {
            Ok(_) | Err(crate::market::MarketError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    outcome
}

/// The most one input of `import` may hold.
const MAX_IMPORT_BYTES: u64 = 32 << 20;

/// Reads every input of `import`, all before anything is written: one that cannot be read,
/// is too large or is not AWS CLI output, or more entities in all than one run takes
/// ([`crate::aws::import::MAX_ENTITIES`]), stops the import. `bare_id` (`--id`) names the
/// entity of a single input that is one bare `DetailsDocument`.
fn read_imports(files: &[std::path::PathBuf], bare_id: Option<&str>) -> anyhow::Result<Vec<crate::aws::import::Entry>> {
    use std::io::Read;
    if let Some(id) = bare_id
        && files.len() != 1
    {
        return Err(anyhow!(
            "--id {id} names the entity of one bare DetailsDocument: give a single file ({} given); nothing was imported",
            files.len()
        ));
    }
    let mut entries = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let too_large = || {
            anyhow!(
                "{name} is larger than {} MiB: import it in parts (one describe-entity per file, or JSON Lines split with `split -l`); nothing was imported",
                MAX_IMPORT_BYTES >> 20
            )
        };
        let mut bytes = Vec::new();
        let read = if name == "-" {
            std::io::stdin().lock().take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes)
        } else {
            let file = open_regular(path).map_err(|e| anyhow!("{e}; nothing was imported"))?;
            file.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes)
        };
        read.map_err(|e| anyhow!("cannot read {name}: {e}; nothing was imported"))?;
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(too_large());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow!(
                "{name}: not UTF-8 text (byte {}): is it AWS CLI output? nothing was imported",
                e.utf8_error().valid_up_to()
            )
        })?;
        let read = match bare_id {
            Some(id) => crate::aws::import::read_bare(&name, &text, id, &mut entries),
            None => crate::aws::import::read_into(&name, &text, &mut entries),
        };
        read.map_err(|e| anyhow!("{e}; nothing was imported"))?;
    }
    Ok(entries)
}

/// Opens a regular file to read. Anything else is refused before it is opened, as the
/// database open does: opening a FIFO waits for a writer, forever if none comes. The open
/// itself does not wait either (in case the path changed in between), and what was opened is
/// checked again.
fn open_regular(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let name = path.display();
    let not_regular =
        |m: &std::fs::Metadata| anyhow!("{name} is not a regular file ({})", crate::market::outfile::kind(m));
    let m = std::fs::metadata(path).map_err(|e| anyhow!("cannot read {name}: {e}"))?;
    if !m.is_file() {
        return Err(not_regular(&m));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut opts, libc::O_NONBLOCK);
    let file = opts.open(path).map_err(|e| anyhow!("cannot read {name}: {e}"))?;
    let m = file.metadata().map_err(|e| anyhow!("cannot read {name}: {e}"))?;
    if !m.is_file() {
        return Err(not_regular(&m));
    }
    Ok(file)
}

/// The order `--sort` and `--desc` ask for, among the `allowed` sorts of a list.
fn list_order(f: &StatusFilter, allowed: &[Sort]) -> anyhow::Result<ListQuery> {
    let sort = match f.sort.as_deref().map(str::to_ascii_lowercase) {
        None => Sort::Created,
        Some(word) => {
            let alias = match word.as_str() {
                "buyer" | "seller" | "partner" | "isv" => Some(Sort::Counterparty),
                "expires" | "ends" | "end" | "expiry" => Some(Sort::Date),
                "total" | "wholesale" => Some(Sort::Amount),
                _ => None,
            };
            alias
                .or_else(|| Sort::FOR_OPPORTUNITIES.into_iter().chain(Sort::FOR_OFFERS).find(|s| s.label() == word))
                .filter(|s| allowed.contains(s))
                .ok_or_else(|| {
                    let words: Vec<String> = allowed
                        .iter()
                        .map(|s| match s {
                            Sort::Counterparty => "counterparty (buyer, seller, partner, isv)".to_owned(),
                            Sort::Date => "date (expires, ends)".to_owned(),
                            Sort::Amount => "amount (total, wholesale)".to_owned(),
                            other => other.label().to_owned(),
                        })
                        .collect();
                    anyhow!("--sort: this list has no column `{word}`; sort by one of: {}", words.join(", "))
                })?
        }
    };
    Ok(ListQuery { sort, descending: f.desc, ..ListQuery::default() })
}

/// Every page of a keyset-paged list, in `order`.
fn all_pages<T>(
    order: ListQuery,
    mut fetch: impl FnMut(&ListQuery) -> crate::market::MarketResult<crate::market::Page<T>>,
) -> anyhow::Result<Vec<T>> {
    let mut q = ListQuery { limit: 500, ..order };
    let mut out = Vec::new();
    loop {
        let page = fetch(&q)?;
        out.extend(page.rows);
        match page.next {
            Some(c) => q.after = Some(c),
            None => return Ok(out),
        }
    }
}

fn opportunities(market: &mut Market, me: &AccountId, cmd: &OpportunitiesCmd, format: Format) -> anyhow::Result<()> {
    let json = format == Format::Json;
    match cmd {
        OpportunitiesCmd::List(f) => {
            let order = list_order(f, &Sort::FOR_OPPORTUNITIES)?;
            let status = f.status.as_deref().map(OpportunityStatus::parse).transpose()?;
            let rows = all_pages(order, |q| market.opportunities(me, status, q))?;
            let names = Names::of(&market.accounts()?);
            lists::opportunities(&rows, &market.opportunity_summaries(me, status)?, &names, format)
        }
        OpportunitiesCmd::Show(IdArg { id }) => {
            let id = OpportunityId::parse(id)?;
            let (_, view) = market.opportunity(me, &id)?;
            let offers = market.offers_of_opportunity(me, &id)?;
            output::opportunity(&view, &offers, &Names::of(&market.accounts()?), json)
        }
        OpportunitiesCmd::Create(c) => {
            let terms = terms::opportunity(c)?;
            let id = market.create_opportunity(me, &ProductId::parse(&c.product)?, terms, c.release)?;
            say!("{id}")?;
            Ok(())
        }
        OpportunitiesCmd::Edit(e) => {
            let id = OpportunityId::parse(&e.id)?;
            let (o, _) = market.opportunity(me, &id)?;
            let terms = terms::opportunity_edit(&o, e)?;
            market.edit_opportunity(me, &id, terms, Some(o.version))?;
            done(market, me, &id, "edited")
        }
        OpportunitiesCmd::Release(IdArg { id }) => {
            let id = OpportunityId::parse(id)?;
            market.release_opportunity(me, &id)?;
            done(market, me, &id, &format!("released: {}", words::OPPORTUNITY_RELEASED))
        }
        OpportunitiesCmd::Delete(IdArg { id }) => {
            let id = OpportunityId::parse(id)?;
            market.delete_opportunity(me, &id)?;
            say!("{id} deleted")?;
            Ok(())
        }
        OpportunitiesCmd::End(IdArg { id }) => {
            let id = OpportunityId::parse(id)?;
            market.end_opportunity(me, &id)?;
            done(market, me, &id, &format!("ended: {}", words::OPPORTUNITY_ENDED))
        }
        OpportunitiesCmd::Extend(OpportunityExtend { id, until }) => {
            let id = OpportunityId::parse(id)?;
            let to = input::date(Field::EndsOn, until).map_err(terms::refused)?;
            market.extend_opportunity(me, &id, to)?;
            done(market, me, &id, &format!("extended to {to}"))
        }
    }
}

fn done(market: &Market, me: &AccountId, id: &OpportunityId, what: &str) -> anyhow::Result<()> {
    let (_, v) = market.opportunity(me, id)?;
    say!("{id} {what} (status: {})", v.status)?;
    Ok(())
}

fn offers(market: &mut Market, me: &AccountId, cmd: &OffersCmd, format: Format) -> anyhow::Result<()> {
    let json = format == Format::Json;
    let status_line = |market: &Market, id: &OfferId, what: &str| -> anyhow::Result<()> {
        let (_, v) = market.offer(me, id)?;
        let exp = v.expires_on.map_or_else(|| "-".to_owned(), |d| d.to_string());
        say!("{id} {what} (status: {}, expires on {exp})", v.status)?;
        Ok(())
    };
    match cmd {
        OffersCmd::List(f) => {
            let order = list_order(f, &Sort::FOR_OFFERS)?;
            let status = f.status.as_deref().map(OfferStatus::parse).transpose()?;
            let rows = all_pages(order, |q| market.offers(me, status, q))?;
            let names = Names::of(&market.accounts()?);
            lists::offers(&rows, &market.offer_summaries(me, status)?, &names, format)
        }
        OffersCmd::Show(IdArg { id }) => {
            let (_, view) = market.offer(me, &OfferId::parse(id)?)?;
            output::offer(&view, &Names::of(&market.accounts()?), json)
        }
        OffersCmd::Create(c) => {
            let terms = terms::offer(c)?;
            let opportunity = OpportunityId::parse(&c.opportunity)?;
            let id = match terms::replacement(c)? {
                Some((agreement, ends)) => {
                    market.create_replacement_offer(me, &agreement, &opportunity, terms, ends, c.release)?
                }
                None => market.create_offer(me, &opportunity, terms, c.release)?,
            };
            say!("{id}")?;
            Ok(())
        }
        OffersCmd::Release(IdArg { id }) => {
            let id = OfferId::parse(id)?;
            market.release_offer(me, &id)?;
            status_line(market, &id, words::OFFER_RELEASED)
        }
        OffersCmd::Delete(IdArg { id }) => {
            let id = OfferId::parse(id)?;
            market.delete_offer(me, &id)?;
            say!("{id} deleted")?;
            Ok(())
        }
        OffersCmd::Cancel(IdArg { id }) => {
            let id = OfferId::parse(id)?;
            market.cancel_offer(me, &id)?;
            status_line(market, &id, "cancelled")
        }
        OffersCmd::Extend(OfferExtend { id, expires }) => {
            let id = OfferId::parse(id)?;
            let to = input::date(Field::Expires, expires).map_err(terms::refused)?;
            market.extend_offer(me, &id, to)?;
            status_line(market, &id, "extended")
        }
        OffersCmd::Accept(IdArg { id }) => {
            let agreement = market.accept_offer(me, &OfferId::parse(id)?)?;
            say!("{agreement}")?;
            Ok(())
        }
    }
}
