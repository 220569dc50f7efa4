//! The fixtures built from the seeds: complete, and every frequency in them understood.

use renkei::demo::fixtures;
use renkei::domain::frequency::parse;

#[test]
fn koto_has_all_48_bodies_with_every_column() {
    let docs = fixtures().unwrap();
    let koto = docs
        .iter()
        .find(|p| p.source.ends_with("koto.toml"))
        .unwrap();
    assert_eq!(koto.doc.bodies.len(), 48);
    for b in &koto.doc.bodies {
        assert!(!b.organiser.is_empty(), "{} has no organiser", b.name);
        assert!(!b.frequency.is_empty(), "{} has no frequency", b.name);
        assert!(!b.members.is_empty(), "{} has no members", b.name);
        assert!(!b.kind.is_empty(), "{} has no kind", b.name);
    }
    let shared = koto.doc.bodies.iter().filter(|b| b.personal_info).count();
    assert_eq!(shared, 22, "the ○ of the 個人情報の共有 column");
}

#[test]
fn every_fixture_frequency_is_understood() {
    // Sendai's (2) and (4) describe their frequency as "as the ward sees fit": honestly unknown.
    let honestly_unknown = ["エリアごとの開催や毎月の開催"];
    for parsed in fixtures().unwrap() {
        for b in &parsed.doc.bodies {
            let f = parse(&b.frequency);
            assert_eq!(f.text, b.frequency, "kept verbatim");
            if honestly_unknown.iter().any(|p| b.frequency.starts_with(p)) {
                continue;
            }
            assert!(
                !f.unknown,
                "{}: '{}' not understood",
                parsed.source, b.frequency
            );
            assert!(
                f.ad_hoc || f.per_year_min.is_some() || !f.months.is_empty(),
                "{}: '{}' read as {f:?}",
                parsed.source,
                b.frequency
            );
        }
    }
}

#[test]
fn templates_cover_the_support_meeting() {
    let docs = fixtures().unwrap();
    let templates = docs
        .iter()
        .find(|p| p.source.ends_with("templates.toml"))
        .unwrap();
    let support = templates
        .doc
        .templates
        .iter()
        .find(|t| t.kind == "支援会議")
        .unwrap();
    let titles: Vec<&str> = support.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "守秘義務の確認",
            "事例の概要",
            "課題の整理",
            "支援方針",
            "役割分担",
            "次回の予定"
        ]
    );
    assert!(support.confidential);
    assert!(templates.doc.templates.iter().any(|t| t.kind == "default"));
}
