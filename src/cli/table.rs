//! Plain-text tables laid out by display width, so Japanese columns line up.

use crate::text::{fit, inert, width};

pub struct Table {
    headers: Vec<String>,
    rows: Vec<Row>,
    max: Vec<usize>,
}

enum Row {
    Cells(Vec<String>),
    /// A heading between groups of rows, printed as it is.
    Section(String),
}

impl Table {
    /// `columns`: each header with the most cells its column may take.
    pub fn new(columns: &[(&str, usize)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| (*h).to_owned()).collect(),
            rows: Vec::new(),
            max: columns.iter().map(|(_, m)| *m).collect(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(Row::Cells(cells.iter().map(|c| inert(c)).collect()));
    }

    pub fn section(&mut self, heading: &str) {
        self.rows.push(Row::Section(inert(heading)));
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                let longest = self
                    .rows
                    .iter()
                    .filter_map(|r| match r {
                        Row::Cells(cells) => cells.get(i),
                        Row::Section(_) => None,
                    })
                    .chain(std::iter::once(&self.headers[i]))
                    .map(|c| width(c))
                    .max()
                    .unwrap_or(0);
                longest.min(self.max[i])
            })
            .collect();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                text.push_str(&fit(cells.get(i).map(String::as_str).unwrap_or(""), *w));
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&self.headers, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &mut out);
        for row in &self.rows {
            match row {
                Row::Cells(cells) => line(cells, &mut out),
                Row::Section(heading) => {
                    out.push_str(heading);
                    out.push('\n');
                }
            }
        }
        out
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
    fn escapes_are_inert_in_tables() {
        let mut t = Table::new(&[("name", 20)]);
        t.row(vec!["a\u{1b}[31mred".into()]);
        assert!(!t.render().contains('\u{1b}'));
    }
}
