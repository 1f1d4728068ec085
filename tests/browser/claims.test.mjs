// Several Claim Details downloads at once (issue 24), compared with the
// native command line's report of the same files: a folder chosen (the
// three downloads of tests/data/downloads and the sample ES-003 they go
// with, plus files a folder holds that are not read), the counts, each
// download's date and where it came from, each entry's status and change;
// the re-file declaration byte for byte; a download's date corrected and a
// fix confirmed, each checking the files again at once; a folder dropped;
// and the widget's event, which carries counts only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA, SAMPLES, checkerPage, download, dropFiles, formatAceDate, nativeCli, sharedBrowser, startServer, guardNetwork, widgetFiles,
} from './harness.mjs';

const ACCOUNT = '98-765432100';
const FILING_DATE = '2026-12-03';
const STANDARD = 'es003_importer_standard.csv';
// tests/data/make_downloads.py: three downloads of one importer's claims.
const DOWNLOADS = ['Claim Details 2026-11-28.csv', 'claims_20261130.csv', 'claims.csv'];
const FIX_CONFIRMED = 'XQ710046018'; // failed INVALID HTS twice: filed again only once its fix is confirmed
const CONFLICT = 'XQ710044021'; // accepted, then failed: accepted again once claims.csv is dated first

/** The page's words for the report's values (what the page shows, contract section 7). */
const DATE_FROM = {
  column: 'from its date column', 'file-name': 'from its file name', 'file-date': "from the file's date",
  order: 'no date: the order given', user: 'as you corrected it',
};
const CURRENT = { accepted: 'Accepted', failed: 'Failed', conflict: 'Accepted, then failed' };
const CHANGE = { 'new-reject': 'New reject', corrected: 'Corrected', conflict: 'Conflict', unchanged: 'Unchanged' };

const native = {};

const shared = sharedBrowser({
  scratch: 'claims',
  prepare(directory) {
    // A folder as a user's holds it: the downloads and the export, and files that are not read.
    const folder = join(directory, 'downloads');
    mkdirSync(join(folder, '.cache'), { recursive: true });
    for (const name of DOWNLOADS) {
      const from = join(DATA, 'downloads', name);
      copyFileSync(from, join(folder, name));
      const { atime, mtime } = statSync(from);
      utimesSync(join(folder, name), atime, mtime);
    }
    copyFileSync(join(SAMPLES, STANDARD), join(folder, STANDARD));
    writeFileSync(join(folder, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
    writeFileSync(join(folder, '.cache', 'old.csv'), 'ENTRY_NUMBER,CLAIM_NUMBER,STATUS,ERROR_DESCRIPTION\r\n');
    writeFileSync(join(folder, 'notes.pdf'), '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    native.folder = folder;
    native.files = [join(SAMPLES, STANDARD), ...DOWNLOADS.map((name) => join(DATA, 'downloads', name))];
    const audit = (extra, out) => JSON.parse(nativeCli([
      'audit', ...native.files, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json', '--out', out, ...extra,
    ]));
    native.report = audit([], join(directory, 'out'));
    native.refile = readFileSync(join(directory, 'out', 'cape-refile.csv'));
    native.fixedReport = audit(['--fixed', FIX_CONFIRMED], join(directory, 'out-fixed'));
    native.fixedRefile = readFileSync(join(directory, 'out-fixed', 'cape-refile.csv'));
  },
});

/** The counts the page shows, from a report's `claims` (contract section 7). */
function expectedCounts(claims) {
  const count = (change) => claims.entries.filter((entry) => entry.change === change).length;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const before = claims.downloads.at(-2);
  const lines = [`Since ${formatAceDate(before.date)}: ${plural(count('new-reject'), 'new reject', 'new rejects')}, ${count('corrected')} corrected`];
  if (count('conflict')) lines.push(`${plural(count('conflict'), 'conflict', 'conflicts')} (accepted, then failed: never file again)`);
  const refile = claims.entries.filter((entry) => entry.refile).length;
  lines.push(`To file again now: ${refile ? plural(refile, 'entry', 'entries') : 'none'}`);
  return lines;
}

async function openWithSettings() {
  const opened = await checkerPage(shared.browser, shared.server, 'served');
  await opened.page.locator('[data-testid="ior"]').fill(ACCOUNT);
  await opened.page.locator('[data-testid="as-of"]').fill(FILING_DATE);
  return opened;
}

/**
 * "Choose a folder of downloads": the page's file input opens as a folder
 * picker (webkitdirectory), which is given `folder` as a user would choose it.
 */
async function pickFolder(page, folder) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Choose a folder of downloads' }).click(),
  ]);
  assert.equal(await chooser.element().evaluate((input) => input.webkitdirectory), true, 'a folder picker');
  await chooser.setFiles(folder);
}

