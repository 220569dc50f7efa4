//! Next actions across meetings, grouped by agency, overdue first; done, dropped or reopened
//! with one key. The open actions of every meeting ever held can be hundreds of thousands (a
//! city's): their order waits in a temporary table of the store's (one sorted query), the
//! screen holds how many there are and their groups, and reads the ids and rows around the
//! selection, again only when the selection leaves them. The order is let go while another
//! screen shows (the selection stays).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cell::Cell;

use super::{Ctx, Screen, ScreenId, export, tab_title};
use crate::config::ExportFormat;
use crate::domain::model::ActionStatus;
use crate::keys::Action;
use crate::store::{ActionOrder, ActionRow, Store, WardLabels};
use crate::text::{fit, inert};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::block;
use crate::tui::widgets::list::{ListState, first_shown, window_around, window_covers};
use crate::tui::words::tr;

/// An open action, the body and the date of the meeting that gave it.
pub type OpenAction = (ActionRow, String, NaiveDate);

#[derive(Debug, Default)]
pub struct Actions {
    order: ActionOrder,
    /// The ids of the order from `first` on, as far as the rows were read.
    ids: Vec<i64>,
    /// The rows read, from the action at `first` of the order on.
    rows: Vec<OpenAction>,
    first: usize,
    list: ListState,
    /// The selection left the rows read: the next load reads the rows around it only, when
    /// nothing was written since the order was read (`version`).
    reread_rows: bool,
    version: Option<i64>,
    /// The height of the list as last drawn: the rows around the selection cover it.
    height: Cell<usize>,
    /// The wards, for the headings of a city's groups (by ward, then agency).
    wards: WardLabels,
}

impl Actions {
    /// How many actions are open.
    pub fn len(&self) -> usize {
        self.order.len
    }

    pub fn is_empty(&self) -> bool {
        self.order.len == 0
    }

    /// The action at `n` of the list, when it was read (those around the selection are).
    pub fn action(&self, n: usize) -> Option<&OpenAction> {
        let row = self.rows.get(n.checked_sub(self.first)?)?;
        // A row read for another action (one not found by its id) is not this one.
        (Some(&row.0.id) == self.ids.get(n - self.first)).then_some(row)
    }

    /// The actions read: those around the selection, from [`Actions::first_read`] on.
    pub fn read(&self) -> &[OpenAction] {
        &self.rows
    }

    pub fn first_read(&self) -> usize {
        self.first
    }

    pub fn selected(&self) -> usize {
        self.list.selected
    }

    /// Whether the rows read cover the lines the selection's view may show.
    fn covers(&self, selected: usize) -> bool {
        window_covers(
            selected,
            self.len(),
            self.height.get(),
            self.first,
            self.rows.len(),
        )
    }

    /// Reads the rows around the selection; whether every one was found.
    fn read_rows(&mut self, store: &Store) -> anyhow::Result<bool> {
        let window = window_around(self.list.selected, self.len(), self.height.get());
        let ids = store.action_order_ids(window.clone())?;
        self.rows = store.open_actions_by_id(&ids)?;
        self.first = window.start;
        let found = self.rows.len() == ids.len() && ids.len() == window.len();
        self.ids = ids;
        Ok(found)
    }
}

/// The word the status line says when an action is marked.
pub fn marked(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Done => "action_done",
        ActionStatus::Dropped => "action_dropped",
        ActionStatus::Open => "action_reopened",
    }
}

/// The status a marking key gives an action.
pub fn marking(action: Action) -> Option<ActionStatus> {
    match action {
        Action::MarkDone => Some(ActionStatus::Done),
        Action::MarkDropped => Some(ActionStatus::Dropped),
        Action::Reopen => Some(ActionStatus::Open),
        _ => None,
    }
}

