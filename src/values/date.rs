//! Calendar dates as ACE writes them, and the day arithmetic CAPE's windows
//! need. No time zones, no clocks: a `Date` is a proleptic Gregorian day.

use super::text::trim_spaces;
use std::fmt;
use std::num::NonZeroI32;

/// A calendar date. Ordered; `days_since` gives calendar days between two.
///
/// ```
/// use cape_check::values::date::Date;
/// let liquidated = Date::parse("08/21/2026").unwrap();
/// let filing = Date::parse("2026-11-22").unwrap();
/// assert_eq!(filing.days_since(liquidated), 93);
/// assert_eq!(liquidated.add_days(180).to_string(), "02/17/2027");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01, plus [`BIAS`]: never zero, so that an
    /// `Option<Date>` takes no more room than a date (an entry has several).
    day: NonZeroI32,
}

const BIAS: i32 = 1 << 30;

/// A day number as stored.
const fn pack(day: i32) -> NonZeroI32 {
    match NonZeroI32::new(day.wrapping_add(BIAS)) {
        Some(n) => n,
        None => panic!("a day number far outside the dates read"),
    }
}

impl Date {
    /// The date of a year, month (1-12) and day (1-31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1000..=9999).contains(&year) {
            return None;
        }
        Some(Date {
            day: pack(days_from_civil(year, month, day)),
        })
    }

    /// A date fixed in the program (a rule's date): an impossible one fails
    /// the build where it is used in a constant.
    pub const fn from_ymd_const(year: i32, month: u32, day: u32) -> Date {
        assert!(month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month));
        Date {
            day: pack(days_from_civil(year, month, day)),
        }
    }

    /// Parses `MM/DD/YYYY`, `M/D/YYYY` (after an Excel round trip) and ISO
    /// `YYYY-MM-DD`. A time after a space or `T` (`01/20/2026 00:00:00`) is
    /// ignored. Anything else (two-digit years, day-first dates, words) is
    /// `None`: a date is never guessed.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = trim_spaces(text).as_bytes();
        let end = bytes
            .iter()
            .position(|&b| b == b' ' || b == b'T')
            .unwrap_or(bytes.len());
        let bytes = &bytes[..end];
        let sep = if bytes.contains(&b'/') { '/' } else { '-' };
        // One pass: three groups of 1 to 4 digits between separators.
        let mut parts = [0u32; 3];
        let mut lens = [0usize; 3];
        let mut n = 0;
        for &b in bytes {
            if b == sep as u8 {
                if lens[n] == 0 || n == 2 {
                    return None;
                }
                n += 1;
            } else if b.is_ascii_digit() && lens[n] < 4 {
                parts[n] = parts[n] * 10 + u32::from(b - b'0');
                lens[n] += 1;
            } else {
                return None;
            }
        }
        if n != 2 || lens[2] == 0 {
            return None;
        }
        match sep {
            '/' if lens[0] <= 2 && lens[1] <= 2 && lens[2] == 4 => {
                Date::from_ymd(parts[2] as i32, parts[0], parts[1])
            }
            '-' if lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2 => {
                Date::from_ymd(parts[0] as i32, parts[1], parts[2])
            }
            _ => None,
        }
    }

    /// The date of an Excel serial day number (1900 date system, as XLSX
    /// cells store dates): 1 is 1900-01-01, with Excel's phantom 1900-02-29.
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !(61.0..2_958_466.0).contains(&serial) {
            return None;
        }
        // Serial 25569 is 1970-01-01 (valid for every serial after 60).
        Some(Date {
            day: pack(serial.floor() as i32 - 25_569),
        })
    }

    /// Calendar days from `earlier` to `self` (negative if `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        i64::from(self.number()) - i64::from(earlier.number())
    }

    /// Days since 1970-01-01 (to hand a date over between two audits).
    pub(crate) fn day_number(self) -> i32 {
        self.number()
    }

    /// Days since 1970-01-01.
    const fn number(self) -> i32 {
        self.day.get().wrapping_sub(BIAS)
    }

    /// The date of a [`Date::day_number`] (`None` outside years 1000-9999).
    pub(crate) fn from_day_number(day: i32) -> Option<Date> {
        let first = Date::from_ymd(1000, 1, 1)?.number();
        let last = Date::from_ymd(9999, 12, 31)?.number();
        (first..=last)
            .contains(&day)
            .then_some(Date { day: pack(day) })
    }

    /// The date `days` calendar days later (earlier if negative).
    pub fn add_days(self, days: i32) -> Date {
        Date {
            day: pack(self.number() + days),
        }
    }

    /// The same day `years` years later; February 29 becomes February 28
    /// in a year without it.
    pub fn add_years(self, years: i32) -> Date {
        let (y, m, d) = self.ymd();
        Date::from_ymd(y + years, m, d)
            .or_else(|| Date::from_ymd(y + years, m, d - 1))
            .unwrap_or(self)
    }

    /// ISO form `YYYY-MM-DD`, as the JSON report and the CLI take it.
    pub fn iso(self) -> String {
        let (y, m, d) = civil_from_days(self.number());
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.number())
    }
}

/// Serialises an optional date as `YYYY-MM-DD` (or null), as the JSON
/// report writes dates: `#[serde(serialize_with = "iso_or_null")]`.
pub fn iso_or_null<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.iso()),
        None => s.serialize_none(),
    }
}

/// `MM/DD/YYYY`, the way ACE and CBP's messages write dates.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.number());
        write!(f, "{m:02}/{d:02}/{y:04}")
    }
}

const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
const fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ace_excel_and_iso_forms() {
        let want = Date::from_ymd(2026, 1, 6).unwrap();
        for text in [
            "01/06/2026",
            "1/6/2026",
            "2026-01-06",
            " 1/6/2026 ",
            "01/06/2026 00:00:00",
            "2026-01-06T00:00:00",
        ] {
            assert_eq!(Date::parse(text), Some(want), "{text}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_read_for_sure() {
        for text in [
            "",
            "13/01/2026",
            "02/30/2026",
            "1/6/26",
            "2026/01/06",
            "06-01-2026",
            "Jan 6 2026",
            "1/6/2026/1",
            "0/6/2026",
            "1//2026",
            "1/6/",
            "/1/6/2026",
            "001/6/2026",
            "1/6/20260",
            "1-6/2026",
            "2026-1-6-",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        assert!(Date::parse("02/29/2028").is_some());
        assert!(Date::parse("02/29/2026").is_none());
        assert!(Date::parse("02/29/2000").is_some());
        assert!(Date::parse("02/29/2100").is_none());
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let start = Date::from_ymd(2024, 12, 31).unwrap();
        for n in -800..800 {
            let d = start.add_days(n);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            assert_eq!(d.days_since(start), i64::from(n));
        }
        assert_eq!(
            Date::parse("01/30/2026").unwrap().add_days(80).iso(),
            "2026-04-20"
        );
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            Date::from_excel_serial(46023.0).unwrap().iso(),
            "2026-01-01"
        );
        assert_eq!(
            Date::from_excel_serial(46023.75).unwrap().iso(),
            "2026-01-01"
        );
        assert!(Date::from_excel_serial(-3.0).is_none());
    }
}
