//! The annual report (年次報告): the tables a ward publishes once a year — meetings per body and
//! per kind of body, legal basis, supervisor dispatched, referring agency, participating agencies,
//! case issues, next actions — computed from the records (pure: data in, tables out) and rendered
//! as Markdown or CSV.
//!
//! The store gathers an [`Input`] (`Store::report_input`); [`build`] turns it into a [`Report`]
//! of named tables; [`markdown::render`] and [`csv::records`] lay the tables out.

pub mod actions;
mod basis;
mod build;
pub mod csv;
pub mod markdown;
pub mod people;
pub mod xlsx;

pub use basis::{Basis, classify_basis};
pub use build::{Tally, build, check_scope};

use chrono::NaiveDate;

use crate::domain::calendar::{fiscal_year_label_en, fiscal_year_label_ja};
use crate::domain::case::{CaseStatus, Consent, Level};
use crate::domain::model::ActionStatus;
use crate::domain::vocabulary::Vocabulary;
use crate::i18n::Lang;

/// A body as the report needs it, with its ward (the meetings of a body are its ward's: a city's
/// database can count each ward apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFact {
    pub id: i64,
    pub name: String,
    pub organiser: String,
    pub kind: String,
    /// The ward's row in the database (1: the database's own ward) and its name.
    pub ward_id: i64,
    pub ward: String,
    /// The body's own review rules (`None`: as its kind's): it keeps a ledger, how many months
    /// until a case it discussed is looked at again.
    pub ledger: Option<bool>,
    pub review_months: Option<u32>,
}

/// A ward whose bodies the database holds, in the order its column is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardFact {
    pub id: i64,
    pub name: String,
    /// Its code where another ward of the database has the same name (北区 of two cities): the
    /// column's heading gives it.
    pub code: Option<String>,
}

/// One meeting held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub id: i64,
    pub body_id: i64,
    pub date: NaiveDate,
    /// 開催根拠 as stored (free text; [`classify_basis`] maps it to a row).
    pub basis: String,
    pub supervisor: bool,
    pub referred_by: Option<String>,
    /// The agencies of the attendees who came (present, late or left early).
    pub agencies: Vec<String>,
    /// Case issue categories.
    pub issues: Vec<String>,
}

/// A yearly meeting count published before the body's meetings were kept in renkei.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryFact {
    pub body_id: i64,
    pub fiscal_year: i32,
    pub meetings: u32,
}

/// A next action decided at a meeting held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFact {
    pub meeting_id: i64,
    pub agency: Option<String>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// A case (事例) as the report counts it: its own fields, the held meetings that discussed it
/// and the issues recorded for it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub id: i64,
    pub ward_id: i64,
    pub status: CaseStatus,
    pub opened: Option<NaiveDate>,
    /// The day it ended (closed, suspended or transferred), when it has.
    pub closed: Option<NaiveDate>,
    pub closure_reason: String,
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    pub consent: Consent,
    pub risk: Option<Level>,
    /// The next review date set for it, and the day it was set (when renkei kept the change).
    pub review_set: Option<NaiveDate>,
    pub review_set_on: Option<NaiveDate>,
    /// The held meetings that discussed it: (body, date).
    pub meetings: Vec<(i64, NaiveDate)>,
    /// The case issues recorded for it at held meetings of the years the report counts (the
    /// others count in no column): (the meeting's date, the text).
    pub issues: Vec<(NaiveDate, String)>,
    /// Its reviews recorded at held meetings (進行管理): the meetings' (body, date).
    pub reviews: Vec<(i64, NaiveDate)>,
    /// The changes renkei kept of the fields above (`case_changes`), in the order they were
    /// recorded, each with the day it took effect: a year's figures take the case as it stood
    /// at the year's end. None (a case imported before renkei kept changes): its fields as they
    /// are now.
    pub history: Vec<CaseChangeFact>,
}

/// One change of a case's field, on the day it took effect (Japan time): the day it happened as
/// far as the record says — an ending on the date it gives, consent on the date it was given,
/// what a case was made with on the day it was opened, a change at a meeting on the meeting's
/// day, any other change on the day it was made (`store::report::history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChangeFact {
    pub day: NaiveDate,
    pub before: CaseValue,
    pub after: CaseValue,
}

