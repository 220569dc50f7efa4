//! Reading interchange JSON as it streams in: each meeting is checked and handed on as soon as it
//! is read, so that importing a ward's export (hundreds of megabytes) holds one meeting at a time,
//! never the document. Everything [`super::parse_json`] promises holds here too: a field renkei
//! does not know, a wrong type, a value out of range, a NUL character, a uid given twice or
//! trailing text is an error naming the line or the JSON path, and a newer format is refused
//! before anything else is said about the file.
//!
//! A [`Sink`] receives the document in an order it can write: first everything but the cases
//! and the meetings (the ward, agencies, bodies, yearly counts …), then each case, then each
//! meeting, then the rest. renkei's own export is written in that order and is read in one
//! pass. A hand-made file may name its bodies after its meetings (or its cases): then the sink
//! is told to forget what it received, and the file is read three times — its head first, then
//! its cases, then its meetings.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::io::{BufReader, Read};
use std::marker::PhantomData;
use std::rc::Rc;

use super::cases::CaseCheck;
use super::check::{self, UidSet};
use super::held::Held as HeldBytes;
use crate::limits::{Budget, Counted, Held, RecordTooLarge, TextWatch};
use serde_path_to_error::Track;

use super::json::{at_line, cause, check_format, describe, format_in};
use super::{CaseRecord, ChangeRecord, Document, MeetingRecord, RecordedText, WardRecord};

/// Where the records of a streamed document go.
pub trait Sink {
    type Error;
    /// Everything but the meetings and the list of changes: called once, before the first
    /// meeting (at the end for a document without meetings). Checked.
    fn head(&mut self, head: &Document) -> Result<(), Self::Error>;
    /// Case `index` of the document, checked, as soon as it is read (after the head, before the
    /// first meeting): a city's cases are read one at a time too.
    fn case(&mut self, index: usize, case: CaseRecord) -> Result<(), Self::Error>;
    /// Meeting `index` of the document, checked, as soon as it is read.
    fn meeting(&mut self, index: usize, meeting: MeetingRecord) -> Result<(), Self::Error>;
    /// Change `index` of the document's list (those of meetings no longer in the database),
    /// checked, as soon as it is read: after every meeting of the document.
    fn change(&mut self, index: usize, change: ChangeRecord) -> Result<(), Self::Error>;
    /// Entry `index` of the document's `recorded` list (the people a ward recorded), checked,
    /// as soon as it is read, wherever the list stands: a city's are never all in memory
    /// (attack report 7, finding 10).
    fn recorded(&mut self, index: usize, entry: RecordedText) -> Result<(), Self::Error>;
    /// What came after the meetings (agenda templates), at the end of the document. Checked.
    fn tail(&mut self, tail: &Document) -> Result<(), Self::Error>;
    /// Forget everything received so far: the file is read again from its start, its head
    /// first (it named something the meetings need after them).
    fn restart(&mut self) -> Result<(), Self::Error>;
}

/// Why a streamed document was not read to its end.
#[derive(Debug)]
pub enum Failure<E> {
    /// The file is not a valid document: the line or the JSON path, and what is wrong.
    Invalid(String),
    /// The sink refused a record.
    Sink(E),
}

/// Opens the file (again: a file in an order that cannot be written as it comes is read twice,
/// and the format of a file that failed before its `format` is read from a second reading).
pub type Open<'a> = &'a dyn Fn() -> std::io::Result<Box<dyn Read>>;

/// The top-level fields of a document, as [`Document`] has them.
const FIELDS: &[&str] = &[
    "format",
    "ward",
    "wards",
    "agencies",
    "bodies",
    "history",
    "cases",
    "meetings",
    "changes",
    "templates",
    "recorded",
];

/// The fields the meetings depend on: written before the first meeting.
const HEAD: &[&str] = &[
    "format", "ward", "wards", "agencies", "bodies", "history", "cases",
];

/// How a reading treats the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One pass: the head, each meeting as it comes, the rest.
    Stream,
    /// The first of three passes: everything but the cases and the meetings.
    HeadOnly,
    /// The second of three passes: the cases.
    CasesOnly,
    /// The last of three passes: the meetings, then the rest.
    MeetingsOnly,
    /// A fourth pass when the list of changes comes before the meetings: the changes, then the
    /// rest.
    ChangesOnly,
}

/// Reads a document from `open`, handing its records to `sink`; the uids it meets are checked
/// against `uids` (one record per uid in the file).
pub fn read_json<S: Sink>(
    open: Open,
    uids: &mut dyn UidSet,
    sink: &mut S,
) -> Result<(), Failure<S::Error>> {
    match pass(open, Mode::Stream, uids, sink) {
        Ok(_) => Ok(()),
        Err(Pass::Reorder) => two_passes(open, uids, sink),
        // A meeting naming a body the file gives after the meetings (a case naming a ward given
        // after the cases) fails before that body is read: such a file is read again, the head
        // first.
        // A file cut short (or otherwise not well formed) after its meetings says so, rather
        // than that a body it never reached is missing.
        Err(Pass::Failed(f, true)) => match late_head(open) {
            Ok(true) => two_passes(open, uids, sink),
            Ok(false) => Err(f),
            Err(syntax) => Err(Failure::Invalid(syntax)),
        },
        Err(Pass::Failed(f, false)) => Err(f),
    }
}

