//! Meeting books: past meetings as a ward keeps them in Excel, one row per meeting — 開催日,
//! 会議体, 開催根拠, SV派遣, 相談のあった機関, 参加機関, 課題 (or the English headers date, body,
//! basis, supervisor, referred_by, agencies, issues) — so that last year's book can be loaded and
//! reported on.
//!
//! A CSV is a meeting book when its header row has a date column (開催日 / date); a body list
//! never has one. Each row becomes a held meeting: its participating agencies become attendees
//! (agency only, present), its issues case issues. A body the book names must exist (in the
//! database or an earlier file of the same import) unless the import is asked to create it.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

use super::bodies::{find_body, insert_body};
use super::identity::{new_rev, new_uid};
use super::tabular::{Table, parse_flag, split_agencies};
use super::ward::HOME;
use super::{Result, StoreError};
use crate::domain::calendar::{fold_width, parse_date_input};
use crate::domain::model::{Attendance, MeetingStatus, Role};
use crate::i18n::said;
use crate::interchange::{AttendeeRecord, BodyRecord, Document, MeetingRecord};
use crate::text::{fold_name, trim_blanks};

/// The meetings of a book, and where each came from (`line 12`, `R2!B12`: for errors).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    pub meetings: Vec<MeetingRecord>,
    pub places: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Date,
    Body,
    Organiser,
    Start,
    Basis,
    Supervisor,
    ReferredBy,
    Agencies,
    Issues,
    Case,
}

impl Field {
    /// The header a message names the field by.
    fn name(self) -> &'static str {
        match self {
            Field::Date => "開催日 (date)",
            Field::Body => "会議体 (body)",
            Field::Organiser => "主催者 (organiser)",
            Field::Start => "開始時刻 (start)",
            Field::Basis => "開催根拠 (basis)",
            Field::Supervisor => "SV派遣 (supervisor)",
            Field::ReferredBy => "相談のあった機関 (referred_by)",
            Field::Agencies => "参加機関 (agencies)",
            Field::Issues => "課題 (issues)",
            Field::Case => "事例 (case)",
        }
    }
}

fn field_of(header: &str) -> Option<Field> {
    let field = match normalise_header(header).as_str() {
        "開催日" | "開催年月日" | "日付" | "年月日" | "date" => Field::Date,
        "会議体" | "会議体名" | "会議名" | "会議" | "body" => Field::Body,
        "主催者" | "主催" | "organiser" | "organizer" => Field::Organiser,
        "開始時刻" | "開始" | "時刻" | "start" => Field::Start,
        "開催根拠" | "根拠" | "basis" => Field::Basis,
        "sv派遣" | "sv" | "スーパーバイザー派遣" | "スーパーバイザー" | "supervisor" => {
            Field::Supervisor
        }
        "相談のあった機関" | "相談機関" | "相談元" | "referred_by" | "referring_agency" => {
            Field::ReferredBy
        }
        "参加機関" | "出席機関" | "agencies" => Field::Agencies,
        "課題" | "issues" => Field::Issues,
        "事例" | "事例名" | "ケース" | "case" => Field::Case,
        _ => return None,
    };
    Some(field)
}

