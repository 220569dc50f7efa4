//! Versioned migrations: a const list of SQL steps, applied in one transaction and counted by
//! `PRAGMA user_version`.

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

mod direct;

/// Step N (1-based) brings a database from version N-1 to version N. Never edit a released step:
/// append a new one.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
    V10,
    V11,
    V12,
    V13,
    V14,
    V15,
    // Step 16, then 17 (V16: the bodies' last meeting held), then 18: numbered as they were
    // written, in the order they landed.
    V18,
    V16,
    REVIEW_DRAFTS_SEEN,
    RECORDED_KEYS,
    CHECKS_AS_COMPARISONS,
    OPEN_ACTIONS_ORDER,
    // Step 22 (city14's).
    REPORT_COVERING,
    ISSUE_CATEGORIES,
    super::search::TRIGRAMS_ONLY,
    DRAFTS_PER_PROCESS,
    FROM_FILES,
];

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

/// A new global id: a UUID version 7 (RFC 9562: the Unix time in milliseconds, then random bits),
/// made by SQLite itself so that no insert — renkei's, a test's, an `sqlite3` user's — can leave a
/// record without one. Renkei's own bulk inserts give the uuid crate's instead.
macro_rules! new_uid {
    () => {
        "(lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6))))"
    };
}

/// A new revision: the time in milliseconds and ten random bits, so that revisions grow with time
/// and two databases changing one record never give it the same revision (below 2^53, so that
/// every JSON reader keeps it exact).
macro_rules! new_rev {
    () => {
        "((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))"
    };
}

/// After an update of a record's content (the columns listed), a new revision, unless the update
/// set a different one itself (an import writing the revision of the file). Never lower than
/// the last.
macro_rules! rev_trigger {
    ($table:literal, $columns:literal) => {
        concat!(
            "CREATE TRIGGER ",
            $table,
            "_rev AFTER UPDATE OF ",
            $columns,
            " ON ",
            $table,
            " WHEN NEW.rev IS OLD.rev BEGIN UPDATE ",
            $table,
            " SET rev = max(OLD.rev + 1, ",
            new_rev!(),
            ") WHERE rowid = NEW.rowid; END;\n"
        )
    };
}

/// Identity: every record renkei keeps and exports gets a global id (`uid`, filled by default) and
/// a revision (`rev`, renewed by a trigger whenever its content changes); `imported_rev` is the
/// revision an import gave it (NULL: made in this database), so that "came from an import and
/// unchanged since" is `rev = imported_rev`. The database gets an identity too: its ward (row 1 of
/// `wards`; other rows are the wards whose records it gathered), and bodies are told apart within
/// their ward. Meetings keep the external reference a file gave them (`ext_ref`, JSON text).
/// `changes` no longer goes with a deleted meeting (its history outlives it) and names the meeting
/// and the changed record by uid as well. SQLite cannot alter a constraint or add a column with a
/// computed default, so every table is rebuilt (foreign keys are off during migrations) with the
/// same rowids; registry data (agencies, bodies, yearly counts) always came from imports, meetings
/// of older databases count as made here.
const V4: &str = concat!(
    "CREATE TABLE wards (
    id   INTEGER PRIMARY KEY,
    uid  TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    name TEXT NOT NULL DEFAULT '',
    code TEXT
);
INSERT INTO wards (id) VALUES (1);

