//! Reading interchange JSON on a thread of its own while the import writes: parsing a ward's
//! export (580 MB) and checking each record takes about 7 s of the import's 23, the writing
//! the rest, and a ward server has more than one core. The reading thread parses and checks
//! each record exactly as [`stream::read_json`] does — its uids asked of the import's set of
//! uids, which is a database of its own (`store::import::TempUids`), not the one written —
//! and hands it on; the writing thread writes it.
//!
//! Only a file that reads through in one pass and goes in whole is read this way. At the first
//! thing that goes otherwise — a fault in the file, a record the sink refuses, a uid given
//! twice, a file whose bodies come after its meetings — what was written is forgotten
//! ([`Sink::restart`], [`UidSet::clear`]) and the file is read again by
//! [`stream::read_json`], on one thread, which says what it always says: every error, and
//! every order of the records, is that reading's.
//!
//! Memory stays bounded as it is on one thread: the records on their way take at most
//! [`AHEAD_BYTES`] of the file between them (one at least, however large), beside the one
//! being written and the one being read.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Condvar, Mutex};

use super::check::UidSet;
use super::stream::{self, Failure, Sink};
use super::{CaseRecord, ChangeRecord, Document, MeetingRecord, RecordedText};

/// Opens the file, from the reading thread.
pub type SharedOpen<'a> = &'a (dyn Fn() -> std::io::Result<Box<dyn Read>> + Sync);

/// The bytes of the file the records read ahead and not yet written may take between them.
pub const AHEAD_BYTES: u64 = 512 * 1024;

/// The batches on their way at most (the bytes above bound them first).
const AHEAD_BATCHES: usize = 16;

/// A record read and checked. Moved, not boxed: each goes into its batch once, and a box a
/// record is an allocation more for each of a ward's 50 000 meetings.
#[allow(clippy::large_enum_variant)]
enum Record {
    Head(Document),
    Case(usize, CaseRecord),
    Meeting(usize, MeetingRecord),
    Change(usize, ChangeRecord),
    Recorded(usize, RecordedText),
    Tail(Document),
    /// The end of the file, read through.
    End,
}

/// Records sent together, and the bytes of the file they took.
type Batch = (Vec<Record>, u64);

/// The bytes of the records on their way (sent and not yet written), which the reader waits
/// on; whether the writer stopped; whether the reader waits.
#[derive(Default)]
struct Flight {
    state: Mutex<FlightState>,
    changed: Condvar,
}

#[derive(Default)]
struct FlightState {
    bytes: u64,
    stopped: bool,
    waiting: bool,
}

impl Flight {
    /// Waits until `bytes` more may go (always when nothing is on its way); false when the
    /// writer stopped.
    fn take(&self, bytes: u64) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        while !state.stopped && state.bytes > 0 && state.bytes + bytes > AHEAD_BYTES {
            state.waiting = true;
            match self.changed.wait(state) {
                Ok(s) => state = s,
                Err(_) => return false,
            }
        }
        state.waiting = false;
        if state.stopped {
            return false;
        }
        state.bytes += bytes;
        true
    }

    fn give_back(&self, bytes: u64) {
        if let Ok(mut state) = self.state.lock() {
            state.bytes = state.bytes.saturating_sub(bytes);
            if state.waiting {
                self.changed.notify_all();
            }
        }
    }

    fn stop(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.stopped = true;
            self.changed.notify_all();
        }
    }
}

/// Stops the reader when dropped.
struct Stopping<'f>(&'f Flight);

impl Drop for Stopping<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The reader's sink: each record sent to the writer, in batches (a wakeup of the writer a
/// record was a tenth of the import's time in the kernel).
struct Sender<'f> {
    to: SyncSender<Batch>,
    flight: &'f Flight,
    /// The bytes of the file read so far, and when the last record was sent.
    read: Rc<Cell<u64>>,
    sent_at: u64,
    batch: Vec<Record>,
    batch_bytes: u64,
}

