//! The vocabulary of cases (事例): where a case stands, the person's consent, the fixed scale of
//! risk and urgency, and the rules each kind of body follows when a case is shared at its
//! meetings (kept as data: fixtures/case_rules.toml).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use super::model::coded_enum;
use crate::i18n::Lang;

coded_enum!(
    /// Where a case stands: taken on (受理), supported (支援中), watched (見守り), or ended —
    /// closed (終結), suspended (中断) or transferred (移管).
    CaseStatus, "case status" {
        Open => "open",
        Active => "active",
        Monitoring => "monitoring",
        Closed => "closed",
        Suspended => "suspended",
        Transferred => "transferred",
    }
);

coded_enum!(
    /// The person's consent to share the case (本人同意: 有 / 無 / 未確認).
    Consent, "consent" {
        Given => "given",
        NotGiven => "not_given",
        Unknown => "unknown",
    }
);

coded_enum!(
    /// Risk (危険度) and urgency (緊急度): 高・中・低.
    Level, "level" {
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

impl CaseStatus {
    /// A change of status from `from` to `to` reopens the case: it had ended and is followed
    /// again. The one definition of a reopening — the ledger's and the home screen's SQL
    /// (`store::cases::reopened_on!`, checked against this) and the report's history.
    pub fn reopens(from: CaseStatus, to: CaseStatus) -> bool {
        from.is_ended() && !to.is_ended()
    }

    /// Closed, suspended or transferred: the case is no longer followed.
    pub fn is_ended(self) -> bool {
        matches!(
            self,
            CaseStatus::Closed | CaseStatus::Suspended | CaseStatus::Transferred
        )
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            CaseStatus::Open => ("受理", "open"),
            CaseStatus::Active => ("支援中", "active"),
            CaseStatus::Monitoring => ("見守り", "monitoring"),
            CaseStatus::Closed => ("終結", "closed"),
            CaseStatus::Suspended => ("中断", "suspended"),
            CaseStatus::Transferred => ("移管", "transferred"),
        };
        lang.pick(ja, en)
    }

    /// The word a review at a meeting gives the status it decides (継続 / 見守り / 終結 / 中断 /
    /// 移管): "支援中" decided again at a review is "継続".
    pub fn review_label(self, lang: Lang) -> &'static str {
        match self {
            CaseStatus::Active => lang.pick("継続", "continued"),
            other => other.label(lang),
        }
    }

    /// The statuses a case may be given while it is followed (ending it is a closure).
    pub const FOLLOWED: [CaseStatus; 3] =
        [CaseStatus::Open, CaseStatus::Active, CaseStatus::Monitoring];

    /// The ways a case ends.
    pub const ENDINGS: [CaseStatus; 3] = [
        CaseStatus::Closed,
        CaseStatus::Suspended,
        CaseStatus::Transferred,
    ];

    /// A status as typed: its code, or its Japanese or English word.
    pub fn parse_loose(text: &str) -> Option<CaseStatus> {
        let t = text.trim();
        CaseStatus::ALL.iter().copied().find(|s| {
            s.code() == t || s.label(Lang::Ja) == t || s.label(Lang::En).eq_ignore_ascii_case(t)
        })
    }
}

impl Consent {
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Consent::Given => ("有", "given"),
            Consent::NotGiven => ("無", "not given"),
            Consent::Unknown => ("未確認", "unknown"),
        };
        lang.pick(ja, en)
    }

    /// Consent as typed: its code, 有/無/未確認, yes/no.
    pub fn parse_loose(text: &str) -> Option<Consent> {
        let t = text.trim();
        match t {
            "有" | "あり" | "同意あり" | "yes" | "y" => Some(Consent::Given),
            "無" | "なし" | "同意なし" | "no" | "n" => Some(Consent::NotGiven),
            "未確認" | "?" | "" => Some(Consent::Unknown),
            _ => Consent::ALL
                .iter()
                .copied()
                .find(|c| c.code() == t || c.label(Lang::En).eq_ignore_ascii_case(t)),
        }
    }
}

