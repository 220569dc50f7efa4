//! Forms, drawn over the screen that opened them: text fields are real editors
//! (ratatui-textarea: cursor movement, paste, multi-byte text from an input method), choices
//! cycle with Left/Right or are picked by their letters, pickers offer choices as you type (a
//! [`Picker`]), dates say how they are understood. What a form is for is the opening screen's own
//! business: it gives the form a purpose of its own type and reads it back when submitted.
//!
//! Keys, the same in every field: Tab and Shift+Tab move one field (Tab on a highlighted
//! suggestion takes it first), Down/Up go through a picker's suggestions (or to the next field
//! when there are none), Enter on a highlighted suggestion takes it and stays, any other Enter
//! saves (in a field of several lines it breaks the line; Ctrl+S saves), Esc cancels. The focused
//! field is marked with `>` before its label, not by colour alone.

mod draw;
mod field;

pub use draw::draw;
pub use field::{Field, FieldKind, Note, Opt, short_date, unread_date};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::any::Any;

use crate::i18n::Lang;
use crate::tui::widgets::picker::Picker;
use field::editor;

pub struct Form {
    pub title: String,
    /// What the form is for, in the words of the screen that opened it.
    purpose: Box<dyn Any>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// When correcting an entry: its text as shown when the form opened, so that a change made
    /// meanwhile by someone else is detected instead of overwritten.
    pub original: Option<String>,
    /// The revision of the record the form opened on (a case's `rev`), kept with its draft: a
    /// form put back after a kill is checked against what it was opened on, not against the
    /// record as it is by then (a colleague's change meanwhile is refused naming them, not
    /// written over unseen).
    pub loaded: Option<i64>,
    /// The reader's language, for what the form itself says (a paste too long): the app's.
    pub lang: Lang,
    /// Which form this is, for the draft of what is typed in it (`store::drafts`): kept as the
    /// typing pauses and before it is saved, put back when the same form opens again (after a
    /// kill too). None: a form whose screen keeps its drafts itself (a review), or none.
    pub draft: Option<DraftKey>,
    /// A draft of it is in the store (kept at a pause, or put back): let go with Esc or once
    /// it is saved.
    pub stored: bool,
    /// Its kept draft was looked for when it opened.
    pub looked: bool,
    /// What each field held when the form opened (a draft keeps only the fields changed).
    opened: Vec<String>,
    /// What each field held when it was last kept (opened, or a draft written).
    kept: Vec<String>,
    /// The field each refusal of its submit is about (`closure_needs_evaluation` → 評価):
    /// the cursor goes there when the form is refused with that word.
    refusals: Vec<(&'static str, usize)>,
}

/// A form's place among the drafts: its name (`entry 12 note 5`), and the meeting or case it
/// belongs to (its draft goes with them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftKey {
    pub form: String,
    pub meeting: Option<i64>,
    pub case: Option<i64>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Submit,
    Cancel,
    /// Ctrl-C: the app ends, what is typed kept as a draft for the next start (the help says
    /// of ctrl-c 終了（入力済みの内容は保存済み）; it let the form and its draft go as Esc does —
    /// attack of 2026-12-05, round 30).
    Quit,
}

impl Form {
    pub fn new(title: &str, purpose: impl Any, fields: Vec<Field>) -> Form {
        let opened: Vec<String> = fields.iter().map(Field::typed).collect();
        Form {
            title: title.to_owned(),
            purpose: Box::new(purpose),
            fields,
            focus: 0,
            error: None,
            original: None,
            loaded: None,
            lang: Lang::Ja,
            draft: None,
            stored: false,
            looked: false,
            kept: opened.clone(),
            opened,
            refusals: Vec::new(),
        }
    }

    /// The form whose refusal `key` is about field `field`: refused so, the cursor goes there.
    pub fn refusing(mut self, key: &'static str, field: usize) -> Form {
        self.refusals.push((key, field));
        self
    }

