//! Body lists as a ward keeps them in Excel: CSV or TSV with the Koto column headers, in UTF-8
//! (with or without BOM) or Shift_JIS/CP932.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::interchange::BodyRecord;
use crate::i18n::said;

/// The text encoding of a CSV/TSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 with a BOM if valid UTF-8, else Shift_JIS/CP932.
    Auto,
    Utf8,
    /// Shift_JIS as Windows writes it (CP932).
    #[value(
        alias = "sjis",
        alias = "shift_jis",
        alias = "shift-jis",
        alias = "windows-31j"
    )]
    Cp932,
}

/// Decodes a whole file; bytes that are not valid in the encoding are an error naming the line.
/// The bytes become the text without a copy when they are UTF-8.
pub fn decode(mut bytes: Vec<u8>, encoding: Encoding) -> Result<String, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match encoding {
        Encoding::Utf8 => utf8(bytes),
        Encoding::Cp932 => cp932(&bytes),
        Encoding::Auto => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) => {
                let utf8_error = e.utf8_error();
                let bytes = e.into_bytes();
                cp932(&bytes).map_err(|_| {
                    // Name the line where the text stops being readable as the likelier encoding.
                    let utf8_line = line_at(&bytes, utf8_error.valid_up_to());
                    let sjis_line = first_bad_sjis_line(&bytes).unwrap_or(1);
                    format!(
                        "line {}: {}",
                        utf8_line.max(sjis_line),
                        said("table_not_utf8_nor_sjis", &[])
                    )
                })
            }
        },
    }
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let line = line_at(e.as_bytes(), e.utf8_error().valid_up_to());
        format!("line {line}: {}", said("table_invalid_utf8", &[]))
    })
}

fn cp932(bytes: &[u8]) -> Result<String, String> {
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if !had_errors {
        return Ok(text.into_owned());
    }
    match first_bad_sjis_line(bytes) {
        Some(line) => Err(format!("line {line}: {}", said("table_invalid_sjis", &[]))),
        None => Err(said("table_invalid_sjis", &[])),
    }
}

/// Shift_JIS never uses the byte of a line feed inside a character, so lines decode alone.
fn first_bad_sjis_line(bytes: &[u8]) -> Option<usize> {
    bytes
        .split(|&b| b == b'\n')
        .position(|line| encoding_rs::SHIFT_JIS.decode_without_bom_handling(line).1)
        .map(|i| i + 1)
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Text decoded as it is read (attack report 7's finding 25 for CSV: a meeting book was read
/// whole, then decoded whole into a second copy): UTF-8 or Shift_JIS/CP932 to UTF-8, 64 kB of
/// the file at a time, a BOM at its start dropped. Bytes that are not valid in the encoding
/// stop the reading with an error naming their line, as a NUL does (no text field may hold
/// one); [`Decoded::malformed`] tells the first apart.
pub struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    sjis: bool,
    raw: Vec<u8>,
    raw_at: usize,
    raw_end: usize,
    eof: bool,
    started: bool,
    /// The decoder was given the end of the text.
    done: bool,
    out: Vec<u8>,
    out_at: usize,
    /// Line feeds handed on so far.
    lines: usize,
    /// The line of the first byte not valid in the encoding, once met.
    pub malformed: Option<usize>,
}

/// The bytes of the file a [`Decoded`] reads at a time.
const CHUNK: usize = 64 * 1024;

impl<R: std::io::Read> Decoded<R> {
    /// `sjis`: Shift_JIS/CP932; else UTF-8.
    pub fn new(inner: R, sjis: bool) -> Decoded<R> {
        let decoder = if sjis {
            encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling()
        } else {
            encoding_rs::UTF_8.new_decoder_without_bom_handling()
        };
        Decoded {
            inner,
            decoder,
            sjis,
            raw: vec![0; CHUNK],
            raw_at: 0,
            raw_end: 0,
            eof: false,
            started: false,
            done: false,
            out: Vec::with_capacity(3 * CHUNK + 16),
            out_at: 0,
            lines: 0,
            malformed: None,
        }
    }

    fn failed(&self, line: usize, key: &str) -> std::io::Error {
        std::io::Error::other(format!("line {line}: {}", said(key, &[])))
    }

    /// Decodes the next piece of the file into `out` (empty at the end).
    fn fill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        // The decoder was told the text ended: it is not asked again.
        if self.eof && self.raw_at == self.raw_end && self.done {
            return Ok(());
        }
        loop {
            if self.raw_at == self.raw_end && !self.eof {
                let mut n = 0;
                // A BOM is looked for in the file's first bytes, however its reader gives them.
                while n < self.raw.len() {
                    let read = self.inner.read(&mut self.raw[n..])?;
                    if read == 0 {
                        self.eof = true;
                        break;
                    }
                    n += read;
                    if self.started || n >= 3 {
                        break;
                    }
                }
                (self.raw_at, self.raw_end) = (0, n);
                if !std::mem::replace(&mut self.started, true)
                    && self.raw[..n].starts_with(b"\xEF\xBB\xBF")
                {
                    self.raw_at = 3;
                }
            }
            let room = self.out.capacity() - self.out.len();
            let written_before = self.out.len();
            self.out.resize(written_before + room, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_at..self.raw_end],
                &mut self.out[written_before..],
                self.eof,
            );
            self.raw_at += read;
            self.out.truncate(written_before + written);
            match result {
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    let line = self.lines + memchr::memchr_iter(b'\n', &self.out).count() + 1;
                    self.malformed = Some(line);
                    let key = if self.sjis {
                        "table_invalid_sjis"
                    } else {
                        "table_invalid_utf8"
                    };
                    return Err(self.failed(line, key));
                }
                encoding_rs::DecoderResult::OutputFull => break,
                encoding_rs::DecoderResult::InputEmpty => {
                    self.done = self.eof;
                    if self.eof || !self.out.is_empty() {
                        break;
                    }
                }
            }
        }
        if let Some(at) = memchr::memchr(0, &self.out) {
            let line = self.lines + memchr::memchr_iter(b'\n', &self.out[..at]).count() + 1;
            return Err(self.failed(line, "table_nul"));
        }
        self.lines += memchr::memchr_iter(b'\n', &self.out).count();
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_at == self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// What a first reading of a CSV or TSV file found: its encoding (Shift_JIS or not) and
/// whether its first line looks tab-separated. The reading also refuses what the rows cannot be
/// read with: bytes invalid in the encoding, a NUL, a quoted field never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looked {
    pub sjis: bool,
    pub tabs: bool,
}

