// Display formatting only: the report's values are shown, never recomputed.

const countFormat = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345". */
export function formatCount(n) {
  return countFormat.format(n);
}

/** The report's money string ("2900.00", "-12.00") -> "$2,900.00", without floating point. */
export function formatMoney(text) {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(String(text ?? ''));
  if (!match) return String(text ?? '');
  const [, sign, whole, fraction = ''] = match;
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** Bytes -> "12.3 MB" (decimal units, as file managers show). */
export function formatBytes(bytes) {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Seconds -> "about 5 s", "about 2 min". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.ceil(seconds)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** [2, 3, 4, 9] -> "rows 2-4, 9" (1-based spreadsheet rows). */
export function formatRows(rows) {
  if (!rows || rows.length === 0) return '';
  const sorted = [...rows].sort((a, b) => a - b);
  const runs = [];
  let start = sorted[0];
  let end = sorted[0];
  for (const row of sorted.slice(1)) {
    if (row === end + 1) {
      end = row;
    } else if (row !== end) {
      runs.push(start === end ? `${start}` : `${start}\u2013${end}`);
      start = end = row;
    }
  }
  runs.push(start === end ? `${start}` : `${start}\u2013${end}`);
  const shown = runs.length > 6 ? [...runs.slice(0, 6), `\u2026 (${formatCount(sorted.length)} rows)`] : runs;
  return `${sorted.length === 1 ? 'row' : 'rows'} ${shown.join(', ')}`;
}

/** 1, 'entry' -> "1 entry"; 3, 'entry' -> "3 entries", 'day' -> "3 days" (`many`: the plural when not a plain +s / consonant + y -> ies). */
export function plural(n, one, many = /[^aeiou]y$/.test(one) ? `${one.slice(0, -1)}ies` : `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "2026-11-22" -> "11/22/2026", the way ACE writes dates (anything else as it is). */
export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso ?? ''));
  return match ? `${match[2]}/${match[3]}/${match[1]}` : String(iso ?? '');
}

/** Every ISO date in a text of the engine (a rule's source, the interest basis) written as ACE writes dates. */
export function withAceDates(text) {
  return String(text ?? '').replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$2/$3/$1');
}

// An importer of record number (98-765432100) or a file name with a hyphen
// (cape-declaration.csv): kept on one line, never broken at its hyphen.
const UNBROKEN = /\b\d{2}-\d{7}[0-9A-Z]{2}\b|[\w.()-]+-[\w.()-]+\.(?:csv|xlsx)\b/g;

/** A text as nodes for el(): importer numbers and hyphenated file names in it kept on one line. */
export function unbroken(text) {
  const parts = [];
  let at = 0;
  for (const match of String(text ?? '').matchAll(UNBROKEN)) {
    if (match.index > at) parts.push(text.slice(at, match.index));
    const span = document.createElement('span');
    span.className = 'nowrap';
    span.textContent = match[0];
    parts.push(span);
    at = match.index + match[0].length;
  }
  if (at < String(text ?? '').length) parts.push(String(text).slice(at));
  return parts;
}

/** Today in local time, "YYYY-MM-DD". */
export function todayIso(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Days ahead of the filing date beyond which it is probably a typing mistake. */
export const FILING_DATE_AHEAD_DAYS = 120;

/**
 * A warning for a filing date that is usable but unlikely: in the past, or
 * more than about four months ahead; null when it is near today. `iso`:
 * "YYYY-MM-DD"; anything else is the validator's business.
 */
export function filingDateWarning(iso, today = todayIso()) {
  const day = (text) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000 : null;
  };
  const date = day(String(iso ?? ''));
  const now = day(today);
  if (date === null || now === null) return null;
  if (date < now) {
    return `${formatDate(iso)} is in the past: the results are what CAPE would have said on that day. To check for a filing now, give the day you will upload the declaration.`;
  }
  if (date - now > FILING_DATE_AHEAD_DAYS) {
    return `${formatDate(iso)} is ${plural(date - now, 'day')} from today: the 80-day window and CBP's rules are checked as of that day. Is the year right?`;
  }
  return null;
}

/** Words for a verdict, as the page says them. */
export const VERDICT_WORDS = { ready: 'ready', review: 'to review', blocked: 'blocked' };

/** Words for whether an entry's refund was applied (with an export made after filing). */
export const APPLIED_WORDS = {
  applied: 'Refund applied',
  pending: 'Filed, refund not applied yet',
  'not-filed': 'Not filed',
  unknown: 'Refund unknown: not in the later export',
};

/** Words for a finding's severity, as the page says them (the report's are error, warning, info). */
export const SEVERITY_WORDS = { error: 'blocking', warning: 'check', info: 'note' };

/** The headings of the findings, by severity. */
export const SEVERITY_HEADINGS = {
  error: 'Blocking: CAPE would reject these',
  warning: 'To check before filing',
  info: 'For your information',
};

/**
 * A short plain title for each finding code (contract section 1), shown
 * before its explanation; the code itself is shown after, for reference.
 */
export const FINDING_TITLES = Object.freeze({
  'unreadable-file': 'File could not be read',
  'empty-file': 'File is empty',
  'no-header-row': 'Not an ES-003 export: no entry number column',
  'missing-column': 'A column the checks need is missing',
  'title-rows-skipped': 'Title rows above the header were skipped',
  'encoding-converted': 'Text saved in an older format was converted',
  'malformed-row': 'Rows that could not be read',
  'short-rows-read': 'Rows that end before the last column, read with blank cells',
  'account-not-set': 'No account given: account checks skipped',
  'several-importers': 'More than one importer of record',
  'declaration-split': 'Several declaration files (more than one can hold)',
  'declaration-format': 'Declaration file CAPE would reject as it is',
  'entry-number-cleaned': 'Entry number cleaned up',
  'leading-zeros-restored': 'Leading zeros restored',
  'entry-number-scientific': 'Entry number spoiled by Excel',
  'entry-number-malformed': 'Not a valid entry number',
  'check-digit-invalid': 'Entry number with a wrong character',
  'filer-code-mismatch': 'Filed under another filer code',
  'importer-mismatch': 'Another importer of record',
  'entry-type-excluded': 'Entry type CAPE does not accept',
  'no-ieepa-line': 'No IEEPA duty line',
  'section-122-only': 'Only Section 122 lines',
  'ieepa-duty-zero': 'No IEEPA duty paid',
  'section-122-present': 'Section 122 lines too',
  'liquidated-outside-window': 'Liquidated too long ago',
  'court-deadline-near': 'A court action may soon be too late',
  'window-closing': 'Time to file is running out',
  'liquidation-deferred': 'Liquidation extended or suspended',
  'liquidation-unknown': 'Liquidation unknown: may be too old',
  'liquidation-unchecked': 'Liquidation not in the export',
  'reconciliation-flagged': 'Flagged for reconciliation',
  'protest-on-entry': 'Protest on the entry',
  'trade-control': 'In trade control',
  'adcvd-pending-liquidation': 'AD/CVD entry not yet liquidated',
  'goods-value-on-ieepa-line': 'Goods value on the IEEPA line',
  'outside-ieepa-period': 'IEEPA line outside the IEEPA period',
  'hts-out-of-sequence': 'Tariff numbers in the wrong order',
  'conflicting-entry-data': 'Rows of the entry disagree',
  'duplicate-rows': 'Same rows more than once',
  'duplicate-entry': 'Entry listed twice in a declaration',
  'already-accepted': 'Already accepted by CBP',
  'previously-rejected': 'Rejected by CBP before',
  'new-reject': 'Rejected in the newest download, not before',
  'claim-status-conflict': 'Accepted, then failed in a later download',
  'download-order': 'Two downloads of the same date',
  'download-date-unreadable': 'A download date that cannot be read',
  'not-in-export': 'Only the number checked: not in an ES-003',
});

/** The plain title of a finding code (the code itself for one this page does not know). */
export function findingTitle(code) {
  return FINDING_TITLES[code] ?? code;
}

/** Whether the run had an ES-003 export, the only file that tells the duty and the eligibility. */
export function hasEs003(report) {
  return report.files.some((file) => file.kind === 'es003');
}

/**
 * Whether nothing of the run could be used: no entry, and every file has
 * a blocking finding (not a CSV or XLSX, empty, no header, ...).
 */
export function isUnreadableRun(report) {
  return report.totals.entries === 0 && report.files.length > 0
    && report.files.every((file) => file.findings.some((finding) => finding.severity === 'error'));
}

/**
 * The counts of a run's Claim Details downloads (the overview's `claims`):
 * the downloads, the entries rejected in the newest download and not
 * before, those corrected (failed, then accepted), the conflicts (accepted,
 * then failed) and those to file again now. Numbers only.
 */
export function claimsCounts(claims) {
  const changed = (change) => claims.entries.filter((entry) => entry.change === change).length;
  return {
    downloads: claims.downloads.length,
    newRejects: changed('new-reject'),
    corrected: changed('corrected'),
    conflicts: changed('conflict'),
    refile: claims.entries.filter((entry) => entry.refile).length,
  };
}

/** A small element builder: el('p', {class: 'x'}, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * What a host page may learn of a run (the widget's `cape-check-done` event,
 * the iframe's message): counts and totals only, from the run's overview.
 * No entry number, importer number from the files, file name or cell leaves
 * unless the host asked for entries explicitly (`expose-entries`): then
 * `entries` is the worker's page of all of them. With Claim Details,
 * `claims` holds counts only (claimsCounts).
 */
export function hostSummary(report, entries = null) {
  const detail = {
    format: report.format,
    asOf: report.as_of,
    account: report.account ?? null, // the host's own setting, echoed
    totals: { ...report.totals },
    files: report.files.map((file) => ({
      kind: file.kind,
      rows: file.rows,
      errors: file.findings.filter((finding) => finding.severity === 'error').length,
    })),
    declarations: report.declarations.map((declaration) => ({ entries: declaration.entries })),
  };
  if (report.claims) detail.claims = claimsCounts(report.claims);
  if (entries) {
    detail.entries = entries.map((entry) => ({
      entry: entry.entry,
      verdict: entry.verdict,
      importer: entry.importer,
      entryType: entry.entry_type,
      ieepaDuty: entry.ieepa_duty,
      interestEstimate: entry.interest_estimate,
      findings: entry.findings.map((finding) => finding.code),
    }));
  }
  return detail;
}
