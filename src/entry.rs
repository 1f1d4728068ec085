//! Rolling ES-003 rows up into entries. CAPE works per entry; an export has
//! one row per tariff number of each line, in any order, possibly repeated
//! by overlapping exports. Memory grows with the number of entries (and
//! 8 bytes per distinct tariff row), never with the file.

use crate::columns::{Columns, Field, FileKind};
use crate::date::Date;
use crate::decode::contains_ignoring_case;
use crate::entry_number::{is_removable_space, read_entry_number, EntryNumber, EntryNumberProblem};
use crate::file_reader::{RowSink, RowUse, Unused};
use crate::finding::Rows;
use crate::hts::{classify, HtsClass};
use crate::importer_number::{Comparison, ImporterNumber};
use crate::money::Cents;
use crate::part::{Reader, Writer};
use crate::record::Record;
use crate::report::EntryName;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Everything the rules need to know of one entry, gathered from its rows.
#[derive(Debug)]
pub struct EntryState {
    /// The entry number as first written, kept only when it is unusable
    /// (a valid one is its own name).
    pub written: Option<Box<str>>,
    /// The number, or why there is none.
    pub number: Result<EntryNumber, EntryNumberProblem>,
    /// A written form that needed cleaning, if any.
    pub cleaned_from: Option<String>,
    /// A written form that lost its leading zeros, if any.
    pub restored_from: Option<String>,
    /// Every row of the entry.
    pub rows: Rows,
    /// Whether an ES-003 export holds the entry (else it comes only from a
    /// declaration or Claim Details, and its eligibility is unknown).
    pub in_es003: bool,
    /// The last declaration file that listed it (to find repeats).
    declared_in: Option<usize>,
    /// The importer number as written in the first row that has one
    /// (shared: most entries of an export have the same importer).
    pub importer: Option<Arc<str>>,
    /// The entry type as written in the first row that has one.
    pub entry_type: Option<Arc<str>>,
    pub entry_date: Option<Date>,
    pub summary_date: Option<Date>,
    pub liquidation_status: Option<Arc<str>>,
    pub liquidation_date: Option<Date>,
    /// Rows where the reconciliation indicator is set.
    pub reconciliation_rows: Rows,
    /// IEEPA duty (repeated rows counted once).
    pub ieepa_duty: Cents,
    /// Counts of tariff rows by class (repeated rows counted once).
    pub ieepa_lines: u32,
    pub ieepa_lines_with_duty: u32,
    pub section_122_lines: u32,
    /// Less common facts, boxed so that a plain entry stays small.
    pub rare: Option<Box<Rare>>,
    /// (line << 48 | ordinal << 32 | class << 30 | value hash), sorted.
    tariff_keys: Vec<u64>,
}

/// Facts most entries do not have.
#[derive(Debug, Default)]
pub struct Rare {
    pub importer_conflicts: Vec<(u32, String)>,
    pub type_conflicts: Vec<(u32, String)>,
    pub tariff_conflicts: Rows,
    pub duplicate_rows: Rows,
    pub out_of_sequence_rows: Rows,
    pub goods_on_ieepa_rows: Rows,
    /// Up to a few other Chapter 99 numbers, for the no-IEEPA message.
    pub other_chapter_99: Vec<String>,
    pub protest: Option<(u32, String, String)>,
    pub trade_control: Option<(u32, String)>,
    /// Cells that could not be read: row and what was wrong.
    pub unreadable_cells: Vec<(u32, String)>,
    pub unreadable_cell_count: u32,
    /// What CBP's Claim Details said of the entry.
    pub claims: Vec<Claim>,
}

/// One row of a Claim Details download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub row: u32,
    pub claim_number: String,
    pub status: String,
    pub error_description: String,
}

impl Claim {
    /// CBP accepted the entry: never file it again.
    pub fn accepted(&self) -> bool {
        let status = self.status.to_ascii_lowercase();
        let error = self.error_description.to_ascii_lowercase();
        (status.starts_with("accept") && !status.contains("error"))
            || error.contains("entry summary updated")
    }
}

/// How many conflicting rows and claims of one entry are kept: memory stays
/// bounded by the number of entries whatever the rows say.
const KEPT_PER_ENTRY: usize = 64;

/// How many unreadable cells of one entry are described (the rest are counted).
const UNREADABLE_CELLS_KEPT: usize = 8;

