// Results always match the settings on screen: a setting changed after a
// run checks the files already chosen again (as the widget does); while a
// setting has a problem, the old results are marked as such and their
// downloads withdrawn. The focus stays where the user types.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SAMPLE_ACCOUNT, checkerPage, download, fillSampleSettings, sampleBytes, sharedBrowser, summaryTotals,
} from './harness.mjs';

const shared = sharedBrowser();
const STANDARD = 'es003_importer_standard.csv';
const STANDARD_DECLARATION = 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n';

/** Waits until the results shown are those of a run whose context line matches `pattern`. */
async function resultsFor(page, pattern) {
  await page.locator('#results-context').filter({ hasText: pattern }).waitFor({ timeout: 30_000 });
  await page.locator('#stale').waitFor({ state: 'hidden' });
  return summaryTotals(page);
}

test('IOR, filing date, account kind and per-importer changed after a run: the files are checked again', async () => {
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    assert.deepEqual(await resultsFor(page, /importer 98-765432100/), { ready: 3, review: 1, blocked: 6 });

    // Another importer: typed in the field, checked again; focus stays in the field.
    const ior = page.locator('[data-testid="ior"]');
    await ior.fill('98-765432101');
    const other = await resultsFor(page, /importer 98-765432101/);
    assert.notDeepEqual(other, { ready: 3, review: 1, blocked: 6 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ior', 'the focus stays where the user types');

    // A number with a problem: the results are marked as those of the settings before, downloads withdrawn.
    await ior.fill('98-7654');
    await page.locator('#stale').filter({ hasText: /has a problem/ }).waitFor();
    assert.equal(await page.locator('a[data-download]').count(), 0, 'no download of results that do not match the settings');
    assert.match(await page.locator('#results-context').innerText(), /importer 98-765432101/, 'the results say whose they are');
    assert.ok(await page.locator('#results').evaluate((node) => node.classList.contains('stale')));

    // Fixed: checked again, and the declaration is the right one again.
    await ior.fill(SAMPLE_ACCOUNT);
    assert.deepEqual(await resultsFor(page, /importer 98-765432100/), { ready: 3, review: 1, blocked: 6 });
    const file = await download(page, page.locator('a[data-download="declaration"]'));
    assert.equal(file.bytes.toString('latin1'), STANDARD_DECLARATION);

    // The filing date: three years later, every liquidated entry is out of the 80-day window
    // (cape-check audit ... --ior 98-765432100 --as-of 2029-11-22).
    await page.locator('[data-testid="as-of"]').fill('2029-11-22');
    assert.deepEqual(await resultsFor(page, /Filing date 11\/22\/2029/), { ready: 1, review: 1, blocked: 8 });

    // A broker's filer code instead of the IOR, then one declaration per importer
    // (--filer XQ7: 4, 1, 5; --per-importer: two declarations).
    await page.locator('[data-testid="as-of"]').fill('2026-11-22');
    await resultsFor(page, /Filing date 11\/22\/2026/);
    await page.locator('[data-testid="filer"]').fill('XQ7');
    assert.deepEqual(await resultsFor(page, /broker, filer code XQ7/), { ready: 4, review: 1, blocked: 5 });
    await page.getByLabel('One declaration per importer (brokers)').check();
    await page.waitForFunction(() => document.querySelectorAll('a[data-download="declaration"]').length === 2, null, { timeout: 30_000 });

    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a setting changed back before the check ends: the results are those of the settings on screen', async () => {
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await resultsFor(page, /importer 98-765432100/);
    await page.locator('[data-testid="ior"]').fill('98-765432101');
    await page.locator('[data-testid="ior"]').fill(SAMPLE_ACCOUNT);
    assert.deepEqual(await resultsFor(page, /importer 98-765432100/), { ready: 3, review: 1, blocked: 6 });
    assert.equal(await page.locator('#stale').isVisible(), false);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
