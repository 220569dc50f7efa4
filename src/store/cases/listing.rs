//! The ledger as `renkei cases` writes it: in the ledger's order, each row handed on as it is
//! read, never every case at once (a city holds tens of thousands). One reading of every case
//! puts each one's place in the order (its sort key) into a temporary table — SQLite's, which
//! spills to disk past its page cache — and gathers what the caller measures (the table's column
//! widths) and the agency names the rows hold; a second reading, in the order of that table,
//! reads each case again by its id and hands it on.

use rusqlite::{OptionalExtension, params};

use super::read::{LedgerFilter, finish, row, row_sql};
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

impl Store {
    /// Every case of the ledger as [`Store::case_ledger`] lists them (overdue reviews first,
    /// then by review date, none last, then by pseudonym), without holding them: `first` sees
    /// each row in no particular order (to measure it) and says whether it is listed, then
    /// `each` is given each row listed in the ledger's order. Call inside a read snapshot ([`Store::read_snapshot`]) so both readings
    /// see the same cases.
    pub fn each_ledger_row(
        &self,
        query: LedgerQuery,
        first: &mut dyn FnMut(&CaseRow) -> Result<bool>,
        each: &mut dyn FnMut(CaseRow) -> Result<()>,
    ) -> Result<()> {
        let day = self.clock().today().format("%Y-%m-%d").to_string();
        let mut one = self
            .conn()
            .prepare_cached(&format!("{} WHERE c.id = ?2", row_sql(true)))?;
        self.ledger_order(query, first, &mut |entry| {
            let found = one.query_row(params![day, entry.id], row)?;
            each(finish(found, self.rules())?)
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
        let conn = self.conn();
        let today = self.clock().today();
        let day = today.format("%Y-%m-%d").to_string();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.ledger_order;
             CREATE TEMP TABLE ledger_order (
                 later INTEGER, ended INTEGER, undated INTEGER, review TEXT, name TEXT,
                 id INTEGER, body INTEGER)",
        )?;
        let read = (|| -> Result<()> {
            let mut insert =
                conn.prepare("INSERT INTO temp.ledger_order VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
            let mut all = conn.prepare(&format!(
                "{}{}",
                row_sql(false),
                filter_condition(query.filter)
            ))?;
            let mut rows = all.query([&day])?;
            while let Some(r) = rows.next()? {
                let r = finish(row(r)?, self.rules())?;
                if (query.due && !r.review_due(today)) || query.ward.is_some_and(|w| w != r.ward_id)
                {
                    continue;
                }
                if !keep(&r)? {
                    continue;
                }
                // The key of `case_ledger`'s sort, column for column (text compares as
                // SQLite's BINARY collation does, byte by byte, as Rust's strings do).
                insert.execute(params![
                    !r.review_overdue(today),
                    r.status.is_ended(),
                    r.next_review.is_none(),
                    r.next_review.map(|d| d.format("%Y-%m-%d").to_string()),
                    crate::domain::case::pseudonym_key(&r.pseudonym),
                    r.id,
                    r.review_body.as_ref().map(|(id, _)| *id),
                ])?;
            }
            drop(rows);
            let mut order = conn.prepare(
                "SELECT id, later, body FROM temp.ledger_order
                 ORDER BY later, ended, undated, review, name, id",
            )?;
            let mut ids = order.query([])?;
            while let Some(r) = ids.next()? {
                each(LedgerEntry {
                    id: r.get(0)?,
                    overdue: !r.get::<_, bool>(1)?,
                    review_body: r.get(2)?,
                })?;
            }
            Ok(())
        })();
        conn.execute_batch("DROP TABLE IF EXISTS temp.ledger_order")?;
        read
    }

    /// The ledger's rows of these cases, in the order given (a case not found is left out).
    pub fn ledger_rows_by_id(&self, ids: &[i64]) -> Result<Vec<CaseRow>> {
        let day = self.clock().today().format("%Y-%m-%d").to_string();
        let mut one = self
            .conn()
            .prepare_cached(&format!("{} WHERE c.id = ?2", row_sql(true)))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(found) = one.query_row(params![day, id], row).optional()? {
                out.push(finish(found, self.rules())?);
            }
        }
        Ok(out)
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
        store
            .conn()
            .execute_batch(
                "UPDATE cases SET next_review = '2026-12-01' WHERE id % 3 = 0;
                 UPDATE cases SET next_review = NULL WHERE id % 3 = 1;
                 UPDATE cases SET pseudonym = 'Ｂ' || pseudonym WHERE id % 2 = 0;",
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
    }
}
