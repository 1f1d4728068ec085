//! One input file from its first byte to its last: what it is, its
//! encoding and delimiter, where its header row is, and every row after it
//! handed to a [`RowSink`] or accounted for as not used, with the reason.
//!
//! Pushed in chunks of any size; the outcome never depends on how the file
//! was cut (the sniffing decisions are made on fixed prefixes).

use crate::columns::{names_entry_column, Columns, Field, FileKind};
use crate::decode::{cell_text, sniff, Sniffed, Utf16Decoder, SNIFF_BYTES};
use crate::finding::{Code, Finding, Rows};
use crate::part::{Reader, Writer};
#[cfg(feature = "xlsx")]
use crate::record::RecordBuilder;
use crate::record::{Record, RecordProblem, RecordReader};
use crate::rules::RuleSet;
use std::borrow::Cow;

/// The header row is looked for in this many rows (rules.md section 1).
pub const HEADER_SEARCH_ROWS: u32 = 50;
/// The largest workbook read into memory (without the `xlsx` feature, none is).
#[cfg(feature = "xlsx")]
pub use crate::workbook::MAX_WORKBOOK_BYTES;
#[cfg(not(feature = "xlsx"))]
pub const MAX_WORKBOOK_BYTES: usize = 0;
/// The delimiter and header are decided on this much of the file's start.
pub const SNIFF_PREFIX_BYTES: usize = 1 << 20;
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// Where the data rows of a file go.
pub trait RowSink {
    /// Takes one data row of file number `file`. Says whether it was used.
    fn row(
        &mut self,
        file: usize,
        kind: FileKind,
        columns: &Columns,
        record: &Record<'_>,
    ) -> RowUse;
}

/// What became of a data row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowUse {
    /// Used.
    Used,
    /// Not used, for this reason.
    Unused(Unused),
}

/// Why a row was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unused {
    FieldCount,
    UnclosedQuote,
    Oversized,
    NoEntryNumber,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Collecting the first bytes to sniff.
    Head,
    /// Collecting the prefix to find the delimiter and header in.
    Prefix,
    /// Rows flow.
    Rows,
    /// Not text: nothing more is read.
    Binary(&'static str),
    /// An XLSX workbook: held whole, read at the end.
    Workbook,
}

#[derive(Debug)]
struct Header {
    row: u32,
    kind: FileKind,
    columns: Columns,
    /// The header's cells (for a helper reading the file's second part).
    cells: Vec<String>,
}

/// The reader of one file. See the module documentation.
#[derive(Debug)]
pub struct FileReader {
    index: usize,
    name: String,
    stage: Stage,
    head: Vec<u8>,
    prefix: Vec<u8>,
    utf16: Option<Utf16Decoder>,
    transcoded: Vec<u8>,
    tokenizer: RecordReader,
    header: Option<Header>,
    /// Data rows go to the sink only when the file is usable.
    usable: bool,
    title_rows: Rows,
    /// The header row again, below the header.
    repeated_headers: Rows,
    /// Lines read into a quoted cell that never ends.
    swallowed_lines: u64,
    unused: Vec<(Unused, Rows)>,
    windows_1252: bool,
    utf16_input: bool,
    bytes_read: u64,
    findings: Vec<Finding>,
    first_line: Option<String>,
    /// A UTF-8 BOM started the file.
    bom: bool,
    /// The bytes of a workbook (dropped if it grows past the limit).
    workbook: Vec<u8>,
    workbook_too_large: bool,
    /// Why a workbook could not be opened.
    workbook_error: Option<String>,
    declaration: DeclarationChecks,
    /// The delimiter and header are decided on this much of the start.
    sniff_prefix: usize,
    /// A helper's part of the file was joined: no second join.
    joined: bool,
}

/// What CAPE's initial validation of a declaration file looks at
/// (rules.md section 6), gathered while the file is read.
#[derive(Debug, Default)]
struct DeclarationChecks {
    header_text: String,
    blank_rows: Rows,
    extra_cells: Rows,
    entries: usize,
    max_entries: usize,
    max_bytes: usize,
}

/// What a file came to, once read.
#[derive(Debug)]
pub struct FileOutcome {
    pub name: String,
    pub kind: Option<FileKind>,
    pub rows: u32,
    pub findings: Vec<Finding>,
}

