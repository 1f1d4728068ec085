// Cancel in the middle of a large file stops the work (the worker is
// terminated), and the next file works in a fresh worker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  checkerFiles, fillSampleSettings, guardNetwork, openChecker, pinCores, sampleBytes, sharedBrowser, summaryTotals,
  writeLargeEs003,
} from './harness.mjs';

let bigFile;
const shared = sharedBrowser({
  scratch: 'cancel',
  prepare: (directory) => {
    bigFile = join(directory, 'es003_large.csv');
    writeLargeEs003(bigFile, 400);
  },
});

test('Cancel stops a large file, and the next file works', async () => {
  const page = await shared.browser.context.newPage();
  await pinCores(page, 2); // the engine and one helper, whatever this machine has
  const guard = await guardNetwork(shared.browser.context, page, checkerFiles(shared.server.origin));
  await openChecker(page, shared.server.url);
  await fillSampleSettings(page);

  await page.locator('input[type=file]').setInputFiles(bigFile);
  await page.locator('#progress').waitFor();
  // Wait until the worker reports progress, then cancel mid-file.
  await page.waitForFunction(() => {
    const bar = document.getElementById('progress-bar');
    return bar.value > 0 && bar.value < 0.5;
  }, null, { polling: 20, timeout: 30_000 });
  // The engine's worker, and the helper that reads the second half.
  const running = page.workers();
  assert.equal(running.length, 2, 'the engine and its helper');
  const terminated = Promise.all(running.map((worker) => worker.waitForEvent('close', { timeout: 5000 })));
  await page.locator('#cancel-button').click();
  await terminated;

  await page.locator('#progress').waitFor({ state: 'hidden' });
  assert.match(await page.locator('#run-problem').innerText(), /Cancelled/);
  // The cancelled run never reports: no summary appears afterwards.
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('[data-testid="summary"]').count(), 0);
  assert.equal(page.workers().length, 2, 'fresh workers started');
  assert.ok(page.workers().every((worker) => !running.includes(worker)));

  await page.locator('input[type=file]').setInputFiles({
    name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv'),
  });
  assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
  assert.equal(await page.locator('#run-problem').isVisible(), false);
  assert.deepEqual(await guard.all(), []);
  await page.close();
});

test('progress shows bytes read, rows per second and time left', async () => {
  const page = await shared.browser.context.newPage();
  await openChecker(page, shared.server.url);
  await fillSampleSettings(page);
  await page.locator('input[type=file]').setInputFiles(bigFile);
  await page.locator('#progress-figures').filter({ hasText: /rows\/s/ }).waitFor({ timeout: 30_000 });
  const figures = await page.locator('#progress-figures').innerText();
  assert.match(figures, /MB of 40\d MB/);
  assert.match(figures, /left/);
  await page.locator('#cancel-button').click();
  await page.close();
});
