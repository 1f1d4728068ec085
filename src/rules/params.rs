//! Every CBP parameter cape-check applies, in one value, each with its
//! source and how sure we are of it. CBP has changed CAPE several times
//! since it opened; a change is an edit here, and old rules replay by the
//! filing date (`as_of`). [`RuleSet::book`] lists every rule for the user,
//! generated from these values (never a second, hand-written copy).

use crate::values::date::Date;
use crate::values::text::grouped;
use serde::Serialize;

/// How sure we are of a rule (rules.md section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Confidence {
    /// Read in CBP's own text.
    #[serde(rename = "CBP")]
    Cbp,
    /// Cited by two or more independent secondary sources; CBP's bulletin
    /// not read. Such a rule never blocks an entry on its own: it puts the
    /// entry to review and names its source.
    #[serde(rename = "secondary")]
    Secondary,
    /// One source only, not CBP's: as a secondary rule, it never blocks.
    #[serde(rename = "single source")]
    SingleSource,
    /// Not published yet: a value assumed (the last known interest rate).
    #[serde(rename = "not yet published")]
    NotYetPublished,
}

impl Confidence {
    /// As the contract and the page write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Cbp => "CBP",
            Confidence::Secondary => "secondary",
            Confidence::SingleSource => "single source",
            Confidence::NotYetPublished => "not yet published",
        }
    }
}

/// The parameters of CAPE's validation that CBP may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    /// The date of the newest change this rule set knows.
    pub edition: Date,
    /// An entry liquidated at most this many calendar days before the filing
    /// date is still in the Phase 1 lane. CSMS #68315804 (April 2026); the
    /// launch-day cut-off (2026-04-20 admitted entries liquidated after
    /// 2026-01-30) is 80 days.
    pub window_days: i64,
    /// Warn when this many days or fewer remain in the window: CBP validates
    /// in batches up to 48 hours after upload (CAPE Quick Reference Guide).
    pub window_warning_days: i64,
    /// A protest (CBP Form 19) may be filed until liquidation + 180 days
    /// (19 U.S.C. 1514(c)(3)).
    pub protest_days: i32,
    /// Entries usually liquidate about this many days after the entry
    /// summary date (rules.md section 5): used when the export has no
    /// liquidation data.
    pub typical_liquidation_days: i64,
    /// Entry types CAPE rejects with "ENTRY TYPE NOT ALLOWED": 08 duty
    /// deferral, 09 reconciliation, 23 TIB, 47 drawback (CSMS #68340863).
    pub excluded_entry_types: &'static [&'static str],
    /// From this date warehouse entries (these types) are no longer
    /// accepted: CSMS #69127837 as cited by secondary sources.
    pub warehouse_excluded_from: Date,
    pub warehouse_entry_types: &'static [&'static str],
    /// From this date, entries flagged for reconciliation are accepted for
    /// the types below if the type 09 entry is not filed (CSMS #69035485).
    pub reconciliation_allowed_from: Date,
    /// Entry types that may be filed while flagged for reconciliation.
    pub reconciliation_allowed_types: &'static [&'static str],
    /// From this date CAPE no longer rejects goods value on the IEEPA
    /// Chapter 99 line (CSMS #69056483, 2026-06-25).
    pub goods_value_check_removed: Date,
    /// IEEPA duties applied to entries from this date (CSMS #67834313) ...
    pub ieepa_from: Date,
    /// ... until before this date, when Section 122 replaced them.
    pub ieepa_until: Date,
    /// The Section 122 surcharge (9903.03.01-.11) ended on this date
    /// (secondary sources).
    pub section_122_ended: Date,
    /// 9903.03.12-.16 carry Section 338 duties from this date (ACE error
    /// F884; CSMS #69915227, #69941677; public HTS engines' data).
    pub section_338_from: Date,
    /// From this date ACE refuses a post-summary correction that touches an
    /// IEEPA line on a type 06 (FTZ) entry (ACE error F883, CSMS #69635410,
    /// cited by a public ACE knowledge base).
    pub ftz_correction_refused_from: Date,
    /// A post-summary correction is possible only within this many days of
    /// the entry date ... (19 CFR 101.9(b); CBP's answers to NCBFAA, May
    /// 2026: secondary)
    pub psc_days_after_entry: i64,
    /// ... and at least this many days before scheduled liquidation.
    pub psc_days_before_liquidation: i64,
    /// From this date Phase 3 refunds finally liquidated entries of CIT
    /// plaintiffs who registered their IOR by the date below (law firms'
    /// notes on the CIT order of 2026-07-17).
    pub phase_3_from: Date,
    pub phase_3_registered_by: Date,
    /// Outside every CAPE lane, only an action at the Court of International
    /// Trade (28 U.S.C. 1581(i)) refunds an entry, within this many years
    /// (28 U.S.C. 2636(i)); from the deposit of the duty, the earliest
    /// reading of when they start (law firms' notes: secondary).
    pub court_action_years: i32,
    /// Say so first when the court deadline is this many days or fewer
    /// after the filing date.
    pub court_deadline_warning_days: i64,
    /// The CIT held that IEEPA's legality cannot be protested: a Form 19
    /// protest only preserves rights (law firms' notes: secondary).
    pub protest_ruled_protective: Date,
    /// Entries per declaration file (CSMS of 2026-04-13; OMB 1651-0149: the
    /// guide's "10,000" counts the header row).
    pub max_entries_per_declaration: usize,
    /// CAPE rejects declaration files of 1 MB or more (Quick Reference Guide).
    pub max_declaration_bytes: usize,
    /// Refund interest (19 U.S.C. 1505(b)-(d)).
    pub interest: InterestRules,
}

