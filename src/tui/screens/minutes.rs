//! The minutes of one meeting as they will be exported: scrolled, written to a file (`w`),
//! redacted (`R`: names become A氏, B氏 …; each meeting's choice its own), copied to the
//! clipboard of the computer the facilitator sits at (`y`), approved (`A`), and the record's
//! fields completed after the meeting (`f`: place, legal basis, SV, referring agency, handouts,
//! remaining issues, next date; after approval each change is an amendment). Each viewing and
//! each copy is in the audit log (a viewing once per meeting and redaction, not per redraw).
//!
//! Redacted, the screen shows under the minutes what the redaction did — how many places each
//! placeholder took, never the names — and what still looks like a name; writing or copying
//! such minutes first asks, listing those warnings.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::record;
use super::{Confirm, Ctx, Screen, ScreenId, export};
use crate::config::ExportFormat;
use crate::keys::Action;
use crate::minutes::RedactionReport;
use crate::store::Store;
use crate::store::setup::RecordFields;
use crate::text::wrap;
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::block;
use crate::tui::widgets::document::Document;
use crate::tui::widgets::form::{DraftKey, Form};
use crate::tui::widgets::list::{moved, movement};
use crate::tui::words::tr;

/// What minutes are written as: Markdown (as shown), or a Word document.
const FORMATS: [ExportFormat; 2] = [ExportFormat::Md, ExportFormat::Docx];

#[derive(Debug)]
pub struct Minutes {
    meeting: i64,
    document: Document,
    /// The redaction whose viewing was last logged.
    seen: Option<bool>,
    /// The record's fields, and the agencies near the meeting then every other, for `f`.
    record: RecordFields,
    agencies: (Vec<String>, Vec<String>),
    /// The record and the agencies were read (a kept draft of the record form can open).
    read: bool,
    /// The meeting as its live screen reads it, when this user has a draft of one of its
    /// capture forms (a note, an action, a correction …) that was typed in the live meeting and
    /// a colleague ended the meeting meanwhile (attack report 5, finding 7): the form opens here
    /// and is saved as that screen saves it — a line added after the meeting.
    capture: Option<Box<super::meeting::Meeting>>,
    /// What the redaction of the minutes shown did (when they are redacted).
    report: Option<RedactionReport>,
    /// Tab gave the redaction check the keys: it takes most of the screen and scrolls (on a
    /// small terminal its warnings would not show otherwise).
    checking: bool,
    /// The check's first line shown, and the last one it can be (as last drawn).
    check_scroll: usize,
    check_last: Cell<usize>,
    /// The meeting is held (ended): only then are its minutes approved.
    held: bool,
}

impl Minutes {
    pub fn new(meeting: i64) -> Minutes {
        Minutes {
            meeting,
            document: Document::default(),
            seen: None,
            record: RecordFields::default(),
            agencies: (Vec::new(), Vec::new()),
            read: false,
            capture: None,
            report: None,
            checking: false,
            check_scroll: 0,
            check_last: Cell::new(0),
            held: false,
        }
    }

    /// The minutes as shown.
    pub fn text(&self) -> &str {
        &self.document.text
    }

    /// What the redaction did, when the minutes shown are redacted.
    pub fn report(&self) -> Option<&RedactionReport> {
        self.report.as_ref()
    }

    /// Puts the minutes on the clipboard of the computer the facilitator sits at: OSC 52
    /// travels through SSH and tmux to the local terminal. Only once the copy is in the log.
    fn copy(&self, ctx: &mut Ctx) {
        use base64::Engine;
        if self.document.text.is_empty() {
            return;
        }
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(self.document.text.as_bytes());
        ctx.outbox.push(format!("\u{1b}]52;c;{encoded}\u{7}"));
        ctx.info("copied");
    }

