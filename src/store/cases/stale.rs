//! A form that loaded a case (and its review at a meeting) gives back what it loaded: a save
//! over a change made meanwhile is refused, naming the case, who changed it and, for a review,
//! what they decided — never silently overwritten (the review and the case form).

use rusqlite::{Connection, OptionalExtension, params};

use super::code;
use crate::domain::case::CaseStatus;
use crate::i18n::{Msg, message_lang};
use crate::store::{Result, StoreError};

/// The revisions of a case and of its review at a meeting, as a form loaded them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub case_rev: i64,
    /// None: the case had no review at the meeting.
    pub review_rev: Option<i64>,
}

/// The revisions of `case` and of its review at `meeting` (if any), as a form loads them.
pub(crate) fn seen(conn: &Connection, meeting: Option<i64>, case: i64) -> Result<Seen> {
    let case_rev: i64 = conn
        .prepare_cached("SELECT rev FROM cases WHERE id = ?1")?
        .query_row([case], |r| r.get(0))
        .optional()?
        .ok_or_else(|| super::not_found(case))?;
    let review_rev = match meeting {
        Some(m) => conn
            .prepare_cached(
                "SELECT rev FROM case_reviews
                 WHERE meeting_id = ?1 AND case_id = ?2 AND deleted_at IS NULL",
            )?
            .query_row(params![m, case], |r| r.get(0))
            .optional()?,
        None => None,
    };
    Ok(Seen {
        case_rev,
        review_rev,
    })
}

/// A save from a form that loaded `was` refused when the case (or its review at `meeting`)
/// changed since: the refusal names the case, who changed it, and a review's decision.
pub(crate) fn refuse_stale(
    conn: &Connection,
    meeting: Option<i64>,
    case: i64,
    was: &Seen,
) -> Result<()> {
    let now = seen(conn, meeting, case)?;
    let review_changed = meeting.is_some() && now.review_rev != was.review_rev;
    if !review_changed && now.case_rev == was.case_rev {
        return Ok(());
    }
    let pseudonym: String =
        conn.query_row("SELECT pseudonym FROM cases WHERE id = ?1", [case], |r| {
            r.get(0)
        })?;
    // Who: the last change kept of the case (a review's rows come last in its transaction).
    let last: Option<(String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT by, entity, entity_uid FROM case_changes WHERE case_id = ?1
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([case], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (by, entity, uid) = last.unwrap_or_default();
    let by = if by.is_empty() { "?".to_owned() } else { by };
    let review_status: Option<String> = if review_changed || entity == "case_review" {
        conn.prepare_cached(
            "SELECT status FROM case_reviews WHERE deleted_at IS NULL
               AND ((?1 IS NOT NULL AND uid = ?1) OR (?1 IS NULL AND meeting_id = ?2 AND case_id = ?3))
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(
            params![uid.filter(|_| entity == "case_review"), meeting, case],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    let msg = match review_status {
        Some(status) => {
            let status: CaseStatus = code(&status)?;
            Msg::new("case_reviewed_meanwhile")
                .with("case", crate::text::inert(&pseudonym))
                .with("by", by)
                .with("status", status.label(message_lang()))
        }
        None => Msg::new("case_changed_meanwhile")
            .with("case", crate::text::inert(&pseudonym))
            .with("by", by),
    };
    Err(StoreError::Conflict {
        current: msg.to_string(),
    })
}
