//! A resumable push CSV tokenizer that counts rows the way Excel shows them.
//!
//! The caller hands it byte slices of any size; it calls back once per
//! record. It never owns I/O and never needs more than one record in memory
//! (bounded by [`MAX_RECORD_BYTES`]). Unlike `csv-core`, it reports blank
//! lines as records, because every line Excel shows is a row number users
//! will look for, and it accepts `\r\n`, `\n` and a lone `\r` as line ends.
//!
//! Two paths, one result: a record that lies wholly inside the chunk and
//! has no escaped quote is split in place, its delimiters and line ends
//! found 16 bytes at a time (SIMD: wasm simd128, SSE2) and handed over
//! without copying; any other record (cut by a chunk boundary,
//! `""` inside a quoted cell, text after a closing quote, too long) goes
//! through a byte-by-byte state machine that copies its cells. The tests
//! compare both with the `csv` crate in every chunk size.
//!
//! Quoting follows RFC 4180 leniently, as the `csv` crate does: a quote
//! inside an unquoted field is a literal, and text after a closing quote is
//! kept.

use crate::read::decode::cell_text;
use crate::values::text::unwrap_text_formula;
use memchr::{memchr, memchr3};
use std::borrow::Cow;

/// A record longer than this is not kept (its bytes are skipped, the
/// record is reported as oversized): memory stays bounded whatever the input.
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// Likewise for the number of fields of one record.
pub const MAX_FIELDS: usize = 4096;

/// Why a record cannot be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordProblem {
    /// Longer than [`MAX_RECORD_BYTES`] or more than [`MAX_FIELDS`] fields.
    Oversized,
    /// A quoted field was still open at the end of the file: the rest of the
    /// file was read as that one cell.
    UnclosedQuote,
}

/// One record, borrowed from the tokenizer until the callback returns.
#[derive(Debug)]
pub struct Record<'a> {
    /// The 1-based row number Excel would show for this record.
    pub row: u32,
    /// Set when the record cannot be trusted.
    pub problem: Option<RecordProblem>,
    /// Whether a line end closed the record (false: the end of the input
    /// cut it, as at the end of a file without a last line end).
    pub ended: bool,
    bytes: &'a [u8],
    /// Where each field's content is in `bytes`.
    spans: &'a [(usize, usize)],
    /// The whole record as text, when it is valid UTF-8 (checked once).
    text: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// How many fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// No fields (never: a blank line has one empty field).
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The bytes of field `i`, if it exists.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let &(start, end) = self.spans.get(i)?;
        Some(&self.bytes[start..end])
    }

    /// The text of field `i`: UTF-8, or else Windows-1252 (see
    /// [`crate::read::decode::cell_text`]).
    #[inline]
    ///
    /// An Excel text formula (`="60576069342"`, as ACE writes numbers in
    /// its downloads) reads as the text inside it.
    pub fn text(&self, i: usize) -> Option<Cow<'a, str>> {
        let &(start, end) = self.spans.get(i)?;
        let text = match self.text {
            // Fields start and end next to ASCII bytes: char boundaries.
            Some(text) => text
                .get(start..end)
                .map_or_else(|| cell_text(&self.bytes[start..end]).0, Cow::Borrowed),
            None => cell_text(&self.bytes[start..end]).0,
        };
        Some(match text {
            Cow::Borrowed(cell) => Cow::Borrowed(unwrap_text_formula(cell)),
            Cow::Owned(cell) => match unwrap_text_formula(&cell) {
                inner if inner.len() == cell.len() => Cow::Owned(cell),
                inner => Cow::Owned(inner.to_string()),
            },
        })
    }

    /// Whether the record is valid UTF-8 (else its cells are read as Windows-1252).
    pub fn is_utf8(&self) -> bool {
        self.text.is_some()
    }

    /// Every field.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    /// A blank line, or a row of empty fields (`,,,`).
    pub fn is_blank(&self) -> bool {
        self.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
    }

    /// The record with empty fields added up to `width` fields (a row whose
    /// writer left out the delimiters of its blank last cells); `spans` is
    /// the room the padded record's field list is built in.
    pub fn padded<'s>(&self, width: usize, spans: &'s mut Vec<(usize, usize)>) -> Record<'s>
    where
        'a: 's,
    {
        spans.clear();
        spans.extend_from_slice(self.spans);
        let end = self.bytes.len();
        spans.resize(width.max(self.spans.len()), (end, end));
        Record {
            row: self.row,
            problem: self.problem,
            ended: self.ended,
            bytes: self.bytes,
            spans,
            text: self.text,
        }
    }
}

