//! One file read in two parts (the browser's two workers) gives exactly the
//! report, declarations and findings.csv of reading it in one go, wherever
//! it is split; and joins happen where they can, so the fast path is tested
//! too, not only the fall-back.

mod common;
use cape_check::generate::{generate, GeneratorSettings};
use cape_check::split::{feed_in_two_parts, JoinRefused};
use cape_check::{Audit, Outcome, PartAudit};
use common::*;

/// The header is decided on this many bytes, so small files split too.
const SNIFF: usize = 2048;

fn whole(name: &str, bytes: &[u8]) -> Outcome {
    let mut audit = Audit::new(settings()).with_sniff_prefix(SNIFF);
    audit.begin_file(name);
    audit.feed(bytes);
    audit.end_file();
    audit.finish()
}

/// Splits at every `stride`-th byte (with `CAPE_CHECK_QUICK` set, at one
/// in [`QUICK_SAMPLE`] of those, spread by a hash: `scripts/test --quick`);
/// returns how many splits joined and how many fell back to one reader.
fn assert_same_at_every_split(name: &str, bytes: &[u8], stride: usize) -> (usize, usize) {
    let expected = whole(name, bytes);
    let (mut joined, mut refused) = (0, 0);
    for at in (0..bytes.len()).step_by(stride).filter(|&at| sampled(at)) {
        let mut audit = Audit::new(settings()).with_sniff_prefix(SNIFF);
        if feed_in_two_parts(&mut audit, name, bytes, at) {
            joined += 1;
        } else {
            refused += 1;
        }
        let how = format!("{name} split at byte {at}");
        assert_same_outcome(&audit.finish(), &expected, &how);
    }
    (joined, refused)
}

/// One split point in this many is tried in a quick run.
const QUICK_SAMPLE: usize = 16;

fn quick() -> bool {
    std::env::var_os("CAPE_CHECK_QUICK").is_some()
}

