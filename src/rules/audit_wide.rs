//! Findings about the audit as a whole, not one entry: the account that
//! was not given, the declaration that had to be split, and what the entry
//! book noticed across a file (several importers, repeated entries).

use super::Filing;
use crate::entries::IMPORTERS_KEPT;
use crate::finding::{Code, Finding, Rows};

/// No account given: the account checks were skipped.
pub fn account_not_set(filing: &Filing<'_>) -> Option<Finding> {
    filing.account.is_none().then(|| {
        let w = &filing.wording;
        Finding::new(
            Code::AccountNotSet,
            format!("No IOR number or filer code was given, so the account checks (ACCOUNT MISMATCH, filer code) were skipped. Give the IOR number{} if you file as the importer, or your filer code{} if you file as a broker.", w.give_ior, w.give_filer),
            Rows::new(),
        )
    })
}

/// More ready entries than one declaration may hold: `split` when a
/// declaration was written in several files, `files` of them in all.
pub fn declaration_split(
    filing: &Filing<'_>,
    entries: usize,
    files: usize,
    split: bool,
) -> Option<Finding> {
    split.then(|| {
        Finding::new(
            Code::DeclarationSplit,
            format!(
                "{entries} entries are ready: more than the {} one declaration may hold, so they were split into {files} declaration files. Upload each one separately.",
                filing.rules.max_entries_per_declaration,
            ),
            Rows::new(),
        )
    })
}

/// A declaration file that lists entries again (`repeats`: their rows).
pub fn duplicate_entries(file: &str, repeats: &Rows) -> Option<Finding> {
    (!repeats.is_empty()).then(|| {
        Finding::new(
            Code::DuplicateEntry,
            format!(
                "Declaration '{file}' lists entry numbers again ({}): CAPE fails the whole file for a duplicate. Each entry is kept once in the corrected declaration.",
                repeats.label(),
            ),
            repeats.clone(),
        )
    })
}

/// An ES-003 that holds more than one importer (`importers`: normalised
/// and as first written; at most 16 are kept).
pub fn several_importers(file: &str, importers: &[(String, String)]) -> Option<Finding> {
    (importers.len() > 1).then(|| {
        Finding::new(
            Code::SeveralImporters,
            format!(
                "'{file}' holds {}{} importer numbers ({}). An importer's account can file only its own entries: give the importer number you file from, and the entries of the others are blocked, each with its importer named. A broker's account can file the entries it filed, of any importer (one declaration per importer if you wish).",
                importers.len(),
                if importers.len() >= IMPORTERS_KEPT { " or more" } else { "" },
                importers.iter().map(|(_, written)| written.as_str()).collect::<Vec<_>>().join(", ")
            ),
            Rows::new(),
        )
    })
}
