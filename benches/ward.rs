//! renkei at ward scale: every budget of the README's Performance table measured on the large set
//! (see `large/mod.rs`), generated once per run. `cargo bench --bench ward -- tui/` runs one group.
//!
//! Budgets (release build, the 2-core machine): first frame < 50 ms; navigation keystroke
//! < 2 ms; filter keystroke < 10 ms; durable capture within 1.5x of a bare INSERT + COMMIT;
//! minutes of one meeting < 1 ms; annual report < 200 ms.

mod large;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use large::{LargeSet, char_key, clock, first_frame, key};
use renkei::domain::calendar::fiscal_year_of;
use renkei::domain::frequency;
use renkei::domain::model::{EntryKind, MeetingStatus};
use renkei::domain::schedule::{self, KnownMeeting, MeetingState};
use renkei::i18n::Lang;
use renkei::store::{Encoding, Store};
use renkei::tui;
use renkei::upcoming::{self, GroupBy};

fn bench(c: &mut Criterion) {
    let set = LargeSet::generate();
    schedule_benches(c, &set);
    tui_benches(c, &set);
    minutes_benches(c, &set);
    report_benches(c, &set);
    listing_benches(c, &set);
    search_benches(c, &set);
    capture_benches(c, &set);
    import_benches(c, &set);
}

/// The listings of the whole history as the commands write them (to nowhere): `renkei meetings`
/// (every meeting: a table measured, then written as it is read again), `renkei actions` (every
/// next action, ten years of them) as a table and as JSON.
fn listing_benches(c: &mut Criterion, set: &LargeSet) {
    let mut g = c.benchmark_group("listing");
    g.sample_size(10);
    for (name, args) in [
        ("meetings_table", &["meetings"][..]),
        ("actions_table", &["actions"][..]),
        ("actions_json", &["actions", "--format", "json"][..]),
    ] {
        g.bench_function(name, |b| b.iter(|| large::command(set, args)));
    }
    g.finish();
}

