//! After filing: several Claim Details downloads at once (rules.md section
//! 9, contract section 7, issue 24). tests/data/downloads holds three
//! downloads of one importer's claims (made by make_downloads.py: both
//! header sets, wrapped values, repeated rows, dated by file name and by a
//! date column); they go with the standard sample, filed 2026-12-03.

mod common;
use cape_check::values::date::Date;
use cape_check::{Audit, Outcome, Settings};
use common::*;

const FILES: [&str; 3] = [
    "Claim Details 2026-11-28.csv",
    "claims_20261130.csv",
    "claims.csv",
];

fn download(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("downloads/{name}"))).unwrap()
}

fn december() -> Settings {
    settings_as_of("2026-12-03")
}

/// The sample and the downloads in the order given.
fn run(order: &[&str], settings: Settings) -> Outcome {
    let export = sample("es003_importer_standard.csv");
    let downloads: Vec<(&str, Vec<u8>)> = order.iter().map(|n| (*n, download(n))).collect();
    let mut files: Vec<(&str, &[u8])> = vec![("es003_importer_standard.csv", &export)];
    files.extend(downloads.iter().map(|(n, b)| (*n, b.as_slice())));
    audit_files(&files, settings, 0)
}

fn claims(out: &Outcome) -> serde_json::Value {
    serde_json::to_value(&out.report).unwrap()["claims"].clone()
}

/// (current, change, refile) of an entry.
fn state(out: &Outcome, entry: &str) -> (String, String, bool) {
    let c = claims(out);
    let e = c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_number"] == entry)
        .unwrap_or_else(|| panic!("{entry} not in the claims"));
    (
        e["current"].as_str().unwrap().to_string(),
        e["change"].as_str().unwrap().to_string(),
        e["refile"].as_bool().unwrap(),
    )
}

fn s(current: &str, change: &str, refile: bool) -> (String, String, bool) {
    (current.to_string(), change.to_string(), refile)
}

#[test]
fn every_download_at_once_gives_each_entry_its_history_in_any_order() {
    let out = run(&FILES, december());
    let c = claims(&out);
    let dates: Vec<(String, String)> = c["downloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                format!(
                    "{} {}",
                    d["file"].as_str().unwrap(),
                    d["date"].as_str().unwrap()
                ),
                d["date_from"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            (
                "Claim Details 2026-11-28.csv 2026-11-28".to_string(),
                "file-name".to_string()
            ),
            (
                "claims_20261130.csv 2026-11-30".to_string(),
                "file-name".to_string()
            ),
            ("claims.csv 2026-12-02".to_string(), "column".to_string()),
        ]
    );
    assert_eq!(state(&out, "XQ710042173"), s("failed", "unchanged", true));
    assert_eq!(
        state(&out, "XQ710043916"),
        s("accepted", "corrected", false)
    );
    assert_eq!(state(&out, "XQ710044021"), s("conflict", "conflict", false));
    assert_eq!(state(&out, "XQ710046018"), s("failed", "unchanged", false));
    assert_eq!(state(&out, "XQ710044773"), s("failed", "new-reject", false));
    assert_eq!(state(&out, "XQ710030186"), s("failed", "new-reject", false));
    // The history, oldest first, a repeated row counted once.
    let history = &c["entries"].as_array().unwrap()[0]["history"];
    assert_eq!(history.as_array().unwrap().len(), 3, "{history}");
    assert_eq!(history[0]["download"], "Claim Details 2026-11-28.csv");
    assert_eq!(history[2]["message"], "STATEMENT PROCESSING NOT COMPLETE");
    // The findings: a conflict is never a reason to file again.
    assert!(codes(&out, "XQ710044021").contains(&"claim-status-conflict"));
    assert_eq!(verdict(&out, "XQ710044021"), "blocked");
    assert!(codes(&out, "XQ710044773").contains(&"new-reject"));
    // A row reference names its download when there are several.
    let f = out
        .report
        .entries
        .iter()
        .find(|e| &*e.entry == "XQ710042173")
        .unwrap()
        .findings
        .iter()
        .find(|f| f.code.as_str() == "previously-rejected")
        .unwrap();
    assert!(
        f.message
            .contains("(row 2 of 'claims.csv' of 12/02/2026: 'STATEMENT PROCESSING NOT COMPLETE')"),
        "{}",
        f.message
    );
    // Given in any order, the same report.
    for order in [
        [FILES[2], FILES[0], FILES[1]],
        [FILES[1], FILES[2], FILES[0]],
    ] {
        let other = run(&order, december());
        assert_eq!(claims(&other)["entries"], c["entries"], "{order:?}");
        assert_eq!(claims(&other)["downloads"], c["downloads"], "{order:?}");
    }
}

