//! Kana in Latin letters, every way a Japanese or English speaker writes it, and every such
//! spelling folded to one.
//!
//! A reading is cut into morae (タ・ロ・ー), each mora has its spellings (シ: shi, si; ジュ: ju,
//! zyu, jyu), and a name's spellings are every choice of one spelling per mora: Hepburn, Kunrei
//! and the typists' mixtures of them (Syunichi, Jyunichi). A long vowel — written ー, or ウ after
//! an o- or u-sound, or オ after an o-sound, which folding reads as ー — is spelt short, doubled or
//! with h (Taro, Tarou, Taroo, Taroh; accented Tarō and Tarô fold to Taro); ン before b, m, p is
//! n or m (Honma, Homma), before a vowel n or nn (Shinichi, Shinnichi); ッ doubles the consonant
//! after it (tch or cch before ch).
//!
//! Folding ([`super::fold`]) spells every word in Latin letters that reads as romaji one way
//! ([`canonical`]), in the text and in the names alike: whichever spelling a name was recorded
//! or written in, the two meet (Satō, Sato, Satou, Satoh; Shin'ichi, Shinichi; Tsuyoshi,
//! Tuyosi).
//!
//! Folding makes common English words spell names too: `too` folds to `to`, the Tō of 十 or 東;
//! `go` is the Go of 呉, `I` the I of 李, `date` the Date of 伊達 (session 12). So one Latin
//! word that is written — as typed, in lower case, before folding — as a common English word of
//! up to four letters that reads as romaji (words.toml's `english_words`, and the Latin words of
//! `ordinary`: will, may) is a name only where something marks it as one: a capital (`Too`,
//! `TOO`; not a word of one letter, as `I` always has one), an honorific after it (`too-san`,
//! `Tooさん`), an English title before it (`Mr. To`), or another part of the same person's name
//! or its initial beside it (`Ken Too`, `ken too`, `K. Too`). A whole name of two parts is found
//! however it is written. Every other spelling — `Tō`, `Toh`, `Tou`, `kimura`, `ono` — is no
//! English word and is cut as before, lower case or not. Privacy wins the ties: a capital at the
//! start of a sentence (`Too late`, `Go ahead`) marks a name, as a name starts a sentence as
//! often; `ono` in lower case is cut like `kimura`.

/// Spellings of the morae of two characters, Hepburn first.
const PAIRS: &[(&str, &[&str])] = &[
    ("キャ", &["kya"]),
    ("キュ", &["kyu"]),
    ("キョ", &["kyo"]),
    ("ギャ", &["gya"]),
    ("ギュ", &["gyu"]),
    ("ギョ", &["gyo"]),
    ("シャ", &["sha", "sya"]),
    ("シュ", &["shu", "syu"]),
    ("ショ", &["sho", "syo"]),
    ("シェ", &["she", "sye"]),
    ("ジャ", &["ja", "zya", "jya"]),
    ("ジュ", &["ju", "zyu", "jyu"]),
    ("ジョ", &["jo", "zyo", "jyo"]),
    ("ジェ", &["je", "zye", "jye"]),
    ("チャ", &["cha", "tya", "cya"]),
    ("チュ", &["chu", "tyu", "cyu"]),
    ("チョ", &["cho", "tyo", "cyo"]),
    ("チェ", &["che", "tye", "cye"]),
    ("ニャ", &["nya"]),
    ("ニュ", &["nyu"]),
    ("ニョ", &["nyo"]),
    ("ヒャ", &["hya"]),
    ("ヒュ", &["hyu"]),
    ("ヒョ", &["hyo"]),
    ("ビャ", &["bya"]),
    ("ビュ", &["byu"]),
    ("ビョ", &["byo"]),
    ("ピャ", &["pya"]),
    ("ピュ", &["pyu"]),
    ("ピョ", &["pyo"]),
    ("ミャ", &["mya"]),
    ("ミュ", &["myu"]),
    ("ミョ", &["myo"]),
    ("リャ", &["rya"]),
    ("リュ", &["ryu"]),
    ("リョ", &["ryo"]),
    ("ティ", &["ti", "thi"]),
    ("ディ", &["di", "dhi"]),
    ("トゥ", &["tu"]),
    ("ドゥ", &["du"]),
    ("デュ", &["dyu"]),
    ("テュ", &["tyu"]),
    ("ファ", &["fa"]),
    ("フィ", &["fi"]),
    ("フェ", &["fe"]),
    ("フォ", &["fo"]),
    ("フュ", &["fyu"]),
    ("ウィ", &["wi", "ui"]),
    ("ウェ", &["we", "ue"]),
    ("ウォ", &["wo", "uo"]),
    ("ヴァ", &["va", "ba"]),
    ("ヴィ", &["vi", "bi"]),
    ("ヴェ", &["ve", "be"]),
    ("ヴォ", &["vo", "bo"]),
    ("ツァ", &["tsa"]),
    ("イェ", &["ye"]),
];

