//! The forms in which each person's name is looked for: the whole name with any spacing, in
//! either order; each part alone; the reading in kana and in Latin letters; a known family name's
//! reading when nobody recorded one. Forms several people share are tied to no one.

use std::collections::HashMap;

use super::fold::{Class, fold, fold_key, fold_str};
use super::guess::{given_mixes, given_readings};
use super::people::{Person, PersonKind, given_names, parts, reading_parts};
use super::romaji::{distinct_romanisations, romanisations};
use super::words::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Person(usize),
    /// A form several people share: hidden, but tied to no one.
    Ambiguous,
    /// An agency name: kept whole, even where a name is part of it.
    Keep,
}

/// Which boundary rules a form follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Kanji or mixed: no spaces to go by, found wherever it stands.
    Kanji,
    /// Kana only: not inside a longer run of the same script, unless an honorific follows.
    Kana,
    /// Latin letters: a whole word.
    Latin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Folded parts, matched with any spacing (or none) between them.
    pub parts: Vec<Vec<char>>,
    pub target: Target,
    /// Found wherever it stands (within its script's boundaries); otherwise only where it stands
    /// as a name (before an honorific or a title, alone, in a list).
    pub strong: bool,
    pub script: Script,
    /// All parts of a name, not one part.
    pub full: bool,
    /// Found only where written in katakana (a family name's reading from the word list).
    pub katakana_only: bool,
    /// A name nobody recorded that is one character, an ordinary word or hiragana (愛, はる):
    /// found only where it is marked as a name again — before an honorific or a title, or alone
    /// between spaces or punctuation — so that 愛さん does not take 愛 out of 愛の手帳.
    pub marked: bool,
    /// The family name of a name in kanji (髙橋 of 髙橋 一郎, its reading タカハシ, a recorded
    /// name that is a known family name): a word after it that reads as a given name makes
    /// another person of the family (渡邊 昭, 渡邊健太), replaced whole.
    pub family: bool,
    /// A part that is also an ordinary word (希望): a name only where written as one.
    pub ordinary: bool,
    /// A part of the name of someone recorded elsewhere ([`PersonKind::Recorded`]): found only
    /// with a marker — an honorific, a title, 宅/家 after a family name — or as the whole text.
    pub elsewhere: bool,
    /// Made only of a guessed reading ([`super::guess`]): a name of mixed scripts so made is no
    /// name where more kana follows its kana (佐藤コウジ is not 佐藤 光 read コウ).
    pub guess: bool,
    /// A given name of someone recorded elsewhere, romanised (`Taro` of 山田 太郎（ヤマダ タロウ）):
    /// a part found only with a marker, or as a word glued to Japanese text (`山田さんとTaroが`),
    /// where it stands as a name like `まどかも同席` — not in English prose (`Ichiro Suzuki`).
    pub given_latin: bool,
    pub(super) len: usize,
}

/// One form as written, before it is folded into a pattern.
#[derive(Debug, Clone)]
struct Form {
    parts: Vec<String>,
    strong: bool,
    full: bool,
    katakana_only: bool,
    family: bool,
    /// A part of a name written in one word, split after a family name of one character (角 +
    /// 部屋 of 角部屋): a guess, never found wherever it stands (attack report 6, finding 1).
    guessed: bool,
    /// Made of a reading guessed for a given name nobody recorded a reading of ([`super::guess`]):
    /// the person's only where no one recorded the form as theirs.
    reading_guess: bool,
    /// Found only where marked as a name ([`Pattern::marked`]): a guessed reading alone.
    marked: bool,
}

/// Every pattern, by its first folded character; longest first, an agency before a name of the
/// same length, a whole name before a part.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Sorted by the character, for a binary search on every character of every text.
    by_first: Vec<(char, Vec<Pattern>)>,
}

impl Patterns {
    pub fn starting_with(&self, c: char) -> &[Pattern] {
        match self.by_first.binary_search_by_key(&c, |(f, _)| *f) {
            Ok(i) => &self.by_first[i].1,
            Err(_) => &[],
        }
    }

    /// Every pattern (for the keys a recorded person is looked up by: `lookup`).
    pub fn all(&self) -> impl Iterator<Item = &Pattern> {
        self.by_first.iter().flat_map(|(_, list)| list)
    }

