-- Made by store::schema::direct's tests from the migrations 1 to 21: not to be edited.
CREATE TABLE body_members (
    body_id   INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (body_id, agency_id)
);
CREATE TABLE agenda_templates (
    kind         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    planned_min  INTEGER,
    confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    PRIMARY KEY (kind, position)
);
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
CREATE TABLE wards (
    id   INTEGER PRIMARY KEY,
    uid  TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    name TEXT NOT NULL DEFAULT '',
    code TEXT
);
CREATE TABLE "agencies" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL DEFAULT '',
    sites        INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL DEFAULT ''
);
CREATE TABLE "bodies" (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev            INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
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
    updated_at     TEXT NOT NULL, keeps_ledger INTEGER CHECK (keeps_ledger IN (0, 1)), review_months INTEGER CHECK (review_months BETWEEN 1 AND 120),
    UNIQUE (ward_id, name, organiser)
);
CREATE TABLE "body_history" (
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    body_id      INTEGER NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    fiscal_year  INTEGER NOT NULL,
    meetings     INTEGER NOT NULL CHECK (meetings >= 0),
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (body_id, fiscal_year)
);
CREATE TABLE "meetings" (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev               INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev      INTEGER,
    ext_ref           TEXT,
    body_id           INTEGER NOT NULL REFERENCES bodies(id),
    date              TEXT NOT NULL,
    start_time        TEXT,
    end_time          TEXT,
    place             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'planned'
                      CHECK (status = 'planned' OR status = 'held' OR status = 'cancelled'),
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
, current_case_id INTEGER);
CREATE TABLE "attendees" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    agency_id    INTEGER REFERENCES agencies(id),
    name         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT 'member' CHECK (role = 'facilitator' OR role = 'recorder' OR role = 'secretariat'
                 OR role = 'coordinator' OR role = 'supervisor' OR role = 'member'
                 OR role = 'person' OR role = 'family' OR role = 'observer'),
    attendance   TEXT NOT NULL DEFAULT 'present'
                 CHECK (attendance = 'present' OR attendance = 'absent' OR attendance = 'late'
                 OR attendance = 'left_early'),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE TABLE "agenda_items" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
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
CREATE TABLE "agenda_entries" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    item_id      INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('note', 'decision')),
    text         TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL);
CREATE TABLE "role_assignments" (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev            INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev   INTEGER,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id      INTEGER REFERENCES agencies(id),
    responsibility TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT
, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL);
CREATE TABLE "next_actions" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id    INTEGER REFERENCES agencies(id),
    text         TEXT NOT NULL,
    due_date     TEXT,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'done' OR status = 'dropped'),
    carried_from INTEGER REFERENCES next_actions(id) ON DELETE SET NULL,
    closed_at    TEXT,
    closed_in    INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL);
