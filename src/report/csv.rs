//! CSV for Excel on Japanese Windows: the report's tables one under another, and the encoder
//! every CSV export shares (UTF-8 with a BOM, or CP932; quoted per RFC 4180, CRLF line ends).

use serde::{Deserialize, Serialize};

use super::{Report, Table, Value};
use crate::i18n::Lang;

/// The bytes a CSV export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum CsvEncoding {
    /// UTF-8 with a BOM, which tells Excel the file is UTF-8.
    #[default]
    #[value(alias = "utf-8")]
    Utf8,
    /// Shift_JIS as Windows writes it (CP932), for older Excel and other Windows tools.
    #[value(
        alias = "sjis",
        alias = "shift_jis",
        alias = "shift-jis",
        alias = "windows-31j"
    )]
    Cp932,
}

/// The report as rows of cells: per table a title row, a header row, its rows and notes, and a
/// blank row. Every row has the same number of cells (short rows are padded), so the file is
/// rectangular and any CSV reader takes it.
pub fn records(report: &Report) -> Vec<Vec<String>> {
    laid_out(report).0
}

/// [`records`], with the index of each table's header row.
fn laid_out(report: &Report) -> (Vec<Vec<String>>, Vec<usize>) {
    let mut rows: Vec<Vec<String>> = vec![vec![report.title.clone()]];
    let mut headers = Vec::new();
    rows.extend(report.scope.iter().map(|l| vec![l.clone()]));
    rows.push(Vec::new());
    for table in &report.tables {
        headers.push(rows.len() + 1);
        table_records(table, report.lang, &mut rows);
        rows.push(Vec::new());
    }
    rows.extend(report.definitions.iter().map(|l| vec![l.clone()]));
    let width = rows.iter().map(Vec::len).max().unwrap_or(1);
    for row in &mut rows {
        row.resize(width, String::new());
    }
    (rows, headers)
}

