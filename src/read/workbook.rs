//! XLSX workbooks, ACE's other export format, read into the same rows as a
//! CSV export (feature `xlsx`, with the `calamine` crate).
//!
//! A workbook is a ZIP archive: it cannot be read as a stream, so it is held
//! in memory up to [`MAX_WORKBOOK_BYTES`]; larger ones are refused with the
//! advice to export CSV, which is streamed whatever its size.
//!
//! # What a workbook may expand to
//!
//! The compressed size says little about the memory a workbook takes once
//! opened: deflate shrinks a run of spaces a thousand times, so a 1 MB file
//! can hold a 1 GiB sheet. Where calamine 0.38 (with zip 9 and quick-xml
//! 0.42) takes memory while reading, from their sources:
//!
//! - zip never inflates a whole part into a buffer: a part is read through
//!   a streaming inflater, and zip stops it with an error once it inflates
//!   past the size the archive declares for it (`Crc32Reader`'s limit);
//! - calamine parses every part as it streams, with quick-xml, but the XML
//!   reader holds each *event* whole (a run of text between two tags, one
//!   tag with all its attributes, a comment): a sheet of 1 GiB of spaces is
//!   one 1 GiB event;
//! - texts are built whole across events: a shared string, an inline
//!   string, a `<v>` value, a defined name; so is the stack of the names of
//!   the elements still open (quick-xml keeps it even with end-name checks
//!   off);
//! - what it keeps for the whole read: the shared strings table (read whole
//!   when the workbook is opened, after reserving room for the count its
//!   `uniqueCount` attribute announces, a count nobody checks), the cell
//!   formats (each with its own copy of its number format and font name),
//!   the relationships, sheets and defined names, and zip's list of parts
//!   (with the position of every directory signature it meets on the way).
//!
//! So before calamine reads a part, the part is read once through a
//! size-limited inflater and a lexer that cuts it into events exactly as
//! quick-xml does ([`Lexer`]), and it is refused (with [`WorkbookError`])
//! when it expands past [`MAX_PART_BYTES`], holds an event, a text or an
//! element stack over [`MAX_ITEM_BYTES`], or when what calamine would keep
//! from the parts read so far passes [`MAX_KEPT_BYTES`]. The scan is driven
//! by calamine itself: the reader calamine is given ([`Guarded`]) scans a
//! part when calamine starts reading that part's data, so exactly the parts
//! it reads are checked, under the names it resolves, and nothing is
//! allocated to the expanded size first. Before zip lists the parts, their
//! directory entries are counted in the bytes ([`MAX_PARTS`]). Rows and
//! cells need no limit of their own: they are streamed, and a row is kept
//! only up to [`MAX_RECORD_BYTES`] (longer rows are not used, as in CSV).

use crate::read::columns::Columns;
use crate::read::record::{MAX_FIELDS, MAX_RECORD_BYTES};
use crate::values::date::Date;
use calamine::{DataRef, Reader, Xlsx, XlsxError};
use std::cell::RefCell;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use zip::result::ZipError;
use zip::ZipArchive;

/// The largest workbook read into memory.
pub const MAX_WORKBOOK_BYTES: usize = 150 << 20;

/// The most one part of a workbook (a sheet, the shared strings) may
/// expand to. A real ES-003 down to Excel's last row (1,048,576 rows) as
/// ACE's inline-string cells is 1.3 GB of sheet XML with the report's 22
/// columns (measured in the tests), 3 GB with twice as many; and a
/// workbook whose parts come to more than about 25 times the 150 MB cap
/// cannot be an export anyway (exports compress 10 to 12 times). A sheet is
/// streamed, so this bounds the time a crafted sheet takes, not the memory
/// (4,000 MiB is also under the 4 GiB a ZIP without ZIP64 can declare).
pub const MAX_PART_BYTES: u64 = 4000 << 20;

/// The most one piece of a part may take: an XML event (a run of text, a
/// tag with its attributes, a comment), a text built across events (a
/// shared string, an inline string, a cell value, a defined name) or the
/// stack of open element names. Excel allows 32,767 characters in a cell,
/// under 200 KB of XML even with every character escaped: 16 MiB is 80
/// times that, and the reader's copies of one piece stay under 150 MB.
pub const MAX_ITEM_BYTES: u64 = 16 << 20;

/// The most memory calamine may keep for the whole read: the shared
/// strings (with the room reserved for the count they announce), the cell
/// formats with their copies, relationships, sheets and defined names,
/// estimated from the parts as they are scanned (see [`Kept::bytes`]). An
/// export down to Excel's last row with its texts shared (4 million
/// distinct ones) needs 440 MB by this estimate (measured in the tests);
/// 1 GiB leaves room for that beside the held workbook, within the 4 GiB
/// of a browser's WebAssembly memory.
pub const MAX_KEPT_BYTES: u64 = 1 << 30;

/// The most parts (files in the ZIP archive) a workbook may have. A real
/// one has 10 to 30, a few hundred with many sheets or pictures; zip and
/// calamine keep a few hundred bytes for each, so 10,000 keep a few MB
/// where a 144 MB archive of 1.6 million empty parts made them keep 500 MB.
pub const MAX_PARTS: usize = 10_000;

/// The most the names, extra fields and comments of the archive's parts
/// may take together (kept by zip and calamine, some twice): a real
/// workbook's take a few KB.
const MAX_DIRECTORY_BYTES: u64 = 16 << 20;

/// The most signatures of a ZIP64 directory end a workbook may hold: a
/// real one has one at most (a few more may occur by chance in compressed
/// data); zip keeps the position of each it finds while looking for the
/// directory, 8 bytes each.
const MAX_DIRECTORY_ENDS: usize = 1000;

/// The sheet ACE names its data sheet.
const DATA_SHEET: &str = "Main Report";

/// Why a workbook was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkbookError {
    /// A part expands (or declares it expands) past [`MAX_PART_BYTES`].
    PartTooLarge { part: String },
    /// A piece of a part is larger than [`MAX_ITEM_BYTES`].
    ItemTooLarge { part: String },
    /// What the reader would keep passes [`MAX_KEPT_BYTES`]; `part` is the
    /// part being read when it did.
    KeepsTooMuch { part: String },
    /// More than [`MAX_PARTS`] parts, or a directory of parts too large.
    TooManyParts,
    /// Not a complete, well-formed workbook (damaged, cut short, or
    /// declaring sizes that its parts do not have).
    Damaged,
    /// Its parts are encrypted with a password.
    Password,
    /// Compressed with a method workbooks do not use.
    UnsupportedCompression,
    /// A ZIP archive without a workbook inside.
    NotAWorkbook,
    /// A workbook without sheets.
    NoSheets,
}

