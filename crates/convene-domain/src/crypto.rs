//! Encryption of personal data at rest and keyed hashes.
//!
//! One 32-byte master key lives in a key file outside the database (created on first
//! start with mode 0600). Sub-keys are derived from it with HMAC-SHA256 under fixed
//! labels, one per purpose, so that no key is used for two jobs. Personal data is sealed
//! with XChaCha20-Poly1305; the associated data binds each ciphertext to the column it
//! belongs to, so a ciphertext moved to another column fails to open.
//!
//! **Key rotation.** The sealing key can be replaced (`convene key rotate`, see
//! [`crate::rotation`]). The key file then also holds further sealing keys, each with a
//! number, and names the one that seals:
//!
//! ```text
//! convene-key-v1:<64 hex digits: the master key>
//! seal-key 2 <64 hex digits>
//! active-seal-key 2
//! ```
//!
//! Key 1 is derived from the master key; a value sealed under it is `nonce ‖ ciphertext`
//! (the format from before rotation existed). A value sealed under key N ≥ 2 starts
//! with a marker and N. Every key in the file opens what it sealed, so old values stay
//! readable until a rotation has re-sealed them. A server notices within a second
//! that its key file changed, and at once when it meets a key number it does not know,
//! so servers sharing a key file follow a rotation without a restart. The keyed hashes
//! (look-ups, the audit chain, CSRF tokens) stay derived from the master key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::util::random_bytes;

type HmacSha256 = Hmac<Sha256>;

const KEY_FILE_HEADER: &str = "convene-key-v1:";
const SEAL_KEY_LINE: &str = "seal-key";
const ACTIVE_LINE: &str = "active-seal-key";
/// Starts a value sealed under a numbered key (N ≥ 2), followed by N (4 bytes).
const MARKER: [u8; 2] = [0xC5, 0x4B];
const NONCE: usize = 24;
const TAG: usize = 16;
/// How often a server looks whether its key file changed.
const RECHECK: Duration = Duration::from_secs(1);

/// The sealing keys, by number, and the one that seals.
#[derive(Clone)]
struct SealKeys {
    keys: BTreeMap<u32, [u8; 32]>,
    active: u32,
}

/// Where the sealing keys came from, to notice when the file changes.
struct Source {
    path: PathBuf,
    stamp: Mutex<(Instant, Option<(SystemTime, u64)>)>,
}

