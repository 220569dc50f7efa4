//! Home: the upcoming meetings, scheduled and expected, grouped by date, body or frequency, with
//! the overdue ones first (marked, not only coloured), filtered by typing, and the selected
//! body's details below. Enter opens a scheduled meeting or schedules an expected one (on a line
//! of overdue case reviews, the ledger of those cases).

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::HashSet;

use super::schedule::{self, Registry};
use super::{Ctx, Screen, ScreenId, tab_title};
use crate::domain::calendar::weekday_ja;
use crate::domain::schedule::Upcoming;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{Store, StoredBody};
use crate::text::{fit, width};
use crate::tui::command::Command;
use crate::tui::widgets::list::{self, AROUND, ListState, first_shown, matches, moved, movement};
use crate::tui::widgets::{FULL_HEIGHT, FULL_WIDTH, block, cut};
use crate::tui::words::tr;
use crate::upcoming::{BodyRef, Entry, GroupBy};

/// A line of the home list.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeRow {
    Heading(String),
    /// An entry of the listing (scheduled or expected), by its index.
    Entry(usize),
    /// A body meeting only as needed, by its index in the listing's ad hoc bodies.
    AdHoc(usize),
    /// A body whose frequency renkei cannot read.
    Unknown(usize),
    /// Cases whose review is overdue, by the body that last discussed them (an index in the
    /// registry's reviews), listed with the overdue bodies.
    Reviews(usize),
}

#[derive(Debug, Default)]
pub struct Home {
    registry: Registry,
    group: GroupBy,
    rows: Vec<HomeRow>,
    list: ListState,
    /// The bodies the lines stand for, for the detail pane's question whether the body it shows
    /// is still listed (asked at every frame while the keys move: a city's home has thousands of
    /// lines).
    listed: HashSet<i64>,
    /// Whether an expected window of the listing is written with its years, as of the day it
    /// was read (see [`Home::windows_need_years`]).
    years: (Option<NaiveDate>, bool),
    /// The database's data version when the listing was read, and whether the selection came
    /// to a body not read yet: the next load then reads that body alone (the registry holds
    /// only the bodies the selection and the detail pane stand for).
    version: Option<i64>,
    read_body: bool,
    /// Whether the listing read is the whole list; else its first lines only (see
    /// [`Home::first_lines`]), read again further, or whole, as the selection nears their end.
    whole: bool,
    /// A line the selection was moved to beyond the first lines read, and the direction it
    /// moved in: the next load reads far enough for it and puts the selection there.
    wanted: Option<(usize, i64)>,
    /// A filter typed over the first lines read: the next load reads the whole list.
    reread: bool,
    /// How many lines past the selection the first lines reach (0: twice [`AROUND`]); a key
    /// within half of it from their end reads further.
    reach: usize,
    /// The lines of the list drawn last: the first lines reach at least two screens past the
    /// selection, however tall the terminal.
    height: std::cell::Cell<usize>,
    /// A key moved the selection over the first lines: the next load reads a few more bodies
    /// ahead ([`Home::ahead`]), so that no later key has to read many (see
    /// `upcoming::Reading`).
    more: bool,
    /// How many bodies a key reads ahead (none: [`READ_AHEAD`]).
    ahead: Option<usize>,
    /// The whole list written into `temp.home_rows` (a database of more than
    /// [`TABLE_BODIES`] bodies): how many lines it has. `rows` then holds the lines around the
    /// selection from `first` on, the listing their entries.
    table: Option<usize>,
    first: usize,
    /// What the table was written of: the list and the filter.
    table_of: Option<(ListOf, String)>,
    /// How many bodies make the list a table (none: [`TABLE_BODIES`]).
    table_bodies: Option<usize>,
    /// What the list sorted by SQLite that the table was last written from is of: it is left
    /// in its temporary tables (see [`Home::write_lines`]).
    sorted: Option<ListOf>,
}

/// What the home's list was read of: the data version (other processes' commits), this
/// process's writes (`Ctx::writes`: its own commits leave the version as it was), the grouping
/// and the day. While all are the same, the list would be read again as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListOf {
    version: Option<i64>,
    writes: u64,
    group: GroupBy,
    today: NaiveDate,
}

impl ListOf {
    fn now(store: &Store, ctx: &Ctx, group: GroupBy) -> ListOf {
        ListOf {
            version: store.data_version().ok(),
            writes: ctx.writes,
            group,
            today: ctx.today(),
        }
    }
}

/// Past this many bodies the home's whole list is not held: its lines are written in their
/// order into a temporary table of SQLite's (which spills to a file past its page cache) and
/// the screen holds the lines around its selection ([`list::window_around`]), read again as
/// the selection leaves them. A ward's 500 bodies keep their list in memory, as before.
const TABLE_BODIES: usize = 2000;

/// The fewest cells a body's name keeps on a line of the list before the ward column narrows.
const NAME_LEAST: usize = 8;

/// The fewest cells a ward column is shown in (two characters of a ward's name).
const WARD_LEAST: usize = 4;

/// The kinds of line in `temp.home_rows`.
const LINE_HEADING: i64 = 0;
const LINE_ENTRY: i64 = 1;
const LINE_AD_HOC: i64 = 2;
const LINE_UNKNOWN: i64 = 3;
const LINE_REVIEWS: i64 = 4;

/// How many bodies each key on the first lines reads ahead of the selection: a city's 12 000
/// are read by the 380th key, so that the keys that go past the first lines find the list
/// read — the key that read the whole list at once took 121 ms of CPU on C24. With 64 a key
/// took 1.2 ms on average while reading ahead and 2.35 ms at the most (C24, a load of 14).
const READ_AHEAD: usize = 32;

/// What a heading of the home list is made from (see [`Home::rebuild`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadingOf {
    Overdue,
    Date(NaiveDate),
    Expected,
    Body(i64),
    Frequency(i64),
}

/// A body's ward as the filter reads it: with several wards, its name finds its bodies.
fn ward_of(body: &BodyRef, several_wards: bool) -> &str {
    if several_wards { &body.ward } else { "" }
}

/// Whether a body's line passes the filter typed over the home (its name, organiser, kind,
/// frequency as written, and its ward where there are several).
fn body_matches(filter: &str, body: &BodyRef, several_wards: bool) -> bool {
    matches(
        filter,
        &[
            &body.name,
            &body.organiser,
            &body.kind,
            &body.frequency.text,
            ward_of(body, several_wards),
        ],
    )
}

/// The headings of the list as its entries come in order: what the heading of the last line
/// was made from, and its text. The heading is written again (and compared with the last one)
/// only when what it is made from changes — a city lists 15 000 lines, each date heading a
/// formatted string.
#[derive(Default)]
struct Headings {
    made_from: Option<HeadingOf>,
    heading: Option<String>,
}

impl Headings {
    /// The heading to write before `e`, when `e` begins a group of its own.
    fn before(&mut self, e: &Entry, group: GroupBy, ctx: &Ctx) -> Option<String> {
        let of = if e.is_overdue() {
            HeadingOf::Overdue
        } else {
            match (group, &e.item) {
                (GroupBy::Date, Upcoming::Scheduled { date, .. }) => HeadingOf::Date(*date),
                (GroupBy::Date, Upcoming::Expected { .. }) => HeadingOf::Expected,
                (GroupBy::Body, _) => HeadingOf::Body(e.body.id),
                (GroupBy::Frequency, _) => HeadingOf::Frequency(e.body.id),
            }
        };
        if self.made_from == Some(of) {
            return None;
        }
        self.made_from = Some(of);
        let lang = ctx.lang;
        let h = match of {
            HeadingOf::Overdue => tr(lang, "group_overdue").to_owned(),
            HeadingOf::Date(date) => {
                crate::upcoming::date_heading(date, lang, ctx.prefs.date_style)
            }
            HeadingOf::Expected => tr(lang, "group_expected").to_owned(),
            HeadingOf::Body(_) => e.body.name.clone(),
            HeadingOf::Frequency(_) => match lang {
                Lang::Ja => e.body.frequency.describe_ja(),
                Lang::En => e.body.frequency.describe_en(),
            },
        };
        if self.heading.as_ref() == Some(&h) {
            return None;
        }
        self.heading = Some(h.clone());
        Some(h)
    }
}

impl Home {
    pub fn rows(&self) -> &[HomeRow] {
        &self.rows
    }

    pub fn selected(&self) -> usize {
        self.list.selected
    }

    /// Whether the listing read is the whole list (else its first lines).
    pub fn whole(&self) -> bool {
        self.whole
    }

    /// How many lines of the listing the next load reads first (`upcoming::first_lines`):
    /// enough for the selection and [`AROUND`] lines after it, and as many again, when the list
    /// is by date and not filtered; `None` to read it whole.
    fn first_lines(&self, ctx: &Ctx) -> Option<usize> {
        if !ctx.filter.is_empty() || self.group != GroupBy::Date {
            return None;
        }
        let at = self.wanted.map_or(self.list.selected, |(at, _)| at);
        at.checked_add(self.reach())
    }

