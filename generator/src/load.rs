//! Reading the document. JSON is valid YAML, so one reader serves both.

use crate::error::Error;
use serde_yaml::Value;
use std::path::Path;

/// Reads a YAML or JSON file into a generic value.
pub fn read_value(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { file: path.to_owned(), source })?;
    parse_value(&text).map_err(|issue| issue.in_file(path))
}

/// Parses YAML or JSON text.
pub fn parse_value(text: &str) -> Result<Value, crate::error::Issue> {
    serde_yaml::from_str(text).map_err(|e| {
        let place = e.location().map(|l| format!(" at line {} column {}", l.line(), l.column()));
        crate::error::Issue::at("", format!("not valid YAML or JSON{}: {e}", place.unwrap_or_default()))
    })
}
