//! The learning-rate finder's curve: loss against a learning rate growing exponentially per
//! step (log x), with the suggested learning rate marked.
//!
//! ```text
//! x = lr_t = lr_min * (lr_max / lr_min)^(t / (T - 1)),  y = loss_t (raw) and smoothed
//! y axis capped at 4 * the first finite loss, so the final blow-up does not flatten the rest
//! ```
//! Like fastai's `lr_find().plot()`; PyTorch itself has no LR finder.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::check;
use crate::error::{drawing, Result};
use crate::output::impl_chart;
use crate::panel::{draw_panel, Panel};
use crate::series::{Mark, Series};
use crate::style::{self, FONT, TITLE_SIZE};

/// The LR finder's losses and its suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct LrFinderCurve {
    /// Chart title.
    pub title: String,
    /// Learning rates tried, all > 0.
    pub lrs: Vec<f64>,
    /// Loss at each learning rate; NaN or infinite (divergence) are gaps.
    pub losses: Vec<f64>,
    /// Smoothed losses, same length, if the finder smooths. Default: none.
    pub smoothed: Option<Vec<f64>>,
    /// The suggested learning rate (> 0), marked on the curve. Default: none.
    pub suggestion: Option<f64>,
}

impl LrFinderCurve {
    /// A curve with no smoothing and no suggestion.
    pub fn new(title: impl Into<String>, lrs: Vec<f64>, losses: Vec<f64>) -> Self {
        Self {
            title: title.into(),
            lrs,
            losses,
            smoothed: None,
            suggestion: None,
        }
    }

    /// The same curve with its suggestion.
    pub fn with_suggestion(mut self, lr: f64) -> Self {
        self.suggestion = Some(lr);
        self
    }

    /// The same curve with smoothed losses.
    pub fn with_smoothed(mut self, smoothed: Vec<f64>) -> Self {
        self.smoothed = Some(smoothed);
        self
    }

    fn series(&self) -> Vec<Series> {
        let mut series = vec![Series::new("loss", self.lrs.clone(), self.losses.clone())];
        if let Some(s) = &self.smoothed {
            series.push(Series::new("smoothed loss", self.lrs.clone(), s.clone()));
        }
        series
    }

    /// The loss shown for the suggestion: the (smoothed if given) loss at the nearest lr.
    fn suggestion_mark(&self) -> Option<Mark> {
        let lr = self.suggestion?;
        let losses = self.smoothed.as_ref().unwrap_or(&self.losses);
        let y = self
            .lrs
            .iter()
            .zip(losses)
            .filter(|(_, l)| l.is_finite())
            .min_by(|a, b| {
                let da = (a.0.ln() - lr.ln()).abs();
                let db = (b.0.ln() - lr.ln()).abs();
                da.total_cmp(&db)
            })
            .map(|(_, l)| *l);
        Some(Mark {
            x: lr,
            y,
            label: format!("suggested lr = {}", style::short_number(lr)),
        })
    }

    fn check(&self) -> Result<()> {
        check::at_least("lrs", self.lrs.len(), 2)?;
        check::same_len("losses", self.losses.len(), "lrs", self.lrs.len())?;
        if let Some(s) = &self.smoothed {
            check::same_len("smoothed", s.len(), "lrs", self.lrs.len())?;
        }
        check::positive("lrs", &self.lrs)?;
        for s in self.series() {
            s.check("lr finder", true, true, false)?;
        }
        if let Some(lr) = self.suggestion {
            check::positive("suggestion", &[lr])?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let series = self.series();
        let marks: Vec<Mark> = self.suggestion_mark().into_iter().collect();
        let finite: Vec<f64> = series
            .iter()
            .flat_map(|s| s.y.iter().copied())
            .filter(|v| v.is_finite())
            .collect();
        let first = self.losses.iter().copied().find(|v| v.is_finite());
        let cap = first.map(|f| 4.0 * f.abs()).unwrap_or(f64::INFINITY);
        let capped = finite.iter().map(|v| v.min(cap));
        let mut panel = Panel::new(&series, "learning rate", "loss");
        panel.log_x = true;
        panel.marks = &marks;
        panel.y_range = Some(style::padded(capped, false));
        draw_panel(&area, &panel)
    }
}

impl_chart!(LrFinderCurve, |_| (800, 500));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    fn curve() -> LrFinderCurve {
        let lrs: Vec<f64> = (0..50)
            .map(|t| 1e-5 * 10f64.powf(t as f64 / 10.0))
            .collect();
        let losses = lrs
            .iter()
            .map(|lr| 2.3 - 0.3 * (lr * 1e4).ln().max(0.0) + (lr * 10.0).powi(2))
            .collect();
        LrFinderCurve::new("LR finder", lrs, losses).with_suggestion(3e-3)
    }

    #[test]
    fn svg_has_title_axes_and_suggestion() {
        let svg = render_svg(&curve(), (800, 500)).unwrap().0;
        for text in ["LR finder", "learning rate", "loss", "suggested lr = 0.003"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(
            png_size(&render_png(&curve(), (700, 450)).unwrap()),
            (700, 450)
        );
    }

    #[test]
    fn lr_not_positive_is_an_error() {
        let mut c = curve();
        c.lrs[0] = 0.0;
        let err = render_svg(&c, (800, 500)).unwrap_err();
        assert!(
            matches!(err, PlotError::NotPositive { index: 0, .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("lrs[0] = 0"), "{err}");
        let err = render_svg(&curve().with_suggestion(-1.0), (800, 500)).unwrap_err();
        assert!(err.to_string().starts_with("suggestion[0] = -1"), "{err}");
    }

    #[test]
    fn diverged_tail_is_allowed_mismatch_is_not() {
        let mut c = curve();
        c.losses[49] = f64::INFINITY;
        assert!(render_svg(&c, (800, 500)).is_ok());
        let err = render_svg(&c.with_smoothed(vec![1.0]), (800, 500)).unwrap_err();
        assert!(
            err.to_string().starts_with("smoothed: has 1 values"),
            "{err}"
        );
    }

    #[test]
    fn suggestion_dot_sits_on_the_nearest_lr() {
        let c = LrFinderCurve::new("t", vec![1e-3, 1e-2, 1e-1], vec![3.0, 2.0, 5.0])
            .with_suggestion(1.2e-2);
        assert_eq!(c.suggestion_mark().unwrap().y, Some(2.0));
    }
}
