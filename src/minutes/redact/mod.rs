//! Redaction: every person's name replaced by a stable placeholder (A氏, B氏 … or Person A,
//! Person B …), letters given in order of first appearance, the same person keeping the same
//! letter throughout one document. Agencies stay — but an agency field holding a recorded
//! person is no agency ([`holds_person`]: 母ハナコ → 母A氏, 健康推進課の山田 → 健康推進課のA氏).
//!
//! What is replaced, in every table and free text of the document:
//! - every recorded person ([`Person`]: the meeting's facilitator, recorder, attendees, case
//!   subject and key person, people typed into an agency field with a relation (in brackets,
//!   before the name, or glued to it: 母ハナコ, 元妻佐々木, 父の山田), names amendments
//!   show, logins, and the people of earlier meetings the document shows): the whole name with any
//!   spacing or none (and in either order), each part of two or more characters wherever it stands,
//!   one-character parts and parts that are ordinary words where they stand as names (before an
//!   honorific or a title, alone between spaces or punctuation, at the start of a phrase before a
//!   particle, in a list joined by と or や), the reading in kana and in Latin letters, a given
//!   name in kanji written half in its reading kanji by kanji (はな子, た郎) — all of it
//!   after folding (see [`fold`]): any width, any case, hiragana or katakana, variant kanji,
//!   invisible characters between the letters; one Latin word written as a common English word
//!   (too, go, I, will) only where it is marked as a name (a capital, an honorific, a title, the
//!   rest of the name beside it: see [`romaji`]);
//! - names nobody recorded that an honorific marks (木下さん, ジョンさん, Lee-san, Ms. Lee), unless
//!   the word before the honorific is a kinship or role word (お母さん, 長男さん, 民生委員さん …,
//!   words.toml);
//! - the honorific after a name and the English title before it go into the placeholder.
//!
//! What is only warned about ([`Suspect`]): two capitalised Latin words, a kanji word before a
//! title (山本係長) or before 宅/世帯 that no list explains, a role word with something before it
//! before an honorific, a long run of hiragana before an honorific, one or two kanji after two or
//! three hiragana before an honorific (みち子さん), an agency field that looks like a name, a
//! given name's guessed reading in hiragana where a name stands (たろうは来た for 渡辺 太郎; in
//! katakana, タロウが来た, it is replaced; so it is after a relation, with の or glued, or at a
//! phrase's start before 来所, 同居 …: 子のケンタ、, 子ケンタ来所, ケンタ来所, and in hiragana
//! of three kana or more that are no everyday word, 子のけんた、 — 元妻のゆき、 is warned about).

pub(crate) mod fold;
mod guess;
pub mod lookup;
mod patterns;
mod people;
mod relation;
mod romaji;
mod scan;
mod spelled;
mod words;

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Amendment, MinutesInput};
use crate::domain::calendar::fold_width;
use crate::i18n::Lang;

pub use fold::{fold_key, fold_str};
pub use patterns::{is_listed_word, stands_alone};
pub use people::{NameField, Person, PersonKind, bare_name, names_no_one};
pub use romaji::romanisations;
pub use scan::SuspectKind;

use fold::FoldedChar;
use patterns::{Patterns, Target};
use scan::{Found, Scan};

/// Entities and fields whose values are names: amended names must be hidden as well as the
/// current ones.
const NAME_FIELDS: &[(&str, &str)] = &[
    ("meeting", "facilitator"),
    ("meeting", "recorder"),
    ("meeting", "case_subject"),
    ("meeting", "key_person"),
    ("attendee", "name"),
];

/// Whether an amendment of this entity's field holds a name.
pub fn is_name_field(entity: &str, field: &str) -> bool {
    NAME_FIELDS.contains(&(entity, field))
}

/// How often one placeholder was put in, and for whom (by kind, never by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub placeholder: String,
    pub count: usize,
    /// Where the person was recorded; `None` for a name several people share (某氏).
    pub kind: Option<PersonKind>,
}

/// Something left in the text that looks like a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// The text as it stands in the document (it is not a recorded name).
    pub text: String,
    pub kind: SuspectKind,
    /// The line of the document it is on (from 1), when it was found there.
    pub line: Option<usize>,
}

/// What a redaction did: the replacements per placeholder, and what it only warns about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedactionReport {
    pub replacements: Vec<Replacement>,
    pub suspects: Vec<Suspect>,
}

impl RedactionReport {
    /// How many places were replaced in all.
    pub fn total(&self) -> usize {
        self.replacements.iter().map(|r| r.count).sum()
    }

    /// "A氏 12か所（事例の本人）、B氏 3か所（司会） — 計 15か所": counts, never names.
    pub fn replacements_line(&self, lang: Lang) -> String {
        let items: Vec<String> = self
            .replacements
            .iter()
            .map(|r| {
                let kind = r.kind.map(|k| k.label(lang));
                match (lang, kind) {
                    (Lang::Ja, Some(k)) => format!("{} {}か所（{k}）", r.placeholder, r.count),
                    (Lang::Ja, None) => format!("{} {}か所", r.placeholder, r.count),
                    (Lang::En, Some(k)) => format!("{} ×{} ({k})", r.placeholder, r.count),
                    (Lang::En, None) => format!("{} ×{}", r.placeholder, r.count),
                }
            })
            .collect();
        match lang {
            Lang::Ja if items.is_empty() => "置き換えた氏名：なし".to_owned(),
            Lang::Ja => format!(
                "置き換えた氏名：{} — 計 {}か所",
                items.join("、"),
                self.total()
            ),
            Lang::En if items.is_empty() => "names replaced: none".to_owned(),
            Lang::En => format!(
                "names replaced: {} — {} in all",
                items.join(", "),
                self.total()
            ),
        }
    }

    /// One line per suspect: where it is and why it looks like a name.
    pub fn suspect_lines(&self, lang: Lang) -> Vec<String> {
        self.suspects
            .iter()
            .map(|s| {
                let why = match (s.kind, lang) {
                    (SuspectKind::LatinPair, Lang::Ja) => "大文字で始まる英字の二語",
                    (SuspectKind::BeforeTitle, Lang::Ja) => "職名の前の漢字",
                    (SuspectKind::Household, Lang::Ja) => "宅・世帯の前の姓",
                    (SuspectKind::BeforeHonorific, Lang::Ja) => "敬称の前の語",
                    (SuspectKind::AgencyField, Lang::Ja) => "機関欄の氏名らしい語",
                    (SuspectKind::GivenReading, Lang::Ja) => "名の読みらしい仮名",
                    (SuspectKind::LatinPair, Lang::En) => "two capitalised words",
                    (SuspectKind::BeforeTitle, Lang::En) => "kanji before a title",
                    (SuspectKind::Household, Lang::En) => "a family name before 宅/世帯",
                    (SuspectKind::BeforeHonorific, Lang::En) => "a word before an honorific",
                    (SuspectKind::GivenReading, Lang::En) => "a given name's reading in kana",
                    (SuspectKind::AgencyField, Lang::En) => {
                        "an agency field that looks like a name"
                    }
                };
                match (s.line, lang) {
                    (Some(l), Lang::Ja) => format!("{l}行目：「{}」（{why}）", s.text),
                    (None, Lang::Ja) => format!("「{}」（{why}）", s.text),
                    (Some(l), Lang::En) => format!("line {l}: \"{}\" ({why})", s.text),
                    (None, Lang::En) => format!("\"{}\" ({why})", s.text),
                }
            })
            .collect()
    }
}

