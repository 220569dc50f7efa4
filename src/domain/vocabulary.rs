//! The vocabularies of a meeting's record as data (`vocabulary.toml`, compiled in, extended by the
//! config file): case issue categories with the other ways they are written, the risk and urgency
//! scale, the roles with the key that picks each, the legal bases (開催根拠) and SV派遣 有/無.
//! The screens' pickers read these lists; the report folds every variant of a category into it.
//!
//! A written value matches an entry when both read the same after folding: Unicode NFKC (full-
//! and half-width alike: ＤＶ = DV, ｺﾞﾐ = ゴミ), no spaces, Latin letters in lower case, and — for
//! an entry marked `kana` — hiragana read as katakana (ごみ屋敷 = ゴミ屋敷).

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use crate::domain::model::Role;
use crate::i18n::{Lang, Msg, Words};

/// A case issue category (課題).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The name the report prints and the picker offers.
    pub name: String,
    /// The English name; none: the Japanese one is used.
    #[serde(default)]
    pub en: Option<String>,
    /// Other ways the category is written, counted as it.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Hiragana and katakana are alike for this category.
    #[serde(default)]
    pub kana: bool,
}

impl Category {
    pub fn label(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.name,
        }
    }
}

/// A value of the risk and urgency scale (危険度・緊急度).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: String,
    pub ja: String,
    pub en: String,
    #[serde(default)]
    pub variants: Vec<String>,
}

/// A role at a meeting, with the one key that picks it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleTerm {
    pub code: Role,
    pub ja: String,
    pub en: String,
    pub key: char,
}

/// A legal basis (開催根拠) as a meeting records it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisTerm {
    pub name: String,
    pub en: String,
}

/// SV派遣 有 or 無.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: bool,
    pub ja: String,
    pub en: String,
    #[serde(default)]
    pub variants: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    issue: Vec<Category>,
    scale: Vec<Level>,
    role: Vec<RoleTerm>,
    basis: Vec<BasisTerm>,
    supervisor: Vec<Choice>,
}

/// What a written case issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueMatch<'a> {
    /// A category of the list (the text may be one of its variants).
    Known(&'a Category),
    /// Not in the list: counted as itself and flagged new.
    New,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    issues: Vec<Category>,
    /// Folded name or variant → category, for every category.
    exact: HashMap<String, usize>,
    /// The same with kana folded, for the categories marked `kana`.
    kana: HashMap<String, usize>,
    scale: Vec<Level>,
    roles: Vec<RoleTerm>,
    bases: Vec<BasisTerm>,
    supervisor: Vec<Choice>,
}

