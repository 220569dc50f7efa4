//! Review drafts (下書き): a case's review begun at a meeting and not recorded — what was typed
//! in its form, kept the moment the form is left (Esc, or the app ending with it open), so that
//! quitting, a kill or a dropped SSH connection loses nothing and the next start brings it back
//! in the review screen. One per meeting, case and user: each keeps their own, a colleague's
//! never overwrites it (schema step 13). Kept in the database like everything else
//! (owner-only), never exported, never in the minutes or the case record, and removed in the
//! same transaction that records the review (`Store::review_case`), or with its meeting or case.
//!
//! Every other form (a capture line of a live meeting, a correction, the case form) is kept the
//! same way while it is typed ([`FormDraft`]): the fields changed from what it opened with, per
//! user, form and window of renkei ([`this_process`]), written when the typing pauses and
//! before the form is saved, removed once it is saved or left with Esc, put back when the same
//! form opens again. Two windows of one login (two SSH sessions, two terminals) each keep their
//! own draft of the same form: neither writes over the other's, nor lets it go by saving. A
//! draft whose window has ended (killed, its connection dropped, the machine restarted) is
//! taken up by the next window that opens its form — never one of a window still running.

use std::sync::OnceLock;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{Result, Store};
use crate::domain::case::CaseStatus;

/// What a review form holds, as typed (a date as written: `3/8`, `3か月後`; read when the review
/// is recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed {
    pub lead: String,
    pub policy: String,
    pub next: String,
    pub note: String,
    pub reason: String,
    pub evaluation: String,
    pub transferred_to: String,
}

/// A review begun and not recorded: the meeting, the case, the status chosen, what was typed,
/// and the revisions its form opened on — the case's and its review's here, as
/// `store::cases::Seen` holds them (numbers here: drafts know nothing of cases) — None: a draft
/// kept by a renkei that did not keep them.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub meeting: i64,
    pub case: i64,
    pub status: CaseStatus,
    pub typed: Typed,
    pub seen: Option<(i64, Option<i64>)>,
}

impl Store {
    /// Keeps a review's draft (in place of this user's one before, for its meeting and case).
    pub fn keep_review_draft(&mut self, draft: &Draft) -> Result<()> {
        let t = &draft.typed;
        super::limits::texts(&[
            ("lead_agency", &t.lead),
            ("policy", &t.policy),
            ("next_review", &t.next),
            ("note", &t.note),
            ("reason", &t.reason),
            ("evaluation", &t.evaluation),
            ("transferred_to", &t.transferred_to),
        ])?;
        let now = self.now_text();
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        tx.prepare_cached(
            "INSERT INTO review_drafts (meeting_id, case_id, status, lead_agency, policy,
                 next_review, note, closure_reason, evaluation, transferred_to, typed_by, typed_at,
                 case_rev, review_rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (meeting_id, case_id, typed_by) DO UPDATE SET status = excluded.status,
                 lead_agency = excluded.lead_agency, policy = excluded.policy,
                 next_review = excluded.next_review, note = excluded.note,
                 closure_reason = excluded.closure_reason, evaluation = excluded.evaluation,
                 transferred_to = excluded.transferred_to, typed_at = excluded.typed_at,
                 case_rev = excluded.case_rev, review_rev = excluded.review_rev",
        )?
        .execute(params![
            draft.meeting,
            draft.case,
            draft.status.code(),
            t.lead,
            t.policy,
            t.next,
            t.note,
            t.reason,
            t.evaluation,
            t.transferred_to,
            user,
            now,
            draft.seen.map(|s| s.0),
            draft.seen.and_then(|s| s.1),
        ])?;
        tx.commit()?;
        Ok(())
    }

