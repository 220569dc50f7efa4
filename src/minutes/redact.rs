//! Redaction: every recorded person's name replaced by a stable placeholder (A氏, B氏 … or
//! Person A, Person B …), letters given in order of first appearance, the same person keeping
//! the same letter. Agencies stay.
//!
//! A name is found as written, without the space between family and given name, with a
//! full-width space, by its family name alone when no one else recorded shares it, and by its
//! given name when an honorific follows (花子さん). An honorific after a name goes with it
//! (山田さん → A氏), so that the placeholder reads naturally.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Amendment, MinutesInput};
use crate::domain::calendar::fold_width;
use crate::i18n::Lang;

/// Longest first, so that さま is not read as さ + ま.
const HONORIFICS: &[&str] = &["ちゃん", "さん", "さま", "くん", "様", "氏", "君", "殿"];

/// Words for a relation or a role that a key person is often recorded as (長女（市外在住）):
/// such a key person is not a name.
const RELATIONS: &[&str] = &[
    "本人",
    "夫",
    "妻",
    "父",
    "母",
    "実父",
    "実母",
    "義父",
    "義母",
    "養父",
    "養母",
    "長男",
    "長女",
    "次男",
    "次女",
    "三男",
    "三女",
    "息子",
    "娘",
    "子",
    "兄",
    "弟",
    "姉",
    "妹",
    "祖父",
    "祖母",
    "孫",
    "叔父",
    "叔母",
    "伯父",
    "伯母",
    "甥",
    "姪",
    "親",
    "両親",
    "親族",
    "家族",
    "元妻",
    "元夫",
    "内縁",
    "知人",
    "友人",
    "隣人",
    "近隣",
    "民生委員",
    "大家",
    "家主",
    "後見人",
    "保佐人",
    "補助人",
    "ケアマネジャー",
    "ケアマネ",
    "主治医",
    "担当",
    "相談支援専門員",
];

/// Parts of agency names: a key person containing one is an agency, not a person.
const AGENCY_MARKERS: &[&str] = &[
    "課",
    "係",
    "センター",
    "室",
    "所",
    "会",
    "局",
    "事業",
    "委員",
    "病院",
    "クリニック",
    "医院",
    "施設",
    "学校",
    "園",
    "署",
    "庁",
    "部",
    "法人",
    "組合",
];

/// Entities and fields whose values are names: amended names must be hidden as well as the
/// current ones.
const NAME_FIELDS: &[(&str, &str)] = &[
    ("meeting", "facilitator"),
    ("meeting", "recorder"),
    ("meeting", "case_subject"),
    ("meeting", "key_person"),
    ("attendee", "name"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Person(usize),
    /// A family or given name several recorded people share: hidden, but tied to no one.
    Ambiguous,
    /// An agency name: kept as it is, even when a name is part of it.
    Keep,
}

#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    target: Target,
    needs_honorific: bool,
}

/// Replaces names in text, remembering which letter each person got.
#[derive(Debug, Clone)]
pub struct Redactor {
    lang: Lang,
    /// Patterns by their first character, longest first within each.
    by_first: Vec<(char, Vec<Pattern>)>,
    letters: Vec<Option<usize>>,
    reserved: Vec<usize>,
    next: usize,
    case_letter: Option<usize>,
}

