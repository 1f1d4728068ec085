#!/usr/bin/env node
// Screenshots of the checker in each state a user meets, to look at before
// a change is called done (not a test: nothing is compared). Writes PNGs to
// DIR (default: screenshots/, ignored by git):
//   empty, running, results (top and full page), bad file, dark mode (empty
//   and results), print (the one-page summary), a phone-width results page.
//
// Usage: node scripts/screenshots.mjs [DIR]   (needs the page built: scripts/build_web.py)

import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, fillSampleSettings, launchChromium, openChecker, sampleBytes, startServer, summaryTotals } from '../tests/browser/harness.mjs';

const out = resolve(process.argv[2] ?? join(ROOT, 'screenshots'));
mkdirSync(out, { recursive: true });
const shot = async (page, name, options = {}) => {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, ...options });
  console.log(`wrote ${path}`);
};

// A large file for the running state: the standard sample's rows, repeated.
const big = join(tmpdir(), `cape-check-screenshots-${process.pid}.csv`);
const sample = sampleBytes('es003_importer_standard.csv').toString('latin1');
const headerEnd = sample.indexOf('\n') + 1;
const rows = Buffer.from(sample.slice(headerEnd).replace(/\n?$/, '\n'), 'latin1');
const fd = openSync(big, 'w');
writeSync(fd, Buffer.from(sample.slice(0, headerEnd), 'latin1'));
for (let written = 0; written < 300e6; written += rows.length * 1000) writeSync(fd, Buffer.concat(Array(1000).fill(rows)));
closeSync(fd);

const server = await startServer();
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await openChecker(page, server.url);
  await shot(page, '1-empty');

  await fillSampleSettings(page);
  await page.locator('input[type=file]').setInputFiles(big);
  await page.waitForFunction(() => document.getElementById('progress-figures')?.textContent.includes('rows/s'), null, { timeout: 30_000 });
  await shot(page, '2-running');
  await page.locator('#cancel-button').click();

  await page.locator('input[type=file]').setInputFiles({ name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv') });
  await summaryTotals(page);
  await page.locator('table.entries tbody tr').first().waitFor();
  await shot(page, '3-results');
  await shot(page, '4-results-full', { fullPage: true });

  await page.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1') });
  await page.locator('#file-problems').waitFor();
  await page.locator('#file-problems').scrollIntoViewIfNeeded();
  await shot(page, '5-bad-file');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.locator('input[type=file]').setInputFiles({ name: 'es003_broker_excel_resaved.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_broker_excel_resaved.csv') });
  await summaryTotals(page);
  await page.locator('table.entries tbody tr').first().waitFor();
  await shot(page, '6-dark-results', { fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, '7-dark-top');

  await page.emulateMedia({ colorScheme: 'light', media: 'print' });
  await shot(page, '8-print', { fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await openChecker(phone, server.url);
  await fillSampleSettings(phone);
  await phone.locator('input[type=file]').setInputFiles({ name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv') });
  await summaryTotals(phone);
  await shot(phone, '9-phone-results', { fullPage: true });
} finally {
  await browser.close();
  await server.close();
  rmSync(big, { force: true });
}
