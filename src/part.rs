//! One large CSV file audited in two parts at once (the browser's two
//! workers; a machine has at least two cores).
//!
//! The main audit reads the file from its start; once it has found the
//! header it hands a helper a [`PartAudit`] spec. The helper reads the file
//! from a line start near the middle to its end, then hands back what it
//! found, encoded. When the main audit has read exactly up to that line
//! start, [`crate::Audit::join_part`] merges the helper's rows in, as if it
//! had read them itself, row numbers included, and the file is done.
//!
//! The merge is exact or it is refused: where one entry has rows on both
//! sides and the helper's result could differ from reading those rows in
//! order (the line start was inside a quoted cell, a tariff line repeated
//! across the split, a first-seen value that differs, ...), `join_part`
//! says no and the main audit reads the rest of the file itself. The tests
//! compare both ways at every split point of every sample.

use crate::audit::Audit;
use crate::entry::{EntryBook, FxHasher};
use crate::file_reader::FileReader;
use crate::finding::Rows;
use std::hash::Hasher;

/// Bytes of an encoded part: a plain format for two copies of this very
/// build, never stored and never read from elsewhere.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    pub fn u32(&mut self, v: u32) {
        self.u64(u64::from(v));
    }

    pub fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn bool(&mut self, v: bool) {
        self.bytes.push(u8::from(v));
    }

    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        self.bool(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }

    pub fn rows(&mut self, rows: &Rows) {
        let runs = rows.runs();
        self.u64(runs.len() as u64);
        for &(start, end) in runs {
            self.u32(start);
            self.u32(end - start);
        }
    }

    /// Row-and-text pairs (conflicting cells, unreadable cells).
    pub fn noted(&mut self, list: &[(u32, String)]) {
        self.u64(list.len() as u64);
        for (row, text) in list {
            self.u32(*row);
            self.str(text);
        }
    }
}

/// Reads what [`Writer`] wrote; `None` at the first thing out of place.
/// Row numbers are moved by `offset`: the helper numbers its rows from 1.
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    pub offset: u32,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], offset: u32) -> Reader<'a> {
        Reader {
            bytes,
            at: 0,
            offset,
        }
    }

    pub fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    pub fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        // A count can never exceed the bytes left: damaged input fails here
        // rather than asking for a huge allocation.
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    /// A number that is not a count of what follows (an index).
    pub fn len_unbounded(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    pub fn i64(&mut self) -> Option<i64> {
        let v = self.u64()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    pub fn bool(&mut self) -> Option<bool> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        match b {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(bytes)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        Some(if self.bool()? {
            Some(self.str()?)
        } else {
            None
        })
    }

    /// A row number of the helper, as the main audit numbers it.
    pub fn row(&mut self) -> Option<u32> {
        self.u32()?.checked_add(self.offset)
    }

    pub fn rows(&mut self) -> Option<Rows> {
        let mut rows = Rows::new();
        for _ in 0..self.len()? {
            let start = self.row()?;
            let end = start.checked_add(self.u32()?)?;
            rows.push_run(start, end);
        }
        Some(rows)
    }

    pub fn noted(&mut self) -> Option<Vec<(u32, String)>> {
        let n = self.len()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push((self.row()?, self.str()?.to_string()));
        }
        Some(list)
    }
}

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
        Some(PartAudit {
            reader: FileReader::for_part(spec)?,
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
        let mut w = Writer::default();
        self.reader.write_part(&mut self.book, &mut w);
        self.book.write_part(self.reader.index(), &mut w);
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
        self.current_reader()?.part_spec()
    }

    /// Joins what a helper found ([`PartAudit::finish`]) reading the current
    /// file from the byte just after the bytes fed so far to its end. True
    /// when joined: the file is then read whole (call `end_file`, feed no
    /// more of it). False when the rows cannot be joined exactly (see the
    /// module documentation) or the bytes are not a part: nothing changed,
    /// and the caller feeds the rest of the file itself.
    pub fn join_part(&mut self, part: &[u8]) -> bool {
        let Some(reader) = self.current_reader_mut() else {
            return false;
        };
        let Some(offset) = reader.part_offset() else {
            return false;
        };
        // Damaged or foreign bytes are refused before anything is read.
        let Some((part, sum)) = part.split_last_chunk::<8>() else {
            return false;
        };
        if checksum(part) != u64::from_le_bytes(*sum) {
            return false;
        }
        let mut r = Reader::new(part, offset);
        let Some(file_part) = FileReader::read_part(&mut r) else {
            return false;
        };
        let index = reader.index();
        if !self.book_mut().join_part(index, &mut r) {
            return false;
        }
        if let Some(reader) = self.current_reader_mut() {
            reader.join_part(file_part);
        }
        true
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
            audit.join_part(&helper.finish())
        });
    if !joined {
        audit.feed(&bytes[split..]);
    }
    audit.end_file();
    joined
}
