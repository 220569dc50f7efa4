//! The injected clock: everything that shows "now", "today", "overdue" or "elapsed" asks it.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime};
use std::sync::Arc;

/// A source of the current time. Tests and `RENKEI_NOW` fix it; the app reads the system clock.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<FixedOffset> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(|| Local::now().fixed_offset()))
    }

    pub fn fixed(at: DateTime<FixedOffset>) -> Self {
        Clock(Arc::new(move || at))
    }

    /// A clock that reads `f`: tests move time forward with it.
    pub fn from_fn(f: impl Fn() -> DateTime<FixedOffset> + Send + Sync + 'static) -> Self {
        Clock(Arc::new(f))
    }

    /// The clock named by `RENKEI_NOW` (RFC 3339, or a bare date meaning 10:00 that day),
    /// else the system clock. Lets scripts and tests pin "today".
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("RENKEI_NOW") {
            Ok(text) if !text.trim().is_empty() => parse_instant(text.trim())
                .map(Clock::fixed)
                .ok_or_else(|| format!("RENKEI_NOW: cannot read '{text}' as a date or time")),
            _ => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        (self.0)()
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

/// Reads an RFC 3339 instant, a local date and time (`2026-11-21T10:00`, `2026-11-21 10:00:30`)
/// or a date (taken as 10:00), the last two in the local offset.
pub fn parse_instant(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at);
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
    let offset = *Local::now().offset();
    naive.and_local_timezone(offset).single()
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
    }
}
