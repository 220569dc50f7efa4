//! What `renkei import` says: the counts of what was added, updated and left as it was, the
//! records skipped for a conflict, and, for a dry run, every body and meeting it would write.

use anyhow::{Result, anyhow};
use std::io::Write;

use super::say;
use crate::i18n::Lang;
use crate::store::{Conflict, Counts, ImportSummary, import::Outcome};
use crate::text::inert;

/// "会議 4 件（新規 4 件・更新 0 件・変更なし 0 件）".
fn counts(what: (&str, &str), c: &Counts, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{} {} 件（新規 {} 件・更新 {} 件・変更なし {} 件）",
            what.0,
            c.total(),
            c.added,
            c.updated,
            c.unchanged
        ),
        Lang::En => format!(
            "{} {} ({} added, {} updated, {} unchanged)",
            what.1,
            c.total(),
            c.added,
            c.updated,
            c.unchanged
        ),
    }
}

/// The summary of an import (or of a dry run).
pub fn report(s: &ImportSummary, lang: Lang, out: &mut dyn Write) -> Result<()> {
    let head = match (lang, s.dry_run) {
        (Lang::Ja, false) => format!("{} ファイルを取り込みました", s.files),
        (Lang::Ja, true) => format!(
            "{} ファイルの取り込みを試しました（データベースは変更していません）",
            s.files
        ),
        (Lang::En, false) => format!("Imported {} file(s)", s.files),
        (Lang::En, true) => format!(
            "Dry run of {} file(s) (the database was not changed)",
            s.files
        ),
    };
    let cases = (s.cases.total() > 0).then(|| counts(("事例", "cases"), &s.cases, lang));
    let case_reviews = (s.case_reviews.total() > 0)
        .then(|| counts(("事例の確認", "case reviews"), &s.case_reviews, lang));
    let reviews = (s.reviews.total() > 0)
        .then(|| counts(("行動の継続", "continuations of actions"), &s.reviews, lang));
    let body = [
        Some(counts(("会議体", "bodies"), &s.bodies, lang)),
        Some(counts(("会議", "meetings"), &s.meetings, lang)),
        cases,
        case_reviews,
        reviews,
        Some(counts(("機関", "agencies"), &s.agencies, lang)),
        Some(counts(("過去の実績", "yearly counts"), &s.history, lang)),
        Some(match lang {
            Lang::Ja => format!("議題テンプレート {} 件", s.templates),
            Lang::En => format!("{} agenda templates", s.templates),
        }),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(lang.pick("、", "; "));
    say(out, &format!("{head}: {body}"))?;
    if s.wards_added > 0 {
        say(
            out,
            &match lang {
                Lang::Ja => format!(
                    "ほかの区のデータとして {} 区を加えました（`renkei ward` で確認できます）",
                    s.wards_added
                ),
                Lang::En => format!(
                    "{} other ward(s) added, their records kept as theirs (see `renkei ward`)",
                    s.wards_added
                ),
            },
        )?;
    }
    if s.dry_run {
        for (outcome, what) in &s.log {
            let verb = match (outcome, lang) {
                (Outcome::Added, Lang::Ja) => "新規",
                (Outcome::Updated, Lang::Ja) => "更新",
                (Outcome::Added, Lang::En) => "add",
                (Outcome::Updated, Lang::En) => "update",
            };
            say(out, &format!("  {verb}: {}", what.get(lang)))?;
        }
        if s.log_omitted > 0 {
            say(
                out,
                &match lang {
                    Lang::Ja => format!("  ほか {} 件", s.log_omitted),
                    Lang::En => format!("  and {} more", s.log_omitted),
                },
            )?;
        }
    }
    if !s.kept.is_empty() {
        say(
            out,
            &match lang {
                Lang::Ja => format!(
                    "同じ名前の機関がすでにあるため、このデータベースの記録を残しました: {} 件",
                    s.kept.len()
                ),
                Lang::En => format!(
                    "{} agencies kept as this database has them (another record has the name)",
                    s.kept.len()
                ),
            },
        )?;
        for k in &s.kept {
            say(out, &format!("  {k}"))?;
        }
    }
    if !s.conflicts.is_empty() {
        let title = match (lang, s.dry_run) {
            (Lang::Ja, false) => format!(
                "このデータベースで入力・変更・承認された記録と衝突するため取り込まなかったもの: {} 件",
                s.conflicts.len()
            ),
            (Lang::Ja, true) => format!(
                "衝突: {} 件（--skip-conflicts がなければ取り込み全体が拒否されます）",
                s.conflicts.len()
            ),
            (Lang::En, false) => format!(
                "Skipped, in conflict with records captured, changed or approved here: {}",
                s.conflicts.len()
            ),
            (Lang::En, true) => format!(
                "Conflicts: {} (without --skip-conflicts the whole import is refused)",
                s.conflicts.len()
            ),
        };
        say(out, &title)?;
        for c in &s.conflicts {
            say(out, &format!("  {}", c.render(lang)))?;
        }
    }
    Ok(())
}

/// The error of a dry run whose real import would be refused for its conflicts (the summary
/// above lists them): its exit status says what the real run's would.
pub fn would_be_refused(conflicts: usize, lang: Lang) -> anyhow::Error {
    anyhow!(match lang {
        Lang::Ja => format!(
            "この取り込みは拒否されます（試しただけで、何も変更していません）: このデータベースで入力・変更・承認された記録と衝突するものが {conflicts} 件あります。衝突する記録を除いて取り込むには --skip-conflicts"
        ),
        Lang::En => format!(
            "this import would be refused (a dry run: nothing was changed): {conflicts} record(s) would overwrite what was captured, changed or approved in this database; --skip-conflicts imports the rest"
        ),
    })
}

/// The error of an import refused for its conflicts: each conflict on its own line of standard
/// error, then the one-line error.
pub fn refused(conflicts: &[Conflict], lang: Lang) -> anyhow::Error {
    // inert: each conflict is written through inert
    let mut err = std::io::stderr().lock();
    let word = lang.pick("衝突", "conflict");
    for c in conflicts {
        let _ = writeln!(err, "renkei: {word}: {}", inert(&c.render(lang)));
    }
    anyhow!(match lang {
        Lang::Ja => format!(
            "取り込みを拒否しました（何も変更していません）: このデータベースで入力・変更・承認された記録と衝突するものが {} 件あります（上の一覧）。衝突する記録を除いて取り込むには --skip-conflicts、確認だけなら --dry-run",
            conflicts.len()
        ),
        Lang::En => format!(
            "import refused, nothing was changed: {} record(s) would overwrite what was captured, changed or approved in this database (listed above); --skip-conflicts imports the rest, --dry-run only shows",
            conflicts.len()
        ),
    })
}

/// The database an import is about to create, when there is none yet at its path: what to
/// remove again if the import fails, so that a failed import leaves no database behind (the
/// store as it was: nothing). The directories made for it go too, when they are left empty.
pub struct NewDatabase {
    file: Option<std::path::PathBuf>,
    /// The directory of SQLite's temporary files beside it, when opening it will make that.
    temp: Option<std::path::PathBuf>,
    dirs: Vec<std::path::PathBuf>,
}

impl NewDatabase {
    /// Looks at `db` before the store is opened (which creates it).
    pub fn before_open(db: &std::path::Path) -> Result<NewDatabase> {
        let file = std::path::absolute(db)?;
        if std::fs::symlink_metadata(&file).is_ok() {
            return Ok(NewDatabase {
                file: None,
                temp: None,
                dirs: Vec::new(),
            });
        }
        let dirs = file
            .ancestors()
            .skip(1)
            .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
            .map(std::path::Path::to_path_buf)
            .collect();
        let temp = file
            .parent()
            .map(|p| p.join(crate::store::temp::DIR_NAME))
            .filter(|t| std::fs::symlink_metadata(t).is_err());
        Ok(NewDatabase {
            file: Some(file),
            temp,
            dirs,
        })
    }

    /// Removes the database this import created, with its journals and the directories made for
    /// it, unless it is to be kept (the import went through). Best effort: what cannot be removed
    /// stays as an empty database, as before.
    pub fn settle(self, keep: bool) {
        let Some(file) = self.file.filter(|_| !keep) else {
            return;
        };
        for suffix in ["-wal", "-shm", "-journal", ""] {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(std::path::Path::new(&name));
        }
        if let Some(temp) = &self.temp {
            let _ = std::fs::remove_dir(temp);
        }
        for dir in &self.dirs {
            // Only an empty directory is removed: never what someone else put there meanwhile.
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
        }
    }
}
