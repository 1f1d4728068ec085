//! What one entry's rows say, gathered: the facts the rules look at.

use super::tariff_keys::{TariffKeys, UNTRACKED_LINE};
use crate::finding::Rows;
use crate::values::date::Date;
use crate::values::entry_number::{read_entry_number, EntryName, EntryNumber, EntryNumberProblem};
use crate::values::money::Cents;
use crate::values::shared::Shared;
use crate::values::text::{entry_type_code, same_value};

/// Everything the rules need to know of one entry, gathered from its rows.
#[derive(Debug)]
pub struct EntryState {
    /// The number, or why there is none with the number as first written
    /// (boxed: a valid number is its own name, and most are valid).
    pub number: Result<EntryNumber, Box<Unusable>>,
    /// Every row of the entry.
    pub rows: Rows,
    /// Whether an ES-003 export holds the entry (else it comes only from a
    /// declaration or Claim Details, and its eligibility is unknown).
    pub in_es003: bool,
    /// The last declaration file that listed it (to find repeats).
    pub(crate) declared_in: Option<u32>,
    /// The importer number as written in the first row that has one
    /// (shared: most entries of an export have the same importer).
    pub importer: Option<Shared>,
    /// The entry type as written in the first row that has one.
    pub entry_type: Option<Shared>,
    pub entry_date: Option<Date>,
    pub summary_date: Option<Date>,
    pub liquidation_status: Option<Shared>,
    pub liquidation_date: Option<Date>,
    /// When the duty was paid, if the export says (else the summary date).
    pub payment_date: Option<Date>,
    /// IEEPA duty (repeated rows counted once).
    pub ieepa_duty: Cents,
    /// Counts of tariff rows by class (repeated rows counted once).
    pub ieepa_lines: u32,
    pub ieepa_lines_with_duty: u32,
    pub section_122_lines: u32,
    /// Less common facts, boxed so that a plain entry stays small.
    pub rare: Option<Box<Rare>>,
    /// (line << 48 | ordinal << 32 | class << 30 | value hash), sorted.
    pub(crate) tariff_keys: TariffKeys,
}

/// An entry number that cannot be used, as first written. Why it cannot is
/// read again from it when asked ([`EntryState::problem`]): a million
/// malformed numbers need not hold a million messages.
#[derive(Debug)]
pub struct Unusable {
    pub written: Box<str>,
}

/// A list most entries leave empty: 8 bytes when empty (a `Vec` takes 24),
/// read as a slice. Rare holds eight of them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::box_collection,
    reason = "the box makes an empty list one pointer wide"
)]
pub struct Few<T>(Option<Box<Vec<T>>>);

impl<T> Default for Few<T> {
    fn default() -> Few<T> {
        Few(None)
    }
}

impl<T> Few<T> {
    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Default::default).push(item);
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> IntoIterator for Few<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|list| *list).unwrap_or_default().into_iter()
    }
}

impl<T> Extend<T> for Few<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        items.into_iter().for_each(|item| self.push(item));
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(list: Vec<T>) -> Few<T> {
        Few((!list.is_empty()).then(|| Box::new(list)))
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for Few<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        **self == other[..]
    }
}

/// Facts most entries do not have.
#[derive(Debug, Default)]
pub struct Rare {
    /// A written form of the number that needed cleaning, if any.
    pub cleaned_from: Option<Box<str>>,
    /// A written form that lost its leading zeros, if any.
    pub restored_from: Option<Box<str>>,
    /// Rows where the reconciliation indicator is set.
    pub reconciliation_rows: Rows,
    pub importer_conflicts: Few<(u32, String)>,
    pub type_conflicts: Few<(u32, String)>,
    pub tariff_conflicts: Rows,
    pub duplicate_rows: Rows,
    pub out_of_sequence_rows: Rows,
    pub goods_on_ieepa_rows: Rows,
    /// Up to a few other Chapter 99 numbers, for the no-IEEPA message.
    pub other_chapter_99: Few<String>,
    /// Liquidation statuses and dates of later rows that differ from the
    /// entry's first ones (the rules judge on the worst of them).
    pub status_conflicts: Few<(u32, String)>,
    pub date_conflicts: Few<(u32, Date)>,
    /// The first protest (row, number, status), then other distinct ones.
    pub protest: Option<Box<(u32, String, String)>>,
    pub other_protests: Few<(u32, String, String)>,
    /// The first row in trade control, and its status (boxed, as below).
    pub trade_control: Option<Box<(u32, String)>>,
    /// The first row naming an AD/CVD case (or flag), and what it says
    /// (boxed: one pointer while, as for nearly every entry, there is none).
    pub adcvd: Option<Box<(u32, String)>>,
    /// The row of a liquidation reason 36 / CAPE: refunded through CAPE.
    pub refunded_through_cape: Option<(u32, CapeSign)>,
    /// Cells that could not be read: row and what was wrong.
    pub unreadable_cells: Few<(u32, String)>,
    pub unreadable_cell_count: u32,
    /// What CBP's Claim Details said of the entry.
    pub claims: Few<Claim>,
}

