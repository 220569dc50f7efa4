//! The injected clock: everything that shows "now", "today", "overdue" or "elapsed" asks it.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use std::sync::Arc;

use crate::zone::Zone;

type Reading = Arc<dyn Fn() -> DateTime<FixedOffset> + Send + Sync>;

/// A source of the current time. Tests and `RENKEI_NOW` fix it; the app reads the system clock.
/// Its time is the meeting zone's (Japan's), never the machine's `TZ`: on a server left on UTC,
/// "today" still turns at midnight in Tokyo.
///
/// What it is set by matters for what a database records (attack report 9, finding 8): a clock
/// set in the code (a test's [`Clock::fixed`]) or by `RENKEI_NOW` is no system clock
/// ([`Clock::is_system`]), and one set by `RENKEI_NOW` keeps the system clock beside it
/// ([`Clock::recording`]): on a real database the time an entry, an approval or an audit line is
/// recorded at is the system's, whatever the environment says (`Store::open`).
#[derive(Clone)]
pub struct Clock {
    read: Reading,
    source: Source,
}

#[derive(Clone)]
enum Source {
    System,
    /// Given by the code that made it (a test, a tool).
    Code,
    /// `RENKEI_NOW`: anyone can set it; the system clock of the same zone beside it.
    Environment(Reading),
}

impl Clock {
    /// The system clock, read in Japan time.
    pub fn system() -> Self {
        Clock::system_in(Zone::tokyo())
    }

    /// The system clock, read in `zone`.
    pub fn system_in(zone: Zone) -> Self {
        Clock {
            read: Arc::new(move || zone.now()),
            source: Source::System,
        }
    }

    pub fn fixed(at: DateTime<FixedOffset>) -> Self {
        Clock::from_fn(move || at)
    }

    /// A clock that reads `f`: tests move time forward with it.
    pub fn from_fn(f: impl Fn() -> DateTime<FixedOffset> + Send + Sync + 'static) -> Self {
        Clock {
            read: Arc::new(f),
            source: Source::Code,
        }
    }

    /// Whether this is the system clock (not one a test or `RENKEI_NOW` set).
    pub fn is_system(&self) -> bool {
        matches!(self.source, Source::System)
    }

    /// Whether `RENKEI_NOW` set it.
    pub fn from_environment(&self) -> bool {
        matches!(self.source, Source::Environment(_))
    }

    /// The clock the records of a real database are dated by: the system clock when this one
    /// was set by `RENKEI_NOW` (which moves only "today" there), else this one.
    pub fn recording(&self) -> Clock {
        match &self.source {
            Source::Environment(system) => Clock {
                read: system.clone(),
                source: Source::System,
            },
            _ => self.clone(),
        }
    }

    /// The clock named by `RENKEI_NOW` (RFC 3339, or a bare date meaning 10:00 that day),
    /// else the system clock, in Japan time. Lets scripts and tests pin "today"; what a real
    /// database records is still dated by the system clock ([`Clock::recording`]).
    pub fn from_env() -> Result<Self, crate::i18n::Msg> {
        Clock::from_env_in(&Zone::tokyo())
    }

