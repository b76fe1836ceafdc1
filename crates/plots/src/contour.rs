//! Iso-lines of a function sampled on a grid, by marching squares.
//!
//! ```text
//! z[j][i] = f(x_i, y_j) on an nx x ny grid
//! for each cell with corners a=(i,j) b=(i+1,j) c=(i+1,j+1) d=(i,j+1) and each level L:
//!     on every edge p-q with (z_p >= L) != (z_q >= L): a crossing at p + t*(q - p),
//!         t = (L - z_p) / (z_q - z_p)                       (linear interpolation)
//!     2 crossings -> one segment between them
//!     4 crossings (saddle: a, c on one side, b, d on the other) -> two segments, chosen by
//!         the cell centre's mean value: same side as a -> cut off b and d, else cut off a and c
//! ```
//! matplotlib's `contour` uses the same algorithm (its saddle rule differs in detail).

use std::ops::Range;

/// A function sampled on a regular grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// Row-major: `z[j * x.len() + i] = f(x[i], y[j])`.
    pub z: Vec<f64>,
}

impl Grid {
    /// Samples `f` at `nx` x `ny` points spanning the ranges (both ends included); `nx`, `ny` >= 2.
    pub(crate) fn sample(
        f: impl Fn(f64, f64) -> f64,
        x: &Range<f64>,
        y: &Range<f64>,
        nx: usize,
        ny: usize,
    ) -> Self {
        let line = |r: &Range<f64>, n: usize| -> Vec<f64> {
            (0..n)
                .map(|k| r.start + (r.end - r.start) * k as f64 / (n - 1) as f64)
                .collect()
        };
        let (xs, ys) = (line(x, nx), line(y, ny));
        let z = ys
            .iter()
            .flat_map(|&yv| xs.iter().map(move |&xv| (xv, yv)))
            .map(|(xv, yv)| f(xv, yv))
            .collect();
        Self { x: xs, y: ys, z }
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.z[j * self.x.len() + i]
    }
}

/// A straight piece of an iso-line.
pub(crate) type Segment = ((f64, f64), (f64, f64));

/// The segments of the iso-line `f = level`. Cells with a non-finite corner are skipped.
pub(crate) fn iso_segments(grid: &Grid, level: f64) -> Vec<Segment> {
    let mut out = Vec::new();
    let (nx, ny) = (grid.x.len(), grid.y.len());
    for j in 0..ny.saturating_sub(1) {
        for i in 0..nx.saturating_sub(1) {
            let corners = [
                (grid.x[i], grid.y[j], grid.at(i, j)),                 // a
                (grid.x[i + 1], grid.y[j], grid.at(i + 1, j)),         // b
                (grid.x[i + 1], grid.y[j + 1], grid.at(i + 1, j + 1)), // c
                (grid.x[i], grid.y[j + 1], grid.at(i, j + 1)),         // d
            ];
            if corners.iter().any(|c| !c.2.is_finite()) {
                continue;
            }
            // edges in order: bottom a-b, right b-c, top c-d, left d-a
            let mut crossings: Vec<(usize, (f64, f64))> = Vec::with_capacity(4);
            for e in 0..4 {
                let (p, q) = (corners[e], corners[(e + 1) % 4]);
                if (p.2 >= level) != (q.2 >= level) {
                    let t = (level - p.2) / (q.2 - p.2);
                    crossings.push((e, (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))));
                }
            }
            match crossings.len() {
                2 => out.push((crossings[0].1, crossings[1].1)),
                4 => {
                    let centre = corners.iter().map(|c| c.2).sum::<f64>() / 4.0;
                    let point = |e: usize| crossings[e].1;
                    if (centre >= level) == (corners[0].2 >= level) {
                        // a joins c through the centre: cut off b (bottom-right) and d (top-left)
                        out.push((point(0), point(1)));
                        out.push((point(2), point(3)));
                    } else {
                        // cut off a (left-bottom) and c (right-top)
                        out.push((point(3), point(0)));
                        out.push((point(1), point(2)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// `n` levels spaced evenly in log between the smallest and largest finite grid values above
/// the minimum (iso-lines of a loss crowd near the optimum on a linear spacing).
pub(crate) fn log_levels(grid: &Grid, n: usize) -> Vec<f64> {
    let finite = grid.z.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !(lo.is_finite() && hi > lo) || n == 0 {
        return Vec::new();
    }
    // offset so the levels are positive whatever the function's minimum
    let span = hi - lo;
    let (a, b) = ((span * 1e-3).ln(), (span * 0.9).ln());
    (0..n)
        .map(|k| lo + (a + (b - a) * k as f64 / (n.max(2) - 1) as f64).exp())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_function_gives_the_exact_line() {
        // f = x on [0, 1]^2 with a 3 x 3 grid: the iso-line f = 0.25 is x = 0.25 exactly
        let grid = Grid::sample(|x, _| x, &(0.0..1.0), &(0.0..1.0), 3, 3);
        let segments = iso_segments(&grid, 0.25);
        assert_eq!(segments.len(), 2);
        for (p, q) in segments {
            assert_eq!((p.0, q.0), (0.25, 0.25));
        }
    }

    #[test]
    fn circle_points_lie_near_radius_one() {
        let grid = Grid::sample(|x, y| x * x + y * y, &(-2.0..2.0), &(-2.0..2.0), 81, 81);
        let segments = iso_segments(&grid, 1.0);
        assert!(segments.len() > 50);
        for (p, _) in segments {
            let r = (p.0 * p.0 + p.1 * p.1).sqrt();
            // grid step 0.05: linear interpolation of r^2 errs by at most about step^2/4
            assert!((r - 1.0).abs() < 2e-3, "r = {r}");
        }
    }

    #[test]
    fn saddle_uses_the_centre() {
        // corners a=1, b=0, c=1, d=0 on the unit square; level 0.5, centre mean 0.5 >= level
        // like a: cut off b and d
        let grid = Grid {
            x: vec![0.0, 1.0],
            y: vec![0.0, 1.0],
            z: vec![1.0, 0.0, 0.0, 1.0],
        };
        let segments = iso_segments(&grid, 0.5);
        assert_eq!(
            segments,
            vec![((0.5, 0.0), (1.0, 0.5)), ((0.5, 1.0), (0.0, 0.5))]
        );
    }

    #[test]
    fn log_levels_are_increasing_and_inside() {
        let grid = Grid::sample(|x, y| x * x + y * y, &(-1.0..1.0), &(-1.0..1.0), 11, 11);
        let levels = log_levels(&grid, 5);
        assert_eq!(levels.len(), 5);
        assert!(levels.windows(2).all(|w| w[0] < w[1]));
        assert!(levels[0] > 0.0 && levels[4] < 2.0);
    }
}
