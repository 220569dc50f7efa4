//! The meeting screen alone: its keys, its forms read back into commands, its drawing.

use super::*;
use crate::domain::model::{Attendance, EntryKind};
use crate::store::capture::Entity;
use crate::tui::command::Undo;
use crate::tui::screens::testing::{Demo, drawn};
use crate::tui::screens::{Nav, Overlay};

/// Types into the focused field of the open form.
fn typed(ctx: &mut Ctx, text: &str) {
    for c in text.chars() {
        key(ctx, crossterm::event::KeyCode::Char(c));
    }
}

fn key(ctx: &mut Ctx, code: crossterm::event::KeyCode) {
    let Overlay::Form(form) = &mut ctx.overlay else {
        panic!("no form open");
    };
    let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    form.handle(&crossterm::event::Event::Key(key));
}

fn submitted(meeting: &mut Meeting, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
    let Overlay::Form(form) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
        panic!("no form open");
    };
    meeting.submit(&form, ctx)
}

/// A planned meeting of 支援方針検討会議 (its last meeting left two open actions), prepared.
fn planned(demo: &mut Demo) -> i64 {
    let id = demo.planned("支援方針検討会議");
    demo.store.prepare_agenda(id).unwrap();
    id
}

#[test]
fn the_meeting_screen_alone() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    assert_eq!(setup.id(), ScreenId::Setup(id));
    let screen = drawn(&setup, &ctx, 80, 22);
    assert!(screen.contains("支援方針検討会議"), "{screen}");
    assert!(screen.contains("議題"), "{screen}");

    // An attendee, through the form on the attendees pane.
    setup.update(Action::NextPane, &mut ctx);
    assert_eq!(setup.pane(), Pane::Attendees);
    setup.update(Action::Add, &mut ctx);
    typed(&mut ctx, "権利擁護センター");
    let commands = submitted(&mut setup, &mut ctx).unwrap();
    assert!(matches!(
        commands.as_slice(),
        [Command::AddAttendee { meeting, agency: Some(a), .. }]
            if *meeting == id && a == "権利擁護センター"
    ));
    // A form left empty says what is wrong.
    setup.update(Action::Add, &mut ctx);
    assert_eq!(submitted(&mut setup, &mut ctx), Err("empty_text"));

    // Planned for 11/30, begun on 11/21: it asks first, then begins today.
    assert!(setup.update(Action::Begin, &mut ctx).is_empty());
    let Overlay::Confirm(confirm) = std::mem::replace(&mut ctx.overlay, Overlay::None) else {
        panic!("beginning on another day asks first");
    };
    assert_eq!(confirm.commands, vec![Command::BeginToday(id)]);
    let subject = confirm.subject.unwrap_or_default();
    assert!(
        subject.contains("11/30(月) 15:00") && subject.contains("11/21(土) 10:00"),
        "{subject}"
    );
    setup.performed(&Command::BeginToday(id), &Outcome::Done(None), &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Live(id))));
    assert!(setup.update(Action::EndMeeting, &mut ctx).is_empty());
    assert!(
        matches!(ctx.overlay, Overlay::None),
        "no end before it begins"
    );

    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    assert_eq!(
        live.hint(),
        "review_hint",
        "the first item reviews the actions carried over"
    );
    live.update(Action::CaptureNote, &mut ctx);
    typed(&mut ctx, "面談の日程を調整中");
    assert!(matches!(
        submitted(&mut live, &mut ctx).unwrap().as_slice(),
        [Command::AddEntry { text, .. }] if text == "面談の日程を調整中"
    ));
    live.update(Action::EndMeeting, &mut ctx);
    let Overlay::Confirm(confirm) = &ctx.overlay else {
        panic!("ending asks first");
    };
    assert_eq!(confirm.commands, vec![Command::End(id)]);
    live.performed(&Command::End(id), &Outcome::Done(None), &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id))));
    live.update(Action::Minutes, &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id))));
    live.update(Action::Setup, &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Setup(id))));
    // A failed command leads nowhere.
    live.performed(&Command::End(id), &Outcome::failed("x"), &mut ctx);
    assert_eq!(ctx.take_nav(), None);
}

