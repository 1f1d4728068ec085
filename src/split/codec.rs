//! The bytes of a part: varints, strings and row runs, in a plain format
//! for two copies of this very build (never stored, never read from
//! elsewhere). A reader answers `None` at the first thing out of place.

use crate::finding::Rows;

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
        for &(start, end) in runs.iter() {
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
