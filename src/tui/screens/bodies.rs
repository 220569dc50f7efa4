//! Bodies: the registry, filtered by typing, with a detail pane (organiser, members, topics,
//! frequency and its reading, personal information, parent and reporting bodies, last and next
//! meeting). From here a body's meetings are listed (Enter: past and planned, each opened as
//! it stands), one is scheduled or held now, or the last minutes read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::schedule::{self, Registry};
use super::{Ctx, Screen, ScreenId, tab_title};
use crate::domain::frequency;
use crate::domain::schedule::Upcoming;
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{Store, StoredBody};
use crate::text::{fit, inert, wrap};
use crate::tui::command::Command;
use crate::tui::widgets::list::{ListState, in_view, matches, page_start};
use crate::tui::widgets::{FULL_WIDTH, block, cut};
use crate::tui::words::tr;
use crate::upcoming::GroupBy;

#[derive(Debug, Default)]
pub struct Bodies {
    /// The bodies, and the upcoming listing for each body's next meeting.
    registry: Registry,
    /// The bodies that pass the filter, by index.
    rows: Vec<usize>,
    list: ListState,
}

impl Bodies {
    fn rebuild(&mut self, filter: &str) {
        let several_wards = self.registry.several_wards;
        self.rows = self
            .registry
            .bodies
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                let r = &b.record;
                // With several wards, a ward's name finds its bodies.
                let ward = if several_wards { b.ward.as_str() } else { "" };
                matches(
                    filter,
                    &[
                        &r.name,
                        &r.organiser,
                        &r.kind,
                        &r.frequency,
                        &r.topics,
                        &r.municipality,
                        ward,
                    ],
                )
            })
            .map(|(i, _)| i)
            .collect();
        self.list.clamp(self.rows.len());
    }

    /// The body the selection stands for.
    pub fn selected_body(&self) -> Option<&StoredBody> {
        self.registry
            .bodies
            .get(*self.rows.get(self.list.selected)?)
    }

    fn selected_body_id(&self) -> Option<i64> {
        self.selected_body().map(|b| b.id)
    }

    /// The body the detail pane shows (see widgets::detail).
    pub fn detail_body(&self, ctx: &Ctx) -> Option<&StoredBody> {
        let listed = |id| {
            self.rows
                .iter()
                .any(|&i| self.registry.bodies.get(i).is_some_and(|b| b.id == id))
        };
        self.registry.detail(ctx, self.selected_body_id(), listed)
    }
}

impl Screen for Bodies {
    fn id(&self) -> ScreenId {
        ScreenId::Bodies
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        self.registry.load(store, ctx, GroupBy::Date)?;
        self.rebuild(&ctx.filter);
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.rows.len()) {
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

    fn refilter(&mut self, ctx: &Ctx) {
        self.list.selected = 0;
        self.rebuild(&ctx.filter);
    }

    fn selection(&self) -> Option<i64> {
        self.selected_body_id()
    }

    fn hint(&self) -> &'static str {
        "bodies_hint"
    }

    /// A city's 12 000 bodies, read whole (22 MB on a 24-ward city), are let go while another
    /// screen shows: they are read again when this one does (the selection stays).
    fn hidden(&mut self) {
        self.registry = Registry::default();
        self.rows = Vec::new();
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
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
        let height = inner.height as usize;
        // The list turns a page at a time (keeping one row of the page before), not a line: it is
        // a pane beside the details, which a terminal cannot scroll alone, so a line-by-line scroll
        // would send the whole pane again at every key down its length.
        let offset = page_start(self.list.selected, height);
        // The ward before the name, where the database holds more than one.
        let ward_width = if self.registry.several_wards {
            self.registry
                .ward_width(ctx.lang, 10)
                .min(inner.width as usize / 4)
        } else {
            0
        };
        let lines: Vec<Line> = in_view(&self.rows, offset, height)
            .filter_map(|(row, &i)| {
                let b = self.registry.bodies.get(i)?;
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
                    let ward = Registry::ward_label(&b.ward, ctx.lang);
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
            field("ward", &Registry::ward_label(&body.ward, lang));
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
        let names: Vec<&str> = self
            .registry
            .bodies
            .iter()
            .filter(|b| b.parent_id == Some(body.id))
            .map(|b| b.record.name.as_str())
            .collect();
        if names.is_empty() {
            tr(lang, "none").to_owned()
        } else {
            names.join(tr(lang, "list_separator"))
        }
    }

    /// The last held and the next planned meeting of a body, from the upcoming listing's
    /// knowledge.
    fn meetings_around(&self, lang: Lang, body: &StoredBody) -> (String, String) {
        let next = self
            .registry
            .listing
            .entries
            .iter()
            .filter(|e| e.body.id == body.id)
            .find_map(|e| match e.item {
                Upcoming::Scheduled { date, meeting_id } => {
                    let date = date.format("%Y-%m-%d");
                    Some(if self.registry.running.contains(&meeting_id) {
                        format!("{date} ({})", tr(lang, "kind_in_progress"))
                    } else {
                        date.to_string()
                    })
                }
                _ => None,
            })
            .unwrap_or_else(|| tr(lang, "none").to_owned());
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
}