CREATE TABLE new_agencies (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL DEFAULT '',
    sites        INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_agencies (id, name, kind, sites, note, municipality)
    SELECT id, name, kind, sites, note, municipality FROM agencies;
DROP TABLE agencies;
ALTER TABLE new_agencies RENAME TO agencies;
UPDATE agencies SET imported_rev = rev;

CREATE TABLE new_bodies (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev            INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev   INTEGER,
    ward_id        INTEGER NOT NULL DEFAULT 1 REFERENCES wards(id),
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
    UNIQUE (ward_id, name, organiser)
);
INSERT INTO new_bodies (id, name, organiser, municipality, expected_size, topics, frequency_text,
                        personal_info, kind, tier, parent_id, note, created_at, updated_at)
    SELECT id, name, organiser, municipality, expected_size, topics, frequency_text, personal_info,
           kind, tier, parent_id, note, created_at, updated_at FROM bodies;
DROP TABLE bodies;
ALTER TABLE new_bodies RENAME TO bodies;
CREATE INDEX bodies_parent ON bodies(parent_id);
CREATE INDEX bodies_name ON bodies(name);
UPDATE bodies SET imported_rev = rev;

CREATE TABLE new_body_history (
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    body_id      INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    fiscal_year  INTEGER NOT NULL,
    meetings     INTEGER NOT NULL CHECK (meetings >= 0),
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (body_id, fiscal_year)
);
INSERT INTO new_body_history (body_id, fiscal_year, meetings, note)
    SELECT body_id, fiscal_year, meetings, note FROM body_history;
DROP TABLE body_history;
ALTER TABLE new_body_history RENAME TO body_history;
UPDATE body_history SET imported_rev = rev;

CREATE TABLE new_meetings (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev               INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev      INTEGER,
    ext_ref           TEXT,
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
    updated_at        TEXT NOT NULL,
    chair             TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_meetings (id, body_id, date, start_time, end_time, place, status, started_at,
        ended_at, facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref,
        case_subject, lead_agency, key_person, risk, urgency, support_policy, handouts,
        remaining_issues, next_meeting_date, current_item_id, minutes_state, approved_at,
        approved_by, created_by, created_at, updated_at, chair)
    SELECT id, body_id, date, start_time, end_time, place, status, started_at, ended_at,
        facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref,
        case_subject, lead_agency, key_person, risk, urgency, support_policy, handouts,
        remaining_issues, next_meeting_date, current_item_id, minutes_state, approved_at,
        approved_by, created_by, created_at, updated_at, chair FROM meetings;
DROP TABLE meetings;
ALTER TABLE new_meetings RENAME TO meetings;
CREATE INDEX meetings_date ON meetings(date);
CREATE INDEX meetings_body_date_status ON meetings(body_id, date, status);
CREATE INDEX meetings_running ON meetings(ended_at, started_at);
CREATE INDEX meetings_ext_ref ON meetings(ext_ref);

CREATE TABLE new_attendees (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    agency_id    INTEGER REFERENCES agencies(id),
    name         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('facilitator', 'recorder',
                 'secretariat', 'coordinator', 'supervisor', 'member', 'person', 'family', 'observer')),
    attendance   TEXT NOT NULL DEFAULT 'present'
                 CHECK (attendance IN ('present', 'absent', 'late', 'left_early')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
INSERT INTO new_attendees (id, meeting_id, position, agency_id, name, title, role, attendance,
        created_by, created_at, updated_at, deleted_at)
    SELECT id, meeting_id, position, agency_id, name, title, role, attendance, created_by,
        created_at, updated_at, deleted_at FROM attendees;
DROP TABLE attendees;
ALTER TABLE new_attendees RENAME TO attendees;
CREATE INDEX attendees_meeting ON attendees(meeting_id);

CREATE TABLE new_agenda_items (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    planned_min  INTEGER,
    started_at   TEXT,
    ended_at     TEXT,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
INSERT INTO new_agenda_items (id, meeting_id, position, title, planned_min, started_at, ended_at,
        created_by, created_at, updated_at, deleted_at)
    SELECT id, meeting_id, position, title, planned_min, started_at, ended_at, created_by,
        created_at, updated_at, deleted_at FROM agenda_items;
DROP TABLE agenda_items;
ALTER TABLE new_agenda_items RENAME TO agenda_items;
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE new_agenda_entries (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    item_id      INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('note', 'decision')),
    text         TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
INSERT INTO new_agenda_entries (id, item_id, kind, text, created_by, created_at, updated_at,
        deleted_at)
    SELECT id, item_id, kind, text, created_by, created_at, updated_at, deleted_at
    FROM agenda_entries;
DROP TABLE agenda_entries;
ALTER TABLE new_agenda_entries RENAME TO agenda_entries;
CREATE INDEX agenda_entries_item ON agenda_entries(item_id);

CREATE TABLE new_role_assignments (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev            INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev   INTEGER,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id      INTEGER REFERENCES agencies(id),
    responsibility TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
);
INSERT INTO new_role_assignments (id, meeting_id, agency_id, responsibility, created_by,
        created_at, updated_at, deleted_at)
    SELECT id, meeting_id, agency_id, responsibility, created_by, created_at, updated_at,
        deleted_at FROM role_assignments;
DROP TABLE role_assignments;
ALTER TABLE new_role_assignments RENAME TO role_assignments;
CREATE INDEX role_assignments_meeting ON role_assignments(meeting_id);

CREATE TABLE new_next_actions (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
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
INSERT INTO new_next_actions (id, meeting_id, agency_id, text, due_date, status, carried_from,
        closed_at, closed_in, created_by, created_at, updated_at, deleted_at)
    SELECT id, meeting_id, agency_id, text, due_date, status, carried_from, closed_at, closed_in,
        created_by, created_at, updated_at, deleted_at FROM next_actions;
DROP TABLE next_actions;
ALTER TABLE new_next_actions RENAME TO next_actions;
CREATE INDEX next_actions_meeting ON next_actions(meeting_id);
CREATE INDEX next_actions_status_due ON next_actions(status, due_date);
CREATE INDEX next_actions_agency ON next_actions(agency_id, status);

CREATE TABLE new_case_issues (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    deleted_at   TEXT
);
INSERT INTO new_case_issues (id, meeting_id, category, created_by, created_at, deleted_at)
    SELECT id, meeting_id, category, created_by, created_at, deleted_at FROM case_issues;
DROP TABLE case_issues;
ALTER TABLE new_case_issues RENAME TO case_issues;
CREATE INDEX case_issues_meeting ON case_issues(meeting_id);

CREATE TABLE new_changes (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    at          TEXT NOT NULL,
    by          TEXT NOT NULL DEFAULT '',
    meeting_id  INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    meeting_uid TEXT,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    entity_uid  TEXT,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    amendment   INTEGER NOT NULL DEFAULT 0 CHECK (amendment IN (0, 1))
);
INSERT INTO new_changes (id, at, by, meeting_id, entity, entity_id, field, old_value, new_value,
        amendment)
    SELECT id, at, by, meeting_id, entity, entity_id, field, old_value, new_value, amendment
    FROM changes;
DROP TABLE changes;
ALTER TABLE new_changes RENAME TO changes;
CREATE INDEX changes_meeting ON changes(meeting_id, at);
CREATE INDEX changes_meeting_uid ON changes(meeting_uid);
CREATE TRIGGER changes_uids AFTER INSERT ON changes
WHEN NEW.meeting_uid IS NULL OR NEW.entity_uid IS NULL
BEGIN
    UPDATE changes SET
        meeting_uid = COALESCE(NEW.meeting_uid, (SELECT uid FROM meetings WHERE id = NEW.meeting_id)),
        entity_uid = COALESCE(NEW.entity_uid, CASE NEW.entity
            WHEN 'meeting' THEN (SELECT uid FROM meetings WHERE id = NEW.entity_id)
            WHEN 'attendee' THEN (SELECT uid FROM attendees WHERE id = NEW.entity_id)
            WHEN 'agenda_item' THEN (SELECT uid FROM agenda_items WHERE id = NEW.entity_id)
            WHEN 'agenda_entry' THEN (SELECT uid FROM agenda_entries WHERE id = NEW.entity_id)
            WHEN 'role_assignment' THEN (SELECT uid FROM role_assignments WHERE id = NEW.entity_id)
            WHEN 'next_action' THEN (SELECT uid FROM next_actions WHERE id = NEW.entity_id)
            WHEN 'case_issue' THEN (SELECT uid FROM case_issues WHERE id = NEW.entity_id)
        END)
    WHERE id = NEW.id;
END;
UPDATE changes SET
    meeting_uid = (SELECT uid FROM meetings WHERE id = changes.meeting_id),
    entity_uid = CASE entity
        WHEN 'meeting' THEN (SELECT uid FROM meetings WHERE id = changes.entity_id)
        WHEN 'attendee' THEN (SELECT uid FROM attendees WHERE id = changes.entity_id)
        WHEN 'agenda_item' THEN (SELECT uid FROM agenda_items WHERE id = changes.entity_id)
        WHEN 'agenda_entry' THEN (SELECT uid FROM agenda_entries WHERE id = changes.entity_id)
        WHEN 'role_assignment' THEN (SELECT uid FROM role_assignments WHERE id = changes.entity_id)
        WHEN 'next_action' THEN (SELECT uid FROM next_actions WHERE id = changes.entity_id)
        WHEN 'case_issue' THEN (SELECT uid FROM case_issues WHERE id = changes.entity_id)
    END;
",
    rev_trigger!("agencies", "name, kind, sites, note, municipality"),
    rev_trigger!(
        "bodies",
        "ward_id, name, organiser, municipality, expected_size, topics, frequency_text, \
         personal_info, kind, tier, parent_id, note"
    ),
    rev_trigger!("body_history", "body_id, fiscal_year, meetings, note"),
    rev_trigger!(
        "meetings",
        "ext_ref, body_id, date, start_time, end_time, place, status, started_at, ended_at, \
         facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref, \
         case_subject, lead_agency, key_person, risk, urgency, support_policy, handouts, \
         remaining_issues, next_meeting_date, minutes_state, approved_at, approved_by"
    ),
    rev_trigger!(
        "attendees",
        "meeting_id, position, agency_id, name, title, role, attendance, deleted_at"
    ),
    rev_trigger!(
        "agenda_items",
        "meeting_id, position, title, planned_min, started_at, ended_at, deleted_at"
    ),
    rev_trigger!("agenda_entries", "item_id, kind, text, deleted_at"),
    rev_trigger!(
        "role_assignments",
        "meeting_id, agency_id, responsibility, deleted_at"
    ),
    rev_trigger!(
        "next_actions",
        "meeting_id, agency_id, text, due_date, status, carried_from, closed_at, closed_in, \
         deleted_at"
    ),
    rev_trigger!("case_issues", "meeting_id, category, deleted_at"),
);

/// Search: every text a facilitator may look for again, in one table indexed by FTS5 (trigram),
/// kept in step with the tables by triggers (see `store::search`). Existing records are indexed
/// as the step runs. After step 4, which rebuilds the tables the triggers are on.
const V5: &str = super::search::SCHEMA;

/// Views for the ward's IT staff (issue 13 item 7): what the annual report counts, as `sqlite3`
/// can read it, with renkei's own rules applied — removed records (`deleted_at`) left out,
/// only meetings held, the agencies of attendees who came (present, late or leaving early) once
/// per meeting, each case issue once per meeting, the fiscal year from April, every meeting with
/// its ward. README's "SQL views" says what each column means.
const V6: &str = r#"
CREATE VIEW held_meetings AS
SELECT m.id, m.uid, b.ward_id, w.name AS ward, w.code AS ward_code,
       m.body_id, b.name AS body, b.organiser, b.kind,
       m.date, CAST(substr(m.date, 1, 4) AS INTEGER) - (substr(m.date, 6, 2) < '04') AS fiscal_year,
       m.start_time, m.end_time, m.basis, m.supervisor, a.name AS referred_by,
       m.confidential, m.case_ref, m.minutes_state
FROM meetings m
JOIN bodies b ON b.id = m.body_id
JOIN wards w ON w.id = b.ward_id
LEFT JOIN agencies a ON a.id = m.referred_by
WHERE m.status = 'held';

CREATE VIEW meeting_agencies AS
SELECT DISTINCT h.id AS meeting_id, h.ward_id, h.ward, h.body_id, h.body, h.date, h.fiscal_year,
       t.agency_id, a.name AS agency
FROM held_meetings h
JOIN attendees t ON t.meeting_id = h.id
JOIN agencies a ON a.id = t.agency_id
WHERE t.deleted_at IS NULL AND t.attendance IN ('present', 'late', 'left_early');

CREATE VIEW meeting_issues AS
SELECT DISTINCT h.id AS meeting_id, h.ward_id, h.ward, h.body_id, h.body, h.date, h.fiscal_year,
       trim(c.category) AS category
FROM held_meetings h
JOIN case_issues c ON c.meeting_id = h.id
WHERE c.deleted_at IS NULL AND trim(c.category) <> '';

CREATE VIEW open_actions AS
SELECT n.id, n.uid, n.meeting_id, b.ward_id, w.name AS ward, m.body_id, b.name AS body,
       m.date AS meeting_date, m.status AS meeting_status,
       CAST(substr(m.date, 1, 4) AS INTEGER) - (substr(m.date, 6, 2) < '04') AS fiscal_year,
       n.agency_id, a.name AS agency, n.text, n.due_date,
       n.due_date IS NOT NULL AND n.due_date < date('now', '+9 hours') AS overdue
FROM next_actions n
JOIN meetings m ON m.id = n.meeting_id
JOIN bodies b ON b.id = m.body_id
JOIN wards w ON w.id = b.ward_id
LEFT JOIN agencies a ON a.id = n.agency_id
WHERE n.status = 'open' AND n.deleted_at IS NULL;
"#;

/// "The case a capture of meeting `$m` belongs to": the case being discussed (the meeting's
/// current case, while it is one of the meeting's cases), else the meeting's only case; none
/// when it discusses several and none is current, or none at all.
macro_rules! case_of_meeting {
    ($m:literal) => {
        concat!(
            "COALESCE(
                (SELECT mc.case_id FROM meetings m JOIN meeting_cases mc
                   ON mc.meeting_id = m.id AND mc.case_id = m.current_case_id
                 WHERE m.id = ",
            $m,
            " AND mc.deleted_at IS NULL),
                (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = ",
            $m,
            " AND deleted_at IS NULL HAVING COUNT(*) = 1))"
        )
    };
}

/// The case a capture of the meeting `?1` takes when it names none, as the `{table}_case`
/// triggers give it: an import, which sets them aside, gives it as it writes the row.
pub(crate) const CASE_OF_MEETING: &str = concat!("SELECT ", case_of_meeting!("?1"));

/// Every capture belongs to the case being discussed: a row inserted without a case (by the
/// screens, an `sqlite3` session, an import of a record that names none) takes it from its
/// meeting. Moving a row from one case to another is a change of its content (a new revision);
/// filling in a case it did not have is not (an import writes the file's revision).
macro_rules! capture_case {
    ($table:literal, $meeting:literal) => {
        concat!(
            "CREATE TRIGGER ",
            $table,
            "_case AFTER INSERT ON ",
            $table,
            " WHEN NEW.case_id IS NULL BEGIN UPDATE ",
            $table,
            " SET case_id = ",
            case_of_meeting!($meeting),
            " WHERE rowid = NEW.rowid; END;
CREATE TRIGGER ",
            $table,
            "_case_rev AFTER UPDATE OF case_id ON ",
            $table,
            " WHEN NEW.rev IS OLD.rev AND OLD.case_id IS NOT NULL BEGIN UPDATE ",
            $table,
            " SET rev = max(OLD.rev + 1, ",
            new_rev!(),
            ") WHERE rowid = NEW.rowid; END;
CREATE INDEX ",
            $table,
            "_case ON ",
            $table,
            "(case_id);\n"
        )
    };
}

/// What the trigger `{table}_case` of [`capture_case!`] does, done at once for the rows a bulk
/// write put in while it was set aside (`store::import`): a row without a case, in a meeting
/// that has one, takes it. The rows written are those above `?1`, the table's last rowid before
/// the write, and those of the meetings the write replaced (`temp.import_replaced`: their rows
/// were deleted and written again, and may have taken rowids at or below it).
pub(crate) struct CaseFill {
    pub table: &'static str,
    /// The rows above `?1`.
    pub new_rows: &'static str,
    /// The rows at or below `?1` of the meetings replaced.
    pub replaced_rows: &'static str,
}

macro_rules! case_fill {
    ($table:literal, $meeting:literal, $of_replaced:literal) => {
        CaseFill {
            table: $table,
            new_rows: concat!(
                "UPDATE ",
                $table,
                " SET case_id = ",
                case_of_meeting!($meeting),
                " WHERE case_id IS NULL AND rowid > ?1 AND ",
                $meeting,
                " IN (SELECT meeting_id FROM meeting_cases WHERE deleted_at IS NULL)"
            ),
            replaced_rows: concat!(
                "UPDATE ",
                $table,
                " SET case_id = ",
                case_of_meeting!($meeting),
                " WHERE case_id IS NULL AND rowid <= ?1 AND ",
                $of_replaced,
                " AND ",
                $meeting,
                " IN (SELECT meeting_id FROM meeting_cases WHERE deleted_at IS NULL)"
            ),
        }
    };
}

/// The tables of [`capture_case!`]'s triggers (schema step 7), each with its [`CaseFill`]; the
/// meeting of a row as the trigger finds it.
pub(crate) const CASE_FILLS: [CaseFill; 4] = [
    case_fill!(
        "agenda_entries",
        "(SELECT meeting_id FROM agenda_items WHERE id = agenda_entries.item_id)",
        "item_id IN (SELECT i.id FROM agenda_items i JOIN temp.import_replaced r ON r.meeting_id = i.meeting_id)"
    ),
    case_fill!(
        "role_assignments",
        "role_assignments.meeting_id",
        "meeting_id IN (SELECT meeting_id FROM temp.import_replaced)"
    ),
    case_fill!(
        "next_actions",
        "next_actions.meeting_id",
        "meeting_id IN (SELECT meeting_id FROM temp.import_replaced)"
    ),
    case_fill!(
        "case_issues",
        "case_issues.meeting_id",
        "meeting_id IN (SELECT meeting_id FROM temp.import_replaced)"
    ),
];

/// Cases (事例, issue 17): the case record, its household, the support plan with every revision,
/// the cases a meeting discusses (with what was said of each there), the case a capture belongs
/// to, and the history of a case's changes — every record with a uid, a revision renewed by a
/// trigger and the revision an import gave it, as V4 set.
const V7: &str = concat!(
    "CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev            INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev   INTEGER,
    ward_id        INTEGER NOT NULL DEFAULT 1 REFERENCES wards(id),
    ext_ref        TEXT,
    pseudonym      TEXT NOT NULL CHECK (pseudonym <> ''),
    -- The pseudonym folded (any width, no spaces): one case per key in a ward.
    pseudonym_key  TEXT NOT NULL,
    opened         TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'active', 'monitoring',
                   'closed', 'suspended', 'transferred')),
    referred_by    INTEGER REFERENCES agencies(id),
    lead_agency    INTEGER REFERENCES agencies(id),
    key_person     TEXT NOT NULL DEFAULT '',
    consent        TEXT NOT NULL DEFAULT 'unknown' CHECK (consent IN ('given', 'not_given', 'unknown')),
    consent_date   TEXT,
    consent_by     TEXT NOT NULL DEFAULT '',
    risk           TEXT NOT NULL DEFAULT '' CHECK (risk IN ('', 'high', 'medium', 'low')),
    urgency        TEXT NOT NULL DEFAULT '' CHECK (urgency IN ('', 'high', 'medium', 'low')),
    policy         TEXT NOT NULL DEFAULT '',
    next_review    TEXT,
    closed         TEXT,
    closure_reason TEXT NOT NULL DEFAULT '',
    evaluation     TEXT NOT NULL DEFAULT '',
    transferred_to TEXT NOT NULL DEFAULT '',
    closed_in      INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (ward_id, pseudonym_key)
);
CREATE INDEX cases_status_review ON cases(status, next_review);
CREATE INDEX cases_ext_ref ON cases(ext_ref);

-- The household: names kept only so that redaction can find them, never shown in lists.
CREATE TABLE case_members (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    relation     TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX case_members_case ON case_members(case_id, position);

-- The support plan: one row per revision (at a meeting, or recorded alone), each with the
-- policy and the plan's lines as they stood after it. Never deleted.
CREATE TABLE case_plans (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    meeting_id   INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    meeting_uid  TEXT,
    policy       TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX case_plans_case ON case_plans(case_id, created_at);
CREATE INDEX case_plans_meeting ON case_plans(meeting_id);

CREATE TABLE case_plan_items (
    plan_id   INTEGER NOT NULL REFERENCES case_plans(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    agency_id INTEGER REFERENCES agencies(id),
    role      TEXT NOT NULL DEFAULT '',
    goal      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, position)
);

-- A case discussed at a meeting: the basis it was shared on (and whether it was shared without
-- the consent the body needs: the warning, kept), the situation told there, and the case's
-- fields as they stood after that meeting (what its minutes show, whatever changes later).
CREATE TABLE meeting_cases (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    rev          INTEGER NOT NULL DEFAULT ", new_rev!(), ",
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    basis        TEXT NOT NULL DEFAULT '',
    warned       INTEGER NOT NULL DEFAULT 0 CHECK (warned IN (0, 1)),
    situation    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    lead_agency  INTEGER REFERENCES agencies(id),
    key_person   TEXT NOT NULL DEFAULT '',
    risk         TEXT NOT NULL DEFAULT '',
    urgency      TEXT NOT NULL DEFAULT '',
    policy       TEXT NOT NULL DEFAULT '',
    consent      TEXT NOT NULL DEFAULT '',
    plan_id      INTEGER REFERENCES case_plans(id) ON DELETE SET NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT,
    UNIQUE (meeting_id, case_id)
);
CREATE INDEX meeting_cases_case ON meeting_cases(case_id, meeting_id);

-- Every change of a case, its household and its plan: who, when, at which meeting.
CREATE TABLE case_changes (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE DEFAULT ", new_uid!(), ",
    case_id     INTEGER REFERENCES cases(id) ON DELETE SET NULL,
    meeting_id  INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    meeting_uid TEXT,
    at          TEXT NOT NULL,
    by          TEXT NOT NULL DEFAULT '',
    entity      TEXT NOT NULL,
    entity_uid  TEXT,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT
);
CREATE INDEX case_changes_case ON case_changes(case_id, at);

-- The case being discussed in a meeting, which its captures go to.
ALTER TABLE meetings ADD COLUMN current_case_id INTEGER;
ALTER TABLE agenda_entries ADD COLUMN case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL;
ALTER TABLE role_assignments ADD COLUMN case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL;
ALTER TABLE next_actions ADD COLUMN case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL;
ALTER TABLE case_issues ADD COLUMN case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL;
CREATE INDEX next_actions_case_status ON next_actions(case_id, status);

-- Meetings that name a case only by its pseudonym (made before cases existed) are linked to
-- case records by renkei when it next opens the database (the pseudonym is folded in Rust);
-- this row says that is still to do, so that a process killed before it is done does it again.
CREATE TABLE case_upgrade (step TEXT PRIMARY KEY);
INSERT INTO case_upgrade (step) VALUES ('link_meetings');
",
    capture_case!("agenda_entries", "(SELECT meeting_id FROM agenda_items WHERE id = NEW.item_id)"),
    capture_case!("role_assignments", "NEW.meeting_id"),
    capture_case!("next_actions", "NEW.meeting_id"),
    capture_case!("case_issues", "NEW.meeting_id"),
    rev_trigger!(
        "cases",
        "ward_id, ext_ref, pseudonym, opened, status, referred_by, lead_agency, key_person, \
         consent, consent_date, consent_by, risk, urgency, policy, next_review, closed, \
         closure_reason, evaluation, transferred_to, closed_in"
    ),
    rev_trigger!(
        "case_members",
        "case_id, position, relation, name, deleted_at"
    ),
    rev_trigger!("case_plans", "case_id, meeting_id, policy, updated_at"),
    rev_trigger!(
        "meeting_cases",
        "meeting_id, case_id, basis, warned, situation, status, lead_agency, key_person, risk, \
         urgency, policy, consent, plan_id, deleted_at"
    ),
);

/// A carried action reviewed at a later meeting and continued: the new due date and a note on its
/// progress, in the order they were made (each with a global id, as every record since v4). Done
/// and dropped stay the action's own status (with the meeting it was closed in); a continuation
/// is a row of its own, so that the minutes of the meeting it was made at, and the action's
/// history, say it.
const V8: &str = concat!(
    "CREATE TABLE action_reviews (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE DEFAULT ",
    new_uid!(),
    ",
    action_id  INTEGER NOT NULL REFERENCES next_actions(id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    note       TEXT NOT NULL DEFAULT '',
    due_before TEXT,
    due_after  TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX action_reviews_action ON action_reviews(action_id);
CREATE INDEX action_reviews_meeting ON action_reviews(meeting_id);
"
);

/// A review meeting (進行管理): one row per case a meeting reviewed, with what was decided there —
/// the status after it, the lead agency and the policy after it, the next review (none when the
/// case ended), a note and, for an ending, the reason, the evaluation and where to. Bodies get
/// their own review rules: `keeps_ledger` and `review_months` (NULL: as the rule of their kind).
const V9: &str = concat!(
    "CREATE TABLE case_reviews (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT ",
    new_uid!(),
    ",
    rev            INTEGER NOT NULL DEFAULT ",
    new_rev!(),
    ",
    imported_rev   INTEGER,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    lead_agency    INTEGER REFERENCES agencies(id),
    policy         TEXT NOT NULL DEFAULT '',
    next_review    TEXT,
    note           TEXT NOT NULL DEFAULT '',
    closure_reason TEXT NOT NULL DEFAULT '',
    evaluation     TEXT NOT NULL DEFAULT '',
    transferred_to TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    UNIQUE (meeting_id, case_id)
);
CREATE INDEX case_reviews_case ON case_reviews(case_id, meeting_id);

ALTER TABLE bodies ADD COLUMN keeps_ledger INTEGER CHECK (keeps_ledger IN (0, 1));
ALTER TABLE bodies ADD COLUMN review_months INTEGER CHECK (review_months BETWEEN 1 AND 120);
CREATE TRIGGER bodies_review_rev AFTER UPDATE OF keeps_ledger, review_months ON bodies
WHEN NEW.rev IS OLD.rev BEGIN UPDATE bodies SET rev = max(OLD.rev + 1, ",
    new_rev!(),
    ")
WHERE rowid = NEW.rowid; END;
",
    rev_trigger!(
        "case_reviews",
        "meeting_id, case_id, status, lead_agency, policy, next_review, note, closure_reason, \
         evaluation, transferred_to, deleted_at"
    ),
);

/// Review drafts (下書き, `store::drafts`): a case's review begun at a meeting and not recorded,
/// as typed — kept so that quitting or a kill loses nothing; removed when the review is recorded.
/// Not a record of the meeting: never exported, never in the minutes.
const V10: &str = "CREATE TABLE review_drafts (
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('open', 'active', 'monitoring', 'closed',
                   'suspended', 'transferred')),
    lead_agency    TEXT NOT NULL DEFAULT '',
    policy         TEXT NOT NULL DEFAULT '',
    -- As typed (3/8, 3か月後): read when the review is recorded.
    next_review    TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    closure_reason TEXT NOT NULL DEFAULT '',
    evaluation     TEXT NOT NULL DEFAULT '',
    transferred_to TEXT NOT NULL DEFAULT '',
    typed_by       TEXT NOT NULL DEFAULT '',
    typed_at       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX review_drafts_case ON review_drafts(case_id);
";

/// What the home screen's overdue reviews read of every case's meetings (`Store::review_counts`):
/// each live link of a case, and the date and body of each meeting held, from two small
/// indexes instead of the rows of both tables (the links carry what was said of the case, the
/// meetings their place and times): on the ward-scale set the read takes 17 ms of CPU instead
/// of 40.
const V11: &str = "
CREATE INDEX meeting_cases_live ON meeting_cases(case_id, meeting_id) WHERE deleted_at IS NULL;
CREATE INDEX meetings_held ON meetings(id, date, body_id) WHERE status = 'held';
";

/// Indexes that make what the ledger and the report read of a case's meetings a seek in a
/// narrow index (issue 18 item 6), where they read a page of the meetings (notes and all) for
/// nearly every link: beside step 11's live links of a case, a meeting's facts they read
/// (status, date, body, whether it began) without its row; a case's open actions; a case's live
/// issues with their meeting and category. The queries name them (`INDEXED BY`): one that
/// cannot use its index fails at once rather than reading the tables.
const V12: &str = "
CREATE INDEX meetings_case_facts ON meetings(id, status, date, body_id, started_at);
CREATE INDEX next_actions_case_open ON next_actions(case_id)
    WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX case_issues_case_live ON case_issues(case_id, id, meeting_id, category)
    WHERE deleted_at IS NULL;
";

/// Drafts are each user's own (`store::drafts`): a review's draft is kept per meeting, case and
/// the user who typed it — a colleague reviewing the same case at the same meeting keeps theirs
/// beside it instead of overwriting it. And the text of any other form being typed (a capture
/// line of a live meeting, a case's form) is kept as it is typed, per user and form, so that a
/// kill loses nothing typed: the changed fields as JSON (`[[index, label, typed], …]`), removed
/// when the form is saved or left. Neither is a record: never exported, never in the minutes.
const V13: &str = "
CREATE TABLE review_drafts_by_user (
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('open', 'active', 'monitoring', 'closed',
                   'suspended', 'transferred')),
    lead_agency    TEXT NOT NULL DEFAULT '',
    policy         TEXT NOT NULL DEFAULT '',
    next_review    TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    closure_reason TEXT NOT NULL DEFAULT '',
    evaluation     TEXT NOT NULL DEFAULT '',
    transferred_to TEXT NOT NULL DEFAULT '',
    typed_by       TEXT NOT NULL DEFAULT '',
    typed_at       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id, typed_by)
);
INSERT INTO review_drafts_by_user SELECT meeting_id, case_id, status, lead_agency, policy,
    next_review, note, closure_reason, evaluation, transferred_to, typed_by, typed_at
    FROM review_drafts;
DROP TABLE review_drafts;
ALTER TABLE review_drafts_by_user RENAME TO review_drafts;
CREATE INDEX review_drafts_case ON review_drafts(case_id);
CREATE TABLE form_drafts (
    typed_by   TEXT NOT NULL,
    -- Which form: `entry 12 note 5` (a note under item 5 of meeting 12), `case 7` …
    form       TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE CASCADE,
    case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    fields     TEXT NOT NULL,
    typed_at   TEXT NOT NULL,
    PRIMARY KEY (typed_by, form)
);
CREATE INDEX form_drafts_meeting ON form_drafts(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX form_drafts_case ON form_drafts(case_id) WHERE case_id IS NOT NULL;
";

/// The review basis of the followed cases `$cases` (an SQL condition on the case `c`), as step
/// 14 keeps it: what `CaseRules::next_review` makes a case's review date of, without the rules
/// (a user's config): the date set when it stands (`fixed`: set, and no meeting held on a later
/// day than it was set), else the day the rules' interval counts from (`base`: the last meeting
/// held or the day the case was reopened, whichever is later, else the day it was opened), the
/// risk, and the body of the last meeting held with its kind and own interval. Days are the
/// ones `store::report::iso_day` reads (a text that is no day is none). The last meeting held is
/// the latest date, then the highest id, of the live links, as the ledger's row takes it.
macro_rules! review_basis_of {
    ($($cases:literal),+) => {
        concat!(
            "SELECT id,
    CASE WHEN stands THEN setd END,
    CASE WHEN NOT stands THEN COALESCE(last, opened) END,
    risk, body_id IS NOT NULL, COALESCE(kind, ''), COALESCE(own, 0), body_id
FROM (SELECT f.*, f.setd IS NOT NULL AND (f.last IS NULL
            OR (f.set_on IS NOT NULL AND f.set_on >= f.last)
            OR (f.set_on IS NULL AND f.setd > f.last)) AS stands
    FROM (SELECT g.id, g.risk, g.opened, g.setd, g.set_on, lb.id AS body_id, lb.kind,
            lb.review_months AS own,
            CASE WHEN lm.date IS NULL OR date(lm.date) IS NOT lm.date THEN g.reopened
                WHEN g.reopened IS NULL THEN lm.date
                ELSE max(lm.date, g.reopened) END AS last
        FROM (SELECT c.id, c.risk,
                CASE WHEN date(c.opened) = c.opened THEN c.opened END AS opened,
                CASE WHEN date(c.next_review) = c.next_review THEN c.next_review END AS setd,
                (SELECT CASE WHEN date(s) = s THEN s END FROM
                    (SELECT max(date(julianday(x.at) + 0.375), COALESCE(xm.date, '')) AS s
                     FROM case_changes x LEFT JOIN meetings xm ON xm.id = x.meeting_id
                     WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'next_review'
                     ORDER BY julianday(x.at) DESC, x.id DESC LIMIT 1)) AS set_on,
                (SELECT date(MAX(julianday(x.at)) + 0.375) FROM case_changes x
                 WHERE x.case_id = c.id AND x.entity = 'case' AND x.field = 'status'
                   AND x.old_value IN ('closed', 'suspended', 'transferred')
                   AND x.new_value IN ('open', 'active', 'monitoring')) AS reopened,
                (SELECT m.id FROM meeting_cases k INDEXED BY meeting_cases_live
                 JOIN meetings m INDEXED BY meetings_held ON m.id = k.meeting_id
                 WHERE k.case_id = c.id AND k.deleted_at IS NULL AND m.status = 'held'
                 ORDER BY m.date DESC, m.id DESC LIMIT 1) AS held_id
            FROM cases c
            WHERE ",
            $($cases),+,
            " AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f)"
        )
    };
}

/// Step 14's refresh of the cases `$cases` (an SQL list): their rows taken out, then those of
/// them still followed written again from what they are made of now.
macro_rules! review_basis_refresh {
    ($cases:literal) => {
        concat!(
            "DELETE FROM case_review_basis WHERE case_id IN (",
            $cases,
            ");
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) ",
            review_basis_of!("c.id IN (", $cases, ")"),
            ";"
        )
    };
}

/// Every followed case's review basis made again from what it is made of
/// (`Store::review_basis_stale` holds the kept one to it).
pub(crate) const REVIEW_BASIS: &str = review_basis_of!("1");

/// The home screen's overdue reviews as indexes (issue 21 item 3): each followed case's review
/// basis (see [`review_basis_of`]) kept in `case_review_basis` by triggers on everything it is
/// made of — the case, its links, the meetings they name (held, cancelled, moved, another body),
/// the changes that set a review date or reopened it, the body's kind and interval — in the
/// transaction of the write itself, so that it cannot go stale. `Store::review_counts` then
/// reads only the cases due: those whose date set is past (an index by that date), and for each
/// group of cases that the rules give one interval (risk, kind, own interval), those whose base
/// is older than today less that interval (an index by group and base). The rules stay the
/// user's config, applied when read. A body's last meeting held gets an index of its own (the
/// home's bodies and listing read it for every body).
const V14: &str = concat!(
    "CREATE TABLE case_review_basis (
    case_id  INTEGER PRIMARY KEY,
    fixed    TEXT,
    base     TEXT,
    risk     TEXT NOT NULL,
    has_body INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    own      INTEGER NOT NULL,
    body_id  INTEGER
);
CREATE INDEX case_review_basis_fixed ON case_review_basis(fixed, body_id) WHERE fixed IS NOT NULL;
CREATE INDEX case_review_basis_rule ON case_review_basis(risk, has_body, kind, own, base, body_id)
    WHERE fixed IS NULL AND base IS NOT NULL;
CREATE INDEX case_review_basis_body ON case_review_basis(body_id);
CREATE INDEX case_changes_review_meeting ON case_changes(meeting_id)
    WHERE entity = 'case' AND field = 'next_review';
CREATE INDEX meetings_held_by_body ON meetings(body_id, date, id) WHERE status = 'held';
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) ",
    review_basis_of!("1"),
    ";
CREATE TRIGGER review_basis_case_insert AFTER INSERT ON cases BEGIN ",
    review_basis_refresh!("NEW.id"),
    " END;
CREATE TRIGGER review_basis_case_update AFTER UPDATE OF id, status, opened, next_review, risk
ON cases BEGIN ",
    review_basis_refresh!("OLD.id, NEW.id"),
    " END;
CREATE TRIGGER review_basis_case_delete AFTER DELETE ON cases BEGIN
DELETE FROM case_review_basis WHERE case_id = OLD.id; END;
CREATE TRIGGER review_basis_link_insert AFTER INSERT ON meeting_cases BEGIN ",
    review_basis_refresh!("NEW.case_id"),
    " END;
CREATE TRIGGER review_basis_link_update AFTER UPDATE OF meeting_id, case_id, deleted_at
ON meeting_cases BEGIN ",
    review_basis_refresh!("OLD.case_id, NEW.case_id"),
    " END;
CREATE TRIGGER review_basis_link_delete AFTER DELETE ON meeting_cases BEGIN ",
    review_basis_refresh!("OLD.case_id"),
    " END;
CREATE TRIGGER review_basis_meeting_update AFTER UPDATE OF id, status, date, body_id ON meetings
WHEN OLD.id IS NOT NEW.id OR OLD.status IS NOT NEW.status OR OLD.date IS NOT NEW.date
    OR OLD.body_id IS NOT NEW.body_id BEGIN ",
    review_basis_refresh!(
        "SELECT case_id FROM meeting_cases WHERE meeting_id IN (OLD.id, NEW.id)
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id IN (OLD.id, NEW.id) AND entity = 'case' AND field = 'next_review'"
    ),
    " END;
CREATE TRIGGER review_basis_meeting_delete AFTER DELETE ON meetings BEGIN ",
    review_basis_refresh!(
        "SELECT case_id FROM meeting_cases WHERE meeting_id = OLD.id
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id = OLD.id AND entity = 'case' AND field = 'next_review'"
    ),
    " END;
CREATE TRIGGER review_basis_change_insert AFTER INSERT ON case_changes
WHEN NEW.entity = 'case' AND NEW.field IN ('next_review', 'status') BEGIN ",
    review_basis_refresh!("NEW.case_id"),
    " END;
CREATE TRIGGER review_basis_change_update AFTER UPDATE ON case_changes
WHEN (OLD.entity = 'case' AND OLD.field IN ('next_review', 'status'))
    OR (NEW.entity = 'case' AND NEW.field IN ('next_review', 'status')) BEGIN ",
    review_basis_refresh!("OLD.case_id, NEW.case_id"),
    " END;
CREATE TRIGGER review_basis_change_delete AFTER DELETE ON case_changes
WHEN OLD.entity = 'case' AND OLD.field IN ('next_review', 'status') BEGIN ",
    review_basis_refresh!("OLD.case_id"),
    " END;
CREATE TRIGGER review_basis_body_update AFTER UPDATE OF id, kind, review_months ON bodies
WHEN OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind
    OR OLD.review_months IS NOT NEW.review_months BEGIN
UPDATE case_review_basis SET body_id = NEW.id, kind = NEW.kind, own = COALESCE(NEW.review_months, 0)
WHERE body_id = OLD.id; END;
"
);

/// The texts a held meeting records of a person — its facilitator, recorder, case subject and
/// key person, and its attendees not removed — and every name a household was given, each once
/// with the kind it came as (an SQL query of `text, kind`, blank texts left out): what the
/// report and the case ledger mask (`Store::recorded_people`), as step 15 fills
/// `recorded_texts` from it and `store::recorded` checks the kept table against it.
macro_rules! recorded_texts {
    () => {
        "
SELECT facilitator, 'facilitator' FROM meetings WHERE status = 'held' AND facilitator <> ''
UNION SELECT recorder, 'recorder' FROM meetings WHERE status = 'held' AND recorder <> ''
UNION SELECT case_subject, 'case_subject' FROM meetings
    WHERE status = 'held' AND case_subject <> ''
UNION SELECT key_person, 'key_person' FROM meetings WHERE status = 'held' AND key_person <> ''
UNION SELECT t.name, 'attendee' FROM attendees t JOIN meetings m ON m.id = t.meeting_id
    WHERE m.status = 'held' AND t.deleted_at IS NULL AND t.name <> ''
UNION SELECT name, 'household' FROM case_members WHERE name <> ''"
    };
}

/// The texts a case records of a person beside its household (schema step 18): its key person
/// and who gave consent, and the key person said of it at each meeting — `recorded_texts!`'s
/// other half, as an SQL `UNION` of `text, kind` rows (kind `key_person`: a text that is no
/// person's name, `本人` or an agency, is no person as one).
macro_rules! case_people {
    () => {
        "
UNION SELECT key_person, 'key_person' FROM cases WHERE key_person <> ''
UNION SELECT consent_by, 'key_person' FROM cases WHERE consent_by <> ''
UNION SELECT key_person, 'key_person' FROM meeting_cases WHERE key_person <> ''"
    };
}

pub(crate) const RECORDED_TEXTS: &str = concat!(recorded_texts!(), case_people!());

/// What step 15's triggers on a meeting `NEW` keep of it, when it is (or becomes) held: its
/// four texts and its attendees' names.
macro_rules! recorded_of_meeting {
    () => {
        "INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT t, k FROM (
    SELECT NEW.facilitator AS t, 'facilitator' AS k UNION ALL SELECT NEW.recorder, 'recorder'
    UNION ALL SELECT NEW.case_subject, 'case_subject'
    UNION ALL SELECT NEW.key_person, 'key_person'
    UNION ALL SELECT name, 'attendee' FROM attendees
        WHERE meeting_id = NEW.id AND deleted_at IS NULL) WHERE t <> '';"
    };
}

/// The people the report and the case ledger mask as a table (issue 18 item 6, issue 21 item
/// 3), where every load of either read the distinct texts of every held meeting and attendee:
/// each text once per kind it came as (`RECORDED_TEXTS`), kept by triggers in the transaction
/// of every write that records one — a meeting inserted or changed while held or made held, an
/// attendee added, renamed, moved or restored on a held meeting, a household member added or
/// renamed, whatever writes it (capture, import, merge, undo). Nothing is taken out: a text
/// once recorded stays masked when its meeting is cancelled, its attendee removed or its
/// member deleted — masking more, never less, than the records of the moment. The whole city
/// (every ward and year), as the report's rule is: a name of another ward typed into this
/// one's cell is a person too.
const V15: &str = concat!(
    "CREATE TABLE recorded_texts (
    text TEXT NOT NULL,
    -- Comparisons, not `kind IN (…)`: SQLite tests a list of more than two values by building
    -- a table for it at every row written, and a trigger writes here for every attendee.
    kind TEXT NOT NULL CHECK (kind = 'facilitator' OR kind = 'recorder' OR kind = 'case_subject'
         OR kind = 'key_person' OR kind = 'attendee' OR kind = 'household'),
    PRIMARY KEY (text, kind)
) WITHOUT ROWID;
INSERT OR IGNORE INTO recorded_texts (text, kind) ",
    recorded_texts!(),
    ";
CREATE TRIGGER recorded_meeting_insert AFTER INSERT ON meetings WHEN NEW.status = 'held' BEGIN ",
    recorded_of_meeting!(),
    " END;
CREATE TRIGGER recorded_meeting_update
AFTER UPDATE OF id, status, facilitator, recorder, case_subject, key_person ON meetings
WHEN NEW.status = 'held' BEGIN ",
    recorded_of_meeting!(),
    " END;
CREATE TRIGGER recorded_attendee_insert AFTER INSERT ON attendees
WHEN NEW.deleted_at IS NULL AND NEW.name <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT NEW.name, 'attendee'
    WHERE EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND status = 'held'); END;
CREATE TRIGGER recorded_attendee_update AFTER UPDATE OF meeting_id, name, deleted_at ON attendees
WHEN NEW.deleted_at IS NULL AND NEW.name <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT NEW.name, 'attendee'
    WHERE EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND status = 'held'); END;
CREATE TRIGGER recorded_member_insert AFTER INSERT ON case_members WHEN NEW.name <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) VALUES (NEW.name, 'household'); END;
CREATE TRIGGER recorded_member_update AFTER UPDATE OF name ON case_members
WHEN NEW.name <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) VALUES (NEW.name, 'household'); END;
"
);

