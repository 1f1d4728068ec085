//! # cape-check
//!
//! Audits ACE ES-003 exports ("Entry Summary Line Tariff Details") before
//! an importer or broker files a CAPE Declaration for IEEPA duty refunds,
//! entirely on the user's machine, and writes the declaration file(s) for
//! the entries CAPE would accept.
//!
//! ## The pipeline, one module a step
//!
//! 1. [`decode`]: what the file is (text encoding, or a binary format).
//! 2. [`record`]: a push CSV tokenizer that counts rows as Excel shows them.
//! 3. [`columns`]: the header row, its aliases, and the kind of file.
//! 4. [`file_reader`]: one file from first byte to last; every row is used
//!    or reported with its number and the reason.
//! 5. [`entry`]: rows rolled up into entries (memory grows with entries,
//!    not with the file).
//! 6. [`judge`]: CAPE's rules applied to each entry, using the domain
//!    values [`entry_number`], [`importer_number`], [`hts`], [`money`],
//!    [`date`] and the parameters of [`rules`].
//! 7. [`audit`]: the push interface shared by the command line and the
//!    browser: `begin_file`, `feed` chunks of any size, `end_file`, `finish`.
//! 8. [`report`] and [`declaration`]: the JSON report, the text summary,
//!    the CAPE Declaration file(s) and `findings.csv`.
//!
//! Bad data is never an error here: it is a [`finding::Finding`] with a
//! stable code, a plain message and the rows it comes from.
//!
//! ```
//! use cape_check::{Audit, Settings, date::Date};
//! let mut audit = Audit::new(Settings::new(Date::parse("2026-11-22").unwrap()));
//! audit.begin_file("notes.pdf");
//! audit.feed(b"%PDF-1.7 ...");
//! let report = audit.finish().report;
//! assert_eq!(report.files[0].findings[0].code.as_str(), "unreadable-file");
//! ```

pub mod audit;
pub mod columns;
pub mod date;
pub mod declaration;
pub mod decode;
pub mod entry;
pub mod entry_number;
pub mod file_reader;
pub mod finding;
pub mod generate;
pub mod hts;
pub mod importer_number;
pub mod judge;
pub mod money;
pub mod part;
pub mod record;
pub mod report;
pub mod results;
pub mod rules;
pub mod settings;
#[cfg(feature = "xlsx")]
pub mod workbook;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use audit::{Audit, Outcome};
pub use declaration::OutputFile;
pub use part::PartAudit;
pub use settings::{Account, Settings};