/// Reads the text `open` gives once (twice for [`Encoding::Auto`] when it is not UTF-8), as it
/// streams by, holding a piece of it at a time.
pub fn look<'f>(
    open: &dyn Fn() -> std::io::Result<Box<dyn std::io::Read + 'f>>,
    encoding: Encoding,
) -> Result<Looked, String> {
    let pass = |sjis: bool| -> Result<Result<Looked, usize>, String> {
        let mut text = Decoded::new(open().map_err(|e| e.to_string())?, sjis);
        let mut quotes = Quotes::default();
        let mut first: Vec<u8> = Vec::new();
        let mut first_done = false;
        let mut chunk = vec![0u8; CHUNK];
        loop {
            let n = match std::io::Read::read(&mut text, &mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    return match text.malformed {
                        Some(line) => Ok(Err(line)),
                        None => Err(e.to_string()),
                    };
                }
            };
            let piece = &chunk[..n];
            if !first_done {
                let end = memchr::memchr(b'\n', piece);
                first_done = end.is_some();
                let take = end.unwrap_or(n).min(CHUNK.saturating_sub(first.len()));
                first.extend_from_slice(&piece[..take]);
            }
            quotes.feed(piece);
        }
        quotes.end()?;
        let tabs = first.contains(&b'\t') && !first.contains(&b',');
        Ok(Ok(Looked { sjis, tabs }))
    };
    let invalid = |line: usize, key: &str| format!("line {line}: {}", said(key, &[]));
    match encoding {
        Encoding::Utf8 => pass(false)?.map_err(|line| invalid(line, "table_invalid_utf8")),
        Encoding::Cp932 => pass(true)?.map_err(|line| invalid(line, "table_invalid_sjis")),
        Encoding::Auto => match pass(false)? {
            Ok(looked) => Ok(looked),
            Err(utf8_line) => pass(true)?.map_err(|sjis_line| {
                // The line where the text stops being readable as the likelier encoding.
                invalid(utf8_line.max(sjis_line), "table_not_utf8_nor_sjis")
            }),
        },
    }
}

/// The file's bytes from `from` on, read at their place (a reading of its own: two readers
/// of one file go through one table file at two places).
pub struct ReadAt<'f> {
    file: &'f std::fs::File,
    at: u64,
}

impl<'f> ReadAt<'f> {
    pub fn new(file: &'f std::fs::File) -> ReadAt<'f> {
        ReadAt { file, at: 0 }
    }
}

impl std::io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// The fields of a body list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyField {
    Name,
    Organiser,
    ExpectedSize,
    Members,
    Topics,
    Frequency,
    PersonalInfo,
    Kind,
    Parent,
    Municipality,
    Note,
    /// The row's number in the ward's table (seed 000's No.): read as nothing, on purpose.
    Number,
}

/// The columns a body list may have: the name a message gives each, and the headers read as it
/// (as [`normalise_header`] leaves them). A header none of them is, is refused (a column
/// `個人情報共有` ignored left the bodies sharing personal information public: attack on the
/// imports, 2026-12-05).
const BODY_COLUMNS: &[Known<BodyField>] = &[
    Known::new(
        BodyField::Name,
        "会議名 (name)",
        &["会議名", "会議体", "会議体名", "name"],
    ),
    Known::new(
        BodyField::Organiser,
        "主催者 (organiser)",
        &["主催者", "主催", "事務局", "organiser", "organizer"],
    ),
    Known::new(
        BodyField::ExpectedSize,
        "参加者数 (expected_size)",
        &["参加者数", "人数", "expected_size"],
    ),
    Known::new(
        BodyField::Members,
        "参加者 (members)",
        &["参加者", "構成機関", "参加機関", "members"],
    ),
    Known::new(
        BodyField::Topics,
        "主な議題 (topics)",
        &["主な議題", "議題", "topics"],
    ),
    Known::new(
        BodyField::Frequency,
        "開催頻度 (frequency)",
        &["開催頻度", "開催回数", "頻度", "frequency"],
    ),
    Known::new(
        BodyField::PersonalInfo,
        "個人情報の共有 (personal_info)",
        &[
            "個人情報の共有",
            "個人情報共有",
            "個人情報の共有の有無",
            "個人情報共有の有無",
            "個人情報の共有有無",
            "個人情報共有有無",
            "個人情報",
            "personal_info",
        ],
    ),
    Known::new(
        BodyField::Kind,
        "種別 (kind)",
        &["種別", "会議の種類", "kind"],
    ),
    Known::new(
        BodyField::Parent,
        "上位会議体 (parent)",
        &["上位会議体", "親会議", "parent"],
    ),
    Known::new(
        BodyField::Municipality,
        "自治体 (municipality)",
        &["自治体", "区", "municipality"],
    ),
    Known::new(BodyField::Note, "備考 (note)", &["備考", "note"]),
    Known::new(BodyField::Number, "No./番号", NUMBER_HEADERS),
];

/// The headers of a column that numbers the rows (No., 番号), in a body list or a meeting book:
/// known, and read as nothing.
pub(crate) const NUMBER_HEADERS: &[&str] = &["no.", "no", "番号", "#"];

/// A column a table knows: the name messages give it (its usual header, and the field's
/// English name), and every header read as it, as [`normalise_header`] leaves them.
pub(crate) struct Known<F: 'static> {
    pub field: F,
    pub name: &'static str,
    pub headers: &'static [&'static str],
}

impl<F> Known<F> {
    pub(crate) const fn new(
        field: F,
        name: &'static str,
        headers: &'static [&'static str],
    ) -> Known<F> {
        Known {
            field,
            name,
            headers,
        }
    }
}

/// The field a header names, if it is one of `known`.
pub(crate) fn known_field<F: Copy>(known: &[Known<F>], header: &str) -> Option<F> {
    let header = normalise_header(header);
    known
        .iter()
        .find(|k| k.headers.contains(&header.as_str()))
        .map(|k| k.field)
}

/// Whether a header cell names no column: empty, or blanks only.
pub(crate) fn blank_header(header: &str) -> bool {
    normalise_header(header).is_empty()
}

/// Where a cell of a row is, for a message: `line 1, column 4` in a CSV or TSV file (`1行4列目`
/// in Japanese), its cell in a sheet (`一覧!D1`).
pub(crate) fn cell_place(origin: &Origin, column: usize) -> String {
    match origin {
        Origin::Line(line) => format!("line {line}, column {}", column + 1),
        sheet => sheet.at(Some(column)),
    }
}

/// The refusal of a header cell (column `column` of `header`) that names none of the columns
/// `known`: it names the cell and the header, the known column nearest to it if one is near,
/// and every column the table knows. Read as nothing, its column would be lost without a word.
pub(crate) fn unknown_header<F>(known: &[Known<F>], header: &Row, column: usize) -> String {
    // A cell of a megabyte is named by its start.
    let text = crate::text::truncate(&header.cell(Some(column)), 60);
    let names: Vec<&str> = known.iter().map(|k| k.name).collect();
    let mut args = vec![("header", text.clone()), ("known", names.join(", "))];
    let key = match nearest(known, &normalise_header(&text)) {
        Some(near) => {
            args.push(("near", near.to_owned()));
            "table_unknown_column_near"
        }
        None => "table_unknown_column",
    };
    format!(
        "{}: {}",
        cell_place(&header.origin, column),
        said(key, &args)
    )
}

