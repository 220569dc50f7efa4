//! A picker: choices offered under a field as its text is typed (the agencies a meeting knows),
//! chosen with ↓/↑ and Enter, or passed over by typing a new one.

/// The choices and the one highlighted, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    pub choices: Vec<String>,
    pub selected: Option<usize>,
}

/// How many suggestions show at once.
const SHOWN: usize = 6;

impl Picker {
    pub fn new(choices: Vec<String>) -> Picker {
        Picker {
            choices,
            selected: None,
        }
    }

    /// The choices that fit what is typed.
    pub fn suggestions(&self, typed: &str) -> Vec<String> {
        suggestions(&self.choices, typed)
    }

    /// The highlighted suggestion for what is typed.
    pub fn chosen(&self, typed: &str) -> Option<String> {
        self.suggestions(typed).get(self.selected?).cloned()
    }

    /// ↓: the next suggestion; false when there is none to go to (the key moves on).
    pub fn down(&mut self, typed: &str) -> bool {
        let count = self.suggestions(typed).len();
        if count == 0 {
            return false;
        }
        self.selected = Some(self.selected.map_or(0, |s| (s + 1).min(count - 1)));
        true
    }

    /// ↑: the suggestion before, or none above the first; false when none was highlighted.
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

/// Choices containing every typed word, those starting with the text first.
pub fn suggestions(choices: &[String], typed: &str) -> Vec<String> {
    let typed = typed.trim();
    let words: Vec<&str> = typed.split_whitespace().collect();
    let mut found: Vec<&String> = choices
        .iter()
        .filter(|c| words.iter().all(|w| c.contains(w)))
        .collect();
    found.sort_by_key(|c| !c.starts_with(typed));
    found.into_iter().take(SHOWN).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_narrow_the_choices_and_arrows_pick() {
        let mut picker = Picker::new(vec![
            "健康推進課".to_owned(),
            "生活福祉課".to_owned(),
            "地域福祉課".to_owned(),
        ]);
        assert_eq!(picker.suggestions("福祉"), ["生活福祉課", "地域福祉課"]);
        assert_eq!(picker.suggestions("地域 福祉"), ["地域福祉課"]);
        assert!(!picker.up());
        assert!(picker.down("福祉"));
        assert!(picker.down("福祉"));
        assert!(picker.down("福祉"), "stays on the last");
        assert_eq!(picker.chosen("福祉").as_deref(), Some("地域福祉課"));
        assert!(picker.up());
        assert!(picker.up());
        assert_eq!(picker.chosen("福祉"), None);
        assert!(!picker.down("児童"), "nothing to pick");
    }
}
