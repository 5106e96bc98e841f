//! A validator for AWS Marketplace Catalog API `StartChangeSet` requests, the JSON that
//! `aws marketplace-catalog start-change-set --cli-input-json file://…` sends, limited to the
//! two entity types a Consulting Partner Private Offer uses: `ResaleAuthorization@1.0` and
//! `Offer@1.0`. [`check_start_change_set`] returns every violation it finds, each as
//! `<JSON path>: <problem>`; an empty list means the request is valid.
//!
//! What it checks:
//! - the envelope, as botocore's `StartChangeSetRequest` shape: `Catalog` = "AWSMarketplace",
//!   1-20 changes, `ChangeSetName`, `ClientRequestToken`, `ChangeSetTags`, `Intent`, and no
//!   unknown members (the CLI rejects them);
//! - each change: `ChangeType` known for its `Entity.Type`, `Identifier` pattern or a
//!   `$<ChangeName>.Entity.Identifier` reference to an earlier change, `ChangeName` letters
//!   only and unique, exactly one of `Details` (a JSON string) and `DetailsDocument`;
//! - the set as a whole: a create change has a `ChangeName` and no `Identifier`, any other
//!   change has an `Identifier`, one change type targets an entity at most once, and a
//!   release change is the last change for its entity;
//! - each `DetailsDocument` against its change type: required and unknown members, JSON
//!   types, enumerations, ids, account ids, calendar dates, ISO-8601 durations, currencies,
//!   decimal prices, markup percentages, legal documents' `Url` rule, payment schedules and
//!   rate cards.
//!
//! Sources: botocore's `marketplace-catalog` 2018-09-17 `service-2.json` (envelope) and the
//! AWS Marketplace API Reference pages on resale authorizations and CPPOs with AWS's
//! published DetailsDocument shapes, as summarised in `aws-cppo-facts.md` §1.6, §3.2, §3.3
//! and §5. Where a source names a rule without a pattern (such as a legal document's `Url`)
//! the check is the smallest one that follows its words. Asynchronous checks AWS makes
//! against live data (product state, dates in the future, prices compared with the
//! authorization's) are out of scope.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

/// Every violation in a `StartChangeSet` request; empty when it is valid.
pub fn check_start_change_set(v: &Value) -> Vec<String> {
    let mut c = Check::default();
    c.request(v);
    c.errors
}

const RA: &str = "ResaleAuthorization@1.0";
const OFFER: &str = "Offer@1.0";

const RA_CHANGES: &[&str] = &[
    "CreateResaleAuthorization",
    "UpdateInformation",
    "UpdateBuyerTargetingTerms",
    "UpdateAvailability",
    "UpdateBuyerValidityTerms",
    "UpdateLegalTerms",
    "UpdatePricingTerms",
    "UpdatePaymentScheduleTerms",
    "UpdateNetPaymentTerms",
    "ReleaseResaleAuthorization",
    "RestrictResaleAuthorization",
];
const OFFER_CHANGES: &[&str] = &[
    "CreateOfferUsingResaleAuthorization",
    "CreateReplacementOfferUsingResaleAuthorization",
    "UpdateMarkup",
    "UpdateTargeting",
    "UpdateLegalTerms",
    "UpdateAvailability",
    "UpdateValidityTerms",
    "UpdatePricingTerms",
    "UpdatePaymentScheduleTerms",
    "UpdateNetPaymentTerms",
    "UpdateInformation",
    "ReleaseOffer",
];
const CREATES: &[&str] = &[
    "CreateResaleAuthorization",
    "CreateOfferUsingResaleAuthorization",
    "CreateReplacementOfferUsingResaleAuthorization",
];
const RELEASES: &[&str] = &["ReleaseResaleAuthorization", "ReleaseOffer"];

const RA_CURRENCIES: &[&str] = &["USD", "EUR", "GBP", "AUD", "JPY"];
/// The offer appendix's enumeration also has CAD.
const OFFER_CURRENCIES: &[&str] = &["USD", "EUR", "GBP", "AUD", "JPY", "CAD"];
const NET_PERIODS: &[&str] = &["P15D", "P30D", "P45D", "P60D", "P90D", "P120D"];
const ACQUISITION_CHANNELS: &[&str] = &["AwsMarketplace", "External"];
const PREEXISTING_MODELS: &[&str] = &["Contract", "Usage", "Byol", "Free"];
const ALLOWED: &[&str] = &["Allowed", "Disallowed"];
const STANDARD_EULA_VERSIONS: &[&str] = &["2019-04-24", "2022-07-14", "2019-12-12"];

type Obj = Map<String, Value>;

#[derive(Default)]
struct Check {
    errors: Vec<String>,
}

/// What the set-level rules remember about a change that has a `ChangeName`.
struct Named {
    index: usize,
    entity_type: String,
    entity_key: String,
}

/// What the set-level rules remember while walking the changes in order.
#[derive(Default)]
struct SetState {
    /// The first change of each `ChangeName` in the whole set, to tell "later" from "unknown".
    all_names: HashMap<String, usize>,
    /// The changes walked so far that have a `ChangeName`.
    named: HashMap<String, Named>,
    /// (entity key, change type) pairs seen so far.
    targeted: HashSet<(String, String)>,
    /// Entity key → the change that released it.
    released: HashMap<String, usize>,
}

/// The change being walked: its index, path, change type and entity type.
struct At<'a> {
    index: usize,
    path: &'a str,
    change_type: &'a str,
    entity_type: &'a str,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---- character-level patterns (the crate has no regex dependency) ----

