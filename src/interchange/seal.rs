//! The seal of approved minutes: a SHA-256 digest of the meeting as written in the file (every
//! field, entry, change and the approval's who and when), taken when renkei writes the export.
//! An import recomputes it: a file whose approved meeting was edited after the export no longer
//! matches and is refused. It detects edits; it cannot stop someone who recomputes the digest
//! (there is no secret key), which README says.

use sha2::{Digest, Sha256};

use super::MeetingRecord;

/// `sha256:<hex>` of the meeting without the parts that are not content: revisions (they count
/// changes, they are not changes), its external id, and the seal itself.
pub fn seal(meeting: &MeetingRecord) -> String {
    let mut m = meeting.clone();
    m.id = None;
    m.rev = None;
    if let Some(a) = &mut m.approval {
        a.seal = None;
    }
    for a in &mut m.attendees {
        a.rev = None;
    }
    for item in &mut m.agenda {
        item.rev = None;
        for e in item.notes.iter_mut().chain(item.decisions.iter_mut()) {
            e.rev = None;
        }
    }
    for r in &mut m.roles {
        r.rev = None;
    }
    for a in &mut m.actions {
        a.rev = None;
    }
    for i in &mut m.issues {
        i.rev = None;
    }
    let bytes = serde_json::to_vec(&m).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
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
    fn the_seal_follows_the_content_and_not_the_revisions() {
        let m = approved();
        let s = seal(&m);
        assert!(s.starts_with("sha256:") && s.len() == 7 + 64, "{s}");
        let mut revised = m.clone();
        revised.rev = Some(7);
        revised.agenda[0].decisions[0].rev = Some(8);
        assert_eq!(seal(&revised), s);
        let mut forged = m.clone();
        forged.agenda[0].decisions[0].text = "訪問は不要".to_owned();
        assert_ne!(seal(&forged), s);
        let mut other_approver = m;
        if let Some(a) = &mut other_approver.approval {
            a.by = "suzuki".to_owned();
        }
        assert_ne!(seal(&other_approver), s);
    }
}
