//! Exact money: `Decimal` amounts with a currency, rounded half-up only where DOMAIN.md says.
//!
//! Amounts typed by a person pass a strict ASCII grammar before `Decimal` sees them:
//! `Decimal::from_str` would accept `1e3`, `1_000` and silently round past 28 digits.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::error::RuleError;

/// The currencies AWS allows for opportunities and private offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Usd,
    Eur,
    Gbp,
    Aud,
    Jpy,
}

impl Currency {
    pub const ALL: [Currency; 5] = [Self::Usd, Self::Eur, Self::Gbp, Self::Aud, Self::Jpy];

    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
            Self::Eur => "EUR",
            Self::Gbp => "GBP",
            Self::Aud => "AUD",
            Self::Jpy => "JPY",
        }
    }

    /// Decimal places of the minor unit: 2, or 0 for JPY.
    pub fn minor_digits(self) -> u32 {
        match self {
            Self::Jpy => 0,
            _ => 2,
        }
    }

    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let up = s.trim().to_ascii_uppercase();
        Self::ALL.into_iter().find(|c| c.code() == up).ok_or_else(|| {
            RuleError::validation(format!("`{}` is not a supported currency: use USD, EUR, GBP, AUD or JPY", s.trim()))
        })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl FromStr for Currency {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Decimal places kept by every unit price (list, wholesale, buyer).
pub const UNIT_PRICE_DIGITS: u32 = 6;
/// Decimal places a usage list price may have (AWS: up to 8).
pub const USAGE_PRICE_DIGITS: u32 = 8;
/// Scale of unit prices in the file: INTEGER hundred-millionths.
pub const UNIT_PRICE_STORE_DIGITS: u32 = 8;
/// The largest unit price or charge AWS accepts.
pub const MAX_UNIT_PRICE: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);
/// The largest amount cppo stores: 10^13 in major units keeps every minor-unit sum far
/// inside an i64.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);
/// The largest markup cppo accepts, in percent (a 100x price is already absurd).
pub const MAX_MARKUP_PCT: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

fn half_up(d: Decimal, digits: u32) -> Decimal {
    d.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero)
}

/// `round6`: a unit price.
pub fn round_unit(d: Decimal) -> Decimal {
    half_up(d, UNIT_PRICE_DIGITS)
}

/// `round_minor`: an amount of `currency`.
pub fn round_minor(d: Decimal, currency: Currency) -> Decimal {
    half_up(d, currency.minor_digits())
}

/// `factor = 1 + pct/100` (markup) as an exact decimal.
pub fn markup_factor(pct: Decimal) -> Decimal {
    Decimal::ONE + pct / Decimal::ONE_HUNDRED
}

