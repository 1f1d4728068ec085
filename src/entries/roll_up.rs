//! One data row rolled into its entry: each fact of the row is one step.
//! A value the entry already has (its importer, type, dates, ...) is kept
//! as first seen; a later row that differs is noted for the rules.

use super::hash::FxHasher;
use super::state::{
    keep, CapeSign, Claim, EntryState, CLASS_CHAPTER_99, CLASS_COMMODITY, KEPT_PER_ENTRY,
};
use super::tariff_keys::UNTRACKED_LINE;
use super::{grow, note_importer, EntryBook};
use crate::read::columns::{Columns, Field, FileKind};
use crate::read::file::{RowSink, RowUse, Unused};
use crate::read::record::Record;
use crate::values::date::Date;
use crate::values::entry_number::read_entry_number;
use crate::values::hts::{classify, HtsClass};
use crate::values::importer_number::{Comparison, ImporterNumber};
use crate::values::money::Cents;
use crate::values::text::{clean, contains_ignoring_case, entry_type_code, same_value};
use std::borrow::Cow;
use std::hash::Hasher;

/// A data row and its file's columns: its cells by field.
#[derive(Clone, Copy)]
struct Row<'a, 'r> {
    record: &'a Record<'r>,
    columns: &'a Columns,
}

impl<'r> Row<'_, 'r> {
    /// The text of a field's cell.
    fn cell(&self, field: Field) -> Option<Cow<'r, str>> {
        self.record.text(self.columns.get(field)?)
    }

    /// The spreadsheet row number.
    fn number(&self) -> u32 {
        self.record.row
    }
}

/// A cell's text, cleaned; empty when the cell is missing.
fn cleaned<'c>(cell: &'c Option<Cow<'_, str>>) -> &'c str {
    cell.as_deref().map_or("", clean)
}

impl RowSink for EntryBook {
    fn row(
        &mut self,
        file: usize,
        kind: FileKind,
        columns: &Columns,
        record: &Record<'_>,
    ) -> RowUse {
        let row = Row { record, columns };
        let entry_cell = row.cell(Field::Entry);
        let entry_text = entry_cell.as_deref().unwrap_or_default();
        if entry_text.trim().is_empty() {
            return RowUse::Unused(Unused::NoEntryNumber);
        }
        self.rows_used += 1;
        if kind == FileKind::Es003 && self.after_files.get(file) == Some(&true) {
            self.after_row(entry_text, row);
            return RowUse::Used;
        }
        // As written: spaces at the edges are the entry number reader's to
        // remove, and to report (entry-number-cleaned, rules.md 2).
        let idx = self.entry_index(entry_text);
        match kind {
            FileKind::Es003 => self.es003_row(idx, file, row),
            FileKind::Declaration => self.declaration_row(idx, file, row.number()),
            FileKind::ClaimDetails => self.claim_row(idx, file, row),
        }
        RowUse::Used
    }
}

