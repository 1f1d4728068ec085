// The engine's worker. Its protocol, in full. Every type is a constant of
// MSG (www/engine_messages.js, which the build places before this file:
// wasm-pack.toml, [page] worker); the other side, for the page and the
// widget alike, is www/engine_client.js. A helper is another copy of this
// worker: it gets `init` and `serve-parts`, and its own `ready` and `warm`
// are not listened to.
//
// Page (or widget) -> worker, by worker.postMessage:
//   init         {module}                    the compiled CSV wasm; answered by `ready` or `failed`.
//                                            Sent to the helpers too (they read with the same module).
//   validate     {id, field, text}           request: field 'importer' | 'filer' | 'as-of'
//   audit        {settings, files, fileDates, firstPage}
//                                            a run: settings {importer | filer, asOf, perImporter,
//                                            includeReview, nonCorporate, citPlaintiff, fixed (entry
//                                            numbers whose fix the user confirmed), downloadDates ({file
//                                            name: date}, the user's dates of Claim Details downloads)},
//                                            files (File/Blob[]), fileDates (each file's own date,
//                                            "YYYY-MM-DD" or null: setFileDate), firstPage (an
//                                            entries query {limit, ...} answered within `done`, or null)
//   xlsx-module  {module}                    the compiled XLSX wasm, after this worker's `need-xlsx`
//   helper-port  {slot, port}                (transferred) a MessagePort to helper worker number `slot`
//   helper-lost  {slot}                      that helper failed: what it was asked is read here
//   serve-parts  {port}                      (to a helper only, transferred) the port to the engine's worker
//   workbook     {id, settings, written}     request: the last run's cape-check-report.xlsx (the XLSX
//                                            module writes it: asked for with `need-xlsx` when this worker
//                                            has none yet); written: [{name, entries, sha256}] the files the
//                                            page offers (declarations, cape-refile.csv, findings.csv), for
//                                            the workbook's Summary; answered {bytes, sha256} (transferred)
//   entries      {id, query}                 request: a page of the last run's entries
//   include      {id, entries, include}      request: entries to review (entries: string[] or null
//                                            for all) into the declaration (include true) or out of it
//   bytes        {id, bytes} | {id, problem} the answer to this worker's `read`: the bytes (transferred),
//                                            or why the page could not read them either
//
// Worker -> page (or widget), by self.postMessage:
//   ready        {explanations, ruleBook}    started; explanations: [{code, explanation}]; ruleBook:
//                                            {edition, rules: [{from, rule, source, confidence, check}]}
//                                            (null when the engine has no ruleBook)
//   failed       {message}                   could not start (before `ready`) or a run failed
//   warm         {}                          the warm-up run is done (the benchmark waits for it)
//   need-xlsx    {}                          a run holds a workbook: send `xlsx-module`
//   progress     {fileIndex, fileName, fileCount, bytesRead, bytesTotal, rows, elapsedMs}
//   done         {overview, declarations, refile, firstPage, timings, engine}
//                                            a run's end: overview (with court_deadline_near
//                                            {entries, earliest}, and `claims` with Claim Details),
//                                            declarations [{name, bytes, sha256}] and refile (cape-refile.csv:
//                                            the entries to file again; [] when none) (bytes
//                                            transferred), firstPage (the answer to the audit's
//                                            firstPage, or null), engine 'csv' | 'xlsx', timings
//                                            {readMs, finishMs, wasmMemoryBytes, helped, joinedFiles,
//                                            split, freeMs, readBy ('worker' | 'page'), startedAt, postedAt}
//   fingerprint  {fileIndex, sha256}         after `findings-csv`: the SHA-256 of an input whose bytes were
//                                            not hashed as they were audited (a large one: its first result
//                                            does not wait for it; `overview.files[i].sha256` was null)
//   findings-csv {bytes, sha256, groups}     right after `done`: the run's findings.csv (transferred), and
//                                            the findings grouped by code and severity (read from it):
//                                            [{code, severity, entries, in_files, examples}]
//   read         {id, fileIndex, start, end} this worker cannot read the run's files itself (WebKit, from
//                                            a file:// page): the page reads bytes [start, end) of
//                                            files[fileIndex] and answers `bytes`
//   answers      {type, id, ...}             to a request, with its type and id: validate {problem}
//                                            (null when the text is fine); entries {page};
//                                            include {included, files: [{name, bytes}]}; entries and
//                                            include {problem} when no run has finished or the question failed
//
// Engine's worker <-> each helper, on the MessagePort of `helper-port` / `serve-parts`:
//   part          {id, spec, file, start, end}
//                                            engine -> helper: read bytes [start, end) of `file` (end:
//                                            the file's size for the last part) as the part `spec`
//                                            (Auditor.partSpec) says
//   part-progress {id, bytes, rows}          helper -> engine, while it reads
//   part-done     {id, part, timings}        helper -> engine: the part for joinPart (transferred),
//                                            timings {readMs, wasmMs, finishMs, wasmMemoryBytes}
//   part-failed   {id, message}              helper -> engine: it could not (the engine reads that part)
//
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
// One large CSV is read by several workers at once, one a core: the page may
// give this worker MessagePorts to helpers, other copies of this script.
// Once the header is read, this worker cuts the file at line starts into as
// many parts as there are workers, asks each helper to read one of the later
// parts (`part`), reads the first itself, then joins the helpers' rows in
// order (`joinPart`), exactly as if it had read them; a part that cannot be
// joined exactly is read here instead, and the parts after it still join.
// The helpers answer on their ports (`part-progress`, `part-done`, `part-failed`).
//
// Reading a file: straight from the File (a stream), or, where a worker
// cannot read Files (WebKit: a worker started from a blob: URL by a file://
// page gets "The I/O read operation failed." from stream(), arrayBuffer() and
// FileReaderSync alike, while the page's main thread reads them), through
// the page: the worker asks for each 1 MiB range (`read`) one ahead of the
// one it feeds, and the page answers with the bytes (`bytes`, transferred).
// The first read of a run tells which: when it fails here and the page's
// works, the page reads for this worker from then on (no helpers then: they
// could not read either). A read that fails both ways ends the run with
// words that say so.
//
// The finished audit stays here (`results`, in wasm memory): the worker
// posts its overview (`done`), then findings.csv, and answers the page's
// questions (`entries`: one page of the table; `include`: entries to review
// into the declaration). A report of 100,000 entries never crosses whole.
/* global capeCheckCsv, capeCheckXlsx, MSG */
'use strict';

