//! Working together on one database file: noticing other processes' commits, presence with a
//! heartbeat (a killed process's entry simply goes stale), the chair that moves a live meeting's
//! agenda, and the audit log of who saw, exported or approved what.

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};

/// A presence older than this is gone: its process died or its connection dropped.
pub const PRESENCE_TTL: Duration = Duration::seconds(30);

/// Someone with renkei open on this database.
#[derive(Debug, Clone, PartialEq)]
pub struct Presence {
    pub session: String,
    pub user: String,
    pub name: String,
    pub meeting_id: Option<i64>,
    pub heartbeat_at: DateTime<FixedOffset>,
}

/// One line of the audit: who did what to which meeting, when.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: String,
    pub by: String,
    pub action: String,
    pub meeting_id: Option<i64>,
    pub detail: String,
    /// A line an import wrote from a file (schema step 26): its `at` and `by` are what the file
    /// says; this is when the import ran and whose login ran it.
    pub imported: Option<Imported>,
    /// A `change` line's parts, for a table to name them in its reader's language (`detail`
    /// says them in the record's words: `agenda_entry 26 deleted: present -> deleted`).
    pub change: Option<ChangeLine>,
}

/// What a `change` line of the audit changed: the record's kind and its id (or uid), the field,
/// the values before and after, and whether it amended approved minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub entity: String,
    pub record: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub amendment: bool,
}

/// The import that wrote an audit line's record: when, and by whom (the login of its process).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub at: String,
    pub by: String,
}

impl Store {
    /// SQLite's counter of commits made by other connections: when it moves, what is on screen
    /// may be stale. Cheap enough to ask several times a second.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A name for this process's presence: user, process and start time.
    pub fn session_id(&self) -> String {
        format!("{}:{}", self.user(), std::process::id())
    }

    /// Says "I am here (in this meeting)"; repeated as a heartbeat.
    pub fn heartbeat(&mut self, name: &str, meeting_id: Option<i64>) -> Result<()> {
        let now = self.now_text();
        let session = self.session_id();
        let user = self.user().to_owned();
        self.conn().execute(
            "INSERT INTO presence (session, user, name, pid, meeting_id, started_at, heartbeat_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (session) DO UPDATE SET name = excluded.name, meeting_id = excluded.meeting_id,
                 heartbeat_at = excluded.heartbeat_at",
            params![session, user, name, std::process::id(), meeting_id, now],
        )?;
        Ok(())
    }

    /// Leaves (on a clean exit; a killed process's presence expires instead).
    pub fn leave(&mut self) -> Result<()> {
        let session = self.session_id();
        self.conn()
            .execute("DELETE FROM presence WHERE session = ?1", [session])?;
        Ok(())
    }

    /// Everyone present now (heartbeat within [`PRESENCE_TTL`]), optionally in one meeting.
    pub fn present(&self, meeting_id: Option<i64>) -> Result<Vec<Presence>> {
        let cutoff = self.recorded_now() - PRESENCE_TTL;
        let mut stmt = self.conn().prepare_cached(
            "SELECT session, user, name, meeting_id, heartbeat_at FROM presence
             WHERE ?1 IS NULL OR meeting_id = ?1 ORDER BY started_at",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (session, user, name, meeting_id, beat) = row?;
            let Ok(heartbeat_at) = DateTime::parse_from_rfc3339(&beat) else {
                continue;
            };
            if heartbeat_at >= cutoff {
                out.push(Presence {
                    session,
                    user,
                    name,
                    meeting_id,
                    heartbeat_at,
                });
            }
        }
        Ok(out)
    }

