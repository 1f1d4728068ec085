//! Workbooks that are small as files but would expand far past what a real
//! export needs once opened (issue 12): each is refused with a clear
//! finding (`unreadable-file`), and the command exits 1 without aborting.
//! The committed ones are written by tests/data/make_xlsx_limits.py; the
//! ones over 100 KB, or that need a hand-made ZIP directory, are built here.
//! Memory is measured by hand (`/usr/bin/time -v`), never asserted.
#![cfg(feature = "xlsx")]

mod common;
use cape_check::read::workbook::{MAX_ITEM_BYTES, MAX_PARTS, MAX_PART_BYTES};
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn limits(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("xlsx/limits/{name}"))).unwrap()
}

/// The one file finding of a workbook audited alone, in chunks of `chunk`.
fn refusal(name: &str, bytes: &[u8], chunk: usize) -> String {
    let out = audit_files(&[(name, bytes)], settings(), chunk);
    let file = &out.report.files[0];
    assert_eq!(file.kind, None, "{name}");
    assert_eq!(file.findings.len(), 1, "{name}: {:?}", file.findings);
    let f = &file.findings[0];
    assert_eq!(f.code.as_str(), "unreadable-file", "{name}");
    assert!(out.report.entries.is_empty(), "{name}");
    f.message.clone()
}

/// What every refusal says, whatever the limit: the file, what to do, and
/// none of the reader's own words.
fn assert_plain(name: &str, message: &str) {
    assert!(message.starts_with(&format!("'{name}' is ")), "{message}");
    assert!(message.contains("CSV"), "{message}");
    for jargon in [
        "EOCD",
        "Zip error",
        "Xml error",
        "I/O error",
        "File not found",
        "calamine",
    ] {
        assert!(!message.contains(jargon), "{jargon}: {message}");
    }
}

/// The committed crafted workbooks, with what their finding says.
const CRAFTED: [(&str, &[&str]); 11] = [
    (
        "sheet_whitespace.xlsx",
        &[
            "single cell or piece of text",
            "more than 16 MB",
            "its sheet data",
            "xl/worksheets/sheet1.xml",
        ],
    ),
    (
        "shared_string_huge.xlsx",
        &[
            "single cell or piece of text",
            "its table of shared texts",
            "'xl/sharedStrings.xml'",
        ],
    ),
    (
        "shared_string_rich.xlsx",
        &["single cell or piece of text", "its table of shared texts"],
    ),
    (
        "unique_count.xlsx",
        &["more than 1024 MB of memory", "its table of shared texts"],
    ),
    (
        "styles_clones.xlsx",
        &[
            "more than 1024 MB of memory",
            "its cell formats",
            "'xl/styles.xml'",
        ],
    ),
    ("deep.xlsx", &["damaged workbook"]),
    ("sizes_lie.xlsx", &["damaged workbook", "cut short"]),
    (
        "declared_huge.xlsx",
        &["expands to more than 4000 MB", "its sheet data", "alone"],
    ),
    (
        "unsupported_compression.xlsx",
        &["compressed in a way Excel does not use"],
    ),
    ("not_a_workbook.xlsx", &["holds no Excel workbook"]),
    ("../damaged.xlsx", &["damaged workbook"]),
];

#[test]
fn crafted_workbooks_are_refused_with_a_clear_finding() {
    for (file, says) in CRAFTED {
        let bytes = limits(file);
        let name = file.trim_start_matches("../");
        let message = refusal(name, &bytes, 0);
        assert_plain(name, &message);
        for words in says {
            assert!(message.contains(words), "{file}: {words:?} in {message}");
        }
        // However the file arrives.
        for chunk in [4096, 777] {
            assert_eq!(
                refusal(name, &bytes, chunk),
                message,
                "{file} in chunks of {chunk}"
            );
        }
    }
}