const CHUNK_BYTES = 1 << 20; // the first read of a file that may be split; the engine's input area is as large
const PROGRESS_EVERY_MS = 100;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
// Smaller files are read by one worker: a split would save little.
const SPLIT_MIN_BYTES = 16 << 20;
// From this size a file's SHA-256 is computed after its results, not as it is audited (see audit()).
const FINGERPRINT_INLINE_MAX_BYTES = 4 << 20;
// Bytes read at a time to compute a fingerprint after the results.
const FINGERPRINT_CHUNK = 1 << 20;
// The warm-up starts this long after the engine is ready (see startWarmUp).
const WARM_UP_AFTER_MS = 250;
// Where to look for the line start that cuts a file, after a cut's point.
const SPLIT_SEARCH_BYTES = 1 << 20;

let engine = null; // the CSV engine: validation, declarations, CSV-only runs
let wasmExports = null; // the CSV instance's exports; its memory is what the engine uses
let xlsxEngine = null; // started on the first run with an XLSX file
let xlsxExports = null; // its memory: calamine holds the whole workbook (hundreds of MB for a large one)
let xlsxModuleArrived = null; // resolves with the compiled XLSX module
let results = null; // the last run's finished audit
let runFingerprints = []; // by file index: the SHA-256 of the last run's inputs computed after its results
let helpers = []; // by slot: { port, next, waiting: Map(id -> handlers) }, the helper workers the page gave
let readsThroughPage = false; // this worker cannot read Files: the page reads them for it (see above)
const pageReads = { next: 1, waiting: new Map() }; // this worker's `read` requests: id -> { resolve, reject }

