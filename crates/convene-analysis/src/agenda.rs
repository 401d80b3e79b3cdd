//! The group-aware ranking of an agenda round's items (docs/agenda.md).
//!
//! Participants support or object to items. Each participant belongs to a group
//! (a stakeholder organisation, or the public), and each group to a side. The rank
//! must not reward a side for having more groups, nor a group for having more
//! people:
//!
//! - a group's value for an item is the sum of its participants' stances (+1
//!   support, −1 objection) divided by the number of its participants who took
//!   part in the round at all, so it lies in [−1, 1] and a larger group does not
//!   weigh more;
//! - a side's value is the mean of its groups' values, every group taking part in
//!   the round counted, so a side of many groups weighs as one of few;
//! - the item's score is the mean of the sides' values.
//!
//! Items are ranked by score, then by the number of sides on balance for them, then
//! in the order they were proposed.

use std::collections::{BTreeMap, BTreeSet};

/// One participant's view of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The item's index in the round.
    pub item: usize,
    /// Who gave it (one per participant, e.g. `org:12`, `sms:…`).
    pub voter: String,
    /// The participant's group (an organisation, or `public`).
    pub group: String,
    /// The group's side.
    pub side: String,
    /// +1 support, −1 objection.
    pub stance: i8,
}

/// An item's place in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub item: usize,
    /// Mean of the sides' values, in [−1, 1].
    pub score: f64,
    /// Sides whose value for the item is above zero.
    pub sides_for: Vec<String>,
    /// Sides whose value for the item is below zero.
    pub sides_against: Vec<String>,
    /// Participants supporting it, and objecting to it.
    pub supporters: usize,
    pub objectors: usize,
}

/// Ranks `n_items` items from the views given (views of an item index out of range
/// are ignored; a voter's later view of the same item replaces the earlier one).
pub fn rank(n_items: usize, views: &[View]) -> Vec<Scored> {
    // The last view of each (item, voter).
    let mut last: BTreeMap<(usize, &str), &View> = BTreeMap::new();
    for v in views.iter().filter(|v| v.item < n_items) {
        last.insert((v.item, v.voter.as_str()), v);
    }
    // Participants of each group, and groups of each side, in the whole round.
    let mut voters: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for v in last.values() {
        voters
            .entry((v.side.as_str(), v.group.as_str()))
            .or_default()
            .insert(v.voter.as_str());
    }
    let mut groups_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (side, group) in voters.keys() {
        groups_of.entry(side).or_default().push(group);
    }
    let n_sides = groups_of.len();
    // Sum of stances per (item, side, group).
    let mut sums: BTreeMap<(usize, &str, &str), f64> = BTreeMap::new();
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for v in last.values() {
        let s = v.stance.signum();
        *sums
            .entry((v.item, v.side.as_str(), v.group.as_str()))
            .or_default() += f64::from(s);
        let c = counts.entry(v.item).or_default();
        match s {
            1 => c.0 += 1,
            -1 => c.1 += 1,
            _ => {}
        }
    }
    let mut out: Vec<Scored> = (0..n_items)
        .map(|item| {
            let mut total = 0.0;
            let (mut sides_for, mut sides_against) = (Vec::new(), Vec::new());
            for (side, groups) in &groups_of {
                let side_value = groups
                    .iter()
                    .map(|g| {
                        let n = voters.get(&(*side, *g)).map_or(1, |s| s.len().max(1));
                        sums.get(&(item, *side, *g)).copied().unwrap_or(0.0) / n as f64
                    })
                    .sum::<f64>()
                    / groups.len().max(1) as f64;
                if side_value > 0.0 {
                    sides_for.push(side.to_string());
                } else if side_value < 0.0 {
                    sides_against.push(side.to_string());
                }
                total += side_value;
            }
            let (supporters, objectors) = counts.get(&item).copied().unwrap_or_default();
            Scored {
                item,
                score: if n_sides == 0 {
                    0.0
                } else {
                    total / n_sides as f64
                },
                sides_for,
                sides_against,
                supporters,
                objectors,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.sides_for.len().cmp(&a.sides_for.len()))
            .then(a.item.cmp(&b.item))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(item: usize, voter: &str, group: &str, side: &str, stance: i8) -> View {
        View {
            item,
            voter: voter.into(),
            group: group.into(),
            side: side.into(),
            stance,
        }
    }

    #[test]
    fn shared_across_the_divide_outranks_many_of_one_side() {
        // Item 0: five groups of side A support it. Item 1: one group of each side.
        let mut views = Vec::new();
        for g in 0..5 {
            views.push(v(0, &format!("a{g}"), &format!("a{g}"), "A", 1));
        }
        views.push(v(1, "a0", "a0", "A", 1));
        views.push(v(1, "b0", "b0", "B", 1));
        let r = rank(2, &views);
        assert_eq!(r[0].item, 1);
        assert_eq!(r[0].sides_for, vec!["A".to_string(), "B".to_string()]);
        assert!((r[0].score - 0.6).abs() < 1e-9, "{}", r[0].score);
        assert!((r[1].score - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_crowd_weighs_as_one_group() {
        let mut views = vec![v(1, "org", "org", "A", 1)];
        for p in 0..100 {
            views.push(v(0, &format!("p{p}"), "public", "public", 1));
        }
        let r = rank(2, &views);
        assert_eq!(r[0].score, r[1].score);
        assert_eq!((r[0].item, r[1].item), (0, 1));
    }

    #[test]
    fn objections_lower_and_are_counted() {
        let views = vec![
            v(0, "a", "a", "A", 1),
            v(0, "b", "b", "B", -1),
            v(1, "a", "a", "A", 1),
        ];
        let r = rank(2, &views);
        assert_eq!(r[0].item, 1);
        assert_eq!(r[1].sides_against, vec!["B".to_string()]);
        assert_eq!((r[1].supporters, r[1].objectors), (1, 1));
        assert_eq!(r[1].score, 0.0);
    }

    #[test]
    fn a_later_view_replaces_the_earlier() {
        let views = vec![v(0, "a", "a", "A", 1), v(0, "a", "a", "A", -1)];
        let r = rank(1, &views);
        assert_eq!(r[0].score, -1.0);
        assert_eq!((r[0].supporters, r[0].objectors), (0, 1));
    }
}
