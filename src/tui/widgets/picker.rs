//! A picker: choices offered under a field as its text is typed, chosen with Down/Up and Enter
//! (or Tab, which also moves on), or passed over by typing something new. A choice is a value to
//! store (its key) and what is shown (its label); the choices "near" the task (a body's own
//! member agencies, the agencies of its last meeting) come before the rest, whatever is typed.
//! Typed text matches a choice when every word of it is found in the label or the key, with
//! full-width letters, katakana and hiragana, and Latin case folded (ごみ finds ゴミ屋敷).

/// One choice of a picker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    /// What is stored.
    pub key: String,
    /// What is shown.
    pub label: String,
    /// Of the first rank: listed before the others.
    pub near: bool,
    /// Other ways it is written (a vocabulary's variants): typed, they name it too.
    pub also: Vec<String>,
    /// Hiragana and katakana are alike for it (ごみ屋敷 names ゴミ屋敷).
    pub kana: bool,
}

impl Choice {
    /// A choice whose key is its label (an agency's name).
    pub fn named(name: &str, near: bool) -> Choice {
        Choice {
            key: name.to_owned(),
            label: name.to_owned(),
            near,
            ..Choice::default()
        }
    }

    /// A choice stored as `key`, shown as `label`.
    pub fn keyed(key: &str, label: &str) -> Choice {
        Choice {
            key: key.to_owned(),
            label: label.to_owned(),
            ..Choice::default()
        }
    }

    /// Every way the choice is written: its label, its key and its other spellings.
    fn spellings(&self) -> impl Iterator<Item = &String> {
        [&self.label, &self.key].into_iter().chain(&self.also)
    }
}

/// The choices and the one highlighted, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    pub choices: Vec<Choice>,
    pub selected: Option<usize>,
    /// The suggestions put away with Esc: not shown until the text changes or Down asks.
    pub hidden: bool,
}

impl Picker {
    pub fn new(choices: Vec<Choice>) -> Picker {
        Picker {
            choices,
            selected: None,
            hidden: false,
        }
    }

    /// The text changed: no suggestion highlighted, and those for the new text shown.
    pub fn edited(&mut self) {
        self.selected = None;
        self.hidden = false;
    }

    /// Esc with suggestions shown: they are put away (and none is highlighted), and the form
    /// stays open; false when none were shown (Esc then leaves the form).
    pub fn dismiss(&mut self, typed: &str) -> bool {
        if self.hidden || self.suggestions(typed).is_empty() {
            return false;
        }
        self.selected = None;
        self.hidden = true;
        true
    }

    /// Names, the first `near` of them near the task; a name given twice is offered once.
    pub fn of_names(names: &[String], near: usize) -> Picker {
        let mut choices: Vec<Choice> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if !name.trim().is_empty() && !choices.iter().any(|c| c.key == *name) {
                choices.push(Choice::named(name, i < near));
            }
        }
        Picker::new(choices)
    }

    /// The choices that fit what is typed, in the order they are offered.
    pub fn suggestions(&self, typed: &str) -> Vec<&Choice> {
        suggestions(&self.choices, typed)
    }

    /// The highlighted suggestion for what is typed.
    pub fn chosen(&self, typed: &str) -> Option<&Choice> {
        self.suggestions(typed).get(self.selected?).copied()
    }

    /// The choice the typed text names (its label or its key, full-width letters and Latin case
    /// aside), if any. Kana are not folded here: ゴミ屋敷 typed over a recorded ごみ屋敷 is what
    /// was meant.
    pub fn exact(&self, typed: &str) -> Option<&Choice> {
        let same = |text: &str| crate::domain::calendar::fold_width(text.trim()).to_lowercase();
        let plain = same(typed);
        if plain.is_empty() {
            return None;
        }
        let kana = fold(typed.trim());
        self.choices.iter().find(|c| {
            c.spellings()
                .any(|s| same(s) == plain || (c.kana && fold(s.trim()) == kana))
        })
    }

    /// The value for what is typed: the highlighted choice's key, the key of the choice the text
    /// names, or the text itself (a value not among the choices).
    pub fn value(&self, typed: &str) -> String {
        if let Some(c) = self.chosen(typed).or_else(|| self.exact(typed)) {
            return c.key.clone();
        }
        typed.trim().to_owned()
    }

    /// Typed text that is none of the choices: a new value, said so beside the field.
    pub fn is_new(&self, typed: &str) -> bool {
        !typed.trim().is_empty() && self.chosen(typed).is_none() && self.exact(typed).is_none()
    }

    /// Down: the next suggestion; false when there is none to go to (the key moves on).
    pub fn down(&mut self, typed: &str) -> bool {
        let count = self.suggestions(typed).len();
        if count == 0 {
            return false;
        }
        self.hidden = false;
        self.selected = Some(self.selected.map_or(0, |s| (s + 1).min(count - 1)));
        true
    }

    /// Up: the suggestion before, or none above the first; false when none was highlighted.
    pub fn up(&mut self) -> bool {
        match self.selected {
            Some(s) => {
                self.selected = s.checked_sub(1);
                true
            }
            None => false,
        }
    }
}