/// Spellings of the morae of one character, Hepburn first.
fn single(c: char) -> Option<&'static [&'static str]> {
    Some(match c {
        'ア' | 'ァ' => &["a"],
        'イ' | 'ィ' | 'ヰ' => &["i"],
        'ウ' | 'ゥ' => &["u"],
        'エ' | 'ェ' | 'ヱ' => &["e"],
        'オ' | 'ォ' | 'ヲ' => &["o", "wo"],
        'カ' | 'ヵ' => &["ka"],
        'キ' => &["ki"],
        'ク' => &["ku"],
        'ケ' | 'ヶ' => &["ke"],
        'コ' => &["ko"],
        'ガ' => &["ga"],
        'ギ' => &["gi"],
        'グ' => &["gu"],
        'ゲ' => &["ge"],
        'ゴ' => &["go"],
        'サ' => &["sa"],
        'シ' => &["shi", "si"],
        'ス' => &["su"],
        'セ' => &["se"],
        'ソ' => &["so"],
        'ザ' => &["za"],
        'ジ' | 'ヂ' => &["ji", "zi", "di"],
        'ズ' | 'ヅ' => &["zu", "du", "dzu"],
        'ゼ' => &["ze"],
        'ゾ' => &["zo"],
        'タ' => &["ta"],
        'チ' => &["chi", "ti", "ci"],
        'ツ' => &["tsu", "tu"],
        'テ' => &["te"],
        'ト' => &["to"],
        'ダ' => &["da"],
        'デ' => &["de"],
        'ド' => &["do"],
        'ナ' => &["na"],
        'ニ' => &["ni"],
        'ヌ' => &["nu"],
        'ネ' => &["ne"],
        'ノ' => &["no"],
        'ハ' => &["ha"],
        'ヒ' => &["hi"],
        'フ' => &["fu", "hu"],
        'ヘ' => &["he"],
        'ホ' => &["ho"],
        'バ' => &["ba"],
        'ビ' => &["bi"],
        'ブ' => &["bu"],
        'ベ' => &["be"],
        'ボ' => &["bo"],
        'パ' => &["pa"],
        'ピ' => &["pi"],
        'プ' => &["pu"],
        'ペ' => &["pe"],
        'ポ' => &["po"],
        'マ' => &["ma"],
        'ミ' => &["mi"],
        'ム' => &["mu"],
        'メ' => &["me"],
        'モ' => &["mo"],
        'ヤ' | 'ャ' => &["ya"],
        'ユ' | 'ュ' => &["yu"],
        'ヨ' | 'ョ' => &["yo"],
        'ラ' => &["ra"],
        'リ' => &["ri"],
        'ル' => &["ru"],
        'レ' => &["re"],
        'ロ' => &["ro"],
        'ワ' | 'ヮ' => &["wa"],
        'ヴ' => &["vu", "bu"],
        _ => return None,
    })
}

/// How a long vowel is spelt after a mora ending in `vowel`.
fn long_endings(vowel: char) -> &'static [&'static str] {
    match vowel {
        'o' => &["", "u", "o", "h"],
        'u' => &["", "u", "h"],
        'a' => &["", "a", "h"],
        'e' => &["", "e", "h"],
        _ => &["", "i"],
    }
}

/// More spellings than this for one word are not written out (no name comes near it).
const MAX_SPELLINGS: usize = 512;