/// The name of the known column whose header is nearest to `header` (normalised), if one is
/// near: at most three characters added, dropped or changed, and no more than half of the
/// longer of the two (主催社 → 主催者, 開催頻変 → 開催頻度, 個人情報の取扱い → 個人情報の共有).
fn nearest<F>(known: &[Known<F>], header: &str) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for k in known {
        for h in k.headers {
            // strsim (already built for clap's suggestions) counts characters, not bytes.
            let d = strsim::levenshtein(header, h);
            let longer = header.chars().count().max(h.chars().count());
            if d <= 3 && 2 * d <= longer && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, k.name));
            }
        }
    }
    best.map(|(_, name)| name)
}

/// Which column of the file holds which field.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    name: Option<usize>,
    organiser: Option<usize>,
    expected_size: Option<usize>,
    members: Option<usize>,
    topics: Option<usize>,
    frequency: Option<usize>,
    personal_info: Option<usize>,
    kind: Option<usize>,
    parent: Option<usize>,
    municipality: Option<usize>,
    note: Option<usize>,
    /// Two columns of one field (主催者 and 主催): which of them holds it is not known — the
    /// first such pair, (first, second).
    twice: Option<(usize, usize)>,
    /// The first header cell that names no column renkei knows.
    unknown: Option<usize>,
}

impl Columns {
    fn from_headers(headers: &[String]) -> Columns {
        let mut cols = Columns::default();
        let mut twice = None;
        for (i, header) in headers.iter().enumerate() {
            let Some(field) = known_field(BODY_COLUMNS, header) else {
                if !blank_header(header) {
                    cols.unknown.get_or_insert(i);
                }
                continue;
            };
            let slot = match field {
                BodyField::Name => &mut cols.name,
                BodyField::Organiser => &mut cols.organiser,
                BodyField::ExpectedSize => &mut cols.expected_size,
                BodyField::Members => &mut cols.members,
                BodyField::Topics => &mut cols.topics,
                BodyField::Frequency => &mut cols.frequency,
                BodyField::PersonalInfo => &mut cols.personal_info,
                BodyField::Kind => &mut cols.kind,
                BodyField::Parent => &mut cols.parent,
                BodyField::Municipality => &mut cols.municipality,
                BodyField::Note => &mut cols.note,
                BodyField::Number => continue,
            };
            match *slot {
                None => *slot = Some(i),
                Some(first) => {
                    twice.get_or_insert((first, i));
                }
            }
        }
        cols.twice = twice;
        cols
    }

    /// The columns of the body list under `header`: refused when a header names no column
    /// renkei knows, or two columns name one field.
    pub(crate) fn of(header: &Row) -> Result<Columns, String> {
        let cols = Columns::from_headers(&header.cells);
        if cols.name.is_none() {
            return Err(no_header(Some(header)));
        }
        if let Some(column) = cols.unknown {
            return Err(unknown_header(BODY_COLUMNS, header, column));
        }
        if let Some((first, second)) = cols.twice {
            return Err(header_twice(header, first, second));
        }
        Ok(cols)
    }
}

/// Whether a header row has a 会議名 (name) column, which makes its table a body list.
pub fn is_body_header(cells: &[String]) -> bool {
    Columns::from_headers(cells).name.is_some()
}

/// A header as the columns are looked up by: full-width letters and digits as ASCII, without
/// its blanks (a BOM and the zero-width spaces and joiners too), in lower case.
pub(crate) fn normalise_header(header: &str) -> String {
    crate::domain::calendar::fold_width(header)
        .chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
                )
        })
        .collect::<String>()
        .to_lowercase()
}

/// A quoted field never closed would swallow the rest of the file into one cell (the csv crate
/// reads on to the end): refuse it, naming the line where the quote opened.
pub fn check_quotes(text: &str) -> Result<(), String> {
    let mut quotes = Quotes::default();
    quotes.feed(text.as_bytes());
    quotes.end()
}

/// The quotes of a text as it streams by, a piece at a time (see [`check_quotes`]). Only ASCII
/// bytes matter, which are never part of another character in UTF-8.
#[derive(Debug)]
struct Quotes {
    inside: bool,
    /// A `"` inside a quoted field, not yet known to be the first of an escaped `""`.
    closing: bool,
    line: usize,
    opened_at: usize,
    at_field_start: bool,
}

impl Default for Quotes {
    fn default() -> Quotes {
        Quotes {
            inside: false,
            closing: false,
            line: 1,
            opened_at: 0,
            at_field_start: true,
        }
    }
}

impl Quotes {
    fn feed(&mut self, bytes: &[u8]) {
        for &c in bytes {
            if std::mem::take(&mut self.closing) {
                if c == b'"' {
                    // `""`: a quote inside the field.
                    self.at_field_start = false;
                    continue;
                }
                self.inside = false;
                self.at_field_start = false;
            }
            match c {
                b'"' if self.inside => self.closing = true,
                b'"' if self.at_field_start => {
                    self.inside = true;
                    self.opened_at = self.line;
                }
                _ => {}
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.at_field_start = !self.inside && matches!(c, b',' | b'\t' | b'\n' | b'\r');
        }
    }

    fn end(&mut self) -> Result<(), String> {
        if self.inside && !self.closing {
            return Err(format!(
                "line {}: {}",
                self.opened_at,
                said("table_unclosed_quote", &[])
            ));
        }
        Ok(())
    }
}

/// The line feeds in the run of line breaks at a byte of a text: the blank lines the csv crate
/// skipped before a record it says begins there.
/// The line feeds in the run of line breaks at a byte, and whether the byte before it is a
/// carriage return (the run then starts with the line feed that ends the line before).
type Blanks<'t> = dyn FnMut(u64) -> Result<(usize, bool), String> + 't;

/// The line a record starts on, and how many blank lines came just before it. The csv crate
/// reports the line where it began reading, which is before any blank lines it skipped: those
/// are counted by `blanks`. After a CRLF it began reading between the CR and the LF (the LF is
/// the previous line's end, not a blank line: session 12, a CRLF file read with a blank row
/// before every row).
fn line_and_gap(
    blanks: &mut Blanks<'_>,
    record: &csv::StringRecord,
) -> Result<(usize, usize), String> {
    let Some(pos) = record.position() else {
        return Ok((0, 0));
    };
    let (feeds, after_cr) = blanks(pos.byte())?;
    let gap = feeds.saturating_sub(usize::from(after_cr));
    Ok((usize::try_from(pos.line()).unwrap_or(0) + feeds, gap))
}

/// The line feeds in the run of line breaks (CR and LF) at the start of `bytes`.
fn feeds_at(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count()
}

/// The line feeds in the run of line breaks at each byte asked about (in increasing order) of
/// a text read once more alongside the csv reader's, as it streams by.
struct Ahead<R> {
    inner: R,
    buf: Vec<u8>,
    at: usize,
    len: usize,
    /// The byte of the text `buf[at]` is.
    pos: u64,
    /// The byte before `buf[at]` (0 at the start).
    prev: u8,
}

impl<R: std::io::Read> Ahead<R> {
    fn next(&mut self) -> std::io::Result<Option<u8>> {
        if self.at == self.len {
            self.len = self.inner.read(&mut self.buf)?;
            self.at = 0;
            if self.len == 0 {
                return Ok(None);
            }
        }
        let b = self.buf[self.at];
        self.at += 1;
        self.pos += 1;
        self.prev = b;
        Ok(Some(b))
    }

