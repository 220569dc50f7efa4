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
    let width = match reading {
        Ambiguous::Narrow => UnicodeWidthStr::width(text),
        Ambiguous::Wide => UnicodeWidthStr::width_cjk(text),
    };
    width + text.chars().filter(|c| is_sound_mark(*c)).count()
}

/// A halfwidth sound mark (ﾞ ﾟ: `ﾊﾟ`, `ﾀﾞ`, as legacy systems, banks and CSV files write kana):
/// unicode-width 0.2.2 gives it no width (it extends the kana before it), terminals draw it in a
/// column of its own, and ratatui counts it so. (unicode-width 0.2.3 counts it itself, and
/// ratatui-core 0.1.2 then counts it twice: `ﾊﾟ` in three columns, a blank after each on every
/// screen. Cargo.toml keeps 0.2.2 until ratatui follows.)
fn is_sound_mark(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}')
}

fn char_width_as(c: char, reading: Ambiguous) -> usize {
    if is_sound_mark(c) {
        return 1;
    }
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

/// Whether `c` can drive a terminal or reorder what it shows: C0 and C1 control characters, DEL,
/// and the bidirectional overrides and isolates. The one definition every sanitiser below uses.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What a sanitised text may keep of its line structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line (a table cell, an error message): line breaks and tabs become spaces.
    One,
    /// Line breaks and tabs kept (a CSV cell, an iCalendar text value, a printed report); a
    /// CR, alone or before a LF, becomes one LF, so no line can be overwritten from its start.
    Kept,
}

/// The one function that makes text inert before it is printed to a terminal or written into a
/// file format: every [`is_hazard`] character becomes U+FFFD (�), visible and harmless; line
/// breaks are kept or flattened as `lines` says. Data in the database stays as typed.
pub fn neutralise(text: &str, lines: Lines) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, lines) {
            // U+2028 and U+2029 are line breaks written another way (text pasted from a web
            // page or a word processor): a terminal or a viewer may break the line at them.
            ('\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}', Lines::One) => out.push(' '),
            ('\u{2028}' | '\u{2029}', Lines::Kept) => out.push('\n'),
            ('\r', Lines::Kept) => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            ('\n' | '\t', Lines::Kept) => out.push(c),
            (c, _) if is_hazard(c) => out.push('\u{FFFD}'),
            (c, _) => out.push(c),
        }
    }
    out
}

/// A cell's line breaks as the database keeps them: a CRLF or a lone CR (a spreadsheet's
/// Alt+Enter saved as CSV on Windows, or by an old Mac) is one LF. The CSV and the workbook of
/// one sheet then give the same text — a CRLF inside a quoted CSV cell left a CR at the end of
/// the agency before it, a second 生活福祉課 beside the first (attack on imports, 2026-12-05).
pub fn lf_breaks(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// [`neutralise`] to one line: for table cells, messages and anything laid out on one line.
pub fn inert(text: &str) -> String {
    neutralise(text, Lines::One)
}

/// [`neutralise`] keeping line breaks: for multi-line output.
pub fn inert_lines(text: &str) -> String {
    neutralise(text, Lines::Kept)
}

/// A CSV cell for a spreadsheet: inert, and a cell that Excel or LibreOffice would read as a
/// formula (beginning with `=`, `+`, `-`, `@`, a tab or a CR) gets a leading `'`, unless it is a
/// plain number such as `-3` or `+1.5`.
pub fn csv_cell(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(cell);
    let text = inert_lines(cell);
    if formula { format!("'{text}") } else { text }
}

/// A text cell of a CSV export: a text that a spreadsheet would read as a number (`+1.5`, `-1`,
/// `007`) gets a leading `'`, as a formula does ([`csv_cell`]), so that it stays text.
pub fn csv_text(text: &str) -> String {
    if is_number(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A sign, digits and at most one decimal point: what a spreadsheet takes as a number.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut points = 0;
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| {
            points += usize::from(c == '.');
            c.is_ascii_digit() || (c == '.' && points == 1)
        })
}

/// The blanks an import trims from a cell: spaces (ASCII and ideographic) only. A tab or a CR is
/// part of the text as typed (an agency `\t=2+2` stays that, never `=2+2`).
pub fn trim_blanks(text: &str) -> &str {
    text.trim_matches([' ', '\u{3000}'])
}

/// Whether `text` says nothing a reader can see: only blanks (any Unicode white space), the
/// characters Unicode says a renderer ignores (Default_Ignorable_Code_Point: zero-width spaces
/// and joiners, soft hyphens, direction marks and isolates, variation selectors, tags, the
/// Hangul fillers …), characters of no width on their own (combining marks with nothing to mark,
/// controls) and the blank braille pattern. A required field (a closure's reason and
/// evaluation, a transfer's destination) holding only those is empty, as one holding only
/// spaces is.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || default_ignorable(c)
            || format_character(c)
            || c == '\u{2800}'
            || !matches!(c.width(), Some(w) if w > 0)
    })
}

/// Format characters (General_Category Cf) that Default_Ignorable_Code_Point leaves out, and
/// characters of no glyph of their own — they draw nothing in a terminal either (attack report 9,
/// finding 6): Arabic number signs, interlinear annotation marks, Egyptian format controls, the
/// object replacement character, the musical null notehead, the private use areas.
fn format_character(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1345F}'
            | '\u{FFF9}'..='\u{FFFC}'
            | '\u{1D159}'
            | '\u{E000}'..='\u{F8FF}'
            | '\u{F0000}'..='\u{10FFFF}'
    )
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15/16): what a
/// renderer shows nothing for when it cannot show it otherwise.
fn default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// A name as an import tells bodies and wards apart: blanks trimmed, NFKC (`１・６` and `1･6`
/// are `1・6`, `ＤＶ` is `DV`): a name written another way in a file or a meeting book is the
/// same body.
pub fn fold_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    trim_blanks(&trim_blanks(name).nfkc().collect::<String>()).to_owned()
}

