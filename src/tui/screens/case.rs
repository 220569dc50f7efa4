//! One case: its fields and consent above; its timeline of meetings across bodies, the plan as
//! it stands, the open actions by agency and the household in panes. Every change is made here
//! in a form and kept in the case's history; opened from a meeting's case panel, every change
//! is that meeting's (its record of the case follows, a plan revised is its revision). With
//! names hidden (`R`), the household shows relations only, as on a projector.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Confirm, Ctx, Overlay, Screen, ScreenId, case_forms};
use crate::domain::case::{CaseStatus, Level, basis_text};
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::Store;
use crate::store::cases::{CaseDetail, CaseReview};
use crate::text::{fit, inert};
use crate::tui::command::{CaseCommand, Command, Outcome};
use crate::tui::widgets::day::short_day;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::list::{first_shown, moved, movement};
use crate::tui::widgets::{FULL_HEIGHT, FULL_WIDTH, block};
use crate::tui::words::tr;

/// The panes of the case screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Timeline,
    Plan,
    Actions,
    Household,
    /// The case's reviews at the meetings that keep its ledger (進行管理), newest first.
    Reviews,
}

const PANES: [Pane; 5] = [
    Pane::Timeline,
    Pane::Plan,
    Pane::Actions,
    Pane::Household,
    Pane::Reviews,
];

impl Pane {
    fn index(self) -> usize {
        match self {
            Pane::Timeline => 0,
            Pane::Plan => 1,
            Pane::Actions => 2,
            Pane::Household => 3,
            Pane::Reviews => 4,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "pane_timeline",
            Pane::Plan => "pane_plan",
            Pane::Actions => "pane_actions",
            Pane::Household => "pane_household",
            Pane::Reviews => "pane_reviews",
        }
    }
}

#[derive(Debug)]
pub struct Case {
    id: i64,
    /// The meeting the screen was opened from: changes are made at it.
    at: Option<i64>,
    /// That meeting, as its line says (date and body).
    at_label: Option<String>,
    detail: Option<CaseDetail>,
    /// The case's revision, read before `detail` (the case form gives it back with a save).
    rev: Option<i64>,
    /// Its reviews (進行管理), newest first.
    reviews: Vec<CaseReview>,
    agencies: Vec<String>,
    pane: Pane,
    selected: [usize; 5],
    /// The case's ward, in a database of several (a city): two wards' A1世帯 are told apart.
    ward: Option<String>,
    /// The case's record was read on this screen and the audit says so (once a screen).
    viewed: bool,
    /// The lead agency and the agency the consultation came from as the ledger shows them, a
    /// person in either masked (見守り: 田中花子 → 見守り: A氏): shown so while names are hidden.
    agencies_masked: HashMap<String, Option<String>>,
}

impl Case {
    pub fn new(id: i64, at: Option<i64>) -> Case {
        Case {
            id,
            at,
            at_label: None,
            detail: None,
            rev: None,
            reviews: Vec::new(),
            agencies: Vec::new(),
            pane: Pane::Timeline,
            selected: [0; 5],
            ward: None,
            viewed: false,
            agencies_masked: HashMap::new(),
        }
    }

    pub fn detail(&self) -> Option<&CaseDetail> {
        self.detail.as_ref()
    }

    pub fn pane(&self) -> Pane {
        self.pane
    }

    pub fn reviews(&self) -> &[CaseReview] {
        &self.reviews
    }

    fn len(&self, pane: Pane) -> usize {
        let Some(d) = &self.detail else { return 0 };
        match pane {
            Pane::Timeline => d.timeline.len(),
            Pane::Plan => d.plan.len(),
            Pane::Actions => d.open_actions.len(),
            Pane::Household => d.members.len(),
            Pane::Reviews => self.reviews.len(),
        }
    }

    fn at(&self) -> usize {
        self.selected[self.pane.index()]
    }

    fn edit(&self, ctx: &mut Ctx, adding: bool) {
        let Some(d) = &self.detail else { return };
        let lang = ctx.lang;
        let form = match (self.pane, adding) {
            (Pane::Household, _) => {
                let existing = if adding {
                    None
                } else {
                    d.members.get(self.at())
                };
                case_forms::member(lang, self.id, existing, self.at)
            }
            (Pane::Plan, _) => {
                let index = if adding { None } else { Some(self.at()) };
                case_forms::plan_line(
                    lang,
                    self.id,
                    &d.plan,
                    index,
                    self.agencies.clone(),
                    self.at,
                )
            }
            (_, true) => {
                ctx.info("case_add_where");
                return;
            }
            (_, false) => {
                let Some(rev) = self.rev else { return };
                case_forms::edit_case(lang, (d, rev), self.agencies.clone(), self.at, ctx.today())
            }
        };
        ctx.form(form);
    }

