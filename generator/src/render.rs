//! Token streams → formatted files, plus the files that are not emitted: the runtime (copied
//! verbatim) and the non-Rust files (askama templates).

use crate::emit::{Job, RustFiles};
use crate::ir::Api;
use crate::Error;
use askama::Template;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The generated files: path relative to the output directory → contents.
pub type Files = BTreeMap<String, String>;

/// The marker that makes a file "managed": codegen may overwrite or delete it.
pub const MARKER: &str = "@generated";

/// The runtime: Rust that does not vary with the spec, kept as ordinary reviewed files.
/// `webhook.rs` is copied only into a crate whose inputs describe the API's webhooks.
pub const RUNTIME: &[(&str, &str)] = &[
    ("client.rs", include_str!("../runtime/client.rs")),
    ("drift.rs", include_str!("../runtime/drift.rs")),
    ("error.rs", include_str!("../runtime/error.rs")),
    ("http.rs", include_str!("../runtime/http.rs")),
    ("mock_server.rs", include_str!("../runtime/mock_server.rs")),
    ("paging.rs", include_str!("../runtime/paging.rs")),
    ("retry.rs", include_str!("../runtime/retry.rs")),
    ("timestamp.rs", include_str!("../runtime/timestamp.rs")),
    ("tolerant.rs", include_str!("../runtime/tolerant.rs")),
    ("unknown.rs", include_str!("../runtime/unknown.rs")),
    ("webhook.rs", include_str!("../runtime/webhook.rs")),
    ("wire.rs", include_str!("../runtime/wire.rs")),
];

/// Formats every file and adds the rest of the crate.
pub fn render(api: &Api, files: RustFiles, spec_label: &str) -> Result<Files, Error> {
    let mut formatted = Files::new();
    for (path, tokens) in files {
        let text = format_rust(&path, tokens)?;
        formatted.insert(path, text);
    }
    finish(api, formatted, spec_label, &Examples::default())
}

/// Emits and formats every Rust file, files spread over the machine's cores, then adds the rest
/// of the crate: the same files as [`render`] of [`emit`](crate::emit::emit), sooner. Each
/// thread emits the files it formats, since token streams cannot move between threads.
pub fn emit_and_render(api: &Api, spec_label: &str) -> Result<Files, Error> {
    emit_and_render_cached(api, spec_label, &Examples::default(), None)
}

/// Formatted Rust files of an earlier run, by path under `src/`: each with the SHA-256 of the
/// tokens it was formatted from. Formatting is most of the time a run takes (`cargo xtask
/// bench`); a file whose tokens are the same formats the same, so a run that is given the cache
/// of the last one formats only the files whose tokens changed.
///
/// The caller keeps it between runs (xtask: in `target/`), and must drop it when the formatter
/// may have changed (another build of the generator).
#[derive(Debug, Default, Clone)]
pub struct FormatCache {
    files: BTreeMap<String, Formatted>,
    /// Whether it is the cache the run was given: every file came from it, and it held no
    /// other (so that it need not be written again).
    unchanged: bool,
}

impl PartialEq for FormatCache {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files
    }
}

/// A file's formatted text, and whether it came from the cache given.
type Reused = (Formatted, bool);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Formatted {
    tokens_sha256: String,
    /// Shared with the files of the run that formatted it: the crate's text once, not twice.
    text: std::sync::Arc<str>,
}

impl FormatCache {
    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether the run that made it formatted nothing, and so gave back the cache it was given.
    pub fn unchanged(&self) -> bool {
        self.unchanged
    }