fn normalise_header(header: &str) -> String {
    fold_width(header.trim_start_matches('\u{feff}'))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Whether a header row has a date column, which makes its table a meeting book.
pub fn is_book_header(cells: &[String]) -> bool {
    cells.iter().any(|c| field_of(c) == Some(Field::Date))
}

/// Reads the meetings of meeting-book tables; errors name the line (or the cell) and the column.
pub fn book_from(tables: &[&Table]) -> Result<Book, String> {
    let mut book = Book::default();
    let mut seen: HashMap<(String, String, String, Option<String>), String> = HashMap::new();
    for table in tables {
        let mut columns: HashMap<Field, usize> = HashMap::new();
        for (i, h) in table.header.cells.iter().enumerate() {
            if let Some(field) = field_of(h) {
                columns.entry(field).or_insert(i);
            }
        }
        if !columns.contains_key(&Field::Body) {
            return Err(format!(
                "{}: {}",
                table.header.origin.at(None),
                said(
                    "book_needs_column",
                    &[
                        ("column", Field::Body.name().to_owned()),
                        ("header", table.header.cells.join(", ")),
                    ]
                )
            ));
        }
        for row in &table.rows {
            let column = |f: Field| columns.get(&f).copied();
            let cell = |f: Field| row.cell(column(f));
            let meeting =
                meeting(&cell).map_err(|(f, e)| format!("{}: {e}", row.origin.at(column(f))))?;
            let place = row.origin.at(column(Field::Body));
            let key = (
                meeting.body.clone(),
                meeting.body_organiser.clone().unwrap_or_default(),
                meeting.date.clone(),
                meeting.start.clone(),
            );
            if let Some(first) = seen.insert(key, place.clone()) {
                return Err(format!(
                    "{place}: {}",
                    said(
                        "book_same_meeting",
                        &[
                            ("first", place_said(&first)),
                            ("column", Field::Start.name().to_owned())
                        ]
                    )
                ));
            }
            book.meetings.push(meeting);
            book.places.push(place);
        }
    }
    Ok(book)
}

/// One row as a held meeting; an error names the field it is about.
fn meeting(cell: &dyn Fn(Field) -> String) -> Result<MeetingRecord, (Field, String)> {
    let required = |f: Field| {
        let v = cell(f);
        if v.is_empty() {
            Err((
                f,
                said("book_field_empty", &[("field", f.name().to_owned())]),
            ))
        } else {
            Ok(v)
        }
    };
    let date_text = required(Field::Date)?;
    let date = parse_date(&date_text).ok_or_else(|| {
        (
            Field::Date,
            said(
                "book_not_a_date",
                &[
                    ("field", Field::Date.name().to_owned()),
                    ("value", date_text.clone()),
                ],
            ),
        )
    })?;
    let start = Some(cell(Field::Start))
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveTime::parse_from_str(&fold_width(&s), "%H:%M")
                .map(|t| t.format("%H:%M").to_string())
                .map_err(|_| {
                    (
                        Field::Start,
                        said(
                            "book_not_a_time",
                            &[
                                ("field", Field::Start.name().to_owned()),
                                ("value", s.clone()),
                            ],
                        ),
                    )
                })
        })
        .transpose()?;
    let supervisor = parse_flag(&cell(Field::Supervisor)).map_err(|v| {
        (
            Field::Supervisor,
            said(
                "book_not_a_flag",
                &[
                    ("field", Field::Supervisor.name().to_owned()),
                    ("value", v.to_string()),
                ],
            ),
        )
    })?;
    let organiser = cell(Field::Organiser);
    let referred_by = cell(Field::ReferredBy);
    Ok(MeetingRecord {
        body: required(Field::Body)?,
        body_organiser: (!organiser.is_empty()).then_some(organiser),
        date: date.format("%Y-%m-%d").to_string(),
        start,
        status: MeetingStatus::Held,
        basis: cell(Field::Basis),
        supervisor,
        referred_by: (!referred_by.is_empty()).then_some(referred_by),
        case: cell(Field::Case),
        attendees: split_list(&cell(Field::Agencies))
            .into_iter()
            .map(|agency| AttendeeRecord {
                agency: Some(agency),
                role: Role::Member,
                attendance: Attendance::Present,
                ..AttendeeRecord::default()
            })
            .collect(),
        issues: split_list(&cell(Field::Issues))
            .into_iter()
            .map(Into::into)
            .collect(),
        ..MeetingRecord::default()
    })
}

/// A date with its year: ISO, slashes or dots, 年月日, 和暦 (令和2年4月15日, R2.4.15), or an Excel
/// date serial (43936 = 2020-04-15: a date cell whose format the reader did not know as a date,
/// or a date column saved as General). Forms without a year (4/15) or relative ones (来週) mean
/// nothing in a book of past meetings.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let folded = fold_width(text.trim());
    if let Some(date) = excel_serial(&folded) {
        return Some(date);
    }
    let has_year = folded.chars().take(4).all(|c| c.is_ascii_digit())
        || ["令和", "平成", "R", "H", "r", "h"]
            .iter()
            .any(|era| folded.starts_with(era));
    if !has_year {
        return None;
    }
    // The anchor day only matters for relative forms, which are ruled out above.
    parse_date_input(&folded, NaiveDate::MIN)
}

/// A whole number of five digits as an Excel date serial (days since 1899-12-30, as Excel counts
/// them after its 29 February 1900): 10000 is 1927-05-18, 99999 is 2173-10-14.
fn excel_serial(text: &str) -> Option<NaiveDate> {
    if text.len() != 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = text.parse().ok()?;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(days))
}

/// Names that contain ・ themselves: kept whole when a list is separated by ・.
const WHOLE_NAMES: &[&str] = &[
    "町会・自治会",
    "民生委員・児童委員",
    "子ども・子育て担当",
    "子ども・子育て支援課",
    "病気・けが",
];

