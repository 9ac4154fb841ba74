//! The test double's server: what the generated `mock` module (its root, with `MockServer::start`
//! and the typed requests of every call) re-exports. It knows no API: the generated crate gives
//! it the calls it can tell apart and the servers its clients know.

use crate::client::{Credentials, Servers};
use crate::{Client, ClientBuilder, RetryPolicy};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A call the double can script and decode: implemented by each call's request builder type.
pub trait Call {
    /// The request as the API received it: the call's parameters and body, typed.
    type Request: fmt::Debug + Clone + Send + 'static;
    /// What the call answers with on success.
    type Answer;
    /// What the double knows of the call.
    const OPERATION: &'static Operation;
    /// Reads a received request. Only the generated calls implement this.
    #[doc(hidden)]
    fn decode(request: &mut Decoder) -> Result<Self::Request, Mismatch>;
    /// Writes an answer's body. Only the generated calls implement this.
    #[doc(hidden)]
    fn encode(answer: &Self::Answer) -> Body;
}

/// One call of the API, as the double knows it.
pub struct Operation {
    pub(crate) name: &'static str,
    pub(crate) builder: &'static str,
    pub(crate) id: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) status: u16,
    /// The statuses of the documented error answers, as inclusive ranges (`4XX` is 400–499).
    pub(crate) errors: &'static [(u16, u16)],
    pub(crate) example: Option<Example>,
    pub(crate) paging: Option<Paging>,
    /// Reads a request of the call, to check it.
    pub(crate) check: fn(&mut Decoder) -> Result<(), Mismatch>,
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation").field("name", &self.name).field("route", &self.route()).finish_non_exhaustive()
    }
}

/// Reads a request of call `C`, to check it.
pub(crate) fn check<C: Call>(decoder: &mut Decoder) -> Result<(), Mismatch> {
    C::decode(decoder).map(drop)
}

/// The API document's example of a call's success answer.
// A document may give no examples at all.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Example {
    pub(crate) content_type: &'static str,
    pub(crate) body: &'static str,
}

/// How a list answer continues on its next page: field wire names from the answer down.
// Which ways of paging an API uses depends on its spec; one without paged lists uses none.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Paging {
    /// A link to the next page.
    Link { items: &'static [&'static str], link: &'static [&'static str] },
    /// An offset query parameter.
    Offset { items: &'static [&'static str] },
    /// A token the answer gives and the body sends back.
    Token { items: &'static [&'static str], token: &'static [&'static str] },
    /// An offset in the body.
    BodyOffset { items: &'static [&'static str] },
}

impl Operation {
    /// The method of [`Client`] that makes the call (`send_message`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The call's `operationId` in the API document.
    pub fn operation_id(&self) -> &'static str {
        self.id
    }

    /// Its HTTP method and path template (`POST /v3/{domain_name}/messages`).
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Where a path matches this call's template: its parameters, or `None`.
    fn matches(&self, method: &str, path: &str) -> Option<Vec<(String, String)>> {
        (self.method == method).then(|| match_path(self.path, path)).flatten()
    }

    /// How specific its template is: the text of its literal parts, so that
    /// `/v3/domains/{name}/verify` wins over `/v3/domains/{name}/{other}`.
    fn literal_len(&self) -> usize {
        let pieces = self.path.split('{');
        pieces.map(|piece| piece.split_once('}').map_or(piece, |(_, literal)| literal).len()).sum()
    }
}

/// Matches a path against a template such as `/v3/{domain}/messages.mime`: each parameter takes
/// the text of one segment up to the literal that follows it.
fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let segments: Vec<&str> = path.split('/').collect();
    let patterns: Vec<&str> = template.split('/').collect();
    if segments.len() != patterns.len() {
        return None;
    }
    let mut params = Vec::new();
    for (pattern, segment) in patterns.iter().zip(segments) {
        let mut rest = segment;
        let mut pattern = *pattern;
        while !pattern.is_empty() {
            if let Some(after) = pattern.strip_prefix('{') {
                let (name, after) = after.split_once('}')?;
                let literal_end = after.find('{').unwrap_or(after.len());
                let next = &after[..literal_end];
                let end = if next.is_empty() { rest.len() } else { rest.find(next)? };
                if end == 0 {
                    return None;
                }
                let value = percent_encoding::percent_decode_str(&rest[..end]).decode_utf8().ok()?;
                params.push((name.to_owned(), value.into_owned()));
                rest = &rest[end..];
                pattern = after;
            } else {
                let end = pattern.find('{').unwrap_or(pattern.len());
                rest = rest.strip_prefix(&pattern[..end])?;
                pattern = &pattern[end..];
            }
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(params)
}

/// A body the double answers with.
#[derive(Debug, Clone)]
pub struct Body {
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl Body {
    /// A JSON body.
    #[doc(hidden)]
    pub fn json(value: &impl serde::Serialize) -> Body {
        // The crate's own types always serialise.
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        Body { content_type: "application/json", bytes }
    }

    /// A text body.
    #[doc(hidden)]
    pub fn text(text: &str) -> Body {
        Body { content_type: "text/plain; charset=utf-8", bytes: text.as_bytes().to_vec() }
    }

    /// Bytes.
    #[doc(hidden)]
    pub fn bytes(bytes: &[u8]) -> Body {
        Body { content_type: "application/octet-stream", bytes: bytes.to_vec() }
    }

    /// No body.
    #[doc(hidden)]
    pub fn empty(_: &()) -> Body {
        Body { content_type: "", bytes: Vec::new() }
    }
}

/// Where a received request is not what the API document describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The parameter or body field, as sent (`query parameter limit`, `body field o:tag`).
    pub place: String,
    /// What is wrong there.
    pub problem: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

impl std::error::Error for Mismatch {}

/// A value as it was sent: text, or a file of a multipart body.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    File { name: String, content_type: Option<String>, bytes: Vec<u8> },
}

/// The text of a value (a file's name, for a file where text was expected).
fn part_text(part: Part) -> String {
    match part {
        Part::Text(text) => text,
        Part::File { name, .. } => name,
    }
}

/// Puts a member's text at a path of names into an object; a repeated member is a list.
fn insert_member(object: &mut serde_json::Map<String, serde_json::Value>, path: &[String], text: String) {
    let Some((first, rest)) = path.split_first() else { return };
    if !rest.is_empty() {
        let inner = object.entry(first.clone()).or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let serde_json::Value::Object(inner) = inner {
            insert_member(inner, rest, text);
        }
        return;
    }
    let value = serde_json::Value::String(text);
    match object.get_mut(first) {
        None => {
            object.insert(first.clone(), value);
        }
        Some(serde_json::Value::Array(items)) => items.push(value),
        Some(existing) => *existing = serde_json::Value::Array(vec![existing.take(), value]),
    }
}

/// How many values a value holds, itself included.
fn leaves(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(leaves).sum::<usize>(),
        serde_json::Value::Object(members) => 1 + members.values().map(leaves).sum::<usize>(),
        _ => 1,
    }
}

