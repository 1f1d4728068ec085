//! The browser binding: the audit engine as a JavaScript object.
//!
//! Thin on purpose: conversions and glue only. No rule, no parsing and no
//! message text lives here; everything the page shows comes from the core.
//!
//! The page's worker creates an [`Auditor`] with the settings, feeds it the
//! bytes of each file in chunks (`Uint8Array`, about 1 MiB each: V8 optimises
//! wasm between calls) and finishes it. The finished audit stays in wasm
//! memory ([`AuditResults`], `Results` in JS): the page asks for the overview
//! and then for one page of entries at a time, so that a report of 100,000
//! entries (50 MB as JSON) never crosses to the page whole; that crossing
//! and its parsing took longer than reading the file. Values cross through
//! serde-wasm-bindgen, output files as bytes. Every error is a `JsError`
//! whose message is written for the user.
//!
//! ```js
//! const auditor = new Auditor({ importer: "98-765432100", asOf: "2026-11-22" });
//! auditor.beginFile("es003.csv");
//! auditor.feed(chunk);           // any number of times, any chunk sizes
//! auditor.endFile();
//! const results = auditor.finish();
//! const overview = results.overview();   // totals, files, findings by code
//! const page = results.entries({ verdict: "blocked", offset: 0, limit: 50 });
//! const files = results.declarations();  // [{ name, bytes }]
//! ```

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::finding::{Code, Verdict};
use crate::output::results::{EntryQuery, Results};
use crate::values::date::Date;
use crate::values::entry_number::{check_digit, read_entry_number, EntryNumber};
use crate::{Account, Audit, OutputFile, PartAudit, Settings, Wording};

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = r#"
/** What the user filing the declaration is, and when the declaration is filed. */
export interface AuditSettings {
  /** Importer of record number of an importer account, e.g. "98-765432100". */
  importer?: string;
  /** Filer code of a broker account, e.g. "XQ7". Give importer or filer, not both. */
  filer?: string;
  /** Filing date, "YYYY-MM-DD" or "MM/DD/YYYY"; today (local time) when left out. */
  asOf?: string;
  /** Write entries whose verdict is "review" into the declaration too. */
  includeReview?: boolean;
  /** One declaration per importer of record (`cape-declaration-<IOR>.csv`), for brokers filing for many. */
  perImporter?: boolean;
  /** The importer of record is not a corporation: interest at CBP's non-corporate rate. */
  nonCorporate?: boolean;
  /** The importer is a plaintiff at the Court of International Trade, registered for Phase 3. */
  citPlaintiff?: boolean;
  /** Entry numbers whose fix (a correction CBP asked for) the user confirmed: re-filed in cape-refile.csv. */
  fixed?: string[];
  /** The user's correction of a Claim Details download's date, by file name: {"claims.csv": "2026-11-30"}. */
  downloadDates?: Record<string, string>;
  /** Names of the files that are ES-003 exports made after filing: they say whether each refund was applied. */
  afterFiles?: string[];
}

export type Severity = "info" | "warning" | "error";
export type Verdict = "ready" | "review" | "blocked";

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** 1-based spreadsheet row numbers. */
  rows: number[];
}

export interface FileReport {
  name: string;
  kind: "es003" | "declaration" | "claim-details" | string;
  rows: number;
  findings: Finding[];
}

export interface EntryReport {
  entry: string;
  verdict: Verdict;
  importer: string | null;
  entry_type: string | null;
  /** Decimal string with two places, e.g. "2900.00". */
  ieepa_duty: string;
  /** The interest the refund would carry: an estimate (see Report.interest). */
  interest_estimate: string;
  findings: Finding[];
  /** With exports after filing: whether the refund was applied. */
  applied?: "applied" | "pending" | "not-filed" | "unknown";
  /** Outside the 80-day window: the day a court action may be time-barred from (earliest reading). */
  court_deadline?: string;
}

/** Counts, IEEPA duty and interest estimates per verdict (decimal strings). */
export interface Totals {
  entries: number; ready: number; review: number; blocked: number;
  ieepa_duty_ready: string; ieepa_duty_review: string; ieepa_duty_blocked: string;
  interest_estimate_ready: string; interest_estimate_review: string; interest_estimate_blocked: string;
}

