//! Excel and Word: the large sample meeting's minutes as a .docx, a list of 5 000 next actions
//! as an .xlsx, and Koto's 48 bodies read from a workbook laid out as the ward keeps it (title,
//! repeated headers, merged organisers, two tables).

use chrono::{DateTime, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_xlsxwriter::{Format, Workbook};
use std::hint::black_box;

use renkei::i18n::Lang;
use renkei::minutes::{self, Options, sample};
use renkei::office::{docx, xlsx};
use renkei::store::workbook::read_workbook;

fn koto_workbook() -> Vec<u8> {
    let text = include_str!("../fixtures/koto.toml");
    let doc = renkei::store::import::parse_fixture(text).expect("koto.toml");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.write_string(0, 0, "江東区及び社会福祉協議会における連携体制について")
        .expect("title");
    let mut row = 2;
    for (i, b) in doc.bodies.iter().enumerate() {
        if i % 9 == 0 {
            ws.write_row_with_format(
                row,
                0,
                ["No.", "会議名", "主催者", "参加者", "開催頻度"],
                &bold,
            )
            .expect("header");
            row += 1;
        }
        ws.write_number(row, 0, (i + 1) as f64).expect("no");
        ws.write_string(row, 1, &b.name).expect("name");
        ws.write_string(row, 2, &b.organiser).expect("organiser");
        ws.write_string(row, 3, b.members.join("\n"))
            .expect("members");
        ws.write_string(row, 4, &b.frequency).expect("frequency");
        row += 1;
    }
    wb.save_to_buffer().expect("workbook")
}

fn bench(c: &mut Criterion) {
    let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").expect("now");
    let input = sample::large_meeting();
    let doc = minutes::document(
        &input,
        &Options {
            lang: Lang::Ja,
            redact: false,
        },
    );
    c.bench_function("office/docx/large_meeting", |b| {
        b.iter(|| docx::document(black_box(&doc), now))
    });
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
    let rows: Vec<Vec<xlsx::Cell>> = (0..5_000)
        .map(|i| {
            vec![
                xlsx::Cell::text("地域包括支援センター"),
                xlsx::Cell::text(format!("長女と連絡を取り家計の状況を確認する（{i}）")),
                xlsx::Cell::Date(day),
                xlsx::Cell::text("未完了"),
                xlsx::Cell::count(f64::from(i)),
            ]
        })
        .collect();
    let sheet = xlsx::Sheet::list(
        "次回までの対応",
        "次回までの対応",
        &["機関", "内容", "期限", "状態", "会議ID"],
        rows,
    );
    c.bench_function("office/xlsx/actions_5000", |b| {
        b.iter(|| xlsx::workbook(black_box(std::slice::from_ref(&sheet)), now.naive_local()))
    });
    let koto = koto_workbook();
    c.bench_function("office/import/koto_xlsx", |b| {
        b.iter(|| read_workbook(black_box(&koto), "xlsx", &[]))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