/// One person's name split at whitespace: ["山田", "花子"].
fn tokens(name: &str) -> Vec<&str> {
    name.split_whitespace().collect()
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The key person when it is a person's name rather than a relation (長女) or an agency.
pub fn key_person_name(text: &str) -> Option<String> {
    let head = text.split(['（', '(']).next().unwrap_or("").trim();
    if head.is_empty() {
        return None;
    }
    let parts = tokens(head);
    if parts.len() >= 2 && RELATIONS.contains(&parts[0]) {
        return Some(parts[1..].join(" "));
    }
    if RELATIONS.iter().any(|r| head.starts_with(r))
        || AGENCY_MARKERS.iter().any(|m| head.contains(m))
        || chars(head) > 12
    {
        return None;
    }
    Some(head.to_owned())
}

/// Every name recorded for the meeting, in the order the minutes first mention them.
pub fn recorded_names(input: &MinutesInput) -> Vec<String> {
    let m = &input.meeting;
    let mut names = vec![m.facilitator.clone(), m.recorder.clone()];
    names.extend(m.attendees.iter().map(|a| a.name.clone()));
    names.push(m.case_subject.clone());
    names.extend(key_person_name(&m.key_person));
    names.extend(input.amendments.iter().flat_map(amended_names));
    names.retain(|n| chars(&tokens(n).concat()) >= 2);
    names
}

/// Names an amendment shows: old and new values of name fields, and the attendee it is about
/// (who may since have been removed from the list).
fn amended_names(a: &Amendment) -> Vec<String> {
    let mut out = Vec::new();
    if a.entity == "attendee" {
        out.push(a.subject.clone());
    }
    if !NAME_FIELDS.contains(&(a.entity.as_str(), a.field.as_str())) {
        return out;
    }
    let values = [&a.old_value, &a.new_value].into_iter().flatten();
    if a.field == "key_person" {
        out.extend(values.filter_map(|v| key_person_name(v)));
    } else {
        out.extend(values.cloned());
    }
    out
}

/// Agency names of the meeting, kept whole wherever they appear.
fn agencies(input: &MinutesInput) -> Vec<String> {
    let m = &input.meeting;
    let mut out: Vec<String> = m
        .attendees
        .iter()
        .filter_map(|a| a.agency.clone())
        .chain(m.roles.iter().filter_map(|r| r.agency.clone()))
        .chain(m.actions.iter().filter_map(|a| a.agency.clone()))
        .chain(input.carried.iter().filter_map(|a| a.agency.clone()))
        .chain(m.lead_agency.clone())
        .chain(m.referred_by.clone())
        .collect();
    out.push(input.body.organiser.clone());
    out.push(input.body.name.clone());
    out
}

/// The letters a case pseudonym uses (A世帯 → A), so that no one else is given them.
fn pseudonym_letters(case: &str) -> Vec<usize> {
    let folded: Vec<char> = fold_width(case).chars().collect();
    let mut out = Vec::new();
    for (i, c) in folded.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| folded.get(j));
        let after = folded.get(i + 1);
        let alone = |n: Option<&char>| n.is_none_or(|n| !n.is_ascii_alphabetic());
        if c.is_ascii_uppercase() && alone(before) && alone(after) {
            out.push(usize::from(*c as u8 - b'A'));
        }
    }
    out
}

