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
    for (path, text) in files_under("src/emit").into_iter().chain(files_under("src/normalise")) {
        let used = uses_of_naming(&text);
        assert!(used.is_empty(), "{path} uses {used:?}: emitters only read names, the normaliser leaves them pending");
    }
    // A `RustName` is made only by the naming step (and read back from a stored IR).
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for (_, path, text) in files_by_module() {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        if rel.starts_with("naming") || rel == "rust_name.rs" {
            continue;
        }
        let text = code(&text);
        for maker in ["from_override", "rust_name::sanitize", ".numbered("] {
            assert!(!text.contains(maker), "{rel} makes a name with `{maker}`: names are made by the naming step");
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
    // The generator's own manifest too: its description is what crates.io and `cargo doc` show.
    let files: Vec<PathBuf> = ["src", "runtime", "templates"]
        .iter()
        .flat_map(|dir| files_within(&root.join(dir)))
        .chain([root.join("Cargo.toml")])
        .collect();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap().to_lowercase();
        assert!(!text.contains("mailgun"), "{} names Mailgun", path.display());
    }
    assert!(files.len() > 40, "the generator's files were not found ({})", files.len());
}

/// Every file under a folder, at any depth, sorted.
fn files_within(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The modules of `generator/src` in pipeline order: a module may use only modules of a lower
/// rank, so the graph has no cycle and no step reaches back to a later one. Text utilities and
/// the error type are below everything; the IR (data) is below every step that reads or writes
/// it. A new module must be given its place here.
const LAYERS: &[(&str, usize)] = &[
    ("error", 0),
    ("rust_name", 0),
    ("words", 0),
    ("ir", 1),
    ("report", 2),
    ("load", 3),
    ("overrides", 4),
    ("refs", 5),
    ("downlevel", 6),
    ("parse", 7),
    ("normalise", 8),
    ("naming", 9),
    ("emit", 10),
    ("render", 11),
    ("diff", 12),
    // What the crate root re-exports, by the module that owns it.
    ("Error", 0),
    ("Location", 0),
    ("Files", 11),
];

/// The modules a file's code uses: every `crate::<module>` path, in `use` items and in code,
/// read from the token stream (so comments and strings do not count). The Rust that emitters
/// quote (`quote! { crate::types::X }`) is the generated crate's, not ours, and unit tests may
/// borrow any module's helpers, so neither counts.
fn modules_used(text: &str) -> std::collections::BTreeSet<String> {
    use proc_macro2::{TokenStream, TokenTree};
    fn walk(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let ident = |i: usize| match tokens.get(i) {
            Some(TokenTree::Ident(ident)) => Some(ident.to_string()),
            _ => None,
        };
        let punct = |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
        let mut i = 0;
        while i < tokens.len() {
            let quoting = ident(i)
                .is_some_and(|m| ["quote", "quote_spanned", "format_ident", "parse_quote"].contains(&m.as_str()))
                && punct(i + 1, '!');
            let unit_tests = ident(i).as_deref() == Some("mod") && ident(i + 1).as_deref() == Some("tests");
            if quoting || unit_tests {
                i += 3;
                continue;
            }
            if ident(i).as_deref() == Some("crate") && punct(i + 1, ':') && punct(i + 2, ':') {
                match tokens.get(i + 3) {
                    Some(TokenTree::Ident(module)) => {
                        out.insert(module.to_string());
                    }
                    // `use crate::{ir::Api, naming::RustName}`: the first name of each path.
                    Some(TokenTree::Group(group)) => {
                        let mut first = true;
                        for token in group.stream() {
                            match &token {
                                TokenTree::Ident(module) if first => {
                                    out.insert(module.to_string());
                                    first = false;
                                }
                                TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let TokenTree::Group(group) = &tokens[i] {
                walk(group.stream(), out);
            }
            i += 1;
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(text.parse().expect("the generator's source tokenizes"), &mut out);
    out
}

/// Every file of `generator/src` but the crate root (which runs the steps in order), with the
/// top-level module it belongs to.
fn files_by_module() -> Vec<(String, PathBuf, String)> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for path in files_within(&src) {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_owned();
        if module != "lib" {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((module, path, text));
        }
    }
    out
}

#[test]
fn each_module_uses_only_earlier_layers() {
    let rank = |module: &str| LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r);
    let mut edges = 0;
    for (module, path, text) in files_by_module() {
        let own = rank(&module).unwrap_or_else(|| panic!("module `{module}` has no place in tidy.rs's LAYERS"));
        for used in modules_used(&text) {
            if used == module {
                continue;
            }
            let theirs = rank(&used)
                .unwrap_or_else(|| panic!("{} uses `crate::{used}`, which LAYERS does not place", path.display()));
            assert!(
                theirs < own,
                "{} (`{module}`, layer {own}) uses `crate::{used}` (layer {theirs}): a step may use only earlier ones",
                path.display()
            );
            let reading = ["load", "overrides", "refs", "downlevel", "parse", "normalise", "naming"];
            assert!(
                !(["emit", "render"].contains(&module.as_str()) && reading.contains(&used.as_str())),
                "{} (`{module}`) uses `crate::{used}`: emitters read only the IR",
                path.display()
            );
            edges += 1;
        }
    }
    assert!(edges > 30, "the uses between modules were not found ({edges})");
}

#[test]
fn the_layering_check_sees_uses_and_skips_quoted_rust() {
    let text = "use crate::{ir::Api, naming::{self, RustName}};\nfn f() { crate::emit::x(); quote!(crate::types::T); }\n#[cfg(test)] mod tests { use crate::diff::y; }";
    let used: Vec<String> = modules_used(text).into_iter().collect();
    assert_eq!(used, ["emit", "ir", "naming"]);
}

/// The runtime crate (`generator/runtime`) is what every generated crate carries: each of its
/// files but `lib.rs` is copied, its `lib.rs` declares them all and exports what a generated
/// crate's root exports from them, and nothing else.
#[test]
fn the_runtime_crate_is_what_generated_crates_copy() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let mut files: Vec<String> = files_within(&dir)
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|path| path != "lib.rs")
        .collect();
    files.sort();
    let copied: Vec<&str> = generator::render::RUNTIME.iter().map(|(path, _)| *path).collect();
    assert_eq!(copied, files, "render::RUNTIME lists every runtime file but lib.rs");
    let lib = std::fs::read_to_string(dir.join("lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod ")))
        .map(|rest| rest.trim_end_matches(';'))
        .collect();
    let expected: Vec<&str> = copied.iter().map(|path| path.trim_end_matches(".rs")).collect();
    assert_eq!(modules, expected, "the runtime's lib.rs declares each runtime file");
    let exports: Vec<String> = lib.lines().filter(|line| line.starts_with("pub use ")).map(str::to_owned).collect();
    let expected: Vec<String> = generator::ir::ROOT_EXPORTS
        .iter()
        .chain(generator::ir::WEBHOOK_EXPORTS)
        .filter(|(module, _)| expected.contains(module))
        .map(|(module, names)| match names {
            [name] => format!("pub use {module}::{name};"),
            _ => format!("pub use {module}::{{{}}};", names.join(", ")),
        })
        .collect();
    assert_eq!(exports, expected, "the runtime's lib.rs exports what a generated root exports from it");
}

/// The runtime crate compiles with the dependencies and runtime features a generated crate
/// has (the shipped one, which has webhooks): the same lines of `Cargo.toml`.
#[test]
fn the_runtime_crate_has_the_generated_crates_dependencies() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let runtime = std::fs::read_to_string(root.join("runtime/Cargo.toml")).unwrap();
    let generated = std::fs::read_to_string(root.join("../generated/Cargo.toml")).unwrap();
    let section = |text: &str, name: &str| -> Vec<String> {
        let start = text.find(&format!("\n[{name}]\n")).unwrap_or_else(|| panic!("no [{name}]"));
        let rest = &text[start + name.len() + 4..];
        let end = rest.find("\n[").unwrap_or(rest.len());
        rest[..end].lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
    };
    assert_eq!(section(&runtime, "dependencies"), section(&generated, "dependencies"));
    let features = section(&runtime, "features");
    let generated_features = section(&generated, "features");
    for feature in features.iter().filter(|line| !line.starts_with("default ")) {
        assert!(generated_features.contains(feature), "the generated crate lacks `{feature}`");
    }
    let runtime_features = [
        generator::ir::WEBHOOKS_FEATURE,
        generator::ir::SERIALIZE_ANSWERS,
        generator::ir::MIDDLEWARE,
        generator::ir::MOCK,
    ];
    for name in runtime_features {
        assert!(features.iter().any(|line| line.starts_with(&format!("{name} = "))), "the runtime lacks `{name}`");
    }
}
