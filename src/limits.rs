//! How much one record may hold: one text field at most [`MAX_TEXT_BYTES`] of UTF-8, one
//! meeting at most [`MAX_ENTRIES`] entries (attendees, agenda items, notes, decisions, roles,
//! actions, issues, case links, case reviews, continuations of actions). Far above any real
//! record — the minutes of a whole meeting are a few kilobytes — and low enough that a hostile
//! or damaged file cannot take a shared ward server's memory: a 300 MB note once made an import
//! peak at 3.3 GB (attack report 2, finding 4). Every way in keeps them: the import (before the
//! text or the list is held whole: [`TextWatch`], [`entries`]), every store writer
//! ([`text`], [`entries_room`] through `store::limits::adding`) and the TUI's forms. The import
//! also holds each record it reads to [`MAX_RECORD_BYTES`] of the file ([`Budget`]): within the
//! two limits above one meeting could still hold 10 GB. The store keeps that budget too: no
//! write commits that takes a meeting or a case past it as its export would write it
//! (`store::limits::Touched`), so renkei's own export is always imported again.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;
use std::rc::Rc;

use crate::i18n::Msg;

/// One text field: 1 MB of UTF-8 (about 330 000 kanji).
pub const MAX_TEXT_BYTES: usize = 1_000_000;

/// The entries of one meeting (attendees, agenda items, notes, decisions, roles, actions,
/// issues, case links, case reviews, continuations), and of one list anywhere in a document.
pub const MAX_ENTRIES: usize = 10_000;

/// Recorded changes of one meeting or case: each entry may be corrected many times.
pub const MAX_CHANGES: usize = 10 * MAX_ENTRIES;

/// The JSON of one record an import holds whole while it reads it: one meeting (with its
/// agenda, notes, reviews and recorded changes), one case (with its household and its changes),
/// one change of the document's list. 16 MB, sixteen times the minutes of a three-hour meeting
/// (under 1 MB), and low enough that a file of one meeting of 10 000 notes of 1 MB each —
/// within the limits above — is refused as it is read, naming the place it went over, instead
/// of taking a ward server's memory (attack report 4, findings 7 and 8). Counted in bytes of
/// the file as read (an escaped `\u3042` is six), to within the reading's buffer (64 kB).
pub const MAX_RECORD_BYTES: usize = 16_000_000;

/// The lists before the cases and the meetings together (the wards, agencies, bodies, yearly
/// counts, templates), which the import holds until its last meeting is written (each meeting
/// names its body): a city of 24 wards of 500 bodies each writes 12.5 MB of them.
pub const MAX_LISTS_BYTES: usize = 64_000_000;

/// [`MAX_RECORD_BYTES`] as this thread keeps it: lower only inside [`lowered`].
pub fn record_bytes() -> usize {
    MAX_RECORD_BYTES.min(LOWERED.with(Cell::get).record)
}

/// [`MAX_LISTS_BYTES`] as this thread keeps it: lower only inside [`lowered`].
pub fn lists_bytes() -> usize {
    MAX_LISTS_BYTES.min(LOWERED.with(Cell::get).lists)
}

/// Limits lower than renkei's own, for [`lowered`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lower {
    /// At most [`MAX_RECORD_BYTES`].
    pub record: usize,
    /// At most [`MAX_LISTS_BYTES`].
    pub lists: usize,
}

impl Lower {
    /// renkei's own limits.
    pub const NONE: Lower = Lower {
        record: MAX_RECORD_BYTES,
        lists: MAX_LISTS_BYTES,
    };
}

thread_local! {
    /// The limits [`lowered`] set on this thread.
    static LOWERED: Cell<Lower> = const { Cell::new(Lower::NONE) };
}

/// The limits [`lowered`] set on this thread ([`Lower::NONE`] outside it): a thread that reads
/// for this one (the import's reading thread) runs under them too.
pub fn current() -> Lower {
    LOWERED.with(Cell::get)
}

