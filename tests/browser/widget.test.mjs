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
  DATA, DIST, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, download, dropFiles, guardNetwork, launchChromium, sampleBytes, startServer,
} from './harness.mjs';

const STANDARD = 'es003_importer_standard.csv';
const STANDARD_DECLARATION = 'Entry Number\r\nXQ710042173\r\nXQ710043916\r\nXQ710044021\r\n';
const ENTRY_NUMBER = /XQ7\d{8}/;

let checker; // serves www/dist: the widget's files and the page
let host; // the sites embedding it
let stranger; // another origin, inside the host page
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
      '/no-wasm.html': hostPage({
        csp: `default-src 'none'; script-src ${checker.origin}; connect-src ${checker.origin}; worker-src blob:; style-src 'unsafe-inline'`,
        body: ELEMENT,
      }),
      '/no-blob-worker.html': hostPage({
        csp: `default-src 'none'; script-src ${checker.origin} 'wasm-unsafe-eval'; connect-src ${checker.origin}; worker-src 'self'; style-src 'unsafe-inline'`,
        body: ELEMENT,
      }),
      '/iframe.html': hostPage({
        csp: `default-src 'none'; frame-src ${checker.origin} ${stranger.origin}; style-src 'unsafe-inline'`,
        body: '<iframe id="checker" title="checker"></iframe><iframe id="stranger" title="stranger"></iframe>',
        widget: false,
      }),
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all([checker?.close(), host?.close(), stranger?.close()]);
});

async function open(path) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(browser.context, page, [checker.origin, host.origin, stranger.origin]);
  // Records the element's events (and, in the iframe test, messages) as the host would.
  await page.addInitScript(() => {
    self.__events = [];
    self.__messages = [];
    document.addEventListener('cape-check-done', (event) => self.__events.push(event.detail));
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

      assert.deepEqual(await guard.all(), [], 'no request outside 127.0.0.1, no CSP violation');
      assert.deepEqual(errors, []);
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
    const { page, guard, errors } = await open('/iframe.html');
    try {
      const checkerUrl = `${checker.origin}/index.html?embed=1&parent=${encodeURIComponent(host.origin)}&ior=${SAMPLE_ACCOUNT}&as-of=${SAMPLE_FILING_DATE}`;
      await page.evaluate(([checkerSrc, strangerSrc]) => {
        document.getElementById('stranger').src = strangerSrc;
        document.getElementById('checker').src = checkerSrc;
      }, [checkerUrl, `${stranger.origin}/stranger.html`]);
      await page.waitForFunction(() => self.__messages.some((m) => m.data?.type === 'cape-check-ready'), null, { timeout: 30_000 });
      const ready = await page.evaluate(() => self.__messages.find((m) => m.data?.type === 'cape-check-ready'));
      assert.equal(ready.origin, checker.origin);

      const frame = page.frames().find((candidate) => candidate.url().startsWith(`${checker.origin}/index.html`));
      const strangerFrame = page.frames().find((candidate) => candidate.url().startsWith(stranger.origin));
      assert.ok(frame && strangerFrame);
      assert.equal(await frame.locator('[data-testid="ior"]').inputValue(), SAMPLE_ACCOUNT, 'settings from the URL');
      assert.ok(await frame.evaluate(() => document.documentElement.classList.contains('embedded')));

      // A stranger in the same page tries to change the settings: ignored.
      await strangerFrame.evaluate(() => {
        parent.frames[0].postMessage({ type: 'cape-check-settings', ior: '11-111111111' }, '*');
      });
      await frame.waitForFunction(() => document.documentElement.dataset.ignoredMessages === '1', null, { timeout: 5000 });
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

      // The host (the named parent) changes the account: the dropped file is audited again.
      await page.evaluate((origin) => {
        document.getElementById('checker').contentWindow.postMessage({ type: 'cape-check-settings', ior: '98-765432101' }, origin);
      }, checker.origin);
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
    const { page } = await open('/iframe.html');
    try {
      const wrongParent = `${checker.origin}/index.html?embed=1&parent=${encodeURIComponent(stranger.origin)}`;
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
  const guard = await guardNetwork(browser.context, page, checker.origin);
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
