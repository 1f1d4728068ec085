//! Bad inputs get a file finding with a clear message, never a panic, and
//! every row is used or accounted for.

mod common;
use common::*;

fn file_findings(name: &str) -> (cape_check::Outcome, Vec<&'static str>) {
    let bytes = std::fs::read(data(&format!("bad/{name}"))).unwrap();
    let out = audit_files(&[(name, &bytes)], settings(), 4096);
    let codes = file_codes(&out);
    (out, codes)
}

fn message<'a>(out: &'a cape_check::Outcome, code: &str) -> &'a str {
    &out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap()
        .message
}

#[test]
fn binary_files_say_what_they_are() {
    for (name, what) in [
        ("report.pdf", "a PDF document"),
        ("screenshot.png", "a PNG image"),
        ("random.bin", "binary data"),
    ] {
        let (out, codes) = file_findings(name);
        assert_eq!(codes, ["unreadable-file"], "{name}");
        let msg = message(&out, "unreadable-file");
        assert!(
            msg.contains(name) && msg.contains(what) && msg.contains("Export the ES-003"),
            "{msg}"
        );
        assert!(out.report.entries.is_empty());
        assert!(out.declarations.is_empty());
        assert_eq!(out.report.files[0].kind, None);
    }
}

#[test]
fn empty_files() {
    for name in ["empty.csv", "blank_lines.csv"] {
        let (out, codes) = file_findings(name);
        assert_eq!(codes, ["empty-file"], "{name}");
        assert!(message(&out, "empty-file").contains(name));
    }
    let out = audit_bytes(
        b"Entry Summary Number,HTS Number - Full,Line Tariff Duty Amount\r\n",
        settings(),
    );
    assert!(
        file_codes(&out).contains(&"empty-file"),
        "{:?}",
        file_codes(&out)
    );
}

#[test]
fn another_report_is_not_guessed_at() {
    let (out, codes) = file_findings("other_report.csv");
    assert_eq!(codes, ["no-header-row"]);
    let msg = message(&out, "no-header-row");
    assert!(
        msg.contains("Importer Number,Importer Name") && msg.contains("ES-003"),
        "{msg}"
    );
    let (out, codes) = file_findings("no_hts_column.csv");
    assert_eq!(codes, ["missing-column"]);
    assert!(message(&out, "missing-column").contains("HTS Number - Full"));
    assert!(out.report.entries.is_empty());
}

#[test]
fn encodings_delimiters_and_line_ends_give_the_same_audit() {
    let reference = audit_bytes(&sample("es003_importer_standard.csv"), settings());
    let expected = serde_json::to_value(&reference.report.entries).unwrap();
    for name in [
        "unicode_text_utf16le.txt",
        "utf16be.csv",
        "cr_only.csv",
        "lf_only.csv",
    ] {
        let (out, codes) = file_findings(name);
        assert_eq!(
            serde_json::to_value(&out.report.entries).unwrap(),
            expected,
            "{name}"
        );
        assert_eq!(out.declarations, reference.declarations, "{name}");
        assert_eq!(
            codes.contains(&"encoding-converted"),
            name.contains("utf16"),
            "{name}: {codes:?}"
        );
    }
    let (out, codes) = file_findings("european_semicolon_1252.csv");
    assert!(codes.contains(&"encoding-converted"));
    assert_eq!(verdict(&out, "XQ710042173"), "ready");
    assert_eq!(out.report.entries[0].ieepa_duty.to_string(), "2000.00");
}

