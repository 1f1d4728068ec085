//! Entry numbers (CBP Form 7501 block 1): a 3-character filer code, a
//! 7-digit transaction number and a check digit (CATAIR Appendix E), and
//! what Excel does to them.

use super::text::is_removable_space;
use std::fmt;

/// A valid entry number: 11 uppercase ASCII alphanumerics whose check digit
/// verifies.
///
/// ```
/// use cape_check::values::entry_number::{EntryNumber, read_entry_number};
/// let reading = read_entry_number("016-4410133-7");
/// assert_eq!(reading.number.unwrap().as_str(), "01644101337");
/// assert!(reading.cleaned);
/// assert!(EntryNumber::parse("B7603245278").is_some());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryNumber([u8; 11]);

impl EntryNumber {
    /// The number as a u64 that sorts as the numbers do: base 36, digits
    /// before letters as in ASCII (36^11 < 2^64).
    ///
    /// ```
    /// use cape_check::values::entry_number::EntryNumber;
    /// let a = EntryNumber::parse("01644100214").unwrap();
    /// let b = EntryNumber::parse("XQ710042173").unwrap();
    /// assert!(a.sort_key() < b.sort_key());
    /// assert_eq!(EntryNumber::from_sort_key(b.sort_key()), b);
    /// ```
    pub fn sort_key(self) -> u64 {
        self.0.iter().fold(0u64, |key, &c| {
            let digit = if c.is_ascii_digit() {
                c - b'0'
            } else {
                c - b'A' + 10
            };
            key * 36 + u64::from(digit)
        })
    }

    /// The number a [`EntryNumber::sort_key`] was made of.
    pub fn from_sort_key(mut key: u64) -> EntryNumber {
        let mut bytes = [0u8; 11];
        for b in bytes.iter_mut().rev() {
            let digit = (key % 36) as u8;
            *b = if digit < 10 {
                b'0' + digit
            } else {
                b'A' + digit - 10
            };
            key /= 36;
        }
        EntryNumber(bytes)
    }
}

/// A broker's 3-character filer code: the first three characters of every
/// entry number the broker files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FilerCode([u8; 3]);

/// What reading one written entry number gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryNumberReading {
    /// The number, or why there is none.
    pub number: Result<EntryNumber, EntryNumberProblem>,
    /// Dashes, spaces, an apostrophe, invisible characters or lowercase
    /// letters were removed or changed.
    pub cleaned: bool,
    /// Lost leading zeros were put back (and the check digit then verified).
    pub restored: bool,
}

/// Why a written value is not a usable entry number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryNumberProblem {
    /// Nothing left after cleaning.
    Empty,
    /// Scientific notation (`1.64410E+10`): Excel destroyed the digits.
    Scientific,
    /// Not 11 alphanumerics in the right places, and not restorable. The
    /// string says what is wrong, for the message.
    Malformed(String),
    /// 11 characters in the right places, but the check digit does not
    /// verify: `expected` is the digit the first ten call for.
    CheckDigit { expected: u8 },
}

impl EntryNumber {
    /// A valid entry number from 11 characters exactly as CAPE wants them,
    /// or `None`. Use [`read_entry_number`] for values from a spreadsheet.
    pub fn parse(text: &str) -> Option<EntryNumber> {
        let bytes: [u8; 11] = text.as_bytes().try_into().ok()?;
        (shape_problem(&bytes).is_none() && check_digit(&bytes) == Some(bytes[10] - b'0'))
            .then_some(EntryNumber(bytes))
    }

    /// 11 bytes as a key to look up among numbers already validated, without
    /// validating them again: never store the result.
    pub(crate) fn lookup_key(text: &str) -> Option<EntryNumber> {
        text.as_bytes().try_into().ok().map(EntryNumber)
    }

    /// The 11 characters, no dashes.
    pub fn as_str(&self) -> &str {
        // Only ASCII alphanumerics are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The filer code: the first three characters.
    pub fn filer_code(&self) -> FilerCode {
        FilerCode([self.0[0], self.0[1], self.0[2]])
    }

    /// `XQ7-1004217-3`, the way Form 7501 prints it.
    pub fn dashed(&self) -> String {
        let s = self.as_str();
        format!("{}-{}-{}", &s[..3], &s[3..10], &s[10..])
    }
}

impl fmt::Display for EntryNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for EntryNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryNumber({})", self.as_str())
    }
}

impl FilerCode {
    /// Three letters or digits, any case, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<FilerCode> {
        let t = text.trim().to_ascii_uppercase();
        let bytes: [u8; 3] = t.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_alphanumeric)
            .then_some(FilerCode(bytes))
    }

    /// The three characters.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for FilerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads an entry number as a spreadsheet cell holds it: cleans what is safe
