//! Rendering one meeting's minutes: 20 attendees, 10 agenda items, 30 next actions (plus carried
//! actions and an amendment), plain and redacted. Target: under 1 ms each.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use renkei::i18n::Lang;
use renkei::minutes::{self, Options, sample};

fn bench(c: &mut Criterion) {
    let input = sample::large_meeting();
    for (name, lang, redact) in [
        ("minutes/plain", Lang::Ja, false),
        ("minutes/redacted", Lang::Ja, true),
        ("minutes/english", Lang::En, false),
    ] {
        let options = Options { lang, redact };
        c.bench_function(name, |b| {
            b.iter(|| minutes::render(black_box(&input), black_box(&options)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
