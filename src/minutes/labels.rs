//! Every word the minutes add around what users typed, in Japanese and English.

use crate::domain::model::{ActionStatus, Attendance, MeetingPhase, MeetingStatus, Role};
use crate::i18n::Lang;

/// The duty of confidentiality a meeting's notice states, by its legal basis however it is
/// written (要対協 or 要保護児童対策地域協議会, 地域ケア会議※１), else by its body's kind: the
/// minutes' notice and the live screen's banner both say it from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Support,
    Child,
    Care,
    Consent,
    General,
}

impl Duty {
    pub fn of(basis: &str, kind: &str) -> Duty {
        use crate::domain::basis::{Basis, classify_basis};
        let basis = classify_basis(basis);
        let kind = kind.trim();
        if basis == Basis::Support || kind == "支援会議" {
            Duty::Support
        } else if basis == Basis::ChildProtection || kind == "要保護児童対策地域協議会"
        {
            Duty::Child
        } else if matches!(basis, Basis::CommunityCare | Basis::CoHosted) || kind == "地域ケア会議"
        {
            Duty::Care
        } else if basis == Basis::Consent {
            Duty::Consent
        } else {
            Duty::General
        }
    }

    /// The article that binds the members to secrecy; none for consent or any other closed
    /// meeting.
    pub fn law(self, lang: Lang) -> Option<&'static str> {
        let (ja, en) = match self {
            Duty::Support => (
                "社会福祉法第106条の6",
                "Article 106-6 of the Social Welfare Act (社会福祉法第106条の6)",
            ),
            Duty::Child => (
                "児童福祉法第25条の5",
                "Article 25-5 of the Child Welfare Act (児童福祉法第25条の5)",
            ),
            Duty::Care => (
                "介護保険法第115条の48",
                "Article 115-48 of the Long-Term Care Insurance Act (介護保険法第115条の48)",
            ),
            Duty::Consent | Duty::General => return None,
        };
        Some(lang.pick(ja, en))
    }
}

pub(super) struct Labels {
    pub minutes: &'static str,
    pub status: &'static str,
    pub draft: &'static str,
    pub approved: &'static str,
    pub meeting_status: &'static str,
    pub date: &'static str,
    pub place: &'static str,
    pub organiser: &'static str,
    pub ward: &'static str,
    pub facilitator: &'static str,
    pub recorder: &'static str,
    pub entered_by: &'static str,
    pub access: &'static str,
    pub open: &'static str,
    pub closed: &'static str,
    pub basis: &'static str,
    pub referred_by: &'static str,
    pub supervisor: &'static str,
    pub yes: &'static str,
    pub notice_title: &'static str,
    pub notice_support: &'static str,
    pub notice_child: &'static str,
    pub notice_care: &'static str,
    pub notice_consent: &'static str,
    pub notice_general: &'static str,
    pub notice_handling: &'static str,
    pub redacted: &'static str,
    pub attendees: &'static str,
    pub agency: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub role: &'static str,
    pub attendance: &'static str,
    pub present_count: &'static str,
    pub absent_count: &'static str,
    pub absent: &'static str,
    pub people: &'static str,
    pub handouts: &'static str,
    pub agenda: &'static str,
    pub planned: &'static str,
    pub actual: &'static str,
    pub minute_unit: &'static str,
    pub decisions: &'static str,
    pub nothing_recorded: &'static str,
    pub case: &'static str,
    pub case_ref: &'static str,
    pub lead_agency: &'static str,
    pub key_person: &'static str,
    pub risk: &'static str,
    pub urgency: &'static str,
    pub issues: &'static str,
    pub support_policy: &'static str,
    pub roles: &'static str,
    pub responsibility: &'static str,
    pub actions: &'static str,
    pub due: &'static str,
    pub no_agency: &'static str,
    pub carried: &'static str,
    pub carried_from: &'static str,
    pub now: &'static str,
    pub at_this_meeting: &'static str,
    pub remaining_issues: &'static str,
    pub next_meeting: &'static str,
    pub not_set: &'static str,
    pub amendments: &'static str,
    pub when: &'static str,
    pub by: &'static str,
    pub what: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub none: &'static str,
    pub list_sep: &'static str,
    pub open_paren: &'static str,
    pub close_paren: &'static str,
    pub colon: &'static str,
    pub case_status: &'static str,
    pub shared_on: &'static str,
    pub shared_warned: &'static str,
    pub consent: &'static str,
    pub situation: &'static str,
    pub plan_after: &'static str,
    pub plan_revised: &'static str,
    pub goal: &'static str,
    pub closure_reason: &'static str,
    pub evaluation: &'static str,
    pub transferred_to: &'static str,
    pub unassigned_issues: &'static str,
    pub case_reviews: &'static str,
    pub review_status: &'static str,
    pub review_policy: &'static str,
    pub next_review: &'static str,
}

