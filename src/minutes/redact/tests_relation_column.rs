//! The relation column (続柄) of a redacted case record's household table (attack of 2026-12-05,
//! round 31a, finding 5, its first half): a name typed beside the relation when the member's own
//! name was not known (`内縁の夫・ｼﾝｼﾞ`, `父（ケンジ）`) is recorded nowhere, and stayed as typed.

use super::tests_redact31::redactor;

/// Seen failing before the fix: the column went through the text's redaction, which has nothing
/// to find an unrecorded katakana name by — every one of these printed as typed.
#[test]
fn a_name_typed_beside_a_relation_is_withheld() {
    let (mut r, [_]) = redactor(["林 花子"], ["林花子"]);
    for (typed, redacted) in [
        ("内縁の夫・ｼﾝｼﾞ", "内縁の夫・某氏"),
        ("内縁の夫 シンジ", "内縁の夫 某氏"),
        ("シンジ（内縁の夫）", "某氏（内縁の夫）"),
        ("父（ケンジ）", "父（某氏）"),
        ("父のケンジ", "父の某氏"),
        ("内縁の夫ｼﾝｼﾞ", "内縁の夫某氏"),
        ("長男太郎", "長男某氏"),
        ("uncle (Jiro)", "uncle (某氏)"),
        // A one-character relation may be a name's first character: the piece goes whole.
        ("夫美子", "某氏"),
        ("子之吉（長男）", "某氏（長男）"),
        // A family name made of notes' characters is no note (小高, 中島).
        ("父（小高）", "父（某氏）"),
        ("中島", "某氏"),
    ] {
        assert_eq!(r.relation_field(typed), redacted, "{typed}");
    }
}

/// A recorded person typed in the column is that person's letter, as in any text.
#[test]
fn a_recorded_person_in_the_column_is_their_letter() {
    let (mut r, [hanako]) = redactor(["林 花子"], ["林花子"]);
    assert_eq!(r.relation_field("母（林花子）"), format!("母（{hanako}）"));
    assert_eq!(r.relation_field("林 花子"), hanako);
    assert_eq!(
        r.relation_field("母・林 花子（同居）"),
        format!("母・{hanako}（同居）")
    );
    assert_eq!(r.relation_field("林花子"), hanako);
}

/// What a household table says beside a relation stays: relations chained, ages and school
/// years, living apart or together, English relations.
#[test]
fn relations_and_their_notes_are_kept() {
    let (mut r, [_]) = redactor(["林 花子"], ["林花子"]);
    for kept in [
        "本人",
        "長男",
        "内縁の夫",
        "母方祖母",
        "父の弟",
        "母の内縁の夫",
        "長男（12歳・中2）",
        "長女(１６歳、高１)",
        "次女 3か月",
        "父（別居）",
        "祖母・施設入所中",
        "元夫（音信不通）",
        "父 40代",
        "uncle",
        "Mother (deceased)",
        "父（ｷｰﾊﾟｰｿﾝ・同居）",
        "",
    ] {
        assert_eq!(r.relation_field(kept), kept, "{kept}");
    }
}
