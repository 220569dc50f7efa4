//! People typed where an agency or a case issue goes (`佐藤 花子（長女）` as an agency, `山田さんの
//! 虐待` as an issue): the report is published, so such a cell is counted under a neutral label
//! instead. The minutes' redactor decides what holds a person ([`PersonCells`]).

use super::{ActionFact, BodyFact, CaseFact, CaseValue, Input, MeetingFact};
use crate::i18n::Lang;
use crate::minutes::redact::{Person, PersonCells, fold_key};

/// The label a cell holding a person is printed and counted under.
pub fn label(lang: Lang) -> &'static str {
    lang.pick("個人（家族等）", "a person")
}

/// What stands for a name inside a closure reason (`○○が施設入所`).
pub fn name_mark(lang: Lang) -> &'static str {
    lang.pick("○○", "(name)")
}

/// Replaces every agency cell of `input` that holds a person (one of `people`, or a name the
/// redactor recognises by its relation or honorific) with [`label`], and the names in an issue
/// cell with [`name_mark`]; returns how many cells it replaced.
pub fn mask(input: &mut Input, people: &[Person], lang: Lang) -> usize {
    let agencies: Vec<&str> = input
        .meetings
        .iter()
        .flat_map(|m| m.agencies.iter().chain(&m.referred_by))
        .chain(input.actions.iter().filter_map(|a| a.agency.as_ref()))
        .chain(
            input
                .cases
                .iter()
                .flat_map(|c| c.referred_by.iter().chain(&c.lead_agency)),
        )
        .map(String::as_str)
        .collect();
    let mut masker = Masker::new(people, &agencies, lang);
    for b in &mut input.bodies {
        masker.body(b);
    }
    for m in &mut input.meetings {
        masker.meeting(m);
    }
    for a in &mut input.actions {
        masker.action(a);
    }
    for c in &mut input.cases {
        masker.case(c);
    }
    masker.replaced()
}

/// Who of those recorded a cell's text may name (`store::TablePeople::cell_people`, which
/// keeps a failed lookup for its caller to say).
pub type Lookup<'a> = Box<dyn FnMut(&str) -> Vec<Person> + 'a>;

/// [`mask`] one record at a time, for a report counted as it is read (a city's year is never
/// held whole): made with the recorded people and every agency name the cells hold — or, for a
/// database's tables, with a lookup of the few people each distinct cell may name
/// ([`Masker::looked_up`]), so that nobody holds everyone recorded.
pub struct Masker<'a> {
    /// The cells judged against the people given (none when they are looked up).
    cells: PersonCells,
    looked_up: Option<LookedUp<'a>>,
    label: &'static str,
    mark: &'static str,
    replaced: usize,
    /// Each issue text judged once, with its names replaced (`None`: it names nobody).
    issues: foldhash::HashMap<String, Option<String>>,
}

/// A masker's lookup of the people a cell may name.
struct LookedUp<'a> {
    lookup: Lookup<'a>,
    /// The agency names, each with its folded form without a bracketed note: those a cell
    /// holds are kept whole by the cell's own judge.
    agencies: Vec<(String, String)>,
    /// Each agency cell's text judged once.
    agency: foldhash::HashMap<String, bool>,
}

impl LookedUp<'_> {
    /// The judge of `text` for the recorded people it may name, with the agency names it holds;
    /// `None` when it may name no one recorded (the shared judge's, without people).
    fn cells(&mut self, text: &str) -> Option<PersonCells> {
        let people = (self.lookup)(text);
        if people.is_empty() {
            return None;
        }
        let folded = fold_key(text);
        let agencies: Vec<&str> = self
            .agencies
            .iter()
            .filter(|(key, _)| !key.is_empty() && folded.contains(key.as_str()))
            .map(|(_, name)| name.as_str())
            .collect();
        Some(PersonCells::new(&people, &agencies))
    }
}

