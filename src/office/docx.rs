//! Documents handed out as Word files (.docx, docx-rs): the minutes' document written as the
//! Markdown writes it, in A4 with a Japanese serif (游明朝, or ＭＳ 明朝 where it is missing),
//! headings Word lists in its navigation pane, the notice of confidentiality boxed and repeated
//! at the top of every page, bordered tables whose header row repeats on every page, ☐/☑ before
//! tasks, and page numbers at the foot.
//!
//! What users typed goes into plain text runs (docx-rs escapes it as XML text): never markup, a
//! field or a hyperlink. Control characters are shown as their control pictures, as in the
//! Markdown; characters XML cannot hold are replaced.

use chrono::{DateTime, FixedOffset, Utc};
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, Header, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum,
    Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableRow, WidthType,
};

use crate::document::escape::visible;
use crate::document::{Block, Breaks, Document, Item, Span};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// The text width of an A4 page with 25 mm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11_906 - 2 * 1_417;
const SERIF: &str = "游明朝";
/// The bullet list's numbering.
const BULLETS: usize = 2;

/// The document as a .docx file; `now` is written as the time it was made.
pub fn document(doc: &Document, now: DateTime<FixedOffset>) -> Result<Vec<u8>, String> {
    let created = now
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let notice = doc.blocks.iter().find_map(|b| match b {
        Block::Notice { title, .. } => Some(title.clone()),
        _ => None,
    });
    let mut docx = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(1_701)
                .bottom(1_417)
                .left(1_417)
                .right(1_417)
                .header(851)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(SERIF)
                .hi_ansi(SERIF)
                .east_asia(SERIF)
                .cs(SERIF),
        )
        .default_size(21)
        .default_line_spacing(LineSpacing::new().after(80).line(276))
        .created_at(&created)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("・"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(420),
                    Some(SpecialIndentType::Hanging(420)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new())
                    .add_run(Run::new().add_text(" / "))
                    .add_num_pages(NumPages::new()),
            ),
        );
    for style in styles() {
        docx = docx.add_style(style);
    }
    if let Some(title) = notice {
        docx = docx.header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text(xml_safe(&title)).bold()),
            ),
        );
    }
    for block in &doc.blocks {
        docx = match block {
            Block::Heading { level, spans } => {
                docx.add_paragraph(runs(Paragraph::new(), spans).style(heading_style(*level)))
            }
            Block::Notice { title, text } => docx.add_table(boxed(
                vec![
                    Paragraph::new().add_run(Run::new().add_text(xml_safe(title)).bold()),
                    Paragraph::new().add_run(Run::new().add_text(xml_safe(text))),
                ],
                "FFF2CC",
                12,
            )),
            Block::Remark(spans) => {
                docx.add_table(boxed(vec![runs(Paragraph::new(), spans)], "F2F2F2", 4))
            }
            Block::Paragraph(spans) => docx.add_paragraph(runs(Paragraph::new(), spans)),
            Block::List(items) => {
                let mut docx = docx;
                for item in items {
                    docx = docx.add_paragraph(list_item(item));
                }
                docx
            }
            Block::Table { headers, rows } => docx.add_table(table(headers, rows)),
        };
    }
    let mut parts = docx.build();
    parts.font_table = FONT_TABLE.as_bytes().to_vec();
    parts.styles = japanese_defaults(&parts.styles)?;
    parts.document = repeat_header_rows(&parts.document)?;
    parts.doc_props.core = modified_as_created(&parts.doc_props.core, &created)?;
    let mut out = std::io::Cursor::new(Vec::new());
    parts.pack(&mut out).map_err(|e| e.to_string())?;
    repacked(out.get_ref())
}

