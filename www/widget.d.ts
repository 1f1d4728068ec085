// Types of the <cape-check> element (cape-check-widget.js), for editor help on host pages.

/** `event.detail` of `cape-check-done`: counts and totals, never file contents. */
export interface CapeCheckSummary {
  format: string;
  /** The filing date the run used, YYYY-MM-DD. */
  asOf: string;
  /** The account the host set (ior or filer attribute), echoed; null when none. */
  account: { importer: string } | { filer: string } | null;
  totals: {
    entries: number; ready: number; review: number; blocked: number;
    /** Decimal strings with two places, e.g. "7400.00". */
    ieepa_duty_ready: string; ieepa_duty_review: string; ieepa_duty_blocked: string;
    /**
     * The interest the refund of that duty would carry (19 U.S.C. 1505(c)):
     * an estimate, never an amount CBP has confirmed, from the deposit to the
     * assumed (re)liquidation (the filing date + 30 days), at CBP's corporate
     * rate, or its non-corporate rate with the `non-corporate` attribute.
     * Decimal strings, e.g. "390.53".
     */
    interest_estimate_ready: string; interest_estimate_review: string; interest_estimate_blocked: string;
  };
  files: { kind: 'es003' | 'declaration' | 'claim-details' | string; rows: number; errors: number }[];
  declarations: { entries: number }[];
  /**
   * Only when Claim Details downloads were among the files: counts, never
   * entry numbers or file names. `downloads`: the Claim Details files read;
   * `newRejects`: entries that failed in the newest download and not with the
   * same message before; `corrected`: entries that failed, then were accepted;
   * `conflicts`: entries accepted, then failed in a later download (never
   * to be filed again); `refile`: entries in the re-file declaration
   * (cape-refile.csv), to file again now.
   */
  claims?: { downloads: number; newRejects: number; corrected: number; conflicts: number; refile: number };
  /** Only when the element has the `expose-entries` attribute. */
  entries?: {
    entry: string;
    verdict: 'ready' | 'review' | 'blocked';
    importer: string | null;
    entryType: string | null;
    ieepaDuty: string;
    /** The interest the refund would carry: an estimate. */
    interestEstimate: string;
    /** Finding codes (contract section 1). */
    findings: string[];
  }[];
}

/**
 * The element's attributes (all live: a change re-audits the files already
 * dropped, except `workers`, read when the element starts). Boolean
 * attributes are on when present, whatever their value (`<cape-check non-corporate>`).
 */
export interface CapeCheckAttributes {
  /** Importer of record number of an importer account, e.g. "98-765432100". */
  ior?: string;
  /** Filer code of a broker account, e.g. "XQ7" (when `ior` is not given). */
  filer?: string;
  /** The filing date, YYYY-MM-DD; today when left out. */
  'as-of'?: string;
  /** Boolean: one declaration per importer of record (brokers). */
  'per-importer'?: '' | string;
  /** Boolean: entries to review are written into the declaration too. */
  'include-review'?: '' | string;
  /** Boolean: the importer of record is not a corporation: interest at CBP's non-corporate rate. */
  'non-corporate'?: '' | string;
  /**
   * Boolean: the importer is a plaintiff at the Court of International Trade,
   * registered for Phase 3: from 10/06/2026, entries liquidated outside the
   * 80-day window are put to review instead of blocked.
   */
  'cit-plaintiff'?: '' | string;
  /** Boolean: `cape-check-done` carries the entries too (`entries`). */
  'expose-entries'?: '' | string;
  /** The link shown when the element cannot run; default: cape-check.html next to the script. */
  'checker-url'?: string;
  /** Worker threads: "auto" (one a core) or a number; 1 when left out. */
  workers?: string;
}

export declare class CapeCheckElement extends HTMLElement {
  /** The attributes whose change re-audits the files (see CapeCheckAttributes). */
  static observedAttributes: string[];
}

declare global {
  interface HTMLElementTagNameMap {
    'cape-check': CapeCheckElement;
  }
  interface HTMLElementEventMap {
    'cape-check-done': CustomEvent<CapeCheckSummary>;
    'cape-check-failed': CustomEvent<{ message: string }>;
  }
}
