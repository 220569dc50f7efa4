//! The word lists of words.toml, read once and folded, so that every comparison is between
//! folded forms.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

use super::fold::fold_str;
use super::romaji::romanisations;

const WORDS_TOML: &str = include_str!("words.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    honorifics: Vec<String>,
    english_titles: Vec<String>,
    latin_honorifics: Vec<String>,
    titles: Vec<String>,
    relations: Vec<String>,
    relation_prefixes: Vec<String>,
    relation_notes: Vec<String>,
    relation_units: Vec<String>,
    relation_grades: Vec<String>,
    place_surnames: Vec<String>,
    not_names: Vec<String>,
    leading_words: Vec<String>,
    agency_markers: Vec<String>,
    particles: Vec<String>,
    joined: Vec<String>,
    not_given: Vec<String>,
    household: Vec<String>,
    ordinary: Vec<String>,
    english_words: Vec<String>,
    #[serde(default)]
    everyday_given: Vec<String>,
    #[serde(default)]
    particle_given: Vec<String>,
    kana_words: Vec<String>,
    surnames: HashMap<String, String>,
}

/// The folded word lists. Lists that are searched by prefix are sorted longest first.
#[derive(Debug, Default)]
pub struct Words {
    pub honorifics: Vec<Vec<char>>,
    pub english_titles: HashSet<String>,
    pub latin_honorifics: HashSet<String>,
    /// Titles by their first character (sorted for a binary search), longest first.
    pub title_index: Vec<(char, Vec<Vec<char>>)>,
    pub relations: HashSet<String>,
    /// The relations as characters, longest first: what a relative's name stands beside.
    pub relation_words: Vec<Vec<char>>,
    /// The first characters of the relations and of their prefixes: where one may start.
    pub relation_starts: HashSet<char>,
    /// What makes one relation with a relation right after it (母方祖母, 異父兄), longest first.
    pub relation_prefixes: Vec<Vec<char>>,
    /// Family names that are also places (宮崎, 千葉): beside a relation and before の, the place.
    pub place_surnames: HashSet<String>,
    /// Words that are not names before an honorific: `not_names`, `relations` and `titles`.
    pub not_names: HashSet<String>,
    /// `leading_words` and the relations of two or more characters, longest first.
    pub leading_words: Vec<Vec<char>>,
    /// The same words, for asking whether a whole word is one ([`Words::is_leading_word`]).
    leading_set: HashSet<Vec<char>>,
    pub agency_markers: Vec<String>,
    pub particles: Vec<Vec<char>>,
    /// What joins a name to others (林ら, 林及び森, 林・森両名), longest first.
    pub joined: Vec<Vec<char>>,
    /// Words after a family name that are no given name (髙橋面談, 髙橋方).
    pub not_given: HashSet<String>,
    pub household: Vec<Vec<char>>,
    pub ordinary: HashSet<String>,
    /// Common English words that read as romaji, and the Latin words of `ordinary`, in lower
    /// case as typed (not folded: `too` is not `to` here): a Latin word so written is a name only
    /// where marked as one ([`Words::is_english_word`]).
    pub english_words: HashSet<String>,
    /// Given names that are everyday words (勇気, さくら): someone recorded elsewhere so named
    /// is found only with a marker (attack report 8, finding 4).
    pub everyday_given: HashSet<String>,
    /// Given names in hiragana that start like a particle (ともか, もえ, はるな), folded.
    pub particle_given: HashSet<String>,
    /// Words in kana that start with a name and a particle (ゆうがた: ゆう + が), longest first.
    pub kana_words: Vec<Vec<char>>,
    /// Folded family name → its readings in katakana.
    pub surnames: HashMap<String, Vec<String>>,
    /// Folded reading of a family name → its romanisations (computed once).
    pub romaji: HashMap<String, Vec<String>>,
    /// The longest family name in `surnames`, in characters.
    pub longest_surname: usize,
    /// The longest relation in `relations`, in characters, with room for characters that fold
    /// to nothing (a zero-width space) inside one as written.
    pub longest_relation: usize,
    /// What a household table notes beside a relation (同居, 死亡, 歳, 中2), folded.
    pub relation_notes: HashSet<String>,
    /// The longest of `relation_notes`, in characters, with room for characters that fold.
    pub longest_relation_note: usize,
    /// What a relation column keeps right after a number (歳, 代, か月), folded, longest first.
    pub relation_units: Vec<Vec<char>>,
    /// What a relation column keeps right before a number (小, 中, 高: 中2), folded.
    pub relation_grades: HashSet<String>,
}

