//! Tests of the browser binding, where it runs: under Node
//! (`cargo test --target wasm32-unknown-unknown --test wasm_binding`) and in
//! headless Chromium (the same with `WASM_BINDGEN_USE_BROWSER=1`). They check
//! the glue only (settings in, chunks in, report and bytes out); the rules
//! are the core's tests.
#![cfg(target_arch = "wasm32")]

use cape_check::wasm::{
    declaration_files_for, filer_code_problem, filing_date_problem, finding_explanations,
    importer_number_problem, Auditor,
};
use js_sys::{Array, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const IMPORTER_STANDARD: &[u8] = include_bytes!("data/samples/es003_importer_standard.csv");
const BROKER_RESAVED: &[u8] = include_bytes!("data/samples/es003_broker_excel_resaved.csv");
const PREAMBLE: &[u8] =
    include_bytes!("data/samples/es003_default_no_liquidation_with_preamble.csv");

const IMPORTER_SETTINGS: &str = r#"{"importer": "98-765432100", "asOf": "2026-11-22"}"#;

fn settings(json: &str) -> JsValue {
    JSON::parse(json).expect("test settings are JSON")
}

/// Reads a property path; `report.x` reads field x of the parsed `reportJson`.
fn get(value: &JsValue, path: &str) -> JsValue {
    if path == "report" || path.starts_with("report.") {
        let json =
            String::from_utf8(bytes(&get(value, "reportJson"))).expect("the report is UTF-8");
        let report = JSON::parse(&json).expect("the report is JSON");
        return match path.strip_prefix("report.") {
            Some(rest) => get(&report, rest),
            None => report,
        };
    }
    path.split('.').fold(value.clone(), |value, key| {
        let key = match key.parse::<u32>() {
            Ok(index) => JsValue::from(index),
            Err(_) => JsValue::from_str(key),
        };
        Reflect::get(&value, &key).expect("property readable")
    })
}

fn text(value: &JsValue, path: &str) -> String {
    get(value, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn number(value: &JsValue, path: &str) -> f64 {
    get(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

fn bytes(value: &JsValue) -> Vec<u8> {
    value
        .dyn_ref::<Uint8Array>()
        .expect("a Uint8Array")
        .to_vec()
}

fn error_message(error: wasm_bindgen::JsError) -> String {
    let value = JsValue::from(error);
    text(&value, "message")
}

/// Runs one file through the binding in chunks of `chunk` bytes.
fn audit(settings_json: &str, name: &str, file: &[u8], chunk: usize) -> JsValue {
    let mut auditor = Auditor::new(settings(settings_json))
        .map_err(error_message)
        .expect("settings accepted");
    auditor.begin_file(name);
    for piece in file.chunks(chunk) {
        auditor.feed(piece);
    }
    auditor.end_file();
    auditor.finish().map_err(error_message).expect("finish")
}

#[wasm_bindgen_test]
fn importer_sample_gives_totals_and_the_declaration_bytes() {
    let outcome = audit(
        IMPORTER_SETTINGS,
        "es003_importer_standard.csv",
        IMPORTER_STANDARD,
        1 << 20,
    );
    assert_eq!(text(&outcome, "report.format"), "cape-check-report/1");
    assert_eq!(text(&outcome, "report.as_of"), "2026-11-22");
    assert_eq!(number(&outcome, "report.totals.entries"), 10.0);
    assert_eq!(number(&outcome, "report.totals.ready"), 3.0);
    assert_eq!(number(&outcome, "report.totals.review"), 1.0);
    assert_eq!(number(&outcome, "report.totals.blocked"), 6.0);
    let declarations: Array = get(&outcome, "declarations").dyn_into().expect("an array");
    assert_eq!(declarations.length(), 1);
    assert_eq!(
        text(&outcome, "declarations.0.name"),
        "cape-declaration.csv"
    );
    assert_eq!(
        bytes(&get(&outcome, "declarations.0.bytes")),
        b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n"
    );
    let csv = bytes(&get(&outcome, "findingsCsv"));
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "findings.csv starts with a UTF-8 BOM"
    );
}

#[wasm_bindgen_test]
fn rows_read_counts_the_rows_fed() {
    let mut auditor = Auditor::new(settings(IMPORTER_SETTINGS))
        .map_err(error_message)
        .unwrap();
    assert_eq!(auditor.rows_read(), 0.0);
    auditor.begin_file("es003.csv");
    auditor.feed(IMPORTER_STANDARD);
    auditor.end_file();
    assert!(
        auditor.rows_read() >= 26.0,
        "26 data rows, got {}",
        auditor.rows_read()
    );
}

#[wasm_bindgen_test]
fn chunk_size_does_not_change_the_report() {
    let whole = audit(IMPORTER_SETTINGS, "broker.csv", BROKER_RESAVED, usize::MAX);
    for chunk in [1, 7, 64] {
        let pieces = audit(IMPORTER_SETTINGS, "broker.csv", BROKER_RESAVED, chunk);
        assert_eq!(
            bytes(&get(&pieces, "reportJson")),
            bytes(&get(&whole, "reportJson")),
            "chunks of {chunk} bytes"
        );
    }
    assert_eq!(
        bytes(&get(&whole, "declarations.0.bytes")),
        b"Entry Number\r\n01644100214\r\n01644101022\r\n"
    );
}

#[wasm_bindgen_test]
fn no_ready_entry_means_no_declaration_unless_review_is_included() {
    let outcome = audit(IMPORTER_SETTINGS, "preamble.csv", PREAMBLE, 4096);
    assert_eq!(number(&outcome, "report.totals.review"), 2.0);
    assert_eq!(
        get(&outcome, "declarations")
            .dyn_into::<Array>()
            .unwrap()
            .length(),
        0
    );

    let with_review =
        r#"{"importer": "98-765432100", "asOf": "2026-11-22", "includeReview": true}"#;
    let outcome = audit(with_review, "preamble.csv", PREAMBLE, 4096);
    let declaration = bytes(&get(&outcome, "declarations.0.bytes"));
    assert_eq!(
        declaration.iter().filter(|&&b| b == b'\n').count(),
        3,
        "header and both entries"
    );
}

#[wasm_bindgen_test]
fn per_importer_writes_one_declaration_per_importer_of_record() {
    let per_importer = r#"{"asOf": "2026-11-22", "perImporter": true}"#;
    let outcome = audit(per_importer, "broker.csv", BROKER_RESAVED, 4096);
    let names: Vec<String> = (0..2)
        .map(|index| text(&outcome, &format!("declarations.{index}.name")))
        .collect();
    assert_eq!(
        get(&outcome, "declarations")
            .dyn_into::<Array>()
            .unwrap()
            .length(),
        2
    );
    assert!(
        names.contains(&"cape-declaration-98765432100.csv".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"cape-declaration-876543210AB.csv".to_string()),
        "{names:?}"
    );

    let single = audit(
        r#"{"asOf": "2026-11-22", "perImporter": false}"#,
        "broker.csv",
        BROKER_RESAVED,
        4096,
    );
    assert_eq!(text(&single, "declarations.0.name"), "cape-declaration.csv");
}

#[wasm_bindgen_test]
fn several_files_in_one_audit() {
    let mut auditor = Auditor::new(settings(IMPORTER_SETTINGS))
        .map_err(error_message)
        .unwrap();
    for (name, file) in [("a.csv", IMPORTER_STANDARD), ("b.csv", BROKER_RESAVED)] {
        auditor.begin_file(name);
        auditor.feed(file);
        auditor.end_file();
    }
    let outcome = auditor.finish().map_err(error_message).unwrap();
    assert_eq!(
        get(&outcome, "report.files")
            .dyn_into::<Array>()
            .unwrap()
            .length(),
        2
    );
    assert_eq!(text(&outcome, "report.files.1.name"), "b.csv");
}

#[wasm_bindgen_test]
fn a_bad_file_is_a_file_finding_not_an_error() {
    let outcome = audit(
        IMPORTER_SETTINGS,
        "scan.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n",
        1 << 20,
    );
    assert_eq!(
        text(&outcome, "report.files.0.findings.0.code"),
        "unreadable-file"
    );
    assert_eq!(
        text(&outcome, "report.files.0.findings.0.severity"),
        "error"
    );
    let empty = audit(IMPORTER_SETTINGS, "empty.csv", b"", 1 << 20);
    assert_eq!(text(&empty, "report.files.0.findings.0.code"), "empty-file");
}

#[wasm_bindgen_test]
fn malformed_settings_are_errors_with_a_message() {
    for json in [
        r#"{"importer": "12"}"#,
        r#"{"filer": "??"}"#,
        r#"{"asOf": "22 Nov"}"#,
        r#"{"importer": "98-765432100", "filer": "XQ7"}"#,
        r#"{"importr": "98-765432100"}"#,
    ] {
        match Auditor::new(settings(json)) {
            Ok(_) => panic!("{json} was accepted"),
            Err(error) => assert!(!error_message(error).is_empty(), "{json} has a message"),
        }
    }
    assert!(
        Auditor::new(JsValue::UNDEFINED).is_ok(),
        "no settings: no account, today"
    );
    assert!(Auditor::new(settings(r#"{"filer": "XQ7", "asOf": "11/22/2026"}"#)).is_ok());
}

#[wasm_bindgen_test]
fn validation_as_the_user_types() {
    assert_eq!(importer_number_problem("98-765432100"), None);
    assert!(importer_number_problem("98-76").is_some());
    assert_eq!(filer_code_problem("XQ7"), None);
    assert!(filer_code_problem("XQ").is_some());
    assert_eq!(filing_date_problem("2026-11-22"), None);
    assert!(filing_date_problem("2026-13-40").is_some());
}

#[wasm_bindgen_test]
fn declaration_rebuilt_from_chosen_entries() {
    let entries = vec!["XQ710042173".to_string(), "01644100214".to_string()];
    let files = declaration_files_for(entries.clone(), JsValue::UNDEFINED, None)
        .map_err(error_message)
        .unwrap();
    assert_eq!(text(&files, "0.name"), "cape-declaration.csv");
    assert_eq!(
        bytes(&get(&files, "0.bytes")),
        b"Entry Number\r\nXQ710042173\r\n01644100214\r\n"
    );
    assert!(
        declaration_files_for(vec!["not a number".to_string()], JsValue::UNDEFINED, None).is_err()
    );

    // One declaration per importer stays so when entries are included later.
    let importers = Array::new();
    importers.push(&JsValue::from_str("98-765432100"));
    importers.push(&JsValue::NULL);
    let files = declaration_files_for(entries, importers.into(), Some(true))
        .map_err(error_message)
        .unwrap();
    assert_eq!(text(&files, "0.name"), "cape-declaration-98765432100.csv");
    assert_eq!(
        bytes(&get(&files, "0.bytes")),
        b"Entry Number\r\nXQ710042173\r\n"
    );
    assert_eq!(
        text(&files, "1.name"),
        "cape-declaration-unknown-importer.csv"
    );
}

#[wasm_bindgen_test]
fn every_finding_code_has_an_explanation() {
    let all: Array = finding_explanations()
        .map_err(error_message)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(all.length() as usize, cape_check::finding::Code::ALL.len());
    for item in all.iter() {
        assert!(!text(&item, "code").is_empty());
        assert!(!text(&item, "explanation").is_empty());
    }
}
