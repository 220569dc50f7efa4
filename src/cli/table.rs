//! Plain-text tables laid out by display width, so Japanese columns line up.
//!
//! A long listing (every meeting, every next action of a ward's ten years) is laid out without
//! holding its rows: [`Columns`] is measured over the rows once and writes them as they are read
//! a second time (both readings inside one read transaction, so they see the same rows). Two
//! readings rather than a sample of the first rows: the table comes out the same as one laid out
//! whole, a wide cell far down the list included, for the second query's few hundred
//! milliseconds. [`Table`] keeps its rows, for the short tables.

use std::io::Write;

use crate::text::{fit, inert, width};

/// The columns of a table: each header, the most cells it may take, and the widest cell seen.
pub struct Columns {
    headers: Vec<String>,
    max: Vec<usize>,
    widths: Vec<usize>,
    hidden: Vec<bool>,
    rows: usize,
}

impl Columns {
    /// `columns`: each header with the most cells its column may take.
    pub fn new(columns: &[(&str, usize)]) -> Columns {
        Columns {
            headers: columns.iter().map(|(h, _)| (*h).to_owned()).collect(),
            max: columns.iter().map(|(_, m)| *m).collect(),
            widths: columns.iter().map(|(h, _)| width(h)).collect(),
            hidden: vec![false; columns.len()],
            rows: 0,
        }
    }

    /// Takes a row's cells into the widths.
    pub fn measure(&mut self, cells: &[String]) {
        for (w, cell) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(width(&inert(cell)));
        }
        self.rows += 1;
    }

    /// The rows measured.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Leaves column `i` out of what is written (its cells are still given in every row).
    pub fn hide(&mut self, i: usize) {
        if let Some(h) = self.hidden.get_mut(i) {
            *h = true;
        }
    }

    /// The header and the rule under it.
    pub fn write_head(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_row(out, &self.headers)?;
        let rule: Vec<String> = (0..self.widths.len())
            .map(|i| "-".repeat(self.width(i)))
            .collect();
        self.line(out, &rule)
    }

    /// One row, its cells fitted to the columns (and made inert).
    pub fn write_row(&self, out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
        let cells: Vec<String> = cells.iter().map(|c| inert(c)).collect();
        self.line(out, &cells)
    }

    fn width(&self, i: usize) -> usize {
        self.widths[i].min(self.max[i])
    }

    fn line(&self, out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
        let mut text = String::new();
        let shown = (0..self.widths.len()).filter(|&i| !self.hidden[i]);
        for (n, i) in shown.enumerate() {
            if n > 0 {
                text.push_str("  ");
            }
            text.push_str(&fit(
                cells.get(i).map(String::as_str).unwrap_or(""),
                self.width(i),
            ));
        }
        // inert: every cell was made inert
        writeln!(out, "{}", text.trim_end())
    }
}

pub struct Table {
    columns: Columns,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// `columns`: each header with the most cells its column may take.
    pub fn new(columns: &[(&str, usize)]) -> Table {
        Table {
            columns: Columns::new(columns),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        let cells: Vec<String> = cells.iter().map(|c| inert(c)).collect();
        self.columns.measure(&cells);
        self.rows.push(cells);
    }

    /// Leaves column `i` out of what is written.
    pub fn hide(&mut self, i: usize) {
        self.columns.hide(i);
    }

    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Writing into memory cannot fail.
        let _ = self.write(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.columns.write_head(out)?;
        for cells in &self.rows {
            self.columns.line(out, cells)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_japanese_by_cells() {
        let mut t = Table::new(&[("会議名", 20), ("頻度", 10)]);
        t.row(vec!["江東区居住支援協議会".into(), "年1回（2月）".into()]);
        t.row(vec!["ケース会議".into(), "随時".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        let col = |l: &str| width(&l[..l.find(['年', '随', '頻']).unwrap()]);
        assert_eq!(col(lines[0]), col(lines[2]));
        assert_eq!(col(lines[2]), col(lines[3]));
    }

    #[test]
    fn columns_written_as_read_lay_out_as_a_whole_table() {
        let rows: Vec<Vec<String>> = (0..50)
            .map(|i| {
                let name = if i == 47 {
                    "ずっと下にある長い名前の会議体（城東地区）".to_owned()
                } else {
                    format!("会議{i}")
                };
                vec![i.to_string(), name, "a\u{1b}[31m".to_owned()]
            })
            .collect();
        let spec = [("ID", 4), ("会議体", 30), ("x", 10)];
        let mut whole = Table::new(&spec);
        let mut columns = Columns::new(&spec);
        for r in &rows {
            whole.row(r.clone());
            columns.measure(r);
        }
        let mut streamed = Vec::new();
        columns.write_head(&mut streamed).unwrap();
        for r in &rows {
            columns.write_row(&mut streamed, r).unwrap();
        }
        assert_eq!(String::from_utf8(streamed).unwrap(), whole.render());
        // The wide cell far down the list widened its column to the most it may take.
        let header = whole.render().lines().next().unwrap().to_owned();
        assert_eq!(width(&header[..header.find('x').unwrap()]), 2 + 2 + 30 + 2);
        assert!(!whole.render().contains('\u{1b}'));
    }

    #[test]
    fn a_hidden_column_is_left_out() {
        let mut columns = Columns::new(&[("a", 5), ("b", 5), ("c", 5)]);
        columns.measure(&["1".into(), "2".into(), "3".into()]);
        columns.hide(1);
        let mut out = Vec::new();
        columns
            .write_row(&mut out, &["1".into(), "2".into(), "3".into()])
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "1  3\n");
    }

    #[test]
    fn escapes_are_inert_in_tables() {
        let mut t = Table::new(&[("name", 20)]);
        t.row(vec!["a\u{1b}[31mred".into()]);
        assert!(!t.render().contains('\u{1b}'));
    }
}
