//! The minutes of one meeting as they will be exported: scrolled, written to a file (`w`),
//! redacted (`R`: names become A氏, B氏 …, kept for the next minutes shown), copied to the
//! clipboard of the computer the facilitator sits at (`y`), approved (`A`). Each viewing is in
//! the audit log, once per meeting and redaction, not per redraw.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Ctx, Screen, ScreenId};
use crate::keys::Action;
use crate::store::Store;
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::document::Document;
use crate::tui::words::tr;

#[derive(Debug)]
pub struct Minutes {
    meeting: i64,
    document: Document,
    /// The redaction whose viewing was last logged.
    seen: Option<bool>,
}

impl Minutes {
    pub fn new(meeting: i64) -> Minutes {
        Minutes {
            meeting,
            document: Document::default(),
            seen: None,
        }
    }

    /// The minutes as shown.
    pub fn text(&self) -> &str {
        &self.document.text
    }

    /// Puts the minutes on the clipboard of the computer the facilitator sits at: OSC 52
    /// travels through SSH and tmux to the local terminal.
    fn copy(&self, ctx: &mut Ctx) {
        use base64::Engine;
        if self.document.text.is_empty() {
            return;
        }
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(self.document.text.as_bytes());
        ctx.outbox.push(format!("\u{1b}]52;c;{encoded}\u{7}"));
        ctx.info("copied");
    }
}

impl Screen for Minutes {
    fn id(&self) -> ScreenId {
        ScreenId::Minutes(self.meeting)
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        let id = self.meeting;
        let redact = ctx.redact;
        // Who saw the minutes of a confidential meeting is a question a ward must answer.
        if self.seen != Some(redact) {
            store.audit(
                "view_minutes",
                Some(id),
                if redact { "redacted" } else { "" },
            )?;
            self.seen = Some(redact);
        }
        let options = crate::minutes::Options {
            lang: ctx.lang,
            redact,
        };
        self.document.text = match store.minutes_input(id)? {
            Some(input) => crate::minutes::render(&input, &options),
            None => String::new(),
        };
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.document.steer(action) {
            return Vec::new();
        }
        match action {
            Action::ExportMinutes => {
                return vec![Command::ExportMinutes {
                    meeting: self.meeting,
                    redact: ctx.redact,
                    dir: ctx.export_dir.clone(),
                }];
            }
            Action::ToggleRedact => {
                ctx.redact = !ctx.redact;
                ctx.dirty = true;
            }
            Action::CopyMinutes => self.copy(ctx),
            Action::ApproveMinutes => return vec![Command::ApproveMinutes(self.meeting)],
            _ => {}
        }
        Vec::new()
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        if let (Command::ApproveMinutes(_), Outcome::Done(_)) = (command, outcome) {
            ctx.info("approved");
        }
    }

    fn hint(&self) -> &'static str {
        "minutes_hint"
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let mut title = format!("{} #{}", tr(lang, "minutes_title"), self.meeting);
        if ctx.redact {
            title.push_str(&format!(" ({})", tr(lang, "redacted")));
        }
        self.document.draw(frame, area, &ctx.theme, &title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::screens::testing::{Demo, drawn};

    fn viewed(demo: &Demo) -> i64 {
        let sql = "SELECT COUNT(*) FROM audit WHERE action = 'view_minutes'";
        demo.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn the_minutes_screen_alone() {
        let demo = Demo::new();
        let mut ctx = demo.ctx();
        let id = demo.held();
        let mut minutes = demo.loaded(Minutes::new(id), &mut ctx);
        assert!(minutes.text().contains("議事録"));
        assert_eq!(viewed(&demo), 1);
        minutes.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(viewed(&demo), 1, "viewing is logged once, not per load");
        assert!(drawn(&minutes, &ctx, 80, 22).contains(&format!("議事録 #{id}")));

        minutes.update(Action::ToggleRedact, &mut ctx);
        assert!(ctx.redact && ctx.dirty);
        minutes.load(&demo.store, &mut ctx).unwrap();
        assert_eq!(viewed(&demo), 2, "the redacted view is logged too");
        assert!(drawn(&minutes, &ctx, 80, 22).contains("氏名を伏せた版"));
        assert!(matches!(
            minutes.update(Action::ExportMinutes, &mut ctx).as_slice(),
            [Command::ExportMinutes { meeting, redact: true, .. }] if *meeting == id
        ));
        minutes.update(Action::CopyMinutes, &mut ctx);
        assert!(ctx.outbox[0].starts_with("\u{1b}]52;c;"));
        minutes.update(Action::Bottom, &mut ctx);
        assert_eq!(
            minutes.update(Action::ApproveMinutes, &mut ctx),
            vec![Command::ApproveMinutes(id)]
        );
        minutes.performed(&Command::ApproveMinutes(id), &Outcome::Done(None), &mut ctx);
        assert!(
            ctx.status
                .as_ref()
                .is_some_and(|(_, s)| s.contains("承認しました"))
        );
    }
}
