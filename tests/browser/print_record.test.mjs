// The printout (or PDF) is a compliance record: the settings, the date
// printed, the totals, the kinds of findings, and every blocked entry and
// entry to review with its messages, as the native core reports them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, SAMPLES, checkerPage, fillSampleSettings, nativeCli, sampleBytes, sharedBrowser, summaryTotals,
} from './harness.mjs';

const shared = sharedBrowser();
const STANDARD = 'es003_importer_standard.csv';

test('print: settings, date printed, totals, and every blocked entry and entry to review with its messages', async () => {
  const report = JSON.parse(nativeCli(['audit', join(SAMPLES, STANDARD), '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await summaryTotals(page);
    const record = page.locator('#print-record');
    assert.equal(await record.isVisible(), false, 'on screen, the record is not shown');
    await record.locator('.print-entries').first().waitFor({ state: 'attached' });

    await page.emulateMedia({ media: 'print' });
    assert.equal(await record.isVisible(), true);
    assert.equal(await page.locator('#entries').isVisible(), false, 'the screen table is not printed');
    const text = await record.innerText();
    const now = new Date();
    const today = `${String(now.getMonth() + 1).padStart(2, '0')}/${String(now.getDate()).padStart(2, '0')}/${now.getFullYear()}`;
    assert.match(text, new RegExp(`Printed ${today.replace(/\//g, '\\/')}`));
    assert.match(text, /Filing date 11\/22\/2026/);
    assert.match(text, /Importer of record 98-765432100/);
    assert.match(text, /es003_importer_standard\.csv \(ES-003 export, \d+ rows\)/);
    assert.match(text, /Ready to file\s+3\s+\$7,400\.00/);
    assert.match(text, /Blocked\s+6\s+\$3,900\.00/);
    assert.match(text, /Declarations written: cape-declaration\.csv \(3 entries\)/);
    for (const entry of report.entries.filter((candidate) => candidate.verdict !== 'ready')) {
      const row = record.locator('tr', { has: page.locator('td.entry-number', { hasText: entry.entry }) }).first();
      const printed = await row.innerText();
      for (const finding of entry.findings) assert.ok(printed.includes(finding.message), `${entry.entry}: ${finding.message}`);
    }
    assert.equal(await record.locator('.print-entries').nth(0).locator('tbody tr').count(), report.totals.blocked);
    assert.equal(await record.locator('.print-entries').nth(1).locator('tbody tr').count(), report.totals.review);

    // Including the entry to review: the record says it is in the declaration.
    await page.emulateMedia({ media: 'screen' });
    await page.locator('#include-all-review').click();
    await page.locator('a[data-download="declaration"]', { hasText: '4 entries' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    const review = record.locator('.print-entries').nth(1).locator('tbody tr');
    await review.first().waitFor();
    assert.match(await review.first().innerText(), /\byes$/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
