//! The command line (DESIGN.md "CLI": a contract that scripts rely on).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  cppo demo                                   load the demo marketplace
  cppo --as 210987654321 offers list          list offers as a partner
  cppo offers show offer-... --json           one offer as JSON
  cppo                                        open the terminal UI";

/// A whole number typed on the command line, from 0 to `max`, refused in words (clap's own
/// parsers answer in Rust's: `invalid digit found in string`, `99999 is not in 0..=3650`).
/// `most` is the largest the command takes, said when the number is beyond `max`.
fn whole(text: &str, max: u64, most: u64, unit: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{t}` is not a whole number of {unit}: digits only, e.g. 90"));
    }
    t.parse::<u64>().ok().filter(|n| *n <= max).ok_or_else(|| {
        format!("{t} {unit} is too many: at most {}", crate::domain::money::group_thousands(&most.to_string()))
    })
}

/// `--ending-within`: days ahead, up to ten years.
fn days_ahead(text: &str) -> Result<u32, String> {
    whole(text, 3650, 3650, "days").map(|n| n as u32)
}

/// `--net-terms`: days (the domain says which of them AWS allows).
fn net_days(text: &str) -> Result<u32, String> {
    whole(text, 3650, 3650, "days").map(|n| n as u32)
}

/// `demo --scale`: offers; the demo refuses more than one run adds, before loading anything.
fn offer_count(text: &str) -> Result<u64, String> {
    whole(text, u64::MAX, crate::market::scale::MAX_SCALE, "offers")
}

#[derive(Debug, Parser)]
#[command(
    name = "cppo",
    version,
    about = "AWS Marketplace Consulting Partner Private Offers, on a local file",
    long_about = "cppo manages resale opportunities and partner private offers on a local SQLite file.\n\
                  Without a command it opens the terminal UI.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// The cppo file (default: cppo.db in the platform data directory)
    #[arg(
        long,
        env = "CPPO_DB",
        global = true,
        help_heading = "Global options",
        value_name = "PATH",
        hide_env_values = true
    )]
    pub db: Option<PathBuf>,
    /// Act as this account (12 digits); default: the last account used
    #[arg(
        long = "as",
        env = "CPPO_AS",
        global = true,
        help_heading = "Global options",
        value_name = "ACCOUNT",
        hide_env_values = true
    )]
    pub actor: Option<String>,
    /// Take DATE (YYYY-MM-DD or RFC 3339) as today
    #[arg(
        long,
        env = "CPPO_NOW",
        global = true,
        help_heading = "Global options",
        value_name = "DATE",
        hide_env_values = true
    )]
    pub now: Option<String>,
    /// Print JSON instead of a table
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    /// Print a `list` as CSV, for a spreadsheet (accounts as id and name, amounts as number
    /// and currency)
    #[arg(long, global = true, help_heading = "Global options", conflicts_with = "json")]
    pub csv: bool,
    /// Where the terminal UI's `P` (pull) and `X` (push) reach AWS; `pull` and `push` take
    /// them too
    #[command(flatten, next_help_heading = "AWS (the terminal UI's P and X)")]
    pub aws: AwsArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the demo marketplace into an empty file
    #[command(after_help = "Examples:\n  cppo --db /tmp/demo.db demo\n  cppo --db /tmp/big.db demo --scale 1000000")]
    Demo {
        /// Also add N synthetic offers (mostly for the acting partner), to try a big file; 0: none
        #[arg(long, value_name = "N", value_parser = offer_count)]
        scale: Option<u64>,
    },
    /// Parties: ISVs, partners and buyers
    #[command(subcommand)]
    Accounts(AccountsCmd),
    /// Products and their list prices
    #[command(subcommand)]
    Products(ProductsCmd),
    /// Resale opportunities (AWS: resale authorizations)
    #[command(subcommand, visible_alias = "opps")]
    Opportunities(OpportunitiesCmd),
    /// Partner private offers
    #[command(subcommand)]
    Offers(OffersCmd),
    /// Agreements made by accepted offers, and their charges
    #[command(subcommand)]
    Agreements(AgreementsCmd),
    /// Payments to the acting account
    #[command(subcommand)]
    Disbursements(DisbursementsCmd),
    /// The audit log
    #[command(subcommand)]
    Events(EventsCmd),
    /// What needs the acting account, nearest deadline first (the TUI's `v`): drafts to
    /// release, offers expiring, offers to accept, charges to pay or overdue from a buyer,
    /// agreements to renew
    #[command(
        after_help = "Examples:\n  cppo --as 902174365518 review\n  cppo review --json | jq '.[] | select(.overdue)'"
    )]
    Review,
    /// Write the AWS change set that creates an opportunity (as its ISV) or an offer (as its partner)
    #[command(
        after_help = "The file is the input of:\n  aws marketplace-catalog start-change-set --cli-input-json file://FILE\n\n\
        Examples:\n  cppo export resaleauthz-Ab12Cd34Ef56G --release --out ra.changeset.json\n  \
        cppo --as 902174365518 export offer-Ab12Cd34Ef56G > offer.changeset.json"
    )]
    Export(ExportArgs),
    /// Read AWS CLI output (list-entities, describe-entity, search-agreements) into the file, as the acting account
    #[command(after_help = "Accepts, told apart by their shape: `aws marketplace-catalog list-entities` output for\n\
        ResaleAuthorization and Offer, `describe-entity` output, `aws marketplace-agreement search-agreements`,\n\
        `describe-agreement` and `get-agreement-terms` output (with --id agmt-...), a JSON array of them, or JSON Lines.\n\
        Importing the same output twice changes nothing. `-` reads standard input.\n\
        One run reads at most 32 MiB per input and 100,000 entities in all.\n\
        One line per entity, with its final outcome (a summary and its details make one).\n\n\
        Exit codes: 0 every entity imported (or unchanged); 3 some were skipped or left in\n\
        conflict, the rest imported (each line says why); 1 nothing imported (one line says why).\n\n\
        Examples:\n  \
        aws marketplace-catalog describe-entity --catalog AWSMarketplace --entity-id resaleauthz-... > ra.json\n  \
        cppo --as 420061735518 import ra.json --dry-run\n  \
        cppo import describe-*.json list-offers.json")]
    Import(ImportArgs),
    /// Read your book from AWS Marketplace (the AWS SDK, your AWS credentials) into the file, as the acting account
    #[command(
        after_help = "Reads the resale authorizations the acting account granted or received, its offers made from one\n\
        (CPPOs), their details 20 at a time, and the agreements it proposed; then imports them as `cppo import`\n\
        does files (same outcomes, conflicts and skips). After the first pull, only what changed on AWS since\n\
        the last stored pull is read (--full reads everything again). A pull cut short stores nothing.\n\
        Credentials: the AWS SDK's standard chain (environment, ~/.aws profiles, SSO, instance roles).\n\n\
        Examples:\n  cppo --as 420061735518 pull\n  cppo pull --profile work --dry-run\n  cppo pull --full --json"
    )]
    Pull(PullArgs),
    /// Send an opportunity (as its ISV) or an offer (as its partner) to AWS Marketplace and follow the change set
    #[command(
        after_help = "Sends the change set `cppo export` writes (the same ClientRequestToken: a push tried again is the\n\
        same request to AWS), then follows it until AWS ends it. SUCCEEDED: the record takes AWS's id and\n\
        AWS's copy is read back. FAILED: the record stays as it is, with AWS's errors beside it.\n\
        --validate asks AWS to check the change set only (Intent VALIDATE): nothing changes, on AWS or here.\n\n\
        Examples:\n  cppo --as 420061735518 push offer-... --release\n  cppo push resaleauthz-... --validate"
    )]
    Push(PushArgs),
    /// Settings kept in the file
    #[command(subcommand)]
    Settings(SettingsCmd),
}

/// Where to reach AWS, and as whom (the credentials stay with the AWS SDK).
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// The AWS profile (~/.aws/config) whose credentials to use; default: AWS_PROFILE, else the default chain
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The AWS region of AWS Marketplace's APIs [default: us-east-1]
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

impl AwsArgs {
    /// These flags, each one not given taken from `outer` (`cppo --profile work pull`).
    pub fn settings(&self, outer: Option<&AwsArgs>) -> crate::sdk::Settings {
        crate::sdk::Settings {
            profile: self.profile.clone().or_else(|| outer.and_then(|o| o.profile.clone())),
            region: self.region.clone().or_else(|| outer.and_then(|o| o.region.clone())),
        }
    }
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Read everything on AWS again, not only what changed since the last pull
    #[arg(long)]
    pub full: bool,
    /// Show what would change; store nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The type of products new to the file (AWS's authorization does not say): saas, ami, container, services
    #[arg(long, value_name = "TYPE", default_value = "saas")]
    pub product_type: String,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The opportunity (resaleauthz-...) or offer (offer-...) to send
    pub id: String,
    /// Also release a draft on AWS (it must be complete enough to release today)
    #[arg(long)]
    pub release: bool,
    /// Only ask AWS to check the change set (Intent VALIDATE); nothing changes
    #[arg(long)]
    pub validate: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Where the TUI's `X` writes change sets (default: the current directory); prints it without DIR
    #[command(
        after_help = "Examples:\n  cppo settings export-dir ~/aws/changesets\n  cppo settings export-dir --clear"
    )]
    ExportDir {
        /// An existing directory
        dir: Option<std::path::PathBuf>,
        /// Back to the current directory
        #[arg(long, conflicts_with = "dir")]
        clear: bool,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files of AWS CLI output (`-`: standard input)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Take AWS's version of records changed in cppo since their import
    #[arg(long)]
    pub force: bool,
    /// The type of products new to the file (AWS's authorization does not say): saas, ami, container, services
    #[arg(long, value_name = "TYPE", default_value = "saas")]
    pub product_type: String,
    /// The id of the entity in a file that is one bare DetailsDocument (no EntityIdentifier):
    /// resaleauthz-... or offer-..., its type told by the prefix; or the agreement (agmt-...)
    /// of a get-agreement-terms answer; only with a single file
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The opportunity (resaleauthz-...) or offer (offer-...) to export
    pub id: String,
    /// Also release a draft on AWS (it must be complete enough to release today)
    #[arg(long)]
    pub release: bool,
    /// Write the change set to FILE instead of standard output (a new file, unless --force)
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Replace FILE if it exists (never the cppo file itself, a link or a non-regular file)
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCmd {
    /// List every account
    #[command(after_help = "Example:\n  cppo accounts list --json")]
    List,
    /// Add an account; prints its id
    #[command(after_help = "Example:\n  cppo accounts add 123456789012 --name \"Acme Analytics\" --isv --buyer")]
    Add(AccountAdd),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("role").required(true).multiple(true).args(["isv", "partner", "buyer"])))]
pub struct AccountAdd {
    /// The AWS account id (12 digits)
    pub id: String,
    /// Legal name
    #[arg(long)]
    pub name: String,
    /// Sells products and grants opportunities
    #[arg(long)]
    pub isv: bool,
    /// Resells: receives opportunities and makes offers
    #[arg(long)]
    pub partner: bool,
    /// Buys: accepts offers
    #[arg(long)]
    pub buyer: bool,
    /// The partner is a distributor (AWS ResellerRole)
    #[arg(long, requires = "partner")]
    pub distributor: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProductsCmd {
    /// List every product
    #[command(after_help = "Example:\n  cppo products list")]
    List,
    /// Add a product of the acting ISV; prints its id
    #[command(
        after_help = "Example:\n  cppo --as 123456789012 products add --name \"Acme Insight\" --type saas \\\n      --dimension users:user:1000.00 --duration P12M"
    )]
    Add(ProductAdd),
}

#[derive(Debug, Args)]
pub struct ProductAdd {
    /// Product name
    #[arg(long)]
    pub name: String,
    /// saas, ami, container or services
    #[arg(long = "type", value_name = "TYPE")]
    pub product_type: String,
    /// A priced dimension KEY:UNIT:LIST_PRICE (add :usage for usage pricing); repeatable
    #[arg(long = "dimension", value_name = "KEY:UNIT:LIST_PRICE", required = true)]
    pub dimensions: Vec<String>,
    /// Contract duration (P1M..P60M, P1Y..P5Y)
    #[arg(long, default_value = "P12M")]
    pub duration: String,
}

#[derive(Debug, Subcommand)]
pub enum OpportunitiesCmd {
    /// List the opportunities granted or received
    #[command(
        after_help = "Examples:\n  cppo opportunities list --status authorized\n  cppo opportunities list --sort ends"
    )]
    List(StatusFilter),
    /// Show one opportunity
    #[command(after_help = "Example:\n  cppo opportunities show resaleauthz-... --json")]
    Show(IdArg),
    /// Grant an opportunity to a partner (ISV); prints its id
    #[command(
        after_help = "Example:\n  cppo --as 123456789012 opportunities create --partner 210987654321 --product prod-... \\\n      --name \"Acme resale 2027\" --discount 20 --until 2027-06-30 --release"
    )]
    Create(OpportunityCreate),
    /// Change a draft (ISV): the options given replace those terms, the others stay
    #[command(
        after_help = "Example (an installment plan made before grants, made exportable):\n  cppo --as 123456789012 opportunities edit resaleauthz-... --grant users=50"
    )]
    Edit(OpportunityEdit),
    /// Release a draft to the partner (ISV)
    #[command(after_help = "Example:\n  cppo opportunities release resaleauthz-...")]
    Release(IdArg),
    /// End an active opportunity (ISV or partner); offers already made stay
    #[command(after_help = "Example:\n  cppo opportunities end resaleauthz-...")]
    End(IdArg),
    /// Move an active opportunity's end date later (ISV): the partner may make offers from
    /// it until then; `export` sends it to AWS as UpdateAvailability
    #[command(
        after_help = "Example:\n  cppo --as 123456789012 opportunities extend resaleauthz-... --until 2027-12-31"
    )]
    Extend(OpportunityExtend),
    /// Delete a draft for good (ISV); the audit log keeps that it existed
    #[command(after_help = "Example:\n  cppo opportunities delete resaleauthz-...")]
    Delete(IdArg),
}

#[derive(Debug, Args)]
pub struct StatusFilter {
    /// Only rows with this status
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Order by this column (as the TUI's `s`): created (the default), name, counterparty
    /// (buyer, seller, partner, isv), status, date (expires, ends); opportunities also
    /// product, kind, discount, currency, offers; offers also amount (total, wholesale)
    #[arg(long, value_name = "COLUMN")]
    pub sort: Option<String>,
    /// Newest, last or largest first
    #[arg(long)]
    pub desc: bool,
}

#[derive(Debug, Args)]
pub struct IdArg {
    pub id: String,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("wholesale").args(["discount", "price"])))]
pub struct OpportunityCreate {
    /// The partner account it is granted to
    #[arg(long)]
    pub partner: String,
    /// The product (prod-...)
    #[arg(long)]
    pub product: String,
    /// Name (1-100 characters)
    #[arg(long)]
    pub name: String,
    /// Discount off every list price, in percent (with --grant: off the usage dimensions' only)
    #[arg(long, value_name = "PCT", required_unless_present_any = ["price", "grant"])]
    pub discount: Option<String>,
    /// An explicit wholesale price per dimension; repeatable
    #[arg(long, value_name = "KEY=AMOUNT")]
    pub price: Vec<String>,
    /// USD, EUR, GBP, AUD or JPY
    #[arg(long, default_value = "USD")]
    pub currency: String,
    /// One offer for one named buyer (needs --buyer and --until)
    #[arg(long, requires = "buyer")]
    pub one_time: bool,
    /// A targeted buyer account; repeatable (up to 25)
    #[arg(long, value_name = "ACCOUNT")]
    pub buyer: Vec<String>,
    /// Availability end date (default: indefinite)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The buyer renews an existing agreement (lower listing fee)
    #[arg(long)]
    pub renewal: bool,
    /// An installment at wholesale, DATE=AMOUNT; repeatable (one-time only)
    #[arg(long, value_name = "DATE=AMOUNT")]
    pub installment: Vec<String>,
    /// Units the installment plan grants of a contract dimension, KEY=UNITS; repeatable.
    /// Granted dimensions cost 0 (the schedule carries the value), so --discount or --price
    /// then price the usage dimensions only; needed with --installment on contract pricing
    #[arg(long, value_name = "KEY=UNITS")]
    pub grant: Vec<String>,
    /// Maximum net payment term in days (15, 30, 45, 60, 90, 120)
    #[arg(long, value_name = "DAYS", value_parser = net_days)]
    pub net_terms: Option<u32>,
    /// A custom EULA (https URL); default: the Standard Contract for AWS Marketplace
    #[arg(long, value_name = "URL")]
    pub eula: Option<String>,
    /// Internal description (never shown to buyers)
    #[arg(long, default_value = "")]
    pub description: String,
    /// Release it at once
    #[arg(long)]
    pub release: bool,
}

/// The terms `opportunities edit` may change; each one given replaces the draft's.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("wholesale").args(["discount", "price"])))]
pub struct OpportunityEdit {
    pub id: String,
    /// Name (1-100 characters)
    #[arg(long)]
    pub name: Option<String>,
    /// Discount off every list price, in percent (with grants: off the usage dimensions' only)
    #[arg(long, value_name = "PCT")]
    pub discount: Option<String>,
    /// An explicit wholesale price per dimension; repeatable (replaces them all)
    #[arg(long, value_name = "KEY=AMOUNT")]
    pub price: Vec<String>,
    /// Availability end date
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// An installment at wholesale, DATE=AMOUNT; repeatable (replaces the schedule)
    #[arg(long, value_name = "DATE=AMOUNT")]
    pub installment: Vec<String>,
    /// Units the installment plan grants of a contract dimension, KEY=UNITS; repeatable
    /// (replaces the grants). Granted dimensions cost 0: the schedule carries the value
    #[arg(long, value_name = "KEY=UNITS")]
    pub grant: Vec<String>,
    /// Internal description (never shown to buyers)
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OffersCmd {
    /// List the offers made, received or made from your opportunities
    #[command(after_help = "Examples:\n  cppo offers list --status active\n  cppo offers list --sort amount --desc")]
    List(StatusFilter),
    /// Show one offer with its price breakdown
    #[command(after_help = "Example:\n  cppo offers show offer-...")]
    Show(IdArg),
    /// Create an offer from a received opportunity (partner); prints its id
    #[command(
        after_help = "Examples:\n  cppo offers create --opportunity resaleauthz-... --buyer 333333333333 --markup 10 \\\n      --expires 2026-12-31 --name \"Contoso 2027\" --quantity users=100 --release\n  cppo offers create --replaces agmt-... --opportunity resaleauthz-... --markup 8 \\\n      --expires 2026-12-31 --ends 2028-01-31 --name \"Contoso renewal\" --quantity users=120"
    )]
    Create(OfferCreate),
    /// Release a draft to its buyer (partner)
    #[command(after_help = "Example:\n  cppo offers release offer-...")]
    Release(IdArg),
    /// Cancel a released offer: its expiry moves to yesterday (partner)
    #[command(after_help = "Example:\n  cppo offers cancel offer-...")]
    Cancel(IdArg),
    /// Delete a draft for good (partner); the audit log keeps that it existed
    #[command(after_help = "Example:\n  cppo offers delete offer-...")]
    Delete(IdArg),
    /// Move a released offer's expiry later (partner)
    #[command(after_help = "Example:\n  cppo offers extend offer-... --expires 2027-01-31")]
    Extend(OfferExtend),
    /// Accept an offer addressed to you (buyer); prints the agreement id
    #[command(after_help = "Example:\n  cppo --as 333333333333 offers accept offer-...")]
    Accept(IdArg),
}

#[derive(Debug, Args)]
pub struct OfferCreate {
    /// The opportunity it is made from
    #[arg(long)]
    pub opportunity: String,
    /// The one buyer account (filled in for a one-time opportunity, and for a replacement
    /// offer: its agreement's)
    #[arg(long)]
    pub buyer: Option<String>,
    /// Make a replacement offer for this Active agreement you proposed (agmt-...): accepting
    /// it makes the agreement Replaced; the buyer is the agreement's
    #[arg(long, value_name = "AGREEMENT")]
    pub replaces: Option<String>,
    /// With --replaces: the new agreement's end date (default: the duration from acceptance)
    #[arg(long, value_name = "DATE", requires = "replaces")]
    pub ends: Option<String>,
    /// Markup on every wholesale price, in percent (0 or more)
    #[arg(long, value_name = "PCT")]
    pub markup: String,
    /// Expiry: the buyer may accept until the end of this day (UTC)
    #[arg(long, value_name = "DATE")]
    pub expires: String,
    /// Name (1-150 characters)
    #[arg(long)]
    pub name: String,
    /// Units of a contract dimension; repeatable
    #[arg(long, value_name = "KEY=N")]
    pub quantity: Vec<String>,
    /// Contract duration, one of the opportunity's rate cards (P12M, P36M...); defaults to
    /// the opportunity's first duration
    #[arg(long)]
    pub duration: Option<String>,
    /// Description (not shown to the buyer)
    #[arg(long, default_value = "")]
    pub description: String,
    /// Release it at once
    #[arg(long)]
    pub release: bool,
}

#[derive(Debug, Args)]
pub struct OpportunityExtend {
    pub id: String,
    /// The new end date: after the current one
    #[arg(long, value_name = "DATE")]
    pub until: String,
}

#[derive(Debug, Args)]
pub struct OfferExtend {
    pub id: String,
    /// The new expiry date
    #[arg(long, value_name = "DATE")]
    pub expires: String,
}

#[derive(Debug, Subcommand)]
pub enum AgreementsCmd {
    /// List your agreements, cppo's own and those imported from AWS
    #[command(after_help = "Examples:\n  cppo agreements list --json\n  cppo agreements list --ending-within 90")]
    List(AgreementsList),
    /// Show one agreement and its charges
    #[command(after_help = "Example:\n  cppo agreements show agmt-...")]
    Show(IdArg),
    /// Pay the next due charge (buyer)
    #[command(after_help = "Example:\n  cppo --as 333333333333 agreements pay agmt-...")]
    Pay(IdArg),
    /// Finance an agreement through a third-party financier, or record its answer (buyer);
    /// funded pays every open charge at once
    #[command(
        after_help = "Examples:\n  cppo --as 333333333333 agreements finance agmt-... --provider \"Acme Capital\" --months 12\n  cppo --as 333333333333 agreements finance agmt-... --provider \"Acme Capital\" --months 12 --status funded"
    )]
    Finance(AgreementFinance),
}

#[derive(Debug, Args)]
pub struct AgreementFinance {
    pub id: String,
    /// The financier's name
    #[arg(long, value_name = "NAME")]
    pub provider: String,
    /// Months the buyer repays the financier over (1-60)
    #[arg(long, value_name = "N")]
    pub months: String,
    /// Where the application stands: offered, approved, declined or funded
    #[arg(long, default_value = "offered", value_parser = ["offered", "approved", "declined", "funded"])]
    pub status: String,
}

#[derive(Debug, Args)]
pub struct AgreementsList {
    /// The renewal radar: only Active agreements ending within DAYS days (30, 60, 90, 120,
    /// 180...), soonest first, with what has been done about each; pay-as-you-go never ends
    #[arg(long, value_name = "DAYS", value_parser = days_ahead)]
    pub ending_within: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum DisbursementsCmd {
    /// List the payments made to the acting account
    #[command(after_help = "Example:\n  cppo disbursements list")]
    List,
}

#[derive(Debug, Subcommand)]
pub enum EventsCmd {
    /// List the audit events you may see, oldest first
    #[command(after_help = "Example:\n  cppo events list --entity offer-...")]
    List(EventsList),
}

#[derive(Debug, Args)]
pub struct EventsList {
    /// Only events about this record
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
}
