//! The computation: held meetings of each fiscal year counted into the report's tables.
//!
//! Counting rules (also printed under the report, see [`definitions`]):
//! - only meetings with status held count; a meeting belongs to the fiscal year of its date;
//! - a body's yearly count kept in body_history stands in for a year with no meetings recorded;
//! - participating agencies are counted once per meeting, from the attendees who came;
//! - both means are per meeting held (source 003's 4.5 issues "per case" is 529 / 118 meetings);
//! - a next action is overdue when still open and due before the earlier of today and the day
//!   after the fiscal year ends.

mod cases;

use std::collections::{BTreeSet, HashSet};

use foldhash::{HashMap, HashMapExt};

use chrono::{Days, NaiveDate};

use super::basis::{Basis, classify_basis};
use super::{
    ActionFact, BodyFact, CaseFact, HistoryFact, Input, MeetingFact, Options, Report, Row, RowKind,
    Table, TableId, Value, WardFact, year_label,
};
use crate::domain::calendar::{fiscal_year_end, fiscal_year_of, fiscal_year_start};
use crate::domain::model::ActionStatus;
use crate::domain::vocabulary::{IssueMatch, fold};
use crate::i18n::{Lang, Msg};

/// Checks that `--body` and `--kind` name something that exists.
pub fn check_scope(input: &Input, options: &Options) -> Result<(), Msg> {
    if let Some(name) = options.body.as_deref().map(str::trim)
        && !input.bodies.iter().any(|b| b.name == name)
    {
        return Err(Msg::new("no_body").with("name", name));
    }
    if let Some(kind) = options.kind.as_deref().map(str::trim)
        && !input.bodies.iter().any(|b| b.kind == kind)
    {
        let kinds: BTreeSet<&str> = input
            .bodies
            .iter()
            .map(|b| b.kind.as_str())
            .filter(|k| !k.is_empty())
            .collect();
        return Err(Msg::new("no_kind")
            .with("kind", kind)
            .with("kinds", kinds.into_iter().collect::<Vec<_>>().join(", ")));
    }
    Ok(())
}

/// The report of `options.fiscal_year`, with the compared years beside it, from facts held in
/// memory (the store counts a city's year with [`Tally`] as it reads it instead).
pub fn build(input: &Input, options: &Options) -> Report {
    let mut tally = Tally::new(input.bodies.clone(), input.wards.clone(), options);
    for m in &input.meetings {
        tally.meeting(m);
    }
    for h in &input.history {
        tally.history(h);
    }
    let held: HashMap<i64, (i64, NaiveDate)> = input
        .meetings
        .iter()
        .map(|m| (m.id, (m.body_id, m.date)))
        .collect();
    for a in &input.actions {
        if let Some(&(body, date)) = held.get(&a.meeting_id) {
            tally.action(a, body, date);
        }
    }
    for c in &input.cases {
        tally.case(c);
    }
    tally.finish()
}

/// The report counted as its facts come: each held meeting, next action and yearly count is
/// added to the columns it belongs to and let go, so that counting a city's year (24 wards,
/// over a hundred thousand meetings) holds the tables' counts, never the meetings.
pub struct Tally {
    options: Options,
    bodies: Vec<BodyFact>,
    in_scope: HashSet<i64>,
    /// The ward of each body in scope.
    ward_of: HashMap<i64, i64>,
    columns: Vec<Column>,
    stats: Vec<YearStats>,
    /// The row each trimmed text written as a case issue is counted in, found once a text.
    issue_keys: HashMap<String, IssueKey>,
    /// Fold key of a text not in the vocabulary → each spelling and how often it was written
    /// (in the meetings counted): the row is named by the most frequent at the end.
    spellings: HashMap<String, HashMap<String, u64>>,
    /// The kind of each body (a case's reviews and review rules go by it).
    kinds: HashMap<i64, cases::BodyRule>,
    /// The case rules a case's reviews and review dates follow (see [`Tally::with_rules`]).
    rules: crate::domain::case::CaseRules,
    /// The ward `--ward` chose, as its column would be headed.
    chosen_ward: Option<String>,
    /// Each ward's name as the rows of the meetings per body give it (by ward id), when the
    /// bodies in scope are of more than one ward and `--by-ward` does not give each ward a
    /// column: a city's wards keep bodies of the same names, which only the ward tells apart.
    ward_labels: Option<HashMap<i64, String>>,
}

/// The row a case issue is counted in while counting: a category of the vocabulary (ごみ屋敷 and
/// ｺﾞﾐ屋敷 are ゴミ屋敷), or a new text's fold key (ＤＶ and DV together), named by its most
/// frequent spelling only when every meeting has been counted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IssueKey {
    Known(String),
    New(String),
}

/// What one column of the tables counts: a fiscal year, of one ward or of all.
#[derive(Debug, Clone)]
struct Column {
    year: i32,
    ward: Option<i64>,
    header: String,
}

impl Tally {
    /// A report of `options` over `bodies`; `wards` in the order their columns are printed
    /// (with `--by-ward`; when empty, the wards of the bodies in the order met).
    pub fn new(bodies: Vec<BodyFact>, wards: Vec<WardFact>, options: &Options) -> Tally {
        let in_scope: HashSet<i64> = bodies
            .iter()
            .filter(|b| {
                options.body.as_deref().is_none_or(|n| b.name == n.trim())
                    && options.kind.as_deref().is_none_or(|k| b.kind == k.trim())
                    && options.ward.is_none_or(|w| b.ward_id == w)
            })
            .map(|b| b.id)
            .collect();
        let ward_of = bodies
            .iter()
            .filter(|b| in_scope.contains(&b.id))
            .map(|b| (b.id, b.ward_id))
            .collect();
        let chosen_ward = options
            .ward
            .map(|id| ward_header(&ward_fact(id, &wards, &bodies), options.lang));
        let ward_labels = ward_labels(&bodies, &ward_of, &wards, options);
        let columns = columns(options, &bodies, &in_scope, wards);
        let stats = columns.iter().map(|_| YearStats::default()).collect();
        let kinds = bodies
            .iter()
            .map(|b| {
                let rule = cases::BodyRule {
                    kind: b.kind.clone(),
                    ledger: b.ledger,
                    review_months: b.review_months,
                };
                (b.id, rule)
            })
            .collect();
        Tally {
            kinds,
            options: options.clone(),
            bodies,
            in_scope,
            ward_of,
            columns,
            stats,
            issue_keys: HashMap::new(),
            spellings: HashMap::new(),
            rules: crate::domain::case::CaseRules::builtin().clone(),
            chosen_ward,
            ward_labels,
        }
    }

    /// Counts reviews by these rules (the config's, as the database was opened with) rather
    /// than the rules shipped.
    pub fn with_rules(mut self, rules: crate::domain::case::CaseRules) -> Tally {
        self.rules = rules;
        self
    }