    /// Patterns for these people (distinct, in order) and these agency names.
    pub fn build(people: &[Person], agencies: &[String]) -> Patterns {
        let mut index: HashMap<(Vec<Vec<char>>, bool), usize> = HashMap::new();
        // Each pattern and whose it is: (person, whether only by a guessed reading).
        let mut merged: Vec<(Pattern, Vec<(usize, bool)>)> = Vec::new();
        let families = family_readings(people);
        for (i, person) in people.iter().enumerate() {
            let unrecorded = person.kind == PersonKind::Unrecorded;
            let recorded = person.kind == PersonKind::Recorded;
            let given = if recorded {
                given_names(person)
            } else {
                Vec::new()
            };
            let given_latin: Vec<Vec<char>> = given
                .iter()
                .flat_map(|g| distinct_romanisations(&g.iter().collect::<String>()))
                .map(|r| fold(&r).iter().map(|f| f.c).collect())
                .collect();
            for form in forms(person, &families) {
                let mut p = pattern(&form, Target::Person(i));
                p.marked = form.marked;
                if p.parts.is_empty() || p.parts.iter().any(Vec::is_empty) {
                    continue;
                }
                // Someone recorded elsewhere: the whole name wherever it stands; a given name of
                // two or more characters where it stands as a name (まどかも同席); any other
                // part only where something marks it (千葉さん, not 千葉県, Chiba Prefecture or
                // 健やか).
                if recorded && p.parts.len() < 2 {
                    p.strong = false;
                    // A given name that is also an everyday word (希望, 勇気, さくら) needs a
                    // marker too: `希望が強い` is the word (attack report 8, finding 4).
                    let everyday =
                        words().is_everyday_given(&p.parts[0].iter().collect::<String>());
                    p.elsewhere =
                        p.len < 2 || form.family || everyday || !given.contains(&p.parts[0]);
                    p.given_latin = p.script == Script::Latin
                        && !form.family
                        && given_latin.contains(&p.parts[0]);
                }
                if unrecorded && (!p.strong || hiragana(&form.parts) || form.guessed) {
                    p.strong = false;
                    p.marked = true;
                }
                let key = (p.parts.clone(), p.katakana_only);
                match index.get(&key) {
                    Some(&at) => {
                        let (known, who) = &mut merged[at];
                        known.strong |= p.strong;
                        known.marked &= p.marked;
                        known.full |= p.full;
                        known.family |= p.family;
                        known.elsewhere &= p.elsewhere;
                        known.given_latin |= p.given_latin;
                        match who.iter_mut().find(|(w, _)| *w == i) {
                            Some((_, guess)) => *guess &= form.reading_guess,
                            None => who.push((i, form.reading_guess)),
                        }
                    }
                    None => {
                        index.insert(key, merged.len());
                        merged.push((p, vec![(i, form.reading_guess)]));
                    }
                }
            }
        }
        let patterns: Vec<Pattern> = merged
            .into_iter()
            .map(|(mut p, who)| {
                p.guess = who.iter().all(|(_, guess)| *guess);
                // A form recorded as someone's (their name, their reading) before the same form
                // guessed for another.
                let recorded = who.iter().any(|(_, guess)| !guess);
                let mut who: Vec<usize> = who
                    .into_iter()
                    .filter(|(_, guess)| !recorded || !guess)
                    .map(|(w, _)| w)
                    .collect();
                // The document's own people before those recorded elsewhere.
                if who.iter().any(|&i| people[i].kind != PersonKind::Recorded) {
                    who.retain(|&i| people[i].kind != PersonKind::Recorded);
                }
                p.target = match who.as_slice() {
                    [only] => Target::Person(*only),
                    _ => Target::Ambiguous,
                };
                p
            })
            .collect();
        let mut out = Patterns::default();
        out.insert(patterns);
        out.add_agencies(agencies);
        out
    }

