//! The frame around the screens: the tab bar and the clock, the status line (a message, the
//! filter being typed, or the screen's hint), and what lies over the screen (help, a form, a
//! question); a notice instead when the terminal is too small. The top screen draws in between.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::App;
use super::screens::{Confirm, Overlay, TABS};
use super::widgets::{
    MIN_HEIGHT, MIN_WIDTH, block, centered, clear_popup, cut, fit_spans, form, kinsoku,
};
use super::words::tr;
use crate::domain::calendar::weekday_ja;
use crate::i18n::Lang;
use crate::text::{fit, inert, width, wrap};

pub fn draw(frame: &mut Frame, app: &App) {
    let wide = crate::text::ambiguous() == crate::text::Ambiguous::Wide;
    if wide {
        let area = frame.area();
        super::widgets::wide::unwrite(frame.buffer_mut(), area);
    }
    draw_screen(frame, app);
    if wide {
        super::widgets::wide::settle(frame.buffer_mut());
    }
}

fn draw_screen(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app);
        return;
    }
    // The status message wrapped once for the frame: its rows size the foot and are drawn.
    let message = message_rows(app, area.width);
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message.as_ref().map_or(1, |rows| rows.len().max(1) as u16)),
    ])
    .areas(area);
    tabs(frame, top, app);
    if let Some(screen) = app.top() {
        screen.draw(frame, body, &app.ctx);
    }
    status_line(frame, bottom, app, message.as_deref());
    if let Some(f) = app.waiting_form() {
        form::draw(frame, area, f, &app.ctx.theme, app.ctx.lang);
    }
    match &app.ctx.overlay {
        Overlay::None | Overlay::Filter(_) => {}
        Overlay::Help(at) => help(frame, area, app, *at),
        Overlay::Form(f) => form::draw(frame, area, f, &app.ctx.theme, app.ctx.lang),
        Overlay::Confirm(confirm) => confirm_popup(frame, area, app, confirm),
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let text = format!(
        "{} ({}x{})",
        tr(app.ctx.lang, "too_small"),
        MIN_WIDTH,
        MIN_HEIGHT
    );
    let lines: Vec<Line> = wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Narrower than this, the tab bar gives the tabs their short names and keeps the clock.
const COMPACT_TABS: u16 = 80;

fn tabs(frame: &mut Frame, area: Rect, app: &App) {
    let ctx = &app.ctx;
    let lang = ctx.lang;
    let compact = area.width < COMPACT_TABS;
    let mut spans = Vec::new();
    if !compact {
        spans.push(Span::styled(
            format!(" {} ", tr(lang, "app_name")),
            ctx.theme.header,
        ));
        spans.push(Span::raw(" "));
    }
    let lit = app.screen().tab();
    for (screen, key, short) in TABS {
        let current = lit == Some(screen);
        let style = if current {
            ctx.theme.accent
        } else {
            ctx.theme.muted
        };
        let (word, gap) = if compact {
            (tr(lang, short), " ")
        } else {
            (tr(lang, key), "  ")
        };
        spans.push(Span::styled(word, style));
        spans.push(Span::raw(gap));
    }
    let date = ctx.today();
    let time = ctx.now.format("%H:%M");
    // The clock is never cut: narrow, the date is shortened before it goes.
    let clocks = match lang {
        Lang::Ja => [
            format!("{}({}) {time} ", date.format("%Y-%m-%d"), weekday_ja(date)),
            format!("{}({}) {time}", date.format("%m/%d"), weekday_ja(date)),
            time.to_string(),
        ],
        Lang::En => [
            format!("{} {time} ", date.format("%a %Y-%m-%d")),
            format!("{} {time}", date.format("%a %m/%d")),
            time.to_string(),
        ],
    };
    let mut used: usize = spans.iter().map(|s| width(&s.content)).sum();
    // Five tabs and the clock fill 80 columns: the app's name gives way to the clock where
    // that makes it fit (narrower, the clock goes and the name stays).
    let name: usize = spans.iter().take(2).map(|s| width(&s.content)).sum();
    let clock_width = width(&clocks[0]);
    if used + clock_width > area.width as usize && used - name + clock_width <= area.width as usize
    {
        spans.drain(..2);
        used -= name;
    }
    let room = (area.width as usize).saturating_sub(used);
    if let Some(clock) = clocks.into_iter().find(|c| width(c) <= room) {
        spans.push(Span::raw(" ".repeat(room - width(&clock))));
        spans.push(Span::styled(clock, ctx.theme.muted));
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

/// The most rows a message takes at the foot of the screen.
const STATUS_ROWS: usize = 3;

/// The status message in rows of `width` cells, at most [`STATUS_ROWS`] (what does not fit
/// joined on the last, which the drawing marks cut), when one is shown — an export's error was
/// cut at the edge before its reason (`…書き出せません（フォルダ..`, attack12 finding 9).
fn message_rows(app: &App, width: u16) -> Option<Vec<String>> {
    let (_, message) = app.ctx.status.as_ref()?;
    if matches!(app.ctx.overlay, Overlay::Filter(_)) {
        return None;
    }
    let mut rows = kinsoku::wrap(message, usize::from(width));
    if rows.len() > STATUS_ROWS {
        let rest = rows.split_off(STATUS_ROWS - 1).concat();
        rows.push(rest);
    }
    Some(rows)
}

fn status_line(frame: &mut Frame, area: Rect, app: &App, message: Option<&[String]>) {
    let ctx = &app.ctx;
    let lang = ctx.lang;
    let line = if let Overlay::Filter(input) = &ctx.overlay {
        // The search screen's line is its query; every other list's, its filter.
        let searching = app
            .top()
            .is_some_and(|s| s.id() == super::screens::ScreenId::Search);
        let label = tr(lang, if searching { "search_line" } else { "filter" });
        // The cursor where it is (C-a, ←): the character under it marked, `_` past the end.
        let cursor = input.cursor();
        let (row, col) = (cursor.0, cursor.1);
        let lines = input.lines();
        let at: usize = lines[..row.min(lines.len())]
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum::<usize>()
            + col;
        let typed = inert(&lines.join(" "));
        let before: String = typed.chars().take(at).collect();
        let mut rest = typed.chars().skip(at);
        let (under, after) = match rest.next() {
            Some(c) => (
                Span::styled(
                    c.to_string(),
                    ctx.theme
                        .accent
                        .add_modifier(ratatui::style::Modifier::REVERSED),
                ),
                rest.collect::<String>(),
            ),
            None => (Span::styled("_", ctx.theme.accent), String::new()),
        };
        Line::from(vec![
            Span::styled(format!("/ {label}: "), ctx.theme.key),
            Span::styled(before, ctx.theme.text),
            under,
            Span::styled(after, ctx.theme.text),
        ])
    } else if let (Some((is_error, _)), Some(rows)) = (&ctx.status, message) {
        let style = if *is_error {
            ctx.theme.warning
        } else {
            ctx.theme.ok
        };
        let lines: Vec<Line> = rows
            .iter()
            .map(|l| Line::from(cut(l, area.width, style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    } else {
        let top = app.top();
        let hint = tr(lang, top.map_or("help_hint", |s| s.hint()));
        let mut spans = vec![cut(hint, area.width, ctx.theme.muted)];
        if !ctx.filter.is_empty() {
            spans.insert(
                0,
                Span::styled(format!("[/{}] ", inert(&ctx.filter)), ctx.theme.accent),
            );
        }
        Line::from(fit_spans(spans, area.width))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The widest the key help is drawn.
const HELP_WIDTH: u16 = 70;

/// Every key of the screen, as many as fit, scrolled from line `at` (j/k, PageDown/PageUp); the
/// last line says where the view is and how to scroll and close it.
fn help(frame: &mut Frame, area: Rect, app: &App, at: usize) {
    let ctx = &app.ctx;
    // As wide as before (the screen under it still seen at its sides, its tabs and selection); a
    // description longer than its room goes on under itself, never cut (they were, at 57
    // cells: 過去の記録を検索（メモ・決定・対応・事例、1〜2文字も） lost its end).
    let wide = area.width.min(HELP_WIDTH);
    let inner_width = wide.saturating_sub(2);
    let key_width = 10u16.min(inner_width / 3);
    let room = usize::from(inner_width.saturating_sub(key_width + 1));
    let mut all: Vec<Line> = Vec::new();
    for (key, what) in app.help_lines() {
        for (n, part) in kinsoku::wrap(&what, room).into_iter().enumerate() {
            let key = if n == 0 { key.as_str() } else { "" };
            all.push(Line::from(vec![
                Span::styled(fit(key, usize::from(key_width)), ctx.theme.key),
                Span::raw(" "),
                Span::styled(part, ctx.theme.text),
            ]));
        }
    }
    let rect = centered(area, wide, all.len() as u16 + 3);
    clear_popup(frame, rect);
    let block = block(&ctx.theme, tr(ctx.lang, "keys_title"), rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let rows = (inner.height as usize).saturating_sub(1);
    ctx.help_rows.set(rows);
    ctx.help_len.set(all.len());
    let total = all.len();
    let at = at.min(total.saturating_sub(rows));
    let mut shown: Vec<Line> = all.into_iter().skip(at).take(rows).collect();
    while shown.len() < rows {
        shown.push(Line::default());
    }
    let end = (at + rows).min(total);
    let place = format!("{}-{end}/{total} ", at + 1);
    let close = if total > rows {
        tr(ctx.lang, "help_scroll")
    } else {
        tr(ctx.lang, "close_help")
    };
    shown.push(Line::from(vec![
        Span::styled(place, ctx.theme.accent),
        cut(close, inner.width, ctx.theme.muted),
    ]));
    frame.render_widget(Paragraph::new(fit_lines(shown, inner.width)), inner);
}

/// Lines cut to `cells`, so a narrow help never wraps.
fn fit_lines(lines: Vec<Line<'static>>, cells: u16) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|l| Line::from(fit_spans(l.spans, cells)))
        .collect()
}

/// A question (with what it is about in its `{subject}`), and under it what must be seen before
/// answering (each line wrapped, as many as the screen holds; the question itself is never cut).
fn confirm_popup(frame: &mut Frame, area: Rect, app: &App, confirm: &Confirm) {
    let ctx = &app.ctx;
    let wide = if confirm.detail.is_empty() { 60 } else { 76 };
    // The popup's inner width, as `centered` will make it.
    let inner_width = (area.width.min(wide).saturating_sub(2)).max(1) as usize;
    let asked = tr(ctx.lang, confirm.question).replace(
        "{subject}",
        &inert(confirm.subject.as_deref().unwrap_or("")),
    );
    let question = kinsoku::wrap(&asked, inner_width);
    let detail: Vec<String> = confirm
        .detail
        .iter()
        .flat_map(|line| wrap(&inert(line), inner_width))
        .collect();
    let wanted = question.len() + detail.len() + usize::from(!detail.is_empty());
    let height = (wanted as u16 + 2).max(7);
    let rect = centered(area, wide, height);
    clear_popup(frame, rect);
    let block = block(&ctx.theme, "renkei", rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let room = (inner.height as usize).saturating_sub(question.len() + 1);
    let shown = if detail.len() > room {
        room.saturating_sub(1)
    } else {
        detail.len()
    };
    let mut lines: Vec<Line> = detail
        .iter()
        .take(shown)
        .map(|l| Line::from(Span::styled(l.clone(), ctx.theme.warning)))
        .collect();
    if shown < detail.len() && room > 0 {
        let more = tr(ctx.lang, "more_lines").replace("{n}", &(detail.len() - shown).to_string());
        lines.push(Line::from(Span::styled(more, ctx.theme.muted)));
    }
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    lines.extend(
        question
            .into_iter()
            .map(|l| Line::from(Span::styled(l, ctx.theme.text))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}
