//! Money as integer cents. No floating point touches an amount.

use super::text::trim_spaces;
use std::fmt;
use std::ops::{Add, AddAssign};

/// An amount in US cents.
///
/// ```
/// use cape_check::values::money::Cents;
/// assert_eq!(Cents::parse("$2,567.49"), Some(Cents(256_749)));
/// assert_eq!(Cents::parse("(12.00)"), Some(Cents(-1_200)));
/// assert_eq!(Cents::parse("FREE"), Some(Cents(0)));
/// assert_eq!(Cents(290_000).to_string(), "2900.00");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses amounts as ACE and Excel write them: `$2,567.49`, `2567.49`,
    /// `2567`, `(12.00)` or `-12.00` for negatives, blank or `FREE` for zero.
    /// More than two decimals that are not zeros, letters, or several points
    /// are `None`: an amount is never guessed.
    pub fn parse(text: &str) -> Option<Cents> {
        let mut s = trim_spaces(text);
        if s.is_empty() || s.eq_ignore_ascii_case("free") {
            return Some(Cents(0));
        }
        let mut negative = false;
        if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            negative = true;
            s = inner.trim();
        }
        if let Some(rest) = s.strip_prefix('-') {
            if negative {
                return None;
            }
            negative = true;
            s = rest.trim_start();
        }
        s = s.strip_prefix('$').unwrap_or(s).trim_start();
        if let Some(rest) = s.strip_prefix('-') {
            if negative {
                return None;
            }
            negative = true;
            s = rest;
        }
        let (whole, frac) = match s.bytes().position(|b| b == b'.') {
            Some(dot) => (&s[..dot], &s[dot + 1..]),
            None => (s, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        // A comma is a thousands separator only: exactly three digits follow
        // it. `2567,49` (a decimal comma) is not read as 256,749.
        let mut value: i64 = 0;
        let mut digits = 0;
        let mut since_comma: Option<u32> = None;
        for b in whole.bytes() {
            match b {
                b'0'..=b'9' => {
                    // At most 15 digits of dollars: no overflow is possible,
                    // and no checked (128-bit, in wasm) multiply is needed.
                    digits += 1;
                    if digits > 15 {
                        return None;
                    }
                    value = value * 10 + i64::from(b - b'0');
                    if let Some(n) = &mut since_comma {
                        *n += 1;
                    }
                }
                b',' if digits > 0 && since_comma.is_none_or(|n| n == 3) => since_comma = Some(0),
                _ => return None,
            }
        }
        if since_comma.is_some_and(|n| n != 3) {
            return None;
        }
        let fb = frac.as_bytes();
        if !fb.iter().all(u8::is_ascii_digit) || fb.iter().skip(2).any(|&b| b != b'0') {
            return None;
        }
        let tenths = fb.first().map_or(0, |b| i64::from(b - b'0'));
        let hundredths = fb.get(1).map_or(0, |b| i64::from(b - b'0'));
        let cents = value * 100 + tenths * 10 + hundredths;
        Some(Cents(if negative { -cents } else { cents }))
    }

    /// An amount from a numeric spreadsheet cell, rounded to the cent.
    /// (Spreadsheets hold money as binary floating point; this is the one
    /// place where a float is turned into money, and it rounds half away
    /// from zero, as Excel displays it.)
    pub fn from_spreadsheet_number(value: f64) -> Option<Cents> {
        let cents = (value * 100.0).round();
        (cents.is_finite() && cents.abs() < 9.0e15).then_some(Cents(cents as i64))
    }

    /// `$1,234.56`, for people.
    pub fn dollars(self) -> String {
        let grouped = super::text::grouped(self.0.unsigned_abs() / 100);
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}${grouped}.{:02}", self.0.unsigned_abs() % 100)
    }
}

/// Decimal with two places and no grouping (`2900.00`), as the report writes money.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl serde::Serialize for Cents {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, other: Cents) {
        *self = *self + other;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_ace_and_excel_write() {
        let cases = [
            ("$2,567.49", 256_749),
            ("2567.49", 256_749),
            ("2,567.49", 256_749),
            ("2567", 256_700),
            ("2567.5", 256_750),
            (".5", 50),
            ("(12.00)", -1_200),
            ("-12.00", -1_200),
            ("-$12.00", -1_200),
            ("$-12.00", -1_200),
            ("($12.00)", -1_200),
            ("", 0),
            ("  ", 0),
            ("FREE", 0),
            ("free", 0),
            ("$0.00", 0),
            ("1.500", 150),
        ];
        for (text, cents) in cases {
            assert_eq!(Cents::parse(text), Some(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for text in [
            "abc",
            "2567,49",
            "12,5",
            "1,00,000",
            "1,2345",
            "1.2.3",
            "12.345",
            "$",
            "-",
            "(12.00",
            "1e3",
            "--5",
            "(-5)",
            ",100",
            "12 34",
            "99999999999999999999",
        ] {
            assert_eq!(Cents::parse(text), None, "{text}");
        }
    }

    #[test]
    fn formats_for_reports_and_people() {
        assert_eq!(Cents(290_000).to_string(), "2900.00");
        assert_eq!(Cents(-5).to_string(), "-0.05");
        assert_eq!(Cents(123_456_789).dollars(), "$1,234,567.89");
        assert_eq!(Cents(99).dollars(), "$0.99");
        assert_eq!(Cents(-100_000).dollars(), "-$1,000.00");
    }

    #[test]
    fn spreadsheet_numbers_round_to_the_cent() {
        assert_eq!(
            Cents::from_spreadsheet_number(2567.49),
            Some(Cents(256_749))
        );
        assert_eq!(Cents::from_spreadsheet_number(0.1 + 0.2), Some(Cents(30)));
        assert_eq!(Cents::from_spreadsheet_number(f64::NAN), None);
    }
}
