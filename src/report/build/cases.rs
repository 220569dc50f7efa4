//! Cases (事例) in the annual report (issue 18 item 5): each case counted into the columns of
//! its ward and year as it is read — opened, ended by reason, followed during the year, active
//! at its end, by referring and by lead agency, issue categories once per case, consent, the
//! meetings that discussed it, days from opening to closure, reviews held and overdue.
//!
//! Counting rules (printed under the report, see [`definitions`]):
//! - a case is followed in a year when it was opened by the year's end (for the current year:
//!   today) and not ended before it began; active at the year's end (for the current year: today) when opened by then and not
//!   ended by then; a case with no opening date is taken as opened at its first meeting;
//! - issue categories are counted once per case followed, from the issues recorded for it at
//!   the meetings held that year, the variants of a category folded into it;
//! - meetings per case is the mean over the cases discussed at a meeting held that year;
//! - days to closure is the median over the cases ended that year with an opening date;
//! - a review held is a review recorded at a meeting held (進行管理, `case_reviews`); for a case
//!   with no review recorded (records from before them), a discussion at a meeting held of a
//!   body that keeps a ledger (its own `ledger`, else its kind's: fixtures/case_rules.toml); a
//!   review overdue at the year's end is a case active then whose next review (the date set by
//!   then, else the rules, with the body's own interval) had passed.

use foldhash::HashMap;

use chrono::{Days, NaiveDate};

use super::{Ctx, IssueKey, IssueNames, YearStats, folded_note, ranked, row};
use crate::domain::calendar::{fiscal_year_end, fiscal_year_start};
use crate::domain::case::{CaseRules, CaseStatus, Consent, Level, ReviewFacts};
use crate::i18n::Lang;
use crate::report::{CaseChangeFact, CaseFact, CaseValue, RowKind, Table, TableId, Value};

/// A body as the counting of cases needs it: its kind and its own review rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BodyRule {
    pub kind: String,
    pub ledger: Option<bool>,
    pub review_months: Option<u32>,
}

/// Everything counted of cases for one column.
#[derive(Default)]
pub(super) struct CaseStats {
    /// Cases in scope at all (the tables are printed only when some are).
    pub seen: u64,
    opened: u64,
    /// Ended in the year, by how and why.
    ended: HashMap<String, u64>,
    ended_total: u64,
    followed: u64,
    active: u64,
    referred: HashMap<String, u64>,
    referred_none: u64,
    lead: HashMap<String, u64>,
    lead_none: u64,
    /// Cases by issue category while counting, then by the category's name.
    pub issue_keys: HashMap<IssueKey, u64>,
    pub issues: HashMap<String, u64>,
    consent: [u64; 3],
    discussed: u64,
    meetings: u64,
    days: Vec<u64>,
    reviews: u64,
    overdue: u64,
}

/// What a case's meetings are read with: the kind of a body, and whether a meeting of a body is
/// counted (with `--body`/`--kind`: only those bodies' meetings).
pub(super) struct Bodies<'a> {
    pub kind_of: &'a dyn Fn(i64) -> Option<BodyRule>,
    pub counts: &'a dyn Fn(i64) -> bool,
}

/// The year's window of a column and the day it is counted as of.
pub(super) struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The year's last day, or today for the current year.
    pub as_of: NaiveDate,
    /// The first day on which a review due before it is overdue.
    pub cutoff: NaiveDate,
}

impl Window {
    pub fn new(year: i32, today: NaiveDate) -> Window {
        let end = fiscal_year_end(year);
        let cutoff = end
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX)
            .min(today);
        Window {
            start: fiscal_year_start(year),
            end,
            as_of: end.min(today),
            cutoff,
        }
    }

    fn holds(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// A case as it stood at the end of one day: each field as the last change of it in effect by
/// then left it (a case with no history: its fields as they are now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stood {
    pub status: CaseStatus,
    /// The day it ended, when it stood ended.
    pub closed: Option<NaiveDate>,
    pub closure_reason: String,
    pub consent: Consent,
    pub referred_by: Option<String>,
    pub lead_agency: Option<String>,
    pub risk: Option<Level>,
    pub review_set: Option<NaiveDate>,
    /// The day that review date was set, when renkei kept the change.
    pub review_set_on: Option<NaiveDate>,
    /// The last day it was reopened after it had ended, by then.
    pub reopened: Option<NaiveDate>,
}