/// The bytes of the file a batch of records holds before it is sent (or its records: a
/// meeting of a ward's export is about 12 kB).
pub const BATCH_BYTES: u64 = 128 * 1024;
const BATCH_RECORDS: usize = 64;

impl Sender<'_> {
    fn send(&mut self, record: Record) -> Result<(), ()> {
        let now = self.read.get();
        let bytes = now.saturating_sub(self.sent_at);
        self.sent_at = now;
        let end = matches!(record, Record::End);
        self.batch.push(record);
        self.batch_bytes += bytes;
        if end || self.batch_bytes >= BATCH_BYTES || self.batch.len() >= BATCH_RECORDS {
            let bytes = std::mem::take(&mut self.batch_bytes);
            if !self.flight.take(bytes) {
                return Err(());
            }
            let batch = std::mem::take(&mut self.batch);
            self.to.send((batch, bytes)).map_err(|_| ())?;
        }
        Ok(())
    }
}

impl Sink for Sender<'_> {
    type Error = ();

    fn head(&mut self, head: &Document) -> Result<(), ()> {
        self.send(Record::Head(head.clone()))
    }

    fn case(&mut self, index: usize, case: CaseRecord) -> Result<(), ()> {
        self.send(Record::Case(index, case))
    }

    fn meeting(&mut self, index: usize, meeting: MeetingRecord) -> Result<(), ()> {
        self.send(Record::Meeting(index, meeting))
    }

    fn change(&mut self, index: usize, change: ChangeRecord) -> Result<(), ()> {
        self.send(Record::Change(index, change))
    }

    fn recorded(&mut self, index: usize, entry: RecordedText) -> Result<(), ()> {
        self.send(Record::Recorded(index, entry))
    }

    fn tail(&mut self, tail: &Document) -> Result<(), ()> {
        self.send(Record::Tail(tail.clone()))
    }

    /// A second reading: left to the reading on one thread.
    fn restart(&mut self) -> Result<(), ()> {
        Err(())
    }
}