    /// The row of a written case issue (trimmed, not empty), its spelling counted.
    fn issue_key(&mut self, text: &str) -> IssueKey {
        let key = match self.issue_keys.get(text) {
            Some(key) => key.clone(),
            None => {
                let key = match self.options.vocabulary.issue(text) {
                    IssueMatch::Known(category) => IssueKey::Known(category.name.clone()),
                    IssueMatch::New => IssueKey::New(fold(text, false)),
                };
                self.issue_keys.insert(text.to_owned(), key.clone());
                key
            }
        };
        if let IssueKey::New(folded) = &key {
            let group = self.spellings.entry(folded.clone()).or_default();
            match group.get_mut(text) {
                Some(n) => *n += 1,
                None => {
                    group.insert(text.to_owned(), 1);
                }
            }
        }
        key
    }

    /// The row of a case issue's text, without counting the text as a spelling (the meeting's
    /// issues count each once).
    fn quiet_issue_key(&mut self, text: &str) -> IssueKey {
        if let Some(key) = self.issue_keys.get(text) {
            return key.clone();
        }
        let key = match self.options.vocabulary.issue(text) {
            IssueMatch::Known(category) => IssueKey::Known(category.name.clone()),
            IssueMatch::New => IssueKey::New(fold(text, false)),
        };
        self.issue_keys.insert(text.to_owned(), key.clone());
        key
    }

    /// A case (issue 18): counted in each column of its ward, when it is in scope (of the ward
    /// asked for; with `--body` or `--kind`, discussed at a meeting of a body chosen).
    pub fn case(&mut self, c: &CaseFact) {
        if self.options.ward.is_some_and(|w| c.ward_id != w) {
            return;
        }
        let chosen = self.options.body.is_some() || self.options.kind.is_some();
        if chosen && !c.meetings.iter().any(|(b, _)| self.in_scope.contains(b)) {
            return;
        }
        let issues: Vec<(NaiveDate, IssueKey)> = c
            .issues
            .iter()
            .map(|(d, t)| (*d, t.trim()))
            .filter(|(_, t)| !t.is_empty())
            .map(|(d, t)| (d, self.quiet_issue_key(t)))
            .collect();
        let kinds = &self.kinds;
        let kind_of = |b: i64| kinds.get(&b).cloned();
        // With --body/--kind only the meetings of the bodies chosen count for a case too.
        let in_scope = &self.in_scope;
        let counts = |b: i64| !chosen || in_scope.contains(&b);
        let bodies = cases::Bodies {
            kind_of: &kind_of,
            counts: &counts,
        };
        let lang = self.options.lang;
        let rules = &self.rules;
        for (i, column) in self.columns.iter().enumerate() {
            if column.ward.is_some_and(|w| w != c.ward_id) {
                continue;
            }
            let window = cases::Window::new(column.year, self.options.today);
            self.stats[i]
                .cases
                .add(c, &issues, &window, &bodies, rules, lang);
        }
    }

    /// The columns a body's record of `year` is counted in.
    fn columns_of(&self, body: i64, year: i32) -> impl Iterator<Item = usize> + '_ {
        let ward = self.ward_of.get(&body).copied();
        self.columns
            .iter()
            .enumerate()
            .filter(move |(_, c)| {
                ward.is_some() && c.year == year && c.ward.is_none_or(|w| Some(w) == ward)
            })
            .map(|(i, _)| i)
    }

    /// A held meeting (of any year: each column takes its own).
    pub fn meeting(&mut self, m: &MeetingFact) {
        let year = fiscal_year_of(m.date);
        let columns: Vec<usize> = self.columns_of(m.body_id, year).collect();
        if columns.is_empty() {
            return;
        }
        // Each category once per meeting, whichever way it was written; every spelling counted.
        let mut issues: Vec<IssueKey> = Vec::new();
        for text in m.issues.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let key = self.issue_key(text);
            if !issues.contains(&key) {
                issues.push(key);
            }
        }
        for i in columns {
            self.stats[i].add_meeting(m, &issues);
        }
    }

    /// A yearly count kept for a body.
    pub fn history(&mut self, h: &HistoryFact) {
        let columns: Vec<usize> = self.columns_of(h.body_id, h.fiscal_year).collect();
        for i in columns {
            self.stats[i]
                .published
                .insert(h.body_id, u64::from(h.meetings));
        }
    }

    /// A next action decided at a meeting held on `date` by `body`.
    pub fn action(&mut self, a: &ActionFact, body: i64, date: NaiveDate) {
        let year = fiscal_year_of(date);
        let columns: Vec<usize> = self.columns_of(body, year).collect();
        let cutoff = overdue_cutoff(year, self.options.today);
        for i in columns {
            self.stats[i].add_action(a, cutoff);
        }
    }

    /// The tables.
    pub fn finish(mut self) -> Report {
        let issue_names = IssueNames::new(&self.spellings);
        for s in &mut self.stats {
            s.issues = s
                .issue_keys
                .drain()
                .map(|(key, n)| (issue_names.name(&key).to_owned(), n))
                .collect();
            cases::name_issues(&mut s.cases, &issue_names);
        }
        let options = &self.options;
        let lang = options.lang;
        let years = options.years();
        let ctx = Ctx {
            lang,
            columns: &self.columns,
            stats: &self.stats,
            rank: rank_order(&self.columns, options),
        };
        let mut tables = vec![
            meetings_by_body(
                &ctx,
                &self.bodies,
                &self.in_scope,
                self.ward_labels.as_ref(),
                options,
            ),
            meetings_by_kind(&ctx, &self.bodies, &self.in_scope),
            basis_table(&ctx),
            supervisor_table(&ctx),
            referred_table(&ctx, options.top),
            agencies_table(&ctx, options.top),
            issues_table(&ctx, options.top_issues.or(options.top), &issue_names),
            actions_table(&ctx),
        ];
        tables.extend(cases::tables(
            &ctx,
            options.top,
            options.top_issues.or(options.top),
        ));
        let mut definitions = definitions(lang);
        if tables.iter().any(|t| t.id == TableId::Cases) {
            definitions.extend(cases::definitions(lang));
        }
        Report {
            lang,
            title: match lang {
                Lang::Ja => format!("年次報告 {}", year_label(options.fiscal_year, lang)),
                Lang::En => format!("Annual report {}", year_label(options.fiscal_year, lang)),
            },
            years: years.clone(),
            scope: scope_lines(options, &years, self.chosen_ward.as_deref(), &self.columns),
            tables,
            definitions,
        }
    }
}

