//! Rolling ES-003 rows up into entries. CAPE works per entry; an export has
//! one row per tariff number of each line, in any order, possibly repeated
//! by overlapping exports. Memory grows with the number of entries (and
//! 8 bytes per distinct tariff row), never with the file.
//!
//! - [`state`]: one entry's facts ([`EntryState`]).
//! - `roll_up`: a data row taken in, one step a fact.
//! - [`hash`]: the fast hash the book's tables use.

pub mod hash;
mod index;
mod roll_up;
pub mod state;
pub mod store;
pub(crate) mod tariff_keys;

pub use hash::FxHasher;
pub use state::{CapeSign, Claim, EntryState, Rare};
pub use store::Entries;

use crate::finding::Rows;
use crate::values::date::Date;
use crate::values::entry_number::{read_entry_number, EntryNumber};
use crate::values::importer_number::{Comparison, ImporterNumber};
use crate::values::shared::Shared;
use index::Index;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

/// The entries of an audit, in order of first appearance.
#[derive(Debug, Default)]
pub struct EntryBook {
    /// Valid entry numbers, and unusable ones as written (the two never
    /// meet: a number written validly is valid).
    index: Index,
    /// Importer numbers, entry types and statuses repeat: each is kept once.
    interned: HashSet<Shared, BuildHasherDefault<FxHasher>>,
    pub entries: Entries,
    /// Distinct importer numbers seen per file, normalised and as first
    /// written (a few are kept).
    pub importers_by_file: Vec<Vec<(String, String)>>,
    pub rows_used: u64,
    /// Per declaration file: rows that repeat an entry the file already lists.
    pub declaration_repeats: Vec<Rows>,
    /// Per Claim Details download (by file index): the latest date of its
    /// date column, when it has one.
    pub claim_dates: Vec<Option<Date>>,
    /// Per Claim Details download: rows whose date cell holds something
    /// that is not a date, and the first such value as written.
    pub claim_dates_unread: Vec<(Rows, String)>,
    /// By file index: an ES-003 exported after filing, whose rows say
    /// whether refunds were applied (they make no entry of their own).
    pub after_files: Vec<bool>,
    /// What the exports after filing show of each entry, by the number as
    /// the report names it.
    pub after: HashMap<String, AfterFacts>,
    /// The entry of the previous row: rows of one entry usually come
    /// together, and when they stop its tariff keys are trimmed to size.
    pub(crate) last_entry: Option<usize>,
    /// The entry number of the previous row as written, and its entry: the
    /// next row usually names the same one, found then without a lookup in
    /// a table too large for the processor's caches.
    last_written: (String, usize),
    /// The last shared value of each column [`EntryBook::intern_recent`] serves.
    pub(crate) recent_shared: [Option<Shared>; 3],
}

impl EntryBook {
    /// Hands over the entries and frees the index: the audit is done reading.
    pub fn take_entries(&mut self) -> Entries {
        self.index = Index::default();
        self.interned = HashSet::default();
        self.last_written = (String::new(), 0);
        self.recent_shared = Default::default();
        let mut entries = std::mem::take(&mut self.entries);
        entries.iter_mut().for_each(EntryState::normalize_rows);
        entries
    }
}

impl EntryBook {
    /// The entry a written entry number belongs to, created on first sight.
    pub(crate) fn entry_index(&mut self, entry_text: &str) -> usize {
        if !self.last_written.0.is_empty() && self.last_written.0 == entry_text {
            return self.last_written.1;
        }
        let i = self.find_or_add(entry_text);
        self.last_written.0.clear();
        self.last_written.0.push_str(entry_text);
        self.last_written.1 = i;
        i
    }

    fn find_or_add(&mut self, entry_text: &str) -> usize {
        // Fast path: written exactly as CAPE wants it, or exactly as an
        // unusable one was.
        if let Some(i) = self.find_name(entry_text) {
            return i;
        }
        let reading = read_entry_number(entry_text);
        let found = match &reading.number {
            Ok(n) => self.find_name(n.as_str()),
            Err(_) => None,
        };
        let i = match found {
            Some(i) => i,
            None => {
                let e = EntryState::new(entry_text, reading.number.clone());
                self.add_entry(e);
                self.entries.len() - 1
            }
        };
        let e = &mut self.entries[i];
        if reading.cleaned && e.cleaned_from().is_none() {
            e.rare().cleaned_from = Some(entry_text.into());
        }
        if reading.restored && e.restored_from().is_none() {
            e.rare().restored_from = Some(entry_text.into());
        }
        i
    }