const CLASS_COMMODITY: u64 = 1;
const CLASS_CHAPTER_99: u64 = 2;

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
    last_entry: Option<usize>,
    /// The entry number of the previous row as written, and its entry: the
    /// next row usually names the same one, found then without a lookup in
    /// a table too large for the processor's caches.
    last_written: (String, usize),
    /// The last shared value of each column [`EntryBook::intern_recent`] serves.
    recent_shared: [Option<Arc<str>>; 3],
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

impl EntryState {
    fn new(written: &str, number: Result<EntryNumber, EntryNumberProblem>) -> EntryState {
        EntryState {
            written: number.is_err().then(|| written.into()),
            number,
            cleaned_from: None,
            restored_from: None,
            rows: Rows::new(),
            in_es003: false,
            declared_in: None,
            importer: None,
            entry_type: None,
            entry_date: None,
            summary_date: None,
            liquidation_status: None,
            liquidation_date: None,
            reconciliation_rows: Rows::new(),
            ieepa_duty: Cents(0),
            ieepa_lines: 0,
            ieepa_lines_with_duty: 0,
            section_122_lines: 0,
            rare: None,
            tariff_keys: Vec::new(),
        }
    }

    /// The rare facts, created on first use.
    fn rare(&mut self) -> &mut Rare {
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
        match (&self.written, &self.number) {
            (Some(w), _) => w,
            (None, Ok(n)) => n.as_str(),
            (None, Err(_)) => "",
        }
    }

    /// The entry type, two digits (`1` after Excel is `01`).
    pub fn entry_type_code(&self) -> Option<String> {
        self.entry_type.as_deref().map(entry_type_code)
    }

    fn unreadable(&mut self, row: u32, what: String) {
        let rare = self.rare();
        rare.unreadable_cell_count = rare.unreadable_cell_count.saturating_add(1);
        if rare.unreadable_cells.len() < UNREADABLE_CELLS_KEPT {
            rare.unreadable_cells.push((row, what));
        }
    }

    /// Records a tariff row's key; says whether its amounts count (false
    /// for an identical repeat).
    fn tariff_row(
        &mut self,
        row: u32,
        line: u16,
        ordinal: u16,
        class: u64,
        value_hash: u32,
    ) -> bool {
        let slot = (u64::from(line) << 48) | (u64::from(ordinal) << 32);
        let key = slot | (class << 30) | u64::from(value_hash & 0x3FFF_FFFF);
        let same_line = |k: u64| k >> 48 == u64::from(line);
        let pos = match self.tariff_keys.last() {
            Some(&last) if last >> 32 < slot >> 32 => self.tariff_keys.len(),
            None => 0,
            _ => self.tariff_keys.partition_point(|&k| k < slot),
        };
        if let Some(&existing) = self.tariff_keys.get(pos) {
            if existing >> 32 == slot >> 32 {
                if existing == key {
                    self.rare().duplicate_rows.push(row);
                    return false;
                }
                self.rare().tariff_conflicts.push(row);
                return true;
            }
        }
        // ACE wants Chapter 99 numbers before the commodity on a line.
        let before = self.tariff_keys[..pos]
            .iter()
            .rev()
            .take_while(|&&k| same_line(k));
        let after = self.tariff_keys[pos..]
            .iter()
            .take_while(|&&k| same_line(k));
        let class_of = |k: u64| (k >> 30) & 3;
        let out_of_sequence = match class {
            CLASS_CHAPTER_99 => before.into_iter().any(|&k| class_of(k) == CLASS_COMMODITY),
            CLASS_COMMODITY => after.into_iter().any(|&k| class_of(k) == CLASS_CHAPTER_99),
            _ => false,
        };
        if out_of_sequence {
            self.rare().out_of_sequence_rows.push(row);
        }
        self.tariff_keys.insert(pos, key);
        true
    }
}

