//! The upcoming list as iCalendar (RFC 5545), for Outlook and Google Calendar: scheduled meetings
//! as timed events, expected windows as tentative all-day events.

use anyhow::Result;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};

use crate::domain::schedule::Upcoming;
use crate::i18n::Lang;
use crate::store::Store;
use crate::text::inert_lines as text;
use crate::upcoming::Listing;

pub fn calendar(
    listing: &Listing,
    store: &Store,
    now: DateTime<FixedOffset>,
    lang: Lang,
) -> Result<String> {
    let stamp = now.with_timezone(&Utc);
    let offset = *now.offset();
    let mut cal = Calendar::new();
    cal.name(lang.pick("renkei 会議予定", "renkei meetings"));
    // Every text value made inert (no ESC, no bare CR) before the crate escapes it per RFC 5545
    // (backslash, comma, semicolon and line breaks).
    for entry in &listing.entries {
        let mut event = icalendar::Event::new();
        event.timestamp(stamp);
        match &entry.item {
            Upcoming::Scheduled { meeting_id, date } => {
                let details = store.meeting_record(*meeting_id)?;
                let (start, end, place) = details.map(|m| (m.start, m.end, m.place)).unwrap_or((
                    None,
                    None,
                    String::new(),
                ));
                event.uid(&format!("meeting-{meeting_id}@renkei"));
                event.summary(&text(&entry.body.name));
                match start
                    .as_deref()
                    .and_then(|s| NaiveTime::parse_from_str(s, "%H:%M").ok())
                {
                    Some(start) => {
                        let begins = local(offset, *date, start);
                        let ends = end
                            .as_deref()
                            .and_then(|e| NaiveTime::parse_from_str(e, "%H:%M").ok())
                            .map(|e| local(offset, *date, e))
                            .filter(|e| *e > begins)
                            .unwrap_or(begins + Duration::hours(1));
                        event.starts(begins).ends(ends);
                    }
                    None => {
                        event.all_day(*date);
                    }
                }
                if !place.is_empty() {
                    event.location(&text(&place));
                }
                event.status(EventStatus::Confirmed);
            }
            Upcoming::Expected { window, overdue } => {
                event.uid(&format!(
                    "expected-{}-{}@renkei",
                    entry.body.id,
                    window.from.format("%Y%m%d")
                ));
                let label = if *overdue {
                    lang.pick("（期限超過）", "(overdue) ")
                } else {
                    lang.pick("（開催見込み）", "(expected) ")
                };
                event.summary(&text(&format!("{label}{}", entry.body.name)));
                event
                    .starts(window.from)
                    .ends(window.to + Duration::days(1));
                event.status(EventStatus::Tentative);
                event.add_property("TRANSP", "TRANSPARENT");
            }
        }
        event.description(&text(&format!(
            "{}: {}\n{}: {}",
            lang.pick("主催者", "Organiser"),
            entry.body.organiser,
            lang.pick("開催頻度", "Frequency"),
            entry.body.frequency.text
        )));
        cal.push(event.done());
    }
    Ok(cal.done().to_string())
}

fn local(offset: FixedOffset, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&date.and_time(time)))
}
