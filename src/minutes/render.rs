//! The minutes as a [`Document`]: one function per section, in the order PRODUCT.md lists them.
//! Every piece of user text goes through [`Writer::user`] (redaction) and is kept as typed
//! text; the Markdown and Word writers make it inert.

use chrono::DateTime;
use std::borrow::Cow;

use super::labels::{self, Labels};
use super::redact::{Discovered, Redacting, RedactionReport, Redactor, is_name_field};
use super::{
    ActionReview, Amendment, Captured, CarriedAction, CaseAtMeeting, MinutesInput, Options,
};
use crate::document::escape::{inline, visible};
use crate::document::{Block, Breaks, Document, Item, Span, dates};
use crate::domain::case::{Level, basis_text};
use crate::domain::model::{ActionStatus, Attendance, MeetingStatus};
use crate::i18n::Lang;
use crate::interchange::{ActionRecord, AgendaRecord, ExternalId};

pub(super) fn document(input: &MinutesInput, options: &Options) -> Document {
    if options.redact {
        return redacted(input, options.lang).0;
    }
    write(input, options.lang, None).0
}

/// The redacted document, and the redactor that made it. Two passes: the first finds the names
/// nobody recorded (木下さん), so that the second replaces every mention of them, also those
/// before the first honorific, and knows the letters the text already uses as pseudonyms.
fn redacted(input: &MinutesInput, lang: Lang) -> (Document, Option<Redactor>) {
    let first = Redactor::for_minutes(input, lang, &Discovered::default());
    let (doc, redactor) = write(input, lang, Some(first));
    let discovered = redactor
        .as_ref()
        .map(Redactor::discovered)
        .unwrap_or_default();
    // With nothing discovered the second pass would write the same document.
    if discovered == Discovered::default() {
        return (doc, redactor);
    }
    let second = Redactor::for_minutes(input, lang, &discovered);
    write(input, lang, Some(second))
}

/// The redacted document and what the redaction did (a Word file has no lines: the suspects
/// are named without one).
pub(super) fn redacted_document(input: &MinutesInput, lang: Lang) -> (Document, RedactionReport) {
    let (doc, redactor) = redacted(input, lang);
    (doc, redactor.map(|r| r.report()).unwrap_or_default())
}

/// The redacted minutes as Markdown, and what the redaction did (each suspect with the line of
/// the Markdown it is on).
pub(super) fn render_redacted(input: &MinutesInput, lang: Lang) -> (String, RedactionReport) {
    let (doc, mut report) = redacted_document(input, lang);
    let markdown = crate::document::markdown::render(&doc);
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
) -> (Document, Option<Redactor>) {
    let mut w = Writer {
        doc: Document::default(),
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
    w.case_reviews();
    w.roles();
    w.actions();
    w.carried();
    w.remaining_issues();
    w.next_meeting();
    w.amendments();
    (w.doc, w.redactor)
}

struct Writer<'a> {
    doc: Document,
    input: &'a MinutesInput,
    lang: Lang,
    l: &'static Labels,
    redactor: Option<Redactor>,
}

fn minutes_between(start: &str, end: &str) -> Option<i64> {
    let start = DateTime::parse_from_rfc3339(start).ok()?;
    let end = DateTime::parse_from_rfc3339(end).ok()?;
    let seconds = (end - start).num_seconds();
    (seconds >= 0).then_some((seconds + 30) / 60)
}

