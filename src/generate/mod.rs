//! Realistic synthetic ES-003 exports with a known mix of every finding an
//! ES-003 can produce, deterministic for a seed. Tests check the audit
//! against what was planted; benchmarks use large outputs.

pub mod shapes;

use crate::finding::{Code, Verdict};
use crate::values::date::Date;
use crate::values::entry_number::check_digit;
use crate::values::money::Cents;
use std::io::{self, Write};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GeneratorSettings {
    pub entries: usize,
    pub seed: u64,
    /// Average entry summary lines per entry (each has 2 or 3 tariff rows).
    pub lines_per_entry: u32,
}

impl Default for GeneratorSettings {
    fn default() -> GeneratorSettings {
        GeneratorSettings {
            entries: 100,
            seed: 1,
            lines_per_entry: 3,
        }
    }
}

/// One generated entry and what the audit must say of it, for the importer
/// account [`ACCOUNT`] and the filing date [`AS_OF`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    /// The entry as the report names it.
    pub entry: String,
    pub verdict: Verdict,
    /// The finding planted, if any.
    pub code: Option<Code>,
}

/// The importer account the generated files are meant for.
pub const ACCOUNT: &str = "98-765432100";
/// The filing date the generated files are meant for.
pub const AS_OF: &str = "2026-11-22";

/// The ES-003 header the generator writes: the default layout plus the
/// liquidation, reconciliation, protest and control fields.
pub const HEADER: &str = "Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,Importer Name,Filer Code,Port of Entry Code,Entry Date,Entry Summary Date,Country of Origin Code,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,Line Tariff Duty Amount,Line Tariff Quantity (1),Line Tariff UOM (1) Code,Reconciliation Indicator,Liquidation Status,Liquidation Date,Protest Number,Protest Status,Control Status\r\n";

/// The kinds of entry planted, with their verdict. Clean entries are the
/// rest (about 60%).
const PLANTS: [(Option<Code>, Verdict); 24] = [
    (Some(Code::EntryTypeExcluded), Verdict::Blocked),
    (Some(Code::NoIeepaLine), Verdict::Blocked),
    (Some(Code::Section122Only), Verdict::Blocked),
    (Some(Code::IeepaDutyZero), Verdict::Blocked),
    (Some(Code::LiquidatedOutsideWindow), Verdict::Blocked),
    (Some(Code::WindowClosing), Verdict::Ready),
    (Some(Code::LiquidationDeferred), Verdict::Ready),
    (Some(Code::ReconciliationFlagged), Verdict::Review),
    (Some(Code::ImporterMismatch), Verdict::Blocked),
    (Some(Code::CheckDigitInvalid), Verdict::Blocked),
    (Some(Code::EntryNumberScientific), Verdict::Blocked),
    (Some(Code::EntryNumberMalformed), Verdict::Blocked),
    (Some(Code::LeadingZerosRestored), Verdict::Ready),
    (Some(Code::EntryNumberCleaned), Verdict::Ready),
    (Some(Code::HtsOutOfSequence), Verdict::Review),
    (Some(Code::OutsideIeepaPeriod), Verdict::Review),
    (Some(Code::GoodsValueOnIeepaLine), Verdict::Ready),
    (Some(Code::Section122Present), Verdict::Ready),
    (Some(Code::DuplicateRows), Verdict::Ready),
    (Some(Code::ConflictingEntryData), Verdict::Review),
    (Some(Code::ProtestOnEntry), Verdict::Blocked),
    (Some(Code::TradeControl), Verdict::Blocked),
    (Some(Code::LiquidationUnknown), Verdict::Review),
    (Some(Code::LiquidationUnchecked), Verdict::Ready),
];

/// A small deterministic generator (splitmix64): the same seed gives the
/// same file (and the same fuzzing, in the tests).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// The same for a length or an index.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
}

struct Row {
    hts: String,
    goods: Cents,
    duty: Cents,
}

/// Writes a generated ES-003 to `out`; returns what was planted, entry by
/// entry, in order of appearance.
pub fn generate<W: Write>(settings: &GeneratorSettings, out: &mut W) -> io::Result<Vec<Planted>> {
    let mut rng = Rng(settings.seed ^ 0x5EED);
    let mut planted = Vec::with_capacity(settings.entries.min(1 << 20));
    out.write_all(HEADER.as_bytes())?;
    let mut line_buf = String::with_capacity(4096);
    for i in 0..settings.entries {
        let (code, verdict) = if rng.below(100) < 60 {
            (None, Verdict::Ready)
        } else {
            PLANTS[rng.below(PLANTS.len() as u64) as usize]
        };
        let number = Numbers::new(settings.seed, i, code, &mut rng);
        planted.push(Planted {
            entry: number.key.clone(),
            verdict,
            code,
        });
        let facts = Facts::new(code, i, &mut rng);
        let rows = tariff_rows(code, settings.lines_per_entry, &mut rng);
        write_entry(out, &mut line_buf, &number, &facts, &rows, code)?;
    }
    Ok(planted)
}

