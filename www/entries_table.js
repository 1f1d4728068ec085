// The entries table widget: filter by verdict and finding code, search by
// entry number, one page of rows at a time (never one DOM row per entry:
// an export may hold 100,000 entries), and the include box of entries to
// review.

import { el, formatCount, formatMoney, formatRows, VERDICT_WORDS } from './format.js';

const PAGE_SIZE = 50;

/**
 * @param {HTMLElement} container
 * @param {{ onIncludeChange: (entries: string[], included: boolean) => void }} hooks
 */
export function createEntriesTable(container, hooks) {
  let entries = [];
  let included = new Set();
  let filtered = [];
  let page = 0;

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
  includeAll.addEventListener('click', () => hooks.onIncludeChange(reviewEntries(), true));
  excludeAll.addEventListener('click', () => hooks.onIncludeChange(reviewEntries(), false));
  tbody.addEventListener('change', (event) => {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.dataset.entry) {
      hooks.onIncludeChange([box.dataset.entry], box.checked);
    }
  });

  function reviewEntries() {
    return entries.filter((entry) => entry.verdict === 'review').map((entry) => entry.entry);
  }

  function applyFilters() {
    const verdict = verdictFilter.value;
    const code = codeFilter.value;
    // Ignore what people type between the characters of an entry number.
    const wanted = search.value.toUpperCase().replace(/[^0-9A-Z]/g, '');
    filtered = entries.filter((entry) =>
      (!verdict || entry.verdict === verdict)
      && (!code || entry.findings.some((finding) => finding.code === code))
      && (!wanted || entry.entry.toUpperCase().replace(/[^0-9A-Z]/g, '').includes(wanted)));
    showPage(0);
  }

  function showPage(number) {
    const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
    page = Math.min(Math.max(0, number), pages - 1);
    const slice = filtered.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    tbody.replaceChildren(...slice.map(row));
    const first = filtered.length ? page * PAGE_SIZE + 1 : 0;
    status.textContent = filtered.length === entries.length
      ? `${formatCount(entries.length)} entries`
      : `${formatCount(filtered.length)} of ${formatCount(entries.length)} entries match`;
    pageInfo.textContent = filtered.length === 0 ? 'No entry matches.' : `Entries ${formatCount(first)}\u2013${formatCount(first + slice.length - (slice.length ? 1 : 0))} of ${formatCount(filtered.length)}, page ${page + 1} of ${pages}`;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function row(entry) {
    const rows = entry.rows ?? entry.findings.flatMap((finding) => finding.rows);
    let inDeclaration;
    if (entry.verdict === 'ready') inDeclaration = 'yes';
    else if (entry.verdict === 'blocked') inDeclaration = 'no';
    else {
      inDeclaration = el('label', {},
        el('input', { type: 'checkbox', checked: included.has(entry.entry), dataset: { entry: entry.entry } }),
        ' include');
    }
    return el('tr', {},
      el('td', { class: 'entry' }, entry.entry),
      el('td', {}, el('span', { class: `verdict ${entry.verdict}` }, VERDICT_WORDS[entry.verdict] ?? entry.verdict)),
      el('td', { class: 'nowrap' }, entry.importer ?? ''),
      el('td', {}, entry.entry_type ?? ''),
      el('td', { class: 'money' }, formatMoney(entry.ieepa_duty)),
      el('td', {}, entry.findings.length === 0 ? '' : el('ul', { class: 'messages' },
        entry.findings.map((finding) => el('li', {},
          el('span', { class: `severity ${finding.severity}` }, finding.severity), ' ',
          el('code', {}, finding.code), ': ', finding.message)))),
      el('td', { class: 'rows' }, formatRows(rows)),
      el('td', {}, inDeclaration));
  }

  return {
    /** Shows a new report's entries. */
    show(report, includedEntries) {
      entries = report.entries;
      included = includedEntries;
      const codes = new Map();
      for (const entry of entries) {
        for (const finding of entry.findings) codes.set(finding.code, (codes.get(finding.code) ?? 0) + 1);
      }
      codeFilter.replaceChildren(el('option', { value: '' }, 'All findings'),
        ...[...codes.keys()].sort().map((code) => el('option', { value: code }, `${code} (${formatCount(codes.get(code))})`)));
      verdictFilter.value = '';
      search.value = '';
      const reviewCount = reviewEntries().length;
      reviewBulk.hidden = reviewCount === 0;
      includeAll.textContent = reviewCount === 1 ? 'Include the entry to review' : `Include all ${formatCount(reviewCount)} entries to review`;
      applyFilters();
    },
    /** Shows only the entries with this finding code. */
    filterByCode(code) {
      codeFilter.value = code;
      verdictFilter.value = '';
      applyFilters();
      container.scrollIntoView({ block: 'start' });
      codeFilter.focus();
    },
    /** Redraws the page (after the included set changed). */
    refresh() {
      showPage(page);
    },
  };
}
