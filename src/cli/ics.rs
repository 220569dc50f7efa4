//! The upcoming list as iCalendar (RFC 5545), for Outlook, Google Calendar, Thunderbird, khal
//! and calcurse.
//!
//! - **Times are the meeting zone's** (`time_zone`, Asia/Tokyo), written as wall-clock times with
//!   `TZID` and a `VTIMEZONE` giving that zone's rules over the times written — never converted
//!   through the machine's `TZ`. A meeting without a start time is an all-day event of its day.
//! - **Every meeting dated in the range** is an event, whatever its state: planned, in progress,
//!   held, or cancelled (`STATUS:CANCELLED`, so that a calendar that had it planned cancels it);
//!   so is one of the day before that ends in the range (a night meeting, 23:30–翌00:40), and,
//!   when the range holds today, a meeting running (開催中) whatever its date, as the upcoming
//!   list lists it.
//! - **The same meeting is always the same event**: `UID` is the meeting's global id at its
//!   ward's global id (`<meeting uid>@<ward uid>.renkei`), so two databases never share one and
//!   holding or moving a meeting keeps it. The ward's uid, not its code: a code set later would
//!   change every UID and duplicate every event.
//! - **An unchanged calendar is the same file**: `DTSTAMP` and `LAST-MODIFIED` are when the
//!   record last changed (its revision, see `store::schema`), not when the file was written, and
//!   `SEQUENCE` counts the seconds from 2020 to then, so it grows with every change and a
//!   calendar program replaces its copy instead of keeping the old one.
//! - **Confidential meetings** (a closed meeting, a body that shares personal information, a
//!   meeting that discusses or reviews a case, a body that keeps a ledger of cases) are
//!   `CLASS:CONFIDENTIAL` and say no more than the body's name and organiser: no place (a home
//!   visit's address, a school's name point to the household) and no case; the organiser as
//!   the redacted minutes show it (a recorded person typed into it replaced), as is a
//!   confidential body's expected to-do's.
//! - **Expected meetings are to-dos**, not events: a `VTODO` due on the window's last day
//!   (from its first), written when that day falls in the range or has passed unfilled
//!   (overdue, `PRIORITY:1`); none with `--scheduled-only`.

use anyhow::{Result, anyhow};
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use icalendar::{
    Calendar, CalendarDateTime, Class, Component, EventLike, EventStatus, Property, Todo,
    TodoStatus,
};
use std::io::Write;

use crate::domain::calendar::format_wareki;
use crate::domain::model::MeetingPhase;
use crate::domain::schedule::{Upcoming, Window};
use crate::i18n::Lang;
use crate::minutes::redact::Redactor;
use crate::store::{CalendarBody, CalendarMeeting, CalendarRead, Store, TablePeople};
use crate::text::inert_lines as text;
use crate::upcoming::Sorted;
use crate::zone::{Observance, Zone};

/// The first and last instants of the timed events written.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// What the calendar covers and how it is written.
pub struct Request<'a> {
    /// The first day of the range and how many days it has (0: overdue to-dos only).
    pub from: NaiveDate,
    pub days: u32,
    pub zone: &'a Zone,
    /// The length of a meeting whose end time is not known.
    pub meeting_minutes: u32,
    pub lang: Lang,
    /// Today (the session's clock): a range that holds it keeps the meetings running.
    pub today: NaiveDate,
}

