//! A list kept in chunks of a fixed size, for the lists that hold one item
//! an entry (the entry book, the report's entries): it grows without ever
//! copying itself into a buffer twice its size (a million entries would
//! briefly need both), and when consumed in order each chunk is freed as
//! soon as its last item is taken, so that one list can be turned into
//! another (the book into the report) with the memory of the larger, not
//! of both.

use serde::{Serialize, Serializer};
use std::ops::{Index, IndexMut};

/// Items a chunk.
const CHUNK: usize = 1 << 14;

#[derive(Debug, Clone)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(item),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(item);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.chunks.iter_mut().flatten()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Chunked<T> {
        let mut list = Chunked::default();
        for item in items {
            list.push(item);
        }
        list
    }
}

impl<T: Serialize> Serialize for Chunked<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The items in order, each chunk freed once its last item is taken.
pub struct IntoIter<T> {
    chunks: std::vec::IntoIter<Vec<T>>,
    current: std::vec::IntoIter<T>,
    left: usize,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.current.next() {
                self.left -= 1;
                return Some(item);
            }
            self.current = self.chunks.next()?.into_iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

impl<T> IntoIterator for Chunked<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            chunks: self.chunks.into_iter(),
            current: Vec::new().into_iter(),
            left: self.len,
        }
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_across_chunks_and_frees_as_it_goes() {
        let list: Chunked<usize> = (0..CHUNK * 2 + 5).collect();
        assert_eq!(list.len(), CHUNK * 2 + 5);
        assert_eq!(list[CHUNK], CHUNK);
        assert_eq!(list[CHUNK * 2 + 4], CHUNK * 2 + 4);
        assert!(list.iter().copied().eq(0..CHUNK * 2 + 5));
        let mut taken = list.into_iter();
        assert_eq!(taken.len(), CHUNK * 2 + 5);
        assert_eq!(taken.nth(CHUNK), Some(CHUNK));
        // The first chunk's buffer was dropped when the second was entered.
        assert_eq!(taken.chunks.len(), 1);
        assert_eq!(taken.len(), CHUNK + 4);
    }
}
