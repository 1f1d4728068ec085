//! Header rows: the one alias table of every column cape-check reads
//! (rules.md section 1), and what kind of file a header row says it heads.

use crate::values::text::is_removable_space;

/// A column cape-check reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Entry,
    Line,
    EntryType,
    Importer,
    ImporterName,
    EntryDate,
    SummaryDate,
    Ordinal,
    Hts,
    GoodsValue,
    Duty,
    LiquidationStatus,
    LiquidationDate,
    Reconciliation,
    ProtestNumber,
    ProtestStatus,
    ControlStatus,
    ClaimNumber,
    ClaimStatus,
    ErrorDescription,
    LiquidationReason,
    PaymentDate,
    /// An AD/CVD case number or indicator, a field users add to the ES-003.
    AdCvd,
    /// A date column of a Claim Details download (when it was made).
    ClaimDate,
    /// An ES-003's `CAPE Indicator` (`Y`, `P`, `Processed by CAPE Liq Batch`).
    CapeIndicator,
}

const FIELD_COUNT: usize = 25;

/// Header names seen in real exports, compared after [`normalize_header`]
/// (lowercase, `_` as space, spaces collapsed). The first name is the one
/// ACE uses and the one messages name.
const ALIASES: [(Field, &[&str]); FIELD_COUNT] = [
    (
        Field::Entry,
        &[
            "entry summary number",
            "entry number",
            "entry no",
            "entry no.",
            "entry summary #",
            "entry #",
        ],
    ),
    (
        Field::Line,
        &["entry summary line number", "line number", "line no"],
    ),
    (Field::EntryType, &["entry type code", "entry type"]),
    (
        Field::Importer,
        &[
            "importer number",
            "ior number",
            "importer of record number",
            "importer of record",
        ],
    ),
    (Field::ImporterName, &["importer name"]),
    (Field::EntryDate, &["entry date"]),
    (Field::SummaryDate, &["entry summary date"]),
    (Field::Ordinal, &["tariff ordinal number", "tariff ordinal"]),
    (
        Field::Hts,
        &[
            "hts number - full",
            "hts number",
            "hts",
            "tariff number",
            "hts number full",
        ],
    ),
    (
        Field::GoodsValue,
        &["line tariff goods value amount", "line goods value amount"],
    ),
    (
        Field::Duty,
        &["line tariff duty amount", "line duty amount"],
    ),
    (
        Field::LiquidationStatus,
        &["liquidation status", "liquidation status code"],
    ),
    (Field::LiquidationDate, &["liquidation date"]),
    (
        Field::Reconciliation,
        &["reconciliation indicator", "reconciliation flag"],
    ),
    (Field::ProtestNumber, &["protest number"]),
    (Field::ProtestStatus, &["protest status"]),
    (Field::ControlStatus, &["control status"]),
    (Field::ClaimNumber, &["claim number", "cape claim number"]),
    (
        Field::ClaimStatus,
        &["status", "filing status", "claim status"],
    ),
    (
        Field::ErrorDescription,
        &["error description", "error detail", "error details"],
    ),
    (
        Field::LiquidationReason,
        &["liquidation reason code", "liquidation reason"],
    ),
    (
        Field::PaymentDate,
        &[
            "payment date",
            "duty payment date",
            "statement payment date",
        ],
    ),
    (
        Field::AdCvd,
        &[
            "ad/cvd case number",
            "adcvd case number",
            "ad cvd case number",
            "add/cvd case number",
            "ad/cvd indicator",
            "adcvd indicator",
            "ad/cvd flag",
            "adcvd flag",
            "ad/cvd",
            "adcvd",
        ],
    ),
    (
        Field::ClaimDate,
        &[
            "download date",
            "report date",
            "status date",
            "claim status date",
            "last updated",
            "last update date",
            "updated date",
        ],
    ),
    (
        Field::CapeIndicator,
        &["cape indicator", "cape ind", "cape flag"],
    ),
];

/// What a header row heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An ES-003 export (Entry Summary Line Tariff Details).
    Es003,
    /// A CAPE Declaration: the one column `Entry Number`.
    Declaration,
    /// CBP's Claim Details download.
    ClaimDetails,
}

impl FileKind {
    /// `es003`, `declaration` or `claim-details`, as the report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Es003 => "es003",
            FileKind::Declaration => "declaration",
            FileKind::ClaimDetails => "claim-details",
        }
    }
}

/// Where each field is in a header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    index: [Option<usize>; FIELD_COUNT],
    /// Cells in the header row.
    pub width: usize,
    /// Non-blank cells in the header row.
    pub named: usize,
}

