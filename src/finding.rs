//! Findings: what cape-check says about a file or an entry, with a stable
//! code, a severity, a plain message and the spreadsheet rows it comes from.

use serde::{Serialize, Serializer};

/// The stable finding codes of the contract (kebab-case in every output).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    // About a file as a whole.
    UnreadableFile,
    EmptyFile,
    NoHeaderRow,
    MissingColumn,
    TitleRowsSkipped,
    EncodingConverted,
    MalformedRow,
    ShortRowsRead,
    AccountNotSet,
    SeveralImporters,
    DeclarationSplit,
    DeclarationFormat,
    DownloadOrder,
    DownloadDateUnreadable,
    // About an entry.
    EntryNumberCleaned,
    LeadingZerosRestored,
    EntryNumberScientific,
    EntryNumberMalformed,
    CheckDigitInvalid,
    FilerCodeMismatch,
    ImporterMismatch,
    EntryTypeExcluded,
    NoIeepaLine,
    #[serde(rename = "section-122-only")]
    Section122Only,
    IeepaDutyZero,
    #[serde(rename = "section-122-present")]
    Section122Present,
    LiquidatedOutsideWindow,
    CourtDeadlineNear,
    WindowClosing,
    LiquidationDeferred,
    LiquidationUnknown,
    LiquidationUnchecked,
    ReconciliationFlagged,
    ProtestOnEntry,
    TradeControl,
    AdcvdPendingLiquidation,
    GoodsValueOnIeepaLine,
    OutsideIeepaPeriod,
    HtsOutOfSequence,
    ConflictingEntryData,
    DuplicateRows,
    DuplicateEntry,
    AlreadyAccepted,
    PreviouslyRejected,
    NewReject,
    ClaimStatusConflict,
    NotInExport,
}

/// How much a finding matters; decides the entry's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// What becomes of an entry: the worst severity of its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Written into the declaration.
    Ready,
    /// Needs a human decision; written only when reviewed entries are included.
    Review,
    /// CAPE would reject it, or the data is unusable: never written.
    Blocked,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub rows: Rows,
}

/// 1-based spreadsheet row numbers, kept as runs so that an entry spread
/// over thousands of adjacent rows costs a few bytes; serialised as the
/// plain list of numbers.
///
/// Rows usually come in order. Those that do not (an entry continued in a
/// second file numbers its rows from that file's start) go to a tail that
/// is merged in once it outgrows the sorted runs, or when the rows are
/// read: adding n rows in any order costs O(n log n), never a sort each.
#[derive(Clone, Debug, Default)]
pub struct Rows(Repr);

/// One run inline (nearly every entry: its rows are adjacent), several in a
/// box: an entry's rows cost no allocation of their own.
#[derive(Clone, Debug, Default)]
enum Repr {
    #[default]
    Empty,
    Run((u32, u32)),
    Runs(Box<Runs>),
}

/// Several runs: `runs[..sorted]` sorted and merged, `runs[sorted..]` the tail.
#[derive(Clone, Debug)]
struct Runs {
    runs: Vec<(u32, u32)>,
    sorted: usize,
}

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        self.merged_runs() == other.merged_runs()
    }
}

impl Eq for Rows {}

impl Rows {
    /// No rows, as a constant.
    pub const EMPTY: Rows = Rows(Repr::Empty);

    /// No rows.
    pub fn new() -> Rows {
        Rows::default()
    }

    /// One row.
    pub fn one(row: u32) -> Rows {
        Rows(Repr::Run((row, row)))
    }

    /// Adds a row; extends the last run when it follows on.
    pub fn push(&mut self, row: u32) {
        self.push_run(row, row);
    }

    /// Adds the rows `start..=end`.
    pub fn push_run(&mut self, start: u32, end: u32) {
        match &mut self.0 {
            Repr::Empty => self.0 = Repr::Run((start, end)),
            Repr::Run((first, last)) => {
                if last.checked_add(1) == Some(start) {
                    *last = (*last).max(end);
                } else if !(start >= *first && end <= *last) {
                    let runs = vec![(*first, *last)];
                    let mut many = Runs { runs, sorted: 1 };
                    many.push_run(start, end);
                    self.0 = Repr::Runs(Box::new(many));
                }
            }
            Repr::Runs(many) => many.push_run(start, end),
        }
    }

