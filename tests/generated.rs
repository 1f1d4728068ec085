//! The generator plants a known mix of every finding an ES-003 can produce;
//! the audit must find exactly what was planted, entry by entry.

mod common;
use cape_check::finding::{Code, Verdict};
use cape_check::generate::{generate, GeneratorSettings, ACCOUNT, AS_OF};
use common::*;
use std::collections::HashSet;

#[test]
fn the_audit_finds_what_the_generator_planted() {
    let mut planted_codes = HashSet::new();
    for seed in [1, 2, 3] {
        let mut bytes = Vec::new();
        let planted = generate(
            &GeneratorSettings {
                entries: 1_500,
                seed,
                lines_per_entry: 3,
            },
            &mut bytes,
        )
        .unwrap();
        assert_eq!((ACCOUNT, AS_OF), (IOR, common::AS_OF));
        let out = audit_bytes(&bytes, settings());
        assert_eq!(out.report.entries.len(), planted.len(), "seed {seed}");
        for (p, e) in planted.iter().zip(&out.report.entries) {
            assert_eq!(e.entry, p.entry, "seed {seed}: order of appearance");
            let codes: Vec<&str> = e.findings.iter().map(|f| f.code.as_str()).collect();
            assert_eq!(
                e.verdict, p.verdict,
                "seed {seed} {}: planted {:?}, found {codes:?}",
                p.entry, p.code
            );
            match p.code {
                Some(code) => {
                    assert!(
                        codes.contains(&code.as_str()),
                        "seed {seed} {}: {:?} not in {codes:?}",
                        p.entry,
                        code
                    );
                    planted_codes.insert(code);
                }
                None => assert!(
                    e.findings
                        .iter()
                        .all(|f| f.severity == cape_check::finding::Severity::Info),
                    "seed {seed} {}: clean entry has {codes:?}",
                    p.entry
                ),
            }
        }
        let ready = planted
            .iter()
            .filter(|p| p.verdict == Verdict::Ready && p.entry.len() == 11)
            .count();
        assert_eq!(out.report.totals.ready, ready);
        let declared = out
            .declarations
            .iter()
            .map(|d| d.bytes.len() / 13 - 1)
            .sum::<usize>();
        assert_eq!(declared, ready);
    }
    assert!(
        planted_codes.len() >= 24,
        "every kind planted: {planted_codes:?}"
    );
    assert!(planted_codes.contains(&Code::DuplicateRows));
}
