//! One large CSV file audited in two parts at once (the browser's two
//! workers; a machine has at least two cores).
//!
//! The main audit reads the file from its start; once it has found the
//! header it hands a helper a [`PartAudit`] spec. The helper reads the file
//! from a line start near the middle to its end, then hands back what it
//! found, encoded. When the main audit has read exactly up to that line
//! start, [`Audit::join_part`] merges the helper's rows in, as if it had
//! read them itself, row numbers included, and the file is done.
//!
//! The merge is exact or it is refused, with the reason ([`JoinRefused`]):
//! where one entry has rows on both sides and the helper's result could
//! differ from reading those rows in order (the line start was inside a
//! quoted cell, a tariff line repeated across the split, a first-seen value
//! that differs, ...), `join_part` says no and the main audit reads the rest
//! of the file itself. The tests compare both ways at every split point of
//! every sample.
//!
//! - `codec`: the bytes of a part.
//! - `file_part`: the file's header (the spec) and the facts of its rows.
//! - `book_part`: the helper's entry book, and its join into the main one.

mod book_part;
mod codec;
mod file_part;

use crate::audit::Audit;
use crate::entries::{EntryBook, FxHasher};
use crate::read::file::FileReader;
use codec::{Reader, Writer};
use std::fmt;
use std::hash::Hasher;

/// Why a helper's part was not joined. Nothing changed; the caller feeds
/// the rest of the file itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinRefused {
    /// No file is being read, or it cannot be read in parts (UTF-16, a
    /// workbook, not an ES-003, no usable header, already joined).
    NotSplittable,
    /// The bytes fed so far do not end at a record's end.
    MidRecord,
    /// The part's checksum does not hold: damaged or foreign bytes.
    Damaged,
    /// The bytes are not a part this build wrote.
    NotAPart,
    /// An entry with rows on both sides would not join exactly as if read
    /// in order (a first-seen value that differs, a tariff row repeated or
    /// out of order across the split, unreadable date cells).
    EntryDiffers,
}

impl fmt::Display for JoinRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JoinRefused::NotSplittable => "the file cannot be read in parts",
            JoinRefused::MidRecord => "the bytes read so far end inside a record",
            JoinRefused::Damaged => "the part's checksum does not hold",
            JoinRefused::NotAPart => "the bytes are not a part of this build",
            JoinRefused::EntryDiffers => {
                "an entry on both sides would not join exactly as if read in order"
            }
        })
    }
}

impl std::error::Error for JoinRefused {}

/// The helper's side: reads one file from a line start to its end.
#[derive(Debug)]
pub struct PartAudit {
    reader: FileReader,
    book: EntryBook,
}

impl PartAudit {
    /// A helper for the spec from [`Audit::part_spec`]; `None` when the spec
    /// is not one this build wrote.
    pub fn new(spec: &[u8]) -> Option<PartAudit> {
        let header = file_part::read_spec(spec)?;
        Some(PartAudit {
            reader: FileReader::for_part(header)?,
            book: EntryBook::default(),
        })
    }

    /// Pushes the next chunk (any size).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.reader.feed(chunk, &mut self.book);
    }

    /// Data rows used so far (for progress).
    pub fn rows_read(&self) -> u64 {
        self.book.rows_used
    }

    /// The end of the file: what was found, for [`Audit::join_part`],
    /// with a checksum last.
    pub fn finish(mut self) -> Vec<u8> {
        let index = self.reader.index();
        let facts = self.reader.finish_part(&mut self.book);
        let mut w = Writer::default();
        file_part::write_facts(&facts, &mut w);
        book_part::write_book(&self.book, index, &mut w);
        let sum = checksum(&w.bytes);
        w.bytes.extend_from_slice(&sum.to_le_bytes());
        w.bytes
    }
}

impl Audit {
    /// What a helper needs to read the rest of the current file from a line
    /// start ([`PartAudit::new`]): `None` while the header is not yet found,
    /// or when the file cannot be read in parts (UTF-16, a workbook, not an
    /// ES-003, or mid-record).
    pub fn part_spec(&self) -> Option<Vec<u8>> {
        let header = self.current_reader()?.part_header()?;
        Some(file_part::write_spec(&header))
    }

    /// Joins what a helper found ([`PartAudit::finish`]) reading the current
    /// file from the byte just after the bytes fed so far to its end. When
    /// joined, the file is read whole (call `end_file`, feed no more of it).
    /// When refused (see the module documentation), nothing changed, and
    /// the caller feeds the rest of the file itself.
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
        book_part::join_book(book, reader.index(), &mut r)?;
        reader.join_part(facts);
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

/// Feeds `bytes` to `audit` as one file, in two parts split at the first
/// line start at or after `at` when they join; says whether they did (the
/// file is ended either way). For tests and benchmarks: the browser does
/// the same with two workers.
pub fn feed_in_two_parts(audit: &mut Audit, name: &str, bytes: &[u8], at: usize) -> bool {
    audit.begin_file(name);
    let split = bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| at + i + 1);
    let Some(split) = split else {
        audit.feed(bytes);
        audit.end_file();
        return false;
    };
    // Fed in 64 KiB pieces, as a stream would be; the spec is asked for
    // after each, as soon as there is one.
    let mut spec = None;
    for piece in bytes[..split].chunks(1 << 16) {
        audit.feed(piece);
        if spec.is_none() {
            spec = audit.part_spec();
        }
    }
    let joined = spec
        .and_then(|spec| PartAudit::new(&spec))
        .is_some_and(|mut helper| {
            for piece in bytes[split..].chunks(1 << 16) {
                helper.feed(piece);
            }
            audit.join_part(&helper.finish()).is_ok()
        });
    if !joined {
        audit.feed(&bytes[split..]);
    }
    audit.end_file();
    joined
}