CREATE TABLE "case_issues" (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    deleted_at   TEXT
, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL);
CREATE TABLE "changes" (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
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
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram', columnsize = 0
);
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev            INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev   INTEGER,
    ward_id        INTEGER NOT NULL DEFAULT 1 REFERENCES wards(id),
    ext_ref        TEXT,
    pseudonym      TEXT NOT NULL CHECK (pseudonym <> ''),
    -- The pseudonym folded (any width, no spaces): one case per key in a ward.
    pseudonym_key  TEXT NOT NULL,
    opened         TEXT,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'active' OR status = 'monitoring'
                   OR status = 'closed' OR status = 'suspended' OR status = 'transferred'),
    referred_by    INTEGER REFERENCES agencies(id),
    lead_agency    INTEGER REFERENCES agencies(id),
    key_person     TEXT NOT NULL DEFAULT '',
    consent        TEXT NOT NULL DEFAULT 'unknown' CHECK (consent = 'given' OR consent = 'not_given' OR consent = 'unknown'),
    consent_date   TEXT,
    consent_by     TEXT NOT NULL DEFAULT '',
    risk           TEXT NOT NULL DEFAULT '' CHECK (risk = '' OR risk = 'high' OR risk = 'medium' OR risk = 'low'),
    urgency        TEXT NOT NULL DEFAULT '' CHECK (urgency = '' OR urgency = 'high' OR urgency = 'medium' OR urgency = 'low'),
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
CREATE TABLE case_members (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
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
CREATE TABLE case_plans (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
    imported_rev INTEGER,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    meeting_id   INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    meeting_uid  TEXT,
    policy       TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE TABLE case_plan_items (
    plan_id   INTEGER NOT NULL REFERENCES case_plans(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    agency_id INTEGER REFERENCES agencies(id),
    role      TEXT NOT NULL DEFAULT '',
    goal      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, position)
);
CREATE TABLE meeting_cases (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev          INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
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
CREATE TABLE case_changes (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
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
CREATE TABLE case_upgrade (step TEXT PRIMARY KEY);
CREATE TABLE action_reviews (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    action_id  INTEGER NOT NULL REFERENCES next_actions(id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    note       TEXT NOT NULL DEFAULT '',
    due_before TEXT,
    due_after  TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE case_reviews (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE DEFAULT (lower(printf('%08x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) >> 16)
          || '-' || printf('%04x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) & 65535)
          || '-7' || substr(hex(randomblob(2)), 2)
          || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)
          || '-' || hex(randomblob(6)))),
    rev            INTEGER NOT NULL DEFAULT ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)),
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
CREATE TABLE "review_drafts" (
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status = 'open' OR status = 'active' OR status = 'monitoring'
                   OR status = 'closed' OR status = 'suspended' OR status = 'transferred'),
    lead_agency    TEXT NOT NULL DEFAULT '',
    policy         TEXT NOT NULL DEFAULT '',
    next_review    TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    closure_reason TEXT NOT NULL DEFAULT '',
    evaluation     TEXT NOT NULL DEFAULT '',
    transferred_to TEXT NOT NULL DEFAULT '',
    typed_by       TEXT NOT NULL DEFAULT '',
    typed_at       TEXT NOT NULL, case_rev INTEGER, review_rev INTEGER,
    PRIMARY KEY (meeting_id, case_id, typed_by)
);
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
CREATE TABLE case_review_basis (
    case_id  INTEGER PRIMARY KEY,
    fixed    TEXT,
    base     TEXT,
    risk     TEXT NOT NULL,
    has_body INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    own      INTEGER NOT NULL,
    body_id  INTEGER
);
CREATE TABLE recorded_texts (
    text TEXT NOT NULL,
    -- Comparisons, not `kind IN (…)`: SQLite tests a list of more than two values by building
    -- a table for it at every row written, and a trigger writes here for every attendee.
    kind TEXT NOT NULL CHECK (kind = 'facilitator' OR kind = 'recorder' OR kind = 'case_subject'
         OR kind = 'key_person' OR kind = 'attendee' OR kind = 'household'),
    PRIMARY KEY (text, kind)
) WITHOUT ROWID;
CREATE TABLE body_last_held (
    body_id INTEGER PRIMARY KEY REFERENCES bodies(id) ON DELETE CASCADE,
    held    TEXT
);
CREATE TABLE recorded_keys (
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (key, text)
) WITHOUT ROWID;
CREATE TABLE recorded_unkeyed (text TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX audit_meeting ON audit(meeting_id, at);
CREATE INDEX bodies_parent ON bodies(parent_id);
CREATE INDEX bodies_name ON bodies(name);
CREATE INDEX meetings_date ON meetings(date);
CREATE INDEX meetings_body_date_status ON meetings(body_id, date, status);
CREATE INDEX meetings_running ON meetings(ended_at, started_at);
CREATE INDEX meetings_ext_ref ON meetings(ext_ref);
CREATE INDEX attendees_meeting ON attendees(meeting_id);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);
CREATE INDEX agenda_entries_item ON agenda_entries(item_id);
CREATE INDEX role_assignments_meeting ON role_assignments(meeting_id);
CREATE INDEX next_actions_meeting ON next_actions(meeting_id);
CREATE INDEX next_actions_status_due ON next_actions(status, due_date);
CREATE INDEX next_actions_agency ON next_actions(agency_id, status);
CREATE INDEX case_issues_meeting ON case_issues(meeting_id);
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
CREATE TRIGGER agencies_rev AFTER UPDATE OF name, kind, sites, note, municipality ON agencies WHEN NEW.rev IS OLD.rev BEGIN UPDATE agencies SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER bodies_rev AFTER UPDATE OF ward_id, name, organiser, municipality, expected_size, topics, frequency_text, personal_info, kind, tier, parent_id, note ON bodies WHEN NEW.rev IS OLD.rev BEGIN UPDATE bodies SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER body_history_rev AFTER UPDATE OF body_id, fiscal_year, meetings, note ON body_history WHEN NEW.rev IS OLD.rev BEGIN UPDATE body_history SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER meetings_rev AFTER UPDATE OF ext_ref, body_id, date, start_time, end_time, place, status, started_at, ended_at, facilitator, recorder, confidential, basis, supervisor, referred_by, case_ref, case_subject, lead_agency, key_person, risk, urgency, support_policy, handouts, remaining_issues, next_meeting_date, minutes_state, approved_at, approved_by ON meetings WHEN NEW.rev IS OLD.rev BEGIN UPDATE meetings SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER attendees_rev AFTER UPDATE OF meeting_id, position, agency_id, name, title, role, attendance, deleted_at ON attendees WHEN NEW.rev IS OLD.rev BEGIN UPDATE attendees SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER agenda_items_rev AFTER UPDATE OF meeting_id, position, title, planned_min, started_at, ended_at, deleted_at ON agenda_items WHEN NEW.rev IS OLD.rev BEGIN UPDATE agenda_items SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER agenda_entries_rev AFTER UPDATE OF item_id, kind, text, deleted_at ON agenda_entries WHEN NEW.rev IS OLD.rev BEGIN UPDATE agenda_entries SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER role_assignments_rev AFTER UPDATE OF meeting_id, agency_id, responsibility, deleted_at ON role_assignments WHEN NEW.rev IS OLD.rev BEGIN UPDATE role_assignments SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER next_actions_rev AFTER UPDATE OF meeting_id, agency_id, text, due_date, status, carried_from, closed_at, closed_in, deleted_at ON next_actions WHEN NEW.rev IS OLD.rev BEGIN UPDATE next_actions SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER case_issues_rev AFTER UPDATE OF meeting_id, category, deleted_at ON case_issues WHEN NEW.rev IS OLD.rev BEGIN UPDATE case_issues SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX search_docs_meeting ON search_docs(meeting_id);
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
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = (SELECT meeting_id FROM agenda_items WHERE id = new.item_id))) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | (CASE new.kind WHEN 'decision' THEN 1 ELSE 0 END)));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | (CASE new.kind WHEN 'decision' THEN 1 ELSE 0 END))), m.id, new.text FROM meetings m WHERE m.id = (SELECT meeting_id FROM agenda_items WHERE id = new.item_id) AND new.deleted_at IS NULL AND (SELECT deleted_at FROM agenda_items WHERE id = new.item_id) IS NULL AND trim(new.text) <> '';
END;
CREATE TRIGGER search_entry_update AFTER UPDATE OF text, kind, deleted_at, item_id ON agenda_entries BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = (SELECT meeting_id FROM agenda_items WHERE id = old.item_id))) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | (CASE old.kind WHEN 'decision' THEN 1 ELSE 0 END)));
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = (SELECT meeting_id FROM agenda_items WHERE id = new.item_id))) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | (CASE new.kind WHEN 'decision' THEN 1 ELSE 0 END)));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | (CASE new.kind WHEN 'decision' THEN 1 ELSE 0 END))), m.id, new.text FROM meetings m WHERE m.id = (SELECT meeting_id FROM agenda_items WHERE id = new.item_id) AND new.deleted_at IS NULL AND (SELECT deleted_at FROM agenda_items WHERE id = new.item_id) IS NULL AND trim(new.text) <> '';
END;
CREATE TRIGGER search_entry_delete AFTER DELETE ON agenda_entries BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = (SELECT meeting_id FROM agenda_items WHERE id = old.item_id))) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | (CASE old.kind WHEN 'decision' THEN 1 ELSE 0 END)));
END;
CREATE TRIGGER search_item_insert AFTER INSERT ON agenda_items BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 2));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 2)), m.id, new.title FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.title) <> '';
END;
CREATE TRIGGER search_item_update AFTER UPDATE OF title, deleted_at, meeting_id ON agenda_items BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 2));
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 2));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 2)), m.id, new.title FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.title) <> '';
END;
CREATE TRIGGER search_item_entries AFTER UPDATE OF deleted_at, meeting_id ON agenda_items
WHEN old.deleted_at IS NOT new.deleted_at OR old.meeting_id IS NOT new.meeting_id BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.meeting_id AND (id & 1099511627775) IN (
        SELECT ((((e.id) & 68719476735) << 4) | (CASE e.kind WHEN 'decision' THEN 1 ELSE 0 END)) FROM agenda_entries e WHERE e.item_id = old.id);
    INSERT INTO search_docs (id, meeting_id, text)
    SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((e.id) & 68719476735) << 4) | (CASE e.kind WHEN 'decision' THEN 1 ELSE 0 END))), m.id, e.text FROM agenda_entries e JOIN meetings m ON m.id = new.meeting_id
    WHERE e.item_id = new.id AND e.deleted_at IS NULL AND new.deleted_at IS NULL
      AND trim(e.text) <> '';
