//! Kana folded for search: what a facilitator types (ｻﾄｳ from an old kintone export, さとう
//! from an IME) finds what was written (サトウ), and the other way round.
//!
//! Two folds, each a table of replacements applied in order: **width** makes half-width
//! katakana full-width (a voiced pair such as ｶﾞ first, as one character ガ), and **kana** does
//! that and writes hiragana as katakana. The search index holds every doc's text folded by kana
//! (`search_folded`), and a query is folded the same way: half- and full-width alike always,
//! hiragana and katakana alike for a word of two characters or more (a single と finds と only).
//!
//! The same tables make both the Rust fold (the query, the excerpt's match) and the SQL one
//! (`fold_updates!`: `replace()` calls, a chunk to a statement), which the triggers run: any writer of the
//! database (`sqlite3`, a tool, an older renkei) keeps the folded index right without a
//! function of renkei's own. A test holds the two equal on every character they change.

/// Calls `$then!($($arg)*; [pairs…] …)` with the width fold's pairs, in chunks of at most
/// [`CHUNK`] (voiced pairs before the letters they are made of).
macro_rules! width_chunks {
    ($then:ident, $($arg:tt)*) => {
        $then!($($arg)*;
            [
                "ｶﾞ" => "ガ", "ｷﾞ" => "ギ", "ｸﾞ" => "グ", "ｹﾞ" => "ゲ", "ｺﾞ" => "ゴ", "ｻﾞ" => "ザ",
                "ｼﾞ" => "ジ", "ｽﾞ" => "ズ", "ｾﾞ" => "ゼ", "ｿﾞ" => "ゾ", "ﾀﾞ" => "ダ", "ﾁﾞ" => "ヂ",
                "ﾂﾞ" => "ヅ", "ﾃﾞ" => "デ", "ﾄﾞ" => "ド", "ﾊﾞ" => "バ", "ﾋﾞ" => "ビ", "ﾌﾞ" => "ブ",
                "ﾍﾞ" => "ベ", "ﾎﾞ" => "ボ",
            ]
            [
                "ﾊﾟ" => "パ", "ﾋﾟ" => "ピ", "ﾌﾟ" => "プ", "ﾍﾟ" => "ペ", "ﾎﾟ" => "ポ", "ｳﾞ" => "ヴ",
                "ﾜﾞ" => "ヷ", "ｦﾞ" => "ヺ", "｡" => "。", "｢" => "「", "｣" => "」", "､" => "、",
                "･" => "・", "ｦ" => "ヲ", "ｧ" => "ァ", "ｨ" => "ィ", "ｩ" => "ゥ", "ｪ" => "ェ",
                "ｫ" => "ォ", "ｬ" => "ャ",
            ]
            [
                "ｭ" => "ュ", "ｮ" => "ョ", "ｯ" => "ッ", "ｰ" => "ー", "ｱ" => "ア", "ｲ" => "イ",
                "ｳ" => "ウ", "ｴ" => "エ", "ｵ" => "オ", "ｶ" => "カ", "ｷ" => "キ", "ｸ" => "ク",
                "ｹ" => "ケ", "ｺ" => "コ", "ｻ" => "サ", "ｼ" => "シ", "ｽ" => "ス", "ｾ" => "セ",
                "ｿ" => "ソ", "ﾀ" => "タ",
            ]
            [
                "ﾁ" => "チ", "ﾂ" => "ツ", "ﾃ" => "テ", "ﾄ" => "ト", "ﾅ" => "ナ", "ﾆ" => "ニ",
                "ﾇ" => "ヌ", "ﾈ" => "ネ", "ﾉ" => "ノ", "ﾊ" => "ハ", "ﾋ" => "ヒ", "ﾌ" => "フ",
                "ﾍ" => "ヘ", "ﾎ" => "ホ", "ﾏ" => "マ", "ﾐ" => "ミ", "ﾑ" => "ム", "ﾒ" => "メ",
                "ﾓ" => "モ", "ﾔ" => "ヤ",
            ]
            [
                "ﾕ" => "ユ", "ﾖ" => "ヨ", "ﾗ" => "ラ", "ﾘ" => "リ", "ﾙ" => "ル", "ﾚ" => "レ",
                "ﾛ" => "ロ", "ﾜ" => "ワ", "ﾝ" => "ン", "ﾞ" => "゛", "ﾟ" => "゜",
            ]
        )
    };
}

