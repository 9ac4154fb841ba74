//! A generator of Rust client crates from OpenAPI documents (3.0, and 3.1 brought down to 3.0).
//!
//! The pipeline runs one way, each step in its own module:
//!
//! 1. [`load`] reads the YAML (or JSON) document;
//! 2. [`overrides`] applies the spec corrections from `spec/overrides.yaml`;
//! 3. [`refs`] makes every local reference point at a component;
//! 4. [`downlevel`] rewrites the OpenAPI 3.1 constructs into their 3.0 form;
//! 5. [`parse`] reads the document into `openapiv3`'s model;
//! 6. [`normalise`] turns it into the [`ir`], with identities but no Rust names yet;
//! 7. [`naming`] decides every Rust name, and records why;
//! 8. [`emit`] turns the IR into token streams and [`render`] into formatted files.
//!
//! Nothing is written here: [`generate`] returns every output file in memory, and the caller
//! writes them only when the whole run succeeded.
//!
//! [`diff`] compares two versions of a spec: their IRs, and the public Rust API each emits.
//!
//! Below the steps sit the [`ir`] (the data they pass on), [`report`] (what the crate says less
//! than the document), [`error`], [`rust_name`] (the identifier type only naming makes) and
//! [`words`] (reading spec names). A module uses only those before it: `tests/tidy.rs` reads the
//! module graph from the source and fails on a cycle or a step that reaches forward or back.
//! `ARCHITECTURE.md` at the workspace root says where to add things.

#![deny(missing_docs)]

pub mod diff;
pub mod downlevel;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalise;
pub mod overrides;
pub mod parse;
pub mod refs;
pub mod render;
pub mod report;
pub mod rust_name;
pub mod words;

pub use error::{Error, Location};
pub use render::Files;

use error::Issue;
use overrides::Overrides;
use std::path::Path;

/// The inputs of a run.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The OpenAPI document.
    pub spec: &'a Path,
    /// The overrides file, if any.
    pub overrides: Option<&'a Path>,
    /// How the spec is named in generated headers: a path relative to the workspace, or its
    /// file name, never a path of the machine it ran on.
    pub spec_label: &'a str,
    /// The generated crate's version (from the release record), or `None` for `0.1.0`.
    pub crate_version: Option<&'a str>,
    /// A folder of hand-written examples, and how headers name it: its `.rs` files become the
    /// crate's examples, its `guide.md` the quick start of the crate's README.
    pub examples: Option<(&'a Path, &'a str)>,
}

impl Inputs<'_> {
    /// Attaches the right file name to a problem found in one of the inputs.
    fn locate(&self, issue: Issue) -> Error {
        issue.in_inputs(self.spec, self.overrides)
    }
}

/// Runs the whole pipeline and returns every output file.
pub fn generate(inputs: Inputs<'_>) -> Result<Files, Error> {
    generate_reporting(inputs).map(|(files, _)| files)
}

/// Runs the whole pipeline and returns every output file, and every place the crate says less
/// than the document ([`report`]).
pub fn generate_reporting(inputs: Inputs<'_>) -> Result<(Files, Vec<report::Degraded>), Error> {
    let (api, noted) = load_api_noting(inputs)?;
    let files = render::emit_and_render_cached(&api, inputs.spec_label, &read_examples(inputs)?, None)?;
    Ok((files, report::degraded(&api, noted)))
}

/// [`generate_reporting`], formatting only the Rust files whose tokens differ from those of the
/// run that made the cache `cache` gives, and giving this run's cache to `keep`, for the next.
/// The cache is read once the document has been (whose reading is the run's peak of memory),
/// and kept before the crate's files are put together (so that its text is not held twice).
pub fn generate_cached(
    inputs: Inputs<'_>,
    cache: impl FnOnce() -> render::FormatCache,
    mut keep: impl FnMut(&render::FormatCache),
) -> Result<(Files, Vec<report::Degraded>), Error> {
    let (api, noted) = load_api_noting(inputs)?;
    let examples = read_examples(inputs)?;
    let caching = render::Caching { last: cache(), keep: &mut keep };
    let files = render::emit_and_render_cached(&api, inputs.spec_label, &examples, Some(caching))?;
    Ok((files, report::degraded(&api, noted)))
}

fn read_examples(inputs: Inputs<'_>) -> Result<render::Examples, Error> {
    match inputs.examples {
        Some((dir, label)) => render::Examples::read(dir, label),
        None => Ok(render::Examples::default()),
    }
}

/// Reads the inputs and builds the IR, every name decided.
pub fn load_api(inputs: Inputs<'_>) -> Result<ir::Api, Error> {
    load_api_noting(inputs).map(|(api, _)| api)
}