impl Level {
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Level::High => ("高", "high"),
            Level::Medium => ("中", "medium"),
            Level::Low => ("低", "low"),
        };
        lang.pick(ja, en)
    }

    /// The level in one character, where a column has no room for its word: 高/中/低, H/M/L.
    pub fn mark(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Level::High => ("高", "H"),
            Level::Medium => ("中", "M"),
            Level::Low => ("低", "L"),
        };
        lang.pick(ja, en)
    }

    /// A level as typed or as older records hold it: its code, 高/中/低 (full width too),
    /// high/medium/low in any case; anything else is no level.
    pub fn parse_loose(text: &str) -> Option<Level> {
        let t = crate::domain::calendar::fold_width(text.trim()).to_ascii_lowercase();
        match t.as_str() {
            "高" | "h" | "high" => Some(Level::High),
            "中" | "m" | "medium" | "mid" => Some(Level::Medium),
            "低" | "l" | "low" => Some(Level::Low),
            _ => None,
        }
    }

    /// A stored level (a code, or free text from before cases had a scale) as a reader sees it:
    /// the word of a known level, the text itself otherwise.
    pub fn show(text: &str, lang: Lang) -> String {
        match text.parse::<Level>() {
            Ok(level) => level.label(lang).to_owned(),
            Err(_) => text.to_owned(),
        }
    }
}

/// How one kind of body shares a case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    pub kind: String,
    /// Sharing needs the person's recorded consent.
    pub consent: bool,
    /// The legal basis of sharing without consent (or the consent the body relies on).
    pub basis: String,
    pub basis_en: String,
    /// Former wordings of `basis` that meetings stored before still hold (the 要対協's
    /// 児童福祉法第25条の2 until session 3): read as `basis`, in English as `basis_en`. The text a
    /// meeting stored is never rewritten: its minutes say what was said then.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The body reviews a ledger of cases (進行管理台帳).
    #[serde(default)]
    pub ledger: bool,
    /// How many months after this kind of body discussed a case it is looked at again.
    #[serde(default)]
    pub review_months: Option<u32>,
}

impl KindRule {
    pub fn basis(&self, lang: Lang) -> &str {
        lang.pick(&self.basis, &self.basis_en)
    }
}

/// How often a case is looked at again (`[review]` of the rules): by its risk, else `months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRule {
    pub months: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for ReviewRule {
    fn default() -> Self {
        ReviewRule {
            months: 3,
            high: 1,
            medium: 3,
            low: 6,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    kinds: Vec<KindRule>,
    #[serde(default)]
    review: ReviewRule,
}

/// The rules of every kind of body, by kind; `default` for the rest.
#[derive(Debug, Clone)]
pub struct CaseRules {
    by_kind: HashMap<String, KindRule>,
    default: KindRule,
    review: ReviewRule,
}

/// The rules compiled in (fixtures/case_rules.toml).
pub const RULES_TOML: &str = include_str!("../../fixtures/case_rules.toml");

impl CaseRules {
    /// Reads rules from TOML; the error names the line (and a misspelt key).
    pub fn parse(text: &str) -> Result<CaseRules, String> {
        let file: RulesFile = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace('\n', " ");
            match e.span() {
                Some(span) => {
                    let line = text.as_bytes()[..span.start.min(text.len())]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    format!("line {line}: {message}")
                }
                None => message,
            }
        })?;
        let mut by_kind = HashMap::new();
        let mut default = None;
        for rule in file.kinds {
            let kind = rule.kind.trim().to_owned();
            if kind.is_empty() {
                return Err("a rule without a kind".to_owned());
            }
            if kind == "default" {
                default = Some(rule);
            } else if by_kind.insert(kind.clone(), rule).is_some() {
                return Err(format!("kind '{kind}' has two rules"));
            }
        }
        let default = default.ok_or("no rule for kind = \"default\"")?;
        let review = file.review;
        let months = [review.months, review.high, review.medium, review.low]
            .into_iter()
            .chain(
                by_kind
                    .values()
                    .chain([&default])
                    .filter_map(|k| k.review_months),
            );
        for m in months {
            if !REVIEW_MONTHS.contains(&m) {
                return Err(format!(
                    "a review interval of {m} months (give {} to {} months)",
                    REVIEW_MONTHS.start(),
                    REVIEW_MONTHS.end()
                ));
            }
        }
        Ok(CaseRules {
            by_kind,
            default,
            review,
        })
    }

    /// The rules renkei ships with.
    pub fn builtin() -> &'static CaseRules {
        static RULES: OnceLock<CaseRules> = OnceLock::new();
        RULES.get_or_init(|| match CaseRules::parse(RULES_TOML) {
            Ok(rules) => rules,
            // The file is compiled in and checked by a test: it cannot fail here.
            Err(_) => CaseRules {
                by_kind: HashMap::new(),
                default: KindRule {
                    kind: "default".to_owned(),
                    consent: true,
                    basis: "本人同意".to_owned(),
                    basis_en: "the person's consent".to_owned(),
                    aliases: Vec::new(),
                    ledger: false,
                    review_months: None,
                },
                review: ReviewRule::default(),
            },
        })
    }

    /// The kinds these rules list by name, sorted (`default` not among them).
    pub fn kinds(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self.by_kind.keys().map(String::as_str).collect();
        kinds.sort_unstable();
        kinds
    }

    /// Whether these rules list `kind` by name (`default` is no kind of body).
    pub fn lists(&self, kind: &str) -> bool {
        self.by_kind.contains_key(kind.trim())
    }

    /// The rule of a body's kind (the default one for a kind not listed).
    pub fn for_kind(&self, kind: &str) -> &KindRule {
        self.by_kind.get(kind.trim()).unwrap_or(&self.default)
    }
}

