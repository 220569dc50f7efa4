//! Attack report 12, findings 6 and 7: the demo's household A世帯 — 本人 山田 花子（ヤマダ ハナコ）,
//! 子 山田 健太 and 元妻 佐々木 由紀, the last two with no reading recorded. A member without a
//! reading written in kana, joined or apart, half in kana or in Latin letters is that member in
//! the redacted minutes (Markdown and .docx) with the member's one letter, whatever else the
//! minutes say.

use crate::common;

use common::{TempDb, import_json, stdout_bytes};

/// The case A世帯 and one held 支援会議 on it per entry of `meetings`, each with these notes
/// (meeting 1 has the first entry's notes, and so on).
fn document(meetings: &[&[&str]]) -> String {
    let list: Vec<String> = meetings
        .iter()
        .enumerate()
        .map(|(i, notes)| {
            format!(
                r#"{{"body":"支援会議","date":"2026-10-{:02}","start":"10:00","status":"held",
    "confidential":true,"cases":["a1"],
    "agenda":[{{"title":"経過","notes":{}}}]}}"#,
                i + 1,
                serde_json::to_string(notes).unwrap()
            )
        })
        .collect();
    format!(
        r#"{{"format":"renkei/1",
  "bodies":[{{"name":"支援会議","organiser":"地域福祉課","frequency":"随時","kind":"支援会議"}}],
  "cases":[{{"id":"a1","pseudonym":"A世帯","opened":"2026-04-01","status":"open",
     "members":[{{"relation":"本人","name":"山田 花子（ヤマダ ハナコ）"}},
                {{"relation":"子","name":"山田 健太"}},
                {{"relation":"元妻","name":"佐々木 由紀"}}]}}],
  "meetings":[{}]}}"#,
        list.join(",\n")
    )
}

/// The spellings of 山田 健太 the attack found kept or given another letter.
const KENTA: [&str; 8] = [
    "ヤマダケンタ",
    "ヤマダ ケンタ",
    "山田ケンタ",
    "ヤマダ健太",
    "やまだけんた",
    "やまだ けんた",
    "ｙａｍａｄａ ｋｅｎｔａ",
    "Kenta Yamada",
];

/// The spellings of 佐々木 由紀.
const YUKI: [&str; 5] = [
    "ササキ ユキ",
    "ササキユキ",
    "Sasaki Yuki",
    "佐々木ユキ",
    "ゆきさん",
];

/// What is left of a spelling anywhere in a copy: its given name in kana or Latin letters.
fn leaks(text: &str) -> Vec<&'static str> {
    [
        "ケンタ",
        "けんた",
        "ｋｅｎｔａ",
        "Kenta",
        "ユキ",
        "ゆき",
        "Yuki",
    ]
    .into_iter()
    .filter(|g| text.contains(g))
    .collect()
}

/// Finding 6: each spelling alone in the notes of its minutes (no other note to help) is
/// replaced, in the Markdown and the .docx. Seen failing before the fix: `ヤマダケンタ`,
/// `やまだけんた`, `ササキユキ` stayed.
#[test]
fn every_spelling_alone_in_its_minutes_is_replaced() {
    let db = TempDb::new();
    let spellings: Vec<&str> = KENTA.iter().chain(&YUKI).copied().collect();
    let notes: Vec<Vec<String>> = spellings
        .iter()
        .map(|s| vec![format!("{s} x"), format!("x。{s}")])
        .collect();
    let notes: Vec<Vec<&str>> = notes
        .iter()
        .map(|n| n.iter().map(String::as_str).collect())
        .collect();
    let meetings: Vec<&[&str]> = notes.iter().map(Vec::as_slice).collect();
    import_json(&db, &document(&meetings));
    for (i, spelling) in spellings.iter().enumerate() {
        let id = (i + 1).to_string();
        let md = String::from_utf8(stdout_bytes(&db, &["minutes", &id, "--redact"])).unwrap();
        assert!(leaks(&md).is_empty(), "{spelling}: {:?}\n{md}", leaks(&md));
        assert!(md.contains("氏 x"), "{spelling}\n{md}");
        let docx = common::docx_text(&stdout_bytes(
            &db,
            &["minutes", &id, "--redact", "--format", "docx"],
        ));
        assert!(leaks(&docx).is_empty(), "{spelling} (docx): {docx}");
    }
}

