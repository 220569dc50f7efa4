//! The review of the ledger's cases at a meeting (進行管理): from the setup or the live meeting
//! of a body that keeps a ledger (`L`), the cases due by the meeting's date (`f`: every case the
//! body reviews), each with its status, lead agency, risk, next review (overdue marked `!`) and
//! whether it was reviewed here (未確認, or the decision). Enter opens the selected case's review
//! (the status keys c m e s t open it with that status chosen); Enter in it records it at once
//! and the selection moves to the next case not yet reviewed. A review left with Esc (or open
//! when renkei ends) is kept as a draft in the database (`store::drafts`), one not taken by the
//! store for the session: Enter on the case goes on from it, after `q`, a kill or a dropped
//! connection too. Its state and keys are here, its form in `form.rs`, its drawing in `draw.rs`.

mod draw;
mod form;

pub use form::{ReviewForm, STATUSES, Suggested, Typed, decision};

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Ctx, Screen, ScreenId};
use crate::domain::case::CaseStatus;
use crate::keys::Action;
use crate::store::Store;
use crate::store::cases::{ReviewItem, Seen};
use crate::tui::command::{CaseCommand, Command, Outcome};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::list::{ListState, matches};
use crate::tui::words::tr;
use form::{Slot, ask, iso, needed, same_layout};

/// A review begun and not recorded: the status chosen and what was typed.
pub use crate::store::drafts::Draft;

/// The drafts of the reviews (kept in `Ctx`, so that leaving the review and coming back finds
/// them): those of this session, and those the store kept from earlier ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drafts(Vec<Draft>);

impl Drafts {
    /// Takes the drafts the store kept (of an earlier session, a colleague's) that this session
    /// has none of: one typed here, maybe not stored yet (a write waiting for the lock), stays.
    pub fn adopt(&mut self, kept: Vec<Draft>) {
        for draft in kept {
            if self.get(draft.meeting, draft.case).is_none() {
                self.0.push(draft);
            }
        }
    }

    pub fn get(&self, meeting: i64, case: i64) -> Option<&Draft> {
        self.0
            .iter()
            .find(|d| d.meeting == meeting && d.case == case)
    }

    pub fn keep(&mut self, draft: Draft) {
        self.drop(draft.meeting, draft.case);
        self.0.push(draft);
    }

    pub fn drop(&mut self, meeting: i64, case: i64) {
        self.0.retain(|d| !(d.meeting == meeting && d.case == case));
    }

    /// How many drafts a meeting has.
    pub fn count(&self, meeting: i64) -> usize {
        self.0.iter().filter(|d| d.meeting == meeting).count()
    }
}

#[derive(Debug)]
pub struct Review {
    meeting: i64,
    /// The meeting as its line says (date and body).
    title: String,
    /// Every case of the body (`f`), or those due.
    all: bool,
    items: Vec<ReviewItem>,
    /// The items that pass the filter, by index.
    shown: Vec<usize>,
    list: ListState,
    /// The next review the rules suggest, per case, for it kept on supported or watched.
    suggested: HashMap<i64, Suggested>,
    /// The agencies the pickers offer: the body's own and its meetings' first (`near` of them).
    agencies: Vec<String>,
    near: usize,
    /// The case to select once the list is read again (the next one to review).
    follow: Option<i64>,
    /// The meeting's date: relative dates in a review count from it.
    date: Option<NaiveDate>,
    /// The revisions of each listed case and of its review here, as last read.
    revs: HashMap<i64, Seen>,
    /// The pseudonym of each case a review was sent for (the status line names it even when
    /// the case has left the list meanwhile).
    named: HashMap<i64, String>,
}

impl Review {
    pub fn new(meeting: i64) -> Review {
        Review {
            meeting,
            title: String::new(),
            all: false,
            items: Vec::new(),
            shown: Vec::new(),
            list: ListState::default(),
            suggested: HashMap::new(),
            agencies: Vec::new(),
            near: 0,
            follow: None,
            date: None,
            revs: HashMap::new(),
            named: HashMap::new(),
        }
    }