/// Defect 2 of issue 19: in setup the `>` stayed on the current item while j/k moved an
/// invisible selection, so e, x, K and J acted on a row the marker did not point at.
#[test]
fn the_marker_is_the_selection_and_the_current_item_is_a_star() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    setup.update(Action::Down, &mut ctx);
    setup.update(Action::Down, &mut ctx);
    let m = setup.meeting().unwrap();
    let (first, third) = (m.items[0].title.clone(), m.items[2].title.clone());
    for (w, h) in [(80, 22), (40, 12)] {
        let screen = drawn(&setup, &ctx, w, h);
        let marked: Vec<&str> = screen.lines().filter(|l| l.contains("> ")).collect();
        assert_eq!(marked.len(), 1, "{screen}");
        assert!(marked[0].contains(&third[..6]), "{w}x{h}: {screen}");
        let current = screen.lines().find(|l| l.contains("* 1.")).unwrap_or("");
        assert!(current.contains(&first[..6]), "{screen}");
    }
    // What K acts on is the row the marker points at.
    let third_id = setup.meeting().unwrap().items[2].id;
    assert_eq!(
        setup.update(Action::MoveUp, &mut ctx),
        vec![Command::MoveItem {
            id: third_id,
            delta: -1
        }]
    );
}

/// Defect 3 of issue 19: m in the setup of a meeting not yet held opened that meeting's empty
/// draft; it opens the minutes of the body's last meeting held, as the help says.
#[test]
fn minutes_from_the_setup_of_a_planned_meeting_are_the_last_held() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    let setup = &mut demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    let previous = setup.meeting().unwrap().previous_held.unwrap();
    assert_ne!(previous, id);
    setup.update(Action::Minutes, &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(previous))));
    // Once begun, the setup's minutes are this meeting's.
    demo.store.start_meeting(id).unwrap();
    setup.load(&demo.store, &mut ctx).unwrap();
    setup.update(Action::Minutes, &mut ctx);
    assert_eq!(ctx.take_nav(), Some(Nav::Open(ScreenId::Minutes(id))));
}

/// Defect 7 of issue 19: u said only 取り消しました, and a second u silently took back an
/// earlier capture — of any meeting of the session.
#[test]
fn undo_says_what_it_took_back_and_stays_in_its_meeting() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let item = demo.store.live_meeting(id).unwrap().unwrap().items[0].id;
    let note = demo
        .store
        .add_entry(item, EntryKind::Note, "親族との面談日程を調整")
        .unwrap();
    let other = demo.held();
    let elsewhere = demo
        .store
        .add_action(other, None, "別の会議の対応", None)
        .unwrap();
    ctx.undo = vec![
        Undo {
            entity: Entity::Entry,
            id: note,
            what: "メモ「親族との面談日程を調整」".into(),
        },
        Undo {
            entity: Entity::Action,
            id: elsewhere,
            what: "次回までの対応「別の会議の対応」".into(),
        },
    ];
    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    assert_eq!(
        live.update(Action::Undo, &mut ctx),
        vec![Command::TakeBack {
            entity: Entity::Entry,
            id: note
        }]
    );
    let said = ctx.status.clone().unwrap().1;
    assert!(said.contains("メモ「親族との面談日程を調整」"), "{said}");
    assert!(said.contains("あと 0 件"), "{said}");
    assert!(
        live.update(Action::Undo, &mut ctx).is_empty(),
        "another meeting's capture is not taken back here"
    );
    assert!(
        ctx.status
            .clone()
            .unwrap()
            .1
            .contains("取り消せる入力はありません")
    );
    assert_eq!(ctx.undo.len(), 1);
}

/// Defect 8 of issue 19: case fields never appeared in the record pane.
#[test]
fn case_and_record_fields_show_in_the_record_pane_and_open_their_forms() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let fields = crate::store::capture::CaseFields {
        case_ref: "C世帯".into(),
        risk: "高".into(),
        support_policy: "後見申立てを進める".into(),
        ..Default::default()
    };
    demo.store.set_case_fields(id, &fields).unwrap();
    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    let screen = drawn(&live, &ctx, 80, 24);
    assert!(
        screen.contains("事例: C世帯") && screen.contains("危険度 高"),
        "{screen}"
    );
    assert_eq!(live.pane(), Pane::Captures);
    let case = live.rows().iter().position(|r| *r == Row::Case).unwrap();
    live.update(Action::Top, &mut ctx);
    for _ in 0..case {
        live.update(Action::Down, &mut ctx);
    }
    live.update(Action::Edit, &mut ctx);
    let Overlay::Form(form) = &ctx.overlay else {
        panic!("e on the case line opens the case form");
    };
    assert_eq!(form.value(0), "C世帯");
    assert_eq!(form.value(3), "高");
}

