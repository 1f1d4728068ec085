//! A seeded mutation fuzzer over every sample, bad file, declaration,
//! Claim Details and real-shaped fixture: each mutated input is audited
//! whole, in random chunkings and in two to four parts at random line
//! starts, and must give identical outcomes, never panic, write
//! declarations of valid numbers only, a findings.csv Excel cannot run,
//! and a text summary free of control characters.
//!
//! `cargo test --test fuzz` runs a fixed budget of inputs (part of
//! scripts/test). A longer run on demand:
//! `CAPE_CHECK_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored`.

mod common;
use cape_check::generate::Rng;
use cape_check::split::feed_in_parts;
use cape_check::values::entry_number::EntryNumber;
use cape_check::{Audit, Outcome};
use common::*;
use std::time::{Duration, Instant};

/// The header is decided on this many bytes, so that small files split.
const SNIFF: usize = 512;

/// Bytes that matter to a CSV reader, an entry number or a workbook.
const SPICE: &[&[u8]] = &[
    b"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xFF",
    b"\xEF\xBB\xBF",
    b"=\"",
    b"\"\"",
    b"\xE2\x80\x8B",
    b"\x1B[2J",
    b"\xC2\x9B",
    b"-",
    b"1.6E+10",
    b"9903.01.24",
    b"Entry Summary Number",
    b"PK\x03\x04",
];

/// One to four random edits of `bytes`.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.index(4) {
        let at = rng.index(out.len() + 1);
        match rng.index(7) {
            0 if !out.is_empty() => {
                let i = rng.index(out.len());
                out[i] ^= 1 << rng.index(8);
            }
            1 => {
                let spice = SPICE[rng.index(SPICE.len())];
                out.splice(at..at, spice.iter().copied());
            }
            2 => {
                let end = (at + rng.index(64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let end = (at + rng.index(256)).min(out.len());
                let copy = out[at..end].to_vec();
                let to = rng.index(out.len() + 1);
                out.splice(to..to, copy);
            }
            4 => out.truncate(at),
            5 => {
                // A line repeated elsewhere (overlapping exports).
                let lines: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
                if lines.len() > 1 {
                    let line = lines[rng.index(lines.len())].to_vec();
                    let to = rng.index(out.len() + 1);
                    out.splice(to..to, line);
                }
            }
            _ => {
                let b = rng.index(256) as u8;
                out.insert(at.min(out.len()), b);
            }
        }
    }
    out
}

fn audit_chunked(name: &str, bytes: &[u8], chunks: &mut Rng, sniff: Option<usize>) -> Outcome {
    let mut audit = Audit::new(settings());
    if let Some(sniff) = sniff {
        audit = audit.with_sniff_prefix(sniff);
    }
    audit.begin_file(name);
    let mut at = 0;
    while at < bytes.len() {
        let largest = if chunks.index(4) == 0 { 8 } else { 70_000 };
        let size = 1 + chunks.index(largest);
        let end = (at + size).min(bytes.len());
        audit.feed(&bytes[at..end]);
        at = end;
    }
    audit.finish()
}

/// What the checks saw, so that none of them is vacuous.
#[derive(Default, Debug)]
struct Seen {
    joined: usize,
    declared: usize,
    streamed: usize,
    findings: usize,
}

/// Checks one input; `what` names it in failures.
fn check(name: &str, bytes: &[u8], rng: &mut Rng, what: &str, seen: &mut Seen) {
    let whole = audit_files(&[(name, bytes)], settings(), 0);
    let chunked = audit_chunked(name, bytes, rng, None);
    assert_same_outcome(&chunked, &whole, &format!("{what}: chunked"));
    let sniffed = {
        let mut audit = Audit::new(settings()).with_sniff_prefix(SNIFF);
        audit.begin_file(name);
        audit.feed(bytes);
        audit.finish()
    };
    // Two to four parts at random cuts: mutated quotes and line ends fall
    // inside parts and across cuts.
    let cuts: Vec<usize> = (0..1 + rng.index(3))
        .map(|_| rng.index(bytes.len() + 1))
        .collect();
    let mut audit = Audit::new(settings()).with_sniff_prefix(SNIFF);
    seen.joined += feed_in_parts(&mut audit, name, bytes, &cuts);
    let how = format!("{what}: in parts cut at {cuts:?}");
    assert_same_outcome(&audit.finish(), &sniffed, &how);
    assert_outputs_safe(&whole, what);
    // One input in four: the command line's streamed report is the held one.
    if rng.index(4) == 0 {
        let mut varied = settings();
        varied.include_review = rng.index(2) == 0;
        varied.per_importer = rng.index(2) == 0;
        assert_streamed_same(&[(name, bytes)], varied, what);
        seen.streamed += 1;
    }
    seen.declared += usize::from(!whole.declarations.is_empty());
    seen.findings += whole
        .report
        .entries
        .iter()
        .map(|e| e.findings.len())
        .sum::<usize>();
}

fn assert_outputs_safe(out: &Outcome, what: &str) {
    for declaration in &out.declarations {
        let text = std::str::from_utf8(&declaration.bytes).expect("ASCII declaration");
        let mut lines = text.split_terminator("\r\n");
        assert_eq!(lines.next(), Some("Entry Number"), "{what}");
        for line in lines {
            assert!(
                EntryNumber::parse(line).is_some(),
                "{what}: declared {line:?}"
            );
        }
    }
    let csv = String::from_utf8(out.findings_csv.clone()).expect("UTF-8 findings.csv");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
    for record in reader.records() {
        for cell in record.expect("findings.csv is CSV").iter() {
            assert!(excel_cell_is_safe(cell), "{what}: cell {cell:?}");
        }
    }
    let text = out.report.text_summary();
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{what}: text summary holds {bad:?}");
}

/// Mutates every input in turn until `budget` inputs or `time` are spent.
fn fuzz(seed: u64, budget: usize, time: Duration, seen: &mut Seen) -> usize {
    let inputs = fixtures();
    assert!(inputs.len() >= 30, "fixtures missing: {}", inputs.len());
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut done = 0;
    while done < budget && started.elapsed() < time {
        let (name, bytes) = &inputs[done % inputs.len()];
        let mutated = mutate(bytes, &mut rng);
        let what = format!("seed {seed}, input {done} ({name})");
        check(name, &mutated, &mut rng, &what, seen);
        done += 1;
    }
    done
}

#[test]
fn mutated_inputs_agree_in_every_reading_and_stay_safe() {
    // Every unmutated input first.
    let mut rng = Rng(1);
    let mut seen = Seen::default();
    for (name, bytes) in fixtures() {
        check(&name, &bytes, &mut rng, &name, &mut seen);
    }
    let done = fuzz(20_261_202, 60_000, Duration::from_secs(600), &mut seen);
    assert_eq!(done, 60_000);
    // The checks had something to check: joins, declarations, findings.
    assert!(seen.joined > 1_000 && seen.declared > 1_000, "{seen:?}");
    assert!(seen.streamed > 10_000, "{seen:?}");
    assert!(seen.findings > 20_000, "{seen:?}");
}

#[test]
#[ignore = "long: CAPE_CHECK_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored"]
fn fuzz_for_as_long_as_asked() {
    let seconds = std::env::var("CAPE_CHECK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("CAPE_CHECK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0xC0FFEE, |d| d.as_nanos() as u64)
        });
    let mut seen = Seen::default();
    let done = fuzz(seed, usize::MAX, Duration::from_secs(seconds), &mut seen);
    println!("{seen:?}");
    println!("seed {seed}: {done} mutated inputs checked in {seconds} s");
    assert!(done > 0);
}