    /// Merges the tail in: every run sorted and merged.
    /// Merges the tail in, and gives back the room kept for more rows (the
    /// rows are read: a million entries' spare room is megabytes).
    pub fn normalize(&mut self) {
        if let Repr::Runs(many) = &mut self.0 {
            many.normalize();
            if let [run] = many.runs[..] {
                self.0 = Repr::Run(run);
            }
        }
    }

    /// The runs, sorted and merged (a copy only while a tail is pending).
    fn merged_runs(&self) -> std::borrow::Cow<'_, [(u32, u32)]> {
        match &self.0 {
            Repr::Empty => std::borrow::Cow::Borrowed(&[]),
            Repr::Run(run) => std::borrow::Cow::Borrowed(std::slice::from_ref(run)),
            Repr::Runs(many) if many.sorted == many.runs.len() => {
                std::borrow::Cow::Borrowed(&many.runs)
            }
            Repr::Runs(many) => std::borrow::Cow::Owned(merge(&many.runs)),
        }
    }

    /// The runs as added (sorted and merged or not).
    fn raw_runs(&self) -> &[(u32, u32)] {
        match &self.0 {
            Repr::Empty => &[],
            Repr::Run(run) => std::slice::from_ref(run),
            Repr::Runs(many) => &many.runs,
        }
    }

    /// The runs, first and last row of each, in order.
    pub(crate) fn runs(&self) -> std::borrow::Cow<'_, [(u32, u32)]> {
        self.merged_runs()
    }

    /// Adds every row of `other`.
    pub fn extend(&mut self, other: &Rows) {
        for &(start, end) in other.raw_runs() {
            self.push_run(start, end);
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.merged_runs()
            .iter()
            .map(|(s, e)| (e - s + 1) as usize)
            .sum()
    }

    /// No rows at all.
    pub fn is_empty(&self) -> bool {
        self.raw_runs().is_empty()
    }

    /// The first row, if any.
    pub fn first(&self) -> Option<u32> {
        self.merged_runs().first().map(|r| r.0)
    }

    /// Every row, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let runs = self.merged_runs();
        (0..runs.len()).flat_map(move |i| runs[i].0..=runs[i].1)
    }

    /// `row 7` or `rows 2, 3, 5-9`: for messages.
    pub fn label(&self) -> String {
        let noun = if self.len() == 1 { "row" } else { "rows" };
        format!("{noun} {}", self.describe())
    }

    /// `2, 3, 5-9`: short, for messages and findings.csv; past 20 runs the
    /// rest are counted (`... and 1,234 more rows`), so that a message stays
    /// readable and fits an Excel cell. The report's `rows` list them all.
    pub fn describe(&self) -> String {
        const SHOWN: usize = 20;
        let runs = self.merged_runs();
        let mut parts: Vec<String> = runs
            .iter()
            .take(SHOWN)
            .map(|&(s, e)| match e - s {
                0 => s.to_string(),
                1 => format!("{s}, {e}"),
                _ => format!("{s}-{e}"),
            })
            .collect();
        if runs.len() > SHOWN {
            let more: usize = runs[SHOWN..]
                .iter()
                .map(|(s, e)| (e - s + 1) as usize)
                .sum();
            parts.push(format!("... and {more} more"));
        }
        parts.join(", ")
    }
}

impl Runs {
    fn push_run(&mut self, start: u32, end: u32) {
        let in_order = self.sorted == self.runs.len();
        match self.runs.last_mut() {
            Some((_, last)) if last.checked_add(1) == Some(start) => *last = (*last).max(end),
            Some((first, last)) if start >= *first && end <= *last => {}
            _ => self.runs.push((start, end)),
        }
        if in_order && self.runs.windows(2).last().is_none_or(|w| w[0].1 < w[1].0) {
            self.sorted = self.runs.len();
        } else if (self.runs.len() - self.sorted) > self.sorted.max(16) {
            self.normalize();
        }
    }