    fn ahead(&self) -> usize {
        self.ahead.unwrap_or(READ_AHEAD)
    }

    fn reach(&self) -> usize {
        let reach = if self.reach == 0 {
            2 * AROUND
        } else {
            self.reach
        };
        reach.max(2 * self.height.get() + 2)
    }

    /// Rebuilds the lines from the listing and the filter.
    fn rebuild(&mut self, ctx: &Ctx) {
        let mut rows = Vec::new();
        let mut headings = Headings::default();
        let several = self.registry.several_wards;
        for (i, e) in self.registry.listing.entries.iter().enumerate() {
            if !body_matches(&ctx.filter, &e.body, several) {
                continue;
            }
            if let Some(h) = headings.before(e, self.group, ctx) {
                rows.push(HomeRow::Heading(h));
            }
            rows.push(HomeRow::Entry(i));
        }
        let lang = ctx.lang;
        let extra = [
            (
                "group_ad_hoc",
                &self.registry.listing.ad_hoc,
                HomeRow::AdHoc as fn(usize) -> HomeRow,
            ),
            (
                "group_unknown",
                &self.registry.listing.unknown,
                HomeRow::Unknown as fn(usize) -> HomeRow,
            ),
        ];
        for (key, bodies, make) in extra {
            let matching: Vec<usize> = bodies
                .iter()
                .enumerate()
                .filter(|(_, b)| body_matches(&ctx.filter, b, several))
                .map(|(i, _)| i)
                .collect();
            if !matching.is_empty() {
                rows.push(HomeRow::Heading(tr(lang, key).to_owned()));
                rows.extend(matching.into_iter().map(make));
            }
        }
        if self.whole {
            self.place_reviews(&mut rows, ctx);
        }
        self.listed = rows.iter().filter_map(|r| self.row_body(r)).collect();
        self.rows = rows;
        self.first = 0;
        self.list.selected = self.snap(self.list.selected, 1);
    }

    /// The lines of overdue reviews the filter keeps (indices in the registry's reviews).
    fn reviews_found(&self, ctx: &Ctx) -> Vec<usize> {
        let lang = ctx.lang;
        let word = tr(lang, "reviews_overdue");
        let none = tr(lang, "reviews_no_body");
        (0..self.registry.reviews.len())
            .filter(|&i| {
                let body = self.registry.reviews[i].0.as_ref();
                let name = body.map_or(none, |(_, name)| name.as_str());
                matches(&ctx.filter, &[name, word, self.review_ward(body)])
            })
            .collect()
    }

    /// Puts the overdue reviews of cases at the end of the overdue group (which they open when
    /// no body is overdue), so that both stand out together.
    fn place_reviews(&self, rows: &mut Vec<HomeRow>, ctx: &Ctx) {
        let lang = ctx.lang;
        let found: Vec<HomeRow> = self
            .reviews_found(ctx)
            .into_iter()
            .map(HomeRow::Reviews)
            .collect();
        if found.is_empty() {
            return;
        }
        let heading = tr(lang, "group_overdue");
        let at = match rows
            .iter()
            .position(|r| matches!(r, HomeRow::Heading(h) if h == heading))
        {
            Some(start) => rows[start + 1..]
                .iter()
                .position(|r| matches!(r, HomeRow::Heading(_)))
                .map_or(rows.len(), |n| start + 1 + n),
            None => {
                rows.insert(0, HomeRow::Heading(heading.to_owned()));
                1
            }
        };
        rows.splice(at..at, found);
    }

    /// The ward of a line of reviews' body, where the database holds several (as the filter
    /// reads it and the line shows it); empty otherwise.
    fn review_ward(&self, body: Option<&(i64, String)>) -> &str {
        match body {
            Some((id, _)) if self.registry.several_wards => self
                .registry
                .review_wards
                .get(id)
                .map_or("", |&ward| self.registry.wards.name(ward)),
            _ => "",
        }
    }

    /// The width of the ward column on a line of `cells` whose other columns before the name
    /// take `others`, where the database holds more than one ward (else none). The name comes
    /// first: the ward narrows, then goes, where the name would be left fewer than
    /// [`NAME_LEAST`] cells (a city at 40 columns showed each body's ward and `..` for its name).
    fn ward_width(&self, lang: Lang, wide: bool, cells: u16, others: usize) -> usize {
        if !self.registry.several_wards {
            return 0;
        }
        let room = (cells as usize).saturating_sub(others + 1 + NAME_LEAST);
        let ward = self
            .registry
            .ward_width(lang, if wide { 14 } else { 6 })
            .min(cells as usize / 6)
            .min(room);
        if ward < WARD_LEAST { 0 } else { ward }
    }

    /// The nearest selectable line from `at`, looking in `direction` first.
    fn snap(&self, at: usize, direction: i64) -> usize {
        let n = self.len();
        if n == 0 {
            return 0;
        }
        let at = at.min(n - 1);
        let selectable = |i: usize| !matches!(self.row(i), Some(HomeRow::Heading(_)));
        for step in [direction, -direction] {
            let mut i = at as i64;
            while i >= 0 && (i as usize) < n {
                if selectable(i as usize) {
                    return i as usize;
                }
                i += step;
            }
        }
        0
    }

    /// The body a row stands for (none for a heading).
    fn row_body(&self, row: &HomeRow) -> Option<i64> {
        match row {
            HomeRow::Entry(i) => Some(self.registry.listing.entries.get(*i)?.body.id),
            HomeRow::AdHoc(i) => Some(self.registry.listing.ad_hoc.get(*i)?.id),
            HomeRow::Unknown(i) => Some(self.registry.listing.unknown.get(*i)?.id),
            HomeRow::Reviews(i) => Some(self.registry.reviews.get(*i)?.0.as_ref()?.0),
            HomeRow::Heading(_) => None,
        }
    }

    fn selected_body_id(&self) -> Option<i64> {
        self.row_body(self.row(self.list.selected)?)
    }

    /// Whether the selection stands for a body not read yet: the next load reads it.
    fn wants_body(&mut self) -> bool {
        let missing = self
            .selected_body_id()
            .is_some_and(|id| self.registry.body(id).is_none());
        self.read_body |= missing;
        missing
    }

    /// Reads the bodies the selection and the detail pane (which may still show the one it
    /// showed, see widgets::detail) stand for, and no other.
    fn read_shown(&mut self, store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
        let selected = self.selected_body_id();
        let listed = |id| self.listed.contains(&id);
        let shown = ctx.detail.showing(true, selected, listed);
        let ids: Vec<i64> = selected.into_iter().chain(shown).collect();
        self.read_body = false;
        self.registry.read_bodies(store, &ids)
    }

    /// The body the selection stands for (read when the selection came to it).
    pub fn selected_body(&self) -> Option<&StoredBody> {
        self.registry.body(self.selected_body_id()?)
    }

    /// The body the detail pane shows (see widgets::detail).
    pub fn detail_body(&self, ctx: &Ctx) -> Option<&StoredBody> {
        let listed = |id| self.listed.contains(&id);
        self.registry.detail(ctx, self.selected_body_id(), listed)
    }

    /// The entry of the listing under the selection.
    fn selected_entry(&self) -> Option<&Entry> {
        match self.row(self.list.selected)? {
            HomeRow::Entry(i) => self.registry.listing.entries.get(*i),
            _ => None,
        }
    }

    /// The day a new meeting of the selected body is suggested for: an expected one's window.
    fn suggested(&self, today: NaiveDate) -> NaiveDate {
        match self.selected_entry().map(|e| &e.item) {
            Some(Upcoming::Expected { window, .. }) => window.from.max(today),
            _ => today,
        }
    }
}

