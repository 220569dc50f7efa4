//! The ledger of cases (進行管理台帳): a case as the ledger lists it, and the ledger as a sheet —
//! what `renkei cases --format csv|xlsx` writes.

use chrono::NaiveDate;

pub use crate::domain::case::CaseReview;
use crate::domain::case::{CaseStatus, Consent, Level};
use crate::i18n::Lang;
use crate::minutes::Person;
use crate::office::xlsx::{Cell, Sheet};
use crate::report::csv::CsvEncoding;

/// The body that reviews a case (id, name): the one whose meeting last discussed it.
pub type ReviewBody = Option<(i64, String)>;

/// A case as the ledger lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: i64,
    pub uid: String,
    pub pseudonym: String,
    pub status: CaseStatus,
    pub lead_agency: Option<String>,
    pub referred_by: Option<String>,
    pub risk: Option<Level>,
    pub urgency: Option<Level>,
    pub consent: Consent,
    pub opened: Option<NaiveDate>,
    /// The last meeting held (or begun) that discussed it.
    pub last_meeting: Option<NaiveDate>,
    /// The next meeting planned to discuss it, from today.
    pub next_meeting: Option<NaiveDate>,
    /// When it is looked at again: the date set (`review_set`) while no meeting has discussed it
    /// since, else the date the review rules give (fixtures/case_rules.toml `[review]`).
    pub next_review: Option<NaiveDate>,
    /// The next review date set at a meeting or on the case, as stored.
    pub review_set: Option<NaiveDate>,
    /// The day that date was last set (Japan time), when renkei kept the change.
    pub review_set_on: Option<NaiveDate>,
    /// The day it was last reopened after it had ended (Japan time), when renkei kept the change:
    /// its next review is counted from then, not from a meeting before it ended.
    pub reopened: Option<NaiveDate>,
    /// The body of the last meeting that discussed it (id, name), which reviews it next.
    pub review_body: ReviewBody,
    /// That body's kind (the review rules' `review_months`).
    pub review_kind: Option<String>,
    /// That body's own review interval in months (`None`: its kind's).
    pub review_months: Option<u32>,
    pub open_actions: usize,
    pub closed: Option<NaiveDate>,
    pub closure_reason: String,
    pub policy: String,
    /// Meetings that discussed it.
    pub meetings: usize,
    /// The ward whose case it is (a city holds several).
    pub ward_id: i64,
}

impl CaseRow {
    /// Followed, and its review date has passed.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        !self.status.is_ended() && self.next_review.is_some_and(|d| d < today)
    }

    /// The review date comes from the rules, not from a date set for it.
    pub fn review_by_rule(&self) -> bool {
        self.next_review.is_some() && self.next_review != self.review_set
    }

    /// Followed, and due for review by today.
    pub fn review_due(&self, today: NaiveDate) -> bool {
        !self.status.is_ended() && self.next_review.is_some_and(|d| d <= today)
    }
}

/// Masks the ledger's agency cells (主担当機関, 相談経路) that hold a person — a household member
/// written in any form (name, reading, spaced, with an honorific or a relation) or any name with
/// a relation or an honorific — as the annual report does: the cell says 個人（家族等）; and the
/// names in its 終結理由 replaced by ○○ (`○○が施設入所`), as the report's reason rows. Lists never
/// show a household's names. The rows are for showing: an edit reads the case itself.
pub struct Masker<'a> {
    cells: crate::report::people::Masker<'a>,
}

impl<'a> Masker<'a> {
    /// For these people (everyone recorded: `Store::recorded_people`, as the annual report masks
    /// them) and the agency names the cells may hold (kept whole where a name is part of one).
    pub fn new(people: &[Person], agencies: &[&str], lang: Lang) -> Masker<'a> {
        Masker {
            cells: crate::report::people::Masker::new(people, agencies, lang),
        }
    }

    /// For the people each distinct cell may name, looked up (`Store::table_people`): the same
    /// cells masked as [`Masker::new`] with everyone recorded, without holding everyone.
    pub fn looked_up(
        agencies: &[&str],
        lang: Lang,
        lookup: crate::report::people::Lookup<'a>,
    ) -> Masker<'a> {
        Masker {
            cells: crate::report::people::Masker::looked_up(agencies, lang, lookup),
        }
    }

    /// How an agency cell holding `agency` is shown.
    pub fn shown(&mut self, agency: &str) -> String {
        let mut cell = agency.to_owned();
        self.cells.agency(&mut cell);
        cell
    }

    /// One row, as it is listed.
    pub fn row(&mut self, row: &mut CaseRow) {
        for cell in [row.lead_agency.as_mut(), row.referred_by.as_mut()]
            .into_iter()
            .flatten()
        {
            self.cells.agency(cell);
        }
        self.cells.reason(&mut row.closure_reason);
    }
}

/// [`Masker`] over every row: what the table, the JSON list, the CSV and xlsx sheets and the
/// TUI's ledger show.
pub fn mask(rows: &mut [CaseRow], people: &[Person], lang: Lang) {
    let agencies: Vec<String> = rows
        .iter()
        .flat_map(|r| r.lead_agency.iter().chain(&r.referred_by))
        .cloned()
        .collect();
    if agencies.is_empty() && rows.iter().all(|r| r.closure_reason.trim().is_empty()) {
        return;
    }
    let agencies: Vec<&str> = agencies.iter().map(String::as_str).collect();
    let mut masker = Masker::new(people, &agencies, lang);
    for r in rows {
        masker.row(r);
    }
}

