//! Cleaning the text of a cell: the spaces and invisible characters that
//! spreadsheets and copy and paste leave around values, matched without
//! allocating (every cell of a large export passes through here).

/// Characters a spreadsheet or a copy and paste leaves around values:
/// spaces, no-break spaces, zero-width characters and the BOM.
pub fn is_removable_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00A0}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// `text` without surrounding whitespace, as `str::trim`, but a cell that
/// starts and ends with a visible ASCII character (nearly every cell) is
/// returned at once.
#[inline]
pub fn trim_spaces(text: &str) -> &str {
    match text.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        [only] if only.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Whether `text` contains `word` in any case (ASCII letters), without
/// lowercasing a copy: status cells are matched on every entry.
pub fn contains_ignoring_case(text: &str, word: &str) -> bool {
    word.is_empty()
        || text
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

/// Whether two cells hold the same value written two ways: they differ only
/// in letter case, dashes, dots or spaces (`Closed` / `CLOSED`,
/// `270426100123` / `2704-26-100123`; contract section 7). Compared
/// without allocating.
///
/// ```
/// use cape_check::values::text::same_value;
/// assert!(same_value("Unliquidated", "UNLIQUIDATED"));
/// assert!(same_value("270426100123", "2704-26-100123"));
/// assert!(!same_value("Open", "Closed"));
/// ```
pub fn same_value(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let kept = |c: &char| !matches!(c, '-' | '.') && !is_removable_space(*c);
    let mut left = a.chars().filter(kept);
    let mut right = b.chars().filter(kept);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.to_lowercase().eq(y.to_lowercase()) => {}
            _ => return false,
        }
    }
}

/// Trims spaces and invisible characters; most cells have none.
#[inline]
pub fn clean(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (None, _) => text,
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim_matches(is_removable_space),
    }
}

/// `1` -> `01`: Excel drops the leading zero of an all-digit entry type.
pub fn entry_type_code(written: &str) -> String {
    let t = written
        .trim_matches(is_removable_space)
        .trim_start_matches('\'');
    if t.len() == 1 && t.as_bytes()[0].is_ascii_digit() {
        format!("0{t}")
    } else {
        t.to_ascii_uppercase()
    }
}

/// The text inside an Excel text formula, `="60576069342"` -> `60576069342`:
/// how ACE writes numbers in its downloads so that Excel keeps their
/// leading zeros (rules.md section 7). Any other cell is returned as is.
/// Spaces around the formula are allowed; a formula whose text holds a
/// quote is left as it is (no number has one).
///
/// ```
/// use cape_check::values::text::unwrap_text_formula;
/// assert_eq!(unwrap_text_formula("=\"60576069342\""), "60576069342");
/// assert_eq!(unwrap_text_formula(" =\"XQ7\" "), "XQ7");
/// assert_eq!(unwrap_text_formula("=SUM(A1)"), "=SUM(A1)");
/// assert_eq!(unwrap_text_formula("60576069342"), "60576069342");
/// ```
#[inline]
pub fn unwrap_text_formula(text: &str) -> &str {
    // Nearly every cell: decided on its first byte.
    match text.as_bytes().first() {
        Some(b'=' | b' ' | b'\t') => {}
        _ => return text,
    }
    let trimmed = text.trim();
    match trimmed
        .strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) if !inner.contains('"') => inner,
        _ => text,
    }
}

/// `text` with every control character shown as a visible escape, for a
/// terminal: C0 controls but tab and newline, DEL, C1 controls and the
/// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
/// which a file could use to retitle, clear or reorder the user's screen.
///
/// ```
/// use cape_check::values::text::visible_controls;
/// assert_eq!(visible_controls("XQ7\u{1b}[2J"), "XQ7\\x1b[2J");
/// assert_eq!(visible_controls("a\u{9b}b\u{202e}c\td\n"), "a\\u{9b}b\\u{202e}c\td\n");
/// assert_eq!(visible_controls("plain"), "plain");
/// ```
pub fn visible_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !hidden(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A count for people, with thousands separators: `9,999`, `1,048,576`.
///
/// ```
/// use cape_check::values::text::grouped;
/// assert_eq!(grouped(9999), "9,999");
/// assert_eq!(grouped(999), "999");
/// assert_eq!(grouped(1_048_576), "1,048,576");
/// ```
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number and its noun, singular or plural: `1 IEEPA line`, `3 IEEPA
/// lines`, `10,000 rows`.
///
/// ```
/// use cape_check::values::text::count;
/// assert_eq!(count(1, "line", "lines"), "1 line");
/// assert_eq!(count(0, "line", "lines"), "0 lines");
/// assert_eq!(count(12345, "row", "rows"), "12,345 rows");
/// ```
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}
