//! HEIC/HEIF photos (the default of many phones) are read by libheif's
//! `heif-convert` (Debian's `libheif-examples`), run as a separate process with a
//! memory and time limit, into a JPEG that then goes through [`super::photo`] like
//! any other upload. libheif turns the image upright itself (HEIF keeps the
//! rotation in its container), so the EXIF orientation is not applied a second time.
//! Without `heif-convert`, a HEIC upload is refused with a message that says to send
//! it as JPEG (docs/media.md).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::ImageFormat;

use super::photo::{self, Photo, PhotoError};

/// Longest a conversion may run.
pub const DEADLINE: Duration = Duration::from_secs(20);
/// Address space the converter may take.
const MEMORY: &str = "2000000000";

fn converter() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("heif-convert"))
        .find(|p| p.is_file())
}

/// Whether HEIC photos can be read here.
pub fn available() -> bool {
    converter().is_some()
}

/// Converts and processes a HEIC photo.
pub fn process(bytes: &[u8]) -> Result<Photo, PhotoError> {
    let jpeg = convert(bytes)?;
    photo::process_as(&jpeg, ImageFormat::Jpeg, false)
}

fn convert(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let tool = converter().ok_or(PhotoError::HeicUnavailable)?;
    let name = crate::util::random_token(12).map_err(|_| PhotoError::Damaged)?;
    let dir = std::env::temp_dir().join(format!("convene-heic-{name}"));
    std::fs::create_dir(&dir).map_err(|_| PhotoError::Damaged)?;
    let result = convert_in(&tool, &dir, bytes);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn convert_in(tool: &PathBuf, dir: &std::path::Path, bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let input = dir.join("in.heic");
    let output = dir.join("out.jpg");
    std::fs::write(&input, bytes).map_err(|_| PhotoError::Damaged)?;
    let mut cmd = if std::path::Path::new("/usr/bin/prlimit").is_file() {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(format!("--as={MEMORY}")).arg("--").arg(tool);
        c
    } else {
        Command::new(tool)
    };
    let mut child = cmd
        .arg("-q")
        .arg("95")
        .arg(&input)
        .arg(&output)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| PhotoError::HeicUnavailable)?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() < DEADLINE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PhotoError::Damaged);
            }
        }
    };
    if !status.success() {
        return Err(PhotoError::Damaged);
    }
    // A file with several top-level images (a burst) gives one output each, numbered
    // from 1; the first is taken.
    let output = if output.is_file() {
        output
    } else {
        dir.join("out-1.jpg")
    };
    let meta = std::fs::metadata(&output).map_err(|_| PhotoError::Damaged)?;
    if meta.len() > photo::MAX_UPLOAD * 8 {
        return Err(PhotoError::TooLarge {
            width: 0,
            height: 0,
        });
    }
    std::fs::read(&output).map_err(|_| PhotoError::Damaged)
}
