//! The report as a workbook: a first sheet with the title, what was counted and how, then one
//! sheet per table — each table has its own columns (bodies, kinds, agencies), so each gets its
//! own widths, a header frozen at the top and printed on every page, and a tab of its name. The
//! stacked layout of seed 003's printed pages is what the CSV export gives.

use super::csv::{header, layouts};
use super::{Report, Table, Value};
use crate::office::xlsx::{Cell, Sheet};

/// The sheets of the report.
pub fn sheets(report: &Report) -> Vec<Sheet> {
    let lang = report.lang;
    let mut notes = vec![
        lang.pick("集計の方法", "How the numbers are counted")
            .to_owned(),
    ];
    notes.extend(report.definitions.iter().cloned());
    let mut lead = vec![report.title.clone()];
    lead.extend(report.scope.iter().cloned());
    let mut out = vec![Sheet {
        name: lang.pick("概要", "Summary").to_owned(),
        title: report.title.clone(),
        lead,
        notes,
        ..Sheet::default()
    }];
    out.extend(report.tables.iter().map(|t| table_sheet(report, t)));
    out
}

fn table_sheet(report: &Report, table: &Table) -> Sheet {
    let lang = report.lang;
    let layouts = layouts(table);
    let headers = header(table, lang, &layouts);
    let rows = table
        .rows
        .iter()
        .map(|row| {
            let mut cells: Vec<Cell> = row.labels.iter().map(Cell::text).collect();
            for (v, layout) in row.values.iter().zip(&layouts) {
                cells.push(value(*v));
                if layout.percent {
                    cells.push(match *v {
                        Value::Share { count, total } if total > 0 => {
                            Cell::Percent(count as f64 / total as f64)
                        }
                        Value::Share { .. } => Cell::Percent(0.0),
                        _ => Cell::Empty,
                    });
                }
                if layout.source {
                    cells.push(Cell::text(if v.is_published() {
                        lang.pick("実績", "published")
                    } else {
                        lang.pick("記録", "recorded")
                    }));
                }
            }
            cells
        })
        .collect();
    Sheet {
        name: table.title.clone(),
        title: format!("{} {}", report.title, table.title),
        lead: vec![table.title.clone()],
        headers,
        rows,
        notes: table.notes.clone(),
        filter: false,
    }
}

/// A count as a number; a mean to one decimal.
fn value(v: Value) -> Cell {
    match v {
        Value::Mean { sum, over } if over > 0 => Cell::Decimal(sum as f64 / over as f64),
        Value::Mean { .. } => Cell::Empty,
        other => Cell::count(other.count() as f64),
    }
}
