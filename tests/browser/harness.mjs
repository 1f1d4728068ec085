// Shared by the browser tests and the benchmark: a static server on
// 127.0.0.1 for the built page, Debian's Chromium through playwright-core,
// and a network guard that records every request the page, its frames, its
// workers or the wasm make outside the page's own files (exact URLs).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * One checker server and one Chromium for a test file, started before its
 * tests and closed after them. With `scratch`, also a temporary folder
 * (`directory`, removed after), and `prepare(directory)` is run in it first
 * (to write generated files).
 */
export function sharedBrowser({ scratch = null, prepare = null } = {}) {
  const shared = { server: null, browser: null, directory: null };
  before(async () => {
    if (scratch) shared.directory = mkdtempSync(join(tmpdir(), `cape-check-${scratch}-`));
    if (prepare) await prepare(shared.directory);
    shared.server = await startServer();
    shared.browser = await launchChromium();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
    if (shared.directory) rmSync(shared.directory, { recursive: true, force: true });
  });
  return shared;
}

let cliBuilt = false;

/**
 * Runs the native command line (built with cargo on first use) and returns
 * what it printed: generated exports, and the native core's report of a
 * file to compare the page with.
 */
export function nativeCli(args) {
  if (!cliBuilt) {
    execFileSync('cargo', ['build', '--quiet', '--bin', 'cape-check'], { cwd: ROOT, stdio: 'inherit' });
    cliBuilt = true;
  }
  // Where cargo put it: CARGO_TARGET_DIR when set, else the crate's target/.
  const targetDir = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
  return execFileSync(join(targetDir, 'debug', 'cape-check'), args, { encoding: 'utf8', maxBuffer: 1 << 30 });
}

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
 * `log`: every URL asked for, in full (the network guard of Firefox and
 * WebKit reads it: engines.mjs).
 */
