//! The typed refusal every rule returns: a stable code (AWS's name where AWS has one)
//! and a message that says what was wrong and what to do.

use std::fmt;

/// Why a rule refused. Codes follow AWS Marketplace's error names where the reference
/// gives one; the rest are cppo's own, in the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The input does not have the right shape (AWS `ValidationException`).
    Validation,
    /// The acting account may not do this (AWS `AccessDeniedException`).
    AccessDenied,
    /// The record is not in a state that allows this (AWS `INCOMPATIBLE_STATUS`).
    IncompatibleStatus,
    /// Something required to release is missing (AWS `MISSING_MANDATORY_TERMS`).
    MissingMandatoryTerms,
    /// A released offer needs its buyer (AWS `MISSING_BUYER_ACCOUNTS`).
    MissingBuyerAccounts,
    /// A released offer needs an expiry date (AWS `MISSING_AVAILABILITY_END_DATE`).
    MissingAvailabilityEndDate,
    /// The offer does not fit the opportunity it was made from
    /// (AWS `INCOMPATIBLE_RESALE_AUTHORIZATION`).
    IncompatibleResaleAuthorization,
    /// Buyer targeting is inconsistent (AWS `INCOMPATIBLE_BUYER_TARGETING`).
    IncompatibleBuyerTargeting,
    /// Pricing terms are inconsistent (AWS `INCOMPATIBLE_PRICING_TERM`).
    IncompatiblePricingTerm,
    /// The opportunity or offer has passed its end date.
    Expired,
    /// A one-time opportunity already has its offer.
    Consumed,
    /// Nothing is left to pay.
    NothingDue,
}

impl ErrorCode {
    /// The code as scripts see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "VALIDATION",
            Self::AccessDenied => "ACCESS_DENIED",
            Self::IncompatibleStatus => "INCOMPATIBLE_STATUS",
            Self::MissingMandatoryTerms => "MISSING_MANDATORY_TERMS",
            Self::MissingBuyerAccounts => "MISSING_BUYER_ACCOUNTS",
            Self::MissingAvailabilityEndDate => "MISSING_AVAILABILITY_END_DATE",
            Self::IncompatibleResaleAuthorization => "INCOMPATIBLE_RESALE_AUTHORIZATION",
            Self::IncompatibleBuyerTargeting => "INCOMPATIBLE_BUYER_TARGETING",
            Self::IncompatiblePricingTerm => "INCOMPATIBLE_PRICING_TERM",
            Self::Expired => "EXPIRED",
            Self::Consumed => "CONSUMED",
            Self::NothingDue => "NOTHING_DUE",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A rule of the domain said no.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    pub code: ErrorCode,
    pub message: String,
}

impl RuleError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
    pub fn denied(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::AccessDenied, message)
    }
    pub fn status(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::IncompatibleStatus, message)
    }
}

pub type RuleResult<T> = Result<T, RuleError>;

/// `text` with its control characters escaped (`\n`, `\u{1b}`): a message that echoes what
/// was typed stays one line and cannot drive the terminal.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
