//! Helpers shared by the integration tests: run the library's audit over
//! bytes in chunks of a given size, and build small ES-003 files row by row.
#![allow(dead_code)]

use cape_check::values::date::Date;
use cape_check::{Account, Audit, Outcome, Settings};
use std::path::PathBuf;

pub const IOR: &str = "98-765432100";
pub const AS_OF: &str = "2026-11-22";

/// The project's copy of a test data file.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Every fixture file (samples, bad inputs, declarations, Claim Details,
/// real-shaped downloads, workbooks), named, in a fixed order.
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        "samples",
        "bad",
        "declarations",
        "claims",
        "real_shapes",
        "xlsx",
        "excel_pairs",
        "downloads",
        "downloads_damaged",
    ] {
        let mut names: Vec<_> = std::fs::read_dir(data(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for path in names {
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            out.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
    out
}

pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("samples/{name}"))).expect("sample file")
}

/// Importer account 98-765432100, filing date 2026-11-22.
pub fn settings() -> Settings {
    settings_as_of(AS_OF)
}

pub fn settings_as_of(as_of: &str) -> Settings {
    let mut s = Settings::new(Date::parse(as_of).unwrap());
    s.account = Some(Account::importer(IOR).unwrap());
    s
}

/// Audits named files, each fed in chunks of `chunk` bytes (0: whole).
pub fn audit_files(files: &[(&str, &[u8])], settings: Settings, chunk: usize) -> Outcome {
    let mut audit = Audit::new(settings);
    for (name, bytes) in files {
        audit.begin_file(name);
        if chunk == 0 {
            audit.feed(bytes);
        } else {
            for piece in bytes.chunks(chunk) {
                audit.feed(piece);
            }
        }
        audit.end_file();
    }
    audit.finish()
}

pub fn audit_bytes(bytes: &[u8], settings: Settings) -> Outcome {
    audit_files(&[("test.csv", bytes)], settings, 0)
}

/// The codes of an entry's findings.
pub fn codes(outcome: &Outcome, entry: &str) -> Vec<&'static str> {
    let e = outcome
        .report
        .entries
        .iter()
        .find(|e| e.entry == entry)
        .unwrap_or_else(|| {
            panic!(
                "no entry {entry} in {:?}",
                outcome
                    .report
                    .entries
                    .iter()
                    .map(|e| &e.entry)
                    .collect::<Vec<_>>()
            )
        });
    e.findings.iter().map(|f| f.code.as_str()).collect()
}

pub fn verdict(outcome: &Outcome, entry: &str) -> &'static str {
    outcome
        .report
        .entries
        .iter()
        .find(|e| e.entry == entry)
        .map(|e| e.verdict.as_str())
        .unwrap()
}

/// The codes of all file findings.
pub fn file_codes(outcome: &Outcome) -> Vec<&'static str> {
    outcome
        .report
        .files
        .iter()
        .flat_map(|f| f.findings.iter().map(|x| x.code.as_str()))
        .collect()
}

/// The first file finding with this code, and its rows as numbers.
pub fn file_finding<'o>(
    outcome: &'o Outcome,
    code: &str,
) -> Option<(&'o cape_check::finding::Finding, Vec<u32>)> {
    outcome
        .report
        .files
        .iter()
        .flat_map(|f| f.findings.iter())
        .find(|f| f.code.as_str() == code)
        .map(|f| (f, f.rows.iter().collect()))
}

/// Whether Excel opening a findings.csv cell runs nothing: it starts with
/// none of = + - @ tab CR, or it is a formula that is only a string,
/// `="..."` (quotes inside doubled), as ACE writes entry numbers.
pub fn excel_cell_is_safe(cell: &str) -> bool {
    if let Some(inner) = cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        return !inner.replace("\"\"", "").contains('"');
    }
    !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

pub fn json(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(&outcome.report).unwrap()
}

/// `expected`'s JSON with the fingerprints `joined` could not give (files
/// read in parts) left out as `joined` leaves them; the ones it gives must
/// be `expected`'s.
pub fn json_as_joined(expected: &Outcome, joined: &Outcome) -> String {
    let mut report = expected.report.clone();
    for (file, other) in report.files.iter_mut().zip(&joined.report.files) {
        if other.sha256.is_none() {
            file.sha256 = None;
        }
    }
    serde_json::to_string_pretty(&report).unwrap()
}

