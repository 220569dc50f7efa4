//! The time zone meetings are held in: Asia/Tokyo unless the config's `time_zone` names another.
//! Every "now", "today" and every time written for another program (iCalendar) is in this zone,
//! whatever the machine's `TZ` says — a ward server is often left on UTC, Debian's default.
//!
//! The rules come from the IANA time zone database through `jiff`: the system's copy
//! (`/usr/share/zoneinfo`, kept current by the distribution) when there is one, else the copy
//! compiled into renkei, so that a server without the `tzdata` package still knows Asia/Tokyo.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset as _, Utc};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, civil};

/// A named time zone of the IANA database.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Zone {
        Zone::tokyo()
    }
}

impl Zone {
    /// The default: where renkei's users hold their meetings.
    pub const DEFAULT: &'static str = "Asia/Tokyo";

    pub fn tokyo() -> Zone {
        Zone::named(Zone::DEFAULT).unwrap_or_else(|_| Zone {
            name: Zone::DEFAULT.to_owned(),
            // Only if no time zone database could be read at all: Japan has kept +09:00 since 1951.
            tz: TimeZone::fixed(Offset::constant(9)),
        })
    }

    /// The zone of an IANA name (`Asia/Tokyo`, `America/New_York`), as the database spells it.
    /// Abbreviations and POSIX rules (`JST`, `JST-9`) are not names: refused.
    pub fn named(name: &str) -> Result<Zone, String> {
        let name = name.trim();
        let unknown =
            || format!("'{name}' is not a time zone of the IANA database (e.g. \"Asia/Tokyo\")");
        // A TZID parameter may not hold ; : , or a quote; IANA names never do.
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
        {
            return Err(unknown());
        }
        let tz = TimeZone::get(name).map_err(|_| unknown())?;
        let name = tz.iana_name().unwrap_or(name).to_owned();
        Ok(Zone { name, tz })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's offset at an instant.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        fixed(self.tz.to_offset(timestamp(at)).seconds())
    }

    /// An instant as the zone's clocks show it.
    pub fn at(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset_at(at))
    }

    /// The time now in this zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.at(Utc::now())
    }

    /// The instant a wall-clock time of this zone names. A time the clocks skip (a daylight
    /// saving gap) is read as the same length of time after the gap, a time they show twice as
    /// the first: RFC 5545's rule for DTSTART, so renkei and a calendar agree.
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let civil = civil_of(local)?;
        let t = self.tz.to_ambiguous_timestamp(civil).compatible().ok()?;
        DateTime::from_timestamp(t.as_second(), 0)
    }

    /// Midnight at the start of `date` in this zone.
    pub fn start_of(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        self.instant(date.and_hms_opt(0, 0, 0)?)
    }

    /// The rules in force from `from` to `to`, oldest first: the one in force at `from` (since
    /// the change that began it) and every change up to `to`. A VTIMEZONE made of these gives a
    /// calendar the right offset for every time in the span, with no recurrence rule to get wrong.
    pub fn observances(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Observance> {
        let (from, to) = (timestamp(from), timestamp(to));
        let first = match self.tz.preceding(after(from)).next() {
            Some(t) => self.observance(&t),
            // Never changed (a fixed zone, or before its first rule): since 1970, as is usual.
            None => {
                let info = self.tz.to_offset_info(from);
                Observance {
                    onset: NaiveDate::from_ymd_opt(1970, 1, 1)
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .unwrap_or_default(),
                    offset_from: info.offset().seconds(),
                    offset_to: info.offset().seconds(),
                    dst: info.dst().is_dst(),
                    name: info.abbreviation().to_owned(),
                }
            }
        };
        let mut out = vec![first];
        out.extend(
            self.tz
                .following(from)
                .take_while(|t| t.timestamp() <= to)
                .map(|t| self.observance(&t)),
        );
        out
    }

    fn observance(&self, change: &jiff::tz::TimeZoneTransition<'_>) -> Observance {
        let at = change.timestamp();
        let to = change.offset().seconds();
        // The change happens at a wall-clock time of the rule it ends.
        let from = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map(|b| self.tz.to_offset(b).seconds())
            .unwrap_or(to);
        let onset = DateTime::from_timestamp(at.as_second() + i64::from(from), 0)
            .map(|d| d.naive_utc())
            .unwrap_or_default();
        Observance {
            onset,
            offset_from: from,
            offset_to: to,
            dst: change.dst().is_dst(),
            name: change.abbreviation().to_owned(),
        }
    }
}