impl EntryState {
    /// A row of an export without line and ordinal columns: an identical
    /// repeat of a whole row counts once. Says whether its amounts count.
    fn untracked_row(&mut self, row: u32, row_hash: u64) -> bool {
        // Line 0xFFFF marks these keys; no entry summary has 65,535 lines.
        let key = (0xFFFF_u64 << 48) | (row_hash >> 16);
        match self.tariff_keys.binary_search(&key) {
            Ok(_) => {
                self.rare().duplicate_rows.push(row);
                false
            }
            Err(at) => {
                self.tariff_keys.insert(at, key);
                true
            }
        }
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

impl EntryBook {
    /// The entry a written entry number belongs to, created on first sight.
    fn entry_index(&mut self, entry_text: &str) -> usize {
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
                let i = self.entries.len();
                match &reading.number {
                    Ok(n) => self.numbers.insert(*n, i as u32),
                    Err(_) => self.unusable.insert(entry_text.into(), i as u32),
                };
                self.entries
                    .push(EntryState::new(entry_text, reading.number.clone()));
                i
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
    fn intern_recent(&mut self, slot: usize, text: &str) -> Arc<str> {
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
    fn intern(&mut self, text: &str) -> Arc<str> {
        match self.interned.get(text) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = text.into();
                self.interned.insert(shared.clone());
                shared
            }
        }
    }

    /// A row of a CAPE Declaration: the entry, once per file.
    fn declaration_row(&mut self, idx: usize, file: usize, row: u32) {
        let e = &mut self.entries[idx];
        e.rows.push(row);
        if e.declared_in == Some(file) {
            if self.declaration_repeats.len() <= file {
                self.declaration_repeats.resize_with(file + 1, Rows::new);
            }
            self.declaration_repeats[file].push(row);
        }
        e.declared_in = Some(file);
    }

    /// A row of CBP's Claim Details.
    fn claim_row(&mut self, idx: usize, columns: &Columns, record: &Record<'_>) {
        let text = |field: Field| {
            cell(record, columns, field)
                .map(|t| clean(&t).to_string())
                .unwrap_or_default()
        };
        let claim = Claim {
            row: record.row,
            claim_number: text(Field::ClaimNumber),
            status: text(Field::ClaimStatus),
            error_description: text(Field::ErrorDescription),
        };
        let e = &mut self.entries[idx];
        e.rows.push(record.row);
        let claims = &mut e.rare().claims;
        if claims.len() < KEPT_PER_ENTRY {
            claims.push(claim);
        }
    }
}

impl RowSink for EntryBook {
    fn row(
        &mut self,
        file: usize,
        kind: FileKind,
        columns: &Columns,
        record: &Record<'_>,
    ) -> RowUse {
        let cell = |field: Field| cell(record, columns, field);
        let row = record.row;
        let Some(entry_text) = cell(Field::Entry) else {
            return RowUse::Unused(Unused::NoEntryNumber);
        };
        let entry_text = clean(&entry_text);
        if entry_text.is_empty() {
            return RowUse::Unused(Unused::NoEntryNumber);
        }
        let idx = self.entry_index(entry_text);
        self.rows_used += 1;
        match kind {
            FileKind::Es003 => {}
            FileKind::Declaration => {
                self.declaration_row(idx, file, row);
                return RowUse::Used;
            }
            FileKind::ClaimDetails => {
                self.claim_row(idx, columns, record);
                return RowUse::Used;
            }
        }
        if self.last_entry != Some(idx) {
            if let Some(previous) = self.last_entry {
                self.entries[previous].tariff_keys.shrink_to_fit();
            }
            self.last_entry = Some(idx);
        }
        // Values shared by many entries are interned before `e` is borrowed.
        let importer = cell(Field::Importer);
        let importer = importer.as_deref().map_or("", clean);
        if !importer.is_empty() && self.entries[idx].importer.is_none() {
            let shared = self.intern_recent(0, importer);
            self.entries[idx].importer = Some(shared);
            // Counted by normalised number: 98-765432100 and 98765432100 are
            // one. Most entries repeat a form already seen: no parsing then.
            let seen = grow(&mut self.importers_by_file, file);
            if seen.len() < 16 && !seen.iter().any(|(_, written)| written == importer) {
                let normalised = ImporterNumber::parse(importer)
                    .map_or_else(|| importer.to_string(), |n| n.as_str().to_string());
                if !seen.iter().any(|(n, _)| *n == normalised) {
                    seen.push((normalised, importer.to_string()));
                }
            }
        }
        let entry_type = cell(Field::EntryType);
        let entry_type = entry_type.as_deref().map_or("", clean);
        if !entry_type.is_empty() && self.entries[idx].entry_type.is_none() {
            let shared = self.intern_recent(1, entry_type);
            self.entries[idx].entry_type = Some(shared);
        }
        if self.entries[idx].liquidation_status.is_none() {
            if let Some(text) = cell(Field::LiquidationStatus) {
                let text = clean(&text);
                if !text.is_empty() {
                    let shared = self.intern_recent(2, text);
                    self.entries[idx].liquidation_status = Some(shared);
                }
            }
        }

        let e = &mut self.entries[idx];
        e.rows.push(row);
        e.in_es003 = true;
        if let Some(first) = &e.importer {
            if !importer.is_empty() && first.as_ref() != importer {
                let same = match (
                    ImporterNumber::parse(first),
                    ImporterNumber::parse(importer),
                ) {
                    (Some(a), Some(b)) => a.compare(&b) == Comparison::Same,
                    _ => false,
                };
                if !same {
                    e.rare()
                        .importer_conflicts
                        .push((row, importer.to_string()));
                }
            }
        }
        if let Some(first) = &e.entry_type {
            if !entry_type.is_empty()
                && first.as_ref() != entry_type
                && entry_type_code(first) != entry_type_code(entry_type)
            {
                let conflicts = &mut e.rare().type_conflicts;
                if conflicts.len() < KEPT_PER_ENTRY {
                    conflicts.push((row, entry_type.to_string()));
                }
            }
        }
        for (field, slot) in [
            (Field::EntryDate, 0),
            (Field::SummaryDate, 1),
            (Field::LiquidationDate, 2),
        ] {
            let current = match slot {
                0 => e.entry_date,
                1 => e.summary_date,
                _ => e.liquidation_date,
            };
            if current.is_some() {
                continue;
            }
            let Some(text) = cell(field) else { continue };
            let text = clean(&text);
            if text.is_empty() {
                continue;
            }
            match Date::parse(text) {
                Some(d) => match slot {
                    0 => e.entry_date = Some(d),
                    1 => e.summary_date = Some(d),
                    _ => e.liquidation_date = Some(d),
                },
                None => e.unreadable(
                    row,
                    format!(
                        "{} '{text}' is not a date (expected MM/DD/YYYY)",
                        field.header_name()
                    ),
                ),
            }
        }
        if let Some(text) = cell(Field::Reconciliation) {
            let flag = clean(&text);
            let is = |words: &[&str]| words.iter().any(|w| flag.eq_ignore_ascii_case(w));
            if matches!(flag, "N" | "" | "n") {
                // The common case, decided without the word lists.
            } else if is(&["Y", "YES", "TRUE", "1", "X", "FLAGGED"]) {
                e.reconciliation_rows.push(row);
            } else if !is(&["", "N", "NO", "FALSE", "0"]) {
                e.unreadable(
                    row,
                    format!("Reconciliation Indicator '{flag}' is neither Y nor N"),
                );
            }
        }
        let protest_number = cell(Field::ProtestNumber);
        let protest_status = cell(Field::ProtestStatus);
        let protest_number = protest_number.as_deref().map_or("", clean);
        let protest_status = protest_status.as_deref().map_or("", clean);
        if (!protest_number.is_empty() || !protest_status.is_empty())
            && e.rare.as_ref().is_none_or(|r| r.protest.is_none())
        {
            e.rare().protest = Some((row, protest_number.to_string(), protest_status.to_string()));
        }
        if let Some(text) = cell(Field::ControlStatus) {
            let text = clean(&text);
            let trade = contains_ignoring_case(text, "trade");
            if trade && e.rare.as_ref().is_none_or(|r| r.trade_control.is_none()) {
                e.rare().trade_control = Some((row, text.to_string()));
            }
        }

        // The tariff row itself.
        let hts_cell = cell(Field::Hts);
        let hts_text = hts_cell.as_deref().map_or("", clean);
        let class = classify(hts_text);
        if class.is_none() {
            e.unreadable(row, format!("HTS number '{hts_text}' is not an HTS number"));
        }
        let money = |field: Field, e: &mut EntryState| -> Cents {
            let text = cell(field);
            let text = text.as_deref().unwrap_or_default();
            match Cents::parse(text) {
                Some(c) => c,
                None => {
                    e.unreadable(
                        row,
                        format!("{} '{}' is not an amount", field.header_name(), clean(text)),
                    );
                    Cents(0)
                }
            }
        };
        let duty = money(Field::Duty, e);
        let goods = money(Field::GoodsValue, e);
        let line = cell(Field::Line).and_then(|t| clean(&t).parse::<u16>().ok());
        let ordinal = cell(Field::Ordinal).and_then(|t| clean(&t).parse::<u16>().ok());
        let counts = match (line, ordinal) {
            (Some(line), Some(ordinal)) => {
                let class_bits = match class {
                    Some(HtsClass::Commodity) => CLASS_COMMODITY,
                    Some(c) if c.is_chapter_99() => CLASS_CHAPTER_99,
                    _ => 0,
                };
                let mut h = FxHasher::default();
                h.write(hts_text.as_bytes());
                h.write_i64(duty.0);
                h.write_i64(goods.0);
                e.tariff_row(row, line, ordinal, class_bits, h.finish() as u32)
            }
            // Without line and ordinal columns, a repeat is the same row whole.
            _ => {
                let mut h = FxHasher::default();
                record.iter().for_each(|cell| {
                    h.write(cell);
                    h.write_u8(0xFF);
                });
                e.untracked_row(row, h.finish())
            }
        };
        if counts {
            match class {
                Some(HtsClass::Ieepa) => {
                    e.ieepa_lines += 1;
                    e.ieepa_duty += duty;
                    if duty.0 > 0 {
                        e.ieepa_lines_with_duty += 1;
                    }
                    if goods.0 > 0 {
                        e.rare().goods_on_ieepa_rows.push(row);
                    }
                }
                Some(HtsClass::Section122) => e.section_122_lines += 1,
                Some(HtsClass::OtherChapter99) => {
                    let rare = e.rare();
                    if rare.other_chapter_99.len() < 3
                        && !rare.other_chapter_99.iter().any(|h| h == hts_text)
                    {
                        rare.other_chapter_99.push(hts_text.to_string());
                    }
                }
                _ => {}
            }
        }
        RowUse::Used
    }
}

/// The text of a field's cell in a record.
fn cell<'r>(record: &Record<'r>, columns: &Columns, field: Field) -> Option<Cow<'r, str>> {
    record.text(columns.get(field)?)
}