    fn normalize(&mut self) {
        if self.sorted != self.runs.len() {
            self.runs = merge(&self.runs);
            self.sorted = self.runs.len();
        }
        self.runs.shrink_to_fit();
    }
}

/// Runs sorted and merged (overlapping or adjacent ones joined).
fn merge(runs: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut all = runs.to_vec();
    all.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(all.len());
    for (s, e) in all {
        match merged.last_mut() {
            Some((_, le)) if s <= le.saturating_add(1) => *le = (*le).max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

impl Serialize for Rows {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let runs = self.merged_runs();
        s.collect_seq(runs.iter().flat_map(|&(start, end)| start..=end))
    }
}

impl Finding {
    /// A finding with the code's usual severity.
    pub fn new(code: Code, message: impl Into<String>, rows: Rows) -> Finding {
        Finding::with_severity(code, code.default_severity(), message, rows)
    }

    /// A finding with a severity that depends on the rules in force.
    pub fn with_severity(
        code: Code,
        severity: Severity,
        message: impl Into<String>,
        rows: Rows,
    ) -> Finding {
        // A formatted message keeps the room its buffer grew to (up to
        // twice its length); a report of a million entries holds them all.
        let mut message = message.into();
        message.shrink_to_fit();
        Finding {
            code,
            severity,
            message,
            rows,
        }
    }
}

impl Severity {
    /// The verdict an entry gets when this is its worst finding.
    pub fn verdict(self) -> Verdict {
        match self {
            Severity::Info => Verdict::Ready,
            Severity::Warning => Verdict::Review,
            Severity::Error => Verdict::Blocked,
        }
    }
}

impl Verdict {
    /// A verdict from its name.
    pub fn parse(text: &str) -> Result<Verdict, UnknownName> {
        [Verdict::Ready, Verdict::Review, Verdict::Blocked]
            .into_iter()
            .find(|v| v.as_str() == text)
            .ok_or_else(|| UnknownName::Verdict(text.to_string()))
    }

    /// `ready`, `review` or `blocked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Review => "review",
            Verdict::Blocked => "blocked",
        }
    }
}

impl Code {
    /// Every code, in the contract's order.
    pub const ALL: [Code; 47] = [
        Code::UnreadableFile,
        Code::EmptyFile,
        Code::NoHeaderRow,
        Code::MissingColumn,
        Code::TitleRowsSkipped,
        Code::EncodingConverted,
        Code::MalformedRow,
        Code::ShortRowsRead,
        Code::AccountNotSet,
        Code::SeveralImporters,
        Code::DeclarationSplit,
        Code::DeclarationFormat,
        Code::DownloadOrder,
        Code::DownloadDateUnreadable,
        Code::EntryNumberCleaned,
        Code::LeadingZerosRestored,
        Code::EntryNumberScientific,
        Code::EntryNumberMalformed,
        Code::CheckDigitInvalid,
        Code::FilerCodeMismatch,
        Code::ImporterMismatch,
        Code::EntryTypeExcluded,
        Code::NoIeepaLine,
        Code::Section122Only,
        Code::IeepaDutyZero,
        Code::Section122Present,
        Code::LiquidatedOutsideWindow,
        Code::CourtDeadlineNear,
        Code::WindowClosing,
        Code::LiquidationDeferred,
        Code::LiquidationUnknown,
        Code::LiquidationUnchecked,
        Code::ReconciliationFlagged,
        Code::ProtestOnEntry,
        Code::TradeControl,
        Code::AdcvdPendingLiquidation,
        Code::GoodsValueOnIeepaLine,
        Code::OutsideIeepaPeriod,
        Code::HtsOutOfSequence,
        Code::ConflictingEntryData,
        Code::DuplicateRows,
        Code::DuplicateEntry,
        Code::AlreadyAccepted,
        Code::PreviouslyRejected,
        Code::NewReject,
        Code::ClaimStatusConflict,
        Code::NotInExport,
    ];

