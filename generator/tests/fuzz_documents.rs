//! Hostile documents: real ones (the Mailgun spec and the corpus) mutated at random, knowing
//! their structure: keys dropped, duplicated under names in any script, renamed and retyped;
//! schemas wrapped in random `allOf`/`oneOf`/`anyOf` nests, given huge enums, nested absurdly
//! deep, and made to reference themselves. The generator must never panic or hang, and either
//! fail with an error naming the file (and the pointer, where there is one) or give a crate
//! whose every Rust file parses; one such crate is compiled.
//!
//! It runs for `FUZZ_DOCUMENTS_SECONDS` (20 by default) from seed `FUZZ_DOCUMENTS_SEED` (a fixed
//! one by default, so CI is repeatable); a longer run is
//! `FUZZ_DOCUMENTS_SECONDS=600 FUZZ_DOCUMENTS_SEED=7 cargo test --release -p generator --test fuzz_documents -- --nocapture`.

use generator::{Error, Inputs};
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The documents mutated: the corpus, and the Mailgun spec (slower to generate, so less often).
fn documents() -> Vec<(String, Value)> {
    let mut docs = Vec::new();
    let dir = root().join("generator/tests/corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.push(root().join("spec/mailgun-openapi.yaml"));
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        docs.push((name, serde_yaml::from_str(&text).unwrap()));
    }
    docs
}

/// Names a document may use for anything: other scripts, empty, reserved, spaced, emoji, long.
const NAMES: &[&str] = &[
    "名前",
    "имя",
    "ñame",
    "🙂",
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "r#type",
    "a b",
    "a-b",
    "1st",
    "_",
    "__",
    "mod",
    "ŝtato",
    "إسم",
    "a_very_long_name_that_goes_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on_and_on",
];

