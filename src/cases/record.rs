//! The case record (経過記録) as a [`Document`]: the case's fields, its household, consent, the
//! policy and plan with every revision, every meeting that discussed it in order (body, the
//! basis it was shared on, the situation, what was decided, who does what, the actions and
//! their state now), the closure, and the history of its status. Redacted, every person's name —
//! the household's first — is replaced by a stable placeholder, in every written form.

use std::borrow::Cow;

use super::labels::{Labels, labels};
use crate::document::{Block, Breaks, Document, Item, Span, dates};
use crate::domain::case::{CaseStatus, Level, basis_text};
use crate::domain::model::{ActionStatus, MeetingPhase};
use crate::i18n::Lang;
use crate::interchange::{CaseChangeRecord, CaseLink, CaseRecord, PlanLine, RoleRecord};
use crate::minutes::redact::{Discovered, Redacting, Redactor};
use crate::minutes::{Person, RedactionReport};

/// Everything a case record shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecordInput {
    /// The case as it is: fields, kept household members, the plan and its revisions, closure,
    /// and the recorded changes (for the status history).
    pub case: CaseRecord,
    /// Every meeting that discussed it, oldest first.
    pub meetings: Vec<CaseMeeting>,
    /// Every next action of the case, in the order they were made.
    pub actions: Vec<CaseAction>,
    /// Everyone the record may name besides the household (facilitators, attendees, key people
    /// and removed members), for redaction.
    pub people: Vec<Person>,
    /// Its reviews at meetings (進行管理), newest first.
    pub reviews: Vec<super::ledger::CaseReview>,
    /// The case's ward, where the database holds several (a city's): `都島区（271021）`.
    pub ward: Option<String>,
}

/// A meeting that discussed the case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMeeting {
    pub id: i64,
    pub uid: Option<uuid::Uuid>,
    pub body: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub phase: MeetingPhase,
    /// The basis, the situation, and the case as it stood after the meeting.
    pub link: CaseLink,
    /// The notes taken of the case there (協議の内容), in agenda order.
    pub notes: Vec<String>,
    pub decisions: Vec<String>,
    pub roles: Vec<RoleRecord>,
    pub issues: Vec<String>,
    /// The plan or policy was revised there.
    pub revised: bool,
}

/// A next action of the case: where it was made, and where it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseAction {
    pub meeting_id: i64,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    /// The meeting that closed it (id, date, body).
    pub closed_in: Option<(i64, String, String)>,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub lang: Lang,
    pub redact: bool,
}

/// The case record as a document.
pub fn document(input: &CaseRecordInput, options: &Options) -> Document {
    if options.redact {
        return redacted_document(input, options.lang).0;
    }
    write(input, options.lang, None).0
}

/// The case record as Markdown.
pub fn render(input: &CaseRecordInput, options: &Options) -> String {
    crate::document::markdown::render(&document(input, options))
}

/// The redacted case record and what the redaction did. Two passes, as for the minutes: the
/// first finds names nobody recorded that an honorific marks, the second replaces every
/// mention of them.
pub fn redacted_document(input: &CaseRecordInput, lang: Lang) -> (Document, RedactionReport) {
    let first = redactor(input, lang, &Discovered::default());
    let (doc, r) = write(input, lang, Some(first));
    let discovered = r.as_ref().map(Redactor::discovered).unwrap_or_default();
    if discovered == Discovered::default() {
        return (doc, r.map(|r| r.report()).unwrap_or_default());
    }
    let (doc, r) = write(input, lang, Some(redactor(input, lang, &discovered)));
    (doc, r.map(|r| r.report()).unwrap_or_default())
}

/// Every person of the case: the household (the person at the centre first), the people of its
/// meetings, and the key person when it is a person.
pub fn people(input: &CaseRecordInput) -> Vec<Person> {
    let members: Vec<(String, String)> = input
        .case
        .members
        .iter()
        .map(|m| (m.relation.clone(), m.name.clone()))
        .collect();
    let mut out = super::household_people(&members);
    out.extend(input.people.iter().cloned());
    let key_people = [&input.case.key_person, &input.case.consent_by]
        .into_iter()
        .chain(input.meetings.iter().map(|m| &m.link.key_person));
    for k in key_people {
        if crate::minutes::redact::key_person_name(k).is_some() {
            out.extend(Person::from_field(k, crate::minutes::PersonKind::KeyPerson));
        }
    }
    out
}

