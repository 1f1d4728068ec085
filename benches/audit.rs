//! Native audit throughput and peak memory (not a pass/fail test).
//!
//! `cargo bench --bench audit` generates, once, into `bench-data/`:
//! - a file of at least 200 MB (20,000 entries), audited from disk in
//!   1 MiB chunks: MB/s for the whole audit, and for the CSV tokenizer
//!   alone on the same file, best of 3 runs each;
//! - a file of about 1 GB with 100,000 entries, audited by a child process
//!   of this benchmark so that its peak resident memory (VmHWM) is its own.
//!
//! `cargo bench --bench audit -- --quick` does the same at a tenth of the size.

use cape_check::generate::shapes::Shape;
use cape_check::generate::{generate, GeneratorSettings, ACCOUNT, AS_OF};
use cape_check::output::declaration::write_findings_csv;
use cape_check::read::record::{Record, RecordReader};
use cape_check::values::date::Date;
use cape_check::{Account, Audit, Settings};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

const CHUNK: usize = 1 << 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(pos) = args.iter().position(|a| a == "--memory-child") {
        memory_child(Path::new(&args[pos + 1]));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");

    let throughput_file = dataset(&dir, 20_000 / scale, 30, 7);
    let size = std::fs::metadata(&throughput_file).unwrap().len();
    let mb = size as f64 / 1e6;
    let mut audit_best = f64::MAX;
    let mut parse_best = f64::MAX;
    let mut entries = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let outcome = audit_file(&throughput_file);
        audit_best = audit_best.min(t.elapsed().as_secs_f64());
        entries = outcome.report.totals.entries;
        let t = Instant::now();
        let rows = parse_only(&throughput_file);
        parse_best = parse_best.min(t.elapsed().as_secs_f64());
        assert!(rows > entries as u64);
    }
    println!(
        "throughput file: {} ({mb:.0} MB, {entries} entries)",
        throughput_file.display()
    );
    println!(
        "  audit (decode, parse, roll-up, rules, report): {:.0} MB/s ({audit_best:.2} s)",
        mb / audit_best
    );
    println!(
        "  CSV tokenizer alone:                          {:.0} MB/s ({parse_best:.2} s)",
        mb / parse_best
    );

    xlsx_throughput(&dir, scale);
    shape_scaling(scale);

    for (entries, lines, seed) in [(100_000, 30, 8), (1_000_000, 1, 3)] {
        peak_memory(&dir, entries / scale, lines, seed);
    }
}

/// Audits a generated export in a child process, whose peak resident
/// memory (VmHWM) is its own.
fn peak_memory(dir: &Path, entries: usize, lines: u32, seed: u64) {
    let memory_file = dataset(dir, entries, lines, seed);
    let size = std::fs::metadata(&memory_file).unwrap().len();
    let t = Instant::now();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--memory-child", memory_file.to_str().unwrap()])
        .output()
        .expect("run the memory child");
    let secs = t.elapsed().as_secs_f64();
    let report = String::from_utf8_lossy(&child.stdout);
    println!(
        "memory file: {} ({:.0} MB)",
        memory_file.display(),
        size as f64 / 1e6
    );
    println!("  {}", report.trim());
    println!(
        "  child wall time {secs:.2} s ({:.0} MB/s)",
        size as f64 / 1e6 / secs
    );
}

/// XLSX: a generated export converted by openpyxl (tests/data/make_xlsx.py),
/// skipped when python3 with openpyxl is not there.
#[cfg(feature = "xlsx")]
fn xlsx_throughput(dir: &Path, scale: usize) {
    let csv = dataset(dir, 8_000 / scale, 10, 9);
    let book = csv.with_extension("xlsx");
    if !book.exists() {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/make_xlsx.py");
        let made = std::process::Command::new("python3")
            .arg(script)
            .arg("--convert")
            .arg(&csv)
            .arg(&book)
            .status();
        if !made.is_ok_and(|s| s.success()) {
            println!("xlsx: skipped (needs python3 with openpyxl: pip install openpyxl)");
            return;
        }
    }
    let t = Instant::now();
    let outcome = audit_file(&book);
    let secs = t.elapsed().as_secs_f64();
    let rows: u32 = outcome.report.files.iter().map(|f| f.rows).sum();
    println!(
        "xlsx file: {} ({:.0} MB, {rows} rows, {} entries)",
        book.display(),
        std::fs::metadata(&book).unwrap().len() as f64 / 1e6,
        outcome.report.totals.entries
    );
    println!(
        "  audit: {:.0} rows/s ({secs:.2} s)",
        f64::from(rows) / secs
    );
}

