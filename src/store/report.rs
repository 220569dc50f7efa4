//! What the annual report and the actions export read: held meetings of some fiscal years with
//! their basis, supervisor, referring agency, agencies present and issues; yearly counts; next
//! actions.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::domain::calendar::{fiscal_year_end, fiscal_year_start};
use crate::domain::model::ActionStatus;
use crate::report::people::Masker;
use crate::report::{
    ActionFact, BodyFact, CaseFact, HistoryFact, Input, MeetingFact, Options, Report, Tally,
    WardFact, check_scope,
};

/// A date as the database writes it (`YYYY-MM-DD`, as chrono reads `%Y-%m-%d`). The report
/// and the ledger read a date or more a row, tens of thousands: the written form is read by
/// hand (chrono's parser by a format took a twentieth of the report), any other as before.
pub(crate) fn iso_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0u32, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (number(&b[..4]), number(&b[5..7]), number(&b[8..])) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date, or an error naming it (`what`, made only then).
fn day(text: &str, what: impl FnOnce() -> String) -> Result<NaiveDate> {
    iso_day(text).ok_or_else(|| {
        StoreError::Invalid(format!("{}: '{text}' is not a date (YYYY-MM-DD)", what()))
    })
}

fn optional_day(text: Option<String>, what: impl FnOnce() -> String) -> Result<Option<NaiveDate>> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| day(&t, what))
        .transpose()
}

fn status(text: String) -> Result<ActionStatus> {
    text.parse().map_err(StoreError::Invalid)
}

/// A next action as the actions list and its exports show it: plain data, defined where the
/// list is laid out as a sheet.
pub use crate::report::actions::ActionListRow;

/// The condition that keeps the rows of one ward (`table.ward_id` is parameter `n`), or of all
/// (the parameter is NULL): a ward's own report reads only that ward's rows, found by the
/// indexes on its ward (`bodies (ward_id, …)`, `cases (ward_id, …)`), where one condition for
/// both (`?n IS NULL OR …`) can use none and reads every ward's.
fn ward_condition(ward: Option<i64>, table: &str, n: u8) -> String {
    match ward {
        Some(_) => format!("{table}.ward_id = ?{n}"),
        None => format!("?{n} IS NULL"),
    }
}

/// A fiscal year's first and last days as the database writes dates.
fn year_range(year: i32) -> (String, String) {
    (
        fiscal_year_start(year).format("%Y-%m-%d").to_string(),
        fiscal_year_end(year).format("%Y-%m-%d").to_string(),
    )
}

/// The case issues of the held meetings between `?2` and `?3` (of the ward `?1`, or all), in
/// case order: one ward's from its cases (by their ward index); every ward's from the meetings
/// of the years (by date, step 22's narrow indexes of held meetings and of their issues),
/// where the cases' issues of all ten years were read to keep one year's — no case's row read
/// for them (a city's 175 000 issues of a year looked up their cases one by one): an issue of
/// an id no case has is skipped by the reader, which takes the rows of the cases it reads.
fn case_issues_sql(ward: Option<i64>) -> String {
    let of_ward = ward_condition(ward, "c", 1);
    match ward {
        Some(_) => format!(
            "SELECT i.case_id, m.date, i.category
             FROM cases c
             JOIN case_issues i INDEXED BY case_issues_case_live ON i.case_id = c.id
             JOIN meetings m INDEXED BY meetings_case_facts ON m.id = i.meeting_id
             WHERE i.deleted_at IS NULL AND m.status = 'held' AND m.date BETWEEN ?2 AND ?3
               AND {of_ward}
             ORDER BY i.case_id, i.id"
        ),
        None => "SELECT i.case_id, m.date, i.category
             FROM meetings m INDEXED BY meetings_held_by_date
             JOIN case_issues i INDEXED BY case_issues_of_meeting ON i.meeting_id = m.id
             WHERE i.case_id IS NOT NULL AND i.deleted_at IS NULL AND m.status = 'held'
               AND m.date BETWEEN ?2 AND ?3 AND ?1 IS NULL
             ORDER BY i.case_id, i.id"
            .to_owned(),
    }
}

/// The held meetings that discussed each case (of the ward `?1`, or all): the case, the
/// meeting, its body and date, by case — each case's few put in order of date by the reader
/// (ordered here, a ward's 25 000 links were sorted in a temporary tree: half of the query). A
/// city's report reads the links alone, its cases being every case.
fn case_meetings_sql(ward: Option<i64>) -> String {
    let (cases, of_ward) = match ward {
        Some(_) => (
            "cases c JOIN meeting_cases k INDEXED BY meeting_cases_live ON k.case_id = c.id",
            ward_condition(ward, "c", 1),
        ),
        None => (
            "meeting_cases k INDEXED BY meeting_cases_live",
            ward_condition(ward, "k", 1),
        ),
    };
    format!(
        "SELECT k.case_id, m.id, m.body_id, m.date
         FROM {cases} JOIN meetings m INDEXED BY meetings_case_facts ON m.id = k.meeting_id
         WHERE k.deleted_at IS NULL AND m.status = 'held' AND {of_ward}
         ORDER BY k.case_id"
    )
}

