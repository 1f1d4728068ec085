//! The report of an audit: the JSON of the contract (section 3) and the
//! human summary the command line prints.

use super::declaration::{declaration_files_named, OutputFile};
use crate::chunked::Chunked;
use crate::finding::{Code, Finding, Rows, Severity, Verdict};
use crate::rules::claims::{Change, Current};
use crate::rules::downloads::Download;
use crate::rules::interest::RateRow;
use crate::rules::RuleSet;
use crate::values::date::{iso_or_null, Date};
use crate::values::entry_number::{EntryName, EntryNumber};
use crate::values::money::Cents;
use crate::values::shared::Shared;
use crate::values::text::{count, visible_controls};
use serde::Serialize;
use std::fmt::Write;

/// The report format's name and version.
pub const FORMAT: &str = "cape-check-report/1";

/// Everything an audit found. Serialises as the contract's JSON.
///
/// Its entries are held (`Chunked<EntryReport>`: the page browses them) or
/// judged again on each pass over them (the command line's
/// [`crate::audit::Rejudged`]: a million entries' report is never whole in
/// memory); both give the same report, byte for byte.
#[derive(Clone, Debug, Serialize)]
pub struct Report<E = Chunked<EntryReport>> {
    pub format: &'static str,
    /// The filing date, ISO.
    pub as_of: String,
    /// The rules applied.
    pub rules: RulesReport,
    pub account: Option<AccountReport>,
    pub files: Vec<FileReport>,
    pub entries: E,
    pub declarations: Vec<DeclarationReport>,
    pub totals: Totals,
    /// What the interest estimates used.
    pub interest: InterestReport,
    /// The totals of each importer of record, in order of first appearance
    /// (entries without an importer number under `null`).
    pub by_importer: Vec<ImporterTotals>,
    /// Entries a court action may soon be too late for (none: `entries` 0).
    pub court_deadline_near: CourtDeadlinesNear,
    /// The Claim Details downloads and each entry's history in them, when
    /// any was given (contract section 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<ClaimsReport>,
    /// With exports after filing: the entries by whether their refund was
    /// applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<AppliedTotals>,
}

/// Whether an entry's refund was applied, as an ES-003 exported after
/// filing shows it (contract section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applied {
    /// Its IEEPA lines are gone, or its CAPE Indicator or liquidation
    /// reason says CAPE processed it.
    Applied,
    /// Filed (accepted in Claim Details, or CAPE Indicator P), no sign yet.
    Pending,
    /// The later export lists it with none of these signs.
    NotFiled,
    /// The later export does not list it.
    Unknown,
}

/// Entries by [`Applied`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppliedTotals {
    pub applied: usize,
    pub pending: usize,
    pub not_filed: usize,
    pub unknown: usize,
}

impl Applied {
    /// The report's word: `applied`, `pending`, `not-filed`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Applied => "applied",
            Applied::Pending => "pending",
            Applied::NotFiled => "not-filed",
            Applied::Unknown => "unknown",
        }
    }
}

impl AppliedTotals {
    pub fn count(&mut self, applied: Applied) {
        *match applied {
            Applied::Applied => &mut self.applied,
            Applied::Pending => &mut self.pending,
            Applied::NotFiled => &mut self.not_filed,
            Applied::Unknown => &mut self.unknown,
        } += 1;
    }
}

/// The Claim Details downloads of a run, oldest first, and the history of
/// each entry they name.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClaimsReport {
    pub downloads: Vec<Download>,
    pub entries: Vec<ClaimEntryReport>,
}

/// One entry's history in the Claim Details downloads.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimEntryReport {
    pub entry_number: String,
    /// Its status in each download that lists it, oldest first.
    pub history: Vec<ClaimAppearance>,
    pub current: Current,
    pub change: Change,
    /// What to do, as the entry's finding says it.
    pub action: String,
    /// Written into `cape-refile.csv`.
    pub refile: bool,
}

/// An entry in one download.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimAppearance {
    /// The download's file name.
    pub download: String,
    /// `accepted` or `failed`.
    pub status: &'static str,
    pub message: String,
    pub claim_number: String,
}

