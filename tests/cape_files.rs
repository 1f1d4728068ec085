//! The other files of the CAPE workflow: hand-made declarations (CAPE's
//! file-level checks, with row numbers, and the corrected file), Claim
//! Details (alone and with an ES-003), several files of mixed kinds, and one
//! declaration per importer for brokers.

mod common;
use cape_check::Account;
use common::*;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

fn findings<'a>(out: &'a cape_check::Outcome, code: &str) -> Vec<&'a cape_check::finding::Finding> {
    out.report
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|f| f.code.as_str() == code)
        .collect()
}

fn no_account() -> cape_check::Settings {
    let mut s = settings();
    s.account = None;
    s
}

#[test]
fn a_good_declaration_passes_unchanged() {
    let bytes = read("declarations/good.csv");
    let out = audit_files(&[("good.csv", &bytes)], no_account(), 0);
    assert_eq!(out.report.files[0].kind, Some("declaration"));
    assert!(findings(&out, "declaration-format").is_empty());
    assert_eq!(
        out.declarations[0].bytes, bytes,
        "the corrected file of a good file is the same file"
    );
    for e in &out.report.entries {
        assert_eq!(e.verdict.as_str(), "ready");
        assert_eq!(e.findings[0].code.as_str(), "not-in-export");
        assert_eq!(
            e.findings[0].severity.verdict().as_str(),
            "ready",
            "alone, only the number is checked: info"
        );
    }
}

#[test]
fn every_file_level_fault_with_its_row_and_a_byte_exact_correction() {
    let out = audit_files(
        &[("excel_edited.csv", &read("declarations/excel_edited.csv"))],
        no_account(),
        0,
    );
    let format = findings(&out, "declaration-format");
    let by_text = |needle: &str| {
        format
            .iter()
            .find(|f| f.message.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in {format:#?}"))
    };
    assert_eq!(
        by_text("it reads 'Entry No'")
            .rows
            .iter()
            .collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(
        by_text("saved as \"CSV UTF-8\"")
            .rows
            .iter()
            .collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(
        by_text("cells in other columns")
            .rows
            .iter()
            .collect::<Vec<_>>(),
        vec![1, 6]
    );
    assert_eq!(
        by_text("blank rows").rows.iter().collect::<Vec<_>>(),
        vec![4]
    );
    let dup = findings(&out, "duplicate-entry");
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].rows.iter().collect::<Vec<_>>(), vec![6]);
    assert_eq!(
        codes(&out, "XQ710042174"),
        ["check-digit-invalid", "not-in-export"]
    );
    assert_eq!(
        codes(&out, "XQ7100421"),
        ["entry-number-malformed", "not-in-export"]
    );
    assert!(codes(&out, "01644100214").contains(&"leading-zeros-restored"));
    assert!(codes(&out, "XQ710043916").contains(&"entry-number-cleaned"));
    assert_eq!(out.report.entries.len(), 5, "the duplicate is one entry");
    assert_eq!(out.declarations.len(), 1);
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nXQ710042173\r\n01644100214\r\nXQ710043916\r\n"
    );
}

#[test]
fn header_below_a_title_row() {
    let out = audit_files(
        &[("t.csv", &read("declarations/title_above_header.csv"))],
        no_account(),
        0,
    );
    let format = findings(&out, "declaration-format");
    assert_eq!(format.len(), 1);
    assert!(format[0].message.contains("row 2"));
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nXQ710042173\r\n"
    );
}

#[test]
fn too_many_entries_and_too_many_bytes() {
    let mut text = String::from("Entry Number\r\n");
    for i in 0..10_000 {
        let mut b = *b"XQ700000000";
        b[3..10].copy_from_slice(format!("{i:07}").as_bytes());
        b[10] = b'0' + cape_check::values::entry_number::check_digit(&b).unwrap();
        text.push_str(std::str::from_utf8(&b).unwrap());
        text.push_str("\r\n");
    }
    let out = audit_files(&[("big.csv", text.as_bytes())], no_account(), 4096);
    let format = findings(&out, "declaration-format");
    assert!(
        format
            .iter()
            .any(|f| f.message.contains("10000 entries") && f.message.contains("9999")),
        "{format:#?}"
    );
    assert_eq!(out.declarations.len(), 2, "the correction is split");
    assert!(findings(&out, "declaration-split").len() == 1);
    let mut small = no_account();
    small.rules.max_declaration_bytes = 1_000;
    let out = audit_files(&[("big.csv", text.as_bytes())], small, 0);
    assert!(findings(&out, "declaration-format")
        .iter()
        .any(|f| f.message.contains("bytes")));
}

#[test]
fn broker_filer_code_is_checked_in_declarations() {
    let mut s = settings();
    s.account = Some(Account::filer("ABC").unwrap());
    let out = audit_files(&[("good.csv", &read("declarations/good.csv"))], s, 0);
    assert!(codes(&out, "XQ710042173").contains(&"filer-code-mismatch"));
    assert!(out.declarations.is_empty());
}