/// The date of the latest meeting held of the body `$body` (an SQL expression), `NULL` when it
/// held none: one seek in `meetings_held_by_body`.
macro_rules! last_held_of {
    ($body:literal) => {
        concat!(
            "(SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = ",
            $body,
            " AND m.status = 'held')"
        )
    };
}

/// What `body_last_held` must hold, worked out from the meetings: each body's latest meeting held.
pub const LAST_HELD: &str = concat!("SELECT b.id, ", last_held_of!("b.id"), " FROM bodies b");

/// Each body's latest meeting held, kept by triggers in the transaction of every write of a
/// meeting or a body (issue 21 item 3): the home's upcoming list reads the bodies in the order
/// of that date (`body_last_held_by_date`) to find its first screen — the overdue windows that
/// began earliest — without working out the windows of every body of a city
/// (`upcoming::first_lines`). The date is that of the latest meeting held whatever its date
/// (one dated after today too): what the list makes of it is the list's.
const V16: &str = concat!(
    "CREATE TABLE body_last_held (
    body_id INTEGER PRIMARY KEY REFERENCES bodies(id) ON DELETE CASCADE,
    held    TEXT
);
CREATE INDEX body_last_held_by_date ON body_last_held(held, body_id);
INSERT INTO body_last_held (body_id, held) ",
    "SELECT b.id, ",
    last_held_of!("b.id"),
    " FROM bodies b;
