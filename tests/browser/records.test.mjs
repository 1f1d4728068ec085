// The records a compliance team keeps (issue 25), on the page in Chromium:
// each input's fingerprint (SHA-256) is sha256sum's of the same file (a large
// one's, computed after its results, too); each file offered for download
// shows the fingerprint of the bytes downloaded; the print record lists them
// all; and "Download as Excel workbook" gives cape-check-report.xlsx, read
// back by openpyxl (tests/read_workbook.py, an independent reader) with the
// facts of the native command line's report of the same files: entry
// numbers as the same text, money as numbers in a dollar format, dates as
// dates, frozen headers and filters. Served and from the saved offline file,
// with no request outside the checker's own files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA, SAMPLES, checkerPage, download, nativeCli, readWorkbook, sharedBrowser, writeLargeEs003,
} from './harness.mjs';

const ACCOUNT = '98-765432100';
const FILING_DATE = '2026-12-03';
const FILES = [
  join(SAMPLES, 'es003_broker_excel_resaved.csv'), // entry numbers Excel damaged: 01644100214, 1644101502
  join(SAMPLES, 'es003_importer_standard.csv'),
  ...['Claim Details 2026-11-28.csv', 'claims_20261130.csv', 'claims.csv'].map((name) => join(DATA, 'downloads', name)),
];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const native = {};

