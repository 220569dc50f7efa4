//! Everyone renkei has recorded as a person, as the report and the case ledger mask them: read
//! from `recorded_texts` (schema step 15), which triggers keep in the transaction of every
//! write that records a text; here, the read and the check that nothing recorded is missing.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::{Connection, MAIN_DB, OptionalExtension};

use super::schema::RECORDED_TEXTS;
use super::{Result, Store, StoreError};
use crate::minutes::redact::lookup::{DocumentKeys, person_keys};
use crate::minutes::redact::{Person, PersonKind, key_person_name};

/// The kinds a text is kept as, in the order the first is taken when a text came as several:
/// a meeting's own fields first, as the redactor keeps the first record of a person.
const KINDS: [(&str, PersonKind); 6] = [
    ("facilitator", PersonKind::Facilitator),
    ("recorder", PersonKind::Recorder),
    ("case_subject", PersonKind::CaseSubject),
    ("key_person", PersonKind::KeyPerson),
    ("attendee", PersonKind::Attendee),
    ("household", PersonKind::Household),
];

/// The texts, with their kind, that the records make recorded people of now
/// ([`RECORDED_TEXTS`]) and that `recorded_texts` does not keep: none, unless a write went
/// around the triggers. (The table may keep more: a text stays once recorded.)
pub(crate) fn missing(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let sql = format!(
        "SELECT * FROM ({RECORDED_TEXTS}) EXCEPT SELECT text, kind FROM recorded_texts ORDER BY 1, 2"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

impl Store {
    /// Everyone renkei has recorded as a person — the facilitator, recorder, case subject, key
    /// person and attendees of every meeting held, of every ward and every year, and every
    /// household member (removed ones too) — whom no published cell or list may show where an
    /// agency or an issue goes: the one rule of the annual report (of any year or ward: a name
    /// of another year or ward typed into this one's cell is a person too) and of the case
    /// ledger (`renkei cases`, its CSV and workbook, the TUI's 事例 tab).
    ///
    /// Each text once (a facilitator's name stands in a thousand meetings, and as an attendee
    /// in a thousand more), parsed once, as the first kind it came as (a meeting's own fields,
    /// then attendee, then household); a key person's text that is no person's name (an
    /// agency) is no person as a key person. A text once recorded stays (its meeting cancelled,
    /// its attendee removed): the people are a superset of what the records of the moment
    /// name, never fewer.
    ///
    /// In these published tables (whose cells belong to no one meeting) the people of the
    /// meetings — facilitators, recorders, attendees — are [`PersonKind::Recorded`]: their
    /// names found whole or marked, never a part inside a place name (千葉県 for an attendee
    /// 千葉 一郎; attack report 6, finding 19); the cases' people keep their kind, every part.
    pub fn recorded_people(&self) -> Result<Vec<Person>> {
        let mut people = people(self.conn())?;
        for p in &mut people {
            if matches!(
                p.kind,
                PersonKind::Facilitator | PersonKind::Recorder | PersonKind::Attendee
            ) {
                p.kind = PersonKind::Recorded;
            }
        }
        Ok(people)
    }

    /// The people recorded elsewhere ([`PersonKind::Recorded`]) that `texts` may name: those
    /// whose whole name, in any form the scanner finds, or one of whose parts the texts hold
    /// (at most two for a part: enough to find it, and shared). Looked up by key
    /// (`recorded_keys`, schema step 19), so that a document's redaction knows the few people it
    /// may meet — memory and time follow the document, not the database (attack report 6,
    /// finding 14).
    pub fn recorded_people_in<'a>(
        &self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Person>> {
        people_in(self.conn(), texts)
    }

    /// The lookup of the people a published table's cells may name (the annual report, the
    /// ledger): each distinct cell's text asks for the keys it holds ([`TablePeople::people_in`]),
    /// so that the tables' memory and time follow their cells, not everyone recorded. Key the
    /// texts first ([`Store::key_recorded_texts`]) outside the read's snapshot: inside one, the
    /// texts not keyed yet are read into memory for this lookup.
    pub fn table_people(&self) -> Result<TablePeople<'_>> {
        table_people(self.conn())
    }

    /// Keys the texts recorded since the last keying (schema step 19), so that the reads of
    /// [`Store::recorded_people_in`] that follow inside one snapshot find them keyed.
    pub fn key_recorded_texts(&self) -> Result<()> {
        key_pending(self.conn()).map(drop)
    }

    /// The recorded texts the triggers of schema step 15 failed to keep (what a recomputation
    /// finds that the table lacks): none, unless a write went around them. Reads every held meeting: for tests and checks,
    /// not for screens.
    pub fn recorded_texts_missing(&self) -> Result<Vec<(String, String)>> {
        Ok(missing(self.conn())?)
    }
}

/// [`Store::recorded_people`] of the database `conn`.
pub(crate) fn people(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt =
        conn.prepare_cached("SELECT text, kind FROM recorded_texts ORDER BY text, kind")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    // The text read last and the first kind it came as that makes a person of it.
    let mut best: Option<(String, usize)> = None;
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        let kind: String = r.get(1)?;
        let rank = KINDS
            .iter()
            .position(|(code, _)| *code == kind)
            .ok_or_else(|| StoreError::Invalid(format!("recorded_texts: no such kind {kind:?}")))?;
        if best.as_ref().is_some_and(|(t, _)| *t != text) {
            out.extend(person(best.take()));
        }
        // (What names no one — 保健師, 同上, `A` — [`Person::from_field`] leaves out.)
        if KINDS[rank].1 == PersonKind::KeyPerson && key_person_name(&text).is_none() {
            continue;
        }
        match &mut best {
            Some((_, b)) => *b = (*b).min(rank),
            None => best = Some((text, rank)),
        }
    }
    out.extend(person(best));
    Ok(out)
}

