//! The command line's `--threads` (issue 26): a large CSV read in parts on
//! threads, joined in order, gives the report, the declarations and
//! findings.csv of reading it in one go, byte for byte, with 1, 2 and 8
//! threads: every file of tests/data split at many points, and generated
//! exports of every crafted shape through the binary.

#![cfg(not(target_arch = "wasm32"))]

mod common;
use cape_check::generate::shapes::Shape;
use cape_check::split::threads::feed_file_split;
use cape_check::Audit;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cape-check-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read(path: &Path, threads: usize, min_part: u64) -> (cape_check::Outcome, usize) {
    // Decided on the first 2,048 bytes, as tests/parts.rs does, so that
    // small files can be split too (both ways read alike).
    let mut audit = Audit::new(settings_as_of("2026-11-22")).with_sniff_prefix(2048);
    audit.begin_file(&path.file_name().unwrap().to_string_lossy());
    let joins = feed_file_split(&mut audit, path, threads, 0, min_part).unwrap();
    let joined = joins.iter().filter(|j| j.is_some()).count();
    audit.end_file();
    (audit.finish(), joined)
}

#[test]
fn every_file_of_tests_data_read_on_threads_is_the_same_report() {
    let mut joined_any = 0;
    for (name, bytes) in fixtures() {
        let path = scratch(&name);
        std::fs::write(&path, &bytes).unwrap();
        let (one, _) = read(&path, 1, 1);
        assert_eq!(
            one.report.files[0].sha256.as_deref(),
            Some(cape_check::output::fingerprint::sha256_hex(&bytes).as_str())
        );
        for threads in [2, 3, 8] {
            // Parts of a few rows: many cuts, some inside quoted cells (the
            // first part holds the 2,048 bytes the header is decided on).
            let min_part = (bytes.len() as u64 / threads as u64).max(2100);
            let (split, joined) = read(&path, threads, min_part);
            joined_any += joined;
            let how = format!("{name} on {threads} threads ({joined} parts joined)");
            assert_eq!(json(&split), json(&one), "{how}");
            assert_eq!(split.declarations, one.declarations, "{how}");
            assert_eq!(split.findings_csv, one.findings_csv, "{how}");
        }
    }
    assert!(
        joined_any > 20,
        "parts were joined, not only read again ({joined_any})"
    );
}

fn cli(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_cape-check"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn generated_exports_of_every_shape_give_the_same_files_on_1_2_and_8_threads() {
    let mut exports: Vec<PathBuf> = Vec::new();
    let full = scratch("generated.csv");
    cli(&[
        "generate",
        "--entries",
        "6000",
        "--seed",
        "4",
        "--out",
        full.to_str().unwrap(),
    ]);
    exports.push(full);
    for shape in Shape::ALL {
        let path = scratch(&format!("{}.csv", shape.name()));
        cli(&[
            "generate",
            "--shape",
            shape.name(),
            "--rows",
            "90000",
            "--out",
            path.to_str().unwrap(),
        ]);
        exports.push(path.clone());
        // Overlapping writes a second export next to the first.
        let second = path.with_file_name(format!("{}-2.csv", shape.name()));
        if second.exists() {
            exports.push(second);
        }
    }
    for export in &exports {
        assert!(
            std::fs::metadata(export).unwrap().len() >= 4 << 20,
            "{export:?} is large enough to be split"
        );
        let mut outputs = Vec::new();
        for threads in ["1", "2", "8"] {
            let dir = scratch(&format!("out-{threads}"));
            let _ = std::fs::remove_dir_all(&dir);
            let json = cli(&[
                "audit",
                export.to_str().unwrap(),
                "--ior",
                "98-765432100",
                "--as-of",
                "2026-11-22",
                "--format",
                "json",
                "--threads",
                threads,
                "--out",
                dir.to_str().unwrap(),
            ]);
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "csv"))
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        std::fs::read(&p).unwrap(),
                    )
                })
                .collect();
            files.sort();
            outputs.push((threads, json, files));
        }
        for (threads, json, files) in &outputs[1..] {
            assert_eq!(
                json, &outputs[0].1,
                "{export:?}: the JSON report on {threads} threads"
            );
            assert_eq!(
                files, &outputs[0].2,
                "{export:?}: the files written on {threads} threads"
            );
        }
    }
}
