//! Versioned migrations: a const list of SQL steps, applied in one transaction and counted by
//! `PRAGMA user_version`.

use rusqlite::Connection;

use super::StoreError;

/// Step N (1-based) brings a database from version N-1 to version N. Never edit a released step:
/// append a new one.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

pub const LATEST: u32 = MIGRATIONS.len() as u32;

const V1: &str = r#"
CREATE TABLE agencies (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL DEFAULT '',
    sites        INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL DEFAULT ''
);

CREATE TABLE bodies (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    organiser      TEXT NOT NULL DEFAULT '',
    municipality   TEXT NOT NULL DEFAULT '',
    expected_size  TEXT NOT NULL DEFAULT '',
    topics         TEXT NOT NULL DEFAULT '',
    frequency_text TEXT NOT NULL DEFAULT '',
    personal_info  INTEGER NOT NULL DEFAULT 0 CHECK (personal_info IN (0, 1)),
    kind           TEXT NOT NULL DEFAULT '',
    tier           TEXT NOT NULL DEFAULT '',
    parent_id      INTEGER REFERENCES bodies(id) ON DELETE SET NULL,
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (name, organiser)
);
CREATE INDEX bodies_parent ON bodies(parent_id);

CREATE TABLE body_members (
    body_id   INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (body_id, agency_id)
);

-- Yearly meeting counts published before the body's meetings were kept here.
CREATE TABLE body_history (
    body_id     INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    meetings    INTEGER NOT NULL CHECK (meetings >= 0),
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (body_id, fiscal_year)
);

CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY,
    body_id           INTEGER NOT NULL REFERENCES bodies(id),
    date              TEXT NOT NULL,
    start_time        TEXT,
    end_time          TEXT,
    place             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'held', 'cancelled')),
    started_at        TEXT,
    ended_at          TEXT,
    facilitator       TEXT NOT NULL DEFAULT '',
    recorder          TEXT NOT NULL DEFAULT '',
    confidential      INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    basis             TEXT NOT NULL DEFAULT '',
    supervisor        INTEGER NOT NULL DEFAULT 0 CHECK (supervisor IN (0, 1)),
    referred_by       INTEGER REFERENCES agencies(id),
    case_ref          TEXT NOT NULL DEFAULT '',
    -- The real name behind the pseudonym, kept only so that redaction can find it.
    case_subject      TEXT NOT NULL DEFAULT '',
    lead_agency       INTEGER REFERENCES agencies(id),
    key_person        TEXT NOT NULL DEFAULT '',
    risk              TEXT NOT NULL DEFAULT '',
    urgency           TEXT NOT NULL DEFAULT '',
    support_policy    TEXT NOT NULL DEFAULT '',
    handouts          TEXT NOT NULL DEFAULT '',
    remaining_issues  TEXT NOT NULL DEFAULT '',
    next_meeting_date TEXT,
    current_item_id   INTEGER,
    minutes_state     TEXT NOT NULL DEFAULT 'draft'
                      CHECK (minutes_state IN ('draft', 'approved')),
    approved_at       TEXT,
    approved_by       TEXT NOT NULL DEFAULT '',
    created_by        TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX meetings_body_date ON meetings(body_id, date);
CREATE INDEX meetings_date ON meetings(date);

CREATE TABLE attendees (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    agency_id  INTEGER REFERENCES agencies(id),
    name       TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('facilitator', 'recorder',
               'secretariat', 'coordinator', 'supervisor', 'member', 'person', 'family', 'observer')),
    attendance TEXT NOT NULL DEFAULT 'present'
               CHECK (attendance IN ('present', 'absent', 'late', 'left_early')),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX attendees_meeting ON attendees(meeting_id);

CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    planned_min INTEGER,
    started_at  TEXT,
    ended_at    TEXT,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

-- Notes and decisions written under an agenda item, one row per capture.
CREATE TABLE agenda_entries (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'decision')),
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX agenda_entries_item ON agenda_entries(item_id);

