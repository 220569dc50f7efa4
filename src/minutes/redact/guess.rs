//! The readings a given name recorded in kanji without a reading may have (attack report 12,
//! finding 6): 山田 健太 with no reading is also `ヤマダケンタ`, `やまだ けんた`, `山田ケンタ`,
//! `ヤマダ健太` and `Yamada Kenta`. Each kanji's usual readings in names (given_readings.txt) are
//! joined kanji by kanji, the most usual first (健 ケン + 太 タ = ケンタ), at most [`MOST`] of
//! them; a name with a kanji the table lacks, or of more than [`LONGEST`] kanji, gets none.
//!
//! What is made of them ([`super::patterns`]): the whole name with the family name in any of its
//! writings (kanji, the family's reading — recorded for another member of the family, or the word
//! list's —, romaji) and the given name in any of its guessed readings, in either order, found
//! wherever it stands like the whole name; and each guessed reading alone only where something
//! marks it as a name (`けんたくん`, `ユキさん`, alone between punctuation). A guessed form is the
//! person's own: the same letter as every other spelling of the person. A form that is another
//! person's recorded form (a reading recorded for them) stays theirs; a form two people's guesses
//! share (健太 and 賢太 both read ケンタ) is tied to no one and replaced by 某氏 (`(name withheld)`),
//! never by either one's letter.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::fold::{fold_str, is_kanji};

const TABLE: &str = include_str!("given_readings.txt");

/// The most readings guessed for one given name.
const MOST: usize = 6;
/// The longest given name guessed, in kanji.
const LONGEST: usize = 3;

/// Each kanji (folded) and its readings (folded katakana), the most usual first.
static READINGS: LazyLock<HashMap<char, Vec<String>>> = LazyLock::new(|| {
    let mut out: HashMap<char, Vec<String>> = HashMap::new();
    for line in TABLE.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(kanji) = words.next().and_then(|k| fold_str(k).chars().next()) else {
            continue;
        };
        let list = out.entry(kanji).or_default();
        for r in words.map(fold_str) {
            if !list.contains(&r) {
                list.push(r);
            }
        }
    }
    out
});

/// The table's readings of each kanji, in order; none when a kanji is not in the table.
fn readings_of(chars: &[char]) -> Option<Vec<&'static Vec<String>>> {
    chars.iter().map(|c| READINGS.get(c)).collect()
}

/// Whether the table reads the kanji `c` (folded) as a part of given names (太, 昭): a kanji
/// alone after a family name is a given name of one kanji only if it is such a kanji.
pub fn is_given_kanji(c: char) -> bool {
    READINGS.contains_key(&c)
}

/// The readings a given name in kanji may have, the most usual first; none when a kanji of it
/// is not in the table or it is no word of one to [`LONGEST`] kanji.
pub fn given_readings(given: &str) -> Vec<String> {
    let chars: Vec<char> = fold_str(given).chars().collect();
    if chars.is_empty() || chars.len() > LONGEST || !chars.iter().all(|c| is_kanji(*c)) {
        return Vec::new();
    }
    let Some(lists) = readings_of(&chars) else {
        return Vec::new();
    };
    // Every way of picking one reading per kanji, by how usual the picks are together (the sum
    // of their places in the lists), then as the table lists them.
    let mut picks: Vec<Vec<usize>> = vec![Vec::new()];
    for list in &lists {
        picks = picks
            .into_iter()
            .flat_map(|p| {
                (0..list.len().min(MOST)).map(move |i| {
                    let mut next = p.clone();
                    next.push(i);
                    next
                })
            })
            .collect();
    }
    picks.sort_by_key(|p| p.iter().sum::<usize>());
    let mut out: Vec<String> = Vec::new();
    for p in picks {
        let reading: String = p.iter().zip(&lists).map(|(&i, l)| l[i].as_str()).collect();
        if reading.chars().count() >= 2 && !out.contains(&reading) {
            out.push(reading);
        }
        if out.len() == MOST {
            break;
        }
    }
    out
}

