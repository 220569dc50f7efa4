//! The tables the schema derives from the records by triggers — the people recorded
//! (`recorded_texts`, step 15), the followed cases' review basis (`case_review_basis`, step
//! 14) and each body's latest meeting held (`body_last_held`, step 16) — set aside for a bulk
//! write and made again whole at its end.
//!
//! Row by row, each of those triggers costs more than the row it fires on: every link of a case
//! to a meeting computed the case's whole basis again (a case of twelve meetings twelve times),
//! every attendee looked its meeting up, and any trigger at all makes SQLite open a statement
//! journal for the INSERT, copying every page the row touches before writing it. An import into
//! an empty database spent about a fifth of its time there. The last of them, `body_last_held`'s
//! on the meetings, looked up its body's latest meeting held at every meeting held inserted, and
//! its statement journal copied the pages of the meetings' table and of their eight indexes
//! at every meeting (importspeed2: 6 % of an import of a ward, most of it system time). When a write brings a large share
//! of what the database will hold (the condition [`super::search::set_aside`] is taken on),
//! making both tables again from everything costs a small part of that.

use rusqlite::Transaction;

use super::Result;
use super::schema::{LAST_HELD, RECORDED_TEXTS, REVIEW_BASIS};

/// The triggers that keep the derived tables: every one named `recorded_…` or `review_basis_…`,
/// and those of `body_last_held` on the meetings (`last_held_meeting_…`; a body's own, which fire
/// once per body, stay: the table is made again for every body at the end anyway).
const TRIGGERS: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
     AND (name LIKE 'recorded\\_%' ESCAPE '\\' OR name LIKE 'review\\_basis\\_%' ESCAPE '\\'
          OR name LIKE 'last\\_held\\_meeting\\_%' ESCAPE '\\')
     ORDER BY name";

/// The triggers set aside by [`set_aside`], to be put back by [`again`].
#[must_use = "the derived tables are made again and the triggers put back only by again"]
pub(crate) struct DerivedAside(Vec<String>);

/// Sets aside within `tx` the triggers that keep the derived tables. They are part of the
/// schema: a transaction that fails or is dropped puts them back with everything else, and no
/// other process sees them gone (it reads the last committed schema).
pub(crate) fn set_aside(tx: &Transaction) -> Result<DerivedAside> {
    let triggers: Vec<(String, String)> = tx
        .prepare(TRIGGERS)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
    }
    Ok(DerivedAside(
        triggers.into_iter().map(|(_, sql)| sql).collect(),
    ))
}

/// Makes the derived tables again from every record, in the caller's transaction (the end of a
/// bulk write, `renkei check --mend`): the review basis of every followed case, as the triggers
/// keep it (`Store::review_basis_stale`); every text recorded added to those kept (a text once
/// recorded stays: `Store::recorded_texts_missing`); every body's latest meeting held
/// (`Store::last_held_stale`).
pub(crate) fn make(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "DELETE FROM case_review_basis;
         INSERT INTO case_review_basis (case_id, fixed, base, risk, has_body, kind, own, body_id)
         {REVIEW_BASIS};
         INSERT OR IGNORE INTO recorded_texts (text, kind) {RECORDED_TEXTS};
         DELETE FROM body_last_held;
         INSERT INTO body_last_held (body_id, held) {LAST_HELD};"
    ))?;
    Ok(())
}

/// Makes the derived tables again from every record and puts the triggers back (the end of a
/// bulk write, in its transaction).
pub(crate) fn again(tx: &Transaction, aside: DerivedAside) -> Result<()> {
    make(tx)?;
    for sql in aside.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}
