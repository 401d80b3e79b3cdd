//! How much of a text is copied: from a template, or from another writer.
//!
//! A message to a representative is meant to be in the sender's own words; one that
//! is mostly the campaign's suggested points, or mostly another sender's message,
//! is held for review (as mySociety's WriteToThem does with its "similarity"
//! check). Two measures, both over word **shingles** (runs of [`SHINGLE`] words,
//! lower-cased, punctuation dropped; Broder 1997):
//!
//! - **containment** of a message in the template: the share of the message's
//!   shingles that are also the template's, |A ∩ T| / |A|. Exact: the template is
//!   at hand.
//! - **resemblance** to another message: the Jaccard index |A ∩ B| / |A ∪ B|,
//!   estimated from **MinHash** signatures ([`SIGNATURE`] values; the share of
//!   equal positions estimates the index, Broder 1997), so that a message is
//!   compared with others without keeping their words. Candidates are found
//!   through **bands** of the signature (locality-sensitive hashing, Indyk &
//!   Motwani 1998): two messages that share any band are compared.
//!
//! The shingles are hashed to numbers by the caller (with a secret key, so that a
//! stored signature or band says nothing about the words without it); this module
//! only counts.

use std::collections::HashSet;

/// Words per shingle.
pub const SHINGLE: usize = 3;
/// Values in a MinHash signature.
pub const SIGNATURE: usize = 64;
/// Values per band ([`SIGNATURE`] / `BAND_ROWS` bands). Two rows per band: texts
/// with resemblance 0.5 share a band with probability 1 − (1 − 0.5²)³² > 0.999.
pub const BAND_ROWS: usize = 2;

/// The words of `text`: letters and digits, lower-cased, in order.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The shingles of `text` (each its words joined by one space), without repeats;
/// a text shorter than a shingle is one shingle of all its words; an empty text
/// has none.
pub fn shingles(text: &str) -> Vec<String> {
    let w = words(text);
    if w.is_empty() {
        return vec![];
    }
    if w.len() < SHINGLE {
        return vec![w.join(" ")];
    }
    let mut seen = HashSet::new();
    w.windows(SHINGLE)
        .map(|s| s.join(" "))
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// The share of `a`'s shingle hashes that are among `template`'s (0 when `a` has
/// none).
pub fn containment(a: &[u64], template: &HashSet<u64>) -> f64 {
    let a: HashSet<u64> = a.iter().copied().collect();
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|h| template.contains(h)).count() as f64 / a.len() as f64
}

/// The exact Jaccard index of two sets of shingle hashes (1 for two empty sets).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let a: HashSet<u64> = a.iter().copied().collect();
    let b: HashSet<u64> = b.iter().copied().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The Mersenne prime 2⁶¹ − 1, the modulus of the permutations.
const P: u128 = (1 << 61) - 1;

/// The i-th permutation's coefficients (a ≠ 0, b), fixed: SplitMix64 from a
/// constant seed, so that every server computes the same signatures.
fn coefficients() -> [(u128, u128); SIGNATURE] {
    let mut state: u64 = 0x5EED_C0FF_EE15_600D;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut out = [(1u128, 0u128); SIGNATURE];
    for c in out.iter_mut() {
        let a = (next() as u128 % (P - 1)) + 1;
        let b = next() as u128 % P;
        *c = (a, b);
    }
    out
}

/// The MinHash signature of a set of shingle hashes: for each permutation
/// h(x) = (a·x + b) mod (2⁶¹ − 1), the least h over the set. `None` for an empty
/// set.
pub fn signature(hashes: &[u64]) -> Option<[u64; SIGNATURE]> {
    if hashes.is_empty() {
        return None;
    }
    let coeffs = coefficients();
    let mut sig = [u64::MAX; SIGNATURE];
    for &x in hashes {
        let x = x as u128 % P;
        for (s, (a, b)) in sig.iter_mut().zip(coeffs.iter()) {
            let h = ((a * x + b) % P) as u64;
            if h < *s {
                *s = h;
            }
        }
    }
    Some(sig)
}

/// The estimated Jaccard index of the sets two signatures were made from: the
/// share of positions where they agree.
pub fn resemblance(a: &[u64; SIGNATURE], b: &[u64; SIGNATURE]) -> f64 {
    a.iter().zip(b.iter()).filter(|(x, y)| x == y).count() as f64 / SIGNATURE as f64
}

