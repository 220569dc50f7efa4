//! The followed cases' review basis (schema step 14, `case_review_basis`), which the home's
//! overdue reviews read (`Store::review_counts`): kept by triggers in the transaction of every
//! write it derives from. Here, the check that what is kept is what a recomputation makes.

use rusqlite::Connection;

use super::schema::REVIEW_BASIS;
use super::{Result, Store};

/// The cases whose kept basis differs from the one their records make now (either way: a row
/// kept that should not be, one missing, one with another value), by id.
pub(crate) fn stale(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let sql = format!(
        "WITH kept AS (SELECT case_id, fixed, base, risk, has_body, kind, own, body_id
                       FROM case_review_basis),
              made (case_id, fixed, base, risk, has_body, kind, own, body_id) AS ({REVIEW_BASIS})
         SELECT case_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM made)
         UNION SELECT case_id FROM (SELECT * FROM made EXCEPT SELECT * FROM kept)
         ORDER BY 1"
    );
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    ids.collect()
}

impl Store {
    /// The followed cases whose review basis, as the triggers of schema step 14 keep it, is not
    /// what a recomputation from the cases, their links, meetings, changes and bodies makes of
    /// it: none, unless a write went around the triggers. Reads every case: for tests and
    /// checks, not for screens.
    pub fn review_basis_stale(&self) -> Result<Vec<i64>> {
        Ok(stale(self.conn())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    const DAYS: [&str; 7] = [
        "2026-01-31",
        "2026-02-28",
        "2026-03-01",
        "2026-06-15",
        "2026-11-20",
        "2026-11-21",
        "2027-01-15",
    ];
    const BODIES: i64 = 3;
    const MEETINGS: i64 = 6;
    const CASES: i64 = 4;

    /// A database of the latest schema with three bodies (kinds with and without an interval,
    /// one with its own), six meetings and four followed cases, foreign keys on as the store
    /// keeps them.
    fn database() -> Connection {
        // Migrated once per test binary and copied: migrating took most of each case's time.
        let conn = crate::store::testing::migrated_in_memory();
        conn.execute_batch(
            "INSERT INTO bodies (id, name, kind, review_months, created_at, updated_at) VALUES
                 (1, '要対協実務者会議', '要保護児童対策地域協議会', NULL, 'x', 'x'),
                 (2, '支援会議', '', 3, 'x', 'x'),
                 (3, '地域ケア会議', '地域ケア会議', NULL, 'x', 'x');",
        )
        .unwrap();
        for m in 1..=MEETINGS {
            conn.execute(
                "INSERT INTO meetings (id, body_id, date, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'held', 'x', 'x')",
                rusqlite::params![m, 1 + m % BODIES, DAYS[m as usize % DAYS.len()]],
            )
            .unwrap();
        }
        for c in 1..=CASES {
            add_case(&conn, c);
        }
        conn
    }

    fn add_case(conn: &Connection, c: i64) {
        conn.execute(
            "INSERT OR IGNORE INTO cases (id, pseudonym, pseudonym_key, opened, status, risk,
                 created_at, updated_at)
             VALUES (?1, 'A' || ?1, 'A' || ?1, '2026-01-31', 'active', 'high', 'x', 'x')",
            [c],
        )
        .unwrap();
    }

    /// One write of any kind the basis derives from, on the small database.
    #[derive(Debug, Clone)]
    enum Write {
        Link(i64, i64),
        Unlink(i64, i64),
        Relink(i64, i64),
        RemoveLink(i64, i64),
        MoveLink(i64, i64, i64),
        MeetingStatus(i64, &'static str),
        MeetingDate(i64, usize),
        MeetingBody(i64, i64),
        RemoveMeeting(i64),
        AddMeeting(i64, i64, usize),
        CaseStatus(i64, &'static str),
        CaseReview(i64, Option<usize>),
        CaseOpened(i64, Option<usize>),
        CaseRisk(i64, &'static str),
        RemoveCase(i64),
        AddCase(i64),
        ReviewSet(i64, Option<i64>, usize),
        Reopened(i64, usize),
        RemoveChange(i64),
        ChangeMeeting(i64, Option<i64>),
        BodyKind(i64, &'static str),
        BodyMonths(i64, Option<i64>),
        RemoveBody(i64),
    }

    fn write() -> impl Strategy<Value = Write> {
        let meeting = 1..=MEETINGS + 2;
        let case = 1..=CASES + 1;
        let day = 0..DAYS.len();
        let status = prop_oneof![Just("planned"), Just("held"), Just("cancelled")];
        let case_status = prop_oneof![
            Just("open"),
            Just("active"),
            Just("monitoring"),
            Just("closed"),
            Just("suspended")
        ];
        prop_oneof![
            4 => (meeting.clone(), case.clone()).prop_map(|(m, c)| Write::Link(m, c)),
            1 => (meeting.clone(), case.clone()).prop_map(|(m, c)| Write::Unlink(m, c)),
            1 => (meeting.clone(), case.clone()).prop_map(|(m, c)| Write::Relink(m, c)),
            1 => (meeting.clone(), case.clone()).prop_map(|(m, c)| Write::RemoveLink(m, c)),
            1 => (meeting.clone(), case.clone(), case.clone())
                .prop_map(|(m, c, to)| Write::MoveLink(m, c, to)),
            2 => (meeting.clone(), status).prop_map(|(m, s)| Write::MeetingStatus(m, s)),
            2 => (meeting.clone(), day.clone()).prop_map(|(m, d)| Write::MeetingDate(m, d)),
            1 => (meeting.clone(), 1..=BODIES).prop_map(|(m, b)| Write::MeetingBody(m, b)),
            1 => (meeting.clone()).prop_map(Write::RemoveMeeting),
            1 => (meeting.clone(), 1..=BODIES, day.clone())
                .prop_map(|(m, b, d)| Write::AddMeeting(m, b, d)),
            1 => (case.clone(), case_status).prop_map(|(c, s)| Write::CaseStatus(c, s)),
            2 => (case.clone(), proptest::option::of(day.clone()))
                .prop_map(|(c, d)| Write::CaseReview(c, d)),
            1 => (case.clone(), proptest::option::of(day.clone()))
                .prop_map(|(c, d)| Write::CaseOpened(c, d)),
            1 => (case.clone(), prop_oneof![Just(""), Just("high"), Just("medium"), Just("low")])
                .prop_map(|(c, r)| Write::CaseRisk(c, r)),
            1 => (case.clone()).prop_map(Write::RemoveCase),
            1 => (case.clone()).prop_map(Write::AddCase),
            2 => (case.clone(), proptest::option::of(meeting.clone()), day.clone())
                .prop_map(|(c, m, d)| Write::ReviewSet(c, m, d)),
            1 => (case.clone(), day.clone()).prop_map(|(c, d)| Write::Reopened(c, d)),
            1 => (1..=12i64).prop_map(Write::RemoveChange),
            1 => (1..=12i64, proptest::option::of(meeting.clone()))
                .prop_map(|(x, m)| Write::ChangeMeeting(x, m)),
            1 => (1..=BODIES, prop_oneof![Just(""), Just("要保護児童対策地域協議会"), Just("支援会議")])
                .prop_map(|(b, k)| Write::BodyKind(b, k)),
            1 => (1..=BODIES, proptest::option::of(1..=12i64))
                .prop_map(|(b, m)| Write::BodyMonths(b, m)),
            1 => (1..=BODIES).prop_map(Write::RemoveBody),
        ]
    }

    fn apply(conn: &Connection, w: &Write) {
        use rusqlite::params;
        let at = |d: usize| format!("{}T23:30:00+09:00", DAYS[d]);
        let done = match w {
            Write::Link(m, c) => conn.execute(
                "INSERT OR IGNORE INTO meeting_cases (meeting_id, case_id, position, created_at,
                     updated_at)
                 SELECT ?1, ?2, 1, 'x', 'x' WHERE EXISTS (SELECT 1 FROM meetings WHERE id = ?1)
                     AND EXISTS (SELECT 1 FROM cases WHERE id = ?2)",
                params![m, c],
            ),
            Write::Unlink(m, c) => conn.execute(
                "UPDATE meeting_cases SET deleted_at = 'x' WHERE meeting_id = ?1 AND case_id = ?2",
                params![m, c],
            ),
            Write::Relink(m, c) => conn.execute(
                "UPDATE meeting_cases SET deleted_at = NULL WHERE meeting_id = ?1 AND case_id = ?2",
                params![m, c],
            ),
            Write::RemoveLink(m, c) => conn.execute(
                "DELETE FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2",
                params![m, c],
            ),
            Write::MoveLink(m, c, to) => conn.execute(
                "UPDATE OR IGNORE meeting_cases SET case_id = ?3
                 WHERE meeting_id = ?1 AND case_id = ?2
                   AND EXISTS (SELECT 1 FROM cases WHERE id = ?3)",
                params![m, c, to],
            ),
            Write::MeetingStatus(m, s) => conn.execute(
                "UPDATE meetings SET status = ?2 WHERE id = ?1",
                params![m, s],
            ),
            Write::MeetingDate(m, d) => conn.execute(
                "UPDATE meetings SET date = ?2 WHERE id = ?1",
                params![m, DAYS[*d]],
            ),
            Write::MeetingBody(m, b) => conn.execute(
                "UPDATE meetings SET body_id = ?2 WHERE id = ?1 AND EXISTS
                     (SELECT 1 FROM bodies WHERE id = ?2)",
                params![m, b],
            ),
            Write::RemoveMeeting(m) => conn.execute("DELETE FROM meetings WHERE id = ?1", [m]),
            Write::AddMeeting(m, b, d) => conn.execute(
                "INSERT OR IGNORE INTO meetings (id, body_id, date, status, created_at, updated_at)
                 SELECT ?1, ?2, ?3, 'held', 'x', 'x' WHERE EXISTS (SELECT 1 FROM bodies WHERE id = ?2)",
                params![m, b, DAYS[*d]],
            ),
            Write::CaseStatus(c, s) => conn.execute(
                "UPDATE cases SET status = ?2 WHERE id = ?1",
                params![c, s],
            ),
            Write::CaseReview(c, d) => conn.execute(
                "UPDATE cases SET next_review = ?2 WHERE id = ?1",
                params![c, d.map(|d| DAYS[d])],
            ),
            Write::CaseOpened(c, d) => conn.execute(
                "UPDATE cases SET opened = ?2 WHERE id = ?1",
                params![c, d.map(|d| DAYS[d])],
            ),
            Write::CaseRisk(c, r) => {
                conn.execute("UPDATE cases SET risk = ?2 WHERE id = ?1", params![c, r])
            }
            Write::RemoveCase(c) => conn.execute("DELETE FROM cases WHERE id = ?1", [c]),
            Write::AddCase(c) => {
                add_case(conn, *c);
                Ok(1)
            }
            Write::ReviewSet(c, m, d) => conn.execute(
                "INSERT INTO case_changes (case_id, meeting_id, at, entity, field, new_value)
                 SELECT ?1, (SELECT id FROM meetings WHERE id = ?2), ?3, 'case', 'next_review', 'x'
                 WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
                params![c, m, at(*d)],
            ),
            Write::Reopened(c, d) => conn.execute(
                "INSERT INTO case_changes (case_id, at, entity, field, old_value, new_value)
                 SELECT ?1, ?2, 'case', 'status', 'closed', 'active'
                 WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
                params![c, at(*d)],
            ),
            Write::RemoveChange(x) => conn.execute("DELETE FROM case_changes WHERE id = ?1", [x]),
            Write::ChangeMeeting(x, m) => conn.execute(
                "UPDATE case_changes SET meeting_id = (SELECT id FROM meetings WHERE id = ?2)
                 WHERE id = ?1",
                params![x, m],
            ),
            Write::BodyKind(b, k) => {
                conn.execute("UPDATE bodies SET kind = ?2 WHERE id = ?1", params![b, k])
            }
            Write::BodyMonths(b, m) => conn.execute(
                "UPDATE bodies SET review_months = ?2 WHERE id = ?1",
                params![b, m],
            ),
            Write::RemoveBody(b) => conn.execute("DELETE FROM bodies WHERE id = ?1", [b]),
        };
        // A write the schema refuses (a body with meetings, say) changes nothing: fine here.
        match done {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
            other => {
                other.unwrap();
            }
        }
    }

    /// Whatever is written, in whatever order, the basis kept is the one a recomputation makes.
    #[test]
    fn every_write_keeps_the_basis_a_recomputation_makes() {
        let config = Config {
            cases: 24,
            rng_seed: RngSeed::Fixed(21),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        runner
            .run(&proptest::collection::vec(write(), 1..30), |writes| {
                let conn = database();
                prop_assert_eq!(stale(&conn).unwrap(), Vec::<i64>::new(), "at the start");
                for (n, w) in writes.iter().enumerate() {
                    apply(&conn, w);
                    prop_assert_eq!(
                        stale(&conn).unwrap(),
                        Vec::<i64>::new(),
                        "after {}: {:?}",
                        n,
                        w
                    );
                }
                Ok(())
            })
            .unwrap();
    }

    /// Each way the store writes what the basis is made of keeps it: a meeting scheduled on
    /// another day with a case put on it, begun today (its date moves), a capture, the case
    /// reviewed with a date set, the meeting held; a case taken off a meeting; a meeting
    /// cancelled; a case closed and reopened; an import of the whole set into another database
    /// and back into this one (a merge of the same records).
    #[test]
    fn every_write_path_of_the_store_keeps_the_basis() {
        use crate::domain::case::CaseStatus;
        use crate::domain::model::{EntryKind, MeetingStatus};
        use crate::store::capture::NewMeeting;
        use crate::store::cases::{Closure, ReviewDraft};

        let (dir, mut store) = crate::store::setup::tests::store();
        let fresh = |store: &Store, what: &str| {
            assert_eq!(
                store.review_basis_stale().unwrap(),
                Vec::<i64>::new(),
                "{what}"
            );
        };
        fresh(&store, "the demo");
        let followed: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM case_review_basis", [], |r| r.get(0))
            .unwrap();
        assert!(followed >= 3, "{followed}");
        let cases: Vec<i64> = store
            .conn()
            .prepare("SELECT case_id FROM case_review_basis ORDER BY case_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        // A body that keeps a ledger (a review is recorded only at its meetings).
        let bodies: Vec<(i64, String, Option<bool>)> = store
            .conn()
            .prepare("SELECT id, kind, keeps_ledger FROM bodies ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let body = bodies
            .iter()
            .find(|(_, kind, own)| store.rules().keeps_ledger(kind, *own))
            .map(|b| b.0)
            .unwrap();
        let today = store.clock().today();
        let m = store
            .schedule_meeting(&NewMeeting {
                body_id: body,
                date: today - chrono::Days::new(3),
                start: None,
                end: None,
                place: String::new(),
            })
            .unwrap();
        store.link_case(m, cases[0]).unwrap();
        store.link_case(m, cases[1]).unwrap();
        fresh(&store, "linked");
        store.start_meeting_today(m).unwrap();
        fresh(&store, "begun today");
        store.prepare_agenda(m).unwrap();
        let item: i64 = store
            .conn()
            .query_row(
                "SELECT MIN(id) FROM agenda_items WHERE meeting_id = ?1",
                [m],
                |r| r.get(0),
            )
            .unwrap();
        store
            .add_entry(item, EntryKind::Note, "訪問を続ける")
            .unwrap();
        fresh(&store, "a capture");
        let draft = ReviewDraft {
            status: CaseStatus::Active,
            lead_agency: None,
            policy: None,
            next_review: Some(today + chrono::Days::new(40)),
            note: String::new(),
            reason: String::new(),
            evaluation: String::new(),
            transferred_to: String::new(),
            seen: None,
        };
        store.review_case(m, cases[0], &draft).unwrap();
        fresh(&store, "reviewed");
        store.unlink_case(m, cases[1]).unwrap();
        fresh(&store, "taken off");
        store.end_meeting(m).unwrap();
        fresh(&store, "held");
        let (fixed, held_body): (Option<String>, Option<i64>) = store
            .conn()
            .query_row(
                "SELECT fixed, body_id FROM case_review_basis WHERE case_id = ?1",
                [cases[0]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let set = (today + chrono::Days::new(40))
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!((fixed, held_body), (Some(set), Some(body)));
        // A meeting whose reviews stand is not cancelled (the store's rule): the held meeting
        // that discussed a case cancelled instead.
        assert!(
            store
                .set_meeting_status(m, MeetingStatus::Cancelled)
                .is_err()
        );
        fresh(&store, "not cancelled");
        let other = store
            .schedule_meeting(&NewMeeting {
                body_id: body,
                date: today - chrono::Days::new(2),
                start: None,
                end: None,
                place: String::new(),
            })
            .unwrap();
        store.link_case(other, cases[1]).unwrap();
        store.start_meeting_today(other).unwrap();
        store.end_meeting(other).unwrap();
        fresh(&store, "another held");
        store
            .set_meeting_status(other, MeetingStatus::Cancelled)
            .unwrap();
        fresh(&store, "cancelled");
        let closure = Closure {
            kind: CaseStatus::Closed,
            date: today,
            reason: "目標達成".into(),
            evaluation: "通院が定着した".into(),
            transferred_to: String::new(),
        };
        store.close_case(cases[2], &closure, None).unwrap();
        fresh(&store, "closed");
        store.reopen_case(cases[2], None).unwrap();
        fresh(&store, "reopened");

        crate::store::setup::tests::imported_again(&mut store, dir.path(), |s, label| {
            fresh(s, label)
        });
    }

    /// The check finds a basis written around the triggers (so that the test above compares
    /// something), and the migration's own fill is the recomputation's.
    #[test]
    fn a_basis_written_around_the_triggers_is_found() {
        let conn = database();
        apply(&conn, &Write::Link(1, 2));
        assert_eq!(stale(&conn).unwrap(), Vec::<i64>::new());
        conn.execute(
            "UPDATE case_review_basis SET base = '2000-01-01' WHERE case_id = 2",
            [],
        )
        .unwrap();
        conn.execute("DELETE FROM case_review_basis WHERE case_id = 3", [])
            .unwrap();
        assert_eq!(stale(&conn).unwrap(), vec![2, 3]);
    }
}
