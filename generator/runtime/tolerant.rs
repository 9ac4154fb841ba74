//! How answers are read: tolerantly, because answers drift from the API document, and
//! losslessly, because a value read as missing is worse than an error.
//!
//! Every field of a type read from answers goes through [`Tolerant`]. A value reads when it is
//! of the documented type, or when it has one unambiguous reading as that type (`"yes"` for
//! `true`, `550` for the text `"550"`, `"42"` or `42.0` for the integer 42, a lone value for a
//! list of one): the field holds the reading. What has no reading is not dropped: the field is
//! `None` and the value is kept, as it came, by the object around it ([`Undocumented`]); so
//! are the members the spec does not list. A value read in another spelling is kept as it came
//! too, so that writing the object out gives back what came. Each such place is written in
//! the [`Log`] of the reading, which the client turns into [`Drift`]s.
//!
//! Answers are read as they stream from the body's bytes, with no JSON tree in between, so that
//! reading costs about what serde's derived code costs. Each generated type's part is one small
//! function ([`Members::member`]); the rest is here, once.

// The generated types use the parts they need; an API without, say, maps leaves some unused.
#![allow(dead_code)]

use crate::drift::{Drift, DriftKind, Undocumented};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// What reading a value gives: `Ok(Ok(value))`; `Ok(Err(Miss))` when the value has no reading
/// as the type (it has been read past, and written in the log with the value as it came); or
/// `Err` when the input is no JSON.
pub(crate) type Read<T, E> = Result<Result<T, Miss>, E>;

/// A value that has no reading as its type. What it was is in the [`Log`].
#[derive(Debug)]
pub(crate) struct Miss;

/// A type that reads leniently from any JSON value.
pub(crate) trait Tolerant: Sized {
    /// Reads the value `deserializer` holds, writing in `log` where it differs from the spec.
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Self, D::Error>;
}

/// Reads a whole JSON text as `T`.
pub(crate) fn from_slice<T: Tolerant>(text: &[u8], log: &mut Log) -> Read<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let read = T::read(&mut deserializer, log)?;
    deserializer.end()?;
    Ok(read)
}

/// `Deserialize` for a generated type: its [`Tolerant`] reading, for a value read on its own
/// (what the value keeps, it keeps; where it differs from the spec is not reported).
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Tolerant>(deserializer: D) -> Result<T, D::Error> {
    let mut log = Log::default();
    match T::read(deserializer, &mut log)? {
        Ok(value) => Ok(value),
        Err(Miss) => Err(de::Error::custom(log.failure())),
    }
}

/// `Deserialize` for a string enum: from any text, a value it does not list read as its
/// `Unknown`. (Here once, rather than a `?` in each enum's impl.)
pub(crate) fn text_enum_value<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(T::from(&text))
}

// ---------------------------------------------------------------------------------------------
// The log: where an answer differs from the spec.

/// Where the value read so far differs from the spec, each place with the value as it came
/// until the object around it keeps it.
#[derive(Debug, Default)]
pub(crate) struct Log {
    found: Vec<Found>,
}

#[derive(Debug)]
struct Found {
    /// From the place up to the value read, innermost first (each level adds its step as the
    /// reading returns through it).
    path: Vec<Step>,
    kind: DriftKind,
    expected: &'static str,
    found: &'static str,
    /// The value as it came, until an object keeps it.
    raw: Option<Value>,
    /// An enum's unlisted value.
    value: Option<String>,
}

#[derive(Debug, Clone)]
enum Step {
    Member(Cow<'static, str>),
    Index(usize),
}

impl Log {
    /// A mark: what is written after it is what a value read next found.
    #[inline]
    pub(crate) fn mark(&self) -> usize {
        self.found.len()
    }

    /// Puts the places found since `mark` inside the member `name`: what reading its value
    /// found is found in the member. (Called for every member: the common case, nothing found,
    /// is one comparison where it is called.)
    #[inline]
    pub(crate) fn within(&mut self, mark: usize, name: &str) {
        if self.found.len() > mark {
            self.within_member(mark, name);
        }
    }

    fn within_member(&mut self, mark: usize, name: &str) {
        let step = Step::Member(Cow::Owned(name.to_owned()));
        for found in &mut self.found[mark..] {
            found.path.push(step.clone());
        }
    }

    /// Puts the places found since `mark` inside item `index` of a list. (Called for every
    /// item: the common case, nothing found, is one comparison where it is called.)
    #[inline]
    fn in_item(&mut self, mark: usize, index: usize) {
        if self.found.len() > mark {
            self.within_item(mark, index);
        }
    }

    fn within_item(&mut self, mark: usize, index: usize) {
        for found in &mut self.found[mark..] {
            found.path.push(Step::Index(index));
        }
    }

    /// A place where the value read differs, with the value as it came (the kind of value
    /// found is read off it).
    fn write(&mut self, kind: DriftKind, expected: &'static str, raw: Option<Value>) {
        let found = raw.as_ref().map_or("nothing", kind_of);
        self.found.push(Found { path: Vec::new(), kind, expected, found, raw, value: None });
    }

    /// A value of another type, with no reading as the documented one.
    fn other_type<T>(&mut self, expected: &'static str, raw: Value) -> Result<T, Miss> {
        self.write(DriftKind::OtherType, expected, Some(raw));
        Err(Miss)
    }

    /// A value of another type, read the one way it can be.
    fn converted(&mut self, expected: &'static str, raw: Value) {
        self.write(DriftKind::Converted, expected, Some(raw));
    }

    /// `null` where the spec allows none (kept too, so that what came goes out again).
    fn null<T>(&mut self, expected: &'static str) -> Result<T, Miss> {
        self.write(DriftKind::Null, expected, Some(Value::Null));
        Err(Miss)
    }

