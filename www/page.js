// The page: settings, file drop, progress and results. It only renders;
// the worker owns the wasm engine, and every verdict, message and file
// comes from the engine.
//
// (Its jobs, top to bottom: the engine, the settings, the files and folders
// chosen or dropped, a run, the results, Claim Details, printing, including
// entries to review, the iframe mode. Each would be a module of its own,
// listed in wasm-pack.toml's [page] modules.)

import {
  el, filingDateWarning, findingTitle, formatCount, formatDate, formatDuration, formatMoney, formatRows, hasEs003,
  hostSummary, isUnreadableRun, plural, SEVERITY_HEADINGS, SEVERITY_WORDS, todayIso, unbroken, VERDICT_WORDS, withAceDates,
} from './format.js';
import { createEntriesTable, PAGE_SIZE } from './entries_table.js';
import { MSG } from './engine_messages.js';
import { EngineClient } from './engine_client.js';
import {
  claimsSummaryLines, courtDeadlineNotice, createDownloadLinks, DATE_FROM_WORDS, findingsCsvName, interestNote, moneyLines, NUMBERS_ONLY,
  declarationEntries, WORKBOOK_NAME, writeWorkbook, writtenFiles,
  progressOf, rateTable, refileLinkText, rulesLine, UNREADABLE_TODO, verdictFigures,
} from './shared_view.js';

const $ = (id) => document.getElementById(id);

const ui = {
  iorInput: $('ior'),
  filerInput: $('filer'),
  asOfInput: $('as-of'),
  asOfWarning: $('as-of-warning'),
  kindImporter: $('kind-importer'),
  kindFiler: $('kind-filer'),
  perImporter: $('per-importer'),
  nonCorporate: $('non-corporate'),
  citPlaintiff: $('cit-plaintiff'),
  dropZone: $('drop-zone'),
  fileInput: $('drop-zone-input'),
  folderButton: $('folder-button'),
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
  rulesEdition: $('rules-edition'),
  stale: $('stale'),
  courtDeadline: $('court-deadline'),
  summarySlot: $('summary-slot'),
  interestNote: $('interest-note'),
  fileProblems: $('file-problems'),
  downloads: $('downloads'),
  claims: $('claims'),
  applied: $('applied'),
  fileReports: $('file-reports'),
  fileList: $('file-list'),
  findings: $('findings'),
  findingGroups: $('finding-groups'),
  entries: $('entries'),
  printRecord: $('print-record'),
  ruleBookCard: $('rule-book-card'),
  ruleBookIntro: $('rule-book-intro'),
  ruleBookList: $('rule-book-list'),
  announcer: $('announcer'),
  unsupported: $('unsupported'),
  offlineDownload: $('offline-download'),
};

/** Entries to review and blocked (together) up to which the print record is made at once, not on Print. */
const PRINT_AT_ONCE = 2000;

/** State of the page: the worker, the current run and its results. */
const state = {
  xlsxModule: null, // the compiled XLSX wasm, once a run needed it
  embed: null, // { parent: origin } inside another site's iframe (?embed=1&parent=...)
  lastFiles: null, // the files of the last run: checked again when a setting changes
  runSettings: '', // the settings of the run shown (or running), as a key: see settingsKey
  runWith: {}, // the same settings, as given to the engine
  recheckTimer: 0,
  engine: null, // the client of the worker, which owns the engine and the results (engine_client.js)
  explanations: new Map(),
  running: false,
  recheck: false, // the run going is a re-check after a setting changed (no scrolling, no focus moved)
  overview: null, // the last run's overview; its entries stay in the worker
  declarations: [],
  findingsCsv: null, // arrives after the overview
  findingsSha256: null, // its SHA-256, with it
  printed: null, // the overview whose print record holds every entry (a promise while it is made)
  downloads: createDownloadLinks(), // the download links' object URLs
  runStarted: 0,
  // Claim Details: what the user said of the files chosen (reset when other files are chosen)
  fixed: new Set(), // entry numbers whose fix the user confirmed ("I fixed it"): filed again
  downloadDates: {}, // file name -> "YYYY-MM-DD": the user's date of a download
  afterFiles: new Set(), // names of the ES-003 exports the user marked "exported after filing"
  claimsView: null, // the filters and length of the Claim Details list (see claimsViewDefaults)
  keep: false, // the run going keeps the results on screen (a re-check asked for from inside them)
  skipped: [], // files of a folder that were not read (not CSV or XLSX): [{ name }]
  refile: [], // the run's cape-refile.csv file(s): [{ name, bytes }]
};