/// The columns of the tables: a year each (the reported one, then the compared ones); with
/// `--by-ward`, the reported year of each ward with a body in scope, then the city's total of
/// each year.
fn columns(
    options: &Options,
    bodies: &[BodyFact],
    in_scope: &HashSet<i64>,
    wards: Vec<WardFact>,
) -> Vec<Column> {
    let lang = options.lang;
    let years = options.years();
    if !options.by_ward {
        return years
            .iter()
            .map(|&year| Column {
                year,
                ward: None,
                header: year_label(year, lang),
            })
            .collect();
    }
    let mut order: Vec<WardFact> = wards;
    for b in bodies {
        if !order.iter().any(|w| w.id == b.ward_id) {
            order.push(WardFact {
                id: b.ward_id,
                name: b.ward.clone(),
                code: None,
            });
        }
    }
    let mut out: Vec<Column> = order
        .into_iter()
        .filter(|w| {
            bodies
                .iter()
                .any(|b| b.ward_id == w.id && in_scope.contains(&b.id))
        })
        .map(|w| Column {
            year: options.fiscal_year,
            ward: Some(w.id),
            header: ward_header(&w, lang),
        })
        .collect();
    let total = lang.pick("計", "Total");
    out.extend(years.iter().map(|&year| Column {
        year,
        ward: None,
        header: if years.len() == 1 {
            total.to_owned()
        } else {
            format!("{} {total}", year_label(year, lang))
        },
    }));
    out
}

/// The wards of the bodies in scope (`ward_of`), each named as its column would be headed,
/// when they are more than one and the report is not by ward; else `None`.
fn ward_labels(
    bodies: &[BodyFact],
    ward_of: &HashMap<i64, i64>,
    wards: &[WardFact],
    options: &Options,
) -> Option<HashMap<i64, String>> {
    let ids: HashSet<i64> = ward_of.values().copied().collect();
    if options.by_ward || ids.len() < 2 {
        return None;
    }
    Some(
        ids.into_iter()
            .map(|id| (id, ward_header(&ward_fact(id, wards, bodies), options.lang)))
            .collect(),
    )
}

/// The ward of id `id`: as `wards` gives it, else named as its bodies name it.
fn ward_fact(id: i64, wards: &[WardFact], bodies: &[BodyFact]) -> WardFact {
    wards
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .unwrap_or_else(|| WardFact {
            id,
            name: bodies
                .iter()
                .find(|b| b.ward_id == id)
                .map(|b| b.ward.clone())
                .unwrap_or_default(),
            code: None,
        })
}

/// A ward's column: its name (with its code where another ward has the same name), or for a
/// ward never named, its number in the database.
fn ward_header(ward: &WardFact, lang: Lang) -> String {
    let (name, id) = (ward.name.trim(), ward.id);
    match (name.is_empty(), &ward.code, lang) {
        (true, _, Lang::Ja) => format!("（区{id}）"),
        (true, _, Lang::En) => format!("(ward {id})"),
        (false, Some(code), Lang::Ja) => format!("{name}（{code}）"),
        (false, Some(code), Lang::En) => format!("{name} ({code})"),
        (false, None, _) => name.to_owned(),
    }
}

/// The columns in the order rows are ranked by: the totals of the years (reported first), then
/// the wards.
fn rank_order(columns: &[Column], options: &Options) -> Vec<usize> {
    let years = options.years();
    let mut order: Vec<usize> = Vec::with_capacity(columns.len());
    for year in years {
        order.extend(
            columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.ward.is_none() && c.year == year)
                .map(|(i, _)| i),
        );
    }
    let wards: Vec<usize> = (0..columns.len()).filter(|i| !order.contains(i)).collect();
    order.extend(wards);
    order
}

/// Everything counted for one fiscal year.
#[derive(Default)]
struct YearStats {
    meetings: u64,
    by_body: HashMap<i64, u64>,
    published: HashMap<i64, u64>,
    basis: HashMap<Basis, u64>,
    supervisor: u64,
    referred: HashMap<String, u64>,
    referred_none: u64,
    agencies: HashMap<String, u64>,
    agency_total: u64,
    /// Case issues by row while counting, then by the row's name ([`Tally::finish`]).
    issue_keys: HashMap<IssueKey, u64>,
    issues: HashMap<String, u64>,
    issue_total: u64,
    /// Per agency (None: no agency named): created, done, open, overdue.
    actions: HashMap<Option<String>, [u64; 4]>,
    cases: cases::CaseStats,
}

impl YearStats {
    fn add_action(&mut self, a: &ActionFact, cutoff: NaiveDate) {
        let agency = a
            .agency
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let row = self.actions.entry(agency).or_default();
        row[0] += 1;
        match a.status {
            ActionStatus::Done => row[1] += 1,
            ActionStatus::Open => {
                row[2] += 1;
                if a.due.is_some_and(|d| d < cutoff) {
                    row[3] += 1;
                }
            }
            ActionStatus::Dropped => {}
        }
    }

    fn add_meeting(&mut self, m: &MeetingFact, issues: &[IssueKey]) {
        self.meetings += 1;
        *self.by_body.entry(m.body_id).or_default() += 1;
        *self.basis.entry(classify_basis(&m.basis)).or_default() += 1;
        self.supervisor += u64::from(m.supervisor);
        match m
            .referred_by
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(agency) => cases::bump(&mut self.referred, agency),
            None => self.referred_none += 1,
        }
        for agency in distinct(&m.agencies) {
            cases::bump(&mut self.agencies, agency);
            self.agency_total += 1;
        }
        for key in issues {
            match self.issue_keys.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    self.issue_keys.insert(key.clone(), 1);
                }
            }
            self.issue_total += 1;
        }
    }

    /// Meetings of a body: those recorded, else the yearly count kept for the body.
    fn body_meetings(&self, body: i64) -> Value {
        match (self.by_body.get(&body), self.published.get(&body)) {
            (Some(&n), _) => Value::Meetings {
                count: n,
                published: false,
            },
            (None, Some(&n)) => Value::Meetings {
                count: n,
                published: true,
            },
            (None, None) => Value::Meetings {
                count: 0,
                published: false,
            },
        }
    }
}

/// The name of each case issue row: a category's own, or for a text not in the vocabulary the
/// most frequent of the ways it was written (ＤＶ once, DV twice: DV), flagged new.
struct IssueNames {
    /// Fold key → the row's name.
    names: HashMap<String, String>,
    /// The rows that are not in the vocabulary.
    new: HashSet<String>,
}

impl IssueNames {
    fn new(spellings: &HashMap<String, HashMap<String, u64>>) -> IssueNames {
        let mut names = HashMap::new();
        let mut new = HashSet::new();
        for (folded, group) in spellings {
            // The most frequent; of two as frequent, the first in code point order.
            let Some(name) = group
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(text, _)| text.clone())
            else {
                continue;
            };
            names.insert(folded.clone(), name.clone());
            new.insert(name);
        }
        IssueNames { names, new }
    }

    fn name<'a>(&'a self, key: &'a IssueKey) -> &'a str {
        match key {
            IssueKey::Known(name) => name,
            IssueKey::New(folded) => self.names.get(folded).map_or(folded, String::as_str),
        }
    }

    fn is_new(&self, name: &str) -> bool {
        self.new.contains(name)
    }
}

/// The first day on which an open action due before it counts as overdue.
fn overdue_cutoff(year: i32, today: NaiveDate) -> NaiveDate {
    let after_year = fiscal_year_end(year)
        .checked_add_days(Days::new(1))
        .unwrap_or(NaiveDate::MAX);
    after_year.min(today)
}

