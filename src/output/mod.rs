//! Stage 5: what an audit gives back. [`report`]: the JSON of the contract
//! and the text summary; [`declaration`]: the CAPE Declaration file(s) and
//! `findings.csv`; [`results`]: a finished audit browsed a page at a time.

pub mod declaration;
pub mod fingerprint;
pub mod report;
pub mod results;
#[cfg(feature = "workbook")]
pub mod workbook;
