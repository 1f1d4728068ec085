#!/usr/bin/env python3
"""Writes crafted XLSX workbooks that are small as files but would expand
far past what a real export needs once opened (issue 12): the ones in
tests/data/xlsx/limits/ are committed (each under 100 KB; run again to
re-create them, with nothing but Python's standard library):

- control.xlsx: the same hand-written workbook as the others (a Main Report
  sheet of es003_importer_standard.csv's rows, shared strings, styles),
  without anything crafted: it must be read like its CSV;
- sheet_whitespace.xlsx: 20 MiB of spaces between two rows of the sheet
  (one piece of text, held whole by the XML reader);
- shared_string_huge.xlsx: one shared string of 20 MiB;
- shared_string_rich.xlsx: one shared string made of 20,000 formatted runs
  of 1,000 characters (every piece is small, the string they make is not);
- unique_count.xlsx: a shared-strings table that announces a million
  million strings (the reader reserves room for them up front);
- styles_clones.xlsx: a 1 MiB number format used by 100,000 cell formats
  (each cell format gets its own copy);
- deep.xlsx: two million elements opened inside each other and never
  closed;
- sizes_lie.xlsx: a sheet that says it is 1,000 bytes and is 2 MiB;
- declared_huge.xlsx: a sheet that says it is 4 GiB (its data is small);
- unsupported_compression.xlsx: a sheet stored with a compression method
  that workbooks do not use (LZMA, method 14);
- not_a_workbook.xlsx: a ZIP archive holding a text file, no workbook.

`--big DIR` also writes, into DIR (not committed), the two measured in
issue 12: whitespace_1gib.xlsx (1 MB; its sheet is 1 GiB of spaces) and
shared_string_500mb.xlsx (0.5 MB; one shared string of 500 MB), for
`/usr/bin/time -v cape-check audit FILE`.

The workbooks with more parts than any real one (over 10,000), one that
declares a 5 GiB sheet through ZIP64, one whose parts are encrypted and
one full of ZIP64 directory-end signatures are built by
tests/xlsx_limits.rs itself (with a hand-made ZIP directory)."""
import csv
import io
import pathlib
import struct
import sys
import zipfile

here = pathlib.Path(__file__).parent
out = here / "xlsx" / "limits"

