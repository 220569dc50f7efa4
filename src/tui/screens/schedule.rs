//! What the lists of bodies (home and bodies) share: the registry and the upcoming listing as
//! read, and what is done for the selected body — put a meeting in the calendar (the schedule
//! form, which any screen may open), hold one now, show the minutes of the last one held — and
//! where each leads once the store has done it.

use chrono::{NaiveDate, NaiveTime};
use std::collections::HashSet;

use super::{Ctx, DAYS_AHEAD, ScreenId};
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::capture::NewMeeting;
use crate::store::{Store, StoredBody};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::{Field, Form};
use crate::tui::words::tr;
use crate::upcoming::{GroupBy, Lines, Listing, Reading};

/// The bodies and the upcoming listing, as a list of bodies reads them.
#[derive(Debug, Default)]
pub struct Registry {
    pub bodies: Vec<StoredBody>,
    pub listing: Listing,
    /// The meetings begun and not ended: in progress (開催中), not planned.
    pub running: HashSet<i64>,
    /// The database holds the bodies of more than one ward (a city's, or one that gathered
    /// another ward's export): the lists show each body's ward.
    pub several_wards: bool,
    /// Followed cases whose review is overdue, by the body that last discussed them.
    pub reviews: Vec<(crate::store::cases::ReviewBody, usize)>,
    /// Followed cases whose review date is today (due, not yet overdue), by the same bodies.
    pub reviews_today: Vec<(crate::store::cases::ReviewBody, usize)>,
    /// The ward (its row) of each body of the reviews, by the body's id (shown where there are
    /// several).
    pub review_wards: std::collections::HashMap<i64, i64>,
    /// The wards as the lists name them (two of one name with their codes).
    pub wards: crate::store::WardLabels,
    /// The widest name of a named ward among the bodies, and whether a ward has no name: the
    /// ward column's width without looking at every body at every line drawn (a city's 12 000).
    widest_ward: usize,
    unnamed_ward: bool,
    /// The home's reading of its list by date while it has not read every body
    /// ([`Registry::load_first`]), with the database's data version it was begun at: it goes
    /// on from where it stopped while that version and the day stay the same.
    reading: Option<(i64, Reading)>,
}

impl Registry {
    /// The listing, the meetings running, the reviews and the bodies' wards, without the
    /// bodies' records: the home reads only the bodies its selection and detail pane stand
    /// for ([`Registry::read_bodies`]), where a city has 12 000.
    pub fn load_listing(&mut self, store: &Store, ctx: &Ctx, group: GroupBy) -> anyhow::Result<()> {
        let today = ctx.today();
        self.reading = None;
        self.listing = crate::upcoming::listing(store, today, DAYS_AHEAD, today, group)?;
        self.load_around(store, true)
    }

    /// The first `n` lines of the listing by date, when they are overdue windows found without
    /// reading every body (`upcoming::Reading`), else the whole listing as
    /// [`Registry::load_listing`] reads it: whether it is the whole. The reading goes on from
    /// where the last one stopped when nothing was written since (`version`, the database's
    /// data version) and the day is the same. The first lines come before the overdue reviews
    /// of cases, which are not read with them.
    pub fn load_first(
        &mut self,
        store: &Store,
        ctx: &Ctx,
        n: usize,
        version: Option<i64>,
    ) -> anyhow::Result<bool> {
        let reading = self.reading(ctx, version);
        reading.read_until(store, n)?;
        let (listing, whole) = match reading.lines(n) {
            Lines::Whole(listing) => (listing, true),
            Lines::First(listing) => (listing, false),
        };
        if whole {
            // The listing holds it all now: what was read goes.
            self.reading = None;
        }
        self.listing = listing;
        self.load_around(store, whole)?;
        Ok(whole)
    }