    /// A code from its kebab-case name.
    pub fn parse(text: &str) -> Result<Code, UnknownName> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| UnknownName::Code(text.to_string()))
    }

    /// The kebab-case code.
    pub fn as_str(self) -> &'static str {
        self.texts().0
    }

    /// The usual severity (some depend on the filing date; see the audit).
    pub fn default_severity(self) -> Severity {
        use Code::*;
        match self {
            UnreadableFile
            | EmptyFile
            | NoHeaderRow
            | MissingColumn
            | EntryNumberScientific
            | EntryNumberMalformed
            | CheckDigitInvalid
            | FilerCodeMismatch
            | ImporterMismatch
            | EntryTypeExcluded
            | NoIeepaLine
            | Section122Only
            | IeepaDutyZero
            | LiquidatedOutsideWindow
            | ReconciliationFlagged
            | ProtestOnEntry
            | TradeControl
            | GoodsValueOnIeepaLine
            | DuplicateEntry
            | AlreadyAccepted
            | DeclarationFormat => Severity::Error,
            MalformedRow
            | AccountNotSet
            | LiquidationUnknown
            | OutsideIeepaPeriod
            | HtsOutOfSequence
            | ConflictingEntryData
            | NotInExport
            | CourtDeadlineNear
            | AdcvdPendingLiquidation
            | NewReject
            | ClaimStatusConflict => Severity::Warning,
            TitleRowsSkipped
            | ShortRowsRead
            | DownloadOrder
            | DownloadDateUnreadable
            | EncodingConverted
            | SeveralImporters
            | DeclarationSplit
            | EntryNumberCleaned
            | LeadingZerosRestored
            | Section122Present
            | WindowClosing
            | LiquidationDeferred
            | LiquidationUnchecked
            | DuplicateRows
            | PreviouslyRejected => Severity::Info,
        }
    }

    /// What the code means and what to do about it, in plain language, for
    /// the page's grouped findings and the text summary.
    pub fn explanation(self) -> &'static str {
        self.texts().1
    }

    fn texts(self) -> (&'static str, &'static str) {
        use Code::*;
        match self {
            UnreadableFile => ("unreadable-file", "The file is not a CSV, text or XLSX export. Export ES-003 from ACE Reports as CSV and use that file."),
            EmptyFile => ("empty-file", "The file has no rows. Export the report again; check the date range of the report."),
            NoHeaderRow => ("no-header-row", "No header row names an entry-number column. Use the ES-003 report (Entry Summary Line Tariff Details) exported as CSV."),
            MissingColumn => ("missing-column", "A column the checks need is not in the export. Add the field to the report in ACE Reports and export again."),
            TitleRowsSkipped => ("title-rows-skipped", "Title or parameter rows above the header were skipped. Nothing to do."),
            EncodingConverted => ("encoding-converted", "The file was not UTF-8 and was converted. Nothing to do."),
            MalformedRow => ("malformed-row", "Rows that could not be read were not used. Export the report again without editing it in Excel, or fix the rows named."),
            ShortRowsRead => ("short-rows-read", "Rows ended before the last column, as some programs write rows whose last cells are blank; the missing cells were read as empty. Nothing to do, unless a row was cut short by editing."),
            AccountNotSet => ("account-not-set", "No IOR number or filer code was given, so the account checks were skipped. Give the account you will file from."),
            SeveralImporters => ("several-importers", "The export holds more than one importer of record. An importer account can only file its own entries."),
            DeclarationSplit => ("declaration-split", "More entries than one declaration may hold: upload each declaration file separately."),
            DeclarationFormat => ("declaration-format", "CAPE would fail this declaration file as it is (Failed initial validation). Upload the corrected declaration cape-check wrote instead."),
            EntryNumberCleaned => ("entry-number-cleaned", "Dashes, spaces or invisible characters were removed from the entry number. Nothing to do."),
            LeadingZerosRestored => ("leading-zeros-restored", "Excel dropped the leading zeros; they were put back and the check digit verifies. Nothing to do."),
            EntryNumberScientific => ("entry-number-scientific", "Excel turned the entry number into scientific notation and its digits are lost. Export again from ACE and do not open the CSV in Excel before checking it."),
            EntryNumberMalformed => ("entry-number-malformed", "The entry number is not 11 letters and digits and cannot be restored. Find the right number in ACE."),
            CheckDigitInvalid => ("check-digit-invalid", "The check digit does not verify: a character is wrong. Find the right number in ACE."),
            FilerCodeMismatch => ("filer-code-mismatch", "The entry was filed under another filer code; CAPE rejects the whole file. File it from that broker's account, or leave it out."),
            ImporterMismatch => ("importer-mismatch", "The entry's importer of record is not the account's; CAPE rejects it (ACCOUNT MISMATCH). File it from the right importer's account."),
            EntryTypeExcluded => ("entry-type-excluded", "CAPE does not accept this entry type (08, 09, 23, 47). Not refundable through CAPE."),
            NoIeepaLine => ("no-ieepa-line", "No 9903.01 or 9903.02 line: no IEEPA duty to refund (NO IEEPA HTS ON ENTRY)."),
            Section122Only => ("section-122-only", "Only Section 122 (9903.03) surcharge lines: not refundable through CAPE."),
            IeepaDutyZero => ("ieepa-duty-zero", "IEEPA lines carry no duty (exemption or zero): nothing to refund."),
            Section122Present => ("section-122-present", "The entry also has Section 122 lines: CAPE refunds only the IEEPA part."),
            LiquidatedOutsideWindow => ("liquidated-outside-window", "Liquidated more than 80 days before filing: CAPE rejects it. A protest may still be possible within 180 days of liquidation."),
            CourtDeadlineNear => ("court-deadline-near", "The entry can be refunded only by an action at the Court of International Trade, and that action may be time-barred within 60 days (two years after the duty was deposited, the earliest reading). Ask counsel now."),
            WindowClosing => ("window-closing", "Seven days or fewer remain in the 80-day window. File now: CBP validates up to 48 hours after upload."),
            LiquidationDeferred => ("liquidation-deferred", "Liquidation is extended, suspended or under review: CAPE accepts the entry and pays at liquidation."),
            LiquidationUnknown => ("liquidation-unknown", "No liquidation data and the entry is old enough to have left the 80-day window. Add Liquidation Status and Date to the ES-003 in ACE Reports, or check the entry in ACE."),
            LiquidationUnchecked => ("liquidation-unchecked", "No liquidation data; the entry is recent enough to be likely unliquidated."),
            ReconciliationFlagged => ("reconciliation-flagged", "The entry is flagged for reconciliation. Types 01, 02 and 06 may be filed from 06/29/2026 if the type 09 reconciliation entry has not been filed: confirm that."),
            ProtestOnEntry => ("protest-on-entry", "An open or suspended protest is on the entry: CAPE rejects it while the protest is open."),
            TradeControl => ("trade-control", "The entry summary is in trade control: CAPE rejects it until it is back in CBP control."),
            AdcvdPendingLiquidation => ("adcvd-pending-liquidation", "The entry is under an AD/CVD case and not yet liquidated: CAPE rejects AD/CVD entry summaries pending liquidation. File it once it has liquidated, or check with your broker."),
            GoodsValueOnIeepaLine => ("goods-value-on-ieepa-line", "Goods value is reported on the IEEPA Chapter 99 line (CAPE rejected this before 06/25/2026)."),
            OutsideIeepaPeriod => ("outside-ieepa-period", "An IEEPA line on an entry dated outside 02/04/2025 to 02/23/2026: check the entry with your broker."),
            HtsOutOfSequence => ("hts-out-of-sequence", "On a line, a commodity number comes before a Chapter 99 number; CAPE may reject it. Correct the entry by post-summary correction."),
            ConflictingEntryData => ("conflicting-entry-data", "Rows of the entry disagree. Check the entry in ACE before filing."),
            DuplicateRows => ("duplicate-rows", "The same tariff rows appear more than once (overlapping exports); counted once. Nothing to do."),
            DuplicateEntry => ("duplicate-entry", "The entry number appears more than once in a declaration: CAPE rejects the whole file. It is kept once."),
            AlreadyAccepted => ("already-accepted", "CBP already accepted this entry: never file it again."),
            PreviouslyRejected => ("previously-rejected", "CBP rejected this entry before: fix the cause, then file it on a new declaration."),
            DownloadOrder => ("download-order", "Two Claim Details downloads have the same date: they are read in the order given. Correct a date if one is newer."),
            DownloadDateUnreadable => ("download-date-unreadable", "A Claim Details download's date column holds values that are not dates: they were not used to date it. Its rows are all used. Correct the download's date if the one shown is wrong."),
            NewReject => ("new-reject", "CBP rejected the entry in the newest Claim Details download, with a message no earlier download gave it."),
            ClaimStatusConflict => ("claim-status-conflict", "CBP accepted the entry, then a later download shows it failed: accepted is final. Do not file it again; ask CBP if the refund does not come."),
            NotInExport => ("not-in-export", "The entry comes from a declaration or Claim Details file but no ES-003 export given holds it, so only its number was checked. Add the ES-003 export that covers it."),
        }
    }
}