/// Texts of a case written elsewhere (its ledger row's 援助方針 and 終結理由) redacted as its
/// redacted record redacts them: the same people, names nobody recorded found by the same two
/// passes, and the same placeholders (the record is written through the redactor first, so each
/// person has the letter the record gives them).
pub fn redact_texts(input: &CaseRecordInput, lang: Lang, texts: &[&str]) -> Vec<String> {
    let mut r = texts_redactor(input, lang, &[]);
    texts.iter().map(|t| r.redact(t).into_owned()).collect()
}

/// The redactor of a case's texts written elsewhere ([`redact_texts`]), its withheld
/// pseudonyms numbered after `withheld` (the rows of the ledger before).
fn texts_redactor(input: &CaseRecordInput, lang: Lang, withheld: &[String]) -> Redactor {
    let made = |discovered: &Discovered| {
        let mut r = redactor(input, lang, discovered);
        r.continue_withheld(withheld);
        r
    };
    let (_, first) = write(input, lang, Some(made(&Discovered::default())));
    let discovered = first.as_ref().map(Redactor::discovered).unwrap_or_default();
    // Written once more only when the first writing found names nobody recorded, as
    // [`redacted_document`] does: otherwise the second would be the first again.
    let second = if discovered == Discovered::default() {
        first
    } else {
        write(input, lang, Some(made(&discovered))).1
    };
    second.unwrap_or_else(|| made(&discovered))
}

/// The ledger written redacted (`renkei cases --redact`, the ledger's `w` after `R`): each row's
/// free text — 援助方針 and 終結理由 — as the case's redacted record says it ([`redact_texts`]:
/// its household and everyone its meetings recorded replaced by A氏, B氏 …), the record of a case
/// read by `record_of` (`Store::case_record_input`); and its pseudonym as the record prints it —
/// withheld where it spells a name (`（仮名非表示1）` for イチロウ世帯, made before such a pseudonym
/// was refused: session 14), in the cell and in the texts, numbered over the whole ledger
/// (`withheld`: the pseudonyms withheld by the rows before, in order). The agency cells are
/// masked whether or not (`ledger::mask`).
pub fn redact_ledger<E>(
    rows: &mut [crate::cases::ledger::CaseRow],
    lang: Lang,
    withheld: &mut Vec<String>,
    mut record_of: impl FnMut(i64) -> Result<Option<CaseRecordInput>, E>,
) -> Result<(), E> {
    for row in rows {
        let Some(input) = record_of(row.id)? else {
            continue;
        };
        let mut r = texts_redactor(&input, lang, withheld);
        row.pseudonym = r.pseudonym(&row.pseudonym);
        row.policy = r.redact(&row.policy).into_owned();
        row.closure_reason = r.redact(&row.closure_reason).into_owned();
        r.withheld().clone_into(withheld);
    }
    Ok(())
}

/// Whether the redacted record withholds the case's pseudonym (it spells a name:
/// [`Redactor::pseudonym`]) — then nothing written with the record, its file's name included,
/// may show it.
pub fn withholds_pseudonym(input: &CaseRecordInput, lang: Lang) -> bool {
    redactor(input, lang, &Discovered::default()).spells_name(&input.case.pseudonym)
}