/// docx-rs's package with each part owner-only (0600) and deflated, as the workbooks' are.
/// docx-rs stores every part uncompressed with the mode 0755, which unzip restores whatever the
/// umask: confidential minutes extracted became files everyone may read (and a few kilobytes
/// of text a 57 kB file) (attack of 2026-12-05, round 32a, finding 2). Its entries for the
/// folders, which Word needs none of and unzip would make 0755, are left out.
fn repacked(package: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let said = |e: &dyn std::fmt::Display| e.to_string();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(|e| said(&e))?;
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut part = Vec::new();
    for i in 0..from.len() {
        let mut entry = from.by_index(i).map_err(|e| said(&e))?;
        if entry.is_dir() {
            continue;
        }
        let mut options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600);
        if let Some(time) = entry.last_modified() {
            options = options.last_modified_time(time);
        }
        let name = entry.name().map_err(|e| said(&e))?.into_owned();
        part.clear();
        entry.read_to_end(&mut part).map_err(|e| said(&e))?;
        to.start_file(name, options).map_err(|e| said(&e))?;
        to.write_all(&part).map_err(|e| said(&e))?;
    }
    Ok(to.finish().map_err(|e| said(&e))?.into_inner())
}

/// The fonts the document names: 游明朝, with ＭＳ 明朝 as the alternative Word takes where
/// 游明朝 is not installed (Office before 2016, older Windows); both are Japanese (charset 80,
/// Shift_JIS) serif faces, so other software picks a Japanese serif for them.
const FONT_TABLE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:font w:name="游明朝"><w:altName w:val="ＭＳ 明朝"/>"#,
    r#"<w:panose1 w:val="02020400000000000000"/><w:charset w:val="80"/>"#,
    r#"<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="ＭＳ 明朝"><w:altName w:val="MS Mincho"/>"#,
    r#"<w:panose1 w:val="02020609040205080304"/><w:charset w:val="80"/>"#,
    r#"<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="Century"><w:panose1 w:val="02040604050505020304"/>"#,
    r#"<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    r#"</w:fonts>"#
);

/// Text in Japanese: the document's default language, so that Word breaks lines by Japanese
/// rules and checks spelling as Japanese; and Normal (which docx-rs always writes) as the style
/// of paragraphs that name none. docx-rs has no setting for either.
fn japanese_defaults(styles: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(styles).map_err(|e| e.to_string())?;
    let defaults = "<w:rPrDefault><w:rPr>";
    let normal = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    if !text.contains(defaults) || !text.contains(normal) {
        return Err("docx: the styles are not as docx-rs wrote them".to_owned());
    }
    Ok(text
        .replacen(
            defaults,
            &format!(r#"{defaults}<w:lang w:val="ja-JP" w:eastAsia="ja-JP" w:bidi="ar-SA" />"#),
            1,
        )
        .replacen(
            normal,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
            1,
        )
        .into_bytes())
}

/// The time the file was last changed is the time it was made (docx-rs writes 1970).
fn modified_as_created(core: &[u8], created: &str) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(core).map_err(|e| e.to_string())?;
    Ok(text.replace("1970-01-01T00:00:00Z", created).into_bytes())
}

fn styles() -> Vec<Style> {
    let heading = |id: &str, name: &str, size: usize, outline: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .outline_lvl(outline)
            .line_spacing(LineSpacing::new().before(240).after(80))
    };
    vec![
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(32)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(240)),
        heading("Heading1", "heading 1", 26, 0),
        heading("Heading2", "heading 2", 23, 1),
        heading("Heading3", "heading 3", 21, 2),
    ]
}

fn heading_style(level: u8) -> &'static str {
    match level {
        0 | 1 => "Title",
        2 => "Heading1",
        3 => "Heading2",
        _ => "Heading3",
    }
}

/// Characters XML 1.0 cannot hold (and controls `visible` did not see) as U+FFFD.
fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    strike: bool,
}

fn run(text: &str, look: Look) -> Run {
    let mut run = Run::new().add_text(xml_safe(text));
    if look.bold {
        run = run.bold();
    }
    if look.strike {
        run = run.strike();
    }
    run
}

/// The spans as runs: typed lines kept as lines (a paragraph's or a table cell's), on one line
/// where the document says so.
fn runs(mut p: Paragraph, spans: &[Span]) -> Paragraph {
    add_spans(&mut p, spans, Look::default());
    p
}