#[test]
fn broken_rows_are_reported_with_their_numbers() {
    let (out, _) = file_findings("ragged.csv");
    let f = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "malformed-row")
        .unwrap();
    // Row 3 has a cell too many (an unquoted comma); row 6 ends early at
    // its line end: read with its last cells empty, and said so.
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), vec![3]);
    assert!(f.message.contains("20 cells"));
    assert_eq!(file_finding(&out, "short-rows-read").unwrap().1, vec![6]);
    let (out, _) = file_findings("unclosed_quote.csv");
    let f = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "malformed-row")
        .unwrap();
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), vec![28]);
    assert!(f.message.contains("never ends"), "{}", f.message);
    // The stray quote swallows the line end of its own row only: 0 more lines.
    assert!(f.message.contains("(0 more lines)"), "{}", f.message);
    // A stray quote in the last row, then two more lines: all one cell.
    let sample_text = String::from_utf8(sample("es003_importer_standard.csv")).unwrap();
    let at = sample_text.rfind("NO,N,Unliquidated,").unwrap();
    let mut text = sample_text.clone();
    text.replace_range(at..at + 3, "NO,\"");
    text.push_str("XQ710044773,01,9\r\nXQ710044773,01,10\r\n");
    let out = audit_bytes(text.as_bytes(), settings());
    let f = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "malformed-row")
        .unwrap();
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), vec![27]);
    assert!(f.message.contains("(2 more lines)"), "{}", f.message);
}

#[test]
fn every_data_row_is_used_or_reported() {
    for name in ["ragged.csv", "unclosed_quote.csv", "cr_only.csv"] {
        let (out, _) = file_findings(name);
        let file = &out.report.files[0];
        let reported: usize = file
            .findings
            .iter()
            .filter(|f| f.code.as_str() == "malformed-row")
            .map(|f| f.rows.len())
            .sum();
        let data_rows = file.rows as usize - 1;
        let bytes = std::fs::read(data(&format!("bad/{name}"))).unwrap();
        let mut audit = cape_check::Audit::new(settings());
        audit.feed(&bytes);
        audit.end_file();
        let rows_used = audit.rows_read() as usize;
        assert_eq!(
            rows_used + reported,
            data_rows,
            "{name}: {rows_used} used + {reported} reported"
        );
    }
}

#[test]
fn a_50_mb_single_line_does_not_panic_or_hold_memory() {
    let line = vec![b'A'; 50 << 20];
    let out = audit_files(&[("one-line.csv", &line)], settings(), 1 << 20);
    assert_eq!(file_codes(&out), ["no-header-row"]);
    // The same line after a good header is one oversized row, reported.
    let mut bytes = b"Entry Summary Number,HTS Number - Full,Line Tariff Duty Amount\r\n".to_vec();
    bytes.extend_from_slice(&line);
    bytes.extend_from_slice(b"\r\nXQ710042173,99030269,$5.00\r\n");
    let out = audit_files(&[("long-row.csv", &bytes)], settings(), 1 << 20);
    let f = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "malformed-row")
        .unwrap();
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), vec![2]);
    assert_eq!(out.report.entries.len(), 1);
}

#[test]
fn random_bytes_of_every_kind_never_panic() {
    let mut state = 0x1234_5678_9ABC_DEF0u64;
    let pieces: [&[u8]; 12] = [
        b",",
        b";",
        b"\t",
        b"\"",
        b"\r",
        b"\n",
        b"XQ710042173",
        b"99030124",
        b"$1,000.00",
        b"Entry Summary Number",
        b"\xFF\xFE",
        b"\xE9",
    ];
    for _ in 0..400 {
        let mut bytes = Vec::new();
        if state % 3 == 0 {
            bytes.extend_from_slice(b"Entry Summary Number,HTS Number - Full,Line Tariff Duty Amount,Entry Type Code\r\n");
        }
        for _ in 0..(state % 200) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.extend_from_slice(pieces[(state % pieces.len() as u64) as usize]);
        }
        let a = audit_files(&[("fuzz.csv", &bytes)], settings(), 0);
        let b = audit_files(&[("fuzz.csv", &bytes)], settings(), 3);
        assert_eq!(json(&a), json(&b));
    }
}

#[test]
fn concatenated_exports_repeat_the_header_without_a_fake_entry() {
    let one = sample("es003_importer_standard.csv");
    let mut both = one.clone();
    both.extend_from_slice(&one);
    let out = audit_bytes(&both, settings());
    assert_eq!(
        out.report.entries.len(),
        10,
        "the repeated header is no entry"
    );
    let f = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.message.contains("header row appears again"))
        .unwrap();
    assert_eq!(f.rows.iter().collect::<Vec<_>>(), vec![28]);
    assert_eq!(
        out.report.entries[0].ieepa_duty.to_string(),
        "2900.00",
        "the repeated rows count once"
    );
}
