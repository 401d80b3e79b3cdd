//! Times the photo pipeline on a 12-megapixel phone photo (4032 × 3024, grain like a
//! photograph's, EXIF with GPS and orientation 6): decode, turn upright, make the
//! four widths, encode. Prints the file's size and the median, fastest and slowest
//! of the runs. Run by bench/media/run.sh (release build).
//!
//!   photo_bench [runs]
//!   photo_bench seeds DIR   (writes the fuzz target's seed photos into DIR)

use std::time::Instant;

use convene_domain::media::{photo, sample};

fn seeds(dir: &str) {
    let small = sample::landscape(48, 32, 1);
    let jpeg = sample::jpeg(&small);
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(small.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG");
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgb8(small)
        .write_to(
            &mut std::io::Cursor::new(&mut webp),
            image::ImageFormat::WebP,
        )
        .expect("a WebP");
    for (name, bytes) in [
        ("phone.jpg", sample::with_phone_metadata(&jpeg, 6)),
        ("plain.jpg", jpeg),
        ("plain.png", png),
        ("plain.webp", webp),
    ] {
        std::fs::write(format!("{dir}/{name}"), bytes).expect("write a seed");
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("seeds") {
        seeds(&std::env::args().nth(2).expect("a directory"));
        return;
    }
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(9);
    let img = sample::grainy(4032, 3024, 7);
    let upload = sample::with_phone_metadata(&sample::jpeg(&img), 6);
    drop(img);
    let mut times = Vec::with_capacity(runs);
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let p = photo::process(&upload).expect("the sample is a photo");
        times.push(t.elapsed().as_secs_f64());
        out = Some(p);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let p = out.expect("at least one run");
    let sizes: Vec<String> = p
        .variants
        .iter()
        .map(|v| format!("{}px {} KB", v.width, v.jpeg.len() / 1024))
        .collect();
    println!(
        "photo 4032x3024 ({:.1} MB, EXIF orientation 6 + GPS): {runs} runs, median {:.3} s, fastest {:.3} s, slowest {:.3} s; out {}x{}: {}; metadata left: {}",
        upload.len() as f64 / 1e6,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        p.width,
        p.height,
        sizes.join(", "),
        p.variants.iter().any(|v| sample::has_metadata(&v.jpeg))
    );
}
