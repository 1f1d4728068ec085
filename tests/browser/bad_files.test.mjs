// Bad files (PDF, image, empty, a report that is not an ES-003) give the
// engine's message in the page, and the page stays usable for the next file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkerFiles, fillSampleSettings, guardNetwork, launchChromium, openChecker, sampleBytes, startServer, summaryTotals,
} from './harness.mjs';

let server;
let browser;
let page;
let guard;

before(async () => {
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
  test(`${bad.name}: the engine's message is shown, then the next file works`, async () => {
    await choose(bad.name, bad.buffer);
    await summaryTotals(page);
    const files = page.locator('#file-list');
    await assert.doesNotReject(files.getByText(bad.name).first().waitFor());
    const severity = await page.locator('#file-list .finding.error').count();
    assert.ok(severity >= 1, 'an error finding about the file is shown');
    const group = page.locator(`details.finding-group[data-code="${bad.code}"]`);
    assert.equal(await group.count(), 1, `the ${bad.code} finding is listed`);
    assert.equal(await page.locator('a[data-download="declaration"]').count(), 0);
    // The page recovers: the next file is checked as usual.
    await choose('es003_importer_standard.csv', sampleBytes('es003_importer_standard.csv'));
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 1, blocked: 6 });
    assert.equal(await page.locator('#file-list').getByText(bad.name).count(), 0, 'the old results are gone');
  });
}

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
