//! What CBP's Claim Details said of an entry (rules.md section 7): already
//! accepted, or rejected with an action; and liquidation reason 36.

use super::judge::*;
use super::Filing;
use crate::entries::{CapeSign, Claim, EntryState, Rare};
use crate::finding::{Code, Finding, Rows, Severity};
use crate::values::sort_short;
use crate::values::text::{entry_type_code, same_value};
use serde::Serialize;

/// What CBP's Claim Details said, and what to do about it (rules.md
/// sections 7 and 9): accepted in some download (never file again), a
/// conflict (accepted, then failed), or failed in its newest appearance,
/// with the action, and whether that is new since the previous download.
pub(super) fn claim_findings(
    e: &EntryState,
    rare: &Rare,
    filing: &Filing<'_>,
    key: &str,
    out: &mut Vec<Finding>,
) {
    let accepted = rare.claims.iter().any(|c| c.accepted());
    if !accepted {
        out.extend(refunded_through_cape(rare, key));
    }
    let Some(history) = claim_history(e, rare, filing) else {
        return;
    };
    let mut rows = Rows::new();
    rare.claims.iter().for_each(|c| rows.push(c.row));
    let last = history.last();
    let at = |a: &Appearance<'_>| where_said(a, filing);
    if let Some(first) = history.first_accepted() {
        let claim = if first.claim.claim_number.is_empty() {
            String::new()
        } else {
            format!(" on claim {}", first.claim.claim_number)
        };
        out.push(Finding::new(
            Code::AlreadyAccepted,
            format!("CBP already accepted entry {key}{claim} ({}: '{}'). Never file it again: a second filing is rejected and delays the refund.", at(first), first.text),
            rows.clone(),
        ));
        if history.current == Current::Conflict {
            out.push(Finding::new(
                Code::ClaimStatusConflict,
                format!("Entry {key} was accepted ({}) but a later download shows it failed ({}: '{}'): another claim, or an error at CBP. Accepted is final: do not file it again; ask CBP (CAPE help desk) if the refund does not come.", at(first), at(last), last.text),
                rows,
            ));
        }
        return;
    }
    let (severity, action) = claim_action(last.text);
    let action = if action == CORRECT_THEN_FILE {
        correction_advice(e, filing, "then file it on a new declaration")
    } else {
        action.to_string()
    };
    out.push(Finding::with_severity(
        Code::PreviouslyRejected,
        severity,
        format!(
            "CBP did not accept entry {key} ({}: '{}'). {action}",
            at(last),
            last.text
        ),
        rows.clone(),
    ));
    if history.change == Change::NewReject {
        out.push(Finding::new(
            Code::NewReject,
            format!("Entry {key} is a new reject: it failed in the newest Claim Details download ({}: '{}'), and in no earlier download with that message.", at(last), last.text),
            rows,
        ));
    }
}

/// Where a claim's row is: its row, and its download when the run has
/// several.
fn where_said(a: &Appearance<'_>, filing: &Filing<'_>) -> String {
    match filing.downloads {
        Some(d) if d.list.len() > 1 || filing.rows_in.is_some() => {
            format!("row {} of {}", a.claim.row, d.describe(a.rank))
        }
        _ => format!("row {}", a.claim.row),
    }
}

/// An entry's status in one download.
#[derive(Clone, Copy, Debug)]
pub struct Appearance<'c> {
    /// The download's place, oldest first.
    pub rank: u32,
    pub accepted: bool,
    /// The row that decides: an accepted one, else the worst action's.
    pub claim: &'c Claim,
    /// What CBP said on it.
    pub text: &'c str,
}

/// The status of an entry's newest appearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Current {
    Accepted,
    Failed,
    /// Accepted in an earlier download, failed in a later one.
    Conflict,
}

/// What changed for an entry (contract section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Conflict,
    /// Failed in the newest download, with a message no earlier download
    /// gave it (only when the run has several downloads).
    NewReject,
    /// Accepted now, failed before.
    Corrected,
    Unchanged,
}