fn two_passes<S: Sink>(
    open: Open,
    uids: &mut dyn UidSet,
    sink: &mut S,
) -> Result<(), Failure<S::Error>> {
    sink.restart().map_err(Failure::Sink)?;
    uids.clear().map_err(Failure::Invalid)?;
    pass(open, Mode::HeadOnly, uids, sink).map_err(Pass::failure)?;
    pass(open, Mode::CasesOnly, uids, sink).map_err(Pass::failure)?;
    let changes_left = pass(open, Mode::MeetingsOnly, uids, sink).map_err(Pass::failure)?;
    if changes_left {
        pass(open, Mode::ChangesOnly, uids, sink).map_err(Pass::failure)?;
    }
    Ok(())
}

/// Whether a field the cases or the meetings depend on comes after them (the keys of the
/// document read in order, every value skipped); the line and column where the document stops
/// being JSON when it does.
fn late_head(open: Open) -> Result<bool, String> {
    struct Keys(bool);
    impl<'de> Visitor<'de> for &mut Keys {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a document")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let (mut meetings, mut cases) = (false, false);
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                let head = HEAD.contains(&key.as_str());
                if (meetings && head) || (cases && head && key != "cases") {
                    self.0 = true;
                }
                meetings |= key == "meetings";
                cases |= key == "cases";
            }
            Ok(())
        }
    }
    let Ok(reader) = open() else {
        return Ok(false);
    };
    let mut keys = Keys(false);
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(BUFFER, reader));
    match de::Deserializer::deserialize_map(&mut de, &mut keys).and_then(|()| de.end()) {
        Err(e) if e.is_syntax() || e.is_eof() => Err(at_line(&e, "", &cause(&e))),
        // A value of the wrong kind is the pass's to name, with its path.
        _ => Ok(keys.0),
    }
}

enum Pass<E> {
    /// The failure, and whether the cases or the meetings began before every field they depend
    /// on was read.
    Failed(Failure<E>, bool),
    /// A field the meetings depend on came after them.
    Reorder,
}

impl<E> Pass<E> {
    /// Only a reading in one pass asks for two.
    fn failure(self) -> Failure<E> {
        match self {
            Pass::Failed(f, _) => f,
            Pass::Reorder => Failure::Invalid(crate::i18n::said("import_file_changed", &[])),
        }
    }
}

/// Bytes read ahead of the parser: a few pages, whatever the size of the file.
const BUFFER: usize = 64 * 1024;

/// One reading of the document; `Ok(true)`: the list of changes came before the meetings and
/// was left for a reading of its own.
fn pass<S: Sink>(
    open: Open,
    mode: Mode,
    uids: &mut dyn UidSet,
    sink: &mut S,
) -> Result<bool, Pass<S::Error>> {
    let reader = open().map_err(|e| Pass::Failed(Failure::Invalid(e.to_string()), false))?;
    let nul = Rc::new(Cell::new(false));
    let budget = Rc::new(Budget::default());
    // A text longer than the limit, or a record larger than its budget, stops the reading
    // before it is held (crate::limits).
    let watched = TextWatch::new(reader)
        .noting_nul(Rc::clone(&nul))
        .with_budget(Rc::clone(&budget));
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(BUFFER, watched));
    let mut state = State {
        mode,
        sink,
        uids,
        nul,
        budget,
        head_held: 0,
        lists_held: 0,
        head: Document::default(),
        head_sent: false,
        seen: Vec::new(),
        changes: 0,
        recorded: 0,
        changes_left: false,
        meetings: 0,
        cases: 0,
        case_check: CaseCheck::default(),
        stop: None,
    };
    // The path is followed as the document is read, so that an error names it from this very
    // reading (a pipe cannot be read again to find it).
    let mut track = Track::new();
    let read =
        (&mut state).deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let early = state.early_records();
    match read {
        Ok(()) => de
            .end()
            .map(|()| state.changes_left)
            .map_err(|e| Pass::Failed(Failure::Invalid(at_line(&e, "", &cause(&e))), false)),
        Err(e) => Err(match state.stop.take() {
            Some(Stop::Failed(f)) => Pass::Failed(f, early),
            Some(Stop::Reorder) => Pass::Reorder,
            None => {
                // A reading after the first skips the format (the first checked it): it was
                // seen, not read, and is read again rather than said to be missing (attack
                // report 6, finding 18).
                let seen = state
                    .seen
                    .contains(&"format")
                    .then_some(state.head.format.as_str())
                    .filter(|format| !format.is_empty());
                let error = serde_path_to_error::Error::new(track.path(), e);
                Pass::Failed(Failure::Invalid(explain(open, seen, &error)), early)
            }
        }),
    }
}

