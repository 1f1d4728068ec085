//! The audit: files pushed in, chunk by chunk; a report and the files to
//! write come out. The one entry point the command line and the browser
//! binding share.

use crate::columns::FileKind;
use crate::declaration::{declaration_files_by_importer, findings_csv, OutputFile};
use crate::entry::{entry_type_code, EntryBook};
use crate::file_reader::FileReader;
use crate::finding::{Code, Finding, Rows, Severity, Verdict};
use crate::judge::judge;
use crate::report::{AccountReport, EntryReport, FileReport, Report, Totals, FORMAT};
use crate::settings::{Account, Settings};
use std::sync::Arc;

/// An audit in progress.
///
/// ```
/// use cape_check::{Audit, Settings, Account, date::Date};
/// let mut settings = Settings::new(Date::parse("2026-11-22").unwrap());
/// settings.account = Some(Account::importer("98-765432100").unwrap());
/// let mut audit = Audit::new(settings);
/// audit.begin_file("es003.csv");
/// audit.feed(b"Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,");
/// audit.feed(b"HTS Number - Full,Line Tariff Duty Amount\r\n");
/// audit.feed(b"XQ710042173,98-765432100,01,01/30/2026,99030269,\"$2,000.00\"\r\n");
/// audit.end_file();
/// let outcome = audit.finish();
/// assert_eq!(outcome.report.totals.ready, 1);
/// assert_eq!(outcome.declarations[0].bytes, b"Entry Number\r\nXQ710042173\r\n");
/// ```
#[derive(Debug)]
pub struct Audit {
    settings: Settings,
    book: EntryBook,
    files: Vec<FileReport>,
    current: Option<FileReader>,
    bytes_done: u64,
    /// Set by tests only: the delimiter and header decided on fewer bytes.
    sniff_prefix: Option<usize>,
}

/// What an audit produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub report: Report,
    /// The declaration file(s); none when no entry is ready.
    pub declarations: Vec<OutputFile>,
    /// `findings.csv`.
    pub findings_csv: Vec<u8>,
}

impl Audit {
    /// A new audit with these settings.
    pub fn new(settings: Settings) -> Audit {
        Audit {
            settings,
            book: EntryBook::default(),
            files: Vec::new(),
            current: None,
            bytes_done: 0,
            sniff_prefix: None,
        }
    }

    /// Decides each file's delimiter and header on its first `bytes` bytes
    /// instead of 1 MiB: for tests that read small files in two parts.
    #[doc(hidden)]
    pub fn with_sniff_prefix(mut self, bytes: usize) -> Audit {
        self.sniff_prefix = Some(bytes);
        self
    }

    pub(crate) fn current_reader(&self) -> Option<&FileReader> {
        self.current.as_ref()
    }

    pub(crate) fn current_reader_mut(&mut self) -> Option<&mut FileReader> {
        self.current.as_mut()
    }

    pub(crate) fn book_mut(&mut self) -> &mut EntryBook {
        &mut self.book
    }

    /// The settings it audits with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Starts the next file (ending the one before, if any).
    pub fn begin_file(&mut self, name: &str) {
        self.end_file();
        let mut reader = FileReader::new(self.files.len(), name, &self.settings.rules);
        if let Some(bytes) = self.sniff_prefix {
            reader.set_sniff_prefix(bytes);
        }
        self.current = Some(reader);
    }

