//! Values a file may write in more than one way: an external id (a string or a whole number),
//! notes (one string, or a list of entries), an entry or an issue (a string, or an object with its
//! uid and who wrote it). Objects stay strict: a field renkei does not know is an error.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

use super::{EntryRecord, IssueRecord};

/// A record's reference in the system that wrote the file: kept as it came, never required to be
/// a number. Two ids are the same id when they read the same: `1` and `"1"` name one record (a
/// spreadsheet-made file mixes them; two meetings of one sitting were filed, and a meeting's
/// link to case `1` missed the case `"1"`: attack on the imports, 2026-12-05).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ExternalId {
    Number(i64),
    Text(String),
}

impl ExternalId {
    /// The same id written the other way, if it has one: `"1"` for `1`, `1` for `"1"` (not for
    /// `"01"` or `" 1"`, which read otherwise).
    pub fn twin(&self) -> Option<ExternalId> {
        match self {
            ExternalId::Number(n) => Some(ExternalId::Text(n.to_string())),
            ExternalId::Text(t) => t
                .parse::<i64>()
                .ok()
                .filter(|n| n.to_string() == *t)
                .map(ExternalId::Number),
        }
    }
}

impl PartialEq for ExternalId {
    fn eq(&self, other: &ExternalId) -> bool {
        match (self, other) {
            (ExternalId::Number(a), ExternalId::Number(b)) => a == b,
            (ExternalId::Text(a), ExternalId::Text(b)) => a == b,
            (ExternalId::Number(n), ExternalId::Text(t))
            | (ExternalId::Text(t), ExternalId::Number(n)) => *t == n.to_string(),
        }
    }
}

impl Eq for ExternalId {}

impl std::hash::Hash for ExternalId {
    /// As the id reads, so that `1` and `"1"` hash alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            ExternalId::Number(n) => n.to_string().hash(state),
            ExternalId::Text(t) => t.hash(state),
        }
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternalId::Number(n) => write!(f, "{n}"),
            ExternalId::Text(t) => f.write_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for ExternalId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Id;
        impl Visitor<'_> for Id {
            type Value = ExternalId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a whole number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ExternalId, E> {
                Ok(ExternalId::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ExternalId, E> {
                i64::try_from(v).map(ExternalId::Number).map_err(|_| {
                    E::custom(crate::i18n::said(
                        "import_id_out_of_range",
                        &[("value", v.to_string())],
                    ))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExternalId, E> {
                Ok(ExternalId::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Id)
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct EntryFields {
    uid: Option<Uuid>,
    rev: Option<i64>,
    text: String,
    case: Option<ExternalId>,
    by: String,
    at: Option<String>,
    deleted_at: Option<String>,
}

impl<'de> Deserialize<'de> for EntryRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = EntryRecord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an entry object {uid, text, by, at}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EntryRecord, E> {
                Ok(EntryRecord::from(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EntryRecord, A::Error> {
                let f = EntryFields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(EntryRecord {
                    uid: f.uid,
                    rev: f.rev,
                    text: f.text,
                    case: f.case,
                    by: f.by,
                    at: f.at,
                    deleted_at: f.deleted_at,
                })
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct IssueFields {
    uid: Option<Uuid>,
    rev: Option<i64>,
    category: String,
    case: Option<ExternalId>,
    by: String,
    at: Option<String>,
    deleted_at: Option<String>,
}

impl<'de> Deserialize<'de> for IssueRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Issue;
        impl<'de> Visitor<'de> for Issue {
            type Value = IssueRecord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an issue object {uid, category, case}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IssueRecord, E> {
                Ok(IssueRecord::from(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<IssueRecord, A::Error> {
                let f = IssueFields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(IssueRecord {
                    uid: f.uid,
                    rev: f.rev,
                    category: f.category,
                    case: f.case,
                    by: f.by,
                    at: f.at,
                    deleted_at: f.deleted_at,
                })
            }
        }
        deserializer.deserialize_any(Issue)
    }
}

/// Notes or decisions: one string (one entry; empty for none), or a list of entries.
pub(super) fn entries<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<EntryRecord>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<EntryRecord>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a list of entries")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<EntryRecord>, E> {
            Ok(if v.is_empty() {
                Vec::new()
            } else {
                vec![EntryRecord::from(v)]
            })
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<EntryRecord>, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<EntryRecord>, A::Error> {
            crate::limits::read_entries(seq)
        }
    }
    deserializer.deserialize_any(Entries)
}
