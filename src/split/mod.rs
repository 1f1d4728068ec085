//! One large CSV file audited in parts at once (the browser's workers; a
//! machine has at least two cores).
//!
//! The file is cut at line starts c1 < c2 < ... < c(N-1). The main audit
//! reads [0, c1) itself; once it has found the header it hands helpers a
//! [`PartAudit`] spec. Helper k reads [ck, c(k+1)), the last one to the
//! file's end, then hands back what it found, encoded
//! ([`PartAudit::finish_at_cut`] before the end, [`PartAudit::finish`] at
//! it). Joining is in order: when the main audit has read (or joined)
//! exactly up to ck, [`Audit::join_part`] merges part k's rows in, as if it
//! had read them itself, row numbers included. It then stands exactly as if
//! it had read up to c(k+1): it can join part k+1, or read on itself. After
//! the last part (or the bytes to the end), the caller ends the file.
//!
//! A join is exact or it is refused, with the reason ([`JoinRefused`]), and
//! a refusal changes nothing: the caller feeds that part's bytes itself and
//! may try the next part. It is refused where the part's result could
//! differ from reading its rows in order: the cut was inside a quoted cell
//! (the main audit is mid-record there), the part ends inside a record, a
//! tariff line repeated across the cut, a first-seen value that differs,
//! ... The tests compare both ways at every split point of every sample,
//! and at random cut sets of 2 to 8 parts.
//!
//! - `codec`: the bytes of a part.
//! - `file_part`: the file's header (the spec) and the facts of its rows.
//! - `book_part`: the helper's entry book, and its join into the main one.

mod book_part;
mod codec;
mod file_part;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;

use crate::audit::Audit;
use crate::entries::{EntryBook, FxHasher};
use crate::read::file::{FileReader, PartEnd};
use codec::{Reader, Writer};
use std::fmt;
use std::hash::Hasher;

/// Why a helper's part was not joined. Nothing changed; the caller feeds
/// the part's bytes itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinRefused {
    /// No file is being read, or it cannot be read in parts (UTF-16, a
    /// workbook, not an ES-003, no usable header, read to its end already).
    NotSplittable,
    /// The bytes fed so far do not end at a record's end.
    MidRecord,
    /// The part's checksum does not hold: damaged or foreign bytes.
    Damaged,
    /// The bytes are not a part this build wrote (or of another file).
    NotAPart,
    /// An entry with rows on both sides would not join exactly as if read
    /// in order (a first-seen value that differs, a tariff row repeated or
    /// out of order across the split, unreadable date cells).
    EntryDiffers,
    /// The part starts at another byte than the one after the bytes read
    /// or joined so far (parts join in order).
    OutOfPlace,
    /// The part ends before the file's end inside a record (a quoted cell
    /// or a line that goes on in the next part).
    PartEndsMidRecord,
}

impl fmt::Display for JoinRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JoinRefused::NotSplittable => "the file cannot be read in parts",
            JoinRefused::MidRecord => "the bytes read so far end inside a record",
            JoinRefused::Damaged => "the part's checksum does not hold",
            JoinRefused::NotAPart => "the bytes are not a part of this file from this build",
            JoinRefused::EntryDiffers => {
                "an entry on both sides would not join exactly as if read in order"
            }
            JoinRefused::OutOfPlace => "the part does not start where the bytes read so far end",
            JoinRefused::PartEndsMidRecord => "the part ends inside a record",
        })
    }
}

impl std::error::Error for JoinRefused {}

/// The helper's side: reads one part of a file, from a line start to a
/// cut or to the file's end.
#[derive(Debug)]
pub struct PartAudit {
    reader: FileReader,
    book: EntryBook,
    /// Where the part starts in the file, when the helper was told.
    start: Option<u64>,
}

impl PartAudit {
    /// A helper for the spec from [`Audit::part_spec`]; `None` when the spec
    /// is not one this build wrote. Where the part starts is not checked
    /// at the join (see [`PartAudit::starting_at`]).
    pub fn new(spec: &[u8]) -> Option<PartAudit> {
        let header = file_part::read_spec(spec)?;
        Some(PartAudit {
            reader: FileReader::for_part(header)?,
            book: EntryBook::default(),
            start: None,
        })
    }

    /// A helper for the part that starts at byte `start` of the file: the
    /// join refuses it anywhere else ([`JoinRefused::OutOfPlace`]), so parts
    /// joined out of order are never misread.
    pub fn starting_at(spec: &[u8], start: u64) -> Option<PartAudit> {
        let mut part = PartAudit::new(spec)?;
        part.start = Some(start);
        Some(part)
    }

    /// Pushes the next chunk (any size).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.reader.feed(chunk, &mut self.book);
    }

    /// Data rows used so far (for progress).
    pub fn rows_read(&self) -> u64 {
        self.book.rows_used
    }

    /// Bytes fed so far: the part's length once it is all fed.
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    /// The part ended at the file's end: what was found, for
    /// [`Audit::join_part`], with a checksum last. The last record is read
    /// even without a line end.
    pub fn finish(self) -> Vec<u8> {
        self.encode(true)
    }

    /// The part ended at a cut before the file's end: what was found, for
    /// [`Audit::join_part`]. No end-of-file work is done: a record the
    /// bytes end inside goes on in the next part, so such a part says so
    /// and is refused ([`JoinRefused::PartEndsMidRecord`]).
    pub fn finish_at_cut(self) -> Vec<u8> {
        self.encode(false)
    }

    fn encode(mut self, end_of_file: bool) -> Vec<u8> {
        let index = self.reader.index();
        let facts = self.reader.finish_part(&mut self.book, end_of_file);
        let mut w = Writer::default();
        file_part::write_facts(&facts, &mut w);
        w.u64(self.start.map_or(0, |start| start.saturating_add(1)));
        // A part that ends mid-record is refused on its facts: its rows
        // would never be read, so they are not written.
        if facts.end != PartEnd::MidRecord {
            book_part::write_book(&self.book, index, &mut w);
        }
        let sum = checksum(&w.bytes);
        w.bytes.extend_from_slice(&sum.to_le_bytes());
        w.bytes
    }
}