/// JSON written to a terminal: serde_json escapes C0 controls itself but writes DEL, C1 controls
/// and bidi overrides raw. Those can only stand inside JSON strings, where `\uXXXX` means the same
/// character, so every [`is_hazard`] character is written so: the data is unchanged, the terminal
/// is never driven.
pub struct InertJson<W: std::io::Write> {
    inner: W,
    /// The start of a character cut by the end of the last write.
    pending: Vec<u8>,
}

impl<W: std::io::Write> InertJson<W> {
    pub fn new(inner: W) -> InertJson<W> {
        InertJson {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for InertJson<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let (text, rest) = match std::str::from_utf8(&bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            // Not UTF-8 at all: nothing serde_json writes; passed on as it is.
            Err(_) => {
                self.inner.write_all(&bytes)?;
                return Ok(buf.len());
            }
        };
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if is_hazard(c) && !matches!(c, '\n' | '\t') {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            } else {
                out.push(c);
            }
        }
        self.inner.write_all(out.as_bytes())?;
        self.pending = rest.to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.inner.write_all(&rest)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_draws_nothing_is_blank() {
        // Attack report 8, finding 9: each of these alone closed a case as its evaluation.
        for invisible in [
            "\u{2063}",
            "\u{00AD}",
            "\u{200E}",
            "\u{2066}",
            "\u{FE0F}",
            "\u{E0020}",
            "\u{034F}",
            "\u{061C}",
            "\u{0301}",
            // Attack report 9, finding 6: format characters outside Default_Ignorable.
            "\u{FFF9}",
            "\u{FFFB}",
            "\u{13430}",
            "\u{110BD}",
            "\u{0600}",
            "\u{06DD}",
            "\u{1D159}",
            "\u{FFFC}",
            "\u{E000}",
            " \u{200B}\u{3000}\u{3164}\u{FFA0}\u{2800}\u{115F}\u{180E}\u{7}",
        ] {
            assert!(
                super::is_blank(invisible),
                "{:?}",
                invisible.escape_unicode().to_string()
            );
        }
        for seen in [
            "a",
            "済",
            "ｱ",
            "e\u{0301}",
            "\u{00AD}終結",
            "😀",
            "・",
            "\u{2063}x",
        ] {
            assert!(!super::is_blank(seen), "{seen:?}");
        }
    }

    use super::*;

    /// The line and paragraph separators break no line of a cell, and stand as a line break
    /// where lines are kept (they were printed as they are: attack on the search, 2026-12-05).
    #[test]
    fn the_unicode_line_separators_are_line_breaks() {
        assert_eq!(inert("一行目\u{2028}二行目\u{2029}三"), "一行目 二行目 三");
        assert_eq!(
            inert_lines("一行目\u{2028}二行目\u{2029}三"),
            "一行目\n二行目\n三"
        );
    }

    #[test]
    fn names_written_another_way_fold_alike() {
        for name in [
            "１・６心理相談運営会議",
            "1･6心理相談運営会議",
            "　1・6心理相談運営会議 ",
        ] {
            assert_eq!(fold_name(name), "1・6心理相談運営会議", "{name}");
        }
        assert_eq!(fold_name("ＤＶ対策"), "DV対策");
        assert_ne!(fold_name("支援会議"), fold_name("支援会議２"));
    }

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

    #[test]
    fn kept_lines_never_hold_a_bare_cr() {
        assert_eq!(inert_lines("a\r\nb\rc\n\td\u{1b}"), "a\nb\nc\n\td\u{FFFD}");
        assert_eq!(inert_lines("\u{9b}31m\u{7f}"), "\u{FFFD}31m\u{FFFD}");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_get_a_quote() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "=cmd|' /C calc'!A0",
            "@SUM(A1)",
            "+1+1",
            "-2+3",
            "\t=2+2",
            "\r=1",
            "-",
            "+",
            "-1.2.3",
        ] {
            assert!(csv_cell(cell).starts_with('\''), "{cell:?}");
        }
        for cell in ["-3", "+1.5", "42", "0.5", "江東区", "a=b", ""] {
            assert!(!csv_cell(cell).starts_with('\''), "{cell:?}");
        }
        assert_eq!(csv_cell("\t=2+2"), "'\t=2+2");
        assert_eq!(csv_cell("a\u{1b}]0;x\u{7}"), "a\u{FFFD}]0;x\u{FFFD}");
    }

    #[test]
    fn json_for_a_terminal_escapes_what_serde_json_leaves_raw() {
        use std::io::Write;
        let value = serde_json::json!({ "a": "x\u{9b}31m\u{202E}y\u{7f}\u{1b}" });
        let mut out = InertJson::new(Vec::new());
        // A byte at a time: characters cut between writes are put together again.
        for b in serde_json::to_vec(&value).unwrap() {
            out.write_all(&[b]).unwrap();
        }
        out.flush().unwrap();
        let text = String::from_utf8(out.inner).unwrap();
        assert!(!text.chars().any(is_hazard), "{text:?}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value, "the same data");
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
