// The entries table on a generated export of 3,000 entries, against the
// native core's report of the same file: pages of 50 rows (never more in
// the DOM), filters by verdict and finding code, search by entry number,
// and an entry to review included from the table into the declaration.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, checkerPage, download, expectNativeTotals, nativeCli, sharedBrowser,
} from './harness.mjs';

let file;
let report; // the native core's, for the same file and settings
const shared = sharedBrowser({
  scratch: 'table',
  prepare: (directory) => {
    file = join(directory, 'es003_3000_entries.csv');
    nativeCli(['generate', '--entries', '3000', '--seed', '4', '--out', file]);
    report = JSON.parse(nativeCli(['audit', file, '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
  },
});

const shownEntries = (page) => page.locator('table.entries tbody tr td.entry').allInnerTexts();
const entriesWith = (predicate) => report.entries.filter(predicate).map((entry) => entry.entry);

/** Waits until the table shows these entries (the page asks the worker for each page). */
async function expectRows(page, expected, what) {
  await page.waitForFunction((first) => document.querySelector('table.entries tbody td.entry')?.textContent === first,
    expected[0], { timeout: 10_000 }).catch(() => {});
  assert.deepEqual(await shownEntries(page), expected, what);
}

test('pages, filters and search over 3,000 entries agree with the native core', async () => {
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await expectNativeTotals(page, file, report);

    const all = report.entries.map((entry) => entry.entry);
    await expectRows(page, all.slice(0, 50), 'the first page, in report order');
    assert.equal(await page.locator('#entries-status').innerText(), '3,000 entries');
    assert.match(await page.locator('#page-info').innerText(), /Entries 1.50 of 3,000, page 1 of 60/);
    await page.locator('#page-next').click();
    await expectRows(page, all.slice(50, 100), 'the second page');
    // A pager above the table and one below it; after paging, the focus is on the
    // line that says which entries are shown, with the top of the table in view.
    assert.match(await page.locator('#page-info-bottom').innerText(), /Entries 51.100 of 3,000, page 2 of 60/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'entries-status');
    await page.locator('#page-previous-bottom').click();
    await expectRows(page, all.slice(0, 50), 'back to the first page, from the bottom pager');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'entries-status');
    const top = await page.locator('#entries-status').evaluate((node) => [node.getBoundingClientRect().top, innerHeight]);
    assert.ok(top[0] >= -1 && top[0] < top[1], `the top of the table is in view: ${top}`);
    await page.locator('#page-next').click();
    await expectRows(page, all.slice(50, 100), 'the second page again');

    const blocked = entriesWith((entry) => entry.verdict === 'blocked');
    await page.locator('#filter-verdict').selectOption('blocked');
    await expectRows(page, blocked.slice(0, 50), 'blocked entries, from the first page again');
    assert.equal(await page.locator('#entries-status').innerText(), `${blocked.length.toLocaleString('en-US')} of 3,000 entries match`);
    assert.deepEqual([...new Set(await page.locator('table.entries tbody .verdict').allInnerTexts())], ['blocked']);
    await page.locator('#page-next').click();
    await expectRows(page, blocked.slice(50, 100), 'the second page of blocked entries');

    // A finding group's button filters the table by its code (and clears the verdict).
    const mismatch = entriesWith((entry) => entry.findings.some((finding) => finding.code === 'importer-mismatch'));
    assert.ok(mismatch.length > 50, `${mismatch.length} entries with importer-mismatch`);
    const group = page.locator('.finding-group[data-code="importer-mismatch"]');
    await group.getByRole('button', { name: /Show these/ }).click();
    await expectRows(page, mismatch.slice(0, 50), 'entries with importer-mismatch');
    assert.equal(await page.locator('#filter-code').inputValue(), 'importer-mismatch');

    // Search: the user types an entry number with dashes, in lower case.
    await page.locator('#filter-code').selectOption('');
    const wanted = report.entries.find((entry) => /^[A-Z]{2}\d{9}$/.test(entry.entry) && entry.verdict === 'review').entry;
    const typed = `${wanted.slice(0, 3)}-${wanted.slice(3, 10)}-${wanted.slice(10)}`.toLowerCase();
    await page.locator('#filter-entry').fill(typed);
    await expectRows(page, [wanted], `search for ${typed}`);

    // Never more than one page of rows in the DOM.
    await page.locator('#filter-entry').fill('');
    await expectRows(page, all.slice(0, 50), 'the search cleared');
    assert.equal(await page.locator('table.entries tbody tr').count(), 50);

    // Include that entry to review from the table: the declaration gets it,
    // in report order, after the ready entries before it.
    await page.locator('#filter-entry').fill(wanted);
    await expectRows(page, [wanted], 'the entry to include');
    await page.locator(`input[type=checkbox][data-entry="${wanted}"]`).check();
    const index = all.indexOf(wanted);
    const expected = report.entries.filter((entry, i) => entry.verdict === 'ready' || i === index).map((entry) => entry.entry);
    await page.locator('#announcer').filter({ hasText: /1 reviewed entry included/ }).waitFor();
    const declaration = await download(page, page.locator('a[data-download="declaration"]').first());
    assert.equal(declaration.bytes.toString('latin1'), `Entry Number\r\n${expected.join('\r\n')}\r\n`);
    assert.equal(await page.locator(`input[type=checkbox][data-entry="${wanted}"]`).isChecked(), true, 'the box stays ticked when the page is drawn again');

    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
