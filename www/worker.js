// The worker owns the wasm audit engines. It is started from a Blob URL
// holding the wasm-bindgen glue of both modules (classic scripts defining
// the globals `capeCheckCsv` and `capeCheckXlsx`, see wasm-pack.toml)
// followed by this file. The page (or the widget) posts it the compiled CSV
// module, then work; it reads files as streams and feeds the engine chunks
// of about 1 MiB (V8 optimises wasm between calls).
//
// The XLSX module (calamine, about three times the size) is asked for only
// when a run holds an XLSX file (ZIP magic PK\3\4 in its first bytes): the
// worker posts `need-xlsx`, the page compiles that module once and posts
// `xlsx-module`, and the whole run is audited by it (the same Auditor API).
//
// The finished audit stays here (`results`, in wasm memory): the worker
// posts its overview (`done`), then findings.csv, and answers the page's
// questions (`entries`: one page of the table; `include`: entries to review
// into the declaration). A report of 100,000 entries never crosses whole.
/* global capeCheckCsv, capeCheckXlsx */
'use strict';

const CHUNK_BYTES = 1 << 20;
const PROGRESS_EVERY_MS = 100;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

let engine = null; // the CSV engine: validation, declarations, CSV-only runs
let wasmExports = null; // the CSV instance's exports; its memory is what the engine uses
let xlsxEngine = null; // started on the first run with an XLSX file
let xlsxExports = null; // its memory: calamine holds the whole workbook (hundreds of MB for a large one)
let xlsxModuleArrived = null; // resolves with the compiled XLSX module
let results = null; // the last run's finished audit

self.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init(message.module);
      break;
    case 'validate':
      reply(message, { problem: validate(message.field, message.text) });
      break;
    case 'audit':
      audit(message.settings, message.files, message.firstPage).catch((error) => fail(error));
      break;
    case 'xlsx-module':
      xlsxModuleArrived?.resolve(message.module);
      break;
    case 'entries':
      answer(message, () => ({ page: results.entries(message.query) }));
      break;
    case 'include':
      answer(message, () => {
        const included = results.include(message.entries ?? null, message.include);
        const files = results.declarations();
        return { included, files, transfer: files.map((file) => file.bytes.buffer) };
      });
      break;
    default:
      break;
  }
};

function init(module) {
  try {
    wasmExports = capeCheckCsv.initSync({ module });
    engine = capeCheckCsv;
    self.postMessage({ type: 'ready', explanations: engine.findingExplanations() });
  } catch (error) {
    self.postMessage({ type: 'failed', message: `The checker could not start: ${messageOf(error)}` });
    return;
  }
  try {
    warmUp();
  } catch {
    // Only speed is lost: the first run starts in baseline code.
  }
}

/**
 * Feeds a small synthetic export (about 1.5 MB, made here) through a
 * throw-away audit while the user is still choosing a file, so that V8 has
 * optimised the hot wasm code before the first real run: otherwise that
 * run spends its first few hundred milliseconds in baseline code.
 * Nothing of it is kept or shown.
 */
function warmUp() {
  const header = 'Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,'
    + 'Entry Summary Date,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,'
    + 'Line Tariff Duty Amount,Liquidation Status\r\n';
  const rows = [header];
  for (let i = 0; i < 20000; i += 1) {
    const hts = i % 3 === 2 ? '6307909870' : '99030269';
    rows.push(`XQ710042173,01,${Math.floor(i / 3) + 1},98-765432100,01/30/2026,${(i % 3) + 1},${hts},"$1,000.00","$2,000.00",Unliquidated\r\n`);
  }
  const bytes = new TextEncoder().encode(rows.join(''));
  const auditor = new engine.Auditor({ importer: '98-765432100', asOf: '2026-11-22' });
  auditor.beginFile('warm-up.csv');
  for (let at = 0; at < bytes.length; at += 1 << 16) auditor.feed(bytes.subarray(at, at + (1 << 16)));
  auditor.endFile();
  const warm = auditor.finish();
  warm.overview();
  warm.entries({ limit: 50 });
  warm.free();
}

function validate(field, text) {
  switch (field) {
    case 'importer': return engine.importerNumberProblem(text) ?? null;
    case 'filer': return engine.filerCodeProblem(text) ?? null;
    case 'as-of': return engine.filingDateProblem(text) ?? null;
    default: return null;
  }
}

