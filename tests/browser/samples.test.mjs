// Each sample, through the file input and through a drop event, on the
// served page and on the single offline file opened from file://: the
// summary shows the expected totals, the declaration downloads byte for
// byte, and nothing is requested outside the page's own files.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  download, dropFiles, fillSampleSettings, sharedBrowser,
  sampleBytes, summaryTotals, checkerPage as openCheckerPage,
} from './harness.mjs';

// tests/data/samples/README.md: importer account 98-765432100, filing date 2026-11-22.
const SAMPLES = [
  {
    file: 'es003_importer_standard.csv',
    totals: { ready: 3, review: 1, blocked: 6 },
    declaration: 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n',
  },
  {
    file: 'es003_broker_excel_resaved.csv',
    totals: { ready: 2, review: 0, blocked: 3 },
    declaration: 'Entry Number\r\n01644100214\r\n01644101022\r\n',
  },
  {
    file: 'es003_default_no_liquidation_with_preamble.csv',
    totals: { ready: 0, review: 2, blocked: 0 },
    declaration: null,
    withReview: 'Entry Number\r\nZ9Z30000114\r\nZ9Z30000296\r\n',
  },
];

const shared = sharedBrowser();

async function checkerPage(where) {
  const opened = await openCheckerPage(shared.browser, shared.server, where);
  await fillSampleSettings(opened.page);
  return opened;
}

async function give(page, how, sample) {
  const bytes = sampleBytes(sample.file);
  if (how === 'file input') {
    await page.locator('input[type=file]').setInputFiles({ name: sample.file, mimeType: 'text/csv', buffer: bytes });
  } else {
    await dropFiles(page, [{ name: sample.file, bytes }]);
  }
}

for (const where of ['served', 'offline file']) {
  describe(`samples, ${where}`, () => {
    for (const how of ['file input', 'drop']) {
      for (const sample of SAMPLES) {
        test(`${sample.file} through the ${how}`, async () => {
          const { page, guard, errors } = await checkerPage(where);
          try {
            await give(page, how, sample);
            assert.deepEqual(await summaryTotals(page), sample.totals);

            const declarations = page.locator('a[data-download="declaration"]');
            if (sample.declaration === null) {
              assert.equal(await declarations.count(), 0, 'no declaration when no entry is ready');
            } else {
              assert.equal(await declarations.count(), 1);
              const file = await download(page, declarations.first());
              assert.equal(file.name, 'cape-declaration.csv');
              assert.equal(file.bytes.toString('latin1'), sample.declaration);
            }
            const findings = await download(page, page.locator('a[data-download="findings"]'));
            assert.match(findings.name, /findings.*\.csv$/);
            assert.deepEqual([...findings.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'findings.csv has a UTF-8 BOM');

            if (sample.withReview) {
              await page.locator('#include-all-review').click();
              await page.locator('a[data-download="declaration"]').first().waitFor();
              const file = await download(page, page.locator('a[data-download="declaration"]').first());
              assert.equal(file.bytes.toString('latin1'), sample.withReview);
              // And one by one: leave them out, then include the first only.
              await page.locator('#exclude-all-review').click();
              await page.locator('a[data-download="declaration"]').waitFor({ state: 'detached' });
              // The table is redrawn after the links: until then its boxes still show
              // "included", and checking a checked box does nothing. Wait as a user would.
              const box = page.locator('input[type=checkbox][data-entry="Z9Z30000114"]');
              await page.locator('input[type=checkbox][data-entry="Z9Z30000114"]:not(:checked)').waitFor();
              await box.check();
              await page.locator('a[data-download="declaration"]').first().waitFor();
              const one = await download(page, page.locator('a[data-download="declaration"]').first());
              assert.equal(one.bytes.toString('latin1'), 'Entry Number\r\nZ9Z30000114\r\n');
            }
            assert.deepEqual(await guard.all(), [], 'no request outside the page');
            assert.deepEqual(errors, [], 'no script error');
          } finally {
            await page.close();
          }
        });
      }
    }

    test('"Try a sample file" runs the bundled sample', async () => {
      const { page, guard } = await checkerPage(where);
      try {
        await page.locator('#sample-choice').selectOption('es003_importer_standard.csv');
        await page.locator('#sample-button').click();
        assert.deepEqual(await summaryTotals(page), SAMPLES[0].totals);
        assert.deepEqual(await guard.all(), []);
      } finally {
        await page.close();
      }
    });
  });
}

test('several files in one drop are one audit', async () => {
  const { page } = await checkerPage('served');
  try {
    await page.locator('input[type=file]').setInputFiles([
      { name: SAMPLES[0].file, mimeType: 'text/csv', buffer: sampleBytes(SAMPLES[0].file) },
      { name: SAMPLES[1].file, mimeType: 'text/csv', buffer: sampleBytes(SAMPLES[1].file) },
    ]);
    const totals = await summaryTotals(page);
    assert.equal(totals.ready, 5);
    assert.equal(await page.locator('#file-list > li').count(), 2);
  } finally {
    await page.close();
  }
});
