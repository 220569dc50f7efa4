//! A new database made at schema version [`VERSION`] at once, from the schema the migrations
//! make (`direct.sql`), instead of running the steps one after the other: every step that
//! rebuilds a table or edits definitions makes SQLite parse the whole schema again, which was
//! 4.7 % of an import of scale 10 into a new file and 0.1 s of CPU for each new database of a
//! debug build. The steps after [`VERSION`] run as migrations on it, so a step added later
//! needs nothing here: the new database is the migrated one by construction — the file is the
//! result of released steps, which are never edited (`the_direct_schema_is_the_migrated_one`
//! checks it, and writes it again when asked to).

use rusqlite::Connection;

use crate::store::StoreError;

/// The version `direct.sql` brings a new database to.
pub(super) const VERSION: u32 = 21;

/// The schema of a database migrated from nothing through step [`VERSION`]: its tables (the
/// search index's own made by its virtual table), then its indexes, views and triggers in the
/// order they were made, then the rows the steps wrote.
const SCHEMA: &str = include_str!("direct.sql");

/// Makes an empty database's schema at [`VERSION`], inside the migration's transaction.
pub(super) fn create(tx: &Connection) -> Result<u32, StoreError> {
    tx.execute_batch(SCHEMA)?;
    tx.pragma_update(None, "user_version", VERSION)?;
    Ok(VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::{MIGRATIONS, apply_steps, migrate, user_version};
    use rusqlite::types::ValueRef;

    /// The objects of the schema as `direct.sql` makes them: the tables first (a view or a
    /// trigger may name a table rebuilt after it), then the rest in the order made; without
    /// SQLite's own and the tables a virtual table makes for itself.
    fn objects(conn: &Connection) -> Vec<(String, String, String)> {
        let all: Vec<(String, String, String)> = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_schema
                 WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                 ORDER BY type <> 'table', rowid",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let virtual_tables: Vec<String> = all
            .iter()
            .filter(|(_, _, sql)| sql.starts_with("CREATE VIRTUAL TABLE"))
            .map(|(_, name, _)| format!("{name}_"))
            .collect();
        all.into_iter()
            .filter(|(kind, name, _)| {
                kind != "table" || !virtual_tables.iter().any(|v| name.starts_with(v))
            })
            .collect()
    }

    /// Every table holding rows, the virtual table's own and SQLite's included.
    fn tables(conn: &Connection) -> Vec<String> {
        conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
                 AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    fn literal(value: ValueRef) -> String {
        match value {
            ValueRef::Null => "NULL".to_owned(),
            ValueRef::Integer(i) => i.to_string(),
            ValueRef::Real(f) => format!("{f:?}"),
            ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
            ValueRef::Blob(b) => {
                let hex: String = b.iter().map(|byte| format!("{byte:02X}")).collect();
                format!("X'{hex}'")
            }
        }
    }

    /// The columns of `table`, and its rows as SQL literals, in rowid order.
    fn rows(conn: &Connection, table: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let mut rows = stmt.query([]).unwrap();
        let mut out = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            out.push(
                (0..names.len())
                    .map(|i| literal(row.get_ref(i).unwrap()))
                    .collect(),
            );
        }
        (names, out)
    }

    /// The columns of each table whose values differ between two databases made alike: made
    /// by their DEFAULT (a ward's uid, random), which every new database computes anew.
    type Made = Vec<(String, Vec<bool>)>;

    fn made_anew(one: &Connection, other: &Connection) -> Made {
        tables(one)
            .into_iter()
            .map(|t| {
                let (names, a) = rows(one, &t);
                let (_, b) = rows(other, &t);
                let anew = (0..names.len())
                    .map(|i| a.iter().zip(&b).any(|(x, y)| x[i] != y[i]))
                    .collect();
                (t, anew)
            })
            .collect()
    }

    fn anew_in<'m>(made: &'m Made, table: &str) -> &'m [bool] {
        made.iter()
            .find(|(t, _)| t == table)
            .map_or(&[], |(_, anew)| anew.as_slice())
    }

    /// All a database is, as far as a new one goes: its objects by kind in the order made (the
    /// order of triggers is the order they fire in), every table's rows (a value made anew:
    /// `*`), its version.
    type Described = (
        Vec<(String, String, String)>,
        Vec<(String, Vec<String>)>,
        u32,
    );

    fn describe(conn: &Connection, made: &Made) -> Described {
        let mut objects: Vec<(String, String, String)> = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        // Each kind in the order made (stable), but the tables by name: SQLite's own table of
        // AUTOINCREMENT counters is made with the first table that has one, which the direct
        // schema makes at another place among the tables.
        objects.sort_by(|a, b| match a.0 == "table" && b.0 == "table" {
            true => a.1.cmp(&b.1),
            false => a.0.cmp(&b.0),
        });
        let rows = tables(conn)
            .into_iter()
            .map(|t| {
                let anew = anew_in(made, &t);
                let (_, rows) = rows(conn, &t);
                let rows = rows
                    .into_iter()
                    .map(|row| {
                        let kept: Vec<&str> = row
                            .iter()
                            .enumerate()
                            .map(|(i, v)| match anew.get(i) {
                                Some(true) => "*",
                                _ => v.as_str(),
                            })
                            .collect();
                        kept.join(", ")
                    })
                    .collect();
                (t, rows)
            })
            .collect();
        (objects, rows, user_version(conn).unwrap())
    }

    /// `direct.sql` as the migrations through [`VERSION`] make it (`made`: the values the
    /// database computes anew, left to it).
    fn dump(conn: &Connection, made: &Made) -> String {
        let mut sql = String::from(
            "-- Made by store::schema::direct's tests from the migrations 1 to 21: not to be edited.\n",
        );
        for (_, _, create) in objects(conn) {
            sql.push_str(&create);
            sql.push_str(";\n");
        }
        // The virtual table makes rows of its own tables (replaced: a setting the steps made
        // is one of its rows, and its structure record holds the cookie that makes every
        // connection read the settings again).
        for table in tables(conn) {
            let anew = anew_in(made, &table);
            let (names, rows) = rows(conn, &table);
            let kept: Vec<usize> = (0..names.len())
                .filter(|&i| anew.get(i) != Some(&true))
                .collect();
            let columns: Vec<String> = kept.iter().map(|&i| format!("\"{}\"", names[i])).collect();
            for row in rows {
                let values: Vec<&str> = kept.iter().map(|&i| row[i].as_str()).collect();
                sql.push_str(&format!(
                    "INSERT OR REPLACE INTO \"{table}\" ({}) VALUES ({});\n",
                    columns.join(", "),
                    values.join(", ")
                ));
            }
        }
        sql
    }

    /// Panics naming the first difference.
    fn same(got: &Described, want: &Described, why: &str) {
        for (g, w) in got.0.iter().zip(&want.0) {
            assert_eq!(g, w, "{why}: the first object that differs");
        }
        assert_eq!(got.0.len(), want.0.len(), "{why}: the number of objects");
        for (g, w) in got.1.iter().zip(&want.1) {
            assert_eq!(g, w, "{why}: the rows of a table");
        }
        assert_eq!(got.1.len(), want.1.len(), "{why}: the number of tables");
        assert_eq!(got.2, want.2, "{why}: the version");
    }

    fn stepped(steps: &[&str]) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        apply_steps(&mut conn, steps).unwrap();
        conn
    }

    fn made_directly() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        create(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    /// `direct.sql` makes what the steps through [`VERSION`] make: the same objects in the
    /// same order of each kind, the same rows, the same version — and a value the steps compute
    /// anew for each database (the ward's uid) computed anew, never the file's. With
    /// `RENKEI_WRITE_SCHEMA=1` it writes the file again first (a released step is never edited:
    /// only a change of how it is written would need it).
    #[test]
    fn the_direct_schema_is_the_migrated_one() {
        let migrated = stepped(&MIGRATIONS[..VERSION as usize]);
        let made = made_anew(&migrated, &stepped(&MIGRATIONS[..VERSION as usize]));
        if std::env::var_os("RENKEI_WRITE_SCHEMA").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/schema/direct.sql");
            std::fs::write(path, dump(&migrated, &made)).unwrap();
        }
        let direct = made_directly();
        same(
            &describe(&direct, &made),
            &describe(&migrated, &made),
            &format!(
                "direct.sql is not the schema of the steps 1 to {VERSION} \
                 (RENKEI_WRITE_SCHEMA=1 cargo test --lib schema::direct makes it again)"
            ),
        );
        let ward = |conn: &Connection| -> String {
            conn.query_row("SELECT uid FROM wards WHERE id = 1", [], |r| r.get(0))
                .unwrap()
        };
        assert_ne!(
            ward(&direct),
            ward(&made_directly()),
            "two new wards, one uid"
        );
        assert_ne!(ward(&direct), ward(&migrated));
    }

    /// A new database through `migrate` (the direct schema, then the steps after it) is the
    /// one every step makes from nothing — whatever steps are added after [`VERSION`].
    #[test]
    fn a_new_database_is_the_one_every_step_makes() {
        let all = stepped(MIGRATIONS);
        let made = made_anew(&all, &stepped(MIGRATIONS));
        let mut direct = Connection::open_in_memory().unwrap();
        migrate(&mut direct).unwrap();
        assert_eq!(user_version(&direct).unwrap(), MIGRATIONS.len() as u32);
        same(
            &describe(&direct, &made),
            &describe(&all, &made),
            "a new database",
        );
    }
}