/// One sound of a reading, and how it may be spelt.
#[derive(Debug, Clone)]
enum Unit {
    Mora(Vec<String>),
    /// ン: n, or m before b, m, p.
    N,
    /// ッ: the consonant after it doubled.
    Geminate,
}

/// The morae of a folded katakana word; `None` when it holds anything else.
fn units(kana: &str) -> Option<Vec<Unit>> {
    let chars: Vec<char> = kana.chars().collect();
    let mut out: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(pair) = chars.get(i..i + 2) {
            let pair: String = pair.iter().collect();
            if let Some((_, spellings)) = PAIRS.iter().find(|(k, _)| *k == pair) {
                out.push(Unit::Mora(
                    spellings.iter().map(|s| (*s).to_owned()).collect(),
                ));
                i += 2;
                continue;
            }
        }
        match c {
            'ン' => out.push(Unit::N),
            'ッ' => out.push(Unit::Geminate),
            'ー' => {
                // A long mark after ン or ッ, or first, lengthens nothing.
                let Some(Unit::Mora(spellings)) = out.last_mut() else {
                    i += 1;
                    continue;
                };
                let vowel = spellings.first().and_then(|s| s.chars().last())?;
                let long: Vec<String> = spellings
                    .iter()
                    .flat_map(|s| long_endings(vowel).iter().map(move |e| format!("{s}{e}")))
                    .collect();
                *spellings = long;
            }
            _ => out.push(Unit::Mora(
                single(c)?.iter().map(|s| (*s).to_owned()).collect(),
            )),
        }
        i += 1;
    }
    Some(out)
}

/// The spellings of `units[at]`, knowing the unit after it.
fn spellings(units: &[Unit], at: usize) -> Vec<String> {
    let next = match units.get(at + 1) {
        Some(Unit::Mora(s)) => s.as_slice(),
        _ => &[],
    };
    match &units[at] {
        Unit::Mora(s) => s.clone(),
        Unit::N => {
            let first = next.first().and_then(|s| s.chars().next());
            match first {
                Some('b' | 'm' | 'p') => vec!["n".to_owned(), "m".to_owned()],
                // Shinichi, and the typists' Shinnichi (Shin'ichi is left to the matching).
                Some('a' | 'i' | 'u' | 'e' | 'o' | 'y') => vec!["n".to_owned(), "nn".to_owned()],
                _ => vec!["n".to_owned()],
            }
        }
        // The first consonant of the next mora's spellings (t or c before ch); nothing before a
        // vowel or at the end. Mixing them (cti) makes spellings nobody writes, and harms nothing.
        Unit::Geminate => {
            let mut out: Vec<String> = Vec::new();
            for s in next {
                let first = s.chars().next().filter(|c| !"aiueo".contains(*c));
                let doubled = match first {
                    _ if s.starts_with("ch") => vec!["t".to_owned(), "c".to_owned()],
                    Some(c) => vec![c.to_string()],
                    None => Vec::new(),
                };
                for d in doubled {
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
            if out.is_empty() {
                out.push(String::new());
            }
            out
        }
    }
}

/// The ways a kana word (a reading folded by [`super::fold::fold_str`]: katakana, full width, its
/// long vowels as `ー`; the caller folds it, folding itself reading romaji through this module)
/// is written in Latin letters,
/// the Hepburn spelling first; nothing when it is not all kana.
pub fn romanisations(kana: &str) -> Vec<String> {
    let Some(units) = units(kana) else {
        return Vec::new();
    };
    if units.is_empty() {
        return Vec::new();
    }
    let choices: Vec<Vec<String>> = (0..units.len()).map(|at| spellings(&units, at)).collect();
    every_spelling(&choices)
}

/// Every word made of one choice per place, in order, at most [`MAX_SPELLINGS`], each once.
fn every_spelling(choices: &[Vec<String>]) -> Vec<String> {
    let mut out = vec![String::new()];
    for place in choices {
        let mut next = Vec::with_capacity(out.len() * place.len());
        'all: for word in &out {
            for c in place {
                next.push(format!("{word}{c}"));
                if next.len() >= MAX_SPELLINGS {
                    break 'all;
                }
            }
        }
        out = next;
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|w| !w.is_empty() && seen.insert(w.clone()));
    out
}

/// Every katakana of one character that has spellings, for reading Latin letters back.
const SINGLES: &str = "アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダデドナニヌネノ\
    ハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヴ";

/// Every spelling of a mora, with all the spellings of that mora.
fn all_spellings() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    PAIRS
        .iter()
        .map(|(_, all)| *all)
        .chain(SINGLES.chars().filter_map(single))
        .flat_map(|all| all.iter().map(move |one| (*one, all)))
}

