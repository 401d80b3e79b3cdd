//! Properties of the group-aware agenda ranking.

use convene_analysis::agenda::{rank, View};
use proptest::prelude::*;

/// Views over `items` items by voters in groups of sides A, B and the public.
fn views(items: usize) -> impl Strategy<Value = Vec<View>> {
    prop::collection::vec((0..items, 0usize..12, prop::bool::ANY), 0..80).prop_map(|raw| {
        raw.into_iter()
            .map(|(item, who, up)| {
                // Voters 0-3 are organisations of A, 4-5 of B, the rest the public.
                let (group, side) = match who {
                    0..=3 => (format!("org{who}"), "A"),
                    4..=5 => (format!("org{who}"), "B"),
                    _ => ("public".to_string(), "public"),
                };
                View {
                    item,
                    voter: format!("v{who}"),
                    group,
                    side: side.into(),
                    stance: if up { 1 } else { -1 },
                }
            })
            .collect()
    })
}

fn score_of(r: &[convene_analysis::agenda::Scored], item: usize) -> f64 {
    r.iter().find(|s| s.item == item).map(|s| s.score).unwrap()
}

proptest! {
    /// Every item is ranked once, scores lie in [−1, 1], in descending order.
    #[test]
    fn a_ranking_of_every_item(vs in views(6)) {
        let r = rank(6, &vs);
        let mut items: Vec<usize> = r.iter().map(|s| s.item).collect();
        items.sort();
        prop_assert_eq!(items, (0..6).collect::<Vec<_>>());
        for w in r.windows(2) {
            prop_assert!(w[0].score >= w[1].score);
        }
        for s in &r {
            prop_assert!((-1.0..=1.0).contains(&s.score));
        }
    }

    /// Copying every group of a side (same views, new names) changes no score: a
    /// side of many groups weighs as one of few.
    #[test]
    fn more_groups_on_a_side_weigh_the_same(vs in views(5)) {
        let mut more = vs.clone();
        for v in vs.iter().filter(|v| v.side == "A") {
            let mut c = v.clone();
            c.voter = format!("{}-copy", v.voter);
            c.group = format!("{}-copy", v.group);
            more.push(c);
        }
        let (a, b) = (rank(5, &vs), rank(5, &more));
        for i in 0..5 {
            prop_assert!((score_of(&a, i) - score_of(&b, i)).abs() < 1e-9);
        }
    }

    /// Doubling a group's participants, each new one as one before, changes no
    /// score: a larger crowd weighs as a smaller one.
    #[test]
    fn more_people_in_a_group_weigh_the_same(vs in views(5)) {
        let mut more = vs.clone();
        for v in vs.iter().filter(|v| v.group == "public") {
            let mut c = v.clone();
            c.voter = format!("{}-twin", v.voter);
            more.push(c);
        }
        let (a, b) = (rank(5, &vs), rank(5, &more));
        for i in 0..5 {
            prop_assert!((score_of(&a, i) - score_of(&b, i)).abs() < 1e-9);
        }
    }

    /// A new participant supporting an item never lowers its score.
    #[test]
    fn support_never_lowers(vs in views(4), item in 0usize..4, who in 0usize..12) {
        let before = score_of(&rank(4, &vs), item);
        let mut more = vs.clone();
        let (group, side) = match who {
            0..=3 => (format!("org{who}"), "A"),
            4..=5 => (format!("org{who}"), "B"),
            _ => ("public".to_string(), "public"),
        };
        more.push(View { item, voter: "newcomer".into(), group, side: side.into(), stance: 1 });
        prop_assert!(score_of(&rank(4, &more), item) >= before - 1e-9);
    }
}