/// At most this many texts for one part's key: one finds the person a marked family name
/// (髙橋さん) is, two that it is shared (and tied to no one).
const PART_TEXTS: i64 = 2;
/// At most this many texts for one whole name's key (people of the same name are one).
const WHOLE_TEXTS: i64 = 16;
/// Texts keyed in one transaction.
const KEYED_AT_ONCE: i64 = 2000;

/// [`Store::recorded_people_in`] of the database `conn`.
pub(crate) fn people_in<'a>(
    conn: &Connection,
    texts: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Person>> {
    let pending = key_pending(conn)?;
    let mut out = Vec::new();
    for text in found_texts(conn, &pending, texts, false)? {
        if kind_of(conn, &text)?.is_some() {
            out.extend(Person::from_field(&text, PersonKind::Recorded));
        }
    }
    Ok(out)
}

/// At most this many texts of one part's key are looked through for a case's own person (a
/// household member, a key person), who is found by every part in the published tables: a
/// family name thousands share is read no further (such a member is still found whole or marked).
const CASE_PART_TEXTS: i64 = 256;

/// The recorded texts whose keys `texts` hold (see [`Store::recorded_people_in`]); with
/// `case_people`, for each part found also one case's own person it may be a part of (a
/// household member, a key person, a case subject), whom the published tables find by every
/// part.
fn found_texts<'a>(
    conn: &Connection,
    pending: &HashMap<String, Vec<String>>,
    texts: impl IntoIterator<Item = &'a str>,
    case_people: bool,
) -> Result<BTreeSet<String>> {
    let doc = DocumentKeys::new(texts);
    let mut stmt = conn.prepare_cached("SELECT text FROM recorded_keys WHERE key = ?1 LIMIT ?2")?;
    let mut own = conn.prepare_cached(
        "SELECT k.text FROM (SELECT text FROM recorded_keys WHERE key = ?1 LIMIT ?2) k
         WHERE EXISTS (SELECT 1 FROM recorded_texts t WHERE t.text = k.text
             AND (t.kind = 'household' OR t.kind = 'key_person' OR t.kind = 'case_subject'))
         LIMIT 1",
    )?;
    let mut lookup = |key: &str, limit: i64, found: &mut BTreeSet<String>| -> Result<bool> {
        let mut hit = false;
        let mut rows = stmt.query(rusqlite::params![key, limit])?;
        while let Some(r) = rows.next()? {
            found.insert(r.get(0)?);
            hit = true;
        }
        if hit && case_people && limit == PART_TEXTS {
            let mut rows = own.query(rusqlite::params![key, CASE_PART_TEXTS])?;
            while let Some(r) = rows.next()? {
                found.insert(r.get(0)?);
            }
        }
        for text in pending.get(key).into_iter().flatten() {
            found.insert(text.clone());
            hit = true;
        }
        Ok(hit)
    };
    // The first key at or after a key says whether the key is recorded, and whether any
    // recorded key goes on from it. A part key grows a character at a time from where it
    // starts, and the whole keys come in order, each before those going on from it: past a
    // stem no recorded key goes on from, none is looked up (an agency name of twelve
    // characters held 78 part keys, each a query, and hardly any goes on from its first two
    // characters). The keys waiting to be written (`pending`) are looked up whatever the stem.
    let mut next = conn.prepare_cached("SELECT key FROM recorded_keys WHERE key >= ?1 LIMIT 1")?;
    let mut stem_of = |key: &str| -> Result<Stem> {
        if !pending.is_empty() {
            return Ok(Stem::Recorded);
        }
        let after: Option<String> = next.query_row([key], |r| r.get(0)).optional()?;
        Ok(match after {
            Some(a) if a == key => Stem::Recorded,
            Some(a) if a.starts_with(key) => Stem::GoesOn,
            _ => Stem::Dead,
        })
    };
    let mut found = BTreeSet::new();
    let mut seen: HashMap<String, bool> = HashMap::new();
    let mut starts = HashSet::new();
    let mut dead: Option<((usize, usize), String)> = None;
    for (start, key) in doc.parts() {
        if dead
            .as_ref()
            .is_some_and(|(at, stem)| *at == start && key.starts_with(stem.as_str()))
        {
            continue;
        }
        let hit = match seen.get(&key) {
            Some(&hit) => hit,
            None => {
                let hit = match stem_of(&key)? {
                    Stem::Dead => {
                        dead = Some((start, key));
                        continue;
                    }
                    Stem::GoesOn => false,
                    Stem::Recorded => lookup(&key, PART_TEXTS, &mut found)?,
                };
                seen.insert(key, hit);
                hit
            }
        };
        if hit {
            starts.insert(start);
        }
    }
    let mut dead: Option<String> = None;
    for key in doc.wholes(&starts) {
        if dead.as_ref().is_some_and(|s| key.starts_with(s.as_str())) {
            continue;
        }
        match stem_of(&key)? {
            Stem::Dead => dead = Some(key),
            Stem::GoesOn => {}
            Stem::Recorded => {
                lookup(&key, WHOLE_TEXTS, &mut found)?;
            }
        }
    }
    Ok(found)
}