/// The value at a path of members and indexes.
fn value_at<'a>(
    value: &'a mut serde_json::Value,
    path: &serde_path_to_error::Path,
) -> Option<&'a mut serde_json::Value> {
    path.iter().try_fold(value, |at, segment| match segment {
        serde_path_to_error::Segment::Map { key } => at.as_object_mut()?.get_mut(key),
        serde_path_to_error::Segment::Seq { index } => at.as_array_mut()?.get_mut(*index),
        _ => None,
    })
}

/// Named values of one kind (path or query parameters, headers, form fields), taken one name
/// at a time by the generated decoders.
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct Values {
    kind: &'static str,
    entries: Vec<(String, Part)>,
}

impl Values {
    fn new(kind: &'static str, entries: Vec<(String, Part)>) -> Values {
        Values { kind, entries }
    }

    fn place(&self, name: &str) -> String {
        format!("{} {name}", self.kind)
    }

    fn take_all(&mut self, name: &str) -> Vec<Part> {
        let (taken, kept) = std::mem::take(&mut self.entries).into_iter().partition(|(n, _)| n == name);
        self.entries = kept;
        taken.into_iter().map(|(_, part)| part).collect()
    }

    fn decode<T>(&self, name: &str, part: Part, read: Read<T>) -> Result<T, Mismatch> {
        read(part).map_err(|problem| Mismatch { place: self.place(name), problem })
    }

    /// A value that must be there, once.
    pub fn one<T>(&mut self, name: &str, read: Read<T>) -> Result<T, Mismatch> {
        match self.optional(name, read)? {
            Some(value) => Ok(value),
            None => Err(Mismatch { place: self.place(name), problem: "required, but not sent".to_owned() }),
        }
    }

    /// A value that may be there, once.
    pub fn optional<T>(&mut self, name: &str, read: Read<T>) -> Result<Option<T>, Mismatch> {
        let mut parts = self.take_all(name);
        match parts.len() {
            0 => Ok(None),
            1 => self.decode(name, parts.remove(0), read).map(Some),
            n => Err(Mismatch { place: self.place(name), problem: format!("sent {n} times, but it is one value") }),
        }
    }

    /// Every value of a list sent one per item.
    pub fn list<T>(&mut self, name: &str, read: Read<T>) -> Result<Vec<T>, Mismatch> {
        self.take_all(name).into_iter().map(|part| self.decode(name, part, read)).collect()
    }

    /// A list that may be absent (`None` when no item was sent).
    pub fn optional_list<T>(&mut self, name: &str, read: Read<T>) -> Result<Option<Vec<T>>, Mismatch> {
        self.list(name, read).map(|items| (!items.is_empty()).then_some(items))
    }

    /// A list sent as one value, its items separated by `separator`.
    pub fn joined<T>(&mut self, name: &str, separator: char, read: Read<T>) -> Result<Option<Vec<T>>, Mismatch> {
        let Some(text) = self.optional(name, text::<String>)? else { return Ok(None) };
        let items = text.split(separator).map(|item| self.decode(name, Part::Text(item.to_owned()), read));
        items.collect::<Result<_, _>>().map(Some)
    }

    /// A list sent as one value that must be there.
    pub fn joined_one<T>(&mut self, name: &str, separator: char, read: Read<T>) -> Result<Vec<T>, Mismatch> {
        match self.joined(name, separator, read)? {
            Some(items) => Ok(items),
            None => Err(Mismatch { place: self.place(name), problem: "required, but not sent".to_owned() }),
        }
    }

    /// An object sent as query parameters of its own (`form`, exploded), read back as the
    /// type; `None` when none of its members came. An object whose members have no names to
    /// look for (a map) takes every value not taken before it.
    pub fn object_members<T: serde::de::DeserializeOwned>(
        &mut self,
        name: &str,
        members: &[&str],
    ) -> Result<Option<T>, Mismatch> {
        let entries = std::mem::take(&mut self.entries);
        let (taken, kept): (Vec<_>, Vec<_>) =
            entries.into_iter().partition(|(name, _)| members.is_empty() || members.contains(&name.as_str()));
        self.entries = kept;
        let mut object = serde_json::Map::new();
        for (name, part) in taken {
            insert_member(&mut object, &[name], part_text(part));
        }
        self.read_object(name, object)
    }

