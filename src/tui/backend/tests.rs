//! The tests of the shorter frames: each rewrite checked byte for byte, and whole frames
//! through the emulator.
#![allow(clippy::unwrap_used)]

use super::*;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Default)]
struct Tape(Rc<RefCell<Vec<u8>>>);

impl Write for Tape {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A cell as a terminal shows it: the character and its colours and attributes.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    symbol: String,
    sgr: Vec<String>,
}

/// A small terminal: absolute and relative moves, SGR state (normalised: the basic colours in
/// both spellings, later codes of a kind replacing earlier ones), characters printed at the
/// cursor, which then moves by the character's width.
fn replay(bytes: &[u8], screen: &mut [Vec<Shown>]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let (mut row, mut col) = (0usize, 0usize);
    let mut state: std::collections::BTreeMap<&'static str, String> = Default::default();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            assert_eq!(chars.next(), Some('['));
            let mut params = String::new();
            let last = loop {
                let d = chars.next().unwrap();
                if ('\u{40}'..='\u{7e}').contains(&d) {
                    break d;
                }
                params.push(d);
            };
            match last {
                'H' => {
                    let (r, c) = params.split_once(';').unwrap();
                    row = r.parse::<usize>().unwrap() - 1;
                    col = c.parse::<usize>().unwrap() - 1;
                }
                'C' => col += params.parse::<usize>().unwrap_or(1),
                // Erase characters: blanks in the default colours (used only so).
                'X' => {
                    assert!(!state.contains_key("bg") && !state.contains_key("reverse"));
                    for cell in screen[row]
                        .iter_mut()
                        .skip(col)
                        .take(params.parse().unwrap())
                    {
                        *cell = Shown {
                            symbol: " ".to_owned(),
                            sgr: Vec::new(),
                        };
                    }
                }
                'm' => apply_sgr(&mut state, &params),
                _ => {}
            }
            continue;
        }
        let width = c.to_string().width();
        // A space shows only its background (and reverse video); nothing else of the pen.
        let sgr = state
            .iter()
            .filter(|(kind, _)| c != ' ' || matches!(**kind, "bg" | "reverse"))
            .map(|(_, v)| v.clone())
            .collect();
        screen[row][col] = Shown {
            symbol: c.to_string(),
            sgr,
        };
        for skip in 1..width {
            screen[row][col + skip].symbol = String::new();
        }
        col += width;
    }
}

fn apply_sgr(state: &mut std::collections::BTreeMap<&'static str, String>, params: &str) {
    let codes: Vec<&str> = params.split(';').collect();
    let mut k = 0;
    while k < codes.len() {
        let (kind, value, span) = match codes[k] {
            "0" | "" => {
                state.clear();
                k += 1;
                continue;
            }
            "38" | "48" | "58" if codes.get(k + 1) == Some(&"5") => {
                let kind = match codes[k] {
                    "38" => "fg",
                    "48" => "bg",
                    _ => "ul",
                };
                (kind, format!("c{}", codes[k + 2]), 3)
            }
            "39" => ("fg", "reset".to_owned(), 1),
            "49" => ("bg", "reset".to_owned(), 1),
            "59" => ("ul", "reset".to_owned(), 1),
            "22" => ("bold", "off".to_owned(), 1),
            "1" => ("bold", "on".to_owned(), 1),
            "7" => ("reverse", "on".to_owned(), 1),
            "27" => ("reverse", "off".to_owned(), 1),
            n => match n.parse::<u32>().unwrap() {
                v @ 30..=37 => ("fg", format!("c{}", v - 30), 1),
                v @ 90..=97 => ("fg", format!("c{}", v - 82), 1),
                v @ 40..=47 => ("bg", format!("c{}", v - 40), 1),
                v @ 100..=107 => ("bg", format!("c{}", v - 92), 1),
                other => panic!("unexpected SGR {other}"),
            },
        };
        match value.as_str() {
            "reset" | "off" => {
                state.remove(kind);
            }
            _ => {
                state.insert(kind, value);
            }
        }
        k += span;
    }
}

fn lines(texts: &[&str], accent: usize) -> Paragraph<'static> {
    let lines: Vec<Line> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let style = if i == accent {
                Style::default()
                    .fg(Color::Black)
                    .bg(Color::LightCyan)
                    .add_modifier(Modifier::BOLD)
            } else {
                Style::default().fg(Color::Gray)
            };
            Line::from(vec![
                Span::styled(if i == accent { "> " } else { "  " }, Style::default()),
                Span::styled(t.to_string(), style),
            ])
        })
        .collect();
    Paragraph::new(lines)
}

/// Draws two frames; the bytes of the second, and the screen after both.
fn run<B: Backend>(
    backend: B,
    tape: &Tape,
    frames: [(&[&str], usize); 2],
) -> (usize, Vec<Vec<Shown>>)
where
    B::Error: std::fmt::Debug,
{
    let area = Rect::new(0, 0, 30, 4);
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    let blank = Shown {
        symbol: " ".to_owned(),
        sgr: Vec::new(),
    };
    let mut screen = vec![vec![blank; 30]; 4];
    let mut sent = 0;
    for (texts, accent) in frames {
        tape.0.borrow_mut().clear();
        terminal
            .draw(|f| f.render_widget(lines(texts, accent), area))
            .unwrap();
        sent = tape.0.borrow().len();
        replay(&tape.0.borrow(), &mut screen);
    }
    (sent, screen)
}

