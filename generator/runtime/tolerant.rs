//! How answers are read: tolerantly, because Mailgun's answers drift from its spec.
//!
//! Every field of a type read from answers goes through [`Tolerant`]: a value reads when it is
//! the documented type or an unambiguous spelling of it (`"yes"` for `true`, `550` for the text
//! `"550"`, `"42"` or `42.0` for the integer 42, `""` or `[]` for "no object"). What cannot be
//! read that way counts as missing: the field is `None` (or its empty value), and the rest of the
//! answer still decodes. Missing fields, `null` and unknown properties never fail an answer.

// The generated types use the parts they need; an API without, say, maps leaves some unused.
#![allow(dead_code)]

use serde::de::{Deserialize, Deserializer, Error as _};
use serde_json::Value;
use std::collections::BTreeMap;

/// A type that reads leniently from any JSON value: `None` when the value cannot stand for it.
pub(crate) trait Tolerant: Sized {
    /// The value `json` stands for, if any.
    fn from_json(json: Value) -> Option<Self>;
}

/// `#[serde(deserialize_with)]` for an `Option` field: what cannot be read is `None`.
pub(crate) fn option<'de, D: Deserializer<'de>, T: Tolerant>(deserializer: D) -> Result<Option<T>, D::Error> {
    Ok(T::from_json(Value::deserialize(deserializer)?))
}

/// `#[serde(deserialize_with)]` for a field with an empty value: what cannot be read is that.
pub(crate) fn or_default<'de, D: Deserializer<'de>, T: Tolerant + Default>(deserializer: D) -> Result<T, D::Error> {
    Ok(T::from_json(Value::deserialize(deserializer)?).unwrap_or_default())
}

/// `#[serde(deserialize_with)]` for a field that must be there: lenient about its spelling only.
pub(crate) fn required<'de, D: Deserializer<'de>, T: Tolerant>(deserializer: D) -> Result<T, D::Error> {
    let json = Value::deserialize(deserializer)?;
    let found = kind(&json);
    T::from_json(json).ok_or_else(|| D::Error::custom(format!("found {found}, which cannot be read as this field")))
}

/// A struct or union read by its own (tolerant) `Deserialize`, from an object only.
pub(crate) fn object<T: serde::de::DeserializeOwned>(json: Value) -> Option<T> {
    match json {
        Value::Object(_) => T::deserialize(json).ok(),
        _ => None,
    }
}

/// A union read by trying its variants; a value none of them takes is `None`.
pub(crate) fn any_shape<T: serde::de::DeserializeOwned>(json: Value) -> Option<T> {
    match json {
        Value::Null => None,
        json => T::deserialize(json).ok(),
    }
}

/// A string enum read from text, or from a number or boolean as its text.
pub(crate) fn text_enum<T: for<'a> From<&'a str>>(json: Value) -> Option<T> {
    String::from_json(json).map(|text| T::from(text.as_str()))
}

