//! Crafted inputs (issue 12): what they once did, and what they do now,
//! run as a user runs the command line.

mod common;
use cape_check::generate::shapes::Shape;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cape_check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cape-check"))
        .args(args)
        .output()
        .expect("run cape-check")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cape-check-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn control_characters_from_a_file_never_reach_the_terminal_raw() {
    let dir = temp_dir("escapes");
    let file = write(
        &dir,
        "escapes.csv",
        "Entry Summary Number,HTS Number - Full,Line Tariff Duty Amount\n\u{1b}]0;owned\u{7}\u{1b}[2JXQ7\u{9b}1\u{202e},99030124,1\n".as_bytes(),
    );
    let o = cape_check(&["audit", &file, "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("\\x1b]0;owned\\x07\\x1b[2JXQ7\\u{9b}1\\u{202e}"),
        "{text}"
    );
    assert!(!text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t'));
    assert!(!text.contains('\u{202e}'));
}

#[test]
fn odd_and_huge_importer_numbers_give_safe_file_names_and_every_file_is_written() {
    let dir = temp_dir("importers");
    let out = dir.join("out");
    let long = "9".repeat(300);
    let rows = [
        ("XQ710042173", "98-765432100"),
        ("XQ710043916", "abc-12345678901234"),
        ("XQ710044021", long.as_str()),
        ("XQ710046018", "../../x\u{1b}"),
    ];
    let mut csv = String::from("Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,HTS Number - Full,Line Tariff Duty Amount\n");
    for (entry, importer) in rows {
        csv.push_str(&format!(
            "{entry},\"{importer}\",01,01/30/2026,99030124,100.00\n"
        ));
    }
    let file = write(&dir, "brokers.csv", csv.as_bytes());
    let run = || {
        cape_check(&[
            "audit",
            &file,
            "--filer",
            "XQ7",
            "--as-of",
            AS_OF,
            "--per-importer",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let o = run();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"findings.csv".to_string()));
    assert!(names.contains(&"cape-check-report.xlsx".to_string()));
    assert!(names.contains(&"cape-declaration-98765432100.csv".to_string()));
    for name in &names {
        assert!(name.len() <= 64, "{name}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'),
            "{name}"
        );
    }
    // A stale declaration of an odd importer is recognised and removed.
    let stale = names
        .iter()
        .find(|n| n.contains("other-ABC"))
        .unwrap()
        .clone();
    std::fs::write(out.join("keep-me.csv"), b"mine").unwrap();
    let csv_one = csv.lines().take(2).collect::<Vec<_>>().join("\n");
    std::fs::write(&file, csv_one).unwrap();
    let o = run();
    assert_eq!(o.status.code(), Some(0));
    assert!(!out.join(&stale).exists(), "{stale} survived the next run");
    assert!(out.join("keep-me.csv").exists());
}

#[test]
fn a_header_row_over_the_sniffing_limit_is_called_what_it_is() {
    let dir = temp_dir("header");
    let mut header = String::from("Entry Summary Number");
    while header.len() < (1 << 20) + 1000 {
        header.push_str(",Another Column");
    }
    let file = write(
        &dir,
        "long.csv",
        format!("{header}\nXQ710042173,1\n").as_bytes(),
    );
    let o = cape_check(&["audit", &file, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let message = report["files"][0]["findings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("starts like a header row") && message.contains("more than 1 MB"),
        "{message}"
    );
    assert!(
        !message.contains("names an entry-number column"),
        "{message}"
    );
}

#[test]
fn every_crafted_shape_is_audited_with_every_row_accounted_for() {
    for shape in Shape::ALL {
        let files = shape.files(3_000);
        let named: Vec<(String, &[u8])> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("{}-{i}.csv", shape.name()), f.as_slice()))
            .collect();
        let refs: Vec<(&str, &[u8])> = named.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let out = audit_files(&refs, settings(), 4096);
        // Every row read (the header and each data row), none left unused.
        for (file, bytes) in out.report.files.iter().zip(&files) {
            let lines = bytes.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(file.rows as usize, lines, "{}", shape.name());
        }
        match shape {
            // The second export repeats the first: every row counted once.
            Shape::Overlapping => {
                for e in &out.report.entries {
                    assert!(e
                        .findings
                        .iter()
                        .any(|f| f.code.as_str() == "duplicate-rows"));
                    assert_eq!(e.ieepa_duty.to_string(), "100.00");
                }
            }
            // One entry, every Chapter 99 row's $1.00 counted once, and the
            // reversed order is no finding: numbered lines stay numbered.
            Shape::DescendingLines | Shape::HugeLineNumbers => {
                assert_eq!(out.report.entries.len(), 1, "{}", shape.name());
                let e = &out.report.entries[0];
                let chapter_99_rows = files[0]
                    .split(|&b| b == b'\n')
                    .filter(|row| row.windows(9).any(|w| w == b",99030124"))
                    .count();
                assert_eq!(
                    e.ieepa_duty.to_string(),
                    format!("{chapter_99_rows}.00"),
                    "{}",
                    shape.name()
                );
                assert!(e.findings.is_empty(), "{}: {:?}", shape.name(), e.findings);
            }
            Shape::OneEntryUntracked => assert_eq!(out.report.entries.len(), 1),
        }
        assert!(
            file_codes(&out).iter().all(|c| *c != "malformed-row"),
            "{}",
            shape.name()
        );
    }
}

/// Line 65,535 is the mark of an unnumbered row's key: a line cell that says
/// it is read as no line number (a repeat is the same row whole), never as a
/// slot that could meet an unnumbered row's key.
#[test]
fn a_line_number_of_65535_is_read_as_no_line_number() {
    let row = |ordinal: u32, duty: &str| {
        format!("XQ710042173,01,65535,98-765432100,SYNTHETIC TEST IMPORTER LLC,XQ7,2704,01/20/2026,01/30/2026,CN,{ordinal},99030124,$0.00,{duty},,,N,Unliquidated,,,,CBP Control\r\n")
    };
    let mut file = cape_check::generate::HEADER.to_string();
    // Same slot, other amounts: two rows of an unnumbered export, both count;
    // then an identical repeat of the first, counted once.
    file += &row(1, "$1.00");
    file += &row(1, "$2.00");
    file += &row(1, "$1.00");
    let out = audit_files(&[("line-65535.csv", file.as_bytes())], settings(), 4096);
    let e = &out.report.entries[0];
    assert_eq!(e.ieepa_duty.to_string(), "3.00");
    let codes: Vec<&str> = e.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"duplicate-rows"), "{codes:?}");
    assert!(!codes.contains(&"conflicting-entry-data"), "{codes:?}");
}