CREATE TRIGGER last_held_body_insert AFTER INSERT ON bodies BEGIN
INSERT OR REPLACE INTO body_last_held (body_id, held) VALUES (NEW.id, ",
    last_held_of!("NEW.id"),
    "); END;
CREATE TRIGGER last_held_body_renumber AFTER UPDATE OF id ON bodies BEGIN
DELETE FROM body_last_held WHERE body_id = OLD.id;
INSERT OR REPLACE INTO body_last_held (body_id, held) VALUES (NEW.id, ",
    last_held_of!("NEW.id"),
    "); END;
CREATE TRIGGER last_held_body_delete AFTER DELETE ON bodies BEGIN
DELETE FROM body_last_held WHERE body_id = OLD.id; END;
CREATE TRIGGER last_held_meeting_insert AFTER INSERT ON meetings WHEN NEW.status = 'held' BEGIN
UPDATE body_last_held SET held = ",
    last_held_of!("NEW.body_id"),
    " WHERE body_id = NEW.body_id; END;
CREATE TRIGGER last_held_meeting_update AFTER UPDATE OF body_id, date, status ON meetings
WHEN OLD.status = 'held' OR NEW.status = 'held' BEGIN
UPDATE body_last_held SET held = ",
    last_held_of!("body_last_held.body_id"),
    " WHERE body_id = OLD.body_id OR body_id = NEW.body_id; END;
CREATE TRIGGER last_held_meeting_delete AFTER DELETE ON meetings WHEN OLD.status = 'held' BEGIN
UPDATE body_last_held SET held = ",
    last_held_of!("OLD.body_id"),
    " WHERE body_id = OLD.body_id; END;
"
);

/// A case's own people in `recorded_texts` (attack report 6, finding 3): the key person the
/// case names (often a relative outside the household: `叔母 山田 花子`), who gave consent, and
/// the key person said of the case at a meeting were masked in the case's record but printed
/// whole by the redacted minutes, the ledger and the published report, which know
/// `recorded_texts` only. Filled from every case and link (removed ones too: a text once
/// recorded stays), and kept by triggers on every write of those fields, as step 15's are.
const V18: &str = concat!(
    "INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT * FROM (SELECT '', '' WHERE 0 ",
    case_people!(),
    ");
CREATE TRIGGER recorded_case_insert AFTER INSERT ON cases BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT t, 'key_person' FROM (
    SELECT NEW.key_person AS t UNION ALL SELECT NEW.consent_by) WHERE t <> ''; END;
CREATE TRIGGER recorded_case_update AFTER UPDATE OF key_person, consent_by ON cases BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT t, 'key_person' FROM (
    SELECT NEW.key_person AS t UNION ALL SELECT NEW.consent_by) WHERE t <> ''; END;
CREATE TRIGGER recorded_link_insert AFTER INSERT ON meeting_cases WHEN NEW.key_person <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) VALUES (NEW.key_person, 'key_person'); END;
CREATE TRIGGER recorded_link_update AFTER UPDATE OF key_person ON meeting_cases
WHEN NEW.key_person <> '' BEGIN
INSERT OR IGNORE INTO recorded_texts (text, kind) VALUES (NEW.key_person, 'key_person'); END;
"
);