impl CaseRules {
    /// How many months until a case is looked at again: the shortest of its risk's interval and
    /// the interval of the kind of body that last discussed it; `[review] months` when neither
    /// applies.
    pub fn review_months(&self, risk: Option<Level>, kind: Option<&str>) -> u32 {
        self.interval(risk, kind, None)
    }

    /// As [`CaseRules::review_months`], with the body's own interval (`review_months` of a
    /// `[[bodies]]` entry) standing for its kind's when it has one.
    pub fn interval(&self, risk: Option<Level>, kind: Option<&str>, own: Option<u32>) -> u32 {
        let by_risk = risk.map(|r| match r {
            Level::High => self.review.high,
            Level::Medium => self.review.medium,
            Level::Low => self.review.low,
        });
        let by_kind = own.or_else(|| kind.and_then(|k| self.for_kind(k).review_months));
        match (by_risk, by_kind) {
            (Some(a), Some(b)) => a.min(b),
            (Some(m), None) | (None, Some(m)) => m,
            (None, None) => self.review.months,
        }
    }

    /// The day a case is looked at again by the rules: `from` (its last meeting, or the day it
    /// was opened) plus the interval; the end of a shorter month stands for a day it lacks.
    pub fn review_date(
        &self,
        from: NaiveDate,
        risk: Option<Level>,
        kind: Option<&str>,
    ) -> NaiveDate {
        self.review_date_for(from, risk, kind, None)
    }

    /// As [`CaseRules::review_date`], with the body's own interval (see [`CaseRules::interval`]).
    pub fn review_date_for(
        &self,
        from: NaiveDate,
        risk: Option<Level>,
        kind: Option<&str>,
        own: Option<u32>,
    ) -> NaiveDate {
        let months = chrono::Months::new(self.interval(risk, kind, own));
        from.checked_add_months(months).unwrap_or(from)
    }

    /// Whether a body keeps a ledger of cases (進行管理台帳): its own setting, else its kind's.
    pub fn keeps_ledger(&self, kind: &str, own: Option<bool>) -> bool {
        own.unwrap_or_else(|| self.for_kind(kind).ledger)
    }
}

/// The intervals a review may be given, wherever it is written: the rules shipped, the config's
/// `[review]` and a kind's `review_months`, a body's own `review_months` (fixtures, the
/// interchange, the database's CHECK): one month to ten years. One range everywhere, so that
/// what one place accepts another never refuses (a body's interval exported, then imported).
pub const REVIEW_MONTHS: std::ops::RangeInclusive<u32> = 1..=120;

/// What a user's config changes in the rules shipped (`[review]` of the config): the review
/// intervals, and per kind of body its `review_months` and whether it keeps a ledger. `None`
/// keeps what the rules ship; the consent and legal basis of a kind are never the config's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesOverride {
    pub months: Option<u32>,
    pub high: Option<u32>,
    pub medium: Option<u32>,
    pub low: Option<u32>,
    pub kinds: Vec<KindOverride>,
}

