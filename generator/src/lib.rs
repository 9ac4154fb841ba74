//! The Mailgun SDK generator.
//!
//! The pipeline runs one way, each step in its own module:
//!
//! 1. [`load`] reads the YAML (or JSON) document;
//! 2. [`overrides`] applies the spec corrections from `spec/overrides.yaml`;
//! 3. [`downlevel`] rewrites the OpenAPI 3.1 constructs into their 3.0 form;
//! 4. the document is read into `openapiv3`'s model;
//! 5. [`normalise`] turns it into the [`ir`], using [`naming`] for every Rust name;
//! 6. [`emit`] turns the IR into token streams and [`render`] into formatted files.
//!
//! Nothing is written here: [`generate`] returns every output file in memory, and the caller
//! writes them only when the whole run succeeded.

#![deny(missing_docs)]

pub mod downlevel;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalise;
pub mod overrides;
pub mod render;

pub use error::{Error, Location};

use std::collections::BTreeMap;
use std::path::Path;

/// The generated files: path relative to the output directory → contents.
pub type Output = BTreeMap<String, String>;

/// The inputs of a run.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The OpenAPI document.
    pub spec: &'a Path,
    /// The overrides file, if any.
    pub overrides: Option<&'a Path>,
    /// How the spec path is shown in generated headers (relative, so output is portable).
    pub spec_label: &'a str,
}

/// Reads the inputs and builds the IR.
pub fn load_api(inputs: Inputs<'_>) -> Result<ir::Api, Error> {
    let (doc, overrides) = load_document(inputs)?;
    normalise::normalise(&doc, &overrides).map_err(|issue| issue.in_file(inputs.spec))
}

/// Reads, patches and downlevels the document and reads it into `openapiv3`'s model.
pub fn load_document(inputs: Inputs<'_>) -> Result<(openapiv3::OpenAPI, overrides::Overrides), Error> {
    let overrides = match inputs.overrides {
        Some(path) => {
            let value = load::read_value(path)?;
            overrides::Overrides::from_value(value).map_err(|issue| issue.in_file(path))?
        }
        None => overrides::Overrides::default(),
    };
    let mut value = load::read_value(inputs.spec)?;
    if let Some(path) = inputs.overrides {
        overrides.apply_patches(&mut value).map_err(|issue| issue.in_file(path))?;
    }
    downlevel::downlevel(&mut value).map_err(|issue| issue.in_file(inputs.spec))?;
    let doc = to_openapi(value).map_err(|issue| issue.in_file(inputs.spec))?;
    Ok((doc, overrides))
}

/// Reads a downlevelled document into `openapiv3`'s model, naming the failing place.
pub fn to_openapi(value: serde_yaml::Value) -> Result<openapiv3::OpenAPI, error::Issue> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer: Vec<String> = e.path().iter().map(|segment| error::escape_token(&segment.to_string())).collect();
        error::Issue::at(
            format!("#/{}", pointer.join("/")),
            format!("not a valid OpenAPI 3.0 document after normalisation: {}", e.inner()),
        )
    })
}

/// Runs the whole pipeline and returns every output file.
pub fn generate(inputs: Inputs<'_>) -> Result<Output, Error> {
    let api = load_api(inputs)?;
    let files = emit::emit(&api)?;
    render::render(&api, files, inputs.spec_label)
}
