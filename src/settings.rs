//! What the user tells cape-check: the account they file from, the filing
//! date, whether reviewed entries go into the declaration; and how the
//! front end that asks words its advice.

pub use crate::finding::Wording;
use crate::rules::params::RuleSet;
use crate::rules::Filing;
pub use crate::values::account::{Account, AccountError};
use crate::values::date::Date;

/// The settings of one audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The account, or `None` (account checks are then skipped and said so).
    pub account: Option<Account>,
    /// The filing date: the day CAPE will validate the declaration.
    pub as_of: Date,
    /// Write entries to review into the declaration too.
    pub include_review: bool,
    /// Write one declaration per importer of record (brokers filing for many).
    pub per_importer: bool,
    /// The importer of record is not a corporation: interest at the
    /// non-corporate rate (rules.md, Interest).
    pub non_corporate: bool,
    /// The importer is a plaintiff at the Court of International Trade,
    /// registered for Phase 3 (rules.md section 8).
    pub cit_plaintiff: bool,
    /// Entries the user confirmed fixed (normalised numbers): re-filed when
    /// CBP's last message allows it after a fix (contract section 7).
    pub fixed: Vec<String>,
    /// The user's correction of a Claim Details download's date, by file
    /// name.
    pub download_dates: Vec<(String, Date)>,
    /// ES-003 exports made after filing, by file name: they say, for the
    /// entries of the other exports, whether the refund was applied.
    pub after_files: Vec<String>,
    /// CBP's parameters.
    pub rules: RuleSet,
    /// How the front end says where the user gives a setting or gets a file.
    pub wording: Wording,
}

impl Settings {
    /// Settings for a filing date, no account, CAPE's current rules, advice
    /// worded for no front end in particular.
    pub fn new(as_of: Date) -> Settings {
        Settings {
            account: None,
            as_of,
            include_review: false,
            per_importer: false,
            non_corporate: false,
            cit_plaintiff: false,
            fixed: Vec::new(),
            download_dates: Vec::new(),
            after_files: Vec::new(),
            rules: RuleSet::default(),
            wording: Wording::NEUTRAL,
        }
    }

    /// The settings in words, for a record (the workbook's Summary): each
    /// one the user may change, with its value.
    pub fn described(&self) -> Vec<(String, String)> {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        let list = |items: &[String]| {
            if items.is_empty() {
                "none".to_string()
            } else {
                items.join(", ")
            }
        };
        vec![
            (
                "One declaration per importer".into(),
                yes_no(self.per_importer),
            ),
            (
                "Interest rate column".into(),
                if self.non_corporate {
                    "non-corporate"
                } else {
                    "corporate"
                }
                .into(),
            ),
            (
                "Plaintiff at the Court of International Trade (Phase 3)".into(),
                yes_no(self.cit_plaintiff),
            ),
            ("Entries whose fix was confirmed".into(), list(&self.fixed)),
            (
                "Download dates corrected".into(),
                list(
                    &self
                        .download_dates
                        .iter()
                        .map(|(f, d)| format!("{f}: {d}"))
                        .collect::<Vec<_>>(),
                ),
            ),
            ("Exports made after filing".into(), list(&self.after_files)),
        ]
    }

    /// What the rules need of these settings.
    pub fn filing(&self) -> Filing<'_> {
        Filing {
            as_of: self.as_of,
            account: self.account.as_ref(),
            cit_plaintiff: self.cit_plaintiff,
            fixed: &self.fixed,
            downloads: None,
            rows_in: None,
            rules: &self.rules,
            wording: self.wording,
        }
    }
}
