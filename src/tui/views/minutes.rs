//! The minutes as they will be exported: Markdown, wrapped by display width, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome::block;
use crate::text::wrap;
use crate::tui::app::{App, Screen};
use crate::tui::words::tr;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let Screen::Minutes(id) = app.screen else {
        return;
    };
    let mut title = format!("{} #{id}", tr(lang, "minutes_title"));
    if app.minutes_redact {
        title.push_str(&format!(" ({})", tr(lang, "redacted")));
    }
    let block = block(app, &title, area.width, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines: Vec<Line> = app
        .minutes
        .lines()
        .skip(app.minutes_scroll)
        .flat_map(|source| {
            let style = if source.starts_with('#') {
                app.theme.title
            } else if source.starts_with('|') {
                app.theme.muted
            } else {
                app.theme.text
            };
            wrap(source, width)
                .into_iter()
                .map(move |l| Line::from(Span::styled(l, style)))
        })
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
