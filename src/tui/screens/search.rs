//! Search over past records: notes, decisions, actions, roles, case issues and pseudonyms of
//! every meeting, found by what is typed (Japanese of one or two characters too: the store's
//! FTS5 index with its fallback for short words). The query is typed as a list's filter is (`/`
//! opens the screen with the query being typed); each keystroke searches again. Enter opens the
//! meeting of the hit: the minutes of a held one, the live screen of a running one, the setup of
//! a planned one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Ctx, Screen, ScreenId};
use crate::domain::model::MeetingStatus;
use crate::keys::Action;
use crate::store::Store;
use crate::store::search::{SearchFilters, SearchHit};
use crate::text::{fit, inert, width};
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::short_date;
use crate::tui::widgets::list::{ListState, draw_rows};
use crate::tui::widgets::{block, cut, fit_spans};
use crate::tui::words::tr;

/// How many hits are shown: the newest first.
const LIMIT: usize = 200;

/// A hit, with how its meeting stands (where Enter leads).
#[derive(Debug, Clone)]
struct Found {
    hit: SearchHit,
    status: MeetingStatus,
    running: bool,
}

#[derive(Debug, Default)]
pub struct Search {
    /// The query searched for last.
    query: String,
    found: Vec<Found>,
    list: ListState,
    /// The wards: where the database holds several (a city), each hit says its body's ward,
    /// two of one name by their codes.
    wards: crate::store::WardLabels,
    /// The query last written to the audit (each one searched once).
    audited: Option<String>,
}

impl Search {
    /// The hits shown, newest first.
    pub fn hits(&self) -> Vec<&SearchHit> {
        self.found.iter().map(|f| &f.hit).collect()
    }

    fn open(&self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(f) = self.found.get(self.list.selected) else {
            return Vec::new();
        };
        let id = f.hit.meeting_id;
        match (f.status, f.running) {
            (_, true) => ctx.open(ScreenId::Live(id)),
            (MeetingStatus::Planned, false) => return vec![Command::OpenSetup(id)],
            _ => {
                // The minutes open at the form found (ｻﾄｳ where さとう was typed).
                let found = match f.hit.matched_text() {
                    "" => self.query.clone(),
                    text => text.to_owned(),
                };
                ctx.found = Some(found);
                ctx.open(ScreenId::Minutes(id));
            }
        }
        Vec::new()
    }
}

