//! How values go on the wire as query parameters, headers and form fields.
//!
//! The conventions: a list is sent as one field per value under the same name; an absent
//! optional value is not sent; a nested object or map is sent as JSON text, except an object
//! query parameter, which goes as its `style` says ([`ObjectStyle`]); files are multipart file
//! parts with a filename.
//!
//! Everything here but [`File`] is private to the crate: generated types implement the traits,
//! callers never need to.

// This runtime serves every API the generator reads; an API without form bodies, say, leaves
// parts of it unused, which is not worth a warning.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A field's name: borrowed when the generated code names it (most do), so that neither adding
/// a field nor handing it to reqwest (which wants `'static` names) allocates.
pub(crate) type Name = Cow<'static, str>;

/// Named values, in the order they will be sent. The texts are written one after another into
/// one buffer rather than each into a `String` of its own: a body of ten fields is then one or
/// two allocations, and a multipart body shares that one buffer with every try
/// ([`into_parts`](Fields::into_parts)) instead of copying or counting each text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields {
    entries: Vec<(Name, Part)>,
    texts: String,
}

/// One value: a text (where it is in [`Fields::texts`]) or a file.
#[derive(Debug, Clone)]
enum Part {
    Text(std::ops::Range<usize>),
    File(File),
}

/// One value as it is read: its text or its file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    Text(&'a str),
    File(&'a File),
}

/// A part of a multipart body. A text is a view of the body's one buffer: a try sends it by
/// counting a reference, not by copying it.
pub(crate) enum FormPart {
    Text(bytes::Bytes),
    File(File),
}

/// Room made for a body's texts at once: most bodies hold less, so one allocation holds them.
const BODY_TEXT_BYTES: usize = 512;

impl Fields {
    /// A body's fields. Room for as many as most bodies set is made at once, not by growing.
    pub(crate) fn of(body: &impl FormBody) -> Fields {
        let mut fields = Fields { entries: Vec::with_capacity(16), texts: String::with_capacity(BODY_TEXT_BYTES) };
        body.fields(&mut fields);
        fields
    }

    /// Adds `value` under `name`, following the rules of its type.
    pub(crate) fn add(&mut self, name: impl Into<Name>, value: &(impl WireValue + ?Sized)) {
        value.append(name.into(), self);
    }

    /// Adds one text value.
    pub(crate) fn text(&mut self, name: impl Into<Name>, value: &str) {
        let start = self.texts.len();
        self.texts.push_str(value);
        self.entries.push((name.into(), Part::Text(start..self.texts.len())));
    }

    /// Adds one value as it displays: written straight into the buffer, no `String` made.
    pub(crate) fn display(&mut self, name: impl Into<Name>, value: &impl fmt::Display) {
        use std::fmt::Write;
        let start = self.texts.len();
        // Writing into a `String` cannot fail.
        let _ = write!(self.texts, "{value}");
        self.entries.push((name.into(), Part::Text(start..self.texts.len())));
    }

    /// Adds a file.
    fn file(&mut self, name: Name, file: &File) {
        self.entries.push((name, Part::File(file.clone())));
    }

    /// The values, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Value<'_>)> {
        self.entries.iter().map(|(name, part)| {
            let value = match part {
                Part::Text(range) => Value::Text(&self.texts[range.clone()]),
                Part::File(file) => Value::File(file),
            };
            (name.as_ref(), value)
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The values as the parts of a multipart body: the texts one shared buffer, each part a
    /// view of it.
    pub(crate) fn into_parts(self) -> Vec<(Name, FormPart)> {
        let texts = bytes::Bytes::from(self.texts);
        let parts = self.entries.into_iter().map(|(name, part)| match part {
            Part::Text(range) => (name, FormPart::Text(texts.slice(range))),
            Part::File(file) => (name, FormPart::File(file)),
        });
        parts.collect()
    }

    /// Adds any serialisable value as JSON text (a JSON string is sent without quotes).
    pub(crate) fn json(&mut self, name: impl Into<Name>, value: &impl serde::Serialize) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => self.text(name, &s),
            Ok(serde_json::Value::Null) => {}
            Ok(other) => self.display(name, &other),
            // Generated types always serialise; a failure here would be a bug in a custom
            // `Serialize` impl, and sending nothing is better than sending garbage.
            Err(_) => {}
        }
    }