/// What the recorded keys hold of a key the lookup may ask for ([`found_texts`]).
enum Stem {
    /// The key itself (or texts waiting to be keyed, which may hold any key).
    Recorded,
    /// Not the key, but keys that go on from it.
    GoesOn,
    /// Neither: no key that goes on from it is recorded either.
    Dead,
}

/// The first kind (in [`KINDS`]' order) a recorded text makes a person of, as
/// [`Store::recorded_people`] reads it; `None`: it makes no one (a key person's text that is
/// no name, a text no longer kept).
fn kind_of(conn: &Connection, text: &str) -> Result<Option<PersonKind>> {
    let mut kinds = conn.prepare_cached("SELECT kind FROM recorded_texts WHERE text = ?1")?;
    let mut best: Option<usize> = None;
    for kind in kinds.query_map([text], |r| r.get::<_, String>(0))? {
        let kind = kind?;
        let rank = KINDS
            .iter()
            .position(|(code, _)| *code == kind)
            .ok_or_else(|| StoreError::Invalid(format!("recorded_texts: no such kind {kind:?}")))?;
        if KINDS[rank].1 == PersonKind::KeyPerson && key_person_name(text).is_none() {
            continue;
        }
        best = Some(best.map_or(rank, |b| b.min(rank)));
    }
    Ok(best.map(|rank| KINDS[rank].1))
}

/// [`Store::table_people`] of the database `conn`.
pub(crate) fn table_people(conn: &Connection) -> Result<TablePeople<'_>> {
    Ok(TablePeople {
        conn,
        pending: key_pending(conn)?,
        failed: std::cell::RefCell::new(None),
    })
}

/// Who of those recorded the cells of a published table may name (the annual report's agency,
/// issue and reason cells, the ledger's): [`Store::table_people`]. The texts recorded since the
/// last keying are read once, when the database cannot be written (see [`key_pending`]).
pub struct TablePeople<'c> {
    conn: &'c Connection,
    pending: HashMap<String, Vec<String>>,
    /// The first lookup of [`TablePeople::cell_people`] that failed.
    failed: std::cell::RefCell<Option<StoreError>>,
}

impl TablePeople<'_> {
    /// [`TablePeople::people_in`] for a masker, which cannot fail: a lookup that failed finds
    /// no one and is kept for [`TablePeople::checked`], which the caller asks before it shows
    /// what was masked.
    pub fn cell_people(&self, text: &str) -> Vec<Person> {
        self.people_in(text).unwrap_or_else(|e| {
            self.failed.borrow_mut().get_or_insert(e);
            Vec::new()
        })
    }

    /// The first lookup of [`TablePeople::cell_people`] that failed: a table masked without it
    /// is not to be shown.
    pub fn checked(&self) -> Result<()> {
        match self.failed.borrow_mut().take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The recorded people `text` may name, as [`Store::recorded_people`] makes them: the
    /// cases' own people of their kind (found by every part), the meetings' people as
    /// recorded elsewhere ([`PersonKind::Recorded`]: whole or marked).
    pub fn people_in(&self, text: &str) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        for found in found_texts(self.conn, &self.pending, [text], true)? {
            let kind = match kind_of(self.conn, &found)? {
                None => continue,
                Some(PersonKind::Facilitator | PersonKind::Recorder | PersonKind::Attendee) => {
                    PersonKind::Recorded
                }
                Some(kind) => kind,
            };
            out.extend(Person::from_field(&found, kind));
        }
        Ok(out)
    }
}