/// to clean, restores lost leading zeros only when the check digit then
/// verifies, and otherwise says what is wrong. Never guesses.
pub fn read_entry_number(written: &str) -> EntryNumberReading {
    // Fast path: already exactly as CAPE wants it.
    if written.len() == 11 {
        if let Some(number) = EntryNumber::parse(written) {
            return EntryNumberReading {
                number: Ok(number),
                cleaned: false,
                restored: false,
            };
        }
    }
    let mut cleaned = String::with_capacity(written.len());
    for c in written.trim_matches(is_removable_space).chars() {
        if c == '-' || is_removable_space(c) {
            continue;
        }
        cleaned.push(c.to_ascii_uppercase());
    }
    if let Some(rest) = cleaned.strip_prefix('\'') {
        cleaned = rest.to_string();
    }
    let was_cleaned = cleaned != written;
    let fail = |problem| EntryNumberReading {
        number: Err(problem),
        cleaned: was_cleaned,
        restored: false,
    };
    if cleaned.is_empty() {
        return fail(EntryNumberProblem::Empty);
    }
    if is_scientific(&cleaned) {
        return fail(EntryNumberProblem::Scientific);
    }
    let bytes = cleaned.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) && (8..=10).contains(&bytes.len()) {
        let mut padded = [b'0'; 11];
        padded[11 - bytes.len()..].copy_from_slice(bytes);
        let padded_text = std::str::from_utf8(&padded).unwrap_or_default().to_string();
        return match EntryNumber::parse(&padded_text) {
            Some(number) => EntryNumberReading { number: Ok(number), cleaned: was_cleaned, restored: true },
            None => fail(EntryNumberProblem::Malformed(format!(
                "it has {} digits; padded with zeros to {padded_text} its check digit does not verify, so it is not a number that lost its leading zeros",
                bytes.len()
            ))),
        };
    }
    let Ok(eleven) = <[u8; 11]>::try_from(bytes) else {
        return fail(EntryNumberProblem::Malformed(format!(
            "it has {} characters after cleaning; an entry number has 11 (3-character filer code, 7-digit transaction number, check digit)",
            cleaned.chars().count()
        )));
    };
    if let Some(problem) = shape_problem(&eleven) {
        return fail(EntryNumberProblem::Malformed(problem));
    }
    match check_digit(&eleven) {
        Some(expected) if expected == eleven[10] - b'0' => EntryNumberReading {
            number: Ok(EntryNumber(eleven)),
            cleaned: was_cleaned,
            restored: false,
        },
        Some(expected) => fail(EntryNumberProblem::CheckDigit { expected }),
        None => fail(EntryNumberProblem::Malformed(
            "it has characters an entry number cannot hold".into(),
        )),
    }
}

/// `1.64410E+10`, `1.6441E+10`, `1E+10`: what Excel shows for a long number;
/// `1,23457E+10` in a European locale (a decimal comma).
fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exponent)) = s.split_once('E') else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, frac) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    !whole.is_empty()
        && !exponent.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// Filer code alphanumeric, transaction number and check digit digits.
fn shape_problem(b: &[u8; 11]) -> Option<String> {
    if !b[..3].iter().all(u8::is_ascii_alphanumeric) || b[..3].iter().any(u8::is_ascii_lowercase) {
        return Some(format!(
            "its filer code '{}' is not 3 letters or digits",
            String::from_utf8_lossy(&b[..3])
        ));
    }
    if !b[3..].iter().all(u8::is_ascii_digit) {
        return Some(format!(
            "characters 4 to 11 ('{}') must be digits: a 7-digit transaction number and a check digit",
            String::from_utf8_lossy(&b[3..])
        ));
    }
    None
}

/// The CATAIR Appendix E check digit of the first ten characters, or `None`
/// if one is not a letter or digit.
pub fn check_digit(b: &[u8; 11]) -> Option<u8> {
    let mut total = 0u32;
    for (i, &c) in b[..10].iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'I' => c - b'A' + 1,
            b'J'..=b'R' => c - b'J' + 1,
            b'S'..=b'Z' => c - b'S' + 2,
            _ => return None,
        };
        // Positions 2, 4, 6, 8, 10 counted from 1 are doubled.
        total += if i % 2 == 1 {
            let d = u32::from(v) * 2;
            d / 10 + d % 10
        } else {
            u32::from(v)
        };
    }
    Some(((10 - total % 10) % 10) as u8)
}

/// How the report names an entry: its 11-character number, or as written
/// when it is unusable. Reads as a `&str`; a valid number needs no
/// allocation (a report may hold 100,000 entries, and dropping it costs a
/// free for each allocation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryName {
    Number(EntryNumber),
    Written(Box<str>),
}

impl std::ops::Deref for EntryName {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            EntryName::Number(n) => n.as_str(),
            EntryName::Written(w) => w,
        }
    }
}

impl PartialEq<str> for EntryName {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for EntryName {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl PartialEq<String> for EntryName {
    fn eq(&self, other: &String) -> bool {
        &**self == other.as_str()
    }
}

impl std::fmt::Display for EntryName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl serde::Serialize for EntryName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catair_vectors_verify() {
        for n in ["B7603245278", "XQ710042173", "12345678903", "01644100214"] {
            assert!(EntryNumber::parse(n).is_some(), "{n}");
        }
        let b: [u8; 11] = *b"B7603245270";
        assert_eq!(check_digit(&b), Some(8));
    }