fn all(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}
/// `\w` as Java and botocore's models mean it: ASCII letters, digits and `_`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}
fn digits(s: &str, n: usize) -> bool {
    s.len() == n && all(s, |c| c.is_ascii_digit())
}
/// `<prefix>` followed by 13 ASCII letters or digits, as `prod-`, `resaleauthz-`, `offer-` ids.
fn prefixed_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|r| r.len() == 13 && all(r, |c| c.is_ascii_alphanumeric()))
}
/// `^\d+(\.\d+)?$`, and at most `max_decimals` digits after the point.
fn decimal(s: &str, max_decimals: usize) -> bool {
    match s.split_once('.') {
        None => all(s, |c| c.is_ascii_digit()),
        Some((i, f)) => all(i, |c| c.is_ascii_digit()) && all(f, |c| c.is_ascii_digit()) && f.len() <= max_decimals,
    }
}
/// `^(\d*\.)?\d{1,9}$`.
fn percentage(s: &str) -> bool {
    let frac = s.rsplit_once('.').map_or(s, |(i, f)| if i.chars().all(|c| c.is_ascii_digit()) { f } else { "" });
    (1..=9).contains(&frac.len()) && all(frac, |c| c.is_ascii_digit())
}
/// `^P(\d+Y)?(\d+M)?(\d+D)?$` with at least one part.
fn duration(s: &str) -> bool {
    let Some(mut rest) = s.strip_prefix('P') else { return false };
    let mut parts = 0;
    for unit in ['Y', 'M', 'D'] {
        let n = rest.chars().take_while(char::is_ascii_digit).count();
        if n > 0 && rest[n..].starts_with(unit) {
            rest = &rest[n + 1..];
            parts += 1;
        }
    }
    parts > 0 && rest.is_empty()
}
/// `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar.
fn calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !s.is_ascii() || s.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(&s[..4], 4) || !digits(&s[5..7], 2) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (s[..4].parse::<u32>(), s[5..7].parse::<u32>(), s[8..].parse::<u32>()) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    digits(&s[8..], 2) && (1..=days).contains(&d)
}
/// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, the tag key and value pattern.
fn tag_text(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}
/// `s` quoted, shortened to 40 characters for a message.
fn show(s: &str) -> String {
    if s.chars().count() <= 40 { format!("{s:?}") } else { format!("{:?}…", s.chars().take(40).collect::<String>()) }
}

/// `$<ChangeName>.Entity.Identifier` → `ChangeName`.
fn reference(s: &str) -> Option<&str> {
    s.strip_prefix('$')?.strip_suffix(".Entity.Identifier")
}

impl Check {
    fn err(&mut self, path: &str, msg: impl std::fmt::Display) {
        let path = if path.is_empty() { "(request)" } else { path };
        self.errors.push(format!("{path}: {msg}"));
    }

    // ---- generic shape helpers ----

