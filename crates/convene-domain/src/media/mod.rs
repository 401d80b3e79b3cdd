//! The media pipeline, one for every feature that shows pictures (campaign updates
//! now; calls to action and dialogue reports later).
//!
//! - [`photo`] turns an upload into upright JPEGs at a few widths, keeping nothing
//!   of the file but its pixels (no EXIF, GPS, XMP).
//! - The store keeps a medium beside the record it illustrates (`media.record_id`):
//!   the record's visibility, and any rule of its feature such as an embargo, is the
//!   medium's. The feature checks that rule and then asks for the bytes here; these
//!   functions are crate-private so that no page reaches media another way.
//! - Bytes are sealed (encrypted at rest like every other value that could harm
//!   someone) in chunks of [`CHUNK`] bytes, so a range of a large file is read
//!   without the rest, and every server of a deployment serves what another stored.

pub mod heic;
pub mod photo;
#[doc(hidden)]
pub mod sample;
pub mod tool;
pub mod video;

use serde::Serialize;
use sqlx::Row;

use crate::error::{Error, Result};
use crate::storage::{int, text, Db};
use crate::util::now;

/// Bytes per sealed chunk.
pub const CHUNK: usize = 256 * 1024;
/// Longest alt text.
pub const MAX_ALT: usize = 500;
const CHUNK_CTX: &str = "media_chunks.bytes";

/// A stored medium, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Medium {
    pub id: i64,
    pub record_id: i64,
    pub kind: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    /// The variants' names and sizes (width, height), smallest first.
    pub variants: Vec<VariantInfo>,
}

/// One stored variant of a medium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantInfo {
    pub name: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub size: i64,
}

impl Medium {
    fn images(&self) -> impl Iterator<Item = &VariantInfo> {
        self.variants
            .iter()
            .filter(|v| v.mime.starts_with("image/"))
    }

    /// The image (a photo's width, a video's poster) at least `w` pixels wide, or the
    /// widest.
    pub fn at_least(&self, w: i64) -> Option<&VariantInfo> {
        self.images()
            .find(|v| v.width >= w)
            .or_else(|| self.images().last())
    }

    /// The smallest image (the low-bandwidth preview).
    pub fn smallest(&self) -> Option<&VariantInfo> {
        self.images().next()
    }

    /// The images, smallest first (for `srcset`).
    pub fn image_variants(&self) -> Vec<&VariantInfo> {
        self.images().collect()
    }

    pub fn is_video(&self) -> bool {
        self.kind == "video"
    }

    /// A video's stripped file.
    pub fn video(&self) -> Option<&VariantInfo> {
        self.variants.iter().find(|v| v.name == "video")
    }

    /// A video's captions (WebVTT), when given.
    pub fn captions(&self) -> Option<&VariantInfo> {
        self.variants.iter().find(|v| v.name == "captions")
    }

    /// A video's low-bitrate version, once made.
    pub fn low(&self) -> Option<&VariantInfo> {
        self.variants.iter().find(|v| v.name == "low")
    }
}

/// The record a medium illustrates, its space, and who adds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner {
    pub space_id: i64,
    pub record_id: i64,
    pub by: Option<i64>,
}

/// A stored file to send in pieces (a video, for range requests), obtained only
/// through a feature's access check.
#[derive(Debug, Clone)]
pub struct Stream {
    variant_id: i64,
    pub mime: String,
    pub size: i64,
}

