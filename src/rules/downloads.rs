//! Several Claim Details downloads of one run (rules.md section 9): each
//! one's date, and the order they are read in, oldest first.
//!
//! A download's date: the user's correction; else the latest date of its
//! date column; else a date in its file name (`2026-11-30`, `20261130`,
//! `11-30-2026`); else the file's own date (modified time, given by the
//! front end); else none, and it is taken as older than every dated one,
//! in the order given.

use crate::finding::{Code, Finding, Rows};
use crate::values::date::{iso_or_null, Date};
use crate::values::sort_short;
use serde::Serialize;

/// Where a download's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFrom {
    /// A date column of the download.
    Column,
    /// A date in its file name.
    FileName,
    /// The file's own date (modified time).
    FileDate,
    /// No date: the order the files were given in.
    Order,
    /// The user corrected it.
    User,
}

/// One Claim Details download as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Download {
    /// The file's name.
    pub file: String,
    /// Its date, ISO (null: none known).
    #[serde(serialize_with = "iso_or_null")]
    pub date: Option<Date>,
    pub date_from: DateFrom,
    /// Rows of the file (the header included).
    pub rows: u32,
    /// The audit's index of the file.
    #[serde(skip)]
    pub index: u32,
    /// Rows of its date column that hold no date, and the first value.
    #[serde(skip)]
    pub unread_dates: Option<(Rows, String)>,
}

/// What the audit knows of one Claim Details file, to date it.
#[derive(Clone, Debug, Default)]
pub struct DownloadFacts {
    pub index: u32,
    pub name: String,
    pub rows: u32,
    /// The latest date of its date column.
    pub column_date: Option<Date>,
    /// The file's own date, from the front end.
    pub file_date: Option<Date>,
    /// The user's correction.
    pub user_date: Option<Date>,
    /// Rows of its date column that hold no date, and the first value.
    pub unread_dates: Option<(Rows, String)>,
}

/// The downloads of a run, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Downloads {
    /// Oldest first.
    pub list: Vec<Download>,
    /// By file index: the place of the file in `list`.
    rank: Vec<Option<u32>>,
}

impl Downloads {
    /// Dates each download and puts them in order.
    pub fn new(facts: Vec<DownloadFacts>) -> Downloads {
        let mut list: Vec<Download> = facts
            .into_iter()
            .map(|f| {
                let (date, date_from) = if let Some(d) = f.user_date {
                    (Some(d), DateFrom::User)
                } else if let Some(d) = f.column_date {
                    (Some(d), DateFrom::Column)
                } else if let Some(d) = date_in_name(&f.name) {
                    (Some(d), DateFrom::FileName)
                } else if let Some(d) = f.file_date {
                    (Some(d), DateFrom::FileDate)
                } else {
                    (None, DateFrom::Order)
                };
                Download {
                    file: f.name,
                    date,
                    date_from,
                    rows: f.rows,
                    index: f.index,
                    unread_dates: f.unread_dates,
                }
            })
            .collect();
        // Undated ones first (older than any dated one), then by date; the
        // order given decides among equals (a stable sort).
        sort_short(&mut list, |a, b| {
            (a.date.is_some(), a.date) < (b.date.is_some(), b.date)
        });
        let mut rank = Vec::new();
        for (place, d) in list.iter().enumerate() {
            let i = d.index as usize;
            if rank.len() <= i {
                rank.resize(i + 1, None);
            }
            rank[i] = Some(place as u32);
        }
        Downloads { list, rank }
    }

    /// The place of file `index` among the downloads, oldest first.
    pub fn rank(&self, index: u32) -> Option<u32> {
        self.rank.get(index as usize).copied().flatten()
    }

    /// The download at `rank`.
    pub fn at(&self, rank: u32) -> Option<&Download> {
        self.list.get(rank as usize)
    }

    /// The newest download's place.
    pub fn newest(&self) -> Option<u32> {
        self.list.len().checked_sub(1).map(|n| n as u32)
    }

