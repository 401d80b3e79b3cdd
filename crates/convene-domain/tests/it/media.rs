//! The media pipeline: a phone photo with GPS in its EXIF and XMP is stored and
//! served with no metadata, upright; every width is made; what is not a photo is
//! refused with a reason and nothing stored; stored bytes are sealed; an embargoed
//! update's photos are found by nobody but organisers until its time.

use convene_domain::campaign::NewUpdate;
use convene_domain::media::photo::{self, PhotoError};
use convene_domain::media::sample;
use convene_domain::model::{Level, Role};
use convene_domain::util::now;
use convene_domain::Error;
use proptest::prelude::*;

use crate::common;

/// A picture whose left half is red and right half blue, 64 × 32: after turning by
/// EXIF orientation 6 (90° clockwise), the top is red and the bottom blue.
fn halves() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 32, |x, _| {
        if x < 32 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    sample::jpeg(&img)
}

fn pixel(w: u32, rgb: &[u8], x: u32, y: u32) -> [u8; 3] {
    let i = ((y * w + x) * 3) as usize;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

#[test]
fn a_phone_photo_loses_its_metadata_and_is_turned_upright() {
    let upload = sample::with_phone_metadata(&halves(), 6);
    assert!(sample::has_metadata(&upload), "the sample carries GPS");
    assert_eq!(photo::sniff(&upload), Some(photo::Kind::Jpeg));
    let p = photo::process(&upload).unwrap();
    assert_eq!((p.width, p.height), (32, 64), "turned by its orientation");
    assert_eq!(
        p.variants.len(),
        1,
        "smaller than every width: its own only"
    );
    for v in &p.variants {
        assert!(!sample::has_metadata(&v.jpeg), "no metadata survives");
        let (w, h, rgb) = photo::decode_rgb(&v.jpeg).unwrap();
        assert_eq!((w, h), (32, 64));
        let top = pixel(w, &rgb, 16, 6);
        let bottom = pixel(w, &rgb, 16, 58);
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "bottom is blue: {bottom:?}"
        );
    }
    // Without the orientation the same pixels stay as they were.
    let flat = photo::process(&sample::with_phone_metadata(&halves(), 1)).unwrap();
    assert_eq!((flat.width, flat.height), (64, 32));
}

#[test]
fn every_width_is_made_up_to_the_photos_own() {
    let big = sample::jpeg(&sample::landscape(2000, 1500, 3));
    let p = photo::process(&sample::with_phone_metadata(&big, 1)).unwrap();
    let widths: Vec<_> = p.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(widths, [(160, 120), (320, 240), (800, 600), (1600, 1200)]);
    let mid = sample::jpeg(&sample::landscape(1000, 500, 1));
    let p = photo::process(&mid).unwrap();
    let widths: Vec<_> = p.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [160, 320, 800, 1000]);
    for v in &p.variants {
        assert!(!sample::has_metadata(&v.jpeg));
        assert_eq!(sample::jpeg_segments(&v.jpeg).first(), Some(&0xE0));
    }
}

