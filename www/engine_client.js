// The client of the engine's worker (worker.js), shared by the page and the
// <cape-check> widget: the only code that starts workers. It starts the
// worker from a Blob URL of its script, hands it the compiled CSV module and
// waits for `ready`, restarts it (Cancel, a failure, a run after an XLSX
// run), asks it questions (request and answer, by id), passes it the XLSX
// module when a run needs it, and, when asked to, runs the helper workers that
// read the later parts of a large file (one a core). Where the worker cannot read the
// run's files itself (WebKit, from a file:// page), it asks for their bytes
// (`read`), which the client reads here and transfers (`bytes`). Every other
// message of the worker is handed to the caller's handlers, by type (MSG,
// engine_messages.js).
//
// A worker that was replaced is ignored: its late messages never reach the
// handlers, and a question to it is answered `{ problem: 'cancelled' }`.

import { todayIso } from './format.js';
import { MSG } from './engine_messages.js';

export class EngineClient {
  #options;
  #current = null; // { worker, ready }: the engine's worker now
  #helpers = []; // the helper workers now (none unless asked for)
  #requests = new Map(); // id -> resolve
  #nextRequestId = 1;
  #holdsXlsx = false; // the last run loaded the XLSX reader: the next run starts a fresh worker

  /**
   * @param {{
   *   source: string,                 the worker's script (wasm-bindgen glue + engine_messages.js + worker.js)
   *   csvModule: Promise<WebAssembly.Module>,
   *   xlsxModule: () => Promise<WebAssembly.Module>,   asked for on the worker's `need-xlsx`
   *   parts?: number | 'auto',        read a large CSV in this many parts at once, one worker each (the
   *                                   engine's and parts - 1 helpers); 'auto': one a core the browser
   *                                   reports, at most MAX_PARTS (default 1: no helper)
   *   name?: string,                  the worker's name (shown by the browser's tools)
   *   on?: { [type: string]: (message) => void },      the worker's other messages, by MSG type
   *   onReady?: (message) => void,    each worker's `ready`
   *   onStartFailed?: (error: Error, current: boolean) => void,   a worker that did not start
   *                                   (current: it was not replaced meanwhile)
   *   startErrorMessage?: (event: ErrorEvent) => string,          the words for a worker that fails before
   *                                   `ready` (called on each of its error events, which it may also cancel)
   *   onXlsxFailed?: (error: Error) => void,          the XLSX module could not be had
   *   onError?: (event: ErrorEvent) => void,          an error event of the current worker (at any time)
   * }} options
   */
  constructor(options) {
    this.#options = { parts: 1, name: 'cape-check engine', on: {}, ...options };
  }

