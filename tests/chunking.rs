//! Chunk boundaries: every fixture fed in chunks of 1, 2, 3, 7, 64 and 4096
//! bytes, and whole, gives an identical report and identical files. This is
//! the bug class that ships in popular JavaScript CSV parsers.

mod common;
use cape_check::generate::{generate, GeneratorSettings};
use common::*;

const CHUNKS: [usize; 6] = [1, 2, 3, 7, 64, 4096];

fn assert_same_in_every_chunking(name: &str, bytes: &[u8], chunks: &[usize]) {
    let whole = audit_files(&[(name, bytes)], settings(), 0);
    for &chunk in chunks {
        let out = audit_files(&[(name, bytes)], settings(), chunk);
        assert_same_outcome(&out, &whole, &format!("{name} in chunks of {chunk}"));
    }
}

#[test]
fn every_fixture_in_every_chunk_size() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 24, "fixtures missing: {}", fixtures.len());
    for (name, bytes) in &fixtures {
        assert_same_in_every_chunking(name, bytes, &CHUNKS);
    }
}

#[test]
fn generated_file_larger_than_the_sniffing_prefix() {
    // Over 1 MiB, so the delimiter and header decision and the hand-over to
    // the row reader happen at every possible cut.
    let mut bytes = Vec::new();
    generate(
        &GeneratorSettings {
            entries: 1_200,
            seed: 11,
            lines_per_entry: 3,
        },
        &mut bytes,
    )
    .unwrap();
    assert!(bytes.len() > 1 << 20, "{}", bytes.len());
    assert_same_in_every_chunking("generated.csv", &bytes, &[1, 3, 7, 64, 4096, 1 << 20]);
    // The same file as UTF-16LE with BOM: odd chunks split code units.
    let text = String::from_utf8(bytes).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_same_in_every_chunking("generated-utf16.csv", &utf16, &[1, 3, 4096, 65_537]);
    let as_utf8 = audit_files(&[("a", text.as_bytes())], settings(), 0);
    let as_utf16 = audit_files(&[("a", &utf16)], settings(), 0);
    assert_eq!(
        serde_json::to_value(&as_utf8.report.entries).unwrap(),
        serde_json::to_value(&as_utf16.report.entries).unwrap()
    );
}

/// Feeds `bytes` whole, then in two chunks split at every byte, with the
/// header decided on the first `sniff` bytes: every outcome is the same.
fn assert_same_at_every_cut(name: &str, bytes: &[u8], sniff: usize) {
    let run = |cut: Option<usize>| {
        let mut audit = cape_check::Audit::new(settings()).with_sniff_prefix(sniff);
        audit.begin_file(name);
        match cut {
            None => audit.feed(bytes),
            Some(at) => {
                audit.feed(&bytes[..at]);
                audit.feed(&bytes[at..]);
            }
        }
        audit.finish()
    };
    let whole = run(None);
    for at in 0..=bytes.len() {
        assert_same_outcome(&run(Some(at)), &whole, &format!("{name} cut at byte {at}"));
    }
}

#[test]
fn a_bom_file_is_decided_on_the_same_bytes_however_it_is_cut() {
    // The header's line ends 2 bytes past the first 64 bytes of the file,
    // BOM included: it is outside what is decided on, whatever the cuts.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(format!("{:<49}\n", "Declaration for a test importer").as_bytes());
    bytes.extend_from_slice(b"Entry Number\nXQ710042173\nXQ710043916\n");
    assert_eq!(bytes.iter().position(|&b| b == b'N').unwrap(), 59);
    assert_same_at_every_cut("bom.csv", &bytes, 64);
    assert_same_at_every_cut("bom.csv", &bytes, 66);
}

#[test]
fn a_binary_file_reads_no_rows_however_it_is_cut() {
    let mut bytes = b"Entry Number\nXQ710042173\nXQ710043916\n".to_vec();
    bytes.extend_from_slice(&[0, 1, 2, 3]);
    bytes.extend_from_slice(b"\nmore text\n");
    assert_same_at_every_cut("random.bin", &bytes, 48);
    let out = audit_files(&[("random.bin", &bytes)], settings(), 5);
    assert_eq!(out.report.files[0].rows, 0);
    assert_eq!(file_codes(&out)[0], "unreadable-file");
}