/// A variant's bytes, ready to serve.
#[derive(Debug, Clone)]
pub struct Bytes {
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// The frame size an MP4's first video track declares (its `tkhd` box), or 0 × 0.
fn low_size(mp4: &[u8]) -> (u32, u32) {
    // tkhd: … width and height are the last 8 bytes, 16.16 fixed point.
    let Some(at) = mp4.windows(4).position(|w| w == b"tkhd") else {
        return (0, 0);
    };
    let start = at.saturating_sub(4);
    let len = mp4
        .get(start..start + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .unwrap_or(0);
    let end = start + len;
    match mp4.get(end.saturating_sub(8)..end) {
        Some(b) if len >= 92 => (
            u32::from_be_bytes([b[0], b[1], b[2], b[3]]) >> 16,
            u32::from_be_bytes([b[4], b[5], b[6], b[7]]) >> 16,
        ),
        _ => (0, 0),
    }
}

/// The name of a photo's variant of width `w`.
pub fn width_name(w: u32) -> String {
    format!("w{w}")
}

impl Db {
    /// Adds the row of a medium of `owner`'s record, last in its order.
    async fn insert_medium_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        owner: Owner,
        kind: &str,
        alt: &str,
        (w, h): (u32, u32),
    ) -> Result<i64> {
        let pos = sqlx::query(
            "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM media WHERE record_id = $1",
        )
        .bind(owner.record_id)
        .fetch_one(&mut **tx)
        .await?;
        let row = sqlx::query(
            "INSERT INTO media (space_id, record_id, kind, alt, width, height, position, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(owner.space_id)
        .bind(owner.record_id)
        .bind(kind)
        .bind(alt)
        .bind(i64::from(w))
        .bind(i64::from(h))
        .bind(int(&pos, "p")?)
        .bind(owner.by)
        .bind(now())
        .fetch_one(&mut **tx)
        .await?;
        int(&row, "id")
    }

    /// Stores a processed photo for `owner`'s record, in the caller's transaction
    /// (the caller has checked the right to change the record). Returns the
    /// medium's id.
    pub(crate) async fn store_photo_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        owner: Owner,
        alt: &str,
        p: &photo::Photo,
    ) -> Result<i64> {
        let id = self
            .insert_medium_in(tx, owner, "photo", alt, (p.width, p.height))
            .await?;
        for v in &p.variants {
            self.store_variant_in(
                tx,
                id,
                &width_name(v.width),
                "image/jpeg",
                (v.width, v.height),
                &v.jpeg,
            )
            .await?;
        }
        Ok(id)
    }

    async fn store_variant_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        media_id: i64,
        name: &str,
        mime: &str,
        (w, h): (u32, u32),
        bytes: &[u8],
    ) -> Result<()> {
        let chunks = bytes.chunks(CHUNK).count().max(1);
        let row = sqlx::query(
            "INSERT INTO media_variants (media_id, name, mime, width, height, size, chunks)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(media_id)
        .bind(name)
        .bind(mime)
        .bind(i64::from(w))
        .bind(i64::from(h))
        .bind(bytes.len() as i64)
        .bind(chunks as i64)
        .fetch_one(&mut **tx)
        .await?;
        let vid = int(&row, "id")?;
        let mut parts: Vec<&[u8]> = bytes.chunks(CHUNK).collect();
        if parts.is_empty() {
            parts.push(&[]);
        }
        for (seq, part) in parts.into_iter().enumerate() {
            let sealed = self.keys.seal_bytes(CHUNK_CTX, part)?;
            sqlx::query(
                "INSERT INTO media_chunks (variant_id, seq, bytes_enc) VALUES ($1, $2, $3)",
            )
            .bind(vid)
            .bind(seq as i64)
            .bind(sealed)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Stores a prepared video (its stripped file, its poster's widths and its
    /// captions) for `owner`'s record, in the caller's transaction, and queues its
    /// low-bitrate version.
    pub(crate) async fn store_video_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        owner: Owner,
        alt: &str,
        v: &video::Prepared,
        captions: Option<&str>,
    ) -> Result<i64> {
        let id = self
            .insert_medium_in(tx, owner, "video", alt, (v.width, v.height))
            .await?;
        for p in &v.poster.variants {
            self.store_variant_in(
                tx,
                id,
                &width_name(p.width),
                "image/jpeg",
                (p.width, p.height),
                &p.jpeg,
            )
            .await?;
        }
        self.store_variant_in(
            tx,
            id,
            "video",
            v.container.mime(),
            (v.width, v.height),
            &v.bytes,
        )
        .await?;
        if let Some(c) = captions {
            self.store_variant_in(tx, id, "captions", "text/vtt", (0, 0), c.as_bytes())
                .await?;
        }
        sqlx::query("INSERT INTO jobs (kind, payload, run_at) VALUES ('video_low', $1, $2)")
            .bind(id.to_string())
            .bind(now())
            .execute(&mut **tx)
            .await?;
        Ok(id)
    }

    /// A stored variant to send in pieces, when medium `media_id` illustrates
    /// `record_id` (the caller has checked that the viewer may see that record).
    pub(crate) async fn media_stream(
        &self,
        record_id: i64,
        media_id: i64,
        name: &str,
    ) -> Result<Stream> {
        let v = sqlx::query(
            "SELECT v.id, v.mime, v.size FROM media_variants v JOIN media m ON m.id = v.media_id
             WHERE m.id = $1 AND m.record_id = $2 AND v.name = $3",
        )
        .bind(media_id)
        .bind(record_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        Ok(Stream {
            variant_id: int(&v, "id")?,
            mime: text(&v, "mime")?,
            size: int(&v, "size")?,
        })
    }

    /// Chunk `seq` of a stream ([`CHUNK`] bytes, the last one shorter).
    pub async fn media_chunk(&self, s: &Stream, seq: i64) -> Result<Vec<u8>> {
        let row =
            sqlx::query("SELECT bytes_enc FROM media_chunks WHERE variant_id = $1 AND seq = $2")
                .bind(s.variant_id)
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(Error::NotFound)?;
        let sealed: Vec<u8> = row.try_get("bytes_enc")?;
        self.keys.open_bytes(CHUNK_CTX, &sealed)
    }

    /// The `video_low` job: makes the low-bitrate version of video `media_id` (once;
    /// a second run finds it made). Without ffmpeg, nothing is made and the page
    /// offers the stripped file only.
    pub(crate) async fn make_low_video(&self, media_id: i64) -> Result<()> {
        let row = sqlx::query(
            "SELECT v.id, v.size,
                    (SELECT COUNT(*) FROM media_variants l WHERE l.media_id = v.media_id AND l.name = 'low') AS made
             FROM media_variants v WHERE v.media_id = $1 AND v.name = 'video'",
        )
        .bind(media_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(()); // removed since
        };
        if int(&row, "made")? > 0 || !video::available() {
            return Ok(());
        }
        let s = Stream {
            variant_id: int(&row, "id")?,
            mime: String::new(),
            size: int(&row, "size")?,
        };
        let dir = tool::WorkDir::new("video").ok_or(Error::Internal("no work directory".into()))?;
        {
            use std::io::Write;
            let mut f = std::fs::File::create(dir.path().join("in.bin"))
                .map_err(|e| Error::Internal(e.to_string()))?;
            let chunks = (s.size + CHUNK as i64 - 1) / CHUNK as i64;
            for seq in 0..chunks.max(1) {
                f.write_all(&self.media_chunk(&s, seq).await?)
                    .map_err(|e| Error::Internal(e.to_string()))?;
            }
        }
        let path = dir.path().to_path_buf();
        let low = tokio::task::spawn_blocking(move || video::low_version(&path, "in.bin"))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(|e| Error::Internal(e.to_string()))?;
        drop(dir);
        let (w, h) = low_size(&low);
        let mut tx = self.pool.begin().await?;
        let exists =
            sqlx::query("SELECT id FROM media_variants WHERE media_id = $1 AND name = 'low'")
                .bind(media_id)
                .fetch_optional(&mut *tx)
                .await?;
        let still = sqlx::query("SELECT id FROM media WHERE id = $1")
            .bind(media_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() && still.is_some() {
            self.store_variant_in(&mut tx, media_id, "low", "video/mp4", (w, h), &low)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The media of these records, in their order, with their variants.
    pub(crate) async fn media_of(&self, record_ids: &[i64]) -> Result<Vec<Medium>> {
        if record_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = record_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows = sqlx::query(&format!(
            "SELECT m.id, m.record_id, m.kind, m.alt, m.width, m.height,
                    v.name, v.mime, v.width AS vw, v.height AS vh, v.size
             FROM media m JOIN media_variants v ON v.media_id = m.id
             WHERE m.record_id IN ({list})
             ORDER BY m.record_id, m.position, m.id, v.width, v.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Medium> = Vec::new();
        for r in &rows {
            let id = int(r, "id")?;
            if out.last().map(|m| m.id) != Some(id) {
                out.push(Medium {
                    id,
                    record_id: int(r, "record_id")?,
                    kind: text(r, "kind")?,
                    alt: text(r, "alt")?,
                    width: int(r, "width")?,
                    height: int(r, "height")?,
                    variants: Vec::new(),
                });
            }
            if let Some(m) = out.last_mut() {
                m.variants.push(VariantInfo {
                    name: text(r, "name")?,
                    mime: text(r, "mime")?,
                    width: int(r, "vw")?,
                    height: int(r, "vh")?,
                    size: int(r, "size")?,
                });
            }
        }
        Ok(out)
    }

    /// A variant's bytes, when medium `media_id` illustrates `record_id` (the caller
    /// has checked that the viewer may see that record).
    pub(crate) async fn media_bytes(
        &self,
        record_id: i64,
        media_id: i64,
        name: &str,
    ) -> Result<Bytes> {
        let v = sqlx::query(
            "SELECT v.id, v.mime, v.size FROM media_variants v JOIN media m ON m.id = v.media_id
             WHERE m.id = $1 AND m.record_id = $2 AND v.name = $3",
        )
        .bind(media_id)
        .bind(record_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let vid = int(&v, "id")?;
        let size = int(&v, "size")?;
        let chunks =
            sqlx::query("SELECT bytes_enc FROM media_chunks WHERE variant_id = $1 ORDER BY seq")
                .bind(vid)
                .fetch_all(&self.pool)
                .await?;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        for c in &chunks {
            let sealed: Vec<u8> = c.try_get("bytes_enc")?;
            bytes.extend_from_slice(&self.keys.open_bytes(CHUNK_CTX, &sealed)?);
        }
        if bytes.len() as i64 != size {
            return Err(Error::Crypto("a stored medium is incomplete"));
        }
        Ok(Bytes {
            mime: text(&v, "mime")?,
            bytes,
        })
    }

    /// Removes a medium of `record_id`, in the caller's transaction; whether it was
    /// there.
    pub(crate) async fn delete_medium_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        record_id: i64,
        media_id: i64,
    ) -> Result<bool> {
        let r = sqlx::query("DELETE FROM media WHERE id = $1 AND record_id = $2")
            .bind(media_id)
            .bind(record_id)
            .execute(&mut **tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }
}
