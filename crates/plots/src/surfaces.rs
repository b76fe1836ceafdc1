//! The lecture's two 2-D loss surfaces for optimizer trajectories.
//!
//! ```text
//! Valley:     f(x, y) = x^2 / 20 + y^2              minimum 0 at (0, 0)
//!             gradient (x / 10, 2 y): steep across (y), shallow along (x), so plain SGD
//!             zig-zags in y and crawls in x ("division in y-direction large, x-direction small")
//! Rosenbrock: f(x, y) = (1 - x)^2 + 100 (y - x^2)^2  minimum 0 at (1, 1), in a curved valley
//! ```
//! Both are plain functions: the caller runs the optimizers (e.g. trainlab-optimizers) on their
//! gradients and passes the paths in. PyTorch has no test surfaces; the CS231n notes and
//! `torch.optim` tutorials write the same two functions by hand.

/// A 2-D test function with a known minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `f = x^2 / 20 + y^2`, the elongated valley.
    Valley,
    /// `f = (1 - x)^2 + 100 (y - x^2)^2`.
    Rosenbrock,
}

impl Surface {
    /// The function's value.
    ///
    /// ```
    /// use trainlab_plots::Surface;
    /// assert_eq!(Surface::Valley.value(2.0, 1.0), 4.0 / 20.0 + 1.0);
    /// assert_eq!(Surface::Rosenbrock.value(1.0, 1.0), 0.0);
    /// assert_eq!(Surface::Rosenbrock.value(0.0, 0.0), 1.0);
    /// ```
    pub fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::Valley => x * x / 20.0 + y * y,
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
        }
    }

    /// The gradient `(df/dx, df/dy)`, for callers that run optimizers on the surface.
    ///
    /// ```
    /// use trainlab_plots::Surface;
    /// assert_eq!(Surface::Valley.gradient(2.0, 1.0), (0.2, 2.0));
    /// // hand-derived at (0, 0): d/dx = -2(1 - x) - 400 x (y - x^2) = -2; d/dy = 200 (y - x^2) = 0
    /// assert_eq!(Surface::Rosenbrock.gradient(0.0, 0.0), (-2.0, 0.0));
    /// ```
    pub fn gradient(self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Surface::Valley => (x / 10.0, 2.0 * y),
            Surface::Rosenbrock => (
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ),
        }
    }

    /// Where the minimum is.
    pub fn minimum(self) -> (f64, f64) {
        match self {
            Surface::Valley => (0.0, 0.0),
            Surface::Rosenbrock => (1.0, 1.0),
        }
    }

    /// The window drawn by default: `((x_min, x_max), (y_min, y_max))`.
    pub fn default_window(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Surface::Valley => ((-10.0, 10.0), (-4.0, 4.0)),
            Surface::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
        }
    }

    /// The formula, for titles and legends.
    pub fn formula(self) -> &'static str {
        match self {
            Surface::Valley => "f = x²/20 + y²",
            Surface::Rosenbrock => "f = (1 - x)² + 100 (y - x²)²",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_central_differences() {
        let h = 1e-6;
        for s in [Surface::Valley, Surface::Rosenbrock] {
            for (x, y) in [(0.3, -0.7), (-1.2, 1.0), (2.0, 0.5)] {
                let (gx, gy) = s.gradient(x, y);
                let nx = (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h);
                let ny = (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h);
                assert!(
                    (gx - nx).abs() < 1e-4 * (1.0 + nx.abs()),
                    "{s:?} x at ({x},{y})"
                );
                assert!(
                    (gy - ny).abs() < 1e-4 * (1.0 + ny.abs()),
                    "{s:?} y at ({x},{y})"
                );
            }
            let (mx, my) = s.minimum();
            assert_eq!(s.value(mx, my), 0.0);
        }
    }
}
