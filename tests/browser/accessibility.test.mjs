// axe-core (npm) on every state of the page and the widget: zero
// violations. axe is injected into pages whose CSP pins every script by
// hash, so this context bypasses the CSP (the network tests keep it).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DATA, SAMPLES, SAMPLE_FILING_DATE, dropFiles, fillSampleSettings, launchChromium, openChecker, sampleBytes, startServer, summaryTotals,
} from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STANDARD = 'es003_importer_standard.csv';

let server;
let browser;
let directory;
let bigFile;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'cape-check-axe-'));
  bigFile = join(directory, 'es003_large.csv');
  const sample = sampleBytes(STANDARD).toString('latin1');
  const headerEnd = sample.indexOf('\n') + 1;
  const rows = Buffer.from(sample.slice(headerEnd).replace(/\n?$/, '\n'), 'latin1');
  const block = Buffer.concat(Array.from({ length: Math.ceil((1 << 20) / rows.length) }, () => rows));
  const fd = openSync(bigFile, 'w');
  writeSync(fd, Buffer.from(sample.slice(0, headerEnd), 'latin1'));
  for (let written = 0; written < 300e6; written += block.length) writeSync(fd, block);
  closeSync(fd);
  server = await startServer();
  browser = await launchChromium({ bypassCSP: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

/** axe-core's violations on the page now (WCAG 2.x A and AA, and best practices), as "rule: element" lines. */
async function axeViolations(page, context = 'document') {
  await page.evaluate((source) => {
    if (!self.axe) new Function(source)();
  }, AXE);
  return page.evaluate(async (selector) => {
    const root = selector === 'document' ? document : document.querySelector(selector);
    const results = await self.axe.run(root, { resultTypes: ['violations'] });
    return results.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary?.split('\n')[1]?.trim() ?? ''})`));
  }, context);
}

async function expectAccessible(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${state}:\n${violations.join('\n')}`);
}

async function newChecker(options = {}) {
  const page = await browser.context.newPage();
  if (options.width) await page.setViewportSize({ width: options.width, height: 844 });
  if (options.dark) await page.emulateMedia({ colorScheme: 'dark' });
  await openChecker(page, server.url);
  return page;
}

for (const scheme of ['light', 'dark']) {
  test(`the page, ${scheme}: empty, a setting with a problem, running, results, What is checked, stale, a declaration alone, a bad file`, async () => {
    const page = await newChecker({ dark: scheme === 'dark' });
    try {
      await expectAccessible(page, 'empty');
      await page.locator('[data-testid="ior"]').fill('98-7654');
      await page.locator('#ior-problem').filter({ hasText: /\S/ }).waitFor();
      await page.locator('[data-testid="as-of"]').fill('2020-01-02');
      await page.locator('#as-of-warning').filter({ hasText: /\S/ }).waitFor();
      await expectAccessible(page, 'a setting with a problem, a filing date in the past');

      await fillSampleSettings(page);
      await page.locator('input[type=file]').setInputFiles(bigFile);
      await page.locator('#progress-figures').filter({ hasText: /rows\/s/ }).waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'running');
      await page.locator('#cancel-button').click();
      await page.locator('#run-problem').filter({ hasText: /Cancelled/ }).waitFor();
      await expectAccessible(page, 'cancelled');

      await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
      await summaryTotals(page);
      await page.locator('a[data-download="findings"]').waitFor();
      await expectAccessible(page, 'results');
      for (const details of await page.locator('details').all()) await details.evaluate((node) => { node.open = true; });
      await expectAccessible(page, 'results, every details open (What is checked, examples, interest)');

      await page.locator('[data-testid="ior"]').fill('98-7654');
      await page.locator('#stale').filter({ hasText: /problem/ }).waitFor();
      await expectAccessible(page, 'results of other settings');
      await fillSampleSettings(page);

      await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
      await dropFiles(page, [{ name: 'excel_edited.csv', bytes: readFileSync(join(DATA, 'declarations/excel_edited.csv')) }]);
      await page.locator('#results-context').filter({ hasText: 'excel_edited.csv' }).waitFor();
      await expectAccessible(page, 'a declaration alone');

      await page.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') });
      await page.locator('[data-testid="unreadable"]').waitFor();
      await expectAccessible(page, 'a bad file');

      await page.emulateMedia({ media: 'print' });
      await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
      await page.locator('#print-record .print-entries').first().waitFor();
      await expectAccessible(page, 'print');
    } finally {
      await page.close();
    }
  });
}

test('the page on a phone: results as cards', async () => {
  const page = await newChecker({ width: 390 });
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await summaryTotals(page);
    await page.locator('table.entries tbody tr').first().waitFor();
    await expectAccessible(page, 'phone results');
  } finally {
    await page.close();
  }
});

