//! Video: MP4 (and QuickTime from phones) or WebM, handed to Debian's `ffmpeg`
//! ([`super::tool`]: a separate process under a memory and time limit).
//!
//! - **Checked** by `ffprobe`: a video stream, a known container, at most
//!   [`MAX_SECONDS`] long.
//! - **Stripped** by a remux without re-encoding: every container-level and
//!   stream-level metadata item (QuickTime's `©xyz` location atom, Apple's
//!   `com.apple.quicktime.location.ISO6709`, make, model, software, creation time),
//!   chapters and every stream but the first video and audio are dropped, and for
//!   H.264 the SEI units (where encoders write their own notes) too. MP4 and QuickTime
//!   come out as MP4 (`+faststart`, so playback starts before the whole file is
//!   there), WebM as WebM.
//! - **A poster**: one frame, through the photo pipeline.
//! - **A low-bitrate version** (H.264 at 360 lines or fewer, about 300 kbit/s, mono
//!   AAC at 48 kbit/s) is made afterwards by a background job, since it takes longer
//!   than a request should.
//!
//! Without `ffmpeg` on the server, video uploads are refused with a message that
//! says so (docs/media.md); photos are unaffected.

use std::path::Path;
use std::time::Duration;

use image::ImageFormat;

use super::photo::{self, Photo};
use super::tool::{self, ToolError};

/// Largest video accepted, refused before its body is read.
pub const MAX_UPLOAD: u64 = 100 * 1024 * 1024;
/// Longest video accepted.
pub const MAX_SECONDS: f64 = 600.0;
/// Longest the checks, the remux and the poster may take together.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// Longest the low-bitrate version may take.
pub const LOW_DEADLINE: Duration = Duration::from_secs(280);
/// Height of the low-bitrate version (at most; a smaller video keeps its own).
pub const LOW_HEIGHT: u32 = 360;

/// A video container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Mp4,
    WebM,
}

impl Container {
    pub fn mime(self) -> &'static str {
        match self {
            Container::Mp4 => "video/mp4",
            Container::WebM => "video/webm",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::WebM => "webm",
        }
    }
}

/// Why a video cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VideoError {
    #[error("not a video in a known format")]
    NotAVideo,
    #[error("the video is damaged or cut short")]
    Damaged,
    #[error("the video is too long")]
    TooLong,
    #[error("videos cannot be processed on this server")]
    Unavailable,
    #[error("the video took too long to process")]
    TooSlow,
    #[error("the captions are not a WebVTT file")]
    Captions,
}

impl VideoError {
    pub fn key(&self) -> &'static str {
        match self {
            VideoError::NotAVideo => "media-error-not-video",
            VideoError::Damaged => "media-error-video-damaged",
            VideoError::TooLong => "media-error-video-long",
            VideoError::Unavailable => "media-error-video-unavailable",
            VideoError::TooSlow => "upload-too-slow",
            VideoError::Captions => "media-error-captions",
        }
    }
}

/// Largest captions file.
pub const MAX_CAPTIONS: usize = 256 * 1024;

/// Checks a captions file: WebVTT (UTF-8, its `WEBVTT` header, at least one cue
/// with a `-->` timing line), at most [`MAX_CAPTIONS`] bytes. Returns the text, with
/// a byte-order mark removed. Browsers show it as text, never as markup.
pub fn check_captions(bytes: &[u8]) -> Result<String, VideoError> {
    if bytes.len() > MAX_CAPTIONS {
        return Err(VideoError::Captions);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| VideoError::Captions)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_ok = text
        .lines()
        .next()
        .is_some_and(|l| l == "WEBVTT" || l.starts_with("WEBVTT ") || l.starts_with("WEBVTT\t"));
    if !header_ok || !text.lines().any(|l| l.contains("-->")) {
        return Err(VideoError::Captions);
    }
    Ok(text.to_string())
}

/// Recognises a video by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Container> {
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some(Container::WebM);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        let photo = [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif",
        ];
        if !photo.iter().any(|b| brand == *b) {
            return Some(Container::Mp4);
        }
    }
    None
}