    fn remove(&self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(d) = &self.detail else {
            return Vec::new();
        };
        let command = match self.pane {
            Pane::Household => match d.members.get(self.at()) {
                Some((member, _, _)) => CaseCommand::RemoveMember {
                    member: *member,
                    at: self.at,
                },
                None => return Vec::new(),
            },
            Pane::Plan if self.at() < d.plan.len() => {
                let mut lines = d.plan.clone();
                lines.remove(self.at());
                CaseCommand::Plan {
                    case: self.id,
                    lines,
                    at: self.at,
                }
            }
            _ => return Vec::new(),
        };
        ctx.info("removed");
        vec![Command::Case(command)]
    }

    /// Opens this case's form that a kept draft was typed in (the app fills it from the
    /// draft). Whether the draft is this case's and its form could be opened.
    fn reopen_form(&mut self, name: &str, ctx: &mut Ctx) -> bool {
        use case_forms::DraftOf;
        let Some(d) = &self.detail else {
            return false;
        };
        let lang = ctx.lang;
        let form = match case_forms::parse_draft_name(name) {
            Some(DraftOf::Edit(c)) if c == self.id => {
                let Some(rev) = self.rev else { return false };
                case_forms::edit_case(lang, (d, rev), self.agencies.clone(), self.at, ctx.today())
            }
            Some(DraftOf::Member(c, member)) if c == self.id => {
                let existing = member.map(|m| d.members.iter().find(|x| x.0 == m));
                if existing == Some(None) {
                    return false;
                }
                case_forms::member(lang, self.id, existing.flatten(), self.at)
            }
            Some(DraftOf::Plan(c, index)) if c == self.id => {
                if index.is_some_and(|i| i >= d.plan.len()) {
                    return false;
                }
                let agencies = self.agencies.clone();
                case_forms::plan_line(lang, self.id, &d.plan, index, agencies, self.at)
            }
            Some(DraftOf::Close(c)) if c == self.id && !self.ended() => {
                case_forms::close(lang, self.id, ctx.today(), self.at)
            }
            _ => return false,
        };
        ctx.form(form);
        true
    }

    fn ended(&self) -> bool {
        self.detail
            .as_ref()
            .is_some_and(|d| d.row.status.is_ended())
    }
}

