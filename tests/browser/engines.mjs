// The three browser engines behind one small driver, for the Firefox and
// WebKit tests (tests/browser/other_engines/), the screenshots and the
// benchmark (Chromium's own tests use Playwright directly, harness.mjs):
//
//   chromium  Debian's Chromium through playwright-core
//   firefox   Debian's firefox-esr through puppeteer-core over WebDriver BiDi
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver (W3C WebDriver,
//             plain HTTP calls from Node's fetch), under xvfb-run: the
//             MiniBrowser ignores --headless (toolchain.md)
//
// And the network guard of Firefox and WebKit: a recording HTTP proxy that
// every request of the browser to another host goes through (Firefox: its
// proxy preferences; WebKit: http_proxy/https_proxy, which its network
// process honours for pages and workers alike), and the log of the test's
// own servers on 127.0.0.1 (the page's own origin, which both browsers reach
// directly); plus the page's securitypolicyviolation events. What no proxy
// sees (a WebRTC connection, a DNS prefetch) the page's CSP forbids
// (connect-src 'none', default-src 'none').

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// toolchain.md trap 3: Chromium looks up Google hosts unless told not to.
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** What an engine cannot do through its driver (the caller skips that step and says so). */
export class Unsupported extends Error {}

/**
 * A recording proxy on 127.0.0.1: every request that reaches it is noted
 * (`seen`) and refused; none leaves the machine.
 */
export async function startRecordingProxy() {
  const seen = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.writeHead(403, { 'content-type': 'text/plain' });
    response.end('refused by the test proxy');
  });
  server.on('connect', (request, socket) => {
    seen.push(`CONNECT ${request.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { port: server.address().port, seen, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Starts an engine. Options:
 *   proxyPort   the recording proxy (Firefox, WebKit): every request to another host goes there
 *   dark        prefers-color-scheme: dark (Chromium and Firefox; WebKit: through GTK's dark theme)
 *   width, height  the viewport (WebKit: the window, which cannot be narrower than about 450 px)
 * The driver: { name, downloads, goto, evaluate, waitFor, setFiles, click, screenshot, setViewport, close }.
 */
export async function launchEngine(name, options = {}) {
  if (name === 'chromium') return launchChromiumDriver(options);
  if (name === 'firefox') return launchFirefox(options);
  if (name === 'webkit') return launchWebKit(options);
  throw new Error(`unknown engine ${name}: ${ENGINES.join(', ')}`);
}

/** Polls `read()` until it returns a truthy value (or `timeout` ms pass: an error naming `what`). */
async function poll(read, what, timeout = 30_000, every = 100) {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, every));
  }
}

/** The shared part of every driver: waiting, clicking, downloads. */
function withCommon(driver) {
  return Object.assign(driver, {
    /** Evaluates `fn(arg)` in the page until it is truthy; returns that value. */
    waitFor(fn, arg, { timeout = 30_000, what = String(fn) } = {}) {
      return poll(() => driver.evaluate(fn, arg), what, timeout);
    },
    /** Clicks the element `find()` returns (a function run in the page). */
    click(find) {
      return driver.evaluate(new Function(`(${find})().click();`));
    },
    /**
     * Clicks a download link found by `find()` and returns the file the
     * browser wrote ({name, bytes}). The downloads folder is emptied first.
     */
    async download(find) {
      for (const entry of readdirSync(driver.downloads)) {
        if (!entry.startsWith('.')) rmSync(join(driver.downloads, entry), { recursive: true, force: true });
      }
      const name = await driver.evaluate(new Function(`const link = (${find})(); link.click(); return link.getAttribute('download');`));
      const path = join(driver.downloads, name);
      await poll(() => {
        if (!existsSync(path) || existsSync(`${path}.part`)) return false;
        return statSync(path).size > 0 || readdirSync(driver.downloads).filter((entry) => !entry.startsWith('.')).length === 1;
      }, `the download ${name}`, 15_000);
      await new Promise((done) => setTimeout(done, 100)); // the last bytes flushed
      return { name, bytes: readFileSync(path) };
    },
  });
}

// ---- Chromium (Playwright) --------------------------------------------

async function launchChromiumDriver({ width = 1280, height = 900, dark = false, bypassCSP = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'cape-check-chromium-'));
  const downloads = mkdtempSync(join(tmpdir(), 'cape-check-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, acceptDownloads: true, bypassCSP,
    viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', downloadsPath: downloads,
  });
  const page = context.pages()[0] ?? await context.newPage();
  return withCommon({
    name: 'chromium',
    page,
    downloads,
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    async setFiles(find, paths) {
      const input = await page.evaluateHandle(find);
      await input.setInputFiles(paths);
    },
    screenshot: (path, { fullPage = false } = {}) => page.screenshot({ path, fullPage }),
    setViewport: (w, h) => page.setViewportSize({ width: w, height: h }),
    printMedia: (on) => page.emulateMedia({ media: on ? 'print' : 'screen' }),
    async download(find) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.evaluate(new Function(`(${find})().click();`))]);
      return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(downloads, { recursive: true, force: true });
    },
  });
}

// ---- Firefox (puppeteer-core, WebDriver BiDi) ------------------------------

async function launchFirefox({ proxyPort = null, width = 1280, height = 900, dark = false } = {}) {
  const downloads = mkdtempSync(join(tmpdir(), 'cape-check-downloads-'));
  const prefs = {
    // Downloads straight to the folder, never a dialog.
    'browser.download.folderList': 2,
    'browser.download.dir': downloads,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.helperApps.neverAsk.saveToDisk': 'text/csv,application/octet-stream',
    'browser.download.alwaysOpenPanel': false,
    // The browser's own traffic (remote settings, captive portal, ...) would be noise for the guard.
    'services.settings.server': 'http://127.0.0.1:9/',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.safebrowsing.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'app.update.disabledForTesting': true,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'layout.css.prefers-color-scheme.content-override': dark ? 0 : 1,
  };
  if (proxyPort) {
    Object.assign(prefs, {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.socks': '127.0.0.1',
      'network.proxy.socks_port': proxyPort,
      'network.proxy.share_proxy_settings': false,
      'network.proxy.no_proxies_on': '',
      // 127.0.0.1 (the test's servers) directly: their own log sees those requests.
      'network.proxy.allow_hijacking_localhost': false,
    });
  }
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: prefs,
    defaultViewport: { width, height },
    // A release build reads services.settings.server only with this set.
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  await page.setViewport({ width, height });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // CSP violations reported inside the page, from its first line on.
  await page.evaluateOnNewDocument(() => {
    self.__capeCheckViolations = [];
    self.addEventListener('securitypolicyviolation', (event) => {
      self.__capeCheckViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return withCommon({
    name: 'firefox',
    page,
    downloads,
    pageErrors,
    version: await browser.version(),
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    async setFiles(find, paths) {
      const input = await page.evaluateHandle(find);
      await input.uploadFile(...[paths].flat());
    },
    screenshot: (path, { fullPage = false } = {}) => page.screenshot({ path, fullPage }),
    setViewport: (w, h) => page.setViewport({ width: w, height: h }),
    async violations() {
      return page.evaluate(() => self.__capeCheckViolations ?? []).catch(() => []);
    },
    async close() {
      await browser.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  });
}

// ---- WebKit (WebKitWebDriver) --------------------------------------------

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function launchWebKit({ proxyPort = null, width = 1280, height = 900, dark = false } = {}) {
  // The MiniBrowser saves downloads in the user's download folder: a home of its own, and a folder in it.
  const home = mkdtempSync(join(tmpdir(), 'cape-check-webkit-'));
  const downloads = join(home, 'Downloads');
  mkdirSync(join(home, '.config'), { recursive: true });
  mkdirSync(downloads);
  writeFileSync(join(home, '.config', 'user-dirs.dirs'), 'XDG_DOWNLOAD_DIR="$HOME/Downloads"\n');
  const port = await freePort();
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  delete env.DISPLAY;
  if (proxyPort) {
    // The driver talks to the browser on 127.0.0.1: not through the proxy.
    Object.assign(env, { http_proxy: `http://127.0.0.1:${proxyPort}`, https_proxy: `http://127.0.0.1:${proxyPort}`, no_proxy: '127.0.0.1,localhost' });
  }
  if (dark) env.GTK_THEME = 'Adwaita:dark';
  const driverProcess = spawn('xvfb-run', ['-a', '-s', '-screen 0 1600x1200x24', 'WebKitWebDriver', `--port=${port}`], {
    env, stdio: 'ignore', detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-driverProcess.pid, 'SIGTERM');
    } catch { /* already gone */ }
  };
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (answer.value?.error) throw new Error(`WebKitWebDriver ${method} ${path}: ${answer.value.error}: ${answer.value.message}`);
    return answer.value;
  };
  let session;
  try {
    await poll(() => fetch(`${base}/status`).then(() => true, () => false), 'WebKitWebDriver to start', 20_000);
    // A session request that never answers: the browser could not open a display (toolchain.md).
    const created = await Promise.race([
      call('POST', '/session', {
        capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
      }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('WebKit did not start (no display?)')), 60_000)),
    ]);
    session = created.sessionId;
    const at = (path) => `/session/${session}${path}`;
    const driver = withCommon({
      name: 'webkit',
      downloads,
      version: created.capabilities.browserVersion,
      goto: (url) => call('POST', at('/url'), { url }),
      async evaluate(fn, arg) {
        // Execute Script awaits a promise the function returns (W3C WebDriver).
        return call('POST', at('/execute/sync'), { script: `return (${fn}).apply(null, arguments);`, args: arg === undefined ? [] : [arg] });
      },
      async setFiles(find, paths) {
        const element = await call('POST', at('/execute/sync'), { script: `return (${find})();`, args: [] });
        await call('POST', at(`/element/${element[ELEMENT]}/value`), { text: [paths].flat().join('\n') });
      },
      async screenshot(path, { fullPage = false } = {}) {
        let restore = null;
        if (fullPage) {
          // No full-page screenshot command: the window is made as tall as the page.
          const rect = await call('GET', at('/window/rect'));
          const tall = await driver.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
          await call('POST', at('/window/rect'), { width: rect.width, height: Math.min(tall + 90, 8000) });
          restore = rect;
          await new Promise((done) => setTimeout(done, 300));
        }
        // The window shows a scroll made just before only after its next paint.
        await driver.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
        await new Promise((done) => setTimeout(done, 150));
        const png = await call('GET', at('/screenshot'));
        writeFileSync(path, Buffer.from(png, 'base64'));
        if (restore) await call('POST', at('/window/rect'), { width: restore.width, height: restore.height });
      },
      async setViewport(w, h) {
        await call('POST', at('/window/rect'), { width: w, height: h });
      },
      async violations() {
        return driver.evaluate(() => self.__capeCheckViolations ?? []).catch(() => []);
      },
      /** Installs the securitypolicyviolation listener (WebDriver has no script before the page's: call after goto). */
      async watchViolations() {
        await driver.evaluate(() => {
          if (self.__capeCheckViolations) return;
          self.__capeCheckViolations = [];
          self.addEventListener('securitypolicyviolation', (event) => {
            self.__capeCheckViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
          });
        });
      },
      async close() {
        await call('DELETE', at('')).catch(() => {});
        stop();
        rmSync(home, { recursive: true, force: true });
      },
    });
    await driver.setViewport(width, height);
    return driver;
  } catch (error) {
    stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The guard of a Firefox or WebKit test: what the recording proxy saw (every
 * request to another host) and what the test's servers were asked beyond
 * `allowed` (exact URLs; /favicon.ico on their origins too), since `reset()`.
 * `servers`: startServer() results made with a `log` array.
 */
export function networkGuard(proxy, servers) {
  let proxyFrom = proxy.seen.length;
  const serverFrom = new Map(servers.map((server) => [server, server.log.length]));
  return {
    reset() {
      proxyFrom = proxy.seen.length;
      for (const server of servers) serverFrom.set(server, server.log.length);
    },
    /** Requests outside `allowed` (exact URLs), and the page's CSP violations when a driver is given. */
    async outside(allowed, driver = null) {
      const exact = new Set([allowed].flat().map((url) => url.split('#')[0]));
      for (const url of [...exact]) {
        const { origin } = new URL(url);
        if (origin.startsWith('http')) exact.add(`${origin}/favicon.ico`);
      }
      const lines = proxy.seen.slice(proxyFrom).map((line) => `proxy: ${line}`);
      for (const server of servers) {
        for (const url of server.log.slice(serverFrom.get(server))) if (!exact.has(url)) lines.push(`server: ${url}`);
      }
      if (driver?.violations) lines.push(...(await driver.violations()).map((text) => `csp-violation: ${text}`));
      return lines;
    },
  };
}