/// A, B, … Z, AA, AB, …
fn letter_name(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

impl Redactor {
    /// A redactor for these names (any order, duplicates allowed) that leaves these agency names
    /// whole.
    pub fn new(lang: Lang, names: &[String], agencies: &[String]) -> Redactor {
        let people = distinct_people(names);
        let mut patterns = person_patterns(&people);
        patterns.extend(
            agencies
                .iter()
                .map(|a| a.trim())
                .filter(|a| chars(a) >= 2)
                .map(|a| Pattern {
                    text: a.to_owned(),
                    target: Target::Keep,
                    needs_honorific: false,
                }),
        );
        Redactor {
            lang,
            by_first: index_patterns(patterns),
            letters: vec![None; people.len()],
            reserved: Vec::new(),
            next: 0,
            case_letter: None,
        }
    }

    /// The redactor for one meeting's minutes: its recorded names, its agencies, and the case
    /// pseudonym's letter kept for the case subject (A世帯 → A氏).
    pub fn for_minutes(input: &MinutesInput, lang: Lang) -> Redactor {
        let names = recorded_names(input);
        let mut redactor = Redactor::new(lang, &names, &agencies(input));
        redactor.reserved = pseudonym_letters(&input.meeting.case);
        if let [letter] = redactor.reserved.as_slice() {
            let letter = *letter;
            if let Some(person) = redactor.person_of(&input.meeting.case_subject) {
                redactor.letters[person] = Some(letter);
                redactor.case_letter = Some(letter);
            }
        }
        redactor
    }

    fn person_of(&self, name: &str) -> Option<usize> {
        let key = tokens(name).concat();
        let first = key.chars().next()?;
        self.candidates(first)
            .iter()
            .find(|p| p.text == key && !p.needs_honorific)
            .and_then(|p| match p.target {
                Target::Person(i) => Some(i),
                _ => None,
            })
    }

    fn candidates(&self, first: char) -> &[Pattern] {
        match self.by_first.binary_search_by_key(&first, |(c, _)| *c) {
            Ok(i) => &self.by_first[i].1,
            Err(_) => &[],
        }
    }

    fn placeholder(&mut self, person: usize) -> String {
        let letter = match self.letters.get(person).copied().flatten() {
            Some(l) => l,
            None => {
                while self.reserved.contains(&self.next) || self.letters.contains(&Some(self.next))
                {
                    self.next += 1;
                }
                let l = self.next;
                if let Some(slot) = self.letters.get_mut(person) {
                    *slot = Some(l);
                }
                l
            }
        };
        self.placeholder_text(letter)
    }

    /// The case subject's placeholder when it takes the case pseudonym's letter (A世帯 → A氏).
    pub fn case_placeholder(&self) -> Option<String> {
        self.case_letter.map(|l| self.placeholder_text(l))
    }

    fn placeholder_text(&self, letter: usize) -> String {
        match self.lang {
            Lang::Ja => format!("{}氏", letter_name(letter)),
            Lang::En => format!("Person {}", letter_name(letter)),
        }
    }

    fn ambiguous(&self) -> &'static str {
        self.lang.pick("某氏", "(name withheld)")
    }

    /// `text` with every name replaced; borrowed when there was none.
    pub fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let mut out = String::new();
        let mut copied = 0;
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let Some(c) = rest.chars().next() else { break };
            match self.match_at(text, i) {
                Some((len, Target::Keep)) => i += len,
                Some((len, target)) => {
                    out.push_str(&text[copied..i]);
                    let end = i + len;
                    let end = end + honorific_len(&text[end..]);
                    let replacement = match target {
                        Target::Person(p) => self.placeholder(p),
                        _ => self.ambiguous().to_owned(),
                    };
                    out.push_str(&replacement);
                    copied = end;
                    i = end;
                }
                None => i += c.len_utf8(),
            }
        }
        if copied == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// The longest pattern that starts at byte `i` of `text`, with its length.
    fn match_at(&self, text: &str, i: usize) -> Option<(usize, Target)> {
        let rest = &text[i..];
        let first = rest.chars().next()?;
        let before = text[..i].chars().next_back();
        self.candidates(first)
            .iter()
            .find(|p| {
                rest.starts_with(p.text.as_str())
                    && word_bounded(before, &p.text, rest[p.text.len()..].chars().next())
                    && (!p.needs_honorific || honorific_len(&rest[p.text.len()..]) > 0)
            })
            .map(|p| (p.text.len(), p.target))
    }
}

/// Latin names match whole words only (Ann is not in Annual); Japanese has no spaces to go by.
fn word_bounded(before: Option<char>, pattern: &str, after: Option<char>) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let starts = alnum(pattern.chars().next());
    let ends = alnum(pattern.chars().next_back());
    let glued_before = starts && alnum(before);
    let glued_after = ends && alnum(after);
    !glued_before && !glued_after
}

fn honorific_len(rest: &str) -> usize {
    HONORIFICS
        .iter()
        .find(|h| rest.starts_with(**h))
        .map_or(0, |h| h.len())
}

/// Names told apart by their letters without spaces: 山田 花子 and 山田花子 are one person.
fn distinct_people(names: &[String]) -> Vec<Vec<String>> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let parts: Vec<String> = tokens(name).into_iter().map(str::to_owned).collect();
        let key = parts.concat();
        if chars(&key) < 2 || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(parts);
    }
    out
}

fn person_patterns(people: &[Vec<String>]) -> Vec<Pattern> {
    let mut out = Vec::new();
    let mut full: Vec<String> = Vec::new();
    for (i, parts) in people.iter().enumerate() {
        for variant in [parts.join(" "), parts.concat(), parts.join("\u{3000}")] {
            if !full.contains(&variant) {
                full.push(variant.clone());
                out.push(Pattern {
                    text: variant,
                    target: Target::Person(i),
                    needs_honorific: false,
                });
            }
        }
    }
    let family = part_patterns(people, |p| p.first(), false, &full);
    let given = part_patterns(people, |p| p.last(), true, &full);
    out.extend(family);
    out.extend(given);
    out
}

/// Patterns for one part of two-part names (family or given name), each tied to its person when
/// no one else has it, else ambiguous.
fn part_patterns(
    people: &[Vec<String>],
    part: impl Fn(&Vec<String>) -> Option<&String>,
    needs_honorific: bool,
    full: &[String],
) -> Vec<Pattern> {
    let mut owners: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (i, parts) in people.iter().enumerate().filter(|(_, p)| p.len() >= 2) {
        if let Some(p) = part(parts).filter(|p| chars(p) >= 2 && !full.contains(p)) {
            let list = owners.entry(p.as_str()).or_default();
            if list.is_empty() {
                order.push(p.as_str());
            }
            list.push(i);
        }
    }
    order
        .into_iter()
        .map(|text| Pattern {
            text: text.to_owned(),
            target: match owners.get(text).map(Vec::as_slice) {
                Some([only]) => Target::Person(*only),
                _ => Target::Ambiguous,
            },
            needs_honorific,
        })
        .collect()
}