/// Trims spaces and invisible characters; most cells have none.
#[inline]
fn clean(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (None, _) => text,
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim_matches(is_removable_space),
    }
}

fn grow(v: &mut Vec<Vec<(String, String)>>, i: usize) -> &mut Vec<(String, String)> {
    if v.len() <= i {
        v.resize_with(i + 1, Vec::new);
    }
    &mut v[i]
}

/// The Firefox/rustc hash: fast for short keys; the inputs are the user's
/// own files, so collision attacks are not a concern.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Reading one file in two parts (see [`crate::part`]): the helper's book
/// is encoded, then joined into the main one.
impl EntryBook {
    /// The helper's book, encoded: the rows of file `file` it read. The
    /// values entries share (importer numbers, entry types, liquidation
    /// statuses) come first, once each; each entry is written with its
    /// length first, so that a join can pass over the entries this book
    /// does not hold without decoding them.
    pub(crate) fn write_part(&self, file: usize, w: &mut Writer) {
        w.u64(self.rows_used);
        let seen = self
            .importers_by_file
            .get(file)
            .map_or(&[][..], Vec::as_slice);
        w.u64(seen.len() as u64);
        for (normalised, written) in seen {
            w.str(normalised);
            w.str(written);
        }
        let mut shared = SharedValues::default();
        let mut body = Writer::default();
        let mut one = Writer::default();
        for e in &self.entries {
            one.bytes.clear();
            e.write(&mut one, &mut shared);
            body.u64(one.bytes.len() as u64);
            body.bytes.extend_from_slice(&one.bytes);
        }
        w.u64(shared.values.len() as u64);
        for value in &shared.values {
            w.str(value);
        }
        w.u64(self.entries.len() as u64);
        w.bytes.extend_from_slice(&body.bytes);
    }