impl EntryBook {
    /// A row of an ES-003 exported after filing: what it shows of its entry
    /// (an IEEPA line with duty, the CAPE Indicator, liquidation reason 36).
    fn after_row(&mut self, entry_text: &str, row: Row<'_, '_>) {
        let name = match read_entry_number(entry_text).number {
            Ok(n) => n.as_str().to_string(),
            Err(_) => entry_text.trim().to_string(),
        };
        let hts_cell = row.cell(Field::Hts);
        let duty = row
            .cell(Field::Duty)
            .and_then(|t| Cents::parse(&t))
            .unwrap_or(Cents(0));
        let ieepa = classify(cleaned(&hts_cell)) == Some(HtsClass::Ieepa) && duty.0 > 0;
        let indicator = row
            .cell(Field::CapeIndicator)
            .and_then(|t| CapeSign::indicator(&t));
        let reason = row
            .cell(Field::LiquidationReason)
            .is_some_and(|t| reason_36(clean(&t)));
        let facts = self.after.entry(name).or_default();
        facts.ieepa_with_duty |= ieepa;
        facts.indicator = match (facts.indicator, indicator) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (a, b) => a.or(b),
        };
        facts.reason_36 |= reason;
    }

    /// A row of a CAPE Declaration: the entry, once per file.
    fn declaration_row(&mut self, idx: usize, file: usize, row: u32) {
        let e = &mut self.entries[idx];
        e.rows.push(row);
        let file_id = file as u32;
        if e.declared_in == Some(file_id) {
            if self.declaration_repeats.len() <= file {
                self.declaration_repeats
                    .resize_with(file + 1, Default::default);
            }
            self.declaration_repeats[file].push(row);
        }
        e.declared_in = Some(file_id);
    }

    /// A row of CBP's Claim Details.
    fn claim_row(&mut self, idx: usize, file: usize, row: Row<'_, '_>) {
        let text = |field: Field| cleaned(&row.cell(field)).to_string();
        // The download's date, from its date column: the latest date in it.
        if let Some(written) = row.cell(Field::ClaimDate) {
            let written = clean(&written);
            if let Some(date) = Date::parse(written) {
                if self.claim_dates.len() <= file {
                    self.claim_dates.resize(file + 1, None);
                }
                let kept = &mut self.claim_dates[file];
                *kept = Some(kept.map_or(date, |d| d.max(date)));
            } else if !written.is_empty() {
                // Not a date: said once for the download, with its rows.
                if self.claim_dates_unread.len() <= file {
                    self.claim_dates_unread
                        .resize_with(file + 1, Default::default);
                }
                let (rows, first) = &mut self.claim_dates_unread[file];
                if rows.is_empty() {
                    *first = written.chars().take(40).collect();
                }
                rows.push(row.number());
            }
        }
        let claim = Claim {
            file: file as u32,
            row: row.number(),
            claim_number: text(Field::ClaimNumber),
            status: text(Field::ClaimStatus),
            error_description: text(Field::ErrorDescription),
        };
        let e = &mut self.entries[idx];
        e.rows.push(row.number());
        let claims = &mut e.rare().claims;
        // A row repeated within a download is one row: the same (download,
        // claim, status, message) is kept once.
        let repeated = claims.iter().any(|c| {
            c.file == claim.file
                && c.claim_number == claim.claim_number
                && c.status == claim.status
                && c.error_description == claim.error_description
        });
        if !repeated && claims.len() < KEPT_PER_ENTRY {
            claims.push(claim);
        }
    }

    /// A tariff row of an ES-003.
    fn es003_row(&mut self, idx: usize, file: usize, row: Row<'_, '_>) {
        self.start_run(idx);
        let importer_cell = row.cell(Field::Importer);
        let importer = cleaned(&importer_cell);
        let type_cell = row.cell(Field::EntryType);
        let entry_type = cleaned(&type_cell);
        // Values shared by many entries are interned before `e` is borrowed.
        self.first_importer(idx, file, importer);
        if !entry_type.is_empty() && self.entries[idx].entry_type.is_none() {
            let shared = self.intern_recent(1, entry_type);
            self.entries[idx].entry_type = Some(shared);
        }
        self.first_liquidation_status(idx, row);
        let e = &mut self.entries[idx];
        e.rows.push(row.number());
        e.in_es003 = true;
        e.importer_row(row.number(), importer);
        e.entry_type_row(row.number(), entry_type);
        e.dates_row(row);
        e.reconciliation_row(row);
        e.status_row(row);
        e.tariff(row);
    }

    /// Rows of one entry usually come together: when they stop, the
    /// previous entry's tariff keys are trimmed to size.
    fn start_run(&mut self, idx: usize) {
        if self.last_entry != Some(idx) {
            if let Some(previous) = self.last_entry {
                self.entries[previous].tariff_keys.shrink_to_fit();
            }
            self.last_entry = Some(idx);
        }
    }

    /// The entry's importer as first written, and the importers of the
    /// file: every row's (a second importer may stand on a later row).
    fn first_importer(&mut self, idx: usize, file: usize, importer: &str) {
        if importer.is_empty() {
            return;
        }
        note_importer(grow(&mut self.importers_by_file, file), importer);
        if self.entries[idx].importer.is_none() {
            let shared = self.intern_recent(0, importer);
            self.entries[idx].importer = Some(shared);
        }
    }

    /// The liquidation status as first written; a later different one is
    /// noted.
    fn first_liquidation_status(&mut self, idx: usize, row: Row<'_, '_>) {
        let Some(text) = row.cell(Field::LiquidationStatus) else {
            return;
        };
        let text = clean(&text);
        if text.is_empty() {
            return;
        }
        match &self.entries[idx].liquidation_status {
            None => {
                let shared = self.intern_recent(2, text);
                self.entries[idx].liquidation_status = Some(shared);
            }
            Some(first) if !same_value(first, text) => {
                let e = &mut self.entries[idx];
                keep(
                    &mut e.rare().status_conflicts,
                    (row.number(), text.to_string()),
                );
            }
            Some(_) => {}
        }
    }
}