const table = createEntriesTable($('entries-table'), {
  query: (query) => state.engine.ask(MSG.ENTRIES, { query }),
  onIncludeChange: changeIncluded,
  titleOf: findingTitle,
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
  // Ctrl+P as well as the Print button: the record is made when the results come, for a run of normal size.
  window.addEventListener('beforeprint', () => { ui.printRecord.dataset.printedAt = printedAt(); });
  startEngine();
  if (state.embed) startEmbedding();
}

// ---- The engine ------------------------------------------------------

async function compileEngine(id) {
  const text = $(id).textContent.trim();
  return WebAssembly.compile(base64Bytes(text));
}

/** The engine's client: its worker, and a helper worker a core for large files (engine_client.js). */
function startEngine() {
  state.engine = new EngineClient({
    source: $('worker-source').textContent,
    csvModule: compileEngine('wasm-csv-base64'),
    xlsxModule,
    // One worker a core for a large CSV, or as many as `?workers=N` in the
    // page's URL says (1 to 8; the benchmark compares them).
    parts: new URLSearchParams(location.search).get('workers') ?? 'auto',
    on: {
      [MSG.PROGRESS]: showProgress,
      [MSG.WARM]: () => { // for the benchmark
        document.documentElement.dataset.engineWarm = 'true';
        document.documentElement.dataset.engineWarmAt = String(Math.round(performance.now()));
      },
      [MSG.DONE]: (message) => {
        try {
          showOutcome(message);
        } catch (error) {
          finishRunWithProblem(`The results could not be shown: ${error.message}`);
        }
      },
      [MSG.FINDINGS_CSV]: (message) => {
        // The previous run's, arriving after this one started; or a run that read nothing (nothing to offer).
        if (!state.overview || isUnreadableRun(state.overview)) return;
        state.findingsCsv = message.bytes;
        state.findingsSha256 = message.sha256 ?? null;
        showDownloads(state.declarations);
        showFingerprints();
        if (message.groups) showFindingGroups(state.overview, message.groups);
      },
      [MSG.FINGERPRINT]: (message) => {
        // An input's SHA-256, computed after the results (a large file): shown where it said "being computed".
        const file = state.overview?.files[message.fileIndex];
        if (!file || state.running) return;
        file.sha256 = message.sha256;
        showFiles(state.overview);
        showFingerprints();
      },
      [MSG.FAILED]: (message) => finishRunWithProblem(message.message),
    },
    onReady: (message) => {
      document.documentElement.dataset.engineReadyAt = String(Math.round(performance.now())); // for the benchmark
      state.explanations = new Map(message.explanations.map((item) => [item.code, item.explanation]));
      if (message.ruleBook) showRuleBook(message.ruleBook);
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

/** "What is checked": every rule of the engine's rule book, with its source and confidence. */
function showRuleBook(book) {
  const confidenceWords = (confidence) => (confidence === 'CBP'
    ? 'Published by CBP'
    : 'Reported by others, not published by CBP: it never blocks an entry on its own');
  ui.ruleBookIntro.textContent = `The ${plural(book.rules.length, 'rule')} cape-check applies, as of ${formatDate(book.edition)}. A rule with a date applies to filings from that day on: your filing date decides.`;
  ui.ruleBookList.replaceChildren(el('ol', { class: 'rule-book' }, book.rules.map((rule) => el('li', {
    class: 'rule', dataset: { confidence: rule.confidence },
  },
  el('p', { class: 'rule-text' }, rule.from ? el('span', { class: 'rule-from' }, `From ${formatDate(rule.from)}: `) : null, withAceDates(rule.rule)),
  el('p', { class: 'rule-check' }, el('span', { class: 'label' }, 'cape-check: '), withAceDates(rule.check)),
  el('p', { class: 'rule-source' },
    el('span', { class: `confidence ${rule.confidence === 'CBP' ? 'cbp' : 'secondary'}` }, confidenceWords(rule.confidence)),
    ' \u00b7 Source: ', withAceDates(rule.source))))));
  ui.ruleBookCard.hidden = false;
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
        if (field === 'as-of') ui.asOfWarning.textContent = '';
        settingsChanged();
        return;
      }
      const answer = await state.engine.ask(MSG.VALIDATE, { field, text });
      if (answer.problem === 'cancelled') return; // the worker was restarted: not the user's mistake
      if (input.value.trim() !== text) return; // typed on meanwhile: that text is checked next
      setProblem(input, problem, answer.problem);
      if (field === 'as-of') ui.asOfWarning.textContent = answer.problem ? '' : (filingDateWarning(text) ?? '');
      settingsChanged();
    };
    input.addEventListener('input', () => {
      if (radio) radio.checked = true;
      clearTimeout(timer);
      timer = setTimeout(check, 60);
    });
    input.addEventListener('change', check);
    input.addEventListener('focus', () => { if (radio && input.value) radio.checked = true; });
  }
  for (const choice of [ui.kindImporter, ui.kindFiler, ui.perImporter, ui.nonCorporate, ui.citPlaintiff]) {
    choice.addEventListener('change', settingsChanged);
  }
  ui.asOfWarning.textContent = filingDateWarning(ui.asOfInput.value) ?? '';
}

function setProblem(input, problem, text) {
  problem.textContent = text || '';
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function currentSettings() {
  const settings = { asOf: ui.asOfInput.value || undefined };
  if (ui.perImporter.checked) settings.perImporter = true;
  if (ui.nonCorporate.checked) settings.nonCorporate = true;
  if (ui.citPlaintiff.checked) settings.citPlaintiff = true;
  if (ui.kindFiler.checked) {
    if (ui.filerInput.value.trim()) settings.filer = ui.filerInput.value.trim();
  } else if (ui.iorInput.value.trim()) {
    settings.importer = ui.iorInput.value.trim();
  }
  // What the user said in the Claim Details part of the results.
  if (state.fixed.size) settings.fixed = [...state.fixed].sort();
  if (Object.keys(state.downloadDates).length) settings.downloadDates = { ...state.downloadDates };
  if (state.afterFiles.size) settings.afterFiles = [...state.afterFiles].sort();
  return settings;
}

function settingsKey(settings) {
  return JSON.stringify([
    settings.importer ?? '', settings.filer ?? '', settings.asOf ?? '', Boolean(settings.perImporter),
    Boolean(settings.nonCorporate), Boolean(settings.citPlaintiff),
    settings.fixed ?? [], Object.entries(settings.downloadDates ?? {}).sort(), settings.afterFiles ?? [],
  ]);
}

/** The settings in use have a problem the user must fix first (said next to the field). */
function settingsProblem() {
  const inUse = [ui.asOfInput, ui.kindFiler.checked ? ui.filerInput : ui.iorInput, ...downloadDateInputs()];
  return inUse.some((input) => input.getAttribute('aria-invalid') === 'true');
}

/**
 * A setting changed (and was checked): the results on screen must be those
 * of the settings on screen. The files already checked are checked again;
 * until then, and while a setting has a problem, the old results are marked
 * as such and their downloads withdrawn. Inside another site's frame, the
 * user confirms with a click (see offerRecheck). `keep`: the change was made
 * inside the results (a download's date, "I fixed it"): they stay on screen,
 * marked, while the files are checked again, so the user stays where they are.
 */
function settingsChanged({ keep = false } = {}) {
  if (!state.lastFiles) return;
  clearTimeout(state.recheckTimer);
  if (settingsKey(currentSettings()) === state.runSettings) {
    if (!state.running) markStale(null);
    return;
  }
  if (settingsProblem()) {
    markStale('The settings changed and one has a problem: fix it, and the files are checked again. The results below are those of the settings before.');
    return;
  }
  markStale(keep ? 'Checking the files again with what you said of the Claim Details\u2026' : 'The settings changed: checking the files again\u2026');
  state.recheckTimer = setTimeout(() => run(state.lastFiles, { recheck: true, keep }), 250);
}

/** Marks the results shown as those of other settings (`text` says so), or as current again (null). */
function markStale(text) {
  const wasStale = ui.results.classList.contains('stale');
  ui.stale.textContent = text ?? '';
  ui.stale.hidden = !text;
  ui.results.classList.toggle('stale', Boolean(text));
  if (!state.overview) return;
  if (text) {
    state.downloads.clear();
    ui.downloads.replaceChildren(el('h3', {}, 'Downloads'), el('p', {}, 'Withdrawn until the files are checked with the new settings.'));
    const refile = $('claims-refile');
    if (refile && state.refile.length) refile.replaceChildren(el('p', {}, 'The re-file declaration is withdrawn until the files are checked again.'));
  } else if (wasStale) {
    // Only then: links redrawn under a click would lose their download.
    showDownloads(state.declarations);
  }
}

function settingsContext(overview) {
  const parts = [`Filing date ${formatDate(overview.as_of)}`];
  if (overview.account?.importer) parts.push(`importer ${overview.account.importer}`);
  else if (overview.account?.filer) parts.push(`broker, filer code ${overview.account.filer}`);
  else parts.push('no account given: account checks skipped');
  parts.push(...importerFacts(overview, state.runWith));
  parts.push(overview.files.map((file) => file.name).join(', '));
  return parts.join(' \u00b7 ');
}

/** What the run was told of the importer, when it departs from the defaults (a corporation, not a plaintiff). */
function importerFacts(overview, settings) {
  const facts = [];
  if (settings.nonCorporate || overview.interest?.rate_column === 'non-corporate') facts.push('not a corporation');
  if (settings.citPlaintiff) facts.push('a plaintiff at the Court of International Trade (Phase 3)');
  return facts;
}

// ---- Files ------------------------------------------------------------

function wireFiles() {
  // One file input (input[type=file], the page's hook) for files and for a
  // folder: "Choose a folder of downloads" opens it as a folder picker
  // (webkitdirectory, in every engine), set for that one opening.
  let pickFolder = false;
  if ('webkitdirectory' in ui.fileInput) {
    ui.folderButton.addEventListener('click', () => {
      pickFolder = true;
      ui.fileInput.click();
    });
  } else {
    $('folder-choice').hidden = true;
  }
  ui.fileInput.addEventListener('click', () => {
    ui.fileInput.webkitdirectory = pickFolder;
    pickFolder = false;
  });
  ui.fileInput.addEventListener('cancel', () => { ui.fileInput.webkitdirectory = false; });
  ui.fileInput.addEventListener('change', () => {
    const files = [...ui.fileInput.files];
    const folder = ui.fileInput.webkitdirectory || files.some((file) => file.webkitRelativePath);
    ui.fileInput.webkitdirectory = false;
    ui.fileInput.value = '';
    if (folder) {
      const contents = folderContents(files);
      chooseFiles(contents.files, contents.skipped, { folder: true });
    } else if (files.length) {
      chooseFiles(files);
    }
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
    // The items are readable during the event only: taken now, folders walked after.
    const dropped = droppedItems(event.dataTransfer);
    if (dropped.length === 0) return;
    filesOfDrop(dropped).then(
      ({ files, skipped, folder }) => chooseFiles(files, skipped, { folder }),
      (error) => showProblem(`The folder dropped could not be read: ${error?.message || error}. Choose it with "Choose a folder of downloads" instead.`));
  });
  // A file dropped next to the zone must not make the browser navigate away.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());
  ui.sampleButton.addEventListener('click', () => {
    const sample = document.querySelector(`script.sample[data-name="${ui.sampleChoice.value}"]`);
    if (!sample) return;
    const bytes = base64Bytes(sample.textContent.trim());
    chooseFiles([new File([bytes], sample.dataset.name, { type: 'text/csv' })]);
  });
}

/**
 * Files the user chose (picked, dropped, a folder's, a sample): checked with
 * the settings on screen. What was said of other files' Claim Details (dates,
 * fixes) is forgotten. `skipped`: files of a folder that are not read (not
 * CSV or XLSX), listed with the results.
 */
function chooseFiles(files, skipped = [], { folder = false } = {}) {
  if (files.length === 0) {
    const what = folder ? 'The folder holds no CSV or XLSX file' : 'No file to check';
    showProblem(skipped.length
      ? `${what}, so nothing was checked. Not read: ${skipped.map((file) => file.name).join(', ')}. Choose the ES-003 export and the Claim Details downloads (CSV or XLSX) from ACE.`
      : `${what}, so nothing was checked.`);
    return;
  }
  state.fixed = new Set();
  state.downloadDates = {};
  state.afterFiles = new Set();
  state.claimsView = claimsViewDefaults();
  state.skipped = skipped;
  run(files);
}

// A folder's files that are not the user's: hidden (.DS_Store, .git/...), the
// system's (Thumbs.db, desktop.ini, __MACOSX/), Office's lock files (~$book.xlsx).
const HIDDEN_NAME = /^(\.|~\$)|^(thumbs\.db|desktop\.ini|__MACOSX)$/i;
// What is read from a folder: CSV and XLSX, and text saved from Excel ("Unicode text", tab-separated).
const READ_FROM_FOLDER = /\.(csv|xlsx|txt|tsv)$/i;
// Folders inside a dropped folder are walked to this depth.
const FOLDER_DEPTH = 16;

/** What a folder's files (the folder input's, with their paths) give: the files to read, in path order, and those not read. */
function folderContents(files) {
  const pathOf = (file) => (file.webkitRelativePath || file.name).split('/').slice(1).join('/') || file.name;
  const shown = files
    .filter((file) => !(file.webkitRelativePath || file.name).split('/').some((part) => HIDDEN_NAME.test(part)))
    .map((file) => ({ file, path: pathOf(file) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files: shown.filter(({ path }) => READ_FROM_FOLDER.test(path)).map(({ file }) => file),
    skipped: shown.filter(({ path }) => !READ_FROM_FOLDER.test(path)).map(({ path }) => ({ name: path })),
  };
}

/**
 * A drop's items, taken while the drop event lasts: each with its file
 * system entry (a folder is one; webkitGetAsEntry, in every engine) and its
 * File. Without items (an older browser), the plain files.
 */
function droppedItems(transfer) {
  const items = [...(transfer?.items ?? [])].filter((item) => item.kind === 'file');
  if (items.length === 0) return [...(transfer?.files ?? [])].map((file) => ({ entry: null, file }));
  return items.map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
}

/** The files of a drop: each file as dropped, and each dropped folder's, walked (walkFolder). */
async function filesOfDrop(dropped) {
  const found = { files: [], skipped: [], folder: false };
  for (const { entry, file } of dropped) {
    if (entry?.isDirectory) {
      found.folder = true;
      await walkFolder(entry, found);
    } else if (file) {
      found.files.push(file); // dropped by itself: read, whatever it is (the engine says what it is not)
    } else if (entry?.isFile) {
      found.files.push(await entryFile(entry));
    }
  }
  return found;
}

/**
 * Every file of a dropped folder (a FileSystemDirectoryEntry) and of the
 * folders in it, in name order, into `found.files`; hidden ones skipped
 * silently, others than CSV or XLSX listed in `found.skipped` by their path
 * in the folder. Works on any object with the same shape (createReader,
 * readEntries, file).
 */
async function walkFolder(folder, found, path = '', depth = 0) {
  const children = await folderEntries(folder);
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) {
    if (HIDDEN_NAME.test(child.name)) continue;
    const where = `${path}${child.name}`;
    if (child.isDirectory) {
      if (depth < FOLDER_DEPTH) await walkFolder(child, found, `${where}/`, depth + 1);
    } else if (READ_FROM_FOLDER.test(child.name)) {
      found.files.push(await entryFile(child));
    } else {
      found.skipped.push({ name: where });
    }
  }
  return found;
}

/** A folder entry's children: readEntries gives them in batches until an empty one. */
function folderEntries(folder) {
  const reader = folder.createReader();
  const all = [];
  return new Promise((resolve, reject) => {
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) {
        resolve(all);
        return;
      }
      all.push(...batch);
      next();
    }, reject);
    next();
  });
}

function entryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function fillSamples() {
  const samples = document.querySelectorAll('script.sample');
  ui.sampleChoice.replaceChildren(...[...samples].map((sample) =>
    el('option', { value: sample.dataset.name }, `${sample.dataset.label} (${sample.dataset.name})`)));
}

// ---- A run ------------------------------------------------------------

/**
 * Checks `files` with the settings on screen (`recheck`: the same files
 * again, after a setting changed; `keep`: the results stay on screen, marked
 * as those of the settings before, until the new ones replace them).
 */
async function run(files, { recheck = false, keep = false } = {}) {
  clearTimeout(state.recheckTimer);
  if (state.running) cancel({ quiet: true });
  state.engine.beforeRun(); // a worker that holds the XLSX reader is replaced
  const settings = currentSettings();
  state.lastFiles = files;
  state.runSettings = settingsKey(settings);
  state.runWith = settings;
  state.running = true;
  state.recheck = recheck;
  state.keep = keep && Boolean(state.overview);
  state.runStarted = performance.now();
  hideProblem();
  if (state.keep) {
    markStale('Checking the files again with what you said of the Claim Details\u2026');
    setClaimsStatus('Checking the files again\u2026');
  } else {
    clearResults();
    markStale(null);
  }
  ui.progress.hidden = state.keep; // the results stay where the user is: no card pushes them down
  // The whole card, Cancel included; not while the user types a setting.
  if (!recheck) ui.progress.scrollIntoView({ block: 'center' });
  ui.progressBar.value = 0;
  ui.progressFile.textContent = `Reading ${files.map((file) => file.name).join(', ')}`;
  ui.progressFigures.textContent = '';
  announce(`${recheck ? 'Checking again with the new settings' : 'Checking'}: ${files.length === 1 ? files[0].name : plural(files.length, 'file')}.`);
  try {
    // Not posted when this run was cancelled meanwhile (its worker was replaced).
    await state.engine.audit(settings, files, { limit: PAGE_SIZE });
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

/** Cancel (the button), or a run replaced by the next (`quiet`: nothing said). */
function cancel({ quiet = false } = {}) {
  if (!state.running) return;
  state.running = false;
  ui.progress.hidden = true;
  state.engine.restart();
  if (quiet) return;
  // Nothing of the run was kept: no settings change re-checks it.
  state.lastFiles = null;
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
  ui.courtDeadline.hidden = true;
  ui.courtDeadline.replaceChildren();
  ui.fileProblems.hidden = true;
  ui.summarySlot.replaceChildren();
  ui.interestNote.replaceChildren();
  ui.downloads.replaceChildren();
  ui.claims.hidden = true;
  ui.claims.replaceChildren();
  ui.fileList.replaceChildren();
  ui.findingGroups.replaceChildren();
  ui.printRecord.replaceChildren();
  state.downloads.clear();
  state.overview = null;
  state.declarations = [];
  state.refile = [];
  state.findingsCsv = null;
  state.findingsSha256 = null;
  state.printed = null;
}

/** The worker's `done`: the overview and the first page of entries (findings.csv follows). */
function showOutcome({ overview, declarations, refile = [], firstPage, timings, engine }) {
  const received = performance.now();
  state.running = false;
  ui.progress.hidden = true;
  state.overview = overview;
  state.declarations = declarations;
  state.refile = refile;
  state.printed = null;
  if (state.keep) {
    state.keep = false;
    // The results shown until now were marked as those of the settings before: these are of the settings on screen
    // (unless one changed meanwhile, and then it is said).
    if (settingsKey(currentSettings()) === state.runSettings && !settingsProblem()) markStale(null);
  }
  // This run's findings.csv follows this message; one that came before it
  // was the previous run's.
  state.findingsCsv = null;
  state.findingsSha256 = null;
  const unreadable = isUnreadableRun(overview);

  ui.resultsContext.replaceChildren(...unbroken(settingsContext(overview)));
  ui.rulesEdition.textContent = rulesLine(overview) ?? '';
  ui.rulesEdition.hidden = !rulesLine(overview);
  ui.summarySlot.replaceChildren(unreadable ? unreadableCard(overview) : summary(overview));
  ui.results.hidden = false;
  ui.results.dataset.outcome = unreadable ? 'unreadable' : 'checked';
  const summaryShown = performance.now();
  // A run that read nothing has nothing else to show: the card says why and what to do.
  for (const part of [ui.downloads, ui.fileReports, ui.findings, ui.entries]) part.hidden = unreadable;
  showCourtDeadline(unreadable ? null : overview);
  showFileProblems(unreadable ? { ...overview, files: [] } : overview);
  showInterestNote(unreadable ? null : interestNote(overview));
  showClaims(unreadable ? null : overview);
  showApplied(unreadable ? null : overview);
  if (!unreadable) {
    showDownloads(declarations);
    showFiles(overview);
    showFindingGroups(overview, overview.codes);
    table.show(overview, firstPage, { dutyKnown: hasEs003(overview) });
    ui.entries.hidden = overview.totals.entries === 0;
    showPrintRecord(overview);
  }
  // Where the time went, for the benchmark (scripts/bench_browser.mjs).
  Object.assign(ui.results.dataset, {
    readMs: Math.round(timings.readMs), finishMs: Math.round(timings.finishMs),
    summaryMs: Math.round(summaryShown - state.runStarted),
    summaryAt: Math.round(summaryShown), // since the page was opened (--cold)
    chosenAt: Math.round(state.runStarted),
    renderMs: Math.round(performance.now() - received), totalMs: Math.round(performance.now() - state.runStarted),
    engine, // "csv" or "xlsx": which wasm module audited the run
    helped: String(timings.helped), // "true": a helper worker read part of a large file
    readBy: timings.readBy, // "page": the worker could not read the files, the page read them for it (WebKit from file://)
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
  announce(unreadable
    ? `Done in ${seconds} s. ${ui.summarySlot.textContent}`
    : [
      `Done in ${seconds} s.`,
      courtDeadlineNotice(overview),
      ...fileProblemSentences(overview),
      `${plural(totals.ready, 'entry')} ready, ${formatCount(totals.review)} to review, ${formatCount(totals.blocked)} blocked.`,
      ...(overview.claims ? claimsSummaryLines(overview.claims).map((line) => `Claim Details: ${line.text}.`) : []),
    ].filter(Boolean).join(' '));
  if (state.recheck) return; // the user is changing a setting: focus stays there
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
  const numbersOnly = !hasEs003(overview);
  const card = (figure) => {
    const { verdict, title, count } = figure;
    const money = moneyLines(overview, figure);
    return el('section', { class: `verdict-card ${verdict}`, dataset: { verdict }, 'aria-label': title },
      el('h3', {}, title),
      el('p', { class: 'count' }, formatCount(count), el('span', { class: 'visually-hidden' }, ` ${count === 1 ? 'entry' : 'entries'} ${VERDICT_WORDS[verdict]}`)),
      el('p', { class: 'duty' }, money.duty),
      money.interest ? el('p', { class: 'interest' }, money.interest) : null,
      el('p', { class: 'note' }, numbersOnly && verdict === 'ready' ? NUMBERS_ONLY : VERDICT_NOTES[verdict]));
  };
  return el('div', { class: 'summary', 'data-testid': 'summary', role: 'group', 'aria-label': 'Summary' },
    ...verdictFigures(totals).map(card),
    el('p', { class: 'summary-total' }, `${plural(totals.entries, 'entry')} in all.`,
      numbersOnly && totals.entries > 0 ? ' No ES-003 export was given: only the entry numbers were checked, not whether CAPE refunds the entries, nor how much.' : ''));
}

/** A run that read nothing: one card that says what each file is and what to do. */
function unreadableCard(overview) {
  return el('div', { class: 'alert unreadable', 'data-testid': 'unreadable', role: 'alert' },
    el('h3', {}, overview.files.length === 1 ? 'This file could not be checked' : 'These files could not be checked'),
    el('ul', { class: 'unreadable-files' }, overview.files.map((file) => {
      const finding = file.findings.find((candidate) => candidate.severity === 'error');
      return el('li', { dataset: { code: finding.code } }, el('strong', {}, file.name), ': ', ...unbroken(finding.message));
    })),
    el('p', { class: 'todo' }, el('strong', {}, 'What to do: '), UNREADABLE_TODO));
}

/**
 * Entries that only a court can refund, whose court deadline is near (or
 * past): said before anything else, with a way to see them in the table.
 */
function showCourtDeadline(overview) {
  const text = overview ? courtDeadlineNotice(overview) : null;
  ui.courtDeadline.hidden = !text;
  if (!text) {
    ui.courtDeadline.replaceChildren();
    return;
  }
  const entries = overview.court_deadline_near.entries;
  ui.courtDeadline.replaceChildren(
    el('p', { class: 'court-deadline-text' }, text),
    el('p', { class: 'court-deadline-why' },
      `Only an action at the Court of International Trade can refund ${entries === 1 ? 'this entry' : 'these entries'}, and it may be too late two years after the duty was deposited (the earliest reading of law firms' notes).`),
    el('button', { type: 'button', onclick: () => table.filterByCode('court-deadline-near') },
      entries === 1 ? 'Show this entry in the table' : `Show these ${formatCount(entries)} entries in the table`));
}

function showInterestNote(note) {
  ui.interestNote.hidden = !note;
  if (!note) return;
  ui.interestNote.replaceChildren(
    el('p', { class: 'interest-short' }, note.short, note.runs ? ` ${note.runs}` : ''),
    note.rateUsed ? el('p', { class: 'interest-rate', dataset: { column: note.rateColumn } }, note.rateUsed) : null,
    el('details', {}, el('summary', {}, 'How the interest is estimated, and the rates with their sources'),
      el('p', { class: 'basis' }, note.basis),
      rateTable(note)));
}

function showDownloads(declarations) {
  state.downloads.clear();
  if (ui.results.classList.contains('stale')) return; // withdrawn until the files are checked again
  const link = (kind, name, bytes, text, primary) => state.downloads.link(kind, name, bytes, text, `download${primary ? ' primary' : ''}`);
  const children = [el('h3', {}, 'Downloads')];
  if (declarations.length === 0) {
    const { totals } = state.overview;
    let why = 'No entry is ready, so no CAPE Declaration was written: CAPE rejects an empty file.';
    if (totals.entries === 0) why = 'No entry was read, so no CAPE Declaration was written.';
    else if (totals.review > 0) why += ' Include entries to review below once you have checked them.';
    children.push(el('p', {}, why));
  } else {
    for (const file of declarations) {
      children.push(link('declaration', file.name, file.bytes,
        `CAPE Declaration: ${file.name} (${plural(declarationEntries(file), 'entry')})`, true),
      fingerprintLine(file.name, file.sha256, 'written-fingerprint'));
    }
    if (declarations.some((file) => /-of-\d+\.csv$/.test(file.name))) {
      children.push(el('p', {}, 'More than 9,999 entries: CAPE takes at most 9,999 per declaration, so upload each file separately.'));
    }
  }
  if (state.refile.length) {
    children.push(el('p', {}, 'The re-file declaration, for entries CBP did not accept that can be filed again now, is under Claim Details below.'));
  }
  showRefile(link);
  const findingsName = findingsCsvName(state.overview.as_of);
  children.push(...(state.findingsCsv
    ? [link('findings', findingsName, state.findingsCsv, 'All findings, for Excel (CSV)', false),
      fingerprintLine(findingsName, state.findingsSha256, 'written-fingerprint')]
    : [el('p', { class: 'pending' }, 'Writing the list of all findings\u2026')]));
  children.push(el('div', { class: 'workbook', id: 'workbook-slot' },
    el('button', { type: 'button', 'data-testid': 'workbook', onclick: (event) => downloadWorkbook(event.currentTarget) }, 'Download as Excel workbook'),
    el('p', { class: 'hint' }, 'Every finding, entry, declaration and Claim Details history in one workbook, with the fingerprint of every file: entry numbers stay as written, dates and amounts are real dates and amounts.')));
  children.push(el('button', { type: 'button', id: 'print-button', onclick: printRecord }, 'Print the results or save them as PDF'));
  ui.downloads.replaceChildren(...children);
}

/**
 * cape-check-report.xlsx: written by the XLSX module in the worker (loaded
 * now, the first time), offered as a link and downloaded at once.
 */
async function downloadWorkbook(button) {
  const overview = state.overview;
  const slot = button.parentElement;
  button.disabled = true;
  slot.querySelector('.workbook-status')?.remove();
  const status = el('p', { class: 'workbook-status', role: 'status' }, 'Writing the workbook\u2026');
  slot.append(status);
  const files = writtenFiles(state.declarations, state.refile,
    state.findingsCsv ? { name: findingsCsvName(overview.as_of), sha256: state.findingsSha256 } : null);
  const written = await writeWorkbook((type, body) => state.engine.ask(type, body), MSG.WORKBOOK, state.runWith, files);
  if (state.overview !== overview || written.problem === 'cancelled') return; // a newer run replaced these results
  button.disabled = false;
  if (written.problem) {
    status.textContent = `The workbook could not be written: ${written.problem}`;
    return;
  }
  if (state.workbookUrl) URL.revokeObjectURL(state.workbookUrl);
  state.workbookUrl = written.url;
  const link = el('a', { class: 'download', href: written.url, download: WORKBOOK_NAME, 'data-download': 'workbook' }, `Excel workbook: ${WORKBOOK_NAME}`);
  status.replaceChildren(link, ' ', fingerprintLine(WORKBOOK_NAME, written.sha256, 'written-fingerprint'));
  link.click();
}

/**
 * Files with blocking findings, said first (otherwise the figures below
 * would puzzle): one alert per file, its news first. A declaration CAPE
 * would fail is said once, with its corrected file; its reasons follow.
 */
function showFileProblems(overview) {
  const alerts = overview.files.map((file) => {
    const problems = file.findings.filter((finding) => finding.severity === 'error');
    if (problems.length === 0) return null;
    const reasons = (list) => el('ul', { class: 'reasons' }, list.map((finding) => el('li', {}, ...unbroken(finding.message))));
    if (file.kind === 'declaration') {
      const corrected = overview.declarations.length > 0
        ? ' The CAPE Declaration under Downloads holds its entries that pass, corrected: upload that file instead.'
        : ' No entry of it is ready, so no corrected declaration was written.';
      return el('div', { class: 'file-problem', dataset: { file: file.name } },
        el('p', {}, el('strong', {}, file.name), `: CAPE would reject this declaration as it is (${plural(problems.length, 'problem')}, listed under Files read).${corrected}`));
    }
    return el('div', { class: 'file-problem', dataset: { file: file.name } },
      el('p', {}, el('strong', {}, file.name), ': ', ...unbroken(problems[0].message)),
      problems.length > 1 ? reasons(problems.slice(1)) : null);
  }).filter(Boolean);
  ui.fileProblems.replaceChildren(...alerts);
  ui.fileProblems.hidden = alerts.length === 0;
}

/** What the announcer says of the files' problems: one sentence a file. */
function fileProblemSentences(overview) {
  return overview.files.flatMap((file) => {
    const problems = file.findings.filter((finding) => finding.severity === 'error');
    if (problems.length === 0) return [];
    if (file.kind === 'declaration') return [`CAPE would reject ${file.name} as it is; a corrected declaration is under Downloads.`];
    return [`${file.name}: ${problems[0].message}`];
  });
}

function showFiles(overview) {
  // With more than one file, each ES-003 export can be marked as one exported after filing.
  const several = overview.files.length > 1;
  ui.fileList.replaceChildren(...overview.files.map((file) => el('li', {},
    el('strong', {}, file.name), ` \u2014 ${fileWords(file)}`,
    fingerprintLine(file.name, file.sha256, 'fingerprint'),
    several && (file.kind === 'es003' || state.afterFiles.has(file.name)) ? afterFilingChoice(file.name) : null,
    file.findings.length ? el('ul', { class: 'finding-list' }, file.findings.map(findingItem)) : null)),
  ...state.skipped.map((file) => el('li', { class: 'not-read', dataset: { notRead: file.name } },
    el('strong', {}, file.name), ` \u2014 ${NOT_READ}`)));
}

/** The choice "exported after filing" of one ES-003 export: its rows then say whether each refund was applied. */
function afterFilingChoice(name) {
  const box = el('input', { type: 'checkbox', 'data-testid': 'after-filing', 'data-file': name, checked: state.afterFiles.has(name) });
  box.addEventListener('change', () => {
    if (box.checked) state.afterFiles.add(name);
    else state.afterFiles.delete(name);
    settingsChanged({ keep: true });
  });
  return el('label', { class: 'after-filing' }, box,
    ' Exported after filing: use this export only to see which refunds CBP applied',
    el('span', { class: 'visually-hidden' }, ` (${name})`));
}

/** With an export made after filing: how many refunds were applied, pending, never filed, unknown, and how that is known. */
function showApplied(overview) {
  const applied = overview?.applied;
  ui.applied.hidden = !applied;
  if (!applied) {
    ui.applied.replaceChildren();
    return;
  }
  const after = [...state.afterFiles].filter((name) => overview.files.some((file) => file.name === name));
  const line = (key, count, words, hint) => el('li', { dataset: { applied: key } },
    el('strong', {}, `${formatCount(count)} ${words}`), ` \u2014 ${hint}`);
  ui.applied.replaceChildren(
    el('h3', { id: 'applied-title' }, 'Were the refunds applied?'),
    el('p', { class: 'context' }, `Each entry of the earlier export, compared with ${after.length === 1 ? `the export made after filing, ${after[0]}` : `the exports made after filing (${after.join(', ')})`}.`),
    el('ul', { class: 'applied-counts', 'data-testid': 'applied-counts' },
      line('applied', applied.applied, applied.applied === 1 ? 'refund applied' : 'refunds applied', 'its IEEPA lines are gone, or the export says CAPE processed it'),
      line('pending', applied.pending, 'filed, not applied yet', 'accepted in the Claim Details, or marked P (pending) in the export'),
      line('not-filed', applied.not_filed, 'not filed', 'the later export lists it with no sign of a refund'),
      line('unknown', applied.unknown, 'not known', 'the later export does not list it')),
    el('p', { class: 'hint' }, 'An estimate from signs CBP has not documented: that the IEEPA lines disappear once CBP applies a refund is reported by practitioners\u2019 guides (a secondary source); the CAPE Indicator column\u2019s words come from a single source. Check an entry in ACE before acting on it. Each entry\u2019s status is in the Entries table.'));
}

/**
 * A file's fingerprint (SHA-256), the same as `sha256sum` gives for it: said
 * as being computed while it is (a large input's comes after its results).
 */
function fingerprintLine(name, sha256, testid) {
  return el('span', { class: 'fingerprint', 'data-testid': testid, 'data-file': name, 'data-sha256': sha256 ?? '' },
    'Fingerprint (SHA-256): ', sha256 ? el('code', {}, ...unbroken(sha256)) : el('em', {}, 'being computed\u2026'));
}

/** The files read and written, each with its fingerprint, for the print record. */
function printFingerprints() {
  const overview = state.overview;
  const written = [...state.declarations, ...state.refile].map((file) => [file.name, file.sha256]);
  if (state.findingsCsv) written.push([findingsCsvName(overview.as_of), state.findingsSha256]);
  const line = ([name, sha256]) => el('li', {}, `${name}: ${sha256 ?? 'being computed'}`);
  return el('div', { class: 'print-fingerprints', 'data-testid': 'print-fingerprints' },
    el('h3', {}, 'Fingerprints (SHA-256) of the files checked and written'),
    el('p', {}, 'The value any SHA-256 checksum tool gives for the file: if a file is changed, even by one character, its fingerprint no longer matches.'),
    el('ul', {}, overview.files.filter((file) => file.name).map((file) => line([`Checked: ${file.name}`, file.sha256]))),
    el('ul', {}, written.map(([name, sha256]) => line([`Written: ${name}`, sha256]))));
}

/** Redraws the print record's fingerprints (one arrived, or findings.csv was written). */
function showFingerprints() {
  const shown = ui.printRecord.querySelector('.print-fingerprints');
  if (shown && state.overview) shown.replaceWith(printFingerprints());
}

/** Why a file of a folder was not read. */
const NOT_READ = 'not read: not a CSV or XLSX file';

function fileWords(file) {
  const kind = { es003: 'ES-003 export', declaration: 'CAPE Declaration', 'claim-details': 'Claim Details' }[file.kind];
  return kind ? `${kind}, ${plural(file.rows, 'row')}` : 'could not be read';
}

function findingItem(finding) {
  return el('li', { class: `finding ${finding.severity}` },
    el('span', { class: `severity ${finding.severity}` }, SEVERITY_WORDS[finding.severity] ?? finding.severity),
    ...unbroken(finding.message));
}

/**
 * The findings, by severity (blocking, to check, notes), each kind with its
 * plain title, its explanation and what to do in view; examples and the
 * finding code for reference on request. `groups`: the overview's (one
 * per code, under its worst severity), then the worker's split of them by
 * severity when findings.csv is written.
 */
function showFindingGroups(overview, groups) {
  if (groups.length === 0) {
    ui.findingGroups.replaceChildren(el('p', {}, 'Nothing to report: every entry is ready.'));
    return;
  }
  const entriesByCode = new Map();
  for (const group of groups) entriesByCode.set(group.code, (entriesByCode.get(group.code) ?? 0) + group.entries);
  const section = (severity) => {
    const mine = groups.filter((group) => group.severity === severity);
    if (mine.length === 0) return null;
    return el('section', { class: `finding-severity ${severity}`, dataset: { severity }, 'aria-labelledby': `findings-${severity}` },
      el('h4', { id: `findings-${severity}` }, SEVERITY_HEADINGS[severity], el('span', { class: 'count-badge' }, ` (${plural(mine.length, 'kind')})`)),
      mine.map((group) => findingGroup(group, entriesByCode.get(group.code))));
  };
  ui.findingGroups.replaceChildren(...['error', 'warning', 'info'].map(section).filter(Boolean));
}

function findingGroup(group, entriesWithCode) {
  const all = group.entries + group.in_files;
  const count = group.entries
    ? `${plural(group.entries, 'entry')}${group.in_files ? ` and ${plural(group.in_files, 'file finding')}` : ''}`
    : plural(group.in_files, 'file finding');
  const examples = group.examples.map(({ entry, message }) =>
    el('li', {}, entry ? el('span', { class: 'entry-number' }, entry) : 'File', ': ', ...unbroken(message)));
  const more = all > examples.length ? el('p', { class: 'examples' }, `and ${formatCount(all - examples.length)} more.`) : null;
  let show = null;
  if (entriesWithCode) {
    const words = entriesWithCode === 1 ? 'Show this entry in the table' : `Show these ${formatCount(entriesWithCode)} entries in the table`;
    show = el('button', { type: 'button', onclick: () => table.filterByCode(group.code) }, words);
  }
  return el('article', { class: `finding-group ${group.severity}`, dataset: { code: group.code, severity: group.severity } },
    el('h5', {},
      el('span', { class: `severity ${group.severity}` }, SEVERITY_WORDS[group.severity] ?? group.severity),
      el('span', { class: 'finding-title' }, findingTitle(group.code)),
      el('span', { class: 'count-badge' }, ` \u2014 ${count}`)),
    el('p', { class: 'explanation' }, state.explanations.get(group.code) ?? ''),
    el('details', { class: 'finding-details' },
      el('summary', {}, `Examples (${formatCount(examples.length)} of ${formatCount(all)})`),
      el('ul', { class: 'examples' }, examples),
      more,
      el('p', { class: 'code-line' }, 'Finding code (in findings.csv): ', el('code', {}, group.code))),
    show);
}

// ---- Claim Details ----------------------------------------------------------
//
// With Claim Details downloads, what changed since the download before the
// newest, each download's date (which the user can correct), and each entry's
// history in them with what to do; an entry that failed can be marked as
// fixed, to be filed again. A correction or a tick checks the files again at
// once, the results staying on screen meanwhile (settingsChanged, `keep`).

const CURRENT_WORDS = { accepted: 'Accepted', failed: 'Failed', conflict: 'Accepted, then failed' };
const CHANGE_WORDS = { 'new-reject': 'New reject', corrected: 'Corrected', conflict: 'Conflict', unchanged: 'Unchanged' };
const STEP_WORDS = { accepted: 'Accepted', failed: 'Failed' };
const CHANGE_FILTERS = [['', 'Every entry'], ['new-reject', 'New rejects'], ['corrected', 'Corrected'], ['conflict', 'Conflicts'], ['unchanged', 'Unchanged']];
const ACTION_FILTERS = [['', 'Every entry'], ['refile', 'To file again now'], ['not', 'Not to file again now']];
/** Entries listed at first, and added by "Show more". */
const CLAIMS_SHOWN = 100;
/** The order entries are listed in: what to act on first. */
const CLAIM_RANK = (entry) => (entry.refile ? 0 : { 'new-reject': 1, conflict: 2, unchanged: 3, corrected: 4 }[entry.change] ?? 5);

function claimsViewDefaults() {
  return { change: '', action: '', shown: CLAIMS_SHOWN };
}

function downloadDateInputs() {
  return [...ui.claims.querySelectorAll('[data-testid="download-date"]')];
}

function setClaimsStatus(text) {
  const status = $('claims-status');
  if (status) status.textContent = text;
}

/** The Claim Details section of a run (none without Claim Details). The control in focus keeps it. */
function showClaims(overview) {
  const claims = overview?.claims;
  const active = document.activeElement;
  const focus = active && active !== ui.claims && ui.claims.contains(active)
    ? { id: active.id, testid: active.dataset.testid, key: active.dataset.file ?? active.dataset.entry, value: active.value }
    : null;
  ui.claims.hidden = !claims;
  if (!claims) {
    ui.claims.replaceChildren();
    return;
  }
  state.claimsView ??= claimsViewDefaults();
  ui.claims.replaceChildren(
    el('h3', { id: 'claims-title' }, 'Claim Details: what changed'),
    el('div', { class: 'claims-counts', 'data-testid': 'claims-counts' },
      claimsSummaryLines(claims).map((line) => el('p', { class: `claims-line ${line.kind}`, dataset: { kind: line.kind } }, line.text))),
    el('div', { id: 'claims-refile', class: 'claims-refile' }), // the re-file declaration (showRefile)
    claimsDownloads(overview),
    claimsEntries(claims));
  if (!focus) return;
  // The same control, redrawn: the focus, and a date being typed, stay.
  const again = focus.testid
    ? [...ui.claims.querySelectorAll(`[data-testid="${focus.testid}"]`)].find((node) => (node.dataset.file ?? node.dataset.entry) === focus.key)
    : focus.id && $(focus.id);
  if (!again) return;
  if (focus.testid === 'download-date' && again.value !== focus.value) {
    again.value = focus.value;
    downloadDateTyped(again);
  }
  again.focus({ preventScroll: true });
}

/** The re-file declaration's link(s) under the counts (`link`: showDownloads', whose object URLs it clears). */
function showRefile(link) {
  const slot = $('claims-refile');
  if (!slot) return;
  slot.replaceChildren(...[
    ...state.refile.flatMap((file) => [link('refile', file.name, file.bytes, unbroken(refileLinkText(file.name)), true),
      fingerprintLine(file.name, file.sha256, 'written-fingerprint')]),
    state.refile.some((file) => /-of-\d+\.csv$/.test(file.name))
      ? el('p', {}, 'More than 9,999 entries: CAPE takes at most 9,999 per declaration, so upload each file separately.') : null,
    state.refile.length ? el('p', { class: 'hint' }, 'A new declaration of the entries to file again now, in the order of their numbers. Upload it as you upload a CAPE Declaration.') : null,
  ].filter(Boolean));
}

/** The downloads read, oldest first: each one's date, where it came from, and a field to correct it. */
function claimsDownloads(overview) {
  const { downloads } = overview.claims;
  const sameDate = (download) => download.date && downloads.filter((other) => other.date === download.date).length > 1;
  const order = overview.files.flatMap((file) => file.findings.filter((finding) => finding.code === 'download-order' || finding.code === 'download-date-unreadable'));
  return el('section', { class: 'claims-downloads', 'aria-labelledby': 'claims-downloads-title' },
    el('h4', { id: 'claims-downloads-title' }, `The downloads, oldest first (${formatCount(downloads.length)})`),
    el('p', { class: 'hint' }, 'A download is dated by its date column, else by a date in its file name, else by the file\'s own date. If a date is wrong, correct it: the files are checked again at once.'),
    el('table', { class: 'claims-downloads-table' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Download'), el('th', { scope: 'col' }, 'Date'), el('th', { scope: 'col' }, 'Where the date comes from'),
        el('th', { scope: 'col' }, 'Correct the date'))),
      el('tbody', {}, downloads.map((download, index) => {
        const problemId = `download-date-problem-${index}`;
        const input = el('input', {
          type: 'date', class: 'download-date', 'data-testid': 'download-date', 'data-file': download.file,
          'aria-label': `Date of the download ${download.file}`, 'aria-describedby': problemId,
        });
        setDownloadDateValue(input, download.date);
        // A date field changes as each part is typed (the year 0002 on the way to 2026): taken once the user pauses.
        input.addEventListener('input', () => downloadDateTyped(input));
        input.addEventListener('change', () => downloadDateTyped(input));
        input.addEventListener('blur', () => { if (dateTimer) downloadDateChanged(input); });
        return el('tr', { dataset: { file: download.file, dateFrom: download.date_from } },
          el('th', { scope: 'row', class: 'file', 'data-label': 'Download' }, ...unbroken(download.file)),
          el('td', { class: 'date nowrap', 'data-label': 'Date' }, download.date ? formatDate(download.date) : 'no date',
            sameDate(download) ? el('span', { class: 'same-date' }, ' (same as another)') : null),
          el('td', { class: 'from', 'data-label': 'Where the date comes from' }, DATE_FROM_WORDS[download.date_from] ?? download.date_from),
          el('td', { class: 'correct', 'data-label': 'Correct the date' }, input,
            el('p', { class: 'problem', id: problemId, 'aria-live': 'polite' })));
      }))),
    order.length ? el('ul', { class: 'claims-notes' }, order.map((finding) => el('li', {}, ...unbroken(finding.message)))) : null);
}

/** A download date field shows `iso` (null: empty), as a date field or, where the browser has none, as MM/DD/YYYY text. */
function setDownloadDateValue(input, iso) {
  if (input.type === 'date') {
    input.value = iso ?? '';
  } else {
    input.value = iso ? formatDate(iso) : '';
    input.placeholder = 'MM/DD/YYYY';
  }
}

/** "2026-11-27" or "11/27/2026" as "YYYY-MM-DD" when it is a day from 2025 on (downloads are newer than IEEPA), else null. */
function downloadDateIso(text) {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!year) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  if (Number(year) < 2025 || Number(year) > 2099) return null;
  return date.toISOString().slice(0, 10);
}

let dateTimer = 0; // a date being typed, taken when it fires (or when its field loses the focus)

/** Typing in a date field: the date is taken once the user pauses (a partly typed year is no date yet). */
function downloadDateTyped(input) {
  clearTimeout(dateTimer);
  const file = input.dataset.file;
  dateTimer = setTimeout(() => {
    dateTimer = 0;
    const current = downloadDateInputs().find((node) => node.dataset.file === file);
    if (current) downloadDateChanged(current);
  }, 500);
}

/**
 * A download's date changed: the user's date for it (none when the field
 * is emptied: its own date again), and the files checked again. A date
 * that is no date is said next to the field, and the results are marked as
 * those of the dates before.
 */
function downloadDateChanged(input) {
  clearTimeout(dateTimer);
  dateTimer = 0;
  const file = input.dataset.file;
  const problem = $(input.getAttribute('aria-describedby'));
  const text = input.value.trim();
  const shown = state.overview?.claims?.downloads.find((download) => download.file === file);
  if (!text) {
    setProblem(input, problem, '');
    delete state.downloadDates[file];
  } else {
    const iso = downloadDateIso(text);
    if (!iso) {
      setProblem(input, problem, 'Give the date of the download as MM/DD/YYYY (from 2025 on).');
      markStale('A download\u2019s date has a problem: fix it, and the files are checked again. The results below are those of the dates before.');
      return;
    }
    setProblem(input, problem, '');
    // The date it has already, as the engine found it: nothing to correct.
    if (iso === shown?.date && state.downloadDates[file] === undefined) {
      settingsChanged({ keep: true });
      return;
    }
    state.downloadDates[file] = iso;
  }
  settingsChanged({ keep: true });
}

/** Each entry of the downloads, filterable by what changed and by whether to file it again now. */
function claimsEntries(claims) {
  const view = state.claimsView;
  const entries = [...claims.entries].sort((a, b) => CLAIM_RANK(a) - CLAIM_RANK(b));
  const byChange = (change) => entries.filter((entry) => !change || entry.change === change).length;
  const byAction = (action) => entries.filter((entry) => !action || (action === 'refile') === entry.refile).length;
  const select = (id, label, options, count, value) => el('label', { for: id }, label,
    el('select', { id, 'data-testid': id }, options.map(([key, words]) => el('option', { value: key, selected: key === value }, `${words} (${formatCount(count(key))})`))));
  const changeSelect = select('claims-change', 'What changed', CHANGE_FILTERS, byChange, view.change);
  const actionSelect = select('claims-action', 'To file again', ACTION_FILTERS, byAction, view.action);
  const list = el('ol', { class: 'claim-entries' });
  const status = el('p', { id: 'claims-status', class: 'claims-status', role: 'status' });
  const more = el('button', { type: 'button', id: 'claims-more' });
  const fill = () => {
    const matching = entries.filter((entry) => (!view.change || entry.change === view.change)
      && (!view.action || (view.action === 'refile') === entry.refile));
    const shown = matching.slice(0, view.shown);
    list.replaceChildren(...shown.map(claimEntry));
    status.textContent = matching.length === entries.length
      ? `${plural(entries.length, 'entry')} in the downloads.`
      : `${formatCount(matching.length)} of ${plural(entries.length, 'entry')} shown.`;
    if (matching.length === 0) status.textContent = 'No entry is of this kind.';
    more.hidden = matching.length <= shown.length;
    more.textContent = `Show ${formatCount(Math.min(CLAIMS_SHOWN, matching.length - shown.length))} more (${formatCount(matching.length - shown.length)} not shown)`;
  };
  changeSelect.querySelector('select').addEventListener('change', (event) => { view.change = event.target.value; view.shown = CLAIMS_SHOWN; fill(); });
  actionSelect.querySelector('select').addEventListener('change', (event) => { view.action = event.target.value; view.shown = CLAIMS_SHOWN; fill(); });
  more.addEventListener('click', () => { view.shown += CLAIMS_SHOWN; fill(); });
  fill();
  return el('section', { class: 'claims-entries', 'aria-labelledby': 'claims-entries-title' },
    el('h4', { id: 'claims-entries-title' }, 'Each entry, download by download'),
    el('div', { class: 'table-controls' }, changeSelect, actionSelect),
    status, list, more);
}

/** One entry: what it is now, what changed, its history (each download: date, accepted or failed, CBP's message), what to do. */
function claimEntry(entry) {
  const { downloads } = state.overview.claims;
  const dated = (file) => downloads.find((download) => download.file === file);
  const sameDate = (download) => download?.date && downloads.filter((other) => other.date === download.date).length > 1;
  const fixable = entry.current === 'failed' && (!entry.refile || state.fixed.has(entry.entry_number));
  const id = `fixed-${entry.entry_number}`;
  return el('li', {
    class: `claim-entry ${entry.current}`, 'data-testid': 'claim-entry',
    dataset: { entry: entry.entry_number, current: entry.current, change: entry.change, refile: String(entry.refile) },
  },
  el('p', { class: 'claim-head' },
    el('span', { class: 'entry-number' }, entry.entry_number), ' ',
    el('span', { class: `claim-current ${entry.current}` }, CURRENT_WORDS[entry.current] ?? entry.current), ' ',
    el('span', { class: `claim-change ${entry.change}` }, CHANGE_WORDS[entry.change] ?? entry.change),
    entry.refile ? [' ', el('span', { class: 'claim-refile' }, 'To file again now')] : null),
  el('ol', { class: 'timeline', 'aria-label': `History of ${entry.entry_number}` }, entry.history.map((step) => {
    const download = dated(step.download);
    return el('li', { class: `step ${step.status}` },
      el('span', { class: 'when' }, download?.date ? formatDate(download.date) : 'No date'),
      !download?.date || sameDate(download) ? el('span', { class: 'which' }, ` (${step.download})`) : null, ' ',
      el('span', { class: `step-status ${step.status}` }, STEP_WORDS[step.status] ?? step.status),
      step.status === 'accepted' ? ` (${step.message})` : `: ${step.message}`,
      step.claim_number ? [' ', el('span', { class: 'claim-number' }, `\u00b7 claim ${step.claim_number}`)] : null);
  })),
  el('p', { class: 'claim-action' }, el('span', { class: 'label' }, 'What to do: '), ...unbroken(entry.action)),
  fixable ? el('p', { class: 'claim-fixed' },
    el('input', {
      type: 'checkbox', id, 'data-testid': 'fixed', 'data-entry': entry.entry_number, checked: state.fixed.has(entry.entry_number),
      onchange: (event) => fixedChanged(entry.entry_number, event.target.checked),
    }),
    el('label', { for: id }, 'I fixed it (file it again)', el('span', { class: 'visually-hidden' }, `: entry ${entry.entry_number}`)),
    state.fixed.has(entry.entry_number) && !entry.refile
      ? el('span', { class: 'claim-held' }, ' Still not to file again: the export shows another reason CAPE would reject it (see its findings).')
      : null) : null);
}

/** "I fixed it": the entry is filed again (or not any more), and the files are checked again. */
function fixedChanged(entryNumber, fixed) {
  if (fixed) state.fixed.add(entryNumber);
  else state.fixed.delete(entryNumber);
  settingsChanged({ keep: true });
}

/** The print record's Claim Details: the counts, the downloads, and each entry's history and action. */
function printClaims(overview) {
  const claims = overview.claims;
  if (!claims) return null;
  const dateOf = (file) => claims.downloads.find((download) => download.file === file)?.date;
  return el('section', { class: 'print-claims' },
    el('h3', {}, 'Claim Details'),
    claimsSummaryLines(claims).map((line) => el('p', { class: 'print-claims-line' }, line.text)),
    el('ul', {}, claims.downloads.map((download) => el('li', {},
      `${download.file}: ${download.date ? formatDate(download.date) : 'no date'} (${DATE_FROM_WORDS[download.date_from] ?? download.date_from}), ${plural(download.rows, 'row')}`))),
    el('table', {},
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Entry number'), el('th', { scope: 'col' }, 'Now'), el('th', { scope: 'col' }, 'Change'),
        el('th', { scope: 'col' }, 'Download by download'), el('th', { scope: 'col' }, 'What to do'))),
      el('tbody', {}, [...claims.entries].sort((a, b) => CLAIM_RANK(a) - CLAIM_RANK(b)).map((entry) => el('tr', {},
        el('td', { class: 'entry-number' }, entry.entry_number),
        el('td', {}, CURRENT_WORDS[entry.current] ?? entry.current),
        el('td', {}, CHANGE_WORDS[entry.change] ?? entry.change),
        el('td', { class: 'history' }, el('ol', {}, entry.history.map((step) => el('li', {},
          `${dateOf(step.download) ? formatDate(dateOf(step.download)) : step.download}: ${STEP_WORDS[step.status] ?? step.status}`,
          step.status === 'accepted' ? ` (${step.message})` : `: ${step.message}`,
          step.claim_number ? `, claim ${step.claim_number}` : '')))),
        el('td', {}, ...unbroken(entry.action),
          state.fixed.has(entry.entry_number) ? el('p', { class: 'rows' }, 'You confirmed it is fixed.') : null,
          entry.refile ? el('p', { class: 'rows' }, 'To file again now (in the re-file declaration).') : null))))));
}

// ---- Printing -------------------------------------------------------------

/**
 * The record printed (or saved as PDF): the settings, the date printed, the
 * totals, the kinds of findings and every blocked entry and entry to review
 * with its messages. On screen it is hidden. Made when the results come for
 * a run of normal size (so Ctrl+P has it too); for a larger one, on Print.
 */
function showPrintRecord(overview) {
  const { totals } = overview;
  const listed = totals.blocked + totals.review;
  ui.printRecord.replaceChildren(printHeader(overview),
    el('p', { class: 'print-pending' }, listed > PRINT_AT_ONCE
      ? `The ${plural(listed, 'entry', 'entries')} blocked or to review are listed when you use the page's Print button.`
      : 'Listing the entries\u2026'));
  if (listed <= PRINT_AT_ONCE) preparePrintEntries(overview);
}

function printHeader(overview) {
  const { totals } = overview;
  const account = overview.account?.importer ? `Importer of record ${overview.account.importer}`
    : overview.account?.filer ? `Broker, filer code ${overview.account.filer}` : 'No account given: account checks skipped';
  const numbersOnly = !hasEs003(overview);
  const rows = verdictFigures(totals).map((figure) => el('tr', {},
    el('th', { scope: 'row' }, figure.title),
    el('td', { class: 'number' }, formatCount(figure.count)),
    el('td', { class: 'number' }, numbersOnly ? 'unknown' : formatMoney(figure.duty)),
    figure.interest === undefined || numbersOnly ? null : el('td', { class: 'number' }, formatMoney(figure.interest))));
  const note = interestNote(overview);
  const court = courtDeadlineNotice(overview);
  const facts = importerFacts(overview, state.runWith);
  return el('div', { class: 'print-header' },
    el('h2', {}, 'Record of the check'),
    el('p', { class: 'printed' }, 'Printed ', el('span', { class: 'printed-at' }, printedAt())),
    court ? el('p', { class: 'print-court-deadline', 'data-testid': 'print-court-deadline' }, court) : null,
    el('ul', { class: 'print-settings' },
      el('li', {}, `Filing date ${formatDate(overview.as_of)}`),
      el('li', {}, account),
      el('li', {}, `The importer: ${facts.length ? facts.join('; ') : 'a corporation, not a plaintiff at the Court of International Trade'}`),
      rulesLine(overview) ? el('li', {}, rulesLine(overview)) : null,
      el('li', {}, `Files: ${overview.files.map((file) => `${file.name} (${fileWords(file)})`).join('; ')}`),
      state.skipped.length ? el('li', {}, `Not read (not CSV or XLSX): ${state.skipped.map((file) => file.name).join('; ')}`) : null,
      el('li', {}, overview.declarations.length
        ? `Declarations written: ${overview.declarations.map((declaration) => `${declaration.file} (${plural(declaration.entries, 'entry')})`).join('; ')}`
        : 'No declaration written')),
    el('table', { class: 'print-totals' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Verdict'), el('th', { scope: 'col' }, 'Entries'), el('th', { scope: 'col' }, 'IEEPA duty'),
        totals.interest_estimate_ready === undefined || numbersOnly ? null : el('th', { scope: 'col' }, 'Interest (estimate)'))),
      el('tbody', {}, rows)),
    numbersOnly ? el('p', {}, `No ES-003 export was given: ${NUMBERS_ONLY.toLowerCase()}`) : null,
    note ? el('p', {}, note.short, note.runs ? ` ${note.runs}` : '', note.rateUsed ? ` ${note.rateUsed}` : '') : null,
    note ? el('p', {}, note.basis) : null,
    note ? rateTable(note) : null,
    el('h3', {}, 'Findings, by kind'),
    el('ul', { class: 'print-findings' }, overview.codes.map((group) => el('li', {},
      `${findingTitle(group.code)} (${group.code}): ${[
        group.entries ? plural(group.entries, 'entry') : null, group.in_files ? plural(group.in_files, 'file finding') : null,
      ].filter(Boolean).join(', ')}`))),
    printFingerprints(),
    printClaims(overview),
    overview.applied ? el('p', { class: 'print-applied' }, `Refunds, against the export made after filing (an estimate: check in ACE): ${formatCount(overview.applied.applied)} applied, ${formatCount(overview.applied.pending)} filed and not applied yet, ${formatCount(overview.applied.not_filed)} not filed, ${formatCount(overview.applied.unknown)} not in the later export.`) : null);
}

