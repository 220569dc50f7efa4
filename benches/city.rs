//! A city's 24 wards in one database (issue 21): `renkei demo --scale 100 --wards 24`, 12 000
//! bodies and 1.2 million meetings held. The budgets: the TUI's first frame < 50 ms and a
//! navigation keystroke < 2 ms on it, `report --fiscal-year Y --by-ward` < 5 s, one ward's report
//! (`--ward`) < 1 s. `RENKEI_BENCH_CITY_DB=PATH` runs on a city made before (see
//! `large/mod.rs`): generating one takes about 35 minutes of CPU and 18.5 GB.

mod large;

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

use large::{LargeSet, char_key, first_frame};
use renkei::domain::calendar::fiscal_year_of;
use renkei::tui;

fn bench(c: &mut Criterion) {
    let set = LargeSet::city();
    let mut g = c.benchmark_group("city");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("tui_open_and_first_frame", |b| {
        b.iter_with_large_drop(|| first_frame(&set))
    });
    let (mut store, mut app, mut terminal, mut follow) = first_frame(&set);
    let (down, up) = (char_key('j'), char_key('k'));
    let mut flip = false;
    g.bench_function("tui_navigation_keystroke", |b| {
        b.iter(|| {
            flip = !flip;
            follow.tick(&mut app, &mut store);
            tui::handle(&mut app, &mut store, if flip { &down } else { &up });
            terminal.draw(|f| tui::draw(f, &app)).unwrap();
        })
    });
    large::actions_benches(&mut g, &mut store, &mut app, &mut terminal);
    // One ward's own report: the city's first ward of its own (by local government code, after
    // the database's own ward, which holds only the demo), named from the database: a name
    // written here (北区, the 23rd of Osaka's 24) may not be in the city measured.
    let ward: String = store
        .conn()
        .query_row(
            "SELECT name FROM wards ORDER BY id = ?1, code IS NULL, code, id LIMIT 1",
            [renkei::store::ward::HOME],
            |r| r.get(0),
        )
        .unwrap();
    eprintln!("city: one ward's report of {ward}");
    drop((store, app, terminal, follow));
    let year = fiscal_year_of(large::clock().today()) - 1;
    let year = year.to_string();
    g.bench_function("report_by_ward", |b| {
        b.iter(|| large::command(&set, &["report", "--fiscal-year", &year, "--by-ward"]))
    });
    g.bench_function("report_one_ward", |b| {
        b.iter(|| large::command(&set, &["report", "--fiscal-year", &year, "--ward", &ward]))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