impl Stood {
    pub fn of(c: &CaseFact, day: NaiveDate) -> Stood {
        let mut s = Stood {
            status: c.status,
            closed: c.closed,
            closure_reason: c.closure_reason.clone(),
            consent: c.consent,
            referred_by: c.referred_by.clone(),
            lead_agency: c.lead_agency.clone(),
            risk: c.risk,
            review_set: c.review_set,
            review_set_on: c.review_set_on,
            reopened: None,
        };
        // Each field as the last change of it (in the order they were recorded) in effect by
        // `day` left it; before any was, as the first one found it.
        let in_effect = |h: &&CaseChangeFact| h.day <= day;
        let kinds: Vec<std::mem::Discriminant<CaseValue>> =
            c.history.iter().fold(Vec::new(), |mut kinds, h| {
                let kind = std::mem::discriminant(&h.after);
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                kinds
            });
        for kind in kinds {
            let of_kind = |h: &&CaseChangeFact| std::mem::discriminant(&h.after) == kind;
            let value = match c.history.iter().filter(of_kind).rfind(in_effect) {
                Some(h) => h.after.clone(),
                None => match c.history.iter().find(of_kind) {
                    Some(h) => h.before.clone(),
                    None => continue,
                },
            };
            match value {
                CaseValue::Status(v) => s.status = v,
                CaseValue::Closed(v) => s.closed = v,
                CaseValue::ClosureReason(v) => s.closure_reason = v,
                CaseValue::Consent(v) => s.consent = v,
                CaseValue::ReferredBy(v) => s.referred_by = v,
                CaseValue::LeadAgency(v) => s.lead_agency = v,
                CaseValue::Risk(v) => s.risk = v,
                CaseValue::NextReview(v) => s.review_set = v,
            }
        }
        if c.history
            .iter()
            .any(|h| matches!(h.after, CaseValue::NextReview(_)))
        {
            s.review_set_on = c
                .history
                .iter()
                .filter(in_effect)
                .rfind(|h| matches!(h.after, CaseValue::NextReview(_)))
                .map(|h| h.day);
        }
        s.reopened = c
            .history
            .iter()
            .filter(in_effect)
            .rfind(|h| h.reopens())
            .map(|h| h.day);
        if !s.status.is_ended() {
            s.closed = None;
        }
        s
    }
}

fn agency(name: &Option<String>) -> Option<&str> {
    name.as_deref().map(str::trim).filter(|n| !n.is_empty())
}