    /// Pushes the next chunk of the current file (any size, even empty).
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.current.is_none() {
            self.begin_file("input");
        }
        if let Some(reader) = self.current.as_mut() {
            reader.feed(chunk, &mut self.book);
        }
    }

    /// Ends the current file.
    pub fn end_file(&mut self) {
        if let Some(reader) = self.current.take() {
            self.bytes_done += reader.bytes_read();
            let outcome = reader.finish(&mut self.book);
            self.files.push(FileReport {
                name: outcome.name,
                kind: outcome.kind.map(|k| k.as_str()),
                rows: outcome.rows,
                findings: outcome.findings,
            });
        }
    }

    /// Ends the current file because reading it failed: what was read is
    /// kept, and the file's findings say where reading stopped and why.
    pub fn fail_file(&mut self, why: &str) {
        let bytes = self.current.as_ref().map_or(0, |r| r.bytes_read());
        self.end_file();
        if let Some(file) = self.files.last_mut() {
            file.findings.push(Finding::new(
                Code::UnreadableFile,
                format!(
                    "Reading '{}' stopped after {bytes} bytes ({why}); the rows after that were not read. Check that the file is complete and readable, then run the audit again.",
                    file.name
                ),
                Rows::new(),
            ));
        }
    }

    /// Rows used so far, across files (for progress).
    pub fn rows_read(&self) -> u64 {
        self.book.rows_used
    }

    /// Bytes pushed so far, across files.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_done + self.current.as_ref().map_or(0, |r| r.bytes_read())
    }

    /// Applies the rules to every entry and makes the report and files.
    pub fn finish(self) -> Outcome {
        let (report, declarations) = self.finish_report();
        let findings_csv = findings_csv(&report);
        Outcome {
            report,
            declarations,
            findings_csv,
        }
    }

    /// The same without `findings.csv`, which the caller makes when it
    /// wants it ([`findings_csv`]): for 100,000 entries the report, its
    /// JSON and its CSV need not all be in memory at once.
    pub fn finish_report(mut self) -> (Report, Vec<OutputFile>) {
        self.end_file();
        let settings = &self.settings;
        let mut totals = Totals::default();
        let mut to_declare = Vec::new();
        let any_es003 = self
            .files
            .iter()
            .any(|f| f.kind == Some(FileKind::Es003.as_str()));
        let book_entries = self.book.take_entries();
        let mut entries = Vec::with_capacity(book_entries.len());
        // Entry type codes as written -> normalised, shared by the entries.
        let mut type_codes: Vec<(Arc<str>, Arc<str>)> = Vec::new();
        // Each entry's state is dropped once judged: peak memory is the
        // larger of the book and the report, not their sum.
        for e in book_entries {
            let findings = judge(&e, settings, any_es003);
            let verdict = findings
                .iter()
                .map(|f| f.severity.verdict())
                .max()
                .unwrap_or(Verdict::Ready);
            let (count, duty) = match verdict {
                Verdict::Ready => (&mut totals.ready, &mut totals.ieepa_duty_ready),
                Verdict::Review => (&mut totals.review, &mut totals.ieepa_duty_review),
                Verdict::Blocked => (&mut totals.blocked, &mut totals.ieepa_duty_blocked),
            };
            *count += 1;
            *duty += e.ieepa_duty;
            if let Ok(number) = &e.number {
                if verdict == Verdict::Ready
                    || (verdict == Verdict::Review && settings.include_review)
                {
                    to_declare.push((*number, e.importer.clone()));
                }
            }
            let entry_type = e.entry_type.as_ref().map(|written| {
                match type_codes.iter().find(|(w, _)| w == written) {
                    Some((_, code)) => code.clone(),
                    None => {
                        let code: Arc<str> = entry_type_code(written).into();
                        if type_codes.len() < 64 {
                            type_codes.push((written.clone(), code.clone()));
                        }
                        code
                    }
                }
            });
            entries.push(EntryReport {
                entry: e.name(),
                verdict,
                entry_type,
                ieepa_duty: e.ieepa_duty,
                importer: e.importer.clone(),
                rows: e.rows,
                findings,
            });
        }
        totals.entries = entries.len();
        let declarations =
            declaration_files_by_importer(&to_declare, &settings.rules, settings.per_importer);

        // A declaration file that lists an entry twice fails whole in CAPE.
        for (file, repeats) in self.files.iter_mut().zip(&self.book.declaration_repeats) {
            if !repeats.is_empty() {
                file.findings.push(Finding::new(
                    Code::DuplicateEntry,
                    format!(
                        "Declaration '{1}' lists entry numbers again ({0}): CAPE fails the whole file for a duplicate. Each entry is kept once in the corrected declaration.",
                        repeats.label(),
                        file.name
                    ),
                    repeats.clone(),
                ));
            }
        }

        // Findings about the inputs as a whole.
        for (file, importers) in self.files.iter_mut().zip(&self.book.importers_by_file) {
            if importers.len() > 1 {
                file.findings.push(Finding::new(
                    Code::SeveralImporters,
                    format!(
                        "'{}' holds {}{} importer numbers ({}). An importer account can file only its own entries; the others are flagged importer-mismatch when an IOR is given.",
                        file.name,
                        importers.len(),
                        if importers.len() >= 16 { " or more" } else { "" },
                        importers.iter().map(|(_, written)| written.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    Rows::new(),
                ));
            }
        }
        let mut audit_findings = Vec::new();
        if settings.account.is_none() {
            audit_findings.push(Finding::new(
                Code::AccountNotSet,
                "No IOR number or filer code was given, so the account checks (ACCOUNT MISMATCH, filer code) were skipped. Give the IOR number (--ior) if you file as the importer, or your filer code (--filer) if you file as a broker.",
                Rows::new(),
            ));
        }
        if declarations.iter().any(|d| d.name.contains("-of-")) {
            audit_findings.push(Finding::new(
                Code::DeclarationSplit,
                format!(
                    "{} entries are ready: more than the {} one declaration may hold, so they were split into {} declaration files. Upload each one separately.",
                    to_declare.len(),
                    settings.rules.max_entries_per_declaration,
                    declarations.len()
                ),
                Rows::new(),
            ));
        }
        if !audit_findings.is_empty() {
            // Audit-wide findings are reported with the first file.
            match self.files.first_mut() {
                Some(first) => first.findings.extend(audit_findings),
                None => self.files.push(FileReport {
                    name: String::new(),
                    kind: None,
                    rows: 0,
                    findings: audit_findings,
                }),
            }
        }

        let account = settings.account.as_ref().map(|a| match a {
            Account::Importer { written, .. } => AccountReport::Importer(written.clone()),
            Account::Filer(code) => AccountReport::Filer(code.to_string()),
        });
        let report = Report {
            format: FORMAT,
            as_of: settings.as_of.iso(),
            account,
            files: self.files,
            entries,
            declarations: declarations
                .iter()
                .map(|d| crate::report::DeclarationReport {
                    file: d.name.clone(),
                    entries: d.bytes.len().saturating_sub(14) / 13,
                })
                .collect(),
            totals,
        };
        (report, declarations)
    }
}

/// Whether any file could not be read at all (the CLI's exit status 1).
pub fn unreadable_inputs(report: &Report) -> Vec<&str> {
    report
        .files
        .iter()
        .filter(|f| {
            f.findings.iter().any(|x| {
                x.severity == Severity::Error
                    && matches!(
                        x.code,
                        Code::UnreadableFile
                            | Code::EmptyFile
                            | Code::NoHeaderRow
                            | Code::MissingColumn
                    )
            })
        })
        .map(|f| f.name.as_str())
        .collect()
}