/// Runs `f` with [`record_bytes`] and [`lists_bytes`] at most `lower`'s on this thread (an
/// import, a store's write: they run on the thread that called them), then as they were. For
/// the tests: a file of one megabyte crosses a limit lowered to it as a file of sixteen
/// crosses the real one, in a sixteenth of the time. It only ever lowers a limit — a value
/// above renkei's own is ignored, one inside another keeps the lower of the two — and only
/// code that links the library and calls it can: the binary never does, and no environment
/// variable, file or argument reaches it, so neither a user nor a hostile file can loosen a
/// limit through it.
pub fn lowered<T>(lower: Lower, f: impl FnOnce() -> T) -> T {
    struct Restore(Lower);
    impl Drop for Restore {
        fn drop(&mut self) {
            LOWERED.with(|l| l.set(self.0));
        }
    }
    let outer = LOWERED.with(Cell::get);
    let _restore = Restore(outer);
    LOWERED.with(|l| {
        l.set(Lower {
            record: outer.record.min(lower.record),
            lists: outer.lists.min(lower.lists),
        })
    });
    f()
}

/// An agenda item (or a template's) is planned for at most a day: the agenda form, the store and
/// the import refuse more with one message (finding 12).
pub const MAX_PLANNED_MINUTES: u32 = 24 * 60;

/// The planned minutes of an agenda item: at most [`MAX_PLANNED_MINUTES`].
pub fn planned_minutes(value: Option<u32>) -> Result<(), Msg> {
    match value {
        Some(v) if v > MAX_PLANNED_MINUTES => Err(Msg::new("planned_minutes_at_most")
            .with("max", MAX_PLANNED_MINUTES)
            .with("value", v)),
        _ => Ok(()),
    }
}

/// What a [`Budget`] bounds, for its error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Held {
    /// One record ([`MAX_RECORD_BYTES`]).
    #[default]
    Record,
    /// The lists before the cases and the meetings ([`MAX_LISTS_BYTES`]).
    Lists,
}

/// A size as the messages say it: `1.3 MB`, `1 MB`, `1000001 bytes` (near the limit, exact).
pub fn size(bytes: usize) -> String {
    if bytes.is_multiple_of(1_000_000) {
        return format!("{} MB", bytes / 1_000_000);
    }
    let mb = format!("{:.1} MB", bytes as f64 / 1e6);
    // A size that rounds to whole megabytes is said exactly: 16.0 MB against a limit of 16 MB
    // would say nothing (attack report 7, finding 19).
    if bytes < 1_000_000 || mb.ends_with(".0 MB") {
        return format!("{bytes} bytes");
    }
    mb
}

/// "1.3 MB, the limit is 1 MB": a text longer than [`MAX_TEXT_BYTES`].
pub fn too_long(bytes: usize) -> Msg {
    Msg::new("text_too_long")
        .with("size", size(bytes))
        .with("limit", size(MAX_TEXT_BYTES))
}

/// A meeting (or a list) of more than [`MAX_ENTRIES`] entries.
pub fn too_many(count: usize, limit: usize) -> Msg {
    Msg::new("entries_too_many")
        .with("count", count)
        .with("limit", limit)
}

/// A text a writer is given: refused when longer than [`MAX_TEXT_BYTES`], naming the field.
pub fn text(field: &str, value: &str) -> Result<(), Msg> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(Msg::new("field_too_long")
            .with("field", field)
            .with("size", size(value.len()))
            .with("limit", size(MAX_TEXT_BYTES)));
    }
    Ok(())
}

/// Whether `adding` more entries fit a meeting that holds `held` (its entries of every kind,
/// removed ones included: they stay in its history and its export).
pub fn entries_room(held: usize, adding: usize) -> Result<(), Msg> {
    if held.saturating_add(adding) > MAX_ENTRIES {
        return Err(Msg::new("meeting_full").with("limit", MAX_ENTRIES));
    }
    Ok(())
}

