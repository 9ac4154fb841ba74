//! The layering rules, checked on the source (rust-analyzer's tidy pattern): data flows
//! spec → normalised document → IR → tokens → text, and no layer reaches back.

use std::path::PathBuf;

/// The code of a file, without comment lines (the docs may name what the code must not use).
fn code(text: &str) -> String {
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

fn source(rel: &str) -> String {
    code(&std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap())
}

fn files_under(dir: &str) -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| (p.display().to_string(), code(&std::fs::read_to_string(&p).unwrap())))
        .collect();
    out.sort();
    out
}

#[test]
fn emitters_never_read_the_openapi_model() {
    for (path, text) in files_under("src/emit") {
        assert!(!text.contains("openapiv3"), "{path} uses openapiv3; emitters read only the IR");
    }
}

#[test]
fn the_ir_knows_nothing_of_tokens() {
    let ir = source("src/ir.rs");
    for forbidden in ["quote", "proc_macro2", "syn::", "openapiv3"] {
        assert!(!ir.contains(forbidden), "src/ir.rs mentions {forbidden}");
    }
}

#[test]
fn only_the_parse_step_the_pipeline_and_the_normaliser_read_openapiv3() {
    // `parse.rs` reads the document into openapiv3's model; `lib.rs` hands it to `normalise/`.
    for (path, text) in files_under("src") {
        let allowed = path.ends_with("/lib.rs") || path.ends_with("/parse.rs");
        assert!(allowed || !text.contains("openapiv3"), "{path} uses openapiv3");
    }
    for (path, text) in files_under("src/naming") {
        assert!(!text.contains("openapiv3"), "{path} uses openapiv3; naming reads the IR");
    }
    assert!(files_under("src/normalise").iter().any(|(_, text)| text.contains("openapiv3")));
}

/// Names are made in one place: the normaliser leaves every name pending and the emitters only
/// read the names the naming step stored in the IR.
#[test]
fn only_the_naming_step_makes_names() {
    let uses_of_naming = |text: &str| -> Vec<String> {
        text.match_indices("naming::")
            .map(|(at, _)| text[at..].chars().take_while(|c| *c != '(' && *c != ';' && *c != ' ').collect())
            .collect()
    };
    for (path, text) in files_under("src/emit") {
        for used in uses_of_naming(&text) {
            // Splitting a wire name into words (to read a unit from it) makes no name.
            let reading = ["naming::RustName", "naming::words::split"].iter().any(|ok| used.starts_with(ok));
            assert!(reading, "{path} uses `{used}`: emitters only read names");
        }
    }
    for (path, text) in files_under("src/normalise") {
        for used in uses_of_naming(&text) {
            // Splitting a wire name into words (to see that `created_at` names a time) makes
            // no name either.
            let reading = ["naming::RustName", "naming::component_type_name", "naming::words::split"]
                .iter()
                .any(|ok| used.starts_with(ok));
            assert!(reading, "{path} uses `{used}`: the normaliser leaves names to the naming step");
        }
    }
}

#[test]
fn generated_rust_is_never_parsed_from_strings() {
    for (path, text) in files_under("src/emit").into_iter().chain(files_under("src")) {
        for forbidden in ["parse_str", "TokenStream::from_str", "push_str(\"pub "] {
            assert!(!text.contains(forbidden), "{path} builds Rust from a string ({forbidden})");
        }
    }
}

/// The generator knows no API by name: what is Mailgun's (the crate's name, its client's
/// conventions, its webhooks' scheme) comes from `spec/overrides.yaml`.
#[test]
fn the_generator_names_no_api() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src"), root.join("runtime"), root.join("templates")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
            seen += 1;
            assert!(!text.contains("mailgun"), "{} names Mailgun", path.display());
        }
    }
    assert!(seen > 40, "the generator's files were not found ({seen})");
}
