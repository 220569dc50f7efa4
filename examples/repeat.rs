//! One of the reads README's Performance table measures, repeated in one process: an instruction
//! count (`valgrind --tool=callgrind`) or a CPU time that a machine loaded by other builds does
//! not blur, without the start of a process (opening the database, the redactor's word lists)
//! in it — what criterion measures, repeatably. The reads:
//!
//! - `ledger`: the ledger of followed cases (the TUI's tab 5, `renkei cases`); `masked`: that
//!   ledger masked as the tab shows it (against `Store::recorded_people`); `people`: the
//!   recorded people alone; `agencies`: the agencies a picker offers (`Store::agency_names`,
//!   those holding a person left out);
//! - `counts`: the home screen's overdue and due-today reviews (`Store::review_counts`);
//! - `report`: the annual report of the last whole fiscal year, as Markdown; `compare`: beside
//!   the year before; `ward`: of the first ward of a city alone (`report --ward`);
//! - `minutes`: the minutes of the busiest meeting (as `cargo bench --bench ward -- minutes/`).
//!
//! ```sh
//! cargo build --release --example repeat
//! RENKEI_NOW=2026-11-21T10:00 target/release/examples/repeat W.db ledger 20
//! RENKEI_NOW=2026-11-21T10:00 valgrind --tool=callgrind target/release/examples/repeat W.db report 3
//! ```

use anyhow::{Context, Result, bail};

use renkei::clock::Clock;
use renkei::domain::calendar::fiscal_year_of;
use renkei::i18n::Lang;
use renkei::store::Store;
use renkei::store::cases::LedgerFilter;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, what, times] = args.as_slice() else {
        bail!(
            "usage: repeat DB ledger|masked|people|agencies|counts|report|compare|ward|minutes TIMES"
        );
    };
    let times: u32 = times.parse().context("TIMES: a number")?;
    let clock = Clock::from_env().map_err(anyhow::Error::msg)?;
    let store = Store::open(std::path::Path::new(db), clock)?;
    let today = store.clock().today();
    let year = fiscal_year_of(today) - 1;
    let mut options = renkei::report::Options::new(Lang::Ja, year, today);
    match what.as_str() {
        "compare" => options.compare = vec![year - 1],
        "ward" => options.ward = Some(first_ward(&store)?),
        _ => {}
    }
    let busiest = if what == "minutes" {
        busiest_meeting(&store)?
    } else {
        0
    };
    let mut size = 0;
    for _ in 0..times {
        size += match what.as_str() {
            "ledger" => store.case_ledger(LedgerFilter::Open, false)?.len(),
            "masked" => {
                let mut rows = store.case_ledger(LedgerFilter::Open, false)?;
                renkei::cases::ledger::mask(&mut rows, &store.recorded_people()?, Lang::Ja);
                rows.len()
            }
            "people" => store.recorded_people()?.len(),
            "agencies" => store.agency_names()?.len(),
            "counts" => store.review_counts()?.overdue.len(),
            "report" | "compare" | "ward" => {
                renkei::report::markdown::render(&store.report(&options)?).len()
            }
            "minutes" => {
                let input = store
                    .minutes_input(busiest)?
                    .context("the busiest meeting is gone")?;
                let options = renkei::minutes::Options {
                    lang: Lang::Ja,
                    redact: false,
                };
                renkei::minutes::render(&input, &options).len()
            }
            other => bail!("no such read: {other}"),
        };
    }
    eprintln!("{what} x{times}: {size} rows or bytes in all");
    Ok(())
}

/// A city's first ward of its own (by local government code, after the database's own ward);
/// in a ward's database, that ward.
fn first_ward(store: &Store) -> Result<i64> {
    Ok(store.conn().query_row(
        "SELECT w.id FROM wards w ORDER BY w.id = ?1, w.code IS NULL, w.code, w.id LIMIT 1",
        [renkei::store::ward::HOME],
        |r| r.get(0),
    )?)
}

/// The held meeting with the most attendees and next actions, as the ward bench picks it.
fn busiest_meeting(store: &Store) -> Result<i64> {
    Ok(store.conn().query_row(
        "SELECT m.id FROM meetings m WHERE m.status = 'held'
         ORDER BY (SELECT COUNT(*) FROM attendees a WHERE a.meeting_id = m.id)
                + (SELECT COUNT(*) FROM next_actions n WHERE n.meeting_id = m.id) DESC, m.date DESC
         LIMIT 1",
        [],
        |r| r.get(0),
    )?)
}
