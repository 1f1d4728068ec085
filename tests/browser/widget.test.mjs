// The <cape-check> element on other sites' pages, and the iframe fallback.
// Three servers on 127.0.0.1: the checker's (the widget's files, with CORS
// headers, as a CDN would send them), a host's and a stranger's. Every page
// is watched by the network guard: no request leaves 127.0.0.1.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import {
  DATA, DIST, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, download, dropFiles, guardNetwork, launchChromium, readWorkbook, sampleBytes, startServer,
  widgetFiles,
} from './harness.mjs';

const STANDARD = 'es003_importer_standard.csv';
const STANDARD_DECLARATION = 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n';
const ENTRY_NUMBER = /XQ7\d{8}/;

let checker; // serves www/dist: the widget's files and the page
let host; // the sites embedding it
let stranger; // another origin, inside the host page
let embedUrl; // the checker page in an iframe of the host, its settings in the URL
let browser;

/** A host page: its CSP, hostile global CSS, the widget's script tag and the element. */
function hostPage({ csp, body, widget = true }) {
  return `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>A hostile host</title>
<style>
  * { all: unset; }
  head, script, style, title, meta { display: none; }
  html { font-size: 48px; }
  body { display: block; font-size: 56px; line-height: 0.8; font-family: "Comic Sans MS", cursive; color: #c0c; background: #ffe; padding: 12px; }
  h1 { display: block; font-size: 80px; }
  div, p, span, section, input, button, a { font-size: 90px !important; color: lime !important; display: inline !important; }
  cape-check { margin: 8px; }
</style>
${widget ? `<script type="module" src="${checker.origin}/widget/cape-check-widget.js"></script>` : ''}
</head><body><h1>Host page</h1><p>Host text.</p>
${body}
</body></html>`;
}

const ELEMENT = `<cape-check ior="${SAMPLE_ACCOUNT}" as-of="${SAMPLE_FILING_DATE}"></cape-check>`;

