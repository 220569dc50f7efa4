//! `renkei backup` and `renkei check`: a consistent owner-only copy of the database, and a look
//! at its health (integrity, schema version, counts, who can read its files).

use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Session;
use crate::i18n::{Lang, Msg, say};
use crate::store::backup::{self, CheckReport, ModeWarning};
use crate::store::{Store, schema};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The copy to write (refused if it exists, unless --force)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
}

pub(super) fn backup(ctx: &Session, args: BackupArgs, out: &mut dyn Write) -> Result<()> {
    let done = backup::backup_file(&ctx.db, &args.file, args.force)?;
    if done.integrity != "ok" {
        return Err(Msg::new("backup_damaged")
            .with("path", done.path.display())
            .with("detail", &done.integrity)
            .into());
    }
    let message = match ctx.lang {
        Lang::Ja => format!(
            "バックアップしました: {}（{} バイト、権限 {:04o}、整合性 ok）",
            done.path.display(),
            done.bytes,
            done.mode
        ),
        Lang::En => format!(
            "Backed up to {} ({} bytes, mode {:04o}, integrity ok)",
            done.path.display(),
            done.bytes,
            done.mode
        ),
    };
    // Audited before it is said: a backup whose audit line cannot be written is taken back.
    audit_backup(ctx, &done.path)
        .map_err(|e| super::take_back(Some(&done.path), e, &ctx.db, ctx.lang))?;
    super::say(out, &message)
}