#[test]
fn a_declaration_with_its_es003_is_audited_like_the_export() {
    let es003 = sample("es003_importer_standard.csv");
    let mut declaration = String::from("Entry Number\r\nXQ710042173\r\nXQ710030186\r\n");
    declaration.push_str("Z9Z30000114\r\n");
    let out = audit_files(
        &[("es003.csv", &es003), ("mine.csv", declaration.as_bytes())],
        settings(),
        0,
    );
    assert_eq!(
        verdict(&out, "XQ710030186"),
        "blocked",
        "the export says it liquidated outside the window"
    );
    assert!(!codes(&out, "XQ710042173").contains(&"not-in-export"));
    assert_eq!(codes(&out, "Z9Z30000114"), ["not-in-export"]);
    assert_eq!(
        verdict(&out, "Z9Z30000114"),
        "review",
        "with an export given, missing from it means review"
    );
}

#[test]
fn claim_details_alone_give_the_refile_declaration() {
    let out = audit_files(
        &[("claims.csv", &read("claims/claim_details.csv"))],
        settings(),
        0,
    );
    assert_eq!(out.report.files[0].kind, Some("claim-details"));
    assert_eq!(verdict(&out, "XQ710042173"), "blocked");
    assert!(codes(&out, "XQ710042173").contains(&"already-accepted"));
    assert_eq!(
        verdict(&out, "XQ710043916"),
        "ready",
        "GOODS VALUE: file again now"
    );
    assert_eq!(
        verdict(&out, "XQ710044021"),
        "review",
        "statement processing: wait 2-3 days"
    );
    assert_eq!(verdict(&out, "XQ710030186"), "blocked", "final liquidation");
    assert_eq!(
        verdict(&out, "XQ710046018"),
        "review",
        "an unknown message is shown, no action guessed"
    );
    let unknown = out
        .report
        .entries
        .iter()
        .find(|e| e.entry == "XQ710046018")
        .unwrap();
    assert!(unknown.findings[0]
        .message
        .contains("A MESSAGE CBP HAS NOT USED BEFORE"));
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nXQ710043916\r\n"
    );
}

#[test]
fn claim_details_join_an_es003_audit() {
    let es003 = sample("es003_importer_standard.csv");
    let claims = read("claims/claim_details.csv");
    let out = audit_files(
        &[("es003.csv", &es003), ("claims.csv", &claims)],
        settings(),
        0,
    );
    assert_eq!(
        out.report.entries.len(),
        10,
        "claims add no entries the export lacks"
    );
    assert_eq!(
        verdict(&out, "XQ710042173"),
        "blocked",
        "accepted before: never file twice"
    );
    assert_eq!(verdict(&out, "XQ710043916"), "ready");
    assert!(codes(&out, "XQ710043916").contains(&"previously-rejected"));
    assert_eq!(verdict(&out, "XQ710044021"), "review");
    assert_eq!(
        out.declarations[0].bytes,
        b"Entry Number\r\nXQ710043916\r\n"
    );
}

#[test]
fn mixed_files_merge_and_duplicates_across_files_count_once() {
    let a = sample("es003_importer_standard.csv");
    let b = sample("es003_broker_excel_resaved.csv");
    let out = audit_files(
        &[("a.csv", &a), ("b.csv", &b), ("a-again.csv", &a)],
        settings(),
        7,
    );
    assert_eq!(out.report.entries.len(), 15);
    assert_eq!(
        out.report.entries[0].ieepa_duty.to_string(),
        "2900.00",
        "the repeated export counts once"
    );
    assert!(codes(&out, "XQ710042173").contains(&"duplicate-rows"));
}

#[test]
fn one_declaration_per_importer_for_brokers() {
    let mut s = settings();
    s.account = None;
    s.per_importer = true;
    let a = sample("es003_importer_standard.csv");
    let b = sample("es003_broker_excel_resaved.csv");
    let out = audit_files(&[("a.csv", &a), ("b.csv", &b)], s, 0);
    let names: Vec<&str> = out.declarations.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cape-declaration-98765432100.csv",
            "cape-declaration-98765432101.csv",
            "cape-declaration-876543210AB.csv"
        ]
    );
    assert_eq!(out.declarations[0].bytes, b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n01644100214\r\n01644101022\r\n");
    assert_eq!(
        out.declarations[1].bytes,
        b"Entry Number\r\nXQ710044773\r\n"
    );
    assert_eq!(
        out.declarations[2].bytes,
        b"Entry Number\r\n01644101337\r\n"
    );
}

#[test]
fn other_reports_are_named() {
    let out = audit_files(
        &[("other.csv", &read("bad/other_report.csv"))],
        settings(),
        0,
    );
    let f = &out.report.files[0].findings[0];
    assert_eq!(f.code.as_str(), "no-header-row");
    assert!(
        f.message
            .contains("seems to be an importer-level ACE report"),
        "{}",
        f.message
    );
    let out = audit_bytes(
        b"Part Number,Description,Unit Price\r\nA-100,Widget,4.50\r\n",
        settings(),
    );
    assert!(out.report.files[0].findings[0]
        .message
        .contains("invoice, parts or purchase-order"));
}