/// A verdict or finding code asked for by a name that is not one (the
/// name as given).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownName {
    Verdict(String),
    Code(String),
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnknownName::Verdict(text) => {
                write!(f, "Unknown verdict '{text}': use ready, review or blocked.")
            }
            UnknownName::Code(text) => write!(f, "Unknown finding code '{text}': the codes are those of the contract, e.g. no-ieepa-line."),
        }
    }
}

impl std::error::Error for UnknownName {}

/// The words of a front end, slotted into the core's messages where the
/// user must act through it. The core says what is missing ("the IOR
/// number"); the front end says how to give it ("--ior", "the IOR field
/// above"). Every field starts with its own spacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wording {
    /// After "Give the IOR number": where it is given.
    pub give_ior: &'static str,
    /// After "your filer code": where it is given.
    pub give_filer: &'static str,
    /// Inside the parentheses after "cape-check's declaration file": where
    /// the user gets it.
    pub corrected_declaration: &'static str,
}

impl Wording {
    /// No front end named.
    pub const NEUTRAL: Wording = Wording {
        give_ior: "",
        give_filer: "",
        corrected_declaration: "the declaration cape-check writes",
    };

    /// The command line.
    pub const COMMAND_LINE: Wording = Wording {
        give_ior: " (--ior)",
        give_filer: " (--filer)",
        corrected_declaration: "written with --out, or downloaded from the page",
    };