thread_local! {
    /// The entries of the meeting being read (none: no meeting is being read, only each list
    /// is bounded).
    static IN_RECORD: Cell<Option<usize>> = const { Cell::new(None) };
}

/// A record read with its entries counted together ([`entries`]): a meeting whose lists are
/// each under the limit but together far over it is refused as it is read, not after.
pub struct Counted<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Counted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let outer = IN_RECORD.with(|c| c.replace(Some(0)));
        let read = T::deserialize(deserializer);
        IN_RECORD.with(|c| c.set(outer));
        read.map(Counted)
    }
}

/// `deserialize_with` for a document's meetings (or cases): each one [`Counted`], the list as
/// long as it is.
pub fn records<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Records::default().deserialize(deserializer)
}

/// A list of records each [`Counted`] (a seed, for a visitor that reads one field at a time).
pub struct Records<T>(PhantomData<T>);

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records(PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Records<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Records<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(Counted(record)) = seq.next_element::<Counted<T>>()? {
            out.push(record);
        }
        Ok(out)
    }
}

/// `deserialize_with` for a list of a meeting's records: each one counted against
/// [`MAX_ENTRIES`] — the list's own and, inside a [`Counted`] record, the record's — and
/// refused at the first one over, the rest of the list skipped without being kept (to say how
/// many it holds).
pub fn entries<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(Bounded(MAX_ENTRIES, true, PhantomData))
}

/// `deserialize_with` for a list of recorded changes: [`MAX_CHANGES`], not counted as entries.
pub fn changes<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(Bounded(MAX_CHANGES, false, PhantomData))
}

/// A list of at most `.0` items; `.1`: each counts as an entry of the record being read.
struct Bounded<T>(usize, bool, PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        read_list(seq, self.0, self.1)
    }
}

/// The elements of a list of a meeting's entries, as [`entries`] reads them (for a visitor
/// that reads a list among other forms).
pub fn read_entries<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: A,
) -> Result<Vec<T>, A::Error> {
    read_list(seq, MAX_ENTRIES, true)
}

fn read_list<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    mut seq: A,
    limit: usize,
    counted: bool,
) -> Result<Vec<T>, A::Error> {
    let mut out = Vec::new();
    loop {
        let held = if counted {
            IN_RECORD.with(|c| c.get())
        } else {
            None
        };
        let over = out.len() >= limit || held.is_some_and(|n| n >= MAX_ENTRIES);
        if over {
            // How many there are: the rest is read and dropped.
            let mut rest = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                rest += 1;
            }
            if rest == 0 {
                return Ok(out);
            }
            let message = match held {
                Some(n) if out.len() < limit => too_many_in_meeting(n + rest),
                _ => too_many(out.len() + rest, limit).to_string(),
            };
            return Err(de::Error::custom(message));
        }
        match seq.next_element::<T>()? {
            Some(item) => out.push(item),
            None => return Ok(out),
        }
        if let Some(n) = held {
            // An element's own lists counted meanwhile: add this one to what they left.
            IN_RECORD.with(|c| c.set(Some(c.get().unwrap_or(n) + 1)));
        }
    }
}

/// A meeting of more than [`MAX_ENTRIES`] entries of every kind together.
pub fn too_many_in_meeting(count: usize) -> String {
    Msg::new("meeting_entries_too_many")
        .with("count", count)
        .with("limit", MAX_ENTRIES)
        .to_string()
}

/// The io error [`TextWatch`] stops a reading with: a JSON string longer than
/// [`MAX_TEXT_BYTES`], with its length once decoded.
#[derive(Debug)]
pub struct TextTooLong(pub usize);

impl fmt::Display for TextTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", too_long(self.0))
    }
}

impl std::error::Error for TextTooLong {}

/// The io error [`TextWatch`] stops a reading with: what is held took more than its budget
/// ([`Budget`]) of that many bytes.
#[derive(Debug)]
pub struct RecordTooLarge(pub Held, pub usize);

