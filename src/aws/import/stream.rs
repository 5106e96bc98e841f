//! One JSON document of the input read entity by entity, within bounds. The document is never
//! held whole as a tree: a `list-entities` answer's summaries, and a `batch-describe-entities`
//! answer's entities and errors, are built, mapped to an [`Entry`] and dropped one at a time; only one entity's JSON is held at once, and it may
//! hold at most [`MAX_VALUES`] values; the entries of a run stop at [`MAX_ENTITIES`]. (32 MiB
//! of `{}` summaries is 11 million entities: read as one tree and mapped, that took 9 GB.)

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{
    EXPECTED, Entry, MAX_ENTITIES, MAX_VALUES, agreement, bare_details, batch_entity, batch_error, change_set,
    describe, is_bare_details, shape, summary,
};
use crate::domain::money::group_thousands;

/// Where the entries go.
pub struct Sink<'a> {
    pub entries: &'a mut Vec<Entry>,
    /// The id `--id` gives a bare `DetailsDocument`.
    pub bare_id: Option<&'a str>,
    /// How many bare `DetailsDocument`s were read.
    pub bare: usize,
}

impl Sink<'_> {
    fn push<E: de::Error>(&mut self, entry: Entry) -> Result<(), E> {
        if self.entries.len() >= MAX_ENTITIES {
            let most = group_thousands(&MAX_ENTITIES.to_string());
            return Err(E::custom(format!(
                "more than {most} entities: import them in parts of at most {most} (JSON Lines split with `split -l`, or one list-entities page per file)"
            )));
        }
        self.entries.push(entry);
        Ok(())
    }
}

/// An answer of the AWS CLI (an object), or at the top of a document, an array of them.
pub struct Answer<'s, 'a> {
    sink: &'s mut Sink<'a>,
    /// Its index when it is an item of an array, for messages.
    item: Option<usize>,
}

impl<'s, 'a> Answer<'s, 'a> {
    /// The whole document.
    pub fn document(sink: &'s mut Sink<'a>) -> Self {
        Self { sink, item: None }
    }

    fn not_answer<E: de::Error>(&self, found: &str) -> E {
        E::custom(self.within(format!("{EXPECTED}; found {found}")))
    }

    fn within(&self, why: String) -> String {
        within(self.item, why)
    }
}

