//! Drawing a meeting: the header, the confidentiality banner, live the clock line (the current
//! item's elapsed time against its plan, the estimated end, who holds the chair and who else is
//! here), and the panes — side by side at full size, one at a time with tabs below it. Clocks
//! are derived from the stored timestamps, so a restarted renkei shows the same times.

use chrono::{DateTime, Duration, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Meeting, Pane, Stage};
use crate::domain::calendar::format_wareki;
use crate::domain::model::{ActionStatus, Attendance, EntryKind};
use crate::i18n::Lang;
use crate::store::LiveMeeting;
use crate::store::capture::Entity;
use crate::text::{fit, inert, truncate, width, wrap};
use crate::tui::screens::Ctx;
use crate::tui::theme::Theme;
use crate::tui::widgets::list::draw_rows;
use crate::tui::widgets::{FULL_HEIGHT, FULL_WIDTH, block, cut, fit_spans};
use crate::tui::words::tr;

pub(super) fn draw(screen: &Meeting, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let live = screen.stage == Stage::Live;
    let Some(m) = &screen.meeting else { return };
    let banner = if m.confidential { 1 } else { 0 };
    let clock = if live { 1 } else { 0 };
    let [head, banner_area, clock_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner),
        Constraint::Length(clock),
        Constraint::Min(3),
    ])
    .areas(area);
    header(frame, head, ctx, m);
    if m.confidential {
        frame.render_widget(
            Paragraph::new(cut(
                tr(ctx.lang, "confidential_banner"),
                banner_area.width,
                ctx.theme.confidential,
            )),
            banner_area,
        );
    }
    if live {
        clock_line(frame, clock_area, screen, ctx, m);
    }
    if body.width >= FULL_WIDTH && body.height >= FULL_HEIGHT - 6 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        let agenda_height = (m.items.len() as u16 + 2).clamp(4, left.height / 2);
        let [agenda_area, captures_area] =
            Layout::vertical([Constraint::Length(agenda_height), Constraint::Min(3)]).areas(left);
        agenda(frame, agenda_area, screen, ctx, m);
        if live {
            captures(frame, captures_area, screen, ctx, m);
        } else {
            carried(frame, captures_area, screen, ctx);
        }
        attendees(frame, right, screen, ctx, m);
    } else {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        pane_tabs(frame, tabs, screen, ctx);
        match screen.pane {
            Pane::Agenda => agenda(frame, pane, screen, ctx, m),
            Pane::Attendees => attendees(frame, pane, screen, ctx, m),
            Pane::Captures if live => captures(frame, pane, screen, ctx, m),
            Pane::Captures => carried(frame, pane, screen, ctx),
        }
    }
}

