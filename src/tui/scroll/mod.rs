//! Scrolling the terminal instead of redrawing it: when a list moves by a line, most of the
//! screen is the same rows one line up or down. ratatui's diffed redraw sends every cell of every
//! moved row again — at ward scale about 1 400 bytes for one `j` at the bottom of the home list,
//! over an SSH link at every keystroke. [`Scrolling`] sits between ratatui and the terminal's
//! backend, keeps what the terminal shows, and when a band of whole rows of the next frame is the
//! same as a band of the screen a few lines away, asks the terminal to scroll that band (a
//! scrolling region: `ESC[top;bottomr ESC[nS ESC[r`, which every terminal in use since the VT100
//! understands) and sends only what then still differs.
//!
//! The band is never the top row, so nothing goes into the terminal's scrollback; and the frame
//! before a scroll has always ended with every colour reset, so the lines a scroll brings in are
//! blank in the default colours, as ratatui's empty cells are.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};
use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Range;

/// A backend that scrolls bands of rows which moved instead of drawing them again.
pub struct Scrolling<B: Backend> {
    inner: B,
    /// What the terminal shows; `None` once something other than a frame changed it (a partial
    /// clear), until the next full clear.
    shown: Option<Buffer>,
    /// Whether the screen is still as ratatui assumes before its first frame: blank.
    fresh: bool,
    /// Whether the terminal's cursor is hidden, as far as it was told through here (`None`:
    /// not known). ratatui hides it at every frame; saying it again sends bytes that change
    /// nothing, four times a second on an idle screen.
    hidden: Option<bool>,
}

impl<B: Backend> Scrolling<B> {
    pub fn new(inner: B) -> Scrolling<B> {
        Scrolling {
            inner,
            shown: None,
            fresh: true,
            hidden: None,
        }
    }

    /// For a terminal of a known, fixed size (a fixed viewport), which is not asked for it.
    pub fn with_area(inner: B, area: Rect) -> Scrolling<B> {
        Scrolling {
            inner,
            shown: Some(Buffer::empty(area)),
            fresh: false,
            hidden: None,
        }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    fn blank(&self) -> Result<Buffer, B::Error> {
        let size = self.inner.size()?;
        Ok(Buffer::empty(Rect::new(0, 0, size.width, size.height)))
    }
}

/// What one scroll costs, in bytes: its three sequences.
const SCROLL_COST: usize = 15;

/// What starting to draw on a row costs, in bytes: a cursor move and a colour change.
const ROW_COST: usize = 16;

/// One scroll of a band of rows: `rows` (half-open) moved up (`by` > 0) or down (`by` < 0).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scroll {
    rows: Range<u16>,
    by: i32,
}

impl Scroll {
    /// The screen after the terminal performed this scroll: the band's rows moved, the rows it
    /// leaves behind blank.
    fn apply(&self, screen: &mut Buffer) {
        let width = usize::from(screen.area.width);
        let start = usize::from(self.rows.start) * width;
        let end = usize::from(self.rows.end) * width;
        let band = &mut screen.content[start..end];
        let cells = self.by.unsigned_abs() as usize * width;
        if cells >= band.len() {
            band.fill(Cell::EMPTY);
        } else if self.by > 0 {
            band.rotate_left(cells);
            let len = band.len();
            band[len - cells..].fill(Cell::EMPTY);
        } else {
            band.rotate_right(cells);
            band[..cells].fill(Cell::EMPTY);
        }
    }
}

/// The columns a cell takes, as ratatui counts them (its buffer's layout is what is drawn).
fn cell_width(cell: &Cell) -> usize {
    use ratatui::buffer::CellWidth;
    match cell.diff_option {
        CellDiffOption::ForcedWidth(w) => usize::from(w.get()),
        _ => usize::from(cell.symbol().cell_width()),
    }
}

/// Sets the cells ratatui's diff sent onto `screen`, and as ratatui's buffer does, blanks the
/// columns a double-width character covers.
fn apply_updates<'a>(screen: &mut Buffer, updates: impl Iterator<Item = (u16, u16, &'a Cell)>) {
    for (x, y, cell) in updates {
        let Some(target) = screen.cell_mut((x, y)) else {
            continue;
        };
        *target = cell.clone();
        for covered in 1..cell_width(cell) {
            let Ok(dx) = u16::try_from(covered) else {
                break;
            };
            match screen.cell_mut((x.saturating_add(dx), y)) {
                Some(next) => next.reset(),
                None => break,
            }
        }
    }
}