/// Splits a cell of agencies or issues at 、 (or commas); where none appear, at ・ — keeping the
/// known names that contain ・ whole. Each name once.
fn split_list(text: &str) -> Vec<String> {
    let pieces = split_agencies(text);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let joined = pieces
            .get(i + 1)
            .map(|next| format!("{}・{next}", pieces[i]))
            .filter(|j| WHOLE_NAMES.contains(&j.as_str()));
        let name = match joined {
            Some(j) => {
                i += 2;
                j
            }
            None => {
                i += 1;
                pieces[i - 1].clone()
            }
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A row's place inside a sentence, in the message language: `line 12` is `12行目` in
/// Japanese (a cell, `R2!B12`, is the same in both).
fn place_said(place: &str) -> String {
    match place.strip_prefix("line ") {
        Some(n) if crate::i18n::message_lang() == crate::i18n::Lang::Ja => format!("{n}行目"),
        _ => place.to_owned(),
    }
}

fn text_of(e: StoreError) -> String {
    match e {
        StoreError::Invalid(m) => m,
        other => other.to_string(),
    }
}

/// Makes sure every body the book names exists before its meetings are written (in the
/// database, or among the bodies of the same file): creates the missing ones when asked, else
/// refuses the import, listing each with the first place (`line 12`, `R2!B12`) naming it.
/// Returns how many bodies it created.
pub(crate) fn ensure_bodies(
    conn: &Connection,
    now: &str,
    doc: &Document,
    places: &[String],
    create: bool,
) -> Result<usize> {
    let mut missing: Vec<(String, String, &str)> = Vec::new();
    for (i, m) in doc.meetings.iter().enumerate() {
        let place = places.get(i).map(String::as_str).unwrap_or("");
        let organiser = m.body_organiser.clone().unwrap_or_default();
        let in_file = doc.bodies.iter().any(|b| {
            fold_name(&b.name) == fold_name(&m.body)
                && (trim_blanks(&organiser).is_empty()
                    || fold_name(&b.organiser) == fold_name(&organiser))
        });
        if in_file {
            continue;
        }
        let found = find_body(conn, HOME, &m.body, m.body_organiser.as_deref()).map_err(|e| {
            StoreError::Invalid(format!("{place}: {}: {}", Field::Body.name(), text_of(e)))
        })?;
        if found.is_none()
            && !missing.iter().any(|(b, o, _)| {
                fold_name(b) == fold_name(&m.body) && fold_name(o) == fold_name(&organiser)
            })
        {
            missing.push((m.body.clone(), organiser, place));
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    if !create {
        let list: Vec<String> = missing
            .iter()
            .map(|(body, organiser, place)| {
                let args = [
                    ("body", body.clone()),
                    ("organiser", organiser.clone()),
                    ("place", place_said(place)),
                ];
                match organiser.as_str() {
                    "" => said("book_body", &args),
                    _ => said("book_body_of", &args),
                }
            })
            .collect();
        return Err(StoreError::Invalid(said(
            "book_no_such_body",
            &[("bodies", list.join(", "))],
        )));
    }
    let created = missing.len();
    for (name, organiser, _) in missing {
        // A body named as a kind of body renkei has an agenda template for (支援会議,
        // 個別ケース会議 …) is of that kind: its meetings are confidential when the kind's are.
        let kind: Option<String> = conn
            .prepare_cached("SELECT kind FROM agenda_templates WHERE kind = ?1 LIMIT 1")?
            .query_row([fold_name(&name)], |r| r.get(0))
            .optional()?;
        let body = BodyRecord {
            name,
            organiser,
            kind: kind.unwrap_or_default(),
            ..BodyRecord::default()
        };
        insert_body(conn, now, HOME, &body, &new_uid(), new_rev(None))?;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tables::read_text;
    use crate::store::tabular::csv_rows;

    fn parse(text: &str, delimiter: u8) -> Result<Book, String> {
        read_text(text, delimiter).map(|t| t.book)
    }

    fn is_meeting_book(text: &str, delimiter: u8) -> bool {
        is_book_header(&csv_rows(text, delimiter).unwrap()[0].cells)
    }

    const BOOK: &str = "開催日,会議体,開催根拠,SV派遣,相談のあった機関,参加機関,課題\n\
        2020/4/15,つながる場,地域ケア会議,有,地域包括支援センター,地域包括支援センター、町会・自治会、生活保護担当,経済的困窮、病気・けが\n\
        \n\
        令和3年3月31日,つながる場,,無,,高齢福祉担当・子ども・子育て担当,病気・けが\n";

    #[test]
    fn headers_tell_a_book_from_a_body_list() {
        assert!(is_meeting_book(BOOK, b','));
        assert!(is_meeting_book("\u{feff}Date,Body\n", b','));
        assert!(is_meeting_book("ＳＶ派遣\t開催日\n", b'\t'));
        assert!(!is_meeting_book("会議名,主催者,開催頻度\n", b','));
    }

    #[test]
    fn rows_become_held_meetings() {
        let book = parse(BOOK, b',').unwrap();
        assert_eq!(book.places, ["line 2", "line 4"]);
        let m = &book.meetings[0];
        assert_eq!(m.date, "2020-04-15");
        assert_eq!(m.status, MeetingStatus::Held);
        assert!(m.supervisor);
        assert_eq!(m.referred_by.as_deref(), Some("地域包括支援センター"));
        let agencies: Vec<_> = m
            .attendees
            .iter()
            .filter_map(|a| a.agency.clone())
            .collect();
        assert_eq!(
            agencies,
            ["地域包括支援センター", "町会・自治会", "生活保護担当"]
        );
        assert!(
            m.attendees
                .iter()
                .all(|a| a.attendance == Attendance::Present)
        );
        let issues: Vec<&str> = m.issues.iter().map(|i| i.category.as_str()).collect();
        assert_eq!(issues, ["経済的困窮", "病気・けが"]);
        let last = &book.meetings[1];
        assert_eq!(last.date, "2021-03-31");
        assert_eq!(last.referred_by, None);
        let agencies: Vec<_> = last
            .attendees
            .iter()
            .filter_map(|a| a.agency.clone())
            .collect();
        assert_eq!(agencies, ["高齢福祉担当", "子ども・子育て担当"]);
        assert_eq!(last.issues.len(), 1);
        assert_eq!(last.issues[0].category, "病気・けが");
    }

    #[test]
    fn english_headers() {
        let text = "date,body,basis,supervisor,referred_by,agencies,issues\n2021-04-01,Core,consent,no,,A、B,X\n";
        let book = parse(text, b',').unwrap();
        assert_eq!(book.meetings[0].body, "Core");
        assert_eq!(book.meetings[0].attendees.len(), 2);
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad_date = "開催日,会議体\n2020-04-01,A\n4/15,A\n";
        let err = parse(bad_date, b',').unwrap_err();
        assert!(err.starts_with("line 3: 開催日 (date) '4/15'"), "{err}");
        let bad_flag = "開催日,会議体,SV派遣\n2020-04-01,A,たぶん\n";
        assert!(
            parse(bad_flag, b',')
                .unwrap_err()
                .starts_with("line 2: SV派遣")
        );
        let no_body = "開催日,会議体\n2020-04-01,\n";
        assert!(
            parse(no_body, b',')
                .unwrap_err()
                .contains("会議体 (body) is empty")
        );
        let twice = "開催日,会議体\n2020-04-01,A\n2020/4/1,A\n";
        let err = parse(twice, b',').unwrap_err();
        assert!(
            err.starts_with("line 3: the same body, date and start as line 2"),
            "{err}"
        );
        let times = "開催日,会議体,開始時刻\n2020-04-01,A,10:00\n2020-04-01,A,14:00\n";
        assert_eq!(parse(times, b',').unwrap().meetings.len(), 2);
        assert!(
            parse("日付,名前\n2020-04-01,A\n", b',')
                .unwrap_err()
                .contains("needs a 会議体")
        );
    }

    #[test]
    fn dates_need_a_year() {
        for (text, want) in [
            ("2020-04-15", Some("2020-04-15")),
            ("2020/4/15", Some("2020-04-15")),
            ("２０２０／４／１５", Some("2020-04-15")),
            ("令和2年4月15日", Some("2020-04-15")),
            ("R2.4.15", Some("2020-04-15")),
            ("43936", Some("2020-04-15")),
            ("４３９３６", Some("2020-04-15")),
            ("45657", Some("2024-12-31")),
            ("4393", None),
            ("439360", None),
            ("4/15", None),
            ("来週", None),
            ("2020/2/30", None),
        ] {
            let got = parse_date(text).map(|d| d.format("%Y-%m-%d").to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }
}