    /// The cases listed (those passing the filter), in order.
    pub fn items(&self) -> Vec<&ReviewItem> {
        self.shown
            .iter()
            .filter_map(|&i| self.items.get(i))
            .collect()
    }

    pub fn selected(&self) -> Option<&ReviewItem> {
        self.items.get(*self.shown.get(self.list.selected)?)
    }

    /// How many of the cases listed are reviewed here, of how many.
    pub fn counted(&self) -> (usize, usize) {
        let done = self.items.iter().filter(|i| i.review.is_some()).count();
        (done, self.items.len())
    }

    pub fn showing_all(&self) -> bool {
        self.all
    }

    fn rebuild(&mut self, filter: &str) {
        let selected = self.selected().map(|i| i.case.id);
        self.shown = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                let c = &item.case;
                matches(
                    filter,
                    &[&c.pseudonym, c.lead_agency.as_deref().unwrap_or("")],
                )
            })
            .map(|(i, _)| i)
            .collect();
        let target = self.follow.take().or(selected);
        if let Some(at) = target.and_then(|case| self.position(case)) {
            self.list.selected = at;
        }
        self.list.clamp(self.shown.len());
    }

    /// Where a case stands in the list shown.
    fn position(&self, case: i64) -> Option<usize> {
        self.shown
            .iter()
            .position(|&i| self.items.get(i).is_some_and(|item| item.case.id == case))
    }

    /// The review form of the selected case: its draft if one was begun, else what its review
    /// here says (a revision), else the case as it stands with the next review the rules
    /// suggest; `status` chosen by its key, if one was pressed.
    fn open(&self, status: Option<CaseStatus>, ctx: &mut Ctx) {
        let Some(item) = self.selected() else {
            ctx.info("no_case_selected");
            return;
        };
        let c = &item.case;
        let suggested = self.suggested.get(&c.id).copied().unwrap_or_default();
        let draft = ctx.drafts.get(self.meeting, c.id);
        // A draft's form opens on what it was typed over: a review or change made since is not
        // saved over unseen (a draft of an older renkei opens on the case as it is now).
        let seen = draft
            .and_then(|d| d.seen)
            .map(|(case_rev, review_rev)| Seen {
                case_rev,
                review_rev,
            })
            .or_else(|| self.revs.get(&c.id).copied());
        // A review that ended the case, the case reopened since (`O`, a colleague): the revision
        // starts from the case as it is, not from the ending (a memo added would end it again).
        let reopened = draft.is_none()
            && item
                .review
                .as_ref()
                .is_some_and(|r| CaseStatus::reopens(r.status, c.status));
        let as_it_is = match c.status {
            CaseStatus::Monitoring => CaseStatus::Monitoring,
            _ => CaseStatus::Active,
        };
        let (before, mut typed) = match (draft, &item.review) {
            (Some(d), _) => (d.status, d.typed.clone()),
            (None, Some(r)) if reopened => (
                as_it_is,
                Typed {
                    lead: c.lead_agency.clone().unwrap_or_default(),
                    policy: c.policy.clone(),
                    next: iso(suggested.of(as_it_is)),
                    note: r.note.clone(),
                    ..Typed::default()
                },
            ),
            (None, Some(r)) => (
                r.status,
                Typed {
                    lead: r
                        .lead_agency
                        .clone()
                        .or_else(|| c.lead_agency.clone())
                        .unwrap_or_default(),
                    policy: r.policy.clone(),
                    next: iso(r.next_review),
                    note: r.note.clone(),
                    reason: r.reason.clone(),
                    evaluation: r.evaluation.clone(),
                    transferred_to: r.transferred_to.clone(),
                },
            ),
            (None, None) => (
                as_it_is,
                Typed {
                    lead: c.lead_agency.clone().unwrap_or_default(),
                    policy: c.policy.clone(),
                    next: iso(suggested.of(as_it_is)),
                    ..Typed::default()
                },
            ),
        };
        // A status chosen by its key asks at once for what it needs; opened with Enter, the
        // cursor is on the status, whose letters change it.
        let ask_first = status.is_some();
        let status = status.unwrap_or(before);
        refit_date(&mut typed, before, status, &suggested);
        let purpose = ReviewForm {
            meeting: self.meeting,
            case: c.id,
            pseudonym: c.pseudonym.clone(),
            status,
            slots: Vec::new(),
            lead: c.lead_agency.clone(),
            policy: c.policy.clone(),
            suggested,
            seen,
            told: false,
        };
        let mut form = purpose.form(
            ctx.lang,
            self.date.unwrap_or_else(|| ctx.today()),
            (&typed, ask_first),
            (&self.agencies, self.near),
        );
        form.error = ask(status)
            .filter(|_| ask_first)
            .map(|w| tr(ctx.lang, w).to_owned())
            .or_else(|| reopened.then(|| tr(ctx.lang, "review_reopened_since").to_owned()));
        ctx.form(form);
    }

    /// The next case not yet reviewed after the one at `at` (around to the first), if any.
    fn next_unreviewed(&self, at: usize, reviewed: i64) -> Option<i64> {
        let n = self.shown.len();
        (1..=n)
            .filter_map(|step| self.items.get(self.shown[(at + step) % n]))
            .find(|item| item.review.is_none() && item.case.id != reviewed)
            .map(|item| item.case.id)
    }

    /// `x`: the selected case's draft let go (a review that will not be recorded: its case
    /// ended meanwhile, or it is not to be made), in the session and in the store.
    fn let_go(&mut self, ctx: &mut Ctx) -> Vec<Command> {
        let Some(case) = self.selected().map(|i| i.case.id) else {
            ctx.info("no_case_selected");
            return Vec::new();
        };
        if ctx.drafts.get(self.meeting, case).is_none() {
            ctx.info("review_no_draft");
            return Vec::new();
        }
        ctx.drafts.drop(self.meeting, case);
        ctx.say(tr(ctx.lang, "review_draft_dropped").replace("{case}", &self.pseudonym(case)));
        ctx.dirty = true;
        vec![Command::Case(CaseCommand::ForgetDraft {
            meeting: self.meeting,
            case,
        })]
    }

    fn pseudonym(&self, case: i64) -> String {
        self.items
            .iter()
            .find(|i| i.case.id == case)
            .map(|i| i.case.pseudonym.as_str())
            .or_else(|| self.named.get(&case).map(String::as_str))
            .map(crate::text::inert)
            .unwrap_or_default()
    }
}

