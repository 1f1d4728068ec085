//! XLSX workbooks, ACE's other export format, read into the same rows as a
//! CSV export (feature `xlsx`, with the `calamine` crate).
//!
//! A workbook is a ZIP archive: it cannot be read as a stream, so it is held
//! in memory up to [`MAX_WORKBOOK_BYTES`]; larger ones are refused with the
//! advice to export CSV, which is streamed whatever its size.

use crate::columns::Columns;
use crate::date::Date;
use calamine::{Data, Range, Reader, Xlsx};
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
pub fn read_workbook(
    bytes: &[u8],
    search_rows: usize,
    mut on_row: impl FnMut(u32, &[String]),
) -> Result<String, String> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names = workbook.sheet_names().to_vec();
    if names.is_empty() {
        return Err("it has no sheets".into());
    }
    let mut chosen: Option<(String, Range<Data>)> = None;
    if let Some(name) = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(DATA_SHEET))
    {
        let range = workbook.worksheet_range(name).map_err(|e| e.to_string())?;
        chosen = Some((name.clone(), range));
    } else {
        for name in &names {
            let range = workbook.worksheet_range(name).map_err(|e| e.to_string())?;
            let has_header = range.rows().take(search_rows).any(|row| {
                let cells: Vec<String> = row.iter().map(cell_text).collect();
                Columns::from_header(cells.iter().map(String::as_str))
                    .kind()
                    .is_some()
            });
            if has_header {
                chosen = Some((name.clone(), range));
                break;
            }
        }
    }
    let (name, range) = match chosen {
        Some(c) => c,
        None => {
            let first = names[0].clone();
            let range = workbook
                .worksheet_range(&first)
                .map_err(|e| e.to_string())?;
            (first, range)
        }
    };
    let first_row = range.start().map_or(0, |(row, _)| row);
    let mut cells: Vec<String> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        cells.clear();
        cells.extend(row.iter().map(cell_text));
        on_row(first_row + i as u32 + 1, &cells);
    }
    Ok(name)
}

/// A cell as Excel shows it: numbers without a trailing `.0` (an entry
/// number stored as the number 1644100214 is the text `1644100214`), dates
/// as ISO dates, errors as Excel writes them.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            Date::from_excel_serial(dt.as_f64()).map_or_else(|| number_text(dt.as_f64()), Date::iso)
        }
        Data::Error(e) => format!("#{e:?}"),
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
        assert_eq!(cell_text(&Data::Int(8)), "8");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
