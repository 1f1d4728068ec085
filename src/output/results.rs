//! A finished audit, browsed: the judged report stays in one place (the
//! browser's worker) and is looked at through small views, so that an
//! export of 100,000 entries never crosses to the page whole.
//!
//! - [`Results::overview`]: what the page shows first (totals, files, the
//!   findings grouped by code with a few examples, the declarations).
//! - [`Results::entries`]: one page of entries matching a filter.
//! - [`Results::include`]: entries to review put into (or out of) the
//!   declaration, which [`Results::declarations`] then writes.
//! - [`Results::write_findings_csv`]: `findings.csv`, when asked for.
//!
//! ```
//! use cape_check::{Account, Audit, Settings, values::date::Date};
//! use cape_check::output::results::{EntryQuery, Results};
//! let mut settings = Settings::new(Date::parse("2026-11-22").unwrap());
//! settings.account = Some(Account::importer("98-765432100").unwrap());
//! let mut audit = Audit::new(settings);
//! audit.feed(b"Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,");
//! audit.feed(b"HTS Number - Full,Line Tariff Duty Amount\r\n");
//! audit.feed(b"XQ710042173,98-765432100,01,01/30/2026,99030269,\"$2,000.00\"\r\n");
//! let results = audit.into_results();
//! assert_eq!(results.overview().totals.ready, 1);
//! let page = results.entries(&EntryQuery::default());
//! assert_eq!(page.matching, 1);
//! assert_eq!(page.entries[0].entry.entry, "XQ710042173");
//! ```

use super::declaration::{declaration_files_by_importer, write_findings_csv, OutputFile};
use super::report::{
    AccountReport, AppliedTotals, ClaimsReport, CourtDeadlinesNear, DeclarationReport, EntryReport,
    FileReport, ImporterTotals, InterestReport, Report, RulesReport, Totals,
};
use crate::finding::{Code, Severity, Verdict};
use crate::rules::RuleSet;
use crate::settings::Settings;
use crate::values::entry_number::EntryName;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// An entry named to include that is not an entry to review (as named).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotToReview(pub String);

impl std::fmt::Display for NotToReview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' is not an entry to review in this audit: only entries to review can be put into the declaration or taken out.", self.0)
    }
}

impl std::error::Error for NotToReview {}

/// Examples of a finding code shown with its group.
pub const EXAMPLES_PER_CODE: usize = 5;

/// A finished audit and the entries to review the user chose to include.
#[derive(Debug)]
pub struct Results {
    report: Report,
    declarations: Vec<OutputFile>,
    rules: RuleSet,
    per_importer: bool,
    /// Entries to review put into the declaration, by index in the report
    /// (all of them to start with when the settings include them).
    included: HashSet<usize>,
    /// The user changed `included`: the audit's declarations no longer hold.
    rechosen: bool,
}

/// What the page shows first. The report of contract section 3 without its
/// entries, plus the findings grouped by code.
#[derive(Debug, Serialize)]
pub struct Overview<'a> {
    pub format: &'static str,
    pub as_of: &'a str,
    pub rules: &'a RulesReport,
    pub account: &'a Option<AccountReport>,
    pub files: &'a [FileReport],
    pub declarations: &'a [DeclarationReport],
    pub totals: &'a Totals,
    pub interest: &'a InterestReport,
    pub by_importer: &'a [ImporterTotals],
    /// Worst severity first, then the most frequent.
    pub codes: Vec<CodeGroup<'a>>,
    /// Entries to review now in the declaration.
    pub included: usize,
    /// Entries a court action may soon be too late for.
    pub court_deadline_near: &'a CourtDeadlinesNear,
    /// The Claim Details downloads and each entry's history in them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<&'a ClaimsReport>,
    /// With exports after filing: entries by whether their refund was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<&'a AppliedTotals>,
}

/// One finding code over the whole audit.
#[derive(Debug, Serialize)]
pub struct CodeGroup<'a> {
    pub code: Code,
    /// The worst severity it has anywhere.
    pub severity: Severity,
    /// Entries with this finding.
    pub entries: usize,
    /// Findings with this code about files as a whole.
    pub in_files: usize,
    /// The first few, in report order (files first).
    pub examples: Vec<Example<'a>>,
}