/// Reads the data sheet of a workbook: `Main Report`, else the first sheet
/// with an entry-number header in its first `search_rows` rows, else the
/// first sheet. Calls `on_row` with each row's Excel row number, its cells
/// as Excel shows them, and whether the row was longer than
/// [`MAX_RECORD_BYTES`] (its cells are then not given); returns the
/// sheet's name, or why the workbook cannot be read.
///
/// Cells are streamed one at a time (calamine's cell reader): a sheet is
/// never expanded into a rectangle, so a stray cell in XFD1048576 costs
/// nothing.
pub fn read_workbook(
    bytes: &[u8],
    search_rows: usize,
    mut on_row: impl FnMut(u32, &[String], bool),
) -> Result<String, WorkbookError> {
    let guard = RefCell::new(Guard::new(bytes)?);
    let reader = Guarded {
        bytes,
        pos: 0,
        guard: &guard,
    };
    let refused = |e: XlsxError| {
        guard
            .borrow()
            .refusal
            .clone()
            .unwrap_or_else(|| classify(&e))
    };
    let mut workbook: Xlsx<Guarded<'_, '_>> = Xlsx::new(reader).map_err(refused)?;
    let names = workbook.sheet_names().to_vec();
    let Some(first) = names.first().cloned() else {
        return Err(WorkbookError::NoSheets);
    };
    let chosen = match names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(DATA_SHEET))
    {
        Some(name) => name.clone(),
        None => {
            let mut with_header = None;
            for name in &names {
                let mut found = false;
                let mut seen = 0;
                stream_sheet(&mut workbook, name, &mut |_, cells, _| {
                    seen += 1;
                    found = Columns::from_header(cells.iter().map(String::as_str))
                        .kind()
                        .is_some();
                    !found && seen < search_rows
                })
                .map_err(refused)?;
                if found {
                    with_header = Some(name.clone());
                    break;
                }
            }
            with_header.unwrap_or(first)
        }
    };
    stream_sheet(&mut workbook, &chosen, &mut |row, cells, oversized| {
        on_row(row, cells, oversized);
        true
    })
    .map_err(refused)?;
    Ok(chosen)
}

/// Calls `on_row` for each row with cells, in order, until it returns false.
fn stream_sheet(
    workbook: &mut Xlsx<Guarded<'_, '_>>,
    name: &str,
    on_row: &mut dyn FnMut(u32, &[String], bool) -> bool,
) -> Result<(), XlsxError> {
    let mut reader = workbook.worksheet_cells_reader(name)?;
    let mut cells: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    // The row's text so far, and whether it passed MAX_RECORD_BYTES (its
    // cells are then dropped, never copied: a row of 4,096 cells that all
    // show one 16 MiB shared string would otherwise take 64 GiB).
    let mut row_bytes = 0;
    let mut oversized = false;
    while let Some(cell) = reader.next_cell()? {
        let (row, column) = cell.get_position();
        if current != Some(row) {
            if let Some(done) = current {
                if !on_row(done.saturating_add(1), &cells, oversized) {
                    return Ok(());
                }
            }
            cells.clear();
            current = Some(row);
            row_bytes = 0;
            oversized = false;
        }
        // Columns past the record limit cannot be ES-003 fields.
        let column = column as usize;
        if column >= MAX_FIELDS || oversized {
            continue;
        }
        row_bytes += text_len(cell.get_value());
        if row_bytes > MAX_RECORD_BYTES {
            oversized = true;
            cells = Vec::new();
            continue;
        }
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = cell_ref_text(cell.get_value());
    }
    if let Some(done) = current {
        on_row(done.saturating_add(1), &cells, oversized);
    }
    Ok(())
}

/// The length of a cell's text, known before it is copied (numbers,
/// booleans and dates are short).
fn text_len(cell: &DataRef<'_>) -> usize {
    match cell {
        DataRef::SharedString(s) => s.len(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        _ => 24,
    }
}

/// A cell as Excel shows it: numbers without a trailing `.0` (an entry
/// number stored as the number 1644100214 is the text `1644100214`), dates
/// as ISO dates, errors as Excel writes them.
fn cell_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::Empty => String::new(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => {
            Date::from_excel_serial(dt.as_f64()).map_or_else(|| number_text(dt.as_f64()), Date::iso)
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// The shortest decimal that reads back as the number, with float noise
/// from spreadsheet arithmetic (0.30000000000000004) rounded off.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let rounded = (f * 1e6).round() / 1e6;
    let text = format!("{rounded}");
    if text.contains('e') {
        format!("{f}")
    } else {
        text
    }
}

/// What calamine's error means for the user (its text never reaches them).
fn classify(error: &XlsxError) -> WorkbookError {
    match error {
        XlsxError::Password => return WorkbookError::Password,
        // No `_rels/.rels`, or no workbook named in it.
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => {
            return WorkbookError::NotAWorkbook
        }
        _ => {}
    }
    // Zip's errors arrive wrapped (in an I/O error, shared in an `Arc`
    // inside an XML error when a part fails while it is parsed): look down
    // the chain.
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        let io = e
            .downcast_ref::<io::Error>()
            .or_else(|| e.downcast_ref::<std::sync::Arc<io::Error>>().map(|a| &**a));
        let zip = e.downcast_ref::<ZipError>().or_else(|| {
            io.and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<ZipError>())
        });
        if let Some(zip) = zip {
            return classify_zip(zip);
        }
        next = e.source();
    }
    WorkbookError::Damaged
}

fn classify_zip(error: &ZipError) -> WorkbookError {
    match error {
        ZipError::InvalidPassword => WorkbookError::Password,
        ZipError::UnsupportedArchive(why) if *why == ZipError::PASSWORD_REQUIRED => {
            WorkbookError::Password
        }
        ZipError::CompressionMethodNotSupported(_) => WorkbookError::UnsupportedCompression,
        ZipError::FileNotFound => WorkbookError::NotAWorkbook,
        ZipError::Io(e) => match e.get_ref().and_then(|i| i.downcast_ref::<ZipError>()) {
            Some(inner) => classify_zip(inner),
            None => WorkbookError::Damaged,
        },
        _ => WorkbookError::Damaged,
    }
}

/// The bytes of the workbook as calamine reads them: before calamine reads
/// the data of a part, the part is scanned (once) by the [`Guard`]; when a
/// part is refused, every later read fails, so calamine stops.
struct Guarded<'g, 'b> {
    bytes: &'b [u8],
    pos: u64,
    guard: &'g RefCell<Guard<'b>>,
}

impl Read for Guarded<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.guard.borrow_mut().before_read(self.pos)?;
        // As a `Cursor` does: a position past the end reads nothing (on
        // any target, where `usize` may be 32 bits).
        let start = self.pos.min(self.bytes.len() as u64) as usize;
        let n = buf.len().min(self.bytes.len() - start);
        buf[..n].copy_from_slice(&self.bytes[start..start + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Guarded<'_, '_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => (self.bytes.len() as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.pos)
    }
}