/// One more of `key`, its string made only the first time (a year's rows name a few hundred
/// agencies tens of thousands of times).
pub(super) fn bump(map: &mut HashMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

/// How a case ended, as its row says: 終結（転居）.
fn ending(c: &Stood, lang: Lang) -> String {
    let reason = c.closure_reason.trim();
    let reason = if reason.is_empty() {
        lang.pick("理由未記入", "no reason recorded")
    } else {
        reason
    };
    match lang {
        Lang::Ja => format!("{}（{reason}）", c.status.label(lang)),
        Lang::En => format!("{} ({reason})", c.status.label(lang)),
    }
}

impl CaseStats {
    /// One case, of a ward this column counts; `issues` are its issue rows with the day of the
    /// meeting they were recorded at, `bodies` the kind of a body and whether its meetings count.
    pub fn add(
        &mut self,
        c: &CaseFact,
        issues: &[(NaiveDate, IssueKey)],
        w: &Window,
        bodies: &Bodies<'_>,
        rules: &CaseRules,
        lang: Lang,
    ) {
        let (kind_of, counts) = (bodies.kind_of, bodies.counts);
        self.seen += 1;
        let first_meeting = c.meetings.iter().map(|(_, d)| *d).min();
        let Some(opened) = c.opened.or(first_meeting) else {
            return;
        };
        // The case as it stood at the year's end (for the current year: today).
        let stood = Stood::of(c, w.as_of);
        let closed = stood.closed.filter(|_| stood.status.is_ended());
        let ended_by = |day: NaiveDate| closed.is_some_and(|d| d <= day);
        if w.holds(opened) && opened <= w.as_of {
            self.opened += 1;
            match agency(&stood.referred_by) {
                Some(a) => bump(&mut self.referred, a),
                None => self.referred_none += 1,
            }
        }
        if stood.status.is_ended() && closed.is_none() {
            // Ended on a day nobody recorded (imported before the import refused it): as in the
            // ledger, no longer followed and never due; counted in no year's endings.
            return;
        }
        if let Some(day) = closed.filter(|d| w.holds(*d)) {
            self.ended_total += 1;
            bump(&mut self.ended, &ending(&stood, lang));
            if let Ok(days) = (day - opened).num_days().try_into() {
                self.days.push(days);
            }
        }
        let followed = opened <= w.as_of && closed.is_none_or(|d| d >= w.start);
        if followed {
            self.followed += 1;
            match agency(&stood.lead_agency) {
                Some(a) => bump(&mut self.lead, a),
                None => self.lead_none += 1,
            }
            let slot = match stood.consent {
                Consent::Given => 0,
                Consent::NotGiven => 1,
                Consent::Unknown => 2,
            };
            self.consent[slot] += 1;
            let mut counted: Vec<&IssueKey> = Vec::new();
            for (_, key) in issues.iter().filter(|(d, _)| w.holds(*d)) {
                if !counted.contains(&key) {
                    counted.push(key);
                    match self.issue_keys.get_mut(key) {
                        Some(n) => *n += 1,
                        None => {
                            self.issue_keys.insert(key.clone(), 1);
                        }
                    }
                }
            }
        }
        let held: Vec<&(i64, NaiveDate)> = c
            .meetings
            .iter()
            .filter(|(b, d)| w.holds(*d) && counts(*b))
            .collect();
        if !held.is_empty() {
            self.discussed += 1;
            self.meetings += held.len() as u64;
        }
        // Its review records when it has any; before review records, its discussions at
        // meetings of bodies that keep a ledger. Either, with --body/--kind, of the bodies chosen.
        self.reviews += if c.reviews.is_empty() {
            held.iter()
                .filter(|(b, _)| kind_of(*b).is_some_and(|r| rules.keeps_ledger(&r.kind, r.ledger)))
                .count() as u64
        } else {
            c.reviews
                .iter()
                .filter(|(b, d)| w.holds(*d) && counts(*b))
                .count() as u64
        };
        if opened <= w.as_of && !ended_by(w.as_of) {
            self.active += 1;
            let last = c
                .meetings
                .iter()
                .filter(|(_, d)| *d <= w.as_of)
                .max_by_key(|(_, d)| *d);
            let body = last.and_then(|(b, _)| kind_of(*b));
            let kind = body.as_ref().map(|r| r.kind.clone());
            // A date set after the day counted as of was not set yet then.
            let set_then = stood.review_set_on.is_none_or(|on| on <= w.as_of);
            // Reopened after its last meeting: looked at again from the day it was reopened.
            let last_day = match (last.map(|(_, d)| *d), stood.reopened) {
                (Some(l), Some(r)) => Some(l.max(r)),
                (l, r) => l.or(r),
            };
            let next = rules.next_review(&ReviewFacts {
                set: stood.review_set.filter(|_| set_then),
                set_on: stood.review_set_on,
                last_meeting: last_day,
                kind: kind.as_deref(),
                opened: Some(opened),
                risk: stood.risk,
                own_months: body.as_ref().and_then(|r| r.review_months),
            });
            if next.is_some_and(|d| d < w.cutoff) {
                self.overdue += 1;
            }
        }
    }

    /// The median of the days to closure, as a mean of the one or two middle values.
    fn median_days(&self) -> Value {
        let mut days = self.days.clone();
        days.sort_unstable();
        let n = days.len();
        match n {
            0 => Value::Mean { sum: 0, over: 0 },
            _ if n % 2 == 1 => Value::Mean {
                sum: days[n / 2],
                over: 1,
            },
            _ => Value::Mean {
                sum: days[n / 2 - 1] + days[n / 2],
                over: 2,
            },
        }
    }
}

/// Names the issue rows once every case is counted.
pub(super) fn name_issues(stats: &mut CaseStats, names: &IssueNames) {
    stats.issues = stats
        .issue_keys
        .drain()
        .map(|(key, n)| (names.name(&key).to_owned(), n))
        .collect();
}

fn cases(s: &YearStats) -> &CaseStats {
    &s.cases
}

fn summary(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::Cases,
        ("事例（進行管理）", "Cases (the ledger)"),
        ("項目", "Item"),
    );
    let count = |f: fn(&CaseStats) -> u64| ctx.per_year(|s| Value::Count(f(cases(s))));
    let lines: [(&str, &str, Vec<Value>); 9] = [
        ("受理した事例", "Cases opened", count(|c| c.opened)),
        (
            "終結・中断・移管した事例",
            "Cases ended (closed, suspended, transferred)",
            count(|c| c.ended_total),
        ),
        (
            "年度内に対応した事例",
            "Cases followed during the year",
            count(|c| c.followed),
        ),
        (
            "年度末に対応中の事例",
            "Cases active at the year's end",
            count(|c| c.active),
        ),
        (
            "会議で扱った事例",
            "Cases discussed at a meeting",
            count(|c| c.discussed),
        ),
        (
            "1事例あたりの会議回数（平均）",
            "Meetings per case (mean)",
            ctx.per_year(|s| Value::Mean {
                sum: cases(s).meetings,
                over: cases(s).discussed,
            }),
        ),
        (
            "受理から終結までの日数（中央値）",
            "Days from opening to closure (median)",
            ctx.per_year(|s| cases(s).median_days()),
        ),
        (
            "進行管理の確認（会議で検討した件数）",
            "Reviews held (cases discussed at a ledger meeting)",
            count(|c| c.reviews),
        ),
        (
            "年度末に確認期限を過ぎていた事例",
            "Reviews overdue at the year's end",
            count(|c| c.overdue),
        ),
    ];
    for (ja, en, values) in lines {
        let kind = if ja.contains("平均") || ja.contains("中央値") {
            RowKind::Mean
        } else {
            RowKind::Item
        };
        t.rows.push(row(kind, ctx.pick(ja, en), values));
    }
    t
}