impl Vocabulary {
    /// The vocabularies renkei ships with (`vocabulary.toml`).
    pub fn builtin() -> &'static Vocabulary {
        static BUILTIN: OnceLock<Vocabulary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The file is compiled in and checked by a test; an empty list is the fallback that
            // can never be reached in a build whose tests passed.
            let data: Option<Data> = toml::from_str(include_str!("vocabulary.toml")).ok();
            match data {
                Some(data) => Vocabulary::from_data(data),
                None => Vocabulary::from_data(Data {
                    issue: Vec::new(),
                    scale: Vec::new(),
                    role: Vec::new(),
                    basis: Vec::new(),
                    supervisor: Vec::new(),
                }),
            }
        })
    }

    fn from_data(data: Data) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            issues: Vec::new(),
            exact: HashMap::new(),
            kana: HashMap::new(),
            scale: data.scale,
            roles: data.role,
            bases: data.basis,
            supervisor: data.supervisor,
        };
        for category in data.issue {
            // The built-in list has no clash (a test says so).
            let _ = vocabulary.add_issue(category);
        }
        vocabulary
    }

    /// The built-in vocabularies with the config's categories added: a new name is a new
    /// category at the end of the list; an existing one (or one of its variants) gets the entry's
    /// variants. Returns what could not be added, one message per entry.
    pub fn with_issues(&self, extra: &[Category]) -> (Vocabulary, Vec<Words>) {
        let mut vocabulary = self.clone();
        let mut problems = Vec::new();
        for category in extra {
            if let Err(problem) = vocabulary.add_issue(category.clone()) {
                problems.push(problem);
            }
        }
        (vocabulary, problems)
    }

    fn add_issue(&mut self, category: Category) -> Result<(), Words> {
        if fold(&category.name, false).is_empty() {
            return Err(Msg::new("config_issue_unnamed").into());
        }
        let index = match self.find(&category.name) {
            Some(i) => {
                let existing = &mut self.issues[i];
                existing.kana |= category.kana;
                if existing.en.is_none() {
                    existing.en = category.en.clone();
                }
                i
            }
            None => {
                self.issues.push(Category {
                    variants: Vec::new(),
                    ..category.clone()
                });
                self.issues.len() - 1
            }
        };
        let mut clashes = Vec::new();
        let names: Vec<String> = std::iter::once(category.name.clone())
            .chain(category.variants.iter().cloned())
            .collect();
        for name in &names {
            match self.find(name) {
                Some(other) if other != index => {
                    clashes.push(format!("'{name}' ({})", self.issues[other].name));
                    continue;
                }
                _ => {}
            }
            if *name != self.issues[index].name && !self.issues[index].variants.contains(name) {
                self.issues[index].variants.push(name.clone());
            }
        }
        self.index(index);
        if clashes.is_empty() {
            Ok(())
        } else {
            Err(Msg::new("config_issue_clash")
                .with("name", &category.name)
                .with("clashes", clashes.join(", "))
                .into())
        }
    }

    /// Puts a category's name and variants in the maps (a key already taken keeps its category).
    fn index(&mut self, i: usize) {
        let category = &self.issues[i];
        let names: Vec<&String> = std::iter::once(&category.name)
            .chain(&category.variants)
            .collect();
        let kana = category.kana;
        let (exact, kana_keys): (Vec<String>, Vec<String>) = names
            .iter()
            .map(|n| (fold(n, false), fold(n, true)))
            .unzip();
        for key in exact {
            self.exact.entry(key).or_insert(i);
        }
        if kana {
            for key in kana_keys {
                self.kana.entry(key).or_insert(i);
            }
        }
    }

    fn find(&self, text: &str) -> Option<usize> {
        self.exact
            .get(&fold(text, false))
            .or_else(|| self.kana.get(&fold(text, true)))
            .copied()
    }

    /// The case issue categories, in the list's order.
    pub fn issues(&self) -> &[Category] {
        &self.issues
    }

    /// The category a written issue is, or [`IssueMatch::New`].
    pub fn issue(&self, text: &str) -> IssueMatch<'_> {
        match self.find(text) {
            Some(i) => IssueMatch::Known(&self.issues[i]),
            None => IssueMatch::New,
        }
    }

    /// The categories a picker shows while `typed` is typed: those whose name or a variant
    /// contains it (folded as matching folds), in the list's order; all when nothing is typed.
    pub fn filter_issues(&self, typed: &str) -> Vec<&Category> {
        let plain = fold(typed, false);
        let kana = fold(typed, true);
        self.issues
            .iter()
            .filter(|c| {
                std::iter::once(&c.name).chain(&c.variants).any(|n| {
                    fold(n, false).contains(&plain) || (c.kana && fold(n, true).contains(&kana))
                })
            })
            .collect()
    }

    /// The risk and urgency scale, highest first.
    pub fn scale(&self) -> &[Level] {
        &self.scale
    }

    /// The level a written risk or urgency is (高, 高い, ｈｉｇｈ …).
    pub fn level(&self, text: &str) -> Option<&Level> {
        let key = fold(text, false);
        if key.is_empty() {
            return None;
        }
        self.scale.iter().find(|l| {
            [&l.code, &l.ja, &l.en]
                .into_iter()
                .chain(&l.variants)
                .any(|n| fold(n, false) == key)
        })
    }

    /// The roles, in the order of PRODUCT.md.
    pub fn roles(&self) -> &[RoleTerm] {
        &self.roles
    }

    /// The role a key picks.
    pub fn role_by_key(&self, key: char) -> Option<&RoleTerm> {
        let key = key.to_ascii_lowercase();
        self.roles.iter().find(|r| r.key == key)
    }

    pub fn role(&self, role: Role) -> Option<&RoleTerm> {
        self.roles.iter().find(|r| r.code == role)
    }

    /// The legal bases a picker offers (開催根拠), in seed 003's order.
    pub fn bases(&self) -> &[BasisTerm] {
        &self.bases
    }

    /// SV派遣: 有 then 無.
    pub fn supervisor(&self) -> &[Choice] {
        &self.supervisor
    }

    /// Whether a written SV派遣 says 有 or 無 (有, あり, ○, yes …).
    pub fn supervisor_value(&self, text: &str) -> Option<bool> {
        let key = fold(text, false);
        if key.is_empty() {
            return None;
        }
        self.supervisor
            .iter()
            .find(|c| {
                [&c.ja, &c.en]
                    .into_iter()
                    .chain(&c.variants)
                    .any(|n| fold(n, false) == key)
            })
            .map(|c| c.value)
    }
}