/** Chooses the folder and waits for the Claim Details. */
async function chooseFolder(page) {
  await pickFolder(page, native.folder);
  await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
  await page.locator('a[data-download="findings"]').waitFor(); // the downloads are drawn for the last time
}

/** What the page shows of the Claim Details: counts, downloads (in order) and entries. */
async function shownClaims(page) {
  return page.locator('[data-testid="claims"]').evaluate((section) => ({
    counts: [...section.querySelectorAll('[data-testid="claims-counts"] p')].map((p) => p.textContent),
    downloads: [...section.querySelectorAll('.claims-downloads-table tbody tr')].map((row) => ({
      file: row.dataset.file,
      date: row.querySelector('td.date').firstChild.textContent, // less "(same as another)"
      from: row.querySelector('td.from').textContent,
      input: row.querySelector('[data-testid="download-date"]').value,
    })),
    entries: [...section.querySelectorAll('[data-testid="claim-entry"]')].map((item) => ({
      entry: item.dataset.entry,
      current: item.dataset.current,
      change: item.dataset.change,
      refile: item.dataset.refile === 'true',
      currentWords: item.querySelector('.claim-current').textContent,
      changeWords: item.querySelector('.claim-change').textContent,
      timeline: [...item.querySelectorAll('.timeline li')].map((step) => step.textContent),
      action: item.querySelector('.claim-action').textContent,
      fixable: !!item.querySelector('[data-testid="fixed"]'),
    })),
  }));
}

/** Asserts that the page shows `claims` (a report's) in full. */
function expectClaims(shown, claims, what) {
  assert.deepEqual(shown.counts, expectedCounts(claims), `${what}: the counts`);
  assert.deepEqual(shown.downloads.map(({ file, date, from }) => ({ file, date, from })), claims.downloads.map((d) => ({
    file: d.file, date: d.date ? formatAceDate(d.date) : 'no date', from: DATE_FROM[d.date_from],
  })), `${what}: the downloads, oldest first`);
  const byEntry = new Map(shown.entries.map((entry) => [entry.entry, entry]));
  assert.equal(shown.entries.length, claims.entries.length, `${what}: every entry`);
  const dateOf = new Map(claims.downloads.map((d) => [d.file, d.date]));
  for (const entry of claims.entries) {
    const item = byEntry.get(entry.entry_number);
    assert.ok(item, `${what}: ${entry.entry_number} is listed`);
    assert.deepEqual([item.current, item.change, item.refile], [entry.current, entry.change, entry.refile], `${what}: ${entry.entry_number}`);
    assert.deepEqual([item.currentWords, item.changeWords], [CURRENT[entry.current], CHANGE[entry.change]], `${what}: ${entry.entry_number} in words`);
    assert.equal(item.action, `What to do: ${entry.action}`, `${what}: ${entry.entry_number}'s action`);
    assert.deepEqual(item.timeline.map((step) => step.slice(0, 10)), entry.history.map((step) => formatAceDate(dateOf.get(step.download))),
      `${what}: ${entry.entry_number}'s history, oldest first`);
    entry.history.forEach((step, index) => {
      const words = step.status === 'accepted' ? `Accepted (${step.message})` : `Failed: ${step.message}`;
      assert.ok(item.timeline[index].includes(words) && item.timeline[index].includes(`claim ${step.claim_number}`),
        `${what}: ${entry.entry_number}, step ${index + 1}: "${item.timeline[index]}" says ${words}`);
    });
    assert.equal(item.fixable, entry.current === 'failed' && !entry.refile, `${what}: ${entry.entry_number} can be marked as fixed when it failed and is not to file again`);
  }
}

