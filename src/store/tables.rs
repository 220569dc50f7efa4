//! The tables of a file as a ward lays them out — in a CSV or TSV text, or a sheet of a workbook
//! — read into bodies and meetings: where each table's header row is, which rows under it are
//! data and which are headings or notes, and which parser reads its columns (body lists here in
//! `tabular`, meeting books in `meeting_book`).
//!
//! The rows are read one at a time ([`Rows`]) and each record is handed on as soon as its row is
//! read ([`records`]): a ward's meeting book of fifty thousand rows is never held (attack report
//! 7, finding 25: 4–10 kB a row were). The layout looks one row ahead, no further.

use std::collections::HashMap;

use super::interchange::BodyRecord;
use super::meeting_book::{self, Book, BookColumns, SeenKeys};
pub use super::tabular::Rows;
use super::tabular::{BodyList, Columns, Kind, Row, check_quotes, is_body_header, no_header};
use crate::interchange::MeetingRecord;
use crate::interchange::stream::Failure;

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

/// What the layout makes of a row.
pub enum Laid<'r> {
    /// A header row: a table of its kind begins.
    Header(&'r Row, Kind),
    /// A row of data of the table under `header`.
    Data {
        header: &'r Row,
        kind: Kind,
        row: Row,
    },
    /// A heading or a note (its place), left out.
    LeftOut(String),
}

/// What a walk through the rows found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The first row with text (for the message of a file with no header row).
    pub first: Option<Row>,
    /// Body lists and meeting books.
    pub lists: usize,
    pub books: usize,
}

impl Walked {
    pub fn tables(&self) -> usize {
        self.lists + self.books
    }
}

/// The next row with text, and whether a blank row came before it.
fn next_filled(rows: &mut dyn Rows) -> Result<Option<(Row, bool)>, String> {
    let mut blank = false;
    while let Some(row) = rows.next_row()? {
        if !row.is_blank() {
            return Ok(Some((row, blank)));
        }
        blank = true;
    }
    Ok(None)
}

/// Finds the tables among rows, as a ward lays them out: a title and notes above the header
/// row, the header repeated where the printed table goes on to the next page, a second table
/// further down. Rows above the first header row are titles and notes. Under a header, a row is
/// data unless its text is in one cell only (in a table of several columns) and it reads as a
/// heading or a note: a remark (※ …), or a line in the table's first column after a blank row (a
/// section title, notes under the table) or just above the next header row (that table's
/// title). Each row is handed to `visit` as soon as the row after it with text is read.
pub fn walk<E>(
    rows: &mut dyn Rows,
    visit: &mut dyn FnMut(Laid<'_>) -> Result<(), Failure<E>>,
) -> Result<Walked, Failure<E>> {
    let mut walked = Walked::default();
    let mut current: Option<(Row, Kind)> = None;
    let mut after_blank = false;
    let mut next = next_filled(rows).map_err(Failure::Invalid)?;
    while let Some((row, blank_before)) = next.take() {
        after_blank |= blank_before;
        if walked.first.is_none() {
            walked.first = Some(row.clone());
        }
        next = next_filled(rows).map_err(Failure::Invalid)?;
        if let Some(kind) = header_kind(&row) {
            match kind {
                Kind::Book => walked.books += 1,
                Kind::Bodies => walked.lists += 1,
            }
            visit(Laid::Header(&row, kind))?;
            current = Some((row, kind));
            after_blank = false;
            continue;
        }
        let Some((header, kind)) = &current else {
            visit(Laid::LeftOut(row.origin.at(row.filled().next())))?;
            continue;
        };
        let filled: Vec<usize> = row.filled().collect();
        let note = match filled.as_slice() {
            // In a table of one column, every row is data.
            [_] if header.filled().nth(1).is_none() => false,
            [only] => {
                let first_column = header.filled().min().unwrap_or(0);
                let text = row.cells.get(*only).map(String::as_str).unwrap_or("");
                let header_next = next.as_ref().is_some_and(|(r, _)| header_kind(r).is_some());
                reads_as_remark(text) || (*only <= first_column && (after_blank || header_next))
            }
            _ => false,
        };
        if note {
            visit(Laid::LeftOut(row.origin.at(filled.first().copied())))?;
        } else {
            after_blank = false;
            visit(Laid::Data {
                header,
                kind: *kind,
                row,
            })?;
        }
    }
    Ok(walked)
}

/// Which records a reading of the tables hands on: a file's bodies are written before its
/// meetings (a meeting names its body), so its tables are read twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Bodies,
    Meetings,
}

/// A record of a table, as soon as its row is read.
pub enum Record {
    Body(Box<BodyRecord>),
    /// A meeting of a meeting book, and its row (`line 12`, `R2!B12`).
    Meeting(String, Box<MeetingRecord>),
}

/// A reading of the tables of a file (of one or several sheets), handing on each body (or each
/// meeting, as `want` says) as soon as its row is read; errors name the line (or the cell).
/// `keys` remembers the meetings read (the same body, date and start twice is an error naming
/// both rows).
pub struct Reading<'k> {
    want: Want,
    list: BodyList,
    keys: &'k mut dyn SeenKeys,
    /// What the rows read so far held.
    pub walked: Walked,
}

