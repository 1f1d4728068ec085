//! The files cape-check writes: the CAPE Declaration(s), byte-exact to
//! rules.md section 6, and `findings.csv`, safe to open in Excel.

use crate::output::report::{EachEntry, Report};
use crate::rules::RuleSet;
use crate::values::entry_number::EntryNumber;
use crate::values::importer_number::ImporterNumber;
use std::collections::HashSet;

/// A file to hand to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

const HEADER: &[u8] = b"Entry Number\r\n";
/// 11 characters and CRLF.
const ROW_BYTES: usize = 13;

impl OutputFile {
    /// The entries of a declaration file cape-check wrote: its rows after
    /// the header.
    pub fn entries(&self) -> usize {
        self.bytes.len().saturating_sub(HEADER.len()) / ROW_BYTES
    }
}

/// The CAPE Declaration file(s) for these entries, as Excel's "CSV (Comma
/// delimited)" writes them: ASCII, no BOM, header `Entry Number`, CRLF after
/// every row, no duplicates (the first of each is kept), split into
/// `cape-declaration-1-of-N.csv`... above the entry or byte limit. No file
/// for no entries: CAPE rejects an empty declaration.
///
/// ```
/// use cape_check::output::declaration::declaration_files;
/// use cape_check::{rules::RuleSet, values::entry_number::EntryNumber};
/// let n = EntryNumber::parse("XQ710042173").unwrap();
/// let files = declaration_files(&[n, n], &RuleSet::default());
/// assert_eq!(files[0].name, "cape-declaration.csv");
/// assert_eq!(files[0].bytes, b"Entry Number\r\nXQ710042173\r\n");
/// ```
pub fn declaration_files(entries: &[EntryNumber], rules: &RuleSet) -> Vec<OutputFile> {
    declaration_files_named(entries, rules, "cape-declaration")
}

/// The same, with file names starting `stem` (`stem.csv`, `stem-1-of-N.csv`).
pub fn declaration_files_named(
    entries: &[EntryNumber],
    rules: &RuleSet,
    stem: &str,
) -> Vec<OutputFile> {
    let repeats = repeats(entries);
    let unique = entries
        .iter()
        .zip(&repeats)
        .filter(|(_, &repeat)| !repeat)
        .map(|(n, _)| n);
    let count = repeats.iter().filter(|&&r| !r).count();
    if count == 0 {
        return Vec::new();
    }
    let by_bytes = rules.max_declaration_bytes.saturating_sub(HEADER.len() + 1) / ROW_BYTES;
    let per_file = rules.max_entries_per_declaration.min(by_bytes).max(1);
    let n = count.div_ceil(per_file);
    let mut files: Vec<OutputFile> = Vec::with_capacity(n);
    for (i, number) in unique.enumerate() {
        if i % per_file == 0 {
            let k = files.len();
            let name = if n == 1 {
                format!("{stem}.csv")
            } else {
                format!("{stem}-{}-of-{n}.csv", k + 1)
            };
            let rows = per_file.min(count - i);
            let mut bytes = Vec::with_capacity(HEADER.len() + rows * ROW_BYTES);
            bytes.extend_from_slice(HEADER);
            files.push(OutputFile { name, bytes });
        }
        if let Some(file) = files.last_mut() {
            file.bytes.extend_from_slice(number.as_str().as_bytes());
            file.bytes.extend_from_slice(b"\r\n");
        }
    }
    files
}

/// Which numbers repeat an earlier one (the first of each is kept). A hash
/// set, not a sort: the sort's code was 50 KB of the browser's module.
fn repeats(entries: &[EntryNumber]) -> Vec<bool> {
    let mut seen = HashSet::with_capacity(entries.len());
    entries.iter().map(|n| !seen.insert(*n)).collect()
}

/// The group an entry's declaration goes into when a broker files one per
/// importer of record, from a fixed safe alphabet and of bounded length
/// (it names a file): the normalised importer number (9 to 11 letters and
/// digits); `other-` with up to 16 of its letters and digits and a hash of
/// the whole for any other value; `unknown-importer` for none.
pub fn importer_group(importer: Option<&str>) -> String {
    let Some(written) = importer else {
        return "unknown-importer".to_string();
    };
    if let Some(n) = ImporterNumber::parse(written) {
        return n.as_str().to_string();
    }
    let kept: String = written
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(16)
        .collect();
    // FNV-1a: distinct odd values stay in distinct files.
    let hash = written.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("other-{kept}-{hash:08x}")
}