/// An amount in one currency, always at the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Rounds `amount` to the currency's minor unit (half-up).
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        let mut amount = round_minor(amount, currency);
        amount.rescale(currency.minor_digits());
        Self { amount, currency }
    }
    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }
    pub fn amount(&self) -> Decimal {
        self.amount
    }
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// Integer minor units, as stored (cents; yen for JPY). Amounts are checked against
    /// [`MAX_AMOUNT`] before they are stored (`Breakdown::check_amounts`), so this never
    /// saturates in practice; if it did, it would saturate rather than wrap to a negative.
    pub fn minor_units(&self) -> i64 {
        let m = self.amount.mantissa();
        i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX })
    }
    pub fn from_minor(units: i64, currency: Currency) -> Self {
        Self { amount: Decimal::new(units, currency.minor_digits()), currency }
    }
    /// Exact sum; the currencies must match (a programming error otherwise).
    pub fn plus(self, other: Money) -> Money {
        assert_eq!(self.currency, other.currency, "adding {} to {}", other.currency, self.currency);
        Money::new(self.amount + other.amount, self.currency)
    }
    pub fn minus(self, other: Money) -> Money {
        assert_eq!(self.currency, other.currency, "subtracting {} from {}", other.currency, self.currency);
        Money::new(self.amount - other.amount, self.currency)
    }
    /// The amount as JSON carries it: the minor unit's digits, no currency (`"88000.00"`).
    pub fn to_plain(&self) -> String {
        self.amount.to_string()
    }
    /// The amount with thousands separators and the currency (`88,000.00 USD`).
    pub fn display(&self) -> String {
        format!("{} {}", group_thousands(&self.amount.to_string()), self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// `1234567.50` -> `1,234,567.50`.
pub fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A decimal amount as text with its currency code, thousands grouped: `88000.00`, `USD` ->
/// `88,000.00 USD` (what the CLI and the TUI show; JSON carries the plain amount).
pub fn with_currency(amount: &str, currency: &str) -> String {
    format!("{} {currency}", group_thousands(amount))
}

/// A unit price for people: grouped, with the currency (`1,434.375 USD`).
pub fn unit_price_display(d: Decimal, currency: Currency) -> String {
    with_currency(&unit_price_text(d, currency), currency.code())
}

/// A unit price as text with at least the currency's minor digits: `1000.00`, `0.000125`,
/// `1434.375`, JPY `1200`.
pub fn unit_price_text(d: Decimal, currency: Currency) -> String {
    let mut x = d.normalize();
    if x.scale() < currency.minor_digits() {
        x.rescale(currency.minor_digits());
    }
    x.to_string()
}

/// Parses a non-negative decimal typed by a person: ASCII digits, at most one `.`, at most
/// `max_digits` decimals, no sign, exponent, separator or space inside, and at most `max`.
/// `what` names the field in the message.
pub fn parse_decimal(s: &str, max_digits: u32, max: Decimal, what: &str) -> Result<Decimal, RuleError> {
    parse_typed(s, max_digits, max, what, "1200.50")
}

/// [`parse_decimal`], whose messages show `example` (a percentage reads `12.5`, not an amount).
fn parse_typed(s: &str, max_digits: u32, max: Decimal, what: &str, example: &str) -> Result<Decimal, RuleError> {
    let t = s.trim();
    let bad = |why: String| RuleError::validation(format!("{what} `{t}` {why}"));
    if t.is_empty() {
        return Err(RuleError::validation(format!("{what} is empty: type a number such as {example}")));
    }
    if t.starts_with('-') {
        return Err(bad("is negative: it must be 0 or more".into()));
    }
    let (int, frac) = t.split_once('.').map_or((t, ""), |(i, f)| (i, f));
    let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || (t.contains('.') && frac.is_empty()) {
        return Err(bad(format!("is not a number: use digits with an optional decimal point, e.g. {example}")));
    }
    if frac.len() as u32 > max_digits {
        return Err(bad(if max_digits == 0 {
            "has decimals: this amount takes whole numbers only".into()
        } else {
            format!("has {} decimals: at most {max_digits} are allowed", frac.len())
        }));
    }
    let significant = int.trim_start_matches('0');
    if significant.len() > 16 {
        return Err(bad(format!("is too large: at most {max}")));
    }
    let d = Decimal::from_str(t).map_err(|_| bad("is not a number".into()))?;
    if d > max {
        return Err(bad(format!("is too large: at most {max}")));
    }
    Ok(d)
}

/// Parses an amount of `currency` (at most its minor-unit decimals).
pub fn parse_amount(s: &str, currency: Currency, what: &str) -> Result<Money, RuleError> {
    parse_decimal(s, currency.minor_digits(), MAX_AMOUNT, what).map(|d| Money::new(d, currency))
}

/// Parses a unit price (at most 6 decimals; 8 for usage pricing).
pub fn parse_unit_price(s: &str, usage: bool, what: &str) -> Result<Decimal, RuleError> {
    let digits = if usage { USAGE_PRICE_DIGITS } else { UNIT_PRICE_DIGITS };
    parse_decimal(s, digits, MAX_UNIT_PRICE, what)
}

/// Parses a discount: 0 to 100 percent, at most 6 decimals.
pub fn parse_discount_pct(s: &str) -> Result<Decimal, RuleError> {
    parse_typed(without_percent_sign(s), 6, Decimal::ONE_HUNDRED, "discount %", PERCENT_EXAMPLE)
}

/// What a percentage looks like, in the messages that refuse one.
const PERCENT_EXAMPLE: &str = "12.5";

/// `10%` is read as `10`: the field already says it is a percentage.
fn without_percent_sign(s: &str) -> &str {
    let t = s.trim();
    t.strip_suffix('%').map_or(t, str::trim_end)
}

/// Parses a markup: 0 or more percent, at most 9 decimals (AWS), at most 10,000%.
pub fn parse_markup_pct(s: &str) -> Result<Decimal, RuleError> {
    parse_typed(without_percent_sign(s), 9, MAX_MARKUP_PCT, "markup %", PERCENT_EXAMPLE)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_percentage_may_carry_its_sign() {
        assert_eq!(parse_markup_pct("10%").unwrap(), dec!(10));
        assert_eq!(parse_discount_pct(" 12.5 % ").unwrap(), dec!(12.5));
        assert!(parse_markup_pct("%").is_err() && parse_markup_pct("10%%").is_err());
    }

    #[test]
    fn a_refused_percentage_shows_a_percentage_as_its_example() {
        for e in [parse_discount_pct("abc").unwrap_err(), parse_markup_pct("1e3").unwrap_err()] {
            assert!(e.message.ends_with("e.g. 12.5"), "{}", e.message);
        }
        assert!(parse_discount_pct(" ").unwrap_err().message.contains("such as 12.5"));
        let amount = parse_amount("x", Currency::Usd, "price").unwrap_err();
        assert!(amount.message.ends_with("e.g. 1200.50"), "{}", amount.message);
    }

    use super::*;
    use rust_decimal::dec;

    #[test]
    fn money_rounds_half_up_to_the_minor_unit() {
        assert_eq!(Money::new(dec!(1.005), Currency::Usd).to_plain(), "1.01");
        assert_eq!(Money::new(dec!(1.004999), Currency::Usd).to_plain(), "1.00");
        assert_eq!(Money::new(dec!(1200.5), Currency::Jpy).to_plain(), "1201");
        assert_eq!(Money::new(dec!(7), Currency::Eur).to_plain(), "7.00");
    }

    #[test]
    fn minor_units_round_trip() {
        let m = Money::new(dec!(88000), Currency::Usd);
        assert_eq!(m.minor_units(), 8_800_000);
        assert_eq!(Money::from_minor(8_800_000, Currency::Usd), m);
        assert_eq!(Money::from_minor(1200, Currency::Jpy).to_plain(), "1200");
    }

    #[test]
    fn display_groups_thousands_and_names_the_currency() {
        assert_eq!(Money::new(dec!(1234567.5), Currency::Usd).display(), "1,234,567.50 USD");
        assert_eq!(Money::new(dec!(999), Currency::Jpy).display(), "999 JPY");
        assert_eq!(group_thousands("-1000.25"), "-1,000.25");
    }

    #[test]
    fn typed_amounts_follow_a_strict_grammar() {
        assert_eq!(parse_amount("1200.50", Currency::Usd, "price").unwrap().to_plain(), "1200.50");
        for (input, needle) in [
            ("1e3", "not a number"),
            ("1_000", "not a number"),
            ("1,000", "not a number"),
            (" ", "empty"),
            ("-5", "negative"),
            ("1.234", "3 decimals"),
            ("12.", "not a number"),
            (".5", "not a number"),
            ("NaN", "not a number"),
            ("99999999999999999999999999999", "too large"),
            ("10000000000001", "too large"),
        ] {
            let err = parse_amount(input, Currency::Usd, "price").unwrap_err();
            assert!(err.message.contains(needle), "{input}: {err}");
        }
        let jpy = parse_amount("10.5", Currency::Jpy, "price").unwrap_err();
        assert!(jpy.message.contains("whole numbers"), "{jpy}");
    }

    #[test]
    fn percentages_have_their_own_bounds() {
        assert_eq!(parse_discount_pct("20").unwrap(), dec!(20));
        assert!(parse_discount_pct("100.5").is_err());
        assert_eq!(parse_markup_pct("33.333333333").unwrap(), dec!(33.333333333));
        assert!(parse_markup_pct("1.0000000001").unwrap_err().message.contains("at most 9"));
        assert!(parse_markup_pct("-1").is_err());
    }

    #[test]
    fn unit_prices_keep_six_decimals_and_usage_eight() {
        assert!(parse_unit_price("0.1234567", false, "list").is_err());
        assert_eq!(parse_unit_price("0.12345678", true, "list").unwrap(), dec!(0.12345678));
        assert!(parse_unit_price("100000001", false, "list").is_err());
        assert_eq!(round_unit(dec!(0.0000005)), dec!(0.000001));
    }
}