    fn blanks_at(&mut self, byte: u64) -> std::io::Result<(usize, bool)> {
        while self.pos < byte {
            let skip = usize::try_from(byte - self.pos)
                .unwrap_or(usize::MAX)
                .min(self.len - self.at);
            if skip == 0 {
                if self.next()?.is_none() {
                    return Ok((0, false));
                }
                continue;
            }
            self.at += skip;
            self.pos += skip as u64;
            self.prev = self.buf[self.at - 1];
        }
        let after_cr = self.prev == b'\r';
        let mut feeds = 0;
        while let Some(b) = self.next()? {
            match b {
                b'\n' => feeds += 1,
                b'\r' => {}
                _ => break,
            }
        }
        Ok((feeds, after_cr))
    }
}

/// Where a row of a table came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A line of a CSV or TSV file (from 1).
    Line(usize),
    /// A row of a sheet: the sheet's name, the row's number as Excel shows it (from 1), and the
    /// column of the row's first cell (from 0, A = 0).
    Sheet {
        sheet: String,
        row: u32,
        first_column: u32,
    },
}

impl Origin {
    /// Where a message points: `line 12` in a CSV file; in a sheet the cell of `column` (an
    /// index into the row's cells), `一覧!F14`, or the whole row, `一覧!14:14`.
    pub fn at(&self, column: Option<usize>) -> String {
        match self {
            Origin::Line(line) => format!("line {line}"),
            Origin::Sheet {
                sheet,
                row,
                first_column,
            } => {
                let sheet = sheet_reference(sheet);
                match column {
                    Some(c) => {
                        let c = u32::try_from(c).unwrap_or(u32::MAX);
                        format!(
                            "{sheet}!{}{row}",
                            column_name(first_column.saturating_add(c))
                        )
                    }
                    None => format!("{sheet}!{row}:{row}"),
                }
            }
        }
    }
}

/// A column's letters as Excel names it: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet's name as a cell reference writes it: quoted (`'Sheet 1'!A1`) unless it is letters,
/// digits and underscores only, not starting with a digit.
pub fn sheet_reference(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// One row of a table: its cells as text, where it came from, and the cells that hold no value
/// renkei can take: a spreadsheet error (`#N/A`, `#REF!` …), or a formula whose result the
/// file does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub origin: Origin,
    pub cells: Vec<String>,
    pub errors: Vec<(usize, Fault)>,
}

/// Why a cell of a sheet holds no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// An error value (`#N/A`, `#REF!` …).
    Error(String),
    /// A formula saved without its result (a file written by a program that does not calculate,
    /// or by Excel with calculation set to manual): read as empty, its value would be lost
    /// without a word (session 11's attack report, finding 5).
    Uncalculated,
}

impl Fault {
    /// The refusal of the cell under the column named `column`.
    pub fn said(&self, column: String) -> String {
        match self {
            Fault::Error(error) => said(
                "table_cell_error",
                &[("error", error.clone()), ("column", column)],
            ),
            Fault::Uncalculated => said("table_cell_uncalculated", &[("column", column)]),
        }
    }
}

impl Row {
    pub fn new(origin: Origin, cells: Vec<String>) -> Row {
        Row {
            origin,
            cells,
            errors: Vec::new(),
        }
    }

    /// The columns of the cells that hold something (text or an error value).
    pub(crate) fn filled(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(i, _)| i)
            .chain(self.errors.iter().map(|(i, _)| *i))
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.filled().next().is_none()
    }

    /// The cell's text without the blanks around it ("" past the end of the row); a tab or a
    /// line break is part of the text as typed.
    pub(crate) fn cell(&self, column: Option<usize>) -> String {
        column
            .and_then(|c| self.cells.get(c))
            .map(|c| crate::text::trim_blanks(c))
            .unwrap_or("")
            .to_owned()
    }
}

/// The rows of a CSV or TSV text, one per record as it is read, with a blank row where blank
/// lines were.
pub struct CsvRows<'t> {
    reader: csv::Reader<Box<dyn std::io::Read + 't>>,
    blanks: Box<Blanks<'t>>,
    record: csv::StringRecord,
    /// A row read after blank lines, given after the blank row that stands for them.
    held: Option<Row>,
    any: bool,
}

impl<'t> CsvRows<'t> {
    pub fn new(text: &'t str, delimiter: u8) -> CsvRows<'t> {
        let blanks = move |byte: u64| {
            let bytes = text.as_bytes();
            let start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
            let after_cr = start.checked_sub(1).map(|b| bytes[b]) == Some(b'\r');
            Ok((feeds_at(&bytes[start..]), after_cr))
        };
        CsvRows::of(Box::new(text.as_bytes()), Box::new(blanks), delimiter)
    }

    /// The rows of a text `open` gives (each call a reading from its start), read as it
    /// streams by: one reading for the csv reader, one alongside it for the blank lines.
    pub fn streamed(open: &dyn Fn() -> Box<dyn std::io::Read + 't>, delimiter: u8) -> CsvRows<'t> {
        let mut ahead = Ahead {
            inner: open(),
            buf: vec![0; 8 * 1024],
            at: 0,
            len: 0,
            pos: 0,
            prev: 0,
        };
        let blanks = move |byte: u64| ahead.blanks_at(byte).map_err(|e| e.to_string());
        CsvRows::of(open(), Box::new(blanks), delimiter)
    }

    fn of(
        text: Box<dyn std::io::Read + 't>,
        blanks: Box<Blanks<'t>>,
        delimiter: u8,
    ) -> CsvRows<'t> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text);
        CsvRows {
            reader,
            blanks,
            record: csv::StringRecord::new(),
            held: None,
            any: false,
        }
    }
}

/// Rows of a table source (a CSV text, the sheets of a workbook), one at a time, blank ones
/// included (the layout asks whether a blank came before a row).
pub trait Rows {
    fn next_row(&mut self) -> Result<Option<Row>, String>;
}

impl Rows for std::vec::IntoIter<Row> {
    fn next_row(&mut self) -> Result<Option<Row>, String> {
        Ok(self.next())
    }
}

impl Rows for CsvRows<'_> {
    fn next_row(&mut self) -> Result<Option<Row>, String> {
        if let Some(row) = self.held.take() {
            return Ok(Some(row));
        }
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|e| match e.kind() {
                // The text's own reading (its decoding) says where it failed.
                csv::ErrorKind::Io(io) => io.to_string(),
                _ => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    format!("line {line}: {}", csv_message(&e))
                }
            })?;
        if !more {
            return Ok(None);
        }
        let (line, gap) = line_and_gap(&mut self.blanks, &self.record)?;
        let row = Row::new(
            Origin::Line(line),
            self.record.iter().map(crate::text::lf_breaks).collect(),
        );
        if gap > 0 && std::mem::replace(&mut self.any, true) {
            self.held = Some(row);
            return Ok(Some(Row::new(Origin::Line(line - 1), Vec::new())));
        }
        self.any = true;
        Ok(Some(row))
    }
}