/// Whether a file name is one cape-check writes for declarations (and so
/// one a new run may replace): `cape-declaration.csv`, `-K-of-N` when
/// split, with an [`importer_group`] after `cape-declaration-` when written
/// per importer. Exactly those names: never a file the user named.
pub fn is_declaration_name(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix("cape-declaration")
        .and_then(|r| r.strip_suffix(".csv"))
    else {
        return false;
    };
    let rest = strip_split_suffix(rest);
    rest.is_empty() || rest.strip_prefix('-').is_some_and(is_importer_group)
}

/// Whether a file name is one cape-check writes for the entries to file
/// again after Claim Details: `cape-refile.csv`, `-K-of-N` when split.
pub fn is_refile_name(name: &str) -> bool {
    name.strip_prefix("cape-refile")
        .and_then(|r| r.strip_suffix(".csv"))
        .is_some_and(|rest| strip_split_suffix(rest).is_empty())
}

/// `rest` without a trailing `-K-of-N` (digits), if it has one.
fn strip_split_suffix(rest: &str) -> &str {
    let digits = |t: &str| !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit());
    let Some((head, n)) = rest.rsplit_once("-of-") else {
        return rest;
    };
    match head.rsplit_once('-') {
        Some((before, k)) if digits(k) && digits(n) => before,
        _ => rest,
    }
}

/// Whether `group` is a name [`importer_group`] writes.
fn is_importer_group(group: &str) -> bool {
    let alnum = |t: &str| {
        t.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    };
    // A normalised importer number: 9 digits (an SSN, or an EIN without a
    // suffix), or 9 digits and a 2-character suffix or 2 more digits.
    let bytes = group.as_bytes();
    let digits = |t: &[u8]| t.iter().all(u8::is_ascii_digit);
    let importer = match bytes.len() {
        9 => digits(bytes),
        11 => {
            digits(&bytes[..9])
                && bytes[9..]
                    .iter()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        }
        _ => false,
    };
    if group == "unknown-importer" || importer {
        return true;
    }
    let Some((kept, hash)) = group
        .strip_prefix("other-")
        .and_then(|g| g.rsplit_once('-'))
    else {
        return false;
    };
    kept.len() <= 16
        && alnum(kept)
        && hash.len() == 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The declaration file(s) for entries with their importer of record as
/// written: one set, or with `per_importer` one set per importer group
/// ([`importer_group`]: `cape-declaration-<IOR>.csv`, each split like any
/// declaration), groups in order of first appearance.
pub fn declaration_files_by_importer<'a>(
    entries: impl IntoIterator<Item = (EntryNumber, Option<&'a str>)>,
    rules: &RuleSet,
    per_importer: bool,
) -> Vec<OutputFile> {
    if !per_importer {
        let numbers: Vec<EntryNumber> = entries.into_iter().map(|(n, _)| n).collect();
        return declaration_files(&numbers, rules);
    }
    let mut groups: Vec<(String, Vec<EntryNumber>)> = Vec::new();
    for (number, importer) in entries {
        let group = importer_group(importer);
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, numbers)) => numbers.push(number),
            None => groups.push((group, vec![number])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(group, numbers)| {
            declaration_files_named(&numbers, rules, &format!("cape-declaration-{group}"))
        })
        .collect()
}

/// `findings.csv`: one row per finding, `Entry Number, Verdict, Code,
/// Severity, Rows, Message, IEEPA Duty, Interest (estimate)`; file findings
/// first with the entry number and the amounts empty. UTF-8 with a BOM so that Excel shows it right; every cell that
/// Excel could take for a formula is neutralised with a leading apostrophe.
pub fn findings_csv(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_findings_csv(report, &mut out);
    out
}

/// The same, written to any writer (the browser binding streams it out in
/// pieces so that it never lies whole in wasm memory).
pub fn write_findings_csv<W: std::io::Write, E: EachEntry>(
    report: &Report<E>,
    mut out: W,
) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record([
        "Entry Number",
        "Verdict",
        "Code",
        "Severity",
        "Rows",
        "Message",
        "IEEPA Duty",
        "Interest (estimate)",
    ])
    .map_err(std::io::Error::other)?;
    // The entry number and the rows are text Excel would change (leading
    // zeros dropped, 11 digits shown as 6.0576E+10 in a narrow column, "2-5"
    // read as a date):
    // written as ACE writes its numbers, ="...".
    let mut row = |cells: [&str; 8]| -> std::io::Result<()> {
        let safe: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 || i == 4 {
                    excel_text(c)
                } else {
                    excel_safe(c)
                }
            })
            .collect();
        w.write_record(&safe).map_err(std::io::Error::other)
    };
    for file in &report.files {
        for f in &file.findings {
            let message = format!("{}: {}", file.name, f.message);
            row([
                "",
                "",
                f.code.as_str(),
                severity(f.severity),
                &f.rows.describe(),
                &message,
                "",
                "",
            ])?;
        }
    }
    report.entries.each(|e| -> std::io::Result<()> {
        let (duty, interest) = (e.ieepa_duty.to_string(), e.interest_estimate.to_string());
        for f in &e.findings {
            row([
                &e.entry,
                e.verdict.as_str(),
                f.code.as_str(),
                severity(f.severity),
                &f.rows.describe(),
                &f.message,
                &duty,
                &interest,
            ])?;
        }
        Ok(())
    })?;
    w.flush()
}