/** What the interest estimates used. */
export interface InterestBasis {
  rate_table: string;
  /** The expected payment date (filing + 60 days), YYYY-MM-DD. */
  refund_date: string;
  basis: string;
  /** Where interest stops: the assumed (re)liquidation date (filing + 30 days), YYYY-MM-DD. */
  ends: string;
  rate_column: "corporate" | "non-corporate";
  rates: InterestRate[];
}

/** One row of CBP's table of overpayment rates (percent a year). */
export interface InterestRate {
  from: string;
  corporate: string;
  non_corporate: string;
  source: string;
  confidence: "CBP" | "secondary" | "single source" | "not yet published";
}

/** One rule of the page's "What is checked". */
export interface Rule {
  /** The first filing date it applies to (YYYY-MM-DD), when it changed. */
  from: string | null;
  rule: string;
  source: string;
  confidence: "CBP" | "secondary";
  /** What cape-check does about it. */
  check: string;
}

export interface RuleBook {
  /** The date of the newest change the rules know, YYYY-MM-DD. */
  edition: string;
  rules: Rule[];
}

/** The report of contract section 3, field for field (snake_case, as in the JSON). */
export interface Report {
  format: string;
  as_of: string;
  rules: { as_of: string; edition: string };
  account: { importer: string } | { filer: string } | null;
  files: FileReport[];
  entries: EntryReport[];
  declarations: { file: string; entries: number }[];
  totals: Totals;
  interest: InterestBasis;
  by_importer: (Totals & { importer: string | null })[];
}

/** A file to hand to the user, byte for byte. */
export interface OutputFile {
  name: string;
  bytes: Uint8Array;
  /** Its SHA-256, lowercase hex (as sha256sum prints it). */
  sha256: string;
}

/** What the page shows first: the report without its entries, and the findings grouped by code. */
export interface Overview {
  format: string;
  as_of: string;
  rules: Report["rules"];
  account: { importer: string } | { filer: string } | null;
  files: FileReport[];
  declarations: { file: string; entries: number }[];
  totals: Totals;
  interest: InterestBasis;
  by_importer: Report["by_importer"];
  /** Worst severity first, then the most frequent. */
  codes: {
    code: string;
    severity: Severity;
    /** Entries with this finding. */
    entries: number;
    /** Findings with this code about files as a whole. */
    in_files: number;
    /** The first five, files first; `entry` is null for a file finding. */
    examples: { entry: string | null; message: string }[];
  }[];
  /** Entries to review now included in the declaration. */
  included: number;
  /** Entries a court action may soon be too late for, and the earliest of their deadlines. */
  court_deadline_near: { entries: number; earliest: string | null };
  /** With exports after filing: entries by whether their refund was applied. */
  applied?: { applied: number; pending: number; not_filed: number; unknown: number };
  /** With Claim Details: the downloads, oldest first, and each entry's history in them. */
  claims?: {
    downloads: { file: string; date: string | null; date_from: "column" | "file-name" | "file-date" | "order" | "user"; rows: number }[];
    entries: {
      entry_number: string;
      history: { download: string; status: "accepted" | "failed"; message: string; claim_number: string }[];
      current: "accepted" | "failed" | "conflict";
      change: "conflict" | "new-reject" | "corrected" | "unchanged";
      action: string;
      refile: boolean;
    }[];
  };
}

/** Which entries to list; every field narrows. */
export interface EntryQuery {
  verdict?: Verdict | "";
  code?: string;
  /** Part of an entry number; dashes and spaces are ignored, any case. */
  search?: string;
  offset?: number;
  /** At most this many; 0 or left out: all. */
  limit?: number;
}

export interface EntryPage {
  /** Entries that match, on every page. */
  matching: number;
  offset: number;
  entries: (EntryReport & { rows: number[]; in_declaration: boolean })[];
}

export interface FindingExplanation {
  code: string;
  /** What the code means and how to fix it, in plain language. */
  explanation: string;
}
"#;

/// The settings as the page gives them (camelCase, see `AuditSettings`).
struct SettingsInput {
    importer: Option<String>,
    filer: Option<String>,
    as_of: Option<String>,
    include_review: bool,
    per_importer: bool,
    non_corporate: bool,
    cit_plaintiff: bool,
    fixed: Vec<String>,
    download_dates: Vec<(String, String)>,
    after_files: Vec<String>,
}