fn add_spans(p: &mut Paragraph, spans: &[Span], look: Look) {
    for span in spans {
        match span {
            Span::Word(w) => push(p, run(w, look)),
            Span::Typed { text, breaks } => {
                let shown = visible(text);
                let lines: Vec<&str> = shown.split('\n').collect();
                match breaks {
                    Breaks::Space => push(p, run(&lines.join(" "), look)),
                    Breaks::Slash => push(p, run(&lines.join(" / "), look)),
                    Breaks::Keep => {
                        for (i, line) in lines.iter().enumerate() {
                            let mut r = run(line, look);
                            if i + 1 < lines.len() {
                                r = r.add_break(BreakType::TextWrapping);
                            }
                            push(p, r);
                        }
                    }
                }
            }
            Span::Strong(inner) => add_spans(p, inner, Look { bold: true, ..look }),
            Span::Strike(inner) => add_spans(
                p,
                inner,
                Look {
                    strike: true,
                    ..look
                },
            ),
        }
    }
}

fn push(p: &mut Paragraph, run: Run) {
    *p = std::mem::take(p).add_run(run);
}

fn list_item(item: &Item) -> Paragraph {
    match item.task {
        None => runs(
            Paragraph::new().numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
            &item.spans,
        ),
        Some(done) => {
            let mark = if done { "☑ " } else { "☐ " };
            runs(
                Paragraph::new()
                    .indent(Some(420), Some(SpecialIndentType::Hanging(420)), None, None)
                    .add_run(Run::new().add_text(mark)),
                &item.spans,
            )
        }
    }
}

fn borders(size: usize) -> TableBorders {
    let mut b = TableBorders::new();
    for position in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        b = b.set(TableBorder::new(position).size(size).color("000000"));
    }
    b
}

/// A box the width of the text: one cell, shaded, with a border.
fn boxed(paragraphs: Vec<Paragraph>, fill: &str, border: usize) -> Table {
    let mut cell = TableCell::new()
        .width(TEXT_WIDTH, WidthType::Dxa)
        .shading(Shading::new().shd_type(ShdType::Clear).fill(fill));
    for p in paragraphs {
        cell = cell.add_paragraph(p);
    }
    Table::new(vec![TableRow::new(vec![cell])])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_grid(vec![TEXT_WIDTH])
        .set_borders(borders(border))
}

fn table(headers: &[String], rows: &[Vec<Vec<Span>>]) -> Table {
    let columns = headers.len().max(1);
    let width = TEXT_WIDTH / columns;
    let header = TableRow::new(
        headers
            .iter()
            .map(|h| {
                TableCell::new()
                    .width(width, WidthType::Dxa)
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("D9E1F2"))
                    .add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text(xml_safe(h)).bold()),
                    )
            })
            .collect(),
    )
    .cant_split();
    let mut all = vec![header];
    for r in rows {
        all.push(TableRow::new(
            r.iter()
                .map(|cell| {
                    TableCell::new()
                        .width(width, WidthType::Dxa)
                        .add_paragraph(runs(Paragraph::new(), cell))
                })
                .collect(),
        ));
    }
    Table::new(all)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_grid(vec![width; columns])
        .set_borders(borders(4))
}

/// Header rows (the only rows kept from splitting across pages) repeat at the top of every page
/// their table runs onto: docx-rs has no setting for it.
fn repeat_header_rows(document: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(document).map_err(|e| e.to_string())?;
    Ok(text
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_xml_cannot_hold_is_replaced() {
        assert_eq!(xml_safe("a\u{1}b\u{fffe}\tc"), "a\u{fffd}b\u{fffd}\tc");
        assert_eq!(xml_safe("日本語 ☐"), "日本語 ☐");
    }

    #[test]
    fn styles_get_japanese_as_the_default_language() {
        let styles = br#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21" /></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal"></w:style>"#;
        let out = String::from_utf8(japanese_defaults(styles).unwrap()).unwrap();
        assert!(
            out.contains(r#"<w:rPr><w:lang w:val="ja-JP" w:eastAsia="ja-JP""#),
            "{out}"
        );
        assert!(out.contains(r#"w:default="1" w:styleId="Normal""#), "{out}");
        assert!(japanese_defaults(b"<w:styles/>").is_err());
    }
}
