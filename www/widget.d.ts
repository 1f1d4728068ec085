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
     * an estimate, never an amount CBP has confirmed. Decimal strings, e.g. "385.41".
     */
    interest_estimate_ready: string; interest_estimate_review: string; interest_estimate_blocked: string;
  };
  files: { kind: 'es003' | 'declaration' | 'claim-details' | string; rows: number; errors: number }[];
  declarations: { entries: number }[];
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

export declare class CapeCheckElement extends HTMLElement {
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
