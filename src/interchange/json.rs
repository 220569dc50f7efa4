//! Reading and writing interchange JSON. Reading is strict: a field renkei does not know, a value
//! of the wrong type or out of range, a NUL character, trailing text after the document — each is
//! an error naming the line and the JSON path (`meetings[3].confidental`), and a format from a
//! newer renkei is refused before anything else is said about the file.

use serde::Deserialize;

use super::{Document, FORMAT, check};

/// Reads interchange JSON; errors name the line and column, and the JSON path of a bad value.
pub fn parse_json(text: &str) -> Result<Document, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let parsed: Result<Document, _> = serde_path_to_error::deserialize(&mut *de);
    let doc = match parsed {
        Ok(doc) => {
            de.end().map_err(|e| at_line(&e, "", &cause(&e)))?;
            doc
        }
        Err(e) => {
            // A newer format may well have fields this renkei does not know: say that first.
            if let Some(format) = format_of(text) {
                check_format(&format)?;
            }
            return Err(describe(&e));
        }
    };
    check_format(&doc.format)?;
    if has_nul_escape(text)
        && let Some(path) = check::nul_path(&doc)
    {
        return Err(format!("{path}: {}", crate::i18n::said("import_nul", &[])));
    }
    check::document(&doc)?;
    super::cases::check(&doc)?;
    Ok(doc)
}

/// Pretty JSON with a trailing newline; field order is the structs' order, so it is stable.
pub fn to_json(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
    text.push('\n');
    text
}

pub(super) fn check_format(format: &str) -> Result<(), String> {
    if format == FORMAT {
        return Ok(());
    }
    if format.is_empty() {
        return Err(crate::i18n::said(
            "import_format_missing",
            &[("expected", FORMAT.to_owned())],
        ));
    }
    let newer = format
        .strip_prefix("renkei/")
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v > 1);
    if newer {
        Err(crate::i18n::said(
            "import_format_newer",
            &[
                ("format", format.to_owned()),
                ("expected", FORMAT.to_owned()),
            ],
        ))
    } else {
        Err(crate::i18n::said(
            "import_format_other",
            &[
                ("format", format.to_owned()),
                ("expected", FORMAT.to_owned()),
            ],
        ))
    }
}

/// The document's `format`, read alone (every other value skipped), for the error of a file that
/// does not parse.
fn format_of(text: &str) -> Option<String> {
    format_in(text.as_bytes())
}

/// The document's `format`, read from a reader (every other value skipped as it streams by).
pub(super) fn format_in(reader: impl std::io::Read) -> Option<String> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<String>,
    }
    serde_json::from_reader::<_, Head>(reader).ok()?.format
}

pub(super) fn at_line(e: &serde_json::Error, path: &str, message: &str) -> String {
    if path.is_empty() || path == "." {
        format!("line {}, column {}: {message}", e.line(), e.column())
    } else {
        format!(
            "line {}, column {} ({path}): {message}",
            e.line(),
            e.column()
        )
    }
}

/// serde_json's message without the " at line L column C" it appends: the position is given
/// once, in front ([`at_line`]).
fn without_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

/// What serde_json says is wrong with the text, without its position, in renkei's words where
/// serde_json's would mislead: a lone surrogate (`"\ud800"`) is not an "unexpected end of hex
/// escape", and its recursion limit is the depth of the file's nesting. The other causes are
/// its own (said in Japanese by `i18n::library`).
pub(super) fn cause(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = without_position(&message);
    let key = match message {
        "unexpected end of hex escape" | "lone leading surrogate in hex escape" => {
            "import_lone_surrogate"
        }
        "recursion limit exceeded" => "import_too_deep",
        other => return other.to_owned(),
    };
    crate::i18n::said(key, &[])
}