/// A kind's review settings in the config (`[[review.kinds]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindOverride {
    pub kind: String,
    pub review_months: Option<u32>,
    pub ledger: Option<bool>,
}

impl CaseRules {
    /// The review intervals in one line (`renkei config --print`): `[review]`, then each kind
    /// with an interval of its own or a ledger, by name.
    pub fn review_summary(&self) -> String {
        let r = &self.review;
        let mut parts = vec![format!(
            "months = {}, high = {}, medium = {}, low = {}",
            r.months, r.high, r.medium, r.low
        )];
        let mut kinds: Vec<&KindRule> = self
            .by_kind
            .values()
            .chain([&self.default])
            .filter(|k| k.ledger || k.review_months.is_some())
            .collect();
        kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
        for k in kinds {
            let months = k.review_months.map(|m| format!(" {m}"));
            let ledger = if k.ledger { " ledger" } else { "" };
            parts.push(format!("{}:{}{ledger}", k.kind, months.unwrap_or_default()));
        }
        parts.join("; ")
    }

    /// These rules with the config's changes. A kind the rules do not list is added with the
    /// consent and basis of `default` (a ward's own kind, 支援方針検討会議, may keep a ledger).
    pub fn with_override(&self, o: &RulesOverride) -> CaseRules {
        let mut rules = self.clone();
        let review = &mut rules.review;
        for (slot, value) in [
            (&mut review.months, o.months),
            (&mut review.high, o.high),
            (&mut review.medium, o.medium),
            (&mut review.low, o.low),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        for k in &o.kinds {
            let kind = k.kind.trim();
            let rule = if kind == "default" {
                &mut rules.default
            } else {
                let default = rules.default.clone();
                rules
                    .by_kind
                    .entry(kind.to_owned())
                    .or_insert_with(|| KindRule {
                        kind: kind.to_owned(),
                        ..default
                    })
            };
            if let Some(m) = k.review_months {
                rule.review_months = Some(m);
            }
            if let Some(ledger) = k.ledger {
                rule.ledger = ledger;
            }
        }
        rules
    }
}

/// What a case's next review is decided from (see [`CaseRules::next_review`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewFacts<'a> {
    /// The next review date set at a meeting or on the case.
    pub set: Option<NaiveDate>,
    /// The day it was set, when known.
    pub set_on: Option<NaiveDate>,
    /// The last meeting that discussed the case.
    pub last_meeting: Option<NaiveDate>,
    /// The kind of that meeting's body.
    pub kind: Option<&'a str>,
    /// That body's own review interval in months, when it has one (else its kind's).
    pub own_months: Option<u32>,
    pub opened: Option<NaiveDate>,
    pub risk: Option<Level>,
}

impl CaseRules {
    /// When a followed case is looked at again: the date set for it, unless a meeting has
    /// discussed it on a later day than the date was set (a date set where renkei kept no
    /// change holds while it is later than the last meeting); otherwise its last meeting
    /// (before any, the day it was opened) plus the interval of the rules.
    pub fn next_review(&self, f: &ReviewFacts<'_>) -> Option<NaiveDate> {
        match (f.set, f.last_meeting) {
            (Some(set), None) => Some(set),
            (Some(set), Some(last)) if f.set_on.is_some_and(|on| on >= last) => Some(set),
            (Some(set), Some(last)) if f.set_on.is_none() && set > last => Some(set),
            _ => f
                .last_meeting
                .or(f.opened)
                .map(|base| self.review_date_for(base, f.risk, f.kind, f.own_months)),
        }
    }
}

impl CaseRules {
    /// The rule a meeting's legal basis as written names (開催根拠: 支援会議, 要対協, 地域ケア会議 …),
    /// by the kind it is, or the abbreviation wards write for it.
    pub fn for_basis(&self, basis: &str) -> Option<&KindRule> {
        let b = basis.trim();
        let kind = match b {
            "要対協" => "要保護児童対策地域協議会",
            other => other,
        };
        self.by_kind.get(kind)
    }
}

/// On which basis a case is shared at a meeting, decided when it is put on the meeting: the
/// law of the body's kind, or the person's consent; `warned` when the kind needs consent and
/// none was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharing {
    pub basis: String,
    pub warned: bool,
}