    /// Writes it as, for each file, three lines (its path, its tokens' hash, its text's length
    /// in bytes) and then its text. Read back with [`FormatCache::read_from`].
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for (path, file) in &self.files {
            writeln!(out, "{path}\n{}\n{}", file.tokens_sha256, file.text.len())?;
            out.write_all(file.text.as_bytes())?;
        }
        Ok(())
    }

    /// Reads what [`FormatCache::write_to`] wrote, one file at a time: the whole is never held
    /// twice (GitHub's crate is 27 MB of text), and no text is unescaped.
    pub fn read_from(input: &mut impl std::io::BufRead) -> std::io::Result<FormatCache> {
        use std::io::Read;
        let invalid =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("format cache: {what}"));
        let line = |input: &mut dyn std::io::BufRead| -> std::io::Result<Option<String>> {
            let mut line = String::new();
            match input.read_line(&mut line)? {
                0 => Ok(None),
                _ => line.strip_suffix('\n').map(|l| Some(l.to_owned())).ok_or_else(|| invalid("a line cut short")),
            }
        };
        let mut files = BTreeMap::new();
        while let Some(path) = line(input)? {
            let (Some(tokens_sha256), Some(len)) = (line(input)?, line(input)?) else {
                return Err(invalid("an entry cut short"));
            };
            let len: u64 = len.parse().map_err(|_| invalid("a length that is not a number"))?;
            // Read up to the length rather than allocated for it: a damaged length is an error,
            // not an allocation of whatever it says.
            let mut text = Vec::new();
            (&mut *input).take(len).read_to_end(&mut text)?;
            if text.len() as u64 != len {
                return Err(invalid("a text cut short"));
            }
            let text = String::from_utf8(text).map_err(|_| invalid("a text that is not UTF-8"))?;
            files.insert(path, Formatted { tokens_sha256, text: text.into() });
        }
        Ok(FormatCache { files, unchanged: false })
    }
}

/// The SHA-256 (hex) of a token stream's text, hashed as it is written: a large file's text
/// is never held.
fn tokens_sha256(tokens: &proc_macro2::TokenStream) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    struct Hashing(Sha256);
    impl Write for Hashing {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.update(text.as_bytes());
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    write!(hashing, "{tokens}").expect("hashing cannot fail");
    hashing.0.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// How a run uses the format cache: the last run's, and where this run's goes.
pub struct Caching<'a> {
    /// The cache of the last run (empty when there was none).
    pub last: FormatCache,
    /// Given this run's cache, to keep for the next, before the files are put together.
    pub keep: &'a mut dyn FnMut(&FormatCache),
}