impl Screen for Home {
    fn id(&self) -> ScreenId {
        ScreenId::Home
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        // Only the body the selection came to, when nobody wrote since the listing was read.
        let of = ListOf::now(store, ctx, self.group);
        let version = of.version;
        let table_of = version.map(|_| (of, ctx.filter.clone()));
        if self.table.is_some() && table_of.is_some() && table_of == self.table_of && !self.reread {
            // The table as written: the lines around the selection (or where a key sent it).
            let at = self.wanted.map_or(self.list.selected, |(at, _)| at);
            let at = at.min(self.len().saturating_sub(1));
            if !self.covers(at) {
                self.read_window(store, at)?;
            }
            if let Some((at, direction)) = self.wanted.take() {
                self.list.selected = self.snap(at, direction);
            }
            return self.read_shown(store, ctx);
        }
        let unchanged = version.is_some() && version == self.version;
        let light = unchanged && self.wanted.is_none() && !self.reread;
        // A key on the first lines: a few bodies more read ahead; the key that reads the last
        // body has the lines made again of them below (the whole listing once they reach past
        // the overdue windows).
        let ahead = std::mem::take(&mut self.more) && light && !self.whole;
        let read_all = ahead
            && self
                .registry
                .read_ahead(store, ctx, self.ahead(), version)?;
        if std::mem::take(&mut self.read_body) && light && !read_all {
            return self.read_shown(store, ctx);
        }
        if ahead && !read_all {
            return Ok(());
        }
        let today = ctx.today();
        // Written again below if the list is still a table.
        self.table = None;
        self.whole = match self.first_lines(ctx) {
            Some(n) => self.registry.load_first(store, ctx, n, version)?,
            None => {
                self.load_whole(store, ctx)?;
                true
            }
        };
        // The width of the date column is the whole list's: the first lines decide it only
        // when one of their windows needs its years.
        let years = self.windows_need_years_on(today);
        if !self.whole && !years {
            self.load_whole(store, ctx)?;
            self.whole = true;
        } else if self.whole && self.table.is_none() && self.as_table(store)? {
            // Every body read by the first lines' reading: the whole list goes to the table.
            self.load_whole(store, ctx)?;
        }
        self.version = version;
        self.reread = false;
        if self.whole && self.table.is_some() {
            self.table_of = table_of;
            let at = self.wanted.map_or(self.list.selected, |(at, _)| at);
            let at = at.min(self.len().saturating_sub(1));
            self.read_window(store, at)?;
            let (at, direction) = self.wanted.take().unwrap_or((at, 1));
            self.list.selected = self.snap(at, direction);
            return self.read_shown(store, ctx);
        }
        self.table = None;
        self.years = (Some(today), self.windows_need_years_on(today));
        self.rebuild(ctx);
        if let Some((at, direction)) = self.wanted.take() {
            self.list.selected = self.snap(at, direction);
        }
        self.read_shown(store, ctx)
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if let Some(delta) = movement(action, self.len()) {
            // The list in a table: a key beyond the lines held has them read around where it
            // goes first.
            if self.table.is_some() {
                let target = moved(self.list.selected, delta, self.len());
                if !self.covers(target) {
                    self.wanted = Some((target, delta.signum()));
                    ctx.dirty = true;
                    return Vec::new();
                }
            }
            // Near the end of the first lines read (or to the last line): read further first.
            let beyond = (self.list.selected as i64).saturating_add(delta).max(0) as usize;
            let far = action == Action::Bottom
                || beyond.saturating_add(self.reach() / 2) >= self.rows.len();
            if !self.whole && far {
                let at = if action == Action::Bottom {
                    usize::MAX
                } else {
                    beyond
                };
                self.wanted = Some((at, delta.signum()));
                ctx.dirty = true;
                return Vec::new();
            }
            let target = moved(self.list.selected, delta, self.len());
            self.list.selected = self.snap(target, delta.signum());
            if self.wants_body() {
                ctx.dirty = true;
            }
            if !self.whole {
                self.more = true;
                ctx.dirty = true;
            }
            return Vec::new();
        }
        let suggested = self.suggested(ctx.today());
        match action {
            Action::CycleGrouping => {
                self.group = match self.group {
                    GroupBy::Date => GroupBy::Body,
                    GroupBy::Body => GroupBy::Frequency,
                    GroupBy::Frequency => GroupBy::Date,
                };
                ctx.dirty = true;
            }
            Action::Open => {
                if let Some(Upcoming::Scheduled { meeting_id, .. }) =
                    self.selected_entry().map(|e| &e.item)
                {
                    // A meeting already running (a colleague's): joined live, not set up again.
                    if self.registry.running.contains(meeting_id) {
                        ctx.open(ScreenId::Live(*meeting_id));
                        return Vec::new();
                    }
                    return vec![Command::OpenSetup(*meeting_id)];
                }
                // A line of overdue case reviews: the ledger of those cases (超過のみ, of the
                // line's body); `s` schedules the body's next meeting.
                if let Some(HomeRow::Reviews(i)) = self.row(self.list.selected)
                    && let Some((body, _)) = self.registry.reviews.get(*i)
                {
                    ctx.overdue_reviews = Some(body.clone());
                    ctx.open(ScreenId::Cases);
                    return Vec::new();
                }
                if let Some(body) = self.selected_body() {
                    schedule::open_form(body, suggested, ctx);
                }
            }
            // Home is the bottom of the stack: Back takes the filter off.
            Action::Back => {
                if !ctx.filter.is_empty() {
                    ctx.filter.clear();
                    if self.table.is_some() {
                        // The table is written again without the filter.
                        self.list.selected = 0;
                        self.reread = true;
                        ctx.dirty = true;
                        return Vec::new();
                    }
                    self.rebuild(ctx);
                    if self.wants_body() {
                        ctx.dirty = true;
                    }
                }
            }
            other => {
                let body = self.selected_body();
                return schedule::on_body(other, body, suggested, ctx).unwrap_or_default();
            }
        }
        Vec::new()
    }

    fn refilter(&mut self, ctx: &Ctx) {
        self.list.selected = 0;
        if self.table.is_some() {
            // The table is written again with the filter (the app loads a stale screen).
            self.reread = true;
            return;
        }
        // A filter over the first lines read would miss the lines after them: the whole list
        // is read (the app loads a stale screen).
        self.reread = !self.whole && !ctx.filter.is_empty();
        self.rebuild(ctx);
        self.wants_body();
    }

    fn stale(&self) -> bool {
        self.read_body || self.reread
    }

    fn selection(&self) -> Option<i64> {
        self.selected_body_id()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let group = match self.group {
            GroupBy::Date => tr(lang, "grouped_by_date"),
            GroupBy::Body => tr(lang, "grouped_by_body"),
            GroupBy::Frequency => tr(lang, "grouped_by_frequency"),
        };
        let title = format!("{} ({group})", tab_title(lang, "tab_home"));
        let detail_height = if area.height >= FULL_HEIGHT && area.width >= 50 {
            5
        } else {
            0
        };
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(detail_height)]).areas(area);
        let block = block(&ctx.theme, &title, list_area.width, true);
        let inner = block.inner(list_area);
        frame.render_widget(block, list_area);
        if self.len() == 0 {
            // A filter that matches nothing says so; only an empty calendar says how to fill it.
            let word = if ctx.filter.is_empty() {
                "nothing_upcoming"
            } else {
                "nothing_matches"
            };
            let lines: Vec<Line> = crate::text::wrap(tr(lang, word), inner.width as usize)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, ctx.theme.muted)))
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
            return;
        }
        let height = inner.height as usize;
        self.height.set(height);
        let offset = first_shown(self.list.selected, height, 1);
        let end = offset.saturating_add(height).min(self.len());
        let lines: Vec<Line> = (offset..end)
            .map(|i| match self.row(i) {
                Some(row) => self.line(ctx, row, i == self.list.selected, inner.width),
                None => Line::default(),
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        if detail_height > 0 {
            self.draw_detail(frame, detail_area, ctx);
        }
    }
}

/// A window within today's year, read without its years.
fn in_year(window: &crate::domain::schedule::Window, today: NaiveDate) -> bool {
    let (january, december) = year_of(today);
    (january..=december).contains(&window.from) && (january..=december).contains(&window.to)
}

/// The first and last day of `today`'s year.
fn year_of(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let day = |m, d| NaiveDate::from_ymd_opt(today.year(), m, d).unwrap_or(today);
    (day(1, 1), day(12, 31))
}

fn when(e: &Entry, lang: Lang, wide: bool, today: NaiveDate) -> String {
    let day = |d: NaiveDate| match (lang, wide) {
        (Lang::Ja, true) => format!("{}({})", d.format("%m/%d"), weekday_ja(d)),
        (Lang::En, true) => d.format("%a %m/%d").to_string(),
        (_, false) => d.format("%m/%d").to_string(),
    };
    match &e.item {
        Upcoming::Scheduled { date, .. } => day(*date),
        Upcoming::Expected { window, .. } => {
            // A window outside this year, or across a new year, needs its years to be read right,
            // at any width (10/20-10/19 reads as a window backwards).
            let format = if in_year(window, today) {
                "%m/%d"
            } else {
                "%y/%m/%d"
            };
            format!(
                "{}-{}",
                window.from.format(format),
                window.to.format(format)
            )
        }
    }
}

impl Home {
    /// Whether an expected window listed is written with its years (its column is wider): as
    /// found when the listing was read, unless the day has changed since.
    /// The width of the date column: windows spanning another year need the year.
    fn when_width(&self, today: NaiveDate, wide: bool) -> usize {
        if wide || self.windows_need_years(today) {
            17
        } else {
            11
        }
    }

    fn windows_need_years(&self, today: NaiveDate) -> bool {
        match self.years {
            (Some(day), need) if day == today => need,
            _ => self.windows_need_years_on(today),
        }
    }