impl Screen for Case {
    fn id(&self) -> ScreenId {
        ScreenId::Case {
            case: self.id,
            at: self.at,
        }
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        // Before the detail: a change between the two reads makes a save refused, never lost.
        let rev = store.case_rev(self.id);
        self.detail = store.case_detail(self.id)?;
        // No revision for a case that is not there (the screen says so); any other error is
        // shown, never taken for "no revision" (a save would then go unchecked).
        self.rev = match rev {
            Ok(rev) => Some(rev),
            Err(_) if self.detail.is_none() => None,
            Err(e) => return Err(e.into()),
        };
        self.reviews = store.case_reviews(self.id)?;
        // A household's record read is in the audit, as `renkei case` is.
        if self.detail.is_some() && !self.viewed {
            store.audit("view_case", self.at, &format!("case {}", self.id))?;
            self.viewed = true;
        }
        self.ward = match (
            &self.detail,
            crate::ledger_file::ward_names(store, ctx.lang)?,
        ) {
            (Some(d), Some(wards)) => wards.get(&d.row.ward_id).cloned(),
            _ => None,
        };
        if self.agencies.is_empty() {
            self.agencies = store.agency_names()?;
        }
        if let Some(d) = &self.detail {
            let cells = [d.row.lead_agency.as_deref(), d.row.referred_by.as_deref()];
            crate::tui::screens::cases::judge_agencies(
                store,
                ctx.lang,
                &self.agencies,
                &mut self.agencies_masked,
                cells.into_iter().flatten(),
            )?;
        }
        if let (Some(m), None) = (self.at, &self.at_label) {
            self.at_label = store
                .live_meeting(m)?
                .map(|m| format!("{} {}", m.date.format("%Y-%m-%d"), m.body));
        }
        for pane in PANES {
            let n = self.len(pane);
            let i = pane.index();
            self.selected[i] = self.selected[i].min(n.saturating_sub(1));
        }
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if let Some(delta) = movement(action, self.len(self.pane)) {
            let i = self.pane.index();
            self.selected[i] = moved(self.selected[i], delta, self.len(self.pane));
            return Vec::new();
        }
        let Some(d) = &self.detail else {
            return Vec::new();
        };
        let lang = ctx.lang;
        match action {
            Action::NextPane | Action::PrevPane => {
                let n = PANES.len();
                let step = if action == Action::NextPane { 1 } else { n - 1 };
                self.pane = PANES[(self.pane.index() + step) % n];
            }
            Action::Open if self.pane == Pane::Timeline => {
                if let Some(t) = d.timeline.get(self.at()) {
                    ctx.open(ScreenId::Minutes(t.meeting_id));
                }
            }
            Action::Open if self.pane == Pane::Reviews => {
                if let Some(r) = self.reviews.get(self.at()) {
                    ctx.open(ScreenId::Minutes(r.meeting));
                }
            }
            Action::Edit => self.edit(ctx, false),
            Action::Add => self.edit(ctx, true),
            Action::Delete => return self.remove(ctx),
            Action::CaseConsent => ctx.form(case_forms::consent(lang, d, self.at)),
            Action::CaseStatus if self.ended() => ctx.info("case_ended"),
            Action::CaseStatus => {
                let next = match d.row.status {
                    CaseStatus::Open => CaseStatus::Active,
                    CaseStatus::Active => CaseStatus::Monitoring,
                    _ => CaseStatus::Open,
                };
                return vec![Command::Case(CaseCommand::Status {
                    case: self.id,
                    status: next,
                    at: self.at,
                })];
            }
            Action::CloseCase if self.ended() => ctx.info("case_ended"),
            Action::CloseCase => ctx.form(case_forms::close(lang, self.id, ctx.today(), self.at)),
            Action::Reopen if !self.ended() => ctx.info("case_not_ended"),
            Action::Reopen => ctx.confirm(Confirm {
                question: "confirm_reopen",
                subject: None,
                detail: Vec::new(),
                commands: vec![Command::Case(CaseCommand::Reopen {
                    case: self.id,
                    at: self.at,
                })],
                open: None,
            }),
            Action::ToggleRedact => {
                ctx.redact = !ctx.redact;
            }
            Action::ExportCase => {
                return vec![Command::ExportCase {
                    case: self.id,
                    redact: ctx.redact,
                    dir: ctx.export_dir.clone(),
                }];
            }
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        case_forms::submit_over(form, ctx, self.rev)
    }

    fn draft_name(&self, form: &Form) -> Option<crate::tui::widgets::form::DraftKey> {
        case_forms::draft_name(form)
    }

    fn reopen_draft(&mut self, form: &str, ctx: &mut Ctx) -> bool {
        self.reopen_form(form, ctx)
    }

    fn performed(
        &mut self,
        command: &Command,
        outcome: &crate::tui::command::Outcome,
        ctx: &mut Ctx,
    ) {
        if let (Outcome::Conflict { current }, Command::Case(CaseCommand::Update { .. })) =
            (outcome, command)
        {
            // Saved over a change made meanwhile: the form stays as typed and says whose; the
            // screen reads the case again, and Enter then writes the fields changed here.
            ctx.dirty = true;
            if let Overlay::Form(form) = &mut ctx.overlay {
                if let Some(case_forms::CaseForm::Edit { told, .. }) = form.purpose_mut() {
                    *told = true;
                }
                form.error = Some(tr(ctx.lang, "case_form_stale").replace("{why}", current));
            }
            return;
        }
        if !outcome.is_done() {
            return;
        }
        match command {
            Command::Case(CaseCommand::Reopen { .. }) => ctx.info("case_reopened"),
            Command::Case(_) => ctx.info("saved"),
            _ => {}
        }
    }

    fn hint(&self) -> &'static str {
        "case_hint"
    }

    fn entered(&mut self) {
        self.pane = Pane::Timeline;
        self.selected = [0; 5];
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some(d) = &self.detail else {
            frame.render_widget(block(&ctx.theme, "", area.width, true), area);
            return;
        };
        let full = area.width >= FULL_WIDTH && area.height >= FULL_HEIGHT;
        // Full: the head's five lines (risk and agency, consent and dates, the agency the
        // consultation came from, key person, policy); else its first two.
        let head_height = if full { 7 } else { 4 };
        let [head, body] =
            Layout::vertical([Constraint::Length(head_height), Constraint::Min(0)]).areas(area);
        self.draw_head(frame, head, ctx, d, full);
        if full {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(body);
            // The reviews as many lines as they are (a third of the column at most).
            let reviews_height = (self.reviews.len().max(1) as u16 + 2).min(left.height / 3);
            let [timeline, reviews, actions] = Layout::vertical([
                Constraint::Min(3),
                Constraint::Length(reviews_height),
                Constraint::Percentage(40),
            ])
            .areas(left);
            let [plan, household] =
                Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)])
                    .areas(right);
            self.draw_pane(frame, timeline, ctx, d, Pane::Timeline);
            self.draw_pane(frame, reviews, ctx, d, Pane::Reviews);
            self.draw_pane(frame, actions, ctx, d, Pane::Actions);
            self.draw_pane(frame, plan, ctx, d, Pane::Plan);
            self.draw_pane(frame, household, ctx, d, Pane::Household);
        } else {
            self.draw_pane(frame, body, ctx, d, self.pane);
        }
    }
}