impl SettingsInput {
    fn from_js(value: JsValue) -> Result<SettingsInput, JsError> {
        let known = [
            "importer",
            "filer",
            "asOf",
            "includeReview",
            "perImporter",
            "nonCorporate",
            "citPlaintiff",
            "fixed",
            "downloadDates",
            "afterFiles",
        ];
        let options = JsOptions::new(value, &known, "setting")?;
        Ok(SettingsInput {
            importer: options.text("importer")?,
            filer: options.text("filer")?,
            as_of: options.text("asOf")?,
            include_review: options.flag("includeReview")?,
            per_importer: options.flag("perImporter")?,
            non_corporate: options.flag("nonCorporate")?,
            cit_plaintiff: options.flag("citPlaintiff")?,
            fixed: options.texts("fixed")?,
            download_dates: options.text_map("downloadDates")?,
            after_files: options.texts("afterFiles")?,
        })
    }
}

/// One explanation per finding code, for the page's grouped findings.
#[derive(Serialize)]
struct FindingExplanation {
    code: &'static str,
    explanation: &'static str,
}

/// An audit in progress: created with the settings, fed file by file,
/// finished once.
#[wasm_bindgen]
pub struct Auditor {
    audit: Audit,
    input: InputArea,
}

/// Where the worker writes the next bytes straight into wasm memory
/// (`inputArea`), to feed them with `feedInput`: one copy from the file's
/// stream, instead of one into a JS buffer and another into wasm memory
/// with an allocation per chunk.
#[derive(Default)]
struct InputArea(Vec<u8>);

impl InputArea {
    /// The input area's size: chunks of about 1 MiB (V8 optimises wasm
    /// between calls).
    const BYTES: usize = 1 << 20;

    fn view(&mut self) -> Uint8Array {
        if self.0.is_empty() {
            self.0 = vec![0; Self::BYTES];
        }
        // SAFETY: the view covers the Vec's own initialised bytes, and the
        // Vec is neither moved nor dropped while JS may hold the view: it
        // lives as long as the auditor and is never resized. JS must not
        // keep the view across calls into wasm (memory may grow, which
        // detaches it); `inputArea` says so.
        unsafe { Uint8Array::view_mut_raw(self.0.as_mut_ptr(), self.0.len()) }
    }

    fn filled(&self, len: usize) -> Result<&[u8], JsError> {
        self.0.get(..len).ok_or_else(|| {
            JsError::new(&format!(
                "feedInput({len}): the input area holds {} bytes; ask inputArea() first.",
                self.0.len()
            ))
        })
    }
}