/// Trimmed, non-empty, each once, in first-seen order.
fn distinct(items: &[String]) -> Vec<&str> {
    // A meeting's handful of agencies: compared with those kept, no set hashed a meeting.
    let mut out: Vec<&str> = Vec::with_capacity(items.len());
    for s in items.iter().map(|s| s.trim()) {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

struct Ctx<'a> {
    lang: Lang,
    columns: &'a [Column],
    stats: &'a [YearStats],
    /// The columns rows are ranked by, first to last.
    rank: Vec<usize>,
}

impl Ctx<'_> {
    fn pick(&self, ja: &str, en: &str) -> String {
        self.lang.pick(ja, en).to_owned()
    }

    fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.header.clone()).collect()
    }

    /// Sorts by the reported year's total, then the compared years', then the wards', descending.
    fn rank_key(&self, values: &[Value]) -> Vec<std::cmp::Reverse<u64>> {
        self.rank_key_of(values, 1)
    }

    /// The same for rows of `width` values a column (the actions' four).
    fn rank_key_of(&self, values: &[Value], width: usize) -> Vec<std::cmp::Reverse<u64>> {
        self.rank
            .iter()
            .flat_map(|&i| i * width..(i + 1) * width)
            .map(|k| std::cmp::Reverse(values.get(k).map_or(0, |v| v.count())))
            .collect()
    }

    fn per_year(&self, f: impl Fn(&YearStats) -> Value) -> Vec<Value> {
        self.stats.iter().map(f).collect()
    }

    fn table(&self, id: TableId, title: (&str, &str), label: (&str, &str)) -> Table {
        Table {
            id,
            title: self.pick(title.0, title.1),
            label_headers: vec![self.pick(label.0, label.1)],
            value_headers: self.headers(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }
}

fn row(kind: RowKind, label: String, values: Vec<Value>) -> Row {
    Row {
        kind,
        labels: vec![label],
        values,
    }
}

fn sum_meetings(values: impl Iterator<Item = Value>) -> Value {
    let (count, published) = values.fold((0, false), |(n, p), v| {
        (n + v.count(), p || v.is_published())
    });
    Value::Meetings { count, published }
}

fn published_note(ctx: &Ctx, table: &Table) -> Option<String> {
    let any = table
        .rows
        .iter()
        .any(|r| r.values.iter().any(|v| v.is_published()));
    any.then(|| {
        ctx.pick(
            "（実績）: 会議の記録がない年度は、公表・報告された開催回数（過去の実績）を計上しています。",
            "(published): for a year with no meetings recorded, the yearly count published or reported for the body is used.",
        )
    })
}

/// Meetings per body; with `--by-ward`, per body name: each ward's body of that name in its
/// column (a city's wards keep bodies of the same names), the organisers left out. Bodies of
/// more than one ward otherwise (a city's report of every ward) each say their ward
/// (`ward_labels`, by ward id), beside the name.
fn meetings_by_body(
    ctx: &Ctx,
    bodies: &[BodyFact],
    scope: &HashSet<i64>,
    ward_labels: Option<&HashMap<i64, String>>,
    options: &Options,
) -> Table {
    let mut t = ctx.table(
        TableId::MeetingsByBody,
        ("会議体別の開催回数", "Meetings per body"),
        ("会議体", "Body"),
    );
    let by_name = options.by_ward;
    if ward_labels.is_some() {
        t.label_headers.push(ctx.pick("区", "Ward"));
    }
    if !by_name {
        t.label_headers.push(ctx.pick("主催者", "Organiser"));
    }
    let mut groups: Vec<(Vec<String>, Vec<i64>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for body in bodies.iter().filter(|b| scope.contains(&b.id)) {
        if !by_name {
            let mut labels = vec![body.name.clone()];
            if let Some(wards) = ward_labels {
                labels.push(wards.get(&body.ward_id).cloned().unwrap_or_default());
            }
            labels.push(body.organiser.clone());
            groups.push((labels, vec![body.id]));
            continue;
        }
        let name = body.name.trim();
        match index.get(name) {
            Some(&i) => groups[i].1.push(body.id),
            None => {
                index.insert(name, groups.len());
                groups.push((vec![name.to_owned()], vec![body.id]));
            }
        }
    }
    let keep_empty = options.body.is_some();
    for (labels, ids) in groups {
        let values = ctx.per_year(|s| sum_meetings(ids.iter().map(|&b| s.body_meetings(b))));
        if keep_empty || values.iter().any(|v| v.count() > 0 || v.is_published()) {
            t.rows.push(Row {
                kind: RowKind::Item,
                labels,
                values,
            });
        }
    }
    let totals = (0..ctx.columns.len())
        .map(|i| sum_meetings(t.rows.iter().map(|r| r.values[i])))
        .collect();
    let mut labels = vec![ctx.pick("計", "Total")];
    labels.resize(t.label_headers.len(), String::new());
    t.rows.push(Row {
        kind: RowKind::Total,
        labels,
        values: totals,
    });
    t.notes.extend(published_note(ctx, &t));
    t
}

fn meetings_by_kind(ctx: &Ctx, bodies: &[BodyFact], scope: &HashSet<i64>) -> Table {
    let mut t = ctx.table(
        TableId::MeetingsByKind,
        ("種別ごとの開催回数", "Meetings per kind of body"),
        ("種別", "Kind"),
    );
    let mut kinds: Vec<(&str, Vec<i64>)> = Vec::new();
    for b in bodies.iter().filter(|b| scope.contains(&b.id)) {
        match kinds.iter_mut().find(|(k, _)| *k == b.kind) {
            Some((_, ids)) => ids.push(b.id),
            None => kinds.push((b.kind.as_str(), vec![b.id])),
        }
    }
    for (kind, ids) in kinds {
        let values: Vec<Value> =
            ctx.per_year(|s| sum_meetings(ids.iter().map(|&b| s.body_meetings(b))));
        if values.iter().any(|v| v.count() > 0 || v.is_published()) {
            let label = if kind.is_empty() {
                ctx.pick("（種別未設定）", "(no kind set)")
            } else {
                kind.to_owned()
            };
            t.rows.push(row(RowKind::Item, label, values));
        }
    }
    let totals = (0..ctx.columns.len())
        .map(|i| sum_meetings(t.rows.iter().map(|r| r.values[i])))
        .collect();
    t.rows
        .push(row(RowKind::Total, ctx.pick("計", "Total"), totals));
    t.notes.extend(published_note(ctx, &t));
    t
}

fn basis_table(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::Basis,
        ("開催根拠", "Legal basis"),
        ("開催根拠", "Basis"),
    );
    let count = |b: &Basis| ctx.per_year(|s| Value::Count(s.basis.get(b).copied().unwrap_or(0)));
    for b in Basis::FIXED {
        t.rows
            .push(row(RowKind::Item, b.label(ctx.lang), count(&b)));
    }
    let mut others: Vec<Basis> = ctx
        .stats
        .iter()
        .flat_map(|s| s.basis.keys())
        .filter(|b| matches!(b, Basis::Other(_)))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    others.sort_by_key(|b| ctx.rank_key(&count(b)));
    for b in others {
        t.rows
            .push(row(RowKind::Item, b.label(ctx.lang), count(&b)));
    }
    if ctx
        .stats
        .iter()
        .any(|s| s.basis.contains_key(&Basis::Unrecorded))
    {
        let b = Basis::Unrecorded;
        t.rows
            .push(row(RowKind::Unrecorded, b.label(ctx.lang), count(&b)));
    }
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(s.meetings)),
    ));
    t
}