    /// The minutes as shown (redacted or not) written in `format`: at once, or after the
    /// question about what still looks like a name.
    fn write(&self, format: ExportFormat, ctx: &mut Ctx) -> Vec<Command> {
        let command = Command::ExportMinutes {
            meeting: self.meeting,
            redact: ctx.redacts(self.meeting),
            dir: ctx.export_dir.clone(),
            format,
        };
        self.leave(command, "confirm_write_suspects", ctx)
    }

    /// A command that lets minutes leave renkei: at once, or — when redacted minutes still hold
    /// something that looks like a name — after a question that lists it.
    fn leave(&self, command: Command, question: &'static str, ctx: &mut Ctx) -> Vec<Command> {
        let warnings = self
            .report
            .as_ref()
            .filter(|r| !r.suspects.is_empty())
            .map(|r| r.suspect_lines(ctx.lang));
        match warnings {
            Some(detail) => {
                ctx.confirm(Confirm {
                    question,
                    subject: None,
                    detail,
                    commands: vec![command],
                    open: None,
                });
                Vec::new()
            }
            None => vec![command],
        }
    }

    /// The panel under redacted minutes: that something still looks like a name (first: on a
    /// small screen it is what must show), the replacements, then each warning.
    fn check_lines(report: &RedactionReport, ctx: &Ctx, width: usize) -> Vec<Line<'static>> {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let styled = |text: &str, style| {
            wrap(&crate::text::inert(text), width)
                .into_iter()
                .map(move |l| Line::from(Span::styled(l, style)))
        };
        let replaced = styled(&report.replacements_line(lang), theme.text);
        if report.suspects.is_empty() {
            return replaced
                .chain(styled(tr(lang, "no_suspects"), theme.ok))
                .collect();
        }
        let heading = tr(lang, "suspects").replace("{n}", &report.suspects.len().to_string());
        let mut lines: Vec<Line> = styled(&heading, theme.warning).chain(replaced).collect();
        for warning in report.suspect_lines(lang) {
            lines.extend(styled(&warning, theme.warning));
        }
        lines
    }
}

impl Screen for Minutes {
    fn id(&self) -> ScreenId {
        ScreenId::Minutes(self.meeting)
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        let id = self.meeting;
        let redact = ctx.redacts(id);
        // Who saw the minutes of a confidential meeting is a question a ward must answer.
        if self.seen != Some(redact) {
            store.audit(
                "view_minutes",
                Some(id),
                if redact { "redacted" } else { "" },
            )?;
            self.seen = Some(redact);
        }
        if let Some(m) = store.live_meeting(id)? {
            self.record = m.record.clone();
            self.agencies = (m.agency_choices(), store.agency_names()?);
            self.read = true;
            let held = m.status == crate::domain::model::MeetingStatus::Held;
            self.held = held;
            let record = record::draft_key(id).form;
            let stranded = held
                && store
                    .form_drafts()?
                    .iter()
                    .any(|d| d.meeting == Some(id) && d.form != record);
            self.capture = None;
            if stranded {
                let mut capture = super::meeting::Meeting::new(id, super::meeting::Stage::Live);
                capture.load(store, ctx)?;
                self.capture = Some(Box::new(capture));
            }
        }
        let input = store.minutes_input_as(id, redact)?;
        (self.document.text, self.report) = match (input, redact) {
            (Some(input), true) => {
                let redacted = crate::minutes::render_redacted(&input, ctx.lang);
                (redacted.markdown, Some(redacted.report))
            }
            (Some(input), false) => {
                let options = crate::minutes::Options {
                    lang: ctx.lang,
                    redact: false,
                };
                (crate::minutes::render(&input, &options), None)
            }
            (None, _) => (String::new(), None),
        };
        if let Some(found) = ctx.found.take() {
            self.document.open_at(&found);
        }
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if action == Action::NextPane {
            self.checking = self.report.is_some() && !self.checking;
            return Vec::new();
        }
        if self.checking && self.report.is_some() {
            let last = self.check_last.get();
            if let Some(delta) = movement(action, last + 1) {
                self.check_scroll = moved(self.check_scroll, delta, last + 1);
                return Vec::new();
            }
        }
        if self.document.steer(action) {
            return Vec::new();
        }
        match action {
            Action::ExportMinutes => {
                return match export::format(ctx, &FORMATS) {
                    Some(format) => self.write(format, ctx),
                    None => Vec::new(),
                };
            }
            Action::ToggleRedact => {
                match ctx.redacted.iter().position(|m| *m == self.meeting) {
                    Some(i) => {
                        ctx.redacted.remove(i);
                    }
                    None => ctx.redacted.push(self.meeting),
                }
                ctx.dirty = true;
            }
            Action::RecordFields => {
                let (near, others) = &self.agencies;
                record::open(self.meeting, &self.record, (near, others), ctx);
            }
            Action::CopyMinutes if !self.document.text.is_empty() => {
                let command = Command::CopyMinutes {
                    meeting: self.meeting,
                    redact: ctx.redacts(self.meeting),
                };
                return self.leave(command, "confirm_copy_suspects", ctx);
            }
            // A meeting still running (its minutes shown with `m`) is not approved: said at
            // once, not refused after the question (attack on the TUI, 2026-12-05).
            Action::ApproveMinutes if !self.held => ctx.info("approve_not_held"),
            // Approval is for good (later changes are amendments): asked, as ending is.
            Action::ApproveMinutes => ctx.confirm(Confirm {
                question: "confirm_approve",
                subject: None,
                detail: Vec::new(),
                commands: vec![Command::ApproveMinutes(self.meeting)],
                open: None,
            }),
            _ => {}
        }
        Vec::new()
    }