impl fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self.0 {
            Held::Record => "record_too_large",
            Held::Lists => "lists_too_large",
        };
        write!(f, "{}", Msg::new(key).with("limit", size(self.1)))
    }
}

impl std::error::Error for RecordTooLarge {}

/// How far a [`TextWatch`] may read: its reader shares it with whoever reads the records. A
/// record's reading [`Budget::start`]s it and [`Budget::end`]s it; meanwhile the watch hands on
/// at most that many bytes and then fails with [`RecordTooLarge`], so that the parser's error
/// names the place in the record where it went over. The watch reads ahead of the parser by at
/// most the parser's buffer: a record is given its budget from where the reader is when it
/// starts, so it may take up to a buffer more, never less.
#[derive(Debug, Default)]
pub struct Budget {
    /// Bytes handed on so far.
    read: Cell<u64>,
    /// Where the current record must end (none: no record is being held).
    until: Cell<Option<u64>>,
    /// The budget of the current record, for its error.
    limit: Cell<(Held, usize)>,
}

impl Budget {
    /// A record begins: from here it may take `bytes` more of the `limit` of what it is.
    pub fn start(&self, held: Held, limit: usize, bytes: u64) {
        self.until.set(Some(self.read.get() + bytes));
        self.limit.set((held, limit));
    }

    /// The record was read (or the list being read holds nothing whole): no bound.
    pub fn end(&self) {
        self.until.set(None);
    }

    /// Bytes handed on so far (to measure what a record took).
    pub fn read(&self) -> u64 {
        self.read.get()
    }

    /// How many bytes may still be handed on (none: no bound).
    fn room(&self) -> Option<u64> {
        self.until
            .get()
            .map(|until| until.saturating_sub(self.read.get()))
    }
}

/// Where [`TextWatch`] is in the JSON it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Outside,
    InString,
    /// After a backslash in a string.
    Escape,
    /// After `\u`: this many hex digits read, their value so far.
    Unicode(u8, u32),
}

/// A reader of JSON that stops it at a string longer than [`MAX_TEXT_BYTES`] once decoded,
/// before the parser has held more than that: what it hands on ends inside the string, and the
/// next read reads the rest of the string (counting, keeping nothing) and fails with
/// [`TextTooLong`] — the parser's error then has the JSON path of the string. At most the
/// limit is held for one string (serde_json's buffer of the string being parsed), whatever
/// the size of the file. It also notes when a `\u0000` escape goes past ([`Self::noting_nul`]):
/// the one pass over the bytes that finds where each string ends decodes every escape anyway.
pub struct TextWatch<R> {
    inner: R,
    at: At,
    /// Bytes of the current string, decoded.
    length: usize,
    /// The string over the limit: the rest of it is read, then the reading fails.
    over: bool,
    /// Set once a string held an escaped NUL (`\u0000`).
    nul: Rc<Cell<bool>>,
    /// What the record being read may still take.
    budget: Rc<Budget>,
}

impl<R: Read> TextWatch<R> {
    pub fn new(inner: R) -> TextWatch<R> {
        TextWatch {
            inner,
            at: At::Outside,
            length: 0,
            over: false,
            nul: Rc::default(),
            budget: Rc::default(),
        }
    }

    /// Bounds each record the reader of `budget` holds (see [`Budget`]).
    pub fn with_budget(mut self, budget: Rc<Budget>) -> TextWatch<R> {
        self.budget = budget;
        self
    }

    /// Sets `seen` once an escaped NUL (`\u0000`) goes past inside a string: only then need the
    /// records read be searched for one (an unescaped NUL byte is refused by the parser).
    pub fn noting_nul(mut self, seen: Rc<Cell<bool>>) -> TextWatch<R> {
        self.nul = seen;
        self
    }