self.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case MSG.INIT:
      init(message.module);
      break;
    case MSG.VALIDATE:
      reply(message, { problem: validate(message.field, message.text) });
      break;
    case MSG.AUDIT:
      stopWarmUp();
      // A warm-up that a run stopped is done after it, for the next run.
      audit(message.settings, message.files, message.firstPage, message.fileDates ?? []).catch((error) => fail(error))
        .finally(() => { if (!warmedUp && !warmUpSteps) startWarmUp(); });
      break;
    case MSG.XLSX_MODULE:
      xlsxModuleArrived?.resolve(message.module);
      break;
    case MSG.HELPER_PORT: { // this worker audits; the port leads to one of its helpers
      const mine = { port: message.port, next: 1, waiting: new Map() };
      // Answers go to the waiting of this helper only: a helper that was
      // replaced or lost may still answer on its own port.
      mine.port.onmessage = (reply) => mine.waiting.get(reply.data.id)?.(reply.data);
      helpers[message.slot ?? 0] = mine;
      break;
    }
    case MSG.HELPER_LOST: { // the page saw a helper fail: what it was asked is read here
      const lost = helpers[message.slot ?? 0];
      if (lost) for (const waiting of [...lost.waiting.values()]) waiting({ type: MSG.PART_FAILED });
      helpers[message.slot ?? 0] = null;
      break;
    }
    case MSG.SERVE_PARTS: // this worker is a helper; the port leads to the auditing worker
      message.port.onmessage = (request) => {
        stopWarmUp();
        readPart(message.port, request.data).catch((error) => {
          message.port.postMessage({ type: MSG.PART_FAILED, id: request.data.id, message: messageOf(error) });
        });
      };
      break;
    case MSG.BYTES: {
      const waiting = pageReads.waiting.get(message.id);
      pageReads.waiting.delete(message.id);
      if (message.bytes) waiting?.resolve(new Uint8Array(message.bytes));
      else waiting?.reject(Object.assign(new Error(message.problem), { name: message.name ?? 'Error' }));
      break;
    }
    case MSG.ENTRIES:
      answer(message, () => ({ page: results.entries(message.query) }));
      break;
    case MSG.INCLUDE:
      answer(message, () => {
        const included = results.include(message.entries ?? null, message.include);
        const files = results.declarations();
        return { included, files, transfer: files.map((file) => file.bytes.buffer) };
      });
      break;
    case MSG.WORKBOOK:
      workbook(message).catch((error) => reply(message, { problem: messageOf(error) }));
      break;
    default:
      break;
  }
};

function init(module) {
  try {
    wasmExports = capeCheckCsv.initSync({ module });
    engine = capeCheckCsv;
    const ruleBook = typeof engine.ruleBook === 'function' ? engine.ruleBook() : null;
    self.postMessage({ type: MSG.READY, explanations: engine.findingExplanations(), ruleBook });
  } catch (error) {
    self.postMessage({ type: MSG.FAILED, message: `The checker could not start: ${messageOf(error)}` });
    return;
  }
  startWarmUp();
}

let warmUpSteps = null; // the warm-up's steps while it runs (a generator)
let warmedUp = false; // the warm-up ran to its end

/**
 * Runs the warm-up (below) a slice at a time, each slice a task of its own,
 * so that a run the user starts meanwhile waits for one slice at most (a
 * few milliseconds), never for the whole warm-up: a user who drops a small
 * file at once has its results without the warm-up's hundreds of
 * milliseconds of baseline code. A run, or a part asked of a helper, stops
 * it ([stopWarmUp]): the run itself then warms the engine. Slices are
 * chained through a MessageChannel, which (unlike nested timers) is never
 * clamped to 4 ms.
 */
function startWarmUp() {
  const steps = warmUp();
  warmUpSteps = steps;
  const channel = new MessageChannel();
  const step = () => {
    if (warmUpSteps !== steps) return;
    let done = true;
    try {
      done = steps.next().done;
    } catch {
      // Only speed is lost: the first run starts in baseline code.
    }
    if (!done) {
      channel.port2.postMessage(null);
      return;
    }
    warmUpSteps = null;
    channel.port1.close();
  };
  channel.port1.onmessage = step;
  // It starts a moment after the engine is ready, so that a file chosen at
  // once (the page posts the run on `ready`) is read first: in a browser
  // whose first wasm calls run slowly (WebKit), a warm-up slice is long.
  setTimeout(() => channel.port2.postMessage(null), WARM_UP_AFTER_MS);
}

/** Stops the warm-up where it is (its auditor is freed). */
function stopWarmUp() {
  const steps = warmUpSteps;
  warmUpSteps = null;
  try {
    steps?.return();
  } catch {
    // nothing to free
  }
}

/**
 * Runs a made-up export (about 2.5 MB of 3,000 entries, made here) through
 * every step a real run takes, the split included (read in two parts and
 * joined, finished, its overview, a page of entries and the files), while
 * the user is still choosing a file: V8 then has optimised the hot wasm code
 * before the first real run, which otherwise starts in baseline code.
 * Nothing of it is kept or shown. Posts `warm` when done. A generator: each
 * `yield` ends a slice (see startWarmUp).
 */
