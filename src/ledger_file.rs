//! The ledger read from the store in its order, masked, and written as it is read: what
//! `renkei cases` lists and writes (table, JSON, CSV, workbook) and what the TUI's ledger writes
//! with `w` — one path, so the two write the same bytes, and neither holds the cases.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use anyhow::Result;
use chrono::NaiveDateTime;

use crate::cases::ledger::{self, CaseRow, WardNames};
use crate::cases::record;
use crate::i18n::Lang;
use crate::office::xlsx::{Cell, Sheet, write_list};
use crate::report::csv::{CsvEncoding, CsvWriter};
use crate::store::Store;
use crate::store::cases::LedgerQuery;

/// The ledger as `cases` lists it: each row in order, its agency cells masked where they hold
/// a person ([`ledger::Masker`] over `Store::recorded_people` and the agency names the rows
/// hold: gathered on the first reading).
pub struct Ledger<'a> {
    pub store: &'a Store,
    pub query: LedgerQuery,
    pub lang: Lang,
    /// Each row's free text as its case's redacted record says it (`--redact`, the TUI's `R`).
    pub redact: bool,
    /// Only these cases (the TUI's ledger as narrowed on its screen); `None`: every case of
    /// `query`.
    pub only: Option<&'a HashSet<i64>>,
}

impl Ledger<'_> {
    /// `first` sees each row listed as read (unmasked, in no order); `masked` is told, before
    /// the first row in order, how each agency name the rows hold is shown; then `each` has
    /// every row in order, masked. Call inside a read snapshot (`Store::read_snapshot`).
    pub fn each_with(
        &self,
        first: &mut dyn FnMut(&CaseRow) -> Result<()>,
        masked: &mut dyn FnMut(&str, &str),
        each: &mut dyn FnMut(CaseRow) -> Result<()>,
    ) -> Result<()> {
        // Who a cell may name, looked up for each distinct one (`Store::table_people`).
        let people = self.store.table_people()?;
        let agencies = RefCell::new(BTreeSet::new());
        let mut masker: Option<ledger::Masker> = None;
        // The pseudonyms withheld in the rows so far (`record::redact_ledger`): one number each
        // in the whole ledger.
        let mut withheld: Vec<String> = Vec::new();
        // The caller's error, kept whole through the store's reading.
        let failed = RefCell::new(None);
        let keep = |e: anyhow::Error| {
            let said = crate::store::StoreError::Invalid(format!("{e:#}"));
            *failed.borrow_mut() = Some(e);
            said
        };
        // Who of those recorded elsewhere a row's 援助方針 may name is looked up for it, for its
        // case's redactor (its 終結理由 and agency cells are masked by the masker).
        if self.redact {
            self.store.key_recorded_texts()?;
        }
        let read = self.store.each_ledger_row(
            self.query,
            &mut |r| {
                if self.only.is_some_and(|only| !only.contains(&r.id)) {
                    return Ok(false);
                }
                let mut agencies = agencies.borrow_mut();
                for a in r.lead_agency.iter().chain(&r.referred_by) {
                    if !agencies.contains(a) {
                        agencies.insert(a.clone());
                    }
                }
                first(r).map(|()| true).map_err(keep)
            },
            &mut |mut r| {
                let masker = masker.get_or_insert_with(|| {
                    let agencies = agencies.borrow();
                    let names: Vec<&str> = agencies.iter().map(String::as_str).collect();
                    let lookup = Box::new(|text: &str| people.cell_people(text));
                    let mut made = ledger::Masker::looked_up(&names, self.lang, lookup);
                    for name in agencies.iter() {
                        masked(name, &made.shown(name));
                    }
                    made
                });
                masker.row(&mut r);
                people.checked()?;
                if self.redact {
                    let named = self.store.recorded_people_in([r.policy.as_str()])?;
                    let rows = std::slice::from_mut(&mut r);
                    record::redact_ledger(rows, self.lang, &mut withheld, |case| {
                        let mut input = self.store.case_record_input(case)?;
                        if let Some(input) = &mut input {
                            input.people.extend(named.iter().cloned());
                        }
                        Ok::<_, crate::store::StoreError>(input)
                    })?;
                }
                each(r).map_err(keep)
            },
        );
        match (read, failed.into_inner()) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(e.into()),
        }
    }

    /// Every row in order, masked.
    pub fn each(
        &self,
        first: &mut dyn FnMut(&CaseRow) -> Result<()>,
        each: &mut dyn FnMut(CaseRow) -> Result<()>,
    ) -> Result<()> {
        self.each_with(first, &mut |_, _| {}, each)
    }

    /// The ledger as CSV in `encoding` (its header, then each row as it is read); how many
    /// cases it wrote.
    pub fn write_csv(
        &self,
        wards: Option<&WardNames>,
        encoding: CsvEncoding,
        w: &mut dyn Write,
    ) -> Result<usize> {
        let lang = self.lang;
        let head = ledger::headers(lang, wards.is_some());
        let mut csv = CsvWriter::new(encoding);
        csv.start(w)?;
        csv.row(w, &head)?;
        let mut written = 0;
        self.each(&mut |_| Ok(()), &mut |r| {
            let plain: Vec<String> = ledger::cells(&r, lang, wards)
                .iter()
                .map(Cell::csv)
                .collect();
            written += 1;
            Ok(csv.row(w, &plain)?)
        })?;
        Ok(written)
    }

    /// The ledger as an .xlsx workbook, each row read as it is written (the columns measured
    /// on a first reading: the ledger is read twice); how many cases it wrote.
    pub fn write_xlsx(
        &self,
        wards: Option<&WardNames>,
        now: NaiveDateTime,
        w: &mut dyn Write,
    ) -> Result<usize> {
        let lang = self.lang;
        let headers = ledger::headers(lang, wards.is_some());
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let title = lang.pick("進行管理台帳", "Case ledger");
        let sheet = Sheet::list(title, title, &headers, Vec::new());
        let mut written = 0;
        write_list(
            &sheet,
            &mut |row| {
                written = 0;
                self.each(&mut |_| Ok(()), &mut |r| {
                    written += 1;
                    row(&ledger::cells(&r, lang, wards))
                })
            },
            now,
            w,
        )?;
        Ok(written)
    }
}

/// The wards of the database by id when it holds more than one (a city's ledger says whose
/// each case is: the same pseudonym may be in several wards), as lists name them — two wards
/// of one name with their codes ([`crate::store::WardLabels`]); `None` for one ward.
pub fn ward_names(store: &Store, lang: crate::i18n::Lang) -> Result<Option<WardNames>> {
    let wards = store.ward_labels()?;
    Ok(wards
        .several()
        .then(|| wards.ids().map(|id| (id, wards.label(id, lang))).collect()))
}