#[test]
fn the_refile_list_holds_the_entries_to_resubmit_and_those_whose_fix_is_confirmed() {
    let out = run(&FILES, december());
    let numbers = out.report.claims.as_ref().unwrap().refile_numbers();
    let names: Vec<&str> = numbers.iter().map(|n| n.as_str()).collect();
    assert_eq!(names, ["XQ710042173"]);
    let mut confirmed = december();
    confirmed.fixed = vec!["XQ710046018".to_string(), "XQ710044021".to_string()];
    let out = run(&FILES, confirmed);
    let numbers = out.report.claims.as_ref().unwrap().refile_numbers();
    let names: Vec<&str> = numbers.iter().map(|n| n.as_str()).collect();
    // The conflict (accepted once) is never re-filed, fixed or not.
    assert_eq!(names, ["XQ710042173", "XQ710046018"]);
}

#[test]
fn a_download_is_dated_by_the_user_then_its_column_then_its_name_then_its_file_date() {
    // The user's date wins over the column: claims.csv becomes the oldest.
    let mut corrected = december();
    corrected.download_dates = vec![("claims.csv".to_string(), Date::parse("2026-11-27").unwrap())];
    let out = run(&FILES, corrected);
    let c = claims(&out);
    assert_eq!(c["downloads"][0]["file"], "claims.csv");
    assert_eq!(c["downloads"][0]["date_from"], "user");
    // Now the newest is claims_20261130.csv: XQ710044021 was accepted last.
    assert_eq!(state(&out, "XQ710044021").0, "accepted");

    // A file without a date column or a date in its name: its own date.
    let mut audit = Audit::new(december());
    audit.begin_file("download.csv");
    audit.set_file_date(Date::parse("2026-11-29").unwrap());
    audit.feed(&download("claims_20261130.csv"));
    audit.begin_file("undated.csv");
    audit.feed(&download("claims_20261130.csv"));
    let out = audit.finish();
    let c = claims(&out);
    assert_eq!(c["downloads"][0]["file"], "undated.csv");
    assert_eq!(c["downloads"][0]["date_from"], "order");
    assert_eq!(c["downloads"][1]["date"], "2026-11-29");
    assert_eq!(c["downloads"][1]["date_from"], "file-date");
}

#[test]
fn two_downloads_of_one_date_are_said_and_read_in_the_order_given() {
    let bytes = download("claims_20261130.csv");
    let out = audit_files(
        &[
            ("claims 2026-11-30.csv", &bytes),
            ("claims_2026-11-30 (2).csv", &bytes),
        ],
        december(),
        0,
    );
    let (f, _) = file_finding(&out, "download-order").expect("said");
    assert!(
        f.message.contains("are both Claim Details of 11/30/2026"),
        "{}",
        f.message
    );
}

