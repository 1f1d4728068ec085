//! The `cape-check` command line: the same core as the web page, run on
//! files on disk. Reads each file as a stream of 1 MiB chunks.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The command line is native only; in the browser the page drives the
/// library through its wasm binding.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use cape_check::audit::unreadable_inputs;
    use cape_check::generate::shapes::Shape;
    use cape_check::generate::{generate, GeneratorSettings};
    use cape_check::output::declaration::{
        is_declaration_name, is_refile_name, write_findings_csv,
    };
    use cape_check::output::fingerprint::{sha256_hex, Fingerprint, Fingerprinted};
    use cape_check::output::workbook::{report_workbook, WrittenFile};
    use cape_check::settings::AccountError;
    use cape_check::values::date::Date;
    use cape_check::values::entry_number::read_entry_number;
    use cape_check::values::text::visible_controls;
    use cape_check::{Account, Audit, Settings, Wording};
    use std::io::{self, Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    const USAGE: &str = "\
    cape-check: audit ACE ES-003 exports before filing a CAPE Declaration.
    Everything runs on this computer; nothing is sent anywhere.

    Usage:
      cape-check audit FILE... [--ior NUMBER | --filer CODE] [--as-of YYYY-MM-DD]
                       [--include-review] [--per-importer] [--non-corporate]
                       [--cit-plaintiff] [--fixed ENTRY,...] [--after FILE]... [--out DIR]
                       [--format text|json]
      cape-check generate --entries N [--seed S] [--lines L] [--out FILE]
      cape-check generate --shape NAME [--rows N] [--out FILE]

    audit:
      FILE               ES-003 exports as CSV (UTF-8, UTF-16 or Windows-1252;
                         comma, semicolon or tab), CAPE declarations you made,
                         CAPE Claim Details downloads, in any mix; the kind is
                         told by the header. '-' reads standard input.
      --ior NUMBER       you file from this importer's account (98-765432100)
      --filer CODE       you file from a broker account with this filer code
      --as-of DATE       the filing date (default: today, UTC)
      --include-review   also write entries that need review into the declaration
      --per-importer     one declaration per importer of record (brokers):
                         cape-declaration-<IOR>.csv, each split at 9,999
      --non-corporate    the importer of record is not a corporation: interest
                         is estimated at CBP's non-corporate rate
      --cit-plaintiff    the importer is a plaintiff at the Court of International
                         Trade, registered for Phase 3: entries outside the
                         80-day window go to review instead of being blocked
      --after FILE       an ES-003 exported after filing (repeatable): says, for
                         the entries of the other exports, whether the refund
                         was applied
      --fixed E1,E2      entries whose fix (a correction CBP asked for) you
                         confirm: re-filed in cape-refile.csv
      --out DIR          write cape-declaration.csv (or -1-of-N files),
                         findings.csv, cape-check-report.xlsx and, after Claim
                         Details, cape-refile.csv (the entries to file again)
                         into DIR
      --threads N        read a large CSV (4 MiB or more) in parts on N threads
                         (default: the machine's cores); the report is the same
      --format FORMAT    text (default) or json (the report, on standard output)

    generate:            writes a synthetic ES-003 CSV with a known mix of every
                         finding (for tests and benchmarks)
      --entries N        number of entries
      --seed S           seed (default 1): the same seed gives the same file
      --lines L          average lines per entry (default 3)
      --out FILE         write there instead of standard output
      --shape NAME       a crafted shape instead (overlapping, one-entry-untracked,
                         descending-lines, huge-line-numbers), about --rows N rows
                         a file (default 100000); overlapping writes two files,
                         the second to FILE with -2 before its extension

    Exit status: 0 when the audit ran (whatever it found), 1 when an input could
    not be read at all, 2 for a usage error.
    ";

    struct Usage(String);

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.first().map(String::as_str) {
            Some("audit") => audit(&args[1..]),
            Some("generate") => run_generate(&args[1..]),
            Some("-h" | "--help" | "help") => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Some("-V" | "--version") => {
                println!("cape-check {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            Some(other) => Err(Usage(format!("unknown command '{other}'"))),
            None => Err(Usage("no command given".into())),
        };
        match result {
            Ok(code) => code,
            Err(Usage(message)) => {
                eprintln!("cape-check: {}\n\n{USAGE}", visible_controls(&message));
                ExitCode::from(2)
            }
        }
    }

    /// The value after a flag.
    fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, Usage> {
        *i += 1;
        args.get(*i)
            .map(String::as_str)
            .ok_or_else(|| Usage(format!("{flag} needs a value")))
    }

    /// What `audit` was asked to do.
    struct AuditArgs<'a> {
        files: Vec<&'a str>,
        settings: Settings,
        out_dir: Option<PathBuf>,
        json: bool,
        /// Threads to read a large CSV with (parts joined in order).
        threads: usize,
    }

    fn audit_args(args: &[String]) -> Result<AuditArgs<'_>, Usage> {
        let mut files: Vec<&str> = Vec::new();
        let mut account = None;
        let mut as_of = None;
        let (mut include_review, mut per_importer) = (false, false);
        let (mut non_corporate, mut cit_plaintiff) = (false, false);
        let mut fixed: Vec<String> = Vec::new();
        let mut after: Vec<String> = Vec::new();
        let mut out_dir: Option<PathBuf> = None;
        let mut json = false;
        let mut threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "--ior" | "--filer" if account.is_some() => {
                    return Err(Usage("give either --ior or --filer, once".into()))
                }
                "--ior" => {
                    account = Some(account_arg(Account::importer(value(
                        args, &mut i, "--ior",
                    )?))?)
                }
                "--filer" => {
                    account = Some(account_arg(Account::filer(value(
                        args, &mut i, "--filer",
                    )?))?)
                }
                "--as-of" => {
                    let text = value(args, &mut i, "--as-of")?;
                    as_of = Some(Date::parse(text).ok_or_else(|| {
                        Usage(format!(
                            "--as-of '{text}' is not a date: write it as YYYY-MM-DD"
                        ))
                    })?);
                }
                "--include-review" => include_review = true,
                "--per-importer" => per_importer = true,
                "--non-corporate" => non_corporate = true,
                "--cit-plaintiff" => cit_plaintiff = true,
                "--after" => {
                    let path = value(args, &mut i, "--after")?;
                    files.push(path);
                    after.push(
                        Path::new(path)
                            .file_name()
                            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned()),
                    );
                }
                "--fixed" => fixed.extend(fixed_arg(value(args, &mut i, "--fixed")?)?),
                "--out" => out_dir = Some(PathBuf::from(value(args, &mut i, "--out")?)),
                "--threads" => threads = threads_arg(value(args, &mut i, "--threads")?)?,
                "--format" => match value(args, &mut i, "--format")? {
                    "json" => json = true,
                    "text" => json = false,
                    other => return Err(Usage(format!("--format '{other}': use text or json"))),
                },
                "-" => files.push("-"),
                flag if flag.starts_with('-') => {
                    return Err(Usage(format!("unknown option '{flag}'")))
                }
                file => files.push(file),
            }
            i += 1;
        }
        if files.is_empty() {
            return Err(Usage("audit needs at least one FILE".into()));
        }
        let mut settings = Settings::new(as_of.unwrap_or_else(today));
        settings.account = account;
        settings.include_review = include_review;
        settings.per_importer = per_importer;
        settings.non_corporate = non_corporate;
        settings.cit_plaintiff = cit_plaintiff;
        settings.fixed = fixed;
        settings.after_files = after;
        settings.wording = Wording::COMMAND_LINE;
        Ok(AuditArgs {
            files,
            settings,
            out_dir,
            json,
            threads,
        })
    }

    /// `--threads N`: 1 to 256.
    fn threads_arg(text: &str) -> Result<usize, Usage> {
        text.parse()
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| {
                Usage(format!(
                    "--threads '{text}': give a number of threads from 1 to 256"
                ))
            })
    }

    /// `--fixed E1,E2`: entry numbers, normalised.
    fn fixed_arg(text: &str) -> Result<Vec<String>, Usage> {
        text.split(',')
            .map(|written| match read_entry_number(written).number {
                Ok(n) => Ok(n.as_str().to_string()),
                Err(_) => Err(Usage(format!(
                    "--fixed '{}' is not an entry number",
                    written.trim()
                ))),
            })
            .collect()
    }

    fn account_arg(parsed: Result<Account, AccountError>) -> Result<Account, Usage> {
        parsed.map_err(|e| Usage(e.to_string()))
    }

    fn audit(args: &[String]) -> Result<ExitCode, Usage> {
        let AuditArgs {
            files,
            settings,
            out_dir,
            json,
            threads,
        } = audit_args(args)?;
        let mut audit = Audit::new(settings);
        let mut failed = false;
        for path in &files {
            if let Err(e) = feed_file(&mut audit, path, threads) {
                let path = visible_controls(path);
                eprintln!("cape-check: cannot read '{path}': {e}. Check the path and that you may read the file.");
                failed = true;
            }
        }
        // The report is never whole in memory: each output (JSON or text,
        // findings.csv straight to its file) judges the entries again one by
        // one, so that a million entries cost the book, not the book and
        // their report.
        let settings = audit.settings().clone();
        let rules = settings.rules.clone();
        let (report, declarations) = audit.finish_streamed();
        let refile = report
            .claims
            .as_ref()
            .map_or_else(Vec::new, |c| c.refile_files(&rules));
        let outcome = Finished {
            report,
            declarations,
            refile,
        };
        for name in unreadable_inputs(&outcome.report) {
            let name = visible_controls(name);
            eprintln!("cape-check: '{name}' could not be used at all; the report says why.");
            failed = true;
        }
        let mut written = Vec::new();
        if let Some(dir) = &out_dir {
            if let Err(e) = write_outputs(dir, &outcome, &settings, &files, &mut written) {
                eprintln!(
                    "cape-check: cannot write into '{}': {e}. Choose a folder you may write to.",
                    dir.display()
                );
                return Ok(ExitCode::from(1));
            }
        }
        if let Err(e) = print_report(&outcome, json, &written) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("cape-check: cannot print the report: {e}");
                return Ok(ExitCode::from(1));
            }
        }
        Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }

    /// A finished audit: its report and declaration files.
    struct Finished {
        report: cape_check::output::report::Report<cape_check::audit::Rejudged>,
        declarations: Vec<cape_check::OutputFile>,
        /// `cape-refile.csv` (split like a declaration): the entries to file
        /// again after Claim Details; none when there is none.
        refile: Vec<cape_check::OutputFile>,
    }

    /// The report on standard output: JSON, or the text summary followed by
    /// the files written.
    fn print_report(outcome: &Finished, json: bool, written: &[String]) -> io::Result<()> {
        // Block-buffered: stdout is line-buffered, and pretty JSON has a line per field.
        let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        if json {
            serde_json::to_writer_pretty(&mut stdout, &outcome.report).map_err(io::Error::other)?;
            writeln!(stdout)?;
        } else {
            let mut text = IoText {
                out: &mut stdout,
                error: None,
            };
            if outcome.report.write_text_summary(&mut text).is_err() {
                return Err(text
                    .error
                    .unwrap_or_else(|| io::Error::other("formatting failed")));
            }
            for line in written {
                writeln!(stdout, "{line}")?;
            }
        }
        stdout.flush()
    }

    /// Text written to an `io::Write`, keeping its error.
    struct IoText<'a, W: Write> {
        out: &'a mut W,
        error: Option<io::Error>,
    }

    impl<W: Write> std::fmt::Write for IoText<'_, W> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.out.write_all(s.as_bytes()).map_err(|e| {
                self.error = Some(e);
                std::fmt::Error
            })
        }
    }

    /// Streams one file into the audit in 1 MiB chunks; a large CSV on
    /// `threads` threads, in parts joined in order.
    fn feed_file(audit: &mut Audit, path: &str, threads: usize) -> io::Result<()> {
        let (name, mut reader): (String, Box<dyn Read>) = if path == "-" {
            ("standard input".into(), Box::new(io::stdin().lock()))
        } else {
            let p = Path::new(path);
            let name = p
                .file_name()
                .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
            (name, Box::new(std::fs::File::open(p)?))
        };
        audit.begin_file(&name);
        if let Some(date) = std::fs::metadata(path)
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(day_of)
        {
            audit.set_file_date(date);
        }
        if path != "-" {
            return match cape_check::split::threads::feed_file(audit, Path::new(path), threads) {
                Ok(_) => {
                    audit.end_file();
                    Ok(())
                }
                Err(e) => {
                    audit.fail_file(&e.to_string());
                    Err(e)
                }
            };
        }
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => audit.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    audit.fail_file(&e.to_string());
                    return Err(e);
                }
            }
        }
        audit.end_file();
        Ok(())
    }

    fn write_outputs(
        dir: &Path,
        outcome: &Finished,
        settings: &Settings,
        inputs: &[&str],
        written: &mut Vec<String>,
    ) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        // A declaration left by an earlier run must not be mistaken for this
        // one: remove the files this tool names, never an input, never a
        // file the user named otherwise.
        let inputs: Vec<PathBuf> = inputs
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_input = std::fs::canonicalize(entry.path()).is_ok_and(|p| inputs.contains(&p));
            if (is_declaration_name(&name) || is_refile_name(&name)) && !is_input {
                std::fs::remove_file(entry.path())?;
                written.push(format!(
                    "Removed {} from an earlier run.",
                    entry.path().display()
                ));
            }
        }
        for name in outcome
            .declarations
            .iter()
            .chain(&outcome.refile)
            .map(|f| &f.name)
            .chain(&["findings.csv".to_string(), WORKBOOK.to_string()])
        {
            if std::fs::canonicalize(dir.join(name)).is_ok_and(|p| inputs.contains(&p)) {
                return Err(io::Error::other(format!(
                    "writing {name} there would overwrite an input file; choose another --out folder"
                )));
            }
        }
        // Each file written, hashed once: for its line and the workbook's Summary.
        let mut kept: Vec<WrittenFile> = Vec::new();
        for (file, what) in outcome.declarations.iter().map(|f| (f, "")).chain(
            outcome
                .refile
                .iter()
                .map(|f| (f, "the entries to file again; ")),
        ) {
            let path = dir.join(&file.name);
            std::fs::write(&path, &file.bytes)?;
            let sha256 = sha256_hex(&file.bytes);
            written.push(format!("Wrote {} ({what}SHA-256 {sha256})", path.display()));
            kept.push(WrittenFile {
                name: file.name.clone(),
                entries: Some(file.entries() as u64),
                sha256,
            });
        }
        if outcome.declarations.is_empty() {
            written.push("No declaration file written: no entry is ready.".into());
        }
        let path = dir.join("findings.csv");
        let mut file = Fingerprinted {
            inner: io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?),
            fingerprint: Fingerprint::default(),
        };
        write_findings_csv(&outcome.report, &mut file)?;
        file.flush()?;
        let sha256 = file.fingerprint.finish().unwrap_or_default();
        written.push(format!("Wrote {} (SHA-256 {sha256})", path.display()));
        kept.push(WrittenFile {
            name: "findings.csv".into(),
            entries: None,
            sha256,
        });
        write_workbook_file(dir, outcome, settings, &kept, written)
    }

    /// `cape-check-report.xlsx`, with the fingerprints of the files written
    /// before it.
    fn write_workbook_file(
        dir: &Path,
        outcome: &Finished,
        settings: &Settings,
        kept: &[WrittenFile],
        written: &mut Vec<String>,
    ) -> io::Result<()> {
        let path = dir.join(WORKBOOK);
        report_workbook(
            &outcome.report,
            &settings.described(),
            &outcome.declarations,
            kept,
            Some(&path),
        )
        .map_err(io::Error::other)?;
        let mut fingerprint = Fingerprinted {
            inner: io::sink(),
            fingerprint: Fingerprint::default(),
        };
        io::copy(&mut std::fs::File::open(&path)?, &mut fingerprint)?;
        written.push(format!(
            "Wrote {} (SHA-256 {})",
            path.display(),
            fingerprint.fingerprint.finish().unwrap_or_default()
        ));
        Ok(())
    }

    /// The workbook's name in the --out folder.
    const WORKBOOK: &str = "cape-check-report.xlsx";

    fn today() -> Date {
        day_of(std::time::SystemTime::now()).unwrap_or_else(|| unreachable!())
    }

    /// The UTC day of a time (`None` before 1970).
    fn day_of(time: std::time::SystemTime) -> Option<Date> {
        let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        Some(Date::from_ymd(1970, 1, 1)?.add_days((secs / 86_400) as i32))
    }

    /// A crafted shape's files: to `out` (the second of two to `out` with
    /// `-2` before its extension), or to standard output one after another.
    fn write_shape(shape: Shape, rows: usize, out: Option<&str>) -> Result<ExitCode, Usage> {
        let files = shape.files(rows);
        let mut result = Ok(());
        for (i, bytes) in files.iter().enumerate() {
            result = result.and_then(|_| match out {
                None => io::stdout().lock().write_all(bytes),
                Some(path) if i == 0 => std::fs::write(path, bytes),
                Some(path) => {
                    let p = Path::new(path);
                    let stem = p
                        .file_stem()
                        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                    let ext = p
                        .extension()
                        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
                    std::fs::write(p.with_file_name(format!("{stem}-{}{ext}", i + 1)), bytes)
                }
            });
        }
        match result {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => {
                eprintln!("cape-check: cannot write the generated file: {e}");
                Ok(ExitCode::from(1))
            }
        }
    }

    fn run_generate(args: &[String]) -> Result<ExitCode, Usage> {
        let mut settings = GeneratorSettings::default();
        let mut out: Option<&str> = None;
        let mut i = 0;
        let number = |text: &str, flag: &str| {
            text.parse::<u64>()
                .map_err(|_| Usage(format!("{flag} '{text}' is not a whole number")))
        };
        let mut have_entries = false;
        let mut shape: Option<(Shape, usize)> = None;
        while i < args.len() {
            match args[i].as_str() {
                "--shape" => {
                    let name = value(args, &mut i, "--shape")?;
                    let found = Shape::parse(name).ok_or_else(|| {
                        let names: Vec<&str> = Shape::ALL.iter().map(|s| s.name()).collect();
                        Usage(format!("--shape '{name}': use one of {}", names.join(", ")))
                    })?;
                    shape = Some((found, shape.map_or(100_000, |(_, rows)| rows)));
                }
                "--rows" => {
                    let rows = number(value(args, &mut i, "--rows")?, "--rows")? as usize;
                    shape = shape.map(|(s, _)| (s, rows));
                    if shape.is_none() {
                        return Err(Usage("--rows goes after --shape".into()));
                    }
                }
                "--entries" => {
                    settings.entries =
                        number(value(args, &mut i, "--entries")?, "--entries")? as usize;
                    have_entries = true;
                }
                "--seed" => settings.seed = number(value(args, &mut i, "--seed")?, "--seed")?,
                "--lines" => {
                    settings.lines_per_entry =
                        number(value(args, &mut i, "--lines")?, "--lines")?.clamp(1, 999) as u32
                }
                "--out" => out = Some(value(args, &mut i, "--out")?),
                other => return Err(Usage(format!("unknown option '{other}' for generate"))),
            }
            i += 1;
        }
        if let Some((shape, rows)) = shape {
            return write_shape(shape, rows, out);
        }
        if !have_entries {
            return Err(Usage("generate needs --entries N (or --shape NAME)".into()));
        }
        let result = match out {
            Some(path) => std::fs::File::create(path).and_then(|f| {
                let mut w = io::BufWriter::with_capacity(1 << 20, f);
                generate(&settings, &mut w)?;
                w.flush()
            }),
            None => {
                let mut w = io::BufWriter::with_capacity(1 << 20, io::stdout().lock());
                generate(&settings, &mut w).and_then(|_| w.flush())
            }
        };
        match result {
            Ok(_) => Ok(ExitCode::SUCCESS),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            Err(e) => {
                eprintln!("cape-check: cannot write the generated file: {e}");
                Ok(ExitCode::from(1))
            }
        }
    }
}
