//! The `changes` table's rows: one change of an entry of a meeting, an amendment when its
//! minutes are approved. A leaf of the store: the minutes, the captures, the import and the
//! wards record changes through it (the wards' amendments made `ward` and `minutes` import each
//! other when this lived in `minutes`).

use rusqlite::{Connection, params};

use super::Result;

/// One change to an entry of a meeting, as the `changes` table keeps it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub meeting_id: i64,
    pub entity: &'a str,
    pub entity_id: i64,
    pub field: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

impl<'a> Change<'a> {
    /// A change to a field of the meeting itself.
    pub fn meeting(
        meeting_id: i64,
        field: &'a str,
        old: Option<&'a str>,
        new: Option<&'a str>,
    ) -> Change<'a> {
        Change {
            meeting_id,
            entity: "meeting",
            entity_id: meeting_id,
            field,
            old,
            new,
        }
    }
}

/// Records a change; it is an amendment when the meeting's minutes are already approved, so that
/// a change after approval is listed with the minutes instead of being a silent edit.
pub(crate) fn record_change(conn: &Connection, at: &str, by: &str, c: &Change) -> Result<()> {
    conn.prepare_cached("INSERT INTO changes (at, by, meeting_id, entity, entity_id, field, old_value, new_value, amendment)
         SELECT ?1, ?2, id, ?4, ?5, ?6, ?7, ?8, minutes_state = 'approved' FROM meetings WHERE id = ?3")?.execute(
        params![at, by, c.meeting_id, c.entity, c.entity_id, c.field, c.old, c.new],
    )?;
    Ok(())
}