/// What the interest estimate uses (rules.md, Interest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterestRules {
    /// CBP's quarterly overpayment rates (26 U.S.C. 6621), by the quarter
    /// each starts. After the last one's quarter, no rate is published yet:
    /// the last known one is used, and said so.
    pub rates: &'static [InterestRate],
    /// Interest runs from the deposit to the (re)liquidation of the entry
    /// (19 U.S.C. 1505(b)-(d)), not to the payment: CBP (re)liquidates
    /// after accepting the declaration and pays within 30 days of it, 60 to
    /// 90 days after acceptance, so (re)liquidation falls between about
    /// filing + 30 and filing + 90 days. The estimate takes the earliest,
    /// so it never promises more.
    pub reliquidation_after_days: i32,
    /// The refund is expected this many days after the filing date (CBP:
    /// within 60 to 90 days of acceptance; the start of that window).
    pub refund_after_days: i32,
}

/// One row of CBP's table of overpayment rates: two columns, corporate and
/// non-corporate (one point higher); CBP does not apply the IRS's lower
/// rate to corporate overpayments above $10,000 (FR 2024-21785).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterestRate {
    /// The first day of the quarter it applies from.
    pub from: Date,
    /// Basis points a year.
    pub corporate: u32,
    pub non_corporate: u32,
    pub source: &'static str,
    pub confidence: Confidence,
}

/// Basis points as a percentage: 600 -> `6`, 550 -> `5.5`.
pub(crate) fn percent(bp: u32) -> String {
    let (whole, part) = (bp / 100, bp % 100);
    match part {
        0 => whole.to_string(),
        p if p % 10 == 0 => format!("{whole}.{}", p / 10),
        p => format!("{whole}.{p:02}"),
    }
}

const fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_const(y, m, d)
}

const fn rate(
    from: Date,
    corporate: u32,
    non_corporate: u32,
    source: &'static str,
    confidence: Confidence,
) -> InterestRate {
    InterestRate {
        from,
        corporate,
        non_corporate,
        source,
        confidence,
    }
}

