//! HTS numbers and what each kind of tariff row means for CAPE
//! (rules.md section 4).

use super::text::trim_spaces;

/// The class of one tariff row's HTS number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HtsClass {
    /// 9903.01 or 9903.02: an IEEPA duty line, what CAPE refunds.
    Ieepa,
    /// 9903.03.01-.11: the Section 122 surcharge (2026-02-24 to 2026-07-24),
    /// not refundable through CAPE.
    Section122,
    /// 9903.03.12-.16: Section 338 duties (from 2026-08-22; rules.md
    /// section 8): neither IEEPA nor Section 122, not refundable by CAPE.
    Section338,
    /// Any other Chapter 99 number (Section 301, 232, ...).
    OtherChapter99,
    /// Chapter 98 (special classification provisions).
    Chapter98,
    /// Chapters 01-97: the commodity itself.
    Commodity,
}

/// The digits of an HTS number written `99030124`, `9903.01.24` or with
/// spaces, or `None` when it holds anything else or fewer than 4 digits.
///
/// ```
/// use cape_check::values::hts::{classify, HtsClass};
/// assert_eq!(classify("9903.01.24"), Some(HtsClass::Ieepa));
/// assert_eq!(classify("99030301"), Some(HtsClass::Section122));
/// assert_eq!(classify("9903.03.14"), Some(HtsClass::Section338));
/// assert_eq!(classify("9903.88.15"), Some(HtsClass::OtherChapter99));
/// assert_eq!(classify("6307909870"), Some(HtsClass::Commodity));
/// assert_eq!(classify("n/a"), None);
/// ```
pub fn classify(written: &str) -> Option<HtsClass> {
    let mut digits = [0u8; 8];
    let mut n = 0usize;
    let mut total = 0usize;
    for b in trim_spaces(written).bytes() {
        match b {
            b'0'..=b'9' => {
                if n < 8 {
                    digits[n] = b;
                    n += 1;
                }
                total += 1;
            }
            b'.' | b' ' => {}
            _ => return None,
        }
    }
    if !(4..=10).contains(&total) {
        return None;
    }
    let heading = &digits[..n.min(6)];
    Some(match heading {
        b"990301" | b"990302" => HtsClass::Ieepa,
        b"990303" if n == 8 && matches!(&digits[6..], b"12" | b"13" | b"14" | b"15" | b"16") => {
            HtsClass::Section338
        }
        b"990303" => HtsClass::Section122,
        _ if heading.starts_with(b"99") => HtsClass::OtherChapter99,
        _ if heading.starts_with(b"98") => HtsClass::Chapter98,
        _ if heading.starts_with(b"00") => return None,
        _ => HtsClass::Commodity,
    })
}

/// The program of an other Chapter 99 number (none of them IEEPA), when
/// cape-check knows it (rules.md sections 4 and 8; secondary sources for
/// the headings of July 2026).
///
/// ```
/// use cape_check::values::hts::program;
/// assert_eq!(program("9903.88.15"), Some("Section 301"));
/// assert_eq!(program("99030501"), Some("Section 301, Brazil"));
/// assert_eq!(program("9903.05.40"), Some("Section 301, forced labor"));
/// assert_eq!(program("9903.04.65"), Some("Section 232, pharmaceuticals"));
/// assert_eq!(program("9903.01.24"), None);
/// ```
pub fn program(written: &str) -> Option<&'static str> {
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 || !digits.starts_with("9903") {
        return None;
    }
    let (heading, sub) = (&digits[4..6], digits[6..8].parse::<u32>().ok()?);
    Some(match (heading, sub) {
        ("03", 12..=16) => "Section 338",
        ("03", _) => "Section 122",
        ("05", 1) => "Section 301, Brazil",
        ("05", 20..=84) => "Section 301, forced labor",
        ("05", 85..=92) => "Section 301, forced labor exclusion",
        ("04", 60..=69) => "Section 232, pharmaceuticals",
        ("88", _) => "Section 301",
        ("80" | "81" | "85", _) => "Section 232",
        _ => return None,
    })
}

/// An HTS number as people write it, with its dots (`99038815` is shown
/// `9903.88.15`, `6307909870` `6307.90.98.70`); anything that is not 8 or
/// 10 digits (with or without dots and spaces) is shown as written.
///
/// ```
/// use cape_check::values::hts::dotted;
/// assert_eq!(dotted("99038815"), "9903.88.15");
/// assert_eq!(dotted("9903.01.24"), "9903.01.24");
/// assert_eq!(dotted("6307909870"), "6307.90.98.70");
/// assert_eq!(dotted("n/a"), "n/a");
/// ```
pub fn dotted(written: &str) -> String {
    let digits: String = written
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .collect();
    if !(digits.len() == 8 || digits.len() == 10) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return written.to_string();
    }
    let mut out = String::with_capacity(13);
    for (i, piece) in [
        &digits[..4],
        &digits[4..6],
        &digits[6..8],
        digits.get(8..).unwrap_or(""),
    ]
    .into_iter()
    .enumerate()
    {
        if !piece.is_empty() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(piece);
        }
    }
    out
}

impl HtsClass {
    /// Any Chapter 99 number.
    pub fn is_chapter_99(self) -> bool {
        matches!(
            self,
            HtsClass::Ieepa
                | HtsClass::Section122
                | HtsClass::Section338
                | HtsClass::OtherChapter99
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify("99030124"), Some(HtsClass::Ieepa));
        assert_eq!(classify("99030269"), Some(HtsClass::Ieepa));
        assert_eq!(classify("9903.02.69"), Some(HtsClass::Ieepa));
        assert_eq!(classify("9903.03.01"), Some(HtsClass::Section122));
        assert_eq!(classify("99038803"), Some(HtsClass::OtherChapter99));
        assert_eq!(classify("99038191"), Some(HtsClass::OtherChapter99));
        assert_eq!(classify("9903.04.00"), Some(HtsClass::OtherChapter99));
        assert_eq!(classify("9813000520"), Some(HtsClass::Chapter98));
        assert_eq!(classify("0101210010"), Some(HtsClass::Commodity));
        assert_eq!(classify("9403200090"), Some(HtsClass::Commodity));
    }

    #[test]
    fn near_misses_are_not_ieepa() {
        // 9903.00 and 9903.04 are Chapter 99 but not IEEPA; 9902 is not 9903.
        assert_eq!(classify("99030090"), Some(HtsClass::OtherChapter99));
        assert_eq!(classify("99020124"), Some(HtsClass::OtherChapter99));
        assert_eq!(classify("9903"), Some(HtsClass::OtherChapter99));
    }

    #[test]
    fn garbage_is_none() {
        for s in ["", "abc", "99-03-01-24", "12", "99030124000", "0000000000"] {
            assert_eq!(classify(s), None, "{s}");
        }
    }
}