/// Keys the texts recorded since the last keying (`recorded_unkeyed`): written to
/// `recorded_keys` when the database can be written now, else returned (key → texts) for this
/// read alone — a backup on read-only media, a read inside another's transaction.
fn key_pending(conn: &Connection) -> Result<HashMap<String, Vec<String>>> {
    let mut next =
        conn.prepare_cached("SELECT text FROM recorded_unkeyed ORDER BY text LIMIT ?1")?;
    let writable = conn.is_autocommit() && !conn.is_readonly(MAIN_DB).unwrap_or(true);
    if writable {
        rekey_if_folded_otherwise(conn)?;
    }
    loop {
        let texts: Vec<String> = next
            .query_map([KEYED_AT_ONCE], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if texts.is_empty() {
            return Ok(HashMap::new());
        }
        if !writable || write_keys(conn, &texts).is_err() {
            break;
        }
    }
    let mut pending: HashMap<String, Vec<String>> = HashMap::new();
    let mut all = conn.prepare("SELECT text FROM recorded_unkeyed")?;
    let mut rows = all.query([])?;
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        for key in text_keys(&text) {
            pending.entry(key).or_default().push(text.clone());
        }
    }
    Ok(pending)
}

/// Every recorded text keyed again when the keys were made by a build that folded otherwise
/// ([`crate::minutes::redact::lookup::KEYING`] missing): an old key is left (it finds the text
/// by a form the scanner no longer makes, no harm), the new ones added by the keying that
/// follows. Another writer holding the lock: left for the next read.
fn rekey_if_folded_otherwise(conn: &Connection) -> Result<()> {
    use crate::minutes::redact::lookup::KEYING;
    let mut done = conn.prepare_cached("SELECT 1 FROM recorded_keys WHERE key = ?1 LIMIT 1")?;
    if done.exists([KEYING])? {
        return Ok(());
    }
    let queued = (|| -> rusqlite::Result<()> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let r = conn
            .execute_batch(
                "INSERT OR IGNORE INTO recorded_unkeyed (text) SELECT text FROM recorded_texts",
            )
            .and_then(|()| {
                conn.execute(
                    "INSERT OR IGNORE INTO recorded_keys (key, text) VALUES (?1, '')",
                    [KEYING],
                )
            });
        match r {
            Ok(_) => conn.execute_batch("COMMIT"),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    })();
    // Busy (another writer): the keys as they are serve this read.
    let _ = queued;
    Ok(())
}

/// The keys of a recorded text: those of the person it names, none when it names no one.
fn text_keys(text: &str) -> Vec<String> {
    Person::from_field(text, PersonKind::Recorded)
        .map(|p| person_keys(&p))
        .unwrap_or_default()
}

