//! Relatives named in free text: a word beside a kinship word (叔父, 祖母, おじ, uncle) is a name
//! nobody recorded when it looks like one — a known family name starts it, or it is written in
//! two parts. One rule for every form a facilitator writes a relative in, wherever the text is
//! published (minutes, case record, ledger, report):
//! - the relation after the name, in brackets, alone or among other notes: `鈴木 次郎（叔父）`,
//!   `鈴木次郎〔叔父〕`, `鈴木次郎［叔父］`, `鈴木 次郎（叔父、65歳）`, `鈴木　次郎（おじ）`,
//!   `Suzuki Jiro (uncle)`;
//! - the relation after the name, apart or joined: `鈴木 次郎 叔父`, `鈴木次郎叔父`;
//! - the relation before the name: `叔父の鈴木 次郎`, `叔父・鈴木次郎`, `叔父 鈴木次郎`,
//!   `叔父鈴木次郎`, `叔父（鈴木 次郎）`, `祖母・鈴木ハナ（78）`, `uncle Jiro Suzuki`.
//!
//! What was done with a relative (`面談（本人）`, `電話連絡（母）`, `本人・母と面談`), a relative's
//! home (`叔父宅へ転居`) and a word a relation begins (`母子生活支援施設`) hold no name. Every
//! look here is bounded (a bracket, a part of a name), so the scan stays linear in the text.

use super::given::PLACE_ENDS;
use super::{Class, Decision, Hit, Scan};
use crate::minutes::redact::people::family_prefix;
use crate::minutes::redact::words::starts_with_any;

/// The longest part of a name read beside a relation, in characters: a longer run is a phrase
/// (`叔父の支援計画書作成`), not a name.
const PART: usize = 6;
/// How far into a bracket a relation is looked for (`（叔父、65歳・無職）`).
const BRACKET: usize = 24;
/// The longest word of relation words read as one relation (曾祖父母), in characters.
const KINSHIP: usize = 5;
/// The particle の as folded (hiragana folds to katakana).
const THE: char = 'ノ';

/// The closing bracket of an opening one.
fn closing(c: char) -> Option<char> {
    Some(match c {
        '(' => ')',
        '（' => '）',
        '[' => ']',
        '［' => '］',
        '{' => '}',
        '〔' => '〕',
        '【' => '】',
        '〈' => '〉',
        '《' => '》',
        '<' => '>',
        _ => return None,
    })
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | '）' | ']' | '］' | '}' | '〕' | '】' | '〉' | '》' | '>'
    )
}

/// What parts notes in brackets (`叔父、65歳`) and joins a relation to a name (`叔父・鈴木`).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '、' | ',' | '，' | '・' | '/' | '／' | ';' | '；' | ':' | '：'
    )
}

