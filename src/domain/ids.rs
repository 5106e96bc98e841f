//! Typed identifiers, each with a validating parser and a random generator.

use std::fmt;
use std::str::FromStr;

use std::cell::RefCell;

use rand::distr::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::error::RuleError;

thread_local! {
    static SEEDED: RefCell<Option<StdRng>> = const { RefCell::new(None) };
}

/// Makes the ids generated on this thread follow `seed` (the demo and snapshot tests need
/// the same ids on every run); `None` goes back to the system's randomness.
pub fn seed_ids(seed: Option<u64>) {
    SEEDED.with(|s| *s.borrow_mut() = seed.map(StdRng::seed_from_u64));
}

fn random_alphanumerics(len: usize) -> String {
    SEEDED.with(|s| match s.borrow_mut().as_mut() {
        Some(rng) => rng.sample_iter(&Alphanumeric).take(len).map(char::from).collect(),
        None => rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect(),
    })
}

/// An AWS account: exactly 12 ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

impl AccountId {
    /// Exactly 12 digits, or the same in three groups of four as the AWS console shows them
    /// (`1234-5678-9012`, `1234 5678 9012`): a pasted id is taken as it comes. Any other
    /// separator or grouping is refused, so a mistyped id is not read as another.
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        let t = s.trim();
        let digits = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
        let grouped = |sep: char| {
            let parts: Vec<&str> = t.split(sep).collect();
            parts.len() == 3 && parts.iter().all(|p| digits(p))
        };
        if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_owned()))
        } else if grouped('-') || grouped(' ') {
            Ok(Self(t.chars().filter(char::is_ascii_digit).collect()))
        } else {
            Err(RuleError::validation(format!(
                "`{t}` is not an AWS account id: use exactly 12 digits, e.g. 123456789012 or 1234-5678-9012"
            )))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a filter typed as text searches for: an account id grouped as the console shows it
/// (`1234-5678-9012`) searches for its 12 digits, as stored; anything else as typed.
pub fn search_text(filter: &str) -> String {
    let t = filter.trim();
    if t.len() > 12
        && let Ok(id) = AccountId::parse(t)
    {
        return id.0;
    }
    filter.to_owned()
}

/// An id equals its text (`id == "123456789012"`).
macro_rules! eq_text {
    ($name:ident) => {
        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

eq_text!(AccountId);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl FromStr for AccountId {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for AccountId {
    type Error = RuleError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> Self {
        id.0
    }
}

/// The most characters after an id's prefix: after theirs, AWS's own ids run from 9
/// characters (`offer-123456789`) to 36 (a UUID); 64 holds them all and keeps a table cell
/// bounded.
pub const MAX_ID_CHARS: usize = 64;

/// The one rule of every prefixed id, read from AWS or typed: `prefix` then 1 to
/// [`MAX_ID_CHARS`] ASCII letters, digits and hyphens, the first a letter or digit. AWS's own
/// documents carry ids of many lengths (`offer-1234567890`, `resaleauthz-example123`,
/// `prod-0bc848d78b51`), so the length cppo generates is not the length it reads.
pub fn prefixed_id_rule(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        (1..=MAX_ID_CHARS).contains(&rest.len())
            && rest.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Declares an id made of a fixed prefix and up to [`MAX_ID_CHARS`] letters, digits and
/// hyphens ([`prefixed_id_rule`]); cppo generates `$len` alphanumerics.
macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $len:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;
            /// The length of the part after the prefix in the ids cppo generates.
            pub const LEN: usize = $len;

            pub fn parse(s: &str) -> Result<Self, RuleError> {
                let t = s.trim();
                if prefixed_id_rule(t, $prefix) {
                    Ok(Self(t.to_owned()))
                } else {
                    Err(RuleError::validation(format!(
                        concat!("`{}` is not ", $what, " id: expected `", $prefix,
                            "` and 1 to 64 letters, digits or hyphens, starting with a letter or digit"),
                        t
                    )))
                }
            }

            /// A fresh random id.
            pub fn generate() -> Self {
                Self(format!(concat!($prefix, "{}"), random_alphanumerics($len)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        eq_text!($name);

        impl FromStr for $name {
            type Err = RuleError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = RuleError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

prefixed_id!(
    /// A product, owned by one ISV.
    ProductId, "prod-", 13, "a product"
);
prefixed_id!(
    /// An opportunity (AWS: resale authorization).
    OpportunityId, "resaleauthz-", 13, "an opportunity"
);
prefixed_id!(
    /// A private offer.
    OfferId, "offer-", 13, "an offer"
);
/// An opportunity or an offer: the two records cppo exchanges with AWS (an export names one,
/// a review item points at one). Text is told apart by its prefix, once, where it comes in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordId {
    Opportunity(OpportunityId),
    Offer(OfferId),
}

impl RecordId {
    /// An opportunity's id (`resaleauthz-...`) or an offer's (`offer-...`).
    pub fn parse(s: &str) -> Result<Self, RuleError> {
        if let Ok(id) = OfferId::parse(s) {
            return Ok(Self::Offer(id));
        }
        OpportunityId::parse(s).map(Self::Opportunity).map_err(|_| {
            RuleError::validation(format!("`{s}` is neither an opportunity (resaleauthz-...) nor an offer (offer-...)"))
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Opportunity(id) => id.as_str(),
            Self::Offer(id) => id.as_str(),
        }
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl From<OpportunityId> for RecordId {
    fn from(id: OpportunityId) -> Self {
        Self::Opportunity(id)
    }
}

impl From<OfferId> for RecordId {
    fn from(id: OfferId) -> Self {
        Self::Offer(id)
    }
}

prefixed_id!(
    /// An agreement, made when a buyer accepts an offer.
    AgreementId, "agmt-", 25, "an agreement"
);
prefixed_id!(
    /// One charge of an agreement's payment plan (cppo's own).
    ChargeId, "chrg-", 13, "a charge"
);
prefixed_id!(
    /// One payment to an ISV or a partner (cppo's own).
    DisbursementId, "disb-", 13, "a disbursement"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_exactly_twelve_ascii_digits() {
        assert!(AccountId::parse("123456789012").is_ok());
        assert_eq!(AccountId::parse(" 123456789012 ").unwrap().as_str(), "123456789012");
        for bad in ["12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢", ""] {
            let err = AccountId::parse(bad).unwrap_err();
            assert!(err.message.contains("12 digits"), "{bad}: {err}");
        }
    }

    #[test]
    fn account_ids_are_taken_as_the_console_groups_them() {
        for console in ["1234-5678-9012", "1234 5678 9012", " 1234-5678-9012\n"] {
            assert_eq!(AccountId::parse(console).unwrap().as_str(), "123456789012", "{console:?}");
        }
        // Another grouping, a mix of separators or a doubled one may hide a typo: refused.
        for bad in ["123-4567-89012", "1234-5678 9012", "1234--5678-9012", "12345678-9012", "1234-5678-901"] {
            assert!(AccountId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixed_ids_check_prefix_length_and_alphabet() {
        assert!(ProductId::parse("prod-abcdefghij123").is_ok());
        assert!(ProductId::parse("offer-abcdefghij123").is_err());
        assert!(AgreementId::parse("agmt-abcdefghij1234567890abcde").is_ok());
        let e = OpportunityId::parse("resaleauthz-").unwrap_err();
        assert_eq!(
            e.message,
            "`resaleauthz-` is not an opportunity id: expected `resaleauthz-` and 1 to 64 letters, digits or hyphens, starting with a letter or digit"
        );
    }

    #[test]
    fn ids_as_aws_writes_them_parse_whatever_their_length() {
        // Every form found in AWS's own documents (tests/fixtures/aws/real/SOURCES.md).
        for ok in ["offer-1234567890", "offer-123456789", "offer-3rEXAMPLErn", "offer-a5oEXAMPLEzpu"] {
            assert_eq!(OfferId::parse(ok).unwrap().as_str(), ok);
        }
        for ok in [
            "resaleauthz-example123",
            "resaleauthz-resaleauthz-111111111111",
            "resaleauthz-1111111111111",
            "resaleauthz-6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "resaleauthz-x",
        ] {
            assert!(OpportunityId::parse(ok).is_ok(), "{ok}");
        }
        assert!(ProductId::parse("prod-0bc848d78b51").is_ok());
        assert!(AgreementId::parse("agmt-1234567890").is_ok());
        assert!(OfferId::parse(&format!("offer-{}", "a".repeat(64))).is_ok());
    }

    #[test]
    fn ids_refuse_what_aws_never_writes() {
        let too_long = format!("offer-{}", "a".repeat(65));
        for bad in ["offer-", "offer--1", "offer-_1", "offer-1@2", "offer-a b", "offer-é1", too_long.as_str(), "1234"]
        {
            let e = OfferId::parse(bad).unwrap_err();
            assert!(e.message.contains("1 to 64 letters, digits or hyphens"), "{bad}: {e}");
        }
        // Another entity's prefix is not this one's, even when it parses after it.
        assert!(ProductId::parse("product-111111111111").is_err());
        assert!(OpportunityId::parse("offer-1234567890").is_err());
    }

    #[test]
    fn generated_ids_keep_their_fixed_length() {
        assert_eq!(OfferId::generate().as_str().len(), "offer-".len() + 13);
        assert_eq!(AgreementId::generate().as_str().len(), "agmt-".len() + 25);
        assert_eq!(OpportunityId::generate().as_str().len(), "resaleauthz-".len() + OpportunityId::LEN);
    }

    #[test]
    fn seeded_ids_repeat() {
        seed_ids(Some(7));
        let a = (OfferId::generate(), ProductId::generate());
        seed_ids(Some(7));
        let b = (OfferId::generate(), ProductId::generate());
        seed_ids(None);
        assert_eq!(a, b);
        assert_ne!(OfferId::generate(), OfferId::generate());
    }

    #[test]
    fn a_record_id_is_told_apart_by_its_prefix() {
        let offer = OfferId::generate();
        assert_eq!(RecordId::parse(offer.as_str()).unwrap(), RecordId::Offer(offer));
        let opp = OpportunityId::generate();
        assert_eq!(RecordId::parse(opp.as_str()).unwrap(), RecordId::Opportunity(opp));
        let err = RecordId::parse("prod-1234567890123").unwrap_err();
        assert_eq!(
            err.message,
            "`prod-1234567890123` is neither an opportunity (resaleauthz-...) nor an offer (offer-...)"
        );
    }

    #[test]
    fn generated_ids_parse_back() {
        for _ in 0..50 {
            let o = OfferId::generate();
            assert_eq!(OfferId::parse(o.as_str()).unwrap(), o);
            let a = AgreementId::generate();
            assert_eq!(AgreementId::parse(a.as_str()).unwrap(), a);
        }
    }
}
