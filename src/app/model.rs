//! What the app holds and exchanges: the session, details, the effects it asks of the
//! store worker and the messages it gets back, popups.

use chrono::NaiveDate;

use super::Tab;
use super::command::{Command, Touched};
use super::pager::{Fetch, StatusFilter};
use crate::domain::{AccountId, AgreementId, Money, OfferId, OpportunityId, RecordId};
use crate::market::Page;
use crate::market::actions::{Actions, ReviewItem, ReviewQueue, Verb};
use crate::market::views::{AccountView, AgreementView, DisbursementView, OfferView, OpportunityView, ProductView};
use crate::market::{Counterparty, Fetched, PullStart, Refusal, RelationshipView, Sent, Spot, Written};

/// Who is acting, on which file, on which day.
#[derive(Debug, Clone)]
pub struct Session {
    /// `None` only in a file with no account yet (the welcome screen).
    pub actor: Option<AccountView>,
    pub today: NaiveDate,
    pub file: String,
    pub accounts: Vec<AccountView>,
    /// Every product (public listings): names for the tables, dimensions for the forms.
    pub products: Vec<ProductView>,
    /// The file has no account yet: show the welcome screen.
    pub empty: bool,
    /// Opportunities and offers the actor knows by their AWS summary only (`cppo import` of
    /// `list-entities` without `describe-entity`): not in the tables until their details come.
    pub summary_only: (usize, usize),
    /// Where `X` writes change sets (`cppo settings export-dir`); `None`: the current directory.
    pub export_dir: Option<String>,
    /// AWS credentials look configured (decided without the network): `X` pushes to AWS
    /// rather than writing the change set's file.
    pub aws: bool,
}

/// Which detail the pane shows (and which answer it waits for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailKey {
    Partner { account: AccountId, role: Counterparty },
    Opportunity(OpportunityId),
    Offer(OfferId),
    Agreement(AgreementId),
}

/// The detail of the selected row, as the acting account may see it.
#[derive(Debug, Clone)]
pub enum Detail {
    Partner {
        row: RelationshipView,
        /// The last twelve months between the two, oldest first.
        months: Vec<crate::market::MonthView>,
        opportunities: Vec<OpportunityView>,
        offers: Vec<OfferView>,
    },
    Opportunity {
        view: Box<OpportunityView>,
        offers: Vec<OfferView>,
        actions: Actions,
    },
    Offer {
        view: Box<OfferView>,
        /// The opportunity it was made from, when the viewer may see it.
        opportunity: Option<Box<OpportunityView>>,
        agreement: Option<Box<AgreementView>>,
        /// The agreements AWS made on it, as imported from AWS's Agreement API.
        aws_agreements: Vec<crate::market::AwsAgreementView>,
        disbursements: Vec<DisbursementView>,
        actions: Actions,
    },
    Agreement {
        view: Box<AgreementView>,
        /// The offer it came from, as the viewer sees it.
        offer: Option<Box<OfferView>>,
        /// What the viewer was paid of it.
        disbursements: Vec<DisbursementView>,
        /// Its audit events the viewer may read, oldest first.
        events: Vec<crate::market::Event>,
        actions: Actions,
    },
    /// An agreement imported from AWS: AWS changes it, the next import brings the change.
    AwsAgreement {
        view: Box<crate::market::AwsAgreementView>,
        /// Its offer, when the file holds it and the viewer may see it.
        offer: Option<Box<OfferView>>,
        events: Vec<crate::market::Event>,
        actions: Actions,
    },
}

impl Detail {
    /// Whether `verb` is allowed here: `Ok`, or the domain's reason why not.
    pub fn allows(&self, verb: Verb) -> Result<(), String> {
        let actions = match self {
            Detail::Opportunity { actions, .. }
            | Detail::Offer { actions, .. }
            | Detail::Agreement { actions, .. }
            | Detail::AwsAgreement { actions, .. } => actions,
            Detail::Partner { .. } => return Err(super::text::notices::SELECT_A_RECORD.into()),
        };
        actions
            .iter()
            .find(|(v, _)| *v == verb)
            .map_or_else(|| Err(super::text::notices::NOT_AVAILABLE.into()), |(_, r)| r.clone())
    }
}