/// As [`width_chunks`], with hiragana and their katakana (ぁ..ゖ, ゝ, ゞ).
macro_rules! hiragana_chunks {
    ($then:ident, $($arg:tt)*) => {
        $then!($($arg)*;
            [
                "ぁ" => "ァ", "あ" => "ア", "ぃ" => "ィ", "い" => "イ", "ぅ" => "ゥ", "う" => "ウ",
                "ぇ" => "ェ", "え" => "エ", "ぉ" => "ォ", "お" => "オ", "か" => "カ", "が" => "ガ",
                "き" => "キ", "ぎ" => "ギ", "く" => "ク", "ぐ" => "グ", "け" => "ケ", "げ" => "ゲ",
                "こ" => "コ", "ご" => "ゴ",
            ]
            [
                "さ" => "サ", "ざ" => "ザ", "し" => "シ", "じ" => "ジ", "す" => "ス", "ず" => "ズ",
                "せ" => "セ", "ぜ" => "ゼ", "そ" => "ソ", "ぞ" => "ゾ", "た" => "タ", "だ" => "ダ",
                "ち" => "チ", "ぢ" => "ヂ", "っ" => "ッ", "つ" => "ツ", "づ" => "ヅ", "て" => "テ",
                "で" => "デ", "と" => "ト",
            ]
            [
                "ど" => "ド", "な" => "ナ", "に" => "ニ", "ぬ" => "ヌ", "ね" => "ネ", "の" => "ノ",
                "は" => "ハ", "ば" => "バ", "ぱ" => "パ", "ひ" => "ヒ", "び" => "ビ", "ぴ" => "ピ",
                "ふ" => "フ", "ぶ" => "ブ", "ぷ" => "プ", "へ" => "ヘ", "べ" => "ベ", "ぺ" => "ペ",
                "ほ" => "ホ", "ぼ" => "ボ",
            ]
            [
                "ぽ" => "ポ", "ま" => "マ", "み" => "ミ", "む" => "ム", "め" => "メ", "も" => "モ",
                "ゃ" => "ャ", "や" => "ヤ", "ゅ" => "ュ", "ゆ" => "ユ", "ょ" => "ョ", "よ" => "ヨ",
                "ら" => "ラ", "り" => "リ", "る" => "ル", "れ" => "レ", "ろ" => "ロ", "ゎ" => "ヮ",
                "わ" => "ワ", "ゐ" => "ヰ",
            ]
            [
                "ゑ" => "ヱ", "を" => "ヲ", "ん" => "ン", "ゔ" => "ヴ", "ゕ" => "ヵ", "ゖ" => "ヶ",
                "ゝ" => "ヽ", "ゞ" => "ヾ",
            ]
        )
    };
}

macro_rules! open_replace {
    ($from:literal) => {
        "replace("
    };
}

/// `$x` with every pair of every chunk replaced in order, as one expression:
/// `replace(replace($x, 'a', 'A'), 'b', 'B')`. Only for SQL that renkei's own SQLite parses
/// (a migration, a refill, a query): older SQLite (3.40) refuses more than about 25 calls
/// nested ("parser stack overflow"), so no stored trigger or view may hold it.
macro_rules! nested_replace {
    ($x:expr; $([$($from:literal => $to:literal),* $(,)?])*) => {
        concat!($($(open_replace!($from),)*)* $x, $($(", '", $from, "', '", $to, "')",)*)*)
    };
}

/// The SQL expression of `$x` folded by kana (width, then hiragana), for renkei's SQLite only.
macro_rules! fold_sql {
    ($x:expr) => {
        hiragana_chunks!(nested_replace, width_chunks!(nested_replace, $x))
    };
}

/// Statements that fold the `text` of `$table`'s rows where `$cond`, one chunk each (each
/// parsed by any SQLite: what the triggers hold).
macro_rules! chunk_updates {
    ($table:literal, $cond:literal; $([$($from:literal => $to:literal),* $(,)?])*) => {
        concat!($(
            "    UPDATE ", $table, " SET text = ",
            $(open_replace!($from),)* "text", $(", '", $from, "', '", $to, "')",)*
            " WHERE ", $cond, ";\n",
        )*)
    };
}

/// The statements of a trigger that fold `$table`'s `text` where `$cond`.
macro_rules! fold_updates {
    ($table:literal, $cond:literal) => {
        concat!(
            width_chunks!(chunk_updates, $table, $cond),
            hiragana_chunks!(chunk_updates, $table, $cond)
        )
    };
}

macro_rules! pair_array {
    (; $([$($from:literal => $to:literal),* $(,)?])*) => {
        &[$($(($from, $to),)*)*]
    };
}

/// The most replacements in one chunk (the tables are written so; a test holds them to it).
#[cfg(test)]
const CHUNK: usize = 20;

use std::collections::HashMap;
use std::sync::LazyLock;

/// The width fold's replacements, in order.
pub const WIDTH: &[(&str, &str)] = width_chunks!(pair_array,);
/// Hiragana to katakana.
pub const HIRAGANA: &[(&str, &str)] = hiragana_chunks!(pair_array,);

