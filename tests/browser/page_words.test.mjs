// What a compliance manager reads (issue 13): runs without an ES-003 say
// the duty is unknown and only the numbers were checked; an edited
// declaration gets one alert; findings lead with a plain title and their
// explanation, split by severity, the code after; no programmer's words;
// one date format; right plurals; placeholders that cannot pass for data;
// a warning for an unlikely filing date; on a phone, entries are cards; in
// the table, the focus, the pagers and the labels of the include boxes; the
// December additions (the court deadline, the settings about the importer,
// the interest's rates) in the same words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA, SAMPLE_FILING_DATE, checkerPage, dropFiles, fillSampleSettings, sampleBytes, sharedBrowser, summaryTotals,
} from './harness.mjs';

const shared = sharedBrowser();
const data = (path) => readFileSync(join(DATA, path));
const STANDARD = 'es003_importer_standard.csv';

/** Words of a programmer, never on the page (issue 13, item 5). */
const PROGRAMMER_WORDS = /--ior|--filer|--out\b|--as-of|EOCD|NUL bytes|byte order mark|Phase 1 lane|\bundefined\b|\bnull\b|\bNaN\b|\[object /;
/** A date as YYYY-MM-DD: the page writes MM/DD/YYYY, as ACE does. */
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
/** A count of one with a plural noun, or "these 1". */
const BAD_PLURAL = /(^|[^\d,.])1 (entries|rows|files|kinds|problems|rules)\b|these 1\b/;

/** The text a user sees (visible elements only), without the file names the user gave. */
async function visibleText(page) {
  return page.evaluate(() => document.body.innerText);
}

async function expectPlainWords(page, what) {
  const text = await visibleText(page);
  assert.doesNotMatch(text, PROGRAMMER_WORDS, `${what}: ${PROGRAMMER_WORDS.exec(text)?.[0]}`);
  assert.doesNotMatch(text, ISO_DATE, `${what}: a date written ${ISO_DATE.exec(text)?.[0]}`);
  assert.doesNotMatch(text, BAD_PLURAL, `${what}: "${BAD_PLURAL.exec(text)?.[0]}"`);
}

test('a declaration alone: duty unknown, numbers checked only, one alert with the news first', async () => {
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
    await dropFiles(page, [{ name: 'excel_edited.csv', bytes: data('declarations/excel_edited.csv') }]);
    assert.deepEqual(await summaryTotals(page), { ready: 3, review: 0, blocked: 2 });
    const cards = page.locator('[data-testid="summary"] .verdict-card');
    for (const text of await cards.allInnerTexts()) {
      assert.match(text, /IEEPA duty unknown: no ES-003 given/);
      assert.doesNotMatch(text, /\$0\.00/);
    }
    assert.match(await cards.filter({ hasText: 'Ready to file' }).innerText(), /Number checked, eligibility not checked/);

    // One alert for the file, saying first that a corrected declaration is ready.
    const alerts = page.locator('#file-problems .file-problem');
    assert.equal(await alerts.count(), 1);
    const first = (await alerts.locator('p').first().innerText());
    assert.match(first, /^excel_edited\.csv: CAPE would reject this declaration as it is \(\d problems, listed under Files read\)\. The CAPE Declaration under Downloads holds its entries that pass, corrected/);
    await page.locator('#announcer').filter({ hasText: /Done/ }).waitFor();
    const said = await page.locator('#announcer').innerText();
    assert.equal(said.split('excel_edited.csv').length - 1, 1, `announced once: ${said}`);
    // The entries table: the duty is unknown there too.
    assert.deepEqual([...new Set(await page.locator('table.entries td.money').allInnerTexts())], ['unknown']);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Claim Details alone: duty unknown; findings split by severity, each with its title, its explanation in view and its code after', async () => {
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
    await dropFiles(page, [{ name: 'claim_details.csv', bytes: data('claims/claim_details.csv') }]);
    await summaryTotals(page);
    assert.match(await page.locator('[data-testid="summary"]').innerText(), /IEEPA duty unknown: no ES-003 given/);
    // previously-rejected is an error, a warning or a note, by CBP's message: three groups, once findings.csv is written.
    await page.locator('a[data-download="findings"]').waitFor();
    const groups = page.locator('.finding-group[data-code="previously-rejected"]');
    await page.waitForFunction(() => document.querySelectorAll('.finding-group[data-code="previously-rejected"]').length === 3);
    assert.deepEqual((await groups.evaluateAll((nodes) => nodes.map((node) => node.dataset.severity))).sort(), ['error', 'info', 'warning']);
    for (const group of await page.locator('.finding-group').all()) {
      const severity = await group.getAttribute('data-severity');
      assert.equal(await group.evaluate((node) => node.closest('.finding-severity').dataset.severity), severity, 'each group under its severity');
      const title = await group.locator('.finding-title').innerText();
      const code = await group.getAttribute('data-code');
      assert.notEqual(title, code, 'a plain title, not the code');
      assert.ok(await group.locator('.explanation').isVisible(), `${code}: the explanation is in view`);
      assert.ok((await group.locator('.explanation').innerText()).length > 20);
      assert.equal(await group.locator('code').isVisible(), false, `${code}: the code is secondary (with the examples)`);
    }
    await expectPlainWords(page, 'Claim Details');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the standard sample: plain words, one date format, right plurals; placeholders that cannot pass for data', async () => {
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    const placeholders = await page.evaluate(() => [...document.querySelectorAll('input[placeholder]')].map((input) => [input.id, input.placeholder]));
    for (const [id, placeholder] of placeholders) {
      assert.doesNotMatch(placeholder, /^\d{2}-\d{7}[0-9A-Z]{2}$|^[A-Z0-9]{3}$|^[A-Z0-9]{3}\d{8}$/, `${id}: "${placeholder}" looks like data`);
    }
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await summaryTotals(page);
    await page.locator('a[data-download="findings"]').waitFor();
    await expectPlainWords(page, 'standard sample');
    assert.match(await page.locator('#results-context').innerText(), /^Filing date 11\/22\/2026 · importer 98-765432100/);
    // One entry to review: singular words.
    assert.equal(await page.locator('#include-all-review').innerText(), 'Include the entry to review');
    const ones = page.locator('.finding-group').filter({ has: page.locator('h5', { hasText: /— 1 entry$/ }) });
    assert.ok(await ones.count() > 0);
    assert.equal(await ones.first().getByRole('button').innerText(), 'Show this entry in the table');
    // And the page before any run: no programmer's words either.
    const empty = await checkerPage(shared.browser, shared.server, 'served');
    await expectPlainWords(empty.page, 'the empty page');
    await empty.page.close();
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('December: the court-deadline notice, the settings about the importer, the interest to (re)liquidation and its rates: plain words', async () => {
  const { page, errors } = await checkerPage(shared.browser, shared.server, 'served');
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
    assert.match(await page.locator('#results > [data-testid="court-deadline"]').innerText(), /^1 entry: /);
    // The report's words for the rate column and the rates' confidence are said in words.
    assert.doesNotMatch(await page.locator('#interest-note').innerText(), /non_corporate|rate_column|\bconfidence\b|single source;/);
    await expectPlainWords(page, 'December settings, court deadline, rates');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a filing date in the past or months ahead is warned about; today is not', async () => {
  const { page } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    const warning = page.locator('#as-of-warning');
    assert.equal(await warning.innerText(), '', 'today: no warning');
    await page.locator('[data-testid="as-of"]').fill('2020-01-02');
    await warning.filter({ hasText: /01\/02\/2020 is in the past/ }).waitFor();
    const ahead = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('[data-testid="as-of"]').fill(ahead);
    await warning.filter({ hasText: /days from today.*Is the year right\?/ }).waitFor();
    const soon = new Date(Date.now() + 20 * 86_400_000);
    const local = `${soon.getFullYear()}-${String(soon.getMonth() + 1).padStart(2, '0')}-${String(soon.getDate()).padStart(2, '0')}`;
    await page.locator('[data-testid="as-of"]').fill(local);
    await warning.filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
  } finally {
    await page.close();
  }
});

test('on a phone, entries are cards: nothing scrolls sideways, the include box is in view, numbers unbroken', async () => {
  const page = await shared.browser.context.newPage();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(shared.server.url);
    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await summaryTotals(page);
    await page.locator('table.entries tbody tr').first().waitFor();
    assert.equal(await page.locator('table.entries tbody tr').first().evaluate((row) => getComputedStyle(row).display), 'block');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling');
    const box = page.locator('table.entries input[type=checkbox]').first();
    await box.scrollIntoViewIfNeeded();
    const where = await box.boundingBox();
    assert.ok(where.x >= 0 && where.x + where.width <= 390, `the include box is in view: ${JSON.stringify(where)}`);
    const lines = await page.locator('table.entries td.entry, table.entries td.importer').evaluateAll((cells) => cells.map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }));
    assert.ok(lines.every((count) => count === 1), `entry and importer numbers on one line: ${lines}`);
  } finally {
    await page.close();
  }
});

test('the include box keeps the focus after Space, and says which entry it includes', async () => {
  const { page } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
    await page.locator('input[type=file]').setInputFiles({
      name: 'es003_default_no_liquidation_with_preamble.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_default_no_liquidation_with_preamble.csv'),
    });
    await summaryTotals(page);
    const box = page.getByRole('checkbox', { name: 'include Z9Z30000114 in the declaration' });
    await box.focus();
    await page.keyboard.press('Space');
    await page.locator('a[data-download="declaration"]').waitFor();
    await page.waitForFunction(() => document.activeElement?.dataset?.entry === 'Z9Z30000114', null, { timeout: 5000 });
    assert.equal(await page.getByRole('checkbox', { name: 'include Z9Z30000114 in the declaration' }).isChecked(), true);
    await page.keyboard.press('Space');
    await page.locator('a[data-download="declaration"]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.entry), 'Z9Z30000114', 'still there after the second Space');
  } finally {
    await page.close();
  }
});
