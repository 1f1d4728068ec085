//! Every sentence the audit says about a file as a whole: what was found,
//! where, and what to do. The reader decides; this module words it.

use super::file::{Unused, HEADER_SEARCH_ROWS, MAX_WORKBOOK_BYTES};
use super::record::{MAX_FIELDS, MAX_RECORD_BYTES};
use crate::finding::Wording;
use crate::finding::{Code, Finding, Rows, Severity};

/// The optional columns of an ES-003: which check each one feeds, skipped
/// (a warning) when the export lacks every column of the group.
pub(super) const OPTIONAL_COLUMNS: [(&[super::columns::Field], &str); 3] = {
    use super::columns::Field;
    [
        (&[Field::Importer], "the importer of record check (ACCOUNT MISMATCH) is skipped"),
        (&[Field::EntryType], "the entry type check (ENTRY TYPE NOT ALLOWED) is skipped"),
        (
            &[Field::LiquidationStatus, Field::LiquidationDate],
            "the 80-day liquidation window cannot be checked from data; it is estimated from the entry summary date",
        ),
    ]
};

pub(super) fn workbook_too_large(name: &str) -> Finding {
    Finding::new(
        Code::UnreadableFile,
        format!("'{name}' is an XLSX workbook of more than {} MB: a workbook must be read whole, and this one is too large for memory. Export the ES-003 from ACE Reports as CSV instead: CSV is read as a stream, whatever its size.", MAX_WORKBOOK_BYTES >> 20),
        Rows::new(),
    )
}

#[cfg(feature = "xlsx")]
pub(super) fn workbook_unreadable(name: &str, why: &str) -> Finding {
    Finding::new(
        Code::UnreadableFile,
        format!("'{name}' is a ZIP file but not a workbook that can be read ({why}). If it is damaged, export the ES-003 again from ACE Reports, as CSV if you can."),
        Rows::new(),
    )
}

/// A file that is not text: `what` says what it looks like.
pub(super) fn not_text(name: &str, what: &str) -> Finding {
    let hint = if what.contains("ZIP") {
        " XLSX workbooks are not read by this build of cape-check: in ACE Reports export the ES-003 as CSV, or open the workbook in Excel and save its Main Report sheet as CSV (then do not edit it)."
    } else if what.contains("xls") {
        " If it is a password-protected workbook, remove the password in Excel (File > Info > Protect Workbook) and save it as .xlsx; if it is an old .xls, save it as .xlsx or CSV."
    } else {
        " Export the ES-003 report (Entry Summary Line Tariff Details) from ACE Reports as CSV and use that file."
    };
    Finding::new(
        Code::UnreadableFile,
        format!("'{name}' is {what}, not a CSV or text export, so it was not read.{hint}"),
        Rows::new(),
    )
}

pub(super) fn empty_file(name: &str, zero_bytes: bool) -> Finding {
    Finding::new(
        Code::EmptyFile,
        format!("'{name}' has no rows{}. Export the ES-003 report again from ACE Reports; check that its date range and importer select some entries.",
            if zero_bytes { " (it is 0 bytes)" } else { " with anything in them" }),
        Rows::new(),
    )
}

/// A row that starts like a header row (`first_line`: its start) but goes
/// on past the `limit` bytes the header is looked for in.
pub(super) fn overlong_header(name: &str, row: u32, first_line: &str, limit: usize) -> Finding {
    Finding::new(
        Code::NoHeaderRow,
        format!(
            "Row {row} of '{name}' starts like a header row ('{first_line}...') but runs on for more than {} MB without a line break; a header row of an ES-003 export is a few hundred characters, so the file is damaged (its line breaks were lost) or not an export. None of its rows were used. Export the ES-003 report again from ACE Reports as CSV, and do not edit it before checking it.",
            (limit + (1 << 19)) >> 20
        ),
        Rows::one(row),
    )
}

