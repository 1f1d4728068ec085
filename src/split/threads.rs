//! A large CSV file read in parts on threads (the command line's
//! `--threads`), as the page reads one with workers: the main thread reads
//! the first part, each other thread a later one from a line start, and the
//! parts are joined in order ([`Audit::join_part`]); a part whose join is
//! refused is read again by the main thread. The report is the one reading
//! the file in one go gives, byte for byte (tests/threads.rs).

use super::PartAudit;
use crate::audit::Audit;
use crate::output::fingerprint::Fingerprint;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::{Duration, Instant};

/// A file is read in parts from this size.
pub const MIN_SPLIT_BYTES: u64 = 4 << 20;
/// And no part is smaller than this.
pub const MIN_PART_BYTES: u64 = 1 << 20;
/// Bytes read at a time.
const CHUNK: usize = 1 << 20;

/// How each part after the first was taken: joined (and how long the join
/// took), or read again here (`None`). Empty: the file was read in one go.
pub type Joins = Vec<Option<Duration>>;

/// Feeds the file at `path` to `audit` (its file begun), on up to `threads`
/// threads, and computes its fingerprint. Says how each part was taken.
pub fn feed_file(audit: &mut Audit, path: &Path, threads: usize) -> io::Result<Joins> {
    feed_file_split(audit, path, threads, MIN_SPLIT_BYTES, MIN_PART_BYTES)
}

/// [`feed_file`] with its sizes given: a file of `min_split` bytes or more
/// is read in parts of at least `min_part` bytes (the tests split small
/// files at many points).
pub fn feed_file_split(
    audit: &mut Audit,
    path: &Path,
    threads: usize,
    min_split: u64,
    min_part: u64,
) -> io::Result<Joins> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let parts = if threads > 1 && size >= min_split {
        threads.min((size / min_part.max(1)) as usize)
    } else {
        1
    };
    if parts < 2 {
        stream(&mut file, 0, size, |chunk| audit.feed(chunk))?;
        return Ok(Vec::new());
    }
    let mut starts = Vec::with_capacity(parts - 1);
    for k in 1..parts as u64 {
        if let Some(start) = line_start_after(&mut file, size * k / parts as u64)? {
            if starts.last().is_none_or(|&last| start > last) && start < size {
                starts.push(start);
            }
        }
    }
    std::thread::scope(|scope| -> io::Result<Joins> {
        // The fingerprint of the whole file, read again on a thread of its
        // own: the audit's own sees only the bytes read here.
        let hashing = scope.spawn(|| -> io::Result<String> {
            let mut f = Fingerprint::default();
            stream(&mut File::open(path)?, 0, size, |chunk| f.update(chunk))?;
            Ok(f.finish().unwrap_or_default())
        });
        let first_end = starts.first().copied().unwrap_or(size);
        // The first part, until the header is known (the spec helpers need).
        let mut spec = None;
        let mut at = 0;
        file.seek(SeekFrom::Start(0))?;
        while at < first_end && spec.is_none() {
            let n = read_some(&mut file, first_end - at, |chunk| audit.feed(chunk))?;
            at += n;
            spec = audit.part_spec();
        }
        let helpers: Vec<_> = match &spec {
            Some(spec) => starts
                .iter()
                .enumerate()
                .map(|(k, &start)| {
                    let end = starts.get(k + 1).copied();
                    let spec = spec.clone();
                    scope.spawn(move || -> io::Result<Option<Vec<u8>>> {
                        let Some(mut part) = PartAudit::starting_at(&spec, start) else {
                            return Ok(None);
                        };
                        let mut f = File::open(path)?;
                        stream(&mut f, start, end.unwrap_or(size), |chunk| part.feed(chunk))?;
                        Ok(Some(match end {
                            Some(_) => part.finish_at_cut(),
                            None => part.finish(),
                        }))
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        stream(&mut file, at, first_end, |chunk| audit.feed(chunk))?;
        let mut joins = Vec::with_capacity(starts.len());
        let mut helpers = helpers.into_iter();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(size);
            let found = match helpers.next() {
                Some(helper) => helper
                    .join()
                    .map_err(|_| io::Error::other("a reading thread stopped"))??,
                None => None,
            };
            let joining = Instant::now();
            if found.is_some_and(|part| audit.join_part(&part).is_ok()) {
                joins.push(Some(joining.elapsed()));
            } else {
                joins.push(None);
                stream(&mut file, start, end, |chunk| audit.feed(chunk))?;
            }
        }
        let sha = hashing
            .join()
            .map_err(|_| io::Error::other("the fingerprint's thread stopped"))??;
        audit.set_fingerprint(sha);
        Ok(joins)
    })
}

/// Streams bytes [start, end) of `file` to `feed`, a chunk at a time.
fn stream(file: &mut File, start: u64, end: u64, mut feed: impl FnMut(&[u8])) -> io::Result<()> {
    file.seek(SeekFrom::Start(start))?;
    let mut at = start;
    while at < end {
        let n = read_some(file, end - at, &mut feed)?;
        if n == 0 {
            break; // the file shrank: what is there is read
        }
        at += n;
    }
    Ok(())
}

/// Reads up to a chunk (at most `left` bytes) from where `file` stands and
/// feeds it; gives the bytes read (0 at the file's end).
fn read_some(file: &mut File, left: u64, mut feed: impl FnMut(&[u8])) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK.min(left as usize)];
    let n = loop {
        match file.read(&mut buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if n > 0 {
        feed(&buf[..n]);
    }
    Ok(n as u64)
}

/// Where the line after the first `\n` at or after byte `at` starts.
fn line_start_after(file: &mut File, at: u64) -> io::Result<Option<u64>> {
    file.seek(SeekFrom::Start(at))?;
    let mut buf = [0u8; 1 << 16];
    let mut offset = at;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(Some(offset + i as u64 + 1));
        }
        offset += n as u64;
    }
}
