//! Each finding code: one test that produces it and a near miss that does not.

mod common;
use cape_check::{Account, Audit};
use common::*;

const E: &str = "XQ710042173";

fn run(rows: &[Row]) -> cape_check::Outcome {
    audit_bytes(&es003(rows), settings())
}

fn run_as_of(rows: &[Row], as_of: &str) -> cape_check::Outcome {
    audit_bytes(&es003(rows), settings_as_of(as_of))
}

fn has(out: &cape_check::Outcome, entry: &str, code: &str) -> bool {
    codes(out, entry).contains(&code)
}

fn severity_of(out: &cape_check::Outcome, entry: &str, code: &str) -> &'static str {
    let e = out
        .report
        .entries
        .iter()
        .find(|e| e.entry == entry)
        .unwrap();
    match e
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap()
        .severity
    {
        cape_check::finding::Severity::Info => "info",
        cape_check::finding::Severity::Warning => "warning",
        cape_check::finding::Severity::Error => "error",
    }
}

#[test]
fn a_clean_entry_is_ready_with_no_findings() {
    let out = run(&clean());
    assert_eq!(verdict(&out, E), "ready");
    assert!(codes(&out, E).is_empty(), "{:?}", codes(&out, E));
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2000.00");
}

#[test]
fn entry_number_cleaned() {
    let out = run(&with(|r| r.entry = "XQ7-1004217-3"));
    assert!(has(&out, E, "entry-number-cleaned"));
    assert_eq!(verdict(&out, E), "ready");
    let out = run(&with(|r| r.entry = "'XQ710042173"));
    assert!(has(&out, E, "entry-number-cleaned"));
    assert!(!has(&run(&clean()), E, "entry-number-cleaned"));
}

#[test]
fn leading_zeros_restored() {
    let out = run(&with(|r| r.entry = "1644100214"));
    assert!(has(&out, "01644100214", "leading-zeros-restored"));
    let out = run(&with(|r| r.entry = "01644100214"));
    assert!(!has(&out, "01644100214", "leading-zeros-restored"));
}

#[test]
fn entry_number_scientific() {
    let out = run(&with(|r| r.entry = "1.64410E+10"));
    assert!(has(&out, "1.64410E+10", "entry-number-scientific"));
    assert_eq!(verdict(&out, "1.64410E+10"), "blocked");
    assert!(out.declarations.is_empty());
    let out = run(&with(|r| r.entry = "1644100214"));
    assert!(!has(&out, "01644100214", "entry-number-scientific"));
}

#[test]
fn entry_number_malformed() {
    let out = run(&with(|r| r.entry = "1644101502"));
    assert!(has(&out, "1644101502", "entry-number-malformed"));
    let out = run(&with(|r| r.entry = "XQ7100421"));
    assert!(has(&out, "XQ7100421", "entry-number-malformed"));
    assert!(!has(&run(&clean()), E, "entry-number-malformed"));
}

#[test]
fn check_digit_invalid() {
    let out = run(&with(|r| r.entry = "XQ710042174"));
    assert!(has(&out, "XQ710042174", "check-digit-invalid"));
    assert_eq!(verdict(&out, "XQ710042174"), "blocked");
    assert!(!has(&run(&clean()), E, "check-digit-invalid"));
}

#[test]
fn filer_code_mismatch() {
    let mut s = settings();
    s.account = Some(Account::filer("ABC").unwrap());
    let out = audit_bytes(&es003(&clean()), s.clone());
    assert!(has(&out, E, "filer-code-mismatch"));
    s.account = Some(Account::filer("xq7").unwrap());
    let out = audit_bytes(&es003(&clean()), s);
    assert!(!has(&out, E, "filer-code-mismatch"));
    assert_eq!(verdict(&out, E), "ready");
}

