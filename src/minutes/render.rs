//! The Markdown writer: one function per section, in the order PRODUCT.md lists them. Every piece
//! of user text goes through [`Writer::user`] (redaction) and then one of the escape functions.

use chrono::{DateTime, NaiveDate};
use std::borrow::Cow;
use std::fmt::Write as _;

use super::escape::{block, cell, inline};
use super::labels::{self, Labels};
use super::redact::{Discovered, RedactionReport, Redactor, is_name_field};
use super::{Amendment, CarriedAction, MinutesInput, Options};
use crate::domain::calendar::{format_date_en, format_wareki_iso, weekday_en, weekday_ja};
use crate::domain::model::{ActionStatus, Attendance, MeetingStatus};
use crate::i18n::Lang;
use crate::store::interchange::{ActionRecord, AgendaRecord};

pub(super) fn render(input: &MinutesInput, options: &Options) -> String {
    if options.redact {
        return render_redacted(input, options.lang).0;
    }
    write(input, options.lang, None).0
}

/// The redacted minutes and what the redaction did. Two passes: the first finds the names nobody
/// recorded (木下さん), so that the second replaces every mention of them, also those before the
/// first honorific, and knows the letters the text already uses as pseudonyms.
pub(super) fn render_redacted(input: &MinutesInput, lang: Lang) -> (String, RedactionReport) {
    let first = Redactor::for_minutes(input, lang, &Discovered::default());
    let (mut markdown, mut redactor) = write(input, lang, Some(first));
    let discovered = redactor
        .as_ref()
        .map(Redactor::discovered)
        .unwrap_or_default();
    // With nothing discovered the second pass would write the same document.
    if discovered != Discovered::default() {
        let second = Redactor::for_minutes(input, lang, &discovered);
        (markdown, redactor) = write(input, lang, Some(second));
    }
    let mut report = redactor.map(|r| r.report()).unwrap_or_default();
    for suspect in &mut report.suspects {
        let escaped = inline(&suspect.text);
        suspect.line = markdown
            .lines()
            .position(|l| l.contains(&suspect.text) || l.contains(&escaped))
            .map(|n| n + 1);
    }
    (markdown, report)
}

fn write(
    input: &MinutesInput,
    lang: Lang,
    redactor: Option<Redactor>,
) -> (String, Option<Redactor>) {
    let mut w = Writer {
        out: String::with_capacity(16 * 1024),
        input,
        lang,
        l: labels::labels(lang),
        redactor,
    };
    w.title();
    w.notices();
    w.header();
    w.attendees();
    w.handouts();
    w.agenda();
    w.case();
    w.roles();
    w.actions();
    w.carried();
    w.remaining_issues();
    w.next_meeting();
    w.amendments();
    (w.out, w.redactor)
}

struct Writer<'a> {
    out: String,
    input: &'a MinutesInput,
    lang: Lang,
    l: &'static Labels,
    redactor: Option<Redactor>,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn minutes_between(start: &str, end: &str) -> Option<i64> {
    let start = DateTime::parse_from_rfc3339(start).ok()?;
    let end = DateTime::parse_from_rfc3339(end).ok()?;
    let seconds = (end - start).num_seconds();
    (seconds >= 0).then_some((seconds + 30) / 60)
}

fn is_case_meeting(input: &MinutesInput) -> bool {
    let m = &input.meeting;
    !m.case.trim().is_empty()
        || m.lead_agency.is_some()
        || !m.key_person.trim().is_empty()
        || !m.risk.trim().is_empty()
        || !m.urgency.trim().is_empty()
        || !m.support_policy.trim().is_empty()
}

/// What a field of the case section holds, for redaction.
#[derive(Clone, Copy)]
enum Field {
    Text,
    Agency,
    KeyPerson,
}

/// Agencies in order of first appearance, each with its actions.
fn by_agency(actions: &[ActionRecord]) -> Vec<(Option<&str>, Vec<&ActionRecord>)> {
    let mut groups: Vec<(Option<&str>, Vec<&ActionRecord>)> = Vec::new();
    for a in actions {
        let agency = a.agency.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match groups.iter_mut().find(|(g, _)| *g == agency) {
            Some((_, list)) => list.push(a),
            None => groups.push((agency, vec![a])),
        }
    }
    groups
}