#[wasm_bindgen]
impl Auditor {
    /// Starts an audit. Throws when a setting is malformed (the message says
    /// which and why).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AuditSettings")] settings: JsValue,
    ) -> Result<Auditor, JsError> {
        console_error_panic_hook::set_once();
        let input = SettingsInput::from_js(settings)?;
        Ok(Auditor {
            audit: Audit::new(settings_from(input)?),
            input: InputArea::default(),
        })
    }

    /// Starts the next file; `name` is how findings and the report name it.
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str) {
        self.audit.begin_file(name);
    }

    /// The current file's own date (`File.lastModified` as YYYY-MM-DD): a
    /// Claim Details download without a date column or a date in its name
    /// is dated by it. A text that is no date is ignored.
    #[wasm_bindgen(js_name = setFileDate)]
    pub fn set_file_date(&mut self, date: &str) {
        if let Some(date) = Date::parse(date) {
            self.audit.set_file_date(date);
        }
    }

    /// Feeds the next bytes of the current file (copied into wasm memory).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.audit.feed(chunk);
    }

    /// A view of the auditor's input area in wasm memory (1 MiB): write the
    /// next bytes of the file into it, then `feedInput(length)`. Ask for it
    /// again after every call into the auditor: a call may grow wasm
    /// memory, which detaches the view.
    #[wasm_bindgen(js_name = inputArea)]
    pub fn input_area(&mut self) -> Uint8Array {
        self.input.view()
    }

    /// Feeds the first `length` bytes of the input area.
    #[wasm_bindgen(js_name = feedInput)]
    pub fn feed_input(&mut self, length: usize) -> Result<(), JsError> {
        self.audit.feed(self.input.filled(length)?);
        Ok(())
    }

    /// Ends the current file.
    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) {
        self.audit.end_file();
    }

    /// Data rows read so far, over all files: for the progress bar.
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        // u64 would cross as a BigInt; a row count is far below 2^53.
        self.audit.rows_read() as f64
    }

    /// What a helper needs ([`PartAuditor`]) to read a later part of the
    /// current file from a line start, in another worker; `undefined` until
    /// the header is decided (after the first MiB), or when the file cannot
    /// be read in parts (UTF-16, a workbook, not an ES-003). One spec serves
    /// every part of the file.
    #[wasm_bindgen(js_name = partSpec)]
    pub fn part_spec(&self) -> Option<Vec<u8>> {
        self.audit.part_spec()
    }

    /// Joins what a helper found reading the current file from the byte
    /// just after those fed or joined here, to a cut (`finishAtCut`) or to
    /// the file's end (`finish`). True when joined: this auditor stands as
    /// if it had read the part; after a part to the file's end, end the file
    /// and feed no more of it; after a part to a cut, feed or join what
    /// follows the cut. False when the rows cannot be joined exactly:
    /// nothing changed, feed the part's bytes here (and the next part may
    /// still be joined).
    #[wasm_bindgen(js_name = joinPart)]
    pub fn join_part(&mut self, part: &[u8]) -> bool {
        self.audit.join_part(part).is_ok()
    }

    /// The current file's fingerprint is computed apart ([`Fingerprinter`],
    /// after the results): its bytes are not hashed as they are fed, and the
    /// report's `sha256` for it is null. For a large file, whose first
    /// result must not wait for its hash.
    #[wasm_bindgen(js_name = fingerprintApart)]
    pub fn fingerprint_apart(&mut self) {
        self.audit.fingerprint_apart();
    }

    /// Ends the audit: judges every entry and keeps the outcome in wasm
    /// memory, to be looked at through the small views of [`AuditResults`].
    /// The auditor cannot be used afterwards.
    pub fn finish(self) -> AuditResults {
        AuditResults {
            results: self.audit.into_results(),
            findings_sha256: Default::default(),
        }
    }
}

/// A file's SHA-256 computed apart from the audit: fed its bytes in order,
/// finished into lowercase hex (as `sha256sum` prints it).
#[wasm_bindgen]
#[derive(Default)]
pub struct Fingerprinter(crate::output::fingerprint::Fingerprint);

#[wasm_bindgen]
impl Fingerprinter {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Fingerprinter {
        Fingerprinter::default()
    }

    /// The next bytes of the file.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The fingerprint; the fingerprinter cannot be used afterwards.
    pub fn finish(self) -> String {
        self.0.finish().unwrap_or_default()
    }
}

/// The SHA-256 of some bytes (a file written), lowercase hex.
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::output::fingerprint::sha256_hex(bytes)
}

/// `cape-check-report.xlsx` (the XLSX module only): `report` is the page's
/// overview with every entry (`entries`, each with `in_declaration`);
/// `settings` the run's (`AuditSettings`); `declarations` the declaration
/// files as `{name, text}`; `written` every file written as `{name,
/// entries?, sha256}`. Throws with a message for the user when it cannot.
#[cfg(feature = "workbook")]
#[wasm_bindgen(js_name = writeWorkbook)]
pub fn write_workbook(
    report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditSettings")] settings: JsValue,
    declarations: JsValue,
    written: JsValue,
) -> Result<Uint8Array, JsError> {
    use crate::output::workbook::{WorkbookReport, WrittenFile};
    #[derive(serde::Deserialize)]
    struct Declaration {
        name: String,
        text: String,
    }
    let unreadable = |what: &str, e: serde_wasm_bindgen::Error| {
        JsError::new(&format!("The workbook could not be written: {what} could not be read ({e}). Check the files again, then ask for the workbook again."))
    };
    let report: WorkbookReport =
        serde_wasm_bindgen::from_value(report).map_err(|e| unreadable("the results", e))?;
    let settings = settings_from(SettingsInput::from_js(settings)?)?;
    let declarations: Vec<Declaration> = serde_wasm_bindgen::from_value(declarations)
        .map_err(|e| unreadable("the declarations", e))?;
    let declarations: Vec<OutputFile> = declarations
        .into_iter()
        .map(|d| OutputFile {
            name: d.name,
            bytes: d.text.into_bytes(),
        })
        .collect();
    let written: Vec<WrittenFile> =
        serde_wasm_bindgen::from_value(written).map_err(|e| unreadable("the files written", e))?;
    let bytes = crate::output::workbook::write_workbook(
        &report,
        &settings.described(),
        &declarations,
        &written,
    )
    .map_err(|e| JsError::new(&e))?;
    Ok(Uint8Array::from(bytes.as_slice()))
}

