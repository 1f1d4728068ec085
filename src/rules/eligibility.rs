//! Whether CAPE takes the entry at all (rules.md section 5): its type,
//! the reconciliation flag, protests, trade control, and rows that
//! disagree or cannot be read.

use super::chapter_99::*;
use super::claims::*;
use super::judge::*;
use super::Filing;
use crate::entries::{EntryState, Rare};
use crate::finding::{Code, Finding, Rows, Severity};
use crate::values::text::{contains_ignoring_case, count, entry_type_code};

/// An entry type CAPE does not accept: an error, or a warning for a rule
/// known from secondary sources only (warehouse entries).
pub(super) fn entry_type_finding(
    e: &EntryState,
    written: &str,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let rules = filing.rules;
    let code = entry_type_code(written);
    let excel = if written != code {
        format!(" (written '{written}': Excel dropped the leading zero)")
    } else {
        String::new()
    };
    if rules.excluded_entry_types.contains(&code.as_str()) {
        return Some(Finding::new(
            Code::EntryTypeExcluded,
            format!("Entry {key} is type {code} ({}){excel}. CAPE rejects this type (ENTRY TYPE NOT ALLOWED): leave it out; its IEEPA duties are not refundable through CAPE.", entry_type_name(&code)),
            e.rows.clone(),
        ));
    }
    let warehouse = rules.warehouse_entry_types.contains(&code.as_str())
        && filing.as_of >= rules.warehouse_excluded_from;
    warehouse.then(|| Finding::with_severity(
        Code::EntryTypeExcluded,
        Severity::Warning,
        format!("Entry {key} is type {code} (warehouse entry){excel}. From {} CAPE no longer accepts warehouse entries (ENTRY TYPE NOT ALLOWED), according to CSMS #69127837 as cited by secondary sources (CBP's bulletin was not read). Check with CBP or your broker before filing it; include it only once confirmed.", rules.warehouse_excluded_from),
        e.rows.clone(),
    ))
}

/// The reconciliation flag, judged for one of the entry's types.
pub(super) fn reconciliation_finding(
    e: &EntryState,
    written: &str,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let code = entry_type_code(written);
    let r = filing.rules;
    let allowed_now = filing.as_of >= r.reconciliation_allowed_from
        && r.reconciliation_allowed_types.contains(&code.as_str());
    if allowed_now {
        return Some(Finding::with_severity(
            Code::ReconciliationFlagged,
            Severity::Warning,
            format!("Entry {key} is flagged for reconciliation. Since {} CAPE accepts type {code} entries so flagged only if the type 09 reconciliation entry has not been filed: confirm that before including it. If the reconciliation is due within 30 days, CBP asks you to file the reconciliation first (CSMS #69035485).", r.reconciliation_allowed_from),
            e.reconciliation_rows().clone(),
        ));
    }
    let why = if filing.as_of < r.reconciliation_allowed_from {
        format!(
            "before {} CAPE rejects every entry flagged for reconciliation",
            r.reconciliation_allowed_from
        )
    } else if code.is_empty() {
        "CAPE accepts flagged entries only of types 01, 02 and 06, and this entry's type is unknown (add Entry Type Code to the ES-003 in ACE Reports)".to_string()
    } else {
        format!(
            "CAPE accepts flagged entries only of types 01, 02 and 06, and this one is type {code}"
        )
    };
    Some(Finding::with_severity(
        Code::ReconciliationFlagged,
        Severity::Error,
        format!("Entry {key} is flagged for reconciliation and {why} (ENTRY SUMMARY FLAGGED FOR RECON). Leave it out."),
        e.reconciliation_rows().clone(),
    ))
}

pub(super) fn rare_findings(
    e: &EntryState,
    rare: &Rare,
    filing: &Filing<'_>,
    key: &str,
    out: &mut Vec<Finding>,
) {
    let protests: Vec<(&str, &str, u32)> = rare
        .protests()
        .map(|(row, number, status)| (status.as_str(), number.as_str(), *row))
        .collect();
    out.extend(worst(protests, |(status, number, row)| {
        protest_finding(*row, number, status, key)
    }));
    if let Some((row, case)) = rare.adcvd.as_deref() {
        let liquidated = e.liquidation_date.is_some_and(|d| d <= filing.as_of);
        if !liquidated {
            out.push(Finding::new(
                Code::AdcvdPendingLiquidation,
                format!("Entry {key} is under an AD/CVD case (row {row}: '{case}') and not yet liquidated: CAPE rejects an AD/CVD entry summary pending liquidation (19 U.S.C. 1504(d); CBP's CSMS of 04/13/2026). Leave it out until it liquidates, or check the case with your broker before including it."),
                Rows::one(*row),
            ));
        }
    }
    if let Some((row, status)) = rare.trade_control.as_deref() {
        out.push(Finding::new(
            Code::TradeControl,
            format!("Entry {key} has control status '{status}': CAPE rejects it (ENTRY SUMMARY IS IN TRADE CONTROL). Wait until the entry summary is back in CBP control, then file it."),
            Rows::one(*row),
        ));
    }
    if !rare.goods_on_ieepa_rows.is_empty() {
        out.push(goods_value_finding(&rare.goods_on_ieepa_rows, filing, key));
    }
    if !rare.out_of_sequence_rows.is_empty() {
        let fix = format!(
            "Check the line with your broker. {}",
            correction_advice(e, filing, "if needed")
        );
        out.push(Finding::new(
            Code::HtsOutOfSequence,
            format!("Entry {key}: on a line, a commodity HTS number comes before a Chapter 99 number by tariff ordinal ({}). ACE expects Chapter 99 first; CAPE may reject the entry (HTS RELATIONSHIP MISMATCH). {fix}", rare.out_of_sequence_rows.label()),
            rare.out_of_sequence_rows.clone(),
        ));
    }
    out.extend(conflict_finding(e, rare, key));
    if !rare.duplicate_rows.is_empty() {
        out.push(Finding::new(
            Code::DuplicateRows,
            format!("Entry {key}: {} ({}), as overlapping exports do; each was counted once. Nothing to do.", count(rare.duplicate_rows.len() as u64, "tariff row repeats an earlier row exactly", "tariff rows repeat earlier rows exactly"), rare.duplicate_rows.label()),
            rare.duplicate_rows.clone(),
        ));
    }
    if rare.unreadable_cell_count > 0 {
        out.push(unreadable_cells_finding(rare, key));
    }
}

