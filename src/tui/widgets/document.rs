//! A document on screen as it will be exported (the minutes, the annual report): Markdown
//! wrapped by display width and the rules of Japanese print (a date is never broken), headings
//! and tables told apart, scrolled a source line at a time.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::block;
use super::kinsoku::wrap;
use super::list::{moved, movement};
use crate::keys::Action;
use crate::tui::theme::Theme;

/// The text and how far it is scrolled: the source line at the top, and how many of its rows
/// are above the page (a line taller than the page is scrolled a row at a time, so that every
/// row of a long note can be read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub scroll: usize,
    /// The rows of the line `scroll` above the page: none but in a line taller than the page
    /// (or the line just above what was searched for).
    row: Cell<usize>,
    /// The last source line a full page can begin at, as last drawn: scrolling stops there, so
    /// that End shows the last page, not the last line alone on a blank one.
    last_start: Cell<Option<usize>>,
    /// The width and height of the page as last drawn: how many rows a line wraps to.
    page: Cell<Option<(usize, usize)>>,
    /// The line `scroll` is the one before what was searched for: the next drawing shows the
    /// found line even when the one before it is taller than the page.
    reveal: Cell<bool>,
}

impl Document {
    /// Scrolls for a movement key; false for any other action.
    pub fn steer(&mut self, action: Action) -> bool {
        let len = self.text.lines().count();
        let Some(delta) = movement(action, len) else {
            return false;
        };
        self.reveal.set(false);
        match (action, self.page.get()) {
            (Action::Top, _) => self.scroll_to(0),
            (_, None) => {
                self.scroll = self.shown_from(moved(self.scroll, delta, len));
                self.row.set(0);
            }
            (Action::Bottom, Some((width, height))) => {
                self.scroll = self.shown_from(moved(self.scroll, delta, len));
                self.row.set(self.hidden_rows(self.scroll, width, height));
            }
            (_, Some((width, height))) => {
                self.scroll = self.shown_from(self.scroll);
                let page = matches!(action, Action::PageUp | Action::PageDown);
                let down = delta > 0;
                if page && self.hidden_rows(self.scroll, width, height) > 0 {
                    // Within a line taller than the page, a page turn is a page of its rows.
                    self.step(down, height.saturating_sub(1).max(1), width, height, len);
                } else {
                    for _ in 0..delta.unsigned_abs() {
                        let moved = self.step(down, 1, width, height, len);
                        if !moved || self.hidden_rows(self.scroll, width, height) > 0 {
                            break;
                        }
                    }
                }
            }
        }
        true
    }

    /// One step of `rows` rows within a line taller than the page, or one source line; false
    /// when the page cannot move that way.
    fn step(&mut self, down: bool, rows: usize, width: usize, height: usize, len: usize) -> bool {
        let row = self.row.get();
        if down {
            let hidden = self.hidden_rows(self.scroll, width, height);
            let last = self
                .last_start
                .get()
                .unwrap_or(len.saturating_sub(1))
                .min(len.saturating_sub(1));
            if row < hidden {
                self.row.set((row + rows).min(hidden));
            } else if self.scroll < last {
                self.scroll += 1;
                self.row.set(0);
            } else {
                return false;
            }
        } else if row > 0 {
            self.row.set(row.saturating_sub(rows));
        } else if self.scroll > 0 {
            self.scroll -= 1;
            // A line taller than the page above: its last page first, as a reader scrolling up
            // meets it.
            self.row.set(self.hidden_rows(self.scroll, width, height));
        } else {
            return false;
        }
        true
    }

    /// Shows source line `line` at the top of the page.
    pub fn scroll_to(&mut self, line: usize) {
        self.scroll = line;
        self.row.set(0);
        self.reveal.set(false);
    }

    /// Opens at the first line that holds `words`, below the line before it (as much of it as
    /// a third of the page holds); at the top when no line does.
    pub fn open_at(&mut self, words: &str) {
        let line = self.line_with(words).unwrap_or(0);
        self.scroll_to(line);
        let folded = words.trim().to_lowercase();
        let before_the_hit = self
            .text
            .lines()
            .nth(line)
            .is_some_and(|l| !folded.is_empty() && !l.to_lowercase().contains(&folded));
        self.reveal.set(before_the_hit);
    }