function* warmUp() {
  const header = 'Entry Summary Number,Entry Type Code,Entry Summary Line Number,Importer Number,'
    + 'Entry Summary Date,Tariff Ordinal Number,HTS Number - Full,Line Tariff Goods Value Amount,'
    + 'Line Tariff Duty Amount,Liquidation Status,Liquidation Date\r\n';
  const rows = [header];
  yield; // the first slice does nothing: a run already asked for goes first
  for (let i = 0; i < 3000; i += 1) {
    if (i % 250 === 249) yield;
    const entry = engine.withCheckDigit(`XQ7${String(2000000 + i * 7).padStart(7, '0')}`);
    const liquidated = i % 5 === 0 ? `Liquidated,0${1 + (i % 9)}/1${i % 9}/2026` : 'Unliquidated,';
    for (let line = 1; line <= 4; line += 1) {
      rows.push(`${entry},01,${line},98-765432100,01/30/2026,1,99030124,$0.00,"$1,${i % 1000}.00",${liquidated}\r\n`,
        `${entry},01,${line},98-765432100,01/30/2026,2,6307909870,"$12,${i % 1000}.55",$700.00,${liquidated}\r\n`);
    }
  }
  const bytes = new TextEncoder().encode(rows.join(''));
  yield;
  const split = bytes.indexOf(10, bytes.length >> 1) + 1;
  const auditor = new engine.Auditor({ importer: '98-765432100', asOf: '2026-11-22' });
  let part = null;
  let warm = null;
  try {
    auditor.beginFile('warm-up.csv');
    for (let at = 0; at < split; at += 1 << 16) {
      auditor.feed(bytes.subarray(at, Math.min(at + (1 << 16), split)));
      yield;
    }
    part = new engine.PartAuditor(auditor.partSpec());
    for (let at = split; at < bytes.length; at += 1 << 16) {
      part.feed(bytes.subarray(at, at + (1 << 16)));
      yield;
    }
    const joined = part.finish(); // consumes the part
    part = null;
    auditor.joinPart(joined);
    auditor.endFile();
    yield;
    warm = auditor.finish(); // consumes the auditor
    warm.overview();
    warm.entries({ limit: 50 });
    yield;
    warm.declarations();
    warm.findingsCsv();
    warmedUp = true;
    self.postMessage({ type: MSG.WARM });
  } finally {
    part?.free();
    if (warm) warm.free();
    else auditor.free();
  }
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
  const heads = [];
  // One after the other: the first tells whether this worker can read Files at all.
  for (let index = 0; index < files.length; index += 1) heads.push(await readRange(files, index, 0, ZIP_MAGIC.length));
  const workbook = heads.some((bytes) => ZIP_MAGIC.every((byte, index) => bytes[index] === byte));
  if (!workbook) return { kind: 'csv', auditEngine: engine };
  return { kind: 'xlsx', auditEngine: await xlsxModule() };
}

/** The XLSX module (it reads workbooks and writes one), instantiated once: asked of the page (`need-xlsx`). */
async function xlsxModule() {
  if (!xlsxEngine) {
    let resolve;
    const arrived = new Promise((done) => { resolve = done; });
    xlsxModuleArrived = { resolve };
    self.postMessage({ type: MSG.NEED_XLSX });
    const module = await arrived;
    xlsxModuleArrived = null;
    xlsxExports = capeCheckXlsx.initSync({ module });
    xlsxEngine = capeCheckXlsx;
  }
  return xlsxEngine;
}

/**
 * The last run's cape-check-report.xlsx: its overview and every entry, with
 * the fingerprints computed since, written by the XLSX module.
 */
async function workbook(request) {
  if (!results) {
    reply(request, { problem: 'No check has finished yet: drop a file first.' });
    return;
  }
  const asked = results;
  const writer = await xlsxModule();
  if (asked !== results) {
    reply(request, { problem: 'The files were checked again meanwhile: ask for the workbook again.' });
    return;
  }
  const overview = results.overview();
  overview.files.forEach((file, index) => { file.sha256 ??= runFingerprints[index] ?? null; });
  const { entries } = results.entries({ limit: 0 });
  const text = new TextDecoder();
  const declarations = results.declarations().map((file) => ({ name: file.name, text: text.decode(file.bytes) }));
  const written = (request.written ?? []).map((file) => ({
    name: file.name, sha256: file.sha256 ?? '', ...(file.entries === undefined ? {} : { entries: file.entries }),
  }));
  const bytes = writer.writeWorkbook({ ...overview, entries }, request.settings, declarations, written);
  reply(request, { bytes, sha256: writer.sha256Hex(bytes) }, [bytes.buffer]);
}

/**
 * After the results: the SHA-256 of each input whose bytes were not hashed
 * as they were audited, read again a few MiB at a time (each posted as it
 * is known). Stops when another run starts.
 */
