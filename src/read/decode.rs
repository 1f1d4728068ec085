//! The first bytes of a file: what it is (text in which encoding, or a
//! binary format), and turning UTF-16 into UTF-8 as chunks arrive.
//!
//! UTF-8 passes through untouched (the common case costs nothing).
//! Windows-1252 is not converted here: it is only known when bytes are not
//! valid UTF-8, so each cell is decoded on its own when it is read
//! ([`cell_text`]).

use std::borrow::Cow;

/// What the first bytes say a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// Text: UTF-8 (or Windows-1252), BOM already skipped.
    Utf8,
    /// UTF-16, little or big endian (Excel's "Unicode text" is LE).
    Utf16 { little_endian: bool },
    /// A binary format, named for the message.
    Binary(&'static str),
}

/// How many bytes [`sniff`] needs to decide (fewer only at the end of a file).
pub const SNIFF_BYTES: usize = 8;

/// Decides what a file is from its first bytes. Returns the kind and how
/// many bytes of BOM to skip.
pub fn sniff(head: &[u8]) -> (Sniffed, usize) {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (an XLSX workbook is one)"),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Excel (.xls) or other Office file",
        ),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"{\\rtf", "an RTF document"),
        (b"\x7FELF", "a program"),
    ];
    if head.starts_with(b"\xEF\xBB\xBF") {
        return (Sniffed::Utf8, 3);
    }
    if head.starts_with(b"\xFF\xFE") {
        return (
            Sniffed::Utf16 {
                little_endian: true,
            },
            2,
        );
    }
    if head.starts_with(b"\xFE\xFF") {
        return (
            Sniffed::Utf16 {
                little_endian: false,
            },
            2,
        );
    }
    for (magic, what) in MAGIC {
        if head.starts_with(magic) {
            return (Sniffed::Binary(what), 0);
        }
    }
    // UTF-16 without BOM: ASCII text with every other byte zero.
    if head.len() >= 4 {
        let even_zero = head.iter().step_by(2).all(|&b| b == 0);
        let odd_zero = head.iter().skip(1).step_by(2).all(|&b| b == 0);
        let even_text = head.iter().step_by(2).all(|&b| b != 0);
        let odd_text = head.iter().skip(1).step_by(2).all(|&b| b != 0);
        if odd_zero && even_text {
            return (
                Sniffed::Utf16 {
                    little_endian: true,
                },
                0,
            );
        }
        if even_zero && odd_text {
            return (
                Sniffed::Utf16 {
                    little_endian: false,
                },
                0,
            );
        }
    }
    (Sniffed::Utf8, 0)
}

/// Streaming UTF-16 to UTF-8: keeps an odd byte and a high surrogate across
/// chunk boundaries, so any chunking gives the same text.
#[derive(Debug)]
pub struct Utf16Decoder {
    little_endian: bool,
    odd_byte: Option<u8>,
    high_surrogate: Option<u16>,
    /// Unpaired surrogates or a lone last byte were replaced by U+FFFD.
    pub replaced: bool,
}

impl Utf16Decoder {
    /// A decoder for one byte order.
    pub fn new(little_endian: bool) -> Utf16Decoder {
        Utf16Decoder {
            little_endian,
            odd_byte: None,
            high_surrogate: None,
            replaced: false,
        }
    }

    /// Decodes `input`, appending UTF-8 to `out`.
    pub fn decode(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len());
        if let Some(first) = self.odd_byte.take() {
            match input.split_first() {
                Some((&second, rest)) => {
                    self.unit(self.join(first, second), out);
                    input = rest;
                }
                None => {
                    self.odd_byte = Some(first);
                    return;
                }
            }
        }
        let mut pairs = input.chunks_exact(2);
        for pair in &mut pairs {
            let unit = self.join(pair[0], pair[1]);
            if unit < 0x80 && self.high_surrogate.is_none() {
                out.push(unit as u8);
            } else {
                self.unit(unit, out);
            }
        }
        if let [last] = pairs.remainder() {
            self.odd_byte = Some(*last);
        }
    }

    /// The end of the file: anything left over is replaced.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.odd_byte.take().is_some() || self.high_surrogate.take().is_some() {
            self.push_char('\u{FFFD}', out);
            self.replaced = true;
        }
    }

    fn join(&self, a: u8, b: u8) -> u16 {
        if self.little_endian {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    }

    fn unit(&mut self, unit: u16, out: &mut Vec<u8>) {
        if let Some(high) = self.high_surrogate.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.push_char(char::from_u32(c).unwrap_or('\u{FFFD}'), out);
                return;
            }
            self.push_char('\u{FFFD}', out);
            self.replaced = true;
        }
        match unit {
            0xD800..=0xDBFF => self.high_surrogate = Some(unit),
            0xDC00..=0xDFFF => {
                self.push_char('\u{FFFD}', out);
                self.replaced = true;
            }
            _ => self.push_char(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'), out),
        }
    }

    fn push_char(&self, c: char, out: &mut Vec<u8>) {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

/// The text of one cell: UTF-8 when the bytes are UTF-8, else Windows-1252
/// (what Excel writes as "CSV" on US Windows). The flag says which.
pub fn cell_text(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (
            Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
            true,
        ),
    }
}

/// One Windows-1252 byte as a character.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_binaries() {
        assert_eq!(sniff(b"\xEF\xBB\xBFEntry"), (Sniffed::Utf8, 3));
        assert_eq!(
            sniff(b"\xFF\xFEE\0n\0"),
            (
                Sniffed::Utf16 {
                    little_endian: true
                },
                2
            )
        );
        assert_eq!(
            sniff(b"\xFE\xFF\0E\0n"),
            (
                Sniffed::Utf16 {
                    little_endian: false
                },
                2
            )
        );
        assert_eq!(
            sniff(b"E\0n\0t\0r\0"),
            (
                Sniffed::Utf16 {
                    little_endian: true
                },
                0
            )
        );
        assert_eq!(sniff(b"%PDF-1.7"), (Sniffed::Binary("a PDF document"), 0));
        assert!(matches!(
            sniff(b"PK\x03\x04\x14\0\x06\0").0,
            Sniffed::Binary(_)
        ));
        assert_eq!(sniff(b"Entry Su"), (Sniffed::Utf8, 0));
        assert_eq!(sniff(b""), (Sniffed::Utf8, 0));
    }

    #[test]
    fn utf16_survives_any_split() {
        let text = "Entry,Name\r\nXQ7,Zoë 😀 Ltd\r\n";
        for little_endian in [true, false] {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if little_endian {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            for size in 1..=7 {
                let mut d = Utf16Decoder::new(little_endian);
                let mut out = Vec::new();
                for chunk in bytes.chunks(size) {
                    d.decode(chunk, &mut out);
                }
                d.finish(&mut out);
                assert_eq!(String::from_utf8(out).unwrap(), text, "chunk {size}");
                assert!(!d.replaced);
            }
        }
    }

    #[test]
    fn broken_utf16_is_replaced_not_lost() {
        let mut d = Utf16Decoder::new(true);
        let mut out = Vec::new();
        d.decode(&[0x00, 0xD8, b'A', 0, b'B'], &mut out);
        d.finish(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FFFD}A\u{FFFD}");
        assert!(d.replaced);
    }

    #[test]
    fn cells_fall_back_to_windows_1252() {
        assert_eq!(cell_text(b"Caf\xC3\xA9"), (Cow::Borrowed("Café"), false));
        let (text, converted) = cell_text(b"Caf\xE9 \x80");
        assert_eq!(text, "Café €");
        assert!(converted);
    }
}