    /// An object sent as one query value of names and values (`form`, not exploded:
    /// `page=size,1,number,2`), read back as the type.
    pub fn object_joined<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, Mismatch> {
        let Some(text) = self.optional(name, text::<String>)? else { return Ok(None) };
        let parts: Vec<&str> = text.split(',').collect();
        if !parts.len().is_multiple_of(2) {
            return Err(Mismatch { place: self.place(name), problem: format!("`{text}` is not names and values") });
        }
        let mut object = serde_json::Map::new();
        for pair in parts.chunks(2) {
            insert_member(&mut object, &[pair[0].to_owned()], pair[1].to_owned());
        }
        self.read_object(name, object)
    }

    /// An object sent member by member under its name (`deepObject`: `filter[name]=x`,
    /// `filter[range][from]=1`), read back as the type.
    pub fn object_deep<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, Mismatch> {
        let prefix = format!("{name}[");
        let (taken, kept): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.entries).into_iter().partition(|(sent, _)| sent.starts_with(&prefix));
        self.entries = kept;
        let mut object = serde_json::Map::new();
        for (sent, part) in taken {
            // `[range][from]` → `range`, `from`
            let path: Vec<String> = sent[name.len()..]
                .split('[')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_end_matches(']').to_owned())
                .collect();
            insert_member(&mut object, &path, part_text(part));
        }
        self.read_object(name, object)
    }

    /// Takes `prefix` off the value of `name` (a `label` path value's `.`, a `matrix` one's
    /// `;name=`); a value without it is left to fail its reader.
    pub fn strip_prefix(&mut self, name: &str, prefix: &str) {
        for (_, part) in self.entries.iter_mut().filter(|(sent, _)| sent == name) {
            if let Part::Text(text) = part
                && let Some(rest) = text.strip_prefix(prefix)
            {
                *text = rest.to_owned();
            }
        }
    }

    /// A required value read with one of the object readers.
    pub fn given<T>(&self, name: &str, value: Option<T>) -> Result<T, Mismatch> {
        value.ok_or_else(|| Mismatch { place: self.place(name), problem: "required, but not sent".to_owned() })
    }

    /// An object whose members came as text, read as the type: each value as text, and where
    /// the type wants another, as the JSON it spells (`3` a number, `true` a boolean) or as a
    /// list of one.
    fn read_object<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        object: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<T>, Mismatch> {
        if object.is_empty() {
            return Ok(None);
        }
        let mut value = serde_json::Value::Object(object);
        // Each try mends the one value the type refused; a value is mended at most twice.
        for _ in 0..=2 * leaves(&value) {
            let error = match serde_path_to_error::deserialize::<_, T>(&value) {
                Ok(read) => return Ok(Some(read)),
                Err(error) => error,
            };
            let refused_here = |error: serde_path_to_error::Error<serde_json::Error>| Mismatch {
                place: self.place(name),
                problem: error.into_inner().to_string(),
            };
            let Some(refused) = value_at(&mut value, error.path()) else { return Err(refused_here(error)) };
            let spelled = refused.as_str().and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
            let spelled = spelled.filter(|v| !v.is_string());
            *refused = match spelled {
                Some(spelled) => spelled,
                None if refused.is_array() || refused.is_object() => return Err(refused_here(error)),
                None => serde_json::Value::Array(vec![refused.take()]),
            };
        }
        Err(Mismatch {
            place: self.place(name),
            problem: "its members cannot be read as the API document says".to_owned(),
        })
    }

    /// The members of a family (`h:X-Header`), without their prefix, in the order sent.
    pub fn family<T>(&mut self, prefix: &str, read: Read<T>) -> Result<Vec<(String, T)>, Mismatch> {
        let (taken, kept) = std::mem::take(&mut self.entries).into_iter().partition(|(n, _)| n.starts_with(prefix));
        self.entries = kept;
        let taken: Vec<(String, Part)> = taken;
        taken
            .into_iter()
            .map(|(name, part)| {
                let value = self.decode(&name, part, read)?;
                Ok((name[prefix.len()..].to_owned(), value))
            })
            .collect()
    }

    /// What no field took, by name (a body's `additionalProperties`).
    pub fn rest<T>(&mut self, read: Read<T>) -> Result<BTreeMap<String, T>, Mismatch> {
        let rest = std::mem::take(&mut self.entries);
        rest.into_iter().map(|(name, part)| Ok((name.clone(), self.decode(&name, part, read)?))).collect()
    }

    /// Fails on a value no field took.
    fn finish(&self) -> Result<(), Mismatch> {
        match self.entries.first() {
            None => Ok(()),
            Some((name, _)) => Err(Mismatch {
                place: self.place(name),
                problem: "not a field of the body the API documents".to_owned(),
            }),
        }
    }
}

/// How one sent value is read into its type.
#[doc(hidden)]
pub type Read<T> = fn(Part) -> Result<T, String>;

/// Text read as the type: as a string first (text, enums, dates), else as JSON text (numbers,
/// booleans, objects sent as JSON).
#[doc(hidden)]
pub fn text<T: serde::de::DeserializeOwned>(part: Part) -> Result<T, String> {
    let Part::Text(text) = part else { return Err("a file, where the API document has a value".to_owned()) };
    match serde_json::from_value(serde_json::Value::String(text.clone())) {
        Ok(value) => Ok(value),
        Err(as_string) => serde_json::from_str(&text).map_err(|_| as_string.to_string()),
    }
}

/// JSON text read as the type (a value the API document sends as JSON whatever its shape); text
/// that is no JSON is the string it is.
#[doc(hidden)]
pub fn json<T: serde::de::DeserializeOwned>(part: Part) -> Result<T, String> {
    let Part::Text(text) = part else { return Err("a file, where the API document has JSON".to_owned()) };
    serde_json::from_str(&text)
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text)))
        .map_err(|error| error.to_string())
}

