//! A meeting is kept within what renkei's own import takes of one record
//! (`renkei::limits::MAX_RECORD_BYTES`): a note that would take it past is refused with a
//! message in the app's language, and the form keeps what was typed.

use crossterm::event::Event;

use super::Harness;
use renkei::i18n::Lang;
use renkei::tui::screens::Overlay;
use renkei::tui::{self};

/// Importbound's limit from the store's side: a meeting whose history holds 15.8 MB already
/// (sixteen corrections of 990 kB each, kept by an older renkei) took a pasted note of 300 kB,
/// and its export was then refused by renkei's own import. The save is refused now: the status
/// says why in Japanese, the form stays open with the note, nothing is written. (Before: the
/// note was saved — seen failing on the form being closed.)
#[test]
fn a_note_that_would_take_the_meeting_past_the_import_limit_is_refused_and_kept() {
    let mut h = Harness::new(Lang::Ja);
    let meeting = super::live_meeting(&mut h);
    h.store
        .conn()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16)
             INSERT INTO changes (at, by, meeting_id, entity, entity_id, field, old_value, new_value)
             SELECT '2026-11-20T10:00:00+09:00', 'sato', ?1, 'meeting', ?1, 'handouts', NULL,
                    replace(hex(zeroblob(990000)), '00', 'x')
             FROM n",
            [meeting],
        )
        .unwrap();
    let changes = h.count("SELECT COUNT(*) FROM changes");
    h.key("n");
    let note = "経過".repeat(50_000);
    tui::handle(&mut h.app, &mut h.store, &Event::Paste(note.clone()));
    h.key("enter");
    let Overlay::Form(form) = &h.app.ctx.overlay else {
        panic!("the form was closed: the note was taken");
    };
    assert_eq!(form.value(0), note, "the note typed is kept");
    // The form says the save failed and the text is kept; the status line says why.
    let said = format!(
        "{} {}",
        form.error.clone().unwrap_or_default(),
        h.app.ctx.status.clone().unwrap_or_default().1
    );
    assert!(
        said.contains("1 つの会議は 16 MB まで") && said.contains("保存していません"),
        "{said}"
    );
    assert_eq!(
        h.count("SELECT COUNT(*) FROM agenda_entries WHERE length(text) > 1000"),
        0
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM changes"), changes);
}
