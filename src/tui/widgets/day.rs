//! A date in the few cells a list or a one-line summary gives it. This year's dates as month and
//! day (`11-26`); a date of another year with its year (`27/02/15`), never as year and month
//! alone: `27-02` reads as the 27th of February in a column of `11-26`s.

use chrono::{Datelike, NaiveDate};

/// Cells of a day with its year (`27/02/15`).
pub const WITH_YEAR: usize = 8;
/// Cells of a day of this year (`02-15`).
pub const THIS_YEAR: usize = 5;

/// A date in few cells: month and day when it is in `today`'s year, else with its year.
pub fn short_day(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%m-%d").to_string()
    } else {
        date.format("%y/%m/%d").to_string()
    }
}

/// Whether a column holding these dates needs the year: any of them in another year than
/// `today`'s.
pub fn needs_years(dates: impl IntoIterator<Item = Option<NaiveDate>>, today: NaiveDate) -> bool {
    dates
        .into_iter()
        .flatten()
        .any(|d| d.year() != today.year())
}

/// A date in a column that shows years for every row when `years` (so the column reads
/// alike), else month and day; `-` for none.
pub fn column_day(date: Option<NaiveDate>, years: bool) -> String {
    match date {
        Some(d) if years => d.format("%y/%m/%d").to_string(),
        Some(d) => d.format("%m-%d").to_string(),
        None => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn this_years_day_is_month_and_day() {
        assert_eq!(short_day(day(2026, 11, 26), day(2026, 12, 3)), "11-26");
    }

    #[test]
    fn another_years_day_keeps_its_day_and_year() {
        let today = day(2026, 12, 3);
        assert_eq!(short_day(day(2027, 2, 15), today), "27/02/15");
        assert_eq!(short_day(day(2025, 12, 31), today), "25/12/31");
        assert_eq!(short_day(day(2027, 2, 15), today).len(), WITH_YEAR);
        assert_eq!(short_day(day(2026, 2, 15), today).len(), THIS_YEAR);
    }

    #[test]
    fn a_column_shows_years_when_one_date_needs_it() {
        let today = day(2026, 12, 3);
        assert!(!needs_years([Some(day(2026, 1, 1)), None], today));
        assert!(needs_years(
            [Some(day(2026, 1, 1)), Some(day(2027, 1, 5))],
            today
        ));
        assert_eq!(column_day(Some(day(2026, 1, 1)), true), "26/01/01");
        assert_eq!(column_day(Some(day(2026, 1, 1)), false), "01-01");
        assert_eq!(column_day(None, true), "-");
    }
}