/// One finding of a group: the entry (none for a file finding) and the message.
#[derive(Debug, Serialize)]
pub struct Example<'a> {
    pub entry: Option<&'a str>,
    pub message: &'a str,
}

/// Which entries to list. Every field narrows; the default lists all.
#[derive(Clone, Debug, Default)]
pub struct EntryQuery {
    pub verdict: Option<Verdict>,
    pub code: Option<Code>,
    /// Part of the entry number; only letters and digits count (dashes and
    /// spaces typed between them are ignored), any case.
    pub search: String,
    /// Matching entries to skip.
    pub offset: usize,
    /// Entries to return at most; 0 means all.
    pub limit: usize,
}

/// One page of matching entries.
#[derive(Debug, Serialize)]
pub struct EntryPage<'a> {
    /// All the entries that match, on every page.
    pub matching: usize,
    pub offset: usize,
    pub entries: Vec<ListedEntry<'a>>,
}

/// An entry of the report, and whether it goes into the declaration.
#[derive(Debug, Serialize)]
pub struct ListedEntry<'a> {
    #[serde(flatten)]
    pub entry: &'a EntryReport,
    pub in_declaration: bool,
}

impl Results {
    /// A finished audit's report and declarations, kept to browse
    /// (`settings`: those the audit ran with). See `Audit::into_results`.
    pub fn new(report: Report, declarations: Vec<OutputFile>, settings: &Settings) -> Results {
        let (rules, per_importer) = (settings.rules.clone(), settings.per_importer);
        let include_review = settings.include_review;
        // With the setting, the entries to review that the audit wrote start
        // out included: the user may still take some out.
        let included = if include_review {
            (0..report.entries.len())
                .filter(|&i| report.entries[i].included_in_bulk())
                .collect()
        } else {
            HashSet::new()
        };
        Results {
            report,
            declarations,
            rules,
            per_importer,
            included,
            rechosen: false,
        }
    }

