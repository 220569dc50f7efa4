//! Wrapping Japanese text as it is printed (禁則処理): no line starts with a closing mark
//! (、。）」 …) nor ends with an opening one (「（ …), and a run of letters and digits — a date
//! (12/04), a time, a number — is never broken. Measured in cells, made inert first.

use crate::text::{inert, width};

/// Marks that may not begin a line (行頭禁則).
const NO_START: &str = "、。，．,.)）]］｝}〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～?!？！‼⁇⁈⁉・:;：；/／";
/// Marks that may not end a line (行末禁則).
const NO_END: &str = "(（[［{｛〔〈《「『【〘〖〝‘“｟«";

/// A letter or digit of a run kept whole (dates, times, numbers, Latin words).
fn joins(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
        || matches!(
            c,
            '/' | ':' | '-' | '.' | '%' | '／' | '：' | '．' | '_' | '@' | '#'
        )
}

/// The pieces a line may break between: a run of letters and digits, or one character, with
/// the marks that may not stand at a line's edge glued to their neighbour.
fn pieces(text: &str) -> Vec<String> {
    let mut atoms: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if joins(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            atoms.push(std::mem::take(&mut run));
        }
        atoms.push(c.to_string());
    }
    if !run.is_empty() {
        atoms.push(run);
    }
    let atoms = whole_dates(atoms);
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    let mut after_run = false;
    // Inside a mark that a `!` after a space opens (!超過): it is whole up to the next space.
    let mut mark = false;
    for atom in atoms {
        let first = atom.chars().next().unwrap_or(' ');
        let last = atom.chars().last().unwrap_or(' ');
        let single = atom.chars().count() == 1;
        let after_space = out.last().is_none_or(|p| p.ends_with(' '));
        let opens = after_space && single && first == '!';
        let starts_bad = NO_START.contains(first) && single && !opens;
        // A bracket right after a date or a number belongs to it: 12/04(金).
        let bracket_after_run = after_run && single && NO_END.contains(first);
        mark = (mark && atom != " ") || opens;
        match out.last_mut() {
            Some(prev) if glue_next || starts_bad || bracket_after_run => prev.push_str(&atom),
            _ => out.push(atom),
        }
        glue_next = NO_END.contains(last) || mark;
        after_run = joins(last);
    }
    out
}

/// Eras that a year's number follows (令和8年).
const ERAS: [&str; 3] = ["令和", "平成", "昭和"];

/// The weekdays an English date is written after (Fri 11/13).
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Dates kept whole like 12/05: one written in kanji (令和8年12月5日, 12月5日, 8年, 15時30分) — a
/// number and its unit (年月日時分) are one atom, joined to the number that follows a 年, 月 or
/// 時 and to the era before the year — and an English one with its weekday (Fri 11/13).
fn whole_dates(atoms: Vec<String>) -> Vec<String> {
    let number = |a: &str| {
        a.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '０'..='９'))
    };
    let mut out: Vec<String> = Vec::new();
    // The last atom ends a unit that a following number continues (12月 → 5日).
    let mut open = false;
    for atom in atoms {
        let unit = matches!(atom.as_str(), "年" | "月" | "日" | "時" | "分");
        let prev_is_number = out.last().is_some_and(|p| {
            p.chars()
                .last()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '０'..='９'))
        });
        if unit && prev_is_number {
            if let Some(prev) = out.last_mut() {
                prev.push_str(&atom);
            }
            open = matches!(atom.as_str(), "年" | "月" | "時");
            continue;
        }
        if number(&atom) && open {
            if let Some(prev) = out.last_mut() {
                prev.push_str(&atom);
            }
            open = false;
            continue;
        }
        open = false;
        if number(&atom) && out.len() >= 2 {
            let n = out.len();
            let era = format!("{}{}", out[n - 2], out[n - 1]);
            if ERAS.contains(&era.as_str()) {
                out.truncate(n - 2);
                out.push(era + &atom);
                continue;
            }
            // In English a date follows its weekday: Fri 11/13.
            if out[n - 1] == " " && WEEKDAYS.contains(&out[n - 2].as_str()) {
                out.truncate(n - 1);
                if let Some(prev) = out.last_mut() {
                    prev.push(' ');
                    prev.push_str(&atom);
                }
                continue;
            }
        }
        out.push(atom);
    }
    out
}

