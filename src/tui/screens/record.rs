//! The form for the fields of a meeting's record that the minutes and the annual report read
//! beyond the captures: place, legal basis (開催根拠, a picker of the report's rows), SV派遣
//! (有/無), the referring agency (相談のあった機関, the body's own agencies first), handouts,
//! remaining issues and the next meeting date (typed as said, shown as understood). Opened from
//! the setup, the live meeting and the minutes: before, during or after the meeting; after
//! approval, each change is an amendment.

use super::Ctx;
use super::Overlay;
use super::choices;
use crate::store::setup::RecordFields;
use crate::tui::command::{Command, Outcome};
use crate::tui::widgets::form::{DraftKey, Field, Form, agency_picker};
use crate::tui::words::tr;

/// The purpose of the record form: the record of this meeting (what the form's fields held
/// when it opened — kept with its draft, after a kill too — is the record as it loaded it:
/// only what is typed differently is written, and a colleague's change saved meanwhile to
/// another field stays); `told` once a save was refused over a colleague's change to a field
/// typed here: Enter then saves over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordForm {
    pub meeting: i64,
    pub told: bool,
}

/// The draft of the record form of `meeting`: one name whichever screen opened it (the setup,
/// the live meeting, the minutes), so that what was typed in one comes back in whichever of
/// them opens next — the minutes, once a colleague has ended the meeting meanwhile.
pub fn draft_key(meeting: i64) -> DraftKey {
    DraftKey {
        form: format!("meeting {meeting} record"),
        meeting: Some(meeting),
        case: None,
    }
}

/// Opens the record form of `meeting` as it is, the agencies `near` it offered first.
pub fn open(
    meeting: i64,
    record: &RecordFields,
    (near, others): (&[String], &[String]),
    ctx: &mut Ctx,
) {
    let lang = ctx.lang;
    let fields = vec![
        Field::text(tr(lang, "place"), &record.place),
        Field::pick(
            tr(lang, "basis"),
            &record.basis,
            choices::bases(&ctx.vocabulary, lang),
        ),
        Field::options(
            tr(lang, "supervisor"),
            choices::supervisor(&ctx.vocabulary, lang),
            if record.supervisor { "yes" } else { "no" },
        ),
        Field::pick(
            tr(lang, "referred_by"),
            record.referred_by.as_deref().unwrap_or(""),
            agency_picker(near, others),
        ),
        Field::multiline(tr(lang, "handouts"), &record.handouts),
        Field::multiline(tr(lang, "remaining_issues"), &record.remaining_issues),
        Field::date(
            tr(lang, "next_meeting_date"),
            record.next_meeting,
            ctx.today(),
        ),
    ];
    let form = Form::new(
        tr(lang, "record_title"),
        RecordForm {
            meeting,
            told: false,
        },
        fields,
    );
    ctx.form(form);
}

/// A save of the record form refused over a colleague's change (the form is open again, as
/// typed, saying whose): the next Enter saves what was typed over it.
pub fn refused(command: &Command, outcome: &Outcome, ctx: &mut Ctx) {
    if let (Command::SetRecord { .. }, Outcome::Conflict { .. }) = (command, outcome)
        && let Overlay::Form(form) = &mut ctx.overlay
        && let Some(purpose) = form.purpose_mut::<RecordForm>()
    {
        purpose.told = true;
    }
}

/// The record form submitted: the command that sets it, or what is wrong; `None` when the form
/// is not the record form.
pub fn submit(form: &Form) -> Option<Result<Vec<Command>, &'static str>> {
    let RecordForm { meeting, told } = form.purpose::<RecordForm>()?.clone();
    // What the untouched fields read as, as a save reads them.
    let loaded = fields_of(&form.as_opened()).ok();
    Some(fields_of(&form.fields).map(|fields| {
        vec![Command::SetRecord {
            meeting,
            fields,
            loaded,
            over: told,
        }]
    }))
}

/// The record as the form's fields read (a date that cannot be read: what is wrong).
fn fields_of(fields: &[Field]) -> Result<RecordFields, &'static str> {
    let v = |i: usize| fields.get(i).map(Field::value).unwrap_or_default();
    let next_meeting = fields.get(6).map_or(Err("bad_date"), Field::date_value)?;
    let referred = v(3);
    Ok(RecordFields {
        place: v(0),
        basis: v(1),
        supervisor: v(2) == "yes",
        referred_by: (!referred.is_empty()).then_some(referred),
        handouts: v(4),
        remaining_issues: v(5),
        next_meeting,
    })
}
