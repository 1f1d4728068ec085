// Where the worker cannot read a File (WebKit, from a file:// page: the
// WebKit tests meet it for real), the page reads it and transfers the
// chunks: here Chromium's workers are made to fail as WebKit's do, and the
// run must give the same results, the same progress and the same Cancel.
// And a file that cannot be read at all is said in plain words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkerFiles, download, fillSampleSettings, guardNetwork, openChecker, sampleBytes, sharedBrowser, summaryTotals,
  writeLargeEs003,
} from './harness.mjs';

let bigFile;
const shared = sharedBrowser({
  scratch: 'relay',
  prepare: (directory) => {
    bigFile = join(directory, 'es003_large.csv');
    writeLargeEs003(bigFile, 120);
  },
});

/** Makes every File read inside the page's workers fail as WebKit's do from a file:// page. */
async function workersCannotRead(page) {
  await page.waitForFunction(() => document.documentElement.dataset.engineWarm === 'true', null, { timeout: 30_000 });
  const fail = () => {
    const error = () => new DOMException('The I/O read operation failed.', 'NotReadableError');
    Blob.prototype.arrayBuffer = () => Promise.reject(error());
    Blob.prototype.stream = () => new ReadableStream({ start(controller) { controller.error(error()); } });
    self.__cannotRead = true;
  };
  for (const worker of page.workers()) await worker.evaluate(fail);
  return page.workers();
}

test('workers that cannot read Files: the page reads for them; same declaration, progress and Cancel', async () => {
  const page = await shared.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(shared.browser.context, page, checkerFiles(shared.server.origin));
  try {
    await openChecker(page, shared.server.url);
    await fillSampleSettings(page);
    const [engine] = await workersCannotRead(page);
    await page.locator('input[type=file]').setInputFiles({
      name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv'),
    });
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
    assert.equal(await engine.evaluate(() => readsThroughPage), true, 'the page read the file for the worker');
    assert.equal(await page.locator('#results').getAttribute('data-read-by'), 'page');
    const file = await download(page, page.locator('a[data-download="declaration"]'));
    assert.equal(file.bytes.toString('latin1'), 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n');

    // A large file through the page: progress as usual (1 MiB at a time), then Cancel.
    await page.locator('input[type=file]').setInputFiles(bigFile);
    await page.waitForFunction(() => {
      const bar = document.getElementById('progress-bar');
      return bar.value > 0.05 && bar.value < 0.6;
    }, null, { polling: 20, timeout: 30_000 });
    assert.match(await page.locator('#progress-figures').innerText(), /MB of 12\d MB/);
    await page.locator('#cancel-button').click();
    await page.locator('#progress').waitFor({ state: 'hidden' });
    assert.match(await page.locator('#run-problem').innerText(), /Cancelled/);
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('[data-testid="summary"]').count(), 0, 'the cancelled run never reports');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a file that cannot be read at all (deleted while read): said in plain words, and the next file works', async () => {
  const { page, errors } = await (async () => {
    const opened = await shared.browser.context.newPage();
    const seen = [];
    opened.on('pageerror', (error) => seen.push(error.message));
    await openChecker(opened, shared.server.url);
    return { page: opened, errors: seen };
  })();
  const doomed = join(shared.directory, 'doomed.csv');
  writeLargeEs003(doomed, 120);
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles(doomed);
    await page.waitForFunction(() => document.getElementById('progress-bar').value > 0, null, { polling: 20, timeout: 30_000 });
    rmSync(doomed);
    const problem = page.locator('#run-problem');
    await problem.filter({ hasText: /could not be read/ }).waitFor({ timeout: 30_000 });
    assert.match(await problem.innerText(), /^"doomed\.csv" could not be read: .+\. Choose the file again/);
    assert.doesNotMatch(await problem.innerText(), /I\/O read operation/);
    await page.locator('input[type=file]').setInputFiles({
      name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv'),
    });
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
