// One export, three ways (tests/data/excel_pairs, written by
// tests/data/make_excel_pairs.py): the CSV as ACE wrote it, the workbook as
// Excel saves it (no empty cell stored) and the CSV without the delimiters
// of blank last cells. On the page, each file of a pair gives the same
// totals, the same entries with the same findings (findings.csv, entry
// rows) and the same declaration, and the native core agrees on the totals
// (issue 27: the workbook's and the shortened CSV's rows were lost).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, checkerPage, download, fillSampleSettings, nativeCli, sharedBrowser,
  summaryTotals,
} from './harness.mjs';

const PAIRS = join(DATA, 'excel_pairs');
const shared = sharedBrowser();

/** The pairs: name -> its files, NAME.csv first. */
function pairs() {
  const out = new Map();
  for (const file of readdirSync(PAIRS).sort()) {
    const name = file.split('.')[0];
    if (!out.has(name)) out.set(name, []);
    out.get(name).push(file);
  }
  for (const [name, files] of out) {
    files.sort((a, b) => (a === `${name}.csv` ? -1 : b === `${name}.csv` ? 1 : a.localeCompare(b)));
    assert.equal(files[0], `${name}.csv`);
    assert.ok(files.some((file) => file.endsWith('.xlsx')), `${name} has a workbook`);
  }
  return out;
}

/** The entry rows of a findings.csv (its file findings name the file). */
function entryRows(bytes) {
  return bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n').filter((line) => /^[^,]/.test(line));
}

/** What the page shows and lets the user download for one file. */
async function checkOnPage(file) {
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await fillSampleSettings(page);
    const type = file.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    await page.locator('input[type=file]').setInputFiles({ name: file, mimeType: type, buffer: readFileSync(join(PAIRS, file)) });
    const totals = await summaryTotals(page);
    const findings = await download(page, page.locator('a[data-download="findings"]'));
    const links = page.locator('a[data-download="declaration"]');
    const declarations = [];
    for (let i = 0; i < await links.count(); i += 1) declarations.push((await download(page, links.nth(i))).bytes.toString('latin1'));
    const engine = await page.locator('#results').getAttribute('data-engine');
    assert.deepEqual(await guard.all(), [], 'no request outside the page');
    assert.deepEqual(errors, [], 'no script error');
    return { totals, entries: entryRows(findings.bytes), declarations, engine };
  } finally {
    await page.close();
  }
}

for (const [name, files] of pairs()) {
  test(`${name}: ${files.join(', ')} give the same entries and declaration on the page`, async () => {
    const report = JSON.parse(nativeCli(['audit', join(PAIRS, files[0]), '--ior', SAMPLE_ACCOUNT,
      '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
    const csv = await checkOnPage(files[0]);
    assert.deepEqual(csv.totals, { ready: report.totals.ready, review: report.totals.review, blocked: report.totals.blocked });
    assert.equal(csv.entries.length > 0, true);
    for (const other of files.slice(1)) {
      const seen = await checkOnPage(other);
      assert.deepEqual(seen.totals, csv.totals, `${other}: totals`);
      assert.deepEqual(seen.entries, csv.entries, `${other}: entries and their findings`);
      assert.deepEqual(seen.declarations, csv.declarations, `${other}: declarations`);
      if (other.endsWith('.xlsx')) assert.equal(seen.engine, 'xlsx', `${other} read by the workbook module`);
    }
  });
}