/// [`load_api`], with what reading the document noted on the way.
fn load_api_noting(inputs: Inputs<'_>) -> Result<(ir::Api, Vec<report::Degraded>), Error> {
    // The fingerprint reads the inputs' bytes again, a piece at a time, beside the reading.
    let (spec_sha256, read) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| fingerprint(inputs));
        let read = read_overrides(inputs).and_then(|overrides| {
            let (doc, noted) = read_document_noting(inputs, &overrides)?;
            Ok((overrides, doc, noted))
        });
        (hashing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), read)
    });
    let (overrides, doc, noted) = read?;
    let spec_sha256 = spec_sha256?;
    let unnamed = normalise::normalise(&doc, &overrides).map_err(|i| inputs.locate(i))?;
    drop(doc);
    let mut api = naming::assign(unnamed, &overrides).map_err(|i| inputs.locate(i))?;
    if let Some(version) = inputs.crate_version {
        api.release.crate_version = version.to_owned();
    }
    api.release.spec_sha256 = spec_sha256;
    Ok((api, noted))
}

/// The SHA-256 (lowercase hex) of what a crate is generated from: the document's bytes, then
/// the overrides file's (nothing without one), each with its line endings made `\n`, so a
/// Windows checkout fingerprints the same files the same. A release records it; a crate made
/// from other inputs has another one.
pub fn fingerprint(inputs: Inputs<'_>) -> Result<String, Error> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for path in std::iter::once(inputs.spec).chain(inputs.overrides) {
        let read = |source| Error::Read { file: path.to_owned(), source };
        let file = std::fs::File::open(path).map_err(read)?;
        hash_with_lf(std::io::BufReader::with_capacity(1 << 16, file), &mut hasher).map_err(read)?;
    }
    Ok(hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Feeds `reader`'s bytes to `hasher` with every `\r\n` as `\n`, one buffer at a time (a
/// large document is not held twice).
fn hash_with_lf(mut reader: impl std::io::BufRead, hasher: &mut impl sha2::Digest) -> std::io::Result<()> {
    // A `\r` ending one buffer is held back until the next shows whether a `\n` follows.
    let mut held_cr = false;
    loop {
        let buffer = reader.fill_buf()?;
        let Some(&last) = buffer.last() else { break };
        if std::mem::take(&mut held_cr) && buffer[0] != b'\n' {
            hasher.update(b"\r");
        }
        let (mut rest, ends_in_cr) = if last == b'\r' { (&buffer[..buffer.len() - 1], true) } else { (buffer, false) };
        while let Some(at) = rest.windows(2).position(|pair| pair == b"\r\n") {
            hasher.update(&rest[..at]);
            rest = &rest[at + 1..];
        }
        hasher.update(rest);
        held_cr = ends_in_cr;
        let consumed = buffer.len();
        reader.consume(consumed);
    }
    if held_cr {
        hasher.update(b"\r");
    }
    Ok(())
}

/// The overrides file, or none.
pub fn read_overrides(inputs: Inputs<'_>) -> Result<Overrides, Error> {
    match inputs.overrides {
        Some(path) => Overrides::from_value(load::read_value(path)?).map_err(|i| inputs.locate(i)),
        None => Ok(Overrides::default()),
    }
}

/// Loads, patches, rewrites references in and downlevels the document, and reads it into
/// `openapiv3`'s model.
pub fn read_document(inputs: Inputs<'_>, overrides: &Overrides) -> Result<openapiv3::OpenAPI, Error> {
    read_document_noting(inputs, overrides).map(|(doc, _)| doc)
}

fn read_document_noting(
    inputs: Inputs<'_>,
    overrides: &Overrides,
) -> Result<(openapiv3::OpenAPI, Vec<report::Degraded>), Error> {
    let (value, noted) = downlevelled(inputs, overrides)?;
    match parse::openapi(value) {
        Ok(document) => Ok((document, noted)),
        // Reading consumed the document (a copy would double the peak memory of every run):
        // the failing run reads it again to find the member at fault.
        Err(untracked) => {
            let (value, _) = downlevelled(inputs, overrides)?;
            let issue = parse::failure(value.clone(), untracked);
            Err(inputs.locate(parse::narrow(&value, issue)))
        }
    }
}

/// The document loaded, patched, with its references rewritten and downlevelled to 3.0.
fn downlevelled(
    inputs: Inputs<'_>,
    overrides: &Overrides,
) -> Result<(serde_yaml::Value, Vec<report::Degraded>), Error> {
    let mut value = load::read_value(inputs.spec)?;
    overrides.apply_patches(&mut value).map_err(|i| inputs.locate(i))?;
    refs::hoist(&mut value);
    let noted = downlevel::downlevel(&mut value).map_err(|i| inputs.locate(i))?;
    Ok((value, noted))
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn line_endings_are_hashed_as_lf_wherever_the_buffers_end() {
        let texts = ["", "a", "\r", "\n", "\r\n", "\r\r\n", "a\r\nb\rc\n\r", "x\r", "\r\n\r\n", "é\r\nü\r"];
        for text in texts {
            let expected = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
            for capacity in 1..=4 {
                let mut hasher = Sha256::new();
                super::hash_with_lf(std::io::BufReader::with_capacity(capacity, text.as_bytes()), &mut hasher).unwrap();
                assert_eq!(hasher.finalize(), expected, "{text:?} read {capacity} bytes at a time");
            }
        }
    }
}