/// An entry's number: valid, as written, and as the report names it.
struct Numbers {
    valid: String,
    written: String,
    key: String,
}

impl Numbers {
    fn new(seed: u64, i: usize, code: Option<Code>, rng: &mut Rng) -> Numbers {
        let numeric_filer = code == Some(Code::LeadingZerosRestored) || rng.below(4) == 0;
        let mut number = *b"XQ700000000";
        if numeric_filer {
            number[..3].copy_from_slice(b"016");
        }
        let transaction = format!(
            "{:07}",
            seed.wrapping_mul(7_919).wrapping_add(i as u64) % 10_000_000
        );
        number[3..10].copy_from_slice(transaction.as_bytes());
        number[10] = b'0' + check_digit(&number).unwrap_or(0);
        let valid = String::from_utf8_lossy(&number).into_owned();
        let (written, key) = match code {
            Some(Code::CheckDigitInvalid) => {
                let mut bad = number;
                bad[10] = b'0' + (bad[10] - b'0' + 1) % 10;
                let s = String::from_utf8_lossy(&bad).into_owned();
                (s.clone(), s)
            }
            Some(Code::EntryNumberScientific) => {
                let s = format!("1.6{:07}E+10", i % 10_000_000);
                (s.clone(), s)
            }
            Some(Code::EntryNumberMalformed) => {
                let s = format!("{}#{}", &valid[..3], &valid[4..]);
                (s.clone(), s)
            }
            Some(Code::LeadingZerosRestored) => {
                (valid.trim_start_matches('0').to_string(), valid.clone())
            }
            Some(Code::EntryNumberCleaned) => (
                format!("{}-{}-{}", &valid[..3], &valid[3..10], &valid[10..]),
                valid.clone(),
            ),
            _ => (valid.clone(), valid.clone()),
        };
        Numbers {
            valid,
            written,
            key,
        }
    }
}

/// The entry-level cells of an entry's rows.
struct Facts {
    entry_type: &'static str,
    importer: &'static str,
    entry_date: Date,
    summary: Date,
    status: &'static str,
    liquidation: Option<Date>,
    recon: &'static str,
    protest_number: String,
    protest_status: &'static str,
    control: &'static str,
}

impl Facts {
    fn new(code: Option<Code>, i: usize, rng: &mut Rng) -> Facts {
        let base = Date::parse("2025-11-01").unwrap_or_else(|| unreachable!());
        let entry_type = match code {
            Some(Code::EntryTypeExcluded) => ["23", "08", "09", "47"][rng.below(4) as usize],
            _ => "01",
        };
        let importer = if code == Some(Code::ImporterMismatch) {
            "98-765432101"
        } else {
            ACCOUNT
        };
        let summary = match code {
            Some(Code::OutsideIeepaPeriod) => Date::parse("2026-03-10").unwrap_or(base),
            Some(Code::LiquidationUnknown) => base,
            _ => base.add_days(rng.below(100) as i32),
        };
        let (status, liquidation) = liquidation(code, rng);
        let flagged = |planted: Code, yes, no| if code == Some(planted) { yes } else { no };
        let (protest_number, protest_status) = if code == Some(Code::ProtestOnEntry) {
            (format!("2704{:08}", i % 100_000_000), "Open")
        } else {
            (String::new(), "")
        };
        Facts {
            entry_type,
            importer,
            entry_date: summary.add_days(-10),
            summary,
            status,
            liquidation,
            recon: flagged(Code::ReconciliationFlagged, "Y", "N"),
            protest_number,
            protest_status,
            control: flagged(Code::TradeControl, "Trade Control", "CBP Control"),
        }
    }
}

/// The liquidation status and date planted.
fn liquidation(code: Option<Code>, rng: &mut Rng) -> (&'static str, Option<Date>) {
    let as_of = Date::parse(AS_OF).unwrap_or_else(|| unreachable!());
    match code {
        Some(Code::LiquidatedOutsideWindow) => (
            "Liquidated",
            Some(as_of.add_days(-81 - rng.below(60) as i32)),
        ),
        Some(Code::WindowClosing) => (
            "Liquidated",
            Some(as_of.add_days(-73 - rng.below(8) as i32)),
        ),
        Some(Code::LiquidationDeferred) => (
            ["Extended", "Suspended", "Under Review"][rng.below(3) as usize],
            None,
        ),
        Some(Code::LiquidationUnknown) => ("Liquidated", None),
        Some(Code::LiquidationUnchecked) => ("", None),
        _ => match rng.below(3) {
            0 => ("Liquidated", Some(as_of.add_days(-(rng.below(70) as i32)))),
            1 => ("Pending", Some(as_of.add_days(20 + rng.below(60) as i32))),
            _ => ("Unliquidated", None),
        },
    }
}