/// The placeholder in the note that starts with `mark`: what stands between the mark and the
/// note's が来所.
fn placeholder_of(text: &str, mark: &str) -> String {
    let at = text
        .find(mark)
        .unwrap_or_else(|| panic!("{mark} in {text}"));
    let rest = &text[at + mark.len()..];
    let end = rest
        .find("が来所")
        .unwrap_or_else(|| panic!("{mark}: {rest}"));
    rest[..end].to_owned()
}

/// Finding 7: every spelling of one member in one copy is that member's one letter — the kanji
/// form's — never another letter nor 某氏 beside one (`某氏G氏`). Seen failing before the fix:
/// `ヤマダ ケンタ` took a letter of its own, `ヤマダ健太` was `某氏` and a letter.
#[test]
fn one_member_keeps_one_letter_in_every_spelling() {
    let db = TempDb::new();
    let mut notes = vec![
        "n1：山田健太が来所".to_owned(),
        "n2：佐々木由紀が来所".to_owned(),
    ];
    let kenta: Vec<String> = KENTA
        .iter()
        .enumerate()
        .map(|(i, s)| format!("k{i}：{s}が来所"))
        .collect();
    let yuki: Vec<String> = YUKI
        .iter()
        .enumerate()
        .map(|(i, s)| format!("y{i}：{s}が来所"))
        .collect();
    notes.extend(kenta.iter().cloned());
    notes.extend(yuki.iter().cloned());
    let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
    import_json(&db, &document(&[&notes]));
    for format in ["md", "docx"] {
        let bytes = stdout_bytes(&db, &["minutes", "1", "--redact", "--format", format]);
        let text = match format {
            "md" => String::from_utf8(bytes).unwrap(),
            _ => common::docx_text(&bytes),
        };
        let kenta_letter = placeholder_of(&text, "n1：");
        let yuki_letter = placeholder_of(&text, "n2：");
        assert!(
            kenta_letter.ends_with('氏') && kenta_letter.len() <= 5,
            "{text}"
        );
        assert_ne!(kenta_letter, yuki_letter, "{text}");
        for (i, s) in KENTA.iter().enumerate() {
            let got = placeholder_of(&text, &format!("k{i}："));
            assert_eq!(got, kenta_letter, "{format}: {s}\n{text}");
        }
        for (i, s) in YUKI.iter().enumerate() {
            let got = placeholder_of(&text, &format!("y{i}："));
            assert_eq!(got, yuki_letter, "{format}: {s}\n{text}");
        }
        assert!(!text.contains("某氏"), "{format}\n{text}");
    }
}

/// Session 13 (attack report 12, finding 13): a pseudonym spelling a member's given name in a
/// reading guessed for it (ケンタ世帯 for 山田 健太, no reading recorded) is refused by the import,
/// which names the JSON path in Japanese; one made before the check (written into the database
/// here) is withheld in the redacted minutes and case record. Seen failing on main's binary
/// (35549c8): the import took ケンタ世帯 and the redacted minutes printed `## 事例：ケンタ世帯`.
#[test]
fn a_pseudonym_spelling_a_member_is_refused_and_withheld() {
    let db = TempDb::new();
    let bad = document(&[&["面談"]]).replace("\"A世帯\"", "\"ケンタ世帯\"");
    let file = db.file("bad.json", bad.as_bytes());
    let err = common::refused(common::renkei(&db).arg("import").arg(&file));
    assert!(
        err.contains("cases[0]") && err.contains("仮名「ケンタ世帯」は世帯員の氏名を含んでいます"),
        "{err}"
    );
    import_json(&db, &document(&[&["面談"]]));
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute(
        "UPDATE cases SET pseudonym = 'ケンタ世帯', pseudonym_key = 'ケンタ世帯'",
        [],
    )
    .unwrap();
    drop(conn);
    let minutes = String::from_utf8(stdout_bytes(&db, &["minutes", "1", "--redact"])).unwrap();
    assert!(!minutes.contains("ケンタ"), "{minutes}");
    assert!(minutes.contains("事例：（仮名非表示1）"), "{minutes}");
    let record = String::from_utf8(stdout_bytes(&db, &["case", "ケンタ世帯", "--redact"])).unwrap();
    assert!(!record.contains("ケンタ"), "{record}");
}