/// A record made from cells that did not come from CSV text (the rows of a
/// spreadsheet), so that they go through the same reading as CSV rows.
#[derive(Debug, Default)]
pub struct RecordBuilder {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl RecordBuilder {
    /// Replaces the cells.
    pub fn set<'s>(&mut self, cells: impl IntoIterator<Item = &'s str>) {
        self.bytes.clear();
        self.spans.clear();
        for cell in cells {
            let start = self.bytes.len();
            self.bytes.extend_from_slice(cell.as_bytes());
            self.spans.push((start, self.bytes.len()));
        }
    }

    /// The cells as the record of row `row`.
    pub fn record(&self, row: u32) -> Record<'_> {
        Record {
            row,
            problem: None,
            ended: true,
            bytes: &self.bytes,
            spans: &self.spans,
            text: std::str::from_utf8(&self.bytes).ok(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a record (nothing read yet).
    StartRecord,
    /// At the start of a field after a delimiter.
    StartField,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote or the end of it.
    QuoteInQuoted,
    /// A `\r` ended the record; a `\n` right after belongs to it.
    AfterCr,
}

/// The push tokenizer. See the module documentation.
#[derive(Debug)]
pub struct RecordReader {
    delimiter: u8,
    state: State,
    /// The copied cells of the record being read by the state machine.
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
    field_start: usize,
    row: u32,
    oversized: bool,
}

impl RecordReader {
    /// A tokenizer for one delimiter (`,`, `;` or tab).
    pub fn new(delimiter: u8) -> RecordReader {
        RecordReader {
            delimiter,
            state: State::StartRecord,
            bytes: Vec::with_capacity(1024),
            spans: Vec::with_capacity(64),
            field_start: 0,
            row: 1,
            oversized: false,
        }
    }

    /// Rows completed so far.
    pub fn rows(&self) -> u32 {
        self.row - 1
    }

    /// The delimiter it splits on.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether the bytes fed so far end exactly at the end of a record
    /// (not inside a quoted cell, not after a `\r` that a `\n` may follow).
    pub fn at_record_start(&self) -> bool {
        self.state == State::StartRecord
    }

    /// Counts `rows` records read elsewhere (the other part of a file).
    pub fn add_rows(&mut self, rows: u32) {
        self.row = self.row.saturating_add(rows);
    }

    /// Reads `input`, calling `on_record` for every record completed in it.
    pub fn feed<F: FnMut(&Record<'_>)>(&mut self, input: &[u8], on_record: &mut F) {
        let mut i = 0;
        let n = input.len();
        while i < n {
            if self.state == State::StartRecord {
                if let Some(next) = self.whole_record(input, i, on_record) {
                    i = next;
                    continue;
                }
                self.spans.clear();
            }
            match self.state {
                State::StartRecord | State::StartField => {
                    let b = input[i];
                    i += 1;
                    if b == b'"' {
                        self.state = State::Quoted;
                    } else {
                        self.after_field(b, on_record);
                    }
                }
                State::Unquoted => {
                    let run = find_stop(&input[i..], self.delimiter).unwrap_or(n - i);
                    self.push(&input[i..i + run]);
                    i += run;
                    if i < n {
                        // A delimiter or a line end: never cell text.
                        self.after_field(input[i], on_record);
                        i += 1;
                    }
                }
                State::Quoted => {
                    let run = memchr(b'"', &input[i..]).unwrap_or(n - i);
                    self.push(&input[i..i + run]);
                    i += run;
                    if i < n {
                        i += 1;
                        self.state = State::QuoteInQuoted;
                    }
                }
                State::QuoteInQuoted => {
                    let b = input[i];
                    i += 1;
                    if b == b'"' {
                        self.push_byte(b'"');
                        self.state = State::Quoted;
                    } else {
                        self.after_field(b, on_record);
                    }
                }
                State::AfterCr => {
                    if input[i] == b'\n' {
                        i += 1;
                    }
                    self.state = State::StartRecord;
                }
            }
        }
    }

    /// A byte other than a quote where a field may end: a delimiter ends the
    /// field, a line end ends the record, anything else is cell text.
    #[inline]
    fn after_field<F: FnMut(&Record<'_>)>(&mut self, b: u8, on_record: &mut F) {
        if b == self.delimiter {
            self.end_field();
            self.state = State::StartField;
        } else if b == b'\n' {
            self.end_record(None, true, on_record);
        } else if b == b'\r' {
            self.end_record(None, true, on_record);
            self.state = State::AfterCr;
        } else {
            self.push_byte(b);
            self.state = State::Unquoted;
        }
    }

    /// The fast path: a record wholly inside `input` from `start`, without
    /// escaped quotes, split in place. Returns where the next record starts,
    /// or `None` to let the state machine read it from `start`.
    #[inline]
    fn whole_record<F: FnMut(&Record<'_>)>(
        &mut self,
        input: &[u8],
        start: usize,
        on_record: &mut F,
    ) -> Option<usize> {
        self.spans.clear();
        let delimiter = self.delimiter;
        let mut scan = Structural::new(input, start, delimiter);
        let mut field = start;
        let end = loop {
            if self.spans.len() >= MAX_FIELDS || field - start > MAX_RECORD_BYTES {
                return None;
            }
            if *input.get(field)? == b'"' {
                let close = field + 1 + memchr(b'"', &input[field + 1..])?;
                self.spans.push((field + 1 - start, close - start));
                match *input.get(close + 1)? {
                    b if b == delimiter => field = close + 2,
                    b'\r' | b'\n' => break close + 1,
                    // `""` inside, or text after the closing quote.
                    _ => return None,
                }
            } else {
                // A quote inside an unquoted cell is text: pass over it.
                let mut stop = scan.next_from(field)?;
                while input[stop] == b'"' {
                    stop = scan.next_from(stop + 1)?;
                }
                self.spans.push((field - start, stop - start));
                if input[stop] == delimiter {
                    field = stop + 1;
                } else {
                    break stop;
                }
            }
        };
        // A `\r` at the very end of the input may be half of `\r\n`.
        let next = match input[end] {
            b'\r' if end + 1 == input.len() => return None,
            b'\r' if input[end + 1] == b'\n' => end + 2,
            _ => end + 1,
        };
        let bytes = &input[start..end];
        if bytes.len() > MAX_RECORD_BYTES {
            return None;
        }
        on_record(&Record {
            row: self.row,
            problem: None,
            ended: true,
            bytes,
            spans: &self.spans,
            text: std::str::from_utf8(bytes).ok(),
        });
        self.row = self.row.saturating_add(1);
        self.spans.clear();
        Some(next)
    }

    /// The end of the input: completes a last record without a line end.
    pub fn finish<F: FnMut(&Record<'_>)>(&mut self, on_record: &mut F) {
        match self.state {
            State::StartRecord | State::AfterCr => {}
            State::Quoted => self.end_record(Some(RecordProblem::UnclosedQuote), false, on_record),
            State::StartField | State::Unquoted | State::QuoteInQuoted => {
                self.end_record(None, false, on_record)
            }
        }
        self.state = State::StartRecord;
    }

    #[inline]
    fn push(&mut self, run: &[u8]) {
        if self.bytes.len() + run.len() <= MAX_RECORD_BYTES {
            self.bytes.extend_from_slice(run);
        } else {
            self.oversized = true;
        }
    }

    #[inline]
    fn push_byte(&mut self, b: u8) {
        if self.bytes.len() < MAX_RECORD_BYTES {
            self.bytes.push(b);
        } else {
            self.oversized = true;
        }
    }

    #[inline]
    fn end_field(&mut self) {
        if self.spans.len() < MAX_FIELDS {
            self.spans.push((self.field_start, self.bytes.len()));
        } else {
            self.oversized = true;
        }
        self.field_start = self.bytes.len();
    }

    fn end_record<F: FnMut(&Record<'_>)>(
        &mut self,
        problem: Option<RecordProblem>,
        ended: bool,
        on_record: &mut F,
    ) {
        self.end_field();
        let problem = problem.or(self.oversized.then_some(RecordProblem::Oversized));
        // Copied cells lie side by side without their delimiters: the record
        // is text only if every cell is (each boundary a char boundary).
        let text = std::str::from_utf8(&self.bytes).ok().filter(|t| {
            self.spans
                .iter()
                .all(|&(s, e)| t.is_char_boundary(s) && t.is_char_boundary(e))
        });
        on_record(&Record {
            row: self.row,
            problem,
            ended,
            bytes: &self.bytes,
            spans: &self.spans,
            text,
        });
        self.row = self.row.saturating_add(1);
        self.bytes.clear();
        self.spans.clear();
        self.field_start = 0;
        self.oversized = false;
        self.state = State::StartRecord;
    }
}

/// The structural bytes of a record (delimiter, `\r`, `\n`, `"`), found 16
/// bytes at a time: one mask per block serves every cell in it, instead of
/// a search per cell (a row of an export has about twenty short cells).
struct Structural<'a> {
    input: &'a [u8],
    /// Where the block of `bits` starts.
    base: usize,
    /// Bit i: `input[base + i]` is structural; cleared below where asked.
    bits: u32,
    delimiter: u8,
}

impl<'a> Structural<'a> {
    fn new(input: &'a [u8], from: usize, delimiter: u8) -> Structural<'a> {
        let mut scan = Structural {
            input,
            base: from,
            bits: 0,
            delimiter,
        };
        scan.load(from);
        scan
    }

    /// The first structural byte at or after `from` (never before the last
    /// one returned), or `None` when the input ends first.
    #[inline]
    fn next_from(&mut self, from: usize) -> Option<usize> {
        if from >= self.base + 16 {
            self.load(from);
        } else {
            let skip = from - self.base;
            self.bits &= u32::MAX << skip;
        }
        while self.bits == 0 {
            if self.base + 16 >= self.input.len() {
                return None;
            }
            self.load(self.base + 16);
        }
        Some(self.base + self.bits.trailing_zeros() as usize)
    }

    /// Scans the block that starts at `base` (fewer than 16 bytes at the end).
    #[inline]
    fn load(&mut self, base: usize) {
        self.base = base;
        let rest = self.input.get(base..).unwrap_or_default();
        self.bits = match rest.first_chunk::<16>() {
            Some(block) => structural_mask(block, self.delimiter),
            None => rest.iter().enumerate().fold(0, |bits, (i, &b)| {
                let hit = b == self.delimiter || matches!(b, b'\r' | b'\n' | b'"');
                bits | (u32::from(hit) << i)
            }),
        };
    }
}

/// Bit i set when `block[i]` is the delimiter, `\r`, `\n` or `"`: one SIMD
/// comparison per kind for all 16 bytes, in the browser (wasm simd128) and
/// natively on x86-64 (SSE2, always there); 8 bytes at a time elsewhere.
#[inline]
fn structural_mask(block: &[u8; 16], delimiter: u8) -> u32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load, v128_or};
        // SAFETY: `block` is 16 readable bytes; wasm loads need no alignment.
        let v = unsafe { v128_load(block.as_ptr().cast::<v128>()) };
        let is = |b: u8| u8x16_eq(v, u8x16_splat(b));
        u32::from(u8x16_bitmask(v128_or(
            v128_or(is(delimiter), is(b'"')),
            v128_or(is(b'\r'), is(b'\n')),
        )))
    }
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of every x86-64 processor; `block` is 16
        // readable bytes and the load is unaligned.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
            let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            let any = _mm_or_si128(
                _mm_or_si128(is(delimiter), is(b'"')),
                _mm_or_si128(is(b'\r'), is(b'\n')),
            );
            _mm_movemask_epi8(any) as u32 & 0xFFFF
        }
    }
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        target_arch = "x86_64"
    )))]
    {
        structural_mask_swar(block, delimiter)
    }
}