/// A serde error as renkei says it: a newer format first (read again when the fault came before
/// it: a pipe is read again from its kept copy), else the line and the JSON path of the reading
/// that failed.
fn explain(
    open: Open,
    seen: Option<&str>,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> String {
    let format = match seen {
        Some(format) => Some(format.to_owned()),
        None => open()
            .ok()
            .and_then(|reader| format_in(BufReader::with_capacity(BUFFER, reader))),
    };
    if let Some(Err(newer)) = format.as_deref().map(check_format) {
        return newer;
    }
    describe(e)
}

enum Stop<E> {
    Failed(Failure<E>),
    Reorder,
}

struct State<'a, S: Sink> {
    mode: Mode,
    sink: &'a mut S,
    uids: &'a mut dyn UidSet,
    /// Set once a `\u0000` escape went past: every record read since is searched for a NUL.
    nul: Rc<Cell<bool>>,
    /// What the record being read may still take (crate::limits::MAX_RECORD_BYTES, and
    /// MAX_LISTS_BYTES for the head's lists).
    budget: Rc<Budget>,
    /// Bytes the lists held for the head took so far (they share one budget).
    head_held: u64,
    /// Bytes of memory the lists held for the head take (the same budget, counted as held).
    lists_held: usize,
    /// The head as read so far (after it was handed on: what comes after the meetings).
    head: Document,
    head_sent: bool,
    seen: Vec<&'static str>,
    /// Changes of the document's list handed on so far.
    changes: usize,
    /// Entries of the `recorded` list handed on so far.
    recorded: usize,
    /// The list of changes came before the meetings: left for a reading of its own.
    changes_left: bool,
    meetings: usize,
    cases: usize,
    /// What the checks of the cases remember from one case to the next.
    case_check: CaseCheck,
    stop: Option<Stop<S::Error>>,
}

impl<S: Sink> State<'_, S> {
    /// Stops the reading with `stop`: serde is given an error that says nothing, the stop says
    /// why.
    fn stop<E: de::Error>(&mut self, stop: Stop<S::Error>) -> E {
        self.stop = Some(stop);
        E::custom("stopped")
    }

    fn invalid<E: de::Error>(&mut self, message: String) -> E {
        self.stop(Stop::Failed(Failure::Invalid(message)))
    }

    /// Whether the cases or the meetings began before every field they may depend on was read
    /// (a case may name a ward of `wards`, a meeting a body, a case …).
    fn early_records(&self) -> bool {
        let missing = |list: &str| {
            self.seen.contains(&list) && HEAD.iter().any(|f| *f != list && !self.seen.contains(f))
        };
        missing("meetings") || missing("cases")
    }

    /// A NUL in the record read, when one went past.
    fn nul_in<T: serde::Serialize>(&self, record: &T, path: &str) -> Option<String> {
        if !self.nul.get() {
            return None;
        }
        check::nul_path_in(record, path)
            .map(|at| format!("{at}: {}", crate::i18n::said("import_nul", &[])))
    }

    /// Hands the head on, checked (once).
    fn send_head<E: de::Error>(&mut self) -> Result<(), E> {
        if self.head_sent
            || matches!(
                self.mode,
                Mode::CasesOnly | Mode::MeetingsOnly | Mode::ChangesOnly
            )
        {
            self.head_sent = true;
            return Ok(());
        }
        self.head_sent = true;
        if let Err(e) = check_format(&self.head.format) {
            return Err(self.invalid(e));
        }
        if let Some(e) = self.nul_in(&self.head, "") {
            return Err(self.invalid(e));
        }
        if let Err(e) = check::head(&self.head, self.uids) {
            return Err(self.invalid(e));
        }
        let head = std::mem::take(&mut self.head);
        match self.sink.head(&head) {
            Ok(()) => {
                self.head.format = head.format;
                Ok(())
            }
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }

    fn send_case<E: de::Error>(&mut self, c: CaseRecord) -> Result<(), E> {
        let index = self.cases;
        self.cases += 1;
        if let Some(e) = self.nul_in(&c, &format!("cases[{index}]")) {
            return Err(self.invalid(e));
        }
        if let Err(e) = self.case_check.case(index, &c) {
            return Err(self.invalid(e));
        }
        match self.sink.case(index, c) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }

    fn send_meeting<E: de::Error>(&mut self, m: MeetingRecord) -> Result<(), E> {
        let index = self.meetings;
        self.meetings += 1;
        let at = format!("meetings[{index}]");
        if let Some(e) = self.nul_in(&m, &at) {
            return Err(self.invalid(e));
        }
        if let Err(e) = check::meeting_with(&m, self.uids) {
            return Err(self.invalid(format!("{at}.{e}")));
        }
        if let Err(e) = super::cases::check_links(index, &m, self.uids)
            .and_then(|()| super::cases::check_reviews(index, &m, self.uids))
        {
            return Err(self.invalid(format!("{at}.{e}")));
        }
        match self.sink.meeting(index, m) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }

    fn send_change<E: de::Error>(&mut self, c: ChangeRecord) -> Result<(), E> {
        let index = self.changes;
        self.changes += 1;
        if let Some(e) = self.nul_in(&c, &format!("changes[{index}]")) {
            return Err(self.invalid(e));
        }
        if let Err(e) = check::change(index, &c, self.uids) {
            return Err(self.invalid(e));
        }
        match self.sink.change(index, c) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }

    fn send_recorded<E: de::Error>(&mut self, r: RecordedText) -> Result<(), E> {
        let index = self.recorded;
        self.recorded += 1;
        if let Some(e) = self.nul_in(&r, &format!("recorded[{index}]")) {
            return Err(self.invalid(e));
        }
        if let Err(e) = check::recorded_entry(index, &r) {
            return Err(self.invalid(e));
        }
        match self.sink.recorded(index, r) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }

    /// At the end of the document: the head if no meeting sent it, then the rest.
    fn send_tail<E: de::Error>(&mut self) -> Result<(), E> {
        self.send_head()?;
        if matches!(self.mode, Mode::HeadOnly | Mode::CasesOnly) || self.changes_left {
            return Ok(());
        }
        let tail = Document {
            templates: std::mem::take(&mut self.head.templates),
            ..Document::default()
        };
        if let Some(e) = self.nul_in(&tail, "") {
            return Err(self.invalid(e));
        }
        if let Err(e) = check::templates(&tail.templates) {
            return Err(self.invalid(e));
        }
        match self.sink.tail(&tail) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.stop(Stop::Failed(Failure::Sink(e)))),
        }
    }
}