async function fingerprintsApart(files, overview, auditEngine) {
  const run = results;
  for (let index = 0; index < files.length; index += 1) {
    if (overview.files[index]?.sha256 !== null || typeof auditEngine.Fingerprinter !== 'function') continue;
    const fingerprinter = new auditEngine.Fingerprinter();
    let done = false;
    try {
      for (let at = 0; at < files[index].size; at += FINGERPRINT_CHUNK) {
        const bytes = await readRange(files, index, at, Math.min(files[index].size, at + FINGERPRINT_CHUNK));
        if (run !== results) return; // another run: this one's fingerprints are not wanted
        fingerprinter.update(bytes);
      }
      const sha256 = fingerprinter.finish(); // consumes it
      done = true;
      runFingerprints[index] = sha256;
      self.postMessage({ type: MSG.FINGERPRINT, fileIndex: index, sha256 });
    } finally {
      if (!done) fingerprinter.free();
    }
  }
}

async function audit(settings, files, firstPageQuery, fileDates) {
  if (files.length === 0) throw new Error('No file was given.');
  const { kind, auditEngine } = await engineFor(files);
  const freeing = performance.now();
  results?.free();
  results = null;
  const freeMs = performance.now() - freeing;
  const auditor = new auditEngine.Auditor(settings);
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  let bytesDone = 0; // by this worker
  const helping = []; // by each helper, in the file it reads now: { bytes, rows, timings }
  let helped = false; // a helper read part of a file
  let joinedFiles = 0; // files whose helpers' parts were all joined (else partly read here)
  // Where a split run's time went, for the benchmark: this worker's part,
  // its wait for the helpers, the joins, and the slowest helper's part.
  // (helperMemoryMb: the largest helper wasm memory when its part was done;
  // beforeJoinMb, afterJoinMb, readMb: this worker's, before the first and
  // after the last join, and once every file is read, before the audit is
  // finished; parts: how many parts the last split file was read in.)
  // (ownWasmMs, helperWasmMs: of those parts' times, the time in wasm; the
  // rest waited for the file's bytes.)
  const split = {
    parts: 1, ownMs: 0, ownWasmMs: 0, waitMs: 0, joinMs: 0, helperMs: 0, helperWasmMs: 0, helperMemoryMb: 0,
    beforeJoinMb: 0, afterJoinMb: 0, readMb: 0,
  };
  const memoryMb = () => (kind === 'xlsx' ? xlsxExports : wasmExports).memory.buffer.byteLength / 2 ** 20;
  const started = performance.now();
  const due = progressClock();
  const progress = (fileIndex, force) => {
    if (!due(force)) return;
    self.postMessage({
      type: MSG.PROGRESS, fileIndex, fileName: files[fileIndex].name, fileCount: files.length,
      bytesRead: bytesDone + helping.reduce((sum, h) => sum + h.bytes, 0), bytesTotal,
      rows: auditor.rowsRead() + helping.reduce((sum, h) => sum + h.rows, 0),
      elapsedMs: performance.now() - started,
    });
  };
  const fed = (index) => (length) => {
    bytesDone += length;
    progress(index, false);
  };

  for (let index = 0; index < files.length; index += 1) {
    const file = files[index];
    auditor.beginFile(file.name);
    // A large file's fingerprint is computed after its results (fingerprintsApart): hashing it as it
    // is read would hold the first result back by half as long again.
    if (file.size >= FINGERPRINT_INLINE_MAX_BYTES && typeof auditor.fingerprintApart === 'function') auditor.fingerprintApart();
    // The file's own date (lastModified, from the page): it dates a Claim
    // Details download that has no date column and no date in its name.
    // The same whoever reads the bytes (this worker, or the page for it).
    if (fileDates[index] && typeof auditor.setFileDate === 'function') auditor.setFileDate(fileDates[index]);
    progress(index, true);
    const splitters = helpers.filter(Boolean); // as they are now: the page may replace or lose them
    if (splitters.length > 0 && !readsThroughPage && kind === 'csv' && file.size >= SPLIT_MIN_BYTES) {
      const read = { files, index, auditor, fed: fed(index), progress: () => progress(index, false) };
      const outcome = await readInParts(read, splitters, helping, split, memoryMb);
      helped ||= outcome.helped;
      if (outcome.allJoined) joinedFiles += 1;
      helping.length = 0;
    } else {
      split.ownWasmMs += await feedStream({ files, index, start: 0, end: file.size }, auditor, fed(index));
    }
    auditor.endFile();
  }
  progress(files.length - 1, true);

  const read = performance.now();
  split.readMb = memoryMb();
  results = auditor.finish();
  runFingerprints = [];
  const overview = results.overview();
  const declarations = results.declarations(); // each with its sha256
  // cape-refile.csv: the entries Claim Details say to file again (none without Claim Details).
  const refile = typeof results.refileFiles === 'function' ? results.refileFiles() : [];
  // Asked for by the page's table (one page) or a widget exposing entries (all).
  const firstPage = firstPageQuery ? results.entries(firstPageQuery) : null;
  const memory = (kind === 'xlsx' ? xlsxExports : wasmExports).memory.buffer.byteLength;
  const timings = {
    readMs: read - started, finishMs: performance.now() - read, wasmMemoryBytes: memory, helped, joinedFiles, split, freeMs,
    readBy: readsThroughPage ? 'page' : 'worker', // who read the files (see "Reading a file" above)
    // On the clock the page reads too, to tell the time spent passing messages.
    startedAt: performance.timeOrigin + started, postedAt: performance.timeOrigin + performance.now(),
  };
  self.postMessage({ type: MSG.DONE, overview, declarations, refile, firstPage, timings, engine: kind },
    [...declarations, ...refile].map((file) => file.bytes.buffer));
  // After the summary: the page shows it while this is written.
  const findingsCsv = results.findingsCsv();
  const groups = findingGroups(findingsCsv, files.map((file) => file.name));
  const findingsSha256 = results.findingsCsvSha256(); // hashed as it was written
  self.postMessage({ type: MSG.FINDINGS_CSV, bytes: findingsCsv, sha256: findingsSha256, groups }, [findingsCsv.buffer]);
  await fingerprintsApart(files, overview, auditEngine);
}

