// What the page and the widget show alike, each in its own markup: the three
// verdicts with their totals, the progress of a run, the download links.

import { el, formatBytes } from './format.js';

/** The verdicts in the order shown, with their titles and the report's totals of each. */
export function verdictFigures(totals) {
  return [
    { verdict: 'ready', title: 'Ready to file', count: totals.ready, duty: totals.ieepa_duty_ready },
    { verdict: 'review', title: 'To review', count: totals.review, duty: totals.ieepa_duty_review },
    { verdict: 'blocked', title: 'Blocked', count: totals.blocked, duty: totals.ieepa_duty_blocked },
  ];
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