    #[test]
    fn every_single_digit_change_fails() {
        // The check digit catches every single-character substitution of a
        // digit (Luhn's property), in any position, for these valid numbers.
        for n in [
            "B7603245278",
            "XQ710042173",
            "12345678903",
            "01644100214",
            "Z9Z30000114",
            "XQ710030186",
        ] {
            assert!(EntryNumber::parse(n).is_some(), "{n}");
            for pos in 0..11 {
                if !n.as_bytes()[pos].is_ascii_digit() {
                    continue;
                }
                for d in b'0'..=b'9' {
                    if d == n.as_bytes()[pos] {
                        continue;
                    }
                    let mut changed = n.as_bytes().to_vec();
                    changed[pos] = d;
                    let changed = String::from_utf8(changed).unwrap();
                    assert!(
                        EntryNumber::parse(&changed).is_none(),
                        "{changed} (from {n}) should fail"
                    );
                }
            }
        }
    }

    #[test]
    fn generated_numbers_all_detect_single_digit_changes() {
        // A property test over many numbers: build the valid number for a
        // filer code and transaction number, then change each digit.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..500 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let filer = [b"XQ7", b"016", b"B76", b"Z9Z", b"AB1", b"9AA"][(state % 6) as usize];
            let mut b = [0u8; 11];
            b[..3].copy_from_slice(filer);
            let mut t = state >> 8;
            for slot in b.iter_mut().take(10).skip(3) {
                *slot = b'0' + (t % 10) as u8;
                t /= 10;
            }
            b[10] = b'0' + check_digit(&b).unwrap();
            let valid = std::str::from_utf8(&b).unwrap().to_string();
            assert!(EntryNumber::parse(&valid).is_some());
            for pos in 3..11 {
                let mut c = b;
                c[pos] = b'0' + (c[pos] - b'0' + 1 + (state % 9) as u8) % 10;
                assert!(EntryNumber::parse(std::str::from_utf8(&c).unwrap()).is_none());
            }
        }
    }

    #[test]
    fn cleaning_is_reported() {
        for written in [
            "016-4410133-7",
            " 01644101337",
            "'01644101337",
            "016 4410133 7",
            "\u{00A0}01644101337\u{200B}",
            "xq7-1004217-3",
        ] {
            let r = read_entry_number(written);
            assert!(r.number.is_ok(), "{written}");
            assert!(r.cleaned, "{written}");
            assert!(!r.restored);
        }
        let r = read_entry_number("XQ710042173");
        assert_eq!((r.cleaned, r.restored), (false, false));
    }

    #[test]
    fn lost_leading_zeros_are_restored_only_when_the_check_digit_verifies() {
        let r = read_entry_number("1644100214");
        assert_eq!(r.number.unwrap().as_str(), "01644100214");
        assert!(r.restored);
        let r = read_entry_number("44100214");
        assert!(r.number.is_err() || r.restored);
        let r = read_entry_number("1644101502");
        assert!(
            matches!(r.number, Err(EntryNumberProblem::Malformed(_))),
            "{r:?}"
        );
        // Seven digits are too few to be a lost-zero number.
        assert!(matches!(
            read_entry_number("4410021").number,
            Err(EntryNumberProblem::Malformed(_))
        ));
    }

    #[test]
    fn scientific_notation_is_recognised() {
        for written in ["1.64410E+10", "1.6441E+10", "1E+10", "1.6441e+10"] {
            assert_eq!(
                read_entry_number(written).number,
                Err(EntryNumberProblem::Scientific),
                "{written}"
            );
        }
        assert_ne!(
            read_entry_number("1.6441").number,
            Err(EntryNumberProblem::Scientific)
        );
    }

    #[test]
    fn wrong_check_digit_and_shapes() {
        assert_eq!(
            read_entry_number("XQ710042174").number,
            Err(EntryNumberProblem::CheckDigit { expected: 3 })
        );
        assert!(matches!(
            read_entry_number("XQ71004217A").number,
            Err(EntryNumberProblem::Malformed(_))
        ));
        assert!(matches!(
            read_entry_number("XQ7100421").number,
            Err(EntryNumberProblem::Malformed(_))
        ));
        assert!(matches!(
            read_entry_number("XQ7#0042173").number,
            Err(EntryNumberProblem::Malformed(_))
        ));
        assert_eq!(
            read_entry_number("  - ").number,
            Err(EntryNumberProblem::Empty)
        );
    }

    #[test]
    fn filer_codes() {
        assert_eq!(FilerCode::parse(" xq7 ").unwrap().as_str(), "XQ7");
        assert!(FilerCode::parse("XQ").is_none());
        assert!(FilerCode::parse("X-7").is_none());
        assert_eq!(
            EntryNumber::parse("XQ710042173").unwrap().filer_code(),
            FilerCode::parse("XQ7").unwrap()
        );
        assert_eq!(
            EntryNumber::parse("XQ710042173").unwrap().dashed(),
            "XQ7-1004217-3"
        );
    }
}