    /// This user's drafts of a meeting's reviews, by case (a colleague's are theirs).
    pub fn review_drafts(&self, meeting: i64) -> Result<Vec<Draft>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT case_id, status, lead_agency, policy, next_review, note, closure_reason,
                    evaluation, transferred_to, case_rev, review_rev
             FROM review_drafts WHERE meeting_id = ?1 AND typed_by = ?2 ORDER BY case_id",
        )?;
        let rows = stmt.query_map(params![meeting, self.user()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                Typed {
                    lead: r.get(2)?,
                    policy: r.get(3)?,
                    next: r.get(4)?,
                    note: r.get(5)?,
                    reason: r.get(6)?,
                    evaluation: r.get(7)?,
                    transferred_to: r.get(8)?,
                },
                match (r.get::<_, Option<i64>>(9)?, r.get(10)?) {
                    (Some(case_rev), review_rev) => Some((case_rev, review_rev)),
                    (None, _) => None,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (case, status, typed, seen) = row?;
            out.push(Draft {
                meeting,
                case,
                status: status.parse().map_err(super::StoreError::Invalid)?,
                typed,
                seen,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// This user's draft of a review let go (`x` in the review's list): a draft that will not
    /// be recorded — its case ended meanwhile, or the review is not to be made — is not kept.
    pub fn forget_review_draft(&mut self, meeting: i64, case: i64) -> Result<()> {
        let user = self.user().to_owned();
        let tx = self.write_transaction()?;
        forget(&tx, meeting, case, &user)?;
        tx.commit()?;
        Ok(())
    }
}

/// The draft of a review once it is recorded: gone, in the recording's transaction — the
/// recorder's own; a colleague's stays theirs (their form says the case was reviewed meanwhile).
pub(crate) fn forget(conn: &Connection, meeting: i64, case: i64, user: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM review_drafts WHERE meeting_id = ?1 AND case_id = ?2 AND typed_by = ?3",
    )?
    .execute(params![meeting, case, user])?;
    Ok(())
}

/// What is typed in a form not saved yet: which form (its name, e.g. `meeting 12 entry note 5`),
/// the meeting or case it belongs to, the text it corrects (a correction's conflict check), and
/// each field changed from what it opened with: (index, label, as typed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormDraft {
    #[serde(skip)]
    pub form: String,
    #[serde(skip)]
    pub meeting: Option<i64>,
    #[serde(skip)]
    pub case: Option<i64>,
    /// The window that kept it ([`this_process`]; '' for a draft kept before schema step 25).
    #[serde(skip)]
    pub process: String,
    #[serde(default)]
    pub original: Option<String>,
    /// The revision of the record the form opened on (`Form::loaded`).
    #[serde(default)]
    pub loaded: Option<i64>,
    /// What each changed field held when the form opened (`Form::opened_of_changed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opened: Vec<(usize, String)>,
    pub fields: Vec<(usize, String, String)>,
}

impl Store {
    /// Keeps what is typed in a form, in place of this window's draft of it before — and of the
    /// draft of an ended window this one took up when the form opened ([`Store::form_draft`]).
    pub fn keep_form_draft(&mut self, draft: &FormDraft) -> Result<()> {
        for (_, label, typed) in &draft.fields {
            super::limits::texts(&[(label.as_str(), typed.as_str())])?;
        }
        for (_, opened) in &draft.opened {
            super::limits::texts(&[("opened", opened.as_str())])?;
        }
        if let Some(original) = &draft.original {
            super::limits::texts(&[("original", original.as_str())])?;
        }
        let fields = serde_json::to_string(draft)
            .map_err(|e| super::StoreError::Invalid(format!("draft: {e}")))?;
        let now = self.now_text();
        let user = self.user().to_owned();
        let process = self.process().to_owned();
        let taken_up = self.taken_up(&draft.form);
        let tx = self.write_transaction()?;
        if let Some(ended) = &taken_up {
            forget_form(&tx, &user, &draft.form, ended, None)?;
        }
        tx.prepare_cached(
            "INSERT INTO form_drafts (typed_by, form, process, meeting_id, case_id, fields, typed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (typed_by, form, process) DO UPDATE SET meeting_id = excluded.meeting_id,
                 case_id = excluded.case_id, fields = excluded.fields, typed_at = excluded.typed_at",
        )?
        .execute(params![
            user,
            draft.form,
            process,
            draft.meeting,
            draft.case,
            fields,
            now
        ])?;
        tx.commit()?;
        Ok(())
    }

    /// This user's draft of a form to put back in it as it opens: this window's own, else the
    /// newest one kept by a window that has ended — taken up: this window's next keeping or
    /// letting go of the form's draft replaces it. A draft of a window still running is its own.
    pub fn form_draft(&self, form: &str) -> Result<Option<FormDraft>> {
        let found = self
            .form_drafts_where("AND form = ?2", form)?
            .into_iter()
            .next();
        if let Some(draft) = &found
            && draft.process != self.process()
        {
            self.take_up(form, &draft.process);
        }
        Ok(found)
    }

    /// This user's drafts a window may put back, newest first, one per form: this window's own
    /// and those of windows that have ended (see [`Store::form_draft`]).
    pub fn form_drafts(&self) -> Result<Vec<FormDraft>> {
        self.form_drafts_where("AND ?2 = ?2", "")
    }

    fn form_drafts_where(&self, condition: &str, form: &str) -> Result<Vec<FormDraft>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT form, meeting_id, case_id, fields, process FROM form_drafts
             WHERE typed_by = ?1 {condition} ORDER BY typed_at DESC, form"
        ))?;
        let rows = stmt.query_map(params![self.user(), form], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out: Vec<FormDraft> = Vec::new();
        for row in rows {
            let (form, meeting, case, fields, process) = row?;
            let own = process == self.process();
            if !own && running(&process) {
                continue;
            }
            // A draft that cannot be read (written by another version) is no draft.
            let Ok(draft) = serde_json::from_str::<FormDraft>(&fields) else {
                continue;
            };
            let draft = FormDraft {
                form,
                meeting,
                case,
                process,
                ..draft
            };
            // One per form: this window's own before an ended one's, else the newest.
            match out.iter_mut().find(|d| d.form == draft.form) {
                Some(kept) if own => *kept = draft,
                Some(_) => {}
                None => out.push(draft),
            }
        }
        Ok(out)
    }

    /// This window's draft of a form is done with (the form left with Esc; a form saved lets its
    /// draft go in the save's own transaction, `Store::saving_form`), and the ended window's
    /// draft it took up.
    pub fn forget_form_draft(&mut self, form: &str) -> Result<()> {
        let user = self.user().to_owned();
        let process = self.process().to_owned();
        let taken_up = self.taken_up(form);
        let tx = self.write_transaction()?;
        forget_form(&tx, &user, form, &process, taken_up.as_deref())?;
        tx.commit()?;
        Ok(())
    }
}