before(async () => {
  checker = await startServer(DIST, { headers: { 'access-control-allow-origin': '*' } });
  stranger = await startServer(DIST, {
    pages: { '/stranger.html': '<!doctype html><title>stranger</title><p>stranger</p>' },
  });
  const strict = `default-src 'none'; script-src ${checker.origin} 'wasm-unsafe-eval'; connect-src ${checker.origin}; worker-src blob:; style-src 'unsafe-inline'`;
  host = await startServer(DIST, {
    pages: {
      '/strict.html': hostPage({ csp: strict, body: ELEMENT }),
      '/workers.html': hostPage({ csp: strict, body: ELEMENT.replace('<cape-check ', '<cape-check workers="3" ') }),
      '/no-wasm.html': hostPage({
        csp: `default-src 'none'; script-src ${checker.origin}; connect-src ${checker.origin}; worker-src blob:; style-src 'unsafe-inline'`,
        body: ELEMENT,
      }),
      '/no-blob-worker.html': hostPage({
        csp: `default-src 'none'; script-src ${checker.origin} 'wasm-unsafe-eval'; connect-src ${checker.origin}; worker-src 'self'; style-src 'unsafe-inline'`,
        body: ELEMENT,
      }),
      '/iframe.html': hostPage({
        csp: `default-src 'none'; frame-src ${checker.origin} ${stranger.origin} 'self'; style-src 'unsafe-inline'`,
        body: '<iframe id="checker" title="checker"></iframe><iframe id="stranger" title="stranger"></iframe><iframe id="sibling" title="sibling"></iframe>',
        widget: false,
      }),
      // Another page of the host's own origin, framed by it: not the checker's parent window.
      '/sibling.html': '<!doctype html><title>sibling</title><p>sibling</p>',
    },
  });
  embedUrl = `${checker.origin}/index.html?embed=1&parent=${encodeURIComponent(host.origin)}&ior=${SAMPLE_ACCOUNT}&as-of=${SAMPLE_FILING_DATE}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all([checker?.close(), host?.close(), stranger?.close()]);
});

/** Opens a host page; the guard allows it, the widget's files and `frames` (exact URLs) only. */
async function open(path, frames = []) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(browser.context, page, [`${host.origin}${path}`, ...widgetFiles(checker.origin), ...frames]);
  // Records the element's events (and, in the iframe test, messages) as the host would.
  await page.addInitScript(() => {
    self.__events = [];
    self.__failures = [];
    self.__messages = [];
    document.addEventListener('cape-check-done', (event) => self.__events.push(event.detail));
    document.addEventListener('cape-check-failed', (event) => self.__failures.push(event.detail));
    self.addEventListener('message', (event) => self.__messages.push({ origin: event.origin, data: event.data }));
  });
  await page.goto(`${host.origin}${path}`);
  return { page, guard, errors };
}

async function nextEvent(page, count) {
  await page.waitForFunction((n) => self.__events.length >= n, count, { timeout: 60_000 });
  return page.evaluate((n) => self.__events[n - 1], count);
}

/** What the guard saw, less the CSP's refusal of WebAssembly itself (no request: the test provokes it). */
async function requestsOutside(guard) {
  return (await guard.all()).filter((line) => !/wasm-eval|WebAssembly|'unsafe-eval'|worker-src|blob:/i.test(line));
}

describe('the element on a host with hostile CSS and a strict CSP', () => {
  test('drop a sample: the declaration, and the event with the right totals and no entry data', async () => {
    const { page, guard, errors } = await open('/strict.html');
    try {
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
      await dropFiles(page, [{ name: STANDARD, bytes: sampleBytes(STANDARD) }], 'cape-check .drop');
      const detail = await nextEvent(page, 1);
      assert.deepEqual(
        { ready: detail.totals.ready, review: detail.totals.review, blocked: detail.totals.blocked, duty: detail.totals.ieepa_duty_ready },
        { ready: 3, review: 1, blocked: 6, duty: '7400.00' },
      );
      const json = JSON.stringify(detail);
      assert.doesNotMatch(json, ENTRY_NUMBER, 'no entry number in the event');
      assert.doesNotMatch(json, /es003_importer_standard|Entry Summary Number/, 'no file name or content in the event');
      assert.equal(detail.entries, undefined);

      // The summary and the declaration are inside the element.
      const summary = page.locator('cape-check [data-testid="summary"]');
      assert.equal(await summary.locator('[data-verdict="ready"] .count').innerText(), '3');
      const file = await download(page, page.locator('cape-check a[data-download="declaration"]'));
      assert.equal(file.name, 'cape-declaration.csv');
      assert.equal(file.bytes.toString('latin1'), STANDARD_DECLARATION);
      assert.equal(await page.locator('cape-check .root').getAttribute('data-engine'), 'csv');
      assert.equal(await page.locator('cape-check .root').getAttribute('data-xlsx-module'), null, 'the XLSX module was never loaded');

      // The element keeps its own look: the host's 90px !important and `all: unset` do not reach inside.
      const look = await page.locator('cape-check .drop-title').evaluate((node) => {
        const style = getComputedStyle(node);
        return { fontSize: style.fontSize, color: style.color, display: getComputedStyle(node.closest('.root')).display };
      });
      assert.equal(look.display, 'block');
      assert.ok(parseFloat(look.fontSize) < 24, `font size inside the element: ${look.fontSize}`);
      assert.notEqual(look.color, 'rgb(0, 255, 0)');
      const box = await page.locator('cape-check').boundingBox();
      assert.ok(box.width > 300 && box.height > 200, `the element is laid out as a block: ${JSON.stringify(box)}`);
      await page.screenshot({ path: join(process.env.CAPE_CHECK_SCREENSHOTS ?? tmpdir(), 'cape-check-widget-hostile-host.png'), fullPage: true });

      // Live attributes: a new account re-audits the files already dropped.
      await page.locator('cape-check').evaluate((node) => node.setAttribute('ior', '98-765432101'));
      const second = await nextEvent(page, 2);
      assert.deepEqual(second.account, { importer: '98-765432101' });
      assert.notDeepEqual(second.totals, detail.totals);

      // Entries only when the host asks.
      await page.locator('cape-check').evaluate((node) => {
        node.setAttribute('expose-entries', '');
        node.setAttribute('ior', '98-765432100');
      });
      const third = await nextEvent(page, 3);
      assert.equal(third.totals.ready, 3);
      assert.equal(third.entries.length, 10);
      assert.match(JSON.stringify(third.entries), ENTRY_NUMBER);

      // An XLSX, chosen with the picker this time: the XLSX module is fetched from the widget's origin and audits the run.
      await page.locator('cape-check').evaluate((node) => node.removeAttribute('expose-entries'));
      await page.locator('cape-check input[type=file]').setInputFiles({
        name: 'es003_broker_excel_resaved.xlsx', mimeType: 'application/octet-stream', buffer: readFileSync(`${DATA}/xlsx/es003_broker_excel_resaved.xlsx`),
      });
      const fourth = await nextEvent(page, 4);
      assert.deepEqual([fourth.totals.ready, fourth.totals.review, fourth.totals.blocked], [2, 0, 3]);
      assert.equal(await page.locator('cape-check .root').getAttribute('data-engine'), 'xlsx');
      assert.equal(await page.locator('cape-check .root').getAttribute('data-xlsx-module'), 'compiled');
      assert.doesNotMatch(JSON.stringify(fourth), /01644\d{6}/);

      // A host that changes a setting as soon as it hears of an XLSX run
      // gets the run that follows, and its findings.csv (the worker that
      // held the workbook is replaced when that run starts, never under it).
      await page.evaluate(() => document.addEventListener('cape-check-done', (event) => {
        if (self.__events.length === 5) event.target.setAttribute('as-of', '2026-11-23');
      }));
      await page.locator('cape-check').evaluate((node) => node.setAttribute('as-of', '2026-11-24'));
      await nextEvent(page, 5);
      const sixth = await nextEvent(page, 6);
      assert.equal(sixth.asOf, '2026-11-23');
      assert.deepEqual([sixth.totals.ready, sixth.totals.review, sixth.totals.blocked], [2, 0, 3]);
      await page.locator('cape-check a[data-download="findings"]').waitFor();
      assert.deepEqual(await page.evaluate(() => self.__failures), []);

      // The Excel workbook, from inside the element on this strict host: written by the XLSX module, read back by openpyxl.
      const workbook = await download(page, page.locator('cape-check [data-testid="workbook"]'));
      assert.equal(workbook.name, 'cape-check-report.xlsx');
      const sheets = readWorkbook(workbook.bytes);
      const numbers = sheets.Entries.rows.slice(1).map((row) => row[0]);
      assert.ok(numbers.every((cell) => cell.t === 's'), 'every entry number is a text cell');
      for (const kept of ['01644100214', '01644101022']) assert.ok(numbers.some((cell) => cell.v === kept), `${kept}: leading zeros kept`);
      assert.deepEqual(sheets.Summary.rows.find((row) => row[1]?.v === 'Filing date')[2], { t: 'd', v: '2026-11-23' });

      assert.deepEqual(await guard.all(), [], 'no request outside 127.0.0.1, no CSP violation');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('moved or removed mid-run: the run stops with a message and cape-check-failed; the element works again', async () => {
    const { page, guard, errors } = await open('/strict.html');
    const STOPPED = 'The check was stopped: drop the files again.';
    // Drops the sample and, in the same task (the run has started), moves or removes the element.
    const dropThen = (how) => page.evaluate(([data, name, action]) => {
      const node = self.__element ?? document.querySelector('cape-check');
      self.__element = node;
      self.__onElement ??= [];
      if (!node.__watched) {
        node.__watched = true;
        node.addEventListener('cape-check-failed', (event) => self.__onElement.push(event.detail));
      }
      const binary = atob(data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'text/csv' }));
      const root = node.shadowRoot.querySelector('.root');
      node.shadowRoot.querySelector('.drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      const during = root.dataset.state;
      if (action === 'move') {
        const holder = document.createElement('section');
        document.body.append(holder);
        holder.append(node);
      } else {
        node.remove();
      }
      const progress = node.shadowRoot.querySelector('.progress');
      const problem = node.shadowRoot.querySelector('.problem');
      return { during, after: root.dataset.state, progressHidden: progress.hidden, problem: problem.hidden ? null : problem.textContent };
    }, [sampleBytes(STANDARD).toString('base64'), STANDARD, how]);
    try {
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });

      // Moved: the event reaches the host's document listener too.
      assert.deepEqual(await dropThen('move'), { during: 'running', after: 'starting', progressHidden: true, problem: STOPPED });
      assert.deepEqual(await page.evaluate(() => [self.__failures, self.__onElement]), [[{ message: STOPPED }], [{ message: STOPPED }]]);
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
      await dropFiles(page, [{ name: STANDARD, bytes: sampleBytes(STANDARD) }], 'cape-check .drop');
      assert.equal((await nextEvent(page, 1)).totals.ready, 3);
      assert.equal(await page.locator('cape-check .problem').isVisible(), false);

      // Removed: the element itself tells its listeners.
      assert.deepEqual(await dropThen('remove'), { during: 'running', after: 'starting', progressHidden: true, problem: STOPPED });
      assert.deepEqual(await page.evaluate(() => self.__onElement.length), 2);
      await page.evaluate(() => document.body.append(self.__element));
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
      await dropFiles(page, [{ name: STANDARD, bytes: sampleBytes(STANDARD) }], 'cape-check .drop');
      assert.equal((await nextEvent(page, 2)).totals.ready, 3);

      assert.deepEqual(await page.evaluate(() => self.__events.length), 2, 'no result from a stopped run');
      assert.deepEqual(await guard.all(), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});

describe('the element says what a compliance manager needs', () => {
  test('a bad file: one card with the reason and what to do, no figures, no downloads; a declaration alone: duty unknown', async () => {
    const { page, guard, errors } = await open('/strict.html');
    try {
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
      await page.locator('cape-check input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') });
      const card = page.locator('cape-check [data-testid="unreadable"]');
      await card.waitFor({ timeout: 30_000 });
      assert.match(await card.innerText(), /invoice\.pdf: .+\n+What to do: \S/s);
      assert.equal(await page.locator('cape-check [data-testid="summary"]').isVisible(), false, 'no 0 / $0.00 cards');
      assert.equal(await page.locator('cape-check a[data-download]').count(), 0, 'no download');
      assert.equal(await page.locator('cape-check .findings-block').isVisible(), false);
      assert.equal((await nextEvent(page, 1)).files[0].errors, 1, 'the host still hears of the run');

      await page.locator('cape-check input[type=file]').setInputFiles({
        name: 'excel_edited.csv', mimeType: 'text/csv', buffer: readFileSync(`${DATA}/declarations/excel_edited.csv`),
      });
      await nextEvent(page, 2);
      assert.equal(await card.isVisible(), false);
      const summary = await page.locator('cape-check [data-testid="summary"]').innerText();
      assert.equal(summary.match(/IEEPA duty unknown: no ES-003 given/g)?.length, 3, summary);
      assert.doesNotMatch(summary, /\$0\.00/);
      assert.match(await page.locator('cape-check [data-verdict="ready"]').innerText(), /Number checked, eligibility not checked/);
      // The findings in view: a plain title and its explanation first, the code after.
      const item = page.locator('cape-check .findings li[data-code="declaration-format"]');
      assert.match(await item.innerText(), /^BLOCKING\s+Declaration file CAPE would reject as it is — 4 file findings\n/);
      assert.equal(await page.locator('cape-check a[data-download="declaration"]').innerText(), 'Download cape-declaration.csv (3 entries)');
      assert.deepEqual(await guard.all(), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('the filing date: written as ACE writes it, with a warning when it is far from today', async () => {
    const { page } = await open('/strict.html');
    try {
      await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('cape-check .context').innerText(), /filing date 11\/22\/2026/);
      await page.locator('cape-check').evaluate((node) => node.setAttribute('as-of', '2031-01-15'));
      await page.locator('cape-check .date-warning').filter({ hasText: /01\/15\/2031 is [\d,]+ days from today/ }).waitFor();
    } finally {
      await page.close();
    }
  });
});

describe('hosts whose CSP forbids what the element needs', () => {
  test("no 'wasm-unsafe-eval': the element explains and links to the checker", async () => {
    const { page, guard } = await open('/no-wasm.html');
    try {
      const message = page.locator('cape-check [data-testid="unusable"]');
      await message.waitFor({ timeout: 30_000 });
      assert.match(await message.innerText(), /does not allow WebAssembly.*'wasm-unsafe-eval'/s);
      const link = message.locator('a');
      assert.equal(await link.getAttribute('href'), `${checker.origin}/widget/cape-check.html`);
      assert.equal(await page.locator('cape-check input[type=file]').isVisible(), false);
      assert.deepEqual(await requestsOutside(guard), []);
    } finally {
      await page.close();
    }
  });

  test('no blob: workers: the element explains and links to the checker', async () => {
    const { page, guard } = await open('/no-blob-worker.html');
    try {
      const message = page.locator('cape-check [data-testid="unusable"]');
      await message.waitFor({ timeout: 30_000 });
      assert.match(await message.innerText(), /does not allow the checker's worker.*blob:/s);
      assert.deepEqual(await requestsOutside(guard), []);
    } finally {
      await page.close();
    }
  });
});

describe('the iframe mode', () => {
  test('settings and results by postMessage with the named parent only; other origins are ignored', async () => {
    const strangerUrl = `${stranger.origin}/stranger.html`;
    const siblingUrl = `${host.origin}/sibling.html`;
    const { page, guard, errors } = await open('/iframe.html', [embedUrl, strangerUrl, siblingUrl]);
    try {
      await page.evaluate(([checkerSrc, strangerSrc, siblingSrc]) => {
        document.getElementById('stranger').src = strangerSrc;
        document.getElementById('sibling').src = siblingSrc;
        document.getElementById('checker').src = checkerSrc;
      }, [embedUrl, strangerUrl, siblingUrl]);
      await page.waitForFunction(() => self.__messages.some((m) => m.data?.type === 'cape-check-ready'), null, { timeout: 30_000 });
      const ready = await page.evaluate(() => self.__messages.find((m) => m.data?.type === 'cape-check-ready'));
      assert.equal(ready.origin, checker.origin);

      const frame = page.frames().find((candidate) => candidate.url().startsWith(`${checker.origin}/index.html`));
      const strangerFrame = page.frames().find((candidate) => candidate.url().startsWith(stranger.origin));
      await page.locator('#sibling').contentFrame().locator('p').waitFor();
      const siblingFrame = page.frame({ url: siblingUrl });
      assert.ok(frame && strangerFrame && siblingFrame);
      assert.equal(await frame.locator('[data-testid="ior"]').inputValue(), SAMPLE_ACCOUNT, 'settings from the URL');
      assert.ok(await frame.evaluate(() => document.documentElement.classList.contains('embedded')));

      // A stranger in the same page tries to change the settings: ignored.
      await strangerFrame.evaluate(() => {
        parent.frames[0].postMessage({ type: 'cape-check-settings', ior: '11-111111111' }, '*');
      });
      await frame.waitForFunction(() => document.documentElement.dataset.ignoredMessages === '1', null, { timeout: 5000 });
      assert.equal(await frame.locator('[data-testid="ior"]').inputValue(), SAMPLE_ACCOUNT);

      // Another window of the host's own origin (the right origin, not the parent window): ignored too.
      const sent = await siblingFrame.evaluate((checkerOrigin) => {
        parent.document.getElementById('checker').contentWindow.postMessage({ type: 'cape-check-settings', ior: '22-222222222' }, checkerOrigin);
        return { origin: self.origin, isParent: self === parent };
      }, checker.origin);
      assert.deepEqual(sent, { origin: host.origin, isParent: false });
      await frame.waitForFunction(() => document.documentElement.dataset.ignoredMessages === '2', null, { timeout: 5000 });
      assert.equal(await frame.locator('[data-testid="ior"]').inputValue(), SAMPLE_ACCOUNT);

      await frame.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
      await page.waitForFunction(() => self.__messages.some((m) => m.data?.type === 'cape-check-done'), null, { timeout: 60_000 });
      const done = await page.evaluate(() => self.__messages.find((m) => m.data?.type === 'cape-check-done'));
      assert.equal(done.origin, checker.origin);
      assert.equal(done.data.summary.totals.ready, 3);
      assert.equal(done.data.summary.totals.ieepa_duty_ready, '7400.00');
      assert.doesNotMatch(JSON.stringify(done.data), ENTRY_NUMBER);
      const file = await download(page, frame.locator('a[data-download="declaration"]'));
      assert.equal(file.bytes.toString('latin1'), STANDARD_DECLARATION);

      // The host (the named parent) changes the account: the settings change, but the
      // dropped file is audited again only when the user clicks (page.js offerRecheck).
      await page.evaluate((origin) => {
        document.getElementById('checker').contentWindow.postMessage({ type: 'cape-check-settings', ior: '98-765432101' }, origin);
      }, checker.origin);
      await frame.locator('[data-testid="check-again"]').waitFor({ timeout: 5000 });
      assert.equal(await frame.locator('[data-testid="ior"]').inputValue(), '98-765432101');
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => self.__messages.filter((m) => m.data?.type === 'cape-check-done').length), 1, 'no run without the user');
      await frame.locator('[data-testid="check-again"]').click();
      await page.waitForFunction(() => self.__messages.filter((m) => m.data?.type === 'cape-check-done').length >= 2, null, { timeout: 60_000 });
      const second = await page.evaluate(() => self.__messages.filter((m) => m.data?.type === 'cape-check-done')[1]);
      assert.deepEqual(second.data.summary.account, { importer: '98-765432101' });

      assert.deepEqual(await guard.all(), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('a frame whose parent is not the named origin posts nothing to it', async () => {
    const wrongParent = `${checker.origin}/index.html?embed=1&parent=${encodeURIComponent(stranger.origin)}`;
    const { page } = await open('/iframe.html', [wrongParent]);
    try {
      await page.evaluate((src) => { document.getElementById('checker').src = src; }, wrongParent);
      const frame = await page.waitForEvent('framenavigated', { predicate: (f) => f.url().startsWith(`${checker.origin}/index.html`) });
      await frame.locator('#sample-choice option').first().waitFor({ state: 'attached' });
      await frame.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
      await frame.locator('[data-testid="summary"]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(300);
      assert.deepEqual(await page.evaluate(() => self.__messages.filter((m) => m.origin === location.origin || /cape-check/.test(m.data?.type ?? ''))), []);
    } finally {
      await page.close();
    }
  });
});

test('www/embed-example.html: the element and the iframe both work, same origin', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The example's iframe: the checker with the example's own origin as parent (embed-example.html).
  const exampleFrame = `${checker.origin}/index.html?embed=1&parent=${encodeURIComponent(checker.origin)}&ior=98-765432100&as-of=2026-11-22`;
  const guard = await guardNetwork(browser.context, page, [`${checker.origin}/embed-example.html`, ...widgetFiles(checker.origin), exampleFrame]);
  try {
    await page.goto(`${checker.origin}/embed-example.html`);
    await page.locator('cape-check .root[data-state="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('cape-check input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await page.locator('#element-event').filter({ hasText: '"ieepa_duty_ready": "7400.00"' }).waitFor({ timeout: 60_000 });
    const frame = page.frameLocator('#checker-frame');
    await frame.locator('input[type=file]').setInputFiles({ name: STANDARD, mimeType: 'text/csv', buffer: sampleBytes(STANDARD) });
    await page.locator('#frame-event').filter({ hasText: '"ready": 3' }).waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await page.locator('#frame-event').innerText(), ENTRY_NUMBER);
    assert.deepEqual(await guard.all(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the widget runs one worker unless the host allows more (workers="3")', async () => {
  for (const [path, expected] of [['/strict.html', 1], ['/workers.html', 3]]) {
    const { page, guard, errors } = await open(path);
    try {
      const deadline = Date.now() + 20_000;
      while (page.workers().length < expected && Date.now() < deadline) await page.waitForTimeout(50);
      await page.waitForTimeout(300); // and no more than that start
      assert.equal(page.workers().length, expected, path);
      assert.deepEqual(await requestsOutside(guard), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }
});