fn closures(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::CaseClosures,
        ("終結・中断・移管の理由", "Cases ended, by reason"),
        ("理由", "Reason"),
    );
    let (rows, _) = ranked(ctx, |s| &s.cases.ended, None, |n, _| Value::Count(n));
    t.rows = rows;
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(s.cases.ended_total)),
    ));
    t
}

/// Rows of agencies ranked, cases with none recorded, and the total.
fn by_agency(
    ctx: &Ctx,
    mut t: Table,
    counts: fn(&YearStats) -> &HashMap<String, u64>,
    none: fn(&CaseStats) -> u64,
    total: fn(&CaseStats) -> u64,
    top: Option<usize>,
) -> Table {
    let (rows, folded) = ranked(ctx, counts, top, |n, _| Value::Count(n));
    t.rows = rows;
    if ctx.stats.iter().any(|s| none(&s.cases) > 0) {
        t.rows.push(row(
            RowKind::Unrecorded,
            ctx.pick("未記入", "Not recorded"),
            ctx.per_year(|s| Value::Count(none(&s.cases))),
        ));
    }
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(total(&s.cases))),
    ));
    t.notes.extend(folded_note(ctx, &folded));
    t
}

fn issues(ctx: &Ctx, top: Option<usize>) -> Table {
    let mut t = ctx.table(
        TableId::CaseIssues,
        (
            "事例の課題（1事例1回）",
            "Issues of the cases (once a case)",
        ),
        ("課題", "Issue"),
    );
    let (rows, folded) = ranked(ctx, |s| &s.cases.issues, top, |n, _| Value::Count(n));
    t.rows = rows;
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("年度内に対応した事例", "Cases followed during the year"),
        ctx.per_year(|s| Value::Count(s.cases.followed)),
    ));
    t.notes.extend(folded_note(ctx, &folded));
    t.notes.push(ctx.pick(
        "同じ事例の同じ課題は、年度内に何回記録されても1件と数えます（表記の揺れは課題の一覧でまとめます）。",
        "An issue of a case counts once however often it was recorded that year (the ways it is written folded by the list of categories).",
    ));
    t
}