/// The parts of the workbook, where their data starts, and what the parts
/// read so far would have calamine keep.
struct Guard<'b> {
    /// The same archive as calamine's (same bytes, same version of zip),
    /// to inflate parts for the scan.
    archive: ZipArchive<Cursor<&'b [u8]>>,
    /// (where the compressed data starts, part index), sorted. Several
    /// parts of a crafted archive may share their data.
    starts: Vec<(u64, usize)>,
    scanned: Vec<bool>,
    kept: u64,
    refusal: Option<WorkbookError>,
}

impl<'b> Guard<'b> {
    fn new(bytes: &'b [u8]) -> Result<Guard<'b>, WorkbookError> {
        // Every part zip lists starts with this signature in the central
        // directory: counting them (and what they announce) bounds what zip
        // and calamine will keep for the list before either reads it.
        let mut parts = 0;
        let mut directory = 0u64;
        for at in memchr::memmem::find_iter(bytes, b"PK\x01\x02") {
            parts += 1;
            if let Some(lengths) = bytes.get(at + 28..at + 34) {
                directory += lengths
                    .chunks(2)
                    .map(|l| u64::from(u16::from_le_bytes([l[0], l[1]])))
                    .sum::<u64>();
            }
            if parts > MAX_PARTS || directory > MAX_DIRECTORY_BYTES {
                return Err(WorkbookError::TooManyParts);
            }
        }
        // Zip also notes where each signature of a ZIP64 directory end is
        // when it looks for one: a real workbook has one at most.
        if memchr::memmem::find_iter(bytes, b"PK\x06\x06")
            .nth(MAX_DIRECTORY_ENDS)
            .is_some()
        {
            return Err(WorkbookError::Damaged);
        }
        let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| classify_zip(&e))?;
        let mut starts = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            // A part whose local header is broken cannot be read by
            // calamine either.
            if let Some(start) = archive
                .by_index_raw(index)
                .ok()
                .and_then(|f| f.data_start())
            {
                starts.push((start, index));
            }
        }
        starts.sort_unstable();
        Ok(Guard {
            scanned: vec![false; archive.len()],
            archive,
            starts,
            kept: 0,
            refusal: None,
        })
    }

    /// Scans the parts whose data starts at `pos` (calamine is about to
    /// read one of them) if they were not yet.
    fn before_read(&mut self, pos: u64) -> io::Result<()> {
        if self.refusal.is_none() {
            let first = self.starts.partition_point(|&(start, _)| start < pos);
            let mut at = first;
            while let Some(&(start, index)) = self.starts.get(at) {
                if start != pos {
                    break;
                }
                at += 1;
                if !std::mem::replace(&mut self.scanned[index], true) {
                    if let Err(refusal) = self.scan(index) {
                        self.refusal = Some(refusal);
                    }
                }
            }
        }
        match self.refusal {
            Some(_) => Err(io::Error::other("the workbook expands past a limit")),
            None => Ok(()),
        }
    }

    /// Inflates part `index` through the [`Lexer`], never holding more than
    /// a buffer of it.
    fn scan(&mut self, index: usize) -> Result<(), WorkbookError> {
        // A part zip cannot open (encrypted, unknown compression) fails
        // the same way for calamine, with its own error.
        let Ok(mut file) = self.archive.by_index(index) else {
            return Ok(());
        };
        let part = part_name(&String::from_utf8_lossy(file.name_raw()));
        if file.size() > MAX_PART_BYTES {
            return Err(WorkbookError::PartTooLarge { part });
        }
        let mut lexer = Lexer::default();
        let mut buf = vec![0u8; 64 << 10];
        let mut total = 0u64;
        loop {
            // Zip fails a part that inflates past the size it declares;
            // calamine meets the same error at the same byte, and all the
            // bytes before it have passed the lexer.
            let n = match file.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            total += n as u64;
            if total > MAX_PART_BYTES {
                return Err(WorkbookError::PartTooLarge { part });
            }
            match lexer.feed(&buf[..n]) {
                Ok(()) => {}
                Err(Stop::Item) => return Err(WorkbookError::ItemTooLarge { part }),
                Err(Stop::Damaged) => return Err(WorkbookError::Damaged),
                Err(Stop::Parsed) => break,
            }
        }
        self.kept = self.kept.saturating_add(lexer.kept.bytes());
        if self.kept > MAX_KEPT_BYTES {
            return Err(WorkbookError::KeepsTooMuch { part });
        }
        Ok(())
    }
}

/// A part's name as it can be shown: printable ASCII (a real part's name
/// is), at most 80 characters.
fn part_name(raw: &str) -> String {
    let shown: String = raw
        .chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .take(80)
        .collect();
    if raw.chars().count() > 80 {
        format!("{shown}...")
    } else {
        shown
    }
}

/// Why the lexer stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// A piece larger than [`MAX_ITEM_BYTES`].
    Item,
    /// Not XML a workbook can hold: a DTD (Office files never have one,
    /// and quick-xml parses it in ways not mirrored here), or elements
    /// nested deeper than any workbook's (quick-xml's stack of their names,
    /// bounded by their number times the longest name, past
    /// [`MAX_ITEM_BYTES`], or texts in texts past [`MAX_TEXT_DEPTH`]).
    Damaged,
    /// quick-xml stops parsing here (a syntax error): nothing after it is
    /// read by calamine.
    Parsed,
}

/// Where the lexer is, as quick-xml's parser states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`.
    Lt,
    /// After `<!`.
    Bang,
    /// `<!-...`: ends at a `>` after `--`, 6 bytes or more from the `<`.
    Comment,
    /// `<![...`: ends at a `>` after `]]`.
    CData,
    /// `<?...`: ends at a `>` after `?`.
    Pi,
    /// A start tag (`<name ...>`) or an end tag (`</name ...>`) cut by the
    /// end of a chunk: ends at a `>` outside quotes.
    Tag,
}

/// The first bytes of a tag kept when a chunk's end cuts it.
const HEAD: usize = 80;
/// The longest qualified name of a text element matched with its end
/// tag; a longer one (no workbook has one) is never ended.
const QNAME: usize = 32;
/// The deepest nesting of text elements followed; no workbook nests more
/// than 3 (a shared string, its runs, their text).
const MAX_TEXT_DEPTH: usize = 64;
/// The longest `<sst ...>` tag read for its `uniqueCount` (a real one is
/// about 150 bytes).
const MAX_SST_TAG: usize = 64 << 10;