/// How two writings of a value are compared: NFKC, no spaces, Latin letters lower-cased, and
/// with `kana` hiragana as katakana.
pub fn fold(text: &str, kana: bool) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            // ぁ..ゖ and ゝゞ sit 0x60 below their katakana.
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' if kana => {
                char::from_u32(u32::from(c) + 0x60).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Basis, classify_basis};

    fn names(v: &[&Category]) -> Vec<String> {
        v.iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn the_data_file_reads_and_nothing_clashes() {
        let data: Data = toml::from_str(include_str!("vocabulary.toml")).unwrap();
        let mut v = Vocabulary::from_data(Data {
            issue: Vec::new(),
            ..data
        });
        let data: Data = toml::from_str(include_str!("vocabulary.toml")).unwrap();
        for c in data.issue {
            v.add_issue(c.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", c.name));
        }
        assert_eq!(v, *Vocabulary::builtin());
        // Seed 003's ten categories first, in its order.
        let first: Vec<&str> = v.issues()[..10].iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            first,
            [
                "精神障がい（疑い含む）",
                "経済的困窮",
                "知的障がい（疑い含む）",
                "病気・けが",
                "虐待関連",
                "ゴミ屋敷",
                "ひきこもり",
                "発達障がい（疑い含む）",
                "認知症",
                "孤立"
            ]
        );
    }

    #[test]
    fn variants_fold_into_their_category() {
        let v = Vocabulary::builtin();
        for text in [
            "ゴミ屋敷",
            "ごみ屋敷",
            "ゴミやしき",
            "ごみやしき",
            "ｺﾞﾐ屋敷",
            " ゴミ 屋敷 ",
            "ゴミ屋敷状態",
        ] {
            match v.issue(text) {
                IssueMatch::Known(c) => assert_eq!(c.name, "ゴミ屋敷", "{text}"),
                IssueMatch::New => panic!("{text} not folded"),
            }
        }
        let known = |t: &str| match v.issue(t) {
            IssueMatch::Known(c) => Some(c.name.as_str()),
            IssueMatch::New => None,
        };
        assert_eq!(known("精神障害"), Some("精神障がい（疑い含む）"));
        assert_eq!(
            known("精神障がい(疑い含む)"),
            Some("精神障がい（疑い含む）")
        );
        assert_eq!(known("引きこもり"), Some("ひきこもり"));
        assert_eq!(known("ヒキコモリ"), Some("ひきこもり"));
        assert_eq!(known("虐待"), Some("虐待関連"));
        // Kana is folded only where the list says so: 孤立 has no kana to fold, and 認知症 is
        // not marked, so its katakana reading is a new category.
        assert_eq!(known("ニンチショウ"), None);
        assert_eq!(known("DV"), None);
        assert_eq!(known(""), None);
    }

    #[test]
    fn the_config_adds_categories_and_variants() {
        let (v, problems) = Vocabulary::builtin().with_issues(&[
            Category {
                name: "ヤングケアラー".into(),
                en: Some("Young carer".into()),
                variants: vec!["ヤング・ケアラー".into()],
                kana: true,
            },
            Category {
                name: "ゴミ屋敷".into(),
                en: None,
                variants: vec!["物があふれた家".into()],
                kana: false,
            },
            Category {
                name: "孤独".into(),
                en: None,
                variants: vec!["孤立".into()],
                kana: false,
            },
        ]);
        let known = |t: &str| match v.issue(t) {
            IssueMatch::Known(c) => Some(c.name.clone()),
            IssueMatch::New => None,
        };
        assert_eq!(known("やんぐけあらー").as_deref(), Some("ヤングケアラー"));
        assert_eq!(known("ヤング・ケアラー").as_deref(), Some("ヤングケアラー"));
        assert_eq!(known("物があふれた家").as_deref(), Some("ゴミ屋敷"));
        // 孤立 stays its own category; the clash is said.
        assert_eq!(known("孤立").as_deref(), Some("孤立"));
        assert_eq!(known("孤独").as_deref(), Some("孤独"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("'孤立' (孤立)"), "{problems:?}");
        assert_eq!(v.issues().last().unwrap().name, "孤独");
        assert_eq!(
            v.issues()
                .iter()
                .find(|c| c.name == "ヤングケアラー")
                .unwrap()
                .label(Lang::En),
            "Young carer"
        );
        // The built-in list is left as it was.
        assert_eq!(
            Vocabulary::builtin().issue("ヤングケアラー"),
            IssueMatch::New
        );
    }

    #[test]
    fn pickers_filter_as_you_type() {
        let v = Vocabulary::builtin();
        assert_eq!(v.filter_issues("").len(), v.issues().len());
        assert_eq!(
            names(&v.filter_issues("障")),
            [
                "精神障がい（疑い含む）",
                "知的障がい（疑い含む）",
                "発達障がい（疑い含む）",
                "身体障がい（疑い含む）"
            ]
        );
        assert_eq!(names(&v.filter_issues("ごみ")), ["ゴミ屋敷"]);
        assert_eq!(names(&v.filter_issues("ｹｶﾞ")), ["病気・けが"]);
    }

    #[test]
    fn scale_roles_bases_and_supervisor() {
        let v = Vocabulary::builtin();
        let codes: Vec<&str> = v.scale().iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["high", "medium", "low"]);
        assert_eq!(v.level("高").unwrap().code, "high");
        assert_eq!(v.level("ＨＩＧＨ").unwrap().code, "high");
        assert_eq!(v.level("中程度").unwrap().ja, "中");
        assert_eq!(v.level("低い").unwrap().en, "low");
        assert!(v.level("とても高い").is_none());
        assert!(v.level("").is_none());
        // The nine roles, each once, with one key each, named as the minutes name them.
        assert_eq!(v.roles().len(), Role::ALL.len());
        for role in Role::ALL {
            let term = v.role(*role).unwrap();
            assert_eq!(term.ja, role.label_ja(), "{role}");
            assert_eq!(v.role_by_key(term.key).unwrap().code, *role);
        }
        let mut keys: Vec<char> = v.roles().iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 9);
        assert_eq!(v.role_by_key('F').unwrap().code, Role::Facilitator);
        assert!(v.role_by_key('z').is_none());
        // Each basis is a row of the report, in its order.
        let rows: Vec<Basis> = v.bases().iter().map(|b| classify_basis(&b.name)).collect();
        assert_eq!(rows, Basis::FIXED);
        assert_eq!(v.supervisor_value("有"), Some(true));
        assert_eq!(v.supervisor_value("なし"), Some(false));
        assert_eq!(v.supervisor_value("Ｙｅｓ"), Some(true));
        assert_eq!(v.supervisor_value("たぶん"), None);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("ＤＶ", false), "dv");
        assert_eq!(fold("ｺﾞﾐ 屋敷", false), "ゴミ屋敷");
        assert_eq!(fold("ごみ屋敷", true), "ゴミ屋敷");
        assert_eq!(fold("ごみ屋敷", false), "ごみ屋敷");
        assert_eq!(fold("（疑い含む）", false), "(疑い含む)");
    }
}
