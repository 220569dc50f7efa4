//! Expected meetings: when a body should meet, given its parsed frequency, and which of
//! those expectations its known meetings already fill.
//!
//! # Windows
//! A *window* is an inclusive date range in which one meeting is expected:
//! - **named months** (`年1回（2月）`, `6・8・10・12・2月`): one window per named month,
//!   the whole calendar month, whatever the count says;
//! - **twelve a year** (毎月, 月1回, 年12回): one window per calendar month;
//! - **N a year, no meeting held yet**: each fiscal year (April–March) cut into N equal
//!   parts — by months when 12 is a multiple of N (年3回 → Apr–Jul, Aug–Nov, Dec–Mar),
//!   otherwise by days (年5回 → five stretches of 73 days);
//! - **N a year after a meeting held on L**: successive windows of 365/N days, the first
//!   starting at L + half an interval. Each window is centred on the date the next meeting
//!   is due (L + 365/N, L + 2·365/N …), so a meeting held a little early or late still
//!   fills it, and the rhythm follows the body instead of the calendar;
//! - **ranges and minimums** (年2～3回, 年1回以上) plan on the minimum: a facilitator must
//!   not be nagged when the body meets its minimum;
//! - **more than twelve a year** (月2回, 隔週, 毎週) is cut the same way, at most 52
//!   windows a year (about a week each: finer windows would only be noise);
//! - **ad hoc and unknown**: no windows; ad hoc with a minimum (`不定期(年1回以上)`) plans
//!   on that minimum.
//!
//! # Filling
//! A planned or held meeting dated inside a window fills it; a cancelled one does not. A
//! planned meeting dated in the past still fills its window (marking it held is the
//! secretariat's job). Each meeting fills at most one window, and a window needs one.
//!
//! # Overdue
//! A window is overdue when it ended before `today` with no meeting in it. Overdue windows
//! are those that ended after the last held meeting and within the last twelve months.
//! A rolling twelve months rather than "the current fiscal year": a once-a-year window
//! ends on 31 March, the last day of its fiscal year, so under a fiscal-year rule it could
//! never be overdue, and a missed February meeting would vanish on 1 April.
//!
//! # Upcoming
//! [`upcoming_for_body`] lists, for the days `[from, from + days)`: first the overdue
//! windows, then, by date, the planned meetings in range and the unfilled windows that
//! overlap it. A meeting running (begun and not ended, 開催中) is listed whatever its date
//! while the range holds today: a night meeting begun at 23:30 is still listed at 00:10, and
//! one left running since another day stays listed until it is ended (and can be ended from
//! the list).

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::calendar::{
    add_months, fiscal_year_end, fiscal_year_of, fiscal_year_start, month_window,
};
use super::frequency::Frequency;

/// No more windows than this are generated for one call: a range of centuries is not a
/// schedule, and the cap keeps memory bounded on any input.
pub const MAX_WINDOWS: usize = 10_000;

/// At most this many windows a year (about one a week).
pub const MAX_PER_YEAR: u32 = 52;

/// How far back overdue windows are looked for, at most.
pub const OVERDUE_LOOK_BACK_MONTHS: i32 = 12;

/// Dates in which one meeting is expected, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// Whether `date` falls in the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Whether the window shares a day with `[from, to]`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.from <= to && from <= self.to
    }
}

/// The state of a known meeting, as far as expectations care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingState {
    Planned,
    /// Planned, begun and not ended: in progress (開催中).
    Running,
    Held,
    Cancelled,
}

impl MeetingState {
    fn fills(self) -> bool {
        !matches!(self, MeetingState::Cancelled)
    }
}

/// A meeting of the body, from the store.
#[derive(Debug, Clone, Copy)]
pub struct KnownMeeting {
    pub id: i64,
    pub date: NaiveDate,
    pub state: MeetingState,
}

/// One line of the upcoming list of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upcoming {
    /// A planned meeting dated in range.
    Scheduled { meeting_id: i64, date: NaiveDate },
    /// A window no meeting fills; `overdue` when it ended before today.
    Expected { window: Window, overdue: bool },
}

impl Upcoming {
    /// The date the entry sorts by: the meeting's date or the window's first day.
    pub fn date(&self) -> NaiveDate {
        match self {
            Upcoming::Scheduled { date, .. } => *date,
            Upcoming::Expected { window, .. } => window.from,
        }
    }
}

/// How windows are laid out for a frequency.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Nothing,
    Months(Vec<u32>),
    Monthly,
    Even(u32),
}

fn plan(freq: &Frequency) -> Plan {
    if freq.unknown {
        return Plan::Nothing;
    }
    let months = freq.months_in_fiscal_order();
    let months: Vec<u32> = months
        .into_iter()
        .filter(|m| (1..=12).contains(m))
        .collect();
    if !months.is_empty() {
        return Plan::Months(months);
    }
    match freq.expected_per_year() {
        None => Plan::Nothing,
        Some(12) => Plan::Monthly,
        Some(n) => Plan::Even(n.min(MAX_PER_YEAR)),
    }
}

