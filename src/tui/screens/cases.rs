//! 5 事例: the ledger of cases — pseudonym, status, lead agency, risk, last and next meeting,
//! next review, open actions — overdue reviews first, filtered as you type. Enter opens a case,
//! `n` opens a new one, `f` shows the cases followed, ended or all, `o` only those whose review
//! is overdue (超過のみ; Enter on home's `!超過` line of case reviews opens it so, narrowed to the
//! body of that line). Names of people are never shown here: a case is its pseudonym.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Screen, ScreenId, case_forms, export, tab_title};
use crate::config::ExportFormat;

/// What the ledger's `w` writes: the workbook, or the CSV (in the config's `csv_encoding`) —
/// the columns of `renkei cases --format xlsx|csv`.
const FORMATS: [ExportFormat; 2] = [ExportFormat::Xlsx, ExportFormat::Csv];
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::Store;
use crate::store::cases::{CaseRow, LedgerFilter, ReviewBody};
use crate::text::{fit, inert, width};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::block;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::list::{ListState, first_shown, matches};
use crate::tui::words::tr;

/// The ledger narrowed to the cases whose review date has passed (超過のみ).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overdue {
    #[default]
    Off,
    /// Every overdue case (`o`).
    All,
    /// The overdue cases of the body that reviews them (the last that discussed them; `None`:
    /// those no meeting has discussed yet) — home's `!超過` line of that body opened the ledger.
    Of(ReviewBody),
}

impl Overdue {
    fn keeps(&self, row: &CaseRow, today: NaiveDate) -> bool {
        let body = |b: &ReviewBody| b.as_ref().map(|(id, _)| *id);
        match self {
            Overdue::Off => true,
            Overdue::All => row.review_overdue(today),
            Overdue::Of(of) => row.review_overdue(today) && body(&row.review_body) == body(of),
        }
    }
}

#[derive(Debug, Default)]
pub struct Cases {
    rows: Vec<CaseRow>,
    /// The rows that pass the filter, by index.
    shown: Vec<usize>,
    list: ListState,
    show: LedgerFilter,
    overdue: Overdue,
    agencies: Vec<String>,
    /// What `w` writes: the free text redacted as in the case records (`R`), or as typed. The
    /// ledger's own switch, said in its title: hiding names on a case's screen (`R` there) is
    /// another.
    redact: bool,
}

impl Cases {
    pub fn rows(&self) -> Vec<&CaseRow> {
        self.shown
            .iter()
            .filter_map(|&i| self.rows.get(i))
            .collect()
    }

    pub fn selected(&self) -> Option<&CaseRow> {
        self.rows.get(*self.shown.get(self.list.selected)?)
    }

    /// Whether (and how) the ledger shows only the overdue reviews.
    pub fn overdue(&self) -> &Overdue {
        &self.overdue
    }

    /// Writes the cases shown, in their order, as `format`.
    fn write(&self, format: ExportFormat, ctx: &Ctx) -> Vec<Command> {
        vec![Command::ExportLedger {
            show: self.show,
            cases: self.rows().iter().map(|r| r.id).collect(),
            dir: ctx.export_dir.clone(),
            format,
            encoding: ctx.prefs.csv_encoding,
            redact: self.redact,
        }]
    }

    fn rebuild(&mut self, filter: &str, lang: Lang, today: NaiveDate) {
        self.shown = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                self.overdue.keeps(r, today)
                    && matches(
                        filter,
                        &[
                            &r.pseudonym,
                            r.lead_agency.as_deref().unwrap_or(""),
                            r.referred_by.as_deref().unwrap_or(""),
                            r.status.label(lang),
                            &r.policy,
                        ],
                    )
            })
            .map(|(i, _)| i)
            .collect();
        self.list.clamp(self.shown.len());
    }

    fn show_word(&self) -> &'static str {
        match self.show {
            LedgerFilter::Open => "show_followed",
            LedgerFilter::Closed => "show_ended",
            LedgerFilter::All => "show_all",
        }
    }

    /// The title: the cases shown — followed, ended or all, and 超過のみ with the body whose
    /// overdue reviews they are — and how many; the body left out where the count would be cut.
    fn title(&self, lang: Lang, cells: usize) -> String {
        let show = tr(lang, self.show_word());
        let overdue = tr(lang, "ledger_overdue_only");
        let tab = tab_title(lang, "tab_cases");
        let n = self.shown.len();
        let body = match &self.overdue {
            Overdue::Off => return format!("{tab} ({show}, {n})"),
            Overdue::All => None,
            Overdue::Of(Some((_, body))) => Some(inert(body)),
            Overdue::Of(None) => Some(tr(lang, "ledger_undiscussed").to_owned()),
        };
        let and = match lang {
            Lang::Ja => "・",
            Lang::En => ", ",
        };
        let short = format!("{tab} ({show}{and}{overdue}, {n})");
        match body {
            Some(body) => {
                let full = format!("{tab} ({show}{and}{overdue} {body}, {n})");
                // The border's corners and the spaces around the title.
                if width(&full) + 4 <= cells {
                    full
                } else {
                    short
                }
            }
            None => short,
        }
    }
}

