//! Bodies: the registry, filtered by typing, with a detail pane (organiser, members, topics,
//! frequency and its reading, personal information, parent and reporting bodies, last and next
//! meeting). From here a body's meetings are listed (Enter: past and planned, each opened as
//! it stands), one is scheduled or held now, or the last minutes read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use chrono::{Days, NaiveDate};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::schedule::{self, Registry};
use super::{Ctx, DAYS_AHEAD, Screen, ScreenId, tab_title};
use crate::domain::frequency;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{Store, StoredBody};
use crate::text::{fit, inert, wrap};
use crate::tui::command::Command;
use crate::tui::widgets::list::{AROUND, ListState, in_view, matches, page_start};
use crate::tui::widgets::{FULL_WIDTH, block, cut};
use crate::tui::words::tr;

#[derive(Debug, Default)]
pub struct Bodies {
    /// The bodies around the selection (read by id), the meetings running, the wards.
    registry: Registry,
    /// The ids of the bodies that pass the filter, in the registry's order (their ids): a
    /// city's 12 000 bodies were read whole (22 MB) while the screen showed.
    rows: Vec<i64>,
    list: ListState,
    /// The rows whose bodies are held (`registry.bodies`).
    held: std::ops::Range<usize>,
    /// Of the bodies the detail pane may show: the next meeting planned in the home's days
    /// (its id and date), and the names of the bodies under it.
    next: HashMap<i64, Option<(i64, NaiveDate)>>,
    children: HashMap<i64, Vec<String>>,
    /// The database's data version when the rows were read; the filter typed since.
    version: Option<i64>,
    refiltered: bool,
    /// The selection moved: the next load reads what the detail pane shows of it (and the
    /// bodies around it when it nears the end of those held).
    moved: bool,
    /// The body selected when the screen was left: selected again where it stands in the rows
    /// read on coming back. The filter is gone by then, and the row it was on is another body's
    /// (attack of 2026-12-05, round 31, finding 4: 2, /支援会議, ↓↓, 1, 2 left the selection on
    /// 地域自立支援協議会専門部会, and `n` held a meeting of it).
    keep: Option<i64>,
}

impl Bodies {
    /// The body the selection stands for.
    pub fn selected_body(&self) -> Option<&StoredBody> {
        self.registry.body(self.selected_body_id()?)
    }

    fn selected_body_id(&self) -> Option<i64> {
        self.rows.get(self.list.selected).copied()
    }

    fn listed(&self, id: i64) -> bool {
        self.rows.binary_search(&id).is_ok()
    }

    /// The body the detail pane shows (see widgets::detail).
    pub fn detail_body(&self, ctx: &Ctx) -> Option<&StoredBody> {
        self.registry
            .detail(ctx, self.selected_body_id(), |id| self.listed(id))
    }

    /// The ids of the bodies whose text passes the filter (with several wards, a ward's name
    /// finds its bodies).
    fn read_rows(&mut self, store: &Store, filter: &str, keep: Option<i64>) -> anyhow::Result<()> {
        let several_wards = self.registry.several_wards;
        self.rows =
            store.body_ids_where(&mut |[name, organiser, kind, freq, topics, town, ward]| {
                let ward = if several_wards { *ward } else { "" };
                matches(filter, &[name, organiser, kind, freq, topics, town, ward])
            })?;
        match keep.map(|id| self.rows.binary_search(&id)) {
            Some(Ok(at)) => self.list.selected = at,
            _ => self.list.clamp(self.rows.len()),
        }
        self.held = 0..0;
        Ok(())
    }