test('December: the court-deadline notice, the settings about the importer ticked, the rates open; the same in the widget', async () => {
  const page = await newChecker();
  try {
    await page.locator('[data-testid="ior"]').fill('98-765432100');
    // 45 days before the court deadline of the sample's entry outside the window (december.test.mjs).
    await page.locator('[data-testid="as-of"]').fill('2027-09-01');
    await page.locator('[data-testid="non-corporate"]').check();
    await page.locator('[data-testid="cit-plaintiff"]').check();
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await page.locator('#results > [data-testid="court-deadline"]').waitFor();
    await page.locator('a[data-download="findings"]').waitFor();
    await page.locator('#interest-note details').evaluate((node) => { node.open = true; });
    await expectAccessible(page, 'the court deadline, both settings, the rates');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'the same on a phone (the rates as cards)');
  } finally {
    await page.close();
  }
  const host = await browser.context.newPage();
  try {
    await host.goto(`${server.origin}/embed-example.html`);
    await host.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    await host.locator('cape-check').evaluate((node) => {
      node.setAttribute('as-of', '2027-09-01');
      node.setAttribute('non-corporate', '');
      node.setAttribute('cit-plaintiff', '');
    });
    await host.locator('cape-check input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await host.locator('cape-check [data-testid="court-deadline"]').waitFor();
    await host.locator('cape-check a[data-download="findings"]').waitFor();
    await host.locator('cape-check .interest-note details').evaluate((node) => { node.open = true; });
    assert.deepEqual(await axeViolations(host, 'cape-check'), [], 'widget: the court deadline, the rates');
  } finally {
    await host.close();
  }
});

test('the widget: ready, results, a bad file', async () => {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/embed-example.html`);
    await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    // The example's iframe is the page itself, tested above.
    const violations = async () => (await axeViolations(page, 'cape-check'));
    assert.deepEqual(await violations(), [], 'widget ready');
    await page.locator('cape-check input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await page.locator('cape-check [data-testid="summary"]').waitFor();
    await page.locator('cape-check a[data-download="findings"]').waitFor();
    assert.deepEqual(await violations(), [], 'widget results');
    await page.locator('cape-check input[type=file]').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
    await page.locator('cape-check [data-testid="unreadable"]').waitFor();
    assert.deepEqual(await violations(), [], 'widget, a bad file');
  } finally {
    await page.close();
  }
});

test('Claim Details: the section with its counts, downloads, date fields and entries, a date with a problem, a fix ticked; on a phone; in the widget', async () => {
  // The three downloads of tests/data/downloads and the ES-003 they go with (filing date 12/03/2026).
  const files = [join(SAMPLES, STANDARD), ...['Claim Details 2026-11-28.csv', 'claims_20261130.csv', 'claims.csv'].map((name) => join(DATA, 'downloads', name))];
  const page = await newChecker();
  try {
    await page.locator('[data-testid="ior"]').fill('98-765432100');
    await page.locator('[data-testid="as-of"]').fill('2026-12-03');
    await page.locator('input[type=file]').setInputFiles(files);
    await page.locator('[data-testid="claims"]').waitFor();
    await page.locator('a[data-download="findings"]').waitFor();
    await expectAccessible(page, 'Claim Details');
    await page.locator('[data-testid="fixed"][data-entry="XQ710046018"]').check();
    await page.locator('[data-testid="claim-entry"][data-entry="XQ710046018"][data-refile="true"]').waitFor();
    await page.locator('#stale').waitFor({ state: 'hidden' });
    await expectAccessible(page, 'Claim Details, a fix ticked');
    await page.locator('[data-testid="download-date"][data-file="claims.csv"]').evaluate((input) => {
      input.type = 'text';
      input.value = '02/30/2026';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.locator('#stale').filter({ hasText: /problem/ }).waitFor();
    await expectAccessible(page, 'Claim Details, a download date with a problem');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'Claim Details on a phone (the downloads as cards)');
  } finally {
    await page.close();
  }
  const phone = await newChecker({ width: 390 });
  try {
    await phone.locator('[data-testid="ior"]').fill('98-765432100');
    await phone.locator('[data-testid="as-of"]').fill('2026-12-03');
    await phone.locator('input[type=file]').setInputFiles(files);
    await phone.locator('[data-testid="claims"]').waitFor();
    await phone.locator('a[data-download="findings"]').waitFor();
    await expectAccessible(phone, 'Claim Details on a phone, as the results come');
  } finally {
    await phone.close();
  }
  const host = await browser.context.newPage();
  try {
    await host.goto(`${server.origin}/embed-example.html`);
    await host.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    await host.locator('cape-check').evaluate((node) => node.setAttribute('as-of', '2026-12-03'));
    await host.locator('cape-check input[type=file]').setInputFiles(files);
    await host.locator('cape-check [data-testid="claims-counts"]').waitFor();
    await host.locator('cape-check a[data-download="findings"]').waitFor();
    assert.deepEqual(await axeViolations(host, 'cape-check'), [], 'widget: the Claim Details counts and the re-file declaration');
  } finally {
    await host.close();
  }
});