impl<'de, S: Sink> DeserializeSeed<'de> for &mut State<'_, S> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for &mut State<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let Some(&field) = FIELDS.iter().find(|f| **f == key) else {
                return Err(de::Error::unknown_field(&key, FIELDS));
            };
            if self.seen.contains(&field) {
                return Err(de::Error::duplicate_field(field));
            }
            // Three readings: the head first (without the list of changes, which goes after the
            // meetings), then the cases, then the meetings and the changes.
            // The changes name meetings: they are written after every meeting of the file.
            let changes_early = field == "changes" && !self.seen.contains(&"meetings");
            if changes_early && self.mode == Mode::Stream {
                return Err(self.stop(Stop::Reorder));
            }
            self.seen.push(field);
            let skip = match self.mode {
                Mode::HeadOnly => matches!(field, "cases" | "meetings" | "changes"),
                Mode::CasesOnly => field != "cases",
                Mode::MeetingsOnly if changes_early => {
                    self.changes_left = true;
                    true
                }
                Mode::MeetingsOnly => !matches!(field, "meetings" | "changes"),
                Mode::ChangesOnly => field != "changes",
                Mode::Stream => false,
            };
            if skip {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if self.head_sent && HEAD.contains(&field) && self.mode == Mode::Stream {
                return Err(self.stop(Stop::Reorder));
            }
            match field {
                "format" => {
                    let format: String = map.next_value()?;
                    // A newer format is refused before any of its fields is looked at.
                    if let Err(e) = check_format(&format) {
                        return Err(self.invalid(e));
                    }
                    self.head.format = format;
                }
                "cases" => {
                    // The cases, each handed on as it is read: the head goes first, unless part
                    // of it may still come.
                    if self.mode == Mode::Stream && !self.seen.contains(&"format") {
                        return Err(self.stop(Stop::Reorder));
                    }
                    self.send_head()?;
                    map.next_value_seed(Each::<S, Counted<CaseRecord>>::of(&mut *self))?;
                }
                "changes" => {
                    self.send_head()?;
                    map.next_value_seed(Each::<S, ChangeRecord>::of(&mut *self))?;
                }
                "recorded" => {
                    map.next_value_seed(Each::<S, RecordedText>::of(&mut *self))?;
                }
                "meetings" => {
                    // The meetings: the head goes first, unless part of it may still come.
                    if self.mode == Mode::Stream && !self.seen.contains(&"format") {
                        return Err(self.stop(Stop::Reorder));
                    }
                    self.send_head()?;
                    map.next_value_seed(Each::<S, Counted<MeetingRecord>>::of(&mut *self))?;
                }
                _ => {
                    // The lists the head holds until every meeting is written: one budget for
                    // all of them.
                    let limit = crate::limits::lists_bytes();
                    let room = (limit as u64).saturating_sub(self.head_held);
                    self.budget.start(Held::Lists, limit, room);
                    let from = self.budget.read();
                    let read = self.head_field(field, &mut map);
                    self.budget.end();
                    self.head_held += self.budget.read() - from;
                    read?;
                }
            }
        }
        self.send_tail()
    }
}

impl<S: Sink> State<'_, S> {
    /// Reads a field of the head (neither the format, nor the cases, meetings or changes).
    fn head_field<'de, A: MapAccess<'de>>(
        &mut self,
        field: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let held = &mut self.lists_held;
        match field {
            "ward" => {
                self.head.ward = map.next_value_seed(HeldList::<Option<WardRecord>>::one(held))?
            }
            "wards" => self.head.wards = map.next_value_seed(HeldList::new(held))?,
            "agencies" => self.head.agencies = map.next_value_seed(HeldList::new(held))?,
            "bodies" => self.head.bodies = map.next_value_seed(HeldList::new(held))?,
            "history" => self.head.history = map.next_value_seed(HeldList::new(held))?,
            _ => self.head.templates = map.next_value_seed(HeldList::new(held))?,
        }
        Ok(())
    }

    /// Reads the next record of a list within its budget.
    fn next_held<'de, A: SeqAccess<'de>, T: de::Deserialize<'de>>(
        &self,
        seq: &mut A,
    ) -> Result<Option<T>, A::Error> {
        let limit = crate::limits::record_bytes();
        self.budget.start(Held::Record, limit, limit as u64);
        let next = seq.next_element::<T>();
        self.budget.end();
        next
    }
}