    /// Joins a helper's book as if its rows came after every row read here.
    /// False, with nothing changed, when that cannot be done exactly or the
    /// bytes are damaged.
    ///
    /// Two passes over the part, so that the helper's entries are never all
    /// decoded at once beside this book (wasm memory never shrinks): the
    /// first decodes each entry, checks that those both books hold join,
    /// and drops it; the second decodes each again and moves it in.
    pub(crate) fn join_part(&mut self, file: usize, r: &mut Reader<'_>) -> bool {
        let Some(head) = read_book_head(r) else {
            return false;
        };
        // The part's shared values as this book's own (a cache: interning
        // them changes nothing else even if the join is refused).
        let shared: Vec<Arc<str>> = head.shared.iter().map(|v| self.intern(v)).collect();
        let entries_at = r.clone();
        let mut new_entries = 0;
        for _ in 0..head.entries {
            let Some(mut one) = r.entry() else {
                return false;
            };
            let Some(key) = one.number_key() else {
                return false;
            };
            match self.find(key) {
                None => new_entries += 1,
                Some(i) => match EntryState::read(&mut one, &shared) {
                    Some(later) if one.at_end() && self.entries[i].joins(&later) => {}
                    _ => return false,
                },
            }
        }
        if !r.at_end() {
            return false;
        }
        // Checked: from here on the join cannot fail (the part's checksum
        // held, so its entries decode as the helper wrote them).
        let mut r = entries_at;
        self.entries.reserve_exact(new_entries);
        self.numbers.reserve(new_entries);
        for _ in 0..head.entries {
            let Some(b) = r
                .entry()
                .as_mut()
                .and_then(|one| EntryState::read(one, &shared))
            else {
                unreachable!("the part's checksum held: its entries are as the helper wrote them")
            };
            let key = match &b.number {
                Ok(n) => NumberKey::Valid(*n),
                Err(_) => NumberKey::Unusable(b.written()),
            };
            match self.find(key) {
                Some(i) => self.entries[i].join(b),
                None => {
                    let i = self.entries.len() as u32;
                    match &b.number {
                        Ok(n) => self.numbers.insert(*n, i),
                        Err(_) => self.unusable.insert(b.written().into(), i),
                    };
                    self.entries.push(b);
                }
            }
        }
        self.rows_used += head.rows_used;
        let mine = grow(&mut self.importers_by_file, file);
        for (normalised, written) in head.seen {
            if mine.len() < 16 && !mine.iter().any(|(n, _)| *n == normalised) {
                mine.push((normalised, written));
            }
        }
        self.last_entry = None;
        true
    }

