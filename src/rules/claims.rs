//! What CBP's Claim Details said of an entry (rules.md section 7): already
//! accepted, or rejected with an action; and liquidation reason 36.

use super::judge::*;
use super::Filing;
use crate::entries::{Claim, EntryState, Rare};
use crate::finding::{Code, Finding, Rows, Severity};
use crate::values::text::entry_type_code;

/// What CBP's Claim Details said, and what to do about it (rules.md section 7).
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
    if rare.claims.is_empty() {
        return;
    }
    let mut rows = Rows::new();
    rare.claims.iter().for_each(|c| rows.push(c.row));
    if let Some(accepted) = rare.claims.iter().find(|c| c.accepted()) {
        let claim = if accepted.claim_number.is_empty() {
            String::new()
        } else {
            format!(" on claim {}", accepted.claim_number)
        };
        out.push(Finding::new(
            Code::AlreadyAccepted,
            format!("CBP already accepted entry {key}{claim} (row {}: '{}'). Never file it again: a second filing is rejected and delays the refund.", accepted.row,
                if accepted.error_description.is_empty() { &accepted.status } else { &accepted.error_description }),
            rows,
        ));
        return;
    }
    // The worst action decides, never the order of the rows (contract
    // section 7): an error before a warning before a resubmission; among
    // equals, the message that sorts first, so the text is the same too.
    let Some((_, text, row)) = rare
        .claims
        .iter()
        .map(described_claim)
        .min_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)))
    else {
        return;
    };
    let (severity, action) = claim_action(text);
    let action = if action == CORRECT_THEN_FILE {
        correction_advice(e, filing, "then file it on a new declaration")
    } else {
        action.to_string()
    };
    out.push(Finding::with_severity(
        Code::PreviouslyRejected,
        severity,
        format!("CBP did not accept entry {key} (row {row}: '{text}'). {action}"),
        rows,
    ));
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
    let row = rare.refunded_through_cape?;
    Some(Finding::with_severity(
        Code::AlreadyAccepted,
        Severity::Warning,
        format!("Entry {key} has liquidation reason 36 (CAPE) in row {row}: it was most likely refunded through CAPE already (a public ACE knowledge base says so; a secondary source). Do not file it again unless ACE shows it was not refunded; including all entries to review at once leaves it out: include it by itself if you checked."),
        Rows::one(row),
    ))
}

/// The action for a CAPE error description, and how it weighs: `info` when
/// the entry is worth filing again now, `warning` when a person must wait or
/// check, `error` when CAPE does not refund it now.
pub fn claim_action(description: &str) -> (Severity, &'static str) {
    let d = description.to_ascii_uppercase();
    const ACTIONS: [(&str, Severity, &str); 13] = [
        ("UNABLE TO CALCULATE DUTY", Severity::Warning, "Wait; if the entry is a plain type 01 with no special status, ask CBP (CAPE help desk) why the duty could not be calculated."),
        ("STATEMENT PROCESSING NOT COMPLETE", Severity::Warning, "Resubmit it on a new declaration once the periodic statement's collection status reads PAID (usually 2-3 business days)."),
        ("FINAL LIQUIDATION", Severity::Error, "CAPE does not refund it now: file a protest within 180 days of liquidation, or wait for later CAPE phases."),
        ("ACCOUNT MISMATCH", Severity::Error, "File it from the right account: the importer of record's, or the filing broker's."),
        ("PROTEST ON ENTRY", Severity::Error, "CAPE does not refund it while the protest is open."),
        ("DRAWBACK", Severity::Error, "CAPE does not refund an entry on a drawback claim."),
        ("RECON", Severity::Warning, "Since 06/29/2026 types 01, 02 and 06 flagged for reconciliation are accepted if the type 09 entry is not filed: check that before filing it again."),
        ("CANCELLED/REJECTED", Severity::Error, "Not refundable as filed: the entry summary is cancelled or rejected."),
        ("TRADE CONTROL", Severity::Warning, "Wait until the entry summary is back in CBP control, then file it on a new declaration."),
        ("GOODS VALUE", Severity::Info, "File it again now on a new declaration: CAPE stopped checking goods value on the IEEPA line on 06/25/2026."),
        ("INVALID HTS", Severity::Error, CORRECT_THEN_FILE),
        ("HTS RELATIONSHIP", Severity::Error, CORRECT_THEN_FILE),
        ("NO IEEPA HTS", Severity::Error, "Nothing to refund, unless IEEPA was filed wrongly: ask your broker."),
    ];
    ACTIONS
        .iter()
        .find(|(needle, _, _)| d.contains(needle))
        .map(|(_, severity, action)| (*severity, *action))
        .unwrap_or((Severity::Warning, "cape-check does not know this message: read it as CBP wrote it and decide before filing again."))
}