/**
 * Feeds bytes [start, end) of files[index] to an auditor (or a part
 * auditor) in chunks of about 1 MiB: each chunk is copied straight into the
 * auditor's input area in wasm memory. The next chunk is asked for before
 * one is fed, so that reading overlaps the audit. `fed(length)` is called
 * after each chunk.
 */
async function feedStream(range, auditor, fed) {
  let area = auditor.inputArea();
  let filled = 0;
  let wasmMs = 0; // in the engine's feed calls: the rest of the time waits for the file
  const feed = (length) => {
    const began = performance.now();
    auditor.feedInput(length);
    wasmMs += performance.now() - began;
    fed(length);
  };
  for await (const value of chunksOf(range)) {
    // While this waited, another call into the engine (a setting validated
    // as the user types) may have grown wasm memory, which detaches the view.
    if (area.byteLength === 0) area = auditor.inputArea();
    let offset = 0;
    while (offset < value.length) {
      const take = Math.min(area.length - filled, value.length - offset);
      area.set(value.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === area.length) {
        feed(filled);
        filled = 0;
        area = auditor.inputArea(); // the call may have grown wasm memory: a fresh view
      }
    }
  }
  if (filled > 0) feed(filled);
  return wasmMs;
}

/**
 * The bytes [start, end) of files[index], chunk by chunk, the next one
 * asked for before this one is handed over: the File's stream here, or
 * 1 MiB ranges read by the page (readsThroughPage).
 */
async function* chunksOf({ files, index, start, end }) {
  if (readsThroughPage) {
    let at = start;
    let pending = at < end ? readByPage(files, index, at, Math.min(at + CHUNK_BYTES, end)) : null;
    while (pending) {
      const value = await pending;
      at = Math.min(at + CHUNK_BYTES, end);
      pending = at < end ? readByPage(files, index, at, Math.min(at + CHUNK_BYTES, end)) : null;
      yield value;
    }
    return;
  }
  const file = files[index];
  const reader = file.slice(start, end).stream().getReader();
  let done = false;
  try {
    let pending = reader.read();
    while (!done) {
      let next;
      try {
        next = await pending;
      } catch (error) {
        done = true; // the stream is errored: nothing to cancel
        throw readFailure(file, error);
      }
      done = next.done;
      if (done) return;
      pending = reader.read();
      pending.catch(() => {}); // awaited on the next turn; a failure there is reported then
      yield next.value;
    }
  } finally {
    // Left early (the audit threw): stop reading; the read still pending ends with it.
    if (!done) reader.cancel().catch(() => {});
  }
}

/**
 * Bytes [start, end) of files[index]. Read here, or by the page once this
 * worker has found that it cannot read Files; the first failure here is
 * retried by the page, and when the page can, it reads from then on.
 */
async function readRange(files, index, start, end) {
  if (readsThroughPage) return readByPage(files, index, start, end);
  try {
    return new Uint8Array(await files[index].slice(start, end).arrayBuffer());
  } catch (error) {
    let bytes;
    try {
      bytes = await readByPage(files, index, start, end);
    } catch {
      throw readFailure(files[index], error);
    }
    readsThroughPage = true;
    return bytes;
  }
}

/** Asks the page for bytes [start, end) of files[index] (the `read` request). */
function readByPage(files, index, start, end) {
  const id = pageReads.next++;
  return new Promise((resolve, reject) => {
    pageReads.waiting.set(id, { resolve, reject: (error) => reject(readFailure(files[index], error)) });
    self.postMessage({ type: MSG.READ, id, fileIndex: index, start, end });
  });
}