const JA: Labels = Labels {
    minutes: "議事録",
    status: "議事録の状態",
    draft: "案（未承認）",
    approved: "承認済み",
    meeting_status: "開催状況",
    date: "日時",
    place: "場所",
    organiser: "主催",
    ward: "区",
    facilitator: "司会",
    recorder: "記録",
    entered_by: "入力者",
    access: "公開区分",
    open: "公開",
    closed: "非公開",
    basis: "開催根拠",
    referred_by: "相談のあった機関",
    supervisor: "SV派遣",
    yes: "有",
    notice_title: "取扱注意（守秘義務）",
    notice_support: "本会議は{law}に基づく支援会議です。構成員は、会議の事務に関して知り得た秘密を漏らしてはならない守秘義務を負います。",
    notice_child: "本会議は{law}に基づく要保護児童対策地域協議会の会議です。構成員は、協議会の職務に関して知り得た秘密を漏らしてはならない守秘義務を負います。",
    notice_care: "本会議は{law}に基づく地域ケア会議です。会議の事務に従事する者は、知り得た秘密を漏らしてはならない守秘義務を負います。",
    notice_consent: "本会議では本人の同意に基づき個人情報を共有しています。同意の範囲を超えて利用しないでください。",
    notice_general: "本会議は個人情報を共有する非公開の会議です。出席者は会議で知り得た秘密を守ってください。",
    notice_handling: "この議事録は関係者限りとし、複製・転送・目的外の利用をしないでください。",
    redacted: "匿名化版：人の氏名を A氏・B氏 … に置き換えています（同じ人は同じ記号）。機関名はそのままです。",
    attendees: "出席者",
    agency: "機関",
    name: "氏名",
    title: "職名",
    role: "役割",
    attendance: "出欠",
    present_count: "出席",
    absent_count: "欠席",
    absent: "欠席者",
    people: "名",
    handouts: "配布資料",
    agenda: "議事",
    planned: "予定",
    actual: "実績",
    minute_unit: "分",
    decisions: "決定事項",
    nothing_recorded: "記録なし",
    case: "事例",
    case_ref: "事例",
    lead_agency: "主担当機関",
    key_person: "キーパーソン",
    risk: "危険度",
    urgency: "緊急度",
    issues: "課題",
    support_policy: "支援方針",
    roles: "役割分担",
    responsibility: "役割",
    actions: "次回までの対応",
    due: "期限",
    no_agency: "機関未定",
    carried: "前回からの継続事項",
    carried_from: "の会議から",
    now: "現在",
    at_this_meeting: "本会議で",
    remaining_issues: "残された課題",
    next_meeting: "次回開催予定",
    not_set: "未定",
    amendments: "修正履歴",
    when: "日時",
    by: "修正者",
    what: "項目",
    before: "修正前",
    after: "修正後",
    none: "なし",
    list_sep: "、",
    open_paren: "（",
    close_paren: "）",
    colon: "：",
    case_status: "状態",
    shared_on: "共有の根拠",
    shared_warned: "本人同意が必要な会議で、同意の記録がないまま共有しました（警告を記録）",
    consent: "本人同意",
    situation: "状況",
    plan_after: "支援プラン（この会議の後）",
    plan_revised: "この会議で改訂",
    goal: "目標",
    closure_reason: "理由",
    evaluation: "プランの評価",
    unassigned_issues: "課題（事例の指定なし）",
    transferred_to: "移管先",
    case_reviews: "進行管理（事例の確認）",
    review_status: "状況",
    review_policy: "方針",
    next_review: "次回確認",
};

