//! The book's index: entry number (or, when unusable, the number as
//! written) -> the entry's position. An open-addressing table of 8-byte
//! slots (position, hash tag): the keys themselves are the entries' own
//! names, read from the entries on a tag match, so that a million entries
//! cost 16 MB of index, not the 50 MB a map holding copies of the keys did.

use super::FxHasher;
use std::hash::Hasher;

const EMPTY: u32 = u32::MAX;

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// (position, tag); a power of two of them, at most 3/4 used.
    slots: Vec<(u32, u32)>,
    len: usize,
}

impl Index {
    /// The 32-bit tag of a key; its top bits choose the slot.
    fn tag(key: &str) -> u32 {
        let mut h = FxHasher::default();
        h.write(key.as_bytes());
        (h.finish() >> 32) as u32
    }

    fn home(&self, tag: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (u64::from(tag) >> (32 - bits)) as usize
    }

    /// The position of the entry named `key`; `name_of` gives the name of
    /// the entry at a position.
    pub(crate) fn find<'a>(&self, key: &str, name_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let tag = Index::tag(key);
        let mask = self.slots.len() - 1;
        let mut at = self.home(tag);
        loop {
            let (position, t) = self.slots[at];
            if position == EMPTY {
                return None;
            }
            if t == tag && name_of(position) == key {
                return Some(position);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds the entry at `position`, named `key` (not in the index yet).
    pub(crate) fn insert(&mut self, key: &str, position: u32) {
        self.reserve(1);
        self.place(position, Index::tag(key));
        self.len += 1;
    }

    fn place(&mut self, position: u32, tag: u32) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(tag);
        while self.slots[at].0 != EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = (position, tag);
    }

    /// Room for `n` more keys.
    pub(crate) fn reserve(&mut self, n: usize) {
        let wanted = self.len.saturating_add(n);
        if wanted.saturating_mul(4) <= self.slots.len() * 3 {
            return;
        }
        let size = wanted
            .saturating_mul(4)
            .div_ceil(3)
            .next_power_of_two()
            .max(16);
        let old = std::mem::replace(&mut self.slots, vec![(EMPTY, 0); size]);
        for (position, tag) in old {
            if position != EMPTY {
                self.place(position, tag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key_and_no_other_through_growth() {
        let names: Vec<String> = (0..10_000).map(|i| format!("XQ7{i:08}")).collect();
        let mut index = Index::default();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.find(name, |p| &names[p as usize]), None);
            index.insert(name, i as u32);
        }
        assert!(index.slots.len() >= 10_000 * 4 / 3 && index.slots.len().is_power_of_two());
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.find(name, |p| &names[p as usize]), Some(i as u32));
        }
        assert_eq!(index.find("XQ700000000x", |p| &names[p as usize]), None);
        assert_eq!(index.find("", |p| &names[p as usize]), None);
    }
}