impl Writer<'_> {
    /// User text, with names replaced when redacting.
    fn user<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        match &mut self.redactor {
            Some(r) => r.redact(text),
            None => Cow::Borrowed(text),
        }
    }

    fn user_inline(&mut self, text: &str) -> String {
        inline(&self.user(text))
    }

    fn user_cell(&mut self, text: &str) -> String {
        cell(&self.user(text))
    }

    fn user_block(&mut self, text: &str, indent: &str) -> String {
        block(&self.user(text), indent)
    }

    /// A field that holds a person's name: replaced whole when redacting, however short.
    fn name(&mut self, text: &str) -> Cow<'_, str> {
        match &mut self.redactor {
            Some(r) => Cow::Owned(r.name_field(text)),
            None => Cow::Owned(text.to_owned()),
        }
    }

    /// A field that holds an agency: kept, unless a person was typed into it.
    fn agency<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        match &mut self.redactor {
            Some(r) => r.agency(text),
            None => Cow::Borrowed(text),
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn heading(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.out.push('#');
        }
        self.out.push(' ');
        self.line(text);
        self.blank();
    }

    /// `- **label**：value` — value already escaped.
    fn field(&mut self, label: &str, value: &str) {
        let _ = writeln!(self.out, "- **{label}**{}{value}", self.l.colon);
    }

    fn paragraph_or_none(&mut self, text: &str) {
        let body = self.user_block(text, "");
        let body = if body.is_empty() {
            self.l.none.to_owned()
        } else {
            body
        };
        self.line(&body);
        self.blank();
    }

    /// A GFM table; the cells are already escaped.
    fn table(&mut self, headers: &[&str], rows: &[Vec<String>]) {
        let row = |cells: &mut dyn Iterator<Item = &str>| {
            let mut s = String::from("|");
            for c in cells {
                s.push(' ');
                s.push_str(c);
                s.push_str(" |");
            }
            s
        };
        let head = row(&mut headers.iter().copied());
        self.line(&head);
        let rule = row(&mut headers.iter().map(|_| "---"));
        self.line(&rule);
        for r in rows {
            let line = row(&mut r.iter().map(String::as_str));
            self.line(&line);
        }
        self.blank();
    }

    fn date_long(&self, text: &str) -> String {
        match (parse_date(text), self.lang) {
            (Some(d), Lang::Ja) => format_wareki_iso(d),
            (Some(d), Lang::En) => format_date_en(d),
            (None, _) => inline(text),
        }
    }

    fn date_short(&self, text: &str) -> String {
        match (parse_date(text), self.lang) {
            (Some(d), Lang::Ja) => format!("{}（{}）", d.format("%Y-%m-%d"), weekday_ja(d)),
            (Some(d), Lang::En) => format!("{} ({})", d.format("%Y-%m-%d"), weekday_en(d)),
            (None, _) => inline(text),
        }
    }

    /// "2026-11-21 10:00" from an RFC 3339 stamp, in the offset it was recorded in.
    fn stamp(&self, text: &str) -> String {
        match DateTime::parse_from_rfc3339(text) {
            Ok(at) => at.format("%Y-%m-%d %H:%M").to_string(),
            Err(_) => inline(text),
        }
    }

    fn paren(&self, text: &str) -> String {
        format!("{}{text}{}", self.l.open_paren, self.l.close_paren)
    }

    fn title(&mut self) {
        let body = inline(&self.input.body.name);
        let title = match self.lang {
            Lang::Ja => format!("{body} {}", self.l.minutes),
            Lang::En => format!("{}: {body}", self.l.minutes),
        };
        self.heading(1, &title);
    }

    fn legal_notice(&self) -> &'static str {
        let m = &self.input.meeting;
        let basis = m.basis.trim();
        let kind = self.input.body.kind.trim();
        if basis == "支援会議" || kind == "支援会議" {
            self.l.notice_support
        } else if basis == "要対協" || kind == "要保護児童対策地域協議会" {
            self.l.notice_child
        } else if basis == "地域ケア会議" || kind == "地域ケア会議" {
            self.l.notice_care
        } else if basis == "本人同意" {
            self.l.notice_consent
        } else {
            self.l.notice_general
        }
    }

    fn notices(&mut self) {
        if self.input.meeting.confidential || self.input.body.personal_info {
            let title = self.l.notice_title;
            let text = format!("{} {}", self.legal_notice(), self.l.notice_handling);
            let text = match self.lang {
                Lang::Ja => text.replace(' ', ""),
                Lang::En => text,
            };
            let _ = write!(self.out, "> **{title}**\n>\n> {text}\n\n");
        }
        if let Some(r) = &self.redactor {
            let case_note = r.case_placeholder().map(|p| {
                let case = inline(&self.input.meeting.case);
                match self.lang {
                    Lang::Ja => format!("事例の本人は事例と同じ記号で示します（{case} → {p}）。"),
                    Lang::En => format!(" The case subject takes the case's letter ({case}: {p})."),
                }
            });
            let note = case_note.unwrap_or_default();
            let _ = write!(self.out, "> {}{note}\n\n", self.l.redacted);
        }
    }

    fn minutes_state(&mut self) -> String {
        let Some(approval) = &self.input.approval else {
            return self.l.draft.to_owned();
        };
        let mut detail = Vec::with_capacity(2);
        if !approval.at.trim().is_empty() {
            detail.push(self.stamp(&approval.at));
        }
        // The approver is a login name: a person, so it is left out of a redacted copy.
        if self.redactor.is_none() && !approval.by.trim().is_empty() {
            detail.push(inline(&approval.by));
        }
        if detail.is_empty() {
            return self.l.approved.to_owned();
        }
        format!(
            "{}{}",
            self.l.approved,
            self.paren(&detail.join(self.l.list_sep))
        )
    }

    fn when(&self) -> String {
        let m = &self.input.meeting;
        let date = self.date_long(&m.date);
        let dash = self.lang.pick("〜", "–");
        let time = match (m.start.as_deref(), m.end.as_deref()) {
            (Some(s), Some(e)) => format!(" {}{dash}{}", inline(s), inline(e)),
            (Some(s), None) => format!(" {}{dash}", inline(s)),
            _ => String::new(),
        };
        format!("{date}{time}")
    }

    fn header(&mut self) {
        let l = self.l;
        let state = self.minutes_state();
        self.field(l.status, &state);
        let m = &self.input.meeting;
        if m.status != MeetingStatus::Held {
            self.field(
                l.meeting_status,
                labels::meeting_status(m.status, self.lang),
            );
        }
        let when = self.when();
        self.field(l.date, &when);
        let place = self.user_inline(&m.place);
        self.field(l.place, &place);
        self.field(l.organiser, &inline(&self.input.body.organiser));
        let facilitator = inline(&self.name(&m.facilitator));
        self.field(l.facilitator, &facilitator);
        let recorder = inline(&self.name(&m.recorder));
        self.field(l.recorder, &recorder);
        // Logins identify staff: a redacted copy leaves them out, as it does the approver.
        if self.redactor.is_none() && !self.input.contributors.is_empty() {
            self.field(l.entered_by, &inline(&self.input.contributors.join(", ")));
        }
        let access = if m.confidential { l.closed } else { l.open };
        self.field(l.access, access);
        if !m.basis.trim().is_empty() {
            self.field(l.basis, &inline(&m.basis));
        }
        if let Some(by) = m.referred_by.as_deref().filter(|s| !s.trim().is_empty()) {
            let by = inline(&self.agency(by));
            self.field(l.referred_by, &by);
        }
        if m.supervisor {
            self.field(l.supervisor, l.yes);
        }
        self.blank();
    }

    fn attendance_counts(&self) -> String {
        let list = &self.input.meeting.attendees;
        let absent = list
            .iter()
            .filter(|a| a.attendance == Attendance::Absent)
            .count();
        let present = list.len() - absent;
        let l = self.l;
        match self.lang {
            Lang::Ja => format!(
                "{} {present}{}{}{} {absent}{}",
                l.present_count, l.people, l.list_sep, l.absent_count, l.people
            ),
            Lang::En => format!("{present} {}, {absent} {}", l.present_count, l.absent_count),
        }
    }

    fn attendees(&mut self) {
        let l = self.l;
        self.heading(2, l.attendees);
        if self.input.meeting.attendees.is_empty() {
            self.line(l.none);
            self.blank();
            return;
        }
        let counts = self.attendance_counts();
        self.line(&counts);
        self.blank();
        let input = self.input;
        let mut rows = Vec::with_capacity(input.meeting.attendees.len());
        let mut absent = Vec::new();
        for a in &input.meeting.attendees {
            let agency = cell(&self.agency(a.agency.as_deref().unwrap_or("")));
            let name = cell(&self.name(&a.name));
            let title = self.user_cell(&a.title);
            if a.attendance == Attendance::Absent {
                let who = [agency.as_str(), name.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                absent.push(if title.is_empty() {
                    who
                } else {
                    format!("{who}{}", self.paren(&title))
                });
            }
            rows.push(vec![
                agency,
                name,
                title,
                labels::role(a.role, self.lang).to_owned(),
                labels::attendance(a.attendance, self.lang).to_owned(),
            ]);
        }
        self.table(&[l.agency, l.name, l.title, l.role, l.attendance], &rows);
        let absent = if absent.is_empty() {
            l.none.to_owned()
        } else {
            absent.join(l.list_sep)
        };
        let _ = write!(self.out, "**{}**{}{absent}\n\n", l.absent, l.colon);
    }

    fn handouts(&mut self) {
        self.heading(2, self.l.handouts);
        let input = self.input;
        let items: Vec<String> = input
            .meeting
            .handouts
            .lines()
            .filter(|s| !s.trim().is_empty())
            .map(|s| self.user_inline(s))
            .collect();
        if items.is_empty() {
            self.line(self.l.none);
        }
        for item in items {
            let _ = writeln!(self.out, "- {item}");
        }
        self.blank();
    }

    fn timing(&self, item: &AgendaRecord) -> Option<String> {
        let l = self.l;
        let unit = l.minute_unit;
        let planned = item.planned_min.map(|m| format!("{} {m}{unit}", l.planned));
        let actual = match (item.started_at.as_deref(), item.ended_at.as_deref()) {
            (Some(s), Some(e)) => minutes_between(s, e).map(|m| format!("{} {m}{unit}", l.actual)),
            _ => None,
        };
        match (planned, actual) {
            (Some(p), Some(a)) => Some(format!("{p} / {a}")),
            (p, a) => p.or(a),
        }
    }

    fn agenda(&mut self) {
        let l = self.l;
        self.heading(2, l.agenda);
        if self.input.meeting.agenda.is_empty() {
            self.line(l.none);
            self.blank();
        }
        let input = self.input;
        for (n, item) in input.meeting.agenda.iter().enumerate() {
            let title = self.user_inline(&item.title);
            self.heading(3, &format!("{}. {title}", n + 1));
            if let Some(timing) = self.timing(item) {
                self.line(&timing);
                self.blank();
            }
            let notes = self.user_block(&item.notes, "");
            if !notes.is_empty() {
                self.line(&notes);
                self.blank();
            }
            if !item.decisions.is_empty() {
                let _ = write!(self.out, "**{}**\n\n", l.decisions);
                for d in &item.decisions {
                    let d = self.user_block(d, "  ");
                    let _ = writeln!(self.out, "- {d}");
                }
                self.blank();
            }
            if notes.is_empty() && item.decisions.is_empty() {
                self.line(l.nothing_recorded);
                self.blank();
            }
        }
    }

    fn case(&mut self) {
        if !is_case_meeting(self.input) {
            return;
        }
        let l = self.l;
        let m = &self.input.meeting;
        self.heading(2, l.case);
        let issues = m.issues.join(l.list_sep);
        let lead = m.lead_agency.as_deref().unwrap_or("");
        let fields = [
            (l.case_ref, m.case.as_str(), Field::Text),
            (l.lead_agency, lead, Field::Agency),
            (l.key_person, m.key_person.as_str(), Field::KeyPerson),
            (l.risk, m.risk.as_str(), Field::Text),
            (l.urgency, m.urgency.as_str(), Field::Text),
            (l.issues, issues.as_str(), Field::Text),
        ];
        for (label, value, kind) in fields {
            if value.trim().is_empty() {
                continue;
            }
            let value = match (&mut self.redactor, kind) {
                (Some(r), Field::KeyPerson) => inline(&r.key_person(value)),
                (_, Field::Agency) => inline(&self.agency(value)),
                _ => self.user_inline(value),
            };
            self.field(label, &value);
        }
        self.blank();
        self.heading(3, l.support_policy);
        self.paragraph_or_none(&m.support_policy);
    }

    fn roles(&mut self) {
        let l = self.l;
        self.heading(2, l.roles);
        if self.input.meeting.roles.is_empty() {
            self.line(l.none);
            self.blank();
            return;
        }
        let input = self.input;
        let rows: Vec<Vec<String>> = input
            .meeting
            .roles
            .iter()
            .map(|r| {
                vec![
                    cell(&self.agency(r.agency.as_deref().unwrap_or(""))),
                    self.user_cell(&r.role),
                ]
            })
            .collect();
        self.table(&[l.agency, l.responsibility], &rows);
    }

    fn due(&self, due: Option<&str>) -> Option<String> {
        let due = due.filter(|d| !d.trim().is_empty())?;
        Some(format!("{} {}", self.l.due, self.date_short(due)))
    }

    /// `[ ] text`, `[x] text` or `[x] ~~text~~ (dropped)`, text already escaped.
    fn task(&self, status: ActionStatus, text: &str) -> String {
        match status {
            ActionStatus::Open => format!("[ ] {text}"),
            ActionStatus::Done => format!("[x] {text}"),
            ActionStatus::Dropped => format!(
                "[x] ~~{text}~~ {}",
                self.paren(labels::action_status(status, self.lang))
                    .trim_start()
            ),
        }
    }

    fn actions(&mut self) {
        let l = self.l;
        self.heading(2, l.actions);
        let actions = &self.input.meeting.actions;
        let input = self.input;
        if actions.is_empty() {
            self.line(l.none);
            self.blank();
            return;
        }
        for (agency, list) in by_agency(&input.meeting.actions) {
            let heading = match agency {
                Some(a) => inline(&self.agency(a)),
                None => self.paren(l.no_agency).trim().to_owned(),
            };
            self.heading(3, &heading);
            for a in list {
                let text = self.user_block(&a.text, "  ");
                let mut line = self.task(a.status, &text);
                if let Some(due) = self.due(a.due.as_deref()) {
                    line.push_str(&self.paren(&due));
                }
                let _ = writeln!(self.out, "- {line}");
            }
            self.blank();
        }
    }

    fn carried_origin(&self, a: &CarriedAction) -> String {
        let date = self.date_short(&a.from_date);
        match self.lang {
            Lang::Ja => format!("{date}{}", self.l.carried_from),
            Lang::En => format!("{} {date}", self.l.carried_from),
        }
    }

    fn carried_state(&self, a: &CarriedAction) -> String {
        let l = self.l;
        let status = labels::action_status(a.status, self.lang);
        let here = self.input.meeting.id.is_some() && a.closed_in == self.input.meeting.id;
        let when = if here {
            Some(l.at_this_meeting.to_owned())
        } else {
            a.closed_in_date.as_deref().map(|d| self.date_short(d))
        };
        match (a.status, when) {
            (ActionStatus::Open, _) | (_, None) => format!("{}{}{status}", l.now, l.colon),
            (_, Some(when)) => format!("{}{}{status}{}", l.now, l.colon, self.paren(&when)),
        }
    }

    fn carried(&mut self) {
        let l = self.l;
        self.heading(2, l.carried);
        if self.input.carried.is_empty() {
            self.line(l.none);
            self.blank();
            return;
        }
        let input = self.input;
        for a in &input.carried {
            let agency = match a.agency.as_deref() {
                Some(agency) => inline(&self.agency(agency)),
                None => inline(l.no_agency),
            };
            let text = self.user_block(&a.text, "  ");
            let mut details = Vec::with_capacity(2);
            details.extend(self.due(a.due.as_deref()));
            details.push(self.carried_origin(a));
            let details = self.paren(&details.join(self.lang.pick("、", "; ")));
            let task = self.task(a.status, &format!("**{agency}**{}{text}", l.colon));
            let state = self.carried_state(a);
            let _ = writeln!(self.out, "- {task}{details} — {state}");
        }
        self.blank();
    }

    fn remaining_issues(&mut self) {
        self.heading(2, self.l.remaining_issues);
        let input = self.input;
        self.paragraph_or_none(&input.meeting.remaining_issues);
    }

    fn next_meeting(&mut self) {
        self.heading(2, self.l.next_meeting);
        let next = match self.input.next_meeting.as_deref() {
            Some(d) if !d.trim().is_empty() => self.date_long(d),
            _ => self.l.not_set.to_owned(),
        };
        self.line(&next);
        self.blank();
    }

    fn amendment_value(&mut self, a: &Amendment, value: Option<&str>) -> String {
        let value = value.unwrap_or("");
        match labels::coded_value(&a.entity, &a.field, value, self.lang) {
            Some(label) => label,
            None if is_name_field(&a.entity, &a.field) && !value.trim().is_empty() => {
                cell(&self.name(value))
            }
            None => self.user_cell(value),
        }
    }

    fn amendments(&mut self) {
        let l = self.l;
        if self.input.approval.is_none() && self.input.amendments.is_empty() {
            return;
        }
        self.heading(2, l.amendments);
        if self.input.amendments.is_empty() {
            self.line(l.none);
            self.blank();
            return;
        }
        let redacted = self.redactor.is_some();
        let mut rows = Vec::with_capacity(self.input.amendments.len());
        let input = self.input;
        for a in &input.amendments {
            let mut what = cell(&labels::field(&a.entity, &a.field, self.lang));
            if !a.subject.trim().is_empty() {
                let subject = if a.entity == "attendee" {
                    cell(&self.name(&a.subject))
                } else {
                    self.user_cell(&a.subject)
                };
                what.push_str(&self.paren(&subject));
            }
            let mut row = vec![self.stamp(&a.at)];
            if !redacted {
                row.push(cell(&a.by));
            }
            row.push(what);
            row.push(self.amendment_value(a, a.old_value.as_deref()));
            row.push(self.amendment_value(a, a.new_value.as_deref()));
            rows.push(row);
        }
        let headers: Vec<&str> = if redacted {
            vec![l.when, l.what, l.before, l.after]
        } else {
            vec![l.when, l.by, l.what, l.before, l.after]
        };
        self.table(&headers, &rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actual_minutes_are_rounded_and_never_negative() {
        let at = |t: &str| format!("2026-11-21T{t}+09:00");
        assert_eq!(minutes_between(&at("14:00:00"), &at("14:12:29")), Some(12));
        assert_eq!(minutes_between(&at("14:00:00"), &at("14:12:30")), Some(13));
        assert_eq!(minutes_between(&at("14:00:00"), &at("13:59:00")), None);
        assert_eq!(minutes_between("yesterday", &at("14:00:00")), None);
    }

    #[test]
    fn actions_group_by_agency_in_order_of_first_appearance() {
        let a = |agency: Option<&str>, text: &str| ActionRecord {
            agency: agency.map(str::to_owned),
            text: text.to_owned(),
            ..ActionRecord::default()
        };
        let list = [
            a(Some("B課"), "1"),
            a(None, "2"),
            a(Some("A課"), "3"),
            a(Some("B課"), "4"),
            a(Some(" "), "5"),
        ];
        let groups: Vec<(Option<&str>, Vec<&str>)> = by_agency(&list)
            .into_iter()
            .map(|(g, l)| (g, l.iter().map(|x| x.text.as_str()).collect()))
            .collect();
        assert_eq!(
            groups,
            [
                (Some("B課"), vec!["1", "4"]),
                (None, vec!["2", "5"]),
                (Some("A課"), vec!["3"]),
            ]
        );
    }
}
