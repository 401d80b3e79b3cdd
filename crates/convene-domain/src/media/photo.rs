//! Photos: every upload is decoded, turned upright by its EXIF orientation and
//! encoded anew as JPEG at a few widths. Nothing of the uploaded file but its
//! pixels survives: EXIF (GPS position, camera, time), XMP, IPTC, ICC profiles and
//! comments are never copied, because the output is written from pixels alone.
//!
//! Pure: no database, no clock. Memory is bounded before decoding: the header's
//! dimensions are checked against [`MAX_PIXELS`] and the decoder is given an
//! allocation limit, so a small file that declares a huge image is refused
//! without the image being allocated.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// The widths stored and offered in `srcset` (a smaller original keeps its own).
pub const WIDTHS: [u32; 4] = [160, 320, 800, 1600];
/// The largest image decoded (50 megapixels: every phone camera's photos).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Longest side decoded.
pub const MAX_SIDE: u32 = 16_384;
/// Largest upload accepted, refused before its body is read.
pub const MAX_UPLOAD: u64 = 25 * 1024 * 1024;
/// JPEG quality of the stored widths.
pub const QUALITY: u8 = 80;

/// What the bytes of an upload are, by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    WebP,
    /// HEIF/HEIC from phones; read by the converter of [`super::heic`].
    Heic,
}

/// Why a photo cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a photo in a known format")]
    NotAnImage,
    #[error("the image is damaged or cut short")]
    Damaged,
    #[error("the image is too large ({width} × {height})")]
    TooLarge { width: u32, height: u32 },
    #[error("HEIC photos cannot be read on this server")]
    HeicUnavailable,
}

impl PhotoError {
    /// The message key of the user's translated message.
    pub fn key(&self) -> &'static str {
        match self {
            PhotoError::NotAnImage => "media-error-not-image",
            PhotoError::Damaged => "media-error-damaged",
            PhotoError::TooLarge { .. } => "media-error-too-large",
            PhotoError::HeicUnavailable => "media-error-heic",
        }
    }
}

/// One stored width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// A processed photo: its upright size and its widths, smallest first.
#[derive(Debug, Clone)]
pub struct Photo {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// Recognises an upload by its first bytes (never by its name or declared type).
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Kind::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Kind::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(Kind::WebP);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1",
        ]
        .iter()
        .any(|b| brand == *b)
        {
            return Some(Kind::Heic);
        }
    }
    None
}

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    // The decoded image (at most 4 bytes a pixel) and the decoder's own buffers.
    l.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    l
}

/// Decodes, turns upright and re-encodes a JPEG, PNG or WebP photo at every width
/// of [`WIDTHS`] up to its own.
pub fn process(bytes: &[u8]) -> Result<Photo, PhotoError> {
    let format = match sniff(bytes).ok_or(PhotoError::NotAnImage)? {
        Kind::Jpeg if !jpeg_is_whole(bytes) => return Err(PhotoError::Damaged),
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::WebP => ImageFormat::WebP,
        Kind::Heic => return super::heic::process(bytes),
    };
    process_as(bytes, format, true)
}

/// [`process`] for a format already known; `orient` applies the file's EXIF
/// orientation (a converter that has already turned the image says no).
pub(crate) fn process_as(
    bytes: &[u8],
    format: ImageFormat,
    orient: bool,
) -> Result<Photo, PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(PhotoError::Damaged);
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooLarge {
            width: w,
            height: h,
        });
    }
    let orientation = if orient {
        decoder.orientation().ok()
    } else {
        None
    };
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let rgb = flatten(img);
    encode_widths(&rgb)
}

/// Whether a JPEG holds its end marker after its image data. Decoders fill a file
/// cut short in sending with grey and say nothing; a cut file is refused instead.
/// The segments before the image data (EXIF, whose thumbnail has an end marker of
/// its own) are stepped over by their lengths; in the image data a marker byte is
/// always followed by 0 or a restart number, so the end marker cannot appear by
/// chance.
pub fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let m = bytes[i + 1];
        if m == 0xFF {
            i += 1;
            continue;
        }
        if m == 0xDA {
            return bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 {
            return false;
        }
        i += 2 + len;
    }
    false
}

fn classify(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge {
            width: 0,
            height: 0,
        },
        image::ImageError::Unsupported(_) => PhotoError::NotAnImage,
        _ => PhotoError::Damaged,
    }
}

/// Three channels of 8 bits; transparency is laid over white.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            let v = (u16::from(p[c]) * a + 255 * (255 - a) + 127) / 255;
            o[c] = v.min(255) as u8;
        }
    }
    out
}

fn encode(img: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(img)
        .map_err(|_| PhotoError::Damaged)?;
    Ok(out)
}

/// Encodes every width from the largest down, each made from the one above it, so
/// the full image is filtered once.
fn encode_widths(full: &RgbImage) -> Result<Photo, PhotoError> {
    let (w, h) = full.dimensions();
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|x| *x < w).collect();
    if widths.len() < WIDTHS.len() {
        // The original's own width, when smaller than the largest offered.
        widths.push(w);
    }
    let mut variants = Vec::with_capacity(widths.len());
    let mut source: Option<RgbImage> = None;
    for &tw in widths.iter().rev() {
        let th = ((u64::from(h) * u64::from(tw) + u64::from(w) / 2) / u64::from(w)).max(1) as u32;
        let from = source.as_ref().unwrap_or(full);
        let scaled = if tw == from.width() {
            from.clone()
        } else {
            image::imageops::resize(from, tw, th, FilterType::Triangle)
        };
        variants.push(Variant {
            width: tw,
            height: th,
            jpeg: encode(&scaled)?,
        });
        source = Some(scaled);
    }
    variants.reverse();
    Ok(Photo {
        width: w,
        height: h,
        variants,
    })
}

/// Pixels of `jpeg` for tests and checks: width, height and RGB bytes.
pub fn decode_rgb(jpeg: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    let img = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).ok()?;
    let rgb = img.into_rgb8();
    Some((rgb.width(), rgb.height(), rgb.into_raw()))
}
