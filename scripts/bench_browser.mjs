#!/usr/bin/env node
// Speed and size of the web checker, in one browser engine (a benchmark, not
// a pass/fail test): headless Chromium by default, or Firefox ESR or WebKit
// (--browser; the drivers of tests/browser/engines.mjs). On one generated
// ES-003 of at least 100 MB it measures, in the same browser run:
//   - end to end: file chosen -> summary shown, on the real page (cold, then warm);
//   - Papa Parse 5 in a worker, same file, parse only (rows discarded);
//   - the wasm memory after the run (its peak: wasm memory never shrinks);
//   - the size of the wasm, gzipped.
// Targets: >= 150 MB/s end to end, >= 2x Papa Parse, < 64 MB wasm memory,
// < 150 KB of wasm gzipped (the CSV module; the XLSX one is loaded only for workbooks).
//
// With --xlsx it measures XLSX reading instead: rows per second, end to end
// on the real page (the XLSX module compiled on first use, then warm), on a
// workbook converted by openpyxl from a generated ES-003
// (generate --entries 8000 --lines 10 --seed 9, then tests/data/make_xlsx.py --convert).
//
// With --cold it measures a cold start instead: the offline page opened from
// file:// in a fresh tab and the small standard sample chosen at once; it
// prints the time from opening the page to the summary shown, and from the
// file chosen to the summary.
//
// Usage: node scripts/bench_browser.mjs [--browser chromium|firefox|webkit] [--workers N] [--entries N] [--file PATH] [--runs N]
//                                       [--settle MS] [--papa-chunk BYTES]
//        node scripts/bench_browser.mjs --xlsx [--browser ...] [--file PATH.xlsx] [--runs N]
//        node scripts/bench_browser.mjs --cold [--served] [--browser ...] [--runs N]
// Needs the page built (scripts/build_web.py) and the native binary's
// generator (built here with cargo when missing).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { DIST, OFFLINE_FILE_URL, ROOT, startServer } from '../tests/browser/harness.mjs';
import { ENGINES, launchEngine } from '../tests/browser/engines.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const engine = option('browser', 'chromium');
if (!ENGINES.includes(engine)) throw new Error(`--browser: one of ${ENGINES.join(', ')}`);
const entries = Number(option('entries', '100000'));
const runs = Number(option('runs', '3'));
let file = option('file', null);
const wasmGzipKB = (name) => gzipSync(readFileSync(join(DIST, 'pkg', name, `cape_check_${name}_bg.wasm`)), { level: 9 }).length / 1024;

if (args.includes('--xlsx')) {
  await benchXlsx();
  process.exit(0);
}
if (args.includes('--cold')) {
  await benchCold();
  process.exit(0);
}