    fn find(&self, key: NumberKey<'_>) -> Option<usize> {
        let found = match key {
            NumberKey::Valid(n) => self.numbers.get(&n),
            NumberKey::Unusable(written) => self.unusable.get(written),
        };
        found.map(|&i| i as usize)
    }
}

/// How a book finds an entry: by its number, or as written when unusable.
enum NumberKey<'a> {
    Valid(EntryNumber),
    Unusable(&'a str),
}

/// What comes before a part's entries.
struct BookHead<'a> {
    rows_used: u64,
    seen: Vec<(String, String)>,
    shared: Vec<&'a str>,
    entries: usize,
}

fn read_book_head<'a>(r: &mut Reader<'a>) -> Option<BookHead<'a>> {
    let rows_used = r.u64()?;
    let mut seen = Vec::new();
    for _ in 0..r.len()? {
        seen.push((r.str()?.to_string(), r.str()?.to_string()));
    }
    let mut shared = Vec::new();
    for _ in 0..r.len()? {
        shared.push(r.str()?);
    }
    Some(BookHead {
        rows_used,
        seen,
        shared,
        entries: r.len()?,
    })
}

/// The distinct shared values of a part, each written once and named by
/// its index by the entries.
#[derive(Default)]
struct SharedValues<'a> {
    values: Vec<&'a str>,
    index: HashMap<&'a str, u64, BuildHasherDefault<FxHasher>>,
}

impl<'a> SharedValues<'a> {
    /// 0 for none, else 1 + the value's index.
    fn write(&mut self, w: &mut Writer, value: Option<&'a str>) {
        let Some(value) = value else {
            w.u64(0);
            return;
        };
        let next = self.values.len() as u64;
        let i = *self.index.entry(value).or_insert(next);
        if i == next {
            self.values.push(value);
        }
        w.u64(i + 1);
    }
}

impl<'a> Reader<'a> {
    /// The next entry's bytes (written with their length first).
    fn entry(&mut self) -> Option<Reader<'a>> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        Some(Reader::new(bytes, self.offset))
    }

    /// How the book finds the entry these bytes hold, read from their start
    /// (see [`EntryState::write`]) without decoding the rest.
    fn number_key(&self) -> Option<NumberKey<'a>> {
        let mut r = self.clone();
        let written = r.opt_str()?;
        if r.bool()? {
            let text = std::str::from_utf8(r.take(11)?).ok()?;
            // A lookup only: the entry is validated when it is decoded.
            EntryNumber::lookup_key(text).map(NumberKey::Valid)
        } else {
            written.map(NumberKey::Unusable)
        }
    }
}

fn write_date(w: &mut Writer, date: Option<Date>) {
    w.bool(date.is_some());
    if let Some(d) = date {
        w.i64(i64::from(d.day_number()));
    }
}

fn read_date(r: &mut Reader<'_>) -> Option<Option<Date>> {
    if !r.bool()? {
        return Some(None);
    }
    Some(Some(Date::from_day_number(i32::try_from(r.i64()?).ok()?)?))
}

/// A shared value by its index in the part (see [`SharedValues::write`]).
fn read_shared(r: &mut Reader<'_>, shared: &[Arc<str>]) -> Option<Option<Arc<str>>> {
    match r.len_unbounded()? {
        0 => Some(None),
        i => Some(Some(shared.get(i - 1)?.clone())),
    }
}