    /// Adds these agency names, kept whole even where a name is part of them.
    pub fn add_agencies(&mut self, agencies: &[String]) {
        let mut patterns = Vec::new();
        for agency in agencies {
            let parts: Vec<String> = agency.split_whitespace().map(str::to_owned).collect();
            let form = Form {
                parts,
                strong: true,
                full: true,
                katakana_only: false,
                family: false,
                guessed: false,
                reading_guess: false,
                marked: false,
            };
            let p = pattern(&form, Target::Keep);
            if p.len >= 2 {
                patterns.push(p);
            }
        }
        self.insert(patterns);
    }

    fn insert(&mut self, patterns: Vec<Pattern>) {
        if patterns.is_empty() {
            return;
        }
        let mut by_first: HashMap<char, Vec<Pattern>> =
            std::mem::take(&mut self.by_first).into_iter().collect();
        for p in patterns {
            if let Some(&c) = p.parts.first().and_then(|f| f.first()) {
                by_first.entry(c).or_default().push(p);
            }
        }
        let mut by_first: Vec<(char, Vec<Pattern>)> = by_first.into_iter().collect();
        for (_, list) in &mut by_first {
            list.sort_by_key(|p| (std::cmp::Reverse(p.len), p.target != Target::Keep, !p.full));
        }
        by_first.sort_by_key(|(c, _)| *c);
        self.by_first = by_first;
    }
}

/// Whether every part is written in hiragana.
fn hiragana(parts: &[String]) -> bool {
    parts
        .iter()
        .all(|p| fold(p).iter().all(|f| f.class == Class::Hiragana))
}

fn pattern(form: &Form, target: Target) -> Pattern {
    let mut parts = Vec::with_capacity(form.parts.len());
    let (mut kana, mut latin) = (true, true);
    for p in &form.parts {
        let folded = fold(p);
        kana &= folded.iter().all(|f| f.class.is_kana());
        latin &= folded.iter().all(|f| f.class.is_alnum());
        parts.push(
            folded
                .iter()
                .filter(|f| f.class != Class::Space)
                .map(|f| f.c)
                .collect::<Vec<char>>(),
        );
    }
    let script = match (kana, latin) {
        (true, _) => Script::Kana,
        (_, true) => Script::Latin,
        _ => Script::Kanji,
    };
    let len = parts.iter().map(Vec::len).sum();
    let ordinary = match parts.as_slice() {
        [only] => only.len() >= 2 && words().is_ordinary(&only.iter().collect::<String>()),
        _ => false,
    };
    Pattern {
        parts,
        target,
        strong: form.strong,
        script,
        full: form.full,
        katakana_only: form.katakana_only,
        marked: false,
        family: form.family,
        ordinary,
        elsewhere: false,
        guess: false,
        given_latin: false,
        len,
    }
}

/// Whether a part of a name is replaced wherever it stands (true), or only where it stands as a
/// name — before an honorific or a title, alone in a field or a list (false): one-character
/// parts, and parts that are also ordinary words (希望, Will), see words.toml.
pub fn stands_alone(part: &str) -> bool {
    let folded = fold(part);
    let letters = folded.iter().filter(|f| f.class.is_word()).count();
    let key: String = folded.iter().map(|f| f.c).collect();
    letters >= 2 && !words().is_ordinary(&key)
}

/// Whether `word` is one of the words redaction knows as no name (a kinship or role word, a
/// title, an honorific, a word that may lead a name): a name part that is such a word (a family
/// name 弟) is taken for the word where the word reads as one (弟さん).
pub fn is_listed_word(word: &str) -> bool {
    let w = words();
    let key: String = fold(word).iter().map(|f| f.c).collect();
    let chars: Vec<char> = key.chars().collect();
    w.not_a_name(&key)
        || [&w.leading_words, &w.honorifics, &w.particles, &w.household]
            .iter()
            .any(|list| list.contains(&chars))
}

fn form(parts: Vec<String>, strong: bool, full: bool) -> Form {
    Form {
        parts,
        strong,
        full,
        katakana_only: false,
        family: false,
        guessed: false,
        reading_guess: false,
        marked: false,
    }
}

/// A form of a family name alone ([`Pattern::family`]).
fn family(mut f: Form) -> Form {
    f.family = true;
    f
}

/// Whether a name's first part is its family name: written in kanji (a name in Latin letters or
/// katakana may give the given name first).
fn family_first(parts: &[String]) -> bool {
    parts
        .first()
        .is_some_and(|p| p.chars().any(super::fold::is_kanji))
}

