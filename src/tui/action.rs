//! What a key can ask for. Key bindings (src/tui/keymap.toml) map keys to these by name.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave renkei (from the home screen).
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
}
