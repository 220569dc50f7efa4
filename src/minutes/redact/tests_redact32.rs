//! Session 32 (attack of 2026-12-05, round 31a): household members recorded in forms the parts
//! were not found in — an invisible character between family and given name (`佐藤\u{200b}恵子`,
//! pasted from a web page), no blank at all (`東海林美代子`, `ﾖｼﾀﾞﾏｲ`), ヶ written ケ/ヵ/か
//! (`三ケ尻` for 三ヶ尻) — and the ordinary words beside each that stay as written.

use super::tests_redact31::redactor;
use super::*;

/// Finding 2: a character that shows nothing between family and given name is the blank it
/// stands for. Seen failing before the fix: `恵子が来所`, `母の恵子`, `翔が来所` printed as typed
/// (the whole name was found, its parts were not).
#[test]
fn an_invisible_character_between_the_parts_is_a_blank() {
    for sep in [
        '\u{200b}', '\u{2060}', '\u{feff}', '\u{200c}', '\u{200d}', '\u{ad}',
    ] {
        let name = format!("佐藤{sep}恵子");
        let (mut r, [keiko]) = redactor([name.as_str()], ["佐藤恵子"]);
        for (text, head, tail) in [
            ("恵子が来所", "", "が来所"),
            ("母の恵子", "母の", ""),
            ("佐藤さんと面談", "", "と面談"),
            ("佐藤恵子が来所", "", "が来所"),
        ] {
            assert_eq!(
                r.redact(text),
                format!("{head}{keiko}{tail}"),
                "{name:?}: {text}"
            );
        }
        for kept in ["恵まれた環境", "恩恵を受けた"] {
            assert_eq!(r.redact(kept), kept, "{name:?}");
        }
    }
    let (mut r, [sho, mai]) = redactor(["中川\u{2060}翔", "大島\u{feff}舞"], ["中川翔", "大島舞"]);
    assert_eq!(r.redact("翔が来所"), format!("{sho}が来所"));
    assert_eq!(r.redact("舞が来所"), format!("{mai}が来所"));
    assert_eq!(r.redact("飛翔する"), "飛翔する");
    // A variation selector belongs to the kanji before it: it splits nothing.
    assert_eq!(people::parts("葛\u{e0100}西 太郎").parts.len(), 2);
    assert_eq!(people::parts("葛\u{e0100}西\u{200b}太郎").parts.len(), 2);
}