/// The helper's side of a file read in parts: created with the spec of
/// [`Auditor::part_spec`], fed the file from a line start to a cut (a later
/// line start) or to its end, finished into the bytes
/// [`Auditor::join_part`] takes.
#[wasm_bindgen]
pub struct PartAuditor {
    part: PartAudit,
    input: InputArea,
}

#[wasm_bindgen]
impl PartAuditor {
    /// Throws when the spec was not written by this build's `partSpec`.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &[u8]) -> Result<PartAuditor, JsError> {
        PartAuditor::of(PartAudit::new(spec))
    }

    /// The same for the part that starts at byte `start` of the file:
    /// `joinPart` refuses it anywhere else (parts join in order).
    #[wasm_bindgen(js_name = startingAt)]
    pub fn starting_at(spec: &[u8], start: f64) -> Result<PartAuditor, JsError> {
        // A file offset from JS is a whole number below 2^53.
        PartAuditor::of(PartAudit::starting_at(spec, start as u64))
    }

    /// Feeds the next bytes (any size).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.part.feed(chunk);
    }

    /// As [`Auditor::input_area`].
    #[wasm_bindgen(js_name = inputArea)]
    pub fn input_area(&mut self) -> Uint8Array {
        self.input.view()
    }

    /// As [`Auditor::feed_input`].
    #[wasm_bindgen(js_name = feedInput)]
    pub fn feed_input(&mut self, length: usize) -> Result<(), JsError> {
        self.part.feed(self.input.filled(length)?);
        Ok(())
    }

    /// Data rows read so far: for the progress bar.
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.part.rows_read() as f64
    }

    /// Bytes fed so far: the part's length once it is all fed (where the
    /// next part starts, counted from this one's start).
    #[wasm_bindgen(js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.part.bytes_read() as f64
    }

    /// The part ended at the file's end: what was found, for `joinPart`.
    pub fn finish(self) -> Vec<u8> {
        self.part.finish()
    }

    /// The part ended at a cut before the file's end (the next part reads
    /// on from there): what was found, for `joinPart`.
    #[wasm_bindgen(js_name = finishAtCut)]
    pub fn finish_at_cut(self) -> Vec<u8> {
        self.part.finish_at_cut()
    }
}

impl PartAuditor {
    fn of(part: Option<PartAudit>) -> Result<PartAuditor, JsError> {
        console_error_panic_hook::set_once();
        part.map(|part| PartAuditor {
            part,
            input: InputArea::default(),
        })
        .ok_or_else(|| JsError::new("This is not a part spec written by this checker."))
    }
}

/// A finished audit. The page asks it for the overview, then for pages of
/// entries, and for the files; 100,000 entries never cross to JS at once.
#[wasm_bindgen(js_name = Results)]
pub struct AuditResults {
    results: Results,
    /// The fingerprint of the last findings.csv written.
    findings_sha256: std::cell::RefCell<Option<String>>,
}

#[wasm_bindgen(js_class = Results)]
impl AuditResults {
    /// Totals, files, findings grouped by code (with a few examples each),
    /// declarations.
    #[wasm_bindgen(unchecked_return_type = "Overview")]
    pub fn overview(&self) -> Result<JsValue, JsError> {
        to_js(&self.results.overview())
    }

