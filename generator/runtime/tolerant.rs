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

/// A type that reads leniently from any JSON value.
///
/// Generated types implement it with plain (not generic) code over a [`Value`], and their
/// `Deserialize` goes through it: one small function per type rather than serde's derived
/// visitors, which keeps the crate quick to compile.
pub(crate) trait Tolerant: Sized {
    /// The value `json` stands for, or why it stands for none.
    fn read(json: Value) -> Result<Self, Miss>;

    /// The value `json` stands for, if any.
    fn from_json(json: Value) -> Option<Self> {
        Self::read(json).ok()
    }
}

/// Why a value does not read: what was found, and the required fields that lead to it.
#[derive(Debug)]
pub(crate) struct Miss {
    /// The fields from the value read down to the one that failed, innermost first.
    path: Vec<&'static str>,
    /// `None` for a missing field, else the kind of value found.
    found: Option<&'static str>,
}

impl Miss {
    /// A value of the wrong kind.
    pub(crate) fn found(json: &Value) -> Miss {
        Miss { path: Vec::new(), found: Some(kind(json)) }
    }

    /// The path to where reading failed, such as `paging.next` (`.` for the value itself).
    pub(crate) fn path(&self) -> String {
        if self.path.is_empty() {
            return ".".to_owned();
        }
        self.path.iter().rev().copied().collect::<Vec<_>>().join(".")
    }

    fn within(mut self, field: &'static str) -> Miss {
        self.path.push(field);
        self
    }
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.found, self.path.is_empty()) {
            (None, _) => f.write_str("the required field is missing"),
            (Some(found), true) => write!(f, "found {found}, which cannot be read as this type"),
            (Some(found), false) => write!(f, "found {found}, which cannot be read as this field"),
        }
    }
}

/// `Deserialize` for a generated type: its [`Tolerant`] reading of the value.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Tolerant>(deserializer: D) -> Result<T, D::Error> {
    let json = Value::deserialize(deserializer)?;
    T::read(json).map_err(|miss| D::Error::custom(format_args!("at `{}`: {miss}", miss.path())))
}

/// The members of a JSON object, taken out one field at a time by a generated type's `read`.
pub(crate) struct Object(serde_json::Map<String, Value>);

impl Object {
    /// The object `json` is; anything else (`""`, `[]`) does not read as one.
    pub(crate) fn new(json: Value) -> Result<Object, Miss> {
        match json {
            Value::Object(members) => Ok(Object(members)),
            other => Err(Miss::found(&other)),
        }
    }

    /// An optional field: missing, `null` or unreadable is `None`.
    pub(crate) fn option<T: Tolerant>(&mut self, name: &str) -> Option<T> {
        match self.0.remove(name) {
            Some(json) => T::read(json).ok(),
            None => None,
        }
    }

    /// A field with an empty value: missing, `null` or unreadable is that.
    pub(crate) fn or_default<T: Tolerant + Default>(&mut self, name: &str) -> T {
        self.option(name).unwrap_or_default()
    }

    /// A field that must be there: lenient about its spelling only.
    pub(crate) fn required<T: Tolerant>(&mut self, name: &'static str) -> Result<T, Miss> {
        match self.0.remove(name) {
            Some(json) => T::read(json).map_err(|miss| miss.within(name)),
            None => Err(Miss { path: vec![name], found: None }),
        }
    }

    /// The members no field took, those whose values read.
    pub(crate) fn rest<T: Tolerant>(self) -> BTreeMap<String, T> {
        // Loops rather than iterator adapters here and in `Vec`: these are instantiated for
        // every type read, and each adapter adds functions to compile.
        let mut rest = BTreeMap::new();
        for (name, json) in self.0 {
            if let Ok(value) = T::read(json) {
                rest.insert(name, value);
            }
        }
        rest
    }
}

/// A union's variant, tried as its type's own `Deserialize` reads it (strictly for text and
/// numbers, so that `5` is the integer variant rather than the text `"5"`).
pub(crate) fn variant<T: serde::de::DeserializeOwned>(json: &Value) -> Option<T> {
    match json {
        Value::Null => None,
        json => T::deserialize(json).ok(),
    }
}

/// A string enum read from text, or from a number or boolean as its text.
pub(crate) fn text_enum<T: for<'a> From<&'a str>>(json: Value) -> Result<T, Miss> {
    String::read(json).map(|text| T::from(text.as_str()))
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
    fn read(json: Value) -> Result<String, Miss> {
        match json {
            Value::String(text) => Ok(text),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Miss::found(&other)),
        }
    }
}

impl Tolerant for bool {
    fn read(json: Value) -> Result<bool, Miss> {
        let read = match &json {
            Value::Bool(b) => Some(*b),
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
        };
        read.ok_or_else(|| Miss::found(&json))
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl Tolerant for $ty {
            fn read(json: Value) -> Result<$ty, Miss> {
                let read = match &json {
                    Value::Number(n) => match n.as_i64() {
                        Some(v) => <$ty>::try_from(v).ok(),
                        // A whole number written as a float reads; a fraction does not.
                        None => n.as_f64().filter(|v| v.fract() == 0.0).and_then(|v| <$ty>::try_from(v as i64).ok()),
                    },
                    Value::String(text) => text.trim().parse().ok(),
                    _ => None,
                };
                read.ok_or_else(|| Miss::found(&json))
            }
        }
    )*};
}
integers!(i32, i64);

