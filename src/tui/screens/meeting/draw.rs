//! Drawing a meeting: the header, the confidentiality banner, live the clock line (the current
//! item's elapsed time against its plan, the estimated end, who holds the chair and who else is
//! here), and the panes — side by side at full size, one at a time with tabs below it. Clocks
//! are derived from the stored timestamps, so a restarted renkei shows the same times. The
//! selection is marked `>` in every pane (the current agenda item `*`), and text is wrapped by
//! the rules of Japanese print: a date is never broken, no line starts with 、 or ）.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::rows::Row;
use super::{Meeting, Pane, Stage};
use crate::domain::calendar::format_wareki;
use crate::domain::model::{ActionStatus, Attendance, EntryKind, Role};
use crate::i18n::Lang;
use crate::minutes::CarriedAction;
use crate::store::LiveMeeting;
use crate::text::{fit, inert, truncate, width};
use crate::tui::screens::Ctx;
use crate::tui::theme::Theme;
use crate::tui::widgets::form::short_date;
use crate::tui::widgets::list::draw_rows;
use crate::tui::widgets::{FULL_HEIGHT, FULL_WIDTH, block, cut, fit_spans, kinsoku};
use crate::tui::words::tr;

/// Narrower than this, the clock line drops its words and keeps its numbers.
const COMPACT_CLOCK: u16 = 60;

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
        third(frame, captures_area, screen, ctx, m);
        attendees(frame, right, screen, ctx, m);
    } else {
        let [tabs, pane] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        pane_tabs(frame, tabs, screen, ctx);
        match screen.pane {
            Pane::Agenda => agenda(frame, pane, screen, ctx, m),
            Pane::Attendees => attendees(frame, pane, screen, ctx, m),
            Pane::Captures => third(frame, pane, screen, ctx, m),
        }
    }
}

