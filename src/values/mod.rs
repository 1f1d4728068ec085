//! Stage 1: the domain's values, each parsed from a cell as written and
//! normalised the way CBP compares them. They depend on nothing else in the
//! crate.

pub mod account;
pub mod date;
pub mod entry_number;
pub mod hts;
pub mod importer_number;
pub mod money;
pub mod shared;
pub mod text;

/// Sorts a short list stably by `before` (insertion sort). Each instance of
/// the standard library's sorts costs the browser's module 10 to 20 KB of
/// code; the lists sorted this way hold tens of items (downloads, finding
/// codes, one entry's appearances), so the quadratic time is nothing.
///
/// ```
/// let mut v = [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
/// cape_check::values::sort_short(&mut v, |a, b| a.0 < b.0);
/// assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
/// ```
pub fn sort_short<T>(list: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..list.len() {
        let mut j = i;
        while j > 0 && before(&list[j], &list[j - 1]) {
            list.swap(j - 1, j);
            j -= 1;
        }
    }
}
