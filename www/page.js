// The page: settings, file drop, progress and results. It only renders;
// the worker owns the wasm engine, and every verdict, message and file
// comes from the engine.

import { el, formatCount, formatDuration, formatMoney, hostSummary, VERDICT_WORDS } from './format.js';
import { createEntriesTable, PAGE_SIZE } from './entries_table.js';
import { MSG } from './engine_messages.js';
import { EngineClient } from './engine_client.js';
import { createDownloadLinks, findingsCsvName, progressOf, verdictFigures } from './shared_view.js';

const $ = (id) => document.getElementById(id);

const ui = {
  iorInput: $('ior'),
  filerInput: $('filer'),
  asOfInput: $('as-of'),
  kindImporter: $('kind-importer'),
  kindFiler: $('kind-filer'),
  perImporter: $('per-importer'),
  dropZone: $('drop-zone'),
  fileInput: $('drop-zone-input'),
  sampleChoice: $('sample-choice'),
  sampleButton: $('sample-button'),
  progress: $('progress'),
  progressFile: $('progress-file'),
  progressBar: $('progress-bar'),
  progressFigures: $('progress-figures'),
  cancelButton: $('cancel-button'),
  runProblem: $('run-problem'),
  results: $('results'),
  resultsContext: $('results-context'),
  summarySlot: $('summary-slot'),
  fileProblems: $('file-problems'),
  downloads: $('downloads'),
  fileList: $('file-list'),
  findingGroups: $('finding-groups'),
  announcer: $('announcer'),
  unsupported: $('unsupported'),
  offlineDownload: $('offline-download'),
};

/** State of the page: the worker, the current run and its results. */
const state = {
  xlsxModule: null, // the compiled XLSX wasm, once a run needed it
  embed: null, // { parent: origin } inside another site's iframe (?embed=1&parent=...)
  lastFiles: null, // the files of the last run: an embedding host's new settings re-audit them
  engine: null, // the client of the worker, which owns the engine and the results (engine_client.js)
  explanations: new Map(),
  running: false,
  overview: null, // the last run's overview; its entries stay in the worker
  declarations: [],
  findingsCsv: null, // arrives after the overview
  downloads: createDownloadLinks(), // the download links' object URLs
  runStarted: 0,
};

const table = createEntriesTable($('entries-table'), {
  query: (query) => state.engine.ask(MSG.ENTRIES, { query }),
  onIncludeChange: changeIncluded,
});

start();

function start() {
  const missing = ['WebAssembly', 'Worker', 'Blob', 'ReadableStream'].filter((name) => !(name in self));
  if (missing.length) {
    ui.unsupported.textContent = `This browser lacks ${missing.join(', ')}, which the checker needs. Use a current Chrome, Edge, Firefox or Safari.`;
    ui.unsupported.hidden = false;
    return;
  }
  if (location.protocol === 'file:') {
    // This file is the offline version already.
    ui.offlineDownload.closest('p').hidden = true;
  } else {
    // The page is its own offline version (the same bytes), whatever its name
    // here: index.html, cape-check-offline.html or the widget's cape-check.html.
    ui.offlineDownload.href = `${location.origin}${location.pathname}`;
  }
  ui.asOfInput.value = todayIso();
  state.embed = embedding();
  fillSamples();
  wireSettings();
  wireFiles();
  ui.cancelButton.addEventListener('click', cancel);
  startEngine();
  if (state.embed) startEmbedding();
}

// ---- The engine ------------------------------------------------------

async function compileEngine(id) {
  const text = $(id).textContent.trim();
  return WebAssembly.compile(base64Bytes(text));
}