    /// Reads the bodies of the rows around the selection ([`AROUND`] each side) when it is
    /// near the end of those held, and what the detail pane shows of the selected body and of
    /// the one it still shows (see widgets::detail).
    fn read_around(&mut self, store: &Store, ctx: &Ctx) -> anyhow::Result<()> {
        let at = self.list.selected;
        let near = |edge: usize| edge.abs_diff(at) < AROUND / 2;
        let in_held = self.held.contains(&at)
            && (!near(self.held.start) || self.held.start == 0)
            && (!near(self.held.end) || self.held.end == self.rows.len());
        let selected = self.selected_body_id();
        let shown = ctx
            .detail
            .showing(true, selected, |id| self.listed(id))
            .filter(|id| Some(*id) != selected);
        if !in_held {
            let held = at.saturating_sub(AROUND)..(at + AROUND + 1).min(self.rows.len());
            let mut ids: Vec<i64> = self.rows[held.clone()].to_vec();
            ids.extend(shown.filter(|id| !ids.contains(id)));
            ids.sort_unstable();
            self.registry.bodies = store.bodies_in(&ids)?;
            self.held = held;
        } else if let Some(id) = shown.filter(|id| self.registry.body(*id).is_none()) {
            let mut bodies = std::mem::take(&mut self.registry.bodies);
            bodies.extend(store.bodies_in(&[id])?);
            bodies.sort_by_key(|b| b.id);
            self.registry.bodies = bodies;
        }
        // What the detail pane shows: of the selected body and the one still shown, no other.
        let today = ctx.today();
        let last = today
            .checked_add_days(Days::new(u64::from(DAYS_AHEAD.saturating_sub(1))))
            .unwrap_or(today);
        let wanted: Vec<i64> = selected.into_iter().chain(shown).collect();
        self.next.retain(|id, _| wanted.contains(id));
        self.children.retain(|id, _| wanted.contains(id));
        for id in wanted {
            if let Entry::Vacant(e) = self.next.entry(id) {
                e.insert(store.next_planned(id, today, last)?);
            }
            if let Entry::Vacant(e) = self.children.entry(id) {
                e.insert(store.child_body_names(id)?);
            }
        }
        Ok(())
    }
}

impl Screen for Bodies {
    fn id(&self) -> ScreenId {
        ScreenId::Bodies
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        let version = store.data_version().ok();
        let unchanged = version.is_some() && version == self.version;
        let moved = std::mem::take(&mut self.moved);
        let refiltered = std::mem::take(&mut self.refiltered);
        if !(moved && unchanged && !refiltered) {
            // The body selected stays selected (another process may have added one before it),
            // but when the filter changed: then the first that passes.
            let kept = self.keep.take();
            let keep = match refiltered {
                true => None,
                false => kept.or_else(|| self.selected_body_id()),
            };
            self.registry.load_wards(store)?;
            self.read_rows(store, &ctx.filter, keep)?;
            self.next.clear();
            self.children.clear();
            self.version = version;
        }
        self.read_around(store, ctx)
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.rows.len()) {
            self.moved = true;
            ctx.dirty = true;
            return Vec::new();
        }
        let body = self.selected_body();
        if action == Action::Open {
            if let Some(b) = body {
                ctx.open(ScreenId::Meetings(b.id));
            }
            return Vec::new();
        }
        schedule::on_body(action, body, ctx.today(), ctx).unwrap_or_default()
    }

    /// The filter is applied to the bodies' text as the store reads it (the app loads a stale
    /// screen).
    fn refilter(&mut self, _ctx: &Ctx) {
        self.list.selected = 0;
        self.refiltered = true;
    }

    fn stale(&self) -> bool {
        self.refiltered || self.moved
    }

    fn selection(&self) -> Option<i64> {
        self.selected_body_id()
    }

    fn hint(&self) -> &'static str {
        "bodies_hint"
    }

    /// The bodies held (those around the selection) and the rows are let go while another
    /// screen shows: they are read again when this one does (the selection stays).
    fn hidden(&mut self) {
        let list = self.list;
        let keep = self.selected_body_id();
        *self = Bodies {
            list,
            keep,
            ..Bodies::default()
        };
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        if self.rows.is_empty() && ctx.filter.is_empty() {
            // A new database: no body to detail, and the hint saying how bodies come in gets
            // the whole screen (at 40×12 the half it had cut it after three lines).
            self.draw_list(frame, area, ctx);
            return;
        }
        let (list_area, detail_area) = if area.width >= FULL_WIDTH {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(area);
            (l, d)
        } else {
            let [l, d] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
            (l, d)
        };
        self.draw_list(frame, list_area, ctx);
        self.draw_detail(frame, detail_area, ctx);
    }
}