const EN: Labels = Labels {
    minutes: "Minutes",
    status: "Minutes",
    draft: "Draft (not approved)",
    approved: "Approved",
    meeting_status: "Meeting",
    date: "Date and time",
    place: "Place",
    organiser: "Organiser",
    ward: "Ward",
    facilitator: "Facilitator",
    recorder: "Recorder",
    entered_by: "Entered by",
    access: "Access",
    open: "Open",
    closed: "Closed",
    basis: "Legal basis",
    referred_by: "Referred by",
    supervisor: "Supervisor dispatched",
    yes: "Yes",
    notice_title: "Confidential",
    notice_support: "This is a support meeting under {law}. Its members must not disclose secrets learned through it.",
    notice_child: "This is a meeting of the child protection council under {law}. Its members must not disclose secrets learned through it.",
    notice_care: "This is a community care meeting under {law}. Those who take part must not disclose secrets learned through it.",
    notice_consent: "Personal information is shared at this meeting with the person's consent; do not use it beyond that consent.",
    notice_general: "This closed meeting shares personal information. Attendees must keep what they learned confidential.",
    notice_handling: "These minutes are for the participants only: do not copy, forward or use them for any other purpose.",
    redacted: "Redacted copy: the names of people are replaced by Person A, Person B … (the same person keeps the same letter). Agencies are named.",
    attendees: "Attendees",
    agency: "Agency",
    name: "Name",
    title: "Title",
    role: "Role",
    attendance: "Attendance",
    present_count: "present",
    absent_count: "absent",
    absent: "Absent",
    people: "",
    handouts: "Handouts",
    agenda: "Agenda",
    planned: "planned",
    actual: "actual",
    minute_unit: " min",
    decisions: "Decisions",
    nothing_recorded: "Nothing recorded",
    case: "Case",
    case_ref: "Case",
    lead_agency: "Lead agency",
    key_person: "Key person",
    risk: "Risk",
    urgency: "Urgency",
    issues: "Issues",
    support_policy: "Support policy",
    roles: "Role assignments",
    responsibility: "Responsibility",
    actions: "Next actions",
    due: "due",
    no_agency: "no agency",
    carried: "Carried over from earlier meetings",
    carried_from: "from the meeting of",
    now: "now",
    at_this_meeting: "at this meeting",
    remaining_issues: "Remaining issues",
    next_meeting: "Next meeting",
    not_set: "Not set",
    amendments: "Amendments",
    when: "When",
    by: "By",
    what: "What",
    before: "Before",
    after: "After",
    none: "None",
    list_sep: ", ",
    open_paren: " (",
    close_paren: ")",
    colon: ": ",
    case_status: "Status",
    shared_on: "Shared on",
    shared_warned: "shared at a meeting that needs the person's consent without consent recorded (the warning is kept)",
    consent: "Consent",
    situation: "Situation",
    plan_after: "Support plan (after this meeting)",
    plan_revised: "revised at this meeting",
    goal: "Goal",
    closure_reason: "Reason",
    evaluation: "Evaluation of the plan",
    unassigned_issues: "Issues (no case named)",
    transferred_to: "Transferred to",
    case_reviews: "Case reviews",
    review_status: "Status",
    review_policy: "Policy",
    next_review: "Next review",
};

pub(super) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

pub(super) fn role(role: Role, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => role.label_ja(),
        Lang::En => match role {
            Role::Facilitator => "Facilitator",
            Role::Recorder => "Recorder",
            Role::Secretariat => "Secretariat",
            Role::Coordinator => "Coordinator",
            Role::Supervisor => "Supervisor",
            Role::Member => "Member",
            Role::Person => "Person",
            Role::Family => "Family",
            Role::Observer => "Observer",
        },
    }
}

pub(super) fn attendance(attendance: Attendance, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => attendance.label_ja(),
        Lang::En => match attendance {
            Attendance::Present => "Present",
            Attendance::Absent => "Absent",
            Attendance::Late => "Late",
            Attendance::LeftEarly => "Left early",
        },
    }
}

pub(super) fn action_status(status: ActionStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => status.label_ja(),
        Lang::En => match status {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        },
    }
}

pub(super) fn meeting_status(status: MeetingStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => status.label_ja(),
        Lang::En => match status {
            MeetingStatus::Planned => "Planned",
            MeetingStatus::Held => "Held",
            MeetingStatus::Cancelled => "Cancelled",
        },
    }
}

/// A meeting begun and not ended.
pub(super) fn in_progress(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => MeetingPhase::InProgress.label_ja(),
        Lang::En => "In progress",
    }
}

