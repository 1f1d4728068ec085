//! The interest a refund of duty deposits carries (19 U.S.C. 1505(b)-(d)):
//! from the deposit of the duty to the (re)liquidation of the entry, at
//! CBP's quarterly overpayment rate (26 U.S.C. 6621; a corporate and a
//! non-corporate column), compounded daily (26 U.S.C. 6622). An estimate:
//! the (re)liquidation date is not known, and the deposit date is the entry
//! summary date unless the export has a payment date. Fixed-point integers
//! throughout (money never floats).

use super::params::{percent, Confidence, InterestRate, InterestRules};
use crate::values::date::Date;
use crate::values::money::Cents;
use serde::Serialize;

/// 1.0 in the growth factors' fixed point.
const ONE: u128 = 1_000_000_000_000_000_000;

/// Estimates the interest of the refunds of one audit.
#[derive(Debug)]
pub struct InterestEstimator {
    rules: InterestRules,
    /// The non-corporate column of the rate table (else the corporate one).
    non_corporate: bool,
    /// Where interest stops: the assumed (re)liquidation date.
    ends: Date,
    /// The expected payment date.
    refund_date: Date,
    /// The growth factor of each deposit date met so far, by days before
    /// the end (deposits of the last [`CACHED_DAYS`] days): computing one
    /// takes dozens of 128-bit divisions, which wasm does in software, and a
    /// year of entries has a few hundred distinct dates.
    cache: Vec<Option<u128>>,
}

/// Deposits this many days before the end or fewer have their growth
/// factor kept (about 11 years; older ones are computed each time).
const CACHED_DAYS: usize = 4096;

/// One row of the rate table as the report gives it (rates in percent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RateRow {
    /// The first day it applies to, ISO.
    pub from: String,
    pub corporate: String,
    pub non_corporate: String,
    pub source: &'static str,
    pub confidence: Confidence,
}

impl InterestEstimator {
    /// Interest to `rules.reliquidation_after_days` after the filing date,
    /// in the corporate column of the rates, or the non-corporate one.
    pub fn new(rules: &InterestRules, as_of: Date, non_corporate: bool) -> InterestEstimator {
        InterestEstimator {
            rules: rules.clone(),
            non_corporate,
            ends: as_of.add_days(rules.reliquidation_after_days),
            refund_date: as_of.add_days(rules.refund_after_days),
            cache: Vec::new(),
        }
    }

    /// The expected payment date.
    pub fn refund_date(&self) -> Date {
        self.refund_date
    }

    /// Where interest stops: the assumed (re)liquidation date.
    pub fn ends(&self) -> Date {
        self.ends
    }

    /// `corporate` or `non-corporate`: the column of the rates used.
    pub fn rate_column(&self) -> &'static str {
        if self.non_corporate {
            "non-corporate"
        } else {
            "corporate"
        }
    }

    /// The interest on `principal` deposited on `deposit` (none without a
    /// date, a positive principal, or a deposit before the end).
    pub fn interest(&mut self, principal: Cents, deposit: Option<Date>) -> Cents {
        let Some(deposit) = deposit.filter(|d| *d < self.ends) else {
            return Cents(0);
        };
        if principal.0 <= 0 {
            return Cents(0);
        }
        let factor = self.growth_to_end(deposit);
        let cents = u128::from(principal.0.unsigned_abs()) * (factor - ONE);
        // Rounded to the nearest cent.
        Cents(((cents + ONE / 2) / ONE) as i64)
    }

    /// The growth factor of a deposit on `deposit` (before the end).
    fn growth_to_end(&mut self, deposit: Date) -> u128 {
        let days = self.ends.days_since(deposit);
        let rules = &self.rules;
        let column = self.non_corporate;
        let Some(slot) = usize::try_from(days).ok().filter(|d| *d < CACHED_DAYS) else {
            return growth(rules, column, deposit, self.ends);
        };
        if self.cache.len() <= slot {
            self.cache.resize(slot + 1, None);
        }
        *self.cache[slot].get_or_insert_with(|| growth(rules, column, deposit, self.ends))
    }

    /// The first day no rate is published for yet: the quarter after the
    /// last known rate's.
    fn unpublished_from(&self) -> Option<Date> {
        self.rules.rates.last().map(|r| next_quarter(r.from))
    }

    /// The rate table, each row with its source and confidence, and a last
    /// row for the quarters not published yet (the last known rate).
    pub fn rates(&self) -> Vec<RateRow> {
        let row = |r: &InterestRate, from: Date, source, confidence| RateRow {
            from: from.iso(),
            corporate: percent(r.corporate),
            non_corporate: percent(r.non_corporate),
            source,
            confidence,
        };
        let mut rows: Vec<RateRow> = self
            .rules
            .rates
            .iter()
            .map(|r| row(r, r.from, r.source, r.confidence))
            .collect();
        if let (Some(last), Some(from)) = (self.rules.rates.last(), self.unpublished_from()) {
            rows.push(row(
                last,
                from,
                "rate not yet published: the last known rate is used",
                Confidence::NotYetPublished,
            ));
        }
        rows
    }

    /// The rates used, each with its source, in a sentence.
    pub fn rate_table(&self) -> String {
        let rates: Vec<String> = self
            .rates()
            .iter()
            .map(|r| {
                format!(
                    "from {}: {}% corporate, {}% non-corporate ({}; {})",
                    Date::parse(&r.from).map_or(r.from.clone(), |d| d.to_string()),
                    r.corporate,
                    r.non_corporate,
                    r.source,
                    r.confidence.as_str()
                )
            })
            .collect();
        rates.join("; ")
    }

    /// How the estimate is made, in a few sentences.
    pub fn basis(&self) -> String {
        let unpublished = match self.unpublished_from() {
            Some(from) if from < self.ends => {
                format!(" From {from} the rate is not yet published: the last known rate is used.")
            }
            _ => String::new(),
        };
        format!(
            "An estimate: interest on the IEEPA duty from its deposit (the payment date where the export has a payment date column; else the entry summary date, a fallback that runs a little high for statement payers, who deposit later; else the entry date) to {} (the filing date + {} days): interest runs to (re)liquidation; CBP pays within 30 days of it (a refund is expected from about {}). Compounded daily at CBP's quarterly overpayment rate, {} column (26 U.S.C. 6621, 6622).{unpublished} No interest is estimated for an entry without a date.",
            self.ends,
            self.rules.reliquidation_after_days,
            self.refund_date,
            self.rate_column(),
        )
    }
}

