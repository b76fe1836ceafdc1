//! Clipping a polyline to a rectangle (Liang-Barsky), so paths that leave the plotted window
//! (a diverging optimizer, a loss blowing up) stop at its edge instead of crossing the margins.
//!
//! For each segment `p + t*(q - p)`, `t` in `0..=1`, every edge gives a bound on `t`:
//! ```text
//! for (den, num) in [(-dx, p.x - xmin), (dx, xmax - p.x), (-dy, p.y - ymin), (dy, ymax - p.y)]:
//!     den == 0  and num < 0 -> outside, parallel to the edge
//!     den < 0 -> t0 = max(t0, num / den)   (entering)
//!     den > 0 -> t1 = min(t1, num / den)   (leaving)
//! visible part: t0..t1 when t0 <= t1
//! ```
//! plotters itself does not clip series to the plotting area.

use std::ops::Range;

/// Splits `points` into the runs that lie inside `x` x `y`; non-finite points break runs.
pub(crate) fn clip_polyline(
    points: &[(f64, f64)],
    x: &Range<f64>,
    y: &Range<f64>,
) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let inside =
        |p: &(f64, f64)| x.contains(&p.0) && y.contains(&p.1) || p.0 == x.end || p.1 == y.end;
    if points.len() == 1 && finite(&points[0]) && inside(&points[0]) {
        return vec![points.to_vec()];
    }
    for pair in points.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        if !finite(&p) || !finite(&q) {
            flush(&mut runs, &mut current);
            continue;
        }
        match clip_segment(p, q, x, y) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    flush(&mut runs, &mut current);
                    current.push(a);
                }
                current.push(b);
                if b != q {
                    flush(&mut runs, &mut current);
                }
            }
            None => flush(&mut runs, &mut current),
        }
    }
    flush(&mut runs, &mut current);
    runs
}

fn flush(runs: &mut Vec<Vec<(f64, f64)>>, current: &mut Vec<(f64, f64)>) {
    if !current.is_empty() {
        runs.push(std::mem::take(current));
    }
}

/// The visible part of segment p-q, if any.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (den, num) in [
        (-dx, p.0 - x.start),
        (dx, x.end - p.0),
        (-dy, p.1 - y.start),
        (dy, y.end - p.1),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return None;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            p
        } else if t == 1.0 {
            q
        } else {
            (p.0 + t * dx, p.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_stays_whole() {
        let pts = vec![(0.1, 0.1), (0.5, 0.5), (0.9, 0.2)];
        assert_eq!(clip_polyline(&pts, &(0.0..1.0), &(0.0..1.0)), vec![pts]);
    }

    #[test]
    fn leaving_and_reentering_splits() {
        // hand-derived: (0.5,0.5)->(1.5,0.5) leaves at x=1; (1.5,0.5)->(0.5,0.25) re-enters at
        // t = 0.5, i.e. (1.0, 0.375)
        let pts = vec![(0.5, 0.5), (1.5, 0.5), (0.5, 0.25)];
        let runs = clip_polyline(&pts, &(0.0..1.0), &(0.0..1.0));
        assert_eq!(
            runs,
            vec![
                vec![(0.5, 0.5), (1.0, 0.5)],
                vec![(1.0, 0.375), (0.5, 0.25)]
            ]
        );
    }

    #[test]
    fn nan_breaks_and_outside_vanishes() {
        let pts = vec![
            (0.1, 0.1),
            (0.2, 0.2),
            (f64::NAN, 0.0),
            (0.3, 0.3),
            (0.4, 0.4),
        ];
        assert_eq!(clip_polyline(&pts, &(0.0..1.0), &(0.0..1.0)).len(), 2);
        let far = vec![(2.0, 2.0), (3.0, 3.0)];
        assert!(clip_polyline(&far, &(0.0..1.0), &(0.0..1.0)).is_empty());
    }
}
