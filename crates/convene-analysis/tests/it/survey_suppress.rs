//! Small-cell suppression: no hidden value can be worked out from what is published.

use std::collections::VecDeque;

use convene_analysis::survey::{
    suppress_one_way, suppress_two_way, Published, Suppressed, Why, DEFAULT_THRESHOLD,
};
use proptest::prelude::*;

/// The published table as a full grid with totals (None = hidden), and the true values.
fn grid(s: &Suppressed, rows: &[Vec<u64>]) -> (Vec<Vec<Option<u64>>>, Vec<Vec<u64>>) {
    let c = rows[0].len();
    let mut truth: Vec<Vec<u64>> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(r.iter().sum());
            r
        })
        .collect();
    let mut last: Vec<u64> = (0..c).map(|j| rows.iter().map(|r| r[j]).sum()).collect();
    last.push(rows.iter().flatten().sum());
    truth.push(last);
    let p = |x: &Published| match x {
        Published::Shown(v) => Some(*v),
        Published::Hidden(_) => None,
    };
    let mut g: Vec<Vec<Option<u64>>> = s
        .cells
        .iter()
        .zip(&s.row_totals)
        .map(|(r, t)| r.iter().chain([t]).map(p).collect())
        .collect();
    g.push(s.column_totals.iter().chain([&s.total]).map(p).collect());
    (g, truth)
}

/// Another table with non-negative integers that satisfies every published equation
/// (each row and column of the grid sums to its total) and agrees with every shown
/// value, but differs at hidden position (r, c): found by pushing one unit around a
/// cycle of hidden positions through (r, c).
fn alternative(
    g: &[Vec<Option<u64>>],
    truth: &[Vec<u64>],
    r: usize,
    c: usize,
) -> Option<Vec<Vec<i64>>> {
    let (nr, nc) = (g.len(), g[0].len());
    // Nodes: rows 0..nr, columns nr..nr+nc; edges: hidden positions other than (r, c).
    let mut prev: Vec<Option<(usize, (usize, usize))>> = vec![None; nr + nc];
    let mut seen = vec![false; nr + nc];
    seen[r] = true;
    let mut q = VecDeque::from([r]);
    while let Some(n) = q.pop_front() {
        let edges: Vec<(usize, usize)> = if n < nr {
            (0..nc).map(|j| (n, j)).collect()
        } else {
            (0..nr).map(|i| (i, n - nr)).collect()
        };
        for (i, j) in edges {
            if g[i][j].is_some() || (i, j) == (r, c) {
                continue;
            }
            let other = if n < nr { nr + j } else { i };
            if !seen[other] {
                seen[other] = true;
                prev[other] = Some((n, (i, j)));
                q.push_back(other);
            }
        }
    }
    if !seen[nr + c] {
        return None;
    }
    let mut path = vec![(r, c)];
    let mut n = nr + c;
    while n != r {
        let (p, e) = prev[n]?;
        path.push(e);
        n = p;
    }
    // y = a_i b_j x with a, b = -1 on the totals line: all lines of y sum to zero,
    // so alternating +1/-1 around the (even) cycle keeps every equation.
    let sign = |i: usize, j: usize| if (i == nr - 1) ^ (j == nc - 1) { -1 } else { 1 };
    for dir in [1i64, -1] {
        let mut alt: Vec<Vec<i64>> = truth
            .iter()
            .map(|r| r.iter().map(|&v| v as i64).collect())
            .collect();
        for (k, &(i, j)) in path.iter().enumerate() {
            let dy = if k % 2 == 0 { dir } else { -dir };
            alt[i][j] += dy * sign(i, j);
        }
        if alt.iter().flatten().all(|&v| v >= 0) {
            return Some(alt);
        }
    }
    None
}

fn check_equations(alt: &[Vec<i64>]) -> bool {
    let (nr, nc) = (alt.len(), alt[0].len());
    (0..nr).all(|i| alt[i][..nc - 1].iter().sum::<i64>() == alt[i][nc - 1])
        && (0..nc).all(|j| (0..nr - 1).map(|i| alt[i][j]).sum::<i64>() == alt[nr - 1][j])
}