    /// Adds an object as a query parameter of `style`. A value that is no object (untyped
    /// JSON can be anything) follows the rules of its type.
    pub(crate) fn object(&mut self, name: impl Into<Name>, value: &impl serde::Serialize, style: ObjectStyle) {
        let name = name.into();
        // As in `json`: generated types always serialise.
        let Ok(value) = serde_json::to_value(value) else { return };
        let serde_json::Value::Object(members) = value else { return self.add(name, &value) };
        match style {
            ObjectStyle::Exploded => members.iter().for_each(|(member, value)| self.add(member.clone(), value)),
            ObjectStyle::Comma => {
                let pairs = members.iter().filter(|(_, value)| !value.is_null());
                let texts: Vec<String> =
                    pairs.flat_map(|(member, value)| [member.clone(), comma_text(value)]).collect();
                if !texts.is_empty() {
                    self.text(name, &texts.join(","));
                }
            }
            ObjectStyle::Deep => self.deep(name, &serde_json::Value::Object(members)),
        }
    }

    /// `name[member]=value` for each member, `name[member][inner]` deeper down; a list is one
    /// field per item.
    fn deep(&mut self, name: Name, value: &serde_json::Value) {
        match value {
            serde_json::Value::Object(members) => {
                members.iter().for_each(|(member, value)| self.deep(format!("{name}[{member}]").into(), value))
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| self.deep(name.clone(), item)),
            other => self.json(name, other),
        }
    }

    pub(crate) fn texts(&self) -> Result<Vec<(&str, &str)>, crate::Error> {
        self.iter()
            .map(|(name, value)| match value {
                Value::Text(text) => Ok((name, text)),
                Value::File(file) => Err(crate::Error::InvalidRequest(format!(
                    "`{name}` is a file ({}); files can only be sent in a multipart body",
                    file.name()
                ))),
            })
            .collect()
    }
}

/// How an object goes into the query: OpenAPI's `style` and `explode` for an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectStyle {
    /// Each member a parameter of its own: `size=1&number=2` (`form`, exploded).
    Exploded,
    /// One parameter of names and values: `page=size,1,number,2` (`form`, not exploded).
    Comma,
    /// Each member under the object's name: `filter[name]=x&filter[age]=3` (`deepObject`).
    Deep,
}

/// A member's value in a comma-joined object: text as itself, a list's items joined.
fn comma_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items.iter().map(comma_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// A value that can be sent as a query parameter, header or form field.
pub(crate) trait WireValue {
    /// Appends this value under `name`.
    fn append(&self, name: Name, fields: &mut Fields);

    /// The value's one text, when it is held as text: read without a copy.
    fn as_text(&self) -> Option<&str> {
        None
    }
}

macro_rules! display_values {
    ($($ty:ty),*) => {$(
        impl WireValue for $ty {
            fn append(&self, name: Name, fields: &mut Fields) {
                fields.display(name, self);
            }
        }
    )*};
}
display_values!(bool, i32, i64, u32, u64, f64);

impl WireValue for str {
    fn append(&self, name: Name, fields: &mut Fields) {
        fields.text(name, self);
    }

    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl WireValue for String {
    fn append(&self, name: Name, fields: &mut Fields) {
        fields.text(name, self.as_str());
    }

    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    fn append(&self, name: Name, fields: &mut Fields) {
        (**self).append(name, fields);
    }

    fn as_text(&self) -> Option<&str> {
        (**self).as_text()
    }
}

impl<T: WireValue + ?Sized> WireValue for Box<T> {
    fn append(&self, name: Name, fields: &mut Fields) {
        (**self).append(name, fields);
    }

    fn as_text(&self) -> Option<&str> {
        (**self).as_text()
    }
}

impl<T: WireValue> WireValue for Option<T> {
    fn append(&self, name: Name, fields: &mut Fields) {
        if let Some(value) = self {
            value.append(name, fields);
        }
    }
}

impl<T: WireValue> WireValue for Vec<T> {
    fn append(&self, name: Name, fields: &mut Fields) {
        for value in self {
            value.append(name.clone(), fields);
        }
    }
}

impl<T: serde::Serialize> WireValue for BTreeMap<String, T> {
    fn append(&self, name: Name, fields: &mut Fields) {
        fields.json(name, self);
    }
}

/// Untyped JSON follows the typed rules: a list is one field per item, anything else one field
/// (a string as itself, an object or number as JSON text).
impl WireValue for serde_json::Value {
    fn append(&self, name: Name, fields: &mut Fields) {
        match self {
            serde_json::Value::Array(items) => items.iter().for_each(|item| item.append(name.clone(), fields)),
            other => fields.json(name, other),
        }
    }
}

/// A value sent as its JSON text whatever its shape (`content: application/json` parameters,
/// fields holding JSON text): a list is one JSON array, not one field per item.
pub(crate) struct JsonText<'a, T: ?Sized>(pub(crate) &'a T);

impl<T: serde::Serialize + ?Sized> WireValue for JsonText<'_, T> {
    fn append(&self, name: Name, fields: &mut Fields) {
        fields.json(name, &self.0);
    }
}