impl CaseChangeFact {
    /// The change reopened the case ([`CaseStatus::reopens`]).
    pub fn reopens(&self) -> bool {
        matches!((&self.before, &self.after),
            (CaseValue::Status(b), CaseValue::Status(a)) if CaseStatus::reopens(*b, *a))
    }
}

/// A field of a case the report counts, with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseValue {
    Status(CaseStatus),
    Closed(Option<NaiveDate>),
    ClosureReason(String),
    Consent(Consent),
    ReferredBy(Option<String>),
    LeadAgency(Option<String>),
    Risk(Option<Level>),
    NextReview(Option<NaiveDate>),
}

/// Everything the report counts: every body, and the held meetings, yearly counts and actions of
/// the years asked for (more is harmless: each table takes its own year).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub bodies: Vec<BodyFact>,
    /// The wards, in the order of their columns with `--by-ward` (none: as the bodies name them).
    pub wards: Vec<WardFact>,
    pub meetings: Vec<MeetingFact>,
    pub history: Vec<HistoryFact>,
    pub actions: Vec<ActionFact>,
    pub cases: Vec<CaseFact>,
}

/// What to count and how to lay it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub lang: Lang,
    /// The fiscal year reported (2020 = 令和2年度, April 2020 – March 2021).
    pub fiscal_year: i32,
    /// Fiscal years printed beside it, in this order (source 003 prints R2年度 | R元年度).
    pub compare: Vec<i32>,
    /// Only the bodies with this name (every organiser).
    pub body: Option<String>,
    /// Only the bodies of this kind.
    pub kind: Option<String>,
    /// Only the bodies of this ward (its row in the database).
    pub ward: Option<i64>,
    /// A column per ward for the reported year, then the city's total (and the compared years'
    /// totals), as a city publishes its wards.
    pub by_ward: bool,
    /// Referring and participating agencies: the largest N rows, the rest folded into その他.
    pub top: Option<usize>,
    /// Case issues: the largest N rows, the rest folded into その他 (default: `top`).
    pub top_issues: Option<usize>,
    /// The day the report is made: next actions are overdue as of it, or as of the year's end.
    pub today: NaiveDate,
    /// The case issue categories and their variants: each variant is counted as its category, a
    /// text not in the list as itself (flagged new in the notes).
    pub vocabulary: Vocabulary,
}

impl Options {
    pub fn new(lang: Lang, fiscal_year: i32, today: NaiveDate) -> Options {
        Options {
            lang,
            fiscal_year,
            compare: Vec::new(),
            body: None,
            kind: None,
            ward: None,
            by_ward: false,
            top: None,
            top_issues: None,
            today,
            vocabulary: Vocabulary::builtin().clone(),
        }
    }

    /// The reported year first, then the compared ones, each once.
    pub fn years(&self) -> Vec<i32> {
        let mut years = vec![self.fiscal_year];
        for &y in &self.compare {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        years
    }
}

/// "令和2年度" or "FY2020".
pub fn year_label(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Ja => fiscal_year_label_ja(year),
        Lang::En => fiscal_year_label_en(year),
    }
}

/// The tables of the report, by a stable name (CSV's first column, tests, the TUI's tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableId {
    MeetingsByBody,
    MeetingsByKind,
    Basis,
    Supervisor,
    ReferredBy,
    Agencies,
    Issues,
    Actions,
    /// Cases: opened, ended, followed, active, meetings per case, days to closure, reviews.
    Cases,
    CaseClosures,
    CaseReferredBy,
    CaseLead,
    CaseIssues,
    CaseConsent,
}

impl TableId {
    pub const ALL: [TableId; 14] = [
        TableId::MeetingsByBody,
        TableId::MeetingsByKind,
        TableId::Basis,
        TableId::Supervisor,
        TableId::ReferredBy,
        TableId::Agencies,
        TableId::Issues,
        TableId::Actions,
        TableId::Cases,
        TableId::CaseClosures,
        TableId::CaseReferredBy,
        TableId::CaseLead,
        TableId::CaseIssues,
        TableId::CaseConsent,
    ];

