//! Rolling ES-003 rows up into entries. CAPE works per entry; an export has
//! one row per tariff number of each line, in any order, possibly repeated
//! by overlapping exports. Memory grows with the number of entries (and
//! 8 bytes per distinct tariff row), never with the file.
//!
//! - [`state`]: one entry's facts ([`EntryState`]).
//! - `roll_up`: a data row taken in, one step a fact.
//! - [`hash`]: the fast hash the book's tables use.

pub mod hash;
mod roll_up;
pub mod state;

pub use hash::FxHasher;
pub use state::{Claim, EntryState, Rare};

use crate::finding::Rows;
use crate::values::entry_number::{read_entry_number, EntryNumber};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// The entries of an audit, in order of first appearance.
#[derive(Debug, Default)]
pub struct EntryBook {
    /// Valid entry numbers, and unusable ones as written.
    numbers: HashMap<EntryNumber, u32, BuildHasherDefault<FxHasher>>,
    unusable: HashMap<Box<str>, u32, BuildHasherDefault<FxHasher>>,
    /// Importer numbers, entry types and statuses repeat: each is kept once.
    interned: HashSet<Arc<str>, BuildHasherDefault<FxHasher>>,
    pub entries: Vec<EntryState>,
    /// Distinct importer numbers seen per file, normalised and as first
    /// written (a few are kept).
    pub importers_by_file: Vec<Vec<(String, String)>>,
    pub rows_used: u64,
    /// Per declaration file: rows that repeat an entry the file already lists.
    pub declaration_repeats: Vec<Rows>,
    /// The entry of the previous row: rows of one entry usually come
    /// together, and when they stop its tariff keys are trimmed to size.
    pub(crate) last_entry: Option<usize>,
    /// The entry number of the previous row as written, and its entry: the
    /// next row usually names the same one, found then without a lookup in
    /// a table too large for the processor's caches.
    last_written: (String, usize),
    /// The last shared value of each column [`EntryBook::intern_recent`] serves.
    pub(crate) recent_shared: [Option<Arc<str>>; 3],
}

impl EntryBook {
    /// Hands over the entries and frees the index: the audit is done reading.
    pub fn take_entries(&mut self) -> Vec<EntryState> {
        self.numbers = HashMap::default();
        self.unusable = HashMap::default();
        self.interned = HashSet::default();
        self.last_written = (String::new(), 0);
        self.recent_shared = Default::default();
        std::mem::take(&mut self.entries)
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
        // Fast path: written exactly as CAPE wants it.
        if let Some(key) = EntryNumber::lookup_key(entry_text) {
            // Only valid numbers are stored, so a hit is a valid number.
            if let Some(&i) = self.numbers.get(&key) {
                return i as usize;
            }
        } else if let Some(&i) = self.unusable.get(entry_text) {
            return i as usize;
        }
        let reading = read_entry_number(entry_text);
        let found = match &reading.number {
            Ok(n) => self.numbers.get(n),
            Err(_) => self.unusable.get(entry_text),
        };
        let i = match found {
            Some(&i) => i as usize,
            None => {
                let e = EntryState::new(entry_text, reading.number.clone());
                self.add_entry(e);
                self.entries.len() - 1
            }
        };
        let e = &mut self.entries[i];
        if reading.cleaned && e.cleaned_from.is_none() {
            e.cleaned_from = Some(entry_text.to_string());
        }
        if reading.restored && e.restored_from.is_none() {
            e.restored_from = Some(entry_text.to_string());
        }
        i
    }

    /// The shared copy of a value of column `slot` (importer, entry type,
    /// liquidation status): usually the one the previous entry had.
    pub(crate) fn intern_recent(&mut self, slot: usize, text: &str) -> Arc<str> {
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
    pub(crate) fn intern(&mut self, text: &str) -> Arc<str> {
        match self.interned.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = text.into();
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
        let found = match key {
            NumberKey::Valid(n) => self.numbers.get(&n),
            NumberKey::Unusable(written) => self.unusable.get(written),
        };
        found.map(|&i| i as usize)
    }

    /// Room for `n` more entries.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.entries.reserve_exact(n);
        self.numbers.reserve(n);
    }

    /// Adds an entry the book does not hold.
    pub(crate) fn add_entry(&mut self, e: EntryState) {
        let i = self.entries.len() as u32;
        match &e.number {
            Ok(n) => self.numbers.insert(*n, i),
            Err(_) => self.unusable.insert(e.written().into(), i),
        };
        self.entries.push(e);
    }

    /// Importer numbers seen in file `file` elsewhere (normalised, written).
    pub(crate) fn note_importers(&mut self, file: usize, seen: Vec<(String, String)>) {
        let mine = grow(&mut self.importers_by_file, file);
        for (normalised, written) in seen {
            if mine.len() < 16 && !mine.iter().any(|(n, _)| *n == normalised) {
                mine.push((normalised, written));
            }
        }
    }

    /// The run of rows of one entry ended (the next row starts afresh).
    pub(crate) fn end_run(&mut self) {
        self.last_entry = None;
    }
}

pub(crate) fn grow(v: &mut Vec<Vec<(String, String)>>, i: usize) -> &mut Vec<(String, String)> {
    if v.len() <= i {
        v.resize_with(i + 1, Vec::new);
    }
    &mut v[i]
}
