//! User text made inert for Markdown: whatever a user typed comes out as the same text, never as
//! markup, and never breaks a table's columns.
//!
//! Characters that are markup anywhere are backslash-escaped everywhere (CommonMark lets any ASCII
//! punctuation be escaped); characters that are markup only at the start of a line (`-`, `+`, `=`,
//! `1.`) are escaped there. Spaces and tabs around a line are dropped (Markdown would drop them,
//! or turn four of them into a code block), and control characters become their visible control
//! pictures (U+2400…) so that minutes printed on a terminal cannot drive it.

/// Escaped everywhere: emphasis, code, links, HTML and autolinks, entities, tables, strikethrough,
/// headings (a trailing `#` closes one), and `$` (GitHub renders `$…$` as maths).
fn always_escaped(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '$'
    )
}

/// Control characters are shown as their Unicode control pictures (ESC as ␛, BEL as ␇ …), so the
/// minutes keep what was typed, visibly, and cannot drive a terminal they are printed on.
fn sanitize(c: char) -> char {
    match c {
        '\t' => c,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{FFFD}',
        // Bidirectional overrides can make text read differently from what it is.
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
        c => c,
    }
}

/// The lines of `text`, whatever line endings it was typed with.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

fn trim_line(line: &str) -> &str {
    line.trim_matches([' ', '\t'])
}

/// The lines that hold something, trimmed: what every form of the text keeps.
fn kept_lines(text: &str) -> impl Iterator<Item = &str> {
    lines(text).map(trim_line).filter(|l| !l.is_empty())
}

/// Appends one line (no line breaks in it) escaped.
fn push_line(out: &mut String, line: &str) {
    let line = trim_line(line);
    let marker_end = line_start_marker(line);
    for (i, c) in line.char_indices() {
        if Some(i) == marker_end || always_escaped(c) || opens_autolink(line, i, c) {
            out.push('\\');
        }
        out.push(sanitize(c));
    }
}

/// Whether `c` at byte `i` of `line` is where GFM's extended autolinks (GitHub, GitLab, cmark-gfm,
/// pandoc's `gfm`, editors' previews) would begin a link: the `:` of `scheme://` or the `.` of
/// `www.`. Escaped, the text reads the same and is never a link; left bare, the link took the
/// escapes after it as part of the address and showed them (`www.a.b\_c\`), and ran on into
/// the text renkei wrote after it (`www.act.com（期限 2026-12-10（木））`).
fn opens_autolink(line: &str, i: usize, c: char) -> bool {
    match c {
        ':' => line[i + 1..].starts_with("//"),
        '.' => line[..i]
            .get(i.saturating_sub(3)..)
            .is_some_and(|w| w.eq_ignore_ascii_case("www")),
        _ => false,
    }
}

/// Where a backslash must go so that the line does not open a list, a setext heading underline
/// or a thematic break: before a leading `-`, `+` or `=`, or before the `.`/`)` of `12.`/`12)`.
fn line_start_marker(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    if matches!(first, '-' | '+' | '=') {
        return Some(0);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => Some(digits),
        _ => None,
    }
}

/// One line of Markdown: line breaks become spaces (headings, short list items).
pub fn inline(text: &str) -> String {
    joined(text, " ")
}

/// A table cell: line breaks become ` / ` so the row stays on one line and keeps its columns.
pub fn cell(text: &str) -> String {
    joined(text, " / ")
}

/// Paragraph text: every line kept as a line (a hard break, `\` at the end), continuation lines
/// indented by `indent` so that they stay inside a list item. Blank lines are dropped: they would
/// end the paragraph, or the list item.
pub fn block(text: &str, indent: &str) -> String {
    joined(text, &format!("\\\n{indent}"))
}

/// The lines of `text` that hold something, each trimmed and escaped, with `separator` between.
fn joined(text: &str, separator: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in kept_lines(text).enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        push_line(&mut out, line);
    }
    out
}