/// An entry's history across the Claim Details downloads, oldest first.
#[derive(Clone, Debug)]
pub struct ClaimHistory<'c> {
    pub appearances: Vec<Appearance<'c>>,
    pub current: Current,
    pub change: Change,
    /// Failed now, and the action is to resubmit now, or after a fix the
    /// user confirmed: to re-file (unless something else blocks it).
    pub refile: bool,
}

impl<'c> ClaimHistory<'c> {
    /// The newest appearance.
    pub fn last(&self) -> &Appearance<'c> {
        &self.appearances[self.appearances.len() - 1]
    }

    fn first_accepted(&self) -> Option<&Appearance<'c>> {
        self.appearances.iter().find(|a| a.accepted)
    }
}

/// An entry's history, or `None` when no Claim Details names it. Rows of
/// one download decide together: accepted if any says so, else by the
/// worst action (then the message that sorts first), never by their order.
pub fn claim_history<'c>(
    e: &EntryState,
    rare: &'c Rare,
    filing: &Filing<'_>,
) -> Option<ClaimHistory<'c>> {
    let rank = |c: &Claim| {
        filing
            .downloads
            .and_then(|d| d.rank(c.file))
            .unwrap_or(c.file)
    };
    let mut appearances: Vec<Appearance<'c>> = Vec::new();
    for claim in rare.claims.iter() {
        let (weight, text, row) = described_claim(claim);
        let this = Appearance {
            rank: rank(claim),
            accepted: claim.accepted(),
            claim,
            text,
        };
        match appearances.iter_mut().find(|a| a.rank == this.rank) {
            None => appearances.push(this),
            Some(a) => {
                let (a_weight, a_text, a_row) = described_claim(a.claim);
                let worse = (
                    this.accepted,
                    weight,
                    std::cmp::Reverse(text),
                    std::cmp::Reverse(row),
                ) > (
                    a.accepted,
                    a_weight,
                    std::cmp::Reverse(a_text),
                    std::cmp::Reverse(a_row),
                );
                if worse {
                    *a = this;
                }
            }
        }
    }
    sort_short(&mut appearances, |a, b| a.rank < b.rank);
    let last = appearances.last()?;
    let earlier = &appearances[..appearances.len() - 1];
    let accepted_before = earlier.iter().any(|a| a.accepted);
    let current = match (last.accepted, accepted_before) {
        (true, _) => Current::Accepted,
        (false, true) => Current::Conflict,
        (false, false) => Current::Failed,
    };
    let several = filing.downloads.is_some_and(|d| d.list.len() > 1);
    let newest = filing.downloads.and_then(|d| d.newest());
    let change = match current {
        Current::Conflict => Change::Conflict,
        Current::Accepted if earlier.iter().any(|a| !a.accepted) => Change::Corrected,
        Current::Failed
            if several
                && Some(last.rank) == newest
                && !earlier.iter().any(|a| a.text == last.text) =>
        {
            Change::NewReject
        }
        _ => Change::Unchanged,
    };
    let name = e.name();
    let fixed = filing.fixed.iter().any(|f| same_value(f, &name));
    let refile = current == Current::Failed
        && match claim_lane(last.text) {
            Lane::ResubmitNow => true,
            Lane::AfterFix | Lane::Wait => fixed,
            Lane::NotThisLane => false,
        };
    Some(ClaimHistory {
        appearances,
        current,
        change,
        refile,
    })
}

/// The action of INVALID HTS and HTS RELATIONSHIP, before the window of a
/// post-summary correction is known ([`correction_advice`] words it).
const CORRECT_THEN_FILE: &str =
    "Correct the entry by post-summary correction, then file it on a new declaration.";