/** Asks the worker for every blocked entry and entry to review and lists them in the print record. */
function preparePrintEntries(overview) {
  if (state.printed?.overview === overview) return state.printed.done;
  const ask = (verdict) => state.engine.ask(MSG.ENTRIES, { query: { verdict, limit: 0 } });
  const done = Promise.all([ask('blocked'), ask('review')]).then(([blocked, review]) => {
    if (state.overview !== overview || blocked.problem || review.problem) return;
    ui.printRecord.querySelector('.print-pending')?.remove();
    ui.printRecord.append(
      printEntries('Blocked entries', 'CAPE would reject them; they are not in the declaration.', blocked.page.entries, false),
      printEntries('Entries to review', 'Not in the declaration unless included (see the last column).', review.page.entries, true));
  });
  state.printed = { overview, done };
  return done;
}

function printEntries(title, note, entries, includable) {
  const dutyKnown = hasEs003(state.overview);
  const sameRows = (a, b) => (a ?? []).join() === (b ?? []).join();
  return el('section', { class: 'print-entries' },
    el('h3', {}, `${title} (${formatCount(entries.length)})`),
    entries.length === 0 ? el('p', {}, 'None.') : el('p', {}, note),
    entries.length === 0 ? null : el('table', {},
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Entry number'), el('th', { scope: 'col' }, 'Importer'),
        el('th', { scope: 'col' }, 'IEEPA duty'), el('th', { scope: 'col' }, 'Why'), includable ? el('th', { scope: 'col' }, 'In declaration') : null)),
      el('tbody', {}, entries.map((entry) => el('tr', {},
        el('td', { class: 'entry-number' }, entry.entry),
        el('td', { class: 'entry-number' }, entry.importer ?? ''),
        el('td', { class: 'number' }, dutyKnown ? formatMoney(entry.ieepa_duty) : 'unknown'),
        el('td', {}, el('ul', {}, entry.findings.map((finding) => el('li', {},
          `${SEVERITY_WORDS[finding.severity] ?? finding.severity}: `, ...unbroken(finding.message),
          finding.rows?.length && !sameRows(finding.rows, entry.rows) ? ` (${formatRows(finding.rows)})` : ''))),
        entry.rows?.length ? el('p', { class: 'rows' }, `Spreadsheet ${formatRows(entry.rows)}`) : null),
        includable ? el('td', {}, entry.in_declaration ? 'yes' : 'no') : null)))));
}

