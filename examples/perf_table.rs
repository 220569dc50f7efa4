//! Makes README's table of benchmark figures from what `cargo bench` measured, so that the
//! figures cannot drift from what the code does: `scripts/perf-table` runs it after the benches.
//!
//! Each row names the criterion benchmarks it shows; a figure is the median of its samples
//! (`target/criterion/<group>/<bench>/<baseline>/estimates.json`). Three columns: the figures
//! of 2026-11-22 (before issue 21, on a quiet machine: kept here, in `Row::then`, as what "no
//! slower than today" is held against), the baseline `before` (the benches run on the commit
//! before a change, `cargo bench -- --save-baseline before`) and the last run (`new`). A
//! benchmark without a baseline reads "—"; the before column is left out when no benchmark has
//! one.
//!
//! Usage: `cargo run --example perf_table -- [README.md] [target/criterion] [LABEL]`,
//! LABEL naming the before column (default "before"). The table stands between the lines
//! `<!-- bench-table -->` and `<!-- /bench-table -->` of the README, which are kept.

use std::path::{Path, PathBuf};

/// What a row shows of its benchmarks.
enum Figure {
    /// One benchmark's median, named.
    Time(&'static str, &'static str),
    /// One benchmark against another: "164 µs against 154 µs: 1.07×".
    Ratio(&'static str, &'static str),
}

struct Row {
    what: &'static str,
    budget: &'static str,
    /// The figure measured on 2026-11-22, before issue 21 (a quiet machine, the same set; "—"
    /// where there was no such figure): what "no slower than today" is held against.
    then: &'static str,
    figures: &'static [Figure],
    reproduce: &'static str,
}

use Figure::{Ratio, Time};