    /// A member the spec requires that did not come.
    fn missing(&mut self, name: &'static str) {
        let mark = self.mark();
        self.write(DriftKind::MissingMember, "a value", None);
        self.found[mark].path.push(Step::Member(Cow::Borrowed(name)));
    }

    /// A value the enum does not list (its text stands for it: nothing is kept).
    fn unlisted_value(&mut self, value: &str) {
        let (kind, expected) = (DriftKind::UnlistedValue, "one of the listed values");
        self.found.push(Found {
            path: Vec::new(),
            kind,
            expected,
            found: "text",
            raw: None,
            value: Some(value.into()),
        });
    }

    /// Keeps, for the object read since `start`, the values its members found that nothing
    /// inside kept: what the object holds beside its fields.
    #[inline]
    pub(crate) fn keep(&mut self, start: usize) -> Undocumented {
        match self.found.len() > start {
            true => self.keep_found(start),
            false => Undocumented::default(),
        }
    }

    fn keep_found(&mut self, start: usize) -> Undocumented {
        let mut kept = Undocumented::default();
        for found in &mut self.found[start..] {
            if let Some(raw) = found.raw.take() {
                kept.push(pointer(&found.path), raw, found.kind == DriftKind::Converted);
            }
        }
        kept
    }

    /// The places found, from the root.
    pub(crate) fn into_drift(self) -> Vec<Drift> {
        self.found
            .into_iter()
            .map(|found| Drift {
                path: path(&found.path),
                kind: found.kind,
                expected: found.expected,
                found: found.found,
                value: found.value,
            })
            .collect()
    }

    /// Why the whole value has no reading: the place found at its root.
    pub(crate) fn failure(&self) -> String {
        match self.found.iter().rev().find(|f| f.path.is_empty()) {
            Some(found) => format!("found {}, which cannot be read as {}", found.found, found.expected),
            None => "the value cannot be read as its type".to_owned(),
        }
    }
}

/// A JSON pointer from the steps (innermost first): `/tags/3`.
fn pointer(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps.iter().rev() {
        out.push('/');
        match step {
            Step::Member(name) => out.push_str(&crate::drift::escape(name)),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// A path a user reads, from the steps (innermost first): `items[2].delivery-status.code`.
fn path(steps: &[Step]) -> String {
    if steps.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for step in steps.iter().rev() {
        match step {
            Step::Member(name) if !name.is_empty() && !name.contains(['.', '[', ']', '"', ' ']) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Member(name) => out.push_str(&format!("[{}]", Value::String(name.to_string()))),
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

fn kind_of(json: &Value) -> &'static str {
    match json {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Objects: what the generated types implement.

/// A struct read from a JSON object, member by member: what each generated struct implements.
/// The loop over the members is here, once ([`ObjectShape`]); a struct says where each member
/// goes. (A `?` per struct, let alone per member, is an obligation the compiler proves in
/// every generated body: the bodies here have none.)
pub(crate) trait Members: Default {
    /// The wire names of the members the spec requires, in field order: [`member`](Self::member)
    /// sets `present[i]` when `REQUIRED[i]` comes.
    const REQUIRED: &'static [&'static str];

    /// Reads the value of the member `name`, just named, into its field (with [`option`],
    /// [`nullable`], [`or_default`], [`nullable_or_default`] or [`extra`]), or as a member the
    /// spec does not list ([`unlisted`]).
    fn member<'de, A: MapAccess<'de>>(
        &mut self,
        name: &str,
        map: &mut A,
        present: &mut [bool],
        log: &mut Log,
    ) -> Result<(), A::Error>;

    /// Takes what the object kept that its fields cannot hold.
    fn keep(&mut self, undocumented: Undocumented);
}

/// [`Tolerant::read`] for a struct: from an object only. (Not a blanket `impl<T: Members>
/// Tolerant for T`: it would overlap the one for `Box<T>`, which a recursive type needs.)
pub(crate) fn object<'de, T: Members, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<T, D::Error> {
    deserializer.deserialize_any(Visit { shape: ObjectShape::<T>(PhantomData), log })
}

struct ObjectShape<T>(PhantomData<T>);

/// The required members a struct can flag without allocating.
const FLAGS_ON_STACK: usize = 16;

impl<'de, T: Members> Shapes<'de> for ObjectShape<T> {
    type Out = T;
    const EXPECTED: &'static str = "an object";

    /// Reads the members into a default value, each by [`Members::member`] (what reading it
    /// found is put inside it), notes the required ones that did not come and keeps the rest.
    fn object<A: MapAccess<'de>>(self, mut map: A, log: &mut Log) -> Read<T, A::Error> {
        let start = log.mark();
        let mut value = T::default();
        let (mut on_stack, mut on_heap) = ([false; FLAGS_ON_STACK], Vec::new());
        let present: &mut [bool] = match T::REQUIRED.len() {
            count if count <= FLAGS_ON_STACK => &mut on_stack[..count],
            count => {
                on_heap.resize(count, false);
                &mut on_heap
            }
        };
        while let Some(member) = name(&mut map)? {
            let mark = log.mark();
            value.member(&member, &mut map, present, log)?;
            log.within(mark, &member);
        }
        required(present, T::REQUIRED, log);
        // Nearly always nothing was found: the default `Undocumented` stays as it is.
        if log.mark() > start {
            value.keep(log.keep(start));
        }
        Ok(Ok(value))
    }
}

/// The next member's name; borrowed from the body where it can be.
pub(crate) fn name<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_key_seed(NameSeed)
}

/// Reads the value of the member just named into its field: `None` when it has no reading.
pub(crate) fn option<'de, T: Tolerant, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut Option<T>,
    log: &mut Log,
) -> Result<(), A::Error> {
    *field = map.next_value_seed(Seed::<T>::new(log))?.ok();
    Ok(())
}

/// Reads the value of the member just named into a nullable field: `None` when it is `null`
/// or has no reading.
pub(crate) fn nullable<'de, T: Tolerant, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut Option<T>,
    log: &mut Log,
) -> Result<(), A::Error> {
    *field = map.next_value_seed(Seed::<Option<T>>::new(log))?.ok().flatten();
    Ok(())
}

/// Reads the value of the member just named into a list or map field: empty when it has no
/// reading.
pub(crate) fn or_default<'de, T: Tolerant + Default, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut T,
    log: &mut Log,
) -> Result<(), A::Error> {
    *field = map.next_value_seed(Seed::<T>::new(log))?.unwrap_or_default();
    Ok(())
}

/// Reads the value of the member just named into a nullable list or map field: empty when it
/// is `null` or has no reading.
pub(crate) fn nullable_or_default<'de, T: Tolerant + Default, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut T,
    log: &mut Log,
) -> Result<(), A::Error> {
    *field = map.next_value_seed(Seed::<Option<T>>::new(log))?.ok().flatten().unwrap_or_default();
    Ok(())
}

