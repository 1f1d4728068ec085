#!/usr/bin/env python3
"""Writes tests/data/excel_pairs/: each ES-003 CSV of the project (copied
as NAME.csv) beside the same export as Excel saves it (NAME.xlsx), and as a CSV writer that leaves out the
delimiters of blank last cells writes it (NAME.no_trailing_delimiters.csv).
The audit of every file of a pair
must give the same entries (tests/excel_pairs.rs, and the page in
tests/browser/excel_pairs.test.mjs).

The workbooks are written here with Python's zipfile, XML as Excel writes
it, not with the reader's library: Excel stores no empty cell (a blank last
cell is simply not there), keeps text in the shared-strings table, stores
dates as serial numbers with a date style and money as numbers with a
currency style, and writes a <dimension> element (the odd-numbered
workbooks here have none, as some other writers do). Title rows above the
header stay in the sheet; a blank row is not stored at all.

Run again to re-create them (no package needed): python3 make_excel_pairs.py
"""
import csv
import datetime
import io
import pathlib
import re
import zipfile
from xml.sax.saxutils import escape

here = pathlib.Path(__file__).parent
out = here / "excel_pairs"

# (source CSV, the pair's name). The generated export is
# `cape-check generate --entries 60 --seed 27` (every finding's shape).
SOURCES = [
    ("samples/es003_importer_standard.csv", "importer_standard"),
    ("samples/es003_broker_excel_resaved.csv", "broker_excel_resaved"),
    ("samples/es003_default_no_liquidation_with_preamble.csv", "preamble"),
    ("real_shapes/es003_ace_wrapped.csv", "ace_wrapped"),
    ("excel_pairs/generated_60_entries.csv", "generated_60_entries"),
]

MONEY = re.compile(r"^\$?-?[\d,]+\.\d\d$")
DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Columns whose all-digit cells Excel turns into numbers when it opens a CSV
# (the broker's re-saved export lost its leading zeros this way).
NUMERIC_COLUMNS = {
    "Entry Summary Line Number",
    "Tariff Ordinal Number",
    "Port of Entry Code",
    "Line Tariff Quantity (1)",
}
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def unwrap(value):
    """ACE's ="..." text formula: the text a workbook cell would hold."""
    if value.startswith('="') and value.endswith('"'):
        return value[2:-1]
    return value


def column_letters(n):
    letters = ""
    while n:
        n, digit = divmod(n - 1, 26)
        letters = chr(65 + digit) + letters
    return letters


class Strings:
    """The shared-strings table, in order of first use (as Excel keeps it)."""

    def __init__(self):
        self.index = {}
        self.count = 0

    def add(self, text):
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self):
        items = "".join(
            f'<si><t xml:space="preserve">{escape(t)}</t></si>'
            if t != t.strip()
            else f"<si><t>{escape(t)}</t></si>"
            for t in self.index
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


def cell(ref, header, value, strings, numeric_entries):
    """One stored cell, or None for a blank one (never stored)."""
    value = unwrap(value)
    if value == "":
        return None
    date = DATE.match(value)
    if date:
        m, d, y = (int(g) for g in date.groups())
        serial = (datetime.date(y, m, d) - EXCEL_EPOCH).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if MONEY.match(value) and ("Amount" in header or "Value" in header):
        number = value.replace("$", "").replace(",", "")
        number = number.rstrip("0").rstrip(".") if "." in number else number
        return f'<c r="{ref}" s="2"><v>{number}</v></c>'
    if value.isdigit() and (
        header in NUMERIC_COLUMNS
        or (numeric_entries and header in ("Entry Summary Number", "Entry Type Code"))
    ):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    return f'<c r="{ref}" t="s"><v>{strings.add(value)}</v></c>'


def sheet_xml(rows, strings, with_dimension, numeric_entries, notes=None):
    header_at = next(
        i for i, r in enumerate(rows) if r and r[0].strip() in ("Entry Summary Number",)
    )
    header = rows[header_at]
    xml_rows = []
    last_col = 0
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            name = header[c - 1] if r - 1 > header_at and c - 1 < len(header) else ""
            stored = cell(f"{column_letters(c)}{r}", name, value, strings, numeric_entries)
            if stored:
                cells.append(stored)
                last_col = max(last_col, c)
        if notes and r in notes:
            # A note typed beside the report, two columns past its last one.
            c = len(header) + 2
            cells.append(f'<c r="{column_letters(c)}{r}" t="s"><v>{strings.add(notes[r])}</v></c>')
            last_col = max(last_col, c)
        if cells:
            first = re.search(r'r="([A-Z]+)', cells[0]).group(1)
            last = re.search(r'r="([A-Z]+)', cells[-1]).group(1)
            spans = f"{col_number(first)}:{col_number(last)}"
            xml_rows.append(f'<row r="{r}" spans="{spans}">{"".join(cells)}</row>')
    dimension = (
        f'<dimension ref="A1:{column_letters(last_col)}{len(rows)}"/>' if with_dimension else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{dimension}"
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f'<sheetData>{"".join(xml_rows)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def col_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;$&quot;#,##0.00"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
    '<scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)

WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def workbook_xml(sheet):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def write_workbook(path, rows, with_dimension, numeric_entries, notes=None):
    strings = Strings()
    sheet = sheet_xml(rows, strings, with_dimension, numeric_entries, notes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        # Fixed timestamps: the same bytes on every run.
        def put(name, text):
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 7, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)

        put("[Content_Types].xml", CONTENT_TYPES)
        put("_rels/.rels", ROOT_RELS)
        put("xl/workbook.xml", workbook_xml("Main Report"))
        put("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        put("xl/worksheets/sheet1.xml", sheet)
        put("xl/styles.xml", STYLES)
        put("xl/sharedStrings.xml", strings.xml())


def without_trailing_delimiters(text):
    """Every line below the header with the delimiters of its blank last
    cells left out, as some CSV writers save a row."""
    lines = text.splitlines(keepends=True)
    header_at = next(i for i, l in enumerate(lines) if l.startswith("Entry Summary Number"))
    out = lines[: header_at + 1]
    for line in lines[header_at + 1 :]:
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        out.append(body.rstrip(",") + end)
    return "".join(out)


def main():
    out.mkdir(exist_ok=True)
    for i, (source, name) in enumerate(SOURCES):
        text = (here / source).read_text(encoding="utf-8")
        if source != f"excel_pairs/{name}.csv":
            (out / f"{name}.csv").write_bytes((here / source).read_bytes())
        rows = list(csv.reader(io.StringIO(text, newline="")))
        numeric_entries = name == "broker_excel_resaved"
        write_workbook(out / f"{name}.xlsx", rows, i % 2 == 0, numeric_entries)
        trimmed = without_trailing_delimiters(text)
        if trimmed != text:  # (the preamble sample has no blank last cell)
            (out / f"{name}.no_trailing_delimiters.csv").write_bytes(trimmed.encode("utf-8"))


    # Not a pair: the standard sample with a note typed beside row 5 (a row
    # wider than its header, reported as not used, in a workbook's words).
    text = (here / SOURCES[0][0]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    write_workbook(
        here / "xlsx" / "note_beside_the_report.xlsx", rows, True, False, {5: "checked by JD"}
    )


if __name__ == "__main__":
    main()