impl FileReader {
    /// A reader for file number `index` called `name`.
    pub fn new(index: usize, name: &str, rules: &RuleSet) -> FileReader {
        FileReader {
            index,
            name: name.to_string(),
            stage: Stage::Head,
            head: Vec::with_capacity(SNIFF_BYTES),
            prefix: Vec::new(),
            utf16: None,
            transcoded: Vec::new(),
            tokenizer: RecordReader::new(b','),
            header: None,
            usable: false,
            title_rows: Rows::new(),
            repeated_headers: Rows::new(),
            swallowed_lines: 0,
            unused: Vec::new(),
            windows_1252: false,
            utf16_input: false,
            bytes_read: 0,
            findings: Vec::new(),
            first_line: None,
            bom: false,
            workbook: Vec::new(),
            workbook_too_large: false,
            workbook_error: None,
            declaration: DeclarationChecks {
                max_entries: rules.max_entries_per_declaration,
                max_bytes: rules.max_declaration_bytes,
                ..DeclarationChecks::default()
            },
            sniff_prefix: SNIFF_PREFIX_BYTES,
            joined: false,
        }
    }

    /// Bytes pushed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Reads the next chunk.
    pub fn feed<S: RowSink>(&mut self, chunk: &[u8], sink: &mut S) {
        self.bytes_read += chunk.len() as u64;
        match self.stage {
            Stage::Head => {
                self.head.extend_from_slice(chunk);
                if self.head.len() >= SNIFF_BYTES {
                    self.start(sink);
                }
            }
            Stage::Binary(_) => {}
            Stage::Workbook => self.hold_workbook(chunk),
            Stage::Prefix | Stage::Rows => self.text(chunk, sink),
        }
    }

