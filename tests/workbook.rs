//! `cape-check-report.xlsx` (issue 25), read back by an independent reader
//! (calamine): for every file of tests/data, sheet by sheet, the same facts
//! as the JSON report; entry numbers come back as the same text (leading
//! zeros, all digits), money as numbers, dates as dates; every input's
//! fingerprint is `sha256sum`'s.

#![cfg(all(feature = "workbook", not(target_arch = "wasm32")))]

mod common;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cape_check::output::fingerprint::sha256_hex;
use cape_check::output::workbook::{report_workbook, WrittenFile};
use cape_check::values::date::Date;
use cape_check::Outcome;
use common::*;
use serde_json::Value;
use std::io::Cursor;

type Sheet = Vec<Vec<Data>>;

fn workbook_of(out: &Outcome, settings: &cape_check::Settings) -> Vec<u8> {
    let written: Vec<WrittenFile> = out
        .declarations
        .iter()
        .map(|f| WrittenFile {
            name: f.name.clone(),
            entries: Some(f.bytes.len() as u64 / 13),
            sha256: sha256_hex(&f.bytes),
        })
        .collect();
    report_workbook(
        &out.report,
        &settings.described(),
        &out.declarations,
        &written,
        None,
    )
    .unwrap()
}

fn sheets(bytes: &[u8]) -> Vec<(String, Sheet)> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            (name, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

fn sheet<'s>(all: &'s [(String, Sheet)], name: &str) -> &'s Sheet {
    &all.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

/// A text cell's text (anything else fails: numbers must stay text).
fn s(cell: &Data, what: &str) -> String {
    match cell {
        Data::String(t) => t.clone(),
        Data::Empty => String::new(),
        other => panic!("{what}: {other:?} is not a text cell"),
    }
}

fn money(cell: &Data) -> Option<String> {
    match cell {
        Data::Float(f) => Some(format!("{f:.2}")),
        Data::Int(i) => Some(format!("{i}.00")),
        Data::Empty => None,
        other => panic!("{other:?} is not money"),
    }
}

fn iso(cell: &Data) -> Option<String> {
    match cell {
        Data::DateTime(d) => Some(Date::from_excel_serial(d.as_f64()).unwrap().iso()),
        Data::Empty => None,
        other => panic!("{other:?} is not a date"),
    }
}

fn verdict_words(v: &str) -> &str {
    match v {
        "review" => "to review",
        other => other,
    }
}