/** A file that cannot be read, in words for the user (the browser's own say "I/O read operation failed"). */
function readFailure(file, error) {
  if (error?.readFailure) return error;
  const why = {
    NotFoundError: 'it was moved or deleted after it was chosen',
    NotReadableError: 'it may have been changed, moved or locked by another program after it was chosen, or this browser does not let the page read it',
    SecurityError: 'this browser does not let the page read it',
  }[error?.name] ?? 'the browser could not read it';
  const failure = new Error(`"${file.name}" could not be read: ${why}. Choose the file again; if it is on a network drive or in a cloud folder, copy it to this computer first.`);
  failure.readFailure = true;
  return failure;
}

/** The byte after the first line end at or after `at` in files[index], or null when none is near. */
async function lineStartAfter(files, index, at) {
  const { size } = files[index];
  const bytes = await readRange(files, index, at, Math.min(at + SPLIT_SEARCH_BYTES, size));
  const newline = bytes.indexOf(10);
  const split = newline < 0 ? -1 : at + newline + 1;
  return split > 0 && split < size ? split : null;
}

/**
 * Reads one large CSV in parts at once: this worker the first, each helper
 * one of the others, cut at line starts at equal fractions of the file.
 * This worker then joins the helpers' parts in order, exactly as if it had
 * read them (`joinPart`); a part that cannot be joined exactly (its cut fell
 * inside a quoted cell, its helper failed, ...) is read here instead, and
 * the parts after it still join. Says whether a helper read any of it and
 * whether every part was joined.
 */
async function readInParts({ files, index, auditor, fed, progress }, splitters, helping, split, memoryMb) {
  const file = files[index];
  // The header is decided on the first MiB; then the file can be split.
  const from = Math.min(CHUNK_BYTES, file.size);
  auditor.feed(await readRange(files, index, 0, from));
  fed(from);
  const spec = auditor.partSpec();
  const cuts = spec ? await cutsOf(files, index, from, splitters.length + 1) : [];
  if (cuts.length === 0) {
    await feedStream({ files, index, start: from, end: file.size }, auditor, fed);
    return { helped: false, allJoined: false };
  }
  const ends = [...cuts.slice(1), file.size];
  const parts = cuts.map((start, i) => {
    helping[i] = { bytes: 0, rows: 0 };
    return askHelper(splitters[i], { spec, file, start, end: ends[i] }, helping[i], progress);
  });
  split.parts = cuts.length + 1;
  const own = performance.now();
  split.ownWasmMs += await feedStream({ files, index, start: from, end: cuts[0] }, auditor, fed);
  split.ownMs += performance.now() - own;
  split.beforeJoinMb = memoryMb();
  let allJoined = true;
  for (let i = 0; i < cuts.length; i += 1) {
    const waiting = performance.now();
    const found = await parts[i];
    const joining = performance.now();
    split.waitMs += joining - waiting;
    if ((helping[i].timings?.readMs ?? 0) > split.helperMs) {
      split.helperMs = helping[i].timings.readMs;
      split.helperWasmMs = helping[i].timings.wasmMs ?? 0;
    }
    split.helperMemoryMb = Math.max(split.helperMemoryMb, (helping[i].timings?.wasmMemoryBytes ?? 0) / 2 ** 20);
    const joined = found !== null && auditor.joinPart(found);
    split.joinMs += performance.now() - joining;
    helping[i] = { bytes: 0, rows: 0 }; // its bytes count as this worker's now, or are read again
    if (joined) {
      fed(ends[i] - cuts[i]);
    } else {
      allJoined = false;
      await feedStream({ files, index, start: cuts[i], end: ends[i] }, auditor, fed);
    }
  }
  split.afterJoinMb = memoryMb();
  return { helped: true, allJoined };
}

/**
 * Where `parts` parts of a file start after the first: line starts at or
 * just after i/parts of its size, increasing, after byte `from` (fewer when
 * the file has too few lines for them).
 */
async function cutsOf(files, index, from, parts) {
  const cuts = [];
  let last = from;
  for (let i = 1; i < parts; i += 1) {
    const at = await lineStartAfter(files, index, Math.max(last, Math.floor((files[index].size * i) / parts)));
    if (at === null || at <= last) break;
    cuts.push(at);
    last = at;
  }
  return cuts;
}

/**
 * Asks a helper to read bytes [start, end) of `file` as the part `spec`
 * says; resolves with the bytes for joinPart, or null when it could not
 * (the caller reads them). `helping` follows its progress.
 */