/// Every form of one person's name; `families` are the family names' readings recorded for
/// someone of the family ([`family_readings`]).
fn forms(person: &Person, families: &HashMap<String, Vec<String>>) -> Vec<Form> {
    let split = parts(&person.name);
    let p = &split.parts;
    let mut out = Vec::new();
    let w = words();
    match p.len() {
        0 => {}
        1 => {
            let f = form(p.clone(), stands_alone(&p[0]), true);
            let known = w.surnames.contains_key(&super::fold::fold_str(&p[0]));
            out.push(if known { family(f) } else { f });
        }
        _ => {
            out.push(form(p.clone(), true, true));
            out.push(form(p.iter().rev().cloned().collect(), true, true));
            // Split by the word list, not as written, after a family name of one character.
            let guessed = p.concat() == person.name.trim()
                && p.first().is_some_and(|f| f.chars().count() == 1);
            for (i, part) in p.iter().enumerate() {
                let mut f = form(vec![part.clone()], stands_alone(part), false);
                f.guessed = guessed;
                out.push(if i == 0 && family_first(p) {
                    family(f)
                } else {
                    f
                });
            }
        }
    }
    for maybe in &split.maybe {
        out.push(form(vec![maybe.clone()], false, false));
    }
    match person.reading.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(reading) => {
            let rp = reading_parts(reading, p);
            out.extend(mixed_forms(p, &rp));
            if let ([family, _], [family_r, given_r]) = (p.as_slice(), rp.as_slice()) {
                out.extend(half_kana_forms(
                    p,
                    Some(given_r),
                    &writings(family, family_r),
                ));
            }
            out.extend(reading_forms(&rp, false, family_first(p)));
        }
        None => {
            out.extend(family_reading_forms(p, families));
            out.extend(guessed_forms(person, p, families));
        }
    }
    out
}

/// The family names' readings recorded with a name (山田 → ヤマダ of 山田 花子（ヤマダ ハナコ）):
/// the reading of every member of the family, whoever recorded it.
fn family_readings(people: &[Person]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for person in people {
        let Some(reading) = person.reading.as_deref().filter(|r| !r.trim().is_empty()) else {
            continue;
        };
        let p = parts(&person.name).parts;
        let rp = reading_parts(reading, &p);
        if p.len() != 2 || rp.len() != 2 || !family_first(&p) {
            continue;
        }
        let list = out.entry(fold_key(&p[0])).or_default();
        let family = fold_str(&rp[0]);
        if !list.contains(&family) {
            list.push(family);
        }
    }
    out
}

/// The forms of a name of two parts whose given name in kanji nobody recorded a reading of
/// (山田 健太), in the readings it may have ([`super::guess`]): the whole name with the family
/// name in any writing (as recorded, a reading a member of the family recorded, the word list's
/// reading, romanised) and the given name in a guessed reading, in either order, wherever it
/// stands (`ヤマダケンタ`, `やまだ けんた`, `山田ケンタ`, `ヤマダ健太`, `Yamada Kenta`); a guessed reading
/// alone only where marked as a name (`ユキさん`). Not for the people recorded elsewhere (found by
/// their recorded forms only, the keys `lookup` keeps) nor for names nobody recorded.
fn guessed_forms(
    person: &Person,
    parts: &[String],
    families: &HashMap<String, Vec<String>>,
) -> Vec<Form> {
    let own = !matches!(person.kind, PersonKind::Recorded | PersonKind::Unrecorded);
    let [family, given] = parts else {
        return Vec::new();
    };
    if !own || !family_first(parts) {
        return Vec::new();
    }
    // No reading guessed (a kanji the table lacks, four kanji or more): the given name half in
    // kana all the same, each kanji the table reads in its reading (鬱た of 鬱太, ゆき恵美).
    let guesses = given_readings(given);
    let key = fold_key(family);
    let mut readings: Vec<String> = families.get(&key).cloned().unwrap_or_default();
    for r in words().surnames.get(&key).into_iter().flatten() {
        if !readings.contains(r) {
            readings.push(r.clone());
        }
    }
    if readings.is_empty() {
        readings.push(family.clone());
    }
    let mut out = Vec::new();
    for g in &guesses {
        for f in &readings {
            out.extend(mixed_forms(parts, &[f.clone(), g.clone()]));
        }
        out.push(Form {
            marked: true,
            ..form(vec![g.clone()], false, false)
        });
        // Romanised too (`Ichiroさん`): the member's, not a name nobody recorded.
        for r in distinct_romanisations(g).into_iter().take(1) {
            out.push(Form {
                marked: true,
                ..form(vec![r], false, false)
            });
        }
    }
    let mut families: Vec<String> = Vec::new();
    for f in &readings {
        for w in writings(family, f) {
            if !families.iter().any(|k| fold_str(k) == fold_str(&w)) {
                families.push(w);
            }
        }
    }
    out.extend(half_kana_forms(parts, None, &families));
    for f in &mut out {
        f.reading_guess = true;
    }
    out
}

