//! AWS's JSON documents (`DetailsDocument`) between the SDK's `Document` and `serde_json`:
//! the SDK reads them into its own type, cppo's import reads JSON.

use aws_smithy_types::{Document, Number};
use serde_json::{Map, Value};

/// A document as JSON. A float that JSON cannot hold (NaN) becomes null, which no field cppo
/// reads accepts: the import then says which field it was.
pub fn to_json(d: &Document) -> Value {
    match d {
        Document::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect::<Map<_, _>>()),
        Document::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

/// JSON as a document (a change set's `DetailsDocument` on its way to AWS).
pub fn from_json(v: &Value) -> Document {
    match v {
        Value::Object(m) => Document::Object(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
        Value::Array(a) => Document::Array(a.iter().map(from_json).collect()),
        Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            Number::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            Number::NegInt(i)
        } else {
            Number::Float(n.as_f64().unwrap_or_default())
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Bool(b) => Document::Bool(*b),
        Value::Null => Document::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_goes_there_and_back_unchanged() {
        let v = serde_json::json!({"Terms": [{"Price": "1200.00", "MaxQuantity": 50, "Delta": -2, "On": true, "No": null}]});
        assert_eq!(to_json(&from_json(&v)), v);
    }
}
