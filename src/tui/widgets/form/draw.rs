//! Drawing a form in the middle of the screen: each field on its row with its label (the focused
//! one marked `>`), what a field says beside it (a new value, a date as understood), under the
//! focused field its suggestions or its options with their letters, and on the last lines what
//! is wrong or the keys of the focused field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Field, FieldKind, Form, Note};
use crate::i18n::Lang;
use crate::text::{fit, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::{block, centered, clear_popup, cut, kinsoku};
use crate::tui::words::tr;

/// How many suggestions show at once.
const SHOWN: usize = 6;

/// The options of a choice on lines of `cells`: `[f]司会 [r]記録 …`, each with its index.
fn option_lines(field: &Field, cells: usize) -> Vec<Vec<(String, usize)>> {
    let FieldKind::Choice { options, .. } = &field.kind else {
        return Vec::new();
    };
    if options.iter().all(|o| o.letter.is_none()) {
        return Vec::new();
    }
    let mut lines: Vec<Vec<(String, usize)>> = vec![Vec::new()];
    let mut used = 0;
    for (i, o) in options.iter().enumerate() {
        let text = match o.letter {
            Some(c) => format!("[{c}]{}", o.label),
            None => o.label.clone(),
        };
        let w = width(&text) + 1;
        if used + w > cells && used > 0 {
            lines.push(Vec::new());
            used = 0;
        }
        used += w;
        if let Some(line) = lines.last_mut() {
            line.push((text, i));
        }
    }
    lines
}

/// The suggestions in view: a window of at most `SHOWN` around the highlighted one.
fn in_view(count: usize, selected: Option<usize>) -> std::ops::Range<usize> {
    let shown = count.min(SHOWN);
    let start = selected.map_or(0, |s| (s + 1).saturating_sub(shown));
    start..start + shown
}

/// The word of the keys line for the focused field (`suggesting`: suggestions are shown under
/// it, as [`Field::suggestions`] gave them for this frame).
fn keys_word(form: &Form, suggesting: bool) -> &'static str {
    match form.fields.get(form.focus) {
        _ if form.highlighted() => "form_keys_pick",
        Some(f) if f.is_multiline() => "form_keys_lines",
        Some(Field {
            kind: FieldKind::Choice { options, .. },
            ..
        }) if options.iter().any(|o| o.letter.is_some()) => "form_keys_choice",
        Some(Field {
            kind: FieldKind::Choice { .. },
            ..
        }) => "form_keys_cycle",
        Some(Field {
            kind: FieldKind::Pick { .. },
            ..
        }) if suggesting => "form_keys_suggesting",
        Some(Field {
            kind: FieldKind::Pick { .. },
            ..
        }) => "form_keys_suggest",
        _ => "form_keys",
    }
}

/// The first field shown when they do not all fit in `rows` (a short terminal, an error's
/// lines under them): the fields above are left out so that the focused one and what shows
/// under it (`extra` rows of suggestions or options) stay in view.
fn first_shown(form: &Form, extra: u16, rows: u16) -> usize {
    let heights: Vec<u16> = form.fields.iter().map(Field::height).collect();
    let focus = form.focus.min(heights.len().saturating_sub(1));
    (0..=focus)
        .find(|&first| heights[first..=focus].iter().sum::<u16>() + extra <= rows)
        .unwrap_or(focus)
}

/// What is wrong, wrapped by cells to `cells`: whole where a terminal `rows` high leaves room
/// beside the focused field's row (a refusal's reason and what to do: at 40x12 the form covers
/// the status line that says it too), at least three lines; a cut one ends in `..`.
fn error_lines(error: &str, cells: usize, rows: u16) -> Vec<String> {
    // The form's borders and the focused field.
    let room = usize::from(rows).saturating_sub(3).max(3);
    let mut lines = kinsoku::wrap(error, cells.max(1));
    if lines.len() > room {
        let rest = lines.split_off(room - 1).join(" ");
        lines.push(crate::text::truncate(&rest, cells.max(1)));
    }
    lines
}

/// The cells a value keeps when labels are long.
const VALUE_ROOM: usize = 36;

/// The widest a form is drawn (an 80-column terminal, its border and the screen's around it).
const WIDEST: u16 = 76;