const ROWS: &[Row] = &[
    Row {
        what: "start to the first full frame of the home screen: open the database, load, draw (in process)",
        budget: "< 50 ms",
        then: "7.9 ms",
        figures: &[Time("", "tui/open_and_first_frame")],
        reproduce: "`cargo bench --bench ward -- tui/open`",
    },
    Row {
        what: "a navigation keystroke on the home list, handled and drawn",
        budget: "< 2 ms",
        then: "220 µs",
        figures: &[Time("", "tui/navigation_keystroke")],
        reproduce: "`cargo bench --bench ward -- tui/navigation`",
    },
    Row {
        what: "a filter keystroke (typing 支 narrows the list, backspace widens it)",
        budget: "< 10 ms",
        then: "440 µs",
        figures: &[Time("", "tui/filter_keystroke_japanese")],
        reproduce: "`cargo bench --bench ward -- tui/filter`",
    },
    Row {
        what: "the actions screen (3, every open action of ten years: 18 557): opened from the home and drawn; a key down its list; a page down",
        budget: "—",
        then: "—",
        figures: &[
            Time("open", "tui/actions_screen_open"),
            Time("a key", "tui/actions_navigation_keystroke"),
            Time("a page", "tui/actions_page_down"),
        ],
        reproduce: "`cargo bench --bench ward -- tui/actions`",
    },
    Row {
        what: "a durable capture (`Store::add_entry`: WAL, `synchronous=FULL`, audit row) against a bare `INSERT` + `COMMIT` on the same pragmas",
        budget: "≤ 1.5×",
        then: "164 µs against 154 µs: 1.07×",
        figures: &[Ratio(
            "capture/store_add_entry",
            "capture/bare_insert_commit",
        )],
        reproduce: "`cargo bench --bench ward -- capture/`",
    },
    Row {
        what: "the minutes of one meeting (the busiest of the set), read from the store and rendered",
        budget: "< 1 ms",
        then: "390 µs",
        figures: &[Time("", "minutes/one_meeting_from_the_large_set")],
        reproduce: "`cargo bench --bench ward -- minutes/`",
    },
    Row {
        what: "the annual report of one fiscal year (about 5 000 meetings held), and beside the year before",
        budget: "< 200 ms",
        then: "53 ms; beside the year before 109 ms",
        figures: &[
            Time("", "report/annual"),
            Time("beside the year before", "report/annual_with_compare"),
        ],
        reproduce: "`cargo bench --bench ward -- report/`",
    },
    Row {
        what: "search, 50 hits newest first (`Store::search`, as `renkei search` and the screens' `/`), a word of three characters or more (the trigram index): 支援会議 (found everywhere), ゴミ屋敷 生活保護 (two words), a word found nowhere, 支援会議 in one body over one fiscal year",
        budget: "< 10 ms",
        then: "—",
        figures: &[
            Time("支援会議", "search/trigram_frequent"),
            Time("two words", "search/trigram_words"),
            Time("nowhere", "search/trigram_absent"),
            Time("one body, one year", "search/body_year_trigram"),
        ],
        reproduce: "`cargo bench --bench ward -- search/`",
    },
    Row {
        what: "search for one or two characters (read newest first until 50 are found): 支援, 孤立 (one issue in ten meetings), 孤立 in one body over one year; the worst case, a character found nowhere (every text read)",
        budget: "< 10 ms when the word occurs",
        then: "—",
        figures: &[
            Time("支援", "search/two_chars_frequent"),
            Time("孤立", "search/two_chars_issue"),
            Time("one body, one year", "search/body_year_two_chars"),
            Time("nowhere", "search/one_char_absent"),
        ],
        reproduce: "`cargo bench --bench ward -- search/`",
    },
    Row {
        what: "frequency parsing and the expected meetings of 500 bodies over a year",
        budget: "—",
        then: "parsing 440 µs; the year 890 µs",
        figures: &[
            Time("parsing", "schedule/parse_500_frequencies"),
            Time("the year", "schedule/year_of_500_bodies"),
        ],
        reproduce: "`cargo bench --bench ward -- schedule/`",
    },
    Row {
        what: "the listings of the whole history, as the commands write them: `renkei meetings` (50 191), `renkei actions` (174 607) as a table and as JSON",
        budget: "—",
        then: "—",
        figures: &[
            Time("meetings", "listing/meetings_table"),
            Time("actions", "listing/actions_table"),
            Time("actions JSON", "listing/actions_json"),
        ],
        reproduce: "`cargo bench --bench ward -- listing/`",
    },
    Row {
        what: "export of the whole set to interchange JSON (about 580 MB), and its import into an empty database (1.46 million rows, one transaction), and again into the database holding it (every record unchanged)",
        budget: "no slower",
        then: "export 4.3 s; import 6.6 s (schema v3: no uids, no search index, no cases)",
        figures: &[
            Time("export", "import/export_json"),
            Time("import", "import/import_json_into_empty_database"),
            Time(
                "into the database holding it",
                "import/import_json_into_the_database_holding_it",
            ),
        ],
        reproduce: "`cargo bench --bench ward -- import/`",
    },
    Row {
        what: "a city (`demo --scale N --wards W`; its size is said beside the table): the TUI's first frame, in process",
        budget: "< 50 ms",
        then: "—",
        figures: &[Time("", "city/tui_open_and_first_frame")],
        reproduce: "`cargo bench --bench city`",
    },
    Row {
        what: "the city: a navigation keystroke on the home list",
        budget: "< 2 ms",
        then: "—",
        figures: &[Time("", "city/tui_navigation_keystroke")],
        reproduce: "`cargo bench --bench city`",
    },
    Row {
        what: "the city: the actions screen (3, the 447 396 open actions of the 24 wards), opened from the home and drawn; a key down; a page down",
        budget: "—",
        then: "—",
        figures: &[
            Time("open", "city/actions_screen_open"),
            Time("a key", "city/actions_navigation_keystroke"),
            Time("a page", "city/actions_page_down"),
        ],
        reproduce: "`cargo bench --bench city`",
    },
    Row {
        what: "the city: `report --fiscal-year Y --by-ward` (every ward and the total)",
        budget: "< 5 s",
        then: "—",
        figures: &[Time("", "city/report_by_ward")],
        reproduce: "`cargo bench --bench city`",
    },
    Row {
        what: "the city: one ward's own report (`--ward`: the city's first ward by its code, 都島区 in C24)",
        budget: "< 1 s",
        then: "—",
        figures: &[Time("", "city/report_one_ward")],
        reproduce: "`cargo bench --bench city`",
    },
    Row {
        what: "the ledger of cases (5 事例; about 2 000 cases on the set): from the home screen, read and drawn",
        budget: "< 50 ms",
        then: "—",
        figures: &[Time("", "ledger/open_tab_and_first_frame")],
        reproduce: "`cargo bench --bench ledger`",
    },
    Row {
        what: "the overdue reviews the home screen marks (`!超過`) on its first frame, counted over the followed cases; the followed cases read whole as the ledger reads them (what the home read for them before)",
        budget: "—",
        then: "—",
        figures: &[
            Time("", "ledger/overdue_reviews_for_the_home"),
            Time("the ledger", "ledger/followed_cases_read"),
        ],
        reproduce: "`cargo bench --bench ledger -- ledger/overdue`",
    },
    Row {
        what: "the ledger: a navigation keystroke, and a filter keystroke (typing 世 narrows it, backspace widens it)",
        budget: "< 2 ms; < 10 ms",
        then: "—",
        figures: &[
            Time("navigation", "ledger/navigation_keystroke"),
            Time("filter", "ledger/filter_keystroke_japanese"),
        ],
        reproduce: "`cargo bench --bench ledger`",
    },
    Row {
        what: "the ledger on the command line: `renkei cases --due` (table), `renkei cases --status all --format csv`",
        budget: "—",
        then: "—",
        figures: &[
            Time("--due", "ledger/cases_due_table"),
            Time("csv", "ledger/cases_all_csv"),
        ],
        reproduce: "`cargo bench --bench ledger`",
    },
];