static WORDS: LazyLock<Words> = LazyLock::new(|| load(WORDS_TOML).unwrap_or_default());

/// The compiled-in word lists (empty lists if words.toml were broken, which a test rules out).
pub fn words() -> &'static Words {
    &WORDS
}

fn load(text: &str) -> Result<Words, toml::de::Error> {
    let raw: Raw = toml::from_str(text)?;
    // Folded with the variant table of fold.rs (variants.txt).
    let fold = |s: &str| fold_str(s);
    let by_length = |list: &[String]| {
        let mut out: Vec<Vec<char>> = list.iter().map(|s| fold(s).chars().collect()).collect();
        out.sort_by_key(|w| std::cmp::Reverse(w.len()));
        out.dedup();
        out
    };
    let set = |list: &[String]| list.iter().map(|s| fold(s)).collect::<HashSet<String>>();
    // The longest word of a list in characters, with room for characters that fold into one
    // (half-width kana and their sound marks: ｼﾞ is じ).
    let longest = |list: &[String]| 2 * list.iter().map(|w| w.chars().count()).max().unwrap_or(0);
    let relations = set(&raw.relations);
    let longest_relation = longest(&raw.relations);
    let mut not_names = set(&raw.not_names);
    not_names.extend(relations.iter().cloned());
    not_names.extend(set(&raw.titles));
    let surnames: HashMap<String, Vec<String>> = raw
        .surnames
        .iter()
        .map(|(name, readings)| {
            let readings = readings.split('/').map(|r| fold(r.trim())).collect();
            (fold(name), readings)
        })
        .collect();
    let longest_surname = surnames
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    let romaji = surnames
        .values()
        .flatten()
        .map(|r| (r.clone(), romanisations(&fold_str(r))))
        .collect();
    let titles = by_length(&raw.titles);
    let mut title_index: Vec<(char, Vec<Vec<char>>)> = Vec::new();
    for t in &titles {
        let Some(&c) = t.first() else { continue };
        match title_index.binary_search_by_key(&c, |(f, _)| *f) {
            Ok(at) => title_index[at].1.push(t.clone()),
            Err(at) => title_index.insert(at, (c, vec![t.clone()])),
        }
    }
    let leading_words = by_length(
        &raw.leading_words
            .iter()
            .chain(raw.relations.iter().filter(|r| r.chars().count() >= 2))
            .cloned()
            .collect::<Vec<String>>(),
    );
    Ok(Words {
        honorifics: by_length(&raw.honorifics),
        english_titles: set(&raw.english_titles),
        latin_honorifics: set(&raw.latin_honorifics),
        title_index,
        relation_words: by_length(&raw.relations),
        relation_starts: relations
            .iter()
            .chain(&raw.relation_prefixes)
            .filter_map(|r| fold(r).chars().next())
            .collect(),
        relation_prefixes: by_length(&raw.relation_prefixes),
        place_surnames: set(&raw.place_surnames),
        relations,
        longest_relation,
        relation_notes: set(&raw.relation_notes),
        relation_units: by_length(&raw.relation_units),
        relation_grades: set(&raw.relation_grades),
        longest_relation_note: longest(&raw.relation_notes),
        not_names,
        leading_set: leading_words.iter().cloned().collect(),
        leading_words,
        agency_markers: raw.agency_markers.iter().map(|s| fold(s)).collect(),
        particles: by_length(&raw.particles),
        joined: by_length(&raw.joined),
        not_given: set(&raw.not_given),
        household: by_length(&raw.household),
        ordinary: set(&raw.ordinary),
        english_words: raw
            .english_words
            .iter()
            .chain(raw.ordinary.iter().filter(|w| w.is_ascii()))
            .map(|w| w.to_lowercase())
            .collect(),
        everyday_given: set(&raw.everyday_given),
        particle_given: set(&raw.particle_given),
        kana_words: by_length(&raw.kana_words),
        surnames,
        romaji,
        longest_surname,
    })
}