/// A case's status changed in its form between the two kept on (継続, 見守り): a next review
/// still the one suggested for the first becomes the one suggested for the second; one typed
/// stays. Kept on after an ending, the date suggested comes back.
fn refit_date(typed: &mut Typed, from: CaseStatus, to: CaseStatus, suggested: &Suggested) {
    if to.is_ended() || from == to {
        return;
    }
    let was = iso(suggested.of(from));
    if typed.next.trim().is_empty() || typed.next.trim() == was {
        typed.next = iso(suggested.of(to));
    }
}

impl Screen for Review {
    fn id(&self) -> ScreenId {
        ScreenId::Review(self.meeting)
    }

    fn load(&mut self, store: &Store, ctx: &mut Ctx) -> anyhow::Result<()> {
        if self.title.is_empty() {
            let near = match store.live_meeting(self.meeting)? {
                Some(m) => {
                    self.title = format!("{} {}", m.date.format("%Y-%m-%d"), m.body);
                    self.date = Some(m.date);
                    m.agency_choices()
                }
                None => Vec::new(),
            };
            self.near = near.len();
            let others = store.agency_names()?;
            self.agencies = near;
            for name in others {
                if !self.agencies.contains(&name) {
                    self.agencies.push(name);
                }
            }
        }
        self.items = store.review_queue(self.meeting, self.all)?;
        // The revisions as the queue read them, in its snapshot: read after it, a save made
        // between the two readings would be taken as seen, and overwritten by this form.
        self.revs.clear();
        for item in &self.items {
            self.revs.insert(item.case.id, item.seen);
        }
        ctx.drafts.adopt(store.review_drafts(self.meeting)?);
        // The rules' suggestions, read once per case while the screen is up (a review made
        // here reads its case's again).
        for item in &self.items {
            let case = item.case.id;
            if self.suggested.contains_key(&case) {
                continue;
            }
            let of = |status| store.suggested_review(self.meeting, case, status);
            let suggested = Suggested {
                active: of(CaseStatus::Active)?,
                monitoring: of(CaseStatus::Monitoring)?,
            };
            self.suggested.insert(case, suggested);
        }
        self.rebuild(&ctx.filter.clone());
        Ok(())
    }

