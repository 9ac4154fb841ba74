//! How answers are read: tolerantly, because Mailgun's answers drift from its spec.
//!
//! Every field of a type read from answers goes through [`Tolerant`]: a value reads when it is
//! the documented type or an unambiguous spelling of it (`"yes"` for `true`, `550` for the text
//! `"550"`, `"42"` or `42.0` for the integer 42, `""` or `[]` for "no object"). What cannot be
//! read that way counts as missing: the field is `None` (or its empty value), and the rest of the
//! answer still decodes. Missing fields, `null` and unknown properties never fail an answer.
//!
//! Answers are read as they stream from the body's bytes, with no JSON tree in between, so that
//! reading costs about what serde's derived code costs. Each generated type's part is one small
//! function ([`Members::members`]); the rest is here, once.

// The generated types use the parts they need; an API without, say, maps leaves some unused.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// What reading a value gives: `Ok(Ok(value))`, `Ok(Err(miss))` when the value cannot stand
/// for one (it has been read past either way), or `Err` when the input is no JSON.
pub(crate) type Read<T, E> = Result<Result<T, Miss>, E>;

/// A type that reads leniently from any JSON value.
pub(crate) trait Tolerant: Sized {
    /// Reads the value `deserializer` holds.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Self, D::Error>;

    /// The value `json` stands for, if any.
    fn from_json(json: Value) -> Option<Self> {
        from_value(json).ok()
    }
}

/// Reads a whole JSON text as `T`.
pub(crate) fn from_slice<T: Tolerant>(text: &[u8]) -> Read<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let read = T::read(&mut deserializer)?;
    deserializer.end()?;
    Ok(read)
}

/// Why a value does not read: what was found, and the required fields that lead to it.
///
/// Boxed, so that the `Result`s every value is read into stay the size of the value.
#[derive(Debug)]
pub(crate) struct Miss(Box<Why>);

#[derive(Debug)]
struct Why {
    /// The fields from the value read down to the one that failed, innermost first.
    path: Vec<&'static str>,
    /// `None` for a missing field, else the kind of value found.
    found: Option<&'static str>,
}

impl Miss {
    fn kind(found: &'static str) -> Miss {
        Miss(Box::new(Why { path: Vec::new(), found: Some(found) }))
    }

    fn missing(field: &'static str) -> Miss {
        Miss(Box::new(Why { path: vec![field], found: None }))
    }

    /// A value of the wrong kind.
    pub(crate) fn found(json: &Value) -> Miss {
        Miss::kind(kind(json))
    }

    /// The path to where reading failed, such as `paging.next` (`.` for the value itself).
    pub(crate) fn path(&self) -> String {
        if self.0.path.is_empty() {
            return ".".to_owned();
        }
        self.0.path.iter().rev().copied().collect::<Vec<_>>().join(".")
    }

    fn within(mut self, field: &'static str) -> Miss {
        self.0.path.push(field);
        self
    }
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.found, self.0.path.is_empty()) {
            (None, _) => f.write_str("the required field is missing"),
            (Some(found), true) => write!(f, "found {found}, which cannot be read as this type"),
            (Some(found), false) => write!(f, "found {found}, which cannot be read as this field"),
        }
    }
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

/// `Deserialize` for a generated type: its [`Tolerant`] reading.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Tolerant>(deserializer: D) -> Result<T, D::Error> {
    T::read(deserializer)?.map_err(|miss| de::Error::custom(format_args!("at `{}`: {miss}", miss.path())))
}

// ---------------------------------------------------------------------------------------------
// Objects: what the generated types implement.

/// A struct read from a JSON object, member by member.
pub(crate) trait Members: Sized {
    /// Reads the object's members (with [`name`], then [`slot`], [`extra`] or [`skip`]) and
    /// builds the value (with [`option`], [`or_default`] and [`required`]).
    fn members<'de, A: MapAccess<'de>>(map: A) -> Read<Self, A::Error>;
}

/// [`Tolerant::read`] for a struct: from an object only (`""` and `[]` are no object).
pub(crate) fn object<'de, T: Members, D: Deserializer<'de>>(deserializer: D) -> Read<T, D::Error> {
    deserializer.deserialize_any(Visit(ObjectShape::<T>(PhantomData)))
}

struct ObjectShape<T>(PhantomData<T>);