/// One rule of a zone: from `onset` (a wall-clock time under the rule before it) the clocks are
/// `offset_to` seconds ahead of UTC, named `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    pub onset: NaiveDateTime,
    pub offset_from: i32,
    pub offset_to: i32,
    pub dst: bool,
    pub name: String,
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
}

/// The instant as `jiff` counts it, held within the years it knows (-9999 to 9999).
fn timestamp(at: DateTime<Utc>) -> Timestamp {
    Timestamp::new(at.timestamp(), 0).unwrap_or(if at.timestamp() < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// The instant just after `t`, so that a rule beginning exactly at `t` counts as in force.
fn after(t: Timestamp) -> Timestamp {
    t.checked_add(jiff::SignedDuration::from_nanos(1))
        .unwrap_or(t)
}

fn civil_of(local: NaiveDateTime) -> Option<civil::DateTime> {
    use chrono::{Datelike, Timelike};
    civil::DateTime::new(
        i16::try_from(local.year()).ok()?,
        i8::try_from(local.month()).ok()?,
        i8::try_from(local.day()).ok()?,
        i8::try_from(local.hour()).ok()?,
        i8::try_from(local.minute()).ok()?,
        i8::try_from(local.second()).ok()?,
        0,
    )
    .ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn tokyo_is_nine_hours_ahead_all_year() {
        let z = Zone::tokyo();
        assert_eq!(z.name(), "Asia/Tokyo");
        for at in ["2026-01-15T00:00:00Z", "2026-07-15T12:00:00Z"] {
            assert_eq!(z.offset_at(utc(at)).local_minus_utc(), 9 * 3600);
        }
        assert_eq!(
            z.instant(local("2026-11-30T10:00")).unwrap(),
            utc("2026-11-30T01:00:00Z")
        );
        assert_eq!(
            z.at(utc("2026-11-20T23:30:00Z")).to_rfc3339(),
            "2026-11-21T08:30:00+09:00"
        );
    }

    #[test]
    fn names_are_iana_names_only() {
        assert_eq!(Zone::named("Asia/Tokyo").unwrap(), Zone::tokyo());
        assert_eq!(
            Zone::named("america/new_york").unwrap().name(),
            "America/New_York"
        );
        for bad in [
            "",
            "JST-9",
            "Mars/Olympus",
            "Asia/Tokyo;X=1",
            "Asia:Tokyo",
            "../etc",
        ] {
            let e = Zone::named(bad).unwrap_err();
            assert!(e.contains("IANA"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_zone_without_changes_has_one_rule() {
        let rules =
            Zone::tokyo().observances(utc("2026-11-01T00:00:00Z"), utc("2027-11-01T00:00:00Z"));
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert_eq!((rules[0].offset_to, rules[0].dst), (9 * 3600, false));
        assert_eq!(rules[0].name, "JST");
        assert!(rules[0].onset < local("2026-11-01T00:00"));
    }

    #[test]
    fn daylight_saving_changes_are_listed_at_their_wall_clock_times() {
        let ny = Zone::named("America/New_York").unwrap();
        let rules = ny.observances(utc("2026-11-01T00:00:00Z"), utc("2027-04-01T00:00:00Z"));
        let seen: Vec<_> = rules
            .iter()
            .map(|r| (r.onset, r.offset_from / 3600, r.offset_to / 3600, r.dst))
            .collect();
        assert_eq!(
            seen,
            [
                // In force on 1 November: summer time since 8 March 2026, 02:00 EST.
                (local("2026-03-08T02:00"), -5, -4, true),
                // Ends at 02:00 EDT on 1 November, begins again at 02:00 EST on 14 March.
                (local("2026-11-01T02:00"), -4, -5, false),
                (local("2027-03-14T02:00"), -5, -4, true),
            ]
        );
        assert_eq!(rules[1].name, "EST");
        // A time skipped by the change is read as the same time after it (RFC 5545).
        assert_eq!(
            ny.instant(local("2027-03-14T02:30")).unwrap(),
            utc("2027-03-14T07:30:00Z")
        );
        // A time shown twice is the first.
        assert_eq!(
            ny.instant(local("2026-11-01T01:30")).unwrap(),
            utc("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let z = Zone::tokyo();
        let _ = z.offset_at(DateTime::<Utc>::MIN_UTC);
        let _ = z.offset_at(DateTime::<Utc>::MAX_UTC);
        let _ = z.observances(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        assert_eq!(z.instant(NaiveDateTime::MAX), None);
        assert_eq!(z.start_of(NaiveDate::MIN), None);
    }
}
