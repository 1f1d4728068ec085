//! Tests of the browser binding, where it runs: under Node
//! (`cargo test --target wasm32-unknown-unknown --test wasm_binding`) and in
//! headless Chromium (the same with `WASM_BINDGEN_USE_BROWSER=1`). They check
//! the glue only (settings in, chunks in, report and bytes out); the rules
//! are the core's tests.
#![cfg(target_arch = "wasm32")]

use cape_check::wasm::{
    filer_code_problem, filing_date_problem, finding_explanations, importer_number_problem,
    with_check_digit, AuditResults, Auditor, PartAuditor,
};
use js_sys::{Array, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const IMPORTER_STANDARD: &[u8] = include_bytes!("data/samples/es003_importer_standard.csv");
const BROKER_RESAVED: &[u8] = include_bytes!("data/samples/es003_broker_excel_resaved.csv");
const PREAMBLE: &[u8] =
    include_bytes!("data/samples/es003_default_no_liquidation_with_preamble.csv");

const CLAIMS_28: &[u8] = include_bytes!("data/downloads/Claim Details 2026-11-28.csv");
const CLAIMS_30: &[u8] = include_bytes!("data/downloads/claims_20261130.csv");
const CLAIMS_DATED: &[u8] = include_bytes!("data/downloads/claims.csv");

const IMPORTER_SETTINGS: &str = r#"{"importer": "98-765432100", "asOf": "2026-11-22"}"#;

fn settings(json: &str) -> JsValue {
    JSON::parse(json).expect("test settings are JSON")
}

/// Reads a property path such as `report.totals.ready` or `declarations.0.name`.
fn get(value: &JsValue, path: &str) -> JsValue {
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

/// What a finished audit shows, as one JS object: `overview`,
/// `declarations`, `findingsCsv` and `entries` (all, as one page).
/// Finishes `auditor` and checks that what the page sees of it is `whole`.
fn assert_same_view(auditor: Auditor, whole: &JsValue) {
    assert_eq!(
        JSON::stringify(&view(&auditor.finish()))
            .unwrap()
            .as_string(),
        JSON::stringify(whole).unwrap().as_string()
    );
}

/// A file read whole is fingerprinted (sha256sum's value); read in parts,
/// its fingerprint is left to the page (null): `whole` as the parts give it.
fn as_joined(whole: JsValue, bytes: &[u8]) -> JsValue {
    let overview = Reflect::get(&whole, &JsValue::from_str("overview")).unwrap();
    let files: Array = Reflect::get(&overview, &JsValue::from_str("files"))
        .unwrap()
        .unchecked_into();
    let file = files.get(0);
    let sha = JsValue::from_str("sha256");
    assert_eq!(
        Reflect::get(&file, &sha).unwrap().as_string(),
        Some(cape_check::output::fingerprint::sha256_hex(bytes))
    );
    Reflect::set(&file, &sha, &JsValue::NULL).unwrap();
    whole
}

fn view(results: &AuditResults) -> JsValue {
    let object = Object::new();
    let fields = [
        (
            "overview",
            results.overview().map_err(error_message).unwrap(),
        ),
        (
            "declarations",
            results.declarations().map_err(error_message).unwrap(),
        ),
        (
            "findingsCsv",
            results
                .findings_csv()
                .map_err(error_message)
                .unwrap()
                .into(),
        ),
        (
            "entries",
            results
                .entries(JsValue::UNDEFINED)
                .map_err(error_message)
                .unwrap(),
        ),
    ];
    for (key, value) in fields {
        Reflect::set(&object, &JsValue::from_str(key), &value).unwrap();
    }
    object.into()
}

/// Runs one file through the binding in chunks of `chunk` bytes.
fn finished(settings_json: &str, name: &str, file: &[u8], chunk: usize) -> AuditResults {
    let mut auditor = Auditor::new(settings(settings_json))
        .map_err(error_message)
        .expect("settings accepted");
    auditor.begin_file(name);
    for piece in file.chunks(chunk) {
        auditor.feed(piece);
    }
    auditor.end_file();
    auditor.finish()
}

fn audit(settings_json: &str, name: &str, file: &[u8], chunk: usize) -> JsValue {
    view(&finished(settings_json, name, file, chunk))
}

#[wasm_bindgen_test]
fn importer_sample_gives_totals_and_the_declaration_bytes() {
    let outcome = audit(
        IMPORTER_SETTINGS,
        "es003_importer_standard.csv",
        IMPORTER_STANDARD,
        1 << 20,
    );
    assert_eq!(text(&outcome, "overview.format"), "cape-check-report/1");
    assert_eq!(text(&outcome, "overview.as_of"), "2026-11-22");
    assert_eq!(number(&outcome, "overview.totals.entries"), 10.0);
    assert_eq!(number(&outcome, "overview.totals.ready"), 3.0);
    assert_eq!(number(&outcome, "overview.totals.review"), 1.0);
    assert_eq!(number(&outcome, "overview.totals.blocked"), 6.0);
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
    let whole = finished(IMPORTER_SETTINGS, "broker.csv", BROKER_RESAVED, usize::MAX);
    for chunk in [1, 7, 64] {
        let pieces = finished(IMPORTER_SETTINGS, "broker.csv", BROKER_RESAVED, chunk);
        // Everything it shows, findings.csv as bytes and the rest as JSON.
        let shown = |results: &AuditResults| {
            let all = view(results);
            let csv = bytes(&get(&all, "findingsCsv"));
            Reflect::delete_property(
                all.unchecked_ref::<Object>(),
                &JsValue::from_str("findingsCsv"),
            )
            .unwrap();
            (JSON::stringify(&all).unwrap().as_string().unwrap(), csv)
        };
        assert_eq!(shown(&pieces), shown(&whole), "chunks of {chunk} bytes");
    }
    let whole = view(&whole);
    assert_eq!(
        bytes(&get(&whole, "declarations.0.bytes")),
        b"Entry Number\r\n01644100214\r\n01644101022\r\n"
    );
}

#[wasm_bindgen_test]
fn no_ready_entry_means_no_declaration_unless_review_is_included() {
    let outcome = audit(IMPORTER_SETTINGS, "preamble.csv", PREAMBLE, 4096);
    assert_eq!(number(&outcome, "overview.totals.review"), 2.0);
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
    let outcome = view(&auditor.finish());
    assert_eq!(
        get(&outcome, "overview.files")
            .dyn_into::<Array>()
            .unwrap()
            .length(),
        2
    );
    assert_eq!(text(&outcome, "overview.files.1.name"), "b.csv");
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
        text(&outcome, "overview.files.0.findings.0.code"),
        "unreadable-file"
    );
    assert_eq!(
        text(&outcome, "overview.files.0.findings.0.severity"),
        "error"
    );
    let empty = audit(IMPORTER_SETTINGS, "empty.csv", b"", 1 << 20);
    assert_eq!(
        text(&empty, "overview.files.0.findings.0.code"),
        "empty-file"
    );
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
fn the_overview_groups_findings_and_leaves_entries_out() {
    let outcome = audit(IMPORTER_SETTINGS, "standard.csv", IMPORTER_STANDARD, 4096);
    assert_eq!(number(&outcome, "overview.totals.blocked"), 6.0);
    assert_eq!(text(&outcome, "overview.as_of"), "2026-11-22");
    assert_eq!(text(&outcome, "overview.account.importer"), "98-765432100");
    assert_eq!(number(&outcome, "overview.declarations.0.entries"), 3.0);
    assert!(get(&outcome, "overview.entries").is_undefined());
    let codes: Array = get(&outcome, "overview.codes").dyn_into().unwrap();
    let outside = codes
        .iter()
        .find(|group| text(group, "code") == "liquidated-outside-window")
        .expect("a group for the entry liquidated outside the window");
    assert_eq!(text(&outside, "severity"), "error");
    assert_eq!(number(&outside, "entries"), 1.0);
    assert_eq!(text(&outside, "examples.0.entry"), "XQ710030186");
    assert!(text(&outside, "examples.0.message").contains("02/17/2027"));
}

#[wasm_bindgen_test]
fn pages_of_entries_under_a_filter() {
    let results = finished(IMPORTER_SETTINGS, "standard.csv", IMPORTER_STANDARD, 4096);
    let query = |json: &str| {
        results
            .entries(JSON::parse(json).unwrap())
            .map_err(error_message)
    };
    let blocked = query(r#"{"verdict": "blocked", "offset": 2, "limit": 2}"#).unwrap();
    assert_eq!(number(&blocked, "matching"), 6.0);
    assert_eq!(number(&blocked, "offset"), 2.0);
    assert_eq!(
        get(&blocked, "entries")
            .dyn_into::<Array>()
            .unwrap()
            .length(),
        2
    );
    assert_eq!(text(&blocked, "entries.0.verdict"), "blocked");
    assert_eq!(get(&blocked, "entries.0.in_declaration"), JsValue::FALSE);
    let found = query(r#"{"search": "xq7-1004460", "code": "section-122-only"}"#).unwrap();
    assert_eq!(number(&found, "matching"), 1.0);
    assert_eq!(text(&found, "entries.0.entry"), "XQ710044609");
    assert_eq!(text(&found, "entries.0.ieepa_duty"), "0.00");
    assert!(get(&found, "entries.0.rows").is_array());
    for wrong in [
        r#"{"verdict": "maybe"}"#,
        r#"{"code": "no-such-code"}"#,
        r#"{"page": 2}"#,
    ] {
        let problem = query(wrong).expect_err(wrong);
        assert!(!problem.is_empty(), "{wrong} has a message");
    }
}

#[wasm_bindgen_test]
fn entries_to_review_included_one_by_one_or_all() {
    let mut results = finished(IMPORTER_SETTINGS, "standard.csv", IMPORTER_STANDARD, 4096);
    let one = Array::of1(&JsValue::from_str("XQ710046018"));
    assert_eq!(
        results
            .include(one.clone().into(), true)
            .map_err(error_message),
        Ok(1)
    );
    let outcome = view(&results);
    assert_eq!(
        bytes(&get(&outcome, "declarations.0.bytes")),
        b"Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\nXQ710046018\r\n"
    );
    assert_eq!(number(&outcome, "overview.included"), 1.0);
    assert_eq!(
        results.include(JsValue::NULL, false).map_err(error_message),
        Ok(0)
    );
    let blocked = Array::of1(&JsValue::from_str("XQ710044773"));
    let problem = results
        .include(blocked.into(), true)
        .map_err(error_message)
        .unwrap_err();
    assert!(problem.contains("XQ710044773"), "{problem}");
    assert!(results
        .include(JsValue::from_str("XQ710046018"), true)
        .is_err());
}

#[wasm_bindgen_test]
fn made_up_entry_numbers_get_their_check_digit() {
    assert_eq!(
        with_check_digit("XQ71004217").as_deref(),
        Some("XQ710042173")
    );
    assert_eq!(
        with_check_digit("B760324527").as_deref(),
        Some("B7603245278")
    );
    assert_eq!(with_check_digit("XQ7100421"), None);
    assert_eq!(with_check_digit("XQ7-100421"), None);
    assert_eq!(with_check_digit("XQ710042173"), None);
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

/// An ES-003 of `entries` made-up entries, two tariff rows each.
fn made_up_export(entries: u32) -> Vec<u8> {
    let mut text = String::from("Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,Entry Summary Date,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,Line Tariff Duty Amount,Reconciliation Indicator\r\n");
    for i in 0..entries {
        let entry = with_check_digit(&format!("XQ7{:07}", 1_000_000 + i)).unwrap();
        let flag = if i % 7 == 0 { "Y" } else { "N" };
        text.push_str(&format!(
            "{entry},01,1,98-765432100,01/30/2026,1,99030269,$0.00,\"$2,000.00\",{flag}\r\n"
        ));
        text.push_str(&format!(
            "{entry},01,1,98-765432100,01/30/2026,2,6307909870,\"$10,000.00\",$700.00,{flag}\r\n"
        ));
    }
    text.into_bytes()
}

#[wasm_bindgen_test]
fn a_file_read_in_two_parts_gives_what_one_reader_gives() {
    let bytes = made_up_export(20_000);
    assert!(
        bytes.len() > 2 << 20,
        "over the 1 MiB the header is decided on"
    );
    let whole = as_joined(
        view(&finished(IMPORTER_SETTINGS, "big.csv", &bytes, 1 << 20)),
        &bytes,
    );

    let mut auditor = Auditor::new(settings(IMPORTER_SETTINGS))
        .map_err(error_message)
        .unwrap();
    auditor.begin_file("big.csv");
    let middle = bytes.len() / 2;
    let split = middle + bytes[middle..].iter().position(|&b| b == b'\n').unwrap() + 1;
    assert!(
        auditor.part_spec().is_none(),
        "no spec before the header is decided"
    );
    for piece in bytes[..split].chunks(1 << 20) {
        auditor.feed(piece);
    }
    let spec = auditor
        .part_spec()
        .expect("a spec once the first MiB is read");
    let mut helper = PartAuditor::new(&spec).map_err(error_message).unwrap();
    for piece in bytes[split..].chunks(1 << 20) {
        helper.feed(piece);
    }
    assert_eq!(
        helper.rows_read(),
        ((bytes[split..].iter().filter(|&&b| b == b'\n').count()) as f64)
    );
    let part = helper.finish();
    assert!(
        !auditor.join_part(&part[..part.len() - 1]),
        "a damaged part is refused"
    );
    assert!(auditor.join_part(&part));
    auditor.end_file();
    let split_view = view(&auditor.finish());
    assert_eq!(
        JSON::stringify(&split_view).unwrap().as_string(),
        JSON::stringify(&whole).unwrap().as_string()
    );
    assert_eq!(
        number(&split_view, "overview.totals.review"),
        (20_000_f64 / 7.0).ceil()
    );
    assert!(PartAuditor::new(b"not a spec").is_err());
}

#[wasm_bindgen_test]
fn a_file_read_in_three_parts_joins_them_in_order() {
    let bytes = made_up_export(20_000);
    let whole = as_joined(
        view(&finished(IMPORTER_SETTINGS, "big.csv", &bytes, 1 << 20)),
        &bytes,
    );
    let line_start = |at: usize| at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    // After the first MiB, where the header is decided.
    let (c1, c2) = (line_start(bytes.len() / 2), line_start(bytes.len() * 3 / 4));
    let mut auditor = Auditor::new(settings(IMPORTER_SETTINGS))
        .map_err(error_message)
        .unwrap();
    auditor.begin_file("big.csv");
    for piece in bytes[..c1].chunks(1 << 20) {
        auditor.feed(piece);
    }
    let spec = auditor
        .part_spec()
        .expect("a spec once the first MiB is read");
    // Each helper reads its part; the middle one ends at a cut.
    let mut middle = PartAuditor::starting_at(&spec, c1 as f64)
        .map_err(error_message)
        .unwrap();
    middle.feed(&bytes[c1..c2]);
    assert_eq!(middle.bytes_read(), (c2 - c1) as f64);
    let mut last = PartAuditor::starting_at(&spec, c2 as f64)
        .map_err(error_message)
        .unwrap();
    last.feed(&bytes[c2..]);
    let (middle, last) = (middle.finish_at_cut(), last.finish());
    assert!(!auditor.join_part(&last), "parts join in order only");
    assert!(auditor.join_part(&middle));
    assert!(auditor.join_part(&last));
    auditor.end_file();
    assert_same_view(auditor, &whole);
}

#[wasm_bindgen_test]
fn bytes_written_into_the_input_area_are_fed_as_given() {
    let whole = view(&finished(
        IMPORTER_SETTINGS,
        "b.csv",
        BROKER_RESAVED,
        1 << 20,
    ));
    let mut auditor = Auditor::new(settings(IMPORTER_SETTINGS))
        .map_err(error_message)
        .unwrap();
    auditor.begin_file("b.csv");
    for piece in BROKER_RESAVED.chunks(100) {
        let area = auditor.input_area();
        assert_eq!(area.length(), 1 << 20);
        area.subarray(0, piece.len() as u32).copy_from(piece);
        auditor
            .feed_input(piece.len())
            .map_err(error_message)
            .unwrap();
    }
    let problem = auditor
        .feed_input((1 << 20) + 1)
        .map_err(error_message)
        .unwrap_err();
    assert!(problem.contains("input area"), "{problem}");
    auditor.end_file();
    assert_same_view(auditor, &whole);
}

#[wasm_bindgen_test]
fn the_page_is_told_where_to_act_in_its_own_words_never_a_flag() {
    // No account, and a hand-made declaration CAPE would fail: the two
    // findings whose advice depends on the front end.
    let edited: &[u8] = include_bytes!("data/declarations/excel_edited.csv");
    let results = finished(r#"{"asOf": "2026-11-22"}"#, "excel_edited.csv", edited, 7);
    let csv = String::from_utf8(
        results
            .findings_csv()
            .map_err(error_message)
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(csv.contains("account-not-set") && csv.contains("declaration-format"));
    assert!(
        csv.contains("Give the IOR number in the IOR field"),
        "{csv}"
    );
    assert!(
        csv.contains("the declaration download on this page"),
        "{csv}"
    );
    assert!(
        !csv.contains("--"),
        "a command-line flag reached the page: {csv}"
    );
}

#[wasm_bindgen_test]
fn claim_details_downloads_give_histories_the_refile_file_and_take_corrections() {
    let run = |settings_json: &str| {
        let mut auditor = Auditor::new(settings(settings_json))
            .map_err(error_message)
            .unwrap();
        auditor.begin_file("es003.csv");
        auditor.feed(IMPORTER_STANDARD);
        auditor.end_file();
        for (name, file) in [
            ("claims.csv", CLAIMS_DATED),
            ("download.csv", CLAIMS_30),
            ("Claim Details 2026-11-28.csv", CLAIMS_28),
        ] {
            auditor.begin_file(name);
            // The page passes File.lastModified as the file's own date.
            auditor.set_file_date("2026-11-30");
            auditor.feed(file);
            auditor.end_file();
        }
        auditor.finish()
    };
    let results = run(r#"{"importer": "98-765432100", "asOf": "2026-12-03"}"#);
    let overview = results.overview().map_err(error_message).unwrap();
    assert_eq!(text(&overview, "claims.downloads.1.file"), "download.csv");
    assert_eq!(text(&overview, "claims.downloads.1.date_from"), "file-date");
    assert_eq!(text(&overview, "claims.downloads.2.date_from"), "column");
    let refile = results.refile_files().map_err(error_message).unwrap();
    assert_eq!(text(&refile, "0.name"), "cape-refile.csv");
    assert_eq!(
        bytes(&get(&refile, "0.bytes")),
        b"Entry Number\r\nXQ710042173\r\n"
    );
    // The user confirms a fix and corrects a date.
    let results = run(
        r#"{"importer": "98-765432100", "asOf": "2026-12-03", "fixed": ["XQ7-1004601-8"], "downloadDates": {"claims.csv": "11/27/2026"}}"#,
    );
    let overview = results.overview().map_err(error_message).unwrap();
    assert_eq!(text(&overview, "claims.downloads.0.file"), "claims.csv");
    assert_eq!(text(&overview, "claims.downloads.0.date_from"), "user");
    let refile = results.refile_files().map_err(error_message).unwrap();
    assert_eq!(
        bytes(&get(&refile, "0.bytes")),
        b"Entry Number\r\nXQ710042173\r\nXQ710046018\r\n"
    );
    assert_eq!(number(&overview, "court_deadline_near.entries"), 0.0);
    // A date that is no date is refused, with the file named.
    let error = Auditor::new(settings(
        r#"{"asOf": "2026-12-03", "downloadDates": {"claims.csv": "someday"}}"#,
    ))
    .err()
    .map(error_message)
    .unwrap();
    assert!(
        error.contains("'claims.csv'") && error.contains("someday"),
        "{error}"
    );
}
