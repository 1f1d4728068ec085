//! Importer of record (IOR) numbers: an IRS number (EIN) with its 2-character
//! suffix, a Social Security number, or a CBP-assigned number, and how two of
//! them compare for CAPE's account check.

use super::text::is_removable_space;
use std::fmt;

/// A normalised importer number: uppercase letters and digits only.
///
/// ```
/// use cape_check::values::importer_number::{ImporterNumber, Comparison};
/// let account = ImporterNumber::parse("98-765432100").unwrap();
/// assert_eq!(account.compare(&ImporterNumber::parse("98-7654321-00").unwrap()), Comparison::Same);
/// assert!(matches!(account.compare(&ImporterNumber::parse("98-765432101").unwrap()),
///                  Comparison::SuffixDiffers { .. }));
/// assert_eq!(account.compare(&ImporterNumber::parse("98-7654321").unwrap()), Comparison::Same);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImporterNumber {
    /// 9 or 11 characters.
    norm: String,
    /// For 9 characters: what the dashes said the number is.
    nine: NineDigits,
    /// Written `YYDDPP-NNNNN`: a CBP-assigned number, which has no suffix.
    cbp_assigned: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum NineDigits {
    /// Not nine characters.
    NotNine,
    /// `12-3456789`: an EIN given without suffix, which means suffix `00`.
    EinWithoutSuffix,
    /// `123-45-6789`: a Social Security number.
    Ssn,
    /// Nine digits and no dashes: an SSN or an EIN without suffix.
    Either,
}

/// How two importer numbers compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The same importer of record.
    Same,
    /// Same IRS number, different suffix: a different importer of record for CBP.
    SuffixDiffers { ours: String, theirs: String },
    /// Different importers.
    Different,
}

impl ImporterNumber {
    /// Reads an importer number as written in ACE or a spreadsheet. `None`
    /// when it is not 9 or 11 letters and digits (10 digits are taken as an
    /// 11-character number that lost its leading zero in Excel).
    pub fn parse(text: &str) -> Option<ImporterNumber> {
        let trimmed = text
            .trim_matches(is_removable_space)
            .trim_start_matches('\'');
        let mut norm = String::with_capacity(11);
        for c in trimmed.chars() {
            if c.is_ascii_alphanumeric() {
                norm.push(c.to_ascii_uppercase());
            } else if !(c == '-' || is_removable_space(c)) {
                return None;
            }
        }
        if norm.len() == 10 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            // Only an undashed number can have been a number to Excel.
            norm.insert(0, '0');
        }
        let cbp_assigned = norm.len() == 11 && trimmed.match_indices('-').map(|(i, _)| i).eq([6]);
        let nine = match norm.len() {
            11 => NineDigits::NotNine,
            9 if norm.bytes().all(|b| b.is_ascii_digit()) => {
                let dashes: Vec<usize> = trimmed.match_indices('-').map(|(i, _)| i).collect();
                match dashes.as_slice() {
                    [2] => NineDigits::EinWithoutSuffix,
                    [3, 6] => NineDigits::Ssn,
                    [] => NineDigits::Either,
                    _ => return None,
                }
            }
            _ => return None,
        };
        if nine == NineDigits::EinWithoutSuffix {
            norm.push_str("00");
            return Some(ImporterNumber {
                norm,
                nine: NineDigits::NotNine,
                cbp_assigned: false,
            });
        }
        Some(ImporterNumber {
            norm,
            nine,
            cbp_assigned,
        })
    }

    /// The normalised form: 9 or 11 uppercase letters and digits.
    pub fn as_str(&self) -> &str {
        &self.norm
    }

    /// Whether `other` is the same importer of record for CBP.
    pub fn compare(&self, other: &ImporterNumber) -> Comparison {
        let (a, b) = (self, other);
        match (a.norm.len(), b.norm.len()) {
            (11, 11) if a.norm == b.norm => Comparison::Same,
            (11, 11)
                if a.norm[..9] == b.norm[..9]
                    && !a.cbp_assigned
                    && !b.cbp_assigned
                    && a.norm.bytes().take(9).all(|c| c.is_ascii_digit()) =>
            {
                Comparison::SuffixDiffers {
                    ours: a.norm[9..].to_string(),
                    theirs: b.norm[9..].to_string(),
                }
            }
            (9, 9) if a.norm == b.norm => Comparison::Same,
            (9, 11) => nine_against_eleven(a, b),
            (11, 9) => match nine_against_eleven(b, a) {
                Comparison::SuffixDiffers { ours, theirs } => Comparison::SuffixDiffers {
                    ours: theirs,
                    theirs: ours,
                },
                other => other,
            },
            _ => Comparison::Different,
        }
    }
}

