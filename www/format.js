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

/** Words for a verdict, as the page says them. */
export const VERDICT_WORDS = { ready: 'ready', review: 'to review', blocked: 'blocked' };

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
 * `entries` is the worker's page of all of them.
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
  if (entries) {
    detail.entries = entries.map((entry) => ({
      entry: entry.entry,
      verdict: entry.verdict,
      importer: entry.importer,
      entryType: entry.entry_type,
      ieepaDuty: entry.ieepa_duty,
      findings: entry.findings.map((finding) => finding.code),
    }));
  }
  return detail;
}