pub fn draw(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme, lang: Lang) {
    let outer_width = area.width.min(WIDEST);
    let inner_width = outer_width.saturating_sub(2) as usize;
    // Labels take a third of the form, more where the values keep room for a line of typing
    // and what is said beside it (a date as understood): at 80 columns 事例の呼び名（仮名: A世帯
    // など） is whole.
    let label_width = form
        .fields
        .iter()
        .map(|f| width(&f.label))
        .max()
        .unwrap_or(0)
        .min((inner_width / 3).max(inner_width.saturating_sub(3 + VALUE_ROOM)));
    let value_width = inner_width.saturating_sub(label_width + 3);
    let focused = form.fields.get(form.focus);
    let (suggestions, selected) = focused.map(Field::suggestions).unwrap_or_default();
    let options = focused
        .map(|f| option_lines(f, value_width))
        .unwrap_or_default();
    let bottom: Vec<(String, Style)> = match &form.error {
        Some(e) => error_lines(e, inner_width, area.height)
            .into_iter()
            .map(|l| (l, theme.warning))
            .collect(),
        None => vec![(
            tr(lang, keys_word(form, !suggestions.is_empty())).to_owned(),
            theme.muted,
        )],
    };
    let fields_height: u16 = form.fields.iter().map(Field::height).sum();
    let extra = suggestions.len().min(SHOWN) + options.len();
    let height = fields_height + extra as u16 + bottom.len() as u16 + 2;
    let rect = centered(area, outer_width, height);
    clear_popup(frame, rect);
    let block = block(theme, &form.title, rect.width, true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let bottom_y = inner.y + inner.height;
    let end_of_fields = bottom_y.saturating_sub(bottom.len() as u16);
    let mut y = inner.y;
    let value_x = inner.x + (label_width as u16 + 3).min(inner.width);
    let value_cells = inner.width.saturating_sub(value_x - inner.x);
    let first = first_shown(form, extra as u16, end_of_fields.saturating_sub(inner.y));
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        let h = field.height().min(end_of_fields.saturating_sub(y));
        if h == 0 {
            break;
        }
        let is_focused = i == form.focus;
        let marker = if is_focused { "> " } else { "  " };
        let label_style = if is_focused {
            theme.accent
        } else {
            theme.muted
        };
        let label = Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(fit(&field.label, label_width), label_style),
        ]);
        frame.render_widget(Paragraph::new(label), Rect::new(inner.x, y, inner.width, 1));
        let value = Rect::new(value_x, y, value_cells, h);
        draw_value(frame, value, field, is_focused, theme, lang);
        y += h;
        if !is_focused {
            continue;
        }
        for n in in_view(suggestions.len(), selected) {
            if y >= end_of_fields {
                break;
            }
            let style = if Some(n) == selected {
                theme.selection
            } else {
                theme.muted
            };
            let marker = if Some(n) == selected { "> " } else { "  " };
            let text = format!("{marker}{}", suggestions[n]);
            frame.render_widget(
                Paragraph::new(cut(&text, value_cells, style)),
                Rect::new(value_x, y, value_cells, 1),
            );
            y += 1;
        }
        let chosen = match &field.kind {
            FieldKind::Choice { index, .. } => Some(*index),
            _ => None,
        };
        for line in &options {
            if y >= end_of_fields {
                break;
            }
            let spans: Vec<Span> = line
                .iter()
                .flat_map(|(text, n)| {
                    let style = if Some(*n) == chosen {
                        theme.selection
                    } else {
                        theme.muted
                    };
                    [Span::styled(text.clone(), style), Span::raw(" ")]
                })
                .collect();
            frame.render_widget(
                Paragraph::new(Line::from(spans)),
                Rect::new(value_x, y, value_cells, 1),
            );
            y += 1;
        }
    }
    for (n, (text, style)) in bottom.iter().enumerate() {
        let row = end_of_fields + n as u16;
        if row >= bottom_y || row < inner.y {
            continue;
        }
        frame.render_widget(
            Paragraph::new(cut(text, inner.width, *style)),
            Rect::new(inner.x, row, inner.width, 1),
        );
    }
}