/// A capture longer than three lines in the record pane says it is cut (`..`); selected, all
/// of it shows.
#[test]
fn a_long_capture_cut_to_three_lines_says_so() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let fields = crate::store::setup::RecordFields {
        place: "区役所 第3会議室".into(),
        basis: "支援会議".into(),
        handouts: "事例概要シート\n関係機関連絡先一覧\nジェノグラム".into(),
        remaining_issues: "本人の意向の確認と、家族の同意の取り方".into(),
        ..Default::default()
    };
    demo.store.set_record_fields(id, &fields).unwrap();
    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    let screen = drawn(&live, &ctx, 80, 24);
    let record: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("記録項目:"))
        .take(4)
        .collect();
    assert!(record[2].contains(".."), "{screen}");
    assert!(!screen.contains("家族の同意"), "{screen}");
    let row = live.rows().iter().position(|r| *r == Row::Record).unwrap();
    live.update(Action::Top, &mut ctx);
    for _ in 0..row {
        live.update(Action::Down, &mut ctx);
    }
    let screen = drawn(&live, &ctx, 80, 24);
    assert!(
        screen.contains("家族の同意"),
        "selected, all of it: {screen}"
    );
}

/// The record's fields: before, during and after the meeting, with pickers and a typed date.
#[test]
fn the_record_form_sets_every_field_of_the_minutes_and_the_report() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    setup.update(Action::RecordFields, &mut ctx);
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "地域ケア");
    key(&mut ctx, crossterm::event::KeyCode::Down);
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "y");
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "権利擁護");
    key(&mut ctx, crossterm::event::KeyCode::Down);
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "事例概要シート");
    key(&mut ctx, crossterm::event::KeyCode::Enter);
    typed(&mut ctx, "連絡先一覧");
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "親族の意向");
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "来週金曜");
    let commands = submitted(&mut setup, &mut ctx).unwrap();
    let [
        Command::SetRecord {
            meeting, fields, ..
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}");
    };
    assert_eq!(*meeting, id);
    assert_eq!(fields.place, "江東区役所 7階 会議室", "as scheduled");
    assert_eq!(fields.basis, "地域ケア会議");
    assert!(fields.supervisor);
    assert_eq!(fields.referred_by.as_deref(), Some("権利擁護センター"));
    assert_eq!(fields.handouts, "事例概要シート\n連絡先一覧");
    assert_eq!(fields.remaining_issues, "親族の意向");
    assert_eq!(
        fields.next_meeting,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
    );
    // A date that cannot be read keeps the form open, saying how to write one; a day its
    // month does not have, saying so.
    setup.update(Action::RecordFields, &mut ctx);
    for _ in 0..6 {
        key(&mut ctx, crossterm::event::KeyCode::Tab);
    }
    typed(&mut ctx, "2月30日");
    assert_eq!(submitted(&mut setup, &mut ctx), Err("no_such_day"));
    setup.update(Action::RecordFields, &mut ctx);
    for _ in 0..6 {
        key(&mut ctx, crossterm::event::KeyCode::Tab);
    }
    typed(&mut ctx, "2月のどこか");
    assert_eq!(submitted(&mut setup, &mut ctx), Err("bad_date"));
}

