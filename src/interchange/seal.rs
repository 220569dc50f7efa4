//! The seal of approved minutes: a SHA-256 digest of the meeting as written in the file (every
//! field, entry, change and the approval's who and when), taken when renkei writes the export.
//! An import recomputes it: a file whose approved meeting was edited after the export no longer
//! matches and is refused. It detects edits; it cannot stop someone who recomputes the digest
//! (there is no secret key), which README says.

use sha2::{Digest, Sha256};
use std::cell::Cell;

use super::MeetingRecord;

thread_local! {
    /// Set while a meeting is serialized for its seal, which covers everything but itself.
    static SEALING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the approval's seal is left out of what is written: when there is none, and while
/// the seal itself is being computed (the record is hashed as it is, without a copy).
pub(super) fn leave_out_seal(seal: &Option<String>) -> bool {
    seal.is_none() || SEALING.with(Cell::get)
}

/// `sha256:<hex>` of the meeting as serialized, its seal left out.
///
/// The record is written through a buffer of 64 KiB into the hasher: serde_json writes it in
/// pieces of a few bytes, each of which went through the hasher's own block buffering (a tenth
/// of an export's time, 2026-12-04); a record of megabytes is never held a second time.
pub fn seal(meeting: &MeetingRecord) -> String {
    use std::io::Write as _;
    let mut hasher = Sha256::new();
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut hasher);
    SEALING.with(|s| s.set(true));
    let written = serde_json::to_writer(&mut buffered, meeting);
    SEALING.with(|s| s.set(false));
    let flushed = buffered.flush();
    drop(buffered);
    if written.is_err() || flushed.is_err() {
        // A record always serializes; should it not, no seal can match it.
        return String::new();
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for b in digest {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::{AgendaRecord, ApprovalRecord};

    fn approved() -> MeetingRecord {
        MeetingRecord {
            body: "支援会議".to_owned(),
            date: "2026-11-03".to_owned(),
            approval: Some(ApprovalRecord {
                at: "2026-11-04T09:00:00+09:00".to_owned(),
                by: "sato".to_owned(),
                seal: None,
            }),
            agenda: vec![AgendaRecord {
                title: "協議".to_owned(),
                decisions: vec!["訪問は週1回".into()],
                ..AgendaRecord::default()
            }],
            ..MeetingRecord::default()
        }
    }

    #[test]
    fn the_seal_covers_everything_but_itself() {
        let m = approved();
        let s = seal(&m);
        assert!(s.starts_with("sha256:") && s.len() == 7 + 64, "{s}");
        let mut sealed = m.clone();
        if let Some(a) = &mut sealed.approval {
            a.seal = Some(s.clone());
        }
        assert_eq!(seal(&sealed), s, "the seal is not part of what it seals");
        let json = serde_json::to_string(&sealed).unwrap();
        assert!(json.contains(&s), "and it is written, outside of sealing");
        let mut forged = m.clone();
        forged.agenda[0].decisions[0].text = "訪問は不要".to_owned();
        assert_ne!(seal(&forged), s);
        let mut other_approver = m.clone();
        if let Some(a) = &mut other_approver.approval {
            a.by = "suzuki".to_owned();
        }
        assert_ne!(seal(&other_approver), s);
        let mut revised = m;
        revised.rev = Some(7);
        assert_ne!(seal(&revised), s, "revisions are sealed as written");
    }
}