/// How the city's report (every ward: `ward` is `None`) finds the held meetings of its years:
/// by schema step 22's narrow index of held meetings by date, which holds every column the
/// report reads of a meeting (no page of the meetings' long texts is read). A ward's own report
/// finds its meetings by its bodies (SQLite's choice), a twenty-fourth of a city's.
fn held_by_date(ward: Option<i64>) -> &'static str {
    match ward {
        Some(_) => "",
        None => "INDEXED BY meetings_held_by_date",
    }
}

/// The attendees `t` of a meeting who came, from step 22's index of a meeting's attendees: the
/// meeting's live ones read in one range and their attendance tested in the entry (the `+`),
/// where SQLite would seek the index once for each of the three values — a third of the time
/// of both statements that read them (`sqlite3` on W's year: 14 → 9 ms).
const CAME: &str =
    "AND t.deleted_at IS NULL AND +t.attendance IN ('present', 'late', 'left_early')";

/// The agency of every cell of the held meetings between `?1` and `?2` (of the ward `?3`, or
/// all), an id a cell (NULL for none): who referred a meeting, the agencies that came to one,
/// the agencies of its next actions — each from an index that holds the columns read (schema
/// step 22). Made distinct by the caller, a few hundred ids: a `UNION` sorted the year's
/// 700 000 attendees' ids to make them distinct.
fn agency_ids_sql(ward: Option<i64>) -> String {
    [
        held(ward, "m.referred_by", "", "", ""),
        held(
            ward,
            "t.agency_id",
            "JOIN attendees t INDEXED BY attendees_came ON t.meeting_id = m.id",
            CAME,
            "",
        ),
        held(
            ward,
            "n.agency_id",
            "JOIN next_actions n INDEXED BY next_actions_of_meeting ON n.meeting_id = m.id",
            "AND n.deleted_at IS NULL",
            "",
        ),
    ]
    .join(" UNION ALL ")
}

/// `select` of the held meetings `m` between `?1` and `?2` (of the ward `?3`, or all: their
/// bodies are `b`) with `joins`, under the further conditions `and`, in the `order` given.
fn held(ward: Option<i64>, select: &str, joins: &str, and: &str, order: &str) -> String {
    format!(
        "SELECT {select} FROM meetings m {} JOIN bodies b ON b.id = m.body_id {joins}
         WHERE m.status = 'held' AND m.date BETWEEN ?1 AND ?2 AND {} {and} {order}",
        held_by_date(ward),
        ward_condition(ward, "b", 3)
    )
}

/// The held meetings between `?1` and `?2` (of the ward `?3`, or all) by date and id.
fn held_meetings_sql(ward: Option<i64>) -> String {
    held(
        ward,
        "m.id, m.body_id, m.date, m.basis, m.supervisor, m.referred_by",
        "",
        "",
        "ORDER BY m.date, m.id",
    )
}

/// The agencies of those who came to each of [`held_meetings_sql`]'s meetings, in its order.
fn held_attendees_sql(ward: Option<i64>) -> String {
    held(
        ward,
        "t.meeting_id, t.agency_id",
        "JOIN attendees t INDEXED BY attendees_came ON t.meeting_id = m.id",
        &format!("{CAME} AND t.agency_id IS NOT NULL"),
        "ORDER BY m.date, m.id",
    )
}

/// The case issues of each of [`held_meetings_sql`]'s meetings, in its order, each meeting's
/// by id.
fn held_issues_sql(ward: Option<i64>) -> String {
    held(
        ward,
        "c.meeting_id, c.category",
        "JOIN case_issues c INDEXED BY case_issues_of_meeting ON c.meeting_id = m.id",
        "AND c.deleted_at IS NULL",
        "ORDER BY m.date, m.id, c.id",
    )
}

/// The next actions decided at the held meetings between `?1` and `?2` (of the ward `?3`, or
/// all), each meeting's by id.
fn held_actions_sql(ward: Option<i64>) -> String {
    held(
        ward,
        "n.id, n.meeting_id, n.agency_id, n.due_date, n.status, m.body_id, m.date",
        "JOIN next_actions n INDEXED BY next_actions_of_meeting ON n.meeting_id = m.id",
        "AND n.deleted_at IS NULL",
        "",
    )
}

impl Store {
    /// The annual report `options` ask for, counted as the records are read (one read snapshot):
    /// a city's year of meetings is never held in memory, only the tables' counts. An error
    /// says what `--body` or `--kind` names that does not exist.
    pub fn report(&self, options: &Options) -> Result<Report> {
        Ok(self.report_masked(options)?.0)
    }

