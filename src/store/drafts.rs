//! Review drafts (下書き): a case's review begun at a meeting and not recorded — what was typed
//! in its form, kept the moment the form is left (Esc, or the app ending with it open), so that
//! quitting, a kill or a dropped SSH connection loses nothing and the next start brings it back
//! in the review screen. One per meeting, case and user: each keeps their own, a colleague's
//! never overwrites it (schema step 13). Kept in the database like everything else
//! (owner-only), never exported, never in the minutes or the case record, and removed in the
//! same transaction that records the review (`Store::review_case`), or with its meeting or case.
//!
//! Every other form (a capture line of a live meeting, a correction, the case form) is kept the
//! same way while it is typed ([`FormDraft`]): the fields changed from what it opened with, per
//! user and form, written when the typing pauses and before the form is saved, removed once it
//! is saved or left with Esc, put back when the same form opens again.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

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

/// A review begun and not recorded: the meeting, the case, the status chosen, what was typed,
/// and the revisions its form opened on — the case's and its review's here, as
/// `store::cases::Seen` holds them (numbers here: drafts know nothing of cases) — None: a draft
/// kept by a renkei that did not keep them.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub meeting: i64,
    pub case: i64,
    pub status: CaseStatus,
    pub typed: Typed,
    pub seen: Option<(i64, Option<i64>)>,
}

impl Store {
    /// Keeps a review's draft (in place of this user's one before, for its meeting and case).
    pub fn keep_review_draft(&mut self, draft: &Draft) -> Result<()> {
        let t = &draft.typed;
        super::limits::texts(&[
            ("lead_agency", &t.lead),
            ("policy", &t.policy),
            ("next_review", &t.next),
            ("note", &t.note),
            ("reason", &t.reason),
            ("evaluation", &t.evaluation),
            ("transferred_to", &t.transferred_to),
        ])?;
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        tx.prepare_cached(
            "INSERT INTO review_drafts (meeting_id, case_id, status, lead_agency, policy,
                 next_review, note, closure_reason, evaluation, transferred_to, typed_by, typed_at,
                 case_rev, review_rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (meeting_id, case_id, typed_by) DO UPDATE SET status = excluded.status,
                 lead_agency = excluded.lead_agency, policy = excluded.policy,
                 next_review = excluded.next_review, note = excluded.note,
                 closure_reason = excluded.closure_reason, evaluation = excluded.evaluation,
                 transferred_to = excluded.transferred_to, typed_at = excluded.typed_at,
                 case_rev = excluded.case_rev, review_rev = excluded.review_rev",
        )?
        .execute(params![
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
            now,
            draft.seen.map(|s| s.0),
            draft.seen.and_then(|s| s.1),
        ])?;
        tx.commit()?;
        Ok(())
    }

