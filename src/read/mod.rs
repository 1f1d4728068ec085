//! Stage 2: reading one input file, from its first byte to its last.
//!
//! - [`decode`]: what the bytes are (text encoding, or a binary format).
//! - [`record`]: a push CSV tokenizer that counts rows as Excel shows them.
//! - [`columns`]: the header row, its aliases, and the kind of file.
//! - [`workbook`]: the data sheet of an XLSX workbook (feature `xlsx`).
//! - [`file`]: the stage machine of one file; every row is handed to a
//!   [`file::RowSink`] or accounted for with its number and the reason.
//! - `wording`: every sentence the audit says about a file.

pub mod columns;
pub mod decode;
pub mod file;
pub mod record;
mod wording;
#[cfg(feature = "xlsx")]
pub mod workbook;
