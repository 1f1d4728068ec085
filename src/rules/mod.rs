//! Stage 4: CAPE's rules. [`judge`] makes every finding about an entry;
//! [`audit_wide`] the findings about the audit as a whole; [`params`] holds
//! every CBP parameter, each with its source.

pub mod audit_wide;
mod chapter_99;
pub mod claims;
pub mod downloads;
mod eligibility;
mod entry_numbers;
pub mod interest;
pub mod judge;
pub mod params;
mod window;

pub use claims::claim_action;
pub use judge::judge;
pub use params::RuleSet;
pub use window::{court_deadline, window_days_left};

use crate::finding::Wording;
use crate::values::account::Account;
use crate::values::date::Date;

/// What the rules need to know of the filing: its date, the account it is
/// filed from, CBP's parameters, and how the front end words its advice.
#[derive(Clone, Copy, Debug)]
pub struct Filing<'a> {
    pub as_of: Date,
    pub account: Option<&'a Account>,
    /// The importer is a CIT plaintiff registered for Phase 3.
    pub cit_plaintiff: bool,
    /// Entries whose fix the user confirmed (normalised numbers): to
    /// re-file once CBP's action allows it.
    pub fixed: &'a [String],
    /// The run's Claim Details downloads in order (none before they are
    /// known, or without any).
    pub downloads: Option<&'a downloads::Downloads>,
    /// The run reads more than one file: every row named in a message
    /// names its file too. The ES-003 files, quoted, when it does.
    pub rows_in: Option<&'a str>,
    pub rules: &'a RuleSet,
    pub wording: Wording,
}
