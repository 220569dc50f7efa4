//! What every screen shares: the tab bar, the status line, blocks, and the overlays (help, forms,
//! confirmations). Text is cut by display width here, never by ratatui's wrap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{actions, bodies, home, meeting, minutes};
use crate::domain::calendar::weekday_ja;
use crate::i18n::Lang;
use crate::text::{fit, inert, truncate, width, wrap};
use crate::tui::app::{App, Confirm, Overlay, Screen};
use crate::tui::form::{FieldKind, Form};
use crate::tui::words::tr;

/// Below this the app shows a notice instead of a screen.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;
/// At or above this the screens use their full, multi-pane layout.
pub const FULL_WIDTH: u16 = 80;
pub const FULL_HEIGHT: u16 = 20;

pub fn draw(frame: &mut Frame, app: &App) {
    let wide = crate::text::ambiguous() == crate::text::Ambiguous::Wide;
    if wide {
        let area = frame.area();
        super::wide::unwrite(frame.buffer_mut(), area);
    }
    draw_screen(frame, app);
    if wide {
        super::wide::settle(frame.buffer_mut());
    }
}

fn draw_screen(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app);
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    tabs(frame, top, app);
    match app.screen {
        Screen::Home => home::draw(frame, body, app),
        Screen::Bodies => bodies::draw(frame, body, app),
        Screen::Setup(_) => meeting::draw_setup(frame, body, app),
        Screen::Live(_) => meeting::draw_live(frame, body, app),
        Screen::Actions => actions::draw(frame, body, app),
        Screen::Minutes(_) => minutes::draw(frame, body, app),
        Screen::Report => minutes::draw_report(frame, body, app),
    }
    status_line(frame, bottom, app);
    match &app.overlay {
        Overlay::None | Overlay::Filter(_) => {}
        Overlay::Help => help(frame, area, app),
        Overlay::Form(form) => form_popup(frame, area, app, form),
        Overlay::Confirm(confirm) => confirm_popup(frame, area, app, *confirm),
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let text = format!(
        "{} ({}x{})",
        tr(app.lang, "too_small"),
        MIN_WIDTH,
        MIN_HEIGHT
    );
    let lines: Vec<Line> = wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A bordered block with the theme's border characters and a title cut to fit.
pub fn block<'a>(app: &App, title: &str, area_width: u16, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme.accent
    } else {
        app.theme.border
    };
    let title = truncate(&inert(title), area_width.saturating_sub(4) as usize);
    Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border_set())
        .border_style(style)
        .title(Span::styled(
            format!(" {title} "),
            if focused {
                app.theme.accent
            } else {
                app.theme.title
            },
        ))
}

/// A line of text cut to `cells` display cells.
pub fn cut<'a>(text: &str, cells: u16, style: Style) -> Span<'a> {
    Span::styled(truncate(&inert(text), cells as usize), style)
}

