//! One file read in parts (the browser's workers, the benchmark's threads)
//! gives exactly the report, declarations and findings.csv of reading it in
//! one go, wherever it is cut and into however many parts; and joins happen
//! where they can, so the fast path is tested too, not only the fall-back.

mod common;
use cape_check::generate::{generate, GeneratorSettings, Rng};
use cape_check::split::{feed_in_parts, feed_in_two_parts, JoinRefused};
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
        (
            "excel_pairs",
            "importer_standard.no_trailing_delimiters.csv",
        ),
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
    let joined = audit.finish();
    assert_eq!(
        json(&joined),
        json_as_joined(&whole_with(bytes, 200), &joined)
    );
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
    let joined = audit.finish();
    assert_eq!(
        json(&joined),
        json_as_joined(&whole("generated.csv", &bytes), &joined)
    );
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

/// What a sweep of cut sets saw, so that none of its checks is vacuous.
#[derive(Debug, Default)]
struct Joins {
    /// Files read in parts (one cut set each).
    runs: usize,
    /// Parts joined, over all runs.
    parts: usize,
    /// Runs in which two parts or more were joined one after the other.
    chained: usize,
}

/// How many cut sets of each number of parts a file gets (a tenth of them
/// in a quick run).
fn cut_sets(full: usize) -> usize {
    if quick() {
        full.div_ceil(10)
    } else {
        full
    }
}

/// `parts - 1` cuts of `bytes`, each drawn one of several ways so that a
/// set mixes them: any byte, a line start (inside a quoted cell or not),
/// the line after the previous cut (adjacent lines), the previous cut again
/// (an empty part), the header region, the last line (an empty last part).
/// A cut is moved to the start of the line after the first line end at or
/// after it ([`feed_in_parts`]): `start - 1` lands on `start`.
fn random_cuts(bytes: &[u8], line_starts: &[usize], parts: usize, rng: &mut Rng) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::with_capacity(parts);
    for _ in 1..parts {
        let cut = match (rng.index(8), cuts.last().copied()) {
            (0, Some(at)) => at,
            // Where `at` lands, moved on again: the part is one line.
            (1, Some(at)) => line_starts
                .get(line_starts.partition_point(|&s| s <= at))
                .copied()
                .unwrap_or(at),
            (2, _) => rng.index(SNIFF.min(bytes.len()) + 1),
            (3, _) => bytes.len().saturating_sub(1 + rng.index(2)),
            (4 | 5, _) => rng.index(bytes.len() + 1),
            _ if !line_starts.is_empty() => line_starts[rng.index(line_starts.len())] - 1,
            _ => rng.index(bytes.len() + 1),
        };
        cuts.push(cut);
    }
    cuts
}

/// Reads `bytes` in 2 to 8 parts at `sets` random cut sets each, with the
/// header decided on `sniff` bytes, and compares every outcome with the
/// whole read's.
fn assert_same_in_any_parts(
    name: &str,
    bytes: &[u8],
    sniff: usize,
    sets: usize,
    seed: u64,
) -> Joins {
    let expected = whole_with_name(name, bytes, sniff);
    let line_starts: Vec<usize> = (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n')
        .map(|i| i + 1)
        .collect();
    let mut rng = Rng(seed);
    let mut seen = Joins::default();
    for parts in 2..=8 {
        for _ in 0..cut_sets(sets) {
            let cuts = random_cuts(bytes, &line_starts, parts, &mut rng);
            let mut audit = Audit::new(settings()).with_sniff_prefix(sniff);
            let joined = feed_in_parts(&mut audit, name, bytes, &cuts);
            let how = format!("{name} (sniff {sniff}) in {parts} parts cut at {cuts:?}");
            assert_same_outcome(&audit.finish(), &expected, &how);
            seen.runs += 1;
            seen.parts += joined;
            seen.chained += usize::from(joined >= 2);
        }
    }
    seen
}

fn whole_with_name(name: &str, bytes: &[u8], sniff: usize) -> Outcome {
    let mut audit = Audit::new(settings()).with_sniff_prefix(sniff);
    audit.begin_file(name);
    audit.feed(bytes);
    audit.end_file();
    audit.finish()
}

/// A seed for a file: the same name gives the same cut sets.
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    })
}

/// An export whose rows have a quoted remark over two lines, so that many
/// line starts are inside a quoted cell.
fn quoted_export() -> Vec<u8> {
    let header = "Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,Entry Summary Line Number,HTS Number - Full,Line Tariff Duty Amount,Remarks\n";
    let mut text = String::from(header);
    for i in 0..60 {
        // Three entries of ten lines, each line a Chapter 99 row and its
        // commodity row.
        let entry = ["XQ710042173", "XQ710030186", "XQ710011111"][i / 20];
        let line = i % 20 / 2 + 1;
        let hts = if i % 2 == 0 { "99030269" } else { "84713001" };
        text.push_str(&format!(
            "{entry},98-765432100,01,01/30/2026,{line},{hts},\"$1,{i:03}.00\",\"note {i}\nsecond line\"\n"
        ));
    }
    text.into_bytes()
}

#[test]
fn every_fixture_in_two_to_eight_parts_at_random_cuts() {
    let mut seen = Joins::default();
    for (name, bytes) in fixtures() {
        // Two header decisions: the tests' usual one, and one on a third
        // of the file, so that small files are split after their header.
        for sniff in [SNIFF, bytes.len() / 3 + 1] {
            let found =
                assert_same_in_any_parts(&name, &bytes, sniff, 100, seed_of(&name) ^ sniff as u64);
            seen.runs += found.runs;
            seen.parts += found.parts;
            seen.chained += found.chained;
        }
    }
    // Many fixtures cannot be read in parts at all (workbooks, UTF-16,
    // declarations, binary files): about two parts in five join overall.
    assert!(seen.parts > seen.runs / 4, "{seen:?}");
    assert!(seen.chained > seen.runs / 16, "{seen:?}");
}

