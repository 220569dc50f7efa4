//! Demo data: every fixture, a few meetings told in full (a support meeting about one household,
//! its core meeting, a community care case …) and a year of plain held meetings, all dated
//! relative to today so that every screen and command has something real to show. `--scale N`
//! adds a ward's worth of bodies and ten years of history around it ([`load_scaled`]).

mod cases;
mod scale;

pub use scale::{OSAKA_WARDS, ScaleSummary, WardWritten, load_city, load_city_saying, load_scaled};

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::domain::calendar::fiscal_year_of;
use crate::domain::calendar::fiscal_year_start;
use crate::domain::frequency;
use crate::domain::model::{ActionStatus, Attendance, MeetingStatus, Role};
use crate::domain::schedule::expected_windows;
use crate::interchange::{
    ActionRecord, AgendaRecord, AttendeeRecord, BodyRecord, Document, FORMAT, MeetingRecord,
    RoleRecord,
};
use crate::store::import::{ImportSummary, Parsed};
use crate::store::{Result, Store, StoreError};

/// The directory of `renkei --demo`'s temporary database (`renkei-demo-XXXX` in the system's
/// temporary directory): owner-only, `0700`, whatever the umask — the demo's records look real
/// and its files are opened `0600` by the store (attack report 9, finding 13: it followed the
/// umask, `0755` under `022`, `0777` under `000`). Removed when the value is dropped.
pub fn temporary_dir() -> std::io::Result<tempfile::TempDir> {
    use std::os::unix::fs::PermissionsExt;
    let owner_only = || std::fs::Permissions::from_mode(0o700);
    // Made no wider than 0700 (the umask can only narrow it), then exactly 0700.
    let dir = tempfile::Builder::new()
        .prefix("renkei-demo-")
        .permissions(owner_only())
        .tempdir()?;
    std::fs::set_permissions(dir.path(), owner_only())?;
    Ok(dir)
}

/// The fixtures, compiled in so that `renkei demo` works from any directory.
pub const FIXTURES: &[(&str, &str)] = &[
    (
        "fixtures/koto.toml",
        include_str!("../../fixtures/koto.toml"),
    ),
    (
        "fixtures/sendai.toml",
        include_str!("../../fixtures/sendai.toml"),
    ),
    (
        "fixtures/sumida.toml",
        include_str!("../../fixtures/sumida.toml"),
    ),
    (
        "fixtures/edogawa.toml",
        include_str!("../../fixtures/edogawa.toml"),
    ),
    (
        "fixtures/osaka.toml",
        include_str!("../../fixtures/osaka.toml"),
    ),
    (
        "fixtures/templates.toml",
        include_str!("../../fixtures/templates.toml"),
    ),
];

/// Parses the compiled-in fixtures.
pub fn fixtures() -> Result<Vec<Parsed>> {
    FIXTURES
        .iter()
        .map(|(name, text)| {
            crate::store::import::parse_fixture(text)
                .map(|doc| Parsed {
                    source: (*name).to_owned(),
                    doc,
                })
                .map_err(|e| StoreError::Invalid(format!("{name}: {e}")))
        })
        .collect()
}