  /**
   * Starts the engine's worker (and the helpers), in place of any running.
   * Returns its `ready` promise. Throws when the browser refuses to create
   * a worker (a host page's CSP without blob: workers).
   */
  start() {
    this.stop();
    this.#holdsXlsx = false;
    const generation = this.#startEngine();
    this.#current = generation;
    this.#startHelpers();
    generation.ready.catch((error) => this.#options.onStartFailed?.(error, generation === this.#current));
    generation.worker.addEventListener('error', (event) => {
      if (generation === this.#current) this.#options.onError?.(event);
    });
    return generation.ready;
  }

  /** Terminates the workers (their work is lost) and starts fresh ones (Cancel; after a failure). */
  restart() {
    return this.start();
  }

  /** Terminates the workers; questions still waiting are answered `{ problem: 'cancelled' }`. */
  stop() {
    this.#current?.worker.terminate();
    this.#current = null;
    this.#stopHelpers();
    for (const resolve of this.#requests.values()) resolve({ problem: 'cancelled' });
    this.#requests.clear();
  }

  /** Whether a worker is running (or starting). */
  get started() {
    return this.#current !== null;
  }

  /** Resolves when the current worker is ready; rejects when it could not start. */
  get ready() {
    return this.#current ? this.#current.ready : Promise.reject(new Error('The checker is not running.'));
  }

  /** Before a run: a worker that holds the XLSX reader (the last run's) is replaced by a fresh one. */
  beforeRun() {
    if (this.#holdsXlsx) this.restart();
    this.#holdsXlsx = false;
  }

  /**
   * Starts a run once the worker is ready (not when it was replaced
   * meanwhile: a Cancel); the outcome comes as messages (progress, done,
   * findings-csv or failed). Rejects when the worker could not start.
   * Each file's own date (its lastModified, as a local date) goes with it:
   * a Claim Details download with no date column and no date in its name is
   * dated by it.
   */
  async audit(settings, files, firstPage) {
    const generation = this.#current;
    const worker = await this.ready;
    if (generation !== this.#current) return;
    generation.files = files; // read here for the worker when it cannot (`read`)
    worker.postMessage({ type: MSG.AUDIT, settings, files, fileDates: files.map(fileDate), firstPage });
  }

  /** A question (validate, entries, include): resolves with the worker's answer, or `{ problem: 'cancelled' }`. */
  ask(type, body) {
    const generation = this.#current;
    return this.ready.then((worker) => new Promise((resolve) => {
      if (generation !== this.#current) {
        resolve({ problem: 'cancelled' });
        return;
      }
      const id = this.#nextRequestId++;
      this.#requests.set(id, resolve);
      worker.postMessage({ type, id, ...body });
    }));
  }

  /** The engine's worker and the handshake: `init` with the CSV module, then `ready` or `failed`. */
  #startEngine() {
    const options = this.#options;
    const worker = newWorker(options.source, options.name);
    const generation = { worker, ready: null, files: [] };
    let notReady;
    generation.ready = new Promise((resolve, reject) => {
      notReady = reject;
      worker.onmessage = (event) => {
        const message = event.data;
        if (message.type === MSG.READY) {
          worker.onmessage = (later) => this.#onMessage(generation, later.data);
          resolve(worker);
          options.onReady?.(message);
        } else if (message.type === MSG.FAILED) {
          reject(new Error(message.message));
        }
      };
      worker.onerror = (event) => {
        reject(new Error(options.startErrorMessage?.(event) ?? (event.message || 'The checker could not start.')));
      };
    });
    // A module that does not compile (a browser without WebAssembly under the
    // page's CSP) must end in a message, not in a page that waits forever.
    options.csvModule.then(
      (module) => worker.postMessage({ type: MSG.INIT, module }),
      (error) => notReady(new Error(`The checker could not start: ${error.message}. Use a current Chrome, Edge, Firefox or Safari.`)));
    return generation;
  }

  /** A message of a ready worker: an answer, `need-xlsx`, or one for the caller's handlers. */
  #onMessage(generation, message) {
    if (generation !== this.#current) return;
    if (message.id !== undefined && this.#requests.has(message.id)) {
      this.#requests.get(message.id)(message);
      this.#requests.delete(message.id);
      return;
    }
    if (message.type === MSG.READ) {
      readFor(generation, message);
      return;
    }
    if (message.type === MSG.NEED_XLSX) {
      this.#options.xlsxModule().then(
        (module) => generation.worker.postMessage({ type: MSG.XLSX_MODULE, module }),
        (error) => this.#options.onXlsxFailed?.(error));
      return;
    }
    if (message.type === MSG.DONE) {
      // wasm memory never shrinks and the XLSX reader holds whole workbooks:
      // the next run starts a fresh worker (beforeRun) to give it back. Not
      // now: this run's results live in this worker (and its findings.csv is
      // still to come; a widget's host reacting to `done` may start the next
      // run before it is here). The helpers hold nothing of the run: fresh
      // ones give their memory back at once.
      this.#holdsXlsx = message.engine === 'xlsx';
      if (message.timings?.helped) this.#startHelpers();
    }
    this.#options.on[message.type]?.(message);
  }

  /**
   * The helpers: copies of the worker that each read a part of a large file
   * while the engine's worker reads the first (see worker.js), one a core.
   * Each talks to the engine's worker over a MessageChannel of its own,
   * known by its slot; the client only starts them. None on a one-core
   * machine, or when one part was asked for.
   */
  #startHelpers() {
    this.#stopHelpers();
    const engine = this.#current?.worker;
    if (!engine) return;
    for (let slot = 0; slot < partsFor(this.#options.parts) - 1; slot += 1) {
      const helper = newWorker(this.#options.source, `cape-check helper ${slot + 1}`);
      const channel = new MessageChannel();
      helper.postMessage({ type: MSG.SERVE_PARTS, port: channel.port2 }, [channel.port2]);
      this.#options.csvModule.then((module) => helper.postMessage({ type: MSG.INIT, module }), () => {});
      engine.postMessage({ type: MSG.HELPER_PORT, slot, port: channel.port1 }, [channel.port1]);
      // A helper that fails makes the engine read its part itself.
      helper.addEventListener('error', () => {
        if (this.#helpers[slot] === helper) engine.postMessage({ type: MSG.HELPER_LOST, slot });
      });
      this.#helpers[slot] = helper;
    }
  }

  #stopHelpers() {
    for (const helper of this.#helpers) helper?.terminate();
    this.#helpers = [];
  }
}

/** A file's own date, "YYYY-MM-DD" in local time (as the user's file manager shows it), or null. */
function fileDate(file) {
  const modified = Number(file.lastModified);
  return Number.isFinite(modified) && modified > 0 ? todayIso(new Date(modified)) : null;
}

/** At most this many parts (workers) read one file: past it the joins and the memory of the
 * workers cost more than the cores give. */
const MAX_PARTS = 8;

/** The parts to read a large file in: `parts` ('auto': the cores the browser reports), 1 to MAX_PARTS. */
function partsFor(parts) {
  const wanted = parts === 'auto' ? navigator.hardwareConcurrency ?? 1 : Number(parts);
  return Number.isFinite(wanted) ? Math.max(1, Math.min(MAX_PARTS, Math.floor(wanted))) : 1;
}

/**
 * The worker's `read`: bytes [start, end) of a file of its run, read on this
 * thread and transferred (`bytes`), or why not (`problem`). A worker that was
 * replaced meanwhile gets nothing (it is terminated).
 */
async function readFor(generation, { id, fileIndex, start, end }) {
  let answer;
  try {
    const bytes = await generation.files[fileIndex].slice(start, end).arrayBuffer();
    answer = [{ type: MSG.BYTES, id, bytes }, [bytes]];
  } catch (error) {
    answer = [{ type: MSG.BYTES, id, problem: error?.message || String(error), name: error?.name }, []];
  }
  generation.worker.postMessage(...answer);
}

/**
 * A worker running `source` (a classic script), started from a Blob URL: the
 * page's worker is inline (it works from file:// too), and the widget's is
 * fetched from the widget's origin, which may not be the host page's.
 */
function newWorker(source, name) {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    return new Worker(url, { name });
  } finally {
    URL.revokeObjectURL(url);
  }
}
