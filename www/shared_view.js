// What the page and the widget show alike, each in its own markup: the three
// verdicts with their totals, the progress of a run, the download links.

import { el, formatBytes, formatDate, formatMoney, hasEs003, withAceDates } from './format.js';

/**
 * The verdicts in the order shown, with their titles and the report's totals
 * of each (`interest`: the estimate, undefined from an engine without it).
 */
export function verdictFigures(totals) {
  return [
    { verdict: 'ready', title: 'Ready to file', count: totals.ready, duty: totals.ieepa_duty_ready, interest: totals.interest_estimate_ready },
    { verdict: 'review', title: 'To review', count: totals.review, duty: totals.ieepa_duty_review, interest: totals.interest_estimate_review },
    { verdict: 'blocked', title: 'Blocked', count: totals.blocked, duty: totals.ieepa_duty_blocked, interest: totals.interest_estimate_blocked },
  ];
}

/**
 * What a verdict's card says of money: the IEEPA duty and the interest
 * estimate, or, when no ES-003 was given (declarations or Claim Details
 * only), that the duty is unknown: only the entry numbers were checked.
 */
export function moneyLines(report, figure) {
  if (!hasEs003(report)) return { duty: 'IEEPA duty unknown: no ES-003 given', interest: null };
  return {
    duty: `IEEPA duty ${formatMoney(figure.duty)}`,
    interest: figure.interest === undefined ? null : `Interest, estimated: ${formatMoney(figure.interest)}`,
  };
}

/** What to do when nothing of a run could be read. */
export const UNREADABLE_TODO = 'In ACE Reports, run the ES-003 report (Entry Summary Line Tariff Details), export it as CSV or XLSX, and drop that file here, as it was downloaded. A CAPE Declaration or a Claim Details file from ACE can be checked too.';

/** What the card of a verdict says under its figures, when no ES-003 was given. */
export const NUMBERS_ONLY = 'Number checked, eligibility not checked.';

/** "CBP rules as of 10/06/2026": the edition of the rules the run applied (null from an engine without it). */
export function rulesLine(report) {
  return report.rules?.edition ? `CBP rules as of ${formatDate(report.rules.edition)}` : null;
}

/**
 * What the interest estimates rest on: `short`, one sentence to show under
 * the totals, and `basis` and `rates`, the engine's own account of them
 * (dates as ACE writes them). Null when the report has no interest.
 */
export function interestNote(report) {
  const interest = report.interest;
  if (!interest || !hasEs003(report) || report.totals.interest_estimate_ready === undefined) return null;
  let short = 'Interest is an estimate, not an amount CBP has confirmed';
  short += interest.refund_date ? `: it assumes the refund is paid on ${formatDate(interest.refund_date)}.` : '.';
  return { short, basis: withAceDates(interest.basis), rates: withAceDates(interest.rate_table) };
}

/** The worker's `progress`: the fraction read (0 to 1) and "1.2 MB of 40 MB". */
export function progressOf(message) {
  return {
    fraction: message.bytesTotal ? message.bytesRead / message.bytesTotal : 1,
    bytes: `${formatBytes(message.bytesRead)} of ${formatBytes(message.bytesTotal)}`,
  };
}

/** The name of a run's findings.csv download. */
export function findingsCsvName(asOf) {
  return `cape-check-findings-${asOf}.csv`;
}

/**
 * Download links of CSV bytes (the declarations, findings.csv) from object
 * URLs, which `clear()` gives back when the links are replaced.
 */
export function createDownloadLinks() {
  let urls = [];
  return {
    clear() {
      for (const url of urls) URL.revokeObjectURL(url);
      urls = [];
    },
    /** <a data-download="kind" download="name">text</a> */
    link(kind, name, bytes, text, className) {
      const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv' }));
      urls.push(url);
      return el('a', { class: className, href: url, download: name, 'data-download': kind }, text);
    },
  };
}
