//! XLSX workbooks, ACE's other export format, read into the same rows as a
//! CSV export (feature `xlsx`, with the `calamine` crate).
//!
//! A workbook is a ZIP archive: it cannot be read as a stream, so it is held
//! in memory up to [`MAX_WORKBOOK_BYTES`]; larger ones are refused with the
//! advice to export CSV, which is streamed whatever its size.

use crate::read::columns::Columns;
use crate::read::record::MAX_FIELDS;
use crate::values::date::Date;
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;

/// The largest workbook read into memory.
pub const MAX_WORKBOOK_BYTES: usize = 150 << 20;

/// The sheet ACE names its data sheet.
const DATA_SHEET: &str = "Main Report";

/// Reads the data sheet of a workbook: `Main Report`, else the first sheet
/// with an entry-number header in its first `search_rows` rows, else the
/// first sheet. Calls `on_row` with each row's Excel row number and cells
/// as Excel shows them; returns the sheet's name, or why the workbook
/// cannot be read.
///
/// Cells are streamed one at a time (calamine's cell reader): a sheet is
/// never expanded into a rectangle, so a stray cell in XFD1048576 costs
/// nothing.
pub fn read_workbook(
    bytes: &[u8],
    search_rows: usize,
    mut on_row: impl FnMut(u32, &[String]),
) -> Result<String, String> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names = workbook.sheet_names().to_vec();
    let Some(first) = names.first().cloned() else {
        return Err("it has no sheets".into());
    };
    let chosen = match names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(DATA_SHEET))
    {
        Some(name) => name.clone(),
        None => {
            let mut with_header = None;
            for name in &names {
                let mut found = false;
                let mut seen = 0;
                stream_sheet(&mut workbook, name, &mut |_, cells| {
                    seen += 1;
                    found = Columns::from_header(cells.iter().map(String::as_str))
                        .kind()
                        .is_some();
                    !found && seen < search_rows
                })?;
                if found {
                    with_header = Some(name.clone());
                    break;
                }
            }
            with_header.unwrap_or(first)
        }
    };
    stream_sheet(&mut workbook, &chosen, &mut |row, cells| {
        on_row(row, cells);
        true
    })?;
    Ok(chosen)
}

/// Calls `on_row` for each row with cells, in order, until it returns false.
fn stream_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    on_row: &mut dyn FnMut(u32, &[String]) -> bool,
) -> Result<(), String> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut cells: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, column) = cell.get_position();
        if current != Some(row) {
            if let Some(done) = current {
                if !on_row(done + 1, &cells) {
                    return Ok(());
                }
            }
            cells.clear();
            current = Some(row);
        }
        // Columns past the record limit cannot be ES-003 fields.
        let column = column as usize;
        if column >= MAX_FIELDS {
            continue;
        }
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = cell_ref_text(cell.get_value());
    }
    if let Some(done) = current {
        on_row(done + 1, &cells);
    }
    Ok(())
}

/// A cell as Excel shows it: numbers without a trailing `.0` (an entry
/// number stored as the number 1644100214 is the text `1644100214`), dates
/// as ISO dates, errors as Excel writes them.
fn cell_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::Empty => String::new(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => {
            Date::from_excel_serial(dt.as_f64()).map_or_else(|| number_text(dt.as_f64()), Date::iso)
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// The shortest decimal that reads back as the number, with float noise
/// from spreadsheet arithmetic (0.30000000000000004) rounded off.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let rounded = (f * 1e6).round() / 1e6;
    let text = format!("{rounded}");
    if text.contains('e') {
        format!("{f}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(1_644_100_214.0), "1644100214");
        assert_eq!(number_text(2567.49), "2567.49");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-12.0), "-12");
        assert_eq!(cell_ref_text(&DataRef::Int(8)), "8");
        assert_eq!(cell_ref_text(&DataRef::Empty), "");
        assert_eq!(
            cell_ref_text(&DataRef::SharedString("XQ710042173")),
            "XQ710042173"
        );
    }
}