/// Counts the bytes read of the file.
struct Counted {
    inner: Box<dyn Read>,
    read: Rc<Cell<u64>>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// Reads a document from `open` as [`stream::read_json`] does, its parsing and checking (the
/// questions to `uids` too) on a thread of its own (see the module): the same records reach
/// `sink` in the same order, and whatever does not go through is read again on one thread,
/// which says why.
pub fn read_json<S: Sink>(
    open: SharedOpen,
    uids: &mut (dyn UidSet + Send),
    sink: &mut S,
) -> Result<(), Failure<S::Error>> {
    let flight = Flight::default();
    let through = std::thread::scope(|scope| {
        let (to, from) = sync_channel::<Batch>(AHEAD_BATCHES);
        let flight = &flight;
        // The reader checks the file under the limits this thread reads under.
        let lower = crate::limits::current();
        let reading = &mut *uids;
        let reader = std::thread::Builder::new()
            .name("renkei-read".into())
            .spawn_scoped(scope, move || {
                crate::limits::lowered(lower, || read_ahead(open, reading, to, flight))
            });
        // No thread to be had (the system's limit): the file is read on this one.
        let Ok(reader) = reader else {
            return false;
        };
        // However the writing ends (a panic too), the reader, waiting to send or reading on,
        // stops at its next record: the scope waits for it.
        let stopping = Stopping(flight);
        let written = write(&from, flight, sink);
        drop(stopping);
        drop(from);
        // A reader that panicked failed: the reading on one thread meets the same record.
        let read = reader.join().unwrap_or(false);
        written && read
    });
    if through {
        return Ok(());
    }
    sink.restart().map_err(Failure::Sink)?;
    uids.clear().map_err(Failure::Invalid)?;
    stream::read_json(open, uids, sink)
}

/// The reading thread: the file read in one pass, each record checked (its uids asked of
/// `uids`) and sent; whether it read through.
fn read_ahead(
    open: SharedOpen,
    uids: &mut dyn UidSet,
    to: SyncSender<Batch>,
    flight: &Flight,
) -> bool {
    let read = Rc::new(Cell::new(0));
    let counted = {
        let read = Rc::clone(&read);
        move || -> std::io::Result<Box<dyn Read>> {
            read.set(0);
            Ok(Box::new(Counted {
                inner: open()?,
                read: Rc::clone(&read),
            }))
        }
    };
    let mut sender = Sender {
        to,
        flight,
        read,
        sent_at: 0,
        batch: Vec::new(),
        batch_bytes: 0,
    };
    stream::read_json(&counted, uids, &mut sender).is_ok() && sender.send(Record::End).is_ok()
}

/// The writing thread: each record written; whether every record went through to the end of
/// the file.
fn write<S: Sink>(from: &Receiver<Batch>, flight: &Flight, sink: &mut S) -> bool {
    for (batch, bytes) in from.iter() {
        for record in batch {
            let written = match record {
                Record::Head(head) => sink.head(&head).is_ok(),
                Record::Case(index, case) => sink.case(index, case).is_ok(),
                Record::Meeting(index, meeting) => sink.meeting(index, meeting).is_ok(),
                Record::Change(index, change) => sink.change(index, change).is_ok(),
                Record::Recorded(index, entry) => sink.recorded(index, entry).is_ok(),
                Record::Tail(tail) => sink.tail(&tail).is_ok(),
                Record::End => return true,
            };
            if !written {
                return false;
            }
        }
        flight.give_back(bytes);
    }
    // The reader stopped without reaching the end.
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::interchange::check::{Kind, LinkAt, Uids};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use uuid::Uuid;

    /// Every call a reading makes of the sink, or of the set of uids, in order, and what the
    /// set answered.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<String>>>);

    impl Log {
        fn note(&self, line: String) {
            self.0.lock().unwrap().push(line);
        }

        fn lines(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
    }

    /// The real set, each question noted.
    struct LoggedUids(Uids, Log);

    impl UidSet for LoggedUids {
        fn insert(&mut self, kind: Kind, uid: Uuid) -> Result<Option<String>, String> {
            let held = self.0.insert(kind, uid);
            self.1.note(format!("uid {} {uid} {held:?}", kind.name()));
            held
        }
        fn insert_link(&mut self, uid: Uuid, at: LinkAt) -> Result<Option<String>, String> {
            let held = self.0.insert_link(uid, at);
            self.1.note(format!("link {uid} {at:?} {held:?}"));
            held
        }
        fn clear(&mut self) -> Result<(), String> {
            self.1.note("clear".into());
            self.0.clear()
        }
    }

    /// A sink that notes each record, refusing meeting `refuse`.
    struct LoggedSink {
        log: Log,
        refuse: Option<usize>,
    }

    impl Sink for LoggedSink {
        type Error = String;
        fn head(&mut self, head: &Document) -> Result<(), String> {
            self.log
                .note(format!("head {}", serde_json::to_string(head).unwrap()));
            Ok(())
        }
        fn case(&mut self, index: usize, case: CaseRecord) -> Result<(), String> {
            self.log.note(format!(
                "case {index} {}",
                serde_json::to_string(&case).unwrap()
            ));
            Ok(())
        }
        fn meeting(&mut self, index: usize, meeting: MeetingRecord) -> Result<(), String> {
            if self.refuse == Some(index) {
                return Err(format!("meetings[{index}]: refused"));
            }
            let json = serde_json::to_string(&meeting).unwrap();
            self.log.note(format!("meeting {index} {json}"));
            Ok(())
        }
        fn change(&mut self, index: usize, change: ChangeRecord) -> Result<(), String> {
            self.log.note(format!(
                "change {index} {}",
                serde_json::to_string(&change).unwrap()
            ));
            Ok(())
        }
        fn recorded(&mut self, index: usize, entry: RecordedText) -> Result<(), String> {
            self.log.note(format!(
                "recorded {index} {}",
                serde_json::to_string(&entry).unwrap()
            ));
            Ok(())
        }
        fn tail(&mut self, tail: &Document) -> Result<(), String> {
            self.log
                .note(format!("tail {}", serde_json::to_string(tail).unwrap()));
            Ok(())
        }
        fn restart(&mut self) -> Result<(), String> {
            self.log.note("restart".into());
            Ok(())
        }
    }

    /// What a reading said, and the calls that stand after it (those after its last restart:
    /// what the sink keeps) — of the sink, and of the set of uids (which the reading ahead asks
    /// on its own thread, ahead of the sink's calls).
    fn read(text: &str, ahead: bool, refuse: Option<usize>) -> (Result<(), String>, Calls) {
        let bytes = text.as_bytes().to_vec();
        let open = move || -> std::io::Result<Box<dyn Read>> {
            Ok(Box::new(std::io::Cursor::new(bytes.clone())))
        };
        let (sink_log, uid_log) = (Log::default(), Log::default());
        let mut uids = LoggedUids(Uids::default(), uid_log.clone());
        let mut sink = LoggedSink {
            log: sink_log.clone(),
            refuse,
        };
        let said = match ahead {
            true => read_json(&open, &mut uids, &mut sink),
            false => stream::read_json(&open, &mut uids, &mut sink),
        };
        let said = said.map_err(|e| match e {
            Failure::Invalid(e) | Failure::Sink(e) => e,
        });
        // The reading forgot what came before its last restart (the sink's) or clear (the
        // uids').
        let after = |lines: Vec<String>, word: &str| match lines.iter().rposition(|l| l == word) {
            Some(at) => lines[at + 1..].to_vec(),
            None => lines,
        };
        let calls = Calls {
            sink: after(sink_log.lines(), "restart"),
            uids: after(uid_log.lines(), "clear"),
        };
        (said, calls)
    }

    #[derive(Debug, PartialEq)]
    struct Calls {
        sink: Vec<String>,
        uids: Vec<String>,
    }

    fn meeting(i: usize, uid: &str, note: &str) -> String {
        format!(
            r#"{{ "uid": "{uid}", "body": "A", "date": "2026-{:02}-{:02}",
                 "attendees": [ {{ "uid": "0190a000-0000-7000-8000-{i:012}", "name": "福祉課", "agency": "福祉課" }} ],
                 "agenda": [ {{ "title": "報告", "notes": [ {{ "text": "{note}" }} ] }} ] }}"#,
            i % 12 + 1,
            i % 28 + 1,
        )
    }