/// A name of two parts whose given name in kanji is written half in kana, kanji by kanji
/// ([`given_mixes`]: はな子, ハナ子, た郎): after or before every writing of the family name
/// (`families`), found wherever it stands like the whole name (`齊藤はな子が`, `齋藤ハナ子`); the
/// given name alone as strong as the given name in kanji (`はな子さん`), where each run of kana
/// has two or more characters — a single kana beside a kanji (花こ, 一こ) only where marked as a
/// name. Before, no form mixed the scripts inside a part: `齋藤ハナ子` left 子 and took ハナ for
/// another person (attack on the S世帯 case, 2026-12-05). Each is made like a guessed reading
/// ([`Form::reading_guess`]): a form recorded as someone else's stays theirs, and one ending in
/// kana is no name where more of that kana follows (`太ロウソク`).
fn half_kana_forms(parts: &[String], reading: Option<&str>, families: &[String]) -> Vec<Form> {
    let [_, given] = parts else {
        return Vec::new();
    };
    if !family_first(parts) {
        return Vec::new();
    }
    let strong = stands_alone(given);
    let mut out = Vec::new();
    for (mix, long) in given_mixes(given, reading) {
        for f in families {
            out.push(form(vec![f.clone(), mix.clone()], true, true));
            out.push(form(vec![mix.clone(), f.clone()], true, true));
        }
        out.push(Form {
            marked: !long,
            ..form(vec![mix], strong && long, false)
        });
    }
    for f in &mut out {
        f.reading_guess = true;
    }
    out
}

/// The ways one part of a name is written: as recorded, in its reading (kana of either script
/// and width fold to one), and romanised (every spelling folds to one: [`super::romaji`]).
fn writings(part: &str, reading: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![part.to_owned(), reading.to_owned()];
    out.extend(romanisations(&fold_str(reading)).into_iter().take(1));
    let mut seen = std::collections::HashSet::new();
    out.retain(|w| seen.insert(fold_str(w)));
    out
}

/// A whole name of two parts written with its parts in different scripts, in either order
/// (木村イチロウ, キムラ一郎, Kimura 一郎, 一郎 木村, イチロウ Kimura): every writing of the family
/// name with every writing of the given name, found wherever it stands, like the whole name
/// (attack report 8, finding 1; session 11). The forms in one script are made elsewhere (the
/// name, its reading, its romanisations) and again here: a form made twice is one pattern.
fn mixed_forms(parts: &[String], reading: &[String]) -> Vec<Form> {
    let ([family, given], [family_r, given_r]) = (parts, reading) else {
        return Vec::new();
    };
    let families = writings(family, family_r);
    let givens = writings(given, given_r);
    let mut out = Vec::new();
    for f in &families {
        for g in &givens {
            out.push(form(vec![f.clone(), g.clone()], true, true));
            out.push(form(vec![g.clone(), f.clone()], true, true));
        }
    }
    out
}