impl<'de> DeserializeSeed<'de> for Answer<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Answer<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.item.is_some() {
            return Err(self.not_answer("a list"));
        }
        let mut i = 0;
        while seq.next_element_seed(Answer { sink: &mut *self.sink, item: Some(i) })?.is_some() {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Members other than the summaries: a describe-entity answer's, kept to read it whole.
        let mut members = Map::new();
        let mut left = MAX_VALUES;
        let mut listed = false;
        let first = self.sink.entries.len();
        while let Some(key) = map.next_key::<String>()? {
            if key == "EntitySummaryList" {
                map.next_value_seed(Summaries { sink: &mut *self.sink, item: self.item, key: LIST, read: summary })?;
                listed = true;
            } else if key == AGREEMENTS {
                let read = |i: usize, v: &Value| agreement::summary(i, v, &[]);
                map.next_value_seed(Summaries { sink: &mut *self.sink, item: self.item, key: AGREEMENTS, read })?;
                listed = true;
            } else if key == "EntityDetails" || key == "Errors" {
                let errors = key == "Errors";
                map.next_value_seed(Batch { sink: &mut *self.sink, item: self.item, errors })?;
                listed = true;
            } else {
                members.insert(key, map.next_value_seed(Budgeted(&mut left))?);
            }
        }
        if listed {
            // A search-agreements page that says more follow: each of its agreements says so.
            if let Some(note) = members.get("nextToken").and_then(agreement::next_token_note) {
                for e in &mut self.sink.entries[first..] {
                    if let Entry::Agreement(a) = e {
                        a.notes.push(note.clone());
                    }
                }
            }
            return Ok(());
        }
        let answer = Value::Object(members);
        if change_set::is_change_set(&answer) {
            return self.sink.push(change_set::read(&answer));
        }
        if agreement::is_terms(&answer) {
            if answer.get("agreementId").is_none() {
                self.sink.bare += 1;
            }
            let id = self.sink.bare_id;
            return self.sink.push(agreement::terms(&answer, id));
        }
        if agreement::is_describe(&answer) {
            return self.sink.push(agreement::describe(&answer));
        }
        let is_describe = answer.get("EntityType").is_some()
            && (answer.get("DetailsDocument").is_some() || answer.get("Details").is_some());
        if !is_describe && is_bare_details(&answer) {
            self.sink.bare += 1;
            let id = self.sink.bare_id;
            return self.sink.push(bare_details(answer, id));
        }
        if !is_describe {
            return Err(self.not_answer(&shape(&answer)));
        }
        self.sink.push(describe(&answer))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.not_answer("true or false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.not_answer("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.not_answer("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.not_answer("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.not_answer("a string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.not_answer("null"))
    }
}

/// `why`, said of the answer at `item` of an array.
fn within(item: Option<usize>, why: String) -> String {
    match item {
        Some(i) => format!("item {} of the array: {why}", i + 1),
        None => why,
    }
}

const LIST: &str = "EntitySummaryList";
const AGREEMENTS: &str = "agreementViewSummaries";

/// A `list-entities` answer's `EntitySummaryList` (or a `search-agreements` answer's
/// `agreementViewSummaries`), one summary at a time.
struct Summaries<'s, 'a> {
    sink: &'s mut Sink<'a>,
    /// The index of its answer in an array, for messages.
    item: Option<usize>,
    /// The member's name, for messages.
    key: &'static str,
    /// Maps the `i`th summary to its entry.
    read: fn(usize, &Value) -> Entry,
}

impl Summaries<'_, '_> {
    fn not_list<E: de::Error>(&self, found: &str) -> E {
        E::custom(within(self.item, format!("{} is {found}, not a list; {EXPECTED}", self.key)))
    }
}

impl<'de> DeserializeSeed<'de> for Summaries<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Summaries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of entity summaries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            let mut left = MAX_VALUES;
            let Some(item) = seq.next_element_seed(Budgeted(&mut left))? else { return Ok(()) };
            self.sink.push((self.read)(i, &item))?;
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.not_list("an object"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.not_list("true or false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.not_list("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.not_list("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.not_list("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.not_list("a string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.not_list("null"))
    }
}

/// A `batch-describe-entities` answer's `EntityDetails` (or, `errors`, its `Errors`): a map
/// from entity id to its describe-entity answer (to AWS's error), one entry at a time.
struct Batch<'s, 'a> {
    sink: &'s mut Sink<'a>,
    /// The index of its answer in an array, for messages.
    item: Option<usize>,
    errors: bool,
}

impl Batch<'_, '_> {
    fn not_map<E: de::Error>(&self, found: &str) -> E {
        let what = if self.errors { "Errors" } else { "EntityDetails" };
        E::custom(within(self.item, format!("{what} is {found}, not an object keyed by entity id; {EXPECTED}")))
    }
}

impl<'de> DeserializeSeed<'de> for Batch<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Batch<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object keyed by entity id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let mut left = MAX_VALUES;
            let value = map.next_value_seed(Budgeted(&mut left))?;
            let entry = if self.errors { batch_error(&key, &value) } else { batch_entity(&key, value) };
            self.sink.push(entry)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.not_map("a list"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.not_map("true or false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.not_map("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.not_map("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.not_map("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.not_map("a string"))
    }
    // AWS's model sends an absent member as null: a batch without errors.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A JSON value built as `serde_json::Value` is, counting each value against what is `left`
/// for its entity.
struct Budgeted<'b>(&'b mut usize);

impl Budgeted<'_> {
    fn take<E: de::Error>(&mut self) -> Result<(), E> {
        if *self.0 == 0 {
            return Err(E::custom(format!(
                "an entity of more than {} JSON values: that is not what the AWS CLI writes",
                group_thousands(&MAX_VALUES.to_string())
            )));
        }
        *self.0 -= 1;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Budgeted<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Budgeted<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<Value, E> {
        self.take()?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(mut self, v: String) -> Result<Value, E> {
        self.take()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(mut self) -> Result<Value, E> {
        self.take()?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Budgeted(&mut *self.0))? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.take()?;
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(Budgeted(&mut *self.0))?;
            members.insert(key, v);
        }
        Ok(Value::Object(members))
    }
}
