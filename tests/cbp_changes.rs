//! CBP's changes from July to November 2026 (rules.md section 8), each
//! replayed on both sides of its date; and the fixes a differential test
//! against an independent implementation asked for (the verdict never
//! depends on the order of the rows).

mod common;
use cape_check::Outcome;
use common::*;

const E: &str = "XQ710042173";

fn run_as_of(rows: &[Row], as_of: &str) -> Outcome {
    audit_bytes(&es003(rows), settings_as_of(as_of))
}

/// (code, severity) of each finding of an entry.
fn found(out: &Outcome, entry: &str) -> Vec<(&'static str, &'static str)> {
    let e = out
        .report
        .entries
        .iter()
        .find(|e| e.entry == entry)
        .unwrap();
    e.findings
        .iter()
        .map(|f| (f.code.as_str(), severity_word(f.severity)))
        .collect()
}

fn severity_word(s: cape_check::finding::Severity) -> &'static str {
    use cape_check::finding::Severity::*;
    match s {
        Info => "info",
        Warning => "warning",
        Error => "error",
    }
}

fn message<'a>(out: &'a Outcome, code: &str) -> &'a str {
    out.report.entries[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .map(|f| f.message.as_str())
        .unwrap_or_else(|| panic!("no {code}"))
}

#[test]
fn warehouse_entries_go_to_review_from_2026_07_07_naming_the_source() {
    for (entry_type, as_of, expected) in [
        ("21", "2026-07-06", None),
        ("21", "2026-07-07", Some("warning")),
        ("22", "2026-11-22", Some("warning")),
        ("31", "2026-11-22", None),
        ("23", "2026-11-22", Some("error")),
    ] {
        let out = run_as_of(&with(|r| r.entry_type = entry_type), as_of);
        let severity = found(&out, E)
            .into_iter()
            .find(|(code, _)| *code == "entry-type-excluded")
            .map(|(_, s)| s);
        assert_eq!(severity, expected, "type {entry_type} on {as_of}");
    }
    let out = run_as_of(&with(|r| r.entry_type = "21"), "2026-07-07");
    assert!(message(&out, "entry-type-excluded").contains("CSMS #69127837"));
    assert_eq!(verdict(&out, E), "review");
}

#[test]
fn section_122_lines_are_dated_once_it_ended_and_section_338_is_named() {
    let s122 = |as_of| {
        let rows = with(|r| r.hts = "99030301");
        let out = run_as_of(&rows, as_of);
        message(&out, "section-122-only").to_string()
    };
    assert!(!s122("2026-07-23").contains("07/24/2026"));
    assert!(s122("2026-07-24").contains("Section 122, 02/24/2026 to 07/24/2026"));
    // 9903.03.14: Section 338, neither IEEPA nor Section 122.
    let out = run_as_of(&with(|r| r.hts = "9903.03.14"), "2026-11-22");
    assert_eq!(found(&out, E)[0], ("no-ieepa-line", "error"));
    assert!(message(&out, "no-ieepa-line").contains("9903.03.14 (Section 338)"));
}

#[test]
fn a_type_06_entry_is_told_that_ace_refuses_the_correction_from_2026_08_21() {
    let mut rows = with(|r| r.entry_type = "06");
    // Commodity first on the line: out of sequence.
    rows.swap(0, 1);
    rows[0].ordinal = "1";
    rows[1].ordinal = "2";
    for (as_of, f883) in [("2026-08-20", false), ("2026-08-21", true)] {
        let out = run_as_of(&rows, as_of);
        let text = message(&out, "hts-out-of-sequence");
        assert_eq!(text.contains("F883"), f883, "{as_of}: {text}");
        assert_eq!(
            text.contains("Correct the entry by post-summary correction"),
            !f883
        );
    }
}

#[test]
fn outside_the_window_the_phase_3_note_appears_from_2026_10_06() {
    let rows = with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "06/01/2026";
    });
    for (as_of, note) in [("2026-10-05", false), ("2026-10-06", true)] {
        let out = run_as_of(&rows, as_of);
        let text = message(&out, "liquidated-outside-window");
        assert_eq!(text.contains("Phase 3"), note, "{as_of}");
        assert_eq!(verdict(&out, E), "blocked");
    }
}

