// The XLSX module is compiled only for a run that holds a workbook, and then
// it audits the whole run; CAPE declarations checked alone; one declaration
// per importer. On the served page and on the offline file.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA, SAMPLE_FILING_DATE, download, dropFiles, fillSampleSettings,
  sharedBrowser, sampleBytes, summaryTotals, checkerPage as openCheckerPage,
} from './harness.mjs';

const data = (path) => readFileSync(join(DATA, path));

// What the native core gives for these three files with the samples' account and date
// (cape-check audit FILES --ior 98-765432100 --as-of 2026-11-22).
const MIXED_RUN = [
  { name: 'es003_broker_excel_resaved.xlsx', bytes: data('xlsx/es003_broker_excel_resaved.xlsx'), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { name: 'claim_details.csv', bytes: data('claims/claim_details.csv') },
  { name: 'es003_importer_standard.csv', bytes: data('samples/es003_importer_standard.csv') },
];
const MIXED_DECLARATION = 'Entry Number\r\n01644100214\r\n01644101022\r\nXQ710043916\r\n';

const shared = sharedBrowser();

function checkerPage(where) {
  return openCheckerPage(shared.browser, shared.server, where);
}

const engineOfRun = (page) => page.locator('#results').getAttribute('data-engine');
const xlsxModuleState = (page) => page.evaluate(() => document.documentElement.dataset.xlsxModule ?? 'not compiled');

for (const where of ['served', 'offline file']) {
  describe(`XLSX loaded only when needed, ${where}`, () => {
    test('a CSV-only run never compiles the XLSX module', async () => {
      const { page, guard, errors } = await checkerPage(where);
      try {
        await fillSampleSettings(page);
        await dropFiles(page, [{ name: 'es003_importer_standard.csv', bytes: sampleBytes('es003_importer_standard.csv') }]);
        assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
        assert.equal(await engineOfRun(page), 'csv');
        assert.equal(await xlsxModuleState(page), 'not compiled');
        assert.deepEqual(await guard.all(), []);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });

    test('an XLSX with a Claim Details file and a CSV: the XLSX module audits the run, declaration as the native core', async () => {
      const { page, guard, errors } = await checkerPage(where);
      try {
        await fillSampleSettings(page);
        await dropFiles(page, MIXED_RUN);
        await summaryTotals(page);
        assert.equal(await engineOfRun(page), 'xlsx');
        assert.equal(await xlsxModuleState(page), 'compiled');
        const file = await download(page, page.locator('a[data-download="declaration"]').first());
        assert.equal(file.bytes.toString('latin1'), MIXED_DECLARATION);
        assert.equal(await page.locator('#file-list > li').count(), 3);
        // The XLSX worker was replaced by a fresh one (its memory given back); the page still works with it.
        await page.locator('#include-all-review').click();
        await page.locator('a[data-download="declaration"]', { hasText: '5 entries' }).waitFor({ timeout: 10_000 });
        // The next CSV-only run goes back to the small module.
        await dropFiles(page, [{ name: 'es003_importer_standard.csv', bytes: sampleBytes('es003_importer_standard.csv') }]);
        await page.locator('#results[data-engine="csv"]').waitFor({ timeout: 30_000 });
        assert.deepEqual(await guard.all(), []);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  });
}

test('a hand-made declaration alone: its format findings and the corrected declaration', async () => {
  const { page, guard } = await checkerPage('served');
  try {
    await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
    await dropFiles(page, [{ name: 'excel_edited.csv', bytes: data('declarations/excel_edited.csv') }]);
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 0, blocked: 2 });
    const fileFindings = page.locator('#file-list .finding');
    const texts = await fileFindings.allInnerTexts();
    assert.ok(texts.filter((text) => /CAPE would fail declaration 'excel_edited\.csv'/.test(text)).length >= 4, texts.join('\n'));
    assert.ok(texts.some((text) => /'Entry No'/.test(text)), 'the wrong header is named');
    assert.ok(texts.some((text) => /byte order mark|CSV UTF-8/.test(text)), 'the BOM is named');
    assert.equal(await page.locator('.finding-group[data-code="declaration-format"]').count(), 1);
    const file = await download(page, page.locator('a[data-download="declaration"]').first());
    assert.equal(file.name, 'cape-declaration.csv');
    assert.equal(file.bytes.toString('latin1'), 'Entry Number\r\nXQ710042173\r\n01644100214\r\nXQ710043916\r\n');
    assert.deepEqual(await guard.all(), []);
  } finally {
    await page.close();
  }
});

test('"One declaration per importer (brokers)" writes cape-declaration-<IOR>.csv for each importer', async () => {
  const { page, guard } = await checkerPage('served');
  try {
    await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
    await page.getByLabel('One declaration per importer (brokers)').check();
    await dropFiles(page, [{ name: 'es003_broker_excel_resaved.csv', bytes: sampleBytes('es003_broker_excel_resaved.csv') }]);
    await summaryTotals(page);
    const links = page.locator('a[data-download="declaration"]');
    assert.equal(await links.count(), 2);
    const files = [await download(page, links.nth(0)), await download(page, links.nth(1))];
    const byName = Object.fromEntries(files.map((file) => [file.name, file.bytes.toString('latin1')]));
    assert.deepEqual(byName, {
      'cape-declaration-98765432100.csv': 'Entry Number\r\n01644100214\r\n01644101022\r\n',
      'cape-declaration-876543210AB.csv': 'Entry Number\r\n01644101337\r\n',
    });
    // Unchecked: one declaration again.
    await page.getByLabel('One declaration per importer (brokers)').uncheck();
    await dropFiles(page, [{ name: 'es003_broker_excel_resaved.csv', bytes: sampleBytes('es003_broker_excel_resaved.csv') }]);
    await page.locator('a[data-download="declaration"]').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('a[data-download="declaration"]').length === 1);
    assert.deepEqual(await guard.all(), []);
  } finally {
    await page.close();
  }
});
