//! Where the rules pulled two ways, settled (contract section 7, issue 27):
//! the verdict never depends on the order of rows or on how a value is
//! written, and an entry that may have been refunded already is never
//! written by including every entry to review at once.

mod common;
use cape_check::output::results::Results;
use cape_check::Outcome;
use common::*;

const E: &str = "XQ710042173";
const E2: &str = "XQ710042256";

fn found(out: &Outcome, entry: &str) -> Vec<&'static str> {
    codes(out, entry)
}

/// An ES-003 with a liquidation reason column: entry E with reason 36 on
/// its rows, and a plain entry to review (E2, flagged for reconciliation
/// after 06/29/2026: a warning).
fn reason_36_export() -> Vec<u8> {
    std::fs::read(data("real_shapes/es003_liquidation_reason_36.csv")).unwrap()
}

fn declared(out: &Outcome) -> String {
    out.declarations
        .iter()
        .map(|d| String::from_utf8_lossy(&d.bytes).into_owned())
        .collect()
}

#[test]
fn reason_36_is_a_warning_never_written_by_including_all_entries_to_review() {
    let mut s = settings();
    s.include_review = true;
    let out = audit_bytes(&reason_36_export(), s.clone());
    assert_eq!(verdict(&out, E), "review");
    assert_eq!(found(&out, E), ["already-accepted"]);
    assert_eq!(verdict(&out, E2), "review");
    // --include-review writes the other entry to review, never this one.
    assert_eq!(declared(&out), "Entry Number\r\nXQ710042256\r\n");

    // The page: "include all" leaves it out too; a person including it by
    // itself writes it.
    let mut results = Results::new(out.report, out.declarations, &s);
    results.include(None, false).unwrap();
    results.include(None, true).unwrap();
    let files = results.declarations();
    assert_eq!(
        String::from_utf8_lossy(&files[0].bytes),
        "Entry Number\r\nXQ710042256\r\n"
    );
    results.include(Some(&[E.to_string()]), true).unwrap();
    let files = results.declarations();
    assert_eq!(
        String::from_utf8_lossy(&files[0].bytes),
        "Entry Number\r\nXQ710042173\r\nXQ710042256\r\n"
    );
}

/// Claim Details of one download in which each entry failed twice, in
/// either order.
fn claims(first: &str, second: &str) -> Vec<u8> {
    format!(
        "ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION\r\n=\"{E}\",=\"100000000001\",Failed,{first}\r\n=\"{E}\",=\"100000000002\",Failed,{second}\r\n"
    )
    .into_bytes()
}

#[test]
fn an_entry_failed_twice_in_one_download_is_judged_on_the_worst_action() {
    let export = es003(&clean());
    let drawback = "ENTRY ON DRAWBACK";
    let goods = "GOODS VALUE REPORTED ON IEEPA HTS LINE";
    let mut outcomes = Vec::new();
    for (a, b) in [(drawback, goods), (goods, drawback)] {
        let out = audit_files(
            &[("es003.csv", &export), ("claims.csv", &claims(a, b))],
            settings(),
            0,
        );
        assert_eq!(verdict(&out, E), "blocked", "{a} then {b}");
        let f = out.report.entries[0]
            .findings
            .iter()
            .find(|f| f.code.as_str() == "previously-rejected")
            .unwrap();
        assert!(f.message.contains(drawback), "{}", f.message);
        assert!(declared(&out).is_empty());
        outcomes.push(f.message.clone());
    }
    // The same words whatever the order, but for the row it names.
    assert_eq!(
        outcomes[0].replace("row 2", "row 3"),
        outcomes[1].replace("row 2", "row 3")
    );
}

#[test]
fn a_value_written_two_ways_is_no_conflict() {
    for (status, other) in [
        ("Unliquidated", "UNLIQUIDATED"),
        ("Liquidated", "liquidated"),
    ] {
        let mut rows = with(|r| {
            r.liquidation_status = status;
            if status == "Liquidated" {
                r.liquidation_date = "11/10/2026";
            }
        });
        rows[1].liquidation_status = other;
        let out = run_rows(&rows);
        assert!(
            !found(&out, E).contains(&"conflicting-entry-data"),
            "{status} / {other}: {:?}",
            found(&out, E)
        );
    }
    for (number, status, other_number, other_status) in [
        ("270426100123", "Closed", "270426100123", "CLOSED"),
        ("270426100123", "Closed", "2704-26-100123", "Closed"),
        ("2704-26-100123", "closed", "270426100123", "CLOSED"),
    ] {
        let mut rows = with(|r| {
            r.protest_number = number;
            r.protest_status = status;
        });
        rows[1].protest_number = other_number;
        rows[1].protest_status = other_status;
        let out = run_rows(&rows);
        assert_eq!(verdict(&out, E), "ready", "{number} {status}");
        assert!(found(&out, E).is_empty(), "{:?}", found(&out, E));
    }
    // Values that differ are still a conflict.
    let mut rows = clean();
    rows[1].liquidation_status = "Liquidated";
    rows[1].liquidation_date = "11/10/2026";
    assert!(found(&run_rows(&rows), E).contains(&"conflicting-entry-data"));
    let mut rows = with(|r| {
        r.protest_number = "270426100123";
        r.protest_status = "Closed";
    });
    rows[1].protest_number = "270426100124";
    assert!(found(&run_rows(&rows), E).contains(&"conflicting-entry-data"));
}

fn run_rows(rows: &[Row]) -> Outcome {
    audit_bytes(&es003(rows), settings())
}

fn several_importers(out: &Outcome) -> Option<String> {
    file_finding(out, "several-importers").map(|(f, _)| f.message.clone())
}

#[test]
fn several_importers_counts_every_row_and_a_bare_ein_is_the_same_importer() {
    // A second importer on a later row of an entry is counted.
    let mut rows = clean();
    let second = Row {
        entry: E2,
        ..Row::default()
    };
    rows.push(second.clone());
    rows.push(Row {
        importer: "45-112233400",
        ..commodity(&second)
    });
    let message = several_importers(&run_rows(&rows)).expect("two importers");
    assert!(
        message.contains("2 importer numbers (98-765432100, 45-112233400)"),
        "{message}"
    );
    // 987654321 is 98-765432100's EIN without its suffix 00 (rules.md 3),
    // in either order.
    for (a, b) in [("98-765432100", "987654321"), ("987654321", "98-765432100")] {
        let mut rows = with(|r| r.importer = a);
        rows.extend([
            Row {
                entry: E2,
                importer: b,
                ..Row::default()
            },
            Row {
                entry: E2,
                importer: b,
                ..commodity(&Row::default())
            },
        ]);
        let out = run_rows(&rows);
        assert_eq!(several_importers(&out), None, "{a} and {b}");
    }
    // Another suffix is another importer.
    let mut rows = clean();
    rows.push(Row {
        entry: E2,
        importer: "98-765432101",
        ..Row::default()
    });
    assert!(several_importers(&run_rows(&rows)).is_some());
}

#[test]
fn spaces_at_an_entry_numbers_edges_are_removed_and_said() {
    for written in [" XQ710042173 ", "XQ710042173\t", "\tXQ710042173"] {
        let out = run_rows(&with(|r| r.entry = written));
        assert_eq!(found(&out, E), ["entry-number-cleaned"], "{written:?}");
        assert_eq!(verdict(&out, E), "ready");
        let f = &out.report.entries[0].findings[0];
        assert!(f.message.contains(&format!("'{written}'")), "{}", f.message);
        assert_eq!(declared(&out), "Entry Number\r\nXQ710042173\r\n");
    }
}
