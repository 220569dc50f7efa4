//! Text measured in terminal cells, never in bytes or chars, and made inert before it reaches a
//! terminal.

use std::sync::atomic::{AtomicBool, Ordering};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How the terminal draws East Asian *ambiguous* characters (○ ※ → and box drawing): one cell
/// (the Unicode default, most terminals) or two (many Japanese terminal setups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ambiguous {
    #[default]
    Narrow,
    Wide,
}

impl Ambiguous {
    /// From the config's `ambiguous_width = 1|2`.
    pub fn from_cells(cells: i64) -> Option<Ambiguous> {
        match cells {
            1 => Some(Ambiguous::Narrow),
            2 => Some(Ambiguous::Wide),
            _ => None,
        }
    }

    pub fn cells(self) -> u8 {
        match self {
            Ambiguous::Narrow => 1,
            Ambiguous::Wide => 2,
        }
    }
}

/// Process-wide, because the terminal is: every measurement in one run must agree with how this
/// terminal draws, and threading a parameter through every caller of `width` would change the
/// signatures the CLI and the screens share. Set once at start-up from the config.
static AMBIGUOUS_WIDE: AtomicBool = AtomicBool::new(false);

pub fn set_ambiguous(reading: Ambiguous) {
    AMBIGUOUS_WIDE.store(reading == Ambiguous::Wide, Ordering::Relaxed);
}

pub fn ambiguous() -> Ambiguous {
    if AMBIGUOUS_WIDE.load(Ordering::Relaxed) {
        Ambiguous::Wide
    } else {
        Ambiguous::Narrow
    }
}

/// The cells `text` takes on this terminal (see [`set_ambiguous`]).
pub fn width(text: &str) -> usize {
    width_as(text, ambiguous())
}

/// The cells `text` takes on a terminal with the given reading of ambiguous characters.
pub fn width_as(text: &str, reading: Ambiguous) -> usize {
    match reading {
        Ambiguous::Narrow => UnicodeWidthStr::width(text),
        Ambiguous::Wide => UnicodeWidthStr::width_cjk(text),
    }
}

fn char_width_as(c: char, reading: Ambiguous) -> usize {
    match reading {
        Ambiguous::Narrow => UnicodeWidthChar::width(c),
        Ambiguous::Wide => UnicodeWidthChar::width_cjk(c),
    }
    .unwrap_or(0)
}

/// Whether `symbol` is drawn wider with the two-cell reading than ratatui (which always uses the
/// one-cell reading) expects.
pub fn is_ambiguous(symbol: &str) -> bool {
    UnicodeWidthStr::width_cjk(symbol) > UnicodeWidthStr::width(symbol)
}

/// Cuts `text` to at most `max` cells, marking a cut with `..` (ASCII, so it is one cell each on
/// every terminal).
pub fn truncate(text: &str, max: usize) -> String {
    truncate_as(text, max, ambiguous())
}

/// [`truncate`] for a given reading of ambiguous characters.
pub fn truncate_as(text: &str, max: usize, reading: Ambiguous) -> String {
    if width_as(text, reading) <= max {
        return text.to_owned();
    }
    let marker = if max >= 3 { ".." } else { "" };
    let room = max - marker.len();
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width_as(c, reading);
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
    fit_as(text, cells, ambiguous())
}

/// [`fit`] for a given reading of ambiguous characters.
pub fn fit_as(text: &str, cells: usize, reading: Ambiguous) -> String {
    let mut out = truncate_as(text, cells, reading);
    let pad = cells.saturating_sub(width_as(&out, reading));
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
    wrap_as(text, max, ambiguous())
}

/// [`wrap`] for a given reading of ambiguous characters.
pub fn wrap_as(text: &str, max: usize, reading: Ambiguous) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in inert(paragraph).chars() {
            let w = char_width_as(c, reading);
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

    #[test]
    fn ambiguous_characters_take_the_cells_the_terminal_gives_them() {
        let seed = "○江東区※";
        assert_eq!(width_as(seed, Ambiguous::Narrow), 8);
        assert_eq!(width_as(seed, Ambiguous::Wide), 10);
        assert_eq!(truncate_as("○○○○○", 5, Ambiguous::Wide), "○..");
        assert_eq!(truncate_as("○○○○○", 5, Ambiguous::Narrow), "○○○○○");
        assert_eq!(fit_as("○a", 5, Ambiguous::Wide), "○a  ");
        assert_eq!(
            width_as(&fit_as("※注意→", 6, Ambiguous::Wide), Ambiguous::Wide),
            6
        );
        assert_eq!(wrap_as("○○○", 4, Ambiguous::Wide), ["○○", "○"]);
        assert_eq!(wrap_as("○○○", 4, Ambiguous::Narrow), ["○○○"]);
        assert!(
            is_ambiguous("○") && is_ambiguous("─") && !is_ambiguous("会") && !is_ambiguous("a")
        );
        assert_eq!(Ambiguous::from_cells(2), Some(Ambiguous::Wide));
        assert_eq!(Ambiguous::from_cells(3), None);
    }
}