/// What a first pass over a document found that the second must know from the start: names
/// nobody recorded (so that every mention, before the first honorific too, is replaced) and the
/// letters the text already uses as pseudonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    pub people: Vec<Person>,
    pub pseudonyms: Vec<usize>,
}

/// Replaces names in text, remembering which letter each person got.
#[derive(Debug, Clone)]
pub struct Redactor {
    lang: Lang,
    people: Vec<Person>,
    keys: HashMap<String, usize>,
    patterns: Patterns,
    /// Titles recorded for the attendees, besides the word list's, longest first.
    titles: Vec<Vec<char>>,
    /// Agency fields seen, and whether each holds a person.
    agency_people: HashMap<String, Held>,
    letters: Vec<Option<usize>>,
    reserved: Vec<usize>,
    next: usize,
    /// The cases whose person at the centre took the case's letter: (pseudonym, letter).
    case_letters: Vec<(String, usize)>,
    counts: Vec<Replacement>,
    suspects: Vec<Suspect>,
    pseudonyms: Vec<usize>,
    /// One mark for every name instead of the letters (○○): a published table's text, where a
    /// letter would tie rows of different cases together.
    mark: Option<&'static str>,
    buf: Vec<FoldedChar>,
    /// Whether the text being redacted names a place ([`Redactor::redact_place`]).
    in_place: bool,
    /// The recorded family names (folded): a name nobody recorded that starts with one
    /// (髙橋ハル) is kept as family and given name, a whole name of its own.
    families: std::collections::HashSet<String>,
    /// The readings of the recorded family names in kanji (folded katakana): recorded with a
    /// member's name, or the word list's — a cut one before a given name goes into the mask.
    family_kana: Vec<Vec<char>>,
    /// The pseudonyms withheld ([`Redactor::pseudonym`]), folded, in order.
    withheld: Vec<String>,
    /// The case pseudonyms of the document that spell a name ([`Redactor::keep_pseudonyms`]):
    /// each folded key, with its folded characters without blanks, withheld in any text too.
    withheld_forms: Vec<(String, Vec<char>)>,
}

/// The key person when it is a person's name rather than a relation (長女) or an agency.
pub fn key_person_name(text: &str) -> Option<String> {
    let field = NameField::parse(text)?;
    let w = words::words();
    let person = field.has_relation()
        || !(w.looks_like_agency(field.name) || field.name.chars().count() > 12);
    person.then(|| field.name.to_owned())
}

/// What a scan of `name` finds of the recorded people, in any form the note scanner looks for
/// (spaced, any width or kana, the recorded reading in kana or Latin letters, a part alone).
struct PeopleIn {
    /// Every letter of it belongs to a recorded name and none to an agency kept whole:
    /// `Target::Person` when all of it is one person, `Target::Ambiguous` when a form several
    /// people share or several people are in it.
    whole: Option<Target>,
    /// A recorded person stands somewhere in it as a person's name ([`Scan::marked_as_name`]:
    /// 髙橋 in 髙橋係長, 高橋宅, 高橋氏の会社, 高橋一郎 in 高橋一郎の会社; not ヤマダ in ヤマダ電機).
    marked: bool,
    /// A recorded person stands in it before a particle (花子の実家, 高橋の勤務先).
    before_particle: bool,
}

fn people_in(patterns: &Patterns, name: &str) -> PeopleIn {
    let folded = fold::fold(name);
    let scan = Scan::new(&folded, name, patterns, &[]);
    let mut covered = vec![false; folded.len()];
    let (mut who, mut kept, mut marked) = (None, false, false);
    let mut before_particle = false;
    for hit in scan.recorded() {
        let target = match hit.found {
            Found::Person(p) => Target::Person(p),
            // Another person of a recorded family (髙橋ハル beside 髙橋 一郎): a person, not one
            // of the recorded.
            Found::Ambiguous | Found::Unrecorded(_) => Target::Ambiguous,
            Found::Keep => {
                kept = true;
                continue;
            }
        };
        marked |= scan.marked_as_name(&hit);
        before_particle |= scan.particle_at(hit.end) > 0;
        who = match who {
            Some(known) if known != target => Some(Target::Ambiguous),
            _ => Some(target),
        };
        if let Some(span) = covered.get_mut(hit.start..hit.end) {
            span.fill(true);
        }
    }
    let all = !kept
        && folded
            .iter()
            .zip(&covered)
            .all(|(f, &c)| c || !f.class.is_word());
    PeopleIn {
        whole: who.filter(|_| all),
        marked,
        before_particle,
    }
}

/// The recorded people `name` is written as ([`people_in`]), when it is nothing else.
fn whole_person(patterns: &Patterns, name: &str) -> Option<Target> {
    people_in(patterns, name).whole
}

/// How an agency field holds a person ([`holds_person`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// An agency: kept whole.
    No,
    /// A person and nothing more: replaced like a name field.
    Person,
    /// A recorded person with words around it (髙橋係長, 山崎主任, 高橋宅, 高橋一郎氏の会社): no
    /// agency kept whole, the name in it replaced like in any text (P氏係長, P氏の会社).
    Within,
    /// A recorded person (a name or a part of one) from this byte of the field's name to its end,
    /// after a relation glued to it (母ハナコ, 元妻佐々木, 父の山田, 祖母・花子: a person) or after
    /// an agency's name and の or a space (健康推進課の山田: a name within): no agency kept whole,
    /// what stands before the name kept as text, the name replaced like a name field (母A氏,
    /// 健康推進課のA氏).
    NameAt(usize),
}

/// Whether an agency field holds a person: a name with a relation (`佐藤 恵子（長女）`,
/// `長女 佐藤 恵子`), a name with an honorific, a recorded person written in any form
/// (`ヤマダ タロウ`, `山 田 太 郎`, `Yamada Taro` for 山田 太郎（ヤマダ タロウ）), a recorded
/// person or a part of one after a relation glued to it (母ハナコ, 元妻佐々木, 長男山田, 父の山田,
/// 祖母・花子), or a recorded person inside it standing as a name — with a title (髙橋係長, 一郎係長,
/// 高橋CW), 家・宅, an honorific, a particle (花子の実家), the whole name (高橋一郎氏の会社,
/// 高橋一郎の会社), or at its end after の or a space (健康推進課の山田, 健康推進課 山田; a name of
/// one character only after an agency's name or a relation: 健康推進課の林, 父の林, not
/// ふれあいの森). A part of a name before another word (ヤマダ電機) and a field that reads as an
/// agency's name (山田クリニック, 中村橋福祉センター) are agencies, unless a recorded person's
/// whole name is in it. The one judgement the minutes, the case record, the annual report and
/// the case ledger make of an agency field: such a field is replaced like the person (or has the
/// name in it replaced) and never kept whole, so that no mention of it elsewhere is kept either.
fn holds_person(text: &str, people: &Patterns) -> bool {
    held(text, people) != Held::No
}