/** The engine for a run: the XLSX one when any file of it is a workbook. */
async function engineFor(files) {
  const heads = await Promise.all(files.map((file) => file.slice(0, ZIP_MAGIC.length).arrayBuffer()));
  const workbook = heads.some((head) => {
    const bytes = new Uint8Array(head);
    return ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
  });
  if (!workbook) return { kind: 'csv', auditEngine: engine };
  if (!xlsxEngine) {
    let resolve;
    const arrived = new Promise((done) => { resolve = done; });
    xlsxModuleArrived = { resolve };
    self.postMessage({ type: 'need-xlsx' });
    const module = await arrived;
    xlsxModuleArrived = null;
    xlsxExports = capeCheckXlsx.initSync({ module });
    xlsxEngine = capeCheckXlsx;
  }
  return { kind: 'xlsx', auditEngine: xlsxEngine };
}

async function audit(settings, files, firstPageQuery) {
  if (files.length === 0) throw new Error('No file was given.');
  const { kind, auditEngine } = await engineFor(files);
  results?.free();
  results = null;
  const auditor = new auditEngine.Auditor(settings);
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const buffer = new Uint8Array(CHUNK_BYTES);
  let bytesDone = 0;
  let lastProgress = 0;
  const started = performance.now();

  const progress = (fileIndex, force) => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    self.postMessage({
      type: 'progress', fileIndex, fileName: files[fileIndex].name, fileCount: files.length,
      bytesRead: bytesDone, bytesTotal, rows: auditor.rowsRead(), elapsedMs: now - started,
    });
  };

  for (let index = 0; index < files.length; index += 1) {
    const file = files[index];
    auditor.beginFile(file.name);
    progress(index, true);
    const reader = file.stream().getReader();
    let filled = 0;
    let pending = reader.read();
    for (;;) {
      const { done, value } = await pending;
      if (done) break;
      // Ask for the next bytes before feeding these: reading overlaps the audit.
      pending = reader.read();
      let offset = 0;
      while (offset < value.length) {
        if (filled === 0 && value.length - offset >= CHUNK_BYTES) {
          // A whole chunk is already there: feed it without copying.
          auditor.feed(value.subarray(offset, offset + CHUNK_BYTES));
          offset += CHUNK_BYTES;
        } else {
          const take = Math.min(CHUNK_BYTES - filled, value.length - offset);
          buffer.set(value.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === CHUNK_BYTES) {
            auditor.feed(buffer);
            filled = 0;
          }
        }
      }
      bytesDone += value.length;
      progress(index, false);
    }
    if (filled > 0) auditor.feed(buffer.subarray(0, filled));
    auditor.endFile();
  }
  progress(files.length - 1, true);

  const read = performance.now();
  results = auditor.finish();
  const overview = results.overview();
  const declarations = results.declarations();
  // Asked for by the page's table (one page) or a widget exposing entries (all).
  const firstPage = firstPageQuery ? results.entries(firstPageQuery) : null;
  const memory = (kind === 'xlsx' ? xlsxExports : wasmExports).memory.buffer.byteLength;
  const timings = { readMs: read - started, finishMs: performance.now() - read, wasmMemoryBytes: memory };
  self.postMessage({ type: 'done', overview, declarations, firstPage, timings, engine: kind },
    declarations.map((file) => file.bytes.buffer));
  // After the summary: the page shows it while this is written.
  const findingsCsv = results.findingsCsv();
  self.postMessage({ type: 'findings-csv', bytes: findingsCsv }, [findingsCsv.buffer]);
}

/** Answers a question about the last run: `{problem}` when there is none or it throws. */
function answer(request, work) {
  if (!results) {
    reply(request, { problem: 'No check has finished yet: drop a file first.' });
    return;
  }
  try {
    const { transfer = [], ...body } = work();
    reply(request, body, transfer);
  } catch (error) {
    reply(request, { problem: messageOf(error) });
  }
}

function reply(request, body, transfer = []) {
  self.postMessage({ type: request.type, id: request.id, ...body }, transfer);
}

function fail(error) {
  self.postMessage({ type: 'failed', message: messageOf(error) });
}

function messageOf(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