/// The tariff rows of an entry: (line, ordinal, row).
fn tariff_rows(code: Option<Code>, lines_per_entry: u32, rng: &mut Rng) -> Vec<(u32, u32, Row)> {
    let lines = 1 + rng.below(u64::from(lines_per_entry.max(1)) * 2 - 1) as u32;
    let mut all_rows: Vec<(u32, u32, Row)> = Vec::new();
    for line in 1..=lines {
        let rows = line_rows(code, line == 1, rng);
        for (ordinal, row) in rows.into_iter().enumerate() {
            all_rows.push((line, ordinal as u32 + 1, row));
        }
    }
    all_rows
}

/// One entry summary line: one or two Chapter 99 rows and the commodity.
fn line_rows(code: Option<Code>, first_line: bool, rng: &mut Rng) -> Vec<Row> {
    let mut rows = Vec::new();
    let value = Cents((1_000 + rng.below(20_000) as i64) * 100);
    let chapter_99 = |rng: &mut Rng, first: bool| -> Row {
        let duty = Cents(value.0 / 10 + rng.below(100) as i64);
        let hts = match code {
            Some(Code::NoIeepaLine) => "99038815".to_string(),
            Some(Code::Section122Only) => "99030301".to_string(),
            Some(Code::Section122Present) if !first => "99030301".to_string(),
            _ => ["99030124", "99030125", "99030269", "99030184", "99030228"]
                [rng.below(5) as usize]
                .to_string(),
        };
        let duty = if code == Some(Code::IeepaDutyZero) {
            Cents(0)
        } else {
            duty
        };
        let goods = if code == Some(Code::GoodsValueOnIeepaLine) && first {
            value
        } else {
            Cents(0)
        };
        Row { hts, goods, duty }
    };
    rows.push(chapter_99(rng, true));
    if first_line && code == Some(Code::Section122Present) {
        rows.push(chapter_99(rng, false));
    } else if rng.below(3) == 0 {
        let mut second = chapter_99(rng, true);
        second.goods = Cents(0);
        rows.push(second);
    }
    let commodity = Row {
        hts: format!("{:02}{:08}", 1 + rng.below(96), rng.below(100_000_000)),
        goods: value,
        duty: Cents(value.0 * (rng.below(8) as i64) / 100),
    };
    if first_line && code == Some(Code::HtsOutOfSequence) {
        rows.insert(0, commodity);
    } else {
        rows.push(commodity);
    }
    rows
}

/// Writes an entry's rows (twice for a planted repeat).
fn write_entry<W: Write>(
    out: &mut W,
    line_buf: &mut String,
    number: &Numbers,
    facts: &Facts,
    rows: &[(u32, u32, Row)],
    code: Option<Code>,
) -> io::Result<()> {
    use std::fmt::Write as _;
    let repeats = if code == Some(Code::DuplicateRows) {
        2
    } else {
        1
    };
    let f = facts;
    for pass in 0..repeats {
        for (n, (line, ordinal, row)) in rows.iter().enumerate() {
            // Every entry has at least two rows: a Chapter 99 and a commodity row.
            let this_type =
                if code == Some(Code::ConflictingEntryData) && n == rows.len() - 1 && pass == 0 {
                    "11"
                } else {
                    f.entry_type
                };
            line_buf.clear();
            let _ = write!(
                line_buf,
                "{written},{this_type},{line},{importer},SYNTHETIC TEST IMPORTER LLC,{filer},2704,{entry_date},{summary},CN,{ordinal},{hts},{goods},{duty},{qty},NO,{recon},{status},{liquidation},{protest_number},{protest_status},{control}\r\n",
                written = number.written,
                importer = f.importer,
                filer = &number.valid[..3],
                entry_date = f.entry_date,
                summary = f.summary,
                hts = row.hts,
                goods = money(row.goods),
                duty = money(row.duty),
                qty = if row.goods.0 > 0 { (row.goods.0 / 1000).to_string() } else { String::new() },
                recon = f.recon,
                status = f.status,
                liquidation = f.liquidation.map(|d| d.to_string()).unwrap_or_default(),
                protest_number = f.protest_number,
                protest_status = f.protest_status,
                control = f.control,
            );
            out.write_all(line_buf.as_bytes())?;
        }
    }
    Ok(())
}

/// `"$1,234.56"`, quoted as ACE writes amounts with a thousands separator.
fn money(c: Cents) -> String {
    let d = c.dollars();
    if d.contains(',') {
        format!("\"{d}\"")
    } else {
        d
    }
}