pub(super) fn describe(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = e.inner();
    let path = e.path().to_string();
    let message = cause(inner);
    match unknown_field(&message) {
        Some((field, expected)) => {
            let path = if path.is_empty() || path == "." {
                field.clone()
            } else if path.rsplit('.').next() == Some(field.as_str()) {
                path
            } else {
                format!("{path}.{field}")
            };
            let hint = nearest(&field, &expected)
                .map(|f| format!(" (did you mean \"{f}\"?)"))
                .unwrap_or_default();
            at_line(inner, &path, &format!("unknown field \"{field}\"{hint}"))
        }
        None => at_line(inner, &path, &message),
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b` …" as renkei says it: the field, and
/// the known one it was likely meant to be.
pub fn unknown_field_message(message: &str) -> Option<String> {
    let (field, expected) = unknown_field(message)?;
    let hint = nearest(&field, &expected)
        .map(|f| format!(" (did you mean \"{f}\"?)"))
        .unwrap_or_default();
    Some(format!("unknown field \"{field}\"{hint}"))
}

/// The field and the expected ones of serde's "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let field = rest[..end].to_owned();
    let expected = rest[end + 1..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((field, expected))
}

/// The known field closest to a misspelt one, when it is close enough to be the one meant.
fn nearest(field: &str, known: &[String]) -> Option<String> {
    known
        .iter()
        .map(|k| (distance(field, k), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Whether the text has a `\u0000` escape (not an escaped backslash followed by "u0000"): the
/// only way a NUL gets into a JSON string, since a raw one is refused by the parser.
fn has_nul_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find("u0000").map(|i| i + from) {
        let slashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
        if slashes % 2 == 1 {
            return true;
        }
        from = i + 5;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_fields_are_named_with_their_path_and_the_likely_one() {
        let text = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
            "meetings": [ { "body": "A", "date": "2026-12-01" }, { "body": "A", "date": "2026-12-02", "confidental": true } ] }"#;
        let err = parse_json(text).unwrap_err();
        assert!(err.contains("(meetings[1].confidental)"), "{err}");
        assert!(err.contains("did you mean \"confidential\""), "{err}");
        assert!(err.starts_with("line 2"), "{err}");
    }

    #[test]
    fn a_newer_format_is_refused_before_its_fields() {
        let text = r#"{ "format": "renkei/2", "cases": [] }"#;
        let err = parse_json(text).unwrap_err();
        assert!(err.contains("newer renkei"), "{err}");
    }

    #[test]
    fn trailing_text_is_refused() {
        let err = parse_json(r#"{ "format": "renkei/1" } {"#).unwrap_err();
        assert!(err.contains("trailing"), "{err}");
    }

    #[test]
    fn nul_escapes_are_told_from_escaped_backslashes() {
        assert!(has_nul_escape(r#""a\u0000""#));
        assert!(!has_nul_escape(r#""a\\u0000""#));
        assert!(has_nul_escape(r#""a\\\u0000""#));
        assert!(!has_nul_escape("u0000"));
    }

    /// Session 11, finding 9: serde_json's recursion limit and a lone surrogate said in
    /// renkei's words (a surrogate's "unexpected end of hex escape" was the wrong cause).
    #[test]
    fn causes_serde_json_misnames_are_said_as_renkei_says_them() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = serde_json::from_str::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(cause(&e), crate::i18n::said("import_too_deep", &[]));
        for lone in [r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#] {
            let e = serde_json::from_str::<String>(lone).unwrap_err();
            assert_eq!(
                cause(&e),
                crate::i18n::said("import_lone_surrogate", &[]),
                "{lone}"
            );
        }
        let e = serde_json::from_str::<String>("1").unwrap_err();
        assert_eq!(cause(&e), "invalid type: integer `1`, expected a string");
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("confidental", "confidential"), 1);
        assert_eq!(distance("atendees", "attendees"), 1);
        assert_eq!(distance("agneda", "agenda"), 2);
        assert_eq!(distance("", "abc"), 3);
    }
}
