//! Full-text search over past records: notes, decisions, agenda titles, role assignments, next
//! actions, case issues, and a meeting's case pseudonym, place, support policy and remaining
//! issues — across meetings, newest first.
//!
//! Every searchable text is a row of `search_docs`, kept in step with the tables it comes from by
//! triggers (an insert, an edit, a soft delete, a deleted meeting: whoever writes, renkei or
//! `sqlite3`), and indexed by an FTS5 table with the `trigram` tokenizer over it (external
//! content: the text is kept once). A doc's id is its sort key: the meeting's day in the high
//! bits, then the source row's id and kind, so "newest first" is the index's own order and a
//! query stops at its limit instead of sorting every match, and a date range is a range of ids.
//!
//! A word of three characters or more is looked up as its trigrams (the index keeps which docs
//! hold each, not where: schema step 24), and each doc found is read for the word itself.
//! Trigrams cannot find one or two characters (虐待, 孤立, DV, 鬱), so those are found by
//! reading the docs newest first, `instr` on each, until the limit is reached: a word that
//! occurs stops the read early (a few ms at ward scale); a word that occurs nowhere reads every
//! doc (see README, Performance). A bigram column would find them from an index, but it needs
//! a function of renkei's own to fill it, and a trigger calling one would make every other
//! writer (sqlite3, a tool, an older renkei) fail to insert a note.

// SQL pieces of the schema below. A doc's low 40 bits: `((id & (2^36 - 1)) << 4) | kind`.
macro_rules! low {
    ($id:expr, $kind:expr) => {
        concat!("((((", $id, ") & 68719476735) << 4) | ", $kind, ")")
    };
}
macro_rules! day {
    ($date:expr) => {
        concat!(
            "(coalesce(CAST(julianday(",
            $date,
            ") AS INTEGER), 0) << 40)"
        )
    };
}
macro_rules! key {
    ($date:expr, $id:expr, $kind:expr) => {
        concat!("(", day!($date), " | ", low!($id, $kind), ")")
    };
}
macro_rules! entry_kind {
    ($kind:expr) => {
        concat!("(CASE ", $kind, " WHEN 'decision' THEN 1 ELSE 0 END)")
    };
}
/// Removes a row's doc: by its id, from the day its meeting has now (the docs of a meeting moved
/// to another day were moved with it; the docs of a deleted meeting went first).
macro_rules! drop_doc {
    ($meeting:expr, $id:expr, $kind:expr) => {
        concat!(
            "    DELETE FROM search_docs WHERE id = ",
            key!(
                concat!("(SELECT date FROM meetings WHERE id = ", $meeting, ")"),
                $id,
                $kind
            ),
            ";\n"
        )
    };
}
macro_rules! put_doc {
    ($meeting:expr, $id:expr, $kind:expr, $text:expr, $visible:expr) => {
        concat!(
            drop_doc!($meeting, $id, $kind),
            "    INSERT INTO search_docs (id, meeting_id, text) SELECT ",
            key!("m.date", $id, $kind),
            ", m.id, ",
            $text,
            " FROM meetings m WHERE m.id = ",
            $meeting,
            " AND ",
            $visible,
            " AND trim(",
            $text,
            ") <> '';\n"
        )
    };
}
macro_rules! put_entry {
    () => {
        put_doc!(
            "(SELECT meeting_id FROM agenda_items WHERE id = new.item_id)",
            "new.id",
            entry_kind!("new.kind"),
            "new.text",
            "new.deleted_at IS NULL AND (SELECT deleted_at FROM agenda_items WHERE id = new.item_id) IS NULL"
        )
    };
}
/// The three triggers of a table whose rows belong to a meeting directly.
macro_rules! owned_by_meeting {
    ($name:literal, $table:literal, $column:literal, $kind:literal) => {
        concat!(
            "CREATE TRIGGER search_",
            $name,
            "_insert AFTER INSERT ON ",
            $table,
            " BEGIN\n",
            put_doc!(
                "new.meeting_id",
                "new.id",
                $kind,
                concat!("new.", $column),
                "new.deleted_at IS NULL"
            ),
            "END;\nCREATE TRIGGER search_",
            $name,
            "_update AFTER UPDATE OF ",
            $column,
            ", deleted_at, meeting_id ON ",
            $table,
            " BEGIN\n",
            drop_doc!("old.meeting_id", "old.id", $kind),
            put_doc!(
                "new.meeting_id",
                "new.id",
                $kind,
                concat!("new.", $column),
                "new.deleted_at IS NULL"
            ),
            "END;\nCREATE TRIGGER search_",
            $name,
            "_delete AFTER DELETE ON ",
            $table,
            " BEGIN\n",
            drop_doc!("old.meeting_id", "old.id", $kind),
            "END;\n"
        )
    };
}
/// The docs of the rows a table holds already (schema step 4 indexes an existing database).
macro_rules! backfill {
    ($table:literal, $column:literal, $kind:literal) => {
        concat!(
            "    UNION ALL SELECT ",
            key!("m.date", "r.id", $kind),
            ", m.id, r.",
            $column,
            " FROM ",
            $table,
            " r JOIN meetings m ON m.id = r.meeting_id\n",
            "    WHERE r.deleted_at IS NULL AND trim(r.",
            $column,
            ") <> ''\n"
        )
    };
}
macro_rules! backfill_meeting {
    ($column:literal, $kind:literal) => {
        concat!(
            "    UNION ALL SELECT ",
            key!("m.date", "m.id", $kind),
            ", m.id, m.",
            $column,
            " FROM meetings m WHERE trim(m.",
            $column,
            ") <> ''\n"
        )
    };
}
/// FTS5's merge of the index's segments into one ([`OPTIMIZE`]), for the SQL made of literals.
macro_rules! optimize_sql {
    () => {
        "INSERT INTO search_fts (search_fts) VALUES ('optimize');\n"
    };
}
/// Every searchable text the tables hold, as docs in key order (the fastest way to fill the
/// table: each page written once).
macro_rules! backfill_docs {
    () => {
        concat!(
            r#"INSERT INTO search_docs (id, meeting_id, text)
SELECT key, meeting_id, text FROM (
    SELECT "#,
    key!("m.date", "e.id", entry_kind!("e.kind")),
    r#" AS key, m.id AS meeting_id, e.text AS text
    FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id JOIN meetings m ON m.id = i.meeting_id
    WHERE e.deleted_at IS NULL AND i.deleted_at IS NULL AND trim(e.text) <> ''
    UNION ALL SELECT "#,
    key!("m.date", "i.id", "2"),
    r#", m.id, i.title FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id
    WHERE i.deleted_at IS NULL AND trim(i.title) <> ''
"#,
    backfill!("role_assignments", "responsibility", "3"),
    backfill!("next_actions", "text", "4"),
    backfill!("case_issues", "category", "5"),
    backfill_meeting!("case_ref", "6"),
    backfill_meeting!("place", "7"),
    backfill_meeting!("support_policy", "8"),
    backfill_meeting!("remaining_issues", "9"),
    r#"
) ORDER BY key;"#,
            "\n"
        )
    };
}
/// A new meeting's own texts: its case pseudonym, place, support policy, remaining issues.
macro_rules! meeting_fields {
    () => {
        concat!(
            meeting_field!("6", "case_ref"),
            meeting_field!("7", "place"),
            meeting_field!("8", "support_policy"),
            meeting_field!("9", "remaining_issues")
        )
    };
}
macro_rules! meeting_field {
    ($kind:literal, $column:literal) => {
        concat!(
            "    INSERT INTO search_docs (id, meeting_id, text) SELECT ",
            key!("new.date", "new.id", $kind),
            ", new.id, new.",
            $column,
            " WHERE trim(new.",
            $column,
            ") <> '';\n"
        )
    };
}

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use std::ops::Range;