CREATE TABLE role_assignments (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id      INTEGER REFERENCES agencies(id),
    responsibility TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
CREATE INDEX role_assignments_meeting ON role_assignments(meeting_id);

CREATE TABLE next_actions (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id    INTEGER REFERENCES agencies(id),
    text         TEXT NOT NULL,
    due_date     TEXT,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    carried_from INTEGER REFERENCES next_actions(id) ON DELETE SET NULL,
    closed_at    TEXT,
    closed_in    INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX next_actions_meeting ON next_actions(meeting_id);
CREATE INDEX next_actions_status_due ON next_actions(status, due_date);
CREATE INDEX next_actions_agency ON next_actions(agency_id, status);

CREATE TABLE case_issues (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX case_issues_meeting ON case_issues(meeting_id);

-- Every correction and undo, so that the record keeps what changed; after approval of the
-- minutes a change is an amendment and is listed with them.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    by         TEXT NOT NULL DEFAULT '',
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    amendment  INTEGER NOT NULL DEFAULT 0 CHECK (amendment IN (0, 1))
);
CREATE INDEX changes_meeting ON changes(meeting_id, at);

-- The agenda a new meeting starts from, per kind of body ('default' for the rest).
CREATE TABLE agenda_templates (
    kind         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    planned_min  INTEGER,
    confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    PRIMARY KEY (kind, position)
);
"#;

/// A section shares one database: who is in it (presence, kept alive by a heartbeat, so that a
/// killed process's entry expires by itself), who moves a live meeting's agenda (the chair), and
/// who saw, exported or approved what (the audit log).
const V2: &str = r#"
ALTER TABLE meetings ADD COLUMN chair TEXT NOT NULL DEFAULT '';

CREATE TABLE presence (
    session      TEXT PRIMARY KEY,
    user         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    pid          INTEGER NOT NULL,
    meeting_id   INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    by         TEXT NOT NULL,
    action     TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_meeting ON audit(meeting_id, at);
"#;

/// The reads of a ward-sized database (500 bodies, 50 000 meetings) without a scan of every
/// meeting. Per body, the schedule asks for its meetings in a few months and for its last meeting
/// held: `(body_id, date, status)` answers both from the index alone (the rowid is the id), where
/// `(body_id, date)` read every row for its status; it replaces that index, whose every use it
/// serves. The meetings left running (not ended) are asked for at every start. Not a partial
/// index: SQLite checks every query on the table against a partial index's condition, and that
/// check makes a statement with bound dates be prepared again at each new binding.
const V3: &str = r#"
CREATE INDEX meetings_body_date_status ON meetings(body_id, date, status);
DROP INDEX meetings_body_date;
CREATE INDEX meetings_running ON meetings(ended_at, started_at);
"#;

/// Search: every text a facilitator may look for again, in one table indexed by FTS5 (trigram),
/// kept in step with the tables by triggers (see `store::search`). Existing records are indexed
/// as the step runs.
const V4: &str = super::search::SCHEMA;

/// Brings the database up to [`LATEST`], refusing one made by a newer renkei.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    apply_steps(conn, MIGRATIONS)
}

/// Applies the steps the database has not seen yet, all in one transaction: a failing step
/// leaves the database at the version it had.
fn apply_steps(conn: &mut Connection, steps: &[&str]) -> Result<u32, StoreError> {
    let latest = steps.len() as u32;
    let version = user_version(conn)?;
    if version > latest {
        return Err(StoreError::TooNew {
            found: version,
            supported: latest,
        });
    }
    if version == latest {
        return Ok(version);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for (index, step) in steps.iter().enumerate().skip(version as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
    }
    tx.commit()?;
    Ok(latest)
}

pub fn user_version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn fresh_database_gets_every_table() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let names = tables(&conn);
        for t in [
            "agencies",
            "bodies",
            "body_members",
            "body_history",
            "meetings",
            "attendees",
            "agenda_items",
            "agenda_entries",
            "role_assignments",
            "next_actions",
            "case_issues",
            "changes",
            "agenda_templates",
            "presence",
            "audit",
        ] {
            assert!(names.contains(&t.to_owned()), "missing table {t}");
        }
        // Running again is a no-op.
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
    }

    #[test]
    fn upgrade_keeps_data_and_applies_only_new_steps() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &[V1]).unwrap();
        conn.execute("INSERT INTO agencies (name) VALUES ('保健相談所')", [])
            .unwrap();
        let v2 = "ALTER TABLE agencies ADD COLUMN phone TEXT NOT NULL DEFAULT '';";
        assert_eq!(apply_steps(&mut conn, &[V1, v2]).unwrap(), 2);
        let (name, phone): (String, String) = conn
            .query_row("SELECT name, phone FROM agencies", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((name.as_str(), phone.as_str()), ("保健相談所", ""));
    }

    #[test]
    fn a_version_1_database_with_meetings_upgrades_to_the_shared_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &[V1]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
             INSERT INTO meetings (body_id, date, created_at, updated_at) VALUES (1, '2026-11-21', 'x', 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let chair: String = conn
            .query_row("SELECT chair FROM meetings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(chair, "");
        assert!(tables(&conn).contains(&"presence".to_owned()));
    }

    #[test]
    fn failing_step_rolls_back_to_the_old_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &[V1]).unwrap();
        let bad = "CREATE TABLE extra (x); THIS IS NOT SQL;";
        assert!(apply_steps(&mut conn, &[V1, bad]).is_err());
        assert_eq!(user_version(&conn).unwrap(), 1);
        assert!(!tables(&conn).contains(&"extra".to_owned()));
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        match migrate(&mut conn) {
            Err(StoreError::TooNew { found, supported }) => {
                assert_eq!((found, supported), (LATEST + 1, LATEST));
            }
            other => panic!("expected TooNew, got {other:?}"),
        }
    }
}