export async function startServer(root = DIST, options = {}) {
  const { headers = {}, pages = {} } = options;
  const log = [];
  let origin = '';
  const server = createServer((request, response) => {
    log.push(`${origin}${request.url}`);
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
  origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}/`, origin, log, close: () => new Promise((done) => server.close(done)) };
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

/** The served checker's own files at `origin`: exact URLs, no query string. */
export function checkerFiles(origin) {
  return ['/', '/index.html', '/cape-check-offline.html'].map((path) => `${origin}${path}`);
}

/** What the <cape-check> element loads from next to its script (www/dist/widget/). */
export const WIDGET_FILES = ['cape-check-widget.js', 'cape-check-engine.js', 'cape_check_csv.wasm', 'cape_check_xlsx.wasm', 'cape-check.html'];

/** The widget's own files served at `origin`: exact URLs, no query string. */
export function widgetFiles(origin) {
  return WIDGET_FILES.map((file) => `${origin}/widget/${file}`);
}

// Messages of the browser itself about a refusal by a Content-Security-Policy
// ("Connecting to 'https://...' violates the following Content Security Policy
// directive", "Refused to connect ... because it violates the document's
// Content Security Policy"), not its notes on how a policy is written.
const CSP_REFUSAL = (text) => /Content Security Policy/i.test(text) && /refused|violates|blocked/i.test(text);

/**
 * Records every request outside the page's own files, from the page, its
 * frames and its workers, and every refusal by a Content-Security-Policy.
 *
 * `allowed`: the exact URLs the page may request (its own files: see
 * checkerFiles, widgetFiles, OFFLINE_FILE_URL; an iframe's URL with its
 * settings when a test puts them there). A URL matches only as a whole,
 * query string included (its #fragment is never sent, so it is ignored):
 * `/?entry=XQ710042173` on the page's own origin is a leak like any other.
 * `/favicon.ico` is allowed on the origins of those URLs (Chromium may ask
 * for it), and the in-memory schemes the page uses for itself (blob:, data:).
 *
 * Watched: Playwright's routing (every request of the page, its frames and
 * its dedicated workers; one outside the list is aborted and recorded), its
 * request events, and CDP Network events; CSP refusals through the page's
 * console (main frame and iframes), CDP's Log domain (which also carries the
 * browser's messages from the page's workers, including those logged before
 * the test could attach to the worker), a securitypolicyviolation listener
 * in every frame (read by `all()` from page.frames()) and one added to each
 * worker.
 *
 * The guard watches this page only, and stops when it is closed (or on stop()).
 */
export async function guardNetwork(context, page, allowed) {
  const outside = [];
  const exact = new Set([allowed].flat().filter(Boolean).map((url) => url.split('#')[0]));
  for (const url of [...exact]) {
    const { origin } = new URL(url);
    if (origin.startsWith('http')) exact.add(`${origin}/favicon.ico`);
  }
  const isAllowed = (url) => url.startsWith('blob:') || url.startsWith('data:') || exact.has(url.split('#')[0]);
  const note = (line) => {
    if (!outside.includes(line)) outside.push(line);
  };
  const record = (how, url) => {
    if (!isAllowed(url)) note(`${how}: ${url}`);
  };
  // A request of another page (another test's guard, if any, decides).
  const ours = (request) => {
    try {
      return request.frame().page() === page;
    } catch {
      return true; // no frame (a service worker): watched by every guard
    }
  };
  const route = (routed) => {
    const request = routed.request();
    if (!ours(request)) return routed.fallback();
    if (isAllowed(request.url())) return routed.continue();
    record('request', request.url());
    return routed.abort('blockedbyclient');
  };
  await context.route('**/*', route);
  const onRequest = (request) => {
    if (ours(request)) record('request', request.url());
  };
  context.on('request', onRequest);
  page.on('console', (message) => {
    if (CSP_REFUSAL(message.text())) note(`csp: ${message.text()}`);
  });
  // CDP sees the page's own network events, including any Playwright's
  // routing would miss, and its Log domain the browser's messages of the
  // page and (source "worker") of its workers: Log.enable also replays
  // those already logged.
  const cdp = await context.newCDPSession(page);
  cdp.on('Network.requestWillBeSent', (event) => record('cdp', event.request.url));
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (CSP_REFUSAL(entry.text)) note(`csp (${entry.source}): ${entry.text}`);
  });
  await cdp.send('Network.enable');
  await cdp.send('Log.enable');
  // A listener inside each worker too (it may attach after the worker's
  // first lines: the Log domain above does not depend on it).
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.text().startsWith('csp-violation: ')) note(`worker ${message.text()}`);
      else if (CSP_REFUSAL(message.text())) note(`csp (worker): ${message.text()}`);
    });
    worker.evaluate(() => {
      self.addEventListener('securitypolicyviolation', (event) => {
        console.warn(`csp-violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    }).catch(() => { /* the worker ended */ });
  });
  // CSP violations reported inside the page and each of its frames (fetch, img, worker, ...).
  await page.addInitScript(() => {
    self.__capeCheckViolations = [];
    self.addEventListener('securitypolicyviolation', (event) => {
      self.__capeCheckViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    context.off('request', onRequest);
    await context.unroute('**/*', route).catch(() => { /* the context is closed */ });
    await cdp.detach().catch(() => { /* the page is closed */ });
  };
  page.once('close', () => { stop(); });
  return {
    outside,
    stop,
    /** Everything recorded so far, including CSP violations seen in the page and in each of its frames. */
    async all() {
      const frames = page.isClosed() ? [] : page.frames();
      const seen = await Promise.all(frames.map(async (frame) => {
        const violations = await frame.evaluate(() => self.__capeCheckViolations ?? []).catch(() => []);
        return violations.map((text) => `csp-violation in ${frame.url() || 'a frame'}: ${text}`);
      }));
      return [...outside, ...seen.flat()];
    },
  };
}

/** A new page on the checker, served or opened from file://, with the
 * network guard on and page errors recorded. */
export async function checkerPage(browser, server, where, { cores = 2 } = {}) {
  const page = await browser.context.newPage();
  await pinCores(page, cores);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const guard = await guardNetwork(browser.context, page, where === 'served' ? checkerFiles(server.origin) : OFFLINE_FILE_URL);
  await openChecker(page, where === 'served' ? server.url : OFFLINE_FILE_URL);
  return { page, guard, errors };
}

/**
 * Makes the page see `cores` cores (navigator.hardwareConcurrency), as the
 * page reads a large file with one worker a core: the tests then run the
 * same on any machine, and can ask for more parts than this one has cores.
 */
export async function pinCores(page, cores) {
  await page.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
  }, cores);
}

