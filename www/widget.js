// <cape-check ior="98-765432100" as-of="2026-11-22"></cape-check>: the checker
// as an element for other sites. Loaded by one
//   <script type="module" src="https://checker.example/widget/cape-check-widget.js"></script>
// it fetches its worker and its wasm from next to itself (import.meta.url),
// starts the worker from a Blob URL and renders in a Shadow DOM styled by an
// adopted stylesheet (no inline <style>, so a host CSP needs no style-src for it).
//
// Events out, data stays: after each run the element dispatches
// `cape-check-done` (bubbles, composed) whose detail holds counts and totals
// only (format.js hostSummary; with Claim Details, `claims` in counts);
// entries are added only with the `expose-entries` attribute. The files, the report and the declaration stay
// inside the element; the downloads are links in its shadow root.
//
// A host whose CSP forbids WebAssembly ('wasm-unsafe-eval') or blob: workers
// gets a message in the element with a link to the checker's own page, which
// can also be embedded as an iframe (index.html?embed=1&parent=<origin>).
//
// Honest limit: the host's scripts run in the same page and could, if they
// wanted, read the shadow root or patch the browser APIs the element uses.
// The element promises what it gives the host, not protection from it.

/* global WIDGET_STYLE */
import {
  el, filingDateWarning, findingTitle, formatCount, formatDate, hasEs003, hostSummary, isUnreadableRun, plural,
  SEVERITY_HEADINGS, SEVERITY_WORDS, unbroken,
} from './format.js';
import { MSG } from './engine_messages.js';
import { EngineClient } from './engine_client.js';
import {
  claimsSummaryLines, courtDeadlineNotice, createDownloadLinks, findingsCsvName, interestNote, moneyLines, NUMBERS_ONLY, progressOf, rateTable,
  WORKBOOK_NAME, writeWorkbook, writtenFiles,
  refileLinkText, rulesLine, UNREADABLE_TODO, verdictFigures,
} from './shared_view.js';

const BASE = new URL('.', import.meta.url);
const ENGINE_URL = new URL('cape-check-engine.js', BASE);
const WASM_URL = { csv: new URL('cape_check_csv.wasm', BASE), xlsx: new URL('cape_check_xlsx.wasm', BASE) };
const DEFAULT_CHECKER_URL = new URL('cape-check.html', BASE);
const SETTING_ATTRIBUTES = ['ior', 'filer', 'as-of', 'per-importer', 'include-review', 'non-corporate', 'cit-plaintiff'];

const WORKER_BLOCKED = "This site's Content-Security-Policy does not allow the checker's worker (worker-src needs blob:), so the checker cannot run inside this page. Open the checker in its own page instead: your files stay on your computer there too.";

// The smallest valid wasm module: compiling it tells whether the host's CSP allows WebAssembly.
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Downloads shared by every <cape-check> of the page: each file is fetched once. */
const shared = { engineSource: null, modules: {} };

function engineSource() {
  shared.engineSource ??= fetch(ENGINE_URL).then((response) => {
    if (!response.ok) throw new Error(`${ENGINE_URL} answered ${response.status}`);
    return response.text();
  });
  return shared.engineSource;
}

function compiledModule(kind) {
  shared.modules[kind] ??= (async () => {
    const response = await fetch(WASM_URL[kind]);
    if (!response.ok) throw new Error(`${WASM_URL[kind]} answered ${response.status}`);
    if ((response.headers.get('content-type') ?? '').startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(response);
    }
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  return shared.modules[kind];
}

let sheet = null;
function widgetSheet() {
  // WIDGET_STYLE is prepended by scripts/build_web.py (www/widget.css).
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_STYLE);
  }
  return sheet;
}

export class CapeCheckElement extends HTMLElement {
  static observedAttributes = [...SETTING_ATTRIBUTES, 'checker-url'];

