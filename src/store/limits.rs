//! The limits of [`crate::limits`] as every store writer keeps them: a text longer than
//! [`crate::limits::MAX_TEXT_BYTES`] is refused with a message naming the field, an entry
//! is not added to a meeting that holds [`crate::limits::MAX_ENTRIES`] already, and no write
//! takes a meeting or a case past what the import holds of one record
//! ([`crate::limits::MAX_RECORD_BYTES`] of its export: `store::record_size`). Nothing is
//! written when any refuses.

use rusqlite::Connection;

use super::Result;

/// Every text a writer is given, by the name of its field: refused when one is too long.
pub(crate) fn texts(fields: &[(&str, &str)]) -> Result<()> {
    for (field, value) in fields {
        crate::limits::text(field, value)?;
    }
    Ok(())
}

/// How many entries a meeting holds, of every kind the limit counts (removed ones included:
/// they stay in its history and in its export). A continuation of an action counts at the
/// action's own meeting, where the export writes it (`actions[i].reviews`) and the import
/// counts it, wherever it was made: what a meeting holds here, its export brings back.
pub(crate) fn entries(conn: &Connection, meeting: i64) -> Result<usize> {
    // Kept prepared: every capture counts twice, and the statement is long to compile.
    let held: i64 = conn
        .prepare_cached(
            "SELECT (SELECT COUNT(*) FROM attendees WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM agenda_entries e JOIN agenda_items i ON i.id = e.item_id
                 WHERE i.meeting_id = ?1)
              + (SELECT COUNT(*) FROM role_assignments WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM next_actions WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM case_issues WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM meeting_cases WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM case_reviews WHERE meeting_id = ?1)
              + (SELECT COUNT(*) FROM action_reviews r JOIN next_actions a ON a.id = r.action_id
                 WHERE a.meeting_id = ?1)",
        )?
        .query_row([meeting], |r| r.get(0))?;
    Ok(held.max(0) as usize)
}

impl super::Store {
    /// How many entries `meeting` holds, as the limit counts them (see [`entries`]).
    pub fn meeting_entries(&self, meeting: i64) -> Result<usize> {
        entries(self.conn(), meeting)
    }
}

