//! For the screens' own tests: the demo data at the tests' fixed time (Saturday 21 November
//! 2026, 10:00 in Tokyo), a `Ctx` in Japanese without colour, and one screen drawn alone.

use std::sync::OnceLock;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Ctx, Screen};
use crate::domain::model::MeetingStatus;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::testing::copied_store;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub struct Demo {
    _dir: tempfile::TempDir,
    pub store: Store,
}

impl Demo {
    /// The demo loaded by `sato`: loaded once per test binary, copied into each test's own
    /// directory.
    pub fn new() -> Demo {
        static DEMO: OnceLock<Vec<u8>> = OnceLock::new();
        let dir = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00+09:00").unwrap();
        let path = dir.path().join("renkei.db");
        let mut store = copied_store(&DEMO, &path, now, |store| {
            store.set_user("sato");
            crate::demo::load(store).unwrap();
        });
        store.set_user("sato");
        Demo { _dir: dir, store }
    }

    pub fn ctx(&self) -> Ctx {
        Ctx::new(
            Lang::Ja,
            Theme::mono(),
            Keymap::default_keymap(),
            self.store.now(),
        )
    }

    /// The planned meeting of the body whose name contains `body`.
    pub fn planned(&self, body: &str) -> i64 {
        let meetings = self.store.meetings(None).unwrap();
        let found = meetings
            .iter()
            .find(|m| m.body.contains(body) && m.status == MeetingStatus::Planned);
        found.unwrap().id
    }

    /// A meeting held, of any body.
    pub fn held(&self) -> i64 {
        let meetings = self.store.meetings(None).unwrap();
        let found = meetings.iter().find(|m| m.status == MeetingStatus::Held);
        found.unwrap().id
    }

    /// The screen read from the store, as it comes to the top.
    pub fn loaded<S: Screen>(&self, mut screen: S, ctx: &mut Ctx) -> S {
        screen.load(&self.store, ctx).unwrap();
        screen
    }
}

/// The screen drawn alone on a terminal of `w`×`h`, as text.
pub fn drawn(screen: &dyn Screen, ctx: &Ctx, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| screen.draw(f, f.area(), ctx)).unwrap();
    crate::tui::buffer_text(terminal.backend().buffer())
}