/// Whether split point `at` is tried: all of them, or a spread-out
/// sample in a quick run.
fn sampled(at: usize) -> bool {
    !quick() || (at as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60 == 0
}

/// A count of joins expected over every split point, scaled to the sample.
fn at_least(joins: usize) -> usize {
    if quick() {
        joins / QUICK_SAMPLE / 2
    } else {
        joins
    }
}

fn generated(entries: usize, seed: u64, lines: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    generate(
        &GeneratorSettings {
            entries,
            seed,
            lines_per_entry: lines,
        },
        &mut bytes,
    )
    .unwrap();
    bytes
}

#[test]
fn generated_export_with_every_finding_at_every_line() {
    // Every planted finding (repeats, conflicts, out-of-sequence lines,
    // unreadable cells, other importers...) falls on both sides of some split.
    let bytes = generated(240, 5, 3);
    let (joined, refused) = assert_same_at_every_split("generated.csv", &bytes, 7);
    assert!(
        joined > at_least(bytes.len() / 7 / 2),
        "joined only {joined} of {} splits",
        joined + refused
    );
    // Splits inside the header search, and inside entries whose halves
    // cannot join exactly, fall back.
    assert!(refused > 0);
}

#[test]
fn rows_in_any_order_join_or_fall_back_exactly() {
    // Sorted by HTS number instead of by entry: every entry has rows on
    // both sides of every split, with repeats and conflicts among them.
    let bytes = generated(120, 9, 4);
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let header = lines.remove(0);
    lines.sort_by_key(|line| line.split(',').rev().nth(3).unwrap_or("").to_string());
    let shuffled = format!("{header}{}", lines.concat());
    let (joined, refused) = assert_same_at_every_split("sorted.csv", shuffled.as_bytes(), 13);
    assert!(
        joined > 0 && refused > 0,
        "joined {joined}, refused {refused}"
    );
}

#[test]
fn samples_and_bad_files_at_every_byte() {
    let mut joined = 0;
    for (dir, name) in [
        ("samples", "es003_importer_standard.csv"),
        ("samples", "es003_broker_excel_resaved.csv"),
        ("samples", "es003_default_no_liquidation_with_preamble.csv"),
        ("bad", "ragged.csv"),
        ("bad", "unclosed_quote.csv"),
        ("bad", "lf_only.csv"),
        ("bad", "cr_only.csv"),
        ("bad", "european_semicolon_1252.csv"),
        ("bad", "utf16le_no_bom.csv"),
        ("real_shapes", "es003_ace_wrapped.csv"),
    ] {
        let bytes = std::fs::read(data(&format!("{dir}/{name}"))).unwrap();
        joined += assert_same_at_every_split(name, &bytes, 1).0;
    }
    assert!(joined > at_least(1000), "{joined}");
}

#[test]
fn a_split_inside_a_quoted_cell_is_refused() {
    let header = "Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,HTS Number - Full,Line Tariff Duty Amount,Remarks\n";
    let mut text = String::from(header);
    for i in 0..40 {
        text.push_str(&format!(
            "XQ710042173,98-765432100,01,01/30/2026,99030269,\"$1,000.00\",\"note {i}\nsecond line\"\n"
        ));
    }
    let bytes = text.as_bytes();
    let inside = text.find("second line").unwrap() - 1; // the quoted line end
    let mut audit = Audit::new(settings()).with_sniff_prefix(200);
    assert!(!feed_in_two_parts(&mut audit, "quoted.csv", bytes, inside));
    assert_eq!(json(&audit.finish()), json(&whole_with(bytes, 200)));
    let (joined, _) = assert_same_at_every_split("quoted.csv", bytes, 1);
    assert!(joined > 0);
}

fn whole_with(bytes: &[u8], sniff: usize) -> Outcome {
    let mut audit = Audit::new(settings()).with_sniff_prefix(sniff);
    audit.begin_file("quoted.csv");
    audit.feed(bytes);
    audit.end_file();
    audit.finish()
}

#[test]
fn damaged_or_foreign_parts_are_refused_without_harm() {
    let bytes = generated(60, 3, 3);
    let split = bytes.len() / 2
        + bytes[bytes.len() / 2..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap()
        + 1;
    let mut audit = Audit::new(settings()).with_sniff_prefix(SNIFF);
    audit.begin_file("generated.csv");
    audit.feed(&bytes[..split]);
    let spec = audit.part_spec().expect("a spec once the header is read");
    let mut helper = PartAudit::new(&spec).unwrap();
    helper.feed(&bytes[split..]);
    let part = helper.finish();
    assert!(PartAudit::new(b"not a spec").is_none());
    assert_eq!(audit.join_part(b""), Err(JoinRefused::Damaged));
    assert_eq!(
        audit.join_part(&part[..part.len() / 2]),
        Err(JoinRefused::Damaged)
    );
    let mut flipped = part.clone();
    flipped[0] ^= 1;
    assert_eq!(audit.join_part(&flipped), Err(JoinRefused::Damaged));
    // The real part still joins, once.
    assert_eq!(audit.join_part(&part), Ok(()));
    assert_eq!(audit.join_part(&part), Err(JoinRefused::NotSplittable));
    audit.end_file();
    assert_eq!(json(&audit.finish()), json(&whole("generated.csv", &bytes)));
}

#[test]
fn a_large_file_joins_with_the_real_sniffing_prefix() {
    // Over 1 MiB, as in the browser, and several files in one audit: the
    // second file's entries continue the first file's.
    let bytes = generated(3_000, 11, 3);
    assert!(bytes.len() > 3 << 20, "{}", bytes.len());
    let first = generated(300, 12, 3);
    let mut expected = Audit::new(settings());
    for (name, file) in [("first.csv", &first), ("large.csv", &bytes)] {
        expected.begin_file(name);
        expected.feed(file);
        expected.end_file();
    }
    let expected = expected.finish();
    for at in [(2 << 20) + 17, bytes.len() / 2, bytes.len() - 300] {
        let mut audit = Audit::new(settings());
        audit.begin_file("first.csv");
        audit.feed(&first);
        assert!(
            feed_in_two_parts(&mut audit, "large.csv", &bytes, at),
            "split at {at}"
        );
        assert_same_outcome(&audit.finish(), &expected, &format!("split at {at}"));
    }
}

#[test]
fn a_file_with_a_bom_can_be_split_after_its_first_mib() {
    // The browser asks for the spec after exactly the first MiB of the file:
    // a UTF-8 BOM (Excel's "CSV UTF-8") must not push the header decision
    // past it, or such files would always be read by one worker.
    let bytes = [&b"\xEF\xBB\xBF"[..], &generated(3_000, 13, 3)].concat();
    let mut audit = Audit::new(settings());
    audit.begin_file("bom.csv");
    audit.feed(&bytes[..1 << 20]);
    assert!(audit.part_spec().is_some(), "a spec after the first MiB");
    let expected = audit_files(&[("bom.csv", &bytes)], settings(), 1 << 16);
    let mut audit = Audit::new(settings());
    assert!(feed_in_two_parts(
        &mut audit,
        "bom.csv",
        &bytes,
        bytes.len() / 2
    ));
    assert_same_outcome(&audit.finish(), &expected, "BOM file split in the middle");
}
