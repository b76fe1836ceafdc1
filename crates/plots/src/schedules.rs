//! Learning-rate schedules: several schedules' learning rate against the step, on one chart.
//!
//! ```text
//! one line per schedule: (step, alpha(step)); log y optional (decays span decades)
//! ```
//! PyTorch has no plotting; this is the chart people draw from `scheduler.get_last_lr()`.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::check;
use crate::error::{drawing, Result};
use crate::output::impl_chart;
use crate::panel::{draw_panel, Panel};
use crate::series::{Mark, Series};
use crate::style::{FONT, TITLE_SIZE};

/// Several learning-rate schedules on one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LrSchedules {
    /// Chart title.
    pub title: String,
    /// One series per schedule: x = step (or epoch), y = learning rate.
    pub schedules: Vec<Series>,
    /// x-axis label. Default: `"step"`.
    pub x_label: String,
    /// Logarithmic y axis (then every learning rate must be > 0). Default: false.
    pub log_y: bool,
    /// Marked steps (e.g. the end of warmup). Default: none.
    pub marks: Vec<Mark>,
    /// Draw each rate as constant until the next point (a staircase): a rate set per epoch
    /// holds for the whole epoch, so step decay shows as steps. Default: false (lines).
    pub staircase: bool,
}

impl LrSchedules {
    /// A chart of `schedules` with the defaults above.
    pub fn new(title: impl Into<String>, schedules: Vec<Series>) -> Self {
        Self {
            title: title.into(),
            schedules,
            x_label: "step".to_string(),
            log_y: false,
            marks: Vec::new(),
            staircase: false,
        }
    }

    /// The same chart drawn as a staircase (see [`LrSchedules::staircase`]).
    pub fn with_staircase(mut self, staircase: bool) -> Self {
        self.staircase = staircase;
        self
    }

    /// The same chart with a logarithmic y axis.
    pub fn with_log_y(mut self, log_y: bool) -> Self {
        self.log_y = log_y;
        self
    }

    fn check(&self) -> Result<()> {
        check::at_least("schedules", self.schedules.len(), 1)?;
        for s in &self.schedules {
            s.check("schedules", false, false, self.log_y)?;
        }
        for m in &self.marks {
            m.check("marks", false)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let stairs: Vec<Series>;
        let series = if self.staircase {
            stairs = self.schedules.iter().map(staircase).collect();
            &stairs
        } else {
            &self.schedules
        };
        let mut panel = Panel::new(series, &self.x_label, "learning rate");
        panel.log_y = self.log_y;
        panel.marks = &self.marks;
        draw_panel(&area, &panel)
    }
}

/// `(x0, y0), (x1, y1), ...` as `(x0, y0), (x1, y0), (x1, y1), (x2, y1), ...`, the last value held
/// for one more step (the spacing of the last two points, or 1).
fn staircase(s: &Series) -> Series {
    let n = s.x.len();
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(2 * n);
    for i in 0..n {
        let next = if i + 1 < n {
            s.x[i + 1]
        } else if n >= 2 {
            s.x[i] + (s.x[i] - s.x[i - 1])
        } else {
            s.x[i] + 1.0
        };
        x.extend([s.x[i], next]);
        y.extend([s.y[i], s.y[i]]);
    }
    Series::new(s.name.clone(), x, y)
}

impl_chart!(LrSchedules, |_| (800, 500));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::PlotError;

    fn chart() -> LrSchedules {
        let steps: Vec<f64> = (0..100).map(f64::from).collect();
        let step_decay = steps
            .iter()
            .map(|t| 0.1 * 0.5f64.powi((t / 30.0) as i32))
            .collect();
        let exp_decay = steps.iter().map(|t| 0.1 * (-0.03 * t).exp()).collect();
        LrSchedules::new(
            "Schedules",
            vec![
                Series::new("step decay", steps.clone(), step_decay),
                Series::new("exponential", steps, exp_decay),
            ],
        )
    }

    #[test]
    fn staircase_holds_each_rate_until_the_next_epoch() {
        let s = staircase(&Series::new("s", vec![0.0, 1.0, 2.0], vec![0.1, 0.1, 0.05]));
        assert_eq!(s.x, vec![0.0, 1.0, 1.0, 2.0, 2.0, 3.0]);
        assert_eq!(s.y, vec![0.1, 0.1, 0.1, 0.1, 0.05, 0.05]);
    }

    #[test]
    fn svg_has_title_labels_and_legend() {
        let svg = render_svg(&chart().with_log_y(true), (800, 500)).unwrap().0;
        for text in [
            "Schedules",
            "step",
            "learning rate",
            "step decay",
            "exponential",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn png_has_the_requested_size() {
        let png = render_png(&chart(), (640, 400)).unwrap();
        assert_eq!(crate::test_util::png_size(&png), (640, 400));
    }

    #[test]
    fn zero_lr_on_log_axis_is_an_error() {
        let mut c = chart().with_log_y(true);
        c.schedules[1].y[3] = 0.0;
        let err = render_svg(&c, (800, 500)).unwrap_err();
        assert!(
            matches!(err, PlotError::NotPositive { index: 3, .. }),
            "{err}"
        );
        assert!(
            err.to_string().contains("schedules \"exponential\".y[3]"),
            "{err}"
        );
    }

    #[test]
    fn empty_and_mismatched_are_errors() {
        assert!(render_svg(&LrSchedules::new("t", vec![]), (800, 500)).is_err());
        let bad = LrSchedules::new("t", vec![Series::new("a", vec![1.0, 2.0], vec![0.1])]);
        let err = render_svg(&bad, (800, 500)).unwrap_err();
        assert!(matches!(err, PlotError::LengthMismatch { .. }), "{err}");
    }
}
