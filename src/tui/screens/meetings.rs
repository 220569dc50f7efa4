//! The meetings of one body, the latest first: date and time, how each stands (planned, running,
//! held, cancelled), its minutes (draft or approved) and how much was recorded. Enter opens one:
//! the minutes of a held meeting, the live screen of a running one, the setup of a planned one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Screen, ScreenId};
use crate::domain::calendar::format_wareki;
use crate::domain::model::{MeetingStatus, MinutesState};
use crate::i18n::Lang;
use crate::keys::Action;
use crate::store::{BodyMeeting, Store};
use crate::text::{fit, inert, width};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::short_date;
use crate::tui::widgets::list::{ListState, first_shown, in_view};
use crate::tui::widgets::{FULL_WIDTH, block, cut};
use crate::tui::words::tr;

#[derive(Debug)]
pub struct Meetings {
    body: i64,
    name: String,
    meetings: Vec<BodyMeeting>,
    list: ListState,
}

impl Meetings {
    pub fn new(body: i64) -> Meetings {
        Meetings {
            body,
            name: String::new(),
            meetings: Vec::new(),
            list: ListState::default(),
        }
    }

    pub fn meetings(&self) -> &[BodyMeeting] {
        &self.meetings
    }

    fn open(&self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(m) = self.meetings.get(self.list.selected) else {
            return Vec::new();
        };
        match (m.status, m.running) {
            (_, true) => ctx.open(ScreenId::Live(m.id)),
            (MeetingStatus::Planned, false) => return vec![Command::OpenSetup(m.id)],
            _ => ctx.open(ScreenId::Minutes(m.id)),
        }
        Vec::new()
    }
}

/// How a meeting stands, in words.
fn state(m: &BodyMeeting, lang: Lang) -> &'static str {
    let key = match (m.status, m.running) {
        (_, true) => "kind_live",
        (MeetingStatus::Planned, false) => "kind_scheduled",
        (MeetingStatus::Held, false) => "kind_held",
        (MeetingStatus::Cancelled, false) => "kind_cancelled",
    };
    tr(lang, key)
}

impl Screen for Meetings {
    fn id(&self) -> ScreenId {
        ScreenId::Meetings(self.body)
    }

    fn load(&mut self, store: &Store, _ctx: &mut Ctx) -> anyhow::Result<()> {
        // The one body, not the registry (a city's 12 000 bodies read to find one name).
        self.name = store
            .body(self.body)?
            .map(|b| b.record.name)
            .unwrap_or_default();
        self.meetings = store.meetings_of_body(self.body)?;
        self.list.clamp(self.meetings.len());
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.meetings.len()) {
            return Vec::new();
        }
        match action {
            Action::Open => self.open(ctx),
            _ => Vec::new(),
        }
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        if let (Command::OpenSetup(id), Outcome::Done(_)) = (command, outcome) {
            ctx.open(ScreenId::Setup(*id));
        }
    }

    fn hint(&self) -> &'static str {
        "meetings_hint"
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let title = format!(
            "{} ({}) - {}",
            tr(lang, "meetings_title"),
            self.meetings.len(),
            self.name
        );
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.meetings.is_empty() {
            frame.render_widget(
                Paragraph::new(cut(tr(lang, "no_meetings"), inner.width, theme.muted)),
                inner,
            );
            return;
        }
        let wide = area.width >= FULL_WIDTH;
        let today = ctx.today();
        let height = inner.height as usize;
        let first = first_shown(self.list.selected, height, 0);
        let dates: Vec<String> = self
            .meetings
            .iter()
            .map(|m| {
                let day = if wide && lang == Lang::Ja {
                    format_wareki(m.date)
                } else {
                    short_date(m.date, today, lang)
                };
                match (&m.start, wide) {
                    (Some(s), true) => format!("{day} {s}"),
                    _ => day,
                }
            })
            .collect();
        let date_width = dates
            .iter()
            .skip(first)
            .take(height)
            .map(|d| width(d))
            .max()
            .unwrap_or(0);
        let lines: Vec<Line> = in_view(&self.meetings, first, height)
            .map(|(i, m)| {
                let selected = i == self.list.selected;
                let minutes = match (m.status, m.minutes) {
                    (MeetingStatus::Held, MinutesState::Approved) => tr(lang, "minutes_approved"),
                    (MeetingStatus::Held, MinutesState::Draft) => tr(lang, "minutes_draft"),
                    _ => "",
                };
                let style = if selected {
                    theme.selection
                } else if m.status == MeetingStatus::Planned {
                    theme.text
                } else {
                    theme.muted
                };
                let mut spans = vec![
                    Span::styled(if selected { "> " } else { "  " }, theme.accent),
                    Span::styled(fit(&dates[i], date_width), style),
                    Span::raw(" "),
                    Span::styled(fit(state(m, lang), 7), theme.text),
                    Span::styled(fit(minutes, 7), theme.muted),
                ];
                if wide {
                    let count = tr(lang, "captures_count").replace("{n}", &m.captures.to_string());
                    spans.push(Span::styled(fit(&count, 9), theme.muted));
                    spans.push(Span::styled(inert(&m.place), theme.muted));
                }
                Line::from(crate::tui::widgets::fit_spans(spans, inner.width))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::Nav;
    use crate::tui::screens::testing::{Demo, drawn};

    #[test]
    fn a_body_s_meetings_and_each_opens_as_it_stands() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let planned = demo.planned("支援方針検討会議");
        let body = demo.store.live_meeting(planned).unwrap().unwrap().body_id;
        let mut list = demo.loaded(Meetings::new(body), &mut ctx);
        let held = list
            .meetings()
            .iter()
            .filter(|m| m.status == MeetingStatus::Held);
        assert!(held.count() > 1, "a year of held meetings");
        assert_eq!(list.meetings()[0].id, planned, "the latest first");
        let screen = drawn(&list, &ctx, 80, 12);
        assert!(
            screen.contains("予定") && screen.contains("開催済"),
            "{screen}"
        );
        assert!(
            screen.contains("下書き"),
            "the held one's minutes: {screen}"
        );
        assert!(screen.contains("令和8年"), "{screen}");
        let narrow = drawn(&list, &ctx, 40, 12);
        let first = narrow.lines().nth(1).unwrap_or("");
        assert!(
            first.contains("> 11/30(月)") && first.contains("予定"),
            "{narrow}"
        );
        assert!(narrow.contains("開催済 下書き"), "{narrow}");
        // The latest first: the planned one opens its setup once the agenda is prepared.
        assert_eq!(
            list.update(Action::Open, &mut ctx),
            vec![Command::OpenSetup(planned)]
        );
        list.performed(&Command::OpenSetup(planned), &Outcome::Done(None), &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Setup(planned))));
        list.update(Action::Down, &mut ctx);
        let held = list.meetings()[1].id;
        assert!(list.update(Action::Open, &mut ctx).is_empty());
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(held))));
    }
}