/** The engine's client: its worker, and a helper worker for large files (engine_client.js). */
function startEngine() {
  state.engine = new EngineClient({
    source: $('worker-source').textContent,
    csvModule: compileEngine('wasm-csv-base64'),
    xlsxModule,
    helper: true,
    on: {
      [MSG.PROGRESS]: showProgress,
      [MSG.WARM]: () => { document.documentElement.dataset.engineWarm = 'true'; }, // for the benchmark
      [MSG.DONE]: (message) => {
        try {
          showOutcome(message);
        } catch (error) {
          finishRunWithProblem(`The results could not be shown: ${error.message}`);
        }
      },
      [MSG.FINDINGS_CSV]: (message) => {
        state.findingsCsv = message.bytes;
        if (state.overview) showDownloads(state.declarations);
      },
      [MSG.FAILED]: (message) => finishRunWithProblem(message.message),
    },
    onReady: (message) => {
      state.explanations = new Map(message.explanations.map((item) => [item.code, item.explanation]));
    },
    onStartFailed: (error) => {
      showProblem(error.message);
      if (state.embed) tellParent({ type: 'cape-check-failed', message: error.message });
    },
    onXlsxFailed: (error) => finishRunWithProblem(`The XLSX reader could not start: ${error.message}`),
    onError: (event) => {
      if (state.running) finishRunWithProblem(`The check stopped: ${event.message || 'unexpected error'}`);
    },
  });
  state.engine.start();
}

/** The XLSX module, compiled on the first run that holds a workbook (the worker asks). */
function xlsxModule() {
  if (!state.xlsxModule) {
    state.xlsxModule = compileEngine('wasm-xlsx-base64');
    document.documentElement.dataset.xlsxModule = 'compiled';
  }
  return state.xlsxModule;
}

// ---- Settings ---------------------------------------------------------

function wireSettings() {
  const fields = [
    [ui.iorInput, 'importer', $('ior-problem'), ui.kindImporter],
    [ui.filerInput, 'filer', $('filer-problem'), ui.kindFiler],
    [ui.asOfInput, 'as-of', $('as-of-problem'), null],
  ];
  for (const [input, field, problem, radio] of fields) {
    let timer = 0;
    const check = async () => {
      const text = input.value.trim();
      if (!text) {
        setProblem(input, problem, field === 'as-of' ? 'Give the filing date: the 80-day window counts from it.' : '');
        return;
      }
      const answer = await state.engine.ask(MSG.VALIDATE, { field, text });
      if (answer.problem === 'cancelled') return; // the worker was restarted: not the user's mistake
      if (input.value.trim() === text) setProblem(input, problem, answer.problem);
    };
    input.addEventListener('input', () => {
      if (radio) radio.checked = true;
      clearTimeout(timer);
      timer = setTimeout(check, 60);
    });
    input.addEventListener('change', check);
    input.addEventListener('focus', () => { if (radio && input.value) radio.checked = true; });
  }
}