pub(super) fn no_header_row(name: &str, first_line: &str, rows: u32) -> Finding {
    Finding::new(
        Code::NoHeaderRow,
        format!(
            "'{name}' seems to be {}: no row among its first {HEADER_SEARCH_ROWS} names an entry-number column (looked for Entry Summary Number, Entry Number, Entry No, Entry Summary #); its first row reads '{first_line}'. None of its {rows} rows were used. cape-check needs the ES-003 report (Entry Summary Line Tariff Details) exported from ACE Reports as CSV, a CAPE Declaration, or CAPE Claim Details.",
            seems_to_be(first_line),
        ),
        Rows::one(1),
    )
}

pub(super) fn title_rows(name: &str, header_row: u32, rows: &Rows) -> Finding {
    Finding::new(
        Code::TitleRowsSkipped,
        format!(
            "Title or parameter rows above the header (row {header_row}) of '{name}' were skipped: {}.",
            rows.label()
        ),
        rows.clone(),
    )
}

pub(super) fn repeated_headers(name: &str, rows: &Rows) -> Finding {
    Finding::new(
        Code::TitleRowsSkipped,
        format!(
            "The header row appears again in '{name}' ({}), as when exports are pasted one after another; skipped. Nothing to do.",
            rows.label()
        ),
        rows.clone(),
    )
}

pub(super) fn utf16_converted(name: &str) -> Finding {
    Finding::new(
        Code::EncodingConverted,
        format!("'{name}' was saved as Excel's \"Unicode text\" and was converted. Nothing to do."),
        Rows::new(),
    )
}

pub(super) fn windows_1252_converted(name: &str) -> Finding {
    Finding::new(
        Code::EncodingConverted,
        format!("Some cells of '{name}' use an older Windows character set (Excel's \"CSV (Comma delimited)\" writes them so) and were converted. Nothing to do."),
        Rows::new(),
    )
}

pub(super) fn no_data_rows(name: &str, header_row: u32) -> Finding {
    Finding::new(
        Code::EmptyFile,
        format!("'{name}' has a header row (row {header_row}) but no data rows below it. Check the report's date range and importer in ACE Reports and export again."),
        Rows::one(header_row),
    )
}

/// CSV rows that ended before the header's last column and were read with
/// their missing last cells empty.
pub(super) fn short_rows(name: &str, rows: &Rows, header_width: usize) -> Finding {
    let n = rows.len();
    let (noun, verb, pronoun) = if n == 1 {
        ("Row", "ends", "its")
    } else {
        ("Rows", "end", "their")
    };
    Finding::new(
        Code::ShortRowsRead,
        format!(
            "{noun} {} of '{name}'{} {verb} before the header row's last column ({header_width} cells), as some programs write rows whose last cells are blank; {pronoun} missing cells were read as empty. Nothing to do, unless a row was cut short by editing: then export the report again.",
            rows.describe(),
            if n == 1 { String::new() } else { format!(" ({n} in all)") },
        ),
        rows.clone(),
    )
}

/// Rows not used for one reason. `header_width`: the header's cells;
/// `swallowed_lines`: lines read into quoted cells that never end;
/// `workbook`: the file is a workbook (no delimiters, no text editor).
pub(super) fn unused_rows(
    name: &str,
    reason: Unused,
    rows: &Rows,
    header_width: usize,
    swallowed_lines: u64,
    workbook: bool,
) -> Finding {
    let n = rows.len();
    let (what, fix) = match reason {
        Unused::FieldCount if workbook => (
            format!(
                "{} cells to the right of the header row's last column (column {})",
                if n == 1 { "has" } else { "have" },
                column_letters(header_width)
            ),
            "notes or values typed beside the report. Delete those cells in Excel, or export the report again",
        ),
        Unused::FieldCount => (
            format!(
                "{} a different number of cells than the header row ({header_width} cells)",
                if n == 1 { "has" } else { "have" }
            ),
            "a cell holding the delimiter without quotes, or a row cut short. Export the report again, or fix the rows in a text editor",
        ),
        Unused::UnclosedQuote => (
            format!(
                "{} a quoted cell that never ends: everything after it ({swallowed_lines} more line{}) was read as one cell",
                if n == 1 { "starts" } else { "start" },
                if swallowed_lines == 1 { "" } else { "s" }
            ),
            "a stray double quote. Remove it in a text editor, or export the report again",
        ),
        Unused::Oversized => (
            format!(
                "{} longer than {MAX_RECORD_BYTES} bytes or {MAX_FIELDS} cells",
                if n == 1 { "is" } else { "are" }
            ),
            "not rows of an ES-003 export. Export the report again",
        ),
        Unused::NoEntryNumber => (
            format!("{} no entry number", if n == 1 { "has" } else { "have" }),
            "rows of totals or notes, or a cleared cell. Fill in the entry number, or delete the rows if they are not tariff rows",
        ),
    };
    let noun = if n == 1 { "Row" } else { "Rows" };
    Finding::new(
        Code::MalformedRow,
        format!(
            "{noun} {} of '{name}'{} {what}, so {} not used. Likely cause: {fix}.",
            rows.describe(),
            if n == 1 {
                String::new()
            } else {
                format!(" ({n} in all)")
            },
            if n == 1 { "it was" } else { "they were" }
        ),
        rows.clone(),
    )
}