    /// The shared copy of a value of column `slot` (importer, entry type,
    /// liquidation status): usually the one the previous entry had.
    pub(crate) fn intern_recent(&mut self, slot: usize, text: &str) -> Shared {
        if let Some(recent) = &self.recent_shared[slot] {
            if **recent == *text {
                return recent.clone();
            }
        }
        let shared = self.intern(text);
        self.recent_shared[slot] = Some(shared.clone());
        shared
    }

    /// The shared copy of a repeated value.
    pub(crate) fn intern(&mut self, text: &str) -> Shared {
        match self.interned.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Shared = text.into();
                self.interned.insert(shared.clone());
                shared
            }
        }
    }
}

/// How a book finds an entry: by its number, or as written when unusable.
pub(crate) enum NumberKey<'a> {
    Valid(EntryNumber),
    Unusable(&'a str),
}

/// Entries added whole (the entries of a file's part read elsewhere).
impl EntryBook {
    /// The entry with this number, if the book holds it.
    pub(crate) fn find(&self, key: NumberKey<'_>) -> Option<usize> {
        match key {
            NumberKey::Valid(n) => self.find_name(n.as_str()),
            NumberKey::Unusable(written) => self.find_name(written),
        }
    }

    /// The entry named so: its valid number, or an unusable one as written.
    fn find_name(&self, name: &str) -> Option<usize> {
        let entries = &self.entries;
        let found = self.index.find(name, |i| entries[i as usize].written());
        found.map(|i| i as usize)
    }

    /// Room for `n` more entries.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.index.reserve(n);
    }

    /// Adds an entry the book does not hold.
    pub(crate) fn add_entry(&mut self, e: EntryState) {
        let i = self.entries.len() as u32;
        self.index.insert(e.written(), i);
        self.entries.push(e);
    }

    /// Importer numbers seen in file `file` elsewhere (normalised, written).
    pub(crate) fn note_importers(&mut self, file: usize, seen: Vec<(String, String)>) {
        let mine = grow(&mut self.importers_by_file, file);
        for (_, written) in seen {
            note_importer(mine, &written);
        }
    }

    /// The run of rows of one entry ended (the next row starts afresh).
    pub(crate) fn end_run(&mut self) {
        self.last_entry = None;
    }
}

/// What an ES-003 exported after filing shows of one entry (rules.md
/// section 9, contract section 7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AfterFacts {
    /// An IEEPA line with duty is still there.
    pub ieepa_with_duty: bool,
    /// Its `CAPE Indicator`: `Some(true)` processed (`Y`, `Processed by
    /// CAPE Liq Batch`), `Some(false)` pending (`P`).
    pub indicator: Option<bool>,
    /// Liquidation reason 36 / CAPE.
    pub reason_36: bool,
}

/// How many importers of one file are named (the finding says "or more").
pub const IMPORTERS_KEPT: usize = 16;

/// Adds an importer number to a file's list (normalised, written) unless
/// the list holds the same importer of record, however written: dashes,
/// or a bare 9-digit EIN that means suffix 00 (rules.md 3). Most rows
/// repeat a form already seen: no parsing then.
pub(crate) fn note_importer(seen: &mut Vec<(String, String)>, written: &str) {
    if seen.len() >= IMPORTERS_KEPT || seen.iter().any(|(_, w)| w == written) {
        return;
    }
    let Some(number) = ImporterNumber::parse(written) else {
        if !seen.iter().any(|(n, _)| n == written) {
            seen.push((written.to_string(), written.to_string()));
        }
        return;
    };
    let same = |(_, w): &(String, String)| {
        ImporterNumber::parse(w).is_some_and(|m| m.compare(&number) == Comparison::Same)
    };
    if !seen.iter().any(same) {
        seen.push((number.as_str().to_string(), written.to_string()));
    }
}

