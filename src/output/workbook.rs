//! `cape-check-report.xlsx`: the report as a workbook a compliance team
//! keeps (issue 25). Sheets Summary, Findings, Entries, Declarations and,
//! with Claim Details, Claims. Entry, importer and claim numbers are text
//! cells (Excel never changes them), money numbers in a dollar format,
//! dates real dates shown MM/DD/YYYY; a frozen header row, filters and
//! fitted widths on every sheet. Every text is written as a string, so a
//! cell that reads like a formula stays text.
//!
//! The input is the JSON report (contract section 3) read back
//! ([`WorkbookReport`]): the command line gives its own report, the page
//! its overview and every entry, so that both write the same workbook from
//! the same facts. Written by `rust_xlsxwriter`.

use crate::finding::Rows;
use crate::output::declaration::OutputFile;
use crate::values::entry_number::EntryNumber;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::Deserialize;

/// Excel's last row (1,048,576 rows, the header included): a table longer
/// than that goes on into a sheet of the same name and a number.
const MAX_ROWS: u32 = 1_048_576;
/// Excel's longest cell text.
const MAX_TEXT: usize = 32_767;

/// The report, as its JSON gives it (unknown fields are ignored; fields a
/// front end may not have are optional).
#[derive(Debug, Default, Deserialize)]
pub struct WorkbookReport {
    pub as_of: String,
    pub rules: RulesIn,
    #[serde(default)]
    pub account: Option<AccountIn>,
    #[serde(default)]
    pub files: Vec<FileIn>,
    #[serde(default)]
    pub entries: Vec<EntryIn>,
    pub totals: TotalsIn,
    #[serde(default)]
    pub interest: Option<InterestIn>,
    #[serde(default)]
    pub claims: Option<ClaimsIn>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RulesIn {
    pub edition: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountIn {
    Importer(String),
    Filer(String),
}

#[derive(Debug, Default, Deserialize)]
pub struct FileIn {
    pub name: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub rows: u64,
    #[serde(default)]
    pub bytes: Option<u64>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub findings: Vec<FindingIn>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FindingIn {
    pub code: String,
    pub severity: String,
    pub message: String,
    #[serde(default)]
    pub rows: Vec<u32>,
    /// The rows as findings.csv words them, when known already (the
    /// command line's; else made from `rows`).
    #[serde(skip)]
    pub rows_described: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EntryIn {
    pub entry: String,
    pub verdict: String,
    #[serde(default)]
    pub importer: Option<String>,
    #[serde(default)]
    pub entry_type: Option<String>,
    #[serde(default)]
    pub ieepa_duty: Option<String>,
    #[serde(default)]
    pub interest_estimate: Option<String>,
    #[serde(default)]
    pub findings: Vec<FindingIn>,
    #[serde(default)]
    pub liquidation_date: Option<String>,
    #[serde(default)]
    pub window_days_left: Option<i64>,
    #[serde(default)]
    pub court_deadline: Option<String>,
    #[serde(default)]
    pub applied: Option<String>,
    /// The page's: whether the entry is in the declaration now (the user
    /// may have included entries to review).
    #[serde(default)]
    pub in_declaration: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TotalsIn {
    pub entries: u64,
    pub ready: u64,
    pub review: u64,
    pub blocked: u64,
    pub ieepa_duty_ready: String,
    pub ieepa_duty_review: String,
    pub ieepa_duty_blocked: String,
    #[serde(default)]
    pub interest_estimate_ready: Option<String>,
    #[serde(default)]
    pub interest_estimate_review: Option<String>,
    #[serde(default)]
    pub interest_estimate_blocked: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InterestIn {
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub rate_column: String,
    #[serde(default)]
    pub rate_table: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimsIn {
    #[serde(default)]
    pub downloads: Vec<DownloadIn>,
    #[serde(default)]
    pub entries: Vec<ClaimEntryIn>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DownloadIn {
    pub file: String,
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimEntryIn {
    pub entry_number: String,
    #[serde(default)]
    pub history: Vec<ClaimStepIn>,
    pub current: String,
    pub change: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub refile: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimStepIn {
    pub download: String,
    pub status: String,
    pub message: String,
    pub claim_number: String,
}

/// A file the run wrote, for the Summary: its name, the entries it holds
/// (a declaration's), and its fingerprint.
#[derive(Clone, Debug, Deserialize)]
pub struct WrittenFile {
    pub name: String,
    #[serde(default)]
    pub entries: Option<u64>,
    pub sha256: String,
}

/// One cell of a table.
enum Cell {
    Text(String),
    Money(f64),
    Date(ExcelDateTime),
    Number(f64),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    let s: String = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// A money string of the report ("2900.00") as a number cell.
fn money(s: Option<&str>) -> Cell {
    s.and_then(|s| s.parse::<f64>().ok())
        .map_or(Cell::Empty, Cell::Money)
}

/// An ISO date of the report as a date cell.
fn date(iso: Option<&str>) -> Cell {
    let parsed = iso.and_then(|iso| {
        let mut parts = iso.splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        ExcelDateTime::from_ymd(y, m, d).ok()
    });
    parsed.map_or_else(|| iso.map_or(Cell::Empty, text), Cell::Date)
}

fn yes_no(b: bool) -> Cell {
    text(if b { "yes" } else { "no" })
}

/// The page's words for a verdict.
fn verdict_words(v: &str) -> &str {
    match v {
        "ready" => "ready",
        "review" => "to review",
        "blocked" => "blocked",
        other => other,
    }
}

/// A finding's rows as findings.csv gives them (`2, 3, 5-9`).
fn rows_text(finding: &FindingIn) -> Cell {
    if let Some(described) = &finding.rows_described {
        return text(described.clone());
    }
    let rows = &finding.rows;
    let mut r = Rows::new();
    rows.iter().for_each(|&n| r.push(n));
    text(r.describe())
}

struct Formats {
    header: Format,
    money: Format,
    date: Format,
}

/// Writes tables into sheets, one after the other, with the header frozen,
/// filters on and the widths fitted; a table longer than Excel's rows goes
/// on into a sheet "Name (2)". Rows are pushed one at a time.
struct Tables<'w> {
    workbook: &'w mut Workbook,
    formats: Formats,
    /// The table being written: its name, headers, part, next row, widths.
    open: Option<Open>,
}

struct Open {
    name: String,
    headers: Vec<String>,
    part: u32,
    sheet: usize,
    next: u32,
    widths: Vec<usize>,
}

impl Tables<'_> {
    /// Starts a table on a new sheet.
    fn start(&mut self, name: &str, headers: &[&str]) -> Result<(), XlsxError> {
        self.end()?;
        self.open_sheet(Open {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            part: 1,
            sheet: 0,
            next: 1,
            widths: headers.iter().map(|h| h.chars().count()).collect(),
        })
    }

    fn open_sheet(&mut self, mut open: Open) -> Result<(), XlsxError> {
        let sheet_name = if open.part == 1 {
            open.name.clone()
        } else {
            format!("{} ({})", open.name, open.part)
        };
        // Natively each sheet's rows go to a temporary file as they are
        // written (constant memory: the rows are written in order); in the
        // browser, which has no files, they stay in memory.
        #[cfg(not(target_arch = "wasm32"))]
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        #[cfg(target_arch = "wasm32")]
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(&sheet_name)?;
        for (c, h) in open.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &self.formats.header)?;
        }
        open.sheet = self.workbook.worksheets().len() - 1;
        open.next = 1;
        self.open = Some(open);
        Ok(())
    }

    /// The next row of the open table.
    fn row(&mut self, cells: Vec<Cell>) -> Result<(), XlsxError> {
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        if open.next >= MAX_ROWS {
            let mut next = self.close()?.unwrap_or_else(|| unreachable!());
            next.part += 1;
            next.widths = next.headers.iter().map(|h| h.chars().count()).collect();
            self.open_sheet(next)?;
        }
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        let sheet = self.workbook.worksheet_from_index(open.sheet)?;
        for (c, cell) in cells.into_iter().enumerate() {
            let width = write_cell(sheet, open.next, c as u16, cell, &self.formats)?;
            if let Some(w) = open.widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
        open.next += 1;
        Ok(())
    }

    /// Ends the open table.
    fn end(&mut self) -> Result<(), XlsxError> {
        self.close().map(|_| ())
    }

    fn close(&mut self) -> Result<Option<Open>, XlsxError> {
        let Some(open) = self.open.take() else {
            return Ok(None);
        };
        let sheet = self.workbook.worksheet_from_index(open.sheet)?;
        finish_sheet(sheet, open.next, open.headers.len(), &open.widths)?;
        Ok(Some(open))
    }

    fn table(
        &mut self,
        name: &str,
        headers: &[&str],
        rows: impl Iterator<Item = Vec<Cell>>,
    ) -> Result<(), XlsxError> {
        self.start(name, headers)?;
        for row in rows {
            self.row(row)?;
        }
        self.end()
    }
}

/// Writes one cell; gives the width it needs, in characters.
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: Cell,
    f: &Formats,
) -> Result<usize, XlsxError> {
    Ok(match cell {
        Cell::Text(s) => {
            let s = if s.len() > MAX_TEXT {
                let mut end = MAX_TEXT - 3;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}...", &s[..end])
            } else {
                s
            };
            let width = s.chars().count();
            // Always a string cell: text that reads like a formula stays text.
            sheet.write_string(r, c, s)?;
            width
        }
        Cell::Money(v) => {
            sheet.write_number_with_format(r, c, v, &f.money)?;
            format!("{v:.2}").len() + 4
        }
        Cell::Date(d) => {
            sheet.write_datetime_with_format(r, c, d, &f.date)?;
            10
        }
        Cell::Number(v) => {
            sheet.write_number(r, c, v)?;
            format!("{v}").len()
        }
        Cell::Empty => 0,
    })
}

/// The header frozen, filters over the table, widths that fit (a long
/// message column is capped: its cells are still whole).
fn finish_sheet(
    sheet: &mut Worksheet,
    rows: u32,
    columns: usize,
    widths: &[usize],
) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    if columns > 0 {
        sheet.autofilter(0, 0, rows.saturating_sub(1).max(1), columns as u16 - 1)?;
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(90.0))?;
    }
    Ok(())
}

/// Calls its argument with every entry, in order (it may be called more
/// than once: the entries go on two sheets).
pub type EachEntryIn<'a> =
    &'a dyn Fn(&mut dyn FnMut(&EntryIn) -> Result<(), String>) -> Result<(), String>;

/// The workbook's bytes. `settings`: the settings of the run, as the front
/// end says them (label, value); `declarations`: the declaration files
/// (their entries go on the Declarations sheet); `written`: every file the
/// run wrote, with its fingerprint. The entries are `report.entries`.
pub fn write_workbook(
    report: &WorkbookReport,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
) -> Result<Vec<u8>, String> {
    let each: EachEntryIn<'_> = &|f| report.entries.iter().try_for_each(&mut *f);
    write_workbook_with(report, each, settings, declarations, written)
}

/// The same with the entries given one at a time by `each` (the command
/// line judges them again on each pass, never holding them all).
pub fn write_workbook_with(
    report: &WorkbookReport,
    each: EachEntryIn<'_>,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
) -> Result<Vec<u8>, String> {
    build(report, each, settings, declarations, written)?
        .save_to_buffer()
        .map_err(|e| unwritten(&e.to_string()))
}

/// The same written straight to a file (the command line: a million
/// entries' workbook never whole in memory).
#[cfg(not(target_arch = "wasm32"))]
pub fn save_workbook_with(
    report: &WorkbookReport,
    each: EachEntryIn<'_>,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
    path: &std::path::Path,
) -> Result<(), String> {
    build(report, each, settings, declarations, written)?
        .save(path)
        .map_err(|e| unwritten(&e.to_string()))
}

/// Why the workbook is missing, for the user.
fn unwritten(why: &str) -> String {
    format!("The Excel workbook could not be written ({why}). The other files are complete: use findings.csv, or run the check again.")
}

fn build(
    report: &WorkbookReport,
    each: EachEntryIn<'_>,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
) -> Result<Workbook, String> {
    let fail = |e: XlsxError| unwritten(&e.to_string());
    let mut workbook = Workbook::new();
    // Compression level 1: most of the writing time of a large workbook is
    // deflating its sheets; level 1 takes a fraction of level 6's time for
    // a file about a fifth larger.
    workbook.set_zip_compression_level(1);
    let formats = Formats {
        header: Format::new().set_bold(),
        money: Format::new().set_num_format("$#,##0.00"),
        date: Format::new().set_num_format("mm/dd/yyyy"),
    };
    let mut tables = Tables {
        workbook: &mut workbook,
        formats,
        open: None,
    };
    summary_sheet(&mut tables, report, settings, declarations, written)?;
    tables
        .start(
            "Findings",
            &[
                "File",
                "Entry number",
                "Verdict",
                "Code",
                "Severity",
                "Rows",
                "Message",
            ],
        )
        .map_err(fail)?;
    for row in file_findings_rows(report) {
        tables.row(row).map_err(fail)?;
    }
    let mut with_applied = false;
    each(&mut |e| {
        with_applied |= e.applied.is_some();
        for row in entry_findings_rows(e) {
            tables.row(row).map_err(fail)?;
        }
        Ok(())
    })?;
    let mut entry_headers = vec![
        "Entry number",
        "Importer",
        "Entry type",
        "Verdict",
        "In the declaration",
        "IEEPA duty",
        "Interest (estimate)",
        "Liquidation date",
        "Days left in the 80-day window",
        "Court deadline (earliest reading)",
        "Finding codes",
    ];
    if with_applied {
        entry_headers.push("Refund applied");
    }
    // In the declaration: as the front end says, else as the files written.
    let declared = declared_keys(declarations);
    tables.start("Entries", &entry_headers).map_err(fail)?;
    each(&mut |e| {
        tables
            .row(entry_row(e, with_applied, &declared))
            .map_err(fail)
    })?;
    declarations_sheet(&mut tables, declarations).map_err(fail)?;
    if let Some(claims) = &report.claims {
        claims_sheet(&mut tables, claims).map_err(fail)?;
    }
    tables.end().map_err(fail)?;
    Ok(workbook)
}

/// The Summary sheet, with the count of entries to review put into the
/// declaration: all of them (--include-review), some (ticked on the page)
/// or none.
fn summary_sheet(
    tables: &mut Tables<'_>,
    report: &WorkbookReport,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
) -> Result<(), String> {
    // The entries declared are the ready ones and the reviewed ones put in.
    let declared = declarations
        .iter()
        .map(|f| declared_numbers(&f.bytes).count() as u64)
        .sum::<u64>();
    let reviewed_in = declared.saturating_sub(report.totals.ready);
    let mut settings = settings.to_vec();
    settings.insert(
        0,
        (
            "Entries to review put into the declaration".into(),
            reviewed_in.to_string(),
        ),
    );
    tables
        .table(
            "Summary",
            &[
                "Part",
                "Name",
                "Value",
                "Entries",
                "IEEPA duty",
                "Interest (estimate)",
                "Rows",
                "Bytes",
                "SHA-256",
            ],
            summary_rows(report, &settings, written).into_iter(),
        )
        .map_err(|e| e.to_string())
}

/// Settings, totals, files checked and files written, as one table.
fn summary_rows(
    report: &WorkbookReport,
    settings: &[(String, String)],
    written: &[WrittenFile],
) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    let part = |p: &str| text(p);
    out.push(vec![
        part("Setting"),
        text("Filing date"),
        date(Some(&report.as_of)),
    ]);
    out.push(vec![
        part("Setting"),
        text("CBP rules as of"),
        date(Some(&report.rules.edition)),
    ]);
    let account = match &report.account {
        Some(AccountIn::Importer(n)) => format!("importer of record {n}"),
        Some(AccountIn::Filer(c)) => format!("broker, filer code {c}"),
        None => "none given (account checks skipped)".to_string(),
    };
    out.push(vec![part("Setting"), text("Account"), text(account)]);
    for (label, value) in settings {
        out.push(vec![
            part("Setting"),
            text(label.clone()),
            text(value.clone()),
        ]);
    }
    if let Some(interest) = &report.interest {
        out.push(vec![
            part("Interest estimate"),
            text("How it is estimated"),
            text(interest.basis.clone()),
        ]);
        if !interest.rate_table.is_empty() {
            out.push(vec![
                part("Interest estimate"),
                text(format!("Rates ({} column)", interest.rate_column)),
                text(interest.rate_table.clone()),
            ]);
        }
    }
    out.extend(totals_rows(&report.totals));
    out.extend(files_rows(report, written));
    out
}

/// Entries, IEEPA duty and interest per verdict.
fn totals_rows(t: &TotalsIn) -> Vec<Vec<Cell>> {
    let part = |p: &str| text(p);
    let mut out = Vec::new();
    let totals = [
        (
            "ready",
            t.ready,
            &t.ieepa_duty_ready,
            &t.interest_estimate_ready,
        ),
        (
            "to review",
            t.review,
            &t.ieepa_duty_review,
            &t.interest_estimate_review,
        ),
        (
            "blocked",
            t.blocked,
            &t.ieepa_duty_blocked,
            &t.interest_estimate_blocked,
        ),
    ];
    for (name, n, duty, interest) in totals {
        out.push(vec![
            part("Totals"),
            text(name),
            Cell::Empty,
            Cell::Number(n as f64),
            money(Some(duty)),
            money(interest.as_deref()),
        ]);
    }
    out.push(vec![
        part("Totals"),
        text("all entries"),
        Cell::Empty,
        Cell::Number(t.entries as f64),
    ]);
    out
}

/// Each file checked and each file written, with its fingerprint.
fn files_rows(report: &WorkbookReport, written: &[WrittenFile]) -> Vec<Vec<Cell>> {
    let part = |p: &str| text(p);
    let mut out = Vec::new();
    for f in &report.files {
        out.push(vec![
            part("File checked"),
            text(f.name.clone()),
            text(kind_words(f.kind.as_deref())),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Number(f.rows as f64),
            f.bytes.map_or(Cell::Empty, |b| Cell::Number(b as f64)),
            f.sha256.clone().map_or(text("not computed"), Cell::Text),
        ]);
    }
    for w in written {
        out.push(vec![
            part("File written"),
            text(w.name.clone()),
            Cell::Empty,
            w.entries.map_or(Cell::Empty, |n| Cell::Number(n as f64)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            text(w.sha256.clone()),
        ]);
    }
    out
}

fn kind_words(kind: Option<&str>) -> &'static str {
    match kind {
        Some("es003") => "ES-003 export",
        Some("declaration") => "CAPE Declaration",
        Some("claim-details") => "Claim Details",
        _ => "could not be read",
    }
}

/// The findings of the files (with their file).
fn file_findings_rows(report: &WorkbookReport) -> impl Iterator<Item = Vec<Cell>> + '_ {
    report.files.iter().flat_map(|f| {
        f.findings.iter().map(move |x| {
            vec![
                text(f.name.clone()),
                Cell::Empty,
                Cell::Empty,
                text(x.code.clone()),
                text(x.severity.clone()),
                rows_text(x),
                text(x.message.clone()),
            ]
        })
    })
}

/// An entry's findings.
fn entry_findings_rows(e: &EntryIn) -> impl Iterator<Item = Vec<Cell>> + '_ {
    e.findings.iter().map(move |x| {
        vec![
            Cell::Empty,
            text(e.entry.clone()),
            text(verdict_words(&e.verdict)),
            text(x.code.clone()),
            text(x.severity.clone()),
            rows_text(x),
            text(x.message.clone()),
        ]
    })
}

fn entry_row(e: &EntryIn, with_applied: bool, declared: &[u64]) -> Vec<Cell> {
    let in_declaration = e.in_declaration.unwrap_or_else(|| {
        EntryNumber::parse(&e.entry).is_some_and(|n| declared.binary_search(&n.sort_key()).is_ok())
    });
    let codes: Vec<&str> = e.findings.iter().map(|f| f.code.as_str()).collect();
    let mut row = vec![
        text(e.entry.clone()),
        text(e.importer.clone().unwrap_or_default()),
        text(e.entry_type.clone().unwrap_or_default()),
        text(verdict_words(&e.verdict)),
        yes_no(in_declaration),
        money(e.ieepa_duty.as_deref()),
        money(e.interest_estimate.as_deref()),
        date(e.liquidation_date.as_deref()),
        e.window_days_left
            .map_or(Cell::Empty, |n| Cell::Number(n as f64)),
        date(e.court_deadline.as_deref()),
        text(codes.join(", ")),
    ];
    if with_applied {
        row.push(text(e.applied.clone().unwrap_or_default()));
    }
    row
}

/// The entry numbers of a declaration file (its lines after the header),
/// read off its bytes (a million of them are never copied at once).
fn declared_numbers(bytes: &[u8]) -> impl Iterator<Item = &str> {
    bytes
        .split(|&b| b == b'\n')
        .skip(1)
        .map(|line| std::str::from_utf8(line.strip_suffix(b"\r").unwrap_or(line)).unwrap_or(""))
        .filter(|line| !line.is_empty())
}

/// The entries the declaration files hold, as sorted keys (8 bytes each).
fn declared_keys(files: &[OutputFile]) -> Vec<u64> {
    let mut keys: Vec<u64> = files
        .iter()
        .flat_map(|f| declared_numbers(&f.bytes))
        .filter_map(EntryNumber::parse)
        .map(EntryNumber::sort_key)
        .collect();
    keys.sort_unstable();
    keys
}

/// One column a declaration file: its name, then its entries.
fn declarations_sheet(tables: &mut Tables<'_>, files: &[OutputFile]) -> Result<(), XlsxError> {
    let headers: Vec<&str> = if files.is_empty() {
        vec!["No declaration: no entry is ready"]
    } else {
        files.iter().map(|f| f.name.as_str()).collect()
    };
    tables.start("Declarations", &headers)?;
    // The files side by side, a row at a time.
    let mut columns: Vec<_> = files.iter().map(|f| declared_numbers(&f.bytes)).collect();
    loop {
        let row: Vec<Cell> = columns
            .iter_mut()
            .map(|c| c.next().map_or(Cell::Empty, text))
            .collect();
        if row.iter().all(|c| matches!(c, Cell::Empty)) {
            break;
        }
        tables.row(row)?;
    }
    tables.end()
}

/// Each entry's history in the Claim Details, a row a download.
fn claims_sheet(tables: &mut Tables<'_>, claims: &ClaimsIn) -> Result<(), XlsxError> {
    let date_of = |file: &str| {
        claims
            .downloads
            .iter()
            .find(|d| d.file == file)
            .and_then(|d| d.date.clone())
    };
    tables.table(
        "Claims",
        &[
            "Entry number",
            "Download",
            "Download date",
            "Status",
            "CBP's message",
            "Claim number",
            "Status now",
            "What changed",
            "File again now",
            "What to do",
        ],
        claims.entries.iter().flat_map(|e| {
            e.history.iter().map(move |step| {
                vec![
                    text(e.entry_number.clone()),
                    text(step.download.clone()),
                    date(date_of(&step.download).as_deref()),
                    text(step.status.clone()),
                    text(step.message.clone()),
                    text(step.claim_number.clone()),
                    text(e.current.clone()),
                    text(e.change.clone()),
                    yes_no(e.refile),
                    text(e.action.clone()),
                ]
            })
        }),
    )
}

/// The workbook of a report (the command line's, the tests'): the report
/// read back as the workbook reads it, its entries one at a time (each is
/// judged again on each pass when the report streams them, never all held).
/// Written to `path`, or given as bytes when there is none.
#[cfg(not(target_arch = "wasm32"))]
pub fn report_workbook<E: crate::output::report::EachEntry>(
    r: &crate::output::report::Report<E>,
    settings: &[(String, String)],
    declarations: &[OutputFile],
    written: &[WrittenFile],
    path: Option<&std::path::Path>,
) -> Result<Vec<u8>, String> {
    let value = |v: serde_json::Result<serde_json::Value>| v.map_err(|e| e.to_string());
    let head = serde_json::json!({
        "as_of": r.as_of,
        "rules": value(serde_json::to_value(&r.rules))?,
        "account": value(serde_json::to_value(&r.account))?,
        "files": value(serde_json::to_value(&r.files))?,
        "totals": value(serde_json::to_value(&r.totals))?,
        "interest": value(serde_json::to_value(&r.interest))?,
        "claims": value(serde_json::to_value(&r.claims))?,
    });
    let report: WorkbookReport = serde_json::from_value(head).map_err(|e| e.to_string())?;
    let each: EachEntryIn<'_> = &|f| r.entries.each(|e| f(&EntryIn::from(e)));
    match path {
        Some(path) => {
            save_workbook_with(&report, each, settings, declarations, written, path)?;
            Ok(Vec::new())
        }
        None => write_workbook_with(&report, each, settings, declarations, written),
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl From<&crate::output::report::EntryReport> for EntryIn {
    fn from(e: &crate::output::report::EntryReport) -> EntryIn {
        let severity = |s: crate::finding::Severity| match s {
            crate::finding::Severity::Info => "info",
            crate::finding::Severity::Warning => "warning",
            crate::finding::Severity::Error => "error",
        };
        EntryIn {
            entry: e.entry.to_string(),
            verdict: e.verdict.as_str().to_string(),
            importer: e.importer.as_deref().map(str::to_string),
            entry_type: e.entry_type.as_deref().map(str::to_string),
            ieepa_duty: Some(e.ieepa_duty.to_string()),
            interest_estimate: Some(e.interest_estimate.to_string()),
            findings: e
                .findings
                .iter()
                .map(|f| FindingIn {
                    code: f.code.as_str().to_string(),
                    severity: severity(f.severity).to_string(),
                    message: f.message.clone(),
                    rows: Vec::new(),
                    rows_described: Some(f.rows.describe()),
                })
                .collect(),
            liquidation_date: e.liquidation_date.map(|d| d.iso()),
            window_days_left: e.window_days_left,
            court_deadline: e.court_deadline.map(|d| d.iso()),
            applied: e.applied.map(|a| a.as_str().to_string()),
            in_declaration: None,
        }
    }
}
