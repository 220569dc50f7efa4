//! The kana forms of a search word: さとう, サトウ and ｻﾄｳ are one name written three ways (an
//! IME, a form, an old kintone export), so a word holding kana is looked for in each of them.
//!
//! Folded, whole word at a time: **width** (half-width katakana and their full-width letters:
//! ｻﾄｳ = サトウ; a voiced or semi-voiced half-width letter is two characters, ｶﾞ = ガ, ﾊﾟ = パ,
//! ｳﾞ = ヴ; ｰ = ー, ･ = ・, ｡｢｣､ = 。「」、) and **script** (hiragana and katakana: さとう = サトウ,
//! small letters to small letters, ゝゞ = ヽヾ). Not folded: a long vowel and the vowel it
//! stands for (サトー is not サトウ: another spelling, not another script); small and large
//! letters (ァ is not ア); a word whose kana mix both scripts in one name (さトウ finds さトウ, and
//! its width forms, only: its script forms are さとう and サトウ whole, which a text written さトウ
//! does not hold); voicing marks written as combining characters (か + U+3099); the katakana with
//! no hiragana (ヷヸヹヺ) or no half-width letter (ヮヰヱヵヶ), which stay as they are in those
//! forms. Kanji, Latin letters and digits are never changed here.
//!
//! The index is not folded (a text is stored and indexed as written): the forms are ORed at
//! query time, so nothing is added to a write.

/// Half-width katakana and punctuation, and (at the same place) their full-width forms.
const HALF: &str = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
const FULL: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
/// The letters a voicing mark (ﾞ) voices, and (at the same place) what they become.
const VOICED_BASE: &str = "カキクケコサシスセソタチツテトハヒフヘホウワヲ";
const VOICED: &str = "ガギグゲゴザジズゼゾダヂヅデドバビブベボヴヷヺ";
/// The letters a semi-voicing mark (ﾟ) changes, and what they become.
const SEMI_BASE: &str = "ハヒフヘホ";
const SEMI: &str = "パピプペポ";
const VOICING: char = 'ﾞ';
const SEMI_VOICING: char = 'ﾟ';

/// The character at the place of `c` in `from`, in `to`.
fn swap(c: char, from: &str, to: &str) -> Option<char> {
    let at = from.chars().position(|f| f == c)?;
    to.chars().nth(at)
}

/// Whether `c` is kana of any form (or a mark or long vowel only kana take).
fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ゝ' | 'ゞ' | 'ァ'..='ヺ' | 'ー' | 'ヽ' | 'ヾ' | '\u{FF66}'..='\u{FF9F}')
}

/// Half-width katakana full-width (a letter and its voicing mark as one letter); the rest as it is.
pub fn widen(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let Some(full) = swap(c, HALF, FULL) else {
            out.push(c);
            continue;
        };
        let marked = match chars.peek() {
            Some(&VOICING) => swap(full, VOICED_BASE, VOICED),
            Some(&SEMI_VOICING) => swap(full, SEMI_BASE, SEMI),
            _ => None,
        };
        if marked.is_some() {
            chars.next();
        }
        out.push(marked.unwrap_or(full));
    }
    out
}

/// Full-width katakana half-width where they have a half-width form (ガ → ｶﾞ); the rest as it is.
pub fn narrow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(half) = swap(c, FULL, HALF) {
            out.push(half);
        } else if let Some(base) = swap(c, VOICED, VOICED_BASE).and_then(|b| swap(b, FULL, HALF)) {
            out.push(base);
            out.push(VOICING);
        } else if let Some(base) = swap(c, SEMI, SEMI_BASE).and_then(|b| swap(b, FULL, HALF)) {
            out.push(base);
            out.push(SEMI_VOICING);
        } else {
            out.push(c);
        }
    }
    out
}

/// Hiragana as katakana (full-width); the rest as it is.
pub fn katakana(text: &str) -> String {
    text.chars()
        .map(crate::minutes::redact::fold::katakana)
        .collect()
}

/// Full-width katakana as hiragana where there is one; the rest as it is.
pub fn hiragana(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ァ'..='ヶ' | 'ヽ' | 'ヾ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Whether `form` ends in a half-width letter that a voicing mark after it makes another letter
/// (ｶ, ﾊ): found only where no mark follows (ｶ is not in ｶﾞｽ, which is ガス).
pub fn ends_before_mark(form: &str) -> bool {
    form.chars().next_back().is_some_and(|c| {
        swap(c, HALF, FULL)
            .is_some_and(|full| VOICED_BASE.contains(full) || SEMI_BASE.contains(full))
    })
}

/// The voicing marks ([`ends_before_mark`]).
pub const MARKS: [char; 2] = [VOICING, SEMI_VOICING];

/// The forms `word` is looked for in, itself first, each once: its width forms (its full-width
/// katakana half-width, its half-width full-width), then the whole word in hiragana, in
/// full-width katakana and in half-width katakana. Only `word` when it holds no kana.
pub fn forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_owned()];
    if !word.chars().any(is_kana) {
        return forms;
    }
    let wide = widen(word);
    let full = katakana(&wide);
    for form in [narrow(word), hiragana(&wide), narrow(&full), wide, full] {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_pair_up() {
        assert_eq!(HALF.chars().count(), FULL.chars().count());
        assert_eq!(VOICED_BASE.chars().count(), VOICED.chars().count());
        assert_eq!(SEMI_BASE.chars().count(), SEMI.chars().count());
    }

    #[test]
    fn each_form_of_a_name() {
        for word in ["さとう", "サトウ", "ｻﾄｳ"] {
            let mut found = forms(word);
            found.sort();
            assert_eq!(found, ["さとう", "サトウ", "ｻﾄｳ"], "{word}");
        }
        assert_eq!(widen("ｶﾞｽﾀﾞｲﾊﾟﾝｳﾞｧ"), "ガスダイパンヴァ");
        assert_eq!(narrow("ガスダイパンヴァ"), "ｶﾞｽﾀﾞｲﾊﾟﾝｳﾞｧ");
        assert_eq!(hiragana("ガス"), "がす");
        assert_eq!(katakana("がす"), "ガス");
        assert_eq!(forms("ｶﾞ"), ["ｶﾞ", "が", "ガ"]);
        // A mark after a letter it cannot voice, or alone, stays a mark.
        assert_eq!(widen("ｱﾞﾞｶﾟ"), "アﾞﾞカﾟ");
        // Long vowels, small letters, mixed scripts.
        assert_eq!(forms("サーﾋﾞｽ"), ["サーﾋﾞｽ", "ｻｰﾋﾞｽ", "さーびす", "サービス"]);
        assert_eq!(forms("ァ"), ["ァ", "ｧ", "ぁ"]);
        assert_eq!(
            forms("さトウ"),
            ["さトウ", "さﾄｳ", "さとう", "ｻﾄｳ", "サトウ"]
        );
        assert_eq!(
            forms("佐藤さん宅"),
            ["佐藤さん宅", "佐藤ｻﾝ宅", "佐藤サン宅"]
        );
        assert_eq!(forms("ヷヶ"), ["ヷヶ", "ﾜﾞヶ", "ヷゖ"]);
        assert!(ends_before_mark("ﾀﾅｶ") && ends_before_mark("ﾎ") && ends_before_mark("ｳ"));
        assert!(!ends_before_mark("ｶﾞ") && !ends_before_mark("ﾅ") && !ends_before_mark("カ"));
        // No kana: only itself.
        assert_eq!(forms("虐待"), ["虐待"]);
        assert_eq!(forms("DV\"*"), ["DV\"*"]);
    }
}
