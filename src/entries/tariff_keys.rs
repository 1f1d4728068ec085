//! The tariff rows of one entry, as 64-bit keys (line, ordinal, class,
//! value hash): a sorted vector while the entry is small or its rows come in
//! order (nearly always); once a large entry's rows come out of order, a
//! B-tree for the keys of numbered lines and a hash set for the keys of rows
//! without line numbers ([`UNTRACKED_LINE`]), whose order means nothing. So
//! any order of any number of rows costs O(log n) a row, never a shift of
//! the whole vector, and a huge entry of unnumbered rows costs one probe a
//! row, not a walk down a tree that has outgrown the processor's cache.

use super::hash::FxHasher;
use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::RangeInclusive;

/// The line number that marks the key of a row without line and ordinal
/// numbers (its low bits are the hash of the whole row). A line cell that
/// says 65,535 is not a line number: no entry summary has that many lines.
pub(crate) const UNTRACKED_LINE: u64 = 0xFFFF;

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
    Large(Box<LargeKeys>),
}

/// Whether a key is an unnumbered row's (its line is [`UNTRACKED_LINE`]).
fn is_untracked(key: u64) -> bool {
    key >> 48 == UNTRACKED_LINE
}

/// The keys of a large entry whose rows came out of order.
#[derive(Debug, Clone, Default)]
pub(crate) struct LargeKeys {
    /// Keys of numbered lines, in order: the rules ask about ranges of them.
    numbered: BTreeSet<u64>,
    /// Keys of unnumbered rows: only ever asked whether one is there.
    untracked: HashSet<u64, BuildHasherDefault<FxHasher>>,
}

impl LargeKeys {
    fn insert(&mut self, key: u64) {
        if is_untracked(key) {
            self.untracked.insert(key);
        } else {
            self.numbered.insert(key);
        }
    }

    fn contains(&self, key: u64) -> bool {
        if is_untracked(key) {
            self.untracked.contains(&key)
        } else {
            self.numbered.contains(&key)
        }
    }

    /// The unnumbered keys, sorted (they sort after every numbered one).
    fn untracked_sorted(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self.untracked.iter().copied().collect();
        keys.sort_unstable();
        keys
    }
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
            TariffKeys::Large(_) => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            TariffKeys::Large(t) => t.numbered.len() + t.untracked.len(),
            _ => self.slice().map_or(0, <[u64]>::len),
        }
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        match (self, self.slice()) {
            (_, Some(v)) => v.binary_search(&key).is_ok(),
            (TariffKeys::Large(t), None) => t.contains(key),
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
            (TariffKeys::Large(t), None) => {
                let unnumbered = || {
                    // Never asked by the rules (their ranges are of numbered
                    // lines), answered all the same; `pred` has no effects,
                    // so the set's order does not matter.
                    let from = UNTRACKED_LINE << 48;
                    *range.end() >= from
                        && t.untracked.iter().any(|&k| range.contains(&k) && pred(k))
                };
                t.numbered.range(range.clone()).any(|&k| pred(k)) || unnumbered()
            }
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
                        let mut large = Box::<LargeKeys>::default();
                        for k in v.drain(..) {
                            large.insert(k);
                        }
                        large.insert(key);
                        *self = TariffKeys::Large(large);
                    }
                }
                _ => v.push(key),
            },
            TariffKeys::Large(t) => t.insert(key),
        }
    }

    /// Every key, in order.
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = u64> + '_> {
        match (self, self.slice()) {
            (_, Some(v)) => Box::new(v.iter().copied()),
            (TariffKeys::Large(t), None) => {
                Box::new(t.numbered.iter().copied().chain(t.untracked_sorted()))
            }
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
        assert!(matches!(descending, TariffKeys::Large(_)));
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

    #[test]
    fn unnumbered_keys_of_a_large_entry_are_hashed_and_still_read_in_order() {
        let unnumbered = |h: u64| (UNTRACKED_LINE << 48) | h;
        let mut keys = TariffKeys::default();
        // Out of order past the vector's limit: numbered and unnumbered mixed.
        for k in (0..200u64).rev() {
            keys.insert(k << 32);
            keys.insert(unnumbered(k * 7919 % 1_000));
        }
        let TariffKeys::Large(large) = &keys else {
            panic!("expected the large form")
        };
        assert_eq!((large.numbered.len(), large.untracked.len()), (200, 200));
        assert_eq!(keys.len(), 400);
        let all: Vec<u64> = keys.iter().collect();
        assert!(all.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert_eq!(all[199], 199 << 32);
        assert_eq!(all[200], unnumbered(0));
        assert!(keys.contains(unnumbered(7919 % 1_000)));
        assert!(!keys.contains(unnumbered(1_001)));
        assert!(keys.contains(5 << 32) && !keys.contains((5 << 32) | 1));
        // Ranges of numbered lines never see the unnumbered keys...
        assert!(!keys.any_in(200 << 32..=(UNTRACKED_LINE << 48) - 1, |_| true));
        // ...and a range over them is answered too.
        assert!(keys.any_in(unnumbered(0)..=unnumbered(0), |_| true));
        assert!(!keys.any_in(unnumbered(1_000)..=u64::MAX, |_| true));
        // Read back in order (a part's keys), the same set.
        let back = TariffKeys::from_sorted(all.clone());
        assert!(back.iter().eq(all.iter().copied()));
    }
}