    /// Who moves the agenda of a meeting ('' = nobody yet).
    pub fn chair(&self, meeting_id: i64) -> Result<String> {
        Ok(self
            .conn()
            .query_row(
                "SELECT chair FROM meetings WHERE id = ?1",
                [meeting_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Takes the chair of a meeting (logged). Whoever begins a meeting takes it; a colleague can
    /// take it over explicitly, e.g. when the facilitator's connection dropped.
    pub fn take_chair(&mut self, meeting_id: i64) -> Result<()> {
        let user = self.user().to_owned();
        let old = self.chair(meeting_id)?;
        if old == user {
            return Ok(());
        }
        self.conn().execute(
            "UPDATE meetings SET chair = ?2 WHERE id = ?1",
            params![meeting_id, user],
        )?;
        self.audit("take_chair", Some(meeting_id), &format!("from '{old}'"))
    }

    /// Refuses to move the agenda for anyone but the chair (an empty chair is free to take). The
    /// chair is the login of a real uid ([`super::current_user`]): it cannot be claimed by
    /// setting `$USER`.
    pub fn check_chair(&self, meeting_id: i64) -> Result<()> {
        let chair = self.chair(meeting_id)?;
        if chair.is_empty() || chair == self.user() {
            return Ok(());
        }
        Err(StoreError::NotChair { chair })
    }

    /// Records that someone saw, exported, approved or backed up something.
    /// A search in the audit: the words, and how many records it showed (`more`: there were
    /// more than shown). Search reads every meeting and case at once, confidential ones too.
    pub fn audit_search(&self, query: &str, shown: usize, more: bool) -> Result<()> {
        let more = if more { "+" } else { "" };
        self.audit("search", None, &format!("{query:?}: {shown}{more} hits"))
    }

    pub fn audit(&self, action: &str, meeting_id: Option<i64>, detail: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit (at, by, action, meeting_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                self.now_text(),
                self.signature(),
                action,
                meeting_id,
                detail
            ],
        )?;
        Ok(())
    }

    /// Everything known about who did what: audit lines, changes, and the creation of every
    /// entry, oldest first; of one meeting or of all. The ward an approval records (what the
    /// approved header shows, `ward::shown_as_approved`) is no change: it reads
    /// `ward at approval: 都島区（271021）`, or `(no ward line)`.
    pub fn audit_trail(&self, meeting_id: Option<i64>) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        self.each_audit_entry(meeting_id, &mut |e| {
            out.push(e);
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }

    /// [`Store::audit_trail`], each line handed on as it is read (a ward's audit of ten years
    /// holds hundreds of thousands: `renkei audit` never holds them; attack report 6, finding
    /// 11). SQLite sorts them within its own bounded memory.
    pub fn each_audit_entry<E: From<StoreError>>(
        &self,
        meeting_id: Option<i64>,
        each: &mut dyn FnMut(AuditEntry) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT t.at, t.by, t.action, t.meeting_id, t.detail, i.at, i.by,
                        t.entity, t.record, t.field, t.old_value, t.new_value, t.amendment FROM (
                 SELECT at, by, action, meeting_id, detail, NULL AS origin, NULL AS entity,
                        NULL AS record, NULL AS field, NULL AS old_value, NULL AS new_value,
                        NULL AS amendment
                 FROM audit
                 UNION ALL
                 SELECT at, by, 'change', meeting_id,
                        entity || ' ' || COALESCE(entity_id, entity_uid, '?') || ' ' ||
                        CASE WHEN field = 'ward' AND amendment = 0
                             THEN 'ward at approval: ' || COALESCE(new_value, '(no ward line)')
                             ELSE field || ': ' || COALESCE(old_value, '') || ' -> ' ||
                                  COALESCE(new_value, '') ||
                                  CASE amendment WHEN 1 THEN ' (amendment)' ELSE '' END
                        END,
                        origin, entity, CAST(COALESCE(entity_id, entity_uid, '?') AS TEXT), field,
                        old_value, new_value, amendment
                 FROM changes
                 UNION ALL
                 SELECT created_at, created_by, 'create', id, 'meeting', origin, NULL, NULL, NULL,
                        NULL, NULL, NULL
                 FROM meetings
                 UNION ALL
                 SELECT created_at, created_by, 'create', meeting_id, 'attendee ' || id, origin,
                        NULL, NULL, NULL, NULL, NULL, NULL
                 FROM attendees
                 UNION ALL
                 SELECT e.created_at, e.created_by, 'create', i.meeting_id, e.kind || ' ' || e.id,
                        e.origin, NULL, NULL, NULL, NULL, NULL, NULL
                 FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                 UNION ALL
                 SELECT created_at, created_by, 'create', meeting_id, 'role_assignment ' || id,
                        origin, NULL, NULL, NULL, NULL, NULL, NULL
                 FROM role_assignments
                 UNION ALL
                 SELECT created_at, created_by, 'create', meeting_id, 'next_action ' || id, origin,
                        NULL, NULL, NULL, NULL, NULL, NULL
                 FROM next_actions
             ) t
             LEFT JOIN audit i ON i.id = t.origin
             WHERE ?1 IS NULL OR t.meeting_id = ?1
             ORDER BY t.at, t.action",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([meeting_id]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let entry = (|| {
                Ok::<_, rusqlite::Error>(AuditEntry {
                    at: r.get(0)?,
                    by: r.get(1)?,
                    action: r.get(2)?,
                    meeting_id: r.get(3)?,
                    detail: r.get(4)?,
                    imported: match (r.get(5)?, r.get(6)?) {
                        (Some(at), Some(by)) => Some(Imported { at, by }),
                        _ => None,
                    },
                    change: match (r.get(7)?, r.get(8)?, r.get(9)?) {
                        (Some(entity), Some(record), Some(field)) => Some(ChangeLine {
                            entity,
                            record,
                            field,
                            old: r.get(10)?,
                            new: r.get(11)?,
                            amendment: r.get::<_, Option<bool>>(12)?.unwrap_or(false),
                        }),
                        _ => None,
                    },
                })
            })()
            .map_err(StoreError::from)?;
            each(entry)?;
        }
        Ok(())
    }

    /// The people who entered something in a meeting, in the order they first did.
    pub fn contributors(&self, meeting_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT by FROM (
                 SELECT e.created_by AS by, e.created_at AS at FROM agenda_entries e
                 JOIN agenda_items i ON i.id = e.item_id WHERE i.meeting_id = ?1
                 UNION ALL SELECT created_by, created_at FROM role_assignments WHERE meeting_id = ?1
                 UNION ALL SELECT created_by, created_at FROM next_actions WHERE meeting_id = ?1
             ) WHERE by <> '' GROUP BY by ORDER BY MIN(at)",
        )?;
        let rows = stmt.query_map([meeting_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
