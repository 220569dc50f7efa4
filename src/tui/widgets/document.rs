//! A document on screen as it will be exported (the minutes, the annual report): Markdown
//! wrapped by display width and the rules of Japanese print (a date is never broken), headings
//! and tables told apart, scrolled a source line at a time.

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
}

impl Document {
    /// Scrolls for a movement key; false for any other action.
    pub fn steer(&mut self, action: Action) -> bool {
        let len = self.text.lines().count();
        match movement(action, len) {
            Some(delta) => {
                self.scroll = moved(self.scroll, delta, len);
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

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, title: &str) {
        let block = block(theme, title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        let lines: Vec<Line> = self
            .text
            .lines()
            .skip(self.scroll)
            .flat_map(|source| {
                let style = if source.starts_with('#') {
                    theme.title
                } else if source.starts_with('|') {
                    theme.muted
                } else {
                    theme.text
                };
                wrap(source, width)
                    .into_iter()
                    .map(move |l| Line::from(Span::styled(l, style)))
            })
            .take(inner.height as usize)
            .collect();
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
            scroll: 0,
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
}