fn held(text: &str, people: &Patterns) -> Held {
    let Some(field) = NameField::parse(text) else {
        return Held::No;
    };
    if field.has_relation() {
        return Held::Person;
    }
    if let Some(at) = after_relation(field.name, people, 2) {
        return Held::NameAt(at);
    }
    let w = words::words();
    let found = people_in(people, field.name);
    // A recorded person named in a bracketed note or after it (地域福祉課（担当 佐藤 健一）,
    // an organiser typed with its contact): the agency kept, the name in it replaced — it
    // was printed whole in a redacted copy beside the same person masked (attack, 2026-12-05).
    let in_note = field
        .notes
        .iter()
        .map(|b| b.text)
        .chain(Some(field.after).filter(|a| !a.trim().is_empty()))
        .any(|t| {
            let note = people_in(people, t);
            note.marked || note.whole.is_some()
        });
    let at_end = || name_at_end(field.name, people).map_or(Held::No, Held::NameAt);
    if w.looks_like_agency(field.name) {
        return if found.marked || in_note {
            Held::Within
        } else {
            at_end()
        };
    }
    if found.whole.is_some() || (field.honorific && !w.not_a_name(&fold_key(field.name))) {
        Held::Person
    } else if found.marked || found.before_particle || in_note {
        Held::Within
    } else {
        at_end()
    }
}

/// The longest name, in characters, read after a relation or at the end of an agency field: a
/// longer run is no name, and is not scanned again for one.
const NAME_AT_MOST: usize = 24;

/// Whether `text` (a name field's name) is a relation: a relation word (母, 元妻, 長男), or one
/// after a prefix that makes one relation of it (母方祖母, 異父兄).
fn is_relation(text: &str) -> bool {
    let w = words::words();
    let key = fold_key(text);
    w.relations.contains(&key)
        || w.relation_prefixes.iter().any(|p| {
            let p: String = p.iter().collect();
            key.strip_prefix(p.as_str())
                .is_some_and(|rest| w.relations.contains(rest))
        })
}

/// Where a recorded person (a name or a part of one, in any written form) starts in `name`
/// after a relation written before it with nothing between them (母ハナコ, 元妻佐々木, 長男山田),
/// or の, a middle dot or a space (父の山田, 祖母・花子), the relations chained up to `depth` more
/// times (母の姉ハナコ).
fn after_relation(name: &str, people: &Patterns, depth: usize) -> Option<usize> {
    let w = words::words();
    for (i, c) in name.char_indices().take(w.longest_relation) {
        let end = i + c.len_utf8();
        if !is_relation(&name[..end]) {
            continue;
        }
        let rest = name[end..].trim_start();
        let rest = rest
            .strip_prefix(['の', '・', '･'])
            .unwrap_or(rest)
            .trim_start();
        let at = name.len() - rest.len();
        if rest.is_empty() || rest.chars().count() > NAME_AT_MOST {
            continue;
        }
        if people_in(people, rest).whole.is_some() {
            return Some(at);
        }
        if let Some(more) = depth
            .checked_sub(1)
            .and_then(|d| after_relation(rest, people, d))
        {
            return Some(at + more);
        }
    }
    None
}

/// Where a recorded person (a name or a part of one, in any written form) starts at the end of
/// `name` after something else and の or a space (健康推進課の山田, 健康推進課 山田); a name of one
/// character only after an agency's name (健康推進課の林, not ふれあいの森).
fn name_at_end(name: &str, people: &Patterns) -> Option<usize> {
    let w = words::words();
    let last = name.char_indices().rev().take(NAME_AT_MOST + 1);
    for (i, c) in last {
        if c != 'の' && !c.is_whitespace() {
            continue;
        }
        let head = name[..i].trim_end();
        let tail = name[i + c.len_utf8()..].trim_start();
        if !head.chars().any(char::is_alphanumeric) || tail.is_empty() {
            continue;
        }
        let short = fold_key(tail).chars().count() < 2;
        if people_in(people, tail).whole.is_some() && (!short || w.looks_like_agency(head)) {
            return Some(name.len() - tail.len());
        }
    }
    None
}

/// The person an agency field holds when it holds one that `people` (patterns of the recorded
/// people) does not already know.
fn agency_person(text: &str, people: &Patterns) -> Option<Person> {
    let field = NameField::parse(text)?;
    let new = held(text, people) == Held::Person && whole_person(people, field.name).is_none();
    new.then(|| Person {
        name: field.name.to_owned(),
        reading: field.reading.map(str::to_owned),
        kind: PersonKind::AgencyField,
    })
}

/// The people agency fields hold ([`holds_person`]) that are not among `people` in any written
/// form (`佐藤 恵子（長女）` typed as the lead agency): the minutes and the case record name them
/// among the people to replace.
pub fn agency_field_people<'a>(
    people: &[Person],
    fields: impl IntoIterator<Item = &'a str>,
) -> Vec<Person> {
    let known = Patterns::build(&distinct(people).0, &[]);
    fields
        .into_iter()
        .filter_map(|f| agency_person(f, &known))
        .collect()
}

/// Every agency field of the minutes, once each, in order of first appearance.
fn agency_fields(input: &MinutesInput) -> Vec<&str> {
    let m = &input.meeting;
    let mut seen = std::collections::HashSet::new();
    m.attendees
        .iter()
        .filter_map(|a| a.agency.as_deref())
        .chain(m.roles.iter().filter_map(|r| r.agency.as_deref()))
        .chain(m.actions.iter().filter_map(|a| a.agency.as_deref()))
        .chain(input.carried.iter().filter_map(|a| a.agency.as_deref()))
        .chain(m.lead_agency.as_deref())
        .chain(m.referred_by.as_deref())
        // The body's organiser, typed with its contact as often as not.
        .chain(Some(input.body.organiser.as_str()))
        .chain(
            input
                .cases
                .iter()
                .filter_map(|c| c.link.lead_agency.as_deref()),
        )
        .chain(
            input
                .cases
                .iter()
                .flat_map(|c| c.plan.iter().filter_map(|l| l.agency.as_deref())),
        )
        // Where a case reviewed at the meeting was transferred to (a relative, as often as not).
        .chain(
            input
                .during
                .case_reviews
                .iter()
                .map(|r| r.transferred_to.as_str()),
        )
        .filter(|a| seen.insert(*a))
        .collect()
}

