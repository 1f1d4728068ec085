//! The rules of CAPE (rules.md sections 2 to 9) applied to one entry: the
//! judge calls each family of rules, one file each (`entry_numbers`: the
//! number and the account; `eligibility`: type, reconciliation, protest,
//! rows that disagree; `window`: liquidation and what is left outside the
//! window; `chapter_99`: the IEEPA and other Chapter 99 lines; `claims`:
//! Claim Details; `interest` estimates the interest). Each finding's message
//! names the value found and says what to do.

use super::chapter_99::*;
use super::claims::*;
use super::eligibility::*;
use super::entry_numbers::*;
use super::window::*;
use super::Filing;
use crate::entries::EntryState;
use crate::finding::{Code, Finding};
use crate::values::date::Date;

/// Every finding of one entry, in a stable order. `any_es003`: whether the
/// audit read any ES-003 export (else declaration and Claim Details entries
/// are only checked by number, and that is all the user asked).
pub fn judge(e: &EntryState, filing: &Filing<'_>, any_es003: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // The entry's name, without an allocation for a valid number.
    let name = e.name();
    let key: &str = &name;
    entry_number_findings(e, &mut out);
    account_findings(e, filing, key, &mut out);
    if let Some(rare) = e.rare.as_deref() {
        claim_findings(e, rare, filing, key, &mut out);
    }
    if !e.in_es003 {
        out.push(not_in_export(e, key, any_es003));
        return out;
    }
    let types = entry_types(e);
    out.extend(worst(types.clone(), |written| {
        entry_type_finding(e, written, filing, key)
    }));
    ieepa_findings(e, filing, key, &mut out);
    ieepa_period_findings(e, filing.rules, key, &mut out);
    out.extend(worst(liquidation_values(e), |(status, date)| {
        liquidation_finding(e, status, *date, filing, key)
    }));
    if out.iter().any(|f| f.code == Code::LiquidatedOutsideWindow) {
        out.extend(court_deadline_finding(e, filing, key));
    }
    if !e.reconciliation_rows().is_empty() {
        let types = if types.is_empty() { vec![""] } else { types };
        out.extend(worst(types, |written| {
            reconciliation_finding(e, written, filing, key)
        }));
    }
    if let Some(rare) = e.rare.as_deref() {
        rare_findings(e, rare, filing, key, &mut out);
    }
    name_the_files(&mut out, filing);
    out
}

/// When the run reads several files, a message that names rows of an
/// ES-003 says which file they are in (claims and declaration messages
/// name theirs already: they say "of '...'").
fn name_the_files(out: &mut [Finding], filing: &Filing<'_>) {
    let Some(files) = filing.rows_in else {
        return;
    };
    for f in out.iter_mut() {
        if !f.rows.is_empty() && f.message.contains("row") && !f.message.contains(" of '") {
            f.message
                .push_str(&format!(" (The rows named are in {files}.)"));
        }
    }
}

/// The worst finding of judging each of an entry's values (its rows
/// disagree): the verdict never depends on which row came first. Among
/// equally bad findings the one of the smallest value is reported, so it
/// is always the same one. (No sort: each instance of a generic sort
/// costs the browser's module kilobytes.)
pub(super) fn worst<T: Ord>(
    values: Vec<T>,
    judge_one: impl Fn(&T) -> Option<Finding>,
) -> Option<Finding> {
    let mut worst: Option<(Finding, &T)> = None;
    for value in &values {
        let Some(finding) = judge_one(value) else {
            continue;
        };
        let better = match &worst {
            None => true,
            Some((w, v)) => {
                finding.severity > w.severity || (finding.severity == w.severity && value < *v)
            }
        };
        if better {
            worst = Some((finding, value));
        }
    }
    worst.map(|(finding, _)| finding)
}

/// Every entry type the rows give, as written (none when no row has one).
pub(super) fn entry_types(e: &EntryState) -> Vec<&str> {
    let conflicts = e.rare.as_deref().map_or(&[][..], |r| &r.type_conflicts[..]);
    e.entry_type
        .as_deref()
        .into_iter()
        .chain(conflicts.iter().map(|(_, t)| t.as_str()))
        .collect()
}