#[test]
fn the_control_workbook_is_read_like_its_csv() {
    let from_csv = audit_bytes(&sample("es003_importer_standard.csv"), settings());
    let out = audit_files(&[("control.xlsx", &limits("control.xlsx"))], settings(), 0);
    assert_eq!(out.report.files[0].kind, Some("es003"));
    assert_eq!(
        serde_json::to_value(&out.report.entries).unwrap(),
        serde_json::to_value(&from_csv.report.entries).unwrap()
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cape-check-xlsx-limits-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cape-check audit FILE`: exits 1 (the file could not be used), with the
/// finding on standard output, never aborting or panicking.
fn assert_cli_refuses(file: &Path, says: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_cape-check"))
        .args([
            "audit",
            file.to_str().unwrap(),
            "--ior",
            IOR,
            "--as-of",
            AS_OF,
        ])
        .output()
        .expect("run cape-check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A process killed by a signal (an abort when memory runs out) has no
    // exit code.
    assert_eq!(out.status.code(), Some(1), "{file:?}: {stderr}");
    assert!(stdout.contains("unreadable-file"), "{file:?}: {stdout}");
    assert!(stdout.contains(says), "{file:?}: {says:?} in {stdout}");
    assert!(!stderr.contains("panicked"), "{file:?}: {stderr}");
    assert!(!stderr.contains("memory allocation"), "{file:?}: {stderr}");
}

#[test]
fn the_command_exits_1_on_each_without_aborting() {
    for (file, says) in CRAFTED {
        assert_cli_refuses(&data(&format!("xlsx/limits/{file}")), says[0]);
    }
    let dir = temp_dir("cli");
    for (name, bytes, says) in [
        (
            "many_parts.xlsx",
            many_parts(),
            "ZIP archive of more than 10,000 files",
        ),
        (
            "zip64_5gib.xlsx",
            zip64_huge_sheet(),
            "expands to more than 4000 MB",
        ),
        ("encrypted.xlsx", encrypted(), "encrypted with a password"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_cli_refuses(&path, says);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

// A workbook written by hand, with the parts a reader needs, stored (not
// compressed) in a ZIP archive whose directory the tests can bend.

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Main Report" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A cell: inline text, or an index into the shared strings.
enum Cell<'a> {
    Text(&'a str),
    Shared(usize),
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn column(mut i: usize) -> String {
    let mut name = Vec::new();
    i += 1;
    while i > 0 {
        name.push(b'A' + ((i - 1) % 26) as u8);
        i = (i - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

fn sheet(rows: &[Vec<Cell<'_>>]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, cells) in rows.iter().enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in cells.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            match cell {
                Cell::Text(t) => xml.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    escape(t)
                )),
                Cell::Shared(i) => xml.push_str(&format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>")),
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

fn shared_strings(strings: &[&str]) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
        strings.len()
    );
    for s in strings {
        xml.push_str(&format!("<si><t>{}</t></si>", escape(s)));
    }
    xml.push_str("</sst>");
    xml
}

/// The parts of a workbook with this sheet and these shared strings.
fn parts(sheet: String, strings: String) -> Vec<(String, Vec<u8>)> {
    [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("xl/workbook.xml", WORKBOOK.to_string()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_string()),
        ("xl/sharedStrings.xml", strings),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    .into_iter()
    .map(|(n, c)| (n.to_string(), c.into_bytes()))
    .collect()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// How the directory entry of a part is bent.
#[derive(Clone, Copy, Default)]
struct Bend {
    /// Declares this uncompressed size through a ZIP64 extra field.
    zip64_size: Option<u64>,
    /// Sets the "encrypted" flag.
    encrypted: bool,
}

/// A stored ZIP archive of these parts; `bend` bends the entry of the part
/// of that name.
fn zip(parts: &[(String, Vec<u8>)], bend: Option<(&str, Bend)>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in parts {
        let how = match bend {
            Some((bent, how)) if bent == name => how,
            _ => Bend::default(),
        };
        let flags: u16 = if how.encrypted { 1 } else { 0 };
        let crc = crc32(data);
        let size = data.len() as u32;
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        for v in [20u16, flags, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        let mut extra = Vec::new();
        let mut declared = size;
        if let Some(big) = how.zip64_size {
            declared = u32::MAX;
            extra.extend_from_slice(&1u16.to_le_bytes());
            extra.extend_from_slice(&8u16.to_le_bytes());
            extra.extend_from_slice(&big.to_le_bytes());
        }
        directory.extend_from_slice(b"PK\x01\x02");
        for v in [45u16, 45, flags, 0, 0, 0] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, declared] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name.len() as u16, extra.len() as u16, 0, 0, 0] {
            directory.extend_from_slice(&v.to_le_bytes());
        }
        directory.extend_from_slice(&0u32.to_le_bytes());
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
        directory.extend_from_slice(&extra);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&directory);
    // The end of the directory (ZIP64's when there are more parts than a
    // 16-bit count holds).
    let count = parts.len() as u64;
    if count >= 0xFFFF {
        let at = out.len() as u64;
        out.extend_from_slice(b"PK\x06\x06");
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&45u16.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for v in [count, count, directory.len() as u64, u64::from(start)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(b"PK\x06\x07");
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    let short = count.min(0xFFFF) as u16;
    out.extend_from_slice(b"PK\x05\x06");
    for v in [0u16, 0, short, short] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The header row and ten rows of an ES-003, as text cells.
fn es003_rows() -> Vec<Vec<String>> {
    let csv = String::from_utf8(es003(&vec![Row::default(); 10])).unwrap();
    csv.lines()
        .map(|line| {
            // The sample's cells hold no commas once the duty's quotes go.
            let line = line.replace("\"$2,000.00\"", "$2000.00");
            line.split(',').map(str::to_string).collect()
        })
        .collect()
}

fn text_rows(rows: &[Vec<String>]) -> Vec<Vec<Cell<'_>>> {
    rows.iter()
        .map(|r| r.iter().map(|c| Cell::Text(c)).collect())
        .collect()
}

fn many_parts() -> Vec<u8> {
    let rows = es003_rows();
    let mut all = parts(sheet(&text_rows(&rows)), shared_strings(&[]));
    for i in 0..MAX_PARTS {
        all.push((format!("xl/media/empty{i}.txt"), Vec::new()));
    }
    zip(&all, None)
}

fn zip64_huge_sheet() -> Vec<u8> {
    let rows = es003_rows();
    let bend = Bend {
        zip64_size: Some(5 << 30),
        ..Bend::default()
    };
    zip(
        &parts(sheet(&text_rows(&rows)), shared_strings(&[])),
        Some(("xl/worksheets/sheet1.xml", bend)),
    )
}

fn encrypted() -> Vec<u8> {
    let rows = es003_rows();
    let bend = Bend {
        encrypted: true,
        ..Bend::default()
    };
    zip(
        &parts(sheet(&text_rows(&rows)), shared_strings(&[])),
        Some(("xl/worksheets/sheet1.xml", bend)),
    )
}

#[test]
fn the_hand_made_workbook_is_read() {
    // The builder itself: its workbook is an ES-003 of ten rows, one entry.
    let rows = es003_rows();
    let book = zip(&parts(sheet(&text_rows(&rows)), shared_strings(&[])), None);
    let out = audit_files(&[("hand.xlsx", &book)], settings(), 0);
    assert_eq!(
        out.report.files[0].kind,
        Some("es003"),
        "{:?}",
        out.report.files[0].findings
    );
    assert_eq!(out.report.files[0].rows, 11);
    assert_eq!(out.report.entries.len(), 1);
}

#[test]
fn more_parts_than_any_workbook_are_refused_before_they_are_listed() {
    let message = refusal("many.xlsx", &many_parts(), 0);
    assert_plain("many.xlsx", &message);
    assert!(message.contains("more than 10,000 files"), "{message}");
}

#[test]
fn a_sheet_that_declares_5_gib_through_zip64_is_refused_unread() {
    const { assert!(5 << 30 > MAX_PART_BYTES) };
    let message = refusal("big.xlsx", &zip64_huge_sheet(), 0);
    assert_plain("big.xlsx", &message);
    assert!(message.contains("more than 4000 MB"), "{message}");
    assert!(message.contains("'xl/worksheets/sheet1.xml'"), "{message}");
}

#[test]
fn encrypted_parts_say_so() {
    let message = refusal("locked.xlsx", &encrypted(), 0);
    assert_plain("locked.xlsx", &message);
    assert!(message.contains("encrypted with a password"), "{message}");
}

#[test]
fn large_cells_within_the_limits_are_read() {
    // A 100 KB text (Excel's largest cell, escaped, is about 200 KB) in a
    // cell of its own column: read, and the row is used.
    let mut rows = es003_rows();
    let long = "x".repeat(100_000);
    rows[0].push("Notes".to_string());
    rows[1].push(long.clone());
    let mut cells = text_rows(&rows);
    for row in cells.iter_mut().skip(2) {
        row.push(Cell::Text(""));
    }
    let book = zip(&parts(sheet(&cells), shared_strings(&[])), None);
    let out = audit_files(&[("long.xlsx", &book)], settings(), 0);
    assert_eq!(out.report.files[0].kind, Some("es003"));
    assert!(
        !file_codes(&out).contains(&"malformed-row"),
        "{:?}",
        file_codes(&out)
    );
    assert_eq!(out.report.entries.len(), 1);
}

#[test]
fn a_row_longer_than_a_record_is_not_used_and_the_rest_is_read() {
    // Row 3's cells show one shared string of 1 MB each in every column
    // past the ES-003's: it is longer than any row of CSV may be, so it is
    // reported like one (and its cells are never copied: 4,000 copies of
    // the string would take 4 GB).
    const { assert!(1 << 20 < MAX_ITEM_BYTES) };
    let rows = es003_rows();
    let big = "y".repeat(1 << 20);
    let mut strings: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    strings.push(&big);
    let mut cells = text_rows(&rows);
    cells[0] = (0..rows[0].len()).map(Cell::Shared).collect();
    for _ in 0..4000 {
        cells[2].push(Cell::Shared(rows[0].len()));
    }
    let book = zip(&parts(sheet(&cells), shared_strings(&strings)), None);
    let out = audit_files(&[("wide.xlsx", &book)], settings(), 0);
    assert_eq!(out.report.files[0].kind, Some("es003"));
    let malformed = out.report.files[0]
        .findings
        .iter()
        .find(|f| f.code.as_str() == "malformed-row")
        .expect("the long row is reported");
    assert!(
        malformed
            .message
            .starts_with("Row 3 of 'wide.xlsx' is longer than"),
        "{}",
        malformed.message
    );
    assert_eq!(out.report.entries.len(), 1);
}

#[test]
fn a_directory_end_repeated_is_refused_before_zip_looks_for_it() {
    // zip notes the position of every ZIP64 directory-end signature it
    // meets while looking for the directory: 8 bytes for each 4 of them.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(b"PK\x06\x06".repeat(50_000));
    bytes.extend_from_slice(b"PK\x06\x07");
    bytes.extend_from_slice(&[0; 16]);
    bytes.extend_from_slice(
        b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0",
    );
    let message = refusal("ends.xlsx", &bytes, 0);
    assert_plain("ends.xlsx", &message);
    assert!(message.contains("damaged workbook"), "{message}");
}

#[test]
fn cell_references_past_excel_s_grid_never_panic() {
    // A damaged sheet can name any cell: columns of many letters and rows
    // past u32 overflow calamine's reference parser (it wraps in release
    // builds and panics in debug ones, where overflow is checked), and row
    // u32::MAX is one below no row at all. Every row is still accounted for.
    let rows = es003_rows();
    let good = sheet(&text_rows(&rows));
    for bad in [
        "AAAAAAAAAAAAAAAAAAAA2",
        "A99999999999999999999",
        "ZZZZZZZ4294967295",
        "A4294967296",
        "A0",
    ] {
        let xml = good.replacen("r=\"A2\"", &format!("r=\"{bad}\""), 1);
        let book = zip(&parts(xml, shared_strings(&[])), None);
        let out = audit_files(&[("odd.xlsx", &book)], settings(), 0);
        let file = &out.report.files[0];
        // Read (the odd cell lands in no column the ES-003 has), or
        // refused whole as damaged: never a panic, never rows lost silently.
        let refused = file.findings.iter().any(|f| {
            f.code.as_str() == "unreadable-file" && f.message.contains("damaged workbook")
        });
        assert!(
            refused || file.rows >= 10,
            "{bad}: {} rows {:?}",
            file.rows,
            file.findings
        );
    }
}