/// Keeps the value of the member just named, which the spec does not list.
pub(crate) fn unlisted<'de, A: MapAccess<'de>>(map: &mut A, log: &mut Log) -> Result<(), A::Error> {
    let raw: Value = map.next_value()?;
    log.write(DriftKind::UnlistedMember, "no such member", Some(raw));
    Ok(())
}

/// Reads the value of the member `name`, just named, as one of the additional properties; one
/// that does not read as their type is kept aside.
pub(crate) fn extra<'de, T: Tolerant, A: MapAccess<'de>>(
    rest: &mut BTreeMap<String, T>,
    name: &str,
    map: &mut A,
    log: &mut Log,
) -> Result<(), A::Error> {
    if let Ok(value) = map.next_value_seed(Seed::<T>::new(log))? {
        rest.insert(name.to_owned(), value);
    }
    Ok(())
}

/// Notes each member the spec requires that the object did not have: `names[i]` came when
/// `present[i]` is set. (The common case, every one came, is one scan of the flags where it is
/// called.)
#[inline]
pub(crate) fn required(present: &[bool], names: &[&'static str], log: &mut Log) {
    if present.contains(&false) {
        note_missing(present, names, log);
    }
}

fn note_missing(present: &[bool], names: &[&'static str], log: &mut Log) {
    for (&present, &name) in present.iter().zip(names) {
        if !present {
            log.missing(name);
        }
    }
}

/// [`Tolerant::read`] for a union: the value as the variant that reads it with the fewest
/// differences from the spec (the first of those), each variant tried on the whole value.
pub(crate) fn union<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    log: &mut Log,
    variants: impl FnOnce(&mut Choice<T>),
) -> Read<T, D::Error> {
    let json = Value::deserialize(deserializer)?;
    if json.is_null() {
        return Ok(log.null("one of the variants"));
    }
    let text = serde_json::to_vec(&json).map_err(de::Error::custom)?;
    let mut choice = Choice { text, best: None };
    variants(&mut choice);
    Ok(match choice.best {
        Some((value, found)) => {
            log.found.extend(found.found);
            Ok(value)
        }
        None => log.other_type("one of the variants", json),
    })
}

/// The variants of a union tried so far, and the best reading.
pub(crate) struct Choice<T> {
    text: Vec<u8>,
    best: Option<(T, Log)>,
}

impl<T> Choice<T> {
    /// Tries the variant that holds a `V`, unless a variant already read the value as the spec
    /// says.
    pub(crate) fn variant<V: Tolerant>(&mut self, wrap: impl FnOnce(V) -> T) {
        if self.best.as_ref().is_some_and(|(_, log)| log.found.is_empty()) {
            return;
        }
        let mut log = Log::default();
        let Ok(Ok(value)) = from_slice::<V>(&self.text, &mut log) else { return };
        if self.best.as_ref().is_none_or(|(_, best)| log.found.len() < best.found.len()) {
            self.best = Some((wrap(value), log));
        }
    }
}

/// A string enum read from text (or a number or boolean, as its text); a value `values` does
/// not list is written in the log.
pub(crate) fn text_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(
    deserializer: D,
    log: &mut Log,
    values: &[&str],
) -> Read<T, D::Error> {
    Ok(String::read(deserializer, log)?.map(|text| {
        if !values.contains(&text.as_str()) {
            log.unlisted_value(&text);
        }
        T::from(text.as_str())
    }))
}

// ---------------------------------------------------------------------------------------------
// The machinery: what each type makes of each kind of JSON value.

/// What a type makes of each kind of JSON value. A kind it does not take has no reading, and
/// is written in the log with the value.
trait Shapes<'de>: Sized {
    type Out;
    /// The kind of value the spec documents, in words (`text`, `an integer`).
    const EXPECTED: &'static str;

    fn boolean<E: de::Error>(self, v: bool, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.other_type(Self::EXPECTED, Value::Bool(v)))
    }
    fn signed<E: de::Error>(self, v: i64, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.other_type(Self::EXPECTED, Value::from(v)))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.other_type(Self::EXPECTED, Value::from(v)))
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.other_type(Self::EXPECTED, Value::from(v)))
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.other_type(Self::EXPECTED, Value::String(v.to_owned())))
    }
    fn owned_text<E: de::Error>(self, text: String, log: &mut Log) -> Read<Self::Out, E> {
        self.text(&text, log)
    }
    fn null<E: de::Error>(self, log: &mut Log) -> Read<Self::Out, E> {
        Ok(log.null(Self::EXPECTED))
    }
    /// A value that is not `null`, from a deserializer asked for an optional one.
    fn some<D: Deserializer<'de>>(self, deserializer: D, log: &mut Log) -> Read<Self::Out, D::Error> {
        deserializer.deserialize_any(Visit { shape: self, log })
    }
    fn list<A: SeqAccess<'de>>(self, seq: A, log: &mut Log) -> Read<Self::Out, A::Error> {
        let raw = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(log.other_type(Self::EXPECTED, raw))
    }
    fn object<A: MapAccess<'de>>(self, map: A, log: &mut Log) -> Read<Self::Out, A::Error> {
        let raw = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(log.other_type(Self::EXPECTED, raw))
    }
}