/// Frequency parsing and the expected meetings of every body over a year (pure, from the
/// meetings in memory), and the same list as `renkei upcoming --days 365` reads it from the store.
fn schedule_benches(c: &mut Criterion, set: &LargeSet) {
    let store = set.open();
    let today = store.clock().today();
    let bodies = store.bodies().unwrap();
    let texts: Vec<String> = bodies.iter().map(|b| b.record.frequency.clone()).collect();
    let mut known: HashMap<i64, Vec<KnownMeeting>> = HashMap::new();
    for m in store.known_meetings().unwrap() {
        known.entry(m.body_id).or_default().push(KnownMeeting {
            id: m.id,
            date: m.date,
            state: match m.status {
                MeetingStatus::Planned => MeetingState::Planned,
                MeetingStatus::Held => MeetingState::Held,
                MeetingStatus::Cancelled => MeetingState::Cancelled,
            },
        });
    }
    let parsed: Vec<(frequency::Frequency, Vec<KnownMeeting>)> = bodies
        .iter()
        .map(|b| {
            (
                frequency::parse(&b.record.frequency),
                known.remove(&b.id).unwrap_or_default(),
            )
        })
        .collect();
    let mut g = c.benchmark_group("schedule");
    g.bench_function("parse_500_frequencies", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| frequency::parse(black_box(t)))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("year_of_500_bodies", |b| {
        b.iter(|| {
            parsed
                .iter()
                .map(|(f, m)| schedule::upcoming_for_body(f, black_box(m), today, 365, today))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("upcoming_list_from_store_60_days", |b| {
        b.iter(|| upcoming::listing(&store, today, 60, today, GroupBy::Date).unwrap())
    });
    g.finish();
}

fn tui_benches(c: &mut Criterion, set: &LargeSet) {
    let mut g = c.benchmark_group("tui");
    // Closing the database (its checkpoint) is not part of starting: dropped outside the timing.
    g.bench_function("open_and_first_frame", |b| {
        b.iter_with_large_drop(|| first_frame(set))
    });

    let (mut store, mut app, mut terminal, mut follow) = first_frame(set);
    let (down, up) = (char_key('j'), char_key('k'));
    let mut flip = false;
    // One keystroke as the event loop takes it: follow the others, handle, draw.
    g.bench_function("navigation_keystroke", |b| {
        b.iter(|| {
            flip = !flip;
            follow.tick(&mut app, &mut store);
            tui::handle(&mut app, &mut store, if flip { &down } else { &up });
            terminal.draw(|f| tui::draw(f, &app)).unwrap();
        })
    });
    // A keystroke with the detail pane following at once (as when the keys pause).
    g.bench_function("navigation_keystroke_with_the_detail_pane", |b| {
        b.iter(|| {
            flip = !flip;
            tui::handle(&mut app, &mut store, if flip { &down } else { &up });
            app.settle_detail();
            terminal.draw(|f| tui::draw(f, &app)).unwrap();
        })
    });

    tui::handle(&mut app, &mut store, &char_key('/'));
    terminal.draw(|f| tui::draw(f, &app)).unwrap();
    let (typed, erased) = (char_key('支'), key(KeyCode::Backspace));
    let mut flip = false;
    // Typing 支 narrows the whole list, the backspace widens it again: both are one keystroke.
    g.bench_function("filter_keystroke_japanese", |b| {
        b.iter(|| {
            flip = !flip;
            follow.tick(&mut app, &mut store);
            tui::handle(&mut app, &mut store, if flip { &typed } else { &erased });
            terminal.draw(|f| tui::draw(f, &app)).unwrap();
        })
    });
    tui::handle(&mut app, &mut store, &key(KeyCode::Esc));
    large::actions_benches(&mut g, &mut store, &mut app, &mut terminal);
    g.finish();
}

/// The held meeting with the most captured rows in the last fiscal year.
fn busiest_meeting(store: &Store) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT m.id FROM meetings m WHERE m.status = 'held'
             ORDER BY (SELECT COUNT(*) FROM attendees a WHERE a.meeting_id = m.id)
                    + (SELECT COUNT(*) FROM next_actions n WHERE n.meeting_id = m.id) DESC, m.date DESC
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn minutes_benches(c: &mut Criterion, set: &LargeSet) {
    let store = set.open();
    let id = busiest_meeting(&store);
    let options = renkei::minutes::Options {
        lang: Lang::Ja,
        redact: false,
    };
    let mut g = c.benchmark_group("minutes");
    // What the minutes screen and `renkei minutes ID` do: read the meeting, render it.
    g.bench_function("one_meeting_from_the_large_set", |b| {
        b.iter(|| {
            let input = store.minutes_input(black_box(id)).unwrap().unwrap();
            renkei::minutes::render(&input, &options)
        })
    });
    g.finish();
}

/// `renkei report --fiscal-year Y` for the last whole fiscal year (about 5 000 meetings held),
/// as Markdown; and beside the year before (`--compare`).
fn report_benches(c: &mut Criterion, set: &LargeSet) {
    let store = set.open();
    let today = store.clock().today();
    let year = fiscal_year_of(today) - 1;
    let mut g = c.benchmark_group("report");
    g.sample_size(20);
    for (name, compare) in [("annual", vec![]), ("annual_with_compare", vec![year - 1])] {
        let mut options = renkei::report::Options::new(Lang::Ja, year, today);
        options.compare = compare;
        g.bench_function(name, |b| {
            b.iter(|| {
                let report = store.report(&options).unwrap();
                renkei::report::markdown::render(&report)
            })
        });
    }
    g.finish();
}

/// `Store::search` (as `renkei search` and the screens' `/` call it), 50 hits newest first: words
/// the trigram index finds, words of one or two characters read newest first until 50 are found,
/// and the worst case, a character that occurs nowhere (every doc is read).
fn search_benches(c: &mut Criterion, set: &LargeSet) {
    use renkei::store::search::SearchFilters;
    let store = set.open();
    let today = store.clock().today();
    let mut g = c.benchmark_group("search");
    g.sample_size(20);
    let all = SearchFilters::default();
    for (name, query) in [
        ("trigram_frequent", "支援会議"),
        ("trigram_words", "ゴミ屋敷 生活保護"),
        ("trigram_absent", "見つからない言葉"),
        ("two_chars_frequent", "支援"),
        ("two_chars_issue", "孤立"),
        ("one_char_absent", "鬱"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| store.search(black_box(query), &all, 50).unwrap())
        });
    }
    // One body over one fiscal year, as a facilitator narrows it.
    let body = store.bodies().unwrap()[0].id;
    let year = fiscal_year_of(today) - 1;
    let narrow = SearchFilters {
        bodies: vec![body],
        from: Some(renkei::domain::calendar::fiscal_year_start(year)),
        to: Some(renkei::domain::calendar::fiscal_year_end(year)),
    };
    for (name, query) in [
        ("body_year_two_chars", "孤立"),
        ("body_year_trigram", "支援会議"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| store.search(black_box(query), &narrow, 50).unwrap())
        });
    }
    g.finish();
}

