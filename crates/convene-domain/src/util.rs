//! Small helpers: clocks, random tokens, hashing of tokens.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `n` bytes from the operating system's random source.
pub fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|_| Error::Crypto("random source unavailable"))?;
    Ok(buf)
}

/// A URL-safe random token with `bytes * 8` bits of entropy.
pub fn random_token(bytes: usize) -> Result<String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(bytes)?))
}

/// Hex SHA-256 of a token; used to store session tokens and recovery codes.
pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

/// Folds digits of other scripts (Arabic-Indic, Extended Arabic-Indic, Devanagari,
/// Bengali, fullwidth) to ASCII, so that "۳" reads as "3".
pub fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            let base = match c {
                '\u{0660}'..='\u{0669}' => Some(0x0660),
                '\u{06F0}'..='\u{06F9}' => Some(0x06F0),
                '\u{0966}'..='\u{096F}' => Some(0x0966),
                '\u{09E6}'..='\u{09EF}' => Some(0x09E6),
                '\u{FF10}'..='\u{FF19}' => Some(0xFF10),
                _ => None,
            };
            match base {
                Some(b) => char::from_u32('0' as u32 + (c as u32 - b)).unwrap_or(c),
                None => match c {
                    '\u{066B}' => '.',
                    '\u{060C}' | '\u{066C}' => ',',
                    _ => c,
                },
            }
        })
        .collect()
}

/// A word of a text message as a keyword or answer is compared: trimmed of spaces
/// and punctuation (the Urdu full stop included), lower case.
pub fn clean_word(w: &str) -> String {
    w.trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '۔')
        .to_lowercase()
}

/// The language of a reply to a text that carries no language of its own: Urdu when
/// it is written in Arabic script, else English.
pub fn reply_language(text: &str) -> &'static str {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        "ur"
    } else {
        "en"
    }
}