/// A file part of a multipart body.
#[doc(hidden)]
pub fn file(part: Part) -> Result<crate::File, String> {
    match part {
        Part::File { name, content_type, bytes } => {
            let file = crate::File::from_bytes(name, bytes);
            Ok(match content_type {
                Some(content_type) => file.with_content_type(content_type),
                None => file,
            })
        }
        // A text part stands for a file too (an API may take a file field as text).
        Part::Text(text) => Ok(crate::File::from_bytes("", text.into_bytes())),
    }
}

/// A type only ever sent, read back from JSON as serde's derive would read it: every member
/// the type requires present, none twice, the others left out (the generated `Deserialize`
/// of each such type, a small function where a derive is a large one).
#[doc(hidden)]
pub trait FromJson: Sized {
    /// Reads the object's members.
    fn members<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize` for a [`FromJson`] type: from an object only.
#[doc(hidden)]
pub fn from_json<'de, T: FromJson, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct Object<T>(std::marker::PhantomData<T>);

    impl<'de, T: FromJson> serde::de::Visitor<'de> for Object<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::members(map)
        }
    }

    deserializer.deserialize_map(Object(std::marker::PhantomData))
}

/// Reads the value of the member `name`, just named, into its field's slot.
#[doc(hidden)]
pub fn member<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads the value of a member no field names: one of the additional properties.
#[doc(hidden)]
pub fn additional<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    entries: &mut BTreeMap<String, T>,
    name: &str,
) -> Result<(), A::Error> {
    entries.insert(name.to_owned(), map.next_value()?);
    Ok(())
}

/// Passes over the value of a member the type does not list.
#[doc(hidden)]
pub fn ignore<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// The error of a member the type requires that did not come (`map` only names its type).
#[doc(hidden)]
pub fn missing<'de, A: serde::de::MapAccess<'de>>(_: &A, name: &'static str) -> A::Error {
    serde::de::Error::missing_field(name)
}

/// A body the generated decoders read as a form.
#[doc(hidden)]
pub trait FromForm: Sized {
    /// Reads the body from its fields.
    fn from_form(form: &mut Values) -> Result<Self, Mismatch>;
}

impl<T: serde::de::DeserializeOwned> FromForm for BTreeMap<String, T> {
    fn from_form(form: &mut Values) -> Result<Self, Mismatch> {
        form.rest(text)
    }
}

impl FromForm for serde_json::Value {
    fn from_form(form: &mut Values) -> Result<Self, Mismatch> {
        let members = form.rest(json::<serde_json::Value>)?;
        Ok(serde_json::Value::Object(members.into_iter().collect()))
    }
}

/// A received request, while the generated code reads it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Decoder {
    path: Values,
    query: Values,
    headers: Values,
    cookies: Values,
    content_type: String,
    body: Vec<u8>,
}

impl Decoder {
    fn new(request: &wiremock::Request, path: Vec<(String, String)>) -> Decoder {
        let text = |entries: Vec<(String, String)>| entries.into_iter().map(|(n, v)| (n, Part::Text(v))).collect();
        let query = request.url.query_pairs().filter(|(name, _)| name != PAGE_MARK);
        let query = query.map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
        let headers =
            request.headers.iter().filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())));
        // `Cookie: a=1; b=2`, as the client sends a call's cookie parameters.
        let cookies = request.headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok());
        let cookies = cookies.flat_map(|line| line.split(';')).filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            Some((name.to_owned(), value.to_owned()))
        });
        let cookies = cookies.collect();
        let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
        Decoder {
            path: Values::new("path parameter", text(path)),
            query: Values::new("query parameter", text(query)),
            headers: Values::new("header", text(headers.collect())),
            cookies: Values::new("cookie", text(cookies)),
            content_type: content_type.to_owned(),
            body: request.body.clone(),
        }
    }

    /// The path parameters.
    pub fn path(&mut self) -> &mut Values {
        &mut self.path
    }

    /// The query parameters (those the API document does not list are not checked: a call can
    /// add its own with `extra_query`).
    pub fn query(&mut self) -> &mut Values {
        &mut self.query
    }

    /// The headers (by lower-case name).
    pub fn headers(&mut self) -> &mut Values {
        &mut self.headers
    }

    /// The cookies.
    pub fn cookies(&mut self) -> &mut Values {
        &mut self.cookies
    }

    /// A JSON body.
    pub fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, Mismatch> {
        let mut reader = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut reader).map_err(|error| Mismatch {
            place: format!("body at `{}`", error.path()),
            problem: error.into_inner().to_string(),
        })
    }

    /// A JSON body that may be absent.
    pub fn optional_json<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<T>, Mismatch> {
        match self.body.is_empty() {
            true => Ok(None),
            false => self.json().map(Some),
        }
    }

    /// A URL-encoded or multipart body, every field read.
    pub fn form<T: FromForm>(&mut self) -> Result<T, Mismatch> {
        let mut fields = self.fields()?;
        let body = T::from_form(&mut fields)?;
        fields.finish()?;
        Ok(body)
    }

    /// A form body that may be absent.
    pub fn optional_form<T: FromForm>(&mut self) -> Result<Option<T>, Mismatch> {
        match self.body.is_empty() {
            true => Ok(None),
            false => self.form().map(Some),
        }
    }

    /// The body's bytes, as sent.
    pub fn bytes(&mut self) -> Result<Vec<u8>, Mismatch> {
        Ok(self.body.clone())
    }

    fn fields(&self) -> Result<Values, Mismatch> {
        let mismatch = |problem: String| Mismatch { place: "body".to_owned(), problem };
        if self.content_type.starts_with("application/x-www-form-urlencoded") {
            let pairs = form_urlencoded::parse(&self.body).map(|(n, v)| (n.into_owned(), Part::Text(v.into_owned())));
            return Ok(Values::new("body field", pairs.collect()));
        }
        let boundary = multer::parse_boundary(&self.content_type)
            .map_err(|_| mismatch(format!("a form, but sent as `{}`", self.content_type)))?;
        let body = bytes::Bytes::from(self.body.clone());
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut entries = Vec::new();
        while let Some(field) = ready(multipart.next_field()).map_err(|error| mismatch(error.to_string()))? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|mime| mime.to_string());
            let bytes = ready(field.bytes()).map_err(|error| mismatch(error.to_string()))?;
            let part = match file_name {
                Some(file_name) => Part::File { name: file_name, content_type, bytes: bytes.to_vec() },
                None => Part::Text(String::from_utf8_lossy(&bytes).into_owned()),
            };
            entries.push((name, part));
        }
        Ok(Values::new("body field", entries))
    }
}

/// The value of a step of reading a body that is all in memory, so ready at once.
fn ready<T>(step: impl std::future::Future<Output = Result<T, multer::Error>>) -> Result<T, multer::Error> {
    futures_util::FutureExt::now_or_never(Box::pin(step)).unwrap_or(Err(multer::Error::IncompleteStream))
}

/// The query parameter the double adds to the next-page links of scripted pages (and ignores
/// when reading requests).
const PAGE_MARK: &str = "mock-page";

/// A test double of the API: an HTTP server in this process that answers as scripted, else
/// with the API document's examples. See the docs of the `mock` module.
#[derive(Clone)]
pub struct MockServer {
    server: Arc<wiremock::MockServer>,
    state: Arc<Mutex<State>>,
    servers: &'static Servers,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// Scripted answers, newest first.
    rules: Vec<Rule>,
    /// Every request, in the order received.
    received: Vec<Received>,
}

/// A request the double received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The call it was, when it was one the API document describes.
    pub operation: Option<&'static Operation>,
    /// Its HTTP method.
    pub method: String,
    /// Its path and query.
    pub path_and_query: String,
    /// Its headers, by lower-case name.
    pub headers: Vec<(String, String)>,
    /// Its body, as sent.
    pub body: Vec<u8>,
    /// Where it is not what the API document describes (it was answered `400`).
    pub mismatch: Option<Mismatch>,
    request: wiremock::Request,
}

type Matcher = Box<dyn Fn(&mut Decoder) -> bool + Send + Sync>;

struct Rule {
    operation: &'static Operation,
    when: Option<Matcher>,
    reply: Reply,
    remaining: Option<usize>,
    delay: Option<Duration>,
}

enum Reply {
    Once { status: u16, headers: Vec<(String, String)>, body: Body },
    Pages { pages: Vec<serde_json::Value>, served: usize },
}

impl MockServer {
    /// Starts a double of an API with these calls on a free local port; its clients know the
    /// API's servers (the generated `MockServer::start` calls this).
    pub(crate) async fn serving(operations: &'static [&'static Operation], servers: &'static Servers) -> MockServer {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let responder = Responder { state: Arc::clone(&state), operations };
        wiremock::Mock::given(wiremock::matchers::any()).respond_with(responder).mount(&server).await;
        MockServer { server: Arc::new(server), state, servers }
    }

    /// Its base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A builder for a client of this double: its base URL, plain HTTP allowed, test credentials
    /// (user `user-test`, key `key-test`), no retries (so a scripted error is what the call sees;
    /// set a retry policy to test them).
    pub fn client_builder(&self) -> ClientBuilder {
        let credentials = Credentials { username: Some("user-test".to_owned()), key: "key-test".to_owned() };
        ClientBuilder::new(credentials, self.servers)
            .base_url(self.uri())
            .allow_insecure_http(true)
            .retry_policy(RetryPolicy::none())
    }

    /// A client of this double (see [`client_builder`](Self::client_builder)).
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(error) => panic!("a client of the test double: {error}"),
        }
    }

    /// Scripts how the double answers call `C` (its request builder type). Scripts made later
    /// are tried first; an answer is given until its [`times`](Script::times) are used up.
    pub fn on<C: Call>(&self) -> Script<'_, C> {
        Script { server: self, when: None, times: None, delay: None, _call: std::marker::PhantomData }
    }

    /// The requests of call `C` received so far, decoded, in order.
    ///
    /// # Panics
    ///
    /// When one of them is not what the API document describes (the message says where).
    pub fn received<C: Call>(&self) -> Vec<C::Request> {
        let received = self.requests();
        let of_call = received.iter().filter(|r| r.operation.is_some_and(|op| op.id == C::OPERATION.id));
        of_call
            .map(|received| {
                let path = C::OPERATION.matches(C::OPERATION.method, received.request.url.path()).unwrap_or_default();
                let mut decoder = Decoder::new(&received.request, path);
                match C::decode(&mut decoder) {
                    Ok(request) => request,
                    Err(mismatch) => panic!("{}", describe(C::OPERATION, &mismatch)),
                }
            })
            .collect()
    }

    /// Every request received so far, in order, as sent.
    pub fn requests(&self) -> Vec<Received> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).received.clone()
    }

    fn add(&self, rule: Rule) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).rules.insert(0, rule);
    }
}

fn describe(operation: &Operation, mismatch: &Mismatch) -> String {
    format!(
        "the test double received a `{}` request ({}) that is not what the API document describes: {mismatch}",
        operation.name,
        operation.route()
    )
}

/// How the double answers one call: made by [`MockServer::on`], ended by the answer.
#[must_use = "nothing is scripted until an answer is given"]
pub struct Script<'a, C: Call> {
    server: &'a MockServer,
    when: Option<Matcher>,
    times: Option<usize>,
    delay: Option<Duration>,
    _call: std::marker::PhantomData<C>,
}

impl<C: Call> fmt::Debug for Script<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Script").field("call", &C::OPERATION.name).field("times", &self.times).finish_non_exhaustive()
    }
}

impl<C: Call> Script<'_, C> {
    /// Only for the requests `predicate` accepts.
    pub fn when(mut self, predicate: impl Fn(&C::Request) -> bool + Send + Sync + 'static) -> Self {
        self.when = Some(Box::new(move |decoder| C::decode(decoder).is_ok_and(|request| predicate(&request))));
        self
    }

    /// Only the first `times` matching requests (then the scripts made before this one answer).
    pub fn times(mut self, times: usize) -> Self {
        self.times = Some(times);
        self
    }

    /// Answers after `delay` (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers with `answer`, as the call's success status.
    pub fn answer(self, answer: C::Answer) {
        let status = C::OPERATION.status;
        self.reply(Reply::Once { status, headers: Vec::new(), body: C::encode(&answer) });
    }

    /// Answers with an error the API document lists for this call.
    ///
    /// # Panics
    ///
    /// When the document lists no answer with `status` for the call (use [`raw`](Self::raw)).
    pub fn error(self, status: u16, body: impl serde::Serialize) {
        let operation = C::OPERATION;
        assert!(
            operation.errors.iter().any(|(first, last)| (*first..=*last).contains(&status)),
            "the API document lists no {status} answer for `{}` (it lists {:?}): script it with `raw`",
            operation.name,
            operation.errors
        );
        self.reply(Reply::Once { status, headers: Vec::new(), body: Body::json(&body) });
    }

    /// Answers `429 Too Many Requests` with a `Retry-After` header.
    pub fn rate_limited(self, retry_after: Duration) {
        let headers = vec![("retry-after".to_owned(), retry_after.as_secs().to_string())];
        let body = Body::text("rate limited by the test double");
        self.reply(Reply::Once { status: 429, headers, body });
    }

    /// Answers with any status, content type and body, as given.
    pub fn raw(self, status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) {
        self.reply(Reply::Once { status, headers: Vec::new(), body: Body { content_type, bytes: body.into() } })
    }

    /// Answers a paged list with these pages, one per request: the double links each page to the
    /// next (and ends the list after the last) the way the call's answers do, so
    /// `pages()` and `items()` read them all.
    ///
    /// # Panics
    ///
    /// When the call is not a paged list.
    pub fn pages(self, pages: impl IntoIterator<Item = C::Answer>) {
        let operation = C::OPERATION;
        assert!(operation.paging.is_some(), "`{}` is not a paged list: script it with `answer`", operation.name);
        let pages = pages.into_iter().map(|page| serde_json::from_slice(&C::encode(&page).bytes).unwrap_or_default());
        self.reply(Reply::Pages { pages: pages.collect(), served: 0 });
    }

    fn reply(self, reply: Reply) {
        let rule = Rule { operation: C::OPERATION, when: self.when, reply, remaining: self.times, delay: self.delay };
        self.server.add(rule);
    }
}

/// Answers every request the server receives.
struct Responder {
    state: Arc<Mutex<State>>,
    /// Every call compiled.
    operations: &'static [&'static Operation],
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let found = identify(self.operations, request);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (response, operation, mismatch) = match found {
            None => {
                let text = format!(
                    "the test double knows no call `{} {}` in the API document (or its cargo feature is off)",
                    request.method,
                    request.url.path()
                );
                (plain(404, text), None, None)
            }
            Some((operation, path)) => {
                let mut decoder = Decoder::new(request, path.clone());
                let decoded = (operation.check)(&mut decoder);
                match decoded {
                    Err(mismatch) => (plain(400, describe(operation, &mismatch)), Some(operation), Some(mismatch)),
                    Ok(()) => {
                        let fresh = || Decoder::new(request, path.clone());
                        (answer(&mut state.rules, operation, request, fresh), Some(operation), None)
                    }
                }
            }
        };
        state.received.push(Received {
            operation,
            method: request.method.to_string(),
            path_and_query: match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            },
            headers: request
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body: request.body.clone(),
            mismatch,
            request: request.clone(),
        });
        response
    }
}

/// The call a request is: the one whose method and template match, the most specific first.
fn identify(
    operations: &'static [&'static Operation],
    request: &wiremock::Request,
) -> Option<(&'static Operation, Vec<(String, String)>)> {
    let method = request.method.as_str();
    let path = request.url.path();
    let matching = operations.iter().filter_map(|op| Some((*op, op.matches(method, path)?)));
    matching.max_by_key(|(op, _)| op.literal_len())
}

/// The answer for a request of `operation`: the newest script that takes it, else the example.
fn answer(
    rules: &mut [Rule],
    operation: &'static Operation,
    request: &wiremock::Request,
    decoder: impl Fn() -> Decoder,
) -> wiremock::ResponseTemplate {
    let taken = rules.iter_mut().find(|rule| {
        rule.operation.id == operation.id
            && rule.remaining != Some(0)
            && rule.when.as_ref().is_none_or(|when| when(&mut decoder()))
    });
    let Some(rule) = taken else { return example(operation) };
    if let Some(remaining) = &mut rule.remaining {
        *remaining -= 1;
    }
    let mut response = match &mut rule.reply {
        Reply::Once { status, headers, body } => {
            let mut response = respond(*status, body);
            for (name, value) in headers {
                response = response.insert_header(name.as_str(), value.as_str());
            }
            response
        }
        Reply::Pages { pages, served } => {
            let page = page(operation, pages, *served, request);
            *served += 1;
            respond(operation.status, &Body::json(&page))
        }
    };
    if let Some(delay) = rule.delay {
        response = response.set_delay(delay);
    }
    response
}

/// The `index`th page of a scripted list, linked to the next as the call's answers are; past
/// the last, an empty page (the end of a list paged by offset).
fn page(
    operation: &Operation,
    pages: &[serde_json::Value],
    index: usize,
    request: &wiremock::Request,
) -> serde_json::Value {
    let Some(paging) = operation.paging else { return serde_json::Value::Null };
    let last = index + 1 >= pages.len();
    let Some(mut page) = pages.get(index.min(pages.len().saturating_sub(1))).cloned() else {
        return serde_json::Value::Null;
    };
    let items = match paging {
        Paging::Link { items, .. }
        | Paging::Offset { items }
        | Paging::Token { items, .. }
        | Paging::BodyOffset { items } => items,
    };
    if index >= pages.len() {
        set(&mut page, items, Some(serde_json::Value::Array(Vec::new())));
        return page;
    }
    match paging {
        Paging::Link { link, .. } => {
            // The request's own query, as an API's next-page links keep it, and which page is next.
            let mut query: Vec<(String, String)> =
                request.url.query_pairs().filter(|(n, _)| n != PAGE_MARK).map(|(n, v)| (n.into(), v.into())).collect();
            query.push((PAGE_MARK.to_owned(), (index + 2).to_string()));
            let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
            let next = format!("{}?{query}", request.url.path());
            set(&mut page, link, (!last).then_some(serde_json::Value::String(next)));
        }
        Paging::Token { token, .. } => {
            set(&mut page, token, (!last).then(|| serde_json::Value::String(format!("{PAGE_MARK}-{}", index + 2))));
        }
        Paging::Offset { .. } | Paging::BodyOffset { .. } => {}
    }
    page
}

/// Sets (or, with `None`, removes) the member at `path`, making the objects on the way.
fn set(value: &mut serde_json::Value, path: &[&str], to: Option<serde_json::Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = value;
    for name in parents {
        if !at.is_object() {
            *at = serde_json::Value::Object(serde_json::Map::new());
        }
        at = at.as_object_mut().map(|o| o.entry(*name).or_insert(serde_json::Value::Null)).expect("an object");
    }
    if !at.is_object() {
        *at = serde_json::Value::Object(serde_json::Map::new());
    }
    if let Some(object) = at.as_object_mut() {
        match to {
            Some(to) => object.insert((*last).to_owned(), to),
            None => object.remove(*last),
        };
    }
}

/// The API document's example of the call's success answer, or `501` saying how to script one.
fn example(operation: &Operation) -> wiremock::ResponseTemplate {
    match operation.example {
        Some(example) => respond(
            operation.status,
            &Body { content_type: example.content_type, bytes: example.body.as_bytes().to_vec() },
        ),
        None => plain(
            501,
            format!(
                "the test double has no answer for `{0}` ({1}): the API document gives no example; script one with \
                 `server.on::<{2}>().answer(…)`",
                operation.name,
                operation.route(),
                operation.builder
            ),
        ),
    }
}

fn respond(status: u16, body: &Body) -> wiremock::ResponseTemplate {
    let response = wiremock::ResponseTemplate::new(status);
    match body.content_type {
        "" => response,
        content_type => response.set_body_raw(body.bytes.clone(), content_type),
    }
}

fn plain(status: u16, text: String) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status).set_body_raw(text, "text/plain; charset=utf-8")
}

#[cfg(test)]
mod tests {

    #[test]
    fn label_and_matrix_path_values_are_read_without_their_prefix() {
        let part = |text: &str| Part::Text(text.to_owned());
        let mut path = Values::new("path parameter", vec![("id".into(), part(".a b")), ("v".into(), part(";v=7"))]);
        path.strip_prefix("id", ".");
        path.strip_prefix("v", ";v=");
        assert_eq!(path.one::<String>("id", text), Ok("a b".to_owned()));
        assert_eq!(path.one::<i64>("v", text), Ok(7));
    }

    #[test]
    fn objects_in_the_query_are_read_back_as_their_style_sent_them() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Filter {
            name: String,
            age: Option<i64>,
            #[serde(default)]
            tags: Vec<String>,
        }
        let query = |pairs: &[(&str, &str)]| {
            Values::new(
                "query parameter",
                pairs.iter().map(|(n, v)| ((*n).to_owned(), Part::Text((*v).to_owned()))).collect(),
            )
        };
        let expected = Filter { name: "7".to_owned(), age: Some(3), tags: vec!["a".to_owned(), "b".to_owned()] };
        let mut sent = query(&[
            ("filter[name]", "7"),
            ("filter[age]", "3"),
            ("filter[tags]", "a"),
            ("filter[tags]", "b"),
            ("x", "1"),
        ]);
        assert_eq!(sent.object_deep::<Filter>("filter"), Ok(Some(expected)), "a number-like name stays text");
        assert_eq!(sent.entries.len(), 1, "the other parameter is left for its own reader");
        let mut sent = query(&[("name", "Ann"), ("age", "3"), ("page", "2")]);
        let read: Filter = sent.object_members("filter", &["name", "age", "tags"]).unwrap().unwrap();
        assert_eq!((read.name.as_str(), read.age), ("Ann", Some(3)));
        let mut sent = query(&[("filter", "name,Ann,age,4")]);
        let read: Filter = sent.object_joined("filter").unwrap().unwrap();
        assert_eq!((read.name.as_str(), read.age), ("Ann", Some(4)));
        let mut odd = query(&[("filter", "name,Ann,age")]);
        assert!(odd.object_joined::<Filter>("filter").unwrap_err().problem.contains("not names and values"));
        let mut none = query(&[("page", "2")]);
        assert_eq!(none.object_deep::<Filter>("filter"), Ok(None));
        assert_eq!(none.given("filter", None::<Filter>).unwrap_err().problem, "required, but not sent");
    }

    use super::*;

    /// A sent type as the generator writes its reading back (see `emit::types::from_json`).
    #[derive(Debug, PartialEq)]
    struct Sent {
        to: Vec<String>,
        subject: Option<String>,
        rest: BTreeMap<String, u32>,
    }

    impl FromJson for Sent {
        #[allow(clippy::question_mark)]
        fn members<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut to, mut subject, mut rest) = (None, None, BTreeMap::new());
            loop {
                let name = match crate::tolerant::name(&mut map) {
                    Ok(Some(name)) => name,
                    Ok(None) => break,
                    Err(error) => return Err(error),
                };
                if let Err(error) = match &*name {
                    "to" => member(&mut map, &mut to, "to"),
                    "subject" => member(&mut map, &mut subject, "subject"),
                    _ => additional(&mut map, &mut rest, &name),
                } {
                    return Err(error);
                }
            }
            let Some(to) = to else { return Err(missing(&map, "to")) };
            Ok(Sent { to, subject: subject.flatten(), rest })
        }
    }

    impl<'de> serde::Deserialize<'de> for Sent {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            from_json(deserializer)
        }
    }

    #[test]
    fn sent_types_read_back_as_strictly_as_a_derive() {
        let read = |json: &str| serde_json::from_str::<Sent>(json).map_err(|e| e.to_string());
        let sent = Sent { to: vec!["a".into()], subject: None, rest: BTreeMap::from([("n".into(), 1)]) };
        assert_eq!(read(r#"{"to": ["a"], "subject": null, "n": 1}"#), Ok(sent));
        assert!(read(r#"{"subject": "s"}"#).unwrap_err().contains("missing field `to`"));
        assert!(read(r#"{"to": [], "to": []}"#).unwrap_err().contains("duplicate field `to`"));
        assert!(read(r#"{"to": "a"}"#).is_err(), "a value of another type");
        assert!(read(r#"["a"]"#).unwrap_err().contains("an object"));
    }

    #[test]
    fn paths_match_templates_segment_by_segment() {
        let params = |template, path| match_path(template, path);
        assert_eq!(
            params("/v3/{domain}/messages", "/v3/example.com/messages"),
            Some(vec![("domain".into(), "example.com".into())])
        );
        assert_eq!(
            params("/v3/{domain}/messages.mime", "/v3/a.b/messages.mime"),
            Some(vec![("domain".into(), "a.b".into())])
        );
        assert_eq!(params("/v3/{a}/x", "/v3/a/b/x"), None);
        assert_eq!(params("/v3/{a}", "/v3/"), None, "a parameter is never empty");
        assert_eq!(params("/v3/{a}", "/v3/alice%40example.com"), Some(vec![("a".into(), "alice@example.com".into())]));
        assert_eq!(params("/v3/routes", "/v3/routes"), Some(vec![]));
    }

    fn request(target: &str, headers: &[(&str, &str)], body: &str) -> wiremock::Request {
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in headers {
            map.append(reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        wiremock::Request {
            url: format!("http://127.0.0.1{target}").parse().unwrap(),
            method: reqwest::Method::POST,
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn parameters_are_read_from_where_the_client_puts_them() {
        let sent = request(
            "/v3/a?tag=x&tag=y&ids=1,2&mock-page=2",
            &[
                ("cookie", "session=abc; theme=dark"),
                ("x-trace", "t-1"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            "to=a%40example.com&to=b%40example.com&o%3Atag=z",
        );
        let mut decoder = Decoder::new(&sent, vec![("domain".to_owned(), "a".to_owned())]);
        assert_eq!(decoder.path().one::<String>("domain", text), Ok("a".to_owned()));
        assert_eq!(decoder.query().list::<String>("tag", text), Ok(vec!["x".to_owned(), "y".to_owned()]));
        assert_eq!(decoder.query().joined::<i64>("ids", ',', text), Ok(Some(vec![1, 2])));
        assert_eq!(
            decoder.query().optional::<String>("mock-page", text),
            Ok(None),
            "the double's own mark is not the call's"
        );
        assert_eq!(decoder.cookies().one::<String>("theme", text), Ok("dark".to_owned()));
        assert_eq!(decoder.headers().one::<String>("x-trace", text), Ok("t-1".to_owned()));
        let mut form = decoder.fields().unwrap();
        assert_eq!(form.list::<String>("to", text).unwrap(), ["a@example.com", "b@example.com"]);
        assert_eq!(form.family::<String>("o:", text).unwrap(), [("tag".to_owned(), "z".to_owned())]);
        assert_eq!(form.finish(), Ok(()));
    }

    #[test]
    fn what_is_missing_or_left_over_is_named() {
        let sent = request("/v3/a", &[("content-type", "application/x-www-form-urlencoded")], "surprise=1");
        let mut decoder = Decoder::new(&sent, Vec::new());
        let missing = decoder.query().one::<String>("limit", text).unwrap_err();
        assert_eq!(missing.to_string(), "query parameter limit: required, but not sent");
        let form = decoder.fields().unwrap();
        assert_eq!(
            form.finish().unwrap_err().to_string(),
            "body field surprise: not a field of the body the API documents"
        );
    }

    #[test]
    fn text_reads_strings_first_then_json() {
        assert_eq!(text::<String>(Part::Text("5".into())), Ok("5".to_owned()));
        assert_eq!(text::<i64>(Part::Text("5".into())), Ok(5));
        assert_eq!(text::<bool>(Part::Text("true".into())), Ok(true));
        assert!(text::<bool>(Part::Text("maybe".into())).is_err());
        assert_eq!(json::<serde_json::Value>(Part::Text("{\"a\":1}".into())), Ok(serde_json::json!({"a": 1})));
        assert_eq!(json::<serde_json::Value>(Part::Text("plain".into())), Ok(serde_json::json!("plain")));
    }
}
