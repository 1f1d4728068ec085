//! Stage 1: the domain's values, each parsed from a cell as written and
//! normalised the way CBP compares them. They depend on nothing else in the
//! crate.

pub mod account;
pub mod date;
pub mod entry_number;
pub mod hts;
pub mod importer_number;
pub mod money;
pub mod shared;
pub mod text;
