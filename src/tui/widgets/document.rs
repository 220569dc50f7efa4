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

/// The text and how far it is scrolled (in source lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub scroll: usize,
    /// The last source line a full page can begin at, as last drawn: scrolling stops there, so
    /// that End shows the last page, not the last line alone on a blank one.
    last_start: Cell<Option<usize>>,
}

impl Document {
    /// Scrolls for a movement key; false for any other action.
    pub fn steer(&mut self, action: Action) -> bool {
        let len = self.text.lines().count();
        match movement(action, len) {
            Some(delta) => {
                self.scroll = self.shown_from(moved(self.scroll, delta, len));
                true
            }
            None => false,
        }
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
        let mut lines: Vec<Line> = Vec::with_capacity(height);
        for source in self.text.lines().skip(self.scroll.min(last)) {
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
            lines.extend(
                wrap(source, width)
                    .into_iter()
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
