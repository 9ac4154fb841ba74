//! Reading the document, YAML or JSON.
//!
//! JSON is valid YAML, but a JSON document is read with a JSON reader: it is several times
//! faster on large documents, and it accepts integers too large for 64 bits (some APIs put
//! them in `minimum`/`maximum`), which become floating-point numbers instead of an error.

use crate::error::{Error, Issue};
use serde_yaml::Value;
use std::path::Path;

/// Reads a YAML or JSON file into a generic value.
pub fn read_value(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { file: path.to_owned(), source })?;
    parse_value(&text).map_err(|issue| issue.in_file(path))
}

/// Parses YAML or JSON text.
pub fn parse_value(text: &str) -> Result<Value, Issue> {
    if text.trim_start().starts_with('{') {
        // Straight into the YAML value, which keeps the document's key order.
        let mut json = serde_json::Deserializer::from_str(text);
        if let Ok(value) = <Value as serde::Deserialize>::deserialize(&mut json) {
            return Ok(value);
        }
    }
    serde_yaml::from_str(text).map_err(|e| {
        let place = e.location().map(|l| format!(" at line {} column {}", l.line(), l.column()));
        Issue::at("", format!("not valid YAML or JSON{}: {e}", place.unwrap_or_default()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_integers_beyond_64_bits_is_read() {
        let value = parse_value(r#"{"maximum": 340282366920938463463374607431768211455}"#).unwrap();
        assert!(value["maximum"].as_f64().is_some_and(|m| m > 1e38));
    }

    #[test]
    fn yaml_and_json_read_the_same_in_the_same_order() {
        let json = parse_value("{\"z\": [1, \"b\"], \"a\": null}").unwrap();
        assert_eq!(json, parse_value("z: [1, b]\na: null").unwrap());
        let keys: Vec<&str> = json.as_mapping().unwrap().keys().map(|k| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["z", "a"]);
    }
}