    /// The summary, files and finding groups.
    pub fn overview(&self) -> Overview<'_> {
        let mut codes: Vec<CodeGroup<'_>> = Vec::new();
        // Files first, then entries, so that examples come in report order.
        let files = self
            .report
            .files
            .iter()
            .flat_map(|file| file.findings.iter().map(|f| (None, f)));
        let entries = self
            .report
            .entries
            .iter()
            .flat_map(|e| e.findings.iter().map(|f| (Some(&*e.entry), f)));
        for (entry, f) in files.chain(entries) {
            let i = match codes.iter().position(|g| g.code == f.code) {
                Some(i) => i,
                None => {
                    codes.push(CodeGroup {
                        code: f.code,
                        severity: f.severity,
                        entries: 0,
                        in_files: 0,
                        examples: Vec::new(),
                    });
                    codes.len() - 1
                }
            };
            let g = &mut codes[i];
            g.severity = g.severity.max(f.severity);
            match entry {
                Some(_) => g.entries += 1,
                None => g.in_files += 1,
            }
            if g.examples.len() < EXAMPLES_PER_CODE {
                g.examples.push(Example {
                    entry,
                    message: &f.message,
                });
            }
        }
        crate::values::sort_short(&mut codes, |a, b| {
            b.severity
                .cmp(&a.severity)
                .then((b.entries + b.in_files).cmp(&(a.entries + a.in_files)))
                .then(a.code.cmp(&b.code))
                .is_lt()
        });
        Overview {
            format: self.report.format,
            as_of: &self.report.as_of,
            rules: &self.report.rules,
            account: &self.report.account,
            files: &self.report.files,
            declarations: &self.report.declarations,
            totals: &self.report.totals,
            interest: &self.report.interest,
            by_importer: &self.report.by_importer,
            codes,
            included: self.included.len(),
            court_deadline_near: &self.report.court_deadline_near,
            claims: self.report.claims.as_ref(),
            applied: self.report.applied.as_ref(),
        }
    }

    /// The entries that match `query`, in report order, one page of them.
    pub fn entries(&self, query: &EntryQuery) -> EntryPage<'_> {
        let wanted: String = query
            .search
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let limit = if query.limit == 0 {
            usize::MAX
        } else {
            query.limit
        };
        let mut matching = 0;
        let mut entries = Vec::new();
        for (i, e) in self.report.entries.iter().enumerate() {
            let fits = query.verdict.is_none_or(|v| e.verdict == v)
                && query
                    .code
                    .is_none_or(|c| e.findings.iter().any(|f| f.code == c))
                && (wanted.is_empty() || normalised_contains(&e.entry, &wanted));
            if !fits {
                continue;
            }
            if matching >= query.offset && entries.len() < limit {
                entries.push(ListedEntry {
                    entry: e,
                    in_declaration: self.in_declaration(i),
                });
            }
            matching += 1;
        }
        EntryPage {
            matching,
            offset: query.offset,
            entries,
        }
    }

    /// Puts entries to review into the declaration (`include`) or takes
    /// them out; `None` means every entry to review (included: every one
    /// [`EntryReport::included_in_bulk`]; a listed entry is included
    /// whatever its findings, a person having chosen it). Says how many are
    /// in now. An entry that is not one to review is refused, naming it,
    /// and nothing changes.
    pub fn include(
        &mut self,
        entries: Option<&[String]>,
        include: bool,
    ) -> Result<usize, NotToReview> {
        let all = &self.report.entries;
        let review = |i: &usize| all[*i].verdict == Verdict::Review;
        let chosen: Vec<usize> = match entries {
            None if include => (0..all.len())
                .filter(|&i| all[i].included_in_bulk())
                .collect(),
            None => (0..all.len()).filter(review).collect(),
            Some(list) => {
                let index: HashMap<&str, usize> = if list.len() > 8 {
                    all.iter()
                        .enumerate()
                        .map(|(i, e)| (&*e.entry, i))
                        .collect()
                } else {
                    HashMap::new()
                };
                let find = |written: &str| match index.is_empty() {
                    true => all.iter().position(|e| e.entry == written),
                    false => index.get(written).copied(),
                };
                list.iter()
                    .map(|written| {
                        find(written)
                            .filter(review)
                            .ok_or_else(|| NotToReview(written.clone()))
                    })
                    .collect::<Result<_, _>>()?
            }
        };
        self.rechosen = true;
        for i in chosen {
            if include {
                self.included.insert(i);
            } else {
                self.included.remove(&i);
            }
        }
        Ok(self.included.len())
    }

    /// The declaration file(s): the audit's, or with included entries to
    /// review, rebuilt with them in report order (one per importer when the
    /// audit wrote one per importer).
    pub fn declarations(&self) -> Vec<OutputFile> {
        if !self.rechosen {
            return self.declarations.clone();
        }
        let chosen = self
            .report
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| self.in_declaration(*i))
            .filter_map(|(_, e)| match e.entry {
                EntryName::Number(n) => Some((n, e.importer.as_deref())),
                EntryName::Written(_) => None,
            });
        declaration_files_by_importer(chosen, &self.rules, self.per_importer)
    }

    /// `cape-refile.csv` (split like a declaration): the entries to file
    /// again after Claim Details, with those whose fix the user confirmed;
    /// none when there is none.
    pub fn refile(&self) -> Vec<OutputFile> {
        self.report
            .claims
            .as_ref()
            .map_or_else(Vec::new, |c| c.refile_files(&self.rules))
    }

    /// `findings.csv` (see [`write_findings_csv`]).
    pub fn write_findings_csv<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        write_findings_csv(&self.report, out)
    }

    fn in_declaration(&self, i: usize) -> bool {
        let e = &self.report.entries[i];
        match e.verdict {
            Verdict::Ready => true,
            Verdict::Review => self.included.contains(&i),
            Verdict::Blocked => false,
        }
    }
}

/// Whether `entry`, letters and digits uppercased, contains `wanted`.
fn normalised_contains(entry: &str, wanted: &str) -> bool {
    if entry
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return entry.contains(wanted);
    }
    let normalised: String = entry
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    normalised.contains(wanted)
}