/// The band keys of a signature: one number per band (its index and values mixed),
/// equal for two signatures exactly when that band of both is equal (but for
/// collisions, which only add candidates to compare).
pub fn bands(sig: &[u64; SIGNATURE]) -> Vec<i64> {
    sig.chunks(BAND_ROWS)
        .enumerate()
        .map(|(i, rows)| {
            // FNV-1a over the band's index and values, folded into 63 bits so that
            // it fits a signed database integer.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for v in std::iter::once(i as u64).chain(rows.iter().copied()) {
                for byte in v.to_le_bytes() {
                    h ^= u64::from(byte);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            (h >> 1) as i64
        })
        .collect()
}

/// A signature as text (each value as 16 hex digits), to store.
pub fn signature_hex(sig: &[u64; SIGNATURE]) -> String {
    sig.iter().map(|v| format!("{v:016x}")).collect()
}

/// A signature read back from [`signature_hex`]; `None` if it is not one.
pub fn signature_from_hex(text: &str) -> Option<[u64; SIGNATURE]> {
    if text.len() != SIGNATURE * 16 || !text.is_ascii() {
        return None;
    }
    let mut sig = [0u64; SIGNATURE];
    for (i, s) in sig.iter_mut().enumerate() {
        *s = u64::from_str_radix(text.get(i * 16..(i + 1) * 16)?, 16).ok()?;
    }
    Some(sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn hashes(text: &str) -> Vec<u64> {
        shingles(text)
            .iter()
            .map(|s| {
                let mut h = DefaultHasher::new();
                s.hash(&mut h);
                h.finish()
            })
            .collect()
    }

    #[test]
    fn shingles_of_words() {
        assert_eq!(
            shingles("Stop the shelling, now! Stop the shelling."),
            vec![
                "stop the shelling",
                "the shelling now",
                "shelling now stop",
                "now stop the"
            ]
        );
        assert_eq!(shingles("Peace now"), vec!["peace now"]);
        assert!(shingles(" ,. ").is_empty());
        assert_eq!(
            shingles("امن اب ضروری ہے"),
            vec!["امن اب ضروری", "اب ضروری ہے"]
        );
    }

    #[test]
    fn a_copy_of_the_template_is_contained_and_own_words_are_not() {
        let template = "Please support the ceasefire talks and the reopening of the border crossing at Tarn for families.";
        let t: HashSet<u64> = hashes(template).into_iter().collect();
        let copy = format!("Dear member, {template} Thank you.");
        assert!(containment(&hashes(&copy), &t) > 0.6);
        let own = "My brother lives across the river and we have not met for six years; the crossing matters to us.";
        assert!(containment(&hashes(own), &t) < 0.1);
    }

    #[test]
    fn near_copies_resemble_and_different_texts_do_not() {
        let a = "I farm near the line of contact and the mines on my land keep my children from school every spring; please press for clearance in the talks.";
        let b = "I farm near the line of contact and the mines on my land keep my children from school every spring; please press for clearance in the talks soon.";
        let c = "Our union of teachers asks you to fund the joint curriculum project across both districts before the next school year starts.";
        let (sa, sb, sc) = (
            signature(&hashes(a)).unwrap(),
            signature(&hashes(b)).unwrap(),
            signature(&hashes(c)).unwrap(),
        );
        assert!(resemblance(&sa, &sb) > 0.7, "{}", resemblance(&sa, &sb));
        assert!(resemblance(&sa, &sc) < 0.2, "{}", resemblance(&sa, &sc));
        let shared = bands(&sa).iter().filter(|x| bands(&sb).contains(x)).count();
        assert!(shared > 0);
        assert!(signature(&[]).is_none());
    }

    proptest! {
        // The estimate stays near the exact index (64 values: a standard error of
        // at most 1/16; 0.3 is over four of them).
        #[test]
        fn the_estimate_is_near_the_exact_index(
            a in proptest::collection::vec(0u64..400, 1..80),
            b in proptest::collection::vec(0u64..400, 1..80),
        ) {
            let (sa, sb) = (signature(&a).unwrap(), signature(&b).unwrap());
            prop_assert!((resemblance(&sa, &sb) - jaccard(&a, &b)).abs() < 0.3);
            prop_assert_eq!(resemblance(&sa, &sa), 1.0);
            prop_assert_eq!(signature_from_hex(&signature_hex(&sa)), Some(sa));
            // Equal sets have equal signatures whatever the order.
            let mut r = a.clone();
            r.reverse();
            prop_assert_eq!(signature(&r), Some(sa));
        }

        #[test]
        fn containment_is_a_share(a in proptest::collection::vec(0u64..50, 0..40),
                                  t in proptest::collection::hash_set(0u64..50, 0..40)) {
            let c = containment(&a, &t);
            prop_assert!((0.0..=1.0).contains(&c));
            if a.iter().all(|x| t.contains(x)) && !a.is_empty() {
                prop_assert_eq!(c, 1.0);
            }
        }
    }
}
