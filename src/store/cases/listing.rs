//! The ledger as `renkei cases` writes it: in the ledger's order, each row handed on as it is
//! read, never every case at once (a city holds tens of thousands). One reading of every case
//! puts each one's place in the order (its sort key) into a temporary table — SQLite's, which
//! spills to disk past its page cache — and gathers what the caller measures (the table's column
//! widths) and the agency names the rows hold. [`Store::each_ledger_row`] keeps the row's columns
//! beside its key, and a second statement reads them back in the order of that table: one pass
//! over the cases' links, as the ledger read whole made. (Reading each case again by its id, a
//! statement each, cost twice that pass: every statement sets up the temporary tables of its
//! links again — 4 500 of them for the 1 505 cases `cases --due` listed on the ward-scale set.)

use rusqlite::params;

use super::read::{Cases, LedgerFilter, finish, row, row_sql};
use crate::cases::ledger::CaseRow;
use crate::store::{Result, Store};

/// What [`Store::each_ledger_row`] is asked for: which cases, in which ward.
#[derive(Debug, Clone, Copy, Default)]
pub struct LedgerQuery {
    pub filter: LedgerFilter,
    /// Only those due for review by today.
    pub due: bool,
    /// Only those of this ward (a city's).
    pub ward: Option<i64>,
}

/// A case's place in the ledger's order, with what the TUI's 超過のみ narrows it by: what
/// [`Store::ledger_order`] hands on, a few bytes a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    /// Followed, and past its review date.
    pub overdue: bool,
    /// The body that reviews it (the last whose meeting discussed it).
    pub review_body: Option<i64>,
}

/// The columns of `temp.ledger_order` before a row's own: the ledger's sort key, the case and
/// the body that reviews it.
const KEY_COLUMNS: usize = 7;

impl Store {
    /// Every case of the ledger as [`Store::case_ledger`] lists them (overdue reviews first,
    /// then by review date, none last, then by pseudonym), without holding them: `first` sees
    /// each row in no particular order (to measure it) and says whether it is listed, then
    /// `each` is given each row listed in the ledger's order — read back from the temporary
    /// table the first reading wrote it to, beside its key. Call inside a read snapshot
    /// ([`Store::read_snapshot`]) like the other readings of the ledger.
    pub fn each_ledger_row(
        &self,
        query: LedgerQuery,
        first: &mut dyn FnMut(&CaseRow) -> Result<bool>,
        each: &mut dyn FnMut(CaseRow) -> Result<()>,
    ) -> Result<()> {
        self.ordered(query, first, true, &mut |r| {
            each(finish(row(r)?, self.rules())?)
        })
    }

    /// The ledger's order of the cases of `query` that `keep` keeps (it sees each row, in no
    /// particular order), handed to `each` in that order: the row's place is a temporary
    /// table's, never a list of rows in memory.
    pub fn ledger_order(
        &self,
        query: LedgerQuery,
        keep: &mut dyn FnMut(&CaseRow) -> Result<bool>,
        each: &mut dyn FnMut(LedgerEntry) -> Result<()>,
    ) -> Result<()> {
        self.ordered(query, keep, false, &mut |r| {
            each(LedgerEntry {
                id: r.get(5)?,
                overdue: !r.get::<_, bool>(0)?,
                review_body: r.get(6)?,
            })
        })
    }

