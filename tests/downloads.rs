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
