//! The tables of a file as a ward lays them out — in a CSV or TSV text, or a sheet of a workbook
//! — read into bodies and meetings: where each table's header row is, which rows under it are
//! data and which are headings or notes, and which parser reads its columns (body lists here in
//! `tabular`, meeting books in `meeting_book`).

use super::interchange::BodyRecord;
use super::meeting_book::{self, Book};
use super::tabular::{
    Kind, Row, Table, bodies_from, check_quotes, csv_rows, is_body_header, no_header,
};

/// The tables of a text or a sheet, as a ward lays them out: a title and notes above the header
/// row, the header repeated where the printed table goes on to the next page, a second table
/// further down. `left_out` names the rows read as headings or notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub tables: Vec<Table>,
    pub left_out: Vec<String>,
}

/// A row with a 開催日 (date) column heads a meeting book; one with a 会議名 (name) column, a
/// body list.
fn header_kind(row: &Row) -> Option<Kind> {
    if meeting_book::is_book_header(&row.cells) {
        Some(Kind::Book)
    } else if is_body_header(&row.cells) {
        Some(Kind::Bodies)
    } else {
        None
    }
}

/// A remark under a table: ※ …, 注 …, * ….
fn reads_as_remark(text: &str) -> bool {
    let text = text.trim_start_matches(['(', '（', ' ', '　']);
    text.starts_with(['※', '＊', '*', '注'])
}

/// Finds the tables among rows. Rows above the first header row are titles and notes. Under a
/// header, a row is data unless its text is in one cell only (in a table of several columns)
/// and it reads as a heading or a note: a remark (※ …), or a line in the table's first column
/// after a blank row (a section title, notes under the table) or just above the next header row
/// (that table's title).
pub fn layout(rows: Vec<Row>) -> Layout {
    let kinds: Vec<Option<Kind>> = rows.iter().map(header_kind).collect();
    let blank: Vec<bool> = rows.iter().map(Row::is_blank).collect();
    // Whether the next row with text after row i is a header row.
    let header_next = |i: usize| {
        (i + 1..blank.len())
            .find(|&j| !blank[j])
            .is_some_and(|j| kinds[j].is_some())
    };
    let mut out = Layout::default();
    let mut after_blank = false;
    for (i, row) in rows.into_iter().enumerate() {
        if blank[i] {
            after_blank = true;
            continue;
        }
        if let Some(kind) = kinds[i] {
            out.tables.push(Table {
                kind,
                header: row,
                rows: Vec::new(),
            });
            after_blank = false;
            continue;
        }
        let Some(table) = out.tables.last_mut() else {
            out.left_out.push(row.origin.at(row.filled().next()));
            continue;
        };
        let filled: Vec<usize> = row.filled().collect();
        let note = match filled.as_slice() {
            // In a table of one column, every row is data.
            [_] if table.header.filled().nth(1).is_none() => false,
            [only] => {
                let first_column = table.header.filled().min().unwrap_or(0);
                let text = row.cells.get(*only).map(String::as_str).unwrap_or("");
                reads_as_remark(text) || (*only <= first_column && (after_blank || header_next(i)))
            }
            _ => false,
        };
        if note {
            out.left_out.push(row.origin.at(filled.first().copied()));
        } else {
            table.rows.push(row);
            after_blank = false;
        }
    }
    out
}

/// What the tables of one file hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub bodies: Vec<BodyRecord>,
    pub book: Book,
}

/// Reads the tables: body lists into bodies, meeting books into meetings; errors name the line
/// (or the cell).
pub fn read(layout: Layout) -> Result<Tables, String> {
    let (books, lists): (Vec<&Table>, Vec<&Table>) =
        layout.tables.iter().partition(|t| t.kind == Kind::Book);
    for table in &layout.tables {
        check_errors(table)?;
    }
    Ok(Tables {
        bodies: bodies_from(&lists)?,
        book: meeting_book::book_from(&books)?,
    })
}

/// A cell holding a spreadsheet error under a named column is refused: the value is lost.
fn check_errors(table: &Table) -> Result<(), String> {
    for row in &table.rows {
        for (column, error) in &row.errors {
            if !table.header.cell(Some(*column)).is_empty() {
                return Err(format!(
                    "{}: the cell holds the error {error} instead of a value ({})",
                    row.origin.at(Some(*column)),
                    table.header.cell(Some(*column))
                ));
            }
        }
    }
    Ok(())
}

/// Reads the tables of a CSV or TSV text (`delimiter` is `b','` or `b'\t'`).
pub fn read_text(text: &str, delimiter: u8) -> Result<Tables, String> {
    check_quotes(text)?;
    let rows = csv_rows(text, delimiter)?;
    let first = rows.iter().find(|r| !r.is_blank()).cloned();
    let layout = layout(rows);
    if layout.tables.is_empty() {
        return Err(no_header(first.as_ref()));
    }
    read(layout)
}

/// Reads a body list (a CSV or TSV text whose tables list bodies).
pub fn parse_bodies(text: &str, delimiter: u8) -> Result<Vec<BodyRecord>, String> {
    read_text(text, delimiter).map(|t| t.bodies)
}