/// Cuts a part into events exactly where quick-xml 0.42 does (with
/// calamine's settings: end names not checked, empty elements expanded),
/// from a stream of chunks, and measures what calamine would hold: each
/// event, each text built across events (followed with a stack of the
/// elements calamine builds texts in, each ended only by an end tag of the
/// same qualified name, as calamine's loops end), quick-xml's stack of open
/// element names, and what calamine keeps ([`Kept`]). It may measure more
/// than calamine holds (any element of those names counts, wherever it
/// is), never less.
#[derive(Debug)]
struct Lexer {
    state: State,
    /// Bytes before the current chunk.
    offset: u64,
    /// Bytes of the current event so far.
    event: u64,
    /// Where the current event's `<` is.
    event_start: u64,
    /// The two bytes before the current position within a comment,
    /// CDATA section or processing instruction.
    tail: [u8; 2],
    /// The tag being read: an end tag?
    end_tag: bool,
    /// A tag cut by a chunk's end: its quote state, its first bytes, its
    /// length (between `<` or `</` and `>`), its last byte.
    quote: u8,
    head: [u8; HEAD],
    head_len: usize,
    content: u64,
    last: u8,
    /// The tag is longer than its head.
    overflowed: bool,
    /// The whole `<sst ...>` tag, while one cut by a chunk's end is read.
    sst: Option<Vec<u8>>,
    /// quick-xml's stack of open element names: how many, and the
    /// longest name (bounding the bytes it takes).
    depth: u64,
    longest_name: u64,
    /// The elements calamine builds a text in, innermost last.
    texts: Vec<TextElement>,
    kept: Kept,
    /// Where each markup event was (for the tests against quick-xml).
    #[cfg(test)]
    marks: Vec<(u64, u64)>,
}

/// An element whose text calamine builds across events.
#[derive(Debug)]
struct TextElement {
    qname: [u8; QNAME],
    /// The qualified name's length; `None` for one too long to follow.
    len: Option<u8>,
    start: u64,
    /// Kept for the whole read (a shared string, a defined name).
    kept: bool,
}

/// What calamine keeps from a part for the whole read.
#[derive(Debug, Default)]
struct Kept {
    /// `<si>` elements (shared strings) and the largest `uniqueCount`.
    strings: u64,
    unique_count: u64,
    /// The bytes of the kept texts (shared strings, defined names).
    text_bytes: u64,
    /// Cell formats (`<xf>`), and the largest tag their copies come from
    /// (`<numFmt>`, a font's `<name>`).
    formats: u64,
    copied_tag: u64,
    /// Other kept elements (fonts, fills, borders, number formats,
    /// relationships, sheets, defined names, theme colors) and the bytes
    /// of their tags.
    items: u64,
    item_bytes: u64,
}

impl Kept {
    /// An upper estimate of the bytes calamine keeps (as `Vec<String>`
    /// slots, strings with their allocation overhead, and structs), on a
    /// 64-bit target.
    fn bytes(&self) -> u64 {
        // Room for the strings: the count announced (reserved up front),
        // or twice the count when there are more and the vector grows by
        // doubling.
        let slots = if self.strings <= self.unique_count {
            self.unique_count
        } else {
            self.unique_count.max(self.strings.saturating_mul(2))
        };
        slots
            .saturating_mul(24)
            .saturating_add(self.strings.saturating_mul(32))
            .saturating_add(self.text_bytes.saturating_mul(2))
            .saturating_add(
                self.formats
                    .saturating_mul(self.copied_tag.saturating_mul(2).saturating_add(512)),
            )
            .saturating_add(self.items.saturating_mul(512))
            .saturating_add(self.item_bytes.saturating_mul(2))
    }
}

impl Kept {
    /// Counts a start tag of local name `local`, `event` bytes long, of
    /// content `content`; says whether calamine builds a text in it.
    fn count(&mut self, local: &[u8], event: u64, content: &[u8]) -> bool {
        match local {
            b"v" | b"t" | b"is" | b"f" => true,
            b"si" => {
                self.strings += 1;
                true
            }
            b"definedName" => {
                self.items += 1;
                self.item_bytes += event;
                true
            }
            b"sst" => {
                self.unique_count = self.unique_count.max(unique_count(content));
                false
            }
            b"xf" => {
                self.formats += 1;
                false
            }
            b"name" => {
                self.copied_tag = self.copied_tag.max(event);
                false
            }
            b"numFmt" => {
                self.copied_tag = self.copied_tag.max(event);
                self.items += 1;
                self.item_bytes += event;
                false
            }
            b"font" | b"fill" | b"border" | b"Relationship" | b"sheet" | b"dk1" | b"lt1"
            | b"dk2" | b"lt2" | b"accent1" | b"accent2" | b"accent3" | b"accent4" | b"accent5"
            | b"accent6" | b"hlink" | b"folHlink" | b"srgbClr" | b"sysClr" => {
                self.items += 1;
                self.item_bytes += event;
                false
            }
            _ => false,
        }
    }
}

impl Default for Lexer {
    fn default() -> Lexer {
        Lexer {
            state: State::Text,
            offset: 0,
            event: 0,
            event_start: 0,
            tail: [0; 2],
            end_tag: false,
            quote: 0,
            head: [0; HEAD],
            head_len: 0,
            content: 0,
            last: 0,
            overflowed: false,
            sst: None,
            depth: 0,
            longest_name: 0,
            texts: Vec::new(),
            kept: Kept::default(),
            #[cfg(test)]
            marks: Vec::new(),
        }
    }
}

/// XML whitespace, as quick-xml's `is_whitespace`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Where a tag's content ends (its `>` outside quotes) in `bytes` from
/// `i`, in quote state `quote` (0 or the open quote), as quick-xml's
/// `ElementParser`: the `>`'s index, or `bytes.len()` with the quote state
/// there.
#[inline(always)]
fn tag_end(bytes: &[u8], mut i: usize, mut quote: u8) -> (usize, u8) {
    while let Some(&b) = bytes.get(i) {
        if quote == 0 {
            match b {
                b'>' => break,
                b'"' | b'\'' => quote = b,
                _ => {}
            }
        } else if b == quote {
            quote = 0;
        }
        i += 1;
    }
    (i, quote)
}