impl Screen for Actions {
    fn id(&self) -> ScreenId {
        ScreenId::Actions
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        // Only the rows when the selection left them and nobody wrote since the order was read
        // (an action deleted meanwhile, not found by its id, has the order read again too).
        let version = store.data_version().ok();
        let unchanged = version.is_some() && version == self.version;
        if std::mem::take(&mut self.reread_rows) && unchanged && self.read_rows(store)? {
            return Ok(());
        }
        self.order = store.open_action_order(ctx.today())?;
        self.wards = store.ward_labels()?;
        self.version = version;
        self.list.clamp(self.len());
        self.read_rows(store)?;
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.len()) {
            if !self.covers(self.list.selected) {
                self.reread_rows = true;
                ctx.dirty = true;
            }
            return Vec::new();
        }
        if action == Action::ExportActions {
            return match export::format(ctx, &[ExportFormat::Xlsx]) {
                Some(_) => vec![Command::ExportActions {
                    dir: ctx.export_dir.clone(),
                }],
                None => Vec::new(),
            };
        }
        let Some(status) = marking(action) else {
            return Vec::new();
        };
        let Some(&id) = self
            .list
            .selected
            .checked_sub(self.first)
            .and_then(|i| self.ids.get(i))
        else {
            return Vec::new();
        };
        ctx.info(marked(status));
        vec![Command::SetActionStatus {
            id,
            status,
            in_meeting: None,
        }]
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        // What this process wrote leaves the data version as it was: the order is read again.
        self.reread_rows = false;
        super::schedule::performed(command, outcome, ctx);
    }

    fn hidden(&mut self) {
        self.order = ActionOrder::default();
        self.ids = Vec::new();
        self.rows = Vec::new();
        self.first = 0;
        self.reread_rows = false;
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let title = format!("{} ({})", tab_title(lang, "tab_actions"), self.len());
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(tr(lang, "no_open_actions"), theme.muted)),
                inner,
            );
            return;
        }
        let today = ctx.today();
        let w = inner.width as usize;
        let wide = w >= 70;
        let height = inner.height as usize;
        self.height.set(height);
        // A heading opens each group of one agency's overdue or other actions; the groups follow
        // one another, so the line of the n-th action is n plus the headings of its group and
        // those before it.
        let line_of = |n: usize| n + self.order.group_of(n) + 1;
        let skip = first_shown(line_of(self.list.selected), height, 0);
        // The first action in view, or the one whose heading is the first line in view.
        let mut n = self.list.selected;
        while n > 0 && line_of(n - 1) >= skip {
            n -= 1;
        }
        let mut shown: Vec<Line> = Vec::with_capacity(height);
        let mut line = skip;
        while line < skip + height && n < self.len() {
            let group = self.order.group_of(n);
            let Some(g) = self.order.groups.get(group) else {
                break;
            };
            let opens_group = n == g.first;
            let heading_line = line_of(n) - 1;
            if opens_group && heading_line >= skip {
                // A city's: the ward before the agency (each ward's こども家庭支援課 its own).
                let ward = g
                    .ward
                    .map(|w| format!("{} / ", self.wards.label(w, lang)))
                    .unwrap_or_default();
                let heading = format!(
                    "-- {}{ward}{}",
                    if g.overdue {
                        format!("{}: ", tr(lang, "overdue_short"))
                    } else {
                        String::new()
                    },
                    g.agency.as_deref().unwrap_or("-")
                );
                shown.push(Line::from(Span::styled(
                    fit(&inert(&heading), w),
                    theme.title,
                )));
                line += 1;
                if line >= skip + height {
                    break;
                }
            }
            let selected = n == self.list.selected;
            shown.push(match self.action(n) {
                Some(row) => action_line(row, selected, today, w, wide, ctx),
                // Not read yet (the screen grew taller than what was read): read at the next key.
                None => Line::default(),
            });
            line += 1;
            n += 1;
        }
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

