//! The TOML files a user writes (the config, theme files), read leniently: each thing wrong is a
//! [`Problem`] naming the file and line, and the rest of the file still counts. The config and
//! the theme module both read their files with [`Doc`]; neither imports the other for it.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::i18n::{Lang, Msg, Words, message_lang};

/// Something wrong in a file the user wrote: which file, which line, what — in both languages,
/// said in the reader's ([`Problem::say`]; `Display`: the process's message language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: Words,
}

impl Problem {
    pub fn new(file: &str, line: Option<usize>, message: impl Into<Words>) -> Problem {
        Problem {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// The problem in `lang`: `config.toml: 3行目: …` / `config.toml: line 3: …`.
    pub fn say(&self, lang: Lang) -> String {
        let message = self.message.get(lang);
        match (self.line, lang) {
            (Some(line), Lang::Ja) => format!("{}: {line}行目: {message}", self.file),
            (Some(line), Lang::En) => format!("{}: line {line}: {message}", self.file),
            (None, _) => format!("{}: {message}", self.file),
        }
    }

    /// The problem with the file's name only, for the one line of the status bar.
    pub fn brief(&self) -> String {
        let name = Path::new(&self.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.clone());
        Problem::new(&name, self.line, self.message.clone()).to_string()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(message_lang()))
    }
}

/// At most this many problems of one file are listed; the rest are counted in one more line.
pub const LISTED: usize = 20;

/// A TOML file read leniently, keeping the lines of its entries for messages. A line (or a
/// statement of several lines) that does not parse is reported once, on its own line, and left
/// out; every other line still counts — the TOML reader's own recovery lost every line after a
/// line without `=`. Reading takes time in proportion to the file's size, however broken it is.
pub struct Doc<'a> {
    /// Where each line begins (byte offsets), to turn an offset into a line number.
    line_starts: Vec<usize>,
    file: String,
    root: DeTable<'a>,
    spoiled: BTreeSet<usize>,
    problems: Vec<Problem>,
    /// Problems found beyond those kept (see [`LISTED`]).
    unlisted: usize,
}

type Entry<T> = (String, Range<usize>, Result<T, String>);

