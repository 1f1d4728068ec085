//! The tariff rows of one entry, as sorted 64-bit keys (line, ordinal,
//! class, value hash): a sorted vector while the entry is small or its rows
//! come in order (nearly always), a B-tree once a large entry's rows come
//! out of order, so that any order of any number of rows costs O(log n) a
//! row, never a shift of the whole vector.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

/// Past this many keys an out-of-order insert moves the keys to a tree.
const VEC_LIMIT: usize = 64;

/// Up to this many keys are kept inline, without an allocation: a line's
/// Chapter 99 number and its commodity.
const INLINE: usize = 2;

#[derive(Debug, Clone)]
#[allow(
    clippy::box_collection,
    reason = "boxed, the enum is 24 bytes, not 32: a million entries hold one each"
)]
pub(crate) enum TariffKeys {
    Inline { len: u8, keys: [u64; INLINE] },
    Sorted(Box<Vec<u64>>),
    Tree(Box<BTreeSet<u64>>),
}

impl Default for TariffKeys {
    fn default() -> TariffKeys {
        TariffKeys::Inline {
            len: 0,
            keys: [0; INLINE],
        }
    }
}

impl TariffKeys {
    /// Keys already sorted (a part's, read back).
    pub(crate) fn from_sorted(keys: Vec<u64>) -> TariffKeys {
        if keys.len() <= INLINE {
            let mut inline = [0; INLINE];
            inline[..keys.len()].copy_from_slice(&keys);
            TariffKeys::Inline {
                len: keys.len() as u8,
                keys: inline,
            }
        } else {
            TariffKeys::Sorted(Box::new(keys))
        }
    }

    /// The keys when they are a sorted slice (not a tree).
    fn slice(&self) -> Option<&[u64]> {
        match self {
            TariffKeys::Inline { len, keys } => Some(&keys[..usize::from(*len)]),
            TariffKeys::Sorted(v) => Some(v),
            TariffKeys::Tree(_) => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            TariffKeys::Tree(t) => t.len(),
            _ => self.slice().map_or(0, <[u64]>::len),
        }
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        match (self, self.slice()) {
            (_, Some(v)) => v.binary_search(&key).is_ok(),
            (TariffKeys::Tree(t), None) => t.contains(&key),
            _ => false,
        }
    }

    /// Whether a key in `range` satisfies `pred`.
    pub(crate) fn any_in(&self, range: RangeInclusive<u64>, pred: impl Fn(u64) -> bool) -> bool {
        match (self, self.slice()) {
            (_, Some(v)) => {
                let from = v.partition_point(|k| k < range.start());
                v[from..]
                    .iter()
                    .take_while(|k| *k <= range.end())
                    .any(|&k| pred(k))
            }
            (TariffKeys::Tree(t), None) => t.range(range).any(|&k| pred(k)),
            _ => false,
        }
    }

    /// Adds a key (not already there).
    pub(crate) fn insert(&mut self, key: u64) {
        match self {
            TariffKeys::Inline { len, keys } => {
                let n = usize::from(*len);
                if n < INLINE {
                    let at = keys[..n].partition_point(|&k| k < key);
                    keys.copy_within(at..n, at + 1);
                    keys[at] = key;
                    *len += 1;
                } else {
                    let mut v = Vec::with_capacity(2 * INLINE);
                    v.extend_from_slice(keys);
                    *self = TariffKeys::Sorted(Box::new(v));
                    self.insert(key);
                }
            }
            TariffKeys::Sorted(v) => match v.last() {
                Some(&last) if last >= key => {
                    if v.len() < VEC_LIMIT {
                        let at = v.partition_point(|&k| k < key);
                        v.insert(at, key);
                    } else {
                        let mut tree: BTreeSet<u64> = v.drain(..).collect();
                        tree.insert(key);
                        *self = TariffKeys::Tree(Box::new(tree));
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
        match (self, self.slice()) {
            (_, Some(v)) => Box::new(v.iter().copied()),
            (TariffKeys::Tree(t), None) => Box::new(t.iter().copied()),
            _ => Box::new(std::iter::empty()),
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

    #[test]
    fn few_keys_stay_inline_and_sorted_in_any_order() {
        for order in [[5u64, 1, 3], [1, 3, 5], [3, 5, 1]] {
            let mut keys = TariffKeys::default();
            for (i, k) in order.into_iter().enumerate() {
                keys.insert(k);
                assert_eq!(matches!(keys, TariffKeys::Inline { .. }), i < INLINE);
            }
            assert_eq!(keys.iter().collect::<Vec<_>>(), [1, 3, 5]);
            assert!(keys.contains(3) && !keys.contains(4));
            assert!(keys.any_in(2..=4, |k| k == 3));
        }
        let two = TariffKeys::from_sorted(vec![2, 9]);
        assert!(matches!(two, TariffKeys::Inline { len: 2, .. }));
        assert_eq!(two.iter().collect::<Vec<_>>(), [2, 9]);
    }
}