/// The interest rates known (rules.md, Interest).
const RATES: [InterestRate; 4] = [
    rate(
        date(2025, 1, 1),
        600,
        700,
        "CBP quarterly notices; Rev. Rul. 2025-22 (2025 Q1 to 2026 Q1)",
        Confidence::Cbp,
    ),
    rate(
        date(2026, 4, 1),
        500,
        600,
        "CBP notice FR 2026-09871 (05/18/2026)",
        Confidence::Secondary,
    ),
    rate(
        date(2026, 7, 1),
        600,
        700,
        "IRB 2026-22, Rev. Rul. 2026-10",
        Confidence::Secondary,
    ),
    rate(
        date(2026, 10, 1),
        600,
        700,
        "IRB 2026-36, Rev. Rul. 2026-15",
        Confidence::SingleSource,
    ),
];

impl Default for RuleSet {
    /// CAPE's rules as of the edition below.
    fn default() -> RuleSet {
        let mut rules = RuleSet {
            // Set below, from the rules themselves.
            edition: date(2025, 2, 4),
            window_days: 80,
            window_warning_days: 7,
            protest_days: 180,
            typical_liquidation_days: 314,
            excluded_entry_types: &["08", "09", "23", "47"],
            warehouse_excluded_from: date(2026, 7, 7),
            warehouse_entry_types: &["21", "22"],
            reconciliation_allowed_from: date(2026, 6, 29),
            reconciliation_allowed_types: &["01", "02", "06"],
            goods_value_check_removed: date(2026, 6, 25),
            ieepa_from: date(2025, 2, 4),
            ieepa_until: date(2026, 2, 24),
            section_122_ended: date(2026, 7, 24),
            section_338_from: date(2026, 8, 22),
            ftz_correction_refused_from: date(2026, 8, 21),
            psc_days_after_entry: 300,
            psc_days_before_liquidation: 15,
            phase_3_from: date(2026, 10, 6),
            phase_3_registered_by: date(2026, 7, 30),
            court_action_years: 2,
            court_deadline_warning_days: 60,
            protest_ruled_protective: date(2025, 12, 15),
            max_entries_per_declaration: 9_999,
            max_declaration_bytes: 1_000_000,
            interest: InterestRules {
                rates: &RATES,
                reliquidation_after_days: 30,
                refund_after_days: 60,
            },
        };
        rules.edition = rules.newest_rule();
        rules
    }
}

/// One rule as the user reads it (the page's "What is checked").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The first filing date it applies to, when it changed (ISO).
    pub from: Option<String>,
    pub rule: String,
    pub source: &'static str,
    pub confidence: Confidence,
    /// What cape-check does about it.
    pub check: String,
}

impl RuleSet {
    /// Every rule cape-check applies, oldest first, from these parameters.
    pub fn book(&self) -> Vec<RuleInfo> {
        let mut book = self.phase_1_rules();
        book.extend(self.later_rules());
        book.extend(self.december_rules());
        book
    }