/// One action's line: its due date (marked when overdue), its text and where it came from.
fn action_line<'a>(
    (action, body, meeting_date): &OpenAction,
    selected: bool,
    today: NaiveDate,
    w: usize,
    wide: bool,
    ctx: &Ctx,
) -> Line<'a> {
    let theme = &ctx.theme;
    let overdue = action.due.is_some_and(|d| d < today);
    let due = action
        .due
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".to_owned());
    let mark = if overdue { "!" } else { " " };
    let style = if selected {
        theme.selection
    } else if overdue {
        theme.overdue
    } else {
        theme.text
    };
    let from = format!("{} {}", meeting_date.format("%m/%d"), body);
    let text_width = if wide {
        w.saturating_sub(2 + 11 + 1 + 1 + 24)
    } else {
        w.saturating_sub(2 + 11 + 1 + 1)
    };
    let mut spans = vec![
        Span::styled(if selected { "> " } else { "  " }, theme.accent),
        Span::styled(
            format!("{due:<10}"),
            if overdue { theme.overdue } else { theme.muted },
        ),
        Span::styled(mark, theme.overdue),
        Span::raw(" "),
        Span::styled(fit(&inert(&action.text), text_width), style),
    ];
    if wide {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(fit(&inert(&from), 23), theme.muted));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};

    #[test]
    fn the_actions_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let mut actions = demo.loaded(Actions::default(), &mut ctx);
        let today = ctx.today();
        let rows = actions.read().to_vec();
        assert!(!rows.is_empty());
        assert_eq!(rows.len(), actions.len(), "the demo's few are all read");
        let overdue = |r: &OpenAction| r.0.due.is_some_and(|d| d < today);
        let first_not = rows.iter().position(|r| !overdue(r)).unwrap_or(rows.len());
        assert!(
            rows[first_not..].iter().all(|r| !overdue(r)),
            "overdue first"
        );

        actions.update(Action::Bottom, &mut ctx);
        let last = actions.len() - 1;
        assert_eq!(actions.selected(), last);
        let id = actions.action(last).unwrap().0.id;
        assert_eq!(
            actions.update(Action::MarkDone, &mut ctx),
            vec![Command::SetActionStatus {
                id,
                status: ActionStatus::Done,
                in_meeting: None
            }]
        );
        assert!(ctx.status.is_some());
        let screen = drawn(&actions, &ctx, 80, 24);
        assert!(screen.contains(&format!("({})", actions.len())), "{screen}");
        assert_eq!(screen.matches("> ").count(), 1, "{screen}");

        // Off screen the list is let go; the selection stays for when it is read again.
        actions.hidden();
        assert!(actions.is_empty() && actions.read().is_empty());
        assert_eq!(actions.selected(), last);
    }

    /// The order the screen lists the actions in, as it was before they were read by id: every
    /// open action read whole and sorted in memory (overdue first, then by agency, none first,
    /// and due date, none first; ties by id).
    fn sorted_whole(store: &Store, today: NaiveDate) -> Vec<i64> {
        let mut all = store.action_list(None, true).unwrap();
        all.sort_by_key(|a| {
            (
                a.due.is_none_or(|d| d >= today),
                a.agency.clone(),
                a.due,
                a.id,
            )
        });
        all.into_iter().map(|a| a.id).collect()
    }

    /// Schema step 21 (issue 21 item 3): a database at step 20, whose screen read each open
    /// action's row to sort them, comes up to the index of the open actions, and the screen
    /// lists the same actions in the same order — of a city (bodies of two wards, the order by
    /// ward first), with actions done and removed since left out — read from that index (the
    /// statement names it: without it, it fails).
    #[test]
    fn a_step_20_database_migrates_to_the_open_actions_index_in_the_same_order() {
        let mut demo = Demo::new();
        let meetings = demo.store.meetings(None).unwrap();
        let agencies = [None, Some("保護課"), Some("あおば会")];
        let day =
            |d: u32| NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Days::new(d.into());
        for n in 0..90u32 {
            let meeting = meetings[n as usize % meetings.len()].id;
            let due = (n % 4 != 0).then(|| day(n * 11 % 80));
            demo.store
                .add_action(
                    meeting,
                    agencies[(n % 3) as usize],
                    &format!("見守り {n:02}"),
                    due,
                )
                .unwrap();
        }
        demo.store
            .conn()
            .execute_batch(
                "INSERT INTO wards (name, code) VALUES ('北区', '271276'), ('南区', NULL);
                 UPDATE bodies SET ward_id = 1 + id % 3 WHERE id % 3 <> 0;
                 UPDATE next_actions SET status = 'done' WHERE id % 5 = 0;
                 UPDATE next_actions SET deleted_at = '2026-11-20T10:00:00+09:00' WHERE id % 7 = 0;",
            )
            .unwrap();
        let path = demo.store.path().to_owned();
        let today = demo.ctx().today();
        // As schema step 20 had it.
        demo.store
            .conn()
            .execute_batch("DROP INDEX next_actions_open_order; PRAGMA user_version = 20;")
            .unwrap();
        let clock = demo.store.clock().clone();
        demo.store = Store::open(&path, clock).unwrap();
        let conn = demo.store.conn();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, crate::store::schema::LATEST);
        let indexed: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master
                 WHERE type = 'index' AND name = 'next_actions_open_order')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(indexed, "step 21's index made by the migration");
        // What the order reads of an action, from the index alone (no row of the table).
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT n.id, n.meeting_id, n.agency_id, n.due_date
                 FROM next_actions n INDEXED BY next_actions_open_order
                 WHERE n.status = 'open' AND n.deleted_at IS NULL",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(
            plan.contains("COVERING INDEX next_actions_open_order"),
            "{plan}"
        );
        // The order sorted whole in memory: overdue first, then this database's own ward, the
        // others by code (none last), then agency, due date and id as one ward's.
        let codes: std::collections::HashMap<i64, Option<String>> = conn
            .prepare("SELECT id, code FROM wards")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut all = demo.store.action_list(None, true).unwrap();
        assert!(all.len() > 40, "{}", all.len());
        assert_eq!(
            all.iter()
                .map(|a| a.ward_id)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            3
        );
        all.sort_by_key(|a| {
            let code = codes[&a.ward_id].clone();
            (
                a.due.is_none_or(|d| d >= today),
                a.ward_id != 1,
                code.is_none(),
                code,
                a.ward_id,
                a.agency.clone(),
                a.due,
                a.id,
            )
        });
        let whole: Vec<i64> = all.into_iter().map(|a| a.id).collect();
        let mut ctx = demo.ctx();
        let actions = demo.loaded(Actions::default(), &mut ctx);
        assert_eq!(actions.len(), whole.len());
        assert_eq!(demo.store.action_order_ids(0..whole.len()).unwrap(), whole);
    }

    /// Hundreds of actions under agencies, some without one, some without a due date, some
    /// overdue: the order read by SQL is the order sorted whole, and walking it key by key and
    /// page by page shows each action once, in that order, with the rows read again only as
    /// the selection leaves them.
    #[test]
    fn the_order_read_by_id_is_the_order_sorted_whole() {
        let mut demo = Demo::new();
        let meeting = demo.held();
        let agencies = [
            None,
            Some("保護課"),
            Some("地域包括支援センター"),
            Some("あおば会"),
        ];
        let day =
            |d: u32| NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Days::new(d.into());
        for n in 0..400u32 {
            let agency = agencies[(n % 4) as usize];
            let due = (n % 3 != 0).then(|| day(n * 7 % 90));
            demo.store
                .add_action(meeting, agency, &format!("見守り {n:03}"), due)
                .unwrap();
        }
        let mut ctx = demo.ctx();
        let today = ctx.today();
        let mut actions = demo.loaded(Actions::default(), &mut ctx);
        let whole = sorted_whole(&demo.store, today);
        assert_eq!(actions.len(), whole.len());
        assert_eq!(
            demo.store.action_order_ids(0..whole.len()).unwrap(),
            whole,
            "the order kept in the store's temporary table"
        );
        assert!(
            actions.read().len() < whole.len(),
            "only the rows around are read"
        );
        let mut seen = Vec::new();
        for n in 0..whole.len() {
            assert_eq!(actions.selected(), n);
            let screen = drawn(&actions, &ctx, 80, 24);
            let row = actions.action(n).expect("the selected row is read").clone();
            seen.push(row.0.id);
            let marked: Vec<&str> = screen.lines().filter(|l| l.contains("> ")).collect();
            assert_eq!(marked.len(), 1, "{screen}");
            // The demo's own actions are longer than the column: their start is shown.
            let start: String = row.0.text.chars().take(8).collect();
            assert!(marked[0].contains(&start), "{n}: {screen}");
            actions.update(Action::Down, &mut ctx);
            if std::mem::take(&mut ctx.dirty) {
                actions.load(&demo.store, &mut ctx).unwrap();
            }
        }
        assert_eq!(seen, whole);
        // Back to the top: read again, the heading of the first group above the selection.
        actions.update(Action::Top, &mut ctx);
        if std::mem::take(&mut ctx.dirty) {
            actions.load(&demo.store, &mut ctx).unwrap();
        }
        let screen = drawn(&actions, &ctx, 80, 24);
        let lines: Vec<&str> = screen.lines().collect();
        assert!(
            lines[1].contains("-- ") && lines[1].contains("期限"),
            "{screen}"
        );
        assert!(lines[2].contains("> "), "{screen}");
    }
}