#[test]
fn importer_mismatch() {
    let out = run(&with(|r| r.importer = "98-765432101"));
    assert!(has(&out, E, "importer-mismatch"));
    let out = run(&with(|r| r.importer = "12-345678900"));
    assert!(has(&out, E, "importer-mismatch"));
    let out = run(&with(|r| r.importer = "98-7654321-00"));
    assert!(!has(&out, E, "importer-mismatch"));
    let out = run(&with(|r| r.importer = "987654321"));
    assert!(
        !has(&out, E, "importer-mismatch"),
        "nine digits may be the EIN without suffix"
    );
}

#[test]
fn entry_type_excluded() {
    for t in ["08", "8", "09", "23", "47"] {
        let rows = with(|r| r.entry_type = t);
        let out = run(&rows);
        assert!(has(&out, E, "entry-type-excluded"), "{t}");
    }
    for t in ["01", "1", "11", "06", "48"] {
        let out = run(&with(|r| r.entry_type = t));
        assert!(!has(&out, E, "entry-type-excluded"), "{t}");
    }
}

#[test]
fn no_ieepa_line_and_section_122() {
    let out = run(&with(|r| {
        if r.ordinal == "1" {
            r.hts = "99038815"
        }
    }));
    assert!(has(&out, E, "no-ieepa-line"));
    let out = run(&with(|r| {
        if r.ordinal == "1" {
            r.hts = "99030301"
        }
    }));
    assert!(has(&out, E, "section-122-only"));
    assert!(!has(&out, E, "no-ieepa-line"));
    // Near miss: both an IEEPA and a Section 122 line.
    let mut rows = clean();
    rows.push(Row {
        line: "2",
        hts: "9903.03.01",
        ..Row::default()
    });
    let out = run(&rows);
    assert!(!has(&out, E, "section-122-only"));
    assert!(!has(&out, E, "no-ieepa-line"));
    assert!(has(&out, E, "section-122-present"));
    assert_eq!(verdict(&out, E), "ready");
    assert!(!has(&run(&clean()), E, "section-122-present"));
}

#[test]
fn ieepa_duty_zero() {
    let out = run(&with(|r| {
        if r.ordinal == "1" {
            r.duty = "FREE"
        }
    }));
    assert!(has(&out, E, "ieepa-duty-zero"));
    let out = run(&with(|r| {
        if r.ordinal == "1" {
            r.duty = "$0.00"
        }
    }));
    assert!(has(&out, E, "ieepa-duty-zero"));
    let out = run(&with(|r| {
        if r.ordinal == "1" {
            r.duty = "$0.01"
        }
    }));
    assert!(!has(&out, E, "ieepa-duty-zero"));
}

#[test]
fn liquidation_window_80_days_in_81_out() {
    // 2026-11-22 minus 80 days is 09/03/2026.
    let out = run(&with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "09/03/2026";
    }));
    assert!(!has(&out, E, "liquidated-outside-window"));
    assert_eq!(verdict(&out, E), "ready");
    let out = run(&with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "09/02/2026";
    }));
    assert!(has(&out, E, "liquidated-outside-window"));
    let msg = &out.report.entries[0].findings[0].message;
    assert!(
        msg.contains("81 days") && msg.contains("03/01/2027"),
        "{msg}"
    );
    // Protest deadline passed.
    let out = run(&with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "01/02/2026";
    }));
    assert!(out.report.entries[0].findings[0]
        .message
        .contains("has passed"));
}

#[test]
fn window_closing_7_days_left_but_not_8() {
    let out = run(&with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "09/10/2026"; // 73 days: 7 left
    }));
    assert!(has(&out, E, "window-closing"));
    assert!(out.report.entries[0].findings[0]
        .message
        .contains("11/29/2026"));
    assert_eq!(verdict(&out, E), "ready");
    let out = run(&with(|r| {
        r.liquidation_status = "Liquidated";
        r.liquidation_date = "09/11/2026"; // 72 days: 8 left
    }));
    assert!(!has(&out, E, "window-closing"));
    // A liquidation date after the filing date: not yet liquidated.
    let out = run(&with(|r| {
        r.liquidation_status = "Pending";
        r.liquidation_date = "12/18/2026";
    }));
    assert!(codes(&out, E).is_empty());
}