/// A request for the store worker.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Load the acting account, the accounts, the products and today.
    LoadSession,
    /// Act as another account (remembered in the file).
    SwitchActor(AccountId),
    /// Load the demo marketplace into the empty file.
    LoadDemo,
    /// A page of the Opportunities tab.
    FetchOpportunities(Fetch),
    /// A page of the Offers tab.
    FetchOffers(Fetch),
    /// A page of the Agreements tab.
    FetchAgreements(Fetch),
    /// Count a tab's rows under its filter.
    Count { tab: Tab, query_id: u64, filter: Option<String>, status: Option<StatusFilter> },
    /// The Partners tab, optionally filtered by account id or name.
    LoadPartners { filter: Option<String> },
    /// The detail of one row.
    LoadDetail(DetailKey),
    /// Run a state change.
    Run(Command),
    /// Write the AWS change set of an opportunity or offer to `<id>.changeset.json` in the
    /// export folder, with the release of a draft when `release`.
    Export { id: RecordId, release: bool },
    /// Send the change set of an opportunity or offer to AWS (`cppo push`), with the release
    /// of a draft when `release`, on a thread of its own once the export's checks pass: its
    /// statuses come as [`Msg::PushStatus`], AWS's last answer as [`Msg::Sent`].
    Push { id: RecordId, release: bool },
    /// Record what AWS made of a push, as the account that pushed (the answer to
    /// [`Msg::Sent`]).
    StorePush(AccountId, RecordId, Box<Sent>),
    /// Read what changed on AWS since the last pull, on a thread of its own: its progress
    /// comes as [`Msg::PullProgress`], what it read as [`Msg::Fetched`].
    Pull,
    /// Store what a pull fetched, as the account it pulled for (the answer to
    /// [`Msg::Fetched`]; the person may act as another by now).
    StorePull(AccountId, PullStart, Box<Fetched>),
    /// The opportunities the partner may make an offer from now (the offer form's picker).
    LoadOfferTargets,
    /// The partner's agreement to replace and the authorizations that may replace it (the
    /// replacement offer form).
    LoadReplacementTargets(AgreementId),
    /// The review queue.
    LoadReview,
    /// The Active offers expiring in each of the next [`EXPIRY_WEEKS`] weeks.
    LoadExpiries,
    /// The value of the ACTIVE agreements ending in each of the next twelve months.
    LoadValueEnding,
    /// Has another program written to the file since the last look? (a cheap pragma)
    CheckFile,
}

/// What the terminal does for the app, not the store: taken with
/// [`App::take_terminal_effects`](super::App::take_terminal_effects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalEffect {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
}

/// An answer from the store worker.
#[derive(Debug, Clone)]
pub enum Msg {
    Session(Box<Session>),
    /// A page of the Opportunities tab, and where it stands when read around a record.
    Opportunities(Fetch, Page<OpportunityView>, Option<Spot>),
    /// A page of the Offers tab, and where it stands when read around a record.
    Offers(Fetch, Page<OfferView>, Option<Spot>),
    /// A page of the Agreements tab, and where it stands when read around a record.
    Agreements(Fetch, Page<crate::market::AnyAgreement>, Option<Spot>),
    /// The rows a tab's query matches: the total once `exact`, else a lower bound so far.
    Count {
        tab: Tab,
        query_id: u64,
        total: u64,
        exact: bool,
    },
    Partners(Vec<RelationshipView>),
    Detail(DetailKey, Box<Detail>),
    /// A short notice at the bottom (an action completed).
    Toast(String),
    /// Something failed: shown in a popup.
    Error(String),
    /// A change the domain refused, or one made stale by another writer: said where the
    /// user is (the form's message line, or the bottom line), and the rows read again.
    Refused(Refusal, String),
    /// Answer to [`Effect::LoadExpiries`].
    Expiries(Vec<u64>),
    /// Answer to [`Effect::LoadValueEnding`]: per month, the value per currency.
    ValueEnding(Vec<Vec<Money>>),
    /// Another program wrote to the file: read what is on screen again.
    FileChanged,
    /// A state change succeeded: say so and read again what it touched.
    Done(String, Touched),
    /// A record was made: say so, reload, and put the cursor on it.
    Made(String, DetailKey),
    /// A change set was written (nothing in the file changed): say where, how to submit it,
    /// and its notes.
    Exported(Box<Written>),
    /// A pull's progress: what it reads, how many so far, of how many (0 while unknown).
    PullProgress(String, u64, u64),
    /// A pull read AWS: store it (nothing is written until then).
    Fetched(AccountId, PullStart, Box<Fetched>),
    /// A pull was stored (its one line), or failed (why; nothing stored): rows read again.
    Pulled(Result<String, String>),
    /// A push's change set has a new status on AWS.
    PushStatus(String),
    /// AWS ended a push's change set: record it (nothing is written until then).
    Sent(AccountId, RecordId, Box<Sent>),
    /// AWS credentials were found after the start (an instance role): `X` pushes from now on.
    CredentialsFound,
    /// A push ended: what came of it.
    Pushed(Box<PushEnd>),
    OfferTargets(Vec<OpportunityView>),
    ReplacementTargets(Box<crate::market::ReplacementTargets>),
    Review(ReviewQueue),
}

/// How a push ended, for the bottom line and the record's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushEnd {
    /// The record's ids: the one it was pushed as, and AWS's once the push linked it.
    pub ids: Vec<String>,
    /// What came of it: AWS's status, each error AWS gave, or why it stopped.
    pub lines: Vec<String>,
    /// AWS applied it.
    pub ok: bool,
}

/// A pending action and what it will do, waiting for `y`/`Enter` or `n`/`Esc`.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// What `y` asks of the store.
    pub effect: Effect,
    /// A second choice on `r` (export a draft with its release).
    pub with_release: Option<Effect>,
}

/// The review queue being stepped through.
#[derive(Debug, Clone)]
pub struct Review {
    pub queue: ReviewQueue,
    pub index: usize,
}

impl Review {
    pub fn current(&self) -> Option<&ReviewItem> {
        self.queue.items.get(self.index)
    }
}

/// Weeks of expiries `t` shows: a quarter.
pub const EXPIRY_WEEKS: u32 = 13;

/// Overlays that take every key while open.
#[derive(Debug, Clone)]
pub enum Popup {
    /// The keys, scrolled down by this many lines.
    Help(u16),
    Confirm(Box<Confirm>),
    /// The account picker of `@`: type to narrow, Enter acts as the account.
    Accounts(Box<super::form::Picker>),
    Error(String),
}
