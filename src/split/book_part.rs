//! The helper's entry book, encoded, and joined into the main one.

use super::codec::{Reader, Writer};
use super::JoinRefused;
use crate::entries::state::{
    keep, CLASS_CHAPTER_99, CLASS_COMMODITY, KEPT_PER_ENTRY, UNREADABLE_CELLS_KEPT,
};
use crate::entries::tariff_keys::{TariffKeys, UNTRACKED_LINE};
use crate::entries::{CapeSign, EntryBook, EntryState, FxHasher, NumberKey};
use crate::values::date::Date;
use crate::values::entry_number::{read_entry_number, EntryNumber};
use crate::values::money::Cents;
use crate::values::shared::Shared;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The helper's book, encoded: the rows of file `file` it read. The
/// values entries share (importer numbers, entry types, liquidation
/// statuses) come first, once each; each entry is written with its
/// length first, so that a join can pass over the entries this book
/// does not hold without decoding them.
pub(super) fn write_book(book: &EntryBook, file: usize, w: &mut Writer) {
    w.u64(book.rows_used);
    let seen = book
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
    for e in book.entries.iter() {
        one.bytes.clear();
        e.write(&mut one, &mut shared);
        body.u64(one.bytes.len() as u64);
        body.bytes.extend_from_slice(&one.bytes);
    }
    w.u64(shared.values.len() as u64);
    for value in &shared.values {
        w.str(value);
    }
    w.u64(book.entries.len() as u64);
    // The entries are the bulk of a part: what comes before them is moved
    // in front of their buffer (one move within it) instead of the entries
    // being copied after it, which would hold them twice for a moment (a
    // helper's half of a million-entry export, tens of MB in wasm memory).
    let head = std::mem::take(&mut w.bytes);
    body.bytes.splice(0..0, head);
    w.bytes = body.bytes;
}

/// Joins a helper's book as if its rows came after every row read here.
/// Refused, with nothing changed, when that cannot be done exactly or the
/// bytes are damaged.
///
/// Two passes over the part, so that the helper's entries are never all
/// decoded at once beside this book (wasm memory never shrinks): the
/// first decodes each entry, checks that those both books hold join,
/// and drops it; the second decodes each again and moves it in.
pub(super) fn join_book(
    book: &mut EntryBook,
    file: usize,
    r: &mut Reader<'_>,
) -> Result<(), JoinRefused> {
    let head = read_book_head(r).ok_or(JoinRefused::NotAPart)?;
    // The part's shared values as this book's own (a cache: interning
    // them changes nothing else even if the join is refused).
    let shared: Vec<Shared> = head.shared.iter().map(|v| book.intern(v)).collect();
    let entries_at = r.clone();
    let new_entries = check_join(book, &head, &shared, r)?;
    // Checked: from here on the join cannot fail (the part's checksum
    // held, so its entries decode as the helper wrote them).
    let mut r = entries_at;
    book.reserve(new_entries);
    for _ in 0..head.entries {
        let Some(later) = r
            .entry()
            .as_mut()
            .and_then(|one| EntryState::read(one, &shared))
        else {
            unreachable!("the part's checksum held: its entries are as the helper wrote them")
        };
        let key = match &later.number {
            Ok(n) => NumberKey::Valid(*n),
            Err(_) => NumberKey::Unusable(later.written()),
        };
        match book.find(key) {
            Some(i) => book.entries[i].join(later),
            None => book.add_entry(later),
        }
    }
    book.rows_used += head.rows_used;
    book.note_importers(file, head.seen);
    book.end_run();
    Ok(())
}