#[test]
fn liquidation_deferred() {
    for status in ["Extended", "Suspended", "Under Review"] {
        let out = run(&with(|r| r.liquidation_status = status));
        assert!(has(&out, E, "liquidation-deferred"), "{status}");
        assert_eq!(verdict(&out, E), "ready");
    }
    assert!(!has(&run(&clean()), E, "liquidation-deferred"));
}

#[test]
fn liquidation_unknown_after_394_days_unchecked_before() {
    // 2026-11-22 minus 395 days is 10/23/2025.
    let out = run(&with(|r| {
        r.liquidation_status = "";
        r.summary_date = "10/23/2025";
        r.entry_date = "10/20/2025";
    }));
    assert!(has(&out, E, "liquidation-unknown"));
    assert_eq!(verdict(&out, E), "review");
    let out = run(&with(|r| {
        r.liquidation_status = "";
        r.summary_date = "10/24/2025";
        r.entry_date = "10/20/2025";
    }));
    assert!(has(&out, E, "liquidation-unchecked"));
    assert!(!has(&out, E, "liquidation-unknown"));
    assert_eq!(verdict(&out, E), "ready");
    // A status but no date is liquidation data: nothing to estimate.
    assert!(!has(&run(&clean()), E, "liquidation-unchecked"));
    // "Liquidated" without a date cannot be checked.
    let out = run(&with(|r| r.liquidation_status = "Liquidated"));
    assert!(has(&out, E, "liquidation-unknown"));
}

#[test]
fn reconciliation_flagged_by_date_and_type() {
    let flagged = with(|r| r.recon = "Y");
    let out = run(&flagged);
    assert_eq!(severity_of(&out, E, "reconciliation-flagged"), "warning");
    assert_eq!(verdict(&out, E), "review");
    let out = run_as_of(&flagged, "2026-06-28");
    assert_eq!(severity_of(&out, E, "reconciliation-flagged"), "error");
    let out = run_as_of(&flagged, "2026-06-29");
    assert_eq!(severity_of(&out, E, "reconciliation-flagged"), "warning");
    let out = run(&with(|r| {
        r.recon = "Y";
        r.entry_type = "03";
    }));
    assert_eq!(severity_of(&out, E, "reconciliation-flagged"), "error");
    assert!(!has(&run(&clean()), E, "reconciliation-flagged"));
}

#[test]
fn protest_on_entry() {
    let out = run(&with(|r| {
        r.protest_number = "270426100001";
        r.protest_status = "Open";
    }));
    assert_eq!(severity_of(&out, E, "protest-on-entry"), "error");
    let out = run(&with(|r| {
        r.protest_number = "270426100001";
        r.protest_status = "Suspended";
    }));
    assert_eq!(severity_of(&out, E, "protest-on-entry"), "error");
    let out = run(&with(|r| {
        r.protest_number = "270426100001";
        r.protest_status = "Closed - Denied";
    }));
    assert!(!has(&out, E, "protest-on-entry"));
    let out = run(&with(|r| r.protest_number = "270426100001"));
    assert_eq!(
        severity_of(&out, E, "protest-on-entry"),
        "warning",
        "status unknown: review"
    );
}

#[test]
fn trade_control() {
    let out = run(&with(|r| r.control = "Trade Control"));
    assert!(has(&out, E, "trade-control"));
    assert_eq!(verdict(&out, E), "blocked");
    assert!(!has(&run(&clean()), E, "trade-control"));
}