/// A list of the head read one element at a time, each counted by what it holds in memory
/// (crate::interchange::held): past [`crate::limits::lists_bytes`] for the lists together, the element
/// that went over is refused, the error naming it (`agencies[2562620]`). The file's bytes are
/// bounded too ([`Budget`]), so that no one element is read far past the limit.
struct HeldList<'h, T> {
    held: &'h mut usize,
    of: PhantomData<T>,
}

impl<'h, T> HeldList<'h, T> {
    fn new(held: &'h mut usize) -> Self {
        HeldList {
            held,
            of: PhantomData,
        }
    }

    /// One record (`ward`), not a list.
    fn one(held: &'h mut usize) -> Counting<'h, T> {
        Counting {
            held,
            of: PhantomData,
        }
    }
}

/// Counts what `record` holds, in its list (whose room may double as it grows).
fn count_held<T: HeldBytes, E: de::Error>(held: &mut usize, record: &T) -> Result<(), E> {
    *held = held.saturating_add(record.held() + std::mem::size_of::<T>());
    let limit = crate::limits::lists_bytes();
    if *held > limit {
        return Err(E::custom(RecordTooLarge(Held::Lists, limit)));
    }
    Ok(())
}

impl<'de, T: de::Deserialize<'de> + HeldBytes> DeserializeSeed<'de> for HeldList<'_, T> {
    type Value = Vec<T>;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: de::Deserialize<'de> + HeldBytes> Visitor<'de> for HeldList<'_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(record) = seq.next_element_seed(Counting {
            held: &mut *self.held,
            of: PhantomData,
        })? {
            out.push(record);
        }
        Ok(out)
    }
}

/// One element of a [`HeldList`], counted as soon as it is read (its error is its own).
struct Counting<'h, T> {
    held: &'h mut usize,
    of: PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de> + HeldBytes> DeserializeSeed<'de> for Counting<'_, T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let record = T::deserialize(deserializer)?;
        count_held(self.held, &record)?;
        Ok(record)
    }
}

