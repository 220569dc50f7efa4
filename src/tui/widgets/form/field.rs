//! The fields of a form: text (one line, or several), a choice among a few (cycled, or picked by
//! its letter), a picker (free text with suggestions filtered as it is typed, a new value flagged),
//! and a date (typed as people say it, shown as it is understood).

use chrono::{Datelike, NaiveDate};
use ratatui_textarea::TextArea;

use crate::domain::calendar::{beyond_horizon, parse_date_input, weekday_en, weekday_ja};
use crate::i18n::Lang;
use crate::tui::widgets::picker::Picker;

/// One option of a choice: the code stored, the label shown, and the letter that picks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub code: String,
    pub label: String,
    pub letter: Option<char>,
}

impl Opt {
    pub fn new(code: &str, label: &str) -> Opt {
        Opt {
            code: code.to_owned(),
            label: label.to_owned(),
            letter: None,
        }
    }

    pub fn lettered(letter: char, code: &str, label: &str) -> Opt {
        Opt {
            letter: Some(letter),
            ..Opt::new(code, label)
        }
    }
}

/// One field of a form.
#[derive(Clone)]
pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    /// What the field holds, by the store's name for it (`next_review`): a save the store
    /// refuses naming it puts the cursor here.
    pub name: Option<&'static str>,
}

#[derive(Clone)]
pub enum FieldKind {
    /// Enter inserts a line break in a field of several lines (Ctrl+S saves the form).
    Text {
        area: TextArea<'static>,
        multiline: bool,
    },
    Choice {
        options: Vec<Opt>,
        index: usize,
    },
    /// Free text with suggestions filtered by what is typed.
    Pick {
        input: TextArea<'static>,
        picker: Picker,
    },
    /// A date as typed (12/5, 来週金曜 …), read against `today`; empty is none, or the date
    /// `kept` as it was (said beside the empty field).
    Date {
        input: TextArea<'static>,
        today: NaiveDate,
        kept: Option<NaiveDate>,
    },
}

/// Why a typed date was not read: `no_such_day` for a day its month does not have (令和8年2月29日),
/// else `bad_date` (the word that lists the forms a date may take).
pub fn unread_date(typed: &str) -> &'static str {
    if crate::domain::calendar::no_such_day(typed) {
        "no_such_day"
    } else {
        "bad_date"
    }
}

pub(super) fn editor(initial: &str) -> TextArea<'static> {
    let mut area = if initial.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(initial.lines().map(str::to_owned).collect())
    };
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area
}

impl Field {
    fn new(label: &str, kind: FieldKind) -> Field {
        Field {
            label: label.to_owned(),
            kind,
            name: None,
        }
    }

    /// The field holds what the store calls `name`.
    pub fn named(mut self, name: &'static str) -> Field {
        self.name = Some(name);
        self
    }

    pub fn text(label: &str, initial: &str) -> Field {
        let area = editor(initial);
        Field::new(
            label,
            FieldKind::Text {
                area,
                multiline: false,
            },
        )
    }

    /// Text of several lines (handouts, one a line; a policy in paragraphs).
    pub fn multiline(label: &str, initial: &str) -> Field {
        let area = editor(initial);
        Field::new(
            label,
            FieldKind::Text {
                area,
                multiline: true,
            },
        )
    }

    /// A choice among `options` (code, label), cycled with Left/Right.
    pub fn choice(label: &str, options: Vec<(String, String)>, current: &str) -> Field {
        let options = options
            .into_iter()
            .map(|(code, label)| Opt {
                code,
                label,
                letter: None,
            })
            .collect();
        Field::options(label, options, current)
    }

    /// A choice whose options may be picked by their letters too; a current value that is none
    /// of them is kept as one more option, so that opening and saving the form loses nothing.
    pub fn options(label: &str, mut options: Vec<Opt>, current: &str) -> Field {
        let index = match options.iter().position(|o| o.code == current) {
            Some(i) => i,
            None => {
                options.push(Opt::new(current, current));
                options.len() - 1
            }
        };
        Field::new(label, FieldKind::Choice { options, index })
    }

    pub fn pick(label: &str, initial: &str, picker: Picker) -> Field {
        let input = editor(initial);
        Field::new(label, FieldKind::Pick { input, picker })
    }

    /// Free text with names offered as one types (agencies, pseudonyms), in the order given.
    pub fn agency(label: &str, initial: &str, choices: Vec<String>) -> Field {
        Field::pick(label, initial, Picker::of_names(&choices, 0))
    }

    pub fn date(label: &str, initial: Option<NaiveDate>, today: NaiveDate) -> Field {
        let text = initial
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let input = editor(&text);
        Field::new(
            label,
            FieldKind::Date {
                input,
                today,
                kept: None,
            },
        )
    }

    /// A date field that starts empty, where empty keeps `kept` (a due date continued): the
    /// field says so beside it rather than in a label too long for the form.
    pub fn date_keeping(label: &str, kept: Option<NaiveDate>, today: NaiveDate) -> Field {
        let mut field = Field::date(label, None, today);
        if let FieldKind::Date { kept: k, .. } = &mut field.kind {
            *k = kept;
        }
        field
    }

