//! The entries of a book, in order of first appearance, in chunks (see
//! [`crate::chunked`]): handed over to be judged, each chunk is freed as
//! soon as its entries are.

use super::state::EntryState;
use crate::chunked::Chunked;

pub type Entries = Chunked<EntryState>;