fn write_keys(conn: &Connection, texts: &[String]) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = (|| {
        let mut key =
            conn.prepare_cached("INSERT OR IGNORE INTO recorded_keys (key, text) VALUES (?1, ?2)")?;
        let mut keyed = conn.prepare_cached("DELETE FROM recorded_unkeyed WHERE text = ?1")?;
        for text in texts {
            for k in text_keys(text) {
                key.execute([&k, text])?;
            }
            keyed.execute([text])?;
        }
        Ok(())
    })();
    match done {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// The recorded texts that lack a key of theirs in `recorded_keys` and wait for no keying in
/// `recorded_unkeyed`: none, unless a write went around the trigger (a hand-made `DELETE` in
/// sqlite3). The redacted copies look people up by these keys only: such a person would be
/// printed whole, and no read would ever key the text again.
pub(crate) fn keys_lost(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    // Keys made by another keying (a database renkei has not read redacted since it was
    // upgraded: keying 4 added the guessed readings' keys) are all made again at the next
    // redacting read ([`rekey_if_folded_otherwise`]): none is lost.
    let keyed_so = conn
        .prepare_cached("SELECT 1 FROM recorded_keys WHERE key = ?1 LIMIT 1")?
        .exists([crate::minutes::redact::lookup::KEYING])?;
    if !keyed_so {
        return Ok(Vec::new());
    }
    let mut texts = conn.prepare(
        "SELECT DISTINCT text FROM recorded_texts
         WHERE text NOT IN (SELECT text FROM recorded_unkeyed) ORDER BY text",
    )?;
    let mut kept = conn.prepare("SELECT 1 FROM recorded_keys WHERE key = ?1 AND text = ?2")?;
    let mut lost = Vec::new();
    let mut rows = texts.query([])?;
    while let Some(r) = rows.next()? {
        let text: String = r.get(0)?;
        let mut all_kept = true;
        for key in text_keys(&text) {
            all_kept &= kept.exists([&key, &text])?;
        }
        if !all_kept {
            lost.push(text);
        }
    }
    Ok(lost)
}

fn person(text: Option<(String, usize)>) -> Option<Person> {
    let (text, rank) = text?;
    Person::from_field(&text, KINDS[rank].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use std::collections::BTreeSet;

    /// Texts as they are typed into the fields: names with and without a reading, a relation
    /// alone (no name as a key person, a name elsewhere), an agency, blanks.
    const TEXTS: [&str; 9] = [
        "",
        "山田 太郎（ヤマダ タロウ）",
        "佐藤花子",
        "長女",
        "高橋 一郎",
        "長女 山田 花子",
        "地域包括支援センター",
        "木下",
        " ",
    ];
    const FIELDS: [&str; 4] = ["facilitator", "recorder", "case_subject", "key_person"];
    const STATUSES: [&str; 3] = ["planned", "held", "cancelled"];
    const MEETINGS: i64 = 5;
    const ATTENDEES: i64 = 8;
    const CASES: i64 = 2;

    /// The people as the report and the ledger read them before step 15, at every load: the
    /// distinct texts of every held meeting and of its attendees not removed, then (step 18)
    /// every case's key person and who gave consent and the key person said of a case at a
    /// meeting, then every household member's name — what the kept table's people must hold,
    /// whatever was written.
    fn recomputed(conn: &Connection) -> Vec<Person> {
        let mut stmt = conn
            .prepare(
                "SELECT DISTINCT m.facilitator, m.recorder, m.case_subject, m.key_person
                 FROM meetings m WHERE m.status = 'held'",
            )
            .unwrap();
        let mut out = Vec::new();
        let rows: Vec<[String; 4]> = stmt
            .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for [facilitator, recorder, subject, key] in rows {
            out.extend(Person::from_field(&facilitator, PersonKind::Facilitator));
            out.extend(Person::from_field(&recorder, PersonKind::Recorder));
            out.extend(Person::from_field(&subject, PersonKind::CaseSubject));
            if key_person_name(&key).is_some() {
                out.extend(Person::from_field(&key, PersonKind::KeyPerson));
            }
        }
        for sql in [
            "SELECT key_person FROM cases UNION SELECT consent_by FROM cases
             UNION SELECT key_person FROM meeting_cases",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            for key in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
                let key = key.unwrap();
                if key_person_name(&key).is_some() {
                    out.extend(Person::from_field(&key, PersonKind::KeyPerson));
                }
            }
        }
        for sql in [
            "SELECT DISTINCT t.name FROM attendees t JOIN meetings m ON m.id = t.meeting_id
             WHERE m.status = 'held' AND t.deleted_at IS NULL",
            "SELECT DISTINCT name FROM case_members WHERE name <> ''",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            for name in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
                out.extend(Person::from_field(&name.unwrap(), PersonKind::Attendee));
            }
        }
        out
    }

    /// A person as masking tells people apart: the name and the reading recorded with it.
    fn named(people: &[Person]) -> BTreeSet<(String, Option<String>)> {
        people
            .iter()
            .map(|p| (p.name.clone(), p.reading.clone()))
            .collect()
    }

    /// The people a recomputation finds that the kept table's are without.
    fn unmasked(conn: &Connection) -> Vec<(String, Option<String>)> {
        let kept = named(&people(conn).unwrap());
        named(&recomputed(conn))
            .into_iter()
            .filter(|p| !kept.contains(p))
            .collect()
    }

    /// A database of the latest schema with a body and two cases, foreign keys on as the store
    /// keeps them.
    fn database() -> Connection {
        // Migrated once per test binary and copied: migrating took most of each case's time.
        let conn = crate::store::testing::migrated_in_memory();
        conn.execute_batch(
            "INSERT INTO bodies (id, name, kind, created_at, updated_at)
                 VALUES (1, '支援会議', '', 'x', 'x');
             INSERT INTO cases (id, pseudonym, pseudonym_key, opened, status, created_at,
                     updated_at)
                 VALUES (1, 'A世帯', 'A', '2026-04-01', 'active', 'x', 'x'),
                        (2, 'B世帯', 'B', '2026-04-01', 'active', 'x', 'x');",
        )
        .unwrap();
        conn
    }

    /// One write of any kind that records a person's text, or takes one back.
    #[derive(Debug, Clone)]
    enum Write {
        AddMeeting(i64, usize, [String; 4]),
        ReplaceMeeting(i64, usize, [String; 4]),
        MeetingStatus(i64, usize),
        MeetingText(i64, usize, String),
        RemoveMeeting(i64),
        AddAttendee(i64, i64, String, bool),
        AttendeeName(i64, String),
        RemoveAttendee(i64),
        RestoreAttendee(i64),
        MoveAttendee(i64, i64),
        DeleteAttendee(i64),
        AddMember(i64, String),
        MemberName(i64, String),
        RemoveMember(i64),
        DeleteMember(i64),
        /// A case's key person (0) or who gave consent (1).
        CaseText(i64, usize, String),
        /// A case discussed at a meeting, with the key person said of it there.
        AddLink(i64, i64, String),
        LinkKeyPerson(i64, i64, String),
        RemoveLink(i64, i64),
    }

    /// A text typed where a person goes: one of [`TEXTS`], or one of a hundred names (a text
    /// new to the database as often as not, so that a write that fails to keep it shows).
    fn text() -> BoxedStrategy<String> {
        const FAMILY: [&str; 5] = ["鈴木", "渡辺", "伊藤", "中村", "小林"];
        const GIVEN: [&str; 20] = [
            "一郎", "二郎", "三郎", "四郎", "五郎", "花子", "春子", "夏子", "秋子", "冬子", "健",
            "誠", "翔", "大和", "美咲", "陽菜", "結衣", "蓮", "湊", "悠真",
        ];
        prop_oneof![
            1 => (0..TEXTS.len()).prop_map(|i| TEXTS[i].to_owned()),
            3 => (0..FAMILY.len(), 0..GIVEN.len())
                .prop_map(|(f, g)| format!("{} {}", FAMILY[f], GIVEN[g])),
        ]
        .boxed()
    }

    fn write() -> impl Strategy<Value = Write> {
        let meeting = 1..=MEETINGS;
        let attendee = 1..=ATTENDEES;
        let text = text();
        let status = 0..STATUSES.len();
        let texts = [text.clone(), text.clone(), text.clone(), text.clone()];
        prop_oneof![
            3 => (meeting.clone(), status.clone(), texts.clone())
                .prop_map(|(m, s, t)| Write::AddMeeting(m, s, t)),
            1 => (meeting.clone(), status.clone(), texts)
                .prop_map(|(m, s, t)| Write::ReplaceMeeting(m, s, t)),
            3 => (meeting.clone(), status).prop_map(|(m, s)| Write::MeetingStatus(m, s)),
            2 => (meeting.clone(), 0..FIELDS.len(), text.clone())
                .prop_map(|(m, f, t)| Write::MeetingText(m, f, t)),
            1 => meeting.clone().prop_map(Write::RemoveMeeting),
            4 => (attendee.clone(), meeting.clone(), text.clone(), any::<bool>())
                .prop_map(|(a, m, t, d)| Write::AddAttendee(a, m, t, d)),
            2 => (attendee.clone(), text.clone()).prop_map(|(a, t)| Write::AttendeeName(a, t)),
            1 => attendee.clone().prop_map(Write::RemoveAttendee),
            1 => attendee.clone().prop_map(Write::RestoreAttendee),
            1 => (attendee.clone(), meeting.clone()).prop_map(|(a, m)| Write::MoveAttendee(a, m)),
            1 => attendee.prop_map(Write::DeleteAttendee),
            2 => (1..=CASES, text.clone()).prop_map(|(c, t)| Write::AddMember(c, t)),
            1 => (1..=4i64, text.clone()).prop_map(|(x, t)| Write::MemberName(x, t)),
            1 => (1..=4i64).prop_map(Write::RemoveMember),
            1 => (1..=4i64).prop_map(Write::DeleteMember),
            2 => (1..=CASES, 0..2usize, text.clone()).prop_map(|(c, f, t)| Write::CaseText(c, f, t)),
            2 => (meeting.clone(), 1..=CASES, text.clone())
                .prop_map(|(m, c, t)| Write::AddLink(m, c, t)),
            1 => (meeting.clone(), 1..=CASES, text).prop_map(|(m, c, t)| Write::LinkKeyPerson(m, c, t)),
            1 => (meeting, 1..=CASES).prop_map(|(m, c)| Write::RemoveLink(m, c)),
        ]
    }

    fn apply(conn: &Connection, w: &Write) {
        use rusqlite::params;
        let meeting = |verb: &str, m: i64, s: usize, t: &[String; 4]| {
            conn.execute(
                &format!(
                    "{verb} INTO meetings (id, body_id, date, status, facilitator, recorder,
                         case_subject, key_person, created_at, updated_at)
                     VALUES (?1, 1, '2026-11-20', ?2, ?3, ?4, ?5, ?6, 'x', 'x')"
                ),
                params![m, STATUSES[s], t[0], t[1], t[2], t[3]],
            )
        };
        let done = match w {
            Write::AddMeeting(m, s, t) => meeting("INSERT OR IGNORE", *m, *s, t),
            Write::ReplaceMeeting(m, s, t) => meeting("INSERT OR REPLACE", *m, *s, t),
            Write::MeetingStatus(m, s) => conn.execute(
                "UPDATE meetings SET status = ?2 WHERE id = ?1",
                params![m, STATUSES[*s]],
            ),
            Write::MeetingText(m, f, t) => conn.execute(
                &format!("UPDATE meetings SET {} = ?2 WHERE id = ?1", FIELDS[*f]),
                params![m, t],
            ),
            Write::RemoveMeeting(m) => conn.execute("DELETE FROM meetings WHERE id = ?1", [m]),
            Write::AddAttendee(a, m, t, removed) => conn.execute(
                "INSERT OR IGNORE INTO attendees (id, meeting_id, position, name, created_at,
                     updated_at, deleted_at)
                 SELECT ?1, ?2, 1, ?3, 'x', 'x', CASE WHEN ?4 THEN 'x' END
                 WHERE EXISTS (SELECT 1 FROM meetings WHERE id = ?2)",
                params![a, m, t, removed],
            ),
            Write::AttendeeName(a, t) => conn.execute(
                "UPDATE attendees SET name = ?2 WHERE id = ?1",
                params![a, t],
            ),
            Write::RemoveAttendee(a) => {
                conn.execute("UPDATE attendees SET deleted_at = 'x' WHERE id = ?1", [a])
            }
            Write::RestoreAttendee(a) => {
                conn.execute("UPDATE attendees SET deleted_at = NULL WHERE id = ?1", [a])
            }
            Write::MoveAttendee(a, m) => conn.execute(
                "UPDATE attendees SET meeting_id = ?2 WHERE id = ?1
                     AND EXISTS (SELECT 1 FROM meetings WHERE id = ?2)",
                params![a, m],
            ),
            Write::DeleteAttendee(a) => conn.execute("DELETE FROM attendees WHERE id = ?1", [a]),
            Write::AddMember(c, t) => conn.execute(
                "INSERT INTO case_members (case_id, position, relation, name, created_at,
                     updated_at) VALUES (?1, 1, '長男', ?2, 'x', 'x')",
                params![c, t],
            ),
            Write::MemberName(x, t) => conn.execute(
                "UPDATE case_members SET name = ?2 WHERE id = ?1",
                params![x, t],
            ),
            Write::RemoveMember(x) => conn.execute(
                "UPDATE case_members SET deleted_at = 'x' WHERE id = ?1",
                [x],
            ),
            Write::DeleteMember(x) => conn.execute("DELETE FROM case_members WHERE id = ?1", [x]),
            Write::CaseText(c, f, t) => conn.execute(
                &format!(
                    "UPDATE cases SET {} = ?2 WHERE id = ?1",
                    ["key_person", "consent_by"][*f]
                ),
                params![c, t],
            ),
            Write::AddLink(m, c, t) => conn.execute(
                "INSERT OR IGNORE INTO meeting_cases (meeting_id, case_id, position, key_person,
                     created_at, updated_at)
                 SELECT ?1, ?2, 1, ?3, 'x', 'x' WHERE EXISTS (SELECT 1 FROM meetings WHERE id = ?1)",
                params![m, c, t],
            ),
            Write::LinkKeyPerson(m, c, t) => conn.execute(
                "UPDATE meeting_cases SET key_person = ?3 WHERE meeting_id = ?1 AND case_id = ?2",
                params![m, c, t],
            ),
            Write::RemoveLink(m, c) => conn.execute(
                "DELETE FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2",
                params![m, c],
            ),
        };
        done.unwrap();
    }

    /// Whatever is written, in whatever order, the kept table holds every text a recomputation
    /// finds, and its people every person the old reading of the records gave.
    #[test]
    fn every_write_keeps_every_recorded_person() {
        let config = Config {
            cases: 48,
            rng_seed: RngSeed::Fixed(18),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        runner
            .run(&proptest::collection::vec(write(), 1..40), |writes| {
                let conn = database();
                for (n, w) in writes.iter().enumerate() {
                    apply(&conn, w);
                    prop_assert_eq!(
                        missing(&conn).unwrap(),
                        Vec::<(String, String)>::new(),
                        "after {}: {:?}",
                        n,
                        w
                    );
                    prop_assert_eq!(unmasked(&conn), Vec::new(), "after {}: {:?}", n, w);
                }
                Ok(())
            })
            .unwrap();
    }

    fn names(store: &Store) -> BTreeSet<String> {
        store
            .recorded_people()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    /// Each way the store records a person keeps it, from the moment the meeting is held: an
    /// attendee added before and after, renamed, removed and brought back; the facilitator,
    /// the case subject and the key person amended; a household member added and renamed; an
    /// import of the whole set into an empty database and into this one (a merge of the same
    /// records). A meeting cancelled afterwards keeps its people masked.
    #[test]
    fn every_write_path_of_the_store_keeps_the_people() {
        use crate::domain::model::{Attendance, MeetingStatus, Role};
        use crate::store::capture::{Entity, NewMeeting};

        let (dir, mut store) = crate::store::setup::tests::store();
        let fresh = |store: &Store, what: &str| {
            assert_eq!(
                store.recorded_texts_missing().unwrap(),
                Vec::<(String, String)>::new(),
                "{what}"
            );
            assert_eq!(unmasked(store.conn()), Vec::new(), "{what}");
        };
        fresh(&store, "the demo");
        assert!(names(&store).len() >= 5, "{:?}", names(&store));
        let body: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM bodies", [], |r| r.get(0))
            .unwrap();
        let m = store
            .schedule_meeting(&NewMeeting {
                body_id: body,
                date: store.clock().today(),
                start: None,
                end: None,
                place: String::new(),
            })
            .unwrap();
        let attendee = |store: &mut Store, name: &str| {
            store
                .add_attendee(m, None, name, "", Role::Member, Attendance::Present)
                .unwrap()
        };
        let early = attendee(&mut store, "新井 由紀");
        assert!(!names(&store).contains("新井 由紀"), "not held yet");
        fresh(&store, "planned");
        store.start_meeting_today(m).unwrap();
        store.end_meeting(m).unwrap();
        assert!(names(&store).contains("新井 由紀"), "held");
        fresh(&store, "held");
        let late = attendee(&mut store, "大野 健");
        store
            .update_attendee(
                late,
                None,
                "大野 健二",
                "",
                Role::Member,
                Attendance::Present,
            )
            .unwrap();
        store.remove(Entity::Attendee, early).unwrap();
        store.restore(Entity::Attendee, early).unwrap();
        fresh(&store, "attendees");
        for (field, text) in [
            ("facilitator", "岡本 真理"),
            ("case_subject", "石井 翔（イシイ ショウ）"),
            ("key_person", "長男 石井 大和"),
        ] {
            store.amend_meeting_field(m, field, text).unwrap();
        }
        fresh(&store, "amended");
        let case: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM cases", [], |r| r.get(0))
            .unwrap();
        let member = store.add_member(case, "長女", "石井 美咲", None).unwrap();
        store
            .update_member(member, "長女", "石井 美咲子", None)
            .unwrap();
        fresh(&store, "household");
        store.link_case(m, case).unwrap();
        let d = store.case_detail(case).unwrap().unwrap();
        let edit = crate::store::cases::CaseEdit {
            pseudonym: d.row.pseudonym,
            opened: d.row.opened,
            referred_by: d.row.referred_by,
            lead_agency: d.row.lead_agency,
            key_person: "叔母 石井 春江".to_owned(),
            risk: d.row.risk,
            urgency: d.row.urgency,
            policy: d.row.policy,
            next_review: d.row.review_set,
            loaded: None,
        };
        store.update_case(case, &edit, Some(m)).unwrap();
        fresh(&store, "the case's key person, at the meeting");
        let all = names(&store);
        for name in [
            "新井 由紀",
            "大野 健",
            "大野 健二",
            "岡本 真理",
            "石井 翔",
            "石井 大和",
            "石井 美咲",
            "石井 美咲子",
            "石井 春江",
        ] {
            assert!(all.contains(name), "{name} in {all:?}");
        }
        store
            .set_meeting_status(m, MeetingStatus::Cancelled)
            .unwrap();
        assert!(names(&store).contains("岡本 真理"), "once recorded, masked");

        crate::store::setup::tests::imported_again(&mut store, dir.path(), |s, label| {
            fresh(s, label);
            assert!(names(s).contains("石井 美咲子"), "{label}: {:?}", names(s));
        });
    }

    /// The check finds a text written around the triggers (so that the tests above compare
    /// something); a key person's text that is no person's name (an agency) is none as a key
    /// person, a name when an attendee's; each text is one person, of the first kind it came
    /// as.
    #[test]
    fn a_text_written_around_the_triggers_is_found() {
        let conn = database();
        let texts = [1, 2, 0, 6].map(|i| TEXTS[i].to_owned());
        apply(&conn, &Write::AddMeeting(1, 1, texts));
        apply(&conn, &Write::AddAttendee(1, 1, TEXTS[2].into(), false));
        assert_eq!(missing(&conn).unwrap(), Vec::<(String, String)>::new());
        let kinds: Vec<(String, PersonKind)> = people(&conn)
            .unwrap()
            .into_iter()
            .map(|p| (p.name, p.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("佐藤花子".to_owned(), PersonKind::Recorder),
                ("山田 太郎".to_owned(), PersonKind::Facilitator),
            ]
        );
        apply(&conn, &Write::AddAttendee(2, 1, TEXTS[6].into(), false));
        assert!(
            named(&people(&conn).unwrap()).contains(&("地域包括支援センター".to_owned(), None))
        );
        conn.execute("DELETE FROM recorded_texts WHERE text = '佐藤花子'", [])
            .unwrap();
        assert_eq!(
            missing(&conn).unwrap(),
            [
                ("佐藤花子".to_owned(), "attendee".to_owned()),
                ("佐藤花子".to_owned(), "recorder".to_owned())
            ]
        );
        assert_eq!(unmasked(&conn), [("佐藤花子".to_owned(), None::<String>)]);
    }
}

#[cfg(test)]
#[path = "recorded_lookup_tests.rs"]
mod lookup_tests;