END;
CREATE TRIGGER search_item_delete BEFORE DELETE ON agenda_items BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.meeting_id AND (id & 1099511627775) IN (
        SELECT ((((e.id) & 68719476735) << 4) | (CASE e.kind WHEN 'decision' THEN 1 ELSE 0 END)) FROM agenda_entries e WHERE e.item_id = old.id);
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 2));
END;
CREATE TRIGGER search_role_insert AFTER INSERT ON role_assignments BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 3));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 3)), m.id, new.responsibility FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.responsibility) <> '';
END;
CREATE TRIGGER search_role_update AFTER UPDATE OF responsibility, deleted_at, meeting_id ON role_assignments BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 3));
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 3));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 3)), m.id, new.responsibility FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.responsibility) <> '';
END;
CREATE TRIGGER search_role_delete AFTER DELETE ON role_assignments BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 3));
END;
CREATE TRIGGER search_action_insert AFTER INSERT ON next_actions BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 4));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 4)), m.id, new.text FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.text) <> '';
END;
CREATE TRIGGER search_action_update AFTER UPDATE OF text, deleted_at, meeting_id ON next_actions BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 4));
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 4));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 4)), m.id, new.text FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.text) <> '';
END;
CREATE TRIGGER search_action_delete AFTER DELETE ON next_actions BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 4));
END;
CREATE TRIGGER search_issue_insert AFTER INSERT ON case_issues BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 5));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 5)), m.id, new.category FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.category) <> '';
END;
CREATE TRIGGER search_issue_update AFTER UPDATE OF category, deleted_at, meeting_id ON case_issues BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 5));
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = new.meeting_id)) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 5));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(m.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 5)), m.id, new.category FROM meetings m WHERE m.id = new.meeting_id AND new.deleted_at IS NULL AND trim(new.category) <> '';
END;
CREATE TRIGGER search_issue_delete AFTER DELETE ON case_issues BEGIN
    DELETE FROM search_docs WHERE id = ((coalesce(CAST(julianday((SELECT date FROM meetings WHERE id = old.meeting_id)) AS INTEGER), 0) << 40) | ((((old.id) & 68719476735) << 4) | 5));