    /// The record form (`f`) is kept as it is typed, under the name the setup and the live
    /// meeting give it: completing the record after the meeting is where it is most typed.
    /// A capture form's draft typed in the live meeting (a colleague ended it meanwhile) too:
    /// it is saved here, a line added after the meeting.
    fn draft_name(&self, form: &Form) -> Option<DraftKey> {
        super::meeting::forms::draft_name(self.meeting, form)
    }

    fn reopen_draft(&mut self, form: &str, ctx: &mut Ctx) -> bool {
        if !self.read {
            return false;
        }
        if form != record::draft_key(self.meeting).form {
            return self
                .capture
                .as_mut()
                .is_some_and(|capture| capture.reopen_form(form, ctx));
        }
        let (near, others) = &self.agencies;
        record::open(self.meeting, &self.record, (near, others), ctx);
        true
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        if let Some(result) = record::submit(form) {
            return result;
        }
        if let Some(capture) = &self.capture {
            let commands = capture.commands_for(form)?;
            if !commands.is_empty() {
                return Ok(commands);
            }
        }
        Ok(export::chosen(form).map_or_else(Vec::new, |format| self.write(format, ctx)))
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        record::refused(command, outcome, ctx);
        match (command, outcome) {
            (Command::ApproveMinutes(_), Outcome::Done(_)) => ctx.info("approved"),
            (Command::CopyMinutes { .. }, Outcome::Done(_)) => self.copy(ctx),
            _ => {}
        }
    }