/// `text` in lines of at most `max` cells (at least 2), each paragraph on its own lines. A piece
/// wider than a line is cut by cells, the only place a break may fall inside it.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for piece in pieces(&inert(paragraph)) {
            let w = width(&piece);
            if used + w > max && used > 0 {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                used = 0;
            }
            if used == 0 && piece == " " {
                continue;
            }
            if w > max {
                for c in piece.chars() {
                    let cw = width(c.encode_utf8(&mut [0; 4]));
                    if used + cw > max {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
                continue;
            }
            line.push_str(&piece);
            used += w;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lines: &[String], max: usize) {
        for (i, l) in lines.iter().enumerate() {
            assert!(width(l) <= max, "{l:?} wider than {max}");
            let first = l.chars().next().unwrap_or(' ');
            let last = l.chars().last().unwrap_or(' ');
            if i > 0 {
                assert!(
                    !"、。）」』".contains(first),
                    "line starts with {first}: {lines:?}"
                );
            }
            if i + 1 < lines.len() {
                assert!(!"「（『".contains(last), "line ends with {last}: {lines:?}");
            }
        }
    }

    #[test]
    fn a_date_is_never_broken_and_no_line_starts_with_a_comma() {
        let text = "次回までの対応: 健康推進課: 訪問診療が可能な医療機関を2か所あたる (12/04) 10/28(水)の会議から";
        for max in 10..40 {
            let lines = wrap(text, max);
            check(&lines, max);
            for date in ["(12/04)", "10/28(水)"] {
                assert!(
                    lines.iter().any(|l| l.contains(date)),
                    "{max}: {date} broken: {lines:?}"
                );
            }
        }
        for max in 6..30 {
            let lines = wrap(
                "訪問診療が可能な医療機関を2か所あたる (期限 11/17(火)) !超過",
                max,
            );
            assert!(
                lines.iter().any(|l| l.contains("!超過")),
                "{max}: the mark is whole: {lines:?}"
            );
        }
        let text = "本人確認の方法（書面・代理）を所内で検討し、結果を「支援会議」に報告する。";
        for max in 4..30 {
            check(&wrap(text, max), max);
        }
    }

    /// A date in kanji is whole too: the accepted forms listed under a date field broke
    /// 「令和8年12月」/「5日」 at 80 columns.
    #[test]
    fn a_date_in_kanji_is_never_broken() {
        let text = "日付を読み取れません。使える書き方: 12/5・12月5日・2026-12-05・令和8年12月5日・R8.12.5・今日・明日・来週金曜";
        for max in 16..80 {
            let lines = wrap(text, max);
            check(&lines, max);
            for date in ["12月5日", "令和8年12月5日", "R8.12.5", "2026-12-05"] {
                assert!(
                    lines.iter().any(|l| l.contains(date)),
                    "{max}: {date} broken: {lines:?}"
                );
            }
        }
        // In English the weekday stays with its date (it broke 「from Fri」/「11/13」).
        let text = "[ ] 健康推進課: 訪問診療が可能な医療機関を2か所あたる (due Fri 11/27) !OVERDUE from Fri 11/13";
        for max in 10..60 {
            let lines = wrap(text, max);
            for date in ["Fri 11/27", "Fri 11/13"] {
                assert!(
                    lines.iter().any(|l| l.contains(date)),
                    "{max}: {date} broken: {lines:?}"
                );
            }
        }
        let lines = wrap("次回は15時30分から。年月日は数字の後だけ", 12);
        assert!(lines.iter().any(|l| l.contains("15時30分")), "{lines:?}");
        check(&lines, 12);
    }

    #[test]
    fn what_no_line_can_hold_is_cut_by_cells() {
        assert_eq!(wrap("2026-12-05", 4), ["2026", "-12-", "05"]);
        assert_eq!(wrap("訪問診療", 4), ["訪問", "診療"]);
        assert_eq!(wrap("a\nb", 5), ["a", "b"]);
        assert_eq!(wrap("", 5), [""]);
    }
}