impl Tolerant for f64 {
    fn read(json: Value) -> Result<f64, Miss> {
        let read = match &json {
            Value::Number(n) => n.as_f64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        read.ok_or_else(|| Miss::found(&json))
    }
}

impl Tolerant for Value {
    fn read(json: Value) -> Result<Value, Miss> {
        match json {
            Value::Null => Err(Miss::found(&json)),
            json => Ok(json),
        }
    }
}

impl Tolerant for crate::Timestamp {
    fn read(json: Value) -> Result<crate::Timestamp, Miss> {
        match json {
            Value::String(text) if !text.is_empty() => Ok(crate::Timestamp::from(text)),
            Value::Number(n) => Ok(crate::Timestamp::from(n.to_string())),
            other => Err(Miss::found(&other)),
        }
    }
}

/// A file in an answer: its contents as text, as `File`'s own `Deserialize` reads them.
impl Tolerant for crate::File {
    fn read(json: Value) -> Result<crate::File, Miss> {
        crate::File::deserialize(&json).map_err(|_| Miss::found(&json))
    }
}

/// A call without a body reads whatever comes.
impl Tolerant for () {
    fn read(_: Value) -> Result<(), Miss> {
        Ok(())
    }
}

impl<T: Tolerant> Tolerant for Box<T> {
    fn read(json: Value) -> Result<Box<T>, Miss> {
        T::read(json).map(Box::new)
    }
}

/// A nullable item: `null` is a value of its own.
impl<T: Tolerant> Tolerant for Option<T> {
    fn read(json: Value) -> Result<Option<T>, Miss> {
        match json {
            Value::Null => Ok(None),
            json => T::read(json).map(Some),
        }
    }
}

/// A list: its items that can be read; `""` is an empty list, and a lone value a list of one.
impl<T: Tolerant> Tolerant for Vec<T> {
    fn read(json: Value) -> Result<Vec<T>, Miss> {
        match json {
            Value::Array(items) => {
                let mut read = Vec::with_capacity(items.len());
                for item in items {
                    if let Ok(item) = T::read(item) {
                        read.push(item);
                    }
                }
                Ok(read)
            }
            Value::Null => Err(Miss::found(&json)),
            Value::String(text) if text.is_empty() => Ok(Vec::new()),
            json => match T::read(json) {
                Ok(item) => Ok(vec![item]),
                Err(miss) => Err(miss),
            },
        }
    }
}

/// A map: its entries whose values can be read; `""` and `[]` are an empty map.
impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn read(json: Value) -> Result<BTreeMap<String, T>, Miss> {
        match json {
            Value::Object(members) => Ok(Object(members).rest()),
            Value::String(text) if text.is_empty() => Ok(BTreeMap::new()),
            Value::Array(items) if items.is_empty() => Ok(BTreeMap::new()),
            other => Err(Miss::found(&other)),
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

    /// What the generator writes for a type with a required `a` and an optional `b`.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: i64,
        b: Option<Box<Pair>>,
    }

    impl Tolerant for Pair {
        fn read(json: Value) -> Result<Pair, Miss> {
            let mut object = Object::new(json)?;
            Ok(Pair { a: object.required("a")?, b: object.option("b") })
        }
    }

    #[test]
    fn objects_read_from_objects_only() {
        assert_eq!(Pair::from_json(json!({"a": "1", "b": {"a": 2}, "c": 3})).unwrap().b.unwrap().a, 2);
        assert_eq!(Pair::from_json(json!({"a": 1, "b": []})), Some(Pair { a: 1, b: None }));
        assert_eq!(Pair::from_json(json!("")), None);
        assert_eq!(Pair::from_json(json!([])), None);
    }

    struct Outer {
        pair: Pair,
    }

    impl Tolerant for Outer {
        fn read(json: Value) -> Result<Outer, Miss> {
            let mut object = Object::new(json)?;
            Ok(Outer { pair: object.required("pair")? })
        }
    }

    #[test]
    fn a_miss_says_where_and_what() {
        let said = |json| Outer::read(json).map(|_| ()).map_err(|miss| (miss.path(), miss.to_string())).unwrap_err();
        assert_eq!(
            said(json!({"pair": {"a": "x"}})),
            ("pair.a".into(), "found text, which cannot be read as this field".into())
        );
        assert_eq!(said(json!({"pair": {}})), ("pair.a".into(), "the required field is missing".into()));
        assert_eq!(said(json!([])), (".".into(), "found a list, which cannot be read as this type".into()));
        // An optional field's unreadable value is only `None`, whatever is wrong inside it.
        assert!(Outer::read(json!({"pair": {"a": 1, "b": {"a": "x"}}})).is_ok());
    }
}