fn redactor(input: &CaseRecordInput, lang: Lang, discovered: &Discovered) -> Redactor {
    let mut all = people(input);
    all.extend(discovered.people.iter().cloned());
    let c = &input.case;
    let mut agencies: Vec<String> = Vec::new();
    let named = c
        .lead_agency
        .iter()
        .chain(&c.referred_by)
        .chain(c.plan.iter().filter_map(|l| l.agency.as_ref()))
        .chain(input.actions.iter().filter_map(|a| a.agency.as_ref()))
        .chain(
            input
                .meetings
                .iter()
                .flat_map(|m| m.roles.iter().filter_map(|r| r.agency.as_ref())),
        );
    for a in named {
        if !agencies.contains(a) {
            agencies.push(a.clone());
        }
    }
    for a in input.reviews.iter().filter_map(|r| r.lead_agency.as_ref()) {
        if !agencies.contains(a) {
            agencies.push(a.clone());
        }
    }
    // An agency field holding a person (a member typed as the lead agency, in any written form,
    // or a name with a relation) is no agency: the redactor replaces it like the person and
    // keeps none of it whole; one nobody recorded becomes a person to replace everywhere.
    let held =
        crate::minutes::redact::agency_field_people(&all, agencies.iter().map(String::as_str));
    all.extend(held);
    agencies.extend(input.meetings.iter().map(|m| m.body.clone()));
    let mut r = Redactor::new(lang, &all, &agencies);
    let subject = c
        .members
        .iter()
        .find(|m| m.relation.trim() == "本人")
        .map(|m| m.name.as_str());
    r.keep_pseudonyms(&[(c.pseudonym.as_str(), subject)], discovered);
    r
}

struct Writer<'a> {
    doc: Document,
    input: &'a CaseRecordInput,
    lang: Lang,
    l: &'static Labels,
    redactor: Option<Redactor>,
}

fn write(
    input: &CaseRecordInput,
    lang: Lang,
    redactor: Option<Redactor>,
) -> (Document, Option<Redactor>) {
    let mut w = Writer {
        doc: Document::default(),
        input,
        lang,
        l: labels(lang),
        redactor,
    };
    w.title();
    w.fields();
    w.household();
    w.consent();
    w.plan();
    w.history();
    w.reviews();
    w.closure();
    w.status_history();
    (w.doc, w.redactor)
}

fn word(text: impl Into<String>) -> Span {
    Span::Word(text.into())
}

fn typed(text: impl Into<String>) -> Span {
    Span::typed(text)
}

fn cell(text: impl Into<String>) -> Vec<Span> {
    vec![Span::Typed {
        text: text.into(),
        breaks: Breaks::Keep,
    }]
}