    fn hint(&self) -> &'static str {
        "minutes_hint"
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let mut title = format!("{} #{}", tr(lang, "minutes_title"), self.meeting);
        if ctx.redacts(self.meeting) {
            title.push_str(&format!(" ({})", tr(lang, "redacted")));
        }
        let Some(report) = &self.report else {
            self.document.draw(frame, area, &ctx.theme, &title);
            return;
        };
        // The check under the minutes: as many lines as it has, up to two fifths of the screen
        // (all but three lines of it while it has the keys).
        let lines = Self::check_lines(report, ctx, area.width.saturating_sub(2) as usize);
        let most = if self.checking {
            area.height.saturating_sub(3).max(3)
        } else {
            (area.height * 2 / 5).max(3)
        };
        let height = (lines.len() as u16 + 2).min(most);
        let [document, panel] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(area);
        self.document.draw(frame, document, &ctx.theme, &title);
        let warned = !report.suspects.is_empty();
        let mut heading = tr(lang, "redaction_check").to_owned();
        if lines.len() + 2 > height as usize {
            heading.push_str(tr(
                lang,
                if self.checking {
                    "check_scrolls"
                } else {
                    "check_tab"
                },
            ));
        }
        let block = block(&ctx.theme, &heading, panel.width, warned || self.checking);
        let inner = block.inner(panel);
        frame.render_widget(block, panel);
        let room = inner.height as usize;
        let last = lines.len().saturating_sub(room);
        self.check_last.set(last);
        let from = if self.checking {
            self.check_scroll.min(last)
        } else {
            0
        };
        let mut shown: Vec<Line> = lines.iter().skip(from).take(room).cloned().collect();
        let below = lines.len().saturating_sub(from + room);
        if below > 0 && room > 0 {
            let more = tr(lang, "more_lines").replace("{n}", &(below + 1).to_string());
            shown[room - 1] = Line::from(Span::styled(more, ctx.theme.muted));
        }
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::Overlay;
    use crate::tui::screens::testing::{Demo, drawn};

    fn viewed(demo: &Demo) -> i64 {
        let sql = "SELECT COUNT(*) FROM audit WHERE action = 'view_minutes'";
        demo.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn the_minutes_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let id = demo.held();
        let mut minutes = demo.loaded(Minutes::new(id), &mut ctx);
        assert!(minutes.text().contains("議事録"));
        assert_eq!(viewed(&demo), 1);
        minutes.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(viewed(&demo), 1, "viewing is logged once, not per load");
        assert!(drawn(&minutes, &ctx, 80, 22).contains(&format!("議事録 #{id}")));

        minutes.update(Action::ToggleRedact, &mut ctx);
        assert!(ctx.redacts(id) && ctx.dirty);
        minutes.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(viewed(&demo), 2, "the redacted view is logged too");
        assert!(drawn(&minutes, &ctx, 80, 22).contains("氏名を伏せた版"));
        // Written as what the form asks (Markdown first).
        assert!(minutes.update(Action::ExportMinutes, &mut ctx).is_empty());
        let crate::tui::screens::Overlay::Form(form) =
            std::mem::replace(&mut ctx.overlay, crate::tui::screens::Overlay::None)
        else {
            panic!("the format is asked");
        };
        assert!(matches!(
            minutes.submit(&form, &mut ctx).unwrap().as_slice(),
            [Command::ExportMinutes { meeting, redact: true, format: ExportFormat::Md, .. }]
                if *meeting == id
        ));
        // A copy is logged before it is sent: the screen asks, the outcome sends.
        assert_eq!(
            minutes.update(Action::CopyMinutes, &mut ctx),
            vec![Command::CopyMinutes {
                meeting: id,
                redact: true
            }]
        );
        assert!(ctx.outbox.is_empty(), "nothing sent before the log has it");
        let copy = Command::CopyMinutes {
            meeting: id,
            redact: true,
        };
        minutes.performed(&copy, &Outcome::failed("disk full"), &mut ctx);
        assert!(ctx.outbox.is_empty(), "nothing sent when the log failed");
        minutes.performed(&copy, &Outcome::Done(None), &mut ctx);
        assert!(ctx.outbox[0].starts_with("\u{1b}]52;c;"));
        minutes.update(Action::Bottom, &mut ctx);
        // Approval asks first (attack report 20: one `A` approved at once).
        assert!(minutes.update(Action::ApproveMinutes, &mut ctx).is_empty());
        let Overlay::Confirm(asked) = &ctx.overlay else {
            panic!("approved without asking");
        };
        assert_eq!(asked.question, "confirm_approve");
        assert_eq!(asked.commands, vec![Command::ApproveMinutes(id)]);
        ctx.overlay = Overlay::None;
        minutes.performed(&Command::ApproveMinutes(id), &Outcome::Done(None), &mut ctx);
        assert!(
            ctx.status
                .as_ref()
                .is_some_and(|(_, s)| s.contains("承認しました"))
        );
    }
}
