//! Parties: every party is an AWS account with a legal name and one or more roles.

use serde::{Deserialize, Serialize};

use super::error::RuleError;
use super::ids::AccountId;

/// What an account may act as. One account may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Roles {
    pub isv: bool,
    pub partner: bool,
    pub buyer: bool,
}

impl Roles {
    pub fn any(self) -> bool {
        self.isv || self.partner || self.buyer
    }
    /// At least one role; a distributor is a kind of partner.
    pub fn check(self, partner_kind: Option<PartnerKind>) -> Result<(), RuleError> {
        if !self.any() {
            return Err(RuleError::validation("an account needs at least one role: ISV, partner or buyer"));
        }
        if partner_kind == Some(PartnerKind::Distributor) && !self.partner {
            return Err(RuleError::validation("a distributor is a partner: give it the partner role too"));
        }
        Ok(())
    }
    /// The roles as JSON lists them: `isv`, `partner`, `buyer`.
    pub fn names(self) -> Vec<&'static str> {
        [(self.isv, "isv"), (self.partner, "partner"), (self.buyer, "buyer")]
            .into_iter()
            .filter_map(|(on, n)| on.then_some(n))
            .collect()
    }
}

/// How AWS classes a reseller (`ResellerRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    ChannelPartner,
    Distributor,
}

impl PartnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChannelPartner => "channel_partner",
            Self::Distributor => "distributor",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "channel_partner" => Some(Self::ChannelPartner),
            "distributor" => Some(Self::Distributor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub roles: Roles,
    /// Set for partners: channel partner (default) or distributor.
    pub partner_kind: Option<PartnerKind>,
}

impl Account {
    /// Validates a new account: a legal name of 1-255 characters and at least one role.
    pub fn new(id: AccountId, name: &str, roles: Roles, partner_kind: Option<PartnerKind>) -> Result<Self, RuleError> {
        let name = validate_text("legal name", name, 1, 255)?;
        roles.check(partner_kind)?;
        let partner_kind = roles.partner.then(|| partner_kind.unwrap_or(PartnerKind::ChannelPartner));
        Ok(Self { id, name, roles, partner_kind })
    }
}

/// Trims `s` and checks its length in characters; names must start with a non-space.
pub fn validate_text(what: &str, s: &str, min: usize, max: usize) -> Result<String, RuleError> {
    let t = s.trim();
    let n = t.chars().count();
    if n < min {
        let least = if min == 1 { "one character".to_owned() } else { format!("{min} characters") };
        let short = if n == 0 { "is empty" } else { "is too short" };
        return Err(RuleError::validation(format!("{what} {short}: type at least {least}")));
    }
    if n > max {
        return Err(RuleError::validation(format!("{what} is {n} characters long: at most {max} are allowed")));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(RuleError::validation(format!("{what} contains a control character")));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_needs_a_name_and_a_role() {
        let id = AccountId::parse("111122223333").unwrap();
        assert!(Account::new(id.clone(), "  ", Roles { isv: true, ..Roles::default() }, None).is_err());
        assert!(Account::new(id.clone(), "Acme", Roles::default(), None).is_err());
        let long = "x".repeat(256);
        assert!(Account::new(id.clone(), &long, Roles { buyer: true, ..Roles::default() }, None).is_err());
        let a = Account::new(id, " Acme ", Roles { partner: true, ..Roles::default() }, None).unwrap();
        assert_eq!(a.name, "Acme");
        assert_eq!(a.partner_kind, Some(PartnerKind::ChannelPartner));
        assert_eq!(a.roles.names(), vec!["partner"]);
    }
}