/// A field's value: an editor when focused, its text otherwise; the note beside it.
fn draw_value(
    frame: &mut Frame,
    area: Rect,
    field: &Field,
    focused: bool,
    theme: &Theme,
    lang: Lang,
) {
    let note = field.note(lang).map(|n| match n {
        Note::New(t) => (format!("({t})"), theme.due_soon),
        Note::Understood(t) => (t, theme.ok),
        Note::Unreadable(t) => (t, theme.warning),
    });
    // The note has what room the text leaves it, keeping eight cells to type in (two while
    // nothing is typed: a date kept, -> 12/07(月) のまま, is whole at 40 columns); a date typed
    // is kept whole before its note, with a cell for the cursor when focused (2027-01-05 was
    // 2027-0.. beside -> 2027/01/05(火) at 40 columns, the review's form opened from its list).
    let typed = field.typed();
    let typing_room = match &field.kind {
        _ if typed.is_empty() => 2,
        FieldKind::Date { .. } => (width(&typed) as u16 + u16::from(focused)).clamp(8, 12),
        _ => 8,
    };
    let note_width = note.as_ref().map_or(0, |(t, _)| {
        (width(t) as u16 + 1).min(area.width.saturating_sub(typing_room))
    });
    let input = Rect {
        width: area.width.saturating_sub(note_width),
        ..area
    };
    match &field.kind {
        FieldKind::Text { area: editor, .. }
        | FieldKind::Pick { input: editor, .. }
        | FieldKind::Date { input: editor, .. } => {
            if focused {
                frame.render_widget(editor, input);
            } else {
                // Each line on its row, as many as the field is high.
                let lines: Vec<Line> = editor
                    .lines()
                    .iter()
                    .map(|l| Line::from(cut(l, input.width, theme.text)))
                    .collect();
                frame.render_widget(Paragraph::new(lines), input);
            }
        }
        FieldKind::Choice { options, index } => {
            let chosen = options.get(*index).map(|o| o.label.as_str()).unwrap_or("");
            let style = if focused { theme.selection } else { theme.text };
            frame.render_widget(
                Paragraph::new(cut(&format!("< {chosen} >"), input.width, style)),
                input,
            );
        }
    }
    if let Some((text, style)) = note {
        let x = input.x + input.width + 1;
        let rect = Rect::new(x, area.y, note_width.saturating_sub(1), 1);
        frame.render_widget(Paragraph::new(cut(&text, rect.width, style)), rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::form::Opt;
    use crate::tui::widgets::picker::Picker;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn shown(form: &Form, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| draw(f, f.area(), form, &Theme::mono(), Lang::Ja))
            .unwrap();
        crate::tui::buffer_text(terminal.backend().buffer())
    }

    /// Attack of 2026-12-05 (round 30), finding 8: a field typed at 40 columns scrolls to its
    /// end; widened to 80 it shows its start again (it still showed `のハナコさん（連絡役）`,
    /// the start looking lost), the cursor where it was (typing goes on at the end).
    #[test]
    fn a_field_scrolled_while_narrow_shows_its_start_once_it_fits() {
        let mut form = Form::new("t", (), vec![Field::text("キーパーソン", "")]);
        form.type_text("お母さんのハナコさん（連絡役）");
        let narrow = shown(&form, 30, 8);
        assert!(
            !narrow.contains("お母さん"),
            "scrolled to its end:\n{narrow}"
        );
        form.handle(&crossterm::event::Event::Resize(80, 8));
        let wide = shown(&form, 80, 8);
        assert!(wide.contains("お母さんのハナコさん（連絡役）"), "{wide}");
        form.type_text("。");
        assert_eq!(form.value(0), "お母さんのハナコさん（連絡役）。");
        let wide = shown(&form, 80, 8);
        assert!(wide.contains("お母さんのハナコさん（連絡役）。"), "{wide}");
    }

    /// Each keys line a form shows fits a form at its widest, in both languages (the line
    /// under suggestions was cut at its end, Esc's word lost: found walking the action form).
    #[test]
    fn every_keys_line_fits_the_widest_form() {
        let words = [
            "form_keys",
            "form_keys_pick",
            "form_keys_suggest",
            "form_keys_suggesting",
            "form_keys_choice",
            "form_keys_lines",
            "form_keys_cycle",
        ];
        for lang in [Lang::Ja, Lang::En] {
            for word in words {
                let line = crate::tui::words::tr(lang, word);
                assert!(
                    crate::text::width(line) <= usize::from(WIDEST - 2),
                    "{lang:?} {word}: {line}"
                );
            }
        }
    }

    /// The focused field is marked by `>`, not by colour alone (defect 1 of issue 19).
    #[test]
    fn the_focused_field_is_marked() {
        let mut form = Form::new(
            "出席者",
            (),
            vec![Field::text("機関", ""), Field::text("氏名", "")],
        );
        form.focus = 1;
        let screen = shown(&form, 40, 12);
        let line = |label: &str| {
            screen
                .lines()
                .find(|l| l.contains(label))
                .unwrap_or_default()
                .to_owned()
        };
        assert!(line("氏名").contains("> 氏名"), "{screen}");
        assert!(!line("機関").contains('>'), "{screen}");
    }

    #[test]
    fn options_show_their_letters_and_a_date_how_it_is_read() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut form = Form::new(
            "t",
            (),
            vec![
                Field::options(
                    "役割",
                    vec![
                        Opt::lettered('f', "facilitator", "司会"),
                        Opt::lettered('m', "member", "構成員"),
                    ],
                    "member",
                ),
                Field::date("次回", None, today),
                Field::pick("機関", "", Picker::of_names(&["保護課".into()], 1)),
            ],
        );
        let screen = shown(&form, 40, 12);
        assert!(screen.contains("[f]司会"), "{screen}");
        form.focus = 1;
        if let FieldKind::Date { input, .. } = &mut form.fields[1].kind {
            input.insert_str("来週金曜");
        }
        let screen = shown(&form, 40, 12);
        assert!(screen.contains("-> 12/11(金)"), "{screen}");
        form.error = Some("日付を読み取れません。使える書き方: 12/5 12月5日 2026-12-05 令和8年12月5日 来週金曜 3日後".into());
        let screen = shown(&form, 40, 12);
        assert!(
            screen.contains("来週金曜"),
            "the forms are listed: {screen}"
        );
    }

    /// A label longer than a third of the form is whole where the values keep room (80
    /// columns: 事例の呼び名 was cut to 「事例の呼び名（仮名: A..」), and a third at 40.
    #[test]
    fn long_labels_are_whole_where_there_is_room() {
        let label = "事例の呼び名（仮名: A世帯 など）";
        let form = Form::new(
            "事例",
            (),
            vec![Field::text(label, ""), Field::text("主担当機関", "")],
        );
        let wide = shown(&form, 80, 24);
        assert!(wide.contains(label), "{wide}");
        let narrow = shown(&form, 40, 12);
        assert!(narrow.contains("> 事例の呼び.. "), "{narrow}");
        assert!(narrow.contains("主担当機関"), "{narrow}");
    }

    /// The date a continued action keeps is whole beside its empty field at 40 columns (it was
    /// cut to 「-> 12/07(月) ..」).
    #[test]
    fn a_kept_date_is_whole_at_40_columns() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let kept = chrono::NaiveDate::from_ymd_opt(2026, 12, 7);
        let form = Form::new(
            "継続",
            (),
            vec![
                Field::date_keeping("新しい期限", kept, today),
                Field::text("経過", ""),
            ],
        );
        let screen = shown(&form, 40, 12);
        assert!(screen.contains("-> 12/07(月) のまま"), "{screen}");
    }

    /// At 40x12 the accepted date forms listed under the record form took the rows of its last
    /// field, the date being corrected: the fields above it give way instead.
    #[test]
    fn the_focused_field_stays_in_view_under_an_error() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut fields: Vec<Field> = ["場所", "開催根拠", "SV派遣", "相談機関"]
            .iter()
            .map(|l| Field::text(l, ""))
            .collect();
        fields.push(Field::multiline(
            "配布資料",
            "事例概要シート\n関係機関連絡先一覧",
        ));
        fields.push(Field::text("課題", ""));
        fields.push(Field::date("次回の開催日", None, today));
        let mut form = Form::new("記録項目", (), fields);
        form.focus = 6;
        form.error = Some(
            "日付を読み取れません。使える書き方: 12/5・12月5日・2026-12-05・令和8年12月5日・R8.12.5・今日・明日・来週金曜".into(),
        );
        let screen = shown(&form, 40, 12);
        assert!(screen.contains("> 次回の開催日"), "{screen}");
        assert!(screen.contains("使える書き方"), "{screen}");
        assert!(
            !screen.contains("場所"),
            "the first field gives way: {screen}"
        );
        form.focus = 0;
        let screen = shown(&form, 40, 12);
        assert!(screen.contains("> 場所"), "{screen}");
    }
}