/// `user`'s draft of `form` kept by the window `process`, and the one of the ended window it
/// took up (`taken_up`), gone (in the caller's transaction).
pub(crate) fn forget_form(
    conn: &Connection,
    user: &str,
    form: &str,
    process: &str,
    taken_up: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM form_drafts WHERE typed_by = ?1 AND form = ?2 AND process IN (?3, ?4)",
    )?
    .execute(params![user, form, process, taken_up])?;
    Ok(())
}

/// This window of renkei, as its drafts are kept: the machine's boot (Linux's `boot_id`), the
/// process id, and when the process started (in the kernel's ticks since boot) — so that a
/// process of a later boot, or a later one given the same id, is not taken for it. Where the
/// system does not tell the boot and the start (not Linux), the process id alone.
pub fn this_process() -> &'static str {
    static PROCESS: OnceLock<String> = OnceLock::new();
    PROCESS.get_or_init(|| {
        let pid = std::process::id();
        format!(
            "{}:{pid}:{}",
            boot().unwrap_or_default(),
            started(pid).unwrap_or_default()
        )
    })
}

/// Whether the window that kept a draft (`this_process` of that window) is running now.
/// Unknown ('', a draft kept before schema step 25), another boot or another machine, or
/// another process under its id: ended.
pub fn running(process: &str) -> bool {
    if process == this_process() {
        return true;
    }
    let mut parts = process.split(':');
    let (Some(boot_then), Some(pid), Some(start), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    if boot_then != boot().unwrap_or_default() {
        return false;
    }
    if !start.is_empty() {
        return started(pid).as_deref() == Some(start);
    }
    // Without a start to compare (not Linux): whether a process has the id.
    i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .is_some_and(|pid| {
            !matches!(
                rustix::process::test_kill_process(pid),
                Err(rustix::io::Errno::SRCH)
            )
        })
}

/// This boot of the machine (Linux), read once.
fn boot() -> Option<String> {
    static BOOT: OnceLock<Option<String>> = OnceLock::new();
    BOOT.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .ok()
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty() && !id.contains(':'))
    })
    .clone()
}