    /// The web page and the widget.
    pub const PAGE: Wording = Wording {
        give_ior: " in the IOR field",
        give_filer: " in the filer code field",
        corrected_declaration: "the declaration download on this page",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_the_contract_writes_them() {
        for code in Code::ALL {
            let via_serde = serde_json::to_string(&code).unwrap();
            assert_eq!(via_serde, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(Code::Section122Only.as_str(), "section-122-only");
    }

    #[test]
    fn rows_are_runs_but_read_as_numbers() {
        let mut rows = Rows::new();
        for r in [2, 3, 4, 7, 8, 8, 12] {
            rows.push(r);
        }
        assert_eq!(rows.iter().collect::<Vec<_>>(), vec![2, 3, 4, 7, 8, 12]);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows.describe(), "2-4, 7, 8, 12");
        assert_eq!(serde_json::to_string(&rows).unwrap(), "[2,3,4,7,8,12]");
        let mut other = Rows::one(5);
        other.push(6);
        rows.extend(&other);
        assert_eq!(rows.describe(), "2-8, 12");
        // Rows of a second file come in order too.
        rows.push(3);
        rows.push(1);
        assert_eq!(rows.describe(), "1-8, 12");
        let mut top = Rows::one(u32::MAX);
        top.push(u32::MAX);
        assert_eq!(top.len(), 1);
        let mut many = Rows::new();
        (0..100).for_each(|i| many.push(i * 2));
        assert_eq!(many.describe(), "0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, ... and 80 more");
    }
}
