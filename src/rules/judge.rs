//! The rules of CAPE (rules.md sections 2 to 5) applied to one entry.
//! Each finding's message names the value found and says what to do.

use super::params::RuleSet;
use super::Filing;
use crate::entries::{Claim, EntryState, Rare};
use crate::finding::{Code, Finding, Rows, Severity};
use crate::values::account::Account;
use crate::values::date::Date;
use crate::values::entry_number::EntryNumberProblem;
use crate::values::hts::{classify, dotted, HtsClass};
use crate::values::importer_number::{Comparison, ImporterNumber};
use crate::values::text::{contains_ignoring_case, count, entry_type_code};

/// Every finding of one entry, in a stable order. `any_es003`: whether the
/// audit read any ES-003 export (else declaration and Claim Details entries
/// are only checked by number, and that is all the user asked).
pub fn judge(e: &EntryState, filing: &Filing<'_>, any_es003: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // The entry's name, without an allocation for a valid number.
    let name = e.name();
    let key: &str = &name;
    entry_number_findings(e, &mut out);
    account_findings(e, filing, key, &mut out);
    if let Some(rare) = e.rare.as_deref() {
        claim_findings(e, rare, filing, key, &mut out);
    }
    if !e.in_es003 {
        out.push(not_in_export(e, key, any_es003));
        return out;
    }
    let types = entry_types(e);
    out.extend(worst(types.clone(), |written| {
        entry_type_finding(e, written, filing, key)
    }));
    ieepa_findings(e, filing, key, &mut out);
    ieepa_period_findings(e, filing.rules, key, &mut out);
    out.extend(worst(liquidation_values(e), |(status, date)| {
        liquidation_finding(e, status, *date, filing, key)
    }));
    if !e.reconciliation_rows().is_empty() {
        let types = if types.is_empty() { vec![""] } else { types };
        out.extend(worst(types, |written| {
            reconciliation_finding(e, written, filing, key)
        }));
    }
    if let Some(rare) = e.rare.as_deref() {
        rare_findings(e, rare, filing, key, &mut out);
    }
    out
}

/// The worst finding of judging each of an entry's values (its rows
/// disagree): the verdict never depends on which row came first. Among
/// equally bad findings the one of the smallest value is reported, so it
/// is always the same one. (No sort: each instance of a generic sort
/// costs the browser's module kilobytes.)
fn worst<T: Ord>(values: Vec<T>, judge_one: impl Fn(&T) -> Option<Finding>) -> Option<Finding> {
    let mut worst: Option<(Finding, &T)> = None;
    for value in &values {
        let Some(finding) = judge_one(value) else {
            continue;
        };
        let better = match &worst {
            None => true,
            Some((w, v)) => {
                finding.severity > w.severity || (finding.severity == w.severity && value < *v)
            }
        };
        if better {
            worst = Some((finding, value));
        }
    }
    worst.map(|(finding, _)| finding)
}

/// Every entry type the rows give, as written (none when no row has one).
fn entry_types(e: &EntryState) -> Vec<&str> {
    let conflicts = e.rare.as_deref().map_or(&[][..], |r| &r.type_conflicts[..]);
    e.entry_type
        .as_deref()
        .into_iter()
        .chain(conflicts.iter().map(|(_, t)| t.as_str()))
        .collect()
}

/// Every (liquidation status, liquidation date) the rows allow: the first
/// of each and every different one.
fn liquidation_values(e: &EntryState) -> Vec<(&str, Option<Date>)> {
    let rare = e.rare.as_deref();
    let mut statuses = vec![e.liquidation_status.as_deref().unwrap_or_default()];
    let mut dates = vec![e.liquidation_date];
    if let Some(rare) = rare {
        statuses.extend(rare.status_conflicts.iter().map(|(_, s)| s.as_str()));
        dates.extend(rare.date_conflicts.iter().map(|(_, d)| Some(*d)));
    }
    let mut values = Vec::with_capacity(statuses.len() * dates.len());
    for status in &statuses {
        values.extend(dates.iter().map(|date| (*status, *date)));
    }
    values
}

