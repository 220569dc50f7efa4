//! What `w` writes, on every screen that writes a file: the format the config names
//! (`export_format`) when it fits the screen, the screen's only format when it has one, else a
//! form that asks (←/→ choose, Enter writes).

use super::Ctx;
use crate::config::ExportFormat;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::words::tr;

/// The purpose of the form that asks for a format.
#[derive(Debug, Clone, Copy)]
struct ChooseFormat;

/// The format to write now, or `None` when a form now asks for it (the first of `formats` is
/// offered first).
pub fn format(ctx: &mut Ctx, formats: &[ExportFormat]) -> Option<ExportFormat> {
    if let [only] = formats {
        return Some(*only);
    }
    if let Some(configured) = ctx.prefs.export_format.filter(|f| formats.contains(f)) {
        return Some(configured);
    }
    let lang = ctx.lang;
    let options = formats
        .iter()
        .map(|f| (f.name().to_owned(), tr(lang, label(*f)).to_owned()))
        .collect();
    let first = formats.first().map_or("", |f| f.name());
    ctx.form(Form::new(
        tr(lang, "export_title"),
        ChooseFormat,
        vec![Field::choice(tr(lang, "export_format"), options, first)],
    ));
    None
}

/// The format chosen in a submitted form, if the form was the one that asks.
pub fn chosen(form: &Form) -> Option<ExportFormat> {
    form.purpose::<ChooseFormat>()?;
    let name = form.value(0);
    ExportFormat::ALL.into_iter().find(|f| f.name() == name)
}

/// The word naming a format in the form.
fn label(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Md => "format_md",
        ExportFormat::Docx => "format_docx",
        ExportFormat::Xlsx => "format_xlsx",
        ExportFormat::Csv => "format_csv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::Overlay;
    use crate::tui::screens::testing::Demo;

    #[test]
    fn the_config_decides_where_it_fits_else_the_form_asks() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let both = [ExportFormat::Md, ExportFormat::Docx];
        assert_eq!(
            format(&mut ctx, &[ExportFormat::Xlsx]),
            Some(ExportFormat::Xlsx)
        );
        assert!(
            matches!(ctx.overlay, Overlay::None),
            "one format: nothing asked"
        );
        assert_eq!(format(&mut ctx, &both), None);
        let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
            panic!("no form asks");
        };
        assert_eq!(
            chosen(&form),
            Some(ExportFormat::Md),
            "the first is offered first"
        );
        ctx.prefs.export_format = Some(ExportFormat::Docx);
        assert_eq!(format(&mut ctx, &both), Some(ExportFormat::Docx));
        // Configured, but not one this screen writes: it asks.
        ctx.prefs.export_format = Some(ExportFormat::Xlsx);
        assert_eq!(format(&mut ctx, &both), None);
        let other = Form::new("t", (), vec![Field::text("x", "md")]);
        assert_eq!(
            chosen(&other),
            None,
            "another form is not a choice of format"
        );
    }
}