/// What an amended field is called on paper. Fields are named by their column, as every change
/// is recorded.
pub(super) fn field(entity: &str, field: &str, lang: Lang) -> String {
    let known = match (entity, field) {
        (_, "deleted") => Some(("削除・復元", "Removed or restored")),
        (_, "added") => Some(("承認後の追加", "Added after approval")),
        ("meeting", "place") => Some(("場所", "Place")),
        ("meeting", "date") => Some(("開催日", "Date")),
        ("meeting", "start_time" | "start") => Some(("開始時刻", "Start time")),
        ("meeting", "end_time" | "end") => Some(("終了時刻", "End time")),
        ("meeting", "started_at") => Some(("開始", "Started")),
        ("meeting", "ended_at") => Some(("終了", "Ended")),
        ("meeting", "status") => Some(("開催状況", "Meeting status")),
        ("meeting", "facilitator") => Some(("司会", "Facilitator")),
        ("meeting", "recorder") => Some(("記録", "Recorder")),
        ("meeting", "basis") => Some(("開催根拠", "Legal basis")),
        ("meeting", "supervisor") => Some(("SV派遣", "Supervisor dispatched")),
        ("meeting", "referred_by") => Some(("相談のあった機関", "Referred by")),
        ("meeting", "case_ref" | "case") => Some(("事例", "Case")),
        ("meeting", "case_name") => Some(("事例名", "Case name")),
        ("meeting", "body_name") => Some(("会議体名", "Body's name")),
        ("meeting", "organiser") => Some(("主催", "Organiser")),
        ("meeting", "body_kind") => Some(("会議体の種別", "Body's kind")),
        ("meeting", "personal_info") => Some(("個人情報の共有", "Shares personal information")),
        ("meeting", "confidential") => Some(("非公開", "Closed")),
        ("meeting", "ward") => Some(("区", "Ward")),
        ("meeting", "case_subject") => Some(("事例の本人", "Case subject")),
        ("meeting", "lead_agency") => Some(("主担当機関", "Lead agency")),
        ("meeting", "key_person") => Some(("キーパーソン", "Key person")),
        ("meeting", "risk") => Some(("危険度", "Risk")),
        ("meeting", "urgency") => Some(("緊急度", "Urgency")),
        ("meeting", "support_policy") => Some(("支援方針", "Support policy")),
        ("meeting", "handouts") => Some(("配布資料", "Handouts")),
        ("meeting", "remaining_issues") => Some(("残された課題", "Remaining issues")),
        ("meeting", "next_meeting_date" | "next_meeting") => Some(("次回開催予定", "Next meeting")),
        ("next_action", "status") => Some(("次回までの対応の状態", "Status of a next action")),
        ("next_action", "text") => Some(("次回までの対応", "Next action")),
        ("next_action", "due_date") => Some(("次回までの対応の期限", "Due date of a next action")),
        ("next_action", "agency") => Some(("次回までの対応の機関", "Agency of a next action")),
        ("agenda_item", "title") => Some(("議題", "Agenda item")),
        ("agenda_item", "planned_min") => Some(("議題の予定時間", "Planned minutes")),
        ("agenda_entry", "text") => Some(("議事の記録", "Note or decision")),
        ("attendee", "name") => Some(("出席者の氏名", "Attendee's name")),
        ("attendee", "title") => Some(("出席者の職名", "Attendee's title")),
        ("attendee", "role") => Some(("出席者の役割", "Attendee's role")),
        ("attendee", "agency") => Some(("出席者の機関", "Attendee's agency")),
        ("attendee", "attendance") => Some(("出欠", "Attendance")),
        ("role_assignment", "responsibility") => Some(("役割分担", "Role assignment")),
        ("role_assignment", "agency") => Some(("役割分担の機関", "Agency of a role")),
        ("case_issue", "category") => Some(("課題の分類", "Issue category")),
        ("case_review", "status") => Some(("進行管理の状況", "Status at a case review")),
        ("case_review", "lead_agency") => {
            Some(("進行管理の主担当機関", "Lead agency at a case review"))
        }
        ("case_review", "policy") => Some(("進行管理の方針", "Policy at a case review")),
        ("case_review", "next_review") => Some(("次回確認日", "Next review")),
        ("case_review", "note") => Some(("進行管理の記録", "Note of a case review")),
        ("case_review", "closure_reason") => Some(("終結等の理由", "Reason for ending")),
        ("case_review", "evaluation") => Some(("プランの評価", "Evaluation of the plan")),
        ("case_review", "transferred_to") => Some(("移管先", "Transferred to")),
        _ => None,
    };
    match known {
        Some((ja, en)) => lang.pick(ja, en).to_owned(),
        None => format!("{entity}.{field}"),
    }
}

/// A coded value (status, role, attendance …) as a reader knows it; `None` for free text.
pub(super) fn coded_value(entity: &str, field: &str, value: &str, lang: Lang) -> Option<String> {
    let label = match (entity, field) {
        (_, "deleted") => match value {
            "deleted" => lang.pick("削除", "removed"),
            "present" => lang.pick("あり", "present"),
            _ => return None,
        },
        (_, "added") => match value {
            "absent" => lang.pick("なし", "none"),
            "present" => lang.pick("追加", "added"),
            _ => return None,
        },
        ("next_action", "status") => action_status(value.parse().ok()?, lang),
        ("case_review", "status") => value
            .parse::<crate::domain::case::CaseStatus>()
            .ok()?
            .review_label(lang),
        ("meeting", "status") => meeting_status(value.parse().ok()?, lang),
        ("attendee", "role") => role(value.parse().ok()?, lang),
        ("attendee", "attendance") => attendance(value.parse().ok()?, lang),
        ("meeting", "supervisor" | "personal_info") => match value {
            "yes" => lang.pick("有", "yes"),
            "no" => lang.pick("無", "no"),
            _ => return None,
        },
        _ => return None,
    };
    Some(label.to_owned())
}