impl Sharing {
    /// The basis text kept with the meeting: in Japanese (what the minutes of a Japanese office
    /// print), the English reading is given by [`basis_text`] for the English minutes.
    pub fn decide(rule: &KindRule, consent: Consent) -> Sharing {
        if !rule.consent {
            return Sharing {
                basis: rule.basis.clone(),
                warned: false,
            };
        }
        Sharing {
            basis: rule.basis.clone(),
            warned: consent != Consent::Given,
        }
    }
}

/// A basis kept in Japanese, in the language of a document: the English of a known rule's basis,
/// the text itself otherwise.
pub fn basis_text(basis: &str, lang: Lang) -> String {
    if lang == Lang::Ja {
        return basis.to_owned();
    }
    let rules = CaseRules::builtin();
    rules
        .by_kind
        .values()
        .chain(std::iter::once(&rules.default))
        .find(|r| r.basis == basis || r.aliases.iter().any(|a| a == basis))
        .map(|r| r.basis_en.clone())
        .unwrap_or_else(|| basis.to_owned())
}

/// A review as the minutes, the case record and the interchange see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseReview {
    pub id: i64,
    pub uid: String,
    pub meeting: i64,
    pub meeting_date: NaiveDate,
    pub body: String,
    pub case: i64,
    pub pseudonym: String,
    pub status: CaseStatus,
    pub lead_agency: Option<String>,
    pub policy: String,
    pub next_review: Option<NaiveDate>,
    pub note: String,
    pub reason: String,
    pub evaluation: String,
    pub transferred_to: String,
}