function setProblem(input, problem, text) {
  problem.textContent = text || '';
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function currentSettings() {
  const settings = { asOf: ui.asOfInput.value || undefined };
  if (ui.perImporter.checked) settings.perImporter = true;
  if (ui.kindFiler.checked) {
    if (ui.filerInput.value.trim()) settings.filer = ui.filerInput.value.trim();
  } else if (ui.iorInput.value.trim()) {
    settings.importer = ui.iorInput.value.trim();
  }
  return settings;
}

function settingsContext(overview) {
  const parts = [`Filing date ${overview.as_of}`];
  if (overview.account?.importer) parts.push(`importer ${overview.account.importer}`);
  else if (overview.account?.filer) parts.push(`broker, filer code ${overview.account.filer}`);
  else parts.push('no account given: account checks skipped');
  parts.push(overview.files.map((file) => file.name).join(', '));
  return parts.join(' \u00b7 ');
}

// ---- Files ------------------------------------------------------------

function wireFiles() {
  ui.fileInput.addEventListener('change', () => {
    const files = [...ui.fileInput.files];
    if (files.length) run(files);
    ui.fileInput.value = '';
  });
  const zone = ui.dropZone;
  const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
  zone.addEventListener('dragenter', (event) => { stop(event); zone.classList.add('dragging'); });
  zone.addEventListener('dragover', (event) => {
    stop(event);
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (event) => {
    stop(event);
    zone.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) run(files);
  });
  // A file dropped next to the zone must not make the browser navigate away.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());
  ui.sampleButton.addEventListener('click', () => {
    const sample = document.querySelector(`script.sample[data-name="${ui.sampleChoice.value}"]`);
    if (!sample) return;
    const bytes = base64Bytes(sample.textContent.trim());
    run([new File([bytes], sample.dataset.name, { type: 'text/csv' })]);
  });
}

function fillSamples() {
  const samples = document.querySelectorAll('script.sample');
  ui.sampleChoice.replaceChildren(...[...samples].map((sample) =>
    el('option', { value: sample.dataset.name }, `${sample.dataset.label} (${sample.dataset.name})`)));
}

// ---- A run ------------------------------------------------------------

async function run(files) {
  if (state.running) cancel();
  state.engine.beforeRun(); // a worker that holds the XLSX reader is replaced
  state.lastFiles = files;
  state.running = true;
  state.runStarted = performance.now();
  hideProblem();
  clearResults();
  ui.progress.hidden = false;
  ui.progress.scrollIntoView({ block: 'center' }); // the whole card, Cancel included
  ui.progressBar.value = 0;
  ui.progressFile.textContent = `Reading ${files.map((file) => file.name).join(', ')}`;
  ui.progressFigures.textContent = '';
  announce(`Checking ${files.length === 1 ? files[0].name : `${files.length} files`}.`);
  try {
    // Not posted when this run was cancelled meanwhile (its worker was replaced).
    await state.engine.audit(currentSettings(), files, { limit: PAGE_SIZE });
  } catch (error) {
    finishRunWithProblem(error.message);
  }
}

function showProgress(message) {
  const { fraction, bytes } = progressOf(message);
  ui.progressBar.value = fraction;
  const seconds = message.elapsedMs / 1000;
  const parts = [bytes];
  if (seconds > 0.2) {
    parts.push(`${formatCount(Math.round(message.rows / seconds))} rows/s`);
    const rate = message.bytesRead / seconds;
    if (rate > 0 && fraction < 1) parts.push(`${formatDuration((message.bytesTotal - message.bytesRead) / rate)} left`);
  }
  if (message.fileCount > 1) ui.progressFile.textContent = `Reading ${message.fileName} (file ${message.fileIndex + 1} of ${message.fileCount})`;
  ui.progressFigures.textContent = parts.join(' \u00b7 ');
}

function cancel() {
  if (!state.running) return;
  state.running = false;
  ui.progress.hidden = true;
  state.engine.restart();
  announce('Cancelled. The checker is ready for the next file.');
  showProblem('Cancelled: nothing was kept from that run. Drop a file to start again.', false);
}

function finishRunWithProblem(text) {
  state.running = false;
  ui.progress.hidden = true;
  showProblem(text);
  if (state.embed) tellParent({ type: 'cape-check-failed', message: text });
  // The engine may be left in any state after a failure: start a fresh one.
  state.engine.restart();
}

function showProblem(text, isError = true) {
  ui.runProblem.textContent = text;
  ui.runProblem.hidden = false;
  if (isError) announce(text);
}

function hideProblem() {
  ui.runProblem.hidden = true;
  ui.runProblem.textContent = '';
}

// ---- Results ----------------------------------------------------------

function clearResults() {
  ui.results.hidden = true;
  ui.fileProblems.hidden = true;
  ui.summarySlot.replaceChildren();
  ui.downloads.replaceChildren();
  ui.fileList.replaceChildren();
  ui.findingGroups.replaceChildren();
  state.downloads.clear();
  state.overview = null;
  state.declarations = [];
  state.findingsCsv = null;
}

/** The worker's `done`: the overview and the first page of entries (findings.csv follows). */
function showOutcome({ overview, declarations, firstPage, timings, engine }) {
  const received = performance.now();
  state.running = false;
  ui.progress.hidden = true;
  state.overview = overview;
  state.declarations = declarations;
  // This run's findings.csv follows this message; one that came before it
  // was the previous run's.
  state.findingsCsv = null;

  ui.resultsContext.textContent = settingsContext(overview);
  showFileProblems(overview);
  ui.summarySlot.replaceChildren(summary(overview));
  ui.results.hidden = false;
  const summaryShown = performance.now();
  showDownloads(declarations);
  showFiles(overview);
  showFindingGroups(overview);
  table.show(overview, firstPage);
  $('entries').hidden = overview.totals.entries === 0;
  // Where the time went, for the benchmark (scripts/bench_browser.mjs).
  Object.assign(ui.results.dataset, {
    readMs: Math.round(timings.readMs), finishMs: Math.round(timings.finishMs),
    summaryMs: Math.round(summaryShown - state.runStarted),
    renderMs: Math.round(performance.now() - received), totalMs: Math.round(performance.now() - state.runStarted),
    engine, // "csv" or "xlsx": which wasm module audited the run
    helped: String(timings.helped), // "true": a helper worker read part of a large file
    joinedFiles: String(timings.joinedFiles), // files whose helper's part was joined, not read again
    freeMs: Math.round(timings.freeMs), // the last run's results freed before this one
    splitMs: JSON.stringify(timings.split), // this worker's own part, its wait for the helper, the join
    // Run started (page) -> worker started, and worker posted -> page received.
    messagesMs: JSON.stringify([timings.startedAt - (performance.timeOrigin + state.runStarted), performance.timeOrigin + received - timings.postedAt].map(Math.round)),
    wasmMemoryMb: (timings.wasmMemoryBytes / 2 ** 20).toFixed(1), // of that module's instance, at the end of the run
    rows: overview.files.reduce((sum, file) => sum + file.rows, 0),
  });
  if (state.embed) tellParent({ type: 'cape-check-done', summary: hostSummary(overview) });

  const { totals } = overview;
  const seconds = ((performance.now() - state.runStarted) / 1000).toFixed(1);
  const fileProblems = overview.files.flatMap((file) => file.findings.filter((finding) => finding.severity === 'error'));
  announce([
    `Done in ${seconds} s.`,
    ...fileProblems.map((finding) => finding.message),
    `${formatCount(totals.ready)} entries ready, ${formatCount(totals.review)} to review, ${formatCount(totals.blocked)} blocked.`,
  ].join(' '));
  ui.results.scrollIntoView({ block: 'start' });
  $('results-title').focus({ preventScroll: true });
}

const VERDICT_NOTES = {
  ready: 'In the declaration below: the refund at stake.',
  review: 'Need your decision; include them below once checked.',
  blocked: 'CAPE would reject them: see why below.',
};

function summary(overview) {
  const { totals } = overview;
  const card = ({ verdict, title, count, duty }) => el('section', { class: `verdict-card ${verdict}`, dataset: { verdict } },
    el('h3', {}, title),
    el('p', { class: 'count' }, formatCount(count), el('span', { class: 'visually-hidden' }, ` entries ${VERDICT_WORDS[verdict]}`)),
    el('p', { class: 'duty' }, `IEEPA duty ${formatMoney(duty)}`),
    el('p', {}, VERDICT_NOTES[verdict]));
  return el('div', { class: 'summary', 'data-testid': 'summary', role: 'group', 'aria-label': 'Summary' },
    ...verdictFigures(totals).map(card),
    el('p', { class: 'summary-total' }, `${formatCount(totals.entries)} entries in all.`));
}

function showDownloads(declarations) {
  state.downloads.clear();
  const link = (kind, name, bytes, text, primary) => state.downloads.link(kind, name, bytes, text, `download${primary ? ' primary' : ''}`);
  const children = [el('h3', {}, 'Downloads')];
  const entryCount = (file) => {
    // Rows after the header: count line ends (the file is ASCII, CRLF).
    let lines = 0;
    for (const byte of file.bytes) if (byte === 10) lines += 1;
    return Math.max(0, lines - 1);
  };
  if (declarations.length === 0) {
    const { totals } = state.overview;
    let why = 'No entry is ready, so no CAPE Declaration was written: CAPE rejects an empty file.';
    if (totals.entries === 0) why = 'No entry was read, so no CAPE Declaration was written.';
    else if (totals.review > 0) why += ' Include entries to review below once you have checked them.';
    children.push(el('p', {}, why));
  } else {
    for (const file of declarations) {
      children.push(link('declaration', file.name, file.bytes,
        `CAPE Declaration: ${file.name} (${formatCount(entryCount(file))} entries)`, true));
    }
    if (declarations.some((file) => /-of-\d+\.csv$/.test(file.name))) {
      children.push(el('p', {}, 'More than 9,999 entries: CAPE takes at most 9,999 per declaration, so upload each file separately.'));
    }
  }
  const findingsName = findingsCsvName(state.overview.as_of);
  children.push(state.findingsCsv
    ? link('findings', findingsName, state.findingsCsv, `All findings: ${findingsName} (opens in Excel)`, false)
    : el('p', { class: 'pending' }, `Writing ${findingsName}\u2026`));
  children.push(el('button', { type: 'button', onclick: () => window.print() }, 'Print the summary or save it as PDF'));
  ui.downloads.replaceChildren(...children);
}

/** Files the engine could not use, said first: otherwise the zeros below would puzzle. */
function showFileProblems(overview) {
  const problems = overview.files.flatMap((file) => file.findings
    .filter((finding) => finding.severity === 'error')
    .map((finding) => el('p', {}, el('strong', {}, `${file.name}: `), finding.message)));
  ui.fileProblems.replaceChildren(...problems);
  ui.fileProblems.hidden = problems.length === 0;
}

function showFiles(overview) {
  ui.fileList.replaceChildren(...overview.files.map((file) => el('li', {},
    el('strong', {}, file.name), ` \u2014 ${kindWords(file.kind)}, ${formatCount(file.rows)} rows`,
    file.findings.length ? el('ul', { class: 'finding-list' }, file.findings.map(findingItem)) : null)));
}

function kindWords(kind) {
  return { es003: 'ES-003 export', declaration: 'CAPE declaration', 'claim-details': 'Claim Details' }[kind] ?? 'not read';
}

function findingItem(finding) {
  return el('li', { class: `finding ${finding.severity}` },
    el('span', { class: `severity ${finding.severity}` }, finding.severity),
    finding.message);
}

function showFindingGroups(overview) {
  const groups = overview.codes;
  if (groups.length === 0) {
    ui.findingGroups.replaceChildren(el('p', {}, 'Nothing to report: every entry is ready.'));
    return;
  }
  ui.findingGroups.replaceChildren(...groups.map((group) => {
    const all = group.entries + group.in_files;
    const count = group.entries
      ? `${formatCount(group.entries)} ${group.entries === 1 ? 'entry' : 'entries'}${group.in_files ? ` and ${formatCount(group.in_files)} in files` : ''}`
      : `${formatCount(group.in_files)} in files`;
    const examples = group.examples.map(({ entry, message }) =>
      el('li', {}, entry ? el('code', {}, entry) : 'File', ': ', message));
    return el('details', { class: 'finding-group', dataset: { code: group.code } },
      el('summary', {},
        el('span', { class: `severity ${group.severity}` }, group.severity), ' ',
        el('code', {}, group.code), ' ', el('span', { class: 'count-badge' }, `\u2014 ${count}`)),
      el('p', { class: 'explanation' }, state.explanations.get(group.code) ?? ''),
      el('ul', { class: 'examples' }, examples),
      all > examples.length ? el('p', { class: 'examples' }, `and ${formatCount(all - examples.length)} more.`) : null,
      group.entries ? el('button', { type: 'button', onclick: () => table.filterByCode(group.code) }, `Show these ${formatCount(group.entries)} in the table`) : null);
  }));
}

function rank(severity) {
  return { info: 0, warning: 1, error: 2 }[severity] ?? 0;
}

// ---- Including entries to review ----------------------------------------

/** Entries to review into the declaration or out of it (`entries` null: all of them). */
async function changeIncluded(entries, include) {
  const overview = state.overview;
  const answer = await state.engine.ask(MSG.INCLUDE, { entries, include });
  if (state.overview !== overview || answer.problem === 'cancelled') return; // a newer run replaced it
  if (answer.problem) {
    showProblem(answer.problem);
    return;
  }
  state.declarations = answer.files;
  showDownloads(answer.files);
  table.refresh();
  const written = overview.totals.ready + answer.included;
  announce(`The declaration now holds ${formatCount(written)} entries (${formatCount(answer.included)} reviewed entries included).`);
}

// ---- Inside another site's iframe ---------------------------------------
//
// <iframe src=".../index.html?embed=1&parent=https://host.example&ior=...">:
// the fallback for hosts whose CSP forbids WebAssembly or blob workers. The
// checker runs under its own CSP; it posts only to the parent origin named
// in the URL and accepts messages only from that origin and that window.
// Messages in:  { type: 'cape-check-settings', ior, filer, asOf, perImporter }
//               (they fill the settings; files already checked are checked
//               again only when the user clicks "Check again")
// Messages out: { type: 'cape-check-ready' }, { type: 'cape-check-done', summary }
//               (counts and totals, no entry data), { type: 'cape-check-failed', message },
//               { type: 'cape-check-height', height } (pixels the frame needs)

function embedding() {
  const params = new URLSearchParams(location.search);
  if (params.get('embed') !== '1') return null;
  document.documentElement.classList.add('embedded');
  let parent = null;
  try {
    const url = new URL(params.get('parent') ?? '');
    if (url.protocol === 'https:' || url.protocol === 'http:') parent = url.origin;
  } catch { /* no usable parent origin */ }
  applyEmbedSettings({
    ior: params.get('ior'), filer: params.get('filer'), asOf: params.get('as-of'),
    perImporter: params.has('per-importer') ? params.get('per-importer') !== 'false' : undefined,
  });
  if (!parent || window.parent === window) {
    showProblem('Embedded without a parent origin (?parent=https://your.site): results stay in this frame and nothing is posted.', false);
    return null;
  }
  return { parent, ignored: 0 };
}

function startEmbedding() {
  window.addEventListener('message', (event) => {
    if (event.origin !== state.embed.parent || event.source !== window.parent) {
      state.embed.ignored += 1;
      document.documentElement.dataset.ignoredMessages = String(state.embed.ignored);
      return;
    }
    const message = event.data;
    if (message?.type !== 'cape-check-settings') return;
    applyEmbedSettings(message);
    // The host may not re-run the user's files by itself: a host cycling
    // settings could learn entry-level facts from the totals. The user
    // confirms with a click.
    if (state.lastFiles) offerRecheck();
  });
  state.engine.ready.then(() => tellParent({ type: 'cape-check-ready' }), () => {});
  // The height the frame needs, so the host can size it (no scroll bar inside a scroll bar).
  let lastHeight = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== lastHeight) tellParent({ type: 'cape-check-height', height });
    lastHeight = height;
  }).observe(document.body);
}