impl Screen for Search {
    fn id(&self) -> ScreenId {
        ScreenId::Search
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        if self.query != ctx.filter || self.found.is_empty() {
            self.list.selected = 0;
        }
        self.query = ctx.filter.clone();
        let hits = store.search(&self.query, &SearchFilters::default(), LIMIT)?;
        // Who searched every meeting and case for what, as the command line's search says it.
        if !self.query.trim().is_empty() && self.audited.as_deref() != Some(self.query.as_str()) {
            store.audit_search(&self.query, hits.len(), hits.len() >= LIMIT)?;
            self.audited = Some(self.query.clone());
        }
        self.wards = store.ward_labels()?;
        let mut found = Vec::with_capacity(hits.len());
        for hit in hits {
            let (status, running) = store.meeting_state(hit.meeting_id)?;
            found.push(Found {
                hit,
                status,
                running,
            });
        }
        self.found = found;
        self.list.clamp(self.found.len());
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.found.len()) {
            return Vec::new();
        }
        match action {
            Action::Open => self.open(ctx),
            _ => Vec::new(),
        }
    }

    /// Each keystroke of the query searches the store again.
    fn filter_reads_store(&self) -> bool {
        true
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        if let (Command::OpenSetup(id), Outcome::Done(_)) = (command, outcome) {
            ctx.open(ScreenId::Setup(*id));
        }
    }

    fn hint(&self) -> &'static str {
        "search_hint"
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let theme = &ctx.theme;
        let title = format!(
            "{} 「{}」 ({})",
            tr(lang, "search_title"),
            self.query,
            self.found.len()
        );
        let block = block(theme, &title, area.width, true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.found.is_empty() {
            let word = if !crate::store::search::has_words(&self.query) {
                "search_empty"
            } else {
                "search_none"
            };
            frame.render_widget(
                Paragraph::new(cut(tr(lang, word), inner.width, theme.muted)),
                inner,
            );
            return;
        }
        let today = ctx.today();
        let cells = inner.width as usize;
        // Narrow, a hit takes two lines: when and where, then what was found.
        let narrow = inner.width < 60;
        let rows: Vec<(Vec<Line<'static>>, bool)> = self
            .found
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let selected = i == self.list.selected;
                let hit = &f.hit;
                let date = short_date(hit.date, today, lang);
                let mark = if hit.confidential {
                    format!(" {}", tr(lang, "confidential_mark"))
                } else {
                    String::new()
                };
                let kind = format!("{}{mark}: ", hit.kind.label(lang));
                let style = if selected {
                    theme.selection
                } else {
                    theme.text
                };
                let marker = Span::styled(if selected { "> " } else { "  " }, theme.accent);
                let where_ = if self.wards.several() {
                    let ward = self.wards.label(hit.ward_id, lang);
                    format!("{date} {} {} ", inert(&ward), inert(&hit.body))
                } else {
                    format!("{date} {} ", inert(&hit.body))
                };
                // On one line, what is left beside a long body's name may be too little to
                // show the word found (`..援センタ..` at 80 columns): that hit takes two lines.
                let beside = cells.saturating_sub(2 + width(&where_) + width(&kind));
                let lines = if narrow || beside < MIN_EXCERPT {
                    let room = cells.saturating_sub(2 + width(&kind));
                    vec![
                        Line::from(fit_spans(
                            vec![marker, Span::styled(where_, theme.muted)],
                            inner.width,
                        )),
                        Line::from(fit_spans(
                            vec![Span::raw("  "), Span::styled(kind, theme.muted)]
                                .into_iter()
                                .chain(marked(hit, room, style))
                                .collect(),
                            inner.width,
                        )),
                    ]
                } else {
                    let room = beside;
                    vec![Line::from(fit_spans(
                        vec![
                            marker,
                            Span::styled(where_, theme.muted),
                            Span::styled(kind, theme.muted),
                        ]
                        .into_iter()
                        .chain(marked(hit, room, style))
                        .collect(),
                        inner.width,
                    ))]
                };
                (lines, selected)
            })
            .collect();
        draw_rows(frame, inner, rows, false);
    }
}

/// The fewest cells a hit's excerpt gets on the line of its date and body; fewer, and the hit
/// is drawn on two lines as on a narrow screen.
const MIN_EXCERPT: usize = 24;

