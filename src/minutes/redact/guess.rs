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

/// The readings a given name in kanji may have, the most usual first; none when a kanji of it
/// is not in the table or it is no word of one to [`LONGEST`] kanji.
pub fn given_readings(given: &str) -> Vec<String> {
    let chars: Vec<char> = fold_str(given).chars().collect();
    if chars.is_empty() || chars.len() > LONGEST || !chars.iter().all(|c| is_kanji(*c)) {
        return Vec::new();
    }
    let Some(lists) = chars
        .iter()
        .map(|c| READINGS.get(c))
        .collect::<Option<Vec<&Vec<String>>>>()
    else {
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
}