impl ClaimsReport {
    /// What the downloads say, in a few lines: how many, the newest, what
    /// changed since the one before, what to file again.
    fn write_summary(&self, s: &mut dyn std::fmt::Write) -> std::fmt::Result {
        let n = self.downloads.len();
        let dated = |d: &Download| match d.date {
            Some(date) => format!("'{}' of {date}", d.file),
            None => format!("'{}'", d.file),
        };
        if let Some(newest) = self.downloads.last() {
            writeln!(
                s,
                "Claim Details: {}, the newest {}.",
                count(n as u64, "download", "downloads"),
                dated(newest)
            )?;
        }
        let changed = |c: Change| self.entries.iter().filter(|e| e.change == c).count() as u64;
        let since = match self.downloads.len() {
            0 | 1 => String::new(),
            k => format!("Since {}: ", dated(&self.downloads[k - 2])),
        };
        let conflicts = match changed(Change::Conflict) {
            0 => String::new(),
            n => format!(
                ", {} (accepted, then failed: never file again)",
                count(n, "conflict", "conflicts")
            ),
        };
        writeln!(
            s,
            "  {since}{}, {} corrected{conflicts}.",
            count(changed(Change::NewReject), "new reject", "new rejects"),
            changed(Change::Corrected),
        )?;
        let refile = self.entries.iter().filter(|e| e.refile).count() as u64;
        writeln!(
            s,
            "  To file again now: {}{}.",
            count(refile, "entry", "entries"),
            if refile > 0 { " (cape-refile.csv)" } else { "" }
        )
    }

    /// `cape-refile.csv` (split like a declaration): the entries to re-file,
    /// sorted; none when there is none.
    pub fn refile_files(&self, rules: &RuleSet) -> Vec<OutputFile> {
        declaration_files_named(&self.refile_numbers(), rules, "cape-refile")
    }

    /// The entries to re-file, as valid numbers sorted.
    pub fn refile_numbers(&self) -> Vec<EntryNumber> {
        // Sorted as order-keeping u64 keys: the sort the tariff keys use
        // already (another sort's code would weigh on the browser's module).
        let mut keys: Vec<u64> = self
            .entries
            .iter()
            .filter(|e| e.refile)
            .filter_map(|e| EntryNumber::parse(&e.entry_number))
            .map(EntryNumber::sort_key)
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(EntryNumber::from_sort_key).collect()
    }
}

/// A report's entries, one after the other.
pub trait EachEntry {
    /// Calls `f` with every entry, in order, until it fails.
    fn each<X>(&self, f: impl FnMut(&EntryReport) -> Result<(), X>) -> Result<(), X>;
}

impl EachEntry for Chunked<EntryReport> {
    fn each<X>(&self, f: impl FnMut(&EntryReport) -> Result<(), X>) -> Result<(), X> {
        self.iter().try_for_each(f)
    }
}

/// `{"as_of": filing date, "edition": the rule set's date}`.
#[derive(Clone, Debug, Serialize)]
pub struct RulesReport {
    pub as_of: String,
    pub edition: String,
}

/// The basis of the interest estimates.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InterestReport {
    pub rate_table: String,
    /// The expected payment date (filing + 60 days), ISO.
    pub refund_date: String,
    pub basis: String,
    /// Where interest stops: the assumed (re)liquidation date (filing + 30
    /// days), ISO.
    pub ends: String,
    /// `corporate` or `non-corporate`.
    pub rate_column: &'static str,
    /// The rate table, each row with its source and confidence.
    pub rates: Vec<RateRow>,
}

/// One importer's totals.
#[derive(Clone, Debug, Serialize)]
pub struct ImporterTotals {
    pub importer: Option<Shared>,
    #[serde(flatten)]
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
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256 (lowercase hex, as `sha256sum` prints it); null when the
    /// front end computes it apart (the page, for a file read in parts).
    pub sha256: Option<String>,
}

/// One entry.
#[derive(Clone, Debug, Serialize)]
pub struct EntryReport {
    /// The normalised number, or as written when unusable.
    pub entry: EntryName,
    pub verdict: Verdict,
    /// Shared with the other entries of the same importer.
    pub importer: Option<Shared>,
    /// The two-character code (`01`), shared with the entries of the same type.
    pub entry_type: Option<Shared>,
    pub ieepa_duty: Cents,
    /// The interest the refund of `ieepa_duty` would carry (an estimate:
    /// see [`InterestReport`]).
    pub interest_estimate: Cents,
    /// Every spreadsheet row of the entry (numbered within its own file).
    pub rows: Rows,
    pub findings: Vec<Finding>,
    /// With exports after filing: whether the refund was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<Applied>,
    /// For an entry that only a court action can refund (outside the
    /// 80-day window): the day that action may be time-barred from, by the
    /// earliest reading (deposit + 2 years; rules.md section 8).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "iso_or_null"
    )]
    pub court_deadline: Option<Date>,
    /// Its liquidation date, when the export gives one (the first row's).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "iso_or_null"
    )]
    pub liquidation_date: Option<Date>,
    /// Liquidated within the 80-day window: the days left in it after the
    /// filing date (0: the filing date is its last day).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_days_left: Option<i64>,
}

/// Entries whose court deadline is 60 days or fewer after the filing date
/// (or passed): the text summary and the page say so before anything else.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CourtDeadlinesNear {
    pub entries: usize,
    /// The earliest of their deadlines, ISO.
    #[serde(serialize_with = "iso_or_null")]
    pub earliest: Option<Date>,
}