/// A review's draft keeps what its form opened on (attack report 5, finding 2): the case's
/// revision and that of its review at the meeting (`Seen`), so that a draft put back after a
/// kill is refused over a colleague's review or change made meanwhile, as a live form is. A
/// case revision NULL: a draft kept before this step (its form opens on the case as it is now,
/// as it did); a review revision NULL beside a case revision: the case had no review there.
const REVIEW_DRAFTS_SEEN: &str = "
ALTER TABLE review_drafts ADD COLUMN case_rev INTEGER;
ALTER TABLE review_drafts ADD COLUMN review_rev INTEGER;
";

/// The recorded texts by the keys of their forms (attack report 6, finding 14): a redaction
/// looks up the few people a document may name (`store::recorded::people_in`) instead of
/// building patterns for everyone recorded. The keys are folded as the scanner folds (in Rust),
/// so a trigger only notes each new text in `recorded_unkeyed`, and the next redacting read keys
/// it (or, in a database it cannot write, reads it from there). (The trigger's name is not
/// `recorded_…`: a bulk write sets those aside and fills `recorded_texts` in one statement,
/// which this one must see.)
const RECORDED_KEYS: &str = "
CREATE TABLE recorded_keys (
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (key, text)
) WITHOUT ROWID;
CREATE TABLE recorded_unkeyed (text TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO recorded_unkeyed (text) SELECT text FROM recorded_texts;
CREATE TRIGGER unkeyed_recorded_text AFTER INSERT ON recorded_texts BEGIN
INSERT OR IGNORE INTO recorded_unkeyed (text) VALUES (NEW.text); END;
";

/// Step 20: the CHECKs that name more than two values, as comparisons with the same meaning
/// (`role = 'facilitator' OR role = 'recorder' OR …` for `role IN ('facilitator', …)`). SQLite
/// tests an `IN` list of more than two values by building a small temporary b-tree at every run
/// of a statement that checks it — for every attendee, action and meeting written, 31 000 times
/// in the import of a scale-10 export — where comparisons are tested in place (recorded_texts'
/// CHECK was written so, step 15). NULL passes both (neither is false) and both compare as the
/// column's affinity and collation, so a value refused before is refused now, and one accepted
/// accepted (`checks_as_comparisons_refuse_and_accept_what_they_did`).
///
/// A CHECK is in no row: SQLite's own procedure for changing one (lang_altertable §7,
/// "removing CHECK … constraints") edits the table's definition in `sqlite_schema` inside the
/// migration's transaction, no row read or written (a city's database migrates at once, where
/// rebuilding the tables would copy every meeting, attendee and action with their indexes and
/// triggers). [`edit_definitions`] raises the schema's version (every other connection reads
/// the definitions again) and reads them again itself, failing the migration at once if one
/// does not parse. Each replacement names the CHECK's text exactly as the steps above wrote it:
/// a definition written otherwise keeps its `IN` (slower, with the same meaning).
const CHECKS_AS_COMPARISONS: &str = "
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''planned'', ''held'', ''cancelled''))',
    'CHECK (status = ''planned'' OR status = ''held'' OR status = ''cancelled'')')
WHERE type = 'table' AND name = 'meetings';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (role IN (''facilitator'', ''recorder'',
                 ''secretariat'', ''coordinator'', ''supervisor'', ''member'', ''person'', ''family'', ''observer''))',
    'CHECK (role = ''facilitator'' OR role = ''recorder'' OR role = ''secretariat''
                 OR role = ''coordinator'' OR role = ''supervisor'' OR role = ''member''
                 OR role = ''person'' OR role = ''family'' OR role = ''observer'')'),
    'CHECK (attendance IN (''present'', ''absent'', ''late'', ''left_early''))',
    'CHECK (attendance = ''present'' OR attendance = ''absent'' OR attendance = ''late''
                 OR attendance = ''left_early'')')
WHERE type = 'table' AND name = 'attendees';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''open'', ''done'', ''dropped''))',
    'CHECK (status = ''open'' OR status = ''done'' OR status = ''dropped'')')
WHERE type = 'table' AND name = 'next_actions';
UPDATE sqlite_schema SET sql = replace(replace(replace(replace(sql,
    'CHECK (status IN (''open'', ''active'', ''monitoring'',
                   ''closed'', ''suspended'', ''transferred''))',
    'CHECK (status = ''open'' OR status = ''active'' OR status = ''monitoring''
                   OR status = ''closed'' OR status = ''suspended'' OR status = ''transferred'')'),
    'CHECK (consent IN (''given'', ''not_given'', ''unknown''))',
    'CHECK (consent = ''given'' OR consent = ''not_given'' OR consent = ''unknown'')'),
    'CHECK (risk IN ('''', ''high'', ''medium'', ''low''))',
    'CHECK (risk = '''' OR risk = ''high'' OR risk = ''medium'' OR risk = ''low'')'),
    'CHECK (urgency IN ('''', ''high'', ''medium'', ''low''))',
    'CHECK (urgency = '''' OR urgency = ''high'' OR urgency = ''medium'' OR urgency = ''low'')')
WHERE type = 'table' AND name = 'cases';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''open'', ''active'', ''monitoring'', ''closed'',
                   ''suspended'', ''transferred''))',
    'CHECK (status = ''open'' OR status = ''active'' OR status = ''monitoring''
                   OR status = ''closed'' OR status = ''suspended'' OR status = ''transferred'')')
WHERE type = 'table' AND name = 'review_drafts';
";

/// Step 21: the open actions with what the actions screen sorts them by (issue 21 item 3), in
/// a narrow index of their own: their meeting (whose body gives the ward), agency and due date,
/// the id beside (every index holds the rowid). `Store::open_action_order` reads the order of
/// every open action from it and the meetings' narrow index (`meetings_case_facts`), where it
/// read each action's row — a page of text each, scattered over a city's 18 GB (60 % of the
/// screen's opening was those seeks). In meeting order, the meetings are read in their own
/// order too. Only open, not removed actions are in it: a done one leaves it. Its status and
/// removal (the same in every entry) are columns too: the query tests them, and an index
/// SQLite reads without the table must hold every column the query names (SQLite 3.40 took a
/// partial index without them for one that needs the rows).
const OPEN_ACTIONS_ORDER: &str = "
CREATE INDEX next_actions_open_order
    ON next_actions(meeting_id, agency_id, due_date, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;
";

/// Step 22: what the annual report counts of a year, each in a narrow index of its own that
/// holds every column the report's statements name (issue 21 item 3, `report --by-ward` of a
/// city under 5 s). The report found the year's held meetings by date and read each one's row —
/// a page of long texts each, scattered over a city's 18 GB — then each attendee's, issue's
/// and action's row by its meeting: seven statements, each reading the year's meeting rows
/// again, 1.1 million pages of 4 kB through the OS for a year of 125 000 meetings (a third of
/// the time was the kernel's). From these the report reads only index pages:
/// - the held meetings by date and id (the order the report reads them in), with their body,
///   referring agency, supervisor flag and basis (short codes) and status;
/// - a meeting's attendees with their removal, attendance and agency;
/// - a meeting's next actions with their removal, id (their order as before), agency, due date
///   and status;
/// - a meeting's case issues with their removal, id (their order), category and case.
///
/// Each column a statement tests is in the index (SQLite reads an index without the table
/// only when it holds every column named). The migration scans each of the four tables once
/// and sorts the entries with the migration's 16 MB page cache. A database set back to an
/// earlier version with these indexes kept (a test of step 21 does so) migrates past them.
const REPORT_COVERING: &str = "
CREATE INDEX IF NOT EXISTS meetings_held_by_date
    ON meetings(date, id, body_id, referred_by, supervisor, basis, status)
    WHERE status = 'held';
CREATE INDEX IF NOT EXISTS attendees_came
    ON attendees(meeting_id, deleted_at, attendance, agency_id);
CREATE INDEX IF NOT EXISTS next_actions_of_meeting
    ON next_actions(meeting_id, deleted_at, id, agency_id, due_date, status);
CREATE INDEX IF NOT EXISTS case_issues_of_meeting
    ON case_issues(meeting_id, deleted_at, id, category, case_id);
";

/// Step 23: the case issues by their category, for the categories a meeting's issue picker
/// offers (`Store::issue_categories`): each a seek from the one before, where every issue of the
/// database was read and grouped at each reading of a meeting's screen — after every capture
/// and a colleague's every write, 73 ms on a ward, more than a second on a city (1.7 million
/// issues, 17 categories). Only live issues with a category are in it, as only those are offered.
const ISSUE_CATEGORIES: &str = "
CREATE INDEX IF NOT EXISTS case_issues_category
    ON case_issues(category) WHERE deleted_at IS NULL AND category <> '';
";

/// Each window of renkei keeps its own drafts of a form (`store::drafts`): the process that
/// kept a draft is part of its key, so that two windows of one login typing in the same form
/// (two SSH sessions, two terminals) no longer write over each other's draft, and a window's
/// save or Esc no longer lets go of the other's — a kill of that other window lost what it had
/// typed. A draft kept before this step has no process (''), as one kept by a window that has
/// ended: the next window that opens its form takes it up.
const DRAFTS_PER_PROCESS: &str = "
CREATE TABLE form_drafts_by_process (
    typed_by   TEXT NOT NULL,
    -- Which form: `entry 12 note 5` (a note under item 5 of meeting 12), `case 7` …
    form       TEXT NOT NULL,
    -- The window that kept it: this boot of the machine, the process and when it started.
    process    TEXT NOT NULL DEFAULT '',
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE CASCADE,
    case_id    INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    fields     TEXT NOT NULL,
    typed_at   TEXT NOT NULL,
    PRIMARY KEY (typed_by, form, process)
);
INSERT INTO form_drafts_by_process (typed_by, form, meeting_id, case_id, fields, typed_at)
    SELECT typed_by, form, meeting_id, case_id, fields, typed_at FROM form_drafts;
DROP TABLE form_drafts;
ALTER TABLE form_drafts_by_process RENAME TO form_drafts;
CREATE INDEX form_drafts_meeting ON form_drafts(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX form_drafts_case ON form_drafts(case_id) WHERE case_id IS NOT NULL;
";

/// Which rows an import wrote from a file (attack of 2026-12-05, round 31, finding 1): their
/// author and time (`created_by`, `created_at`; a change's `by`, `at`) are what the file says,
/// not what this database saw, and the audit shows them so — with who imported them, and when
/// (`origin`: the `import` line of the audit that wrote the row). A hand-made file wrote lines
/// in other logins' names, dated as it liked, that the audit showed as if made here. NULL:
/// entered in this database (or imported before this step, which kept no mark).
const FROM_FILES: &str = "
ALTER TABLE meetings ADD COLUMN origin INTEGER;
ALTER TABLE attendees ADD COLUMN origin INTEGER;
ALTER TABLE agenda_entries ADD COLUMN origin INTEGER;
ALTER TABLE role_assignments ADD COLUMN origin INTEGER;
ALTER TABLE next_actions ADD COLUMN origin INTEGER;
ALTER TABLE changes ADD COLUMN origin INTEGER;
";

/// Brings the database up to [`LATEST`], refusing one made by a newer renkei.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    cases_before_views(conn)?;
    apply_from(conn, MIGRATIONS, true)
}

/// The views (step 6) and the cases (step 7) were written at the same time, each as step 6: a
/// database made by a build that had the cases first is at version 6 with the cases and without
/// the views. It is given the views and goes on from version 7, so that both orders upgrade.
fn cases_before_views(conn: &mut Connection) -> Result<(), StoreError> {
    if user_version(conn)? != 6 {
        return Ok(());
    }
    let cases_first: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases')
            AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'held_meetings')",
        [],
        |r| r.get(0),
    )?;
    if !cases_first {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(V6)?;
    tx.pragma_update(None, "user_version", 7)?;
    tx.commit()?;
    Ok(())
}

