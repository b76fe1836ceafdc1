//! Optimizer trajectories on a 2-D loss surface: iso-lines of f (marching squares on a grid)
//! and the path of each optimizer, from a ring at its start to a black-rimmed dot at its end.
//!
//! ```text
//! contours: f = L_k for log-spaced levels L_k (or the caller's), coloured light to dark
//! path:     (x_0, y_0) -> (x_1, y_1) -> ...  as computed by the caller, clipped to the window
//! ```
//! Like the optimizer animations of the CS231n notes; PyTorch has no plotting.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::check;
use crate::clip::clip_polyline;
use crate::contour::{iso_segments, log_levels, Grid};
use crate::error::{drawing, invalid, Result};
use crate::output::impl_chart;
use crate::panel::star;
use crate::style::{self, FONT, LABEL_SIZE, TICK_SIZE, TITLE_SIZE};
use crate::surfaces::Surface;

/// One optimizer's path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Legend entry, e.g. `"Adam (alpha 0.1)"`.
    pub name: String,
    /// The iterates `(x_t, y_t)`, starting point first; non-finite points (divergence) end
    /// the drawn path.
    pub points: Vec<(f64, f64)>,
}

impl Path {
    /// A named path.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
        }
    }
}

/// Paths of several optimizers over the contours of a surface.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectories {
    /// Chart title.
    pub title: String,
    /// The surface whose contours are drawn.
    pub surface: Surface,
    /// The optimizers' paths.
    pub paths: Vec<Path>,
    /// The window `((x_min, x_max), (y_min, y_max))`. Default: the surface's default window.
    pub window: ((f64, f64), (f64, f64)),
    /// Contour levels, increasing. Default: none, meaning 14 log-spaced levels.
    pub levels: Option<Vec<f64>>,
}

impl Trajectories {
    /// Paths on `surface` with its default window and levels.
    pub fn new(title: impl Into<String>, surface: Surface, paths: Vec<Path>) -> Self {
        Self {
            title: title.into(),
            surface,
            paths,
            window: surface.default_window(),
            levels: None,
        }
    }

    fn check(&self) -> Result<()> {
        check::at_least("paths", self.paths.len(), 1)?;
        for p in &self.paths {
            let arg = format!("paths \"{}\".points", p.name);
            check::at_least(&arg, p.points.len(), 1)?;
            let (x0, y0) = p.points[0];
            if !(x0.is_finite() && y0.is_finite()) {
                return Err(invalid(
                    format!("{arg}[0]"),
                    format!("is ({x0}, {y0}); expected a finite starting point"),
                ));
            }
        }
        let ((x0, x1), (y0, y1)) = self.window;
        check::finite("window", &[x0, x1, y0, y1])?;
        if !(x0 < x1 && y0 < y1) {
            return Err(invalid(
                "window",
                format!(
                    "is (({x0}, {x1}), ({y0}, {y1})); expected x_min < x_max and y_min < y_max"
                ),
            ));
        }
        if let Some(levels) = &self.levels {
            check::at_least("levels", levels.len(), 1)?;
            check::finite("levels", levels)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let ((x0, x1), (y0, y1)) = self.window;
        let (xr, yr) = (x0..x1, y0..y1);
        let surface = self.surface;
        let grid = Grid::sample(|x, y| surface.value(x, y), &xr, &yr, 161, 121);
        let levels = self.levels.clone().unwrap_or_else(|| log_levels(&grid, 14));
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(xr.clone(), yr.clone())
            .map_err(drawing)?;
        let tick = |v: &f64| style::short_number(*v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x")
            .y_desc("y")
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()
            .map_err(drawing)?;
        let n = levels.len().max(2) as f64;
        for (k, level) in levels.iter().enumerate() {
            // low levels dark grey-blue, high levels pale
            let t = k as f64 / (n - 1.0);
            let shade = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
            let color = RGBColor(shade(70.0, 200.0), shade(90.0, 205.0), shade(140.0, 215.0));
            let segments = iso_segments(&grid, *level);
            let drawn = chart
                .draw_series(
                    segments
                        .into_iter()
                        .map(|(p, q)| PathElement::new(vec![p, q], color.stroke_width(1))),
                )
                .map_err(drawing)?;
            if k == 0 {
                let legend_color = RGBColor(120, 135, 170);
                drawn
                    .label(format!("contours of {}", surface.formula()))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], legend_color.stroke_width(1))
                    });
            }
        }
        for (i, path) in self.paths.iter().enumerate() {
            let color = style::color(i);
            let finite_prefix: Vec<(f64, f64)> = path
                .points
                .iter()
                .copied()
                .take_while(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            chart
                .draw_series(LineSeries::new(
                    Vec::<(f64, f64)>::new(),
                    color.stroke_width(2),
                ))
                .map_err(drawing)?
                .label(format!("{} ({} steps)", path.name, path.points.len() - 1))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
            for run in clip_polyline(&finite_prefix, &xr, &yr) {
                chart
                    .draw_series(LineSeries::new(run.clone(), color.stroke_width(2)))
                    .map_err(drawing)?;
                // a dot per iterate shows the step sizes; on long paths dots would only thicken the line
                if path.points.len() <= 150 {
                    chart
                        .draw_series(run.into_iter().map(|p| Circle::new(p, 2, color.filled())))
                        .map_err(drawing)?;
                }
            }
            let inside = |p: &(f64, f64)| xr.contains(&p.0) && yr.contains(&p.1);
            let start = finite_prefix[0];
            if inside(&start) {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        start,
                        6,
                        color.stroke_width(2),
                    )))
                    .map_err(drawing)?;
            }
            if let Some(end) = finite_prefix.last().filter(|p| inside(p)) {
                chart
                    .draw_series([
                        Circle::new(*end, 6, color.filled()),
                        Circle::new(*end, 6, BLACK.stroke_width(1)),
                    ])
                    .map_err(drawing)?;
            }
        }
        let minimum = surface.minimum();
        let gold = RGBColor(230, 159, 0);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(minimum)
                    + Polygon::new(star(11), gold.filled())
                    + PathElement::new(crate::panel::closed(star(11)), BLACK.stroke_width(1)),
            ))
            .map_err(drawing)?
            .label(format!(
                "minimum ({}, {})",
                style::short_number(minimum.0),
                style::short_number(minimum.1)
            ))
            .legend(move |(x, y)| {
                EmptyElement::at((x + 10, y)) + Polygon::new(star(8), gold.filled())
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font((FONT, TICK_SIZE))
            .margin(8)
            .draw()
            .map_err(drawing)?;
        Ok(())
    }
}

