//! What an import did (or, in a dry run, would do), and the records it could not write.

use crate::i18n::{Lang, Words};
use std::fmt;

/// Added, updated and left as they were, of one kind of record.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A record an import could not write without overwriting what the database holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The file it came from.
    pub file: String,
    /// Its JSON path (`meetings[3]`) or line (`line 12`) in that file.
    pub at: String,
    /// The record of the database it meets (`会議 5（支援会議、2026-11-03 14:00）`).
    pub record: Words,
    /// Why it is left as it is.
    pub reason: Words,
}

impl Conflict {
    /// `file: path: record: reason`, in `lang` (a line `2行目` in Japanese, as every other
    /// message of an import says it).
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}: {}: {}: {}",
            self.file,
            super::tabular::place_in(&self.at, lang),
            self.record.get(lang),
            self.reason.get(lang)
        )
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(crate::i18n::message_lang()))
    }
}

/// What one import did (or, in a dry run, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub files: usize,
    pub wards_added: usize,
    pub agencies: Counts,
    pub bodies: Counts,
    pub history: Counts,
    pub meetings: Counts,
    /// Cases (事例) with their households and plans.
    pub cases: Counts,
    /// Continuations of next actions (`actions[i].reviews`): added, or held already (never
    /// updated: a continuation is not edited once made).
    pub reviews: Counts,
    /// Reviews of cases at meetings (進行管理: `meetings[i].case_reviews`).
    pub case_reviews: Counts,
    pub templates: usize,
    /// Bodies and meetings added and updated, by name, in order (what a dry run lists; at most
    /// the first thousand).
    pub log: Vec<(Outcome, Words)>,
    /// Bodies and meetings added or updated past those the log lists.
    pub log_omitted: usize,
    /// Agencies of another record with a name this database already has: kept as they are.
    pub kept: Vec<String>,
    /// Conflicts skipped (`skip_conflicts`); an import that meets one otherwise fails.
    pub conflicts: Vec<Conflict>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
}