    fn phase_1_rules(&self) -> Vec<RuleInfo> {
        use Confidence::Cbp;
        let on = |d: Date| Some(d.iso());
        vec![
            rule(None, "An entry number has 11 characters: filer code, transaction number and a check digit that must verify", "CBP Form 7501 instructions; CATAIR Appendix E", Cbp,
                "Cleans dashes, spaces and invisible characters, restores leading zeros only when the check digit then verifies, and blocks anything else".into()),
            rule(None, &format!("Entry types {} are not accepted (ENTRY TYPE NOT ALLOWED)", self.excluded_entry_types.join(", ")), "CSMS #68340863", Cbp,
                "Blocks entries of these types".into()),
            rule(None, "An entry needs at least one IEEPA line (9903.01 or 9903.02) with duty (NO IEEPA HTS ON ENTRY)", "CSMS #68315804; CAPE Quick Reference Guide", Cbp,
                "Blocks entries without one; estimates the refund as the duty on IEEPA lines".into()),
            rule(None, &format!("An entry liquidated more than {} days before the filing date is in final liquidation status (day {} is still inside: \"not over {} days past liquidation\")", self.window_days, self.window_days, self.window_days), "CSMS #68315804; CSMS of 04/13/2026", Cbp,
                format!("Blocks it (see Phase 3 and the court deadline below); warns when {} days or fewer remain, the last day included", self.window_warning_days)),
            rule(None, "The entry's importer of record must be the account's (ACCOUNT MISMATCH); a broker's entries must carry its filer code", "CAPE Quick Reference Guide", Cbp,
                "Blocks entries of another importer or filer code when you give your IOR number or filer code".into()),
            rule(None, "An open or suspended protest, trade control, or a cancelled entry summary is rejected", "CAPE Quick Reference Guide", Cbp,
                "Blocks open protests and trade control; asks you to check a protest of unknown status".into()),
            rule(None, &format!("A declaration holds at most {} entries, one column 'Entry Number', under {} bytes; one bad row fails the whole file", grouped(self.max_entries_per_declaration as u64), grouped(self.max_declaration_bytes as u64)), "CSMS of 04/13/2026; OMB 1651-0149", Cbp,
                "Writes only valid, distinct numbers, split into several files when needed".into()),
            rule(on(self.goods_value_check_removed), "Goods value on the IEEPA Chapter 99 line no longer rejected", "CSMS #69056483", Cbp,
                "Blocks it before this date, notes it after".into()),
            rule(on(self.reconciliation_allowed_from), &format!("Entries flagged for reconciliation accepted for types {} if the type 09 entry is not filed; a reconciliation due within 30 days is to be filed first", self.reconciliation_allowed_types.join(", ")), "CSMS #69035485", Cbp,
                "Blocks flagged entries before this date and of other types; asks you to confirm after, and to file a reconciliation due within 30 days first".into()),
            rule(None, "An AD/CVD entry summary pending liquidation is rejected (19 U.S.C. 1504(d))", "CSMS of 04/13/2026", Cbp,
                "ES-003 shows it only when you add an AD/CVD column to the report: then an unliquidated entry under a case is put to review, naming the rule".into()),
            rule(None, "IEEPA duty paid by a surety is excluded", "secondary sources", Confidence::Secondary,
                "Not visible in an ES-003 export: no check. If a surety paid the entry's IEEPA duty, leave it out".into()),
        ]
    }

    fn later_rules(&self) -> Vec<RuleInfo> {
        use Confidence::Secondary;
        let on = |d: Date| Some(d.iso());
        vec![
            rule(on(self.warehouse_excluded_from), &format!("Warehouse entries (types {}) no longer accepted (ENTRY TYPE NOT ALLOWED)", self.warehouse_entry_types.join(", ")), "CSMS #69127837 as cited by secondary sources", Secondary,
                "Puts these entries to review, naming the source: check before filing".into()),
            rule(on(self.section_122_ended), &format!("The Section 122 surcharge (9903.03.01-9903.03.11, from {}) ended", self.ieepa_until), "secondary sources", Secondary,
                "Names 9903.03 lines Section 122 with their dates; CAPE does not refund them".into()),
            rule(on(self.section_338_from), "9903.03.12-9903.03.16 carry Section 338 duties (ACE error F884)", "CSMS #69915227, #69941677; public HTS engines' data", Secondary,
                "Names these lines Section 338: neither IEEPA nor Section 122, not refundable by CAPE".into()),
            rule(on(self.ftz_correction_refused_from), "ACE refuses a post-summary correction that touches an IEEPA line on a type 06 (FTZ) entry (ACE error F883)", "CSMS #69635410 as cited by a public ACE knowledge base", Secondary,
                "For type 06 entries, advises asking CBP instead of a post-summary correction".into()),
            rule(None, "Liquidation reason code 36 (CAPE) marks an entry already refunded through CAPE", "public ACE knowledge base", Secondary,
                "Puts such entries to review as already accepted; including all entries to review at once leaves them out: never file twice".into()),
        ]
    }

