//! A carried action reviewed at a later meeting: done and dropped are its status (closed in that
//! meeting, `Store::close_action`); continued, it stays open with a new due date and a note on its
//! progress, kept as a row of `action_reviews` and, for the due date, in `changes` — so that the
//! action's history and the minutes of the meeting where it was continued both say it.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::minutes::{Change, record_change};
use super::{Result, Store, StoreError};
use crate::i18n::Msg;
use crate::minutes::ActionReview;

impl Store {
    /// Continues a next action at `in_meeting` (or outside a meeting): open again if it was
    /// closed, due on `due` (none: no due date), with `note` on how it stands. The id of the
    /// review.
    pub fn continue_action(
        &mut self,
        action_id: i64,
        in_meeting: Option<i64>,
        due: Option<NaiveDate>,
        note: &str,
    ) -> Result<i64> {
        self.continue_action_seen(action_id, in_meeting, due, note, None)
    }

    /// [`Store::continue_action`] from a form opened on the action at status `seen` (its code):
    /// when a colleague has since marked it done or dropped (or continued one closed), nothing
    /// is written — `StoreError::Conflict` with the status it has now — so that their closing is
    /// not undone unseen; the form sent again with that status continues it.
    pub fn continue_action_seen(
        &mut self,
        action_id: i64,
        in_meeting: Option<i64>,
        due: Option<NaiveDate>,
        note: &str,
        seen: Option<&str>,
    ) -> Result<i64> {
        crate::store::limits::texts(&[("note", note)])?;
        self.write(|conn, now, user| {
            let (origin, old_due, status): (i64, Option<String>, String) = conn
                .query_row(
                    "SELECT meeting_id, due_date, status FROM next_actions
                     WHERE id = ?1 AND deleted_at IS NULL",
                    [action_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| {
                    StoreError::from(Msg::new("action_not_found").with("id", action_id))
                })?;
            if seen.is_some_and(|s| s != status) {
                return Err(StoreError::Conflict { current: status });
            }
            if let Some(m) = in_meeting {
                let exists = conn
                    .query_row("SELECT 1 FROM meetings WHERE id = ?1", [m], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !exists {
                    return Err(Msg::new("meeting_not_found").with("id", m).into());
                }
            }
            // Counted at the action's own meeting, in or outside a meeting (as its export).
            crate::store::limits::adding(conn, origin, |conn| {
                let new_due = due.map(|d| d.format("%Y-%m-%d").to_string());
                let change = |field, old: Option<&str>, new: Option<&str>| {
                    record_change(
                        conn,
                        now,
                        user,
                        &Change {
                            meeting_id: origin,
                            entity: "next_action",
                            entity_id: action_id,
                            field,
                            old,
                            new,
                        },
                    )
                };
                if status != "open" {
                    change("status", Some(&status), Some("open"))?;
                }
                if old_due != new_due {
                    change("due_date", old_due.as_deref(), new_due.as_deref())?;
                }
                conn.execute(
                    "UPDATE next_actions SET status = 'open', closed_at = NULL, closed_in = NULL,
                            due_date = ?2, updated_at = ?3 WHERE id = ?1",
                    params![action_id, new_due, now],
                )?;
                conn.execute(
                    "INSERT INTO action_reviews (action_id, meeting_id, note, due_before, due_after,
                                                 created_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        action_id,
                        in_meeting,
                        note.trim(),
                        old_due,
                        new_due,
                        user,
                        now
                    ],
                )?;
                Ok(conn.last_insert_rowid())
            })
        })
    }

    /// The continuations made at a meeting, in the order they were made.
    pub fn reviews_at(&self, meeting_id: i64) -> Result<Vec<ActionReview>> {
        self.reviews_where("r.meeting_id = ?1", meeting_id)
    }

    /// Every continuation of one action, oldest first.
    pub fn reviews_of(&self, action_id: i64) -> Result<Vec<ActionReview>> {
        self.reviews_where("r.action_id = ?1", action_id)
    }

    fn reviews_where(&self, condition: &str, id: i64) -> Result<Vec<ActionReview>> {
        let sql = format!(
            "SELECT r.action_id, r.meeting_id, m.date, r.note, r.due_before, r.due_after, r.created_at
             FROM action_reviews r LEFT JOIN meetings m ON m.id = r.meeting_id
             WHERE {condition} ORDER BY r.created_at, r.id"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok(ActionReview {
                action_id: r.get(0)?,
                meeting_id: r.get(1)?,
                meeting_date: r.get(2)?,
                note: r.get(3)?,
                due_before: r.get(4)?,
                due_after: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::ActionStatus;
    use crate::store::minutes::ActionEventKind;
    use crate::store::setup::tests::{planned, store};

    /// Continued at a meeting: the new due date in the action and its history, the note in the
    /// meeting's minutes input; a closed action continued is open again.
    #[test]
    fn a_continued_action_keeps_its_history() {
        let (_dir, mut store) = store();
        let planned = planned(&store, "支援方針検討会議");
        let carried = store.carried_actions(planned).unwrap();
        let action = carried[0].id;
        let due = NaiveDate::from_ymd_opt(2026, 12, 18);
        store
            .continue_action(action, Some(planned), due, " 1名と面談済み ")
            .unwrap();
        let reviews = store.reviews_at(planned).unwrap();
        assert_eq!(reviews.len(), 1);
        assert_eq!(reviews[0].note, "1名と面談済み");
        assert_eq!(reviews[0].due_before, carried[0].due);
        assert_eq!(reviews[0].due_after.as_deref(), Some("2026-12-18"));
        let history = store.action_history(action).unwrap();
        let continued: Vec<_> = history
            .iter()
            .filter(|e| e.kind == ActionEventKind::Continued)
            .collect();
        assert_eq!(continued.len(), 1);
        assert_eq!(continued[0].meeting_id, Some(planned));
        assert!(
            continued[0]
                .describe(crate::i18n::Lang::Ja)
                .contains("継続（期限 2026-12-18、経過: 1名と面談済み）")
        );
        let input = store.minutes_input(planned).unwrap().unwrap();
        assert_eq!(input.during.reviews, reviews);
        // The due date change is in the record of changes, against the meeting that gave it.
        let changed: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM changes WHERE entity = 'next_action' AND entity_id = ?1
                 AND field = 'due_date' AND new_value = '2026-12-18'",
                [action],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(changed, 1);

        store
            .close_action(action, ActionStatus::Done, Some(planned))
            .unwrap();
        store.continue_action(action, None, None, "").unwrap();
        let status: String = store
            .conn()
            .query_row(
                "SELECT status || '/' || COALESCE(due_date, '-') || '/' || COALESCE(closed_in, '-')
                 FROM next_actions WHERE id = ?1",
                [action],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(status, "open/-/-", "open again, without a due date");
        assert!(
            store
                .continue_action(action, Some(999_999), None, "")
                .is_err(),
            "no such meeting"
        );
    }
}
