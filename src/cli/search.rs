//! `renkei search`: past records that contain the words, across meetings, newest first — each
//! with its meeting (id, date, body), what kind of record it is, and the text around the match.

use anyhow::Result;
use serde_json::{Value, json};
use std::io::Write;

use super::table::Table;
use super::{ListFormat, Session, body_ids, date_flag, open, short_date, write_json};
use crate::i18n::{Lang, Msg, say};
use crate::store::search::{SearchFilters, SearchHit};

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The words to look for: a record must contain every one (one or two characters work too:
    /// 虐待, DV)
    #[arg(required = true, value_name = "TEXT")]
    pub words: Vec<String>,
    /// Only the meetings of this body
    #[arg(long, value_name = "NAME")]
    pub body: Option<String>,
    /// Meetings on or after this day (2026-12-05, 12/5, 来週金曜, 3日後 …)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Meetings on or before this day
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// At most N records
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// The cells the matched text takes in the table.
const EXCERPT_CELLS: usize = 56;

pub(super) fn search(ctx: &Session, args: SearchArgs, out: &mut dyn Write) -> Result<()> {
    let query = args.words.join(" ");
    if query.trim().is_empty() {
        return Err(Msg::new("search_empty").into());
    }
    let store = open(ctx)?;
    let today = ctx.clock.today();
    let from = args
        .from
        .as_deref()
        .map(|t| date_flag("--from", t, today))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|t| date_flag("--to", t, today))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(Msg::new("search_backwards")
            .with("from", from)
            .with("to", to)
            .into());
    }
    let bodies = match &args.body {
        Some(name) => body_ids(&store, name)?,
        None => Vec::new(),
    };
    let filters = SearchFilters { bodies, from, to };
    // One more than asked: to say that there are more.
    let mut hits = store.search(&query, &filters, args.limit.saturating_add(1))?;
    let more = hits.len() > args.limit;
    hits.truncate(args.limit);
    // Search reads every meeting and case at once, confidential ones too: who looked for what
    // is in the audit, as every other reader is.
    store.audit_search(&query, hits.len(), more)?;
    match args.format {
        ListFormat::Json => write_json(out, &Value::Array(hits.iter().map(hit_json).collect())),
        ListFormat::Table => {
            let several = crate::ledger_file::ward_names(&store, ctx.lang)?.is_some();
            let text = table(&hits, more, args.limit, ctx.lang, several);
            out.write_all(text.as_bytes())?; // inert: a Table makes every cell inert
            Ok(())
        }
    }
}

/// The hits as a table, with a 区 column when the database holds several wards (`several`).
fn table(hits: &[SearchHit], more: bool, limit: usize, lang: Lang, several: bool) -> String {
    if hits.is_empty() {
        return format!("{}\n", say(lang, "search_nothing", &[]));
    }
    let mut t = Table::new(&[
        (lang.pick("日付", "Date"), 16),
        (lang.pick("会議", "Meeting"), 7),
        (lang.pick("区", "Ward"), 10),
        (lang.pick("会議体", "Body"), 24),
        (lang.pick("種類", "Kind"), 14),
        (lang.pick("内容", "Text"), EXCERPT_CELLS),
    ]);
    for hit in hits {
        let closed = if hit.confidential {
            lang.pick(" [非公開]", " [closed]")
        } else {
            ""
        };
        t.row(vec![
            short_date(hit.date, lang),
            format!("#{}", hit.meeting_id),
            hit.ward.clone(),
            format!("{}{closed}", hit.body),
            hit.kind.label(lang).to_owned(),
            hit.excerpt(EXCERPT_CELLS),
        ]);
    }
    if !several {
        t.hide(2);
    }
    let mut text = t.render();
    if more {
        text.push_str(&say(lang, "search_more", &[("limit", limit.to_string())]));
        text.push('\n');
    }
    text
}

fn hit_json(hit: &SearchHit) -> Value {
    json!({
        "meeting_id": hit.meeting_id,
        "date": hit.date.format("%Y-%m-%d").to_string(),
        "body": hit.body,
        "body_id": hit.body_id,
        "ward": hit.ward,
        "confidential": hit.confidential,
        "kind": hit.kind.code(),
        "record_id": hit.record_id,
        "text": hit.text,
    })
}