/// [`emit_and_render`], formatting only the files whose tokens differ from those the cache
/// given was made from; this run's cache is given to `keep` before the files are put together.
/// Without a cache, none is made.
///
/// A file's text is moved from the cache given to this run's, shared with the formatted files,
/// and this run's cache is dropped once kept: GitHub's crate is 28 MB of text, each copy of it
/// counts.
pub fn emit_and_render_cached(
    api: &Api,
    spec_label: &str,
    examples: &Examples,
    caching: Option<Caching<'_>>,
) -> Result<Files, Error> {
    let (cache, keep) = match caching {
        Some(Caching { last, keep }) => (Some(last), Some(keep)),
        None => (None, None),
    };
    let jobs: Vec<(String, Job<'_>)> = crate::emit::jobs(api)?.into_iter().collect();
    let keeping = cache.is_some();
    let mut given = cache.unwrap_or_default().files;
    let given_len = given.len();
    // Each job's entry of the cache given, taken by the thread that formats the job.
    let kept: Vec<std::sync::Mutex<Option<Formatted>>> =
        jobs.iter().map(|(path, _)| std::sync::Mutex::new(given.remove(path))).collect();
    drop(given);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, job)) = jobs.get(index) else { return done };
            let tokens = crate::emit::emit_file(api, job);
            // Without a cache, nothing to hash (nor anything kept to compare with).
            let tokens_sha256 = if keeping { tokens_sha256(&tokens) } else { String::new() };
            let kept = kept[index].lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
            let text = match kept {
                Some(kept) if kept.tokens_sha256 == tokens_sha256 => Ok((kept.text, true)),
                _ => format_rust(path, tokens).map(|text| (text.into(), false)),
            };
            done.push((index, text.map(|(text, hit)| (Formatted { tokens_sha256, text }, hit))));
        }
    };
    // This thread works too: the allocator gives each thread its own pages, and this one holds
    // those the document and its model freed (GitHub's: about 25 MB less at the peak).
    let mut done: Vec<(usize, Result<Reused, Error>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for worker in workers {
            done.extend(worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    // In path order, so that of several failures the same one is reported every time.
    done.sort_by_key(|(index, _)| *index);
    let mut formatted = BTreeMap::new();
    let mut next_cache = FormatCache { files: BTreeMap::new(), unchanged: given_len == jobs.len() };
    for (index, file) in done {
        let (file, hit) = file?;
        next_cache.unchanged &= hit;
        let path = jobs[index].0.clone();
        match keeping {
            true => {
                formatted.insert(path.clone(), file.text.clone());
                next_cache.files.insert(path, file);
            }
            false => {
                formatted.insert(path, file.text);
            }
        }
    }
    if let Some(keep) = keep {
        keep(&next_cache);
    }
    drop(next_cache);
    finish(api, formatted, spec_label, examples)
}

/// Hand-written examples of the crate (`examples/*.rs`), and the guide that replaces the
/// README's quick start.
#[derive(Debug, Default)]
pub struct Examples {
    /// File name → header and text, in name order.
    files: BTreeMap<String, String>,
    /// `[[example]]` entries of the manifest: examples that need features.
    entries: Vec<ExampleEntry>,
    guide: Option<String>,
}

#[derive(Debug)]
struct ExampleEntry {
    name: String,
    /// The features, each as a TOML string.
    features: Vec<String>,
    /// Whether `cargo test` runs its tests (it has `#[cfg(test…)]` code).
    test: bool,
}

impl Examples {
    /// Reads the `.rs` files and `guide.md` of a folder; `label` names it in headers.
    pub fn read(dir: &std::path::Path, label: &str) -> Result<Examples, Error> {
        let read = |path: &std::path::Path| {
            std::fs::read_to_string(path).map_err(|source| Error::Read { file: path.to_owned(), source })
        };
        let listing = std::fs::read_dir(dir).map_err(|source| Error::Read { file: dir.to_owned(), source })?;
        let mut paths = Vec::new();
        for entry in listing {
            let path = entry.map_err(|source| Error::Read { file: dir.to_owned(), source })?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut examples = Examples::default();
        let guide = dir.join("guide.md");
        if guide.exists() {
            examples.guide = Some(read(&guide)?);
        }
        for path in paths {
            let text = read(&path)?;
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if let Some(features) = required_features(&text) {
                examples.entries.push(ExampleEntry {
                    name: name.trim_end_matches(".rs").to_owned(),
                    features: features.iter().map(|f| toml_string(f)).collect(),
                    test: text.contains("#[cfg(all(test") || text.contains("#[cfg(test"),
                });
            }
            let header =
                format!("// {MARKER} by `cargo xtask codegen`: a copy of {label}/{name}. Do not edit here.\n\n");
            examples.files.insert(name, format!("{header}{text}"));
        }
        Ok(examples)
    }
}

/// The cargo features an example needs, from its `// required-features: a, b` line: cargo then
/// skips it (rather than failing to build it) when they are off.
fn required_features(text: &str) -> Option<Vec<&str>> {
    let line = text.lines().find_map(|line| line.strip_prefix("// required-features:"))?;
    Some(line.split(',').map(str::trim).filter(|f| !f.is_empty()).collect())
}

/// The formatted Rust files (path under `src/` → text), with their header, and the rest of the
/// crate: the runtime, `Cargo.toml`, `README.md` and the examples.
fn finish<T: AsRef<str>>(
    api: &Api,
    formatted: BTreeMap<String, T>,
    spec_label: &str,
    examples: &Examples,
) -> Result<Files, Error> {
    let header = format!("// {MARKER} by `cargo xtask codegen` from {spec_label}. Do not edit.\n");
    let mut out = Files::new();
    for (path, text) in formatted {
        out.insert(format!("src/{path}"), format!("{header}\n{}", text.as_ref()));
    }
    let webhooks = api.has_webhooks();
    for (path, text) in RUNTIME.iter().filter(|(path, _)| webhooks || *path != "webhook.rs") {
        let runtime_header =
            format!("// {MARKER} by `cargo xtask codegen`: a copy of generator/runtime/{path}. Do not edit here.\n\n");
        out.insert(format!("src/{path}"), format!("{runtime_header}{text}"));
    }
    let mut features: Vec<&str> = api.tags.values().map(|tag| tag.feature.as_str()).collect();
    features.sort();
    let identity = &api.identity;
    let showcase = identity.showcase.as_ref().map(|id| &api.operations[id]);
    let showcase_feature = showcase.map_or(crate::ir::FULL_FEATURE, |op| api.tags[&op.tag].feature.as_str());
    let cargo = CargoToml {
        marker: MARKER,
        crate_name: identity.crate_name.as_str(),
        description: toml_string(&format!(
            "A client for the {} (version {}), generated from its OpenAPI document.",
            identity.api_name, api.version
        )),
        webhooks,
        showcase_feature,
        spec_label,
        crate_version: &api.release.crate_version,
        features,
        serialize_answers: crate::ir::SERIALIZE_ANSWERS,
        middleware: crate::ir::MIDDLEWARE,
        mock: crate::ir::MOCK,
        examples: &examples.entries,
    };
    out.insert("Cargo.toml".to_owned(), render_template("Cargo.toml", &cargo)?);
    let mut tags: Vec<TagRow> = api
        .tags
        .iter()
        .map(|(key, tag)| TagRow {
            module: tag.module.to_string(),
            // A table cell of the crate docs: Markdown made inert, and no `|` to end the cell.
            name: crate::emit::docs::sanitize(tag.display_name.as_deref().unwrap_or(&key.0))
                .replace('|', "\\|")
                .replace('\n', " "),
            calls: api.tag_operations(key).len(),
            feature: tag.feature.clone(),
        })
        .collect();
    tags.sort_by(|a, b| a.module.cmp(&b.module));
    let readme = Readme {
        marker: MARKER,
        crate_name: identity.crate_name.as_str(),
        api_name: &identity.api_name,
        webhooks,
        on_behalf_of: api.conventions.on_behalf_of.as_deref(),
        credentials: Credentials::of(&api.auth),
        time_format: api.time_format.describe(),
        region_hint: !api.conventions.wrong_region.is_empty(),
        showcase_builder: showcase.map_or_else(|| "Builder".to_owned(), |op| op.builder.to_string()),
        showcase_module: showcase.map_or_else(String::new, |op| api.tags[&op.tag].module.to_string()),
        showcase_feature,
        serialize_answers: crate::ir::SERIALIZE_ANSWERS,
        mock: crate::ir::MOCK,
        spec_label,
        api_version: &api.version,
        crate_version: &api.release.crate_version,
        sha256_short: api.release.spec_sha256.get(..12).unwrap_or(&api.release.spec_sha256),
        tags,
        guide: examples.guide.as_deref(),
    };
    out.insert("README.md".to_owned(), render_template("README.md", &readme)?);
    for (name, text) in &examples.files {
        out.insert(format!("examples/{name}"), text.clone());
    }
    Ok(out)
}

/// Parses tokens as a Rust file and prints it with prettyplease. Top-level items are printed
/// one at a time and joined with a blank line, since token streams carry no blank lines.
pub fn format_rust(path: &str, tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error::Emit { file: path.to_owned(), message: e.to_string() })?;
    let mut pieces = Vec::new();
    if !file.attrs.is_empty() {
        let attrs = syn::File { shebang: None, frontmatter: None, attrs: file.attrs.clone(), items: Vec::new() };
        pieces.push(prettyplease::unparse(&attrs));
    }
    let mut previous: Option<syn::Item> = None;
    for item in file.items {
        // Moved in and out rather than cloned: cloning every item was a tenth of the render.
        let single = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: vec![item] };
        let mut text = prettyplease::unparse(&single);
        let Some(item) = single.items.into_iter().next() else { continue };
        if matches!(item, syn::Item::Impl(_)) {
            text = spaced_impl_items(&text);
        }
        match (&previous, pieces.last_mut()) {
            (Some(prev), Some(last)) if tight(prev, &item) => last.push_str(&text),
            _ => pieces.push(text),
        }
        previous = Some(item);
    }
    Ok(pieces.join("\n"))
}

/// An `impl` block as prettyplease prints it, with a blank line between its items (as rustfmt
/// keeps them in hand-written code): where a line at the block's indentation ends an item
/// (`}` or `;`) and the next begins one (docs, an attribute, `fn`, `const`, `type`, `pub`).
fn spaced_impl_items(text: &str) -> String {
    const INDENT: &str = "    ";
    let at_block_level = |line: &str| line.starts_with(INDENT) && !line[INDENT.len()..].starts_with(' ');
    let starts = ["///", "#[", "pub", "fn ", "const ", "type ", "async ", "unsafe "];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous_ended_an_item = false;
    for line in text.lines() {
        let block_level = at_block_level(line);
        let starts_item = block_level && starts.iter().any(|s| line[INDENT.len()..].starts_with(s));
        if previous_ended_an_item && starts_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        let comment = line[INDENT.len().min(line.len())..].starts_with("//");
        previous_ended_an_item = block_level && !comment && (line.ends_with('}') || line.ends_with(';'));
    }
    out
}

/// Items printed without a blank line between them: runs of `use`s, runs of plain `mod x;`
/// declarations, and a `mod x;` followed by its own re-export (`pub use x::X;`).
fn tight(prev: &syn::Item, next: &syn::Item) -> bool {
    // A `mod x;` with at most a `#[cfg]`, which its re-export repeats.
    let plain_mod = |item: &syn::Item| match item {
        syn::Item::Mod(m) if m.content.is_none() && m.attrs.iter().all(|a| a.path().is_ident("cfg")) => {
            Some(m.ident.clone())
        }
        _ => None,
    };
    match (prev, next) {
        (syn::Item::Use(_), syn::Item::Use(_)) => true,
        (syn::Item::Mod(_), syn::Item::Mod(_)) => plain_mod(prev).is_some() && plain_mod(next).is_some(),
        (syn::Item::Mod(_), syn::Item::Use(used)) => match (&plain_mod(prev), &used.tree) {
            (Some(module), syn::UseTree::Path(path)) => path.ident == *module,
            _ => false,
        },
        _ => false,
    }
}

/// Text as a TOML basic string: JSON's escapes are TOML's.
fn toml_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

fn render_template(file: &str, template: &impl Template) -> Result<String, Error> {
    template.render().map_err(|e| Error::Template { file: file.to_owned(), message: e.to_string() })
}

#[derive(Template)]
#[template(path = "crate_cargo.toml", escape = "none")]
struct CargoToml<'a> {
    marker: &'a str,
    crate_name: &'a str,
    /// The crate's description, as a TOML string.
    description: String,
    /// Whether the crate verifies webhooks (its `webhooks` feature).
    webhooks: bool,
    /// The feature of the call the README shows, for the comment on smaller builds.
    showcase_feature: &'a str,
    spec_label: &'a str,
    crate_version: &'a str,
    /// The tags' features, sorted; `webhooks` may be among them.
    features: Vec<&'a str>,
    serialize_answers: &'a str,
    middleware: &'a str,
    mock: &'a str,
    /// The `[[example]]` entries.
    examples: &'a [ExampleEntry],
}