struct Tables {
    /// A half-width letter and its voicing mark: the full-width letter.
    pairs: HashMap<(char, char), char>,
    /// One character: its fold (width and hiragana), and whether it is a width fold.
    single: HashMap<char, (char, bool)>,
    /// A full-width katakana: its half-width spelling (one or two characters).
    narrow: HashMap<char, &'static str>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut pairs = HashMap::new();
    let mut single = HashMap::new();
    let mut narrow = HashMap::new();
    for &(from, to) in WIDTH {
        let mut f = from.chars();
        let t = to.chars().next().unwrap_or_default();
        match (f.next(), f.next()) {
            (Some(a), Some(b)) => {
                pairs.insert((a, b), t);
            }
            (Some(a), None) => {
                single.insert(a, (t, true));
            }
            _ => {}
        }
        narrow.entry(t).or_insert(from);
    }
    for &(from, to) in HIRAGANA {
        if let (Some(a), Some(t)) = (from.chars().next(), to.chars().next()) {
            single.insert(a, (t, false));
        }
    }
    Tables {
        pairs,
        single,
        narrow,
    }
});

/// `text` folded by width only (`kana` false) or by kana (`kana` true), with, for each byte of
/// the result, the byte of `text` its character came from (and `text.len()` after the last).
pub fn fold_mapped(text: &str, kana: bool) -> (String, Vec<usize>) {
    let tables = &*TABLES;
    let mut out = String::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len() + 1);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let pair = chars
            .peek()
            .and_then(|&(_, next)| tables.pairs.get(&(c, next)).copied());
        let folded = match pair {
            Some(t) => {
                chars.next();
                t
            }
            None => match tables.single.get(&c) {
                Some(&(t, width)) if width || kana => t,
                _ => c,
            },
        };
        out.push(folded);
        from.resize(out.len(), at);
    }
    from.push(text.len());
    (out, from)
}

/// `text` folded by kana: half-width katakana full-width, hiragana as katakana.
pub fn fold(text: &str) -> String {
    fold_mapped(text, true).0
}

/// `text` with half-width katakana full-width, hiragana left as it is.
pub fn fold_width(text: &str) -> String {
    fold_mapped(text, false).0
}

/// `text` with full-width katakana half-width where they have such a form (ガ → ｶﾞ).
pub fn narrow(text: &str) -> String {
    let tables = &*TABLES;
    text.chars()
        .map(|c| match tables.narrow.get(&c) {
            Some(n) => (*n).to_owned(),
            None => c.to_string(),
        })
        .collect()
}

/// Whether `form` holds a character a fold writes: only then can a folded text hold it where
/// the text itself does not.
pub fn has_folded(form: &str) -> bool {
    let tables = &*TABLES;
    form.chars()
        .any(|c| tables.narrow.contains_key(&c) || HIRAGANA_TARGETS.contains(&c))
}

static HIRAGANA_TARGETS: LazyLock<Vec<char>> = LazyLock::new(|| {
    HIRAGANA
        .iter()
        .filter_map(|(_, to)| to.chars().next())
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables applied one replacement after another, as SQLite runs `fold_sql!`.
    fn replaced(text: &str) -> String {
        WIDTH
            .iter()
            .chain(HIRAGANA)
            .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
    }

    fn every_changed_character() -> String {
        let mut s = String::new();
        for (from, _) in WIDTH.iter().chain(HIRAGANA) {
            s.push_str(from);
            s.push('漢');
        }
        // Marks alone, doubled, after a letter that takes none, at the end.
        s.push_str("ﾞﾟｱﾞﾞｶﾞﾞﾊﾟﾟﾝﾟあﾞ日本ＤＶabcｶ");
        s
    }

    #[test]
    fn the_rust_fold_is_the_tables_applied_in_order_and_the_sql_one() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let text = every_changed_character();
        let sql: String = conn
            .query_row(&format!("SELECT {}", fold_sql!("?1")), [&text], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fold(&text), replaced(&text));
        assert_eq!(sql, fold(&text));
        // The triggers' statements, a chunk each, end where the one expression does.
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)")
            .unwrap();
        conn.execute("INSERT INTO t VALUES (1, ?1)", [&text])
            .unwrap();
        conn.execute_batch(fold_updates!("t", "id = 1")).unwrap();
        let updated: String = conn
            .query_row("SELECT text FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(updated, sql);
        // No statement of theirs nests more replacements than an older SQLite parses.
        for statement in fold_updates!("t", "id = 1").lines() {
            assert!(
                statement.matches("replace(").count() <= CHUNK,
                "{statement}"
            );
        }
    }

    #[test]
    fn folds_both_ways() {
        assert_eq!(fold("ｻﾄｳ"), "サトウ");
        assert_eq!(fold("さとう"), "サトウ");
        assert_eq!(fold("サトウ"), "サトウ");
        assert_eq!(fold("ｶﾞｽ代 ﾊﾟﾝ"), "ガス代 パン");
        assert_eq!(fold("佐藤さん宅"), "佐藤サン宅");
        assert_eq!(fold_width("ｻﾄｳさん"), "サトウさん");
        assert_eq!(narrow("ガス"), "ｶﾞｽ");
        assert!(has_folded("サト") && has_folded("ガ") && !has_folded("虐待"));
        let (folded, from) = fold_mapped("あｶﾞい", true);
        assert_eq!(folded, "アガイ");
        assert_eq!(from[3], 3);
        assert_eq!(from[6], 9);
        assert_eq!(from[folded.len()], "あｶﾞい".len());
    }
}
