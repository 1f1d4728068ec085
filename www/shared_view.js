// What the page and the widget show alike, each in its own markup: the three
// verdicts with their totals, the progress of a run, the download links.

import {
  claimsCounts, el, formatBytes, formatCount, formatDate, formatMoney, hasEs003, plural, withAceDates,
} from './format.js';

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
 * What the interest estimates rest on, in words, every date as ACE writes
 * it: `short`, that it is an estimate; `runs`, where interest stops (the
 * assumed (re)liquidation) and when CBP pays; `column`, the rate used
 * ("corporate rate" or "non-corporate rate") and `rateUsed`, a sentence
 * saying so; `basis`, the engine's own account; `rates`, CBP's table of
 * rates (see rateTable), or, from an engine without it, `rateText`.
 * Null when the report has no interest.
 */
export function interestNote(report) {
  const interest = report.interest;
  if (!interest || !hasEs003(report) || report.totals.interest_estimate_ready === undefined) return null;
  const short = 'Interest is an estimate, not an amount CBP has confirmed.';
  const paid = interest.refund_date ? `, so the refund is expected from about ${formatDate(interest.refund_date)}` : '';
  let runs = interest.refund_date ? `It assumes the refund is paid on ${formatDate(interest.refund_date)}.` : '';
  if (interest.ends) {
    runs = `It runs to ${formatDate(interest.ends)}, the assumed (re)liquidation (the filing date + 30 days): interest runs to (re)liquidation; CBP pays within 30 days of it${paid}.`;
  }
  const column = interest.rate_column ? RATE_COLUMNS[interest.rate_column] ?? interest.rate_column : null;
  const why = interest.rate_column === 'non-corporate' ? 'the importer is not a corporation' : 'the importer is taken to be a corporation';
  const rateUsed = column ? `Rate used: CBP's ${column}, compounded daily (${why}).` : null;
  return {
    short, runs, column, rateUsed,
    basis: withAceDates(interest.basis),
    rates: Array.isArray(interest.rates) && interest.rates.length ? interest.rates : null,
    rateColumn: interest.rate_column ?? null,
    rateText: withAceDates(interest.rate_table),
  };
}

/** The report's `rate_column`, in words. */
export const RATE_COLUMNS = { corporate: 'corporate rate', 'non-corporate': 'non-corporate rate' };

/** How sure a rate of CBP's table is, in words (the report's `confidence`). */
export const RATE_CONFIDENCE = {
  CBP: 'Published by CBP',
  secondary: 'Reported by others, not yet confirmed by CBP',
  'single source': 'One source only, not confirmed',
  'not yet published': 'Not yet published: the last known rate is used',
};

/**
 * CBP's overpayment rates as a table (from, corporate %, non-corporate %,
 * source, how sure), the column used marked as such. `note`: interestNote's.
 */
export function rateTable(note) {
  if (!note?.rates) return note?.rateText ? el('p', { class: 'rates' }, `Rates: ${note.rateText}`) : null;
  const used = (column) => note.rateColumn === column;
  const head = (text, column) => el('th', { scope: 'col', class: `number${used(column) ? ' used' : ''}` },
    text, used(column) ? el('span', { class: 'used-mark' }, ' (used)') : null);
  // data-label: on a narrow screen each rate is a small card whose cells say what they are (style.css).
  const label = (text, column) => `${text}${used(column) ? ' (used)' : ''}`;
  const percent = (value, column, text) => el('td', { class: `number${used(column) ? ' used' : ''}`, 'data-label': label(text, column) }, `${value}%`);
  return el('table', { class: 'rates' },
    el('caption', {}, "CBP's interest rates on overpayments, a year (each applies from its date on; 26 U.S.C. 6621)"),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'From'), head('Corporate', 'corporate'), head('Non-corporate', 'non-corporate'),
      el('th', { scope: 'col' }, 'Source'), el('th', { scope: 'col' }, 'How sure'))),
    el('tbody', {}, note.rates.map((rate) => el('tr', { dataset: { confidence: rate.confidence } },
      el('td', { class: 'nowrap from', 'data-label': 'From' }, formatDate(rate.from)),
      percent(rate.corporate, 'corporate', 'Corporate'),
      percent(rate.non_corporate, 'non-corporate', 'Non-corporate'),
      el('td', { class: 'source', 'data-label': 'Source' }, withAceDates(rate.source)),
      el('td', { class: 'sure', 'data-label': 'How sure' }, RATE_CONFIDENCE[rate.confidence] ?? rate.confidence)))));
}