/// Every spelling of a mora (Hepburn, Kunrei, the typists' mixtures) and the one spelling
/// [`canonical`] writes it as. Spellings two morae share (ti of チ and ティ, di of ヂ and ディ, bi
/// of ビ and ヴィ, wo of ヲ and ウォ) are one class, so that a spelling reads one way only.
const CANONICAL: &[(&str, &[&str])] = &[
    ("si", &["shi", "si"]),
    ("ti", &["chi", "ti", "ci", "thi"]),
    ("tu", &["tsu", "tu"]),
    ("hu", &["fu", "hu"]),
    ("zi", &["ji", "zi", "di", "dhi", "dzi"]),
    ("zu", &["zu", "du", "dzu"]),
    ("sya", &["sha", "sya"]),
    ("syu", &["shu", "syu"]),
    ("syo", &["sho", "syo"]),
    ("sye", &["she", "sye"]),
    ("zya", &["ja", "zya", "jya", "dya"]),
    ("zyu", &["ju", "zyu", "jyu"]),
    ("zyo", &["jo", "zyo", "jyo", "dyo"]),
    ("zye", &["je", "zye", "jye"]),
    ("tya", &["cha", "tya", "cya"]),
    ("tyu", &["chu", "tyu", "cyu"]),
    ("tyo", &["cho", "tyo", "cyo"]),
    ("tye", &["che", "tye", "cye"]),
    ("o", &["o", "wo"]),
    ("ba", &["ba", "va"]),
    ("bi", &["bi", "vi"]),
    ("bu", &["bu", "vu"]),
    ("be", &["be", "ve"]),
    ("bo", &["bo", "vo"]),
];

/// The spelling of a mora as [`canonical`] writes it, and how many letters it took: the longest
/// spelling of a mora that `rest` starts with, read as the first class of [`CANONICAL`] that
/// holds it, or as itself.
fn canonical_mora(rest: &str) -> Option<(&'static str, usize)> {
    let first = *rest.as_bytes().first()?;
    let spellings = mora_spellings().get(usize::from(first.checked_sub(b'a')?))?;
    spellings
        .iter()
        .find(|(one, _)| rest.starts_with(one))
        .map(|(one, canon)| (*canon, one.len()))
}

/// Every spelling of a mora with its canonical spelling, by its first letter (`a` to `z`),
/// longest first. Folding reads every Latin word of every text by these (a quarter of a demo
/// database's making went to scanning all the spellings at each letter, session 17).
fn mora_spellings() -> &'static [Vec<(&'static str, &'static str)>; 26] {
    static TABLE: std::sync::OnceLock<[Vec<(&'static str, &'static str)>; 26]> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: [Vec<(&'static str, &'static str)>; 26] = Default::default();
        let spellings = CANONICAL
            .iter()
            .flat_map(|(_, all)| all.iter().copied())
            .chain(all_spellings().map(|(one, _)| one));
        for one in spellings {
            let Some(slot) = one
                .bytes()
                .next()
                .and_then(|b| table.get_mut(usize::from(b.wrapping_sub(b'a'))))
            else {
                continue;
            };
            if slot.iter().any(|(known, _)| *known == one) {
                continue;
            }
            // A spelling of a class read as its class's spelling (ti of ティ is ti of チ).
            let canon = CANONICAL
                .iter()
                .find(|(_, all)| all.contains(&one))
                .map_or(one, |(c, _)| *c);
            slot.push((one, canon));
        }
        for slot in &mut table {
            // Longest first; the order of equal lengths does not matter (they differ).
            slot.sort_by_key(|(one, _)| std::cmp::Reverse(one.len()));
        }
        table
    })
}

/// One piece of a canonical spelling: its letters and the letters `from..to` of the word it
/// stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    text: String,
    from: usize,
    to: usize,
    /// A mora (its last letter a vowel), not ン or ッ.
    mora: bool,
    /// ッ: written as the first letter of the piece after it.
    geminate: bool,
}

