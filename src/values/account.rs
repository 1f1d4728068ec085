//! The ACE account a declaration is uploaded from: an importer's (IOR) or
//! a broker's (filer code).

use super::entry_number::FilerCode;
use super::importer_number::ImporterNumber;
use std::fmt;

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
    pub fn importer(text: &str) -> Result<Account, AccountError> {
        match ImporterNumber::parse(text) {
            Some(number) => Ok(Account::Importer {
                number,
                written: text.trim().to_string(),
            }),
            None => Err(AccountError::NotAnImporterNumber(text.trim().to_string())),
        }
    }

    /// A broker account from a filer code as the user typed it.
    pub fn filer(text: &str) -> Result<Account, AccountError> {
        FilerCode::parse(text)
            .map(Account::Filer)
            .ok_or_else(|| AccountError::NotAFilerCode(text.trim().to_string()))
    }
}

/// Why an account setting is not one: the value as typed (trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountError {
    NotAnImporterNumber(String),
    NotAFilerCode(String),
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountError::NotAnImporterNumber(text) => write!(f, "'{text}' is not an importer number. Type the IOR number as ACE shows it: an IRS number with its suffix (98-765432100), a Social Security number (123-45-6789) or a CBP-assigned number (YYDDPP-NNNNN)."),
            AccountError::NotAFilerCode(text) => write!(f, "'{text}' is not a filer code. A filer code is the 3 letters or digits that start every entry number the broker files (XQ7 in XQ7-1004217-3)."),
        }
    }
}

impl std::error::Error for AccountError {}
