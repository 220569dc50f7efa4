//! What an import holds in memory as its file grows (issue 21: every command under 64 MB
//! whatever the data): the heap of the process is counted by the allocator of this test binary
//! (SQLite's own page cache is not in it: it is bounded by the import's cache size), and an
//! import of ten times the rows must not hold more than a bounded constant more — plus, for a
//! CSV text, the text itself. One test, so that nothing else allocates meanwhile.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::TempDb;
use renkei::limits::{self, Lower};
use renkei::store::Store;
use renkei::store::import::ImportOptions;

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, size) };
        if !q.is_null() {
            if size >= layout.size() {
                let now =
                    NOW.fetch_add(size - layout.size(), Ordering::Relaxed) + size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                NOW.fetch_sub(layout.size() - size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most the heap grew over what it held before `run`.
fn peak_during<T>(run: impl FnOnce() -> T) -> (T, usize) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = run();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

const MB: usize = 1_000_000;

/// A meeting book of `rows` rows: 100 bodies meeting over the years, three agencies and an
/// issue each (attack report 7's script for finding 25).
fn book_rows(rows: usize) -> Vec<[String; 5]> {
    let first = chrono::NaiveDate::from_ymd_opt(2015, 4, 1).unwrap();
    (0..rows)
        .map(|i| {
            let body = i % 100;
            let date = first + chrono::Duration::days((i / 100) as i64);
            [
                date.format("%Y-%m-%d").to_string(),
                format!("会議体{body:03}"),
                format!("課{body:03}"),
                "機関A・機関B・機関C".to_owned(),
                format!("課題{}", i % 50),
            ]
        })
        .collect()
}

const BOOK_HEADER: [&str; 5] = ["開催日", "会議体", "主催者", "参加機関", "課題"];

fn csv_book(rows: usize) -> String {
    let mut text = BOOK_HEADER.join(",") + "\n";
    for row in book_rows(rows) {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

fn xlsx_book(rows: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in BOOK_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in book_rows(rows).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Imports `file` (creating the bodies it names) into a new database; the heap's growth.
fn import_growth(name: &str, bytes: &[u8]) -> usize {
    let db = TempDb::new();
    let path = db.file(name, bytes);
    let mut store: Store = db.open();
    let options = ImportOptions {
        create_bodies: true,
        ..ImportOptions::default()
    };
    let (summary, growth) = peak_during(|| store.import_with(&[path], &options));
    let summary = summary.unwrap();
    assert!(summary.meetings.added > 0, "{name}");
    growth
}

/// A document of one body and `n` entries of `recorded`, then `agencies` agencies.
fn document(recorded: usize, agencies: usize) -> String {
    let recorded: Vec<String> = (0..recorded)
        .map(|i| format!(r#"{{"text":"栗栖 {i:07}","kind":"attendee"}}"#))
        .collect();
    let agencies: Vec<String> = (0..agencies)
        .map(|i| format!(r#"{{"name":"機関{i:07}"}}"#))
        .collect();
    format!(
        r#"{{"format":"renkei/1","agencies":[{}],"bodies":[{{"name":"会議体A"}}],"meetings":[],"recorded":[{}]}}"#,
        agencies.join(","),
        recorded.join(",")
    )
}

fn json_growth(text: &str) -> Result<usize, String> {
    let db = TempDb::new();
    let path = db.file("doc.json", text.as_bytes());
    let mut store: Store = db.open();
    let (done, growth) = peak_during(|| store.import_with(&[path], &ImportOptions::default()));
    done.map(|_| growth).map_err(|e| e.to_string())
}

/// Attack report 7, findings 25, 10 and 24 (bounded memory). (Seen failing before, on the same
/// files: a CSV book held ~4 kB a row, its .xlsx form likewise; each `recorded` entry ~130
/// bytes; 60 MB of agencies held 446 MB, counted as 60.)
#[test]
fn an_import_holds_what_its_file_holds_in_a_bounded_amount() {
    // 25: a meeting book's rows are written as they are read. Ten times the rows may hold ten
    // times the text of a CSV (it is decoded whole), not the rows.
    let (small, large) = (csv_book(300), csv_book(3000));
    let grew = import_growth("large.csv", large.as_bytes())
        .saturating_sub(import_growth("small.csv", small.as_bytes()));
    let text = large.len() - small.len();
    assert!(
        grew < 2 * text + MB,
        "2 700 more rows held {grew} bytes more ({text} bytes more of text)"
    );
    // The same rows as a workbook: one row at a time.
    let grew = import_growth("large.xlsx", &xlsx_book(3000))
        .saturating_sub(import_growth("small.xlsx", &xlsx_book(300)));
    assert!(
        grew < 2 * MB,
        "2 700 more rows of a workbook held {grew} bytes more"
    );

    // 10: the people recorded are written as they are read.
    let small = json_growth(&document(3_000, 0)).unwrap();
    let large = json_growth(&document(30_000, 0)).unwrap();
    assert!(
        large.saturating_sub(small) < MB,
        "27 000 more recorded entries held {} bytes more",
        large.saturating_sub(small)
    );

    // 24: the lists before the meetings are bounded by what they hold, not by their bytes:
    // 300 000 agencies were 8.1 MB of file and about 90 MB held; refused at the one that went
    // over, naming it, having held no more than the limit and a bounded constant. With the
    // limit lowered to 8 MB (`limits::lowered`, this thread's only; the 64 MB of renkei's own
    // took 300 000 agencies and most of this binary's time), 40 000 agencies go over it as
    // 300 000 went over 64 MB, and the constant is the same: held as before the fix (about
    // seven times what was counted), 8 MB counted would be about 56 MB held.
    let lower = Lower {
        record: limits::MAX_RECORD_BYTES,
        lists: 8 * MB,
    };
    let agencies = document(0, 40_000);
    assert!(agencies.len() < 2 * MB);
    let db = TempDb::new();
    let path = db.file("agencies.json", agencies.as_bytes());
    let mut store: Store = db.open();
    let (done, growth) = limits::lowered(lower, || {
        peak_during(|| store.import_with(&[path], &ImportOptions::default()))
    });
    let err = done.unwrap_err().to_string();
    assert!(err.contains("agencies["), "{err}");
    assert!(err.contains("8 MB"), "{err}");
    assert!(
        growth < 8 * MB + 24 * MB,
        "held {growth} bytes before the refusal"
    );
    // Under the limit, the lists import as before.
    limits::lowered(lower, || json_growth(&document(0, 10_000))).unwrap();
}