function offerRecheck() {
  const again = el('button', { type: 'button', 'data-testid': 'check-again' }, 'Check again with these settings');
  again.addEventListener('click', () => run(state.lastFiles));
  ui.runProblem.replaceChildren('The page around this checker changed the settings. ', again);
  ui.runProblem.hidden = false;
  announce('The settings changed. Check the files again to apply them.');
}

function applyEmbedSettings({ ior, filer, asOf, perImporter }) {
  if (typeof ior === 'string' && ior) {
    ui.iorInput.value = ior;
    ui.filerInput.value = '';
    ui.kindImporter.checked = true;
  } else if (typeof filer === 'string' && filer) {
    ui.filerInput.value = filer;
    ui.iorInput.value = '';
    ui.kindFiler.checked = true;
  }
  if (typeof asOf === 'string' && asOf) ui.asOfInput.value = asOf;
  if (typeof perImporter === 'boolean') ui.perImporter.checked = perImporter;
}

function tellParent(message) {
  // Posted to the named origin only: if the frame was put elsewhere, the browser drops it.
  window.parent.postMessage(message, state.embed.parent);
}

// ---- Helpers ------------------------------------------------------------

function announce(text) {
  // Clear first so that the same words are announced again.
  ui.announcer.textContent = '';
  setTimeout(() => { ui.announcer.textContent = text; }, 50);
}

function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
