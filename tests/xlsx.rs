//! ES-003 as XLSX (made by openpyxl: tests/data/make_xlsx.py): the audit of a
//! workbook matches the audit of the same data as CSV.
#![cfg(feature = "xlsx")]

mod common;
use common::*;

fn entries_json(out: &cape_check::Outcome) -> serde_json::Value {
    serde_json::to_value(&out.report.entries).unwrap()
}

fn xlsx(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("xlsx/{name}"))).unwrap()
}

#[test]
fn workbooks_audit_like_their_csv() {
    for (book, csv) in [
        (
            "es003_importer_standard.xlsx",
            "es003_importer_standard.csv",
        ),
        (
            "es003_broker_excel_resaved.xlsx",
            "es003_broker_excel_resaved.csv",
        ),
        ("renamed_sheet.xlsx", "es003_importer_standard.csv"),
        ("far_cell.xlsx", "es003_importer_standard.csv"),
    ] {
        let from_csv = audit_bytes(&sample(csv), settings());
        for chunk in [0, 4096, 7] {
            let from_book = audit_files(&[(book, &xlsx(book))], settings(), chunk);
            assert_eq!(from_book.report.files[0].kind, Some("es003"), "{book}");
            assert_eq!(
                entries_json(&from_book),
                entries_json(&from_csv),
                "{book} in chunks of {chunk}"
            );
            assert_eq!(from_book.declarations, from_csv.declarations, "{book}");
        }
    }
}

#[test]
fn numeric_entry_numbers_are_restored_like_lost_zeros() {
    let out = audit_files(
        &[("b.xlsx", &xlsx("es003_broker_excel_resaved.xlsx"))],
        settings(),
        0,
    );
    assert!(codes(&out, "01644100214").contains(&"leading-zeros-restored"));
    assert_eq!(out.report.entries[0].entry_type.as_deref(), Some("01"));
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2400.00");
}

#[test]
fn damaged_other_and_oversized_workbooks_get_a_clear_message() {
    let out = audit_files(&[("damaged.xlsx", &xlsx("damaged.xlsx"))], settings(), 0);
    let f = &out.report.files[0].findings[0];
    assert_eq!(f.code.as_str(), "unreadable-file");
    assert!(
        f.message
            .contains("is a damaged workbook, or not a complete one"),
        "{}",
        f.message
    );
    // In plain words: not the reader's ("Could not find EOCD").
    assert!(!f.message.contains("EOCD"), "{}", f.message);

    let out = audit_files(&[("parts.xlsx", &xlsx("parts_list.xlsx"))], settings(), 0);
    let f = &out.report.files[0].findings[0];
    assert_eq!(f.code.as_str(), "no-header-row");
    assert!(f.message.contains("parts"), "{}", f.message);

    let mut audit = cape_check::Audit::new(settings());
    audit.begin_file("huge.xlsx");
    audit.feed(b"PK\x03\x04");
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..=(cape_check::read::file::MAX_WORKBOOK_BYTES >> 20) {
        audit.feed(&chunk);
    }
    let out = audit.finish();
    let f = &out.report.files[0].findings[0];
    assert!(
        f.message.contains("too large for memory") && f.message.contains("CSV"),
        "{}",
        f.message
    );

    let protected = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
    let out = audit_bytes(protected, settings());
    assert!(out.report.files[0].findings[0].message.contains("password"));
}

#[test]
fn an_xlsx_and_claim_details_join_an_es003() {
    let claims = std::fs::read(data("claims/claim_details.csv")).unwrap();
    let out = audit_files(
        &[
            ("b.xlsx", &xlsx("es003_broker_excel_resaved.xlsx")),
            ("std.csv", &sample("es003_importer_standard.csv")),
            ("claims.csv", &claims),
        ],
        settings(),
        0,
    );
    assert_eq!(out.report.entries.len(), 15);
    assert_eq!(verdict(&out, "XQ710042173"), "blocked");
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\n01644100214\r\n01644101022\r\nXQ710043916\r\n"
    );
}
