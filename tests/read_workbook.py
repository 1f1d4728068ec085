#!/usr/bin/env python3
"""Reads an .xlsx with openpyxl (an independent reader: not the Rust code that
wrote it) and prints its sheets as JSON: {sheet: [[cell, ...], ...]}, each
cell as {"t": "s" | "n" | "d" | "f", "v": value} (text, number, date as
YYYY-MM-DD, formula) or null when empty; with each sheet's frozen cell and
filter range. Used by tests/browser/records.test.mjs.

Usage: .venv-tests/bin/python tests/read_workbook.py FILE.xlsx
"""
import datetime
import json
import sys

import openpyxl


def cell(value, data_type):
    if value is None:
        return None
    if data_type == "f" or (isinstance(value, str) and data_type == "f"):
        return {"t": "f", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {"t": "d", "v": value.date().isoformat()}
    if isinstance(value, (int, float)):
        return {"t": "n", "v": value}
    return {"t": "s", "v": str(value)}


def main(path):
    book = openpyxl.load_workbook(path)
    out = {}
    for sheet in book.worksheets:
        rows = [[cell(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
        out[sheet.title] = {
            "rows": rows,
            "frozen": sheet.freeze_panes,
            "filter": sheet.auto_filter.ref,
            "formats": sorted({c.number_format for row in sheet.iter_rows() for c in row if c.value is not None and not isinstance(c.value, str)}),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