    /// Reads `bodies` more bodies of the listing by date ahead of the selection (a key on the
    /// first lines), so that the keys after it find them read: whether this read the last
    /// body (the next load makes its lines of what was read).
    pub fn read_ahead(
        &mut self,
        store: &Store,
        ctx: &Ctx,
        bodies: usize,
        version: Option<i64>,
    ) -> anyhow::Result<bool> {
        let reading = self.reading(ctx, version);
        let before = reading.done();
        reading.read_some(store, bodies)?;
        Ok(!before && reading.done())
    }

    /// The reading of the listing by date going on, or a new one when the database changed
    /// or the day ended since it began.
    fn reading(&mut self, ctx: &Ctx, version: Option<i64>) -> &mut Reading {
        let today = ctx.today();
        let of = (today, DAYS_AHEAD);
        let kept = matches!(
            (&self.reading, version),
            (Some((began, reading)), Some(v)) if *began == v && reading.of() == of
        );
        if !kept {
            self.reading = None;
        }
        let began = version.unwrap_or_default();
        &mut self
            .reading
            .get_or_insert_with(|| (began, Reading::new(today, DAYS_AHEAD)))
            .1
    }

    /// What the home reads beside its whole list when the list is written into a temporary
    /// table rather than held (`tui::screens::home`): the meetings running, the reviews, the
    /// bodies' wards; no listing.
    pub fn load_beside_table(&mut self, store: &Store) -> anyhow::Result<()> {
        self.listing = Listing::default();
        self.reading = None;
        self.load_around(store, true)
    }

    /// What the bodies screen reads beside the bodies it holds: the meetings running and the
    /// bodies' wards (no listing, no body).
    pub fn load_wards(&mut self, store: &Store) -> anyhow::Result<()> {
        self.listing = Listing::default();
        self.reading = None;
        self.load_around(store, false)
    }

    /// What the lists read beside the listing: the meetings running, the reviews (with the
    /// whole listing: they stand at the end of its overdue group), the bodies' wards.
    fn load_around(&mut self, store: &Store, reviews: bool) -> anyhow::Result<()> {
        self.bodies.clear();
        self.running = store.live_meetings()?.into_iter().collect();
        let counts = if reviews {
            store.review_counts()?
        } else {
            Default::default()
        };
        self.reviews = counts.overdue;
        self.reviews_today = counts.today;
        self.review_wards = counts.wards;
        let wards = store.body_wards()?;
        self.wards = store.ward_labels()?;
        self.several_wards = wards.len() > 1;
        self.widest_ward = 0;
        self.unnamed_ward = false;
        for (id, name) in &wards {
            // Both languages' labels: the width is the same but for the brackets. An unnamed
            // ward's label may carry its code or uid (two of them: finding 15).
            let label = self.wards.label(*id, Lang::Ja);
            self.widest_ward = self.widest_ward.max(crate::text::width(&label));
            self.unnamed_ward |= name.trim().is_empty();
        }
        Ok(())
    }

    /// Reads the bodies of `ids` (those not held already), letting the others go.
    pub fn read_bodies(&mut self, store: &Store, ids: &[i64]) -> anyhow::Result<()> {
        let mut kept: Vec<StoredBody> = Vec::with_capacity(ids.len());
        for &id in ids {
            if kept.iter().any(|b| b.id == id) {
                continue;
            }
            let held = self.body(id).cloned();
            if let Some(body) = held.map_or_else(|| store.body(id), |b| Ok(Some(b)))? {
                kept.push(body);
            }
        }
        kept.sort_by_key(|b| b.id);
        self.bodies = kept;
        Ok(())
    }

    /// A ward as the lists show it (a ward nobody named says so; two of one name give their
    /// codes).
    pub fn ward_label(&self, ward: i64, lang: Lang) -> String {
        self.wards.label(ward, lang)
    }

    /// A ward in a list's column of `cells` ([`crate::store::WardLabels::label_in`]).
    pub fn ward_cell(&self, ward: i64, lang: Lang, cells: usize) -> String {
        self.wards.label_in(ward, lang, cells)
    }

