//! Spec text → `#[doc]` attributes that rustdoc accepts without warnings.
//!
//! Descriptions in API documents are Markdown written for a web page: code fences with no language
//! (which rustdoc would compile as doctests), indented JSON (also a code block to rustdoc), bare
//! URLs, `[placeholders]` (broken intra-doc links) and raw HTML. Each is made inert here.

use proc_macro2::TokenStream;
use quote::quote;

/// One paragraph of a doc comment.
#[derive(Debug, Clone, Copy)]
pub enum Text<'a> {
    /// Text from the spec: sanitised.
    Spec(&'a str),
    /// Text the generator wrote: trusted Markdown (it links to generated items).
    Ours(&'a str),
}

/// A spec paragraph, if there is one.
pub fn spec(text: Option<&str>) -> Option<Text<'_>> {
    text.map(Text::Spec)
}

/// A paragraph the generator wrote.
pub fn ours(text: &str) -> Option<Text<'_>> {
    Some(Text::Ours(text))
}

/// Outer doc attributes (`///`) for the given paragraphs, skipping empty ones.
pub fn outer(paragraphs: &[Option<Text<'_>>]) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`).
pub fn inner(paragraphs: &[Option<Text<'_>>]) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn lines(paragraphs: &[Option<Text<'_>>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().flatten() {
        let text = match paragraph {
            Text::Spec(text) => sanitize(text),
            Text::Ours(text) => (*text).to_owned(),
        };
        if text.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }));
    }
    out
}

/// Spec text (a wire name, a path, a value) shown as inline code inside a sentence the
/// generator writes: one line, fenced with more backticks than it contains.
pub fn code(text: &str) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.trim().is_empty() {
        return format!("`{:?}`", text);
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

/// Makes Markdown from the spec safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    // A bare carriage return (old Mac line ends) is an error in a doc comment.
    let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_indented {
                out.push("```".to_owned());
                in_indented = false;
            }
            // Every opening fence becomes `text`, so rustdoc never compiles it.
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            previous_blank = false;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && (previous_blank || in_indented) && !trimmed.is_empty() {
            if !in_indented {
                out.push("```text".to_owned());
                in_indented = true;
            }
            out.push(line.strip_prefix("    ").or_else(|| line.strip_prefix('\t')).unwrap_or(line).to_owned());
            continue;
        }
        if in_indented && !trimmed.is_empty() {
            out.push("```".to_owned());
            in_indented = false;
        }
        // Text right under a list item would continue it lazily, which Markdown allows but
        // reads ambiguously (clippy's `doc_lazy_continuation`); a blank line ends the list.
        let continues_list =
            out.last().is_some_and(|prev| is_list_item(prev)) && !is_list_item(line) && !line.starts_with(' ');
        if continues_list && !trimmed.is_empty() {
            out.push(String::new());
        }
        previous_blank = trimmed.is_empty();
        out.push(inline(line.trim_end()));
    }
    if in_fence || in_indented {
        out.push("```".to_owned());
    }
    out.join("\n").trim_matches('\n').to_owned()
}

fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    let numbered = line.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") || numbered
}

/// Escapes one line of prose; text between backticks is left alone.
fn inline(line: &str) -> String {
    let mut out = String::new();
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(piece);
        } else {
            out.push_str(&prose(piece));
        }
    }
    // An odd number of backticks leaves an unclosed code span, which rustdoc warns about.
    if line.matches('`').count() % 2 == 1 {
        out = out.replace('`', "\\`");
    }
    out
}

/// Prose outside code spans. A Markdown link to a URL (`[text](https://…)`) is kept; other
/// brackets, which rustdoc would read as intra-doc links, and HTML are escaped.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&escape(&rest[..open]));
        let tail = &rest[open..];
        let link = tail.find("](").and_then(|mid| {
            let label = &tail[1..mid];
            let close = tail[mid..].find(')')? + mid;
            let target = &tail[mid + 2..close];
            let ok = !label.contains(['[', ']']) && target.starts_with("http") && !target.contains(char::is_whitespace);
            ok.then_some(close + 1)
        });
        match link {
            Some(end) => {
                out.push_str(&tail[..end]);
                rest = &tail[end..];
            }
            None => {
                out.push_str("\\[");
                rest = &tail[1..];
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

fn escape(text: &str) -> String {
    wrap_urls(&text.replace('<', "&lt;").replace('>', "&gt;").replace(']', "\\]"))
}

/// Wraps bare `http(s)://` URLs in `<…>` so rustdoc links them instead of warning.
fn wrap_urls(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '&' | '\\'))
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
            end -= 1;
        }
        out.push('<');
        out.push_str(&tail[..end]);
        out.push('>');
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{code, sanitize};

    #[test]
    fn spec_text_in_our_sentences_is_fenced_code() {
        assert_eq!(code("o:tag"), "`o:tag`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("a\rb\nc"), "`a b c`");
        assert_eq!(code(""), "`\"\"`");
    }

    #[test]
    fn bare_carriage_returns_become_line_ends() {
        assert_eq!(sanitize("a\rb\r\nc"), "a\nb\nc");
    }

    #[test]
    fn fences_become_text_so_rustdoc_never_compiles_them() {
        assert_eq!(sanitize("a\n```\nlet x;\n```"), "a\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```text\n{}\n```");
    }

    #[test]
    fn indented_blocks_become_text_fences() {
        assert_eq!(
            sanitize("Example:\n\n    {\"a\": 1}\n    {}\nafter"),
            "Example:\n\n```text\n{\"a\": 1}\n{}\n```\nafter"
        );
    }

    #[test]
    fn text_under_a_list_item_starts_a_new_paragraph() {
        assert_eq!(sanitize("- item\ntext"), "- item\n\ntext");
        assert_eq!(sanitize("- item\n  more\n- next"), "- item\n  more\n- next");
    }

    #[test]
    fn brackets_html_and_urls_are_made_inert() {
        assert_eq!(
            sanitize("see [x] <b>bold</b> https://a.com/x."),
            "see \\[x\\] &lt;b&gt;bold&lt;/b&gt; <https://a.com/x>."
        );
        assert_eq!(sanitize("code `a[0] <b>` stays"), "code `a[0] <b>` stays");
        assert_eq!(sanitize("a [link](https://x.org/a) and [x]"), "a [link](https://x.org/a) and \\[x\\]");
    }
}