    /// The rows of source line `line` that a page of `height` rows cannot show with its first:
    /// none for a line that fits.
    fn hidden_rows(&self, line: usize, width: usize, height: usize) -> usize {
        self.text
            .lines()
            .nth(line)
            .map_or(0, |l| wrap(l, width).len().saturating_sub(height))
    }

    /// The first source line that holds `words` (Latin case ignored), the line before it when
    /// there is one, for a view that opens at what was searched for.
    pub fn line_with(&self, words: &str) -> Option<usize> {
        let words = words.trim().to_lowercase();
        if words.is_empty() {
            return None;
        }
        self.text
            .lines()
            .position(|l| l.to_lowercase().contains(&words))
            .map(|n| n.saturating_sub(1))
    }

    /// Where a page scrolled to `scroll` begins: never past the last full page.
    fn shown_from(&self, scroll: usize) -> usize {
        self.last_start
            .get()
            .map_or(scroll, |last| scroll.min(last))
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, title: &str) {
        let block = block(theme, title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        let height = inner.height as usize;
        self.page.set(Some((width, height)));
        // Only the lines a page shows are wrapped (and those of the last page, for where
        // scrolling stops): a city's annual report is tens of thousands of lines, all of which
        // were wrapped and held at every frame (minutes of CPU, tens of MB).
        let total = self.text.lines().count();
        // The first source line from which the rest fits on one page.
        let (mut rows, mut last) = (0, total);
        for source in self.text.lines().rev() {
            let n = wrap(source, width).len();
            if rows + n > height {
                break;
            }
            rows += n;
            last -= 1;
        }
        let last = last.min(total.saturating_sub(1));
        self.last_start.set(Some(last));
        let first = self.scroll.min(last);
        let mut lines: Vec<Line> = Vec::with_capacity(height);
        for (i, source) in self.text.lines().skip(first).enumerate() {
            if lines.len() >= height {
                break;
            }
            let style = if source.starts_with('#') {
                theme.title
            } else if source.starts_with('|') {
                theme.muted
            } else {
                theme.text
            };
            let room = height - lines.len();
            let wrapped = wrap(source, width);
            let above = if i == 0 {
                let n = wrapped.len();
                if self.reveal.take() {
                    // The line before the found one: as much of its end as a third of the page
                    // holds, so that the found line is in view however long this one is.
                    self.row.set(n.saturating_sub((height / 3).max(1)));
                }
                let above = self.row.get().min(n.saturating_sub(1));
                self.row.set(above);
                above
            } else {
                0
            };
            lines.extend(
                wrapped
                    .into_iter()
                    .skip(above)
                    .take(room)
                    .map(|l| Line::from(Span::styled(l, style))),
            );
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn it_scrolls_within_its_lines_and_wraps_japanese_by_width() {
        let mut doc = Document {
            text: "# 議事録\n\n江東区地域ケア会議の記録です\n| 表 |".to_owned(),
            ..Document::default()
        };
        doc.steer(Action::Bottom);
        assert_eq!(doc.scroll, 3);
        doc.steer(Action::Top);
        let mut terminal = Terminal::new(TestBackend::new(12, 7)).unwrap();
        terminal
            .draw(|f| doc.draw(f, f.area(), &Theme::mono(), "t"))
            .unwrap();
        let text = crate::tui::buffer_text(terminal.backend().buffer());
        assert!(text.contains("│江東区地域│"), "{text}");
        assert!(text.contains("│ケア会議の│"), "{text}");
        assert_eq!(doc.line_with("ケア会議"), Some(1));
        assert_eq!(doc.line_with("議事録"), Some(0));
        assert_eq!(doc.line_with("保護課"), None);
        assert_eq!(doc.line_with(" "), None);
    }

    /// A document whose second line wraps to far more rows than a page of 12x7 shows: tokens
    /// `t00`…`t59` to find on screen.
    fn tall() -> Document {
        let long: Vec<String> = (0..60).map(|n| format!("t{n:02}")).collect();
        Document {
            text: format!("# 議事録\n{}\n次の行\n最後", long.join(" ")),
            ..Document::default()
        }
    }

    fn shown(terminal: &mut Terminal<TestBackend>, doc: &Document) -> String {
        terminal
            .draw(|f| doc.draw(f, f.area(), &Theme::mono(), "t"))
            .unwrap();
        crate::tui::buffer_text(terminal.backend().buffer())
    }

    /// Attack report 12, finding 5: the document scrolled a source line at a time, so the rows
    /// of a line taller than the page below its first page were never shown (a note of 150
    /// characters at 40x12). Down, Up, PgDn and PgUp each show every row now, and End the last.
    /// (Seen failing before the fix: Down went from the first page of the long line to 次の行.)
    #[test]
    fn every_row_of_a_line_taller_than_the_page_can_be_read() {
        for (forward, back) in [
            (Action::Down, Action::Up),
            (Action::PageDown, Action::PageUp),
        ] {
            let mut doc = tall();
            let mut terminal = Terminal::new(TestBackend::new(12, 7)).unwrap();
            let mut seen = shown(&mut terminal, &doc);
            for _ in 0..200 {
                doc.steer(forward);
                seen.push_str(&shown(&mut terminal, &doc));
            }
            let last = shown(&mut terminal, &doc);
            assert!(last.contains("最後"), "{last}");
            let mut seen_back = String::new();
            for _ in 0..200 {
                doc.steer(back);
                seen_back.push_str(&shown(&mut terminal, &doc));
            }
            assert!(shown(&mut terminal, &doc).contains("議事録"));
            for n in 0..60 {
                let token = format!("t{n:02}");
                assert!(seen.contains(&token), "{forward:?}: {token} never shown");
                assert!(seen_back.contains(&token), "{back:?}: {token} never shown");
            }
        }
        let mut doc = tall();
        let mut terminal = Terminal::new(TestBackend::new(12, 7)).unwrap();
        shown(&mut terminal, &doc);
        doc.steer(Action::Bottom);
        let end = shown(&mut terminal, &doc);
        assert!(end.contains("最後"), "{end}");
        // Up from there: the long line's last page, not its first.
        doc.steer(Action::Up);
        let up = shown(&mut terminal, &doc);
        assert!(up.contains("t59") && !up.contains("t00"), "{up}");
    }

    /// Finding 5 too: a search opened the minutes on the line before the one found; when that
    /// line was taller than the page, the found one was below it, out of view.
    #[test]
    fn what_was_searched_for_is_in_view_below_a_tall_line() {
        let mut doc = tall();
        doc.text.push_str("\nここに語がある");
        let mut terminal = Terminal::new(TestBackend::new(12, 7)).unwrap();
        doc.open_at("ここに語");
        let page = shown(&mut terminal, &doc);
        assert!(page.contains("ここに語"), "{page}");
        // A short line before it is shown whole, as before.
        let mut doc = Document {
            text: "# 議事録\n前の行\nここに語\n後".to_owned(),
            ..Document::default()
        };
        doc.open_at("ここに語");
        let page = shown(&mut terminal, &doc);
        assert!(
            page.contains("前の行") && page.contains("ここに語"),
            "{page}"
        );
    }

    /// Attack report 20: End scrolled to the last source line, alone on a blank page. It shows
    /// the last full page, and Up from there moves at once.
    #[test]
    fn end_shows_the_last_full_page() {
        let text: Vec<String> = (1..=30).map(|n| format!("行{n}")).collect();
        let mut doc = Document {
            text: text.join("\n"),
            ..Document::default()
        };
        let mut terminal = Terminal::new(TestBackend::new(12, 7)).unwrap();
        let mut draw = |doc: &Document| {
            terminal
                .draw(|f| doc.draw(f, f.area(), &Theme::mono(), "t"))
                .unwrap();
            crate::tui::buffer_text(terminal.backend().buffer())
        };
        draw(&doc);
        doc.steer(Action::Bottom);
        let shown = draw(&doc);
        // Five rows inside the frame: lines 26 to 30.
        assert!(shown.contains("行26") && shown.contains("行30"), "{shown}");
        assert!(!shown.contains("行25"), "{shown}");
        doc.steer(Action::Up);
        let shown = draw(&doc);
        assert!(shown.contains("行25") && !shown.contains("行30"), "{shown}");
        // Drawn before any scrolling: End still stops at the last page.
        let mut fresh = Document {
            text: doc.text.clone(),
            ..Document::default()
        };
        fresh.steer(Action::Bottom);
        let shown = draw(&fresh);
        assert!(shown.contains("行26") && shown.contains("行30"), "{shown}");
    }
}
