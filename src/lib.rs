//! # cape-check
//!
//! Audits ACE ES-003 exports ("Entry Summary Line Tariff Details") before
//! an importer or broker files a CAPE Declaration for IEEPA duty refunds,
//! entirely on the user's machine, and writes the declaration file(s) for
//! the entries CAPE would accept.
//!
//! ## The pipeline, one folder a stage
//!
//! Each stage depends only on the stages before it; a reader follows the
//! data from top to bottom.
//!
//! 1. [`values`]: the domain's values (entry and importer numbers, HTS
//!    classes, money, dates, cell text), parsed as written and normalised.
//! 2. [`read`]: one input file from first byte to last: its encoding, its
//!    rows (a push CSV tokenizer, or a workbook's sheet), its header and
//!    kind; every row is used or reported with its number and the reason,
//!    and every sentence about a file is worded there.
//! 3. [`entries`]: rows rolled up into entries (memory grows with entries,
//!    not with the file).
//! 4. [`rules`]: CAPE's rules applied to each entry and to the audit as a
//!    whole, with every CBP parameter in [`rules::RuleSet`].
//! 5. [`output`]: the JSON report, the text summary, the CAPE Declaration
//!    file(s), `findings.csv`, and a finished audit browsed.
//!
//! [`audit`] is the push interface the command line and the browser share:
//! `begin_file`, `feed` chunks of any size, `end_file`, `finish`.
//! [`split`] reads one large file in parts at once (the browser's workers)
//! and joins them exactly; it depends on the stages, nothing depends on it
//! but the edges: the command line (`main.rs`) and the wasm binding.
//! [`settings`] and [`finding`] are shared by every stage.
//!
//! Bad data is never an error here: it is a [`finding::Finding`] with a
//! stable code, a plain message and the rows it comes from.
//!
//! ```
//! use cape_check::{Audit, Settings, values::date::Date};
//! let mut audit = Audit::new(Settings::new(Date::parse("2026-11-22").unwrap()));
//! audit.begin_file("notes.pdf");
//! audit.feed(b"%PDF-1.7 ...");
//! let report = audit.finish().report;
//! assert_eq!(report.files[0].findings[0].code.as_str(), "unreadable-file");
//! ```

pub mod audit;
pub mod chunked;
pub mod entries;
pub mod finding;
pub mod generate;
pub mod output;
pub mod read;
pub mod rules;
pub mod settings;
pub mod split;
pub mod values;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use audit::{Audit, Outcome};
pub use output::declaration::OutputFile;
pub use settings::{Account, Settings, Wording};
pub use split::PartAudit;
