//! The report of an audit: the JSON of the contract (section 3) and the
//! human summary the command line prints.

use crate::finding::{Finding, Rows, Severity, Verdict};
use crate::values::entry_number::EntryName;
use crate::values::money::Cents;
use serde::Serialize;
use std::fmt::Write;
use std::sync::Arc;

/// The report format's name and version.
pub const FORMAT: &str = "cape-check-report/1";

/// Everything an audit found. Serialises as the contract's JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    /// The filing date, ISO.
    pub as_of: String,
    pub account: Option<AccountReport>,
    pub files: Vec<FileReport>,
    pub entries: Vec<EntryReport>,
    pub declarations: Vec<DeclarationReport>,
    pub totals: Totals,
}

/// `{"importer": ...}` or `{"filer": ...}`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountReport {
    Importer(String),
    Filer(String),
}

/// One input file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub name: String,
    /// `es003`, `declaration`, `claim-details`, or null when unreadable.
    pub kind: Option<&'static str>,
    /// Rows in the file, as Excel numbers them.
    pub rows: u32,
    pub findings: Vec<Finding>,
}

/// One entry.
#[derive(Clone, Debug, Serialize)]
pub struct EntryReport {
    /// The normalised number, or as written when unusable.
    pub entry: EntryName,
    pub verdict: Verdict,
    /// Shared with the other entries of the same importer.
    pub importer: Option<Arc<str>>,
    /// The two-character code (`01`), shared with the entries of the same type.
    pub entry_type: Option<Arc<str>>,
    pub ieepa_duty: Cents,
    /// Every spreadsheet row of the entry (numbered within its own file).
    pub rows: Rows,
    pub findings: Vec<Finding>,
}

/// One declaration file written.
#[derive(Clone, Debug, Serialize)]
pub struct DeclarationReport {
    pub file: String,
    pub entries: usize,
}

/// Counts and IEEPA duty per verdict.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub entries: usize,
    pub ready: usize,
    pub review: usize,
    pub blocked: usize,
    pub ieepa_duty_ready: Cents,
    pub ieepa_duty_review: Cents,
    pub ieepa_duty_blocked: Cents,
}

impl Report {
    /// The human summary: totals first, then what to fix, then the files.
    pub fn text_summary(&self) -> String {
        let mut s = String::new();
        let t = &self.totals;
        let account = match &self.account {
            Some(AccountReport::Importer(n)) => format!("importer account {n}"),
            Some(AccountReport::Filer(c)) => format!("broker account, filer code {c}"),
            None => "no account given".to_string(),
        };
        let _ = writeln!(s, "cape-check: filing date {}, {account}", self.as_of);
        let _ = writeln!(s);
        let _ = writeln!(s, "{} entries", t.entries);
        let _ = writeln!(
            s,
            "  ready    {:>7}   IEEPA duty {:>16}",
            t.ready,
            t.ieepa_duty_ready.dollars()
        );
        let _ = writeln!(
            s,
            "  review   {:>7}   IEEPA duty {:>16}",
            t.review,
            t.ieepa_duty_review.dollars()
        );
        let _ = writeln!(
            s,
            "  blocked  {:>7}   IEEPA duty {:>16}",
            t.blocked,
            t.ieepa_duty_blocked.dollars()
        );
        let _ = writeln!(s);
        for f in &self.files {
            let _ = writeln!(
                s,
                "File {}: {}, {} rows",
                f.name,
                f.kind.unwrap_or("not read"),
                f.rows
            );
            for finding in &f.findings {
                let _ = writeln!(
                    s,
                    "  {:<7} {}: {}",
                    severity_word(finding.severity),
                    finding.code.as_str(),
                    finding.message
                );
            }
        }
        for (verdict, title) in [
            (Verdict::Blocked, "Blocked (never written)"),
            (Verdict::Review, "To review (left out unless included)"),
        ] {
            let listed: Vec<&EntryReport> = self
                .entries
                .iter()
                .filter(|e| e.verdict == verdict)
                .collect();
            if listed.is_empty() {
                continue;
            }
            let _ = writeln!(s, "\n{title}: {}", listed.len());
            for e in listed {
                let _ = writeln!(s, "  {}  {}", e.entry, e.ieepa_duty.dollars());
                for finding in e.findings.iter().filter(|f| f.severity != Severity::Info) {
                    let _ = writeln!(
                        s,
                        "    {:<7} {} ({}): {}",
                        severity_word(finding.severity),
                        finding.code.as_str(),
                        finding.rows.label(),
                        finding.message
                    );
                }
            }
        }
        let _ = writeln!(s);
        if self.declarations.is_empty() {
            let _ = writeln!(
                s,
                "No declaration: no entry is ready to file (CAPE rejects an empty declaration)."
            );
        } else {
            for d in &self.declarations {
                let _ = writeln!(s, "Declaration {}: {} entries", d.file, d.entries);
            }
        }
        s
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}