#[test]
fn goods_value_on_ieepa_line_by_date() {
    let rows = with(|r| {
        if r.ordinal == "1" {
            r.goods = "$500.00"
        }
    });
    let out = run_as_of(&rows, "2026-06-24");
    assert_eq!(severity_of(&out, E, "goods-value-on-ieepa-line"), "error");
    let out = run_as_of(&rows, "2026-06-25");
    assert_eq!(severity_of(&out, E, "goods-value-on-ieepa-line"), "info");
    assert_eq!(
        out.report.entries[0].findings[0]
            .rows
            .iter()
            .collect::<Vec<_>>(),
        vec![2]
    );
    assert!(!has(
        &run_as_of(&clean(), "2026-06-24"),
        E,
        "goods-value-on-ieepa-line"
    ));
}

#[test]
fn outside_ieepa_period() {
    for (date, outside) in [
        ("02/03/2025", true),
        ("02/04/2025", false),
        ("02/23/2026", false),
        ("02/24/2026", true),
    ] {
        let out = run(&with(|r| r.entry_date = date));
        assert_eq!(has(&out, E, "outside-ieepa-period"), outside, "{date}");
    }
}

#[test]
fn hts_out_of_sequence() {
    let r = Row::default();
    let rows = vec![
        Row {
            ordinal: "2",
            ..r.clone()
        },
        Row {
            ordinal: "1",
            ..commodity(&r)
        },
    ];
    let out = run(&rows);
    assert!(has(&out, E, "hts-out-of-sequence"));
    assert_eq!(verdict(&out, E), "review");
    // Same rows, other order in the file but right by ordinal: no finding.
    let rows = vec![commodity(&r), r.clone()];
    assert!(!has(&run(&rows), E, "hts-out-of-sequence"));
    // A commodity on another line does not count.
    let rows = vec![
        Row {
            line: "2",
            ordinal: "1",
            ..commodity(&r)
        },
        Row {
            ordinal: "2",
            ..r.clone()
        },
    ];
    assert!(!has(&run(&rows), E, "hts-out-of-sequence"));
}

#[test]
fn conflicting_entry_data() {
    let r = Row::default();
    let out = run(&[
        r.clone(),
        Row {
            importer: "12-345678900",
            ..commodity(&r)
        },
    ]);
    assert!(has(&out, E, "conflicting-entry-data"));
    let out = run(&[
        r.clone(),
        Row {
            entry_type: "11",
            ..commodity(&r)
        },
    ]);
    assert!(has(&out, E, "conflicting-entry-data"));
    let out = run(&[
        r.clone(),
        Row {
            duty: "$1.00",
            ..r.clone()
        },
    ]);
    assert!(has(&out, E, "conflicting-entry-data"));
    // Same importer written two ways, same type with and without its zero.
    let out = run(&[
        r.clone(),
        Row {
            importer: "98-7654321-00",
            entry_type: "1",
            ..commodity(&r)
        },
    ]);
    assert!(
        !has(&out, E, "conflicting-entry-data"),
        "{:?}",
        codes(&out, E)
    );
}

#[test]
fn duplicate_rows_count_once() {
    let r = Row::default();
    let out = run(&[r.clone(), commodity(&r), r.clone()]);
    assert!(has(&out, E, "duplicate-rows"));
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2000.00");
    assert_eq!(verdict(&out, E), "ready");
    let out = run(&[
        r.clone(),
        commodity(&r),
        Row {
            ordinal: "3",
            ..r.clone()
        },
    ]);
    assert!(!has(&out, E, "duplicate-rows"));
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "4000.00");
}

#[test]
fn repeats_count_once_without_line_and_ordinal_columns() {
    let bytes = std::fs::read(data("bad/european_semicolon_1252.csv")).unwrap();
    let out = audit_files(&[("a.csv", &bytes), ("again.csv", &bytes)], settings(), 0);
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2000.00");
    assert!(has(&out, E, "duplicate-rows"));
    let once = audit_files(&[("a.csv", &bytes)], settings(), 0);
    assert!(!has(&once, E, "duplicate-rows"));
}