use super::{Result, Store, StoreError};
use crate::i18n::{Lang, Msg};

mod kana;

/// What kind of record a hit is; the low four bits of a doc's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitKind {
    Note,
    Decision,
    AgendaItem,
    Role,
    Action,
    CaseIssue,
    /// The case's pseudonym (A世帯).
    Case,
    Place,
    SupportPolicy,
    RemainingIssues,
}

impl HitKind {
    pub const ALL: [HitKind; 10] = [
        HitKind::Note,
        HitKind::Decision,
        HitKind::AgendaItem,
        HitKind::Role,
        HitKind::Action,
        HitKind::CaseIssue,
        HitKind::Case,
        HitKind::Place,
        HitKind::SupportPolicy,
        HitKind::RemainingIssues,
    ];

    /// The code in a doc's id (the triggers in [`SCHEMA`] write the same numbers).
    pub fn bits(self) -> i64 {
        match self {
            HitKind::Note => 0,
            HitKind::Decision => 1,
            HitKind::AgendaItem => 2,
            HitKind::Role => 3,
            HitKind::Action => 4,
            HitKind::CaseIssue => 5,
            HitKind::Case => 6,
            HitKind::Place => 7,
            HitKind::SupportPolicy => 8,
            HitKind::RemainingIssues => 9,
        }
    }

    fn from_bits(bits: i64) -> Option<HitKind> {
        HitKind::ALL.into_iter().find(|k| k.bits() == bits)
    }

    /// A stable name (JSON).
    pub fn code(self) -> &'static str {
        match self {
            HitKind::Note => "note",
            HitKind::Decision => "decision",
            HitKind::AgendaItem => "agenda_item",
            HitKind::Role => "role",
            HitKind::Action => "action",
            HitKind::CaseIssue => "case_issue",
            HitKind::Case => "case",
            HitKind::Place => "place",
            HitKind::SupportPolicy => "support_policy",
            HitKind::RemainingIssues => "remaining_issues",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            HitKind::Note => ("メモ", "note"),
            HitKind::Decision => ("決定事項", "decision"),
            HitKind::AgendaItem => ("議題", "agenda item"),
            HitKind::Role => ("役割分担", "role"),
            HitKind::Action => ("次回までの対応", "next action"),
            HitKind::CaseIssue => ("課題", "case issue"),
            HitKind::Case => ("事例", "case"),
            HitKind::Place => ("場所", "place"),
            HitKind::SupportPolicy => ("支援方針", "support policy"),
            HitKind::RemainingIssues => ("残された課題", "remaining issues"),
        };
        lang.pick(ja, en)
    }
}

/// Which meetings to search; empty or `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    /// Only meetings of these bodies (ids); empty: every body.
    pub bodies: Vec<i64>,
    /// Meetings on or after this day.
    pub from: Option<NaiveDate>,
    /// Meetings on or before this day.
    pub to: Option<NaiveDate>,
}

/// One record that matched, with its meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The row's id in its own table (for a meeting's fields: the meeting's id).
    pub record_id: i64,
    pub meeting_id: i64,
    pub date: NaiveDate,
    pub body_id: i64,
    pub body: String,
    /// The body's ward (a city's wards hold bodies and cases of the same names): its name, and
    /// its row (for its label, code and uid: `WardLabels`).
    pub ward: String,
    pub ward_id: i64,
    pub confidential: bool,
    /// The whole text as the database holds it (not yet made inert).
    pub text: String,
    /// Where the first match is in `text` (bytes); empty when it could not be placed.
    pub matched: Range<usize>,
}

impl SearchHit {
    /// The text on one line, cut to `cells` around the match (`..` marks a cut), made inert.
    pub fn excerpt(&self, cells: usize) -> String {
        excerpt(&self.text, self.matched.clone(), cells)
    }

    /// [`SearchHit::excerpt`], and where in it the match is (the form found: ｻﾄｳ for さとう).
    pub fn excerpt_marked(&self, cells: usize) -> (String, Range<usize>) {
        excerpt_marked(&self.text, self.matched.clone(), cells)
    }

    /// The text the first word matched, as written (ｻﾄｳ where さとう was typed); empty when it
    /// could not be placed.
    pub fn matched_text(&self) -> &str {
        self.text.get(self.matched.clone()).unwrap_or("")
    }
}

const LOW_BITS: i64 = (1 << 40) - 1;

/// The sort key of a meeting's day: the day number in the high bits of a doc's id.
fn day_key(date: NaiveDate) -> i64 {
    // SQLite's julianday('0001-01-01') is 1721425.5, and CAST truncates: day 1 of the common era
    // is 1721425 (julianday('2026-11-21') = 2461365.5 → 2461365).
    (i64::from(date.num_days_from_ce()) + 1_721_424) << 40
}

/// One word of a query, in the forms it is looked for: as typed, with full-width letters and
/// digits folded to ASCII, and with ASCII widened (IMEs type ＤＶ as often as DV); each of those,
/// when it holds kana, also in hiragana, full-width and half-width katakana ([`kana::forms`]:
/// さとう, サトウ, ｻﾄｳ).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    forms: Vec<String>,
    /// The characters of its shortest form (ｶﾞｽ is 3, its form ガス 2): a word is looked up in
    /// the trigram index only when every form is long enough for it.
    chars: usize,
    /// Each form as [`fold`] makes it, for the docs the index finds to be read for it.
    folded: Vec<String>,
}

impl Term {
    fn new(word: &str) -> Term {
        // Width aside (the search reads ＤＶ as DV, see `fold_char`): the word in its kana forms.
        let forms = kana::forms(&crate::domain::calendar::fold_width(word));
        Term {
            chars: forms.iter().map(|f| f.chars().count()).min().unwrap_or(0),
            folded: forms.iter().map(|f| fold(f)).collect(),
            forms,
        }
    }