/// Every (liquidation status, liquidation date) the rows allow: the first
/// of each and every different one.
pub(super) fn liquidation_values(e: &EntryState) -> Vec<(&str, Option<Date>)> {
    let rare = e.rare.as_deref();
    let mut statuses = vec![e.liquidation_status.as_deref().unwrap_or_default()];
    let mut dates = vec![e.liquidation_date];
    if let Some(rare) = rare {
        statuses.extend(rare.status_conflicts.iter().map(|(_, s)| s.as_str()));
        dates.extend(rare.date_conflicts.iter().map(|(_, d)| Some(*d)));
    }
    let mut values = Vec::with_capacity(statuses.len() * dates.len());
    for status in &statuses {
        values.extend(dates.iter().map(|date| (*status, *date)));
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entries::Claim;
    use crate::finding::Severity;
    use crate::finding::Wording;
    use crate::rules::RuleSet;
    use crate::values::date::Date;
    use crate::values::entry_number::EntryNumber;
    use crate::values::money::Cents;
    use crate::values::shared::Shared;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// A clean ES-003 entry: type 01, one IEEPA line with duty, summary
    /// dated 2025-12-01, no liquidation data.
    fn entry() -> EntryState {
        let number = EntryNumber::parse("XQ710042173").unwrap();
        let mut e = EntryState::new("XQ710042173", Ok(number));
        e.rows.push(2);
        e.in_es003 = true;
        e.entry_type = Some(Shared::from("01"));
        e.summary_date = Some(date("2025-12-01"));
        e.ieepa_lines = 1;
        e.ieepa_lines_with_duty = 1;
        e.ieepa_duty = Cents(10_000);
        e
    }

    /// The codes and severities judged on `as_of` with no account.
    fn judged(e: &EntryState, as_of: &str) -> Vec<(&'static str, Severity)> {
        let rules = RuleSet::default();
        let filing = Filing {
            as_of: date(as_of),
            account: None,
            cit_plaintiff: false,
            fixed: &[],
            downloads: None,
            rows_in: None,
            rules: &rules,
            wording: Wording::NEUTRAL,
        };
        judge(e, &filing, true)
            .iter()
            .map(|f| (f.code.as_str(), f.severity))
            .collect()
    }

    #[test]
    fn a_clean_recent_entry_has_only_the_unchecked_liquidation_note() {
        assert_eq!(
            judged(&entry(), "2026-11-22"),
            [("liquidation-unchecked", Severity::Info)]
        );
    }

    #[test]
    fn the_80_day_window_counts_calendar_days_from_liquidation() {
        let mut e = entry();
        e.liquidation_status = Some(Shared::from("Liquidated"));
        e.liquidation_date = Some(date("2026-09-03"));
        // 80 days later is the last day inside; within 7 days a warning note.
        assert_eq!(
            judged(&e, "2026-11-22"),
            [("window-closing", Severity::Info)]
        );
        assert_eq!(
            judged(&e, "2026-11-23"),
            [("liquidated-outside-window", Severity::Error)]
        );
        assert!(judged(&e, "2026-11-14").is_empty());
    }

    #[test]
    fn reconciliation_replays_the_rule_of_2026_06_29() {
        let mut e = entry();
        e.rare().reconciliation_rows.push(2);
        let found = |e: &EntryState, as_of| {
            judged(e, as_of)
                .into_iter()
                .find(|(code, _)| *code == "reconciliation-flagged")
                .map(|(_, severity)| severity)
        };
        assert_eq!(found(&e, "2026-06-28"), Some(Severity::Error));
        assert_eq!(found(&e, "2026-06-29"), Some(Severity::Warning));
        e.entry_type = Some(Shared::from("11"));
        assert_eq!(found(&e, "2026-07-01"), Some(Severity::Error));
    }

    #[test]
    fn ieepa_lines_decide_whether_there_is_anything_to_refund() {
        let mut e = entry();
        e.ieepa_lines_with_duty = 0;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("ieepa-duty-zero", Severity::Error)
        );
        e.ieepa_lines = 0;
        e.section_122_lines = 2;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("section-122-only", Severity::Error)
        );
        e.section_122_lines = 0;
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("no-ieepa-line", Severity::Error)
        );
    }

    #[test]
    fn protests_block_when_open_ask_when_unknown_and_pass_when_closed() {
        let protest = |status: &str| {
            let mut e = entry();
            e.rare().protest = Some(Box::new((3, "270426123456".into(), status.into())));
            judged(&e, "2026-11-22")
                .into_iter()
                .filter(|(code, _)| *code == "protest-on-entry")
                .map(|(_, severity)| severity)
                .collect::<Vec<_>>()
        };
        assert_eq!(protest("Open"), [Severity::Error]);
        assert_eq!(protest("Suspended"), [Severity::Error]);
        assert_eq!(protest(""), [Severity::Warning]);
        assert_eq!(protest("Denied"), []);
    }

    #[test]
    fn claim_details_accepted_is_never_filed_again() {
        let mut e = entry();
        e.rare().claims.push(Claim {
            file: 0,
            row: 2,
            claim_number: "C1".into(),
            status: "Failed".into(),
            error_description: "STATEMENT PROCESSING NOT COMPLETE".into(),
        });
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("previously-rejected", Severity::Warning)
        );
        e.rare().claims.push(Claim {
            file: 0,
            row: 3,
            claim_number: "C2".into(),
            status: "Accepted".into(),
            error_description: String::new(),
        });
        assert_eq!(
            judged(&e, "2026-11-22")[0],
            ("already-accepted", Severity::Error)
        );
    }

    #[test]
    fn an_entry_known_only_from_a_declaration_is_checked_by_number() {
        let mut e = entry();
        e.in_es003 = false;
        let rules = RuleSet::default();
        let filing = Filing {
            as_of: date("2026-11-22"),
            account: None,
            cit_plaintiff: false,
            fixed: &[],
            downloads: None,
            rows_in: None,
            rules: &rules,
            wording: Wording::NEUTRAL,
        };
        let alone = judge(&e, &filing, false);
        assert_eq!(alone.len(), 1);
        assert_eq!(
            (alone[0].code.as_str(), alone[0].severity),
            ("not-in-export", Severity::Info)
        );
        assert_eq!(judge(&e, &filing, true)[0].severity, Severity::Warning);
    }

    #[test]
    fn claim_actions_weigh_by_what_the_user_can_do() {
        assert_eq!(claim_action("goods value on ieepa line").0, Severity::Info);
        assert_eq!(claim_action("ENTRY ON DRAWBACK").0, Severity::Error);
        assert_eq!(claim_action("SOMETHING NEW").0, Severity::Warning);
    }
}