    /// One page of the entries that match the query, in report order.
    #[wasm_bindgen(unchecked_return_type = "EntryPage")]
    pub fn entries(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EntryQuery | undefined")] query: JsValue,
    ) -> Result<JsValue, JsError> {
        let known = ["verdict", "code", "search", "offset", "limit"];
        let options = JsOptions::new(query, &known, "query field")?;
        let verdict = match options.text("verdict")?.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Verdict::parse(text).map_err(user_error)?),
        };
        let code = match options.text("code")?.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Code::parse(text).map_err(user_error)?),
        };
        let query = EntryQuery {
            verdict,
            code,
            search: options.text("search")?.unwrap_or_default(),
            offset: options.count("offset")?.unwrap_or(0),
            limit: options.count("limit")?.unwrap_or(0),
        };
        to_js(&self.results.entries(&query))
    }

    /// Puts entries to review into the declaration (`include` true) or
    /// takes them out; `entries` null or left out means all of them.
    /// Returns how many entries to review are in now.
    pub fn include(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string[] | null | undefined")] entries: JsValue,
        include: bool,
    ) -> Result<u32, JsError> {
        let list: Option<Vec<String>> =
            if entries.is_undefined() || entries.is_null() {
                None
            } else {
                let array = entries.dyn_ref::<Array>().ok_or_else(|| {
                    JsError::new("The entries must be an array of entry numbers.")
                })?;
                let texts: Option<Vec<String>> = array.iter().map(|e| e.as_string()).collect();
                Some(texts.ok_or_else(|| {
                    JsError::new("Each entry must be an entry number (a string).")
                })?)
            };
        let count = self
            .results
            .include(list.as_deref(), include)
            .map_err(user_error)?;
        Ok(count as u32)
    }

    /// The CAPE Declaration file(s), with the included entries to review;
    /// none when no entry is in.
    #[wasm_bindgen(unchecked_return_type = "OutputFile[]")]
    pub fn declarations(&self) -> Result<JsValue, JsError> {
        Ok(output_files(&self.results.declarations())?.into())
    }

    /// `cape-refile.csv` (or `-1-of-N` files): the entries to file again
    /// after Claim Details; none when there is none.
    #[wasm_bindgen(js_name = refileFiles, unchecked_return_type = "OutputFile[]")]
    pub fn refile_files(&self) -> Result<JsValue, JsError> {
        Ok(output_files(&self.results.refile())?.into())
    }

    /// `findings.csv` (UTF-8 with BOM), written out to JS in 1 MiB pieces:
    /// it never lies whole in wasm memory, whose size never shrinks.
    #[wasm_bindgen(js_name = findingsCsv)]
    pub fn findings_csv(&self) -> Result<Uint8Array, JsError> {
        let mut csv = crate::output::fingerprint::Fingerprinted {
            inner: JsBytes::default(),
            fingerprint: Default::default(),
        };
        self.results
            .write_findings_csv(&mut csv)
            .map_err(user_error)?;
        *self.findings_sha256.borrow_mut() = csv.fingerprint.finish();
        Ok(csv.inner.into_array())
    }

    /// The SHA-256 of the last `findingsCsv()`, computed as it was written
    /// (the file never lies whole in wasm memory to be hashed).
    #[wasm_bindgen(js_name = findingsCsvSha256)]
    pub fn findings_csv_sha256(&self) -> Option<String> {
        self.findings_sha256.borrow().clone()
    }
}

/// The problem with an importer of record number as typed, or `undefined`
/// when it is usable.
#[wasm_bindgen(js_name = importerNumberProblem)]
pub fn importer_number_problem(text: &str) -> Option<String> {
    Account::importer(text).err().map(|e| e.to_string())
}

/// The problem with a filer code as typed, or `undefined` when it is usable.
#[wasm_bindgen(js_name = filerCodeProblem)]
pub fn filer_code_problem(text: &str) -> Option<String> {
    Account::filer(text).err().map(|e| e.to_string())
}

/// Every rule cape-check applies, each with its source and confidence,
/// from the rule set itself: `{edition, rules: [{from, rule, source,
/// confidence, check}]}` (the page's "What is checked").
#[wasm_bindgen(js_name = ruleBook, unchecked_return_type = "RuleBook")]
pub fn rule_book() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Book {
        edition: String,
        rules: Vec<crate::rules::params::RuleInfo>,
    }
    let rules = crate::rules::RuleSet::default();
    to_js(&Book {
        edition: rules.edition.iso(),
        rules: rules.book(),
    })
}

/// The problem with a filing date as typed, or `undefined` when it is usable.
#[wasm_bindgen(js_name = filingDateProblem)]
pub fn filing_date_problem(text: &str) -> Option<String> {
    match Date::parse(text.trim()) {
        Some(_) => None,
        None => Some(format!(
            "\"{text}\" is not a date: write it as YYYY-MM-DD or MM/DD/YYYY."
        )),
    }
}