impl Request<'_> {
    /// The last day of the range, if it has one.
    fn last_day(&self) -> Option<NaiveDate> {
        let extra = self.days.checked_sub(1)?;
        Some(
            self.from
                .checked_add_days(Days::new(u64::from(extra)))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// Whether the range holds today.
    fn holds_today(&self) -> bool {
        self.last_day()
            .is_some_and(|last| self.from <= self.today && self.today <= last)
    }

    /// Whether a meeting read for the range (dated in it, or the day before) is in the
    /// calendar: dated in the range, running while the range holds today, or ending in it.
    fn holds(&self, m: &CalendarMeeting) -> bool {
        m.date >= self.from
            || (m.phase == MeetingPhase::InProgress && self.holds_today())
            || wall_times(m, self)
                .is_some_and(|(_, ends)| ends > self.from.and_time(NaiveTime::MIN))
    }
}

/// Every meeting of the calendar, handed to `each`: those running dated outside the range and
/// the day before it (when the range holds today), then those dated from the day before the
/// range to its last day that [`Request::holds`].
fn each_meeting(
    store: &Store,
    req: &Request<'_>,
    last: NaiveDate,
    each: &mut dyn FnMut(CalendarMeeting) -> Result<()>,
) -> Result<()> {
    let before = req.from.pred_opt().unwrap_or(req.from);
    if req.holds_today() {
        store.each_calendar_meeting(CalendarRead::RunningOutside, (before, last), each)?;
    }
    store.each_calendar_meeting(CalendarRead::Dated, (before, last), &mut |m| {
        if req.holds(&m) { each(m) } else { Ok(()) }
    })
}

/// The calendar, written to `out` as it is read: the range's meetings are read twice — once
/// for the span of their times (the `VTIMEZONE`, written before them, gives the zone's rules
/// over that span), once to write each event — and never held. Call inside a read snapshot
/// ([`Store::read_snapshot`]) so both readings see the same meetings.
pub fn write_calendar(
    listing: &Sorted<'_>,
    store: &Store,
    req: &Request<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let last = req.last_day();
    let many_wards = store.wards()?.len() > 1;
    let mut span: Option<Span> = None;
    if let Some(last) = last {
        each_meeting(store, req, last, &mut |m| {
            if let Some((start, end)) = instants(&m, req) {
                span = Some(match span {
                    Some((a, b)) => (a.min(start), b.max(end)),
                    None => (start, end),
                });
            }
            Ok(())
        })?;
    }
    // With no timed event, the rules in force on the range's first day.
    let (from, to) = span.unwrap_or_else(|| {
        let start = req.zone.start_of(req.from).unwrap_or(DateTime::UNIX_EPOCH);
        (start, start)
    });
    // inert: the head is renkei's own words and the zone's name (a tz database name)
    out.write_all(header(req)?.as_bytes())?;
    // inert: the zone's rules, written by renkei from the tz database
    out.write_all(vtimezone(req.zone, &req.zone.observances(from, to)).as_bytes())?;
    // Each public meeting's place and each confidential one's organiser against the people
    // recorded that it may name (looked up for that text: the calendar never holds everyone
    // recorded), each text once.
    store.key_recorded_texts()?;
    // The texts not keyed yet (a database opened read-only, as `upcoming` opens it) read
    // once for the whole calendar, not once per place (tests14b: 3.3 s of CPU for a
    // two-ward demo city's calendar, its 1 212 texts keyed again for each place).
    let people = store.table_people()?;
    let mut organisers = Organisers {
        people: &people,
        lang: req.lang,
        shown: Default::default(),
    };
    if let Some(last) = last {
        let mut places: std::collections::HashMap<String, bool> = Default::default();
        each_meeting(store, req, last, &mut |mut m| {
            let mut named = false;
            if public(&m) && !m.place.trim().is_empty() {
                named = match places.get(&m.place) {
                    Some(&named) => named,
                    None => {
                        let people = people.people_in(&m.place)?;
                        let named = Redactor::new(Lang::Ja, &people, &[]).redact(&m.place)
                            != m.place.as_str();
                        places.insert(m.place.clone(), named);
                        named
                    }
                };
            }
            if !public(&m) {
                m.body.organiser = organisers.shown(&m.body.organiser)?;
            }
            // inert: every text value of the event is made inert (`text`) as it is built
            out.write_all(event(&m, many_wards, req, named).to_string().as_bytes())?;
            Ok(())
        })?;
    }
    listing.each_entry(&mut |entry| {
        let Upcoming::Expected { window, overdue } = &entry.item else {
            return Ok(());
        };
        let due_in_range = last.is_some_and(|last| req.from <= window.to && window.to <= last);
        if !(*overdue || due_in_range) {
            return Ok(());
        }
        let mut body = store
            .calendar_body(entry.body.id)?
            .ok_or_else(|| anyhow!("body {} is gone", entry.body.id))?;
        if body.personal_info {
            body.organiser = organisers.shown(&body.organiser)?;
        }
        let todo = todo(&body, window, *overdue, many_wards, req);
        // inert: every text value of the to-do is made inert (`text`) as it is built
        Ok(out.write_all(todo.to_string().as_bytes())?)
    })?;
    // inert: a fixed line
    out.write_all(b"END:VCALENDAR\r\n")?;
    Ok(())
}

/// The organisers of confidential meetings and bodies as their redacted minutes show them: an
/// agency kept, a recorded person typed into it (`地域福祉課（担当 佐藤 健一）`) replaced
/// (`地域福祉課（担当 A氏）`) — a calendar is handed on to phones and shared calendars, where a
/// closed meeting says no more than its body and who organises it. Each text judged once.
struct Organisers<'p> {
    people: &'p TablePeople<'p>,
    lang: Lang,
    shown: std::collections::HashMap<String, String>,
}