/// What in an ES-003 says an entry was refunded through CAPE already
/// (rules.md sections 8 and 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapeSign {
    /// Liquidation reason 36 / CAPE (secondary).
    Reason36,
    /// A `CAPE Indicator` of `Y` or `Processed by CAPE Liq Batch` (single
    /// source).
    Indicator,
}

impl CapeSign {
    /// How a `CAPE Indicator` cell reads: `Some(true)` refunded (`Y`,
    /// `Processed by CAPE Liq Batch`), `Some(false)` pending (`P`), `None`
    /// neither.
    pub fn indicator(text: &str) -> Option<bool> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("Y")
            || t.eq_ignore_ascii_case("YES")
            || crate::values::text::contains_ignoring_case(t, "processed by cape")
        {
            Some(true)
        } else if t.eq_ignore_ascii_case("P") {
            Some(false)
        } else {
            None
        }
    }
}

/// One row of a Claim Details download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The audit's index of the download (file) it comes from.
    pub file: u32,
    pub row: u32,
    pub claim_number: String,
    pub status: String,
    pub error_description: String,
}

impl Rare {
    /// Every protest the rows name, the first one first.
    pub fn protests(&self) -> impl Iterator<Item = &(u32, String, String)> {
        self.protest
            .as_deref()
            .into_iter()
            .chain(self.other_protests.iter())
    }

    /// Adds a protest unless one of the same number and status, written
    /// either way ([`same_value`]), is known.
    pub fn add_protest(&mut self, row: u32, number: &str, status: &str) {
        if self
            .protests()
            .any(|(_, n, s)| same_value(n, number) && same_value(s, status))
        {
            return;
        }
        let protest = (row, number.to_string(), status.to_string());
        match self.protest {
            None => self.protest = Some(Box::new(protest)),
            Some(_) => keep(&mut self.other_protests, protest),
        }
    }
}

/// Adds to a list kept to [`KEPT_PER_ENTRY`] items: memory stays bounded by
/// the number of entries whatever the rows say.
pub(crate) fn keep<T>(list: &mut Few<T>, item: T) {
    if list.len() < KEPT_PER_ENTRY {
        list.push(item);
    }
}

impl Claim {
    /// CBP accepted the entry: never file it again. Real downloads say so
    /// with `Entry Summary Updated`, in STATUS or in ERROR_DESCRIPTION
    /// (rules.md section 7); an `Accepted` status says it too.
    pub fn accepted(&self) -> bool {
        let status = self.status.to_ascii_lowercase();
        let error = self.error_description.to_ascii_lowercase();
        (status.starts_with("accept") && !status.contains("error"))
            || status.contains("entry summary updated")
            || error.contains("entry summary updated")
    }
}

/// How many conflicting rows and claims of one entry are kept: memory stays
/// bounded by the number of entries whatever the rows say.
pub(crate) const KEPT_PER_ENTRY: usize = 64;

/// How many unreadable cells of one entry are described (the rest are counted).
pub(crate) const UNREADABLE_CELLS_KEPT: usize = 8;

pub(crate) const CLASS_COMMODITY: u64 = 1;
pub(crate) const CLASS_CHAPTER_99: u64 = 2;

impl EntryState {
    pub(crate) fn new(
        written: &str,
        number: Result<EntryNumber, EntryNumberProblem>,
    ) -> EntryState {
        EntryState {
            number: number.map_err(|_| {
                Box::new(Unusable {
                    written: written.into(),
                })
            }),
            rows: Rows::new(),
            in_es003: false,
            declared_in: None,
            importer: None,
            entry_type: None,
            entry_date: None,
            summary_date: None,
            liquidation_status: None,
            liquidation_date: None,
            payment_date: None,
            ieepa_duty: Cents(0),
            ieepa_lines: 0,
            ieepa_lines_with_duty: 0,
            section_122_lines: 0,
            rare: None,
            tariff_keys: TariffKeys::default(),
        }
    }

    /// Merges every row list's pending tail (before the rules read them).
    pub(crate) fn normalize_rows(&mut self) {
        self.rows.normalize();
        if let Some(rare) = self.rare.as_deref_mut() {
            for rows in [
                &mut rare.reconciliation_rows,
                &mut rare.tariff_conflicts,
                &mut rare.duplicate_rows,
                &mut rare.out_of_sequence_rows,
                &mut rare.goods_on_ieepa_rows,
            ] {
                rows.normalize();
            }
        }
    }

    /// The day the duty was deposited, as well as the export tells it: the
    /// payment date when it has a payment date column, else the entry
    /// summary date (a fallback: statement payers deposit later), else the
    /// entry date (rules.md, Interest).
    pub fn deposit_date(&self) -> Option<Date> {
        self.payment_date.or(self.summary_date).or(self.entry_date)
    }