fn kind(json: &Value) -> &'static str {
    match json {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Tolerant for String {
    fn from_json(json: Value) -> Option<String> {
        match json {
            Value::String(text) => Some(text),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl Tolerant for bool {
    fn from_json(json: Value) -> Option<bool> {
        match json {
            Value::Bool(b) => Some(b),
            Value::Number(n) => match n.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "on" | "1" => Some(true),
                "false" | "no" | "n" | "off" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl Tolerant for $ty {
            fn from_json(json: Value) -> Option<$ty> {
                match json {
                    Value::Number(n) => match n.as_i64() {
                        Some(v) => <$ty>::try_from(v).ok(),
                        // A whole number written as a float reads; a fraction does not.
                        None => n.as_f64().filter(|v| v.fract() == 0.0).and_then(|v| <$ty>::try_from(v as i64).ok()),
                    },
                    Value::String(text) => text.trim().parse().ok(),
                    _ => None,
                }
            }
        }
    )*};
}
integers!(i32, i64);

impl Tolerant for f64 {
    fn from_json(json: Value) -> Option<f64> {
        match json {
            Value::Number(n) => n.as_f64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

impl Tolerant for Value {
    fn from_json(json: Value) -> Option<Value> {
        match json {
            Value::Null => None,
            json => Some(json),
        }
    }
}

impl Tolerant for crate::Timestamp {
    fn from_json(json: Value) -> Option<crate::Timestamp> {
        match json {
            Value::String(text) if text.is_empty() => None,
            Value::String(text) => Some(crate::Timestamp::from(text)),
            Value::Number(n) => Some(crate::Timestamp::from(n.to_string())),
            _ => None,
        }
    }
}

/// A file in an answer: its contents as text, as `File`'s own `Deserialize` reads them.
impl Tolerant for crate::File {
    fn from_json(json: Value) -> Option<crate::File> {
        crate::File::deserialize(json).ok()
    }
}

/// A call without a body reads whatever comes.
impl Tolerant for () {
    fn from_json(_: Value) -> Option<()> {
        Some(())
    }
}

impl<T: Tolerant> Tolerant for Box<T> {
    fn from_json(json: Value) -> Option<Box<T>> {
        T::from_json(json).map(Box::new)
    }
}

/// A nullable item: `null` is a value of its own.
impl<T: Tolerant> Tolerant for Option<T> {
    fn from_json(json: Value) -> Option<Option<T>> {
        match json {
            Value::Null => Some(None),
            json => T::from_json(json).map(Some),
        }
    }
}

/// A list: its items that can be read; `""` is an empty list, and a lone value a list of one.
impl<T: Tolerant> Tolerant for Vec<T> {
    fn from_json(json: Value) -> Option<Vec<T>> {
        match json {
            Value::Array(items) => Some(items.into_iter().filter_map(T::from_json).collect()),
            Value::Null => None,
            Value::String(text) if text.is_empty() => Some(Vec::new()),
            json => T::from_json(json).map(|item| vec![item]),
        }
    }
}

/// A map: its entries whose values can be read; `""` and `[]` are an empty map.
impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn from_json(json: Value) -> Option<BTreeMap<String, T>> {
        match json {
            Value::Object(members) => {
                Some(members.into_iter().filter_map(|(name, value)| Some((name, T::from_json(value)?))).collect())
            }
            Value::String(text) if text.is_empty() => Some(BTreeMap::new()),
            Value::Array(items) if items.is_empty() => Some(BTreeMap::new()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_read_from_their_unambiguous_spellings() {
        assert_eq!(bool::from_json(json!("yes")), Some(true));
        assert_eq!(bool::from_json(json!("no")), Some(false));
        assert_eq!(bool::from_json(json!(1)), Some(true));
        assert_eq!(bool::from_json(json!("htmlonly")), None);
        assert_eq!(String::from_json(json!(550)), Some("550".to_owned()));
        assert_eq!(i64::from_json(json!("42")), Some(42));
        assert_eq!(i64::from_json(json!(42.0)), Some(42));
        assert_eq!(i64::from_json(json!(0.05)), None);
        assert_eq!(i32::from_json(json!(1_u64 << 40)), None);
        assert_eq!(f64::from_json(json!("0.5")), Some(0.5));
    }

    #[test]
    fn collections_take_what_they_can() {
        assert_eq!(Vec::<i64>::from_json(json!([1, "2", "x", null])), Some(vec![1, 2]));
        assert_eq!(Vec::<String>::from_json(json!("")), Some(vec![]));
        assert_eq!(Vec::<String>::from_json(json!("one")), Some(vec!["one".to_owned()]));
        assert_eq!(Vec::<Option<i64>>::from_json(json!([1, null])), Some(vec![Some(1), None]));
        assert_eq!(BTreeMap::<String, i64>::from_json(json!([])), Some(BTreeMap::new()));
        assert_eq!(BTreeMap::<String, bool>::from_json(json!({"a": "yes", "b": {}})).unwrap().len(), 1);
    }

    #[test]
    fn objects_read_from_objects_only() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Pair {
            a: i64,
        }
        assert_eq!(object::<Pair>(json!({"a": 1})), Some(Pair { a: 1 }));
        assert_eq!(object::<Pair>(json!("")), None);
        assert_eq!(object::<Pair>(json!([])), None);
    }
}