impl Writer<'_> {
    fn user<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        self.redactor.text(text)
    }

    fn name(&mut self, text: &str) -> String {
        self.redactor.name(text)
    }

    fn agency(&mut self, text: &str) -> String {
        self.redactor.agency_field(text)
    }

    fn key_person(&mut self, text: &str) -> String {
        self.redactor.key_person_field(text)
    }

    fn push(&mut self, b: Block) {
        self.doc.push(b);
    }

    fn heading(&mut self, level: u8, spans: Vec<Span>) {
        self.push(Block::Heading { level, spans });
    }

    /// A bold title and the texts as a list under it; nothing when there is no text.
    fn titled_list(&mut self, title: &str, texts: &[String]) {
        if texts.is_empty() {
            return;
        }
        self.paragraph(vec![Span::strong(vec![word(title)])]);
        let items = texts
            .iter()
            .map(|t| Item::new(vec![Span::lines(self.user(t).into_owned())]))
            .collect();
        self.push(Block::List(items));
    }

    fn paragraph(&mut self, spans: Vec<Span>) {
        self.push(Block::Paragraph(spans));
    }

    fn field(&self, label: &str, value: Vec<Span>) -> Item {
        let mut spans = vec![Span::strong(vec![word(label)]), word(self.l.colon)];
        spans.extend(value);
        Item::new(spans)
    }

    fn paren(&self, inner: Vec<Span>) -> Vec<Span> {
        let mut out = vec![word(self.l.open_paren)];
        out.extend(inner);
        out.push(word(self.l.close_paren));
        out
    }

    fn date_long(&self, text: &str) -> Span {
        dates::long(text, self.lang)
    }

    fn date_short(&self, text: &str) -> Span {
        dates::short(text, self.lang)
    }

    fn stamp(&self, text: &str) -> Span {
        dates::stamp(text)
    }

    fn title(&mut self) {
        let pseudonym = typed(self.redactor.pseudonym(&self.input.case.pseudonym));
        let title = match self.lang {
            Lang::Ja => vec![word(format!("{}：", self.l.record)), pseudonym],
            Lang::En => vec![word(format!("{}: ", self.l.record)), pseudonym],
        };
        self.heading(1, title);
        self.push(Block::Notice {
            title: self.l.notice_title.to_owned(),
            text: self.l.notice.to_owned(),
        });
        if self.redactor.is_some() {
            self.push(Block::Remark(vec![word(self.l.redacted)]));
        }
    }

    fn level(&self, text: &str) -> Option<Span> {
        (!text.trim().is_empty()).then(|| match text.parse::<Level>() {
            Ok(level) => word(level.label(self.lang)),
            Err(_) => typed(text),
        })
    }

    fn fields(&mut self) {
        let l = self.l;
        let c = &self.input.case;
        let mut items = vec![self.field(l.status, vec![word(c.status.label(self.lang))])];
        if let Some(ward) = &self.input.ward {
            items.push(self.field(l.ward, vec![typed(ward.clone())]));
        }
        if let Some(opened) = &c.opened {
            items.push(self.field(l.opened, vec![self.date_long(opened)]));
        }
        if let Some(by) = c.referred_by.as_deref().filter(|s| !s.trim().is_empty()) {
            let by = self.agency(by);
            items.push(self.field(l.referred_by, vec![typed(by)]));
        }
        if let Some(lead) = c.lead_agency.as_deref().filter(|s| !s.trim().is_empty()) {
            let lead = self.agency(lead);
            items.push(self.field(l.lead_agency, vec![typed(lead)]));
        }
        if !c.key_person.trim().is_empty() {
            let key = self.key_person(&c.key_person);
            items.push(self.field(l.key_person, vec![typed(key)]));
        }
        for (label, value) in [(l.risk, &c.risk), (l.urgency, &c.urgency)] {
            if let Some(span) = self.level(value) {
                items.push(self.field(label, vec![span]));
            }
        }
        let review = match &c.next_review {
            Some(d) => self.date_long(d),
            None => word(l.not_set),
        };
        items.push(self.field(l.next_review, vec![review]));
        self.push(Block::List(items));
    }

    fn household(&mut self) {
        let l = self.l;
        self.heading(2, vec![word(l.household)]);
        let members = &self.input.case.members;
        if members.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let mut rows = Vec::with_capacity(members.len());
        for m in members {
            let relation = self.redactor.relation(&m.relation);
            let name = if m.name.trim().is_empty() {
                String::new()
            } else {
                self.name(&m.name)
            };
            rows.push(vec![cell(relation), cell(name)]);
        }
        self.push(Block::Table {
            headers: vec![l.relation.to_owned(), l.name.to_owned()],
            rows,
        });
    }

    fn consent(&mut self) {
        let l = self.l;
        let c = &self.input.case;
        self.heading(2, vec![word(l.consent)]);
        let mut spans = vec![word(c.consent.label(self.lang))];
        let mut detail = Vec::new();
        if let Some(d) = &c.consent_date {
            detail.push(self.date_short(d));
        }
        // The one who recorded it is a login: a person, left out of a redacted copy.
        if self.redactor.is_none() && !c.consent_by.trim().is_empty() {
            if !detail.is_empty() {
                detail.push(word(l.sep));
            }
            detail.push(word(format!("{} ", l.recorded_by)));
            detail.push(typed(c.consent_by.clone()));
        }
        if !detail.is_empty() {
            spans.extend(self.paren(detail));
        }
        self.paragraph(spans);
    }

    fn plan_table(&mut self, lines: &[PlanLine]) {
        let l = self.l;
        if lines.is_empty() {
            self.paragraph(vec![word(l.none)]);
            return;
        }
        let mut rows = Vec::with_capacity(lines.len());
        for line in lines {
            let agency = match line.agency.as_deref() {
                Some(a) => self.agency(a),
                None => String::new(),
            };
            let role = self.user(&line.role).into_owned();
            let goal = self.user(&line.goal).into_owned();
            rows.push(vec![cell(agency), cell(role), cell(goal)]);
        }
        self.push(Block::Table {
            headers: vec![l.agency.to_owned(), l.role.to_owned(), l.goal.to_owned()],
            rows,
        });
    }

    fn plan(&mut self) {
        let l = self.l;
        let input = self.input;
        let c = &input.case;
        self.heading(2, vec![word(l.policy)]);
        let policy = self.user(&c.policy).into_owned();
        if policy.trim().is_empty() {
            self.paragraph(vec![word(l.none)]);
        } else {
            self.paragraph(vec![Span::lines(policy)]);
        }
        self.heading(2, vec![word(l.plan)]);
        self.plan_table(&c.plan);
        if c.revisions.is_empty() {
            return;
        }
        self.heading(3, vec![word(l.revisions)]);
        let mut rows = Vec::with_capacity(c.revisions.len());
        for r in &c.revisions {
            let when = r.at.as_deref().map(|a| self.stamp(a)).unwrap_or(word(""));
            let meeting = r
                .meeting
                .and_then(|uid| input.meetings.iter().find(|m| revision_meeting(m, uid)))
                .map(|m| format!("{} {}", m.date, m.body))
                .unwrap_or_else(|| l.alone.to_owned());
            let lines: Vec<String> = r
                .plan
                .iter()
                .map(|p| {
                    let agency = p.agency.clone().unwrap_or_default();
                    let goal = if p.goal.trim().is_empty() {
                        String::new()
                    } else {
                        format!("{}{}{}", l.open_paren, p.goal, l.close_paren)
                    };
                    format!("{agency}{}{}{goal}", l.colon, p.role)
                })
                .collect();
            let policy = self.user(&r.policy).into_owned();
            let lines = self.user(&lines.join("\n")).into_owned();
            let mut row = vec![vec![when], cell(meeting)];
            if self.redactor.is_none() {
                row.push(cell(r.by.clone()));
            }
            row.push(cell(policy));
            row.push(cell(lines));
            rows.push(row);
        }
        let mut headers = vec![l.when.to_owned(), l.meeting.to_owned()];
        if self.redactor.is_none() {
            headers.push(l.author.to_owned());
        }
        headers.extend([l.policy.to_owned(), l.plan.to_owned()]);
        self.push(Block::Table { headers, rows });
    }

    fn action_state(&self, a: &CaseAction) -> Vec<Span> {
        let status = match self.lang {
            Lang::Ja => a.status.label_ja(),
            Lang::En => a.status.code(),
        };
        let mut spans = vec![word(format!("{}{}{status}", self.l.now, self.l.colon))];
        if a.status != ActionStatus::Open
            && let Some((_, date, body)) = &a.closed_in
        {
            let mut inner = vec![self.date_short(date), word(" "), typed(body.clone())];
            if self.lang == Lang::Ja {
                inner.push(word(self.l.at));
            } else {
                inner.insert(0, word(format!("{} ", self.l.at)));
            }
            spans.extend(self.paren(inner));
        }
        spans
    }

    fn action_item(&mut self, a: &CaseAction) -> Item {
        let agency = match a.agency.as_deref() {
            Some(ag) => typed(self.agency(ag)),
            None => word(self.l.no_agency),
        };
        let text = Span::lines(self.user(&a.text).into_owned());
        let mut inner = vec![Span::strong(vec![agency]), word(self.l.colon), text];
        if let Some(due) = a.due.as_deref().filter(|d| !d.trim().is_empty()) {
            // A due date typed as words (a database of old) is text, redacted as any.
            let due = match dates::parse(due) {
                Some(_) => self.date_short(due),
                None => typed(self.user(due).into_owned()),
            };
            let due = vec![word(format!("{} ", self.l.due)), due];
            inner.extend(self.paren(due));
        }
        let (done, mut spans) = match a.status {
            ActionStatus::Open => (false, inner),
            ActionStatus::Done => (true, inner),
            ActionStatus::Dropped => (true, vec![Span::Strike(inner)]),
        };
        spans.push(word(" — "));
        spans.extend(self.action_state(a));
        Item::task(done, spans)
    }

    fn history(&mut self) {
        let l = self.l;
        let input = self.input;
        self.heading(2, vec![word(l.history)]);
        if input.meetings.is_empty() {
            self.paragraph(vec![word(l.none)]);
        }
        for (n, m) in input.meetings.iter().enumerate() {
            let phase = match self.lang {
                Lang::Ja => m.phase.label_ja(),
                Lang::En => m.phase.label_en(),
            };
            let mut heading = vec![
                word(format!("{}. ", n + 1)),
                self.date_short(&m.date),
                word(" "),
                typed(m.body.clone()),
            ];
            if m.phase != MeetingPhase::Held {
                heading.extend(self.paren(vec![word(phase)]));
            }
            self.heading(3, heading);
            let mut fields = Vec::new();
            if !m.link.basis.trim().is_empty() {
                // Any text may be typed as the basis (本人（山田 花子）の同意): redacted as
                // text — it was printed as typed (attack, 2026-12-05).
                // Redacted as typed, then said in the reader's language when it is a rule's.
                let basis = self.user(&m.link.basis).into_owned();
                let mut basis = vec![typed(basis_text(&basis, self.lang))];
                if m.link.warned {
                    basis.push(word(" — "));
                    basis.push(word(l.warned));
                }
                fields.push(self.field(l.basis, basis));
            }
            if let Some(status) = m.link.status {
                fields.push(self.field(l.status, vec![word(status.label(self.lang))]));
            }
            if let Some(lead) = m
                .link
                .lead_agency
                .as_deref()
                .filter(|s| !s.trim().is_empty())
            {
                let lead = self.agency(lead);
                fields.push(self.field(l.lead_agency, vec![typed(lead)]));
            }
            for (label, value) in [(l.risk, &m.link.risk), (l.urgency, &m.link.urgency)] {
                if let Some(span) = self.level(value) {
                    fields.push(self.field(label, vec![span]));
                }
            }
            if !m.issues.is_empty() {
                let issues = self.user(&m.issues.join(l.sep)).into_owned();
                fields.push(self.field(l.issues, vec![typed(issues)]));
            }
            if m.revised {
                fields.push(Item::new(vec![word(l.revised_here)]));
            }
            if !fields.is_empty() {
                self.push(Block::List(fields));
            }
            if !m.link.situation.trim().is_empty() {
                self.paragraph(vec![Span::strong(vec![word(l.situation)])]);
                let situation = self.user(&m.link.situation).into_owned();
                self.paragraph(vec![Span::lines(situation)]);
            }
            self.titled_list(l.notes, &m.notes);
            self.titled_list(l.decisions, &m.decisions);
            if !m.roles.is_empty() {
                self.paragraph(vec![Span::strong(vec![word(l.roles)])]);
                let rows = m
                    .roles
                    .iter()
                    .map(|r| {
                        let agency = self.agency(r.agency.as_deref().unwrap_or(""));
                        vec![cell(agency), cell(self.user(&r.role).into_owned())]
                    })
                    .collect();
                self.push(Block::Table {
                    headers: vec![l.agency.to_owned(), l.role.to_owned()],
                    rows,
                });
            }
            let made: Vec<&CaseAction> = input
                .actions
                .iter()
                .filter(|a| a.meeting_id == m.id)
                .collect();
            if !made.is_empty() {
                self.paragraph(vec![Span::strong(vec![word(l.actions)])]);
                let items = made.into_iter().map(|a| self.action_item(a)).collect();
                self.push(Block::List(items));
            }
            let reviewed: Vec<&CaseAction> = input
                .actions
                .iter()
                .filter(|a| {
                    a.meeting_id != m.id && a.closed_in.as_ref().is_some_and(|c| c.0 == m.id)
                })
                .collect();
            if !reviewed.is_empty() {
                self.paragraph(vec![Span::strong(vec![word(l.reviewed)])]);
                let items = reviewed.into_iter().map(|a| self.action_item(a)).collect();
                self.push(Block::List(items));
            }
        }
    }

    /// The case's reviews at meetings, newest first: when and where, where it stood after (an
    /// ending with its reason, a transfer with where to, the note), the lead agency, the policy
    /// and the next review.
    fn reviews(&mut self) {
        let input = self.input;
        if input.reviews.is_empty() {
            return;
        }
        let l = self.l;
        self.heading(2, vec![word(l.reviews)]);
        let rows = input
            .reviews
            .iter()
            .map(|r| {
                let mut state = vec![word(r.status.review_label(self.lang))];
                let detail = if r.status == CaseStatus::Transferred {
                    Some(self.agency(&r.transferred_to))
                } else if r.status.is_ended() {
                    Some(self.user(&r.reason).into_owned())
                } else {
                    None
                };
                if let Some(detail) = detail.filter(|d| !d.trim().is_empty()) {
                    state.extend(self.paren(vec![typed(detail)]));
                }
                if !r.note.trim().is_empty() {
                    state.push(word(" — "));
                    state.push(typed(self.user(&r.note).into_owned()));
                }
                let lead = self.agency(r.lead_agency.as_deref().unwrap_or(""));
                let policy = self.user(&r.policy).into_owned();
                let next = match r.next_review {
                    Some(d) => vec![self.date_short(&d.format("%Y-%m-%d").to_string())],
                    None => Vec::new(),
                };
                vec![
                    vec![self.date_short(&r.meeting_date.format("%Y-%m-%d").to_string())],
                    cell(r.body.clone()),
                    state,
                    cell(lead),
                    vec![typed(policy)],
                    next,
                ]
            })
            .collect();
        let headers = [
            l.review_date,
            l.review_body,
            l.review_status,
            l.lead_agency,
            l.review_policy,
            l.review_next,
        ]
        .map(str::to_owned)
        .to_vec();
        self.push(Block::Table { headers, rows });
    }

    fn closure(&mut self) {
        let c = &self.input.case;
        if c.status.is_ended() {
            let ending = Ending {
                status: c.status,
                closed: c.closed.clone(),
                decided_at: c.closed_in,
                transferred_to: c.transferred_to.clone(),
                reason: c.closure_reason.clone(),
                evaluation: c.evaluation.clone(),
                reopened: None,
            };
            self.heading(2, vec![word(c.status.label(self.lang))]);
            self.ending(&ending);
        }
        // A case reopened keeps what its earlier endings said: each with its evaluation and
        // when it was reopened.
        let earlier = earlier_endings(&c.changes);
        if earlier.is_empty() {
            return;
        }
        self.heading(2, vec![word(self.l.earlier_endings)]);
        for e in &earlier {
            let mut title = vec![word(e.status.label(self.lang))];
            if let Some(d) = &e.closed {
                title.push(word(" "));
                title.push(self.date_short(d));
            }
            self.heading(3, title);
            self.ending(e);
        }
    }

    /// One ending: its kind, date, the meeting that decided it, where to, the reason, the
    /// evaluation of the plan, and when it was reopened.
    fn ending(&mut self, e: &Ending) {
        let l = self.l;
        let input = self.input;
        let mut items = vec![self.field(l.status, vec![word(e.status.label(self.lang))])];
        if let Some(d) = &e.closed {
            items.push(self.field(l.closed_on, vec![self.date_long(d)]));
        }
        if let Some(uid) = e.decided_at
            && let Some(m) = input.meetings.iter().find(|m| revision_meeting(m, uid))
        {
            items.push(self.field(
                l.decided_at,
                vec![self.date_short(&m.date), word(" "), typed(m.body.clone())],
            ));
        }
        if e.status == CaseStatus::Transferred && !e.transferred_to.trim().is_empty() {
            let to = self.agency(&e.transferred_to);
            items.push(self.field(l.transferred_to, vec![typed(to)]));
        }
        let reason = self.user(&e.reason).into_owned();
        items.push(self.field(l.reason, vec![Span::lines(reason)]));
        if let Some((at, meeting)) = &e.reopened {
            let mut spans = vec![self.stamp(at)];
            if let Some(m) =
                meeting.and_then(|uid| input.meetings.iter().find(|m| revision_meeting(m, uid)))
            {
                spans.push(word(" "));
                spans.extend(self.paren(vec![
                    self.date_short(&m.date),
                    word(" "),
                    typed(m.body.clone()),
                ]));
            }
            items.push(self.field(l.reopened, spans));
        }
        self.push(Block::List(items));
        self.heading(
            if e.reopened.is_some() { 4 } else { 3 },
            vec![word(l.evaluation)],
        );
        let evaluation = self.user(&e.evaluation).into_owned();
        if evaluation.trim().is_empty() {
            self.paragraph(vec![word(l.none)]);
        } else {
            self.paragraph(vec![Span::lines(evaluation)]);
        }
    }

    fn status_history(&mut self) {
        let l = self.l;
        let events: Vec<&CaseChangeRecord> = self
            .input
            .case
            .changes
            .iter()
            .filter(|ch| ch.entity == "case" && ch.field == "status")
            .collect();
        if events.is_empty() {
            return;
        }
        self.heading(2, vec![word(l.status_history)]);
        let mut items = Vec::with_capacity(events.len());
        for ch in events {
            let show = |code: &Option<String>| {
                code.as_deref()
                    .and_then(|c| c.parse::<CaseStatus>().ok())
                    .map(|s| s.label(self.lang).to_owned())
            };
            let mut spans = vec![self.stamp(&ch.at), word(" ")];
            match (show(&ch.old), show(&ch.new)) {
                (None, Some(new)) => spans.push(word(new)),
                (Some(old), Some(new)) => spans.push(word(format!("{old} → {new}"))),
                _ => continue,
            }
            let at = ch
                .meeting
                .and_then(|uid| self.input.meetings.iter().find(|m| m.uid == Some(uid)));
            if let Some(m) = at {
                let inner = vec![self.date_short(&m.date), word(" "), typed(m.body.clone())];
                spans.extend(self.paren(inner));
            }
            items.push(Item::new(spans));
        }
        self.push(Block::List(items));
    }
}

