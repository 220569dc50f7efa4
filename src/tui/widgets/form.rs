//! Forms, drawn over the screen that opened them: text fields are real editors
//! (ratatui-textarea: cursor movement, paste, multi-byte text from an input method), choices
//! cycle with ←/→, and agency fields offer the agencies the meeting knows as you type (a
//! [`Picker`]). What a form is for is the opening screen's own business: it gives the form a
//! purpose of its own type and reads it back when the form is submitted.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use std::any::Any;

use super::picker::Picker;
use super::{block, centered, clear_popup, cut};
use crate::i18n::Lang;
use crate::text::width;
use crate::tui::theme::Theme;
use crate::tui::words::tr;

/// One field of a form.
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
}

pub enum FieldKind {
    Text(TextArea<'static>),
    /// Options as (code, label); `index` is the chosen one.
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
    /// Free text with suggestions filtered by what is typed.
    Agency {
        input: TextArea<'static>,
        picker: Picker,
    },
}

fn editor(initial: &str) -> TextArea<'static> {
    let mut area = TextArea::new(initial.lines().map(str::to_owned).collect());
    if initial.is_empty() {
        area = TextArea::default();
    }
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area
}

impl Field {
    pub fn text(label: &str, initial: &str) -> Field {
        Field {
            label: label.to_owned(),
            kind: FieldKind::Text(editor(initial)),
        }
    }

    pub fn choice(label: &str, options: Vec<(String, String)>, current: &str) -> Field {
        let index = options
            .iter()
            .position(|(code, _)| code == current)
            .unwrap_or(0);
        Field {
            label: label.to_owned(),
            kind: FieldKind::Choice { options, index },
        }
    }

    pub fn agency(label: &str, initial: &str, choices: Vec<String>) -> Field {
        Field {
            label: label.to_owned(),
            kind: FieldKind::Agency {
                input: editor(initial),
                picker: Picker::new(choices),
            },
        }
    }

    /// The field's value: the text typed (lines joined by newlines), the chosen code, or the
    /// highlighted suggestion.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text(area) => area.lines().join("\n").trim().to_owned(),
            FieldKind::Choice { options, index } => options
                .get(*index)
                .map(|(c, _)| c.clone())
                .unwrap_or_default(),
            FieldKind::Agency { input, picker } => {
                let typed = input.lines().join(" ").trim().to_owned();
                picker.chosen(&typed).unwrap_or(typed)
            }
        }
    }

    /// Suggestions to show under an agency field.
    pub fn suggestions(&self) -> Vec<String> {
        match &self.kind {
            FieldKind::Agency { input, picker } => picker.suggestions(&input.lines().join(" ")),
            _ => Vec::new(),
        }
    }

    /// How many lines the field takes in the form.
    pub fn height(&self) -> u16 {
        match &self.kind {
            FieldKind::Text(area) => (area.lines().len() as u16).clamp(1, 4),
            _ => 1,
        }
    }
}

pub struct Form {
    pub title: String,
    /// What the form is for, in the words of the screen that opened it.
    purpose: Box<dyn Any>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Enter inserts a line break in this (multi-line) form; Ctrl+S or Alt+Enter submits.
    pub multiline: bool,
    /// When correcting an entry: its text as shown when the form opened, so that a change made
    /// meanwhile by someone else is detected instead of overwritten.
    pub original: Option<String>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Submit,
    Cancel,
}

