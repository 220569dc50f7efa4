//! The migration step that gives renkei its cases (事例): the case record, its household, the
//! support plan with every revision, the cases a meeting discusses (with what was said of each
//! there), the case a capture belongs to, and the history of a case's changes. Every record has
//! a uid, a revision renewed by a trigger and the revision an import gave it, as schema V4 set.

use crate::store::schema::{new_rev, new_uid, rev_trigger};

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

pub const STEP: &str = concat!(
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
