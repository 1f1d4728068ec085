#!/usr/bin/env python3
"""Writes fixtures shaped like real ACE downloads (committed; run again to
re-create them; the XLSX needs `pip install openpyxl`):

- ACE writes numbers as Excel text formulas, ="60576069342", in every kind
  of download, so that Excel keeps their leading zeros (rules.md 7);
- Claim Details with the real STATUS words, "Entry Summary Updated"
  (accepted) and "Failed", under both header sets seen in the wild;
- an ES-003 with its Claim Details, a declaration, and an XLSX whose text
  cells hold the same formulas.

Entry numbers verify with the CATAIR check digit (rules.md 2); filer 605's
numbers have the shape of real ones seen in a public claim tracker's
tests, but are made up here."""
import pathlib
import sys

here = pathlib.Path(__file__).parent / "real_shapes"


def check_digit(ten: str) -> str:
    total = 0
    for i, c in enumerate(ten):
        if c.isdigit():
            v = int(c)
        elif "A" <= c <= "I":
            v = ord(c) - ord("A") + 1
        elif "J" <= c <= "R":
            v = ord(c) - ord("J") + 1
        else:
            v = ord(c) - ord("S") + 2
        if i % 2 == 1:
            d = v * 2
            v = d // 10 + d % 10
        total += v
    return str((10 - total % 10) % 10)


def number(filer: str, transaction: int) -> str:
    ten = f"{filer}{transaction:07d}"
    return ten + check_digit(ten)


def wrap(text: str) -> str:
    return f'="{text}"'


ENTRIES = [number("605", 1100017), number("605", 1100025), number("605", 1100033), number("XQ7", 1004217)]
IOR = "98-765432100"
HEADER = ["Entry Summary Number", "Entry Type Code", "Entry Summary Line Number", "Importer Number",
          "Importer Name", "Filer Code", "Entry Date", "Entry Summary Date", "Tariff Ordinal Number",
          "HTS Number - Full", "Line Tariff Goods Value Amount", "Line Tariff Duty Amount",
          "Liquidation Status", "Liquidation Date"]


def es003_rows():
    a, b, c, d = ENTRIES
    rows = []
    def row(entry, line, ordinal, hts, goods, duty, status="Unliquidated", liquidated="", entry_type="01"):
        rows.append([wrap(entry), wrap(entry_type), line, wrap(IOR), "SYNTHETIC TEST IMPORTER LLC", wrap(entry[:3]),
                     "01/20/2026", "01/30/2026", ordinal, wrap(hts), goods, duty, status, liquidated])
    # a: ready, every number wrapped.
    row(a, "1", "1", "99030269", "$0.00", "$1,500.00")
    row(a, "1", "2", "6307909870", "$10,000.00", "$700.00")
    # b: accepted in the Claim Details beside it: never written again.
    row(b, "1", "1", "99030125", "$0.00", "$800.00")
    row(b, "1", "2", "8471300100", "$5,000.00", "$0.00")
    # c: the same tariff row written undotted and dotted (two overlapping
    # exports): one row, its duty counted once.
    row(c, "1", "1", "99030124", "$0.00", "$300.00")
    row(c, "1", "1", "9903.01.24", "$0.00", "$300.00")
    row(c, "1", "2", "6307909870", "$2,000.00", "$0.00")
    # d: rows that disagree on the liquidation date: judged on the worst.
    row(d, "1", "1", "99030269", "$0.00", "$400.00", "Liquidated", "10/01/2026")
    row(d, "1", "2", "6307909870", "$2,000.00", "$0.00", "Liquidated", "07/01/2026")
    return rows


def csv_line(cells):
    out = []
    for cell in cells:
        # ACE quotes cells with commas; formula cells are written bare.
        out.append(f'"{cell}"' if "," in cell else cell)
    return ",".join(out)


def write_csv(name, header, rows):
    text = "".join(csv_line(r) + "\r\n" for r in [header] + rows)
    (here / name).write_bytes(text.encode("utf-8"))


def main():
    here.mkdir(exist_ok=True)
    a, b, c, d = ENTRIES
    write_csv("es003_ace_wrapped.csv", HEADER, es003_rows())
    write_csv("claim_details_ace.csv", ["ENTRY_NUMBER", "CLAIM_NUMBER", "STATUS", "ERROR_DESCRIPTION"], [
        [wrap(b), wrap("100000241223"), "Entry Summary Updated", ""],
        [wrap(a), wrap("100000241223"), "Failed", "STATEMENT PROCESSING NOT COMPLETE"],
    ])
    write_csv("claim_details_other_headers.csv",
              ["Entry Summary Number", "Cape Claim Number", "Filing Status", "Error Detail"], [
        [wrap(b), wrap("100000241224"), "Entry Summary Updated", ""],
        [wrap(c), wrap("100000241224"), "Failed", "HTS RELATIONSHIP MISMATCH"],
    ])
    write_csv("declaration_wrapped.csv", ["Entry Number"], [[wrap(a)], [wrap(c)]])
    try:
        from openpyxl import Workbook
    except ImportError:
        print("openpyxl missing: the XLSX was not written", file=sys.stderr)
        return
    wb = Workbook()
    ws = wb.active
    ws.title = "Main Report"
    ws.append(HEADER)
    for r, cells in enumerate(es003_rows(), start=2):
        for col, value in enumerate(cells, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            # A text cell holding the formula's text, as in the download
            # (openpyxl would otherwise store a formula).
            cell.data_type = "s"
    wb.save(here / "es003_ace_wrapped.xlsx")
    print("wrote", ", ".join(p.name for p in sorted(here.iterdir())))


main()