/// The growth factor of a deposit from `from` to `to`: the product over
/// every day of (1 + rate / days in that year), quarter by quarter, so
/// interest earns interest across a change of rate. `non_corporate`: the
/// column of the rates.
fn growth(rules: &InterestRules, non_corporate: bool, from: Date, to: Date) -> u128 {
    let mut factor = ONE;
    let mut day = from;
    while day < to {
        let end = next_quarter(day).min(to);
        let days = end.days_since(day) as u32;
        let (year, ..) = day.ymd();
        let year_days: u128 = if Date::from_ymd(year, 2, 29).is_some() {
            366
        } else {
            365
        };
        let rate = rate_on(rules, day).map_or(0, |r| {
            if non_corporate {
                r.non_corporate
            } else {
                r.corporate
            }
        });
        let daily = ONE + ONE * u128::from(rate) / (10_000 * year_days);
        factor = mul(factor, pow(daily, days));
        day = end;
    }
    factor
}

/// The rate in force on a day: the newest that started on or before it
/// (the oldest known before the first; the last known after the last).
fn rate_on(rules: &InterestRules, day: Date) -> Option<&InterestRate> {
    rules
        .rates
        .iter()
        .rev()
        .find(|r| r.from <= day)
        .or(rules.rates.first())
}

/// The first day of the quarter after `day`'s.
fn next_quarter(day: Date) -> Date {
    let (year, month, _) = day.ymd();
    let next = (month - 1) / 3 * 3 + 4;
    let (year, month) = if next > 12 {
        (year + 1, 1)
    } else {
        (year, next)
    };
    Date::from_ymd(year, month, 1).unwrap_or(day.add_days(92))
}

fn mul(a: u128, b: u128) -> u128 {
    a * b / ONE
}