pub(crate) fn grow(v: &mut Vec<Vec<(String, String)>>, i: usize) -> &mut Vec<(String, String)> {
    if v.len() <= i {
        v.resize_with(i + 1, Vec::new);
    }
    &mut v[i]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::columns::{Columns, FileKind};
    use crate::read::file::{RowSink, RowUse, Unused};
    use crate::read::record::RecordBuilder;
    use crate::values::entry_number::EntryNumberProblem;
    use crate::values::money::Cents;

    const HEADER: [&str; 8] = [
        "Entry Summary Number",
        "Entry Summary Line Number",
        "Tariff Ordinal Number",
        "Importer Number",
        "Entry Type Code",
        "HTS Number - Full",
        "Line Tariff Goods Value Amount",
        "Line Tariff Duty Amount",
    ];

    /// Feeds ES-003 rows (cells in [`HEADER`]'s order), numbered from 2.
    fn book(rows: &[[&str; 8]]) -> (EntryBook, Vec<RowUse>) {
        let columns = Columns::from_header(HEADER.into_iter());
        let mut book = EntryBook::default();
        let mut builder = RecordBuilder::default();
        let uses = rows
            .iter()
            .enumerate()
            .map(|(i, cells)| {
                builder.set(cells.iter().copied());
                book.row(0, FileKind::Es003, &columns, &builder.record(i as u32 + 2))
            })
            .collect();
        (book, uses)
    }

    #[test]
    fn rows_of_one_entry_roll_up_in_order_of_first_appearance() {
        let (book, uses) = book(&[
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "01",
                "99030124",
                "",
                "$100.00",
            ],
            [
                "12345678903",
                "1",
                "1",
                "98-765432100",
                "01",
                "99030125",
                "",
                "50",
            ],
            [
                "XQ710042173",
                "1",
                "2",
                "98-765432100",
                "01",
                "8471300100",
                "1000",
                "25.00",
            ],
            [
                "XQ7-1004217-3",
                "2",
                "1",
                "98-765432100",
                "01",
                "9903.01.25",
                "",
                "1,000.00",
            ],
        ]);
        assert!(uses.iter().all(|u| *u == RowUse::Used));
        assert_eq!(book.rows_used, 4);
        let names: Vec<&str> = book.entries.iter().map(EntryState::written).collect();
        assert_eq!(names, ["XQ710042173", "12345678903"]);
        let e = &book.entries[0];
        assert_eq!(e.rows.label(), "rows 2, 4, 5");
        // Only IEEPA lines count; the dashed form is the same entry, cleaned.
        assert_eq!(e.ieepa_duty, Cents(110_000));
        assert_eq!((e.ieepa_lines, e.ieepa_lines_with_duty), (2, 2));
        assert_eq!(e.cleaned_from(), Some("XQ7-1004217-3"));
        assert!(e.in_es003);
    }

    #[test]
    fn an_identical_repeat_counts_once_and_a_different_one_is_a_conflict() {
        let (book, _) = book(&[
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "01",
                "99030124",
                "",
                "100.00",
            ],
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "01",
                "99030124",
                "",
                "100.00",
            ],
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "01",
                "99030124",
                "",
                "120.00",
            ],
        ]);
        let e = &book.entries[0];
        let rare = e.rare.as_deref().unwrap();
        assert_eq!(rare.duplicate_rows.label(), "row 3");
        assert_eq!(rare.tariff_conflicts.label(), "row 4");
        assert_eq!(e.ieepa_duty, Cents(22_000));
    }

    #[test]
    fn first_values_are_kept_and_later_different_ones_noted() {
        let (book, _) = book(&[
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "1",
                "99030124",
                "",
                "1",
            ],
            [
                "XQ710042173",
                "1",
                "2",
                "98-7654321-00",
                "01",
                "8471300100",
                "",
                "0",
            ],
            [
                "XQ710042173",
                "1",
                "3",
                "98-765432101",
                "23",
                "8471300100",
                "",
                "0",
            ],
        ]);
        let e = &book.entries[0];
        assert_eq!(e.importer.as_deref(), Some("98-765432100"));
        assert_eq!(e.entry_type_code().as_deref(), Some("01"));
        let rare = e.rare.as_deref().unwrap();
        // Written otherwise (dashes, a dropped zero) is not a conflict.
        assert_eq!(rare.importer_conflicts, [(4, "98-765432101".to_string())]);
        assert_eq!(rare.type_conflicts, [(4, "23".to_string())]);
        // The file's importers are every row's, each importer once however
        // written (issue 27: a later row's other importer was not counted).
        let written: Vec<&str> = book.importers_by_file[0]
            .iter()
            .map(|(_, w)| w.as_str())
            .collect();
        assert_eq!(written, ["98-765432100", "98-765432101"]);
    }

    #[test]
    fn commodity_before_chapter_99_on_a_line_is_out_of_sequence() {
        let (book, _) = book(&[
            [
                "XQ710042173",
                "1",
                "1",
                "98-765432100",
                "01",
                "8471300100",
                "",
                "0",
            ],
            [
                "XQ710042173",
                "1",
                "2",
                "98-765432100",
                "01",
                "99030124",
                "",
                "10",
            ],
            [
                "XQ710042173",
                "2",
                "1",
                "98-765432100",
                "01",
                "99030124",
                "",
                "10",
            ],
            [
                "XQ710042173",
                "2",
                "2",
                "98-765432100",
                "01",
                "8471300100",
                "",
                "0",
            ],
        ]);
        let rare = book.entries[0].rare.as_deref().unwrap();
        assert_eq!(rare.out_of_sequence_rows.label(), "row 3");
    }

    #[test]
    fn unusable_numbers_are_kept_as_written_and_blank_ones_not_used() {
        let (book, uses) = book(&[
            ["1.6441E+10", "1", "1", "", "01", "99030124", "", "10"],
            ["  ", "1", "1", "", "01", "99030124", "", "10"],
            ["1.6441E+10", "1", "2", "", "01", "not hts", "", "ten"],
        ]);
        assert_eq!(uses[1], RowUse::Unused(Unused::NoEntryNumber));
        assert_eq!(book.entries.len(), 1);
        let e = &book.entries[0];
        assert_eq!(e.problem(), Some(EntryNumberProblem::Scientific));
        assert_eq!(e.written(), "1.6441E+10");
        let rare = e.rare.as_deref().unwrap();
        assert_eq!(rare.unreadable_cell_count, 2);
        assert_eq!(rare.unreadable_cells[0].0, 4);
    }

    #[test]
    fn declarations_note_repeats_and_claims_are_kept_per_entry() {
        let mut book = EntryBook::default();
        let mut builder = RecordBuilder::default();
        let declaration = Columns::from_header(["Entry Number"].into_iter());
        for (row, number) in [(2, "XQ710042173"), (3, "XQ710042173"), (4, "12345678903")] {
            builder.set([number]);
            book.row(1, FileKind::Declaration, &declaration, &builder.record(row));
        }
        assert_eq!(book.declaration_repeats[1].label(), "row 3");
        let claims = Columns::from_header(
            [
                "ENTRY_NUMBER",
                "CLAIM_NUMBER",
                "STATUS",
                "ERROR_DESCRIPTION",
            ]
            .into_iter(),
        );
        builder.set(["12345678903", "C-1", "Failed", "ACCOUNT MISMATCH"]);
        book.row(2, FileKind::ClaimDetails, &claims, &builder.record(2));
        let e = &book.entries[1];
        let claim = &e.rare.as_deref().unwrap().claims[0];
        assert_eq!((claim.row, claim.status.as_str()), (2, "Failed"));
        assert!(!claim.accepted() && !e.in_es003);
    }

    #[test]
    fn entries_added_whole_are_found_by_number_or_as_written() {
        let (mut book, _) = book(&[["XQ710042173", "1", "1", "", "01", "99030124", "", "10"]]);
        let number = EntryNumber::parse("12345678903").unwrap();
        assert_eq!(book.find(NumberKey::Valid(number)), None);
        book.add_entry(EntryState::new("12345678903", Ok(number)));
        book.add_entry(EntryState::new("bad", Err(EntryNumberProblem::Empty)));
        assert_eq!(book.find(NumberKey::Valid(number)), Some(1));
        assert_eq!(book.find(NumberKey::Unusable("bad")), Some(2));
        // The index is gone once the entries are handed over.
        assert_eq!(book.take_entries().len(), 3);
        assert_eq!(book.find(NumberKey::Valid(number)), None);
    }
}