    /// An FTS5 query for the docs that may hold the word: those that hold trigrams of one of
    /// its forms — each trigram in either width of its ASCII (the index keeps ＤＶ相 as ｄｖ相,
    /// DV相 as dv相, and a text mixes them: ＤＶ相談2件), every trigram of a word of up to
    /// [`TRIGRAMS_ASKED`] and that many spread over a longer one. The index keeps which docs
    /// hold a trigram, not where (schema step 24, [`TRIGRAMS_ONLY`]): the docs it finds are
    /// read for the word itself ([`Term::place_in`]). Each trigram quoted, so `"`, `*`, `-`,
    /// `NEAR(`, `AND` or a column name in what was typed are only text.
    fn fts(&self) -> String {
        let any: Vec<String> = self
            .forms
            .iter()
            .map(|form| {
                let chars: Vec<char> = form.chars().collect();
                let trigrams: Vec<&[char]> = chars.windows(TRIGRAM).collect();
                let asked = trigrams.len().min(TRIGRAMS_ASKED);
                let mut all: Vec<String> = Vec::new();
                for i in 0..asked {
                    // The first and the last, and those between evenly spaced.
                    let at = if asked > 1 {
                        i * (trigrams.len() - 1) / (asked - 1)
                    } else {
                        0
                    };
                    let widths: Vec<String> = widths(trigrams[at])
                        .iter()
                        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                        .collect();
                    let group = if widths.len() == 1 {
                        widths.concat()
                    } else {
                        format!("({})", widths.join(" OR "))
                    };
                    if !all.contains(&group) {
                        all.push(group);
                    }
                }
                format!("({})", all.join(" AND "))
            })
            .collect();
        format!("({})", any.join(" OR "))
    }

    /// Where the word first stands in a doc, in any of its forms ([`Folded::place`]); none
    /// when the doc does not hold it.
    fn place_in(&self, doc: &Folded) -> Option<Range<usize>> {
        earliest(
            self.forms
                .iter()
                .zip(&self.folded)
                .filter_map(|(form, folded)| doc.place(form, folded)),
        )
    }
}

/// The trigrams of a long word asked of the index, at most: every doc found is read for the
/// word, so a few spread over it find the same docs as all of them (a pasted paragraph asked
/// thousands, each in up to eight widths).
const TRIGRAMS_ASKED: usize = 16;

/// `chars` with each of its ASCII characters in either width (`dv相`: dv相, dｖ相, ｄv相,
/// ｄｖ相), as typed first.
fn widths(chars: &[char]) -> Vec<String> {
    let mut all = vec![String::new()];
    for &c in chars {
        let wide = crate::domain::calendar::wide_char(c);
        all = all
            .into_iter()
            .flat_map(|t| {
                let mut narrow = t.clone();
                narrow.push(c);
                let wide = wide.map(|w| {
                    let mut t = t;
                    t.push(w);
                    t
                });
                std::iter::once(narrow).chain(wide)
            })
            .collect();
    }
    all
}

/// The first of some places; at the same start, the longest.
fn earliest(places: impl Iterator<Item = Range<usize>>) -> Option<Range<usize>> {
    places.min_by_key(|r| (r.start, std::cmp::Reverse(r.end)))
}

/// A doc's text as the search reads it: folded ([`fold_char`]), and, where a character and
/// its fold differ in length (K, the Kelvin sign, is k), for each byte of the folded text where
/// its character starts in the doc's (then the doc's end).
struct Folded {
    text: String,
    from: Option<Vec<usize>>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut folded = String::with_capacity(text.len());
        let mut shifted = false;
        for c in text.chars() {
            let f = fold_char(c);
            shifted |= f.len_utf8() != c.len_utf8();
            folded.push(f);
        }
        let from = shifted.then(|| {
            let mut from = Vec::with_capacity(folded.len() + 1);
            for (at, c) in text.char_indices() {
                from.extend(std::iter::repeat_n(at, fold_char(c).len_utf8()));
            }
            from.push(text.len());
            from
        });
        Folded { text: folded, from }
    }

    /// Where in the doc's text `form` (folded: `folded`) first stands, at a place no voicing
    /// mark follows when it ends in a half-width letter a mark changes (ﾀﾅｶ is not in ﾀﾅｶﾞﾜ).
    fn place(&self, form: &str, folded: &str) -> Option<Range<usize>> {
        let before_mark = kana::ends_before_mark(form);
        let mut from = 0;
        while let Some(found) = self.text.get(from..).and_then(|t| t.find(folded)) {
            let at = from + found;
            let end = at + folded.len();
            if !before_mark || !self.text[end..].starts_with(kana::MARKS) {
                return Some(match &self.from {
                    Some(from) => from[at]..from[end],
                    None => at..end,
                });
            }
            // A place a character on may overlap this one (ﾄﾞﾏﾄ in ﾄﾞﾏﾄﾞﾏﾄ).
            from = at + self.text[at..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }
}

/// Registers the search's own SQL function on the store's connection: `renkei_holds(text,
/// word)`, whether `text` holds `word` (given folded) as the search compares them ([`fold_char`];
/// a half-width letter a voicing mark follows is another letter). The search's statement asks
/// it of each doc for a word of one or two characters that folding concerns (DV, до); no
/// trigger, view or index calls it, so every other writer (sqlite3, a tool, an older renkei)
/// writes as before.
pub(crate) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    conn.create_scalar_function(
        "renkei_holds",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let (ValueRef::Text(text), ValueRef::Text(word)) = (ctx.get_raw(0), ctx.get_raw(1))
            else {
                return Ok(false);
            };
            Ok(holds(
                &String::from_utf8_lossy(text),
                &String::from_utf8_lossy(word),
            ))
        },
    )
}

/// Whether `text` holds `word` (folded) as [`Folded::place`] finds it, read in place: the
/// function above asks it of every doc a short word may be in, a ward's million when it is in
/// none (folding each doc into a copy first made that a half slower).
fn holds(text: &str, word: &str) -> bool {
    let before_mark = kana::ends_before_mark(word);
    let mut at = text.chars();
    loop {
        let mut rest = at.clone();
        let matched = word
            .chars()
            .all(|w| rest.next().is_some_and(|c| fold_char(c) == w));
        if matched && !(before_mark && rest.next().is_some_and(|c| kana::MARKS.contains(&c))) {
            return true;
        }
        if at.next().is_none() {
            return false;
        }
    }
}

/// Whether a form of a word must be compared folded: it holds a character that another folds
/// to, or that folds to another (ASCII and its full-width twin, a letter with a case). Kana and
/// kanji are compared as written (their forms are the kana forms).
fn folding_concerns(form: &str) -> bool {
    form.chars().any(|c| {
        matches!(c, '!'..='~' | '\u{FF01}'..='\u{FF5E}')
            || fold_char(c) != c
            || !c.to_uppercase().eq(std::iter::once(c))
    })
}

/// `text` as the search compares it: each character by [`fold_char`].
fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A character as the search compares it: full-width ASCII as ASCII (ＤＶ is DV, ２ is 2,
/// （ is `(`: input methods type either, and a text mixes them — ＤＶ相談2件), and every letter
/// in its lower case as FTS5's trigram tokenizer folds it (Unicode's simple case folding, one
/// character for one: full-width, Greek, Cyrillic alike; ς as σ, ſ as s), so that the index
/// finds every doc the reading then finds the word in — tested against FTS5 itself for every
/// character of the first two planes.
fn fold_char(c: char) -> char {
    match c {
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        '\u{FF01}'..='\u{FF5E}' => crate::domain::calendar::narrow_char(c).to_ascii_lowercase(),
        // Kana, the ideographs and the scripts between them have no case.
        '\u{3000}'..='\u{A63F}' => c,
        // Where case folding and lower case part: a letter's other forms, folded as the
        // letter itself.
        'µ' => 'μ',
        'ſ' => 's',
        '\u{345}' | '\u{1FBE}' => 'ι',
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        'ẛ' => 'ṡ',
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        }
    }
}