#[test]
fn generated_exports_in_two_to_eight_parts_at_random_cuts() {
    let sorted = {
        let text = String::from_utf8(generated(120, 9, 4)).unwrap();
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let header = lines.remove(0);
        lines.sort_by_key(|line| line.split(',').rev().nth(3).unwrap_or("").to_string());
        format!("{header}{}", lines.concat()).into_bytes()
    };
    for (name, bytes, sets) in [
        ("generated.csv", generated(240, 5, 3), 120),
        ("one-line-entries.csv", generated(400, 21, 1), 80),
        ("sorted.csv", sorted, 80),
        ("quoted.csv", quoted_export(), 150),
    ] {
        let seen = assert_same_in_any_parts(
            name,
            &bytes,
            SNIFF.min(bytes.len() / 4),
            sets,
            seed_of(name),
        );
        // Every file joins some parts, and some runs join several in a row.
        assert!(seen.parts > 0 && seen.chained > 0, "{name}: {seen:?}");
    }
}

#[test]
fn a_large_file_in_four_parts_with_the_real_sniffing_prefix() {
    // As the browser would: the header decided on the first MiB, then
    // parts of about a quarter each, all joined in order.
    let bytes = generated(3_000, 11, 3);
    let expected = audit_files(&[("large.csv", &bytes)], settings(), 0);
    let quarter = bytes.len() / 4;
    for (cuts, joins) in [
        // The first quarter ends before the first MiB, where the header is
        // not decided yet: that part is read by the main audit.
        (vec![quarter, 2 * quarter, 3 * quarter], 2),
        (vec![(1 << 20) + 5, (1 << 20) + 300, bytes.len() - 100], 3),
        (vec![(1 << 20) + 5, 2 * quarter, 3 * quarter], 3),
    ] {
        let mut audit = Audit::new(settings());
        let joined = feed_in_parts(&mut audit, "large.csv", &bytes, &cuts);
        assert_eq!(joined, joins, "{cuts:?}");
        assert_same_outcome(&audit.finish(), &expected, &format!("cut at {cuts:?}"));
    }
}

#[test]
fn a_part_that_ends_inside_a_quoted_cell_is_refused_and_the_next_joins() {
    let bytes = quoted_export();
    let text = std::str::from_utf8(&bytes).unwrap();
    let line_after = |at: usize| at + text[at..].find('\n').unwrap() + 1;
    // c1 at a record's start; c2 inside the quoted remark of a later row
    // (the line start of "second line"); c3 at a record's start again.
    let c1 = line_after(text.find("note 20").unwrap()) + "second line\"\n".len();
    let c2 = line_after(text.find("note 30").unwrap());
    let c3 = line_after(c2);
    assert!(text[c1..].starts_with("XQ") && text[c3..].starts_with("XQ"));
    let mut audit = Audit::new(settings()).with_sniff_prefix(200);
    audit.begin_file("quoted.csv");
    audit.feed(&bytes[..c1]);
    let spec = audit.part_spec().expect("a spec once the header is read");
    let part = |from: usize, to: Option<usize>| {
        let mut helper = PartAudit::starting_at(&spec, from as u64).unwrap();
        helper.feed(&bytes[from..to.unwrap_or(bytes.len())]);
        assert_eq!(
            helper.bytes_read() as usize,
            to.unwrap_or(bytes.len()) - from
        );
        match to {
            Some(_) => helper.finish_at_cut(),
            None => helper.finish(),
        }
    };
    let (first, second, last) = (part(c1, Some(c2)), part(c2, Some(c3)), part(c3, None));
    // A part of another file of the audit is not this file's.
    audit.begin_file("other.csv");
    audit.feed(&bytes[..c1]);
    assert_eq!(audit.join_part(&first), Err(JoinRefused::NotAPart));
    let mut audit = Audit::new(settings()).with_sniff_prefix(200);
    audit.begin_file("quoted.csv");
    audit.feed(&bytes[..c1]);
    // Parts join in order: the last one is not where the bytes read end.
    assert_eq!(audit.join_part(&last), Err(JoinRefused::OutOfPlace));
    assert_eq!(audit.join_part(&first), Err(JoinRefused::PartEndsMidRecord));
    assert_eq!(
        JoinRefused::PartEndsMidRecord.to_string(),
        "the part ends inside a record"
    );
    // Refused: nothing changed; this audit reads the part itself, and is
    // then at c2, inside the quoted cell: the second part cannot join.
    audit.feed(&bytes[c1..c2]);
    assert_eq!(audit.join_part(&second), Err(JoinRefused::MidRecord));
    audit.feed(&bytes[c2..c3]);
    assert_eq!(audit.join_part(&last), Ok(()));
    assert_eq!(
        audit.join_part(&last),
        Err(JoinRefused::NotSplittable),
        "read to its end"
    );
    audit.end_file();
    assert_same_outcome(
        &audit.finish(),
        &whole_with_name("quoted.csv", &bytes, 200),
        "refused, then joined",
    );
    // Joined in a row when the cuts are at records' starts.
    let mut audit = Audit::new(settings()).with_sniff_prefix(200);
    let cuts = [c1 - 1, c3 - 1, c3 - 1];
    assert_eq!(feed_in_parts(&mut audit, "quoted.csv", &bytes, &cuts), 3);
    assert_same_outcome(
        &audit.finish(),
        &whole_with_name("quoted.csv", &bytes, 200),
        "joined in a row",
    );
}