/// Every person the minutes of a meeting may name: the meeting's own (name fields, agency fields
/// holding a person, amendments), the people of earlier meetings the input carries, and the
/// logins of those who entered or approved parts of it.
pub fn recorded_people(input: &MinutesInput) -> Vec<Person> {
    let m = &input.meeting;
    let mut out = Vec::new();
    // A title or a placeholder typed where the name goes (保健師, 同上) names no one.
    let mut field = |text: &str, kind: PersonKind| out.extend(Person::from_field(text, kind));
    field(&m.facilitator, PersonKind::Facilitator);
    field(&m.recorder, PersonKind::Recorder);
    for a in &m.attendees {
        field(&a.name, PersonKind::Attendee);
    }
    field(&m.case_subject, PersonKind::CaseSubject);
    let key_people =
        std::iter::once(&m.key_person).chain(input.cases.iter().map(|c| &c.link.key_person));
    for key_person in key_people {
        if key_person_name(key_person).is_some() {
            out.extend(Person::from_field(key_person, PersonKind::KeyPerson));
        }
    }
    for a in &input.amendments {
        out.extend(amended_people(a));
    }
    out.extend(input.people.iter().cloned());
    let held = agency_field_people(&out, agency_fields(input));
    out.extend(held);
    let logins = input
        .contributors
        .iter()
        .chain(input.approval.iter().map(|a| &a.by))
        .chain(input.amendments.iter().map(|a| &a.by));
    // A signature is a login with the configured name after it: `sato (佐藤)`.
    for signature in logins {
        for name in signature.split(['(', ')', '（', '）']) {
            if name.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                out.push(Person::new(name.trim(), PersonKind::Login));
            }
        }
    }
    out
}

/// Names an amendment shows: old and new values of name fields, and the attendee it is about
/// (who may since have been removed from the list).
fn amended_people(a: &Amendment) -> Vec<Person> {
    let mut out = Vec::new();
    if a.entity == "attendee" {
        out.extend(Person::from_field(&a.subject, PersonKind::Amendment));
    }
    if !is_name_field(&a.entity, &a.field) {
        return out;
    }
    for value in [&a.old_value, &a.new_value].into_iter().flatten() {
        if a.field != "key_person" || key_person_name(value).is_some() {
            out.extend(Person::from_field(value, PersonKind::Amendment));
        }
    }
    out
}