/** Fills the settings as the samples' expected results assume. */
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

/**
 * Checks `file` on the page with the samples' settings and asserts that the
 * summary shows the totals of `report`, the native core's report of it.
 */
export async function expectNativeTotals(page, file, report) {
  await fillSampleSettings(page);
  await page.locator('input[type=file]').setInputFiles(file);
  const { totals } = report;
  assert.deepEqual(await summaryTotals(page), { ready: totals.ready, review: totals.review, blocked: totals.blocked });
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

/**
 * Writes about `megabytes` MB of ES-003 to `path`: the standard sample's
 * header, then its rows repeated (a large export for Cancel, progress and
 * the split, in every engine's tests and the screenshots).
 */
export function writeLargeEs003(path, megabytes) {
  const sample = sampleBytes('es003_importer_standard.csv').toString('latin1');
  const headerEnd = sample.indexOf('\n') + 1;
  const rows = Buffer.from(sample.slice(headerEnd).replace(/\n?$/, '\n'), 'latin1');
  const block = Buffer.concat(Array.from({ length: Math.ceil((1 << 20) / rows.length) }, () => rows));
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from(sample.slice(0, headerEnd), 'latin1'));
  for (let written = 0; written < megabytes * 1e6; written += block.length) writeSync(fd, block);
  closeSync(fd);
}

/**
 * The crafted workbooks of issue 12 (tests/data/make_xlsx_limits.py): the
 * committed ones that expand too far or are damaged (tests/data/xlsx/limits,
 * all but the control), and, with `bigDirectory`, the two measured in the
 * issue written there (a 1 MB workbook whose sheet is 1 GiB of spaces, a
 * 0.5 MB one holding a 500 MB shared string). Each: { name, path }.
 */
export function craftedWorkbooks(bigDirectory = null) {
  const limits = join(DATA, 'xlsx', 'limits');
  const files = readdirSync(limits).filter((name) => name.endsWith('.xlsx') && name !== 'control.xlsx').sort()
    .map((name) => ({ name, path: join(limits, name) }));
  if (bigDirectory) {
    execFileSync('python3', [join(DATA, 'make_xlsx_limits.py'), '--big', bigDirectory], { stdio: 'inherit' });
    for (const name of ['whitespace_1gib.xlsx', 'shared_string_500mb.xlsx']) files.push({ name, path: join(bigDirectory, name) });
  }
  return files;
}

/**
 * The native command line's refusal of a file it cannot read (exit 1): the
 * code and message of the file's error finding, with the samples' settings.
 */
export function nativeRefusal(path) {
  let output;
  try {
    output = nativeCli(['audit', path, '--format', 'json', '--ior', SAMPLE_ACCOUNT, '--as-of', SAMPLE_FILING_DATE]);
  } catch (error) {
    if (error.status !== 1) throw error;
    output = error.stdout;
  }
  const report = JSON.parse(output);
  const finding = report.files[0].findings.find((candidate) => candidate.severity === 'error');
  assert.ok(finding, `the command line refuses ${path}: ${output}`);
  return { code: finding.code, message: finding.message };
}

/** "2026-11-22" -> "11/22/2026": the page writes dates as ACE does. */
export function formatAceDate(iso) {
  const [year, month, day] = iso.split('-');
  return `${month}/${day}/${year}`;
}

/** The report's "7400.00" -> "$7,400.00", as the page shows money. */
export function formatDollars(text) {
  const [whole, fraction] = text.split('.');
  return `$${Number(whole).toLocaleString('en-US')}.${fraction}`;
}

/**
 * A workbook's sheets as openpyxl reads them (tests/read_workbook.py, in
 * .venv-tests: scripts/setup_web --browser): {sheet: {rows, frozen, filter,
 * formats}}, each cell {t: 's' | 'n' | 'd' | 'f', v} or null.
 */
export function readWorkbook(bytes) {
  const directory = mkdtempSync(join(tmpdir(), 'cape-check-workbook-'));
  try {
    const path = join(directory, 'read.xlsx');
    writeFileSync(path, bytes);
    return JSON.parse(execFileSync(join(ROOT, '.venv-tests', 'bin', 'python'), [join(ROOT, 'tests', 'read_workbook.py'), path], { encoding: 'utf8' }));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