pub(super) fn claim_details_without_status(name: &str, at: Rows) -> Finding {
    Finding::new(
        Code::MissingColumn,
        format!(
            "'{name}' looks like CAPE Claim Details but has neither a STATUS nor an ERROR_DESCRIPTION column, so none of its rows were used. Download Claim Details again from the CAPE tab in the ACE Portal."
        ),
        at,
    )
}

/// An ES-003 without a column every export has: `missing` names them.
pub(super) fn missing_required(name: &str, header_row: u32, missing: &[&str], at: Rows) -> Finding {
    Finding::new(
        Code::MissingColumn,
        format!(
            "The header in row {header_row} of '{name}' has no {} column, which every ES-003 export has, so none of its rows were used. Is this the ES-003 report (Entry Summary Line Tariff Details)? Export it again from ACE Reports with its default fields.",
            missing.join(" and no ")
        ),
        at,
    )
}

/// An ES-003 without an optional group of columns (see [`OPTIONAL_COLUMNS`]).
pub(super) fn missing_optional(name: &str, names: &[&str], skipped: &str, at: Rows) -> Finding {
    Finding::with_severity(
        Code::MissingColumn,
        Severity::Warning,
        format!(
            "'{name}' has no {} column, so {skipped}. In ACE Reports, open the ES-003 report, add the field{} {} to the report's columns, and export again.",
            names.join(" or "),
            if names.len() > 1 { "s" } else { "" },
            names.join(" and "),
        ),
        at,
    )
}

/// One reason CAPE's initial validation would fail a declaration file.
pub(super) fn declaration_format(
    name: &str,
    problem: &str,
    rows: Rows,
    wording: &Wording,
) -> Finding {
    Finding::new(
        Code::DeclarationFormat,
        format!(
            "CAPE would fail declaration '{name}' as it is (Failed initial validation): {problem}. cape-check's declaration file ({}) holds the entries that pass, corrected.",
            wording.corrected_declaration
        ),
        rows,
    )
}

/// The spreadsheet letters of the 1-based column `n` (1: A, 27: AA).
fn column_letters(mut n: usize) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// What a file without an entry-number header seems to be, from its first
/// row, so that the message can name it.
fn seems_to_be(first_row: &str) -> &'static str {
    const KINDS: [(&[&str], &str); 8] = [
        (
            &["claim"],
            "a CAPE claim file without an ENTRY_NUMBER column",
        ),
        (&["protest"], "a protest report"),
        (&["drawback"], "a drawback report"),
        (&["statement"], "a statement report"),
        (&["bond"], "a bond report"),
        (
            &[
                "invoice",
                "part number",
                "sku",
                "purchase order",
                "po number",
            ],
            "an invoice, parts or purchase-order spreadsheet",
        ),
        (
            &["importer", "ior"],
            "an importer-level ACE report (importer numbers, but no entry numbers)",
        ),
        (
            &["entry", "hts", "tariff", "duty"],
            "a customs report without entry numbers",
        ),
    ];
    let row = first_row.to_ascii_lowercase();
    KINDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| row.contains(w)))
        .map_or("not a customs report", |(_, kind)| kind)
}