/// Agency names of the meeting, kept whole wherever they appear unless one holds a person
/// ([`Redactor::new`] leaves those out).
fn agencies(input: &MinutesInput) -> Vec<String> {
    let mut out: Vec<String> = agency_fields(input)
        .into_iter()
        .map(str::to_owned)
        .collect();
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

/// People told apart by their folded names without spaces: 山田 花子, 山田花子 and 山田　花子 are
/// one person; a reading recorded with any of them is the person's.
fn distinct(people: &[Person]) -> (Vec<Person>, HashMap<String, usize>) {
    let mut out: Vec<Person> = Vec::new();
    let mut keys = HashMap::new();
    // Recorded readings, by their folded form: a name written as another person's reading
    // (`ヤマダ タロウ` as the key person of 山田 太郎（ヤマダ タロウ）) is that person. A reading two
    // people share names neither.
    let mut readers: HashMap<String, Option<&Person>> = HashMap::new();
    for p in people {
        let Some(reading) = p.reading.as_deref().map(fold_key) else {
            continue;
        };
        if reading.is_empty() || reading == p.key() {
            continue;
        }
        readers
            .entry(reading)
            .and_modify(|r| {
                if r.is_some_and(|r| r.key() != p.key()) {
                    *r = None;
                }
            })
            .or_insert(Some(p));
    }
    for p in people {
        let key = p.key();
        if key.is_empty() {
            continue;
        }
        let reader = match (&p.reading, readers.get(&key)) {
            (None, Some(Some(reader))) if !keys.contains_key(&key) => Some(*reader),
            _ => None,
        };
        if let Some(reader) = reader {
            let i = match keys.get(&reader.key()) {
                Some(&i) => i,
                None => {
                    keys.insert(reader.key(), out.len());
                    out.push(reader.clone());
                    out.len() - 1
                }
            };
            keys.insert(key, i);
            continue;
        }
        match keys.get(&key) {
            Some(&i) => {
                let known: &mut Person = &mut out[i];
                if known.reading.is_none() {
                    known.reading.clone_from(&p.reading);
                }
            }
            None => {
                keys.insert(key, out.len());
                out.push(p.clone());
            }
        }
    }
    (out, keys)
}

/// The readings of the people's family names in kanji, folded, three kana or more: the one
/// recorded with the name (`渡邊 太郎（ワタナベ タロウ）`) and the word list's.
fn family_readings(people: &[Person]) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = Vec::new();
    for p in people {
        let split = people::parts(&p.name).parts;
        let Some(family) = split
            .first()
            .filter(|f| split.len() >= 2 && f.chars().any(fold::is_kanji))
        else {
            continue;
        };
        let mut readings: Vec<String> = words::words()
            .surnames
            .get(&fold_key(family))
            .cloned()
            .unwrap_or_default();
        if let Some(reading) = p.reading.as_deref() {
            let rp = people::reading_parts(reading, &split);
            if rp.len() == split.len() {
                readings.extend(rp.into_iter().take(1));
            }
        }
        for r in readings {
            let r: Vec<char> = fold_str(&r).chars().collect();
            if r.len() >= 3 && !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

impl Redactor {
    /// A redactor for these people (any order, the same person recorded several times allowed)
    /// that leaves these agency names whole (without bracketed notes, which are redacted like any
    /// text) — except an agency field that holds a person ([`holds_person`]: one of these
    /// people in any written form, or a name with a relation or an honorific), which is no
    /// agency: it is replaced like the person, and so is every other mention of that person.
    pub fn new(lang: Lang, people: &[Person], agencies: &[String]) -> Redactor {
        let (people, keys) = distinct(people);
        let mut patterns = Patterns::build(&people, &[]);
        // Each name judged once: the ledger hands every row's agencies, a few names many times.
        let mut seen = std::collections::HashSet::new();
        let kept: Vec<String> = agencies
            .iter()
            .filter(|a| seen.insert(a.as_str()))
            .filter(|a| !holds_person(a, &patterns))
            .map(|a| a.split(['（', '(']).next().unwrap_or("").trim().to_owned())
            .collect();
        patterns.add_agencies(&kept);
        let families = people
            .iter()
            .filter_map(|p| {
                let split = people::parts(&p.name).parts;
                let first = split.first()?;
                let family = split.len() >= 2 && first.chars().any(fold::is_kanji);
                family.then(|| fold_key(first))
            })
            .collect();
        let family_kana = family_readings(&people);
        Redactor {
            families,
            family_kana,
            withheld: Vec::new(),
            withheld_forms: Vec::new(),
            lang,
            letters: vec![None; people.len()],
            people,
            keys,
            patterns,
            titles: Vec::new(),
            agency_people: HashMap::new(),
            reserved: Vec::new(),
            next: 0,
            case_letters: Vec::new(),
            counts: Vec::new(),
            suspects: Vec::new(),
            pseudonyms: Vec::new(),
            mark: None,
            buf: Vec::new(),
            in_place: false,
        }
    }

    /// Titles a one-character name may stand before (林係長), besides the word list's.
    fn add_titles(&mut self, titles: impl Iterator<Item = Vec<char>>) {
        for t in titles {
            if !t.is_empty() && !self.titles.contains(&t) {
                self.titles.push(t);
            }
        }
        self.titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
    }

    /// The redactor for one meeting's minutes: its people, its agencies, the titles its attendees
    /// were recorded with, what a first pass discovered, and the case pseudonym's letter kept for
    /// the case subject (A世帯 → A氏).
    pub fn for_minutes(input: &MinutesInput, lang: Lang, discovered: &Discovered) -> Redactor {
        let mut people = recorded_people(input);
        people.extend(discovered.people.iter().cloned());
        let mut redactor = Redactor::new(lang, &people, &agencies(input));
        let extra = input
            .meeting
            .attendees
            .iter()
            .map(|a| fold_str(a.title.trim()))
            .filter(|t| (2..=8).contains(&t.chars().count()) && !t.contains(' '));
        redactor.add_titles(extra.map(|t| t.chars().collect()));
        // The meeting's own case and subject fields, then each case on it with its 本人.
        let own_subject =
            Some(input.meeting.case_subject.as_str()).filter(|s| !s.trim().is_empty());
        let mut cases = vec![(input.meeting.case.as_str(), own_subject)];
        cases.extend(input.cases.iter().map(|c| {
            let subject = match input.cases.as_slice() {
                [_] => own_subject.or(c.subject.as_deref()),
                _ => c.subject.as_deref(),
            };
            (c.pseudonym.as_str(), subject)
        }));
        redactor.keep_pseudonyms(&cases, discovered);
        redactor
    }

    /// The letters case pseudonyms use (A世帯 → A) are given to nobody; the person at the centre
    /// of a case (`subject`, a name field) whose pseudonym has one such letter takes it (A世帯 →
    /// A氏, B世帯 → B氏 at a meeting reviewing both); the letters a first pass found in use as
    /// pseudonyms stay free of people too.
    pub fn keep_pseudonyms(&mut self, cases: &[(&str, Option<&str>)], discovered: &Discovered) {
        self.reserved.clear();
        self.case_letters.clear();
        for (pseudonym, _) in cases {
            for letter in pseudonym_letters(pseudonym) {
                if !self.reserved.contains(&letter) {
                    self.reserved.push(letter);
                }
            }
        }
        for (pseudonym, _) in cases {
            let pseudonym = pseudonym.trim();
            let key = fold_key(pseudonym);
            if self.spells_name(pseudonym) && !self.withheld_forms.iter().any(|(k, _)| *k == key) {
                let form = fold::fold(pseudonym)
                    .iter()
                    .filter(|f| f.class != fold::Class::Space)
                    .map(|f| f.c)
                    .collect();
                self.withheld_forms.push((key, form));
            }
        }
        for (pseudonym, subject) in cases {
            let pseudonym = pseudonym.trim();
            let letters = pseudonym_letters(pseudonym);
            let [letter] = letters.as_slice() else {
                continue;
            };
            let letter = *letter;
            let subject = subject.and_then(NameField::parse).map(|f| fold_key(f.name));
            let Some(&person) = subject.and_then(|k| self.keys.get(&k)) else {
                continue;
            };
            let taken = self.letters.contains(&Some(letter));
            if self.letters[person].is_none() && !taken {
                self.letters[person] = Some(letter);
                self.case_letters.push((pseudonym.to_owned(), letter));
            }
        }
        for &p in &discovered.pseudonyms {
            if !self.reserved.contains(&p) {
                self.reserved.push(p);
            }
        }
    }

    /// What this redactor found that a second pass over the same document must know. A name
    /// found alone that is a part of a longer one (山田さん after 山田太郎さん) is taken for that
    /// person rather than for someone else of the same name.
    pub fn discovered(&self) -> Discovered {
        let parts_of_others: Vec<String> = self
            .people
            .iter()
            .flat_map(|p| {
                let split = people::parts(&p.name).parts;
                let whole = split.len() >= 2;
                split
                    .into_iter()
                    .filter(move |_| whole)
                    .map(|part| fold_key(&part))
            })
            .collect();
        Discovered {
            people: self
                .people
                .iter()
                .filter(|p| p.kind == PersonKind::Unrecorded)
                .filter(|p| !parts_of_others.contains(&p.key()))
                .cloned()
                .collect(),
            pseudonyms: self.pseudonyms.clone(),
        }
    }

    fn placeholder(&mut self, person: usize) -> String {
        if let Some(mark) = self.mark {
            let kind = self.people.get(person).map(|p| p.kind);
            return self.count(mark.to_owned(), kind);
        }
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
        let text = self.placeholder_text(letter);
        let kind = self.people.get(person).map(|p| p.kind);
        self.count(text, kind)
    }

    fn count(&mut self, placeholder: String, kind: Option<PersonKind>) -> String {
        match self
            .counts
            .iter_mut()
            .find(|r| r.placeholder == placeholder)
        {
            Some(r) => r.count += 1,
            None => self.counts.push(Replacement {
                placeholder: placeholder.clone(),
                count: 1,
                kind,
            }),
        }
        placeholder
    }

    /// The cases whose subject takes the case pseudonym's letter, with that placeholder
    /// (A世帯 → A氏), in the order given.
    pub fn case_placeholders(&self) -> Vec<(&str, String)> {
        self.case_letters
            .iter()
            .map(|(case, l)| (case.as_str(), self.placeholder_text(*l)))
            .collect()
    }

    fn placeholder_text(&self, letter: usize) -> String {
        match self.lang {
            Lang::Ja => format!("{}氏", letter_name(letter)),
            Lang::En => format!("Person {}", letter_name(letter)),
        }
    }

    fn ambiguous(&mut self) -> String {
        if let Some(mark) = self.mark {
            return self.count(mark.to_owned(), None);
        }
        let text = self.lang.pick("某氏", "(name withheld)").to_owned();
        self.count(text, None)
    }

    /// A name nobody recorded with a recorded family name joined to its given name (髙橋ハル)
    /// written apart (髙橋 ハル): two parts, so that it is a whole name where it stands again
    /// (an agency field `祖母の髙橋ハル` holds the person, not an agency).
    fn family_apart(&self, name: &str) -> String {
        let chars: Vec<char> = name.chars().collect();
        if chars.iter().any(|c| c.is_whitespace()) {
            return name.to_owned();
        }
        let split = (1..chars.len().min(5)).rev().find(|&n| {
            let head: String = chars[..n].iter().collect();
            self.families.contains(&fold_key(&head))
        });
        match split {
            Some(n) => format!(
                "{} {}",
                chars[..n].iter().collect::<String>(),
                chars[n..].iter().collect::<String>()
            ),
            None => name.to_owned(),
        }
    }

    /// The person with this name (as written), added when nobody recorded it.
    fn person_named(&mut self, name: &str, kind: PersonKind) -> usize {
        let key = fold_key(name);
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let i = self.people.len();
        self.people.push(Person::new(name, kind));
        self.letters.push(None);
        self.keys.insert(key, i);
        i
    }

    /// [`Redactor::redact`] for a field that names a place or a topic (the meeting's place, an
    /// agenda title, a handout): a part of a name recorded elsewhere alone in it is the place
    /// (`中野`, `大島`), found only where something marks it as a name (attack report 8,
    /// finding 7).
    pub fn redact_place<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        self.in_place = true;
        let out = self.redact(text);
        self.in_place = false;
        out
    }

    /// `text` with every name replaced; borrowed when there was none.
    pub fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        if let Some(pieces) = self.withheld_in(text) {
            // Each piece around a withheld pseudonym redacted as a text of its own.
            let mut out = String::new();
            let mut copied = 0;
            for (start, end, key) in pieces {
                out.push_str(&self.scanned(&text[copied..start]));
                out.push_str(&self.withheld_label(key));
                copied = end;
            }
            out.push_str(&self.scanned(&text[copied..]));
            return Cow::Owned(out);
        }
        self.scanned(text)
    }

    /// [`Redactor::redact`] of a text that holds no withheld pseudonym.
    fn scanned<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let mut buf = std::mem::take(&mut self.buf);
        fold::fold_into(text, &mut buf);
        let (findings, suspects) = {
            let mut scan = Scan::new(&buf, text, &self.patterns, &self.titles);
            scan.alone_marks = !self.in_place;
            let findings = scan.run();
            let suspects: Vec<Suspect> = findings
                .suspects
                .iter()
                .map(|s| Suspect {
                    text: scan.original(s.start, s.end).to_owned(),
                    kind: s.kind,
                    line: None,
                })
                .collect();
            (findings, suspects)
        };
        for s in suspects {
            if !self.suspects.iter().any(|k| k.text == s.text) {
                self.suspects.push(s);
            }
        }
        for p in &findings.pseudonyms {
            if !self.pseudonyms.contains(p) {
                self.pseudonyms.push(*p);
            }
        }
        let mut out = String::new();
        let mut copied = 0;
        let mut scanned_to = 0;
        for hit in &findings.hits {
            let from = scanned_to;
            scanned_to = hit.end;
            let replacement = match &hit.found {
                Found::Keep => continue,
                Found::Person(p) => self.placeholder(*p),
                Found::Ambiguous => self.ambiguous(),
                Found::Unrecorded(_) => {
                    let written = &text[buf[hit.start].start..buf[hit.end - 1].end];
                    let name = self.family_apart(strip_honorific(written));
                    let p = self.person_named(&name, PersonKind::Unrecorded);
                    self.placeholder(p)
                }
            };
            let head = hit.start - self.family_tail(&buf[from..hit.start]);
            let (start, end) = (buf[head].start, buf[hit.end - 1].end);
            out.push_str(&text[copied..start]);
            out.push_str(&replacement);
            copied = end;
        }
        self.buf = buf;
        if copied == 0 && out.is_empty() {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// How many kanji at the end of `before` (the folded text between the last hit and this one)
    /// are the end of a recorded family name cut off at its start (邊 of 渡邊 in `邊太郎が来所`):
    /// they go into the placeholder, since a mask must leave no part of a name beside it
    /// (`邊B氏` told the reader the family). Only where nothing but a non-kanji or the start of
    /// the text stands before them, so that another family's name (近藤花子) is not cut in two.
    fn family_tail(&self, before: &[fold::FoldedChar]) -> usize {
        self.family_cut_kanji(before)
            .max(self.family_cut_kana(before))
    }

    /// The kanji at the end of `before` that are the end of a recorded family name cut off at
    /// its start (邊 of 渡邊) or its start cut off at its end (渡 of 渡邊 in `渡太郎が来所`, which
    /// printed `渡B氏`).
    fn family_cut_kanji(&self, before: &[fold::FoldedChar]) -> usize {
        let kanji = before
            .iter()
            .rev()
            .take_while(|f| fold::is_kanji(f.c))
            .count();
        if kanji == 0 {
            return 0;
        }
        let tail: String = before[before.len() - kanji..].iter().map(|f| f.c).collect();
        let cut_family = self.families.iter().any(|family| {
            family.len() > tail.len()
                && (family.ends_with(&tail) || family.starts_with(&tail))
                && family.chars().all(fold::is_kanji)
        });
        if cut_family { kanji } else { 0 }
    }

    /// The kana at the end of `before`, two or more of one script with no more kana before them,
    /// that are the end of a recorded family name's reading (なべ of ワタナベ in `なべ太郎`, a
    /// nickname from 渡邊): they go into the placeholder, like a cut family name in kanji.
    /// Before, `なべ太郎` printed `なべB氏` (attack on the S世帯 case, 2026-12-05).
    ///
    /// The kana may follow a particle of one hiragana after a word in another script
    /// (`今日はなべ太郎`, `今日はナベ太郎`): the particle is no part of them. Before, the run with
    /// the particle (はなべ) was no end of a reading and `なべ` was left beside the mask.
    fn family_cut_kana(&self, before: &[fold::FoldedChar]) -> usize {
        let Some(last) = before.last().filter(|f| f.class.is_kana()) else {
            return 0;
        };
        let n = before.len();
        let run = before
            .iter()
            .rev()
            .take_while(|f| f.class == last.class)
            .count();
        // A particle of one hiragana at `k` after no kana (今日は).
        let particle = |k: usize| {
            k >= 1
                && before[k].class == fold::Class::Hiragana
                && !before[k - 1].class.is_kana()
                && words::words().particles.contains(&vec![before[k].c])
        };
        let glued = |start: usize| start > 0 && before[start - 1].class.is_kana();
        let cut_at = |start: usize| {
            let tail: Vec<char> = before[start..].iter().map(|f| f.c).collect();
            tail.len() >= 2
                && self
                    .family_kana
                    .iter()
                    .any(|reading| reading.len() > tail.len() && reading.ends_with(&tail))
        };
        let start = n - run;
        if run >= 2 && (!glued(start) || particle(start - 1)) && cut_at(start) {
            return run;
        }
        // The particle inside the run of hiragana (はなべ).
        if last.class == fold::Class::Hiragana && run >= 3 && particle(start) && cut_at(start + 1) {
            return run - 1;
        }
        0
    }

    /// Whether `text` spells a person's name in any form this redactor knows — the name or a
    /// part of it, a reading in kana or romaji, a reading guessed for a given name
    /// ([`spelled`]) — wherever it stands, without any mark of a name: what a case pseudonym,
    /// printed as it stands, must not do.
    pub fn spells_name(&self, text: &str) -> bool {
        spelled::spells_name(&self.patterns, text)
    }

    /// A case pseudonym as a redacted copy prints it: as it stands, unless it spells a person's
    /// name ([`Redactor::spells_name`]: イチロウ for 山田 一郎, made before renkei refused such a
    /// pseudonym) — then withheld, each such pseudonym with its own number in one document.
    pub fn pseudonym(&mut self, text: &str) -> String {
        if !self.spells_name(text) {
            return text.to_owned();
        }
        self.withheld_label(fold_key(text))
    }

    /// Where `text` holds a case pseudonym of the document that is withheld (`イチロウ世帯と面談`,
    /// an agenda title `イチロウ世帯の経過`), written in any width, kana or blanks: each (start,
    /// end, key), for [`Redactor::redact`] to print its label as [`Redactor::pseudonym`] does;
    /// `None` when it holds none.
    fn withheld_in(&self, text: &str) -> Option<Vec<(usize, usize, String)>> {
        if self.withheld_forms.is_empty() {
            return None;
        }
        let folded: Vec<fold::FoldedChar> = fold::fold(text)
            .into_iter()
            .filter(|f| f.class != fold::Class::Space)
            .collect();
        let chars: Vec<char> = folded.iter().map(|f| f.c).collect();
        let mut spans: Vec<(usize, usize, String)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let found = self
                .withheld_forms
                .iter()
                .filter(|(_, form)| !form.is_empty() && chars[i..].starts_with(form))
                .max_by_key(|(_, form)| form.len());
            match found {
                Some((key, form)) => {
                    let end = i + form.len();
                    spans.push((folded[i].start, folded[end - 1].end, key.clone()));
                    i = end;
                }
                None => i += 1,
            }
        }
        (!spans.is_empty()).then_some(spans)
    }

    /// The pseudonyms withheld so far, in the order of their numbers: what the next document
    /// part redacted by another redactor continues from ([`Redactor::continue_withheld`]).
    pub fn withheld(&self) -> &[String] {
        &self.withheld
    }

    /// Numbers the pseudonyms this redactor withholds after `earlier` (what other redactors of
    /// one document withheld: the redacted ledger's rows, each redacted as its case's record),
    /// so that one pseudonym keeps one number in the whole document.
    pub fn continue_withheld(&mut self, earlier: &[String]) {
        let mine = std::mem::replace(&mut self.withheld, earlier.to_vec());
        for key in mine {
            if !self.withheld.contains(&key) {
                self.withheld.push(key);
            }
        }
    }

    /// The label of the withheld pseudonym `key` (folded): `（仮名非表示N）`.
    fn withheld_label(&mut self, key: String) -> String {
        let n = match self.withheld.iter().position(|k| *k == key) {
            Some(i) => i + 1,
            None => {
                self.withheld.push(key);
                self.withheld.len()
            }
        };
        match self.lang {
            Lang::Ja => format!("（仮名非表示{n}）"),
            Lang::En => format!("(pseudonym withheld {n})"),
        }
    }

    /// Whether `text` holds a recorded person in any form the scan finds (a part of a name, its
    /// reading, another person of a recorded family), besides a lone Latin letter (`A世帯`).
    pub fn names_recorded(&mut self, text: &str) -> bool {
        let mut buf = std::mem::take(&mut self.buf);
        fold::fold_into(text, &mut buf);
        let scan = Scan::new(&buf, text, &self.patterns, &self.titles);
        let found = scan.recorded().iter().any(|h| {
            let letter = h.end - h.start == 1 && buf[h.start].c.is_ascii_alphabetic();
            h.found != Found::Keep && !letter
        });
        self.buf = buf;
        found
    }

    /// The people `text` names in any form the scan finds: the recorded ones it holds (the
    /// person's record), and as written where a form several people share (林田 for two 林田) or
    /// another person of a recorded family (林田健太) stands — what a redactor that knows fewer
    /// people must be told of to replace them.
    pub fn people_named(&mut self, text: &str) -> Vec<Person> {
        let mut buf = std::mem::take(&mut self.buf);
        fold::fold_into(text, &mut buf);
        let scan = Scan::new(&buf, text, &self.patterns, &self.titles);
        let mut out = Vec::new();
        for hit in scan.recorded() {
            match hit.found {
                Found::Keep => {}
                Found::Person(p) => out.extend(self.people.get(p).cloned()),
                Found::Ambiguous | Found::Unrecorded(_) => {
                    let written = scan.original(hit.start, hit.end);
                    out.push(Person::new(strip_honorific(written), PersonKind::Household));
                }
            }
        }
        self.buf = buf;
        out
    }

    /// A name field (facilitator, attendee …): the name is replaced whole, however short,
    /// a relation before it and notes in brackets stay (redacted), the reading goes.
    pub fn name_field(&mut self, text: &str) -> String {
        // A placeholder typed where the name was not known (`不明`, `同上`, `他1名`) names no
        // one: kept, as in an attendee's column — a case's members recorded as 不明 each got one
        // shared letter, as if one person (attack of 2026-12-05, round 31a, finding 5).
        if names_no_one(text) {
            return self.redact(text).into_owned();
        }
        let Some(field) = NameField::parse(text) else {
            return self.redact(text).into_owned();
        };
        let mut out = self.redact(field.before).into_owned();
        let name = self.name_of(field.name);
        out.push_str(&name);
        self.notes_after(&field, &mut out);
        out
    }

    /// The placeholder of a name as a name field holds it.
    fn name_of(&mut self, name: &str) -> String {
        match self.keys.get(&fold_key(name)) {
            Some(&person) => self.placeholder(person),
            // A recorded person written another way (the reading, spaced): that person's letter.
            None => match whole_person(&self.patterns, name) {
                Some(Target::Person(person)) => self.placeholder(person),
                Some(_) => self.redact(name).into_owned(),
                None => {
                    let person = self.person_named(name, PersonKind::Attendee);
                    self.placeholder(person)
                }
            },
        }
    }

    /// A name field's bracketed notes and what follows them, redacted, after `out`.
    fn notes_after(&mut self, field: &NameField, out: &mut String) {
        for b in &field.notes {
            out.push_str(b.open);
            out.push_str(&self.redact(b.text));
            out.push_str(b.close);
        }
        out.push_str(&self.redact(field.after));
    }

    /// An agency field holding a recorded person from byte `at` of its name on ([`Held::NameAt`]):
    /// what stands before the name redacted as text (母, 健康推進課の), the name replaced like a
    /// name field.
    fn name_at(&mut self, text: &str, at: usize) -> String {
        let Some(field) = NameField::parse(text) else {
            return self.redact(text).into_owned();
        };
        let (Some(head), Some(name)) = (field.name.get(..at), field.name.get(at..)) else {
            return self.name_field(text);
        };
        let mut out = self.redact(field.before).into_owned();
        out.push_str(&self.redact(head));
        out.push_str(&self.name_of(name));
        self.notes_after(&field, &mut out);
        out
    }

    /// The key person: a name field when it holds a name, else text (子（週2回…）).
    pub fn key_person(&mut self, text: &str) -> String {
        match key_person_name(text) {
            Some(_) => self.name_field(text),
            None => self.redact(text).into_owned(),
        }
    }

    /// An agency field: kept, but a person typed into it (`佐藤 恵子（長女）`) is replaced like a
    /// name field, a recorded person after a relation glued to it or at the end of an agency
    /// (母ハナコ, 健康推進課の山田) is replaced as one (母A氏, 健康推進課のA氏), a recorded person
    /// inside it (髙橋係長) is replaced where it stands (P氏係長), and one that only looks like a
    /// name is warned about.
    pub fn agency<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let held = match self.agency_people.get(text) {
            Some(&known) => known,
            None => {
                let held = held(text, &self.patterns);
                self.agency_people.insert(text.to_owned(), held);
                held
            }
        };
        match held {
            Held::Person => return Cow::Owned(self.name_field(text)),
            Held::NameAt(at) => return Cow::Owned(self.name_at(text, at)),
            Held::Within => return self.redact(text),
            Held::No => {}
        }
        if agency_looks_like_name(text) && !self.suspects.iter().any(|s| s.text == text) {
            self.suspects.push(Suspect {
                text: text.to_owned(),
                kind: SuspectKind::AgencyField,
                line: None,
            });
        }
        self.redact(text)
    }

    /// How many places were replaced so far.
    fn replaced(&self) -> usize {
        self.counts.iter().map(|r| r.count).sum()
    }

    /// What was replaced and what looks like a name, so far.
    pub fn report(&self) -> RedactionReport {
        RedactionReport {
            replacements: self.counts.clone(),
            suspects: self.suspects.clone(),
        }
    }
}

