//! One input file from its first byte to its last: what it is, its
//! encoding and delimiter, where its header row is, and every row after it
//! handed to a [`RowSink`] or accounted for as not used, with the reason.
//!
//! Pushed in chunks of any size; the outcome never depends on how the file
//! was cut (the sniffing decisions are made on fixed prefixes).

use super::columns::{names_entry_column, Columns, Field, FileKind};
use super::decode::{cell_text, sniff, Sniffed, Utf16Decoder, SNIFF_BYTES};
#[cfg(feature = "xlsx")]
use super::record::RecordBuilder;
use super::record::{Record, RecordProblem, RecordReader};
use super::wording;
use crate::finding::Wording;
use crate::finding::{Finding, Rows};
use std::borrow::Cow;

/// The header row is looked for in this many rows (rules.md section 1).
pub const HEADER_SEARCH_ROWS: u32 = 50;
/// The largest workbook read into memory (without the `xlsx` feature, none is).
#[cfg(feature = "xlsx")]
pub use super::workbook::MAX_WORKBOOK_BYTES;
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
    /// CSV rows that ended at a line end before the header's last column,
    /// read with their missing last cells empty.
    short_rows: Rows,
    /// Room for the field list of a padded row (see [`Record::padded`]).
    padded_spans: Vec<(usize, usize)>,
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
    /// Why a workbook could not be read, worded.
    workbook_error: Option<Finding>,
    declaration: DeclarationChecks,
    /// The delimiter and header are decided on this much of the start.
    sniff_prefix: usize,
    /// A helper's part to the file's end was joined: no further join.
    joined: bool,
    /// Read whole, never in parts (an export after filing: its rows go to
    /// the book's record of what changed, which parts do not carry).
    whole: bool,
    /// How the front end words its advice.
    wording: Wording,
    /// A row that starts like a header row but does not end within the
    /// bytes the header is looked for in: its row number.
    overlong_header: Option<u32>,
}

/// What CAPE's initial validation of a declaration file looks at
/// (rules.md section 6), gathered while the file is read.
#[derive(Debug, Default)]
struct DeclarationChecks {
    header_text: String,
    blank_rows: Rows,
    extra_cells: Rows,
    entries: usize,
    limits: DeclarationLimits,
}

