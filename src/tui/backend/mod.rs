//! Fewer bytes per redraw: what the terminal is sent is what an SSH link carries at every
//! keystroke. ratatui's crossterm backend writes each frame's changed cells with an absolute
//! cursor move (`ESC[row;colH`, about 8 bytes) before every cell that is not exactly one column
//! after the previous one — so before every double-width character, which is most of a Japanese
//! screen — and colours as 256-colour codes (`ESC[38;5;6m`) even for the 16 basic ones.
//!
//! [`Wire`] sits between the backend and the terminal, takes each frame whole (ratatui flushes
//! once per frame) and sends it shorter, with the same effect on the screen: no move to where the
//! cursor already is, a short relative move (`ESC[3C`) along the row, the basic colours by their
//! own codes, consecutive colour changes as one, nothing before a full reset.
//!
//! The cursor is followed only through what the frame itself says: its first move is always sent
//! as is, and after a character whose width terminals disagree on (East Asian ambiguous ones,
//! emoji, combining sequences) or any sequence other than a move or a colour, its position counts
//! as unknown until the next absolute move.

use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// A writer that sends each flushed frame in fewer bytes (see the module documentation).
pub struct Wire<W: Write> {
    out: W,
    frame: Vec<u8>,
}

impl<W: Write> Wire<W> {
    pub fn new(out: W) -> Wire<W> {
        Wire {
            out,
            frame: Vec::new(),
        }
    }
}

impl<W: Write> Write for Wire<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.frame.is_empty() {
            let shorter = compact(&self.frame);
            self.frame.clear();
            self.out.write_all(&shorter)?;
        }
        self.out.flush()
    }
}

/// How many columns the terminal's cursor surely moves after printing `c`: one for a character
/// of one column, two for a CJK (Hangul, kana, full-width) character. `None` for anything
/// terminals disagree on.
fn advance(c: char) -> Option<u16> {
    let width = c.width()?;
    if c.width_cjk() != Some(width) {
        return None;
    }
    match width {
        1 => Some(1),
        2 if is_cjk(c) => Some(2),
        _ => None,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F        // Hangul Jamo
        | 0x2E80..=0x303E      // CJK radicals, symbols and punctuation
        | 0x3041..=0x33FF      // kana, Bopomofo, Hangul compatibility, CJK compatibility
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFE30..=0xFE4F      // CJK compatibility forms
        | 0xFF01..=0xFF60      // full-width forms
        | 0xFFE0..=0xFFE6      // full-width signs
        | 0x20000..=0x3FFFD) // CJK extensions B and later
}

/// One frame, shorter.
fn compact(frame: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame.len());
    // Row and column (1-based, as the moves name them) where the cursor is, if known.
    let mut cursor: Option<(u32, u32)> = None;
    // Colour and attribute codes not sent yet: consecutive ones go out as one sequence.
    let mut sgr: Vec<String> = Vec::new();
    // A frame starts with every attribute reset: ratatui ends each frame so.
    let mut pen = Pen::default();
    let mut i = 0;
    while i < frame.len() {
        if frame[i] == 0x1b && frame.get(i + 1) == Some(&b'[') {
            let start = i + 2;
            let Some(len) = frame[start..]
                .iter()
                .position(|b| (0x40..=0x7e).contains(b))
            else {
                flush_sgr(&mut out, &mut sgr);
                out.extend_from_slice(&frame[i..]);
                break;
            };
            let params = &frame[start..start + len];
            let end = start + len + 1;
            match frame[start + len] {
                b'm' => {
                    let groups = sgr_groups(params);
                    pen.apply(groups.as_deref());
                    push_sgr(&mut sgr, groups.as_deref().unwrap_or_default());
                }
                // Colours pending may wait past a move: only text and erasing depend on them.
                b'H' => match position(params) {
                    Some(to) => {
                        move_to(&mut out, cursor, to, &frame[i..end]);
                        cursor = Some(to);
                    }
                    None => {
                        flush_sgr(&mut out, &mut sgr);
                        out.extend_from_slice(&frame[i..end]);
                        cursor = None;
                    }
                },
                _ => {
                    flush_sgr(&mut out, &mut sgr);
                    out.extend_from_slice(&frame[i..end]);
                    // Showing or hiding the cursor leaves it where it is; anything else may not.
                    if params != b"?25l" && params != b"?25h" {
                        cursor = None;
                    }
                }
            }
            i = end;
            continue;
        }
        flush_sgr(&mut out, &mut sgr);
        let text_end = frame[i + 1..]
            .iter()
            .position(|b| *b == 0x1b)
            .map_or(frame.len(), |p| i + 1 + p);
        let text = &frame[i..text_end];
        let followed_by_move = frame.get(text_end..text_end + 2) == Some(b"\x1b[")
            && frame[text_end + 2..]
                .iter()
                .find(|b| (0x40..=0x7e).contains(*b))
                .is_some_and(|b| *b == b'H');
        cursor = write_text(
            &mut out,
            text,
            cursor,
            pen.blank_is_plain(),
            followed_by_move,
        );
        i = text_end;
    }
    flush_sgr(&mut out, &mut sgr);
    out
}