/// A request body sent as form fields (URL-encoded or multipart).
pub(crate) trait FormBody {
    /// Appends every field that is set.
    fn fields(&self, fields: &mut Fields);
}

impl<T: WireValue> FormBody for BTreeMap<String, T> {
    fn fields(&self, fields: &mut Fields) {
        for (name, value) in self {
            fields.add(name.clone(), value);
        }
    }
}

/// A JSON object's members, each sent as a field; any other JSON value has no fields to send.
impl FormBody for serde_json::Value {
    fn fields(&self, fields: &mut Fields) {
        if let serde_json::Value::Object(members) = self {
            for (name, value) in members {
                fields.add(name.clone(), value);
            }
        }
    }
}

/// A file to upload, with the filename and content type the API will see.
///
/// From memory ([`from_bytes`](Self::from_bytes)), from disk ([`from_path`](Self::from_path):
/// opened only when the request is sent, and streamed) or from any async reader
/// ([`from_reader`](Self::from_reader): streamed, so it can be sent once). The content type is
/// guessed from the filename unless [`with_content_type`](Self::with_content_type) sets it.
#[derive(Clone)]
pub struct File {
    name: String,
    content_type: Option<String>,
    source: Source,
}

/// Where a file's contents come from.
#[derive(Clone)]
pub(crate) enum Source {
    /// Shared, not copied: a retry and reqwest's body hold the same bytes.
    Bytes(bytes::Bytes),
    Path(PathBuf),
    /// Taken by the first request that sends it.
    Reader(Arc<Mutex<Option<Reader>>>),
}

/// An async reader a file streams from.
pub(crate) type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send>>;

impl File {
    /// A file from memory. `name` is the filename the recipient sees (and the `cid:` of an
    /// inline image).
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> File {
        File { name: name.into(), content_type: None, source: Source::Bytes(bytes::Bytes::from(bytes.into())) }
    }

    /// A file on disk, named after the last component of its path. Nothing is read until the
    /// request is sent; then the file is streamed, never loaded whole, and a file that cannot be
    /// read is an [`Error::InvalidRequest`](crate::Error::InvalidRequest).
    pub fn from_path(path: impl AsRef<Path>) -> File {
        let path = path.as_ref();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".to_owned());
        File { name, content_type: None, source: Source::Path(path.to_owned()) }
    }

    /// A file streamed from an async reader (a socket, a decompressor, a file you opened). A
    /// reader can be read once, so a request with it can be sent once.
    pub fn from_reader(name: impl Into<String>, reader: impl tokio::io::AsyncRead + Send + 'static) -> File {
        let reader: Reader = Box::pin(reader);
        File { name: name.into(), content_type: None, source: Source::Reader(Arc::new(Mutex::new(Some(reader)))) }
    }

    /// Sets the part's content type, instead of the one guessed from the filename.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> File {
        self.content_type = Some(content_type.into());
        self
    }

    /// The filename.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content type: the one set, or the one the filename suggests
    /// (`application/octet-stream` when it suggests none).
    pub fn content_type(&self) -> String {
        self.media_type().to_owned()
    }

    /// [`content_type`](Self::content_type), borrowed: a guessed one is a static string.
    pub(crate) fn media_type(&self) -> &str {
        match &self.content_type {
            Some(set) => set,
            None => mime_guess::from_path(&self.name).first_raw().unwrap_or("application/octet-stream"),
        }
    }

    /// The contents, for a file made from memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.as_ref()),
            Source::Path(_) | Source::Reader(_) => None,
        }
    }

    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl PartialEq for File {
    /// Files are equal when they have the same name, content type and source (the same bytes,
    /// the same path, or the very same reader).
    fn eq(&self, other: &File) -> bool {
        let same_source = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Reader(a), Source::Reader(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        self.name == other.name && self.content_type == other.content_type && same_source
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => format!("path {}", path.display()),
            Source::Reader(_) => "a reader".to_owned(),
        };
        f.debug_struct("File")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("source", &source)
            .finish()
    }
}

impl WireValue for File {
    fn append(&self, name: Name, fields: &mut Fields) {
        fields.file(name, self);
    }
}

