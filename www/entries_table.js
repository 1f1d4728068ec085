// The entries table widget: filter by verdict and finding code, search by
// entry number, one page of rows at a time, and the include box of entries
// to review. The entries stay in the worker (an export may hold 100,000):
// each page is asked for (`hooks.query`), and only the answer to the latest
// question is drawn.

import { el, formatCount, formatMoney, formatRows, VERDICT_WORDS } from './format.js';

/** Entries on one page of the table. */
export const PAGE_SIZE = 50;

/**
 * @param {HTMLElement} container
 * @param {{
 *   query: (query: object) => Promise<{ page?: object, problem?: string }>,
 *   onIncludeChange: (entries: string[] | null, included: boolean) => void,
 * }} hooks  `entries` null: every entry to review.
 */
export function createEntriesTable(container, hooks) {
  let total = 0; // entries in the report
  let page = 0;
  let asked = 0; // the latest question: older answers are dropped

  const verdictFilter = el('select', { id: 'filter-verdict' },
    el('option', { value: '' }, 'All verdicts'),
    el('option', { value: 'ready' }, 'Ready'),
    el('option', { value: 'review' }, 'To review'),
    el('option', { value: 'blocked' }, 'Blocked'));
  const codeFilter = el('select', { id: 'filter-code' });
  const search = el('input', { type: 'search', id: 'filter-entry', placeholder: 'XQ710042173', autocomplete: 'off', spellcheck: 'false' });
  const status = el('p', { class: 'count-badge', id: 'entries-status', 'aria-live': 'polite' });
  const includeAll = el('button', { type: 'button', id: 'include-all-review' }, 'Include all entries to review');
  const excludeAll = el('button', { type: 'button', id: 'exclude-all-review' }, 'Leave them all out');
  const reviewBulk = el('div', { class: 'review-bulk' },
    el('span', {}, 'Entries to review are left out of the declaration until you include them:'),
    includeAll, excludeAll);
  const tbody = el('tbody');
  const table = el('table', { class: 'entries' },
    el('caption', { class: 'visually-hidden' }, 'Entries, with their verdict and findings'),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Entry number'),
      el('th', { scope: 'col' }, 'Verdict'),
      el('th', { scope: 'col' }, 'Importer'),
      el('th', { scope: 'col' }, 'Type'),
      el('th', { scope: 'col', class: 'money' }, 'IEEPA duty'),
      el('th', { scope: 'col' }, 'Findings'),
      el('th', { scope: 'col' }, 'Spreadsheet rows'),
      el('th', { scope: 'col' }, 'In declaration'))),
    tbody);
  const previous = el('button', { type: 'button', id: 'page-previous' }, 'Previous page');
  const next = el('button', { type: 'button', id: 'page-next' }, 'Next page');
  const pageInfo = el('span', { class: 'count-badge', id: 'page-info' });

  container.replaceChildren(
    reviewBulk,
    el('div', { class: 'table-controls' },
      el('label', {}, 'Verdict', verdictFilter),
      el('label', {}, 'Finding', codeFilter),
      el('label', {}, 'Entry number', search)),
    status,
    el('div', { class: 'table-wrap' }, table),
    el('div', { class: 'pager' }, previous, pageInfo, next));

  let searchTimer = 0;
  verdictFilter.addEventListener('change', () => applyFilters());
  codeFilter.addEventListener('change', () => applyFilters());
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilters, 120);
  });
  previous.addEventListener('click', () => showPage(page - 1));
  next.addEventListener('click', () => showPage(page + 1));
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
    draw(answer.page);
  }

  function draw(found) {
    const pages = Math.max(1, Math.ceil(found.matching / PAGE_SIZE));
    if (found.matching > 0 && found.entries.length === 0) {
      showPage(pages - 1); // past the end (the filter narrowed): the last page
      return;
    }
    page = Math.floor(found.offset / PAGE_SIZE);
    tbody.replaceChildren(...found.entries.map(row));
    const first = found.matching ? found.offset + 1 : 0;
    const last = found.offset + found.entries.length;
    status.textContent = found.matching === total
      ? `${formatCount(total)} entries`
      : `${formatCount(found.matching)} of ${formatCount(total)} entries match`;
    pageInfo.textContent = found.matching === 0 ? 'No entry matches.' : `Entries ${formatCount(first)}\u2013${formatCount(last)} of ${formatCount(found.matching)}, page ${page + 1} of ${pages}`;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function row(entry) {
    let inDeclaration;
    if (entry.verdict === 'ready') inDeclaration = 'yes';
    else if (entry.verdict === 'blocked') inDeclaration = 'no';
    else {
      inDeclaration = el('label', {},
        el('input', { type: 'checkbox', checked: entry.in_declaration, dataset: { entry: entry.entry } }),
        ' include');
    }
    return el('tr', {},
      el('td', { class: 'entry' }, entry.entry),
      el('td', { class: 'nowrap' }, el('span', { class: `verdict ${entry.verdict}` }, VERDICT_WORDS[entry.verdict] ?? entry.verdict)),
      el('td', { class: 'nowrap' }, entry.importer ?? ''),
      el('td', {}, entry.entry_type ?? ''),
      el('td', { class: 'money' }, formatMoney(entry.ieepa_duty)),
      el('td', { class: 'findings' }, entry.findings.length === 0 ? '' : el('ul', { class: 'messages' },
        entry.findings.map((finding) => el('li', {},
          el('span', { class: `severity ${finding.severity}` }, finding.severity), ' ',
          el('code', {}, finding.code), ': ', finding.message)))),
      el('td', { class: 'rows' }, formatRows(entry.rows)),
      el('td', {}, inDeclaration));
  }

  return {
    /** Shows a new run's entries: its overview, and the first page of them (default filters). */
    show(overview, firstPage) {
      total = overview.totals.entries;
      asked += 1; // an answer still on its way belongs to the run before
      const withEntries = overview.codes.filter((group) => group.entries > 0)
        .sort((a, b) => a.code.localeCompare(b.code));
      codeFilter.replaceChildren(el('option', { value: '' }, 'All findings'),
        ...withEntries.map((group) => el('option', { value: group.code }, `${group.code} (${formatCount(group.entries)})`)));
      verdictFilter.value = '';
      search.value = '';
      const reviewCount = overview.totals.review;
      reviewBulk.hidden = reviewCount === 0;
      includeAll.textContent = reviewCount === 1 ? 'Include the entry to review' : `Include all ${formatCount(reviewCount)} entries to review`;
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