#[test]
fn png_and_webp_are_read_and_transparency_laid_over_white() {
    let mut rgba = image::RgbaImage::new(40, 20);
    for (x, _, p) in rgba.enumerate_pixels_mut() {
        *p = if x < 20 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([0, 160, 0, 255])
        };
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(rgba.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let p = photo::process(&png).unwrap();
    let (w, _, rgb) = photo::decode_rgb(&p.variants[0].jpeg).unwrap();
    assert!(pixel(w, &rgb, 5, 10).iter().all(|c| *c > 240), "white");
    assert!(pixel(w, &rgb, 35, 10)[1] > 120, "green");
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgba8(rgba)
        .write_to(
            &mut std::io::Cursor::new(&mut webp),
            image::ImageFormat::WebP,
        )
        .unwrap();
    assert_eq!(photo::sniff(&webp), Some(photo::Kind::WebP));
    assert_eq!(photo::process(&webp).unwrap().width, 40);
}

#[test]
fn what_is_not_a_readable_photo_is_refused_with_its_reason() {
    assert_eq!(
        photo::process(b"GIF89a not supported").unwrap_err(),
        PhotoError::NotAnImage
    );
    assert_eq!(
        photo::process(b"%PDF-1.7").unwrap_err(),
        PhotoError::NotAnImage
    );
    let whole = halves();
    let cut = &whole[..whole.len() / 3];
    assert_eq!(photo::process(cut).unwrap_err(), PhotoError::Damaged);
    // A PNG header that declares 100 000 × 100 000 pixels is refused before any
    // pixel is allocated.
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0d".to_vec();
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    assert!(matches!(
        photo::process(&png).unwrap_err(),
        PhotoError::TooLarge { .. }
    ));
    // 10 000 × 6 000 declared in a JPEG frame header: past the pixel limit.
    let mut jpeg = halves();
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame");
    jpeg[sof + 5..sof + 7].copy_from_slice(&6_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&10_000u16.to_be_bytes());
    assert!(matches!(
        photo::process(&jpeg).unwrap_err(),
        PhotoError::TooLarge { .. }
    ));
}

/// CRC-32 (ISO 3309, as PNG uses), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in bytes {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// No change to a photo's bytes makes processing fail other than with a reason,
    /// and whatever comes out carries no metadata.
    #[test]
    fn damaged_photos_never_crash_and_never_keep_metadata(
        flips in proptest::collection::vec((0usize..4000, any::<u8>()), 1..12),
        cut in 100usize..4000,
    ) {
        let mut bytes = sample::with_phone_metadata(&halves(), 6);
        for (at, b) in flips {
            let n = bytes.len();
            bytes[at % n] = b;
        }
        bytes.truncate(cut.max(4));
        if let Ok(p) = photo::process(&bytes) {
            for v in &p.variants {
                prop_assert!(!sample::has_metadata(&v.jpeg));
            }
        }
    }
}

#[tokio::test]
async fn photos_are_sealed_at_rest_and_hidden_with_their_embargoed_update() {
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        let member = db
            .create_user("m@example.org", "Member", "correct horse battery", false)
            .await
            .unwrap();
        db.create_space("camp", "Campaign", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "camp").await.unwrap();
        db.set_role(&so, "m@example.org", Some(Role::Member))
            .await
            .unwrap();
        let sm = db.scope(Some(&member), "camp").await.unwrap();
        let anon = db.scope(None, "camp").await.unwrap();
        let later = now() + 3600;
        let id = db
            .create_update(
                &so,
                &NewUpdate {
                    title: "The crossing reopens".into(),
                    body: "Families met.".into(),
                    lang: "en".into(),
                    milestone: None,
                    publish_at: Some(later),
                    level: Level::Public,
                },
            )
            .await
            .unwrap();
        let big = sample::jpeg(&sample::landscape(900, 600, 2));
        let p = photo::process(&sample::with_phone_metadata(&big, 1)).unwrap();
        // Alt text is required; a member may not add photos.
        match db.add_update_photo(&so, id, "  ", &p).await {
            Err(Error::Invalid(v)) => assert_eq!(v[0].field, "alt"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            db.add_update_photo(&sm, id, "A road", &p).await,
            Err(Error::Forbidden)
        ));
        let mid = db
            .add_update_photo(&so, id, "Families at the crossing", &p)
            .await
            .unwrap();
        let u = db.update(&so, id).await.unwrap();
        assert_eq!(u.photos.len(), 1);
        let names: Vec<_> = u.photos[0]
            .variants
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, ["w160", "w320", "w800", "w900"]);
        let (b, public) = db.update_photo(&so, id, mid, "w800").await.unwrap();
        assert!(!public, "embargoed: not for caches");
        assert_eq!(b.mime, "image/jpeg");
        assert_eq!(b.bytes, p.variants[2].jpeg);
        assert!(!sample::has_metadata(&b.bytes));
        // Before its time, the photo is not found by members or the public.
        for s in [&sm, &anon] {
            assert!(matches!(
                db.update_photo(s, id, mid, "w800").await,
                Err(Error::NotFound)
            ));
            assert!(db.updates(s, 10).await.unwrap().is_empty());
        }
        // A medium is found only through the update it belongs to.
        assert!(matches!(
            db.update_photo(&so, id + 1000, mid, "w800").await,
            Err(Error::NotFound)
        ));
        // At rest, the bytes are sealed: no JPEG marker, no pixels in clear.
        let raw: Vec<Vec<u8>> = sqlx::query_scalar("SELECT bytes_enc FROM media_chunks")
            .fetch_all(db.pool_for_tests())
            .await
            .unwrap();
        assert!(raw.len() >= 4);
        for r in &raw {
            assert!(!r.windows(4).any(|w| w == b"JFIF"));
        }
        // Once its time has come, everyone who may read it sees it, and caches may keep it.
        sqlx::query("UPDATE campaign_updates SET publish_at = $1 WHERE record_id = $2")
            .bind(now() - 1)
            .bind(id)
            .execute(db.pool_for_tests())
            .await
            .unwrap();
        let (b, public) = db.update_photo(&anon, id, mid, "w160").await.unwrap();
        assert!(public);
        assert_eq!(b.bytes, p.variants[0].jpeg);
        assert_eq!(db.updates(&anon, 10).await.unwrap()[0].photos.len(), 1);
        // Removing it removes every width.
        db.remove_update_photo(&so, id, mid).await.unwrap();
        assert!(matches!(
            db.update_photo(&so, id, mid, "w160").await,
            Err(Error::NotFound)
        ));
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM media_chunks")
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(left, 0);
    }
}