fn severity(s: crate::finding::Severity) -> &'static str {
    match s {
        crate::finding::Severity::Info => "info",
        crate::finding::Severity::Warning => "warning",
        crate::finding::Severity::Error => "error",
    }
}

/// A cell Excel will not run: one starting with `=`, `+`, `-`, `@`, tab or
/// CR gets a leading apostrophe (OWASP's CSV injection advice).
/// A cell Excel must show as the very text it holds: `="..."`, a formula
/// that is only a string (as ACE writes entry numbers), so that Excel never
/// turns it into a number or a date. Empty stays empty; text too long for
/// a formula's string (255 characters) or holding line breaks is written
/// as [`excel_safe`] writes it.
///
/// ```
/// use cape_check::output::declaration::excel_text;
/// assert_eq!(excel_text("01234567890"), "=\"01234567890\"");
/// assert_eq!(excel_text("2-5"), "=\"2-5\"");
/// assert_eq!(excel_text("a\"b"), "=\"a\"\"b\"");
/// assert_eq!(excel_text(""), "");
/// ```
pub fn excel_text(cell: &str) -> String {
    if cell.is_empty() || cell.chars().count() > 255 || cell.contains(['\r', '\n']) {
        return excel_safe(cell);
    }
    format!("=\"{}\"", cell.replace('"', "\"\""))
}

pub fn excel_safe(cell: &str) -> String {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(n: usize) -> Vec<EntryNumber> {
        (0..n)
            .map(|i| {
                let mut b = *b"XQ700000000";
                let digits = format!("{i:07}");
                b[3..10].copy_from_slice(digits.as_bytes());
                b[10] = b'0' + crate::values::entry_number::check_digit(&b).unwrap();
                EntryNumber::parse(std::str::from_utf8(&b).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn splits_above_9999_entries() {
        let rules = RuleSet::default();
        let files = declaration_files(&numbers(9_999), &rules);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].bytes.len(), 14 + 9_999 * 13);
        let files = declaration_files(&numbers(10_000), &rules);
        assert_eq!(
            files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["cape-declaration-1-of-2.csv", "cape-declaration-2-of-2.csv"]
        );
        assert_eq!(
            files[1].bytes,
            [HEADER, numbers(10_000)[9_999].as_str().as_bytes(), b"\r\n"].concat()
        );
        assert!(files
            .iter()
            .all(|f| f.bytes.len() < rules.max_declaration_bytes && f.bytes.is_ascii()));
        assert!(declaration_files(&[], &rules).is_empty());
    }

    #[test]
    fn byte_limit_also_splits() {
        let rules = RuleSet {
            max_declaration_bytes: 14 + 13 * 3 + 1,
            ..RuleSet::default()
        };
        let files = declaration_files(&numbers(7), &rules);
        assert_eq!(files.len(), 3);
        assert!(files
            .iter()
            .all(|f| f.bytes.len() < rules.max_declaration_bytes));
    }

    #[test]
    fn per_importer_names_are_safe_bounded_and_recognised() {
        for importer in [
            Some("98-765432100"),
            Some("abc-12345678901234"),
            Some(&*"x".repeat(300)),
            Some("../../etc/passwd\u{1b}"),
            None,
        ] {
            let group = importer_group(importer);
            assert!(group.len() <= 40, "{group}");
            assert!(
                group
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                "{group}"
            );
            for name in [
                format!("cape-declaration-{group}.csv"),
                format!("cape-declaration-{group}-2-of-3.csv"),
            ] {
                assert!(is_declaration_name(&name), "{name}");
            }
        }
        assert_ne!(
            importer_group(Some("odd one")),
            importer_group(Some("odd-one"))
        );
        for mine in [
            "cape-declaration-march-FINAL.csv",
            "cape-declaration-MARCHDATA.csv",
            "cape-declaration-12345678\u{e9}.csv",
            "cape-declaration-other-ABC.csv",
            "cape-declaration-1-of-.csv",
            "cape-declaration.csv.bak",
            "declaration.csv",
        ] {
            assert!(!is_declaration_name(mine), "{mine}");
        }
        assert!(is_declaration_name("cape-declaration.csv"));
        assert!(is_declaration_name("cape-declaration-1-of-2.csv"));
    }

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(excel_safe(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(excel_safe("XQ710042173"), "XQ710042173");
        assert_eq!(excel_safe(""), "");
    }
}
