#!/usr/bin/env node
// Screenshots of the checker in each state a user meets, in each engine, to
// look at before a change is called done (not a test: nothing is compared).
// Writes PNGs to DIR/<engine>/ (default DIR: screenshots/, ignored by git):
//   1 empty, 2 running, 3 results (top), 4 results (full page), 5 a bad file,
//   6 a declaration alone, 7 What is checked, 8 print, 9 phone width,
//   10 dark (top), 11 dark (full page), 12 the widget on a host page,
//   13 after filing (Claim Details, an export marked "exported after filing",
//   fingerprints, the workbook written; full page), 14 the same at phone width.
// Print: Chromium's print media; Firefox and WebKit, whose drivers cannot
// switch the media, get the page's print rules applied on screen (CSSOM).
// Dark: Chromium's and Firefox's colour-scheme setting, WebKit's GTK dark theme.
// The phone is 390 px wide (WebKit's window cannot be narrower than about 450).
//
// Usage: node scripts/screenshots.mjs [DIR] [--browser chromium|firefox|webkit]...
//        (default: all three; needs the page built: scripts/build_web.py)

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENGINES, launchEngine } from '../tests/browser/engines.mjs';
import { DATA, DIST, ROOT, SAMPLE_ACCOUNT, SAMPLE_FILING_DATE, SAMPLES, startServer, writeLargeEs003 } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const engines = args.flatMap((arg, index) => (args[index - 1] === '--browser' ? [arg] : []));
const out = resolve(args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--browser') ?? join(ROOT, 'screenshots'));

// A large file for the running state: the standard sample's rows, repeated.
const scratch = join(tmpdir(), `cape-check-screenshots-${process.pid}`);
mkdirSync(scratch, { recursive: true });
const big = join(scratch, 'es003_large_export.csv');
writeLargeEs003(big, 300);
const pdf = join(scratch, 'invoice.pdf');
writeFileSync(pdf, '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

const server = await startServer(DIST, {
  pages: {
    '/host.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A host page</title>
<link rel="icon" href="data:,">
<style>body { font-family: Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }</style>
<script type="module" src="widget/cape-check-widget.js"></script></head>
<body><h1>A broker's site</h1><p>Check your export before you file:</p>
<cape-check ior="${SAMPLE_ACCOUNT}" as-of="${SAMPLE_FILING_DATE}"></cape-check></body></html>`,
  },
});
try {
  for (const engine of engines.length ? engines : ENGINES) await shoot(engine);
} finally {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}

async function shoot(engine) {
  const folder = join(out, engine);
  mkdirSync(folder, { recursive: true });
  const shot = async (driver, name, options = {}) => {
    const path = join(folder, `${name}.png`);
    await driver.screenshot(path, options);
    console.log(`wrote ${path}`);
  };
  let driver = await launchEngine(engine, { width: 1280, height: 900 });
  try {
    await open(driver);
    await shot(driver, '1-empty');

    await settings(driver);
    await driver.setFiles(() => document.querySelector('input[type=file]'), big);
    await driver.waitFor(() => document.getElementById('progress-figures')?.textContent.includes('rows/s'), undefined, { what: 'progress' });
    await shot(driver, '2-running');
    await driver.click(() => document.getElementById('cancel-button'));

    await run(driver, join(SAMPLES, 'es003_importer_standard.csv'));
    await shot(driver, '3-results');
    await shot(driver, '4-results-full', { fullPage: true });

    await driver.setFiles(() => document.querySelector('input[type=file]'), pdf);
    await driver.waitFor(() => !!document.querySelector('[data-testid="unreadable"]'), undefined, { what: 'the bad file card' });
    await driver.evaluate(() => document.getElementById('results').scrollIntoView());
    await shot(driver, '5-bad-file');

    await driver.evaluate(() => { document.getElementById('kind-importer').checked = true; });
    await run(driver, join(DATA, 'declarations', 'excel_edited.csv'));
    await driver.evaluate(() => document.getElementById('results').scrollIntoView());
    await shot(driver, '6-declaration-alone');

    await run(driver, join(SAMPLES, 'es003_importer_standard.csv'));
    await driver.evaluate(() => {
      document.getElementById('rule-book').open = true;
      document.getElementById('rule-book-card').scrollIntoView();
    });
    await shot(driver, '7-what-is-checked');

    await driver.waitFor(() => !!document.querySelector('#print-record .print-entries'), undefined, { what: 'the print record' });
    if (driver.printMedia) {
      await driver.printMedia(true);
    } else {
      // The page's print rules, applied on screen (the driver cannot switch the media).
      await driver.evaluate(() => {
        for (const sheet of document.styleSheets) {
          for (const rule of sheet.cssRules) if (rule.media?.mediaText === 'print') rule.media.appendMedium('screen');
        }
      });
    }
    await driver.evaluate(() => window.scrollTo(0, 0));
    await shot(driver, '8-print', { fullPage: true });
    await driver.printMedia?.(false);

    await afterFiling(driver);
    await shot(driver, '13-after-filing', { fullPage: true });

    await driver.close();
    driver = await launchEngine(engine, { width: 390, height: 844 });
    await open(driver);
    await run(driver, join(SAMPLES, 'es003_importer_standard.csv'));
    await shot(driver, '9-phone-results', { fullPage: true });
    await afterFiling(driver);
    await shot(driver, '14-phone-after-filing', { fullPage: true });

    await driver.close();
    driver = await launchEngine(engine, { width: 1280, height: 900, dark: true });
    await open(driver);
    await run(driver, join(SAMPLES, 'es003_broker_excel_resaved.csv'));
    await driver.evaluate(() => window.scrollTo(0, 0));
    await shot(driver, '10-dark-top');
    await shot(driver, '11-dark-results', { fullPage: true });

    await driver.close();
    driver = await launchEngine(engine, { width: 1000, height: 900 });
    await driver.goto(`${server.origin}/host.html`);
    await driver.waitFor(() => document.querySelector('cape-check')?.shadowRoot?.querySelector('.root')?.dataset.state === 'ready', undefined, { what: 'the widget' });
    await driver.setFiles(() => document.querySelector('cape-check').shadowRoot.querySelector('input[type=file]'), join(SAMPLES, 'es003_importer_standard.csv'));
    await driver.waitFor(() => !!document.querySelector('cape-check').shadowRoot.querySelector('a[data-download="findings"]'), undefined, { what: 'the widget results' });
    await shot(driver, '12-widget', { fullPage: true });
  } finally {
    await driver.close();
  }
}

/** The sample with three Claim Details downloads and an export made after filing, marked so; the workbook written. */
async function afterFiling(driver) {
  await driver.evaluate(() => { document.getElementById('as-of').value = '2026-12-03'; });
  const downloads = ['Claim Details 2026-11-28.csv', 'claims_20261130.csv', 'claims.csv', 'es003_after_filing.csv'].map((name) => join(DATA, 'downloads', name));
  await driver.setFiles(() => document.querySelector('input[type=file]'), [join(SAMPLES, 'es003_importer_standard.csv'), ...downloads]);
  await driver.waitFor(() => !!document.querySelector('[data-testid="claims"]:not([hidden])') && !!document.querySelector('a[data-download="findings"]'),
    undefined, { timeout: 60_000, what: 'the Claim Details' });
  await driver.evaluate(() => document.querySelector('[data-testid="after-filing"][data-file="es003_after_filing.csv"]').click());
  await driver.waitFor(() => !!document.querySelector('[data-testid="applied"]:not([hidden])') && document.getElementById('stale').hidden
    && !!document.querySelector('a[data-download="findings"]'), undefined, { timeout: 60_000, what: 'the refunds applied' });
  await driver.evaluate(() => document.querySelector('[data-testid="workbook"]').click());
  await driver.waitFor(() => !!document.querySelector('a[data-download="workbook"]'), undefined, { timeout: 60_000, what: 'the workbook' });
  await driver.evaluate(() => window.scrollTo(0, 0));
}

async function open(driver) {
  await driver.goto(server.url);
  await driver.waitFor(() => document.querySelectorAll('#sample-choice option').length > 0, undefined, { what: 'the checker' });
}

async function settings(driver) {
  await driver.evaluate(([ior, asOf]) => {
    for (const [id, value] of [['ior', ior], ['as-of', asOf]]) {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, [SAMPLE_ACCOUNT, SAMPLE_FILING_DATE]);
}

async function run(driver, path) {
  await settings(driver);
  await driver.setFiles(() => document.querySelector('input[type=file]'), path);
  await driver.waitFor(() => !!document.querySelector('[data-testid="summary"]') && !!document.querySelector('a[data-download="findings"]'),
    undefined, { what: 'the results' });
  await new Promise((done) => setTimeout(done, 300)); // the last redraws (the findings split by severity)
}