/// Every row of a CSV or TSV text (for tests).
#[cfg(test)]
pub fn csv_rows(text: &str, delimiter: u8) -> Result<Vec<Row>, String> {
    let mut reader = CsvRows::new(text, delimiter);
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row()? {
        rows.push(row);
    }
    Ok(rows)
}

/// What a table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Standing bodies (a 会議名 / name column).
    Bodies,
    /// Meetings held (a 開催日 / date column): see [`meeting_book`].
    Book,
}

/// The message for a header row with two columns of one field (主催者 and 主催): the cells of
/// both, and what they say. Which of them holds the field is not known: refused, never one of
/// them silently ignored.
pub fn header_twice(header: &Row, first: usize, second: usize) -> String {
    // A sheet's cell (一覧!C1); a CSV line's column as a spreadsheet names it (C).
    let at = |c: usize| match &header.origin {
        Origin::Line(_) => column_name(u32::try_from(c).unwrap_or(u32::MAX)),
        sheet => sheet.at(Some(c)),
    };
    let cell = |c: usize| header.cell(Some(c));
    format!(
        "{}: {}",
        header.origin.at(None),
        crate::i18n::said(
            "table_header_twice",
            &[
                ("first", at(first)),
                ("first_text", cell(first)),
                ("second", at(second)),
                ("second_text", cell(second)),
            ]
        )
    )
}

/// The message for a file or sheet where no row is a header row; for one with no row at all,
/// that it is empty (it said 1行目: …の列もありません。最初の行: with nothing after it).
pub fn no_header(first: Option<&Row>) -> String {
    match first {
        Some(row) => crate::i18n::said(
            "import_no_header",
            &[("at", row.origin.at(None)), ("cells", row.cells.join(", "))],
        ),
        None => crate::i18n::said("import_no_rows", &[]),
    }
}

/// Reads the rows of body-list tables into bodies, remembering which it read (a body listed
/// twice is an error naming both places).
#[derive(Debug, Default)]
pub(crate) struct BodyList {
    seen: HashMap<(String, String), String>,
}

impl BodyList {
    /// The body of a row of the table whose columns are `cols` (see [`Columns::of`]); errors
    /// name the line or cell.
    pub(crate) fn body(&mut self, cols: &Columns, row: &Row) -> Result<BodyRecord, String> {
        let Some(name_col) = cols.name else {
            return Err(no_header(Some(row)));
        };
        let at = |col: Option<usize>| row.origin.at(col);
        let cell = |col: Option<usize>| row.cell(col);
        let name = cell(Some(name_col));
        if name.is_empty() {
            return Err(format!(
                "{}: {}",
                at(Some(name_col)),
                said("book_field_empty", &[("field", "会議名 (name)".to_owned())])
            ));
        }
        let personal_info = parse_flag(&cell(cols.personal_info)).map_err(|v| {
            format!(
                "{}: {}",
                at(cols.personal_info),
                said(
                    "book_not_a_flag",
                    &[
                        ("field", "個人情報の共有 (personal_info)".to_owned()),
                        ("value", v)
                    ]
                )
            )
        })?;
        let organiser = cell(cols.organiser);
        if let Some(first) = self
            .seen
            .insert((name.clone(), organiser.clone()), at(Some(name_col)))
        {
            return Err(format!(
                "{}: {}",
                at(Some(name_col)),
                said(
                    "table_body_twice",
                    &[
                        ("name", name),
                        ("organiser", organiser),
                        ("first", place_said(&first))
                    ]
                )
            ));
        }
        let parent = cell(cols.parent);
        Ok(BodyRecord {
            name,
            organiser,
            expected_size: cell(cols.expected_size),
            members: split_agencies(&cell(cols.members)),
            topics: cell(cols.topics),
            frequency: cell(cols.frequency),
            personal_info,
            kind: cell(cols.kind),
            parent: (!parent.is_empty()).then_some(parent),
            municipality: cell(cols.municipality),
            note: cell(cols.note),
            ..BodyRecord::default()
        })
    }
}

/// A row's place inside a sentence, in the message language: `line 12` is `12行目` in
/// Japanese (a cell, `R2!B12`, is the same in both).
pub(crate) fn place_said(place: &str) -> String {
    place_in(place, crate::i18n::message_lang())
}

/// A row's place (`line 12`) in `lang`: `12行目` in Japanese.
pub(crate) fn place_in(place: &str, lang: crate::i18n::Lang) -> String {
    match place.strip_prefix("line ") {
        Some(n) if lang == crate::i18n::Lang::Ja => format!("{n}行目"),
        _ => place.to_owned(),
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => said("table_invalid_utf8", &[]),
        _ => e.to_string(),
    }
}

/// ○ (and its look-alikes), 有, あり, yes, true, 1 → shared; blank, ×, 無, なし, no, false, 0 → not.
pub fn parse_flag(text: &str) -> Result<bool, String> {
    // Full-width letters and digits as their ASCII (`１`, `ＹＥＳ`: a Japanese keyboard's
    // input mode types them; attack of 2026-12-05, round 31, finding 5), any case.
    let folded = crate::domain::calendar::fold_width(text.trim()).to_lowercase();
    match folded.as_str() {
        "○" | "◯" | "〇" | "●" | "有" | "あり" | "有り" | "yes" | "true" | "1" | "y" => {
            Ok(true)
        }
        "" | "×" | "✕" | "-" | "無" | "なし" | "無し" | "no" | "false" | "0" | "n" => {
            Ok(false)
        }
        _ => Err(text.trim().to_owned()),
    }
}