const BEGIN: &str = "<!-- bench-table -->";
const END: &str = "<!-- /bench-table -->";

/// The median of a benchmark's samples in a baseline, in nanoseconds.
fn median(criterion: &Path, id: &str, baseline: &str) -> Option<f64> {
    let path = criterion.join(id).join(baseline).join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value["median"]["point_estimate"].as_f64()
}

/// A time as a reader takes it in: 7.9 ms, 164 µs, 19.8 s.
fn time(ns: f64) -> String {
    let (value, unit) = if ns >= 1e9 {
        (ns / 1e9, "s")
    } else if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    let digits = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.digits$} {unit}")
}

fn cell(row: &Row, criterion: &Path, baseline: &str) -> String {
    let parts: Vec<String> = row
        .figures
        .iter()
        .filter_map(|f| match f {
            Time(label, id) => {
                let t = time(median(criterion, id, baseline)?);
                Some(if label.is_empty() {
                    t
                } else {
                    format!("{label} {t}")
                })
            }
            Ratio(a, b) => {
                let (x, y) = (
                    median(criterion, a, baseline)?,
                    median(criterion, b, baseline)?,
                );
                Some(format!("{} against {}: {:.2}×", time(x), time(y), x / y))
            }
        })
        .collect();
    if parts.is_empty() {
        "—".to_owned()
    } else {
        parts.join("; ")
    }
}

/// The table; the before column only when some benchmark has a baseline `before` (a run that
/// compares a change with the commit before it), not a column of dashes.
fn table(criterion: &Path, label: &str) -> String {
    let before: Vec<String> = ROWS
        .iter()
        .map(|row| cell(row, criterion, "before"))
        .collect();
    let compared = before.iter().any(|cell| cell != "—");
    let mut out = if compared {
        format!(
            "| what (on the ward-scale set) | budget | 2026-11-22 | {label} | now | reproduce |\n|---|---|---|---|---|---|\n"
        )
    } else {
        "| what (on the ward-scale set) | budget | 2026-11-22 | now | reproduce |\n|---|---|---|---|---|\n"
            .to_owned()
    };
    for (row, before) in ROWS.iter().zip(&before) {
        let before = if compared {
            format!(" {before} |")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {} | {} | {} |{before} {} | {} |\n",
            row.what,
            row.budget,
            row.then,
            cell(row, criterion, "new"),
            row.reproduce
        ));
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let readme = PathBuf::from(args.next().unwrap_or_else(|| "README.md".to_owned()));
    let criterion = PathBuf::from(args.next().unwrap_or_else(|| "target/criterion".to_owned()));
    let label = args.next().unwrap_or_else(|| "before".to_owned());
    let text = match std::fs::read_to_string(&readme) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("perf_table: {}: {e}", readme.display());
            std::process::exit(1);
        }
    };
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        eprintln!(
            "perf_table: {}: no {BEGIN} … {END} lines to put the table between",
            readme.display()
        );
        std::process::exit(1);
    };
    let table = table(&criterion, &label);
    let updated = format!("{}{BEGIN}\n{table}{}", &text[..begin], &text[end..]);
    if let Err(e) = std::fs::write(&readme, updated) {
        eprintln!("perf_table: {}: {e}", readme.display());
        std::process::exit(1);
    }
    print!("{table}");
}