impl<'de, T: Members> Shapes<'de> for ObjectShape<T> {
    type Out = T;

    fn object<A: MapAccess<'de>>(self, map: A) -> Read<T, A::Error> {
        T::members(map)
    }
}

/// The next member's name; borrowed from the body where it can be.
pub(crate) fn name<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_key_seed(NameSeed)
}

/// The value of the member whose name was just read, as `T`.
pub(crate) fn value<'de, T: Tolerant, A: MapAccess<'de>>(map: &mut A) -> Read<T, A::Error> {
    map.next_value_seed(Seed::<T>(PhantomData))
}

/// Reads the value of the member whose name was just read into its field's slot (`None`
/// until then).
pub(crate) fn slot<'de, T: Tolerant, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<Result<T, Miss>>,
) -> Result<(), A::Error> {
    *slot = Some(value(map)?);
    Ok(())
}

/// Reads past the value of a member no field takes.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Keeps the value of a member no field takes, if it reads, under its name.
pub(crate) fn extra<'de, T: Tolerant, A: MapAccess<'de>>(
    rest: &mut BTreeMap<String, T>,
    name: Cow<'de, str>,
    map: &mut A,
) -> Result<(), A::Error> {
    if let Ok(value) = value::<T, A>(map)? {
        rest.insert(name.into_owned(), value);
    }
    Ok(())
}

/// An optional field: missing, `null` or unreadable is `None`.
pub(crate) fn option<T>(slot: Option<Result<T, Miss>>) -> Option<T> {
    slot.and_then(Result::ok)
}

/// A field with an empty value: missing, `null` or unreadable is that.
pub(crate) fn or_default<T: Default>(slot: Option<Result<T, Miss>>) -> T {
    option(slot).unwrap_or_default()
}

/// A field that must be there: lenient about its spelling only.
pub(crate) fn required<T>(slot: Option<Result<T, Miss>>, name: &'static str) -> Result<T, Miss> {
    match slot {
        Some(read) => read.map_err(|miss| miss.within(name)),
        None => Err(Miss::missing(name)),
    }
}

/// [`Tolerant::read`] for a union: the value as the first variant that takes it, each tried
/// as its type's own `Deserialize` reads it (see [`variant`]).
pub(crate) fn union<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    choose: impl FnOnce(&[u8]) -> Option<T>,
) -> Read<T, D::Error> {
    let json = Value::deserialize(deserializer)?;
    let text = serde_json::to_vec(&json).map_err(de::Error::custom)?;
    Ok(match json {
        Value::Null => Err(Miss::found(&json)),
        _ => choose(&text).ok_or_else(|| Miss::found(&json)),
    })
}

/// A union's variant: strictly for text and numbers, so that `5` is the integer variant rather
/// than the text `"5"`; tolerantly for the generated types.
pub(crate) fn variant<T: de::DeserializeOwned>(text: &[u8]) -> Option<T> {
    serde_json::from_slice(text).ok()
}

/// A string enum read from text, or from a number or boolean as its text.
pub(crate) fn text_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(deserializer: D) -> Read<T, D::Error> {
    Ok(String::read(deserializer)?.map(|text| T::from(text.as_str())))
}

// ---------------------------------------------------------------------------------------------
// The machinery: what each type makes of each kind of JSON value.

/// What a type makes of each kind of JSON value. A kind it does not take is a miss (and read
/// past, for a list or an object).
trait Shapes<'de>: Sized {
    type Out;

    fn boolean<E: de::Error>(self, _: bool) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("a boolean")))
    }
    fn signed<E: de::Error>(self, _: i64) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("a number")))
    }
    fn unsigned<E: de::Error>(self, _: u64) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("a number")))
    }
    fn float<E: de::Error>(self, _: f64) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("a number")))
    }
    fn text<E: de::Error>(self, _: &str) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("text")))
    }
    fn owned_text<E: de::Error>(self, text: String) -> Read<Self::Out, E> {
        self.text(&text)
    }
    fn null<E: de::Error>(self) -> Read<Self::Out, E> {
        Ok(Err(Miss::kind("null")))
    }
    /// A value that is not `null`, from a deserializer asked for an optional one.
    fn some<D: Deserializer<'de>>(self, deserializer: D) -> Read<Self::Out, D::Error> {
        deserializer.deserialize_any(Visit(self))
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Read<Self::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Miss::kind("a list")))
    }
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Read<Self::Out, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Miss::kind("an object")))
    }
}