impl Form {
    pub fn new(title: &str, purpose: impl Any, fields: Vec<Field>) -> Form {
        Form {
            title: title.to_owned(),
            purpose: Box::new(purpose),
            fields,
            focus: 0,
            error: None,
            multiline: false,
            original: None,
        }
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

    pub fn value(&self, index: usize) -> String {
        self.fields.get(index).map(Field::value).unwrap_or_default()
    }

    pub fn handle(&mut self, event: &Event) -> FormOutcome {
        match event {
            Event::Paste(text) => {
                self.paste(text);
                FormOutcome::Editing
            }
            Event::Key(key) => self.key(key),
            _ => FormOutcome::Editing,
        }
    }

    fn paste(&mut self, text: &str) {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text(area)) => {
                area.insert_str(text);
            }
            Some(FieldKind::Agency { input, picker }) => {
                input.insert_str(text.replace(['\n', '\r'], " "));
                picker.selected = None;
            }
            _ => {}
        }
    }

    fn key(&mut self, key: &KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if key.code == KeyCode::Enter && self.accept_suggestion() {
            return FormOutcome::Editing;
        }
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char('c') if ctrl => return FormOutcome::Cancel,
            KeyCode::Char('s') if ctrl => return FormOutcome::Submit,
            KeyCode::Enter if alt || !self.multiline || !self.focus_is_text() => {
                return FormOutcome::Submit;
            }
            KeyCode::Tab => {
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                return FormOutcome::Editing;
            }
            KeyCode::BackTab => {
                self.focus = (self.focus + self.fields.len().max(1) - 1) % self.fields.len().max(1);
                return FormOutcome::Editing;
            }
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormOutcome::Editing;
        };
        match &mut field.kind {
            FieldKind::Text(area) => {
                if !self.multiline && matches!(key.code, KeyCode::Up | KeyCode::Down) {
                    self.move_focus(key.code == KeyCode::Down);
                } else {
                    area.input(*key);
                }
            }
            FieldKind::Choice { options, index } => match key.code {
                KeyCode::Left => {
                    *index = (*index + options.len().max(1) - 1) % options.len().max(1)
                }
                KeyCode::Right | KeyCode::Char(' ') => *index = (*index + 1) % options.len().max(1),
                KeyCode::Up | KeyCode::Down => self.move_focus(key.code == KeyCode::Down),
                _ => {}
            },
            FieldKind::Agency { input, picker } => {
                let typed = input.lines().join(" ");
                match key.code {
                    KeyCode::Down if picker.down(&typed) => {}
                    KeyCode::Up if picker.up() => {}
                    KeyCode::Up | KeyCode::Down => self.move_focus(key.code == KeyCode::Down),
                    _ => {
                        input.input(*key);
                        picker.selected = None;
                    }
                }
            }
        }
        FormOutcome::Editing
    }

    /// Enter on a highlighted suggestion takes it and moves on, instead of saving the form.
    fn accept_suggestion(&mut self) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let value = field.value();
        let FieldKind::Agency { input, picker } = &mut field.kind else {
            return false;
        };
        if picker.selected.is_none() {
            return false;
        }
        *input = editor(&value);
        picker.selected = None;
        self.move_focus(true);
        true
    }

    fn focus_is_text(&self) -> bool {
        matches!(
            self.fields.get(self.focus).map(|f| &f.kind),
            Some(FieldKind::Text(_))
        )
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

/// Draws the form in the middle of `area`, the suggestions of a focused agency field under it,
/// and the keys (or what is wrong) on its last line.
pub fn draw(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme, lang: Lang) {
    let label_width = form
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(0)
        .min((area.width / 3) as usize) as u16;
    let suggestions = form
        .fields
        .get(form.focus)
        .map(|f| f.suggestions())
        .unwrap_or_default();
    let fields_height: u16 = form.fields.iter().map(|f| f.height()).sum();
    let height = fields_height + suggestions.len() as u16 + 4;
    let rect = centered(area, 76, height);
    clear_popup(frame, rect);
    let block = block(theme, &form.title, rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (i, field) in form.fields.iter().enumerate() {
        let h = field.height().min(bottom.saturating_sub(y));
        if h == 0 {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.accent } else { theme.muted };
        let row = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: h,
        };
        let [label, value] =
            Layout::horizontal([Constraint::Length(label_width + 1), Constraint::Min(1)])
                .areas(row);
        frame.render_widget(
            Paragraph::new(cut(&field.label, label_width, label_style)),
            label,
        );
        match &field.kind {
            FieldKind::Text(area) | FieldKind::Agency { input: area, .. } => {
                if focused {
                    frame.render_widget(area, value);
                } else {
                    let text = area.lines().join(" ");
                    frame.render_widget(Paragraph::new(cut(&text, value.width, theme.text)), value);
                }
            }
            FieldKind::Choice { options, index } => {
                let chosen = options.get(*index).map(|(_, l)| l.as_str()).unwrap_or("");
                let style = if focused { theme.selection } else { theme.text };
                frame.render_widget(
                    Paragraph::new(cut(&format!("< {chosen} >"), value.width, style)),
                    value,
                );
            }
        }
        y += h;
        if focused {
            if let FieldKind::Agency { picker, .. } = &field.kind {
                for (n, s) in suggestions.iter().enumerate() {
                    if y >= bottom {
                        break;
                    }
                    let style = if Some(n) == picker.selected {
                        theme.selection
                    } else {
                        theme.muted
                    };
                    let r = Rect {
                        x: value.x,
                        y,
                        width: value.width,
                        height: 1,
                    };
                    frame.render_widget(Paragraph::new(cut(&format!("  {s}"), r.width, style)), r);
                    y += 1;
                }
            }
        }
    }
    let message = form.error.as_deref().map(|e| (e, theme.warning));
    let (text, style) = message.unwrap_or((tr(lang, "form_keys"), theme.muted));
    if inner.height > 0 {
        let r = Rect {
            x: inner.x,
            y: bottom - 1,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(Paragraph::new(cut(text, r.width, style)), r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle(&key(KeyCode::Char(c)));
        }
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

    #[test]
    fn paste_arrives_whole() {
        let mut form = Form::new("t", (), vec![Field::text("メモ", "")]);
        form.handle(&Event::Paste("保健師が訪問|予定".to_owned()));
        assert_eq!(form.value(0), "保健師が訪問|予定");
    }

    #[test]
    fn agency_suggestions_and_choice() {
        let choices = vec![
            "健康推進課".to_owned(),
            "生活福祉課".to_owned(),
            "地域福祉課".to_owned(),
        ];
        let mut form = Form::new(
            "t",
            (),
            vec![
                Field::agency("機関", "", choices),
                Field::choice(
                    "役割",
                    vec![("a".into(), "A".into()), ("b".into(), "B".into())],
                    "a",
                ),
            ],
        );
        typed(&mut form, "福祉");
        assert_eq!(form.fields[0].suggestions(), ["生活福祉課", "地域福祉課"]);
        form.handle(&key(KeyCode::Down));
        form.handle(&key(KeyCode::Down));
        assert_eq!(form.value(0), "地域福祉課");
        assert_eq!(
            form.handle(&key(KeyCode::Enter)),
            FormOutcome::Editing,
            "Enter takes the suggestion"
        );
        assert_eq!(form.value(0), "地域福祉課");
        assert_eq!(form.focus, 1);
        form.handle(&key(KeyCode::Right));
        assert_eq!(form.value(1), "b");
        assert_eq!(form.handle(&key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn a_new_agency_can_be_typed() {
        let mut form = Form::new(
            "t",
            (),
            vec![Field::agency("機関", "", vec!["健康推進課".into()])],
        );
        typed(&mut form, "NPO法人つばさ");
        assert_eq!(form.value(0), "NPO法人つばさ");
    }
}
