#!/usr/bin/env python3
"""Writes the XLSX fixtures in tests/data/xlsx/ with openpyxl (committed; run
again to re-create them: pip install openpyxl). Each holds the same data as
a CSV sample, the way Excel and ACE store it: numeric entry numbers and
entry types, date cells, currency-formatted numbers, a Parameters sheet
before or after Main Report."""
import csv, datetime, io, pathlib, zipfile
from openpyxl import Workbook

here = pathlib.Path(__file__).parent
out = here / "xlsx"
out.mkdir(exist_ok=True)

MONEY = {"Line Tariff Goods Value Amount", "Line Goods Value Amount", "Line Tariff Duty Amount"}
DATES = {"Entry Date", "Entry Summary Date", "Liquidation Date"}
NUMBERS = {"Entry Summary Number", "Entry Type Code", "Entry Summary Line Number", "Tariff Ordinal Number",
           "HTS Number - Full", "Port of Entry Code", "Line Tariff Quantity (1)"}

def typed(header, value):
    if value == "":
        return None
    if header in MONEY:
        return float(value.replace("$", "").replace(",", ""))
    if header in DATES:
        return datetime.datetime.strptime(value, "%m/%d/%Y")
    if header in NUMBERS and value.isdigit():
        return int(value)
    return value

def sheet_rows(csv_name):
    text = (here / "samples" / csv_name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]

def data_sheet(ws, csv_name):
    header, rows = sheet_rows(csv_name)
    ws.append(header)
    for row in rows:
        ws.append([typed(h, v) for h, v in zip(header, row)])
    for col, h in enumerate(header, start=1):
        for cell in ws.iter_cols(min_col=col, max_col=col, min_row=2):
            for c in cell:
                if h in MONEY:
                    c.number_format = '"$"#,##0.00'
                elif h in DATES:
                    c.number_format = "mm/dd/yyyy"

def parameters(ws):
    ws.append(["ES-003 Entry Summary Line Tariff Details"])
    ws.append(["Report Parameters", "Entry Summary Date 02/04/2025 - 02/23/2026"])
    ws.append(["Run Date", datetime.datetime(2026, 11, 20)])

def convert(csv_path, xlsx_path):
    """A large CSV export as a Main Report sheet, for the benchmark."""
    from openpyxl import Workbook as WriteOnly
    wb = WriteOnly(write_only=True)
    ws = wb.create_sheet("Main Report")
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        ws.append(header)
        for row in rows:
            ws.append([typed(h, v) for h, v in zip(header, row)])
    wb.save(xlsx_path)

import sys
if len(sys.argv) == 4 and sys.argv[1] == "--convert":
    convert(sys.argv[2], sys.argv[3])
    sys.exit(0)

# Parameters before Main Report.
wb = Workbook()
parameters(wb.active)
wb.active.title = "Parameters"
data_sheet(wb.create_sheet("Main Report"), "es003_importer_standard.csv")
wb.save(out / "es003_importer_standard.xlsx")

# Main Report first, Parameters after; numeric entry numbers (lost zeros).
wb = Workbook()
wb.active.title = "Main Report"
data_sheet(wb.active, "es003_broker_excel_resaved.csv")
parameters(wb.create_sheet("Parameters"))
wb.save(out / "es003_broker_excel_resaved.xlsx")

# No sheet named Main Report: the first sheet with an entry header is used.
wb = Workbook()
wb.active.title = "Notes"
wb.active.append(["Exported for the CAPE filing of November"])
data_sheet(wb.create_sheet("Sheet2"), "es003_importer_standard.csv")
wb.save(out / "renamed_sheet.xlsx")

# A stray cell in the last cell of the sheet (XFD1048576): a reader that
# expands the sheet into a rectangle would need 17 billion cells.
wb = Workbook()
wb.active.title = "Main Report"
data_sheet(wb.active, "es003_importer_standard.csv")
wb.active["XFD1048576"] = "x"
wb.save(out / "far_cell.xlsx")

# A workbook of another kind.
wb = Workbook()
wb.active.append(["Part Number", "Description", "Unit Price"])
wb.active.append(["A-100", "Widget", 4.5])
wb.save(out / "parts_list.xlsx")

# A damaged workbook: a real one cut short.
whole = (out / "es003_importer_standard.xlsx").read_bytes()
(out / "damaged.xlsx").write_bytes(whole[: len(whole) // 3])
print("wrote", sorted(p.name for p in out.iterdir()))