async function printRecord() {
  if (state.overview) await preparePrintEntries(state.overview);
  ui.printRecord.querySelectorAll('.printed-at').forEach((node) => { node.textContent = printedAt(); });
  window.print();
}

function printedAt() {
  const now = new Date();
  const time = now.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });
  return `${formatDate(todayIso(now))} ${time}`;
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
  // The print record says which entries to review are in the declaration.
  state.printed = null;
  if (overview.totals.blocked + overview.totals.review <= PRINT_AT_ONCE) {
    ui.printRecord.replaceChildren(printHeader(overview));
    preparePrintEntries(overview);
  }
  const written = overview.totals.ready + answer.included;
  announce(`The declaration now holds ${plural(written, 'entry')} (${plural(answer.included, 'reviewed entry', 'reviewed entries')} included).`);
}

// ---- Inside another site's iframe ---------------------------------------
//
// <iframe src=".../index.html?embed=1&parent=https://host.example&ior=...">:
// the fallback for hosts whose CSP forbids WebAssembly or blob workers. The
// checker runs under its own CSP; it posts only to the parent origin named
// in the URL and accepts messages only from that origin and that window.
// Messages in:  { type: 'cape-check-settings', ior, filer, asOf, perImporter, nonCorporate, citPlaintiff }
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
    nonCorporate: params.has('non-corporate') ? params.get('non-corporate') !== 'false' : undefined,
    citPlaintiff: params.has('cit-plaintiff') ? params.get('cit-plaintiff') !== 'false' : undefined,
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
    // confirms with a click; meanwhile the results are marked as those of
    // the settings before.
    if (state.lastFiles && settingsKey(currentSettings()) !== state.runSettings) offerRecheck();
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
  markStale('The page around this checker changed the settings: the results below are those of the settings before.');
  const again = el('button', { type: 'button', 'data-testid': 'check-again' }, 'Check again with these settings');
  again.addEventListener('click', () => run(state.lastFiles));
  ui.runProblem.replaceChildren('The page around this checker changed the settings. ', again);
  ui.runProblem.hidden = false;
  announce('The settings changed. Check the files again to apply them.');
}

function applyEmbedSettings({ ior, filer, asOf, perImporter, nonCorporate, citPlaintiff }) {
  if (typeof ior === 'string' && ior) {
    ui.iorInput.value = ior;
    ui.filerInput.value = '';
    ui.kindImporter.checked = true;
  } else if (typeof filer === 'string' && filer) {
    ui.filerInput.value = filer;
    ui.iorInput.value = '';
    ui.kindFiler.checked = true;
  }
  if (typeof asOf === 'string' && asOf) {
    ui.asOfInput.value = asOf;
    ui.asOfWarning.textContent = filingDateWarning(asOf) ?? '';
  }
  if (typeof perImporter === 'boolean') ui.perImporter.checked = perImporter;
  if (typeof nonCorporate === 'boolean') ui.nonCorporate.checked = nonCorporate;
  if (typeof citPlaintiff === 'boolean') ui.citPlaintiff.checked = citPlaintiff;
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

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