/// Splits a cell of agencies. Lists use 、 or commas; where none appear, ・ separates agencies
/// (but names such as 町会・自治会 stay whole when the list uses 、).
pub fn split_agencies(text: &str) -> Vec<String> {
    let separators: &[char] = if text.contains(['、', ',', '，', '\n', ';', '；']) {
        &['、', ',', '，', '\n', ';', '；']
    } else {
        &['・']
    };
    text.split(separators)
        .map(crate::text::trim_blanks)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_flag_typed_full_width_or_in_any_case_is_read() {
        for yes in ["1", "１", "ＹＥＳ", "Yes", "ｙ", "TRUE", " 有 ", "○"] {
            assert_eq!(super::parse_flag(yes), Ok(true), "{yes}");
        }
        for no in ["0", "０", "ＮＯ", "No", "ｎ", "False", "無", "", "－"] {
            assert_eq!(super::parse_flag(no), Ok(false), "{no}");
        }
        for neither in ["２", "はい？", "yess"] {
            assert_eq!(super::parse_flag(neither), Err(neither.to_owned()));
        }
    }

    use super::*;
    use crate::store::tables::{layout, parse_bodies};

    /// A line break inside a quoted cell is one LF however the file was saved: CRLF (Excel on
    /// Windows) or a lone CR — so a cell of agencies splits into the agencies, none ending in
    /// a CR (a second, invisible 生活福祉課 beside the first: attack on imports, 2026-12-05).
    #[test]
    fn a_line_break_in_a_quoted_cell_is_one_lf_however_saved() {
        let text = "会議名,参加者\r\nU会議,\"機関Ａ\r\n機関Ｂ\"\r\nV会議,\"機関Ｃ\r機関Ｄ\"\r\n";
        let rows = csv_rows(text, b',').unwrap();
        assert_eq!(rows[1].cells[1], "機関Ａ\n機関Ｂ");
        assert_eq!(rows[2].cells[1], "機関Ｃ\n機関Ｄ");
        assert_eq!(split_agencies(&rows[1].cells[1]), ["機関Ａ", "機関Ｂ"]);
        assert_eq!(split_agencies(&rows[2].cells[1]), ["機関Ｃ", "機関Ｄ"]);
    }

    #[test]
    fn decodes_utf8_bom_and_sjis() {
        let text = "会議名,開催頻度\n江東区居住支援協議会,年1回（2月）\n";
        assert_eq!(
            decode(text.as_bytes().to_vec(), Encoding::Auto).unwrap(),
            text
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(bom, Encoding::Auto).unwrap(), text);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(decode(sjis.to_vec(), Encoding::Auto).unwrap(), text);
        assert_eq!(decode(sjis.to_vec(), Encoding::Cp932).unwrap(), text);
        let err = decode(sjis.to_vec(), Encoding::Utf8).unwrap_err();
        assert!(err.starts_with("line 1:"), "{err}");
    }

    /// The rows of `bytes` read as an import reads a file: decoded as they stream by.
    fn streamed_rows(bytes: &[u8], sjis: bool, delimiter: u8) -> Result<Vec<Row>, String> {
        let open = || -> Box<dyn std::io::Read + '_> { Box::new(Decoded::new(bytes, sjis)) };
        let mut reader = CsvRows::streamed(&open, delimiter);
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row()? {
            rows.push(row);
        }
        Ok(rows)
    }

    fn looked(bytes: &[u8], encoding: Encoding) -> Result<Looked, String> {
        look(&|| Ok(Box::new(bytes)), encoding)
    }

    /// A CSV file is decoded as it is read (item 5 of session 11's import task): its rows, their
    /// lines and the blank rows between them are those of the text decoded whole, in Shift_JIS
    /// and in UTF-8 with a BOM, with CRLF, blank lines and a quoted field over two lines.
    #[test]
    fn a_file_decoded_as_it_streams_reads_as_its_whole_text() {
        let text = "会議名,主催者\r\n\r\n江東区居住支援協議会,\"住宅課\r\n住宅指導係\"\r\n\r\n\r\n精神部会,障害者支援課\r\n\n";
        let whole = csv_rows(text, b',').unwrap();
        assert_eq!(whole.len(), 5, "{whole:?}");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(streamed_rows(&sjis, true, b',').unwrap(), whole);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(streamed_rows(&bom, false, b',').unwrap(), whole);
        assert_eq!(
            looked(&sjis, Encoding::Auto),
            Ok(Looked {
                sjis: true,
                tabs: false
            })
        );
        assert_eq!(
            looked(&bom, Encoding::Auto),
            Ok(Looked {
                sjis: false,
                tabs: false
            })
        );
        assert!(looked("a\tb\n".as_bytes(), Encoding::Auto).unwrap().tabs);
    }

    /// Session 12: a CSV with CRLF line ends was read with a blank row before every row (its
    /// lines right). The same file with LF or CRLF line ends, with or without a BOM, with or
    /// without a line end after its last line, reads as the same rows, whole and as it streams
    /// by; a lone CR and a LF inside quoted fields stay in their cells, and a blank line is still
    /// one blank row.
    #[test]
    fn crlf_lf_a_bom_and_no_last_line_end_read_as_the_same_rows() {
        let template = "会議名,主催者,備考{E}居住支援協議会,住宅課,\"一行目\r二行目\"{E}\
            精神部会,障害者支援課,{E}{E}ケース会議,福祉課,\"a\nb\"{E}最後,福祉課,x";
        let line = |n: usize, cells: &[&str]| {
            Row::new(
                Origin::Line(n),
                cells.iter().map(|c| (*c).to_owned()).collect(),
            )
        };
        let expected = vec![
            line(1, &["会議名", "主催者", "備考"]),
            // A lone CR inside a quoted cell is a line break, as in a workbook's cell.
            line(2, &["居住支援協議会", "住宅課", "一行目\n二行目"]),
            line(3, &["精神部会", "障害者支援課", ""]),
            line(4, &[]),
            line(5, &["ケース会議", "福祉課", "a\nb"]),
            line(7, &["最後", "福祉課", "x"]),
        ];
        for end in ["\n", "\r\n"] {
            for last in ["", end] {
                for bom in [&b""[..], b"\xEF\xBB\xBF"] {
                    let text = format!("{}{last}", template.replace("{E}", end));
                    let mut bytes = bom.to_vec();
                    bytes.extend_from_slice(text.as_bytes());
                    let said = format!("{end:?} last {last:?} bom {}", !bom.is_empty());
                    let decoded = decode(bytes.clone(), Encoding::Auto).unwrap();
                    assert_eq!(csv_rows(&decoded, b',').unwrap(), expected, "{said}");
                    assert_eq!(
                        streamed_rows(&bytes, false, b',').unwrap(),
                        expected,
                        "{said}"
                    );
                    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
                    assert_eq!(
                        streamed_rows(&sjis, true, b',').unwrap(),
                        expected,
                        "{said} sjis"
                    );
                }
            }
        }
    }

    /// What the first reading refuses, naming the line, as the whole text's decoding did.
    #[test]
    fn the_first_reading_refuses_what_the_rows_cannot_hold() {
        let bad_sjis = b"name\nok\n\x82\xff\n";
        assert_eq!(
            looked(bad_sjis, Encoding::Cp932).unwrap_err(),
            "line 3: invalid Shift_JIS"
        );
        assert_eq!(
            looked(bad_sjis, Encoding::Auto).unwrap_err(),
            "line 3: neither UTF-8 nor Shift_JIS (save the file as UTF-8, or name its encoding with --encoding)"
        );
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("会議名\n江東区\n");
        assert_eq!(
            looked(&sjis, Encoding::Utf8).unwrap_err(),
            "line 1: invalid UTF-8"
        );
        assert!(
            looked(b"a\nb\nc\0\n", Encoding::Auto)
                .unwrap_err()
                .starts_with("line 3: a NUL byte"),
        );
        let unclosed = "会議名,主催者\nA,B\n\"閉じていない,福祉課\nC,D\n";
        assert_eq!(
            looked(unclosed.as_bytes(), Encoding::Auto).unwrap_err(),
            check_quotes(unclosed).unwrap_err()
        );
        // Quotes read a byte at a time as a whole.
        for text in [
            unclosed,
            "a,\"x\ny\",\"he said \"\"hi\"\"\"\n",
            "a,\"\"\"\"\n",
        ] {
            let mut quotes = Quotes::default();
            for b in text.as_bytes() {
                quotes.feed(std::slice::from_ref(b));
            }
            assert_eq!(quotes.end(), check_quotes(text), "{text}");
        }
    }

    /// The text given by a reader that counts what it handed on.
    struct Counted<R> {
        inner: R,
        handed: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl<R: std::io::Read> std::io::Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.handed.set(self.handed.get() + n);
            Ok(n)
        }
    }

    /// A meeting book of 2 MB in Shift_JIS: its first rows are read after a few pieces of it,
    /// not after the whole file was read (and decoded into a second copy) as before. Thirty
    /// pieces of [`CHUNK`] or more show it as well as the 20 MB this test read (two seconds of a
    /// debug build): the two pieces the first rows may take are a fifteenth of the file.
    #[test]
    fn a_large_file_is_not_read_whole_before_its_first_rows() {
        let row = "2020-04-15,江東区居住支援協議会,住宅課,10:00,11:30,出席者は関係機関の担当者\r\n";
        let (row, _, _) = encoding_rs::SHIFT_JIS.encode(row);
        let mut file = b"date,body,organiser,start,end,note\r\n".to_vec();
        while file.len() < 2_000_000 {
            file.extend_from_slice(&row);
        }
        let handed = std::rc::Rc::new(std::cell::Cell::new(0));
        let open = || -> Box<dyn std::io::Read + '_> {
            Box::new(Decoded::new(
                Counted {
                    inner: file.as_slice(),
                    handed: std::rc::Rc::clone(&handed),
                },
                true,
            ))
        };
        let mut rows = CsvRows::streamed(&open, b',');
        for _ in 0..3 {
            rows.next_row().unwrap().unwrap();
        }
        // Two readings (the rows', and the one alongside for blank lines), a piece each.
        assert!(file.len() >= 30 * CHUNK);
        assert!(handed.get() <= 2 * CHUNK, "{} bytes read", handed.get());
        // The header and the first two rows read (before session 12 a blank row stood before
        // each CRLF row: the header, a blank and the first row), every row after them.
        let mut n = 3;
        while let Some(row) = rows.next_row().unwrap() {
            n += usize::from(!row.is_blank());
        }
        assert_eq!(n, file.len() / row.len() + 1);
        assert!(handed.get() >= 2 * file.len());
    }

    #[test]
    fn bad_sjis_names_the_line() {
        let bytes = b"name\nok\n\x82\xff\n";
        assert_eq!(
            decode(bytes.to_vec(), Encoding::Cp932).unwrap_err(),
            "line 3: invalid Shift_JIS"
        );
    }

    #[test]
    fn splits_members() {
        assert_eq!(
            split_agencies("保護第一課、町会・自治会、民生委員"),
            ["保護第一課", "町会・自治会", "民生委員"]
        );
        assert_eq!(
            split_agencies("養育支援課・子ども家庭支援センター・児童館"),
            ["養育支援課", "子ども家庭支援センター", "児童館"]
        );
        assert!(split_agencies("  ").is_empty());
    }

    #[test]
    fn reads_koto_headers() {
        let text = "No.\t会議名\t主催者\t参加者数\t参加者\t主な議題\t開催頻度\t個人情報の共有\n\
                    1\t個別ケース会議\t各保健相談所\tケースにより複数名\t障害者支援課、福祉事務所\t支援方針\t必要時（不定期）\t○\n";
        let bodies = parse_bodies(text, b'\t').unwrap();
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0].name, "個別ケース会議");
        assert_eq!(bodies[0].members, ["障害者支援課", "福祉事務所"]);
        assert!(bodies[0].personal_info);
        assert_eq!(bodies[0].frequency, "必要時（不定期）");
    }

    #[test]
    fn bad_flag_names_line_and_field() {
        let text = "会議名,個人情報の共有\nA,○\nB,たぶん\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 3: 個人情報の共有"), "{err}");
    }

    #[test]
    fn blank_lines_before_a_bad_row_still_name_its_line() {
        let text = "会議名,個人情報の共有\nA,○\n\n\r\n\nB,たぶん\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 6: 個人情報の共有"), "{err}");
        let text = "会議名,主催者\nA,保護課\n\n\n,保護課\n";
        let err = parse_bodies(text, b',').unwrap_err();
        assert!(err.starts_with("line 5: 会議名 (name) is empty"), "{err}");
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        assert_eq!(
            parse_bodies("会議名,主催者\nA,B\n\"閉じていない,福祉課\nC,D\n", b',').unwrap_err(),
            "line 3: a quoted field is never closed (a \" is missing)"
        );
        assert!(check_quotes("a,\"x\ny\",\"he said \"\"hi\"\"\"\n").is_ok());
        assert!(
            check_quotes("a,b\"c\n").is_ok(),
            "a quote inside a field is text"
        );
    }

    /// Seed 000 as a ward lays it out: a title and a section heading above the header, the
    /// header repeated where the printed page turns, a remark under the table, and a second table
    /// with other columns under its own heading.
    const LAID_OUT: &str = "江東区及び社会福祉協議会における連携体制について\n\
        \n\
        1. 区における連携体制\n\
        \n\
        No.,会議名,主催者,開催頻度,個人情報の共有\n\
        1,居住支援協議会,住宅課,年1回（2月）,\n\
        2,精神部会,障害者支援課,年3回程度,\n\
        No.,会議名,主催者,開催頻度,個人情報の共有\n\
        3,ケース会議,障害者支援課,随時,○\n\
        ※ ○は個人情報を共有する会議\n\
        \n\
        2. 社会福祉協議会における連携体制\n\
        \n\
        No.,会議名,主催者,参加者,開催頻度\n\
        1,福祉団体助成審査会,社協 福祉サービス課,\"社協理事、福祉部長\",年1回（7月）\n";

    #[test]
    fn tables_as_a_ward_lays_them_out() {
        let layout = layout(csv_rows(LAID_OUT, b',').unwrap());
        assert_eq!(layout.tables.len(), 3);
        assert_eq!(layout.left_out, ["line 1", "line 3", "line 10", "line 12"]);
        let bodies = parse_bodies(LAID_OUT, b',').unwrap();
        let names: Vec<&str> = bodies.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "居住支援協議会",
                "精神部会",
                "ケース会議",
                "福祉団体助成審査会"
            ]
        );
        assert!(bodies[2].personal_info);
        assert_eq!(bodies[3].members, ["社協理事", "福祉部長"]);
        assert_eq!(bodies[3].frequency, "年1回（7月）");
    }

    #[test]
    fn a_row_that_may_be_data_is_read_as_data() {
        // A body with only a name, in the middle of the table, is a body.
        let text = "会議名,主催者\nA,福祉課\nB,\nC,保護課\n";
        assert_eq!(parse_bodies(text, b',').unwrap().len(), 3);
        // One cell after a blank row but outside the first column: a row missing its name.
        let text = "No.,会議名,主催者\n1,A,福祉課\n\n,,保護課\n";
        assert_eq!(
            parse_bodies(text, b',').unwrap_err(),
            "line 4: 会議名 (name) is empty"
        );
        // A table of one column has no notes.
        let text = "会議名\nA\n\nB\n";
        assert_eq!(parse_bodies(text, b',').unwrap().len(), 2);
    }

    #[test]
    fn a_body_listed_twice_names_both_places() {
        let text = "会議名,主催者\nA,福祉課\nB,福祉課\n会議名,主催者\nA,福祉課\n";
        assert_eq!(
            parse_bodies(text, b',').unwrap_err(),
            "line 5: 'A' of '福祉課' is listed twice (first at line 2)"
        );
        let text = "会議名,主催者\nA,福祉課\nA,保護課\n";
        assert_eq!(parse_bodies(text, b',').unwrap().len(), 2);
    }

    #[test]
    fn places_in_a_sheet_are_cells() {
        let origin = Origin::Sheet {
            sheet: "一覧".into(),
            row: 14,
            first_column: 1,
        };
        assert_eq!(origin.at(Some(4)), "一覧!F14");
        assert_eq!(origin.at(None), "一覧!14:14");
        let spaced = Origin::Sheet {
            sheet: "R2 年度's".into(),
            row: 3,
            first_column: 0,
        };
        assert_eq!(spaced.at(Some(0)), "'R2 年度''s'!A3");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
        assert_eq!(sheet_reference("2020"), "'2020'");
        assert_eq!(sheet_reference("Sheet1"), "Sheet1");
    }

    /// A header renkei does not know is refused at its line and column, with the known column
    /// nearest to it and every column a body list has; read as nothing, `個人情報共有` left a
    /// body sharing personal information public (attack on the imports, 2026-12-05).
    #[test]
    fn an_unknown_header_is_refused_at_its_place() {
        for (header, near) in [
            ("個人情報の取扱い", "個人情報の共有 (personal_info)"),
            ("主催社", "主催者 (organiser)"),
            ("開催頻変", "開催頻度 (frequency)"),
            ("orgnizer", "主催者 (organiser)"),
        ] {
            let text = format!("会議名,主催者,開催頻度,{header}\n見守り会議,区,年4回,有\n");
            let err = parse_bodies(&text, b',').unwrap_err();
            assert!(
                err.starts_with(&format!(
                    "line 1, column 4: the header '{header}' is not a column renkei knows — did you mean {near}? \
                     The columns it reads are 会議名 (name), 主催者 (organiser), 参加者数 (expected_size), "
                )),
                "{err}"
            );
        }
        let err = parse_bodies("No.\t会議名\t担当者メモ\n1\tA\tx\n", b'\t').unwrap_err();
        assert!(
            err.starts_with(
                "line 1, column 3: the header '担当者メモ' is not a column renkei knows; "
            ),
            "{err}"
        );
        // Under rows already read, in a second table.
        let text = format!("{LAID_OUT}No.,会議名,種類\n1,B会議,x\n");
        assert!(
            parse_bodies(&text, b',')
                .unwrap_err()
                .starts_with("line 16, column 3: the header '種類'"),
        );
    }

    /// The ward's own spellings of the flag are read as it; the row numbers (No., 番号, in full
    /// width too), blanks around a header and blank headers over empty columns are the ward's
    /// layout.
    #[test]
    fn what_a_wards_header_row_may_hold() {
        for header in [
            "個人情報共有",
            "個人情報の共有の有無",
            "個人情報共有の有無",
            " 個人情報の共有\u{3000}",
        ] {
            let text = format!("会議名,主催者,開催頻度,{header}\n見守り会議,区,年4回,有\n");
            let bodies = parse_bodies(&text, b',').unwrap();
            assert!(bodies[0].personal_info, "{header}");
        }
        for number in ["No.", "no", "番号", "Ｎｏ．", "#"] {
            let text = format!("{number},会議名,,主催者,\n1,A,,福祉課,\n");
            let bodies = parse_bodies(&text, b',').unwrap();
            assert_eq!(bodies[0].organiser, "福祉課", "{number}");
        }
    }

    #[test]
    fn the_nearest_known_header() {
        // Characters, not bytes: 主催社 is one change from 主催者.
        assert_eq!(strsim::levenshtein("主催社", "主催者"), 1);
        assert_eq!(strsim::levenshtein("", "abc"), 3);
        assert_eq!(strsim::levenshtein("kitten", "sitting"), 3);
        assert_eq!(nearest(BODY_COLUMNS, "主催社"), Some("主催者 (organiser)"));
        assert_eq!(nearest(BODY_COLUMNS, "担当者メモ"), None);
        assert_eq!(nearest(BODY_COLUMNS, "memo"), None);
    }

    #[test]
    fn missing_name_column_is_an_error() {
        let err = parse_bodies("title,frequency\nA,年1回\n", b',').unwrap_err();
        assert!(err.contains("no 会議名"), "{err}");
    }
}