/// The words of a query: split at spaces (full-width too), control characters dropped.
fn terms(query: &str) -> Vec<Term> {
    words(query).map(|w| Term::new(&w)).collect()
}

/// The words of a query: split at spaces, control characters left out.
fn words(query: &str) -> impl Iterator<Item = String> {
    query
        .split(|c: char| c.is_whitespace())
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
}

/// Whether a query has a word to look for: one of spaces and control characters only has
/// none, and is asked again (検索する言葉を入れてください), not answered 一致する記録はありません.
pub fn has_words(query: &str) -> bool {
    words(query).next().is_some()
}

/// Trigrams find words of three characters or more.
const TRIGRAM: usize = 3;

/// The words one search takes (each short one is a condition of its statement, whose depth
/// SQLite bounds): a pasted paragraph is refused, saying so.
const MAX_WORDS: usize = 100;

impl Store {
    /// The records that contain every word of `query` (case aside for Latin letters; full- or
    /// half-width alike), newest meeting first, at most `limit`. An empty query finds nothing.
    pub fn search(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        let mut hits = Vec::new();
        self.each_search_hit(query, filters, limit, &mut |hit| {
            hits.push(hit);
            Ok::<(), StoreError>(())
        })?;
        Ok(hits)
    }

    /// [`Store::search`], each hit handed on as it is read and none held: `search --limit`
    /// large over a city's records (attack report 7, finding 26). An error of `each` stops the
    /// reading and is returned.
    pub fn each_search_hit<E: From<StoreError>>(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: usize,
        each: &mut dyn FnMut(SearchHit) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let terms = terms(query);
        if terms.len() > MAX_WORDS {
            return Err(E::from(StoreError::from(
                Msg::new("search_too_many_words")
                    .with("count", terms.len())
                    .with("limit", MAX_WORDS),
            )));
        }
        if terms.is_empty() || limit == 0 {
            return Ok(());
        }
        let (long, short): (Vec<&Term>, Vec<&Term>) =
            terms.iter().partition(|t| t.chars >= TRIGRAM);
        let mut params: Vec<Value> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        let id = if long.is_empty() { "d.id" } else { "f.rowid" };
        let from_sql = if long.is_empty() {
            "search_docs d"
        } else {
            let expr: Vec<String> = long.iter().map(|t| t.fts()).collect();
            params.push(Value::Text(expr.join(" AND ")));
            conditions.push(format!("search_fts MATCH ?{}", params.len()));
            "search_fts f CROSS JOIN search_docs d ON d.id = f.rowid"
        };
        if let Some(from) = filters.from {
            params.push(Value::Integer(day_key(from)));
            conditions.push(format!("{id} >= ?{}", params.len()));
        }
        if let Some(to) = filters.to {
            params.push(Value::Integer(day_key(to) | LOW_BITS));
            conditions.push(format!("{id} <= ?{}", params.len()));
        }
        // A short word is read doc by doc (a long one in the docs the index found, below):
        // found as written (kanji, kana), else folded as the search folds ([`register`]).
        for term in &short {
            let mut any = Vec::new();
            for (form, folded) in term.forms.iter().zip(&term.folded) {
                if folding_concerns(form) || kana::ends_before_mark(form) {
                    params.push(Value::Text(folded.clone()));
                    any.push(format!("renkei_holds(d.text, ?{})", params.len()));
                } else {
                    params.push(Value::Text(form.clone()));
                    any.push(format!("instr(d.text, ?{}) > 0", params.len()));
                }
            }
            conditions.push(format!("({})", any.join(" OR ")));
        }
        if !filters.bodies.is_empty() {
            let mut marks = Vec::new();
            for body in &filters.bodies {
                params.push(Value::Integer(*body));
                marks.push(format!("?{}", params.len()));
            }
            // Through the meetings of the bodies: a body's few thousand docs, not every doc.
            conditions.push(format!(
                "d.meeting_id IN (SELECT id FROM meetings WHERE body_id IN ({}))",
                marks.join(", ")
            ));
        }
        // The docs the index finds are read for the long words below, so the limit is counted
        // there, on hits; the statement has none then (SQLite reads no further than the rows
        // taken).
        let limit_sql = if long.is_empty() {
            params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
            format!("LIMIT ?{}", params.len())
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT d.id, d.meeting_id, d.text, m.date, m.body_id, b.name, m.confidential, w.name, w.id
             FROM {from_sql}
             CROSS JOIN meetings m ON m.id = d.meeting_id
             CROSS JOIN bodies b ON b.id = m.body_id
             CROSS JOIN wards w ON w.id = b.ward_id
             WHERE {}
             ORDER BY {id} DESC {limit_sql}",
            if conditions.is_empty() {
                "1".to_owned()
            } else {
                conditions.join(" AND ")
            },
        );
        let mut stmt = self.conn().prepare_cached(&sql).map_err(StoreError::from)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                ))
            })
            .map_err(StoreError::from)?;
        let mut found = 0;
        for row in rows {
            if found == limit {
                break;
            }
            let (key, meeting_id, text, date, body_id, body, confidential, ward, ward_id) =
                row.map_err(StoreError::from)?;
            // A doc that holds every trigram of a long word may not hold the word.
            let Some(matched) = placed(&Folded::new(&text), &terms) else {
                continue;
            };
            let Some(kind) = HitKind::from_bits(key & 0xF) else {
                continue;
            };
            let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                continue;
            };
            found += 1;
            each(SearchHit {
                kind,
                record_id: (key & LOW_BITS) >> 4,
                meeting_id,
                date,
                body_id,
                body,
                ward,
                ward_id,
                confidential,
                text,
                matched,
            })?;
        }
        Ok(())
    }
}

/// Where the words first stand in a doc, in any form, case aside as the search folds it
/// ([`fold`]: ＳＮＳ where ｓｎｓ was typed) — an empty range at 0 when none can be placed (a
/// short word SQLite found by another fold); none when the doc does not hold a word of three
/// characters or more, which the index found by its trigrams alone.
fn placed(doc: &Folded, terms: &[Term]) -> Option<Range<usize>> {
    let mut first = None;
    for term in terms {
        match term.place_in(doc) {
            Some(at) => first = earliest([at].into_iter().chain(first)),
            None if term.chars >= TRIGRAM => return None,
            None => {}
        }
    }
    Some(first.unwrap_or(0..0))
}

/// `text` on one line, cut to `cells` so that the match shows with some text before it; inert
/// (line breaks as spaces, control characters as U+FFFD), `..` where it was cut.
pub fn excerpt(text: &str, matched: Range<usize>, cells: usize) -> String {
    excerpt_marked(text, matched, cells).0
}

