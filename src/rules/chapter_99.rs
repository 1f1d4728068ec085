//! The Chapter 99 lines (rules.md section 4): IEEPA lines with duty,
//! Section 122 and other programs named, the IEEPA period, goods value on
//! an IEEPA line.

use super::params::RuleSet;
use super::Filing;
use crate::entries::EntryState;
use crate::finding::{Code, Finding, Rows, Severity};
use crate::values::hts::{dotted, program};
use crate::values::text::count;

/// The IEEPA lines: none, none with duty, or beside Section 122 lines.
pub(super) fn ieepa_findings(
    e: &EntryState,
    filing: &Filing<'_>,
    key: &str,
    out: &mut Vec<Finding>,
) {
    let all = || e.rows.clone();
    let section_122 = section_122_name(filing);
    if e.ieepa_lines == 0 {
        if e.section_122_lines > 0 {
            out.push(Finding::new(
                Code::Section122Only,
                format!("Entry {key} has no 9903.01/9903.02 (IEEPA) line; its surcharge lines are 9903.03 ({section_122}), which CAPE does not refund. Leave it out."),
                all(),
            ));
        } else {
            let others = e
                .rare
                .as_deref()
                .map(|r| named_chapter_99(&r.other_chapter_99))
                .unwrap_or_default();
            let seen = if others.is_empty() {
                "no Chapter 99 line at all".to_string()
            } else {
                format!("only other Chapter 99 lines ({others})")
            };
            out.push(Finding::new(
                Code::NoIeepaLine,
                format!("Entry {key} has no 9903.01/9903.02 (IEEPA) line, {seen}: CAPE rejects it (NO IEEPA HTS ON ENTRY). Leave it out, unless IEEPA duty was paid and the entry was filed wrongly: then ask your broker to correct it first."),
                all(),
            ));
        }
    } else if e.ieepa_lines_with_duty == 0 {
        out.push(Finding::new(
            Code::IeepaDutyZero,
            format!("Entry {key} has {} but none carries duty (exemption heading, FREE or $0.00): nothing to refund. Leave it out.", count(u64::from(e.ieepa_lines), "IEEPA line", "IEEPA lines")),
            all(),
        ));
    }
    if e.ieepa_lines > 0 && e.section_122_lines > 0 {
        out.push(Finding::new(
            Code::Section122Present,
            format!("Entry {key} also has {} {section_122} (9903.03): CAPE refunds only the IEEPA part ({}). Nothing to do.", count(u64::from(e.section_122_lines), "line", "lines"), e.ieepa_duty.dollars()),
            all(),
        ));
    }
}

/// How 9903.03.01-.11 lines are named on the filing date.
pub(super) fn section_122_name(filing: &Filing<'_>) -> String {
    let r = filing.rules;
    if filing.as_of >= r.section_122_ended {
        format!("Section 122, {} to {}", r.ieepa_until, r.section_122_ended)
    } else {
        "Section 122".to_string()
    }
}

/// Other Chapter 99 numbers, Section 338 ones named.
pub(super) fn named_chapter_99(numbers: &[String]) -> String {
    let named: Vec<String> = numbers
        .iter()
        .map(|hts| match program(hts) {
            Some(name) => format!("{} ({name})", dotted(hts)),
            None => dotted(hts),
        })
        .collect();
    named.join(", ")
}

/// IEEPA lines on an entry dated outside the IEEPA period.
pub(super) fn ieepa_period_findings(
    e: &EntryState,
    r: &RuleSet,
    key: &str,
    out: &mut Vec<Finding>,
) {
    if e.ieepa_lines == 0 {
        return;
    }
    let Some(date) = e.entry_date.or(e.summary_date) else {
        return;
    };
    if date < r.ieepa_from || date >= r.ieepa_until {
        out.push(Finding::new(
            Code::OutsideIeepaPeriod,
            format!("Entry {key} is dated {date}, outside the IEEPA period ({} to {}), yet has IEEPA lines. Check the entry with your broker before filing it.", r.ieepa_from, r.ieepa_until.add_days(-1)),
            e.rows.clone(),
        ));
    }
}

pub(super) fn goods_value_finding(rows: &Rows, filing: &Filing<'_>, key: &str) -> Finding {
    let removed = filing.rules.goods_value_check_removed;
    let (severity, tail) = if filing.as_of < removed {
        (Severity::Error, format!("CAPE rejects this until {removed}. Correct the entry by post-summary correction, or file after that date."))
    } else {
        (Severity::Info, format!("CAPE rejected this before {removed}; it no longer does. If CAPE rejected the entry for it earlier, file it again now."))
    };
    Finding::with_severity(
        Code::GoodsValueOnIeepaLine,
        severity,
        format!(
            "Entry {key} reports goods value on its IEEPA Chapter 99 line ({}). {tail}",
            rows.label()
        ),
        rows.clone(),
    )
}
