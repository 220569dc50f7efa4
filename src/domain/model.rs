//! The vocabulary of meetings, shared by the store, the minutes and the screens.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Defines a closed set of values stored as text: its stable code (in the database and the
/// interchange JSON), and its parsing from that code.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", $what, " '{}' (expected one of: {})"),
                        other,
                        [$($code),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use coded_enum;

coded_enum!(
    /// Where a meeting stands.
    MeetingStatus, "status" {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
);

coded_enum!(
    /// The part a person plays at one meeting.
    Role, "role" {
        Facilitator => "facilitator",
        Recorder => "recorder",
        Secretariat => "secretariat",
        Coordinator => "coordinator",
        Supervisor => "supervisor",
        Member => "member",
        Person => "person",
        Family => "family",
        Observer => "observer",
    }
);

coded_enum!(
    /// Whether an invited person came.
    Attendance, "attendance" {
        Present => "present",
        Absent => "absent",
        Late => "late",
        LeftEarly => "left_early",
    }
);

coded_enum!(
    /// Where a next action stands.
    ActionStatus, "action status" {
        Open => "open",
        Done => "done",
        Dropped => "dropped",
    }
);

coded_enum!(
    /// The minutes of a meeting: a draft until approved, amended (never edited) after.
    MinutesState, "minutes state" {
        Draft => "draft",
        Approved => "approved",
    }
);

coded_enum!(
    /// What was written under an agenda item.
    EntryKind, "entry kind" {
        Note => "note",
        Decision => "decision",
    }
);

impl Role {
    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Facilitator => "司会",
            Role::Recorder => "記録",
            Role::Secretariat => "事務局",
            Role::Coordinator => "多機関協働事業者",
            Role::Supervisor => "スーパーバイザー",
            Role::Member => "構成員",
            Role::Person => "本人",
            Role::Family => "家族",
            Role::Observer => "オブザーバー",
        }
    }
}

impl Role {
    /// At most four cells wide, for narrow columns.
    pub fn short_ja(self) -> &'static str {
        match self {
            Role::Facilitator => "司会",
            Role::Recorder => "記録",
            Role::Secretariat => "事務局",
            Role::Coordinator => "協働",
            Role::Supervisor => "SV",
            Role::Member => "構成員",
            Role::Person => "本人",
            Role::Family => "家族",
            Role::Observer => "OB",
        }
    }
}

impl Attendance {
    pub fn label_ja(self) -> &'static str {
        match self {
            Attendance::Present => "出席",
            Attendance::Absent => "欠席",
            Attendance::Late => "遅刻",
            Attendance::LeftEarly => "早退",
        }
    }
}

impl Attendance {
    /// At most four cells wide, for narrow columns.
    pub fn short_en(self) -> &'static str {
        match self {
            Attendance::Present => "in",
            Attendance::Absent => "away",
            Attendance::Late => "late",
            Attendance::LeftEarly => "left",
        }
    }
}

impl MeetingStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "予定",
            MeetingStatus::Held => "開催済",
            MeetingStatus::Cancelled => "中止",
        }
    }
}

/// Where a meeting stands as people see it: its stored status, except that a planned meeting that
/// has begun and not ended is in progress (開催中).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingPhase {
    Planned,
    InProgress,
    Held,
    Cancelled,
}

impl MeetingPhase {
    pub fn of(status: MeetingStatus, started: bool, ended: bool) -> MeetingPhase {
        match status {
            MeetingStatus::Planned if started && !ended => MeetingPhase::InProgress,
            MeetingStatus::Planned => MeetingPhase::Planned,
            MeetingStatus::Held => MeetingPhase::Held,
            MeetingStatus::Cancelled => MeetingPhase::Cancelled,
        }
    }

    /// The code scripts read (`meetings --format json`): a status code, or `in_progress`.
    pub fn code(self) -> &'static str {
        match self {
            MeetingPhase::Planned => MeetingStatus::Planned.code(),
            MeetingPhase::InProgress => "in_progress",
            MeetingPhase::Held => MeetingStatus::Held.code(),
            MeetingPhase::Cancelled => MeetingStatus::Cancelled.code(),
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            MeetingPhase::Planned => MeetingStatus::Planned.label_ja(),
            MeetingPhase::InProgress => "開催中",
            MeetingPhase::Held => MeetingStatus::Held.label_ja(),
            MeetingPhase::Cancelled => MeetingStatus::Cancelled.label_ja(),
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            MeetingPhase::Planned => "planned",
            MeetingPhase::InProgress => "in progress",
            MeetingPhase::Held => "held",
            MeetingPhase::Cancelled => "cancelled",
        }
    }
}

impl ActionStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            ActionStatus::Open => "未完了",
            ActionStatus::Done => "完了",
            ActionStatus::Dropped => "取りやめ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(*r));
        }
        for a in Attendance::ALL {
            assert_eq!(a.code().parse::<Attendance>(), Ok(*a));
        }
        for s in MeetingStatus::ALL {
            assert_eq!(s.code().parse::<MeetingStatus>(), Ok(*s));
        }
    }

    #[test]
    fn unknown_code_names_the_choices() {
        let err = "chair".parse::<Role>().unwrap_err();
        assert!(err.contains("unknown role 'chair'"), "{err}");
        assert!(err.contains("facilitator"), "{err}");
    }

    #[test]
    fn a_begun_planned_meeting_is_in_progress() {
        use MeetingPhase as P;
        assert_eq!(P::of(MeetingStatus::Planned, true, false), P::InProgress);
        assert_eq!(P::of(MeetingStatus::Planned, false, false), P::Planned);
        assert_eq!(P::of(MeetingStatus::Planned, true, true), P::Planned);
        assert_eq!(P::of(MeetingStatus::Held, true, false), P::Held);
        assert_eq!(P::InProgress.label_ja(), "開催中");
        assert_eq!(P::InProgress.code(), "in_progress");
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(
            serde_json::to_string(&Attendance::LeftEarly).unwrap(),
            "\"left_early\""
        );
    }
}
