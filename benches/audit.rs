//! Native audit throughput and peak memory (not a pass/fail test).
//!
//! `cargo bench --bench audit` generates, once, into `bench-data/`:
//! - a file of at least 200 MB (20,000 entries), audited from disk in
//!   1 MiB chunks: MB/s for the whole audit, and for the CSV tokenizer
//!   alone on the same file, best of 3 runs each;
//! - a file of about 1 GB with 100,000 entries, audited by a child process
//!   of this benchmark so that its peak resident memory (VmHWM) is its own;
//! - the browser benchmark's 116 MB export of 100,000 entries (the same
//!   generator, seed 1, 3 lines an entry), read in 1, 2, 4 and 8 parts on
//!   threads, each part audited on its own thread and joined in order on
//!   the main one: MB/s end to end (report made) and the join's cost per
//!   part, best of 3.
//!
//! `cargo bench --bench audit -- --quick` does the same at a tenth of the size;
//! `-- --parts` runs the parts line set only; `-- --shapes` the crafted
//! shapes only (1x and 4x the rows, timed in alternation, best run of each);
//! `-- --claims` a broker's year of Claim Details: 15, 30 and 60 downloads
//! of 10,000 rows (entries recurring from one download to the next), time
//! per row for each, and the peak memory of the 60 in a child process.