#[test]
fn unreadable_cells_put_the_entry_to_review() {
    let out = run(&with(|r| {
        if r.ordinal == "2" {
            r.duty = "abc"
        }
    }));
    assert!(has(&out, E, "malformed-row"));
    assert_eq!(verdict(&out, E), "review");
    let msg = &out.report.entries[0].findings[0].message;
    assert!(msg.contains("row 3") && msg.contains("'abc'"), "{msg}");
    let out = run(&with(|r| r.liquidation_date = "13/45/2026"));
    assert!(has(&out, E, "malformed-row"));
    assert!(!has(&run(&clean()), E, "malformed-row"));
}

#[test]
fn title_rows_skipped() {
    let mut bytes = b"ES-003 Entry Summary Line Tariff Details\r\n\r\n".to_vec();
    bytes.extend(es003(&clean()));
    let out = audit_bytes(&bytes, settings());
    assert!(file_codes(&out).contains(&"title-rows-skipped"));
    assert_eq!(out.report.entries[0].findings.len(), 0);
    assert_eq!(out.report.entries[0].entry, E);
    assert!(!file_codes(&run(&clean())).contains(&"title-rows-skipped"));
}

#[test]
fn encoding_converted_windows_1252() {
    let mut bytes = b"Entry Summary Number,Importer Name,HTS Number - Full,Line Tariff Duty Amount,Entry Summary Date\r\n".to_vec();
    bytes.extend_from_slice(b"XQ710042173,Caf\xE9 Import,99030269,$5.00,01/30/2026\r\n");
    let out = audit_bytes(&bytes, settings());
    assert!(file_codes(&out).contains(&"encoding-converted"));
    assert_eq!(verdict(&out, E), "ready");
    let utf8 = String::from_utf8_lossy(&bytes).replace('\u{FFFD}', "é");
    assert!(!file_codes(&audit_bytes(utf8.as_bytes(), settings())).contains(&"encoding-converted"));
}

#[test]
fn malformed_rows_are_counted_with_their_numbers() {
    let mut text = String::from_utf8(es003(&clean())).unwrap();
    // Row 4 has a cell past the header's 16; row 5 no entry number.
    text.push_str("XQ710042173,01,1,,,,,,,,,,,,,,note\r\n,01,1,98-765432100,01/20/2026,01/30/2026,3,99030269,$0.00,$1.00,N,Unliquidated,,,,\r\n");
    let out = audit_bytes(text.as_bytes(), settings());
    let f: Vec<_> = out.report.files[0]
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "malformed-row")
        .collect();
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0].rows.iter().collect::<Vec<_>>(), vec![4]);
    assert!(f[0].message.contains("16 cells"), "{}", f[0].message);
    assert_eq!(f[1].rows.iter().collect::<Vec<_>>(), vec![5]);
    assert!(f[1].message.contains("no entry number"));
    assert!(!file_codes(&run(&clean())).contains(&"malformed-row"));
}

#[test]
fn account_not_set() {
    let mut s = settings();
    s.account = None;
    let out = audit_bytes(&es003(&clean()), s);
    assert!(file_codes(&out).contains(&"account-not-set"));
    assert!(!file_codes(&run(&clean())).contains(&"account-not-set"));
}

#[test]
fn several_importers() {
    let r = Row::default();
    let other = Row {
        entry: "XQ710043916",
        importer: "98-765432101",
        ..r.clone()
    };
    let out = run(&[r.clone(), other]);
    assert!(file_codes(&out).contains(&"several-importers"));
    assert!(!file_codes(&run(&clean())).contains(&"several-importers"));
}

#[test]
fn missing_columns_error_and_warning() {
    let no_hts = b"Entry Summary Number,Line Tariff Duty Amount\r\nXQ710042173,$1.00\r\n";
    let out = audit_bytes(no_hts, settings());
    let f = &out.report.files[0].findings[0];
    assert_eq!(
        (f.code.as_str(), f.severity.verdict().as_str()),
        ("missing-column", "blocked")
    );
    assert!(f.message.contains("HTS Number - Full"));
    assert!(out.report.entries.is_empty());
    let no_importer = b"Entry Summary Number,Entry Type Code,HTS Number - Full,Line Tariff Duty Amount,Liquidation Status,Liquidation Date\r\nXQ710042173,01,99030269,$1.00,Unliquidated,\r\n";
    let out = audit_bytes(no_importer, settings());
    let f: Vec<_> = out.report.files[0]
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "missing-column")
        .collect();
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("Importer Number") && f[0].message.contains("ACE Reports"));
    assert_eq!(f[0].severity.verdict().as_str(), "review");
    assert!(!file_codes(&run(&clean())).contains(&"missing-column"));
}

