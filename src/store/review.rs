//! A carried action reviewed at a later meeting: done and dropped are its status (closed in that
//! meeting, `Store::close_action`); continued, it stays open with a new due date and a note on its
//! progress, kept as a row of `action_reviews` and, for the due date, in `changes` — so that the
//! action's history and the minutes of the meeting where it was continued both say it.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::minutes::{Change, record_change};
use super::{Result, Store, StoreError};
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
        self.write(|conn, now, user| {
            let (origin, old_due, status): (i64, Option<String>, String) = conn
                .query_row(
                    "SELECT meeting_id, due_date, status FROM next_actions
                     WHERE id = ?1 AND deleted_at IS NULL",
                    [action_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| StoreError::Invalid(format!("next action {action_id} not found")))?;
            if let Some(m) = in_meeting {
                let exists = conn
                    .query_row("SELECT 1 FROM meetings WHERE id = ?1", [m], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !exists {
                    return Err(StoreError::Invalid(format!("meeting {m} not found")));
                }
            }
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