  #ui = null;
  #engine = null; // the client of the worker (engine_client.js), once its script is here
  #files = null; // the files of the last run, re-audited when a setting changes
  #running = false;
  #downloads = createDownloadLinks();
  #declarations = [];
  #refile = []; // cape-refile.csv, with Claim Details: the entries to file again now
  #findingsCsv = null; // arrives after the summary
  #findingsSha256 = null; // its fingerprint, with it
  #runSettings = {}; // the last run's settings (the workbook's Summary says them)
  #asOf = '';
  #report = null; // the overview shown
  #explanations = new Map(); // finding code -> what it means and what to do (the engine's)
  #rerun = 0;
  #unusable = false;
  #starting = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [widgetSheet()];
    this.#ui = this.#render(root);
  }

  connectedCallback() {
    this.#showContext();
    if (this.#engine?.started || this.#unusable) return;
    if (this.#engine) this.#startWorker();
    else if (!this.#starting) {
      this.#starting = true;
      this.#start().finally(() => { this.#starting = false; });
    }
  }

  disconnectedCallback() {
    const wasRunning = this.#running;
    clearTimeout(this.#rerun);
    this.#engine?.stop();
    this.#running = false;
    this.#ui.input.disabled = true; // until a worker is ready again (connectedCallback)
    if (!wasRunning) return;
    // Moved or removed mid-run: the run is lost with its worker. The element
    // must not stay on a progress bar whose Cancel does nothing.
    this.#files = null;
    const text = 'The check was stopped: drop the files again.';
    const ui = this.#ui;
    ui.progress.hidden = true;
    ui.problem.textContent = text;
    ui.problem.hidden = false;
    ui.root.dataset.state = 'starting';
    this.dispatchEvent(new CustomEvent('cape-check-failed', { bubbles: true, composed: true, detail: { message: text } }));
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.#ui) return;
    if (name === 'checker-url') {
      this.#ui.checkerLink.href = this.#checkerUrl();
      return;
    }
    this.#showContext();
    // Live settings: the files already dropped are audited again (once per burst of changes).
    if (this.#files && this.#engine?.started) {
      clearTimeout(this.#rerun);
      this.#rerun = setTimeout(() => this.#run(this.#files), 0);
    }
  }

  // ---- Start, and the reasons it may not -------------------------------

  async #start() {
    const missing = ['WebAssembly', 'Worker', 'Blob', 'ReadableStream', 'CSSStyleSheet'].filter((name) => !(name in self));
    if (missing.length) {
      this.#refuse(`This browser lacks ${missing.join(', ')}, which the checker needs. Use a current Chrome, Edge, Firefox or Safari, or open the checker in its own page.`);
      return;
    }
    try {
      new WebAssembly.Module(EMPTY_WASM);
    } catch {
      this.#refuse("This site's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval'), so the checker cannot run inside this page. Open the checker in its own page instead: your files stay on your computer there too.");
      return;
    }
    let source;
    try {
      [source] = await Promise.all([engineSource(), compiledModule('csv')]);
    } catch (error) {
      this.#refuse(`The checker's files could not be loaded from ${BASE.origin} (${error.message}). The site's Content-Security-Policy must allow that origin in script-src and connect-src. Open the checker in its own page instead.`);
      return;
    }
    this.#engine = this.#newEngine(source);
    this.#startWorker();
  }

  /**
   * The client of this element's worker (engine_client.js): one worker,
   * unless the host allows more with `workers` ("auto": one a core, or a
   * number), read when the element starts: a host page may have other work
   * for the other cores.
   */
  #newEngine(source) {
    return new EngineClient({
      source,
      parts: this.getAttribute('workers')?.trim() || 1,
      csvModule: compiledModule('csv'),
      xlsxModule: () => {
        this.#ui.root.dataset.xlsxModule = 'compiled';
        return compiledModule('xlsx');
      },
      on: {
        [MSG.PROGRESS]: (message) => this.#showProgress(message),
        [MSG.DONE]: (message) => this.#show(message),
        [MSG.FINDINGS_CSV]: (message) => {
          if (this.#running || !this.#report) return; // the run it belonged to was replaced
          this.#findingsCsv = message.bytes;
          this.#findingsSha256 = message.sha256 ?? null;
          if (isUnreadableRun(this.#report)) return;
          this.#showDownloads();
          if (message.groups) this.#showFindings(message.groups);
        },
        [MSG.FAILED]: (message) => this.#fail(message.message),
      },
      onReady: (message) => {
        this.#explanations = new Map(message.explanations.map((item) => [item.code, item.explanation]));
        this.#ui.root.dataset.state = 'ready';
        this.#ui.input.disabled = false;
      },
      onStartFailed: (error, current) => {
        if (current) this.#refuse(error.message);
      },
      // A worker refused by the CSP fails here (Chromium reports it as an error event, not an exception).
      startErrorMessage: (event) => {
        event.preventDefault?.();
        return WORKER_BLOCKED;
      },
      onXlsxFailed: (error) => this.#fail(`The XLSX reader could not be loaded: ${error.message}`),
      onError: () => {
        if (this.#running) this.#fail('The check stopped unexpectedly.');
      },
    });
  }

  /** Starts a fresh worker (in place of any running): `how` is the client's start or restart. */
  #startWorker(how = () => this.#engine.start()) {
    try {
      how();
    } catch {
      this.#refuse(WORKER_BLOCKED);
    }
  }

  #refuse(text) {
    this.#unusable = true;
    this.#engine?.stop();
    this.#ui.root.dataset.state = 'unusable';
    this.#ui.drop.hidden = true;
    this.#ui.privacy.hidden = true;
    this.#ui.unusableText.textContent = text;
    this.#ui.unusable.hidden = false;
  }

  #checkerUrl() {
    return this.getAttribute('checker-url') || DEFAULT_CHECKER_URL.href;
  }

  // ---- A run -------------------------------------------------------------

  #settings() {
    const settings = {};
    const ior = this.getAttribute('ior')?.trim();
    const filer = this.getAttribute('filer')?.trim();
    if (ior) settings.importer = ior;
    else if (filer) settings.filer = filer;
    const asOf = this.getAttribute('as-of')?.trim();
    if (asOf) settings.asOf = asOf;
    if (this.hasAttribute('per-importer')) settings.perImporter = true;
    if (this.hasAttribute('include-review')) settings.includeReview = true;
    // The importer is not a corporation: interest at CBP's non-corporate rate.
    if (this.hasAttribute('non-corporate')) settings.nonCorporate = true;
    // A plaintiff at the Court of International Trade registered for Phase 3:
    // entries outside the 80-day window are put to review, not blocked.
    if (this.hasAttribute('cit-plaintiff')) settings.citPlaintiff = true;
    return settings;
  }

  async #run(files) {
    if (!this.#engine?.started) return;
    // A worker that holds the XLSX reader (the last run's) is replaced too.
    if (this.#running) this.#restartWorker();
    else this.#startWorker(() => this.#engine.beforeRun());
    if (!this.#engine.started) return; // refused (#refuse)
    this.#files = files;
    this.#running = true;
    this.#report = null;
    const ui = this.#ui;
    ui.problem.hidden = true;
    ui.results.hidden = true;
    ui.progress.hidden = false;
    ui.bar.value = 0;
    ui.progressText.textContent = `Reading ${files.map((file) => file.name).join(', ')}`;
    ui.root.dataset.state = 'running';
    try {
      // Entries cross only for a host that asked for them (all of them, in the event).
      const firstPage = this.hasAttribute('expose-entries') ? { limit: 0 } : null;
      this.#runSettings = this.#settings();
      await this.#engine.audit(this.#runSettings, files, firstPage);
    } catch (error) {
      this.#fail(error.message);
    }
  }

  #restartWorker() {
    this.#running = false;
    this.#startWorker(() => this.#engine.restart());
  }

  #showProgress(message) {
    const { fraction, bytes } = progressOf(message);
    this.#ui.bar.value = fraction;
    this.#ui.progressText.textContent = bytes;
  }

  #fail(text) {
    this.#running = false;
    const ui = this.#ui;
    ui.progress.hidden = true;
    ui.problem.textContent = text;
    ui.problem.hidden = false;
    ui.root.dataset.state = 'ready';
    this.#restartWorker();
    this.dispatchEvent(new CustomEvent('cape-check-failed', { bubbles: true, composed: true, detail: { message: text } }));
  }

  #show({ overview: report, declarations, refile = [], firstPage, engine }) {
    this.#running = false;
    const ui = this.#ui;
    this.#declarations = declarations;
    this.#refile = refile;
    this.#findingsCsv = null;
    this.#findingsSha256 = null;
    this.#asOf = report.as_of;
    this.#report = report;
    ui.progress.hidden = true;
    ui.root.dataset.state = 'done';
    ui.root.dataset.engine = engine;
    const unreadable = isUnreadableRun(report);
    ui.root.dataset.outcome = unreadable ? 'unreadable' : 'checked';

    ui.checked.textContent = `Checked: ${report.files.map((file) => `${file.name} (${file.kind ? plural(file.rows, 'row') : 'could not be read'})`).join(', ')}`
      + (rulesLine(report) ? ` · ${rulesLine(report)}` : '');
    for (const part of [ui.summary, ui.downloads, ui.findingsBlock]) part.hidden = unreadable;
    ui.unreadable.hidden = !unreadable;
    // Claim Details downloads: what changed since the one before the newest, in counts (the page lists the entries).
    const claims = unreadable ? null : report.claims;
    ui.claims.hidden = !claims;
    ui.claims.replaceChildren(...(claims ? [
      el('p', { class: 'block-title' }, 'Claim Details'),
      el('div', { class: 'claims-counts', 'data-testid': 'claims-counts' },
        claimsSummaryLines(claims).map((line) => el('p', { class: `claims-line ${line.kind}`, dataset: { kind: line.kind } }, line.text))),
    ] : []));
    // Entries only a court can refund, near their deadline: said before anything else.
    const court = unreadable ? null : courtDeadlineNotice(report);
    ui.courtDeadline.hidden = !court;
    ui.courtDeadline.replaceChildren(...(court ? [
      el('p', { class: 'court-deadline-text' }, court),
      el('p', { class: 'court-deadline-why' }, 'Only an action at the Court of International Trade can refund '
        + `${report.court_deadline_near.entries === 1 ? 'this entry' : 'these entries'}: see the findings below.`),
    ] : []));
    if (unreadable) {
      // Nothing was read: one card says why and what to do; no figures, no downloads.
      ui.unreadable.replaceChildren(
        el('p', { class: 'unreadable-title' }, report.files.length === 1 ? 'This file could not be checked' : 'These files could not be checked'),
        ...report.files.map((file) => {
          const finding = file.findings.find((candidate) => candidate.severity === 'error');
          return el('p', { dataset: { code: finding.code } }, el('strong', {}, file.name), `: ${finding.message}`);
        }),
        el('p', {}, el('strong', {}, 'What to do: '), UNREADABLE_TODO));
      ui.interest.hidden = true;
    } else {
      const numbersOnly = !hasEs003(report);
      const card = (figure) => {
        const money = moneyLines(report, figure);
        return el('div', { class: `card ${figure.verdict}`, dataset: { verdict: figure.verdict }, part: `verdict ${figure.verdict}` },
          el('span', { class: 'title' }, figure.title),
          el('span', { class: 'count' }, formatCount(figure.count)),
          el('span', { class: 'duty' }, money.duty),
          money.interest ? el('span', { class: 'interest' }, money.interest) : null,
          numbersOnly && figure.verdict === 'ready' ? el('span', { class: 'note' }, NUMBERS_ONLY) : null);
      };
      ui.summary.replaceChildren(...verdictFigures(report.totals).map(card));
      const note = interestNote(report);
      ui.interest.hidden = !note;
      if (note) {
        ui.interest.replaceChildren(
          el('p', { class: 'interest-short' }, note.short, note.runs ? ` ${note.runs}` : ''),
          note.rateUsed ? el('p', { class: 'interest-rate', dataset: { column: note.rateColumn } }, note.rateUsed) : null,
          el('details', {}, el('summary', {}, 'How the interest is estimated, and the rates with their sources'),
            el('p', { class: 'basis' }, note.basis), rateTable(note)));
      }
      this.#showDownloads();
      this.#showFindings(report.codes);
    }
    ui.results.hidden = false;

    const detail = hostSummary(report, this.hasAttribute('expose-entries') ? firstPage?.entries ?? [] : null);
    this.dispatchEvent(new CustomEvent('cape-check-done', { bubbles: true, composed: true, detail }));
  }

  /**
   * The findings by severity, each kind with its plain title and what it
   * means in view, the code after it: the overview's groups (one per code),
   * then the worker's split by severity when findings.csv is written.
   */
  #showFindings(groups) {
    const ui = this.#ui;
    const sections = ['error', 'warning', 'info'].map((severity) => {
      const mine = groups.filter((group) => group.severity === severity);
      if (mine.length === 0) return null;
      return el('div', { class: `severity-block ${severity}`, dataset: { severity } },
        el('p', { class: 'severity-heading' }, SEVERITY_HEADINGS[severity]),
        el('ul', { class: 'findings' }, mine.map((group) => el('li', { class: group.severity, dataset: { code: group.code, severity: group.severity } },
          el('span', { class: 'severity' }, SEVERITY_WORDS[group.severity] ?? group.severity), ' ',
          el('strong', { class: 'finding-title' }, findingTitle(group.code)),
          ` — ${group.entries ? plural(group.entries, 'entry') : plural(group.in_files, 'file finding')}`,
          el('span', { class: 'explanation' }, this.#explanations.get(group.code) ?? group.examples[0]?.message ?? ''),
          el('span', { class: 'code' }, 'Code: ', el('code', {}, group.code))))));
    }).filter(Boolean);
    ui.findings.replaceChildren(...sections);
    ui.findingsBlock.hidden = sections.length === 0;
  }

  #showDownloads() {
    const ui = this.#ui;
    this.#downloads.clear();
    const link = (kind, name, bytes, text) => this.#downloads.link(kind, name, bytes, text, kind === 'findings' ? '' : 'primary');
    const downloads = this.#declarations.map((file) => {
      const entries = this.#report?.declarations.find((declaration) => declaration.file === file.name)?.entries;
      return link('declaration', file.name, file.bytes, `Download ${file.name}${entries === undefined ? '' : ` (${plural(entries, 'entry')})`}`);
    });
    if (downloads.length === 0) downloads.push(el('p', {}, 'No entry is ready, so no CAPE Declaration was written (CAPE rejects an empty file).'));
    // With Claim Details: the entries CBP did not accept that can be filed again now, as a new declaration.
    for (const file of this.#refile) downloads.push(link('refile', file.name, file.bytes, unbroken(refileLinkText(file.name))));
    if (this.#findingsCsv) {
      downloads.push(link('findings', findingsCsvName(this.#asOf), this.#findingsCsv, 'All findings, for Excel (CSV)'));
      const button = el('button', { type: 'button', 'data-testid': 'workbook' }, 'Download as Excel workbook');
      button.addEventListener('click', () => this.#downloadWorkbook(button));
      downloads.push(button);
    }
    ui.downloads.replaceChildren(...downloads);
  }

  /** cape-check-report.xlsx, written by the XLSX module in the worker, downloaded at once. */
  async #downloadWorkbook(button) {
    const report = this.#report;
    button.disabled = true;
    const files = writtenFiles(this.#declarations, this.#refile,
      this.#findingsCsv ? { name: findingsCsvName(this.#asOf), sha256: this.#findingsSha256 } : null);
    const written = await writeWorkbook((type, body) => this.#engine.ask(type, body), MSG.WORKBOOK, this.#runSettings, files);
    if (report !== this.#report || written.problem === 'cancelled') return;
    button.disabled = false;
    if (written.problem) {
      button.after(el('p', { role: 'status' }, `The workbook could not be written: ${written.problem}`));
      return;
    }
    const link = this.#downloads.linkTo('workbook', WORKBOOK_NAME, written.url, `Download ${WORKBOOK_NAME}`);
    button.replaceWith(link);
    link.click();
  }

  // ---- The element's DOM ---------------------------------------------------

  #showContext() {
    if (!this.#ui) return;
    const ior = this.getAttribute('ior');
    const filer = this.getAttribute('filer');
    const parts = [];
    if (ior) parts.push(`Importer ${ior}`);
    else if (filer) parts.push(`Broker, filer code ${filer}`);
    else parts.push('No account given: account checks skipped');
    // What the host says of the importer, next to it.
    if (this.hasAttribute('non-corporate')) parts.push('not a corporation');
    if (this.hasAttribute('cit-plaintiff')) parts.push('a plaintiff at the Court of International Trade (Phase 3)');
    const asOf = this.getAttribute('as-of')?.trim();
    parts.push(`filing date ${asOf ? formatDate(asOf) : 'today'}`);
    if (this.hasAttribute('per-importer')) parts.push('one declaration per importer');
    this.#ui.context.textContent = parts.join(' \u00b7 ');
    const warning = asOf ? filingDateWarning(asOf) : null;
    this.#ui.dateWarning.textContent = warning ?? '';
    this.#ui.dateWarning.hidden = !warning;
  }

  #render(root) {
    const input = el('input', { type: 'file', id: 'files', class: 'file-input', multiple: true, disabled: true, 'aria-describedby': 'privacy' });
    const drop = el('div', { class: 'drop', part: 'drop' },
      input,
      el('label', { for: 'files' },
        el('span', { class: 'drop-title' }, 'Drop ES-003 files here'),
        el('span', { class: 'drop-or' }, 'or ', el('span', { class: 'button' }, 'choose files')),
        el('span', { class: 'drop-kinds' }, 'CSV or XLSX from ACE Reports, CAPE declarations, Claim Details')));
    const checkerLink = el('a', { href: this.#checkerUrl(), target: '_blank', rel: 'noopener' }, 'Open the checker in its own page');
    const unusableText = el('span', {});
    const unusable = el('div', { class: 'unusable', role: 'alert', hidden: true, 'data-testid': 'unusable' }, unusableText, ' ', checkerLink);
    const bar = el('progress', { max: 1, value: 0 });
    const progressText = el('span', {});
    const cancel = el('button', { type: 'button' }, 'Cancel');
    const progress = el('div', { class: 'progress', hidden: true }, bar, ' ', progressText, ' ', cancel);
    const problem = el('p', { class: 'problem', role: 'alert', hidden: true });
    const summary = el('div', { class: 'summary', 'data-testid': 'summary', role: 'group', 'aria-label': 'Summary' });
    const unreadable = el('div', { class: 'unreadable', 'data-testid': 'unreadable', role: 'alert', hidden: true });
    const interest = el('div', { class: 'interest-note', hidden: true });
    const downloads = el('div', { class: 'downloads' });
    const findings = el('div', {});
    const findingsBlock = el('section', { class: 'findings-block', 'aria-label': 'Findings, by kind' }, el('p', { class: 'block-title' }, 'Findings, by kind'), findings);
    const checked = el('p', { class: 'checked' });
    const courtDeadline = el('div', { class: 'court-deadline', 'data-testid': 'court-deadline', part: 'court-deadline', hidden: true });
    const claims = el('section', { class: 'claims', 'data-testid': 'claims', 'aria-label': 'Claim Details', part: 'claims', hidden: true });
    const results = el('div', { class: 'results', hidden: true, 'aria-live': 'polite' }, courtDeadline, checked, unreadable, summary, interest, claims, downloads, findingsBlock);
    const context = el('p', { class: 'context' });
    const dateWarning = el('p', { class: 'date-warning', hidden: true });
    const privacy = el('p', { class: 'privacy', id: 'privacy' }, 'Your files never leave this computer: they are checked inside this page.');
    const rootElement = el('div', { class: 'root', part: 'root', dataset: { state: 'starting' } },
      el('p', { class: 'heading' }, 'CAPE pre-filing check'),
      context, dateWarning, unusable, drop,
      privacy, progress, problem, results);
    root.append(rootElement);

    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      if (files.length) this.#run(files);
    });
    const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
    drop.addEventListener('dragenter', (event) => { stop(event); drop.classList.add('dragging'); });
    drop.addEventListener('dragover', (event) => { stop(event); if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'; });
    drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
    drop.addEventListener('drop', (event) => {
      stop(event);
      drop.classList.remove('dragging');
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length && this.#engine?.started) this.#run(files);
    });
    cancel.addEventListener('click', () => {
      if (!this.#running) return;
      this.#restartWorker();
      progress.hidden = true;
      rootElement.dataset.state = 'ready';
      problem.textContent = 'Cancelled: nothing was kept from that run.';
      problem.hidden = false;
    });
    return {
      root: rootElement, input, drop, checkerLink, unusable, unusableText, bar, progressText, progress,
      problem, summary, unreadable, interest, downloads, findings, findingsBlock, results, context, dateWarning, checked, privacy, courtDeadline,
      claims,
    };
  }
}

if (!customElements.get('cape-check')) customElements.define('cape-check', CapeCheckElement);