impl_chart!(Trajectories, |_| (900, 560));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    /// Plain gradient descent on the surface, computed here for the test.
    fn descent(surface: Surface, start: (f64, f64), alpha: f64, steps: usize) -> Vec<(f64, f64)> {
        let mut theta = start;
        let mut path = vec![theta];
        for _ in 0..steps {
            let g = surface.gradient(theta.0, theta.1);
            theta = (theta.0 - alpha * g.0, theta.1 - alpha * g.1);
            path.push(theta);
        }
        path
    }

    #[test]
    fn svg_has_title_axes_and_legend() {
        let t = Trajectories::new(
            "Valley",
            Surface::Valley,
            vec![Path::new(
                "SGD",
                descent(Surface::Valley, (-9.0, 3.0), 0.9, 30),
            )],
        );
        let svg = render_svg(&t, (900, 560)).unwrap().0;
        for text in [
            "Valley",
            "\nx\n",
            "\ny\n",
            "SGD (30 steps)",
            "contours of f = x²/20 + y²",
            "minimum (0, 0)",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(png_size(&render_png(&t, (600, 400)).unwrap()), (600, 400));
    }

    #[test]
    fn diverging_path_is_drawn_up_to_the_window() {
        // alpha 1.1 on the y direction (curvature 2): |1 - 2.2| > 1, the path blows up
        let path = descent(Surface::Valley, (-9.0, 3.0), 1.1, 200);
        assert!(!path.last().unwrap().1.is_finite() || path.last().unwrap().1.abs() > 1e10);
        let t = Trajectories::new("t", Surface::Valley, vec![Path::new("SGD", path)]);
        assert!(render_svg(&t, (900, 560)).is_ok());
    }

    #[test]
    fn bad_inputs_are_errors() {
        let t = Trajectories::new("t", Surface::Rosenbrock, vec![]);
        assert!(matches!(
            render_svg(&t, (900, 560)),
            Err(PlotError::Empty { .. })
        ));
        let t = Trajectories::new(
            "t",
            Surface::Rosenbrock,
            vec![Path::new("Adam", vec![(f64::NAN, 0.0)])],
        );
        let err = render_svg(&t, (900, 560)).unwrap_err().to_string();
        assert!(err.starts_with("paths \"Adam\".points[0]"), "{err}");
        let mut t = Trajectories::new(
            "t",
            Surface::Rosenbrock,
            vec![Path::new("Adam", vec![(0.0, 0.0)])],
        );
        t.window = ((1.0, -1.0), (0.0, 1.0));
        let err = render_svg(&t, (900, 560)).unwrap_err().to_string();
        assert!(err.starts_with("window:"), "{err}");
    }
}