    /// Reads every case of `query` once, writing the key of those `keep` keeps (and, `whole`,
    /// the row's columns) to `temp.ledger_order`, then hands `each` that table's rows in the
    /// ledger's order: `whole`, the row's columns as `row_sql` has them; else the key's
    /// [`KEY_COLUMNS`] columns.
    fn ordered(
        &self,
        query: LedgerQuery,
        keep: &mut dyn FnMut(&CaseRow) -> Result<bool>,
        whole: bool,
        each: &mut dyn FnMut(&rusqlite::Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let conn = self.conn();
        let today = self.clock().today();
        let day = today.format("%Y-%m-%d").to_string();
        let mut all = conn.prepare(&format!(
            "{}{}",
            row_sql(Cases::All),
            filter_condition(query.filter)
        ))?;
        // The row's columns, untyped: each value kept as read.
        let columns = if whole { all.column_count() } else { 0 };
        let row_columns: String = (0..columns).map(|i| format!(", c{i}")).collect();
        conn.execute_batch(&format!(
            "DROP TABLE IF EXISTS temp.ledger_order;
             CREATE TEMP TABLE ledger_order (
                 later INTEGER, ended INTEGER, undated INTEGER, review TEXT, name TEXT,
                 id INTEGER, body INTEGER{row_columns})"
        ))?;
        let read = (|| -> Result<()> {
            let places: Vec<String> = (1..=KEY_COLUMNS + columns)
                .map(|i| format!("?{i}"))
                .collect();
            let mut insert = conn.prepare(&format!(
                "INSERT INTO temp.ledger_order VALUES ({})",
                places.join(", ")
            ))?;
            // The rows' keys commit together (see `Store::batched`).
            self.batched(|| -> Result<()> {
                let mut rows = all.query([&day])?;
                while let Some(raw) = rows.next()? {
                    let r = finish(row(raw)?, self.rules())?;
                    if (query.due && !r.review_due(today))
                        || query.ward.is_some_and(|w| w != r.ward_id)
                    {
                        continue;
                    }
                    if !keep(&r)? {
                        continue;
                    }
                    // The key of `case_ledger`'s sort, column for column (text compares as
                    // SQLite's BINARY collation does, byte by byte, as Rust's strings do).
                    insert.raw_bind_parameter(1, !r.review_overdue(today))?;
                    insert.raw_bind_parameter(2, r.status.is_ended())?;
                    insert.raw_bind_parameter(3, r.next_review.is_none())?;
                    insert.raw_bind_parameter(
                        4,
                        r.next_review.map(|d| d.format("%Y-%m-%d").to_string()),
                    )?;
                    insert
                        .raw_bind_parameter(5, crate::domain::case::pseudonym_key(&r.pseudonym))?;
                    insert.raw_bind_parameter(6, r.id)?;
                    insert.raw_bind_parameter(7, r.review_body.as_ref().map(|(id, _)| *id))?;
                    for i in 0..columns {
                        insert.raw_bind_parameter(
                            KEY_COLUMNS + 1 + i,
                            rusqlite::types::ToSqlOutput::Borrowed(raw.get_ref(i)?),
                        )?;
                    }
                    insert.raw_execute()?;
                }
                Ok(())
            })?;
            let selected = if whole {
                row_columns.trim_start_matches(", ")
            } else {
                "later, ended, undated, review, name, id, body"
            };
            let mut order = conn.prepare(&format!(
                "SELECT {selected} FROM temp.ledger_order
                 ORDER BY later, ended, undated, review, name, id"
            ))?;
            let mut ordered = order.query([])?;
            while let Some(r) = ordered.next()? {
                each(r)?;
            }
            Ok(())
        })();
        drop(all);
        conn.execute_batch("DROP TABLE IF EXISTS temp.ledger_order")?;
        read
    }

    /// The ledger's rows of these cases, in the order given (a case not found is left out):
    /// one statement for them all.
    pub fn ledger_rows_by_id(&self, ids: &[i64]) -> Result<Vec<CaseRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let day = self.clock().today().format("%Y-%m-%d").to_string();
        let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
        let listed = format!("[{}]", listed.join(","));
        let mut stmt = self.conn().prepare_cached(&format!(
            "{} WHERE c.id IN (SELECT value FROM json_each(?2))",
            row_sql(Cases::Listed)
        ))?;
        let mut found: std::collections::HashMap<i64, CaseRow> = std::collections::HashMap::new();
        let mut rows = stmt.query(params![day, listed])?;
        while let Some(r) = rows.next()? {
            let r = finish(row(r)?, self.rules())?;
            found.insert(r.id, r);
        }
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }

    /// What a filter typed over the ledger looks in, of each case of `filter` (in no
    /// particular order): its id, pseudonym, lead agency, referring agency, status and policy
    /// — the cases' own columns, no meeting read.
    pub fn each_ledger_text(
        &self,
        filter: LedgerFilter,
        each: &mut dyn FnMut(LedgerText) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT c.id, c.pseudonym, l.name, r.name, c.status, c.policy, c.ward_id
             FROM cases c LEFT JOIN agencies l ON l.id = c.lead_agency
             LEFT JOIN agencies r ON r.id = c.referred_by{}",
            filter_condition(filter)
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let status: String = r.get(4)?;
            each(LedgerText {
                id: r.get(0)?,
                pseudonym: r.get(1)?,
                lead_agency: r.get(2)?,
                referred_by: r.get(3)?,
                status: super::code(&status)?,
                policy: r.get(5)?,
                ward_id: r.get(6)?,
            })?;
        }
        Ok(())
    }

    /// The agency names the ledger's cases of `filter` hold (lead and referring), each once.
    pub fn ledger_agencies(&self, filter: LedgerFilter) -> Result<Vec<String>> {
        let condition = filter_condition(filter);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT a.name FROM agencies a WHERE a.id IN (
                 SELECT c.lead_agency FROM cases c{condition}
                 UNION SELECT c.referred_by FROM cases c{condition})
             ORDER BY a.name"
        ))?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// What a filter typed over the ledger looks in: [`Store::each_ledger_text`].
#[derive(Debug, Clone)]
pub struct LedgerText {
    pub id: i64,
    pub pseudonym: String,
    pub lead_agency: Option<String>,
    pub referred_by: Option<String>,
    pub status: crate::domain::case::CaseStatus,
    pub policy: String,
    /// The ward whose case it is (a city's ledger finds a ward's cases by its name).
    pub ward_id: i64,
}

