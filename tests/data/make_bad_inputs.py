#!/usr/bin/env python3
"""Writes the bad-input fixtures in tests/data/bad/ (committed; run again to
re-create them). Each is a file a user could really drop on cape-check."""
import csv, io, pathlib, random, zlib, struct

here = pathlib.Path(__file__).parent
bad = here / "bad"
bad.mkdir(exist_ok=True)
sample = (here / "samples" / "es003_importer_standard.csv").read_text(encoding="utf-8")

def png_1x1():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))

pdf = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""
def as_tsv(text):
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()

rng = random.Random(7)
files = {
    "report.pdf": pdf,
    "screenshot.png": png_1x1(),
    "empty.csv": b"",
    "blank_lines.csv": b"\r\n\r\n  \r\n",
    "random.bin": bytes(rng.randrange(256) for _ in range(4096)),
    # Excel "Unicode text": UTF-16LE with BOM, tab-delimited.
    "unicode_text_utf16le.txt": b"\xff\xfe" + as_tsv(sample).encode("utf-16-le"),
    "utf16be.csv": b"\xfe\xff" + sample.encode("utf-16-be"),
    # UTF-16LE without a BOM, with a character whose second byte is not zero.
    "utf16le_no_bom.csv": sample.replace("SYNTHETIC TEST IMPORTER LLC", "O\u2019BRIEN TEST IMPORTER LLC", 1).encode("utf-16-le"),
    # European Excel: semicolons, Windows-1252, a BOM-less file.
    "european_semicolon_1252.csv": (
        "Entry Summary Number;Importer Number;Importer Name;Entry Type Code;Entry Summary Date;HTS Number - Full;Line Tariff Duty Amount;Liquidation Status\r\n"
        "XQ710042173;98-765432100;Société Générale Import;01;01/30/2026;99030269;$2000.00;Unliquidated\r\n"
        "XQ710042173;98-765432100;Société Générale Import;01;01/30/2026;6307909870;$700.00;Unliquidated\r\n"
    ).encode("cp1252"),
    # Old Mac line ends: a lone CR.
    "cr_only.csv": sample.replace("\r\n", "\r").encode(),
    "lf_only.csv": sample.replace("\r\n", "\n").encode(),
    # A stray quote in the last row opens a cell that never closes.
    "unclosed_quote.csv": (sample + 'XQ710044773,01,2,"98-765432101,SYNTHETIC TEST IMPORTER LLC,XQ7\r\n').encode(),
    # Rows cut short or with an unquoted comma in an amount.
    "ragged.csv": sample.replace('"$10,000.00",$700.00', "$10,000.00,$700.00", 1)
                        .replace("XQ710043916,01,1,98-765432100,SYNTHETIC TEST IMPORTER LLC,XQ7,2704,02/09/2026,02/19/2026,CN,CN,1,99038803,$0.00,\"$2,500.00\",,,N,Pending,12/18/2026",
                                 "XQ710043916,01,1,98-765432100", 1).encode(),
    # Another ACE report: no entry-number column anywhere.
    "other_report.csv": b"Importer Number,Importer Name,Port Code,Total Duty\r\n98-765432100,SYNTHETIC TEST IMPORTER LLC,2704,$5000.00\r\n",
    # An ES-003 saved without the HTS column.
    "no_hts_column.csv": b"Entry Summary Number,Entry Type Code,Line Tariff Duty Amount\r\nXQ710042173,01,$2000.00\r\n",
}
for name, data in files.items():
    (bad / name).write_bytes(data)
print(f"wrote {len(files)} files to {bad}")