impl Organisers<'_> {
    fn shown(&mut self, organiser: &str) -> Result<String> {
        if let Some(shown) = self.shown.get(organiser) {
            return Ok(shown.clone());
        }
        let people = self.people.people_in(organiser)?;
        let shown = Redactor::new(self.lang, &people, &[])
            .agency(organiser)
            .into_owned();
        self.shown.insert(organiser.to_owned(), shown.clone());
        Ok(shown)
    }
}

/// `BEGIN:VCALENDAR` and the calendar's own properties.
fn header(req: &Request<'_>) -> Result<String> {
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        (
            "PRODID",
            concat!("-//renkei//renkei ", env!("CARGO_PKG_VERSION"), "//JA"),
        ),
        ("CALSCALE", "GREGORIAN"),
        ("NAME", req.lang.pick("renkei 会議予定", "renkei meetings")),
        (
            "X-WR-CALNAME",
            req.lang.pick("renkei 会議予定", "renkei meetings"),
        ),
        // Google's and Apple's name for the zone of the calendar as a whole.
        ("X-WR-TIMEZONE", req.zone.name()),
    ] {
        cal.append_property(Property::new(key, value));
    }
    cal.to_string()
        .strip_suffix("END:VCALENDAR\r\n")
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the iCalendar writer ended the calendar unexpectedly"))
}