fn consent(ctx: &Ctx) -> Table {
    let mut t = ctx.table(
        TableId::CaseConsent,
        (
            "本人同意（年度内に対応した事例）",
            "Consent (cases followed)",
        ),
        ("本人同意", "Consent"),
    );
    for (i, c) in [Consent::Given, Consent::NotGiven, Consent::Unknown]
        .into_iter()
        .enumerate()
    {
        t.rows.push(row(
            RowKind::Item,
            c.label(ctx.lang).to_owned(),
            ctx.per_year(|s| Value::Count(s.cases.consent[i])),
        ));
    }
    t.rows.push(row(
        RowKind::Total,
        ctx.pick("計", "Total"),
        ctx.per_year(|s| Value::Count(s.cases.followed)),
    ));
    t
}

/// The case tables, when any case is in scope.
pub(super) fn tables(ctx: &Ctx, top: Option<usize>, top_issues: Option<usize>) -> Vec<Table> {
    if ctx.stats.iter().all(|s| s.cases.seen == 0) {
        return Vec::new();
    }
    let referred = ctx.table(
        TableId::CaseReferredBy,
        (
            "事例の相談経路（受理した事例）",
            "Cases opened, by referring agency",
        ),
        ("相談経路", "Referred by"),
    );
    let lead = ctx.table(
        TableId::CaseLead,
        (
            "主担当機関（年度内に対応した事例）",
            "Cases followed, by lead agency",
        ),
        ("主担当機関", "Lead agency"),
    );
    vec![
        summary(ctx),
        closures(ctx),
        by_agency(
            ctx,
            referred,
            |s| &s.cases.referred,
            |c| c.referred_none,
            |c| c.opened,
            top,
        ),
        by_agency(
            ctx,
            lead,
            |s| &s.cases.lead,
            |c| c.lead_none,
            |c| c.followed,
            top,
        ),
        issues(ctx, top_issues),
        consent(ctx),
    ]
}

