//! A detail pane beside a list. On a real terminal it waits while keys move the selection and
//! follows once they pause (`tui::event_loop`): a held key then sends the list's few changed
//! cells, not a new item's details at every step. Tests and the script mode do not defer
//! (`Ctx::defer_detail`): there the pane always shows the selection.

/// What the pane shows, by the id of the listed item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    shown: Option<i64>,
}

impl Detail {
    /// The item the pane shows: the selected one, or while it waits, the one it showed before
    /// — if that is still `listed`, else none.
    pub fn showing(
        &self,
        defer: bool,
        selected: Option<i64>,
        listed: impl Fn(i64) -> bool,
    ) -> Option<i64> {
        if !defer {
            return selected;
        }
        self.shown.filter(|&id| listed(id))
    }

    /// Whether the pane waits to follow the selection.
    pub fn waits(&self, selected: Option<i64>) -> bool {
        self.shown != selected
    }

    /// The pane follows the selection now.
    pub fn settle(&mut self, selected: Option<i64>) {
        self.shown = selected;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pane_keeps_what_it_showed_until_it_settles() {
        let mut detail = Detail::default();
        detail.settle(Some(1));
        assert!(detail.waits(Some(2)));
        assert_eq!(detail.showing(true, Some(2), |_| true), Some(1));
        assert_eq!(detail.showing(true, Some(2), |id| id != 1), None, "gone");
        assert_eq!(detail.showing(false, Some(2), |_| true), Some(2));
        detail.settle(Some(2));
        assert!(!detail.waits(Some(2)));
    }
}
