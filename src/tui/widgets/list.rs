//! A list's selection, how the movement keys move it, which lines pass the filter typed over the
//! list (`Ctx::filter`), which lines of a long list are in view, and rows of one or more lines
//! drawn with the selected one visible. Each screen draws its own lines; where the list stands
//! is decided here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::keys::Action;

/// The selection of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
}

impl ListState {
    /// Moves the selection for a movement key within `len` lines; false for any other action.
    pub fn steer(&mut self, action: Action, len: usize) -> bool {
        match movement(action, len) {
            Some(delta) => {
                self.selected = moved(self.selected, delta, len);
                true
            }
            None => false,
        }
    }

    /// Keeps the selection inside a list that may have shrunk.
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// Every word of the filter is in one of the texts (Japanese too: words are split at spaces).
pub fn matches(filter: &str, texts: &[&str]) -> bool {
    filter
        .split_whitespace()
        .all(|word| texts.iter().any(|t| t.contains(word)))
}

/// How far a movement key moves a selection in a list of `len` lines; `None` for other actions.
pub fn movement(action: Action, len: usize) -> Option<i64> {
    Some(match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -10,
        Action::PageDown => 10,
        Action::Top => -(len as i64),
        Action::Bottom => len as i64,
        _ => return None,
    })
}

/// `at` moved by `delta`, kept within `len` lines.
pub fn moved(at: usize, delta: i64, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        (at as i64 + delta).clamp(0, len as i64 - 1) as usize
    }
}

/// The first line shown of a list whose line `line` must be in view of `height` lines, with
/// `below` lines after it when the list goes on.
/// The rows a long list (the actions, the ledger) reads on either side of its selection, at
/// the least (more when the screen is taller): a key moves within them without reading, a page
/// turn or a jump reads again; the rest stay in the database.
pub const AROUND: usize = 64;

/// The rows a long list reads around its selection: [`AROUND`] on either side, or two screens
/// of `height` lines when that is more; within `len`.
pub fn window_around(selected: usize, len: usize, height: usize) -> std::ops::Range<usize> {
    let around = AROUND.max(height * 2);
    let to = (selected + around + 1).min(len);
    selected.saturating_sub(around).min(to)..to
}

/// Whether the rows read (`read` of them from `first`) cover the lines the view of `selected`
/// may show in `height` lines: if not, they are read again around it.
pub fn window_covers(
    selected: usize,
    len: usize,
    height: usize,
    first: usize,
    read: usize,
) -> bool {
    let reach = height.max(1) + 1;
    let from = selected.saturating_sub(reach);
    let to = (selected + reach).min(len);
    from >= first && to <= first + read
}

pub fn first_shown(line: usize, height: usize, below: usize) -> usize {
    line.saturating_sub(height.saturating_sub(1 + below))
}

/// The first line shown of a list that turns a page at a time, keeping the last line of the page
/// before: for a pane beside another, which a terminal cannot scroll alone.
pub fn page_start(line: usize, height: usize) -> usize {
    let page = height.saturating_sub(1).max(1);
    line / page * page
}

/// The rows in view, from the first shown, each with its index in the list.
pub fn in_view<T>(rows: &[T], first: usize, height: usize) -> impl Iterator<Item = (usize, &T)> {
    rows.iter().enumerate().skip(first).take(height)
}

/// Rows of one or more lines each, the selected row (`true`) in view; with none selected and
/// `follow_end`, the newest (last) rows show.
pub fn draw_rows(
    frame: &mut Frame,
    area: Rect,
    rows: Vec<(Vec<Line<'static>>, bool)>,
    follow_end: bool,
) {
    let height = area.height as usize;
    let total: usize = rows.iter().map(|(lines, _)| lines.len()).sum();
    let selected_end: usize = rows
        .iter()
        .scan(0usize, |acc, (lines, selected)| {
            *acc += lines.len();
            Some((*acc, *selected))
        })
        .find(|(_, s)| *s)
        .map(|(end, _)| end)
        .unwrap_or(if follow_end { total } else { 0 });
    let skip = selected_end.saturating_sub(height);
    let lines: Vec<Line> = rows
        .into_iter()
        .flat_map(|(lines, _)| lines)
        .skip(skip)
        .take(height)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movement_keys_stay_inside_the_list() {
        let mut list = ListState::default();
        assert!(list.steer(Action::Down, 3));
        assert_eq!(list.selected, 1);
        list.steer(Action::PageDown, 3);
        assert_eq!(list.selected, 2);
        list.steer(Action::Top, 3);
        assert_eq!(list.selected, 0);
        list.steer(Action::Up, 3);
        assert_eq!(list.selected, 0);
        list.steer(Action::Bottom, 0);
        assert_eq!(list.selected, 0, "an empty list");
        assert!(!list.steer(Action::Open, 3), "not a movement");
    }

    #[test]
    fn a_filter_keeps_lines_with_every_word() {
        assert!(matches("支援 江東", &["地域自立支援協議会", "江東区"]));
        assert!(!matches("支援 江東", &["地域自立支援協議会", "墨田区"]));
        assert!(matches("", &[]));
    }

    #[test]
    fn the_view_follows_the_selection() {
        // Ten lines in view: the fifth is shown from the top; the 30th with one line below it.
        assert_eq!(first_shown(4, 10, 1), 0);
        assert_eq!(first_shown(29, 10, 1), 21);
        assert_eq!(first_shown(29, 10, 0), 20);
        assert_eq!(page_start(25, 10), 18);
        assert_eq!(page_start(3, 1), 3, "a one-line pane still turns");
    }
}