/// Writes a run of text; where the cursor is after it, if known. Where a space shows nothing
/// but the default background, a long run of spaces goes out as an erase of that many
/// characters (`ESC[nX`, which leaves the cursor in place) and, if more text follows, a move past
/// them: 10 bytes for the 40 blanks left where a longer Japanese text stood. An erase that ends
/// on the first column of a double-width character leaves its second behind in tmux; the
/// frames come from `tui::scroll`, which sends both columns in that case.
fn write_text(
    out: &mut Vec<u8>,
    text: &[u8],
    mut cursor: Option<(u32, u32)>,
    erase: bool,
    followed_by_move: bool,
) -> Option<(u32, u32)> {
    let Ok(text) = std::str::from_utf8(text) else {
        out.extend_from_slice(text);
        return None;
    };
    let mut rest = text;
    while !rest.is_empty() {
        let blanks = rest.len() - rest.trim_start_matches(' ').len();
        if blanks > 0 {
            let last = blanks == rest.len();
            let erase_seq = format!("\x1b[{blanks}X");
            let move_seq = format!("\x1b[{blanks}C");
            // At the end of the text before an absolute move, the cursor need not be moved on.
            let cost = erase_seq.len()
                + if last && followed_by_move {
                    0
                } else {
                    move_seq.len()
                };
            if erase && cost < blanks {
                out.extend_from_slice(erase_seq.as_bytes());
                let width = u32::try_from(blanks).unwrap_or(u32::MAX);
                if last && followed_by_move {
                    // The cursor stays where the erase began: the next move is made from there.
                    return cursor;
                }
                out.extend_from_slice(move_seq.as_bytes());
                cursor = cursor.map(|(row, col)| (row, col.saturating_add(width)));
            } else {
                out.extend_from_slice(&rest.as_bytes()[..blanks]);
                let width = u32::try_from(blanks).unwrap_or(u32::MAX);
                cursor = cursor.map(|(row, col)| (row, col.saturating_add(width)));
            }
            rest = &rest[blanks..];
            continue;
        }
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let word = &rest[..word_end];
        out.extend_from_slice(word.as_bytes());
        cursor = cursor.and_then(|at| {
            word.chars().try_fold(at, |(row, col), c| {
                advance(c).map(|w| (row, col + u32::from(w)))
            })
        });
        rest = &rest[word_end..];
    }
    cursor
}

/// Whether a space written now would show only the default background: no background colour,
/// no reverse video, underline or strike-through. Only then is erasing the same as writing
/// spaces.
#[derive(Debug, Clone, Copy, Default)]
struct Pen {
    background: bool,
    reverse: bool,
    underline: bool,
    crossed: bool,
}

impl Pen {
    fn blank_is_plain(self) -> bool {
        !(self.background || self.reverse || self.underline || self.crossed)
    }