    fn windows_need_years_on(&self, today: NaiveDate) -> bool {
        self.registry.listing.entries.iter().any(|e| match &e.item {
            Upcoming::Expected { window, .. } => !in_year(window, today),
            Upcoming::Scheduled { .. } => false,
        })
    }

    fn line<'a>(&self, ctx: &Ctx, row: &HomeRow, selected: bool, cells: u16) -> Line<'a> {
        let theme = &ctx.theme;
        let lang = ctx.lang;
        let wide = cells >= FULL_WIDTH - 2;
        let marker = if selected { "> " } else { "  " };
        let (body, when_text, kind, kind_style): (&BodyRef, String, &str, _) = match row {
            HomeRow::Heading(text) => {
                return Line::from(cut(&format!("-- {text}"), cells, theme.title));
            }
            HomeRow::Reviews(i) => {
                let Some((body, count)) = self.registry.reviews.get(*i) else {
                    return Line::default();
                };
                let today = self
                    .registry
                    .reviews_today
                    .iter()
                    .find(|(b, _)| b == body)
                    .map_or(0, |(_, n)| *n);
                let counts = (*count, today);
                return self.reviews_line(ctx, body.as_ref(), counts, selected, cells);
            }
            HomeRow::Entry(i) => {
                let Some(e) = self.registry.listing.entries.get(*i) else {
                    return Line::default();
                };
                let (kind, style) = match e.item {
                    Upcoming::Scheduled { meeting_id, .. }
                        if self.registry.running.contains(&meeting_id) =>
                    {
                        (tr(lang, "kind_in_progress"), theme.accent)
                    }
                    Upcoming::Scheduled { .. } => (tr(lang, "kind_scheduled"), theme.text),
                    Upcoming::Expected { overdue: true, .. } => {
                        (tr(lang, "kind_overdue"), theme.overdue)
                    }
                    Upcoming::Expected { .. } => (tr(lang, "kind_expected"), theme.muted),
                };
                (&e.body, when(e, lang, wide, ctx.today()), kind, style)
            }
            HomeRow::AdHoc(i) | HomeRow::Unknown(i) => {
                let list = if matches!(row, HomeRow::AdHoc(_)) {
                    &self.registry.listing.ad_hoc
                } else {
                    &self.registry.listing.unknown
                };
                let Some(b) = list.get(*i) else {
                    return Line::default();
                };
                (b, String::new(), tr(lang, "kind_ad_hoc"), theme.muted)
            }
        };
        let when_width = self.when_width(ctx.today(), wide);
        let kind_width = 8.min(cells as usize / 5);
        let freq_width = if wide { 18 } else { 0 };
        let confidential = if body.personal_info {
            tr(lang, "confidential_mark")
        } else {
            ""
        };
        // The ward, where the database holds more than one.
        let others = 2 + when_width + 1 + kind_width + 1 + freq_width + usize::from(wide);
        let ward_width = self.ward_width(lang, wide, cells, others);
        let ward_gap = usize::from(ward_width > 0);
        let name_width = (cells as usize).saturating_sub(others + ward_width + ward_gap);
        let name = if confidential.is_empty() || name_width < 20 {
            fit(&body.name, name_width)
        } else {
            let room = name_width - width(confidential) - 1;
            fit(
                &format!("{} {confidential}", crate::text::truncate(&body.name, room)),
                name_width,
            )
        };
        // The selection lights the date, not the name: moving it then rewrites a few one-byte
        // characters instead of two rows of Japanese text (the name stands in full in the detail
        // pane's title, and the marker stays beside it).
        let when_style = if selected {
            theme.selection
        } else {
            theme.text
        };
        let mut spans = vec![
            Span::styled(marker, theme.accent),
            Span::styled(fit(&when_text, when_width), when_style),
            Span::raw(" "),
            Span::styled(fit(kind, kind_width), kind_style),
            Span::raw(" "),
        ];
        if ward_width > 0 {
            let ward = self.registry.ward_cell(body.ward_id, lang, ward_width);
            spans.push(Span::styled(
                fit(&crate::text::inert(&ward), ward_width),
                theme.muted,
            ));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(crate::text::inert(&name), theme.text));
        if wide {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                fit(&crate::text::inert(&body.frequency.text), freq_width),
                theme.muted,
            ));
        }
        Line::from(spans)
    }

    /// A line of overdue reviews: how many cases, !超過, the body that reviews them, and how
    /// many more of its cases are due today (`counts`: overdue, due today) — so that the home
    /// screen and `cases --due` (due by today) speak of the same cases.
    fn reviews_line<'a>(
        &self,
        ctx: &Ctx,
        body: Option<&(i64, String)>,
        (count, today): (usize, usize),
        selected: bool,
        cells: u16,
    ) -> Line<'a> {
        let theme = &ctx.theme;
        let lang = ctx.lang;
        let wide = cells >= FULL_WIDTH - 2;
        // The column of the dates above and below, so that !超過 stands under !超過; the count
        // in a shorter word where the long one would lose its number (a narrow terminal).
        let when_width = self.when_width(ctx.today(), wide);
        let kind_width = 8.min(cells as usize / 5);
        // The ward of the body, as the lines of the bodies beside it show theirs (a city's
        // wards have bodies of the same names); a line of cases no meeting discussed has none.
        let others = 2 + when_width + 1 + kind_width + 1;
        let ward_width = self.ward_width(lang, wide, cells, others);
        let ward_gap = usize::from(ward_width > 0);
        let name_width = (cells as usize).saturating_sub(others + ward_width + ward_gap);
        let label = |key| match lang {
            Lang::Ja => format!("{}{count}件", tr(lang, key)),
            Lang::En => format!("{count} {}", tr(lang, key)),
        };
        let mut count = label("reviews_overdue");
        if crate::text::width(&count) > when_width {
            count = label("reviews_overdue_short");
        }
        let mut name = match body {
            Some((_, name)) => crate::text::inert(name),
            None => tr(lang, "reviews_no_body").to_owned(),
        };
        if today > 0 {
            let word = tr(lang, "reviews_due_today");
            name = match lang {
                Lang::Ja => format!("{name}（ほか{word}{today}件）"),
                Lang::En => format!("{name} (+{today} {word})"),
            };
        }
        let marker = if selected { "> " } else { "  " };
        let when_style = if selected {
            theme.selection
        } else {
            theme.text
        };
        let mut spans = vec![
            Span::styled(marker, theme.accent),
            Span::styled(fit(&count, when_width), when_style),
            Span::raw(" "),
            Span::styled(fit(tr(lang, "kind_overdue"), kind_width), theme.overdue),
            Span::raw(" "),
        ];
        if ward_width > 0 {
            let ward = match body {
                Some((id, _)) => match self.registry.review_wards.get(id) {
                    Some(&ward) => self.registry.ward_cell(ward, lang, ward_width),
                    None => String::new(),
                },
                None => String::new(),
            };
            spans.push(Span::styled(
                fit(&crate::text::inert(&ward), ward_width),
                theme.muted,
            ));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(fit(&name, name_width), theme.text));
        Line::from(spans)
    }

    fn draw_detail(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let Some(body) = self.detail_body(ctx) else {
            return;
        };
        let r = &body.record;
        let block = block(&ctx.theme, &r.name, area.width, false);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let reading = match lang {
            Lang::Ja => crate::domain::frequency::parse(&r.frequency).describe_ja(),
            Lang::En => crate::domain::frequency::parse(&r.frequency).describe_en(),
        };
        let w = inner.width;
        let theme = &ctx.theme;
        let lines = vec![
            Line::from(vec![
                Span::styled(format!("{}: ", tr(lang, "organiser")), theme.muted),
                cut(&r.organiser, w.saturating_sub(10), theme.text),
            ]),
            Line::from(vec![
                Span::styled(format!("{}: ", tr(lang, "frequency")), theme.muted),
                cut(
                    &format!("{}  ({reading})", r.frequency),
                    w.saturating_sub(10),
                    theme.text,
                ),
            ]),
            Line::from(vec![
                Span::styled(format!("{}: ", tr(lang, "kind")), theme.muted),
                cut(
                    &format!("{}  {}", r.kind, r.municipality),
                    w.saturating_sub(10),
                    theme.text,
                ),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// Writes the home's lines into `temp.home_rows` in their order, the overdue reviews placed
/// where [`Home::place_reviews`] places them: at the end of the overdue group, which they open
/// when no body is overdue.
struct TableWriter<'s> {
    insert: rusqlite::Statement<'s>,
    pos: i64,
    /// The lines of reviews not written yet.
    waiting: Vec<usize>,
    overdue: &'static str,
    in_overdue: bool,
}

impl TableWriter<'_> {
    fn put(
        &mut self,
        kind: i64,
        body: Option<i64>,
        item: Option<&Upcoming>,
        text: Option<&str>,
    ) -> rusqlite::Result<()> {
        let (day, meeting, to, overdue) = match item {
            Some(Upcoming::Scheduled { meeting_id, date }) => {
                (Some(day_number(*date)), Some(*meeting_id), None, false)
            }
            Some(Upcoming::Expected { window, overdue }) => (
                Some(day_number(window.from)),
                None,
                Some(day_number(window.to)),
                *overdue,
            ),
            None => (None, None, None, false),
        };
        self.insert.execute(rusqlite::params![
            self.pos, kind, body, day, meeting, to, overdue, text
        ])?;
        self.pos += 1;
        Ok(())
    }

    fn reviews(&mut self) -> rusqlite::Result<()> {
        for i in std::mem::take(&mut self.waiting) {
            self.put(LINE_REVIEWS, Some(i as i64), None, None)?;
        }
        Ok(())
    }

    fn heading(&mut self, text: &str) -> rusqlite::Result<()> {
        if !self.waiting.is_empty() {
            if self.in_overdue {
                self.reviews()?;
            } else if self.pos == 0 && text != self.overdue {
                self.put(LINE_HEADING, None, None, Some(self.overdue))?;
                self.reviews()?;
            }
        }
        self.put(LINE_HEADING, None, None, Some(text))?;
        self.in_overdue = text == self.overdue;
        Ok(())
    }

    fn finish(&mut self) -> rusqlite::Result<()> {
        if !self.waiting.is_empty() {
            if !self.in_overdue {
                self.put(LINE_HEADING, None, None, Some(self.overdue))?;
            }
            self.reviews()?;
        }
        Ok(())
    }
}

/// A date as a number that sorts as dates do.
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

fn date_of(days: Option<i64>) -> anyhow::Result<NaiveDate> {
    days.and_then(|d| i32::try_from(d).ok())
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| anyhow::anyhow!("day {days:?} of the home's list"))
}

impl Home {
    /// How many lines the list has (the table's, or those held).
    fn len(&self) -> usize {
        self.table.unwrap_or(self.rows.len())
    }

    /// The line at `at` of the list, when it is held.
    fn row(&self, at: usize) -> Option<&HomeRow> {
        self.rows.get(at.checked_sub(self.first)?)
    }

    /// Whether the lines held cover what the view of the line `at` may show.
    fn covers(&self, at: usize) -> bool {
        self.table.is_none()
            || list::window_covers(
                at,
                self.len(),
                self.height.get(),
                self.first,
                self.rows.len(),
            )
    }

    /// Whether the whole list is written into a table rather than held: a database of more
    /// than [`TABLE_BODIES`] bodies.
    fn as_table(&self, store: &Store) -> anyhow::Result<bool> {
        let bodies: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM bodies", [], |r| r.get(0))?;
        Ok(bodies as usize > self.table_bodies.unwrap_or(TABLE_BODIES))
    }

    /// The whole list: held, or written into `temp.home_rows` (see [`TABLE_BODIES`]).
    fn load_whole(&mut self, store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
        if !self.as_table(store)? {
            self.table = None;
            self.table_of = None;
            return self.registry.load_listing(store, ctx, self.group);
        }
        self.registry.load_beside_table(store)?;
        self.write_table(store, ctx)
    }

    /// Writes the whole list, filtered, into `temp.home_rows`, as [`Home::rebuild`] makes its
    /// lines of the listing held, from the list sorted by SQLite (`upcoming::Sorted`).
    fn write_table(&mut self, store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
        // The lines commit together (see `Store::batched`); the sorted list is left for the
        // next writing only once they did.
        let kept = self.sorted.take();
        self.sorted = Some(store.batched(|| self.write_lines(store, ctx, kept))?);
        Ok(())
    }

    /// [`Home::write_table`]'s writing of the lines, from the sorted list `kept` left when
    /// nothing was written since (a filter key: on a city, making the list again read every
    /// body's meetings, 0.3 s a key on C24); what the sorted list left is of.
    fn write_lines(
        &mut self,
        store: &Store,
        ctx: &Ctx,
        kept: Option<ListOf>,
    ) -> anyhow::Result<ListOf> {
        use crate::upcoming::Sorted;
        let today = ctx.today();
        let several = self.registry.several_wards;
        let (group, filter) = (self.group, ctx.filter.as_str());
        let of = ListOf::now(store, ctx, group);
        let again = match kept == Some(of) {
            true => Sorted::again(store, several)?,
            false => None,
        };
        let sorted = match again {
            Some(sorted) => sorted,
            None => Sorted::build(
                store,
                (today, super::DAYS_AHEAD, today),
                group,
                (false, None),
            )?,
        };
        // A filter's lines only: the bodies it keeps found first, the others' not read.
        let matching = match filter.is_empty() {
            true => None,
            false => Some(crate::upcoming::bodies_where(store, &|b| {
                body_matches(filter, b, several)
            })?),
        };
        let conn = store.conn();
        conn.execute_batch(
            "DROP TABLE IF EXISTS temp.home_rows;
             CREATE TEMP TABLE home_rows (pos INTEGER PRIMARY KEY, kind INTEGER NOT NULL,
                 body INTEGER, day INTEGER, meeting INTEGER, to_day INTEGER, overdue INTEGER,
                 text TEXT);",
        )?;
        let waiting = self.reviews_found(ctx);
        let mut listed: HashSet<i64> = waiting
            .iter()
            .filter_map(|&i| Some(self.registry.reviews.get(i)?.0.as_ref()?.0))
            .collect();
        let mut w = TableWriter {
            insert: conn
                .prepare("INSERT INTO temp.home_rows VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?,
            pos: 0,
            waiting,
            overdue: tr(ctx.lang, "group_overdue"),
            in_overdue: false,
        };
        let mut headings = Headings::default();
        // The width of the date column is the whole list's, filtered or not (see `in_year`).
        let (january, december) = year_of(today);
        let years = sorted.windows_outside(january, december)?;
        sorted.each_entry_of(matching.as_ref(), &mut |e| {
            if let Some(h) = headings.before(e, group, ctx) {
                w.heading(&h)?;
            }
            w.put(LINE_ENTRY, Some(e.body.id), Some(&e.item), None)?;
            listed.insert(e.body.id);
            Ok(())
        })?;
        let extra = [
            (true, "group_ad_hoc", LINE_AD_HOC),
            (false, "group_unknown", LINE_UNKNOWN),
        ];
        for (ad_hoc, key, kind) in extra {
            let mut headed = false;
            sorted.each_extra_of(ad_hoc, matching.as_ref(), &mut |b| {
                if !std::mem::replace(&mut headed, true) {
                    w.heading(tr(ctx.lang, key))?;
                }
                w.put(kind, Some(b.id), None, None)?;
                listed.insert(b.id);
                Ok(())
            })?;
        }
        w.finish()?;
        self.table = Some(w.pos as usize);
        self.listed = listed;
        self.years = (Some(today), years);
        sorted.keep();
        Ok(of)
    }

    /// Reads the lines of the table around the line `at` ([`list::window_around`]), each
    /// entry's body read by its id.
    fn read_window(&mut self, store: &Store, at: usize) -> anyhow::Result<()> {
        let Some(count) = self.table else {
            return Ok(());
        };
        let range = list::window_around(at, count, self.height.get());
        let mut stmt = store.conn().prepare_cached(
            "SELECT kind, body, day, meeting, to_day, overdue, text FROM temp.home_rows
             WHERE pos >= ?1 AND pos < ?2 ORDER BY pos",
        )?;
        let mut read = stmt.query(rusqlite::params![range.start as i64, range.end as i64])?;
        let mut listing = crate::upcoming::Listing::default();
        let mut rows = Vec::with_capacity(range.len());
        let mut bodies: std::collections::HashMap<i64, std::rc::Rc<BodyRef>> =
            std::collections::HashMap::new();
        let mut parsed = std::collections::HashMap::new();
        while let Some(r) = read.next()? {
            let kind: i64 = r.get(0)?;
            let id: Option<i64> = r.get(1)?;
            let (kind, id) = match (kind, id) {
                (LINE_REVIEWS, Some(i)) => {
                    rows.push(HomeRow::Reviews(i as usize));
                    continue;
                }
                (LINE_ENTRY | LINE_AD_HOC | LINE_UNKNOWN, Some(id)) => (kind, id),
                _ => {
                    rows.push(HomeRow::Heading(
                        r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    ));
                    continue;
                }
            };
            let body = match bodies.get(&id) {
                Some(body) => std::rc::Rc::clone(body),
                None => {
                    // Gone since the table was written: the next load writes it again.
                    let Some(body) = store.schedule_body(id)? else {
                        rows.push(HomeRow::Heading(String::new()));
                        continue;
                    };
                    let frequency = crate::upcoming::parsed_once(&mut parsed, &body.frequency);
                    let body = std::rc::Rc::new(crate::upcoming::body_ref(body, frequency));
                    bodies.insert(id, std::rc::Rc::clone(&body));
                    body
                }
            };
            rows.push(match kind {
                LINE_ENTRY => {
                    let day = date_of(r.get(2)?)?;
                    let item = match r.get::<_, Option<i64>>(3)? {
                        Some(meeting_id) => Upcoming::Scheduled {
                            meeting_id,
                            date: day,
                        },
                        None => Upcoming::Expected {
                            window: crate::domain::schedule::Window {
                                from: day,
                                to: date_of(r.get(4)?)?,
                            },
                            overdue: r.get(5)?,
                        },
                    };
                    listing.entries.push(Entry { body, item });
                    HomeRow::Entry(listing.entries.len() - 1)
                }
                LINE_AD_HOC => {
                    listing.ad_hoc.push((*body).clone());
                    HomeRow::AdHoc(listing.ad_hoc.len() - 1)
                }
                _ => {
                    listing.unknown.push((*body).clone());
                    HomeRow::Unknown(listing.unknown.len() - 1)
                }
            });
        }
        self.registry.listing = listing;
        self.rows = rows;
        self.first = range.start;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::store::setup::tests::sql_steps;
    use crate::tui::screens::Overlay;
    use crate::tui::screens::testing::{Demo, drawn};
    use chrono::DateTime;

    #[test]
    fn the_home_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut home = demo.loaded(Home::default(), &mut ctx);
        assert!(matches!(home.rows()[0], HomeRow::Heading(_)));
        assert_eq!(home.selected(), 1, "the selection skips headings");
        for _ in 0..5 {
            home.update(Action::Down, &mut ctx);
            assert!(!matches!(home.rows()[home.selected()], HomeRow::Heading(_)));
        }
        let screen = drawn(&home, &ctx, 80, 22);
        assert!(screen.contains("予定 (日付順)"), "{screen}");
        assert_eq!(screen.matches("> ").count(), 1, "{screen}");

        // Grouping asks for the list to be read again.
        ctx.dirty = false;
        home.update(Action::CycleGrouping, &mut ctx);
        assert!(ctx.dirty);
        home.load(&demo.store, &mut ctx).unwrap();
        assert!(drawn(&home, &ctx, 80, 22).contains("会議体順"));

        // A filter keeps what matches; the planned meeting opens its setup.
        ctx.filter = "支援方針検討会議".to_owned();
        home.refilter(&ctx);
        let id = demo.planned("支援方針検討会議");
        assert_eq!(
            home.update(Action::Open, &mut ctx),
            vec![Command::OpenSetup(id)]
        );
        // The selection's body is read by the load the app then makes (`stale`).
        assert!(home.stale());
        home.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(home.selection(), Some(home.selected_body().unwrap().id));

        // Back, at the bottom of the stack, takes the filter off.
        home.update(Action::Back, &mut ctx);
        assert!(ctx.filter.is_empty());
        assert!(home.rows().len() > 5);

        // An expected meeting is put in the calendar with a form.
        ctx.filter = "期限".to_owned();
        let overdue = home
            .rows()
            .iter()
            .position(|r| matches!(r, HomeRow::Heading(h) if h.contains("期限超過")));
        assert!(overdue.is_some());
        ctx.filter.clear();
        home.refilter(&ctx);
        // As the app does: the load a stale selection asks for reads its body.
        assert!(home.stale());
        home.load(&demo.store, &mut ctx).unwrap();
        home.update(Action::Open, &mut ctx);
        assert!(matches!(ctx.overlay, Overlay::Form(_)));
    }

    /// Issue 21 item 1: the home reads the record of the body its selection stands for (and
    /// of the one the detail pane still shows), never every body's — a city has 12 000.
    #[test]
    fn the_home_reads_only_the_bodies_it_shows() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut home = demo.loaded(Home::default(), &mut ctx);
        let whole = demo.store.bodies().unwrap();
        assert!(whole.len() > 10, "{}", whole.len());
        assert_eq!(home.registry.bodies.len(), 1);
        let first = home.selection();
        let as_whole = |home: &Home| whole.iter().find(|b| Some(b.id) == home.selection());
        assert_eq!(home.selected_body(), as_whole(&home));
        // Keys down to another body: the key asks for a load, which reads that body alone.
        ctx.dirty = false;
        while home.selection() == first {
            home.update(Action::Down, &mut ctx);
        }
        assert!(ctx.dirty && home.selected_body().is_none());
        home.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(home.selected_body(), as_whole(&home));
        assert_eq!(home.registry.bodies.len(), 1);
        // The detail pane still showing the first body (keys not paused): both are held.
        ctx.detail.settle(first);
        ctx.defer_detail = true;
        home.update(Action::Down, &mut ctx);
        home.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(home.detail_body(&ctx).map(|b| b.id), first);
        assert_eq!(home.selected_body(), as_whole(&home));
        assert!(home.registry.bodies.len() <= 2);
    }

    /// Issue 21 item 3: where the overdue windows are many (a city), the home reads the first
    /// lines of its list only (`upcoming::first_lines`), the lines the whole list begins with;
    /// keys moving the selection toward their end read further, then the whole list, and the
    /// selection goes where it goes on the whole list; End and a filter read the whole list.
    #[test]
    fn the_home_reads_its_first_lines_and_further_as_the_selection_goes() {
        // The demo's few bodies: first lines reaching six lines past the selection (a city's
        // reach 128), the same code.
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let load = |home: &mut Home, ctx: &mut Ctx| {
            home.load(&demo.store, ctx).unwrap();
            ctx.dirty = false;
        };
        let first_lines = || Home {
            reach: 4,
            ahead: Some(0),
            ..Home::default()
        };
        let mut first = first_lines();
        load(&mut first, &mut ctx);
        assert!(!first.whole(), "{} lines", first.rows().len());
        // The whole list, as a load far down reads it.
        let mut whole = Home {
            wanted: Some((usize::MAX, 1)),
            ..first_lines()
        };
        load(&mut whole, &mut ctx);
        assert!(whole.whole());
        assert!(whole.rows().len() > first.rows().len() + 4);
        assert_eq!(first.rows()[..], whole.rows()[..first.rows().len()]);
        whole.update(Action::Top, &mut ctx);
        assert_eq!(first.selected(), whole.selected());
        assert_eq!(drawn(&first, &ctx, 100, 3), drawn(&whole, &ctx, 100, 3));

        // Keys down, a line or a page at a time: the same lines, the same selection.
        let mut further = 0;
        for n in 0..400 {
            let key = if n % 3 == 2 {
                Action::PageDown
            } else {
                Action::Down
            };
            for home in [&mut first, &mut whole] {
                home.update(key, &mut ctx);
                if std::mem::take(&mut ctx.dirty) || home.stale() {
                    load(home, &mut ctx);
                }
            }
            assert_eq!(first.selected(), whole.selected(), "key {n}");
            let shown = first.rows().len();
            further += usize::from(!first.whole());
            assert_eq!(first.rows()[..], whole.rows()[..shown], "key {n}");
            assert!(
                first.whole() || first.selected() + first.reach() / 2 < shown,
                "key {n}"
            );
            if first.whole() {
                break;
            }
        }
        assert!(first.whole(), "read whole after {} lines", first.selected());
        assert!(further >= 1, "{further} keys on first lines");

        // End reads the whole list and goes to its last line.
        let mut end = first_lines();
        load(&mut end, &mut ctx);
        assert!(!end.whole());
        end.update(Action::Bottom, &mut ctx);
        assert!(ctx.dirty);
        load(&mut end, &mut ctx);
        whole.update(Action::Bottom, &mut ctx);
        assert!(end.whole());
        assert_eq!(end.selected(), whole.selected());

        // A filter typed over the first lines reads the whole list (the app loads a stale screen).
        let mut filtered = first_lines();
        load(&mut filtered, &mut ctx);
        ctx.filter = "会議".to_owned();
        filtered.refilter(&ctx);
        assert!(filtered.stale());
        load(&mut filtered, &mut ctx);
        whole.refilter(&ctx);
        assert!(filtered.whole() && !filtered.stale());
        assert_eq!(filtered.rows(), whole.rows());
    }

    /// Issue 21 item 1: past 1 024 lines the home read its whole list at one key (121 ms on a
    /// city); it reads on from where it stopped, a few bodies at each key, and every line it
    /// shows is the whole list's line, the selection where it is on the whole list
    /// (`upcoming::many_overdue`: more than 1 200 overdue lines). First with nothing read
    /// ahead, then a body at each key.
    #[test]
    fn the_home_past_a_thousand_lines_reads_on_as_the_whole_list_reads() {
        let (_dir, store, _) = crate::upcoming::many_overdue();
        let mut ctx = mono_ctx(&store);
        let load = |home: &mut Home, ctx: &mut Ctx| {
            home.load(&store, ctx).unwrap();
            ctx.dirty = false;
        };
        let mut whole = Home {
            wanted: Some((usize::MAX, 1)),
            ..Home::default()
        };
        load(&mut whole, &mut ctx);
        assert!(whole.whole());
        whole.update(Action::Top, &mut ctx);
        let mut home = Home {
            ahead: Some(0),
            ..Home::default()
        };
        load(&mut home, &mut ctx);
        assert!(!home.whole());
        let mut keys = 0;
        while home.selected() < 1100 {
            // A page at a time to 950 lines, then a line at a time across 1 024.
            let key = if home.selected() < 950 {
                Action::PageDown
            } else {
                Action::Down
            };
            for screen in [&mut home, &mut whole] {
                screen.update(key, &mut ctx);
                if std::mem::take(&mut ctx.dirty) || screen.stale() {
                    load(screen, &mut ctx);
                }
            }
            keys += 1;
            assert_eq!(home.selected(), whole.selected(), "key {keys}");
            let shown = home.rows().len();
            assert_eq!(home.rows()[..], whole.rows()[..shown], "key {keys}");
            assert!(home.selected() + home.reach() / 2 < shown, "key {keys}");
        }
        assert!(!home.whole(), "read whole at line {}", home.selected());
        assert_eq!(drawn(&home, &ctx, 100, 30), drawn(&whole, &ctx, 100, 30));
        // The keys read every body ahead, one each: then the whole list.
        home.ahead = Some(1);
        while !home.whole() && keys < 5000 {
            home.update(Action::Down, &mut ctx);
            whole.update(Action::Down, &mut ctx);
            if std::mem::take(&mut ctx.dirty) || home.stale() {
                load(&mut home, &mut ctx);
            }
            keys += 1;
        }
        assert!(home.whole(), "not whole after {keys} keys");
        assert_eq!(home.rows(), whole.rows());
        assert_eq!(home.selected(), whole.selected());
    }

    /// A context of the store's time, in Japanese and without colours.
    fn mono_ctx(store: &Store) -> Ctx {
        Ctx::new(
            Lang::Ja,
            crate::tui::theme::Theme::mono(),
            crate::tui::keymap::Keymap::default_keymap(),
            store.now(),
        )
    }

    /// Keys on a home whose whole list is held and on one whose list is written into
    /// `temp.home_rows` (every database a "city" here), loading each when it asks: the same
    /// selection, body and screen after every key, the table's home holding only the lines
    /// around its selection.
    fn table_is_held(store: &Store, ctx: &mut Ctx, keys: &[Action]) {
        let load = |home: &mut Home, ctx: &mut Ctx| {
            home.load(store, ctx).unwrap();
            ctx.dirty = false;
        };
        let whole = |table| Home {
            wanted: Some((usize::MAX, 1)),
            table_bodies: table,
            ..Home::default()
        };
        let (mut held, mut table) = (whole(None), whole(Some(0)));
        for home in [&mut held, &mut table] {
            load(home, ctx);
            home.update(Action::Top, ctx);
            load(home, ctx);
        }
        assert!(held.table.is_none() && held.whole());
        let lines = table.table.unwrap();
        assert_eq!(lines, held.rows().len());
        let mut far = 0;
        for (n, &key) in keys.iter().enumerate() {
            for home in [&mut held, &mut table] {
                if key == Action::Back {
                    // The filter typed, then taken off: as the app does.
                    if ctx.filter.is_empty() {
                        ctx.filter = "会議".to_owned();
                    }
                    home.refilter(ctx);
                    load(home, ctx);
                    continue;
                }
                home.update(key, ctx);
                if std::mem::take(&mut ctx.dirty) || home.stale() {
                    load(home, ctx);
                }
            }
            if key == Action::Back {
                ctx.filter.clear();
                for home in [&mut held, &mut table] {
                    home.refilter(ctx);
                    load(home, ctx);
                }
            }
            assert_eq!(held.selected(), table.selected(), "key {n} {key:?}");
            assert_eq!(held.selection(), table.selection(), "key {n} {key:?}");
            assert_eq!(
                drawn(&held, ctx, 100, 30),
                drawn(&table, ctx, 100, 30),
                "key {n} {key:?}"
            );
            // Past the first lines (which both read alike), the lines around the selection.
            assert!(
                table.table.is_none() || table.rows().len() <= 2 * AROUND + 1,
                "key {n}"
            );
            far = far.max(table.first);
        }
        assert!(far > 0 || lines <= 2 * AROUND, "the window never moved");
    }

    /// Task bounded11, item 1: a city's home holds the lines around its selection, the whole
    /// list sorted by SQLite in a temporary table; what it shows is what the held list shows,
    /// by date (more than 1 200 overdue lines), by body and by frequency, filtered, at the top,
    /// the bottom and between.
    #[test]
    fn the_home_in_a_table_shows_what_the_held_list_shows() {
        let (_dir, store, _) = crate::upcoming::many_overdue();
        let mut ctx = mono_ctx(&store);
        let mut keys = vec![Action::Down; 70];
        keys.extend([Action::PageDown; 20]);
        keys.extend([
            Action::Bottom,
            Action::Up,
            Action::PageUp,
            Action::Top,
            Action::Back,
            Action::Down,
            Action::CycleGrouping,
        ]);
        keys.extend([Action::PageDown; 15]);
        keys.extend([Action::Bottom, Action::CycleGrouping, Action::PageUp]);
        keys.extend([Action::Up; 70]);
        keys.extend([Action::Top, Action::CycleGrouping, Action::Bottom]);
        table_is_held(&store, &mut ctx, &keys);
        // The demo's overdue reviews, beside the overdue bodies.
        let demo = Demo::new();
        let later =
            Clock::fixed(DateTime::parse_from_rfc3339("2027-01-25T10:00:00+09:00").unwrap());
        let later = Store::open(demo.store.path(), later).unwrap();
        ctx.now = later.now();
        let keys = [
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Back,
            Action::Down,
        ];
        table_is_held(&later, &mut ctx, &keys);
    }

    /// The whole table a home wrote on `store`'s connection, line by line.
    fn table_rows(store: &Store) -> String {
        store
            .conn()
            .query_row(
                "SELECT json_group_array(json_array(kind, body, day, meeting, to_day, overdue, text))
                 FROM (SELECT * FROM temp.home_rows ORDER BY pos)",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// A filter typed on a city's home (its list a table) reads again the list SQLite sorted
    /// for the key before while nothing is written (making it anew read every body's meetings:
    /// 0.3 s a key on C24): its lines are those of a home made anew with the filter, on
    /// another connection, at each key; and a meeting scheduled meanwhile is in them, by this
    /// process (its own writes leave the data version as it was: `Ctx::writes`) or by another.
    #[test]
    fn a_filter_on_a_city_s_home_reads_the_sorted_list_again_until_something_is_written() {
        let (dir, mut store, today) = crate::upcoming::many_overdue();
        let path = dir.path().join("t.db");
        let mut other = Store::open(&path, store.clock().clone()).unwrap();
        let mut ctx = mono_ctx(&store);
        let table = || Home {
            table_bodies: Some(0),
            ..Home::default()
        };
        let load = |home: &mut Home, store: &Store, ctx: &mut Ctx| {
            home.load(store, ctx).unwrap();
            ctx.dirty = false;
        };
        // The lines of a home made anew on the other connection with the filter typed.
        let anew = |other: &Store, ctx: &mut Ctx| {
            let mut home = table();
            load(&mut home, other, ctx);
            table_rows(other)
        };
        let mut home = table();
        load(&mut home, &store, &mut ctx);
        let typed = |home: &mut Home, store: &mut Store, ctx: &mut Ctx, filter: &str| {
            ctx.filter = filter.to_owned();
            sql_steps(store, |store| {
                home.refilter(ctx);
                load(home, store, ctx);
            })
        };
        let body: i64 = store
            .conn()
            .query_row(
                "SELECT MIN(id) FROM bodies WHERE name LIKE '%会議%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let meeting = |store: &mut Store, days: i64| {
            store
                .schedule_meeting(&crate::store::capture::NewMeeting {
                    body_id: body,
                    date: today + chrono::Duration::days(days),
                    start: Some("10:00".to_owned()),
                    end: None,
                    place: String::new(),
                })
                .unwrap()
        };
        let listed = |store: &Store, id: i64| -> bool {
            store
                .conn()
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM temp.home_rows WHERE meeting = ?1)",
                    [id],
                    |r| r.get(0),
                )
                .unwrap()
        };
        // The first key makes the table (the home had read its first lines only); the next
        // read the sorted list again. The last is the first's filter again: a quarter of the
        // steps fewer at least (the sorting, about 51 000 of 167 000 here).
        let mut steps = Vec::new();
        for filter in ["会", "会議", "定例", "会"] {
            steps.push(typed(&mut home, &mut store, &mut ctx, filter));
            assert_eq!(table_rows(&store), anew(&other, &mut ctx), "{filter}");
        }
        let (made, again) = (steps[0], steps[3]);
        assert!(
            again + made / 4 < made,
            "{again} steps again, {made} to make it"
        );
        // Written by this process: its count of writes says so (as `App::performed` counts a
        // command's).
        let ours = meeting(&mut store, 3);
        ctx.writes += 1;
        typed(&mut home, &mut store, &mut ctx, "会");
        assert!(listed(&store, ours));
        assert_eq!(table_rows(&store), anew(&other, &mut ctx));
        // By another: the data version.
        let theirs = meeting(&mut other, 4);
        typed(&mut home, &mut store, &mut ctx, "会議");
        assert!(listed(&store, theirs));
        assert_eq!(table_rows(&store), anew(&other, &mut ctx));
    }

    /// Attack report 20: Enter on a colleague's running (開催中) meeting went through its setup
    /// and "b 会議を開始"; it joins the live screen.
    #[test]
    fn a_running_meeting_opens_live() {
        let mut demo = Demo::new();
        let id = demo.planned("支援方針検討会議");
        demo.store.set_user("tanaka");
        demo.store.prepare_agenda(id).unwrap();
        demo.store.start_meeting(id).unwrap();
        demo.store.set_user("sato");
        let mut ctx = demo.ctx();
        let mut home = demo.loaded(Home::default(), &mut ctx);
        ctx.filter = "支援方針検討会議".to_owned();
        home.refilter(&ctx);
        assert!(home.update(Action::Open, &mut ctx).is_empty());
        assert_eq!(
            ctx.take_nav(),
            Some(crate::tui::screens::Nav::Open(ScreenId::Live(id)))
        );
    }

    #[test]
    fn overdue_reviews_stand_beside_the_overdue_bodies() {
        use crate::domain::case::Level;
        use crate::store::cases::{CaseEdit, NewCase};
        let mut demo = Demo::new();
        let held = demo.held();
        let store = &mut demo.store;
        // A high-risk case discussed at a held meeting (monthly review), and one never discussed
        // whose review date was set and has passed.
        let discussed = store
            .create_case(&NewCase {
                pseudonym: "X世帯".to_owned(),
                opened: Some(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()),
                ..NewCase::default()
            })
            .unwrap();
        store.link_case(held, discussed).unwrap();
        let edit = |store: &Store, id: i64| {
            let d = store.case_detail(id).unwrap().unwrap();
            CaseEdit {
                pseudonym: d.row.pseudonym,
                opened: d.row.opened,
                referred_by: d.row.referred_by,
                lead_agency: d.row.lead_agency,
                key_person: d.key_person,
                risk: Some(Level::High),
                urgency: d.row.urgency,
                policy: d.row.policy,
                next_review: d.row.review_set,
                loaded: None,
            }
        };
        let e = edit(store, discussed);
        store.update_case(discussed, &e, None).unwrap();
        let alone = store
            .create_case(&NewCase {
                pseudonym: "Y世帯".to_owned(),
                ..NewCase::default()
            })
            .unwrap();
        let mut e = edit(store, alone);
        e.next_review = NaiveDate::from_ymd_opt(2026, 11, 1);
        store.update_case(alone, &e, None).unwrap();
        // One more never discussed, due today: not overdue, but `cases --due` lists it.
        let today = store
            .create_case(&NewCase {
                pseudonym: "Z世帯".to_owned(),
                ..NewCase::default()
            })
            .unwrap();
        let mut e = edit(store, today);
        e.next_review = NaiveDate::from_ymd_opt(2026, 11, 21);
        store.update_case(today, &e, None).unwrap();
        let body = store
            .meetings(None)
            .unwrap()
            .into_iter()
            .find(|m| m.id == held)
            .unwrap()
            .body_id;

        // On the day of the tests only the case with a passed date is overdue: a row of its own
        // in the overdue group.
        let mut ctx = demo.ctx();
        let home = demo.loaded(Home::default(), &mut ctx);
        let screen = drawn(&home, &ctx, 80, 30);
        let line = screen
            .lines()
            .find(|l| l.contains("事例の確認1件"))
            .unwrap_or("");
        assert!(line.contains("!超過"), "{screen}");
        assert!(screen.contains("まだ会議で扱っていない事例"), "{screen}");
        // Attack report 2, finding 14: the line says how many more are due today, so that home
        // and `cases --due` (due by today: Y and Z) speak of the same cases.
        assert!(line.contains("ほか本日確認1件"), "{screen}");
        let due = crate::store::cases::LedgerFilter::Open;
        assert_eq!(demo.store.case_ledger(due, true).unwrap().len(), 2);
        let heading = screen.find("-- 期限超過").unwrap();
        assert!(screen.find("事例の確認1件").unwrap() > heading, "{screen}");
        // At 40 columns the count keeps its number (a shorter word), and its !超過 stands in the
        // column of the rows around it.
        let narrow = drawn(&home, &ctx, 40, 30);
        let line = narrow.lines().find(|l| l.contains("確認1件"));
        let line = line.unwrap_or_else(|| panic!("{narrow}"));
        let column = |l: &str| l.find("!超過").map(|i| crate::text::width(&l[..i]));
        let body_row = narrow
            .lines()
            .find(|l| l.contains("!超過") && !l.contains("確認"));
        assert_eq!(column(line), body_row.and_then(column), "{narrow}");

        // Two months on, every demo case is overdue too, counted by the body that last
        // discussed it; the row selects that body (`s` schedules its next meeting).
        let later =
            Clock::fixed(DateTime::parse_from_rfc3339("2027-01-25T10:00:00+09:00").unwrap());
        let later = Store::open(demo.store.path(), later).unwrap();
        let mut home = Home::default();
        home.load(&later, &mut ctx).unwrap();
        let reviews = home.registry.reviews.clone();
        assert!(
            reviews
                .iter()
                .any(|(b, n)| b.as_ref().map(|b| b.0) == Some(body) && *n >= 1)
        );
        assert_eq!(
            reviews.iter().map(|(_, n)| n).sum::<usize>(),
            later
                .case_ledger(crate::store::cases::LedgerFilter::Open, true)
                .unwrap()
                .len()
        );
        let at = home
            .rows()
            .iter()
            .position(|r| matches!(r, HomeRow::Reviews(i) if reviews[*i].0.as_ref().map(|b| b.0) == Some(body)))
            .unwrap();
        home.list.selected = at;
        assert_eq!(home.selection(), Some(body));
        // The filter finds them by the word or by the body.
        ctx.filter = "事例の確認".to_owned();
        home.refilter(&ctx);
        assert!(
            home.rows()
                .iter()
                .all(|r| matches!(r, HomeRow::Reviews(_) | HomeRow::Heading(_)))
        );
        assert_eq!(
            home.rows()
                .iter()
                .filter(|r| matches!(r, HomeRow::Reviews(_)))
                .count(),
            reviews.len()
        );
        ctx.lang = Lang::En;
        ctx.filter.clear();
        home.refilter(&ctx);
        let screen = drawn(&home, &ctx, 80, 30);
        let line = screen
            .lines()
            .find(|l| l.contains("case reviews"))
            .unwrap_or("");
        assert!(line.contains("!OVERDUE"), "{screen}");
        // Attack report 2, 18d: Enter on the line of overdue cases no meeting has discussed
        // (no body to schedule) opens the ledger, overdue reviews first, instead of nothing.
        let alone = home
            .rows()
            .iter()
            .position(|r| matches!(r, HomeRow::Reviews(i) if reviews[*i].0.is_none()))
            .unwrap();
        home.list.selected = alone;
        ctx.take_nav();
        assert!(home.update(Action::Open, &mut ctx).is_empty());
        assert_eq!(
            ctx.take_nav(),
            Some(crate::tui::screens::Nav::Open(ScreenId::Cases))
        );
        // Narrowed to those cases (超過のみ, of no body), as many as the line says: not merely
        // the whole ledger sorted overdue first.
        use crate::tui::screens::cases::{Cases, Overdue};
        assert_eq!(ctx.overdue_reviews, Some(None));
        ctx.now = later.now();
        let mut ledger = Cases::default();
        ledger.load(&later, &mut ctx).unwrap();
        assert_eq!(ctx.overdue_reviews, None, "taken once");
        assert_eq!(ledger.overdue(), &Overdue::Of(None));
        let count = |b: Option<i64>| {
            reviews
                .iter()
                .find(|(r, _)| r.as_ref().map(|r| r.0) == b)
                .map_or(0, |(_, n)| *n)
        };
        assert_eq!(ledger.rows().len(), count(None));
        // The line of a body: its overdue cases alone (`s` there schedules its meeting).
        home.list.selected = at;
        assert!(home.update(Action::Open, &mut ctx).is_empty());
        ctx.take_nav();
        ledger.load(&later, &mut ctx).unwrap();
        let shown = ledger.rows();
        assert_eq!(shown.len(), count(Some(body)));
        assert!(
            shown
                .iter()
                .all(|r| r.review_body.as_ref().map(|b| b.0) == Some(body)
                    && r.review_overdue(later.clock().today()))
        );
    }
}