if (!file) {
  const directory = join(ROOT, 'bench-data');
  mkdirSync(directory, { recursive: true });
  file = join(directory, `es003_${entries}_entries.csv`);
  if (!existsSync(file)) {
    console.log('building the generator (cargo build --release) ...');
    execFileSync('cargo', ['build', '--release', '--bin', 'cape-check'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(join(ROOT, 'target', 'release', 'cape-check'),
      ['generate', '--entries', String(entries), '--seed', '1', '--out', file], { stdio: 'inherit' });
  }
}
const size = statSync(file).size;
const mb = size / 1e6;
if (size < 100e6) console.warn(`warning: ${mb.toFixed(0)} MB is under the 100 MB the benchmark is meant for`);

const require = createRequire(import.meta.url);
const papaSource = readFileSync(require.resolve('papaparse/papaparse.min.js'), 'utf8');
const wasmGzip = wasmGzipKB('csv') * 1024;

const server = await startServer();
const driver = await launchEngine(engine);
console.log(driver.version ? `${engine} (${driver.version})` : engine);
// --workers N: the page reads a large file in N parts, one worker each
// (the page's `?workers=`; without it, one a core the browser reports).
const workers = option('workers', null);
await driver.goto(workers ? `${server.url}?workers=${workers}` : server.url);
await driver.waitFor(() => document.documentElement.dataset.engineWarm === 'true', undefined, { timeout: 60_000, what: 'the warm-up' });
// As a user would, the first run starts once the page has settled: the
// engine's warm-up (worker.js) is done, and the engine has finished
// optimising its code in the background, while the user chooses a file
// (which takes longer than the 2 s waited here; --settle 0 drops a file the
// moment the warm-up ends: the first run is then about 10% slower).
await new Promise((done) => setTimeout(done, Number(option('settle', '2000'))));
await driver.evaluate(() => {
  const input = document.querySelector('[data-testid="as-of"]');
  input.value = '2026-11-22';
  input.dispatchEvent(new Event('input', { bubbles: true }));
});

// Times from the file input's change event to the summary in the DOM.
await driver.evaluate(() => {
  document.addEventListener('change', (event) => {
    if (event.target.matches('input[type=file]')) self.__benchStart = performance.now();
  }, true);
  new MutationObserver(() => {
    if (self.__benchStart && !self.__benchEnd && document.querySelector('[data-testid="summary"]')) {
      self.__benchEnd = performance.now();
    }
  }).observe(document.body, { childList: true, subtree: true });
});

const endToEnd = [];
for (let run = 0; run < runs; run += 1) {
  await driver.evaluate(() => { self.__benchStart = 0; self.__benchEnd = 0; });
  await driver.setFiles(() => document.getElementById('drop-zone-input'), file);
  await driver.waitFor(() => self.__benchEnd > 0, undefined, { timeout: 600_000, what: 'the summary' });
  const ms = await driver.evaluate(() => self.__benchEnd - self.__benchStart);
  endToEnd.push(ms);
  // The rest of the run (findings.csv) before the next one starts.
  await driver.waitFor(() => !!document.querySelector('a[data-download="findings"]'), undefined, { timeout: 600_000, what: 'findings.csv' });
  // The file's fingerprint, computed after the results for a large file (issue 25): when it is shown.
  await driver.waitFor(() => document.querySelector('[data-testid="fingerprint"]')?.dataset.sha256, undefined, { timeout: 600_000, what: 'the fingerprint' });
  const fingerprintMs = await driver.evaluate(() => performance.now() - self.__benchEnd);
  const parts = await driver.evaluate(() => ({ ...document.getElementById('results').dataset }));
  console.log(`end to end, run ${run + 1}: ${(ms / 1000).toFixed(2)} s = ${(mb / (ms / 1000)).toFixed(0)} MB/s`
    + ` (read+audit ${parts.readMs} ms, finish ${parts.finishMs} ms, render ${parts.renderMs} ms; ${splitWords(parts)}; to the worker and back ${parts.messagesMs}; summary at ${parts.summaryMs} ms, last run freed in ${parts.freeMs} ms;`
    + ` the fingerprint shown at most ${Math.round(fingerprintMs)} ms after the summary)`);
}
const totals = await driver.evaluate(() => document.querySelector('[data-testid="summary"]').innerText);
const dataset = await driver.evaluate(() => ({ ...document.getElementById('results').dataset }));
const helperMemoryMb = JSON.parse(dataset.splitMs).helperMemoryMb;
const wasmMemory = Number(dataset.wasmMemoryMb) * 2 ** 20;

// The entries table must stay usable at this size: time a filter change.
const filterMs = await driver.evaluate(() => new Promise((resolve) => {
  const select = document.getElementById('filter-verdict');
  const started = performance.now();
  select.value = 'blocked';
  select.dispatchEvent(new Event('change'));
  const tbody = document.querySelector('table.entries tbody');
  new MutationObserver((_, observer) => {
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - started));
  }).observe(tbody, { childList: true });
}));
const tableRows = await driver.evaluate(() => document.querySelectorAll('table.entries tbody tr').length);