    /// Puts the cursor in the field the refusal `key` names (finding 3: refused for an empty
    /// evaluation, the cursor stayed on 理由): the field the form was told of, else, for an
    /// empty field, the first empty one.
    pub fn focus_refused(&mut self, key: &str) {
        match self.refusals.iter().find(|(k, _)| *k == key) {
            Some(&(_, field)) if field < self.fields.len() => self.focus = field,
            _ if key == "empty_text" => self.focus_empty(),
            _ => {}
        }
    }

    /// Puts the cursor in the field holding what the store calls `name` (a refusal of the
    /// store names it: `next_review`); none such, the cursor stays.
    pub fn focus_named(&mut self, name: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.name == Some(name)) {
            self.focus = i;
        }
    }

    /// The form in the reader's language (what it says itself: a paste too long).
    pub fn in_lang(&mut self, lang: Lang) -> &mut Form {
        self.lang = lang;
        self
    }

    /// Marks the form as one whose typing is kept as a draft under `key`.
    pub fn drafted(mut self, key: DraftKey) -> Form {
        self.draft = Some(key);
        self
    }

    /// What each field holds as typed.
    pub fn typed(&self) -> Vec<String> {
        self.fields.iter().map(Field::typed).collect()
    }

    /// Whether anything was typed since the form opened or was last kept.
    pub fn changed_since_kept(&self) -> bool {
        self.typed() != self.kept
    }

    /// What is typed is kept now (a draft written): the next change is a change again.
    pub fn mark_kept(&mut self) {
        self.kept = self.typed();
    }

    /// The fields whose text differs from what the form opened with: (index, label, typed).
    pub fn changed_fields(&self) -> Vec<(usize, String, String)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(i, f)| self.opened.get(*i) != Some(&f.typed()))
            .map(|(i, f)| (i, f.label.clone(), f.typed()))
            .collect()
    }

    /// What each changed field held when the form opened (kept with its draft, so that a form
    /// put back after a kill compares with what it opened on, not with the record by then).
    pub fn opened_of_changed(&self) -> Vec<(usize, String)> {
        self.changed_fields()
            .into_iter()
            .filter_map(|(i, _, _)| Some((i, self.opened.get(i)?.clone())))
            .collect()
    }

    /// Sets what the fields held when the form opened from a kept draft's
    /// ([`Form::opened_of_changed`]): the form opened before the kill.
    pub fn reopened(&mut self, opened: &[(usize, String)]) {
        for (i, text) in opened {
            if let Some(slot) = self.opened.get_mut(*i) {
                slot.clone_from(text);
            }
        }
    }

    /// The fields as they were when the form opened.
    pub fn as_opened(&self) -> Vec<Field> {
        let mut fields = self.fields.clone();
        for (field, opened) in fields.iter_mut().zip(&self.opened) {
            field.set_typed(opened);
        }
        fields
    }

    /// Puts back the fields of a kept draft, each where the form has a field of its index and
    /// label (a form laid out otherwise since keeps what it can). Whether any was put back.
    pub fn restore(&mut self, fields: &[(usize, String, String)]) -> bool {
        let mut any = false;
        for (index, label, typed) in fields {
            if let Some(field) = self.fields.get_mut(*index)
                && field.label == *label
            {
                field.set_typed(typed);
                any = true;
            }
        }
        // What was put back is in the store already.
        self.kept = self.typed();
        any
    }

    /// Marks the form as correcting an entry whose text was `original`.
    pub fn editing(mut self, original: Option<&str>) -> Form {
        self.original = original.map(str::to_owned);
        self
    }

    /// What the form is for, if it is a `P` (the opening screen's own type).
    pub fn purpose<P: Any>(&self) -> Option<&P> {
        self.purpose.downcast_ref()
    }

    pub fn purpose_mut<P: Any>(&mut self) -> Option<&mut P> {
        self.purpose.downcast_mut()
    }

    /// What the form is for, set once its fields are made.
    pub fn set_purpose(&mut self, purpose: impl Any) {
        self.purpose = Box::new(purpose);
    }

    pub fn value(&self, index: usize) -> String {
        self.fields.get(index).map(Field::value).unwrap_or_default()
    }

    pub fn field(&self, index: usize) -> Option<&Field> {
        self.fields.get(index)
    }

    /// The date of date field `index`: none when left empty, `bad_date` when unreadable.
    pub fn date(&self, index: usize) -> Result<Option<chrono::NaiveDate>, &'static str> {
        self.fields
            .get(index)
            .map_or(Err("bad_date"), Field::date_value)
    }

    pub fn handle(&mut self, event: &Event) -> FormOutcome {
        match event {
            Event::Paste(text) => {
                self.paste(text);
                FormOutcome::Editing
            }
            Event::Key(key) => self.key(key),
            Event::Resize(..) => {
                self.fields.iter_mut().for_each(Field::refit);
                FormOutcome::Editing
            }
            _ => FormOutcome::Editing,
        }
    }

    /// Characters typed together (keys that came in one burst), as if typed one by one: what
    /// fits in the focused field goes in, and when the field is full the form says how much was
    /// not put in (what is there stays).
    pub fn type_text(&mut self, text: &str) {
        self.error = None;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let limit = crate::limits::MAX_TEXT_BYTES;
        let room = limit.saturating_sub(field.typed_bytes());
        let mut fits = text.len().min(room);
        while !text.is_char_boundary(fits) {
            fits -= 1;
        }
        let (put, left) = text.split_at(fits);
        field.insert(put);
        if !left.is_empty() {
            self.error = Some(crate::i18n::say(
                self.lang,
                "field_cut",
                &[
                    ("limit", crate::limits::size(limit)),
                    ("left", left.chars().count().to_string()),
                ],
            ));
        }
    }

    fn paste(&mut self, text: &str) {
        // A text longer than a field may hold (crate::limits) is not pasted: the form says so and
        // what was typed stays as it was.
        let held = self.fields.get(self.focus).map_or(0, |f| f.value().len());
        if held + text.len() > crate::limits::MAX_TEXT_BYTES {
            self.error = Some(crate::i18n::say(
                self.lang,
                "paste_too_long",
                &[
                    ("size", crate::limits::size(text.len())),
                    ("limit", crate::limits::size(crate::limits::MAX_TEXT_BYTES)),
                ],
            ));
            return;
        }
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.insert(text);
        }
    }

    /// Whether a field holds more than a text may (crate::limits: typed or pasted bit by
    /// bit): the cursor goes to the first such field and the form says so — what was typed is
    /// kept, nothing is saved.
    pub fn refuse_too_long(&mut self) -> bool {
        let limit = crate::limits::MAX_TEXT_BYTES;
        let Some((at, bytes)) = self
            .fields
            .iter()
            .map(|f| f.value().len())
            .enumerate()
            .find(|(_, n)| *n > limit)
        else {
            return false;
        };
        self.focus = at;
        self.error = Some(crate::i18n::say(
            self.lang,
            "form_too_long",
            &[
                ("size", crate::limits::size(bytes)),
                ("limit", crate::limits::size(limit)),
            ],
        ));
        true
    }

    /// The highlighted suggestion of the focused picker, if one is highlighted.
    pub fn highlighted(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.kind),
            Some(FieldKind::Pick { picker, .. }) if picker.selected.is_some()
        )
    }

    fn key(&mut self, key: &KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            // Suggestions shown are put away first; the next Esc leaves the form.
            KeyCode::Esc if self.dismiss_suggestions() => return FormOutcome::Editing,
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char('c') if ctrl => return FormOutcome::Quit,
            KeyCode::Char('s') if ctrl => return FormOutcome::Submit,
            // As in a shell: C-u clears the field (the text area would take it for undo).
            KeyCode::Char('u') if ctrl => {
                self.clear_focused();
                return FormOutcome::Editing;
            }
            KeyCode::Enter if self.take_suggestion() => return FormOutcome::Editing,
            KeyCode::Enter if alt || !self.focus_is_multiline() => return FormOutcome::Submit,
            KeyCode::Tab => {
                self.take_suggestion();
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                return FormOutcome::Editing;
            }
            KeyCode::BackTab => {
                let n = self.fields.len().max(1);
                self.focus = (self.focus + n - 1) % n;
                return FormOutcome::Editing;
            }
            _ => {}
        }
        self.error = None;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormOutcome::Editing;
        };
        // A field full to what a text may hold takes no more characters (typed or sent as keys
        // by a tool): the form says so, what was typed stays.
        let limit = crate::limits::MAX_TEXT_BYTES;
        if let KeyCode::Char(c) = key.code
            && !ctrl
            && field.typed_bytes() + c.len_utf8() > limit
        {
            self.error = Some(crate::i18n::say(
                self.lang,
                "field_full",
                &[("limit", crate::limits::size(limit))],
            ));
            return FormOutcome::Editing;
        }
        let vertical = matches!(key.code, KeyCode::Up | KeyCode::Down);
        match &mut field.kind {
            FieldKind::Text { area, multiline } => {
                if vertical && !*multiline {
                    self.move_focus(key.code == KeyCode::Down);
                } else {
                    area.input(*key);
                }
            }
            FieldKind::Date { input, .. } => {
                if vertical {
                    self.move_focus(key.code == KeyCode::Down);
                } else {
                    input.input(*key);
                }
            }
            FieldKind::Choice { options, index } => {
                let n = options.len().max(1);
                match key.code {
                    KeyCode::Left => *index = (*index + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') => *index = (*index + 1) % n,
                    KeyCode::Up | KeyCode::Down => self.move_focus(key.code == KeyCode::Down),
                    KeyCode::Char(c) => {
                        if let Some(i) = options.iter().position(|o| o.letter == Some(c)) {
                            *index = i;
                        }
                    }
                    _ => {}
                }
            }
            FieldKind::Pick { input, picker } => {
                let typed = input.lines().join(" ");
                match key.code {
                    KeyCode::Down if picker.down(&typed) => {}
                    KeyCode::Up if picker.up() => {}
                    KeyCode::Up | KeyCode::Down => self.move_focus(key.code == KeyCode::Down),
                    _ => {
                        if input.input(*key) {
                            picker.edited();
                        } else {
                            picker.selected = None;
                        }
                    }
                }
            }
        }
        FormOutcome::Editing
    }

    /// Takes the highlighted suggestion of the focused picker into its text; false when none
    /// is highlighted.
    fn take_suggestion(&mut self) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let FieldKind::Pick { input, picker } = &mut field.kind else {
            return false;
        };
        let typed = input.lines().join(" ");
        let Some(label) = picker.chosen(&typed).map(|c| c.label.clone()) else {
            return false;
        };
        *input = editor(&label);
        picker.edited();
        true
    }

    /// Puts away the suggestions of the focused picker, if it shows any (Esc).
    fn dismiss_suggestions(&mut self) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Pick { input, picker }) => picker.dismiss(&input.lines().join(" ")),
            _ => false,
        }
    }

    /// Empties the focused text, date or picker field (a choice keeps its value).
    fn clear_focused(&mut self) {
        self.error = None;
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text { area, .. }) => *area = editor(""),
            Some(FieldKind::Date { input, .. }) => *input = editor(""),
            Some(FieldKind::Pick { input, picker }) => {
                *input = editor("");
                picker.edited();
            }
            _ => {}
        }
    }

    /// A form refused because a field is empty: the cursor goes to the first empty text or
    /// picker field, unless the focused one is empty itself, so that what is typed next goes
    /// where it is missing (not onto the agency's name in the field the cursor was left in).
    pub fn focus_empty(&mut self) {
        let empty = |f: &Field| match &f.kind {
            FieldKind::Text { area, .. } => area.lines().concat().trim().is_empty(),
            FieldKind::Pick { input, .. } => input.lines().concat().trim().is_empty(),
            _ => false,
        };
        if self.fields.get(self.focus).is_some_and(empty) {
            return;
        }
        if let Some(i) = self.fields.iter().position(empty) {
            self.focus = i;
        }
    }

    /// Whether the focused field takes characters as text (not a choice, whose letters pick).
    pub fn focus_takes_text(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| !matches!(f.kind, FieldKind::Choice { .. }))
    }

    fn focus_is_multiline(&self) -> bool {
        self.fields.get(self.focus).is_some_and(Field::is_multiline)
    }

    fn move_focus(&mut self, down: bool) {
        let n = self.fields.len().max(1);
        self.focus = if down {
            (self.focus + 1).min(n - 1)
        } else {
            self.focus.saturating_sub(1)
        };
    }
}

