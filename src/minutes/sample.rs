//! A generated large meeting (a liaison meeting of 20 attendees, 10 agenda items and 30 next
//! actions), for the minutes benchmark and the golden files: the size PRODUCT.md sets the speed
//! target for.

use super::{Amendment, Approval, BodyInfo, CarriedAction, During, MinutesInput};
use crate::domain::model::{ActionStatus, Attendance, MeetingStatus, MinutesState, Role};
use crate::interchange::{
    ActionRecord, AgendaRecord, AttendeeRecord, ExternalId, MeetingRecord, RoleRecord,
};

const AGENCIES: &[&str] = &[
    "地域福祉課",
    "健康推進課",
    "生活福祉課",
    "障害者福祉課",
    "介護保険課",
    "子ども家庭支援センター",
    "社会福祉協議会",
    "地域包括支援センター",
    "基幹相談支援センター",
    "保健相談所",
];

const FAMILY: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
];

const GIVEN: &[&str] = &[
    "健一", "美咲", "由美", "誠", "直子", "恵", "大輔", "亮", "彩", "真理", "修", "花子", "智子",
    "洋子", "聡", "千春", "浩二", "陽子", "隆", "舞",
];

/// The name of attendee `i` (0 ≤ i < 20).
pub fn attendee_name(i: usize) -> String {
    format!("{} {}", FAMILY[i % FAMILY.len()], GIVEN[i % GIVEN.len()])
}

fn attendees() -> Vec<AttendeeRecord> {
    (0..20)
        .map(|i| AttendeeRecord {
            agency: Some(AGENCIES[i % AGENCIES.len()].to_owned()),
            name: attendee_name(i),
            title: ["係長", "主任", "保健師", "社会福祉士", "相談員"][i % 5].to_owned(),
            role: match i {
                0 => Role::Facilitator,
                1 => Role::Recorder,
                2 => Role::Secretariat,
                3 => Role::Supervisor,
                19 => Role::Observer,
                _ => Role::Member,
            },
            attendance: match i % 7 {
                4 => Attendance::Absent,
                5 => Attendance::Late,
                6 if i > 10 => Attendance::LeftEarly,
                _ => Attendance::Present,
            },
            ..AttendeeRecord::default()
        })
        .collect()
}

fn agenda() -> Vec<AgendaRecord> {
    (0..10)
        .map(|i| {
            let start = 14 * 60 + i * 9;
            let stamp = |m: usize| format!("2026-11-20T{:02}:{:02}:00+09:00", m / 60, m % 60);
            AgendaRecord {
                title: format!("議題{}：各機関からの報告（{}）", i + 1, AGENCIES[i % 10]),
                planned_min: Some(8),
                notes: vec![
                    format!(
                        "{}から、担当地区の相談件数と傾向について報告があった。\n{}さんより、連携上の課題として情報共有の遅れが挙げられた。\n前回の申し合わせ事項は概ね実施済み。",
                        AGENCIES[i % 10],
                        FAMILY[(i + 3) % 20]
                    )
                    .into(),
                ],
                decisions: if i % 2 == 0 {
                    vec![
                        format!("{}を窓口として情報共有の手順を見直す", AGENCIES[(i + 1) % 10])
                            .into(),
                        "次回までに各機関で事例を1件ずつ持ち寄る".into(),
                    ]
                } else {
                    Vec::new()
                },
                started_at: Some(stamp(start)),
                ended_at: Some(stamp(start + 9 + i % 3)),
                ..AgendaRecord::default()
            }
        })
        .collect()
}

fn actions() -> Vec<ActionRecord> {
    (0..30)
        .map(|i| ActionRecord {
            agency: Some(AGENCIES[i % 10].to_owned()),
            text: format!(
                "{}と調整し、連絡会で出た課題{}への対応案をまとめる",
                attendee_name((i * 7) % 20),
                i + 1
            ),
            due: Some(format!("2026-12-{:02}", 1 + i % 28)),
            status: match i % 6 {
                0 => ActionStatus::Done,
                5 => ActionStatus::Dropped,
                _ => ActionStatus::Open,
            },
            ..ActionRecord::default()
        })
        .collect()
}

fn carried() -> Vec<CarriedAction> {
    (0..5)
        .map(|i| CarriedAction {
            id: 100 + i,
            from_meeting: 7,
            from_date: "2026-10-16".to_owned(),
            agency: Some(AGENCIES[i as usize % 10].to_owned()),
            text: format!("前回持ち越しの確認事項{}を整理する", i + 1),
            due: Some("2026-11-13".to_owned()),
            status: if i % 2 == 0 {
                ActionStatus::Done
            } else {
                ActionStatus::Open
            },
            closed_in: (i % 2 == 0).then_some(8),
            closed_in_date: (i % 2 == 0).then(|| "2026-11-20".to_owned()),
            closed_at: (i % 2 == 0).then(|| "2026-11-20T15:00:00+09:00".to_owned()),
        })
        .collect()
}

/// The large meeting, approved, with one amendment.
pub fn large_meeting() -> MinutesInput {
    let attendees = attendees();
    MinutesInput {
        body: BodyInfo {
            name: "地域福祉関係機関連絡会".to_owned(),
            organiser: "地域福祉課".to_owned(),
            kind: "連絡会".to_owned(),
            personal_info: false,
            ward: None,
        },
        meeting: MeetingRecord {
            id: Some(ExternalId::Number(8)),
            body: "地域福祉関係機関連絡会".to_owned(),
            date: "2026-11-20".to_owned(),
            start: Some("14:00".to_owned()),
            end: Some("15:45".to_owned()),
            place: "区役所 大会議室".to_owned(),
            status: MeetingStatus::Held,
            facilitator: attendees[0].name.clone(),
            recorder: attendees[1].name.clone(),
            handouts: "次第\n各機関報告資料\n連絡先一覧".to_owned(),
            remaining_issues: "情報共有の手順の見直しは次回に持ち越し。".to_owned(),
            minutes: MinutesState::Approved,
            attendees,
            agenda: agenda(),
            roles: (0..10)
                .map(|i| RoleRecord {
                    agency: Some(AGENCIES[i].to_owned()),
                    role: format!("担当地区の状況報告と課題{}の取りまとめ", i + 1),
                    ..RoleRecord::default()
                })
                .collect(),
            actions: actions(),
            ..MeetingRecord::default()
        },
        approval: Some(Approval {
            at: "2026-11-20T17:00:00+09:00".to_owned(),
            by: "renkei-user".to_owned(),
        }),
        carried: carried(),
        amendments: vec![Amendment {
            at: "2026-11-21T09:30:00+09:00".to_owned(),
            by: "renkei-user".to_owned(),
            entity: "meeting".to_owned(),
            entity_id: 8,
            field: "place".to_owned(),
            subject: String::new(),
            old_value: Some("区役所 第1会議室".to_owned()),
            new_value: Some("区役所 大会議室".to_owned()),
        }],
        next_meeting: Some("2026-12-18".to_owned()),
        contributors: vec!["sato".to_owned(), "tanaka".to_owned()],
        people: Vec::new(),
        during: During::default(),
        cases: Vec::new(),
    }
}