/// Applies the steps the database has not seen yet, all in one transaction: a failing step
/// leaves the database at the version it had.
#[cfg(test)]
fn apply_steps(conn: &mut Connection, steps: &[&str]) -> Result<u32, StoreError> {
    apply_from(conn, steps, false)
}

/// `direct`: `steps` are [`MIGRATIONS`], and a new database is made at [`direct::VERSION`] at
/// once before the steps after it.
fn apply_from(conn: &mut Connection, steps: &[&str], direct: bool) -> Result<u32, StoreError> {
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
    // A step that rebuilds a table drops the old one: with foreign keys on, that would delete
    // (ON DELETE CASCADE) what refers to it. Off for the migration — the switch is ignored inside
    // a transaction, so it comes first — and every reference checked before the commit.
    let keys: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    // A step that rebuilds tables writes every row and index again: a page cache of 16 MB
    // rather than SQLite's default 2 MB, for the migration only — the import's, within the
    // 64 MB every command keeps to (issue 21 item 1). It was 64 MB: a city's step 21 (an index
    // made over its 18 GB) peaked at 102 MB, W's at 63 MB; SQLite's sorter sizes itself by it.
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -16384)?;
    let result = apply_in_transaction(conn, steps, version, direct);
    conn.pragma_update(None, "cache_size", cache)?;
    conn.pragma_update(None, "foreign_keys", keys)?;
    result.map(|()| latest)
}

fn apply_in_transaction(
    conn: &mut Connection,
    steps: &[&str],
    version: u32,
    direct: bool,
) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // The version read before the write lock may be stale: another process opening the same
    // new database at the same moment (two colleagues, the TUI and an import) may have
    // migrated it meanwhile. Read again under the lock and go on from there.
    let mut version = version.max(user_version(&tx)?);
    if direct && version == 0 && steps.len() >= direct::VERSION as usize {
        let empty: bool =
            tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema)", [], |r| {
                r.get(0)
            })?;
        if empty {
            version = direct::create(&tx)?;
        }
    }
    let latest = steps.len() as u32;
    if version > latest {
        return Err(StoreError::TooNew {
            found: version,
            supported: latest,
        });
    }
    let mut rebuilt = Vec::new();
    for (index, step) in steps.iter().enumerate().skip(version as usize) {
        if step.contains("PRAGMA writable_schema = ON") {
            edit_definitions(&tx, step)?;
        } else if let Some(columns) = added_columns(step) {
            add_missing_columns(&tx, &columns)?;
        } else {
            tx.execute_batch(step)?;
        }
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        rebuilt.extend(dropped_tables(step));
    }
    let broken = dangling(&tx, &rebuilt)?;
    if let Some(table) = broken {
        return Err(StoreError::Invalid(format!(
            "the database could not be upgraded: a row of {table} refers to one that does not exist (it was left as it was)"
        )));
    }
    tx.commit()?;
    Ok(())
}