fn is_vowel(b: u8) -> bool {
    b"aiueo".contains(&b)
}

/// A word in Latin letters that reads as romanised Japanese, spelt one way (attack session 11):
/// Hepburn, Kunrei and the typists' spellings alike (shi, si → si; chi, ti → ti; tsu, tu → tu;
/// fu, hu → hu; ji, zi → zi; ja, jya, zya → zya; wo → o; v → b), a long o or u written short,
/// doubled or with h (Sato, Satou, Satoo, Satoh → sato), ン written n, nn, m before b, m, p or
/// n with an apostrophe or a dash before a vowel (Shin'ichi, Shinnichi, Shin-ichi → siniti;
/// Homma → honma), ッ as the next mora's first letter (Hotchi, Hocchi, Hotti → hotti). Each
/// letter of the result with the letters `from..to` of `word` it stands for; `None` when the
/// word does not read as romaji (Smith, Lee, don't), or holds anything but lower-case ASCII
/// letters and an apostrophe or a dash after n.
pub fn canonical_pieces(word: &str) -> Option<Vec<(char, usize, usize)>> {
    let b = word.as_bytes();
    let mut pieces: Vec<Piece> = Vec::new();
    // Where the next piece starts when letters before it were left out (the first n of nn).
    let mut pending: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let last = pieces.last();
        let vowel = last.filter(|p| p.mora).and_then(|p| p.text.bytes().last());
        let syllabic_n = last.is_some_and(|p| !p.mora && !p.geminate);
        // An apostrophe or a dash after ン, before a vowel or y (Shin'ichi, Ken-ichi).
        if c == b'\'' || c == b'-' {
            if syllabic_n && next.is_some_and(|n| is_vowel(n) || n == b'y') {
                if let Some(p) = pieces.last_mut() {
                    p.to = i + 1;
                }
                i += 1;
                continue;
            }
            return None;
        }
        if !c.is_ascii_lowercase() {
            return None;
        }
        // A long vowel written out: ou, oo, uu, or oh and uh before a consonant or at the end.
        let long = match (vowel, c) {
            (Some(b'o'), b'o' | b'u') | (Some(b'u'), b'u') => true,
            (Some(b'o' | b'u'), b'h') => next.is_none_or(|n| !is_vowel(n) && n != b'y'),
            _ => false,
        };
        if long && pending.is_none() {
            if let Some(p) = pieces.last_mut() {
                p.to = i + 1;
            }
            i += 1;
            continue;
        }
        let from = pending.take().unwrap_or(i);
        // ン: n before a consonant or at the end; nn before a vowel or y is one n; m before b,
        // m, p.
        if c == b'n' {
            let after = b.get(i + 2).copied();
            if next == Some(b'n') && after.is_some_and(|a| is_vowel(a) || a == b'y') {
                pending = Some(from);
                i += 1;
                continue;
            }
        }
        let nasal = match c {
            b'n' => next.is_none_or(|n| !is_vowel(n) && n != b'y'),
            b'm' => matches!(next, Some(b'b' | b'm' | b'p')),
            _ => false,
        };
        if nasal {
            pieces.push(Piece {
                text: "n".to_owned(),
                from,
                to: i + 1,
                mora: false,
                geminate: false,
            });
            i += 1;
            continue;
        }
        // ッ: a consonant doubled, t or c before ch.
        let doubled = (next == Some(c) && !is_vowel(c) && c != b'n')
            || (matches!(c, b't' | b'c') && word[i + 1..].starts_with("ch"));
        if doubled {
            pieces.push(Piece {
                text: String::new(),
                from,
                to: i + 1,
                mora: false,
                geminate: true,
            });
            i += 1;
            continue;
        }
        let (canon, len) = canonical_mora(&word[i..])?;
        pieces.push(Piece {
            text: canon.to_owned(),
            from,
            to: i + len,
            mora: true,
            geminate: false,
        });
        i += len;
    }
    if pending.is_some() || pieces.is_empty() {
        return None;
    }
    // ッ is the first letter of the mora after it; at the end, or before a vowel, it is no ッ.
    for k in 0..pieces.len() {
        if pieces[k].geminate {
            let first = pieces
                .get(k + 1)
                .filter(|p| p.mora)
                .and_then(|p| p.text.chars().next())
                .filter(|c| !is_vowel(*c as u8));
            pieces[k].text = first?.to_string();
        }
    }
    Some(
        pieces
            .iter()
            .flat_map(|p| p.text.chars().map(move |c| (c, p.from, p.to)))
            .collect(),
    )
}