    /// How a download is named in a message: its file, and its date.
    pub fn describe(&self, rank: u32) -> String {
        match self.at(rank) {
            Some(Download {
                file,
                date: Some(d),
                ..
            }) => format!("'{file}' of {d}"),
            Some(d) => format!("'{}'", d.file),
            None => String::new(),
        }
    }

    /// A note for each pair of downloads with the same date (they are read
    /// in the order given), on the later one; and for each download whose
    /// date column holds values that are not dates.
    pub fn findings(&self) -> Vec<(u32, Finding)> {
        let unread = self.list.iter().filter_map(|d| {
            let (rows, first) = d.unread_dates.as_ref()?;
            let n = rows.len();
            let values = if n == 1 {
                "a value".to_string()
            } else {
                format!("{n} values")
            };
            let dated = match (d.date_from, d.date) {
                (DateFrom::Column, Some(date)) => {
                    format!("it is dated {date}, the latest date of the other rows")
                }
                (DateFrom::User, Some(date)) => format!("it is dated {date}, as you corrected it"),
                (DateFrom::FileName, Some(date)) => {
                    format!("it is dated {date} from its file name")
                }
                (DateFrom::FileDate, Some(date)) => {
                    format!("it is dated {date}, the file's own date")
                }
                _ => "it has no date, so it is read in the order given".to_string(),
            };
            Some((
                d.index,
                Finding::new(
                    Code::DownloadDateUnreadable,
                    format!("'{}': the date column holds {values} that cannot be read as a date (first: '{first}'), so {dated}. Its rows are all used. If that date is wrong, correct the download's date.", d.file),
                    rows.clone(),
                ),
            ))
        });
        let same = self
            .list
            .windows(2)
            .filter(|w| w[0].date.is_some() && w[0].date == w[1].date)
            .map(|w| {
                let date = w[0].date.map(|d| d.to_string()).unwrap_or_default();
                (
                    w[1].index,
                    Finding::new(
                        Code::DownloadOrder,
                        format!("'{}' and '{}' are both Claim Details of {date}, so they are read in the order given ('{}' as the newer). If one is newer, correct its date.", w[0].file, w[1].file, w[1].file),
                        Rows::new(),
                    ),
                )
            });
        unread.chain(same).collect()
    }
}

/// A date in a file name: `2026-11-30`, `2026_11_30`, `20261130` or
/// `11-30-2026` (the last one in the name wins).
///
/// ```
/// use cape_check::rules::downloads::date_in_name;
/// use cape_check::values::date::Date;
/// let d = Date::parse("2026-11-30");
/// assert_eq!(date_in_name("claims_2026-11-30.csv"), d);
/// assert_eq!(date_in_name("Claim Details 20261130.csv"), d);
/// assert_eq!(date_in_name("claims 11-30-2026 (2).csv"), d);
/// assert_eq!(date_in_name("claims.csv"), None);
/// ```
pub fn date_in_name(name: &str) -> Option<Date> {
    let b = name.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let separator = |i: usize| matches!(b.get(i), Some(b'-' | b'_' | b'.'));
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut found = None;
    for start in 0..b.len() {
        // Not in the middle of a longer number.
        if start > 0 && digit_at(start - 1) {
            continue;
        }
        let candidates = [
            // YYYY-MM-DD
            (separator(start + 4) && separator(start + 7) && !digit_at(start + 10))
                .then(|| (digits(start, 4), digits(start + 5, 2), digits(start + 8, 2))),
            // YYYYMMDD
            (!digit_at(start + 8))
                .then(|| (digits(start, 4), digits(start + 4, 2), digits(start + 6, 2))),
            // MM-DD-YYYY
            (separator(start + 2) && separator(start + 5) && !digit_at(start + 10))
                .then(|| (digits(start + 6, 4), digits(start, 2), digits(start + 3, 2))),
        ];
        for (y, m, d) in candidates.into_iter().flatten() {
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if (2000..2100).contains(&y) {
                    if let Some(date) = Date::from_ymd(y as i32, m, d) {
                        found = Some(date);
                    }
                }
            }
        }
    }
    found
}