/// Text as a document writer puts it: through the redactor when a redacted copy is written
/// (`Some`), as typed otherwise (`None`). The minutes and the case record write every piece of
/// user text through it.
pub trait Redacting {
    /// Free text, names replaced.
    fn text<'a>(&mut self, text: &'a str) -> Cow<'a, str>;
    /// A field that names a place or a topic: [`Redactor::redact_place`].
    fn place<'a>(&mut self, text: &'a str) -> Cow<'a, str>;
    /// A field holding a person's name: replaced whole, however short.
    fn name(&mut self, text: &str) -> String;
    /// A field holding an agency: kept, unless a person was typed into it.
    fn agency_field(&mut self, text: &str) -> String;
    /// The key person: a name field when it holds a name, else text.
    fn key_person_field(&mut self, text: &str) -> String;
    /// A case pseudonym: as it stands, unless it spells a name ([`Redactor::pseudonym`]).
    fn pseudonym(&mut self, text: &str) -> String;
    /// A household member's relation: its relations and notes kept, anything else withheld
    /// ([`Redactor::relation_field`]).
    fn relation(&mut self, text: &str) -> String;
}

impl Redacting for Option<Redactor> {
    fn text<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        match self {
            Some(r) => r.redact(text),
            None => Cow::Borrowed(text),
        }
    }

    fn place<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        match self {
            Some(r) => r.redact_place(text),
            None => Cow::Borrowed(text),
        }
    }

    fn name(&mut self, text: &str) -> String {
        match self {
            Some(r) => r.name_field(text),
            None => text.to_owned(),
        }
    }

    fn agency_field(&mut self, text: &str) -> String {
        match self {
            Some(r) => r.agency(text).into_owned(),
            None => text.to_owned(),
        }
    }

    fn key_person_field(&mut self, text: &str) -> String {
        match self {
            Some(r) => r.key_person(text),
            None => text.to_owned(),
        }
    }

    fn pseudonym(&mut self, text: &str) -> String {
        match self {
            Some(r) => r.pseudonym(text),
            None => text.to_owned(),
        }
    }

    fn relation(&mut self, text: &str) -> String {
        match self {
            Some(r) => r.relation_field(text),
            None => text.to_owned(),
        }
    }
}

