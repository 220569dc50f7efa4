//! Review drafts (下書き): a case's review begun at a meeting and not recorded — what was typed
//! in its form, kept the moment the form is left (Esc, or the app ending with it open), so that
//! quitting, a kill or a dropped SSH connection loses nothing and the next start brings it back
//! in the review screen. One per meeting and case (the last one typed); kept in the database
//! like everything else (owner-only), never exported, never in the minutes or the case record,
//! and removed in the same transaction that records the review (`Store::review_case`), or with
//! its meeting or case.

use rusqlite::{Connection, params};

use super::{Result, Store};
use crate::domain::case::CaseStatus;

/// What a review form holds, as typed (a date as written: `3/8`, `3か月後`; read when the review
/// is recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    pub lead: String,
    pub policy: String,
    pub next: String,
    pub note: String,
    pub reason: String,
    pub evaluation: String,
    pub transferred_to: String,
}

/// A review begun and not recorded: the meeting, the case, the status chosen and what was typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub meeting: i64,
    pub case: i64,
    pub status: CaseStatus,
    pub typed: Typed,
}

impl Store {
    /// Keeps a review's draft (in place of the one before, for its meeting and case).
    pub fn keep_review_draft(&mut self, draft: &Draft) -> Result<()> {
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        let t = &draft.typed;
        tx.execute(
            "INSERT INTO review_drafts (meeting_id, case_id, status, lead_agency, policy,
                 next_review, note, closure_reason, evaluation, transferred_to, typed_by, typed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (meeting_id, case_id) DO UPDATE SET status = excluded.status,
                 lead_agency = excluded.lead_agency, policy = excluded.policy,
                 next_review = excluded.next_review, note = excluded.note,
                 closure_reason = excluded.closure_reason, evaluation = excluded.evaluation,
                 transferred_to = excluded.transferred_to, typed_by = excluded.typed_by,
                 typed_at = excluded.typed_at",
            params![
                draft.meeting,
                draft.case,
                draft.status.code(),
                t.lead,
                t.policy,
                t.next,
                t.note,
                t.reason,
                t.evaluation,
                t.transferred_to,
                user,
                now
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The drafts of a meeting's reviews, by case.
    pub fn review_drafts(&self, meeting: i64) -> Result<Vec<Draft>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT case_id, status, lead_agency, policy, next_review, note, closure_reason,
                    evaluation, transferred_to
             FROM review_drafts WHERE meeting_id = ?1 ORDER BY case_id",
        )?;
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                Typed {
                    lead: r.get(2)?,
                    policy: r.get(3)?,
                    next: r.get(4)?,
                    note: r.get(5)?,
                    reason: r.get(6)?,
                    evaluation: r.get(7)?,
                    transferred_to: r.get(8)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (case, status, typed) = row?;
            out.push(Draft {
                meeting,
                case,
                status: status.parse().map_err(super::StoreError::Invalid)?,
                typed,
            });
        }
        Ok(out)
    }
}

/// The draft of a review once it is recorded: gone, in the recording's transaction.
pub(crate) fn forget(conn: &Connection, meeting: i64, case: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM review_drafts WHERE meeting_id = ?1 AND case_id = ?2",
        params![meeting, case],
    )?;
    Ok(())
}