impl Columns {
    /// Matches the cells of a row against the alias table. The first cell
    /// that matches a field wins.
    pub fn from_header<'a>(cells: impl Iterator<Item = &'a str>) -> Columns {
        let mut columns = Columns {
            index: [None; FIELD_COUNT],
            width: 0,
            named: 0,
        };
        for (i, cell) in cells.enumerate() {
            columns.width += 1;
            let name = normalize_header(cell);
            if name.is_empty() {
                continue;
            }
            columns.named += 1;
            if let Some(slot) = ALIASES
                .iter()
                .position(|(_, names)| names.contains(&name.as_str()))
            {
                columns.index[slot].get_or_insert(i);
            }
        }
        columns
    }

    /// The cell index of a field, if the header has it.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    /// Whether the header has a field.
    pub fn has(&self, field: Field) -> bool {
        self.get(field).is_some()
    }

    /// What kind of file this row heads, or `None` if it is no header row.
    pub fn kind(&self) -> Option<FileKind> {
        if !self.has(Field::Entry) {
            return None;
        }
        // CBP's Claim Details: a claim column, and none of the tariff
        // columns every ES-003 has (the whole set decides, not one cell).
        let claim = [
            Field::ClaimNumber,
            Field::ClaimStatus,
            Field::ErrorDescription,
        ]
        .iter()
        .filter(|f| self.has(**f))
        .count();
        let tariff = self.has(Field::Hts) || self.has(Field::Duty);
        if !tariff && (self.has(Field::ClaimNumber) || claim >= 2) {
            return Some(FileKind::ClaimDetails);
        }
        // Any ES-003 field besides the entry number makes it an ES-003.
        let es003 = ALIASES.iter().filter(|(f, _)| {
            !matches!(
                f,
                Field::Entry
                    | Field::ClaimNumber
                    | Field::ClaimStatus
                    | Field::ErrorDescription
                    | Field::ClaimDate
            )
        });
        if es003.into_iter().any(|(f, _)| self.has(*f)) {
            return Some(FileKind::Es003);
        }
        Some(FileKind::Declaration)
    }

    /// How many fields of the alias table the header names.
    pub fn matched(&self) -> usize {
        self.index.iter().flatten().count()
    }
}

impl Field {
    /// The header name ACE uses, for messages.
    pub fn header_name(self) -> &'static str {
        match self {
            Field::Entry => "Entry Summary Number",
            Field::Line => "Entry Summary Line Number",
            Field::EntryType => "Entry Type Code",
            Field::Importer => "Importer Number",
            Field::ImporterName => "Importer Name",
            Field::EntryDate => "Entry Date",
            Field::SummaryDate => "Entry Summary Date",
            Field::Ordinal => "Tariff Ordinal Number",
            Field::Hts => "HTS Number - Full",
            Field::GoodsValue => "Line Tariff Goods Value Amount",
            Field::Duty => "Line Tariff Duty Amount",
            Field::LiquidationStatus => "Liquidation Status",
            Field::LiquidationDate => "Liquidation Date",
            Field::Reconciliation => "Reconciliation Indicator",
            Field::ProtestNumber => "Protest Number",
            Field::ProtestStatus => "Protest Status",
            Field::ControlStatus => "Control Status",
            Field::ClaimNumber => "CLAIM_NUMBER",
            Field::ClaimStatus => "STATUS",
            Field::ErrorDescription => "ERROR_DESCRIPTION",
            Field::LiquidationReason => "Liquidation Reason Code",
            Field::PaymentDate => "Payment Date",
            Field::AdCvd => "AD/CVD Case Number",
            Field::ClaimDate => "Download Date",
            Field::CapeIndicator => "CAPE Indicator",
        }
    }
}

/// Whether a cell names the entry-number column (a header row repeated
/// inside the data, as concatenated exports have).
pub fn names_entry_column(cell: &str) -> bool {
    // Every alias starts with "entry" and has a space (or `_`): entry
    // numbers almost never do, so most rows are decided without allocating.
    let t = cell.trim_start();
    t.len() >= 8
        && t.as_bytes()[..5].eq_ignore_ascii_case(b"entry")
        && t.bytes().any(|b| b == b' ' || b == b'_')
        && ALIASES[Field::Entry as usize]
            .1
            .contains(&normalize_header(cell).as_str())
}

/// Lowercase, `_` read as a space, invisible characters dropped, spaces
/// collapsed, a trailing colon dropped.
pub fn normalize_header(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut space = false;
    for c in cell.chars() {
        let c = if c == '_' { ' ' } else { c };
        if is_removable_space(c) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    if out.ends_with(':') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_match_case_and_space_insensitively() {
        let c = Columns::from_header(
            [
                "\u{FEFF}Entry Summary Number",
                " entry type ",
                "HTS  Number - Full",
                "Line Goods Value Amount",
                "LINE TARIFF DUTY AMOUNT",
            ]
            .into_iter(),
        );
        assert_eq!(c.get(Field::Entry), Some(0));
        assert_eq!(c.get(Field::EntryType), Some(1));
        assert_eq!(c.get(Field::Hts), Some(2));
        assert_eq!(c.get(Field::GoodsValue), Some(3));
        assert_eq!(c.get(Field::Duty), Some(4));
        assert_eq!(c.kind(), Some(FileKind::Es003));
    }

    #[test]
    fn kinds_from_headers() {
        assert_eq!(
            Columns::from_header(["Entry Number"].into_iter()).kind(),
            Some(FileKind::Declaration)
        );
        assert_eq!(
            Columns::from_header(["Entry Number", ""].into_iter()).kind(),
            Some(FileKind::Declaration)
        );
        assert_eq!(
            Columns::from_header(
                [
                    "ENTRY_NUMBER",
                    "CLAIM_NUMBER",
                    "STATUS",
                    "ERROR_DESCRIPTION"
                ]
                .into_iter()
            )
            .kind(),
            Some(FileKind::ClaimDetails)
        );
        assert_eq!(
            Columns::from_header(["Report", "Date"].into_iter()).kind(),
            None
        );
        assert_eq!(
            Columns::from_header(["Entryway", "HTS"].into_iter()).kind(),
            None
        );
    }
}