/// A step made only of `ALTER TABLE t ADD COLUMN c …;` statements: each statement with its
/// table and column. SQLite has no `ADD COLUMN IF NOT EXISTS`, and a database set back to an
/// earlier version with its later structures kept (as a test of step 21 does) runs the steps
/// after it again.
fn added_columns(step: &str) -> Option<Vec<(&str, &str, &str)>> {
    let statements: Vec<&str> = step
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    statements
        .iter()
        .map(|statement| {
            let mut words = statement.split_whitespace();
            match (
                words.next(),
                words.next(),
                words.next(),
                words.next(),
                words.next(),
                words.next(),
            ) {
                (
                    Some("ALTER"),
                    Some("TABLE"),
                    Some(table),
                    Some("ADD"),
                    Some("COLUMN"),
                    Some(c),
                ) => Some((*statement, table, c)),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()
        .filter(|columns| !columns.is_empty())
}

/// Each column of [`added_columns`] the table does not have yet, added.
fn add_missing_columns(tx: &Connection, columns: &[(&str, &str, &str)]) -> Result<(), StoreError> {
    for &(statement, table, column) in columns {
        let has: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
            [table, column],
            |r| r.get(0),
        )?;
        if !has {
            tx.execute_batch(statement)?;
        }
    }
    Ok(())
}

/// The tables a step drops (each made again under its name, or gone), but the search index
/// (step 24): a virtual table no key refers to.
fn dropped_tables(step: &str) -> impl Iterator<Item = &str> {
    step.match_indices("DROP TABLE ")
        .map(|(at, drop)| {
            let rest = step[at + drop.len()..].trim_start_matches("IF EXISTS ");
            rest.split(|c: char| c == ';' || c.is_whitespace())
                .next()
                .unwrap_or_default()
        })
        .filter(|table| !table.is_empty() && *table != "search_fts")
}

/// After the steps that rebuilt `rebuilt`: the table of a row left referring to one that does
/// not exist, if any. Only a rebuilt table can leave one: when another table refers to one of
/// them (it may have lost rows) every row of the database is checked — most of a minute on a
/// city's 10 GB; when none does, only the rebuilt tables' own rows (copied, they may refer to
/// rows that are not there). A step that only adds views or indexes checks nothing.
fn dangling(tx: &Connection, rebuilt: &[&str]) -> Result<Option<String>, StoreError> {
    let mut referred = false;
    for table in rebuilt {
        referred |= tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema s, pragma_foreign_key_list(s.name) k
                 WHERE s.type = 'table' AND k.\"table\" = ?1 COLLATE NOCASE)",
            [table],
            |r| r.get::<_, bool>(0),
        )?;
    }
    if referred {
        return Ok(tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?);
    }
    for table in rebuilt {
        let broken: Option<String> = tx
            .query_row(
                "SELECT k.\"table\" FROM sqlite_schema s, pragma_foreign_key_check(s.name) k
                 WHERE s.type = 'table' AND s.name = ?1 COLLATE NOCASE LIMIT 1",
                [table],
                |r| r.get(0),
            )
            .optional()?;
        if broken.is_some() {
            return Ok(broken);
        }
    }
    Ok(None)
}

/// A step that edits definitions in `sqlite_schema` (step 20), as SQLite's procedure has it:
/// the schema's version raised, so that every connection reads the definitions again once the
/// transaction commits, and read again here at once — a definition that does not parse fails
/// the migration here (rolled back, the database as it was), not a later statement. Editing
/// is off again whatever happened.
fn edit_definitions(tx: &Connection, step: &str) -> Result<(), StoreError> {
    let edited = (|| -> Result<(), StoreError> {
        let version: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "schema_version", version + 1)?;
        Ok(())
    })();
    // RESET: editing off, and the definitions read again by the next statement.
    let reset = tx.execute_batch("PRAGMA writable_schema = RESET");
    edited?;
    reset?;
    tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(())
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
            "wards",
            "cases",
            "case_members",
            "case_plans",
            "case_plan_items",
            "meeting_cases",
            "case_changes",
            "case_upgrade",
            "case_reviews",
            "action_reviews",
            "review_drafts",
            "recorded_texts",
        ] {
            assert!(names.contains(&t.to_owned()), "missing table {t}");
        }
        // Running again is a no-op.
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
    }

    #[test]
    fn a_database_that_had_the_cases_as_step_6_gets_the_views_and_both_orders_end_alike() {
        let views = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();
        // The cases' build: V1..V5 then the cases as step 6.
        let mut early = Connection::open_in_memory().unwrap();
        apply_steps(&mut early, &[V1, V2, V3, V4, V5, V7]).unwrap();
        early
            .execute_batch(
                "INSERT INTO cases (pseudonym, pseudonym_key, created_at, updated_at)
                 VALUES ('A世帯', 'A世帯', 'x', 'x');",
            )
            .unwrap();
        assert_eq!(migrate(&mut early).unwrap(), LATEST);
        assert_eq!(views(&early), views(&fresh));
        assert_eq!(tables(&early), tables(&fresh));
        let kept: i64 = early
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1);
        // The views' build (V1..V6) takes the cases as step 7.
        let mut city = Connection::open_in_memory().unwrap();
        apply_steps(&mut city, &[V1, V2, V3, V4, V5, V6]).unwrap();
        assert_eq!(migrate(&mut city).unwrap(), LATEST);
        assert_eq!(views(&city), views(&fresh));
        assert_eq!(tables(&city), tables(&fresh));
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

    /// A database of every earlier version, with records written by that version's renkei,
    /// comes up to the latest: its records kept, indexed for search, read by the views with
    /// renkei's rules (held only, fiscal years from April, its ward, removed records left out).
    #[test]
    fn every_earlier_version_upgrades_to_the_latest_with_search_and_views() {
        for from in 1..LATEST as usize {
            let mut conn = Connection::open_in_memory().unwrap();
            apply_steps(&mut conn, &MIGRATIONS[..1]).unwrap();
            conn.execute_batch(
                "INSERT INTO agencies (name) VALUES ('地域包括支援センター');
                 INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
                 INSERT INTO meetings (body_id, date, place, status, created_at, updated_at) VALUES
                     (1, '2021-03-31', '区役所3階', 'held', 'x', 'x'),
                     (1, '2021-04-01', '', 'held', 'x', 'x'),
                     (1, '2021-05-06', '', 'planned', 'x', 'x');
                 INSERT INTO attendees (meeting_id, position, agency_id, attendance, created_at, updated_at) VALUES
                     (1, 1, 1, 'present', 'x', 'x'), (2, 1, 1, 'absent', 'x', 'x');
                 INSERT INTO next_actions (meeting_id, agency_id, text, created_at, updated_at, deleted_at) VALUES
                     (1, 1, '訪問する', 'x', 'x', NULL), (1, 1, '消した', 'x', 'x', 'x');",
            )
            .unwrap();
            if from > 1 {
                apply_steps(&mut conn, &MIGRATIONS[..from]).unwrap();
            }
            assert_eq!(user_version(&conn).unwrap(), from as u32);
            assert_eq!(migrate(&mut conn).unwrap(), LATEST, "from {from}");
            let held: Vec<(String, i32, bool)> = conn
                .prepare("SELECT date, fiscal_year, ward_id IS NOT NULL FROM held_meetings ORDER BY date")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                held,
                [
                    ("2021-03-31".into(), 2020, true),
                    ("2021-04-01".into(), 2021, true)
                ],
                "from {from}"
            );
            let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
            assert_eq!(
                count("SELECT COUNT(*) FROM meeting_agencies"),
                1,
                "from {from}"
            );
            assert_eq!(
                count("SELECT COUNT(*) FROM open_actions WHERE agency = '地域包括支援センター'"),
                1,
                "from {from}"
            );
            assert_eq!(
                count("SELECT COUNT(*) FROM search_docs WHERE text IN ('区役所3階', '訪問する')"),
                2,
                "from {from}"
            );
            conn.execute(
                "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
            .unwrap();
        }
    }

    /// Step 9 on a step-8 database: bodies keep their content and get no rule of their own
    /// (their kind's holds), the reviews' table is there, and a review's content changed gets a
    /// new revision, as every record's does.
    #[test]
    fn a_step_8_database_gets_the_case_reviews_and_the_bodies_rules() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..8]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, kind, created_at, updated_at)
                 VALUES ('要対協実務者会議', '要保護児童対策地域協議会', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, created_at, updated_at)
                 VALUES (1, '2026-11-20', 'held', 'x', 'x');
             INSERT INTO cases (pseudonym, pseudonym_key, status, created_at, updated_at)
                 VALUES ('A世帯', 'A世帯', 'active', 'x', 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let (ledger, months, rev): (Option<bool>, Option<u32>, i64) = conn
            .query_row(
                "SELECT keeps_ledger, review_months, rev FROM bodies",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((ledger, months), (None, None));
        conn.execute("UPDATE bodies SET review_months = 1", [])
            .unwrap();
        let after: i64 = conn
            .query_row("SELECT rev FROM bodies", [], |r| r.get(0))
            .unwrap();
        assert!(after > rev, "a new rule is a new revision");
        assert!(
            conn.execute("UPDATE bodies SET review_months = 0", [])
                .is_err(),
            "1 to 120 months"
        );
        conn.execute(
            "INSERT INTO case_reviews (meeting_id, case_id, status, created_at, updated_at)
             VALUES (1, 1, 'active', 'x', 'x')",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO case_reviews (meeting_id, case_id, status, created_at, updated_at)
                 VALUES (1, 1, 'closed', 'x', 'x')",
                [],
            )
            .is_err(),
            "one review per meeting and case"
        );
        let rev: i64 = conn
            .query_row("SELECT rev FROM case_reviews", [], |r| r.get(0))
            .unwrap();
        conn.execute("UPDATE case_reviews SET note = '継続'", [])
            .unwrap();
        let after: i64 = conn
            .query_row("SELECT rev FROM case_reviews", [], |r| r.get(0))
            .unwrap();
        assert!(after > rev);
    }

    /// Step 13 on a step-12 database: the review drafts kept, each now its typist's — a second
    /// user's draft of the same meeting and case sits beside the first (before, it replaced
    /// it); form drafts have their table.
    #[test]
    fn a_step_12_database_keeps_its_drafts_and_gets_one_per_user() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..12]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, created_at, updated_at)
                 VALUES (1, '2026-11-20', 'held', 'x', 'x');
             INSERT INTO cases (pseudonym, pseudonym_key, status, created_at, updated_at)
                 VALUES ('A世帯', 'A世帯', 'active', 'x', 'x');
             INSERT INTO review_drafts (meeting_id, case_id, status, note, typed_by, typed_at)
                 VALUES (1, 1, 'monitoring', '佐藤のメモ', 'sato', 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let kept: (String, String, String) = conn
            .query_row(
                "SELECT status, note, typed_by FROM review_drafts",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            kept,
            ("monitoring".into(), "佐藤のメモ".into(), "sato".into())
        );
        conn.execute(
            "INSERT INTO review_drafts (meeting_id, case_id, status, note, typed_by, typed_at)
             VALUES (1, 1, 'active', '鈴木のメモ', 'suzuki', 'x')",
            [],
        )
        .unwrap();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM review_drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        conn.execute(
            "INSERT INTO form_drafts (typed_by, form, meeting_id, fields, typed_at)
             VALUES ('sato', 'meeting 1 case', 1, '{}', 'x')",
            [],
        )
        .unwrap();
        // Gone with their meeting.
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        conn.execute("DELETE FROM meetings", []).unwrap();
        let left: i64 = conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM review_drafts) + (SELECT COUNT(*) FROM form_drafts)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
    }

    /// Step 14 on a step-13 database: every followed case gets its review basis as a
    /// recomputation makes it (a date set standing, a date set overtaken by a later meeting
    /// held, a case never met, an ended case left out), and the triggers keep it from then on.
    #[test]
    fn a_step_13_database_gets_the_review_basis_of_its_followed_cases() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..13]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, kind, review_months, created_at, updated_at)
                 VALUES ('要対協実務者会議', '要保護児童対策地域協議会', 2, 'x', 'x');
             INSERT INTO meetings (body_id, date, status, created_at, updated_at) VALUES
                 (1, '2026-10-20', 'held', 'x', 'x'), (1, '2026-11-20', 'held', 'x', 'x'),
                 (1, '2026-12-20', 'planned', 'x', 'x');
             INSERT INTO cases (pseudonym, pseudonym_key, opened, status, risk, next_review,
                     created_at, updated_at) VALUES
                 ('A世帯', 'A', '2026-04-01', 'active', 'high', '2027-01-10', 'x', 'x'),
                 ('B世帯', 'B', '2026-04-01', 'monitoring', '', '2026-11-01', 'x', 'x'),
                 ('C世帯', 'C', '2026-05-01', 'open', 'low', NULL, 'x', 'x'),
                 ('D世帯', 'D', '2026-05-01', 'closed', '', '2026-12-01', 'x', 'x');
             INSERT INTO meeting_cases (meeting_id, case_id, position, created_at, updated_at)
                 VALUES (1, 1, 1, 'x', 'x'), (2, 2, 1, 'x', 'x'), (3, 2, 2, 'x', 'x'),
                        (2, 4, 3, 'x', 'x');
             INSERT INTO case_changes (case_id, at, entity, field, new_value) VALUES
                 (1, '2026-10-20T15:00:00+09:00', 'case', 'next_review', '2027-01-10'),
                 (2, '2026-10-20T15:00:00+09:00', 'case', 'next_review', '2026-11-01');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        /// A case's kept basis: case, date set standing, base, kind, body.
        type Basis = (i64, Option<String>, Option<String>, String, Option<i64>);
        let basis: Vec<Basis> = conn
            .prepare("SELECT case_id, fixed, base, kind, body_id FROM case_review_basis ORDER BY 1")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let kind = "要保護児童対策地域協議会".to_owned();
        assert_eq!(
            basis,
            [
                (1, Some("2027-01-10".into()), None, kind.clone(), Some(1)),
                (2, None, Some("2026-11-20".into()), kind, Some(1)),
                (3, None, Some("2026-05-01".into()), String::new(), None),
            ]
        );
        assert_eq!(
            crate::store::review_basis::stale(&conn).unwrap(),
            Vec::<i64>::new()
        );
        conn.execute("UPDATE meetings SET status = 'cancelled' WHERE id = 2", [])
            .unwrap();
        let base: Option<String> = conn
            .query_row(
                "SELECT base FROM case_review_basis WHERE case_id = 2",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(base.as_deref(), None, "its date set stands again");
        assert_eq!(
            crate::store::review_basis::stale(&conn).unwrap(),
            Vec::<i64>::new()
        );
    }

    /// Step 15 on a step-14 database: every text a held meeting records of a person, of its
    /// attendees not removed and of the households, kept once per kind — not those of a
    /// planned or cancelled meeting nor a removed attendee — and the triggers keep it from
    /// then on.
    #[test]
    fn a_step_14_database_gets_its_recorded_people() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..14]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, kind, created_at, updated_at)
                 VALUES ('支援会議', '', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, facilitator, recorder, case_subject,
                     key_person, created_at, updated_at) VALUES
                 (1, '2026-10-20', 'held', '山田 太郎', '佐藤花子', '石井 翔（イシイ ショウ）',
                  '長女', 'x', 'x'),
                 (1, '2026-11-20', 'held', '山田 太郎', '', '', '長男 石井 大和', 'x', 'x'),
                 (1, '2026-12-20', 'planned', '計画 だけ', '', '', '', 'x', 'x'),
                 (1, '2026-09-20', 'cancelled', '中止 された', '', '', '', 'x', 'x');
             INSERT INTO attendees (meeting_id, position, name, created_at, updated_at,
                     deleted_at) VALUES
                 (1, 1, '佐藤花子', 'x', 'x', NULL), (2, 1, '大野 健', 'x', 'x', NULL),
                 (2, 2, '取消 済み', 'x', 'x', 'x'), (3, 1, '予定 者', 'x', 'x', NULL);
             INSERT INTO cases (pseudonym, pseudonym_key, opened, status, created_at, updated_at)
                 VALUES ('A世帯', 'A', '2026-04-01', 'active', 'x', 'x');
             INSERT INTO case_members (case_id, position, relation, name, created_at,
                     updated_at, deleted_at) VALUES
                 (1, 1, '長女', '石井 美咲', 'x', 'x', NULL),
                 (1, 2, '長男', '石井 退去', 'x', 'x', 'x'), (1, 3, '父', '', 'x', 'x', NULL);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let kept = |conn: &Connection| -> Vec<(String, String)> {
            conn.prepare("SELECT text, kind FROM recorded_texts ORDER BY kind, text")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let pair = |t: &str, k: &str| (t.to_owned(), k.to_owned());
        assert_eq!(
            kept(&conn),
            [
                pair("佐藤花子", "attendee"),
                pair("大野 健", "attendee"),
                pair("石井 翔（イシイ ショウ）", "case_subject"),
                pair("山田 太郎", "facilitator"),
                pair("石井 美咲", "household"),
                pair("石井 退去", "household"),
                pair("長女", "key_person"),
                pair("長男 石井 大和", "key_person"),
                pair("佐藤花子", "recorder"),
            ]
        );
        assert_eq!(
            crate::store::recorded::missing(&conn).unwrap(),
            Vec::<(String, String)>::new()
        );
        conn.execute("UPDATE meetings SET status = 'held' WHERE id = 3", [])
            .unwrap();
        let now = kept(&conn);
        assert!(now.contains(&pair("計画 だけ", "facilitator")), "{now:?}");
        assert!(now.contains(&pair("予定 者", "attendee")), "{now:?}");
    }

    /// Step V16 (the 17th, after V18) on a step-15 database: each body's latest meeting held (not a planned or
    /// cancelled one, whatever its date), none for a body that held none; and the triggers keep
    /// it from then on.
    #[test]
    fn a_step_15_database_gets_each_bodys_last_meeting_held() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..15]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, kind, created_at, updated_at) VALUES
                 ('支援会議', '', 'x', 'x'), ('連絡会', '', 'x', 'x'), ('協議会', '', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, created_at, updated_at) VALUES
                 (1, '2026-10-20', 'held', 'x', 'x'), (1, '2026-11-20', 'held', 'x', 'x'),
                 (1, '2026-12-20', 'planned', 'x', 'x'), (1, '2027-01-20', 'cancelled', 'x', 'x'),
                 (2, '2026-09-01', 'planned', 'x', 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let kept = |conn: &Connection| -> Vec<(i64, Option<String>)> {
            conn.prepare("SELECT body_id, held FROM body_last_held ORDER BY body_id")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            kept(&conn),
            [(1, Some("2026-11-20".to_owned())), (2, None), (3, None)]
        );
        conn.execute("UPDATE meetings SET status = 'held' WHERE id = 5", [])
            .unwrap();
        assert_eq!(kept(&conn)[1], (2, Some("2026-09-01".to_owned())));
        assert_eq!(
            crate::store::last_held::stale(&conn).unwrap(),
            Vec::<i64>::new()
        );
    }

    /// Step 18 on a step-15 database: a case's key person and who gave consent, and the key
    /// person said of a case at a meeting (of any status, a link removed too), become recorded
    /// texts; a text that is no person stays out of the people (`本人`); the triggers keep
    /// what is written from then on.
    #[test]
    fn a_step_15_database_gets_its_cases_people() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..15]).unwrap();
        conn.execute_batch(
            "INSERT INTO bodies (name, kind, created_at, updated_at)
                 VALUES ('支援会議', '', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, created_at, updated_at)
                 VALUES (1, '2026-12-20', 'planned', 'x', 'x');
             INSERT INTO cases (pseudonym, pseudonym_key, opened, status, key_person, consent_by,
                     created_at, updated_at)
                 VALUES ('A世帯', 'A', '2026-04-01', 'active', '叔母 山田 花子', '本人', 'x', 'x');
             INSERT INTO meeting_cases (meeting_id, case_id, position, key_person, created_at,
                     updated_at, deleted_at)
                 VALUES (1, 1, 1, '祖父 渡邊 昭', 'x', 'x', 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let kept = |conn: &Connection| -> Vec<String> {
            conn.prepare("SELECT text FROM recorded_texts WHERE kind = 'key_person' ORDER BY text")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(kept(&conn), ["叔母 山田 花子", "本人", "祖父 渡邊 昭"]);
        let people: Vec<String> = crate::store::recorded::people(&conn)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(people, ["山田 花子", "渡邊 昭"]);
        conn.execute_batch(
            "UPDATE cases SET key_person = '長女 山田 恵' WHERE id = 1;
             UPDATE meeting_cases SET key_person = '叔父 林 健太' WHERE id = 1;
             INSERT INTO cases (pseudonym, pseudonym_key, opened, status, consent_by,
                     created_at, updated_at)
                 VALUES ('B世帯', 'B', '2026-04-01', 'active', '佐藤 恵子', 'x', 'x');",
        )
        .unwrap();
        let now = kept(&conn);
        for text in [
            "叔母 山田 花子",
            "長女 山田 恵",
            "叔父 林 健太",
            "佐藤 恵子",
        ] {
            assert!(now.contains(&text.to_owned()), "{text} in {now:?}");
        }
        assert_eq!(
            crate::store::recorded::missing(&conn).unwrap(),
            Vec::<(String, String)>::new()
        );
    }

    /// Step 25 on a step-24 database: a form draft kept before it stays, as one of a window that
    /// has ended (the next window opening its form takes it up); two windows may then each keep
    /// their own. A draft left referring to a meeting that is not there stops the step (the
    /// check of the rebuilt table's own rows), with the database left as it was.
    #[test]
    fn a_step_24_database_keeps_its_form_drafts_as_an_ended_windows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("step24.db");
        let step24 = |path: &std::path::Path, meeting: i64| {
            let mut conn = Connection::open(path).unwrap();
            apply_steps(&mut conn, &MIGRATIONS[..24]).unwrap();
            // As a renkei that wrote it with its meeting deleted by hand might have left it.
            conn.pragma_update(None, "foreign_keys", false).unwrap();
            conn.execute_batch(
                "INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
                 INSERT INTO meetings (body_id, date, status, created_at, updated_at)
                     VALUES (1, '2026-11-20', 'planned', 'x', 'x');",
            )
            .unwrap();
            conn.execute(
                r#"INSERT INTO form_drafts (typed_by, form, meeting_id, fields, typed_at)
                   VALUES ('sato', 'meeting 1 entry note 1 new', ?1,
                           '{"fields":[[0,"本文","書きかけ"]]}', 'x')"#,
                [meeting],
            )
            .unwrap();
        };
        step24(&path, 1);
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let clock = crate::clock::Clock::fixed(now);
        let mut store = crate::store::Store::open(&path, clock.clone()).unwrap();
        store.set_user("sato");
        let kept = store
            .form_draft("meeting 1 entry note 1 new")
            .unwrap()
            .unwrap();
        assert_eq!(kept.process, "");
        assert_eq!(kept.fields[0].2, "書きかけ");
        let rows: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM form_drafts WHERE process = ''",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, 1);

        let broken = dir.path().join("broken.db");
        step24(&broken, 7);
        let refused = crate::store::Store::open(&broken, clock).err().unwrap();
        assert!(refused.to_string().contains("form_drafts"), "{refused}");
        let conn = Connection::open(&broken).unwrap();
        assert_eq!(user_version(&conn).unwrap(), 24);
    }

    /// The step after 15 on a step-15 database holding a review draft: the draft kept as typed,
    /// read as one of a renkei that did not keep what its form opened on (no revisions: its
    /// form opens on the case as it is now, as before); a draft kept from then on keeps them.
    #[test]
    fn a_step_15_database_keeps_its_review_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("step15.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            apply_steps(&mut conn, &MIGRATIONS[..15]).unwrap();
            conn.execute_batch(
                "INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
                 INSERT INTO meetings (body_id, date, status, created_at, updated_at)
                     VALUES (1, '2026-11-20', 'held', 'x', 'x');
                 INSERT INTO cases (pseudonym, pseudonym_key, status, created_at, updated_at)
                     VALUES ('A世帯', 'A世帯', 'active', 'x', 'x');
                 INSERT INTO review_drafts (meeting_id, case_id, status, note, typed_by, typed_at)
                     VALUES (1, 1, 'monitoring', '佐藤のメモ', 'sato', 'x');",
            )
            .unwrap();
        }
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let clock = crate::clock::Clock::fixed(now);
        let mut store = crate::store::Store::open(&path, clock).unwrap();
        store.set_user("sato");
        let drafts = store.review_drafts(1).unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].typed.note, "佐藤のメモ");
        assert_eq!(
            drafts[0].status,
            crate::domain::case::CaseStatus::Monitoring
        );
        assert_eq!(drafts[0].seen, None);
        let seen = store.review_seen(1, 1).unwrap();
        store
            .keep_review_draft(&crate::store::drafts::Draft {
                seen: Some((seen.case_rev, seen.review_rev)),
                ..drafts[0].clone()
            })
            .unwrap();
        assert_eq!(
            store.review_drafts(1).unwrap()[0].seen,
            Some((seen.case_rev, seen.review_rev))
        );
    }

    /// Step 20 changes how the enumerations' CHECKs are tested, not what they let through: each
    /// column's values (and values near them: another case, a space, another column's value,
    /// empty, a number) accepted or refused at version 19 are accepted or refused after it,
    /// and no table keeps an `IN` list of more than two values.
    #[test]
    fn checks_as_comparisons_refuse_and_accept_what_they_did() {
        let step = MIGRATIONS
            .iter()
            .position(|s| *s == CHECKS_AS_COMPARISONS)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut conn = Connection::open(&path).unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..step]).unwrap();
        conn.execute_batch(
            "INSERT INTO agencies (name) VALUES ('地域包括支援センター');
             INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
             INSERT INTO meetings (body_id, date, created_at, updated_at) VALUES (1, '2026-04-01', 'x', 'x');
             INSERT INTO attendees (meeting_id, position, agency_id, created_at, updated_at) VALUES (1, 1, 1, 'x', 'x');
             INSERT INTO next_actions (meeting_id, agency_id, text, created_at, updated_at) VALUES (1, 1, '訪問する', 'x', 'x');
             INSERT INTO cases (pseudonym, pseudonym_key, created_at, updated_at) VALUES ('A', 'a', 'x', 'x');
             INSERT INTO review_drafts (meeting_id, case_id, status, typed_at) VALUES (1, 1, 'open', 'x');",
        )
        .unwrap();
        let statuses = [
            "open",
            "active",
            "monitoring",
            "closed",
            "suspended",
            "transferred",
        ];
        let columns: [(&str, &str, &[&str]); 9] = [
            ("meetings", "status", &["planned", "held", "cancelled"]),
            (
                "attendees",
                "role",
                &[
                    "facilitator",
                    "recorder",
                    "secretariat",
                    "coordinator",
                    "supervisor",
                    "member",
                    "person",
                    "family",
                    "observer",
                ],
            ),
            (
                "attendees",
                "attendance",
                &["present", "absent", "late", "left_early"],
            ),
            ("next_actions", "status", &["open", "done", "dropped"]),
            ("cases", "status", &statuses),
            ("cases", "consent", &["given", "not_given", "unknown"]),
            ("cases", "risk", &["", "high", "medium", "low"]),
            ("cases", "urgency", &["", "high", "medium", "low"]),
            ("review_drafts", "status", &statuses),
        ];
        let candidates = |good: &[&str]| -> Vec<rusqlite::types::Value> {
            use rusqlite::types::Value;
            let mut all: Vec<Value> = ["", "x", "held ", " open", "Held", "HIGH", "member,", "0"]
                .into_iter()
                .chain(good.iter().copied())
                .chain(
                    good.iter()
                        .map(|g| g.get(..g.len().saturating_sub(1)).unwrap_or("")),
                )
                .chain(columns.iter().flat_map(|(_, _, g)| g.iter().copied()))
                .map(|v| Value::Text(v.to_owned()))
                .collect();
            all.extend([Value::Integer(0), Value::Integer(1), Value::Real(1.5)]);
            all
        };
        let outcomes = |conn: &Connection| -> Vec<(String, String, bool)> {
            let mut seen = Vec::new();
            for (table, column, good) in columns {
                for value in candidates(good) {
                    conn.execute_batch("SAVEPOINT try").unwrap();
                    let written = conn
                        .execute(&format!("UPDATE {table} SET {column} = ?1"), [&value])
                        .map(|n| assert_eq!(n, 1));
                    if let Err(e) = &written {
                        assert!(e.to_string().contains("CHECK"), "{table}.{column}: {e}");
                    }
                    conn.execute_batch("ROLLBACK TO try; RELEASE try").unwrap();
                    let accepted = written.is_ok();
                    let is_good = matches!(&value, rusqlite::types::Value::Text(t) if good.contains(&t.as_str()));
                    assert_eq!(accepted, is_good, "{table}.{column} = {value:?}");
                    seen.push((format!("{table}.{column}"), format!("{value:?}"), accepted));
                }
            }
            seen
        };
        let before = outcomes(&conn);
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        let lists: Vec<String> = conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .flat_map(|(name, sql)| {
                sql.match_indices("IN (")
                    .filter(|(at, _)| {
                        let list = &sql[at + 4..];
                        let end = list.find(')').unwrap_or(list.len());
                        list[..end].matches(',').count() >= 2
                    })
                    .map(|(at, _)| format!("{name}: {}", &sql[at..(at + 40).min(sql.len())]))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(lists, Vec::<String>::new());
        assert_eq!(outcomes(&conn), before);
        // The definitions as edited are what a new connection reads.
        drop(conn);
        let conn = Connection::open(&path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        assert_eq!(outcomes(&conn), before);
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    /// Step 22 on a database of the step before it: the report's four narrow indexes made
    /// from the rows there (held meetings only in the meetings' one; removed and absent
    /// attendees, removed actions and issues kept, the report's conditions test them), each
    /// giving what the table gives, and kept so by later writes.
    #[test]
    fn a_step_21_database_gets_the_reports_narrow_indexes() {
        let step = MIGRATIONS
            .iter()
            .position(|s| *s == REPORT_COVERING)
            .unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, &MIGRATIONS[..step]).unwrap();
        conn.execute_batch(
            "INSERT INTO agencies (name) VALUES ('保護課'), ('あおば会');
             INSERT INTO bodies (name, created_at, updated_at) VALUES ('支援会議', 'x', 'x');
             INSERT INTO meetings (body_id, date, status, basis, supervisor, referred_by,
                                   support_policy, created_at, updated_at) VALUES
                 (1, '2026-04-01', 'held', '要対協', 1, 2, '長い方針', 'x', 'x'),
                 (1, '2026-03-31', 'held', '', 0, NULL, '', 'x', 'x'),
                 (1, '2026-05-01', 'planned', '', 0, 1, '', 'x', 'x'),
                 (1, '2026-04-01', 'cancelled', '', 0, 1, '', 'x', 'x'),
                 (1, '2026-04-01', 'held', '', 0, 1, '', 'x', 'x');
             INSERT INTO attendees (meeting_id, position, agency_id, attendance, deleted_at,
                                    created_at, updated_at) VALUES
                 (1, 1, 1, 'present', NULL, 'x', 'x'), (1, 2, 2, 'absent', NULL, 'x', 'x'),
                 (1, 3, 2, 'late', 'y', 'x', 'x'), (5, 1, NULL, 'left_early', NULL, 'x', 'x');
             INSERT INTO next_actions (meeting_id, agency_id, text, due_date, status, deleted_at,
                                       created_at, updated_at) VALUES
                 (1, 2, '訪問する', '2026-05-01', 'open', NULL, 'x', 'x'),
                 (1, 1, '連絡する', NULL, 'done', 'y', 'x', 'x'),
                 (5, NULL, '見守る', NULL, 'dropped', NULL, 'x', 'x');
             INSERT INTO case_issues (meeting_id, category, deleted_at, created_at) VALUES
                 (1, 'ネグレクト', NULL, 'x'), (1, '不登校', 'y', 'x'), (5, '就労', NULL, 'x');",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        // Each statement read from its index and from the table alone: the same rows.
        let same = |conn: &Connection| {
            for (table, index, columns, condition) in [
                (
                    "meetings",
                    "meetings_held_by_date",
                    "date, id, body_id, referred_by, supervisor, basis",
                    "status = 'held' AND date BETWEEN '2026-04-01' AND '2027-03-31'",
                ),
                (
                    "attendees",
                    "attendees_came",
                    "meeting_id, agency_id, attendance",
                    "meeting_id IN (1, 5) AND deleted_at IS NULL",
                ),
                (
                    "next_actions",
                    "next_actions_of_meeting",
                    "meeting_id, id, agency_id, due_date, status",
                    "meeting_id IN (1, 5) AND deleted_at IS NULL",
                ),
                (
                    "case_issues",
                    "case_issues_of_meeting",
                    "meeting_id, id, category, case_id",
                    "meeting_id IN (1, 5) AND deleted_at IS NULL",
                ),
            ] {
                let rows = |how: &str| -> Vec<Vec<rusqlite::types::Value>> {
                    let sql = format!("SELECT {columns} FROM {table} {how} WHERE {condition}");
                    let plan: String = conn
                        .query_row(&format!("EXPLAIN QUERY PLAN {sql}"), [], |r| r.get(3))
                        .unwrap();
                    if how.starts_with("INDEXED") {
                        assert!(plan.contains("COVERING INDEX"), "{plan}");
                    }
                    let mut stmt = conn.prepare(&format!("{sql} ORDER BY {columns}")).unwrap();
                    let n = stmt.column_count();
                    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
                        .unwrap()
                        .map(Result::unwrap)
                        .collect()
                };
                let indexed = rows(&format!("INDEXED BY {index}"));
                assert!(!indexed.is_empty(), "{index}");
                assert_eq!(indexed, rows("NOT INDEXED"), "{index}");
            }
            let check: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok");
        };
        same(&conn);
        conn.execute_batch(
            "UPDATE meetings SET status = 'held' WHERE id = 3;
             UPDATE meetings SET status = 'cancelled', date = '2026-06-01' WHERE id = 1;
             UPDATE attendees SET deleted_at = NULL WHERE id = 3;
             UPDATE next_actions SET deleted_at = 'z' WHERE id = 1;
             DELETE FROM case_issues WHERE id = 3;",
        )
        .unwrap();
        same(&conn);
        // Set back to the step before with the indexes kept: the step runs again past them.
        conn.pragma_update(None, "user_version", step as i64)
            .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
        same(&conn);
    }

    #[test]
    fn a_step_of_added_columns_adds_only_those_missing() {
        let columns = added_columns(FROM_FILES).unwrap();
        assert_eq!(columns.len(), 6);
        assert_eq!((columns[0].1, columns[0].2), ("meetings", "origin"));
        assert!(added_columns(DRAFTS_PER_PROCESS).is_none());
        assert!(added_columns("ALTER TABLE t ADD COLUMN c; CREATE TABLE u (x);").is_none());
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", LATEST - 1)
            .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), LATEST);
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

    /// Two processes open one new database at the same moment: both read version 0 before
    /// either holds the write lock. The second to get the lock must find the schema made and go
    /// on, not run step 1 again ("table agencies already exists", attack report 12, finding 12).
    #[test]
    fn a_database_migrated_by_another_process_meanwhile_is_not_migrated_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let mut late = Connection::open(&path).unwrap();
        let stale = user_version(&late).unwrap();
        assert_eq!(stale, 0);
        let mut first = Connection::open(&path).unwrap();
        assert_eq!(migrate(&mut first).unwrap(), LATEST);
        drop(first);
        apply_in_transaction(&mut late, MIGRATIONS, stale, true).unwrap();
        assert_eq!(user_version(&late).unwrap(), LATEST);
        assert!(tables(&late).contains(&"agencies".to_owned()));
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