    /// `v` as an object holding every `required` member and nothing outside `required` and `optional`.
    fn object<'a>(&mut self, path: &str, v: &'a Value, required: &[&str], optional: &[&str]) -> Option<&'a Obj> {
        let Some(o) = v.as_object() else {
            self.err(path, format!("expected an object, found {}", kind(v)));
            return None;
        };
        self.members(path, o, required, optional);
        Some(o)
    }

    /// `o` holds every `required` member and nothing outside `required` and `optional`.
    fn members(&mut self, path: &str, o: &Obj, required: &[&str], optional: &[&str]) {
        for r in required.iter().filter(|r| !o.contains_key(**r)) {
            self.err(path, format!("missing required member {r}"));
        }
        for k in o.keys().filter(|k| !required.contains(&k.as_str()) && !optional.contains(&k.as_str())) {
            let known = required.iter().chain(optional).copied().collect::<Vec<_>>().join(", ");
            let known = if known.is_empty() { "none: it must be {}".to_string() } else { format!("known: {known}") };
            self.err(path, format!("unknown member {k} ({known})"));
        }
    }

    /// An object that must be `{}`.
    fn empty(&mut self, path: &str, v: &Value) {
        self.object(path, v, &[], &[]);
    }

    /// Member `key` of `o`, if present, as a string of `min..=max` characters.
    fn text<'a>(&mut self, o: &'a Obj, path: &str, key: &str, min: usize, max: usize) -> Option<&'a str> {
        let v = o.get(key)?;
        let path = join(path, key);
        let Some(s) = v.as_str() else {
            self.err(&path, format!("expected a string, found {} {v}", kind(v)));
            return None;
        };
        let n = s.chars().count();
        if n < min || n > max {
            self.err(&path, format!("{} has {n} characters; allowed {min}-{max}", show(s)));
        }
        Some(s)
    }

    /// Member `key`, if present, as a string for which `ok` holds; `pattern` names the rule.
    fn matching(&mut self, o: &Obj, path: &str, key: &str, ok: fn(&str) -> bool, pattern: &str) -> Option<String> {
        let s = self.text(o, path, key, 0, usize::MAX)?;
        if !ok(s) {
            self.err(&join(path, key), format!("{s:?} does not match {pattern}"));
        }
        Some(s.to_string())
    }

    /// Member `key`, if present, as one of `allowed`.
    fn one_of(&mut self, o: &Obj, path: &str, key: &str, allowed: &[&str]) -> Option<String> {
        let s = self.text(o, path, key, 0, usize::MAX)?;
        if !allowed.contains(&s) {
            self.err(&join(path, key), format!("{s:?} is not one of {}", allowed.join(", ")));
        }
        Some(s.to_string())
    }

    fn date(&mut self, o: &Obj, path: &str, key: &str) -> Option<String> {
        let s = self.text(o, path, key, 0, usize::MAX)?;
        if !calendar_date(s) {
            self.err(&join(path, key), format!("{s:?} is not a calendar date YYYY-MM-DD"));
        }
        Some(s.to_string())
    }

    fn duration(&mut self, o: &Obj, path: &str, key: &str) -> Option<String> {
        self.matching(o, path, key, duration, r"^P(\d+Y)?(\d+M)?(\d+D)?$ with at least one part")
    }

    fn account(&mut self, path: &str, v: &Value) {
        match v.as_str() {
            Some(s) if digits(s, 12) => {}
            Some(s) => self.err(path, format!("{s:?} does not match ^\\d{{12}}$ (a 12-digit AWS account id)")),
            None => self.err(path, format!("expected a 12-digit account id string, found {} {v}", kind(v))),
        }
    }

    /// Member `key`, if present, as an array of `min..=max` items.
    fn array<'a>(&mut self, o: &'a Obj, path: &str, key: &str, min: usize, max: usize) -> Option<&'a [Value]> {
        let v = o.get(key)?;
        let path = join(path, key);
        let Some(a) = v.as_array() else {
            self.err(&path, format!("expected an array, found {}", kind(v)));
            return None;
        };
        if a.len() < min || a.len() > max {
            self.err(&path, format!("has {} items; allowed {min}-{max}", a.len()));
        }
        Some(a)
    }

    /// Member `key`, if present, as an integer in `min..=max`.
    fn integer(&mut self, o: &Obj, path: &str, key: &str, min: u64, max: u64) {
        let Some(v) = o.get(key) else { return };
        let path = join(path, key);
        match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => {}
            Some(n) if min == max => self.err(&path, format!("{n} is not allowed; the only value is {min}")),
            Some(n) if max == u64::MAX => self.err(&path, format!("{n} is less than {min}")),
            Some(n) => self.err(&path, format!("{n} is outside {min}-{max}")),
            None => self.err(&path, format!("expected an integer, found {} {v}", kind(v))),
        }
    }

    fn at_least_one(&mut self, o: &Obj, path: &str, keys: &[&str]) {
        if !keys.iter().any(|k| o.contains_key(*k)) {
            self.err(path, format!("needs at least one of {}", keys.join(", ")));
        }
    }

    fn tags(&mut self, o: &Obj, parent: &str, key: &str) {
        let path = join(parent, key);
        for (i, t) in self.array(o, parent, key, 1, 200).unwrap_or_default().iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(t) = self.object(&p, t, &["Key", "Value"], &[]) else { continue };
            for (k, min, max) in [("Key", 1, 128), ("Value", 0, 256)] {
                if let Some(s) = self.text(t, &p, k, min, max)
                    && !tag_text(s)
                {
                    self.err(&join(&p, k), format!("{s:?} does not match ^([\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*)$"));
                }
            }
        }
    }

    // ---- the envelope and the set-level rules ----

    fn request(&mut self, v: &Value) {
        let optional = ["ChangeSetName", "ClientRequestToken", "ChangeSetTags", "Intent"];
        let Some(o) = self.object("", v, &["Catalog", "ChangeSet"], &optional) else { return };
        if let Some(c) = o.get("Catalog")
            && c != "AWSMarketplace"
        {
            self.err("Catalog", format!("{c} must be \"AWSMarketplace\""));
        }
        if let Some(s) = self.text(o, "", "ChangeSetName", 1, 100)
            && !all(s, |c| is_word(c) || c.is_whitespace() || "+=.:@-".contains(c))
        {
            self.err("ChangeSetName", format!("{s:?} does not match ^[\\w\\s+=.:@-]+$"));
        }
        if let Some(s) = self.text(o, "", "ClientRequestToken", 1, 64)
            && !all(s, |c| ('!'..='~').contains(&c))
        {
            self.err("ClientRequestToken", format!("{s:?} does not match ^[!-~]+$"));
        }
        if o.contains_key("ChangeSetTags") {
            self.tags(o, "", "ChangeSetTags");
        }
        self.one_of(o, "", "Intent", &["VALIDATE", "APPLY"]);
        if let Some(changes) = self.array(o, "", "ChangeSet", 1, 20) {
            self.changes(changes);
        }
    }

    fn changes(&mut self, changes: &[Value]) {
        let mut set = SetState::default();
        for (i, c) in changes.iter().enumerate().rev() {
            if let Some(name) = c.get("ChangeName").and_then(Value::as_str) {
                set.all_names.insert(name.to_string(), i);
            }
        }
        for (i, change) in changes.iter().enumerate() {
            let path = format!("ChangeSet[{i}]");
            let optional = ["ChangeName", "Details", "DetailsDocument", "EntityTags"];
            let Some(o) = self.object(&path, change, &["ChangeType", "Entity"], &optional) else { continue };
            let change_type = self.change_type(o, &path);
            let (entity_type, identifier) = self.entity(o, &path);
            let name = self.change_name(o, &path, &set.named);
            if o.contains_key("EntityTags") {
                self.tags(o, &path, "EntityTags");
            }
            let (Some(change_type), Some(entity_type)) = (change_type, entity_type) else { continue };
            let known = if entity_type == RA { RA_CHANGES } else { OFFER_CHANGES };
            if !known.contains(&change_type.as_str()) {
                self.err(&join(&path, "ChangeType"), format!("{change_type:?} is not a change type of {entity_type}"));
                continue;
            }
            let at = At { index: i, path: &path, change_type: &change_type, entity_type: &entity_type };
            let entity_key = self.entity_key(&at, identifier.as_deref(), name.as_deref(), &set);
            if let Some(n) = name {
                let key = entity_key.clone().unwrap_or_default();
                set.named.insert(n, Named { index: i, entity_type: entity_type.clone(), entity_key: key });
            }
            if let Some(key) = entity_key {
                self.once_and_before_release(&at, key, &mut set);
            }
            self.details_member(o, &path, &entity_type, &change_type);
        }
    }

    /// The entity a change targets, as a key comparable across changes: `<Type>/$<ChangeName>`
    /// for one created in the set, `<Type>/<Identifier>` otherwise.
    fn entity_key(&mut self, at: &At, identifier: Option<&str>, name: Option<&str>, set: &SetState) -> Option<String> {
        let (path, change_type, entity_type) = (at.path, at.change_type, at.entity_type);
        match (identifier, CREATES.contains(&change_type), name) {
            (Some(id), true, _) => {
                let msg = format!("{id:?}: a {change_type} change has no Identifier");
                self.err(&join(path, "Entity.Identifier"), msg);
                None
            }
            (None, true, None) => {
                self.err(path, format!("a {change_type} change needs a ChangeName so later changes can refer to it"));
                None
            }
            (None, true, Some(n)) => Some(format!("{entity_type}/${n}")),
            (None, false, _) => {
                self.err(&join(path, "Entity"), format!("missing Identifier (required by {change_type})"));
                None
            }
            (Some(id), false, _) => self.resolve(at, id, set),
        }
    }

    /// One change type per entity, and nothing after the entity's release.
    fn once_and_before_release(&mut self, at: &At, key: String, set: &mut SetState) {
        if let Some(r) = set.released.get(&key) {
            let msg = format!("targets an entity released by ChangeSet[{r}]; the release must be its last change");
            self.err(at.path, msg);
        }
        if !set.targeted.insert((key.clone(), at.change_type.to_string())) {
            self.err(at.path, format!("{} targets the same entity twice in one change set", at.change_type));
        }
        if RELEASES.contains(&at.change_type) {
            set.released.insert(key, at.index);
        }
    }

    fn change_type(&mut self, o: &Obj, path: &str) -> Option<String> {
        let s = self.text(o, path, "ChangeType", 1, 255)?;
        let mut chars = s.chars();
        if !(chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(is_word)) {
            self.err(&join(path, "ChangeType"), format!("{s:?} does not match ^[A-Z][\\w]*$"));
            return None;
        }
        Some(s.to_string())
    }

    /// `Entity {Type, Identifier?}`: the type if supported, and the identifier as written.
    fn entity(&mut self, o: &Obj, path: &str) -> (Option<String>, Option<String>) {
        let path = join(path, "Entity");
        let Some(e) = o.get("Entity").and_then(|e| self.object(&path, e, &["Type"], &["Identifier"])) else {
            return (None, None);
        };
        let entity_type = self.one_of(e, &path, "Type", &[RA, OFFER]).filter(|t| t == RA || t == OFFER);
        let identifier = self.text(e, &path, "Identifier", 1, 255).map(str::to_string);
        (entity_type, identifier)
    }

    fn change_name(&mut self, o: &Obj, path: &str, named: &HashMap<String, Named>) -> Option<String> {
        let s = self.text(o, path, "ChangeName", 1, 72)?;
        let path = join(path, "ChangeName");
        if !all(s, |c| c.is_ascii_alphabetic()) {
            self.err(&path, format!("{s:?} does not match ^[a-zA-Z]+$"));
        }
        if let Some(prev) = named.get(s) {
            self.err(&path, format!("{s:?} is already the name of ChangeSet[{}]", prev.index));
        }
        Some(s.to_string())
    }

    /// The entity key of an `Identifier`: itself, or that of the earlier change it refers to.
    fn resolve(&mut self, at: &At, id: &str, set: &SetState) -> Option<String> {
        let (entity_type, index) = (at.entity_type, at.index);
        let path = join(at.path, "Entity.Identifier");
        if !id.starts_with('$') {
            if !all(id, |c| is_word(c) || c == '-' || c == '@') {
                self.err(&path, format!("{id:?} does not match ^[\\w\\-@]+$"));
            }
            return Some(format!("{entity_type}/{id}"));
        }
        let Some(name) = reference(id) else {
            self.err(&path, format!("{id:?} is neither an identifier nor a $<ChangeName>.Entity.Identifier reference"));
            return None;
        };
        match (set.named.get(name), set.all_names.get(name)) {
            (Some(n), _) if n.entity_type != entity_type => {
                self.err(
                    &path,
                    format!("{id:?} refers to a change on a {} entity, not on {entity_type}", n.entity_type),
                );
                None
            }
            (Some(n), _) => Some(n.entity_key.clone()).filter(|k| !k.is_empty()),
            (None, Some(&other)) if other >= index => {
                self.err(&path, format!("{id:?} refers to ChangeSet[{other}], which is not earlier in the set"));
                None
            }
            (None, Some(&other)) => {
                self.err(&path, format!("{id:?} refers to ChangeSet[{other}], which is itself invalid"));
                None
            }
            _ => {
                self.err(&path, format!("{id:?} refers to no ChangeName in the set"));
                None
            }
        }
    }

    /// Exactly one of `Details` (a JSON object as a string) and `DetailsDocument`, then its shape.
    fn details_member(&mut self, o: &Obj, path: &str, entity_type: &str, change_type: &str) {
        let parsed;
        let (dpath, doc) = match (o.get("Details"), o.get("DetailsDocument")) {
            (Some(_), Some(_)) => return self.err(path, "has both Details and DetailsDocument; give exactly one"),
            (None, None) => return self.err(path, "missing DetailsDocument (or Details)"),
            (None, Some(d)) => (join(path, "DetailsDocument"), d),
            (Some(_), None) => {
                let dpath = join(path, "Details");
                let Some(s) = self.text(o, path, "Details", 2, 16384) else { return };
                match serde_json::from_str::<Value>(s) {
                    Ok(v) => parsed = v,
                    Err(e) => return self.err(&dpath, format!("is not JSON: {e}")),
                }
                (dpath, &parsed)
            }
        };
        if doc.is_object() && doc.to_string().len() > 16384 {
            self.err(&dpath, "is longer than 16,384 characters as JSON");
        }
        if entity_type == RA {
            self.ra_details(&dpath, change_type, doc);
        } else {
            self.offer_details(&dpath, change_type, doc);
        }
    }

    // ---- DetailsDocument per change type ----

    fn ra_details(&mut self, p: &str, change_type: &str, d: &Value) {
        match change_type {
            "CreateResaleAuthorization" => {
                let Some(o) = self.object(p, d, &["ProductId", "Name", "ResellerAccountId"], &["Description"]) else {
                    return;
                };
                self.product_id(o, p);
                self.name(o, p, 100);
                self.text(o, p, "Description", 1, 255);
                if let Some(a) = o.get("ResellerAccountId") {
                    self.account(&join(p, "ResellerAccountId"), a);
                }
            }
            "UpdateInformation" => {
                let keys = ["Name", "Description", "PreExistingBuyerAgreement"];
                let Some(o) = self.object(p, d, &[], &keys) else { return };
                self.at_least_one(o, p, &keys);
                self.name(o, p, 100);
                self.text(o, p, "Description", 1, 255);
                self.pre_existing(o, p, "PreExistingBuyerAgreement");
            }
            "UpdateAvailability" => {
                let keys = ["AvailabilityEndDate", "OffersMaxQuantity"];
                let Some(o) = self.object(p, d, &[], &keys) else { return };
                self.at_least_one(o, p, &keys);
                self.date(o, p, "AvailabilityEndDate");
                self.integer(o, p, "OffersMaxQuantity", 1, 1);
            }
            "UpdatePricingTerms" => self.ra_pricing(p, d),
            "ReleaseResaleAuthorization" | "RestrictResaleAuthorization" => self.empty(p, d),
            _ => {
                let (min, max, types): (usize, usize, &[&str]) = match change_type {
                    "UpdateBuyerTargetingTerms" => (1, 1, &["BuyerTargetingTerm"]),
                    "UpdateBuyerValidityTerms" => (1, 1, &["BuyerValidityTerm"]),
                    "UpdateLegalTerms" => (1, 2, &["BuyerLegalTerm", "ResaleLegalTerm"]),
                    "UpdatePaymentScheduleTerms" => (0, 1, &["ResalePaymentScheduleTerm"]),
                    _ => (0, 1, &["ResaleNetPaymentTerm"]),
                };
                let terms = self.terms_document(p, d, &[], min, max, types);
                let has_terms = d.get("Terms").is_some_and(Value::is_array);
                if change_type == "UpdateLegalTerms"
                    && has_terms
                    && !terms.iter().any(|(_, _, t)| t == "BuyerLegalTerm")
                {
                    self.err(&join(p, "Terms"), "needs a BuyerLegalTerm");
                }
            }
        }
    }

    fn offer_details(&mut self, p: &str, change_type: &str, d: &Value) {
        match change_type {
            "CreateOfferUsingResaleAuthorization" => {
                let optional = ["Name", "Description", "OfferSetId"];
                let Some(o) = self.object(p, d, &["ResaleAuthorizationId"], &optional) else { return };
                self.resale_authorization_id(o, p);
                self.name(o, p, 150);
                self.text(o, p, "Description", 1, 255);
                self.text(o, p, "OfferSetId", 1, 50);
            }
            "CreateReplacementOfferUsingResaleAuthorization" => {
                let required = ["ResaleAuthorizationId", "AgreementId"];
                let Some(o) = self.object(p, d, &required, &["Name", "Description"]) else { return };
                self.resale_authorization_id(o, p);
                if let Some(s) = self.text(o, p, "AgreementId", 1, 64)
                    && !all(s, |c| c.is_ascii_alphanumeric() || "_/-".contains(c))
                {
                    self.err(&join(p, "AgreementId"), format!("{s:?} does not match ^[A-Za-z0-9_/-]+$"));
                }
                self.name(o, p, 150);
                self.text(o, p, "Description", 1, 255);
            }
            "UpdateMarkup" => {
                let Some(o) = self.object(p, d, &["Percentage"], &[]) else { return };
                self.matching(o, p, "Percentage", percentage, r"^(\d*\.)?\d{1,9}$");
            }
            "UpdateTargeting" => self.offer_targeting(p, d),
            "UpdateAvailability" => {
                let Some(o) = self.object(p, d, &["AvailabilityEndDate"], &[]) else { return };
                self.date(o, p, "AvailabilityEndDate");
            }
            "UpdateInformation" => {
                let keys = ["Name", "Description", "PreExistingAgreement"];
                let Some(o) = self.object(p, d, &[], &keys) else { return };
                self.at_least_one(o, p, &keys);
                self.name(o, p, 150);
                self.text(o, p, "Description", 1, 255);
                self.pre_existing(o, p, "PreExistingAgreement");
            }
            "UpdatePricingTerms" => {
                self.terms_document(p, d, &["PricingModel"], 1, 1, &["FixedUpfrontPricingTerm"]);
                if let Some(o) = d.as_object() {
                    self.one_of(o, p, "PricingModel", &["Contract"]);
                }
            }
            "ReleaseOffer" => self.empty(p, d),
            _ => {
                let (min, max, types): (usize, usize, &[&str]) = match change_type {
                    "UpdateLegalTerms" => (1, 1, &["LegalTerm"]),
                    "UpdateValidityTerms" => (1, 1, &["ValidityTerm"]),
                    "UpdatePaymentScheduleTerms" => (0, 1, &["PaymentScheduleTerm"]),
                    _ => (0, 1, &["NetPaymentTerm"]),
                };
                self.terms_document(p, d, &[], min, max, types);
            }
        }
    }

    fn product_id(&mut self, o: &Obj, p: &str) {
        self.matching(o, p, "ProductId", |s| prefixed_id(s, "prod-"), "^prod-[a-zA-Z0-9]{13}$");
    }

    fn resale_authorization_id(&mut self, o: &Obj, p: &str) {
        let pattern = "^resaleauthz-[a-zA-Z0-9]{13}$";
        self.matching(o, p, "ResaleAuthorizationId", |s| prefixed_id(s, "resaleauthz-"), pattern);
    }

    /// `Name` of `1..=max` characters that starts with a non-space (`^\S+[\S\s]*$`).
    fn name(&mut self, o: &Obj, p: &str, max: usize) {
        if let Some(s) = self.text(o, p, "Name", 1, max)
            && s.starts_with(char::is_whitespace)
        {
            self.err(&join(p, "Name"), format!("{s:?} starts with a space"));
        }
    }

    fn pre_existing(&mut self, o: &Obj, p: &str, key: &str) {
        let path = join(p, key);
        let Some(v) = o.get(key) else { return };
        let Some(pe) = self.object(&path, v, &["AcquisitionChannel", "PricingModel"], &[]) else { return };
        self.one_of(pe, &path, "AcquisitionChannel", ACQUISITION_CHANNELS);
        self.one_of(pe, &path, "PricingModel", PREEXISTING_MODELS);
    }

    fn offer_targeting(&mut self, p: &str, d: &Value) {
        let keys = ["PositiveTargeting", "NegativeTargeting"];
        let Some(o) = self.object(p, d, &[], &keys) else { return };
        self.at_least_one(o, p, &keys);
        if let Some(v) = o.get("PositiveTargeting") {
            let path = join(p, "PositiveTargeting");
            if let Some(t) = self.object(&path, v, &[], &["BuyerAccounts", "CountryCodes"]) {
                self.at_least_one(t, &path, &["BuyerAccounts", "CountryCodes"]);
                self.buyer_accounts(t, &path);
                self.country_codes(t, &path);
            }
        }
        if let Some(v) = o.get("NegativeTargeting") {
            let path = join(p, "NegativeTargeting");
            if let Some(t) = self.object(&path, v, &["CountryCodes"], &[]) {
                self.country_codes(t, &path);
            }
        }
    }

    /// `BuyerAccounts`: 1-25 distinct 12-digit account id strings.
    fn buyer_accounts(&mut self, o: &Obj, p: &str) {
        let path = join(p, "BuyerAccounts");
        let accounts = self.array(o, p, "BuyerAccounts", 1, 25).unwrap_or_default();
        let mut seen = HashSet::new();
        for (i, a) in accounts.iter().enumerate() {
            self.account(&format!("{path}[{i}]"), a);
            if !seen.insert(a.to_string()) {
                self.err(&format!("{path}[{i}]"), format!("{a} is listed twice"));
            }
        }
    }

    fn country_codes(&mut self, o: &Obj, p: &str) {
        let path = join(p, "CountryCodes");
        for (i, c) in self.array(o, p, "CountryCodes", 1, 244).unwrap_or_default().iter().enumerate() {
            if !c.as_str().is_some_and(|s| s.len() == 2 && all(s, |c| c.is_ascii_uppercase())) {
                self.err(&format!("{path}[{i}]"), format!("{c} is not an ISO 3166-1 alpha-2 code"));
            }
        }
    }

    // ---- terms ----

    /// A `{Terms: [...], <extra>}` document whose terms have a `Type` in `types`, each at most
    /// once; checks each term's shape and returns the terms that have a known type.
    fn terms_document<'a>(
        &mut self,
        p: &str,
        d: &'a Value,
        extra: &[&str],
        min: usize,
        max: usize,
        types: &[&str],
    ) -> Vec<(String, &'a Obj, String)> {
        let mut required = vec!["Terms"];
        required.extend_from_slice(extra);
        let Some(o) = self.object(p, d, &required, &[]) else { return Vec::new() };
        let terms_path = join(p, "Terms");
        let mut out: Vec<(String, &Obj, String)> = Vec::new();
        for (i, t) in self.array(o, p, "Terms", min, max).unwrap_or_default().iter().enumerate() {
            let tp = format!("{terms_path}[{i}]");
            let Some(term) = t.as_object() else {
                self.err(&tp, format!("expected an object, found {}", kind(t)));
                continue;
            };
            if !term.contains_key("Type") {
                self.err(&tp, "missing required member Type");
            }
            let Some(ty) = self.one_of(term, &tp, "Type", types) else { continue };
            if !types.contains(&ty.as_str()) {
                continue;
            }
            if out.iter().any(|(_, _, t)| *t == ty) {
                self.err(&tp, format!("a second {ty}; each term type may appear once"));
            }
            self.term(&tp, term, &ty);
            out.push((tp, term, ty));
        }
        out
    }

    fn term(&mut self, p: &str, t: &Obj, ty: &str) {
        match ty {
            "BuyerTargetingTerm" => {
                self.members(p, t, &["Type", "PositiveTargeting"], &[]);
                let path = join(p, "PositiveTargeting");
                if let Some(pt) =
                    t.get("PositiveTargeting").and_then(|x| self.object(&path, x, &["BuyerAccounts"], &[]))
                {
                    self.buyer_accounts(pt, &path);
                }
            }
            "BuyerValidityTerm" => {
                self.members(p, t, &["Type", "MaximumAgreementStartDate"], &[]);
                self.date(t, p, "MaximumAgreementStartDate");
            }
            "BuyerLegalTerm" | "ResaleLegalTerm" | "LegalTerm" => {
                self.members(p, t, &["Type", "Documents"], &[]);
                self.documents(p, t, ty);
            }
            "ResaleUsageBasedPricingTerm" | "ResaleConfigurableUpfrontPricingTerm" => self.rate_card_term(p, t, ty),
            "ResaleFixedUpfrontPricingTerm" | "FixedUpfrontPricingTerm" => {
                self.members(p, t, &["Type", "CurrencyCode", "Price", "Duration", "Grants"], &[]);
                self.currency(t, p, ty);
                let price = self.matching(t, p, "Price", |s| decimal(s, usize::MAX), r"^\d+(\.\d+)?$");
                if ty.starts_with("Resale") && price.is_some_and(|s| s.chars().any(|c| c.is_ascii_digit() && c != '0'))
                {
                    self.err(
                        &join(p, "Price"),
                        "must be 0 on a resale authorization (the amounts are in the payment schedule)",
                    );
                }
                self.duration(t, p, "Duration");
                self.grants(p, t, if ty.starts_with("Resale") { 200 } else { 800 });
            }
            "ResalePaymentScheduleTerm" | "PaymentScheduleTerm" => {
                let currency: &[&str] = if ty.starts_with("Resale") { &["CurrencyCode"] } else { &[] };
                let optional: &[&str] = if ty.starts_with("Resale") { &[] } else { &["CurrencyCode"] };
                self.members(p, t, &[&["Type", "Schedule"], currency].concat(), optional);
                self.currency(t, p, ty);
                self.schedule(p, t);
            }
            "ResaleNetPaymentTerm" | "NetPaymentTerm" => {
                self.members(p, t, &["Type", "PaymentDuePeriod"], &[]);
                self.one_of(t, p, "PaymentDuePeriod", NET_PERIODS);
            }
            _ => self.validity_term(p, t),
        }
    }

    fn currency(&mut self, t: &Obj, p: &str, ty: &str) {
        let allowed = match ty {
            "ResaleUsageBasedPricingTerm" => &["USD"][..],
            t if t.starts_with("Resale") => RA_CURRENCIES,
            _ => OFFER_CURRENCIES,
        };
        self.one_of(t, p, "CurrencyCode", allowed);
    }

    /// Legal documents: custom types need a `Url`, standard types must not have one.
    fn documents(&mut self, p: &str, t: &Obj, ty: &str) {
        let (custom, standard): (&[&str], &[&str]) = match ty {
            "BuyerLegalTerm" => (&["CustomEula"], &["StandardEula", "EnterpriseEula"]),
            "ResaleLegalTerm" => (&["CustomResellerContract"], &["StandardResellerContract"]),
            _ => (&["CustomEula", "CustomDsa"], &["StandardEula", "StandardDsa"]),
        };
        let path = join(p, "Documents");
        for (i, d) in self.array(t, p, "Documents", 1, usize::MAX).unwrap_or_default().iter().enumerate() {
            let dp = format!("{path}[{i}]");
            let optional: &[&str] = if ty == "LegalTerm" { &["Url", "Version"] } else { &["Url"] };
            let Some(doc) = self.object(&dp, d, &["Type"], optional) else { continue };
            let Some(doc_type) = self.one_of(doc, &dp, "Type", &[custom, standard].concat()) else { continue };
            let url = self.text(doc, &dp, "Url", 1, 2048);
            if custom.contains(&doc_type.as_str()) {
                match url {
                    None => self.err(&dp, format!("a {doc_type} needs a Url")),
                    Some(u) if !u.starts_with("https://") => {
                        self.err(&join(&dp, "Url"), format!("{u:?} is not an https:// URL"));
                    }
                    Some(_) => {}
                }
                if doc.contains_key("Version") {
                    self.err(&dp, format!("a {doc_type} has no Version"));
                }
            } else if standard.contains(&doc_type.as_str()) {
                if url.is_some() {
                    self.err(&join(&dp, "Url"), format!("a {doc_type} must not have a Url"));
                }
                if doc_type == "StandardEula" {
                    self.one_of(doc, &dp, "Version", STANDARD_EULA_VERSIONS);
                }
            }
        }
    }

    /// The usage and configurable-upfront resale terms: `RateCards` of `{Selector?, RateCard, Constraints?}`.
    fn rate_card_term(&mut self, p: &str, t: &Obj, ty: &str) {
        let usage = ty == "ResaleUsageBasedPricingTerm";
        self.members(p, t, &["Type", "CurrencyCode", "RateCards"], &[]);
        self.currency(t, p, ty);
        let path = join(p, "RateCards");
        let mut selectors = HashSet::new();
        let mut first_keys: Option<Vec<String>> = None;
        let max = if usage { 1 } else { 5 };
        for (i, rc) in self.array(t, p, "RateCards", 1, max).unwrap_or_default().iter().enumerate() {
            let rp = format!("{path}[{i}]");
            let (required, optional): (&[&str], &[&str]) =
                if usage { (&["RateCard"], &[]) } else { (&["Selector", "RateCard"], &["Constraints"]) };
            let Some(card) = self.object(&rp, rc, required, optional) else { continue };
            if let Some(s) = card.get("Selector") {
                let sp = join(&rp, "Selector");
                if let Some(sel) = self.object(&sp, s, &["Type", "Value"], &[]) {
                    self.one_of(sel, &sp, "Type", &["Duration"]);
                    if let Some(v) = self.duration(sel, &sp, "Value")
                        && !selectors.insert(v.clone())
                    {
                        self.err(&join(&sp, "Value"), format!("{v:?} is the selector of an earlier rate card"));
                    }
                }
            }
            if let Some(c) = card.get("Constraints") {
                let cp = join(&rp, "Constraints");
                let keys = ["MultipleDimensionSelection", "QuantityConfiguration"];
                if let Some(c) = self.object(&cp, c, &keys, &[]) {
                    self.one_of(c, &cp, keys[0], ALLOWED);
                    self.one_of(c, &cp, keys[1], ALLOWED);
                }
            }
            let keys = self.rate_card(&rp, card);
            match &first_keys {
                None => first_keys = Some(keys),
                Some(first) if *first != keys => {
                    self.err(&join(&rp, "RateCard"), "prices other dimensions than the first rate card");
                }
                Some(_) => {}
            }
        }
    }

    /// `RateCard`: 1-800 `{DimensionKey, Price}` with distinct keys; returns the sorted keys.
    fn rate_card(&mut self, p: &str, card: &Obj) -> Vec<String> {
        let path = join(p, "RateCard");
        let mut keys = Vec::new();
        for (i, r) in self.array(card, p, "RateCard", 1, 800).unwrap_or_default().iter().enumerate() {
            let ip = format!("{path}[{i}]");
            let Some(item) = self.object(&ip, r, &["DimensionKey", "Price"], &[]) else { continue };
            if let Some(k) = self.dimension_key(item, &ip) {
                if keys.contains(&k) {
                    self.err(&join(&ip, "DimensionKey"), format!("{k:?} is priced twice"));
                }
                keys.push(k);
            }
            self.matching(item, &ip, "Price", |s| decimal(s, usize::MAX), r"^\d+(\.\d+)?$");
        }
        keys.sort();
        keys
    }

    fn dimension_key(&mut self, o: &Obj, p: &str) -> Option<String> {
        let ok = |s: &str| s.len() <= 100 && all(s, |c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        self.matching(o, p, "DimensionKey", ok, "^[A-Za-z0-9_.-]{1,100}$")
    }

    fn grants(&mut self, p: &str, t: &Obj, max: usize) {
        let path = join(p, "Grants");
        let mut keys = HashSet::new();
        for (i, g) in self.array(t, p, "Grants", 1, max).unwrap_or_default().iter().enumerate() {
            let gp = format!("{path}[{i}]");
            let Some(grant) = self.object(&gp, g, &["DimensionKey", "MaxQuantity"], &[]) else { continue };
            if let Some(k) = self.dimension_key(grant, &gp)
                && !keys.insert(k.clone())
            {
                self.err(&join(&gp, "DimensionKey"), format!("{k:?} is granted twice"));
            }
            self.integer(grant, &gp, "MaxQuantity", 1, u64::MAX);
        }
    }

    /// `Schedule`: 1-60 `{ChargeDate, ChargeAmount}` with distinct dates and at most 2 decimals.
    fn schedule(&mut self, p: &str, t: &Obj) {
        let path = join(p, "Schedule");
        let mut dates = HashSet::new();
        for (i, row) in self.array(t, p, "Schedule", 1, 60).unwrap_or_default().iter().enumerate() {
            let rp = format!("{path}[{i}]");
            let Some(r) = self.object(&rp, row, &["ChargeDate", "ChargeAmount"], &[]) else { continue };
            if let Some(d) = self.date(r, &rp, "ChargeDate")
                && !dates.insert(d.clone())
            {
                self.err(&join(&rp, "ChargeDate"), format!("{d:?} is the date of an earlier charge"));
            }
            self.matching(r, &rp, "ChargeAmount", |s| decimal(s, 2), r"^\d+(\.\d{1,2})?$");
        }
    }

    /// `ValidityTerm`: a duration alone, a start alone, an end alone, or a start and an end.
    fn validity_term(&mut self, p: &str, t: &Obj) {
        let keys = ["AgreementDuration", "AgreementStartDate", "AgreementEndDate"];
        self.members(p, t, &["Type"], &keys);
        let duration = self.duration(t, p, keys[0]);
        let start = self.date(t, p, keys[1]);
        let end = self.date(t, p, keys[2]);
        match (&duration, &start, &end) {
            (None, None, None) => self.err(p, format!("needs one of {}", keys.join(", "))),
            (Some(_), None, None) | (None, Some(_), _) | (None, None, Some(_)) => {}
            (Some(_), _, _) => self.err(p, "AgreementDuration cannot be combined with a start or end date"),
        }
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            self.err(&join(p, "AgreementEndDate"), format!("{e:?} is before AgreementStartDate {s:?}"));
        }
    }

    fn ra_pricing(&mut self, p: &str, d: &Value) {
        let types =
            ["ResaleUsageBasedPricingTerm", "ResaleConfigurableUpfrontPricingTerm", "ResaleFixedUpfrontPricingTerm"];
        let model = d.as_object().and_then(|o| o.get("PricingModel")).and_then(Value::as_str);
        let min = usize::from(model != Some("Free"));
        let terms = self.terms_document(p, d, &["PricingModel"], min, 3, &types);
        let Some(o) = d.as_object() else { return };
        let Some(model) = self.one_of(o, p, "PricingModel", &["Usage", "Contract", "Free"]) else { return };
        let has = |t: &str| terms.iter().any(|(_, _, ty)| ty == t);
        if model == "Usage" && !has(types[0]) {
            self.err(&join(p, "Terms"), "PricingModel Usage needs a ResaleUsageBasedPricingTerm");
        }
        if model == "Contract" && !has(types[1]) && !has(types[2]) {
            self.err(&join(p, "Terms"), "PricingModel Contract needs an upfront pricing term");
        }
        let currencies: HashSet<&str> =
            terms.iter().filter_map(|(_, t, _)| t.get("CurrencyCode").and_then(Value::as_str)).collect();
        if currencies.len() > 1 {
            let mut list: Vec<&str> = currencies.into_iter().collect();
            list.sort_unstable();
            self.err(&join(p, "Terms"), format!("pricing terms use several currencies ({})", list.join(", ")));
        }
    }
}

#[allow(dead_code, reason = "not every test binary asks botocore")]
/// Runs `tests/support/botocore_check.py` on `requests`: whether botocore accepted them all,
/// and what it said; `Err` says why botocore could not be asked (for `require::require`).
pub fn botocore_check(requests: &[Value]) -> Result<(bool, String), String> {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .map_err(|e| format!("python3 does not run: {e}"))?;
    if !probe.status.success() {
        let said = String::from_utf8_lossy(&probe.stderr);
        return Err(format!("python3 cannot import botocore: {}", said.trim().lines().last().unwrap_or("no message")));
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut args = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/botocore_check.py")];
    for (i, r) in requests.iter().enumerate() {
        let file = dir.path().join(format!("request-{i}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(r).expect("serializable")).expect("write the request");
        args.push(file);
    }
    let out = std::process::Command::new("python3").args(&args).output().expect("run python3");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Ok((out.status.success(), text))
}
