//! What the user tells cape-check: the account they file from, the filing
//! date, whether reviewed entries go into the declaration.

use crate::date::Date;
use crate::entry_number::FilerCode;
use crate::importer_number::ImporterNumber;
use crate::rules::RuleSet;

/// The ACE account the declaration will be uploaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    /// An importer account: entries must have this importer of record.
    Importer {
        number: ImporterNumber,
        written: String,
    },
    /// A broker (filer) account: entry numbers must start with this code.
    Filer(FilerCode),
}

impl Account {
    /// An importer account from an IOR number as the user typed it.
    pub fn importer(text: &str) -> Result<Account, String> {
        match ImporterNumber::parse(text) {
            Some(number) => Ok(Account::Importer { number, written: text.trim().to_string() }),
            None => Err(format!(
                "'{}' is not an importer number. Type the IOR number as ACE shows it: an IRS number with its suffix (98-765432100), a Social Security number (123-45-6789) or a CBP-assigned number (YYDDPP-NNNNN).",
                text.trim()
            )),
        }
    }

    /// A broker account from a filer code as the user typed it.
    pub fn filer(text: &str) -> Result<Account, String> {
        FilerCode::parse(text).map(Account::Filer).ok_or_else(|| {
            format!(
                "'{}' is not a filer code. A filer code is the 3 letters or digits that start every entry number the broker files (XQ7 in XQ7-1004217-3).",
                text.trim()
            )
        })
    }
}

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
    /// CBP's parameters.
    pub rules: RuleSet,
}

impl Settings {
    /// Settings for a filing date, no account, CAPE's current rules.
    pub fn new(as_of: Date) -> Settings {
        Settings {
            account: None,
            as_of,
            include_review: false,
            per_importer: false,
            rules: RuleSet::default(),
        }
    }
}
