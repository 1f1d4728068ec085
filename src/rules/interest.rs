//! The interest a refund of duty deposits carries (19 U.S.C. 1505(c)): from
//! the date of deposit to the date of the refund, at the IRS overpayment
//! rate for corporations set each quarter (26 U.S.C. 6621), compounded
//! daily (26 U.S.C. 6622). An estimate: the refund date is not known, and
//! the deposit date is the entry summary date unless the export has a
//! payment date. Fixed-point integers throughout (money never floats).

use super::params::InterestRules;
use crate::values::date::Date;
use crate::values::money::Cents;

/// 1.0 in the growth factors' fixed point.
const ONE: u128 = 1_000_000_000_000_000_000;

/// Estimates the interest of the refunds of one audit.
#[derive(Debug)]
pub struct InterestEstimator {
    rules: InterestRules,
    refund_date: Date,
    /// The growth factor of each deposit date met so far, by days before
    /// the refund (deposits of the last [`CACHED_DAYS`] days): computing one
    /// takes dozens of 128-bit divisions, which wasm does in software, and a
    /// year of entries has a few hundred distinct dates.
    cache: Vec<Option<u128>>,
}

/// Deposits this many days before the refund or fewer have their growth
/// factor kept (about 11 years; older ones are computed each time).
const CACHED_DAYS: usize = 4096;

impl InterestEstimator {
    /// Refunds expected `rules.refund_after_days` after the filing date.
    pub fn new(rules: &InterestRules, as_of: Date) -> InterestEstimator {
        InterestEstimator {
            rules: rules.clone(),
            refund_date: as_of.add_days(rules.refund_after_days),
            cache: Vec::new(),
        }
    }

    /// The expected refund date.
    pub fn refund_date(&self) -> Date {
        self.refund_date
    }

    /// The interest on `principal` deposited on `deposit` (none without a
    /// date, a positive principal, or a deposit before the refund).
    pub fn interest(&mut self, principal: Cents, deposit: Option<Date>) -> Cents {
        let Some(deposit) = deposit.filter(|d| *d < self.refund_date) else {
            return Cents(0);
        };
        if principal.0 <= 0 {
            return Cents(0);
        }
        let factor = self.growth_to_refund(deposit);
        let cents = u128::from(principal.0.unsigned_abs()) * (factor - ONE);
        // Rounded to the nearest cent.
        Cents(((cents + ONE / 2) / ONE) as i64)
    }

    /// The growth factor of a deposit on `deposit` (before the refund).
    fn growth_to_refund(&mut self, deposit: Date) -> u128 {
        let days = self.refund_date.days_since(deposit);
        let Some(slot) = usize::try_from(days).ok().filter(|d| *d < CACHED_DAYS) else {
            return growth(&self.rules, deposit, self.refund_date);
        };
        if self.cache.len() <= slot {
            self.cache.resize(slot + 1, None);
        }
        *self.cache[slot].get_or_insert_with(|| growth(&self.rules, deposit, self.refund_date))
    }

    /// The rates used, each with its source.
    pub fn rate_table(&self) -> String {
        let rates: Vec<String> = self
            .rules
            .rates
            .iter()
            .map(|(from, bp, source, _)| {
                format!(
                    "{}.{:02}% a year from {} ({source})",
                    bp / 100,
                    bp % 100,
                    from
                )
            })
            .collect();
        rates.join("; ")
    }

    /// How the estimate is made, in a sentence.
    pub fn basis(&self) -> String {
        format!(
            "An estimate: interest on the IEEPA duty from its deposit (the payment date when the export has one, else the entry summary date, else the entry date) to an expected refund on {} (the filing date + {} days, the start of CBP's stated 60 to 90 days for refunds), compounded daily at the quarterly IRS overpayment rate for corporations. No interest is estimated for an entry without a date.",
            self.refund_date,
            self.rules.refund_after_days
        )
    }
}

/// The growth factor of a deposit from `from` to `to`: the product over
/// the days of (1 + rate / days in that year), quarter by quarter.
fn growth(rules: &InterestRules, from: Date, to: Date) -> u128 {
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
        let daily = ONE + ONE * u128::from(rate_on(rules, day)) / (10_000 * year_days);
        factor = mul(factor, pow(daily, days));
        day = end;
    }
    factor
}

/// The rate in force on a day, in basis points: the newest that started on
/// or before it (the oldest known before the first).
fn rate_on(rules: &InterestRules, day: Date) -> u32 {
    rules
        .rates
        .iter()
        .rev()
        .find(|(from, ..)| *from <= day)
        .or(rules.rates.first())
        .map_or(0, |(_, bp, ..)| *bp)
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

    fn estimate(principal: i64, deposit: &str, as_of: &str) -> Cents {
        let rules = RuleSet::default().interest;
        InterestEstimator::new(&rules, date(as_of)).interest(Cents(principal), Some(date(deposit)))
    }

    #[test]
    fn one_quarter_at_six_percent_compounded_daily() {
        // $10,000.00 deposited 2025-10-01, refunded 2026-01-01 (filing date
        // 2025-11-02 + 60 days): 92 days in 2025 Q4 at 6% a year.
        // By hand: 10,000 x ((1 + 0.06/365)^92 - 1)
        //   = 10,000 x (e^(92 x ln 1.000164383561644) - 1)
        //   = 10,000 x (e^0.015122045 - 1) = 10,000 x 0.015236961 = $152.37.
        assert_eq!(
            estimate(1_000_000, "2025-10-01", "2025-11-02"),
            Cents(15_237)
        );
    }

    #[test]
    fn the_rate_changes_at_its_quarter_and_leap_years_count_366_days() {
        // $1,000.00 from 2026-03-01 to 2026-05-01 (filing 2026-03-02 + 60):
        // 31 days of March at 6%/365, then 30 days of April at 5%/365.
        // By hand: 1,000 x ((1 + 0.06/365)^31 x (1 + 0.05/365)^30 - 1)
        //   = 1,000 x (1.005108476 x 1.004117762 - 1) = 1,000 x 0.009247273
        //   = $9.25.
        assert_eq!(estimate(100_000, "2026-03-01", "2026-03-02"), Cents(925));
        // 2028 is a leap year: 5%/366 a day. $100,000.00 over its Q1 (91
        // days, 2028-01-01 to 2028-04-01, filing 2028-02-01 + 60):
        // 100,000 x ((1 + 0.05/366)^91 - 1) = 100,000 x 0.012508429 = $1,250.84.
        assert_eq!(
            estimate(10_000_000, "2028-01-01", "2028-02-01"),
            Cents(125_084)
        );
    }

    #[test]
    fn no_interest_without_a_deposit_before_the_refund() {
        let rules = RuleSet::default().interest;
        let mut estimator = InterestEstimator::new(&rules, date("2026-11-22"));
        assert_eq!(estimator.refund_date(), date("2027-01-21"));
        assert_eq!(estimator.interest(Cents(100), None), Cents(0));
        assert_eq!(
            estimator.interest(Cents(100), Some(date("2027-02-01"))),
            Cents(0)
        );
        assert_eq!(
            estimator.interest(Cents(-100), Some(date("2026-01-01"))),
            Cents(0)
        );
        assert!(estimator
            .rate_table()
            .contains("6.00% a year from 01/01/2025"));
    }
}