/// [`excerpt`], and where the match is in it (bytes): what a screen highlights. The range is
/// cut where the excerpt is, and empty when the match was not placed or is cut off.
pub fn excerpt_marked(text: &str, matched: Range<usize>, cells: usize) -> (String, Range<usize>) {
    use crate::text::{is_hazard, truncate, width};
    // Each character as it will be shown, with where it was in `text`.
    let shown: Vec<(usize, char)> = text
        .char_indices()
        .map(|(at, c)| {
            let c = match c {
                '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
                c if is_hazard(c) => '\u{FFFD}',
                c => c,
            };
            (at, c)
        })
        .collect();
    // The match in the shown characters, and from which of them the excerpt starts.
    let index = |at: usize| {
        shown
            .iter()
            .position(|(from, _)| *from >= at)
            .unwrap_or(shown.len())
    };
    let (first, last) = (index(matched.start), index(matched.end));
    let line: String = shown.iter().map(|(_, c)| c).collect();
    let cell = |c: char| width(c.encode_utf8(&mut [0; 4]));
    let before: usize = shown[..first].iter().map(|(_, c)| cell(*c)).sum();
    // Keep about a third of the room for the text before the match.
    let lead = cells / 3;
    // The excerpt, the first shown character in it, the bytes before that (`..`), and whether
    // its end was cut.
    let (out, start, prefix, cut) = if width(&line) <= cells {
        (line, 0, 0, false)
    } else if before <= lead {
        (truncate(&line, cells), 0, 0, true)
    } else {
        let mut start = first;
        let mut used = 0;
        while start > 0 && used + cell(shown[start - 1].1) <= lead.saturating_sub(2) {
            start -= 1;
            used += cell(shown[start].1);
        }
        // Not inside a character as it is drawn: a combining mark (the ゙ of a が written in
        // two code points), a joiner or what a joiner joins begins no excerpt.
        while start < first && (cell(shown[start].1) == 0 || shown[start - 1].1 == '\u{200D}') {
            start += 1;
        }
        let rest = format!(
            "..{}",
            shown[start..].iter().map(|(_, c)| c).collect::<String>()
        );
        let cut = width(&rest) > cells;
        (truncate(&rest, cells), start, 2, cut)
    };
    // Bytes of the excerpt before the shown character `i`, and where its text ends.
    let byte = |i: usize| -> usize {
        prefix
            + shown[start..i.max(start)]
                .iter()
                .map(|(_, c)| c.len_utf8())
                .sum::<usize>()
    };
    let kept = if cut && cells >= 3 {
        out.len().saturating_sub(2)
    } else {
        out.len()
    };
    let marked = if matched.is_empty() || first < start {
        0..0
    } else {
        let (from, to) = (byte(first).min(kept), byte(last).min(kept));
        if from < to { from..to } else { 0..0 }
    };
    (out, marked)
}

/// The search tables and the triggers that keep them in step: schema step 4.
///
/// A doc's id: `day << 40 | (source id & (2^36 - 1)) << 4 | kind` — day is SQLite's
/// `julianday(date)`, truncated; kind as [`HitKind::bits`]. A meeting moved to another day moves
/// its docs with it, so a doc is always found again from its meeting's day now; a meeting's own
/// fields are found by their meeting (two triggers fire when its day and its place change
/// together, in either order), and a deleted meeting's docs go before its rows do. Every trigger
/// removes a doc before it writes it, so no capture can fail on a doc left from before.
pub const SCHEMA: &str = concat!(
    r#"
-- The records already held are indexed below in one pass, in the page cache of INDEXING_CACHE_KB
-- rather than the migration's 64 MB (which the migration puts back after its last step).
PRAGMA cache_size = -2048;
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX search_docs_meeting ON search_docs(meeting_id);

"#,
    backfill_docs!(),
    r#"

CREATE VIRTUAL TABLE search_fts USING fts5(
    text, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram', columnsize = 0
);
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
"#,
    optimize_sql!(),
    r#"
-- No merging after every write: a capture is one small transaction, and merging segments at
-- each one tripled its cost. Sixteen segments on a level are still merged at once (crisismerge).
INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);

CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER search_entry_insert AFTER INSERT ON agenda_entries BEGIN
"#,
    put_entry!(),
    r#"END;
CREATE TRIGGER search_entry_update AFTER UPDATE OF text, kind, deleted_at, item_id ON agenda_entries BEGIN
"#,
    drop_doc!(
        "(SELECT meeting_id FROM agenda_items WHERE id = old.item_id)",
        "old.id",
        entry_kind!("old.kind")
    ),
    put_entry!(),
    r#"END;
CREATE TRIGGER search_entry_delete AFTER DELETE ON agenda_entries BEGIN
"#,
    drop_doc!(
        "(SELECT meeting_id FROM agenda_items WHERE id = old.item_id)",
        "old.id",
        entry_kind!("old.kind")
    ),
    r#"END;

CREATE TRIGGER search_item_insert AFTER INSERT ON agenda_items BEGIN
"#,
    put_doc!(
        "new.meeting_id",
        "new.id",
        "2",
        "new.title",
        "new.deleted_at IS NULL"
    ),
    r#"END;
CREATE TRIGGER search_item_update AFTER UPDATE OF title, deleted_at, meeting_id ON agenda_items BEGIN
"#,
    drop_doc!("old.meeting_id", "old.id", "2"),
    put_doc!(
        "new.meeting_id",
        "new.id",
        "2",
        "new.title",
        "new.deleted_at IS NULL"
    ),
    r#"END;
-- The notes and decisions under an item are found while the item is.
CREATE TRIGGER search_item_entries AFTER UPDATE OF deleted_at, meeting_id ON agenda_items
WHEN old.deleted_at IS NOT new.deleted_at OR old.meeting_id IS NOT new.meeting_id BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.meeting_id AND (id & 1099511627775) IN (
        SELECT "#,
    low!("e.id", entry_kind!("e.kind")),
    r#" FROM agenda_entries e WHERE e.item_id = old.id);
    INSERT INTO search_docs (id, meeting_id, text)
    SELECT "#,
    key!("m.date", "e.id", entry_kind!("e.kind")),
    r#", m.id, e.text FROM agenda_entries e JOIN meetings m ON m.id = new.meeting_id
    WHERE e.item_id = new.id AND e.deleted_at IS NULL AND new.deleted_at IS NULL
      AND trim(e.text) <> '';
END;
CREATE TRIGGER search_item_delete BEFORE DELETE ON agenda_items BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.meeting_id AND (id & 1099511627775) IN (
        SELECT "#,
    low!("e.id", entry_kind!("e.kind")),
    r#" FROM agenda_entries e WHERE e.item_id = old.id);
"#,
    drop_doc!("old.meeting_id", "old.id", "2"),
    r#"END;
"#,
    owned_by_meeting!("role", "role_assignments", "responsibility", "3"),
    owned_by_meeting!("action", "next_actions", "text", "4"),
    owned_by_meeting!("issue", "case_issues", "category", "5"),
    r#"
CREATE TRIGGER search_meeting_insert AFTER INSERT ON meetings BEGIN
"#,
    meeting_fields!(),
    r#"END;
CREATE TRIGGER search_meeting_update AFTER UPDATE OF case_ref, place, support_policy, remaining_issues ON meetings
BEGIN
    DELETE FROM search_docs WHERE meeting_id = new.id AND (id & 1099511627775) IN ("#,
    low!("new.id", "6"),
    ", ",
    low!("new.id", "7"),
    ", ",
    low!("new.id", "8"),
    ", ",
    low!("new.id", "9"),
    r#");
"#,
    meeting_fields!(),
    r#"END;
-- A meeting moved to another day: its docs move in the order with it.
CREATE TRIGGER search_meeting_date AFTER UPDATE OF date ON meetings
WHEN old.date IS NOT new.date BEGIN
    UPDATE search_docs SET id = "#,
    day!("new.date"),
    r#" | (id & 1099511627775) WHERE meeting_id = new.id;
END;
CREATE TRIGGER search_meeting_delete BEFORE DELETE ON meetings BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.id;
END;
"#
);

/// Schema step 24: the index keeps which docs hold each trigram, not where in them
/// (`detail = none`): half the index (52 MB of FTS5's pages on W instead of 102), and a ward's
/// import 0.9 s faster (the bench: 14.6 → 13.7 s; FTS5's pass over every doc writes and merges
/// half as much). A word is
/// then looked for as every trigram of it, and each doc found read for the word itself
/// ([`Term::fts`], [`Term::is_in`]): the same docs as the phrase of its trigrams found, the
/// positions FTS5 kept for that read from the doc instead — a doc the search returns is read
/// whole anyway. The records are indexed again in one pass as [`index_again`] does (FTS5's
/// 8 MB buffer, then its segments merged into one), FTS5's settings as they were.
pub const TRIGRAMS_ONLY: &str = concat!(
    r#"
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram', columnsize = 0,
    detail = none
);
INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
"#,
    optimize_sql!(),
    r#"INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 1048576);
DELETE FROM search_fts_config WHERE k = 'hashsize';
INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);
"#
);