#[test]
fn the_command_line_writes_cape_refile_only_when_there_is_an_entry_to_refile() {
    let dir = std::env::temp_dir().join(format!("cape-refile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = env!("CARGO_BIN_EXE_cape-check");
    let mut args: Vec<String> = vec![
        "audit".into(),
        data("samples/es003_importer_standard.csv")
            .display()
            .to_string(),
    ];
    args.extend(
        FILES
            .iter()
            .map(|f| data(&format!("downloads/{f}")).display().to_string()),
    );
    args.extend(
        [
            "--ior",
            IOR,
            "--as-of",
            "2026-12-03",
            "--fixed",
            "XQ7-1004601-8",
            "--out",
        ]
        .map(String::from),
    );
    args.push(dir.display().to_string());
    let run = std::process::Command::new(bin)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let refile = std::fs::read(dir.join("cape-refile.csv")).unwrap();
    assert_eq!(refile, b"Entry Number\r\nXQ710042173\r\nXQ710046018\r\n");
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains(
            "Since 'claims_20261130.csv' of 11/30/2026: 2 new rejects, 1 corrected, 1 conflict"
        ),
        "{text}"
    );
    assert!(
        text.contains("To file again now: 2 entries (cape-refile.csv)."),
        "{text}"
    );
    // No Claim Details, so nothing to re-file: no cape-refile.csv, and the
    // one of the earlier run is removed.
    let again = std::process::Command::new(bin)
        .args([
            "audit",
            &data("samples/es003_importer_standard.csv")
                .display()
                .to_string(),
            "--as-of",
            "2026-12-03",
            "--out",
            &dir.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(!dir.join("cape-refile.csv").exists());
    // Claim Details alone: the duty is unknown, as the page says.
    let alone = std::process::Command::new(bin)
        .args([
            "audit",
            &data("downloads/claims.csv").display().to_string(),
            "--as-of",
            "2026-12-03",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(alone.stdout).unwrap();
    assert!(
        text.contains("IEEPA duty unknown: no ES-003 given"),
        "{text}"
    );
    assert!(!text.contains("$0.00"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_export_after_filing_says_whether_each_refund_was_applied() {
    let after = download("es003_after_filing.csv");
    let export = sample("es003_importer_standard.csv");
    let mut with_after = december();
    with_after.after_files = vec!["es003_after_filing.csv".to_string()];
    let applied = |out: &Outcome| -> Vec<(String, String)> {
        let v = serde_json::to_value(&out.report).unwrap();
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["entry"].as_str().unwrap().to_string(),
                    e["applied"].as_str().unwrap_or("-").to_string(),
                )
            })
            .collect()
    };
    // The before export and the after export alone: no Claim Details.
    let out = audit_files(
        &[
            ("es003_importer_standard.csv", &export),
            ("es003_after_filing.csv", &after),
        ],
        with_after.clone(),
        0,
    );
    let got = applied(&out);
    let of = |entry: &str| got.iter().find(|(e, _)| e == entry).unwrap().1.clone();
    assert_eq!(of("XQ710042173"), "applied", "its IEEPA line is gone");
    assert_eq!(of("XQ710046018"), "applied", "Processed by CAPE Liq Batch");
    assert_eq!(of("XQ710043916"), "pending", "CAPE Indicator P");
    assert_eq!(of("XQ710044021"), "not-filed", "listed, no sign");
    assert_eq!(of("XQ710030186"), "unknown", "not in the later export");
    // The later export makes no entry of its own: the same ten entries.
    assert_eq!(got.len(), 10);
    let v = serde_json::to_value(&out.report).unwrap();
    assert_eq!(
        v["applied"],
        serde_json::json!({"applied": 2, "pending": 1, "not_filed": 2, "unknown": 5})
    );
    assert!(out.report.text_summary().contains(
        "2 refunds applied, 1 pending (filed, no sign yet), 2 not filed, 5 not in the later export"
    ));
    // With the Claim Details: XQ710044021 was accepted, so it is pending.
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("es003_importer_standard.csv".into(), export.clone()),
        ("es003_after_filing.csv".into(), after.clone()),
    ];
    files.extend(FILES.iter().map(|n| (n.to_string(), download(n))));
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let out = audit_files(&borrowed, with_after, 0);
    let got = applied(&out);
    assert!(got.contains(&("XQ710044021".to_string(), "pending".to_string())));
    // Without the setting, the same file is an ordinary export: no
    // 'applied' at all.
    let out = audit_files(
        &[
            ("es003_importer_standard.csv", &export),
            ("es003_after_filing.csv", &after),
        ],
        december(),
        0,
    );
    assert!(applied(&out).iter().all(|(_, a)| a == "-"));
}

#[test]
fn a_cape_indicator_in_one_export_asks_a_person_and_is_never_written_in_bulk() {
    // The after-filing export read as the only export: its CAPE Indicator
    // of 'Processed by CAPE Liq Batch' is already-accepted as a warning
    // (a single source), 'P' is nothing yet.
    let mut s = december();
    s.include_review = true;
    let out = audit_files(&[("es003.csv", &download("es003_after_filing.csv"))], s, 0);
    assert_eq!(verdict(&out, "XQ710046018"), "review");
    let f = out
        .report
        .entries
        .iter()
        .find(|e| &*e.entry == "XQ710046018")
        .unwrap()
        .findings
        .iter()
        .find(|f| f.code.as_str() == "already-accepted")
        .unwrap();
    assert!(f.message.contains("a single source"), "{}", f.message);
    assert!(!codes(&out, "XQ710043916").contains(&"already-accepted"));
    let written: String = out
        .declarations
        .iter()
        .map(|d| String::from_utf8_lossy(&d.bytes).into_owned())
        .collect();
    assert!(!written.contains("XQ710046018"), "{written}");
}

/// tests/data/downloads_damaged: 'Download Date' columns Excel saved as it
/// showed them in a narrow column ('########').
fn damaged(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("downloads_damaged/{name}"))).unwrap()
}

#[test]
fn a_date_column_that_cannot_be_read_is_said_and_every_row_is_used() {
    let none = damaged("Claim Details 12-05-2026.csv");
    let one = damaged("claims_export.csv");
    let out = audit_files(
        &[
            ("Claim Details 12-05-2026.csv", &none),
            ("claims_export.csv", &one),
        ],
        december(),
        0,
    );
    let said: Vec<&cape_check::finding::Finding> = out
        .report
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|f| f.code.as_str() == "download-date-unreadable")
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    // No date in the column at all: dated by its name, rows 2 and 3 named.
    assert_eq!(said[0].rows.label(), "rows 2, 3");
    assert!(
        said[0].message.starts_with("'Claim Details 12-05-2026.csv': the date column holds 2 values that cannot be read as a date (first: '########'), so it is dated 12/05/2026 from its file name."),
        "{}",
        said[0].message
    );
    // One date readable: that one dates it.
    assert_eq!(said[1].rows.label(), "row 3");
    assert!(
        said[1]
            .message
            .contains("so it is dated 12/04/2026, the latest date of the other rows"),
        "{}",
        said[1].message
    );
    // Nothing lost: both downloads' entries have their histories, oldest
    // (12/04) first.
    let c = claims(&out);
    assert_eq!(c["downloads"][0]["file"], "claims_export.csv");
    assert_eq!(c["downloads"][0]["date_from"], "column");
    assert_eq!(c["downloads"][1]["date_from"], "file-name");
    let history = |entry: &str| {
        c["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["entry_number"] == entry)
            .map(|e| e["history"].as_array().unwrap().len())
    };
    assert_eq!(history("XQ710042173"), Some(2));
    assert_eq!(history("XQ710044773"), Some(2));
}

#[test]
fn with_several_files_every_row_named_in_a_message_names_its_file() {
    // An export whose entries cite their rows (out-of-sequence lines,
    // repeated rows), read with a Claim Details download.
    let export = sample("es003_broker_excel_resaved.csv");
    let claims = download("claims.csv");
    let alone = audit_files(
        &[("es003_broker_excel_resaved.csv", &export)],
        december(),
        0,
    );
    let both = audit_files(
        &[
            ("es003_broker_excel_resaved.csv", &export),
            ("claims.csv", &claims),
        ],
        december(),
        0,
    );
    let citing = |out: &Outcome| -> Vec<String> {
        out.report
            .entries
            .iter()
            .flat_map(|e| &e.findings)
            .filter(|f| !f.rows.is_empty() && f.message.contains("row"))
            .map(|f| f.message.clone())
            .collect()
    };
    let before = citing(&alone);
    assert!(!before.is_empty(), "the sample cites rows");
    assert!(before.iter().all(|m| !m.contains("The rows named are in")));
    let after = citing(&both);
    assert!(after.len() >= before.len());
    for m in &after {
        assert!(
            m.ends_with("(The rows named are in 'es003_broker_excel_resaved.csv'.)")
                || m.contains(" of 'claims.csv'"),
            "a row without its file: {m}"
        );
    }
}
