#![no_main]
//! See `convene_domain::fuzz::representatives`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| convene_domain::fuzz::representatives(data));
