//! Each body's latest meeting held, kept in `body_last_held` (schema step 16) by triggers in the
//! transaction of every write of a meeting or a body: the order in which the home's first lines
//! read the bodies (`Store::each_body_by_last_held`, `upcoming::first_lines`). Here, the check
//! that the kept dates are what the meetings say.

use rusqlite::Connection;

use super::schema::LAST_HELD;
use super::{Result, Store};

/// The bodies whose kept date is not what their meetings say, or that have none kept, or that
/// are kept without being a body: none, unless a write went around the triggers.
pub(crate) fn stale(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let sql = format!(
        "SELECT id FROM (SELECT * FROM ({LAST_HELD})
                         EXCEPT SELECT body_id, held FROM body_last_held)
         UNION
         SELECT body_id FROM (SELECT body_id, held FROM body_last_held
                              EXCEPT SELECT * FROM ({LAST_HELD}))
         ORDER BY 1"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

impl Store {
    /// The bodies whose kept last meeting held (`body_last_held`) is not what their meetings
    /// say: none, unless a write went around the triggers. Reads every body: for tests and
    /// checks, not for screens.
    pub fn last_held_stale(&self) -> Result<Vec<i64>> {
        Ok(stale(self.conn())?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    use rusqlite::params;

    const BODIES: i64 = 3;
    const MEETINGS: i64 = 8;
    const STATUSES: [&str; 3] = ["planned", "held", "cancelled"];
    const DATES: [&str; 6] = [
        "2025-03-31",
        "2025-04-01",
        "2026-02-10",
        "2026-11-20",
        "2026-11-21",
        "2027-01-05",
    ];

    /// A database of the latest schema with two bodies, foreign keys on as the store keeps them.
    fn database() -> Connection {
        // Migrated once per test binary and copied: migrating took most of each case's time.
        let conn = crate::store::testing::migrated_in_memory();
        conn.execute_batch(
            "INSERT INTO bodies (id, name, kind, created_at, updated_at)
                 VALUES (1, '支援会議', '', 'x', 'x'), (2, '連絡会', '', 'x', 'x');",
        )
        .unwrap();
        conn
    }

    /// One write of a meeting or a body that can change a body's latest meeting held.
    #[derive(Debug, Clone)]
    enum Write {
        AddMeeting(i64, i64, usize, usize),
        Status(i64, usize),
        Date(i64, usize),
        MoveMeeting(i64, i64),
        Renumber(i64, i64),
        RemoveMeeting(i64),
        AddBody(i64),
        RenumberBody(i64, i64),
        RemoveBody(i64),
    }

    fn write() -> impl Strategy<Value = Write> {
        let meeting = 1..=MEETINGS;
        let body = 1..=BODIES;
        let status = 0..STATUSES.len();
        let date = 0..DATES.len();
        prop_oneof![
            4 => (meeting.clone(), body.clone(), status.clone(), date.clone())
                .prop_map(|(m, b, s, d)| Write::AddMeeting(m, b, s, d)),
            3 => (meeting.clone(), status).prop_map(|(m, s)| Write::Status(m, s)),
            2 => (meeting.clone(), date).prop_map(|(m, d)| Write::Date(m, d)),
            2 => (meeting.clone(), body.clone()).prop_map(|(m, b)| Write::MoveMeeting(m, b)),
            1 => (meeting.clone(), 1..=MEETINGS + 2).prop_map(|(m, n)| Write::Renumber(m, n)),
            1 => meeting.prop_map(Write::RemoveMeeting),
            1 => body.clone().prop_map(Write::AddBody),
            1 => (body.clone(), 1..=BODIES + 2).prop_map(|(b, n)| Write::RenumberBody(b, n)),
            1 => body.prop_map(Write::RemoveBody),
        ]
    }

    fn apply(conn: &Connection, w: &Write) {
        let done = match w {
            Write::AddMeeting(m, b, s, d) => conn.execute(
                "INSERT INTO meetings (id, body_id, date, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'x', 'x')",
                params![m, b, DATES[*d], STATUSES[*s]],
            ),
            Write::Status(m, s) => conn.execute(
                "UPDATE meetings SET status = ?2 WHERE id = ?1",
                params![m, STATUSES[*s]],
            ),
            Write::Date(m, d) => conn.execute(
                "UPDATE meetings SET date = ?2 WHERE id = ?1",
                params![m, DATES[*d]],
            ),
            Write::MoveMeeting(m, b) => conn.execute(
                "UPDATE meetings SET body_id = ?2 WHERE id = ?1",
                params![m, b],
            ),
            Write::Renumber(m, n) => {
                conn.execute("UPDATE meetings SET id = ?2 WHERE id = ?1", params![m, n])
            }
            Write::RemoveMeeting(m) => conn.execute("DELETE FROM meetings WHERE id = ?1", [m]),
            Write::AddBody(b) => conn.execute(
                "INSERT INTO bodies (id, name, kind, created_at, updated_at)
                 VALUES (?1, '会議' || ?1, '', 'x', 'x')",
                [b],
            ),
            Write::RenumberBody(b, n) => {
                conn.execute("UPDATE bodies SET id = ?2 WHERE id = ?1", params![b, n])
            }
            Write::RemoveBody(b) => conn.execute("DELETE FROM bodies WHERE id = ?1", [b]),
        };
        // A write the schema refuses (a body with meetings, an id taken) changes nothing.
        match done {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
            other => {
                other.unwrap();
            }
        }
    }

    /// Whatever is written, in whatever order, each body's kept date is the one the meetings
    /// give, and every body (and nothing else) is kept.
    #[test]
    fn every_write_keeps_each_bodys_last_meeting_held() {
        let config = Config {
            cases: 64,
            rng_seed: RngSeed::Fixed(16),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        runner
            .run(&proptest::collection::vec(write(), 1..40), |writes| {
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

    /// The check finds a date written around the triggers (so that the tests compare
    /// something): a wrong one, one missing, one of no body.
    #[test]
    fn a_date_written_around_the_triggers_is_found() {
        let conn = database();
        apply(&conn, &Write::AddMeeting(1, 1, 1, 3));
        assert_eq!(stale(&conn).unwrap(), Vec::<i64>::new());
        let held: Option<String> = conn
            .query_row(
                "SELECT held FROM body_last_held WHERE body_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(held.as_deref(), Some("2026-11-20"));
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE body_last_held SET held = '2000-01-01' WHERE body_id = 1;
             DELETE FROM body_last_held WHERE body_id = 2;
             INSERT INTO body_last_held (body_id, held) VALUES (9, NULL);",
        )
        .unwrap();
        assert_eq!(stale(&conn).unwrap(), vec![1, 2, 9]);
    }

    /// Every path of the store that writes a meeting or a body keeps the dates: the demo's
    /// import, a meeting scheduled in the past and held (begun and ended), one cancelled, a
    /// meeting's status set back, an import of the whole set into another database and back
    /// into this one.
    #[test]
    fn every_write_path_of_the_store_keeps_the_dates() {
        use crate::domain::model::MeetingStatus;
        use crate::store::capture::NewMeeting;

        let (dir, mut store) = crate::store::setup::tests::store();
        let fresh = |store: &Store, what: &str| {
            assert_eq!(
                store.last_held_stale().unwrap(),
                Vec::<i64>::new(),
                "{what}"
            );
        };
        fresh(&store, "the demo");
        let kept = |store: &Store, body: i64| -> Option<String> {
            store
                .conn()
                .query_row(
                    "SELECT held FROM body_last_held WHERE body_id = ?1",
                    [body],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let body: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM bodies", [], |r| r.get(0))
            .unwrap();
        let today = store.clock().today();
        let m = store
            .schedule_meeting(&NewMeeting {
                body_id: body,
                date: today,
                start: None,
                end: None,
                place: String::new(),
            })
            .unwrap();
        fresh(&store, "scheduled");
        store.start_meeting_today(m).unwrap();
        fresh(&store, "begun");
        store.end_meeting(m).unwrap();
        fresh(&store, "held");
        assert_eq!(
            kept(&store, body),
            Some(today.format("%Y-%m-%d").to_string())
        );
        store
            .set_meeting_status(m, MeetingStatus::Cancelled)
            .unwrap();
        fresh(&store, "cancelled");
        assert_ne!(
            kept(&store, body),
            Some(today.format("%Y-%m-%d").to_string())
        );
        store.set_meeting_status(m, MeetingStatus::Held).unwrap();
        fresh(&store, "held again");
        crate::store::setup::tests::imported_again(&mut store, dir.path(), |s, label| {
            fresh(s, label)
        });
    }
}
