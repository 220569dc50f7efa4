//! The demo's cases: seed 002's household in Sumida, followed from a 支援会議 through two コア会議
//! (the second still to come), and a seed 004 individual case meeting in Sendai with the person
//! and the family at the table — each with its household, consent, plan revisions and actions
//! carried from one meeting to the next, so that the cases screens show something real.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use super::{action, attendee, iso, item, role, weekday_on_or_before};
use crate::domain::case::{CaseStatus, Consent};
use crate::domain::model::{ActionStatus, Attendance, MeetingStatus, Role};
use crate::interchange::{
    CaseLink, CaseRecord, ExternalId, MeetingRecord, MemberRecord, PlanLine, PlanRevision,
};

fn member(relation: &str, name: &str) -> MemberRecord {
    MemberRecord {
        relation: relation.to_owned(),
        name: name.to_owned(),
        ..MemberRecord::default()
    }
}

fn line(agency: &str, role: &str, goal: &str) -> PlanLine {
    PlanLine {
        agency: Some(agency.to_owned()),
        role: role.to_owned(),
        goal: goal.to_owned(),
    }
}

/// The uid of one of the demo's records, named by `label`: the same whenever the demo is
/// loaded into one database (`ward`, its ward's uid) — a second `renkei demo` on the same day
/// finds its meetings unchanged instead of adding them again (attack14 finding 3) — and never
/// another database's.
fn demo_uid(ward: Uuid, label: &str) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(ward.as_bytes())
        .chain_update(label.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A demo meeting's uid: its body, day and hour (what an import without uids matches it by).
fn meeting_uid(ward: Uuid, meeting: &MeetingRecord) -> Option<Uuid> {
    let label = format!(
        "meeting\n{}\n{}\n{}",
        meeting.body,
        meeting.date,
        meeting.start.as_deref().unwrap_or("")
    );
    Some(demo_uid(ward, &label))
}

/// A revision of a plan at a meeting, dated at the meeting's end (one a meeting: its uid
/// follows the meeting's).
fn revision(meeting: &MeetingRecord, policy: &str, plan: Vec<PlanLine>) -> PlanRevision {
    PlanRevision {
        uid: meeting.uid.map(|m| demo_uid(m, "revision")),
        meeting: meeting.uid,
        policy: policy.to_owned(),
        plan,
        at: Some(format!(
            "{}T{}:00+09:00",
            meeting.date,
            meeting.end.as_deref().unwrap_or("17:00")
        )),
        ..PlanRevision::default()
    }
}

/// The link of a case to a meeting: the situation told there and the case as it stood after.
fn link(case: &CaseRecord, situation: &str, plan: Option<Uuid>) -> CaseLink {
    CaseLink {
        case: ExternalId::Text(case.pseudonym.clone()),
        situation: situation.to_owned(),
        status: Some(case.status),
        lead_agency: case.lead_agency.clone(),
        key_person: case.key_person.clone(),
        risk: case.risk.clone(),
        urgency: case.urgency.clone(),
        policy: case.policy.clone(),
        consent: Some(case.consent),
        plan,
        ..CaseLink::default()
    }
}

/// The told meetings' cases: the Sumida household gets its first core meeting (held since the
/// support meeting) and its links, the Sendai case meeting is added; returns the cases.
pub(super) fn told(
    today: NaiveDate,
    ward: Uuid,
    meetings: &mut Vec<MeetingRecord>,
) -> Vec<CaseRecord> {
    let mut cases = Vec::new();
    if let Some(case) = sumida(today, ward, meetings) {
        cases.push(case);
    }
    cases.push(sendai(today, ward, meetings));
    cases
}

fn position(meetings: &[MeetingRecord], body: &str, status: MeetingStatus) -> Option<usize> {
    meetings
        .iter()
        .position(|m| m.body == body && m.case == "A世帯" && m.status == status)
}

/// Seed 002: 支援会議 → コア会議 ×2 for the household of the person who can be reached by e-mail
/// only.
fn sumida(today: NaiveDate, ward: Uuid, meetings: &mut Vec<MeetingRecord>) -> Option<CaseRecord> {
    let support = position(meetings, "支援会議", MeetingStatus::Held)?;
    let next = position(meetings, "コア会議", MeetingStatus::Planned)?;
    let core_held = weekday_on_or_before(today - Duration::days(8));
    for i in [support, next] {
        meetings[i].uid = meeting_uid(ward, &meetings[i]);
    }
    let support_date = NaiveDate::parse_from_str(&meetings[support].date, "%Y-%m-%d").ok()?;
    let mut core = MeetingRecord {
        body: "コア会議".to_owned(),
        body_organiser: Some("地域福祉課".to_owned()),
        date: iso(core_held),
        start: Some("10:00".to_owned()),
        end: Some("11:00".to_owned()),
        place: "区役所 第3会議室".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "支援会議".to_owned(),
        case: "A世帯".to_owned(),
        facilitator: "佐藤 健一".to_owned(),
        recorder: "鈴木 美咲".to_owned(),
        next_meeting: meetings[next].date.clone().into(),
        attendees: vec![
            attendee(
                "地域福祉課",
                "佐藤 健一",
                "係長",
                Role::Facilitator,
                Attendance::Present,
            ),
            attendee(
                "地域福祉課",
                "鈴木 美咲",
                "主事",
                Role::Recorder,
                Attendance::Present,
            ),
            attendee(
                "健康推進課",
                "高橋 由美",
                "保健師",
                Role::Member,
                Attendance::Present,
            ),
            attendee(
                "くらし・しごと相談室",
                "伊藤 直子",
                "相談支援員",
                Role::Coordinator,
                Attendance::Present,
            ),
        ],
        agenda: vec![
            item("守秘義務の確認", 2, "", &[]),
            item(
                "前回からの経過報告",
                10,
                "メールでの連絡は続いている。訪問診療を受けてよいと返信があった。保険証は郵送済み。",
                &[],
            ),
            item(
                "課題の抽出",
                15,
                "国保料の滞納が続く。収入申告をすれば減額の可能性。",
                &["収入申告の様式は子を通じて届ける"],
            ),
            item(
                "当面の対応と役割分担",
                12,
                "",
                &["訪問診療の初回は保健師が同行する"],
            ),
        ],
        roles: vec![role("健康推進課", "訪問診療の初回同行")],
        actions: vec![action(
            "健康推進課",
            "訪問診療の初回日程を本人とメールで調整する",
            core_held + Duration::days(10),
            ActionStatus::Open,
        )],
        ..MeetingRecord::default()
    };
    core.uid = meeting_uid(ward, &core);
    // The support meeting's action on the clinics was closed at the core meeting.
    for a in &mut meetings[support].actions {
        if a.text.starts_with("訪問診療が可能な医療機関") {
            a.status = ActionStatus::Done;
            a.closed_at = Some(format!("{}T10:40:00+09:00", core.date));
            a.closed_in = core.uid;
        }
    }
    let mut case = CaseRecord {
        id: Some(ExternalId::Text("demo-A".to_owned())),
        pseudonym: "A世帯".to_owned(),
        opened: Some(iso(support_date - Duration::days(21))),
        status: CaseStatus::Active,
        referred_by: Some("健康推進課".to_owned()),
        lead_agency: Some("地域福祉課".to_owned()),
        key_person: "子（週2回、食事と郵便を届けている）".to_owned(),
        consent: Consent::Unknown,
        risk: "medium".to_owned(),
        urgency: "high".to_owned(),
        policy: meetings[support].support_policy.clone(),
        next_review: Some(iso(core_held + Duration::days(45))),
        members: vec![
            member("本人", "山田 花子（ヤマダ ハナコ）"),
            member("子", "山田 健太"),
            member("元妻", "佐々木 由紀"),
        ],
        ..CaseRecord::default()
    };
    let first_plan = vec![
        line(
            "くらし・しごと相談室",
            "メール窓口、支援全体の調整",
            "連絡が途切れない",
        ),
        line(
            "健康推進課",
            "訪問診療の調整、保健師の見守り",
            "医療につながる",
        ),
        line("生活福祉課", "生活保護の相談", "申請の見通しが立つ"),
    ];
    let first = revision(&meetings[support], &case.policy, first_plan.clone());
    let mut second_plan = first_plan;
    second_plan.push(line(
        "国保年金課",
        "保険証の再交付と収入申告の案内",
        "保険証が手元にある",
    ));
    let policy =
        "メールでの連絡を保ち、訪問診療の初回を実現する。生活保護と国保料の相談を並行して進める。";
    let second = revision(&core, policy, second_plan.clone());
    meetings[support].cases = vec![link(
        &case,
        "単身・無職・持ち家。電話と対面の相談が難しく、連絡手段はメールのみ。子が週2回、玄関まで食事と郵便を届ける。",
        first.uid,
    )];
    case.policy = policy.to_owned();
    core.cases = vec![link(
        &case,
        "訪問診療を受けてよいとメールで返信あり。保険証は郵送済み。面会はまだできない。",
        second.uid,
    )];
    meetings[next].cases = vec![link(&case, "", second.uid)];
    case.plan = second_plan;
    case.revisions = vec![first, second];
    let at = next;
    meetings.insert(at, core);
    Some(case)
}

/// Seed 004: an individual case meeting called by the consultation office, the person and the
/// family present — the situation shared, the direction of support reviewed, each agency's role
/// confirmed, with the person's consent.
fn sendai(today: NaiveDate, ward: Uuid, meetings: &mut Vec<MeetingRecord>) -> CaseRecord {
    let held = weekday_on_or_before(today - Duration::days(12));
    let case = CaseRecord {
        id: Some(ExternalId::Text("demo-E".to_owned())),
        pseudonym: "E氏".to_owned(),
        opened: Some(iso(held - Duration::days(40))),
        status: CaseStatus::Active,
        referred_by: Some("特別支援学校".to_owned()),
        lead_agency: Some("障害者相談支援事業所".to_owned()),
        key_person: "母（松本 由美）".to_owned(),
        consent: Consent::Given,
        consent_date: Some(iso(held - Duration::days(20))),
        consent_by: "demo".to_owned(),
        risk: "low".to_owned(),
        urgency: "medium".to_owned(),
        policy: "卒業後の日中活動の場を本人の希望に沿って決め、家族の負担を減らす。".to_owned(),
        next_review: Some(iso(held + Duration::days(40))),
        members: vec![
            member("本人", "松本 蓮（マツモト レン）"),
            member("母", "松本 由美"),
        ],
        ..CaseRecord::default()
    };
    let mut meeting = MeetingRecord {
        body: "個別ケース会議".to_owned(),
        body_organiser: Some(
            "ネットワークによる対応が必要であると判断した機関（障害者相談支援事業所、区役所、学校、医療機関等）の声がけにより開催"
                .to_owned(),
        ),
        date: iso(held),
        start: Some("15:00".to_owned()),
        end: Some("16:10".to_owned()),
        place: "障害者相談支援事業所 相談室".to_owned(),
        status: MeetingStatus::Held,
        confidential: Some(true),
        basis: "本人同意".to_owned(),
        facilitator: "村上 拓也".to_owned(),
        recorder: "岡田 結衣".to_owned(),
        attendees: vec![
            attendee("障害者相談支援事業所", "村上 拓也", "相談支援専門員", Role::Facilitator, Attendance::Present),
            attendee("障害者相談支援事業所", "岡田 結衣", "相談支援員", Role::Recorder, Attendance::Present),
            attendee("", "松本 蓮", "", Role::Person, Attendance::Present),
            attendee("", "松本 由美", "母", Role::Family, Attendance::Present),
            attendee("区役所障害高齢課", "小川 直樹", "ケースワーカー", Role::Member, Attendance::Present),
            attendee("特別支援学校", "西村 香", "進路指導担当", Role::Member, Attendance::Present),
            attendee("訪問看護ステーション", "山崎 聡", "看護師", Role::Member, Attendance::Absent),
        ],
        agenda: vec![
            item("守秘義務の確認", 2, "本人と家族の同意のもとで情報を共有することを確認した。", &[]),
            item(
                "ケースの状況の共有",
                15,
                "健康状態は安定。通院は月1回。登校は週4日。放課後等デイサービスを週2回利用。",
                &[],
            ),
            item("家庭での様子の確認", 10, "母の介護負担が大きく、夕方の見守りが難しい。", &[]),
            item(
                "支援の方向性",
                20,
                "本人は作業所での仕事を希望。",
                &["卒業後は生活介護と就労継続支援B型の体験利用を並行する"],
            ),
            item("各機関の役割の確認", 15, "", &["次回は3か月後に見直す"]),
        ],
        roles: vec![
            role("障害者相談支援事業所", "サービス等利用計画の見直し"),
            role("特別支援学校", "実習先の調整"),
            role("区役所障害高齢課", "支給決定の手続き"),
        ],
        actions: vec![
            action("特別支援学校", "実習先の候補を2か所あげる", held + Duration::days(14), ActionStatus::Done),
            action("区役所障害高齢課", "生活介護の支給申請の案内", today + Duration::days(9), ActionStatus::Open),
        ],
        issues: vec!["障害".into(), "家族の介護負担".into()],
        ..MeetingRecord::default()
    };
    meeting.uid = meeting_uid(ward, &meeting);
    let plan = vec![
        line(
            "障害者相談支援事業所",
            "サービス等利用計画の見直し",
            "卒業後の日中活動が決まる",
        ),
        line(
            "特別支援学校",
            "進路指導と実習先の調整",
            "実習を2か所で終える",
        ),
        line("区役所障害高齢課", "支給決定", "生活介護の利用が始まる"),
        line("訪問看護ステーション", "健康状態の確認", "通院が続く"),
    ];
    let first = revision(&meeting, &case.policy, plan.clone());
    meeting.cases = vec![link(
        &case,
        "高等部3年。卒業後の進路が未定。母が一人で介護している。",
        first.uid,
    )];
    meetings.push(meeting);
    CaseRecord {
        plan,
        revisions: vec![first],
        ..case
    }
}
