// The type of every message between the page (or the widget) and the
// worker, and between the engine's worker and its helper: defined here once.
// The protocol (fields, directions, who sends what) is written down at the
// top of worker.js.
//
// Shared by both sides with no module loader in the worker: the page and the
// widget import this file like any module (scripts/build_web.py bundles it
// before engine_client.js), and the build also puts it, its `export` keyword
// dropped, between the wasm-bindgen glue and worker.js (wasm-pack.toml,
// [page] worker), so the worker's classic script sees the same `MSG` as a
// global constant.

export const MSG = Object.freeze({
  // page -> worker
  INIT: 'init',
  VALIDATE: 'validate', // a request: answered with the same type and id
  AUDIT: 'audit',
  XLSX_MODULE: 'xlsx-module',
  HELPER_PORT: 'helper-port',
  HELPER_LOST: 'helper-lost',
  SERVE_PARTS: 'serve-parts', // to the helper worker
  ENTRIES: 'entries', // a request
  INCLUDE: 'include', // a request
  WORKBOOK: 'workbook', // a request: cape-check-report.xlsx of the last run
  BYTES: 'bytes', // the answer to the worker's `read`
  // worker -> page
  READY: 'ready',
  FAILED: 'failed',
  WARM: 'warm',
  NEED_XLSX: 'need-xlsx',
  PROGRESS: 'progress',
  DONE: 'done',
  FINDINGS_CSV: 'findings-csv',
  FINGERPRINT: 'fingerprint', // a file's SHA-256, computed after the results
  READ: 'read', // a request of the worker: bytes of a file it cannot read itself
  // the engine's worker <-> its helper, on their MessagePort
  PART: 'part',
  PART_PROGRESS: 'part-progress',
  PART_DONE: 'part-done',
  PART_FAILED: 'part-failed',
});