impl EntryState {
    /// An importer that differs from the first one (not merely written
    /// otherwise) is a conflict.
    fn importer_row(&mut self, row: u32, importer: &str) {
        let Some(first) = &self.importer else { return };
        if importer.is_empty() || first.as_ref() == importer {
            return;
        }
        let same = match (
            ImporterNumber::parse(first),
            ImporterNumber::parse(importer),
        ) {
            (Some(a), Some(b)) => a.compare(&b) == Comparison::Same,
            _ => false,
        };
        if !same {
            self.rare()
                .importer_conflicts
                .push((row, importer.to_string()));
        }
    }

    /// An entry type that differs from the first one (`1` and `01` are one).
    fn entry_type_row(&mut self, row: u32, entry_type: &str) {
        let Some(first) = &self.entry_type else {
            return;
        };
        if entry_type.is_empty()
            || first.as_ref() == entry_type
            || entry_type_code(first) == entry_type_code(entry_type)
        {
            return;
        }
        let conflicts = &mut self.rare().type_conflicts;
        if conflicts.len() < KEPT_PER_ENTRY {
            conflicts.push((row, entry_type.to_string()));
        }
    }

    /// Entry, summary and liquidation dates: each read until one is found.
    fn dates_row(&mut self, row: Row<'_, '_>) {
        const DATES: [Field; 4] = [
            Field::EntryDate,
            Field::SummaryDate,
            Field::LiquidationDate,
            Field::PaymentDate,
        ];
        for field in DATES {
            let slot = match field {
                Field::EntryDate => &mut self.entry_date,
                Field::SummaryDate => &mut self.summary_date,
                Field::LiquidationDate => &mut self.liquidation_date,
                _ => &mut self.payment_date,
            };
            if let Some(first) = *slot {
                // A liquidation date that differs is judged too.
                if field == Field::LiquidationDate {
                    self.later_liquidation_date(row, first);
                }
                continue;
            }
            let cell = row.cell(field);
            let text = cleaned(&cell);
            if text.is_empty() {
                continue;
            }
            match Date::parse(text) {
                Some(d) => *slot = Some(d),
                None => self.unreadable(
                    row.number(),
                    format!(
                        "{} '{text}' is not a date (expected MM/DD/YYYY)",
                        field.header_name()
                    ),
                ),
            }
        }
    }

    /// A liquidation date on a later row: noted when it is a date and not
    /// the first one.
    fn later_liquidation_date(&mut self, row: Row<'_, '_>, first: Date) {
        let cell = row.cell(Field::LiquidationDate);
        match Date::parse(cleaned(&cell)) {
            Some(date) if date != first => {
                keep(&mut self.rare().date_conflicts, (row.number(), date));
            }
            _ => {}
        }
    }

    fn reconciliation_row(&mut self, row: Row<'_, '_>) {
        let Some(text) = row.cell(Field::Reconciliation) else {
            return;
        };
        let flag = clean(&text);
        let is = |words: &[&str]| words.iter().any(|w| flag.eq_ignore_ascii_case(w));
        if matches!(flag, "N" | "" | "n") {
            // The common case, decided without the word lists.
        } else if is(&["Y", "YES", "TRUE", "1", "X", "FLAGGED"]) {
            self.rare().reconciliation_rows.push(row.number());
        } else if !is(&["", "N", "NO", "FALSE", "0"]) {
            self.unreadable(
                row.number(),
                format!("Reconciliation Indicator '{flag}' is neither Y nor N"),
            );
        }
    }

    /// The protest and the control status, as first seen.
    fn status_row(&mut self, row: Row<'_, '_>) {
        let number_cell = row.cell(Field::ProtestNumber);
        let status_cell = row.cell(Field::ProtestStatus);
        let (number, status) = (cleaned(&number_cell), cleaned(&status_cell));
        if !number.is_empty() || !status.is_empty() {
            self.rare().add_protest(row.number(), number, status);
        }
        let sign = if row
            .cell(Field::LiquidationReason)
            .is_some_and(|text| reason_36(clean(&text)))
        {
            Some(CapeSign::Reason36)
        } else if row
            .cell(Field::CapeIndicator)
            .is_some_and(|text| CapeSign::indicator(&text) == Some(true))
        {
            Some(CapeSign::Indicator)
        } else {
            None
        };
        if let Some(sign) = sign {
            if self
                .rare
                .as_ref()
                .is_none_or(|r| r.refunded_through_cape.is_none())
            {
                self.rare().refunded_through_cape = Some((row.number(), sign));
            }
        }
        if let Some(text) = row.cell(Field::AdCvd) {
            let text = clean(&text);
            let no = ["", "N", "NO", "0", "FALSE", "NONE"]
                .iter()
                .any(|w| text.eq_ignore_ascii_case(w));
            if !no && self.rare.as_ref().is_none_or(|r| r.adcvd.is_none()) {
                self.rare().adcvd = Some(Box::new((row.number(), text.to_string())));
            }
        }
        if let Some(text) = row.cell(Field::ControlStatus) {
            let text = clean(&text);
            let trade = contains_ignoring_case(text, "trade");
            if trade && self.rare.as_ref().is_none_or(|r| r.trade_control.is_none()) {
                self.rare().trade_control = Some(Box::new((row.number(), text.to_string())));
            }
        }
    }

