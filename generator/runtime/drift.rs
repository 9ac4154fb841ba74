//! Where an answer differs from the spec, and what it held that its types do not describe.
//!
//! Answers drift from the API document: members it does not list, values of another type,
//! required members left out, `null` where none is allowed, enum values it does not name. The
//! crate reads such answers anyway and loses nothing:
//! - each object read from an answer keeps what its type cannot hold, as it came, in its
//!   [`Undocumented`] (`value.undocumented()`), and writes it back out when serialised;
//! - each place is a [`Drift`]: in [`Response::drift`](crate::Response) for the call that read
//!   it, and as one `tracing` event (target `<crate>::drift`, level `WARN`) the first time a
//!   client meets it for that call and path. The event names the call, the path and the kinds
//!   of value expected and found, never the value itself: answers hold personal data;
//! - a client built with [`strict`](crate::ClientBuilder::strict) fails such a call with
//!   [`Error::Decode`](crate::Error::Decode) naming the path instead.

use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;

/// One place where an answer differs from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Drift {
    /// Where, from the answer's root: `items[2].delivery-status.code` (`.` is the whole answer).
    pub path: String,
    /// How it differs.
    pub kind: DriftKind,
    /// What the spec documents there: `text`, `an integer`, `an object`…
    pub expected: &'static str,
    /// What the answer holds there: the kind of value (`text`, `a number`…), never the value.
    pub found: &'static str,
    /// For [`DriftKind::UnlistedValue`], the value (an enum's wire value, not personal data).
    pub value: Option<String>,
}

/// How an answer differs from the spec at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the spec does not list. Its value is kept in its object's [`Undocumented`].
    UnlistedMember,
    /// A value of another type than the spec's, which the field cannot hold: the field is
    /// `None` (or, in a list, the item is left out) and the value is kept in its object's
    /// [`Undocumented`].
    OtherType,
    /// A value of another type than the spec's, read the one way it can be (`550` as the text
    /// `"550"`, `"yes"` as `true`, a lone value as a list of one): the field holds that
    /// reading, and the value as it came is kept in its object's [`Undocumented`].
    Converted,
    /// A member the spec requires is absent: its field is `None` (a list or map, empty).
    MissingMember,
    /// `null` where the spec does not allow it: the field is `None` (or, in a list, the item
    /// is left out), and the `null` is kept in its object's [`Undocumented`].
    Null,
    /// A value the spec's enum does not list: it reads as the enum's `Unknown`.
    UnlistedValue,
}

impl DriftKind {
    /// A few words for the kind, as logs and reports print it.
    pub fn as_str(&self) -> &'static str {
        match self {
            DriftKind::UnlistedMember => "a member the spec does not list",
            DriftKind::OtherType => "a value of another type, kept aside",
            DriftKind::Converted => "a value of another type, converted",
            DriftKind::MissingMember => "a required member is absent",
            DriftKind::Null => "null where the spec allows none",
            DriftKind::UnlistedValue => "a value the spec's enum does not list",
        }
    }
}

impl Drift {
    /// The path with its list indices left out (`items[].tags[]`): the same place in every item.
    pub fn place(&self) -> String {
        pattern(&self.path)
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {} (expected {}, found {})", self.path, self.kind.as_str(), self.expected, self.found)
    }
}

/// What an object read from an answer held that its type cannot: the members the spec does
/// not list, and the values of another type than the spec's, each as it came (JSON), in the
/// order received. A value the type could read in another spelling (`550` for `"550"`) is
/// both in its field and here, as it came.
///
/// Each value is found by its JSON pointer relative to the object: `/recipient` for a member,
/// `/tags/3` for an item of a list member that its type could not hold.
#[derive(Clone, PartialEq, Default)]
pub struct Undocumented {
    /// Boxed, so that an answer's every object pays one pointer (not a `Vec`'s three words)
    /// for what is nearly always nothing.
    #[allow(clippy::box_collection)]
    entries: Option<Box<Vec<Kept>>>,
}

#[derive(Clone, PartialEq)]
struct Kept {
    /// Where, relative to the object.
    pointer: String,
    /// The value as it came.
    value: Value,
    /// Whether the type holds a reading of it too (in its field, or in its place in a list).
    read: bool,
}

impl Undocumented {
    fn entries(&self) -> &[Kept] {
        self.entries.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The value of the member `name`, as it came, when the type could not hold it as is.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries().iter().find(|kept| member_of(&kept.pointer).is_some_and(|m| m == name)).map(|kept| &kept.value)
    }