fn table() -> impl Strategy<Value = (Vec<Vec<u64>>, u64)> {
    (1usize..=4, 1usize..=5, 5u64..=12).prop_flat_map(|(r, c, t)| {
        (
            proptest::collection::vec(
                proptest::collection::vec(prop_oneof![0u64..4, 0u64..15, 0u64..60], c),
                r,
            ),
            Just(t),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_hidden_value_can_be_worked_out((rows, t) in table()) {
        let s = suppress_two_way(&rows, t).unwrap();
        let (g, truth) = grid(&s, &rows);
        let (nr, nc) = (g.len(), g[0].len());
        for i in 0..nr {
            for j in 0..nc {
                let v = truth[i][j];
                match g[i][j] {
                    // Shown values are the true ones, and never a small non-zero count.
                    Some(x) => {
                        prop_assert_eq!(x, v);
                        prop_assert!(v == 0 || v >= t);
                    }
                    None => {
                        let alt = alternative(&g, &truth, i, j);
                        prop_assert!(alt.is_some(), "hidden ({}, {}) = {} is determined in {:?}", i, j, v, g);
                        let alt = alt.unwrap();
                        prop_assert!(check_equations(&alt));
                        prop_assert!(alt[i][j] != v as i64);
                        for a in 0..nr {
                            for b in 0..nc {
                                if let Some(x) = g[a][b] {
                                    prop_assert_eq!(alt[a][b], x as i64);
                                }
                            }
                        }
                    }
                }
            }
        }
        // Equivalently for single lines: no row or column has exactly one hidden value.
        for row in &g {
            prop_assert_ne!(row.iter().filter(|x| x.is_none()).count(), 1);
        }
        for j in 0..nc {
            prop_assert_ne!(g.iter().filter(|r| r[j].is_none()).count(), 1);
        }
    }

    #[test]
    fn one_way_never_leaves_a_single_hidden_value(counts in proptest::collection::vec(0u64..30, 1..8)) {
        let s = suppress_one_way(&counts, DEFAULT_THRESHOLD);
        let line: Vec<&Published> = s.cells[0].iter().chain([&s.total]).collect();
        let hidden = line.iter().filter(|p| p.is_hidden()).count();
        prop_assert_ne!(hidden, 1);
        for (p, &v) in s.cells[0].iter().zip(&counts) {
            if (1..10).contains(&v) {
                prop_assert_eq!(*p, Published::Hidden(Why::Primary));
            }
            if let Published::Shown(x) = p {
                prop_assert_eq!(*x, v);
            }
        }
        // Complementary values are never zeros, so two hidden values always leave
        // at least two non-negative solutions.
        for (p, &v) in s.cells[0].iter().zip(&counts) {
            if *p == Published::Hidden(Why::Complementary) {
                prop_assert!(v > 0);
            }
        }
    }
}

#[test]
fn worked_examples() {
    // Women in a small district: 3 said "no"; the row total 40 would give it away,
    // so the next-smallest cell of the row (12) is hidden, and then in each column
    // another cell so that no column has a single hidden cell.
    let rows = vec![vec![25, 12, 3], vec![30, 40, 20], vec![50, 45, 35]];
    let s = suppress_two_way(&rows, 10).unwrap();
    assert_eq!(s.cells[0][2], Published::Hidden(Why::Primary));
    assert_eq!(s.cells[0][1], Published::Hidden(Why::Complementary));
    assert_eq!(s.row_totals[0], Published::Shown(40));
    assert_eq!(s.total, Published::Shown(260));
    let hidden: usize = s.cells.iter().flatten().filter(|p| p.is_hidden()).count();
    assert_eq!(hidden, 4, "{s:?}");
    assert_eq!(s.cells[1][2], Published::Hidden(Why::Complementary));
    assert_eq!(s.cells[1][1], Published::Hidden(Why::Complementary));
    assert_eq!(s.cells[0][2].text(s.threshold), "<10");
    // Nothing small: nothing hidden; zeros are shown.
    let s = suppress_two_way(&[vec![0, 12], vec![15, 30]], 10).unwrap();
    assert!(s.cells.iter().flatten().all(|p| !p.is_hidden()));
    // The threshold is never below 5.
    let s = suppress_one_way(&[4, 20, 30], 2);
    assert_eq!(s.threshold, 5);
    assert_eq!(s.cells[0][0], Published::Hidden(Why::Primary));
    assert_eq!(s.cells[0][1], Published::Hidden(Why::Complementary));
    assert_eq!(s.total, Published::Shown(54));
    assert!(suppress_two_way(&[vec![1, 2], vec![3]], 10).is_err());
    assert!(suppress_two_way(&[], 10).is_err());
}

#[test]
fn a_hidden_value_between_two_cycles_is_protected_too() {
    // Two blocks of small cells (top left, bottom right) joined by the small cell
    // (1, 2): every row and column has two or more hidden cells, yet (1, 2) equals
    // rows 0-1 minus columns 0-1 of the hidden cells, so one more cell is hidden
    // to put it on a cycle: the smallest one joining the blocks, 40 at (2, 0).
    let rows = vec![
        vec![3, 4, 50, 60],
        vec![5, 6, 7, 70],
        vec![40, 45, 3, 4],
        vec![55, 65, 5, 6],
    ];
    let s = suppress_two_way(&rows, 10).unwrap();
    assert_eq!(s.cells[2][0], Published::Hidden(Why::Complementary));
    let hidden: usize = s.cells.iter().flatten().filter(|p| p.is_hidden()).count();
    assert_eq!(hidden, 10, "{s:?}");
    assert!(s
        .row_totals
        .iter()
        .chain(&s.column_totals)
        .all(|p| !p.is_hidden()));
    let (g, truth) = grid(&s, &rows);
    let alt = alternative(&g, &truth, 1, 2).unwrap();
    assert!(check_equations(&alt) && alt[1][2] != 7);
}