impl<'a> Doc<'a> {
    /// Reads `text`; when some of it must be left out, the rest is read from a copy kept in
    /// `scratch` (the entries borrow from it).
    pub fn read(text: &'a str, file: &str, scratch: &'a mut String) -> Doc<'a> {
        let mut doc = Doc {
            line_starts: line_starts(text),
            file: file.to_owned(),
            root: DeTable::new(),
            spoiled: BTreeSet::new(),
            problems: Vec::new(),
            unlisted: 0,
        };
        let (root, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            doc.root = root.into_inner();
            return doc;
        }
        // Each statement alone: the ones that do not parse are named and blanked out (their
        // bytes made spaces, so that offsets and lines stay), and the rest is read again.
        let mut clean = text.as_bytes().to_vec();
        for statement in statements(text) {
            if let Err(e) = DeTable::parse(&text[statement.clone()]) {
                let at = statement.start + e.span().map_or(0, |s| s.start);
                doc.syntax_problem(at, e.message());
                for byte in &mut clean[statement] {
                    if *byte != b'\n' {
                        *byte = b' ';
                    }
                }
            }
        }
        // Only whole lines were blanked, each byte by an ASCII space: still UTF-8.
        *scratch = String::from_utf8(clean).unwrap_or_default();
        let clean: &'a String = scratch;
        let (root, errors) = DeTable::parse_recoverable(clean);
        doc.root = root.into_inner();
        // What is wrong only in its context (a key given twice, a table defined twice).
        for e in errors {
            match e.span() {
                Some(span) => doc.syntax_problem(span.start, e.message()),
                None => doc.push(Problem::new(file, None, Words::toml(e.message().trim()))),
            }
        }
        doc
    }

    /// A line that does not parse: left out, and named once (its first error only).
    fn syntax_problem(&mut self, offset: usize, message: &str) {
        let line = self.line(offset);
        if self.spoiled.insert(line) {
            self.push(Problem::new(
                &self.file,
                Some(line),
                Words::toml(message.trim()),
            ));
        }
    }

    /// Keeps the first [`LISTED`] problems by line, counting the others, however many a
    /// garbage file gives.
    fn push(&mut self, problem: Problem) {
        if self.problems.contains(&problem) {
            return;
        }
        self.problems.push(problem);
        if self.problems.len() > 10 * LISTED {
            self.problems.sort_by_key(|p| p.line);
            self.unlisted += self.problems.len() - LISTED;
            self.problems.truncate(LISTED);
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn is_spoiled(&self, span: &Range<usize>) -> bool {
        let (first, last) = (self.line(span.start), self.line(span.end));
        self.spoiled.range(first..=last).next().is_some()
    }

    pub fn problem(&mut self, span: Range<usize>, message: impl Into<Words>) {
        let line = self.line(span.start);
        self.push(Problem::new(&self.file, Some(line), message));
    }

    /// The problems, in the order of their lines: the first [`LISTED`], then one line saying
    /// how many more there are.
    pub fn into_problems(mut self) -> Vec<Problem> {
        self.problems.sort_by_key(|p| p.line);
        if self.problems.len() > LISTED {
            self.unlisted += self.problems.len() - LISTED;
            self.problems.truncate(LISTED);
        }
        if self.unlisted > 0 {
            let more = Msg::new("config_more_problems").with("n", self.unlisted);
            self.problems.push(Problem::new(&self.file, None, more));
        }
        self.problems
    }

    fn entry(&self, key: &str) -> Option<&Spanned<DeValue<'a>>> {
        self.root
            .iter()
            .find(|(k, v)| k.get_ref() == key && !self.is_spoiled(&v.span()))
            .map(|(_, v)| v)
    }

    /// The top-level keys that parsed, with the span of each value.
    pub fn keys(&self) -> Vec<(String, Range<usize>)> {
        self.root
            .iter()
            .filter(|(_, v)| !self.is_spoiled(&v.span()))
            .map(|(k, v)| (k.get_ref().to_string(), v.span()))
            .collect()
    }

    /// A top-level string, or `None` when the key is missing or not a string.
    pub fn string(&self, key: &str) -> Option<(String, Range<usize>)> {
        let value = self.entry(key)?;
        value
            .get_ref()
            .as_str()
            .map(|s| (s.to_owned(), value.span()))
    }

    /// A top-level value as `T`, with the span for messages.
    pub fn value<T: Deserialize<'a>>(
        &self,
        key: &str,
    ) -> Option<(Range<usize>, Result<T, String>)> {
        self.entry(key).map(typed)
    }

    /// The entries of a top-level table, each read as `T`.
    pub fn table_of<T: Deserialize<'a>>(&mut self, key: &str) -> Vec<Entry<T>> {
        let Some(value) = self.entry(key) else {
            return Vec::new();
        };
        let span = value.span();
        let Some(table) = value.get_ref().as_table() else {
            self.problem(span, Msg::new("config_expected_table").with("key", key));
            return Vec::new();
        };
        table
            .iter()
            .filter(|(_, v)| !self.is_spoiled(&v.span()))
            .map(|(k, v)| entry(k.get_ref().to_string(), v))
            .collect()
    }

    /// The items of the array at `table.key` (`[[keys.bind]]`), each read as `T`; other keys of
    /// the table are reported.
    pub fn array_in<T: Deserialize<'a>>(&mut self, table: &str, key: &str) -> Vec<Entry<T>> {
        let Some(value) = self.entry(table) else {
            return Vec::new();
        };
        let span = value.span();
        let Some(entries) = value.get_ref().as_table() else {
            self.problem(span, Msg::new("config_expected_table").with("key", table));
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut unknown = Vec::new();
        for (k, v) in entries.iter().filter(|(_, v)| !self.is_spoiled(&v.span())) {
            if k.get_ref() != key {
                let name = format!("{table}.{}", k.get_ref());
                let message = Msg::new("config_unknown_in_table")
                    .with("name", name)
                    .with("expected", format!("[[{table}.{key}]]"));
                unknown.push((message, v.span()));
                continue;
            }
            match v.get_ref().as_array() {
                Some(items) => out.extend(
                    items
                        .iter()
                        .filter(|item| !self.is_spoiled(&item.span()))
                        .enumerate()
                        .map(|(i, item)| entry(format!("{table}.{key}[{i}]"), item)),
                ),
                None => {
                    let message = Msg::new("config_expected_list")
                        .with("key", format!("{table}.{key}"))
                        .with("expected", format!("[[{table}.{key}]]"));
                    unknown.push((message, v.span()))
                }
            }
        }
        for (message, span) in unknown {
            self.problem(span, message);
        }
        out
    }

    /// The items of a top-level array (`[[issues]]`), each read as `T`.
    pub fn array<T: Deserialize<'a>>(&mut self, key: &str) -> Vec<Entry<T>> {
        let Some(value) = self.entry(key) else {
            return Vec::new();
        };
        let span = value.span();
        let Some(items) = value.get_ref().as_array() else {
            let message = Msg::new("config_expected_list")
                .with("key", key)
                .with("expected", format!("[[{key}]]"));
            self.problem(span, message);
            return Vec::new();
        };
        items
            .iter()
            .filter(|item| !self.is_spoiled(&item.span()))
            .enumerate()
            .map(|(i, item)| entry(format!("{key}[{i}]"), item))
            .collect()
    }
}

