// The entries table widget: filter by verdict and finding, search by entry
// number, one page of rows at a time, and the include box of entries to
// review. The entries stay in the worker (an export may hold 100,000):
// each page is asked for (`hooks.query`), and only the answer to the latest
// question is drawn. Below about 600 px each entry is a card (style.css).

import { APPLIED_WORDS, el, formatCount, formatMoney, formatRows, plural, SEVERITY_WORDS, unbroken, VERDICT_WORDS } from './format.js';

/** Entries on one page of the table. */
export const PAGE_SIZE = 50;

const COLUMNS = ['Entry number', 'Verdict', 'Importer', 'Type', 'IEEPA duty', 'Interest (estimate)', 'Findings', 'Spreadsheet rows', 'In declaration'];

/**
 * @param {HTMLElement} container
 * @param {{
 *   query: (query: object) => Promise<{ page?: object, problem?: string }>,
 *   onIncludeChange: (entries: string[] | null, included: boolean) => void,
 *   titleOf: (code: string) => string,   a finding code's plain title
 * }} hooks  `entries` null: every entry to review.
 */
export function createEntriesTable(container, hooks) {
  let total = 0; // entries in the report
  let page = 0;
  let asked = 0; // the latest question: older answers are dropped
  let dutyKnown = true; // an ES-003 was given: the duty of each entry is known
  let withInterest = false; // the engine estimates interest

  const verdictFilter = el('select', { id: 'filter-verdict' },
    el('option', { value: '' }, 'All verdicts'),
    el('option', { value: 'ready' }, 'Ready'),
    el('option', { value: 'review' }, 'To review'),
    el('option', { value: 'blocked' }, 'Blocked'));
  const codeFilter = el('select', { id: 'filter-code' });
  const search = el('input', { type: 'search', id: 'filter-entry', autocomplete: 'off', spellcheck: 'false' });
  const status = el('p', { class: 'count-badge', id: 'entries-status', 'aria-live': 'polite', tabindex: '-1' });
  const includeAll = el('button', { type: 'button', id: 'include-all-review' }, 'Include all entries to review');
  const excludeAll = el('button', { type: 'button', id: 'exclude-all-review' }, 'Leave them all out');
  const reviewBulk = el('div', { class: 'review-bulk' },
    el('span', {}, 'Entries to review are left out of the declaration until you include them:'),
    includeAll, excludeAll);
  const headRow = el('tr');
  const tbody = el('tbody');
  const table = el('table', { class: 'entries' },
    el('caption', { class: 'visually-hidden' }, 'Entries, with their verdict and findings'),
    el('thead', {}, headRow),
    tbody);
  const pagers = ['', '-bottom'].map((suffix) => {
    const previous = el('button', { type: 'button', id: `page-previous${suffix}` }, 'Previous page');
    const next = el('button', { type: 'button', id: `page-next${suffix}` }, 'Next page');
    const info = el('span', { class: 'count-badge', id: `page-info${suffix}` });
    previous.addEventListener('click', () => turnPage(page - 1));
    next.addEventListener('click', () => turnPage(page + 1));
    return { previous, next, info, box: el('nav', { class: 'pager', 'aria-label': suffix ? 'Pages of entries (bottom)' : 'Pages of entries' }, previous, info, next) };
  });

  container.replaceChildren(
    reviewBulk,
    el('div', { class: 'table-controls' },
      el('label', {}, 'Verdict', verdictFilter),
      el('label', {}, 'Finding', codeFilter),
      el('label', {}, 'Entry number (or part of it)', search)),
    status,
    pagers[0].box,
    // Focusable: when it scrolls sideways, a keyboard can scroll it too.
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Entries table' }, table),
    pagers[1].box);

  let searchTimer = 0;
  verdictFilter.addEventListener('change', () => applyFilters());
  codeFilter.addEventListener('change', () => applyFilters());
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilters, 120);
  });
  includeAll.addEventListener('click', () => hooks.onIncludeChange(null, true));
  excludeAll.addEventListener('click', () => hooks.onIncludeChange(null, false));
  tbody.addEventListener('change', (event) => {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.dataset.entry) {
      hooks.onIncludeChange([box.dataset.entry], box.checked);
    }
  });

  function applyFilters() {
    showPage(0);
  }

  /** A pager button: the page, then focus on the line that says which entries are shown, the table's top in view. */
  async function turnPage(number) {
    await showPage(number);
    status.scrollIntoView({ block: 'start' });
    status.focus({ preventScroll: true });
  }

  function currentQuery(number) {
    return {
      verdict: verdictFilter.value,
      code: codeFilter.value,
      search: search.value,
      offset: Math.max(0, number) * PAGE_SIZE,
      limit: PAGE_SIZE,
    };
  }

  async function showPage(number) {
    const question = ++asked;
    page = Math.max(0, number); // what was asked last, for refresh()
    const answer = await hooks.query(currentQuery(number));
    if (question !== asked || answer.problem === 'cancelled') return;
    if (answer.problem) {
      status.textContent = answer.problem;
      tbody.replaceChildren();
      return;
    }
    await draw(answer.page);
  }

  async function draw(found) {
    const pages = Math.max(1, Math.ceil(found.matching / PAGE_SIZE));
    if (found.matching > 0 && found.entries.length === 0) {
      await showPage(pages - 1); // past the end (the filter narrowed): the last page
      return;
    }
    page = Math.floor(found.offset / PAGE_SIZE);
    // The include box that had focus (Space on it redraws the page) gets it back.
    const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.entry : null;
    tbody.replaceChildren(...found.entries.map(row));
    if (focused) tbody.querySelector(`input[data-entry="${CSS.escape(focused)}"]`)?.focus();
    const first = found.matching ? found.offset + 1 : 0;
    const last = found.offset + found.entries.length;
    if (found.matching === total) status.textContent = plural(total, 'entry');
    else status.textContent = `${formatCount(found.matching)} of ${plural(total, 'entry')} ${found.matching === 1 ? 'matches' : 'match'}`;
    const info = found.matching === 0 ? 'No entry matches.'
      : `Entries ${formatCount(first)}\u2013${formatCount(last)} of ${formatCount(found.matching)}, page ${page + 1} of ${pages}`;
    for (const pager of pagers) {
      pager.info.textContent = info;
      pager.previous.disabled = page === 0;
      pager.next.disabled = page >= pages - 1;
      pager.box.hidden = pages === 1;
    }
  }

  function row(entry) {
    let inDeclaration;
    if (entry.verdict === 'ready') inDeclaration = 'yes';
    else if (entry.verdict === 'blocked') inDeclaration = 'no';
    else {
      inDeclaration = el('label', { class: 'include' },
        el('input', { type: 'checkbox', checked: entry.in_declaration, dataset: { entry: entry.entry } }),
        ' include', el('span', { class: 'visually-hidden' }, ` ${entry.entry} in the declaration`));
    }
    const cell = (column, attributes, ...content) => el('td', { ...attributes, 'data-label': COLUMNS[column] }, ...content);
    return el('tr', {},
      cell(0, { class: 'entry' }, entry.entry),
      cell(1, { class: 'nowrap' }, el('span', { class: `verdict ${entry.verdict}` }, VERDICT_WORDS[entry.verdict] ?? entry.verdict),
        entry.applied ? el('span', { class: 'applied', dataset: { applied: entry.applied } }, APPLIED_WORDS[entry.applied] ?? entry.applied) : null),
      cell(2, { class: 'importer' }, entry.importer ?? ''),
      cell(3, {}, entry.entry_type ?? ''),
      cell(4, { class: 'money' }, dutyKnown ? formatMoney(entry.ieepa_duty) : 'unknown'),
      withInterest ? cell(5, { class: 'money' }, dutyKnown && entry.interest_estimate !== undefined ? formatMoney(entry.interest_estimate) : 'unknown') : null,
      cell(6, { class: 'findings' }, entry.findings.length === 0 ? '' : el('ul', { class: 'messages' },
        entry.findings.map((finding) => el('li', { dataset: { code: finding.code } },
          el('span', { class: `severity ${finding.severity}` }, SEVERITY_WORDS[finding.severity] ?? finding.severity),
          ...unbroken(finding.message))))),
      cell(7, { class: 'rows' }, formatRows(entry.rows)),
      cell(8, { class: 'in-declaration' }, inDeclaration));
  }

  return {
    /**
     * Shows a new run's entries: its overview, and the first page of them
     * (default filters). `dutyKnown`: an ES-003 was given (else the duty is
     * shown as unknown).
     */
    show(overview, firstPage, options = {}) {
      total = overview.totals.entries;
      dutyKnown = options.dutyKnown ?? true;
      withInterest = overview.totals.interest_estimate_ready !== undefined;
      headRow.replaceChildren(...COLUMNS.filter((_, index) => index !== 5 || withInterest).map((title, index) =>
        el('th', { scope: 'col', class: title === 'IEEPA duty' || (withInterest && index === 5) ? 'money' : null }, title)));
      asked += 1; // an answer still on its way belongs to the run before
      const withEntries = overview.codes.filter((group) => group.entries > 0)
        .map((group) => ({ ...group, title: hooks.titleOf(group.code) }))
        .sort((a, b) => a.title.localeCompare(b.title));
      codeFilter.replaceChildren(el('option', { value: '' }, 'All findings'),
        ...withEntries.map((group) => el('option', { value: group.code }, `${group.title} (${plural(group.entries, 'entry')})`)));
      verdictFilter.value = '';
      search.value = '';
      const reviewCount = overview.totals.review;
      reviewBulk.hidden = reviewCount === 0;
      includeAll.textContent = reviewCount === 1 ? 'Include the entry to review' : `Include all ${formatCount(reviewCount)} entries to review`;
      excludeAll.textContent = reviewCount === 1 ? 'Leave it out' : 'Leave them all out';
      draw(firstPage);
    },
    /** Shows only the entries with this finding code. */
    filterByCode(code) {
      codeFilter.value = code;
      verdictFilter.value = '';
      applyFilters();
      container.scrollIntoView({ block: 'start' });
      codeFilter.focus();
    },
    /** Asks for the page shown again (after the included entries changed). */
    refresh() {
      showPage(page);
    },
  };
}