/// The serde visitor of a [`Shapes`].
struct Visit<'l, S> {
    shape: S,
    log: &'l mut Log,
}

impl<'de, S: Shapes<'de>> Visitor<'de> for Visit<'_, S> {
    type Value = Result<S::Out, Miss>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.shape.boolean(v, self.log)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.shape.signed(v, self.log)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.shape.unsigned(v, self.log)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.shape.float(v, self.log)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.shape.text(v, self.log)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.shape.owned_text(v, self.log)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.shape.null(self.log)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.shape.null(self.log)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.shape.some(deserializer, self.log)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.shape.list(seq, self.log)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.shape.object(map, self.log)
    }
}

/// Reads a value as `T` where serde asks for a seed (list items, member values).
struct Seed<'l, T> {
    log: &'l mut Log,
    read: PhantomData<T>,
}

impl<'l, T> Seed<'l, T> {
    fn new(log: &'l mut Log) -> Self {
        Seed { log, read: PhantomData }
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = Result<T, Miss>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::read(deserializer, self.log)
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
/// more. For what is rare: a value standing alone where a list was expected, and a union's
/// variants.
fn from_value<T: Tolerant>(json: &Value, log: &mut Log) -> Result<T, Miss> {
    let text = serde_json::to_vec(json).map_err(|_| Miss)?;
    from_slice::<T>(&text, log).unwrap_or(Err(Miss))
}

// ---------------------------------------------------------------------------------------------
// Scalars.

struct TextShape;

impl<'de> Shapes<'de> for TextShape {
    type Out = String;
    const EXPECTED: &'static str = "text";

    fn boolean<E: de::Error>(self, v: bool, log: &mut Log) -> Read<String, E> {
        log.converted(Self::EXPECTED, Value::Bool(v));
        Ok(Ok(v.to_string()))
    }
    fn signed<E: de::Error>(self, v: i64, log: &mut Log) -> Read<String, E> {
        log.converted(Self::EXPECTED, Value::from(v));
        Ok(Ok(v.to_string()))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<String, E> {
        log.converted(Self::EXPECTED, Value::from(v));
        Ok(Ok(v.to_string()))
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<String, E> {
        // As JSON writes it (`1.0`, not Rust's `1`).
        let Some(number) = serde_json::Number::from_f64(v) else { return Ok(Err(Miss)) };
        let text = number.to_string();
        log.converted(Self::EXPECTED, Value::Number(number));
        Ok(Ok(text))
    }
    fn text<E: de::Error>(self, v: &str, _: &mut Log) -> Read<String, E> {
        Ok(Ok(v.to_owned()))
    }
    fn owned_text<E: de::Error>(self, v: String, _: &mut Log) -> Read<String, E> {
        Ok(Ok(v))
    }
}

impl Tolerant for String {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<String, D::Error> {
        deserializer.deserialize_any(Visit { shape: TextShape, log })
    }
}

struct BoolShape;

impl<'de> Shapes<'de> for BoolShape {
    type Out = bool;
    const EXPECTED: &'static str = "a boolean";

    fn boolean<E: de::Error>(self, v: bool, _: &mut Log) -> Read<bool, E> {
        Ok(Ok(v))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<bool, E> {
        let read = match v {
            0 => false,
            1 => true,
            _ => return Ok(log.other_type(Self::EXPECTED, Value::from(v))),
        };
        log.converted(Self::EXPECTED, Value::from(v));
        Ok(Ok(read))
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<bool, E> {
        let read = match v.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => true,
            "false" | "no" | "n" | "off" | "0" => false,
            _ => return Ok(log.other_type(Self::EXPECTED, Value::String(v.to_owned()))),
        };
        log.converted(Self::EXPECTED, Value::String(v.to_owned()));
        Ok(Ok(read))
    }
}

impl Tolerant for bool {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<bool, D::Error> {
        deserializer.deserialize_any(Visit { shape: BoolShape, log })
    }
}

struct IntegerShape<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64> + std::str::FromStr> Shapes<'de> for IntegerShape<T> {
    type Out = T;
    const EXPECTED: &'static str = "an integer";

    fn signed<E: de::Error>(self, v: i64, log: &mut Log) -> Read<T, E> {
        Ok(T::try_from(v).or_else(|_| log.other_type(Self::EXPECTED, Value::from(v))))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<T, E> {
        match i64::try_from(v).ok().and_then(|v| T::try_from(v).ok()) {
            Some(read) => Ok(Ok(read)),
            None => Ok(log.other_type(Self::EXPECTED, Value::from(v))),
        }
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<T, E> {
        // A whole number written as a float reads; a fraction does not.
        let whole = (v.fract() == 0.0 && v.abs() < 9.0e15).then(|| T::try_from(v as i64).ok()).flatten();
        match whole {
            Some(read) => {
                log.converted(Self::EXPECTED, Value::from(v));
                Ok(Ok(read))
            }
            None => Ok(log.other_type(Self::EXPECTED, Value::from(v))),
        }
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<T, E> {
        match v.trim().parse() {
            Ok(read) => {
                log.converted(Self::EXPECTED, Value::String(v.to_owned()));
                Ok(Ok(read))
            }
            Err(_) => Ok(log.other_type(Self::EXPECTED, Value::String(v.to_owned()))),
        }
    }
}

impl Tolerant for i32 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<i32, D::Error> {
        deserializer.deserialize_any(Visit { shape: IntegerShape(PhantomData), log })
    }
}

impl Tolerant for i64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<i64, D::Error> {
        deserializer.deserialize_any(Visit { shape: IntegerShape(PhantomData), log })
    }
}

struct FloatShape;

impl<'de> Shapes<'de> for FloatShape {
    type Out = f64;
    const EXPECTED: &'static str = "a number";

    fn signed<E: de::Error>(self, v: i64, _: &mut Log) -> Read<f64, E> {
        Ok(Ok(v as f64))
    }
    fn unsigned<E: de::Error>(self, v: u64, _: &mut Log) -> Read<f64, E> {
        Ok(Ok(v as f64))
    }
    fn float<E: de::Error>(self, v: f64, _: &mut Log) -> Read<f64, E> {
        Ok(Ok(v))
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<f64, E> {
        match v.trim().parse::<f64>().ok().filter(|n| n.is_finite()) {
            Some(read) => {
                log.converted(Self::EXPECTED, Value::String(v.to_owned()));
                Ok(Ok(read))
            }
            None => Ok(log.other_type(Self::EXPECTED, Value::String(v.to_owned()))),
        }
    }
}

impl Tolerant for f64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<f64, D::Error> {
        deserializer.deserialize_any(Visit { shape: FloatShape, log })
    }
}

/// Any JSON value, `null` among them.
impl Tolerant for Value {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, _: &mut Log) -> Read<Value, D::Error> {
        Ok(Ok(Value::deserialize(deserializer)?))
    }
}

/// A time: non-empty text, or a number (kept a number, for writing it out again).
struct TimestampShape;

impl<'de> Shapes<'de> for TimestampShape {
    type Out = crate::Timestamp;
    const EXPECTED: &'static str = "a time";

    fn signed<E: de::Error>(self, v: i64, _: &mut Log) -> Read<crate::Timestamp, E> {
        Ok(Ok(crate::Timestamp::from_number(v.into())))
    }
    fn unsigned<E: de::Error>(self, v: u64, _: &mut Log) -> Read<crate::Timestamp, E> {
        Ok(Ok(crate::Timestamp::from_number(v.into())))
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<crate::Timestamp, E> {
        match serde_json::Number::from_f64(v) {
            Some(number) => Ok(Ok(crate::Timestamp::from_number(number))),
            None => Ok(log.other_type(Self::EXPECTED, Value::Null)),
        }
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<crate::Timestamp, E> {
        // Blank text: what `trim().is_empty()` says, stopping at the first character that is not
        // a space (trimming looks at both ends of every time read).
        match v.chars().all(char::is_whitespace) {
            true => Ok(log.other_type(Self::EXPECTED, Value::String(v.to_owned()))),
            false => Ok(Ok(crate::Timestamp::from(v.to_owned()))),
        }
    }
}

impl Tolerant for crate::Timestamp {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<crate::Timestamp, D::Error> {
        deserializer.deserialize_any(Visit { shape: TimestampShape, log })
    }
}

/// A file in an answer: its contents as text, as `File`'s own `Deserialize` reads them.
impl Tolerant for crate::File {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<crate::File, D::Error> {
        let json = Value::deserialize(deserializer)?;
        Ok(match crate::File::deserialize(&json) {
            Ok(file) => Ok(file),
            Err(_) => log.other_type("a file's contents as text", json),
        })
    }
}

/// A call documented without a body reads whatever comes; a body that comes anyway is noted
/// (the answer's bytes hold it).
impl Tolerant for () {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<(), D::Error> {
        let json = Value::deserialize(deserializer)?;
        if !json.is_null() {
            log.converted("no body", json);
        }
        Ok(Ok(()))
    }
}

// ---------------------------------------------------------------------------------------------
// Containers.

impl<T: Tolerant> Tolerant for Box<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Box<T>, D::Error> {
        Ok(T::read(deserializer, log)?.map(Box::new))
    }
}

/// A nullable item: `null` is a value of its own.
struct OptionShape<T>(PhantomData<T>);

impl<'de, T: Tolerant> Shapes<'de> for OptionShape<T> {
    type Out = Option<T>;
    const EXPECTED: &'static str = "a value or null";

    fn null<E: de::Error>(self, _: &mut Log) -> Read<Option<T>, E> {
        Ok(Ok(None))
    }
    fn some<D: Deserializer<'de>>(self, deserializer: D, log: &mut Log) -> Read<Option<T>, D::Error> {
        Ok(T::read(deserializer, log)?.map(Some))
    }
    // A deserializer that cannot tell `null` apart gives the value itself: read it as `T`.
    fn boolean<E: de::Error>(self, v: bool, log: &mut Log) -> Read<Option<T>, E> {
        Ok(from_value(&Value::Bool(v), log).map(Some))
    }
    fn signed<E: de::Error>(self, v: i64, log: &mut Log) -> Read<Option<T>, E> {
        Ok(from_value(&Value::from(v), log).map(Some))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<Option<T>, E> {
        Ok(from_value(&Value::from(v), log).map(Some))
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<Option<T>, E> {
        Ok(from_value(&Value::from(v), log).map(Some))
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<Option<T>, E> {
        Ok(from_value(&Value::String(v.to_owned()), log).map(Some))
    }
    fn list<A: SeqAccess<'de>>(self, seq: A, log: &mut Log) -> Read<Option<T>, A::Error> {
        let json = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(from_value(&json, log).map(Some))
    }
    fn object<A: MapAccess<'de>>(self, map: A, log: &mut Log) -> Read<Option<T>, A::Error> {
        let json = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(from_value(&json, log).map(Some))
    }
}

impl<T: Tolerant> Tolerant for Option<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Option<T>, D::Error> {
        // Straight to `T` for anything but `null` (`some`), for a deserializer that can tell.
        deserializer.deserialize_option(Visit { shape: OptionShape(PhantomData), log })
    }
}

/// A list: each item read; an item with no reading is left out (and kept by the object around
/// the list). `""` reads as an empty list, a lone value as a list of one (each kept as it came).
struct ListShape<T>(PhantomData<T>);

impl<T: Tolerant> ListShape<T> {
    /// A lone value where a list was expected, as a list of one.
    fn lone(json: Value, log: &mut Log) -> Result<Vec<T>, Miss> {
        let mark = log.mark();
        let read = from_value::<T>(&json, log);
        // One place, the value as it came: not an item of a list it never was.
        log.found.truncate(mark);
        match read {
            Ok(item) => {
                log.converted(<Self as Shapes<'_>>::EXPECTED, json);
                Ok(vec![item])
            }
            Err(Miss) => log.other_type(<Self as Shapes<'_>>::EXPECTED, json),
        }
    }
}

impl<'de, T: Tolerant> Shapes<'de> for ListShape<T> {
    type Out = Vec<T>;
    const EXPECTED: &'static str = "a list";

    fn boolean<E: de::Error>(self, v: bool, log: &mut Log) -> Read<Vec<T>, E> {
        Ok(Self::lone(Value::Bool(v), log))
    }
    fn signed<E: de::Error>(self, v: i64, log: &mut Log) -> Read<Vec<T>, E> {
        Ok(Self::lone(Value::from(v), log))
    }
    fn unsigned<E: de::Error>(self, v: u64, log: &mut Log) -> Read<Vec<T>, E> {
        Ok(Self::lone(Value::from(v), log))
    }
    fn float<E: de::Error>(self, v: f64, log: &mut Log) -> Read<Vec<T>, E> {
        Ok(Self::lone(Value::from(v), log))
    }
    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<Vec<T>, E> {
        if v.is_empty() {
            log.converted(Self::EXPECTED, Value::String(String::new()));
            return Ok(Ok(Vec::new()));
        }
        Ok(Self::lone(Value::String(v.to_owned()), log))
    }
    fn object<A: MapAccess<'de>>(self, map: A, log: &mut Log) -> Read<Vec<T>, A::Error> {
        let json = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Self::lone(json, log))
    }
    fn list<A: SeqAccess<'de>>(self, mut seq: A, log: &mut Log) -> Read<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let mut index = 0;
        loop {
            let mark = log.mark();
            let Some(item) = seq.next_element_seed(Seed::<T>::new(log))? else { break };
            log.in_item(mark, index);
            if let Ok(item) = item {
                items.push(item);
            }
            index += 1;
        }
        Ok(Ok(items))
    }
}

impl<T: Tolerant> Tolerant for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Vec<T>, D::Error> {
        deserializer.deserialize_any(Visit { shape: ListShape(PhantomData), log })
    }
}

/// A map: each entry read; an entry with no reading is left out (and kept by the object around
/// the map). `""` and `[]` read as an empty map (kept as they came).
struct MapShape<T>(PhantomData<T>);

impl<'de, T: Tolerant> Shapes<'de> for MapShape<T> {
    type Out = BTreeMap<String, T>;
    const EXPECTED: &'static str = "an object";

    fn text<E: de::Error>(self, v: &str, log: &mut Log) -> Read<BTreeMap<String, T>, E> {
        let raw = Value::String(v.to_owned());
        if !v.is_empty() {
            return Ok(log.other_type(Self::EXPECTED, raw));
        }
        log.converted(Self::EXPECTED, raw);
        Ok(Ok(BTreeMap::new()))
    }
    fn list<A: SeqAccess<'de>>(self, seq: A, log: &mut Log) -> Read<BTreeMap<String, T>, A::Error> {
        let raw = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        if raw.as_array().is_some_and(|items| !items.is_empty()) {
            return Ok(log.other_type(Self::EXPECTED, raw));
        }
        log.converted(Self::EXPECTED, raw);
        Ok(Ok(BTreeMap::new()))
    }
    fn object<A: MapAccess<'de>>(self, mut map: A, log: &mut Log) -> Read<BTreeMap<String, T>, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(name) = name(&mut map)? {
            let mark = log.mark();
            extra(&mut entries, &name, &mut map, log)?;
            log.within(mark, &name);
        }
        Ok(Ok(entries))
    }
}

impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<BTreeMap<String, T>, D::Error> {
        deserializer.deserialize_any(Visit { shape: MapShape(PhantomData), log })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The reading of `json` as `T`, and the places found.
    fn read<T: Tolerant>(json: Value) -> (Option<T>, Vec<Drift>) {
        let mut log = Log::default();
        let text = serde_json::to_vec(&json).unwrap();
        let value = from_slice::<T>(&text, &mut log).unwrap().ok();
        (value, log.into_drift())
    }

    fn value<T: Tolerant>(json: Value) -> Option<T> {
        read(json).0
    }

    fn kinds(drift: &[Drift]) -> Vec<(&str, DriftKind)> {
        drift.iter().map(|d| (d.path.as_str(), d.kind)).collect()
    }

    #[test]
    fn scalars_read_from_their_unambiguous_spellings() {
        assert_eq!(value::<bool>(json!("yes")), Some(true));
        assert_eq!(value::<bool>(json!("no")), Some(false));
        assert_eq!(value::<bool>(json!(1)), Some(true));
        assert_eq!(value::<bool>(json!("htmlonly")), None);
        assert_eq!(value::<String>(json!(550)), Some("550".to_owned()));
        assert_eq!(value::<String>(json!(1.0)), Some("1.0".to_owned()));
        assert_eq!(value::<String>(json!({"a": 1})), None);
        assert_eq!(value::<i64>(json!("42")), Some(42));
        assert_eq!(value::<i64>(json!(42.0)), Some(42));
        assert_eq!(value::<i64>(json!(-3)), Some(-3));
        assert_eq!(value::<i64>(json!(0.05)), None);
        assert_eq!(value::<i32>(json!(1_u64 << 40)), None);
        assert_eq!(value::<f64>(json!("0.5")), Some(0.5));
        assert_eq!(value::<f64>(json!(3)), Some(3.0));
        assert_eq!(value::<crate::Timestamp>(json!("")), None);
        assert_eq!(value::<crate::Timestamp>(json!(1700000000)).map(|t| t.to_string()), Some("1700000000".into()));
        assert_eq!(value::<Value>(json!(null)), Some(Value::Null));
    }

    #[test]
    fn what_is_read_in_another_spelling_or_not_at_all_is_written_down() {
        assert_eq!(kinds(&read::<String>(json!(550)).1), [(".", DriftKind::Converted)]);
        assert_eq!(kinds(&read::<i64>(json!(0.05)).1), [(".", DriftKind::OtherType)]);
        assert_eq!(kinds(&read::<String>(json!(null)).1), [(".", DriftKind::Null)]);
        assert!(read::<f64>(json!(3)).1.is_empty(), "an integer is a number");
        assert!(read::<String>(json!("x")).1.is_empty());
        let (_, drift) = read::<i64>(json!("x"));
        assert_eq!((drift[0].expected, drift[0].found), ("an integer", "text"));
    }

    #[test]
    fn collections_take_what_they_can_and_say_where_the_rest_is() {
        let (items, drift) = read::<Vec<i64>>(json!([1, "2", "x", null, [3], {"a": 4}]));
        assert_eq!(items, Some(vec![1, 2]));
        assert_eq!(
            kinds(&drift),
            [
                ("[1]", DriftKind::Converted),
                ("[2]", DriftKind::OtherType),
                ("[3]", DriftKind::Null),
                ("[4]", DriftKind::OtherType),
                ("[5]", DriftKind::OtherType)
            ]
        );
        assert_eq!(value::<Vec<String>>(json!("")), Some(vec![]));
        assert_eq!(value::<Vec<String>>(json!("one")), Some(vec!["one".to_owned()]));
        assert_eq!(value::<Vec<i64>>(json!(7)), Some(vec![7]));
        assert_eq!(kinds(&read::<Vec<i64>>(json!(7)).1), [(".", DriftKind::Converted)]);
        assert_eq!(kinds(&read::<Vec<i64>>(json!("x")).1), [(".", DriftKind::OtherType)]);
        assert_eq!(value::<Vec<i64>>(json!(null)), None);
        assert_eq!(value::<Vec<Option<i64>>>(json!([1, null])), Some(vec![Some(1), None]));
        assert_eq!(value::<BTreeMap<String, i64>>(json!([])), Some(BTreeMap::new()));
        assert_eq!(value::<BTreeMap<String, i64>>(json!([1])), None);
        let (map, drift) = read::<BTreeMap<String, bool>>(json!({"a": "yes", "b": {}}));
        assert_eq!(map.unwrap().len(), 1);
        assert_eq!(kinds(&drift), [("a", DriftKind::Converted), ("b", DriftKind::OtherType)]);
        assert_eq!(value::<Option<i64>>(json!(null)), Some(None));
        assert_eq!(value::<Option<i64>>(json!("5")), Some(Some(5)));
    }

    /// What the generator writes for a type with a required `a`, an optional `b` and
    /// additional properties of booleans.
    #[derive(Debug, PartialEq, Default)]
    struct Pair {
        a: Option<i64>,
        b: Option<Box<Pair>>,
        rest: BTreeMap<String, bool>,
        kept: Undocumented,
    }

    impl Tolerant for Pair {
        fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Pair, D::Error> {
            object(deserializer, log)
        }
    }

    impl Members for Pair {
        const REQUIRED: &'static [&'static str] = &["a"];

        fn member<'de, A: MapAccess<'de>>(
            &mut self,
            name: &str,
            map: &mut A,
            present: &mut [bool],
            log: &mut Log,
        ) -> Result<(), A::Error> {
            match name {
                "a" => {
                    present[0] = true;
                    option(map, &mut self.a, log)
                }
                "b" => option(map, &mut self.b, log),
                _ => extra(&mut self.rest, name, map, log),
            }
        }

        fn keep(&mut self, undocumented: Undocumented) {
            self.kept = undocumented;
        }
    }

    /// A type without additional properties: a member it does not list is kept.
    #[derive(Debug, Default)]
    struct Outer {
        pair: Option<Pair>,
        tags: Vec<String>,
        kept: Undocumented,
    }

    impl Tolerant for Outer {
        fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Outer, D::Error> {
            object(deserializer, log)
        }
    }

    impl Members for Outer {
        const REQUIRED: &'static [&'static str] = &[];

        fn member<'de, A: MapAccess<'de>>(
            &mut self,
            name: &str,
            map: &mut A,
            _: &mut [bool],
            log: &mut Log,
        ) -> Result<(), A::Error> {
            match name {
                "pair" => option(map, &mut self.pair, log),
                "tags" => or_default(map, &mut self.tags, log),
                _ => unlisted(map, log),
            }
        }

        fn keep(&mut self, undocumented: Undocumented) {
            self.kept = undocumented;
        }
    }

    #[test]
    fn objects_keep_what_their_fields_cannot_hold() {
        let (pair, drift) = read::<Pair>(json!({"a": "1", "b": {"a": 2}, "c": "yes", "d": []}));
        let pair = pair.unwrap();
        assert_eq!((pair.a, pair.b.as_ref().and_then(|b| b.a)), (Some(1), Some(2)));
        assert_eq!(pair.rest, BTreeMap::from([("c".to_owned(), true)]));
        // `"1"` and `"yes"` read in another spelling, `[]` not at all: each kept as it came.
        assert_eq!(pair.kept.get("a"), Some(&json!("1")));
        assert_eq!(pair.kept.get("c"), Some(&json!("yes")));
        assert_eq!(pair.kept.get("d"), Some(&json!([])));
        assert_eq!(
            kinds(&drift),
            [("a", DriftKind::Converted), ("c", DriftKind::Converted), ("d", DriftKind::OtherType)]
        );
        // A name with an escape is not borrowed from the body, and reads the same.
        let mut log = Log::default();
        let escaped = from_slice::<Pair>(br#"{"\u0061": 1, "e\u0041": false}"#, &mut log).unwrap().unwrap();
        assert_eq!((escaped.a, escaped.rest), (Some(1), BTreeMap::from([("eA".to_owned(), false)])));
        // Absent required members are noted; their fields are `None`, never a made-up value.
        let (pair, drift) = read::<Pair>(json!({}));
        assert_eq!(pair.unwrap().a, None);
        assert_eq!(kinds(&drift), [("a", DriftKind::MissingMember)]);
        assert_eq!(value::<Pair>(json!("")), None);
        assert_eq!(value::<Pair>(json!([])), None);
    }

    /// More required members than the flags kept on the stack: one a letter, `a` to `t`.
    #[derive(Debug, Default)]
    struct Wide {
        letters: BTreeMap<String, i64>,
        kept: Undocumented,
    }

    const LETTERS: [&str; 20] =
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"];

    impl Tolerant for Wide {
        fn read<'de, D: Deserializer<'de>>(deserializer: D, log: &mut Log) -> Read<Wide, D::Error> {
            object(deserializer, log)
        }
    }

    impl Members for Wide {
        const REQUIRED: &'static [&'static str] = &LETTERS;

        fn member<'de, A: MapAccess<'de>>(
            &mut self,
            name: &str,
            map: &mut A,
            present: &mut [bool],
            log: &mut Log,
        ) -> Result<(), A::Error> {
            match LETTERS.iter().position(|letter| *letter == name) {
                Some(flag) => {
                    present[flag] = true;
                    extra(&mut self.letters, name, map, log)
                }
                None => unlisted(map, log),
            }
        }

        fn keep(&mut self, undocumented: Undocumented) {
            self.kept = undocumented;
        }
    }

    #[test]
    fn every_required_member_is_flagged_however_many_there_are() {
        assert!(LETTERS.len() > FLAGS_ON_STACK);
        let all: serde_json::Map<String, Value> = LETTERS.iter().map(|l| (l.to_string(), json!(1))).collect();
        let (wide, drift) = read::<Wide>(Value::Object(all.clone()));
        assert_eq!(wide.unwrap().letters.len(), LETTERS.len());
        assert!(drift.is_empty());
        // The first and the last missing: each noted, and only they.
        let mut some = all;
        some.remove("a");
        some.remove("t");
        let (_, drift) = read::<Wide>(Value::Object(some));
        assert_eq!(kinds(&drift), [("a", DriftKind::MissingMember), ("t", DriftKind::MissingMember)]);
    }

    #[test]
    fn values_are_kept_by_the_nearest_object_at_their_pointer() {
        let (outer, drift) = read::<Outer>(json!({
            "pair": {"a": [1], "b": "x"},
            "tags": ["a", {"b": 1}, "c"],
            "recipient": "a@example.com",
        }));
        let outer = outer.unwrap();
        assert_eq!(outer.tags, ["a", "c"]);
        assert_eq!(outer.kept.pointer("/tags/1"), Some(&json!({"b": 1})));
        assert_eq!(outer.kept.get("recipient"), Some(&json!("a@example.com")));
        let pair = outer.pair.unwrap();
        assert_eq!(pair.a, None);
        assert_eq!(pair.kept.get("a"), Some(&json!([1])));
        assert_eq!(pair.kept.get("b"), Some(&json!("x")));
        assert_eq!(
            kinds(&drift),
            [
                ("pair.a", DriftKind::OtherType),
                ("pair.b", DriftKind::OtherType),
                // `json!` sorts members by name.
                ("recipient", DriftKind::UnlistedMember),
                ("tags[1]", DriftKind::OtherType)
            ]
        );
    }

    #[test]
    fn the_failure_says_what_was_found() {
        let mut log = Log::default();
        assert!(from_slice::<Outer>(b"[]", &mut log).unwrap().is_err());
        assert_eq!(log.failure(), "found a list, which cannot be read as an object");
    }

    #[test]
    fn what_is_no_json_is_an_error() {
        let mut log = Log::default();
        assert!(from_slice::<Outer>(br#"{"pair": {"a": 1"#, &mut log).is_err());
        assert!(from_slice::<Outer>(br#"{"pair": {"a": 1}} x"#, &mut log).is_err());
    }
}