use cape_check::generate::shapes::Shape;
use cape_check::generate::{generate, GeneratorSettings, ACCOUNT, AS_OF};
use cape_check::output::declaration::write_findings_csv;
use cape_check::read::record::{Record, RecordReader};
use cape_check::values::date::Date;
use cape_check::values::entry_number::check_digit;
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
    if let Some(pos) = args.iter().position(|a| a == "--claims-child") {
        claims_child(Path::new(&args[pos + 1]), args[pos + 2].parse().unwrap());
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    if args.iter().any(|a| a == "--parts") {
        parts_throughput(&dir, scale);
        return;
    }
    if args.iter().any(|a| a == "--shapes") {
        shape_scaling(scale);
        return;
    }
    if args.iter().any(|a| a == "--claims") {
        claims_scaling(&dir, scale);
        return;
    }

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
    parts_throughput(&dir, scale);

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
///
/// The two sizes are timed in alternation, at least 7 runs each and until
/// each has had a second, and the best run of each is kept: on a shared
/// virtual machine a neighbour's burst then slows some runs of both sizes
/// rather than all runs of one.
fn shape_scaling(scale: usize) {
    println!("crafted shapes (seconds per 100,000 rows, 1x and 4x the rows):");
    for shape in Shape::ALL {
        let sizes = [100_000 / scale, 400_000 / scale].map(|rows| {
            let files = shape.files(rows);
            let total: usize = files
                .iter()
                .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                .sum();
            (files, total)
        });
        let mut best = [f64::MAX; 2];
        let mut spent = [0.0f64; 2];
        let mut runs = 0;
        while runs < 7 || spent.iter().any(|&s| s < 1.0) {
            for (i, (files, _)) in sizes.iter().enumerate() {
                let secs = time_shape(shape, files);
                best[i] = best[i].min(secs);
                spent[i] += secs;
            }
            runs += 1;
        }
        let per_100k: Vec<f64> = best
            .iter()
            .zip(&sizes)
            .map(|(secs, (_, total))| secs / *total as f64 * 100_000.0)
            .collect();
        println!(
            "  {:<20} {:.3} s  {:.3} s  (x{:.2}, best of {runs})",
            shape.name(),
            per_100k[0],
            per_100k[1],
            per_100k[1] / per_100k[0]
        );
    }
}

/// Seconds for one whole audit of a shape's files, fed in chunks.
fn time_shape(shape: Shape, files: &[Vec<u8>]) -> f64 {
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
    t.elapsed().as_secs_f64()
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
/// report streamed (the entries judged again on each pass) to JSON and to
/// findings.csv.
fn memory_child(path: &Path) {
    let t = Instant::now();
    let mut audit = Audit::new(settings());
    feed_file(&mut audit, path);
    let (report, _declarations) = audit.finish_streamed();
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

/// The browser benchmark's export (116 MB, 100,000 entries:
/// `generate --entries 100000 --seed 1`, 3 lines an entry) read as the
/// command line reads it with `--threads N` (`split::threads::feed_file`),
/// for 1, 2, 4 and 8 threads and the machine's cores: MB/s end to end
/// (file opened to report made), how many parts joined and what a join
/// costs; next to a bare csv-core parse of the same bytes (the csv crate's
/// ByteRecord loop), so the ratio is visible in every run. Every way must
/// give the one-thread report, byte for byte.
#[cfg(not(target_arch = "wasm32"))]
fn parts_throughput(dir: &Path, scale: usize) {
    let file = dataset(dir, 100_000 / scale, 3, 1);
    let size = std::fs::metadata(&file).unwrap().len();
    let mb = size as f64 / 1e6;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "parts file: {} ({mb:.0} MB), read as --threads N reads it, {cores} cores here (more threads than cores cannot be faster)",
        file.display()
    );
    let mut csv_best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let rows = csv_core_only(&file);
        csv_best = csv_best.min(t.elapsed().as_secs_f64());
        assert!(rows > 0);
    }
    println!(
        "  bare csv-core parse (csv crate, ByteRecord): {:.0} MB/s ({csv_best:.2} s)",
        mb / csv_best
    );
    let mut reference = None;
    let mut counts = vec![1, 2, 4, 8];
    if !counts.contains(&cores) {
        counts.push(cores);
    }
    for threads in counts {
        let mut runs = Vec::new();
        let mut best_joins = Vec::new();
        let mut best_finish = 0.0;
        for _ in 0..3 {
            let t = Instant::now();
            let mut audit = Audit::new(settings());
            audit.begin_file("bench.csv");
            let joins = cape_check::split::threads::feed_file(&mut audit, &file, threads).unwrap();
            audit.end_file();
            let finishing = Instant::now();
            let outcome = audit.finish();
            let finish = finishing.elapsed().as_secs_f64();
            let secs = t.elapsed().as_secs_f64();
            let json = serde_json::to_vec(&outcome.report).unwrap();
            let expected = reference.get_or_insert_with(|| json.clone());
            assert!(
                *expected == json,
                "{threads} threads: not the one-thread report"
            );
            if runs.iter().all(|&r| secs < r) {
                best_joins = joins;
                best_finish = finish;
            }
            runs.push(secs);
        }
        runs.sort_by(f64::total_cmp);
        let best = runs[0];
        let joined = best_joins.iter().filter(|j| j.is_some()).count();
        let ms: Vec<String> = best_joins
            .iter()
            .map(|j| {
                j.map_or("refused".to_string(), |d| {
                    format!("{:.1}", d.as_secs_f64() * 1e3)
                })
            })
            .collect();
        println!(
            "  {threads} thread(s){}: {:.0} MB/s best, {:.0} median ({:.2}/{:.2}/{:.2} s min/median/max; judging and the report {best_finish:.2} s); {:.1}x the csv-core parse's time; joined {joined} of {}, join ms per part: [{}]",
            if threads == cores { " (all cores)" } else { "" },
            mb / best,
            mb / runs[1],
            runs[0],
            runs[1],
            runs[2],
            best / csv_best,
            best_joins.len(),
            ms.join(", ")
        );
    }
}

/// Threads and files are the command line's, never the browser's.
#[cfg(target_arch = "wasm32")]
fn parts_throughput(_dir: &Path, _scale: usize) {}

/// Parses the file with the csv crate alone (csv-core underneath): the
/// floor of what reading it costs. Gives the records read.
#[cfg(not(target_arch = "wasm32"))]
fn csv_core_only(path: &Path) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::fs::File::open(path).unwrap());
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        rows += 1;
    }
    rows
}