/// A date in a narrow column: month and day (the year when it is not this one's).
fn short(date: Option<NaiveDate>, today: NaiveDate) -> String {
    use chrono::Datelike;
    match date {
        Some(d) if d.year() == today.year() => d.format("%m-%d").to_string(),
        Some(d) => d.format("%y-%m").to_string(),
        None => "-".to_owned(),
    }
}

impl Screen for Cases {
    fn id(&self) -> ScreenId {
        ScreenId::Cases
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        // Opened from home's line of overdue reviews: those, of its body (only followed cases
        // are ever overdue).
        if let Some(body) = ctx.overdue_reviews.take() {
            self.overdue = Overdue::Of(body);
            self.show = LedgerFilter::Open;
            self.list.selected = 0;
        }
        self.rows = store.case_ledger(self.show, false)?;
        crate::cases::ledger::mask(&mut self.rows, &store.recorded_people()?, ctx.lang);
        self.agencies = store.agency_names()?;
        self.rebuild(&ctx.filter, ctx.lang, ctx.today());
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.shown.len()) {
            return Vec::new();
        }
        match action {
            Action::Open => {
                if let Some(row) = self.selected() {
                    ctx.open(ScreenId::Case {
                        case: row.id,
                        at: None,
                    });
                }
            }
            Action::NewCase => ctx.form(case_forms::new_case(ctx.lang, self.agencies.clone())),
            Action::ExportLedger => {
                if let Some(format) = export::format(ctx, &FORMATS) {
                    return self.write(format, ctx);
                }
            }
            Action::CaseFilter => {
                self.show = match self.show {
                    LedgerFilter::Open => LedgerFilter::Closed,
                    LedgerFilter::Closed => LedgerFilter::All,
                    LedgerFilter::All => LedgerFilter::Open,
                };
                self.list.selected = 0;
                ctx.dirty = true;
            }
            // What `w` writes: the free text redacted as in the case records, or as typed.
            Action::ToggleRedact => {
                self.redact = !self.redact;
                ctx.info(if self.redact {
                    "ledger_redact_on"
                } else {
                    "ledger_redact_off"
                });
            }
            Action::OverdueOnly => {
                self.overdue = match self.overdue {
                    Overdue::Off => {
                        // Only followed cases are ever overdue.
                        self.show = LedgerFilter::Open;
                        Overdue::All
                    }
                    _ => Overdue::Off,
                };
                self.list.selected = 0;
                ctx.dirty = true;
            }
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        match export::chosen(form) {
            Some(format) => Ok(self.write(format, ctx)),
            None => case_forms::submit(form, ctx),
        }
    }

    fn draft_name(&self, form: &Form) -> Option<crate::tui::widgets::form::DraftKey> {
        case_forms::draft_name(form)
    }

    /// A new case typed when renkei was killed comes back in its form.
    fn reopen_draft(&mut self, form: &str, ctx: &mut Ctx) -> bool {
        if case_forms::parse_draft_name(form) != Some(case_forms::DraftOf::New) {
            return false;
        }
        ctx.form(case_forms::new_case(ctx.lang, self.agencies.clone()));
        true
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        if let (
            Command::Case(crate::tui::command::CaseCommand::Create(_)),
            Outcome::Done(Some(id)),
        ) = (command, outcome)
        {
            ctx.info("case_created");
            ctx.open(ScreenId::Case {
                case: *id,
                at: None,
            });
        }
    }

