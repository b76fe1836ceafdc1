//! Apportionment: turning fractional shares into whole samples that add up exactly.
//!
//! Two rules, both exact:
//!
//! * [`largest_remainder`] (Hamilton's method) for the part sizes of a split:
//!   ```text
//!   q_p    = n * f_p                  exact share of part p
//!   size_p = floor(q_p)               then the n - sum(floor) leftover samples go one each
//!                                     to the parts with the largest q_p - floor(q_p)
//!                                     (ties: the earlier part, i.e. train, val, test)
//!   ```
//!   so every size is `floor(q_p)` or `ceil(q_p)` and the sizes add up to `n`.
//! * [`controlled_rounding`] for a stratified split: a table of `x[c][p]` samples of class `c` in
//!   part `p` whose row sums are the class counts, whose column sums are the part sizes, and whose
//!   every cell is `floor` or `ceil` of its exact share `a[c][p] = n_c * size_p / n`. Such a
//!   rounding always exists for two-way tables (Cox, 1987); we find it as a small max-flow:
//!   start from the floors and hand out the missing units along augmenting paths.
//!
//! PyTorch has no stratified split; scikit-learn's `train_test_split(stratify=...)` rounds each
//! class with `_approximate_mode` for one cut at a time and breaks ties randomly, so its counts
//! can differ from ours by one per class.

/// Snap `q` to the nearest integer when it is within float noise of it (`0.29 * 100` is
/// `28.999999999999996`), so that exact shares round the way a hand calculation does.
fn snap(q: f64) -> f64 {
    if (q - q.round()).abs() < 1e-9 {
        q.round()
    } else {
        q
    }
}

/// Split `total` into whole parts proportional to `fractions` (which sum to 1) by the
/// largest-remainder rule described in the module docs.
pub(crate) fn largest_remainder(total: usize, fractions: &[f64]) -> Vec<usize> {
    let q: Vec<f64> = fractions.iter().map(|f| snap(total as f64 * f)).collect();
    let mut sizes: Vec<usize> = q.iter().map(|q| q.floor().max(0.0) as usize).collect();
    let assigned: usize = sizes.iter().sum();
    let mut order: Vec<usize> = (0..q.len()).collect();
    // stable sort: equal remainders keep the earlier part first
    order.sort_by(|&i, &j| {
        let ri = q[i] - q[i].floor();
        let rj = q[j] - q[j].floor();
        rj.total_cmp(&ri)
    });
    for &p in order.iter().cycle().take(total.saturating_sub(assigned)) {
        sizes[p] += 1;
    }
    sizes
}