/// The command line's report (the entries judged again on each pass over
/// them, never held) is the held one byte for byte: JSON, text summary,
/// findings.csv, declarations.
pub fn assert_streamed_same(files: &[(&str, &[u8])], settings: Settings, how: &str) {
    let held = audit_files(files, settings.clone(), 0);
    let mut audit = Audit::new(settings);
    for (name, bytes) in files {
        audit.begin_file(name);
        audit.feed(bytes);
        audit.end_file();
    }
    let (report, declarations) = audit.finish_streamed();
    let streamed_json = serde_json::to_string_pretty(&report).unwrap();
    assert_eq!(streamed_json, json(&held), "{how}: streamed JSON");
    assert_eq!(
        report.text_summary(),
        held.report.text_summary(),
        "{how}: streamed text"
    );
    let mut csv = Vec::new();
    cape_check::output::declaration::write_findings_csv(&report, &mut csv).unwrap();
    assert_eq!(csv, held.findings_csv, "{how}: streamed findings.csv");
    assert_eq!(
        declarations, held.declarations,
        "{how}: streamed declarations"
    );
}

/// The same report, declarations and findings.csv; `how` says how `out`
/// was read differently from `expected`.
/// A file read in parts (a part joined) has no fingerprint (`sha256`
/// null): the front end computes it apart. Every other field is the same.
pub fn assert_same_outcome(out: &Outcome, expected: &Outcome, how: &str) {
    assert_eq!(json(out), json_as_joined(expected, out), "{how}");
    assert_eq!(out.declarations, expected.declarations, "{how}");
    assert_eq!(out.findings_csv, expected.findings_csv, "{how}");
}

/// One ES-003 tariff row with every field the rules read; the defaults make
/// a clean, ready IEEPA row of entry XQ710042173.
#[derive(Clone, Debug)]
pub struct Row {
    pub entry: &'static str,
    pub entry_type: &'static str,
    pub line: &'static str,
    pub importer: &'static str,
    pub entry_date: &'static str,
    pub summary_date: &'static str,
    pub ordinal: &'static str,
    pub hts: &'static str,
    pub goods: &'static str,
    pub duty: &'static str,
    pub recon: &'static str,
    pub liquidation_status: &'static str,
    pub liquidation_date: &'static str,
    pub protest_number: &'static str,
    pub protest_status: &'static str,
    pub control: &'static str,
}

impl Default for Row {
    fn default() -> Row {
        Row {
            entry: "XQ710042173",
            entry_type: "01",
            line: "1",
            importer: IOR,
            entry_date: "01/20/2026",
            summary_date: "01/30/2026",
            ordinal: "1",
            hts: "99030269",
            goods: "$0.00",
            duty: "\"$2,000.00\"",
            recon: "N",
            liquidation_status: "Unliquidated",
            liquidation_date: "",
            protest_number: "",
            protest_status: "",
            control: "CBP Control",
        }
    }
}

pub const HEADER: &str = "Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,Entry Date,Entry Summary Date,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,Line Tariff Duty Amount,Reconciliation Indicator,Liquidation Status,Liquidation Date,Protest Number,Protest Status,Control Status";

/// An ES-003 CSV of these rows (CRLF, header on row 1).
pub fn es003(rows: &[Row]) -> Vec<u8> {
    let mut s = format!("{HEADER}\r\n");
    for r in rows {
        s.push_str(
            &[
                r.entry,
                r.entry_type,
                r.line,
                r.importer,
                r.entry_date,
                r.summary_date,
                r.ordinal,
                r.hts,
                r.goods,
                r.duty,
                r.recon,
                r.liquidation_status,
                r.liquidation_date,
                r.protest_number,
                r.protest_status,
                r.control,
            ]
            .join(","),
        );
        s.push_str("\r\n");
    }
    s.into_bytes()
}

/// A commodity row for the same entry and line.
pub fn commodity(base: &Row) -> Row {
    Row {
        ordinal: "2",
        hts: "6307909870",
        goods: "\"$10,000.00\"",
        duty: "$700.00",
        ..base.clone()
    }
}

/// A clean entry: one IEEPA row and its commodity row.
pub fn clean() -> Vec<Row> {
    let r = Row::default();
    vec![r.clone(), commodity(&r)]
}

/// The clean entry with every row changed by `f`.
pub fn with(f: impl Fn(&mut Row)) -> Vec<Row> {
    let mut rows = clean();
    rows.iter_mut().for_each(f);
    rows
}