fn pow(mut base: u128, mut exponent: u32) -> u128 {
    let mut out = ONE;
    while exponent > 0 {
        if exponent & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exponent >>= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::params::RuleSet;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn estimate(principal: i64, deposit: &str, as_of: &str, non_corporate: bool) -> Cents {
        let rules = RuleSet::default().interest;
        InterestEstimator::new(&rules, date(as_of), non_corporate)
            .interest(Cents(principal), Some(date(deposit)))
    }

    #[test]
    fn one_quarter_at_six_percent_compounded_daily() {
        // $10,000.00 deposited 2025-10-01; filing 2025-12-02, so interest
        // runs to 2026-01-01 (filing + 30): 92 days of 2025 Q4 at 6% a year.
        // By hand: 10,000 x ((1 + 0.06/365)^92 - 1)
        //   = 10,000 x (e^(92 x ln 1.000164383561644) - 1)
        //   = 10,000 x (e^0.015122045 - 1) = 10,000 x 0.015236961 = $152.37.
        assert_eq!(
            estimate(1_000_000, "2025-10-01", "2025-12-02", false),
            Cents(15_237)
        );
    }

    #[test]
    fn a_deposit_in_2026_q1_to_q3_compounds_across_both_rate_changes_in_both_columns() {
        // $10,000.00 deposited 2026-03-01; filing 2026-07-02, so interest
        // runs to 2026-08-01 (filing + 30, the assumed reliquidation):
        // 31 days of March (Q1), 91 days of Q2 (April 30 + May 31 + June 30),
        // 31 days of July (Q3).
        // Corporate, 6% -> 5% -> 6%:
        //   (1 + 0.06/365)^31 = 1.005108476, (1 + 0.05/365)^91 = 1.012542910
        //   10,000 x (1.005108476 x 1.012542910 x 1.005108476 - 1)
        //   = 10,000 x 0.022914436 = $229.14
        // (simple interest per quarter would give $226.58: the product of
        // daily factors lets interest earn interest through the changes).
        assert_eq!(
            estimate(1_000_000, "2026-03-01", "2026-07-02", false),
            Cents(22_914)
        );
        // Non-corporate, 7% -> 6% -> 7%:
        //   (1 + 0.07/365)^31 = 1.005962340, (1 + 0.06/365)^91 = 1.015070101
        //   10,000 x (1.005962340 x 1.015070101 x 1.005962340 - 1)
        //   = 10,000 x 0.027210572 = $272.11
        assert_eq!(
            estimate(1_000_000, "2026-03-01", "2026-07-02", true),
            Cents(27_211)
        );
    }

    #[test]
    fn a_filing_date_in_2027_uses_the_last_known_rate_and_says_so() {
        // $5,000.00 deposited 2026-11-01; filing 2027-01-15, so interest runs
        // to 2027-02-14: 61 days of 2026 Q4 at 6% (single source), then 44
        // days of 2027 Q1, not yet published: the last known 6% again.
        // By hand: 5,000 x ((1 + 0.06/365)^105 - 1) = 5,000 x 0.017408650
        //   = $87.04; non-corporate 7%: 5,000 x ((1 + 0.07/365)^105 - 1)
        //   = 5,000 x 0.020339133 = $101.70.
        assert_eq!(
            estimate(500_000, "2026-11-01", "2027-01-15", false),
            Cents(8_704)
        );
        assert_eq!(
            estimate(500_000, "2026-11-01", "2027-01-15", true),
            Cents(10_170)
        );
        let rules = RuleSet::default().interest;
        let estimator = InterestEstimator::new(&rules, date("2027-01-15"), false);
        assert_eq!(estimator.ends(), date("2027-02-14"));
        assert_eq!(estimator.refund_date(), date("2027-03-16"));
        assert!(
            estimator.basis().contains(
                "From 01/01/2027 the rate is not yet published: the last known rate is used"
            ),
            "{}",
            estimator.basis()
        );
        let last = estimator.rates().pop().unwrap();
        assert_eq!(
            (
                last.from.as_str(),
                last.corporate.as_str(),
                last.non_corporate.as_str()
            ),
            ("2027-01-01", "6", "7")
        );
        assert_eq!(last.confidence, Confidence::NotYetPublished);
        // Before 2027 the basis does not say it.
        let estimator = InterestEstimator::new(&rules, date("2026-11-22"), false);
        assert!(!estimator.basis().contains("not yet published"));
    }

    #[test]
    fn leap_years_count_366_days() {
        // 2028 Q1 (91 days, 2028-01-01 to 2028-04-01; filing 2028-03-02):
        // the last known rate, 6%, over 366 days a year.
        // By hand: 100,000 x ((1 + 0.06/366)^91 - 1) = 100,000 x 0.015028621
        //   = $1,502.86.
        assert_eq!(
            estimate(10_000_000, "2028-01-01", "2028-03-02", false),
            Cents(150_286)
        );
    }

    #[test]
    fn the_basis_names_its_dates_column_and_every_rate_with_its_source() {
        let rules = RuleSet::default().interest;
        let mut estimator = InterestEstimator::new(&rules, date("2026-11-22"), true);
        assert_eq!(estimator.ends(), date("2026-12-22"));
        assert_eq!(estimator.refund_date(), date("2027-01-21"));
        assert_eq!(estimator.rate_column(), "non-corporate");
        let basis = estimator.basis();
        for words in [
            "to 12/22/2026 (the filing date + 30 days)",
            "interest runs to (re)liquidation; CBP pays within 30 days of it",
            "else the entry summary date, a fallback",
            "non-corporate column",
            "An estimate",
        ] {
            assert!(basis.contains(words), "{words}: {basis}");
        }
        let table = estimator.rate_table();
        for words in [
            "from 01/01/2025: 6% corporate, 7% non-corporate (CBP quarterly notices; Rev. Rul. 2025-22 (2025 Q1 to 2026 Q1); CBP)",
            "from 04/01/2026: 5% corporate, 6% non-corporate (CBP notice FR 2026-09871 (05/18/2026); secondary)",
            "from 07/01/2026: 6% corporate, 7% non-corporate (IRB 2026-22, Rev. Rul. 2026-10; secondary)",
            "from 10/01/2026: 6% corporate, 7% non-corporate (IRB 2026-36, Rev. Rul. 2026-15; single source)",
            "from 01/01/2027: 6% corporate, 7% non-corporate (rate not yet published: the last known rate is used; not yet published)",
        ] {
            assert!(table.contains(words), "{words}: {table}");
        }
        assert_eq!(estimator.interest(Cents(100), None), Cents(0));
        assert_eq!(
            estimator.interest(Cents(100), Some(date("2026-12-22"))),
            Cents(0),
            "no interest for a deposit on or after the end"
        );
        assert_eq!(
            estimator.interest(Cents(-100), Some(date("2026-01-01"))),
            Cents(0)
        );
    }
}
