//! Drawing the review: the counter (確認済み 12 / 30) and what is listed, the cases one a line —
//! whether reviewed here (未確認, a draft, or the decision), pseudonym, status, lead agency and
//! risk where the width allows, next review (`!` when overdue) — and under them the selected
//! case's policy and its review here. Narrow, its status, risk and lead agency move under the
//! list.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Review, STATUSES, decision};
use crate::domain::case::{CaseStatus, Level};
use crate::store::cases::ReviewItem;
use crate::text::{fit, inert, width};
use crate::tui::screens::Ctx;
use crate::tui::widgets::day::short_day;
use crate::tui::widgets::list::first_shown;
use crate::tui::widgets::{block, fit_spans};
use crate::tui::words::tr;

/// Narrower than this (inside the frame), the lead agency and risk leave the rows.
const WIDE: usize = 70;

/// A next review date: in full where there is room, else its month and day (its year too
/// when it is not this year's).
fn day(date: Option<NaiveDate>, today: NaiveDate, wide: bool) -> String {
    match date {
        Some(d) if wide => d.format("%Y-%m-%d").to_string(),
        Some(d) => short_day(d, today),
        None => "-".to_owned(),
    }
}

/// A text in a column of `cells` (one of them the space after it).
fn cell(text: &str, cells: usize) -> String {
    format!("{} ", fit(&inert(text), cells.saturating_sub(1)))
}