    /// The end of the file: reads what is left and says what the file was.
    pub fn finish<S: RowSink>(mut self, sink: &mut S) -> FileOutcome {
        if self.stage == Stage::Head {
            self.start(sink);
        }
        if let Some(mut decoder) = self.utf16.take() {
            let mut rest = Vec::new();
            decoder.finish(&mut rest);
            self.utf8(&rest, sink);
        }
        if self.stage == Stage::Prefix {
            self.decide(true);
            let prefix = std::mem::take(&mut self.prefix);
            self.tokenize(&prefix, sink);
        }
        let rows = if self.stage == Stage::Workbook {
            self.read_workbook(sink)
        } else {
            let mut tokenizer = std::mem::replace(&mut self.tokenizer, RecordReader::new(b','));
            tokenizer.finish(&mut |record: &Record<'_>| self.record(record, sink));
            tokenizer.rows()
        };
        self.conclude(rows);
        FileOutcome {
            name: self.name,
            kind: self.header.as_ref().map(|h| h.kind),
            rows,
            findings: self.findings,
        }
    }

    fn start<S: RowSink>(&mut self, sink: &mut S) {
        let head = std::mem::take(&mut self.head);
        // Decided on the first bytes only, however large the first chunk.
        let (sniffed, skip) = sniff(&head[..head.len().min(SNIFF_BYTES)]);
        match sniffed {
            Sniffed::Binary(_) if cfg!(feature = "xlsx") && head.starts_with(b"PK\x03\x04") => {
                self.stage = Stage::Workbook;
                self.hold_workbook(&head);
            }
            Sniffed::Binary(what) => self.stage = Stage::Binary(what),
            Sniffed::Utf16 { little_endian } => {
                self.utf16 = Some(Utf16Decoder::new(little_endian));
                self.utf16_input = true;
                self.stage = Stage::Prefix;
                self.text(&head[skip..], sink);
            }
            Sniffed::Utf8 => {
                self.bom = skip > 0;
                self.stage = Stage::Prefix;
                self.text(&head[skip..], sink);
            }
        }
    }

    fn hold_workbook(&mut self, bytes: &[u8]) {
        if self.workbook_too_large {
            return;
        }
        if self.workbook.len() + bytes.len() > MAX_WORKBOOK_BYTES {
            self.workbook_too_large = true;
            self.workbook = Vec::new();
            return;
        }
        self.workbook.extend_from_slice(bytes);
    }

    /// Reads the data sheet of a workbook through the same header search
    /// and row handling as CSV; returns the last row number.
    #[cfg(feature = "xlsx")]
    fn read_workbook<S: RowSink>(&mut self, sink: &mut S) -> u32 {
        if self.workbook_too_large {
            return 0;
        }
        let bytes = std::mem::take(&mut self.workbook);
        let mut builder = RecordBuilder::default();
        let mut searched = 0u32;
        let mut last_row = 0;
        let mut above_header = Rows::new();
        let result =
            crate::workbook::read_workbook(&bytes, HEADER_SEARCH_ROWS as usize, |row, cells| {
                last_row = row;
                builder.set(cells.iter().map(String::as_str));
                let record = builder.record(row);
                if self.header.is_some() {
                    self.record(&record, sink);
                    return;
                }
                searched += 1;
                if searched > HEADER_SEARCH_ROWS {
                    return;
                }
                let columns = Columns::from_header(cells.iter().map(String::as_str));
                if let Some(kind) = columns.kind() {
                    self.header = Some(Header {
                        row,
                        kind,
                        columns,
                        cells: Vec::new(),
                    });
                    self.title_rows = std::mem::take(&mut above_header);
                    self.usable = self.check_columns(row);
                    return;
                }
                if self.first_line.is_none() && !record.is_blank() {
                    let line = cells.join(",");
                    self.first_line = Some(line.chars().take(120).collect());
                }
                above_header.push(row);
            });
        if let Err(why) = result {
            self.workbook_error = Some(why);
        }
        last_row
    }

    #[cfg(not(feature = "xlsx"))]
    fn read_workbook<S: RowSink>(&mut self, _sink: &mut S) -> u32 {
        0
    }

    fn text<S: RowSink>(&mut self, bytes: &[u8], sink: &mut S) {
        match self.utf16.as_mut() {
            Some(decoder) => {
                let mut out = std::mem::take(&mut self.transcoded);
                out.clear();
                decoder.decode(bytes, &mut out);
                self.utf8(&out, sink);
                self.transcoded = out;
            }
            None => self.utf8(bytes, sink),
        }
    }

    fn utf8<S: RowSink>(&mut self, bytes: &[u8], sink: &mut S) {
        match self.stage {
            Stage::Prefix => {
                self.prefix.extend_from_slice(bytes);
                // Counted from the file's first byte, the BOM included: the
                // header is decided once the first `sniff_prefix` bytes of
                // the file are in, whether or not it starts with a BOM (the
                // browser splits a file after its first MiB).
                let bom = if self.bom { 3 } else { 0 };
                if self.prefix.len() + bom >= self.sniff_prefix {
                    self.decide(false);
                    let prefix = std::mem::take(&mut self.prefix);
                    self.tokenize(&prefix, sink);
                }
            }
            Stage::Rows => self.tokenize(bytes, sink),
            Stage::Head | Stage::Binary(_) | Stage::Workbook => {}
        }
    }

    fn tokenize<S: RowSink>(&mut self, bytes: &[u8], sink: &mut S) {
        let mut tokenizer = std::mem::replace(&mut self.tokenizer, RecordReader::new(b','));
        tokenizer.feed(bytes, &mut |record: &Record<'_>| self.record(record, sink));
        self.tokenizer = tokenizer;
    }

    /// Finds the delimiter and the header row in the prefix.
    fn decide(&mut self, at_end: bool) {
        self.stage = Stage::Rows;
        let sample = &self.prefix[..self.prefix.len().min(self.sniff_prefix)];
        if sample.contains(&0) {
            self.stage = Stage::Binary("binary data (it contains NUL bytes), not text");
            return;
        }
        let mut best: Option<(u32, usize, u8, Columns, Vec<String>)> = None;
        for delimiter in DELIMITERS {
            let mut found: Option<(u32, Columns, Vec<String>)> = None;
            let mut look = |record: &Record<'_>| {
                if found.is_some() || record.row > HEADER_SEARCH_ROWS {
                    return;
                }
                let cells: Vec<Cow<'_, str>> =
                    (0..record.len()).filter_map(|i| record.text(i)).collect();
                let columns = Columns::from_header(cells.iter().map(|c| c.as_ref()));
                if columns.kind().is_some() {
                    let cells = cells.into_iter().map(Cow::into_owned).collect();
                    found = Some((record.row, columns, cells));
                }
            };
            let mut probe = RecordReader::new(delimiter);
            probe.feed(sample, &mut look);
            if at_end {
                probe.finish(&mut look);
            }
            if let Some((row, columns, cells)) = found {
                let better = match &best {
                    None => true,
                    Some((best_row, best_matched, ..)) => {
                        row < *best_row || (row == *best_row && columns.matched() > *best_matched)
                    }
                };
                if better {
                    best = Some((row, columns.matched(), delimiter, columns, cells));
                }
            }
        }
        match best {
            Some((row, _, delimiter, columns, cells)) => {
                self.tokenizer = RecordReader::new(delimiter);
                let kind = columns.kind().unwrap_or(FileKind::Es003);
                self.header = Some(Header {
                    row,
                    kind,
                    columns,
                    cells,
                });
                self.usable = self.check_columns(row);
            }
            None => {
                let first = sample
                    .split(|&b| b == b'\n' || b == b'\r')
                    .find(|line| !line.iter().all(u8::is_ascii_whitespace))
                    .map(|line| cell_text(&line[..line.len().min(120)]).0.into_owned());
                self.first_line = first;
            }
        }
    }

    /// Missing-column findings; false when the file cannot be used at all.
    fn check_columns(&mut self, header_row: u32) -> bool {
        let Some(header) = &self.header else {
            return false;
        };
        let at = Rows::one(header_row);
        match header.kind {
            FileKind::Es003 => {}
            FileKind::Declaration => return true,
            FileKind::ClaimDetails => {
                if header.columns.has(Field::ClaimStatus)
                    || header.columns.has(Field::ErrorDescription)
                {
                    return true;
                }
                self.findings.push(Finding::new(
                    Code::MissingColumn,
                    format!(
                        "'{}' looks like CAPE Claim Details but has neither a STATUS nor an ERROR_DESCRIPTION column, so none of its rows were used. Download Claim Details again from the CAPE tab in the ACE Portal.",
                        self.name
                    ),
                    at,
                ));
                return false;
            }
        }
        let columns = &header.columns;
        let required = [Field::Hts, Field::Duty];
        let missing: Vec<&str> = required
            .iter()
            .filter(|f| !columns.has(**f))
            .map(|f| f.header_name())
            .collect();
        if !missing.is_empty() {
            self.findings.push(Finding::new(
                Code::MissingColumn,
                format!(
                    "The header in row {header_row} of '{}' has no {} column, which every ES-003 export has, so none of its rows were used. Is this the ES-003 report (Entry Summary Line Tariff Details)? Export it again from ACE Reports with its default fields.",
                    self.name,
                    missing.join(" and no ")
                ),
                at,
            ));
            return false;
        }
        let optional: [(&[Field], &str); 3] = [
            (&[Field::Importer], "the importer of record check (ACCOUNT MISMATCH) is skipped"),
            (&[Field::EntryType], "the entry type check (ENTRY TYPE NOT ALLOWED) is skipped"),
            (
                &[Field::LiquidationStatus, Field::LiquidationDate],
                "the 80-day liquidation window cannot be checked from data; it is estimated from the entry summary date",
            ),
        ];
        for (fields, skipped) in optional {
            if fields.iter().any(|f| columns.has(*f)) {
                continue;
            }
            let names: Vec<&str> = fields.iter().map(|f| f.header_name()).collect();
            self.findings.push(Finding::with_severity(
                Code::MissingColumn,
                crate::finding::Severity::Warning,
                format!(
                    "'{}' has no {} column, so {skipped}. In ACE Reports, open the ES-003 report, add the field{} {} to the report's columns, and export again.",
                    self.name,
                    names.join(" or "),
                    if names.len() > 1 { "s" } else { "" },
                    names.join(" and "),
                ),
                at.clone(),
            ));
        }
        true
    }

    fn record<S: RowSink>(&mut self, record: &Record<'_>, sink: &mut S) {
        let Some(header) = &self.header else { return };
        if record.row < header.row {
            self.title_rows.push(record.row);
            return;
        }
        if record.row == header.row {
            if header.kind == FileKind::Declaration {
                let entry_column = header.columns.get(Field::Entry).unwrap_or(0);
                self.declaration.header_text =
                    record.text(entry_column).unwrap_or_default().into_owned();
                if record
                    .iter()
                    .enumerate()
                    .any(|(i, cell)| i != entry_column && !cell.is_empty())
                {
                    self.declaration.extra_cells.push(record.row);
                }
            }
            return;
        }
        if !self.usable {
            return;
        }
        if header.kind == FileKind::Declaration && record.problem.is_none() {
            // One column: blank rows and extra cells are CAPE's concern, not ours.
            let entry_column = header.columns.get(Field::Entry).unwrap_or(0);
            if record
                .iter()
                .enumerate()
                .any(|(i, cell)| i != entry_column && !cell.iter().all(u8::is_ascii_whitespace))
            {
                self.declaration.extra_cells.push(record.row);
            }
            if record
                .get(entry_column)
                .is_none_or(|c| c.iter().all(u8::is_ascii_whitespace))
            {
                self.declaration.blank_rows.push(record.row);
                return;
            }
            self.windows_1252 |= !record.is_utf8();
            self.declaration.entries += 1;
            if let RowUse::Unused(reason) =
                sink.row(self.index, header.kind, &header.columns, record)
            {
                self.unused_row(reason, record.row);
            }
            return;
        }
        let reason = match record.problem {
            Some(RecordProblem::UnclosedQuote) => {
                // Lines inside the endless cell (at least: a cell past the
                // record limit keeps only its start).
                let lines = record
                    .iter()
                    .map(|cell| {
                        let end = cell
                            .iter()
                            .rposition(|b| !matches!(b, b'\r' | b'\n'))
                            .map_or(0, |k| k + 1);
                        cell[..end].iter().filter(|&&b| b == b'\n').count() as u64
                    })
                    .sum::<u64>();
                self.swallowed_lines = self.swallowed_lines.saturating_add(lines);
                Some(Unused::UnclosedQuote)
            }
            Some(RecordProblem::Oversized) => Some(Unused::Oversized),
            None if record.is_blank() => return,
            None if header.kind == FileKind::Es003
                && header
                    .columns
                    .get(Field::Entry)
                    .and_then(|i| record.text(i))
                    .is_some_and(|c| names_entry_column(&c)) =>
            {
                // The header again: exports concatenated one after another.
                self.repeated_headers.push(record.row);
                return;
            }
            None if record.len() != header.columns.width => Some(Unused::FieldCount),
            None => {
                // Cells that are not UTF-8 are read as Windows-1252; say so once.
                self.windows_1252 |= !record.is_utf8();
                match sink.row(self.index, header.kind, &header.columns, record) {
                    RowUse::Used => None,
                    RowUse::Unused(reason) => Some(reason),
                }
            }
        };
        if let Some(reason) = reason {
            self.unused_row(reason, record.row);
        }
    }

    fn unused_row(&mut self, reason: Unused, row: u32) {
        match self.unused.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, rows)) => rows.push(row),
            None => self.unused.push((reason, Rows::one(row))),
        }
    }

    /// CAPE's initial validation of a declaration file: every reason it
    /// would fail the file as it is.
    fn declaration_findings(&mut self, header_row: u32) {
        let name = &self.name;
        let d = &self.declaration;
        let mut problems: Vec<(String, Rows)> = Vec::new();
        if header_row != 1 || d.header_text != "Entry Number" {
            let mut why = Vec::new();
            if header_row != 1 {
                why.push(format!("it is in row {header_row}, below other rows"));
            }
            if d.header_text != "Entry Number" {
                why.push(format!(
                    "it reads '{}'",
                    d.header_text.trim_start_matches('\u{FEFF}')
                ));
            }
            problems.push((
                format!(
                    "the header must be exactly 'Entry Number' in row 1, but {}",
                    why.join(" and ")
                ),
                Rows::one(header_row),
            ));
        }
        if self.bom {
            problems.push(("it starts with a byte order mark (saved as \"CSV UTF-8\"); CAPE expects plain \"CSV (Comma delimited)\"".into(), Rows::one(1)));
        }
        if self.utf16_input {
            problems.push((
                "it is UTF-16 text (\"Unicode text\"), not CSV".into(),
                Rows::new(),
            ));
        }
        if !d.extra_cells.is_empty() {
            problems.push((
                format!(
                    "it has cells in other columns ({}); a declaration has one column",
                    d.extra_cells.label()
                ),
                d.extra_cells.clone(),
            ));
        }
        if !d.blank_rows.is_empty() {
            problems.push((
                format!("it has blank rows ({})", d.blank_rows.label()),
                d.blank_rows.clone(),
            ));
        }
        if d.entries > d.max_entries {
            problems.push((
                format!(
                    "it lists {} entries; a declaration may hold {}",
                    d.entries, d.max_entries
                ),
                Rows::new(),
            ));
        }
        if self.bytes_read >= d.max_bytes as u64 {
            problems.push((
                format!(
                    "it is {} bytes; a declaration must be under {} bytes",
                    self.bytes_read, d.max_bytes
                ),
                Rows::new(),
            ));
        }
        if !self.unused.is_empty() {
            problems.push((
                "some rows cannot be read as CSV (see the malformed-row finding)".into(),
                Rows::new(),
            ));
        }
        for (problem, rows) in problems {
            self.findings.push(Finding::new(
                Code::DeclarationFormat,
                format!("CAPE would fail declaration '{name}' as it is (Failed initial validation): {problem}. cape-check's declaration file (written with --out, or downloaded from the page) holds the entries that pass, corrected."),
                rows,
            ));
        }
    }

    /// The file findings, once every row is read.
    fn conclude(&mut self, rows: u32) {
        let header_row = self.header.as_ref().map_or(1, |h| h.row);
        if self
            .header
            .as_ref()
            .is_some_and(|h| h.kind == FileKind::Declaration)
        {
            self.declaration_findings(header_row);
        }
        let name = &self.name;
        if self.workbook_too_large {
            self.findings.push(Finding::new(
                Code::UnreadableFile,
                format!("'{name}' is an XLSX workbook of more than {} MB: a workbook must be read whole, and this one is too large for memory. Export the ES-003 from ACE Reports as CSV instead: CSV is read as a stream, whatever its size.", MAX_WORKBOOK_BYTES >> 20),
                Rows::new(),
            ));
            return;
        }
        if let Some(why) = &self.workbook_error {
            self.findings.push(Finding::new(
                Code::UnreadableFile,
                format!("'{name}' is a ZIP file but not a workbook that can be read ({why}). If it is damaged, export the ES-003 again from ACE Reports, as CSV if you can."),
                Rows::new(),
            ));
            return;
        }
        if let Stage::Binary(what) = self.stage {
            let hint = if what.contains("ZIP") {
                " XLSX workbooks are not read by this build of cape-check: in ACE Reports export the ES-003 as CSV, or open the workbook in Excel and save its Main Report sheet as CSV (then do not edit it)."
            } else if what.contains("xls") {
                " If it is a password-protected workbook, remove the password in Excel (File > Info > Protect Workbook) and save it as .xlsx; if it is an old .xls, save it as .xlsx or CSV."
            } else {
                " Export the ES-003 report (Entry Summary Line Tariff Details) from ACE Reports as CSV and use that file."
            };
            self.findings.push(Finding::new(
                Code::UnreadableFile,
                format!("'{name}' is {what}, not a CSV or text export, so it was not read.{hint}"),
                Rows::new(),
            ));
            return;
        }
        if self.header.is_none() {
            let blank = self.first_line.is_none();
            if blank {
                self.findings.push(Finding::new(
                    Code::EmptyFile,
                    format!("'{name}' has no rows{}. Export the ES-003 report again from ACE Reports; check that its date range and importer select some entries.",
                        if self.bytes_read == 0 { " (it is 0 bytes)" } else { " with anything in them" }),
                    Rows::new(),
                ));
            } else {
                self.findings.push(Finding::new(
                    Code::NoHeaderRow,
                    format!(
                        "'{name}' seems to be {}: no row among its first {HEADER_SEARCH_ROWS} names an entry-number column (looked for Entry Summary Number, Entry Number, Entry No, Entry Summary #); its first row reads '{}'. None of its {rows} rows were used. cape-check needs the ES-003 report (Entry Summary Line Tariff Details) exported from ACE Reports as CSV, a CAPE Declaration, or CAPE Claim Details.",
                        seems_to_be(self.first_line.as_deref().unwrap_or_default()),
                        self.first_line.as_deref().unwrap_or_default()
                    ),
                    Rows::one(1),
                ));
            }
            return;
        }
        if !self.title_rows.is_empty() {
            self.findings.push(Finding::new(
                Code::TitleRowsSkipped,
                format!(
                    "Title or parameter rows above the header (row {header_row}) of '{name}' were skipped: {}.",
                    self.title_rows.label()
                ),
                self.title_rows.clone(),
            ));
        }
        if !self.repeated_headers.is_empty() {
            self.findings.push(Finding::new(
                Code::TitleRowsSkipped,
                format!(
                    "The header row appears again in '{name}' ({}), as when exports are pasted one after another; skipped. Nothing to do.",
                    self.repeated_headers.label()
                ),
                self.repeated_headers.clone(),
            ));
        }
        if self.utf16_input {
            self.findings.push(Finding::new(
                Code::EncodingConverted,
                format!("'{name}' is UTF-16 text (Excel's \"Unicode text\", tab-delimited or not) and was converted. Nothing to do."),
                Rows::new(),
            ));
        } else if self.windows_1252 {
            self.findings.push(Finding::new(
                Code::EncodingConverted,
                format!("Some cells of '{name}' are Windows-1252, not UTF-8 (Excel's \"CSV (Comma delimited)\" writes it), and were converted. Nothing to do."),
                Rows::new(),
            ));
        }
        if rows <= header_row && self.usable {
            self.findings.push(Finding::new(
                Code::EmptyFile,
                format!("'{name}' has a header row (row {header_row}) but no data rows below it. Check the report's date range and importer in ACE Reports and export again."),
                Rows::one(header_row),
            ));
        }
        self.unused.sort_by_key(|(reason, _)| *reason);
        for (reason, rows_unused) in &self.unused {
            let n = rows_unused.len();
            let (what, fix) = match reason {
                Unused::FieldCount => (
                    format!("{} a different number of cells than the header row ({} cells)", if n == 1 { "has" } else { "have" },
                        self.header.as_ref().map_or(0, |h| h.columns.width)),
                    "a cell holding the delimiter without quotes, or a row cut short. Export the report again, or fix the rows in a text editor",
                ),
                Unused::UnclosedQuote => (
                    format!(
                        "{} a quoted cell that never ends: everything after it ({} more line{}) was read as one cell",
                        if n == 1 { "starts" } else { "start" },
                        self.swallowed_lines,
                        if self.swallowed_lines == 1 { "" } else { "s" }
                    ),
                    "a stray double quote. Remove it in a text editor, or export the report again",
                ),
                Unused::Oversized => (
                    format!("{} longer than {} bytes or {} cells", if n == 1 { "is" } else { "are" }, crate::record::MAX_RECORD_BYTES, crate::record::MAX_FIELDS),
                    "not rows of an ES-003 export. Export the report again",
                ),
                Unused::NoEntryNumber => (
                    format!("{} no entry number", if n == 1 { "has" } else { "have" }),
                    "rows of totals or notes, or a cleared cell. Fill in the entry number, or delete the rows if they are not tariff rows",
                ),
            };
            let noun = if n == 1 { "Row" } else { "Rows" };
            self.findings.push(Finding::new(
                Code::MalformedRow,
                format!(
                    "{noun} {} of '{name}'{} {what}, so {} not used. Likely cause: {fix}.",
                    rows_unused.describe(),
                    if n == 1 {
                        String::new()
                    } else {
                        format!(" ({n} in all)")
                    },
                    if n == 1 { "it was" } else { "they were" }
                ),
                rows_unused.clone(),
            ));
        }
    }
}