END;
CREATE TRIGGER search_meeting_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 6)), new.id, new.case_ref WHERE trim(new.case_ref) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 7)), new.id, new.place WHERE trim(new.place) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 8)), new.id, new.support_policy WHERE trim(new.support_policy) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 9)), new.id, new.remaining_issues WHERE trim(new.remaining_issues) <> '';
END;
CREATE TRIGGER search_meeting_update AFTER UPDATE OF case_ref, place, support_policy, remaining_issues ON meetings
BEGIN
    DELETE FROM search_docs WHERE meeting_id = new.id AND (id & 1099511627775) IN (((((new.id) & 68719476735) << 4) | 6), ((((new.id) & 68719476735) << 4) | 7), ((((new.id) & 68719476735) << 4) | 8), ((((new.id) & 68719476735) << 4) | 9));
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 6)), new.id, new.case_ref WHERE trim(new.case_ref) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 7)), new.id, new.place WHERE trim(new.place) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 8)), new.id, new.support_policy WHERE trim(new.support_policy) <> '';
    INSERT INTO search_docs (id, meeting_id, text) SELECT ((coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | ((((new.id) & 68719476735) << 4) | 9)), new.id, new.remaining_issues WHERE trim(new.remaining_issues) <> '';
END;
CREATE TRIGGER search_meeting_date AFTER UPDATE OF date ON meetings
WHEN old.date IS NOT new.date BEGIN
    UPDATE search_docs SET id = (coalesce(CAST(julianday(new.date) AS INTEGER), 0) << 40) | (id & 1099511627775) WHERE meeting_id = new.id;
END;
CREATE TRIGGER search_meeting_delete BEFORE DELETE ON meetings BEGIN
    DELETE FROM search_docs WHERE meeting_id = old.id;
END;
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
CREATE INDEX cases_status_review ON cases(status, next_review);
CREATE INDEX cases_ext_ref ON cases(ext_ref);
CREATE INDEX case_members_case ON case_members(case_id, position);
CREATE INDEX case_plans_case ON case_plans(case_id, created_at);
CREATE INDEX case_plans_meeting ON case_plans(meeting_id);
CREATE INDEX meeting_cases_case ON meeting_cases(case_id, meeting_id);
CREATE INDEX case_changes_case ON case_changes(case_id, at);
CREATE INDEX next_actions_case_status ON next_actions(case_id, status);
CREATE TRIGGER agenda_entries_case AFTER INSERT ON agenda_entries WHEN NEW.case_id IS NULL BEGIN UPDATE agenda_entries SET case_id = COALESCE(
                (SELECT mc.case_id FROM meetings m JOIN meeting_cases mc
                   ON mc.meeting_id = m.id AND mc.case_id = m.current_case_id
                 WHERE m.id = (SELECT meeting_id FROM agenda_items WHERE id = NEW.item_id) AND mc.deleted_at IS NULL),
                (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = (SELECT meeting_id FROM agenda_items WHERE id = NEW.item_id) AND deleted_at IS NULL HAVING COUNT(*) = 1)) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER agenda_entries_case_rev AFTER UPDATE OF case_id ON agenda_entries WHEN NEW.rev IS OLD.rev AND OLD.case_id IS NOT NULL BEGIN UPDATE agenda_entries SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX agenda_entries_case ON agenda_entries(case_id);
CREATE TRIGGER role_assignments_case AFTER INSERT ON role_assignments WHEN NEW.case_id IS NULL BEGIN UPDATE role_assignments SET case_id = COALESCE(
                (SELECT mc.case_id FROM meetings m JOIN meeting_cases mc
                   ON mc.meeting_id = m.id AND mc.case_id = m.current_case_id
                 WHERE m.id = NEW.meeting_id AND mc.deleted_at IS NULL),
                (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = NEW.meeting_id AND deleted_at IS NULL HAVING COUNT(*) = 1)) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER role_assignments_case_rev AFTER UPDATE OF case_id ON role_assignments WHEN NEW.rev IS OLD.rev AND OLD.case_id IS NOT NULL BEGIN UPDATE role_assignments SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX role_assignments_case ON role_assignments(case_id);
CREATE TRIGGER next_actions_case AFTER INSERT ON next_actions WHEN NEW.case_id IS NULL BEGIN UPDATE next_actions SET case_id = COALESCE(
                (SELECT mc.case_id FROM meetings m JOIN meeting_cases mc
                   ON mc.meeting_id = m.id AND mc.case_id = m.current_case_id
                 WHERE m.id = NEW.meeting_id AND mc.deleted_at IS NULL),
                (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = NEW.meeting_id AND deleted_at IS NULL HAVING COUNT(*) = 1)) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER next_actions_case_rev AFTER UPDATE OF case_id ON next_actions WHEN NEW.rev IS OLD.rev AND OLD.case_id IS NOT NULL BEGIN UPDATE next_actions SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX next_actions_case ON next_actions(case_id);
CREATE TRIGGER case_issues_case AFTER INSERT ON case_issues WHEN NEW.case_id IS NULL BEGIN UPDATE case_issues SET case_id = COALESCE(
                (SELECT mc.case_id FROM meetings m JOIN meeting_cases mc
                   ON mc.meeting_id = m.id AND mc.case_id = m.current_case_id
                 WHERE m.id = NEW.meeting_id AND mc.deleted_at IS NULL),
                (SELECT MIN(case_id) FROM meeting_cases WHERE meeting_id = NEW.meeting_id AND deleted_at IS NULL HAVING COUNT(*) = 1)) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER case_issues_case_rev AFTER UPDATE OF case_id ON case_issues WHEN NEW.rev IS OLD.rev AND OLD.case_id IS NOT NULL BEGIN UPDATE case_issues SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX case_issues_case ON case_issues(case_id);
CREATE TRIGGER cases_rev AFTER UPDATE OF ward_id, ext_ref, pseudonym, opened, status, referred_by, lead_agency, key_person, consent, consent_date, consent_by, risk, urgency, policy, next_review, closed, closure_reason, evaluation, transferred_to, closed_in ON cases WHEN NEW.rev IS OLD.rev BEGIN UPDATE cases SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER case_members_rev AFTER UPDATE OF case_id, position, relation, name, deleted_at ON case_members WHEN NEW.rev IS OLD.rev BEGIN UPDATE case_members SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER case_plans_rev AFTER UPDATE OF case_id, meeting_id, policy, updated_at ON case_plans WHEN NEW.rev IS OLD.rev BEGIN UPDATE case_plans SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE TRIGGER meeting_cases_rev AFTER UPDATE OF meeting_id, case_id, basis, warned, situation, status, lead_agency, key_person, risk, urgency, policy, consent, plan_id, deleted_at ON meeting_cases WHEN NEW.rev IS OLD.rev BEGIN UPDATE meeting_cases SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX action_reviews_action ON action_reviews(action_id);
CREATE INDEX action_reviews_meeting ON action_reviews(meeting_id);
CREATE INDEX case_reviews_case ON case_reviews(case_id, meeting_id);
CREATE TRIGGER bodies_review_rev AFTER UPDATE OF keeps_ledger, review_months ON bodies
WHEN NEW.rev IS OLD.rev BEGIN UPDATE bodies SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023)))
WHERE rowid = NEW.rowid; END;
CREATE TRIGGER case_reviews_rev AFTER UPDATE OF meeting_id, case_id, status, lead_agency, policy, next_review, note, closure_reason, evaluation, transferred_to, deleted_at ON case_reviews WHEN NEW.rev IS OLD.rev BEGIN UPDATE case_reviews SET rev = max(OLD.rev + 1, ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 10) | (random() & 1023))) WHERE rowid = NEW.rowid; END;
CREATE INDEX meeting_cases_live ON meeting_cases(case_id, meeting_id) WHERE deleted_at IS NULL;
CREATE INDEX meetings_held ON meetings(id, date, body_id) WHERE status = 'held';
CREATE INDEX meetings_case_facts ON meetings(id, status, date, body_id, started_at);
CREATE INDEX next_actions_case_open ON next_actions(case_id)
    WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX case_issues_case_live ON case_issues(case_id, id, meeting_id, category)
    WHERE deleted_at IS NULL;
