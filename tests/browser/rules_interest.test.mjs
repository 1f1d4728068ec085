// The rules and the interest of issue 11, as the page and the widget show
// them: "CBP rules as of" the rule set's edition with the results; "What is
// checked" made from the engine's rule book (every rule, its source and its
// confidence); the interest estimate next to the IEEPA duty on each card,
// said to be an estimate, with its basis (to the assumed (re)liquidation, the
// rate used, CBP's rates; december.test.mjs has the non-corporate rate); the
// interest in the entries table;
// the widget's event carries the interest totals.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  ROOT, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, SAMPLES, checkerPage, fillSampleSettings, formatAceDate, formatDollars, nativeCli,
  sampleBytes, sharedBrowser, summaryTotals,
} from './harness.mjs';

const shared = sharedBrowser();
const STANDARD = 'es003_importer_standard.csv';

test('rules as of, What is checked from the rule book, interest on the cards and in the table', async () => {
  const report = JSON.parse(nativeCli(['audit', join(SAMPLES, STANDARD), '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    // What is checked: the engine's own rule book, every rule in order, with its source and confidence.
    const book = await page.workers()[0].evaluate(() => capeCheckCsv.ruleBook());
    assert.ok(book.rules.length >= 10, `${book.rules.length} rules`);
    const panel = page.locator('#rule-book');
    await panel.locator('summary').click();
    const items = panel.locator('li.rule');
    assert.equal(await items.count(), book.rules.length);
    const ace = (text) => text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$2/$3/$1');
    for (let i = 0; i < book.rules.length; i += 1) {
      const rule = book.rules[i];
      const shown = await items.nth(i).innerText();
      assert.ok(shown.includes(ace(rule.rule)), `rule ${i}: ${rule.rule}`);
      assert.ok(shown.includes(ace(rule.source)), `rule ${i}: its source`);
      assert.ok(shown.includes(ace(rule.check)), `rule ${i}: what cape-check does`);
      if (rule.from) assert.ok(shown.startsWith(`From ${formatAceDate(rule.from)}: `), `rule ${i}: from ${rule.from}`);
      assert.match(shown, rule.confidence === 'CBP' ? /Published by CBP/ : /Reported by others/);
    }
    assert.match(await panel.locator('#rule-book-intro').innerText(), new RegExp(`as of ${formatAceDate(book.edition).replace(/\//g, '\\/')}`));

    await fillSampleSettings(page);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await summaryTotals(page);
    assert.equal(await page.locator('#rules-edition').innerText(), `CBP rules as of ${formatAceDate(report.rules.edition)}`);

    // Each card: the duty, and the interest labelled as an estimate.
    for (const verdict of ['ready', 'review', 'blocked']) {
      const card = await page.locator(`[data-testid="summary"] [data-verdict="${verdict}"]`).innerText();
      assert.match(card, new RegExp(`IEEPA duty ${formatDollars(report.totals[`ieepa_duty_${verdict}`]).replace(/[$.]/g, '\\$&')}`));
      assert.match(card, new RegExp(`Interest, estimated: ${formatDollars(report.totals[`interest_estimate_${verdict}`]).replace(/[$.]/g, '\\$&')}`));
    }
    // The note: an estimate, to the assumed (re)liquidation, paid within 30 days of it, at the corporate rate by default.
    const note = page.locator('#interest-note');
    const short = await note.locator('.interest-short').innerText();
    assert.match(short, /^Interest is an estimate, not an amount CBP has confirmed\./);
    assert.ok(short.includes(`It runs to ${formatAceDate(report.interest.ends)}, the assumed (re)liquidation`), short);
    assert.ok(short.includes('interest runs to (re)liquidation; CBP pays within 30 days of it'), short);
    assert.ok(short.includes(`refund is expected from about ${formatAceDate(report.interest.refund_date)}`), short);
    assert.equal(report.interest.rate_column, 'corporate');
    assert.match(await note.locator('.interest-rate').innerText(), /^Rate used: CBP's corporate rate, compounded daily/);
    await note.locator('summary').click();
    assert.match(await note.locator('.basis').innerText(), /compounded daily/i);
    assert.equal(await note.locator('table.rates tbody tr').count(), report.interest.rates.length, 'every rate of CBP\'s table, with its source');

    // The table's interest column: each entry's estimate as the native core gives it.
    const shown = await page.locator('table.entries tbody tr').evaluateAll((rows) => rows.map((row) => [
      row.querySelector('td.entry').textContent, row.querySelectorAll('td.money')[1].textContent]));
    assert.deepEqual(shown, report.entries.map((entry) => [entry.entry, formatDollars(entry.interest_estimate)]));
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the widget: the interest totals in cape-check-done, and typed in its .d.ts', async () => {
  const types = readFileSync(join(ROOT, 'www', 'widget.d.ts'), 'utf8');
  for (const field of ['interest_estimate_ready', 'interest_estimate_review', 'interest_estimate_blocked']) assert.match(types, new RegExp(`${field}: string`));
  const report = JSON.parse(nativeCli(['audit', join(SAMPLES, STANDARD), '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
  const page = await shared.browser.context.newPage();
  try {
    await page.goto(`${shared.server.origin}/embed-example.html`);
    await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    await page.evaluate(() => document.addEventListener('cape-check-done', (event) => { self.__detail = event.detail; }));
    await page.locator('cape-check input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    const detail = await page.waitForFunction(() => self.__detail, null, { timeout: 30_000 }).then((handle) => handle.jsonValue());
    for (const verdict of ['ready', 'review', 'blocked']) {
      assert.equal(detail.totals[`interest_estimate_${verdict}`], report.totals[`interest_estimate_${verdict}`]);
    }
    const card = await page.locator('cape-check [data-verdict="ready"]').innerText();
    assert.match(card, new RegExp(`Interest, estimated: ${formatDollars(report.totals.interest_estimate_ready).replace(/[$.]/g, '\\$&')}`));
    assert.match(await page.locator('cape-check .checked').innerText(), new RegExp(`CBP rules as of ${formatAceDate(report.rules.edition).replace(/\//g, '\\/')}`));
  } finally {
    await page.close();
  }
});