/// The text a reader sees for `text` once it went through [`block`]: lines trimmed, blank lines
/// gone, control characters replaced. What the round-trip tests compare with.
pub fn visible(text: &str) -> String {
    kept_lines(text)
        .map(|l| l.chars().map(sanitize).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    fn options() -> Options {
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
    }

    /// The text a CommonMark reader gets from `markdown`, and whether any markup appeared that the
    /// escaping should have prevented.
    fn parse(markdown: &str) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut markup = Vec::new();
        for event in Parser::new_ext(markdown, options()) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push('\n'),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                other => markup.push(format!("{other:?}")),
            }
        }
        (text, markup)
    }

    fn round_trip(input: &str) {
        let (text, markup) = parse(&block(input, ""));
        assert_eq!(
            text,
            visible(input),
            "input {input:?} -> {:?}",
            block(input, "")
        );
        assert!(
            markup.is_empty(),
            "input {input:?} became markup: {markup:?}"
        );
    }

    const HOSTILE: &[&str] = &[
        "a | b | c",
        "*bold* _it_ **strong** __x__",
        "# heading\n## two\nclosing #",
        "<script>alert(1)</script>",
        "<!-- comment -->",
        "`code` and ``more``",
        "```\nfenced\n```",
        "~~~\nfenced\n~~~",
        "~~struck~~ ~x~",
        "[link](http://example.com) ![img](x.png) [ref]\n\n[ref]: http://x",
        "- item\n+ item\n* item\n1. one\n2) two\n123456789. many",
        "text\n===\nmore\n---",
        "***\n___\n- - -",
        "> quote\n>> nested",
        "    indented code",
        "\tTAB start",
        "a\\b\\\\c\\",
        "&amp; &lt; &#42; &copy;",
        "$x^2$ and $$y$$",
        "line one\nline two\r\nline three\rfour",
        "trailing spaces   \nnext",
        "\n\nblank lines\n\n\nbetween\n\n",
        "- [ ] task\n- [x] done",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "http://example.com <http://example.com> www.example.com",
        "山田 花子さんの件｜全角バー＊全角アスタ",
        "　全角スペースで始まる行",
        "1.5倍 と 2026.11.21",
        "esc \u{1b}[31m red \u{7} bell \u{202E}rtl",
        "ends with backslash\\",
        "x<y>z & a_b_c *d*",
        "",
    ];

    #[test]
    fn the_check_sees_markup_when_nothing_is_escaped() {
        for raw in ["*a*", "<b>x</b>", "# h", "- x", "`c`", "~~s~~", "&amp;"] {
            let (text, markup) = parse(raw);
            assert!(
                text != raw || !markup.is_empty(),
                "{raw:?} would pass unescaped, so the round trip proves nothing"
            );
        }
    }

    #[test]
    fn hostile_text_round_trips_as_text() {
        for input in HOSTILE {
            round_trip(input);
        }
    }

    /// Where GFM's extended autolinks begin in `markdown` (the rules of cmark-gfm's autolink
    /// extension, which pulldown-cmark does not have): `www.` at the start, after a blank or
    /// after `*`, `_`, `~`, `(`; `://` after `http`, `https` or `ftp` (any case) standing alone.
    fn gfm_autolinks(markdown: &str) -> Vec<String> {
        let bytes = markdown.as_bytes();
        let mut found = Vec::new();
        for (i, _) in markdown.char_indices() {
            let rest = &markdown[i..];
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let www = rest.len() >= 4
                && rest.is_char_boundary(4)
                && rest[..4].eq_ignore_ascii_case("www.")
                && before.is_none_or(|b| b.is_ascii_whitespace() || b"*_~(".contains(&b));
            let scheme_start = markdown[..i]
                .bytes()
                .rev()
                .take_while(u8::is_ascii_alphabetic)
                .count();
            let scheme = &markdown[i - scheme_start..i];
            let url = rest.starts_with("://")
                && ["http", "https", "ftp"]
                    .iter()
                    .any(|s| scheme.eq_ignore_ascii_case(s));
            if www || url {
                found.push(rest.chars().take(24).collect());
            }
        }
        found
    }

    /// Attack report 12, finding 1: a typed `https://…` or `www.…` was left bare, and GitHub,
    /// GitLab, VS Code's preview and `pandoc -f gfm` made it a link that showed the escapes after
    /// it (`https://evil.example/x?a=1\`, the line break lost) and ran into renkei's own text
    /// (`www.act.com（期限 2026-12-10（木））`). (Seen failing before the fix: every URL below.)
    #[test]
    fn typed_addresses_never_become_gfm_autolinks() {
        let addresses = [
            "see www.example.com and https://evil.example/x?a=1",
            "HTTPS://X.COM Http://x ftp://files.example WWW.Example.com",
            "(www.a.b_c_) *www.x.com* _https://y.z_ ~www.q.r~",
            "xhttp://not-a-link.example and 10:00-11:30 and a:b",
            "wwwx.example and www and www. alone",
            "山田さんのページ https://example.jp/山田 を参照",
        ];
        for (i, input) in HOSTILE.iter().chain(addresses.iter()).enumerate() {
            for markdown in [block(input, ""), inline(input), cell(input)] {
                let links = gfm_autolinks(&markdown);
                assert!(
                    links.is_empty(),
                    "{i}: {input:?} -> {markdown:?}: {links:?}"
                );
            }
        }
        for input in addresses {
            round_trip(input);
        }
        // Only what opens a link is escaped: times and ratios stay as typed.
        assert_eq!(inline("10:00 a:b wwwx.y"), "10:00 a:b wwwx.y");
        assert_eq!(inline("https://x.jp www.y.jp"), "https\\://x.jp www\\.y.jp");
    }

    #[test]
    fn every_ascii_punctuation_in_every_position_round_trips() {
        let punct: Vec<char> = (0x21u8..0x7f)
            .map(char::from)
            .filter(|c| c.is_ascii_punctuation())
            .collect();
        for &a in &punct {
            for &b in &punct {
                for pattern in ["{a}", "{a}{b}", "{a} x", "x {a}{b}x", "{a}{a}{a}", "1{a} x"] {
                    let s = pattern
                        .replace("{a}", &a.to_string())
                        .replace("{b}", &b.to_string());
                    round_trip(&s);
                    round_trip(&format!("first\n{s}"));
                }
            }
        }
    }

    /// A small deterministic generator, so the property runs without another dependency.
    fn pseudo_random_texts(n: usize) -> Vec<String> {
        let alphabet: Vec<char> = "ab 1.-+=#*_`~|<>[]()!\\&$:;'\"\n\t山田花子。、"
            .chars()
            .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let len = (next() % 24) as usize;
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn random_text_round_trips_as_text() {
        for input in pseudo_random_texts(5000) {
            round_trip(&input);
        }
    }

    #[test]
    fn inside_a_list_item_lines_stay_in_the_item() {
        let md = format!("- {}\n- next", block("one\n- two\n3. three", "  "));
        let events: Vec<Event> = Parser::new_ext(&md, options()).collect();
        let items = events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::Item)))
            .count();
        assert_eq!(items, 2, "{md}");
    }

    #[test]
    fn cells_keep_their_columns() {
        let row = format!(
            "| h1 | h2 |\n|---|---|\n| {} | {} |\n",
            cell("a|b\nc"),
            cell("`x|y`")
        );
        let mut cells = Vec::new();
        let mut current = String::new();
        for event in Parser::new_ext(&row, options()) {
            match event {
                Event::Text(t) => current.push_str(&t),
                Event::End(TagEnd::TableCell) => cells.push(std::mem::take(&mut current)),
                _ => {}
            }
        }
        assert_eq!(cells, ["h1", "h2", "a|b / c", "`x|y`"]);
    }

    #[test]
    fn inline_joins_lines() {
        assert_eq!(inline("a\nb"), "a b");
        assert_eq!(inline("# x"), "\\# x");
        assert_eq!(inline("- x"), "\\- x");
        assert_eq!(inline("12. x"), "12\\. x");
    }
}
