//! [`RustName`]: a valid, non-keyword Rust identifier, and the only ways to make one.
//!
//! The type sits below both the IR (which stores names) and [`naming`](crate::naming) (which
//! decides them); only the naming step calls its constructors (`generator/tests/tidy.rs` checks
//! that), so an unsanitised spec string cannot reach `format_ident!`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid, non-keyword Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RustName(String);

impl RustName {
    /// The identifier text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier text, owned.
    pub(crate) fn into_string(self) -> String {
        self.0
    }

    /// This name with a number after it (`name2`, or `name_2` with `separator` `_`): still an
    /// identifier, and never a keyword.
    pub(crate) fn numbered(&self, separator: &str, number: usize) -> RustName {
        RustName(format!("{}{separator}{number}", self.0.trim_end_matches('_')))
    }
}

impl fmt::Display for RustName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RustName {
    /// A stored IR is read back only if every name in it is a valid identifier.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RustName, D::Error> {
        let text = String::deserialize(deserializer)?;
        from_override(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a Rust identifier")))
    }
}

/// Rust keywords, strict and reserved, across editions (typify's `accept_as_ident` list).
/// `self`, `Self`, `super` and `crate` cannot be raw identifiers, so every keyword gets a `_`
/// suffix instead of `r#`.
pub(crate) const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Builds an identifier from already-cased text: non-identifier characters become `_`, a leading
/// digit gets a prefix, keywords get a `_` suffix. Returns `None` when nothing is left.
pub(crate) fn sanitize(cased: &str, digit_prefix: &str) -> Option<RustName> {
    let mut out: String = cased.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.trim_matches('_').is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, digit_prefix);
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    Some(RustName(out))
}

/// Validates a name given in the overrides file (or read back from a stored IR).
pub fn from_override(name: &str) -> Option<RustName> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !KEYWORDS.contains(&name);
    valid.then(|| RustName(name.to_owned()))
}