/// Tells which cells of a published table (the annual report's agencies and case issues) hold a
/// person: a name with a relation (`佐藤 花子（長女）`), a name before an honorific (`山田さんの虐待`),
/// or a person recorded in the meetings counted (`山田恵子`) — what the minutes' redaction replaces.
/// Each distinct text is judged once.
#[derive(Debug, Clone)]
pub struct PersonCells {
    redactor: Redactor,
    /// The texts judged, as agency cells and as text cells.
    judged: [HashMap<String, bool>; 2],
}

impl PersonCells {
    /// For these recorded people; `agencies` are the agency names the cells hold, left whole
    /// unless one holds a person.
    pub fn new(people: &[Person], agencies: &[&str]) -> PersonCells {
        // A name field holding an agency's name (保護課 typed as a name) is no person here: the
        // agency's own cells must keep counting as it.
        let w = words::words();
        let people: Vec<Person> = people
            .iter()
            .filter(|p| !w.looks_like_agency(&p.name))
            .cloned()
            .collect();
        let agencies: Vec<String> = agencies.iter().map(|a| (*a).to_owned()).collect();
        PersonCells {
            redactor: Redactor::new(Lang::Ja, &people, &agencies),
            judged: [HashMap::new(), HashMap::new()],
        }
    }

    /// Whether an agency cell holds a person.
    pub fn agency(&mut self, text: &str) -> bool {
        self.judge(text, true)
    }

