//! Home: the upcoming meetings, scheduled and expected, grouped by date, body or frequency, with
//! the overdue ones first (marked, not only coloured).

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::chrome::{FULL_HEIGHT, FULL_WIDTH, block, cut};
use crate::domain::calendar::weekday_ja;
use crate::domain::schedule::Upcoming;
use crate::i18n::Lang;
use crate::text::{fit, width};
use crate::tui::app::{App, HomeRow};
use crate::tui::words::tr;
use crate::upcoming::{BodyRef, Entry, GroupBy};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let group = match app.group {
        GroupBy::Date => tr(lang, "grouped_by_date"),
        GroupBy::Body => tr(lang, "grouped_by_body"),
        GroupBy::Frequency => tr(lang, "grouped_by_frequency"),
    };
    let title = format!(
        "{} ({group})",
        tr(lang, "tab_home").trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ')
    );
    let detail_height = if area.height >= FULL_HEIGHT && area.width >= 50 {
        5
    } else {
        0
    };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(detail_height)]).areas(area);
    let block = block(app, &title, list_area.width, true);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    if app.home_rows.is_empty() {
        let lines: Vec<Line> =
            crate::text::wrap(tr(lang, "nothing_upcoming"), inner.width as usize)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, app.theme.muted)))
                .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let height = inner.height as usize;
    let offset = app.home_selected.saturating_sub(height.saturating_sub(2));
    let lines: Vec<Line> = app
        .home_rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| line(app, row, i == app.home_selected, inner.width))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    if detail_height > 0 {
        detail(frame, detail_area, app);
    }
}

fn when(e: &Entry, lang: Lang, wide: bool, today: NaiveDate) -> String {
    let day = |d: NaiveDate| match (lang, wide) {
        (Lang::Ja, true) => format!("{}({})", d.format("%m/%d"), weekday_ja(d)),
        (Lang::En, true) => d.format("%a %m/%d").to_string(),
        (_, false) => d.format("%m/%d").to_string(),
    };
    match &e.item {
        Upcoming::Scheduled { date, .. } => day(*date),
        Upcoming::Expected { window, .. } => {
            // A window outside this year, or across a new year, needs its years to be read right.
            let this_year = window.from.year() == today.year() && window.to.year() == today.year();
            let format = if this_year || !wide {
                "%m/%d"
            } else {
                "%y/%m/%d"
            };
            format!(
                "{}-{}",
                window.from.format(format),
                window.to.format(format)
            )
        }
    }
}

fn line<'a>(app: &App, row: &HomeRow, selected: bool, cells: u16) -> Line<'a> {
    let theme = &app.theme;
    let lang = app.lang;
    let wide = cells >= FULL_WIDTH - 2;
    let marker = if selected { "> " } else { "  " };
    let (body, when_text, kind, kind_style): (&BodyRef, String, &str, _) = match row {
        HomeRow::Heading(text) => {
            return Line::from(cut(&format!("-- {text}"), cells, theme.title));
        }
        HomeRow::Entry(i) => {
            let Some(e) = app.listing.entries.get(*i) else {
                return Line::default();
            };
            let (kind, style) = match e.item {
                Upcoming::Scheduled { .. } => (tr(lang, "kind_scheduled"), theme.text),
                Upcoming::Expected { overdue: true, .. } => {
                    (tr(lang, "kind_overdue"), theme.overdue)
                }
                Upcoming::Expected { .. } => (tr(lang, "kind_expected"), theme.muted),
            };
            (&e.body, when(e, lang, wide, app.today()), kind, style)
        }
        HomeRow::AdHoc(i) | HomeRow::Unknown(i) => {
            let list = if matches!(row, HomeRow::AdHoc(_)) {
                &app.listing.ad_hoc
            } else {
                &app.listing.unknown
            };
            let Some(b) = list.get(*i) else {
                return Line::default();
            };
            (b, String::new(), tr(lang, "kind_ad_hoc"), theme.muted)
        }
    };
    let when_width = if wide { 17 } else { 11 };
    let kind_width = 8.min(cells as usize / 5);
    let freq_width = if wide { 18 } else { 0 };
    let confidential = if body.personal_info {
        tr(lang, "confidential_mark")
    } else {
        ""
    };
    let fixed = 2 + when_width + 1 + kind_width + 1 + freq_width;
    let name_width = (cells as usize).saturating_sub(fixed + if wide { 1 } else { 0 });
    let name = if confidential.is_empty() || name_width < 20 {
        fit(&body.name, name_width)
    } else {
        let room = name_width - width(confidential) - 1;
        fit(
            &format!("{} {confidential}", crate::text::truncate(&body.name, room)),
            name_width,
        )
    };
    // The selection lights the date, not the name: moving it then rewrites a few one-byte
    // characters instead of two rows of Japanese text (the name stands in full in the detail
    // pane's title, and the marker stays beside it).
    let when_style = if selected {
        theme.selection
    } else {
        theme.text
    };
    let mut spans = vec![
        Span::styled(marker, theme.accent),
        Span::styled(fit(&when_text, when_width), when_style),
        Span::raw(" "),
        Span::styled(fit(kind, kind_width), kind_style),
        Span::raw(" "),
        Span::styled(crate::text::inert(&name), theme.text),
    ];
    if wide {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            fit(&crate::text::inert(&body.frequency.text), freq_width),
            theme.muted,
        ));
    }
    Line::from(spans)
}

fn detail(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let Some(body) = app.detail_body() else {
        return;
    };
    let r = &body.record;
    let block = block(app, &r.name, area.width, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let reading = match lang {
        Lang::Ja => crate::domain::frequency::parse(&r.frequency).describe_ja(),
        Lang::En => crate::domain::frequency::parse(&r.frequency).describe_en(),
    };
    let w = inner.width;
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("{}: ", tr(lang, "organiser")), app.theme.muted),
            cut(&r.organiser, w.saturating_sub(10), app.theme.text),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", tr(lang, "frequency")), app.theme.muted),
            cut(
                &format!("{}  ({reading})", r.frequency),
                w.saturating_sub(10),
                app.theme.text,
            ),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", tr(lang, "kind")), app.theme.muted),
            cut(
                &format!("{}  {}", r.kind, r.municipality),
                w.saturating_sub(10),
                app.theme.text,
            ),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
