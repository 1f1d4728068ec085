// A large export is read by two workers at once (the engine's and a helper,
// each half of the file), and the page shows exactly what the native core
// says of the same file: totals, finding counts, and declarations split
// above 9,999 entries, byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, checkerPage, download, expectNativeTotals, nativeCli, sharedBrowser,
} from './harness.mjs';

let file;
let report;
let nativeDeclarations; // name -> bytes, as `cape-check audit --out` writes them
const shared = sharedBrowser({
  scratch: 'large',
  prepare: (directory) => {
    file = join(directory, 'es003_20000_entries.csv');
    nativeCli(['generate', '--entries', '20000', '--seed', '6', '--out', file]);
    const out = join(directory, 'native');
    report = JSON.parse(nativeCli(['audit', file, '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json', '--out', out]));
    nativeDeclarations = new Map(readdirSync(out).filter((name) => name.startsWith('cape-declaration'))
      .map((name) => [name, readFileSync(join(out, name))]));
  },
});

test('two workers read a 23 MB export; the page agrees with the native core byte for byte', async () => {
  assert.ok(statSync(file).size > 16 << 20, 'large enough to be split (worker.js SPLIT_MIN_BYTES)');
  assert.ok(nativeDeclarations.size >= 2, 'over 9,999 ready entries: several declarations');
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await expectNativeTotals(page, file, report);
    assert.equal(await page.locator('#results').getAttribute('data-helped'), 'true', 'the helper worker read part of it');

    // The finding groups count what the native report holds.
    const counts = new Map();
    for (const entry of report.entries) {
      for (const code of new Set(entry.findings.map((finding) => finding.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    for (const [code, count] of counts) {
      const badge = await page.locator(`details.finding-group[data-code="${code}"] .count-badge`).innerText();
      assert.match(badge, new RegExp(`${count.toLocaleString('en-US')} entr`), `${code}: ${badge}`);
    }

    const links = page.locator('a[data-download="declaration"]');
    assert.equal(await links.count(), nativeDeclarations.size);
    for (let i = 0; i < nativeDeclarations.size; i += 1) {
      const got = await download(page, links.nth(i));
      assert.ok(nativeDeclarations.has(got.name), `${got.name} is a file the native core writes`);
      assert.ok(got.bytes.equals(nativeDeclarations.get(got.name)), `${got.name} byte for byte`);
    }
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