fn index_patterns(patterns: Vec<Pattern>) -> Vec<(char, Vec<Pattern>)> {
    let mut map: HashMap<char, Vec<Pattern>> = HashMap::new();
    for p in patterns {
        if let Some(c) = p.text.chars().next() {
            map.entry(c).or_default().push(p);
        }
    }
    let mut out: Vec<(char, Vec<Pattern>)> = map.into_iter().collect();
    for (_, list) in &mut out {
        // Longest first; at equal length an agency wins, then a whole name over a part.
        list.sort_by_key(|p| (std::cmp::Reverse(p.text.len()), p.target != Target::Keep));
    }
    out.sort_by_key(|(c, _)| *c);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn redactor(people: &[&str], agencies: &[&str]) -> Redactor {
        Redactor::new(Lang::Ja, &names(people), &names(agencies))
    }

    #[test]
    fn names_get_letters_in_order_of_appearance() {
        let mut r = redactor(&["山田 花子", "佐藤 健一"], &[]);
        assert_eq!(r.redact("佐藤 健一が山田 花子に連絡"), "A氏がB氏に連絡");
        assert_eq!(r.redact("山田花子と佐藤健一"), "B氏とA氏");
    }

    #[test]
    fn family_name_alone_and_honorifics() {
        let mut r = redactor(&["山田 花子", "佐藤 健一"], &[]);
        assert_eq!(r.redact("山田さんは佐藤係長と"), "A氏はB氏係長と");
        assert_eq!(r.redact("花子さんの希望"), "A氏の希望");
        assert_eq!(
            r.redact("花子の希望"),
            "花子の希望",
            "a given name needs an honorific"
        );
        assert_eq!(r.redact("山田　花子様"), "A氏");
    }

    #[test]
    fn shared_family_names_are_hidden_but_tied_to_no_one() {
        let mut r = redactor(&["山田 花子", "山田 太郎"], &[]);
        assert_eq!(r.redact("山田さんと山田太郎"), "某氏とA氏");
    }

    #[test]
    fn agencies_stay_whole() {
        let mut r = redactor(&["中村 亮"], &["中村橋福祉センター"]);
        assert_eq!(
            r.redact("中村橋福祉センターの中村さん"),
            "中村橋福祉センターのA氏"
        );
    }

    #[test]
    fn latin_names_match_whole_words() {
        let mut r = Redactor::new(Lang::En, &names(&["Ann Lee"]), &[]);
        assert_eq!(
            r.redact("Annual report by Ann Lee"),
            "Annual report by Person A"
        );
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        let mut r = redactor(&["山田 花子"], &[]);
        assert!(matches!(r.redact("関係なし"), Cow::Borrowed(_)));
    }

    #[test]
    fn key_person_is_a_name_only_when_it_looks_like_one() {
        assert_eq!(key_person_name("子（週2回、食事と郵便を届けている）"), None);
        assert_eq!(key_person_name("長女（市外在住）"), None);
        assert_eq!(
            key_person_name("長女 山田 恵子（市外在住）"),
            Some("山田 恵子".into())
        );
        assert_eq!(key_person_name("高橋 由美"), Some("高橋 由美".into()));
        assert_eq!(key_person_name("地域包括支援センター"), None);
        assert_eq!(key_person_name(""), None);
    }

    #[test]
    fn letters_go_past_z() {
        assert_eq!(letter_name(0), "A");
        assert_eq!(letter_name(25), "Z");
        assert_eq!(letter_name(26), "AA");
        assert_eq!(letter_name(27), "AB");
        assert_eq!(letter_name(26 + 26 * 26), "AAA");
    }

    #[test]
    fn pseudonym_letters_are_reserved() {
        assert_eq!(pseudonym_letters("A世帯"), vec![0]);
        assert_eq!(pseudonym_letters("Ｃ氏"), vec![2]);
        assert_eq!(pseudonym_letters("Case 12"), Vec::<usize>::new());
    }
}
