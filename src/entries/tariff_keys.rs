//! The tariff rows of one entry, as sorted 64-bit keys (line, ordinal,
//! class, value hash): a sorted vector while the entry is small or its rows
//! come in order (nearly always), a B-tree once a large entry's rows come
//! out of order, so that any order of any number of rows costs O(log n) a
//! row, never a shift of the whole vector.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

/// Past this many keys an out-of-order insert moves the keys to a tree.
const VEC_LIMIT: usize = 64;

#[derive(Debug, Clone)]
pub(crate) enum TariffKeys {
    Sorted(Vec<u64>),
    Tree(BTreeSet<u64>),
}

impl Default for TariffKeys {
    fn default() -> TariffKeys {
        TariffKeys::Sorted(Vec::new())
    }
}

impl TariffKeys {
    /// Keys already sorted (a part's, read back).
    pub(crate) fn from_sorted(keys: Vec<u64>) -> TariffKeys {
        TariffKeys::Sorted(keys)
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            TariffKeys::Sorted(v) => v.len(),
            TariffKeys::Tree(t) => t.len(),
        }
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        match self {
            TariffKeys::Sorted(v) => v.binary_search(&key).is_ok(),
            TariffKeys::Tree(t) => t.contains(&key),
        }
    }

    /// Whether a key in `range` satisfies `pred`.
    pub(crate) fn any_in(&self, range: RangeInclusive<u64>, pred: impl Fn(u64) -> bool) -> bool {
        match self {
            TariffKeys::Sorted(v) => {
                let from = v.partition_point(|k| k < range.start());
                v[from..]
                    .iter()
                    .take_while(|k| *k <= range.end())
                    .any(|&k| pred(k))
            }
            TariffKeys::Tree(t) => t.range(range).any(|&k| pred(k)),
        }
    }

    /// Adds a key (not already there).
    pub(crate) fn insert(&mut self, key: u64) {
        match self {
            TariffKeys::Sorted(v) => match v.last() {
                Some(&last) if last >= key => {
                    if v.len() < VEC_LIMIT {
                        let at = v.partition_point(|&k| k < key);
                        v.insert(at, key);
                    } else {
                        let mut tree: BTreeSet<u64> = v.drain(..).collect();
                        tree.insert(key);
                        *self = TariffKeys::Tree(tree);
                    }
                }
                _ => v.push(key),
            },
            TariffKeys::Tree(t) => {
                t.insert(key);
            }
        }
    }

    /// Every key, in order.
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = u64> + '_> {
        match self {
            TariffKeys::Sorted(v) => Box::new(v.iter().copied()),
            TariffKeys::Tree(t) => Box::new(t.iter().copied()),
        }
    }

    /// Frees spare capacity: the entry's rows have stopped coming together.
    pub(crate) fn shrink_to_fit(&mut self) {
        if let TariffKeys::Sorted(v) = self {
            v.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_order_gives_the_same_sorted_keys() {
        let mut ascending = TariffKeys::default();
        let mut descending = TariffKeys::default();
        for k in 0..1_000u64 {
            ascending.insert(k * 3);
            descending.insert((999 - k) * 3);
        }
        assert!(matches!(descending, TariffKeys::Tree(_)));
        assert!(ascending.iter().eq(descending.iter()));
        assert!(descending.contains(300) && !descending.contains(301));
        assert!(descending.any_in(10..=13, |k| k == 12));
        assert!(!ascending.any_in(10..=11, |_| true));
        assert_eq!(descending.len(), 1_000);
    }
}
