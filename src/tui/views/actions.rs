//! Next actions across meetings, grouped by agency, overdue first; done or dropped with one key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome::block;
use crate::store::ActionRow;
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
    // A heading opens each group of one agency's overdue or other actions. Where the selected
    // action stands among the lines is counted first, so that only the lines in view are built,
    // however many actions are open (thousands, after years of meetings).
    let mut selected_at = 0;
    let mut line = 0usize;
    let mut previous = None;
    for (n, (action, _, _)) in app.actions.iter().enumerate() {
        if previous != Some(group(action, today)) {
            previous = Some(group(action, today));
            line += 1;
        }
        if n == app.action_selected {
            selected_at = line;
        }
        line += 1;
    }
    let height = inner.height as usize;
    let skip = (selected_at + 1).saturating_sub(height);
    let in_view = |line: usize| line >= skip && line < skip + height;
    let mut shown: Vec<Line> = Vec::with_capacity(height);
    let mut line = 0usize;
    let mut previous = None;
    for (n, (action, body, meeting_date)) in app.actions.iter().enumerate() {
        if line >= skip + height {
            break;
        }
        let overdue = action.due.is_some_and(|d| d < today);
        if previous != Some(group(action, today)) {
            previous = Some(group(action, today));
            if in_view(line) {
                let heading = format!(
                    "-- {}{}",
                    if overdue {
                        format!("{}: ", tr(lang, "overdue_short"))
                    } else {
                        String::new()
                    },
                    action.agency.as_deref().unwrap_or("-")
                );
                shown.push(Line::from(Span::styled(
                    fit(&inert(&heading), w),
                    app.theme.title,
                )));
            }
            line += 1;
        }
        if !in_view(line) {
            line += 1;
            continue;
        }
        line += 1;
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
        shown.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The group an action is listed in: overdue or not, and its agency.
fn group(a: &ActionRow, today: chrono::NaiveDate) -> (bool, Option<&str>) {
    (a.due.is_some_and(|d| d < today), a.agency.as_deref())
}