/// One capture committed durably through the store, against the same INSERT + COMMIT on a bare
/// connection with the store's pragmas (WAL, synchronous=FULL, foreign keys), into the same table
/// of the same database.
fn capture_benches(c: &mut Criterion, set: &LargeSet) {
    let mut store = set.open();
    let item: i64 = store
        .conn()
        .query_row(
            "SELECT i.id FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id
             ORDER BY m.date DESC, i.position LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let text = "地域包括支援センターより、見守りの体制について経過の報告があった。";
    let cleanup = Connection::open(&set.path).unwrap();
    cleanup.busy_timeout(Duration::from_secs(10)).unwrap();
    let first: i64 = cleanup
        .query_row("SELECT COALESCE(MAX(id), 0) FROM agenda_entries", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The benches' captures removed: W's rows again.
    let removed = || {
        cleanup
            .execute("DELETE FROM agenda_entries WHERE id > ?1", [first])
            .unwrap();
    };
    let mut g = c.benchmark_group("capture");
    g.sample_size(50).measurement_time(Duration::from_secs(10));
    // Each capture is made in the meeting as the set holds it: the store counts a meeting's
    // entries before and after each capture (the bound of `limits::MAX_ENTRIES`), so thousands
    // of captures piled into one meeting would measure a meeting of thousands of entries, not a
    // real one of tens. The capture made is removed after it, untimed.
    g.bench_function("store_add_entry", |b| {
        b.iter_batched(
            &removed,
            |()| {
                store
                    .add_entry(item, EntryKind::Note, black_box(text))
                    .unwrap()
            },
            criterion::BatchSize::PerIteration,
        )
    });
    drop(store);

    let mut conn = Connection::open(&set.path).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let now = clock().now().to_rfc3339();
    g.bench_function("bare_insert_commit", |b| {
        b.iter_batched(
            &removed,
            |()| {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            tx.prepare_cached(
                "INSERT INTO agenda_entries (item_id, kind, text, created_by, created_at, updated_at)
                 VALUES (?1, 'note', ?2, 'bench', ?3, ?3)",
            )
            .unwrap()
            .execute(params![item, black_box(text), now])
            .unwrap();
            tx.commit().unwrap();
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
    // The set as it was for the benches after these: W's meetings, not one of thousands of
    // entries (its export would be refused by the import's bound of entries a meeting).
    removed();
}

/// The whole large set exported as interchange JSON, then imported into an empty database (the
/// way a ward moves its records to a new server).
fn import_benches(c: &mut Criterion, set: &LargeSet) {
    let store = set.open();
    let json = set.dir.path().join("ward.json");
    let mut g = c.benchmark_group("import");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(60))
        .warm_up_time(Duration::from_millis(1));
    // As `renkei export -o FILE` writes it: streamed, one meeting at a time.
    g.bench_function("export_json", |b| {
        b.iter(|| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&json).unwrap());
            store.write_export(&mut out).unwrap();
        })
    });
    drop(store);
    let mut n = 0;
    g.bench_function("import_json_into_empty_database", |b| {
        b.iter_batched(
            || {
                // Each import writes a database as large as the set: keep only the last one.
                for suffix in ["", "-wal", "-shm"] {
                    let old = set.dir.path().join(format!("import-{n}.db{suffix}"));
                    let _ = std::fs::remove_file(old);
                }
                n += 1;
                let path = set.dir.path().join(format!("import-{n}.db"));
                Store::open(&path, clock()).unwrap()
            },
            |mut store| {
                store
                    .import_files(std::slice::from_ref(&json), Encoding::Utf8)
                    .unwrap();
                store
            },
            BatchSize::PerIteration,
        )
    });
    // The same file again into the database it was just imported into: every record is there
    // and unchanged (a ward's export imported twice, or into the server it came from), so
    // nothing is written and the search index is not made again.
    let path = set.dir.path().join(format!("import-{n}.db"));
    let mut store = Store::open(&path, clock()).unwrap();
    if n == 0 {
        // The bench before was filtered out: the database gets the file here, unmeasured (and
        // the file is written first when the export's bench was filtered out too).
        if !json.exists() {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&json).unwrap());
            set.open().write_export(&mut out).unwrap();
            std::io::Write::flush(&mut out).unwrap();
        }
        store
            .import_files(std::slice::from_ref(&json), Encoding::Utf8)
            .unwrap();
    }
    g.bench_function("import_json_into_the_database_holding_it", |b| {
        b.iter(|| {
            let summary = store
                .import_files(std::slice::from_ref(&json), Encoding::Utf8)
                .unwrap();
            assert_eq!(summary.meetings.added + summary.meetings.updated, 0);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
