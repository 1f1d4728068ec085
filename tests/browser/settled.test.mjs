// Contract section 7 on the page: an entry with liquidation reason 36 (it
// may have been refunded through CAPE already: a secondary source) is one to
// review that "Include all entries to review" leaves out; a person ticking
// that entry by itself puts it in the declaration.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, checkerPage, download, fillSampleSettings, sharedBrowser, summaryTotals } from './harness.mjs';

const shared = sharedBrowser();
const FILE = 'es003_liquidation_reason_36.csv';

test('"Include all" leaves out an entry that may have been refunded; ticking it by itself includes it', async () => {
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({
      name: FILE, mimeType: 'text/csv', buffer: readFileSync(join(DATA, 'real_shapes', FILE)),
    });
    assert.deepEqual(await summaryTotals(page), { ready: 0, review: 2, blocked: 0 });
    const declaration = page.locator('a[data-download="declaration"]');
    assert.equal(await declaration.count(), 0, 'nothing is ready: no declaration yet');

    await page.locator('#include-all-review').click();
    await declaration.first().waitFor();
    const all = await download(page, declaration.first());
    assert.equal(all.bytes.toString('latin1'), 'Entry Number\r\nXQ710042256\r\n');
    const refunded = page.locator('input[type=checkbox][data-entry="XQ710042173"]');
    await page.locator('input[type=checkbox][data-entry="XQ710042256"]:checked').waitFor();
    assert.equal(await refunded.isChecked(), false, 'the possibly refunded entry stays out');
    assert.match(await page.locator('table.entries').innerText(), /liquidation reason 36/);

    const before = await declaration.first().getAttribute('href');
    await refunded.check();
    // The link is drawn again for the new choice.
    await page.waitForFunction((old) => {
      const link = document.querySelector('a[data-download="declaration"]');
      return link && link.getAttribute('href') !== old;
    }, before, { timeout: 10_000 });
    const both = await download(page, declaration.first());
    assert.equal(both.bytes.toString('latin1'), 'Entry Number\r\nXQ710042173\r\nXQ710042256\r\n');
    assert.deepEqual(await guard.all(), [], 'no request outside the page');
    assert.deepEqual(errors, [], 'no script error');
  } finally {
    await page.close();
  }
});