fn supervisor_table(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::Supervisor,
        ("SV派遣", "Supervisor dispatched"),
        ("SV派遣", "Supervisor"),
    );
    t.rows.push(row(
        RowKind::Item,
        ctx.pick("無", "No"),
        ctx.per_year(|s| Value::Count(s.meetings - s.supervisor)),
    ));
    t.rows.push(row(
        RowKind::Item,
        ctx.pick("有", "Yes"),
        ctx.per_year(|s| Value::Count(s.supervisor)),
    ));
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(s.meetings)),
    ));
    t
}

/// Rows of names counted per year: largest first (ties by name), the rows past `top` folded into
/// one その他 row. Returns the rows and the folded names.
fn ranked(
    ctx: &Ctx,
    counts: impl Fn(&YearStats) -> &HashMap<String, u64>,
    top: Option<usize>,
    value: impl Fn(u64, &YearStats) -> Value,
) -> (Vec<Row>, Vec<String>) {
    let names: BTreeSet<&String> = ctx.stats.iter().flat_map(|s| counts(s).keys()).collect();
    let mut items: Vec<(String, Vec<Value>)> = names
        .into_iter()
        .map(|name| {
            let values = ctx.per_year(|s| value(counts(s).get(name).copied().unwrap_or(0), s));
            (name.clone(), values)
        })
        .collect();
    items.sort_by(|a, b| {
        ctx.rank_key(&a.1)
            .cmp(&ctx.rank_key(&b.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    let keep = top.unwrap_or(items.len()).min(items.len());
    let folded = items.split_off(keep);
    let mut rows: Vec<Row> = items
        .into_iter()
        .map(|(name, values)| row(RowKind::Item, name, values))
        .collect();
    if !folded.is_empty() {
        let values = (0..ctx.columns.len())
            .map(|i| {
                let n = folded.iter().map(|(_, v)| v[i].count()).sum();
                value(n, &ctx.stats[i])
            })
            .collect();
        rows.push(row(RowKind::Other, ctx.pick("その他", "Others"), values));
    }
    (rows, folded.into_iter().map(|(name, _)| name).collect())
}

fn folded_note(ctx: &Ctx, folded: &[String]) -> Option<String> {
    (!folded.is_empty()).then(|| match ctx.lang {
        Lang::Ja => format!("その他には、{}", folded.join("、")),
        Lang::En => format!("Others: {}", folded.join(", ")),
    })
}

fn referred_table(ctx: &Ctx, top: Option<usize>) -> Table {
    let mut t = ctx.table(
        TableId::ReferredBy,
        ("相談のあった機関", "Referring agency"),
        ("相談のあった機関", "Agency"),
    );
    let share = |count: u64, s: &YearStats| Value::Share {
        count,
        total: s.meetings,
    };
    let (rows, folded) = ranked(ctx, |s| &s.referred, top, share);
    t.rows = rows;
    if ctx.stats.iter().any(|s| s.referred_none > 0) {
        t.rows.push(row(
            RowKind::Unrecorded,
            ctx.pick("未記入", "Not recorded"),
            ctx.per_year(|s| share(s.referred_none, s)),
        ));
    }
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| share(s.meetings, s)),
    ));
    t.notes.extend(folded_note(ctx, &folded));
    t
}

fn agencies_table(ctx: &Ctx, top: Option<usize>) -> Table {
    let mut t = ctx.table(
        TableId::Agencies,
        ("参加機関", "Participating agencies"),
        ("参加機関", "Agency"),
    );
    let (rows, folded) = ranked(ctx, |s| &s.agencies, top, |n, _| Value::Count(n));
    t.rows = rows;
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(s.agency_total)),
    ));
    t.rows.push(row(
        RowKind::Mean,
        ctx.pick("1回あたり平均参加機関数", "Agencies per meeting (mean)"),
        ctx.per_year(|s| Value::Mean {
            sum: s.agency_total,
            over: s.meetings,
        }),
    ));
    t.notes.extend(folded_note(ctx, &folded));
    t
}

fn issues_table(ctx: &Ctx, top: Option<usize>, issue_names: &IssueNames) -> Table {
    let mut t = ctx.table(TableId::Issues, ("課題", "Case issues"), ("課題", "Issue"));
    let (rows, folded) = ranked(ctx, |s| &s.issues, top, |n, _| Value::Count(n));
    // In the order of the ranking, those shown first, then those folded into その他.
    let new: Vec<&str> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .map(Row::label)
        .chain(folded.iter().map(String::as_str))
        .filter(|name| issue_names.is_new(name))
        .collect();
    let new_note = (!new.is_empty()).then(|| match ctx.lang {
        Lang::Ja => format!(
            "課題の一覧にないもの（新しい課題としてそのまま数えています）: {}",
            new.join("、")
        ),
        Lang::En => format!(
            "Not in the list of issue categories (new, counted as written): {}",
            new.join(", ")
        ),
    });
    t.rows = rows;
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("総計", "Total"),
        ctx.per_year(|s| Value::Count(s.issue_total)),
    ));
    t.rows.push(row(
        RowKind::Mean,
        ctx.pick("1事例あたり課題数", "Issues per case (mean)"),
        ctx.per_year(|s| Value::Mean {
            sum: s.issue_total,
            over: s.meetings,
        }),
    ));
    t.notes.extend(folded_note(ctx, &folded));
    t.notes.extend(new_note);
    t.notes.push(ctx.pick(
        "1事例 = 開催1回: 課題の総計を開催回数で割っています（課題の記録がない回も数えます）。",
        "A case is one meeting held: the total is divided by the meetings held (those with no issue recorded included).",
    ));
    t
}

const ACTION_COLUMNS: [(&str, &str); 4] = [
    ("作成", "created"),
    ("完了", "done"),
    ("未完了", "open"),
    ("期限超過", "overdue"),
];