CREATE INDEX review_drafts_case ON review_drafts(case_id);
CREATE INDEX form_drafts_meeting ON form_drafts(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX form_drafts_case ON form_drafts(case_id) WHERE case_id IS NOT NULL;
CREATE INDEX case_review_basis_fixed ON case_review_basis(fixed, body_id) WHERE fixed IS NOT NULL;
CREATE INDEX case_review_basis_rule ON case_review_basis(risk, has_body, kind, own, base, body_id)
    WHERE fixed IS NULL AND base IS NOT NULL;
CREATE INDEX case_review_basis_body ON case_review_basis(body_id);
CREATE INDEX case_changes_review_meeting ON case_changes(meeting_id)
    WHERE entity = 'case' AND field = 'next_review';
CREATE INDEX meetings_held_by_body ON meetings(body_id, date, id) WHERE status = 'held';
CREATE TRIGGER review_basis_case_insert AFTER INSERT ON cases BEGIN DELETE FROM case_review_basis WHERE case_id IN (NEW.id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (NEW.id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_case_update AFTER UPDATE OF id, status, opened, next_review, risk
ON cases BEGIN DELETE FROM case_review_basis WHERE case_id IN (OLD.id, NEW.id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (OLD.id, NEW.id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_case_delete AFTER DELETE ON cases BEGIN
DELETE FROM case_review_basis WHERE case_id = OLD.id; END;
CREATE TRIGGER review_basis_link_insert AFTER INSERT ON meeting_cases BEGIN DELETE FROM case_review_basis WHERE case_id IN (NEW.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (NEW.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_link_update AFTER UPDATE OF meeting_id, case_id, deleted_at
ON meeting_cases BEGIN DELETE FROM case_review_basis WHERE case_id IN (OLD.case_id, NEW.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (OLD.case_id, NEW.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_link_delete AFTER DELETE ON meeting_cases BEGIN DELETE FROM case_review_basis WHERE case_id IN (OLD.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (OLD.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_meeting_update AFTER UPDATE OF id, status, date, body_id ON meetings
WHEN OLD.id IS NOT NEW.id OR OLD.status IS NOT NEW.status OR OLD.date IS NOT NEW.date
    OR OLD.body_id IS NOT NEW.body_id BEGIN DELETE FROM case_review_basis WHERE case_id IN (SELECT case_id FROM meeting_cases WHERE meeting_id IN (OLD.id, NEW.id)
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id IN (OLD.id, NEW.id) AND entity = 'case' AND field = 'next_review');
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (SELECT case_id FROM meeting_cases WHERE meeting_id IN (OLD.id, NEW.id)
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id IN (OLD.id, NEW.id) AND entity = 'case' AND field = 'next_review') AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_meeting_delete AFTER DELETE ON meetings BEGIN DELETE FROM case_review_basis WHERE case_id IN (SELECT case_id FROM meeting_cases WHERE meeting_id = OLD.id
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id = OLD.id AND entity = 'case' AND field = 'next_review');
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (SELECT case_id FROM meeting_cases WHERE meeting_id = OLD.id
         UNION SELECT case_id FROM case_changes INDEXED BY case_changes_review_meeting
         WHERE meeting_id = OLD.id AND entity = 'case' AND field = 'next_review') AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_change_insert AFTER INSERT ON case_changes
WHEN NEW.entity = 'case' AND NEW.field IN ('next_review', 'status') BEGIN DELETE FROM case_review_basis WHERE case_id IN (NEW.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (NEW.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_change_update AFTER UPDATE ON case_changes
WHEN (OLD.entity = 'case' AND OLD.field IN ('next_review', 'status'))
    OR (NEW.entity = 'case' AND NEW.field IN ('next_review', 'status')) BEGIN DELETE FROM case_review_basis WHERE case_id IN (OLD.case_id, NEW.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (OLD.case_id, NEW.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_change_delete AFTER DELETE ON case_changes
WHEN OLD.entity = 'case' AND OLD.field IN ('next_review', 'status') BEGIN DELETE FROM case_review_basis WHERE case_id IN (OLD.case_id);
INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id) SELECT id,
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
            WHERE c.id IN (OLD.case_id) AND c.status IN ('open', 'active', 'monitoring')) g
        LEFT JOIN meetings lm ON lm.id = g.held_id
        LEFT JOIN bodies lb ON lb.id = lm.body_id) f); END;
CREATE TRIGGER review_basis_body_update AFTER UPDATE OF id, kind, review_months ON bodies
WHEN OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind
    OR OLD.review_months IS NOT NEW.review_months BEGIN
UPDATE case_review_basis SET body_id = NEW.id, kind = NEW.kind, own = COALESCE(NEW.review_months, 0)
WHERE body_id = OLD.id; END;
CREATE TRIGGER recorded_meeting_insert AFTER INSERT ON meetings WHEN NEW.status = 'held' BEGIN INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT t, k FROM (
    SELECT NEW.facilitator AS t, 'facilitator' AS k UNION ALL SELECT NEW.recorder, 'recorder'
    UNION ALL SELECT NEW.case_subject, 'case_subject'
    UNION ALL SELECT NEW.key_person, 'key_person'
    UNION ALL SELECT name, 'attendee' FROM attendees
        WHERE meeting_id = NEW.id AND deleted_at IS NULL) WHERE t <> ''; END;
CREATE TRIGGER recorded_meeting_update
AFTER UPDATE OF id, status, facilitator, recorder, case_subject, key_person ON meetings
WHEN NEW.status = 'held' BEGIN INSERT OR IGNORE INTO recorded_texts (text, kind) SELECT t, k FROM (
    SELECT NEW.facilitator AS t, 'facilitator' AS k UNION ALL SELECT NEW.recorder, 'recorder'
    UNION ALL SELECT NEW.case_subject, 'case_subject'
    UNION ALL SELECT NEW.key_person, 'key_person'
    UNION ALL SELECT name, 'attendee' FROM attendees
        WHERE meeting_id = NEW.id AND deleted_at IS NULL) WHERE t <> ''; END;
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
CREATE INDEX body_last_held_by_date ON body_last_held(held, body_id);
CREATE TRIGGER last_held_body_insert AFTER INSERT ON bodies BEGIN
INSERT OR REPLACE INTO body_last_held (body_id, held) VALUES (NEW.id, (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = NEW.id AND m.status = 'held')); END;
CREATE TRIGGER last_held_body_renumber AFTER UPDATE OF id ON bodies BEGIN
DELETE FROM body_last_held WHERE body_id = OLD.id;
INSERT OR REPLACE INTO body_last_held (body_id, held) VALUES (NEW.id, (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = NEW.id AND m.status = 'held')); END;
CREATE TRIGGER last_held_body_delete AFTER DELETE ON bodies BEGIN
DELETE FROM body_last_held WHERE body_id = OLD.id; END;
CREATE TRIGGER last_held_meeting_insert AFTER INSERT ON meetings WHEN NEW.status = 'held' BEGIN
UPDATE body_last_held SET held = (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = NEW.body_id AND m.status = 'held') WHERE body_id = NEW.body_id; END;
CREATE TRIGGER last_held_meeting_update AFTER UPDATE OF body_id, date, status ON meetings
WHEN OLD.status = 'held' OR NEW.status = 'held' BEGIN
UPDATE body_last_held SET held = (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = body_last_held.body_id AND m.status = 'held') WHERE body_id = OLD.body_id OR body_id = NEW.body_id; END;
CREATE TRIGGER last_held_meeting_delete AFTER DELETE ON meetings WHEN OLD.status = 'held' BEGIN
UPDATE body_last_held SET held = (SELECT MAX(m.date) FROM meetings m INDEXED BY meetings_held_by_body
              WHERE m.body_id = OLD.body_id AND m.status = 'held') WHERE body_id = OLD.body_id; END;
CREATE TRIGGER unkeyed_recorded_text AFTER INSERT ON recorded_texts BEGIN
INSERT OR IGNORE INTO recorded_unkeyed (text) VALUES (NEW.text); END;
CREATE INDEX next_actions_open_order
    ON next_actions(meeting_id, agency_id, due_date, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;
INSERT OR REPLACE INTO "case_upgrade" ("step") VALUES ('link_meetings');
INSERT OR REPLACE INTO "search_fts_config" ("k", "v") VALUES ('automerge', 0);
INSERT OR REPLACE INTO "search_fts_config" ("k", "v") VALUES ('version', 4);
INSERT OR REPLACE INTO "search_fts_data" ("id", "block") VALUES (1, X'0000');
INSERT OR REPLACE INTO "search_fts_data" ("id", "block") VALUES (10, X'00000001000000');
INSERT OR REPLACE INTO "wards" ("id", "name", "code") VALUES (1, '', NULL);