/**
 * "2 entries: a court action may be time-barred from 10/16/2027: ask
 * counsel now.": said before anything else when entries that only a court
 * can refund are near that deadline (or past it); null when none is.
 */
export function courtDeadlineNotice(report) {
  const near = report.court_deadline_near;
  if (!near || !(near.entries > 0)) return null;
  const when = near.earliest ? `from ${formatDate(near.earliest)}` : 'soon';
  return `${plural(near.entries, 'entry')}: a court action may be time-barred ${when}: ask counsel now.`;
}

/** Where a Claim Details download's date came from, in words (the overview's `date_from`). */
export const DATE_FROM_WORDS = Object.freeze({
  column: 'from its date column',
  'file-name': 'from its file name',
  'file-date': "from the file's date",
  order: 'no date: the order given',
  user: 'as you corrected it',
});

/**
 * What several Claim Details downloads say, in three lines (page and widget
 * alike; `kind` names each): what changed since the download before the
 * newest ("Since 11/30/2026: 2 new rejects, 1 corrected"; with one download,
 * what it says), the conflicts when there are any, and the entries to file
 * again now.
 */
export function claimsSummaryLines(claims) {
  const counts = claimsCounts(claims);
  const { downloads } = claims;
  const changes = `${plural(counts.newRejects, 'new reject')}, ${formatCount(counts.corrected)} corrected`;
  let since;
  if (downloads.length < 2) {
    // Nothing came before it: no new reject, no correction; what it says.
    const only = downloads[0];
    const now = (current) => claims.entries.filter((entry) => entry.current === current).length;
    since = `One download${only?.date ? `, of ${formatDate(only.date)}` : ''} (nothing earlier to compare with): ${formatCount(now('failed'))} failed, ${formatCount(now('accepted'))} accepted`;
  } else {
    const before = downloads[downloads.length - 2];
    since = before.date
      ? `Since ${formatDate(before.date)}: ${changes}`
      : `Since the download before the newest (${before.file}, no date): ${changes}`;
  }
  return [
    { kind: 'since', text: since },
    counts.conflicts > 0 ? { kind: 'conflicts', text: `${plural(counts.conflicts, 'conflict')} (accepted, then failed: never file again)` } : null,
    { kind: 'refile', text: `To file again now: ${counts.refile === 0 ? 'none' : plural(counts.refile, 'entry')}` },
  ].filter(Boolean);
}

/** The words of the re-file declaration's download link. */
export function refileLinkText(name) {
  return `Download the re-file declaration (${name})`;
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
      return this.linkTo(kind, name, URL.createObjectURL(new Blob([bytes], { type: 'text/csv' })), text, className);
    },
    /** The same for an object URL made elsewhere (revoked with the others). */
    linkTo(kind, name, url, text, className = '') {
      urls.push(url);
      return el('a', { class: className, href: url, download: name, 'data-download': kind }, text);
    },
  };
}

/** The workbook's file name. */
export const WORKBOOK_NAME = 'cape-check-report.xlsx';

/**
 * cape-check-report.xlsx of the last run, written by the XLSX module in the
 * engine's worker (loaded then, the first time): `ask` is the engine's
 * question (EngineClient.ask bound), `settings` the run's, `files` the
 * files offered for download ({name, bytes}, declarations with `entries`).
 * Resolves {url, sha256} (an object URL the caller revokes) or {problem}.
 */
export async function writeWorkbook(ask, type, settings, files) {
  const answer = await ask(type, { settings, written: files });
  if (answer.problem) return { problem: answer.problem };
  const blob = new Blob([answer.bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  return { url: URL.createObjectURL(blob), sha256: answer.sha256 };
}

/** Entries in a declaration file: its rows after the header (the file is ASCII, CRLF). */
export function declarationEntries(file) {
  let lines = 0;
  for (const byte of file.bytes) if (byte === 10) lines += 1;
  return Math.max(0, lines - 1);
}

/**
 * The files a run offers for download, as the workbook's Summary lists them:
 * {name, entries (a declaration's), sha256} (the worker's fingerprints).
 */
export function writtenFiles(declarations, refile, findings) {
  const files = [...declarations, ...refile].map((file) => ({ name: file.name, entries: declarationEntries(file), sha256: file.sha256 }));
  if (findings) files.push(findings);
  return files;
}