/// A value read as `T`, with the span to report: the part that is wrong, else the whole value.
fn typed<'a, T: Deserialize<'a>>(
    value: &Spanned<DeValue<'a>>,
) -> (Range<usize>, Result<T, String>) {
    use serde::de::IntoDeserializer;
    match T::deserialize(value.clone().into_deserializer()) {
        Ok(t) => (value.span(), Ok(t)),
        Err(e) => (
            e.span().unwrap_or_else(|| value.span()),
            Err(e.message().trim().to_owned()),
        ),
    }
}

fn entry<'a, T: Deserialize<'a>>(name: String, value: &Spanned<DeValue<'a>>) -> Entry<T> {
    let (span, result) = typed(value);
    (name, span, result)
}

/// The offset where each line of `text` begins.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The statements of a TOML text, as byte ranges of whole lines, blank and comment lines left
/// out. A statement is a line, with the lines after it while a list, an inline table or a
/// multi-line string it opened is still open — but never past a line that begins a statement of
/// its own (`key = …`, `[table]`): a list left open on one line then spoils that line only, not
/// the rest of the file. Linear: each line is scanned once.
fn statements(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        lines.push(start..i);
        start = i + 1;
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let first = &text[lines[i].clone()];
        let bare = first.trim();
        if bare.is_empty() || bare.starts_with('#') {
            i += 1;
            continue;
        }
        let mut open = Open::default();
        open.scan(first);
        let mut last = i;
        while open.is_open()
            && last + 1 < lines.len()
            && !begins_statement(&text[lines[last + 1].clone()])
        {
            last += 1;
            open.scan(&text[lines[last].clone()]);
        }
        out.push(lines[i].start..lines[last].end);
        i = last + 1;
    }
    out
}

/// What a statement has left open at the end of a line.
#[derive(Default)]
struct Open {
    /// `[` and `{` not yet closed.
    depth: usize,
    /// The quote of a multi-line string not yet closed (`"` or `'`).
    string: Option<u8>,
}

impl Open {
    fn is_open(&self) -> bool {
        self.depth > 0 || self.string.is_some()
    }

    fn scan(&mut self, line: &str) {
        let b = line.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if let Some(q) = self.string {
                if b[k..].starts_with(&[q, q, q]) {
                    self.string = None;
                    k += 3;
                } else {
                    k += if q == b'"' && b[k] == b'\\' { 2 } else { 1 };
                }
                continue;
            }
            match b[k] {
                b'#' => return,
                q @ (b'"' | b'\'') => {
                    if b[k..].starts_with(&[q, q, q]) {
                        self.string = Some(q);
                        k += 3;
                        continue;
                    }
                    // A one-line string: to its closing quote, or (unclosed) the end of the line.
                    k += 1;
                    while k < b.len() && b[k] != q {
                        k += if q == b'"' && b[k] == b'\\' { 2 } else { 1 };
                    }
                }
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            k += 1;
        }
    }
}

/// Whether a line begins a statement of its own: `key = …` (bare, quoted or dotted keys) or a
/// table header `[name]`, `[[name]]`.
fn begins_statement(line: &str) -> bool {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix('[') {
        let (rest, close) = match rest.strip_prefix('[') {
            Some(rest) => (rest, "]]"),
            None => (rest, "]"),
        };
        return key(rest).is_some_and(|after| {
            after
                .trim_start()
                .strip_prefix(close)
                .is_some_and(|tail| tail.trim().is_empty() || tail.trim_start().starts_with('#'))
        });
    }
    key(line).is_some_and(|after| after.trim_start().starts_with('='))
}

/// A key (`a`, `"a b"`, `'a'`, `a.b`) at the start of `text`: what follows it.
fn key(text: &str) -> Option<&str> {
    let mut rest = text.trim_start();
    loop {
        rest = match rest.as_bytes().first()? {
            q @ (b'"' | b'\'') => {
                let end = rest[1..].find(*q as char)?;
                &rest[end + 2..]
            }
            _ => {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(rest.len());
                if end == 0 {
                    return None;
                }
                &rest[end..]
            }
        };
        match rest.trim_start().strip_prefix('.') {
            Some(more) => rest = more.trim_start(),
            None => return Some(rest),
        }
    }
}

/// Opens `path` for reading only if it is a regular file: a FIFO, a device (`/dev/zero`) or a
/// directory is refused at once (`io_not_regular`), never read — a FIFO is opened without
/// waiting for a writer, and the check is of the file opened, so nothing can be swapped in
/// between.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, a device or a directory); name a file",
        ));
    }
    Ok(file)
}