/// A record of a list handed on as soon as it is read: the cases, the meetings (each with
/// its entries counted together: crate::limits) and the document's changes.
trait Streamed<'de>: de::Deserialize<'de> {
    /// What the list is, as serde's "expected …" says it (translated: `i18n::library`).
    fn expecting_list(f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn send<S: Sink, E: de::Error>(self, state: &mut State<'_, S>) -> Result<(), E>;
}

impl<'de> Streamed<'de> for Counted<CaseRecord> {
    fn expecting_list(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of cases")
    }
    fn send<S: Sink, E: de::Error>(self, state: &mut State<'_, S>) -> Result<(), E> {
        state.send_case(self.0)
    }
}

impl<'de> Streamed<'de> for Counted<MeetingRecord> {
    fn expecting_list(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of meetings")
    }
    fn send<S: Sink, E: de::Error>(self, state: &mut State<'_, S>) -> Result<(), E> {
        state.send_meeting(self.0)
    }
}

impl<'de> Streamed<'de> for RecordedText {
    fn expecting_list(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of recorded texts")
    }
    fn send<S: Sink, E: de::Error>(self, state: &mut State<'_, S>) -> Result<(), E> {
        state.send_recorded(self)
    }
}

impl<'de> Streamed<'de> for ChangeRecord {
    fn expecting_list(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of changes")
    }
    fn send<S: Sink, E: de::Error>(self, state: &mut State<'_, S>) -> Result<(), E> {
        state.send_change(self)
    }
}

/// A list of records of kind `T`, each read within its budget and handed on.
struct Each<'s, 'a, S: Sink, T>(&'s mut State<'a, S>, PhantomData<T>);

impl<'s, 'a, S: Sink, T> Each<'s, 'a, S, T> {
    fn of(state: &'s mut State<'a, S>) -> Self {
        Each(state, PhantomData)
    }
}

impl<'de, S: Sink, T: Streamed<'de>> DeserializeSeed<'de> for Each<'_, '_, S, T> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink, T: Streamed<'de>> Visitor<'de> for Each<'_, '_, S, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::expecting_list(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = self.0.next_held::<A, T>(&mut seq)? {
            record.send(self.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::parse_json;

    /// Keeps what it is handed, and counts restarts.
    #[derive(Default)]
    struct Keep {
        doc: Document,
        restarts: usize,
        /// Meetings handed on before the head was: must stay 0.
        early: usize,
        head: bool,
    }

    impl Sink for Keep {
        type Error = String;
        fn head(&mut self, head: &Document) -> Result<(), String> {
            self.head = true;
            let meetings = std::mem::take(&mut self.doc.meetings);
            self.doc = head.clone();
            self.doc.meetings = meetings;
            Ok(())
        }
        fn case(&mut self, index: usize, c: CaseRecord) -> Result<(), String> {
            assert!(self.head, "a case before the head");
            assert!(self.doc.meetings.is_empty(), "a case after a meeting");
            assert_eq!(index, self.doc.cases.len());
            self.doc.cases.push(c);
            Ok(())
        }
        fn meeting(&mut self, index: usize, m: MeetingRecord) -> Result<(), String> {
            if !self.head {
                self.early += 1;
            }
            assert_eq!(index, self.doc.meetings.len());
            self.doc.meetings.push(m);
            Ok(())
        }
        fn change(&mut self, index: usize, c: ChangeRecord) -> Result<(), String> {
            assert_eq!(index, self.doc.changes.len());
            self.doc.changes.push(c);
            Ok(())
        }
        fn recorded(&mut self, index: usize, r: RecordedText) -> Result<(), String> {
            assert_eq!(index, self.doc.recorded.len());
            self.doc.recorded.push(r);
            Ok(())
        }
        fn tail(&mut self, tail: &Document) -> Result<(), String> {
            self.doc.templates.extend(tail.templates.iter().cloned());
            Ok(())
        }
        fn restart(&mut self) -> Result<(), String> {
            self.restarts += 1;
            self.doc = Document::default();
            self.head = false;
            Ok(())
        }
    }

    fn read(text: &str) -> Result<Keep, String> {
        let bytes = text.as_bytes().to_vec();
        let open = move || -> std::io::Result<Box<dyn Read>> {
            Ok(Box::new(std::io::Cursor::new(bytes.clone())))
        };
        let mut keep = Keep::default();
        let mut uids = check::Uids::default();
        match read_json(&open, &mut uids, &mut keep) {
            Ok(()) => Ok(keep),
            Err(Failure::Invalid(e)) => Err(e),
            Err(Failure::Sink(e)) => Err(e),
        }
    }

    const DOC: &str = r#"{ "format": "renkei/1",
        "bodies": [ { "name": "A" } ],
        "meetings": [ { "body": "A", "date": "2026-12-01" }, { "body": "A", "date": "2026-12-02" } ],
        "templates": [ { "kind": "支援会議", "items": [ { "title": "開会" } ] } ] }"#;

    #[test]
    fn a_document_in_export_order_is_read_once() {
        let keep = read(DOC).unwrap();
        assert_eq!(keep.restarts, 0);
        assert_eq!(keep.early, 0);
        assert_eq!(keep.doc, parse_json(DOC).unwrap());
    }

    #[test]
    fn bodies_after_the_meetings_are_read_first_on_a_second_reading() {
        let text = r#"{ "meetings": [ { "body": "A", "date": "2026-12-01" } ],
            "format": "renkei/1", "bodies": [ { "name": "A" } ] }"#;
        let keep = read(text).unwrap();
        assert_eq!(keep.restarts, 1);
        assert_eq!(keep.doc, parse_json(text).unwrap());
        let late = r#"{ "format": "renkei/1", "meetings": [ { "body": "A", "date": "2026-12-01" } ],
            "bodies": [ { "name": "A" } ] }"#;
        let keep = read(late).unwrap();
        assert_eq!(keep.restarts, 1);
        assert_eq!(keep.early, 0);
        assert_eq!(keep.doc, parse_json(late).unwrap());
    }

    #[test]
    fn errors_are_said_as_a_document_read_whole_says_them() {
        for text in [
            r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
                "meetings": [ { "body": "A", "date": "2026-12-01" }, { "body": "A", "date": "2026-12-02", "confidental": true } ] }"#,
            r#"{ "format": "renkei/2", "cases": [] }"#,
            r#"{ "cases": [], "format": "renkei/2" }"#,
            r#"{ "format": "renkei/1" } {"#,
            r#"{ "format": "renkei/1", "bodys": [] }"#,
            r#"{ "format": "renkei/1", "bodies": [ { "name": "A", "personal_info": "yes" } ] }"#,
            r#"{ "format": "renkei/1", "bodies": [], "bodies": [] }"#,
            r#"{ "format": "other/2", "bodies": [] }"#,
            r#"{ "bodies": [] }"#,
            r#"{ "format": "renkei/1", "meetings": [ { "body": "A", "date": "2026-02-30" } ] }"#,
            r#"{ "format": "renkei/1", "meetings": [ { "body": "A", "date": "2026-12-01",
                 "agenda": [ { "title": "x", "notes": "ok\u0000hidden" } ] } ] }"#,
            "{\n  \"format\": \"renkei/1\",\n  \"bodies\": [\n    { \"name\": \"A\", }\n  ]\n}\n",
        ] {
            let whole = parse_json(text).unwrap_err();
            let streamed = read(text).map(|_| ()).unwrap_err();
            // A reader counts the column of an error one byte further than a string does.
            assert_eq!(without_column(&streamed), without_column(&whole), "{text}");
        }
    }

    fn without_column(message: &str) -> String {
        let mut out = String::new();
        let mut rest = message;
        while let Some(i) = rest.find("column ") {
            out.push_str(&rest[..i + 7]);
            rest = rest[i + 7..].trim_start_matches(|c: char| c.is_ascii_digit());
        }
        out.push_str(rest);
        out
    }

    /// A document of `n` cases (a household of two each) and a meeting discussing the first,
    /// and where each case ends in the text.
    fn many_cases(n: usize) -> (String, Vec<usize>) {
        let mut text = String::from(
            r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
  "cases": [
"#,
        );
        let mut ends = Vec::with_capacity(n);
        for i in 0..n {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(
                r#"    {{ "id": "c{i}", "pseudonym": "第{i}世帯", "status": "active", "risk": "high",
      "policy": "週1回の訪問で見守りを続け、月末の会議で様子を共有する（{i}）。",
      "members": [ {{ "relation": "本人", "name": "山田 花子{i}" }}, {{ "relation": "子", "name": "山田 健太{i}" }} ] }}"#
            ));
            ends.push(text.len());
        }
        text.push_str(
            r#"
  ],
  "meetings": [ { "body": "A", "date": "2026-12-01", "cases": [ { "case": "c0" } ] } ] }"#,
        );
        (text, ends)
    }

    /// Serves `text`, counting the bytes handed out so far.
    struct Counting {
        text: Rc<Vec<u8>>,
        at: usize,
        read: Rc<Cell<usize>>,
    }

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.text.len() - self.at);
            buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
            self.at += n;
            self.read.set(self.read.get() + n);
            Ok(n)
        }
    }

    /// Opens `text` through a [`Counting`] reader, and how far it read.
    fn counting(text: String) -> (impl Fn() -> std::io::Result<Box<dyn Read>>, Rc<Cell<usize>>) {
        let text = Rc::new(text.into_bytes());
        let read = Rc::new(Cell::new(0));
        let counted = Rc::clone(&read);
        let open = move || -> std::io::Result<Box<dyn Read>> {
            counted.set(0);
            Ok(Box::new(Counting {
                text: Rc::clone(&text),
                at: 0,
                read: Rc::clone(&counted),
            }))
        };
        (open, read)
    }

    /// The most the reader was past the end of a record when it was handed on.
    fn most_ahead(at: &[usize], ends: &[usize]) -> usize {
        at.iter()
            .zip(ends)
            .map(|(at, end)| at.saturating_sub(*end))
            .max()
            .unwrap_or(0)
    }

    /// Notes how far the reader was when each case was handed on, and keeps nothing.
    struct Ahead {
        read: Rc<Cell<usize>>,
        at_case: Vec<usize>,
        meetings: usize,
    }

    impl Sink for Ahead {
        type Error = String;
        fn head(&mut self, _: &Document) -> Result<(), String> {
            Ok(())
        }
        fn case(&mut self, index: usize, _: CaseRecord) -> Result<(), String> {
            assert_eq!(index, self.at_case.len());
            self.at_case.push(self.read.get());
            Ok(())
        }
        fn meeting(&mut self, _: usize, _: MeetingRecord) -> Result<(), String> {
            self.meetings += 1;
            Ok(())
        }
        fn change(&mut self, _: usize, _: ChangeRecord) -> Result<(), String> {
            Ok(())
        }
        fn recorded(&mut self, _: usize, _: RecordedText) -> Result<(), String> {
            Ok(())
        }
        fn tail(&mut self, _: &Document) -> Result<(), String> {
            Ok(())
        }
        fn restart(&mut self) -> Result<(), String> {
            Err("read again".to_owned())
        }
    }

    /// Attack-2 finding 5: the cases were read whole with the head (a city's tens of thousands
    /// held at once). Each is handed on as soon as it is read, the reader at most its buffer
    /// past it.
    #[test]
    fn each_case_is_handed_on_before_the_reader_goes_far_past_it() {
        let (text, ends) = many_cases(3000);
        let len = text.len();
        assert!(len > 8 * BUFFER, "a file of {len} bytes");
        let (open, read) = counting(text);
        let mut sink = Ahead {
            read: Rc::clone(&read),
            at_case: Vec::new(),
            meetings: 0,
        };
        let mut uids = check::Uids::default();
        assert!(read_json(&open, &mut uids, &mut sink).is_ok());
        assert_eq!(sink.at_case.len(), 3000);
        assert_eq!(sink.meetings, 1);
        let most = most_ahead(&sink.at_case, &ends);
        assert!(most <= BUFFER + 16, "read {most} bytes ahead of a case");
    }

    #[test]
    fn streamed_cases_are_the_documents_and_checked_as_a_whole_document_is() {
        let (text, _) = many_cases(50);
        let keep = read(&text).unwrap();
        assert_eq!(keep.restarts, 0);
        assert_eq!(keep.doc.cases.len(), 50);
        assert_eq!(keep.doc, parse_json(&text).unwrap());
        // Cases after the meetings, the bodies and the format last: read in three passes, the
        // cases before the meetings.
        let sorted = reordered_keys(&text);
        assert!(sorted.find("\"cases\"") > sorted.find("\"meetings\""));
        let keep = read(&sorted).unwrap();
        assert_eq!(keep.restarts, 1);
        assert_eq!(keep.doc, parse_json(&sorted).unwrap());
        // A case's fault is named by its path, a pseudonym given twice too, as read whole.
        for (from, to) in [
            ("\"risk\": \"high\"", "\"risk\": \"very\""),
            ("第7世帯", "第3世帯"),
        ] {
            let bad = text.replacen(from, to, if from.starts_with('"') { 8 } else { 1 });
            let bad = if from.starts_with('"') {
                bad.replacen(to, from, 7)
            } else {
                bad
            };
            let whole = parse_json(&bad).unwrap_err();
            assert!(whole.starts_with("cases["), "{whole}");
            assert_eq!(read(&bad).map(|_| ()).unwrap_err(), whole);
        }
    }

    /// The document with its top-level keys in reverse order.
    fn reordered_keys(text: &str) -> String {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let map = doc.as_object().unwrap();
        let mut keys: Vec<&String> = map.keys().collect();
        keys.reverse();
        let fields: Vec<String> = keys
            .iter()
            .map(|k| format!("{}: {}", serde_json::to_string(k).unwrap(), map[*k]))
            .collect();
        format!("{{ {} }}", fields.join(",\n"))
    }

    /// Notes how far the reader was when each change was handed on, and keeps nothing.
    struct Changes {
        read: Rc<Cell<usize>>,
        at_change: Vec<usize>,
    }

    impl Sink for Changes {
        type Error = String;
        fn head(&mut self, _: &Document) -> Result<(), String> {
            Ok(())
        }
        fn case(&mut self, _: usize, _: CaseRecord) -> Result<(), String> {
            Ok(())
        }
        fn meeting(&mut self, _: usize, _: MeetingRecord) -> Result<(), String> {
            Ok(())
        }
        fn change(&mut self, index: usize, _: ChangeRecord) -> Result<(), String> {
            assert_eq!(index, self.at_change.len());
            self.at_change.push(self.read.get());
            Ok(())
        }
        fn recorded(&mut self, _: usize, _: RecordedText) -> Result<(), String> {
            Ok(())
        }
        fn tail(&mut self, _: &Document) -> Result<(), String> {
            Ok(())
        }
        fn restart(&mut self) -> Result<(), String> {
            Err("read again".to_owned())
        }
    }

    /// Attack-4 finding 8: the document's changes were read whole before the first was written.
    #[test]
    fn each_change_is_handed_on_before_the_reader_goes_far_past_it() {
        let mut text = String::from(
            r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ], "meetings": [], "changes": ["#,
        );
        let mut ends = Vec::new();
        for i in 0..6000 {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                r#"{{ "at": "2026-06-01T10:00:00+09:00", "by": "sato", "entity": "note", "field": "text", "old": "前の文（{i}）", "new": "後の文（{i}）" }}"#
            ));
            ends.push(text.len());
        }
        text.push_str("] }");
        assert!(text.len() > 8 * BUFFER, "a file of {} bytes", text.len());
        let (open, read) = counting(text);
        let mut sink = Changes {
            read: Rc::clone(&read),
            at_change: Vec::new(),
        };
        let mut uids = check::Uids::default();
        assert!(read_json(&open, &mut uids, &mut sink).is_ok());
        assert_eq!(sink.at_change.len(), 6000);
        let most = most_ahead(&sink.at_change, &ends);
        assert!(most <= BUFFER + 16, "read {most} bytes ahead of a change");
    }

    /// The changes name meetings: a list of them before the meetings is written after them, in a
    /// fourth reading of its own, as a document read whole has them.
    #[test]
    fn changes_before_the_meetings_are_read_after_them() {
        let text = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
            "changes": [ { "at": "2026-06-01T10:00:00+09:00", "entity": "note", "field": "text", "new": "x" } ],
            "meetings": [ { "body": "A", "date": "2026-12-01" } ],
            "templates": [ { "kind": "支援会議", "items": [ { "title": "開会" } ] } ] }"#;
        let keep = read(text).unwrap();
        assert_eq!(keep.restarts, 1);
        assert_eq!(keep.doc, parse_json(text).unwrap());
        assert_eq!(keep.doc.changes.len(), 1);
        // After the meetings, in one reading.
        let after = r#"{ "format": "renkei/1", "bodies": [ { "name": "A" } ],
            "meetings": [ { "body": "A", "date": "2026-12-01" } ],
            "changes": [ { "at": "2026-06-01T10:00:00+09:00", "entity": "note", "field": "text", "new": "x" } ] }"#;
        let keep = read(after).unwrap();
        assert_eq!(keep.restarts, 0);
        assert_eq!(keep.doc, parse_json(after).unwrap());
        // Keys reversed (the format last): the same document.
        let sorted = reordered_keys(text);
        let keep = read(&sorted).unwrap();
        assert_eq!(keep.doc, parse_json(&sorted).unwrap());
        // A change's fault is named by its path, as read whole.
        let bad = after.replace("2026-06-01T10:00:00+09:00", "yesterday");
        let whole = parse_json(&bad).unwrap_err();
        assert!(whole.starts_with("changes[0]"), "{whole}");
        assert_eq!(read(&bad).map(|_| ()).unwrap_err(), whole);
    }

    #[test]
    fn a_uid_given_twice_in_two_meetings_is_refused() {
        let uid = "01a23261-1713-7c43-8976-57a0cef61b2a";
        let text = format!(
            r#"{{ "format": "renkei/1", "bodies": [ {{ "name": "A" }} ],
            "meetings": [ {{ "body": "A", "date": "2026-12-01", "actions": [ {{ "uid": "{uid}", "text": "a" }} ] }},
                          {{ "body": "A", "date": "2026-12-02", "actions": [ {{ "uid": "{uid}", "text": "b" }} ] }} ] }}"#
        );
        let err = read(&text).map(|_| ()).unwrap_err();
        assert_eq!(err, parse_json(&text).unwrap_err());
        assert!(err.starts_with("meetings[1].actions[0].uid"), "{err}");
    }
}
