//! A document as renkei hands it out — minutes now, case records later: headings, notices,
//! fields, paragraphs, lists, task lists and tables, made of renkei's own words and of what
//! users typed, kept apart. Built once from the data; written as Markdown ([`markdown`]) or as
//! Word (`office::docx`), so both say the same.
//!
//! Typed text is held as typed (already redacted where a redacted copy is asked for): each writer
//! makes it inert its own way — escaped in Markdown, plain text runs in Word — and decides how its
//! line breaks read.

pub mod escape;
pub mod markdown;

/// How the line breaks of a typed text read where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// As spaces: one line (a heading, a field's value, a short list item).
    Space,
    /// As ` / `: a list of entries on one line.
    Slash,
    /// As line breaks (paragraphs, list items, table cells where the format allows it).
    Keep,
}

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// renkei's own words: labels, dates, counts, marks.
    Word(String),
    /// What a user typed: text, never markup.
    Typed {
        text: String,
        breaks: Breaks,
    },
    Strong(Vec<Span>),
    /// Struck through (an action dropped).
    Strike(Vec<Span>),
}

impl Span {
    pub fn word(text: impl Into<String>) -> Span {
        Span::Word(text.into())
    }

    /// Typed text on one line.
    pub fn typed(text: impl Into<String>) -> Span {
        Span::Typed {
            text: text.into(),
            breaks: Breaks::Space,
        }
    }

    /// Typed text that keeps its lines.
    pub fn lines(text: impl Into<String>) -> Span {
        Span::Typed {
            text: text.into(),
            breaks: Breaks::Keep,
        }
    }

    pub fn strong(spans: Vec<Span>) -> Span {
        Span::Strong(spans)
    }
}

/// An item of a list; a task (`Some(done)`) shows ☐ or ☑.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub task: Option<bool>,
    pub spans: Vec<Span>,
}

impl Item {
    pub fn new(spans: Vec<Span>) -> Item {
        Item { task: None, spans }
    }

    pub fn task(done: bool, spans: Vec<Span>) -> Item {
        Item {
            task: Some(done),
            spans,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 1 is the document's title.
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    /// Set apart from the text: a title and what it says (the duty of confidentiality).
    Notice {
        title: String,
        text: String,
    },
    /// A remark set apart, without a title (what a redacted copy replaced).
    Remark(Vec<Span>),
    Paragraph(Vec<Span>),
    List(Vec<Item>),
    /// A table with borders: its header, and its rows of cells.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<Vec<Span>>>,
    },
}

/// A document: its blocks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// The text of the title (the first level-1 heading), for a file's properties.
    pub fn title(&self) -> String {
        self.blocks
            .iter()
            .find_map(|b| match b {
                Block::Heading { level: 1, spans } => Some(plain(spans)),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// The spans as plain text on one line.
pub fn plain(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Span::Word(w) => out.push_str(w),
            Span::Typed { text, .. } => out.push_str(&escape::visible(text).replace('\n', " ")),
            Span::Strong(inner) | Span::Strike(inner) => out.push_str(&plain(inner)),
        }
    }
    out
}

/// Dates and times as documents print them: 令和 and ISO in Japanese, the English form in
/// English; text that is not a date is kept as typed.
pub mod dates {
    use chrono::{DateTime, NaiveDate};

    use super::Span;
    use crate::domain::calendar::{format_date_en, format_wareki_iso, weekday_en, weekday_ja};
    use crate::i18n::Lang;

    pub(crate) fn parse(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
    }

    /// 令和8年11月21日（土）(2026-11-21) / Saturday 21 November 2026.
    pub fn long(text: &str, lang: Lang) -> Span {
        match (parse(text), lang) {
            (Some(d), Lang::Ja) => Span::word(format_wareki_iso(d)),
            (Some(d), Lang::En) => Span::word(format_date_en(d)),
            (None, _) => Span::typed(text),
        }
    }

    /// 2026-11-21（土） / 2026-11-21 (Sat).
    pub fn short(text: &str, lang: Lang) -> Span {
        match (parse(text), lang) {
            (Some(d), Lang::Ja) => {
                Span::word(format!("{}（{}）", d.format("%Y-%m-%d"), weekday_ja(d)))
            }
            (Some(d), Lang::En) => {
                Span::word(format!("{} ({})", d.format("%Y-%m-%d"), weekday_en(d)))
            }
            (None, _) => Span::typed(text),
        }
    }

    /// "2026-11-21 10:00" from an RFC 3339 stamp, in the offset it was recorded in.
    pub fn stamp(text: &str) -> Span {
        match DateTime::parse_from_rfc3339(text) {
            Ok(at) => Span::word(at.format("%Y-%m-%d %H:%M").to_string()),
            Err(_) => Span::typed(text),
        }
    }
}