/// [`romanisations`], one for each spelling they fold to (`サトウ`: satou, for sato, satoh,
/// satoo alike): what a name's patterns are made of.
pub fn distinct_romanisations(kana: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    romanisations(kana)
        .into_iter()
        .filter(|r| seen.insert(canonical(r)))
        .collect()
}

/// [`canonical_pieces`] as a string: the one spelling of a romanised word (`Satoh`, `Satō`,
/// `SATOU` → `sato`), or the word folded as it is when it does not read as romaji. Text and
/// names go through it alike (in folding), so that any spelling finds any other.
pub fn canonical(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    match canonical_pieces(&lower) {
        Some(pieces) => pieces.into_iter().map(|(c, _, _)| c).collect(),
        None => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tests give readings as written; the callers give them folded.
    fn romanisations(kana: &str) -> Vec<String> {
        super::romanisations(&super::super::fold::fold_str(kana))
    }

    fn distinct_romanisations(kana: &str) -> Vec<String> {
        super::distinct_romanisations(&super::super::fold::fold_str(kana))
    }

    fn has(list: &[String], forms: &[&str]) {
        for form in forms {
            assert!(list.contains(&(*form).to_owned()), "{form} not in {list:?}");
        }
    }

    /// The table read as every spelling was scanned at each letter before it (session 17): the
    /// longest spelling `rest` starts with, the first class holding it, or itself.
    #[test]
    fn each_mora_is_read_as_a_scan_of_every_spelling_reads_it() {
        fn scanned(rest: &str) -> Option<(&'static str, usize)> {
            let spellings = CANONICAL
                .iter()
                .flat_map(|(_, all)| all.iter().copied())
                .chain(all_spellings().map(|(one, _)| one));
            let mut best: Option<&'static str> = None;
            for one in spellings {
                if rest.starts_with(one) && best.is_none_or(|b| one.len() > b.len()) {
                    best = Some(one);
                }
            }
            best.map(|one| {
                let class = CANONICAL.iter().find(|(_, all)| all.contains(&one));
                (class.map_or(one, |(c, _)| *c), one.len())
            })
        }
        let letters: Vec<char> = ('a'..='z').chain(['\'', '-', 'A', '1']).collect();
        let mut words = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| letters.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        words.extend(all_spellings().map(|(one, _)| format!("{one}a")));
        let mut read = 0;
        for word in &words {
            assert_eq!(canonical_mora(word), scanned(word), "{word:?}");
            read += usize::from(scanned(word).is_some());
        }
        // Not a comparison of two nothings: a quarter of the words start with a mora.
        assert!(read > words.len() / 5, "{read} of {}", words.len());
        assert_eq!(canonical_mora("shi"), Some(("si", 3)));
        assert_eq!(canonical_mora("thi"), Some(("ti", 3)));
        assert_eq!(canonical_mora("dya"), Some(("zya", 3)));
    }

    #[test]
    fn readings_are_romanised_every_usual_way() {
        has(
            &romanisations("サトウ"),
            &["satou", "sato", "satoh", "satoo"],
        );
        has(
            &romanisations("しんいち"),
            &["shinichi", "siniti", "shinichi"],
        );
        has(&romanisations("ホンマ"), &["honma", "homma"]);
        assert!(romanisations("山田").is_empty());
        assert!(romanisations("").is_empty());
    }

    #[test]
    fn long_vowels_are_spelt_short_doubled_or_with_h() {
        // Attack report 1, item 7: YAMADA TAROO kept TAROO.
        for reading in ["タロウ", "たろう", "タロー", "ﾀﾛｰ", "タロオ"] {
            has(
                &romanisations(reading),
                &["taro", "tarou", "taroo", "taroh"],
            );
        }
        has(&romanisations("オオノ"), &["ono", "oono", "ohno", "ouno"]);
        has(&romanisations("ユウコ"), &["yuko", "yuuko", "yuhko"]);
        has(
            &romanisations("ショウタロウ"),
            &["shotaro", "shoutarou", "syotaro", "shohtaroh", "shotarou"],
        );
        has(&romanisations("イノウエ"), &["inoue"]);
    }

    #[test]
    fn typists_mixtures_and_doubled_consonants() {
        has(
            &romanisations("ジュンイチ"),
            &["junichi", "zyuniti", "jyunichi", "juniti"],
        );
        has(&romanisations("ケンイチ"), &["kenichi", "kennichi"]);
        has(&romanisations("ハットリ"), &["hattori"]);
        has(&romanisations("ホッチ"), &["hotchi", "hocchi"]);
        let hotchi = romanisations("ホッチ");
        assert!(!hotchi.contains(&"hottchi".to_owned()), "{hotchi:?}");
        has(&romanisations("ツヅキ"), &["tsuzuki", "tsuduki", "tuzuki"]);
    }

    #[test]
    fn every_spelling_of_a_romanised_word_folds_to_one() {
        let one = |words: &[&str]| {
            let first = canonical(words[0]);
            for w in words {
                assert_eq!(canonical(w), first, "{w} and {}", words[0]);
            }
        };
        one(&["Sato", "Satou", "Satoh", "Satoo", "SATOU"]);
        one(&[
            "Shinichi",
            "Shin'ichi",
            "Shin-ichi",
            "Shinnichi",
            "Siniti",
            "SHINICHI",
        ]);
        one(&["Tsuyoshi", "Tuyosi", "Tsuyosi", "Tuyoshi"]);
        one(&[
            "Junichiro",
            "Jun'ichiro",
            "Junichirou",
            "Zyunitiro",
            "Jyunichiroh",
        ]);
        one(&["Ono", "Ohno", "Oono", "Ouno"]);
        one(&["Honma", "Homma"]);
        one(&["Hattori", "Hattouri", "HATTORI"]);
        one(&["Hotchi", "Hocchi", "Hotti"]);
        one(&["Yuuko", "Yuko", "Yuhko"]);
        one(&["Shouta", "Shota", "Syota", "Shohta", "Syouta"]);
        one(&["Chiba", "Tiba"]);
        one(&["Fujii", "Huzii", "Fuzii"]);
        one(&["Kenji", "Kenzi", "Kendi"]);
        one(&["Jun", "Zyun", "Jyun"]);
        // A reading's romanisations all fold to its one spelling.
        for kana in [
            "サトウ",
            "しんいち",
            "ジュンイチロウ",
            "ツヨシ",
            "ホンマ",
            "オオノ",
        ] {
            let all = romanisations(kana);
            assert!(!all.is_empty());
            assert!(
                all.iter().all(|r| canonical(r) == canonical(&all[0])),
                "{kana}: {all:?}"
            );
            assert_eq!(distinct_romanisations(kana).len(), 1, "{kana}");
        }
        // Words that do not read as romaji stay.
        for word in ["smith", "lee", "don't", "ann-marie", "ann", "annual"] {
            assert_eq!(canonical(word), word);
        }
        assert!(canonical_pieces("don't").is_none());
        // Names that differ stay apart.
        assert_ne!(canonical("Sato"), canonical("Saito"));
        assert_ne!(canonical("Ono"), canonical("Onoe"));
        assert_ne!(canonical("Kimura"), canonical("Kimula"));
    }

    #[test]
    fn each_letter_of_a_canonical_spelling_points_into_the_word() {
        for word in ["shin'ichi", "satoh", "hotchi", "ja", "homma", "shinnichi"] {
            let pieces = canonical_pieces(word).unwrap();
            assert!(
                pieces.iter().all(|&(_, f, t)| f < t && t <= word.len()),
                "{word}"
            );
            assert!(pieces.windows(2).all(|w| w[0].1 <= w[1].1), "{word}");
            assert_eq!(pieces.first().map(|p| p.1), Some(0), "{word}");
            assert_eq!(pieces.last().map(|p| p.2), Some(word.len()), "{word}");
        }
    }
}
