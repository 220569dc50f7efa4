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
/// The record is written into a buffer kept for the thread and hashed at once: written into
/// the hasher, its pieces of a few bytes each went through the hasher's own buffering (a tenth
/// of an export's time, 2026-12-04).
pub fn seal(meeting: &MeetingRecord) -> String {
    thread_local! {
        static WRITTEN: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let digest = WRITTEN.with_borrow_mut(|bytes| {
        bytes.clear();
        SEALING.with(|s| s.set(true));
        let written = serde_json::to_writer(&mut *bytes, meeting);
        SEALING.with(|s| s.set(false));
        let digest = written.is_ok().then(|| Sha256::digest(bytes.as_slice()));
        // A record of megabytes (a city's longest) does not keep its buffer for the thread.
        if bytes.capacity() > 1 << 20 {
            *bytes = Vec::new();
        }
        digest
    });
    // A record always serializes; should it not, no seal can match it.
    let Some(digest) = digest else {
        return String::new();
    };
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