impl<'a> Masker<'a> {
    pub fn new(people: &[Person], agencies: &[&str], lang: Lang) -> Masker<'a> {
        Masker {
            cells: PersonCells::new(people, agencies),
            looked_up: None,
            label: label(lang),
            mark: name_mark(lang),
            replaced: 0,
            issues: foldhash::HashMap::default(),
        }
    }

    /// A masker that asks `lookup` who of those recorded each distinct cell may name and judges
    /// the cell against them alone: what it replaces is what [`Masker::new`] with everyone
    /// recorded replaces, its memory and time follow the cells.
    pub fn looked_up(agencies: &[&str], lang: Lang, lookup: Lookup<'a>) -> Masker<'a> {
        let mut masker = Masker::new(&[], agencies, lang);
        let agencies = agencies
            .iter()
            .map(|a| {
                let base = a.split(['（', '(']).next().unwrap_or("");
                (fold_key(base), (*a).to_owned())
            })
            .collect();
        masker.looked_up = Some(LookedUp {
            lookup,
            agencies,
            agency: foldhash::HashMap::default(),
        });
        masker
    }

    /// Whether an agency cell holds a person.
    pub(crate) fn holds_person(&mut self, text: &str) -> bool {
        let Some(looked_up) = self.looked_up.as_mut() else {
            return self.cells.agency(text);
        };
        if let Some(&person) = looked_up.agency.get(text) {
            return person;
        }
        let person = match looked_up.cells(text) {
            Some(mut own) => own.agency(text),
            None => self.cells.agency(text),
        };
        looked_up.agency.insert(text.to_owned(), person);
        person
    }

    /// Free text with every name replaced by the mark; `None` when it names nobody.
    fn names_replaced(&mut self, text: &str) -> Option<String> {
        if let Some(mut own) = self.looked_up.as_mut().and_then(|l| l.cells(text)) {
            return own.names_replaced(text, self.mark);
        }
        self.cells.names_replaced(text, self.mark)
    }

    fn put(&mut self, cell: &mut String, person: bool) {
        if person {
            self.label.clone_into(cell);
            self.replaced += 1;
        }
    }

    /// A held meeting's agency and issue cells.
    pub fn meeting(&mut self, m: &mut MeetingFact) {
        if let Some(r) = m.referred_by.as_mut() {
            let person = self.holds_person(r);
            self.put(r, person);
        }
        for a in &mut m.agencies {
            let person = self.holds_person(a);
            self.put(a, person);
        }
        for i in &mut m.issues {
            self.issue(i);
        }
    }

    /// A case's referring and lead agencies and its issues.
    pub fn case(&mut self, c: &mut CaseFact) {
        for a in [c.referred_by.as_mut(), c.lead_agency.as_mut()]
            .into_iter()
            .flatten()
        {
            let person = self.holds_person(a);
            self.put(a, person);
        }
        self.reason(&mut c.closure_reason);
        // The agencies and reasons it had before, which a past year's tables count.
        for h in &mut c.history {
            for v in [&mut h.before, &mut h.after] {
                match v {
                    CaseValue::ReferredBy(Some(a)) | CaseValue::LeadAgency(Some(a)) => {
                        let person = self.holds_person(a);
                        self.put(a, person);
                    }
                    CaseValue::ClosureReason(r) => self.reason(r),
                    _ => {}
                }
            }
        }
        for (_, i) in &mut c.issues {
            self.issue(i);
        }
    }

    /// A case issue (課題) naming a person (`山田さんの虐待`): counted with the name replaced by
    /// ○○ (`○○の虐待`), as a closure reason — the issue stays what it is, and a person never
    /// becomes a category of its own.
    pub fn issue(&mut self, cell: &mut String) {
        let masked = match self.issues.get(cell.as_str()) {
            Some(masked) => masked.clone(),
            None => {
                let masked = self.names_replaced(cell);
                self.issues.insert(cell.clone(), masked.clone());
                masked
            }
        };
        if let Some(masked) = masked {
            *cell = masked;
            self.replaced += 1;
        }
    }

    /// Any agency cell (the ledger's 主担当機関 and 相談経路): the label when it holds a person.
    pub fn agency(&mut self, cell: &mut String) {
        let person = self.holds_person(cell);
        self.put(cell, person);
    }

    /// A closure reason (and any free text a table prints as typed: an evaluation, where a
    /// case was transferred to): every name in it replaced by ○○, counted once per cell.
    pub fn reason(&mut self, cell: &mut String) {
        if let Some(masked) = self.names_replaced(cell) {
            *cell = masked;
            self.replaced += 1;
        }
    }

    /// A body's organiser: kept, unless it names a person (地域福祉課（担当 佐藤 健一）, typed
    /// with its contact): then printed with the name replaced by the mark — the published report
    /// printed it whole (attack, 2026-12-05).
    pub fn body(&mut self, b: &mut BodyFact) {
        if !self.holds_person(&b.organiser) {
            return;
        }
        match self.names_replaced(&b.organiser) {
            Some(masked) => {
                b.organiser = masked;
                self.replaced += 1;
            }
            None => self.put(&mut b.organiser, true),
        }
    }

    /// A next action's agency.
    pub fn action(&mut self, a: &mut ActionFact) {
        if let Some(agency) = a.agency.as_mut() {
            let person = self.holds_person(agency);
            self.put(agency, person);
        }
    }

    /// How many cells were replaced so far.
    pub fn replaced(&self) -> usize {
        self.replaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::ActionStatus;
    use crate::minutes::redact::PersonKind;
    use chrono::NaiveDate;

    fn meeting(agencies: &[&str], issues: &[&str], referred_by: Option<&str>) -> MeetingFact {
        MeetingFact {
            id: 1,
            body_id: 1,
            date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default(),
            basis: String::new(),
            supervisor: false,
            referred_by: referred_by.map(str::to_owned),
            agencies: agencies.iter().map(|a| (*a).to_owned()).collect(),
            issues: issues.iter().map(|i| (*i).to_owned()).collect(),
        }
    }

    /// Attack report 1, item 8: the three cells the attacker found, and ordinary ones kept.
    #[test]
    fn people_in_agency_and_issue_cells_are_counted_under_a_label() {
        let mut input = Input {
            meetings: vec![meeting(
                &[
                    "佐藤 花子（長女）",
                    "地域包括支援センター",
                    "子ども家庭支援センター",
                ],
                &["山田さんの虐待", "高齢者虐待", "認知症", "愛の手帳"],
                Some("鈴木さん"),
            )],
            actions: vec![
                ActionFact {
                    meeting_id: 1,
                    agency: Some("山田恵子".into()),
                    due: None,
                    status: ActionStatus::Open,
                },
                ActionFact {
                    meeting_id: 1,
                    agency: Some("保健センター".into()),
                    due: None,
                    status: ActionStatus::Open,
                },
            ],
            ..Input::default()
        };
        let people = [
            Person::new("山田恵子", PersonKind::Attendee),
            // An agency typed as a name does not make the agency a person.
            Person::new("保健センター", PersonKind::Attendee),
        ];
        assert_eq!(mask(&mut input, &people, Lang::Ja), 4);
        let m = &input.meetings[0];
        assert_eq!(m.referred_by.as_deref(), Some("個人（家族等）"));
        assert_eq!(
            m.agencies,
            [
                "個人（家族等）",
                "地域包括支援センター",
                "子ども家庭支援センター"
            ]
        );
        // An issue keeps what it is, without the name: never a category of its own.
        assert_eq!(m.issues, ["○○の虐待", "高齢者虐待", "認知症", "愛の手帳"]);
        assert_eq!(input.actions[0].agency.as_deref(), Some("個人（家族等）"));
        assert_eq!(input.actions[1].agency.as_deref(), Some("保健センター"));
    }

    /// The recorded person is caught written another way (spaced out, a variant kanji); without
    /// being recorded, a bare name is left (it may be an agency's short name).
    #[test]
    fn a_recorded_person_is_caught_however_written() {
        let mut input = Input {
            meetings: vec![meeting(&["渡 邊 正", "渡辺"], &[], None)],
            ..Input::default()
        };
        let people = [Person::new("渡邊正", PersonKind::CaseSubject)];
        assert_eq!(mask(&mut input, &people, Lang::En), 2);
        assert_eq!(input.meetings[0].agencies, ["a person", "a person"]);
        let mut input = Input {
            meetings: vec![meeting(&["渡辺"], &[], None)],
            ..Input::default()
        };
        assert_eq!(mask(&mut input, &[], Lang::Ja), 0);
    }

    /// Issue 18 (left by attack report 3): an issue typed with a person's name in it — at a
    /// meeting, or of a case whose household holds the name — is counted with the name masked
    /// (○○), under what it says; no issue row is a person (個人（家族等）), none holds the name.
    #[test]
    fn an_issue_naming_a_person_keeps_its_issue_and_loses_the_name() {
        use crate::domain::case::{CaseStatus, Consent};
        use crate::report::{CaseFact, Options, TableId, build};
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default();
        let mut input = Input {
            bodies: vec![crate::report::BodyFact {
                id: 1,
                name: "支援会議".into(),
                organiser: "福祉課".into(),
                kind: "支援会議".into(),
                ward_id: 1,
                ward: String::new(),
                ledger: None,
                review_months: None,
            }],
            meetings: vec![meeting(&[], &["山田さんの虐待", "認知症"], None)],
            cases: vec![CaseFact {
                id: 1,
                ward_id: 1,
                status: CaseStatus::Active,
                opened: Some(day("2026-05-01")),
                closed: None,
                closure_reason: String::new(),
                referred_by: None,
                lead_agency: None,
                consent: Consent::Unknown,
                risk: None,
                review_set: None,
                review_set_on: None,
                meetings: vec![(1, day("2026-06-01"))],
                issues: vec![
                    (day("2026-06-01"), "山田 太郎の介護放棄".into()),
                    (day("2026-06-01"), "認知症".into()),
                ],
                history: Vec::new(),
                reviews: Vec::new(),
            }],
            ..Input::default()
        };
        let people = [Person::new("山田 太郎", PersonKind::Household)];
        assert_eq!(mask(&mut input, &people, Lang::Ja), 2);
        let report = build(&input, &Options::new(Lang::Ja, 2026, day("2026-11-21")));
        for id in [TableId::Issues, TableId::CaseIssues] {
            let table = report.table(id).unwrap();
            let labels: Vec<&str> = table.rows.iter().map(|r| r.labels[0].as_str()).collect();
            assert!(!labels.contains(&label(Lang::Ja)), "{id:?}: {labels:?}");
            assert!(
                labels
                    .iter()
                    .all(|l| !l.contains("山田") && !l.contains("太郎")),
                "{labels:?}"
            );
            assert!(labels.contains(&"認知症"), "{labels:?}");
        }
        let issues = report.table(TableId::Issues).unwrap();
        assert_eq!(issues.row("○○の虐待").unwrap().values[0].count(), 1);
        let cases = report.table(TableId::CaseIssues).unwrap();
        assert_eq!(cases.row("○○の介護放棄").unwrap().values[0].count(), 1);
    }
}