#[test]
fn declaration_split_above_9999() {
    fn entries(n: usize) -> Vec<u8> {
        let mut s = String::from("Entry Summary Number,Entry Type Code,Importer Number,Entry Summary Date,Liquidation Status,HTS Number - Full,Line Tariff Duty Amount\r\n");
        for i in 0..n {
            let mut b = *b"XQ700000000";
            b[3..10].copy_from_slice(format!("{i:07}").as_bytes());
            b[10] = b'0' + cape_check::values::entry_number::check_digit(&b).unwrap();
            s.push_str(&format!(
                "{},01,98-765432100,01/30/2026,Unliquidated,99030124,$10.00\r\n",
                std::str::from_utf8(&b).unwrap()
            ));
        }
        s.into_bytes()
    }
    let out = audit_bytes(&entries(10_000), settings());
    assert_eq!(out.report.totals.ready, 10_000);
    assert!(file_codes(&out).contains(&"declaration-split"));
    assert_eq!(out.declarations.len(), 2);
    assert_eq!(out.report.declarations[0].entries, 9_999);
    assert_eq!(out.report.declarations[1].entries, 1);
    assert_eq!(out.declarations[1].name, "cape-declaration-2-of-2.csv");
    let out = audit_bytes(&entries(9_999), settings());
    assert!(!file_codes(&out).contains(&"declaration-split"));
    assert_eq!(out.declarations.len(), 1);
}

#[test]
fn entries_spread_over_files_are_one_entry() {
    let r = Row::default();
    let a = es003(std::slice::from_ref(&r));
    let b = es003(&[commodity(&r), r.clone()]);
    let out = audit_files(&[("a.csv", &a), ("b.csv", &b)], settings(), 0);
    assert_eq!(out.report.entries.len(), 1);
    assert!(has(&out, E, "duplicate-rows"));
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2000.00");
    assert_eq!(out.report.files.len(), 2);
}

#[test]
fn report_json_has_the_contract_shape() {
    let out = run(&clean());
    let v: serde_json::Value = serde_json::from_str(&json(&out)).unwrap();
    assert_eq!(v["format"], "cape-check-report/1");
    assert_eq!(v["as_of"], "2026-11-22");
    assert_eq!(v["account"]["importer"], "98-765432100");
    assert_eq!(v["files"][0]["kind"], "es003");
    assert_eq!(v["files"][0]["rows"], 3);
    assert_eq!(v["entries"][0]["entry"], E);
    assert_eq!(v["entries"][0]["verdict"], "ready");
    assert_eq!(v["entries"][0]["entry_type"], "01");
    assert_eq!(v["entries"][0]["ieepa_duty"], "2000.00");
    assert_eq!(v["declarations"][0]["file"], "cape-declaration.csv");
    assert_eq!(v["declarations"][0]["entries"], 1);
    assert_eq!(v["totals"]["ieepa_duty_ready"], "2000.00");
    let mut s = settings();
    s.account = Some(Account::filer("XQ7").unwrap());
    let out = audit_bytes(&es003(&clean()), s);
    let v: serde_json::Value = serde_json::from_str(&json(&out)).unwrap();
    assert_eq!(v["account"]["filer"], "XQ7");
    let mut s = settings();
    s.account = None;
    let mut audit = Audit::new(s);
    audit.feed(&es003(&clean()));
    let v: serde_json::Value = serde_json::to_value(&audit.finish().report).unwrap();
    assert!(v["account"].is_null());
}

