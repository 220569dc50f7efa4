//! A ward's workbook (.xlsx, .xls, .ods) read as the rows of its tables, so that body lists and
//! meeting books go through the same reader as CSV files: each sheet becomes rows of text, with
//! merged cells given to every row they span, dates and times as renkei writes them, and error
//! values kept aside so that they are refused where a field needs them.

use calamine::{Data, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsx};
use std::cell::Cell as Flag;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use super::tables::{self, Layout, Tables};
use super::tabular::{self, Origin, Row, sheet_reference};

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

/// The extensions read as workbooks.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Whether a file is read as a workbook (by its extension, as the importer reads it).
pub fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads the tables of a workbook: the sheets named in `sheets`, or else the one visible sheet
/// that holds tables (several such sheets must be named: one of them may be last year's copy).
pub fn read_workbook(bytes: &[u8], ext: &str, sheets: &[String]) -> Result<Tables, String> {
    let layout = without_panics(|| chosen_sheets(bytes, ext, sheets))?;
    tables::read(layout)
}

thread_local! {
    static QUIET: Flag<bool> = const { Flag::new(false) };
}

/// Runs the readers on bytes anyone may have damaged: calamine asserts on some damaged .xls
/// files, and such a panic becomes the error of a damaged file, its message unprinted.
fn without_panics<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Flag::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(read));
    QUIET.with(|q| q.set(false));
    result.unwrap_or_else(|_| Err("not a workbook renkei can read (damaged)".to_owned()))
}

/// The layout of the sheets to read.
fn chosen_sheets(bytes: &[u8], ext: &str, sheets: &[String]) -> Result<Layout, String> {
    let mut book = open(bytes, ext)?;
    let all: Vec<calamine::Sheet> = book.sheets_metadata().to_vec();
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    let mut chosen: Vec<(String, Layout)> = Vec::new();
    if sheets.is_empty() {
        for sheet in &all {
            if sheet.visible != SheetVisible::Visible || sheet.typ != SheetType::WorkSheet {
                continue;
            }
            let layout = tables::layout(sheet_rows(&mut book, bytes, &sheet.name)?);
            if !layout.tables.is_empty() {
                chosen.push((sheet.name.clone(), layout));
            }
        }
        match chosen.len() {
            0 => {
                return Err(format!(
                    "no sheet has a header row with a 会議名 (name) column, nor 開催日 (date) for a meeting book (sheets: {})",
                    names.join(", ")
                ));
            }
            1 => {}
            _ => {
                let found: Vec<&str> = chosen.iter().map(|(n, _)| n.as_str()).collect();
                return Err(format!(
                    "the sheets {} all hold tables: name the ones to import with --sheet NAME (it may be given more than once)",
                    found.join(", ")
                ));
            }
        }
    } else {
        for name in sheets {
            if !names.contains(&name.as_str()) {
                return Err(format!(
                    "no sheet named '{name}' (sheets: {})",
                    names.join(", ")
                ));
            }
            let rows = sheet_rows(&mut book, bytes, name)?;
            let first = rows.iter().find(|r| r.cells.iter().any(|c| !c.is_empty()));
            let message = tabular::no_header(first);
            let layout = tables::layout(rows);
            if layout.tables.is_empty() {
                return Err(message);
            }
            chosen.push((name.clone(), layout));
        }
    }
    let mut all_tables = Layout::default();
    for (_, layout) in chosen {
        all_tables.tables.extend(layout.tables);
        all_tables.left_out.extend(layout.left_out);
    }
    Ok(all_tables)
}

fn open<'a>(bytes: &'a [u8], ext: &str) -> Result<Workbook<'a>, String> {
    const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    let cursor = Cursor::new(bytes);
    let unreadable = |e: &dyn std::fmt::Display| format!("not a workbook renkei can read ({e})");
    match ext {
        "xlsx" | "xlsm" => {
            if bytes.starts_with(COMPOUND_FILE) {
                return Err(
                    "the workbook is encrypted (protected by a password): save a copy without one"
                        .to_owned(),
                );
            }
            Xlsx::new(cursor)
                .map(Sheets::Xlsx)
                .map_err(|e| unreadable(&e))
        }
        "xls" => Xls::new(cursor)
            .map(Sheets::Xls)
            .map_err(|e| unreadable(&e)),
        "ods" => {
            // calamine reads every sheet of an .ods as a grid when it opens the file (one cell
            // at AZ200000 took 670 MB): an absurd extent is refused before. A file that is no
            // zip is left for calamine to say so.
            for table in ods_tables(bytes).unwrap_or_default() {
                let extent = table.extent.map(|(start, end)| Dimensions::new(start, end));
                if let Some(too_far) = extent.and_then(|e| absurd_extent(&table.name, e)) {
                    return Err(too_far);
                }
            }
            Ods::new(cursor)
                .map(Sheets::Ods)
                .map_err(|e| unreadable(&e))
        }
        other => Err(format!("not a workbook: .{other}")),
    }
}