    fn update(&mut self, action: Action, ctx: &mut Ctx) -> Vec<Command> {
        if self.list.steer(action, self.shown.len()) {
            return Vec::new();
        }
        match action {
            Action::Open => self.open(None, ctx),
            Action::ReviewActive => self.open(Some(CaseStatus::Active), ctx),
            Action::ReviewMonitoring => self.open(Some(CaseStatus::Monitoring), ctx),
            Action::ReviewClosed => self.open(Some(CaseStatus::Closed), ctx),
            Action::ReviewSuspended => self.open(Some(CaseStatus::Suspended), ctx),
            Action::ReviewTransferred => self.open(Some(CaseStatus::Transferred), ctx),
            Action::Delete => return self.let_go(ctx),
            Action::CaseFilter => {
                self.all = !self.all;
                self.follow = self.selected().map(|i| i.case.id);
                ctx.dirty = true;
            }
            Action::OpenCase => {
                if let Some(item) = self.selected() {
                    ctx.open(ScreenId::Case {
                        case: item.case.id,
                        at: Some(self.meeting),
                    });
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn submit(&mut self, form: &Form, ctx: &mut Ctx) -> Result<Vec<Command>, &'static str> {
        let Some(p) = form.purpose::<ReviewForm>() else {
            return Ok(Vec::new());
        };
        self.named.insert(p.case, p.pseudonym.clone());
        // Told that the case changed meanwhile: recorded over what the screen read again.
        let fresh = ReviewForm {
            seen: if p.told {
                self.revs.get(&p.case).copied().or(p.seen)
            } else {
                p.seen
            },
            ..p.clone()
        };
        let p = &fresh;
        let status = p.chosen(form);
        let before = ctx
            .drafts
            .get(p.meeting, p.case)
            .map(|d| d.typed.clone())
            .unwrap_or_default();
        let mut typed = p.typed(form, &before);
        // Another status chosen in the form: laid out again for it, what was typed kept.
        let date_moves = !status.is_ended()
            && status != p.status
            && p.suggested.of(status) != p.suggested.of(p.status)
            && typed.next.trim() == iso(p.suggested.of(p.status));
        if !same_layout(status, p.status) || date_moves {
            refit_date(&mut typed, p.status, status, &p.suggested);
            let purpose = ReviewForm {
                status,
                ..p.clone()
            };
            let mut again = purpose.form(
                ctx.lang,
                self.date.unwrap_or_else(|| ctx.today()),
                (&typed, true),
                (&self.agencies, self.near),
            );
            again.error = match ask(status) {
                Some(word) => Some(tr(ctx.lang, word).to_owned()),
                None => {
                    if let Some(i) = again
                        .purpose::<ReviewForm>()
                        .and_then(|p| p.index(Slot::NextReview))
                    {
                        again.focus = i;
                    }
                    Some(
                        tr(ctx.lang, "review_ask_date")
                            .replace("{status}", decision(status, ctx.lang))
                            .replace("{date}", &typed.next),
                    )
                }
            };
            ctx.form(again);
            return Ok(Vec::new());
        }
        let draft = p.draft(form, status, &typed)?;
        // Kept until the store takes it, in the session and in the store before the review is
        // tried: a refusal, a lock that never frees or a kill meanwhile loses nothing (the
        // review's own transaction removes the draft).
        let kept = Draft {
            meeting: p.meeting,
            case: p.case,
            status,
            typed,
            seen: p.seen.map(|s| (s.case_rev, s.review_rev)),
        };
        ctx.drafts.keep(kept.clone());
        Ok(vec![
            Command::Case(CaseCommand::KeepDraft(kept)),
            Command::Case(CaseCommand::Review {
                meeting: p.meeting,
                case: p.case,
                draft,
            }),
        ])
    }

    fn cancelled(&mut self, form: Form, ctx: &mut Ctx) -> Vec<Command> {
        let commands = self.keep_typing(&form, ctx);
        if !commands.is_empty() {
            ctx.info("review_draft_kept");
        }
        commands
    }

    /// The typing paused (or the form is left): what is typed is the case's draft, in the
    /// session and in the store.
    fn keep_typing(&mut self, form: &Form, ctx: &mut Ctx) -> Vec<Command> {
        let Some(p) = form.purpose::<ReviewForm>() else {
            return Vec::new();
        };
        let before = ctx
            .drafts
            .get(p.meeting, p.case)
            .map(|d| d.typed.clone())
            .unwrap_or_default();
        let typed = p.typed(form, &before);
        let draft = Draft {
            meeting: p.meeting,
            case: p.case,
            status: p.chosen(form),
            typed,
            seen: p.seen.map(|s| (s.case_rev, s.review_rev)),
        };
        ctx.drafts.keep(draft.clone());
        vec![Command::Case(CaseCommand::KeepDraft(draft))]
    }

    fn performed(&mut self, command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
        let Command::Case(CaseCommand::Review { case, draft, .. }) = command else {
            return;
        };
        let lang = ctx.lang;
        match outcome {
            Outcome::Done(_) => {
                ctx.drafts.drop(self.meeting, *case);
                // Its suggestions follow from this review: read again.
                self.suggested.remove(case);
                let at = self.position(*case).unwrap_or(self.list.selected);
                let next = if self.shown.is_empty() {
                    None
                } else {
                    self.next_unreviewed(at, *case)
                };
                self.follow = Some(next.unwrap_or(*case));
                let status = decision(draft.status, lang);
                let text = match next {
                    Some(n) => tr(lang, "review_recorded").replace("{next}", &self.pseudonym(n)),
                    None => tr(lang, "review_all_done").to_owned(),
                };
                ctx.say(
                    text.replace("{case}", &self.pseudonym(*case))
                        .replace("{status}", status),
                );
            }
            Outcome::Conflict { current } => {
                // Reviewed or changed meanwhile: the form stays as typed and says by whom; the
                // list is read again, and Enter then records this review over it.
                ctx.dirty = true;
                if let super::Overlay::Form(form) = &mut ctx.overlay {
                    form.error = Some(tr(lang, "review_stale").replace("{why}", current));
                    if let Some(p) = form.purpose_mut::<ReviewForm>() {
                        p.told = true;
                    }
                }
            }
            Outcome::Failed { why, .. } => {
                // The form is open again as it was typed (the app reopened it): it says why,
                // with the cursor where an ending's missing part goes.
                if let super::Overlay::Form(form) = &mut ctx.overlay {
                    form.error = Some(tr(lang, "review_refused").replace("{why}", why));
                    if let Some(p) = form.purpose::<ReviewForm>() {
                        // 終結 also needs its evaluation, after the reason.
                        let evaluation =
                            (p.status == CaseStatus::Closed).then_some(Slot::Evaluation);
                        let empty = needed(p.status)
                            .into_iter()
                            .chain(evaluation)
                            .filter_map(|slot| p.index(slot))
                            .find(|&i| form.value(i).trim().is_empty());
                        if let Some(i) = empty {
                            form.focus = i;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn hint(&self) -> &'static str {
        "ledger_hint"
    }

    fn refilter(&mut self, ctx: &Ctx) {
        self.list.selected = 0;
        self.rebuild(&ctx.filter);
    }

    fn hidden(&mut self) {
        // A case changed on its own screen may be suggested another date.
        self.suggested.clear();
    }

    fn draw(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        draw::draw(self, frame, area, ctx);
    }
}

#[cfg(test)]
mod tests;