/// A picker of agencies: `near` (the body's own, those of its meetings) first, then `others`.
pub fn agency_picker(near: &[String], others: &[String]) -> Picker {
    let all: Vec<String> = near.iter().chain(others).cloned().collect();
    Picker::of_names(&all, near.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::picker::Choice;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle(&key(KeyCode::Char(c)));
        }
    }

    fn agencies() -> Picker {
        Picker::of_names(
            &["健康推進課", "生活福祉課", "地域福祉課"].map(str::to_owned),
            0,
        )
    }

    #[test]
    fn typing_japanese_and_backspace() {
        let mut form = Form::new("t", (), vec![Field::text("メモ", "")]);
        typed(&mut form, "訪問診療を調整する");
        form.handle(&key(KeyCode::Backspace));
        assert_eq!(form.value(0), "訪問診療を調整す");
        form.handle(&key(KeyCode::Home));
        typed(&mut form, "至急:");
        assert_eq!(form.value(0), "至急:訪問診療を調整す");
        assert_eq!(form.handle(&key(KeyCode::Enter)), FormOutcome::Submit);
    }

    /// Attack report 2, finding 4: a paste of any size went into the field, and on to the store.
    #[test]
    fn a_paste_longer_than_a_field_holds_is_refused_and_the_typed_text_kept() {
        let limit = crate::limits::MAX_TEXT_BYTES;
        let mut form = Form::new(
            "t",
            (),
            vec![Field::text("件名", ""), Field::multiline("メモ", "")],
        );
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "訪問");
        form.handle(&Event::Paste("あ".repeat(limit / 3)));
        assert!(
            form.error.as_deref().unwrap_or("").contains("1 MB"),
            "{:?}",
            form.error
        );
        assert_eq!(form.value(1), "訪問");
        // What fits is pasted.
        form.error = None;
        let fits = "い".repeat((limit - "訪問".len()) / 3);
        form.handle(&Event::Paste(fits.clone()));
        assert_eq!(form.error, None);
        assert_eq!(form.value(1), format!("訪問{fits}"));
        assert!(!form.refuse_too_long());
        // Typed past it key by key: not taken, said.
        typed(&mut form, "ううう");
        assert_eq!(form.value(1), format!("訪問{fits}"));
        assert!(form.error.as_deref().unwrap_or("").contains("1 MB"));
        // A text past it that came another way (a draft kept before the limit was checked
        // key by key): refused when saved, the cursor on it.
        let over = "え".repeat(limit / 3 + 1);
        let mut form = Form::new(
            "t",
            (),
            vec![Field::text("件名", ""), Field::multiline("メモ", &over)],
        );
        assert!(form.refuse_too_long());
        assert_eq!(form.focus, 1);
        assert!(form.error.is_some());
        assert_eq!(form.value(1), over);
    }

    #[test]
    fn a_field_full_to_its_limit_takes_no_more_keys() {
        let limit = crate::limits::MAX_TEXT_BYTES;
        let mut form = Form::new("t", (), vec![Field::text("場所", &"a".repeat(limit - 3))]);
        typed(&mut form, "い");
        assert_eq!(form.value(0).len(), limit, "a key that fits is taken");
        assert!(form.error.is_none());
        typed(&mut form, "いa");
        assert_eq!(form.value(0).len(), limit, "nothing past the limit");
        let said = form.error.clone().unwrap_or_default();
        assert!(said.contains("1 MB") || said.contains("MB"), "{said}");
        // Deleting makes room again.
        form.handle(&key(KeyCode::Backspace));
        typed(&mut form, "a");
        assert_eq!(form.value(0).len(), limit - 2);
    }

    /// Attack report 9, finding 4: keys sent faster than typed (a paste the terminal does not
    /// bracket) that pass what a field holds were put in cut, chunk by chunk, under a message
    /// that said nothing was pasted. What fits goes in, and the form says how much did not.
    #[test]
    fn keys_typed_together_past_a_field_fill_it_and_say_what_was_left() {
        let limit = crate::limits::MAX_TEXT_BYTES;
        let mut form = Form::new("t", (), vec![Field::text("課題", &"a".repeat(limit - 7))]);
        form.type_text("いろはにほ");
        assert_eq!(form.value(0), format!("{}いろ", "a".repeat(limit - 7)));
        let said = form.error.clone().unwrap_or_default();
        assert!(said.contains("入りきらなかった 3 文字"), "{said}");
        // A text that fits is put in whole, nothing said.
        let mut form = Form::new("t", (), vec![Field::text("課題", "")]);
        form.type_text("会議室A");
        assert_eq!(form.value(0), "会議室A");
        assert!(form.error.is_none());
    }

    #[test]
    fn paste_arrives_whole() {
        let mut form = Form::new("t", (), vec![Field::text("メモ", "")]);
        form.handle(&Event::Paste("保健師が訪問|予定".to_owned()));
        assert_eq!(form.value(0), "保健師が訪問|予定");
    }

    /// Defect 1 of issue 19: Enter on a suggestion took it and moved on, so the Tab a user
    /// then pressed put the name in 職名; Tab on a highlighted suggestion ignored it.
    #[test]
    fn enter_takes_a_suggestion_and_stays_tab_takes_it_and_moves_one() {
        let fields = || {
            vec![
                Field::pick("機関", "", agencies()),
                Field::text("氏名", ""),
                Field::text("職名", ""),
            ]
        };
        let mut form = Form::new("t", (), fields());
        typed(&mut form, "福祉");
        form.handle(&key(KeyCode::Down));
        assert!(form.highlighted());
        assert_eq!(form.handle(&key(KeyCode::Enter)), FormOutcome::Editing);
        assert_eq!((form.focus, form.value(0).as_str()), (0, "生活福祉課"));
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "田中 誠");
        assert_eq!(form.value(1), "田中 誠", "the name is in 氏名");
        assert_eq!(form.value(2), "");

        let mut form = Form::new("t", (), fields());
        typed(&mut form, "福祉");
        form.handle(&key(KeyCode::Down));
        form.handle(&key(KeyCode::Down));
        form.handle(&key(KeyCode::Tab));
        assert_eq!((form.focus, form.value(0).as_str()), (1, "地域福祉課"));
        assert_eq!(form.handle(&key(KeyCode::Enter)), FormOutcome::Submit);
    }

    #[test]
    fn a_choice_cycles_or_is_picked_by_its_letter() {
        let mut form = Form::new(
            "t",
            (),
            vec![Field::options(
                "役割",
                vec![
                    Opt::lettered('f', "facilitator", "司会"),
                    Opt::lettered('m', "member", "構成員"),
                    Opt::lettered('v', "supervisor", "SV"),
                ],
                "member",
            )],
        );
        form.handle(&key(KeyCode::Char('f')));
        assert_eq!(form.value(0), "facilitator");
        form.handle(&key(KeyCode::Left));
        assert_eq!(form.value(0), "supervisor");
        form.handle(&key(KeyCode::Char(' ')));
        assert_eq!(form.value(0), "facilitator");
        form.handle(&key(KeyCode::Char('z')));
        assert_eq!(form.value(0), "facilitator", "no option has z");
    }

    #[test]
    fn a_new_value_can_be_typed_and_a_known_one_is_stored_by_its_key() {
        let picker = Picker::new(vec![Choice::keyed("要対協", "要保護児童対策地域協議会")]);
        let mut form = Form::new("t", (), vec![Field::pick("根拠", "", picker)]);
        typed(&mut form, "児童");
        form.handle(&key(KeyCode::Down));
        form.handle(&key(KeyCode::Enter));
        assert_eq!(form.value(0), "要対協");
        let mut form = Form::new("t", (), vec![Field::pick("機関", "", agencies())]);
        typed(&mut form, "NPO法人つばさ");
        assert_eq!(form.value(0), "NPO法人つばさ");
        assert!(matches!(
            form.fields[0].note(crate::i18n::Lang::Ja),
            Some(Note::New(_))
        ));
    }

    /// Found by the cases developer: Enter on the agency of the action form, no suggestion
    /// chosen, was refused (内容が空です) with the cursor left there, so the action typed next
    /// joined the agency's name. Refused for an empty field, the cursor goes to it.
    #[test]
    fn a_form_refused_for_an_empty_field_puts_the_cursor_there() {
        let mut form = Form::new(
            "t",
            (),
            vec![
                Field::pick("機関", "", agencies()),
                Field::text("内容", ""),
                Field::text("期限", ""),
            ],
        );
        typed(&mut form, "区役所");
        assert_eq!(form.handle(&key(KeyCode::Enter)), FormOutcome::Submit);
        form.focus_empty();
        assert_eq!(form.focus, 1);
        typed(&mut form, "家庭訪問");
        assert_eq!(form.value(0), "区役所");
        assert_eq!(form.value(1), "家庭訪問");
        // The focused field empty itself: the cursor stays.
        form.handle(&key(KeyCode::Tab));
        form.focus_empty();
        assert_eq!(form.focus, 2);
    }

    /// Attack on the TUI (2026-12-05): Esc to put away the suggestions under an agency's name
    /// left the whole form, and what was typed in it. Esc puts them away first (the highlighted
    /// one let go); the next Esc leaves; typing or Down shows them again.
    #[test]
    fn esc_puts_the_suggestions_away_before_it_leaves_the_form() {
        let mut form = Form::new(
            "t",
            (),
            vec![Field::pick("機関", "", agencies()), Field::text("内容", "")],
        );
        typed(&mut form, "福祉");
        assert_eq!(form.fields[0].suggestions().0.len(), 2);
        form.handle(&key(KeyCode::Down));
        assert!(form.highlighted());
        assert_eq!(form.handle(&key(KeyCode::Esc)), FormOutcome::Editing);
        assert_eq!(form.fields[0].suggestions(), (Vec::new(), None));
        assert!(!form.highlighted());
        assert_eq!(form.value(0), "福祉", "the typed text, not the suggestion");
        // Down brings them back; typing does too.
        form.handle(&key(KeyCode::Down));
        assert_eq!(form.fields[0].suggestions().1, Some(0));
        form.handle(&key(KeyCode::Esc));
        typed(&mut form, "課");
        assert_eq!(form.fields[0].suggestions().0.len(), 2);
        form.handle(&key(KeyCode::Esc));
        // Moving in the text leaves them away.
        form.handle(&key(KeyCode::Left));
        assert!(form.fields[0].suggestions().0.is_empty());
        assert_eq!(form.handle(&key(KeyCode::Esc)), FormOutcome::Cancel);
        // A field with nothing to suggest: Esc leaves at once.
        let mut form = Form::new("t", (), vec![Field::pick("機関", "", agencies())]);
        typed(&mut form, "NPO");
        assert_eq!(form.handle(&key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    /// Attack report 20: C-u did not clear a field (the text area took it for undo).
    #[test]
    fn ctrl_u_clears_the_field() {
        let mut form = Form::new(
            "t",
            (),
            vec![Field::pick("機関", "", agencies()), Field::text("内容", "")],
        );
        typed(&mut form, "区役所");
        let ctrl_u = Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        form.handle(&ctrl_u);
        assert_eq!(form.value(0), "");
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "家庭訪問の日程");
        form.handle(&ctrl_u);
        assert_eq!(form.value(1), "");
        typed(&mut form, "電話");
        assert_eq!(form.value(1), "電話");
        assert_eq!(form.value(0), "", "only the focused field");
    }

    #[test]
    fn enter_breaks_the_line_in_a_field_of_several_lines() {
        let mut form = Form::new(
            "t",
            (),
            vec![Field::text("場所", ""), Field::multiline("配布資料", "")],
        );
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "事例概要シート");
        assert_eq!(form.handle(&key(KeyCode::Enter)), FormOutcome::Editing);
        typed(&mut form, "連絡先一覧");
        assert_eq!(form.value(1), "事例概要シート\n連絡先一覧");
        let save = Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(form.handle(&save), FormOutcome::Submit);
    }
}
