//! The 80-day window after liquidation (rules.md sections 5 and 8): in it,
//! its last days, or outside it, with what is left then.

use super::Filing;
use crate::entries::EntryState;
use crate::finding::{Code, Finding};
use crate::values::date::Date;
use crate::values::text::{contains_ignoring_case, count};

/// The 80-day window, judged for one liquidation status and date.
pub(super) fn liquidation_finding(
    e: &EntryState,
    status: &str,
    date: Option<Date>,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let has = |word: &str| contains_ignoring_case(status, word);
    if ["extend", "suspend", "review"].iter().any(|w| has(w)) {
        return Some(Finding::new(
            Code::LiquidationDeferred,
            format!("Entry {key}: liquidation is '{status}'. CAPE accepts the entry; the refund is paid when it liquidates."),
            e.rows.clone(),
        ));
    }
    match date {
        Some(liquidated) if liquidated <= filing.as_of => {
            window_finding(e, liquidated, filing, key)
        }
        Some(_) => None,
        None => no_liquidation_data(e, status, filing, key),
    }
}

/// A liquidated entry: outside the window, or its last days.
pub(super) fn window_finding(
    e: &EntryState,
    liquidated: Date,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let (r, as_of) = (filing.rules, filing.as_of);
    let rows = || e.rows.clone();
    let out = &mut Vec::new();
    match Some(liquidated) {
        Some(liquidated) if liquidated <= as_of => {
            let days = as_of.days_since(liquidated);
            let last_day = liquidated.add_days(r.window_days as i32);
            if days > r.window_days {
                let deadline = liquidated.add_days(r.protest_days);
                let protest = if as_of <= deadline {
                    format!("A protest (CBP Form 19) is possible until {deadline}.")
                } else {
                    format!("The protest deadline ({deadline}, {} days after liquidation) has passed; only later CAPE phases or other remedies remain.", r.protest_days)
                };
                let phase_3 = if as_of >= r.phase_3_from {
                    format!(" If you are a plaintiff at the Court of International Trade and registered your IOR by {}: since {}, Phase 3 may refund such entries (law firms' notes on the court's order of 07/17/2026, a secondary source), but not through this declaration.", r.phase_3_registered_by, r.phase_3_from)
                } else {
                    String::new()
                };
                out.push(Finding::new(
                    Code::LiquidatedOutsideWindow,
                    format!("Entry {key} liquidated on {liquidated}, {days} days before the filing date {as_of}: more than {} days, so CAPE rejects it (ENTRY SUMMARY IS IN FINAL LIQUIDATION STATUS). {protest}{phase_3}", r.window_days),
                    rows(),
                ));
            } else if r.window_days - days <= r.window_warning_days {
                out.push(Finding::new(
                    Code::WindowClosing,
                    format!("Entry {key} liquidated on {liquidated}; its 80-day window ends on {last_day} ({} after the filing date). File now: CBP validates up to 48 hours after upload.", count((r.window_days - days) as u64, "day", "days")),
                    rows(),
                ));
            }
        }
        _ => {}
    }
    out.pop()
}

/// No liquidation date: estimated from the summary date, unless the status
/// says the entry is not liquidated.
pub(super) fn no_liquidation_data(
    e: &EntryState,
    status: &str,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let (r, as_of) = (filing.rules, filing.as_of);
    let has = |word: &str| contains_ignoring_case(status, word);
    let rows = || e.rows.clone();
    {
        {
            let liquidated_status = has("liquidated") && !has("unliquidated");
            if !status.is_empty() && !liquidated_status {
                return None;
            }
            let (summary, which) = match (e.summary_date, e.entry_date) {
                (Some(d), _) => (Some(d), "entry summary date"),
                (None, Some(d)) => (Some(d), "entry date (no entry summary date)"),
                (None, None) => (None, "entry summary date"),
            };
            let limit = r.typical_liquidation_days + r.window_days;
            let (code, message) = if liquidated_status {
                (Code::LiquidationUnknown, format!("Entry {key} is '{status}' but has no liquidation date, so the 80-day window cannot be checked. Look up the liquidation date in ACE, or add Liquidation Date to the ES-003 in ACE Reports."))
            } else {
                match summary {
                    Some(d) if as_of.days_since(d) > limit => (Code::LiquidationUnknown, format!(
                        "Entry {key}: no liquidation data, and its {which} {d} is {} days before the filing date. Entries usually liquidate about {} days after the summary, so it has most likely left the 80-day window. Add Liquidation Status and Liquidation Date to the ES-003 in ACE Reports, or check the entry in ACE, before filing it.",
                        as_of.days_since(d), r.typical_liquidation_days)),
                    Some(d) => (Code::LiquidationUnchecked, format!(
                        "Entry {key}: no liquidation data; its {which} {d} is {} days before the filing date, recent enough to be likely unliquidated. Nothing to do.", as_of.days_since(d))),
                    None => (Code::LiquidationUnknown, format!(
                        "Entry {key}: no liquidation data and no entry summary date, so the 80-day window cannot be checked. Add Liquidation Status and Liquidation Date to the ES-003 in ACE Reports.")),
                }
            };
            Some(Finding::new(code, message, rows()))
        }
    }
}