const shared = sharedBrowser({
  scratch: 'records',
  prepare(directory) {
    native.directory = directory;
    native.report = JSON.parse(nativeCli(['audit', ...FILES, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json']));
  },
});

async function openWithFiles(where, files) {
  const opened = await checkerPage(shared.browser, shared.server, where);
  await opened.page.locator('[data-testid="ior"]').fill(ACCOUNT);
  await opened.page.locator('[data-testid="as-of"]').fill(FILING_DATE);
  await opened.page.locator('input[type=file]').setInputFiles(files);
  await opened.page.locator('a[data-download="findings"]').waitFor({ timeout: 60_000 });
  return opened;
}

/** Asserts the workbook holds the command line report's facts, sheet by sheet. */
function expectWorkbook(sheets, report, written) {
  const text = (cell) => (cell === null ? '' : (assert.equal(cell.t, 's', `text cell: ${JSON.stringify(cell)}`), cell.v));
  assert.deepEqual(Object.keys(sheets), ['Summary', 'Findings', 'Entries', 'Declarations', 'Claims']);
  for (const [name, sheet] of Object.entries(sheets)) {
    assert.equal(sheet.frozen, 'A2', `${name}: the header row is frozen`);
    assert.match(sheet.filter ?? '', /^A1:[A-Z]+\d+$/, `${name}: filters on`);
  }
  // Summary: every file checked with sha256sum's fingerprint, every file written with its own.
  const summary = sheets.Summary.rows;
  const checked = summary.filter((row) => row[0]?.v === 'File checked').map((row) => [row[1].v, row[8].v]);
  assert.deepEqual(checked, FILES.map((path) => [path.split('/').pop(), sha256(readFileSync(path))]));
  const writtenRows = summary.filter((row) => row[0]?.v === 'File written').map((row) => [row[1].v, row[8].v]);
  assert.deepEqual(writtenRows, written.map((file) => [file.name, sha256(file.bytes)]));
  const filing = summary.find((row) => row[1]?.v === 'Filing date');
  assert.deepEqual(filing[2], { t: 'd', v: FILING_DATE });
  for (const [words, key] of [['ready', 'ready'], ['to review', 'review'], ['blocked', 'blocked']]) {
    const row = summary.find((r) => r[0]?.v === 'Totals' && r[1]?.v === words);
    assert.deepEqual([row[3].v, row[4].v.toFixed(2)], [report.totals[key], report.totals[`ieepa_duty_${key}`]], `totals ${words}`);
  }
  assert.ok(sheets.Summary.formats.includes('$#,##0.00') && sheets.Summary.formats.includes('mm/dd/yyyy'));
  // Entries: the report's, in its order, numbers as text, duty as money.
  const entries = sheets.Entries.rows.slice(1);
  assert.deepEqual(entries.map((row) => text(row[0])), report.entries.map((entry) => entry.entry));
  assert.ok(entries.some((row) => row[0].v === '01644100214'), 'leading zeros kept');
  assert.ok(entries.some((row) => row[0].v === '1644101502'), 'an all-digit number kept as text');
  report.entries.forEach((entry, index) => {
    const row = entries[index];
    assert.equal(text(row[1]), entry.importer ?? '', `${entry.entry}: importer`);
    assert.equal(row[5].t, 'n');
    assert.equal(row[5].v.toFixed(2), entry.ieepa_duty, `${entry.entry}: duty`);
    assert.deepEqual(row[7], entry.liquidation_date ? { t: 'd', v: entry.liquidation_date } : null, `${entry.entry}: liquidation date`);
  });
  assert.ok(sheets.Entries.formats.includes('$#,##0.00'));
  // Findings: one row each, the files' first.
  const findings = report.files.flatMap((file) => file.findings.map((finding) => ['', finding.code, finding.message]))
    .concat(report.entries.flatMap((entry) => entry.findings.map((finding) => [entry.entry, finding.code, finding.message])));
  assert.deepEqual(sheets.Findings.rows.slice(1).map((row) => [text(row[1]), text(row[3]), text(row[6])]), findings);
  // Claims: each entry's history, a row a download.
  const steps = report.claims.entries.flatMap((entry) => entry.history.map((step) => [entry.entry_number, step.status, step.claim_number]));
  assert.deepEqual(sheets.Claims.rows.slice(1).map((row) => [text(row[0]), text(row[3]), text(row[5])]), steps);
}

/** Each file offered for download, its bytes and the fingerprint the page shows next to it. */
async function writtenFiles(page) {
  const files = [];
  for (const kind of ['declaration', 'refile', 'findings']) {
    const links = page.locator(`a[data-download="${kind}"]`);
    for (let index = 0; index < await links.count(); index += 1) {
      const file = await download(page, links.nth(index));
      const shown = await page.locator(`[data-testid="written-fingerprint"][data-file="${file.name}"]`).first().getAttribute('data-sha256');
      files.push({ ...file, shown, entries: kind === 'findings' ? undefined : file.bytes.toString().split('\r\n').length - 2 });
    }
  }
  return files;
}

for (const where of ['served', 'offline']) {
  test(`${where}: each file's fingerprint is sha256sum's; the workbook holds the report's facts (openpyxl)`, async () => {
    const { page, guard, errors } = await openWithFiles(where, FILES);
    try {
      // Inputs: the fingerprint shown is the file's.
      const shown = await page.locator('[data-testid="fingerprint"]').evaluateAll((nodes) => nodes.map((node) => [node.dataset.file, node.dataset.sha256]));
      assert.deepEqual(shown, FILES.map((path) => [path.split('/').pop(), sha256(readFileSync(path))]));
      // Files written: the fingerprint shown is that of the bytes downloaded.
      const written = await writtenFiles(page);
      assert.ok(written.length >= 3, 'a declaration, cape-refile.csv and findings.csv');
      for (const file of written) assert.equal(file.shown, sha256(file.bytes), `${file.name}'s fingerprint`);
      // The print record lists them all.
      const printed = await page.locator('[data-testid="print-fingerprints"]').innerText();
      for (const path of FILES) assert.ok(printed.includes(sha256(readFileSync(path))), `printed: ${path}`);
      for (const file of written) assert.ok(printed.includes(`${file.name}: ${sha256(file.bytes)}`), `printed: ${file.name}`);

      const workbook = await download(page, page.locator('[data-testid="workbook"]'));
      assert.equal(workbook.name, 'cape-check-report.xlsx');
      assert.equal(await page.locator(`[data-testid="written-fingerprint"][data-file="cape-check-report.xlsx"]`).getAttribute('data-sha256'), sha256(workbook.bytes));
      expectWorkbook(readWorkbook(workbook.bytes), native.report, written.map(({ name, bytes }) => ({ name, bytes })));
      assert.deepEqual(await guard.all(), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}

test("a large file's fingerprint comes after its results, and is sha256sum's", async () => {
  const path = join(native.directory, 'large-es003.csv');
  writeLargeEs003(path, 24); // over 16 MB: read in parts by two workers, fingerprinted after
  const { page, guard, errors } = await openWithFiles('served', [path]);
  try {
    const line = page.locator('[data-testid="fingerprint"][data-file="large-es003.csv"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="fingerprint"][data-file="large-es003.csv"]')?.dataset.sha256, undefined, { timeout: 60_000 });
    assert.equal(await line.getAttribute('data-sha256'), sha256(readFileSync(path)));
    assert.ok((await page.locator('[data-testid="print-fingerprints"]').innerText()).includes(sha256(readFileSync(path))));
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
