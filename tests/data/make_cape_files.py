#!/usr/bin/env python3
"""Writes the CAPE Declaration and Claim Details fixtures (committed; run
again to re-create them): hand-made declarations with each of CAPE's
file-level faults, and a Claim Details download with accepted and failed
entries. Entry numbers are those of samples/es003_importer_standard.csv."""
import pathlib

here = pathlib.Path(__file__).parent
files = {
    "declarations/good.csv": "Entry Number\r\nXQ710042173\r\nXQ710043916\r\n",
    # Edited in Excel and saved as "CSV UTF-8": every fault at once.
    "declarations/excel_edited.csv": "\ufeffEntry No,Notes\r\n"
        "XQ710042173,\r\n"
        "1644100214,\r\n"
        ",\r\n"
        "XQ7-1004391-6,\r\n"
        "XQ710042173,again\r\n"
        "XQ710042174,\r\n"
        "XQ7100421,\r\n",
    "declarations/title_above_header.csv": "Declaration for SYNTHETIC TEST IMPORTER LLC\r\nEntry Number\r\nXQ710042173\r\n",
    "claims/claim_details.csv": "ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION\r\n"
        "XQ710042173,C260412000123,Accepted,Entry Summary Updated\r\n"
        "XQ710043916,C260412000123,Rejected,GOODS VALUE REPORTED ON IEEPA CHAPTER 99 LINE\r\n"
        "XQ710044021,C260412000123,Rejected,STATEMENT PROCESSING NOT COMPLETE\r\n"
        "XQ710030186,C260412000123,Rejected,ENTRY SUMMARY IS IN FINAL LIQUIDATION STATUS\r\n"
        "XQ710046018,C260412000123,Rejected,A MESSAGE CBP HAS NOT USED BEFORE\r\n",
}
for name, text in files.items():
    (here / name).write_bytes(text.encode("utf-8"))
print(f"wrote {len(files)} files")