#[cfg(not(feature = "xlsx"))]
fn xlsx_throughput(_dir: &Path, _scale: usize) {}

/// Each crafted shape (issue 12) at 100,000 and 400,000 rows a file:
/// seconds per 100,000 rows at 1x and 4x. Linear time keeps the two close
/// (the target: 4x the rows at most 5x the time, a ratio of 1.25).
fn shape_scaling(scale: usize) {
    println!("crafted shapes (seconds per 100,000 rows, 1x and 4x the rows):");
    for shape in Shape::ALL {
        let mut per_100k = Vec::new();
        for rows in [100_000 / scale, 400_000 / scale] {
            let files = shape.files(rows);
            let total: usize = files
                .iter()
                .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                .sum();
            let mut best = f64::MAX;
            for _ in 0..2 {
                let t = Instant::now();
                let mut audit = Audit::new(settings());
                for (i, file) in files.iter().enumerate() {
                    audit.begin_file(&format!("{}-{i}.csv", shape.name()));
                    for chunk in file.chunks(CHUNK) {
                        audit.feed(chunk);
                    }
                }
                let outcome = audit.finish();
                assert!(outcome.report.totals.entries > 0);
                best = best.min(t.elapsed().as_secs_f64());
            }
            per_100k.push(best / total as f64 * 100_000.0);
        }
        println!(
            "  {:<20} {:.3} s  {:.3} s  (x{:.2})",
            shape.name(),
            per_100k[0],
            per_100k[1],
            per_100k[1] / per_100k[0]
        );
    }
}

/// Generates a data set once; later runs reuse it.
fn dataset(dir: &Path, entries: usize, lines: u32, seed: u64) -> PathBuf {
    let path = dir.join(format!(
        "es003-{entries}-entries-{lines}-lines-seed{seed}.csv"
    ));
    if !path.exists() {
        let t = Instant::now();
        let tmp = path.with_extension("part");
        let mut w = BufWriter::with_capacity(CHUNK, std::fs::File::create(&tmp).unwrap());
        generate(
            &GeneratorSettings {
                entries,
                seed,
                lines_per_entry: lines,
            },
            &mut w,
        )
        .unwrap();
        w.flush().unwrap();
        drop(w);
        std::fs::rename(&tmp, &path).unwrap();
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    path
}

fn settings() -> Settings {
    let mut s = Settings::new(Date::parse(AS_OF).unwrap());
    s.account = Some(Account::importer(ACCOUNT).unwrap());
    s
}

fn audit_file(path: &Path) -> cape_check::Outcome {
    let mut audit = Audit::new(settings());
    feed_file(&mut audit, path);
    audit.finish()
}

/// Feeds a file from disk in 1 MiB chunks, as the command line does.
fn feed_file(audit: &mut Audit, path: &Path) {
    audit.begin_file("bench.csv");
    let mut f = std::fs::File::open(path).unwrap();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        audit.feed(&buf[..n]);
    }
}

fn parse_only(path: &Path) -> u64 {
    let mut reader = RecordReader::new(b',');
    let mut f = std::fs::File::open(path).unwrap();
    let mut buf = vec![0u8; CHUNK];
    let mut rows = 0u64;
    let mut count = |_: &Record<'_>| rows += 1;
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        reader.feed(&buf[..n], &mut count);
    }
    reader.finish(&mut count);
    rows
}

/// Audits one file and prints its own peak resident memory.
/// Peak memory as the command line has it with `--format json --out`: the
/// report serialised and findings.csv written, both as streams.
fn memory_child(path: &Path) {
    let t = Instant::now();
    let mut audit = Audit::new(settings());
    feed_file(&mut audit, path);
    let (report, _declarations) = audit.finish_report();
    serde_json::to_writer_pretty(std::io::sink(), &report).unwrap();
    write_findings_csv(&report, std::io::sink()).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown")
        .split_whitespace()
        .nth(1)
        .unwrap_or("?")
        .to_string();
    let kb: f64 = hwm.parse().unwrap_or(0.0);
    println!(
        "audit of {} entries: peak memory (VmHWM) {:.0} MB, audit {secs:.2} s",
        report.totals.entries,
        kb / 1024.0
    );
}