impl CourtDeadlinesNear {
    /// Counts an entry's court deadline when its finding says it is near.
    pub fn count(&mut self, entry: &EntryReport) {
        if !entry
            .findings
            .iter()
            .any(|f| f.code == Code::CourtDeadlineNear)
        {
            return;
        }
        self.entries += 1;
        if let Some(deadline) = entry.court_deadline {
            self.earliest = Some(self.earliest.map_or(deadline, |d| d.min(deadline)));
        }
    }
}

impl EntryReport {
    /// Whether including every entry to review at once (`--include-review`,
    /// the page's "include all") writes this one: an entry to review, unless
    /// it may have been refunded already (`already-accepted` from a
    /// secondary or single source: only a person including that entry by
    /// itself writes it; contract section 7).
    pub fn included_in_bulk(&self) -> bool {
        self.verdict == Verdict::Review
            && !self
                .findings
                .iter()
                .any(|f| f.code == Code::AlreadyAccepted)
    }
}

/// One declaration file written.
#[derive(Clone, Debug, Serialize)]
pub struct DeclarationReport {
    pub file: String,
    pub entries: usize,
    /// The file's SHA-256 (lowercase hex).
    pub sha256: String,
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
    pub interest_estimate_ready: Cents,
    pub interest_estimate_review: Cents,
    pub interest_estimate_blocked: Cents,
}

impl Totals {
    /// Counts an entry, its duty and its interest under its verdict.
    pub fn count(&mut self, verdict: Verdict, duty: Cents, interest: Cents) {
        let (count, d, i) = match verdict {
            Verdict::Ready => (
                &mut self.ready,
                &mut self.ieepa_duty_ready,
                &mut self.interest_estimate_ready,
            ),
            Verdict::Review => (
                &mut self.review,
                &mut self.ieepa_duty_review,
                &mut self.interest_estimate_review,
            ),
            Verdict::Blocked => (
                &mut self.blocked,
                &mut self.ieepa_duty_blocked,
                &mut self.interest_estimate_blocked,
            ),
        };
        self.entries += 1;
        *count += 1;
        *d += duty;
        *i += interest;
    }

    /// The count, duty and interest of one verdict.
    pub fn of(&self, verdict: Verdict) -> (usize, Cents, Cents) {
        match verdict {
            Verdict::Ready => (
                self.ready,
                self.ieepa_duty_ready,
                self.interest_estimate_ready,
            ),
            Verdict::Review => (
                self.review,
                self.ieepa_duty_review,
                self.interest_estimate_review,
            ),
            Verdict::Blocked => (
                self.blocked,
                self.ieepa_duty_blocked,
                self.interest_estimate_blocked,
            ),
        }
    }
}

impl<E: EachEntry> Report<E> {
    /// The human summary: totals first, then what to fix, then the files.
    /// Safe to print on a terminal: no control character from a file.
    pub fn text_summary(&self) -> String {
        let mut s = String::new();
        let _ = self.write_text_summary(&mut s);
        s
    }

    /// The same, written out piece by piece (a report of a million
    /// entries need not be held as one string).
    pub fn write_text_summary(&self, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        // File data reaches the terminal only with its controls visible.
        let s = &mut Visible(out);
        let account = match &self.account {
            Some(AccountReport::Importer(n)) => format!("importer account {n}"),
            Some(AccountReport::Filer(c)) => format!("broker account, filer code {c}"),
            None => "no account given".to_string(),
        };
        writeln!(
            s,
            "cape-check: filing date {}, {account}, CBP rules as of {}",
            ace_date(&self.as_of),
            ace_date(&self.rules.edition)
        )?;
        writeln!(s)?;
        let near = &self.court_deadline_near;
        if let (n @ 1.., Some(earliest)) = (near.entries, near.earliest) {
            writeln!(
                s,
                "{}: a court action may be time-barred from {earliest}: ask counsel now.",
                count(n as u64, "entry", "entries")
            )?;
            writeln!(s)?;
        }
        self.write_totals(s)?;
        for f in &self.files {
            let kind = f.kind.unwrap_or("not read");
            writeln!(
                s,
                "File '{}': {kind}, {}, {}",
                f.name,
                count(u64::from(f.rows), "row", "rows"),
                count(f.bytes, "byte", "bytes"),
            )?;
            if let Some(sha) = &f.sha256 {
                writeln!(s, "  SHA-256 {sha}")?;
            }
            for finding in &f.findings {
                let severity = severity_word(finding.severity);
                let code = finding.code.as_str();
                writeln!(s, "  {severity:<7} {code}: {}", finding.message)?;
            }
        }
        self.write_entries_to_act_on(s)?;
        writeln!(s)?;
        if self.declarations.is_empty() {
            writeln!(
                s,
                "No declaration: no entry is ready to file (CAPE rejects an empty declaration)."
            )?;
        }
        for d in &self.declarations {
            writeln!(
                s,
                "Declaration {}: {}, SHA-256 {}",
                d.file,
                count(d.entries as u64, "entry", "entries"),
                d.sha256
            )?;
        }
        Ok(())
    }