    /// Scans `bytes`; `Some(i)`: the string went over the limit at byte `i`.
    fn scan(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            match self.at {
                At::Outside => match memchr::memchr(b'"', &bytes[i..]) {
                    Some(at) => {
                        i += at + 1;
                        self.at = At::InString;
                        self.length = 0;
                    }
                    None => return None,
                },
                At::InString => {
                    let rest = &bytes[i..];
                    let run = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    if self.length + run > MAX_TEXT_BYTES {
                        let at = i + (MAX_TEXT_BYTES - self.length);
                        self.length += run;
                        // The rest of this buffer is part of the string or comes after it.
                        self.over = true;
                        self.resume(&rest[run..]);
                        return Some(at);
                    }
                    self.length += run;
                    i += run;
                    if let Some(&b) = bytes.get(i) {
                        self.at = if b == b'"' { At::Outside } else { At::Escape };
                        i += 1;
                    }
                }
                At::Escape => {
                    self.at = if bytes[i] == b'u' {
                        At::Unicode(0, 0)
                    } else {
                        self.length += 1;
                        At::InString
                    };
                    i += 1;
                    if self.length > MAX_TEXT_BYTES {
                        self.over = true;
                        self.resume(&bytes[i..]);
                        return Some(i);
                    }
                }
                At::Unicode(n, value) => {
                    let digit = (bytes[i] as char).to_digit(16).unwrap_or(0);
                    let value = value * 16 + digit;
                    self.at = if n == 3 {
                        if value == 0 {
                            self.nul.set(true);
                        }
                        self.length += match value {
                            0..0x80 => 1,
                            0x80..0x800 => 2,
                            // A surrogate pair is one character of four bytes: its first half.
                            0xD800..0xDC00 => 4,
                            0xDC00..0xE000 => 0,
                            _ => 3,
                        };
                        At::InString
                    } else {
                        At::Unicode(n + 1, value)
                    };
                    i += 1;
                    if self.length > MAX_TEXT_BYTES {
                        self.over = true;
                        self.resume(&bytes[i..]);
                        return Some(i);
                    }
                }
            }
        }
        None
    }

    /// Counts what follows in a string gone over the limit, up to its end if it is there.
    fn resume(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() && self.at != At::Outside {
            match self.at {
                At::InString => match bytes[i] {
                    b'"' => self.at = At::Outside,
                    b'\\' => self.at = At::Escape,
                    _ => self.length += 1,
                },
                At::Escape => {
                    self.length += 1;
                    self.at = if bytes[i] == b'u' {
                        At::Unicode(0, 0)
                    } else {
                        At::InString
                    };
                }
                // Close enough for saying how long it is: an escape counts as one byte.
                At::Unicode(n, v) => {
                    self.at = if n == 3 {
                        At::InString
                    } else {
                        At::Unicode(n + 1, v)
                    };
                }
                At::Outside => {}
            }
            i += 1;
        }
    }
}