    /// The written form that needed cleaning, if any.
    pub fn cleaned_from(&self) -> Option<&str> {
        self.rare.as_deref()?.cleaned_from.as_deref()
    }

    /// The written form that lost its leading zeros, if any.
    pub fn restored_from(&self) -> Option<&str> {
        self.rare.as_deref()?.restored_from.as_deref()
    }

    /// The rows where the reconciliation indicator is set (none: empty).
    pub fn reconciliation_rows(&self) -> &Rows {
        static NONE: Rows = Rows::EMPTY;
        self.rare
            .as_deref()
            .map_or(&NONE, |r| &r.reconciliation_rows)
    }

    /// The rare facts, created on first use.
    pub(crate) fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Default::default)
    }

    /// The entry number as the report names it: normalised, or as written
    /// when unusable (see [`EntryName`]).
    pub fn name(&self) -> EntryName {
        match &self.number {
            Ok(n) => EntryName::Number(*n),
            Err(_) => EntryName::Written(self.written().into()),
        }
    }

    /// The entry number as written (for an unusable one; else its number).
    pub fn written(&self) -> &str {
        match &self.number {
            Ok(n) => n.as_str(),
            Err(u) => &u.written,
        }
    }

    /// Why the entry number cannot be used, if it cannot: read again from
    /// the written form, as the book read it.
    pub fn problem(&self) -> Option<EntryNumberProblem> {
        let unusable = self.number.as_ref().err()?;
        read_entry_number(&unusable.written).number.err()
    }

    /// The entry type, two digits (`1` after Excel is `01`).
    pub fn entry_type_code(&self) -> Option<String> {
        self.entry_type.as_deref().map(entry_type_code)
    }

    pub(crate) fn unreadable(&mut self, row: u32, what: String) {
        let rare = self.rare();
        rare.unreadable_cell_count = rare.unreadable_cell_count.saturating_add(1);
        if rare.unreadable_cells.len() < UNREADABLE_CELLS_KEPT {
            rare.unreadable_cells.push((row, what));
        }
    }

    /// Records a tariff row's key; says whether its amounts count (false
    /// for an identical repeat).
    pub(crate) fn tariff_row(
        &mut self,
        row: u32,
        line: u16,
        ordinal: u16,
        class: u64,
        value_hash: u32,
    ) -> bool {
        let slot = (u64::from(line) << 48) | (u64::from(ordinal) << 32);
        let key = slot | (class << 30) | u64::from(value_hash & 0x3FFF_FFFF);
        let keys = &mut self.tariff_keys;
        if keys.contains(key) {
            self.rare().duplicate_rows.push(row);
            return false;
        }
        // Every distinct row of a slot is kept: a repeat of a conflicting
        // row counts once, like any repeat.
        if keys.any_in(slot..=slot | 0xFFFF_FFFF, |_| true) {
            keys.insert(key);
            self.rare().tariff_conflicts.push(row);
            return true;
        }
        // ACE wants Chapter 99 numbers before the commodity on a line.
        let line_start = u64::from(line) << 48;
        let line_end = line_start | 0xFFFF_FFFF_FFFF;
        let class_of = |k: u64| (k >> 30) & 3;
        let out_of_sequence = match class {
            CLASS_CHAPTER_99 => keys.any_in(line_start..=key, |k| class_of(k) == CLASS_COMMODITY),
            CLASS_COMMODITY => keys.any_in(key..=line_end, |k| class_of(k) == CLASS_CHAPTER_99),
            _ => false,
        };
        keys.insert(key);
        if out_of_sequence {
            self.rare().out_of_sequence_rows.push(row);
        }
        true
    }
}

impl EntryState {
    /// A row of an export without line and ordinal columns: an identical
    /// repeat of a whole row counts once. Says whether its amounts count.
    pub(crate) fn untracked_row(&mut self, row: u32, row_hash: u64) -> bool {
        let key = (UNTRACKED_LINE << 48) | (row_hash >> 16);
        if self.tariff_keys.contains(key) {
            self.rare().duplicate_rows.push(row);
            return false;
        }
        self.tariff_keys.insert(key);
        true
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// A million entries are held at once: each byte here is a megabyte
    /// there (issue 12's 300 MB for 1,000,000 entries).
    #[test]
    fn an_entry_s_state_stays_small() {
        assert_eq!(std::mem::size_of::<Rows>(), 16);
        assert_eq!(std::mem::size_of::<TariffKeys>(), 24);
        assert_eq!(
            std::mem::size_of::<Result<EntryNumber, Box<Unusable>>>(),
            16
        );
        assert!(std::mem::size_of::<EntryState>() <= 136);
        assert!(std::mem::size_of::<Rare>() <= 232);
        assert_eq!(std::mem::size_of::<Few<Claim>>(), 8);
    }
}