/** Visible text of the page less the names of the user's files: no report codes, no ISO dates, plain words. */
async function expectPlainWords(page, what) {
  let text = await page.evaluate(() => document.body.innerText);
  for (const name of [...DOWNLOADS, STANDARD, 'notes.pdf', 'cape-refile.csv']) text = text.split(name).join('FILE');
  for (const word of [/new-reject/, /claim-status-conflict/, /download-order/, /file-name/, /file-date/, /\bdate_from\b/, /\brefile\b/, /\bnull\b|\bundefined\b/, /\b\d{4}-\d{2}-\d{2}\b/]) {
    assert.doesNotMatch(text, word, `${what}: "${word.exec(text)?.[0]}" on the page`);
  }
}

test('a folder of downloads with the ES-003: the counts, the downloads, each entry as the command line says; files not read listed', async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    // One file input (the page's hook), for several files; a folder through the same input.
    assert.equal(await page.locator('input[type=file]').evaluate((input) => input.multiple), true, 'the file picker takes several files');
    await chooseFolder(page);
    assert.equal(await page.locator('input[type=file]').evaluate((input) => input.webkitdirectory), false, 'files again at the next choice');
    const { claims } = native.report;
    assert.deepEqual(claims.downloads.map((d) => [d.file, d.date_from]),
      [['Claim Details 2026-11-28.csv', 'file-name'], ['claims_20261130.csv', 'file-name'], ['claims.csv', 'column']], 'the fixture');
    expectClaims(await shownClaims(page), claims, 'the folder');
    assert.deepEqual(await page.locator('[data-testid="claims-counts"] p').allInnerTexts(),
      ['Since 11/30/2026: 2 new rejects, 1 corrected', '1 conflict (accepted, then failed: never file again)', 'To file again now: 1 entry']);

    // The files read: the four of the folder, in path order; notes.pdf listed as not read; hidden files not at all.
    const context = await page.locator('#results-context').innerText();
    assert.match(context, /Claim Details 2026-11-28\.csv, claims\.csv, claims_20261130\.csv, es003_importer_standard\.csv$/);
    const listed = await page.locator('#file-list > li').allInnerTexts();
    assert.equal(listed.length, 5, listed.join('\n'));
    assert.match(listed.at(-1), /^notes\.pdf — not read: not a CSV or XLSX file$/);
    assert.ok(!listed.some((line) => /DS_Store|old\.csv/.test(line)), 'hidden files are skipped silently');
    // The totals are the command line's too.
    const summary = await page.locator('[data-testid="summary"]').innerText();
    const { totals } = native.report;
    assert.match(summary, new RegExp(`Ready to file\\s+${totals.ready}\\b[\\s\\S]*To review\\s+${totals.review}\\b[\\s\\S]*Blocked\\s+${totals.blocked}\\b`));

    // Filters: by change and by action.
    await page.locator('#claims-change').selectOption('new-reject');
    assert.deepEqual((await page.locator('[data-testid="claim-entry"]').evaluateAll((items) => items.map((item) => item.dataset.entry))).sort(),
      claims.entries.filter((entry) => entry.change === 'new-reject').map((entry) => entry.entry_number).sort());
    await page.locator('#claims-change').selectOption('');
    await page.locator('#claims-action').selectOption('refile');
    assert.deepEqual(await page.locator('[data-testid="claim-entry"]').evaluateAll((items) => items.map((item) => item.dataset.entry)),
      claims.entries.filter((entry) => entry.refile).map((entry) => entry.entry_number));
    await page.locator('#claims-action').selectOption('not');
    assert.equal(await page.locator('[data-testid="claim-entry"]').count(), claims.entries.filter((entry) => !entry.refile).length);
    await page.locator('#claims-action').selectOption('');

    // The print record: the counts, the downloads and each entry's history.
    const record = await page.locator('#print-record .print-claims').evaluate((node) => node.textContent);
    for (const line of expectedCounts(claims)) assert.ok(record.includes(line), `print record: ${line}`);
    for (const d of claims.downloads) assert.ok(record.includes(`${d.file}: ${formatAceDate(d.date)} (${DATE_FROM[d.date_from]})`), `print record: ${d.file}`);
    for (const entry of claims.entries) {
      for (const step of entry.history) assert.ok(record.includes(step.message), `print record: ${entry.entry_number}, ${step.message}`);
    }
    assert.equal(await page.locator('[data-testid="print-court-deadline"], [data-testid="claims"]').count(), 1, 'each test id is one element');

    await expectPlainWords(page, 'Claim Details');
    assert.deepEqual(await guard.all(), [], 'no request outside the page');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the re-file declaration downloads byte for byte as the command line writes it (the files picked together, then the folder)', async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    // Picked as files: several at once, through the file input.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('#drop-zone').click()]);
    assert.deepEqual([chooser.isMultiple(), await chooser.element().evaluate((input) => input.webkitdirectory)], [true, false], 'a picker of several files');
    await chooser.setFiles(native.files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    await page.locator('a[data-download="findings"]').waitFor();
    expectClaims(await shownClaims(page), native.report.claims, 'the files picked');
    assert.deepEqual((await download(page, page.locator('a[data-download="refile"]'))).bytes, native.refile);
    // The folder.
    await chooseFolder(page);
    const links = page.locator('a[data-download="refile"]');
    assert.equal(await links.count(), 1);
    assert.equal(await links.innerText(), 'Download the re-file declaration (cape-refile.csv)');
    const file = await download(page, links);
    assert.equal(file.name, 'cape-refile.csv');
    assert.deepEqual(file.bytes, native.refile);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

/**
 * A report's `claims` recomputed for another order of its downloads (the
 * page's own first run, with claims.csv dated first): each entry's history
 * in the new order, its current status and its change (contract section 7).
 */
function reordered(claims, order) {
  const rank = new Map(order.map((file, index) => [file, index]));
  const newest = order.at(-1);
  return {
    entries: claims.entries.map((entry) => {
      const history = [...entry.history].sort((a, b) => rank.get(a.download) - rank.get(b.download));
      const last = history.at(-1);
      const acceptedBefore = history.findIndex((step) => step.status === 'accepted');
      const conflict = acceptedBefore >= 0 && history.slice(acceptedBefore + 1).some((step) => step.status === 'failed');
      const current = conflict ? 'conflict' : last.status;
      let change = 'unchanged';
      if (conflict) change = 'conflict';
      else if (last.download === newest && last.status === 'failed'
        && !history.slice(0, -1).some((step) => step.status === 'failed' && step.message === last.message)) change = 'new-reject';
      else if (last.status === 'accepted' && history.some((step) => step.status === 'failed')) change = 'corrected';
      return { ...entry, history, current, change };
    }),
  };
}

test("a download's date corrected: the files are checked again at once, the order and every entry follow", async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    await chooseFolder(page);
    const first = await shownClaims(page);
    const claims = native.report.claims;
    const field = page.locator('[data-testid="download-date"][data-file="claims.csv"]');
    assert.equal(await field.inputValue(), '2026-12-02');
    // The hook of a re-check (#stale): the results on screen are marked until the new ones come (a moment: watched).
    await page.evaluate(() => {
      self.__staleShown = [];
      const stale = document.getElementById('stale');
      new MutationObserver(() => { if (!stale.hidden) self.__staleShown.push(stale.textContent); }).observe(stale, { attributes: true, childList: true });
    });
    await field.fill('2026-11-27');
    await page.locator('.claims-downloads-table tbody tr[data-date-from="user"]').waitFor({ timeout: 30_000 });
    await page.locator('#stale').waitFor({ state: 'hidden' });
    assert.match((await page.evaluate(() => self.__staleShown))[0] ?? '', /Checking the files again/, 'the results were marked while checked again');
    await page.locator('a[data-download="findings"]').waitFor();
    const after = await shownClaims(page);
    // Expected from the first run: claims.csv becomes the oldest download, dated as the user said.
    const dates = { ...Object.fromEntries(claims.downloads.map((d) => [d.file, d.date])), 'claims.csv': '2026-11-27' };
    const expected = reordered(claims, ['claims.csv', 'Claim Details 2026-11-28.csv', 'claims_20261130.csv']);
    assert.deepEqual(after.downloads.map(({ file, date, from, input }) => ({ file, date, from, input })), [
      { file: 'claims.csv', date: '11/27/2026', from: 'as you corrected it', input: '2026-11-27' },
      { file: 'Claim Details 2026-11-28.csv', date: '11/28/2026', from: 'from its file name', input: '2026-11-28' },
      { file: 'claims_20261130.csv', date: '11/30/2026', from: 'from its file name', input: '2026-11-30' },
    ]);
    for (const entry of expected.entries) {
      const shown = after.entries.find((item) => item.entry === entry.entry_number);
      assert.deepEqual([shown.current, shown.change], [entry.current, entry.change], entry.entry_number);
      assert.deepEqual(shown.timeline.map((step) => step.slice(0, 10)), entry.history.map((step) => formatAceDate(dates[step.download])), `${entry.entry_number}: the history in the new order`);
    }
    const conflict = after.entries.find((item) => item.entry === CONFLICT);
    assert.deepEqual([conflict.current, conflict.change], ['accepted', 'corrected'], `${CONFLICT}: failed first now, then accepted`);
    const changed = (change) => expected.entries.filter((entry) => entry.change === change).length;
    assert.equal(after.counts[0], `Since 11/28/2026: ${changed('new-reject')} new reject${changed('new-reject') === 1 ? '' : 's'}, ${changed('corrected')} corrected`);
    assert.notDeepEqual(after.entries.map((e) => [e.entry, e.current, e.change]), first.entries.map((e) => [e.entry, e.current, e.change]));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.file), 'claims.csv', 'the focus stays in the date field');

    // A date that is no date: said next to the field; the results are marked as those of the dates before, not checked again.
    await page.locator('[data-testid="download-date"][data-file="claims.csv"]').evaluate((input) => {
      input.type = 'text';
      input.value = '13/45/2026';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.locator('#stale').filter({ hasText: /problem/ }).waitFor();
    assert.match(await page.locator('.claims-downloads-table .problem').first().innerText(), /MM\/DD\/YYYY/);
    assert.equal(await page.locator('a[data-download]').count(), 0, 'downloads withdrawn meanwhile');
    // Emptied: the download's own date again.
    await page.locator('[data-testid="download-date"][data-file="claims.csv"]').evaluate((input) => {
      input.value = '';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.locator('.claims-downloads-table tbody tr[data-date-from="user"]').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('#stale').waitFor({ state: 'hidden' });
    expectClaims(await shownClaims(page), claims, 'the date given back');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('"I fixed it": the entry is filed again, the re-file declaration equals the command line\'s with --fixed', async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    await chooseFolder(page);
    const box = page.locator(`[data-testid="fixed"][data-entry="${FIX_CONFIRMED}"]`);
    assert.equal(await box.isChecked(), false);
    assert.equal(await page.getByRole('checkbox', { name: new RegExp(`^I fixed it \\(file it again\\)\\W+entry ${FIX_CONFIRMED}$`) }).count(), 1, 'its label names the entry');
    await box.check();
    await page.locator(`[data-testid="claim-entry"][data-entry="${FIX_CONFIRMED}"][data-refile="true"]`).waitFor({ timeout: 30_000 });
    await page.locator('#stale').waitFor({ state: 'hidden' });
    await page.locator('a[data-download="findings"]').waitFor();
    expectClaimsFixed(await shownClaims(page));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.entry), FIX_CONFIRMED, 'the focus stays on the box');
    assert.equal(await page.locator(`[data-testid="fixed"][data-entry="${FIX_CONFIRMED}"]`).isChecked(), true, 'the box stays, ticked');
    const file = await download(page, page.locator('a[data-download="refile"]'));
    assert.deepEqual(file.bytes, native.fixedRefile);
    assert.notDeepEqual(native.fixedRefile, native.refile);

    // Unticked: as before.
    await page.locator(`[data-testid="fixed"][data-entry="${FIX_CONFIRMED}"]`).uncheck();
    await page.locator(`[data-testid="claim-entry"][data-entry="${FIX_CONFIRMED}"][data-refile="false"]`).waitFor({ timeout: 30_000 });
    await page.locator('#stale').waitFor({ state: 'hidden' });
    await page.locator('a[data-download="findings"]').waitFor();
    assert.deepEqual((await download(page, page.locator('a[data-download="refile"]'))).bytes, native.refile);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

function expectClaimsFixed(shown) {
  const claims = native.fixedReport.claims;
  for (const entry of claims.entries) {
    const item = shown.entries.find((candidate) => candidate.entry === entry.entry_number);
    assert.deepEqual([item.current, item.change, item.refile], [entry.current, entry.change, entry.refile], `with the fix confirmed: ${entry.entry_number}`);
  }
  assert.deepEqual(shown.counts, expectedCounts(claims));
}

// Playwright cannot make a drop whose items are folders (a DataTransfer
// made in the page holds files only, and CDP's Input.dispatchDragEvent
// delivers no event to this headless Chromium): the drop event here is
// real, dispatched on the drop zone, and its dataTransfer's items give a
// folder entry tree made in the page with the shape of the File and
// Directory Entries API (createReader, readEntries in batches, file).
test('a dropped folder is read as its files: walked recursively, hidden files skipped, others listed as not read', async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    const files = Object.fromEntries([...DOWNLOADS.map((name) => [name, readFileSync(join(DATA, 'downloads', name)).toString('latin1')]),
      [STANDARD, readFileSync(join(SAMPLES, STANDARD)).toString('latin1')]]);
    await page.evaluate((contents) => {
      const file = (name) => ({ name, isFile: true, isDirectory: false, file: (done) => setTimeout(() => done(new File([contents[name] ?? 'x'], name.split('/').pop())), 5) });
      const folder = (name, children) => ({
        name, isFile: false, isDirectory: true,
        createReader() {
          // Two entries a call, as a browser gives them in batches, then none.
          let at = 0;
          return { readEntries: (done) => setTimeout(() => { done(children.slice(at, at + 2)); at += 2; }, 5) };
        },
      });
      const tree = folder('downloads', [
        file('claims.csv'), file('.DS_Store'), file('notes.pdf'),
        folder('older', [file('Claim Details 2026-11-28.csv'), file('claims_20261130.csv'), folder('.git', [file('HEAD.csv')])]),
        file('es003_importer_standard.csv'), file('~$claims.xlsx'),
      ]);
      const loose = new File(['not read'], 'ignored.txt');
      const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: new DataTransfer() });
      const items = [{ kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => loose }];
      Object.defineProperty(drop, 'dataTransfer', { value: { items, files: [loose], types: ['Files'] } });
      document.getElementById('drop-zone').dispatchEvent(drop);
    }, files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    await page.locator('a[data-download="findings"]').waitFor();
    // In name order, each folder where its name falls: claims.csv, es003_importer_standard.csv, notes.pdf, older/.
    assert.match(await page.locator('#results-context').innerText(),
      /· claims\.csv, es003_importer_standard\.csv, Claim Details 2026-11-28\.csv, claims_20261130\.csv$/, 'the folder\'s files, walked in name order');
    expectClaims(await shownClaims(page), native.report.claims, 'the dropped folder');
    const listed = await page.locator('#file-list > li').allInnerTexts();
    assert.deepEqual(listed.filter((line) => /not read/.test(line)), ['notes.pdf — not read: not a CSV or XLSX file']);
    assert.ok(!listed.some((line) => /DS_Store|HEAD|~\$|ignored/.test(line)), listed.join('\n'));
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the downloads and the export dropped as files, several at once: one check, as the command line says', async () => {
  const { page, guard, errors } = await openWithSettings();
  try {
    await dropFiles(page, native.files.map((path) => ({ name: path.split('/').pop(), bytes: readFileSync(path) })));
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    await page.locator('a[data-download="findings"]').waitFor();
    expectClaims(await shownClaims(page), native.report.claims, 'the files dropped');
    assert.deepEqual((await download(page, page.locator('a[data-download="refile"]'))).bytes, native.refile);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("a download with no date column and no date in its name is dated by the file's date; two of one date are said", async () => {
  // export.csv: the second download's rows under a name without a date, modified on 11/30/2026 (noon UTC:
  // the same day in the page's local time here and in the command line's).
  const exported = join(native.folder, '..', 'export.csv');
  copyFileSync(join(DATA, 'downloads', 'claims_20261130.csv'), exported);
  const noon = new Date('2026-11-30T12:00:00Z');
  utimesSync(exported, noon, noon);
  const files = [...native.files, exported];
  const report = JSON.parse(nativeCli(['audit', ...files, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json']));
  assert.deepEqual(report.claims.downloads.find((d) => d.file === 'export.csv'), { file: 'export.csv', date: '2026-11-30', date_from: 'file-date', rows: 5 });
  const order = report.files.flatMap((file) => file.findings).filter((finding) => finding.code === 'download-order');
  assert.equal(order.length, 1, 'the command line says the two downloads of 11/30/2026');
  const { page, guard, errors } = await openWithSettings();
  try {
    await page.locator('input[type=file]').setInputFiles(files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    await page.locator('a[data-download="findings"]').waitFor();
    expectClaims(await shownClaims(page), report.claims, "dated by the file's date");
    assert.deepEqual(await page.locator('.claims-notes li').allInnerTexts(), order.map((finding) => finding.message));
    assert.deepEqual(await page.locator('.same-date').count(), 2, 'both downloads of 11/30/2026 are marked');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('one download: what it says, with nothing earlier to compare with', async () => {
  const files = [join(SAMPLES, STANDARD), join(DATA, 'downloads', 'claims.csv')];
  const { claims } = JSON.parse(nativeCli(['audit', ...files, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json']));
  assert.deepEqual(claims.entries.filter((entry) => entry.change !== 'unchanged'), [], 'no new reject, no correction with one download');
  const { page, errors } = await openWithSettings();
  try {
    await page.locator('input[type=file]').setInputFiles(files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    const now = (current) => claims.entries.filter((entry) => entry.current === current).length;
    assert.deepEqual((await page.locator('[data-testid="claims-counts"] p').allInnerTexts())[0],
      `One download, of 12/02/2026 (nothing earlier to compare with): ${now('failed')} failed, ${now('accepted')} accepted`);
    assert.equal(await page.locator('[data-testid="claim-entry"]').count(), claims.entries.length);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a folder with nothing to read: said, nothing checked', async () => {
  const { page, errors } = await openWithSettings();
  try {
    const folder = join(native.folder, '..', 'pdf-only');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'notes.pdf'), '%PDF-1.7\n');
    writeFileSync(join(folder, '.DS_Store'), 'x');
    await pickFolder(page, folder);
    await page.locator('#run-problem').filter({ hasText: /no CSV or XLSX file/ }).waitFor();
    assert.match(await page.locator('#run-problem').innerText(), /^The folder holds no CSV or XLSX file, so nothing was checked\. Not read: notes\.pdf\./);
    assert.equal(await page.locator('#results').isVisible(), false);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the widget: the counts and the re-file declaration; its event carries counts only', async () => {
  const host = await startServer(undefined, {
    pages: {
      '/host.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src blob:; style-src 'unsafe-inline'">
<script type="module" src="/widget/cape-check-widget.js"></script></head>
<body><main><h1>Host</h1><cape-check ior="${ACCOUNT}" as-of="${FILING_DATE}"></cape-check></main></body></html>`,
    },
  });
  const page = await shared.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(shared.browser.context, page, [`${host.origin}/host.html`, ...widgetFiles(host.origin)]);
  try {
    await page.addInitScript(() => {
      self.__events = [];
      document.addEventListener('cape-check-done', (event) => self.__events.push(event.detail));
    });
    await page.goto(`${host.origin}/host.html`);
    await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('cape-check input[type=file]').setInputFiles(native.files);
    await page.waitForFunction(() => self.__events.length === 1, null, { timeout: 30_000 });
    const detail = await page.evaluate(() => self.__events[0]);
    const { claims } = native.report;
    assert.deepEqual(detail.claims, {
      downloads: claims.downloads.length,
      newRejects: claims.entries.filter((entry) => entry.change === 'new-reject').length,
      corrected: claims.entries.filter((entry) => entry.change === 'corrected').length,
      conflicts: claims.entries.filter((entry) => entry.change === 'conflict').length,
      refile: claims.entries.filter((entry) => entry.refile).length,
    });
    assert.deepEqual(detail.claims, { downloads: 3, newRejects: 2, corrected: 1, conflicts: 1, refile: 1 });
    assert.deepEqual(Object.keys(detail).sort(), ['account', 'asOf', 'claims', 'declarations', 'files', 'format', 'totals']);
    const said = JSON.stringify(detail);
    assert.doesNotMatch(said.replace('"claims":', ''), /XQ7\d{8}|claims|Claim Details|\.csv|100000300/, `no entry number, file name or claim number: ${said}`);
    assert.deepEqual(await page.locator('cape-check [data-testid="claims-counts"] p').allInnerTexts(), expectedCounts(claims));
    await page.locator('cape-check a[data-download="findings"]').waitFor();
    const file = await download(page, page.locator('cape-check a[data-download="refile"]'));
    assert.equal(file.name, 'cape-refile.csv');
    assert.deepEqual(file.bytes, native.refile);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await host.close();
  }
});

test('an ES-003 marked "exported after filing": how many refunds were applied, and each entry\'s, as the command line says with --after', async () => {
  const after = join(DATA, 'downloads', 'es003_after_filing.csv');
  const files = [...native.files, after];
  const report = JSON.parse(nativeCli(['audit', ...native.files, '--after', after, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json']));
  assert.ok(report.applied, 'the command line says what was applied');
  const { page, guard, errors } = await openWithSettings();
  try {
    await page.locator('input[type=file]').setInputFiles(files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="applied"]').isHidden(), true, 'nothing said before the export is marked');
    // Only ES-003 exports can be marked; the Claim Details cannot.
    const choices = page.locator('[data-testid="after-filing"]');
    assert.deepEqual(await choices.evaluateAll((boxes) => boxes.map((box) => box.dataset.file).sort()), [STANDARD, 'es003_after_filing.csv'].sort());
    await page.locator('[data-testid="after-filing"][data-file="es003_after_filing.csv"]').check();
    await page.locator('[data-testid="applied"]').waitFor({ timeout: 30_000 });
    const counts = await page.locator('[data-testid="applied-counts"] li').evaluateAll((items) => items.map((item) => [item.dataset.applied, item.querySelector('strong').textContent]));
    const { applied } = report;
    assert.deepEqual(counts.map(([key, words]) => [key, Number(words.split(' ')[0])]),
      [['applied', applied.applied], ['pending', applied.pending], ['not-filed', applied.not_filed], ['unknown', applied.unknown]]);
    assert.match(await page.locator('[data-testid="applied"]').innerText(), /es003_after_filing\.csv/);
    assert.match(await page.locator('[data-testid="applied"]').innerText(), /secondary source/, 'says how sure it is');
    // Each entry's status in the Entries table, as the command line's.
    await page.locator('#entries-table tbody tr').first().waitFor();
    const shown = new Map(await page.locator('#entries-table tbody tr').evaluateAll((rows) => rows.map((row) => [
      row.querySelector('td.entry').textContent, row.querySelector('.applied')?.dataset.applied ?? null])));
    const expected = report.entries.filter((entry) => shown.has(entry.entry));
    assert.ok(expected.length >= 5, 'the entries of the export are listed');
    for (const entry of expected) assert.equal(shown.get(entry.entry), entry.applied ?? null, `${entry.entry}'s refund`);
    // Unmarked again: the export is an ordinary one, nothing is said of refunds.
    await page.locator('[data-testid="after-filing"][data-file="es003_after_filing.csv"]').uncheck();
    await page.locator('[data-testid="applied"]').waitFor({ state: 'hidden', timeout: 30_000 });
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a download whose date column Excel saved as ######## is said, with the date used instead; every row is used', async () => {
  const damaged = ['Claim Details 12-05-2026.csv', 'claims_export.csv'].map((name) => join(DATA, 'downloads_damaged', name));
  const files = [join(SAMPLES, STANDARD), ...damaged];
  const report = JSON.parse(nativeCli(['audit', ...files, '--ior', ACCOUNT, '--as-of', FILING_DATE, '--format', 'json']));
  const said = report.files.flatMap((file) => file.findings).filter((finding) => finding.code === 'download-date-unreadable');
  assert.equal(said.length, 2);
  const { page, guard, errors } = await openWithSettings();
  try {
    await page.locator('input[type=file]').setInputFiles(files);
    await page.locator('[data-testid="claims"]').waitFor({ timeout: 30_000 });
    await page.locator('a[data-download="findings"]').waitFor();
    assert.deepEqual(await page.locator('.claims-notes li').allInnerTexts(), said.map((finding) => finding.message));
    expectClaims(await shownClaims(page), report.claims, 'dates that cannot be read');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