function askHelper(asked, { spec, file, start, end }, helping, onProgress) {
  const id = asked.next++;
  return new Promise((resolve) => {
    asked.waiting.set(id, (message) => {
      if (message.type === MSG.PART_PROGRESS) {
        helping.bytes = message.bytes;
        helping.rows = message.rows;
        onProgress();
        return;
      }
      asked.waiting.delete(id);
      helping.timings = message.timings;
      resolve(message.type === MSG.PART_DONE ? message.part : null);
    });
    asked.port.postMessage({ type: MSG.PART, id, spec, file, start, end });
  });
}

/**
 * The helper's side: reads a file from a line start to a cut (a later line
 * start) or to its end, as a part that must join exactly there.
 */
async function readPart(port, { id, spec, file, start, end }) {
  const began = performance.now();
  const last = end === undefined || end >= file.size;
  const part = engine.PartAuditor.startingAt(spec, start);
  let bytes = 0;
  const due = progressClock();
  const wasmMs = await feedStream({ files: [file], index: 0, start, end: last ? file.size : end }, part, (length) => {
    bytes += length;
    if (due(false)) port.postMessage({ type: MSG.PART_PROGRESS, id, bytes, rows: part.rowsRead() });
  });
  const read = performance.now();
  const found = last ? part.finish() : part.finishAtCut();
  const timings = {
    readMs: read - began, wasmMs, finishMs: performance.now() - read, wasmMemoryBytes: wasmExports.memory.buffer.byteLength,
  };
  port.postMessage({ type: MSG.PART_DONE, id, part: found, timings }, [found.buffer]);
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };

/**
 * The findings grouped by code and severity, read from the run's
 * findings.csv (columns Entry Number, Verdict, Code, Severity, Rows,
 * Message; the overview's groups are by code only, under the worst
 * severity): [{code, severity, entries, in_files, examples: [{entry, message}]}],
 * worst severity first, then the most frequent. File findings' messages
 * lose the "file name: " the CSV puts before them (`fileNames`).
 */
function findingGroups(bytes, fileNames) {
  const text = new TextDecoder().decode(bytes);
  const groups = new Map();
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let header = true;
  const cells = [];
  while (at < text.length) {
    cells.length = 0;
    at = readRecord(text, at, cells);
    if (header) {
      header = false;
      continue;
    }
    if (cells.length < 6) continue;
    const [entry, , code, severity, , written] = cells.map(unsafeCell);
    const key = `${code} ${severity}`;
    let group = groups.get(key);
    if (!group) {
      group = { code, severity, entries: 0, in_files: 0, examples: [] };
      groups.set(key, group);
    }
    if (entry) group.entries += 1;
    else group.in_files += 1;
    if (group.examples.length < 5) {
      let message = written;
      if (!entry) {
        const name = fileNames.find((candidate) => message.startsWith(`${candidate}: `));
        if (name !== undefined) message = message.slice(name.length + 2);
      }
      group.examples.push({ entry: entry || null, message });
    }
  }
  return [...groups.values()].sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0)
    || (b.entries + b.in_files) - (a.entries + a.in_files) || a.code.localeCompare(b.code));
}

/** One CSV record of `text` from `at` into `cells`; returns where the next starts. */
function readRecord(text, at, cells) {
  for (;;) {
    let cell;
    if (text[at] === '"') {
      let end = at + 1;
      const parts = [];
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote < 0) {
          parts.push(text.slice(end));
          end = text.length;
          break;
        }
        parts.push(text.slice(end, quote));
        if (text[quote + 1] === '"') {
          parts.push('"');
          end = quote + 2;
        } else {
          end = quote + 1;
          break;
        }
      }
      cell = parts.join('');
      at = end;
    } else {
      let end = at;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') end += 1;
      cell = text.slice(at, end);
      at = end;
    }
    cells.push(cell);
    if (text[at] === ',') {
      at += 1;
      continue;
    }
    if (text[at] === '\r') at += 1;
    if (text[at] === '\n') at += 1;
    return at;
  }
}

/** A cell as written before findings.csv guarded it against Excel formulas (a ' before = + - @). */
function unsafeCell(cell) {
  // ="..." (entry numbers and rows, as ACE writes them): the text inside.
  const text = /^="((?:[^"]|"")*)"$/.exec(cell);
  if (text) return text[1].replaceAll('""', '"');
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * Whether progress is due again: at most every PROGRESS_EVERY_MS, or when
 * `force`d (a file starts or the reading ends).
 */
function progressClock() {
  let last = -Infinity;
  return (force) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return false;
    last = now;
    return true;
  };
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
  self.postMessage({ type: MSG.FAILED, message: messageOf(error) });
}

function messageOf(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
