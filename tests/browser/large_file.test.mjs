// A large export is read by one worker a core at once (the engine's and its
// helpers, each a part of the file), and the page shows exactly what the
// native core says of the same file: totals, finding counts, and
// declarations split above 9,999 entries, byte for byte; with two parts
// and with four (the page made to see four cores). And when a helper's part
// cannot be joined exactly (rows of the first part repeated in the last, as
// in overlapping exports), the engine reads it again itself: same results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, checkerPage, download, expectNativeTotals, nativeCli, sharedBrowser,
} from './harness.mjs';

/** A generated export and what the native core writes for it. */
function native(directory, name, extra = null) {
  const file = join(directory, `${name}.csv`);
  nativeCli(['generate', '--entries', '20000', '--seed', '6', '--out', file]);
  if (extra) appendFileSync(file, extra(readFileSync(file, 'latin1')), 'latin1');
  const out = join(directory, `${name}-native`);
  const report = JSON.parse(nativeCli(['audit', file, '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json', '--out', out]));
  const declarations = new Map(readdirSync(out).filter((entry) => entry.startsWith('cape-declaration'))
    .map((entry) => [entry, readFileSync(join(out, entry))]));
  return { file, report, declarations };
}

let plain;
let overlapping;
const shared = sharedBrowser({
  scratch: 'large',
  prepare: (directory) => {
    plain = native(directory, 'es003_20000_entries');
    // The first 2,000 data rows again at the end: the second half repeats
    // tariff lines of entries the first half holds.
    overlapping = native(directory, 'es003_overlapping', (text) => text.split('\r\n').slice(1, 2001).join('\r\n') + '\r\n');
  },
});

/** Checks the file on the page: totals and declarations as the native core gives them. */
async function expectNative(page, { file, report, declarations }) {
  await expectNativeTotals(page, file, report);
  const links = page.locator('a[data-download="declaration"]');
  assert.equal(await links.count(), declarations.size);
  for (let i = 0; i < declarations.size; i += 1) {
    const got = await download(page, links.nth(i));
    assert.ok(declarations.has(got.name), `${got.name} is a file the native core writes`);
    assert.ok(got.bytes.equals(declarations.get(got.name)), `${got.name} byte for byte`);
  }
}

test('two workers read a 23 MB export; the page agrees with the native core byte for byte', async () => {
  const { file, report, declarations } = plain;
  assert.ok(statSync(file).size > 16 << 20, 'large enough to be split (worker.js SPLIT_MIN_BYTES)');
  assert.ok(declarations.size >= 2, 'over 9,999 ready entries: several declarations');
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await expectNative(page, plain);
    assert.equal(await page.locator('#results').getAttribute('data-helped'), 'true', 'the helper worker read part of it');
    assert.equal(await page.locator('#results').getAttribute('data-joined-files'), '1', 'and its rows were joined');

    // The finding groups count what the native report holds.
    const counts = new Map();
    for (const entry of report.entries) {
      for (const code of new Set(entry.findings.map((finding) => finding.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    // (A code may be listed under two severities: the entries add up.)
    await page.locator('a[data-download="findings"]').waitFor(); // the groups split by severity come with it
    for (const [code, count] of counts) {
      const badges = await page.locator(`.finding-group[data-code="${code}"] .count-badge`).allInnerTexts();
      const shown = badges.reduce((sum, badge) => sum + Number((/([\d,]+) entr/.exec(badge)?.[1] ?? '0').replace(/,/g, '')), 0);
      assert.equal(shown, count, `${code}: ${badges.join(' + ')}`);
    }
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a helper part that cannot be joined exactly is read again by the engine: the same results', async () => {
  assert.ok(overlapping.report.entries.some((entry) => entry.findings.some((finding) => finding.code === 'duplicate-rows')));
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await expectNative(page, overlapping);
    assert.equal(await page.locator('#results').getAttribute('data-helped'), 'true');
    assert.equal(await page.locator('#results').getAttribute('data-joined-files'), '0', 'the join was refused');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('on four cores four workers read it in four parts, joined in order: the same results', async () => {
  for (const [file, joinedFiles] of [[plain, '1'], [overlapping, '0']]) {
    // The overlapping export: the last part repeats rows of the first, so
    // its join is refused and the engine reads it; the others still join.
    const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served', { cores: 4 });
    try {
      await expectNative(page, file);
      const results = page.locator('#results');
      assert.equal(await results.getAttribute('data-helped'), 'true');
      assert.equal(await results.getAttribute('data-joined-files'), joinedFiles);
      assert.equal(JSON.parse(await results.getAttribute('data-split-ms')).parts, 4);
      assert.deepEqual(await guard.all(), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }
});