/// The one path by which entries join a meeting: `add` writes them (one capture, or several at
/// once — a roster copied, an agenda prepared, a review with the case's link to the meeting),
/// then the meeting's entries are counted in the same transaction. Past
/// [`crate::limits::MAX_ENTRIES`] the writer is refused, and nothing it wrote is committed (its
/// transaction ends without a commit). Counting after the writing counts exactly what was
/// added, however many rows one statement made; a writer that adds none (a link already there,
/// a review revised) passes a meeting at the limit.
pub(crate) fn adding<T>(
    conn: &Connection,
    meeting: i64,
    add: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let before = entries(conn, meeting)?;
    let value = add(conn)?;
    let after = entries(conn, meeting)?;
    if after > before {
        crate::limits::entries_room(before, after - before)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Attendance, EntryKind, Role};
    use crate::limits::{MAX_ENTRIES, MAX_TEXT_BYTES};
    use crate::store::capture::{CaseFields, Entity};

    fn said(e: crate::store::StoreError) -> String {
        e.to_string()
    }

    /// Attack report 2, finding 4: nothing bounded what a writer took.
    #[test]
    fn every_writer_refuses_a_text_over_the_limit_and_writes_nothing() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let long = "あ".repeat(MAX_TEXT_BYTES / 3 + 1);
        let fits = "あ".repeat(MAX_TEXT_BYTES / 3);
        let before = entries(store.conn(), meeting).unwrap();
        let refusals = [
            store.add_entry(item, EntryKind::Note, &long).map(drop),
            store.add_agenda_item(meeting, &long, None).map(drop),
            store
                .add_attendee(meeting, None, &long, "", Role::Member, Attendance::Present)
                .map(drop),
            store.add_role(meeting, Some("児童相談所"), &long).map(drop),
            store
                .add_action(meeting, Some(&long), "電話", None)
                .map(drop),
            store.add_case_issue(meeting, &long).map(drop),
        ];
        for (i, r) in refusals.into_iter().enumerate() {
            let e = said(r.unwrap_err());
            assert!(e.contains("1 MB"), "{i}: {e}");
        }
        assert_eq!(entries(store.conn(), meeting).unwrap(), before);
        let note = store.add_entry(item, EntryKind::Note, &fits).unwrap();
        assert!(store.edit_text(Entity::Entry, note, None, &long).is_err());
        let kept: String = store
            .conn()
            .query_row(
                "SELECT text FROM agenda_entries WHERE id = ?1",
                [note],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, fits);
        let fields = CaseFields {
            support_policy: long.clone(),
            ..CaseFields::default()
        };
        assert!(store.set_case_fields(meeting, &fields).is_err());
        // Drafts and the ward's name too: nothing is stored.
        let case: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM cases", [], |r| r.get(0))
            .unwrap();
        let draft = crate::store::drafts::Draft {
            meeting,
            case,
            status: crate::domain::case::CaseStatus::Active,
            typed: crate::store::drafts::Typed {
                transferred_to: long.clone(),
                ..Default::default()
            },
            seen: None,
        };
        let e = said(store.keep_review_draft(&draft).unwrap_err());
        assert!(e.contains("transferred_to") && e.contains("1 MB"), "{e}");
        assert!(store.review_drafts(meeting).unwrap().is_empty());
        let form = crate::store::drafts::FormDraft {
            form: format!("meeting {meeting} entry note 1 new"),
            meeting: Some(meeting),
            fields: vec![(0, "本文".to_owned(), long.clone())],
            ..Default::default()
        };
        assert!(said(store.keep_form_draft(&form).unwrap_err()).contains("1 MB"));
        assert!(store.form_drafts().unwrap().is_empty());
        let ward = store.home_ward().unwrap();
        assert!(said(store.set_ward(&long, None).unwrap_err()).contains("1 MB"));
        assert_eq!(store.home_ward().unwrap(), ward);
    }

    #[test]
    fn a_full_meeting_takes_no_more_entries() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let held = entries(store.conn(), meeting).unwrap();
        store
            .conn()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
                 INSERT INTO agenda_entries (item_id, kind, text, created_at, updated_at)
                 SELECT ?1, 'note', 'メモ' || i, '2026-11-21T10:00:00+09:00',
                        '2026-11-21T10:00:00+09:00' FROM n",
                rusqlite::params![item, (MAX_ENTRIES - held - 1) as i64],
            )
            .unwrap();
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES - 1);
        store.add_entry(item, EntryKind::Note, "最後").unwrap();
        let e = said(
            store
                .add_entry(item, EntryKind::Note, "一つ多い")
                .unwrap_err(),
        );
        assert!(e.contains("10000"), "{e}");
        assert!(store.add_action(meeting, None, "電話", None).is_err());
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES);
    }

    /// A continuation of an action counts at the action's own meeting, as its export writes it
    /// (`actions[i].reviews`) and the import counts it: made outside any meeting or at a later
    /// one, it cannot carry a meeting past the limit its own export would be refused at.
    #[test]
    fn a_continuation_counts_at_the_actions_own_meeting() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let later = store
            .meetings(None)
            .unwrap()
            .iter()
            .find(|m| m.id != meeting)
            .unwrap()
            .id;
        let action = store.add_action(meeting, None, "電話", None).unwrap();
        let before = (
            entries(store.conn(), meeting).unwrap(),
            entries(store.conn(), later).unwrap(),
        );
        store
            .continue_action(action, Some(later), None, "継続")
            .unwrap();
        assert_eq!(
            (
                entries(store.conn(), meeting).unwrap(),
                entries(store.conn(), later).unwrap()
            ),
            (before.0 + 1, before.1)
        );
        let item = store.add_agenda_item(meeting, "経過", None).unwrap();
        let held = entries(store.conn(), meeting).unwrap();
        store
            .conn()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
                 INSERT INTO agenda_entries (item_id, kind, text, created_at, updated_at)
                 SELECT ?1, 'note', 'メモ' || i, '2026-11-21T10:00:00+09:00',
                        '2026-11-21T10:00:00+09:00' FROM n",
                rusqlite::params![item, (MAX_ENTRIES - held) as i64],
            )
            .unwrap();
        // Full: neither at a later meeting nor outside one.
        assert!(
            store
                .continue_action(action, Some(later), None, "再び")
                .is_err()
        );
        assert!(store.continue_action(action, None, None, "再び").is_err());
        assert_eq!(entries(store.conn(), meeting).unwrap(), MAX_ENTRIES);
    }
}