    /// The value at a JSON pointer relative to the object (`/tags/3`).
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.entries().iter().find(|kept| kept.pointer == pointer).map(|kept| &kept.value)
    }

    /// Every value kept, with its JSON pointer relative to the object, in the order received.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries().iter().map(|kept| (kept.pointer.as_str(), &kept.value))
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// Whether the answer held nothing the type cannot.
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// Puts every value kept back in its place in `into` (the value it was kept beside, written
    /// out as JSON): in place of its reading, or where it was left out.
    pub(crate) fn put_back(&self, into: &mut Value) {
        for kept in self.entries() {
            match kept.pointer.is_empty() {
                true => *into = kept.value.clone(),
                false => put(into, &kept.pointer, kept.value.clone(), kept.read),
            }
        }
    }

    /// Keeps `value` at `pointer`; `read` when the type holds a reading of it too.
    pub(crate) fn push(&mut self, pointer: String, value: Value, read: bool) {
        self.entries.get_or_insert_default().push(Kept { pointer, value, read });
    }
}

impl fmt::Debug for Undocumented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The member a pointer of one step names (`/a~1b` → `a/b`); `None` for a deeper pointer.
fn member_of(pointer: &str) -> Option<std::borrow::Cow<'_, str>> {
    let step = pointer.strip_prefix('/')?;
    (!step.contains('/')).then(|| unescape(step))
}

fn unescape(step: &str) -> std::borrow::Cow<'_, str> {
    match step.contains('~') {
        true => step.replace("~1", "/").replace("~0", "~").into(),
        false => step.into(),
    }
}

/// A member name as one step of a JSON pointer (`a/b` → `a~1b`).
pub(crate) fn escape(name: &str) -> std::borrow::Cow<'_, str> {
    match name.contains(['~', '/']) {
        true => name.replace('~', "~0").replace('/', "~1").into(),
        false => name.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing an object back out: its fields, then what it kept, so that what came goes out again.

/// Serialises an object read from an answer: each field (or, where the object kept the value
/// as it came, that value), its additional properties, then the members the spec does not list.
/// An object only ever sent keeps nothing ([`sent`](Self::sent)): its fields, then its additional
/// properties.
// Which parts an API's types use depends on its spec, and on the `serialize-answers` feature.
//
// Each field is written by a call that returns nothing: the first error is held and returned by
// `end`, and the writes after it do nothing. A `?` after each field would be a `Try` obligation
// per field for the compiler to prove, in every generated `Serialize` body.
#[allow(dead_code)]
pub(crate) struct ObjectWriter<'a, M: SerializeMap> {
    /// The map being written, or the first error.
    map: Result<M, M::Error>,
    kept: &'a Undocumented,
    /// The members written as fields, when something was kept (to write the rest at the end).
    written: Vec<&'a str>,
}

#[allow(dead_code)]
impl<'a, M: SerializeMap> ObjectWriter<'a, M> {
    pub(crate) fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
        kept: &'a Undocumented,
    ) -> Self {
        ObjectWriter { map: serializer.serialize_map(None), kept, written: Vec::new() }
    }

    /// The writer of an object of a type only ever sent, which keeps nothing.
    pub(crate) fn sent<S: Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Self {
        static NOTHING: Undocumented = Undocumented { entries: None };
        Self::new(serializer, &NOTHING)
    }

    /// A field, always written (a list, a map, or a value the spec requires even as `null`).
    pub(crate) fn field<T: Serialize + ?Sized>(&mut self, name: &'a str, value: &T) {
        let Ok(map) = &mut self.map else { return };
        let written = write_field(map, self.kept, &mut self.written, name, value);
        self.hold(written);
    }

    /// An optional field: left out when `None`, unless the object kept its value as it came.
    pub(crate) fn optional<T: Serialize>(&mut self, name: &'a str, value: &Option<T>) {
        match value {
            Some(_) => self.field(name, value),
            None if self.kept.is_empty() => {}
            None => {
                let Ok(map) = &mut self.map else { return };
                self.written.push(name);
                if let Some(raw) = self.kept.pointer(&format!("/{}", escape(name))) {
                    let written = map.serialize_entry(name, raw);
                    self.hold(written);
                }
            }
        }
    }

    /// The additional properties, each a member (one kept as it came is written at the end).
    pub(crate) fn additional<T: Serialize>(&mut self, entries: &'a std::collections::BTreeMap<String, T>) {
        for (name, value) in entries {
            let Ok(map) = &mut self.map else { return };
            if self.kept.is_empty() || self.kept.get(name).is_none() {
                let written = map.serialize_entry(name, value);
                self.hold(written);
            }
        }
    }

    /// The members the object kept that no field wrote, then the end of the object; or the
    /// first error.
    pub(crate) fn end(self) -> Result<M::Ok, M::Error> {
        let mut map = self.map?;
        for (pointer, value) in self.kept.iter() {
            let Some(name) = member_of(pointer) else { continue };
            if !self.written.contains(&&*name) {
                map.serialize_entry(&*name, value)?;
            }
        }
        map.end()
    }

    fn hold(&mut self, written: Result<(), M::Error>) {
        if let Err(error) = written {
            self.map = Err(error);
        }
    }
}

