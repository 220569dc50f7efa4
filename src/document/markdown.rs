//! A document as CommonMark with GFM tables, task lists and strikethrough. Typed text is escaped
//! ([`super::escape`]): it comes out as the same text, never as markup, and never breaks a
//! table's columns.

use super::escape::{block, cell, inline};
use super::{Block, Breaks, Document, Item, Span};

pub fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(16 * 1024);
    for b in &doc.blocks {
        write_block(&mut out, b);
    }
    out
}

/// Where spans stand: what a typed line break becomes there.
#[derive(Clone, Copy)]
enum Place {
    /// A heading or a paragraph.
    Text,
    /// A list item: kept lines go on indented under it.
    Item,
    /// A table cell: one line.
    Cell,
}

fn spans(out: &mut String, list: &[Span], place: Place) {
    for span in list {
        match span {
            Span::Word(w) => out.push_str(w),
            Span::Typed { text, breaks } => out.push_str(&match (place, breaks) {
                (Place::Cell, _) | (_, Breaks::Slash) => cell(text),
                (_, Breaks::Space) => inline(text),
                (Place::Text, Breaks::Keep) => block(text, ""),
                (Place::Item, Breaks::Keep) => block(text, "  "),
            }),
            Span::Strong(inner) => {
                out.push_str("**");
                spans(out, inner, place);
                out.push_str("**");
            }
            Span::Strike(inner) => {
                out.push_str("~~");
                spans(out, inner, place);
                out.push_str("~~");
            }
        }
    }
}

fn write_block(out: &mut String, b: &Block) {
    match b {
        Block::Heading { level, spans: s } => {
            for _ in 0..*level {
                out.push('#');
            }
            out.push(' ');
            spans(out, s, Place::Text);
            out.push_str("\n\n");
        }
        Block::Notice { title, text } => {
            out.push_str(&format!("> **{title}**\n>\n> {text}\n\n"));
        }
        Block::Remark(s) => {
            out.push_str("> ");
            spans(out, s, Place::Text);
            out.push_str("\n\n");
        }
        Block::Paragraph(s) => {
            spans(out, s, Place::Text);
            out.push_str("\n\n");
        }
        Block::List(items) => {
            for Item { task, spans: s } in items {
                out.push_str(match task {
                    None => "- ",
                    Some(false) => "- [ ] ",
                    Some(true) => "- [x] ",
                });
                spans(out, s, Place::Item);
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Table { headers, rows } => {
            row(out, headers.iter().map(|h| vec![Span::word(h.clone())]));
            row(out, headers.iter().map(|_| vec![Span::word("---")]));
            for r in rows {
                row(out, r.iter().cloned());
            }
            out.push('\n');
        }
    }
}

fn row(out: &mut String, cells: impl Iterator<Item = Vec<Span>>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        spans(out, &c, Place::Cell);
        out.push_str(" |");
    }
    out.push('\n');
}
