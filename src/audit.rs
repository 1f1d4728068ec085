//! The audit: files pushed in, chunk by chunk; a report and the files to
//! write come out. The one entry point the command line and the browser
//! binding share.

use crate::chunked::Chunked;
use crate::entries::{AfterFacts, Entries, EntryBook, EntryState};
use crate::finding::{Code, Finding, Rows, Severity, Verdict};
use crate::output::declaration::{declaration_files_by_importer, findings_csv, OutputFile};
use crate::output::fingerprint::{sha256_hex, Fingerprint};
use crate::output::report::{
    AccountReport, Applied, AppliedTotals, ClaimAppearance, ClaimEntryReport, ClaimsReport,
    CourtDeadlinesNear, DeclarationReport, EachEntry, EntryReport, FileReport, ImporterTotals,
    InterestReport, Report, RulesReport, Totals, FORMAT,
};
use crate::output::results::Results;
use crate::read::columns::FileKind;
use crate::read::file::{DeclarationLimits, FileReader};
use crate::rules::claims::claim_history;
use crate::rules::downloads::{DownloadFacts, Downloads};
use crate::rules::interest::InterestEstimator;
use crate::rules::{audit_wide, court_deadline, judge, window_days_left, Filing};
use crate::settings::{Account, Settings};
use crate::values::date::Date;
use crate::values::entry_number::EntryNumber;
use crate::values::shared::Shared;
use crate::values::text::entry_type_code;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::collections::HashMap;