/// Nine undashed digits may be an EIN without suffix, which means `00`.
fn nine_against_eleven(nine: &ImporterNumber, eleven: &ImporterNumber) -> Comparison {
    if nine.nine != NineDigits::Either || eleven.norm[..9] != nine.norm {
        return Comparison::Different;
    }
    if &eleven.norm[9..] == "00" {
        Comparison::Same
    } else {
        Comparison::SuffixDiffers {
            ours: "00".into(),
            theirs: eleven.norm[9..].to_string(),
        }
    }
}

impl fmt::Display for ImporterNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(s: &str) -> ImporterNumber {
        ImporterNumber::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn written_forms_normalise() {
        assert_eq!(imp("98-765432100").as_str(), "98765432100");
        assert_eq!(imp("98-7654321-00").as_str(), "98765432100");
        assert_eq!(imp(" 87-6543210ab ").as_str(), "876543210AB");
        assert_eq!(imp("27-4815512").as_str(), "27481551200");
        assert_eq!(imp("123-45-6789").as_str(), "123456789");
        assert_eq!(imp("260115-12345").as_str(), "26011512345");
        assert_eq!(imp("\u{00A0}98-765432100").as_str(), "98765432100");
    }

    #[test]
    fn rejects_what_is_not_an_importer_number() {
        for s in [
            "",
            "12345",
            "98-76543210000",
            "98/765432100",
            "ABC",
            "12-34-56789-1",
        ] {
            assert!(ImporterNumber::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn suffix_matters_and_is_named() {
        assert_eq!(
            imp("98-765432100").compare(&imp("98-765432101")),
            Comparison::SuffixDiffers {
                ours: "00".into(),
                theirs: "01".into()
            }
        );
        assert_eq!(
            imp("98-765432100").compare(&imp("97-765432100")),
            Comparison::Different
        );
    }

    #[test]
    fn cbp_assigned_numbers_have_no_suffix() {
        assert_eq!(
            imp("260115-12345").compare(&imp("260115-12344")),
            Comparison::Different
        );
        assert_eq!(
            imp("260115-12345").compare(&imp("26011512345")),
            Comparison::Same
        );
    }

    #[test]
    fn nine_digits_mean_suffix_00_or_an_ssn() {
        assert_eq!(
            imp("27-4815512").compare(&imp("27-481551200")),
            Comparison::Same
        );
        assert!(matches!(
            imp("27-4815512").compare(&imp("27-481551201")),
            Comparison::SuffixDiffers { .. }
        ));
        assert_eq!(
            imp("274815512").compare(&imp("27-481551200")),
            Comparison::Same
        );
        assert_eq!(
            imp("27-481551200").compare(&imp("274815512")),
            Comparison::Same
        );
        assert_eq!(
            imp("274815512").compare(&imp("274-81-5512")),
            Comparison::Same
        );
        assert_eq!(
            imp("123-45-6789").compare(&imp("12345678900")),
            Comparison::Different
        );
        assert_eq!(
            imp("123-45-6789").compare(&imp("123456789")),
            Comparison::Same
        );
    }

    #[test]
    fn lost_leading_zero_is_restored() {
        // 01-2345678 00 opened in Excel as a number: 1234567800.
        assert_eq!(
            imp("1234567800").compare(&imp("01-234567800")),
            Comparison::Same
        );
    }
}
