//! The corpus: documents the generator was not tuned to, each generated with no overrides file.
//! `cargo test` checks that each generates, deterministically, whatever the order of the
//! document, with short names; `cargo xtask test` also compiles every crate.
//!
//! - hand-written documents, one kind of trouble each, in `generator/tests/corpus/`;
//! - variants of the Mailgun spec, built here: as shipped (no overrides), without
//!   operationIds, without tags, with every operation also under a second prefix, as JSON;
//! - deeply nested inline objects, built here.

use crate::project_root;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One document of the corpus.
pub struct Document {
    /// A short name, also the folder its crate is generated into.
    pub name: String,
    /// The document's text.
    pub text: String,
    /// `yaml` or `json`.
    pub extension: &'static str,
}

/// Every document of the corpus.
pub fn documents() -> Result<Vec<Document>, String> {
    let root = project_root();
    let mut out = Vec::new();
    let dir = root.join("generator/tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    files.sort();
    for file in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")) {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let name = file.file_stem().expect("a file").to_string_lossy().replace('_', "-");
        out.push(Document { name, text, extension: "yaml" });
    }

    let spec_path = root.join("spec/mailgun-openapi.yaml");
    let spec_text = std::fs::read_to_string(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec: Value = serde_yaml::from_str(&spec_text).map_err(|e| e.to_string())?;
    let yaml = |name: &str, value: &Value| Document {
        name: name.to_owned(),
        text: serde_yaml::to_string(value).expect("a YAML value serialises"),
        extension: "yaml",
    };
    out.push(Document { name: "mailgun-no-overrides".to_owned(), text: spec_text.clone(), extension: "yaml" });
    out.push(yaml("mailgun-no-operation-ids", &without_operation_ids(&spec)));
    out.push(yaml("mailgun-no-tags", &without_tags(&spec)));
    out.push(yaml("mailgun-twice", &under_a_second_prefix(&spec)));
    let json = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
    out.push(Document { name: "mailgun-json".to_owned(), text: json, extension: "json" });
    out.push(yaml("deep-nesting", &deep_nesting()));
    Ok(out)
}

fn operations_mut(doc: &mut Value) -> impl Iterator<Item = &mut Mapping> {
    doc["paths"].as_mapping_mut().into_iter().flat_map(|paths| {
        paths.values_mut().filter_map(Value::as_mapping_mut).flat_map(|item| {
            item.iter_mut()
                .filter(|(k, _)| {
                    matches!(k.as_str(), Some("get" | "put" | "post" | "delete" | "patch" | "head" | "options"))
                })
                .filter_map(|(_, op)| op.as_mapping_mut())
        })
    })
}

fn without_operation_ids(spec: &Value) -> Value {
    let mut doc = spec.clone();
    for op in operations_mut(&mut doc) {
        op.remove("operationId");
    }
    doc
}

fn without_tags(spec: &Value) -> Value {
    let mut doc = spec.clone();
    for op in operations_mut(&mut doc) {
        op.remove("tags");
    }
    if let Some(root) = doc.as_mapping_mut() {
        root.remove("tags");
        root.remove("x-tagGroups");
    }
    doc
}

/// Every operation a second time, under `/copy`, with its operationId suffixed.
fn under_a_second_prefix(spec: &Value) -> Value {
    let mut doc = spec.clone();
    let mut copies = Mapping::new();
    if let Some(paths) = doc["paths"].as_mapping() {
        for (path, item) in paths {
            let mut item = item.clone();
            for (_, op) in item.as_mapping_mut().into_iter().flatten() {
                if let Some(Value::String(id)) = op.get_mut("operationId") {
                    id.push_str("-copy");
                }
            }
            copies.insert(format!("/copy{}", path.as_str().unwrap_or("")).into(), item);
        }
    }
    if let Some(paths) = doc["paths"].as_mapping_mut() {
        paths.extend(copies);
    }
    doc
}

/// Inline objects nested 40 deep under one property name, 12 deep under long distinct names,
/// in a component and in an answer, and lists of lists of objects.
fn deep_nesting() -> Value {
    fn nest(depth: usize, name: &dyn Fn(usize) -> String) -> Value {
        let mut schema: Value =
            serde_yaml::from_str("{type: object, properties: {leaf: {type: string, enum: [a, b]}}}").unwrap();
        for level in (0..depth).rev() {
            let mut properties = Mapping::new();
            properties.insert(name(level).into(), schema);
            properties.insert("value".into(), serde_yaml::from_str("{type: integer}").unwrap());
            let mut object = Mapping::new();
            object.insert("type".into(), "object".into());
            object.insert("properties".into(), Value::Mapping(properties));
            schema = Value::Mapping(object);
        }
        schema
    }
    let same = nest(40, &|_| "child".to_owned());
    let long = nest(12, &|level| format!("a_rather_long_property_name_at_nesting_level_number_{level}"));
    let mut lists: Value = serde_yaml::from_str("{type: object, properties: {x: {type: string}}}").unwrap();
    for _ in 0..6 {
        let mut array = Mapping::new();
        array.insert("type".into(), "array".into());
        array.insert("items".into(), lists);
        lists = Value::Mapping(array);
    }
    let mut doc: Value = serde_yaml::from_str(
        "openapi: 3.1.0\ninfo: {title: Deep nesting, version: '1'}\nservers: [{url: 'https://example.test'}]\npaths:\n  /deep:\n    get:\n      operationId: getDeep\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {}}}\ncomponents:\n  schemas: {}",
    )
    .unwrap();
    doc["paths"]["/deep"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = long;
    let schemas = doc["components"]["schemas"].as_mapping_mut().unwrap();
    schemas.insert("Same".into(), same);
    schemas.insert("Lists".into(), lists);
    doc
}

/// Where the corpus is written: documents and crates, outside the workspace (a crate inside
/// it would be taken for a member).
fn corpus_dir() -> PathBuf {
    std::env::temp_dir().join("mailgun-generator-corpus")
}

/// Writes a document and generates its crate (no overrides file); returns the crate's folder.
pub fn generate(doc: &Document) -> Result<PathBuf, String> {
    let dir = corpus_dir();
    let spec = dir.join("docs").join(format!("{}.{}", doc.name, doc.extension));
    std::fs::create_dir_all(spec.parent().expect("a folder")).map_err(|e| e.to_string())?;
    std::fs::write(&spec, &doc.text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let out = dir.join("crates").join(&doc.name);
    let options = crate::codegen::Options::for_document(spec, out.clone());
    crate::codegen::run(&options).map_err(|e| format!("corpus document `{}`: {e}", doc.name))?;
    Ok(out)
}

/// Generates and compiles every corpus document; fails on the first that does not compile.
pub fn run(cargo: &str) -> Result<(), String> {
    let documents = documents()?;
    for doc in &documents {
        let out = generate(doc)?;
        check_crate(cargo, &out).map_err(|e| format!("corpus document `{}`: {e}", doc.name))?;
        // The Mailgun variants' docs are the shipped crate's, checked by its own doc step.
        if !doc.name.starts_with("mailgun-") {
            check_docs(cargo, &out).map_err(|e| format!("corpus document `{}`: {e}", doc.name))?;
            check_doc_examples(cargo, &out).map_err(|e| format!("corpus document `{}`: {e}", doc.name))?;
        }
        println!("corpus: `{}` generated and compiled", doc.name);
    }
    println!("corpus: {} documents generated with no overrides and compiled", documents.len());
    Ok(())
}

/// rustdoc of a generated crate, which must pass without a warning: spec text of any kind
/// (brackets, HTML, code fences, odd characters in names) must not break the docs.
fn check_docs(cargo: &str, dir: &Path) -> Result<(), String> {
    cargo_on_crate(cargo, dir, &["doc", "--quiet", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")])
        .map_err(|output| format!("the docs of {} have warnings:\n{output}", dir.display()))
}

/// The generated crate's doctests, the example in every method's docs among them: they must
/// compile (they are `no_run`), whatever the document's types and parameters.
fn check_doc_examples(cargo: &str, dir: &Path) -> Result<(), String> {
    cargo_on_crate(cargo, dir, &["test", "--doc", "--quiet"], &[])
        .map_err(|output| format!("the doc examples of {} do not compile:\n{output}", dir.display()))
}

/// Runs a cargo command on the crate generated into `dir`, in the workspace's build cache;
/// on failure, what it printed.
fn cargo_on_crate(cargo: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let output = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", project_root().join("target"))
        .envs(env.iter().copied())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
    }
}

/// `cargo check` of a generated crate with every feature (the test double's and the
/// middleware's code too), which must pass without a warning. It shares the workspace's build
/// cache: the dependencies are the same crates.
pub fn check_crate(cargo: &str, dir: &Path) -> Result<(), String> {
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--all-features", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", project_root().join("target"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let messages = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("the crate generated into {} does not compile:\n{messages}", dir.display()));
    }
    if messages.contains("warning") {
        return Err(format!("the crate generated into {} has warnings:\n{messages}", dir.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn generate_text(name: &str, extension: &str, text: &str) -> Result<generator::Files, String> {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join(format!("{name}.{extension}"));
        std::fs::write(&spec, text).unwrap();
        let inputs = generator::Inputs {
            spec: &spec,
            overrides: None,
            spec_label: "corpus",
            crate_version: None,
            examples: None,
        };
        let files = generator::generate(inputs).map_err(|e| e.to_string());
        // The crate names the SHA-256 of the bytes it came from; these tests compare what the
        // bytes mean, so the fingerprint is masked.
        let sha256 = generator::fingerprint(inputs).map_err(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        let (mut files, sha256) = (files?, sha256?);
        for text in files.values_mut() {
            *text = text.replace(&sha256, "<sha256>").replace(&sha256[..12], "<sha256>");
        }
        Ok(files)
    }

    /// Each corpus document generates with no overrides, twice the same, with type names of
    /// at most 64 characters and file names well under 100 bytes.
    #[test]
    fn every_corpus_document_generates_deterministically_with_short_names() {
        for doc in documents().unwrap() {
            let first = generate_text(&doc.name, doc.extension, &doc.text).unwrap();
            let second = generate_text(&doc.name, doc.extension, &doc.text).unwrap();
            assert!(first == second, "`{}`: two runs differ", doc.name);
            for path in first.keys() {
                let file = path.rsplit('/').next().unwrap();
                assert!(file.len() < 100, "`{}`: file name of {} bytes: {path}", doc.name, file.len());
            }
            for (path, text) in &first {
                if !path.starts_with("src/types/") || path.ends_with("mod.rs") {
                    continue;
                }
                for line in text.lines() {
                    let declared = ["pub struct ", "pub enum ", "pub type "].iter().find_map(|k| line.strip_prefix(k));
                    if let Some(rest) = declared {
                        let name: String =
                            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        assert!(name.len() <= 64, "`{}`: type name of {} characters: {name}", doc.name, name.len());
                    }
                }
            }
        }
    }

    /// The order the document lists paths and schemas in changes nothing in the output.
    #[test]
    fn output_does_not_depend_on_the_order_of_the_document() {
        for doc in documents().unwrap().into_iter().filter(|d| d.extension == "yaml") {
            let mut value: Value = serde_yaml::from_str(&doc.text).unwrap();
            for key in [&["paths"][..], &["components", "schemas"][..]] {
                let node = key.iter().try_fold(&mut value, |v, k| v.get_mut(*k));
                if let Some(Value::Mapping(map)) = node {
                    let mut entries: Vec<(Value, Value)> = std::mem::take(map).into_iter().collect();
                    entries.reverse();
                    let reversed: Mapping = entries.into_iter().collect();
                    *map = reversed;
                }
            }
            let reordered = serde_yaml::to_string(&value).unwrap();
            let a = generate_text(&doc.name, "yaml", &doc.text).unwrap();
            let b = generate_text(&format!("{}-reordered", doc.name), "yaml", &reordered).unwrap();
            assert!(a == b, "`{}`: reordering paths and schemas changed the output", doc.name);
        }
    }

    /// The Mailgun spec as JSON gives the same crate as the YAML it came from.
    #[test]
    fn json_and_yaml_give_the_same_crate() {
        let docs: BTreeMap<String, Document> = documents().unwrap().into_iter().map(|d| (d.name.clone(), d)).collect();
        let yaml = &docs["mailgun-no-overrides"];
        let json = &docs["mailgun-json"];
        let a = generate_text("yaml", "yaml", &yaml.text).unwrap();
        let b = generate_text("json", "json", &json.text).unwrap();
        assert!(a == b, "the JSON document gives another crate");
    }

    /// Without operationIds every operation gets an identity from its method and path, and the
    /// method names (which come from method and path too) do not change.
    #[test]
    fn operations_without_operation_ids_keep_their_method_names() {
        let docs: BTreeMap<String, Document> = documents().unwrap().into_iter().map(|d| (d.name.clone(), d)).collect();
        let api = |doc: &Document| {
            let dir = std::env::temp_dir().join(format!("xtask-ids-{}-{}", std::process::id(), doc.name));
            std::fs::create_dir_all(&dir).unwrap();
            let spec = dir.join("spec.yaml");
            std::fs::write(&spec, &doc.text).unwrap();
            let api = generator::load_api(generator::Inputs {
                spec: &spec,
                overrides: None,
                spec_label: "t",
                crate_version: None,
                examples: None,
            })
            .unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            api
        };
        let with = api(&docs["mailgun-no-overrides"]);
        let without = api(&docs["mailgun-no-operation-ids"]);
        let names = |api: &generator::ir::Api| {
            api.operations.values().map(|op| (op.method, op.path.raw.clone(), op.name.to_string())).collect::<Vec<_>>()
        };
        let mut a = names(&with);
        let mut b = names(&without);
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert!(without.operations.values().all(|op| op.id_synthesized && op.id.0.contains(' ')));
        assert_eq!(without.operations.len(), 213);
    }
}
