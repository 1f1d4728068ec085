//! Every CBP parameter cape-check applies, in one value, each with its
//! source. CBP has changed CAPE several times since it opened; a change is
//! an edit here, and old rules replay by the filing date (`as_of`).

use crate::values::date::Date;

/// The parameters of CAPE's validation that CBP may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    /// An entry liquidated at most this many calendar days before the filing
    /// date is still in the Phase 1 lane. CSMS #68315804 (April 2026); the
    /// launch-day cut-off (2026-04-20 admitted entries liquidated after
    /// 2026-01-30) is 80 days.
    pub window_days: i64,
    /// Warn when this many days or fewer remain in the window: CBP validates
    /// in batches up to 48 hours after upload (CAPE Quick Reference Guide).
    pub window_warning_days: i64,
    /// A protest (CBP Form 19) may be filed until liquidation + 180 days
    /// (19 U.S.C. 1514(c)(3)).
    pub protest_days: i32,
    /// Entries usually liquidate about this many days after the entry
    /// summary date (rules.md section 5): used when the export has no
    /// liquidation data.
    pub typical_liquidation_days: i64,
    /// Entry types CAPE rejects with "ENTRY TYPE NOT ALLOWED": 08 duty
    /// deferral, 09 reconciliation, 23 TIB, 47 drawback (CSMS #68340863).
    pub excluded_entry_types: &'static [&'static str],
    /// From this date, entries flagged for reconciliation are accepted for
    /// the types below if the type 09 entry is not filed (CSMS #69035485).
    pub reconciliation_allowed_from: Date,
    /// Entry types that may be filed while flagged for reconciliation.
    pub reconciliation_allowed_types: &'static [&'static str],
    /// From this date CAPE no longer rejects goods value on the IEEPA
    /// Chapter 99 line (CSMS #69056483, 2026-06-25).
    pub goods_value_check_removed: Date,
    /// IEEPA duties applied to entries from this date (CSMS #67834313) ...
    pub ieepa_from: Date,
    /// ... until before this date, when Section 122 replaced them.
    pub ieepa_until: Date,
    /// Entries per declaration file (CSMS of 2026-04-13; OMB 1651-0149: the
    /// guide's "10,000" counts the header row).
    pub max_entries_per_declaration: usize,
    /// CAPE rejects declaration files of 1 MB or more (Quick Reference Guide).
    pub max_declaration_bytes: usize,
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap_or_else(|| unreachable!("rule dates are valid"))
}

impl Default for RuleSet {
    /// CAPE's rules as of November 2026.
    fn default() -> RuleSet {
        RuleSet {
            window_days: 80,
            window_warning_days: 7,
            protest_days: 180,
            typical_liquidation_days: 314,
            excluded_entry_types: &["08", "09", "23", "47"],
            reconciliation_allowed_from: date(2026, 6, 29),
            reconciliation_allowed_types: &["01", "02", "06"],
            goods_value_check_removed: date(2026, 6, 25),
            ieepa_from: date(2025, 2, 4),
            ieepa_until: date(2026, 2, 24),
            max_entries_per_declaration: 9_999,
            max_declaration_bytes: 1_000_000,
        }
    }
}
