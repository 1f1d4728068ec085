// The law as it stands in December 2026 (issue 23), as the page and the
// widget show it: the court deadline said before anything else (and in the
// print record); the two settings about the importer ("not a corporation":
// interest at CBP's non-corporate rate; "a plaintiff at the Court of
// International Trade, registered for Phase 3": entries outside the 80-day
// window to review instead of blocked), each checked against the native
// command line with the same settings; the interest's basis: where it
// stops, the rate used and CBP's table of rates with their sources.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST, SAMPLE_ACCOUNT, SAMPLES, checkerPage, download, formatAceDate, formatDollars, guardNetwork, nativeCli, sampleBytes, sharedBrowser,
  startServer, summaryTotals, widgetFiles,
} from './harness.mjs';

const shared = sharedBrowser();
const STANDARD = 'es003_importer_standard.csv';
/** The entry of the sample liquidated outside the 80-day window at these filing dates. */
const OUTSIDE = 'XQ710030186';

/** The native core's JSON report of the standard sample, with the account, `asOf` and the command line's `flags`. */
function cliReport(asOf, flags = []) {
  return JSON.parse(nativeCli(['audit', join(SAMPLES, STANDARD), '--ior', SAMPLE_ACCOUNT, '--as-of', asOf, ...flags, '--format', 'json']));
}