/// Whether a carried action was closed at the meeting of these minutes.
fn closed_here(input: &MinutesInput, a: &CarriedAction) -> bool {
    a.closed_in.is_some() && input.meeting.id == a.closed_in.map(ExternalId::Number)
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
    /// A case pseudonym: as it stands unless it spells a name ([`Redacting::pseudonym`]).
    Pseudonym,
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

/// Whether typed text shows nothing once its lines are trimmed.
fn blank(text: &str) -> bool {
    visible(text).is_empty()
}

fn word(text: impl Into<String>) -> Span {
    Span::Word(text.into())
}

fn typed(text: impl Into<String>) -> Span {
    Span::typed(text)
}

fn typed_as(text: impl Into<String>, breaks: Breaks) -> Span {
    Span::Typed {
        text: text.into(),
        breaks,
    }
}

impl Writer<'_> {
    /// User text, with names replaced when redacting.
    fn user<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        self.redactor.text(text)
    }

    /// A field that holds a person's name: replaced whole when redacting, however short.
    fn name(&mut self, text: &str) -> String {
        self.redactor.name(text)
    }

    /// A field that holds an agency: kept, unless a person was typed into it.
    fn agency(&mut self, text: &str) -> String {
        self.redactor.agency_field(text)
    }

    /// User text on one line.
    fn user_inline(&mut self, text: &str) -> Span {
        typed(self.user(text).into_owned())
    }

    /// A field that names a place or a topic on one line (the place, an agenda title, a
    /// handout): a district that is also a recorded family name stays the district.
    fn place_inline(&mut self, text: &str) -> Span {
        typed(self.redactor.place(text).into_owned())
    }

    /// User text keeping its lines.
    fn user_lines(&mut self, text: &str) -> Span {
        Span::lines(self.user(text).into_owned())
    }

    fn push(&mut self, block: Block) {
        self.doc.push(block);
    }

    fn heading(&mut self, level: u8, spans: Vec<Span>) {
        self.push(Block::Heading { level, spans });
    }

    fn paragraph(&mut self, spans: Vec<Span>) {
        self.push(Block::Paragraph(spans));
    }

    /// `label：value`, the label strong.
    fn field(&self, label: &str, value: Vec<Span>) -> Item {
        let mut spans = vec![Span::strong(vec![word(label)]), word(self.l.colon)];
        spans.extend(value);
        Item::new(spans)
    }

    fn paragraph_or_none(&mut self, text: &str) {
        let body = self.user_lines(text);
        match &body {
            Span::Typed { text, .. } if blank(text) => self.paragraph(vec![word(self.l.none)]),
            _ => self.paragraph(vec![body]),
        }
    }

    fn date_long(&self, text: &str) -> Span {
        dates::long(text, self.lang)
    }

    fn date_short(&self, text: &str) -> Span {
        dates::short(text, self.lang)
    }

    /// A date someone typed (the next meeting, a due date); text that is no date (typed as
    /// words in a database of old) redacted as any text — session 14: `木下さん宅にて` was
    /// printed as typed in the redacted copy.
    fn typed_date(&mut self, text: &str, long: bool) -> Span {
        match (dates::parse(text), long) {
            (Some(_), true) => dates::long(text, self.lang),
            (Some(_), false) => dates::short(text, self.lang),
            (None, _) => typed(self.user(text).into_owned()),
        }
    }

    fn stamp(&self, text: &str) -> Span {
        dates::stamp(text)
    }

    fn paren(&self, inner: Vec<Span>) -> Vec<Span> {
        let mut spans = vec![word(self.l.open_paren)];
        spans.extend(inner);
        spans.push(word(self.l.close_paren));
        spans
    }

    fn title(&mut self) {
        let body = typed(self.input.body.name.clone());
        let title = match self.lang {
            Lang::Ja => vec![body, word(format!(" {}", self.l.minutes))],
            Lang::En => vec![word(format!("{}: ", self.l.minutes)), body],
        };
        self.heading(1, title);
    }

    /// The notice of the meeting's duty of confidentiality (see `labels::Duty`), citing its law.
    fn legal_notice(&self) -> String {
        let duty = labels::Duty::of(&self.input.meeting.basis, &self.input.body.kind);
        let notice = match duty {
            labels::Duty::Support => self.l.notice_support,
            labels::Duty::Child => self.l.notice_child,
            labels::Duty::Care => self.l.notice_care,
            labels::Duty::Consent => self.l.notice_consent,
            labels::Duty::General => self.l.notice_general,
        };
        notice.replace("{law}", duty.law(self.lang).unwrap_or(""))
    }

    fn notices(&mut self) {
        if self.input.meeting.confidential == Some(true) || self.input.body.personal_info {
            let text = format!("{} {}", self.legal_notice(), self.l.notice_handling);
            let text = match self.lang {
                Lang::Ja => text.replace(' ', ""),
                Lang::En => text,
            };
            self.push(Block::Notice {
                title: self.l.notice_title.to_owned(),
                text,
            });
        }
        if let Some(r) = &mut self.redactor {
            let mut remark = vec![word(self.l.redacted)];
            let cases: Vec<(String, String)> = r
                .case_placeholders()
                .into_iter()
                .map(|(c, p)| (c.to_owned(), p))
                .collect();
            let cases: Vec<(String, String)> = cases
                .into_iter()
                .map(|(c, p)| (r.pseudonym(&c), p))
                .collect();
            if !cases.is_empty() {
                let (open, arrow, close) = match self.lang {
                    Lang::Ja => ("事例の本人は事例と同じ記号で示します（", " → ", "）。"),
                    Lang::En => (" The case subject takes the case's letter (", ": ", ")."),
                };
                remark.push(word(open));
                for (i, (case, p)) in cases.iter().enumerate() {
                    if i > 0 {
                        remark.push(word(self.l.list_sep));
                    }
                    remark.extend([typed(case.as_str()), word(format!("{arrow}{p}"))]);
                }
                remark.push(word(close));
            }
            self.push(Block::Remark(remark));
        }
    }

    fn minutes_state(&mut self) -> Vec<Span> {
        let Some(approval) = &self.input.approval else {
            return vec![word(self.l.draft)];
        };
        let mut detail = Vec::with_capacity(3);
        if !approval.at.trim().is_empty() {
            detail.push(self.stamp(&approval.at));
        }
        // The approver is a login name: a person, so it is left out of a redacted copy.
        if self.redactor.is_none() && !approval.by.trim().is_empty() {
            if !detail.is_empty() {
                detail.push(word(self.l.list_sep));
            }
            detail.push(typed(approval.by.clone()));
        }
        if detail.is_empty() {
            return vec![word(self.l.approved)];
        }
        let mut spans = vec![word(self.l.approved)];
        spans.extend(self.paren(detail));
        spans
    }

    fn when(&self) -> Vec<Span> {
        let m = &self.input.meeting;
        let mut spans = vec![self.date_long(&m.date)];
        let dash = self.lang.pick("〜", "–");
        match (m.start.as_deref(), m.end.as_deref()) {
            (Some(s), Some(e)) => {
                spans.extend([word(" "), typed(s), word(dash)]);
                // A night meeting's end is the next day's (23:30〜翌00:40), as the listings say
                // it: without 翌 its 00:40 read as before its 23:30 (attack on the files,
                // 2026-12-05).
                let day = chrono::NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").ok();
                let ends =
                    day.and_then(|d| crate::domain::calendar::end_date_of(d, Some(s), Some(e)));
                if ends.is_some() && ends != day {
                    spans.push(word(self.lang.pick("翌", "+1 ")));
                }
                spans.push(typed(e));
            }
            (Some(s), None) => spans.extend([word(" "), typed(s), word(dash)]),
            _ => {}
        }
        spans
    }

    fn header(&mut self) {
        let l = self.l;
        let mut fields = Vec::with_capacity(12);
        let state = self.minutes_state();
        fields.push(self.field(l.status, state));
        let m = &self.input.meeting;
        if m.in_progress() {
            fields.push(self.field(l.meeting_status, vec![word(labels::in_progress(self.lang))]));
        } else if m.status != MeetingStatus::Held {
            fields.push(self.field(
                l.meeting_status,
                vec![word(labels::meeting_status(m.status, self.lang))],
            ));
        }
        fields.push(self.field(l.date, self.when()));
        let place = self.place_inline(&m.place);
        fields.push(self.field(l.place, vec![place]));
        let organiser = typed(self.agency(&self.input.body.organiser));
        fields.push(self.field(l.organiser, vec![organiser]));
        if let Some(ward) = &self.input.body.ward {
            fields.push(self.field(l.ward, vec![typed(ward.clone())]));
        }
        let facilitator = typed(self.name(&m.facilitator));
        fields.push(self.field(l.facilitator, vec![facilitator]));
        let recorder = typed(self.name(&m.recorder));
        fields.push(self.field(l.recorder, vec![recorder]));
        // Logins identify staff: a redacted copy leaves them out, as it does the approver.
        if self.redactor.is_none() && !self.input.contributors.is_empty() {
            let who = typed(self.input.contributors.join(", "));
            fields.push(self.field(l.entered_by, vec![who]));
        }
        // Not said (never so from the store): as the body would have it.
        let closed = m.confidential.unwrap_or(self.input.body.personal_info);
        let access = if closed { l.closed } else { l.open };
        fields.push(self.field(l.access, vec![word(access)]));
        // Any text may be typed as the basis (本人同意（山田花子）): redacted as text — it was
        // printed as typed (attack, 2026-12-05).
        if !m.basis.trim().is_empty() {
            let basis = self.user_inline(&m.basis);
            fields.push(self.field(l.basis, vec![basis]));
        }
        if let Some(by) = m.referred_by.as_deref().filter(|s| !s.trim().is_empty()) {
            let by = typed(self.agency(by));
            fields.push(self.field(l.referred_by, vec![by]));
        }
        if m.supervisor {
            fields.push(self.field(l.supervisor, vec![word(l.yes)]));
        }
        self.push(Block::List(fields));
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
        self.heading(2, vec![word(l.attendees)]);
        if self.input.meeting.attendees.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let counts = self.attendance_counts();
        self.paragraph(vec![word(counts)]);
        let input = self.input;
        let mut rows = Vec::with_capacity(input.meeting.attendees.len());
        let mut absent: Vec<Vec<Span>> = Vec::new();
        for a in &input.meeting.attendees {
            let agency = self.agency(a.agency.as_deref().unwrap_or(""));
            let name = self.name(&a.name);
            let title = self.user(&a.title).into_owned();
            if a.attendance == Attendance::Absent {
                let mut who: Vec<Span> = Vec::new();
                for part in [&agency, &name] {
                    if !blank(part) {
                        if !who.is_empty() {
                            who.push(word(" "));
                        }
                        who.push(typed_as(part.clone(), Breaks::Slash));
                    }
                }
                if !blank(&title) {
                    who.extend(self.paren(vec![typed_as(title.clone(), Breaks::Slash)]));
                }
                absent.push(who);
            }
            rows.push(vec![
                vec![typed_as(agency, Breaks::Keep)],
                vec![typed_as(name, Breaks::Keep)],
                vec![typed_as(title, Breaks::Keep)],
                vec![word(labels::role(a.role, self.lang))],
                vec![word(labels::attendance(a.attendance, self.lang))],
            ]);
        }
        self.push(Block::Table {
            headers: [l.agency, l.name, l.title, l.role, l.attendance]
                .map(String::from)
                .to_vec(),
            rows,
        });
        let mut line = vec![Span::strong(vec![word(l.absent)]), word(l.colon)];
        if absent.is_empty() {
            line.push(word(l.none));
        }
        for (i, who) in absent.into_iter().enumerate() {
            if i > 0 {
                line.push(word(l.list_sep));
            }
            line.extend(who);
        }
        self.paragraph(line);
    }

    fn handouts(&mut self) {
        self.heading(2, vec![word(self.l.handouts)]);
        let input = self.input;
        let items: Vec<Item> = input
            .meeting
            .handouts
            .lines()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Item::new(vec![self.place_inline(s)]))
            .collect();
        if items.is_empty() {
            self.paragraph(vec![word(self.l.none)]);
        } else {
            self.push(Block::List(items));
        }
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
        self.heading(2, vec![word(l.agenda)]);
        if self.input.meeting.agenda.is_empty() {
            self.paragraph(vec![word(l.none)]);
        }
        let input = self.input;
        for (n, item) in input.meeting.agenda.iter().enumerate() {
            let title = self.place_inline(&item.title);
            self.heading(3, vec![word(format!("{}. ", n + 1)), title]);
            if let Some(timing) = self.timing(item) {
                self.paragraph(vec![word(timing)]);
            }
            // Each note on its own: a name never reaches from one note into the next
            // (attack report 6, finding 4).
            let notes = item
                .notes
                .iter()
                .filter(|n| n.deleted_at.is_none())
                .map(|n| self.user(&n.text).into_owned())
                .collect::<Vec<String>>()
                .join("\n");
            let has_notes = !blank(&notes);
            if has_notes {
                self.paragraph(vec![Span::lines(notes)]);
            }
            let decided = item.decision_texts().next().is_some();
            if decided {
                self.paragraph(vec![Span::strong(vec![word(l.decisions)])]);
                let decisions = item
                    .decision_texts()
                    .map(|d| Item::new(vec![self.user_lines(d)]))
                    .collect();
                self.push(Block::List(decisions));
            }
            if !has_notes && !decided {
                let captured = input.during.captured.get(n).copied().unwrap_or_default();
                let line = self.captured_under(&item.title, captured);
                self.paragraph(vec![word(line)]);
            }
        }
    }

    /// Under an item with no note or decision: the role assignments and next actions captured
    /// while it ran (listed in their own sections), or, for an item on the role division with
    /// no times kept, the roles section; else nothing recorded.
    fn captured_under(&self, title: &str, captured: Captured) -> String {
        let l = self.l;
        let Captured {
            roles,
            actions,
            issues,
        } = captured;
        let (roles, actions) = if roles + actions == 0 && title.contains("役割分担") {
            (self.input.meeting.roles.len(), 0)
        } else {
            (roles, actions)
        };
        // The item that reviews the carried actions: those closed or continued at this meeting.
        let reviewed = self
            .input
            .carried
            .iter()
            .filter(|a| {
                closed_here(self.input, a)
                    || self
                        .input
                        .during
                        .reviews
                        .iter()
                        .any(|r| r.action_id == a.id)
            })
            .count();
        let reviewed = if title.contains("継続事項") {
            reviewed
        } else {
            0
        };
        let counted = [
            (reviewed, l.carried),
            (roles, l.roles),
            (actions, l.actions),
            (issues, l.issues),
        ];
        let parts: Vec<String> = counted
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| match self.lang {
                Lang::Ja => format!("{what} {n}件"),
                Lang::En => format!("{n} {}", what.to_lowercase()),
            })
            .collect();
        if parts.is_empty() {
            return l.nothing_recorded.to_owned();
        }
        let list = parts.join(l.list_sep);
        match self.lang {
            Lang::Ja => format!("{list}を記録（下記のとおり）"),
            Lang::En => format!("{list} recorded (see below)"),
        }
    }

    fn case(&mut self) {
        if !self.input.cases.is_empty() {
            let input = self.input;
            for c in &input.cases {
                self.case_discussed(c);
            }
            self.unassigned_issues();
            return;
        }
        let l = self.l;
        let m = &self.input.meeting;
        let issues = m
            .issues
            .iter()
            .filter(|i| i.deleted_at.is_none())
            .map(|i| i.category.as_str())
            .collect::<Vec<_>>()
            .join(l.list_sep);
        // A meeting with case issues and no case fields still shows its issues (what the
        // annual report counts is in the minutes too).
        let has_fields = is_case_meeting(self.input);
        if !has_fields && issues.is_empty() {
            return;
        }
        self.heading(2, vec![word(l.case)]);
        let lead = m.lead_agency.as_deref().unwrap_or("");
        let fields = [
            (l.case_ref, m.case.as_str(), Field::Pseudonym),
            (l.lead_agency, lead, Field::Agency),
            (l.key_person, m.key_person.as_str(), Field::KeyPerson),
            (l.risk, m.risk.as_str(), Field::Text),
            (l.urgency, m.urgency.as_str(), Field::Text),
            (l.issues, issues.as_str(), Field::Text),
        ];
        let mut items = Vec::with_capacity(fields.len());
        self.case_fields(&mut items, &fields);
        self.push(Block::List(items));
        if has_fields {
            self.heading(3, vec![word(l.support_policy)]);
            self.paragraph_or_none(&m.support_policy);
        }
    }

    /// The issues of a meeting that belong to none of the cases it discusses (at a meeting of
    /// several cases, those captured while no case was being discussed): kept in the minutes under their own heading.
    fn unassigned_issues(&mut self) {
        let input = self.input;
        let single = input.cases.len() == 1;
        let issues = input
            .meeting
            .issues
            .iter()
            .filter(|i| i.deleted_at.is_none())
            .filter(|i| match &i.case {
                None => !single,
                Some(r) => !input.cases.iter().any(|c| &c.reference == r),
            })
            .map(|i| i.category.as_str())
            .collect::<Vec<_>>()
            .join(self.l.list_sep);
        if issues.is_empty() {
            return;
        }
        self.heading(2, vec![word(self.l.unassigned_issues)]);
        let text = self.user_inline(&issues);
        self.paragraph(vec![text]);
    }

    /// The fields of a case that hold something, each as its kind of field is redacted.
    fn case_fields(&mut self, items: &mut Vec<Item>, fields: &[(&str, &str, Field)]) {
        for &(label, value, kind) in fields {
            if value.trim().is_empty() {
                continue;
            }
            let value = match (&mut self.redactor, kind) {
                (Some(r), Field::KeyPerson) => typed(r.key_person(value)),
                (_, Field::Pseudonym) => typed(self.redactor.pseudonym(value)),
                (_, Field::Agency) => typed(self.agency(value)),
                _ => self.user_inline(value),
            };
            items.push(self.field(label, vec![value]));
        }
    }

    /// The issues of one case discussed (all the meeting's when it discusses one case).
    fn issues_of(&self, case: &CaseAtMeeting) -> String {
        let single = self.input.cases.len() == 1;
        self.input
            .meeting
            .issues
            .iter()
            .filter(|i| i.deleted_at.is_none())
            .filter(|i| i.case.as_ref() == Some(&case.reference) || (single && i.case.is_none()))
            .map(|i| i.category.as_str())
            .collect::<Vec<_>>()
            .join(self.l.list_sep)
    }

    /// One case the meeting discussed: the basis it was shared on, the case as it stood after
    /// the meeting, the situation told, the policy and plan, and its closure when it ended here.
    fn case_discussed(&mut self, c: &CaseAtMeeting) {
        let l = self.l;
        let link = &c.link;
        let pseudonym = self.redactor.pseudonym(&c.pseudonym);
        self.heading(
            2,
            vec![word(format!("{}{}", l.case, l.colon)), typed(pseudonym)],
        );
        let mut items = Vec::with_capacity(8);
        if let Some(status) = link.status {
            items.push(self.field(l.case_status, vec![word(status.label(self.lang))]));
        }
        if !link.basis.trim().is_empty() {
            // Redacted as typed, then said in the reader's language when it is a rule's.
            let basis = self.user(&link.basis).into_owned();
            let mut basis = vec![typed(basis_text(&basis, self.lang))];
            if link.warned {
                basis.push(word(" — "));
                basis.push(word(l.shared_warned));
            }
            items.push(self.field(l.shared_on, basis));
        }
        if let Some(consent) = link.consent {
            items.push(self.field(l.consent, vec![word(consent.label(self.lang))]));
        }
        let issues = self.issues_of(c);
        let lead = link.lead_agency.as_deref().unwrap_or("");
        let risk = Level::show(&link.risk, self.lang);
        let urgency = Level::show(&link.urgency, self.lang);
        let fields = [
            (l.lead_agency, lead, Field::Agency),
            (l.key_person, link.key_person.as_str(), Field::KeyPerson),
            (l.risk, risk.as_str(), Field::Text),
            (l.urgency, urgency.as_str(), Field::Text),
            (l.issues, issues.as_str(), Field::Text),
        ];
        self.case_fields(&mut items, &fields);
        if !items.is_empty() {
            self.push(Block::List(items));
        }
        if !link.situation.trim().is_empty() {
            self.heading(3, vec![word(l.situation)]);
            self.paragraph_or_none(&link.situation);
        }
        self.heading(3, vec![word(l.support_policy)]);
        self.paragraph_or_none(&link.policy);
        let mut plan_heading = vec![word(l.plan_after)];
        if c.revised_here && !c.plan.is_empty() {
            plan_heading.extend(self.paren(vec![word(l.plan_revised)]));
        }
        self.heading(3, plan_heading);
        if c.plan.is_empty() {
            self.paragraph(vec![word(l.none)]);
        } else {
            let rows = c
                .plan
                .iter()
                .map(|p| {
                    vec![
                        vec![typed_as(
                            self.agency(p.agency.as_deref().unwrap_or("")),
                            Breaks::Keep,
                        )],
                        vec![typed_as(self.user(&p.role).into_owned(), Breaks::Keep)],
                        vec![typed_as(self.user(&p.goal).into_owned(), Breaks::Keep)],
                    ]
                })
                .collect();
            self.push(Block::Table {
                headers: vec![
                    l.agency.to_owned(),
                    l.responsibility.to_owned(),
                    l.goal.to_owned(),
                ],
                rows,
            });
        }
        if let Some(closure) = &c.closure {
            self.heading(3, vec![word(closure.kind.label(self.lang))]);
            let mut items = Vec::with_capacity(4);
            if !closure.date.is_empty() {
                items.push(self.field(l.date, vec![self.date_long(&closure.date)]));
            }
            if !closure.transferred_to.trim().is_empty() {
                let to = typed(self.agency(&closure.transferred_to));
                items.push(self.field(l.transferred_to, vec![to]));
            }
            let reason = self.user_lines(&closure.reason);
            items.push(self.field(l.closure_reason, vec![reason]));
            let evaluation = self.user_lines(&closure.evaluation);
            items.push(self.field(l.evaluation, vec![evaluation]));
            self.push(Block::List(items));
        }
    }

    /// The cases reviewed at the meeting (進行管理): one row each — the case, where it stands
    /// after the review (an ending with its reason, a transfer with where to, the note), the
    /// lead agency, the policy and the next review.
    fn case_reviews(&mut self) {
        let input = self.input;
        let reviews = &input.during.case_reviews;
        if reviews.is_empty() {
            return;
        }
        let l = self.l;
        self.heading(2, vec![word(l.case_reviews)]);
        let rows = reviews
            .iter()
            .map(|r| {
                let mut state = vec![word(r.status.review_label(self.lang))];
                // Where a case went is an agency field (a relative taken in as `鈴木 次郎（叔父）`
                // is a person, replaced as the case record replaces it); a reason is free text.
                let detail = if r.status == crate::domain::case::CaseStatus::Transferred {
                    let to = self.agency(&r.transferred_to);
                    Some(typed(format!("{}{}{to}", l.transferred_to, l.colon)))
                } else if r.status.is_ended() && !r.reason.trim().is_empty() {
                    Some(self.user_inline(&r.reason))
                } else {
                    None
                };
                if let Some(detail) = detail {
                    state.extend(self.paren(vec![detail]));
                }
                if !r.note.trim().is_empty() {
                    state.push(word(" — "));
                    state.push(self.user_inline(&r.note));
                }
                let lead = self.agency(r.lead_agency.as_deref().unwrap_or(""));
                let next = match r.next_review {
                    Some(d) => self.date_short(&d.format("%Y-%m-%d").to_string()),
                    None => word(""),
                };
                vec![
                    vec![typed_as(
                        self.redactor.pseudonym(&r.pseudonym),
                        Breaks::Keep,
                    )],
                    state,
                    vec![typed_as(lead, Breaks::Keep)],
                    vec![self.user_inline(&r.policy)],
                    vec![next],
                ]
            })
            .collect();
        let headers = [
            l.case,
            l.review_status,
            l.lead_agency,
            l.review_policy,
            l.next_review,
        ]
        .map(str::to_owned)
        .to_vec();
        self.push(Block::Table { headers, rows });
    }

    /// The case a record of the meeting belongs to, when the meeting discusses several: its
    /// pseudonym, for a column or a mark.
    fn case_of(&mut self, reference: Option<&ExternalId>) -> Option<String> {
        if self.input.cases.len() < 2 {
            return None;
        }
        let reference = reference?;
        let input = self.input;
        let case = input.cases.iter().find(|c| &c.reference == reference)?;
        Some(self.redactor.pseudonym(&case.pseudonym))
    }

    fn roles(&mut self) {
        let l = self.l;
        self.heading(2, vec![word(l.roles)]);
        if self.input.meeting.roles.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let input = self.input;
        let several = input.cases.len() > 1;
        let rows = input
            .meeting
            .roles
            .iter()
            .map(|r| {
                let mut row = Vec::with_capacity(3);
                if several {
                    row.push(vec![typed(
                        self.case_of(r.case.as_ref()).unwrap_or_default(),
                    )]);
                }
                row.push(vec![typed_as(
                    self.agency(r.agency.as_deref().unwrap_or("")),
                    Breaks::Keep,
                )]);
                row.push(vec![typed_as(
                    self.user(&r.role).into_owned(),
                    Breaks::Keep,
                )]);
                row
            })
            .collect();
        let mut headers = Vec::with_capacity(3);
        if several {
            headers.push(l.case.to_owned());
        }
        headers.extend([l.agency.to_owned(), l.responsibility.to_owned()]);
        self.push(Block::Table { headers, rows });
    }

    fn due(&mut self, due: Option<&str>) -> Option<Vec<Span>> {
        let due = due.filter(|d| !d.trim().is_empty())?;
        Some(vec![
            word(format!("{} ", self.l.due)),
            self.typed_date(due, false),
        ])
    }

    /// A list item for an action: a task, done or not; a dropped one was not done, so it is no
    /// task (no ticked box), its text struck through and marked.
    fn task(&self, status: ActionStatus, text: Vec<Span>) -> (Option<bool>, Vec<Span>) {
        match status {
            ActionStatus::Open => (Some(false), text),
            ActionStatus::Done => (Some(true), text),
            ActionStatus::Dropped => {
                let mark = self.paren(vec![word(labels::action_status(status, self.lang))]);
                let mark = crate::document::plain(&mark);
                (
                    None,
                    vec![
                        Span::Strike(text),
                        word(" "),
                        word(mark.trim_start().to_owned()),
                    ],
                )
            }
        }
    }

    fn actions(&mut self) {
        let l = self.l;
        self.heading(2, vec![word(l.actions)]);
        let input = self.input;
        if input.meeting.actions.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        for (agency, list) in by_agency(&input.meeting.actions) {
            let heading = match agency {
                Some(a) => typed(self.agency(a)),
                None => word(crate::document::plain(&self.paren(vec![word(l.no_agency)])).trim()),
            };
            self.heading(3, vec![heading]);
            let mut items = Vec::with_capacity(list.len());
            for a in list {
                let mut text = Vec::with_capacity(2);
                if let Some(case) = self.case_of(a.case.as_ref()) {
                    text.push(word(self.lang.pick("［", "[")));
                    text.push(typed(case));
                    text.push(word(self.lang.pick("］", "] ")));
                }
                text.push(self.user_lines(&a.text));
                let (task, mut spans) = self.task(a.status, text);
                if let Some(due) = self.due(a.due.as_deref()) {
                    spans.extend(self.paren(due));
                }
                items.push(Item { task, spans });
            }
            self.push(Block::List(items));
        }
    }

    fn carried_origin(&self, a: &CarriedAction) -> Vec<Span> {
        let date = self.date_short(&a.from_date);
        match self.lang {
            Lang::Ja => vec![date, word(self.l.carried_from)],
            Lang::En => vec![word(format!("{} ", self.l.carried_from)), date],
        }
    }

    fn carried_state(&self, a: &CarriedAction) -> Vec<Span> {
        let l = self.l;
        let status = labels::action_status(a.status, self.lang);
        let here = closed_here(self.input, a);
        let when = if here {
            Some(word(l.at_this_meeting))
        } else {
            a.closed_in_date.as_deref().map(|d| self.date_short(d))
        };
        let mut spans = vec![word(format!("{}{}{status}", l.now, l.colon))];
        if let (ActionStatus::Done | ActionStatus::Dropped, Some(when)) = (a.status, when) {
            spans.extend(self.paren(vec![when]));
        }
        spans
    }

    fn carried(&mut self) {
        let l = self.l;
        self.heading(2, vec![word(l.carried)]);
        if self.input.carried.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let input = self.input;
        let mut items = Vec::with_capacity(input.carried.len());
        for a in &input.carried {
            let agency = match a.agency.as_deref() {
                Some(agency) => typed(self.agency(agency)),
                None => typed(l.no_agency),
            };
            let text = self.user_lines(&a.text);
            let mut details = Vec::with_capacity(4);
            if let Some(due) = self.due(a.due.as_deref()) {
                details.extend(due);
                details.push(word(self.lang.pick("、", "; ")));
            }
            details.extend(self.carried_origin(a));
            let (task, mut spans) = self.task(
                a.status,
                vec![Span::strong(vec![agency]), word(l.colon), text],
            );
            spans.extend(self.paren(details));
            spans.push(word(" — "));
            let reviews: Vec<&ActionReview> = input
                .during
                .reviews
                .iter()
                .filter(|r| r.action_id == a.id)
                .collect();
            if a.status == ActionStatus::Open && !reviews.is_empty() {
                let state = format!(
                    "{}{}{}",
                    l.now,
                    l.colon,
                    self.lang.pick("継続", "continued")
                );
                spans.push(word(state));
                spans.extend(self.paren(vec![word(l.at_this_meeting)]));
            } else {
                spans.extend(self.carried_state(a));
            }
            for r in reviews {
                spans.push(word(self.lang.pick("。", ". ")));
                spans.extend(self.continuation(r));
            }
            items.push(Item { task, spans });
        }
        self.push(Block::List(items));
    }

    /// A carried action continued at this meeting: its new due date and the note on its
    /// progress.
    fn continuation(&mut self, r: &ActionReview) -> Vec<Span> {
        let due = match r.due_after.as_deref() {
            Some(d) => self.typed_date(d, false),
            None => word(self.l.none),
        };
        let mut spans = vec![word(self.lang.pick("新しい期限 ", "new due date ")), due];
        if !blank(&r.note) {
            spans.push(word(self.lang.pick("。経過：", ". Progress: ")));
            spans.push(self.user_lines(&r.note));
        }
        spans
    }

    fn remaining_issues(&mut self) {
        self.heading(2, vec![word(self.l.remaining_issues)]);
        let input = self.input;
        self.paragraph_or_none(&input.meeting.remaining_issues);
    }

    fn next_meeting(&mut self) {
        self.heading(2, vec![word(self.l.next_meeting)]);
        let next = match self.input.next_meeting.as_deref() {
            Some(d) if !d.trim().is_empty() => self.typed_date(d, true),
            _ => word(self.l.not_set),
        };
        self.paragraph(vec![next]);
    }

    fn amendment_value(&mut self, a: &Amendment, value: Option<&str>) -> Span {
        let value = value.unwrap_or("");
        match labels::coded_value(&a.entity, &a.field, value, self.lang) {
            Some(label) => word(label),
            None if is_name_field(&a.entity, &a.field) && !value.trim().is_empty() => {
                typed_as(self.name(value), Breaks::Keep)
            }
            None => typed_as(self.user(value).into_owned(), Breaks::Keep),
        }
    }

    fn amendments(&mut self) {
        let l = self.l;
        if self.input.approval.is_none() && self.input.amendments.is_empty() {
            return;
        }
        self.heading(2, vec![word(l.amendments)]);
        if self.input.amendments.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let redacted = self.redactor.is_some();
        let mut rows = Vec::with_capacity(self.input.amendments.len());
        let input = self.input;
        for a in &input.amendments {
            let mut what = vec![typed_as(
                labels::field(&a.entity, &a.field, self.lang),
                Breaks::Keep,
            )];
            if !a.subject.trim().is_empty() {
                let subject = if a.entity == "attendee" {
                    self.name(&a.subject)
                } else {
                    self.user(&a.subject).into_owned()
                };
                what.extend(self.paren(vec![typed_as(subject, Breaks::Keep)]));
            }
            let mut row = vec![vec![self.stamp(&a.at)]];
            if !redacted {
                row.push(vec![typed_as(a.by.clone(), Breaks::Keep)]);
            }
            row.push(what);
            row.push(vec![self.amendment_value(a, a.old_value.as_deref())]);
            row.push(vec![self.amendment_value(a, a.new_value.as_deref())]);
            rows.push(row);
        }
        let headers: Vec<&str> = if redacted {
            vec![l.when, l.what, l.before, l.after]
        } else {
            vec![l.when, l.by, l.what, l.before, l.after]
        };
        self.push(Block::Table {
            headers: headers.into_iter().map(String::from).collect(),
            rows,
        });
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