/// A protest: open or suspended is an error; a status neither open nor
/// closed (or none) asks a person to check.
pub(super) fn protest_finding(row: u32, number: &str, status: &str, key: &str) -> Option<Finding> {
    const CLOSED: [&str; 6] = [
        "closed",
        "denied",
        "allowed",
        "approved",
        "withdrawn",
        "rejected",
    ];
    const OPEN: [&str; 4] = ["open", "suspend", "pending", "review"];
    let has = |word: &&str| contains_ignoring_case(status, word);
    let named = if number.is_empty() {
        String::new()
    } else {
        format!(" {number}")
    };
    if OPEN.iter().any(has) {
        return Some(Finding::new(
            Code::ProtestOnEntry,
            format!("Entry {key} has protest{named} with status '{status}': CAPE rejects entries with an open or suspended protest (PROTEST ON ENTRY). Leave it out while the protest is open."),
            Rows::one(row),
        ));
    }
    if CLOSED.iter().any(has) {
        return None;
    }
    Some(Finding::with_severity(
        Code::ProtestOnEntry,
        Severity::Warning,
        format!("Entry {key} has protest{named}{}: if the protest is open or suspended CAPE rejects the entry (PROTEST ON ENTRY). Check its status in ACE before including it.",
            if status.is_empty() { " and no protest status".to_string() } else { format!(" with status '{status}'") }),
        Rows::one(row),
    ))
}

/// Rows of one entry that disagree with each other.
pub(super) fn conflict_finding(e: &EntryState, rare: &Rare, key: &str) -> Option<Finding> {
    let mut conflicts = Vec::new();
    let mut conflict_rows = Rows::new();
    for (what, differing, first) in [
        ("importer number", &rare.importer_conflicts, &e.importer),
        ("entry type", &rare.type_conflicts, &e.entry_type),
    ] {
        if let Some((row, value)) = differing.first() {
            conflicts.push(format!(
                "{what} '{value}' in row {row} differs from '{}'",
                first.as_deref().unwrap_or_default()
            ));
            differing.iter().for_each(|(r, _)| conflict_rows.push(*r));
        }
    }
    let first_status = e.liquidation_status.as_deref().unwrap_or_default();
    if let Some((row, status)) = rare.status_conflicts.first() {
        conflicts.push(format!(
            "liquidation status '{status}' in row {row} differs from '{first_status}'"
        ));
        rare.status_conflicts
            .iter()
            .for_each(|(r, _)| conflict_rows.push(*r));
    }
    if let (Some((row, date)), Some(first)) = (rare.date_conflicts.first(), e.liquidation_date) {
        conflicts.push(format!(
            "liquidation date {date} in row {row} differs from {first}"
        ));
        rare.date_conflicts
            .iter()
            .for_each(|(r, _)| conflict_rows.push(*r));
    }
    if let (Some((row, number, status)), Some((_, first_number, first_status))) =
        (rare.other_protests.first(), rare.protest.as_deref())
    {
        conflicts.push(format!(
            "protest {number} '{status}' in row {row} differs from {first_number} '{first_status}'"
        ));
        rare.other_protests
            .iter()
            .for_each(|(r, ..)| conflict_rows.push(*r));
    }
    // The entry was judged on the worst of the values that disagree.
    let judged = if conflicts.is_empty() {
        ""
    } else {
        " cape-check judged the entry on the worst of the values."
    };
    if !rare.tariff_conflicts.is_empty() {
        conflicts.push(format!("the same line and tariff ordinal appear again with different values ({}; both were counted)", rare.tariff_conflicts.label()));
        conflict_rows.extend(&rare.tariff_conflicts);
    }
    (!conflicts.is_empty()).then(|| Finding::new(
        Code::ConflictingEntryData,
        format!("Rows of entry {key} disagree: {}.{judged} Check the entry in ACE; if two exports overlap, export once for the whole period.", conflicts.join("; ")),
        conflict_rows,
    ))
}

pub(super) fn unreadable_cells_finding(rare: &Rare, key: &str) -> Finding {
    let mut rows = Rows::new();
    let described: Vec<String> = rare
        .unreadable_cells
        .iter()
        .map(|(row, what)| {
            rows.push(*row);
            format!("row {row}: {what}")
        })
        .collect();
    let more = rare.unreadable_cell_count as usize - described.len();
    Finding::new(
        Code::MalformedRow,
        format!("Entry {key} has cells that could not be read ({}{}), so its figures may be incomplete. Fix the cells named, or export the report again.",
            described.join("; "), if more > 0 { format!("; and {more} more") } else { String::new() }),
        rows,
    )
}

/// A reminder of what the excluded types are.
pub(super) fn entry_type_name(code: &str) -> &'static str {
    match code {
        "08" => "duty deferral",
        "09" => "reconciliation",
        "23" => "temporary importation under bond",
        "47" => "drawback",
        _ => "excluded",
    }
}