    /// The widest ward label of the bodies, for a column of them (at most `most` cells).
    pub fn ward_width(&self, lang: Lang, most: usize) -> usize {
        let unnamed = if self.unnamed_ward {
            crate::text::width(tr(lang, "ward_unnamed"))
        } else {
            0
        };
        self.widest_ward.max(unnamed).min(most)
    }

    /// A body by its id: the bodies are read in the order of their ids.
    pub fn body(&self, id: i64) -> Option<&StoredBody> {
        let at = self.bodies.binary_search_by_key(&id, |b| b.id).ok()?;
        self.bodies.get(at)
    }

    /// The body a detail pane shows for the selection (see widgets::detail): the selected one,
    /// or while the pane waits, the one it showed if it is still `listed`.
    pub fn detail(
        &self,
        ctx: &Ctx,
        selected: Option<i64>,
        listed: impl Fn(i64) -> bool,
    ) -> Option<&StoredBody> {
        self.body(ctx.detail.showing(ctx.defer_detail, selected, listed)?)
    }
}

/// The purpose of the schedule form: a meeting of this body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub body_id: i64,
}

/// The purpose of the hold-now form: a meeting of this body, today from now, in this place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldNow {
    pub body_id: i64,
}

/// The actions on the selected body; `None` for any other action.
pub fn on_body(
    action: Action,
    body: Option<&StoredBody>,
    suggested: NaiveDate,
    ctx: &mut Ctx,
) -> Option<Vec<Command>> {
    match action {
        Action::Schedule => {
            if let Some(body) = body {
                open_form(body, suggested, ctx);
            }
            Some(Vec::new())
        }
        Action::StartNow => {
            if let Some(body) = body {
                hold_now_form(body, ctx);
            }
            Some(Vec::new())
        }
        Action::Minutes => {
            match body.and_then(|b| b.last_held_id) {
                Some(id) => ctx.open(ScreenId::Minutes(id)),
                None => ctx.info("no_minutes"),
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

/// The form for a new meeting of `body` on `suggested`, at 14:00 for the configured length.
pub fn open_form(body: &StoredBody, suggested: NaiveDate, ctx: &mut Ctx) {
    let lang = ctx.lang;
    ctx.form(
        Form::new(
            &format!("{} - {}", tr(lang, "schedule_title"), body.record.name),
            Schedule { body_id: body.id },
            vec![
                Field::date(tr(lang, "date"), Some(suggested), ctx.today()),
                Field::text(tr(lang, "start_time"), "14:00"),
                Field::text(tr(lang, "end_time"), &default_end(ctx, "14:00")),
                Field::text(tr(lang, "place"), ""),
            ],
        )
        .refusing("bad_date", 0)
        .refusing("no_such_day", 0)
        .refusing("date_too_far", 0)
        .refusing("bad_start_time", 1)
        .refusing("bad_end_time", 2)
        .refusing("end_at_start", 2),
    );
}

/// Holding a meeting of the body now asks where (Enter alone leaves it empty): the meeting is
/// set up today from now, and its setup opens — the roster, the agenda, then `b` begins it.
fn hold_now_form(body: &StoredBody, ctx: &mut Ctx) {
    let lang = ctx.lang;
    ctx.form(Form::new(
        &format!("{} - {}", tr(lang, "hold_now_title"), body.record.name),
        HoldNow { body_id: body.id },
        vec![Field::text(tr(lang, "place"), "")],
    ));
}

/// A meeting of the body, today from now, in `place`.
fn now_in(body_id: i64, place: String, ctx: &Ctx) -> Command {
    let meeting = NewMeeting {
        body_id,
        date: ctx.today(),
        start: Some(ctx.now.time().format("%H:%M").to_string()),
        end: None,
        place,
    };
    Command::HoldNow(meeting)
}

/// A submitted schedule form: the meeting to schedule, or what is wrong with it.
pub fn submit(form: &Form, ctx: &Ctx) -> Result<Vec<Command>, &'static str> {
    if let Some(HoldNow { body_id }) = form.purpose::<HoldNow>() {
        return Ok(vec![now_in(*body_id, form.value(0), ctx)]);
    }
    let Some(Schedule { body_id }) = form.purpose::<Schedule>() else {
        return Ok(Vec::new());
    };
    let v = |i: usize| form.value(i);
    let date = form.date(0)?.ok_or("bad_date")?;
    let start = time(&v(1)).map_err(|_| "bad_start_time")?;
    let end = time(&v(2)).map_err(|_| "bad_end_time")?;
    if start.is_some() && start == end {
        // Kept in the form to correct, as the store would refuse it (attack12, finding 4).
        return Err("end_at_start");
    }
    Ok(vec![Command::Schedule {
        meeting: NewMeeting {
            body_id: *body_id,
            date,
            start,
            end,
            place: v(3),
        },
        begin: false,
    }])
}

/// Once the store has it: the new meeting's setup (or the meeting itself, held now).
pub fn performed(command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
    match (command, outcome) {
        (Command::Schedule { begin: true, .. }, Outcome::Done(Some(id))) => {
            ctx.open(ScreenId::Live(*id))
        }
        (Command::Schedule { .. } | Command::HoldNow(_), Outcome::Done(Some(id))) => {
            ctx.open(ScreenId::Setup(*id))
        }
        (Command::HoldNow(typed), Outcome::Joined { id, begun }) => {
            // The place typed is not that meeting's: said, so that it is set there if it
            // should be (attack report 9, finding 16).
            let place = typed.place.trim();
            match (*begun, place.is_empty()) {
                (true, true) => ctx.info("hold_now_joined"),
                (false, true) => ctx.info("hold_now_set_up"),
                (true, false) => {
                    ctx.say(tr(ctx.lang, "hold_now_joined_place").replace("{place}", place))
                }
                (false, false) => {
                    ctx.say(tr(ctx.lang, "hold_now_set_up_place").replace("{place}", place))
                }
            }
            let screen = if *begun {
                ScreenId::Live(*id)
            } else {
                ScreenId::Setup(*id)
            };
            ctx.open(screen)
        }
        (Command::OpenSetup(id), Outcome::Done(_)) => ctx.open(ScreenId::Setup(*id)),
        _ => {}
    }
}

/// A new meeting's end: its start plus the configured length (within the day).
fn default_end(ctx: &Ctx, start: &str) -> String {
    let length = chrono::Duration::minutes(i64::from(ctx.prefs.meeting_minutes));
    match NaiveTime::parse_from_str(start, "%H:%M").map(|t| t.overflowing_add_signed(length)) {
        Ok((end, 0)) => end.format("%H:%M").to_string(),
        _ => "23:59".to_owned(),
    }
}

/// A time as typed (9:30, １４：００, 1400, 14), as HH:MM; empty is none.
fn time(text: &str) -> Result<Option<String>, &'static str> {
    let text = crate::domain::calendar::fold_width(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = NaiveTime::parse_from_str(&text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&text, "%H%M"))
        .or_else(|_| NaiveTime::parse_from_str(&format!("{text}:00"), "%H:%M"))
        .map_err(|_| "bad_time")?;
    Ok(Some(parsed.format("%H:%M").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_forgiving() {
        assert_eq!(time("9:30"), Ok(Some("09:30".to_owned())));
        assert_eq!(time("１４：００"), Ok(Some("14:00".to_owned())));
        assert_eq!(time("1400"), Ok(Some("14:00".to_owned())));
        assert_eq!(time("14"), Ok(Some("14:00".to_owned())));
        assert_eq!(time(""), Ok(None));
        assert_eq!(time("25:00"), Err("bad_time"));
    }
}