fn level(level: Option<Level>, lang: Lang) -> String {
    level.map(|l| l.label(lang).to_owned()).unwrap_or_default()
}

/// The ledger as CSV for Excel, in `encoding`: the columns of [`sheet`], a cell a spreadsheet
/// would read as a formula written as text (`renkei cases --format csv`, the ledger's `w`).
pub fn csv(rows: &[CaseRow], lang: Lang, encoding: CsvEncoding) -> Result<Vec<u8>, String> {
    crate::report::csv::encode(&sheet(rows, lang).plain_rows(), encoding)
}

/// The wards of a city by id (none: the database holds one ward, and no 区 column is written).
pub type WardNames = std::collections::HashMap<i64, String>;

/// The ledger as a sheet: the columns a ward keeps (事例, 受理日, 相談経路, 主担当機関, 危険度,
/// 緊急度, 状態, 援助方針, 最終検討日, 次回確認日, 終結日, 終結理由).
pub fn sheet(rows: &[CaseRow], lang: Lang) -> Sheet {
    sheet_in(rows, lang, None)
}

/// [`sheet`], with a 区 column after 事例 in a city (`wards`: more than one ward).
pub fn sheet_in(rows: &[CaseRow], lang: Lang, wards: Option<&WardNames>) -> Sheet {
    let headers = headers(lang, wards.is_some());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let cells = rows.iter().map(|r| cells(r, lang, wards)).collect();
    let title = lang.pick("進行管理台帳", "Case ledger");
    Sheet::list(title, title, &headers, cells)
}

/// The header of the ledger's sheet (and CSV); `city`: with the 区 column.
pub fn headers(lang: Lang, city: bool) -> Vec<String> {
    let mut header = vec![("事例", "case")];
    if city {
        header.push(("区", "ward"));
    }
    header.extend([
        ("受理日", "opened"),
        ("相談経路", "referred_by"),
        ("主担当機関", "lead_agency"),
        ("危険度", "risk"),
        ("緊急度", "urgency"),
        ("状態", "status"),
        ("援助方針", "policy"),
        ("最終検討日", "last_meeting"),
        ("次回確認日", "next_review"),
        ("終結日", "closed"),
        ("終結理由", "closure_reason"),
    ]);
    header
        .iter()
        .map(|(ja, en)| lang.pick(ja, en).to_owned())
        .collect()
}

/// One case's cells on the sheet, under [`headers`] (the ward's name when `wards` is given).
pub fn cells(r: &CaseRow, lang: Lang, wards: Option<&WardNames>) -> Vec<Cell> {
    let mut cells = vec![Cell::text(&r.pseudonym)];
    if let Some(wards) = wards {
        cells.push(Cell::text(
            wards.get(&r.ward_id).cloned().unwrap_or_default(),
        ));
    }
    cells.extend([
        Cell::date(r.opened),
        Cell::text(r.referred_by.clone().unwrap_or_default()),
        Cell::text(r.lead_agency.clone().unwrap_or_default()),
        Cell::text(level(r.risk, lang)),
        Cell::text(level(r.urgency, lang)),
        Cell::text(r.status.label(lang)),
        Cell::text(&r.policy),
        Cell::date(r.last_meeting),
        Cell::date(r.next_review),
        Cell::date(r.closed),
        Cell::text(&r.closure_reason),
    ]);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minutes::PersonKind;

    fn row(lead: &str, referred: &str) -> CaseRow {
        CaseRow {
            id: 1,
            uid: String::new(),
            pseudonym: "P世帯".into(),
            status: CaseStatus::Active,
            lead_agency: Some(lead.into()),
            referred_by: Some(referred.into()),
            risk: None,
            urgency: None,
            consent: Consent::Unknown,
            opened: None,
            last_meeting: None,
            next_meeting: None,
            next_review: None,
            review_set: None,
            review_set_on: None,
            reopened: None,
            review_body: None,
            review_kind: None,
            review_months: None,
            open_actions: 0,
            closed: None,
            closure_reason: String::new(),
            policy: String::new(),
            meetings: 0,
            ward_id: 1,
        }
    }

    /// Attack report 2, finding 2: the ledger showed 山田太郎 (the case's own 本人) and
    /// 佐藤 花子（長女） as 主担当機関.
    #[test]
    fn agency_cells_holding_a_member_are_masked() {
        let people = [
            Person::from_field("山田 太郎（ヤマダ タロウ）", PersonKind::CaseSubject).unwrap(),
            Person::from_field("山田 恵子", PersonKind::Household).unwrap(),
        ];
        let mut rows = vec![
            row("山田太郎", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            row("佐藤 花子（長女）", "恵子さん"),
            row("山田クリニック", "保健センター"),
        ];
        mask(&mut rows, &people, Lang::Ja);
        let cells: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.lead_agency.as_deref().unwrap_or(""),
                    r.referred_by.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            cells,
            [
                ("個人（家族等）", "個人（家族等）"),
                ("個人（家族等）", "個人（家族等）"),
                ("山田クリニック", "保健センター"),
            ]
        );
    }
}
