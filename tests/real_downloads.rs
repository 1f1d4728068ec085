//! Files shaped like real ACE downloads (tests/data/real_shapes, written by
//! make_real_shapes.py): numbers as Excel text formulas in every file kind
//! and in a workbook, Claim Details with the real STATUS words under both
//! header sets, a Claim Details file next to its ES-003.

mod common;
use cape_check::{Outcome, Settings};
use common::*;

const A: &str = "60511000170"; // ready
const B: &str = "60511000253"; // accepted in Claim Details
const C: &str = "60511000337"; // one tariff row written twice
const D: &str = "XQ710042173"; // rows disagree on the liquidation date

fn real(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("real_shapes/{name}"))).expect("fixture")
}

fn audit(names: &[&str], settings: Settings) -> Outcome {
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), real(n))).collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    audit_files(&refs, settings, 7)
}

#[test]
fn numbers_written_as_text_formulas_are_read_silently_in_every_file_kind() {
    for names in [
        &["es003_ace_wrapped.csv"][..],
        &["es003_ace_wrapped.xlsx"],
        &["declaration_wrapped.csv"],
        &["claim_details_ace.csv"],
    ] {
        let out = audit(names, settings());
        for e in &out.report.entries {
            let codes = codes(&out, &e.entry);
            assert_eq!(e.entry.len(), 11, "{names:?}: {}", e.entry);
            assert!(
                !codes
                    .iter()
                    .any(|c| c.starts_with("entry-number") || *c == "check-digit-invalid"),
                "{names:?} {}: {codes:?}",
                e.entry
            );
        }
        assert!(
            !file_codes(&out).contains(&"declaration-format"),
            "{names:?}"
        );
    }
    // The ES-003's importer, type and HTS numbers are unwrapped too.
    let out = audit(&["es003_ace_wrapped.csv"], settings());
    assert_eq!(verdict(&out, A), "ready");
    let a = out.report.entries.iter().find(|e| e.entry == A).unwrap();
    assert_eq!(a.importer.as_deref(), Some("98-765432100"));
    assert_eq!(a.entry_type.as_deref(), Some("01"));
    assert_eq!(a.ieepa_duty.to_string(), "1500.00");
    // The workbook reads exactly as the CSV it was made from.
    let xlsx = audit(&["es003_ace_wrapped.xlsx"], settings());
    assert_eq!(
        serde_json::to_value(&xlsx.report.entries).unwrap(),
        serde_json::to_value(&out.report.entries).unwrap()
    );
}

#[test]
fn entry_summary_updated_means_accepted_and_is_never_written_again() {
    for claims in ["claim_details_ace.csv", "claim_details_other_headers.csv"] {
        let mut s = settings();
        s.include_review = true;
        let out = audit(&["es003_ace_wrapped.csv", claims], s);
        assert_eq!(out.report.files[1].kind, Some("claim-details"), "{claims}");
        assert!(
            has_code(&out, B, "already-accepted"),
            "{claims}: {:?}",
            codes(&out, B)
        );
        assert_eq!(verdict(&out, B), "blocked");
        let declared = String::from_utf8(out.declarations[0].bytes.clone()).unwrap();
        assert!(!declared.contains(B), "{claims}: {declared}");
        assert!(
            !file_codes(&out).contains(&"declaration-format"),
            "{claims}"
        );
    }
    // Failed rows carry CBP's reason and its action.
    let out = audit(
        &["es003_ace_wrapped.csv", "claim_details_ace.csv"],
        settings(),
    );
    assert_eq!(verdict(&out, A), "review");
    let out = audit(
        &["es003_ace_wrapped.csv", "claim_details_other_headers.csv"],
        settings(),
    );
    let message = message_of(&out, C, "previously-rejected");
    assert!(
        message.contains("HTS RELATIONSHIP MISMATCH")
            && message.contains("post-summary correction")
    );
}

#[test]
fn one_tariff_row_written_dotted_and_undotted_counts_once() {
    let out = audit(&["es003_ace_wrapped.csv"], settings());
    let c = out.report.entries.iter().find(|e| e.entry == C).unwrap();
    assert_eq!(c.ieepa_duty.to_string(), "300.00");
    assert!(has_code(&out, C, "duplicate-rows"));
    assert!(!has_code(&out, C, "conflicting-entry-data"));
}

#[test]
fn disagreeing_liquidation_dates_are_judged_on_the_worst_and_said() {
    let out = audit(&["es003_ace_wrapped.csv"], settings());
    assert!(has_code(&out, D, "conflicting-entry-data"));
    assert!(has_code(&out, D, "liquidated-outside-window"));
    assert_eq!(verdict(&out, D), "blocked");
    let message = message_of(&out, D, "conflicting-entry-data");
    assert!(
        message.contains("liquidation date") && message.contains("worst"),
        "{message}"
    );
}

#[test]
fn the_report_names_its_rules_and_its_interest_basis() {
    let out = audit(&["es003_ace_wrapped.csv"], settings());
    let v = serde_json::to_value(&out.report).unwrap();
    assert_eq!(v["rules"]["as_of"], "2026-11-22");
    assert_eq!(v["rules"]["edition"], "2026-10-06");
    assert_eq!(v["interest"]["refund_date"], "2027-01-21");
    assert_eq!(v["interest"]["ends"], "2026-12-22");
    assert_eq!(v["interest"]["rate_column"], "corporate");
    assert_eq!(v["interest"]["rates"][1]["corporate"], "5");
    assert_eq!(v["interest"]["rates"][1]["non_corporate"], "6");
    assert_eq!(v["interest"]["rates"][1]["confidence"], "secondary");
    assert_eq!(v["interest"]["rates"][4]["from"], "2027-01-01");
    assert_eq!(v["interest"]["rates"][4]["confidence"], "not yet published");
    assert!(v["interest"]["basis"]
        .as_str()
        .unwrap()
        .contains("estimate"));
    assert!(v["interest"]["rate_table"]
        .as_str()
        .unwrap()
        .contains("from 01/01/2025: 6% corporate, 7% non-corporate"));
    // $1,500.00 deposited 01/30/2026, interest to the assumed reliquidation
    // on 12/22/2026 (filing + 30): 61 days at 6% (Q1), 91 at 5% (Q2), then
    // 92 + 82 at 6% (Q3, Q4), compounded daily:
    // 1,500 x (1.010077008 x 1.012542910 x 1.029013307 - 1) = $78.63.
    let a = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == A)
        .unwrap();
    assert_eq!(a["interest_estimate"], "78.63");
    // Ready: A, B and C (78.63 + 41.94 + 15.73).
    assert_eq!(v["totals"]["interest_estimate_ready"], "136.30");
    assert_eq!(v["by_importer"][0]["importer"], "98-765432100");
    assert_eq!(v["by_importer"][0]["entries"], 4);
    let text = out.report.text_summary();
    assert!(text
        .lines()
        .next()
        .unwrap()
        .ends_with("CBP rules as of 10/06/2026"));
    assert!(text.contains("interest (estimate)"));
    let csv = String::from_utf8(out.findings_csv).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with("IEEPA Duty,Interest (estimate)"));
}

fn has_code(out: &Outcome, entry: &str, code: &str) -> bool {
    codes(out, entry).contains(&code)
}

fn message_of<'a>(out: &'a Outcome, entry: &str, code: &str) -> &'a str {
    let e = out
        .report
        .entries
        .iter()
        .find(|e| e.entry == entry)
        .unwrap();
    let f = e.findings.iter().find(|f| f.code.as_str() == code);
    &f.unwrap_or_else(|| panic!("{entry} has no {code}")).message
}
