//! Codebook matching and suggested themes for free-text answers.

use convene_analysis::survey::{
    suggest_themes, tf_idf, words, Codebook, Matcher, Rule, SurveyError, ThemeOptions,
};
use proptest::prelude::*;

fn rule(code: &str, lang: Option<&str>, m: Matcher) -> Rule {
    Rule {
        code: code.into(),
        language: lang.map(Into::into),
        matcher: m,
    }
}

#[test]
fn codebook_matches_keywords_and_patterns_per_language() {
    let book = Codebook::new(&[
        rule("water", Some("en"), Matcher::Keyword("water".into())),
        rule("water", Some("ur"), Matcher::Keyword("پانی".into())),
        rule("land", None, Matcher::Keyword("grazing land".into())),
        rule(
            "security",
            Some("en"),
            Matcher::Pattern(r"\b(checkpoint|patrol)s?\b".into()),
        ),
    ])
    .unwrap();
    assert_eq!(
        book.code("We need WATER for the fields", Some("en")),
        ["water"]
    );
    // Whole words only: "watering" is not "water".
    assert!(book.code("watering cans", Some("en")).is_empty());
    assert_eq!(book.code("ہمیں پانی چاہیے", Some("ur")), ["water"]);
    // An English rule does not apply to an Urdu answer.
    assert!(book.code("water", Some("ur")).is_empty());
    assert_eq!(
        book.code("Checkpoints close the grazing land", Some("en")),
        ["land", "security"]
    );
    // A phrase needs its words in order.
    assert!(book.code("land for grazing", None).is_empty());
    assert_eq!(book.code("water, water", None), ["water"]);
    let bad = Codebook::new(&[rule("x", None, Matcher::Pattern("(".into()))]);
    assert!(matches!(bad, Err(SurveyError::BadPattern { .. })));
    let empty = Codebook::new(&[rule("x", None, Matcher::Keyword(" , ".into()))]);
    assert!(matches!(empty, Err(SurveyError::BadPattern { .. })));
}

#[test]
fn words_are_unicode_segments_in_lower_case() {
    assert_eq!(
        words("Peace, NOW! امن ابھی"),
        ["peace", "now", "امن", "ابھی"]
    );
    let (vocab, v) = tf_idf(&["water water land", "land", ""]);
    assert_eq!(vocab, ["land", "water"]);
    // idf(land) = ln(4/3) + 1, idf(water) = ln(4/2) + 1; tf 1 and 2; then length 1.
    let (l, w) = ((4.0f64 / 3.0).ln() + 1.0, 2.0f64.ln() + 1.0);
    let norm = (l * l + 4.0 * w * w).sqrt();
    assert!((v[0][0].1 - l / norm).abs() < 1e-12);
    assert!((v[0][1].1 - 2.0 * w / norm).abs() < 1e-12);
    assert_eq!(v[1], [(0, 1.0)]);
    assert!(v[2].is_empty());
}

#[test]
fn themes_group_similar_answers_with_their_top_terms() {
    let texts = [
        "the well is dry, no water",
        "water for the village well",
        "clean water and a new well",
        "school for our girls",
        "the girls school is closed",
        "teachers for the school",
        "",
        "12",
    ];
    let opts = ThemeOptions {
        themes: 2,
        top_terms: 2,
        seed: 7,
        max_iterations: 50,
    };
    let themes = suggest_themes(&texts, &opts).unwrap();
    assert_eq!(themes.len(), 2);
    let mut groups: Vec<Vec<usize>> = themes.iter().map(|t| t.answers.clone()).collect();
    groups.sort();
    assert_eq!(groups, [vec![0, 1, 2], vec![3, 4, 5]]);
    for t in &themes {
        let top: Vec<&str> = t.terms.iter().map(|x| x.0.as_str()).collect();
        if t.answers[0] == 0 {
            assert!(top.contains(&"water") && top.contains(&"well"), "{top:?}");
        } else {
            assert!(top.contains(&"school") && top.contains(&"girls"), "{top:?}");
        }
    }
    // Deterministic for a seed.
    assert_eq!(suggest_themes(&texts, &opts).unwrap(), themes);
    assert!(suggest_themes(&[""], &opts).unwrap().is_empty());
    assert!(suggest_themes(&texts, &ThemeOptions { themes: 0, ..opts }).is_err());
}

proptest! {
    #[test]
    fn themes_partition_the_answers_with_words(
        texts in proptest::collection::vec("[a-e ]{0,12}|[ا-ی ]{0,8}", 0..30),
        k in 1usize..6,
        seed in any::<u64>(),
    ) {
        let opts = ThemeOptions { themes: k, top_terms: 3, seed, max_iterations: 30 };
        let themes = suggest_themes(&texts, &opts).unwrap();
        let (_, vectors) = tf_idf(&texts);
        let mut all: Vec<usize> = themes.iter().flat_map(|t| t.answers.clone()).collect();
        all.sort_unstable();
        let with_words: Vec<usize> = (0..texts.len()).filter(|&i| !vectors[i].is_empty()).collect();
        prop_assert_eq!(all, with_words);
        prop_assert!(themes.len() <= k);
        prop_assert!(themes.iter().all(|t| !t.answers.is_empty() && t.terms.len() <= 3));
    }
}