impl Bodies {
    fn draw_list(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let theme = &ctx.theme;
        let title = format!(
            "{} ({})",
            tab_title(ctx.lang, "tab_bodies"),
            self.rows.len()
        );
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.rows.is_empty() && !ctx.filter.is_empty() {
            let line = cut(tr(ctx.lang, "nothing_matches"), inner.width, theme.muted);
            frame.render_widget(Paragraph::new(line), inner);
            return;
        }
        if self.rows.is_empty() {
            // A new database: no screen adds a body, so say what does (attack report 12,
            // finding 8: the home sends a new user here, to an empty list that said nothing).
            // Wrapped keeping `renkei demo` whole (it broke inside `de|mo` at 80 columns).
            let lines: Vec<Line> =
                crate::tui::widgets::kinsoku::wrap(tr(ctx.lang, "no_bodies"), inner.width as usize)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted)))
                    .collect();
            frame.render_widget(Paragraph::new(lines), inner);
            return;
        }
        let height = inner.height as usize;
        // The list turns a page at a time (keeping one row of the page before), not a line: it is
        // a pane beside the details, which a terminal cannot scroll alone, so a line-by-line scroll
        // would send the whole pane again at every key down its length.
        let offset = page_start(self.list.selected, height);
        // The ward before the name, where the database holds more than one.
        let ward_width = if self.registry.several_wards {
            self.registry
                .ward_width(ctx.lang, 14)
                .min(inner.width as usize / 4)
        } else {
            0
        };
        let lines: Vec<Line> = in_view(&self.rows, offset, height)
            .filter_map(|(row, &id)| {
                let b = self.registry.body(id)?;
                let selected = row == self.list.selected;
                let marker = if selected { "> " } else { "  " };
                let shared = if b.record.personal_info { "*" } else { " " };
                let style = if selected {
                    theme.selection
                } else {
                    theme.text
                };
                let mut spans = vec![
                    Span::styled(marker, theme.accent),
                    Span::styled(shared, theme.confidential),
                ];
                let mut name_width = (inner.width as usize).saturating_sub(3);
                if ward_width > 0 {
                    let ward = self.registry.ward_cell(b.ward_id, ctx.lang, ward_width);
                    spans.push(Span::styled(
                        format!("{} ", fit(&inert(&ward), ward_width)),
                        theme.muted,
                    ));
                    name_width = name_width.saturating_sub(ward_width + 1);
                }
                spans.push(Span::styled(fit(&inert(&b.record.name), name_width), style));
                Some(Line::from(spans))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_detail(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let Some(body) = self.detail_body(ctx) else {
            let block = block(theme, "", area.width, false);
            frame.render_widget(block, area);
            return;
        };
        let r = &body.record;
        let block = block(theme, &r.name, area.width, false);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        let mut field = |label: &'static str, value: &str| {
            lines.push(Line::from(Span::styled(tr(lang, label), theme.muted)));
            for l in wrap(
                if value.is_empty() { "-" } else { value },
                w.saturating_sub(2),
            ) {
                lines.push(Line::from(Span::styled(format!("  {l}"), theme.text)));
            }
        };
        let freq = frequency::parse(&r.frequency);
        let reading = match lang {
            Lang::Ja => freq.describe_ja(),
            Lang::En => freq.describe_en(),
        };
        if self.registry.several_wards {
            field("ward", &self.registry.ward_label(body.ward_id, lang));
        }
        field("organiser", &r.organiser);
        field(
            "kind",
            &format!("{}  {}  {}", r.kind, r.tier, r.municipality),
        );
        field("frequency", &format!("{}  ->  {reading}", r.frequency));
        field(
            "personal_info",
            if r.personal_info {
                tr(lang, "shared")
            } else {
                tr(lang, "not_shared")
            },
        );
        field("parent", r.parent.as_deref().unwrap_or(tr(lang, "none")));
        field("children", &self.children(lang, body));
        let (last, next) = self.meetings_around(lang, body);
        field("last_meeting", &last);
        field("next_meeting", &next);
        field("expected_size", &r.expected_size);
        field("members", &r.members.join(tr(lang, "list_separator")));
        field("topics", &r.topics);
        let height = inner.height as usize;
        let shown: Vec<Line> = lines.into_iter().take(height).collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }

    fn children(&self, lang: Lang, body: &StoredBody) -> String {
        match self.children.get(&body.id) {
            Some(names) if !names.is_empty() => names.join(tr(lang, "list_separator")),
            _ => tr(lang, "none").to_owned(),
        }
    }

    /// The last held and the next planned meeting of a body (the first of the home's days).
    fn meetings_around(&self, lang: Lang, body: &StoredBody) -> (String, String) {
        let next = match self.next.get(&body.id) {
            Some(Some((meeting_id, date))) => {
                let date = date.format("%Y-%m-%d");
                if self.registry.running.contains(meeting_id) {
                    format!("{date} ({})", tr(lang, "kind_in_progress"))
                } else {
                    date.to_string()
                }
            }
            _ => tr(lang, "none").to_owned(),
        };
        let last = body
            .last_held
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| tr(lang, "none").to_owned());
        (last, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};
    use crate::tui::screens::{Nav, Overlay};

    /// Attack report 12, finding 8: on a new database the list was empty and silent, and `s`,
    /// `n`, Enter did nothing; it says how bodies come in. (Seen failing before the fix.)
    #[test]
    fn an_empty_registry_says_how_bodies_come_in() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(
            &dir.path().join("new.db"),
            crate::clock::Clock::fixed(
                chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap(),
            ),
        )
        .unwrap();
        for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
            let mut ctx = Ctx::new(
                lang,
                crate::tui::theme::Theme::mono(),
                crate::tui::keymap::Keymap::default_keymap(),
                store.now(),
            );
            let mut bodies = Bodies::default();
            bodies.load(&store, &mut ctx).unwrap();
            let screen = drawn(&bodies, &ctx, 80, 22);
            // The words as read, whatever rows the pane wraps them to.
            let read: String = screen
                .chars()
                .filter(|c| !matches!(c, '│' | '\n' | ' '))
                .collect();
            assert!(read.contains("renkeiimport"), "{screen}");
            assert!(read.contains("renkeidemo"), "{screen}");
            // Whole at 40×12 too (the list's half of the screen cut it after three rows).
            let small = drawn(&bodies, &ctx, 40, 10);
            let read_small: String = small
                .chars()
                .filter(|c| !matches!(c, '│' | '\n' | ' '))
                .collect();
            assert!(read_small.contains("--demo"), "{small}");
            // A command is never broken inside a word (`renkei de|mo` at 80 columns).
            for word in ["demo", "import", "renkei"] {
                let times = |text: &str| text.matches(word).count();
                assert_eq!(times(&screen), times(&read), "{word} cut: {screen}");
            }
        }
    }

    #[test]
    fn the_bodies_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut bodies = demo.loaded(Bodies::default(), &mut ctx);
        let first = bodies.selected_body().unwrap().id;
        bodies.update(Action::Down, &mut ctx);
        assert_ne!(bodies.selection(), Some(first));
        bodies.update(Action::Top, &mut ctx);
        assert_eq!(bodies.selection(), Some(first));

        ctx.filter = "就労支援部会".to_owned();
        bodies.refilter(&ctx);
        assert!(bodies.stale());
        bodies.load(&demo.store, &mut ctx).unwrap();
        let body = bodies.selected_body().unwrap().clone();
        assert!(body.record.name.contains("就労支援部会"));
        let screen = drawn(&bodies, &ctx, 80, 22);
        assert!(screen.contains("会議体 (1)"), "{screen}");
        assert!(screen.contains("主催者"), "the detail pane: {screen}");

        // Held now: a form asks where, then the meeting is set up today from now.
        assert!(bodies.update(Action::StartNow, &mut ctx).is_empty());
        let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
            panic!("hold now asks for the place");
        };
        let commands = bodies.submit(&form, &mut ctx).unwrap();
        assert!(matches!(
            commands.as_slice(),
            [Command::HoldNow(meeting)]
                if meeting.body_id == body.id && meeting.date == ctx.today()
        ));
        bodies.update(Action::Schedule, &mut ctx);
        assert!(matches!(ctx.overlay, Overlay::Form(_)));
        // Enter lists the body's meetings.
        bodies.update(Action::Open, &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Meetings(body.id))));

        // The minutes of the last meeting held, or a word that there are none.
        bodies.update(Action::Minutes, &mut ctx);
        match body.last_held_id {
            Some(id) => assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id)))),
            None => assert!(ctx.status.is_some()),
        }
    }

    /// Issue 21 item 2: the screen read every body (a city's 12 000: 22 MB while it showed);
    /// it holds the ids of the rows and the bodies around the selection, and shows what the
    /// registry read whole showed: each body, its next meeting (the upcoming listing's), the
    /// bodies under it, the filter's rows. The demo and 300 bodies more, every 7th under the
    /// first.
    #[test]
    fn the_bodies_screen_holds_the_bodies_around_its_selection() {
        use crate::domain::schedule::Upcoming;
        let demo = Demo::new();
        demo.store
            .conn()
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
                 INSERT INTO bodies (name, organiser, parent_id, created_at, updated_at)
                 SELECT '地域ケア会議' || i, '区役所', CASE WHEN i % 7 = 0 THEN 1 END, 'x', 'x'
                 FROM n;",
            )
            .unwrap();
        let mut ctx = demo.ctx();
        let today = ctx.today();
        let all = demo.store.bodies().unwrap();
        assert!(all.len() > 300);
        let listing = crate::upcoming::listing(
            &demo.store,
            today,
            DAYS_AHEAD,
            today,
            crate::upcoming::GroupBy::Date,
        )
        .unwrap();
        let mut bodies = demo.loaded(Bodies::default(), &mut ctx);
        let lang = ctx.lang;
        let mut with_next = 0;
        for (i, body) in all.iter().enumerate() {
            assert_eq!(bodies.selected_body(), Some(body), "row {i}");
            assert!(bodies.registry.bodies.len() <= 2 * AROUND + 2, "row {i}");
            let next = listing
                .entries
                .iter()
                .filter(|e| e.body.id == body.id)
                .find_map(|e| match e.item {
                    Upcoming::Scheduled { date, .. } => Some(date.format("%Y-%m-%d").to_string()),
                    _ => None,
                });
            with_next += usize::from(next.is_some());
            let shown = bodies.meetings_around(lang, body).1;
            assert_eq!(shown, next.unwrap_or_else(|| tr(lang, "none").to_owned()));
            let children: Vec<&str> = all
                .iter()
                .filter(|b| b.parent_id == Some(body.id))
                .map(|b| b.record.name.as_str())
                .collect();
            let expected = if children.is_empty() {
                tr(lang, "none").to_owned()
            } else {
                children.join(tr(lang, "list_separator"))
            };
            assert_eq!(bodies.children(lang, body), expected, "row {i}");
            let screen = drawn(&bodies, &ctx, 120, 30);
            assert!(
                screen.contains(&format!("会議体 ({})", all.len())),
                "{screen}"
            );
            let name: String = body.record.name.chars().take(8).collect();
            assert!(
                screen
                    .lines()
                    .any(|l| l.starts_with("│>") && l.contains(&name)),
                "{screen}"
            );
            bodies.update(Action::Down, &mut ctx);
            if std::mem::take(&mut ctx.dirty) || bodies.stale() {
                bodies.load(&demo.store, &mut ctx).unwrap();
            }
        }
        assert!(with_next > 0);
        // The filter reads the bodies' text: the rows the registry read whole gave.
        ctx.filter = "ケア会議1".to_owned();
        bodies.refilter(&ctx);
        bodies.load(&demo.store, &mut ctx).unwrap();
        let expected: Vec<i64> = all
            .iter()
            .filter(|b| {
                let r = &b.record;
                matches(
                    &ctx.filter,
                    &[
                        &r.name,
                        &r.organiser,
                        &r.kind,
                        &r.frequency,
                        &r.topics,
                        &r.municipality,
                        "",
                    ],
                )
            })
            .map(|b| b.id)
            .collect();
        assert!(expected.len() > 100, "{}", expected.len());
        assert_eq!(bodies.rows, expected);
        bodies.update(Action::Bottom, &mut ctx);
        bodies.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(
            bodies.selected_body().map(|b| b.id),
            expected.last().copied()
        );
    }
}