/// When the process `pid` started, in the kernel's ticks since boot (field 22 of
/// `/proc/PID/stat`, counted after the command's name, which may hold spaces and parentheses).
fn started(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name
        .split_whitespace()
        .nth(19)
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(meeting: i64, case: i64, note: &str) -> Draft {
        Draft {
            meeting,
            case,
            status: CaseStatus::Monitoring,
            typed: Typed {
                note: note.to_owned(),
                ..Typed::default()
            },
            seen: None,
        }
    }

    /// Task formsafe 2: a colleague typing a review of the same case at the same meeting keeps
    /// their own draft; neither overwrites the other, and a review recorded lets go of its
    /// recorder's only. (Before, the last typed won: seen failing with sato's note replaced.)
    #[test]
    fn each_user_keeps_their_own_draft() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let case: i64 = store
            .conn()
            .query_row("SELECT MIN(id) FROM cases", [], |r| r.get(0))
            .unwrap();
        store
            .keep_review_draft(&draft(meeting, case, "佐藤のメモ"))
            .unwrap();
        store.set_user("suzuki");
        store
            .keep_review_draft(&draft(meeting, case, "鈴木のメモ"))
            .unwrap();
        assert_eq!(
            store.review_drafts(meeting).unwrap()[0].typed.note,
            "鈴木のメモ"
        );
        store.set_user("sato");
        let mine = store.review_drafts(meeting).unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].typed.note, "佐藤のメモ");
        // sato's review recorded: sato's draft goes, suzuki's stays.
        forget(store.conn(), meeting, case, "sato").unwrap();
        assert!(store.review_drafts(meeting).unwrap().is_empty());
        store.set_user("suzuki");
        assert_eq!(store.review_drafts(meeting).unwrap().len(), 1);
    }

    /// A form's draft: kept per user and form, in place of the one before, read back as typed,
    /// let go.
    #[test]
    fn a_form_draft_is_kept_per_user_and_form() {
        let (_dir, mut store) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&store, "支援方針検討会議");
        let name = format!("meeting {meeting} entry note 3 new");
        let typed = |text: &str| FormDraft {
            form: name.clone(),
            meeting: Some(meeting),
            case: None,
            process: this_process().to_owned(),
            original: None,
            loaded: Some(7),
            opened: vec![(0, "面談".to_owned())],
            fields: vec![(0, "本文".to_owned(), text.to_owned())],
        };
        store.keep_form_draft(&typed("面談の")).unwrap();
        store.keep_form_draft(&typed("面談の日程\n調整中")).unwrap();
        assert_eq!(
            store.form_draft(&name).unwrap(),
            Some(typed("面談の日程\n調整中"))
        );
        store.set_user("suzuki");
        assert_eq!(store.form_draft(&name).unwrap(), None);
        store.keep_form_draft(&typed("鈴木")).unwrap();
        store.set_user("sato");
        assert_eq!(store.form_drafts().unwrap().len(), 1);
        store.forget_form_draft(&name).unwrap();
        assert_eq!(store.form_draft(&name).unwrap(), None);
        store.set_user("suzuki");
        assert_eq!(store.form_draft(&name).unwrap(), Some(typed("鈴木")));
    }

    /// A draft of the note form of `meeting`, holding `text`.
    fn note(meeting: i64, text: &str) -> FormDraft {
        FormDraft {
            form: format!("meeting {meeting} entry note 3 new"),
            meeting: Some(meeting),
            fields: vec![(0, "本文".to_owned(), text.to_owned())],
            ..FormDraft::default()
        }
    }

    fn typed(draft: Option<FormDraft>) -> Option<String> {
        draft.map(|d| d.fields[0].2.clone())
    }

    /// A second window of renkei on the same database, of the same login: a process that has
    /// ended as far as the first can tell (another boot).
    fn second_window(first: &Store) -> Store {
        let mut second = Store::open(first.path(), first.clock().clone()).unwrap();
        second.set_user(first.user());
        second.set_process("another-boot:4242:17");
        second
    }

    /// The form `name` saved in `store`'s window: a write made as its save (its draft goes).
    fn save(store: &mut Store, name: &str) {
        store.saving_form(Some(name.to_owned()));
        store.write_transaction().unwrap().commit().unwrap();
        store.saving_form(None);
    }

    /// Two windows of one login typing in the same form each keep their own draft: the
    /// second's keeping does not write over the first's, and its save does not let the first's
    /// go. (Before, one draft per login and form: the first window's text was replaced by the
    /// second's, and gone with its save — lost if the first window was then killed.)
    #[test]
    fn two_windows_of_one_login_keep_their_own_drafts() {
        let (_dir, mut first) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&first, "支援方針検討会議");
        let mut second = second_window(&first);
        let name = note(meeting, "").form;
        first
            .keep_form_draft(&note(meeting, "一つ目の窓のメモ"))
            .unwrap();
        second
            .keep_form_draft(&note(meeting, "二つ目の窓"))
            .unwrap();
        // The first window runs: its draft is its own, not offered to the second.
        assert_eq!(
            typed(second.form_draft(&name).unwrap()).as_deref(),
            Some("二つ目の窓")
        );
        assert_eq!(second.form_drafts().unwrap().len(), 1);
        assert_eq!(
            typed(first.form_draft(&name).unwrap()).as_deref(),
            Some("一つ目の窓のメモ")
        );
        // The second saves its form: its draft goes in the save's transaction, the first's stays.
        save(&mut second, &name);
        assert_eq!(second.form_draft(&name).unwrap(), None);
        assert_eq!(
            typed(first.form_draft(&name).unwrap()).as_deref(),
            Some("一つ目の窓のメモ")
        );
        // Esc in the second lets nothing of the first's go either.
        second.keep_form_draft(&note(meeting, "また")).unwrap();
        second.forget_form_draft(&name).unwrap();
        assert!(first.form_draft(&name).unwrap().is_some());
    }

    /// A window that ended (killed, its connection dropped) left a draft: the next window that
    /// opens the form gets it, its own before it if it has one, and takes it up — its next
    /// keeping replaces the ended window's, so the text is offered once, not again and again.
    #[test]
    fn an_ended_windows_draft_is_taken_up_by_the_next() {
        let (_dir, mut now) = crate::store::setup::tests::store();
        let meeting = crate::store::setup::tests::planned(&now, "支援方針検討会議");
        let name = note(meeting, "").form;
        let mut ended = second_window(&now);
        ended
            .keep_form_draft(&note(meeting, "落ちた窓のメモ"))
            .unwrap();
        drop(ended);
        assert_eq!(
            typed(now.form_drafts().unwrap().into_iter().next()).as_deref(),
            Some("落ちた窓のメモ")
        );
        assert_eq!(
            typed(now.form_draft(&name).unwrap()).as_deref(),
            Some("落ちた窓のメモ")
        );
        now.keep_form_draft(&note(meeting, "落ちた窓のメモ、続き"))
            .unwrap();
        let rows: i64 = now
            .conn()
            .query_row("SELECT COUNT(*) FROM form_drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            rows, 1,
            "the ended window's draft taken up, not kept beside"
        );
        assert_eq!(
            typed(now.form_draft(&name).unwrap()).as_deref(),
            Some("落ちた窓のメモ、続き")
        );
        // A draft kept before schema step 25 (no window) is an ended window's.
        now.conn()
            .execute(
                "UPDATE form_drafts SET process = '', fields = replace(fields, '続き', '古い')",
                [],
            )
            .unwrap();
        assert_eq!(
            typed(now.form_draft(&name).unwrap()).as_deref(),
            Some("落ちた窓のメモ、古い")
        );
        // Its own draft first; saved, the ended one it took up goes with it.
        save(&mut now, &name);
        assert_eq!(now.form_draft(&name).unwrap(), None);
    }

    /// Whether a window runs: this one; a process running now under its id and start; not one
    /// of another boot, nor another process given the id of one that ended (its start differs),
    /// nor one that has ended, nor a draft with no window.
    #[test]
    fn a_window_runs_while_its_process_does() {
        assert!(running(this_process()));
        assert!(!running(""));
        assert!(!running("garbage"));
        if boot().is_none() {
            return; // not Linux: the process id alone, untested here.
        }
        let mut child = std::process::Command::new("cat")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let start = started(pid).unwrap();
        let window = format!("{}:{pid}:{start}", boot().unwrap());
        assert!(running(&window));
        assert!(!running(&format!("{}:{pid}:{}1", boot().unwrap(), start)));
        assert!(!running(&format!("another-boot:{pid}:{start}")));
        drop(child.stdin.take());
        child.wait().unwrap();
        assert!(!running(&window));
    }

    /// A draft kept by the renkei before one that remembers the revision a form opened on
    /// still reads (its form then opens on the record as it is now, as it did).
    #[test]
    fn a_draft_kept_before_loaded_revisions_still_reads() {
        let old = r#"{"original":null,"fields":[[5,"援助方針","方針"]]}"#;
        let draft: FormDraft = serde_json::from_str(old).unwrap();
        assert_eq!(draft.loaded, None);
        assert!(draft.opened.is_empty());
        assert_eq!(
            draft.fields,
            vec![(5, "援助方針".to_owned(), "方針".to_owned())]
        );
    }
}