/// Whether videos can be processed here.
pub fn available() -> bool {
    tool::find("ffmpeg").is_some() && tool::find("ffprobe").is_some()
}

/// A video ready to store: the stripped file, its size and length, and its poster.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub container: Container,
    pub width: u32,
    pub height: u32,
    pub duration_ms: i64,
    pub bytes: Vec<u8>,
    pub poster: Photo,
    pub codec: String,
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn map_tool(e: ToolError) -> VideoError {
    match e {
        ToolError::Missing => VideoError::Unavailable,
        ToolError::TooSlow => VideoError::TooSlow,
        ToolError::Failed => VideoError::Damaged,
    }
}

/// What `ffprobe` says of the file: container names, first video stream's codec and
/// size, duration in seconds.
fn probe(dir: &Path, file: &str) -> Result<(String, String, u32, u32, f64), VideoError> {
    let out = tool::run(
        "ffprobe",
        &[
            os("-v"),
            os("error"),
            os("-protocol_whitelist"),
            os("file"),
            os("-print_format"),
            os("json"),
            os("-show_format"),
            os("-show_streams"),
            os(file),
        ],
        dir,
        Duration::from_secs(20),
    )
    .map_err(map_tool)?;
    let v: serde_json::Value = serde_json::from_slice(&out).map_err(|_| VideoError::Damaged)?;
    let format = v["format"]["format_name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    // The container's length, else the video stream's; a length that is not a
    // finite number is refused (and the remux is cut at the limit besides).
    let stream_duration = v["streams"].as_array().and_then(|s| {
        s.iter()
            .find(|s| s["codec_type"] == "video")
            .and_then(|s| s["duration"].as_str())
            .and_then(|d| d.parse::<f64>().ok())
    });
    let duration = v["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse::<f64>().ok())
        .or(stream_duration)
        .unwrap_or(0.0);
    if !duration.is_finite() || duration < 0.0 {
        return Err(VideoError::Damaged);
    }
    let stream = v["streams"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["codec_type"] == "video"))
        .ok_or(VideoError::NotAVideo)?;
    let codec = stream["codec_name"].as_str().unwrap_or("").to_string();
    let w = stream["width"].as_u64().unwrap_or(0) as u32;
    let h = stream["height"].as_u64().unwrap_or(0) as u32;
    if w == 0 || h == 0 {
        return Err(VideoError::Damaged);
    }
    Ok((format, codec, w, h, duration))
}

/// Checks, strips and gives a poster to the video in `dir/input` (blocking: run it
/// off the request threads).
pub fn prepare(dir: &Path, input: &str) -> Result<Prepared, VideoError> {
    let head = {
        use std::io::Read;
        let mut f = std::fs::File::open(dir.join(input)).map_err(|_| VideoError::Damaged)?;
        let mut b = [0u8; 16];
        let n = f.read(&mut b).map_err(|_| VideoError::Damaged)?;
        b[..n].to_vec()
    };
    let container = sniff(&head).ok_or(VideoError::NotAVideo)?;
    if !available() {
        return Err(VideoError::Unavailable);
    }
    let (format, codec, w, h, duration) = probe(dir, input)?;
    let known = match container {
        Container::Mp4 => format.contains("mp4") || format.contains("mov"),
        Container::WebM => format.contains("webm") || format.contains("matroska"),
    };
    if !known {
        return Err(VideoError::NotAVideo);
    }
    if duration > MAX_SECONDS {
        return Err(VideoError::TooLong);
    }
    let out = format!("stripped.{}", container.extension());
    let mut args: Vec<&std::ffi::OsStr> = vec![
        os("-v"),
        os("error"),
        os("-nostdin"),
        os("-y"),
        os("-protocol_whitelist"),
        os("file"),
        os("-i"),
        os(input),
        // `V`: a video stream that is not an attached picture (cover art keeps EXIF).
        os("-map"),
        os("0:V:0"),
        os("-map"),
        os("0:a:0?"),
        os("-map_metadata"),
        os("-1"),
        os("-map_metadata:s"),
        os("-1"),
        os("-map_chapters"),
        os("-1"),
        os("-t"),
        os("600"),
        os("-c"),
        os("copy"),
        os("-fflags"),
        os("+bitexact"),
    ];
    // SEI units (H.264 type 6, HEVC types 39 and 40) and AV1 metadata units (type 5)
    // carry encoders' and devices' notes.
    match codec.as_str() {
        "h264" => args.extend([os("-bsf:v"), os("filter_units=remove_types=6")]),
        "hevc" => args.extend([os("-bsf:v"), os("filter_units=remove_types=39|40")]),
        "av1" => args.extend([os("-bsf:v"), os("filter_units=remove_types=5")]),
        _ => {}
    }
    if container == Container::Mp4 {
        args.extend([os("-movflags"), os("+faststart"), os("-f"), os("mp4")]);
    } else {
        args.extend([os("-f"), os("webm")]);
    }
    args.push(os(&out));
    tool::run("ffmpeg", &args, dir, DEADLINE).map_err(map_tool)?;
    let at = format!("{:.2}", (duration / 2.0).min(1.0));
    tool::run(
        "ffmpeg",
        &[
            os("-v"),
            os("error"),
            os("-nostdin"),
            os("-y"),
            os("-ss"),
            os(&at),
            os("-i"),
            os(&out),
            os("-frames:v"),
            os("1"),
            os("-q:v"),
            os("3"),
            os("-f"),
            os("image2"),
            os("-c:v"),
            os("mjpeg"),
            os("poster.jpg"),
        ],
        dir,
        Duration::from_secs(20),
    )
    .map_err(map_tool)?;
    let poster_jpeg = std::fs::read(dir.join("poster.jpg")).map_err(|_| VideoError::Damaged)?;
    let poster = photo::process_as(&poster_jpeg, ImageFormat::Jpeg, false)
        .map_err(|_| VideoError::Damaged)?;
    let bytes = std::fs::read(dir.join(&out)).map_err(|_| VideoError::Damaged)?;
    Ok(Prepared {
        container,
        width: w,
        height: h,
        duration_ms: (duration * 1000.0) as i64,
        bytes,
        poster,
        codec,
    })
}

/// The low-bitrate version of the (already stripped) video in `dir/input`: MP4,
/// H.264 at [`LOW_HEIGHT`] lines or fewer (blocking).
pub fn low_version(dir: &Path, input: &str) -> Result<Vec<u8>, VideoError> {
    let scale = format!("scale=-2:'min({LOW_HEIGHT},ih)'");
    tool::run(
        "ffmpeg",
        &[
            os("-v"),
            os("error"),
            os("-nostdin"),
            os("-y"),
            os("-i"),
            os(input),
            os("-map"),
            os("0:v:0"),
            os("-map"),
            os("0:a:0?"),
            os("-map_metadata"),
            os("-1"),
            os("-map_metadata:s"),
            os("-1"),
            os("-map_chapters"),
            os("-1"),
            os("-vf"),
            os(&scale),
            os("-c:v"),
            os("libx264"),
            os("-preset"),
            os("veryfast"),
            os("-b:v"),
            os("300k"),
            os("-maxrate"),
            os("350k"),
            os("-bufsize"),
            os("700k"),
            os("-pix_fmt"),
            os("yuv420p"),
            os("-x264-params"),
            os("threads=2"),
            os("-bsf:v"),
            os("filter_units=remove_types=6"),
            os("-c:a"),
            os("aac"),
            os("-b:a"),
            os("48k"),
            os("-ac"),
            os("1"),
            os("-fflags"),
            os("+bitexact"),
            os("-movflags"),
            os("+faststart"),
            os("-f"),
            os("mp4"),
            os("low.mp4"),
        ],
        dir,
        LOW_DEADLINE,
    )
    .map_err(map_tool)?;
    std::fs::read(dir.join("low.mp4")).map_err(|_| VideoError::Damaged)
}