    /// The rules of the second half of 2026 (rules.md sections 7 and 8, and
    /// Interest), with the interest rates, each with its source.
    fn december_rules(&self) -> Vec<RuleInfo> {
        use Confidence::Secondary;
        let on = |d: Date| Some(d.iso());
        let mut rules = vec![
            rule(Some("2026-07-22".into()), "New Chapter 99 headings, none IEEPA: 9903.05.01 Section 301 (Brazil), 9903.05.20-9903.05.84 Section 301 (forced labor), 9903.04.60-9903.04.69 Section 232 (pharmaceuticals)", "CSMS #69326983, HSU 2617, as logged by public ACE knowledge bases", Secondary,
                "Names the program of each such line in messages; CAPE does not refund them".into()),
            rule(on(self.phase_3_from), &format!("Phase 3: finally liquidated entries refunded, filed via CAPE, for importers of record who are plaintiffs at the Court of International Trade and submitted their IOR number by {}; subject to the government's pending appeal (CAFC 26-1895); how such entries are filed is not verified", self.phase_3_registered_by), "law firms' and brokers' notes on the CIT order of 07/17/2026 and CBP's September update", Secondary,
                "With the setting \"the importer is a plaintiff at the Court of International Trade\", puts entries outside the 80-day window to review instead of blocking them (never written by default); without it, says so on each".into()),
            rule(on(self.protest_ruled_protective), "IEEPA's legality cannot be protested: a protest (CBP Form 19) only preserves rights", "law firms' notes on the Court of International Trade's decision", Secondary,
                format!("Gives the protest date (liquidation + {} days) as protective only", self.protest_days)),
            rule(None, &format!("Outside every CAPE lane, only an action at the Court of International Trade refunds an entry, within {} years (28 U.S.C. 1581(i), 2636(i)); when they start is disputed", self.court_action_years), "law firms' notes (several)", Secondary,
                format!("Gives each such entry its court deadline by the earliest reading (deposit + {} years) and says it first when it is {} days or fewer away", self.court_action_years, self.court_deadline_warning_days)),
            rule(None, &format!("A post-summary correction is possible only within {} days of the entry date and at least {} days before scheduled liquidation", self.psc_days_after_entry, self.psc_days_before_liquidation), "CBP's answers to NCBFAA, May 2026", Secondary,
                "Advises a correction (INVALID HTS, HTS RELATIONSHIP, HTS out of sequence) only inside that window, with its last day; outside it, says none is possible now and where to ask CBP".into()),
            rule(None, "Refunds carry interest from the deposit to the entry's (re)liquidation, which CBP pays within 30 days of, compounded daily, at CBP's quarterly overpayment rate, corporate or non-corporate", "19 U.S.C. 1505(b)-(d); 26 U.S.C. 6621, 6622", Confidence::Cbp,
                format!("Estimates it per entry from the payment date (or the entry summary date, a fallback) to the filing date + {} days, in the column of the setting \"the importer of record is not a corporation\"", self.interest.reliquidation_after_days)),
        ];
        for r in self.interest.rates {
            rules.push(rule(
                on(r.from),
                &format!(
                    "Interest rate {}% a year for corporations, {}% for others",
                    percent(r.corporate),
                    percent(r.non_corporate)
                ),
                r.source,
                r.confidence,
                "Used for the interest estimate from this quarter on".into(),
            ));
        }
        rules
    }

    /// The date of the newest rule this set knows (its edition).
    pub fn newest_rule(&self) -> Date {
        self.book()
            .iter()
            .filter(|r| r.confidence != Confidence::NotYetPublished)
            .filter_map(|r| r.from.as_deref().and_then(Date::parse))
            .max()
            .unwrap_or(self.ieepa_from)
    }
}

fn rule(
    from: Option<String>,
    rule: &str,
    source: &'static str,
    confidence: Confidence,
    check: String,
) -> RuleInfo {
    RuleInfo {
        from,
        rule: rule.to_string(),
        source,
        confidence,
        check,
    }
}
