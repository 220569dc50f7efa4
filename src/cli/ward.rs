//! `renkei ward`: the database's identity — its ward (区) and 全国地方公共団体コード — and the
//! other wards whose records it holds; `renkei ward set NAME [--code NNNNNN]` names it.

use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::io::Write;

use super::{ListFormat, Session, open, open_or_create, say, write_json};
use crate::i18n::Lang;
use crate::interchange::WardRecord;
use crate::store::Ward;

#[derive(Debug, Subcommand)]
pub enum WardCommand {
    /// Name this database's ward, with its local government code (全国地方公共団体コード, six
    /// digits with the check digit; five are completed) when known
    Set {
        /// The ward's name, e.g. 江東区
        name: String,
        /// The local government code, e.g. 131083 (not given: the ward's code is kept)
        #[arg(long, value_name = "NNNNNN")]
        code: Option<String>,
    },
}

pub use crate::store::ward::ward_label;

pub fn ward(
    ctx: &Session,
    command: Option<WardCommand>,
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    // Naming the ward may be the first thing done with a new database.
    let mut store = match command {
        Some(WardCommand::Set { .. }) => open_or_create(ctx)?,
        _ => open(ctx)?,
    };
    let lang = ctx.lang;
    if let Some(WardCommand::Set { name, code }) = command {
        let ward = store.set_ward(&name, code.as_deref())?;
        return match format {
            ListFormat::Json => write_json(out, &record_json(&ward)),
            ListFormat::Table => {
                let label = ward_label(&ward.name, ward.code.as_deref(), lang);
                say(
                    out,
                    &match lang {
                        Lang::Ja => format!("このデータベースの区を設定しました: {label}"),
                        Lang::En => format!("This database's ward is now {label}"),
                    },
                )
            }
        };
    }
    let wards = store.wards()?;
    match format {
        ListFormat::Json => {
            let list: Vec<_> = wards.iter().map(ward_json).collect();
            let (own, others) = list
                .split_first()
                .map_or((json!(null), &[][..]), |(o, r)| (o.clone(), r));
            write_json(out, &json!({ "ward": own, "others": others }))
        }
        ListFormat::Table => {
            // A ward without a code is told from another of its name by its uid's start.
            let labels = store.ward_labels()?;
            for (i, w) in wards.iter().enumerate() {
                let label = match w.code {
                    Some(_) => ward_label(&w.name, w.code.as_deref(), lang),
                    None => labels.label(w.id, lang),
                };
                if w.is_home() {
                    say(
                        out,
                        &match lang {
                            Lang::Ja => format!("区: {label}"),
                            Lang::En => format!("Ward: {label}"),
                        },
                    )?;
                    say(out, &format!("ID: {}", w.uid))?;
                    if w.name.trim().is_empty() {
                        say(
                            out,
                            lang.pick(
                                "名前は `renkei ward set 江東区 --code 131083` のように設定します。",
                                "Name it with `renkei ward set NAME --code NNNNNN`.",
                            ),
                        )?;
                    }
                    continue;
                }
                if i == 1 {
                    say(
                        out,
                        lang.pick(
                            "ほかの区の記録（取り込んだもの）:",
                            "Records of other wards (imported):",
                        ),
                    )?;
                }
                let counts = match lang {
                    Lang::Ja => format!("会議体 {} 件、会議 {} 件", w.bodies, w.meetings),
                    Lang::En => format!("{} bodies, {} meetings", w.bodies, w.meetings),
                };
                say(out, &format!("  {label}: {counts}"))?;
            }
            Ok(())
        }
    }
}

fn record_json(w: &WardRecord) -> serde_json::Value {
    json!({ "uid": w.uid, "name": w.name, "code": w.code })
}

fn ward_json(w: &Ward) -> serde_json::Value {
    json!({
        "uid": w.uid,
        "name": w.name,
        "code": w.code,
        "bodies": w.bodies,
        "meetings": w.meetings,
    })
}