/// An audit in progress.
///
/// ```
/// use cape_check::{Audit, Settings, Account, values::date::Date};
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
    /// Each file's own date (modified time), by index, when the front end
    /// gives it: a Claim Details download is dated by it as a last resort.
    file_dates: Vec<Option<Date>>,
    /// The current file's fingerprint, from the bytes fed (none when the
    /// front end computes it apart: [`Audit::fingerprint_apart`]).
    fingerprint: Option<Fingerprint>,
    /// The current file's fingerprint as the caller computed it, if it did.
    fingerprint_given: Option<String>,
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
            file_dates: Vec::new(),
            fingerprint: None,
            fingerprint_given: None,
        }
    }

    /// Decides each file's delimiter and header on its first `bytes` bytes
    /// instead of 1 MiB: for tests that read small files in two parts.
    #[doc(hidden)]
    pub fn with_sniff_prefix(mut self, bytes: usize) -> Audit {
        self.sniff_prefix = Some(bytes);
        self
    }

    /// The file being read and the entry book its rows go to (for
    /// [`crate::split`], which joins a later part of the file into both).
    pub(crate) fn reading(&mut self) -> Option<(&mut FileReader, &mut EntryBook)> {
        Some((self.current.as_mut()?, &mut self.book))
    }

    /// The file being read.
    pub(crate) fn current_reader(&self) -> Option<&FileReader> {
        self.current.as_ref()
    }

    /// The settings it audits with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Starts the next file (ending the one before, if any).
    pub fn begin_file(&mut self, name: &str) {
        self.end_file();
        let rules = &self.settings.rules;
        let limits = DeclarationLimits {
            max_entries: rules.max_entries_per_declaration,
            max_bytes: rules.max_declaration_bytes,
        };
        let index = self.files.len();
        let mut reader = FileReader::new(index, name, limits, self.settings.wording);
        if let Some(bytes) = self.sniff_prefix {
            reader.set_sniff_prefix(bytes);
        }
        if self.settings.after_files.iter().any(|n| n == name) {
            reader.read_whole();
            let after = &mut self.book.after_files;
            if after.len() <= index {
                after.resize(index + 1, false);
            }
            after[index] = true;
        }
        self.current = Some(reader);
        self.fingerprint = Some(Fingerprint::default());
        self.fingerprint_given = None;
    }

    /// The current file's fingerprint is computed by the front end apart
    /// (the page, after the results of a large file): the report's
    /// `sha256` stays null, and the bytes fed are not hashed.
    pub fn fingerprint_apart(&mut self) {
        self.fingerprint = None;
    }

    /// The current file's fingerprint, computed by the caller over the
    /// whole file (its parts were read on other threads).
    pub fn set_fingerprint(&mut self, sha256: String) {
        self.fingerprint_given = Some(sha256);
    }

    /// Bytes of the current file were read elsewhere (a part joined): its
    /// fingerprint cannot be computed here.
    pub(crate) fn fingerprint_partial(&mut self) {
        if let Some(f) = self.fingerprint.as_mut() {
            f.mark_partial();
        }
    }

    /// The current file's own date (its modified time): a Claim Details
    /// download without a date column or a date in its name is dated by it.
    pub fn set_file_date(&mut self, date: Date) {
        let i = self.files.len();
        if self.file_dates.len() <= i {
            self.file_dates.resize(i + 1, None);
        }
        self.file_dates[i] = Some(date);
    }

    /// Pushes the next chunk of the current file (any size, even empty).
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.current.is_none() {
            self.begin_file("input");
        }
        if let Some(reader) = self.current.as_mut() {
            reader.feed(chunk, &mut self.book);
            if let Some(f) = self.fingerprint.as_mut() {
                f.update(chunk);
            }
        }
    }

    /// Ends the current file.
    pub fn end_file(&mut self) {
        if let Some(reader) = self.current.take() {
            self.bytes_done += reader.bytes_read();
            let bytes = reader.bytes_read();
            let outcome = reader.finish(&mut self.book);
            self.files.push(FileReport {
                name: outcome.name,
                kind: outcome.kind.map(|k| k.as_str()),
                rows: outcome.rows,
                findings: outcome.findings,
                bytes,
                sha256: self
                    .fingerprint_given
                    .take()
                    .or_else(|| self.fingerprint.take().and_then(Fingerprint::finish)),
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
    pub fn finish_report(self) -> (Report, Vec<OutputFile>) {
        // Each entry's state is dropped once judged, its chunk freed with
        // the last of them: peak memory is the larger of the book and the
        // report, not their sum.
        self.finish_with(|entries, judged, judge| {
            let mut held = Chunked::default();
            for e in entries {
                held.push(judged.count(&e, judge));
            }
            held
        })
    }

    /// The same with the entries judged again on each pass over them
    /// (see [`Rejudged`]): the book stays, the report is never whole. For
    /// the command line, which writes each entry out once per output.
    pub fn finish_streamed(self) -> (Report<Rejudged>, Vec<OutputFile>) {
        self.finish_with(|entries, judged, judge| {
            for e in entries.iter() {
                judged.count(e, judge);
            }
            Rejudged {
                entries,
                settings: judge.settings.clone(),
                any_es003: judge.any_es003,
                downloads: judge.downloads.clone(),
                after: judge.after.clone(),
                rows_in: judge.rows_in.clone(),
            }
        })
    }

    /// Judges every entry once (`judge_all` keeps what it likes of them)
    /// and makes the report and the declaration files.
    fn finish_with<E>(
        mut self,
        judge_all: impl FnOnce(Entries, &mut Judged, &mut Judge<'_>) -> E,
    ) -> (Report<E>, Vec<OutputFile>) {
        self.end_file();
        let any_es003 = self
            .files
            .iter()
            .any(|f| f.kind == Some(FileKind::Es003.as_str()));
        let downloads = self.downloads();
        let after = std::mem::take(&mut self.book.after);
        for (index, finding) in downloads.findings() {
            self.files[index as usize].findings.push(finding);
        }
        let mut judged = Judged::default();
        let mut judge = Judge::new(&self.settings, any_es003, downloads);
        judge.after = after;
        judge.rows_in = self.rows_in();
        let entries = judge_all(self.book.take_entries(), &mut judged, &mut judge);
        let interest = judge.interest_report();
        let downloads = std::mem::take(&mut judge.downloads);
        let settings = &self.settings;
        let importers = &judged.by_importer.totals;
        let declarations = declaration_files_by_importer(
            judged
                .to_declare
                .iter()
                .map(|&(n, i)| (n, importers[i as usize].importer.as_deref())),
            &settings.rules,
            settings.per_importer,
        );
        let split = declarations.iter().any(|d| d.name.contains("-of-"));
        let filing = settings.filing();
        let audit_findings: Vec<Finding> = audit_wide::account_not_set(&filing)
            .into_iter()
            .chain(audit_wide::declaration_split(
                &filing,
                judged.to_declare.len(),
                declarations.len(),
                split,
            ))
            .collect();
        self.add_file_findings();
        self.add_audit_findings(audit_findings);
        let settings = &self.settings;
        let report = Report {
            format: FORMAT,
            as_of: settings.as_of.iso(),
            rules: RulesReport {
                as_of: settings.as_of.iso(),
                edition: settings.rules.edition.iso(),
            },
            account: settings.account.as_ref().map(account_report),
            files: self.files,
            entries,
            declarations: declarations.iter().map(declaration_report).collect(),
            totals: judged.totals,
            interest,
            by_importer: judged.by_importer.into_values(),
            court_deadline_near: judged.court_deadline_near,
            applied: judged.applied,
            claims: (!downloads.list.is_empty()).then_some(ClaimsReport {
                downloads: downloads.list,
                entries: judged.claims,
            }),
        };
        (report, declarations)
    }

    /// With several files, the ES-003 exports quoted ('a.csv' or
    /// 'a.csv' or 'b.csv'), for messages naming their rows.
    fn rows_in(&self) -> Option<String> {
        if self.files.len() < 2 {
            return None;
        }
        let names: Vec<String> = self
            .files
            .iter()
            .filter(|f| f.kind == Some(FileKind::Es003.as_str()))
            .map(|f| format!("'{}'", f.name))
            .collect();
        Some(if names.is_empty() {
            "the files given".to_string()
        } else {
            names.join(" or ")
        })
    }

    /// The Claim Details downloads read, dated and in order.
    fn downloads(&self) -> Downloads {
        let facts = self
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == Some(FileKind::ClaimDetails.as_str()))
            .map(|(i, f)| DownloadFacts {
                index: i as u32,
                name: f.name.clone(),
                rows: f.rows,
                column_date: self.book.claim_dates.get(i).copied().flatten(),
                unread_dates: self
                    .book
                    .claim_dates_unread
                    .get(i)
                    .filter(|(rows, _)| !rows.is_empty())
                    .cloned(),
                file_date: self.file_dates.get(i).copied().flatten(),
                user_date: self
                    .settings
                    .download_dates
                    .iter()
                    .find(|(name, _)| *name == f.name)
                    .map(|(_, d)| *d),
            })
            .collect();
        Downloads::new(facts)
    }

    /// The finished audit, to browse (see [`Results`]).
    pub fn into_results(self) -> Results {
        let settings = self.settings.clone();
        let (report, declarations) = self.finish_report();
        Results::new(report, declarations, &settings)
    }

    /// Findings the entry book made about each file: entries a declaration
    /// lists again, an ES-003 with several importers.
    fn add_file_findings(&mut self) {
        for (file, repeats) in self.files.iter_mut().zip(&self.book.declaration_repeats) {
            file.findings
                .extend(audit_wide::duplicate_entries(&file.name, repeats));
        }
        for (file, importers) in self.files.iter_mut().zip(&self.book.importers_by_file) {
            file.findings
                .extend(audit_wide::several_importers(&file.name, importers));
        }
    }

    /// Audit-wide findings are reported with the first file.
    fn add_audit_findings(&mut self, findings: Vec<Finding>) {
        if findings.is_empty() {
            return;
        }
        match self.files.first_mut() {
            Some(first) => first.findings.extend(findings),
            None => self.files.push(FileReport {
                name: String::new(),
                kind: None,
                rows: 0,
                findings,
                bytes: 0,
                sha256: None,
            }),
        }
    }
}

/// The rules applied to one entry after another: the same entry gets the
/// same report on every pass.
pub(crate) struct Judge<'a> {
    settings: &'a Settings,
    any_es003: bool,
    downloads: Downloads,
    /// What the exports after filing show, by entry (empty without them).
    after: HashMap<String, AfterFacts>,
    /// See [`Filing::rows_in`].
    rows_in: Option<String>,
    interest: InterestEstimator,
    type_codes: TypeCodes,
}

impl<'a> Judge<'a> {
    fn new(settings: &'a Settings, any_es003: bool, downloads: Downloads) -> Judge<'a> {
        let filing = settings.filing();
        Judge {
            settings,
            any_es003,
            downloads,
            after: HashMap::new(),
            rows_in: None,
            interest: InterestEstimator::new(
                &filing.rules.interest,
                filing.as_of,
                settings.non_corporate,
            ),
            type_codes: TypeCodes::default(),
        }
    }

    /// What the rules know of the filing, the downloads included.
    fn filing(&self) -> Filing<'_> {
        Filing {
            downloads: Some(&self.downloads),
            rows_in: self.rows_in.as_deref(),
            ..self.settings.filing()
        }
    }

    /// An entry's history in the Claim Details, when they name it; `report`:
    /// its report (a re-file is never one that something else blocks).
    fn claim_entry(&self, e: &EntryState, report: &EntryReport) -> Option<ClaimEntryReport> {
        let filing = self.filing();
        let history = claim_history(e, e.rare.as_deref()?, &filing)?;
        let blocked_otherwise = report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.code != Code::PreviouslyRejected);
        let last = history.last();
        let action = report
            .findings
            .iter()
            .find(|f| matches!(f.code, Code::PreviouslyRejected | Code::AlreadyAccepted))
            .map(|f| f.message.clone())
            .unwrap_or_default();
        Some(ClaimEntryReport {
            entry_number: e.name().to_string(),
            history: history
                .appearances
                .iter()
                .map(|a| ClaimAppearance {
                    download: self
                        .downloads
                        .at(a.rank)
                        .map(|d| d.file.clone())
                        .unwrap_or_default(),
                    status: if a.accepted { "accepted" } else { "failed" },
                    message: a.text.to_string(),
                    claim_number: a.claim.claim_number.clone(),
                })
                .collect(),
            current: history.current,
            change: history.change,
            action,
            refile: history.refile && !blocked_otherwise && !last.accepted,
        })
    }

    /// Whether an entry's refund was applied, from the exports after filing
    /// (none without them, or for an entry of none of the other exports).
    fn applied(&self, e: &EntryState) -> Option<Applied> {
        if self.after.is_empty() || !e.in_es003 {
            return None;
        }
        let Some(after) = self.after.get(&*e.name()) else {
            return Some(Applied::Unknown);
        };
        let lines_gone = e.ieepa_lines_with_duty > 0 && !after.ieepa_with_duty;
        let accepted = e
            .rare
            .as_ref()
            .is_some_and(|r| r.claims.iter().any(|c| c.accepted()));
        Some(
            if lines_gone || after.indicator == Some(true) || after.reason_36 {
                Applied::Applied
            } else if accepted || after.indicator == Some(false) {
                Applied::Pending
            } else {
                Applied::NotFiled
            },
        )
    }

    /// An entry's report: findings, verdict, interest estimate.
    fn entry(&mut self, e: &EntryState) -> EntryReport {
        let mut findings = judge(e, &self.filing(), self.any_es003);
        findings.shrink_to_fit(); // a Vec grown by push keeps room for 4
        let verdict = findings
            .iter()
            .map(|f| f.severity.verdict())
            .max()
            .unwrap_or(Verdict::Ready);
        let interest_estimate = self.interest.interest(e.ieepa_duty, e.deposit_date());
        EntryReport {
            entry: e.name(),
            verdict,
            entry_type: e.entry_type.as_ref().map(|w| self.type_codes.code(w)),
            ieepa_duty: e.ieepa_duty,
            interest_estimate,
            importer: e.importer.clone(),
            rows: e.rows.clone(),
            applied: self.applied(e),
            court_deadline: findings
                .iter()
                .any(|f| f.code == Code::LiquidatedOutsideWindow)
                .then(|| court_deadline(e, &self.settings.filing()))
                .flatten(),
            liquidation_date: e.liquidation_date,
            window_days_left: window_days_left(e, &self.settings.filing()),
            findings,
        }
    }

    fn interest_report(&self) -> InterestReport {
        InterestReport {
            rate_table: self.interest.rate_table(),
            refund_date: self.interest.refund_date().iso(),
            basis: self.interest.basis(),
            ends: self.interest.ends().iso(),
            rate_column: self.interest.rate_column(),
            rates: self.interest.rates(),
        }
    }
}

/// The report's entries as the book's entries judged again on each pass
/// (the JSON, the text summary, `findings.csv`): memory holds the book and
/// one entry's report, never the report of every entry.
pub struct Rejudged {
    entries: Entries,
    settings: Settings,
    any_es003: bool,
    downloads: Downloads,
    after: HashMap<String, AfterFacts>,
    rows_in: Option<String>,
}

impl EachEntry for Rejudged {
    fn each<X>(&self, mut f: impl FnMut(&EntryReport) -> Result<(), X>) -> Result<(), X> {
        let mut judge = Judge::new(&self.settings, self.any_es003, self.downloads.clone());
        judge.after = self.after.clone();
        judge.rows_in = self.rows_in.clone();
        self.entries.iter().try_for_each(|e| f(&judge.entry(e)))
    }
}

impl Serialize for Rejudged {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.entries.len()))?;
        self.each(|e| seq.serialize_element(e))?;
        seq.end()
    }
}