/// The first pass: whether every entry both books hold joins exactly.
/// Says how many entries are new to the book.
fn check_join(
    book: &EntryBook,
    head: &BookHead<'_>,
    shared: &[Shared],
    r: &mut Reader<'_>,
) -> Result<usize, JoinRefused> {
    let mut new_entries = 0;
    for _ in 0..head.entries {
        let mut one = r.entry().ok_or(JoinRefused::NotAPart)?;
        let key = one.number_key().ok_or(JoinRefused::NotAPart)?;
        let Some(i) = book.find(key) else {
            new_entries += 1;
            continue;
        };
        let later = EntryState::read(&mut one, shared).ok_or(JoinRefused::NotAPart)?;
        if !one.at_end() {
            return Err(JoinRefused::NotAPart);
        }
        if !book.entries[i].joins(&later) {
            return Err(JoinRefused::EntryDiffers);
        }
    }
    if !r.at_end() {
        return Err(JoinRefused::NotAPart);
    }
    Ok(new_entries)
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
fn read_shared(r: &mut Reader<'_>, shared: &[Shared]) -> Option<Option<Shared>> {
    match r.len_unbounded()? {
        0 => Some(None),
        i => Some(Some(shared.get(i - 1)?.clone())),
    }
}

impl EntryState {
    fn write<'a>(&'a self, w: &mut Writer, shared: &mut SharedValues<'a>) {
        w.opt_str(self.number.as_ref().err().map(|u| &*u.written));
        match &self.number {
            Ok(n) => {
                w.bool(true);
                w.bytes.extend_from_slice(n.as_str().as_bytes());
            }
            // Read again from the written form, which an unusable one keeps.
            Err(_) => w.bool(false),
        }
        w.rows(&self.rows);
        w.bool(self.in_es003);
        shared.write(w, self.importer.as_deref());
        shared.write(w, self.entry_type.as_deref());
        shared.write(w, self.liquidation_status.as_deref());
        for date in [
            self.entry_date,
            self.summary_date,
            self.liquidation_date,
            self.payment_date,
        ] {
            write_date(w, date);
        }
        w.i64(self.ieepa_duty.0);
        w.u32(self.ieepa_lines);
        w.u32(self.ieepa_lines_with_duty);
        w.u32(self.section_122_lines);
        w.u64(self.tariff_keys.len() as u64);
        for key in self.tariff_keys.iter() {
            w.u64(key);
        }
        w.bool(self.rare.is_some());
        if let Some(rare) = &self.rare {
            w.opt_str(rare.cleaned_from.as_deref());
            w.opt_str(rare.restored_from.as_deref());
            w.rows(&rare.reconciliation_rows);
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
            if let Some((row, number, status)) = rare.protest.as_deref() {
                w.u32(*row);
                w.str(number);
                w.str(status);
            }
            w.bool(rare.trade_control.is_some());
            if let Some((row, text)) = rare.trade_control.as_deref() {
                w.u32(*row);
                w.str(text);
            }
            w.noted(&rare.unreadable_cells);
            w.u32(rare.unreadable_cell_count);
            w.noted(&rare.status_conflicts);
            w.u64(rare.date_conflicts.len() as u64);
            for (row, date) in &rare.date_conflicts {
                w.u32(*row);
                write_date(w, Some(*date));
            }
            w.u64(rare.other_protests.len() as u64);
            for (row, number, status) in &rare.other_protests {
                w.u32(*row);
                w.str(number);
                w.str(status);
            }
            w.bytes.push(match rare.refunded_through_cape {
                None => 0,
                Some((_, CapeSign::Reason36)) => 1,
                Some((_, CapeSign::Indicator)) => 2,
            });
            w.u32(rare.refunded_through_cape.map_or(0, |(row, _)| row));
            w.bool(rare.adcvd.is_some());
            if let Some((row, text)) = rare.adcvd.as_deref() {
                w.u32(*row);
                w.str(text);
            }
            // A helper reads ES-003 rows only: it has no claims.
        }
    }

    fn read(r: &mut Reader<'_>, shared: &[Shared]) -> Option<EntryState> {
        let written = r.opt_str()?;
        let number = if r.bool()? {
            let text = std::str::from_utf8(r.take(11)?).ok()?;
            Ok(EntryNumber::parse(text)?)
        } else {
            read_entry_number(written?).number.err().map(Err)?
        };
        let mut e = EntryState::new(written.unwrap_or_default(), number);
        e.rows = r.rows()?;
        e.in_es003 = r.bool()?;
        e.importer = read_shared(r, shared)?;
        e.entry_type = read_shared(r, shared)?;
        e.liquidation_status = read_shared(r, shared)?;
        e.entry_date = read_date(r)?;
        e.summary_date = read_date(r)?;
        e.liquidation_date = read_date(r)?;
        e.payment_date = read_date(r)?;
        e.ieepa_duty = Cents(r.i64()?);
        e.ieepa_lines = r.u32()?;
        e.ieepa_lines_with_duty = r.u32()?;
        e.section_122_lines = r.u32()?;
        let count = r.len()?;
        let mut keys = Vec::with_capacity(count);
        for _ in 0..count {
            keys.push(r.u64()?);
        }
        e.tariff_keys = TariffKeys::from_sorted(keys);
        if r.bool()? {
            let rare = e.rare();
            rare.cleaned_from = r.opt_str()?.map(Box::from);
            rare.restored_from = r.opt_str()?.map(Box::from);
            rare.reconciliation_rows = r.rows()?;
            rare.importer_conflicts = r.noted()?.into();
            rare.type_conflicts = r.noted()?.into();
            rare.tariff_conflicts = r.rows()?;
            rare.duplicate_rows = r.rows()?;
            rare.out_of_sequence_rows = r.rows()?;
            rare.goods_on_ieepa_rows = r.rows()?;
            for _ in 0..r.len()? {
                rare.other_chapter_99.push(r.str()?.to_string());
            }
            if r.bool()? {
                rare.protest = Some(Box::new((
                    r.row()?,
                    r.str()?.to_string(),
                    r.str()?.to_string(),
                )));
            }
            if r.bool()? {
                rare.trade_control = Some(Box::new((r.row()?, r.str()?.to_string())));
            }
            rare.unreadable_cells = r.noted()?.into();
            rare.unreadable_cell_count = r.u32()?;
            rare.status_conflicts = r.noted()?.into();
            for _ in 0..r.len()? {
                rare.date_conflicts.push((r.row()?, read_date(r)??));
            }
            for _ in 0..r.len()? {
                let protest = (r.row()?, r.str()?.to_string(), r.str()?.to_string());
                rare.other_protests.push(protest);
            }
            let sign = match *r.take(1)?.first()? {
                0 => None,
                1 => Some(CapeSign::Reason36),
                2 => Some(CapeSign::Indicator),
                _ => return None,
            };
            let row = r.row()?;
            rare.refunded_through_cape = sign.map(|sign| (row, sign));
            if r.bool()? {
                rare.adcvd = Some(Box::new((r.row()?, r.str()?.to_string())));
            }
        }
        Some(e)
    }

    /// Whether `later`, the same entry read from rows that come after all of
    /// this one's, joins exactly: reading its rows here one by one would have
    /// given the same as joining the two.
    fn joins(&self, later: &EntryState) -> bool {
        // First-seen values compared with later rows: the later part compared
        // its rows with its own first one, which must then be the same.
        let differ =
            |a: &Option<Shared>, b: &Option<Shared>| matches!((a, b), (Some(a), Some(b)) if a != b);
        if differ(&self.importer, &later.importer)
            || differ(&self.entry_type, &later.entry_type)
            || differ(&self.liquidation_status, &later.liquidation_status)
        {
            return false;
        }
        if matches!((self.liquidation_date, later.liquidation_date), (Some(a), Some(b)) if a != b) {
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
        let mut later_keys = later.tariff_keys.iter();
        later_keys.all(|key| {
            let line = key >> 48;
            if line == UNTRACKED_LINE {
                return !self.tariff_keys.contains(key);
            }
            let line_start = line << 48;
            let clash = |k: u64| {
                let same_slot = k >> 32 == key >> 32;
                let out_of_order = match class_of(key) {
                    CLASS_CHAPTER_99 => k < key && class_of(k) == CLASS_COMMODITY,
                    CLASS_COMMODITY => k > key && class_of(k) == CLASS_CHAPTER_99,
                    _ => false,
                };
                same_slot || out_of_order
            };
            !self
                .tariff_keys
                .any_in(line_start..=line_start | 0xFFFF_FFFF_FFFF, clash)
        })
    }

    /// Joins `later` (see [`EntryState::joins`]).
    fn join(&mut self, later: EntryState) {
        self.rows.extend(&later.rows);
        self.in_es003 |= later.in_es003;
        self.importer = self.importer.take().or(later.importer);
        self.entry_type = self.entry_type.take().or(later.entry_type);
        self.liquidation_status = self.liquidation_status.take().or(later.liquidation_status);
        self.entry_date = self.entry_date.or(later.entry_date);
        self.summary_date = self.summary_date.or(later.summary_date);
        self.liquidation_date = self.liquidation_date.or(later.liquidation_date);
        self.payment_date = self.payment_date.or(later.payment_date);
        self.ieepa_duty += later.ieepa_duty;
        self.ieepa_lines += later.ieepa_lines;
        self.ieepa_lines_with_duty += later.ieepa_lines_with_duty;
        self.section_122_lines += later.section_122_lines;
        for key in later.tariff_keys.iter() {
            self.tariff_keys.insert(key);
        }
        let Some(b) = later.rare else { return };
        let a = self.rare();
        a.cleaned_from = a.cleaned_from.take().or(b.cleaned_from);
        a.restored_from = a.restored_from.take().or(b.restored_from);
        a.reconciliation_rows.extend(&b.reconciliation_rows);
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
        for (row, number, status) in b.protest.map(|p| *p).into_iter().chain(b.other_protests) {
            a.add_protest(row, &number, &status);
        }
        b.status_conflicts
            .into_iter()
            .for_each(|c| keep(&mut a.status_conflicts, c));
        b.date_conflicts
            .into_iter()
            .for_each(|c| keep(&mut a.date_conflicts, c));
        a.refunded_through_cape = a.refunded_through_cape.or(b.refunded_through_cape);
        a.trade_control = a.trade_control.take().or(b.trade_control);
        a.adcvd = a.adcvd.take().or(b.adcvd);
        let room = UNREADABLE_CELLS_KEPT.saturating_sub(a.unreadable_cells.len());
        a.unreadable_cells
            .extend(b.unreadable_cells.into_iter().take(room));
        a.unreadable_cell_count = a
            .unreadable_cell_count
            .saturating_add(b.unreadable_cell_count);
    }
}
