//! The year's work in numbers (the annual report) as it will be exported: a fiscal year (`<`,
//! `>`), the year before beside it (`c`), written to a file (`w`).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Ctx, Screen, ScreenId, export, tab_title};
use crate::config::ExportFormat;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::Store;
use crate::tui::command::Command;
use crate::tui::widgets::document::Document;
use crate::tui::widgets::form::Form;

#[derive(Debug, Default)]
pub struct Report {
    /// The fiscal year shown; `None`: this one.
    year: Option<i32>,
    /// The year before stands beside it.
    compare: bool,
    document: Document,
}

impl Report {
    /// The fiscal year on screen: chosen, or the current one.
    pub fn fiscal_year(&self, ctx: &Ctx) -> i32 {
        self.year
            .unwrap_or_else(|| crate::domain::calendar::fiscal_year_of(ctx.today()))
    }
}

/// The annual report of `year` (and the year before, when compared).
pub fn built(
    store: &Store,
    lang: Lang,
    today: chrono::NaiveDate,
    year: i32,
    compare: bool,
) -> anyhow::Result<crate::report::Report> {
    let mut options = crate::report::Options::new(lang, year, today);
    if compare {
        options.compare = vec![year - 1];
    }
    // Counted as the store reads it (a city's year is never held whole); a person typed where
    // an agency or issue goes is counted under a neutral label.
    Ok(store.report(&options)?)
}

/// The same as Markdown, as the screen shows it.
pub fn text(
    store: &Store,
    lang: Lang,
    today: chrono::NaiveDate,
    year: i32,
    compare: bool,
) -> anyhow::Result<String> {
    let report = built(store, lang, today, year, compare)?;
    Ok(crate::report::markdown::render(&report))
}

/// What the report is written as: Markdown (as shown) or an Excel workbook (a sheet a table).
const FORMATS: [ExportFormat; 2] = [ExportFormat::Md, ExportFormat::Xlsx];

impl Report {
    /// The report as shown, written in `format`.
    fn write(&self, format: ExportFormat, ctx: &Ctx) -> Vec<Command> {
        vec![Command::ExportReport {
            fiscal_year: self.fiscal_year(ctx),
            compare: self.compare,
            dir: ctx.export_dir.clone(),
            format,
        }]
    }
}

impl Screen for Report {
    fn id(&self) -> ScreenId {
        ScreenId::Report
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        let year = self.fiscal_year(ctx);
        self.document.text = text(store, ctx.lang, ctx.today(), year, self.compare)?;
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.document.steer(action) {
            return Vec::new();
        }
        match action {
            Action::PrevYear | Action::NextYear => {
                let step = if action == Action::NextYear { 1 } else { -1 };
                self.year = Some(self.fiscal_year(ctx) + step);
                self.document.scroll_to(0);
                ctx.dirty = true;
            }
            Action::ToggleCompare => {
                self.compare = !self.compare;
                ctx.dirty = true;
            }
            Action::ExportReport => {
                return match export::format(ctx, &FORMATS) {
                    Some(format) => self.write(format, ctx),
                    None => Vec::new(),
                };
            }
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        Ok(export::chosen(form).map_or_else(Vec::new, |format| self.write(format, ctx)))
    }

    fn hint(&self) -> &'static str {
        "report_hint"
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let year = self.fiscal_year(ctx);
        let mut title = crate::report::year_label(year, ctx.lang);
        if self.compare {
            title.push_str(&format!(
                " | {}",
                crate::report::year_label(year - 1, ctx.lang)
            ));
        }
        let title = format!("{} - {title}", tab_title(ctx.lang, "tab_report"));
        self.document.draw(frame, area, &ctx.theme, &title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};

    #[test]
    fn the_report_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut report = demo.loaded(Report::default(), &mut ctx);
        assert_eq!(report.fiscal_year(&ctx), 2026);
        let screen = drawn(&report, &ctx, 100, 30);
        assert!(screen.contains("実績 - 令和8年度"), "{screen}");

        report.update(Action::PrevYear, &mut ctx);
        report.update(Action::ToggleCompare, &mut ctx);
        report.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(report.fiscal_year(&ctx), 2025);
        let screen = drawn(&report, &ctx, 100, 30);
        assert!(screen.contains("令和7年度 | 令和6年度"), "{screen}");
        ctx.prefs.export_format = Some(ExportFormat::Xlsx);
        assert!(matches!(
            report.update(Action::ExportReport, &mut ctx).as_slice(),
            [Command::ExportReport {
                fiscal_year: 2025,
                compare: true,
                format: ExportFormat::Xlsx,
                ..
            }]
        ));
    }
}
