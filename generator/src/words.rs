//! Reading the names an API document gives: splitting them into words, putting words back
//! together in Rust's cases, and a component's package path. Text in, text out: the
//! normaliser reads wire names with it, the naming step makes names with it.
//!
//! heck splits an acronym's plural in two (`IPs` → `i_ps`, `WebhookURLs` → `WebhookUrLs`);
//! API documents' names are full of them, so the splitter is our own: a run of capitals followed by
//! a lone `s` is one word (`IPs`, `URLs`, `DIPPs`).

/// Lower-case words of `text`. Words break at any character that is not a letter or digit, at
/// a lower-case letter or digit followed by a capital (`fooBar`, `rfc822Time`), and before the
/// last capital of an acronym followed by lower case (`HTTPServer` → `http`, `server`). Digits
/// stay with the word before them (`v3`, `rfc822`).
pub fn split(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            flush(&mut words, &mut current);
            i += 1;
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]).filter(char::is_ascii_alphanumeric);
        let next = chars.get(i + 1).copied();
        if c.is_ascii_uppercase() {
            let after_lower = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            let acronym_end =
                prev.is_some_and(|p| p.is_ascii_uppercase()) && next.is_some_and(|n| n.is_ascii_lowercase());
            if after_lower || (acronym_end && !plural_acronym(&chars, i)) {
                flush(&mut words, &mut current);
            }
        }
        current.push(c.to_ascii_lowercase());
        i += 1;
    }
    flush(&mut words, &mut current);
    words
}

/// Whether the capital at `i` ends a run of capitals that takes a plural `s` (`IPs`, `URLs`):
/// the run is followed by exactly one `s` and then a capital, a non-letter or the end.
fn plural_acronym(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'s') && chars.get(i + 2).is_none_or(|c| !c.is_ascii_lowercase())
}

fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

/// `UpperCamelCase` of words.
pub fn pascal(words: &[String]) -> String {
    words.iter().map(|w| capitalize(w)).collect()
}

/// `snake_case` of words.
pub fn snake(words: &[String]) -> String {
    words.join("_")
}

/// The word with its first letter in upper case.
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A naive singular, good enough for REST collection names (`routes`, `ip_pools`,
/// `addresses`, `policies`, `matches`).
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| !s.is_empty()) {
        format!("{stem}y")
    } else if ["sses", "ches", "shes", "xes"].iter().any(|ending| word.ends_with(ending)) {
        word[..word.len() - 2].to_owned()
    } else if !looks_plural(word) {
        word.to_owned()
    } else {
        word[..word.len() - 1].to_owned()
    }
}

/// Whether a word reads as a plural noun.
pub fn looks_plural(word: &str) -> bool {
    word.len() > 2
        && word.ends_with('s')
        && !["ss", "us", "is", "stats", "analytics", "news", "status", "settings_access"]
            .iter()
            .any(|ending| word.ends_with(ending))
}

/// The type name a component's own name gives: the last segment of a package path, or the
/// whole name.
pub(crate) fn component_type_name(component: &str) -> &str {
    package_path(component).map(|(_, name)| name).unwrap_or(component)
}

/// Splits a package-path component name into its package segments and its type name:
/// `github.com-example-domains-Domain` (Go, `-`-separated after a dotted host) or
/// `com.example.model.Pet` (dotted). A prefix before the host (`Inbox_Placement_Testing_`)
/// counts as a segment.
pub(crate) fn package_path(component: &str) -> Option<(Vec<&str>, &str)> {
    let dashed: Vec<&str> = component.split('-').collect();
    if dashed.len() >= 3 && dashed[..dashed.len() - 1].iter().any(|s| s.contains('.')) {
        let (type_name, packages) = dashed.split_last()?;
        return (!type_name.is_empty()).then(|| (packages.to_vec(), *type_name));
    }
    let dotted: Vec<&str> = component.split('.').collect();
    let (type_name, packages) = dotted.split_last()?;
    let identifier = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (dotted.len() >= 2 && identifier(type_name) && packages.iter().all(|s| identifier(s)))
        .then(|| (packages.to_vec(), *type_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        split(text)
    }

    #[test]
    fn splits_on_case_separators_and_acronyms() {
        assert_eq!(words("fooBar-baz_qux.x"), ["foo", "bar", "baz", "qux", "x"]);
        assert_eq!(words("HTTPServer"), ["http", "server"]);
        assert_eq!(words("GenericAPIError"), ["generic", "api", "error"]);
        assert_eq!(words("RFC822Time"), ["rfc822", "time"]);
        assert_eq!(words("v3"), ["v3"]);
        assert_eq!(words("o:tag"), ["o", "tag"]);
        assert_eq!(words("@timestamp"), ["timestamp"]);
    }

    #[test]
    fn acronym_plurals_stay_whole() {
        assert_eq!(words("WebhookURLs"), ["webhook", "urls"]);
        assert_eq!(words("addMultipleIPsRequestBody"), ["add", "multiple", "ips", "request", "body"]);
        assert_eq!(words("ListSubaccountDIPPsResponse"), ["list", "subaccount", "dipps", "response"]);
        assert_eq!(words("IPs"), ["ips"]);
        // A capital run followed by a real word is still split before its last capital.
        assert_eq!(words("IPSet"), ["ip", "set"]);
    }

    #[test]
    fn cases_join_words() {
        let w = words("webhook URLs");
        assert_eq!((pascal(&w), snake(&w)), ("WebhookUrls".to_owned(), "webhook_urls".to_owned()));
    }

    #[test]
    fn singulars_of_collection_names() {
        for (plural, one) in [
            ("routes", "route"),
            ("policies", "policy"),
            ("addresses", "address"),
            ("matches", "match"),
            ("boxes", "box"),
            ("status", "status"),
            ("stats", "stats"),
            ("ips", "ip"),
            ("data", "data"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