    fn apply(&mut self, groups: Option<&[Vec<&str>]>) {
        let Some(groups) = groups else {
            // Unreadable: assume the worst until the next reset.
            self.background = true;
            return;
        };
        for group in groups {
            match group[0] {
                "" | "0" => *self = Pen::default(),
                "7" => self.reverse = true,
                "27" => self.reverse = false,
                "9" => self.crossed = true,
                "29" => self.crossed = false,
                "24" => self.underline = false,
                "49" => self.background = false,
                "48" => self.background = true,
                "38" | "58" => {}
                c if c.starts_with('4') && c.len() > 1 && c.as_bytes()[1] == b':' => {
                    self.underline = !c.ends_with(":0");
                }
                "4" | "21" => self.underline = true,
                c => match c.parse::<u32>() {
                    Ok(40..=47 | 100..=107) => self.background = true,
                    Ok(_) => {}
                    Err(_) => self.background = true,
                },
            }
        }
    }
}

/// `row;col` of an absolute move (both default to 1).
fn position(params: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(params).ok()?;
    let (row, col) = text.split_once(';').unwrap_or((text, ""));
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() {
            Some(1)
        } else {
            s.parse().ok().filter(|n| *n > 0)
        }
    };
    Some((number(row)?, number(col)?))
}

/// The move to `to`: none when the cursor is there, a relative one along the row when that is
/// shorter, else the original.
fn move_to(out: &mut Vec<u8>, cursor: Option<(u32, u32)>, to: (u32, u32), original: &[u8]) {
    match cursor {
        Some(at) if at == to => {}
        Some((row, col)) if row == to.0 && col < to.1 => {
            let forward = match to.1 - col {
                1 => "\x1b[C".to_owned(),
                n => format!("\x1b[{n}C"),
            };
            if forward.len() < original.len() {
                out.extend_from_slice(forward.as_bytes());
            } else {
                out.extend_from_slice(original);
            }
        }
        _ => out.extend_from_slice(original),
    }
}

/// Adds one SGR sequence's codes, the basic colours written by their own codes. A full reset
/// makes everything before it moot.
fn push_sgr(pending: &mut Vec<String>, groups: &[Vec<&str>]) {
    for group in groups {
        let basic = match group.as_slice() {
            [code @ ("38" | "48"), "5", n] => n
                .parse::<u8>()
                .ok()
                .filter(|n| *n < 16)
                .map(|n| short_colour(*code == "38", n)),
            _ => None,
        };
        match basic {
            Some(short) => pending.push(short),
            None => {
                if group[..] == ["0"] {
                    pending.clear();
                }
                pending.push(group.join(";"));
            }
        }
    }
}

/// The codes of one SGR sequence, each with its arguments (`38;5;n`, `48;2;r;g;b`); an empty
/// sequence is `0`. `None` when the bytes are not text.
fn sgr_groups(params: &[u8]) -> Option<Vec<Vec<&str>>> {
    let text = std::str::from_utf8(params).ok()?;
    let codes: Vec<&str> = if text.is_empty() {
        vec!["0"]
    } else {
        text.split(';').collect()
    };
    let mut groups = Vec::new();
    let mut k = 0;
    while k < codes.len() {
        // An extended colour keeps its arguments with it.
        let span = match (codes[k], codes.get(k + 1)) {
            ("38" | "48" | "58", Some(&"5")) => 3,
            ("38" | "48" | "58", Some(&"2")) => 5,
            _ => 1,
        };
        let end = (k + span).min(codes.len());
        groups.push(codes[k..end].to_vec());
        k = end;
    }
    Some(groups)
}

fn short_colour(foreground: bool, n: u8) -> String {
    let base = match (foreground, n < 8) {
        (true, true) => 30,
        (true, false) => 90,
        (false, true) => 40,
        (false, false) => 100,
    };
    (base + u32::from(n % 8)).to_string()
}

fn flush_sgr(out: &mut Vec<u8>, pending: &mut Vec<String>) {
    if pending.is_empty() {
        return;
    }
    out.extend_from_slice(b"\x1b[");
    out.extend_from_slice(pending.join(";").as_bytes());
    out.push(b'm');
    pending.clear();
}

#[cfg(test)]
mod tests;