    /// [`Store::report`], and how many agency or issue cells held a person and were counted
    /// under a neutral label instead ([`crate::report::people`]): each record masked as it is
    /// read, against the recorded people and the agency names of the years' cells (each once).
    pub fn report_masked(&self, options: &Options) -> Result<(Report, usize)> {
        // The texts recorded since the last keying are keyed before the snapshot, when the
        // database can be written (else the lookup reads them for itself).
        self.key_recorded_texts()?;
        let _snapshot = self.read_snapshot()?;
        let scope = Input {
            bodies: self.report_bodies()?,
            ..Input::default()
        };
        check_scope(&scope, options)?;
        let years = options.years();
        // Everyone recorded, of every ward and year, as the ledger masks them: a name recorded
        // in another ward or year and typed into this one's agency cell is a person too —
        // looked up for each distinct cell, never held whole.
        let people = self.table_people()?;
        // Each agency's name read once, for the masker's list and for every row after.
        let mut names = AgencyNames::new(self.conn())?;
        let agencies = self.report_agency_names(&years, options.ward, &mut names)?;
        let agencies: Vec<&str> = agencies.iter().map(String::as_str).collect();
        let lookup = Box::new(|text: &str| people.cell_people(text));
        let mut masker = Masker::looked_up(&agencies, options.lang, lookup);
        let mut bodies = scope.bodies;
        for b in &mut bodies {
            masker.body(b);
        }
        let mut tally =
            Tally::new(bodies, self.report_wards()?, options).with_rules(self.rules().clone());
        for year in years {
            let (from, to) = year_range(year);
            self.each_held_meeting(&from, &to, options.ward, &mut names, &mut |mut m| {
                masker.meeting(&mut m);
                tally.meeting(&m)
            })?;
            self.each_held_action(
                &from,
                &to,
                options.ward,
                &mut names,
                &mut |mut a, body, date| {
                    masker.action(&mut a);
                    tally.action(&a, body, date)
                },
            )?;
            for h in self.history_of(year)? {
                tally.history(&h);
            }
        }
        self.each_case(options.ward, &options.years(), &mut |mut c| {
            masker.case(&mut c);
            tally.case(&c)
        })?;
        people.checked()?;
        Ok((tally.finish(), masker.replaced()))
    }

