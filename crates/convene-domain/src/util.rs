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