fn tabs(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let tabs = [
        ("tab_home", Screen::Home),
        ("tab_bodies", Screen::Bodies),
        ("tab_actions", Screen::Actions),
        ("tab_report", Screen::Report),
    ];
    let mut spans = vec![
        Span::styled(format!(" {} ", tr(lang, "app_name")), app.theme.header),
        Span::raw(" "),
    ];
    for (key, screen) in tabs {
        let current = app.screen == screen
            || (screen == Screen::Home && matches!(app.screen, Screen::Setup(_) | Screen::Live(_)));
        let style = if current {
            app.theme.accent
        } else {
            app.theme.muted
        };
        spans.push(Span::styled(tr(lang, key), style));
        spans.push(Span::raw("  "));
    }
    let date = app.today();
    let clock = match lang {
        Lang::Ja => format!(
            "{}({}) {} ",
            date.format("%Y-%m-%d"),
            weekday_ja(date),
            app.now.format("%H:%M")
        ),
        Lang::En => format!(
            "{} {} ",
            date.format("%a %Y-%m-%d"),
            app.now.format("%H:%M")
        ),
    };
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    if room >= width(&clock) {
        spans.push(Span::raw(" ".repeat(room - width(&clock))));
        spans.push(Span::styled(clock, app.theme.muted));
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

/// Drops what does not fit, so a narrow terminal never wraps the bar.
fn fit_spans(spans: Vec<Span<'static>>, cells: u16) -> Vec<Span<'static>> {
    let mut used = 0;
    let mut out = Vec::new();
    for span in spans {
        let w = width(&span.content);
        if used + w > cells as usize {
            let room = (cells as usize).saturating_sub(used);
            if room > 0 {
                out.push(Span::styled(truncate(&span.content, room), span.style));
            }
            break;
        }
        used += w;
        out.push(span);
    }
    out
}

fn status_line(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang;
    let line = if let Overlay::Filter(input) = &app.overlay {
        let typed = input.lines().join(" ");
        Line::from(vec![
            Span::styled(format!("/ {}: ", tr(lang, "filter")), app.theme.key),
            Span::styled(inert(&typed), app.theme.text),
            Span::styled("_", app.theme.accent),
        ])
    } else if let Some((is_error, message)) = &app.status {
        let style = if *is_error {
            app.theme.warning
        } else {
            app.theme.ok
        };
        Line::from(cut(message, area.width, style))
    } else {
        let hint = match app.screen {
            Screen::Setup(_) => tr(lang, "setup_hint"),
            Screen::Live(_) => tr(lang, "live_hint"),
            Screen::Minutes(_) => tr(lang, "minutes_hint"),
            Screen::Report => tr(lang, "report_hint"),
            _ => tr(lang, "help_hint"),
        };
        let mut spans = vec![cut(hint, area.width, app.theme.muted)];
        if !app.filter.is_empty() && matches!(app.screen, Screen::Home | Screen::Bodies) {
            spans.insert(
                0,
                Span::styled(format!("[/{}] ", inert(&app.filter)), app.theme.accent),
            );
        }
        Line::from(fit_spans(spans, area.width))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Clears the ground of a popup. One column more on each side: a double-width character cut by
/// the popup's edge would otherwise eat its border on a real terminal.
fn clear_popup(frame: &mut Frame, rect: Rect) {
    let outer = frame.area();
    let x = rect.x.saturating_sub(1).max(outer.x);
    let right = (rect.x + rect.width + 1).min(outer.x + outer.width);
    let cleared = Rect {
        x,
        y: rect.y,
        width: right - x,
        height: rect.height,
    };
    frame.render_widget(Clear, cleared);
    if crate::text::ambiguous() == crate::text::Ambiguous::Wide {
        super::wide::unwrite(frame.buffer_mut(), cleared);
    }
}

/// A rectangle of at most `w`×`h` cells in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn help(frame: &mut Frame, area: Rect, app: &App) {
    let bindings = app.keymap.help(app.screen.context());
    let rect = centered(area, 70, bindings.len() as u16 + 3);
    clear_popup(frame, rect);
    let block = block(app, tr(app.lang, "keys_title"), rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let key_width = 10u16.min(inner.width / 3);
    let mut seen = Vec::new();
    let mut lines = Vec::new();
    for b in bindings {
        if seen.contains(&(b.label.clone(), b.action)) {
            continue;
        }
        seen.push((b.label.clone(), b.action));
        lines.push(Line::from(vec![
            Span::styled(fit(&b.label, key_width as usize), app.theme.key),
            Span::raw(" "),
            cut(
                b.describe(app.lang),
                inner.width.saturating_sub(key_width + 1),
                app.theme.text,
            ),
        ]));
    }
    lines.push(Line::from(cut(
        tr(app.lang, "close_help"),
        inner.width,
        app.theme.muted,
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn confirm_popup(frame: &mut Frame, area: Rect, app: &App, confirm: Confirm) {
    let key = match confirm {
        Confirm::EndMeeting(_) => "confirm_end",
        Confirm::Resume(_) => "confirm_resume",
    };
    let rect = centered(area, 60, 7);
    clear_popup(frame, rect);
    let block = block(app, "renkei", rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines: Vec<Line> = wrap(tr(app.lang, key), inner.width as usize)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, app.theme.text)))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn form_popup(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let label_width = form
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(0)
        .min((area.width / 3) as usize) as u16;
    let suggestions = form
        .fields
        .get(form.focus)
        .map(|f| f.suggestions())
        .unwrap_or_default();
    let fields_height: u16 = form.fields.iter().map(|f| f.height()).sum();
    let height = fields_height + suggestions.len() as u16 + 4;
    let rect = centered(area, 76, height);
    clear_popup(frame, rect);
    let block = block(app, &form.title, rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (i, field) in form.fields.iter().enumerate() {
        let h = field.height().min(bottom.saturating_sub(y));
        if h == 0 {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused {
            app.theme.accent
        } else {
            app.theme.muted
        };
        let row = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: h,
        };
        let [label, value] =
            Layout::horizontal([Constraint::Length(label_width + 1), Constraint::Min(1)])
                .areas(row);
        frame.render_widget(
            Paragraph::new(cut(&field.label, label_width, label_style)),
            label,
        );
        match &field.kind {
            FieldKind::Text(area) | FieldKind::Agency { input: area, .. } => {
                if focused {
                    frame.render_widget(area, value);
                } else {
                    let text = area.lines().join(" ");
                    frame.render_widget(
                        Paragraph::new(cut(&text, value.width, app.theme.text)),
                        value,
                    );
                }
            }
            FieldKind::Choice { options, index } => {
                let chosen = options.get(*index).map(|(_, l)| l.as_str()).unwrap_or("");
                let style = if focused {
                    app.theme.selection
                } else {
                    app.theme.text
                };
                frame.render_widget(
                    Paragraph::new(cut(&format!("< {chosen} >"), value.width, style)),
                    value,
                );
            }
        }
        y += h;
        if focused {
            if let FieldKind::Agency { selected, .. } = &field.kind {
                for (n, s) in suggestions.iter().enumerate() {
                    if y >= bottom {
                        break;
                    }
                    let style = if Some(n) == *selected {
                        app.theme.selection
                    } else {
                        app.theme.muted
                    };
                    let r = Rect {
                        x: value.x,
                        y,
                        width: value.width,
                        height: 1,
                    };
                    frame.render_widget(Paragraph::new(cut(&format!("  {s}"), r.width, style)), r);
                    y += 1;
                }
            }
        }
    }
    let message = form.error.as_deref().map(|e| (e, app.theme.warning));
    let (text, style) = message.unwrap_or((tr(app.lang, "form_keys"), app.theme.muted));
    if inner.height > 0 {
        let r = Rect {
            x: inner.x,
            y: bottom - 1,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(Paragraph::new(cut(text, r.width, style)), r);
    }
}