impl Case {
    fn draw_head(&self, frame: &mut Frame, area: Rect, ctx: &Ctx, d: &CaseDetail, full: bool) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let r = &d.row;
        let mut title = match &self.ward {
            Some(ward) => format!("{}（{ward}）  {}", r.pseudonym, r.status.label(lang)),
            None => format!("{}  {}", r.pseudonym, r.status.label(lang)),
        };
        if let Some(at) = &self.at_label {
            title.push_str(&format!("  ({} {at})", tr(lang, "case_at_meeting")));
        }
        let block = block(theme, &title, area.width, false);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let level = |l: Option<Level>| l.map(|l| l.label(lang)).unwrap_or("-");
        let day = |d: Option<chrono::NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".to_owned())
        };
        let consent = match d.consent_date {
            Some(date) => format!("{} ({})", r.consent.label(lang), date.format("%Y-%m-%d")),
            None => r.consent.label(lang).to_owned(),
        };
        let overdue = r.review_overdue(ctx.today());
        let review = if overdue {
            format!("!{}", day(r.next_review))
        } else {
            day(r.next_review)
        };
        let mut lines = vec![
            // The risk and urgency first: at 40 columns the lead agency's name is what is cut.
            Line::from(vec![
                Span::styled(format!("{} ", tr(lang, "field_risk")), theme.muted),
                Span::styled(level(r.risk), theme.text),
                Span::styled(format!("  {} ", tr(lang, "field_urgency")), theme.muted),
                Span::styled(level(r.urgency), theme.text),
                Span::styled(format!("  {} ", tr(lang, "field_lead")), theme.muted),
                Span::styled(self.agency(ctx, r.lead_agency.as_deref()), theme.text),
            ]),
            Line::from(vec![
                Span::styled(format!("{} ", tr(lang, "label_consent")), theme.muted),
                Span::styled(consent, theme.text),
                Span::styled(format!("  {} ", tr(lang, "label_review")), theme.muted),
                Span::styled(review, if overdue { theme.overdue } else { theme.text }),
                Span::styled(format!("  {} ", tr(lang, "label_opened")), theme.muted),
                Span::styled(day(r.opened), theme.text),
            ]),
        ];
        if full {
            // Where the consultation came from, under the day it was taken in (受理).
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", tr(lang, "field_referred_by")), theme.muted),
                Span::styled(self.agency(ctx, r.referred_by.as_deref()), theme.text),
            ]));
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", tr(lang, "field_key_person")), theme.muted),
                Span::styled(self.names(ctx, &d.key_person), theme.text),
            ]));
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", tr(lang, "label_policy")), theme.muted),
                Span::styled(inert(&r.policy), theme.text),
            ]));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::from(crate::tui::widgets::fit_spans(l.spans, w as u16)))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// An agency's cell (lead, referred by): a person in it masked while names are hidden, as
    /// the ledger masks it; the agency itself stays (agencies are never redacted).
    fn agency(&self, ctx: &Ctx, cell: Option<&str>) -> String {
        let Some(cell) = cell else {
            return "-".to_owned();
        };
        match self.agencies_masked.get(cell) {
            Some(Some(masked)) if ctx.redact => inert(masked),
            _ => inert(cell),
        }
    }

    /// Text that may hold a name: hidden while names are hidden.
    fn names(&self, ctx: &Ctx, text: &str) -> String {
        if ctx.redact && !text.trim().is_empty() {
            "＊＊＊".to_owned()
        } else {
            inert(text)
        }
    }

    fn draw_pane(&self, frame: &mut Frame, area: Rect, ctx: &Ctx, d: &CaseDetail, pane: Pane) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let focused = pane == self.pane;
        let title = format!("{} ({})", tr(lang, pane.title()), self.len(pane));
        let block = block(theme, &title, area.width, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let today = ctx.today();
        let texts: Vec<(String, bool)> = match pane {
            Pane::Timeline => d
                .timeline
                .iter()
                .map(|t| {
                    let phase = match lang {
                        Lang::Ja => t.phase.label_ja(),
                        Lang::En => t.phase.label_en(),
                    };
                    let warned = if t.warned { "! " } else { "" };
                    (
                        format!(
                            "{} {warned}{} [{phase}] {}",
                            short_day(t.date, today),
                            t.body,
                            basis_text(&t.basis, lang)
                        ),
                        t.warned,
                    )
                })
                .collect(),
            Pane::Plan => d
                .plan
                .iter()
                .map(|p| (case_forms::plan_text(p), false))
                .collect(),
            Pane::Actions => d
                .open_actions
                .iter()
                .map(|a| case_forms::action_text(a, today))
                .collect(),
            Pane::Household => d
                .members
                .iter()
                .map(|(_, relation, name)| {
                    (format!("{relation}  {}", self.names(ctx, name)), false)
                })
                .collect(),
            Pane::Reviews => self
                .reviews
                .iter()
                .map(|r| (review_text(r, lang, today), false))
                .collect(),
        };
        if texts.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(tr(lang, "none"), theme.muted)),
                inner,
            );
            return;
        }
        let selected = self.selected[pane.index()];
        let height = inner.height as usize;
        let skip = first_shown(selected, height, 0);
        let lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .skip(skip)
            .take(height)
            .map(|(i, (text, alert))| {
                let mark = if focused && i == selected { "> " } else { "  " };
                let style = if focused && i == selected {
                    theme.selection
                } else if *alert {
                    theme.overdue
                } else {
                    theme.text
                };
                Line::from(vec![
                    Span::styled(mark, theme.accent),
                    Span::styled(fit(&inert(text), w.saturating_sub(2)), style),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// A review of the case on one line: the meeting, the decision, the next review, what was
/// said (where it went, why it ended, the note).
fn review_text(r: &CaseReview, lang: Lang, today: chrono::NaiveDate) -> String {
    let mut text = format!(
        "{} {} {}",
        short_day(r.meeting_date, today),
        r.body,
        super::review::decision(r.status, lang)
    );
    if let Some(next) = r.next_review {
        text.push_str(&format!(" -> {}", next.format("%Y-%m-%d")));
    }
    for said in [&r.transferred_to, &r.reason, &r.note] {
        if !said.trim().is_empty() {
            text.push_str(&format!("  {}", said.replace('\n', " ")));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::Overlay;
    use crate::tui::screens::testing::{Demo, drawn};

    #[test]
    fn the_case_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let id = demo.store.find_case("A世帯").unwrap().unwrap();
        let mut case = demo.loaded(Case::new(id, None), &mut ctx);
        let d = case.detail().unwrap();
        assert_eq!(d.timeline.len(), 3, "support meeting and two core meetings");
        let screen = drawn(&case, &ctx, 80, 24);
        assert!(
            screen.contains("支援会議") && screen.contains("コア会議"),
            "{screen}"
        );
        // Names hidden: the household shows relations only.
        ctx.redact = true;
        let hidden = drawn(&case, &ctx, 80, 24);
        assert!(!hidden.contains("山田"), "{hidden}");
        // The panes take the keys in turn; the household pane adds a member in a form.
        for _ in 0..3 {
            case.update(Action::NextPane, &mut ctx);
        }
        assert_eq!(case.pane(), Pane::Household);
        case.update(Action::Add, &mut ctx);
        let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
            panic!("no form");
        };
        assert_eq!(case.submit(&form, &mut ctx), Err("empty_text"));
        // Closing asks how it ends.
        case.update(Action::CloseCase, &mut ctx);
        assert!(matches!(ctx.overlay, Overlay::Form(_)));
    }

    /// Issue 18: the case's revision, read for the form's stale check, failing for any reason
    /// but the case being gone was taken for "no revision" (`.ok()`): the screen opened and its
    /// form could not be saved checked. The database's error is the screen's now.
    #[test]
    fn a_revision_the_database_cannot_give_is_an_error_shown() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let id = demo.store.find_case("A世帯").unwrap().unwrap();
        demo.store
            .conn()
            .execute("UPDATE cases SET rev = 'x' WHERE id = ?1", [id])
            .unwrap();
        let mut case = Case::new(id, None);
        assert!(case.load(&demo.store, &mut ctx).is_err());
        // A case that is not there is no error: the screen says so.
        let mut gone = Case::new(id + 1000, None);
        assert!(gone.load(&demo.store, &mut ctx).is_ok());
        assert!(gone.detail().is_none());
    }
}