    /// What was typed (a choice: its label).
    pub fn typed(&self) -> String {
        match &self.kind {
            FieldKind::Text { area, .. } => area.lines().join("\n"),
            FieldKind::Pick { input, .. } | FieldKind::Date { input, .. } => {
                input.lines().join(" ")
            }
            FieldKind::Choice { options, index } => options
                .get(*index)
                .map(|o| o.label.clone())
                .unwrap_or_default(),
        }
    }

    /// Puts back what was typed in the field (a kept draft's text, or a choice's label).
    pub fn set_typed(&mut self, typed: &str) {
        match &mut self.kind {
            FieldKind::Text { area, multiline } => {
                *area = if *multiline {
                    editor(typed)
                } else {
                    editor(&typed.replace(['\n', '\r'], " "))
                }
            }
            FieldKind::Date { input, .. } => *input = editor(typed),
            FieldKind::Pick { input, picker } => {
                *input = editor(typed);
                picker.edited();
            }
            FieldKind::Choice { options, index } => {
                if let Some(i) = options.iter().position(|o| o.label == typed) {
                    *index = i;
                }
            }
        }
    }

    /// The field's value: the text typed (lines joined by newlines, trimmed), the chosen code,
    /// the highlighted or named choice's key, or the date as typed.
    /// Puts `text` in at the cursor as typed (a field of one line takes line breaks as spaces);
    /// a picker's highlighted suggestion is let go. A choice takes no text.
    pub fn insert(&mut self, text: &str) {
        match &mut self.kind {
            FieldKind::Text {
                area,
                multiline: true,
            } => {
                area.insert_str(text);
            }
            FieldKind::Text { area: input, .. } | FieldKind::Date { input, .. } => {
                input.insert_str(text.replace(['\n', '\r'], " "));
            }
            FieldKind::Pick { input, picker } => {
                input.insert_str(text.replace(['\n', '\r'], " "));
                picker.edited();
            }
            FieldKind::Choice { .. } => {}
        }
    }

    /// The terminal changed size: the editor back to its first row and column, the cursor
    /// where it was, so that the next frame scrolls only as far as the cursor needs at the new
    /// size. The editor keeps the column it scrolled to while the field was narrow: widened
    /// from 40 to 80 columns, a key person typed at 40 still showed `のハナコさん（連絡役）`
    /// without its start (attack of 2026-12-05, round 30, finding 8).
    pub fn refit(&mut self) {
        let editor = match &mut self.kind {
            FieldKind::Text { area: editor, .. }
            | FieldKind::Date { input: editor, .. }
            | FieldKind::Pick { input: editor, .. } => editor,
            FieldKind::Choice { .. } => return,
        };
        let (top, left) = editor.scroll_offset();
        if (top, left) == (0, 0) {
            return;
        }
        let ratatui_textarea::DataCursor(row, col) = editor.cursor();
        let back = |n: u16| -(i16::try_from(n).unwrap_or(i16::MAX));
        editor.scroll((back(top), back(left)));
        editor.move_cursor(ratatui_textarea::CursorMove::Jump(
            u16::try_from(row).unwrap_or(u16::MAX),
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
    }

    /// The bytes typed in a text of this field, counted without joining its lines (a key's
    /// check, cheap however long the text).
    pub fn typed_bytes(&self) -> usize {
        let lines = match &self.kind {
            FieldKind::Text { area, .. } => area.lines(),
            FieldKind::Date { input, .. } | FieldKind::Pick { input, .. } => input.lines(),
            FieldKind::Choice { .. } => return 0,
        };
        lines
            .iter()
            .map(|l| l.len() + 1)
            .sum::<usize>()
            .saturating_sub(1)
    }

    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text { .. } | FieldKind::Date { .. } => self.typed().trim().to_owned(),
            FieldKind::Choice { options, index } => options
                .get(*index)
                .map(|o| o.code.clone())
                .unwrap_or_default(),
            FieldKind::Pick { input, picker } => picker.value(&input.lines().join(" ")),
        }
    }

