//! HEIC/HEIF photos (the default of many phones) are read by libheif's
//! `heif-convert` (Debian's `libheif-examples`), run as a separate process with a
//! memory and time limit ([`super::tool`]), into a JPEG that then goes through
//! [`super::photo`] like any other upload. libheif turns the image upright itself
//! (HEIF keeps the rotation in its container), so the EXIF orientation is not
//! applied a second time. Without `heif-convert`, a HEIC upload is refused with a
//! message that says to send it as JPEG (docs/media.md).

use std::time::Duration;

use image::ImageFormat;

use super::photo::{self, Photo, PhotoError};
use super::tool::{self, ToolError, WorkDir};

/// Longest a conversion may run.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Whether HEIC photos can be read here.
pub fn available() -> bool {
    tool::find("heif-convert").is_some()
}

/// Converts and processes a HEIC photo.
pub fn process(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if !available() {
        return Err(PhotoError::HeicUnavailable);
    }
    let dir = WorkDir::new("heic").ok_or(PhotoError::Damaged)?;
    std::fs::write(dir.path().join("in.heic"), bytes).map_err(|_| PhotoError::Damaged)?;
    match tool::run(
        "heif-convert",
        &[
            "-q".as_ref(),
            "95".as_ref(),
            "in.heic".as_ref(),
            "out.jpg".as_ref(),
        ],
        dir.path(),
        DEADLINE,
    ) {
        Ok(_) => {}
        Err(ToolError::Missing) => return Err(PhotoError::HeicUnavailable),
        Err(_) => return Err(PhotoError::Damaged),
    }
    // A file with several top-level images (a burst) gives one output each, numbered
    // from 1; the first is taken.
    let out = ["out.jpg", "out-1.jpg"]
        .iter()
        .map(|n| dir.path().join(n))
        .find(|p| p.is_file())
        .ok_or(PhotoError::Damaged)?;
    let meta = std::fs::metadata(&out).map_err(|_| PhotoError::Damaged)?;
    if meta.len() > photo::MAX_UPLOAD * 8 {
        return Err(PhotoError::TooLarge {
            width: 0,
            height: 0,
        });
    }
    let jpeg = std::fs::read(&out).map_err(|_| PhotoError::Damaged)?;
    photo::process_as(&jpeg, ImageFormat::Jpeg, false)
}