MiB = 1 << 20

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="Main Report" sheetId="1" r:id="rId1"/></sheets></workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>\
<borders count="1"><border/></borders>\
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>\
</styleSheet>"""


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def es003_rows():
    text = (here / "samples" / "es003_importer_standard.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def sheet(rows, between=""):
    """The Main Report sheet: the header row's cells as shared strings
    (indices 0..), the data rows' cells inline (empty ones too); `between` goes between the
    header row and the first data row."""
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in enumerate(rows, start=1):
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(cells):
            ref = f"{column(c)}{r}"
            if r == 1:
                parts.append(f'<c r="{ref}" t="s"><v>{c}</v></c>')
            else:
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        parts.append("</row>")
        if r == 1:
            parts.append(between)
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def shared_strings(strings, extra="", unique_count=None):
    count = len(strings) if unique_count is None else unique_count
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{count}">{items}{extra}</sst>')


def workbook(path, sheet_xml=None, sst_xml=None, styles_xml=STYLES, compression=zipfile.ZIP_DEFLATED):
    """Writes a workbook; each part is a str or an iterable of str chunks."""
    rows = es003_rows()
    if sheet_xml is None:
        sheet_xml = sheet(rows)
    if sst_xml is None:
        sst_xml = shared_strings(rows[0])
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", styles_xml),
        ("xl/sharedStrings.xml", sst_xml),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]
    with zipfile.ZipFile(path, "w", compression, compresslevel=9) as z:
        for name, content in parts:
            # A fixed date: the same bytes on every run.
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with z.open(info, "w", force_zip64=False) as f:
                for chunk in [content] if isinstance(content, str) else content:
                    f.write(chunk.encode("utf-8"))


def repeated(text, total, chunk=MiB):
    """`text` repeated to `total` bytes, in chunks (never held whole)."""
    block = (text * (chunk // len(text) + 1))[:chunk]
    left = total
    while left > 0:
        yield block[:min(chunk, left)]
        left -= chunk


def patch_entry(data, name, size=None, method=None):
    """The ZIP bytes with the central directory and local header of entry
    `name` declaring another uncompressed size or compression method."""
    data = bytearray(data)
    raw = name.encode()
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise ValueError(name)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == raw:
            break
        pos += 4
    local = struct.unpack_from("<I", data, pos + 42)[0]
    if size is not None:
        struct.pack_into("<I", data, pos + 24, size)
        struct.pack_into("<I", data, local + 22, size)
    if method is not None:
        struct.pack_into("<H", data, pos + 10, method)
        struct.pack_into("<H", data, local + 8, method)
    return bytes(data)


def write_committed():
    out.mkdir(parents=True, exist_ok=True)
    rows = es003_rows()
    workbook(out / "control.xlsx")
    workbook(out / "sheet_whitespace.xlsx", sheet_xml=sheet(rows, between=" " * (20 * MiB)))
    workbook(out / "shared_string_huge.xlsx",
             sst_xml=shared_strings(rows[0], extra="<si><t>" + "x" * (20 * MiB) + "</t></si>"))
    run = "<r><rPr><b/></rPr><t>" + "x" * 1000 + "</t></r>"
    workbook(out / "shared_string_rich.xlsx",
             sst_xml=shared_strings(rows[0], extra="<si>" + run * 20_000 + "</si>"))
    workbook(out / "unique_count.xlsx", sst_xml=shared_strings(rows[0], unique_count=10**12))
    styles = STYLES.replace(
        "<fonts", '<numFmts count="1"><numFmt numFmtId="164" formatCode="' + "0" * MiB + '"/></numFmts><fonts'
    ).replace(
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>',
        '<cellXfs count="100000">' + '<xf numFmtId="164"/>' * 100_000 + "</cellXfs>",
    )
    workbook(out / "styles_clones.xlsx", styles_xml=styles)
    workbook(out / "deep.xlsx", sheet_xml=sheet(rows, between="<x>" * 2_000_000))

    whole = out / "sizes_lie.xlsx"
    workbook(whole, sheet_xml=sheet(rows, between=" " * (2 * MiB)))
    whole.write_bytes(patch_entry(whole.read_bytes(), "xl/worksheets/sheet1.xml", size=1000))
    whole = out / "declared_huge.xlsx"
    workbook(whole)
    whole.write_bytes(patch_entry(whole.read_bytes(), "xl/worksheets/sheet1.xml", size=0xFFFF_FFFE))
    whole = out / "unsupported_compression.xlsx"
    workbook(whole)
    whole.write_bytes(patch_entry(whole.read_bytes(), "xl/worksheets/sheet1.xml", method=14))

    with zipfile.ZipFile(out / "not_a_workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("notes.txt", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "Entry Summary Number,Entry Type Code\n")

    for p in sorted(out.iterdir()):
        size = p.stat().st_size
        assert size < 100_000, f"{p.name} is {size} bytes: too large to commit"
    print("wrote", ", ".join(f"{p.name} ({p.stat().st_size} bytes)" for p in sorted(out.iterdir())))


def write_big(directory):
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = es003_rows()
    head, tail = sheet(rows, between="\0").split("\0")
    workbook(directory / "whitespace_1gib.xlsx",
             sheet_xml=[head, *repeated(" ", 1 << 30), tail])
    sst_head, sst_tail = shared_strings(rows[0], extra="\0").split("\0")
    workbook(directory / "shared_string_500mb.xlsx",
             sst_xml=[sst_head, "<si><t>", *repeated("x", 500_000_000), "</t></si>", sst_tail])
    print("wrote", ", ".join(f"{p.name} ({p.stat().st_size} bytes)" for p in sorted(directory.iterdir())))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--big":
        write_big(sys.argv[2])
    elif len(sys.argv) == 1:
        write_committed()
    else:
        sys.exit("usage: make_xlsx_limits.py [--big DIR]")
