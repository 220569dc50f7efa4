//! The vocabulary of the key bindings: what a key can ask for ([`Action`]), where a binding works
//! ([`Context`]), how a key is written (`ctrl-s`, `pgdn`: [`parse_key`]) and a binding a user
//! writes in the config ([`Override`]). The config reads a user's bindings in these words; the
//! TUI's key map (`tui::keymap`, the defaults in `src/tui/keymap.toml`) runs them.

use crossterm::event::{KeyCode, KeyModifiers};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave renkei (from any screen: everything entered is already saved).
    Quit,
    /// Go back one screen, or close what is open.
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the selected line.
    Open,
    /// Show every key of this screen.
    Help,
    /// Filter the list by typing.
    Filter,
    /// Group the upcoming list by date, body or frequency.
    CycleGrouping,
    GoHome,
    GoBodies,
    GoActions,
    /// Move between the panes of a screen.
    NextPane,
    PrevPane,
    /// Put a meeting of the selected body in the calendar.
    Schedule,
    /// Open a meeting of the selected body now.
    StartNow,
    /// Add a line to the focused pane (attendee, agenda item).
    Add,
    /// Correct the selected line.
    Edit,
    /// Remove the selected line (kept in the record).
    Delete,
    MoveUp,
    MoveDown,
    /// Cycle the attendance of the selected attendee.
    CycleAttendance,
    /// Begin the meeting (from its setup).
    Begin,
    NextItem,
    PrevItem,
    CaptureNote,
    CaptureDecision,
    CaptureRole,
    CaptureAction,
    CaptureIssue,
    CaseFields,
    /// Take back the last capture of this session.
    Undo,
    /// The fields of the meeting's record: place, legal basis, SV, referring agency, handouts,
    /// remaining issues, next meeting date.
    RecordFields,
    /// Take the attendees of the body's last meeting into this one.
    CopyRoster,
    /// Continue a carried action: a new due date and a note on its progress.
    ContinueAction,
    /// Search past records (notes, decisions, actions, case pseudonyms) across meetings.
    Search,
    /// Close the meeting: it is held.
    EndMeeting,
    /// Go to the meeting's setup (attendees and agenda).
    Setup,
    MarkDone,
    MarkDropped,
    Reopen,
    /// Preview the minutes.
    Minutes,
    ExportMinutes,
    ToggleRedact,
    CopyMinutes,
    ApproveMinutes,
    /// Move the agenda from now on (the chair passes to you).
    TakeChair,
    /// The annual report.
    GoReport,
    PrevYear,
    NextYear,
    /// Put the year before beside the report's year.
    ToggleCompare,
    ExportReport,
    /// Write the open next actions to a file (Excel).
    ExportActions,
    /// The cases (事例): the ledger.
    GoCases,
    /// Open a new case.
    NewCase,
    /// Show the cases followed, ended, or all.
    CaseFilter,
    /// Show only the cases whose review is overdue (超過のみ), or every case again.
    OverdueOnly,
    /// Record the person's consent.
    CaseConsent,
    /// Move a followed case between 受理, 支援中 and 見守り.
    CaseStatus,
    /// End a case: closed, suspended or transferred.
    CloseCase,
    /// Write the case record (経過記録) to a file.
    ExportCase,
    /// Write the ledger of cases (進行管理台帳) as shown to a file.
    ExportLedger,
    /// The cases a meeting discusses (its case panel).
    MeetingCases,
    /// Open the selected case's screen.
    OpenCase,
    /// The situation of the case now, as told at the meeting.
    Situation,
    /// The review of the ledger's cases at this meeting (進行管理).
    ReviewCases,
    /// Review the selected case: it stays supported (継続).
    ReviewActive,
    /// Review the selected case: it is watched (見守り).
    ReviewMonitoring,
    /// Review the selected case: it is closed (終結).
    ReviewClosed,
    /// Review the selected case: it is suspended (中断).
    ReviewSuspended,
    /// Review the selected case: it is transferred (移管).
    ReviewTransferred,
}

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    Home,
    Bodies,
    Setup,
    Live,
    Actions,
    Minutes,
    Report,
    /// A body's meetings, past and planned.
    Meetings,
    /// Search over past records.
    Search,
    /// The ledger of cases.
    Cases,
    /// One case.
    Case,
    /// The cases of a meeting.
    CasePanel,
    /// The review of the ledger's cases at a meeting.
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// A binding from the user's config (`[[keys.bind]]`), in keymap.toml's shape: it takes the key
/// from the default bindings in the screens it names, or adds a key. The descriptions may be
/// left out: those of the action's default binding are used.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub on: String,
    pub run: Action,
    pub contexts: Vec<Context>,
    pub ja: Option<String>,
    pub en: Option<String>,
}

/// A key as the help shows it — what the keyboard's keys say (`ctrl-c` → `Ctrl+C`, `backtab` →
/// `Shift+Tab`, `pgup` → `PgUp`, `esc` → `Esc`) — where the key map writes its own spelling
/// (the one a settings file binds a key with). The `?` list showed `backtab`, `pgup`, `ctrl-c`
/// (attack of 2026-12-05, round 30, finding 9). Arrows as words: ↑ is of ambiguous width, two
/// cells in some Japanese terminals, which would break the list's columns.
pub fn key_shown(spec: &str) -> String {
    let mut rest = spec;
    let mut out = String::new();
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
            out.push_str("Ctrl+");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
            out.push_str("Alt+");
            rest = r;
        } else {
            break;
        }
    }
    let name = match rest {
        "enter" => "Enter",
        "esc" => "Esc",
        "tab" => "Tab",
        "backtab" => "Shift+Tab",
        "up" => "Up",
        "down" => "Down",
        "left" => "Left",
        "right" => "Right",
        "pgup" => "PgUp",
        "pgdn" => "PgDn",
        "home" => "Home",
        "end" => "End",
        "space" => "Space",
        "backspace" => "Backspace",
        f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            out.push('F');
            out.push_str(&f[1..]);
            return out;
        }
        // A letter with Ctrl or Alt as the keyboard prints it (Ctrl+C); alone as it is typed
        // (n and N are two keys).
        c if !out.is_empty() => {
            out.push_str(&c.to_uppercase());
            return out;
        }
        c => c,
    };
    out.push_str(name);
    out
}

pub fn parse_key(text: &str) -> Option<Key> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            modifiers |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            modifiers |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" => KeyCode::PageUp,
        "pgdn" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
        c => {
            let mut chars = c.chars();
            let ch = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    };
    Some(Key { code, modifiers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shown_as_the_keyboard_names_them() {
        for (spec, shown) in [
            ("ctrl-c", "Ctrl+C"),
            ("backtab", "Shift+Tab"),
            ("pgup", "PgUp"),
            ("pgdn", "PgDn"),
            ("esc", "Esc"),
            ("enter", "Enter"),
            ("up", "Up"),
            ("alt-enter", "Alt+Enter"),
            ("f1", "F1"),
            ("space", "Space"),
            ("n", "n"),
            ("N", "N"),
            ("?", "?"),
            ("-", "-"),
            ("ctrl--", "Ctrl+-"),
        ] {
            assert!(parse_key(spec).is_some(), "{spec}");
            assert_eq!(key_shown(spec), shown, "{spec}");
        }
    }
}