/// The carried actions on the live screen while their item runs: done, dropped, continued.
#[test]
fn carried_actions_are_reviewed_live_while_their_item_runs() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    let m = live.meeting().unwrap();
    assert_eq!(m.current().unwrap().title, "前回からの継続事項の確認");
    assert_eq!(live.carried().len(), 2);
    assert!(live.reviewing());
    assert_eq!(live.hint(), "review_hint");
    let screen = drawn(&live, &ctx, 80, 24);
    assert!(screen.contains("親族2名に制度説明の面"), "{screen}");
    assert!(
        screen.contains("(期限 11/17(火)) !超過"),
        "due and overdue: {screen}"
    );
    assert_eq!(
        live.pane(),
        Pane::Captures,
        "the review's item come up, its pane takes the keys"
    );
    let first = live.carried()[0].id;
    assert_eq!(
        live.update(Action::MarkDone, &mut ctx),
        vec![Command::SetActionStatus {
            id: first,
            status: ActionStatus::Done,
            in_meeting: Some(id)
        }]
    );
    assert_eq!(
        live.update(Action::Delete, &mut ctx),
        vec![Command::SetActionStatus {
            id: first,
            status: ActionStatus::Dropped,
            in_meeting: Some(id)
        }],
        "x on a carried action drops it, it does not remove another meeting's row"
    );
    live.update(Action::ContinueAction, &mut ctx);
    let Overlay::Form(form) = &ctx.overlay else {
        panic!("P opens the continue form");
    };
    assert_eq!(
        form.fields[0].note(crate::i18n::Lang::Ja),
        Some(crate::tui::widgets::form::Note::Understood(
            "-> 11/17(火) のまま".into()
        )),
        "empty, the due date is kept, and the field says which"
    );
    typed(&mut ctx, "12/18");
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "1名と面談済み、もう1名は日程調整中");
    assert_eq!(
        submitted(&mut live, &mut ctx).unwrap(),
        vec![Command::ContinueAction {
            id: first,
            in_meeting: Some(id),
            due: chrono::NaiveDate::from_ymd_opt(2026, 12, 18),
            note: "1名と面談済み、もう1名は日程調整中".into(),
            seen: Some("open".into()),
        }]
    );
    // A new due date decades away is a slip, refused as in every form (attack report item 22).
    live.update(Action::ContinueAction, &mut ctx);
    typed(&mut ctx, "2300/12/5");
    assert_eq!(submitted(&mut live, &mut ctx), Err("date_too_far"));
    // Nothing typed for the date: the due date it has is kept.
    live.update(Action::ContinueAction, &mut ctx);
    key(&mut ctx, crossterm::event::KeyCode::Tab);
    typed(&mut ctx, "変わりなし");
    let kept =
        chrono::NaiveDate::parse_from_str(live.carried()[0].due.as_deref().unwrap(), "%Y-%m-%d")
            .ok();
    assert!(matches!(
        submitted(&mut live, &mut ctx).unwrap().as_slice(),
        [Command::ContinueAction { due, .. }] if *due == kept
    ));
    // Past the review item, the carried actions leave the record pane.
    demo.store.step_agenda(id, 1).unwrap();
    live.load(&demo.store, &mut ctx).unwrap();
    assert!(!live.reviewing());
    assert!(!live.rows().iter().any(|r| matches!(r, Row::Carried(_))));
}

/// The setup lists the carried actions uncut: the due date with its weekday, overdue said.
#[test]
fn carried_actions_in_setup_show_their_due_date_and_overdue() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    setup.update(Action::PrevPane, &mut ctx);
    let screen = drawn(&setup, &ctx, 40, 12);
    assert!(
        screen.contains(">継続事項"),
        "the tab says what the pane is: {screen}"
    );
    assert!(screen.contains("期限"), "{screen}");
    assert!(screen.contains("!超過"), "{screen}");
    assert!(screen.contains("設定する"), "the text is not cut: {screen}");
}

/// The roster of the last meeting in one key; attendance then one key away from absent.
#[test]
fn the_last_roster_in_one_key() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    let mut setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    let screen = drawn(&setup, &ctx, 80, 22);
    assert!(screen.contains("R で前回の出席者"), "{screen}");
    assert_eq!(
        setup.update(Action::CopyRoster, &mut ctx),
        vec![Command::CopyRoster(id)]
    );
    demo.store.copy_roster(id).unwrap();
    setup.performed(&Command::CopyRoster(id), &Outcome::Done(Some(5)), &mut ctx);
    assert!(ctx.status.clone().unwrap().1.contains("5 名"));
    setup.load(&demo.store, &mut ctx).unwrap();
    assert_eq!(setup.pane(), Pane::Attendees);
    let present = setup.meeting().unwrap().attendees[0].attendance;
    assert_eq!(present, Attendance::Present);
    assert!(matches!(
        setup.update(Action::CycleAttendance, &mut ctx).as_slice(),
        [Command::SetAttendance {
            attendance: Attendance::Absent,
            ..
        }]
    ));
    // In English the roles are words of the pane's six cells, not codes cut (faci..).
    ctx.lang = crate::i18n::Lang::En;
    let screen = drawn(&setup, &ctx, 80, 22);
    assert!(screen.contains("> chair "), "{screen}");
    assert!(screen.contains("  notes "), "{screen}");
    assert!(
        !screen.contains("faci..") && !screen.contains("reco.."),
        "{screen}"
    );
}