/// Writes a field of an object that `kept` what came (see [`ObjectWriter::field`]).
fn write_field<'a, M: SerializeMap, T: Serialize + ?Sized>(
    map: &mut M,
    kept: &Undocumented,
    written: &mut Vec<&'a str>,
    name: &'a str,
    value: &T,
) -> Result<(), M::Error> {
    if kept.is_empty() {
        return map.serialize_entry(name, value);
    }
    written.push(name);
    let prefix = format!("/{}", escape(name));
    if let Some(raw) = kept.pointer(&prefix) {
        return map.serialize_entry(name, raw);
    }
    let below: Vec<&Kept> =
        kept.entries().iter().filter(|k| k.pointer.strip_prefix(&prefix).is_some_and(|p| p.starts_with('/'))).collect();
    if below.is_empty() {
        return map.serialize_entry(name, value);
    }
    // Values kept inside the field (items of a list, in document order): each put back in
    // its place, in place of its reading or where an item was left out.
    let mut whole = serde_json::to_value(value).map_err(M::Error::custom)?;
    for kept in below {
        put(&mut whole, &kept.pointer[prefix.len()..], kept.value.clone(), kept.read);
    }
    map.serialize_entry(name, &whole)
}

/// Puts `value` at `pointer` inside `into`: a member of an object is set; an item of a list
/// replaces its reading when `read`, and is inserted at its index otherwise (the list holds the
/// items around it).
fn put(into: &mut Value, pointer: &str, value: Value, read: bool) {
    let mut steps = pointer.strip_prefix('/').unwrap_or(pointer).split('/').map(unescape).peekable();
    let mut at = into;
    while let Some(step) = steps.next() {
        let last = steps.peek().is_none();
        at = match at {
            Value::Array(items) => {
                let Ok(index) = step.parse::<usize>() else { return };
                if last {
                    match items.get_mut(index) {
                        Some(item) if read => *item = value,
                        _ => items.insert(index.min(items.len()), value),
                    }
                    return;
                }
                match items.get_mut(index) {
                    Some(item) => item,
                    None => return,
                }
            }
            Value::Object(members) => {
                if last {
                    members.insert(step.into_owned(), value);
                    return;
                }
                members.entry(step.into_owned()).or_insert(Value::Null)
            }
            _ => return,
        };
    }
}

// ---------------------------------------------------------------------------------------------
// Telling the user: once per call and path per client, or as an error in strict mode.

/// The places a client has logged, so that each is logged once.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    places: Mutex<BTreeSet<(&'static str, DriftKind, String)>>,
}

/// At most this many places are remembered per client; beyond it, new ones are not logged.
const MAX_SEEN: usize = 4096;

impl Seen {
    /// Logs each place of `drift` this client has not logged yet for `operation`.
    pub(crate) fn report(&self, operation: &'static str, drift: &[Drift]) {
        if drift.is_empty() {
            return;
        }
        let Ok(mut places) = self.places.lock() else { return };
        for place in drift {
            if places.len() >= MAX_SEEN {
                return;
            }
            // Items of a list are one place: `items[3].x` and `items[4].x` are `items[].x`.
            if places.insert((operation, place.kind, place.place())) {
                tracing::warn!(
                    operation,
                    path = %place.path,
                    kind = place.kind.as_str(),
                    expected = place.expected,
                    found = place.found,
                    "the answer differs from the API document"
                );
            }
        }
    }
}

/// A path with its list indices left out: `items[3].tags[0]` → `items[].tags[]`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(']') {
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kept_values_are_found_by_member_and_pointer() {
        let mut kept = Undocumented::default();
        kept.push("/recipient".to_owned(), json!("a@example.com"), false);
        kept.push("/a~1b".to_owned(), json!(1), false);
        kept.push("/tags/3".to_owned(), json!({"x": 1}), false);
        assert_eq!(kept.get("recipient"), Some(&json!("a@example.com")));
        assert_eq!(kept.get("a/b"), Some(&json!(1)));
        assert_eq!(kept.get("tags"), None);
        assert_eq!(kept.pointer("/tags/3"), Some(&json!({"x": 1})));
        assert_eq!(kept.iter().map(|(p, _)| p).collect::<Vec<_>>(), ["/recipient", "/a~1b", "/tags/3"]);
        assert_eq!(escape("a~/b"), "a~0~1b");
    }

    #[test]
    fn kept_items_go_back_where_they_were() {
        let mut list = json!([1, 2, 5]);
        put(&mut list, "/2", json!("three"), false);
        put(&mut list, "/3", json!("four"), false);
        assert_eq!(list, json!([1, 2, "three", "four", 5]));
        // A value read in another spelling replaces its reading.
        put(&mut list, "/0", json!("1"), true);
        assert_eq!(list, json!(["1", 2, "three", "four", 5]));
        let mut nested = json!({"a": [[1], [2]]});
        put(&mut nested, "/a/1/0", json!(null), false);
        assert_eq!(nested, json!({"a": [[1], [null, 2]]}));
    }

    #[test]
    fn patterns_leave_indices_out() {
        assert_eq!(pattern("items[3].tags[10]"), "items[].tags[]");
        assert_eq!(pattern("a.b"), "a.b");
        assert_eq!(pattern("x[y]"), "x[y]");
    }
}
