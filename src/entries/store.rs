//! The entries of a book, in order of first appearance, kept in chunks of
//! a fixed size: the book grows without ever copying itself into a buffer
//! twice its size (a million entries would briefly need both), and once
//! handed over each chunk is freed as soon as its entries are judged.

use super::state::EntryState;
use std::ops::{Index, IndexMut};

/// Entries a chunk.
const CHUNK: usize = 1 << 14;

#[derive(Debug, Default)]
pub struct Entries {
    chunks: Vec<Vec<EntryState>>,
    len: usize,
}

impl Entries {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, e: EntryState) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(e),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(e);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = &EntryState> {
        self.chunks.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut EntryState> {
        self.chunks.iter_mut().flatten()
    }
}

impl Index<usize> for Entries {
    type Output = EntryState;
    fn index(&self, i: usize) -> &EntryState {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl IndexMut<usize> for Entries {
    fn index_mut(&mut self, i: usize) -> &mut EntryState {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

/// The entries in order, each chunk freed once its last entry is taken.
pub struct IntoIter {
    chunks: std::vec::IntoIter<Vec<EntryState>>,
    current: std::vec::IntoIter<EntryState>,
    left: usize,
}

impl Iterator for IntoIter {
    type Item = EntryState;

    fn next(&mut self) -> Option<EntryState> {
        loop {
            if let Some(e) = self.current.next() {
                self.left -= 1;
                return Some(e);
            }
            self.current = self.chunks.next()?.into_iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Entries {
    type Item = EntryState;
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter {
            chunks: self.chunks.into_iter(),
            current: Vec::new().into_iter(),
            left: self.len,
        }
    }
}
