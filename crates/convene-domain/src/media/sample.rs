//! Pictures made by code, for the demo and the tests: a simple landscape (no
//! photograph of anyone), and the metadata a phone writes into a photo (EXIF with
//! an orientation, camera and GPS position; an XMP block with the position again;
//! a comment), added to a JPEG byte by byte as a camera would.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// A landscape `w` × `h`: sky, sun, two ranges of hills and a road; `seed` varies
/// the colours and shapes.
pub fn landscape(w: u32, h: u32, seed: u32) -> RgbImage {
    let s = seed as f32;
    let mut img = RgbImage::new(w, h);
    let (wf, hf) = (w as f32, h as f32);
    let sun = (wf * (0.2 + 0.6 * ((s * 0.37).sin() * 0.5 + 0.5)), hf * 0.25);
    for y in 0..h {
        for x in 0..w {
            let (xf, yf) = (x as f32, y as f32);
            let t = yf / hf;
            let mut c = [
                (90.0 + 120.0 * t) as u8,
                (150.0 + 80.0 * t) as u8,
                (230.0 - 30.0 * t) as u8,
            ];
            let d = ((xf - sun.0).powi(2) + (yf - sun.1).powi(2)).sqrt();
            if d < hf * 0.08 {
                c = [255, 220, 120];
            }
            let far = hf * (0.55 + 0.08 * ((xf / wf) * 7.0 + s).sin());
            let near = hf * (0.7 + 0.06 * ((xf / wf) * 4.0 + s * 1.7).cos());
            if yf > far {
                c = [70, (110.0 + 10.0 * (s % 3.0)) as u8, 90];
            }
            if yf > near {
                c = [(60.0 + 60.0 * (yf - near) / hf) as u8, 140, 60];
                let road = (xf - wf * 0.5).abs() < (yf - near) * 0.6 + 2.0;
                if road {
                    c = [150, 140, 120];
                }
            }
            img.put_pixel(x, y, Rgb(c));
        }
    }
    img
}

/// [`landscape`] with grain, so that it compresses like a photograph (a 12-megapixel
/// one to a few megabytes) rather than like a drawing.
pub fn grainy(w: u32, h: u32, seed: u32) -> RgbImage {
    let mut img = landscape(w, h, seed);
    let mut state = 0x9E37_79B9u32 ^ seed;
    for p in img.pixels_mut() {
        for c in p.0.iter_mut() {
            // xorshift: cheap, repeatable noise of ±24.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = (state % 49) as i16 - 24;
            *c = (i16::from(*c) + n).clamp(0, 255) as u8;
        }
    }
    img
}

/// `img` as a JPEG with no metadata.
pub fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding pixels already in memory into a vector cannot fail.
    let _ = JpegEncoder::new_with_quality(&mut out, 90).encode_image(img);
    out
}

/// Text that must not survive processing: it is in the metadata
/// [`with_phone_metadata`] adds.
pub const METADATA_MARKERS: &[&[u8]] = &[
    b"Exif\0\0",
    b"http://ns.adobe.com/xap/1.0/",
    b"GPSLatitude",
    b"ConveneTestPhone",
    b"taken at the crossing",
];

fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
    out.extend_from_slice(&tag.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&value);
}

/// An EXIF block (big-endian TIFF): orientation, camera make, and a GPS position
/// (33° 51′ N, 73° 42′ E).
fn exif(orientation: u16) -> Vec<u8> {
    // Layout: header (8) | IFD0 at 8: 3 entries | make text | GPS IFD: 4 entries | rationals.
    let ifd0 = 8u32;
    let ifd0_len = 2 + 3 * 12 + 4;
    let make_at = ifd0 + ifd0_len;
    let make = b"ConveneTestPhone\0";
    let gps_at = make_at + make.len() as u32;
    let gps_len = 2 + 4 * 12 + 4;
    let lat_at = gps_at + gps_len;
    let lon_at = lat_at + 24;
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0\x2a");
    t.extend_from_slice(&ifd0.to_be_bytes());
    t.extend_from_slice(&3u16.to_be_bytes());
    entry(&mut t, 0x010F, 2, make.len() as u32, make_at.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, gps_at.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(make);
    t.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, lat_at.to_be_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, 5, 3, lon_at.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    for (n, d) in [(33u32, 1u32), (51, 1), (0, 1), (73, 1), (42, 1), (0, 1)] {
        t.extend_from_slice(&n.to_be_bytes());
        t.extend_from_slice(&d.to_be_bytes());
    }
    t
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// `jpeg` with what a phone writes: an EXIF block (orientation, camera, GPS), an
/// XMP block with the position, and a comment, after the start marker.
pub fn with_phone_metadata(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&exif(orientation));
    segment(&mut out, 0xE1, &app1);
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(
        br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="33,51.0N" exif:GPSLongitude="73,42.0E"/></rdf:RDF></x:xmpmeta>"#,
    );
    segment(&mut out, 0xE1, &xmp);
    segment(&mut out, 0xFE, b"taken at the crossing");
    out.extend_from_slice(jpeg.get(2..).unwrap_or_default());
    out
}

/// Whether `bytes` holds any of [`METADATA_MARKERS`], or a JPEG APP1 (EXIF/XMP),
/// APP13 (IPTC) or comment segment.
pub fn has_metadata(bytes: &[u8]) -> bool {
    let text = METADATA_MARKERS
        .iter()
        .any(|m| bytes.windows(m.len()).any(|w| w == *m));
    text || jpeg_segments(bytes)
        .iter()
        .any(|m| matches!(m, 0xE1 | 0xED | 0xFE | 0xE2))
}

/// The markers of a JPEG's segments before its image data.
pub fn jpeg_segments(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let m = bytes[i + 1];
        out.push(m);
        if m == 0xDA {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        i += 2 + len;
    }
    out
}

/// Makes, with ffmpeg, a three-second QuickTime video as a phone writes it (H.264 at
/// a phone's bitrate and AAC, with its location in the `©xyz` atom, a make and a
/// creation time) in `dir`, and returns its path.
pub fn phone_video(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("IMG_0420.MOV");
    let made = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc=size=320x240:rate=25")
        .args(["-f", "lavfi", "-i", "sine=frequency=440", "-t", "3"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "2500k",
            "-c:a",
            "aac",
        ])
        .args(["-metadata", "location=+33.8500+073.7000/"])
        .args(["-metadata", "make=ConveneTestPhone"])
        .args(["-metadata", "creation_time=2026-11-30T10:00:00Z"])
        .args(["-f", "mov"])
        .arg(&out)
        .status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "ffmpeg made the sample video"
    );
    out
}