fn header(frame: &mut Frame, area: Rect, ctx: &Ctx, m: &LiveMeeting) {
    let narrow = area.width < COMPACT_CLOCK;
    let date = match (ctx.prefs.date_style, ctx.lang) {
        (Some(style), lang) => style.format(m.date, lang),
        (None, lang) if narrow => short_date(m.date, ctx.today(), lang),
        (None, Lang::Ja) => format_wareki(m.date),
        (None, Lang::En) => m.date.format("%a %Y-%m-%d").to_string(),
    };
    let time = match (&m.start, &m.end) {
        (Some(s), Some(e)) if !narrow => format!("{s}-{e}"),
        (Some(s), _) => s.clone(),
        _ => String::new(),
    };
    // At a narrow width the date and time come first: the body's name is cut, never the date.
    let when = Span::styled(format!("{date} {time} "), ctx.theme.text);
    // The case the captures go to (the meeting's cases screen).
    let case = m.case_now.as_ref().map(|case| {
        Span::styled(
            format!("[{} {}] ", tr(ctx.lang, "field_case"), inert(case)),
            ctx.theme.accent,
        )
    });
    let mut spans = Vec::new();
    if narrow {
        spans.push(when.clone());
    }
    spans.push(Span::styled(inert(&m.body), ctx.theme.title));
    if !narrow {
        spans.push(Span::raw("  "));
    }
    spans.extend(case);
    if !narrow {
        spans.push(when);
    }
    if !m.record.place.is_empty() && !narrow {
        spans.push(Span::styled(
            format!(" {}", inert(&m.record.place)),
            ctx.theme.muted,
        ));
    }
    if m.confidential && !narrow {
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

/// The clock line: the elapsed time against the plan and the estimated end first (they are what
/// the facilitator looks at), then the item, the chair and who else is here. Narrow, the words
/// go and the numbers stay.
fn clock_line(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let lang = ctx.lang;
    let now = ctx.now;
    let narrow = area.width < COMPACT_CLOCK;
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
        let elapsed_style = if over {
            ctx.theme.overdue
        } else {
            ctx.theme.text
        };
        let unit = tr(lang, "minutes_unit");
        let plan = item
            .planned_min
            .map(|p| format!("/{p}{unit}"))
            .unwrap_or_default();
        let mark = if over { "!" } else { "" };
        if narrow {
            spans.push(Span::styled(
                format!("{}{plan}{mark} ", mmss(elapsed)),
                elapsed_style,
            ));
            spans.push(Span::styled(
                format!("~{} ", end.format("%H:%M")),
                ctx.theme.muted,
            ));
        } else {
            spans.push(Span::styled(
                format!("{} ", tr(lang, "kind_live")),
                ctx.theme.warning,
            ));
            spans.push(Span::styled(
                format!("{} {}{plan}{mark}", tr(lang, "elapsed"), mmss(elapsed)),
                elapsed_style,
            ));
            spans.push(Span::styled(
                format!("  {} {}  ", tr(lang, "estimated_end"), end.format("%H:%M")),
                ctx.theme.muted,
            ));
        }
        spans.push(Span::styled(inert(&item.title), ctx.theme.accent));
    }
    if !screen.chair.is_empty() && !narrow {
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

/// The third pane's word: live, the record; in setup, the actions carried over.
fn third_word(screen: &Meeting) -> &'static str {
    match screen.stage {
        Stage::Live => "captures",
        Stage::Setup => "carried_tab",
    }
}

fn pane_tabs(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx) {
    let panes = [
        (Pane::Agenda, "agenda"),
        (Pane::Attendees, "attendees"),
        (Pane::Captures, third_word(screen)),
    ];
    let spans: Vec<Span<'static>> = panes
        .iter()
        .flat_map(|(pane, key)| {
            let (style, marker) = if *pane == screen.pane {
                (ctx.theme.selection, ">")
            } else {
                (ctx.theme.muted, " ")
            };
            [
                Span::styled(format!("{marker}{} ", tr(ctx.lang, key)), style),
                Span::raw(" "),
            ]
        })
        .collect();
    frame.render_widget(
        Paragraph::new(Line::from(fit_spans(spans, area.width))),
        area,
    );
}

/// The selection's marker, in the focused pane only.
fn marker(selected: bool) -> &'static str {
    if selected { "> " } else { "  " }
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
            // The current item is `*`, an item done `v`: the `>` is the selection's alone.
            let state = if current {
                "*"
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
            let title_width = (inner.width as usize).saturating_sub(7 + width(&times) + 1);
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
                Span::styled(marker(selected), ctx.theme.accent),
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
    let mut rows: Vec<(Vec<Line<'static>>, bool)> = m
        .attendees
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let selected = focused && n == screen.selected[1];
            let role = match ctx.lang {
                Lang::Ja => a.role.short_ja().to_owned(),
                Lang::En => role_short_en(a.role).to_owned(),
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
                Span::styled(marker(selected), ctx.theme.accent),
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
    // A meeting set up with nobody on it says how to take the last roster.
    if m.attendees.is_empty() && screen.stage == Stage::Setup {
        let hint = match m.roster_from {
            Some(_) => tr(ctx.lang, "roster_hint"),
            None => tr(ctx.lang, "attendee_hint"),
        };
        let lines = kinsoku::wrap(hint, w.max(2))
            .into_iter()
            .map(|l| Line::from(Span::styled(l, ctx.theme.muted)))
            .collect();
        rows.push((lines, false));
    }
    draw_rows(frame, inner, rows, false);
}

fn attendance_style(theme: &Theme, a: Attendance) -> Style {
    match a {
        Attendance::Present => theme.ok,
        Attendance::Absent => theme.muted,
        Attendance::Late | Attendance::LeftEarly => theme.due_soon,
    }
}

/// The third pane: live the record (and the carried actions under review), in setup the
/// actions carried over.
fn third(frame: &mut Frame, area: Rect, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) {
    let lang = ctx.lang;
    let focused = screen.pane == Pane::Captures;
    let title = match (screen.stage, screen.pane_item()) {
        (Stage::Setup, _) => format!("{} ({})", tr(lang, "carried"), screen.carried.len()),
        (Stage::Live, Some(i)) => format!("{} - {}", tr(lang, "captures"), i.title),
        (Stage::Live, None) => tr(lang, "captures").to_owned(),
    };
    let block = block(&ctx.theme, &title, area.width, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = (inner.width as usize).saturating_sub(2).max(4);
    let rows = screen.rows();
    let shown: Vec<(Vec<Line<'static>>, bool)> = rows
        .iter()
        .enumerate()
        .filter_map(|(n, row)| {
            let selected = focused && n == screen.selected[2];
            let (text, style) = row_text(*row, screen, ctx, m)?;
            // Every line of a carried action shows; a capture shows three, the selected one all.
            let all = selected || matches!(row, Row::Carried(_));
            let mut body = kinsoku::wrap(&text, w);
            let count = if all { body.len() } else { body.len().min(3) };
            // A capture cut to three lines says so: its last line shown ends with `..`.
            if count < body.len()
                && let Some(last) = body.get_mut(count - 1)
            {
                *last = truncate(&format!("{last}.."), w);
            }
            let lines = body
                .into_iter()
                .take(count)
                .enumerate()
                .map(|(k, l)| {
                    let prefix = if k == 0 { marker(selected) } else { "  " };
                    let style = if selected { ctx.theme.selection } else { style };
                    Line::from(vec![
                        Span::styled(prefix, ctx.theme.accent),
                        Span::styled(l, style),
                    ])
                })
                .collect();
            Some((lines, selected))
        })
        .collect();
    if shown.is_empty() && screen.stage == Stage::Setup {
        let line = Line::from(Span::styled(
            format!("  {}", tr(lang, "none")),
            ctx.theme.muted,
        ));
        frame.render_widget(Paragraph::new(line), inner);
        return;
    }
    draw_rows(frame, inner, shown, screen.stage == Stage::Live);
}

/// A row's text and style.
fn row_text(row: Row, screen: &Meeting, ctx: &Ctx, m: &LiveMeeting) -> Option<(String, Style)> {
    let lang = ctx.lang;
    let today = ctx.today();
    let theme = &ctx.theme;
    Some(match row {
        Row::Carried(id) => {
            let c = screen.carried.iter().find(|c| c.id == id)?;
            carried_text(c, screen, ctx)
        }
        Row::Entry(id) => {
            let e = m
                .items
                .iter()
                .flat_map(|i| &i.entries)
                .find(|e| e.id == id)?;
            match e.kind {
                EntryKind::Note => (format!("{}: {}", tr(lang, "note"), e.text), theme.text),
                EntryKind::Decision => (
                    format!("{}: {}", tr(lang, "decision"), e.text),
                    theme.decision,
                ),
            }
        }
        Row::Role(id) => {
            let r = m.roles.iter().find(|r| r.id == id)?;
            let agency = r.agency.as_deref().unwrap_or("-");
            let label = tr(lang, "role_assignment");
            (format!("{label}: {agency}: {}", r.text), theme.text)
        }
        Row::Action(id) => {
            let a = m.actions.iter().find(|a| a.id == id)?;
            let due = a
                .due
                .map(|d| format!(" ({})", short_date(d, today, lang)))
                .unwrap_or_default();
            let overdue = a.status == ActionStatus::Open && a.due.is_some_and(|d| d < today);
            let (style, flag) = if overdue {
                (theme.overdue, format!(" {}", tr(lang, "kind_overdue")))
            } else {
                (theme.text, String::new())
            };
            let label = tr(lang, "next_action");
            let agency = a.agency.as_deref().unwrap_or("-");
            let mark = status_mark(a.status);
            (
                format!("{mark} {label}: {agency}: {}{due}{flag}", a.text),
                style,
            )
        }
        Row::Issue(id) => {
            let (_, category) = m.issues.iter().find(|(i, _)| *i == id)?;
            (
                format!("{}: {category}", tr(lang, "case_issue")),
                theme.muted,
            )
        }
        Row::Case => (case_text(m, lang), theme.text),
        Row::Record => (record_text(m, ctx), theme.muted),
    })
}

/// A role in the six cells of the attendees pane, in English (facilitator was cut to faci..).
fn role_short_en(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "chair",
        Role::Recorder => "notes",
        Role::Secretariat => "office",
        Role::Coordinator => "coord",
        Role::Supervisor => "SV",
        Role::Member => "member",
        Role::Person => "person",
        Role::Family => "family",
        Role::Observer => "obs",
    }
}

fn status_mark(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Open => "[ ]",
        ActionStatus::Done => "[x]",
        ActionStatus::Dropped => "[-]",
    }
}

/// A carried action in full: its state, agency and text, due date (overdue said in words), the
/// meeting it came from, and what was decided of it at this meeting.
fn carried_text(c: &CarriedAction, screen: &Meeting, ctx: &Ctx) -> (String, Style) {
    let lang = ctx.lang;
    let today = ctx.today();
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let due = c.due.as_deref().and_then(date);
    let overdue = c.status == ActionStatus::Open && due.is_some_and(|d| d < today);
    let reviewed = screen.reviews.iter().rev().find(|r| r.action_id == c.id);
    let mark = match (c.status, reviewed) {
        (ActionStatus::Open, Some(_)) => "[>]",
        (status, _) => status_mark(status),
    };
    let mut text = format!("{mark} {}: {}", c.agency.as_deref().unwrap_or("-"), c.text);
    let due_word = tr(lang, "due_short");
    match due {
        Some(d) => text.push_str(&format!(" ({due_word} {})", short_date(d, today, lang))),
        None => text.push_str(&format!(" ({due_word} {})", tr(lang, "none"))),
    }
    if overdue {
        text.push_str(&format!(" {}", tr(lang, "kind_overdue")));
    }
    if let Some(from) = date(&c.from_date) {
        let from = short_date(from, today, lang);
        text.push_str(&format!(
            " {}",
            tr(lang, "carried_from").replace("{date}", &from)
        ));
    }
    if let Some(r) = reviewed {
        text.push_str(&format!(" / {}", tr(lang, "continued")));
        if !r.note.trim().is_empty() {
            text.push_str(&format!(" {}: {}", tr(lang, "progress"), r.note.trim()));
        }
    }
    let style = if overdue {
        ctx.theme.overdue
    } else if c.status == ActionStatus::Open {
        ctx.theme.text
    } else {
        ctx.theme.muted
    };
    (text, style)
}

fn case_text(m: &LiveMeeting, lang: Lang) -> String {
    let mut parts = vec![format!("{}:", tr(lang, "case_short"))];
    let fields = [
        ("", m.case_ref.as_str()),
        ("lead_agency", m.lead_agency.as_deref().unwrap_or("")),
        ("key_person", m.key_person.as_str()),
        ("risk", m.risk.as_str()),
        ("urgency", m.urgency.as_str()),
        ("support_policy", m.support_policy.as_str()),
    ];
    for (label, value) in fields {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if label.is_empty() {
            parts.push(value.to_owned());
        } else {
            parts.push(format!("{} {value}", tr(lang, label)));
        }
    }
    parts.join(" ")
}

fn record_text(m: &LiveMeeting, ctx: &Ctx) -> String {
    let lang = ctx.lang;
    let r = &m.record;
    let mut parts = vec![format!("{}:", tr(lang, "record_short"))];
    let mut push = |label: &'static str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            parts.push(format!("{} {}", tr(lang, label), value.replace('\n', "、")));
        }
    };
    push("place", &r.place);
    push("basis", &r.basis);
    if r.supervisor {
        push("supervisor", lang.pick("有", "yes"));
    }
    push("referred_by", r.referred_by.as_deref().unwrap_or(""));
    push("handouts_short", &r.handouts);
    push("remaining_issues", &r.remaining_issues);
    if let Some(d) = r.next_meeting {
        push("next_meeting", &short_date(d, ctx.today(), lang));
    }
    parts.join(" ")
}
