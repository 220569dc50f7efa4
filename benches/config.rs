//! The config reader on hostile files (attack report 17): 1.3 MB of garbage on one line and on
//! 40 000 lines, beside a normal config. Reading must grow with the file's size, not its square
//! (it took 14 s for the one-line file before the reader recovered statement by statement).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let normal = include_str!("../tests/valid_configs/full.toml");
    let one_line = "!@#$%^ ".repeat(190_000);
    let many_lines: String = (0..40_000)
        .map(|i| format!("garbage line {i} !!! \"\n"))
        .collect();
    let mut group = c.benchmark_group("config");
    for (name, text) in [
        ("normal", normal),
        ("garbage_one_line_1_3MB", one_line.as_str()),
        ("garbage_40000_lines", many_lines.as_str()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| renkei::config::parse(black_box(text), "config.toml", Path::new("/etc")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