impl Lexer {
    /// Reads the next chunk of the part.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), Stop> {
        let n = chunk.len();
        let mut i = 0;
        while i < n {
            match self.state {
                State::Text => i = self.text(chunk, i)?,
                State::Lt => match chunk[i] {
                    b'!' => {
                        i += 1;
                        self.grow(1)?;
                        self.state = State::Bang;
                    }
                    b'?' => {
                        i += 1;
                        self.grow(1)?;
                        self.tail = [b'<', b'?'];
                        self.state = State::Pi;
                    }
                    b'/' => {
                        i += 1;
                        self.grow(1)?;
                        self.begin_tag(true);
                    }
                    // The byte is the tag's first (it may be a quote).
                    _ => self.begin_tag(false),
                },
                State::Bang => {
                    let b = chunk[i];
                    i += 1;
                    self.grow(1)?;
                    self.tail = [b'!', b];
                    self.state = match b {
                        b'-' => State::Comment,
                        b'[' => State::CData,
                        b'D' | b'd' => return Err(Stop::Damaged),
                        // quick-xml's syntax error: it reads no further.
                        _ => return Err(Stop::Parsed),
                    };
                }
                State::Comment | State::CData | State::Pi => i = self.bang(chunk, i)?,
                State::Tag => i = self.tag(chunk, i)?,
            }
        }
        self.offset += n as u64;
        self.check_texts(self.offset)
    }

    /// The current event grows by `n` bytes.
    fn grow(&mut self, n: u64) -> Result<(), Stop> {
        self.event += n;
        if self.event > MAX_ITEM_BYTES {
            return Err(Stop::Item);
        }
        Ok(())
    }

    /// Text from `i`, and the tags after it that lie whole in the chunk
    /// (most of a part's bytes), without leaving the loop; returns where it
    /// stopped reading.
    fn text(&mut self, chunk: &[u8], mut i: usize) -> Result<usize, Stop> {
        let n = chunk.len();
        loop {
            let Some(k) = chunk[i..].iter().position(|&b| b == b'<') else {
                self.grow((n - i) as u64)?;
                return Ok(n);
            };
            self.grow(k as u64)?;
            let lt = i + k;
            self.event_start = self.offset + lt as u64;
            self.event = 1;
            let (end_tag, from) = match chunk.get(lt + 1) {
                Some(b'/') => (true, lt + 2),
                Some(b'!' | b'?') | None => {
                    self.state = State::Lt;
                    return Ok(lt + 1);
                }
                Some(_) => (false, lt + 1),
            };
            let (gt, quote) = tag_end(chunk, from, 0);
            if gt == n {
                // Cut by the chunk's end: carried over.
                self.event = (from - lt) as u64;
                self.begin_tag(end_tag);
                self.quote = quote;
                self.take(&chunk[from..])?;
                return Ok(n);
            }
            self.end_tag = end_tag;
            self.grow((gt - lt) as u64)?;
            let content = &chunk[from..gt];
            let last = content.last().copied().unwrap_or(0);
            self.finish_tag(
                content,
                content.len() as u64,
                last,
                self.offset + gt as u64 + 1,
            )?;
            self.event = 0;
            i = gt + 1;
            if i == n {
                return Ok(n);
            }
        }
    }

    fn begin_tag(&mut self, end_tag: bool) {
        self.end_tag = end_tag;
        self.quote = 0;
        self.head_len = 0;
        self.content = 0;
        self.last = 0;
        self.overflowed = false;
        self.sst = None;
        self.state = State::Tag;
    }

    /// A comment, CDATA section or processing instruction, from `i`;
    /// returns where it stopped reading.
    fn bang(&mut self, chunk: &[u8], mut i: usize) -> Result<usize, Stop> {
        let from = i;
        while let Some(k) = memchr::memchr(b'>', &chunk[i..]) {
            let gt = i + k;
            let before = |back: usize| -> u8 {
                if gt - from >= back {
                    chunk[gt - back]
                } else {
                    self.tail[2 - (back - (gt - from))]
                }
            };
            // Bytes from the `<` to this `>`.
            let length = self.event + (gt - from) as u64;
            let ends = match self.state {
                State::Comment => length > 5 && before(2) == b'-' && before(1) == b'-',
                State::CData => before(2) == b']' && before(1) == b']',
                _ => before(1) == b'?',
            };
            if ends {
                self.grow((gt + 1 - from) as u64)?;
                #[cfg(test)]
                self.marks
                    .push((self.event_start, self.offset + gt as u64 + 1));
                self.event = 0;
                self.state = State::Text;
                return Ok(gt + 1);
            }
            i = gt + 1;
        }
        let rest = &chunk[from..];
        self.grow(rest.len() as u64)?;
        match rest {
            [.., a, b] => self.tail = [*a, *b],
            [b] => self.tail = [self.tail[1], *b],
            [] => {}
        }
        Ok(chunk.len())
    }

    /// The rest of a tag cut by a chunk's end, from `i`; returns where it
    /// stopped reading.
    fn tag(&mut self, chunk: &[u8], i: usize) -> Result<usize, Stop> {
        let (gt, quote) = tag_end(chunk, i, self.quote);
        self.quote = quote;
        self.take(&chunk[i..gt])?;
        if gt == chunk.len() {
            return Ok(gt);
        }
        self.grow(1)?;
        let sst = self.sst.take();
        let head = self.head;
        let content: &[u8] = match &sst {
            Some(whole) => whole,
            None => &head[..self.head_len],
        };
        self.finish_tag(
            content,
            self.content,
            self.last,
            self.offset + gt as u64 + 1,
        )?;
        self.event = 0;
        self.state = State::Text;
        Ok(gt + 1)
    }

    /// Bytes of a tag cut by a chunk's end: counted, with its first bytes
    /// kept (an `<sst>` tag is kept whole, for its count).
    fn take(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let Some(&last) = bytes.last() else {
            return Ok(());
        };
        self.grow(bytes.len() as u64)?;
        let copied = (HEAD - self.head_len).min(bytes.len());
        self.head[self.head_len..self.head_len + copied].copy_from_slice(&bytes[..copied]);
        self.head_len += copied;
        let rest = &bytes[copied..];
        if let Some(sst) = &mut self.sst {
            sst.extend_from_slice(rest);
            if sst.len() > MAX_SST_TAG {
                return Err(Stop::Damaged);
            }
        } else if !rest.is_empty() && !self.overflowed {
            self.overflowed = true;
            let (name, _) = tag_name(&self.head, HEAD as u64, 0);
            if !self.end_tag && local_name(name) == b"sst" {
                let mut sst = self.head.to_vec();
                sst.extend_from_slice(rest);
                self.sst = Some(sst);
            }
        }
        self.content += bytes.len() as u64;
        self.last = last;
        Ok(())
    }

    /// A tag read: `content` is its content (between `<` or `</` and `>`)
    /// whole, or its first bytes when it is longer; `len` is its length,
    /// `last` its last byte, `end` where it ends in the part.
    #[inline]
    fn finish_tag(&mut self, content: &[u8], len: u64, last: u8, end: u64) -> Result<(), Stop> {
        #[cfg(test)]
        self.marks.push((self.event_start, end));
        if self.end_tag {
            // quick-xml pops its last open name, whatever this one is.
            self.depth = self.depth.saturating_sub(1);
            // The name, trailing whitespace trimmed, compared whole with
            // the innermost text element's.
            let Some(top) = self.texts.last() else {
                return Ok(());
            };
            let Some(top_len) = top.len else {
                return Ok(());
            };
            if len > QNAME as u64 + 16 {
                return Ok(());
            }
            let mut name = content;
            while let [rest @ .., b] = name {
                if !is_space(*b) {
                    break;
                }
                name = rest;
            }
            if usize::from(top_len) == name.len() && top.qname.iter().zip(name).all(|(a, b)| a == b)
            {
                let top = self.texts.pop().expect("a text element");
                if top.kept {
                    self.kept.text_bytes += end - top.start;
                }
                self.check_span(top.start, end)?;
            }
            return Ok(());
        }
        let empty = len > 0 && last == b'/';
        let (qname, name_len) = tag_name(content, len, u64::from(empty));
        if !empty {
            self.depth += 1;
            self.longest_name = self.longest_name.max(name_len);
            if self.depth.saturating_mul(self.longest_name + 8) > MAX_ITEM_BYTES {
                return Err(Stop::Damaged);
            }
        }
        if name_len > qname.len() as u64 {
            // A name longer than the head: it may be any element's, with
            // a long prefix; if it holds a text, that text never ends.
            if !empty {
                self.push_text(&[], None, false)?;
            }
            return Ok(());
        }
        let local = local_name(qname);
        // A sheet's cells and rows: nothing to follow.
        if local == b"c" || local == b"row" {
            return Ok(());
        }
        let text = self.kept.count(local, self.event, content);
        // An empty element's text ends where it starts.
        if text && !empty {
            let kept = matches!(local, b"si" | b"definedName");
            let len = u8::try_from(qname.len())
                .ok()
                .filter(|&l| usize::from(l) <= QNAME);
            self.push_text(qname, len, kept)?;
        }
        Ok(())
    }

    fn push_text(&mut self, qname: &[u8], len: Option<u8>, kept: bool) -> Result<(), Stop> {
        if self.texts.len() == MAX_TEXT_DEPTH {
            return Err(Stop::Damaged);
        }
        let mut copy = [0u8; QNAME];
        if len.is_some() {
            copy[..qname.len()].copy_from_slice(qname);
        }
        self.texts.push(TextElement {
            qname: copy,
            len,
            start: self.event_start,
            kept,
        });
        Ok(())
    }

    /// The outermost text element, still open at `now`.
    fn check_texts(&self, now: u64) -> Result<(), Stop> {
        match self.texts.first() {
            Some(outer) => self.check_span(outer.start, now),
            None => Ok(()),
        }
    }

    fn check_span(&self, start: u64, end: u64) -> Result<(), Stop> {
        if end - start > MAX_ITEM_BYTES {
            return Err(Stop::Item);
        }
        Ok(())
    }
}