/// The keys derived from the master key, and the sealing keys.
#[derive(Clone)]
pub struct Keyring {
    seal: Arc<RwLock<SealKeys>>,
    source: Option<Arc<Source>>,
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

/// A key file's contents: the master key and the numbered sealing keys.
struct KeyFile {
    master: Vec<u8>,
    extra: BTreeMap<u32, [u8; 32]>,
    active: u32,
}

impl KeyFile {
    fn parse(path: &Path, text: &str) -> Result<KeyFile> {
        let damaged = || Error::KeyFile(format!("{} is damaged", path.display()));
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("");
        let hexkey = first.strip_prefix(KEY_FILE_HEADER).ok_or_else(|| {
            Error::KeyFile(format!("{} is not a Convene key file", path.display()))
        })?;
        let master = hex::decode(hexkey).map_err(|_| damaged())?;
        let mut extra = BTreeMap::new();
        let mut active = 1;
        for line in lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [SEAL_KEY_LINE, n, key] => {
                    let n: u32 = n.parse().map_err(|_| damaged())?;
                    let key: [u8; 32] = hex::decode(key)
                        .ok()
                        .and_then(|k| k.try_into().ok())
                        .ok_or_else(damaged)?;
                    if n < 2 || extra.insert(n, key).is_some() {
                        return Err(damaged());
                    }
                }
                [ACTIVE_LINE, n] => active = n.parse().map_err(|_| damaged())?,
                _ => return Err(damaged()),
            }
        }
        if active != 1 && !extra.contains_key(&active) {
            return Err(damaged());
        }
        Ok(KeyFile {
            master,
            extra,
            active,
        })
    }

    fn text(&self) -> String {
        let mut s = format!("{KEY_FILE_HEADER}{}\n", hex::encode(&self.master));
        for (n, k) in &self.extra {
            s.push_str(&format!("{SEAL_KEY_LINE} {n} {}\n", hex::encode(k)));
        }
        if self.active != 1 {
            s.push_str(&format!("{ACTIVE_LINE} {}\n", self.active));
        }
        s
    }

    fn read(path: &Path) -> Result<KeyFile> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::KeyFile(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(path, &text)
    }

    fn seal_keys(&self) -> Result<SealKeys> {
        let mut keys = self.extra.clone();
        keys.insert(1, derive(&self.master, "convene/seal/v1")?);
        Ok(SealKeys {
            keys,
            active: self.active,
        })
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl Keyring {
    pub fn from_master(master: &[u8]) -> Result<Self> {
        Self::from_file(
            KeyFile {
                master: master.to_vec(),
                extra: BTreeMap::new(),
                active: 1,
            },
            None,
        )
    }

    fn from_file(file: KeyFile, source: Option<Arc<Source>>) -> Result<Self> {
        let master = &file.master;
        if master.len() != 32 {
            return Err(Error::KeyFile("the key must be 32 bytes".into()));
        }
        Ok(Keyring {
            seal: Arc::new(RwLock::new(file.seal_keys()?)),
            source,
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
        let (_, master) = Self::random()?;
        Self::write_new(path, &master)?;
        Self::load(path)
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
        let before = stamp(path);
        let file = KeyFile::read(path)?;
        let source = Arc::new(Source {
            path: path.to_path_buf(),
            stamp: Mutex::new((Instant::now(), before)),
        });
        Self::from_file(file, Some(source))
    }

    /// Reads the sealing keys from the key file again when it changed (`force`: at
    /// once; otherwise at most once a second). A file that cannot be read leaves the
    /// keys as they were.
    fn refresh(&self, force: bool) {
        let Some(src) = &self.source else { return };
        let mut st = src.stamp.lock().unwrap_or_else(|e| e.into_inner());
        if !force && st.0.elapsed() < RECHECK {
            return;
        }
        st.0 = Instant::now();
        let now = stamp(&src.path);
        if now == st.1 && !force {
            return;
        }
        match KeyFile::read(&src.path).and_then(|f| f.seal_keys()) {
            Ok(keys) => {
                st.1 = now;
                let mut w = self.seal.write().unwrap_or_else(|e| e.into_inner());
                // Keys are only ever added while a server runs; one that is gone from
                // the file (retired) stays known until the next start.
                let mut merged = w.keys.clone();
                merged.extend(keys.keys);
                *w = SealKeys {
                    keys: merged,
                    active: keys.active,
                };
            }
            Err(e) => tracing::warn!(error = %e, "the key file could not be read again"),
        }
    }

    /// Reads the key file again now (a rotation just added a key).
    pub fn reload(&self) {
        self.refresh(true);
    }

    /// The first bytes of every value sealed under key `n` ≥ 2.
    pub fn prefix_of_key(n: u32) -> [u8; 6] {
        let b = n.to_be_bytes();
        [MARKER[0], MARKER[1], b[0], b[1], b[2], b[3]]
    }

    /// The number of the key a sealed value names (1 when it names none), without
    /// opening it.
    pub fn key_of(sealed: &[u8]) -> u32 {
        Self::named_key(sealed).map_or(1, |(n, _)| n)
    }

    fn snapshot(&self) -> SealKeys {
        self.seal.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The number of the key that seals new values.
    pub fn active_key(&self) -> u32 {
        self.refresh(false);
        self.seal.read().unwrap_or_else(|e| e.into_inner()).active
    }

    /// The numbers of the sealing keys this keyring holds.
    pub fn key_numbers(&self) -> Vec<u32> {
        self.snapshot().keys.keys().copied().collect()
    }

    /// Encrypts `plain`, bound to `context` (e.g. `"contact.name"`), under the active
    /// key: nonce ‖ ciphertext for key 1, marker ‖ N ‖ nonce ‖ ciphertext for key N.
    pub fn seal(&self, context: &str, plain: &str) -> Result<Vec<u8>> {
        self.seal_bytes(context, plain.as_bytes())
    }

    /// [`Keyring::seal`] for bytes that are not text (media).
    pub fn seal_bytes(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>> {
        self.refresh(false);
        let keys = self.snapshot();
        self.seal_under(&keys, keys.active, context, plain)
    }

    fn seal_under(&self, keys: &SealKeys, n: u32, context: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let key = keys
            .keys
            .get(&n)
            .ok_or(Error::Crypto("no such sealing key"))?;
        let cipher = XChaCha20Poly1305::new(key.into());
        let nonce_bytes = random_bytes(NONCE)?;
        let nonce = XNonce::from_slice(&nonce_bytes);
        let ct = cipher
            .encrypt(
                nonce,
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Crypto("encryption failed"))?;
        let mut out = Vec::with_capacity(6 + NONCE + ct.len());
        if n != 1 {
            out.extend_from_slice(&MARKER);
            out.extend_from_slice(&n.to_be_bytes());
        }
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// The key number a sealed value names, when it names one (marker and number);
    /// otherwise key 1.
    fn named_key(sealed: &[u8]) -> Option<(u32, &[u8])> {
        if sealed.len() >= 6 + NONCE + TAG && sealed[..2] == MARKER {
            let n = u32::from_be_bytes([sealed[2], sealed[3], sealed[4], sealed[5]]);
            if n >= 2 {
                return Some((n, &sealed[6..]));
            }
        }
        None
    }

    fn open_with(key: &[u8; 32], context: &str, body: &[u8]) -> Option<Vec<u8>> {
        if body.len() < NONCE {
            return None;
        }
        let cipher = XChaCha20Poly1305::new(key.into());
        let (nonce, ct) = body.split_at(NONCE);
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .ok()
    }

    /// Decrypts what [`Keyring::seal`] produced under the same context, with
    /// whichever key sealed it; returns the text and that key's number.
    pub fn open_numbered(&self, context: &str, sealed: &[u8]) -> Result<(String, u32)> {
        let (plain, n) = self.open_bytes_numbered(context, sealed)?;
        text(plain).map(|t| (t, n))
    }

    /// [`Keyring::open_numbered`] for bytes that are not text.
    pub fn open_bytes_numbered(&self, context: &str, sealed: &[u8]) -> Result<(Vec<u8>, u32)> {
        if sealed.len() < NONCE {
            return Err(Error::Crypto("ciphertext too short"));
        }
        let mut keys = self.snapshot();
        if let Some((n, body)) = Self::named_key(sealed) {
            if !keys.keys.contains_key(&n) {
                // Sealed by a server that already follows a newer key file.
                self.refresh(true);
                keys = self.snapshot();
            }
            if let Some(plain) = keys
                .keys
                .get(&n)
                .and_then(|k| Self::open_with(k, context, body))
            {
                return Ok((plain, n));
            }
        }
        // Key 1's format (a value of key 1 may begin with the marker by chance).
        match keys
            .keys
            .get(&1)
            .and_then(|k| Self::open_with(k, context, sealed))
        {
            Some(plain) => Ok((plain, 1)),
            None => Err(Error::Crypto(
                "decryption failed: wrong key or tampered data",
            )),
        }
    }

    /// Decrypts what [`Keyring::seal`] produced under the same context.
    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<String> {
        self.open_numbered(context, sealed).map(|(t, _)| t)
    }

    /// Decrypts what [`Keyring::seal_bytes`] produced under the same context.
    pub fn open_bytes(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        self.open_bytes_numbered(context, sealed).map(|(b, _)| b)
    }

    /// Re-seals `sealed` under key `n`: the new bytes, or `None` when it is sealed
    /// under `n` already.
    pub fn reseal(&self, context: &str, sealed: &[u8], n: u32) -> Result<Option<Vec<u8>>> {
        let (plain, was) = self.open_bytes_numbered(context, sealed)?;
        if was == n {
            return Ok(None);
        }
        let keys = self.snapshot();
        self.seal_under(&keys, n, context, &plain).map(Some)
    }

    /// Adds a new sealing key to the key file at `path` and makes it the one that seals
    /// (the file is replaced atomically, mode 0600). Returns its number.
    pub fn add_sealing_key(path: &Path) -> Result<u32> {
        let mut file = KeyFile::read(path)?;
        let n = file.extra.keys().next_back().copied().unwrap_or(1) + 1;
        let key: [u8; 32] = random_bytes(32)?
            .try_into()
            .map_err(|_| Error::Crypto("random key"))?;
        file.extra.insert(n, key);
        file.active = n;
        replace_private(path, file.text().as_bytes())?;
        Ok(n)
    }

    /// Removes from the key file at `path` every sealing key but `keep` and key 1 (which
    /// is derived from the master key, not stored). Returns the numbers removed.
    pub fn retire_sealing_keys(path: &Path, keep: u32) -> Result<Vec<u32>> {
        let mut file = KeyFile::read(path)?;
        let gone: Vec<u32> = file.extra.keys().copied().filter(|n| *n != keep).collect();
        file.extra.retain(|n, _| *n == keep);
        replace_private(path, file.text().as_bytes())?;
        Ok(gone)
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

fn text(plain: Vec<u8>) -> Result<String> {
    String::from_utf8(plain).map_err(|_| Error::Crypto("decrypted data is not text"))
}

/// Replaces `path` by a file with `data` (mode 0600) in one step: written beside it,
/// synced, then renamed over it.
fn replace_private(path: &Path, data: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".new");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, data)?;
    std::fs::rename(&tmp, path)
        .map_err(|e| Error::KeyFile(format!("cannot replace {}: {e}", path.display())))
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
    fn added_keys_seal_and_every_key_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("convene.key");
        Keyring::write_new(&p, &[9u8; 32]).unwrap();
        let a = Keyring::load(&p).unwrap();
        let old = a.seal("c", "under key 1").unwrap();
        assert_eq!(Keyring::key_of(&old), 1);
        assert_eq!(Keyring::add_sealing_key(&p).unwrap(), 2);
        // Another process that loaded the file before the key was added opens a value
        // sealed under it (it reads the file again), and follows the new active key.
        let b = Keyring::load(&p).unwrap();
        let new = b.seal("c", "under key 2").unwrap();
        assert_eq!(Keyring::key_of(&new), 2);
        assert_eq!(&new[..6], &Keyring::prefix_of_key(2));
        assert_eq!(a.open("c", &new).unwrap(), "under key 2");
        assert_eq!(b.open("c", &old).unwrap(), "under key 1");
        assert!(b.open("d", &new).is_err());
        a.reload();
        assert_eq!(a.active_key(), 2);
        let moved = a.reseal("c", &old, 2).unwrap().unwrap();
        assert_eq!(
            a.open_numbered("c", &moved).unwrap(),
            ("under key 1".into(), 2)
        );
        assert!(a.reseal("c", &moved, 2).unwrap().is_none());
        // A key-1 value that happens to begin with the marker still opens.
        let mut found = None;
        for _ in 0..2_000_000 {
            let v = a.seal_under(&a.snapshot(), 1, "c", b"x").unwrap();
            if v[..2] == MARKER {
                found = Some(v);
                break;
            }
        }
        let v = found.expect("a value starting with the marker");
        assert_eq!(a.open_numbered("c", &v).unwrap(), ("x".into(), 1));
        // The master key alone (an old key file) no longer opens key 2's values.
        let stale = Keyring::from_master(&[9u8; 32]).unwrap();
        assert!(stale.open("c", &new).is_err());
        // A damaged extra line is refused, naming the file.
        std::fs::write(
            &p,
            format!(
                "{}\nseal-key x y\n",
                std::fs::read_to_string(&p).unwrap().lines().next().unwrap()
            ),
        )
        .unwrap();
        assert!(Keyring::load(&p)
            .unwrap_err()
            .to_string()
            .contains("damaged"));
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
