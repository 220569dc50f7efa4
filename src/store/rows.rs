//! Rows of one table written several to a statement (`INSERT … VALUES (…), (…)`), for the
//! records an import writes of a meeting that has none of them yet.
//!
//! Why: a CHECK that names more than two values (`role IN (…nine roles)`, `attendance IN (…)`,
//! an action's `status IN (…)`) makes SQLite build a small temporary table of the values each
//! time a statement runs (once a run, not once a row). Written one row a statement, every
//! attendee of an import built two such tables and every action one: at scale 10, 27 000 of
//! them, about a tenth of the import's instructions. Several rows to a statement build them
//! once for the rows.
//!
//! A statement is undone whole when a constraint refuses one of its rows (SQLite keeps a
//! statement journal for a statement of several rows): [`Rows::write`] then says how many rows
//! were written before it, and the caller writes the rest one a statement, which names the
//! record refused exactly as before.

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, ErrorCode, ToSql};

use super::{Result, StoreError};

/// The most rows one statement writes: a meeting's attendees or actions are a few; a statement
/// text for each count up to this is kept prepared.
pub(crate) const ROWS: usize = 16;

/// A table and the columns its rows give.
pub(crate) struct Table {
    /// `INSERT INTO table (a, b, …)`: what comes before `VALUES`.
    pub into: &'static str,
    /// How many values a row has (the columns named by `into`).
    pub width: usize,
}

impl Table {
    /// Writes one row, any error returned.
    pub fn one<const N: usize>(&self, conn: &Connection, row: [ToSqlOutput<'_>; N]) -> Result<()> {
        debug_assert_eq!(N, self.width, "{}", self.into);
        conn.prepare_cached(&self.statement(1))?
            .execute(rusqlite::params_from_iter(row))?;
        Ok(())
    }

    /// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?)` for `rows` rows.
    fn statement(&self, rows: usize) -> String {
        let row = format!("({})", vec!["?"; self.width].join(", "));
        format!("{} VALUES {}", self.into, vec![row; rows].join(", "))
    }
}

/// Rows waiting to be written to one table.
pub(crate) struct Rows<'a> {
    table: &'static Table,
    values: Vec<ToSqlOutput<'a>>,
}

impl<'a> Rows<'a> {
    pub fn new(table: &'static Table) -> Rows<'a> {
        Rows {
            table,
            values: Vec::new(),
        }
    }

    /// Adds a row: its values in the order the table's `into` names the columns.
    pub fn push<const N: usize>(&mut self, row: [ToSqlOutput<'a>; N]) {
        debug_assert_eq!(N, self.table.width, "{}", self.table.into);
        self.values.extend(row);
    }

    /// Writes the rows in the order they were pushed, [`ROWS`] to a statement. Returns how many
    /// were written: all of them, or those before a statement that a constraint refused (which
    /// wrote none of its rows). Any other error is returned.
    pub fn write(&self, conn: &Connection) -> Result<usize> {
        let mut written = 0;
        let width = self.table.width;
        for chunk in self.values.chunks(width * ROWS) {
            let rows = chunk.len() / width;
            let sql = self.table.statement(rows);
            match conn
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(chunk))
            {
                Ok(_) => written += rows,
                // Only a refusal that left the import's transaction open is handed back: an
                // error that ended the transaction (a full disk) must end the import.
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == ErrorCode::ConstraintViolation && !conn.is_autocommit() =>
                {
                    return Ok(written);
                }
                Err(e) => return Err(StoreError::Sql(e)),
            }
        }
        Ok(written)
    }
}

/// A value a row owns (a uid made here, a number counted here).
pub(crate) fn owned(value: impl Into<Value>) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(value.into())
}

/// A value a row borrows from the record it writes.
pub(crate) fn lent<'a, T: ToSql + ?Sized>(value: &'a T) -> Result<ToSqlOutput<'a>> {
    Ok(value.to_sql()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,
                 kind TEXT NOT NULL CHECK (kind IN ('a', 'b', 'c')), note TEXT);
             BEGIN;",
        )
        .unwrap();
        conn
    }

    const T: Table = Table {
        into: "INSERT INTO t (uid, kind, note)",
        width: 3,
    };

    fn rows<'a>(uids: &'a [String]) -> Rows<'a> {
        let mut rows = Rows::new(&T);
        for (i, uid) in uids.iter().enumerate() {
            let note: Option<String> = (i % 2 == 0).then(|| format!("n{i}"));
            rows.push([lent(uid.as_str()).unwrap(), lent("b").unwrap(), owned(note)]);
        }
        rows
    }

    #[test]
    fn rows_past_one_statement_are_written_in_order() {
        let conn = table();
        let uids: Vec<String> = (0..ROWS * 2 + 3).map(|i| format!("u{i}")).collect();
        assert_eq!(rows(&uids).write(&conn).unwrap(), uids.len());
        let read: Vec<(i64, String, Option<String>)> = conn
            .prepare("SELECT id, uid, note FROM t ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(read.len(), uids.len());
        for (i, (id, uid, note)) in read.into_iter().enumerate() {
            assert_eq!(id, i as i64 + 1);
            assert_eq!(uid, uids[i]);
            assert_eq!(note, (i % 2 == 0).then(|| format!("n{i}")));
        }
    }

    #[test]
    fn a_refused_statement_writes_none_of_its_rows_and_says_how_many_came_before() {
        let conn = table();
        conn.execute("INSERT INTO t (uid, kind) VALUES ('taken', 'a')", [])
            .unwrap();
        // The second statement's third row has a uid the table holds.
        let mut uids: Vec<String> = (0..ROWS + 5).map(|i| format!("u{i}")).collect();
        uids[ROWS + 2] = "taken".to_owned();
        assert_eq!(rows(&uids).write(&conn).unwrap(), ROWS);
        let count: i64 = conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1 + ROWS as i64, "the refused statement left nothing");
        assert!(!conn.is_autocommit(), "the transaction goes on");
    }

    #[test]
    fn an_error_that_is_no_constraint_is_returned() {
        let conn = table();
        const MISSING: Table = Table {
            into: "INSERT INTO missing (uid, kind, note)",
            width: 3,
        };
        let mut rows = Rows::new(&MISSING);
        rows.push([
            lent("u").unwrap(),
            lent("a").unwrap(),
            owned(None::<String>),
        ]);
        assert!(rows.write(&conn).is_err());
        let one = [
            lent("u").unwrap(),
            lent("d").unwrap(),
            owned(None::<String>),
        ];
        assert!(T.one(&conn, one).is_err(), "a value the CHECK refuses");
    }
}
