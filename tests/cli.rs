//! The `cape-check` command line, run as a user runs it, on real files.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cape_check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cape-check"))
        .args(args)
        .output()
        .expect("run cape-check")
}

/// `cape-check audit FILES --ior 98-765432100 --as-of 2026-11-22 EXTRA...`:
/// the account and filing date of the samples' README.
fn audit_as_sample_account(files: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["audit"];
    args.extend(files.iter().map(|f| path(f)));
    args.extend(["--ior", IOR, "--as-of", AS_OF]);
    args.extend(extra);
    cape_check(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cape-check-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn audit_prints_the_summary_of_the_readme() {
    let file = data("samples/es003_importer_standard.csv");
    let o = audit_as_sample_account(&[&file], &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = stdout(&o);
    for want in [
        "10 entries",
        "ready          3   IEEPA duty        $7,400.00",
        "review         1",
        "blocked        6",
        "XQ710030186",
        "liquidated-outside-window",
        "02/17/2027",
        "Declaration cape-declaration.csv: 3 entries",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn out_writes_byte_exact_declarations_and_findings() {
    let dir = temp_dir("out");
    std::fs::write(dir.join("cape-declaration-1-of-2.csv"), b"stale").unwrap();
    let files = [data("samples/es003_broker_excel_resaved.csv")];
    let o = audit_as_sample_account(&[&files[0]], &["--out", path(&dir)]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(dir.join("cape-declaration.csv")).unwrap(),
        b"Entry Number\r\n01644100214\r\n01644101022\r\n"
    );
    assert!(
        !dir.join("cape-declaration-1-of-2.csv").exists(),
        "stale declarations are removed"
    );
    let findings = std::fs::read_to_string(dir.join("findings.csv")).unwrap();
    assert!(findings.starts_with(
        "\u{FEFF}Entry Number,Verdict,Code,Severity,Rows,Message,IEEPA Duty,Interest (estimate)\r\n"
    ));
    assert!(
        findings.contains(r#""=""1644101502""",blocked,entry-number-malformed,error,"#),
        "{findings}"
    );
    assert!(stdout(&o).contains("Wrote"));
}

#[test]
fn out_never_deletes_an_input_or_a_file_the_user_named() {
    let dir = temp_dir("keep");
    let mine = dir.join("cape-declaration.csv");
    std::fs::write(&mine, b"Entry Number\r\nXQ710042173\r\n").unwrap();
    let named = dir.join("cape-declaration-march-FINAL.csv");
    std::fs::write(&named, b"keep me").unwrap();
    let preamble = data("samples/es003_default_no_liquidation_with_preamble.csv");
    let o = cape_check(&[
        "audit",
        path(&mine),
        path(&preamble),
        "--ior",
        IOR,
        "--as-of",
        AS_OF,
        "--out",
        path(&dir),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&named).unwrap(), b"keep me");
    assert!(mine.exists(), "the input declaration is not deleted");
    // An output that would overwrite an input is refused, with the reason.
    let o = cape_check(&["audit", path(&mine), "--as-of", AS_OF, "--out", path(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("would overwrite an input file"));
    assert_eq!(
        std::fs::read(&mine).unwrap(),
        b"Entry Number\r\nXQ710042173\r\n"
    );
}

#[test]
fn include_review_and_no_declaration() {
    let dir = temp_dir("review");
    let file = data("samples/es003_default_no_liquidation_with_preamble.csv");
    let o = audit_as_sample_account(&[&file], &["--out", path(&dir)]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("No declaration"));
    assert!(!dir.join("cape-declaration.csv").exists());
    let o = audit_as_sample_account(&[&file], &["--out", path(&dir), "--include-review"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(dir.join("cape-declaration.csv")).unwrap(),
        b"Entry Number\r\nZ9Z30000114\r\nZ9Z30000296\r\n"
    );
}

#[test]
fn json_report_and_merged_files() {
    let a = data("samples/es003_importer_standard.csv");
    let b = data("samples/es003_broker_excel_resaved.csv");
    let o = cape_check(&[
        "audit",
        path(&a),
        path(&b),
        "--filer",
        "XQ7",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["format"], "cape-check-report/1");
    assert_eq!(v["account"]["filer"], "XQ7");
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["totals"]["entries"], 15);
    let e016 = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"] == "01644100214")
        .unwrap();
    assert!(e016["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "filer-code-mismatch"));
}

#[test]
fn exit_status_1_when_an_input_cannot_be_read() {
    let pdf = data("bad/report.pdf");
    let o = cape_check(&["audit", path(&pdf), "--ior", IOR]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("report.pdf"));
    assert!(stdout(&o).contains("a PDF document"));
    let o = cape_check(&["audit", "/no/such/file.csv", "--ior", IOR]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/no/such/file.csv") && err.contains("Check the path"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn every_bad_input_gets_its_exit_status_and_no_panic() {
    for (name, status, says) in [
        ("report.pdf", 1, "PDF"),
        ("screenshot.png", 1, "PNG"),
        ("random.bin", 1, "binary data"),
        ("empty.csv", 1, "no rows"),
        ("blank_lines.csv", 1, "no rows"),
        ("other_report.csv", 1, "seems to be"),
        ("no_hts_column.csv", 1, "HTS Number - Full"),
        ("ragged.csv", 0, "malformed-row"),
        ("unclosed_quote.csv", 0, "never ends"),
        ("unicode_text_utf16le.txt", 0, "Unicode text"),
        (
            "european_semicolon_1252.csv",
            0,
            "older Windows character set",
        ),
    ] {
        let file = data(&format!("bad/{name}"));
        let o = audit_as_sample_account(&[&file], &[]);
        assert_eq!(o.status.code(), Some(status), "{name}");
        assert!(stdout(&o).contains(says), "{name}: {}", stdout(&o));
        assert!(
            !String::from_utf8_lossy(&o.stderr).contains("panicked"),
            "{name}"
        );
    }
}

#[test]
fn exit_status_2_for_usage_errors() {
    for args in [
        &["audit"][..],
        &["audit", "x.csv", "--ior", "12"],
        &["audit", "x.csv", "--filer", "TOOLONG"],
        &["audit", "x.csv", "--ior", IOR, "--filer", "XQ7"],
        &["audit", "x.csv", "--as-of", "22/11/2026"],
        &["audit", "x.csv", "--format", "xml"],
        &["audit", "x.csv", "--bogus"],
        &["frobnicate"],
        &[],
    ] {
        let o = cape_check(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("Usage:"),
            "{args:?}"
        );
    }
    let o = cape_check(&["audit", "x.csv", "--ior", "12"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("'12' is not an importer number"));
    assert_eq!(cape_check(&["--help"]).status.code(), Some(0));
}

#[test]
fn generate_is_deterministic_and_auditable() {
    let a = cape_check(&["generate", "--entries", "50", "--seed", "3"]);
    let b = cape_check(&["generate", "--entries", "50", "--seed", "3"]);
    let c = cape_check(&["generate", "--entries", "50", "--seed", "4"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    let dir = temp_dir("gen");
    let file = dir.join("gen.csv");
    let o = cape_check(&[
        "generate",
        "--entries",
        "50",
        "--seed",
        "3",
        "--out",
        path(&file),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(&file).unwrap(), a.stdout);
    let o = audit_as_sample_account(&[&file], &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totals"]["entries"], 50);
}

#[test]
fn stdin_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cape-check"))
        .args(["audit", "-", "--ior", IOR, "--as-of", AS_OF])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&sample("es003_importer_standard.csv"))
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("10 entries"));
}