/// Each row's hash, to find rows that moved. foldhash, not std's SipHash (a fifth of a
/// navigation keystroke was SipHash here): a hash only picks candidates, which the rows' cells
/// are compared to confirm.
fn row_hashes(screen: &Buffer) -> Vec<u64> {
    let width = usize::from(screen.area.width).max(1);
    let state = foldhash::fast::FixedState::default();
    screen
        .content
        .chunks(width)
        .map(|row| {
            let mut h = state.build_hasher();
            for cell in row {
                // `Cell`'s equality takes an empty symbol as a space: hash it so too.
                match cell.symbol() {
                    "" => " ".hash(&mut h),
                    s => s.hash(&mut h),
                }
                (cell.fg, cell.bg, cell.modifier).hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

fn row(screen: &Buffer, y: usize) -> &[Cell] {
    let width = usize::from(screen.area.width);
    &screen.content[y * width..(y + 1) * width]
}

/// The scroll that leaves the fewest cells to send, if it saves more than it costs. Candidates
/// are the runs of at least two rows of `next` that `shown` holds a few rows away, as a band of
/// exactly those rows or reaching a few rows further (a row that changed only in part, such as
/// the line that was selected, is cheaper moved and touched up than drawn anew); the top row is
/// never part of a band.
fn best_scroll(shown: &Buffer, next: &Buffer) -> Option<Scroll> {
    if shown.area != next.area || shown.area.height < 4 || shown.area.width == 0 {
        return None;
    }
    let height = usize::from(shown.area.height);
    let (old, new) = (row_hashes(shown), row_hashes(next));
    let same = |r: usize, s: usize| old[s] == new[r] && row(shown, s) == row(next, r);
    // Cells of row `r` of the next frame to send if the screen's row there holds row `s`
    // (`None`: a blank row).
    // In bytes, roughly: each differing cell its character's UTF-8 length, and a row with any
    // difference a cursor move and a colour change more.
    let cost = |r: usize, s: Option<usize>| -> usize {
        let bytes = |c: &Cell| c.symbol().len();
        let sent: usize = match s {
            Some(s) if same(r, s) => 0,
            Some(s) => row(next, r)
                .iter()
                .zip(row(shown, s))
                .filter(|(a, b)| a != b)
                .map(|(a, _)| bytes(a))
                .sum(),
            None => row(next, r)
                .iter()
                .filter(|c| **c != Cell::EMPTY)
                .map(bytes)
                .sum(),
        };
        if sent == 0 { 0 } else { sent + ROW_COST }
    };
    let in_place: Vec<usize> = (0..height).map(|r| cost(r, Some(r))).collect();
    // The candidate bands overlap (each run is tried reaching up to three rows further, for
    // every distance): each row's cost blank, and moved from each row, is counted once.
    let mut blank: Vec<Option<usize>> = vec![None; height];
    let mut moved: Vec<Option<usize>> = Vec::new();
    let mut best: Option<(usize, Scroll)> = None;
    for by in (1..height as i32 - 1).flat_map(|k| [k, -k]) {
        let matches = |r: usize| {
            let s = r as i32 + by;
            s >= 1 && (s as usize) < height && same(r, s as usize)
        };
        let mut r = 1;
        while r < height {
            if !matches(r) {
                r += 1;
                continue;
            }
            let start = r;
            while r < height && matches(r) {
                r += 1;
            }
            if r - start < 2 || (start..r).filter(|&r| in_place[r] > 0).count() < 2 {
                continue;
            }
            // The rows of the next frame the band's moved rows land on.
            let landed = start as i32..r as i32;
            for (up, down) in [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (2, 0), (3, 0)] {
                let landed = landed.start - up..landed.end + down;
                // The band: where the moved rows come from and where they land.
                let rows = landed.start.min(landed.start + by)..landed.end.max(landed.end + by);
                if rows.start < 1 || rows.end > height as i32 {
                    continue;
                }
                let saved: i64 = (rows.start..rows.end)
                    .map(|t| {
                        let t = t as usize;
                        let from = t as i32 + by;
                        let after = if rows.contains(&from) {
                            let from = from as usize;
                            if moved.is_empty() {
                                moved.resize(height * height, None);
                            }
                            *moved[t * height + from].get_or_insert_with(|| cost(t, Some(from)))
                        } else {
                            *blank[t].get_or_insert_with(|| cost(t, None))
                        };
                        in_place[t] as i64 - after as i64
                    })
                    .sum();
                let saved = saved - SCROLL_COST as i64;
                if saved > 0 && best.as_ref().is_none_or(|(s, _)| saved as usize > *s) {
                    let rows = rows.start as u16..rows.end as u16;
                    best = Some((saved as usize, Scroll { rows, by }));
                }
            }
        }
    }
    best.map(|(_, scroll)| scroll)
}

/// The updates, with the second column of a double-width character on screen added where only
/// its first is overwritten by something narrower. Terminals clear such a character whole when
/// text is written over half of it, but not all do when it is erased (`ESC[nX`, which the wire
/// uses for runs of blanks: tmux leaves the second column behind as a cell of its own, and the
/// row one column short).
fn whole_wide_characters<'a>(
    updates: &[(u16, u16, &'a Cell)],
    shown: &Buffer,
    next: &'a Buffer,
) -> Vec<(u16, u16, &'a Cell)> {
    let mut out = Vec::with_capacity(updates.len());
    for (i, &(x, y, cell)) in updates.iter().enumerate() {
        out.push((x, y, cell));
        let covered = shown.cell((x, y)).map_or(1, cell_width);
        if covered < 2 || cell_width(cell) >= covered {
            continue;
        }
        let written_up_to = x.saturating_add(cell_width(cell).max(1) as u16);
        for cx in written_up_to..x.saturating_add(covered as u16) {
            // The updates come row by row, left to right: only the next one can be there.
            let already = updates
                .get(i + 1)
                .is_some_and(|&(ux, uy, _)| uy == y && ux <= cx);
            if let (false, Some(c)) = (already, next.cell((cx, y)))
                && cell_width(c) == 1
            {
                out.push((cx, y, c));
            }
        }
    }
    out
}

/// The updates with short gaps between two on one row filled with the (unchanged) cells
/// between them, where sending those cells is shorter than moving the cursor over them
/// (`ESC[C`, three bytes): the blanks left where a longer double-width text stood are otherwise
/// sent as a space and a move for every character erased.
fn fill_gaps<'a>(updates: &[(u16, u16, &'a Cell)], next: &'a Buffer) -> Vec<(u16, u16, &'a Cell)> {
    const MOVE_BYTES: usize = 3;
    let mut filled = Vec::with_capacity(updates.len());
    for (i, &(x, y, cell)) in updates.iter().enumerate() {
        filled.push((x, y, cell));
        let Some(&(to, next_y, _)) = updates.get(i + 1) else {
            continue;
        };
        let from = usize::from(x) + cell_width(cell).max(1);
        if next_y != y || usize::from(to) <= from {
            continue;
        }
        let gap: Option<Vec<&Cell>> = (from..usize::from(to))
            .map(|gx| next.cell((u16::try_from(gx).ok()?, y)))
            .collect();
        let Some(gap) = gap else {
            continue;
        };
        let bytes: usize = gap.iter().map(|c| c.symbol().len()).sum();
        let fits = gap.iter().all(|c| {
            cell_width(c) == 1
                && c.fg == cell.fg
                && c.bg == cell.bg
                && c.modifier == cell.modifier
                && c.underline_color == cell.underline_color
        });
        if fits && bytes <= MOVE_BYTES {
            filled.extend(gap.into_iter().zip(from..).map(|(c, gx)| (gx as u16, y, c)));
        }
    }
    filled
}

impl<B: Backend> Backend for Scrolling<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.shown.is_none() && self.fresh {
            self.shown = Some(self.blank()?);
        }
        let Some(mut shown) = self.shown.take() else {
            // Nothing to draw sends nothing (the backend would reset the colours all the same).
            let mut content = content.peekable();
            if content.peek().is_none() {
                return Ok(());
            }
            return self.inner.draw(content);
        };
        let content: Vec<(u16, u16, &Cell)> = content.collect();
        let mut next = shown.clone();
        apply_updates(&mut next, content.iter().copied());
        let moved = match best_scroll(&shown, &next) {
            Some(scroll) => {
                if scroll.by > 0 {
                    self.inner
                        .scroll_region_up(scroll.rows.clone(), scroll.by.unsigned_abs() as u16)?;
                } else {
                    self.inner
                        .scroll_region_down(scroll.rows.clone(), scroll.by.unsigned_abs() as u16)?;
                }
                scroll.apply(&mut shown);
                Some(shown.diff(&next))
            }
            None => None,
        };
        // Without a scroll, what differs from the screen is what ratatui's own diff gave (its
        // previous frame is what the screen shows): diffing the two frames again was a sixth
        // of a navigation keystroke.
        let updates = whole_wide_characters(moved.as_deref().unwrap_or(&content), &shown, &next);
        // An unchanged frame sends nothing: an idle screen is silent on the wire.
        if !updates.is_empty() {
            self.inner.draw(fill_gaps(&updates, &next).into_iter())?;
        }
        self.shown = Some(next);
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.shown = None;
        self.fresh = false;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.hidden != Some(true) {
            self.inner.hide_cursor()?;
            self.hidden = Some(true);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.hidden != Some(false) {
            self.inner.show_cursor()?;
            self.hidden = Some(false);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()?;
        self.shown = Some(self.blank()?);
        // Cleared after the terminal was given back and taken again (Ctrl-Z, `fg`): whatever
        // was said of the cursor meanwhile, it is said again.
        self.hidden = None;
        Ok(())
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        if clear_type == ClearType::All {
            return self.clear();
        }
        self.shown = None;
        self.fresh = false;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }

    fn scroll_region_up(&mut self, region: Range<u16>, line_count: u16) -> Result<(), Self::Error> {
        self.shown = None;
        self.fresh = false;
        self.inner.scroll_region_up(region, line_count)
    }

    fn scroll_region_down(
        &mut self,
        region: Range<u16>,
        line_count: u16,
    ) -> Result<(), Self::Error> {
        self.shown = None;
        self.fresh = false;
        self.inner.scroll_region_down(region, line_count)
    }
}

#[cfg(test)]
mod tests;