/// The report as CSV in `encoding`: a character CP932 has no code for is an error naming its
/// row, its column and the column's name in its own table's header (the first row of the file
/// is the report's title, which named no column: `6 行目・2 列目（）`).
pub fn encode_report(report: &Report, encoding: CsvEncoding) -> Result<Vec<u8>, String> {
    let (rows, headers) = laid_out(report);
    let mut out = Vec::new();
    let mut csv = CsvWriter::new(encoding);
    // The title and the scope above the first table name no column (rows count from 1).
    csv.header_row = 0;
    csv.start(&mut out).map_err(|e| e.to_string())?;
    for (i, row) in rows.iter().enumerate() {
        if headers.contains(&i) {
            csv.header_next();
        }
        csv.row(&mut out, row).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Which extra columns a value column needs: a percent beside shares, the source beside meeting
/// counts that include published yearly counts.
pub(crate) struct Layout {
    pub percent: bool,
    pub source: bool,
}

pub(crate) fn layouts(table: &Table) -> Vec<Layout> {
    (0..table.value_headers.len())
        .map(|i| {
            let column = || table.rows.iter().filter_map(move |r| r.values.get(i));
            Layout {
                percent: column().any(|v| v.percent().is_some()),
                source: column().any(|v| v.is_published()),
            }
        })
        .collect()
}

/// The header of a table laid out with its extra columns (a spreadsheet's too).
pub(crate) fn header(table: &Table, lang: Lang, layouts: &[Layout]) -> Vec<String> {
    let mut header = table.label_headers.clone();
    for (h, layout) in table.value_headers.iter().zip(layouts) {
        header.push(h.clone());
        if layout.percent {
            header.push(format!("{h} {}", lang.pick("割合(%)", "share (%)")));
        }
        if layout.source {
            header.push(format!("{h} {}", lang.pick("区分", "source")));
        }
    }
    header
}

fn table_records(table: &Table, lang: Lang, rows: &mut Vec<Vec<String>>) {
    let layouts = layouts(table);
    rows.push(vec![format!("■ {}", table.title)]);
    rows.push(header(table, lang, &layouts));
    for row in &table.rows {
        let mut cells = row.labels.clone();
        for (v, layout) in row.values.iter().zip(&layouts) {
            cells.push(number(*v));
            if layout.percent {
                cells.push(v.percent().map(|p| p.to_string()).unwrap_or_default());
            }
            if layout.source {
                let source = if v.is_published() {
                    lang.pick("実績", "published")
                } else {
                    lang.pick("記録", "recorded")
                };
                cells.push(source.to_owned());
            }
        }
        rows.push(cells);
    }
    rows.extend(table.notes.iter().map(|n| vec![n.clone()]));
}

/// A cell Excel reads as a number.
fn number(v: Value) -> String {
    match v {
        Value::Mean { .. } => v.mean_text().unwrap_or_default(),
        other => other.count().to_string(),
    }
}

/// Writes rows as CSV in `encoding`. A character CP932 has no code for is an error naming its
/// row and column, never replaced silently.
pub fn encode(rows: &[Vec<String>], encoding: CsvEncoding) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut csv = CsvWriter::new(encoding);
    csv.start(&mut out).map_err(|e| e.to_string())?;
    for row in rows {
        csv.row(&mut out, row).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Why a row of CSV was not written.
#[derive(Debug)]
pub enum RowError {
    /// A cell the encoding cannot write (named with its row and column).
    Unwritable(String),
    /// The output's.
    Io(std::io::Error),
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::Unwritable(said) => f.write_str(said),
            RowError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RowError::Unwritable(_) => None,
            RowError::Io(e) => Some(e),
        }
    }
}

/// CSV written a row at a time (a listing of every next action is never held whole).
pub struct CsvWriter {
    encoding: CsvEncoding,
    rows: usize,
    /// The header row (the first, unless told otherwise): the names an error gives the
    /// columns, and its number.
    header: Vec<String>,
    header_row: usize,
}

impl CsvWriter {
    pub fn new(encoding: CsvEncoding) -> CsvWriter {
        CsvWriter {
            encoding,
            rows: 0,
            header: Vec::new(),
            header_row: 1,
        }
    }

    /// The next row is a header: its cells name the columns of the rows after it (a report's
    /// tables, one under another, each with its own).
    pub fn header_next(&mut self) {
        self.header_row = self.rows + 1;
    }

    /// What comes before the first row: the BOM of UTF-8, which Excel reads it by.
    pub fn start(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self.encoding {
            CsvEncoding::Utf8 => out.write_all(b"\xEF\xBB\xBF"), // inert: a byte order mark
            CsvEncoding::Cp932 => Ok(()),
        }
    }

    /// The next row; an error names its number and the column CP932 cannot write, or is the
    /// system's, kept as it is (a reader gone, a full disk: said by the command's error line).
    pub fn row(&mut self, out: &mut dyn std::io::Write, row: &[String]) -> Result<(), RowError> {
        self.rows += 1;
        let bytes = self.bytes(row).map_err(RowError::Unwritable)?;
        out.write_all(&bytes).map_err(RowError::Io) // inert: csv_line made every cell inert
    }

    /// Whether the next row can be written (CP932 has a code for each of its characters), as
    /// [`CsvWriter::row`] would say; counts it. For a first reading, before anything is written.
    pub fn check(&mut self, row: &[String]) -> Result<(), String> {
        self.rows += 1;
        self.bytes(row).map(|_| ())
    }

    fn bytes(&mut self, row: &[String]) -> Result<Vec<u8>, String> {
        let n = self.rows;
        if n == self.header_row {
            self.header = row.to_vec();
        }
        let line = csv_line(row).map_err(|e| format!("row {n}: {e}"))?;
        let header = (n != self.header_row).then_some(self.header.as_slice());
        match self.encoding {
            CsvEncoding::Utf8 => Ok(line.into_bytes()),
            CsvEncoding::Cp932 => to_cp932(&line).map_err(|_| unencodable(n, row, header)),
        }
    }
}

/// One record, quoted only where RFC 4180 needs it, ended by CRLF; each cell inert and never a
/// formula (see [`crate::text::csv_cell`]).
fn csv_line(row: &[String]) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    writer
        .write_record(row.iter().map(|cell| crate::text::csv_cell(cell)))
        .map_err(|e| e.to_string())?;
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// JIS characters that Windows writes at the same code with another Unicode character (〜 is
/// ～ in CP932): the same character to a reader, so they are written in the Windows form.
fn windows_form(c: char) -> char {
    match c {
        '\u{301C}' => '\u{FF5E}', // 〜 WAVE DASH → ～
        '\u{2016}' => '\u{2225}', // ‖ → ∥
        '\u{2014}' => '\u{2015}', // — EM DASH → ―
        '\u{00A2}' => '\u{FFE0}', // ¢ → ￠
        '\u{00A3}' => '\u{FFE1}', // £ → ￡
        '\u{00AC}' => '\u{FFE2}', // ¬ → ￢
        c => c,
    }
}

fn to_cp932(text: &str) -> Result<Vec<u8>, ()> {
    let text: String = text.chars().map(windows_form).collect();
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&text);
    if had_errors {
        Err(())
    } else {
        Ok(bytes.into_owned())
    }
}

