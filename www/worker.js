// The worker owns the wasm audit engine. It is started from a Blob URL
// holding the wasm-bindgen glue (a classic script defining the global
// `capeCheck`) followed by this file. The page posts it the compiled
// module, then work; it reads files as streams and feeds the engine chunks
// of about 1 MiB (V8 optimises wasm between calls).
/* global capeCheck */
'use strict';

const CHUNK_BYTES = 1 << 20;
const PROGRESS_EVERY_MS = 100;

let engine = null;
let wasmExports = null; // the instance's exports; its memory is what the engine uses

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
      audit(message.settings, message.files).catch((error) => fail(error));
      break;
    case 'declaration':
      try {
        const files = engine.declarationFiles(message.entries);
        reply(message, { files }, files.map((file) => file.bytes.buffer));
      } catch (error) {
        reply(message, { problem: messageOf(error) });
      }
      break;
    default:
      break;
  }
};

function init(module) {
  try {
    wasmExports = capeCheck.initSync({ module });
    engine = capeCheck;
    self.postMessage({ type: 'ready', explanations: engine.findingExplanations() });
  } catch (error) {
    self.postMessage({ type: 'failed', message: `The checker could not start: ${messageOf(error)}` });
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

async function audit(settings, files) {
  if (files.length === 0) throw new Error('No file was given.');
  const auditor = new engine.Auditor(settings);
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
  const outcome = auditor.finish();
  const timings = { readMs: read - started, finishMs: performance.now() - read };
  const transfer = [outcome.reportJson.buffer, outcome.findingsCsv.buffer, ...outcome.declarations.map((file) => file.bytes.buffer)];
  self.postMessage({ type: 'done', outcome, timings }, transfer);
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
