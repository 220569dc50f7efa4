//! The list of next actions as a sheet: the rows `renkei actions --format csv|xlsx` writes and
//! the actions screen's `w` writes as .xlsx.

use chrono::NaiveDate;

use crate::domain::model::ActionStatus;
use crate::i18n::Lang;
use crate::office::xlsx::{Cell, Sheet};

/// A next action as the actions list and its exports show it (`Store::action_list` reads them).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionListRow {
    pub id: i64,
    pub agency: Option<String>,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    pub body: String,
    pub meeting_id: i64,
    pub meeting_date: NaiveDate,
    /// The ward of the meeting's body: its row (1 is this database's own) and its name.
    pub ward_id: i64,
    pub ward: String,
}

/// Open, and due before today.
pub fn is_overdue(row: &ActionListRow, today: NaiveDate) -> bool {
    row.status == ActionStatus::Open && row.due.is_some_and(|d| d < today)
}

pub fn status_label(status: ActionStatus, lang: Lang) -> String {
    match lang {
        Lang::Ja => status.label_ja().to_owned(),
        Lang::En => status.code().to_owned(),
    }
}

/// The actions' sheet, its title and columns (the rows are written as they are read: a city's
/// hundreds of thousands are never held); the CSV export has the same columns. `wards`: the
/// database holds several (a city's), each row's ward in a column of its own, first.
pub fn sheet(lang: Lang, wards: bool) -> Sheet {
    let title = lang.pick("次回までの対応", "Next actions");
    Sheet::list(title, title, &headers(lang, wards), Vec::new())
}

/// The columns of the actions as a sheet (and of their CSV); with `wards`, the ward's first.
pub fn headers(lang: Lang, wards: bool) -> Vec<&'static str> {
    let ward = wards.then_some(("区", "ward"));
    ward.iter()
        .chain(&[
            ("機関", "agency"),
            ("内容", "text"),
            ("期限", "due"),
            ("状態", "status"),
            ("期限超過", "overdue"),
            ("会議体", "body"),
            ("会議日", "meeting_date"),
            ("会議ID", "meeting_id"),
        ])
        .map(|(ja, en)| lang.pick(ja, en))
        .collect()
}

/// One action as a row of the sheet, after its `ward` where the sheet has that column; the CSV
/// export writes its text a row at a time.
pub fn cells(r: &ActionListRow, today: NaiveDate, lang: Lang, ward: Option<&str>) -> Vec<Cell> {
    let overdue = if is_overdue(r, today) {
        lang.pick("超過", "yes")
    } else {
        ""
    };
    let mut cells = Vec::with_capacity(9);
    if let Some(ward) = ward {
        cells.push(Cell::text(ward));
    }
    cells.extend([
        Cell::text(r.agency.clone().unwrap_or_default()),
        Cell::text(&r.text),
        Cell::date(r.due),
        Cell::text(status_label(r.status, lang)),
        Cell::text(overdue),
        Cell::text(&r.body),
        Cell::date(Some(r.meeting_date)),
        Cell::count(r.meeting_id as f64),
    ]);
    cells
}