/// [`structural_mask`] 8 bytes at a time in a `u64` (SWAR), where there is no
/// SIMD: the exact zero-byte test, then the eight flags gathered into a byte
/// by one multiply.
#[cfg(any(
    test,
    not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        target_arch = "x86_64"
    ))
))]
fn structural_mask_swar(block: &[u8; 16], delimiter: u8) -> u32 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let half = |bytes: [u8; 8]| -> u32 {
        let x = u64::from_le_bytes(bytes);
        // 0x80 in each byte of `x` equal to `b`, exactly (no borrow between bytes).
        let is = |b: u8| {
            let y = x ^ (LOW * u64::from(b));
            !((y & SEVEN).wrapping_add(SEVEN) | y | SEVEN)
        };
        let flags = (is(delimiter) | is(b'"') | is(b'\r') | is(b'\n')) >> 7;
        (flags.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    };
    let (low, high) = block.split_at(8);
    let word = |b: &[u8]| -> [u8; 8] { b.try_into().unwrap_or_default() };
    half(word(low)) | (half(word(high)) << 8)
}

/// The first delimiter, `\r` or `\n` in `hay`. Most cells are short, so the
/// first 32 bytes are searched 8 at a time in a `u64` (SWAR: the classic
/// has-zero-byte test, which costs the same in wasm as natively); longer
/// cells go to memchr's SIMD search.
#[inline]
fn find_stop(hay: &[u8], delimiter: u8) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let d = LOW * u64::from(delimiter);
    let cr = LOW * u64::from(b'\r');
    let lf = LOW * u64::from(b'\n');
    let zero_byte = |v: u64| v.wrapping_sub(LOW) & !v & HIGH;
    let mut at = 0;
    while at + 8 <= hay.len() && at < 32 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&hay[at..at + 8]);
        let x = u64::from_le_bytes(word);
        let found = zero_byte(x ^ d) | zero_byte(x ^ cr) | zero_byte(x ^ lf);
        if found != 0 {
            // The lowest flagged byte is exact (borrows only run upwards).
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if at < 32 {
        return hay[at..]
            .iter()
            .position(|&b| b == delimiter || b == b'\r' || b == b'\n')
            .map(|k| at + k);
    }
    memchr3(delimiter, b'\r', b'\n', &hay[at..]).map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(
        input: &[u8],
        delimiter: u8,
        chunk: usize,
    ) -> Vec<(u32, Vec<String>, Option<RecordProblem>)> {
        let mut reader = RecordReader::new(delimiter);
        let mut out = Vec::new();
        let mut sink = |r: &Record<'_>| {
            out.push((
                r.row,
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
                r.problem,
            ))
        };
        for piece in input.chunks(chunk.max(1)) {
            reader.feed(piece, &mut sink);
        }
        reader.finish(&mut sink);
        out
    }

    #[test]
    fn structural_masks_agree_with_a_plain_comparison() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..50_000 {
            let mut block = [0u8; 16];
            for b in &mut block {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Mostly the bytes that matter and their neighbours (0x01
                // past a match is where a borrowing zero-byte test errs).
                *b = match state % 9 {
                    0 => b',',
                    1 => b';',
                    2 => b'"',
                    3 => b'\r',
                    4 => b'\n',
                    5 => (state >> 8) as u8,
                    6 => 0x01 ^ b',',
                    7 => 0x80 | (state >> 16) as u8,
                    _ => b'a',
                };
            }
            for delimiter in [b',', b';', b'\t'] {
                let plain = block.iter().enumerate().fold(0u32, |bits, (i, &b)| {
                    let hit = b == delimiter || matches!(b, b'"' | b'\r' | b'\n');
                    bits | (u32::from(hit) << i)
                });
                assert_eq!(structural_mask(&block, delimiter), plain, "{block:?}");
                assert_eq!(structural_mask_swar(&block, delimiter), plain, "{block:?}");
            }
        }
    }

    #[test]
    fn find_stop_agrees_with_a_plain_search() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 70) as usize;
            let hay: Vec<u8> = (0..len)
                .map(|i| {
                    let pick = (state.rotate_left(i as u32 * 7) % 23) as u8;
                    match pick {
                        0 => b',',
                        1 => b'\r',
                        2 => b'\n',
                        3 => b';',
                        4 => 0x80 + pick,
                        _ => b'a' + pick,
                    }
                })
                .collect();
            for delimiter in [b',', b';', b'\t'] {
                let plain = hay
                    .iter()
                    .position(|&b| b == delimiter || b == b'\r' || b == b'\n');
                assert_eq!(find_stop(&hay, delimiter), plain, "{hay:?}");
            }
        }
    }

    #[test]
    fn windows_1252_cells_read_the_same_on_both_paths() {
        // `CAF\xC9` then `\xA0XQ7...`: joined without the delimiter, the two
        // cells look like one valid UTF-8 character.
        let input = b"CAF\xC9,\xA0XQ710042173\n";
        for chunk in [1, 3, input.len()] {
            let mut reader = RecordReader::new(b',');
            let mut seen = Vec::new();
            let mut sink = |r: &Record<'_>| {
                seen.push((
                    r.text(0).unwrap().into_owned(),
                    r.text(1).unwrap().into_owned(),
                    r.is_utf8(),
                ))
            };
            for piece in input.chunks(chunk) {
                reader.feed(piece, &mut sink);
            }
            reader.finish(&mut sink);
            assert_eq!(
                seen,
                vec![("CAFÉ".to_string(), "\u{A0}XQ710042173".to_string(), false)],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn rows_count_as_excel_shows_them() {
        let input = b"title\r\n\r\na,b\r\n\"x\r\ny\",2\r\n3,4";
        let recs = read_all(input, b',', 1000);
        let rows: Vec<u32> = recs.iter().map(|r| r.0).collect();
        assert_eq!(rows, vec![1, 2, 3, 4, 5]);
        assert_eq!(recs[3].1, vec!["x\r\ny".to_string(), "2".to_string()]);
        assert_eq!(recs[1].1, vec![String::new()]);
    }

    #[test]
    fn all_line_ends() {
        for input in [
            &b"a,b\nc,d\n"[..],
            b"a,b\r\nc,d\r\n",
            b"a,b\rc,d\r",
            b"a,b\rc,d",
        ] {
            let recs = read_all(input, b',', 1);
            assert_eq!(recs.len(), 2, "{input:?}");
            assert_eq!(recs[1].1, vec!["c", "d"]);
        }
    }

    #[test]
    fn quotes_and_delimiters() {
        let recs = read_all(b"\"a,b\";\"say \"\"hi\"\"\";x\"y\n", b';', 3);
        assert_eq!(recs[0].1, vec!["a,b", "say \"hi\"", "x\"y"]);
        let recs = read_all(b"a\tb\t\n", b'\t', 2);
        assert_eq!(recs[0].1, vec!["a", "b", ""]);
    }

    #[test]
    fn unclosed_quote_is_reported() {
        let recs = read_all(b"a,b\n\"open,c\nd,e\n", b',', 5);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].2, Some(RecordProblem::UnclosedQuote));
        assert_eq!(recs[1].0, 2);
    }

    #[test]
    fn oversized_records_are_bounded() {
        let mut input = vec![b'x'; MAX_RECORD_BYTES + 10];
        input.extend_from_slice(b"\nok\n");
        let recs = read_all(&input, b',', 65536);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].2, Some(RecordProblem::Oversized));
        assert_eq!(recs[1].1, vec!["ok"]);
        let commas = vec![b','; MAX_FIELDS * 2];
        let recs = read_all(&commas, b',', 4096);
        assert_eq!(recs[0].2, Some(RecordProblem::Oversized));
    }

    /// Differential: the same records as the `csv` crate (which skips blank
    /// lines and so is compared on inputs without them), in every chunk size.
    #[test]
    fn agrees_with_the_csv_crate() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let alphabet = b"ab,\"\r\n 1;";
        for case in 0..3000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let mut s = state;
            let mut input = Vec::with_capacity(len);
            for _ in 0..len {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                input.push(alphabet[((s >> 33) % alphabet.len() as u64) as usize]);
            }
            // The csv crate skips blank lines; compare without one-empty-field records.
            let blank = |r: &Vec<String>| r.len() == 1 && r[0].is_empty();
            let mut theirs = Vec::new();
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&input[..]);
            let mut rec = csv::ByteRecord::new();
            while rdr.read_byte_record(&mut rec).unwrap_or(false) {
                theirs.push(
                    rec.iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect::<Vec<_>>(),
                );
            }
            theirs.retain(|r| !blank(r));
            for chunk in [1, 2, 3, 7, 64] {
                let ours: Vec<Vec<String>> = read_all(&input, b',', chunk)
                    .into_iter()
                    .map(|r| r.1)
                    .filter(|r| !blank(r))
                    .collect();
                assert_eq!(
                    ours,
                    theirs,
                    "case {case} chunk {chunk}: {:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }
}