    /// A ward's export in small: its head, cases, meetings with uids, changes, templates.
    fn export(meetings: usize, note: &str) -> String {
        let list: Vec<String> = (0..meetings)
            .map(|i| meeting(i, &format!("0190b000-0000-7000-8000-{i:012}"), note))
            .collect();
        format!(
            r#"{{ "format": "renkei/1",
                 "agencies": [ {{ "name": "福祉課" }} ],
                 "bodies": [ {{ "name": "A", "uid": "0190c000-0000-7000-8000-000000000001" }} ],
                 "cases": [ {{ "id": "c1", "pseudonym": "第1世帯" }} ],
                 "meetings": [ {} ],
                 "templates": [ {{ "kind": "支援会議", "items": [ {{ "title": "開会" }} ] }} ] }}"#,
            list.join(",\n")
        )
    }

    /// The reading on two threads gives the sink and the set of uids what the reading on one
    /// gives, call for call, in the same order — for renkei's own order and for every way a
    /// file goes otherwise, which is read again on one thread and said as that reading says it.
    #[test]
    fn the_reading_ahead_is_the_reading_on_one_thread() {
        let good = export(300, "見守りを続ける。");
        let twice = good.replacen(
            "0190b000-0000-7000-8000-000000000002",
            "0190b000-0000-7000-8000-000000000250",
            1,
        );
        let late_bodies = r#"{ "format": "renkei/1", "meetings": [ { "body": "A", "date": "2026-12-01" } ],
            "bodies": [ { "name": "A" } ] }"#;
        let cut = &good[..good.len() - 200];
        let misspelt = good.replacen(r#""title": "開会""#, r#""titel": "開会""#, 1);
        let cases: [(&str, &str, Option<usize>); 6] = [
            ("renkei's order", &good, None),
            ("a uid given twice", &twice, None),
            ("bodies after the meetings", late_bodies, None),
            ("cut short", cut, None),
            ("a misspelt field after the meetings", &misspelt, None),
            ("a meeting the sink refuses", &good, Some(120)),
        ];
        for (what, text, refuse) in cases {
            let one = read(text, false, refuse);
            let two = read(text, true, refuse);
            assert_eq!(two.0, one.0, "{what}");
            assert_eq!(two.1.sink.len(), one.1.sink.len(), "{what}");
            assert!(two.1.sink == one.1.sink, "{what}: the sink's calls differ");
            assert!(two.1.uids == one.1.uids, "{what}: the uids' calls differ");
        }
        let (said, calls) = read(&good, true, None);
        assert_eq!(said, Ok(()));
        let meetings = calls.sink.iter().filter(|c| c.starts_with("meeting "));
        assert_eq!(meetings.count(), 300);
        assert!(calls.sink.iter().all(|c| c != "restart"), "read once");
        // Each meeting's uid and its attendee's, asked by the reading thread.
        assert!(calls.uids.len() > 600, "{} questions", calls.uids.len());
        let (said, calls) = read(&twice, true, None);
        assert!(said.unwrap_err().contains("meetings[250]"));
        // The set said whose the uid was once (the reading on one thread, after the clear).
        let held = calls.uids.iter().filter(|c| c.contains("Ok(Some("));
        assert_eq!(held.count(), 1);
    }

    /// The reader stays within [`AHEAD_BYTES`] (and a batch, and its buffer) of the writer,
    /// however far behind the writer is: with a writer that takes nothing, it stops and waits
    /// instead of reading a file of eight times that to its end.
    #[test]
    fn the_reader_waits_for_the_writer_within_its_bytes() {
        let text = export(2000, &"見守り".repeat(400)).into_bytes();
        let len = text.len() as u64;
        assert!(len > 8 * AHEAD_BYTES, "a file of {len} bytes");
        let read = Arc::new(AtomicU64::new(0));
        struct Counting(std::io::Cursor<Vec<u8>>, Arc<AtomicU64>);
        impl Read for Counting {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.read(buf)?;
                self.1.fetch_add(n as u64, Ordering::SeqCst);
                Ok(n)
            }
        }
        let counted = Arc::clone(&read);
        let open = move || -> std::io::Result<Box<dyn Read>> {
            counted.store(0, Ordering::SeqCst);
            Ok(Box::new(Counting(
                std::io::Cursor::new(text.clone()),
                Arc::clone(&counted),
            )))
        };
        let flight = Flight::default();
        std::thread::scope(|scope| {
            let (to, from) = sync_channel::<Batch>(AHEAD_BATCHES);
            let flight = &flight;
            let reader = scope.spawn(move || read_ahead(&open, &mut Uids::default(), to, flight));
            // Nothing written: the reader goes until it must wait — within the bytes, or
            // past them (where one that never waits goes on to block on the full channel).
            // A batch may take its last record past the bytes (a meeting is under 4 kB here),
            // and the parser reads a buffer ahead.
            let most = AHEAD_BYTES + BATCH_BYTES + 64 * 1024 + 8 * 1024;
            while !reader.is_finished()
                && !flight.state.lock().unwrap().waiting
                && read.load(Ordering::SeqCst) <= most
            {
                std::thread::yield_now();
            }
            let ahead = read.load(Ordering::SeqCst);
            assert!(ahead <= most, "read {ahead} of {len} bytes without waiting");
            assert!(!reader.is_finished(), "read {ahead} of {len} bytes");
            // Written, the batches let the reader go on to the end.
            let mut meetings = 0;
            let mut end = false;
            for (batch, bytes) in from.iter() {
                for record in batch {
                    meetings += usize::from(matches!(record, Record::Meeting(..)));
                    end |= matches!(record, Record::End);
                }
                flight.give_back(bytes);
            }
            assert!(reader.join().unwrap());
            assert_eq!((meetings, end), (2000, true));
        });
    }
}