/// CAPE's limits on one declaration file (the rule set's), checked when a
/// file turns out to be a declaration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeclarationLimits {
    pub max_entries: usize,
    /// A declaration must be under this many bytes.
    pub max_bytes: usize,
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
    pub fn new(
        index: usize,
        name: &str,
        limits: DeclarationLimits,
        wording: Wording,
    ) -> FileReader {
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
            short_rows: Rows::new(),
            padded_spans: Vec::new(),
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
                limits,
                ..DeclarationChecks::default()
            },
            sniff_prefix: SNIFF_PREFIX_BYTES,
            joined: false,
            whole: false,
            wording,
            overlong_header: None,
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
            self.decide_and_read_prefix(true, sink);
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
        let result = super::workbook::read_workbook(
            &bytes,
            HEADER_SEARCH_ROWS as usize,
            |row, cells, oversized| {
                last_row = row;
                // Excel stores no empty cell: below the header, a row is as
                // wide as the header, its missing cells empty; cells past
                // the header's last column count only when they hold text.
                let cells = match &self.header {
                    Some(header) => {
                        let width = header.columns.width;
                        let used = cells
                            .iter()
                            .rposition(|c| !c.trim().is_empty())
                            .map_or(0, |i| i + 1);
                        &cells[..cells.len().min(width.max(used))]
                    }
                    None => cells,
                };
                let missing = self
                    .header
                    .as_ref()
                    .map_or(0, |h| h.columns.width.saturating_sub(cells.len()));
                builder.set(
                    cells
                        .iter()
                        .map(String::as_str)
                        .chain(std::iter::repeat_n("", missing)),
                );
                let mut record = builder.record(row);
                if oversized {
                    // Longer than MAX_RECORD_BYTES: not used, as in CSV.
                    record.problem = Some(RecordProblem::Oversized);
                }
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
            },
        );
        if let Err(why) = result {
            self.workbook_error = Some(wording::workbook_refused(&self.name, &why));
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
                if self.prefix.len() + self.bom_len() >= self.sniff_prefix {
                    self.decide_and_read_prefix(false, sink);
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
    /// The bytes of a UTF-8 BOM the file started with.
    fn bom_len(&self) -> usize {
        if self.bom {
            3
        } else {
            0
        }
    }

    /// Decides on the prefix, then reads its rows (none for a binary file:
    /// what is read never depends on how much of it had arrived).
    fn decide_and_read_prefix<S: RowSink>(&mut self, at_end: bool, sink: &mut S) {
        self.decide(at_end);
        let prefix = std::mem::take(&mut self.prefix);
        if !matches!(self.stage, Stage::Binary(_)) {
            self.tokenize(&prefix, sink);
        }
    }

    fn decide(&mut self, at_end: bool) {
        self.stage = Stage::Rows;
        // Exactly the file's first `sniff_prefix` bytes (a BOM counted),
        // however the chunks fell.
        let limit = self.sniff_prefix.saturating_sub(self.bom_len()).max(1);
        let sample = &self.prefix[..self.prefix.len().min(limit)];
        if sample.contains(&0) {
            self.stage =
                Stage::Binary("a file of binary data (a program, an image or a damaged file)");
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
                self.overlong_header = overlong_header(sample, at_end);
            }
        }
    }

    /// Missing-column findings; false when the file cannot be used at all.
    fn check_columns(&mut self, header_row: u32) -> bool {
        let Some(header) = &self.header else {
            return false;
        };
        let at = Rows::one(header_row);
        let name = &self.name;
        match header.kind {
            FileKind::Es003 => {}
            FileKind::Declaration => return true,
            FileKind::ClaimDetails => {
                if header.columns.has(Field::ClaimStatus)
                    || header.columns.has(Field::ErrorDescription)
                {
                    return true;
                }
                let finding = wording::claim_details_without_status(name, at);
                self.findings.push(finding);
                return false;
            }
        }
        let columns = &header.columns;
        let missing: Vec<&str> = [Field::Hts, Field::Duty]
            .iter()
            .filter(|f| !columns.has(**f))
            .map(|f| f.header_name())
            .collect();
        if !missing.is_empty() {
            let finding = wording::missing_required(name, header_row, &missing, at);
            self.findings.push(finding);
            return false;
        }
        let mut findings = Vec::new();
        for (fields, skipped) in wording::OPTIONAL_COLUMNS {
            if !fields.iter().any(|f| columns.has(*f)) {
                let names: Vec<&str> = fields.iter().map(|f| f.header_name()).collect();
                findings.push(wording::missing_optional(name, &names, skipped, at.clone()));
            }
        }
        self.findings.extend(findings);
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
            self.declaration_row(record, sink);
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
            // Some writers leave out the delimiters of a row's blank last
            // cells: a row that ends early at a line end is read with them
            // empty (said once per file). A row cut by the file's end (no
            // line end) is a cut file, not such a row.
            None if record.len() < header.columns.width && record.ended => {
                self.short_row(record, sink)
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

    /// A data row of a declaration file.
    fn declaration_row<S: RowSink>(&mut self, record: &Record<'_>, sink: &mut S) {
        let Some(header) = &self.header else { return };
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
        if let RowUse::Unused(reason) = sink.row(self.index, header.kind, &header.columns, record) {
            self.unused_row(reason, record.row);
        }
    }

    /// A row that ended early at a line end: read with its missing last
    /// cells empty, and noted.
    fn short_row<S: RowSink>(&mut self, record: &Record<'_>, sink: &mut S) -> Option<Unused> {
        let Some(header) = &self.header else {
            return None;
        };
        self.short_rows.push(record.row);
        self.windows_1252 |= !record.is_utf8();
        let mut spans = std::mem::take(&mut self.padded_spans);
        let padded = record.padded(header.columns.width, &mut spans);
        let used = sink.row(self.index, header.kind, &header.columns, &padded);
        self.padded_spans = spans;
        match used {
            RowUse::Used => None,
            RowUse::Unused(reason) => Some(reason),
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
        let problems = self.declaration_problems(header_row);
        for (problem, rows) in problems {
            let finding = wording::declaration_format(&self.name, &problem, rows, &self.wording);
            self.findings.push(finding);
        }
    }

    fn declaration_problems(&self, header_row: u32) -> Vec<(String, Rows)> {
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
            problems.push(("it was saved as \"CSV UTF-8\", which puts an invisible mark before the header; CAPE expects plain \"CSV (Comma delimited)\"".into(), Rows::one(1)));
        }
        if self.utf16_input {
            problems.push((
                "it was saved as \"Unicode text\", not as CSV".into(),
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
        if d.entries > d.limits.max_entries {
            problems.push((
                format!(
                    "it lists {} entries; a declaration may hold {}",
                    d.entries, d.limits.max_entries
                ),
                Rows::new(),
            ));
        }
        if self.bytes_read >= d.limits.max_bytes as u64 {
            problems.push((
                format!(
                    "it is {} bytes; a declaration must be under {} bytes",
                    self.bytes_read, d.limits.max_bytes
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
        problems
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
        if let Some(finding) = self.unread_finding(rows) {
            self.findings.push(finding);
            return;
        }
        let findings = self.read_findings(header_row, rows);
        self.findings.extend(findings);
    }

    /// Why nothing of the file could be used, if so.
    fn unread_finding(&self, rows: u32) -> Option<Finding> {
        let name = &self.name;
        if self.workbook_too_large {
            return Some(wording::workbook_too_large(name));
        }
        if let Some(finding) = &self.workbook_error {
            return Some(finding.clone());
        }
        if let Stage::Binary(what) = self.stage {
            return Some(wording::not_text(name, what));
        }
        if self.header.is_some() {
            return None;
        }
        if let Some(row) = self.overlong_header {
            let first = self.first_line.as_deref().unwrap_or_default();
            return Some(wording::overlong_header(
                name,
                row,
                first,
                self.sniff_prefix,
            ));
        }
        Some(match &self.first_line {
            None => wording::empty_file(name, self.bytes_read == 0),
            Some(first_line) => wording::no_header_row(name, first_line, rows),
        })
    }

    /// The findings of a file whose header was found.
    fn read_findings(&mut self, header_row: u32, rows: u32) -> Vec<Finding> {
        let name = &self.name;
        let mut out = Vec::new();
        if !self.title_rows.is_empty() {
            out.push(wording::title_rows(name, header_row, &self.title_rows));
        }
        if !self.repeated_headers.is_empty() {
            out.push(wording::repeated_headers(name, &self.repeated_headers));
        }
        if self.utf16_input {
            out.push(wording::utf16_converted(name));
        } else if self.windows_1252 {
            out.push(wording::windows_1252_converted(name));
        }
        if rows <= header_row && self.usable {
            out.push(wording::no_data_rows(name, header_row));
        }
        let width = self.header.as_ref().map_or(0, |h| h.columns.width);
        if !self.short_rows.is_empty() {
            out.push(wording::short_rows(name, &self.short_rows, width));
        }
        let workbook = self.stage == Stage::Workbook;
        crate::values::sort_short(&mut self.unused, |a, b| a.0 < b.0);
        for (reason, unused) in &self.unused {
            out.push(wording::unused_rows(
                name,
                *reason,
                unused,
                width,
                self.swallowed_lines,
                workbook,
            ));
        }
        out
    }
}

/// The row number of a row in `sample` that starts with an entry-number
/// column name but has no line end before the sample's end (and the file
/// goes on): a header row longer than any header row is.
fn overlong_header(sample: &[u8], at_end: bool) -> Option<u32> {
    if at_end {
        return None;
    }
    let last_break = sample.iter().rposition(|&b| b == b'\n' || b == b'\r');
    let last_line = &sample[last_break.map_or(0, |i| i + 1)..];
    let first_cell = last_line
        .split(|&b| b == b',' || b == b';' || b == b'\t')
        .next()
        .unwrap_or_default();
    let text = cell_text(&first_cell[..first_cell.len().min(256)]).0;
    if !names_entry_column(text.trim_matches('"')) {
        return None;
    }
    let lines_before = sample[..last_break.map_or(0, |i| i + 1)]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    Some(lines_before as u32 + 1)
}

/// The header of a file whose later part another reader reads
/// ([`FileReader::part_header`], [`FileReader::for_part`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartHeader {
    /// Which file of the audit this is.
    pub index: usize,
    pub delimiter: u8,
    /// The header row's cells.
    pub cells: Vec<String>,
}

/// Where the bytes of a later part ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PartEnd {
    /// At the file's end: its last record, even without a line end, was read.
    #[default]
    EndOfFile,
    /// Before the file's end, exactly at a record's end: another part or
    /// the main reader goes on from there.
    RecordEnd,
    /// Before the file's end, inside a record (a quoted cell, a `\r` that a
    /// `\n` may follow, a line without its end): it cannot be joined.
    MidRecord,
}

/// The file-level facts of the rows a reader read: what a reader of a
/// later part of the file hands back to the one that read up to it.
#[derive(Debug, Default)]
pub struct RowFacts {
    /// Which file of the audit the part is of.
    pub index: usize,
    pub end: PartEnd,
    /// Rows read (records, blank ones included).
    pub rows: u32,
    pub bytes: u64,
    pub repeated_headers: Rows,
    pub swallowed_lines: u64,
    pub windows_1252: bool,
    pub unused: Vec<(Unused, Rows)>,
    /// Rows read with their missing last cells empty.
    pub short_rows: Rows,
}

/// Reading one file in parts (see [`crate::split`]): the reader's side.
impl FileReader {
    /// Which file of the audit this is.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Decides the delimiter and header on this much of the file's start
    /// (tests split small files; users get [`SNIFF_PREFIX_BYTES`]).
    pub fn set_sniff_prefix(&mut self, bytes: usize) {
        self.sniff_prefix = bytes.max(1);
    }

    /// Reads this file whole, never in parts.
    pub fn read_whole(&mut self) {
        self.whole = true;
    }

    /// Whether rows of an ES-003 flow, UTF-8 or Windows-1252, from a usable
    /// header: the only files another reader can read a part of.
    fn splittable(&self) -> bool {
        self.stage == Stage::Rows
            && self.utf16.is_none()
            && self.usable
            && !self.joined
            && !self.whole
            && self
                .header
                .as_ref()
                .is_some_and(|h| h.kind == FileKind::Es003)
    }

    /// What a reader of a later part needs; `None` while the header is not
    /// found or when the file cannot be read in parts.
    pub fn part_header(&self) -> Option<PartHeader> {
        if !self.splittable() {
            return None;
        }
        let header = self.header.as_ref()?;
        Some(PartHeader {
            index: self.index,
            delimiter: self.tokenizer.delimiter(),
            cells: header.cells.clone(),
        })
    }

    /// A reader of a later part: every record is a data row, numbered
    /// from 1. `None` when the header is not an ES-003's.
    pub fn for_part(header: PartHeader) -> Option<FileReader> {
        if !DELIMITERS.contains(&header.delimiter) {
            return None;
        }
        let columns = Columns::from_header(header.cells.iter().map(String::as_str));
        if columns.kind() != Some(FileKind::Es003) {
            return None;
        }
        // A part is of an ES-003, never of a declaration: no limits apply.
        let mut reader = FileReader::new(
            header.index,
            "",
            DeclarationLimits::default(),
            Wording::NEUTRAL,
        );
        reader.stage = Stage::Rows;
        reader.tokenizer = RecordReader::new(header.delimiter);
        reader.usable = true;
        reader.header = Some(Header {
            row: 0,
            kind: FileKind::Es003,
            columns,
            cells: header.cells,
        });
        Some(reader)
    }

    /// A later part's end, and its facts. At the file's end, what is left
    /// is read (a last record without a line end). Before it, nothing is:
    /// the record the bytes may end inside goes on in the next part, which
    /// another reader reads, so the part only says whether its bytes ended
    /// at a record's end.
    pub fn finish_part<S: RowSink>(mut self, sink: &mut S, end_of_file: bool) -> RowFacts {
        let mut tokenizer = std::mem::replace(&mut self.tokenizer, RecordReader::new(b','));
        let end = if end_of_file {
            tokenizer.finish(&mut |record: &Record<'_>| self.record(record, sink));
            PartEnd::EndOfFile
        } else if tokenizer.at_record_start() {
            PartEnd::RecordEnd
        } else {
            PartEnd::MidRecord
        };
        RowFacts {
            index: self.index,
            end,
            rows: tokenizer.rows(),
            bytes: self.bytes_read,
            repeated_headers: self.repeated_headers,
            swallowed_lines: self.swallowed_lines,
            windows_1252: self.windows_1252,
            unused: self.unused,
            short_rows: self.short_rows,
        }
    }

    /// Where a later part's row 1 falls here: the rows read so far, when
    /// the bytes fed end exactly at a record's end.
    pub fn part_offset(&self) -> Option<u32> {
        (self.splittable() && self.tokenizer.at_record_start()).then(|| self.tokenizer.rows())
    }

    /// Takes in the facts of the part of the file that follows the bytes
    /// read so far, whose row numbers are already this reader's. The part
    /// must end at a record's end or at the file's end (then the file is
    /// read whole: no further join). After a part that ends at a record's
    /// end, this reader stands as if it had read the part's bytes: it can
    /// read on, or join the next part.
    pub fn join_part(&mut self, part: RowFacts) {
        debug_assert!(
            part.end != PartEnd::MidRecord,
            "a part that ends mid-record never joins"
        );
        self.tokenizer.add_rows(part.rows);
        self.bytes_read += part.bytes;
        self.repeated_headers.extend(&part.repeated_headers);
        self.swallowed_lines = self.swallowed_lines.saturating_add(part.swallowed_lines);
        self.windows_1252 |= part.windows_1252;
        self.short_rows.extend(&part.short_rows);
        for (reason, rows) in part.unused {
            match self.unused.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, mine)) => mine.extend(&rows),
                None => self.unused.push((reason, rows)),
            }
        }
        self.joined = part.end == PartEnd::EndOfFile;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps each data row's number and first cell.
    #[derive(Default)]
    struct Rows(Vec<(u32, String)>);

    impl RowSink for Rows {
        fn row(&mut self, _: usize, _: FileKind, _: &Columns, record: &Record<'_>) -> RowUse {
            let first = record.text(0).unwrap_or_default().into_owned();
            if first.is_empty() {
                return RowUse::Unused(Unused::NoEntryNumber);
            }
            self.0.push((record.row, first));
            RowUse::Used
        }
    }

    const LIMITS: DeclarationLimits = DeclarationLimits {
        max_entries: 9_999,
        max_bytes: 1_000_000,
    };

    /// Reads `bytes` in chunks of `chunk` bytes.
    fn read(bytes: &[u8], chunk: usize) -> (FileOutcome, Vec<(u32, String)>) {
        let mut reader = FileReader::new(0, "f.csv", LIMITS, Wording::COMMAND_LINE);
        let mut sink = Rows::default();
        for piece in bytes.chunks(chunk.max(1)) {
            reader.feed(piece, &mut sink);
        }
        (reader.finish(&mut sink), sink.0)
    }

    fn codes(outcome: &FileOutcome) -> Vec<&'static str> {
        outcome.findings.iter().map(|f| f.code.as_str()).collect()
    }

    const ES003: &str = "Entry Summary Number;HTS Number - Full;Line Tariff Duty Amount\n";

    #[test]
    fn title_rows_then_a_semicolon_header_then_rows() {
        let text = format!("ES-003 Report\nRun 11/22/2026\n{ES003}A;99030124;1\nB;99030125;2\n");
        for chunk in [1, 7, 4096] {
            let (outcome, rows) = read(text.as_bytes(), chunk);
            assert_eq!(outcome.kind, Some(FileKind::Es003));
            assert_eq!(outcome.rows, 5);
            assert_eq!(rows, [(4, "A".to_string()), (5, "B".to_string())]);
            let title = outcome
                .findings
                .iter()
                .find(|f| f.code.as_str() == "title-rows-skipped");
            assert_eq!(title.map(|f| f.rows.label()), Some("rows 1, 2".to_string()));
        }
    }

    #[test]
    fn binary_and_empty_files_are_not_read() {
        let (pdf, rows) = read(b"%PDF-1.7\n1 0 obj", 3);
        assert!(rows.is_empty());
        assert_eq!(codes(&pdf), ["unreadable-file"]);
        assert!(pdf.findings[0].message.contains("PDF"));
        let (empty, _) = read(b"", 1);
        assert_eq!(codes(&empty), ["empty-file"]);
        let (other, _) = read(b"Part Number,Description\nA1,Bolt\n", 5);
        assert_eq!(codes(&other), ["no-header-row"]);
        assert!(other.findings[0].message.contains("parts"));
    }

    #[test]
    fn every_row_is_used_or_reported_with_its_reason() {
        let text = format!("{ES003}A;99030124;1\nB;99030124\n;99030124;1\n{ES003}C;\"99030124;1\n");
        let (outcome, rows) = read(text.as_bytes(), 2);
        // B ends early at a line end: read with its last cell empty.
        assert_eq!(rows, [(2, "A".to_string()), (3, "B".to_string())]);
        let messages: Vec<(&str, String)> = outcome
            .findings
            .iter()
            .filter(|f| f.code.as_str() != "missing-column")
            .map(|f| (f.code.as_str(), f.rows.label()))
            .collect();
        assert_eq!(
            messages,
            [
                ("title-rows-skipped", "row 5".to_string()),
                ("short-rows-read", "row 3".to_string()),
                ("malformed-row", "row 6".to_string()),
                ("malformed-row", "row 4".to_string()),
            ]
        );
    }

    #[test]
    fn a_declaration_gets_capes_file_checks_in_the_front_ends_words() {
        let (outcome, rows) = read(b"\xEF\xBB\xBFEntry Number\r\nXQ710042173\r\n\r\n", 1);
        assert_eq!(outcome.kind, Some(FileKind::Declaration));
        assert_eq!(rows.len(), 1);
        let format: Vec<&str> = outcome
            .findings
            .iter()
            .filter(|f| f.code.as_str() == "declaration-format")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(format.len(), 2, "{format:?}");
        assert!(format[0].contains("CSV UTF-8"));
        assert!(format[1].contains("blank rows (row 3)"));
        assert!(format[0].contains("written with --out"));
    }

    #[test]
    fn a_later_part_is_read_by_another_reader_and_joined() {
        let head = format!("{ES003}A;99030124;1\n");
        let tail = "B;99030124\nC;99030124;2;x\n";
        let mut reader = FileReader::new(3, "f.csv", LIMITS, Wording::NEUTRAL);
        reader.set_sniff_prefix(head.len());
        let mut sink = Rows::default();
        reader.feed(head.as_bytes(), &mut sink);
        let header = reader.part_header().expect("an ES-003 header");
        assert_eq!((header.index, header.delimiter), (3, b';'));
        assert_eq!(reader.part_offset(), Some(2));
        let mut part = FileReader::for_part(header).unwrap();
        let mut later = Rows::default();
        part.feed(tail.as_bytes(), &mut later);
        let facts = part.finish_part(&mut later, true);
        assert_eq!(later.0, [(1, "B".to_string())]);
        assert_eq!((facts.rows, facts.bytes), (2, tail.len() as u64));
        // The part numbers its rows from 1; its facts are handed back in
        // this reader's numbers (the split codec moves them by the offset).
        let mut facts = facts;
        for rows in facts
            .unused
            .iter_mut()
            .map(|(_, rows)| rows)
            .chain([&mut facts.short_rows])
        {
            let mut moved = crate::finding::Rows::new();
            rows.iter().for_each(|row| moved.push(row + 2));
            *rows = moved;
        }
        reader.join_part(facts);
        assert!(reader.part_header().is_none(), "joined once only");
        let outcome = reader.finish(&mut sink);
        assert_eq!(outcome.rows, 4);
        assert!(codes(&outcome).ends_with(&["short-rows-read", "malformed-row"]));
        let n = outcome.findings.len();
        assert_eq!(outcome.findings[n - 2].rows.label(), "row 3");
        assert_eq!(outcome.findings[n - 1].rows.label(), "row 4");
    }
}