/// Fills the index again from the tables, in one pass: the docs in key order, then FTS5's own
/// rebuild (for a bulk write done with the triggers set aside), then its segments merged into
/// one ([`OPTIMIZE`]). Run within [`small_cache`].
const REFILL: &str = concat!(
    "DELETE FROM search_docs;\n",
    backfill_docs!(),
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild');\n",
    optimize_sql!()
);

/// Merges the index's segments into one. A pass over many rows leaves FTS5's index in segments
/// of many sizes on its lowest levels, and a capture adds a small one at each commit: with
/// automerge off, the sixteenth on a level merges the level at once (crisismerge), the
/// pass's large segments with it — a capture or a meeting scheduled stalled for 2–5 s on W as
/// its import or the demo left it, and for more than 30 s on C24 (`sqlite3`, one insert a
/// transaction: the third took 4.76 s). Merged into one, the pass's segment stands on the
/// highest level, which the captures' small segments reach only after thousands of commits;
/// 600 inserts after it took 1.6 ms at the most. The merge costs about 1.7 s on W. Schema step
/// 4 ends its indexing of an older database with it too.
const OPTIMIZE: &str = optimize_sql!();

/// The page cache while the index is filled in one pass, in KiB: SQLite's default (2 MB).
///
/// The pass sorts every doc into key order, and SQLite's sorter keeps as many bytes in memory
/// as the page cache may hold before it writes a sorted run to a temporary file — and grows its
/// buffer by doubling, so up to twice that. The bulk writes before it enlarge the cache (an
/// import to 16 MB, the demo and a migration to 64 MB): with theirs, indexing a ward took an
/// import of it from 32 MB to 110 MB and a migration to 199 MB. The pass itself writes only in
/// key order (the docs, then FTS5's segments), which needs no large cache: on the ward-scale
/// set it takes the same CPU time with 2 MB as with 64 MB (3.7 s), and 18 MB more at its peak
/// instead of 76 MB (16 MB) or about 180 MB (64 MB).
const INDEXING_CACHE_KB: i64 = 2048;

/// FTS5's buffer of the tokens not yet written (`hashsize`) while the index is filled in one
/// pass, in bytes. At FTS5's default of 1 MB, each megabyte of tokens is written as a segment of
/// its own, and every sixteen segments are merged into one (crisismerge: automerge is off) — the
/// same tokens written and read again at each level. With 8 MB, an eighth of the segments and of
/// the merging: on a ward's import, 4.1–5.0 → 3.1–3.8 s of CPU for FTS5's rebuild alone
/// (`sqlite3` on the imported W, three runs each, 2026-12-02 at a load of 14; on a tenth of a
/// ward it costs 7 % more instructions than it saves); 10 MB more while the page cache is the
/// small one above, so the import of a ward peaks where it did (58 MB, at its rows).
const INDEXING_HASH_BYTES: i64 = 8 * 1024 * 1024;

/// FTS5's own `hashsize` (1 MB), which every other write keeps: a capture is one small
/// transaction, flushed at its commit.
const DEFAULT_HASH_BYTES: i64 = 1024 * 1024;

/// Runs `fill` with the page cache at [`INDEXING_CACHE_KB`] and FTS5's buffer at
/// [`INDEXING_HASH_BYTES`], and puts back what they were (the buffer is FTS5's setting, kept in
/// `search_fts_config`: the same row, or none, as before).
fn small_cache<T>(tx: &rusqlite::Transaction, fill: impl FnOnce() -> Result<T>) -> Result<T> {
    use rusqlite::OptionalExtension;
    let before: i64 = tx.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    let hash: Option<i64> = tx
        .query_row(
            "SELECT v FROM search_fts_config WHERE k = 'hashsize'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    tx.pragma_update(None, "cache_size", -INDEXING_CACHE_KB)?;
    #[cfg(test)]
    let hash_bytes = tests::HASH_BYTES.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let hash_bytes = INDEXING_HASH_BYTES;
    let filled = set_hashsize(tx, hash_bytes).and_then(|()| fill());
    let restored = set_hashsize(tx, hash.unwrap_or(DEFAULT_HASH_BYTES)).and_then(|()| {
        if hash.is_none() {
            tx.execute("DELETE FROM search_fts_config WHERE k = 'hashsize'", [])?;
        }
        Ok(())
    });
    tx.pragma_update(None, "cache_size", before)?;
    let filled = filled?;
    restored?;
    Ok(filled)
}

fn set_hashsize(tx: &rusqlite::Transaction, bytes: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?1)",
        [bytes],
    )?;
    Ok(())
}

/// The search triggers set aside for a bulk write (see [`set_aside`]).
#[must_use = "the triggers come back only with index_again"]
pub struct SetAside(Vec<String>);

/// Sets the search index's triggers aside within `tx`, for a write of many rows at once (the
/// ward-scale demo, an import into an empty database): each row then costs no index work, and
/// [`index_again`] indexes everything in one pass before the transaction commits. The triggers
/// are part of the schema, so another process sees them gone only if this transaction commits
/// without `index_again` — which it must not; a transaction that fails or is dropped puts them
/// back with everything else.
pub fn set_aside(tx: &rusqlite::Transaction) -> Result<SetAside> {
    let triggers: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
    }
    Ok(SetAside(triggers.into_iter().map(|(_, sql)| sql).collect()))
}

