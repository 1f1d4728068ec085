#!/usr/bin/env python3
"""Writes tests/data/downloads/: three Claim Details downloads of one
importer's claims, as a broker's download folder holds them after three
days of checking (run again to re-create them; no package needed).

- 'Claim Details 2026-11-28.csv': ACE's header set, every number wrapped
  ="..." as ACE writes them, one row repeated (dated by its file name);
- 'claims_20261130.csv': the other header set seen in the wild, values not
  wrapped, a row of the first download repeated (dated by its file name);
- 'claims.csv': ACE's header set with a 'Download Date' column (dated by it).

The ES-003 they go with is tests/data/samples/es003_importer_standard.csv;
filing date 2026-12-03. What each entry shows (rules.md section 9):
  XQ710042173  failed STATEMENT PROCESSING NOT COMPLETE in all three: unchanged, re-file now
  XQ710043916  failed GOODS VALUE, then Entry Summary Updated: corrected
  XQ710044021  Entry Summary Updated, then failed ACCOUNT MISMATCH: a conflict, never re-filed
  XQ710046018  failed INVALID HTS twice: re-filed only once the user confirms the fix
  XQ710044773  failed UNABLE TO CALCULATE DUTY in the newest only: a new reject
  XQ710030186  failed GOODS VALUE, then FINAL LIQUIDATION: a new reject (blocked anyway)

It also writes 'es003_after_filing.csv': the same importer's ES-003
exported after filing, with a CAPE Indicator column, where
  XQ710042173  its IEEPA line is gone: applied
  XQ710043916  CAPE Indicator P: pending
  XQ710046018  CAPE Indicator 'Processed by CAPE Liq Batch': applied
  XQ710044021  unchanged, no sign: pending with the Claim Details (accepted
               on 11/28), not filed without them
  XQ710044773  unchanged, no sign: not filed
and the other entries are not in it: unknown.

And tests/data/downloads_damaged/: two downloads whose 'Download Date'
column Excel saved as it displayed it, '########' (a column too narrow
for its dates): 'Claim Details 12-05-2026.csv' has no readable date in it
(dated by its file name); 'claims_export.csv' has one (12/04/2026).
"""
import csv
import io
import pathlib

out = pathlib.Path(__file__).parent / "downloads"
out.mkdir(exist_ok=True)
ACE = "ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION"
OTHER = "Entry Summary Number,Cape Claim Number,Filing Status,Error Detail"


def wrapped(row):
    entry, claim, status, message = row
    return f'="{entry}",="{claim}",{status},{message}'


def write(name, lines):
    (out / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))


first = [
    ("XQ710042173", "100000300001", "Failed", "STATEMENT PROCESSING NOT COMPLETE"),
    ("XQ710043916", "100000300001", "Failed", "GOODS VALUE REPORTED ON IEEPA HTS LINE"),
    ("XQ710044021", "100000300001", "Entry Summary Updated", ""),
]
write("Claim Details 2026-11-28.csv", [ACE] + [wrapped(r) for r in first] + [wrapped(first[0])])

second = [
    ("XQ710042173", "100000300002", "Failed", "STATEMENT PROCESSING NOT COMPLETE"),
    ("XQ710046018", "100000300002", "Failed", "INVALID HTS"),
    ("XQ710030186", "100000300002", "Failed", "GOODS VALUE REPORTED ON IEEPA HTS LINE"),
    first[2],
]
write("claims_20261130.csv", [OTHER] + [",".join(r) for r in second])

third = [
    ("XQ710042173", "100000300003", "Failed", "STATEMENT PROCESSING NOT COMPLETE"),
    ("XQ710043916", "100000300003", "Entry Summary Updated", ""),
    ("XQ710044021", "100000300003", "Failed", "ACCOUNT MISMATCH"),
    ("XQ710046018", "100000300003", "Failed", "INVALID HTS"),
    ("XQ710044773", "100000300003", "Failed", "UNABLE TO CALCULATE DUTY"),
    ("XQ710030186", "100000300003", "Failed", "ENTRY SUMMARY IS IN FINAL LIQUIDATION STATUS"),
]
write("claims.csv", [ACE + ",Download Date"] + [wrapped(r) + ",12/02/2026" for r in third])


# The export after filing, from the sample's rows.
sample = (out.parent / "samples" / "es003_importer_standard.csv").read_text(encoding="utf-8")
rows = list(csv.reader(io.StringIO(sample, newline="")))
header, body = rows[0], rows[1:]
entry, hts = header.index("Entry Summary Number"), header.index("HTS Number - Full")
indicator = {"XQ710043916": "P", "XQ710046018": "Processed by CAPE Liq Batch"}
kept = {"XQ710042173", "XQ710043916", "XQ710046018", "XQ710044021", "XQ710044773"}
lines = io.StringIO(newline="")
writer = csv.writer(lines, lineterminator="\r\n")
writer.writerow(header + ["CAPE Indicator"])
for row in body:
    if row[entry] not in kept:
        continue
    if row[entry] == "XQ710042173" and row[hts][:6] in ("990301", "990302"):
        continue  # CBP removed the IEEPA line
    writer.writerow(row + [indicator.get(row[entry], "")])
(out / "es003_after_filing.csv").write_bytes(lines.getvalue().encode("utf-8"))


# Downloads whose date column Excel saved as displayed in a narrow column.
damaged = out.parent / "downloads_damaged"
damaged.mkdir(exist_ok=True)
fourth = [
    ("XQ710042173", "100000300004", "Failed", "STATEMENT PROCESSING NOT COMPLETE"),
    ("XQ710044773", "100000300004", "Failed", "UNABLE TO CALCULATE DUTY"),
]
(damaged / "Claim Details 12-05-2026.csv").write_bytes(
    ("\r\n".join([ACE + ",Download Date"] + [wrapped(r) + ",########" for r in fourth]) + "\r\n").encode("ascii"))
(damaged / "claims_export.csv").write_bytes(
    ("\r\n".join([ACE + ",Download Date", wrapped(fourth[0]) + ",12/04/2026", wrapped(fourth[1]) + ",########"]) + "\r\n").encode("ascii"))