/// An entry known only from a declaration or Claim Details.
fn not_in_export(e: &EntryState, key: &str, any_es003: bool) -> Finding {
    let (severity, tail) = if any_es003 {
        (Severity::Warning, "none of the ES-003 exports given holds it, so its eligibility (IEEPA lines, liquidation, entry type, importer) could not be checked. Add the ES-003 export that covers it, or check it in ACE")
    } else {
        (Severity::Info, "only its number was checked; audit it together with the ES-003 export that covers it to check its eligibility")
    };
    Finding::with_severity(
        Code::NotInExport,
        severity,
        format!("Entry {key} comes from a declaration or Claim Details file: {tail}."),
        e.rows.clone(),
    )
}

/// An entry type CAPE does not accept: an error, or a warning for a rule
/// known from secondary sources only (warehouse entries).
fn entry_type_finding(
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

/// The IEEPA lines: none, none with duty, or beside Section 122 lines.
fn ieepa_findings(e: &EntryState, filing: &Filing<'_>, key: &str, out: &mut Vec<Finding>) {
    let all = || e.rows.clone();
    let section_122 = section_122_name(filing);
    if e.ieepa_lines == 0 {
        if e.section_122_lines > 0 {
            out.push(Finding::new(
                Code::Section122Only,
                format!("Entry {key} has no 9903.01/9903.02 (IEEPA) line; its surcharge lines are 9903.03 ({section_122}), which CAPE does not refund. Leave it out."),
                all(),
            ));
        } else {
            let others = e
                .rare
                .as_deref()
                .map(|r| named_chapter_99(&r.other_chapter_99))
                .unwrap_or_default();
            let seen = if others.is_empty() {
                "no Chapter 99 line at all".to_string()
            } else {
                format!("only other Chapter 99 lines ({others})")
            };
            out.push(Finding::new(
                Code::NoIeepaLine,
                format!("Entry {key} has no 9903.01/9903.02 (IEEPA) line, {seen}: CAPE rejects it (NO IEEPA HTS ON ENTRY). Leave it out, unless IEEPA duty was paid and the entry was filed wrongly: then ask your broker to correct it first."),
                all(),
            ));
        }
    } else if e.ieepa_lines_with_duty == 0 {
        out.push(Finding::new(
            Code::IeepaDutyZero,
            format!("Entry {key} has {} but none carries duty (exemption heading, FREE or $0.00): nothing to refund. Leave it out.", count(u64::from(e.ieepa_lines), "IEEPA line", "IEEPA lines")),
            all(),
        ));
    }
    if e.ieepa_lines > 0 && e.section_122_lines > 0 {
        out.push(Finding::new(
            Code::Section122Present,
            format!("Entry {key} also has {} {section_122} (9903.03): CAPE refunds only the IEEPA part ({}). Nothing to do.", count(u64::from(e.section_122_lines), "line", "lines"), e.ieepa_duty.dollars()),
            all(),
        ));
    }
}

/// How 9903.03.01-.11 lines are named on the filing date.
fn section_122_name(filing: &Filing<'_>) -> String {
    let r = filing.rules;
    if filing.as_of >= r.section_122_ended {
        format!("Section 122, {} to {}", r.ieepa_until, r.section_122_ended)
    } else {
        "Section 122".to_string()
    }
}

/// Other Chapter 99 numbers, Section 338 ones named.
fn named_chapter_99(numbers: &[String]) -> String {
    let named: Vec<String> = numbers
        .iter()
        .map(|hts| match classify(hts) {
            Some(HtsClass::Section338) => format!("{} (Section 338)", dotted(hts)),
            _ => dotted(hts),
        })
        .collect();
    named.join(", ")
}

/// IEEPA lines on an entry dated outside the IEEPA period.
fn ieepa_period_findings(e: &EntryState, r: &RuleSet, key: &str, out: &mut Vec<Finding>) {
    if e.ieepa_lines == 0 {
        return;
    }
    let Some(date) = e.entry_date.or(e.summary_date) else {
        return;
    };
    if date < r.ieepa_from || date >= r.ieepa_until {
        out.push(Finding::new(
            Code::OutsideIeepaPeriod,
            format!("Entry {key} is dated {date}, outside the IEEPA period ({} to {}), yet has IEEPA lines. Check the entry with your broker before filing it.", r.ieepa_from, r.ieepa_until.add_days(-1)),
            e.rows.clone(),
        ));
    }
}

/// The reconciliation flag, judged for one of the entry's types.
fn reconciliation_finding(
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
            format!("Entry {key} is flagged for reconciliation. Since {} CAPE accepts type {code} entries so flagged only if the type 09 reconciliation entry has not been filed: confirm that before including it.", r.reconciliation_allowed_from),
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

fn entry_number_findings(e: &EntryState, out: &mut Vec<Finding>) {
    let rows = || e.rows.clone();
    // An unusable number's problem is read again from its written form,
    // which the book kept because reading it failed.
    let number = e
        .number
        .as_ref()
        .map_err(|_| e.problem().unwrap_or(EntryNumberProblem::Empty));
    match number {
        Ok(n) => {
            if let Some(written) = e.cleaned_from() {
                out.push(Finding::new(
                    Code::EntryNumberCleaned,
                    format!("Entry number '{written}' was written with dashes, spaces, an apostrophe or invisible characters; it was cleaned to {n}. Nothing to do."),
                    rows(),
                ));
            }
            if let Some(written) = e.restored_from() {
                out.push(Finding::new(
                    Code::LeadingZerosRestored,
                    format!("Entry number '{written}' lost its leading zeros (Excel stores it as a number); restored to {n}, whose check digit verifies. Nothing to do, but avoid opening the export in Excel before checking it."),
                    rows(),
                ));
            }
        }
        Err(EntryNumberProblem::Scientific) => out.push(Finding::new(
            Code::EntryNumberScientific,
            format!("Entry number '{}' is in scientific notation: Excel replaced its last digits with zeros and they cannot be recovered. Export the ES-003 again from ACE and do not open the CSV in Excel before checking it (or import it with the column set to Text).", e.written()),
            rows(),
        )),
        Err(problem @ (EntryNumberProblem::Malformed(_) | EntryNumberProblem::Empty)) => {
            let why = match &problem {
                EntryNumberProblem::Malformed(why) => why.as_str(),
                _ => "it is empty after cleaning",
            };
            out.push(Finding::new(
                Code::EntryNumberMalformed,
                format!("Entry number '{}' is not a valid entry number: {why}. Nothing is guessed: find the right number in ACE and correct the export.", e.written()),
                rows(),
            ))
        }
        Err(EntryNumberProblem::CheckDigit { expected }) => out.push(Finding::new(
            Code::CheckDigitInvalid,
            format!("Entry number '{}': its check digit does not verify (the first ten characters call for {expected}), so a character is wrong. CAPE would fail the whole declaration. Find the right number in ACE.", e.written()),
            rows(),
        )),
    }
}

fn account_findings(e: &EntryState, filing: &Filing<'_>, key: &str, out: &mut Vec<Finding>) {
    match filing.account {
        Some(Account::Filer(code)) => {
            if let Ok(n) = &e.number {
                if n.filer_code() != *code {
                    out.push(Finding::new(
                        Code::FilerCodeMismatch,
                        format!("Entry {key} was filed under filer code {}, not your account's {code}. CAPE fails the whole declaration file for it: leave it out, or have broker {} file it.", n.filer_code(), n.filer_code()),
                        e.rows.clone(),
                    ));
                }
            }
        }
        Some(Account::Importer { number, written }) => {
            let conflicts = e
                .rare
                .as_deref()
                .map_or(&[][..], |r| &r.importer_conflicts[..]);
            let importers: Vec<&str> = e
                .importer
                .as_deref()
                .into_iter()
                .chain(conflicts.iter().map(|(_, i)| i.as_str()))
                .collect();
            out.extend(worst(importers, |theirs| {
                importer_finding(e, theirs, number, written, key)
            }));
        }
        None => {}
    }
}

/// An importer of record that is not the account's.
fn importer_finding(
    e: &EntryState,
    theirs_written: &str,
    number: &ImporterNumber,
    written: &str,
    key: &str,
) -> Option<Finding> {
    {
        {
            let message = match ImporterNumber::parse(theirs_written) {
                None => Some(format!("Entry {key} has importer number '{theirs_written}', which is not a valid importer number, so it cannot be matched with your account's {written}. Check the entry in ACE.")),
                Some(theirs) => match number.compare(&theirs) {
                    Comparison::Same => None,
                    Comparison::SuffixDiffers { ours, theirs: their_suffix } => Some(format!(
                        "Entry {key} has importer of record {theirs_written}; your account is {written}. Only the suffix differs ({their_suffix} here, {ours} for the account), but for CBP a different suffix is a different importer of record: CAPE rejects it (ACCOUNT MISMATCH). File it from the account of {theirs_written}."
                    )),
                    Comparison::Different => Some(format!(
                        "Entry {key} has importer of record {theirs_written}, not your account's {written}: CAPE rejects it (ACCOUNT MISMATCH). File it from the account of {theirs_written}, or have the filing broker file it."
                    )),
                },
            };
            message.map(|message| Finding::new(Code::ImporterMismatch, message, e.rows.clone()))
        }
    }
}

/// The 80-day window, judged for one liquidation status and date.
fn liquidation_finding(
    e: &EntryState,
    status: &str,
    date: Option<Date>,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let has = |word: &str| contains_ignoring_case(status, word);
    if ["extend", "suspend", "review"].iter().any(|w| has(w)) {
        return Some(Finding::new(
            Code::LiquidationDeferred,
            format!("Entry {key}: liquidation is '{status}'. CAPE accepts the entry; the refund is paid when it liquidates."),
            e.rows.clone(),
        ));
    }
    match date {
        Some(liquidated) if liquidated <= filing.as_of => {
            window_finding(e, liquidated, filing, key)
        }
        Some(_) => None,
        None => no_liquidation_data(e, status, filing, key),
    }
}

/// A liquidated entry: outside the window, or its last days.
fn window_finding(
    e: &EntryState,
    liquidated: Date,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let (r, as_of) = (filing.rules, filing.as_of);
    let rows = || e.rows.clone();
    let out = &mut Vec::new();
    match Some(liquidated) {
        Some(liquidated) if liquidated <= as_of => {
            let days = as_of.days_since(liquidated);
            let last_day = liquidated.add_days(r.window_days as i32);
            if days > r.window_days {
                let deadline = liquidated.add_days(r.protest_days);
                let protest = if as_of <= deadline {
                    format!("A protest (CBP Form 19) is possible until {deadline}.")
                } else {
                    format!("The protest deadline ({deadline}, {} days after liquidation) has passed; only later CAPE phases or other remedies remain.", r.protest_days)
                };
                let phase_3 = if as_of >= r.phase_3_from {
                    format!(" If you are a plaintiff at the Court of International Trade and registered your IOR by {}: since {}, Phase 3 may refund such entries (law firms' notes on the court's order of 07/17/2026, a secondary source), but not through this declaration.", r.phase_3_registered_by, r.phase_3_from)
                } else {
                    String::new()
                };
                out.push(Finding::new(
                    Code::LiquidatedOutsideWindow,
                    format!("Entry {key} liquidated on {liquidated}, {days} days before the filing date {as_of}: more than {} days, so CAPE rejects it (ENTRY SUMMARY IS IN FINAL LIQUIDATION STATUS). {protest}{phase_3}", r.window_days),
                    rows(),
                ));
            } else if r.window_days - days <= r.window_warning_days {
                out.push(Finding::new(
                    Code::WindowClosing,
                    format!("Entry {key} liquidated on {liquidated}; its 80-day window ends on {last_day} ({} after the filing date). File now: CBP validates up to 48 hours after upload.", count((r.window_days - days) as u64, "day", "days")),
                    rows(),
                ));
            }
        }
        _ => {}
    }
    out.pop()
}

/// No liquidation date: estimated from the summary date, unless the status
/// says the entry is not liquidated.
fn no_liquidation_data(
    e: &EntryState,
    status: &str,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let (r, as_of) = (filing.rules, filing.as_of);
    let has = |word: &str| contains_ignoring_case(status, word);
    let rows = || e.rows.clone();
    {
        {
            let liquidated_status = has("liquidated") && !has("unliquidated");
            if !status.is_empty() && !liquidated_status {
                return None;
            }
            let (summary, which) = match (e.summary_date, e.entry_date) {
                (Some(d), _) => (Some(d), "entry summary date"),
                (None, Some(d)) => (Some(d), "entry date (no entry summary date)"),
                (None, None) => (None, "entry summary date"),
            };
            let limit = r.typical_liquidation_days + r.window_days;
            let (code, message) = if liquidated_status {
                (Code::LiquidationUnknown, format!("Entry {key} is '{status}' but has no liquidation date, so the 80-day window cannot be checked. Look up the liquidation date in ACE, or add Liquidation Date to the ES-003 in ACE Reports."))
            } else {
                match summary {
                    Some(d) if as_of.days_since(d) > limit => (Code::LiquidationUnknown, format!(
                        "Entry {key}: no liquidation data, and its {which} {d} is {} days before the filing date. Entries usually liquidate about {} days after the summary, so it has most likely left the 80-day window. Add Liquidation Status and Liquidation Date to the ES-003 in ACE Reports, or check the entry in ACE, before filing it.",
                        as_of.days_since(d), r.typical_liquidation_days)),
                    Some(d) => (Code::LiquidationUnchecked, format!(
                        "Entry {key}: no liquidation data; its {which} {d} is {} days before the filing date, recent enough to be likely unliquidated. Nothing to do.", as_of.days_since(d))),
                    None => (Code::LiquidationUnknown, format!(
                        "Entry {key}: no liquidation data and no entry summary date, so the 80-day window cannot be checked. Add Liquidation Status and Liquidation Date to the ES-003 in ACE Reports.")),
                }
            };
            Some(Finding::new(code, message, rows()))
        }
    }
}

fn rare_findings(
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
    if let Some((row, status)) = &rare.trade_control {
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
        let fix = if ftz_correction_refused(e, filing) {
            FTZ_CORRECTION_REFUSED
        } else {
            "Check the line with your broker; correct it by post-summary correction if needed."
        };
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
fn protest_finding(row: u32, number: &str, status: &str, key: &str) -> Option<Finding> {
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

fn goods_value_finding(rows: &Rows, filing: &Filing<'_>, key: &str) -> Finding {
    let removed = filing.rules.goods_value_check_removed;
    let (severity, tail) = if filing.as_of < removed {
        (Severity::Error, format!("CAPE rejects this until {removed}. Correct the entry by post-summary correction, or file after that date."))
    } else {
        (Severity::Info, format!("CAPE rejected this before {removed}; it no longer does. If CAPE rejected the entry for it earlier, file it again now."))
    };
    Finding::with_severity(
        Code::GoodsValueOnIeepaLine,
        severity,
        format!(
            "Entry {key} reports goods value on its IEEPA Chapter 99 line ({}). {tail}",
            rows.label()
        ),
        rows.clone(),
    )
}

/// Rows of one entry that disagree with each other.
fn conflict_finding(e: &EntryState, rare: &Rare, key: &str) -> Option<Finding> {
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

fn unreadable_cells_finding(rare: &Rare, key: &str) -> Finding {
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

/// What CBP's Claim Details said, and what to do about it (rules.md section 7).
fn claim_findings(
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
    let (severity, mut action) = claim_action(text);
    let correction = action.contains("post-summary correction");
    if correction && ftz_correction_refused(e, filing) {
        action = FTZ_CORRECTION_REFUSED;
    }
    out.push(Finding::with_severity(
        Code::PreviouslyRejected,
        severity,
        format!("CBP did not accept entry {key} (row {row}: '{text}'). {action}"),
        rows,
    ));
}

/// A rejected claim's weight (its action's severity), its message and row.
fn described_claim(c: &Claim) -> (Severity, &str, u32) {
    let text = if c.error_description.is_empty() {
        c.status.as_str()
    } else {
        c.error_description.as_str()
    };
    (claim_action(text).0, text, c.row)
}

/// The advice instead of a post-summary correction on a type 06 entry.
const FTZ_CORRECTION_REFUSED: &str = "ACE refuses a post-summary correction that touches an IEEPA line on a type 06 (FTZ) entry (ACE error F883, CSMS #69635410 as cited by a public ACE knowledge base): ask CBP (CAPE help desk) how to correct it before filing it on a new declaration.";

/// Whether a post-summary correction of the entry's IEEPA lines is refused
/// on the filing date: a type 06 (FTZ) entry, from 2026-08-21.
fn ftz_correction_refused(e: &EntryState, filing: &Filing<'_>) -> bool {
    filing.as_of >= filing.rules.ftz_correction_refused_from
        && entry_types(e).iter().any(|t| entry_type_code(t) == "06")
}

/// A liquidation reason 36 / CAPE in the export: already refunded through
/// CAPE. A rule of secondary confidence: it asks a person, never blocks.
fn refunded_through_cape(rare: &Rare, key: &str) -> Option<Finding> {
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
        ("STATEMENT PROCESSING NOT COMPLETE", Severity::Warning, "Resubmit it on a new declaration in 2-3 business days."),
        ("FINAL LIQUIDATION", Severity::Error, "CAPE does not refund it now: file a protest within 180 days of liquidation, or wait for later CAPE phases."),
        ("ACCOUNT MISMATCH", Severity::Error, "File it from the right account: the importer of record's, or the filing broker's."),
        ("PROTEST ON ENTRY", Severity::Error, "CAPE does not refund it while the protest is open."),
        ("DRAWBACK", Severity::Error, "CAPE does not refund an entry on a drawback claim."),
        ("RECON", Severity::Warning, "Since 06/29/2026 types 01, 02 and 06 flagged for reconciliation are accepted if the type 09 entry is not filed: check that before filing it again."),
        ("CANCELLED/REJECTED", Severity::Error, "Not refundable as filed: the entry summary is cancelled or rejected."),
        ("TRADE CONTROL", Severity::Warning, "Wait until the entry summary is back in CBP control, then file it on a new declaration."),
        ("GOODS VALUE", Severity::Info, "File it again now on a new declaration: CAPE stopped checking goods value on the IEEPA line on 06/25/2026."),
        ("INVALID HTS", Severity::Error, "Correct the entry by post-summary correction, then file it on a new declaration."),
        ("HTS RELATIONSHIP", Severity::Error, "Correct the entry by post-summary correction, then file it on a new declaration."),
        ("NO IEEPA HTS", Severity::Error, "Nothing to refund, unless IEEPA was filed wrongly: ask your broker."),
    ];
    ACTIONS
        .iter()
        .find(|(needle, _, _)| d.contains(needle))
        .map(|(_, severity, action)| (*severity, *action))
        .unwrap_or((Severity::Warning, "cape-check does not know this message: read it as CBP wrote it and decide before filing again."))
}

/// A reminder of what the excluded types are.
fn entry_type_name(code: &str) -> &'static str {
    match code {
        "08" => "duty deferral",
        "09" => "reconciliation",
        "23" => "temporary importation under bond",
        "47" => "drawback",
        _ => "excluded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entries::Claim;
    use crate::finding::Wording;
    use crate::values::date::Date;
    use crate::values::entry_number::EntryNumber;
    use crate::values::money::Cents;
    use crate::values::shared::Shared;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// A clean ES-003 entry: type 01, one IEEPA line with duty, summary
    /// dated 2025-12-01, no liquidation data.
    fn entry() -> EntryState {
        let number = EntryNumber::parse("XQ710042173").unwrap();
        let mut e = EntryState::new("XQ710042173", Ok(number));
        e.rows.push(2);
        e.in_es003 = true;
        e.entry_type = Some(Shared::from("01"));
        e.summary_date = Some(date("2025-12-01"));
        e.ieepa_lines = 1;
        e.ieepa_lines_with_duty = 1;
        e.ieepa_duty = Cents(10_000);
        e
    }

    /// The codes and severities judged on `as_of` with no account.
    fn judged(e: &EntryState, as_of: &str) -> Vec<(&'static str, Severity)> {
        let rules = RuleSet::default();
        let filing = Filing {
            as_of: date(as_of),
            account: None,
            rules: &rules,
            wording: Wording::NEUTRAL,
        };
        judge(e, &filing, true)
            .iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect()
    }

    #[test]
    fn a_clean_recent_entry_has_only_the_unchecked_liquidation_note() {
        assert_eq!(
            judged(&entry(), "2026-11-22"),
            [("liquidation-unchecked", Severity::Info)]
        );
    }

    #[test]
    fn the_80_day_window_counts_calendar_days_from_liquidation() {
        let mut e = entry();
        e.liquidation_status = Some(Shared::from("Liquidated"));
        e.liquidation_date = Some(date("2026-09-03"));
        // 80 days later is the last day inside; within 7 days a warning note.
        assert_eq!(
            judged(&e, "2026-11-22"),
            [("window-closing", Severity::Info)]
        );
        assert_eq!(
            judged(&e, "2026-11-23"),
            [("liquidated-outside-window", Severity::Error)]
        );
        assert!(judged(&e, "2026-11-14").is_empty());
    }

    #[test]
    fn reconciliation_replays_the_rule_of_2026_06_29() {
        let mut e = entry();
        e.rare().reconciliation_rows.push(2);
        let found = |e: &EntryState, as_of| {
            judged(e, as_of)
                .into_iter()
                .find(|(code, _)| *code == "reconciliation-flagged")
                .map(|(_, severity)| severity)
        };
        assert_eq!(found(&e, "2026-06-28"), Some(Severity::Error));
        assert_eq!(found(&e, "2026-06-29"), Some(Severity::Warning));
        e.entry_type = Some(Shared::from("11"));
        assert_eq!(found(&e, "2026-07-01"), Some(Severity::Error));
    }

    #[test]
    fn ieepa_lines_decide_whether_there_is_anything_to_refund() {
        let mut e = entry();
        e.ieepa_lines_with_duty = 0;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("ieepa-duty-zero", Severity::Error)
        );
        e.ieepa_lines = 0;
        e.section_122_lines = 2;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("section-122-only", Severity::Error)
        );
        e.section_122_lines = 0;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("no-ieepa-line", Severity::Error)
        );
    }

    #[test]
    fn protests_block_when_open_ask_when_unknown_and_pass_when_closed() {
        let protest = |status: &str| {
            let mut e = entry();
            e.rare().protest = Some(Box::new((3, "270426123456".into(), status.into())));
            judged(&e, "2026-11-22")
                .into_iter()
                .filter(|(code, _)| *code == "protest-on-entry")
                .map(|(_, severity)| severity)
                .collect::<Vec<_>>()
        };
        assert_eq!(protest("Open"), [Severity::Error]);
        assert_eq!(protest("Suspended"), [Severity::Error]);
        assert_eq!(protest(""), [Severity::Warning]);
        assert_eq!(protest("Denied"), []);
    }

    #[test]
    fn claim_details_accepted_is_never_filed_again() {
        let mut e = entry();
        e.rare().claims.push(Claim {
            row: 2,
            claim_number: "C1".into(),
            status: "Failed".into(),
            error_description: "STATEMENT PROCESSING NOT COMPLETE".into(),
        });
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("previously-rejected", Severity::Warning)
        );
        e.rare().claims.push(Claim {
            row: 3,
            claim_number: "C2".into(),
            status: "Accepted".into(),
            error_description: String::new(),
        });
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("already-accepted", Severity::Error)
        );
    }

    #[test]
    fn an_entry_known_only_from_a_declaration_is_checked_by_number() {
        let mut e = entry();
        e.in_es003 = false;
        let rules = RuleSet::default();
        let filing = Filing {
            as_of: date("2026-11-22"),
            account: None,
            rules: &rules,
            wording: Wording::NEUTRAL,
        };
        let alone = judge(&e, &filing, false);
        assert_eq!(alone.len(), 1);
        assert_eq!(
            (alone[0].code.as_str(), alone[0].severity),
            ("not-in-export", Severity::Info)
        );
        assert_eq!(judge(&e, &filing, true)[0].severity, Severity::Warning);
    }

    #[test]
    fn claim_actions_weigh_by_what_the_user_can_do() {
        assert_eq!(claim_action("goods value on ieepa line").0, Severity::Info);
        assert_eq!(claim_action("ENTRY ON DRAWBACK").0, Severity::Error);
        assert_eq!(claim_action("SOMETHING NEW").0, Severity::Warning);
    }
}
