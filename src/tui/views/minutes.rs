//! Documents on screen as they will be exported: the minutes and the annual report, Markdown
//! wrapped by display width, scrollable.

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
    document(frame, area, app, &title, &app.minutes, app.minutes_scroll);
}

pub fn draw_report(frame: &mut Frame, area: Rect, app: &App) {
    let year = app.report_fiscal_year();
    let mut title = crate::report::year_label(year, app.lang);
    if app.report_compare {
        title.push_str(&format!(
            " | {}",
            crate::report::year_label(year - 1, app.lang)
        ));
    }
    let title = format!(
        "{} - {title}",
        tr(app.lang, "tab_report").trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
    );
    document(frame, area, app, &title, &app.report, app.report_scroll);
}

fn document(frame: &mut Frame, area: Rect, app: &App, title: &str, text: &str, scroll: usize) {
    let block = block(app, title, area.width, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines: Vec<Line> = text
        .lines()
        .skip(scroll)
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
