//! The file-level side of a part, encoded: the spec a helper starts from
//! (the file's header) and the facts of the rows it read.

use super::codec::{Reader, Writer};
use crate::read::file::{PartEnd, PartHeader, RowFacts, Unused};

/// The first bytes of a part spec and of a part: a part from another build
/// or of another kind is refused, not misread. The digit is the format's
/// version (2: parts that end before the file's end, and say how; 3: rows
/// read with their missing last cells empty).
const PART_MAGIC: &[u8; 4] = b"cc3\0";

/// A helper's spec: the file's index, delimiter and header cells.
pub(super) fn write_spec(header: &PartHeader) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(PART_MAGIC);
    w.u64(header.index as u64);
    w.bytes.push(header.delimiter);
    w.u64(header.cells.len() as u64);
    for cell in &header.cells {
        w.str(cell);
    }
    w.bytes
}

/// Reads back [`write_spec`]'s bytes.
pub(super) fn read_spec(spec: &[u8]) -> Option<PartHeader> {
    let mut r = Reader::new(spec.strip_prefix(PART_MAGIC)?, 0);
    let index = usize::try_from(r.u64()?).ok()?;
    let delimiter = *r.take(1)?.first()?;
    let mut cells = Vec::new();
    for _ in 0..r.len()? {
        cells.push(r.str()?.to_string());
    }
    r.at_end().then_some(PartHeader {
        index,
        delimiter,
        cells,
    })
}

/// The facts of the helper's rows.
pub(super) fn write_facts(facts: &RowFacts, w: &mut Writer) {
    w.bytes.extend_from_slice(PART_MAGIC);
    w.u64(facts.index as u64);
    w.bytes.push(match facts.end {
        PartEnd::EndOfFile => 0,
        PartEnd::RecordEnd => 1,
        PartEnd::MidRecord => 2,
    });
    w.u32(facts.rows);
    w.u64(facts.bytes);
    w.rows(&facts.repeated_headers);
    w.u64(facts.swallowed_lines);
    w.bool(facts.windows_1252);
    w.u64(facts.unused.len() as u64);
    for (reason, rows) in &facts.unused {
        w.bytes.push(*reason as u8);
        w.rows(rows);
    }
    w.rows(&facts.short_rows);
}

/// Reads back [`write_facts`]'s bytes, row numbers moved by the reader's
/// offset.
pub(super) fn read_facts(r: &mut Reader<'_>) -> Option<RowFacts> {
    if r.take(PART_MAGIC.len())? != PART_MAGIC {
        return None;
    }
    let index = r.len_unbounded()?;
    let end = match *r.take(1)?.first()? {
        0 => PartEnd::EndOfFile,
        1 => PartEnd::RecordEnd,
        2 => PartEnd::MidRecord,
        _ => return None,
    };
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
    let short_rows = r.rows()?;
    Some(RowFacts {
        index,
        end,
        rows,
        bytes,
        repeated_headers,
        swallowed_lines,
        windows_1252,
        unused,
        short_rows,
    })
}