/// Inside a JSON document (where an API puts `format: binary` outside a multipart body) a file
/// is its contents as a string: only a file from memory whose contents are UTF-8 can go there.
impl serde::Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.bytes().map(std::str::from_utf8) {
            Some(Ok(text)) => serializer.serialize_str(text),
            _ => Err(serde::ser::Error::custom(format!(
                "`{}` is not UTF-8 text in memory and cannot be part of a JSON document",
                self.name
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<File, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(File::from_bytes("file", text))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn objects_go_into_the_query_as_their_style_says() {
        let filter = serde_json::json!({"name": "Ann Lee", "age": 3, "tags": ["a", "b"], "gone": null});
        let sent = |style| {
            let mut fields = Fields::default();
            fields.object("filter", &filter, style);
            fields.texts().unwrap().into_iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>()
        };
        assert_eq!(sent(ObjectStyle::Exploded), ["age=3", "name=Ann Lee", "tags=a", "tags=b"]);
        assert_eq!(sent(ObjectStyle::Comma), ["filter=age,3,name,Ann Lee,tags,a,b"]);
        assert_eq!(
            sent(ObjectStyle::Deep),
            ["filter[age]=3", "filter[name]=Ann Lee", "filter[tags]=a", "filter[tags]=b"]
        );
        let nested = serde_json::json!({"range": {"from": 1, "to": 2}});
        let mut fields = Fields::default();
        fields.object("q", &nested, ObjectStyle::Deep);
        assert_eq!(fields.texts().unwrap(), [("q[range][from]", "1"), ("q[range][to]", "2")]);
        let mut fields = Fields::default();
        fields.object("q", &Some(serde_json::json!("plain")), ObjectStyle::Deep);
        fields.object("q", &None::<serde_json::Value>, ObjectStyle::Exploded);
        assert_eq!(fields.texts().unwrap(), [("q", "plain")], "no object: the value's own rules");
    }

    use super::*;

    #[test]
    fn lists_repeat_the_name_and_absent_values_are_skipped() {
        let mut fields = Fields::default();
        fields.add("to", &vec!["a@x".to_owned(), "b@x".to_owned()]);
        fields.add("o:tag", &None::<String>);
        fields.add("o:testmode", &true);
        fields.add("v", &BTreeMap::from([("k".to_owned(), 1)]));
        assert_eq!(
            fields.texts().unwrap(),
            [("to", "a@x"), ("to", "b@x"), ("o:testmode", "true"), ("v", r#"{"k":1}"#)]
        );
    }

    #[test]
    fn a_multipart_body_is_its_fields_in_order_each_text_as_written() {
        let mut fields = Fields::default();
        fields.add("subject", "Ünïcode");
        fields.add("empty", "");
        fields.add("attachment", &File::from_bytes("a.txt", "hi"));
        fields.add("o:deliverytime-optimize-period", &24);
        fields.add("v:data", &BTreeMap::from([("k".to_owned(), "v".to_owned())]));
        let parts: Vec<(String, String)> = fields
            .into_parts()
            .into_iter()
            .map(|(name, part)| match part {
                FormPart::Text(text) => (name.into_owned(), String::from_utf8(text.to_vec()).unwrap()),
                FormPart::File(file) => (name.into_owned(), format!("file {}", file.name())),
            })
            .collect();
        let expected = [
            ("subject", "Ünïcode"),
            ("empty", ""),
            ("attachment", "file a.txt"),
            ("o:deliverytime-optimize-period", "24"),
            ("v:data", r#"{"k":"v"}"#),
        ];
        assert_eq!(parts, expected.map(|(n, v)| (n.to_owned(), v.to_owned())));
    }

    #[test]
    fn files_are_refused_outside_multipart() {
        let mut fields = Fields::default();
        fields.add("attachment", &File::from_bytes("a.txt", "hi"));
        assert!(matches!(fields.texts(), Err(crate::Error::InvalidRequest(_))));
    }

    #[test]
    fn maps_and_json_objects_are_form_bodies() {
        let mut fields = Fields::default();
        BTreeMap::from([("a".to_owned(), "1".to_owned())]).fields(&mut fields);
        serde_json::json!({"b": [1, 2], "c": {"d": true}}).fields(&mut fields);
        assert_eq!(fields.texts().unwrap(), [("a", "1"), ("b", "1"), ("b", "2"), ("c", r#"{"d":true}"#)]);
    }

    #[test]
    fn a_text_file_is_a_json_string() {
        let file = File::from_bytes("a.txt", "hi");
        assert_eq!(serde_json::to_string(&file).unwrap(), "\"hi\"");
        assert!(serde_json::to_string(&File::from_bytes("b.bin", vec![0xff])).is_err());
        let read: File = serde_json::from_str("\"hi\"").unwrap();
        assert_eq!(read.bytes(), Some(&b"hi"[..]));
    }

    #[test]
    fn content_types_are_guessed_from_the_name_unless_set() {
        assert_eq!(File::from_bytes("report.pdf", "x").content_type(), "application/pdf");
        assert_eq!(File::from_path("/tmp/logo.png").content_type(), "image/png");
        assert_eq!(File::from_bytes("data", "x").content_type(), "application/octet-stream");
        assert_eq!(File::from_bytes("a.csv", "x").with_content_type("text/plain").content_type(), "text/plain");
    }
}