impl Words {
    /// Whether `folded` (a whole word) is a kinship word, a role, a title or a word that takes an
    /// honorific in ordinary speech.
    pub fn not_a_name(&self, folded: &str) -> bool {
        self.not_names.contains(folded)
    }

    /// Whether `folded` (a whole word) is one of [`Words::leading_words`]: asked for every name
    /// of a meeting's minutes at each split of it, where a scan of the list was most of the
    /// minutes' people read.
    pub fn is_leading_word(&self, folded: &[char]) -> bool {
        self.leading_set.contains(folded)
    }

    /// Whether `folded` (a whole word) is a title or profession (係長, 民生委員, CW).
    pub fn is_title(&self, folded: &str) -> bool {
        let chars: Vec<char> = folded.chars().collect();
        chars.first().is_some_and(|first| {
            match self.title_index.binary_search_by_key(first, |(c, _)| *c) {
                Ok(at) => self.title_index[at].1.contains(&chars),
                Err(_) => false,
            }
        })
    }

    /// Whether `folded` is a part of a name that is also an ordinary word.
    pub fn is_ordinary(&self, folded: &str) -> bool {
        self.ordinary.contains(folded)
    }

    /// Whether a Latin word, as written (NFKC, lower case, not folded), is a common English
    /// word (too, to, go, will): where it meets a name's spelling, a name only where marked as
    /// one (see `english_words` in words.toml).
    pub fn is_english_word(&self, written: &str) -> bool {
        self.english_words.contains(written)
    }

    /// Whether `folded` is a given name that is also an everyday word (`ordinary`, or
    /// `everyday_given`): of someone recorded elsewhere, a name only where marked as one.
    pub fn is_everyday_given(&self, folded: &str) -> bool {
        self.ordinary.contains(folded) || self.everyday_given.contains(folded)
    }

    /// Whether `text` (as typed) names an agency rather than a person: it ends with a marker such
    /// as 課 or センター, or holds a marker of two or more characters.
    pub fn looks_like_agency(&self, text: &str) -> bool {
        let folded = fold_str(text);
        let folded = folded.trim();
        self.agency_markers.iter().any(|m| {
            !m.is_empty()
                && (folded.ends_with(m.as_str())
                    || (m.chars().count() >= 2 && folded.contains(m.as_str())))
        })
    }
}

/// The length of the word of `list` that `rest` starts with, in folded characters.
pub fn starts_with_any(rest: &[char], list: &[Vec<char>]) -> Option<usize> {
    list.iter()
        .find(|w| !w.is_empty() && rest.starts_with(w))
        .map(Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_lists_read_and_are_not_empty() {
        let w = load(WORDS_TOML).unwrap();
        assert!(w.honorifics.len() >= 8);
        assert!(w.title_index.iter().map(|(_, t)| t.len()).sum::<usize>() > 50);
        assert!(w.surnames.len() > 150);
        assert!(w.surnames.contains_key("高橋"));
        assert!(w.not_a_name(&fold_str("お母")) || w.not_a_name(&fold_str("母")));
        assert!(w.not_a_name(&fold_str("民生委員")));
        assert!(w.not_a_name(&fold_str("ケアマネ")));
        assert!(w.not_a_name(&fold_str("長男")));
        assert!(w.not_a_name(&fold_str("たく")));
        assert_eq!(
            w.surnames.get(&fold_str("佐藤")),
            Some(&vec![fold_str("サトウ")])
        );
        assert_eq!(
            w.surnames.get(&fold_str("髙橋")),
            Some(&vec!["タカハシ".to_owned()])
        );
        assert!(w.honorifics.windows(2).all(|p| p[0].len() >= p[1].len()));
    }

    #[test]
    fn agencies_are_told_from_people() {
        let w = words();
        for agency in [
            "地域福祉課",
            "くらし・しごと相談室",
            "社会福祉協議会",
            "ハローワーク",
            "中村橋福祉センター",
        ] {
            assert!(w.looks_like_agency(agency), "{agency}");
        }
        for person in ["阿部 恵子", "佐藤 恵子", "Ann Lee", "林"] {
            assert!(!w.looks_like_agency(person), "{person}");
        }
    }

    #[test]
    fn a_broken_list_is_an_error_not_a_panic() {
        assert!(load("honorifics = 1").is_err());
        assert!(load("unknown = []").is_err());
    }
}