/// What to do about an entry that needs a post-summary correction, `then`
/// what: correct it while a correction is possible (within 300 days of the
/// entry date and at least 15 days before scheduled liquidation: rules.md
/// section 7), or else say none is possible now and where to ask.
pub(super) fn correction_advice(e: &EntryState, filing: &Filing<'_>, then: &str) -> String {
    if ftz_correction_refused(e, filing) {
        return FTZ_CORRECTION_REFUSED.to_string();
    }
    let (r, as_of) = (filing.rules, filing.as_of);
    let scheduled = e.liquidation_date;
    let entered = e.entry_date.or(e.summary_date);
    let closed = match (scheduled, entered) {
        (Some(liquidated), _) if liquidated <= as_of => {
            Some(format!("the entry liquidated on {liquidated}"))
        }
        (Some(scheduled), _) if scheduled.days_since(as_of) < r.psc_days_before_liquidation => {
            Some(format!(
                "its liquidation, scheduled for {scheduled}, is less than {} days away",
                r.psc_days_before_liquidation
            ))
        }
        (_, Some(entered)) if as_of.days_since(entered) > r.psc_days_after_entry => Some(format!(
            "more than {} days have passed since the entry date {entered}",
            r.psc_days_after_entry
        )),
        _ => None,
    };
    if let Some(why) = closed {
        return format!("No post-summary correction is possible now ({why}): wait for a later CAPE deployment, or ask CBP at IEEPARefunds@cbp.dhs.gov (CBP's answers to NCBFAA, May 2026, a secondary source).");
    }
    let last_day = [
        entered.map(|d| d.add_days(r.psc_days_after_entry as i32)),
        scheduled.map(|d| d.add_days(-(r.psc_days_before_liquidation as i32))),
    ]
    .into_iter()
    .flatten()
    .min();
    let until = match last_day {
        Some(d) => format!(" (for this entry until {d})"),
        None => {
            " (the export gives no date to check that by: look the entry up in ACE)".to_string()
        }
    };
    format!("Correct the entry by post-summary correction (header reason H99), {then}: a correction is possible only within {} days of the entry date and at least {} days before scheduled liquidation{until}.", r.psc_days_after_entry, r.psc_days_before_liquidation)
}

/// A rejected claim's weight (its action's severity), its message and row.
pub(super) fn described_claim(c: &Claim) -> (Severity, &str, u32) {
    let text = if c.error_description.is_empty() {
        c.status.as_str()
    } else {
        c.error_description.as_str()
    };
    (claim_action(text).0, text, c.row)
}

/// The advice instead of a post-summary correction on a type 06 entry.
pub(super) const FTZ_CORRECTION_REFUSED: &str = "ACE refuses a post-summary correction that touches an IEEPA line on a type 06 (FTZ) entry (ACE error F883, CSMS #69635410 as cited by a public ACE knowledge base): ask CBP (CAPE help desk) how to correct it before filing it on a new declaration.";

/// Whether a post-summary correction of the entry's IEEPA lines is refused
/// on the filing date: a type 06 (FTZ) entry, from 2026-08-21.
pub(super) fn ftz_correction_refused(e: &EntryState, filing: &Filing<'_>) -> bool {
    filing.as_of >= filing.rules.ftz_correction_refused_from
        && entry_types(e).iter().any(|t| entry_type_code(t) == "06")
}

/// A liquidation reason 36 / CAPE in the export: already refunded through
/// CAPE. A rule of secondary confidence: it asks a person, never blocks.
pub(super) fn refunded_through_cape(rare: &Rare, key: &str) -> Option<Finding> {
    let (row, sign) = rare.refunded_through_cape?;
    let said = match sign {
        CapeSign::Reason36 => "liquidation reason 36 (CAPE)",
        CapeSign::Indicator => "a CAPE Indicator that says it was processed",
    };
    let source = match sign {
        CapeSign::Reason36 => "a public ACE knowledge base says so; a secondary source",
        CapeSign::Indicator => "one public source reads the indicator so; a single source",
    };
    Some(Finding::with_severity(
        Code::AlreadyAccepted,
        Severity::Warning,
        format!("Entry {key} has {said} in row {row}: it was most likely refunded through CAPE already ({source}). Do not file it again unless ACE shows it was not refunded; including all entries to review at once leaves it out: include it by itself if you checked."),
        Rows::one(row),
    ))
}