/// A case issue is corrected with e, as every capture is (the old category kept in the record).
#[test]
fn a_case_issue_is_corrected_in_place() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store.start_meeting(id).unwrap();
    let issue = demo.store.add_case_issue(id, "ごみ屋敷").unwrap();
    let mut live = demo.loaded(Meeting::new(id, Stage::Live), &mut ctx);
    let at = live
        .rows()
        .iter()
        .position(|r| *r == Row::Issue(issue))
        .unwrap();
    live.update(Action::Top, &mut ctx);
    for _ in 0..at {
        live.update(Action::Down, &mut ctx);
    }
    live.update(Action::Edit, &mut ctx);
    for _ in 0.."ごみ屋敷".chars().count() {
        key(&mut ctx, crossterm::event::KeyCode::Backspace);
    }
    typed(&mut ctx, "ゴミ屋敷");
    assert_eq!(
        submitted(&mut live, &mut ctx).unwrap(),
        vec![Command::EditText {
            entity: Entity::CaseIssue,
            id: issue,
            expected: Some("ごみ屋敷".into()),
            text: "ゴミ屋敷".into(),
        }]
    );
}

/// Attack report 20: the live banner cited 社会福祉法第106条の6 on a 要対協 meeting whose minutes
/// cite 児童福祉法第25条の5. It cites the law the minutes' notice cites, by the meeting's basis,
/// else its body's kind.
#[test]
fn the_banner_cites_the_law_the_minutes_cite() {
    let mut demo = Demo::new();
    let mut ctx = demo.ctx();
    let id = planned(&mut demo);
    demo.store
        .conn()
        .execute("UPDATE meetings SET confidential = 1 WHERE id = ?1", [id])
        .unwrap();
    let cases = [
        ("要保護児童対策地域協議会", "", "児童福祉法第25条の5"),
        ("支援会議", "", "社会福祉法第106条の6"),
        ("", "要対協", "児童福祉法第25条の5"),
        ("", "地域ケア会議※１", "介護保険法第115条の48"),
    ];
    for (kind, basis, law) in cases {
        demo.store
            .conn()
            .execute(
                "UPDATE bodies SET kind = ?2 WHERE id = (SELECT body_id FROM meetings WHERE id = ?1)",
                rusqlite::params![id, kind],
            )
            .unwrap();
        demo.store.amend_meeting_field(id, "basis", basis).unwrap();
        let setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
        let screen = drawn(&setup, &ctx, 120, 30);
        assert!(screen.contains(law), "{kind}/{basis}: {screen}");
        let input = demo.store.minutes_input(id).unwrap().unwrap();
        let minutes = crate::minutes::render(
            &input,
            &crate::minutes::Options {
                lang: crate::i18n::Lang::Ja,
                redact: false,
            },
        );
        assert!(minutes.contains(law), "{kind}/{basis}: {minutes}");
    }
    // Consent cites no article: the banner says the duty without one.
    demo.store
        .amend_meeting_field(id, "basis", "本人同意")
        .unwrap();
    demo.store
        .conn()
        .execute(
            "UPDATE bodies SET kind = '' WHERE id = (SELECT body_id FROM meetings WHERE id = ?1)",
            [id],
        )
        .unwrap();
    let setup = demo.loaded(Meeting::new(id, Stage::Setup), &mut ctx);
    let screen = drawn(&setup, &ctx, 120, 30);
    assert!(screen.contains("非公開・守秘義務あり:"), "{screen}");
    assert!(!screen.contains("第106条"), "{screen}");
}