/// Messages of a day's Claim Details, as CBP words them.
const CLAIM_MESSAGES: [(&str, &str); 5] = [
    ("Entry Summary Updated", ""),
    ("Failed", "STATEMENT PROCESSING NOT COMPLETE"),
    ("Failed", "GOODS VALUE REPORTED ON IEEPA HTS LINE"),
    ("Failed", "INVALID HTS"),
    ("Failed", "UNABLE TO CALCULATE DUTY"),
];

/// A broker's daily Claim Details downloads: `count` files of `rows` rows,
/// written once into `bench-data/claims-COUNTxROWS/`. Download d lists a
/// window of the entries filed so far (each entry appears in about a dozen
/// downloads), each with a status that may change from one to the next.
fn claim_downloads(dir: &Path, count: usize, rows: usize) -> PathBuf {
    let folder = dir.join(format!("claims-{count}x{rows}"));
    if folder.join(format!("claims_{:03}.csv", count - 1)).exists() {
        return folder;
    }
    std::fs::create_dir_all(&folder).unwrap();
    let entry = |n: usize| {
        let mut b = *b"XQ700000000";
        let digits = format!("{:07}", n % 10_000_000);
        b[3..10].copy_from_slice(digits.as_bytes());
        b[10] = b'0' + check_digit(&b).unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    };
    for d in 0..count {
        let day = Date::parse("2026-05-01").unwrap().add_days(d as i32 * 3);
        let path = folder.join(format!("claims_{d:03}.csv"));
        let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
        write!(
            out,
            "ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION,Download Date\r\n"
        )
        .unwrap();
        for r in 0..rows {
            let n = d * rows / 12 + r;
            let (status, message) = CLAIM_MESSAGES[(n * 7 + d / 5) % CLAIM_MESSAGES.len()];
            write!(
                out,
                "=\"{}\",=\"1000{:08}\",{status},{message},{day}\r\n",
                entry(n),
                n / 40,
            )
            .unwrap();
        }
    }
    folder
}

/// Audits the first `count` downloads of `folder`; the entries with a
/// history.
fn audit_claims(folder: &Path, count: usize) -> usize {
    let mut audit = Audit::new(settings());
    for d in 0..count {
        feed_file(&mut audit, &folder.join(format!("claims_{d:03}.csv")));
    }
    let claims = audit.finish().report.claims.expect("claims");
    assert_eq!(claims.downloads.len(), count);
    claims.entries.len()
}

/// Time per row for 15, 30 and 60 downloads (linear: about the same time
/// a row), and the peak memory of the 60 in a child process.
fn claims_scaling(dir: &Path, scale: usize) {
    let rows = 10_000 / scale;
    let folder = claim_downloads(dir, 60, rows);
    println!("Claim Details: downloads of {rows} rows, each entry in about 12 of them");
    for count in [15, 30, 60] {
        let mut best = f64::MAX;
        let mut entries = 0;
        for _ in 0..3 {
            let t = Instant::now();
            entries = audit_claims(&folder, count);
            best = best.min(t.elapsed().as_secs_f64());
        }
        let total = count * rows;
        println!(
            "  {count:>2} downloads, {total:>7} rows, {entries:>7} entries: {best:.3} s, {:.2} us a row",
            best * 1e6 / total as f64
        );
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--claims-child", folder.to_str().unwrap(), "60"])
        .output()
        .unwrap();
    print!("{}", String::from_utf8_lossy(&child.stdout));
}

/// The child of [`claims_scaling`]: audits `count` downloads and prints
/// its own peak memory.
fn claims_child(folder: &Path, count: usize) {
    let t = Instant::now();
    let entries = audit_claims(folder, count);
    let secs = t.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    println!(
        "  {count} downloads ({entries} entries): peak memory (VmHWM) {:.0} MB, {secs:.2} s",
        kb / 1024.0
    );
}
