//! Property tests: no input makes a parser panic, escaping keeps every character a user typed
//! and turns none into markup, and redaction leaves no recorded name behind.

use chrono::NaiveDate;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser};

use renkei::domain::calendar::parse_date_input;
use renkei::domain::frequency;
use renkei::i18n::Lang;
use renkei::minutes::escape;
use renkei::minutes::redact::{Person, PersonKind, Redactor};
use renkei::store::import::parse_fixture;
use renkei::store::interchange::parse_json;
use renkei::store::tabular::{Encoding, decode, parse_bodies};

/// Text a facilitator might type, and worse: Japanese, ASCII punctuation, control characters,
/// full-width forms, emoji and combining marks.
fn typed() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('ぁ', 'ん'),
            4 => proptest::char::range('一', '龥'),
            3 => proptest::char::range('!', '~'),
            2 => proptest::char::range('０', '～'),
            1 => proptest::char::range('\u{0}', '\u{1f}'),
            1 => Just('\u{202E}'),
            1 => Just('😀'),
            1 => Just('\u{3099}'),
            1 => Just(' '),
            1 => Just('\n'),
        ],
        0..60,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1990i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

/// The text a CommonMark + GFM reader gets from `markdown`, and whether anything became markup.
fn read(markdown: &str) -> (String, bool) {
    let mut text = String::new();
    let mut markup = false;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::Start(pulldown_cmark::Tag::Paragraph)
            | Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
            _ => markup = true,
        }
    }
    (text, markup)
}

proptest! {
    // Failures are reported with their minimal input; nothing is written into the source tree.
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn the_frequency_parser_takes_anything(text in typed()) {
        let f = frequency::parse(&text);
        prop_assert_eq!(&f.text, &text);
        prop_assert!(f.months.iter().all(|m| (1..=12).contains(m)));
        if let (Some(min), Some(max)) = (f.per_year_min, f.per_year_max) {
            prop_assert!(min <= max);
        }
        let _ = f.describe_ja();
        let _ = f.describe_en();
    }

    #[test]
    fn the_date_input_parser_takes_anything(text in typed(), today in date()) {
        let _ = parse_date_input(&text, today);
    }

    #[test]
    fn typed_dates_read_back(today in date(), ahead in 0i64..400) {
        let day = today + chrono::Duration::days(ahead);
        prop_assert_eq!(parse_date_input(&day.format("%Y-%m-%d").to_string(), today), Some(day));
    }

    #[test]
    fn importers_take_anything_without_panicking(text in typed()) {
        let _ = parse_fixture(&text);
        let _ = parse_json(&text);
        let _ = parse_bodies(&text, b',');
        let _ = parse_bodies(&text, b'\t');
        let _ = decode(text.as_bytes(), Encoding::Auto);
    }

    #[test]
    fn importers_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = decode(&bytes, Encoding::Auto) {
            let _ = parse_bodies(&text, b',');
        }
        let _ = decode(&bytes, Encoding::Cp932);
    }

    #[test]
    fn escaping_keeps_the_text_and_makes_no_markup(text in typed()) {
        let one_line: String = text.split(['\n', '\r']).next().unwrap_or("").to_owned();
        let (read_back, markup) = read(&escape::inline(&one_line));
        prop_assert!(!markup, "markup from {:?}", one_line);
        let expected = escape::visible(&one_line);
        prop_assert_eq!(read_back.trim(), expected.trim());
    }

    #[test]
    fn redaction_leaves_no_name(
        family in proptest::collection::vec(proptest::char::range('一', '龥'), 2..4),
        given in proptest::collection::vec(proptest::char::range('ぁ', 'ん'), 2..4),
        before in typed(),
        after in typed(),
    ) {
        let family: String = family.into_iter().collect();
        let given: String = given.into_iter().collect();
        let name = format!("{family} {given}");
        let person = Person::new(name.clone(), PersonKind::Attendee);
        let mut redactor = Redactor::new(Lang::Ja, &[person], &["地域福祉課".to_owned()]);
        for text in [
            format!("{before}{name}{after}"),
            format!("{before}{family}{given}{after}"),
            format!("{before}{family}さんが{after}"),
        ] {
            let redacted = redactor.redact(&text).into_owned();
            prop_assert!(!redacted.contains(&format!("{family}{given}")), "{:?} -> {:?}", text, redacted);
            prop_assert!(!redacted.contains(&name), "{:?} -> {:?}", text, redacted);
        }
    }
}
