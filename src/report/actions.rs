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

/// The actions as a sheet; the CSV export is its text.
pub fn sheet(rows: &[ActionListRow], today: NaiveDate, lang: Lang) -> Sheet {
    let cells = rows.iter().map(|r| cells(r, today, lang)).collect();
    let title = lang.pick("次回までの対応", "Next actions");
    Sheet::list(title, title, &headers(lang), cells)
}

/// The columns of the actions as a sheet (and of their CSV).
pub fn headers(lang: Lang) -> Vec<&'static str> {
    [
        ("機関", "agency"),
        ("内容", "text"),
        ("期限", "due"),
        ("状態", "status"),
        ("期限超過", "overdue"),
        ("会議体", "body"),
        ("会議日", "meeting_date"),
        ("会議ID", "meeting_id"),
    ]
    .iter()
    .map(|(ja, en)| lang.pick(ja, en))
    .collect()
}

/// One action as a row of the sheet; the CSV export writes its text a row at a time.
pub fn cells(r: &ActionListRow, today: NaiveDate, lang: Lang) -> Vec<Cell> {
    let overdue = if is_overdue(r, today) {
        lang.pick("超過", "yes")
    } else {
        ""
    };
    vec![
        Cell::text(r.agency.clone().unwrap_or_default()),
        Cell::text(&r.text),
        Cell::date(r.due),
        Cell::text(status_label(r.status, lang)),
        Cell::text(overdue),
        Cell::text(&r.body),
        Cell::date(Some(r.meeting_date)),
        Cell::count(r.meeting_id as f64),
    ]
}