fn actions_table(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::Actions,
        ("次回までの対応（機関別）", "Next actions by agency"),
        ("機関", "Agency"),
    );
    t.value_headers = ctx
        .columns
        .iter()
        .flat_map(|c| {
            ACTION_COLUMNS
                .iter()
                .map(move |(ja, en)| format!("{} {}", c.header, ctx.lang.pick(ja, en)))
        })
        .collect();
    let agencies: BTreeSet<&Option<String>> =
        ctx.stats.iter().flat_map(|s| s.actions.keys()).collect();
    let values_of = |agency: &Option<String>| -> Vec<Value> {
        ctx.stats
            .iter()
            .flat_map(|s| {
                let counts = s.actions.get(agency).copied().unwrap_or_default();
                counts.map(Value::Count)
            })
            .collect()
    };
    let mut items: Vec<(&Option<String>, Vec<Value>)> =
        agencies.into_iter().map(|a| (a, values_of(a))).collect();
    // Largest first by actions created, with no agency named last.
    let width = ACTION_COLUMNS.len();
    items.sort_by(|a, b| {
        a.0.is_none()
            .cmp(&b.0.is_none())
            .then_with(|| {
                ctx.rank_key_of(&a.1, width)
                    .cmp(&ctx.rank_key_of(&b.1, width))
            })
            .then_with(|| a.0.cmp(b.0))
    });
    for (agency, values) in items {
        let (kind, label) = match agency {
            Some(name) => (RowKind::Item, name.clone()),
            None => (
                RowKind::Unrecorded,
                ctx.pick("（機関未指定）", "(no agency)"),
            ),
        };
        t.rows.push(row(kind, label, values));
    }
    let totals = (0..t.value_headers.len())
        .map(|i| Value::Count(t.rows.iter().map(|r| r.values[i].count()).sum()))
        .collect();
    t.rows
        .push(row(RowKind::Total, ctx.pick("計", "Total"), totals));
    t
}

fn scope_lines(
    options: &Options,
    years: &[i32],
    chosen_ward: Option<&str>,
    columns: &[Column],
) -> Vec<String> {
    let lang = options.lang;
    let mut lines: Vec<String> = years
        .iter()
        .map(|&y| {
            let (from, to) = (fiscal_year_start(y), fiscal_year_end(y));
            match lang {
                Lang::Ja => format!("{}: {from} 〜 {to}", year_label(y, lang)),
                Lang::En => format!("{}: {from} to {to}", year_label(y, lang)),
            }
        })
        .collect();
    if let Some(name) = chosen_ward {
        lines.push(format!("{}: {name}", lang.pick("区", "Ward")));
    }
    if options.by_ward {
        let wards = columns.iter().filter(|c| c.ward.is_some()).count();
        lines.push(match lang {
            Lang::Ja => format!(
                "区別: {}の{wards}区（列）と計",
                year_label(options.fiscal_year, lang)
            ),
            Lang::En => format!(
                "By ward: {wards} wards in {} (columns) and the total",
                year_label(options.fiscal_year, lang)
            ),
        });
    }
    if let Some(body) = &options.body {
        lines.push(format!("{}: {}", lang.pick("会議体", "Body"), body.trim()));
    }
    if let Some(kind) = &options.kind {
        lines.push(format!("{}: {}", lang.pick("種別", "Kind"), kind.trim()));
    }
    lines
}