/// The first bytes of a part spec and of a part: a part from another build
/// or of another kind is refused, not misread.
const PART_MAGIC: &[u8; 4] = b"cc1\0";

/// The file-level facts of a helper's part, read back.
#[derive(Debug)]
pub(crate) struct FilePart {
    rows: u32,
    bytes: u64,
    repeated_headers: Rows,
    swallowed_lines: u64,
    windows_1252: bool,
    unused: Vec<(Unused, Rows)>,
}

/// Reading one file in two parts (see [`crate::part`]).
impl FileReader {
    /// Which file of the audit this is.
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    /// Decides the delimiter and header on this much of the file's start
    /// (tests split small files; users get [`SNIFF_PREFIX_BYTES`]).
    pub(crate) fn set_sniff_prefix(&mut self, bytes: usize) {
        self.sniff_prefix = bytes.max(1);
    }

    /// Whether rows of an ES-003 flow, UTF-8 or Windows-1252, from a usable
    /// header: the only files a helper can read a part of.
    fn splittable(&self) -> bool {
        self.stage == Stage::Rows
            && self.utf16.is_none()
            && self.usable
            && !self.joined
            && self
                .header
                .as_ref()
                .is_some_and(|h| h.kind == FileKind::Es003)
    }

    /// What a helper needs: the file's index, delimiter and header cells.
    pub(crate) fn part_spec(&self) -> Option<Vec<u8>> {
        if !self.splittable() {
            return None;
        }
        let header = self.header.as_ref()?;
        let mut w = Writer::default();
        w.bytes.extend_from_slice(PART_MAGIC);
        w.u64(self.index as u64);
        w.bytes.push(self.tokenizer.delimiter());
        w.u64(header.cells.len() as u64);
        for cell in &header.cells {
            w.str(cell);
        }
        Some(w.bytes)
    }