/// The row, the column (and its name) and the character CP932 has no code for — never the
/// cell, which may be long and hold names. A character the cell is written with in another form
/// (a control character is written as �, which CP932 lacks) is named as it was given.
fn unencodable(row_number: usize, row: &[String], header: Option<&[String]>) -> String {
    let lang = crate::i18n::message_lang();
    for (col, cell) in row.iter().enumerate() {
        let written = |c: char| to_cp932(&crate::text::csv_cell(&c.to_string())).is_ok();
        if let Some(c) = cell.chars().find(|&c| !written(c)) {
            let shown = if c.is_control() || crate::text::is_hazard(c) {
                String::new()
            } else {
                format!("'{c}' ")
            };
            let name = header
                .and_then(|h| h.get(col))
                .filter(|h| !h.trim().is_empty())
                .map(|h| {
                    let h = crate::text::inert(h);
                    lang.pick(&format!("（{h}）"), &format!(" ({h})"))
                        .to_owned()
                })
                .unwrap_or_default();
            return crate::i18n::say(
                lang,
                "csv_cp932_char",
                &[
                    ("row", row_number.to_string()),
                    ("column", (col + 1).to_string()),
                    ("name", name),
                    ("char", format!("{shown}(U+{:04X})", u32::from(c))),
                ],
            );
        }
    }
    crate::i18n::say(lang, "csv_cp932_row", &[("row", row_number.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn utf8_has_a_bom_and_quotes_per_rfc4180() {
        let bytes = encode(
            &rows(&[&["機関", "内容"], &["包括", "訪問, \"同行\"\n再訪"]]),
            CsvEncoding::Utf8,
        )
        .unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(text, "機関,内容\r\n包括,\"訪問, \"\"同行\"\"\n再訪\"\r\n");
    }

    #[test]
    fn cp932_writes_windows_forms_and_names_what_it_cannot() {
        let bytes = encode(&rows(&[&["年2〜3回", "①"]]), CsvEncoding::Cp932).unwrap();
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad);
        assert_eq!(text, "年2～3回,①\r\n");
        let err = encode(
            &rows(&[&["a", "b"], &["ok", "吉野家𠮷"]]),
            CsvEncoding::Cp932,
        )
        .unwrap_err();
        // The column by its name, the character, never the cell (it may be long and hold names).
        assert!(
            err.starts_with("row 2, column 2 (b): '𠮷' (U+20BB7)"),
            "{err}"
        );
        assert!(
            err.contains("--encoding utf8") && !err.contains("吉野家"),
            "{err}"
        );
    }
}