impl Audit {
    /// What a helper needs to read a later part of the current file from a
    /// line start ([`PartAudit::new`]): `None` while the header is not yet
    /// found, or when the file cannot be read in parts (UTF-16, a workbook,
    /// not an ES-003, or already joined to its end). The same spec serves
    /// every part of the file.
    pub fn part_spec(&self) -> Option<Vec<u8>> {
        let header = self.current_reader()?.part_header()?;
        Some(file_part::write_spec(&header))
    }

    /// Joins what a helper found ([`PartAudit::finish`] or
    /// [`PartAudit::finish_at_cut`]) reading the current file from the byte
    /// just after the bytes fed or joined so far. When joined, the audit
    /// stands as if it had read the part's bytes: after a part that ended
    /// at a cut, feed or join what follows it; after a part that ended at
    /// the file's end, call `end_file` (feed no more of it). When refused
    /// (see the module documentation), nothing changed, and the caller
    /// feeds the part's bytes itself.
    pub fn join_part(&mut self, part: &[u8]) -> Result<(), JoinRefused> {
        let (reader, book) = self.reading().ok_or(JoinRefused::NotSplittable)?;
        let offset = reader
            .part_offset()
            .ok_or(if reader.part_header().is_some() {
                JoinRefused::MidRecord
            } else {
                JoinRefused::NotSplittable
            })?;
        // Damaged or foreign bytes are refused before anything is read.
        let (part, sum) = part.split_last_chunk::<8>().ok_or(JoinRefused::Damaged)?;
        if checksum(part) != u64::from_le_bytes(*sum) {
            return Err(JoinRefused::Damaged);
        }
        let mut r = Reader::new(part, offset);
        let facts = file_part::read_facts(&mut r).ok_or(JoinRefused::NotAPart)?;
        if facts.index != reader.index() {
            return Err(JoinRefused::NotAPart);
        }
        let start = r.u64().ok_or(JoinRefused::NotAPart)?;
        if start != 0 && start - 1 != reader.bytes_read() {
            return Err(JoinRefused::OutOfPlace);
        }
        if facts.end == PartEnd::MidRecord {
            return Err(JoinRefused::PartEndsMidRecord);
        }
        book_part::join_book(book, reader.index(), &mut r)?;
        reader.join_part(facts);
        self.fingerprint_partial();
        Ok(())
    }
}

/// A 64-bit hash of a part's bytes: the join trusts what it verifies.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// Feeds `bytes` to `audit` as one file, cut into parts, and ends the
/// file. Each cut is moved to the start of the line after the first line
/// end at or after it, as the browser finds it (cuts in any order; one
/// with no line end after it is dropped; equal ones make empty parts). The bytes before the first cut are fed; each later part is read
/// by a helper and joined, or fed when its join is refused (or before the
/// header is found: the spec is asked for at each cut). Says how many
/// parts were joined. For tests and benchmarks: the browser does the same
/// with workers, the benchmark with threads.
pub fn feed_in_parts(audit: &mut Audit, name: &str, bytes: &[u8], cuts: &[usize]) -> usize {
    audit.begin_file(name);
    let mut starts: Vec<usize> = cuts
        .iter()
        .filter_map(|&at| line_start_after(bytes, at))
        .collect();
    starts.sort_unstable();
    let first = starts.first().copied().unwrap_or(bytes.len());
    let mut spec = None;
    feed_asking_spec(audit, &bytes[..first], &mut spec);
    let mut joined = 0;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied();
        let part = &bytes[start..end.unwrap_or(bytes.len())];
        let helper = spec
            .as_deref()
            .and_then(|s| PartAudit::starting_at(s, start as u64));
        let found = helper.map(|mut helper| {
            // Fed in 64 KiB pieces, as a stream would be.
            part.chunks(1 << 16).for_each(|piece| helper.feed(piece));
            match end {
                Some(_) => helper.finish_at_cut(),
                None => helper.finish(),
            }
        });
        if found.is_some_and(|found| audit.join_part(&found).is_ok()) {
            joined += 1;
        } else {
            feed_asking_spec(audit, part, &mut spec);
        }
    }
    audit.end_file();
    joined
}

/// Where the line after the first `\n` at or after `at` starts.
fn line_start_after(bytes: &[u8], at: usize) -> Option<usize> {
    let at = at.min(bytes.len());
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| at + i + 1)
}

/// Feeds `bytes` in 64 KiB pieces, as a stream would be; the spec is asked
/// for after each, until there is one.
fn feed_asking_spec(audit: &mut Audit, bytes: &[u8], spec: &mut Option<Vec<u8>>) {
    for piece in bytes.chunks(1 << 16) {
        audit.feed(piece);
        if spec.is_none() {
            *spec = audit.part_spec();
        }
    }
}

/// Feeds `bytes` to `audit` as one file, in two parts split at the line
/// start after the first line end at or after `at` when they join; says whether they did (the
/// file is ended either way). [`feed_in_parts`] with one cut.
pub fn feed_in_two_parts(audit: &mut Audit, name: &str, bytes: &[u8], at: usize) -> bool {
    feed_in_parts(audit, name, bytes, &[at]) == 1
}