/// An ending of the case: the one it has now, or one before a reopening.
struct Ending {
    status: CaseStatus,
    closed: Option<String>,
    decided_at: Option<uuid::Uuid>,
    transferred_to: String,
    reason: String,
    evaluation: String,
    /// When it was reopened (the instant), and at which meeting.
    reopened: Option<(String, Option<uuid::Uuid>)>,
}

/// The endings a case had before it was reopened, oldest first, from its recorded changes: a
/// reopening keeps the date, reason, evaluation and where to it cleared as the values before
/// its changes, and the ending it undid names the meeting that decided it.
fn earlier_endings(changes: &[CaseChangeRecord]) -> Vec<Ending> {
    let of_case: Vec<&CaseChangeRecord> = changes.iter().filter(|c| c.entity == "case").collect();
    let status = |code: &Option<String>| code.as_deref().and_then(|c| c.parse::<CaseStatus>().ok());
    let mut out = Vec::new();
    let mut decided_at = None;
    for (i, ch) in of_case
        .iter()
        .enumerate()
        .filter(|(_, c)| c.field == "status")
    {
        match (status(&ch.old), status(&ch.new)) {
            (Some(from), Some(to)) if CaseStatus::reopens(from, to) => {
                // What the reopening cleared: its own changes come after its status, at its
                // instant (an ending recorded at the same instant comes before).
                let before = |field: &str| {
                    of_case[i..]
                        .iter()
                        .take_while(|x| x.at == ch.at)
                        .find(|x| x.field == field && x.new.as_deref().unwrap_or("").is_empty())
                        .and_then(|x| x.old.clone())
                        .unwrap_or_default()
                };
                out.push(Ending {
                    status: from,
                    closed: Some(before("closed")).filter(|d| !d.is_empty()),
                    decided_at: decided_at.take(),
                    transferred_to: before("transferred_to"),
                    reason: before("closure_reason"),
                    evaluation: before("evaluation"),
                    reopened: Some((ch.at.clone(), ch.meeting)),
                });
            }
            (from, Some(to)) if to.is_ended() && !from.is_some_and(CaseStatus::is_ended) => {
                decided_at = ch.meeting;
            }
            _ => {}
        }
    }
    out
}

fn revision_meeting(m: &CaseMeeting, uid: uuid::Uuid) -> bool {
    m.uid == Some(uid)
}
