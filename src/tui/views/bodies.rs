//! Bodies: the registry with a detail pane (organiser, members, topics, frequency and its reading,
//! personal information, parent and reporting bodies, last and next meeting).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome::{FULL_WIDTH, block};
use crate::domain::frequency;
use crate::i18n::Lang;
use crate::store::StoredBody;
use crate::text::{fit, inert, wrap};
use crate::tui::app::App;
use crate::tui::words::tr;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (list_area, detail_area) = if area.width >= FULL_WIDTH {
        let [l, d] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(area);
        (l, d)
    } else {
        let [l, d] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (l, d)
    };
    list(frame, list_area, app);
    detail(frame, detail_area, app);
}

fn list(frame: &mut Frame, area: Rect, app: &App) {
    let title =
        tr(app.lang, "tab_bodies").trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let block = block(
        app,
        &format!("{title} ({})", app.body_rows.len()),
        area.width,
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    // The list turns a page at a time (keeping one row of the page before), not a line: it is
    // a pane beside the details, which a terminal cannot scroll alone, so a line-by-line scroll
    // would send the whole pane again at every key down its length.
    let page = height.saturating_sub(1).max(1);
    let offset = app.body_selected / page * page;
    let lines: Vec<Line> = app
        .body_rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(row, &i)| {
            let b = app.bodies.get(i)?;
            let selected = row == app.body_selected;
            let marker = if selected { "> " } else { "  " };
            let shared = if b.record.personal_info { "*" } else { " " };
            let style = if selected {
                app.theme.selection
            } else {
                app.theme.text
            };
            let name_width = (inner.width as usize).saturating_sub(3);
            Some(Line::from(vec![
                Span::styled(marker, app.theme.accent),
                Span::styled(shared, app.theme.confidential),
                Span::styled(fit(&inert(&b.record.name), name_width), style),
            ]))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn detail(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let Some(body) = app.detail_body() else {
        let block = block(app, "", area.width, false);
        frame.render_widget(block, area);
        return;
    };
    let r = &body.record;
    let block = block(app, &r.name, area.width, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut field = |label: &'static str, value: &str| {
        lines.push(Line::from(Span::styled(tr(lang, label), app.theme.muted)));
        for l in wrap(
            if value.is_empty() { "-" } else { value },
            w.saturating_sub(2),
        ) {
            lines.push(Line::from(Span::styled(format!("  {l}"), app.theme.text)));
        }
    };
    let freq = frequency::parse(&r.frequency);
    let reading = match lang {
        Lang::Ja => freq.describe_ja(),
        Lang::En => freq.describe_en(),
    };
    field("organiser", &r.organiser);
    field(
        "kind",
        &format!("{}  {}  {}", r.kind, r.tier, r.municipality),
    );
    field("frequency", &format!("{}  ->  {reading}", r.frequency));
    field(
        "personal_info",
        if r.personal_info {
            tr(lang, "shared")
        } else {
            tr(lang, "not_shared")
        },
    );
    field("parent", r.parent.as_deref().unwrap_or(tr(lang, "none")));
    field("children", &children(app, body));
    let (last, next) = meetings_around(app, body);
    field("last_meeting", &last);
    field("next_meeting", &next);
    field("expected_size", &r.expected_size);
    field("members", &r.members.join(tr(lang, "list_separator")));
    field("topics", &r.topics);
    let height = inner.height as usize;
    let shown: Vec<Line> = lines.into_iter().take(height).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn children(app: &App, body: &StoredBody) -> String {
    let names: Vec<&str> = app
        .bodies
        .iter()
        .filter(|b| b.parent_id == Some(body.id))
        .map(|b| b.record.name.as_str())
        .collect();
    if names.is_empty() {
        tr(app.lang, "none").to_owned()
    } else {
        names.join(tr(app.lang, "list_separator"))
    }
}

/// The last held and the next planned meeting of a body, from the upcoming listing's knowledge.
fn meetings_around(app: &App, body: &StoredBody) -> (String, String) {
    let next = app
        .listing
        .entries
        .iter()
        .filter(|e| e.body.id == body.id)
        .find_map(|e| match e.item {
            crate::domain::schedule::Upcoming::Scheduled { date, .. } => {
                Some(date.format("%Y-%m-%d").to_string())
            }
            _ => None,
        })
        .unwrap_or_else(|| tr(app.lang, "none").to_owned());
    let last = body
        .last_held
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| tr(app.lang, "none").to_owned());
    (last, next)
}