/// A workbook that was not read: too large once opened (see
/// `workbook.rs`), damaged, encrypted, or not a workbook. calamine's own
/// words never reach the user.
#[cfg(feature = "xlsx")]
pub(super) fn workbook_refused(name: &str, problem: &super::workbook::WorkbookError) -> Finding {
    use super::workbook::{
        WorkbookError, MAX_ITEM_BYTES, MAX_KEPT_BYTES, MAX_PARTS, MAX_PART_BYTES,
    };
    use crate::values::text::grouped;
    const CSV: &str = "Export the ES-003 from ACE Reports as CSV and use that file: a CSV is read as a stream, whatever its size.";
    const AGAIN: &str = "Export the ES-003 again from ACE Reports, as CSV if you can.";
    let message = match problem {
        WorkbookError::PartTooLarge { part } => format!(
            "'{name}' is a workbook that expands to more than {} MB when opened ({}, '{part}', alone), far more than an ES-003 export needs, so it was not read. {CSV}",
            MAX_PART_BYTES >> 20,
            workbook_part(part),
        ),
        WorkbookError::ItemTooLarge { part } => format!(
            "'{name}' is a workbook with a single cell or piece of text that expands to more than {} MB when opened (in {}, '{part}'). Excel allows 32,767 characters in a cell, so the file is damaged or was not made by ACE or Excel, and it was not read. {AGAIN}",
            MAX_ITEM_BYTES >> 20,
            workbook_part(part),
        ),
        WorkbookError::KeepsTooMuch { part } => format!(
            "'{name}' is a workbook that would take more than {} MB of memory to open (the limit was reached reading {}, '{part}'), far more than an ES-003 export needs, so it was not read. {CSV}",
            MAX_KEPT_BYTES >> 20,
            workbook_part(part),
        ),
        WorkbookError::TooManyParts => format!(
            "'{name}' is a ZIP archive of more than {} files (an Excel workbook has a few dozen inside), so it was not read. Check that it is the ES-003 you meant. {AGAIN}",
            grouped(MAX_PARTS as u64),
        ),
        WorkbookError::Damaged => format!(
            "'{name}' is a damaged workbook, or not a complete one (as when a download is cut short), so it was not read. {AGAIN}"
        ),
        WorkbookError::Password => format!(
            "'{name}' is a workbook whose contents are encrypted with a password, so it was not read. Open it in Excel, remove the password and save it as .xlsx, or export the ES-003 from ACE Reports as CSV."
        ),
        WorkbookError::UnsupportedCompression => format!(
            "'{name}' is a workbook compressed in a way Excel does not use, so it was not read. Open it in Excel and save it as .xlsx, or export the ES-003 from ACE Reports as CSV."
        ),
        WorkbookError::NotAWorkbook => format!(
            "'{name}' is a ZIP archive but holds no Excel workbook (an .xlsx file is a ZIP archive with a workbook inside), so it was not read. Check that it is the ES-003 you meant; export the ES-003 from ACE Reports as CSV."
        ),
        WorkbookError::NoSheets => return workbook_unreadable(name, "it has no sheets"),
    };
    Finding::new(Code::UnreadableFile, message, Rows::new())
}

/// What a part of a workbook holds, in words.
#[cfg(feature = "xlsx")]
fn workbook_part(part: &str) -> &'static str {
    let part = part.replace('\\', "/").to_ascii_lowercase();
    if part.ends_with("sharedstrings.xml") {
        "its table of shared texts"
    } else if part.ends_with("styles.xml") {
        "its cell formats"
    } else if part.contains("theme") {
        "its color theme"
    } else if part.ends_with(".rels") {
        "its table of contents"
    } else if part.ends_with("workbook.xml") {
        "its list of sheets"
    } else {
        "its sheet data"
    }
}