impl EntryState {
    fn write<'a>(&'a self, w: &mut Writer, shared: &mut SharedValues<'a>) {
        w.opt_str(self.written.as_deref());
        match &self.number {
            Ok(n) => {
                w.bool(true);
                w.bytes.extend_from_slice(n.as_str().as_bytes());
            }
            // Read again from the written form, which an unusable one keeps.
            Err(_) => w.bool(false),
        }
        w.opt_str(self.cleaned_from.as_deref());
        w.opt_str(self.restored_from.as_deref());
        w.rows(&self.rows);
        w.bool(self.in_es003);
        shared.write(w, self.importer.as_deref());
        shared.write(w, self.entry_type.as_deref());
        shared.write(w, self.liquidation_status.as_deref());
        for date in [self.entry_date, self.summary_date, self.liquidation_date] {
            write_date(w, date);
        }
        w.rows(&self.reconciliation_rows);
        w.i64(self.ieepa_duty.0);
        w.u32(self.ieepa_lines);
        w.u32(self.ieepa_lines_with_duty);
        w.u32(self.section_122_lines);
        w.u64(self.tariff_keys.len() as u64);
        for &key in &self.tariff_keys {
            w.u64(key);
        }
        w.bool(self.rare.is_some());
        if let Some(rare) = &self.rare {
            w.noted(&rare.importer_conflicts);
            w.noted(&rare.type_conflicts);
            for rows in [
                &rare.tariff_conflicts,
                &rare.duplicate_rows,
                &rare.out_of_sequence_rows,
                &rare.goods_on_ieepa_rows,
            ] {
                w.rows(rows);
            }
            w.u64(rare.other_chapter_99.len() as u64);
            for hts in &rare.other_chapter_99 {
                w.str(hts);
            }
            w.bool(rare.protest.is_some());
            if let Some((row, number, status)) = &rare.protest {
                w.u32(*row);
                w.str(number);
                w.str(status);
            }
            w.bool(rare.trade_control.is_some());
            if let Some((row, text)) = &rare.trade_control {
                w.u32(*row);
                w.str(text);
            }
            w.noted(&rare.unreadable_cells);
            w.u32(rare.unreadable_cell_count);
            // A helper reads ES-003 rows only: it has no claims.
        }
    }

    fn read(r: &mut Reader<'_>, shared: &[Arc<str>]) -> Option<EntryState> {
        let written = r.opt_str()?;
        let number = if r.bool()? {
            let text = std::str::from_utf8(r.take(11)?).ok()?;
            Ok(EntryNumber::parse(text)?)
        } else {
            read_entry_number(written?).number.err().map(Err)?
        };
        let mut e = EntryState::new(written.unwrap_or_default(), number);
        e.cleaned_from = r.opt_str()?.map(str::to_string);
        e.restored_from = r.opt_str()?.map(str::to_string);
        e.rows = r.rows()?;
        e.in_es003 = r.bool()?;
        e.importer = read_shared(r, shared)?;
        e.entry_type = read_shared(r, shared)?;
        e.liquidation_status = read_shared(r, shared)?;
        e.entry_date = read_date(r)?;
        e.summary_date = read_date(r)?;
        e.liquidation_date = read_date(r)?;
        e.reconciliation_rows = r.rows()?;
        e.ieepa_duty = Cents(r.i64()?);
        e.ieepa_lines = r.u32()?;
        e.ieepa_lines_with_duty = r.u32()?;
        e.section_122_lines = r.u32()?;
        let keys = r.len()?;
        e.tariff_keys.reserve_exact(keys);
        for _ in 0..keys {
            e.tariff_keys.push(r.u64()?);
        }
        if r.bool()? {
            let rare = e.rare();
            rare.importer_conflicts = r.noted()?;
            rare.type_conflicts = r.noted()?;
            rare.tariff_conflicts = r.rows()?;
            rare.duplicate_rows = r.rows()?;
            rare.out_of_sequence_rows = r.rows()?;
            rare.goods_on_ieepa_rows = r.rows()?;
            for _ in 0..r.len()? {
                rare.other_chapter_99.push(r.str()?.to_string());
            }
            if r.bool()? {
                rare.protest = Some((r.row()?, r.str()?.to_string(), r.str()?.to_string()));
            }
            if r.bool()? {
                rare.trade_control = Some((r.row()?, r.str()?.to_string()));
            }
            rare.unreadable_cells = r.noted()?;
            rare.unreadable_cell_count = r.u32()?;
        }
        Some(e)
    }

    /// Whether `later`, the same entry read from rows that come after all of
    /// this one's, joins exactly: reading its rows here one by one would have
    /// given the same as joining the two.
    fn joins(&self, later: &EntryState) -> bool {
        // First-seen values compared with later rows: the later part compared
        // its rows with its own first one, which must then be the same.
        let differ = |a: &Option<Arc<str>>, b: &Option<Arc<str>>| matches!((a, b), (Some(a), Some(b)) if a != b);
        if differ(&self.importer, &later.importer) || differ(&self.entry_type, &later.entry_type) {
            return false;
        }
        // A date cell is read only until a date is found: a later part's
        // unreadable cells might be dates that would not have been read.
        let unreadable = later
            .rare
            .as_ref()
            .is_some_and(|r| r.unreadable_cell_count > 0);
        let dated = self.entry_date.is_some()
            || self.summary_date.is_some()
            || self.liquidation_date.is_some();
        if unreadable && dated {
            return false;
        }
        // Tariff rows: a repeat or a conflict across the parts, or a Chapter
        // 99 number and a commodity out of order on one line across them,
        // would be found on a later row that the keys do not name.
        let class_of = |k: u64| (k >> 30) & 3;
        later.tariff_keys.iter().all(|&key| {
            let line = key >> 48;
            if line == 0xFFFF {
                return self.tariff_keys.binary_search(&key).is_err();
            }
            let from = self.tariff_keys.partition_point(|&k| k >> 48 < line);
            self.tariff_keys[from..]
                .iter()
                .take_while(|&&k| k >> 48 == line)
                .all(|&k| {
                    let same_slot = k >> 32 == key >> 32;
                    let out_of_order = match class_of(key) {
                        CLASS_CHAPTER_99 => k < key && class_of(k) == CLASS_COMMODITY,
                        CLASS_COMMODITY => k > key && class_of(k) == CLASS_CHAPTER_99,
                        _ => false,
                    };
                    !same_slot && !out_of_order
                })
        })
    }

    /// Joins `later` (see [`EntryState::joins`]).
    fn join(&mut self, later: EntryState) {
        if self.cleaned_from.is_none() {
            self.cleaned_from = later.cleaned_from;
        }
        if self.restored_from.is_none() {
            self.restored_from = later.restored_from;
        }
        self.rows.extend(&later.rows);
        self.in_es003 |= later.in_es003;
        self.importer = self.importer.take().or(later.importer);
        self.entry_type = self.entry_type.take().or(later.entry_type);
        self.liquidation_status = self.liquidation_status.take().or(later.liquidation_status);
        self.entry_date = self.entry_date.or(later.entry_date);
        self.summary_date = self.summary_date.or(later.summary_date);
        self.liquidation_date = self.liquidation_date.or(later.liquidation_date);
        self.reconciliation_rows.extend(&later.reconciliation_rows);
        self.ieepa_duty += later.ieepa_duty;
        self.ieepa_lines += later.ieepa_lines;
        self.ieepa_lines_with_duty += later.ieepa_lines_with_duty;
        self.section_122_lines += later.section_122_lines;
        self.tariff_keys.extend_from_slice(&later.tariff_keys);
        self.tariff_keys.sort_unstable();
        let Some(b) = later.rare else { return };
        let a = self.rare();
        a.importer_conflicts.extend(b.importer_conflicts);
        let room = KEPT_PER_ENTRY.saturating_sub(a.type_conflicts.len());
        a.type_conflicts
            .extend(b.type_conflicts.into_iter().take(room));
        a.tariff_conflicts.extend(&b.tariff_conflicts);
        a.duplicate_rows.extend(&b.duplicate_rows);
        a.out_of_sequence_rows.extend(&b.out_of_sequence_rows);
        a.goods_on_ieepa_rows.extend(&b.goods_on_ieepa_rows);
        for hts in b.other_chapter_99 {
            if a.other_chapter_99.len() < 3 && !a.other_chapter_99.contains(&hts) {
                a.other_chapter_99.push(hts);
            }
        }
        a.protest = a.protest.take().or(b.protest);
        a.trade_control = a.trade_control.take().or(b.trade_control);
        let room = UNREADABLE_CELLS_KEPT.saturating_sub(a.unreadable_cells.len());
        a.unreadable_cells
            .extend(b.unreadable_cells.into_iter().take(room));
        a.unreadable_cell_count = a
            .unreadable_cell_count
            .saturating_add(b.unreadable_cell_count);
    }
}