/// The serde visitor of a [`Shapes`].
struct Visit<S>(S);

impl<'de, S: Shapes<'de>> Visitor<'de> for Visit<S> {
    type Value = Result<S::Out, Miss>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.boolean(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.signed(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.unsigned(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.float(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.text(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.0.owned_text(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.null()
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.null()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.some(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.list(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.object(map)
    }
}

/// Reads a value as `T` where serde asks for a seed (list items, member values).
struct Seed<T>(PhantomData<T>);

impl<'de, T: Tolerant> DeserializeSeed<'de> for Seed<T> {
    type Value = Result<T, Miss>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::read(deserializer)
    }
}

struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(NameSeed)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A JSON value read as `T`, through its text: every type is then only ever read from one kind
/// of deserializer, the body's, where each other kind would compile every reading function once
/// more. For what is rare: a value standing alone where a list or an optional value was
/// expected, and [`Tolerant::from_json`].
fn from_value<T: Tolerant>(json: Value) -> Result<T, Miss> {
    let found = kind(&json);
    let text = serde_json::to_vec(&json).map_err(|_| Miss::kind(found))?;
    match from_slice::<T>(&text) {
        Ok(read) => read,
        Err(_) => Err(Miss::kind(found)),
    }
}

/// Reads what a [`Shapes`] does not take itself as a lone value (see [`from_value`]).
macro_rules! as_lone {
    ($wrap:expr) => {
        fn boolean<E: de::Error>(self, v: bool) -> Read<Self::Out, E> {
            Ok(from_value(Value::Bool(v)).map($wrap))
        }
        fn signed<E: de::Error>(self, v: i64) -> Read<Self::Out, E> {
            Ok(from_value(Value::from(v)).map($wrap))
        }
        fn unsigned<E: de::Error>(self, v: u64) -> Read<Self::Out, E> {
            Ok(from_value(Value::from(v)).map($wrap))
        }
        fn float<E: de::Error>(self, v: f64) -> Read<Self::Out, E> {
            Ok(from_value(Value::from(v)).map($wrap))
        }
        fn object<A: MapAccess<'de>>(self, map: A) -> Read<Self::Out, A::Error> {
            let json = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(from_value(json).map($wrap))
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Scalars.

struct TextShape;

impl<'de> Shapes<'de> for TextShape {
    type Out = String;

    fn boolean<E: de::Error>(self, v: bool) -> Read<String, E> {
        Ok(Ok(v.to_string()))
    }
    fn signed<E: de::Error>(self, v: i64) -> Read<String, E> {
        Ok(Ok(v.to_string()))
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Read<String, E> {
        Ok(Ok(v.to_string()))
    }
    fn float<E: de::Error>(self, v: f64) -> Read<String, E> {
        // As JSON writes it (`1.0`, not Rust's `1`).
        Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()).ok_or_else(|| Miss::kind("a number")))
    }
    fn text<E: de::Error>(self, v: &str) -> Read<String, E> {
        Ok(Ok(v.to_owned()))
    }
    fn owned_text<E: de::Error>(self, v: String) -> Read<String, E> {
        Ok(Ok(v))
    }
}

impl Tolerant for String {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<String, D::Error> {
        deserializer.deserialize_any(Visit(TextShape))
    }
}

struct BoolShape;

impl<'de> Shapes<'de> for BoolShape {
    type Out = bool;

    fn boolean<E: de::Error>(self, v: bool) -> Read<bool, E> {
        Ok(Ok(v))
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Read<bool, E> {
        Ok(match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Miss::kind("a number")),
        })
    }
    fn text<E: de::Error>(self, v: &str) -> Read<bool, E> {
        Ok(match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Ok(true),
            "false" | "no" | "n" | "off" | "0" => Ok(false),
            _ => Err(Miss::kind("text")),
        })
    }
}

impl Tolerant for bool {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<bool, D::Error> {
        deserializer.deserialize_any(Visit(BoolShape))
    }
}

struct IntegerShape<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64> + std::str::FromStr> Shapes<'de> for IntegerShape<T> {
    type Out = T;

    fn signed<E: de::Error>(self, v: i64) -> Read<T, E> {
        Ok(T::try_from(v).map_err(|_| Miss::kind("a number")))
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Read<T, E> {
        Ok(i64::try_from(v).ok().and_then(|v| T::try_from(v).ok()).ok_or_else(|| Miss::kind("a number")))
    }
    fn float<E: de::Error>(self, v: f64) -> Read<T, E> {
        // A whole number written as a float reads; a fraction does not.
        let whole = (v.fract() == 0.0).then(|| T::try_from(v as i64).ok()).flatten();
        Ok(whole.ok_or_else(|| Miss::kind("a number")))
    }
    fn text<E: de::Error>(self, v: &str) -> Read<T, E> {
        Ok(v.trim().parse().map_err(|_| Miss::kind("text")))
    }
}

impl Tolerant for i32 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<i32, D::Error> {
        deserializer.deserialize_any(Visit(IntegerShape(PhantomData)))
    }
}

impl Tolerant for i64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<i64, D::Error> {
        deserializer.deserialize_any(Visit(IntegerShape(PhantomData)))
    }
}

struct FloatShape;

impl<'de> Shapes<'de> for FloatShape {
    type Out = f64;

    fn signed<E: de::Error>(self, v: i64) -> Read<f64, E> {
        Ok(Ok(v as f64))
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Read<f64, E> {
        Ok(Ok(v as f64))
    }
    fn float<E: de::Error>(self, v: f64) -> Read<f64, E> {
        Ok(Ok(v))
    }
    fn text<E: de::Error>(self, v: &str) -> Read<f64, E> {
        Ok(v.trim().parse().map_err(|_| Miss::kind("text")))
    }
}

impl Tolerant for f64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<f64, D::Error> {
        deserializer.deserialize_any(Visit(FloatShape))
    }
}

impl Tolerant for Value {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Value, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Err(Miss::kind("null")),
            json => Ok(json),
        })
    }
}

