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

/// Something wrong in a file the user wrote: which file, which line, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(file: &str, line: Option<usize>, message: String) -> Problem {
        Problem {
            file: file.to_owned(),
            line,
            message,
        }
    }
}

impl Problem {
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
        match self.line {
            Some(line) => write!(f, "{}: line {line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A TOML file read leniently, keeping the lines of its entries for messages. A syntax error is
/// reported, and the entries on the lines it spoils are left out; the rest still count.
pub struct Doc<'a> {
    text: &'a str,
    file: String,
    root: DeTable<'a>,
    spoiled: BTreeSet<usize>,
    problems: Vec<Problem>,
}

type Entry<T> = (String, Range<usize>, Result<T, String>);

impl<'a> Doc<'a> {
    pub fn read(text: &'a str, file: &str) -> Doc<'a> {
        let (root, errors) = DeTable::parse_recoverable(text);
        let mut doc = Doc {
            text,
            file: file.to_owned(),
            root: root.into_inner(),
            spoiled: BTreeSet::new(),
            problems: Vec::new(),
        };
        for e in errors {
            let line = e.span().map(|s| doc.line(s.start));
            if let Some(line) = line {
                doc.spoiled.insert(line);
            }
            doc.problems
                .push(Problem::new(file, line, e.message().trim().to_owned()));
        }
        doc
    }

    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn is_spoiled(&self, span: &Range<usize>) -> bool {
        let (first, last) = (self.line(span.start), self.line(span.end));
        self.spoiled.range(first..=last).next().is_some()
    }

    pub fn problem(&mut self, span: Range<usize>, message: String) {
        let line = self.line(span.start);
        self.problems
            .push(Problem::new(&self.file, Some(line), message));
    }

    /// The problems, in the order of their lines.
    pub fn into_problems(mut self) -> Vec<Problem> {
        self.problems.sort_by_key(|p| p.line);
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
            self.problem(span, format!("{key}: expected a table"));
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
            self.problem(span, format!("{table}: expected a table"));
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut unknown = Vec::new();
        for (k, v) in entries.iter().filter(|(_, v)| !self.is_spoiled(&v.span())) {
            if k.get_ref() != key {
                unknown.push((k.get_ref().to_string(), v.span()));
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
                None => unknown.push((format!("{key} (expected a list)"), v.span())),
            }
        }
        for (name, span) in unknown {
            self.problem(
                span,
                format!("{table}.{name}: unknown (expected [[{table}.{key}]])"),
            );
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
            self.problem(span, format!("{key}: expected a list ([[{key}]])"));
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
