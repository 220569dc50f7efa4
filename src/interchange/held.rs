//! What the records of a document's head take in memory once read: the import holds the lists
//! before the cases and the meetings (wards, agencies, bodies, yearly counts, templates) until
//! they are written, and bounds them by what they hold, not by their bytes in the file — held,
//! a list of short records takes about seven times its bytes (attack report 7, finding 24: 60 MB
//! of agencies took 446 MB).

use std::mem::size_of;
use uuid::Uuid;

use super::{AgencyRecord, BodyRecord, HistoryRecord, TemplateItem, TemplateRecord, WardRecord};

/// The bytes a value holds on the heap (its own size is its container's to count).
pub trait Held {
    fn heap(&self) -> usize;

    /// The bytes a list's element takes: its place in the list and its heap.
    fn held(&self) -> usize
    where
        Self: Sized,
    {
        size_of::<Self>() + self.heap()
    }
}

impl Held for String {
    fn heap(&self) -> usize {
        self.capacity()
    }
}

impl<T: Held> Held for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, Held::heap)
    }
}

impl<T: Held> Held for Vec<T> {
    fn heap(&self) -> usize {
        self.capacity() * size_of::<T>() + self.iter().map(Held::heap).sum::<usize>()
    }
}

macro_rules! on_the_stack {
    ($($t:ty),*) => {
        $(impl Held for $t {
            fn heap(&self) -> usize {
                0
            }
        })*
    };
}

on_the_stack!(Uuid, i64, i32, u32, bool);

/// The heap of each field of a record: every field is named (the record is taken apart), so a
/// field added to a record and not here does not compile.
macro_rules! held_fields {
    ($t:ty { $($field:ident),* $(,)? }) => {
        impl Held for $t {
            fn heap(&self) -> usize {
                let Self { $($field),* } = self;
                0 $(+ $field.heap())*
            }
        }
    };
}

held_fields!(WardRecord { uid, name, code });
held_fields!(AgencyRecord {
    uid,
    rev,
    name,
    kind,
    sites,
    note,
    municipality,
});
held_fields!(BodyRecord {
    uid,
    rev,
    ward,
    name,
    organiser,
    members,
    topics,
    expected_size,
    frequency,
    personal_info,
    kind,
    parent,
    parent_organiser,
    parent_uid,
    tier,
    municipality,
    note,
    ledger,
    review_months,
});
held_fields!(HistoryRecord {
    uid,
    rev,
    body,
    organiser,
    body_uid,
    fiscal_year,
    meetings,
    note,
});
held_fields!(TemplateItem { title, minutes });
held_fields!(TemplateRecord {
    kind,
    confidential,
    items
});

#[cfg(test)]
mod tests {
    use super::*;

    /// A record's text is counted where it is held: its capacity, and a list's places.
    #[test]
    fn a_record_holds_its_texts_and_its_lists() {
        let body = BodyRecord {
            name: "支援会議".to_owned(),
            members: vec!["a".to_owned(), "保護課".to_owned()],
            parent: Some("x".to_owned()),
            ..BodyRecord::default()
        };
        let heap = body.heap();
        assert!(heap >= "支援会議".len() + 1 + "保護課".len() + 1 + 2 * size_of::<String>());
        assert_eq!(body.held(), size_of::<BodyRecord>() + heap);
        assert_eq!(AgencyRecord::default().heap(), 0);
    }
}