/// A time: non-empty text, or a number as its text.
struct TimestampShape;

impl<'de> Shapes<'de> for TimestampShape {
    type Out = crate::Timestamp;

    fn signed<E: de::Error>(self, v: i64) -> Read<crate::Timestamp, E> {
        Ok(Ok(crate::Timestamp::from(v.to_string())))
    }
    fn unsigned<E: de::Error>(self, v: u64) -> Read<crate::Timestamp, E> {
        Ok(Ok(crate::Timestamp::from(v.to_string())))
    }
    fn float<E: de::Error>(self, v: f64) -> Read<crate::Timestamp, E> {
        Ok(TextShape.float::<E>(v)?.map(crate::Timestamp::from))
    }
    fn text<E: de::Error>(self, v: &str) -> Read<crate::Timestamp, E> {
        Ok(match v.is_empty() {
            true => Err(Miss::kind("text")),
            false => Ok(crate::Timestamp::from(v.to_owned())),
        })
    }
}

impl Tolerant for crate::Timestamp {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<crate::Timestamp, D::Error> {
        deserializer.deserialize_any(Visit(TimestampShape))
    }
}

/// A file in an answer: its contents as text, as `File`'s own `Deserialize` reads them.
impl Tolerant for crate::File {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<crate::File, D::Error> {
        let json = Value::deserialize(deserializer)?;
        Ok(crate::File::deserialize(&json).map_err(|_| Miss::found(&json)))
    }
}

/// A call without a body reads whatever comes.
impl Tolerant for () {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<(), D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Ok(()))
    }
}

// ---------------------------------------------------------------------------------------------
// Containers.

impl<T: Tolerant> Tolerant for Box<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Box<T>, D::Error> {
        Ok(T::read(deserializer)?.map(Box::new))
    }
}

/// A nullable item: `null` is a value of its own.
struct OptionShape<T>(PhantomData<T>);

impl<'de, T: Tolerant> Shapes<'de> for OptionShape<T> {
    type Out = Option<T>;

    as_lone!(Some);

    fn null<E: de::Error>(self) -> Read<Option<T>, E> {
        Ok(Ok(None))
    }
    fn some<D: Deserializer<'de>>(self, deserializer: D) -> Read<Option<T>, D::Error> {
        Ok(T::read(deserializer)?.map(Some))
    }
    fn text<E: de::Error>(self, v: &str) -> Read<Option<T>, E> {
        Ok(from_value(Value::String(v.to_owned())).map(Some))
    }
    fn list<A: SeqAccess<'de>>(self, seq: A) -> Read<Option<T>, A::Error> {
        let json = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(from_value(json).map(Some))
    }
}

