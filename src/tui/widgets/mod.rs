//! What several screens draw with, written once: bordered blocks and text cut to its cells, a
//! list's selection and filter ([`list`]), a scrolling document ([`document`]), forms
//! ([`form`]) and their picker ([`picker`]), Japanese wrapped by its rules ([`kinsoku`]), a detail pane that waits for the keys to
//! pause ([`detail`]), and the pass for terminals that draw ambiguous characters wide
//! ([`wide`]), and dates in few cells ([`day`]). Text is cut by display width here, never by ratatui's wrap.

pub mod day;
pub mod detail;
pub mod document;
pub mod form;
pub mod kinsoku;
pub mod list;
pub mod picker;
pub mod wide;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear};

use crate::text::{inert, truncate, width};
use crate::tui::theme::Theme;

/// Below this the app shows a notice instead of a screen.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;
/// At or above this the screens use their full, multi-pane layout.
pub const FULL_WIDTH: u16 = 80;
pub const FULL_HEIGHT: u16 = 20;

/// A bordered block with the theme's border characters and a title cut to fit.
pub fn block<'a>(theme: &Theme, title: &str, area_width: u16, focused: bool) -> Block<'a> {
    let style = if focused { theme.accent } else { theme.border };
    let title = truncate(&inert(title), area_width.saturating_sub(4) as usize);
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(style)
        .title(Span::styled(
            format!(" {title} "),
            if focused { theme.accent } else { theme.title },
        ))
}

/// A line of text cut to `cells` display cells.
pub fn cut<'a>(text: &str, cells: u16, style: Style) -> Span<'a> {
    Span::styled(truncate(&inert(text), cells as usize), style)
}

/// A line of spans cut to `cells`: what does not fit is dropped, so a narrow terminal never
/// wraps it.
pub fn fit_spans(spans: Vec<Span<'static>>, cells: u16) -> Vec<Span<'static>> {
    let mut used = 0;
    let mut out = Vec::new();
    for span in spans {
        let w = width(&span.content);
        if used + w > cells as usize {
            let room = (cells as usize).saturating_sub(used);
            if room > 0 {
                out.push(Span::styled(truncate(&span.content, room), span.style));
            }
            break;
        }
        used += w;
        out.push(span);
    }
    out
}

/// A rectangle of at most `w`×`h` cells in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clears the ground of a popup. One column more on each side: a double-width character cut by
/// the popup's edge would otherwise eat its border on a real terminal.
pub fn clear_popup(frame: &mut Frame, rect: Rect) {
    let outer = frame.area();
    let x = rect.x.saturating_sub(1).max(outer.x);
    let right = (rect.x + rect.width + 1).min(outer.x + outer.width);
    let cleared = Rect {
        x,
        y: rect.y,
        width: right - x,
        height: rect.height,
    };
    frame.render_widget(Clear, cleared);
    if crate::text::ambiguous() == crate::text::Ambiguous::Wide {
        wide::unwrite(frame.buffer_mut(), cleared);
    }
}