#[test]
fn findings_csv_is_safe_for_excel() {
    let out = run(&with(|r| r.entry = "=HYPERLINK(\"x\")"));
    let text = String::from_utf8(out.findings_csv.clone()).unwrap();
    assert!(text.starts_with(
        "\u{FEFF}Entry Number,Verdict,Code,Severity,Rows,Message,IEEPA Duty,Interest (estimate)\r\n"
    ));
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let mut seen = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        for cell in rec.iter() {
            assert!(excel_cell_is_safe(cell), "unsafe cell {cell:?}");
        }
        seen += 1;
    }
    assert!(seen >= 1);
    // The entry as written is text inside a string, never a formula of its own.
    assert!(text.contains(r#""=""=HYPERLINK(""""x"""")""""#), "{text}");
}

/// The texts people read, with what file cells they quote ('...') removed.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '\'' if !quoted => quoted = true,
            '\'' => quoted = false,
            _ if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `text` holds an ISO date (2026-11-22) or an undotted Chapter 99
/// number (99038815).
fn iso_date_or_bare_hts(text: &str) -> Option<String> {
    let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
    words
        .filter(|w| {
            let b = w.as_bytes();
            let iso = b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
            let hts = (b.len() == 8 || b.len() == 10)
                && w.starts_with("99")
                && b.iter().all(u8::is_ascii_digit);
            iso || hts
        })
        .map(str::to_string)
        .next()
}

#[test]
fn every_message_is_in_plain_words() {
    // Every sample, bad file, declaration, Claim Details and real-shaped
    // download, plus a generated export with every finding, under each
    // account kind: no "(s)" plurals, no ISO dates (ACE shows MM/DD/YYYY),
    // no undotted HTS, no finding code or command-line flag in a sentence.
    let mut bytes = Vec::new();
    cape_check::generate::generate(
        &cape_check::generate::GeneratorSettings {
            entries: 400,
            seed: 11,
            lines_per_entry: 3,
        },
        &mut bytes,
    )
    .unwrap();
    let mut files = fixtures();
    files.push(("generated.csv".to_string(), bytes));
    let mut texts = Vec::new();
    for account in [
        Some(Account::importer("98-765432100").unwrap()),
        Some(Account::filer("XQ7").unwrap()),
        None,
    ] {
        let mut settings = settings();
        settings.account = account;
        settings.wording = cape_check::Wording::PAGE;
        for (name, bytes) in &files {
            let out = audit_files(&[(name, bytes)], settings.clone(), 0);
            let r = &out.report;
            texts.extend(
                r.files
                    .iter()
                    .flat_map(|f| f.findings.iter().map(|f| f.message.clone())),
            );
            texts.extend(
                r.entries
                    .iter()
                    .flat_map(|e| e.findings.iter().map(|f| f.message.clone())),
            );
            texts.push(r.interest.basis.clone());
            texts.push(r.interest.rate_table.clone());
            texts.push(out.report.text_summary());
        }
    }
    for rule in cape_check::rules::RuleSet::default().book() {
        texts.extend([rule.rule, rule.source.to_string(), rule.check]);
    }
    texts.sort();
    texts.dedup();
    assert!(texts.len() > 100, "{} texts", texts.len());
    let codes: Vec<&str> = cape_check::finding::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| c.contains('-'))
        .collect();
    for text in &texts {
        let summary = text.starts_with("cape-check: ");
        let words = prose(text);
        assert!(!words.contains("(s)"), "{text}");
        assert!(!summary || !words.contains(" 1 entries"), "{text}");
        if let Some(found) = iso_date_or_bare_hts(&words) {
            panic!("{found} in: {text}");
        }
        if summary {
            continue; // the CLI's summary names codes on purpose
        }
        assert!(!words.contains("--"), "{text}");
        if let Some(code) = codes.iter().find(|c| words.contains(*c)) {
            panic!("the code {code} in: {text}");
        }
    }
}