    /// The tariff row itself: its HTS class and amounts, counted unless it
    /// repeats an earlier row exactly.
    fn tariff(&mut self, row: Row<'_, '_>) {
        let hts_cell = row.cell(Field::Hts);
        let hts_text = cleaned(&hts_cell);
        let class = classify(hts_text);
        if class.is_none() {
            let what = format!("HTS number '{hts_text}' is not an HTS number");
            self.unreadable(row.number(), what);
        }
        let duty = self.amount(row, Field::Duty);
        let goods = self.amount(row, Field::GoodsValue);
        if !self.tariff_counts(row, hts_text, class, duty, goods) {
            return;
        }
        match class {
            Some(HtsClass::Ieepa) => {
                self.ieepa_lines += 1;
                self.ieepa_duty += duty;
                if duty.0 > 0 {
                    self.ieepa_lines_with_duty += 1;
                }
                if goods.0 > 0 {
                    self.rare().goods_on_ieepa_rows.push(row.number());
                }
            }
            Some(HtsClass::Section122) => self.section_122_lines += 1,
            Some(HtsClass::OtherChapter99 | HtsClass::Section338) => {
                let rare = self.rare();
                if rare.other_chapter_99.len() < 3
                    && !rare.other_chapter_99.iter().any(|h| h == hts_text)
                {
                    rare.other_chapter_99.push(hts_text.to_string());
                }
            }
            _ => {}
        }
    }

    /// A money cell; an unreadable one counts as zero and is noted.
    fn amount(&mut self, row: Row<'_, '_>, field: Field) -> Cents {
        let cell = row.cell(field);
        let text = cell.as_deref().unwrap_or_default();
        Cents::parse(text).unwrap_or_else(|| {
            let what = format!("{} '{}' is not an amount", field.header_name(), clean(text));
            self.unreadable(row.number(), what);
            Cents(0)
        })
    }

    /// Records the row's tariff key; says whether its amounts count (false
    /// for an identical repeat).
    fn tariff_counts(
        &mut self,
        row: Row<'_, '_>,
        hts_text: &str,
        class: Option<HtsClass>,
        duty: Cents,
        goods: Cents,
    ) -> bool {
        let number = |field: Field| row.cell(field).and_then(|t| clean(&t).parse::<u16>().ok());
        // 65,535 is the mark of the keys of unnumbered rows, not a line.
        let line = number(Field::Line).filter(|&l| u64::from(l) != UNTRACKED_LINE);
        match (line, number(Field::Ordinal)) {
            (Some(line), Some(ordinal)) => {
                let class_bits = match class {
                    Some(HtsClass::Commodity) => CLASS_COMMODITY,
                    Some(c) if c.is_chapter_99() => CLASS_CHAPTER_99,
                    _ => 0,
                };
                let mut h = FxHasher::default();
                hash_hts_digits(&mut h, hts_text);
                h.write_i64(duty.0);
                h.write_i64(goods.0);
                self.tariff_row(row.number(), line, ordinal, class_bits, h.finish() as u32)
            }
            // Without line and ordinal columns, a repeat is the same row whole.
            _ => {
                let mut h = FxHasher::default();
                row.record.iter().for_each(|cell| {
                    h.write(cell);
                    h.write_u8(0xFF);
                });
                self.untracked_row(row.number(), h.finish())
            }
        }
    }
}

/// A liquidation reason of 36, or one that names CAPE.
pub(crate) fn reason_36(reason: &str) -> bool {
    reason == "36" || contains_ignoring_case(reason, "CAPE")
}

/// Hashes an HTS number by its digits: `9903.01.24` and `99030124` are the
/// same tariff number. Text that is not an HTS number is hashed as written.
fn hash_hts_digits(h: &mut FxHasher, hts: &str) {
    if hts.bytes().any(|b| !matches!(b, b'0'..=b'9' | b'.' | b' ')) {
        h.write(hts.as_bytes());
        return;
    }
    let mut digits = [0u8; 16];
    let mut n = 0;
    for b in hts.bytes().filter(u8::is_ascii_digit) {
        if n < digits.len() {
            digits[n] = b;
        }
        n += 1;
    }
    h.write(&digits[..n.min(digits.len())]);
    h.write_usize(n);
}
