//! The three sample files give exactly the verdicts and declarations their
//! README states (importer account 98-765432100, filing date 2026-11-22).

mod common;
use common::*;

#[test]
fn importer_standard() {
    let out = audit_bytes(&sample("es003_importer_standard.csv"), settings());
    let expected = [
        ("XQ710042173", "ready", None),
        ("XQ710043916", "ready", None),
        ("XQ710044021", "ready", None),
        ("XQ710030186", "blocked", Some("liquidated-outside-window")),
        ("XQ710044559", "blocked", Some("no-ieepa-line")),
        ("XQ710044609", "blocked", Some("section-122-only")),
        ("XQ710022100", "blocked", Some("entry-type-excluded")),
        ("XQ710045309", "blocked", Some("ieepa-duty-zero")),
        ("XQ710046018", "review", Some("reconciliation-flagged")),
        ("XQ710044773", "blocked", Some("importer-mismatch")),
    ];
    assert_eq!(out.report.entries.len(), expected.len());
    for (i, (entry, v, code)) in expected.iter().enumerate() {
        assert_eq!(
            out.report.entries[i].entry, *entry,
            "order of first appearance"
        );
        assert_eq!(verdict(&out, entry), *v, "{entry}");
        if let Some(code) = code {
            assert!(
                codes(&out, entry).contains(code),
                "{entry}: {:?}",
                codes(&out, entry)
            );
        }
    }
    let outside = &out.report.entries[3].findings[0];
    assert!(outside.message.contains("93 days"), "{}", outside.message);
    assert!(
        outside.message.contains("02/17/2027"),
        "{}",
        outside.message
    );
    assert_eq!(outside.rows.iter().collect::<Vec<_>>(), vec![13, 14]);
    let mismatch = out.report.entries[9]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "importer-mismatch")
        .unwrap();
    assert!(
        mismatch.message.contains("Only the suffix differs"),
        "{}",
        mismatch.message
    );
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2900.00");
    assert_eq!(out.report.totals.ready, 3);
    assert_eq!(out.report.totals.review, 1);
    assert_eq!(out.report.totals.blocked, 6);
    assert_eq!(out.report.totals.ieepa_duty_ready.to_string(), "7400.00");
    assert_eq!(out.declarations.len(), 1);
    assert_eq!(out.declarations[0].name, "cape-declaration.csv");
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n"
    );
}

#[test]
fn broker_excel_resaved() {
    let out = audit_bytes(&sample("es003_broker_excel_resaved.csv"), settings());
    let expected: [(&str, &str, &[&str]); 5] = [
        (
            "01644100214",
            "ready",
            &[
                "leading-zeros-restored",
                "duplicate-rows",
                "liquidation-unchecked",
            ],
        ),
        ("01644101022", "ready", &["leading-zeros-restored"]),
        (
            "01644101337",
            "blocked",
            &["entry-number-cleaned", "importer-mismatch"],
        ),
        ("1644101502", "blocked", &["entry-number-malformed"]),
        (
            "01644101881",
            "blocked",
            &["leading-zeros-restored", "entry-type-excluded"],
        ),
    ];
    assert_eq!(out.report.entries.len(), 5);
    for (entry, v, want) in expected {
        assert_eq!(verdict(&out, entry), v, "{entry}");
        let got = codes(&out, entry);
        for code in want {
            assert!(got.contains(code), "{entry}: {code} not in {got:?}");
        }
    }
    let first = &out.report.entries[0];
    assert_eq!(
        first.ieepa_duty.to_string(),
        "2400.00",
        "repeated rows count once"
    );
    assert_eq!(first.entry_type.as_deref(), Some("01"));
    let malformed = &out.report.entries[3].findings[0];
    assert!(
        malformed.message.contains("01644101502"),
        "{}",
        malformed.message
    );
    assert!(file_codes(&out).contains(&"several-importers"));
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\n01644100214\r\n01644101022\r\n"
    );
}

#[test]
fn preamble_without_liquidation_columns() {
    let bytes = sample("es003_default_no_liquidation_with_preamble.csv");
    let out = audit_bytes(&bytes, settings());
    let files = &out.report.files[0];
    let title = files
        .findings
        .iter()
        .find(|f| f.code.as_str() == "title-rows-skipped")
        .expect("title rows");
    assert_eq!(title.rows.iter().collect::<Vec<_>>(), vec![1, 2, 3]);
    let missing = files
        .findings
        .iter()
        .find(|f| f.code.as_str() == "missing-column")
        .expect("missing column");
    assert_eq!(missing.severity.verdict().as_str(), "review");
    assert!(
        missing.message.contains("Liquidation Status")
            && missing.message.contains("Liquidation Date")
    );
    for entry in ["Z9Z30000114", "Z9Z30000296"] {
        assert_eq!(verdict(&out, entry), "review");
        assert!(codes(&out, entry).contains(&"liquidation-unknown"));
    }
    // The header is row 4 as Excel shows it; the first entry's rows are 5 and 6.
    assert_eq!(
        out.report.entries[0].findings[0]
            .rows
            .iter()
            .collect::<Vec<_>>(),
        vec![5, 6]
    );
    assert!(out.declarations.is_empty());
    assert!(out.report.declarations.is_empty());

    let mut with_review = settings();
    with_review.include_review = true;
    let out = audit_bytes(&bytes, with_review);
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nZ9Z30000114\r\nZ9Z30000296\r\n"
    );
}

#[test]
fn the_project_copy_of_the_samples_is_used() {
    // The samples' README travels with them; the tests never read ../shared.
    let readme = std::fs::read_to_string(data("samples/README.md")).unwrap();
    assert!(readme.contains("es003_importer_standard.csv"));
}