#[test]
fn liquidation_reason_36_asks_a_person_and_never_blocks_on_its_own() {
    let header = "Entry Summary Number,Entry Type Code,Importer Number,Entry Summary Date,HTS Number - Full,Line Tariff Duty Amount,Liquidation Status,Liquidation Date,Liquidation Reason Code";
    for (reason, expected) in [
        ("36", Some("warning")),
        ("CAPE", Some("warning")),
        ("01", None),
    ] {
        let csv = format!("{header}\r\n{E},01,{IOR},01/30/2026,99030269,$900.00,Liquidated,10/20/2026,{reason}\r\n");
        let out = audit_bytes(csv.as_bytes(), settings());
        let severity = found(&out, E)
            .into_iter()
            .find(|(code, _)| *code == "already-accepted")
            .map(|(_, s)| s);
        assert_eq!(severity, expected, "reason {reason}");
    }
}

#[test]
fn invisible_characters_at_either_end_are_cleaned_and_said() {
    for written in [
        "\u{200B}XQ710042173",
        "XQ710042173\u{FEFF}",
        "\u{00A0}XQ710042173",
    ] {
        let out = run_as_of(&with(|r| r.entry = written), AS_OF);
        assert!(
            found(&out, E).contains(&("entry-number-cleaned", "info")),
            "{written:?}"
        );
    }
    // Plain spaces and tabs are removed and said too (rules.md 2; issue 27).
    for written in [" XQ710042173 ", "XQ710042173\t", " XQ710042173"] {
        let out = run_as_of(&with(|r| r.entry = written), AS_OF);
        assert_eq!(
            found(&out, E),
            [("entry-number-cleaned", "info")],
            "{written:?}"
        );
    }
}

#[test]
fn european_scientific_notation_is_scientific() {
    let out = run_as_of(&with(|r| r.entry = "\"1,64410E+10\""), AS_OF);
    assert_eq!(
        found(&out, "1,64410E+10"),
        [("entry-number-scientific", "error")]
    );
}

#[test]
fn a_repeat_of_a_conflicting_row_counts_once() {
    let mut rows = clean();
    let mut conflicting = rows[0].clone();
    conflicting.duty = "$500.00";
    rows.push(conflicting.clone());
    rows.push(conflicting);
    let out = run_as_of(&rows, AS_OF);
    // $2,000.00 and $500.00 (both counted: they conflict), the repeat once.
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2500.00");
    let codes = codes(&out, E);
    assert!(codes.contains(&"conflicting-entry-data") && codes.contains(&"duplicate-rows"));
}

/// Every order of `rows` gives the same verdict and the same codes.
fn assert_order_independent(rows: &[Row], what: &str) -> (String, Vec<&'static str>) {
    let mut first: Option<(String, Vec<&'static str>)> = None;
    for order in permutations(rows.len()) {
        let shuffled: Vec<Row> = order.iter().map(|&i| rows[i].clone()).collect();
        let out = run_as_of(&shuffled, AS_OF);
        let mut codes = codes(&out, E);
        codes.sort();
        let got = (verdict(&out, E).to_string(), codes);
        match &first {
            None => first = Some(got),
            Some(f) => assert_eq!(&got, f, "{what}: order {order:?}"),
        }
    }
    first.unwrap()
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for at in 0..=p.len() {
            let mut q = p.clone();
            q.insert(at, n - 1);
            out.push(q);
        }
    }
    out
}

#[test]
fn rows_that_disagree_are_judged_on_the_worst_value_whatever_their_order() {
    let base = clean();
    type Change = fn(&mut Row);
    let cases: [(&str, Change); 5] = [
        ("entry type", |r| r.entry_type = "23"),
        ("importer", |r| r.importer = "98-765432101"),
        ("liquidation date", |r| {
            r.liquidation_status = "Liquidated";
            r.liquidation_date = "06/01/2026";
        }),
        ("liquidation status", |r| r.liquidation_status = "Extended"),
        ("protest", |r| {
            r.protest_number = "270426123456";
            r.protest_status = "Open";
        }),
    ];
    for (what, change) in cases {
        let mut rows = base.clone();
        if what == "protest" {
            // The other rows name the same protest as closed.
            for r in &mut rows {
                r.protest_number = "270426123456";
                r.protest_status = "Denied";
            }
        }
        let mut other = commodity(&base[0]);
        other.line = "2";
        change(&mut other);
        rows.push(other);
        let (verdict, codes) = assert_order_independent(&rows, what);
        assert!(
            codes.contains(&"conflicting-entry-data"),
            "{what}: {codes:?}"
        );
        let expected = if what == "liquidation status" {
            "review"
        } else {
            "blocked"
        };
        assert_eq!(verdict, expected, "{what}: {codes:?}");
    }
}