#[test]
fn the_screen_is_the_same_from_fewer_bytes() {
    let texts: &[&str] = &[
        "支援会議 年3回程度",
        "コア会議 ※ 月1回",
        "a😀b 地域ケア会議（深川）",
        "e\u{301}tude ○ ｶﾀｶﾅ",
    ];
    let changed: &[&str] = &[
        "支援会議 年3回",
        "コア会議（深川） 月2回",
        "a😀c 地域包括支援",
        "e\u{301}tude ● ｶﾀｶﾅ",
    ];
    let plain_tape = Tape::default();
    let (plain_bytes, plain) = run(
        CrosstermBackend::new(plain_tape.clone()),
        &plain_tape,
        [(texts, 0), (changed, 1)],
    );
    let wire_tape = Tape::default();
    let (wire_bytes, wired) = run(
        CrosstermBackend::new(Wire::new(wire_tape.clone())),
        &wire_tape,
        [(texts, 0), (changed, 1)],
    );
    assert_eq!(wired, plain);
    assert_eq!(
        wired[1]
            .iter()
            .map(|c| c.symbol.as_str())
            .collect::<String>()
            .trim_end(),
        "> コア会議（深川） 月2回"
    );
    assert!(
        wire_bytes * 10 < plain_bytes * 7,
        "{wire_bytes} bytes against {plain_bytes}"
    );
}

#[test]
fn moves_are_kept_where_the_cursor_is_not_known() {
    // The first move of a frame, and the one after an ambiguous character, stay absolute.
    let frame = "\x1b[2;3H※\x1b[2;4Hx\x1b[2;5Hy\x1b[2;9Hz\x1b[?25l";
    assert_eq!(
        String::from_utf8(compact(frame.as_bytes())).unwrap(),
        "\x1b[2;3H※\x1b[2;4Hxy\x1b[3Cz\x1b[?25l"
    );
}

#[test]
fn colours_are_sent_short_and_once() {
    let frame = "\x1b[1m\x1b[38;5;6;49mA\x1b[22m\x1b[38;5;0;48;5;14mB\x1b[38;2;1;2;3mC\
                 \x1b[39m\x1b[49m\x1b[59m\x1b[0m";
    assert_eq!(
        String::from_utf8(compact(frame.as_bytes())).unwrap(),
        "\x1b[1;36;49mA\x1b[22;30;106mB\x1b[38;2;1;2;3mC\x1b[0m"
    );
}

#[test]
fn a_long_text_replaced_by_a_short_one_is_erased_to_the_same_screen() {
    let long: &[&str] = &[
        "地域自立支援協議会専門部会",
        "障害者支援課在宅生活相談係",
        "x",
        "",
    ];
    let short: &[&str] = &["部会", "各保健相談所", "x", "y"];
    let plain_tape = Tape::default();
    let (_, plain) = run(
        CrosstermBackend::new(plain_tape.clone()),
        &plain_tape,
        [(long, 1), (short, 1)],
    );
    let wire_tape = Tape::default();
    let (_, wired) = run(
        CrosstermBackend::new(Wire::new(wire_tape.clone())),
        &wire_tape,
        [(long, 1), (short, 1)],
    );
    assert_eq!(wired, plain);
    assert!(
        String::from_utf8(wire_tape.0.borrow().clone())
            .unwrap()
            .contains('X')
    );
}

#[test]
fn long_runs_of_plain_blanks_are_erased_not_written() {
    let compacted = |frame: &str| String::from_utf8(compact(frame.as_bytes())).unwrap();
    let blanks = " ".repeat(30);
    // Before a move the cursor need not follow the erase; before more text it must.
    assert_eq!(
        compacted(&format!("\x1b[3;5H\x1b[39;49mab{blanks}\x1b[4;1Hc")),
        "\x1b[3;5H\x1b[39;49mab\x1b[30X\x1b[4;1Hc"
    );
    assert_eq!(
        compacted(&format!("\x1b[3;5Hab{blanks}c")),
        "\x1b[3;5Hab\x1b[30X\x1b[30Cc"
    );
    // The next move is made from where the erase left the cursor.
    assert_eq!(
        compacted(&format!("\x1b[3;5Hab{blanks}\x1b[3;40Hc")),
        "\x1b[3;5Hab\x1b[30X\x1b[33Cc"
    );
    // Short runs stay spaces; so do blanks with a background, reverse video or underline.
    assert_eq!(compacted("\x1b[3;5Ha    b"), "\x1b[3;5Ha    b");
    for pen in ["48;5;6", "7", "4", "106"] {
        let frame = format!("\x1b[3;5H\x1b[{pen}m{blanks}\x1b[0m");
        assert!(compacted(&frame).contains(&blanks), "{pen}");
    }
    // After a reset, erasing is safe again.
    let frame = format!("\x1b[3;5H\x1b[7mx\x1b[0m{blanks}\x1b[4;1H");
    assert!(compacted(&frame).contains("\x1b[30X"));
}

#[test]
fn only_characters_of_agreed_width_are_followed() {
    assert_eq!(advance('a'), Some(1));
    assert_eq!(advance('会'), Some(2));
    assert_eq!(advance('（'), Some(2));
    assert_eq!(advance('ア'), Some(2));
    assert_eq!(advance('ｶ'), Some(1));
    assert_eq!(advance('※'), None);
    assert_eq!(advance('○'), None);
    assert_eq!(advance('😀'), None);
    assert_eq!(advance('\u{301}'), None);
}