/** The declaration the command line writes with these settings (bytes), or null when it writes none. */
function cliDeclaration(asOf, flags = []) {
  const out = mkdtempSync(join(tmpdir(), 'cape-check-december-'));
  try {
    nativeCli(['audit', join(SAMPLES, STANDARD), '--ior', SAMPLE_ACCOUNT, '--as-of', asOf, ...flags, '--out', out]);
    try {
      return readFileSync(join(out, 'cape-declaration.csv'));
    } catch {
      return null;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** What the page and the widget say of a report's court deadlines: "1 entry: a court action may be time-barred from MM/DD/YYYY: ask counsel now." */
function courtWords(report) {
  const { entries, earliest } = report.court_deadline_near;
  return `${entries} ${entries === 1 ? 'entry' : 'entries'}: a court action may be time-barred from ${formatAceDate(earliest)}: ask counsel now.`;
}

const escape = (text) => text.replace(/[$.()/?*+[\]\\^{}|]/g, '\\$&');

/** Waits until the results shown are those of a run whose context line matches `pattern`, and current. */
async function resultsFor(page, pattern) {
  await page.locator('#results-context').filter({ hasText: pattern }).waitFor({ timeout: 30_000 });
  await page.locator('#stale').waitFor({ state: 'hidden' });
  return summaryTotals(page);
}

/** The totals of a report as the summary shows them. */
const counts = (report) => ({ ready: report.totals.ready, review: report.totals.review, blocked: report.totals.blocked });

/**
 * The court-deadline notice on the page is what the native core says for
 * that filing date: shown first in the results (right under their heading,
 * above everything else) and in the print record, or absent.
 */
async function expectCourtNotice(page, report) {
  const notice = page.locator('#results > [data-testid="court-deadline"]');
  const printed = page.locator('#print-record [data-testid="print-court-deadline"]');
  await page.locator('#print-record .print-header').waitFor({ state: 'attached' });
  if (report.court_deadline_near.entries === 0) {
    assert.equal(await notice.isVisible(), false, `no notice at ${report.as_of}`);
    assert.equal(await printed.count(), 0, `no notice in the print record at ${report.as_of}`);
    return;
  }
  const words = courtWords(report);
  assert.ok(await notice.isVisible(), `the notice at ${report.as_of}`);
  assert.equal(await notice.locator('.court-deadline-text').innerText(), words);
  // First: the results' first visible element after their heading, above the summary and any file problem.
  const order = await page.evaluate(() => {
    const visible = [...document.getElementById('results').children]
      .filter((node) => node.offsetParent !== null && node.id !== 'results-title');
    return visible.map((node) => node.id || node.className);
  });
  assert.equal(order[0], 'court-deadline', `shown first: ${order.join(', ')}`);
  assert.ok(order.indexOf('court-deadline') < order.indexOf('summary-slot'));
  const top = async (locator) => (await locator.boundingBox()).y;
  assert.ok(await top(notice) < await top(page.locator('[data-testid="summary"]')), 'above the summary');
  assert.equal(await printed.textContent(), words, 'in the print record');
  // Its entries are one click away in the table.
  const expected = report.entries.filter((entry) => entry.findings.some((finding) => finding.code === 'court-deadline-near')).map((entry) => entry.entry);
  await notice.getByRole('button').click();
  assert.equal(await page.locator('#filter-code').inputValue(), 'court-deadline-near');
  await page.waitForFunction((n) => document.querySelectorAll('table.entries tbody tr').length === n, expected.length, { timeout: 10_000 });
  assert.deepEqual(await page.locator('table.entries tbody td.entry').allInnerTexts(), expected);
}

test('the court deadline: said first, as the native core says it, in the results and the print record; absent when none is near', async () => {
  // The filing dates of the brief: 01/15/2027 and 11/22/2026; and 09/01/2027, 45 days before
  // the court deadline of the sample's entry outside the window (deposited 10/16/2025).
  const reports = Object.fromEntries(['2027-01-15', '2026-11-22', '2027-09-01'].map((asOf) => [asOf, cliReport(asOf)]));
  assert.equal(reports['2026-11-22'].court_deadline_near.entries, 0, 'the native core: none near on 11/22/2026');
  assert.equal(reports['2027-09-01'].court_deadline_near.entries, 1, 'the native core: one near on 09/01/2027');
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    await page.locator('[data-testid="ior"]').fill(SAMPLE_ACCOUNT);
    await page.locator('[data-testid="as-of"]').fill('2027-01-15');
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    for (const [asOf, report] of Object.entries(reports)) {
      await page.locator('[data-testid="as-of"]').fill(asOf);
      assert.deepEqual(await resultsFor(page, new RegExp(`Filing date ${escape(formatAceDate(asOf))}`)), counts(report), asOf);
      await expectCourtNotice(page, report);
    }
    // "1 entry", in words a compliance manager reads.
    assert.match(await page.locator('#results > [data-testid="court-deadline"]').innerText(), /^1 entry: a court action may be time-barred from 10\/16\/2027: ask counsel now\./);
    // The finding has a plain title.
    assert.equal(await page.locator('.finding-group[data-code="court-deadline-near"] .finding-title').first().innerText(), 'A court action may soon be too late');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a plaintiff at the Court of International Trade: the entry outside the window goes from blocked to review; the declaration stays the same', async () => {
  const asOf = '2026-11-22';
  const plain = cliReport(asOf);
  const plaintiff = cliReport(asOf, ['--cit-plaintiff']);
  const verdictOf = (report) => report.entries.find((entry) => entry.entry === OUTSIDE).verdict;
  assert.deepEqual([verdictOf(plain), verdictOf(plaintiff)], ['blocked', 'review'], 'the native core');
  assert.deepEqual([counts(plain), counts(plaintiff)], [{ ready: 3, review: 1, blocked: 6 }, { ready: 3, review: 2, blocked: 5 }]);
  const declaration = cliDeclaration(asOf, ['--cit-plaintiff']);
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    const box = page.locator('[data-testid="cit-plaintiff"]');
    assert.equal(await box.isChecked(), false, 'off by default');
    assert.equal(await page.getByLabel('The importer is a plaintiff at the Court of International Trade, registered for Phase 3').count(), 1);
    await page.locator('[data-testid="ior"]').fill(SAMPLE_ACCOUNT);
    await page.locator('[data-testid="as-of"]').fill(asOf);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    assert.deepEqual(await resultsFor(page, /importer 98-765432100/), counts(plain));
    const verdictShown = async () => page.locator('table.entries tbody tr', { has: page.locator('td.entry', { hasText: OUTSIDE }) }).locator('.verdict').innerText();
    assert.equal(await verdictShown(), 'blocked');

    // Ticked: checked again at once, focus stays on the box.
    await box.check();
    assert.deepEqual(await resultsFor(page, /98-765432100 · a plaintiff at the Court of International Trade/), counts(plaintiff));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cit-plaintiff', 'the focus stays on the box');
    assert.equal(await verdictShown(), 'to review');
    for (const verdict of ['ready', 'review', 'blocked']) {
      const card = await page.locator(`[data-testid="summary"] [data-verdict="${verdict}"]`).innerText();
      assert.match(card, new RegExp(`IEEPA duty ${escape(formatDollars(plaintiff.totals[`ieepa_duty_${verdict}`]))}`));
      assert.match(card, new RegExp(`Interest, estimated: ${escape(formatDollars(plaintiff.totals[`interest_estimate_${verdict}`]))}`));
    }
    // The entry's message, as the native core gives it.
    const message = plaintiff.entries.find((entry) => entry.entry === OUTSIDE).findings.find((finding) => finding.code === 'liquidated-outside-window').message;
    const row = page.locator('table.entries tbody tr', { has: page.locator('td.entry', { hasText: OUTSIDE }) });
    assert.ok((await row.innerText()).includes(message));
    // The declaration: the same 3 entries, byte for byte as the command line writes it.
    const file = await download(page, page.locator('a[data-download="declaration"]'));
    assert.equal(file.bytes.toString('latin1'), declaration.toString('latin1'));
    assert.equal(file.bytes.toString('latin1'), 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n');
    // The print record says what the run was told of the importer.
    assert.match(await page.locator('#print-record .print-settings').textContent(), /plaintiff at the Court of International Trade/);

    // Unticked: back to blocked.
    await box.uncheck();
    assert.deepEqual(await resultsFor(page, /^(?!.*plaintiff).*importer 98-765432100/), counts(plain));
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('not a corporation: the interest at the non-corporate rate, higher, as the native core estimates it; its basis and rates shown', async () => {
  const asOf = '2026-11-22';
  const corporate = cliReport(asOf);
  const nonCorporate = cliReport(asOf, ['--non-corporate']);
  assert.equal(nonCorporate.interest.rate_column, 'non-corporate');
  const { page, guard, errors } = await checkerPage(shared.browser, shared.server, 'served');
  try {
    const box = page.locator('[data-testid="non-corporate"]');
    assert.equal(await box.isChecked(), false, 'off by default');
    assert.equal(await page.getByLabel('The importer of record is not a corporation').count(), 1);
    await page.locator('[data-testid="ior"]').fill(SAMPLE_ACCOUNT);
    await page.locator('[data-testid="as-of"]').fill(asOf);
    await page.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await resultsFor(page, /importer 98-765432100/);
    const interestShown = async () => Object.fromEntries(await Promise.all(['ready', 'review', 'blocked'].map(async (verdict) => [verdict,
      (await page.locator(`[data-testid="summary"] [data-verdict="${verdict}"] .interest`).innerText()).replace('Interest, estimated: ', '')])));
    const expected = (report) => Object.fromEntries(['ready', 'review', 'blocked'].map((verdict) => [verdict, formatDollars(report.totals[`interest_estimate_${verdict}`])]));
    assert.deepEqual(await interestShown(), expected(corporate));
    const note = page.locator('#interest-note');
    assert.match(await note.locator('.interest-rate').innerText(), /^Rate used: CBP's corporate rate/);

    await box.check();
    assert.deepEqual(await resultsFor(page, /98-765432100 · not a corporation/), counts(nonCorporate));
    assert.deepEqual(await interestShown(), expected(nonCorporate));
    for (const verdict of ['ready', 'review', 'blocked']) {
      const [before, after] = [corporate, nonCorporate].map((report) => Number(report.totals[`interest_estimate_${verdict}`]));
      assert.ok(after > before, `${verdict}: ${after} > ${before}`);
    }
    assert.match(await note.locator('.interest-rate').innerText(), /^Rate used: CBP's non-corporate rate/);
    // The table's interest column, entry by entry.
    const shown = await page.locator('table.entries tbody tr').evaluateAll((rows) => rows.map((row) => [
      row.querySelector('td.entry').textContent, row.querySelectorAll('td.money')[1].textContent]));
    assert.deepEqual(shown, nonCorporate.entries.map((entry) => [entry.entry, formatDollars(entry.interest_estimate)]));

    // The basis: where the interest stops, why, and when CBP pays.
    const { interest } = nonCorporate;
    const short = await note.locator('.interest-short').innerText();
    assert.match(short, /^Interest is an estimate, not an amount CBP has confirmed\./);
    assert.ok(short.includes(`runs to ${formatAceDate(interest.ends)}`), short);
    assert.ok(short.includes('interest runs to (re)liquidation; CBP pays within 30 days of it'), short);
    assert.ok(short.includes(formatAceDate(interest.refund_date)), short);
    // CBP's table of rates, row by row: from, both columns, source and how sure, the column used marked.
    await note.locator('summary').click();
    assert.ok((await note.locator('.basis').innerText()).includes(interest.basis.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$2/$3/$1')));
    const rows = await note.locator('table.rates tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
    const sureWords = { CBP: /Published by CBP/, secondary: /not yet confirmed/, 'single source': /One source only/, 'not yet published': /Not yet published/ };
    assert.equal(rows.length, interest.rates.length);
    interest.rates.forEach((rate, i) => {
      const [from, corp, nonCorp, source, sure] = rows[i];
      assert.deepEqual([from, corp, nonCorp], [formatAceDate(rate.from), `${rate.corporate}%`, `${rate.non_corporate}%`], `rate ${i}`);
      assert.equal(source, rate.source.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$2/$3/$1'));
      assert.match(sure, sureWords[rate.confidence], `rate ${i}: ${rate.confidence}`);
    });
    assert.match(await note.locator('table.rates thead th.used').innerText(), /^Non-corporate \(used\)$/);
    // No internal words or ISO dates in what is shown.
    const text = await note.innerText();
    assert.doesNotMatch(text, /\b\d{4}-\d{2}-\d{2}\b|rate_column|non_corporate|\bnull\b|undefined/);
    // The print record: the same basis and rates.
    const record = await page.locator('#print-record .print-header').textContent();
    assert.ok(record.includes(`runs to ${formatAceDate(interest.ends)}`));
    assert.match(record, /Rate used: CBP's non-corporate rate/);
    assert.equal(await page.locator('#print-record table.rates tbody tr').count(), interest.rates.length);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the widget with non-corporate and cit-plaintiff: the totals of the native core with both settings; the court deadline first', async () => {
  const asOf = '2026-11-22';
  const both = cliReport(asOf, ['--non-corporate', '--cit-plaintiff']);
  const server = await startServer(DIST, {
    pages: {
      '/host.html': `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src blob:; style-src 'unsafe-inline'">
<title>host</title><script type="module" src="widget/cape-check-widget.js"></script></head>
<body><cape-check ior="${SAMPLE_ACCOUNT}" as-of="${asOf}" non-corporate cit-plaintiff></cape-check></body></html>`,
    },
  });
  const page = await shared.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(shared.browser.context, page, [`${server.origin}/host.html`, ...widgetFiles(server.origin)]);
  try {
    await page.addInitScript(() => {
      self.__events = [];
      document.addEventListener('cape-check-done', (event) => self.__events.push(event.detail));
    });
    await page.goto(`${server.origin}/host.html`);
    await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('cape-check .context').innerText(), /not a corporation · a plaintiff at the Court of International Trade/);
    await page.locator('cape-check input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await page.waitForFunction(() => self.__events.length >= 1, null, { timeout: 60_000 });
    const detail = await page.evaluate(() => self.__events[0]);
    assert.deepEqual(detail.totals, both.totals, 'every total, the interest estimates included');
    const card = await page.locator('cape-check [data-verdict="review"]').innerText();
    assert.match(card, new RegExp(`Interest, estimated: ${escape(formatDollars(both.totals.interest_estimate_review))}`));
    assert.match(await page.locator('cape-check .interest-rate').innerText(), /^Rate used: CBP's non-corporate rate/);
    assert.ok((await page.locator('cape-check .interest-short').innerText()).includes(`runs to ${formatAceDate(both.interest.ends)}`));
    assert.equal(await page.locator('cape-check [data-testid="court-deadline"]').isVisible(), false);

    // A filing date at which the court deadline is near: said first in the element.
    const later = cliReport('2027-09-01', ['--non-corporate', '--cit-plaintiff']);
    assert.ok(later.court_deadline_near.entries > 0);
    await page.locator('cape-check').evaluate((node) => node.setAttribute('as-of', '2027-09-01'));
    await page.waitForFunction(() => self.__events.length >= 2, null, { timeout: 60_000 });
    assert.deepEqual((await page.evaluate(() => self.__events[1])).totals, later.totals);
    const notice = page.locator('cape-check [data-testid="court-deadline"]');
    assert.equal(await notice.locator('.court-deadline-text').innerText(), courtWords(later));
    const first = await page.locator('cape-check .results').evaluate((node) => [...node.children].find((child) => !child.hidden)?.dataset.testid);
    assert.equal(first, 'court-deadline', 'first in the results');
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('the iframe mode takes both settings from its URL (non-corporate, cit-plaintiff), as the other settings', async () => {
  const page = await shared.browser.context.newPage();
  try {
    await page.goto(`${shared.server.origin}/index.html?embed=1&ior=${SAMPLE_ACCOUNT}&non-corporate&cit-plaintiff=false`);
    await page.locator('#sample-choice option').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('[data-testid="non-corporate"]').isChecked(), true);
    assert.equal(await page.locator('[data-testid="cit-plaintiff"]').isChecked(), false);
    await page.goto(`${shared.server.origin}/index.html?embed=1&ior=${SAMPLE_ACCOUNT}&cit-plaintiff`);
    await page.locator('#sample-choice option').first().waitFor({ state: 'attached' });
    assert.deepEqual([await page.locator('[data-testid="non-corporate"]').isChecked(), await page.locator('[data-testid="cit-plaintiff"]').isChecked()], [false, true]);
  } finally {
    await page.close();
  }
});