/// Windows in which a meeting of a body with this frequency is expected, overlapping
/// `[from, to]`, in date order. `last_held` is the date of the body's last held meeting,
/// which anchors "N a year" windows (see the module documentation).
pub fn expected_windows(
    freq: &Frequency,
    last_held: Option<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Window> {
    if from > to {
        return Vec::new();
    }
    match plan(freq) {
        Plan::Nothing => Vec::new(),
        Plan::Months(months) => by_fiscal_year(from, to, |fy| {
            months
                .iter()
                .map(|&m| {
                    let year = if m >= 4 { fy } else { fy.saturating_add(1) };
                    let (first, last) = month_window(year, m);
                    Window {
                        from: first,
                        to: last,
                    }
                })
                .collect()
        }),
        Plan::Monthly => calendar_months(from, to),
        Plan::Even(n) => match last_held {
            Some(held) => from_last_held(held, n, from, to),
            None => by_fiscal_year(from, to, |fy| fiscal_year_parts(fy, n)),
        },
    }
}

/// The windows of each fiscal year touching `[from, to]`, those overlapping it.
fn by_fiscal_year(
    from: NaiveDate,
    to: NaiveDate,
    windows_of: impl Fn(i32) -> Vec<Window>,
) -> Vec<Window> {
    let mut out = Vec::new();
    for fy in fiscal_year_of(from)..=fiscal_year_of(to) {
        out.extend(windows_of(fy).into_iter().filter(|w| w.overlaps(from, to)));
        if out.len() >= MAX_WINDOWS {
            out.truncate(MAX_WINDOWS);
            break;
        }
    }
    out
}

/// Fiscal year `fy` cut into `n` equal parts: by months when 12 is a multiple of `n`,
/// otherwise by days.
fn fiscal_year_parts(fy: i32, n: u32) -> Vec<Window> {
    let start = fiscal_year_start(fy);
    let end = fiscal_year_end(fy);
    let n = n.max(1);
    if 12 % n == 0 {
        let step = i32::try_from(12 / n).unwrap_or(12);
        return (0..i32::try_from(n).unwrap_or(1))
            .map(|k| Window {
                from: add_months(start, k * step),
                to: day_before(add_months(start, (k + 1) * step)),
            })
            .collect();
    }
    let len = (end - start).num_days() + 1;
    let n = i64::from(n);
    let at = |k: i64| plus_days(start, k * len / n);
    (0..n)
        .map(|k| Window {
            from: at(k),
            to: day_before(at(k + 1)),
        })
        .collect()
}

/// One window per calendar month touching `[from, to]`.
fn calendar_months(from: NaiveDate, to: NaiveDate) -> Vec<Window> {
    let mut out = Vec::new();
    let mut first = month_window(from.year(), from.month()).0;
    while first <= to && out.len() < MAX_WINDOWS {
        let (start, end) = month_window(first.year(), first.month());
        out.push(Window {
            from: start,
            to: end,
        });
        let next = add_months(first, 1);
        if next <= first {
            break;
        }
        first = next;
    }
    out
}

/// Windows of 365/n days centred on held + k·365/n (k = 1, 2 …), overlapping `[from, to]`.
fn from_last_held(held: NaiveDate, n: u32, from: NaiveDate, to: NaiveDate) -> Vec<Window> {
    let n = i64::from(n.max(1));
    // Window k starts (2k − 1)·365 / 2n days after the held meeting.
    let start = |k: i64| plus_days(held, (2 * k - 1) * 365 / (2 * n));
    let elapsed = (from - held).num_days();
    let mut k = (elapsed.saturating_mul(n) / 365 - 1).max(1);
    let mut out = Vec::new();
    while out.len() < MAX_WINDOWS {
        let window = Window {
            from: start(k),
            to: day_before(start(k + 1)),
        };
        // Past chrono's last date the windows collapse: stop there.
        if window.from > to || window.from > window.to || window.to == NaiveDate::MAX {
            break;
        }
        if window.overlaps(from, to) {
            out.push(window);
        }
        k += 1;
    }
    out
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    let shifted = match u64::try_from(days) {
        Ok(d) => date.checked_add_days(Days::new(d)),
        Err(_) => date.checked_sub_days(Days::new(days.unsigned_abs())),
    };
    shifted.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

fn day_before(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

/// The date of the latest held meeting on or before `today`.
pub fn last_held(meetings: &[KnownMeeting], today: NaiveDate) -> Option<NaiveDate> {
    meetings
        .iter()
        .filter(|m| m.state == MeetingState::Held && m.date <= today)
        .map(|m| m.date)
        .max()
}

/// The first day overdue windows may end on: the day after the last held meeting, but
/// not more than twelve months back (so that a body that never meets is overdue on every
/// day, even the day before its yearly window closes).
fn look_back_start(last_held: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    let limit = add_months(today, -OVERDUE_LOOK_BACK_MONTHS);
    match last_held {
        Some(held) => plus_days(held, 1).max(limit),
        None => limit,
    }
}

/// For each window, whether a planned or held meeting fills it; each meeting fills at
/// most one window (the earliest unused meeting inside it).
fn filled(windows: &[Window], meetings: &[KnownMeeting]) -> Vec<bool> {
    let dates = filling_dates(meetings);
    let mut used = vec![false; dates.len()];
    windows
        .iter()
        .map(|w| {
            // The dates are sorted: those in the window start at the first not before it (a
            // body's ten years of meetings were scanned from the first for every window).
            let first = dates.partition_point(|d| *d < w.from);
            let free = dates[first..]
                .iter()
                .zip(used[first..].iter_mut())
                .take_while(|(date, _)| **date <= w.to)
                .find(|(_, used)| !**used);
            match free {
                Some((_, used)) => {
                    *used = true;
                    true
                }
                None => false,
            }
        })
        .collect()
}

/// The dates of the meetings that fill a window, sorted.
fn filling_dates(meetings: &[KnownMeeting]) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = meetings
        .iter()
        .filter(|m| m.state.fills())
        .map(|m| m.date)
        .collect();
    dates.sort_unstable();
    dates
}

/// Windows that ended before `today` with no meeting in them, since the last held meeting
/// and within the last twelve months, oldest first.
pub fn overdue_windows(
    freq: &Frequency,
    meetings: &[KnownMeeting],
    today: NaiveDate,
) -> Vec<Window> {
    let last = last_held(meetings, today);
    let look_back = look_back_start(last, today);
    let windows = expected_windows(freq, last, look_back, day_before(today));
    let filled = filled(&windows, meetings);
    windows
        .into_iter()
        .zip(filled)
        .filter(|(w, f)| !f && w.to < today && w.to >= look_back)
        .map(|(w, _)| w)
        .collect()
}

/// Whether the body has an overdue window (see [`overdue_windows`]).
pub fn is_overdue(freq: &Frequency, meetings: &[KnownMeeting], today: NaiveDate) -> bool {
    !overdue_windows(freq, meetings, today).is_empty()
}

/// Everything to list for one body for the days `[from, from + days)`, given its known
/// meetings (any order) and `today` (the injected clock): first the overdue windows
/// (ended before today, unfilled, since the last held meeting and within twelve months —
/// or inside the range), then by date the planned meetings dated in range, the meetings
/// running whatever their date when the range holds today, and the unfilled windows
/// overlapping it. `days == 0` lists the overdue windows only.
pub fn upcoming_for_body(
    freq: &Frequency,
    meetings: &[KnownMeeting],
    from: NaiveDate,
    days: u32,
    today: NaiveDate,
) -> Vec<Upcoming> {
    let last = last_held(meetings, today);
    let look_back = look_back_start(last, today);
    let end = days.checked_sub(1).map(|d| plus_days(from, i64::from(d)));
    let in_range = |w: &Window| end.is_some_and(|end| w.overlaps(from, end));
    let span_to = end.unwrap_or(from).max(day_before(today));
    let windows = expected_windows(freq, last, from.min(look_back), span_to);
    let filled = filled(&windows, meetings);

    let mut overdue = Vec::new();
    let mut listed = Vec::new();
    for (window, filled) in windows.into_iter().zip(filled) {
        if filled {
            continue;
        }
        let is_overdue = window.to < today;
        if is_overdue && (window.to >= look_back || in_range(&window)) {
            overdue.push(Upcoming::Expected {
                window,
                overdue: true,
            });
        } else if !is_overdue && in_range(&window) {
            listed.push(Upcoming::Expected {
                window,
                overdue: false,
            });
        }
    }
    if let Some(end) = end {
        let holds_today = from <= today && today <= end;
        let listed_meeting = |m: &&KnownMeeting| match m.state {
            MeetingState::Planned => from <= m.date && m.date <= end,
            MeetingState::Running => holds_today || (from <= m.date && m.date <= end),
            MeetingState::Held | MeetingState::Cancelled => false,
        };
        listed.extend(
            meetings
                .iter()
                .filter(listed_meeting)
                .map(|m| Upcoming::Scheduled {
                    meeting_id: m.id,
                    date: m.date,
                }),
        );
    }
    listed.sort_by_key(|u| {
        let (kind, id) = match u {
            Upcoming::Scheduled { meeting_id, .. } => (0, *meeting_id),
            Upcoming::Expected { .. } => (1, 0),
        };
        (u.date(), kind, id)
    });
    overdue.extend(listed);
    overdue
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::frequency::parse;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn w(from: NaiveDate, to: NaiveDate) -> Window {
        Window { from, to }
    }

    /// The fixed clock: Saturday 21 November 2026 (fiscal year 2026).
    fn today() -> NaiveDate {
        d(2026, 11, 21)
    }

    fn meeting(id: i64, date: NaiveDate, state: MeetingState) -> KnownMeeting {
        KnownMeeting { id, date, state }
    }

    fn expected(window: Window) -> Upcoming {
        Upcoming::Expected {
            window,
            overdue: false,
        }
    }

    fn overdue(window: Window) -> Upcoming {
        Upcoming::Expected {
            window,
            overdue: true,
        }
    }

    fn fy2026(text: &str) -> Vec<Window> {
        expected_windows(&parse(text), None, d(2026, 4, 1), d(2027, 3, 31))
    }

    #[test]
    fn named_month_gives_that_month() {
        assert_eq!(fy2026("年1回（2月）"), [w(d(2027, 2, 1), d(2027, 2, 28))]);
        assert_eq!(fy2026("年1回（7月）"), [w(d(2026, 7, 1), d(2026, 7, 31))]);
        // A held meeting does not move named months.
        let f = parse("年1回（2月）");
        assert_eq!(
            expected_windows(&f, Some(d(2026, 6, 1)), d(2026, 4, 1), d(2027, 3, 31)),
            [w(d(2027, 2, 1), d(2027, 2, 28))]
        );
    }

    #[test]
    fn three_a_year_splits_the_fiscal_year_in_four_month_parts() {
        assert_eq!(
            fy2026("年3回程度"),
            [
                w(d(2026, 4, 1), d(2026, 7, 31)),
                w(d(2026, 8, 1), d(2026, 11, 30)),
                w(d(2026, 12, 1), d(2027, 3, 31)),
            ]
        );
    }

    #[test]
    fn counts_that_do_not_divide_twelve_split_by_days() {
        let windows = fy2026("年5回程度");
        assert_eq!(windows.len(), 5);
        assert_eq!(windows[0], w(d(2026, 4, 1), d(2026, 6, 12)));
        assert_eq!(windows[4].to, d(2027, 3, 31));
        for pair in windows.windows(2) {
            assert_eq!(pair[0].to.succ_opt().unwrap(), pair[1].from);
        }
    }

    #[test]
    fn ranges_and_minimums_plan_on_the_minimum() {
        let halves = [
            w(d(2026, 4, 1), d(2026, 9, 30)),
            w(d(2026, 10, 1), d(2027, 3, 31)),
        ];
        assert_eq!(fy2026("年2～3回"), halves);
        assert_eq!(fy2026("年2回以上"), halves);
        assert_eq!(fy2026("年1回以上"), [w(d(2026, 4, 1), d(2027, 3, 31))]);
        assert_eq!(
            fy2026("不定期(年1回以上。申請状況に応じて適宜)"),
            [w(d(2026, 4, 1), d(2027, 3, 31))]
        );
    }

    #[test]
    fn monthly_gives_one_window_a_month() {
        let f = parse("毎月");
        let windows = expected_windows(&f, Some(d(2026, 11, 3)), today(), d(2027, 2, 10));
        assert_eq!(
            windows,
            [
                w(d(2026, 11, 1), d(2026, 11, 30)),
                w(d(2026, 12, 1), d(2026, 12, 31)),
                w(d(2027, 1, 1), d(2027, 1, 31)),
                w(d(2027, 2, 1), d(2027, 2, 28)),
            ]
        );
        assert_eq!(fy2026("年12回（月1回）").len(), 12);
        assert_eq!(fy2026("12回").len(), 12);
    }

    #[test]
    fn more_than_monthly_gives_week_sized_windows() {
        let weekly = fy2026("週1回");
        assert_eq!(weekly.len(), 52);
        let days = |w: &Window| (w.to - w.from).num_days() + 1;
        assert!(weekly.iter().all(|w| (7..=8).contains(&days(w))));
        assert_eq!(fy2026("週2回").len(), 52);
        assert_eq!(fy2026("月2回").len(), 24);
    }

    #[test]
    fn kodomo_shokudo_months() {
        let f = parse(
            "こども食堂連絡会 年2回(6・10月) フードドライブ食材配布 年5回(6・8・10・12・2月)",
        );
        assert_eq!(
            expected_windows(&f, None, d(2026, 4, 1), d(2027, 3, 31)),
            [
                w(d(2026, 6, 1), d(2026, 6, 30)),
                w(d(2026, 8, 1), d(2026, 8, 31)),
                w(d(2026, 10, 1), d(2026, 10, 31)),
                w(d(2026, 12, 1), d(2026, 12, 31)),
                w(d(2027, 2, 1), d(2027, 2, 28)),
            ]
        );
        // Held in June and August, planned in December: October is overdue, February expected.
        let meetings = [
            meeting(1, d(2026, 6, 20), MeetingState::Held),
            meeting(2, d(2026, 8, 22), MeetingState::Held),
            meeting(3, d(2026, 12, 12), MeetingState::Planned),
        ];
        assert_eq!(
            upcoming_for_body(&f, &meetings, today(), 120, today()),
            [
                overdue(w(d(2026, 10, 1), d(2026, 10, 31))),
                Upcoming::Scheduled {
                    meeting_id: 3,
                    date: d(2026, 12, 12)
                },
                expected(w(d(2027, 2, 1), d(2027, 2, 28))),
            ]
        );
    }

    /// Attack14 finding 8: a meeting running is listed whatever its date while the range
    /// holds today (begun last night, or two days ago and never ended), and only then; a
    /// planned meeting of yesterday not begun is past.
    #[test]
    fn a_running_meeting_is_listed_whatever_its_date_while_the_range_holds_today() {
        let f = parse("随時");
        let meetings = [
            meeting(1, d(2026, 11, 20), MeetingState::Running),
            meeting(2, d(2026, 11, 19), MeetingState::Running),
            meeting(3, d(2026, 11, 20), MeetingState::Planned),
            meeting(4, d(2026, 11, 24), MeetingState::Running),
        ];
        let scheduled = |from, days| -> Vec<i64> {
            upcoming_for_body(&f, &meetings, from, days, today())
                .into_iter()
                .filter_map(|u| match u {
                    Upcoming::Scheduled { meeting_id, .. } => Some(meeting_id),
                    Upcoming::Expected { .. } => None,
                })
                .collect()
        };
        // By date: the two running since another day first, the one dated later after.
        assert_eq!(scheduled(today(), 60), [2, 1, 4]);
        assert_eq!(scheduled(today(), 1), [2, 1, 4]);
        // A range that does not hold today lists only what is dated in it.
        assert_eq!(scheduled(d(2026, 11, 22), 60), [4]);
        assert_eq!(scheduled(d(2026, 10, 1), 20), Vec::<i64>::new());
        assert_eq!(scheduled(d(2026, 11, 20), 1), [1, 3]);
        // Overdue windows only: nothing scheduled.
        assert_eq!(scheduled(today(), 0), Vec::<i64>::new());
        // A running meeting fills its window as a planned one does.
        let monthly = parse("毎月");
        let day = d(2026, 11, 2);
        let october = [meeting(5, d(2026, 10, 30), MeetingState::Running)];
        let overdue = overdue_windows(&monthly, &october, day);
        assert!(!overdue.contains(&w(d(2026, 10, 1), d(2026, 10, 31))));
        let planned = [meeting(5, d(2026, 10, 30), MeetingState::Planned)];
        assert_eq!(overdue, overdue_windows(&monthly, &planned, day));
        assert_eq!(overdue.len(), 11, "{overdue:?}");
    }

    #[test]
    fn windows_follow_the_last_held_meeting() {
        let held = d(2026, 6, 15);
        let f = parse("年2回");
        assert_eq!(
            expected_windows(&f, Some(held), d(2026, 6, 15), d(2027, 12, 31)),
            [
                w(d(2026, 9, 14), d(2027, 3, 14)),
                w(d(2027, 3, 15), d(2027, 9, 13)),
                w(d(2027, 9, 14), d(2028, 3, 13)),
            ]
        );
        let f = parse("年3回");
        assert_eq!(
            expected_windows(&f, Some(held), today(), d(2027, 5, 1)),
            [
                w(d(2026, 8, 14), d(2026, 12, 13)),
                w(d(2026, 12, 14), d(2027, 4, 14)),
                w(d(2027, 4, 15), d(2027, 8, 13)),
            ]
        );
        let f = parse("年1回");
        // Nothing is expected in the first half-interval after a meeting.
        assert_eq!(expected_windows(&f, Some(held), today(), today()), []);
        assert_eq!(
            expected_windows(&f, Some(held), today(), d(2026, 12, 14)),
            [w(d(2026, 12, 14), d(2027, 12, 13))]
        );
        // Far from the held meeting the windows keep their rhythm.
        let far = expected_windows(&parse("年3回"), Some(held), d(2036, 1, 1), d(2036, 12, 31));
        let near = expected_windows(&parse("年3回"), Some(held), held, d(2036, 12, 31));
        assert_eq!(
            far.first(),
            near.iter()
                .find(|x| x.overlaps(d(2036, 1, 1), d(2036, 12, 31)))
        );
        assert_eq!(far.last(), near.last());
    }

    #[test]
    fn upcoming_after_a_held_meeting_uses_its_rhythm() {
        let f = parse("年2回");
        let meetings = [meeting(1, d(2026, 6, 15), MeetingState::Held)];
        assert_eq!(
            upcoming_for_body(&f, &meetings, today(), 60, today()),
            [expected(w(d(2026, 9, 14), d(2027, 3, 14)))]
        );
        assert!(!is_overdue(&f, &meetings, today()));
        assert!(!is_overdue(&f, &meetings, d(2027, 3, 14)));
        assert!(is_overdue(&f, &meetings, d(2027, 3, 15)));
    }

    #[test]
    fn a_planned_meeting_fills_its_window() {
        let f = parse("年3回程度");
        // After the meeting held on 1 May: windows 30 Jun–29 Oct and 30 Oct–28 Feb.
        let meetings = [
            meeting(1, d(2026, 5, 1), MeetingState::Held),
            // Dated in the past and never marked held: it still fills its window.
            meeting(2, d(2026, 9, 10), MeetingState::Planned),
            meeting(7, d(2027, 1, 20), MeetingState::Planned),
        ];
        assert_eq!(
            upcoming_for_body(&f, &meetings, today(), 100, today()),
            [Upcoming::Scheduled {
                meeting_id: 7,
                date: d(2027, 1, 20)
            }]
        );
        assert!(!is_overdue(&f, &meetings, today()));
        let f = parse("年1回（2月）");
        let past_planned = [meeting(1, d(2026, 2, 10), MeetingState::Planned)];
        assert!(!is_overdue(&f, &past_planned, today()));
    }

    #[test]
    fn held_fills_cancelled_does_not() {
        let f = parse("年1回（2月）");
        let with = |state: MeetingState| {
            [
                meeting(1, d(2026, 2, 10), MeetingState::Held),
                meeting(2, d(2027, 2, 5), state),
            ]
        };
        let feb = w(d(2027, 2, 1), d(2027, 2, 28));
        assert_eq!(
            upcoming_for_body(&f, &with(MeetingState::Held), today(), 120, today()),
            []
        );
        assert_eq!(
            upcoming_for_body(&f, &with(MeetingState::Cancelled), today(), 120, today()),
            [expected(feb)]
        );
        assert_eq!(
            overdue_windows(&f, &with(MeetingState::Cancelled), d(2027, 3, 1)),
            [feb]
        );
        assert!(!is_overdue(&f, &with(MeetingState::Held), d(2027, 3, 1)));
        assert!(!is_overdue(&f, &with(MeetingState::Planned), d(2027, 3, 1)));
    }

    #[test]
    fn each_meeting_fills_one_window() {
        let f = parse("毎月");
        let meetings = [
            meeting(1, d(2026, 11, 30), MeetingState::Held),
            meeting(2, d(2026, 11, 2), MeetingState::Held),
        ];
        let from = d(2026, 11, 1);
        assert_eq!(
            upcoming_for_body(&f, &meetings, from, 61, d(2026, 12, 1)),
            [expected(w(d(2026, 12, 1), d(2026, 12, 31)))]
        );
        let windows = [
            w(d(2026, 11, 1), d(2026, 11, 30)),
            w(d(2026, 11, 1), d(2026, 11, 30)),
        ];
        let one = [meeting(1, d(2026, 11, 15), MeetingState::Planned)];
        assert_eq!(filled(&windows, &one), [true, false]);
    }

    /// `filled` reads only the dates from a window's start on: the same answer as scanning
    /// every date for each window, over overlapping, nested, out-of-order and empty windows and
    /// meetings on one day, cancelled ones among them.
    #[test]
    fn filled_is_the_earliest_unused_meeting_in_each_window() {
        fn scanned(windows: &[Window], meetings: &[KnownMeeting]) -> Vec<bool> {
            let dates = filling_dates(meetings);
            let mut used = vec![false; dates.len()];
            windows
                .iter()
                .map(
                    |w| match (0..dates.len()).find(|&i| !used[i] && w.contains(dates[i])) {
                        Some(i) => {
                            used[i] = true;
                            true
                        }
                        None => false,
                    },
                )
                .collect()
        }
        let day = |n: u64| d(2026, 1, 1) + chrono::Days::new(n % 120);
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2_000 {
            let windows: Vec<Window> = (0..next() % 8)
                .map(|_| {
                    let from = day(next());
                    w(from, from + chrono::Days::new(next() % 40))
                })
                .collect();
            let states = [
                MeetingState::Planned,
                MeetingState::Held,
                MeetingState::Cancelled,
            ];
            let meetings: Vec<KnownMeeting> = (0..next() % 10)
                .map(|i| meeting(i as i64, day(next()), states[(next() % 3) as usize]))
                .collect();
            assert_eq!(
                filled(&windows, &meetings),
                scanned(&windows, &meetings),
                "{windows:?} {meetings:?}"
            );
        }
    }

    #[test]
    fn overdue_at_the_end_of_a_window() {
        let f = parse("年1回（2月）");
        let last_year = meeting(1, d(2026, 2, 10), MeetingState::Held);
        let held = [last_year];
        assert!(!is_overdue(&f, &held, d(2027, 2, 27)));
        assert!(!is_overdue(&f, &held, d(2027, 2, 28)));
        assert!(is_overdue(&f, &held, d(2027, 3, 1)));
        assert_eq!(
            overdue_windows(&f, &held, d(2027, 3, 1)),
            [w(d(2027, 2, 1), d(2027, 2, 28))]
        );
        let on_last_day = [last_year, meeting(2, d(2027, 2, 28), MeetingState::Held)];
        assert!(!is_overdue(&f, &on_last_day, d(2027, 3, 1)));
        // Held a day early, in January: February is still missed.
        let early = [last_year, meeting(2, d(2027, 1, 31), MeetingState::Held)];
        assert!(is_overdue(&f, &early, d(2027, 3, 1)));
    }

    #[test]
    fn overdue_windows_come_first() {
        let f = parse("年3回程度");
        let none: [KnownMeeting; 0] = [];
        // Nothing ever held: every window that ended in the last twelve months is overdue.
        let missed = [
            overdue(w(d(2025, 8, 1), d(2025, 11, 30))),
            overdue(w(d(2025, 12, 1), d(2026, 3, 31))),
            overdue(w(d(2026, 4, 1), d(2026, 7, 31))),
        ];
        let mut all = missed.to_vec();
        all.extend([
            expected(w(d(2026, 8, 1), d(2026, 11, 30))),
            expected(w(d(2026, 12, 1), d(2027, 3, 31))),
        ]);
        assert_eq!(upcoming_for_body(&f, &none, today(), 30, today()), all);
        // days = 0: only what is overdue.
        assert_eq!(upcoming_for_body(&f, &none, today(), 0, today()), missed);
        // Only windows after the last held meeting can be overdue.
        let held = [meeting(1, d(2026, 5, 1), MeetingState::Held)];
        assert_eq!(
            overdue_windows(&f, &held, today()),
            [w(d(2026, 6, 30), d(2026, 10, 29))]
        );
        assert_eq!(
            upcoming_for_body(&f, &held, today(), 30, today()),
            [
                overdue(w(d(2026, 6, 30), d(2026, 10, 29))),
                expected(w(d(2026, 10, 30), d(2027, 2, 28))),
            ]
        );
    }

    #[test]
    fn overdue_looks_back_twelve_months_at_most() {
        let f = parse("毎月");
        let long_ago = [meeting(1, d(2020, 5, 1), MeetingState::Held)];
        let overdue = overdue_windows(&f, &long_ago, today());
        assert_eq!(overdue.len(), 12);
        assert_eq!(overdue[0], w(d(2025, 11, 1), d(2025, 11, 30)));
        // A body that never meets is overdue every day, across fiscal years.
        let f = parse("年1回");
        let none: [KnownMeeting; 0] = [];
        assert_eq!(
            overdue_windows(&f, &none, d(2027, 3, 31)),
            [w(d(2025, 4, 1), d(2026, 3, 31))]
        );
        assert_eq!(
            overdue_windows(&f, &none, d(2027, 4, 1)),
            [w(d(2026, 4, 1), d(2027, 3, 31))]
        );
        assert_eq!(
            overdue_windows(&f, &none, d(2028, 3, 31)),
            [w(d(2026, 4, 1), d(2027, 3, 31))]
        );
        assert_eq!(
            overdue_windows(&f, &none, d(2028, 4, 1)),
            [w(d(2027, 4, 1), d(2028, 3, 31))]
        );
        assert_eq!(overdue[11], w(d(2026, 10, 1), d(2026, 10, 31)));
    }

    #[test]
    fn ad_hoc_and_unknown_expect_nothing() {
        let none: [KnownMeeting; 0] = [];
        for text in [
            "随時",
            "必要時（不定期）",
            "不定期 令和4年度159回",
            "未定",
            "",
        ] {
            let f = parse(text);
            assert_eq!(fy2026(text), [], "{text}");
            assert_eq!(upcoming_for_body(&f, &none, today(), 365, today()), []);
            assert!(!is_overdue(&f, &none, today()));
        }
        let f = parse("随時");
        let planned = [
            meeting(5, d(2026, 12, 3), MeetingState::Planned),
            meeting(6, d(2026, 12, 4), MeetingState::Cancelled),
            meeting(4, d(2026, 11, 1), MeetingState::Held),
        ];
        assert_eq!(
            upcoming_for_body(&f, &planned, today(), 30, today()),
            [Upcoming::Scheduled {
                meeting_id: 5,
                date: d(2026, 12, 3)
            }]
        );
    }

    #[test]
    fn fiscal_year_boundary() {
        let f = parse("年1回");
        // Planned (never marked held) meetings fill windows without moving them.
        let fy2025 = meeting(1, d(2025, 10, 1), MeetingState::Planned);
        assert_eq!(fy2026("年1回"), [w(d(2026, 4, 1), d(2027, 3, 31))]);
        assert!(!is_overdue(&f, &[fy2025], d(2027, 3, 31)));
        assert!(is_overdue(&f, &[fy2025], d(2027, 4, 1)));
        // A meeting on 31 March fills the closing year, one on 1 April the new one.
        let march = [fy2025, meeting(2, d(2027, 3, 31), MeetingState::Planned)];
        let april = [fy2025, meeting(2, d(2027, 4, 1), MeetingState::Planned)];
        assert!(!is_overdue(&f, &march, d(2027, 4, 1)));
        assert_eq!(
            overdue_windows(&f, &april, d(2027, 4, 2)),
            [w(d(2026, 4, 1), d(2027, 3, 31))]
        );
        // The miss stays visible for twelve months; then only the filled FY2027 counts.
        assert!(is_overdue(&f, &april, d(2028, 3, 31)));
        assert!(!is_overdue(&f, &april, d(2028, 4, 1)));
        let f = parse("年3回");
        assert_eq!(
            expected_windows(&f, None, d(2027, 3, 31), d(2027, 4, 1)),
            [
                w(d(2026, 12, 1), d(2027, 3, 31)),
                w(d(2027, 4, 1), d(2027, 7, 31)),
            ]
        );
    }

    #[test]
    fn a_year_ahead_spans_two_fiscal_years() {
        let f = parse("年3回");
        let none: [KnownMeeting; 0] = [];
        let list = upcoming_for_body(&f, &none, today(), 365, today());
        assert_eq!(
            list,
            [
                overdue(w(d(2025, 8, 1), d(2025, 11, 30))),
                overdue(w(d(2025, 12, 1), d(2026, 3, 31))),
                overdue(w(d(2026, 4, 1), d(2026, 7, 31))),
                expected(w(d(2026, 8, 1), d(2026, 11, 30))),
                expected(w(d(2026, 12, 1), d(2027, 3, 31))),
                expected(w(d(2027, 4, 1), d(2027, 7, 31))),
                expected(w(d(2027, 8, 1), d(2027, 11, 30))),
            ]
        );
        let f = parse("年1回（2月）");
        assert_eq!(
            upcoming_for_body(&f, &none, today(), 365, today()),
            [
                overdue(w(d(2026, 2, 1), d(2026, 2, 28))),
                expected(w(d(2027, 2, 1), d(2027, 2, 28))),
            ]
        );
    }

    #[test]
    fn overdue_window_inside_the_range_is_listed_once() {
        let f = parse("年3回");
        let none: [KnownMeeting; 0] = [];
        let list = upcoming_for_body(&f, &none, d(2026, 4, 1), 365, today());
        assert_eq!(
            list,
            [
                overdue(w(d(2025, 8, 1), d(2025, 11, 30))),
                overdue(w(d(2025, 12, 1), d(2026, 3, 31))),
                overdue(w(d(2026, 4, 1), d(2026, 7, 31))),
                expected(w(d(2026, 8, 1), d(2026, 11, 30))),
                expected(w(d(2026, 12, 1), d(2027, 3, 31))),
            ]
        );
    }

    #[test]
    fn extreme_ranges_do_not_panic() {
        let none: [KnownMeeting; 0] = [];
        for text in ["毎月", "週1回", "年3回", "年1回（2月）", "年5回", "随時"] {
            let f = parse(text);
            let all = expected_windows(&f, None, NaiveDate::MIN, NaiveDate::MAX);
            assert!(all.len() <= MAX_WINDOWS);
            let _ = expected_windows(&f, Some(NaiveDate::MIN), NaiveDate::MIN, NaiveDate::MAX);
            let _ = expected_windows(&f, Some(NaiveDate::MAX), NaiveDate::MIN, NaiveDate::MAX);
            let _ = expected_windows(&f, None, NaiveDate::MAX, NaiveDate::MIN);
            let _ = upcoming_for_body(&f, &none, NaiveDate::MAX, u32::MAX, NaiveDate::MAX);
            let _ = upcoming_for_body(&f, &none, NaiveDate::MIN, u32::MAX, NaiveDate::MIN);
            let _ = is_overdue(&f, &none, NaiveDate::MIN);
            let _ = is_overdue(&f, &none, NaiveDate::MAX);
        }
    }
}