fn definitions(lang: Lang) -> Vec<String> {
    let pairs: [(&str, &str); 5] = [
        (
            "開催済みの会議だけを数え、会議の日付が属する年度（4月〜翌3月）に計上します。",
            "Only meetings held count, each in the fiscal year (April to March) of its date.",
        ),
        (
            "参加機関は、出席・遅刻・早退の出席者の機関を会議ごとに1回ずつ数えます。",
            "Participating agencies: the agencies of attendees present, late or leaving early, each once per meeting.",
        ),
        (
            "平均参加機関数と1事例あたり課題数は、開催1回あたりの平均です（小数第1位に四捨五入）。",
            "Agencies per meeting and issues per case are means per meeting held, rounded to one decimal.",
        ),
        (
            "割合は開催回数に対する百分率です（整数に四捨五入）。",
            "Shares are percentages of the meetings held, rounded to whole numbers.",
        ),
        (
            "次回までの対応: その年度に開催した会議で決めたもの。完了・未完了は現在の状態、期限超過は未完了のうち期限が年度末まで（今年度は今日の前日まで）のものです。",
            "Next actions: those decided at meetings held in the year. Done and open are their state now; overdue are the open ones due by the end of the fiscal year (for the current year, before today).",
        ),
    ];
    pairs
        .iter()
        .map(|(ja, en)| lang.pick(ja, en).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocabulary::Vocabulary;
    use crate::report::{ActionFact, BodyFact, HistoryFact};

    /// A date written YYYY-MM-DD (also for the case tables' tests, build/cases.rs).
    pub(super) fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A body of ward 1 organised by 区.
    pub(super) fn body(id: i64, name: &str, kind: &str) -> BodyFact {
        BodyFact {
            id,
            name: name.into(),
            organiser: "区".into(),
            kind: kind.into(),
            ward_id: 1,
            ward: String::new(),
            ledger: None,
            review_months: None,
        }
    }

    fn meeting(id: i64, body_id: i64, day: &str) -> MeetingFact {
        MeetingFact {
            id,
            body_id,
            date: date(day),
            basis: String::new(),
            supervisor: false,
            referred_by: None,
            agencies: Vec::new(),
            issues: Vec::new(),
        }
    }

    fn options(year: i32) -> Options {
        Options::new(Lang::Ja, year, date("2026-11-21"))
    }

    fn count(report: &Report, id: TableId, label: &str) -> Vec<u64> {
        let row = report.table(id).unwrap().row(label).unwrap();
        row.values.iter().map(|v| v.count()).collect()
    }

    #[test]
    fn fiscal_year_boundaries() {
        let input = Input {
            bodies: vec![body(1, "支援会議", "支援会議")],
            meetings: vec![
                meeting(1, 1, "2020-04-01"),
                meeting(2, 1, "2021-03-31"),
                meeting(3, 1, "2021-04-01"),
                meeting(4, 1, "2020-03-31"),
            ],
            ..Input::default()
        };
        let mut o = options(2020);
        o.compare = vec![2021, 2019];
        let r = build(&input, &o);
        assert_eq!(count(&r, TableId::MeetingsByBody, "支援会議"), [2, 1, 1]);
        assert_eq!(count(&r, TableId::Supervisor, "計"), [2, 1, 1]);
        assert_eq!(r.years, [2020, 2021, 2019]);
    }

    #[test]
    fn history_stands_in_only_for_years_with_no_meetings() {
        let input = Input {
            bodies: vec![
                body(1, "支援会議", "支援会議"),
                body(2, "コア会議", "コア会議"),
            ],
            meetings: vec![meeting(1, 1, "2024-05-01")],
            history: vec![
                HistoryFact {
                    body_id: 1,
                    fiscal_year: 2024,
                    meetings: 9,
                },
                HistoryFact {
                    body_id: 1,
                    fiscal_year: 2023,
                    meetings: 10,
                },
                HistoryFact {
                    body_id: 2,
                    fiscal_year: 2023,
                    meetings: 19,
                },
            ],
            ..Input::default()
        };
        let mut o = options(2024);
        o.compare = vec![2023];
        let r = build(&input, &o);
        let t = r.table(TableId::MeetingsByBody).unwrap();
        let support = t.row("支援会議").unwrap();
        assert_eq!(
            support.values,
            [
                Value::Meetings {
                    count: 1,
                    published: false
                },
                Value::Meetings {
                    count: 10,
                    published: true
                }
            ]
        );
        assert_eq!(support.values[1].display(Lang::Ja), "10（実績）");
        assert_eq!(count(&r, TableId::MeetingsByBody, "計"), [1, 29]);
        assert!(t.notes[0].contains("実績"));
        assert_eq!(count(&r, TableId::MeetingsByKind, "コア会議"), [0, 19]);
    }

    #[test]
    fn shares_and_means_round_as_published() {
        assert_eq!(
            Value::Share {
                count: 35,
                total: 118
            }
            .display(Lang::Ja),
            "35件(30%)"
        );
        assert_eq!(
            Value::Share {
                count: 53,
                total: 158
            }
            .percent(),
            Some(34)
        );
        assert_eq!(
            Value::Share {
                count: 45,
                total: 158
            }
            .percent(),
            Some(28)
        );
        assert_eq!(
            Value::Mean {
                sum: 729,
                over: 118
            }
            .display(Lang::Ja),
            "6.2"
        );
        assert_eq!(
            Value::Mean {
                sum: 529,
                over: 118
            }
            .display(Lang::Ja),
            "4.5"
        );
        assert_eq!(
            Value::Mean {
                sum: 816,
                over: 158
            }
            .display(Lang::Ja),
            "5.2"
        );
        assert_eq!(Value::Mean { sum: 1, over: 0 }.display(Lang::Ja), "-");
        assert_eq!(Value::Mean { sum: 1, over: 4 }.display(Lang::Ja), "0.3");
    }

    #[test]
    fn agencies_count_once_per_meeting_and_rank() {
        let mut a = meeting(1, 1, "2020-06-01");
        a.agencies = vec!["包括".into(), "包括".into(), "保護".into(), " ".into()];
        a.issues = vec!["孤立".into(), "認知症".into()];
        a.referred_by = Some("包括".into());
        let mut b = meeting(2, 1, "2020-07-01");
        b.agencies = vec!["包括".into()];
        let input = Input {
            bodies: vec![body(1, "つながる場", "個別ケース会議")],
            meetings: vec![a, b],
            ..Input::default()
        };
        let r = build(&input, &options(2020));
        let t = r.table(TableId::Agencies).unwrap();
        assert_eq!(t.rows[0].label(), "包括");
        assert_eq!(count(&r, TableId::Agencies, "包括"), [2]);
        assert_eq!(count(&r, TableId::Agencies, "計"), [3]);
        assert_eq!(
            t.row("1回あたり平均参加機関数").unwrap().values[0].display(Lang::Ja),
            "1.5"
        );
        let issues = r.table(TableId::Issues).unwrap();
        assert_eq!(
            issues.row("1事例あたり課題数").unwrap().values[0].display(Lang::Ja),
            "1.0"
        );
        let referred = r.table(TableId::ReferredBy).unwrap();
        assert_eq!(
            referred.row("包括").unwrap().values[0].display(Lang::Ja),
            "1件(50%)"
        );
        assert_eq!(
            referred.row("未記入").unwrap().values[0].display(Lang::Ja),
            "1件(50%)"
        );
        assert_eq!(
            referred.total().unwrap().values[0].display(Lang::Ja),
            "2件(100%)"
        );
    }

    #[test]
    fn issue_variants_fold_into_their_category_and_new_ones_are_flagged() {
        let issues = [
            vec!["ゴミ屋敷", "ごみ屋敷", "ＤＶ"],
            vec!["ｺﾞﾐ屋敷", "DV", "精神障害"],
            vec!["ゴミやしき", "ヤングケアラー"],
            vec!["DV"],
            vec![],
        ];
        let meetings = issues
            .iter()
            .enumerate()
            .map(|(i, list)| {
                let mut m = meeting(i as i64, 1, "2020-06-01");
                m.issues = list.iter().map(|t| (*t).to_owned()).collect();
                m
            })
            .collect();
        let input = Input {
            bodies: vec![body(1, "つながる場", "")],
            meetings,
            ..Input::default()
        };
        let r = build(&input, &options(2020));
        let t = r.table(TableId::Issues).unwrap();
        let rows: Vec<(&str, u64)> = t
            .rows
            .iter()
            .map(|r| (r.label(), r.values[0].count()))
            .collect();
        // By hand: ゴミ屋敷 in meetings 1 (twice, once counted), 2 and 3; DV (ＤＶ once, DV twice)
        // in 1, 2 and 4; 精神障害 is 精神障がい（疑い含む）; 8 in all over 5 meetings.
        assert_eq!(
            rows,
            [
                ("DV", 3),
                ("ゴミ屋敷", 3),
                ("ヤングケアラー", 1),
                ("精神障がい（疑い含む）", 1),
                ("総計", 8),
                ("1事例あたり課題数", 8),
            ]
        );
        assert_eq!(t.rows[5].values[0].display(Lang::Ja), "1.6");
        assert_eq!(
            t.notes[0],
            "課題の一覧にないもの（新しい課題としてそのまま数えています）: DV、ヤングケアラー"
        );
        // A category the config adds is no longer new; folded into その他, a new one is still
        // named.
        let mut o = options(2020);
        o.vocabulary = Vocabulary::builtin()
            .with_issues(&[crate::domain::vocabulary::Category {
                name: "ヤングケアラー".into(),
                en: None,
                variants: Vec::new(),
                kana: true,
            }])
            .0;
        o.top_issues = Some(1);
        let r = build(&input, &o);
        let t = r.table(TableId::Issues).unwrap();
        assert_eq!(t.rows[0].label(), "DV");
        assert_eq!(t.row("その他").unwrap().values[0].count(), 5);
        assert_eq!(
            t.notes[1],
            "課題の一覧にないもの（新しい課題としてそのまま数えています）: DV"
        );
        o.lang = Lang::En;
        let r = build(&input, &o);
        assert_eq!(
            r.table(TableId::Issues).unwrap().notes[1],
            "Not in the list of issue categories (new, counted as written): DV"
        );
    }

    #[test]
    fn a_citys_wards_fold_the_ways_an_issue_is_written_into_one_row() {
        // Ward 1 writes ＤＶ once, ward 2 DV twice and ごみ屋敷 (ゴミ屋敷 in the vocabulary):
        // one DV row (its most frequent spelling in the city), a column per ward and the total.
        let mut a = body(1, "地域ケア会議", "");
        a.ward = "北区".into();
        let mut b = body(2, "地域ケア会議", "");
        b.ward_id = 2;
        b.ward = "都島区".into();
        let issues = [
            (1, vec!["ＤＶ"]),
            (2, vec!["DV", "ごみ屋敷"]),
            (2, vec!["DV "]),
        ];
        let meetings = issues
            .iter()
            .enumerate()
            .map(|(i, (body, list))| {
                let mut m = meeting(i as i64, *body, "2020-06-01");
                m.issues = list.iter().map(|t| (*t).to_owned()).collect();
                m
            })
            .collect();
        let input = Input {
            bodies: vec![a, b],
            meetings,
            ..Input::default()
        };
        let mut o = options(2020);
        o.by_ward = true;
        let r = build(&input, &o);
        let t = r.table(TableId::Issues).unwrap();
        assert_eq!(t.value_headers, ["北区", "都島区", "計"]);
        let rows: Vec<(&str, Vec<u64>)> = t
            .rows
            .iter()
            .map(|r| (r.label(), r.values.iter().map(|v| v.count()).collect()))
            .collect();
        assert_eq!(rows[0], ("DV", vec![1, 2, 3]));
        assert_eq!(rows[1], ("ゴミ屋敷", vec![0, 1, 1]));
        assert_eq!(
            t.notes[0],
            "課題の一覧にないもの（新しい課題としてそのまま数えています）: DV"
        );
    }

    #[test]
    fn top_folds_the_rest_by_the_reported_year() {
        let mut meetings = Vec::new();
        for (i, (agency, n)) in [("A", 3), ("B", 2), ("C", 1), ("D", 1)].iter().enumerate() {
            for j in 0..*n {
                let mut m = meeting((i * 10 + j) as i64, 1, "2020-06-01");
                m.agencies = vec![(*agency).into()];
                meetings.push(m);
            }
        }
        let mut old = meeting(100, 1, "2019-06-01");
        old.agencies = vec!["D".into()];
        meetings.push(old);
        let input = Input {
            bodies: vec![body(1, "場", "")],
            meetings,
            ..Input::default()
        };
        let mut o = options(2020);
        o.compare = vec![2019];
        o.top = Some(2);
        let r = build(&input, &o);
        let t = r.table(TableId::Agencies).unwrap();
        let labels: Vec<&str> = t.rows.iter().map(Row::label).collect();
        assert_eq!(
            labels,
            ["A", "B", "その他", "計", "1回あたり平均参加機関数"]
        );
        assert_eq!(count(&r, TableId::Agencies, "その他"), [2, 1]);
        // D also counts in the compared year, so it ranks above C.
        assert_eq!(t.notes, ["その他には、D、C"]);
    }

    #[test]
    fn basis_rows_fixed_unknown_and_unrecorded() {
        let texts = [
            "地域ケア会議",
            "要対協",
            "要保護児童対策地域協議会",
            "重層的支援会議",
            "",
        ];
        let meetings = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut m = meeting(i as i64, 1, "2020-06-01");
                m.basis = (*t).into();
                m.supervisor = i % 2 == 0;
                m
            })
            .collect();
        let input = Input {
            bodies: vec![body(1, "場", "")],
            meetings,
            ..Input::default()
        };
        let r = build(&input, &options(2020));
        let t = r.table(TableId::Basis).unwrap();
        let labels: Vec<&str> = t.rows.iter().map(Row::label).collect();
        assert_eq!(
            labels,
            [
                "地域ケア会議",
                "支援会議",
                "本人同意",
                "要保護児童対策地域協議会",
                "地域ケア会議・要対協の共催",
                "重層的支援会議",
                "未記入",
                "計"
            ]
        );
        assert_eq!(count(&r, TableId::Basis, "要保護児童対策地域協議会"), [2]);
        assert_eq!(count(&r, TableId::Basis, "計"), [5]);
        assert_eq!(count(&r, TableId::Supervisor, "有"), [3]);
        assert_eq!(count(&r, TableId::Supervisor, "無"), [2]);
    }

    #[test]
    fn actions_created_done_open_overdue() {
        let input = Input {
            bodies: vec![body(1, "場", "")],
            meetings: vec![meeting(1, 1, "2020-06-01"), meeting(2, 1, "2026-06-01")],
            actions: vec![
                action(1, Some("包括"), Some("2021-03-31"), ActionStatus::Open),
                action(1, Some("包括"), Some("2021-04-01"), ActionStatus::Open),
                action(1, Some("包括"), None, ActionStatus::Done),
                action(1, None, Some("2020-07-01"), ActionStatus::Dropped),
                action(2, Some("保護"), Some("2026-11-20"), ActionStatus::Open),
                action(2, Some("保護"), Some("2026-11-21"), ActionStatus::Open),
            ],
            ..Input::default()
        };
        // A past year: due by 31 March and still open is overdue; due 1 April is not.
        let r = build(&input, &options(2020));
        assert_eq!(count(&r, TableId::Actions, "包括"), [3, 1, 2, 1]);
        assert_eq!(count(&r, TableId::Actions, "（機関未指定）"), [1, 0, 0, 0]);
        assert_eq!(count(&r, TableId::Actions, "計"), [4, 1, 2, 1]);
        // The current year: overdue as of today (21 November 2026), not the year's end.
        let r = build(&input, &options(2026));
        assert_eq!(count(&r, TableId::Actions, "保護"), [2, 0, 2, 1]);
        assert_eq!(
            r.table(TableId::Actions).unwrap().value_headers[3],
            "令和8年度 期限超過"
        );
    }

    fn action(
        meeting: i64,
        agency: Option<&str>,
        due: Option<&str>,
        status: ActionStatus,
    ) -> ActionFact {
        ActionFact {
            meeting_id: meeting,
            agency: agency.map(Into::into),
            due: due.map(date),
            status,
        }
    }

    #[test]
    fn scope_filters_by_body_and_kind() {
        let input = Input {
            bodies: vec![
                body(1, "支援会議", "支援会議"),
                body(2, "コア会議", "コア会議"),
            ],
            meetings: vec![meeting(1, 1, "2020-06-01"), meeting(2, 2, "2020-06-02")],
            ..Input::default()
        };
        let mut o = options(2020);
        o.kind = Some("コア会議".into());
        let r = build(&input, &o);
        assert_eq!(count(&r, TableId::Basis, "計"), [1]);
        assert!(
            r.table(TableId::MeetingsByBody)
                .unwrap()
                .row("支援会議")
                .is_none()
        );
        assert!(r.scope.iter().any(|l| l == "種別: コア会議"));
        o.kind = Some("ない".into());
        assert!(
            check_scope(&input, &o)
                .unwrap_err()
                .render(Lang::Ja)
                .contains("（種別: コア会議, 支援会議）")
        );
        o.kind = None;
        o.body = Some("ない".into());
        assert!(
            check_scope(&input, &o)
                .unwrap_err()
                .render(Lang::En)
                .contains("no body named 'ない'")
        );
    }

    #[test]
    fn english_labels() {
        let input = Input {
            bodies: vec![body(1, "支援会議", "支援会議")],
            meetings: vec![meeting(1, 1, "2020-06-01")],
            ..Input::default()
        };
        let mut o = options(2020);
        o.lang = Lang::En;
        let r = build(&input, &o);
        assert_eq!(r.title, "Annual report FY2020");
        assert_eq!(
            r.table(TableId::Supervisor).unwrap().title,
            "Supervisor dispatched"
        );
        assert_eq!(count(&r, TableId::Supervisor, "No"), [1]);
    }
}