/// The most writings half in kana, half in kanji made for one given name: every one of two
/// cuts of a name of [`LONGEST_MIXED`] kanji.
const MOST_MIXES: usize = 28;
/// The longest given name written half in kana, in kanji (由紀恵美 as ゆき恵美).
const LONGEST_MIXED: usize = 4;

/// A given name in kanji written kanji by kanji, some in kana and some as recorded (花子 as
/// はな子 or 花こ; 太郎 as た郎), folded (kana as katakana), neither all kanji nor all kana: how a
/// name is written by hand or by someone unsure of a kanji (attack on the S世帯 case,
/// 2026-12-05). `reading` is the recorded reading of the given name when there is one, cut into
/// each kanji's reading by the table (one kanji the table cannot read takes what is left); with
/// none, the guessed readings, the most usual first. Each entry tells whether every run of kana
/// in it has two or more characters (はな子, not 花こ): a single kana beside a kanji is as often a
/// word's (一こ, 花こう岩). A kanji the table cannot read and no reading was recorded for stays
/// as written in every writing (鬱た of 鬱太); a name of four kanji is written so too (ゆき恵美).
pub fn given_mixes(given: &str, reading: Option<&str>) -> Vec<(String, bool)> {
    let chars: Vec<char> = fold_str(given).chars().collect();
    if !(2..=LONGEST_MIXED).contains(&chars.len()) || !chars.iter().all(|c| is_kanji(*c)) {
        return Vec::new();
    }
    let cuts: Vec<Vec<Option<String>>> = match reading {
        Some(r) => cut(&chars, &fold_str(r).chars().collect::<Vec<char>>())
            .into_iter()
            .map(|c| c.into_iter().map(Some).collect())
            .collect(),
        None => guessed_cuts(&chars),
    };
    let mut out: Vec<(String, bool)> = Vec::new();
    for cut in cuts.iter().take(2) {
        // Every kanji as written (bit clear) or in its reading (bit set), never all of one.
        for mask in 1..(1u32 << chars.len()) - 1 {
            let unread = (0..chars.len()).any(|k| mask & (1 << k) != 0 && cut[k].is_none());
            if unread {
                continue;
            }
            let mut text = String::new();
            let mut runs_long = true;
            let mut run = 0;
            for (k, c) in chars.iter().enumerate() {
                if let (true, Some(kana)) = (mask & (1 << k) != 0, &cut[k]) {
                    text.push_str(kana);
                    run += kana.chars().count();
                } else {
                    runs_long &= run == 0 || run >= 2;
                    run = 0;
                    text.push(*c);
                }
            }
            runs_long &= run == 0 || run >= 2;
            if !out.iter().any(|(t, _)| *t == text) && out.len() < MOST_MIXES {
                out.push((text, runs_long));
            }
        }
    }
    out
}