/// The zone's rules for the times written: one observance per rule in force, each from the
/// wall-clock time it began, with no recurrence rule (RFC 5545 3.6.5). The zone's name is an
/// IANA name ([`Zone::named`]), so it needs no quoting.
fn vtimezone(zone: &Zone, rules: &[Observance]) -> String {
    let mut out = format!(
        "BEGIN:VTIMEZONE\r\nTZID:{0}\r\nX-LIC-LOCATION:{0}\r\n",
        zone.name()
    );
    for rule in rules {
        let kind = if rule.dst { "DAYLIGHT" } else { "STANDARD" };
        out.push_str(&format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            rule.onset.format("%Y%m%dT%H%M%S"),
            utc_offset(rule.offset_from),
            utc_offset(rule.offset_to),
        ));
        // An abbreviation of the tz database is letters, digits and signs; anything else is left
        // out rather than escaped.
        if !rule.name.is_empty()
            && rule
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
        {
            out.push_str(&format!("TZNAME:{}\r\n", rule.name));
        }
        out.push_str(&format!("END:{kind}\r\n"));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

/// An offset as RFC 5545 writes it: `+0900`, `-0500`, seconds only when there are some.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// A meeting's start and end as wall-clock times of the meeting zone, when it has a start time
/// (an end before the start is the next day's; no end, or one equal to the start: the start
/// plus the length of a meeting).
fn wall_times(m: &CalendarMeeting, req: &Request<'_>) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let start = m.start.as_deref().and_then(time_of_day)?;
    let begins = m.date.and_time(start);
    let ends = m
        .end
        .as_deref()
        .and_then(time_of_day)
        .map(|end| crate::domain::calendar::end_day(m.date, start, end).and_time(end))
        .filter(|end| *end > begins)
        .unwrap_or(begins + Duration::minutes(i64::from(req.meeting_minutes.max(1))));
    Some((begins, ends))
}

/// The instants a meeting with a time spans. A start the clocks skip (a daylight saving gap)
/// is the same length of time after the gap, and an end that is then not after it keeps the
/// meeting's length: 02:30–03:30 on the night the clocks go from 02:00 to 03:00 is 03:30–04:30,
/// not an event of no length (or one that ends before it begins, 02:30–03:00).
fn instants(m: &CalendarMeeting, req: &Request<'_>) -> Option<Span> {
    let (begins, ends) = wall_times(m, req)?;
    let start = req.zone.instant(begins)?;
    let end = req.zone.instant(ends)?;
    Some((
        start,
        if end > start {
            end
        } else {
            start + (ends - begins)
        },
    ))
}

/// Whether a meeting's place may stand in a calendar: it is neither confidential, nor of a body
/// that handles personal information, nor sharing a case.
fn public(m: &CalendarMeeting) -> bool {
    !(m.confidential || m.body.personal_info || m.shares_cases)
}

/// The event of a meeting; `place_names` says its place names a person (a recorded one in any
/// form, or a name an honorific marks: `髙橋一郎さん宅（家庭訪問）`), which a calendar handed
/// on never shows.
fn event(
    m: &CalendarMeeting,
    many_wards: bool,
    req: &Request<'_>,
    place_names: bool,
) -> icalendar::Event {
    let lang = req.lang;
    let mut event = icalendar::Event::new();
    let changed = changed_at(m.rev.max(m.body.rev));
    event
        .uid(&format!("{}@{}.renkei", m.uid, m.body.ward_uid))
        .timestamp(changed)
        .last_modified(changed)
        .sequence(sequence(changed));
    match instants(m, req) {
        Some((start, end)) => {
            event
                .starts(in_zone(start, req.zone))
                .ends(in_zone(end, req.zone));
        }
        None => {
            // All day on its date: RFC 5545's DTEND is not inclusive (the next day), where
            // icalendar's `all_day` writes the date twice, an event of no length.
            event
                .starts(m.date)
                .ends(m.date.succ_opt().unwrap_or(m.date));
        }
    }
    let cancelled = m.phase == MeetingPhase::Cancelled;
    let summary = if cancelled {
        format!("{}{}", lang.pick("（中止）", "(cancelled) "), m.body.name)
    } else {
        m.body.name.clone()
    };
    event.summary(&text(&summary));
    event.status(if cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    let confidential = !public(m);
    let mut lines = vec![labelled(lang, "主催者", "Organiser", &m.body.organiser)];
    if many_wards {
        lines.push(labelled(lang, "区", "Ward", &m.body.ward));
    }
    lines.push(labelled(
        lang,
        "状態",
        "State",
        match lang {
            Lang::Ja => m.phase.label_ja(),
            Lang::En => m.phase.label_en(),
        },
    ));
    if confidential {
        event.class(Class::Confidential);
        lines.push(
            lang.pick(
                "非公開の会議です。場所と事例は renkei で確かめてください。",
                "A closed meeting: see renkei for its place and case.",
            )
            .to_owned(),
        );
    } else {
        event.class(Class::Public);
        if place_names {
            lines.push(
                lang.pick(
                    "場所に個人の氏名が含まれるため、場所は renkei で確かめてください。",
                    "The place names a person: see renkei for it.",
                )
                .to_owned(),
            );
        } else if someones_home(&m.place) {
            lines.push(
                lang.pick(
                    "場所が個人の住まいを示すため、場所は renkei で確かめてください。",
                    "The place is someone's home: see renkei for it.",
                )
                .to_owned(),
            );
        } else if !m.place.trim().is_empty() {
            event.location(&text(&m.place));
        }
    }
    event.description(&text(&lines.join("\n")));
    event.done()
}

/// Whether a place is a person's home — a meeting held at 本人宅, 自宅, 〇〇様宅, or at a street
/// address (丁目, 番地, 号室, `1-2-3`) — which a calendar, copied to phones and cloud services
/// beyond renkei's files, never carries (attack report 7, finding 30). A public building's
/// room (`江東区役所 7階 会議室`, `都営住宅集会所`, `在宅医療センター`) is not.
fn someones_home(place: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    // Every width alike (ﾊｲﾂ is ハイツ, ＡＢＣ is ABC), English in lower case.
    let folded: String = crate::domain::calendar::fold_width(place)
        .nfkc()
        .collect::<String>()
        .to_lowercase();
    // 様方 is the postal "c/o" — at the home of; 邸 a residence; 住まい, 住居 a home however
    // written (attack report 8, finding 3); 実家, a resident's 居室, a share house, English
    // (attack report 9, finding 2).
    const ELSEWHERE: [&str; 7] = [
        "実家",
        "居室",
        "シェアハウス",
        "residence",
        "'s home",
        "'s house",
        "home of",
    ];
    if ELSEWHERE.iter().any(|w| folded.contains(w)) {
        return true;
    }
    // A relative's or a friend's house (祖父母の家, 叔母の家, 友人の家); こどもの家 is a centre.
    const RELATIONS: [&str; 20] = [
        "祖父母",
        "祖父",
        "祖母",
        "叔父",
        "叔母",
        "伯父",
        "伯母",
        "父",
        "母",
        "兄",
        "姉",
        "弟",
        "妹",
        "息子",
        "娘",
        "友人",
        "知人",
        "親戚",
        "親族",
        "本人",
    ];
    if RELATIONS
        .iter()
        .any(|r| folded.contains(&format!("{r}の家")) || folded.contains(&format!("{r}宅")))
    {
        return true;
    }
    const HOMES: [&str; 20] = [
        "自宅",
        "居宅",
        "本人宅",
        "様宅",
        "さん宅",
        "氏宅",
        "世帯宅",
        "様方",
        "さん方",
        "氏方",
        "様邸",
        "さん邸",
        "氏邸",
        "住まい",
        "住居",
        "本人の家",
        "が住む",
        "丁目",
        "番地",
        "号室",
    ];
    if HOMES.iter().any(|w| folded.contains(w)) {
        return true;
    }
    // A flat: a building of homes with a number after it (都営北砂アパート3号棟204,
    // コーポ北砂 203, 北砂ハイツ204号).
    const FLATS: [&str; 9] = [
        "アパート",
        "ハイツ",
        "コーポ",
        "マンション",
        "ハイム",
        "メゾン",
        "レジデンス",
        "荘",
        "号棟",
    ];
    if let Some(at) = FLATS.iter().filter_map(|w| folded.find(w)).min()
        && folded
            .get(at..)
            .is_some_and(|rest| rest.chars().any(|c| c.is_ascii_digit()))
    {
        return true;
    }
    // A relative's or a household's home (叔父宅, 山田宅): 宅 after a word that is no kind of
    // building (住宅, 在宅, 帰宅, 社宅 are not a person's home), not in 宅老所 or 宅配.
    let chars: Vec<char> = folded.chars().collect();
    let home_after = (1..chars.len()).any(|i| {
        chars[i] == '宅'
            && !matches!(
                chars[i - 1],
                '住' | '在' | '帰' | '社' | '邸' | '舎' | '宿' | '別'
            )
            && !matches!(chars.get(i + 1), Some('老' | '配'))
    });
    // 方 or 邸 after a family name of two characters or more (佐藤方, さとう方, 高橋一郎方, 髙橋邸):
    // at that person's home, as an address writes it; not 地方, 双方, 夕方, 公邸 … (words that
    // end so).
    const NOT_HOMES: &str =
        "地夕双両当先貴一他前後上下裏親味行仕見処大平四八遠目母父片彼此快途公官";
    let ideograph = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々' || c == '髙';
    let kana = |c: char| ('\u{3041}'..='\u{30FA}').contains(&c) || c == 'ー';
    let name_char = |c: char| ideograph(c) || kana(c);
    let at_home_of = (2..chars.len()).any(|i| {
        matches!(chars[i], '方' | '邸')
            && name_char(chars[i - 1])
            && name_char(chars[i - 2])
            && !NOT_HOMES.contains(chars[i - 1])
            && chars
                .get(i + 1)
                .is_none_or(|c| !ideograph(*c) || matches!(c, '宛'))
    });
    // A street address: digits, a dash, digits (北砂1-2-3).
    let address = chars.windows(3).any(|w| {
        w[0].is_ascii_digit()
            && matches!(w[1], '-' | 'ー' | '−' | '‐' | '－')
            && w[2].is_ascii_digit()
    });
    home_after || at_home_of || address
}

/// The to-do of an expected meeting: due on the window's last day.
fn todo(
    body: &CalendarBody,
    window: &Window,
    overdue: bool,
    many_wards: bool,
    req: &Request<'_>,
) -> Todo {
    let lang = req.lang;
    let mut todo = Todo::new();
    // Overdue from the day after the window: a calendar must see that as a change.
    let became_overdue = overdue
        .then(|| window.to.succ_opt().and_then(|d| req.zone.start_of(d)))
        .flatten();
    let changed = changed_at(body.rev).max(became_overdue.unwrap_or(DateTime::UNIX_EPOCH));
    todo.uid(&format!(
        "expected-{}-{}@{}.renkei",
        body.uid,
        window.from.format("%Y%m%d"),
        body.ward_uid
    ))
    .timestamp(changed)
    .last_modified(changed)
    .sequence(sequence(changed));
    // DTSTART must come before DUE (RFC 5545 3.8.2.3): a one-day window has a due day only.
    if window.from < window.to {
        todo.starts(window.from);
    }
    todo.due(window.to);
    todo.status(TodoStatus::NeedsAction);
    let label = if overdue {
        todo.priority(1);
        lang.pick("（期限超過）", "(overdue) ")
    } else {
        lang.pick("（開催見込み）", "(expected) ")
    };
    todo.summary(&text(&format!("{label}{}", body.name)));
    todo.class(if body.personal_info {
        Class::Confidential
    } else {
        Class::Public
    });
    let mut lines = vec![
        labelled(
            lang,
            "開催見込み期間",
            "Expected",
            &match lang {
                Lang::Ja => format!(
                    "{}〜{}",
                    format_wareki(window.from),
                    format_wareki(window.to)
                ),
                Lang::En => format!("{} to {}", window.from, window.to),
            },
        ),
        labelled(lang, "主催者", "Organiser", &body.organiser),
        labelled(lang, "開催頻度", "Frequency", &body.frequency),
    ];
    if many_wards {
        lines.push(labelled(lang, "区", "Ward", &body.ward));
    }
    todo.description(&text(&lines.join("\n")));
    todo.done()
}

fn labelled(lang: Lang, ja: &str, en: &str, value: &str) -> String {
    format!("{}: {value}", lang.pick(ja, en))
}

fn time_of_day(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

/// An instant as the zone's wall-clock time, with its TZID: a time the clocks skip (a daylight
/// saving gap) was read as the time it becomes ([`instants`]), which every reader takes alike.
fn in_zone(at: DateTime<Utc>, zone: &Zone) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: zone.at(at).naive_local(),
        tzid: zone.name().to_owned(),
    }
}

/// The first instant `SEQUENCE` counts from.
fn sequence_epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_577_836_800, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// When a record last changed, to the second: its revision holds the time in milliseconds
/// above ten random bits. Held between 2020 and the year 9999 (a revision from a clock set
/// wrong), where RFC 5545 can write it.
fn changed_at(rev: i64) -> DateTime<Utc> {
    let last = DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC);
    DateTime::from_timestamp((rev >> 10).div_euclid(1000), 0)
        .unwrap_or(last)
        .clamp(sequence_epoch(), last)
}