    /// Every agency name the report's cells of `years` hold (of one ward, or of all), each once:
    /// who referred a meeting held, the agencies that came to one, the agencies of its next
    /// actions, the cases' referring and lead agencies.
    fn report_agency_names(
        &self,
        years: &[i32],
        ward: Option<i64>,
        names: &mut AgencyNames,
    ) -> Result<Vec<String>> {
        let mut ids = std::collections::BTreeSet::new();
        let mut stmt = self.conn().prepare_cached(&agency_ids_sql(ward))?;
        for &year in years {
            let (from, to) = year_range(year);
            let mut rows = stmt.query(params![from, to, ward])?;
            while let Some(r) = rows.next()? {
                ids.extend(r.get::<_, Option<i64>>(0)?);
            }
        }
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            out.extend(names.name(id)?);
        }
        let mut cases = self.conn().prepare_cached(&format!(
            "SELECT a.name FROM cases c JOIN agencies a ON a.id IN (c.referred_by, c.lead_agency)
             WHERE {}",
            ward_condition(ward, "c", 1)
        ))?;
        for name in cases.query_map([ward], |r| r.get::<_, String>(0))? {
            out.push(name?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Each case (of one ward, or all) with the held meetings that discussed it and the issues
    /// recorded for it there: three queries in case order read side by side, so that no case
    /// waits in memory for its meetings.
    /// Of the issues, only those of meetings held in `years` (from the first year's start to
    /// the last one's end): a column counts a case's issues of its own year alone, and ten
    /// years of a ward's issues were most of the rows the report read.
    fn each_case(
        &self,
        ward: Option<i64>,
        years: &[i32],
        each: &mut dyn FnMut(CaseFact),
    ) -> Result<()> {
        let conn = self.conn();
        let of_ward = ward_condition(ward, "c", 1);
        let mut cases = conn.prepare_cached(&format!(
            "SELECT c.id, c.ward_id, c.status, c.opened, c.closed, c.closure_reason, r.name,
                    l.name, c.consent, c.risk, c.next_review
             FROM cases c LEFT JOIN agencies r ON r.id = c.referred_by
             LEFT JOIN agencies l ON l.id = c.lead_agency
             WHERE {of_ward}
             ORDER BY c.id"
        ))?;
        // The links, issues and reviews from the narrow indexes of schema steps 11 and 12, each
        // meeting's facts from its own: no page of the meetings' text is read.
        let mut meetings = conn.prepare_cached(&case_meetings_sql(ward))?;
        let mut issues = conn.prepare_cached(&case_issues_sql(ward))?;
        let first = years.iter().min().map(|&y| year_range(y).0);
        let last = years.iter().max().map(|&y| year_range(y).1);
        // The day of a change's meeting from the meetings' narrow index, not the meeting's row
        // (a page each: a city's 48 000 changes read 31 000 pages).
        let mut changes = conn.prepare_cached(&format!(
            "SELECT x.case_id, x.id, x.at, x.field, x.old_value, x.new_value,
                    (SELECT m.date FROM meetings m INDEXED BY meetings_case_facts
                     WHERE m.id = x.meeting_id)
             FROM cases c JOIN case_changes x ON x.case_id = c.id
             WHERE x.entity = 'case' AND x.field IN ('status', 'closed', 'closure_reason',
                   'consent', 'consent_date', 'referred_by', 'lead_agency', 'risk',
                   'next_review')
               AND {of_ward}
             ORDER BY x.case_id, x.id"
        ))?;
        let mut changes = Grouped::new(changes.query([ward])?, |x| {
            Ok(RawChange {
                id: x.get(1)?,
                at: x.get(2)?,
                field: x.get(3)?,
                old: x.get(4)?,
                new: x.get(5)?,
                meeting_day: x.get(6)?,
            })
        });
        // Each review with its meeting's body: `--body`/`--kind` count those of the bodies chosen.
        let mut reviews = conn.prepare_cached(&format!(
            "SELECT v.case_id, m.body_id, m.date
             FROM cases c JOIN case_reviews v ON v.case_id = c.id
             JOIN meetings m INDEXED BY meetings_case_facts ON m.id = v.meeting_id
             WHERE v.deleted_at IS NULL AND m.status = 'held' AND {of_ward}
             ORDER BY v.case_id, m.date, m.id"
        ))?;
        let mut reviews = Grouped::new(reviews.query([ward])?, |v| {
            Ok((v.get::<_, i64>(1)?, v.get::<_, String>(2)?))
        });
        let mut meetings = Grouped::new(meetings.query([ward])?, |m| {
            Ok((
                m.get::<_, String>(3)?,
                m.get::<_, i64>(1)?,
                m.get::<_, i64>(2)?,
            ))
        });
        let mut issues = Grouped::new(issues.query(params![ward, first, last])?, |i| {
            Ok((i.get::<_, String>(1)?, i.get::<_, String>(2)?))
        });
        let mut rows = cases.query([ward])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let what = |field: &str| format!("case {id}: {field}");
            let mut fact = CaseFact {
                id,
                ward_id: r.get(1)?,
                status: r
                    .get::<_, String>(2)?
                    .parse()
                    .map_err(StoreError::Invalid)?,
                opened: optional_day(r.get(3)?, || what("opened"))?,
                closed: optional_day(r.get(4)?, || what("closed"))?,
                closure_reason: r.get(5)?,
                referred_by: r.get(6)?,
                lead_agency: r.get(7)?,
                consent: r
                    .get::<_, String>(8)?
                    .parse()
                    .map_err(StoreError::Invalid)?,
                risk: r.get::<_, String>(9)?.parse().ok(),
                review_set: optional_day(r.get(10)?, || what("next_review"))?,
                review_set_on: None,
                meetings: Vec::new(),
                issues: Vec::new(),
                history: Vec::new(),
                reviews: Vec::new(),
            };
            fact.history = history(changes.of(id)?, fact.opened, &what)?;
            // By date and id (the rows come by case alone): a case's last meeting is the last
            // of its day.
            let mut held = meetings.of(id)?;
            held.sort_unstable();
            for (date, _, body) in held {
                fact.meetings
                    .push((body, day(&date, || what("meeting date"))?));
            }
            for (date, text) in issues.of(id)? {
                fact.issues.push((day(&date, || what("issue date"))?, text));
            }
            for (body, date) in reviews.of(id)? {
                fact.reviews
                    .push((body, day(&date, || what("review date"))?));
            }
            each(fact);
        }
        Ok(())
    }

    /// The facts the report of `years` counts: every body, and the held meetings, yearly counts
    /// and next actions of those fiscal years, in memory (tests, small databases; the report
    /// itself is counted as it reads: [`Store::report`]).
    pub fn report_input(&self, years: &[i32]) -> Result<Input> {
        let mut input = Input {
            bodies: self.report_bodies()?,
            wards: self.report_wards()?,
            ..Input::default()
        };
        let mut names = AgencyNames::new(self.conn())?;
        for &year in years {
            let (from, to) = year_range(year);
            self.each_held_meeting(&from, &to, None, &mut names, &mut |m| {
                input.meetings.push(m)
            })?;
            self.each_held_action(&from, &to, None, &mut names, &mut |a, _, _| {
                input.actions.push(a)
            })?;
            input.history.extend(self.history_of(year)?);
        }
        self.each_case(None, years, &mut |c| input.cases.push(c))?;
        Ok(input)
    }

    fn report_bodies(&self) -> Result<Vec<BodyFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.id, b.name, b.organiser, b.kind, b.ward_id, w.name, b.keeps_ledger,
                    b.review_months
                 FROM bodies b JOIN wards w ON w.id = b.ward_id ORDER BY b.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BodyFact {
                id: r.get(0)?,
                name: r.get(1)?,
                organiser: r.get(2)?,
                kind: r.get(3)?,
                ward_id: r.get(4)?,
                ward: r.get(5)?,
                ledger: r.get(6)?,
                review_months: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The wards in the order a city lists them: by their local government code (a city's
    /// wards are numbered in its own order), the wards without a code after, as they came.
    fn report_wards(&self) -> Result<Vec<WardFact>> {
        let labels = self.ward_labels()?;
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name FROM wards ORDER BY code IS NULL, code, id")?;
        let rows = stmt.query_map([], |r| {
            let id = r.get(0)?;
            Ok(WardFact {
                id,
                name: r.get(1)?,
                code: labels.beside_name(id).map(str::to_owned),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each meeting held between two days (of one ward, or all), with the agencies of the
    /// attendees who came (each once, by name) and its case issues. Three queries read side by
    /// side in the same order, so that no meeting waits in memory for its agencies: by date and
    /// id, the order of the meetings' index by date that finds them — no query sorts (a city's
    /// year is 120 000 meetings and 700 000 attendees: sorting them by meeting and agency name
    /// spilled to temporary files), and a meeting's agencies are made distinct and sorted here,
    /// a handful at a time.
    fn each_held_meeting(
        &self,
        from: &str,
        to: &str,
        ward: Option<i64>,
        names: &mut AgencyNames,
        each: &mut dyn FnMut(MeetingFact),
    ) -> Result<()> {
        let conn = self.conn();
        let mut meetings = conn.prepare_cached(&held_meetings_sql(ward))?;
        let mut agencies = conn.prepare_cached(&held_attendees_sql(ward))?;
        let mut issues = conn.prepare_cached(&held_issues_sql(ward))?;
        let mut meetings = meetings.query(params![from, to, ward])?;
        let mut agencies = Grouped::new(agencies.query(params![from, to, ward])?, |r| r.get(1));
        let mut issues = Grouped::new(issues.query(params![from, to, ward])?, |r| r.get(1));
        while let Some(r) = meetings.next()? {
            let id: i64 = r.get(0)?;
            let date: String = r.get(2)?;
            // Each agency once (a name is one agency's: the ids made distinct are the names),
            // by name.
            let mut ids: Vec<i64> = agencies.next_of(id)?;
            ids.sort_unstable();
            ids.dedup();
            let mut came = Vec::with_capacity(ids.len());
            for agency in ids {
                came.extend(names.name(agency)?);
            }
            came.sort_unstable();
            each(MeetingFact {
                id,
                body_id: r.get(1)?,
                date: day(&date, || format!("meeting {id}: date"))?,
                basis: r.get(3)?,
                supervisor: r.get(4)?,
                referred_by: names.of(r.get(5)?)?,
                agencies: came,
                issues: issues.next_of(id)?,
            });
        }
        Ok(())
    }

    /// Each next action decided at a meeting held between two days (of one ward, or all), with
    /// its meeting's body and date.
    fn each_held_action(
        &self,
        from: &str,
        to: &str,
        ward: Option<i64>,
        names: &mut AgencyNames,
        each: &mut dyn FnMut(ActionFact, i64, NaiveDate),
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&held_actions_sql(ward))?;
        let mut rows = stmt.query(params![from, to, ward])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let meeting_id: i64 = r.get(1)?;
            let date: String = r.get(6)?;
            each(
                ActionFact {
                    meeting_id,
                    agency: names.of(r.get(2)?)?,
                    due: optional_day(r.get(3)?, || format!("action {id}: due"))?,
                    status: status(r.get(4)?)?,
                },
                r.get(5)?,
                day(&date, || format!("meeting {meeting_id}: date"))?,
            );
        }
        Ok(())
    }

    fn history_of(&self, year: i32) -> Result<Vec<HistoryFact>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT body_id, fiscal_year, meetings FROM body_history WHERE fiscal_year = ?1 ORDER BY body_id",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(HistoryFact {
                body_id: r.get(0)?,
                fiscal_year: r.get(1)?,
                meetings: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Next actions with their meeting, by ward (this database's own first, the others in
    /// the order of their local government codes), then by agency (none last), open ones
    /// first, then by due date (none last).
    pub fn action_list(&self, agency: Option<&str>, open_only: bool) -> Result<Vec<ActionListRow>> {
        let mut out = Vec::new();
        self.each_action(agency, None, open_only, &mut |row| -> Result<()> {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    /// The rows of [`Store::action_list`] (of one ward's bodies when `ward` is given), each
    /// handed to `each` as it is read. A city's wards have agencies of the same names (each
    /// ward's こども家庭支援課): grouped by ward first, they are one list each (attack report 7,
    /// finding 18).
    pub fn each_action<E: From<StoreError>>(
        &self,
        agency: Option<&str>,
        ward: Option<i64>,
        open_only: bool,
        each: &mut dyn FnMut(ActionListRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT n.id, a.name, n.text, n.due_date, n.status, b.name, m.id, m.date, w.id, w.name
             FROM next_actions n JOIN meetings m ON m.id = n.meeting_id
             JOIN bodies b ON b.id = m.body_id
             JOIN wards w ON w.id = b.ward_id
             LEFT JOIN agencies a ON a.id = n.agency_id
             WHERE n.deleted_at IS NULL AND (?1 IS NULL OR a.name = ?1)
               AND (?2 = 0 OR n.status = 'open') AND (?3 IS NULL OR b.ward_id = ?3)
             ORDER BY w.id <> 1, w.code IS NULL, w.code, w.id,
                      a.name IS NULL, a.name, n.status <> 'open', n.due_date IS NULL, n.due_date, m.date, n.id",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt
            .query(params![agency.map(str::trim), open_only, ward])
            .map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(action_list_row(r)?)?;
        }
        Ok(())
    }

    /// Whether an agency of this exact name is known.
    pub fn agency_exists(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM agencies WHERE name = ?1",
                [name.trim()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)?)
    }
}

fn action_list_row(r: &rusqlite::Row<'_>) -> Result<ActionListRow> {
    let id: i64 = r.get(0)?;
    let meeting_id: i64 = r.get(6)?;
    let date: String = r.get(7)?;
    Ok(ActionListRow {
        id,
        agency: r.get(1)?,
        text: r.get(2)?,
        due: optional_day(r.get(3)?, || format!("action {id}: due"))?,
        status: status(r.get(4)?)?,
        body: r.get(5)?,
        meeting_id,
        meeting_date: day(&date, || format!("meeting {meeting_id}: date"))?,
        ward_id: r.get(8)?,
        ward: r.get(9)?,
    })
}

/// A change of a case's field as `case_changes` keeps it.
struct RawChange {
    id: i64,
    at: String,
    field: String,
    old: Option<String>,
    new: Option<String>,
    /// The date of the meeting it was made at, if any.
    meeting_day: Option<String>,
}

/// A case's kept changes in the order they were recorded, each with the day it takes effect
/// (Japan time) — the day it happened, as far as the record says (see README, "A year's case
/// figures"):
/// - an ending (終結・中断・移管) on the date it gives, and so every correction of that ending
///   until the case is reopened (its date, reason or kind: the ending takes the date it was
///   last given);
/// - consent on the date it was given (`consent_date`), when one was recorded with it;
/// - what a case was recorded with when it was made on the day it was opened (when earlier);
/// - any other change made at a meeting on that meeting's day;
/// - everything else on the Japan-time day of its instant, whatever offset it was written with.
///
/// A reopening takes effect on the day it was recorded (never before the ending it undoes).
fn history(
    raw: Vec<RawChange>,
    opened: Option<NaiveDate>,
    what: &dyn Fn(&str) -> String,
) -> Result<Vec<crate::report::CaseChangeFact>> {
    use crate::domain::case::CaseStatus;
    use crate::report::{CaseChangeFact, CaseValue};
    type Instant = chrono::DateTime<chrono::FixedOffset>;
    /// One kept change, before its day is known.
    struct Timed {
        at: Instant,
        id: i64,
        before: CaseValue,
        after: CaseValue,
        meeting_day: Option<NaiveDate>,
        /// The status written when the case was made (no value before).
        creation: bool,
    }
    let mut timed: Vec<Timed> = Vec::with_capacity(raw.len());
    // The consent dates recorded, by the instant they were recorded at.
    let mut consent_dates: Vec<(Instant, NaiveDate)> = Vec::new();
    for x in raw {
        let Some(at) = crate::clock::parse_instant(&x.at) else {
            return Err(StoreError::Invalid(format!(
                "{}: '{}' is not a time",
                what("change"),
                x.at
            )));
        };
        if x.field == "consent_date" {
            if let Some(d) = optional_day(x.new.clone().filter(|t| !t.is_empty()), || {
                what("consent_date")
            })? {
                consent_dates.push((at, d));
            }
            continue;
        }
        // A status or consent with no value before is the case's creation: nothing to undo.
        let value = |v: Option<String>| -> Result<Option<CaseValue>> {
            let text = v.unwrap_or_default();
            let field = || what(&x.field);
            if text.is_empty() && matches!(x.field.as_str(), "status" | "consent") {
                return Ok(None);
            }
            Ok(Some(match x.field.as_str() {
                "status" => CaseValue::Status(text.parse().map_err(StoreError::Invalid)?),
                "closed" => CaseValue::Closed(optional_day(Some(text), field)?),
                "closure_reason" => CaseValue::ClosureReason(text),
                "consent" => CaseValue::Consent(text.parse().map_err(StoreError::Invalid)?),
                "referred_by" => CaseValue::ReferredBy(Some(text).filter(|t| !t.is_empty())),
                "lead_agency" => CaseValue::LeadAgency(Some(text).filter(|t| !t.is_empty())),
                "risk" => CaseValue::Risk(text.parse().ok()),
                _ => CaseValue::NextReview(optional_day(Some(text), field)?),
            }))
        };
        let after = value(x.new.clone())?;
        let before = value(x.old.clone())?;
        let meeting_day = x
            .meeting_day
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if let Some(after) = after {
            let creation = before.is_none() && matches!(after, CaseValue::Status(_));
            let before = before.unwrap_or_else(|| after.clone());
            timed.push(Timed {
                at,
                id: x.id,
                before,
                after,
                meeting_day,
                creation,
            });
        }
    }
    timed.sort_by_key(|t| (t.at, t.id));
    let created: Vec<Instant> = timed.iter().filter(|t| t.creation).map(|t| t.at).collect();
    let mut days: Vec<NaiveDate> = timed
        .iter()
        .map(|t| {
            let recorded = t.at.date_naive();
            let made_with = t.meeting_day.is_none()
                && !matches!(t.after, CaseValue::NextReview(_))
                && created.contains(&t.at);
            if let Some(opened) = opened.filter(|_| made_with) {
                return opened.min(recorded);
            }
            if matches!(t.after, CaseValue::Consent(_))
                && let Some((_, d)) = consent_dates.iter().find(|(when, _)| *when == t.at)
            {
                return *d;
            }
            match t.after {
                // A review date counts from the later of the two, as the ledger reads it
                // (`review_set_on!`): typed before its meeting, it holds once that is held.
                CaseValue::NextReview(_) => t.meeting_day.map_or(recorded, |m| m.max(recorded)),
                _ => t.meeting_day.unwrap_or(recorded),
            }
        })
        .collect();
    // The endings: from the change that ends the case to the one that reopens it, every
    // change of its date, reason or kind takes effect on the earliest date the ending was
    // given (its `closed` date still decides the day it ended), changes of one instant together.
    let of_ending = |v: &CaseValue| {
        matches!(
            v,
            CaseValue::Status(_) | CaseValue::Closed(_) | CaseValue::ClosureReason(_)
        )
    };
    let mut episode: Vec<usize> = Vec::new();
    let mut earliest: Option<NaiveDate> = None;
    let mut last_given: Option<NaiveDate> = None;
    let mut ended = false;
    let mut start = 0;
    while start < timed.len() {
        let end = start + timed[start..].partition_point(|t| t.at == timed[start].at);
        let group = start..end;
        let reopens = timed[group.clone()].iter().any(|t| {
            matches!((&t.before, &t.after),
                (CaseValue::Status(b), CaseValue::Status(a)) if CaseStatus::reopens(*b, *a))
        });
        if reopens {
            if let Some(on) = earliest {
                for &i in &episode {
                    days[i] = on;
                }
            }
            for i in group {
                days[i] = days[i].max(last_given.unwrap_or(NaiveDate::MIN));
            }
            episode.clear();
            (earliest, last_given, ended) = (None, None, false);
        } else {
            let ends = timed[group.clone()].iter().any(|t| match &t.after {
                CaseValue::Status(a) => a.is_ended(),
                CaseValue::Closed(d) => d.is_some(),
                _ => false,
            });
            if ended || ends {
                ended = true;
                for i in group {
                    let t = &timed[i];
                    if !of_ending(&t.after) {
                        continue;
                    }
                    episode.push(i);
                    for v in [&t.before, &t.after] {
                        if let CaseValue::Closed(Some(d)) = v {
                            earliest = Some(earliest.map_or(*d, |e| e.min(*d)));
                        }
                    }
                    if let CaseValue::Closed(d) = &t.after {
                        last_given = *d;
                    }
                }
            }
        }
        start = end;
    }
    if let Some(on) = earliest {
        for &i in &episode {
            days[i] = on;
        }
    }
    Ok(timed
        .into_iter()
        .zip(days)
        .map(|(t, day)| CaseChangeFact {
            day,
            before: t.before,
            after: t.after,
        })
        .collect())
}

/// The agencies' names by id, each read once for the whole report (its list for the masker,
/// every year's rows): the report's rows name a few hundred agencies
/// (a city's some thousands) in hundreds of thousands of cells (a city's year 700 000
/// attendees), and the name read with each row — a look-up of the agencies' table and a string
/// made — was a tenth of a ward's report.
struct AgencyNames<'c> {
    stmt: rusqlite::CachedStatement<'c>,
    /// `None`: no agency has the id (a cell that points nowhere counts as none, as a join skips
    /// it).
    names: foldhash::HashMap<i64, Option<String>>,
}

impl<'c> AgencyNames<'c> {
    fn new(conn: &'c rusqlite::Connection) -> Result<Self> {
        Ok(AgencyNames {
            stmt: conn.prepare_cached("SELECT name FROM agencies WHERE id = ?1")?,
            names: foldhash::HashMap::default(),
        })
    }

    /// The name of the agency `id`.
    fn name(&mut self, id: i64) -> Result<Option<String>> {
        if let Some(name) = self.names.get(&id) {
            return Ok(name.clone());
        }
        let name: Option<String> = self.stmt.query_row([id], |r| r.get(0)).optional()?;
        self.names.insert(id, name.clone());
        Ok(name)
    }

    /// The name of the agency a cell holds, if any.
    fn of(&mut self, id: Option<i64>) -> Result<Option<String>> {
        id.map_or(Ok(None), |id| self.name(id))
    }
}

/// Rows of (id, …) in the order of the ids, read beside the records they belong to (meetings,
/// cases): each record takes the rows of its id, so that none waits in memory for its own.
struct Grouped<'s, T> {
    rows: rusqlite::Rows<'s>,
    read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    next: Option<(i64, T)>,
    done: bool,
}

impl<'s, T> Grouped<'s, T> {
    fn new(rows: rusqlite::Rows<'s>, read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>) -> Self {
        Grouped {
            rows,
            read,
            next: None,
            done: false,
        }
    }

    /// The next row read, unless it waits already or the rows are done.
    fn fill(&mut self) -> Result<()> {
        if self.next.is_none() && !self.done {
            self.next = match self.rows.next()? {
                Some(r) => Some((r.get(0)?, (self.read)(r)?)),
                None => {
                    self.done = true;
                    None
                }
            };
        }
        Ok(())
    }

    /// The rows of `id`, the next in the order the rows come in: the caller asks for every
    /// record of a query in that same order (not necessarily of increasing id), and the rows'
    /// records are among them.
    fn next_of(&mut self, id: i64) -> Result<Vec<T>> {
        let mut out = Vec::new();
        loop {
            self.fill()?;
            match self.next.take() {
                Some((at, value)) if at == id => out.push(value),
                other => {
                    self.next = other;
                    return Ok(out);
                }
            }
        }
    }

    /// The rows of `id` (the records come in increasing id).
    fn of(&mut self, id: i64) -> Result<Vec<T>> {
        let mut out = Vec::new();
        loop {
            self.fill()?;
            match self.next.take() {
                Some((at, value)) if at == id => out.push(value),
                Some((at, value)) if at > id => {
                    self.next = Some((at, value));
                    return Ok(out);
                }
                Some(_) => {}
                None => return Ok(out),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// SQLite's plan of `sql`, a line a step.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The city's report reads the year's held meetings and their attendees, issues and next
    /// actions from schema step 22's indexes alone — no page of those tables' rows (a page of
    /// long texts per meeting, 1.1 million pages of a city's 18 GB for one year) — and sorts
    /// none of them (a city's year is 700 000 attendees); a ward's own report reads the
    /// attendees, issues and actions of its meetings from the same indexes.
    #[test]
    fn the_reports_statements_read_the_narrow_indexes_only() {
        let conn = crate::store::testing::migrated_in_memory();
        for ward in [None, Some(1)] {
            let mut statements = vec![
                held_meetings_sql(ward),
                held_attendees_sql(ward),
                held_issues_sql(ward),
                held_actions_sql(ward),
                agency_ids_sql(ward),
            ];
            if ward.is_none() {
                statements.push(case_issues_sql(ward));
            }
            for sql in statements {
                let steps = plan(&conn, &sql);
                let mut read = 0;
                for step in &steps {
                    let mut words = step.split(' ');
                    let (Some("SEARCH" | "SCAN"), Some(alias)) = (words.next(), words.next())
                    else {
                        continue;
                    };
                    // The bodies and agencies, a city's few thousand, by their ids; a ward's
                    // own meetings found by its bodies, their rows read (a twenty-fourth of a
                    // city's).
                    if matches!(alias, "a" | "b") {
                        continue;
                    }
                    read += 1;
                    if ward.is_some() && alias == "m" {
                        continue;
                    }
                    assert!(
                        step.contains("COVERING INDEX"),
                        "{alias} read by row: {steps:#?}\n{sql}"
                    );
                    // A meeting's attendees in one range, not a seek for each attendance.
                    assert!(
                        alias != "t" || step.ends_with("(meeting_id=? AND deleted_at=?)"),
                        "{steps:#?}\n{sql}"
                    );
                }
                assert!(read > 0, "{steps:#?}");
                if ward.is_none() && !sql.contains("ORDER BY i.case_id") {
                    assert!(
                        !steps.iter().any(|s| s.contains("FOR ORDER BY")),
                        "{steps:#?}\n{sql}"
                    );
                }
            }
        }
    }
}