/// HEIC, as phones write it, through libheif: made here by `heif-enc` from a JPEG
/// with GPS in its EXIF and XMP (both carried into the HEIC, as a phone's are), read
/// by `heif-convert`, and saved anew with none of it. Needs Debian's
/// `libheif-examples` (`.ci/run` installs it; without it the test says so and, under
/// CI, fails).
#[test]
fn heic_photos_are_read_through_libheif_and_lose_their_metadata() {
    use convene_domain::media::heic;
    let has = |tool: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("heif-enc") || !heic::available() {
        assert!(
            std::env::var("CI").is_err(),
            "heif-enc/heif-convert (Debian's libheif-examples) are needed under CI"
        );
        eprintln!("SKIPPED: HEIC test: install Debian's libheif-examples to run it");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let jpg = dir.path().join("phone.jpg");
    let heic_path = dir.path().join("phone.heic");
    let shot = sample::jpeg(&sample::landscape(640, 480, 4));
    std::fs::write(&jpg, sample::with_phone_metadata(&shot, 1)).unwrap();
    let ok = std::process::Command::new("heif-enc")
        .arg("-q")
        .arg("80")
        .arg(&jpg)
        .arg("-o")
        .arg(&heic_path)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bytes = std::fs::read(&heic_path).unwrap();
    assert_eq!(photo::sniff(&bytes), Some(photo::Kind::Heic));
    assert!(
        bytes.windows(4).any(|w| w == b"Exif") && sample::has_metadata(&bytes),
        "the HEIC carries the EXIF and XMP"
    );
    let p = photo::process(&bytes).unwrap();
    assert_eq!((p.width, p.height), (640, 480));
    let widths: Vec<_> = p.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [160, 320, 640]);
    for v in &p.variants {
        assert!(!sample::has_metadata(&v.jpeg));
    }
    // A file that only looks like HEIC is refused as damaged.
    let mut fake = bytes[..32].to_vec();
    fake.extend_from_slice(&[0u8; 64]);
    assert_eq!(photo::process(&fake).unwrap_err(), PhotoError::Damaged);
}