// Papa Parse in a worker, same file, parse only.
await driver.evaluate(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'bench-papa-input';
  input.hidden = true;
  document.body.append(input);
});
await driver.setFiles(() => document.getElementById('bench-papa-input'), file);
const papaChunk = Number(option('papa-chunk', String(1 << 20)));
const papa = [];
for (let run = 0; run < runs; run += 1) {
  const result = await driver.evaluate(({ source, chunk }) => new Promise((resolve) => {
    const body = `${source}
      const CHUNK = ${chunk};
      self.onmessage = (event) => {
        const started = performance.now();
        let rows = 0;
        Papa.parse(event.data, {
          chunkSize: CHUNK,
          chunk: (results) => { rows += results.data.length; },
          complete: () => self.postMessage({ ms: performance.now() - started, rows }),
          error: (error) => self.postMessage({ error: String(error) }),
        });
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([body], { type: 'text/javascript' })));
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
    worker.onerror = (event) => resolve({ error: event.message });
    worker.postMessage(document.getElementById('bench-papa-input').files[0]);
  }), { source: papaSource, chunk: papaChunk });
  if (result.error) throw new Error(result.error);
  papa.push(result.ms);
  console.log(`Papa Parse, run ${run + 1}: ${(result.ms / 1000).toFixed(2)} s = ${(mb / (result.ms / 1000)).toFixed(0)} MB/s (${result.rows} rows)`);
}

await driver.close();
await server.close();

const best = (list) => Math.min(...list);
const rate = (ms) => mb / (ms / 1000);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const figures = {
  browser: driver.version ? `${engine} (${driver.version})` : engine,
  file: `${file} (${mb.toFixed(1)} MB)`,
  endToEndFirstMBps: rate(endToEnd[0]).toFixed(0),
  endToEndMedianMBps: rate(median(endToEnd)).toFixed(0),
  endToEndBestMBps: rate(best(endToEnd)).toFixed(0),
  papaParseMedianMBps: rate(median(papa)).toFixed(0),
  papaParseBestMBps: rate(best(papa)).toFixed(0),
  speedupBest: (best(papa) / best(endToEnd)).toFixed(2),
  speedupMedians: (median(papa) / median(endToEnd)).toFixed(2),
  speedupFirstRuns: (papa[0] / endToEnd[0]).toFixed(2),
  wasmMemoryMB: (wasmMemory / 2 ** 20).toFixed(1),
  helperWasmMemoryMB: helperMemoryMb.toFixed(1), // during the run; the helper is replaced after it
  wasmGzipKB: (wasmGzip / 1024).toFixed(1),
  wasmXlsxGzipKB: wasmGzipKB('xlsx').toFixed(1),
  tableFilterMs: filterMs.toFixed(0),
  tableDomRows: tableRows,
};
console.log('\nsummary shown:', totals.replace(/\s+/g, ' '));
console.log(JSON.stringify(figures, null, 2));
const verdict = (ok) => (ok ? 'meets' : 'MISSES');
// Judged on the medians of the runs (the first run included): the best run
// alone would flatter both sides on this noisy machine.
console.log(`end to end ${figures.endToEndMedianMBps} MB/s (median; first ${figures.endToEndFirstMBps}, best ${figures.endToEndBestMBps}): ${verdict(rate(median(endToEnd)) >= 150)} the 150 MB/s target`);
console.log(`vs Papa Parse ${figures.speedupMedians}x (medians; best against best ${figures.speedupBest}x, first runs ${figures.speedupFirstRuns}x): ${verdict(median(papa) / median(endToEnd) >= 2)} the 2x target`);
console.log(`wasm memory: the engine's ${figures.wasmMemoryMB} MB after the run, the helper's ${figures.helperWasmMemoryMB} MB during it`);
// The memory targets: 64 MB for the 100,000-entry export (issue 4), 400 MB
// for 1,000,000 entries (issue 12); the engine's wasm memory after the run.
const memoryTargetMb = entries > 100_000 ? 400 : 64;
console.log(`wasm memory ${figures.wasmMemoryMB} MB: ${verdict(wasmMemory < memoryTargetMb * 2 ** 20)} the ${memoryTargetMb} MB target for ${entries.toLocaleString('en-US')} entries`);
console.log(`wasm ${figures.wasmGzipKB} KB gzipped: ${verdict(wasmGzip < 150 * 1024)} the 150 KB target`);

/** XLSX: rows per second on the page, first run (module compiled on demand) and warm runs. */
async function benchXlsx() {
  let workbook = file;
  if (!workbook) {
    const directory = join(ROOT, 'bench-data');
    mkdirSync(directory, { recursive: true });
    const csv = join(directory, 'es003-8000-entries-10-lines-seed9.csv');
    workbook = join(directory, 'es003-8000-entries-10-lines-seed9.xlsx'); // the names benches/audit.rs uses too
    if (!existsSync(workbook)) {
      if (!existsSync(join(ROOT, 'target', 'release', 'cape-check'))) {
        execFileSync('cargo', ['build', '--release', '--bin', 'cape-check'], { cwd: ROOT, stdio: 'inherit' });
      }
      execFileSync(join(ROOT, 'target', 'release', 'cape-check'),
        ['generate', '--entries', '8000', '--lines', '10', '--seed', '9', '--out', csv], { stdio: 'inherit' });
      console.log('converting to XLSX with openpyxl ...');
      execFileSync('python3', [join(ROOT, 'tests', 'data', 'make_xlsx.py'), '--convert', csv, workbook], { stdio: 'inherit' });
    }
  }
  const megabytes = statSync(workbook).size / 1e6;
  const server = await startServer();
  const driver = await launchEngine(engine);
  await driver.goto(server.url);
  await driver.waitFor(() => document.querySelectorAll('#sample-choice option').length > 0, undefined, { what: 'the checker' });
  await driver.evaluate(() => {
    const input = document.querySelector('[data-testid="as-of"]');
    input.value = '2026-11-22';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const results = [];
  for (let run = 0; run < runs; run += 1) {
    await driver.evaluate(() => { delete document.getElementById('results').dataset.rows; });
    const started = Date.now();
    await driver.setFiles(() => document.getElementById('drop-zone-input'), workbook);
    await driver.waitFor(() => document.getElementById('results').dataset.rows, undefined, { timeout: 600_000, what: 'the results' });
    const wallMs = Date.now() - started;
    const parts = await driver.evaluate(() => ({ ...document.getElementById('results').dataset }));
    const rows = Number(parts.rows);
    results.push({ rows, readMs: Number(parts.readMs), totalMs: Number(parts.totalMs), wallMs, engine: parts.engine });
    console.log(`XLSX run ${run + 1} (${parts.engine} module): ${rows} rows, read+audit ${parts.readMs} ms,`
      + ` page total ${parts.totalMs} ms = ${Math.round(rows / (Number(parts.totalMs) / 1000))} rows/s`);
  }
  const xlsxMemoryMb = await driver.evaluate(() => document.getElementById('results').dataset.wasmMemoryMb);
  await driver.close();
  await server.close();
  const best = results.reduce((a, b) => (a.totalMs <= b.totalMs ? a : b));
  console.log(JSON.stringify({
    browser: engine,
    file: `${workbook} (${megabytes.toFixed(1)} MB)`,
    rows: best.rows,
    firstRunRowsPerSecond: Math.round(results[0].rows / (results[0].totalMs / 1000)),
    bestRowsPerSecond: Math.round(best.rows / (best.totalMs / 1000)),
    xlsxWasmMemoryMB: xlsxMemoryMb, // at the end of the last run; the page then starts a fresh worker to give it back
    wasmCsvGzipKB: wasmGzipKB('csv').toFixed(1),
    wasmXlsxGzipKB: wasmGzipKB('xlsx').toFixed(1),
  }, null, 2));
}

/** Where a split run's read went (worker.js `split`), in words. */
function splitWords(parts) {
  const split = JSON.parse(parts.splitMs);
  const ms = (value) => `${Math.round(value)} ms`;
  if (parts.helped !== 'true') return `one worker (wasm ${ms(split.ownWasmMs)} of the read, the rest waiting for the file)`;
  return `${split.parts} parts: the engine's own part ${ms(split.ownMs)} (wasm ${ms(split.ownWasmMs)}, the rest waiting for the file), `
    + `the slowest helper's ${ms(split.helperMs)} (wasm ${ms(split.helperWasmMs)}), `
    + `then waiting for the helpers ${ms(split.waitMs)}, joins ${ms(split.joinMs)}; wasm memory ${split.beforeJoinMb} MB `
    + `before the joins, ${split.afterJoinMb} MB after, the largest helper's ${split.helperMemoryMb} MB`;
}

/** A cold start: the offline page, opened afresh, and the small sample chosen at once. */
async function benchCold() {
  const sample = join(ROOT, 'tests', 'data', 'samples', 'es003_importer_standard.csv');
  // --served: the served page instead of the offline file.
  const server = args.includes('--served') ? await startServer() : null;
  const driver = await launchEngine(engine);
  console.log(driver.version ? `${engine} (${driver.version})` : engine);
  const opened = [];
  const chosen = [];
  for (let run = 0; run < runs; run += 1) {
    await driver.goto('about:blank');
    await driver.goto(server ? server.url : OFFLINE_FILE_URL);
    await driver.setFiles(() => document.getElementById('drop-zone-input'), sample);
    await driver.waitFor(() => !!document.getElementById('results')?.dataset.summaryAt, undefined, { timeout: 60_000, what: 'the summary' });
    const times = await driver.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      return {
        ...document.getElementById('results').dataset,
        parsedAt: Math.round(navigation?.domInteractive ?? 0),
        readyAt: document.documentElement.dataset.engineReadyAt,
        warmAt: document.documentElement.dataset.engineWarmAt ?? 'not yet',
        loadedAt: Math.round(navigation?.loadEventEnd ?? 0),
      };
    });
    opened.push(Number(times.summaryAt));
    chosen.push(Number(times.summaryMs));
    console.log(`cold run ${run + 1}: page opened -> summary ${times.summaryAt} ms (page parsed at ${times.parsedAt} ms, loaded at ${times.loadedAt} ms, engine ready at ${times.readyAt} ms, warm-up done at ${times.warmAt}, file chosen at ${times.chosenAt} ms; chosen -> summary ${times.summaryMs} ms)`);
  }
  const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
  console.log(`cold start, median of ${runs}: page opened -> summary ${median(opened)} ms; file chosen -> summary ${median(chosen)} ms`);
  await driver.close();
  await server?.close();
}