/// What to do about an entry after CBP's message, and what lane it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// File it again now (rules.md section 7: "resubmit").
    ResubmitNow,
    /// After a fix the user makes and confirms (a correction).
    AfterFix,
    /// Wait, or check first; then file again.
    Wait,
    /// Not refundable in this lane: never file again as it is.
    NotThisLane,
}

/// CBP's Claim Details messages (rules.md section 7): the needle, how the
/// finding weighs (`info` when the entry is worth filing again now,
/// `warning` when a person must wait or check, `error` when CAPE does not
/// refund it now), the action, and the lane.
const ACTIONS: [(&str, Severity, &str, Lane); 13] = [
    ("UNABLE TO CALCULATE DUTY", Severity::Warning, "A passing condition at CBP: wait a few days and file it again on a new declaration; if it fails the same way on a plain type 01 entry with no special status, ask CBP (CAPE help desk) why the duty could not be calculated.", Lane::Wait),
    ("STATEMENT PROCESSING NOT COMPLETE", Severity::Warning, "Resubmit it on a new declaration once the periodic statement's collection status reads PAID (usually 2-3 business days).", Lane::ResubmitNow),
    ("FINAL LIQUIDATION", Severity::Error, "CAPE does not refund it now: file a protest within 180 days of liquidation, or wait for later CAPE phases.", Lane::NotThisLane),
    ("ACCOUNT MISMATCH", Severity::Error, "File it from the right account: the importer of record's, or the filing broker's.", Lane::NotThisLane),
    ("PROTEST ON ENTRY", Severity::Error, "CAPE does not refund it while the protest is open.", Lane::NotThisLane),
    ("DRAWBACK", Severity::Error, "CAPE does not refund an entry on a drawback claim.", Lane::NotThisLane),
    ("RECON", Severity::Warning, "Since 06/29/2026 types 01, 02 and 06 flagged for reconciliation are accepted if the type 09 entry is not filed: check that before filing it again.", Lane::Wait),
    ("CANCELLED/REJECTED", Severity::Error, "Not refundable as filed: the entry summary is cancelled or rejected.", Lane::NotThisLane),
    ("TRADE CONTROL", Severity::Warning, "Wait until the entry summary is back in CBP control, then file it on a new declaration.", Lane::Wait),
    ("GOODS VALUE", Severity::Info, "File it again now on a new declaration: CAPE stopped checking goods value on the IEEPA line on 06/25/2026.", Lane::ResubmitNow),
    ("INVALID HTS", Severity::Error, CORRECT_THEN_FILE, Lane::AfterFix),
    ("HTS RELATIONSHIP", Severity::Error, CORRECT_THEN_FILE, Lane::AfterFix),
    ("NO IEEPA HTS", Severity::Error, "Nothing to refund, unless IEEPA was filed wrongly: ask your broker.", Lane::NotThisLane),
];

/// The row of [`ACTIONS`] for a message, if cape-check knows it.
fn known_action(
    description: &str,
) -> Option<&'static (&'static str, Severity, &'static str, Lane)> {
    let d = description.to_ascii_uppercase();
    ACTIONS.iter().find(|(needle, ..)| d.contains(needle))
}

/// The action for a CAPE error description, and how it weighs (see
/// [`ACTIONS`]).
pub fn claim_action(description: &str) -> (Severity, &'static str) {
    known_action(description)
        .map(|(_, severity, action, _)| (*severity, *action))
        .unwrap_or((Severity::Warning, "cape-check does not know this message: read it as CBP wrote it and decide before filing again."))
}

/// The lane of a CAPE error description (a message cape-check does not
/// know waits for a person).
pub fn claim_lane(description: &str) -> Lane {
    known_action(description).map_or(Lane::Wait, |(.., lane)| *lane)
}