    fn hint(&self) -> &'static str {
        "cases_hint"
    }

    fn refilter(&mut self, ctx: &Ctx) {
        self.list.selected = 0;
        self.rebuild(&ctx.filter, ctx.lang, ctx.today());
    }

    fn selection(&self) -> Option<i64> {
        self.selected().map(|r| r.id)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let mut title = self.title(lang, area.width as usize);
        // What `w` writes, while it writes it redacted (`R`).
        if self.redact {
            title = format!("{title} {}", tr(lang, "ledger_redacted_mark"));
        }
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.shown.is_empty() {
            let word = match self.overdue {
                Overdue::Off => "no_cases",
                _ => "no_overdue_cases",
            };
            frame.render_widget(
                Paragraph::new(Span::styled(tr(lang, word), theme.muted)),
                inner,
            );
            return;
        }
        let today = ctx.today();
        let w = inner.width as usize;
        // Columns that fit: the pseudonym and status always; lead agency, risk, the meetings,
        // the review and the open actions as the width allows.
        let wide = w >= 70;
        let mid = w >= 50;
        let fixed = 2
            + 7
            + if wide {
                5 + 6 + 6 + 7 + 5
            } else if mid {
                7 + 5
            } else {
                7
            };
        let rest = w.saturating_sub(fixed);
        let (name_w, lead_w) = if wide {
            (rest * 2 / 5, rest - rest * 2 / 5)
        } else {
            (rest, 0)
        };
        let cell =
            |text: &str, cells: usize| format!("{} ", fit(&inert(text), cells.saturating_sub(1)));
        let mut header = vec![
            Span::raw("  "),
            Span::styled(cell(tr(lang, "col_case"), name_w), theme.header),
            Span::styled(cell(tr(lang, "col_status"), 7), theme.header),
        ];
        if wide {
            header.push(Span::styled(
                cell(tr(lang, "col_lead"), lead_w),
                theme.header,
            ));
            header.push(Span::styled(cell(tr(lang, "col_risk"), 5), theme.header));
            header.push(Span::styled(cell(tr(lang, "col_last"), 6), theme.header));
            header.push(Span::styled(cell(tr(lang, "col_next"), 6), theme.header));
        }
        if wide || mid {
            header.push(Span::styled(cell(tr(lang, "col_review"), 7), theme.header));
        }
        header.push(Span::styled(fit(tr(lang, "col_open"), 4), theme.header));
        let height = (inner.height as usize).saturating_sub(1);
        let skip = first_shown(self.list.selected, height, 0);
        let mut lines = vec![Line::from(header)];
        for (n, &i) in self.shown.iter().enumerate().skip(skip).take(height) {
            let Some(r) = self.rows.get(i) else { continue };
            let selected = n == self.list.selected;
            let overdue = r.review_overdue(today);
            let style = if selected {
                theme.selection
            } else if overdue {
                theme.overdue
            } else if r.status.is_ended() {
                theme.muted
            } else {
                theme.text
            };
            let mut spans = vec![
                Span::styled(if selected { "> " } else { "  " }, theme.accent),
                Span::styled(cell(&r.pseudonym, name_w), style),
                Span::styled(cell(r.status.label(lang), 7), style),
            ];
            if wide {
                spans.push(Span::styled(
                    cell(r.lead_agency.as_deref().unwrap_or("-"), lead_w),
                    style,
                ));
                let risk = r.risk.map(|l| l.label(lang)).unwrap_or("-");
                spans.push(Span::styled(cell(risk, 5), style));
                spans.push(Span::styled(
                    cell(&short(r.last_meeting, today), 6),
                    theme.muted,
                ));
                spans.push(Span::styled(
                    cell(&short(r.next_meeting, today), 6),
                    theme.muted,
                ));
            }
            if wide || mid {
                let review = short(r.next_review, today);
                let review = if overdue {
                    format!("!{review}")
                } else {
                    review
                };
                spans.push(Span::styled(
                    cell(&review, 7),
                    if overdue { theme.overdue } else { theme.muted },
                ));
            }
            spans.push(Span::styled(fit(&r.open_actions.to_string(), 4), style));
            lines.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};
    use crate::tui::screens::{Nav, Overlay};

    #[test]
    fn the_ledger_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut cases = demo.loaded(Cases::default(), &mut ctx);
        let names: Vec<&str> = cases.rows().iter().map(|r| r.pseudonym.as_str()).collect();
        assert!(
            names.contains(&"A世帯") && names.contains(&"E氏"),
            "{names:?}"
        );
        let screen = drawn(&cases, &ctx, 80, 24);
        assert!(screen.contains("A世帯"), "{screen}");
        assert!(!screen.contains("山田"), "no name in the list:\n{screen}");
        // Opening the selected case.
        cases.update(Action::Open, &mut ctx);
        assert!(matches!(
            ctx.take_nav(),
            Some(Nav::Open(ScreenId::Case { .. }))
        ));
        // A new case: its form, submitted, makes one.
        cases.update(Action::NewCase, &mut ctx);
        let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
            panic!("no form");
        };
        assert_eq!(cases.submit(&form, &mut ctx), Err("empty_text"));
        // Ended cases, then all.
        cases.update(Action::CaseFilter, &mut ctx);
        assert!(ctx.dirty);
        assert_eq!(cases.show_word(), "show_ended");
    }
}