impl<R: Read> Read for TextWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.over {
            let mut chunk = [0u8; 64 * 1024];
            while self.at != At::Outside {
                let n = self.inner.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                self.resume(&chunk[..n]);
            }
            return Err(std::io::Error::other(TextTooLong(self.length)));
        }
        let room = match self.budget.room() {
            Some(0) => {
                let (held, limit) = self.budget.limit.get();
                return Err(std::io::Error::other(RecordTooLarge(held, limit)));
            }
            Some(room) => buf.len().min(usize::try_from(room).unwrap_or(usize::MAX)),
            None => buf.len(),
        };
        let n = self.inner.read(&mut buf[..room])?;
        let handed = match self.scan(&buf[..n]) {
            // What comes before the string went over: the parser reads it, then fails (no
            // byte to hand on would read as the end of the file).
            Some(0) => return self.read(buf),
            Some(at) => at,
            None => n,
        };
        let budget = &self.budget;
        budget.read.set(budget.read.get() + handed as u64);
        Ok(handed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], piece: usize) -> std::io::Result<Vec<u8>> {
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        TextWatch::new(Pieces(text, piece)).read_to_end(&mut out)?;
        Ok(out)
    }

    fn json_of(text: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({"a": [text, "b"]})).unwrap()
    }

    #[test]
    fn texts_up_to_the_limit_pass_whole() {
        for text in [
            "あ".repeat(MAX_TEXT_BYTES / 3),
            "a".repeat(MAX_TEXT_BYTES),
            "\"\\".repeat(MAX_TEXT_BYTES / 2),
            "\u{1F600}".repeat(MAX_TEXT_BYTES / 4),
        ] {
            let json = json_of(&text);
            for piece in [1, 7, 4096, usize::MAX] {
                assert_eq!(read_all(&json, piece).unwrap(), json, "{piece}");
            }
        }
        // Escaped: six bytes of JSON for one character of two.
        let escaped = "\\u00e9".repeat(MAX_TEXT_BYTES / 2);
        let json = format!("{{\"a\": \"{escaped}\"}}").into_bytes();
        assert_eq!(read_all(&json, 4096).unwrap(), json);
    }

    #[test]
    fn a_text_over_the_limit_stops_the_reading_with_its_length() {
        for (text, length) in [
            ("a".repeat(MAX_TEXT_BYTES + 1), MAX_TEXT_BYTES + 1),
            ("あ".repeat(1_300_000 / 3), 1_299_999),
            ("\\\"".repeat(MAX_TEXT_BYTES / 2 + 1), MAX_TEXT_BYTES + 2),
        ] {
            let json = json_of(&text);
            for piece in [1, 4096, usize::MAX] {
                let err = read_all(&json, piece).unwrap_err();
                let long = err.get_ref().and_then(|e| e.downcast_ref::<TextTooLong>());
                assert_eq!(long.map(|l| l.0), Some(length), "{piece}");
            }
        }
        let escaped = "\\u00e9".repeat(MAX_TEXT_BYTES / 2 + 1);
        let json = format!("{{\"a\": \"{escaped}\"}}").into_bytes();
        assert!(read_all(&json, 4096).is_err());
    }

    #[test]
    fn an_escaped_nul_is_noted_and_an_escaped_backslash_before_u0000_is_text() {
        let seen = |text: &str| {
            let flag = Rc::new(Cell::new(false));
            let mut w = TextWatch::new(text.as_bytes()).noting_nul(Rc::clone(&flag));
            // One byte at a time: an escape split between two reads is still seen.
            let mut byte = [0u8; 1];
            while w.read(&mut byte).unwrap() == 1 {}
            flag.get()
        };
        assert!(seen(r#""a\u0000""#));
        assert!(!seen(r#""a\\u0000""#));
        assert!(seen(r#""a\\\u0000""#));
        assert!(!seen("u0000"));
        assert!(!seen(r#""\u0001""#));
        assert!(!seen(r#""\u1000""#));
        // Outside a string (a key's end, a number) nothing is an escape.
        assert!(!seen(r#"{"a": 1} \u0000"#));
    }

    #[test]
    fn a_record_past_its_budget_stops_the_reading_where_it_went_over() {
        let text = br#"["aaaaaaaaaa","bbbbbbbbbb","cccccccccc"]"#;
        let budget = Rc::new(Budget::default());
        let mut w = TextWatch::new(&text[..]).with_budget(Rc::clone(&budget));
        let mut buf = [0u8; 8];
        // No record begun: no bound.
        assert_eq!(w.read(&mut buf[..1]).unwrap(), 1);
        budget.start(Held::Record, 20, 20);
        let mut handed = 0;
        let err = loop {
            match w.read(&mut buf) {
                Ok(n) => {
                    assert!(n > 0, "a budget spent is never the end of the file");
                    handed += n;
                }
                Err(e) => break e,
            }
        };
        assert_eq!(handed, 20);
        let over = err
            .get_ref()
            .and_then(|e| e.downcast_ref::<RecordTooLarge>());
        assert_eq!(over.map(|o| o.1), Some(20));
        assert_eq!(budget.read(), 21);
        // Ended, the reading goes on unbounded.
        budget.end();
        let mut rest = Vec::new();
        w.read_to_end(&mut rest).unwrap();
        assert_eq!(rest.len(), text.len() - 21);
        // A budget the record keeps within changes nothing.
        let budget = Rc::new(Budget::default());
        budget.start(Held::Lists, 100, text.len() as u64 + 1);
        let mut all = Vec::new();
        TextWatch::new(&text[..])
            .with_budget(budget)
            .read_to_end(&mut all)
            .unwrap();
        assert_eq!(all, text);
    }

    #[test]
    fn a_limit_is_only_ever_lowered_and_only_inside() {
        let real = (MAX_RECORD_BYTES, MAX_LISTS_BYTES);
        assert_eq!((record_bytes(), lists_bytes()), real);
        let higher = Lower {
            record: usize::MAX,
            lists: 2 * MAX_LISTS_BYTES,
        };
        lowered(higher, || {
            assert_eq!((record_bytes(), lists_bytes()), real, "never raised");
        });
        let small = Lower {
            record: 1_000_000,
            lists: 4_000_000,
        };
        lowered(small, || {
            assert_eq!((record_bytes(), lists_bytes()), (1_000_000, 4_000_000));
            // Inside, a higher one keeps the lower; a lower one lowers again.
            lowered(Lower::NONE, || assert_eq!(record_bytes(), 1_000_000));
            let lower = Lower {
                record: 500_000,
                lists: 8_000_000,
            };
            lowered(lower, || {
                assert_eq!((record_bytes(), lists_bytes()), (500_000, 4_000_000))
            });
            assert_eq!((record_bytes(), lists_bytes()), (1_000_000, 4_000_000));
            // Another thread keeps renkei's own.
            let other = std::thread::spawn(|| (record_bytes(), lists_bytes()));
            assert_eq!(other.join().unwrap(), real);
        });
        // Restored after, even after a panic inside.
        assert_eq!((record_bytes(), lists_bytes()), real);
        let panicked = std::panic::catch_unwind(|| lowered(small, || panic!("inside")));
        assert!(panicked.is_err());
        assert_eq!((record_bytes(), lists_bytes()), real);
    }

    #[test]
    fn sizes_are_said_plainly() {
        assert_eq!(size(1_000_000), "1 MB");
        assert_eq!(size(1_300_000), "1.3 MB");
        assert_eq!(size(1_000_001), "1000001 bytes");
        assert_eq!(size(16_004_000), "16004000 bytes");
        assert_eq!(size(16_050_001), "16.1 MB");
        assert_eq!(size(50_000_000), "50 MB");
    }

    #[test]
    fn a_meetings_lists_are_counted_together() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            #[serde(deserialize_with = "entries")]
            notes: Vec<u8>,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Meeting {
            #[serde(deserialize_with = "entries")]
            items: Vec<Item>,
        }
        let item = |n: usize| serde_json::json!({"notes": vec![1; n]});
        let meeting =
            |items: Vec<serde_json::Value>| serde_json::json!({ "items": items }).to_string();
        // Each list under the limit, together over it.
        let big = meeting(vec![item(6000), item(6000)]);
        let err = serde_json::from_str::<Counted<Meeting>>(&big)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("10000"), "{err}");
        // Alone (not a counted record) each list is only bounded by itself.
        assert!(serde_json::from_str::<Meeting>(&big).is_ok());
        let fits = meeting(vec![item(4998), item(4998)]);
        assert!(serde_json::from_str::<Counted<Meeting>>(&fits).is_ok());
        let over = meeting(vec![item(5000), item(5000)]);
        assert!(serde_json::from_str::<Counted<Meeting>>(&over).is_err());
        let one = serde_json::json!({"notes": vec![1; MAX_ENTRIES + 5]}).to_string();
        let err = serde_json::from_str::<Item>(&one)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("10005"), "{err}");
    }
}