/// The cases of a ledger's filter, as SQL.
pub(super) fn filter_condition(filter: LedgerFilter) -> &'static str {
    match filter {
        LedgerFilter::Open => " WHERE c.status IN ('open', 'active', 'monitoring')",
        LedgerFilter::Closed => " WHERE c.status IN ('closed', 'suspended', 'transferred')",
        LedgerFilter::All => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn streamed(store: &Store, query: LedgerQuery) -> Vec<CaseRow> {
        let mut out = Vec::new();
        let mut seen = 0;
        store
            .each_ledger_row(
                query,
                &mut |_| {
                    seen += 1;
                    Ok(true)
                },
                &mut |r| {
                    out.push(r);
                    Ok(())
                },
            )
            .unwrap();
        assert_eq!(seen, out.len());
        out
    }

    /// The streamed ledger is `case_ledger`, row for row and in its order, on every filter and
    /// on days that make reviews overdue, due and not yet.
    #[test]
    fn the_streamed_ledger_is_the_ledger() {
        let (dir, store) = crate::store::setup::tests::store();
        // Pseudonyms that sort differently by bytes and by the folded key, the same review
        // date for several, none for some.
        // Texts that read as numbers (the row's columns go through a temporary table's
        // untyped ones, which must keep them as typed), a NUL and a line end kept whole.
        store
            .conn()
            .execute_batch(
                "UPDATE cases SET next_review = '2026-12-01' WHERE id % 3 = 0;
                 UPDATE cases SET next_review = NULL WHERE id % 3 = 1;
                 UPDATE cases SET pseudonym = 'Ｂ' || pseudonym WHERE id % 2 = 0;
                 UPDATE cases SET policy = '0012', closure_reason = ' 1.50'
                  WHERE id = (SELECT MIN(id) FROM cases);
                 UPDATE cases SET policy = '1e3' || char(0) || 'x' || char(10) || 'y'
                  WHERE id = (SELECT MAX(id) FROM cases);",
            )
            .unwrap();
        let path = dir.path().join("r.db");
        drop(store);
        let mut seen = 0;
        for day in ["2026-11-21", "2026-12-01", "2027-06-01"] {
            let now =
                chrono::DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+09:00")).unwrap();
            let store = Store::open(&path, Clock::fixed(now)).unwrap();
            for filter in [LedgerFilter::Open, LedgerFilter::Closed, LedgerFilter::All] {
                for due in [false, true] {
                    let whole = store.case_ledger(filter, due).unwrap();
                    let query = LedgerQuery {
                        filter,
                        due,
                        ward: None,
                    };
                    assert_eq!(streamed(&store, query), whole, "{day} {filter:?} {due}");
                    seen += whole.len();
                    let ward = LedgerQuery {
                        ward: Some(crate::store::ward::HOME + 1000),
                        ..query
                    };
                    assert!(streamed(&store, ward).is_empty());
                }
            }
        }
        assert!(seen > 20, "{seen}");
        let store = Store::open(&path, Clock::fixed(now())).unwrap();
        let whole = store.case_ledger(LedgerFilter::All, false).unwrap();
        assert!(whole.iter().any(|r| r.policy == "0012"));
        assert!(whole.iter().any(|r| r.policy == "1e3\0x\ny"));
    }

    fn now() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap()
    }

    /// The rows of a window of the TUI's ledger, read by id in one statement, are the ledger's,
    /// in the order asked (an id twice, one unknown, none at all).
    #[test]
    fn rows_by_id_are_the_ledgers_in_the_order_asked() {
        let (_dir, store) = crate::store::setup::tests::store();
        let whole = store.case_ledger(LedgerFilter::All, false).unwrap();
        assert!(whole.len() > 3);
        let mut ids: Vec<i64> = whole.iter().rev().map(|r| r.id).collect();
        ids.insert(1, -5);
        ids.push(whole[0].id);
        let read = store.ledger_rows_by_id(&ids).unwrap();
        let mut expected: Vec<CaseRow> = whole.iter().rev().cloned().collect();
        expected.push(whole[0].clone());
        assert_eq!(read, expected);
        expected.clear();
        assert_eq!(store.ledger_rows_by_id(&[]).unwrap(), expected);
        assert_eq!(store.ledger_rows_by_id(&[i64::MAX]).unwrap(), expected);
    }

    /// The streamed ledger reads every case's links once, as the ledger read whole does:
    /// reading each case again by its id, a statement each, took more than twice its steps.
    #[test]
    fn the_streamed_ledger_reads_the_cases_once() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let whole = crate::store::setup::tests::sql_steps(&mut store, |store| {
            store.case_ledger(LedgerFilter::All, false).unwrap();
        });
        let streamed = crate::store::setup::tests::sql_steps(&mut store, |store| {
            streamed(
                store,
                LedgerQuery {
                    filter: LedgerFilter::All,
                    due: false,
                    ward: None,
                },
            );
        });
        // On the demo: 870 steps whole, 1 401 streamed (the temporary table written and read
        // back); a statement a case took 2 064.
        assert!(whole > 500, "{whole}");
        assert!(streamed < whole * 2, "{streamed} steps against {whole}");
    }
}
