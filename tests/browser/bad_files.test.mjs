// Bad files (PDF, image, empty, a report that is not an ES-003) give one
// card with the engine's message and what to do (no zero totals, no
// downloads, no Print), and the page stays usable for the next file. The
// crafted workbooks of issue 12 (decompression bombs, damaged parts) give
// the native command line's own message, and the worker survives them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DATA, checkerFiles, craftedWorkbooks, fillSampleSettings, guardNetwork, launchChromium, nativeRefusal, openChecker,
  sampleBytes, startServer, summaryTotals,
} from './harness.mjs';

let server;
let browser;
let page;
let guard;
let scratch;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cape-check-bad-files-'));
  server = await startServer();
  browser = await launchChromium();
  page = await browser.context.newPage();
  guard = await guardNetwork(browser.context, page, checkerFiles(server.origin));
  await openChecker(page, server.url);
  await fillSampleSettings(page);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const BAD_FILES = [
  { name: 'invoice.pdf', buffer: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), code: 'unreadable-file' },
  { name: 'scan.png', buffer: PNG, code: 'unreadable-file' },
  { name: 'empty.csv', buffer: Buffer.alloc(0), code: 'empty-file' },
  { name: 'other-report.csv', buffer: Buffer.from('Port,Country,Value\r\n2704,VN,100\r\n'), code: 'no-header-row' },
];

async function choose(name, buffer) {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

for (const bad of BAD_FILES) {
  test(`${bad.name}: one card says why and what to do, then the next file works`, async () => {
    await choose(bad.name, bad.buffer);
    const card = page.locator('[data-testid="unreadable"]');
    await card.waitFor({ timeout: 60_000 });
    assert.match(await card.innerText(), new RegExp(bad.name.replace('.', '\\.')), 'the card names the file');
    assert.equal(await card.locator(`li[data-code="${bad.code}"]`).count(), 1, `the ${bad.code} finding is said`);
    assert.match(await card.locator('.todo').innerText(), /^What to do: \S/, 'and what to do');
    // Nothing that would pass for results: no zero totals, no downloads, no Print.
    assert.equal(await page.locator('[data-testid="summary"]').count(), 0, 'no summary cards');
    assert.equal(await page.locator('a[data-download]').count(), 0, 'no download');
    assert.equal(await page.locator('#downloads').isVisible(), false, 'no Print button');
    assert.equal(await page.locator('#findings').isVisible(), false);
    assert.equal(await page.locator('#results').getAttribute('data-outcome'), 'unreadable');
    // The page recovers: the next file is checked as usual.
    await choose('es003_importer_standard.csv', sampleBytes('es003_importer_standard.csv'));
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
    assert.equal(await page.locator('#file-list').getByText(bad.name).count(), 0, 'the old results are gone');
    assert.equal(await page.locator('[data-testid="unreadable"]').count(), 0, 'the card is gone');
  });
}

test('a bad file next to a good one: the results, and the bad file said once at the top', async () => {
  await page.locator('input[type=file]').setInputFiles([
    { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: BAD_FILES[0].buffer },
    { name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv') },
  ]);
  assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
  const problems = page.locator('#file-problems .file-problem');
  assert.equal(await problems.count(), 1);
  assert.match(await problems.innerText(), /^invoice\.pdf: /);
  assert.equal(await page.locator('#file-list > li').filter({ hasText: 'invoice.pdf' }).innerText().then((text) => /rows/.test(text.split('\n')[0])), false,
    'a file that could not be read has no row count');
});

test('crafted workbooks (bombs, damaged parts): the command line\'s message, and the worker survives each', async () => {
  const workbooks = craftedWorkbooks(scratch);
  assert.ok(workbooks.length >= 12, `the crafted workbooks: ${workbooks.map((w) => w.name)}`);
  const good = readFileSync(join(DATA, 'xlsx', 'es003_broker_excel_resaved.xlsx'));
  for (const workbook of workbooks) {
    const expected = nativeRefusal(workbook.path);
    await choose(workbook.name, readFileSync(workbook.path));
    const card = page.locator('[data-testid="unreadable"]');
    await card.waitFor({ timeout: 60_000 });
    const said = card.locator(`li[data-code="${expected.code}"]`);
    assert.equal(await said.count(), 1, `${workbook.name}: the ${expected.code} finding is said`);
    assert.equal(await said.innerText(), `${workbook.name}: ${expected.message}`, `${workbook.name}: the page says what the command line says`);
    assert.equal(await page.locator('#results').getAttribute('data-outcome'), 'unreadable');
    // The worker that read it is alive and reads the next workbook.
    await choose('es003_broker_excel_resaved.xlsx', good);
    assert.deepEqual(await summaryTotals(page), { ready: 2, review: 0, blocked: 3 }, `after ${workbook.name}`);
    assert.equal(await page.locator('#results').getAttribute('data-engine'), 'xlsx', 'read by the XLSX module');
  }
});

test('a malformed importer number is said at once, and a run with it says so and recovers', async () => {
  await page.locator('[data-testid="ior"]').fill('98-7654');
  await page.locator('#ior-problem').filter({ hasText: /\S/ }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('[data-testid="ior"]').getAttribute('aria-invalid'), 'true');
  await choose('es003_importer_standard.csv', sampleBytes('es003_importer_standard.csv'));
  await page.locator('#run-problem').filter({ hasText: /\S/ }).waitFor({ timeout: 10000 });
  await page.locator('[data-testid="ior"]').fill('98-765432100');
  await page.locator('#ior-problem').filter({ hasText: /^$/ }).waitFor({ state: 'attached', timeout: 5000 });
  assert.equal(await page.locator('[data-testid="ior"]').getAttribute('aria-invalid'), null);
  await choose('es003_importer_standard.csv', sampleBytes('es003_importer_standard.csv'));
  assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
});

test('a malformed filer code is said at once', async () => {
  await page.locator('[data-testid="filer"]').fill('X?');
  await page.locator('#filer-problem').filter({ hasText: /\S/ }).waitFor({ timeout: 5000 });
  assert.ok(await page.locator('#kind-filer').isChecked(), 'typing a filer code chooses the broker account');
  await page.locator('[data-testid="filer"]').fill('XQ7');
  await page.locator('#filer-problem').filter({ hasText: /^$/ }).waitFor({ state: 'attached', timeout: 5000 });
  await page.locator('#kind-importer').check();
});

test('nothing was requested outside the page', async () => {
  assert.deepEqual(await guard.all(), []);
});