/// Every map in the document, as a path of keys and indices from the root, and whether it looks
/// like a schema.
fn maps(value: &Value, at: &mut Vec<Value>, out: &mut Vec<(Vec<Value>, bool)>) {
    match value {
        Value::Mapping(map) => {
            out.push((at.clone(), is_schema(map)));
            for (key, child) in map {
                at.push(key.clone());
                maps(child, at, out);
                at.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Value::from(i as u64));
                maps(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(mut value: &'a mut Value, path: &[Value]) -> &'a mut Value {
    for step in path {
        value = match (value, step) {
            (Value::Sequence(items), Value::Number(i)) => &mut items[i.as_u64().unwrap() as usize],
            (Value::Mapping(map), key) => map.get_mut(key).unwrap(),
            _ => unreachable!("paths come from the same document"),
        };
    }
    value
}

fn scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.usize(0..9) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(rng.i64(-5..1_000_000)),
        3 => Value::from(-1.5),
        4 => Value::from(NAMES[rng.usize(0..NAMES.len())]),
        5 => Value::Sequence(Vec::new()),
        6 => Value::Mapping(Mapping::new()),
        7 => Value::from("frobnicate"),
        _ => serde_yaml::from_str("[1, x, {a: b}]").unwrap(),
    }
}

fn is_schema(map: &Mapping) -> bool {
    ["type", "properties", "$ref", "allOf", "oneOf", "anyOf", "items", "enum"].iter().any(|k| map.contains_key(*k))
}

/// One mutation, described for the failure message.
fn mutate(doc: &mut Value, rng: &mut fastrand::Rng) -> String {
    let mut all = Vec::new();
    maps(doc, &mut Vec::new(), &mut all);
    let path = all[rng.usize(0..all.len())].0.clone();
    let where_ =
        || path.iter().map(|s| serde_yaml::to_string(s).unwrap().trim().to_owned()).collect::<Vec<_>>().join("/");
    let schemas: Vec<Vec<Value>> = all.into_iter().filter(|(_, schema)| *schema).map(|(path, _)| path).collect();
    match rng.usize(0..8) {
        0 => {
            let Value::Mapping(map) = node(doc, &path) else { unreachable!() };
            let Some(key) = map.keys().nth(rng.usize(0..map.len().max(1))).cloned() else { return "nothing".into() };
            map.remove(&key);
            format!("dropped {key:?} at /{}", where_())
        }
        1 => {
            let Value::Mapping(map) = node(doc, &path) else { unreachable!() };
            let Some((key, value)) =
                map.iter().nth(rng.usize(0..map.len().max(1))).map(|(k, v)| (k.clone(), v.clone()))
            else {
                return "nothing".into();
            };
            let name = NAMES[rng.usize(0..NAMES.len())];
            map.insert(Value::from(name), value);
            format!("duplicated {key:?} as {name:?} at /{}", where_())
        }
        2 => {
            let Value::Mapping(map) = node(doc, &path) else { unreachable!() };
            let Some(key) = map.keys().nth(rng.usize(0..map.len().max(1))).cloned() else { return "nothing".into() };
            let value = scalar(rng);
            map.insert(key.clone(), value.clone());
            format!("retyped {key:?} as {value:?} at /{}", where_())
        }
        3 => {
            let Value::Mapping(map) = node(doc, &path) else { unreachable!() };
            let Some(key) = map.keys().nth(rng.usize(0..map.len().max(1))).cloned() else { return "nothing".into() };
            let value = map.remove(&key).unwrap();
            let name = NAMES[rng.usize(0..NAMES.len())];
            map.insert(Value::from(name), value);
            format!("renamed {key:?} to {name:?} at /{}", where_())
        }
        4 if !schemas.is_empty() => {
            let path = &schemas[rng.usize(0..schemas.len())];
            let target = node(doc, path);
            for _ in 0..rng.usize(1..4) {
                let keyword = ["allOf", "oneOf", "anyOf"][rng.usize(0..3)];
                let other = match rng.usize(0..3) {
                    0 => serde_yaml::from_str("{type: string}").unwrap(),
                    1 => serde_yaml::from_str("{type: object, properties: {n: {type: integer}}}").unwrap(),
                    _ => target.clone(),
                };
                let mut wrapper = Mapping::new();
                wrapper.insert(keyword.into(), Value::Sequence(vec![target.clone(), other]));
                *target = Value::Mapping(wrapper);
            }
            format!("composed the schema at /{}", path.len())
        }
        5 if !schemas.is_empty() => {
            let path = &schemas[rng.usize(0..schemas.len())];
            let values: Vec<Value> = (0..rng.usize(500..3000))
                .map(|i| Value::from(format!("{}{}", NAMES[i % NAMES.len()], i % 700)))
                .collect();
            let mut huge = Mapping::new();
            huge.insert("type".into(), "string".into());
            huge.insert("enum".into(), Value::Sequence(values));
            *node(doc, path) = Value::Mapping(huge);
            "a huge enum with repeated values".to_owned()
        }
        6 if !schemas.is_empty() => {
            let path = &schemas[rng.usize(0..schemas.len())];
            let mut deep: Value = serde_yaml::from_str("{type: string}").unwrap();
            for level in 0..rng.usize(20..60) {
                let name = NAMES[level % NAMES.len()];
                let mut object: Value = serde_yaml::from_str("{type: object}").unwrap();
                object["properties"] =
                    Value::Mapping(Mapping::from_iter([(Value::from(format!("{name}{level}")), deep)]));
                deep = object;
            }
            *node(doc, path) = deep;
            "absurd nesting".to_owned()
        }
        _ => {
            // A reference cycle: a component refers to itself, directly or through another.
            let Some(Value::Mapping(schemas)) = doc.get_mut("components").and_then(|c| c.get_mut("schemas")) else {
                return "nothing".into();
            };
            let names: Vec<Value> = schemas.keys().cloned().collect();
            if names.is_empty() {
                return "nothing".into();
            }
            let a = names[rng.usize(0..names.len())].clone();
            let b = names[rng.usize(0..names.len())].clone();
            let reference = |to: &Value| {
                serde_yaml::from_str::<Value>(&format!(
                    "{{$ref: '#/components/schemas/{}'}}",
                    to.as_str().unwrap_or("")
                ))
                .unwrap()
            };
            if rng.bool() {
                schemas.insert(a.clone(), reference(&b));
                schemas.insert(b.clone(), reference(&a));
                format!("alias cycle {a:?} <-> {b:?}")
            } else {
                let mut own: Value = serde_yaml::from_str("{type: object, properties: {}}").unwrap();
                own["properties"]["again"] = reference(&a);
                own["properties"]["list"] = serde_yaml::from_str("{type: array}").unwrap();
                own["properties"]["list"]["items"] = reference(&a);
                schemas.insert(a.clone(), own);
                format!("self-reference in {a:?}")
            }
        }
    }
}

enum Outcome {
    Generated(generator::Files),
    Rejected,
}

/// Generates on its own thread, so that a hang is seen (after a generous timeout) rather than
/// waited on forever, and a panic is caught with what caused it.
fn generate(spec: &Path, limit: Duration) -> Result<Outcome, String> {
    let name = spec.file_name().unwrap().to_string_lossy().into_owned();
    let spec = spec.to_owned();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let inputs = Inputs { spec: &spec, overrides: None, spec_label: "fuzz", crate_version: None, examples: None };
        let result = std::panic::catch_unwind(|| generator::generate(inputs));
        let _ = sender.send(result.map_err(|panic| {
            panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        }));
    });
    match receiver.recv_timeout(limit) {
        Err(_) => Err(format!("no answer within {limit:?}: the generator hangs")),
        Ok(Err(panic)) => Err(format!("panicked: {}", panic.unwrap_or_default())),
        Ok(Ok(Ok(files))) => Ok(Outcome::Generated(files)),
        Ok(Ok(Err(error))) => {
            let message = error.to_string();
            match error {
                Error::Emit { .. } | Error::Template { .. } => Err(format!("internal error: {message}")),
                _ if !message.contains(&name) => Err(format!("an error that does not name the file: {message}")),
                _ => Ok(Outcome::Rejected),
            }
        }
    }
}

#[test]
fn mutated_documents_fail_naming_the_place_or_generate_rust() {
    let seconds: u64 = std::env::var("FUZZ_DOCUMENTS_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("FUZZ_DOCUMENTS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261203);
    let mut rng = fastrand::Rng::with_seed(seed);
    let docs = documents();
    let dir = std::env::temp_dir().join(format!("fuzz-documents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let started = Instant::now();
    let (mut cases, mut generated, mut rejected) = (0, 0, 0);
    let mut sample: Option<generator::Files> = None;
    let mut failures = Vec::new();
    // At least a dozen documents, whatever the machine: the first cases of a seed are always the
    // same, so the outcome does not depend on speed.
    while cases < 12 || started.elapsed() < Duration::from_secs(seconds) {
        // The Mailgun spec (the last document) one case in eight: it takes longest.
        let index = if rng.usize(0..8) == 0 { docs.len() - 1 } else { rng.usize(0..docs.len() - 1) };
        let (name, doc) = &docs[index];
        let mut doc = doc.clone();
        let mutations: Vec<String> = (0..rng.usize(1..5)).map(|_| mutate(&mut doc, &mut rng)).collect();
        let path = dir.join(format!("{name}-{cases}.yaml"));
        std::fs::write(&path, serde_yaml::to_string(&doc).unwrap()).unwrap();
        cases += 1;
        match generate(&path, Duration::from_secs(120)) {
            Ok(Outcome::Generated(files)) => {
                generated += 1;
                for (file, text) in &files {
                    if file.ends_with(".rs") {
                        if let Err(e) = syn::parse_file(text) {
                            failures.push(format!("{name} after {mutations:?}: {file} does not parse: {e}"));
                        }
                    }
                }
                sample = Some(files);
            }
            Ok(Outcome::Rejected) => rejected += 1,
            Err(problem) => failures.push(format!("{name} (seed {seed}, case {cases}) after {mutations:?}: {problem}")),
        }
        let _ = std::fs::remove_file(&path);
    }
    println!(
        "fuzz documents: {cases} mutated documents in {seconds} s (seed {seed}): {generated} generated, {rejected} rejected naming the place, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(generated > 0 && rejected > 0, "the mutations should give both outcomes");
    if let Some(files) = sample {
        compile(&dir.join("sample"), &files);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Builds one generated crate (outside the workspace, sharing its build cache).
fn compile(out: &Path, files: &generator::Files) {
    for (path, text) in files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "a mutated document's crate does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
