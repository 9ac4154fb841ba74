//! How values go on the wire as query parameters, headers and form fields.
//!
//! Mailgun's conventions: a list is sent as one field per value under the same name (`to`,
//! `o:tag`, `attachment`); an absent optional value is not sent; a nested object or map is sent
//! as JSON text; files are multipart file parts with a filename.
//!
//! Everything here but [`File`] is private to the crate: generated types implement the traits,
//! callers never need to.

// This runtime serves every API the generator reads; an API without form bodies, say, leaves
// parts of it unused, which is not worth a warning.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Named values, in the order they will be sent.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Fields {
    pub(crate) entries: Vec<(String, Part)>,
}

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text(String),
    File(File),
}

impl Fields {
    /// Adds `value` under `name`, following the rules of its type.
    pub(crate) fn add(&mut self, name: &str, value: &(impl WireValue + ?Sized)) {
        value.append(name, self);
    }

    /// Adds one text value.
    pub(crate) fn text(&mut self, name: &str, value: impl Into<String>) {
        self.entries.push((name.to_owned(), Part::Text(value.into())));
    }

    /// Adds any serialisable value as JSON text (a JSON string is sent without quotes).
    pub(crate) fn json(&mut self, name: &str, value: &impl serde::Serialize) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => self.text(name, s),
            Ok(serde_json::Value::Null) => {}
            Ok(other) => self.text(name, other.to_string()),
            // Generated types always serialise; a failure here would be a bug in a custom
            // `Serialize` impl, and sending nothing is better than sending garbage.
            Err(_) => {}
        }
    }

    pub(crate) fn texts(&self) -> Result<Vec<(&str, &str)>, crate::Error> {
        self.entries
            .iter()
            .map(|(name, part)| match part {
                Part::Text(text) => Ok((name.as_str(), text.as_str())),
                Part::File(file) => Err(crate::Error::InvalidRequest(format!(
                    "`{name}` is a file ({}); files can only be sent in a multipart body",
                    file.name
                ))),
            })
            .collect()
    }
}

/// A value that can be sent as a query parameter, header or form field.
pub(crate) trait WireValue {
    /// Appends this value under `name`.
    fn append(&self, name: &str, fields: &mut Fields);
}

macro_rules! display_values {
    ($($ty:ty),*) => {$(
        impl WireValue for $ty {
            fn append(&self, name: &str, fields: &mut Fields) {
                fields.text(name, self.to_string());
            }
        }
    )*};
}
display_values!(String, str, bool, i32, i64, u32, u64, f64);

impl<T: WireValue + ?Sized> WireValue for &T {
    fn append(&self, name: &str, fields: &mut Fields) {
        (**self).append(name, fields);
    }
}

impl<T: WireValue + ?Sized> WireValue for Box<T> {
    fn append(&self, name: &str, fields: &mut Fields) {
        (**self).append(name, fields);
    }
}

impl<T: WireValue> WireValue for Option<T> {
    fn append(&self, name: &str, fields: &mut Fields) {
        if let Some(value) = self {
            value.append(name, fields);
        }
    }
}

impl<T: WireValue> WireValue for Vec<T> {
    fn append(&self, name: &str, fields: &mut Fields) {
        for value in self {
            value.append(name, fields);
        }
    }
}

impl<T: serde::Serialize> WireValue for BTreeMap<String, T> {
    fn append(&self, name: &str, fields: &mut Fields) {
        fields.json(name, self);
    }
}

/// Untyped JSON follows the typed rules: a list is one field per item, anything else one field
/// (a string as itself, an object or number as JSON text).
impl WireValue for serde_json::Value {
    fn append(&self, name: &str, fields: &mut Fields) {
        match self {
            serde_json::Value::Array(items) => items.iter().for_each(|item| item.append(name, fields)),
            other => fields.json(name, other),
        }
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
            fields.add(name, value);
        }
    }
}

/// A JSON object's members, each sent as a field; any other JSON value has no fields to send.
impl FormBody for serde_json::Value {
    fn fields(&self, fields: &mut Fields) {
        if let serde_json::Value::Object(members) = self {
            for (name, value) in members {
                fields.add(name, value);
            }
        }
    }
}

/// A file to upload, with the filename and content type Mailgun will see.
#[derive(Clone, PartialEq)]
pub struct File {
    name: String,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl File {
    /// A file from memory. `name` is the filename the recipient sees (and the `cid:` of an
    /// inline image).
    pub fn from_bytes(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> File {
        File { name: name.into(), content_type: None, bytes: bytes.into() }
    }

    /// Reads a file from disk; its filename is the last component of the path.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<File> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".to_owned());
        Ok(File { name, content_type: None, bytes })
    }

    /// Sets the part's content type (otherwise guessed by the HTTP library from the name).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> File {
        self.content_type = Some(content_type.into());
        self
    }

    /// The filename.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The contents.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl WireValue for File {
    fn append(&self, name: &str, fields: &mut Fields) {
        fields.entries.push((name.to_owned(), Part::File(self.clone())));
    }
}

/// Inside a JSON document (where an API puts `format: binary` outside a multipart body) a file
/// is its contents as a string; contents that are not UTF-8 cannot go there.
impl serde::Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => Err(serde::ser::Error::custom(format!(
                "`{}` is not UTF-8 text and cannot be part of a JSON document",
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
        assert_eq!(read.bytes(), b"hi");
    }
}
