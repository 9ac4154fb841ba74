//! The one error type of the generator. Every variant names where the problem is.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file that was read.
    pub file: PathBuf,
    /// A JSON pointer into that file (`#/paths/~1v3~1routes/get`), or empty for the whole file.
    pub pointer: String,
    /// The operation being processed, when there is one.
    pub operation_id: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if !self.pointer.is_empty() {
            write!(f, "#{}", self.pointer.trim_start_matches('#'))?;
        }
        if let Some(id) = &self.operation_id {
            write!(f, " (operationId `{id}`)")?;
        }
        Ok(())
    }
}

/// A generation failure. Nothing is written when one occurs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The input is not what the generator can turn into Rust.
    #[error("{location}: {message}")]
    Spec {
        /// Where.
        location: Location,
        /// What is wrong, in one sentence.
        message: String,
    },
    /// The emitter produced tokens that are not valid Rust: a generator bug.
    #[error("internal error: emitted code for {file} does not parse: {message}")]
    Emit {
        /// The output file being rendered.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A template failed to render: a generator bug.
    #[error("internal error: template for {file} failed: {message}")]
    Template {
        /// The output file being rendered.
        file: String,
        /// The template engine's message.
        message: String,
    },
}

/// Which input an [`Issue`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The OpenAPI document.
    Spec,
    /// The overrides file.
    Overrides,
}

/// A problem found inside an input, before the file name is attached.
///
/// The steps below `lib.rs` know pointers and operations but not which files were read;
/// [`crate::generate`] turns an `Issue` into an [`Error::Spec`] naming the right file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The input the pointer points into.
    pub input: Input,
    /// JSON pointer, with the leading `#`.
    pub pointer: String,
    /// The operation being processed, when there is one.
    pub operation_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Issue {
    /// A problem at `pointer` in the spec.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { input: Input::Spec, pointer: pointer.into(), operation_id: None, message: message.into() }
    }

    /// A problem at `pointer` in the overrides file.
    pub fn in_overrides(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { input: Input::Overrides, ..Issue::at(pointer, message) }
    }

    /// Attaches the operation being processed, unless one is already attached.
    pub fn in_operation(mut self, operation_id: &str) -> Self {
        self.operation_id.get_or_insert_with(|| operation_id.to_owned());
        self
    }

    /// Attaches the file name.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Error {
        Error::Spec {
            location: Location { file: file.into(), pointer: self.pointer, operation_id: self.operation_id },
            message: self.message,
        }
    }

    /// Attaches the name of the file the issue is in.
    pub fn in_inputs(self, spec: &Path, overrides: Option<&Path>) -> Error {
        let file = match (self.input, overrides) {
            (Input::Overrides, Some(overrides)) => overrides,
            _ => spec,
        };
        self.in_file(file)
    }
}

/// Escapes one JSON-pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends tokens to a pointer.
pub fn join(pointer: &str, tokens: &[&str]) -> String {
    let mut out = pointer.to_owned();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    out
}
