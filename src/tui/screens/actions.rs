//! Next actions across meetings, grouped by agency, overdue first; done, dropped or reopened
//! with one key. The open actions of every meeting ever held can be thousands: the list is kept
//! only while the screen shows (the selection stays), and only the lines in view are drawn.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Screen, ScreenId, export, tab_title};
use crate::config::ExportFormat;
use crate::domain::model::ActionStatus;
use crate::keys::Action;
use crate::store::{ActionRow, Store};
use crate::text::{fit, inert};
use crate::tui::command::Command;
use crate::tui::widgets::block;
use crate::tui::widgets::list::{ListState, first_shown};
use crate::tui::words::tr;

/// An open action, the body and the date of the meeting that gave it.
pub type OpenAction = (ActionRow, String, NaiveDate);

#[derive(Debug, Default)]
pub struct Actions {
    actions: Vec<OpenAction>,
    list: ListState,
}

impl Actions {
    pub fn actions(&self) -> &[OpenAction] {
        &self.actions
    }

    pub fn selected(&self) -> usize {
        self.list.selected
    }
}

/// The word the status line says when an action is marked.
pub fn marked(status: ActionStatus) -> &'static str {
    if status == ActionStatus::Done {
        "action_done"
    } else {
        "action_dropped"
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
        let today = ctx.today();
        let mut actions = store.open_actions()?;
        // Overdue first, then by agency and due date.
        fn key(a: &ActionRow, today: NaiveDate) -> (bool, Option<&str>, Option<NaiveDate>) {
            (a.due.is_none_or(|d| d >= today), a.agency.as_deref(), a.due)
        }
        actions.sort_by(|(a, _, _), (b, _, _)| key(a, today).cmp(&key(b, today)));
        self.actions = actions;
        self.list.clamp(self.actions.len());
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.actions.len()) {
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
        let Some((row, _, _)) = self.actions.get(self.list.selected) else {
            return Vec::new();
        };
        ctx.info(marked(status));
        vec![Command::SetActionStatus {
            id: row.id,
            status,
            in_meeting: None,
        }]
    }

    fn hidden(&mut self) {
        self.actions = Vec::new();
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let title = format!(
            "{} ({})",
            tab_title(lang, "tab_actions"),
            self.actions.len()
        );
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.actions.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(tr(lang, "no_open_actions"), theme.muted)),
                inner,
            );
            return;
        }
        let today = ctx.today();
        let w = inner.width as usize;
        let wide = w >= 70;
        // A heading opens each group of one agency's overdue or other actions. Where the selected
        // action stands among the lines is counted first, so that only the lines in view are
        // built, however many actions are open (thousands, after years of meetings).
        let mut selected_at = 0;
        let mut line = 0usize;
        let mut previous = None;
        for (n, (action, _, _)) in self.actions.iter().enumerate() {
            if previous != Some(group(action, today)) {
                previous = Some(group(action, today));
                line += 1;
            }
            if n == self.list.selected {
                selected_at = line;
            }
            line += 1;
        }
        let height = inner.height as usize;
        let skip = first_shown(selected_at, height, 0);
        let in_view = |line: usize| line >= skip && line < skip + height;
        let mut shown: Vec<Line> = Vec::with_capacity(height);
        let mut line = 0usize;
        let mut previous = None;
        for (n, (action, body, meeting_date)) in self.actions.iter().enumerate() {
            if line >= skip + height {
                break;
            }
            let overdue = action.due.is_some_and(|d| d < today);
            if previous != Some(group(action, today)) {
                previous = Some(group(action, today));
                if in_view(line) {
                    let heading = format!(
                        "-- {}{}",
                        if overdue {
                            format!("{}: ", tr(lang, "overdue_short"))
                        } else {
                            String::new()
                        },
                        action.agency.as_deref().unwrap_or("-")
                    );
                    shown.push(Line::from(Span::styled(
                        fit(&inert(&heading), w),
                        theme.title,
                    )));
                }
                line += 1;
            }
            if !in_view(line) {
                line += 1;
                continue;
            }
            line += 1;
            let selected = n == self.list.selected;
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
            shown.push(Line::from(spans));
        }
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

/// The group an action is listed in: overdue or not, and its agency.
fn group(a: &ActionRow, today: NaiveDate) -> (bool, Option<&str>) {
    (a.due.is_some_and(|d| d < today), a.agency.as_deref())
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
        let rows = actions.actions();
        assert!(!rows.is_empty());
        let overdue = |r: &OpenAction| r.0.due.is_some_and(|d| d < today);
        let first_not = rows.iter().position(|r| !overdue(r)).unwrap_or(rows.len());
        assert!(
            rows[first_not..].iter().all(|r| !overdue(r)),
            "overdue first"
        );

        actions.update(Action::Bottom, &mut ctx);
        let last = actions.actions().len() - 1;
        assert_eq!(actions.selected(), last);
        let id = actions.actions()[last].0.id;
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
        assert!(
            screen.contains(&format!("({})", actions.actions().len())),
            "{screen}"
        );
        assert_eq!(screen.matches("> ").count(), 1, "{screen}");

        // Off screen the list is let go; the selection stays for when it is read again.
        actions.hidden();
        assert!(actions.actions().is_empty());
        assert_eq!(actions.selected(), last);
    }
}