/// Records the backup in the audit trail, unless that would upgrade the database: a backup never
/// changes the schema of the database it copies.
fn audit_backup(ctx: &Session, path: &Path) -> Result<()> {
    let current = backup::open_read_only(&ctx.db)
        .and_then(|conn| Ok(schema::user_version(&conn)? == schema::LATEST))?;
    if current {
        let store = Store::open(&ctx.db, ctx.clock.clone())?;
        store.audit("backup", None, &path.display().to_string())?;
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Make the tables kept by triggers (the people recorded, the cases' review basis, each
    /// body's latest meeting held) again from the records, when the check finds them short
    #[arg(long)]
    pub mend: bool,
}

/// Prints the check; fails (non-zero exit) when the integrity check finds damage or a table kept
/// by triggers differs from the records (`--mend` makes those again).
pub(super) fn check(ctx: &Session, args: CheckArgs, out: &mut dyn Write) -> Result<()> {
    if args.mend {
        return mend(ctx, out);
    }
    let report = backup::check(&ctx.db)?;
    out.write_all(crate::text::inert_lines(&render(&report, ctx.lang)).as_bytes())?;
    if !report.is_sound() {
        return Err(Msg::new("check_failed")
            .with("path", report.path.display())
            .with("n", report.integrity.len())
            .into());
    }
    if report.derived.is_some_and(|d| !d.is_sound()) {
        return Err(Msg::new("check_derived_failed")
            .with("path", report.path.display())
            .into());
    }
    Ok(())
}

/// `renkei check --mend`: the derived tables made again, said, and audited.
fn mend(ctx: &Session, out: &mut dyn Write) -> Result<()> {
    let mut store = Store::open(&ctx.db, ctx.clock.clone())?;
    let found = store.mend_derived()?;
    let key = if found.is_sound() {
        "check_mend_nothing"
    } else {
        "check_mended"
    };
    let said = say(
        ctx.lang,
        key,
        &[
            ("recorded", found.recorded_missing.to_string()),
            ("basis", found.review_basis_stale.to_string()),
            ("held", found.last_held_stale.to_string()),
            ("keys", found.keys_lost.to_string()),
        ],
    );
    super::say(out, &said)?;
    store.audit(
        "check --mend",
        None,
        &format!(
            "recorded_texts +{}, case_review_basis {}, body_last_held {}, recorded_keys {}",
            found.recorded_missing,
            found.review_basis_stale,
            found.last_held_stale,
            found.keys_lost
        ),
    )?;
    Ok(())
}

fn table_label(table: &str, lang: Lang) -> &'static str {
    let (ja, en) = match table {
        "agencies" => ("機関", "agencies"),
        "bodies" => ("会議体", "bodies"),
        "body_history" => ("過去の実績", "yearly counts"),
        "meetings" => ("会議", "meetings"),
        "attendees" => ("出席者", "attendees"),
        "agenda_items" => ("議題", "agenda items"),
        "agenda_entries" => ("メモ・決定事項", "notes and decisions"),
        "role_assignments" => ("役割分担", "role assignments"),
        "next_actions" => ("次回までの対応", "next actions"),
        "case_issues" => ("課題", "case issues"),
        "changes" => ("修正履歴", "changes"),
        "agenda_templates" => ("議題テンプレート", "agenda template items"),
        "cases" => ("事例", "cases"),
        "meeting_cases" => ("会議で扱った事例", "cases on meetings"),
        "case_plans" => ("支援プランの改訂", "plan revisions"),
        "action_reviews" => ("対応の継続", "action continuations"),
        "audit" => ("操作の記録", "audit lines"),
        _ => ("その他", "other"),
    };
    lang.pick(ja, en)
}

/// A read-only -wal or -shm, and how to mend it.
fn read_only(path: &Path, shared: bool, lang: Lang) -> String {
    let mode = if shared { "660" } else { "600" };
    match lang {
        Lang::Ja => format!(
            "警告: {}: 書き込めません。このままではデータベースを chmod しても読み取り専用のままです。renkei をすべて終了してから chmod {mode} {} で直してください",
            path.display(),
            path.display()
        ),
        Lang::En => format!(
            "warning: {}: read-only; it keeps the database read-only whatever the database's own mode. Close every renkei, then mend it with chmod {mode} {}",
            path.display(),
            path.display()
        ),
    }
}

/// A warning about who else can use a file or the directory, saying exactly what the mode lets
/// them do (a 0755 directory: its group can list it, not write in it).
fn warning(w: &ModeWarning, shared: bool, lang: Lang) -> String {
    let (path, key) = match w {
        ModeWarning::ReadOnlySidecar(p) => return read_only(p, shared, lang),
        ModeWarning::GroupAccess(p, access) => {
            let key = match (p.is_dir(), access.read, access.write) {
                (false, true, true) => "mode_group_read_write",
                (false, true, false) => "mode_group_read",
                (false, false, _) => "mode_group_write",
                (true, true, true) => "mode_group_list_write",
                (true, true, false) => "mode_group_list",
                (true, false, _) => "mode_group_dir_write",
            };
            (p, key)
        }
        ModeWarning::WorldReadable(p) if p.is_dir() => (p, "mode_world_list"),
        ModeWarning::WorldReadable(p) => (p, "mode_world_read"),
        ModeWarning::WorldWritable(p) if p.is_dir() => (p, "mode_world_dir_write"),
        ModeWarning::WorldWritable(p) => (p, "mode_world_write"),
    };
    // In the section's shared setgid directory only the world's access is taken away: `chmod
    // 700` there took the section's too (attack of 2026-12-05, round 32b, finding 7).
    let world = matches!(
        w,
        ModeWarning::WorldReadable(_) | ModeWarning::WorldWritable(_)
    );
    let fix = match (shared && world, path.is_dir()) {
        (true, _) => "chmod o-rwx",
        (false, true) => "chmod 700",
        (false, false) => "chmod 600",
    };
    say(
        lang,
        "mode_warning",
        &[
            ("path", path.display().to_string()),
            ("who", say(lang, key, &[])),
            ("fix", fix.to_owned()),
        ],
    )
}

fn render(r: &CheckReport, lang: Lang) -> String {
    let mut out = String::new();
    let mut line = |ja: String, en: String| {
        out.push_str(lang.pick(&ja, &en));
        out.push('\n');
    };
    line(
        format!("データベース: {}", r.path.display()),
        format!("Database: {}", r.path.display()),
    );
    let integrity = r.integrity.join(" / ");
    line(
        format!("整合性チェック: {integrity}"),
        format!("Integrity check: {integrity}"),
    );
    let (v, s) = (r.schema_version, r.supported_version);
    let note = match v.cmp(&s) {
        std::cmp::Ordering::Less => lang.pick(
            "（次に開いたときに更新されます）",
            " (upgraded when next opened)",
        ),
        std::cmp::Ordering::Greater => lang.pick(
            "（この renkei より新しい版です）",
            " (newer than this renkei)",
        ),
        std::cmp::Ordering::Equal => "",
    };
    line(
        format!("スキーマのバージョン: {v}（対応: {s}）{note}"),
        format!("Schema version: {v} (supported: {s}){note}"),
    );
    for (table, n) in &r.counts {
        let extra = match *table {
            "meetings" => {
                format!("{}{}", lang.pick("（開催済 ", " (held "), r.held_meetings)
                    + lang.pick("）", ")")
            }
            "next_actions" => {
                format!("{}{}", lang.pick("（未完了 ", " (open "), r.open_actions)
                    + lang.pick("）", ")")
            }
            "cases" => {
                format!(
                    "{}{}",
                    lang.pick("（対応中 ", " (followed "),
                    r.followed_cases
                ) + lang.pick("）", ")")
            }
            _ => String::new(),
        };
        line(
            format!("  {}: {n}{extra}", table_label(table, Lang::Ja)),
            format!("  {}: {n}{extra}", table_label(table, Lang::En)),
        );
    }
    let shared = if r.shared {
        lang.pick(
            "（グループ共有の setgid ディレクトリ）",
            " (a setgid directory shared by a group)",
        )
    } else {
        ""
    };
    line(
        format!("ファイルの権限{shared}:"),
        format!("File modes{shared}:"),
    );
    for f in &r.files {
        let slash = if f.is_dir { "/" } else { "" };
        line(
            format!("  {:04o} {}{slash}", f.mode, f.path.display()),
            format!("  {:04o} {}{slash}", f.mode, f.path.display()),
        );
    }
    for w in &r.warnings {
        let text = warning(w, r.shared, lang);
        line(text.clone(), text);
    }
    if let Some(wal) = &r.unread_wal {
        let text = say(
            lang,
            "check_unread_wal",
            &[("wal", wal.display().to_string())],
        );
        line(text.clone(), text);
    }
    if let Some(d) = r.derived {
        for (n, key) in [
            (d.recorded_missing, "check_recorded_missing"),
            (d.review_basis_stale, "check_basis_stale"),
            (d.last_held_stale, "check_held_stale"),
            (d.keys_lost, "check_keys_lost"),
        ] {
            let text = say(lang, key, &[("n", n.to_string())]);
            line(text.clone(), text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::backup::Access;

    #[test]
    fn every_warning_is_said_in_both_languages_as_the_mode_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("renkei.db");
        std::fs::write(&file, b"").unwrap();
        let d = dir.path().to_path_buf();
        let warnings = [
            ModeWarning::GroupAccess(file.clone(), Access::READ),
            ModeWarning::GroupAccess(file.clone(), Access::WRITE),
            ModeWarning::GroupAccess(file.clone(), Access::READ_WRITE),
            ModeWarning::GroupAccess(d.clone(), Access::READ),
            ModeWarning::GroupAccess(d.clone(), Access::WRITE),
            ModeWarning::GroupAccess(d.clone(), Access::READ_WRITE),
            ModeWarning::WorldReadable(file.clone()),
            ModeWarning::WorldWritable(file.clone()),
            ModeWarning::WorldReadable(d.clone()),
            ModeWarning::WorldWritable(d.clone()),
            ModeWarning::ReadOnlySidecar(file.clone()),
        ];
        let mut said = std::collections::HashSet::new();
        for w in &warnings {
            for lang in [Lang::Ja, Lang::En] {
                let text = warning(w, false, lang);
                assert!(!text.contains("mode_"), "a key, not words: {text}");
                assert!(said.insert(text.clone()), "said twice: {text}");
            }
        }
        // A directory that is 0755: its group can list it, not write in it.
        let text = warning(
            &ModeWarning::GroupAccess(d.clone(), Access::READ),
            false,
            Lang::Ja,
        );
        assert!(
            text.contains("中のファイル名を一覧できます（ファイルを作ったり消したりはできません"),
            "{text}"
        );
        assert!(!text.contains("読み書き"), "{text}");
        assert!(text.ends_with("chmod 700 で制限してください"), "{text}");
        let text = warning(
            &ModeWarning::GroupAccess(file, Access::READ),
            false,
            Lang::En,
        );
        assert!(text.contains("can read it, not write it"), "{text}");
        assert!(text.ends_with("restrict it with chmod 600"), "{text}");
    }
}