pub(super) fn draw(screen: &Review, frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lang = ctx.lang;
    let theme = &ctx.theme;
    let title = format!("{} {}", tr(lang, "review_title"), screen.title);
    let block = block(theme, &title, area.width, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let w = inner.width as usize;
    let wide = w >= WIDE;
    // The counter, the drafts, what is listed.
    let (done, total) = screen.counted();
    let mut head = vec![Span::styled(
        tr(lang, "review_counter")
            .replace("{done}", &done.to_string())
            .replace("{total}", &total.to_string()),
        if done == total && total > 0 {
            theme.ok
        } else {
            theme.accent
        },
    )];
    let drafts = ctx.drafts.count(screen.meeting);
    if drafts > 0 {
        head.push(Span::raw("  "));
        head.push(Span::styled(
            tr(lang, "review_drafts").replace("{n}", &drafts.to_string()),
            theme.due_soon,
        ));
    }
    let show = if screen.all {
        "review_show_all"
    } else {
        "review_show_due"
    };
    head.push(Span::raw("  "));
    head.push(Span::styled(tr(lang, show), theme.muted));
    let mut lines = vec![Line::from(fit_spans(head, inner.width))];
    if screen.shown.is_empty() {
        let word = match (screen.items.is_empty(), screen.all) {
            (true, false) => "review_none_due",
            (true, true) => "review_none_all",
            (false, _) => "none",
        };
        lines.push(Line::from(Span::styled(tr(lang, word), theme.muted)));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let height = inner.height as usize;
    // Under the list, the selected case: its lead agency and risk (narrow), its policy, its
    // review here — when the terminal leaves room for a list above them.
    let detail = detail_lines(screen, ctx, wide, w);
    let detail_height = if height >= detail.len() + 4 {
        detail.len()
    } else {
        0
    };
    let header = height >= 12 || (wide && height >= 8);
    let rows_height = height
        .saturating_sub(1 + detail_height)
        .saturating_sub(usize::from(header));
    // Columns: mark, decision, pseudonym, [status, lead, risk], next review; each of the
    // fixed ones as wide as its longest word in the language shown.
    let widest = |words: &mut dyn Iterator<Item = &str>| words.map(width).max().unwrap_or(0) + 1;
    let decision_w = widest(
        &mut ["review_not_yet", "review_draft_mark"]
            .iter()
            .map(|w| tr(lang, w))
            .chain(STATUSES.iter().map(|(s, _, _)| decision(*s, lang))),
    );
    let status_w = widest(&mut CaseStatus::ALL.iter().map(|s| s.label(lang)));
    let risk_w = widest(
        &mut std::iter::once(tr(lang, "col_risk")).chain(Level::ALL.iter().map(|l| l.label(lang))),
    );
    let review_w = if wide { 12 } else { 9 };
    let fixed = 2 + decision_w + review_w + if wide { status_w + risk_w } else { 0 };
    let rest = w.saturating_sub(fixed);
    let (name_w, lead_w) = if wide {
        (rest * 2 / 5, rest - rest * 2 / 5)
    } else {
        (rest, 0)
    };
    if header {
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(cell(tr(lang, "col_decision"), decision_w), theme.header),
            Span::styled(cell(tr(lang, "col_case"), name_w), theme.header),
        ];
        if wide {
            spans.push(Span::styled(
                cell(tr(lang, "col_status"), status_w),
                theme.header,
            ));
            spans.push(Span::styled(
                cell(tr(lang, "col_lead"), lead_w),
                theme.header,
            ));
            spans.push(Span::styled(
                cell(tr(lang, "col_risk"), risk_w),
                theme.header,
            ));
        }
        spans.push(Span::styled(
            fit(tr(lang, "field_next_review"), review_w),
            theme.header,
        ));
        lines.push(Line::from(fit_spans(spans, inner.width)));
    }
    let today = ctx.today();
    let skip = first_shown(screen.list.selected, rows_height, 0);
    for (n, &i) in screen.shown.iter().enumerate().skip(skip).take(rows_height) {
        let Some(item) = screen.items.get(i) else {
            continue;
        };
        let c = &item.case;
        let selected = n == screen.list.selected;
        let overdue = c.review_overdue(today);
        let style = if selected {
            theme.selection
        } else if c.status.is_ended() {
            theme.muted
        } else {
            theme.text
        };
        let (mark, mark_style) = reviewed(item, screen, ctx);
        let mut spans = vec![
            Span::styled(if selected { "> " } else { "  " }, theme.accent),
            Span::styled(
                cell(&mark, decision_w),
                pick(selected, theme.selection, mark_style),
            ),
            Span::styled(cell(&c.pseudonym, name_w), style),
        ];
        if wide {
            spans.push(Span::styled(cell(c.status.label(lang), status_w), style));
            spans.push(Span::styled(
                cell(c.lead_agency.as_deref().unwrap_or("-"), lead_w),
                style,
            ));
            let risk = c.risk.map(|l| l.label(lang)).unwrap_or("-");
            spans.push(Span::styled(cell(risk, risk_w), style));
        }
        let next = day(c.next_review, today, wide);
        let (next, next_style) = if overdue {
            (format!("!{next}"), theme.overdue)
        } else {
            (next, theme.muted)
        };
        spans.push(Span::styled(
            fit(&next, review_w),
            pick(selected, theme.selection, next_style),
        ));
        lines.push(Line::from(fit_spans(spans, inner.width)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if detail_height > 0 {
        let y = inner.y + inner.height - detail_height as u16;
        let rect = Rect::new(inner.x, y, inner.width, detail_height as u16);
        frame.render_widget(Paragraph::new(detail), rect);
    }
}

fn pick(selected: bool, selection: Style, own: Style) -> Style {
    if selected { selection } else { own }
}

/// Whether the case is reviewed here: its decision, a draft begun, or not yet.
fn reviewed(item: &ReviewItem, screen: &Review, ctx: &Ctx) -> (String, Style) {
    let lang = ctx.lang;
    match &item.review {
        Some(r) => (decision(r.status, lang).to_owned(), ctx.theme.ok),
        None if ctx.drafts.get(screen.meeting, item.case.id).is_some() => {
            (tr(lang, "review_draft_mark").to_owned(), ctx.theme.due_soon)
        }
        None => (tr(lang, "review_not_yet").to_owned(), ctx.theme.warning),
    }
}

/// The selected case under the list: (narrow) lead agency and risk; its policy; its review
/// here (decision, next review, what was said) or that it is not reviewed yet.
fn detail_lines(screen: &Review, ctx: &Ctx, wide: bool, w: usize) -> Vec<Line<'static>> {
    let lang = ctx.lang;
    let theme = &ctx.theme;
    let Some(item) = screen.selected() else {
        return Vec::new();
    };
    let c = &item.case;
    let line = |label: &str, value: String, style: Style| {
        Line::from(fit_spans(
            vec![
                Span::styled(format!("{label} "), theme.muted),
                Span::styled(inert(&value), style),
            ],
            w as u16,
        ))
    };
    let mut out = Vec::new();
    if !wide {
        let risk = c.risk.map(|l| l.label(lang)).unwrap_or("-");
        out.push(line(
            tr(lang, "col_status"),
            format!(
                "{}  {} {risk}  {} {}",
                c.status.label(lang),
                tr(lang, "col_risk"),
                tr(lang, "col_lead"),
                c.lead_agency.as_deref().unwrap_or("-")
            ),
            theme.text,
        ));
    }
    let policy = if c.policy.trim().is_empty() {
        "-".to_owned()
    } else {
        c.policy.replace('\n', " ")
    };
    out.push(line(tr(lang, "review_detail_policy"), policy, theme.text));
    let here = match &item.review {
        Some(r) => {
            let mut text = decision(r.status, lang).to_owned();
            if let Some(next) = r.next_review {
                text.push_str(&format!(
                    "  {} {}",
                    tr(lang, "review_detail_next"),
                    next.format("%Y-%m-%d")
                ));
            }
            for said in [&r.transferred_to, &r.reason, &r.evaluation, &r.note] {
                if !said.trim().is_empty() {
                    text.push_str(&format!("  {}", said.replace('\n', " ")));
                }
            }
            (text, theme.ok)
        }
        None => {
            let (mark, style) = reviewed(item, screen, ctx);
            (mark, style)
        }
    };
    out.push(line(tr(lang, "review_detail_decided"), here.0, here.1));
    out
}