/// A number that grows with every change: the seconds from 2020 to `changed` (an INTEGER of
/// RFC 5545, below 2^31 until 2088).
fn sequence(changed: DateTime<Utc>) -> u32 {
    let seconds = (changed - sequence_epoch()).num_seconds();
    u32::try_from(seconds.clamp(0, i64::from(i32::MAX))).unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_written_as_rfc_5545_writes_them() {
        assert_eq!(utc_offset(9 * 3600), "+0900");
        assert_eq!(utc_offset(-5 * 3600), "-0500");
        assert_eq!(utc_offset(5 * 3600 + 45 * 60), "+0545");
        assert_eq!(utc_offset(9 * 3600 + 18 * 60 + 59), "+091859");
        assert_eq!(utc_offset(0), "+0000");
    }

    #[test]
    fn the_sequence_grows_with_the_revision_and_fits_an_integer() {
        let rev =
            |t: &str| DateTime::parse_from_rfc3339(t).unwrap().timestamp_millis() << 10 | 1023;
        let a = changed_at(rev("2026-11-21T10:00:00+09:00"));
        let b = changed_at(rev("2026-11-21T10:00:01+09:00"));
        assert_eq!(a.to_rfc3339(), "2026-11-21T01:00:00+00:00");
        assert!(sequence(b) > sequence(a));
        assert_eq!(sequence(changed_at(0)), 0);
        assert_eq!(sequence(changed_at(-5)), 0);
        assert_eq!(sequence(changed_at(i64::MAX)), i32::MAX as u32);
        assert_eq!(
            changed_at(i64::MAX).to_rfc3339(),
            "9999-12-31T23:59:59+00:00"
        );
    }

    /// Attack report 7, finding 30: a public meeting at a client's home put the household's
    /// address into every subscribed calendar (`本人宅（江東区北砂1-2-3 ハイツ101）`, `A世帯の自宅`).
    #[test]
    fn a_persons_home_is_no_place_for_a_calendar() {
        for home in [
            "本人宅（江東区北砂1-2-3 ハイツ101）",
            "A世帯の自宅",
            "髙橋様宅",
            "叔父宅",
            "北砂２丁目の集会所",
            "ハイツ101号室",
            "北砂１－２－３",
            "居宅介護支援事業所ではなく本人の居宅",
            // Attack report 8, finding 3.
            "髙橋様方",
            "タカハシ様方",
            "栗栖様方",
            "髙橋様邸",
            "都営北砂アパート3号棟204",
            "北砂アパート204号",
            "コーポ北砂 203",
            "本人の住まい",
            "本人が住むアパート",
            "ご本人の家",
            "佐藤方",
            "高橋方にて",
            "髙橋一郎方（家庭訪問）",
            // Attack report 9, finding 2.
            "ﾊｲﾂ北砂101",
            "実家",
            "ご実家",
            "祖父母の家",
            "叔母の家",
            "友人の家",
            "髙橋邸",
            "さとう方",
            "サトウ方",
            "Takahashi residence",
            "グループホームさくら 2階 居室",
            "シェアハウス北砂",
        ] {
            assert!(someones_home(home), "{home}");
        }
        for public in [
            "江東区役所 7階 会議室",
            "都営住宅集会所",
            "在宅医療センター 研修室",
            "地域の宅老所みどり",
            "",
            "第2会議室",
            "都営住宅集会所 2階",
            "区民ハイツ集会室",
            "地方合同庁舎 5階",
            "東京地方 合同庁舎",
            "夕方の会議室",
            "双方の事務所",
            "区役所 方針検討室",
            "児童館 こどもの家",
            "グループホームさくら 1階 会議室",
            "首相官邸 前",
        ] {
            assert!(!someones_home(public), "{public}");
        }
    }
}
