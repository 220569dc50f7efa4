//! Text measured in terminal cells, never in bytes or chars, and made inert before it reaches a
//! terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The cells `text` takes on a terminal that draws East Asian ambiguous characters one cell wide.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cuts `text` to at most `max` cells, marking a cut with `..` (ASCII, so it is one cell each on
/// every terminal).
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let marker = if max >= 3 { ".." } else { "" };
    let room = max - marker.len();
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push_str(marker);
    out
}

/// `text` cut to `cells` and padded with spaces to exactly `cells`.
pub fn fit(text: &str, cells: usize) -> String {
    let mut out = truncate(text, cells);
    let pad = cells.saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// Control characters (ESC, BEL, backspace, bidi overrides …) replaced by visible stand-ins, so
/// that text a user typed can never drive the terminal that shows it. Line breaks and tabs become
/// spaces: callers that need lines split first.
pub fn inert(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_japanese_in_cells() {
        assert_eq!(width("会議"), 4);
        assert_eq!(width("ab会"), 4);
    }

    #[test]
    fn truncates_by_cells() {
        assert_eq!(truncate("江東区居住支援協議会", 9), "江東区..");
        assert_eq!(width(&truncate("江東区居住支援協議会", 9)), 8);
        assert_eq!(truncate("short", 9), "short");
        assert_eq!(truncate("会議", 1), "");
    }

    #[test]
    fn fits_exactly() {
        assert_eq!(fit("会議", 6), "会議  ");
        assert_eq!(width(&fit("江東区居住支援協議会", 7)), 7);
    }

    #[test]
    fn makes_escapes_inert() {
        assert_eq!(inert("a\u{1b}]0;pwned\u{7}b"), "a\u{FFFD}]0;pwned\u{FFFD}b");
        assert_eq!(inert("x\u{202E}y"), "x\u{FFFD}y");
        assert_eq!(inert("1\n2"), "1 2");
    }
}

/// Lines of at most `max` cells: breaks at the cell limit (Japanese has no spaces to break at),
/// keeps the text's own line breaks, and never splits a character.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in inert(paragraph).chars() {
            let w = char_width(c);
            if used + w > max {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn wraps_by_cells_without_splitting_wide_characters() {
        let lines = wrap("訪問診療が可能な医療機関", 7);
        assert_eq!(lines, ["訪問診", "療が可", "能な医", "療機関"]);
        assert!(lines.iter().all(|l| width(l) <= 7));
        assert_eq!(wrap("a\nb", 5), ["a", "b"]);
        assert_eq!(wrap("", 5), [""]);
    }
}
