//! The look the settings ask for: the theme (read by the theme module from the name or file the
//! config gives) and the key map (the defaults with the user's bindings laid over them). It is
//! made here, in the TUI, so that the config names a theme without reading it.

use super::keymap::Keymap;
use super::theme::Theme;
use crate::config::{Problem, Settings, Source};
use crate::text::Ambiguous;

impl Settings {
    /// The theme and the key map the TUI uses, with what was wrong in the theme file and in the
    /// key overrides. With the two-cell reading of ambiguous characters, box drawing would be
    /// drawn two cells wide, so the borders become ASCII whatever the theme says.
    pub fn look(&self) -> (Theme, Keymap, Vec<Problem>) {
        let file = self
            .file
            .as_ref()
            .map(|(p, _)| p.display().to_string())
            .unwrap_or_else(|| "config".to_owned());
        let asked_by = match self.theme.source {
            Source::File => file.as_str(),
            _ => "--theme",
        };
        let (mut theme, mut problems) = Theme::load(&self.theme.value, asked_by);
        theme = theme.degraded(self.color_depth);
        if self.ambiguous.value == Ambiguous::Wide {
            theme.ascii_borders = true;
        }
        let (keymap, key_problems) = Keymap::default_keymap().with_overrides(&self.keys);
        problems.extend(
            key_problems
                .into_iter()
                .map(|m| Problem::new(&file, None, m)),
        );
        (theme, keymap, problems)
    }
}