    /// This user's drafts of a meeting's reviews, by case (a colleague's are theirs).
    pub fn review_drafts(&self, meeting: i64) -> Result<Vec<Draft>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT case_id, status, lead_agency, policy, next_review, note, closure_reason,
                    evaluation, transferred_to, case_rev, review_rev
             FROM review_drafts WHERE meeting_id = ?1 AND typed_by = ?2 ORDER BY case_id",
        )?;
        let rows = stmt.query_map(params![meeting, self.user()], |r| {
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
                match (r.get::<_, Option<i64>>(9)?, r.get(10)?) {
                    (Some(case_rev), review_rev) => Some((case_rev, review_rev)),
                    (None, _) => None,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (case, status, typed, seen) = row?;
            out.push(Draft {
                meeting,
                case,
                status: status.parse().map_err(super::StoreError::Invalid)?,
                typed,
                seen,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// This user's draft of a review let go (`x` in the review's list): a draft that will not
    /// be recorded — its case ended meanwhile, or the review is not to be made — is not kept.
    pub fn forget_review_draft(&mut self, meeting: i64, case: i64) -> Result<()> {
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        forget(&tx, meeting, case, &user)?;
        tx.commit()?;
        Ok(())
    }
}

/// The draft of a review once it is recorded: gone, in the recording's transaction — the
/// recorder's own; a colleague's stays theirs (their form says the case was reviewed meanwhile).
pub(crate) fn forget(conn: &Connection, meeting: i64, case: i64, user: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_drafts WHERE meeting_id = ?1 AND case_id = ?2 AND typed_by = ?3",
    )?
    .execute(params![meeting, case, user])?;
    Ok(())
}

/// What is typed in a form not saved yet: which form (its name, e.g. `meeting 12 entry note 5`),
/// the meeting or case it belongs to, the text it corrects (a correction's conflict check), and
/// each field changed from what it opened with: (index, label, as typed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormDraft {
    #[serde(skip)]
    pub form: String,
    #[serde(skip)]
    pub meeting: Option<i64>,
    #[serde(skip)]
    pub case: Option<i64>,
    #[serde(default)]
    pub original: Option<String>,
    /// The revision of the record the form opened on (`Form::loaded`).
    #[serde(default)]
    pub loaded: Option<i64>,
    /// What each changed field held when the form opened (`Form::opened_of_changed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opened: Vec<(usize, String)>,
    pub fields: Vec<(usize, String, String)>,
}

impl Store {
    /// Keeps what is typed in a form, in place of this user's draft of it before.
    pub fn keep_form_draft(&mut self, draft: &FormDraft) -> Result<()> {
        for (_, label, typed) in &draft.fields {
            super::limits::texts(&[(label.as_str(), typed.as_str())])?;
        }
        for (_, opened) in &draft.opened {
            super::limits::texts(&[("opened", opened.as_str())])?;
        }
        if let Some(original) = &draft.original {
            super::limits::texts(&[("original", original.as_str())])?;
        }
        let fields = serde_json::to_string(draft)
            .map_err(|e| super::StoreError::Invalid(format!("draft: {e}")))?;
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        tx.prepare_cached("INSERT INTO form_drafts (typed_by, form, meeting_id, case_id, fields, typed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (typed_by, form) DO UPDATE SET meeting_id = excluded.meeting_id,
                 case_id = excluded.case_id, fields = excluded.fields, typed_at = excluded.typed_at")?.execute(
            params![user, draft.form, draft.meeting, draft.case, fields, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// This user's draft of a form, if one is kept.
    pub fn form_draft(&self, form: &str) -> Result<Option<FormDraft>> {
        Ok(self.form_drafts_where("AND form = ?2", form)?.pop())
    }

    /// This user's drafts of every form, newest first.
    pub fn form_drafts(&self) -> Result<Vec<FormDraft>> {
        self.form_drafts_where("AND ?2 = ?2", "")
    }

    fn form_drafts_where(&self, condition: &str, form: &str) -> Result<Vec<FormDraft>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT form, meeting_id, case_id, fields FROM form_drafts
             WHERE typed_by = ?1 {condition} ORDER BY typed_at DESC, form"
        ))?;
        let rows = stmt.query_map(params![self.user(), form], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (form, meeting, case, fields) = row?;
            // A draft that cannot be read (written by another version) is no draft.
            if let Ok(draft) = serde_json::from_str::<FormDraft>(&fields) {
                out.push(FormDraft {
                    form,
                    meeting,
                    case,
                    ..draft
                });
            }
        }
        Ok(out)
    }

    /// This user's draft of a form is done with (the form left with Esc; a form saved lets its
    /// draft go in the save's own transaction, `Store::saving_form`).
    pub fn forget_form_draft(&mut self, form: &str) -> Result<()> {
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        forget_form(&tx, &user, form)?;
        tx.commit()?;
        Ok(())
    }
}

/// `user`'s draft of `form`, gone (in the caller's transaction).
pub(crate) fn forget_form(conn: &Connection, user: &str, form: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM form_drafts WHERE typed_by = ?1 AND form = ?2")?
        .execute(params![user, form])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(meeting: i64, case: i64, note: &str) -> Draft {
        Draft {
            meeting,
            case,
            status: CaseStatus::Monitoring,
            typed: Typed {
                note: note.to_owned(),
                ..Typed::default()
            },
            seen: None,
        }
    }

    /// Task formsafe 2: a colleague typing a review of the same case at the same meeting keeps
    /// their own draft; neither overwrites the other, and a review recorded lets go of its
    /// recorder's only. (Before, the last typed won: seen failing with sato's note replaced.)
    #[test]
    fn each_user_keeps_their_own_draft() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let case: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM cases", [], |r| r.get(0))
            .unwrap();
        store
            .keep_review_draft(&draft(meeting, case, "佐藤のメモ"))
            .unwrap();
        store.set_user("suzuki");
        store
            .keep_review_draft(&draft(meeting, case, "鈴木のメモ"))
            .unwrap();
        assert_eq!(
            store.review_drafts(meeting).unwrap()[0].typed.note,
            "鈴木のメモ"
        );
        store.set_user("sato");
        let mine = store.review_drafts(meeting).unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].typed.note, "佐藤のメモ");
        // sato's review recorded: sato's draft goes, suzuki's stays.
        forget(store.conn(), meeting, case, "sato").unwrap();
        assert!(store.review_drafts(meeting).unwrap().is_empty());
        store.set_user("suzuki");
        assert_eq!(store.review_drafts(meeting).unwrap().len(), 1);
    }

    /// A form's draft: kept per user and form, in place of the one before, read back as typed,
    /// let go.
    #[test]
    fn a_form_draft_is_kept_per_user_and_form() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let name = format!("meeting {meeting} entry note 3 new");
        let typed = |text: &str| FormDraft {
            form: name.clone(),
            meeting: Some(meeting),
            case: None,
            original: None,
            loaded: Some(7),
            opened: vec![(0, "面談".to_owned())],
            fields: vec![(0, "本文".to_owned(), text.to_owned())],
        };
        store.keep_form_draft(&typed("面談の")).unwrap();
        store.keep_form_draft(&typed("面談の日程\n調整中")).unwrap();
        assert_eq!(
            store.form_draft(&name).unwrap(),
            Some(typed("面談の日程\n調整中"))
        );
        store.set_user("suzuki");
        assert_eq!(store.form_draft(&name).unwrap(), None);
        store.keep_form_draft(&typed("鈴木")).unwrap();
        store.set_user("sato");
        assert_eq!(store.form_drafts().unwrap().len(), 1);
        store.forget_form_draft(&name).unwrap();
        assert_eq!(store.form_draft(&name).unwrap(), None);
        store.set_user("suzuki");
        assert_eq!(store.form_draft(&name).unwrap(), Some(typed("鈴木")));
    }

    /// A draft kept by the renkei before one that remembers the revision a form opened on
    /// still reads (its form then opens on the record as it is now, as it did).
    #[test]
    fn a_draft_kept_before_loaded_revisions_still_reads() {
        let old = r#"{"original":null,"fields":[[5,"援助方針","方針"]]}"#;
        let draft: FormDraft = serde_json::from_str(old).unwrap();
        assert_eq!(draft.loaded, None);
        assert!(draft.opened.is_empty());
        assert_eq!(
            draft.fields,
            vec![(5, "援助方針".to_owned(), "方針".to_owned())]
        );
    }
}
