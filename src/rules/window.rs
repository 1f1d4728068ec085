//! The 80-day window after liquidation (rules.md sections 5 and 8): in it,
//! its last days, or outside it, with what is left then.

use super::Filing;
use crate::entries::EntryState;
use crate::finding::{Code, Finding, Severity};
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

/// The days left in the 80-day window after the filing date, for an entry
/// liquidated on or before it and not more than 80 days before.
pub fn window_days_left(e: &EntryState, filing: &Filing<'_>) -> Option<i64> {
    let status = e.liquidation_status.as_deref().unwrap_or_default();
    if ["extend", "suspend", "review"]
        .iter()
        .any(|w| contains_ignoring_case(status, w))
    {
        return None; // not liquidated: no window runs yet
    }
    let liquidated = e.liquidation_date.filter(|d| *d <= filing.as_of)?;
    let left = filing.rules.window_days - filing.as_of.days_since(liquidated);
    (left >= 0).then_some(left)
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
                out.push(outside_window(e, liquidated, days, filing, key));
            } else if r.window_days - days <= r.window_warning_days {
                // Day 80 is still inside ("not over 80 days past
                // liquidation", CSMS of 04/13/2026), with the same warning.
                let left = match r.window_days - days {
                    0 => "the filing date itself is its last day".to_string(),
                    n => format!("{} after the filing date", count(n as u64, "day", "days")),
                };
                out.push(Finding::new(
                    Code::WindowClosing,
                    format!("Entry {key} liquidated on {liquidated}; its 80-day window ends on {last_day} ({left}). File now: CBP validates up to 48 hours after upload."),
                    rows(),
                ));
            }
        }
        _ => {}
    }
    out.pop()
}

/// An entry liquidated more than 80 days before the filing date: CAPE's
/// Phase 1 lane rejects it. What is left: Phase 3 for CIT plaintiffs (a
/// warning when the user says the importer is one: rules.md section 8), a
/// protest that only preserves rights, and a court action within two years
/// of the deposit.
fn outside_window(
    e: &EntryState,
    liquidated: Date,
    days: i64,
    filing: &Filing<'_>,
    key: &str,
) -> Finding {
    let (r, as_of) = (filing.rules, filing.as_of);
    let protest_until = liquidated.add_days(r.protest_days);
    let protest = if as_of <= protest_until {
        format!("A protest (CBP Form 19) is possible until {protest_until}, but it only preserves rights: the Court of International Trade held on {} that IEEPA's legality cannot be protested, so a protest is no refund route.", r.protest_ruled_protective)
    } else {
        format!(
            "The protest deadline ({protest_until}, {} days after liquidation) has passed.",
            r.protest_days
        )
    };
    let court = match court_deadline(e, filing) {
        Some(deadline) => format!(" A court action (Court of International Trade) may be time-barred two years after the duty was deposited (for this entry from {deadline}; law firms' notes, the earliest reading): ask counsel now."),
        None => " A court action (Court of International Trade) may be time-barred two years after the duty was deposited (this export gives no date to count from; law firms' notes): ask counsel now.".to_string(),
    };
    let phase_3 = as_of >= r.phase_3_from;
    let (severity, lane) = if phase_3 && filing.cit_plaintiff {
        (Severity::Warning, format!(" You said the importer is a plaintiff at the Court of International Trade, registered for Phase 3: since {}, Phase 3 refunds finally liquidated entries of importers who are plaintiffs and submitted their IOR number by {}, filed via CAPE (law firms' and brokers' notes on the court's order of 07/17/2026 and CBP's September update: secondary sources). How such entries are filed, on this declaration or apart, is not verified, and the refunds are subject to the government's pending appeal (CAFC 26-1895). Confirm with counsel or CBP before including it.", r.phase_3_from, r.phase_3_registered_by))
    } else if phase_3 {
        (Severity::Error, format!(" If the importer is a plaintiff at the Court of International Trade and submitted its IOR number by {}: since {}, Phase 3 may refund such entries, filed via CAPE (law firms' notes on the court's order of 07/17/2026, a secondary source; subject to the pending appeal); say so in the settings to have them put to review.", r.phase_3_registered_by, r.phase_3_from))
    } else {
        (Severity::Error, String::new())
    };
    Finding::with_severity(
        Code::LiquidatedOutsideWindow,
        severity,
        format!("Entry {key} liquidated on {liquidated}, {days} days before the filing date {as_of}: more than {} days, so CAPE rejects it (ENTRY SUMMARY IS IN FINAL LIQUIDATION STATUS).{lane} {protest}{court}", r.window_days),
        e.rows.clone(),
    )
}

/// The last day a court action may be brought for an entry, by the
/// earliest reading: two years from the deposit of its duty.
pub fn court_deadline(e: &EntryState, filing: &Filing<'_>) -> Option<Date> {
    e.deposit_date()
        .map(|d| d.add_years(filing.rules.court_action_years))
}

/// A court deadline 60 days or fewer after the filing date (or passed).
pub(super) fn court_deadline_finding(
    e: &EntryState,
    filing: &Filing<'_>,
    key: &str,
) -> Option<Finding> {
    let deadline = court_deadline(e, filing)?;
    let left = deadline.days_since(filing.as_of);
    if left > filing.rules.court_deadline_warning_days {
        return None;
    }
    let when = if left >= 0 {
        format!(
            "from {deadline}, {} after the filing date",
            count(left as u64, "day", "days")
        )
    } else {
        format!("since {deadline}")
    };
    Some(Finding::new(
        Code::CourtDeadlineNear,
        format!("Entry {key} can be refunded only by an action at the Court of International Trade, which may be time-barred {when} (two years after the duty was deposited, the earliest reading of law firms' notes; the start of the two years is disputed). Ask counsel now."),
        e.rows.clone(),
    ))
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