/// Indexes every record again and puts the triggers back (the end of a bulk write).
pub fn index_again(tx: &rusqlite::Transaction, set_aside: SetAside) -> Result<()> {
    small_cache(tx, || Ok(tx.execute_batch(REFILL)?))?;
    for sql in set_aside.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Puts the triggers back without indexing again: the end of a bulk write that wrote no record
/// the index is made of (an import of records the database holds already, every one unchanged).
pub fn put_back(tx: &rusqlite::Transaction, set_aside: SetAside) -> Result<()> {
    for sql in set_aside.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Merges the index's segments into one ([`OPTIMIZE`]): the end of writing a city ward by ward
/// ([`index_meetings_from`] each time), once, after its last ward.
pub fn optimize(tx: &rusqlite::Transaction) -> Result<()> {
    small_cache(tx, || Ok(tx.execute_batch(OPTIMIZE)?))
}

/// Indexes the records of the meetings numbered `first` or more and puts the triggers back: the
/// end of a bulk write that only added meetings (a city's next ward), where indexing every
/// record again would read every ward written before it once more.
pub fn index_meetings_from(
    tx: &rusqlite::Transaction,
    set_aside: SetAside,
    first: i64,
) -> Result<()> {
    let docs = backfill_docs!().replacen(
        ") ORDER BY key;",
        ") WHERE meeting_id >= ?1 ORDER BY key;",
        1,
    );
    small_cache(tx, || {
        tx.execute(&docs, [first])?;
        tx.execute(
            "INSERT INTO search_fts (rowid, text) SELECT id, text FROM search_docs WHERE meeting_id >= ?1",
            [first],
        )?;
        Ok(())
    })?;
    for sql in set_aside.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::width;

    /// The first place of any word in `doc` (an empty range at 0 when none is placed).
    fn first_match(doc: &Folded, terms: &[Term]) -> Range<usize> {
        placed(doc, terms).unwrap_or(0..0)
    }

    thread_local! {
        /// FTS5's buffer in a pass, smaller in a test so that a few thousand docs fill it
        /// many times over (the segments of a ward's pass).
        pub(super) static HASH_BYTES: std::cell::Cell<i64> =
            const { std::cell::Cell::new(INDEXING_HASH_BYTES) };
    }

    /// The index's segments (FTS5 keeps a row of its `_idx` table for each leaf of each).
    fn segments(conn: &rusqlite::Connection) -> i64 {
        conn.query_row(
            "SELECT COUNT(DISTINCT segid) FROM search_fts_idx",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// A pass over every record leaves the index in one segment, however many its buffer
    /// wrote: the captures after it never merge the pass's segments at their commit (a stall
    /// of seconds on a ward, see [`OPTIMIZE`]).
    #[test]
    fn a_pass_leaves_the_index_in_one_segment() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let clock = crate::clock::Clock::fixed(now);
        let mut store = Store::open(&dir.path().join("demo.db"), clock).unwrap();
        crate::demo::load(&mut store).unwrap();
        // The demo's texts in a buffer of 4 kB: many segments, as a ward's in FTS5's 8 MB.
        HASH_BYTES.with(|h| h.set(4 * 1024));
        let passed = (|| -> Result<()> {
            let tx = store.write_transaction()?;
            let aside = set_aside(&tx)?;
            index_again(&tx, aside)?;
            tx.commit()?;
            Ok(())
        })();
        HASH_BYTES.with(|h| h.set(INDEXING_HASH_BYTES));
        passed.unwrap();
        assert_eq!(segments(store.conn()), 1);
        // What the index finds is what it found.
        let hits = store
            .search("支援会議", &SearchFilters::default(), 5)
            .unwrap();
        assert!(!hits.is_empty());
    }

    #[test]
    fn a_days_key_is_sqlites_julian_day() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for date in ["2026-11-21", "2019-05-01", "1999-12-31", "2100-03-01"] {
            let sqlite: i64 = conn
                .query_row(concat!("SELECT ", day!("?1")), [date], |r| r.get(0))
                .unwrap();
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            assert_eq!(day_key(day), sqlite, "{date}");
        }
    }

    #[test]
    fn the_pass_runs_in_a_small_cache_and_puts_back_the_callers() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        conn.pragma_update(None, "cache_size", -16384).unwrap();
        let tx = conn.transaction().unwrap();
        let aside = set_aside(&tx).unwrap();
        index_again(&tx, aside).unwrap();
        let aside = set_aside(&tx).unwrap();
        index_meetings_from(&tx, aside, 1).unwrap();
        let cache: i64 = tx
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -16384);
        // The migration's step says the same size as the one-pass indexing.
        assert!(SCHEMA.contains(&format!("PRAGMA cache_size = -{INDEXING_CACHE_KB};")));
        // Step 24's pass has the buffer of the one-pass indexing, and puts FTS5's own back.
        for bytes in [INDEXING_HASH_BYTES, DEFAULT_HASH_BYTES] {
            assert!(TRIGRAMS_ONLY.contains(&format!("('hashsize', {bytes});")));
        }
    }

    #[test]
    fn a_words_forms_and_its_fts5_query() {
        // Width aside: one form, its fold read in either width.
        let t = Term::new("ＤＶ");
        assert_eq!(t.forms, ["DV"]);
        assert_eq!(t.chars, 2);
        // Each trigram quoted, in either width of its ASCII; one asked for once in a form.
        assert_eq!(
            widths(&['d', 'v', '相']),
            ["dv相", "dｖ相", "ｄv相", "ｄｖ相"]
        );
        assert_eq!(
            Term::new("ａ支援会").fts(),
            r#"((("a支援" OR "ａ支援") AND "支援会"))"#
        );
        assert_eq!(Term::new("\"支援").fts(), r#"((("""支援" OR "＂支援")))"#);
        assert_eq!(
            Term::new("会議会議会").fts(),
            r#"(("会議会" AND "議会議"))"#
        );
        assert_eq!(Term::new("支援会議").fts(), r#"(("支援会" AND "援会議"))"#);
        // A long word: the first and last trigrams and those evenly between.
        let long: String = ('一'..).take(40).collect();
        let asked = Term::new(&long).fts();
        assert_eq!(asked.matches(" AND ").count(), TRIGRAMS_ASKED - 1);
        let chars: Vec<char> = long.chars().collect();
        for at in [0, 37] {
            assert!(
                asked.contains(&String::from_iter(&chars[at..at + 3])),
                "{asked}"
            );
        }
        assert_eq!(Term::new("支援").forms, ["支援"]);
        let words: Vec<usize> = terms(" 支援\u{3000}会議 a\u{0}b ")
            .iter()
            .map(|t| t.chars)
            .collect();
        assert_eq!(words, [2, 2, 2]);
        assert!(terms("\u{0}\u{1b}").is_empty());
    }

    /// The fold's short ways agree with Unicode's lower case: no letter between U+3000 and
    /// U+A63F has a case, ASCII folds as ASCII; letters of other scripts are folded.
    #[test]
    fn the_fold_is_unicodes_lower_case_one_character_for_one() {
        for c in ('\u{0}'..='\u{7F}').chain('\u{3000}'..='\u{A63F}') {
            let lower: String = c.to_lowercase().collect();
            assert_eq!(fold(&c.to_string()), lower, "U+{:04X}", u32::from(c));
        }
        // Full-width ASCII as ASCII; other scripts' letters folded.
        assert_eq!(fold("ＳＮＳ（２） ΑΒΓ Дом ǅ İx"), "sns(2) αβγ дом ǆ İx");
    }

    /// The search folds every character as the index does: FTS5's trigram tokenizer folds it
    /// to what `fold_char` does, but for width (the index keeps ｄ and d apart, the search asks
    /// for both). Read from FTS5 itself, for every character of the first two planes.
    #[test]
    fn the_fold_is_the_indexs_own() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram');
             CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');
             BEGIN;",
        )
        .unwrap();
        let chars = || {
            // Not the two noncharacters FTS5 reads as U+FFFD.
            ('\u{0}'..='\u{1FFFF}').filter(|c| {
                !c.is_control() && !c.is_whitespace() && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
            })
        };
        let mut insert = conn
            .prepare("INSERT INTO t (rowid, x) VALUES (?1, ?2)")
            .unwrap();
        for c in chars() {
            insert
                .execute(rusqlite::params![u32::from(c), c.to_string().repeat(3)])
                .unwrap();
        }
        let mut index = std::collections::HashMap::new();
        let mut rows = conn.prepare("SELECT doc, term FROM v").unwrap();
        let mut rows = rows.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let term: String = r.get(1).unwrap();
            index.insert(r.get::<_, u32>(0).unwrap(), term.chars().next().unwrap());
        }
        let wrong: Vec<String> = chars()
            .filter_map(|c| {
                let theirs = *index.get(&u32::from(c))?;
                let theirs = fold_char(theirs);
                (fold_char(c) != theirs)
                    .then(|| format!("U+{:04X} {c}: {} / {theirs}", u32::from(c), fold_char(c)))
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{} differ: {}",
            wrong.len(),
            wrong.join(", ")
        );
    }

    /// The short words' reading in place finds what the long words' finds.
    #[test]
    fn holds_is_place_read_in_place() {
        let texts = [
            "ＤＶ相談2件あり",
            "ｶｶｶﾞﾐ",
            "ﾄﾞﾏﾄﾞﾏﾄ",
            "ｶｶﾞ",
            "οδος",
            "50\u{212A}g",
            "",
            "ab",
        ];
        let words = [
            "dv",
            "2件",
            "ｶｶ",
            "ｶ",
            "ﾄﾞﾏﾄ",
            "σ",
            "kg",
            "0k",
            "b",
            "ab",
            "abc",
            "x",
        ];
        for text in texts {
            for word in words {
                let word = fold(word);
                assert_eq!(
                    holds(text, &word),
                    Folded::new(text).place(&word, &word).is_some(),
                    "{word} in {text}"
                );
            }
        }
        assert!(holds("ＤＶ相談", "dv") && !holds("ｶｶﾞ", "ｶｶ") && holds("ｶｶｶﾞ", "ｶｶ"));
    }

    /// The match is placed as the search finds it, in the text as written: full-width letters
    /// of the other case, and a character whose fold is shorter than it (K, the Kelvin sign).
    #[test]
    fn the_match_is_placed_in_either_case_whatever_the_folds_length() {
        let text = "相談：ｓｎｓでの被害";
        let at = first_match(&Folded::new(text), &terms("ＳＮＳでの"));
        assert_eq!(&text[at], "ｓｎｓでの");
        let text = "温度は50\u{212A}（ケルビン）、ｋの字";
        let at = first_match(&Folded::new(text), &terms("50k（"));
        assert_eq!(&text[at], "50\u{212A}（");
        let at = first_match(&Folded::new(text), &terms("ケルビン"));
        assert_eq!(&text[at], "ケルビン");
        // ASCII as before; nothing placed: an empty range at the start.
        assert_eq!(
            &"A DV case"[first_match(&Folded::new("A DV case"), &terms("dv"))],
            "DV"
        );
        assert_eq!(first_match(&Folded::new("相談"), &terms("支援")), 0..0);
    }

    #[test]
    fn the_excerpt_shows_the_match_within_the_width() {
        let text = "本人は一人暮らし。近隣の方によると、最近は郵便物がたまっており、夜も電気がつかない日がある。ゴミ屋敷の状態が続いている。";
        let words = terms("ゴミ屋敷");
        let at = first_match(&Folded::new(text), &words);
        assert_eq!(&text[at.clone()], "ゴミ屋敷");
        for cells in [10, 20, 30, 56] {
            let cut = excerpt(text, at.clone(), cells);
            assert!(width(&cut) <= cells, "{cells}: {cut}");
            assert!(cut.starts_with(".."), "{cells}: {cut}");
            assert!(cut.contains("ゴミ"), "{cells}: {cut}");
        }
        // Short enough: whole; the match near the start: cut at the end only.
        assert_eq!(excerpt("孤立", 0..6, 20), "孤立");
        let cut = excerpt(text, 0..6, 20);
        assert!(cut.starts_with("本人は") && cut.ends_with(".."), "{cut}");
        // One line, inert, whatever the text holds; the match still shown after a control
        // character that became U+FFFD.
        let cut = excerpt("行1\n行2\u{1b}[2J", 0..0, 40);
        assert_eq!(cut, "行1 行2\u{FFFD}[2J");
        let hostile = format!("{}\u{1b}]52;c;AAAA\u{7}ここに虐待の記録", "あ".repeat(30));
        let at = first_match(&Folded::new(&hostile), &terms("虐待"));
        let cut = excerpt(&hostile, at, 20);
        assert!(
            cut.contains("虐待") && !cut.contains('\u{1b}') && width(&cut) <= 20,
            "{cut}"
        );
        // The excerpt begins with a whole character: not a voicing mark written apart, not a
        // joiner or what it joins (it began `..゙が…`, `..\u{200D}👩…`: the mark on the dots).
        for before in ["か\u{3099}", "👨\u{200D}👩"] {
            let text = format!("{}ここに虐待の記録", before.repeat(30));
            let at = first_match(&Folded::new(&text), &terms("虐待"));
            for cells in 10..40 {
                let cut = excerpt(&text, at.clone(), cells);
                let first = cut.trim_start_matches("..").chars().next();
                assert!(
                    !matches!(first, Some('\u{3099}' | '\u{200D}' | '👩')),
                    "{cells}: {cut:?}"
                );
                assert!(cut.contains("虐待"), "{cells}: {cut:?}");
            }
        }
        // The match is marked where the excerpt shows it, cut with it, or not at all.
        let (cut, at) = excerpt_marked(text, first_match(&Folded::new(text), &words), 20);
        assert_eq!(&cut[at], "ゴミ屋敷");
        let (cut, at) = excerpt_marked(text, first_match(&Folded::new(text), &words), 10);
        assert!(cut.ends_with(".."), "{cut}");
        assert!(
            "ゴミ屋敷".starts_with(&cut[at.clone()]) && !at.is_empty(),
            "{cut} {at:?}"
        );
        let (_, at) = excerpt_marked("孤立\n虐待", 7..13, 40);
        assert_eq!(at, 7..13);
        assert_eq!(excerpt_marked(text, 0..0, 20).1, 0..0);
        let late = format!("{}ｻﾄｳ", "あ".repeat(30));
        let at = first_match(&Folded::new(&late), &terms("さとう"));
        let (cut, at) = excerpt_marked(&late, at, 20);
        assert_eq!(&cut[at], "ｻﾄｳ", "{cut}");
        // Latin letters are placed whatever their case.
        let words = terms("dv");
        assert_eq!(first_match(&Folded::new("相談はDVについて"), &words), 9..11);
        assert_eq!(first_match(&Folded::new("何もない"), &words), 0..0);
    }
}