    /// A date field's date: `Ok(None)` when empty, else the date, or `bad_date` (the word that
    /// lists the forms a date may take) when it cannot be read, `date_too_far` when it is more
    /// than ten years from today (the record's next meeting, a due date continued, the schedule).
    pub fn date_value(&self) -> Result<Option<NaiveDate>, &'static str> {
        let FieldKind::Date { today, .. } = &self.kind else {
            return Err("bad_date");
        };
        let typed = self.value();
        if typed.is_empty() {
            return Ok(None);
        }
        let date = parse_date_input(&typed, *today).ok_or_else(|| unread_date(&typed))?;
        // A date decades away is a slip of the finger, refused as everywhere dates are typed.
        if beyond_horizon(date, *today) {
            return Err("date_too_far");
        }
        Ok(Some(date))
    }

    /// Suggestions to show under a picker field: their labels, and which is highlighted.
    pub fn suggestions(&self) -> (Vec<String>, Option<usize>) {
        match &self.kind {
            FieldKind::Pick { picker, .. } if picker.hidden => (Vec::new(), None),
            FieldKind::Pick { input, picker } => {
                let typed = input.lines().join(" ");
                let labels = picker
                    .suggestions(&typed)
                    .into_iter()
                    .map(|c| c.label.clone())
                    .collect();
                (labels, picker.selected)
            }
            _ => (Vec::new(), None),
        }
    }

    /// Said beside the field: a picker's new value, a date as it is understood (or not).
    pub fn note(&self, lang: Lang) -> Option<Note> {
        match &self.kind {
            FieldKind::Pick { input, picker } if picker.is_new(&input.lines().join(" ")) => {
                Some(Note::New(lang.pick("新規", "new").to_owned()))
            }
            FieldKind::Date { today, kept, .. } => match self.date_value() {
                Ok(Some(d)) => Some(Note::Understood(format!(
                    "-> {}",
                    short_date(d, *today, lang)
                ))),
                Ok(None) => kept.map(|d| {
                    Note::Understood(
                        lang.pick("-> {date} のまま", "-> keeps {date}")
                            .replace("{date}", &short_date(d, *today, lang)),
                    )
                }),
                Err("date_too_far") => Some(Note::Unreadable(
                    lang.pick("-> ? 10年以上先か前", "-> ? 10+ years away")
                        .to_owned(),
                )),
                Err(_) => Some(Note::Unreadable(
                    lang.pick("-> ? 読めません", "-> ? not a date").to_owned(),
                )),
            },
            _ => None,
        }
    }

    /// How many lines the field takes in the form.
    pub fn height(&self) -> u16 {
        match &self.kind {
            FieldKind::Text {
                area,
                multiline: true,
            } => (area.lines().len() as u16).clamp(1, 4),
            _ => 1,
        }
    }

    pub fn is_multiline(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text {
                multiline: true,
                ..
            }
        )
    }
}

/// What a field says beside its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A value none of the choices names.
    New(String),
    /// The date as it is read.
    Understood(String),
    Unreadable(String),
}

/// 12/11(金), with its year when it is not this year's (2027/01/08(金)).
pub fn short_date(d: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let day = if d.year() == today.year() {
        d.format("%m/%d").to_string()
    } else {
        d.format("%Y/%m/%d").to_string()
    };
    match lang {
        Lang::Ja => format!("{day}({})", weekday_ja(d)),
        Lang::En => format!("{} {day}", weekday_en(d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_shown_as_understood() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut field = Field::date("次回", None, today);
        assert_eq!(field.note(Lang::Ja), None);
        if let FieldKind::Date { input, .. } = &mut field.kind {
            input.insert_str("来週金曜");
        }
        assert_eq!(
            field.note(Lang::Ja),
            Some(Note::Understood("-> 12/11(金)".into()))
        );
        assert_eq!(
            field.date_value(),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 11))
        );
        let jan = NaiveDate::from_ymd_opt(2027, 1, 8).unwrap();
        assert_eq!(short_date(jan, today, Lang::Ja), "2027/01/08(金)");
        assert_eq!(short_date(jan, today, Lang::En), "Fri 2027/01/08");
    }

    /// A continued action's new due date: empty keeps the old one, said beside the field
    /// (the label that said it was cut to 「新しい期限（空欄: 12/0..」 in an 80-column form).
    #[test]
    fn an_empty_date_that_keeps_one_says_which() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 12, 7);
        let mut field = Field::date_keeping("新しい期限", due, today);
        assert_eq!(field.date_value(), Ok(None));
        assert_eq!(
            field.note(Lang::Ja),
            Some(Note::Understood("-> 12/07(月) のまま".into()))
        );
        assert_eq!(
            field.note(Lang::En),
            Some(Note::Understood("-> keeps Mon 12/07".into()))
        );
        if let FieldKind::Date { input, .. } = &mut field.kind {
            input.insert_str("12/21");
        }
        assert_eq!(
            field.note(Lang::Ja),
            Some(Note::Understood("-> 12/21(月)".into()))
        );
        // Decades away is refused here too, as in every form a date is typed in.
        if let FieldKind::Date { input, .. } = &mut field.kind {
            input.select_all();
            input.cut();
            input.insert_str("2300/12/5");
        }
        assert_eq!(field.date_value(), Err("date_too_far"));
        assert_eq!(
            field.note(Lang::Ja),
            Some(Note::Unreadable("-> ? 10年以上先か前".into()))
        );
        let none = Field::date_keeping("新しい期限", None, today);
        assert_eq!(none.note(Lang::Ja), None);
    }

    #[test]
    fn a_current_value_outside_the_options_is_kept() {
        let field = Field::options(
            "危険度",
            vec![
                Opt::lettered('h', "高", "高"),
                Opt::lettered('l', "低", "低"),
            ],
            "要観察",
        );
        assert_eq!(field.value(), "要観察");
        let empty = Field::options("危険度", vec![Opt::new("", "-")], "");
        assert_eq!(empty.value(), "");
    }
}