/// Whether ffmpeg is here; under CI it must be.
fn ffmpeg_here() -> bool {
    let ok = convene_domain::media::video::available();
    if !ok {
        assert!(
            std::env::var("CI").is_err(),
            "ffmpeg and ffprobe (Debian's ffmpeg) are needed under CI"
        );
        eprintln!("SKIPPED: video test: install Debian's ffmpeg to run it");
    }
    ok
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_phone_video_loses_its_location_gets_a_poster_and_a_low_version() {
    use convene_domain::media::video;
    if !ffmpeg_here() {
        return;
    }
    let src = tempfile::tempdir().unwrap();
    let mov = std::fs::read(sample::phone_video(src.path())).unwrap();
    assert!(contains(&mov, b"\xa9xyz") && contains(&mov, b"+33.8500"));
    assert!(contains(&mov, b"ConveneTestPhone"));
    assert_eq!(video::sniff(&mov), Some(video::Container::Mp4));
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("in.bin"), &mov).unwrap();
    let v = video::prepare(work.path(), "in.bin").unwrap();
    assert_eq!(
        (v.width, v.height, v.container),
        (320, 240, video::Container::Mp4)
    );
    assert!((2900..=3200).contains(&v.duration_ms), "{}", v.duration_ms);
    for needle in [
        &b"\xa9xyz"[..],
        b"+33.8500",
        b"ConveneTestPhone",
        b"x264 - core",
    ] {
        assert!(
            !contains(&v.bytes, needle),
            "{:?} removed",
            String::from_utf8_lossy(needle)
        );
    }
    assert_eq!(&v.bytes[4..8], b"ftyp");
    assert_eq!(v.poster.width, 320);
    assert!(v
        .poster
        .variants
        .iter()
        .all(|p| !sample::has_metadata(&p.jpeg)));

    // Captions: WebVTT only.
    assert!(video::check_captions(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n").is_ok());
    assert!(video::check_captions(
        "\u{feff}WEBVTT - title\n\n00:01.000 --> 00:02.000\nسلام\n".as_bytes()
    )
    .is_ok());
    for bad in [
        &b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n"[..],
        b"WEBVTT\n\nno cue",
        b"\xff\xfe",
    ] {
        assert_eq!(
            video::check_captions(bad).unwrap_err(),
            video::VideoError::Captions
        );
    }

    // Not a video, and a video cut short.
    std::fs::write(
        work.path().join("bad.bin"),
        b"\x1aE\xdf\xa3 not really webm",
    )
    .unwrap();
    assert!(video::prepare(work.path(), "bad.bin").is_err());
    std::fs::write(work.path().join("text.bin"), b"hello").unwrap();
    assert_eq!(
        video::prepare(work.path(), "text.bin").unwrap_err(),
        video::VideoError::NotAVideo
    );

    // Stored on an update, read back in pieces, and given its low version by the job.
    for t in common::backends().await {
        let db = &t.db;
        let owner = db
            .create_user("owner@example.org", "Owner", "correct horse battery", false)
            .await
            .unwrap();
        db.create_space("camp", "Campaign", "", true, &owner)
            .await
            .unwrap();
        let so = db.scope(Some(&owner), "camp").await.unwrap();
        let anon = db.scope(None, "camp").await.unwrap();
        let id = db
            .create_update(
                &so,
                &NewUpdate {
                    title: "Market day".into(),
                    body: "Video of the market.".into(),
                    lang: "en".into(),
                    milestone: None,
                    publish_at: Some(now() + 3600),
                    level: Level::Public,
                },
            )
            .await
            .unwrap();
        let mid = db
            .add_update_video(
                &so,
                id,
                "Stalls on both sides of the bridge",
                &v,
                Some("WEBVTT\n\n00:00.000 --> 00:03.000\nTraders call out prices.\n"),
            )
            .await
            .unwrap();
        let (s, public) = db.update_media_stream(&so, id, mid, "video").await.unwrap();
        assert!(!public);
        assert_eq!(s.size as usize, v.bytes.len());
        let mut whole = Vec::new();
        let chunks = (s.size as usize).div_ceil(convene_domain::media::CHUNK);
        for seq in 0..chunks as i64 {
            whole.extend(db.media_chunk(&s, seq).await.unwrap());
        }
        assert_eq!(whole, v.bytes);
        assert!(matches!(
            db.update_media_stream(&anon, id, mid, "video").await,
            Err(Error::NotFound)
        ));
        // The low version, by the job queued with the video.
        while db.run_one_job().await.unwrap() {}
        let u = db.update(&so, id).await.unwrap();
        let m = &u.photos[0];
        assert!(m.is_video());
        let low = m.low().expect("the low version was made");
        assert_eq!(low.mime, "video/mp4");
        assert_eq!(
            (low.width, low.height),
            (320, 240),
            "never larger than the source"
        );
        let (ls, _) = db.update_media_stream(&so, id, mid, "low").await.unwrap();
        let first = db.media_chunk(&ls, 0).await.unwrap();
        assert_eq!(&first[4..8], b"ftyp");
        assert!(!contains(&first, b"x264 - core"));
        assert_eq!(m.at_least(800).unwrap().mime, "image/jpeg", "the poster");
        assert_eq!(m.captions().unwrap().mime, "text/vtt");
        let (cs, _) = db
            .update_media_stream(&so, id, mid, "captions")
            .await
            .unwrap();
        let text = db.media_chunk(&cs, 0).await.unwrap();
        assert!(String::from_utf8(text)
            .unwrap()
            .contains("Traders call out prices."));
    }
}