/// The entry number made of a filer code and a 7-digit transaction number
/// (10 characters) with its check digit, e.g. `XQ71004217` -> `XQ710042173`;
/// `undefined` when they are not 10 such characters. For made-up exports
/// (the worker's warm-up) that take the path real entry numbers take.
#[wasm_bindgen(js_name = withCheckDigit)]
pub fn with_check_digit(first_ten: &str) -> Option<String> {
    let mut bytes = [b'0'; 11];
    bytes[..10].copy_from_slice(first_ten.as_bytes().get(..10)?);
    if first_ten.len() != 10 {
        return None;
    }
    bytes[10] = b'0' + check_digit(&bytes)?;
    let number = EntryNumber::parse(std::str::from_utf8(&bytes).ok()?)?;
    Some(number.as_str().to_string())
}

/// Every finding code with its plain explanation and fix.
#[wasm_bindgen(js_name = findingExplanations, unchecked_return_type = "FindingExplanation[]")]
pub fn finding_explanations() -> Result<JsValue, JsError> {
    let all: Vec<FindingExplanation> = Code::ALL
        .iter()
        .map(|code| FindingExplanation {
            code: code.as_str(),
            explanation: code.explanation(),
        })
        .collect();
    to_js(&all)
}

/// An options object from JS (`undefined` or `null`: all left out), read
/// field by field with its type checked. A misspelt key is refused, not
/// ignored. `what` names the keys in messages: "setting", "query field".
struct JsOptions<'a> {
    object: Option<Object>,
    what: &'a str,
}

impl<'a> JsOptions<'a> {
    fn new(value: JsValue, known: &[&str], what: &'a str) -> Result<JsOptions<'a>, JsError> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsOptions { object: None, what });
        }
        let object = value
            .dyn_into::<Object>()
            .map_err(|_| JsError::new(&format!("Expected an object of {what}s.")))?;
        for key in Object::keys(&object)
            .iter()
            .filter_map(|key| key.as_string())
        {
            if !known.contains(&key.as_str()) {
                return Err(JsError::new(&format!(
                    "Unknown {what} \"{key}\"; the {what}s are {}.",
                    known.join(", ")
                )));
            }
        }
        Ok(JsOptions {
            object: Some(object),
            what,
        })
    }

    /// The value of `key`; `None` when left out, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<JsValue> {
        let value = Reflect::get(self.object.as_ref()?, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    fn wrong(&self, key: &str, expected: &str) -> JsError {
        JsError::new(&format!("The {} \"{key}\" must be {expected}.", self.what))
    }

    fn text(&self, key: &str) -> Result<Option<String>, JsError> {
        self.get(key)
            .map(|v| v.as_string().ok_or_else(|| self.wrong(key, "a string")))
            .transpose()
    }

    /// An array of strings (none when left out).
    fn texts(&self, key: &str) -> Result<Vec<String>, JsError> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let array = value
            .dyn_into::<Array>()
            .map_err(|_| self.wrong(key, "an array of strings"))?;
        array
            .iter()
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| self.wrong(key, "an array of strings"))
            })
            .collect()
    }

    /// An object of string values, as (key, value) pairs (none when left out).
    fn text_map(&self, key: &str) -> Result<Vec<(String, String)>, JsError> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let object = value
            .dyn_into::<Object>()
            .map_err(|_| self.wrong(key, "an object of strings"))?;
        Object::entries(&object)
            .iter()
            .map(|pair| {
                let pair = Array::from(&pair);
                match (pair.get(0).as_string(), pair.get(1).as_string()) {
                    (Some(k), Some(v)) => Ok((k, v)),
                    _ => Err(self.wrong(key, "an object of strings")),
                }
            })
            .collect()
    }

    fn flag(&self, key: &str) -> Result<bool, JsError> {
        match self.get(key) {
            None => Ok(false),
            Some(v) => v.as_bool().ok_or_else(|| self.wrong(key, "true or false")),
        }
    }

    fn count(&self, key: &str) -> Result<Option<usize>, JsError> {
        let whole = |n: f64| (n >= 0.0 && n.fract() == 0.0 && n <= 1e15).then_some(n as usize);
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .and_then(whole)
                    .ok_or_else(|| self.wrong(key, "a whole number, 0 or more"))
            })
            .transpose()
    }
}