    /// Entries, IEEPA duty and interest per verdict, and per importer when
    /// there are several.
    fn write_totals(&self, s: &mut dyn std::fmt::Write) -> std::fmt::Result {
        writeln!(
            s,
            "{}",
            count(self.totals.entries as u64, "entry", "entries")
        )?;
        let duty_known = self.duty_known();
        write_verdict_lines(s, &self.totals, "  ", duty_known)?;
        if duty_known {
            writeln!(
                s,
                "  (interest: an estimate to (re)liquidation, assumed {}, at the {} rate; see the report's interest basis)",
                ace_date(&self.interest.ends),
                self.interest.rate_column
            )?;
        }
        if self.by_importer.len() > 1 {
            for importer in &self.by_importer {
                let name = importer
                    .importer
                    .as_deref()
                    .unwrap_or("(no importer number)");
                writeln!(
                    s,
                    "  importer {name}: {}",
                    count(importer.totals.entries as u64, "entry", "entries")
                )?;
                write_verdict_lines(s, &importer.totals, "    ", duty_known)?;
            }
        }
        if let Some(claims) = &self.claims {
            writeln!(s)?;
            claims.write_summary(s)?;
        }
        if let Some(a) = &self.applied {
            writeln!(s)?;
            writeln!(
                s,
                "After filing (the exports made after it): {} applied, {} pending (filed, no sign yet), {} not filed, {} not in the later export.",
                count(a.applied as u64, "refund", "refunds"),
                a.pending,
                a.not_filed,
                a.unknown
            )?;
        }
        writeln!(s)
    }

    /// Whether an ES-003 was given: else no entry's IEEPA duty is known.
    fn duty_known(&self) -> bool {
        self.files.iter().any(|f| f.kind == Some("es003"))
    }

    /// The blocked entries and those to review, with what to do.
    fn write_entries_to_act_on(&self, s: &mut dyn std::fmt::Write) -> std::fmt::Result {
        let duty_known = self.duty_known();
        for (verdict, title) in [
            (Verdict::Blocked, "Blocked (never written)"),
            (Verdict::Review, "To review (left out unless included)"),
        ] {
            let count = self.totals.of(verdict).0;
            if count == 0 {
                continue;
            }
            writeln!(s, "\n{title}: {count}")?;
            self.entries.each(|e| {
                if e.verdict != verdict {
                    return Ok(());
                }
                if duty_known {
                    writeln!(s, "  {}  {}", e.entry, e.ieepa_duty.dollars())?;
                } else {
                    writeln!(s, "  {}", e.entry)?;
                }
                for finding in e.findings.iter().filter(|f| f.severity != Severity::Info) {
                    writeln!(
                        s,
                        "    {:<7} {} ({}): {}",
                        severity_word(finding.severity),
                        finding.code.as_str(),
                        finding.rows.label(),
                        finding.message
                    )?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// Writes to another writer with every control character visible.
struct Visible<'a>(&'a mut dyn std::fmt::Write);

impl std::fmt::Write for Visible<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write_str(&visible_controls(s))
    }
}

/// One line a verdict: count, IEEPA duty, interest estimate.
/// `duty_known`: an ES-003 was given (else the duty and interest of the
/// entries are unknown, and said so, as the page says it).
fn write_verdict_lines(
    s: &mut dyn std::fmt::Write,
    totals: &Totals,
    indent: &str,
    duty_known: bool,
) -> std::fmt::Result {
    for (verdict, word) in [
        (Verdict::Ready, "ready"),
        (Verdict::Review, "review"),
        (Verdict::Blocked, "blocked"),
    ] {
        let (count, duty, interest) = totals.of(verdict);
        if duty_known {
            writeln!(
                s,
                "{indent}{word:<8} {count:>7}   IEEPA duty {:>16}   interest (estimate) {:>14}",
                duty.dollars(),
                interest.dollars()
            )?;
        } else {
            writeln!(
                s,
                "{indent}{word:<8} {count:>7}   IEEPA duty unknown: no ES-003 given"
            )?;
        }
    }
    Ok(())
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A report date (ISO, as JSON holds it) as the text summary shows every
/// date: ACE's MM/DD/YYYY.
fn ace_date(iso: &str) -> String {
    Date::parse(iso).map_or_else(|| iso.to_string(), |d| d.to_string())
}
