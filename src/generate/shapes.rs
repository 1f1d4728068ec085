//! Crafted inputs, the shapes that once cost quadratic time: for tests and
//! benchmarks (`cape-check generate --shape NAME --rows N`). Each is a
//! valid ES-003 a real user could have: merged overlapping exports, one
//! huge entry, lines in reverse order.

use super::HEADER;
use crate::values::entry_number::check_digit;
use std::io::{self, Write};

/// A crafted shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Two exports of the same entries (about 20 rows each), the second
    /// with its rows interleaved across entries: write both, audit both.
    Overlapping,
    /// One entry of `rows` rows and no line or ordinal columns.
    OneEntryUntracked,
    /// One entry whose lines, and the ordinals on each line, come in
    /// descending order (line numbers below 65,535 at any size).
    DescendingLines,
    /// One entry whose line numbers are above 65,535.
    HugeLineNumbers,
}

impl Shape {
    pub const ALL: [Shape; 4] = [
        Shape::Overlapping,
        Shape::OneEntryUntracked,
        Shape::DescendingLines,
        Shape::HugeLineNumbers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Overlapping => "overlapping",
            Shape::OneEntryUntracked => "one-entry-untracked",
            Shape::DescendingLines => "descending-lines",
            Shape::HugeLineNumbers => "huge-line-numbers",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The files of the shape, about `rows` rows each: one, or two for
    /// [`Shape::Overlapping`].
    pub fn files(self, rows: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write(rows, &mut out);
        out
    }

    fn write(self, rows: usize, out: &mut Vec<Vec<u8>>) -> io::Result<()> {
        match self {
            Shape::Overlapping => {
                let entries = rows.div_ceil(20).max(1);
                let all: Vec<(usize, usize)> = (0..entries)
                    .flat_map(|e| (0..20).map(move |r| (e, r)))
                    .collect();
                let mut first = header();
                for &(e, r) in &all {
                    tariff_row(&mut first, e, r)?;
                }
                let mut second = header();
                for r in 0..20 {
                    for e in 0..entries {
                        tariff_row(&mut second, e, r)?;
                    }
                }
                out.push(first);
                out.push(second);
            }
            Shape::OneEntryUntracked => {
                let mut file = b"Entry Summary Number,Importer Number,Entry Type Code,Entry Summary Date,HTS Number - Full,Line Tariff Duty Amount\r\n".to_vec();
                for r in 0..rows {
                    let hts = if r % 2 == 0 { "99030124" } else { "8471300100" };
                    writeln!(
                        file,
                        "XQ710042173,98-765432100,01,01/30/2026,{hts},{}.{:02}\r",
                        r / 100,
                        r % 100
                    )?;
                }
                out.push(file);
            }
            Shape::DescendingLines => {
                // Lines of `per_line` rows, so that the line numbers stay
                // line numbers (below 65,535) at any size: the commodity
                // last on the line comes first, then its Chapter 99 numbers,
                // every (line, ordinal) below the one before.
                let per_line = rows.div_ceil(65_000).max(8);
                let lines = rows.div_ceil(per_line);
                let mut file = header();
                for r in 0..rows {
                    let line = lines - r / per_line;
                    let ordinal = per_line - r % per_line;
                    let hts = if ordinal == per_line {
                        "8471300100"
                    } else {
                        "99030124"
                    };
                    one_entry_row(&mut file, line, ordinal, hts)?;
                }
                out.push(file);
            }
            Shape::HugeLineNumbers => {
                let mut file = header();
                for r in 0..rows {
                    let line = 70_000 + r / 2;
                    let (ordinal, hts) = if r % 2 == 0 {
                        (1, "99030124")
                    } else {
                        (2, "8471300100")
                    };
                    one_entry_row(&mut file, line, ordinal, hts)?;
                }
                out.push(file);
            }
        }
        Ok(())
    }
}

fn header() -> Vec<u8> {
    HEADER.as_bytes().to_vec()
}

/// A tariff row of the one large entry of a shape.
fn one_entry_row(out: &mut Vec<u8>, line: usize, ordinal: usize, hts: &str) -> io::Result<()> {
    write!(out, "XQ710042173,01,{line},98-765432100,SYNTHETIC TEST IMPORTER LLC,XQ7,2704,01/20/2026,01/30/2026,CN,{ordinal},{hts},$0.00,$1.00,,,N,Unliquidated,,,,CBP Control\r\n")
}

/// Row `r` of entry `e` in the generator's layout (lines of 2 rows).
fn tariff_row(out: &mut Vec<u8>, e: usize, r: usize) -> io::Result<()> {
    let mut number = *b"XQ700000000";
    let transaction = format!("{:07}", e % 10_000_000);
    number[3..10].copy_from_slice(transaction.as_bytes());
    number[10] = b'0' + check_digit(&number).unwrap_or(0);
    let number = String::from_utf8_lossy(&number).into_owned();
    let (line, ordinal) = (r / 2 + 1, r % 2 + 1);
    let hts = if ordinal == 1 {
        "99030124"
    } else {
        "8471300100"
    };
    write!(out, "{number},01,{line},98-765432100,SYNTHETIC TEST IMPORTER LLC,XQ7,2704,01/20/2026,01/30/2026,CN,{ordinal},{hts},$0.00,$10.00,,,N,Unliquidated,,,,CBP Control\r\n")
}