/// Forms of a reading: kana as written (either script, either width) and in Latin letters.
fn reading_forms(parts: &[String], katakana_only: bool, family_first: bool) -> Vec<Form> {
    let mut out = Vec::new();
    let kana = parts
        .iter()
        .all(|p| fold(p).iter().all(|f| f.class.is_kana()));
    let with = |mut f: Form| {
        f.katakana_only = katakana_only;
        f
    };
    if parts.len() >= 2 {
        out.push(with(form(parts.to_vec(), true, true)));
        out.push(with(form(
            parts.iter().rev().cloned().collect(),
            true,
            true,
        )));
    }
    // A part of one kana (サ of サ タロウ) stands only as a name, like a one-character name.
    for (i, part) in parts.iter().enumerate() {
        let strong = stands_alone(part);
        let f = with(form(vec![part.clone()], strong, parts.len() == 1));
        out.push(if i == 0 && family_first && parts.len() >= 2 {
            family(f)
        } else {
            f
        });
    }
    if kana {
        let romaji: Vec<Vec<String>> = parts
            .iter()
            .map(|p| distinct_romanisations(&fold_str(p)))
            .collect();
        for list in &romaji {
            for r in list {
                out.push(form(
                    vec![r.clone()],
                    stands_alone(r) && r.len() >= 3,
                    parts.len() == 1,
                ));
            }
        }
        if parts.len() >= 2 {
            for pick in 0..2 {
                let full: Vec<String> = romaji
                    .iter()
                    .filter_map(|l| l.get(pick).or_else(|| l.first()).cloned())
                    .collect();
                out.push(form(full.clone(), true, true));
                out.push(form(full.into_iter().rev().collect(), true, true));
            }
        }
    }
    out
}

/// The family name's readings for a name recorded without one: the word list's (山田 →
/// ヤマダ) and those another member of the family recorded (鷲尾 → ワシオ of 鷲尾 花子（ワシオ
/// ハナコ）, for 鷲尾 一郎: session 14) — the family name in kana (katakana wherever it stands,
/// hiragana where it stands as a name) and romanised.
fn family_reading_forms(parts: &[String], families: &HashMap<String, Vec<String>>) -> Vec<Form> {
    let Some(family) = parts.first() else {
        return Vec::new();
    };
    let w = words();
    let key: String = fold(family).iter().map(|f| f.c).collect();
    let listed = w.surnames.get(&key).into_iter().flatten();
    let recorded = if family_first(parts) {
        families.get(&fold_key(family))
    } else {
        None
    };
    let mut readings: Vec<&String> = Vec::new();
    for r in listed.chain(recorded.into_iter().flatten()) {
        if !readings.iter().any(|known| fold_str(known) == fold_str(r)) {
            readings.push(r);
        }
    }
    let mut out = Vec::new();
    for reading in readings {
        if reading.chars().count() >= 2 {
            out.push(Form {
                parts: vec![reading.clone()],
                strong: true,
                full: parts.len() == 1,
                katakana_only: true,
                family: true,
                guessed: false,
                reading_guess: false,
                marked: false,
            });
            // In hiragana (わたなべ) only where it stands as a name: さとう is also sugar. A family
            // name all the same: a given name a blank after it is a relative's (はやし 健太).
            out.push(self::family(form(
                vec![reading.clone()],
                false,
                parts.len() == 1,
            )));
        }
        let romaji = match w.romaji.get(reading) {
            Some(listed) => listed.clone(),
            None => romanisations(&fold_str(reading))
                .into_iter()
                .take(1)
                .collect(),
        };
        for r in romaji {
            if r.len() >= 3 && stands_alone(&r) {
                out.push(form(vec![r], true, parts.len() == 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_forms_belong_to_no_one() {
        let people = [
            Person::new("山田 花子", PersonKind::Attendee),
            Person::new("山田 太郎", PersonKind::Attendee),
        ];
        let patterns = Patterns::build(&people, &[]);
        let yamada = patterns
            .starting_with('山')
            .iter()
            .find(|p| p.parts == [vec!['山', '田']])
            .unwrap();
        assert_eq!(yamada.target, Target::Ambiguous);
        let hanako = patterns.starting_with('花');
        assert!(hanako.iter().all(|p| p.target == Target::Person(0)));
    }

    #[test]
    fn one_character_and_ordinary_parts_stand_only_as_names() {
        assert!(stands_alone("佐藤"));
        assert!(stands_alone("Lee"));
        assert!(!stands_alone("林"));
        assert!(!stands_alone("希望"));
        assert!(!stands_alone("Will"));
        assert!(!stands_alone("J"));
    }
}