    /// [`Clock::from_env`] in `zone`: a bare date or time in `RENKEI_NOW` is that zone's, and an
    /// instant with another offset is shown as that zone's clocks show it.
    pub fn from_env_in(zone: &Zone) -> Result<Self, crate::i18n::Msg> {
        match std::env::var("RENKEI_NOW") {
            Ok(text) if !text.trim().is_empty() => parse_instant_in(text.trim(), zone)
                .map(|at| {
                    let zone = zone.clone();
                    Clock {
                        read: Arc::new(move || at),
                        source: Source::Environment(Arc::new(move || zone.now())),
                    }
                })
                .ok_or_else(|| {
                    crate::i18n::Msg::new("renkei_now_unreadable")
                        .with("text", crate::text::inert(&text))
                }),
            _ => Ok(Clock::system_in(zone.clone())),
        }
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        (self.read)()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// Reads an RFC 3339 instant, a date and time (`2026-11-21T10:00`, `2026-11-21 10:00:30`) or a
/// date (taken as 10:00), in Japan time.
pub fn parse_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_instant_in(text, &Zone::tokyo())
}

/// [`parse_instant`] in `zone`: the result is always that zone's time.
pub fn parse_instant_in(text: &str, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(zone.at(at.to_utc()));
    }
    // An instant without seconds, as `date -u +%FT%RZ` writes it: 2026-11-22T15:30Z, …+09:00.
    let offset = text.strip_suffix(['Z', 'z']).map(|t| format!("{t}+00:00"));
    let with_offset = offset.as_deref().unwrap_or(text);
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(at) = DateTime::parse_from_str(with_offset, format) {
            return Some(zone.at(at.to_utc()));
        }
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(10, 0, 0)
    })?;
    zone.instant(naive).map(|at| zone.at(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_is_fixed() {
        let at = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let clock = Clock::fixed(at);
        assert_eq!(clock.now(), at);
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
    }

    #[test]
    fn parse_instant_accepts_date_or_rfc3339() {
        assert!(parse_instant("2026-11-21").is_some());
        assert!(parse_instant("2026-11-21T09:30:00+09:00").is_some());
        assert!(parse_instant("21/11/2026").is_none());
        let local = |t: &str| parse_instant(t).map(|at| at.naive_local().to_string());
        assert_eq!(local("2026-11-21").as_deref(), Some("2026-11-21 10:00:00"));
        assert_eq!(
            local("2026-11-21T09:30").as_deref(),
            Some("2026-11-21 09:30:00")
        );
        assert_eq!(
            local("2026-11-21 09:30:15").as_deref(),
            Some("2026-11-21 09:30:15")
        );
        assert!(parse_instant("2026-11-21T25:00").is_none());
        // Attack report 8, finding 14: an instant without seconds, as `date -u +%FT%RZ` writes.
        assert_eq!(
            local("2026-11-22T15:30Z").as_deref(),
            Some("2026-11-23 00:30:00")
        );
        assert_eq!(
            local("2026-11-22T15:30+09:00").as_deref(),
            Some("2026-11-22 15:30:00")
        );
        assert!(parse_instant("yesterday").is_none());
    }

    #[test]
    fn only_a_clock_set_by_renkei_now_records_by_the_system_clock() {
        let at = parse_instant("2020-04-01").unwrap();
        let fixed = Clock::fixed(at);
        assert!(!fixed.is_system() && !fixed.from_environment());
        assert_eq!(fixed.recording().now(), at, "a test's clock is trusted");
        assert!(Clock::system().is_system());
        let set = Clock {
            read: Arc::new(move || at),
            source: Source::Environment(Arc::new(|| Zone::tokyo().now())),
        };
        assert!(set.from_environment() && !set.is_system());
        assert_eq!(set.today(), NaiveDate::from_ymd_opt(2020, 4, 1).unwrap());
        let recording = set.recording();
        assert!(recording.is_system());
        assert!(chrono::Datelike::year(&recording.now()) > 2025);
    }

    #[test]
    fn the_clock_keeps_japan_time_whatever_the_offset_it_is_given() {
        // 23:30 UTC on the 20th is 08:30 on the 21st in Tokyo: "today" is the 21st.
        let at = parse_instant("2026-11-20T23:30:00Z").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-21T08:30:00+09:00");
        assert_eq!(
            Clock::fixed(at).today(),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(
            parse_instant_in("2026-11-21", &ny).unwrap().to_rfc3339(),
            "2026-11-21T10:00:00-05:00"
        );
        assert_eq!(
            parse_instant_in("2026-07-01T09:00", &ny)
                .unwrap()
                .to_rfc3339(),
            "2026-07-01T09:00:00-04:00"
        );
        // The system clock too, whatever TZ says (the offset is the zone's, not the machine's).
        assert_eq!(Clock::system().now().offset().local_minus_utc(), 9 * 3600);
    }
}