/// A hit's excerpt in `room` cells, the text it matched (the form found: ｻﾄｳ where さとう was
/// typed) underlined and bold, padded to `room`.
fn marked(hit: &SearchHit, room: usize, style: Style) -> Vec<Span<'static>> {
    let (text, at) = hit.excerpt_marked(room);
    let text = fit(&text, room);
    let (Some(before), Some(found), Some(after)) = (
        text.get(..at.start),
        text.get(at.clone()),
        text.get(at.end..),
    ) else {
        return vec![Span::styled(text, style)];
    };
    let mark = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    vec![
        Span::styled(before.to_owned(), style),
        Span::styled(found.to_owned(), mark),
        Span::styled(after.to_owned(), style),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::EntryKind;
    use crate::tui::screens::Nav;
    use crate::tui::screens::testing::{Demo, drawn};

    /// Two characters of Japanese find the records that hold them, newest first; Enter opens the
    /// meeting as it stands.
    #[test]
    fn two_characters_find_past_records_and_open_their_meeting() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        ctx.filter = "親族".to_owned();
        let mut search = demo.loaded(Search::default(), &mut ctx);
        let hits = search.hits();
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| h.text.contains("親族")), "{hits:?}");
        assert!(
            hits.windows(2).all(|w| w[0].date >= w[1].date),
            "newest first"
        );
        let screen = drawn(&search, &ctx, 80, 12);
        assert!(screen.contains("「親族」"), "{screen}");
        assert!(screen.contains("> "), "{screen}");
        let first = search.hits()[0].meeting_id;
        let (status, running) = demo.store.meeting_state(first).unwrap();
        let commands = search.update(Action::Open, &mut ctx);
        match (status, running) {
            (MeetingStatus::Planned, false) => {
                assert_eq!(commands, vec![Command::OpenSetup(first)])
            }
            (_, true) => assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Live(first)))),
            _ => assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(first)))),
        }
        ctx.filter = "存在しない言葉".to_owned();
        search.load(&demo.store, &mut ctx).unwrap();
        assert!(drawn(&search, &ctx, 40, 12).contains("見つかりません"));
    }

    /// The screen drawn on a terminal of `w`×`h`, each row followed by a row marking (`^`) the
    /// cells drawn underlined — the match highlighted — when there are any.
    fn drawn_marked(screen: &Search, ctx: &Ctx, w: u16, h: u16) -> String {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| screen.draw(f, f.area(), ctx)).unwrap();
        let buffer = terminal.backend().buffer();
        let text = crate::tui::buffer_text(buffer);
        let mut out = String::new();
        for (y, line) in text.lines().enumerate() {
            out.push_str(line);
            out.push('\n');
            // Cell by cell as buffer_text reads them: a wide character's mark under both cells.
            let mut marks = String::new();
            let mut x = 0;
            while x < w {
                let cell = &buffer[(x, y as u16)];
                let cells = width(cell.symbol()).max(1);
                let mark = if cell.modifier.contains(Modifier::UNDERLINED) {
                    '^'
                } else {
                    ' '
                };
                marks.extend(std::iter::repeat_n(mark, cells));
                x += cells as u16;
            }
            if marks.contains('^') {
                out.push_str(marks.trim_end());
                out.push('\n');
            }
        }
        out
    }

    /// Beside a body's long name at 80 columns the excerpt had six cells left and cut the word
    /// found itself (`..援センタ..`): such a hit takes two lines, and the word is shown whole,
    /// highlighted.
    #[test]
    fn the_word_found_is_shown_whole_beside_a_long_body_name() {
        let mut demo = Demo::new();
        let body = demo
            .store
            .bodies()
            .unwrap()
            .into_iter()
            .max_by_key(|b| crate::text::width(&b.record.name))
            .unwrap();
        assert!(
            crate::text::width(&body.record.name) > 60,
            "{}",
            body.record.name
        );
        let meeting = demo
            .store
            .schedule_meeting(&crate::store::capture::NewMeeting {
                body_id: body.id,
                date: demo.store.clock().today(),
                start: Some("10:00".to_owned()),
                end: None,
                place: String::new(),
            })
            .unwrap();
        let item = demo
            .store
            .add_agenda_item(meeting, "報告", Some(10))
            .unwrap();
        demo.store
            .add_entry(
                item,
                EntryKind::Note,
                "包括支援センターの相談員が同行訪問した",
            )
            .unwrap();
        let mut ctx = demo.ctx();
        ctx.filter = "同行訪問".to_owned();
        let search = demo.loaded(Search::default(), &mut ctx);
        assert_eq!(search.hits().len(), 1);
        let screen = drawn_marked(&search, &ctx, 80, 6);
        assert!(screen.contains("同行訪問"), "{screen}");
        assert!(
            screen.contains("^^^^^^^^"),
            "the word highlighted whole: {screen}"
        );
    }

    /// A name typed in full-width katakana finds it written in half-width katakana and in
    /// hiragana, and each hit highlights the form it found.
    #[test]
    fn a_name_in_any_kana_is_found_and_the_form_found_highlighted() {
        let mut demo = Demo::new();
        let meeting = demo.held();
        let item = demo
            .store
            .add_agenda_item(meeting, "経過報告", Some(10))
            .unwrap();
        for (kind, text) in [
            (EntryKind::Note, "ﾓﾘﾀﾉﾌﾞｵ氏より電話。来週の面談を希望"),
            (
                EntryKind::Decision,
                "次回はもりたのぶおさんの長男が同席する",
            ),
        ] {
            demo.store.add_entry(item, kind, text).unwrap();
        }
        let mut ctx = demo.ctx();
        ctx.filter = "モリタノブオ".to_owned();
        let mut search = demo.loaded(Search::default(), &mut ctx);
        assert_eq!(search.hits().len(), 2);
        insta::assert_snapshot!("search_kana_80x8", drawn_marked(&search, &ctx, 80, 8));
        insta::assert_snapshot!("search_kana_40x10", drawn_marked(&search, &ctx, 40, 10));
        // Enter opens the minutes at the form found, not at what was typed.
        search.update(Action::Open, &mut ctx);
        assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(meeting))));
        assert_eq!(ctx.found.as_deref(), Some("もりたのぶお"));
    }
}