/// A start tag's name as quick-xml takes it (up to the first whitespace of
/// its content, without the closing `/` of an empty element: `trim` is 1
/// then), from `content` (the content of `len` bytes, whole or its first
/// bytes), with its length; when the name is longer than [`HEAD`] bytes,
/// its first bytes and an upper bound of its length.
fn tag_name(content: &[u8], len: u64, trim: u64) -> (&[u8], u64) {
    let whole = content.len() as u64 == len;
    let content = if whole {
        &content[..(len - trim) as usize]
    } else {
        content
    };
    let search = &content[..content.len().min(HEAD)];
    match search.iter().position(|&b| is_space(b)) {
        Some(end) => (&content[..end], end as u64),
        None if whole && content.len() <= HEAD => (content, content.len() as u64),
        None => (search, len),
    }
}

/// The local part of a qualified name (after the first `:`, as quick-xml).
fn local_name(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(colon) => &qname[colon + 1..],
        None => qname,
    }
}

/// The largest number given to a `uniqueCount` attribute in a tag (calamine
/// reserves room for the first one's count); a number too large for 64 bits
/// counts as the largest.
fn unique_count(tag: &[u8]) -> u64 {
    let mut largest = 0u64;
    for at in memchr::memmem::find_iter(tag, b"uniqueCount") {
        let mut rest = &tag[at + b"uniqueCount".len()..];
        let skip = |rest: &mut &[u8], what: &dyn Fn(u8) -> bool| {
            while let [b, tail @ ..] = *rest {
                if !what(*b) {
                    break;
                }
                *rest = tail;
            }
        };
        skip(&mut rest, &|b| is_space(b));
        let [b'=', tail @ ..] = rest else { continue };
        rest = tail;
        skip(&mut rest, &|b| {
            is_space(b) || b == b'"' || b == b'\'' || b == b'+'
        });
        let mut value = 0u64;
        for &d in rest.iter().take_while(|b| b.is_ascii_digit()) {
            value = value.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        }
        largest = largest.max(value);
    }
    largest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(1_644_100_214.0), "1644100214");
        assert_eq!(number_text(2567.49), "2567.49");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-12.0), "-12");
        assert_eq!(cell_ref_text(&DataRef::Int(8)), "8");
        assert_eq!(cell_ref_text(&DataRef::Empty), "");
        assert_eq!(
            cell_ref_text(&DataRef::SharedString("XQ710042173")),
            "XQ710042173"
        );
    }

    /// The lexer over `xml` cut at every `step` bytes.
    fn lex(xml: &[u8], step: usize) -> Result<Lexer, Stop> {
        let mut lexer = Lexer::default();
        for piece in xml.chunks(step.max(1)) {
            lexer.feed(piece)?;
        }
        Ok(lexer)
    }

    /// Every cut gives the same result.
    fn lex_all(xml: &[u8]) -> Result<Lexer, Stop> {
        let whole = lex(xml, xml.len());
        for step in [1, 2, 3, 5, 7, 64] {
            let cut = lex(xml, step);
            assert_eq!(
                cut.as_ref()
                    .map(|l| (l.kept.bytes(), l.texts.len(), l.depth)),
                whole
                    .as_ref()
                    .map(|l| (l.kept.bytes(), l.texts.len(), l.depth)),
                "cut every {step}"
            );
        }
        whole
    }

    #[test]
    fn events_are_cut_where_quick_xml_cuts_them() {
        let ok = br#"<?xml version="1.0"?><!-- a > b --><a x="1>2" y='<'><![CDATA[ <c> ]]><b/>text &amp; more</a>"#;
        let lexer = lex_all(ok).unwrap();
        assert_eq!(lexer.state, State::Text);
        assert_eq!(lexer.depth, 0);

        // One event of MAX_ITEM_BYTES passes; one byte more does not,
        // whatever kind of event it is.
        let n = MAX_ITEM_BYTES as usize;
        let mut text = vec![b' '; n];
        text.extend_from_slice(b"<a/>");
        assert!(lex(&text, 1 << 16).is_ok());
        text.insert(0, b' ');
        assert_eq!(lex(&text, 1 << 16).err(), Some(Stop::Item));
        for (open, fill, close) in [
            (&b"<a x=\""[..], b'>', &b"\">"[..]),
            (b"<!--", b'>', b"-->"),
            (b"<![CDATA[", b'>', b"]]>"),
            (b"<?pi ", b'>', b"?>"),
        ] {
            let mut xml = open.to_vec();
            xml.resize(n + 1, fill);
            xml.extend_from_slice(close);
            assert_eq!(lex(&xml, 1 << 16).err(), Some(Stop::Item), "{open:?}");
        }
        // A comment needs `-->` at least 6 bytes from its `<`: `<!-->`
        // does not end it.
        let lexer = lex_all(b"<!-->x-->").unwrap();
        assert_eq!(lexer.state, State::Text);
        assert_eq!(lex(b"<!-->", 64).unwrap().state, State::Comment);
        assert_eq!(lex(b"<!DOCTYPE x>", 64).err(), Some(Stop::Damaged));
        assert_eq!(lex(b"<!x>", 64).err(), Some(Stop::Parsed));
    }

    #[test]
    fn texts_built_across_events_are_measured_whole() {
        // Many small runs make one shared string.
        let mut xml = b"<sst><si>".to_vec();
        while xml.len() as u64 <= MAX_ITEM_BYTES {
            xml.extend_from_slice(b"<r><t>0123456789</t></r>");
        }
        xml.extend_from_slice(b"</si></sst>");
        assert_eq!(lex(&xml, 1 << 16).err(), Some(Stop::Item));
        // An end tag of another name (`</x:t>`, `</t a="">`) does not end a
        // text; calamine reads on.
        let mut xml = b"<si><t>".to_vec();
        while xml.len() as u64 <= MAX_ITEM_BYTES {
            xml.extend_from_slice(b"x</x:t></t a=\"\"></si>");
        }
        assert_eq!(lex(&xml, 1 << 16).err(), Some(Stop::Item));
        // Ended texts do not add up.
        let mut xml = Vec::new();
        while xml.len() as u64 <= 2 * MAX_ITEM_BYTES {
            xml.extend_from_slice(b"<c><v>1</v></c><c t=\"inlineStr\"><is><t>ab</t></is></c>");
        }
        let lexer = lex(&xml, 1 << 16).unwrap();
        assert!(lexer.texts.is_empty());
        assert_eq!(lexer.kept.bytes(), 0);
    }

    #[test]
    fn open_elements_are_bounded() {
        let mut xml = Vec::new();
        while xml.len() < (MAX_ITEM_BYTES / 2) as usize {
            xml.extend_from_slice(b"<x>");
        }
        assert_eq!(lex(&xml, 1 << 16).err(), Some(Stop::Damaged));
        let deep = b"<t>".repeat(MAX_TEXT_DEPTH + 1);
        assert_eq!(lex(&deep, 64).err(), Some(Stop::Damaged));
        let lexer = lex_all(b"<a><b/><c></c><d:e  >text</d:e ></a>").unwrap();
        assert_eq!(lexer.depth, 0);
    }

    #[test]
    fn what_calamine_keeps_is_estimated() {
        let lexer = lex_all(
            b"<?xml version=\"1.0\"?>\n<x:sst xmlns:x=\"s\" count=\"30\" uniqueCount=\"2\"><x:si><x:t>ab</x:t></x:si><si/></x:sst>",
        )
        .unwrap();
        assert_eq!(lexer.kept.strings, 2);
        assert_eq!(lexer.kept.unique_count, 2);
        assert_eq!(
            lexer.kept.text_bytes,
            "<x:si><x:t>ab</x:t></x:si>".len() as u64
        );
        // The count announced is reserved whole.
        let announced = lex_all(b"<sst uniqueCount = '1000000000000'><si/></sst>").unwrap();
        assert!(announced.kept.bytes() > MAX_KEPT_BYTES);
        assert_eq!(
            unique_count(b"sst uniqueCount=\"99999999999999999999999\""),
            u64::MAX
        );
        assert_eq!(unique_count(b"sst count=\"7\""), 0);
        // A long `<sst>` tag is read whole for its count.
        let mut long = b"<sst xmlns=\"".to_vec();
        long.extend(std::iter::repeat_n(b'a', 200));
        long.extend_from_slice(b"\" uniqueCount=\"77\">");
        assert_eq!(lex_all(&long).unwrap().kept.unique_count, 77);
        // Each cell format copies its number format and font name.
        let mut styles = b"<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"".to_vec();
        styles.extend(std::iter::repeat_n(b'0', 1 << 20));
        styles.extend_from_slice(b"\"/></numFmts><cellXfs>");
        for _ in 0..1000 {
            styles.extend_from_slice(b"<xf numFmtId=\"164\"/>");
        }
        styles.extend_from_slice(b"</cellXfs></styleSheet>");
        let lexer = lex(&styles, 1 << 16).unwrap();
        assert_eq!(lexer.kept.formats, 1000);
        assert!(lexer.kept.bytes() > MAX_KEPT_BYTES);
    }

    /// Reads the data sheet of `bytes` as [`read_workbook`] does and
    /// returns the names of the parts scanned.
    fn parts_scanned(bytes: &[u8]) -> Vec<String> {
        let guard = RefCell::new(Guard::new(bytes).unwrap());
        let reader = Guarded {
            bytes,
            pos: 0,
            guard: &guard,
        };
        let mut workbook: Xlsx<_> = Xlsx::new(reader).unwrap();
        stream_sheet(&mut workbook, DATA_SHEET, &mut |_, _, _| true).unwrap();
        drop(workbook);
        let mut guard = guard.into_inner();
        let mut scanned = Vec::new();
        for index in 0..guard.archive.len() {
            if guard.scanned[index] {
                let file = guard.archive.by_index_raw(index).unwrap();
                scanned.push(String::from_utf8_lossy(file.name_raw()).into_owned());
            }
        }
        scanned.sort();
        scanned
    }

    #[test]
    fn every_part_calamine_reads_is_scanned_before_it_is_read() {
        // The scan is started by calamine's first read of a part's data:
        // if zip or calamine ever read parts otherwise, this fails.
        let control = include_bytes!("../../tests/data/xlsx/limits/control.xlsx");
        assert_eq!(
            parts_scanned(control),
            [
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/sharedStrings.xml",
                "xl/styles.xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
            ]
        );
        let openpyxl = include_bytes!("../../tests/data/xlsx/es003_broker_excel_resaved.xlsx");
        assert_eq!(
            parts_scanned(openpyxl),
            [
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/theme/theme1.xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
            ]
        );
    }

    /// A row of an ES-003 as ACE writes it: 22 text cells, numbers as
    /// Excel text formulas (`="01600712713"`); the entry changes every
    /// three rows, amounts and quantities every row.
    fn ace_row(row: usize) -> Vec<String> {
        let entry = format!("=\"0160{:07}\"", row / 3);
        let mut cells = vec![
            entry,
            "=\"01\"".into(),
            format!("{}", row % 3 + 1),
            "=\"98-765432100\"".into(),
            "SYNTHETIC TEST IMPORTER LLC".into(),
            "=\"016\"".into(),
            "=\"2704\"".into(),
            "10/22/2025".into(),
            "11/01/2025".into(),
            "CN".into(),
            "1".into(),
            format!("=\"{}\"", 4_863_705_315u64 + row as u64 * 7919 % 100_000),
            format!("${},{:03}.00", row % 97, row % 1000),
            format!("${}.{:02}", row % 9973, row % 100),
            format!("{}", row % 4999),
            "NO".into(),
            "N".into(),
            "Unliquidated".into(),
        ];
        cells.extend(["", "", "", "CBP Control"].map(String::from));
        cells
    }

    #[test]
    fn an_export_of_excels_last_row_fits_the_limits() {
        // 10,000 rows, as inline strings (ACE) and as shared strings
        // (Excel), measured and scaled to 1,048,576 rows.
        const ROWS: usize = 10_000;
        let scale = (1u64 << 20) / ROWS as u64 + 1;
        let mut sheet = String::from("<worksheet><sheetData>");
        let mut strings: Vec<String> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut shared = String::from("<worksheet><sheetData>");
        for r in 0..ROWS {
            let row = 1_048_576 - ROWS + r;
            sheet.push_str(&format!("<row r=\"{row}\">"));
            shared.push_str(&format!("<row r=\"{row}\">"));
            for (c, text) in ace_row(r).into_iter().enumerate() {
                let at = format!("{}{row}", (b'A' + c as u8) as char);
                let text = text.replace('&', "&amp;").replace('"', "&quot;");
                sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"
                ));
                let next = index.len();
                let i = *index.entry(text.clone()).or_insert_with(|| {
                    strings.push(text);
                    next
                });
                shared.push_str(&format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"));
            }
            sheet.push_str("</row>");
            shared.push_str("</row>");
        }
        let mut sst = format!("<sst count=\"{0}\" uniqueCount=\"{0}\">", strings.len());
        for s in &strings {
            sst.push_str(&format!("<si><t>{s}</t></si>"));
        }
        sst.push_str("</sst>");

        assert!(lex_all(sheet.as_bytes()).unwrap().kept.bytes() == 0);
        let sheet_bytes = sheet.len() as u64 * scale;
        assert!(
            sheet_bytes * 2 < MAX_PART_BYTES,
            "an inline-string sheet of Excel's last row: {} MB",
            sheet_bytes >> 20
        );
        let kept = lex_all(sst.as_bytes()).unwrap().kept.bytes() * scale;
        assert!(
            kept * 3 / 2 < MAX_KEPT_BYTES,
            "the shared strings of Excel's last row: {} MB kept",
            kept >> 20
        );
        assert!((shared.len() as u64 + sst.len() as u64) * scale < MAX_PART_BYTES);
    }

    /// The markup events (tags, comments, CDATA sections, processing
    /// instructions) quick-xml reads in `xml` with calamine's settings, as
    /// byte ranges, and whether it read to the end.
    fn quick_xml_marks(xml: &[u8]) -> (Vec<(u64, u64)>, bool) {
        use quick_xml::errors::{Error, IllFormedError};
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_reader(xml);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        let mut marks = Vec::new();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let before = reader.buffer_position();
            let markup = match reader.read_event_into(&mut buf) {
                Ok(Event::Eof) => return (marks, true),
                Ok(Event::Text(_) | Event::GeneralRef(_)) => false,
                Ok(_) => true,
                Err(Error::IllFormed(IllFormedError::UnclosedReference)) => false,
                Err(Error::IllFormed(_)) => true,
                Err(_) => return (marks, false),
            };
            let after = reader.buffer_position();
            if markup && after > before {
                marks.push((before, after));
            }
        }
    }

    /// The lexer finds the markup events quick-xml finds, cut anywhere.
    fn assert_marks_like_quick_xml(xml: &[u8]) {
        let (expected, whole) = quick_xml_marks(xml);
        for step in [xml.len().max(1), 1, 7, 4096] {
            let mut lexer = Lexer::default();
            for piece in xml.chunks(step) {
                match lexer.feed(piece) {
                    Ok(()) => {}
                    Err(Stop::Parsed) => break,
                    Err(stop) => panic!("{stop:?} in {:?}", String::from_utf8_lossy(xml)),
                }
            }
            let marks = &lexer.marks;
            let shown = String::from_utf8_lossy(&xml[..xml.len().min(300)]);
            if whole {
                assert_eq!(marks, &expected, "cut every {step}: {shown:?}");
            } else {
                // quick-xml stopped at a syntax error; the lexer may read on.
                assert!(marks.len() >= expected.len(), "cut every {step}: {shown:?}");
                assert_eq!(
                    marks[..expected.len()],
                    expected,
                    "cut every {step}: {shown:?}"
                );
            }
        }
    }

    #[test]
    fn events_are_where_quick_xml_finds_them() {
        let mut cases: Vec<Vec<u8>> = [
            &b"<?xml version=\"1.0\"?>\n<a x=\"1>2\" y='<\"'>t &amp; &x; & u</a>"[..],
            b"<!-- a > b -- c --><!---->x<!-->y-->z<!--->w-->",
            b"<![CDATA[ ] ]] > ]]]><![CDATA[]]>",
            b"<?pi > ?><?>text<??>",
            b"</a x=\">\" >< b/><c/ ><d/>",
            b"<a\n  b='>'\t/><'\">",
            b"<x:si><x:t>a</x:t ><t>b</x:si></t></x:si>",
            b"<a><b>",
            b"<a",
            b"<",
            b"<!x>after",
            b"text<!-- unclosed",
        ]
        .iter()
        .map(|c| c.to_vec())
        .collect();
        // Every part of the committed workbooks.
        for book in [
            &include_bytes!("../../tests/data/xlsx/limits/control.xlsx")[..],
            include_bytes!("../../tests/data/xlsx/es003_broker_excel_resaved.xlsx"),
            include_bytes!("../../tests/data/xlsx/far_cell.xlsx"),
        ] {
            let mut zip = ZipArchive::new(Cursor::new(book)).unwrap();
            for i in 0..zip.len() {
                let mut part = Vec::new();
                zip.by_index(i).unwrap().read_to_end(&mut part).unwrap();
                cases.push(part);
            }
        }
        // And each with markup characters dropped in (a seeded generator).
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let originals = cases.clone();
        for _ in 0..600 {
            let mut case = originals[next(originals.len())].clone();
            case.truncate(4000);
            for _ in 0..1 + next(6) {
                let at = next(case.len() + 1);
                let b = b"<>\"'-!?[]/&= "[next(13)];
                case.insert(at, b);
            }
            cases.push(case);
        }
        for case in &cases {
            // A DTD is refused, not mirrored.
            if case.windows(3).any(|w| w == b"<!D" || w == b"<!d") {
                continue;
            }
            assert_marks_like_quick_xml(case);
        }
    }

    #[test]
    fn part_names_are_shown_printable_and_short() {
        assert_eq!(
            part_name("xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(part_name("a\nb\u{202e}c"), "a?b?c");
        assert!(part_name(&"x".repeat(500)).ends_with("x..."));
    }
}
