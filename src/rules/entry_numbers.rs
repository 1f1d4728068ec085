//! Rules on the entry number and the account it is filed from (rules.md
//! sections 2 and 3): a number CAPE can read, the importer of record or
//! filer code of the account, and entries known only by their number.

use super::judge::*;
use super::Filing;
use crate::entries::EntryState;
use crate::finding::{Code, Finding, Severity};
use crate::values::account::Account;
use crate::values::entry_number::EntryNumberProblem;
use crate::values::importer_number::{Comparison, ImporterNumber};

/// An entry known only from a declaration or Claim Details.
pub(super) fn not_in_export(e: &EntryState, key: &str, any_es003: bool) -> Finding {
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

pub(super) fn entry_number_findings(e: &EntryState, out: &mut Vec<Finding>) {
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

pub(super) fn account_findings(
    e: &EntryState,
    filing: &Filing<'_>,
    key: &str,
    out: &mut Vec<Finding>,
) {
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
pub(super) fn importer_finding(
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
