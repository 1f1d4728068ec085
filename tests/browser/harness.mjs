// Shared by the browser tests and the benchmark: a static server on
// 127.0.0.1 for the built page, Debian's Chromium through playwright-core,
// and a network guard that records every request the page, its worker or
// the wasm makes outside the page's own files.

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'www', 'dist');
export const SAMPLES = join(ROOT, 'tests', 'data', 'samples');
export const DATA = join(ROOT, 'tests', 'data');
export const OFFLINE_FILE_URL = pathToFileURL(join(DIST, 'cape-check-offline.html')).href;

/** The settings of the samples' expected results (tests/data/samples, README). */
export const SAMPLE_ACCOUNT = '98-765432100';
export const SAMPLE_FILING_DATE = '2026-11-22';

// toolchain.md trap 3: Chromium looks up Google hosts unless told not to.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.csv': 'text/csv',
};

/**
 * Serves www/dist on 127.0.0.1 (a free port). `options.headers` are added to
 * every answer (e.g. CORS for the widget's files); `options.pages` maps a
 * path to an HTML string served instead of a file (host pages of the widget).
 */
export async function startServer(root = DIST, options = {}) {
  const { headers = {}, pages = {} } = options;
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (pages[path] !== undefined) {
      response.writeHead(200, { 'content-type': TYPES['.html'], ...headers });
      response.end(pages[path]);
      return;
    }
    let file = join(root, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, origin: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) };
}

/** Starts Debian's Chromium with a fresh profile. */
export async function launchChromium(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'cape-check-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    acceptDownloads: true,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records every request outside the page's own files, from the page and
 * its workers (Playwright routes dedicated workers' requests through the
 * context too; CDP Network events of every target are watched as well), and
 * every connection the Content-Security-Policy refused.
 *
 * Allowed: the test server's origin (or origins: a widget's host and the
 * checker are two servers on 127.0.0.1), file:, and the in-memory schemes
 * the page uses for itself (blob:, data:).
 */
export async function guardNetwork(context, page, allowedOrigin) {
  const outside = [];
  const origins = [allowedOrigin].flat().filter(Boolean);
  const allowed = (url) => url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('file:')
    || origins.some((origin) => url === origin || url.startsWith(`${origin}/`));
  const record = (how, url) => {
    if (!allowed(url)) outside.push(`${how}: ${url}`);
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    record('request', url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => record('request', request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()) && /connect|fetch|load|img|script|worker|frame/i.test(message.text())) {
      outside.push(`csp: ${message.text()}`);
    }
  });
  // CDP sees the page's own network events, including any Playwright's
  // routing would miss.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => record('cdp', event.request.url));
  // CSP violations inside each worker (the page's listener does not see
  // them, nor does the page's console): reported through the worker's console.
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.text().startsWith('csp-violation: ')) outside.push(`worker ${message.text()}`);
    });
    worker.evaluate(() => {
      self.addEventListener('securitypolicyviolation', (event) => {
        console.warn(`csp-violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    }).catch(() => { /* the worker ended */ });
  });
  // CSP violations reported inside the page (fetch, img, worker, ...).
  await page.addInitScript(() => {
    self.__capeCheckViolations = [];
    self.addEventListener('securitypolicyviolation', (event) => {
      self.__capeCheckViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return {
    outside,
    /** Everything recorded so far, including CSP violations seen in the page. */
    async all() {
      const violations = await page.evaluate(() => self.__capeCheckViolations ?? []).catch(() => []);
      return [...outside, ...violations.map((text) => `csp-violation: ${text}`)];
    },
  };
}

/** Fills the settings as the samples' expected results assume. */
/** A new page on the checker, served or opened from file://, with the
 * network guard on and page errors recorded. */
export async function checkerPage(browser, server, where) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(browser.context, page, where === 'served' ? server.origin : null);
  await openChecker(page, where === 'served' ? server.url : OFFLINE_FILE_URL);
  return { page, guard, errors };
}

export async function fillSampleSettings(page) {
  await page.locator('[data-testid="ior"]').fill(SAMPLE_ACCOUNT);
  await page.locator('[data-testid="as-of"]').fill(SAMPLE_FILING_DATE);
}

/** Waits until the page's engine is up (the worker reported ready). */
export async function openChecker(page, url) {
  await page.goto(url);
  await page.locator('#sample-choice option').first().waitFor({ state: 'attached' });
}

/**
 * Drops files on the drop zone as a drag-and-drop would (a real `drop` event
 * with a DataTransfer). `target`: another drop zone, e.g. the widget's
 * (`cape-check .drop`: Playwright's CSS pierces open shadow roots).
 */
export async function dropFiles(page, files, target = '#drop-zone') {
  const payload = files.map(({ name, bytes, type }) => ({ name, type: type ?? 'text/csv', data: Buffer.from(bytes).toString('base64') }));
  const transfer = await page.evaluateHandle((items) => {
    const data = new DataTransfer();
    for (const item of items) {
      const binary = atob(item.data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
      data.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return data;
  }, payload);
  await page.dispatchEvent(target, 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent(target, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
}

/** The totals shown in [data-testid="summary"]. */
export async function summaryTotals(page) {
  const summary = page.locator('[data-testid="summary"]');
  await summary.waitFor({ timeout: 60_000 });
  const count = async (verdict) => Number((await summary.locator(`[data-verdict="${verdict}"] .count`).innerText()).replace(/[^0-9]/g, ''));
  return { ready: await count('ready'), review: await count('review'), blocked: await count('blocked') };
}

/** Clicks a download link and returns the file's name and bytes. */
export async function download(page, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

export function sampleBytes(name) {
  return readFileSync(join(SAMPLES, name));
}