fn check(name: &str, bytes: &[u8]) {
    let settings = settings_as_of("2026-12-03");
    let out = audit_files(&[(name, bytes)], settings.clone(), 0);
    let report: Value = serde_json::to_value(&out.report).unwrap();
    let all = sheets(&workbook_of(&out, &settings));
    let what = |s: &str| format!("{name}: {s}");

    // Summary: the filing date, the totals, the file with its fingerprint.
    let summary = sheet(&all, "Summary");
    assert_eq!(s(&summary[0][0], "header"), "Part");
    let row = |part: &str, item: &str| {
        summary
            .iter()
            .find(|r| s(&r[0], "part") == part && s(&r[1], "name") == item)
            .unwrap_or_else(|| panic!("{name}: no {part} {item}"))
    };
    assert_eq!(
        iso(&row("Setting", "Filing date")[2]).as_deref(),
        Some("2026-12-03")
    );
    for (words, key) in [
        ("ready", "ready"),
        ("to review", "review"),
        ("blocked", "blocked"),
    ] {
        let r = row("Totals", words);
        assert_eq!(
            r[3],
            Data::Float(report["totals"][key].as_f64().unwrap()),
            "{}",
            what(words)
        );
        assert_eq!(
            money(&r[4]).as_deref(),
            report["totals"][format!("ieepa_duty_{key}")].as_str(),
            "{}",
            what(words)
        );
    }
    let file = row("File checked", name);
    assert_eq!(
        s(&file[8], "sha"),
        sha256_hex(bytes),
        "{}",
        what("fingerprint")
    );
    assert_eq!(
        file[7],
        Data::Float(bytes.len() as f64),
        "{}",
        what("bytes")
    );
    assert_eq!(
        report["files"][0]["sha256"],
        sha256_hex(bytes),
        "{}",
        what("JSON fingerprint")
    );

    // Findings: the file's first, then each entry's, as the report.
    let findings = sheet(&all, "Findings");
    let mut expected: Vec<(String, String, String)> = Vec::new();
    for f in report["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            expected.push((
                String::new(),
                x["code"].as_str().unwrap().into(),
                x["message"].as_str().unwrap().into(),
            ));
        }
    }
    for e in report["entries"].as_array().unwrap() {
        for x in e["findings"].as_array().unwrap() {
            expected.push((
                e["entry"].as_str().unwrap().into(),
                x["code"].as_str().unwrap().into(),
                x["message"].as_str().unwrap().into(),
            ));
        }
    }
    let shown: Vec<(String, String, String)> = findings[1..]
        .iter()
        .map(|r| (s(&r[1], "entry"), s(&r[3], "code"), s(&r[6], "message")))
        .collect();
    assert_eq!(shown, expected, "{}", what("findings"));

    // Entries: one row each, numbers as the same text, duty as money.
    let entries = sheet(&all, "Entries");
    let report_entries = report["entries"].as_array().unwrap();
    assert_eq!(
        entries.len() - 1,
        report_entries.len(),
        "{}",
        what("entries")
    );
    for (r, e) in entries[1..].iter().zip(report_entries) {
        let number = e["entry"].as_str().unwrap();
        assert_eq!(s(&r[0], &what("entry number")), number);
        assert_eq!(
            s(&r[1], &what("importer")),
            e["importer"].as_str().unwrap_or("")
        );
        assert_eq!(
            s(&r[2], &what("entry type")),
            e["entry_type"].as_str().unwrap_or("")
        );
        assert_eq!(
            s(&r[3], "verdict"),
            verdict_words(e["verdict"].as_str().unwrap())
        );
        assert_eq!(
            money(&r[5]).as_deref(),
            e["ieepa_duty"].as_str(),
            "{}",
            what(number)
        );
        assert_eq!(
            iso(&r[7]),
            e["liquidation_date"].as_str().map(String::from),
            "{}",
            what(number)
        );
        let codes: Vec<&str> = e["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(s(&r[10], "codes"), codes.join(", "));
        let declared = out.declarations.iter().any(|d| {
            String::from_utf8_lossy(&d.bytes)
                .lines()
                .any(|l| l == number)
        });
        assert_eq!(
            s(&r[4], "in declaration"),
            if declared { "yes" } else { "no" },
            "{}",
            what(number)
        );
    }

    // Declarations: one column a file, its entries below its name.
    let declarations = sheet(&all, "Declarations");
    for (c, d) in out.declarations.iter().enumerate() {
        assert_eq!(s(&declarations[0][c], "name"), d.name);
        let listed: Vec<String> = declarations[1..]
            .iter()
            .map(|r| s(&r[c], "declared"))
            .filter(|t| !t.is_empty())
            .collect();
        let written: Vec<String> = String::from_utf8_lossy(&d.bytes)
            .lines()
            .skip(1)
            .map(String::from)
            .collect();
        assert_eq!(listed, written, "{}", what(&d.name));
    }

    // Claims: each entry's history, a row a download.
    if let Some(claims) = report.get("claims") {
        let sheet = sheet(&all, "Claims");
        let steps: Vec<(String, String, String)> = claims["entries"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| {
                e["history"].as_array().unwrap().iter().map(move |h| {
                    (
                        e["entry_number"].as_str().unwrap().to_string(),
                        h["status"].as_str().unwrap().to_string(),
                        h["claim_number"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        let shown: Vec<(String, String, String)> = sheet[1..]
            .iter()
            .map(|r| {
                (
                    s(&r[0], "entry"),
                    s(&r[3], "status"),
                    s(&r[5], "claim number"),
                )
            })
            .collect();
        assert_eq!(shown, steps, "{}", what("claims"));
    } else {
        assert!(
            all.iter().all(|(n, _)| n != "Claims"),
            "{}",
            what("no Claims sheet")
        );
    }
}

#[test]
fn every_file_of_tests_data_gives_the_report_s_facts_sheet_by_sheet() {
    let files = fixtures();
    assert!(files.len() > 40);
    for (name, bytes) in &files {
        check(name, bytes);
    }
}

#[test]
fn entry_numbers_excel_damages_come_back_as_the_same_text() {
    // Leading zeros (01644100214) and an all-digit number Excel cut
    // (1644101502, as written): text cells, never numbers.
    let bytes = sample("es003_broker_excel_resaved.csv");
    let settings = settings_as_of("2026-11-22");
    let out = audit_files(&[("resaved.csv", &bytes)], settings.clone(), 0);
    let all = sheets(&workbook_of(&out, &settings));
    let entries = sheet(&all, "Entries");
    let numbers: Vec<&Data> = entries[1..].iter().map(|r| &r[0]).collect();
    assert!(
        numbers.contains(&&Data::String("01644100214".into())),
        "{numbers:?}"
    );
    assert!(
        numbers.contains(&&Data::String("1644101502".into())),
        "{numbers:?}"
    );
    let declared = sheet(&all, "Declarations");
    assert_eq!(declared[1][0], Data::String("01644100214".into()));
}

#[test]
fn formula_like_text_is_stored_as_text() {
    let rows = with(|r| r.entry = "=HYPERLINK(\"http://x\")");
    let bytes = es003(&rows);
    let settings = settings_as_of("2026-11-22");
    let out = audit_files(&[("formula.csv", &bytes)], settings.clone(), 0);
    let xlsx = workbook_of(&out, &settings);
    let all = sheets(&xlsx);
    let entries = sheet(&all, "Entries");
    assert_eq!(
        entries[1][0],
        Data::String("=HYPERLINK(\"http://x\")".into())
    );
    // No formula anywhere in the sheets' XML.
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).unwrap();
        assert!(
            !text.contains("<f>") && !text.contains("<f "),
            "{:?} holds a formula",
            part.name()
        );
    }
}