/// Session 13: the report's and the ledger's cells find a household member by the readings
/// guessed for a given name recorded without one (the keys of keying 4): a cell holding only
/// `ケンタ` (a referrer typed as the member's given name in kana) is 個人（家族等）. Seen failing
/// on main's binary (35549c8): the ledger's 相談のあった機関 and the report's row said `ケンタ`.
#[test]
fn the_tables_mask_a_guessed_reading_alone() {
    let db = TempDb::new();
    let doc = document(&[&["面談"]]).replace(
        r#""cases":[{"id":"a1""#,
        r#""cases":[{"id":"q1","pseudonym":"Q世帯","opened":"2026-04-01","status":"active","referred_by":"ケンタ","lead_agency":"ヤマダケンタ"},{"id":"a1""#,
    );
    import_json(&db, &doc);
    let ledger = || {
        String::from_utf8(stdout_bytes(
            &db,
            &["cases", "--status", "all", "--format", "csv"],
        ))
        .unwrap()
    };
    let first = ledger();
    assert!(leaks(&first).is_empty(), "{first}");
    assert!(first.contains("個人（家族等）"), "{first}");
    // A database keyed by an older build (keying 4, here without the guessed readings): `check`
    // counts no key lost (all are made again at the next redacting read), and the next read of
    // the ledger keys it again and masks the cell. Seen failing before keys_lost's check of the
    // keying: `check` failed, counting the guessed readings' keys as lost.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch(
        "UPDATE recorded_keys SET key = '#keying-4' WHERE key = '#keying-5';
         DELETE FROM recorded_keys WHERE key IN ('pケンタ', 'wヤマダケンタ');",
    )
    .unwrap();
    drop(conn);
    let check = String::from_utf8(stdout_bytes(&db, &["check"])).unwrap();
    assert!(check.contains("を失った名前: 0 件"), "{check}");
    let again = ledger();
    assert!(leaks(&again).is_empty(), "{again}");
    let report = String::from_utf8(stdout_bytes(
        &db,
        &["report", "--fiscal-year", "2026", "--format", "csv"],
    ))
    .unwrap();
    assert!(leaks(&report).is_empty(), "{report}");
}

/// Session 14: three cases whose pseudonyms, made before such a pseudonym was refused, spell a
/// member — ケンタ世帯 (山田 健太, no reading recorded), ｲﾁﾛｳ家 (鷲尾 一郎, half-width), Jiro世帯
/// (田中 次郎（タナカ ジロウ）, romaji) — with 鷲尾 花子（ワシオ ハナコ） of the third case giving
/// the family reading 一郎 has none of.
fn withheld_pseudonyms() -> TempDb {
    let db = TempDb::new();
    let doc = r#"{"format":"renkei/1",
  "bodies":[{"name":"支援会議","organiser":"地域福祉課","frequency":"随時","kind":"支援会議"}],
  "cases":[
    {"id":"k1","pseudonym":"A世帯","opened":"2026-04-01","status":"closed","closed":"2026-10-20",
     "closure_reason":"ケンタ世帯は転居","policy":"ケンタ世帯を見守る",
     "members":[{"relation":"本人","name":"山田 花子（ヤマダ ハナコ）"},{"relation":"子","name":"山田 健太"}]},
    {"id":"k2","pseudonym":"B世帯","opened":"2026-04-01","status":"open","policy":"ｲﾁﾛｳ家へ訪問",
     "members":[{"relation":"本人","name":"鷲尾 一郎"}]},
    {"id":"k3","pseudonym":"C世帯","opened":"2026-04-01","status":"open","policy":"Jiro世帯と面談",
     "members":[{"relation":"本人","name":"田中 次郎（タナカ ジロウ）"},{"relation":"姉","name":"鷲尾 花子（ワシオ ハナコ）"}]}],
  "meetings":[
    {"body":"支援会議","date":"2026-10-01","start":"10:00","status":"held","confidential":true,
     "cases":["k1"],"agenda":[{"title":"ケンタ世帯の経過","notes":["ｹﾝﾀ世帯と面談","田中が来所"]}]},
    {"body":"支援会議","date":"2026-10-02","start":"10:00","status":"held","confidential":true,
     "cases":["k2"],"agenda":[{"title":"経過","notes":["ワシオが来所","ｲﾁﾛｳ家と面談"]}]}]}"#;
    import_json(&db, doc);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    for (from, to) in [
        ("A世帯", "ケンタ世帯"),
        ("B世帯", "ｲﾁﾛｳ家"),
        ("C世帯", "Jiro世帯"),
    ] {
        conn.execute(
            "UPDATE cases SET pseudonym = ?2, pseudonym_key = ?2 WHERE pseudonym = ?1",
            [from, to],
        )
        .unwrap();
    }
    db
}