fn header(frame: &mut Frame, area: Rect, ctx: &Ctx, m: &LiveMeeting) {
    let date = match (ctx.prefs.date_style, ctx.lang) {
        (Some(style), lang) => style.format(m.date, lang),
        (None, Lang::Ja) => format_wareki(m.date),
        (None, Lang::En) => m.date.format("%a %Y-%m-%d").to_string(),
    };
    let time = match (&m.start, &m.end) {
        (Some(s), Some(e)) => format!("{s}-{e}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    let mut spans = vec![
        Span::styled(inert(&m.body), ctx.theme.title),
        Span::raw("  "),
    ];
    // The case the captures go to (P: the meeting's cases).
    if let Some(case) = &m.case_now {
        spans.push(Span::styled(
            format!("[{} {}] ", tr(ctx.lang, "field_case"), inert(case)),
            ctx.theme.accent,
        ));
    }
    spans.push(Span::styled(format!("{date} {time}"), ctx.theme.text));
    if !m.place.is_empty() {
        spans.push(Span::styled(
            format!("  {}", inert(&m.place)),
            ctx.theme.muted,
        ));
    }
    if m.confidential {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            tr(ctx.lang, "confidential_mark"),
            ctx.theme.confidential,
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

fn minutes_between(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Duration {
    (to - from).max(Duration::zero())
}

fn mmss(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

fn clock_line(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let lang = ctx.lang;
    let now = ctx.now;
    let mut spans: Vec<Span<'static>> = Vec::new();
    if !m.is_live() {
        let key = if m.ended_at.is_some() {
            "kind_held"
        } else {
            "not_started"
        };
        spans.push(Span::styled(tr(lang, key), ctx.theme.muted));
    } else if let Some(item) = m.current() {
        let elapsed = item
            .started_at
            .map(|s| minutes_between(s, now))
            .unwrap_or_else(Duration::zero);
        let planned = item.planned_min.map(|p| Duration::minutes(p as i64));
        let over = planned.is_some_and(|p| elapsed > p);
        spans.push(Span::styled(
            format!("{} ", tr(lang, "kind_live")),
            ctx.theme.warning,
        ));
        spans.push(Span::styled(inert(&item.title), ctx.theme.accent));
        spans.push(Span::styled(
            format!("  {} {}", tr(lang, "elapsed"), mmss(elapsed)),
            if over {
                ctx.theme.overdue
            } else {
                ctx.theme.text
            },
        ));
        if let Some(p) = item.planned_min {
            spans.push(Span::styled(
                format!(" / {p}{}", tr(lang, "minutes_unit")),
                ctx.theme.muted,
            ));
        }
        if over {
            spans.push(Span::styled(" !", ctx.theme.overdue));
        }
        let remaining_current = planned
            .map(|p| (p - elapsed).max(Duration::zero()))
            .unwrap_or_else(Duration::zero);
        let after: i64 = m
            .items
            .iter()
            .skip_while(|i| Some(i.id) != m.current_item)
            .skip(1)
            .filter_map(|i| i.planned_min)
            .map(i64::from)
            .sum();
        let end = now + remaining_current + Duration::minutes(after);
        spans.push(Span::styled(
            format!("  {} {}", tr(lang, "estimated_end"), end.format("%H:%M")),
            ctx.theme.muted,
        ));
    }
    if !screen.chair.is_empty() {
        let style = if screen.chair == screen.me {
            ctx.theme.accent
        } else {
            ctx.theme.due_soon
        };
        spans.push(Span::styled(
            format!("  {}:{}", tr(lang, "chair"), inert(&screen.chair)),
            style,
        ));
    }
    if !screen.present.is_empty() {
        let others = screen
            .present
            .iter()
            .map(|p| inert(p))
            .collect::<Vec<_>>()
            .join(",");
        spans.push(Span::styled(
            format!("  {}:{others}", tr(lang, "also_here")),
            ctx.theme.muted,
        ));
    }
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

fn pane_tabs(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx) {
    let panes = [
        (Pane::Agenda, "agenda"),
        (Pane::Attendees, "attendees"),
        (Pane::Captures, "captures"),
    ];
    let spans: Vec<Span<'static>> = panes
        .iter()
        .flat_map(|(pane, key)| {
            let style = if *pane == screen.pane {
                ctx.theme.selection
            } else {
                ctx.theme.muted
            };
            [
                Span::styled(format!(" {} ", tr(ctx.lang, key)), style),
                Span::raw(" "),
            ]
        })
        .collect();
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

fn agenda(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let focused = screen.pane == Pane::Agenda;
    let block = block(&ctx.theme, tr(ctx.lang, "agenda"), area.width, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let unit = tr(ctx.lang, "minutes_unit");
    let rows: Vec<(Vec<Line<'static>>, bool)> = m
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let selected = focused && n == screen.selected[0];
            let current = Some(item.id) == m.current_item;
            let state = if current {
                ">"
            } else if item.ended_at.is_some() {
                "v"
            } else {
                " "
            };
            let planned = item
                .planned_min
                .map(|p| format!("{p}{unit}"))
                .unwrap_or_default();
            let actual = match (item.started_at, item.ended_at) {
                (Some(s), Some(e)) => format!("({}{unit})", minutes_between(s, e).num_minutes()),
                _ => String::new(),
            };
            let times = format!("{planned}{actual}");
            let title_width = (inner.width as usize).saturating_sub(5 + width(&times) + 1);
            let style = if selected {
                ctx.theme.selection
            } else if current {
                ctx.theme.accent
            } else if item.ended_at.is_some() {
                ctx.theme.muted
            } else {
                ctx.theme.text
            };
            let line = Line::from(vec![
                Span::styled(format!("{state}{:>2}. ", n + 1), ctx.theme.accent),
                Span::styled(fit(&inert(&item.title), title_width), style),
                Span::raw(" "),
                Span::styled(times, ctx.theme.muted),
            ]);
            (vec![line], selected)
        })
        .collect();
    draw_rows(frame, inner, rows, false);
}

fn attendance_label(a: Attendance, lang: Lang) -> String {
    match lang {
        Lang::Ja => a.label_ja().to_owned(),
        Lang::En => a.short_en().to_owned(),
    }
}

fn attendees(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let focused = screen.pane == Pane::Attendees;
    let present = m
        .attendees
        .iter()
        .filter(|a| a.attendance != Attendance::Absent)
        .count();
    let title = format!(
        "{} {present}/{}",
        tr(ctx.lang, "attendees"),
        m.attendees.len()
    );
    let block = block(&ctx.theme, &title, area.width, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let rows = m
        .attendees
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let selected = focused && n == screen.selected[1];
            let role = match ctx.lang {
                Lang::Ja => a.role.short_ja().to_owned(),
                Lang::En => truncate(a.role.code(), 6),
            };
            let attendance = attendance_label(a.attendance, ctx.lang);
            let style = if selected {
                ctx.theme.selection
            } else if a.attendance == Attendance::Absent {
                ctx.theme.muted
            } else {
                ctx.theme.text
            };
            let who = format!("{} {}", a.agency.as_deref().unwrap_or(""), a.name);
            let room = w.saturating_sub(2 + 7 + 1 + 5);
            // When agency and name do not fit on one line, the name goes on a second.
            let two_lines = width(who.trim()) > room && !a.name.is_empty();
            let first_text = if two_lines {
                a.agency.clone().unwrap_or_default()
            } else {
                who.trim().to_owned()
            };
            let mut lines = vec![Line::from(vec![
                Span::styled(if selected { "> " } else { "  " }, ctx.theme.accent),
                Span::styled(fit(&role, 7), ctx.theme.muted),
                Span::styled(fit(&inert(&first_text), room), style),
                Span::raw(" "),
                Span::styled(
                    fit(&truncate(&attendance, 5), 5),
                    attendance_style(&ctx.theme, a.attendance),
                ),
            ])];
            if two_lines {
                let name = format!("{} {}", a.name, a.title);
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(9)),
                    Span::styled(fit(&inert(name.trim()), w.saturating_sub(9)), style),
                ]));
            }
            (lines, selected)
        })
        .collect();
    draw_rows(frame, inner, rows, false);
}

fn attendance_style(theme: &Theme, a: Attendance) -> Style {
    match a {
        Attendance::Present => theme.ok,
        Attendance::Absent => theme.muted,
        Attendance::Late | Attendance::LeftEarly => theme.due_soon,
    }
}

fn captures(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let lang = ctx.lang;
    let focused = screen.pane == Pane::Captures;
    let item = m.current().or_else(|| m.items.get(screen.selected[0]));
    let title = match item {
        Some(i) => format!("{} - {}", tr(lang, "captures"), i.title),
        None => tr(lang, "captures").to_owned(),
    };
    let block = block(&ctx.theme, &title, area.width, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = (inner.width as usize).saturating_sub(2);
    let today = ctx.today();
    let lines = screen.capture_lines();
    let rows = lines
        .iter()
        .enumerate()
        .filter_map(|(n, line)| {
            let selected = focused && n == screen.selected[2];
            let (label, text, style) = match line.entity {
                Entity::Entry => {
                    let e = m
                        .items
                        .iter()
                        .flat_map(|i| &i.entries)
                        .find(|e| e.id == line.id)?;
                    match e.kind {
                        EntryKind::Note => (tr(lang, "note"), e.text.clone(), ctx.theme.text),
                        EntryKind::Decision => {
                            (tr(lang, "decision"), e.text.clone(), ctx.theme.decision)
                        }
                    }
                }
                Entity::Role => {
                    let r = m.roles.iter().find(|r| r.id == line.id)?;
                    (
                        tr(lang, "role_assignment"),
                        format!("{}: {}", r.agency.as_deref().unwrap_or("-"), r.text),
                        ctx.theme.text,
                    )
                }
                Entity::Action => {
                    let a = m.actions.iter().find(|a| a.id == line.id)?;
                    let due = a
                        .due
                        .map(|d| format!(" ({})", d.format("%m/%d")))
                        .unwrap_or_default();
                    let mark = match a.status {
                        ActionStatus::Open => "[ ]",
                        ActionStatus::Done => "[x]",
                        ActionStatus::Dropped => "[-]",
                    };
                    let overdue =
                        a.status == ActionStatus::Open && a.due.is_some_and(|d| d < today);
                    let style = if overdue {
                        ctx.theme.overdue
                    } else {
                        ctx.theme.text
                    };
                    (
                        tr(lang, "next_action"),
                        format!(
                            "{mark} {}: {}{due}",
                            a.agency.as_deref().unwrap_or("-"),
                            a.text
                        ),
                        style,
                    )
                }
                Entity::CaseIssue => {
                    let (_, category) = m.issues.iter().find(|(id, _)| *id == line.id)?;
                    (tr(lang, "case_issue"), category.clone(), ctx.theme.muted)
                }
                Entity::Attendee | Entity::AgendaItem => return None,
            };
            let style = if selected { ctx.theme.selection } else { style };
            let marker = if selected { "> " } else { "  " };
            let body = wrap(&format!("{label}: {text}"), w.max(4));
            let shown = body.len().min(3);
            let lines: Vec<Line<'static>> = body
                .into_iter()
                .take(shown)
                .enumerate()
                .map(|(k, l)| {
                    let prefix = if k == 0 { marker } else { "  " };
                    Line::from(vec![
                        Span::styled(prefix, ctx.theme.accent),
                        Span::styled(l, style),
                    ])
                })
                .collect();
            Some((lines, selected))
        })
        .collect();
    draw_rows(frame, inner, rows, true);
}

/// Open actions of the body's earlier meetings, to review before the meeting begins.
fn carried(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx) {
    let lang = ctx.lang;
    let focused = screen.pane == Pane::Captures;
    let title = format!("{} ({})", tr(lang, "carried"), screen.carried.len());
    let block = block(&ctx.theme, &title, area.width, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let today = ctx.today();
    let w = (inner.width as usize).saturating_sub(2);
    let rows = screen
        .carried
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let selected = focused && n == screen.selected[2];
            let mark = match c.status {
                ActionStatus::Open => "[ ]",
                ActionStatus::Done => "[x]",
                ActionStatus::Dropped => "[-]",
            };
            let due = c.due.as_deref().unwrap_or("-");
            let overdue = c.status == ActionStatus::Open
                && c.due
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .is_some_and(|d| d < today);
            let style = if selected {
                ctx.theme.selection
            } else if overdue {
                ctx.theme.overdue
            } else {
                ctx.theme.text
            };
            let text = format!(
                "{mark} {} {}: {} ({due})",
                c.from_date,
                c.agency.as_deref().unwrap_or("-"),
                c.text
            );
            let lines: Vec<Line<'static>> = wrap(&text, w.max(4))
                .into_iter()
                .take(2)
                .enumerate()
                .map(|(k, l)| {
                    let prefix = if k == 0 && selected { "> " } else { "  " };
                    Line::from(vec![
                        Span::styled(prefix, ctx.theme.accent),
                        Span::styled(l, style),
                    ])
                })
                .collect();
            (lines, selected)
        })
        .collect();
    draw_rows(frame, inner, rows, false);
}