impl<'k> Reading<'k> {
    pub fn new(want: Want, keys: &'k mut dyn SeenKeys) -> Reading<'k> {
        Reading {
            want,
            list: BodyList::default(),
            keys,
            walked: Walked::default(),
        }
    }

    /// Reads the tables of `rows` (a text, or one sheet).
    pub fn records<E>(
        &mut self,
        rows: &mut dyn Rows,
        on: &mut dyn FnMut(Record) -> Result<(), E>,
    ) -> Result<(), Failure<E>> {
        let want = self.want;
        let mut book: Option<BookColumns> = None;
        let mut list_columns: Option<Columns> = None;
        let (list, keys) = (&mut self.list, &mut *self.keys);
        let walked = walk(rows, &mut |laid| {
            match laid {
                // Every header is read whichever records are wanted: a column renkei does not
                // know is refused before anything of the file is written.
                Laid::Header(header, Kind::Book) => {
                    book = Some(meeting_book::columns(header).map_err(Failure::Invalid)?);
                }
                Laid::Header(header, Kind::Bodies) => {
                    list_columns = Some(Columns::of(header).map_err(Failure::Invalid)?);
                }
                Laid::Data { header, kind, row } => {
                    let record = match (kind, want) {
                        (Kind::Bodies, Want::Bodies) => {
                            check_errors(header, &row).map_err(Failure::Invalid)?;
                            let Some(columns) = &list_columns else {
                                return Ok(());
                            };
                            Record::Body(Box::new(
                                list.body(columns, &row).map_err(Failure::Invalid)?,
                            ))
                        }
                        (Kind::Book, Want::Meetings) => {
                            check_errors(header, &row).map_err(Failure::Invalid)?;
                            let Some(columns) = &book else {
                                return Ok(());
                            };
                            let (place, meeting) =
                                meeting_book::meeting_of_row(columns, &row, &mut *keys)
                                    .map_err(Failure::Invalid)?;
                            Record::Meeting(place, Box::new(meeting))
                        }
                        _ => return Ok(()),
                    };
                    on(record).map_err(Failure::Sink)?;
                }
                _ => {}
            }
            Ok(())
        })?;
        self.walked.lists += walked.lists;
        self.walked.books += walked.books;
        if self.walked.first.is_none() {
            self.walked.first = walked.first;
        }
        Ok(())
    }
}

/// A cell holding a spreadsheet error, or a formula without its result, under a named column is
/// refused: the value is lost.
fn check_errors(header: &Row, row: &Row) -> Result<(), String> {
    for (column, error) in &row.errors {
        let name = header.cell(Some(*column));
        if !name.is_empty() {
            return Err(format!(
                "{}: {}",
                row.origin.at(Some(*column)),
                error.said(name)
            ));
        }
    }
    Ok(())
}

/// What the tables of one file hold, read whole (for tests and small files; an import reads
/// them with [`records`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub bodies: Vec<BodyRecord>,
    pub book: Book,
}

/// Where a reading hands its records.
pub type Keep<'a> = dyn FnMut(Record) -> Result<(), String> + 'a;

/// Reads a source's rows into a reading.
pub type ReadEach<'a> =
    dyn FnMut(&mut Reading<'_>, &mut Keep<'_>) -> Result<(), Failure<String>> + 'a;

/// Reads every table of a source whole: `each` reads the source's rows (each of its sheets)
/// into a reading; called twice, for the bodies and then the meetings.
pub fn read_whole(each: &mut ReadEach<'_>) -> Result<Tables, String> {
    let mut tables = Tables::default();
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut keep = |record: Record| -> Result<(), String> {
        match record {
            Record::Body(b) => tables.bodies.push(*b),
            Record::Meeting(place, m) => {
                tables.book.meetings.push(*m);
                tables.book.places.push(place);
            }
        }
        Ok(())
    };
    let mut bodies = Reading::new(Want::Bodies, &mut keys);
    each(&mut bodies, &mut keep).map_err(failed)?;
    let walked = bodies.walked;
    if walked.tables() == 0 {
        return Err(no_header(walked.first.as_ref()));
    }
    if walked.books > 0 {
        let mut meetings = Reading::new(Want::Meetings, &mut keys);
        each(&mut meetings, &mut keep).map_err(failed)?;
    }
    Ok(tables)
}

fn failed(f: Failure<String>) -> String {
    match f {
        Failure::Invalid(e) | Failure::Sink(e) => e,
    }
}

/// Reads the tables of a CSV or TSV text (`delimiter` is `b','` or `b'\t'`) whole.
pub fn read_text(text: &str, delimiter: u8) -> Result<Tables, String> {
    check_quotes(text)?;
    read_whole(&mut |reading, keep| {
        reading.records(&mut super::tabular::CsvRows::new(text, delimiter), keep)
    })
}

/// Reads a body list (a CSV or TSV text whose tables list bodies).
pub fn parse_bodies(text: &str, delimiter: u8) -> Result<Vec<BodyRecord>, String> {
    read_text(text, delimiter).map(|t| t.bodies)
}

/// The tables of rows and the rows left out, as [`walk`] finds them (for tests).
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Layout {
    pub tables: Vec<(Row, Vec<Row>)>,
    pub left_out: Vec<String>,
}

#[cfg(test)]
pub fn layout(rows: Vec<Row>) -> Layout {
    let mut out = Layout::default();
    let walked = walk::<()>(&mut rows.into_iter(), &mut |laid| {
        match laid {
            Laid::Header(row, _) => out.tables.push((row.clone(), Vec::new())),
            Laid::Data { row, .. } => {
                if let Some((_, rows)) = out.tables.last_mut() {
                    rows.push(row);
                }
            }
            Laid::LeftOut(at) => out.left_out.push(at),
        }
        Ok(())
    });
    assert!(walked.is_ok());
    out
}
