//! For terminals that draw East Asian ambiguous characters (○ ※ →) two cells wide
//! (`ambiguous_width = 2` in the config). The screens measure text that way already
//! (crate::text), but ratatui gives each such character one cell, so a line holding one would end
//! a cell further right on the terminal than in the buffer and push its border out. This pass
//! moves the cells to where the terminal draws them: each ambiguous character becomes a two-cell
//! one, and the extra cell is taken from the line's slack — cells no widget wrote, marked before
//! drawing — so what follows the slack (a border, the next pane) stays in place.

use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::Rect;
use std::num::NonZeroU16;

use crate::text::is_ambiguous;

/// The mark of a cell no widget wrote: two private-use characters, where a written cell holds
/// one grapheme.
const UNWRITTEN: &str = "\u{F8FF}\u{F8FF}";

/// Marks every cell of `area` as not written.
pub fn unwrite(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buf[(x, y)].set_symbol(UNWRITTEN);
        }
    }
}

/// Lays each row out as the terminal will draw it, and blanks the cells left unwritten.
pub fn settle(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let row: Vec<Cell> = (area.left()..area.right())
            .map(|x| buf[(x, y)].clone())
            .collect();
        for (x, cell) in (area.left()..area.right()).zip(spread(row, area.width as usize)) {
            buf[(x, y)] = cell;
        }
    }
}

/// One row: two cells for every ambiguous character, one unwritten cell fewer for each.
fn spread(row: Vec<Cell>, width: usize) -> Vec<Cell> {
    let two = NonZeroU16::MIN.saturating_add(1);
    let mut out = Vec::with_capacity(width + 4);
    let mut owed = 0usize;
    for mut cell in row {
        if cell.symbol() == UNWRITTEN {
            if owed > 0 {
                owed -= 1;
                continue;
            }
            cell.set_symbol(" ");
            out.push(cell);
        } else if is_ambiguous(cell.symbol()) {
            let mut covered = cell.clone();
            covered.set_symbol(" ");
            cell.diff_option = CellDiffOption::ForcedWidth(two);
            out.push(cell);
            out.push(covered);
            owed += 1;
        } else {
            out.push(cell);
        }
    }
    out.truncate(width);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};

    fn row(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect::<Vec<_>>()
            .join("")
    }

    #[test]
    fn an_ambiguous_character_takes_two_cells_and_the_border_stays() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        let all = buf.area;
        unwrite(&mut buf, all);
        buf.set_string(0, 0, "|", Style::default());
        buf.set_string(1, 0, "○a b", Style::default().fg(Color::Red));
        buf.set_string(9, 0, "|", Style::default());
        buf.set_string(0, 1, "|ab", Style::default());
        buf.set_string(9, 1, "|", Style::default());
        settle(&mut buf);
        assert_eq!(row(&buf, 0), "|○ a b   |");
        assert_eq!(row(&buf, 1), "|ab      |");
        assert_eq!(
            buf[(1, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::MIN.saturating_add(1))
        );
        assert_eq!(
            buf[(2, 0)].fg,
            Color::Red,
            "the covered cell keeps the style"
        );
    }

    #[test]
    fn a_row_without_slack_is_cut_at_the_edge() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf.set_string(0, 0, "※abc", Style::default());
        settle(&mut buf);
        assert_eq!(row(&buf, 0), "※ ab");
    }
}
