//! SHA-256 fingerprints of the files read and written (issue 25): an
//! auditor asks which file was checked; the fingerprint answers it, and
//! `sha256sum` gives the same value.

use sha2::{Digest, Sha256};

/// A file's fingerprint, computed as its bytes go by.
#[derive(Clone, Debug, Default)]
pub struct Fingerprint {
    hasher: Sha256,
    bytes: u64,
    /// Some of the file's bytes did not go by (a helper read them): no
    /// fingerprint can be given.
    partial: bool,
}

impl Fingerprint {
    /// Adds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
    }

    /// Bytes of the file were not seen here.
    pub fn mark_partial(&mut self) {
        self.partial = true;
    }

    /// The bytes seen.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The SHA-256 in lowercase hex, as `sha256sum` prints it (none when
    /// bytes went elsewhere).
    pub fn finish(self) -> Option<String> {
        (!self.partial).then(|| hex(&self.hasher.finalize()))
    }
}

/// The SHA-256 of `bytes`, lowercase hex.
///
/// ```
/// use cape_check::output::fingerprint::sha256_hex;
/// assert_eq!(
///     sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// A writer that fingerprints what it passes on.
pub struct Fingerprinted<W> {
    pub inner: W,
    pub fingerprint: Fingerprint,
}

impl<W: std::io::Write> std::io::Write for Fingerprinted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.fingerprint.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fed_in_pieces_it_is_the_fingerprint_of_the_whole() {
        let text = b"ENTRY_NUMBER\r\nXQ710042173\r\n".repeat(1000);
        let mut f = Fingerprint::default();
        for piece in text.chunks(7) {
            f.update(piece);
        }
        assert_eq!(f.bytes(), text.len() as u64);
        assert_eq!(f.finish(), Some(sha256_hex(&text)));
        // The empty file, as sha256sum gives it.
        assert_eq!(
            Fingerprint::default().finish().unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let mut partial = Fingerprint::default();
        partial.update(b"abc");
        partial.mark_partial();
        assert_eq!(partial.finish(), None);
    }
}