/// The core's settings from the page's, or the user's message.
fn settings_from(input: SettingsInput) -> Result<Settings, JsError> {
    let as_of = match input.as_of.as_deref().map(str::trim) {
        None | Some("") => today(),
        Some(text) => Date::parse(text)
            .ok_or_else(|| JsError::new(&filing_date_problem(text).unwrap_or_default()))?,
    };
    let mut settings = Settings::new(as_of);
    settings.wording = Wording::PAGE;
    settings.include_review = input.include_review;
    settings.per_importer = input.per_importer;
    settings.non_corporate = input.non_corporate;
    settings.cit_plaintiff = input.cit_plaintiff;
    settings.after_files = input.after_files;
    for written in &input.fixed {
        match read_entry_number(written).number {
            Ok(n) => settings.fixed.push(n.as_str().to_string()),
            Err(_) => {
                return Err(JsError::new(&format!(
                    "'{written}' is not an entry number, so it cannot be marked fixed."
                )))
            }
        }
    }
    for (name, text) in &input.download_dates {
        let date = Date::parse(text).ok_or_else(|| {
            JsError::new(&format!(
                "The date of '{name}', '{text}', is not a date: write it as MM/DD/YYYY."
            ))
        })?;
        settings.download_dates.push((name.clone(), date));
    }
    let importer = input.importer.filter(|text| !text.trim().is_empty());
    let filer = input.filer.filter(|text| !text.trim().is_empty());
    settings.account = match (importer, filer) {
        (Some(_), Some(_)) => {
            return Err(JsError::new(
                "Give either an importer number or a filer code, not both.",
            ));
        }
        (Some(text), None) => Some(Account::importer(&text).map_err(user_error)?),
        (None, Some(text)) => Some(Account::filer(&text).map_err(user_error)?),
        (None, None) => None,
    };
    Ok(settings)
}

/// Today in the user's time zone: the default filing date.
fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_else(|| unreachable!("the browser's calendar date is valid"))
}

/// Bytes written in wasm a piece at a time and kept in JS memory: one
/// `Uint8Array` in the end, without the whole ever being in wasm memory.
#[derive(Default)]
struct JsBytes {
    piece: Vec<u8>,
    pieces: Vec<Uint8Array>,
    len: u32,
}

impl JsBytes {
    const PIECE: usize = 1 << 20;

    fn flush_piece(&mut self) {
        if !self.piece.is_empty() {
            self.len += self.piece.len() as u32;
            self.pieces.push(Uint8Array::from(&self.piece[..]));
            self.piece.clear();
        }
    }

    /// The bytes, joined in JS memory.
    fn into_array(mut self) -> Uint8Array {
        self.flush_piece();
        let all = Uint8Array::new_with_length(self.len);
        let mut at = 0;
        for piece in &self.pieces {
            all.set(piece, at);
            at += piece.length();
        }
        all
    }
}

impl std::io::Write for JsBytes {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.piece.extend_from_slice(bytes);
        if self.piece.len() >= Self::PIECE {
            self.flush_piece();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Output files as `[{name, bytes: Uint8Array, sha256}]`: each hashed here,
/// where its bytes are, not copied back from JS to be hashed.
fn output_files(files: &[OutputFile]) -> Result<Array, JsError> {
    let array = Array::new();
    for file in files {
        let object = Object::new();
        set(&object, "name", file.name.as_str().into())?;
        set(&object, "bytes", Uint8Array::from(&file.bytes[..]).into())?;
        let sha256 = crate::output::fingerprint::sha256_hex(&file.bytes);
        set(&object, "sha256", sha256.into())?;
        array.push(&object);
    }
    Ok(array)
}

/// Plain data for JS: objects (not Maps), numbers (not BigInts).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(user_error)
}

fn set(object: &Object, key: &str, value: JsValue) -> Result<(), JsError> {
    Reflect::set(object, &JsValue::from_str(key), &value)
        .map(|_| ())
        .map_err(|_| JsError::new("could not build the result object"))
}

/// The one way errors reach JS: a `JsError` carrying the message as written.
fn user_error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}