struct TagRow {
    module: String,
    name: String,
    calls: usize,
    feature: String,
}

/// The quick start's `Client::builder` arguments, read from the environment, and what they are.
struct Credentials {
    arguments: String,
    said: String,
}

impl Credentials {
    fn of(auth: &crate::ir::Auth) -> Credentials {
        let arguments = auth.arguments();
        let read: Vec<String> = arguments.iter().map(|a| format!("std::env::var(\"{}\")?", a.variable)).collect();
        let said = match arguments {
            [] => "The API document names no credentials (`ClientBuilder::default_header` sends a header on every \
                   call)"
                .to_owned(),
            [one] => format!("The {} from the environment", one.what),
            [first, second] => format!("The {} and {} from the environment", first.what, second.what),
            _ => unreachable!("constructors take at most two credentials"),
        };
        Credentials { arguments: read.join(", "), said }
    }
}

#[derive(Template)]
#[template(path = "crate_readme.md", escape = "none")]
struct Readme<'a> {
    marker: &'a str,
    crate_name: &'a str,
    api_name: &'a str,
    webhooks: bool,
    /// The header of `on_behalf_of`, when the API has one.
    on_behalf_of: Option<&'a str>,
    /// What the quick start's `Client::builder` is given.
    credentials: Credentials,
    /// The form time values are written in, in words.
    time_format: &'static str,
    /// Whether an error answer may say the call went to another region.
    region_hint: bool,
    /// The call the test double's example scripts: its builder (a placeholder without one),
    /// module (empty without one) and feature.
    showcase_builder: String,
    showcase_module: String,
    showcase_feature: &'a str,
    serialize_answers: &'a str,
    mock: &'a str,
    spec_label: &'a str,
    api_version: &'a str,
    crate_version: &'a str,
    sha256_short: &'a str,
    tags: Vec<TagRow>,
    /// The hand-written guide that replaces the generated quick start (it calls the shipped
    /// spec's operations, which another document may not have).
    guide: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::{format_rust, FormatCache, Formatted};
    use quote::quote;
    use std::collections::BTreeMap;

    #[test]
    fn the_format_cache_reads_back_what_it_wrote_and_refuses_a_cut_file() {
        let formatted = |sha: &str, text: &str| Formatted { tokens_sha256: sha.to_owned(), text: text.into() };
        let files = BTreeMap::from([
            ("a.rs".to_owned(), formatted("01", "fn a() {}\n// ünïcode, \"quotes\", \\\n")),
            ("types/mod.rs".to_owned(), formatted("02", "")),
            ("z.rs".to_owned(), formatted("03", "no newline at the end")),
        ]);
        let cache = FormatCache { files, unchanged: true };
        let mut bytes = Vec::new();
        cache.write_to(&mut bytes).unwrap();
        let read = FormatCache::read_from(&mut bytes.as_slice()).unwrap();
        assert_eq!(read, cache);
        assert!(!read.unchanged(), "a cache read is the last run's, not this one's");
        for cut in [1, bytes.len() / 2, bytes.len() - 1] {
            assert!(FormatCache::read_from(&mut &bytes[..cut]).is_err(), "a cache cut at byte {cut} was read");
        }
        assert!(FormatCache::read_from(&mut &b""[..]).unwrap().is_empty());
        let damaged = b"a.rs\n01\n18446744073709551615\nfn a() {}\n";
        assert!(FormatCache::read_from(&mut &damaged[..]).is_err(), "a damaged length was believed");
    }

    #[test]
    fn items_are_spaced_except_modules_with_their_re_exports_and_use_runs() {
        let tokens = quote! {
            //! Docs.
            mod a;
            pub use a::A;
            mod b;
            pub use b::B;
            pub use other::C;
            pub use other::D;
            fn f() {}
            struct S;
        };
        let text = format_rust("x.rs", tokens).unwrap();
        assert_eq!(
            text,
            "//! Docs.\n\nmod a;\npub use a::A;\n\nmod b;\npub use b::B;\npub use other::C;\npub use other::D;\n\nfn f() {}\n\nstruct S;\n"
        );
    }

    #[test]
    fn the_items_of_an_impl_block_are_spaced() {
        let tokens = quote! {
            impl S {
                /// One; { } ;
                fn a(&self) -> u8 {
                    match self.0 { 0 => { 1 } _ => { 2 } }
                }
                const C: u8 = 1;
                fn b() {}
                fn c() {}
            }
        };
        let text = format_rust("x.rs", tokens).unwrap();
        assert_eq!(
            text,
            "impl S {\n    /// One; { } ;\n    fn a(&self) -> u8 {\n        match self.0 {\n            0 => 1,\n            _ => 2,\n        }\n    }\n\n    const C: u8 = 1;\n\n    fn b() {}\n\n    fn c() {}\n}\n"
        );
    }

    #[test]
    fn tokens_that_are_not_rust_are_an_error_naming_the_file() {
        let error = format_rust("types/x.rs", quote!(pub struct)).unwrap_err();
        assert!(error.to_string().contains("types/x.rs"), "{error}");
    }
}