/// Loads the fixtures and the sample meetings in one transaction.
pub fn load(store: &mut Store) -> Result<ImportSummary> {
    let today = store.clock().today();
    let mut parsed = fixtures()?;
    let bodies: Vec<BodyRecord> = parsed
        .iter()
        .flat_map(|p| p.doc.bodies.iter().cloned())
        .collect();
    let mut meetings = told_meetings(today);
    // The demo's records are named within this database's ward: loaded again, they are found.
    let ward = store.home_ward()?.uid.unwrap_or_default();
    let cases = cases::told(today, ward, &mut meetings);
    meetings.extend(routine_meetings(&bodies, &meetings, today));
    parsed.push(Parsed {
        source: "demo meetings".to_owned(),
        doc: Document {
            format: FORMAT.to_owned(),
            cases,
            meetings,
            ..Document::default()
        },
    });
    store.import_parsed(&parsed)
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The nearest weekday on or after `date`.
fn weekday_on_or_after(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

/// The nearest weekday on or before `date`.
fn weekday_on_or_before(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date - Duration::days(1),
        Weekday::Sun => date - Duration::days(2),
        _ => date,
    }
}

fn attendee(
    agency: &str,
    name: &str,
    title: &str,
    role: Role,
    attendance: Attendance,
) -> AttendeeRecord {
    AttendeeRecord {
        agency: (!agency.is_empty()).then(|| agency.to_owned()),
        name: name.to_owned(),
        title: title.to_owned(),
        role,
        attendance,
        ..AttendeeRecord::default()
    }
}

fn item(title: &str, planned: u32, notes: &str, decisions: &[&str]) -> AgendaRecord {
    AgendaRecord {
        title: title.to_owned(),
        planned_min: Some(planned),
        notes: if notes.is_empty() {
            Vec::new()
        } else {
            vec![notes.into()]
        },
        decisions: decisions.iter().map(|d| (*d).into()).collect(),
        ..AgendaRecord::default()
    }
}

fn role(agency: &str, text: &str) -> RoleRecord {
    RoleRecord {
        agency: Some(agency.to_owned()),
        role: text.to_owned(),
        ..RoleRecord::default()
    }
}

fn action(agency: &str, text: &str, due: NaiveDate, status: ActionStatus) -> ActionRecord {
    ActionRecord {
        agency: Some(agency.to_owned()),
        text: text.to_owned(),
        due: Some(iso(due)),
        status,
        ..ActionRecord::default()
    }
}

/// Meetings told in full: what a facilitator would have captured.
fn told_meetings(today: NaiveDate) -> Vec<MeetingRecord> {
    let days = Duration::days;
    let support_held = weekday_on_or_before(today - days(18));
    let core_next = weekday_on_or_after(today + days(6));
    let policy_held = weekday_on_or_before(today - days(24));
    let policy_next = weekday_on_or_after(today + days(9));
    let tsunagaru_held = weekday_on_or_before(today - days(10));
    let case_next = weekday_on_or_after(today + days(1));
    let mental_next = weekday_on_or_after(today + days(14));

    let support = MeetingRecord {
        body: "支援会議".to_owned(),
        body_organiser: Some("地域福祉課".to_owned()),
        date: iso(support_held),
        start: Some("14:00".to_owned()),
        end: Some("15:30".to_owned()),
        place: "区役所 第3会議室".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "支援会議".to_owned(),
        supervisor: false,
        referred_by: Some("健康推進課".to_owned()),
        case: "A世帯".to_owned(),
        case_subject: "山田 花子".to_owned(),
        facilitator: "佐藤 健一".to_owned(),
        recorder: "鈴木 美咲".to_owned(),
        lead_agency: Some("地域福祉課".to_owned()),
        key_person: "子（週2回、食事と郵便を届けている）".to_owned(),
        risk: "中".to_owned(),
        urgency: "高".to_owned(),
        support_policy: "本人が唯一使えるメールでの連絡を保ち、医療（訪問診療・保険証）と生活保護の相談を並行して進める。面会できる機会をつくることを当面の目標とする。".to_owned(),
        handouts: "事例概要シート、関係機関連絡先一覧".to_owned(),
        remaining_issues: "本人確認と居住実態の確認ができず、生活保護の開始が難しい。国保料の滞納。".to_owned(),
        next_meeting: Some(iso(core_next)),
        attendees: vec![
            attendee("地域福祉課", "佐藤 健一", "係長", Role::Facilitator, Attendance::Present),
            attendee("地域福祉課", "鈴木 美咲", "主事", Role::Recorder, Attendance::Present),
            attendee("健康推進課", "高橋 由美", "保健師", Role::Member, Attendance::Present),
            attendee("生活福祉課", "田中 誠", "ケースワーカー", Role::Member, Attendance::Late),
            attendee("くらし・しごと相談室", "伊藤 直子", "相談支援員", Role::Coordinator, Attendance::Present),
            attendee("国保年金課", "渡辺 恵", "係長", Role::Member, Attendance::Absent),
        ],
        agenda: vec![
            item("守秘義務の確認", 2, "社会福祉法第106条の6に基づく守秘義務を全員で確認した。", &[]),
            item(
                "事例の概要",
                10,
                "単身・無職・持ち家。電話と対面での相談が難しく、連絡手段はメールのみ。子が週2回程度、玄関まで食事と郵便を届けている。",
                &[],
            ),
            item(
                "課題の整理",
                15,
                "健康保険証の再交付手続きが中断。国保料の滞納あり。精神科入院歴があり、入院は強く拒否。",
                &["課題は医療・経済・生活の3つに分けて整理する"],
            ),
            item(
                "支援方針",
                20,
                "本人の希望（医療面の支援、生活保護の相談、買い物・清掃の一時的支援）に沿って進める。",
                &["メール窓口はくらし・しごと相談室に一本化する", "訪問診療につなぐことを優先する"],
            ),
            item("役割分担", 15, "", &[]),
            item("次回の予定", 4, "", &["2週間後にコア会議で経過を確認する"]),
        ],
        roles: vec![
            role("くらし・しごと相談室", "本人とのメール連絡の窓口、支援全体の調整"),
            role("健康推進課", "訪問診療の調整、保健師による見守り"),
            role("生活福祉課", "生活保護申請の相談、居住実態の確認方法の検討"),
            role("国保年金課", "保険料減額のための収入申告の案内"),
        ],
        actions: vec![
            action("くらし・しごと相談室", "本人へ支援会議の結果をメールで伝え、希望を再確認する", support_held + days(3), ActionStatus::Done),
            action("健康推進課", "訪問診療が可能な医療機関を2か所あたる", support_held + days(14), ActionStatus::Open),
            action("生活福祉課", "本人確認の方法（書面・代理）を所内で検討する", today + days(5), ActionStatus::Open),
            action("国保年金課", "収入申告の様式を子経由で届ける", today + days(12), ActionStatus::Open),
        ],
        issues: vec![
            "精神障がい（疑い含む）".into(),
            "経済的困窮".into(),
            "ひきこもり".into(),
            "孤立".into(),
        ],
        ..MeetingRecord::default()
    };

    let core = MeetingRecord {
        body: "コア会議".to_owned(),
        body_organiser: Some("地域福祉課".to_owned()),
        date: iso(core_next),
        start: Some("10:00".to_owned()),
        end: Some("11:00".to_owned()),
        place: "区役所 第3会議室".to_owned(),
        confidential: Some(true),
        basis: "支援会議".to_owned(),
        case: "A世帯".to_owned(),
        case_subject: "山田 花子".to_owned(),
        ..MeetingRecord::default()
    };

    let policy_held_meeting = MeetingRecord {
        body: "支援方針検討会議".to_owned(),
        date: iso(policy_held),
        start: Some("15:00".to_owned()),
        end: Some("16:30".to_owned()),
        place: "江東区役所 7階 会議室".to_owned(),
        status: MeetingStatus::Held,
        facilitator: "中村 亮".to_owned(),
        recorder: "小林 彩".to_owned(),
        attendees: vec![
            attendee(
                "地域ケア推進課",
                "中村 亮",
                "係長",
                Role::Facilitator,
                Attendance::Present,
            ),
            attendee(
                "地域ケア推進課",
                "小林 彩",
                "主任",
                Role::Recorder,
                Attendance::Present,
            ),
            attendee(
                "権利擁護センター",
                "加藤 真理",
                "社会福祉士",
                Role::Member,
                Attendance::Present,
            ),
            attendee(
                "外部委員",
                "吉田 修",
                "弁護士",
                Role::Supervisor,
                Attendance::Present,
            ),
            attendee(
                "外部委員",
                "山口 洋子",
                "司法書士",
                Role::Member,
                Attendance::LeftEarly,
            ),
        ],
        agenda: vec![
            item(
                "前回の助言のその後",
                15,
                "2件とも後見人候補者の調整が進んだ。",
                &[],
            ),
            item(
                "新規相談（2件）",
                45,
                "親族間の対立がある事案について、申立ての進め方を検討。",
                &["市区町村長申立てを視野に入れて準備する"],
            ),
            item("その他", 10, "", &[]),
        ],
        roles: vec![
            role("権利擁護センター", "親族への制度説明と意向確認"),
            role("地域ケア推進課", "市区町村長申立ての準備"),
        ],
        actions: vec![
            action(
                "権利擁護センター",
                "親族2名に制度説明の面談を設定する",
                policy_held + days(20),
                ActionStatus::Open,
            ),
            action(
                "地域ケア推進課",
                "申立て書類の下書きを作成する",
                today + days(3),
                ActionStatus::Open,
            ),
        ],
        ..MeetingRecord::default()
    };

    let policy_next_meeting = MeetingRecord {
        body: "支援方針検討会議".to_owned(),
        date: iso(policy_next),
        start: Some("15:00".to_owned()),
        end: Some("16:30".to_owned()),
        place: "江東区役所 7階 会議室".to_owned(),
        ..MeetingRecord::default()
    };

    let tsunagaru = MeetingRecord {
        body: "総合的な支援調整の場（つながる場）".to_owned(),
        date: iso(tsunagaru_held),
        start: Some("13:30".to_owned()),
        end: Some("15:00".to_owned()),
        place: "区保健福祉センター 会議室".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "地域ケア会議".to_owned(),
        supervisor: true,
        referred_by: Some("地域包括支援センター".to_owned()),
        case: "B世帯".to_owned(),
        case_subject: "木村 一郎".to_owned(),
        facilitator: "森 大輔".to_owned(),
        recorder: "池田 千春".to_owned(),
        lead_agency: Some("地域包括支援センター".to_owned()),
        key_person: "長女（市外在住）".to_owned(),
        risk: "高".to_owned(),
        urgency: "中".to_owned(),
        support_policy: "ゴミの片付けを本人の了解の範囲で段階的に進め、認知症の受診につなぐ。"
            .to_owned(),
        attendees: vec![
            attendee(
                "区保健福祉センター",
                "森 大輔",
                "調整役",
                Role::Facilitator,
                Attendance::Present,
            ),
            attendee(
                "区保健福祉センター",
                "池田 千春",
                "主事",
                Role::Recorder,
                Attendance::Present,
            ),
            attendee(
                "地域包括支援センター",
                "橋本 智子",
                "社会福祉士",
                Role::Member,
                Attendance::Present,
            ),
            attendee(
                "生活困窮担当",
                "石川 健",
                "相談員",
                Role::Member,
                Attendance::Present,
            ),
            attendee(
                "見守り相談室",
                "前田 聡",
                "相談員",
                Role::Member,
                Attendance::Present,
            ),
            attendee(
                "スーパーバイザー",
                "藤田 教授",
                "SV",
                Role::Supervisor,
                Attendance::Present,
            ),
        ],
        agenda: vec![
            item(
                "事例の概要",
                10,
                "80代男性、独居。自宅にゴミが堆積し、近隣から苦情。",
                &[],
            ),
            item(
                "課題の整理",
                20,
                "認知症の疑い、経済的困窮、ゴミ屋敷、近隣との関係。",
                &[],
            ),
            item(
                "支援方針と役割分担",
                30,
                "",
                &["受診同行を地域包括支援センターが行う"],
            ),
        ],
        roles: vec![
            role("地域包括支援センター", "受診同行と介護保険の申請支援"),
            role("生活困窮担当", "家計の確認と滞納の整理"),
            role("見守り相談室", "週1回の訪問による見守り"),
        ],
        actions: vec![
            action(
                "地域包括支援センター",
                "もの忘れ外来の予約を取る",
                tsunagaru_held + days(7),
                ActionStatus::Done,
            ),
            action(
                "生活困窮担当",
                "長女と連絡を取り家計の状況を確認する",
                today + days(7),
                ActionStatus::Open,
            ),
        ],
        issues: vec![
            "認知症".into(),
            "経済的困窮".into(),
            "ゴミ屋敷".into(),
            "孤立".into(),
        ],
        ..MeetingRecord::default()
    };

    let case_meeting = MeetingRecord {
        body: "個別ケース会議".to_owned(),
        body_organiser: Some("地域ケア推進課 (ケースによる)".to_owned()),
        date: iso(case_next),
        start: Some("10:00".to_owned()),
        end: Some("11:00".to_owned()),
        place: "長寿サポートセンター 相談室".to_owned(),
        confidential: Some(true),
        basis: "地域ケア会議".to_owned(),
        case: "C氏".to_owned(),
        ..MeetingRecord::default()
    };

    let mental = MeetingRecord {
        body: "地域自立支援協議会専門部会（精神部会）".to_owned(),
        date: iso(mental_next),
        start: Some("18:30".to_owned()),
        end: Some("20:00".to_owned()),
        place: "江東区役所 5階 大会議室".to_owned(),
        ..MeetingRecord::default()
    };

    vec![
        support,
        core,
        policy_held_meeting,
        policy_next_meeting,
        tsunagaru,
        case_meeting,
        mental,
    ]
}

/// Plain held meetings since the start of last fiscal year for every body with a frequency, each
/// placed in the window the schedule expects after the one before (every ninth body misses its
/// latest window, so that the overdue list has something to show), and for every third body a
/// planned meeting in its next window. Bodies told in full get only the history before them.
fn routine_meetings(
    bodies: &[BodyRecord],
    told: &[MeetingRecord],
    today: NaiveDate,
) -> Vec<MeetingRecord> {
    let since = fiscal_year_start(fiscal_year_of(today) - 1);
    let horizon = today + Duration::days(60);
    let mut out = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        let freq = frequency::parse(&body.frequency);
        // Bodies told in full keep their history up to the first told meeting.
        let told_first = told
            .iter()
            .filter(|m| m.body == body.name)
            .filter_map(|m| NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").ok())
            .min();
        let left_overdue = index % 9 == 4;
        let mut last: Option<NaiveDate> = None;
        let mut cursor = since;
        for k in 0..120 {
            let Some(window) = expected_windows(&freq, last, cursor, horizon)
                .into_iter()
                .find(|w| w.to >= cursor && last.is_none_or(|l| w.from > l))
            else {
                break;
            };
            let span = (window.to - window.from).num_days().max(0);
            let offset = ((index * 7 + k * 3) as i64 % (span + 1)).min(20);
            let mut date = weekday_on_or_after(window.from + Duration::days(offset));
            if date > window.to {
                date = weekday_on_or_before(window.to);
            }
            if told_first.is_some_and(|first| date >= first - Duration::days(14)) {
                break;
            }
            let status = if date < today {
                if left_overdue && window.to < today && (today - window.to).num_days() < 120 {
                    break;
                }
                MeetingStatus::Held
            } else if index % 3 == 0 && date <= horizon {
                MeetingStatus::Planned
            } else {
                break;
            };
            out.push(MeetingRecord {
                body: body.name.clone(),
                body_organiser: Some(body.organiser.clone()),
                date: iso(date),
                start: Some(if index % 2 == 0 { "14:00" } else { "10:00" }.to_owned()),
                end: Some(if index % 2 == 0 { "15:30" } else { "11:30" }.to_owned()),
                place: "区役所 会議室".to_owned(),
                status,
                confidential: Some(body.personal_info),
                ..MeetingRecord::default()
            });
            if status == MeetingStatus::Planned {
                break;
            }
            last = Some(date);
            cursor = window.to + Duration::days(1);
        }
    }
    out
}