/// How the cases are counted, for the report's definitions.
pub(super) fn definitions(lang: Lang) -> Vec<String> {
    let pairs: [(&str, &str); 4] = [
        (
            "事例: 年度内に対応した事例は、年度末（今年度は今日）までに受理し年度の初めより前に終結していないもの。年度末に対応中は、年度末（今年度は今日）までに受理し終結していないもの（受理日のない事例は最初の会議の日を受理日とします）。",
            "Cases: followed during the year are those opened by its end (for the current year, today) and not ended before it began; active at the year's end (for the current year, today) those opened and not ended by then (a case with no opening date is taken as opened at its first meeting).",
        ),
        (
            "1事例あたりの会議回数は、その年度に開催した会議で扱った事例の平均。受理から終結までの日数は、その年度に終結・中断・移管した事例の中央値です。",
            "Meetings per case is the mean over the cases discussed at meetings held that year; days to closure is the median over the cases ended that year.",
        ),
        (
            "進行管理の確認は、開催済みの会議で記録した事例の確認（進行管理）の件数です。確認の記録がない事例は、進行管理台帳を持つ会議体（会議体ごとの設定、なければ種別の規則: fixtures/case_rules.toml）の開催済みの会議で扱った回数を数えます。",
            "Reviews held: the case reviews recorded at meetings held; for a case with no review recorded, its discussions at meetings held by a body that keeps a ledger (the body's own setting, else its kind's rule: fixtures/case_rules.toml).",
        ),
        (
            "確認期限を過ぎていた事例は、年度末（今年度は今日）に対応中で、次回確認日（設定された日、なければ規則による日）が過ぎていたものです。",
            "Reviews overdue: cases active at the year's end (for the current year, today) whose next review (the date set, else the rules') had passed.",
        ),
    ];
    pairs
        .iter()
        .map(|(ja, en)| lang.pick(ja, en).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::domain::case::{CaseStatus, Consent, Level};
    use crate::i18n::Lang;
    use crate::report::build::tests::{body, date as day};
    use crate::report::{CaseFact, Input, Options, Report, TableId, build};

    fn case(id: i64, opened: &str) -> CaseFact {
        CaseFact {
            id,
            ward_id: 1,
            status: CaseStatus::Active,
            opened: Some(day(opened)),
            closed: None,
            closure_reason: String::new(),
            referred_by: None,
            lead_agency: None,
            consent: Consent::Unknown,
            risk: None,
            review_set: None,
            review_set_on: None,
            meetings: Vec::new(),
            issues: Vec::new(),
            history: Vec::new(),
            reviews: Vec::new(),
        }
    }

    fn agency(name: &str) -> Option<String> {
        Some(name.to_owned())
    }

    /// Five cases over three fiscal years, counted by hand (see each figure's comment):
    /// 1 opened in 令和6 and closed in 令和7 (across the boundary), 2 opened and suspended in
    /// 令和7, 3 opened in 令和7 with high risk and never met, 4 opened in 令和4 and followed
    /// since, 5 opened in 令和8.
    fn input() -> Input {
        let mut c1 = case(1, "2024-06-01");
        c1.status = CaseStatus::Closed;
        c1.closed = Some(day("2025-05-10")); // 343 days after opening
        c1.closure_reason = "転居".to_owned();
        c1.referred_by = agency("健康推進課");
        c1.lead_agency = agency("地域福祉課");
        c1.consent = Consent::Given;
        c1.meetings = vec![(1, day("2024-07-01")), (1, day("2025-04-15"))];
        c1.issues = vec![
            (day("2024-07-01"), "ゴミ屋敷".to_owned()),
            (day("2025-04-15"), "ごみ屋敷状態".to_owned()),
            (day("2025-04-15"), "孤立".to_owned()),
        ];
        let mut c2 = case(2, "2025-04-10");
        c2.status = CaseStatus::Suspended;
        c2.closed = Some(day("2025-10-10")); // 183 days
        c2.referred_by = agency("学校");
        c2.lead_agency = agency("子ども家庭支援課");
        c2.consent = Consent::NotGiven;
        c2.meetings = vec![
            (2, day("2025-05-01")),
            (1, day("2025-06-01")),
            (1, day("2025-09-01")),
        ];
        c2.issues = vec![
            (day("2025-05-01"), "ｺﾞﾐ屋敷".to_owned()),
            (day("2025-06-01"), "ゴミ屋敷".to_owned()),
        ];
        let mut c3 = case(3, "2025-12-01");
        c3.risk = Some(Level::High); // reviewed monthly: due 2026-01-01, never met
        c3.lead_agency = agency("地域福祉課");
        let mut c4 = case(4, "2023-01-01");
        c4.risk = Some(Level::Low);
        c4.consent = Consent::Given;
        c4.referred_by = agency("民生委員");
        c4.lead_agency = agency("地域包括支援センター");
        // Met by the 要対協 on 2026-02-01: next review 3 months on (shorter than low's 6).
        c4.meetings = vec![(1, day("2026-02-01"))];
        let c5 = case(5, "2026-05-01");
        Input {
            bodies: vec![
                body(
                    1,
                    "要保護児童対策地域協議会実務者会議",
                    "要保護児童対策地域協議会",
                ),
                body(2, "支援会議", "支援会議"),
            ],
            cases: vec![c1, c2, c3, c4, c5],
            ..Input::default()
        }
    }

    fn report() -> Report {
        let mut options = Options::new(Lang::Ja, 2025, day("2026-11-21"));
        options.compare = vec![2024];
        build(&input(), &options)
    }

    fn values(report: &Report, id: TableId, label: &str) -> Vec<String> {
        let table = report.table(id).unwrap();
        let row = table
            .row(label)
            .unwrap_or_else(|| panic!("no row {label} in {table:?}"));
        row.values.iter().map(|v| v.display(Lang::Ja)).collect()
    }

    #[test]
    fn the_years_cases_counted_by_hand() {
        let r = report();
        let v = |id, label| values(&r, id, label);
        // 令和7 | 令和6.
        assert_eq!(v(TableId::Cases, "受理した事例"), ["2", "1"]); // 2, 3 | 1
        assert_eq!(v(TableId::Cases, "終結・中断・移管した事例"), ["2", "0"]); // 1, 2
        assert_eq!(v(TableId::Cases, "年度内に対応した事例"), ["4", "2"]); // 1-4 | 1, 4
        assert_eq!(v(TableId::Cases, "年度末に対応中の事例"), ["2", "2"]); // 3, 4 | 1, 4
        assert_eq!(v(TableId::Cases, "会議で扱った事例"), ["3", "1"]); // 1, 2, 4 | 1
        // 5 meetings over 3 cases | 1 over 1.
        assert_eq!(
            v(TableId::Cases, "1事例あたりの会議回数（平均）"),
            ["1.7", "1.0"]
        );
        // (183 + 343) / 2; none ended in 令和6.
        assert_eq!(
            v(TableId::Cases, "受理から終結までの日数（中央値）"),
            ["263.0", "-"]
        );
        // Meetings of the 要対協 (a ledger kind): 1 on 04-15, 2 on 06-01 and 09-01, 4 | 1.
        assert_eq!(
            v(TableId::Cases, "進行管理の確認（会議で検討した件数）"),
            ["4", "1"]
        );
        // 令和7: 3 (due 2026-01-01); 4 is due 2026-05-01. 令和6: 1 (met 2024-07-01 by the
        // 要対協: due 2024-10-01) and 4 (opened 2023-01-01, low: due 2023-07-01).
        assert_eq!(
            v(TableId::Cases, "年度末に確認期限を過ぎていた事例"),
            ["1", "2"]
        );

        assert_eq!(v(TableId::CaseClosures, "終結（転居）"), ["1", "0"]);
        assert_eq!(v(TableId::CaseClosures, "中断（理由未記入）"), ["1", "0"]);
        assert_eq!(v(TableId::CaseReferredBy, "学校"), ["1", "0"]);
        assert_eq!(v(TableId::CaseReferredBy, "健康推進課"), ["0", "1"]);
        assert_eq!(v(TableId::CaseReferredBy, "未記入"), ["1", "0"]);
        assert_eq!(v(TableId::CaseReferredBy, "計"), ["2", "1"]);
        assert!(
            r.table(TableId::CaseReferredBy)
                .unwrap()
                .row("民生委員")
                .is_none()
        );
        assert_eq!(v(TableId::CaseLead, "地域福祉課"), ["2", "1"]);
        assert_eq!(v(TableId::CaseLead, "子ども家庭支援課"), ["1", "0"]);
        assert_eq!(v(TableId::CaseLead, "地域包括支援センター"), ["1", "1"]);
        assert_eq!(v(TableId::CaseLead, "計"), ["4", "2"]);
        // Once a case, however written: case 2's ｺﾞﾐ屋敷 and ゴミ屋敷 are one.
        assert_eq!(v(TableId::CaseIssues, "ゴミ屋敷"), ["2", "1"]);
        assert_eq!(v(TableId::CaseIssues, "孤立"), ["1", "0"]);
        assert_eq!(v(TableId::CaseConsent, "有"), ["2", "2"]);
        assert_eq!(v(TableId::CaseConsent, "無"), ["1", "0"]);
        assert_eq!(v(TableId::CaseConsent, "未確認"), ["1", "0"]);
        assert_eq!(v(TableId::CaseConsent, "計"), ["4", "2"]);
    }

    /// Reviews held count a case's review records when it has any (case 2: one review, at the
    /// 要対協 on 2025-06-01, where it was discussed twice), else its discussions at bodies that
    /// keep a ledger; a body's own rules (fixtures `ledger`, `review_months`) stand for its
    /// kind's.
    #[test]
    fn reviews_held_count_the_review_records_and_a_bodys_own_rules() {
        let label = "進行管理の確認（会議で検討した件数）";
        let overdue = "年度末に確認期限を過ぎていた事例";
        let mut options = Options::new(Lang::Ja, 2025, day("2026-11-21"));
        options.compare = vec![2024];
        let mut input = input();
        input.cases[1].reviews = vec![(1, day("2025-06-01"))];
        let r = build(&input, &options);
        // 令和7: 1 (04-15), 2 (its one record), 4 (02-01) | 令和6: 1 (07-01).
        assert_eq!(values(&r, TableId::Cases, label), ["3", "1"]);
        // The 要対協 of this ward keeps no ledger: only case 2's record counts.
        input.bodies[0].ledger = Some(false);
        let r = build(&input, &options);
        assert_eq!(values(&r, TableId::Cases, label), ["1", "0"]);
        // Its own interval of 12 months: case 4 (low risk: 6) is due 2026-08-01, not
        // 2026-05-01; case 1 (no risk) met 2024-07-01 is due 2025-07-01, not 2024-10-01 —
        // 令和7: 3 only (unchanged); 令和6: 4 only.
        input.bodies[0].review_months = Some(12);
        let r = build(&input, &options);
        assert_eq!(values(&r, TableId::Cases, overdue), ["1", "1"]);
    }

    /// Reviews held narrowed by `--body`/`--kind`: a review belongs to its meeting's body. Case 2
    /// has two review records in 令和7, at the 支援会議 (05-01) and at the 要対協 (06-01); cases 1
    /// and 4 none (their discussions at the 要対協, a ledger kind, count: 04-15 and 02-01).
    #[test]
    fn reviews_held_are_those_of_the_bodies_chosen() {
        let label = "進行管理の確認（会議で検討した件数）";
        let mut input = input();
        input.cases[1].reviews = vec![(2, day("2025-05-01")), (1, day("2025-06-01"))];
        let reviews = |body: Option<&str>, kind: Option<&str>| {
            let mut options = Options::new(Lang::Ja, 2025, day("2026-11-21"));
            options.body = body.map(str::to_owned);
            options.kind = kind.map(str::to_owned);
            values(&build(&input, &options), TableId::Cases, label)
        };
        // Every body: 1 (04-15) + 2 (both records) + 4 (02-01).
        assert_eq!(reviews(None, None), ["4"]);
        // The 支援会議: case 2 alone is in scope, and only its review there counts.
        assert_eq!(reviews(Some("支援会議"), None), ["1"]);
        assert_eq!(reviews(None, Some("支援会議")), ["1"]);
        // The 要対協: 1 (04-15), 2 (its review there, not the 支援会議's), 4 (02-01).
        assert_eq!(reviews(None, Some("要保護児童対策地域協議会")), ["3"]);
    }

    #[test]
    fn the_current_year_counts_as_of_today_and_a_date_set_holds() {
        let mut input = input();
        // Case 4's review was set (on 2026-02-01, at its meeting) for 2026-09-01.
        input.cases[3].review_set = Some(day("2026-09-01"));
        input.cases[3].review_set_on = Some(day("2026-02-01"));
        // 令和8 as of 2026-06-15: case 4's set date has not come; case 3 (due 2026-01-01)
        // and 5 (opened 2026-05-01, no risk: due 2026-08-01) — only 3 is overdue.
        let options = Options::new(Lang::Ja, 2026, day("2026-06-15"));
        let r = build(&input, &options);
        assert_eq!(values(&r, TableId::Cases, "年度末に対応中の事例"), ["3"]);
        assert_eq!(
            values(&r, TableId::Cases, "年度末に確認期限を過ぎていた事例"),
            ["1"]
        );
        // On 2026-09-02 case 4's date has passed too, and case 5's.
        let options = Options::new(Lang::Ja, 2026, day("2026-09-02"));
        let r = build(&input, &options);
        assert_eq!(
            values(&r, TableId::Cases, "年度末に確認期限を過ぎていた事例"),
            ["3"]
        );
        // A case opened after today is not counted yet.
        let options = Options::new(Lang::Ja, 2026, day("2026-04-15"));
        let r = build(&input, &options);
        assert_eq!(values(&r, TableId::Cases, "受理した事例"), ["0"]);
    }

    #[test]
    fn no_case_no_case_tables_and_scope_keeps_the_cases_of_the_bodies_chosen() {
        let mut empty = input();
        empty.cases.clear();
        let options = Options::new(Lang::Ja, 2025, day("2026-11-21"));
        let r = build(&empty, &options);
        assert!(r.table(TableId::Cases).is_none());
        assert_eq!(r.tables.len(), 8);
        // Only the 支援会議: case 2 alone was discussed there.
        let mut options = Options::new(Lang::En, 2025, day("2026-11-21"));
        options.body = Some("支援会議".to_owned());
        let r = build(&input(), &options);
        let cases = r.table(TableId::Cases).unwrap();
        assert_eq!(cases.title, "Cases (the ledger)");
        assert_eq!(cases.row("Cases opened").unwrap().values[0].count(), 1);
        assert_eq!(
            cases
                .row("Days from opening to closure (median)")
                .unwrap()
                .values[0]
                .display(Lang::En),
            "183.0"
        );
    }
}