impl<T: Tolerant> Tolerant for Option<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Option<T>, D::Error> {
        // Straight to `T` for anything but `null` (`some`), for a deserializer that can tell;
        // one that cannot gives the value itself, read as a lone value.
        deserializer.deserialize_option(Visit(OptionShape(PhantomData)))
    }
}

/// A list: its items that can be read; `""` is an empty list, and a lone value a list of one.
struct ListShape<T>(PhantomData<T>);

impl<'de, T: Tolerant> Shapes<'de> for ListShape<T> {
    type Out = Vec<T>;

    as_lone!(|item| vec![item]);

    fn text<E: de::Error>(self, v: &str) -> Read<Vec<T>, E> {
        Ok(match v.is_empty() {
            true => Ok(Vec::new()),
            false => from_value(Value::String(v.to_owned())).map(|item| vec![item]),
        })
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Read<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            if let Ok(item) = item {
                items.push(item);
            }
        }
        Ok(Ok(items))
    }
}

impl<T: Tolerant> Tolerant for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Vec<T>, D::Error> {
        deserializer.deserialize_any(Visit(ListShape(PhantomData)))
    }
}

/// A map: its entries whose values can be read; `""` and `[]` are an empty map.
struct MapShape<T>(PhantomData<T>);

impl<'de, T: Tolerant> Shapes<'de> for MapShape<T> {
    type Out = BTreeMap<String, T>;

    fn text<E: de::Error>(self, v: &str) -> Read<BTreeMap<String, T>, E> {
        Ok(match v.is_empty() {
            true => Ok(BTreeMap::new()),
            false => Err(Miss::kind("text")),
        })
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A) -> Read<BTreeMap<String, T>, A::Error> {
        let mut empty = true;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            empty = false;
        }
        Ok(match empty {
            true => Ok(BTreeMap::new()),
            false => Err(Miss::kind("a list")),
        })
    }
    fn object<A: MapAccess<'de>>(self, mut map: A) -> Read<BTreeMap<String, T>, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(name) = name(&mut map)? {
            extra(&mut entries, name, &mut map)?;
        }
        Ok(Ok(entries))
    }
}

impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<BTreeMap<String, T>, D::Error> {
        deserializer.deserialize_any(Visit(MapShape(PhantomData)))
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
        assert_eq!(String::from_json(json!(1.0)), Some("1.0".to_owned()));
        assert_eq!(String::from_json(json!({"a": 1})), None);
        assert_eq!(i64::from_json(json!("42")), Some(42));
        assert_eq!(i64::from_json(json!(42.0)), Some(42));
        assert_eq!(i64::from_json(json!(-3)), Some(-3));
        assert_eq!(i64::from_json(json!(0.05)), None);
        assert_eq!(i32::from_json(json!(1_u64 << 40)), None);
        assert_eq!(f64::from_json(json!("0.5")), Some(0.5));
        assert_eq!(crate::Timestamp::from_json(json!("")), None);
        assert_eq!(crate::Timestamp::from_json(json!(1700000000)).map(|t| t.to_string()), Some("1700000000".into()));
    }

    #[test]
    fn collections_take_what_they_can() {
        assert_eq!(Vec::<i64>::from_json(json!([1, "2", "x", null, [3], {"a": 4}])), Some(vec![1, 2]));
        assert_eq!(Vec::<String>::from_json(json!("")), Some(vec![]));
        assert_eq!(Vec::<String>::from_json(json!("one")), Some(vec!["one".to_owned()]));
        assert_eq!(Vec::<i64>::from_json(json!(7)), Some(vec![7]));
        assert_eq!(Vec::<i64>::from_json(json!(null)), None);
        assert_eq!(Vec::<Option<i64>>::from_json(json!([1, null])), Some(vec![Some(1), None]));
        assert_eq!(BTreeMap::<String, i64>::from_json(json!([])), Some(BTreeMap::new()));
        assert_eq!(BTreeMap::<String, i64>::from_json(json!([1])), None);
        assert_eq!(BTreeMap::<String, bool>::from_json(json!({"a": "yes", "b": {}})).unwrap().len(), 1);
        assert_eq!(Option::<i64>::from_json(json!(null)), Some(None));
        assert_eq!(Option::<i64>::from_json(json!("5")), Some(Some(5)));
    }

    /// What the generator writes for a type with a required `a`, an optional `b` and
    /// additional properties.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: i64,
        b: Option<Box<Pair>>,
        rest: BTreeMap<String, bool>,
    }

    impl Tolerant for Pair {
        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Pair, D::Error> {
            object(deserializer)
        }
    }

    impl Members for Pair {
        fn members<'de, A: MapAccess<'de>>(mut map: A) -> Read<Pair, A::Error> {
            let (mut slot_a, mut slot_b, mut slot_rest) = (None, None, BTreeMap::new());
            while let Some(member) = name(&mut map)? {
                match &*member {
                    "a" => slot(&mut map, &mut slot_a),
                    "b" => slot(&mut map, &mut slot_b),
                    _ => extra(&mut slot_rest, member, &mut map),
                }?;
            }
            let slot_a = match required(slot_a, "a") {
                Ok(value) => value,
                Err(miss) => return Ok(Err(miss)),
            };
            Ok(Ok(Pair { a: slot_a, b: option(slot_b), rest: slot_rest }))
        }
    }

    struct Outer {
        pair: Pair,
    }

    impl Tolerant for Outer {
        fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Read<Outer, D::Error> {
            object(deserializer)
        }
    }

    impl Members for Outer {
        fn members<'de, A: MapAccess<'de>>(mut map: A) -> Read<Outer, A::Error> {
            let mut slot_pair = None;
            while let Some(member) = name(&mut map)? {
                match &*member {
                    "pair" => slot(&mut map, &mut slot_pair),
                    _ => skip(&mut map),
                }?;
            }
            Ok(required(slot_pair, "pair").map(|pair| Outer { pair }))
        }
    }

    #[test]
    fn objects_read_from_objects_only() {
        let pair = Pair::from_json(json!({"a": "1", "b": {"a": 2}, "c": "yes", "d": []})).unwrap();
        assert_eq!((pair.a, pair.b.map(|b| b.a)), (1, Some(2)));
        assert_eq!(pair.rest, BTreeMap::from([("c".to_owned(), true)]));
        // A name with an escape is not borrowed from the body, and reads the same.
        let escaped = from_slice::<Pair>(br#"{"\u0061": 1, "e\u0041": false}"#).unwrap().unwrap();
        assert_eq!((escaped.a, escaped.rest), (1, BTreeMap::from([("eA".to_owned(), false)])));
        assert_eq!(Pair::from_json(json!({"a": 1, "b": []})).map(|p| p.b), Some(None));
        assert_eq!(Pair::from_json(json!("")), None);
        assert_eq!(Pair::from_json(json!([])), None);
        // Read past whatever does not read, deep inside or not.
        assert_eq!(Vec::<Pair>::from_json(json!([{"a": [1, {"x": [2]}]}, {"a": 3}])).unwrap().len(), 1);
        // A lone object where a list was expected.
        assert_eq!(Vec::<Pair>::from_json(json!({"a": 5})).unwrap()[0].a, 5);
    }

    #[test]
    fn a_miss_says_where_and_what() {
        let said = |json: Value| {
            let text = serde_json::to_vec(&json).unwrap();
            let miss = from_slice::<Outer>(&text).unwrap().map(|_| ()).unwrap_err();
            (miss.path(), miss.to_string())
        };
        assert_eq!(
            said(json!({"pair": {"a": "x"}})),
            ("pair.a".into(), "found text, which cannot be read as this field".into())
        );
        assert_eq!(said(json!({"pair": {}})), ("pair.a".into(), "the required field is missing".into()));
        assert_eq!(said(json!([])), (".".into(), "found a list, which cannot be read as this type".into()));
        // An optional field's unreadable value is only `None`, whatever is wrong inside it.
        assert!(Outer::from_json(json!({"pair": {"a": 1, "b": {"a": "x"}}})).is_some());
    }

    #[test]
    fn what_is_no_json_is_an_error() {
        assert!(from_slice::<Outer>(br#"{"pair": {"a": 1"#).is_err());
        assert!(from_slice::<Outer>(br#"{"pair": {"a": 1}} x"#).is_err());
    }
}