impl Scan<'_> {
    /// The length of a relation in brackets at `j`, alone or among other notes (`（叔父）`,
    /// `〔叔父〕`, `（叔父、65歳）`, `(uncle)`): what marks the word before it as a person's name as
    /// an honorific does; 0 when there is none. The brackets stay in the text.
    pub(super) fn relation_bracket_at(&self, j: usize) -> usize {
        let Some(close) = self.cs.get(j).copied().and_then(closing) else {
            return 0;
        };
        let limit = self.n().min(j + 1 + BRACKET);
        let Some(end) =
            (j + 1..limit).find(|&k| is_closing(self.cs[k]) || closing(self.cs[k]).is_some())
        else {
            return 0;
        };
        if self.cs[end] != close && !is_closing(self.cs[end]) {
            return 0;
        }
        let mut item = j + 1;
        for k in j + 1..=end {
            if k == end || is_separator(self.cs[k]) || self.class(k) == Some(Class::Space) {
                if k > item && self.relation_phrase(&self.squeezed(item, k)) {
                    return end + 1 - j;
                }
                item = k + 1;
            }
        }
        if self.relation_phrase(&self.squeezed(j + 1, end)) {
            return end + 1 - j;
        }
        0
    }

    /// Whether `word` (folded) names a relation: a relation word (叔父, 父親), one after a
    /// prefix (母方祖母, 異父兄), or one after a word and の (本児の叔父, 母方の叔父, 父の弟).
    fn relation_phrase(&self, word: &str) -> bool {
        if self.w.relations.contains(word) {
            return true;
        }
        let prefixed = self.w.relation_prefixes.iter().any(|p| {
            let p: String = p.iter().collect();
            word.strip_prefix(p.as_str())
                .is_some_and(|rest| self.w.relations.contains(rest))
        });
        prefixed
            || word.rsplit_once(THE).is_some_and(|(head, last)| {
                (1..=PART).contains(&head.chars().count()) && self.relation_phrase(last)
            })
    }

    /// Whether the word `s..e` beside a relation is a name rather than what was done with the
    /// relative (`面談（本人）`, `電話連絡（母）`): a family name starts it (`鈴木次郎`), or it is
    /// written in two parts (`鈴木 次郎`, `スズキ ジロウ`, `Jiro Suzuki`).
    pub(super) fn looks_like_full_name(&self, s: usize, e: usize, class: Class) -> bool {
        let two_parts = self.f[s..e].iter().any(|c| c.class == Class::Space);
        match class {
            Class::Kanji => {
                let word = self.squeezed(s, e);
                two_parts || self.w.surnames.contains_key(&word) || self.joined_name(&word, false)
            }
            Class::Katakana | Class::Latin => two_parts,
            _ => false,
        }
    }

    /// A known family name of two or more kanji (鈴木; not 林 or 角 of 本人の角部屋): what a
    /// relative's name written in one word may be alone.
    fn surname_beside_relation(&self, word: &str) -> bool {
        word.chars().count() >= 2 && self.w.surnames.contains_key(word)
    }

    /// A relative's name written in one word of kanji (鈴木, 鈴木次郎): a known family name of two
    /// or more kanji ([`Scan::surname_beside_relation`]), alone or with a word that reads as a
    /// given name ([`Scan::reads_as_given`]). An ordinary word that a family name of one kanji
    /// begins (関係調整, 原因不明, 角部屋, 西日本) is none, nor is a place (中野区, 宮崎の家) or a
    /// word with an agency's in it (谷口医院受診) — attack report 6, finding 1. A family name that
    /// is also a place is the place before の (`before_the`: 祖母の宮崎の家, 母の千葉の実家).
    fn joined_name(&self, word: &str, before_the: bool) -> bool {
        if self.w.surnames.contains_key(word) {
            return self.surname_beside_relation(word)
                && !(before_the && self.w.place_surnames.contains(word));
        }
        if self.w.looks_like_agency(word) {
            return false;
        }
        let place = ["都", "道", "府", "県", "市", "区", "町", "村", "駅"]
            .iter()
            .any(|p| word.ends_with(p));
        let Some(n) = family_prefix(word) else {
            return false;
        };
        let (family, given): (String, String) = (
            word.chars().take(n).collect(),
            word.chars().skip(n).collect(),
        );
        !place && self.surname_beside_relation(&family) && self.reads_as_given(&given)
    }

    /// Whether a word joined to a family name reads as a given name: two or three kanji, no word
    /// listed as no given name (面談, 方), no place's or agency's ending, no ordinary word.
    fn reads_as_given(&self, word: &str) -> bool {
        let len = word.chars().count();
        (2..=3).contains(&len)
            && !self.no_given(word)
            && !word.chars().last().is_some_and(|c| PLACE_ENDS.contains(&c))
            && !self
                .w
                .agency_markers
                .iter()
                .any(|m| word.ends_with(m.as_str()))
            && !self.w.is_ordinary(word)
    }

    /// A relation standing as a word at `j`: its length, whether a word starts there (or it is
    /// in a run of kanji, at its end), and whether it ends there. `None` when none is at `j`.
    fn relation_at(&self, j: usize) -> Option<(usize, bool, bool)> {
        let c = *self.cs.get(j)?;
        if !self.w.relation_starts.contains(&c) {
            return None;
        }
        let class = self.class(j)?;
        let r = self.relation_len(j)?;
        let before = j.checked_sub(1).and_then(|k| self.class(k));
        let after = self.class(j + r);
        let starts = match class {
            Class::Latin => before.is_none_or(|b| !b.is_alnum()),
            // ははの, 父方のおじ
            Class::Hiragana => before != Some(Class::Hiragana) || self.cs[j - 1] == 'ノ',
            _ => before != Some(class),
        };
        let ends = match class {
            Class::Latin => after.is_none_or(|a| !a.is_alnum()),
            Class::Hiragana => after != Some(Class::Hiragana) || self.particle_at(j + r) > 0,
            // 叔父宅, 叔父の家
            Class::Kanji => after != Some(Class::Kanji) || self.home_at(j + r) > 0,
            _ => after != Some(class),
        };
        if class == Class::Latin && !(starts && ends) {
            return None;
        }
        Some((r, starts, ends))
    }

    /// Whether a relation word and の stand right before `i` (元夫の, 叔父の, 母の内縁の夫の): a
    /// family name of the case's own people there is that family (元夫の希望が来所), even one
    /// that is also an ordinary word (session 11, attack finding 10).
    pub(super) fn after_relation(&self, i: usize) -> bool {
        let Some(end) = i.checked_sub(1) else {
            return false;
        };
        if self.cs[end] != THE || self.class(end) != Some(Class::Hiragana) {
            return false;
        }
        self.relation_ends_at(end)
    }

    /// Whether a relation word that starts a word ends at `end` (子, 元妻, 長男 before it), or a
    /// word of kanji made of relation words alone (父母, 兄姉, 親子: [`Scan::kinship_compound`]).
    fn relation_ends_at(&self, end: usize) -> bool {
        self.w.relation_words.iter().any(|w| {
            end.checked_sub(w.len()).is_some_and(|j| {
                self.cs[j..end] == w[..]
                    && self
                        .relation_at(j)
                        .is_some_and(|(r, starts, _)| starts && j + r == end)
            })
        }) || self.kinship_compound(end)
    }

    /// Whether the run of kanji that ends at `end` is two or more relation words and nothing
    /// else (父母, 兄姉, 夫妻, 親子, 祖父母の姉): the relatives together, a relation as each of them
    /// is. Before, `父母のケンタ` was printed as typed: 母 glued after 父 starts no word.
    fn kinship_compound(&self, end: usize) -> bool {
        let mut s = end;
        while s > 0 && end - s <= KINSHIP && self.class(s - 1) == Some(Class::Kanji) {
            s -= 1;
        }
        if end - s > KINSHIP || end - s < 2 {
            return false;
        }
        // The ends of the relation words that begin at `s`, then at each end, to `end`.
        let mut reached = vec![false; end - s + 1];
        reached[0] = true;
        for k in s..end {
            if !reached[k - s] {
                continue;
            }
            for w in &self.w.relation_words {
                if k + w.len() <= end && self.cs[k..k + w.len()] == w[..] {
                    reached[k + w.len() - s] = true;
                }
            }
        }
        reached[end - s]
    }

    /// Whether a relation stands right before `i`, with の (子の, 元妻の) or glued to a word in
    /// another script (子ケンタ, 長男ケンタ): a member's reading there is the relative's name.
    pub(super) fn relation_before(&self, i: usize, class: Class) -> bool {
        let the = i >= 1 && self.cs[i - 1] == THE && self.class(i - 1) == Some(Class::Hiragana);
        let end = if the { i - 1 } else { i };
        if end == 0 || (!the && self.class(end - 1) == Some(class)) {
            return false;
        }
        self.relation_ends_at(end)
    }

    /// The length of the relation at `j`: a relation word, after a prefix (母方祖母, 異父兄), and
    /// up to two more after の (母の姉, 母の内縁の夫, 本児の叔父).
    fn relation_len(&self, j: usize) -> Option<usize> {
        let at = |k: usize| starts_with_any(&self.cs[k.min(self.n())..], &self.w.relation_words);
        let prefix = starts_with_any(&self.cs[j..], &self.w.relation_prefixes)
            .filter(|&p| at(j + p).is_some())
            .unwrap_or(0);
        let mut r = prefix + at(j + prefix)?;
        for _ in 0..2 {
            let the =
                self.cs.get(j + r) == Some(&THE) && self.class(j + r) == Some(Class::Hiragana);
            match at(j + r + 1) {
                Some(next) if the && self.class(j + r + 1) == self.class(j) => r += 1 + next,
                _ => break,
            }
        }
        Some(r)
    }

    /// The length of 宅, 家, 世帯 at `k` when it ends a word there (`叔父宅へ`, not `家庭`).
    pub(super) fn home_at(&self, k: usize) -> usize {
        match starts_with_any(&self.cs[k.min(self.n())..], &self.w.household) {
            Some(l) if self.class(k + l) != Some(Class::Kanji) => l,
            _ => 0,
        }
    }

    /// A relative at `j` (a relation in brackets, or a relation word): the relative's name when
    /// one is written beside it, and where the scan goes on. `None` when no relation is at `j`.
    pub(super) fn relative(
        &self,
        j: usize,
        floor: usize,
        b: usize,
    ) -> Option<(Option<Hit>, usize)> {
        let bracket = self.relation_bracket_at(j);
        if bracket > 0 {
            let name = self.name_before(j, floor, false);
            return Some((name.map(|(s, e)| self.hit(s, e)), j + bracket));
        }
        let (r, starts, ends) = self.relation_at(j)?;
        // A relation of one character joined to a word is as often the end of a name (花子,
        // 和夫) or a word (様子, 親子) as a relation: joined, only one of two or more counts.
        let joins = r >= 2;
        let glued_after = self.class(j + r) == Some(Class::Kanji) && self.home_at(j + r) == 0;
        if starts
            && (joins || !glued_after)
            && let Some((s, e)) = self.name_after(j + r, b)
        {
            return Some((Some(self.hit(s, e)), e));
        }
        let glued = !starts;
        if !ends || (glued && !joins) {
            return None;
        }
        let name = self.name_before(j, floor, glued);
        if glued && name.is_none() {
            return None;
        }
        Some((name.map(|(s, e)| self.hit(s, e)), j + r))
    }

    fn hit(&self, start: usize, end: usize) -> Hit {
        Hit {
            start,
            end,
            found: super::Found::Unrecorded(self.word(start, end)),
            kanji_part: false,
            whole_name: false,
        }
    }

    /// The name before a relation at `j`: `鈴木 次郎（叔父）`, `鈴木 次郎 叔父`, and
    /// (`glued`) `鈴木次郎叔父`.
    fn name_before(&self, j: usize, floor: usize, glued: bool) -> Option<(usize, usize)> {
        // Not before の: `東京の叔父` is an uncle in Tokyo.
        let (s, e, class) = self.word_before(j, floor)?;
        if glued && (class != Class::Kanji || e != j || e - s < 2) {
            return None;
        }
        let Decision::Name(start) = self.decide(s, e, class) else {
            return None;
        };
        self.looks_like_full_name(start, e, class)
            .then_some((start, e))
    }

    /// The name after a relation that ends at `k`: after の, ・, a colon, a comma, blanks, an
    /// opening bracket (then the name fills it or comes first in it), or right after the relation
    /// in kanji (`叔父鈴木次郎`).
    fn name_after(&self, k: usize, b: usize) -> Option<(usize, usize)> {
        let mut s = k;
        let bracket = self.cs.get(s).copied().and_then(closing).is_some();
        let the_particle = self.cs.get(s) == Some(&'ノ') && self.class(s) == Some(Class::Hiragana);
        if bracket || the_particle || self.cs.get(s).copied().is_some_and(is_separator) {
            s += 1;
        }
        while s < b && s - k < 3 && self.class(s) == Some(Class::Space) {
            s += 1;
        }
        if s >= b {
            return None;
        }
        let (start, end) = match self.class(s)? {
            Class::Kanji => self.kanji_name_at(s, b)?,
            Class::Katakana => self.katakana_name_at(s, b)?,
            Class::Latin => (s, self.latin_pair(s, s, b)?),
            _ => return None,
        };
        // An honorific after it is the honorifics' rule to read (叔父の鈴木さん).
        if self.honorific_at(end) > 0 || self.spaced_honorific_at(end) > 0 {
            return None;
        }
        if bracket {
            let mut m = end;
            while self.class(m) == Some(Class::Space) {
                m += 1;
            }
            let closed = self
                .cs
                .get(m)
                .is_some_and(|&c| is_closing(c) || is_separator(c));
            if !closed {
                return None;
            }
        }
        Some((start, end))
    }

    /// The end of the run of `class` from `s`, read no further than one past [`PART`].
    pub(super) fn part_end(&self, s: usize, b: usize, class: Class) -> usize {
        let mut e = s;
        while e < b && e - s <= PART && self.class(e) == Some(class) {
            e += 1;
        }
        e
    }

    /// Whether a part of a name is a word that is none: a kinship, role or listed word, or an
    /// agency's (鈴木病院, 中村橋福祉センター).
    fn no_name_part(&self, word: &str) -> bool {
        self.w.not_a_name(word)
            || self
                .w
                .agency_markers
                .iter()
                .any(|m| word.ends_with(m.as_str()))
    }

    /// A name in kanji at `s` beside a relation: a family name alone or with the given name
    /// (`鈴木`, `鈴木次郎`, `鈴木ハナ`, `鈴木 次郎`, the given name on the next line too); any
    /// name written in two parts (`菅原 次郎`). 宅 or 家 after it stays (`鈴木宅` → `○○宅`).
    fn kanji_name_at(&self, s: usize, b: usize) -> Option<(usize, usize)> {
        let run = self.part_end(s, b, Class::Kanji);
        if run - s > PART || (s + 1..run).any(|p| self.honorific_at(p) > 0) {
            return None;
        }
        let family_end = (s + 1..run)
            .rev()
            .find(|&p| self.home_at(p) == run - p)
            .unwrap_or(run);
        let family = self.squeezed(s, family_end);
        // A family name may end like an agency's name (阿部, 雁部, 岡部: 部): one that is known,
        // or written apart from a given name, is a name all the same; 鈴木病院 is none.
        let agency = self.no_name_part(&family) || self.w.looks_like_agency(&family);
        let family_like = !self.w.not_a_name(&family)
            && !self
                .w
                .agency_markers
                .iter()
                .any(|m| m.chars().count() >= 2 && family.contains(m.as_str()));
        let apart = self.class(run) == Some(Class::Space) && family_end == run;
        if agency && !(family_like && (self.w.surnames.contains_key(&family) || apart)) {
            return None;
        }
        if family_end < run {
            return self.joined_name(&family, false).then_some((s, family_end));
        }
        let mut m = run;
        let mut line_break = false;
        while m < b && m - run < 2 && self.class(m) == Some(Class::Space) {
            line_break |= self.original(m, m + 1).contains(['\n', '\r']);
            m += 1;
        }
        let given = match self.class(m) {
            Some(c @ Class::Kanji) if m > run => Some((m, self.part_end(m, b, c))),
            Some(c @ Class::Katakana) => Some((m, self.part_end(m, b, c))),
            _ => None,
        };
        // A name broken at the end of a line (叔父の鈴木 / 次郎が): a known family name alone on
        // the line and a given name of kanji on the next, no more — never the next line's first
        // word after a whole name (継父：栗栖大介 / 父親 …).
        if line_break {
            let broken = given.filter(|&(g, e)| {
                let word = self.squeezed(g, e);
                self.surname_beside_relation(&family)
                    && self.class(g) == Some(Class::Kanji)
                    && self.reads_as_given(&word)
            });
            return match broken {
                Some((_, e)) => Some((s, e)),
                None => self.joined_name(&family, false).then_some((s, run)),
            };
        }
        match given {
            Some((g, e)) if e - g <= PART => {
                let given_word = self.squeezed(g, e);
                let home = (g + 1..e).rev().find(|&p| self.home_at(p) == e - p);
                if self.no_name_part(&given_word) && home.is_none() {
                    // 母の山田クリニック: an agency, not a name.
                    return None;
                }
                let e = home.unwrap_or(e);
                // Written apart, any two words are a name here; joined (鈴木ハナ), a known family
                // name of two or more kanji must start it.
                (m > run || self.surname_beside_relation(&family)).then_some((s, e))
            }
            Some(_) => None,
            None => {
                let the =
                    self.cs.get(run) == Some(&THE) && self.class(run) == Some(Class::Hiragana);
                self.joined_name(&family, the).then_some((s, run))
            }
        }
    }

    /// A name in katakana at `s` beside a relation: two words (`スズキ ジロウ`, `スズキ・ジロウ`)
    /// or the reading of a known family name (`スズキ`).
    fn katakana_name_at(&self, s: usize, b: usize) -> Option<(usize, usize)> {
        let first = self.part_end(s, b, Class::Katakana);
        if first - s > PART + 2 {
            return None;
        }
        let word = self.squeezed(s, first);
        if self.no_name_part(&word) {
            return None;
        }
        let mut m = first;
        while m < b
            && m - first < 2
            && (self.class(m) == Some(Class::Space) || (m == first && self.cs[m] == '・'))
        {
            m += 1;
        }
        if m > first && self.class(m) == Some(Class::Katakana) {
            let e = self.part_end(m, b, Class::Katakana);
            let given = self.squeezed(m, e);
            if e - m <= PART + 2 && !self.no_name_part(&given) {
                return Some((s, e));
            }
            return None;
        }
        self.w.romaji.contains_key(&word).then_some((s, first))
    }
}