/// What is left in a copy of the three pseudonyms' names, or of 鷲尾 and 田中.
fn spelled_leaks(text: &str) -> Vec<&'static str> {
    [
        "ケンタ",
        "ｹﾝﾀ",
        "けんた",
        "ｲﾁﾛｳ",
        "イチロウ",
        "Jiro",
        "JIRO",
        "ワシオ",
        "田中",
    ]
    .into_iter()
    .filter(|g| text.contains(g))
    .collect()
}

/// Session 14 (the closing note's redaction leftovers): a pseudonym that spells a member is
/// withheld in every redacted or published output — the redacted ledger in every format (its
/// pseudonym column and its texts, the workbook's cells and metadata, CSV in UTF-8 and CP932),
/// the annual report's reason rows, the redacted minutes (an agenda title, a note) and case
/// record — one number per pseudonym in a document; a family reading only another member
/// recorded (ワシオ for 鷲尾 一郎) and a family name of another case glued to a particle
/// (田中が来所) are replaced too. Seen failing on main's binary (a9faba0): the ledger printed
/// `ケンタ世帯` in every format, the report `終結（ケンタ世帯は転居）`, the minutes `ケンタ世帯の経過`,
/// `ワシオが来所`, `田中が来所`.
#[test]
fn a_pseudonym_spelling_a_member_is_withheld_everywhere_it_leaves() {
    let db = withheld_pseudonyms();
    let ledger = |args: &[&str]| {
        let mut all = vec!["cases", "--status", "all", "--redact"];
        all.extend_from_slice(args);
        stdout_bytes(&db, &all)
    };
    let csv = ledger(&["--format", "csv"]);
    let cells = common::csv_cells(&csv);
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(spelled_leaks(&text).is_empty(), "{text}");
    let mut shown: Vec<&str> = cells[1..].iter().map(|r| r[0].as_str()).collect();
    shown.sort();
    assert_eq!(
        shown,
        ["（仮名非表示1）", "（仮名非表示2）", "（仮名非表示3）"],
        "{text}"
    );
    // Each row's texts say its pseudonym as its cell does.
    for row in &cells[1..] {
        let texts = format!("{}{}", row[7], row[11]);
        assert!(texts.is_empty() || texts.contains(&row[0]), "{row:?}");
    }
    let cp932 = ledger(&["--format", "csv", "--encoding", "cp932"]);
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&cp932);
    assert!(!bad);
    assert!(spelled_leaks(&decoded).is_empty(), "{decoded}");
    let json = String::from_utf8(ledger(&["--format", "json"])).unwrap();
    assert!(spelled_leaks(&json).is_empty(), "{json}");
    let table = String::from_utf8(ledger(&[])).unwrap();
    assert!(spelled_leaks(&table).is_empty(), "{table}");
    let xlsx = common::xml_parts(&ledger(&["--format", "xlsx"]));
    assert!(spelled_leaks(&xlsx).is_empty(), "{xlsx}");
    assert!(xlsx.contains("仮名非表示3"), "{xlsx}");
    let report = String::from_utf8(stdout_bytes(
        &db,
        &["report", "--fiscal-year", "2026", "--format", "csv"],
    ))
    .unwrap();
    assert!(spelled_leaks(&report).is_empty(), "{report}");
    assert!(report.contains("終結（○○世帯は転居）"), "{report}");
    let minutes = String::from_utf8(stdout_bytes(&db, &["minutes", "1", "--redact"])).unwrap();
    assert!(spelled_leaks(&minutes).is_empty(), "{minutes}");
    assert!(
        minutes.contains("### 1. （仮名非表示1）の経過"),
        "{minutes}"
    );
    assert!(minutes.contains("（仮名非表示1）と面談"), "{minutes}");
    let second = String::from_utf8(stdout_bytes(&db, &["minutes", "2", "--redact"])).unwrap();
    assert!(spelled_leaks(&second).is_empty(), "{second}");
    let record = String::from_utf8(stdout_bytes(&db, &["case", "ケンタ世帯", "--redact"])).unwrap();
    assert!(spelled_leaks(&record).is_empty(), "{record}");
}
