//! Encryption of personal data at rest and keyed hashes.
//!
//! One 32-byte master key lives in a key file outside the database (created on first
//! start with mode 0600). Sub-keys are derived from it with HMAC-SHA256 under fixed
//! labels, one per purpose, so that no key is used for two jobs. Personal data is sealed
//! with XChaCha20-Poly1305; the associated data binds each ciphertext to the column it
//! belongs to, so a ciphertext moved to another column fails to open.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::util::random_bytes;

type HmacSha256 = Hmac<Sha256>;

const KEY_FILE_HEADER: &str = "convene-key-v1:";

/// The keys derived from the master key.
#[derive(Clone)]
pub struct Keyring {
    seal: [u8; 32],
    lookup: [u8; 32],
    audit: [u8; 32],
    csrf: [u8; 32],
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring(..)")
    }
}

fn derive(master: &[u8], label: &str) -> Result<[u8; 32]> {
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(master).map_err(|_| Error::Crypto("bad master key"))?;
    mac.update(label.as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

impl Keyring {
    pub fn from_master(master: &[u8]) -> Result<Self> {
        if master.len() != 32 {
            return Err(Error::KeyFile("the key must be 32 bytes".into()));
        }
        Ok(Keyring {
            seal: derive(master, "convene/seal/v1")?,
            lookup: derive(master, "convene/lookup/v1")?,
            audit: derive(master, "convene/audit/v1")?,
            csrf: derive(master, "convene/csrf/v1")?,
        })
    }

    /// Loads the key file, creating it (mode 0600) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        if path.exists() {
            return Self::load(path);
        }
        let (keys, master) = Self::random()?;
        Self::write_new(path, &master)?;
        Ok(keys)
    }

    /// A new random key, not yet written anywhere: the master key is returned for
    /// [`Keyring::write_new`].
    pub fn random() -> Result<(Self, Vec<u8>)> {
        let master = random_bytes(32)?;
        Ok((Self::from_master(&master)?, master))
    }

    /// Writes a new key file (mode 0600), creating its folder.
    pub fn write_new(path: &Path, master: &[u8]) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::KeyFile(format!("cannot create {}: {e}", dir.display())))?;
        }
        let text = format!("{KEY_FILE_HEADER}{}\n", hex::encode(master));
        write_private(path, text.as_bytes())
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::KeyFile(format!("cannot read {}: {e}", path.display())))?;
        let hexkey = text.trim().strip_prefix(KEY_FILE_HEADER).ok_or_else(|| {
            Error::KeyFile(format!("{} is not a Convene key file", path.display()))
        })?;
        let master = hex::decode(hexkey)
            .map_err(|_| Error::KeyFile(format!("{} is damaged", path.display())))?;
        Self::from_master(&master)
    }

    /// Encrypts `plain`, bound to `context` (e.g. `"contact.name"`). Output: nonce ‖ ciphertext.
    pub fn seal(&self, context: &str, plain: &str) -> Result<Vec<u8>> {
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let nonce_bytes = random_bytes(24)?;
        let nonce = XNonce::from_slice(&nonce_bytes);
        let ct = cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Crypto("encryption failed"))?;
        let mut out = nonce_bytes;
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`Keyring::seal`] produced under the same context.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<String> {
        if sealed.len() < 24 {
            return Err(Error::Crypto("ciphertext too short"));
        }
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let (nonce, ct) = sealed.split_at(24);
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Crypto("decryption failed: wrong key or tampered data"))?;
        String::from_utf8(plain).map_err(|_| Error::Crypto("decrypted data is not text"))
    }

    /// Keyed hash for look-ups of encrypted values (phone numbers).
    pub fn lookup_hash(&self, context: &str, value: &str) -> Result<String> {
        mac_hex(&self.lookup, &[context.as_bytes(), b"\0", value.as_bytes()])
    }

    /// Keyed hash chaining the audit log.
    pub fn audit_mac(&self, parts: &[&[u8]]) -> Result<String> {
        mac_hex(&self.audit, parts)
    }

    /// Keyed hash for CSRF tokens.
    pub fn csrf_mac(&self, binding: &str) -> Result<String> {
        mac_hex(&self.csrf, &[binding.as_bytes()])
    }
}

fn mac_hex(key: &[u8; 32], parts: &[&[u8]]) -> Result<String> {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).map_err(|_| Error::Crypto("bad key"))?;
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p);
    }
    Ok(hex::encode(mac.finalize().into_bytes()))
}

#[cfg(unix)]
fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::KeyFile(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(data)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::KeyFile(format!("cannot write {}: {e}", path.display())))
}

#[cfg(not(unix))]
fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data)
        .map_err(|e| Error::KeyFile(format!("cannot write {}: {e}", path.display())))
}

/// Normalises a phone number for hashing: digits only, with a leading `+` kept.
pub fn normalise_phone(raw: &str) -> String {
    let trimmed = raw.trim();
    let plus = trimmed.starts_with('+') || trimmed.starts_with("00");
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = if trimmed.starts_with("00") {
        digits[2..].to_string()
    } else {
        digits
    };
    if plus {
        format!("+{digits}")
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::from_master(&[7u8; 32]).unwrap()
    }

    #[test]
    fn seal_round_trip_and_context_binding() {
        let k = ring();
        let c = k.seal("contact.name", "Amina Yusufzai").unwrap();
        assert!(!c.windows(5).any(|w| w == b"Amina"));
        assert_eq!(k.open("contact.name", &c).unwrap(), "Amina Yusufzai");
        assert!(k.open("contact.email", &c).is_err());
        let mut t = c.clone();
        let last = t.len() - 1;
        t[last] ^= 1;
        assert!(k.open("contact.name", &t).is_err());
        let other = Keyring::from_master(&[8u8; 32]).unwrap();
        assert!(other.open("contact.name", &c).is_err());
    }

    #[test]
    fn key_file_is_private_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("convene.key");
        let a = Keyring::load_or_create(&p).unwrap();
        let b = Keyring::load_or_create(&p).unwrap();
        let sealed = a.seal("x", "secret").unwrap();
        assert_eq!(b.open("x", &sealed).unwrap(), "secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::write(&p, "garbage").unwrap();
        assert!(Keyring::load(&p).is_err());
    }

    #[test]
    fn phone_normalisation() {
        assert_eq!(normalise_phone("+92 300-123 4567"), "+923001234567");
        assert_eq!(normalise_phone("0092 300 1234567"), "+923001234567");
        assert_eq!(normalise_phone("0300 1234567"), "03001234567");
        let k = ring();
        assert_eq!(
            k.lookup_hash("phone", &normalise_phone("+92 300 1234567"))
                .unwrap(),
            k.lookup_hash("phone", &normalise_phone("0092-300-1234567"))
                .unwrap()
        );
    }
}