    /// Whether a text cell (a case issue) names a person.
    pub fn text(&mut self, text: &str) -> bool {
        self.judge(text, false)
    }

    /// Free text printed in a table (a closure reason): `None` when it names nobody, else the
    /// text with every name (the recorded people in any written form, a name an honorific
    /// marks) replaced by `mark` (○○) — the reason stays readable, the person does not.
    pub fn names_replaced(&mut self, text: &str, mark: &'static str) -> Option<String> {
        let before = self.redactor.replaced();
        self.redactor.mark = Some(mark);
        let out = self.redactor.redact(text).into_owned();
        self.redactor.mark = None;
        (self.redactor.replaced() > before).then_some(out)
    }

    fn judge(&mut self, text: &str, agency: bool) -> bool {
        // Looked up without a key made for it: a report judges a cell or more a meeting.
        let judged = &mut self.judged[usize::from(agency)];
        if let Some(&person) = judged.get(text) {
            return person;
        }
        let before = self.redactor.replaced();
        if agency {
            self.redactor.agency(text);
        } else {
            self.redactor.redact(text);
        }
        let person = self.redactor.replaced() > before;
        self.judged[usize::from(agency)].insert(text.to_owned(), person);
        person
    }
}

/// A name as written without the honorific after it (木下さん → 木下).
fn strip_honorific(written: &str) -> &str {
    &written[..written.len() - people::trailing_honorific(written)]
}

/// An agency field with no mark of an agency that starts with a family name (田中) or is two
/// capitalised Latin words.
fn agency_looks_like_name(text: &str) -> bool {
    let w = words::words();
    if w.looks_like_agency(text) {
        return false;
    }
    let key = fold_key(text);
    let kanji = (2..=6).contains(&key.chars().count()) && key.chars().all(fold::is_kanji);
    let surname = w.surnames.contains_key(&key) || people::family_prefix(&key).is_some();
    let latin: Vec<&str> = text.split_whitespace().collect();
    let latin_pair = latin.len() == 2
        && latin.iter().all(|p| {
            p.chars().next().is_some_and(char::is_uppercase) && p.chars().all(char::is_alphabetic)
        });
    (kanji && surname) || latin_pair
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_agency_relation;
#[cfg(test)]
mod tests_attack8;
#[cfg(test)]
mod tests_common_words;
#[cfg(test)]
mod tests_given;
#[cfg(test)]
mod tests_given_kana;
#[cfg(test)]
mod tests_guess;
#[cfg(test)]
mod tests_mixed;
#[cfg(test)]
mod tests_places;
#[cfg(test)]
mod tests_recorded;
#[cfg(test)]
mod tests_redact13;
#[cfg(test)]
mod tests_redact14;
#[cfg(test)]
mod tests_redact15;
#[cfg(test)]
mod tests_redact31;
#[cfg(test)]
mod tests_redact32;
#[cfg(test)]
mod tests_relation_column;
#[cfg(test)]
mod tests_relation_kana;
#[cfg(test)]
mod tests_rules;