/// The judged entries' totals and the entries to declare.
#[derive(Default)]
struct Judged {
    totals: Totals,
    court_deadline_near: CourtDeadlinesNear,
    /// The history of each entry the Claim Details name.
    claims: Vec<ClaimEntryReport>,
    /// Entries by whether their refund was applied (with exports after filing).
    applied: Option<AppliedTotals>,
    by_importer: ByImporter,
    /// Each with its importer's place in `by_importer` (16 bytes an entry;
    /// in chunks: no doubling of a vector of a million).
    to_declare: Chunked<(EntryNumber, u32)>,
}

impl Judged {
    /// Judges an entry, counts it in its verdict's totals and its
    /// importer's, and keeps it to declare when the settings say so.
    fn count(&mut self, e: &EntryState, judge: &mut Judge<'_>) -> EntryReport {
        let report = judge.entry(e);
        let (verdict, interest) = (report.verdict, report.interest_estimate);
        self.totals.count(verdict, e.ieepa_duty, interest);
        self.court_deadline_near.count(&report);
        if let Some(applied) = report.applied {
            self.applied
                .get_or_insert_with(AppliedTotals::default)
                .count(applied);
        }
        if e.rare.as_ref().is_some_and(|r| !r.claims.is_empty()) {
            self.claims.extend(judge.claim_entry(e, &report));
        }
        self.by_importer
            .totals(e.importer.as_ref())
            .count(verdict, e.ieepa_duty, interest);
        let importer = self.by_importer.last as u32;
        let declared = verdict == Verdict::Ready
            || (judge.settings.include_review && report.included_in_bulk());
        if let (Ok(number), true) = (&e.number, declared) {
            self.to_declare.push((*number, importer));
        }
        report
    }
}