    /// A helper's reader: every record is a data row, numbered from 1.
    pub(crate) fn for_part(spec: &[u8]) -> Option<FileReader> {
        let mut r = Reader::new(spec.strip_prefix(PART_MAGIC)?, 0);
        let index = usize::try_from(r.u64()?).ok()?;
        let delimiter = *r.take(1)?.first()?;
        let mut cells = Vec::new();
        for _ in 0..r.len()? {
            cells.push(r.str()?.to_string());
        }
        if !r.at_end() || !DELIMITERS.contains(&delimiter) {
            return None;
        }
        let columns = Columns::from_header(cells.iter().map(String::as_str));
        if columns.kind() != Some(FileKind::Es003) {
            return None;
        }
        let mut reader = FileReader::new(index, "", &RuleSet::default());
        reader.stage = Stage::Rows;
        reader.tokenizer = RecordReader::new(delimiter);
        reader.usable = true;
        reader.header = Some(Header {
            row: 0,
            kind: FileKind::Es003,
            columns,
            cells,
        });
        Some(reader)
    }

    /// The helper's end of the file: its file-level facts, encoded.
    pub(crate) fn write_part<S: RowSink>(&mut self, sink: &mut S, w: &mut Writer) {
        let mut tokenizer = std::mem::replace(&mut self.tokenizer, RecordReader::new(b','));
        tokenizer.finish(&mut |record: &Record<'_>| self.record(record, sink));
        w.bytes.extend_from_slice(PART_MAGIC);
        w.u32(tokenizer.rows());
        w.u64(self.bytes_read);
        w.rows(&self.repeated_headers);
        w.u64(self.swallowed_lines);
        w.bool(self.windows_1252);
        w.u64(self.unused.len() as u64);
        for (reason, rows) in &self.unused {
            w.bytes.push(*reason as u8);
            w.rows(rows);
        }
    }

    /// Where a helper's row 1 falls here: the rows read so far, when the
    /// bytes fed end exactly at a record's end.
    pub(crate) fn part_offset(&self) -> Option<u32> {
        (self.splittable() && self.tokenizer.at_record_start()).then(|| self.tokenizer.rows())
    }

    /// Reads back the file-level facts [`FileReader::write_part`] wrote.
    pub(crate) fn read_part(r: &mut Reader<'_>) -> Option<FilePart> {
        if r.take(PART_MAGIC.len())? != PART_MAGIC {
            return None;
        }
        let rows = r.u32()?;
        let bytes = r.u64()?;
        let repeated_headers = r.rows()?;
        let swallowed_lines = r.u64()?;
        let windows_1252 = r.bool()?;
        let mut unused = Vec::new();
        for _ in 0..r.len()? {
            let reason = match *r.take(1)?.first()? {
                0 => Unused::FieldCount,
                1 => Unused::UnclosedQuote,
                2 => Unused::Oversized,
                3 => Unused::NoEntryNumber,
                _ => return None,
            };
            unused.push((reason, r.rows()?));
        }
        Some(FilePart {
            rows,
            bytes,
            repeated_headers,
            swallowed_lines,
            windows_1252,
            unused,
        })
    }

    /// Takes in a helper's file-level facts: the file is then read to its end.
    pub(crate) fn join_part(&mut self, part: FilePart) {
        self.tokenizer.add_rows(part.rows);
        self.bytes_read += part.bytes;
        self.repeated_headers.extend(&part.repeated_headers);
        self.swallowed_lines = self.swallowed_lines.saturating_add(part.swallowed_lines);
        self.windows_1252 |= part.windows_1252;
        for (reason, rows) in part.unused {
            match self.unused.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, mine)) => mine.extend(&rows),
                None => self.unused.push((reason, rows)),
            }
        }
        self.joined = true;
    }
}

/// What a file without an entry-number header seems to be, from its first
/// row, so that the message can name it.
fn seems_to_be(first_row: &str) -> &'static str {
    let row = first_row.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| row.contains(w));
    if has(&["claim"]) {
        "a CAPE claim file without an ENTRY_NUMBER column"
    } else if has(&["protest"]) {
        "a protest report"
    } else if has(&["drawback"]) {
        "a drawback report"
    } else if has(&["statement"]) {
        "a statement report"
    } else if has(&["bond"]) {
        "a bond report"
    } else if has(&[
        "invoice",
        "part number",
        "sku",
        "purchase order",
        "po number",
    ]) {
        "an invoice, parts or purchase-order spreadsheet"
    } else if has(&["importer", "ior"]) {
        "an importer-level ACE report (importer numbers, but no entry numbers)"
    } else if has(&["entry", "hts", "tariff", "duty"]) {
        "a customs report without entry numbers"
    } else {
        "not a customs report"
    }
}