/// A cell as the table reader takes it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    /// An error value (`#N/A`, `#REF!` …).
    Error(String),
}

/// The most cells the rows of one sheet may hold once each row is padded from the sheet's first
/// used column to its own last cell: far more than any ward's list or meeting book, far less
/// than what would exhaust the memory of the machine.
const MAX_CELLS: usize = 4_000_000;

/// The rows of a sheet that hold something, from its first used row to its last, each from the
/// sheet's first used column to its own last cell; a run of empty rows is one blank row (the
/// table reader only asks whether a blank came before). Read cell by cell (.xlsx) without a
/// grid the size of the sheet's extent, so that one stray cell at XFD1048576 costs one cell.
fn sheet_rows(book: &mut Workbook<'_>, bytes: &[u8], name: &str) -> Result<Vec<Row>, String> {
    let sheet = sheet_reference(name);
    let (merged, extent) =
        merged_regions(book, bytes, name).map_err(|e| format!("{sheet}: {e}"))?;
    // An .ods sheet is read by calamine as a grid from its first cell to its last (checked
    // again here, for a sheet named by --sheet).
    if let Some(too_far) = extent.and_then(|e| absurd_extent(name, e)) {
        return Err(too_far);
    }
    let cells =
        sheet_cells(book, name).map_err(|e| format!("{sheet}: cannot read the sheet ({e})"))?;
    let mut rows: BTreeMap<u32, BTreeMap<u32, Cell>> = BTreeMap::new();
    for (r, c, value) in cells {
        rows.entry(r).or_default().insert(c, value);
    }
    let too_far = |(r, c): (u32, u32)| {
        format!(
            "{sheet}!{}{}: the sheet's cells reach too far to read (more than {MAX_CELLS} cells); delete the cells far from the table, or copy the table into a new sheet",
            tabular::column_name(c),
            r.saturating_add(1),
        )
    };
    let mut budget = MAX_CELLS;
    fill_merged(&mut rows, &merged, &mut budget).map_err(too_far)?;
    let Some(left) = rows.values().filter_map(|r| r.keys().next()).min().copied() else {
        return Ok(Vec::new());
    };
    // Refused before any row is padded: a sheet whose rows would be absurdly wide.
    let mut padded = 0usize;
    for (r, cells) in &rows {
        let last = cells.keys().next_back().copied().unwrap_or(left);
        padded = padded.saturating_add((last - left) as usize + 1);
        if padded > MAX_CELLS {
            return Err(too_far((*r, last)));
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut next: Option<u32> = None;
    for (r, cells) in rows {
        let origin = |row: u32| Origin::Sheet {
            sheet: name.to_owned(),
            row: row.saturating_add(1),
            first_column: left,
        };
        if let Some(expected) = next.filter(|&n| n < r) {
            out.push(Row::new(origin(expected), Vec::new()));
        }
        next = r.checked_add(1);
        let last = cells.keys().next_back().copied().unwrap_or(left);
        let mut row = Row::new(origin(r), vec![String::new(); (last - left) as usize + 1]);
        for (c, value) in cells {
            let i = (c - left) as usize;
            match value {
                Cell::Text(t) => row.cells[i] = t,
                Cell::Error(e) => row.errors.push((i, e)),
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// The cells of a sheet that hold something: (row, column, value), from 0. An .xlsx sheet is
/// read by calamine's cell reader, one cell at a time; an .xls or .ods sheet as calamine reads it
/// (those formats cannot reach so far: 65 536 rows of 256 columns in .xls).
fn sheet_cells(book: &mut Workbook<'_>, name: &str) -> Result<Vec<(u32, u32, Cell)>, String> {
    let mut out = Vec::new();
    let mut keep = |(r, c): (u32, u32), data: &Data| {
        let value = cell(data);
        if value != Cell::Text(String::new()) {
            out.push((r, c, value));
        }
    };
    match book {
        Sheets::Xlsx(x) => {
            let mut reader = match x.worksheet_cells_reader(name) {
                Ok(reader) => reader,
                // A chart sheet holds no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(out),
                Err(e) => return Err(e.to_string()),
            };
            while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                keep(c.get_position(), &Data::from(c.get_value().clone()));
            }
        }
        other => {
            let range: Range<Data> = other.worksheet_range(name).map_err(|e| e.to_string())?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                let at =
                    |base: u32, i: usize| base.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                keep((at(top, r), at(left, c)), data);
            }
        }
    }
    Ok(out)
}

/// The merged cells of a sheet, and for an .ods sheet the extent of the cells that hold
/// something (the grid calamine will make of it).
fn merged_regions(
    book: &mut Workbook<'_>,
    bytes: &[u8],
    name: &str,
) -> Result<(Vec<Dimensions>, Option<Dimensions>), String> {
    match book {
        Sheets::Xlsx(x) => x
            .merge_cells_by_sheet_name(name)
            .map(|m| (m, None))
            .map_err(|e| e.to_string()),
        Sheets::Xls(x) => x
            .merge_cells_by_sheet_name(name)
            .map(|m| (m, None))
            .map_err(|e| e.to_string()),
        Sheets::Ods(_) => ods_merged_regions(bytes, name),
        Sheets::Xlsb(_) => Ok((Vec::new(), None)),
    }
}

/// The refusal of a sheet whose cells that hold something span more than [`MAX_CELLS`] (a grid
/// of that extent is what calamine makes of an .ods sheet), naming the sheet and the range.
fn absurd_extent(name: &str, extent: Dimensions) -> Option<String> {
    if extent.len() <= MAX_CELLS as u64 {
        return None;
    }
    let corner = |(r, c): (u32, u32)| format!("{}{}", tabular::column_name(c), r.saturating_add(1));
    Some(format!(
        "{}!{}:{}: the sheet's cells reach too far to read (more than {MAX_CELLS} cells); delete the cells far from the table, or copy the table into a new sheet",
        sheet_reference(name),
        corner(extent.start),
        corner(extent.end),
    ))
}

/// What calamine does not say of the sheets of an OpenDocument spreadsheet, read as the XML
/// streams by (never as a grid): each sheet's merged cells (the cells with
/// `table:number-rows-spanned` or `table:number-columns-spanned`, at positions counted as
/// calamine counts them, repeated rows and cells expanded), and the extent of its cells that
/// hold something (a value or text).
#[derive(Debug, Default)]
struct OdsTable {
    name: String,
    merged: Vec<Dimensions>,
    /// The first and last row and column of the cells that hold something.
    extent: Option<((u32, u32), (u32, u32))>,
}

/// The merged cells and the extent of the sheet `sheet` of an OpenDocument spreadsheet.
fn ods_merged_regions(
    bytes: &[u8],
    sheet: &str,
) -> Result<(Vec<Dimensions>, Option<Dimensions>), String> {
    let table = ods_tables(bytes)?
        .into_iter()
        .find(|t| t.name == sheet)
        .unwrap_or_default();
    let extent = table.extent.map(|(start, end)| Dimensions::new(start, end));
    Ok((table.merged, extent))
}

fn ods_tables(bytes: &[u8]) -> Result<Vec<OdsTable>, String> {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};

    let number = |e: &BytesStart<'_>, attribute: &str| -> u32 {
        e.try_get_attribute(attribute)
            .ok()
            .flatten()
            .and_then(|a| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(1)
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut tables: Vec<OdsTable> = Vec::new();
    let mut buf = Vec::new();
    // Inside a sheet's table, and how deep inside tables nested in its cells.
    let (mut inside, mut nested) = (false, 0u32);
    // The row being read, the row after it (past its repeats), the next cell's column.
    let (mut row, mut next_row, mut col) = (0u32, 0u32, 0u32);
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("content.xml: {e}"))?;
        let (e, empty) = match &event {
            Event::Eof => break,
            Event::End(e) if inside && e.name().as_ref() == "table:table" => {
                match nested {
                    0 => inside = false,
                    _ => nested -= 1,
                }
                buf.clear();
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            "table:table" if !inside => {
                let name = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .and_then(|a| {
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                inside = !empty;
                (row, next_row, col) = (0, 0, 0);
                tables.push(OdsTable {
                    name: name.unwrap_or_default(),
                    ..OdsTable::default()
                });
            }
            "table:table" if !empty => nested += 1,
            "table:table-row" if inside && nested == 0 => {
                row = next_row;
                next_row = row.saturating_add(number(e, "table:number-rows-repeated"));
                col = 0;
            }
            name @ ("table:table-cell" | "table:covered-table-cell") if inside && nested == 0 => {
                let Some(table) = tables.last_mut() else {
                    continue;
                };
                let rows = number(e, "table:number-rows-spanned");
                let cols = number(e, "table:number-columns-spanned");
                if name == "table:table-cell" && (rows > 1 || cols > 1) {
                    table.merged.push(Dimensions::new(
                        (row, col),
                        (row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                    ));
                }
                let repeated = number(e, "table:number-columns-repeated");
                let holds = name == "table:table-cell"
                    && (!empty
                        || e.try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some());
                if holds {
                    let last = (
                        next_row.saturating_sub(1).max(row),
                        col.saturating_add(repeated.saturating_sub(1)),
                    );
                    let ((top, left), (bottom, right)) = table.extent.unwrap_or(((row, col), last));
                    table.extent = Some((
                        (top.min(row), left.min(col)),
                        (bottom.max(last.0), right.max(last.1)),
                    ));
                }
                col = col.saturating_add(repeated);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(tables)
}

/// A merged cell holds its value in its top-left cell only. Every row a merged cell spans gets
/// that value in the merged cell's first column (an organiser merged over the rows of its three
/// bodies belongs to each of them); the columns it spans to the right stay empty, since a value
/// does not belong to two fields.
///
/// At most `budget` cells are given a value; past it, the cell where it ran out.
fn fill_merged(
    rows: &mut BTreeMap<u32, BTreeMap<u32, Cell>>,
    merged: &[Dimensions],
    budget: &mut usize,
) -> Result<(), (u32, u32)> {
    let Some(&last) = rows.keys().next_back() else {
        return Ok(());
    };
    for region in merged {
        let (r0, c) = region.start;
        let r1 = region.end.0.min(last);
        let Some(value) = rows.get(&r0).and_then(|row| row.get(&c)).cloned() else {
            continue;
        };
        for r in r0.saturating_add(1)..=r1 {
            if *budget == 0 {
                return Err((r, c));
            }
            *budget -= 1;
            rows.entry(r)
                .or_default()
                .entry(c)
                .or_insert_with(|| value.clone());
        }
    }
    Ok(())
}

/// A cell's value as text, as the CSV of the same sheet would hold it: line breaks (Alt+Enter)
/// as `\n`, whole numbers without a decimal point, dates as 2020-04-15, times as 10:30.
fn cell(data: &Data) -> Cell {
    let text = match data {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n").replace('\r', "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) if dt.is_duration() => duration(dt.as_f64() * 24.0 * 60.0),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let time = clock(h, mi, s);
            if (0.0..1.0).contains(&dt.as_f64()) {
                time
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {time}")
            }
        }
        Data::DateTimeIso(iso) => iso_datetime(iso),
        Data::DurationIso(iso) => iso_duration(iso).unwrap_or_else(|| iso.clone()),
        Data::Error(e) => return Cell::Error(e.to_string()),
    };
    Cell::Text(text)
}

fn clock(h: u8, mi: u8, s: u8) -> String {
    if s == 0 {
        format!("{h:02}:{mi:02}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    }
}

/// A number as Excel shows it in a General cell: whole numbers without a point, others to at
/// most 15 significant digits (0.1 + 0.2 shows as 0.3).
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let text = format!("{f:.15}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Minutes as H:MM (a duration cell, `[h]:mm`).
fn duration(minutes: f64) -> String {
    let total = minutes.round().max(0.0) as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// `2020-04-15T10:30:00` (OpenDocument) as `2020-04-15 10:30`; midnight as the date alone.
fn iso_datetime(iso: &str) -> String {
    let (date, time) = iso.split_once('T').unwrap_or((iso, ""));
    let hm: Vec<&str> = time.split(':').collect();
    match hm.as_slice() {
        [] | [""] => date.to_owned(),
        [h, m, rest @ ..] => {
            let seconds = rest.first().map(|s| s.trim_end_matches('Z')).unwrap_or("0");
            let zero = |s: &str| s.chars().all(|c| c == '0' || c == '.');
            if zero(h) && zero(m) && zero(seconds) {
                date.to_owned()
            } else {
                format!("{date} {h}:{m}")
            }
        }
        _ => iso.to_owned(),
    }
}

/// `PT10H30M00S` (an OpenDocument time) as `10:30`.
fn iso_duration(iso: &str) -> Option<String> {
    let rest = iso.strip_prefix("PT")?;
    let (hours, rest) = rest.split_once('H')?;
    let (minutes, _) = rest.split_once('M')?;
    let hours: u64 = hours.parse().ok()?;
    let minutes: u64 = minutes.parse().ok()?;
    Some(format!("{hours:02}:{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn datetime(value: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    fn text(data: Data) -> String {
        match cell(&data) {
            Cell::Text(t) => t,
            Cell::Error(e) => panic!("error {e}"),
        }
    }

    #[test]
    fn cells_read_as_the_csv_would_hold_them() {
        assert_eq!(text(Data::Float(23.0)), "23");
        assert_eq!(text(Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(text(Data::Float(2.5)), "2.5");
        assert_eq!(text(Data::Int(-4)), "-4");
        assert_eq!(text(Data::Bool(true)), "TRUE");
        assert_eq!(
            text(Data::String("一行目\r\n二行目".into())),
            "一行目\n二行目"
        );
        // 2020-04-15 is serial 43936; 10:30 is 0.4375 of a day.
        assert_eq!(text(datetime(43936.0)), "2020-04-15");
        assert_eq!(text(datetime(43936.4375)), "2020-04-15 10:30");
        assert_eq!(text(datetime(0.4375)), "10:30");
        assert_eq!(
            text(Data::DateTime(ExcelDateTime::new(
                1.5,
                ExcelDateTimeType::TimeDelta,
                false
            ))),
            "36:00"
        );
        assert_eq!(text(Data::DateTimeIso("2020-04-15".into())), "2020-04-15");
        assert_eq!(
            text(Data::DateTimeIso("2020-04-15T00:00:00".into())),
            "2020-04-15"
        );
        assert_eq!(
            text(Data::DateTimeIso("2020-04-15T10:30:00".into())),
            "2020-04-15 10:30"
        );
        assert_eq!(text(Data::DurationIso("PT10H30M00S".into())), "10:30");
        assert_eq!(
            cell(&Data::Error(calamine::CellErrorType::NA)),
            Cell::Error("#N/A".into())
        );
    }

    #[test]
    fn merged_cells_go_down_their_first_column() {
        let t = |s: &str| Cell::Text(s.to_owned());
        // A sheet whose used range starts at B2 (absolute positions, from 0).
        let mut rows: BTreeMap<u32, BTreeMap<u32, Cell>> = BTreeMap::new();
        rows.insert(
            1,
            BTreeMap::from([(1, t("A")), (2, t("保健相談所")), (3, t("x"))]),
        );
        rows.insert(2, BTreeMap::from([(1, t("B"))]));
        rows.insert(3, BTreeMap::from([(1, t("C"))]));
        rows.insert(4, BTreeMap::from([(1, t("D")), (2, t("福祉課"))]));
        // C2:C4 (and C2:D2), and a region far below the last row.
        let merged = [
            Dimensions::new((1, 2), (3, 2)),
            Dimensions::new((1, 3), (1, 4)),
            Dimensions::new((99, 99), (100, 99)),
        ];
        let mut budget = 100;
        assert_eq!(fill_merged(&mut rows, &merged, &mut budget), Ok(()));
        assert_eq!(rows[&2][&2], t("保健相談所"));
        assert_eq!(rows[&3][&2], t("保健相談所"));
        assert_eq!(
            rows[&4][&2],
            t("福祉課"),
            "a row past the region keeps its own"
        );
        assert_eq!(rows[&1][&3], t("x"));
        assert!(
            !rows[&2].contains_key(&3),
            "a region across columns fills no column"
        );
        assert!(!rows.contains_key(&99));
        // A region over a million rows stops at the budget, naming where.
        rows.insert(2_000_000, BTreeMap::from([(0, t("far"))]));
        let mut budget = 1000;
        let huge = [Dimensions::new((1, 1), (1_999_999, 1))];
        assert_eq!(fill_merged(&mut rows, &huge, &mut budget), Err((1002, 1)));
    }
}
