//! One export, three ways (tests/data/excel_pairs, written by
//! tests/data/make_excel_pairs.py with Python's zipfile, not by the reader's
//! library): the CSV as ACE wrote it, the workbook as Excel saves it (no
//! empty cell stored, shared strings, date serials, with and without a
//! `<dimension>`), and the CSV as a writer that leaves out the delimiters of
//! blank last cells saves it. Every entry, every row, every declaration is
//! the same in all three (issue 27: rows were lost from the workbook and the
//! shortened CSV).
#![cfg(feature = "xlsx")]

mod common;
use common::*;
use std::collections::BTreeMap;

/// The pairs: a name, then its files (`NAME.csv` first).
fn pairs() -> BTreeMap<String, Vec<String>> {
    let mut pairs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(data("excel_pairs")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let name = file.split('.').next().unwrap().to_string();
        pairs.entry(name).or_default().push(file);
    }
    for (name, files) in pairs.iter_mut() {
        files.sort_by_key(|f| (f != &format!("{name}.csv"), f.clone()));
        assert_eq!(files[0], format!("{name}.csv"), "{name}: no CSV");
        assert!(
            files.iter().any(|f| f.ends_with(".xlsx")),
            "{name}: no workbook"
        );
    }
    assert!(pairs.len() >= 5, "{pairs:?}");
    pairs
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(data(&format!("excel_pairs/{file}"))).unwrap()
}

fn entries_json(out: &cape_check::Outcome) -> serde_json::Value {
    serde_json::to_value(&out.report.entries).unwrap()
}

fn file_codes_of(out: &cape_check::Outcome) -> Vec<&'static str> {
    out.report.files[0]
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

#[test]
fn every_file_of_a_pair_gives_the_same_entries_rows_and_declarations() {
    for (name, files) in pairs() {
        let csv = audit_files(&[(&files[0], &read(&files[0]))], settings(), 0);
        assert!(!csv.report.entries.is_empty(), "{name}");
        assert!(
            !file_codes_of(&csv).contains(&"malformed-row"),
            "{name}: {:?}",
            file_codes_of(&csv)
        );
        for other in &files[1..] {
            for chunk in [0, 4096, 7] {
                let out = audit_files(&[(other, &read(other))], settings(), chunk);
                let how = format!("{other} in chunks of {chunk}");
                assert_eq!(out.report.files[0].kind, Some("es003"), "{how}");
                assert_eq!(entries_json(&out), entries_json(&csv), "{how}");
                assert_eq!(out.declarations, csv.declarations, "{how}");
                assert_eq!(out.report.files[0].rows, csv.report.files[0].rows, "{how}");
                // The same file findings, but for the shortened rows' note.
                let mut codes = file_codes_of(&out);
                codes.retain(|c| *c != "short-rows-read");
                assert_eq!(codes, file_codes_of(&csv), "{how}");
            }
        }
    }
}

#[test]
fn a_workbook_saved_by_excel_keeps_an_unliquidated_entry_whose_last_cell_is_blank() {
    // importer_standard: XQ710042173 is unliquidated, its Liquidation Date
    // (the last column) blank, so Excel stored none of its last cells.
    let out = audit_files(
        &[("s.xlsx", &read("importer_standard.xlsx"))],
        settings(),
        0,
    );
    assert_eq!(verdict(&out, "XQ710042173"), "ready");
    assert_eq!(out.report.entries.len(), 10);
    let written = &out.declarations[0];
    assert_eq!(
        String::from_utf8_lossy(&written.bytes),
        "Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n"
    );
}

#[test]
fn a_csv_row_that_ends_early_is_read_and_said_once_with_its_rows() {
    let trimmed = read("importer_standard.no_trailing_delimiters.csv");
    let out = audit_files(&[("t.csv", &trimmed)], settings(), 0);
    let short: Vec<_> = out.report.files[0]
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "short-rows-read")
        .collect();
    assert_eq!(short.len(), 1, "once per file");
    let f = short[0];
    assert_eq!(f.severity, cape_check::finding::Severity::Info);
    // The rows whose last cells were blank in the original: every row that
    // the trimming shortened, and no other.
    let original = read("importer_standard.csv");
    let shortened: Vec<u32> = String::from_utf8(original)
        .unwrap()
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, line)| line.ends_with(','))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    assert!(shortened.len() > 10, "{shortened:?}");
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), shortened);
    assert!(
        f.message.contains("were read as empty") && f.message.contains("(20 cells)"),
        "{}",
        f.message
    );
}

#[test]
fn a_csv_row_cut_by_the_end_of_the_file_stays_malformed() {
    // The last row loses its last cells and its line end: a cut file.
    let mut bytes = read("importer_standard.csv");
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    let last_line = bytes.iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let cut = last_line + (bytes.len() - last_line) / 2;
    bytes.truncate(cut);
    let rows = bytes.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let out = audit_files(&[("cut.csv", &bytes)], settings(), 0);
    let (_, at) = file_finding(&out, "malformed-row").expect("the cut row is reported");
    assert_eq!(at, vec![rows]);
    assert!(!file_codes_of(&out).contains(&"short-rows-read"));
    // The same row with its line end is read.
    bytes.extend_from_slice(b"\r\n");
    let out = audit_files(&[("cut.csv", &bytes)], settings(), 0);
    assert!(!file_codes_of(&out).contains(&"malformed-row"));
    assert!(file_codes_of(&out).contains(&"short-rows-read"));
}

#[test]
fn a_workbook_row_with_cells_past_the_header_is_reported_in_a_workbooks_words() {
    let book = std::fs::read(data("xlsx/note_beside_the_report.xlsx")).unwrap();
    let out = audit_files(&[("notes.xlsx", &book)], settings(), 0);
    let (f, at) = file_finding(&out, "malformed-row").expect("the row with a note beside it");
    assert_eq!(at, vec![5]);
    assert!(
        f.message
            .contains("right of the header row's last column (column T)"),
        "{}",
        f.message
    );
    for csv_words in ["delimiter", "text editor", "quote"] {
        assert!(!f.message.contains(csv_words), "{}", f.message);
    }
    // Every other row is used: the other 9 entries are all there.
    assert_eq!(out.report.entries.len(), 10);
}