/// Totals by importer of record as first written, in order of first
/// appearance. Found by a search from the last one used: entries of one
/// importer usually come together, and importer strings are shared, so
/// most look-ups compare one pointer. (No hash table: each kind of one
/// costs the browser's module kilobytes.)
#[derive(Default)]
struct ByImporter {
    last: usize,
    totals: Vec<ImporterTotals>,
}

impl ByImporter {
    fn totals(&mut self, importer: Option<&Shared>) -> &mut Totals {
        let same = |t: &ImporterTotals| match (&t.importer, importer) {
            (Some(a), Some(b)) => a.same(b) || a == b,
            (None, None) => true,
            _ => false,
        };
        let found = match self.totals.get(self.last) {
            Some(t) if same(t) => Some(self.last),
            _ => self.totals.iter().position(same),
        };
        let i = found.unwrap_or_else(|| {
            self.totals.push(ImporterTotals {
                importer: importer.cloned(),
                totals: Totals::default(),
            });
            self.totals.len() - 1
        });
        self.last = i;
        &mut self.totals[i].totals
    }

    fn into_values(self) -> Vec<ImporterTotals> {
        self.totals
    }
}

/// Entry type codes as written -> normalised, shared by the entries (a
/// few distinct ones are kept).
#[derive(Default)]
struct TypeCodes(Vec<(Shared, Shared)>);

impl TypeCodes {
    fn code(&mut self, written: &Shared) -> Shared {
        if let Some((_, code)) = self.0.iter().find(|(w, _)| w == written) {
            return code.clone();
        }
        let code: Shared = entry_type_code(written).into();
        if self.0.len() < 64 {
            self.0.push((written.clone(), code.clone()));
        }
        code
    }
}

fn account_report(account: &Account) -> AccountReport {
    match account {
        Account::Importer { written, .. } => AccountReport::Importer(written.clone()),
        Account::Filer(code) => AccountReport::Filer(code.to_string()),
    }
}

fn declaration_report(d: &OutputFile) -> DeclarationReport {
    DeclarationReport {
        file: d.name.clone(),
        entries: d.entries(),
        sha256: sha256_hex(&d.bytes),
    }
}

/// Whether any file could not be read at all (the CLI's exit status 1).
pub fn unreadable_inputs<E>(report: &Report<E>) -> Vec<&str> {
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