/// The key a pseudonym is told apart by: any width, without spaces (Ａ世帯, A 世帯 and A世帯 are one
/// case).
pub fn pseudonym_key(pseudonym: &str) -> String {
    crate::domain::calendar::fold_width(pseudonym)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_read_and_say_what_the_seeds_say() {
        let rules = CaseRules::parse(RULES_TOML).unwrap();
        assert!(rules.for_kind("重層的支援会議").consent);
        assert!(!rules.for_kind("支援会議").consent);
        assert!(rules.for_kind("支援会議").basis.contains("第106条の6"));
        assert!(!rules.for_kind("要保護児童対策地域協議会").consent);
        assert!(
            rules
                .for_kind("要保護児童対策地域協議会")
                .basis
                .contains("第25条の5"),
            "the article binding the members to secrecy, as the minutes' duty says"
        );
        assert!(rules.for_kind("要保護児童対策地域協議会").ledger);
        // A kind nobody listed needs consent.
        assert!(rules.for_kind("連絡会").consent);
        assert_eq!(rules.for_kind("連絡会").kind, "default");
    }

    #[test]
    fn review_intervals_come_from_the_rules() {
        let rules = CaseRules::parse(RULES_TOML).unwrap();
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // By risk: 高 monthly, 中 every 3 months, 低 every 6.
        assert_eq!(rules.review_months(Some(Level::High), None), 1);
        assert_eq!(rules.review_months(Some(Level::Medium), None), 3);
        assert_eq!(rules.review_months(Some(Level::Low), None), 6);
        assert_eq!(rules.review_months(None, None), 3);
        // The kind of body that last discussed it: the shorter interval holds.
        assert_eq!(
            rules.review_months(Some(Level::Low), Some("要保護児童対策地域協議会")),
            3
        );
        assert_eq!(
            rules.review_months(Some(Level::High), Some("要保護児童対策地域協議会")),
            1
        );
        assert_eq!(rules.review_months(Some(Level::Low), Some("連絡会")), 6);
        // The end of a shorter month stands for the 31st.
        assert_eq!(
            rules.review_date(day("2026-01-31"), Some(Level::High), None),
            day("2026-02-28")
        );
        assert_eq!(
            rules.review_date(day("2026-11-15"), Some(Level::Low), None),
            day("2027-05-15")
        );

        // A fixture changes the interval: no code does.
        let changed = RULES_TOML
            .replace("high = 1", "high = 2")
            .replace("review_months = 3\n", "review_months = 12\n");
        let rules = CaseRules::parse(&changed).unwrap();
        assert_eq!(rules.review_months(Some(Level::High), None), 2);
        assert_eq!(rules.review_months(None, Some("ネットワーク会議")), 12);
        assert_eq!(
            rules.review_date(day("2026-01-31"), Some(Level::High), None),
            day("2026-03-31")
        );
        let err = CaseRules::parse(&RULES_TOML.replace("low = 6", "low = 0")).unwrap_err();
        assert!(err.contains("0 months"), "{err}");
        let err = CaseRules::parse(&RULES_TOML.replace("low = 6", "lwo = 6")).unwrap_err();
        assert!(err.contains("lwo"), "{err}");
    }

    #[test]
    fn the_config_changes_intervals_and_ledgers_and_nothing_else() {
        let shipped = CaseRules::builtin();
        let rules = shipped.with_override(&RulesOverride {
            high: Some(2),
            months: Some(4),
            kinds: vec![
                KindOverride {
                    kind: "要保護児童対策地域協議会".to_owned(),
                    review_months: Some(1),
                    ledger: None,
                },
                KindOverride {
                    kind: " 支援方針検討会議 ".to_owned(),
                    review_months: None,
                    ledger: Some(true),
                },
                KindOverride {
                    kind: "ネットワーク会議".to_owned(),
                    review_months: None,
                    ledger: Some(false),
                },
            ],
            ..RulesOverride::default()
        });
        assert_eq!(rules.review_months(Some(Level::High), None), 2);
        assert_eq!(rules.review_months(Some(Level::Medium), None), 3);
        assert_eq!(rules.review_months(None, None), 4);
        assert_eq!(
            rules.review_months(Some(Level::Low), Some("要保護児童対策地域協議会")),
            1
        );
        let koto = rules.for_kind("支援方針検討会議");
        assert!(koto.ledger);
        assert_eq!(koto.kind, "支援方針検討会議");
        assert_eq!(koto.consent, shipped.for_kind("default").consent);
        assert!(!rules.for_kind("ネットワーク会議").ledger);
        // The consent and basis of a kind are the shipped ones.
        let youtaikyo = rules.for_kind("要保護児童対策地域協議会");
        assert_eq!(
            youtaikyo.basis,
            shipped.for_kind("要保護児童対策地域協議会").basis
        );
        assert!(youtaikyo.ledger);
        // Nothing given, nothing changed.
        let same = shipped.with_override(&RulesOverride::default());
        assert_eq!(same.review, shipped.review);
        assert_eq!(same.by_kind, shipped.by_kind);
    }

    #[test]
    fn bad_rules_are_refused_with_their_line() {
        let err = CaseRules::parse("[[kinds]]\nkind = \"x\"\nconsnet = true\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
        assert!(err.contains("consnet"), "{err}");
        let err = CaseRules::parse(
            "[[kinds]]\nkind = \"x\"\nconsent = true\nbasis = \"\"\nbasis_en = \"\"\n",
        )
        .unwrap_err();
        assert!(err.contains("default"), "{err}");
    }

    #[test]
    fn consent_decides_the_warning_only_where_the_kind_needs_it() {
        let rules = CaseRules::builtin();
        let plan = rules.for_kind("重層的支援会議");
        assert!(Sharing::decide(plan, Consent::Unknown).warned);
        assert!(Sharing::decide(plan, Consent::NotGiven).warned);
        assert!(!Sharing::decide(plan, Consent::Given).warned);
        let support = rules.for_kind("支援会議");
        let s = Sharing::decide(support, Consent::NotGiven);
        assert!(!s.warned);
        assert_eq!(
            basis_text(&s.basis, Lang::En),
            "Social Welfare Act, Art. 106-6 (support meeting)"
        );
    }

    #[test]
    fn levels_and_words_read_loosely() {
        assert_eq!(Level::parse_loose("高"), Some(Level::High));
        assert_eq!(Level::parse_loose(" Medium "), Some(Level::Medium));
        assert_eq!(Level::parse_loose("ｌｏｗ"), Some(Level::Low));
        assert_eq!(Level::parse_loose("とても高い"), None);
        assert_eq!(Level::show("high", Lang::Ja), "高");
        assert_eq!(Level::show("やや高", Lang::Ja), "やや高");
        assert_eq!(CaseStatus::parse_loose("終結"), Some(CaseStatus::Closed));
        assert_eq!(Consent::parse_loose("有"), Some(Consent::Given));
        assert_eq!(pseudonym_key("Ａ 世帯"), pseudonym_key("A世帯"));
    }
}