/// The ways the folded `reading` is cut into the readings of `chars` by the table, those where
/// every kanji's reading is listed first; at most one kanji may take an unlisted reading.
fn cut(chars: &[char], reading: &[char]) -> Vec<Vec<String>> {
    fn go(
        chars: &[char],
        reading: &[char],
        wild: bool,
        acc: &mut Vec<String>,
        out: &mut Vec<(bool, Vec<String>)>,
    ) {
        if out.len() >= 4 {
            return;
        }
        let Some((c, rest)) = chars.split_first() else {
            if reading.is_empty() {
                out.push((wild, acc.clone()));
            }
            return;
        };
        for r in READINGS.get(c).into_iter().flatten() {
            let r: Vec<char> = r.chars().collect();
            if reading.starts_with(&r) {
                acc.push(r.iter().collect());
                go(rest, &reading[r.len()..], wild, acc, out);
                acc.pop();
            }
        }
        if !wild {
            // Leave a kana for each kanji after this one.
            for l in 1..=reading.len().saturating_sub(rest.len()) {
                acc.push(reading[..l].iter().collect());
                go(rest, &reading[l..], true, acc, out);
                acc.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(chars, reading, false, &mut Vec::new(), &mut out);
    out.sort_by_key(|(wild, _)| *wild);
    out.into_iter().map(|(_, cut)| cut).collect()
}

/// The most usual readings of each kanji, kanji by kanji, in the order [`given_readings`] gives;
/// for a name it gives none (a kanji the table lacks, more than [`LONGEST`] kanji), each kanji's
/// first reading, then its second, a kanji the table lacks unread (`None`).
fn guessed_cuts(chars: &[char]) -> Vec<Vec<Option<String>>> {
    let lists = match readings_of(chars) {
        Some(lists) if chars.len() <= LONGEST => lists,
        _ => return kanji_by_kanji(chars),
    };
    let mut out: Vec<Vec<Option<String>>> = Vec::new();
    for reading in given_readings(&chars.iter().collect::<String>()) {
        let r: Vec<char> = reading.chars().collect();
        for c in cut(chars, &r) {
            let listed = c.iter().zip(&lists).all(|(part, list)| list.contains(part));
            let c: Vec<Option<String>> = c.into_iter().map(Some).collect();
            if listed && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Each kanji's first reading, then its second (or its first again), a kanji the table lacks
/// unread; none when the table reads none of them.
fn kanji_by_kanji(chars: &[char]) -> Vec<Vec<Option<String>>> {
    let lists: Vec<Option<&Vec<String>>> = chars.iter().map(|c| READINGS.get(c)).collect();
    if lists.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut out: Vec<Vec<Option<String>>> = Vec::new();
    for pick in 0..2 {
        let cut: Vec<Option<String>> = lists
            .iter()
            .map(|l| l.and_then(|l| l.get(pick).or_else(|| l.first())).cloned())
            .collect();
        if !out.contains(&cut) {
            out.push(cut);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_name_is_read_kanji_by_kanji_the_usual_reading_first() {
        assert_eq!(
            given_readings("健太").first().map(String::as_str),
            Some("ケンタ")
        );
        assert_eq!(
            given_readings("由紀").first().map(String::as_str),
            Some("ユキ")
        );
        assert!(given_readings("美咲").contains(&"ミサキ".to_owned()));
        assert!(given_readings("健一").contains(&"ケンイチ".to_owned()));
        assert!(given_readings("誠").contains(&"マコト".to_owned()));
        assert!(given_readings("健太").len() <= MOST);
    }

    #[test]
    fn a_name_the_table_cannot_read_gets_no_guess() {
        assert!(given_readings("鬱太").is_empty());
        assert!(given_readings("ケンタ").is_empty());
        assert!(given_readings("健太郎一").is_empty());
        assert!(given_readings("").is_empty());
    }

    #[test]
    fn a_given_name_is_written_half_in_kana_kanji_by_kanji() {
        let mixes: Vec<String> = given_mixes("花子", Some("ハナコ"))
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(mixes, ["ハナ子", "花コ"]);
        let guessed = given_mixes("太郎", None);
        assert!(guessed.contains(&(fold_str("た郎"), false)));
        assert!(guessed.contains(&(fold_str("太ろう"), true)));
        assert!(given_mixes("誠", None).is_empty());
        // A kanji the table lacks stays as written; a name of four kanji is mixed too.
        let unread = given_mixes("鬱太", None);
        assert!(unread.contains(&(fold_str("鬱た"), false)), "{unread:?}");
        assert!(
            unread.iter().all(|(m, _)| m.starts_with('鬱')),
            "{unread:?}"
        );
        assert!(given_mixes("鬱鬱", None).is_empty());
        let long: Vec<String> = given_mixes("由紀恵美", None)
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert!(long.contains(&fold_str("ゆき恵美")), "{long:?}");
    }
}