    /// The tables of cases, printed when some case is in scope.
    pub const CASES: [TableId; 6] = [
        TableId::Cases,
        TableId::CaseClosures,
        TableId::CaseReferredBy,
        TableId::CaseLead,
        TableId::CaseIssues,
        TableId::CaseConsent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TableId::MeetingsByBody => "meetings_by_body",
            TableId::MeetingsByKind => "meetings_by_kind",
            TableId::Basis => "basis",
            TableId::Supervisor => "supervisor",
            TableId::ReferredBy => "referred_by",
            TableId::Agencies => "agencies",
            TableId::Issues => "issues",
            TableId::Actions => "actions",
            TableId::Cases => "cases",
            TableId::CaseClosures => "case_closures",
            TableId::CaseReferredBy => "case_referred_by",
            TableId::CaseLead => "case_lead",
            TableId::CaseIssues => "case_issues",
            TableId::CaseConsent => "case_consent",
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Count(u64),
    /// Meetings of a body or kind; `published` when (part of) the count is a yearly count kept
    /// for a year with no meetings recorded, rather than meetings counted one by one.
    Meetings {
        count: u64,
        published: bool,
    },
    /// A count and its share of `total`, printed as source 003 does: 35件(30%).
    Share {
        count: u64,
        total: u64,
    },
    /// `sum / over` to one decimal (6.2); nothing when `over` is 0.
    Mean {
        sum: u64,
        over: u64,
    },
}

impl Value {
    /// The count of a cell; for a mean, its sum.
    pub fn count(self) -> u64 {
        match self {
            Value::Count(n) | Value::Meetings { count: n, .. } | Value::Share { count: n, .. } => n,
            Value::Mean { sum, .. } => sum,
        }
    }

    /// Whole percent, rounded half up (29.66 → 30), for a share.
    pub fn percent(self) -> Option<u64> {
        match self {
            Value::Share { count, total } if total > 0 => Some((count * 200 + total) / (total * 2)),
            Value::Share { .. } => Some(0),
            _ => None,
        }
    }

    /// A mean to one decimal, rounded half up (729 / 118 = 6.18 → "6.2").
    pub fn mean_text(self) -> Option<String> {
        match self {
            Value::Mean { sum, over } if over > 0 => {
                let tenths = (sum * 20 + over) / (over * 2);
                Some(format!("{}.{}", tenths / 10, tenths % 10))
            }
            _ => None,
        }
    }

    pub fn is_published(self) -> bool {
        matches!(
            self,
            Value::Meetings {
                published: true,
                ..
            }
        )
    }

    /// The cell as a reader sees it: 35件(30%), 6.2, 10（実績）.
    pub fn display(self, lang: Lang) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Meetings { count, published } => {
                if published {
                    format!("{count}{}", lang.pick("（実績）", " (published)"))
                } else {
                    count.to_string()
                }
            }
            Value::Share { count, .. } => {
                let percent = self.percent().unwrap_or(0);
                match lang {
                    Lang::Ja => format!("{count}件({percent}%)"),
                    Lang::En => format!("{count} ({percent}%)"),
                }
            }
            Value::Mean { .. } => self.mean_text().unwrap_or_else(|| "-".to_owned()),
        }
    }
}

/// What a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A body, kind, basis, agency, category …
    Item,
    /// The rows folded by `--top`.
    Other,
    /// Rows counted as nothing recorded (no referring agency, no basis, no agency).
    Unrecorded,
    Total,
    Mean,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: RowKind,
    /// One text per label column (the first names the row).
    pub labels: Vec<String>,
    /// One value per value column.
    pub values: Vec<Value>,
}

impl Row {
    pub fn label(&self) -> &str {
        self.labels.first().map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub id: TableId,
    pub title: String,
    pub label_headers: Vec<String>,
    pub value_headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Lines printed under the table: what a marker means, what その他 holds.
    pub notes: Vec<String>,
}

impl Table {
    /// The first row whose first label is `label`.
    pub fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label() == label)
    }

    pub fn rows_of(&self, kind: RowKind) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| r.kind == kind)
    }

    pub fn total(&self) -> Option<&Row> {
        self.rows_of(RowKind::Total).next()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub lang: Lang,
    pub title: String,
    pub years: Vec<i32>,
    /// Lines describing what was counted: the period, the bodies chosen.
    pub scope: Vec<String>,
    pub tables: Vec<Table>,
    /// How each number is counted (mean per meeting, overdue …).
    pub definitions: Vec<String>,
}

impl Report {
    pub fn table(&self, id: TableId) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}
