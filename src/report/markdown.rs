//! The report as Markdown: CommonMark with GFM tables, numbers right-aligned, every name a user
//! typed escaped so that it stays text.

use super::{Report, Table};
use crate::document::escape::{cell, inline};

pub fn render(report: &Report) -> String {
    let mut out = format!("# {}\n\n", inline(&report.title));
    for line in &report.scope {
        out.push_str(&format!("- {}\n", inline(line)));
    }
    for table in &report.tables {
        out.push('\n');
        push_table(&mut out, table, report);
    }
    out.push_str(&format!(
        "\n## {}\n\n",
        report
            .lang
            .pick("集計の方法", "How the numbers are counted")
    ));
    for line in &report.definitions {
        out.push_str(&format!("- {}\n", inline(line)));
    }
    out
}

fn push_table(out: &mut String, table: &Table, report: &Report) {
    out.push_str(&format!("## {}\n\n", inline(&table.title)));
    let headers: Vec<String> = table
        .label_headers
        .iter()
        .chain(&table.value_headers)
        .map(|h| cell(h))
        .collect();
    push_row(out, &headers);
    let rule: Vec<String> = table
        .label_headers
        .iter()
        .map(|_| "---".to_owned())
        .chain(table.value_headers.iter().map(|_| "---:".to_owned()))
        .collect();
    push_row(out, &rule);
    for row in &table.rows {
        let cells: Vec<String> = row
            .labels
            .iter()
            .map(|l| cell(l))
            // Values are renkei's own digits and marks: escaping would print 6.2 as 6\.2.
            .chain(row.values.iter().map(|v| v.display(report.lang)))
            .collect();
        push_row(out, &cells);
    }
    if !table.notes.is_empty() {
        out.push('\n');
        for note in &table.notes {
            out.push_str(&format!("- {}\n", inline(note)));
        }
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        out.push_str(&format!(" {c} |"));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::report::{Row, RowKind, TableId, Value};

    fn report() -> Report {
        Report {
            lang: Lang::Ja,
            title: "年次報告 令和2年度".into(),
            years: vec![2020],
            scope: vec!["令和2年度: 2020-04-01 〜 2021-03-31".into()],
            tables: vec![Table {
                id: TableId::Agencies,
                title: "参加機関".into(),
                label_headers: vec!["参加機関".into()],
                value_headers: vec!["令和2年度".into()],
                rows: vec![
                    Row {
                        kind: RowKind::Item,
                        labels: vec!["A|B *社*".into()],
                        values: vec![Value::Count(3)],
                    },
                    Row {
                        kind: RowKind::Mean,
                        labels: vec!["1回あたり平均参加機関数".into()],
                        values: vec![Value::Mean { sum: 3, over: 2 }],
                    },
                ],
                notes: vec!["その他には、C".into()],
            }],
            definitions: vec!["開催済みの会議だけを数えます。".into()],
        }
    }

    #[test]
    fn user_text_is_escaped_and_numbers_are_not() {
        let text = render(&report());
        assert!(
            text.starts_with("# 年次報告 令和2年度\n\n- 令和2年度: "),
            "{text}"
        );
        assert!(
            text.contains("| 参加機関 | 令和2年度 |\n| --- | ---: |\n"),
            "{text}"
        );
        assert!(text.contains("| A\\|B \\*社\\* | 3 |"), "{text}");
        assert!(text.contains("| 1回あたり平均参加機関数 | 1.5 |"), "{text}");
        assert!(text.contains("\n- その他には、C\n"), "{text}");
        assert!(
            text.ends_with("## 集計の方法\n\n- 開催済みの会議だけを数えます。\n"),
            "{text}"
        );
    }

    #[test]
    fn csv_records_are_rectangular() {
        let rows = crate::report::csv::records(&report());
        let width = rows[0].len();
        assert!(rows.iter().all(|r| r.len() == width));
        assert!(rows.iter().any(|r| r[0] == "A|B *社*" && r[1] == "3"));
        assert!(
            rows.iter()
                .any(|r| r[0] == "1回あたり平均参加機関数" && r[1] == "1.5")
        );
    }
}