/// Round the table `a[c][p] = rows[c] * cols[p] / n` to integers keeping both margins exact
/// and every cell within one of its exact value. `rows` and `cols` must have the same sum `n`.
pub(crate) fn controlled_rounding(rows: &[usize], cols: &[usize]) -> Vec<Vec<usize>> {
    let n: usize = rows.iter().sum();
    debug_assert_eq!(
        n,
        cols.iter().sum::<usize>(),
        "margins must have equal sums"
    );
    if n == 0 {
        return vec![vec![0; cols.len()]; rows.len()];
    }
    let a: Vec<Vec<f64>> = rows
        .iter()
        .map(|&r| {
            cols.iter()
                .map(|&c| snap(r as f64 * c as f64 / n as f64))
                .collect()
        })
        .collect();
    let mut x: Vec<Vec<usize>> = a
        .iter()
        .map(|row| row.iter().map(|v| v.floor() as usize).collect())
        .collect();
    // eligible cells may still go up by one: those with a fractional exact share
    let eligible = |c: usize, p: usize| a[c][p] > a[c][p].floor();
    let row_deficit: Vec<usize> = (0..rows.len())
        .map(|c| rows[c] - x[c].iter().sum::<usize>())
        .collect();
    let col_deficit: Vec<usize> = (0..cols.len())
        .map(|p| cols[p] - x.iter().map(|row| row[p]).sum::<usize>())
        .collect();

    let mut raised = vec![vec![false; cols.len()]; rows.len()];
    let mut col_load = vec![0usize; cols.len()];
    for c in 0..rows.len() {
        for _ in 0..row_deficit[c] {
            // breadth-first search for an augmenting path c -> p1 <- v1 -> p2 <- ... -> free column
            let mut row_from: Vec<Option<usize>> = vec![None; cols.len()]; // row that reached column p
            let mut col_from: Vec<Option<usize>> = vec![None; rows.len()]; // column that reached row v
            let mut row_seen = vec![false; rows.len()];
            row_seen[c] = true;
            let mut queue = std::collections::VecDeque::from([c]);
            let mut free_col = None;
            'bfs: while let Some(u) = queue.pop_front() {
                for p in 0..cols.len() {
                    if !eligible(u, p) || raised[u][p] || row_from[p].is_some() {
                        continue;
                    }
                    row_from[p] = Some(u);
                    if col_load[p] < col_deficit[p] {
                        free_col = Some(p);
                        break 'bfs;
                    }
                    for v in 0..rows.len() {
                        if raised[v][p] && !row_seen[v] {
                            row_seen[v] = true;
                            col_from[v] = Some(p);
                            queue.push_back(v);
                        }
                    }
                }
            }
            let mut p = free_col
                .expect("a controlled rounding of a two-way table always exists (Cox 1987)");
            col_load[p] += 1;
            loop {
                let u = row_from[p].expect("every column on the path was reached from a row");
                raised[u][p] = true;
                match col_from[u] {
                    None => break, // u == c, the start of the path
                    Some(prev) => {
                        raised[u][prev] = false;
                        p = prev;
                    }
                }
            }
        }
    }
    for (c, row) in x.iter_mut().enumerate() {
        for (p, cell) in row.iter_mut().enumerate() {
            *cell += usize::from(raised[c][p]);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_hand_examples() {
        // 7 * (0.6, 0.2, 0.2) = (4.2, 1.4, 1.4): floors (4, 1, 1), one leftover to the largest
        // remainder 0.4; val and test tie, so the earlier (val) gets it.
        assert_eq!(largest_remainder(7, &[0.6, 0.2, 0.2]), vec![4, 2, 1]);
        // 10 * (0.8, 0.1, 0.1) = (8, 1, 1) exactly, despite 10 * 0.1 float noise.
        assert_eq!(largest_remainder(10, &[0.8, 0.1, 0.1]), vec![8, 1, 1]);
        // 100 * 0.29 = 28.999999999999996 in f64: snapped to 29.
        assert_eq!(largest_remainder(100, &[0.71, 0.29, 0.0]), vec![71, 29, 0]);
        // 3 * (0.8, 0.1, 0.1) = (2.4, 0.3, 0.3): floors (2, 0, 0), leftover to train.
        assert_eq!(largest_remainder(3, &[0.8, 0.1, 0.1]), vec![3, 0, 0]);
    }

    #[test]
    fn controlled_rounding_keeps_margins_and_cells_within_one() {
        let cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
            (vec![3; 10], vec![24, 3, 3]),
            (vec![5, 7, 1, 1, 13], vec![17, 5, 5]),
            (vec![1, 1, 1], vec![1, 1, 1]),
            (vec![50, 50], vec![60, 20, 20]),
            (vec![0, 4], vec![2, 1, 1]),
        ];
        for (rows, cols) in cases {
            let n: usize = rows.iter().sum();
            let x = controlled_rounding(&rows, &cols);
            for (c, row) in x.iter().enumerate() {
                assert_eq!(
                    row.iter().sum::<usize>(),
                    rows[c],
                    "row {c} of {rows:?}/{cols:?}"
                );
                for (p, &v) in row.iter().enumerate() {
                    let exact = rows[c] as f64 * cols[p] as f64 / n as f64;
                    assert!(
                        (v as f64 - exact).abs() < 1.0,
                        "cell ({c},{p}) = {v}, exact {exact}"
                    );
                }
            }
            for (p, &col) in cols.iter().enumerate() {
                assert_eq!(x.iter().map(|r| r[p]).sum::<usize>(), col, "column {p}");
            }
        }
    }

    #[test]
    fn ten_classes_of_three_still_fill_val_and_test() {
        // Rounding each class alone would give (3, 0, 0) for every class and empty val/test.
        let x = controlled_rounding(&[3; 10], &[24, 3, 3]);
        assert_eq!(x.iter().map(|r| r[1]).sum::<usize>(), 3);
        assert_eq!(x.iter().map(|r| r[2]).sum::<usize>(), 3);
    }
}
