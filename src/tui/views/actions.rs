//! Next actions across meetings, grouped by agency, overdue first; done or dropped with one key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome::block;
use crate::text::{fit, inert};
use crate::tui::app::App;
use crate::tui::words::tr;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let title =
        tr(lang, "tab_actions").trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let block = block(
        app,
        &format!("{title} ({})", app.actions.len()),
        area.width,
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.actions.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(tr(lang, "no_open_actions"), app.theme.muted)),
            inner,
        );
        return;
    }
    let today = app.today();
    let w = inner.width as usize;
    let wide = w >= 70;
    let mut lines: Vec<(Line, bool)> = Vec::new();
    let mut agency: Option<Option<String>> = None;
    let mut overdue_group: Option<bool> = None;
    for (n, (action, body, meeting_date)) in app.actions.iter().enumerate() {
        let overdue = action.due.is_some_and(|d| d < today);
        if overdue_group != Some(overdue) || agency.as_ref() != Some(&action.agency) {
            let heading = format!(
                "-- {}{}",
                if overdue {
                    format!("{}: ", tr(lang, "overdue_short"))
                } else {
                    String::new()
                },
                action.agency.as_deref().unwrap_or("-")
            );
            lines.push((
                Line::from(Span::styled(fit(&inert(&heading), w), app.theme.title)),
                false,
            ));
            agency = Some(action.agency.clone());
            overdue_group = Some(overdue);
        }
        let selected = n == app.action_selected;
        let due = action
            .due
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "-".to_owned());
        let mark = if overdue { "!" } else { " " };
        let style = if selected {
            app.theme.selection
        } else if overdue {
            app.theme.overdue
        } else {
            app.theme.text
        };
        let from = format!("{} {}", meeting_date.format("%m/%d"), body);
        let text_width = if wide {
            w.saturating_sub(2 + 11 + 1 + 1 + 24)
        } else {
            w.saturating_sub(2 + 11 + 1 + 1)
        };
        let mut spans = vec![
            Span::styled(if selected { "> " } else { "  " }, app.theme.accent),
            Span::styled(
                format!("{due:<10}"),
                if overdue {
                    app.theme.overdue
                } else {
                    app.theme.muted
                },
            ),
            Span::styled(mark, app.theme.overdue),
            Span::raw(" "),
            Span::styled(fit(&inert(&action.text), text_width), style),
        ];
        if wide {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(fit(&inert(&from), 23), app.theme.muted));
        }
        lines.push((Line::from(spans), selected));
    }
    let height = inner.height as usize;
    let selected_at = lines.iter().position(|(_, s)| *s).unwrap_or(0);
    let skip = (selected_at + 1).saturating_sub(height);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(skip)
        .take(height)
        .map(|(l, _)| l)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