/// Text as it is compared: full-width letters and digits narrowed, katakana as hiragana, Latin
/// letters in lower case.
pub fn fold(text: &str) -> String {
    crate::domain::calendar::fold_width(text)
        .chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Choices containing every typed word: the near ones first, then those starting with the text,
/// then the rest, each in the order given.
pub fn suggestions<'a>(choices: &'a [Choice], typed: &str) -> Vec<&'a Choice> {
    let typed = fold(typed.trim());
    let words: Vec<&str> = typed.split_whitespace().collect();
    let mut found: Vec<(&Choice, String)> = choices
        .iter()
        .map(|c| (c, fold(&c.label)))
        .filter(|(c, _)| {
            let spellings: Vec<String> = c.spellings().map(|s| fold(s)).collect();
            words
                .iter()
                .all(|w| spellings.iter().any(|s| s.contains(w)))
        })
        .collect();
    found.sort_by_key(|(c, label)| (!c.near, !label.starts_with(&typed)));
    found.into_iter().map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(found: Vec<&Choice>) -> Vec<&str> {
        found.into_iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn typed_words_narrow_the_choices_and_arrows_pick() {
        let names = ["健康推進課", "生活福祉課", "地域福祉課"].map(str::to_owned);
        let mut picker = Picker::of_names(&names, 0);
        assert_eq!(
            labels(picker.suggestions("福祉")),
            ["生活福祉課", "地域福祉課"]
        );
        assert_eq!(labels(picker.suggestions("地域 福祉")), ["地域福祉課"]);
        assert!(!picker.up());
        assert!(picker.down("福祉"));
        assert!(picker.down("福祉"));
        assert!(picker.down("福祉"), "stays on the last");
        assert_eq!(picker.value("福祉"), "地域福祉課");
        assert!(picker.up());
        assert!(picker.up());
        assert_eq!(picker.chosen("福祉"), None);
        assert!(!picker.down("児童"), "nothing to pick");
    }

    /// The body's own agencies come first, even when another starts with what is typed.
    #[test]
    fn the_near_choices_come_first() {
        let names =
            ["江東区地域包括支援センター", "地域福祉課", "地域ケア推進課"].map(str::to_owned);
        let picker = Picker::of_names(&names, 1);
        assert_eq!(
            labels(picker.suggestions("地域")),
            ["江東区地域包括支援センター", "地域福祉課", "地域ケア推進課"]
        );
        assert_eq!(
            labels(picker.suggestions(""))[0],
            "江東区地域包括支援センター"
        );
    }

    #[test]
    fn kana_width_and_case_fold_and_a_new_value_is_flagged() {
        let picker = Picker::new(vec![
            Choice::named("ゴミ屋敷", false),
            Choice::keyed("high", "高"),
        ]);
        assert_eq!(labels(picker.suggestions("ごみ")), ["ゴミ屋敷"]);
        assert_eq!(
            picker.value("ごみ屋敷"),
            "ごみ屋敷",
            "as typed, unless picked"
        );
        assert!(
            picker.is_new("ごみ屋敷"),
            "another spelling is said to be new"
        );
        assert_eq!(picker.value("ＨＩＧＨ"), "high");
        assert!(!picker.is_new("高"));
        assert!(picker.is_new("セルフネグレクト"));
        assert_eq!(picker.value(" セルフネグレクト "), "セルフネグレクト");
        assert!(!picker.is_new("  "));
    }

    /// A vocabulary's category: found by its variants, named by them (stored as its name), and
    /// by another kana when it says so.
    #[test]
    fn a_category_is_named_by_its_other_spellings() {
        let picker = Picker::new(vec![Choice {
            also: vec!["不衛生な住環境".into()],
            kana: true,
            ..Choice::named("ゴミ屋敷", false)
        }]);
        assert_eq!(labels(picker.suggestions("不衛生")), ["ゴミ屋敷"]);
        assert_eq!(picker.value("不衛生な住環境"), "ゴミ屋敷");
        assert_eq!(picker.value("ごみ屋敷"), "ゴミ屋敷");
        assert!(!picker.is_new("ごみ屋敷"));
    }
}
