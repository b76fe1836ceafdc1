//! k-fold cross-validation scores: one bar per fold, the mean as a dashed line and the band
//! mean +- one standard deviation.
//!
//! ```text
//! mean = sum(s_k) / K'          over the K' folds with a finite score
//! std  = sqrt(sum((s_k - mean)^2) / (K' - 1))   (sample std, like numpy's ddof=1; 0 when K' = 1)
//! ```
//! scikit-learn's `cross_val_score` returns the scores; people print `scores.mean()` and
//! `scores.std()` (numpy's default ddof=0): this chart uses ddof=1, the estimate of the spread
//! between folds. A diverged fold (NaN score) is labelled "diverged" and left out of the mean.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::check;
use crate::error::{drawing, Result};
use crate::output::impl_chart;
use crate::style::{self, FONT, LABEL_SIZE, TICK_SIZE, TITLE_SIZE};

/// Scores of the folds of one cross-validation.
#[derive(Debug, Clone, PartialEq)]
pub struct KFoldScores {
    /// Chart title.
    pub title: String,
    /// Name of the metric, e.g. `"val accuracy"`.
    pub metric_name: String,
    /// Score of fold 1, 2, ...; NaN for a diverged fold.
    pub scores: Vec<f64>,
}

impl KFoldScores {
    /// Scores of a cross-validation.
    pub fn new(title: impl Into<String>, metric_name: impl Into<String>, scores: Vec<f64>) -> Self {
        Self {
            title: title.into(),
            metric_name: metric_name.into(),
            scores,
        }
    }

    /// Mean and sample standard deviation (ddof = 1) of the finite scores.
    ///
    /// ```
    /// let k = trainlab_plots::KFoldScores::new("cv", "acc", vec![0.8, 0.9, f64::NAN, 1.0]);
    /// let (mean, std) = k.mean_std().unwrap();
    /// // hand-derived: mean 0.9; deviations -0.1, 0, 0.1 -> (0.01 + 0 + 0.01) / 2 = 0.01
    /// assert!((mean - 0.9).abs() < 1e-12 && (std - 0.1).abs() < 1e-12);
    /// ```
    pub fn mean_std(&self) -> Option<(f64, f64)> {
        let finite: Vec<f64> = self
            .scores
            .iter()
            .copied()
            .filter(|s| s.is_finite())
            .collect();
        if finite.is_empty() {
            return None;
        }
        let n = finite.len() as f64;
        let mean = finite.iter().sum::<f64>() / n;
        let std = if finite.len() > 1 {
            (finite.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        Some((mean, std))
    }

    fn check(&self) -> Result<()> {
        check::at_least("scores", self.scores.len(), 1)?;
        let finite = self.scores.iter().filter(|s| s.is_finite()).count();
        check::at_least("scores (finite values)", finite, 1)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let (mean, std) = self.mean_std().expect("check() found a finite score");
        let k = self.scores.len();
        let finite = self.scores.iter().copied().filter(|s| s.is_finite());
        // bars start at zero (a bar's length is its value); the headroom above them holds the
        // legend, so it covers no bar
        let padded = style::padded(finite.chain([mean - std, mean + std]), false);
        let yr = if padded.start >= 0.0 {
            0.0..padded.end * 1.35
        } else {
            padded
        };
        let xr = 0.4..(k as f64 + 0.6);
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(xr.clone(), yr.clone())
            .map_err(drawing)?;
        let fold_label = |v: &f64| {
            if v.fract() == 0.0 && *v >= 1.0 && *v <= k as f64 {
                format!("{}", *v as usize)
            } else {
                String::new()
            }
        };
        let y_tick = |v: &f64| style::short_number(*v);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("fold")
            .y_desc(self.metric_name.as_str())
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .x_labels(k + 2)
            .x_label_formatter(&fold_label)
            .y_label_formatter(&y_tick)
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(drawing)?;
        let band = RGBColor(0, 114, 178).mix(0.12);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(xr.start, mean - std), (xr.end, mean + std)],
                band.filled(),
            )))
            .map_err(drawing)?
            .label(format!("mean +- std ({})", style::short_number(std)))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 22, y + 5)], band.filled()));
        let bar = style::color(0);
        let bottom = yr.start;
        let mut bars = Vec::new();
        let mut texts = Vec::new();
        for (i, s) in self.scores.iter().enumerate() {
            let x = (i + 1) as f64;
            if s.is_finite() {
                bars.push(Rectangle::new(
                    [(x - 0.3, bottom), (x + 0.3, *s)],
                    bar.mix(0.85).filled(),
                ));
                texts.push((style::short_number(*s), (x, *s)));
            } else {
                texts.push((
                    "diverged".to_string(),
                    (x, bottom + 0.1 * (yr.end - yr.start)),
                ));
            }
        }
        chart
            .draw_series(bars)
            .map_err(drawing)?
            .label("fold score")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 22, y + 5)], bar.filled()));
        let text_style = TextStyle::from((FONT, TICK_SIZE).into_font())
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(
                texts
                    .into_iter()
                    .map(|(t, p)| EmptyElement::at(p) + Text::new(t, (0, -4), text_style.clone())),
            )
            .map_err(drawing)?;
        let mean_color = RGBColor(213, 94, 0);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(xr.start, mean), (xr.end, mean)],
                10,
                6,
                mean_color.stroke_width(2),
            ))
            .map_err(drawing)?
            .label(format!("mean = {}", style::short_number(mean)))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], mean_color.stroke_width(2))
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

impl_chart!(KFoldScores, |_| (800, 500));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    #[test]
    fn svg_has_title_axes_legend_and_diverged_fold() {
        let k = KFoldScores::new(
            "5-fold CV",
            "val accuracy",
            vec![0.91, 0.94, f64::NAN, 0.93, 0.9],
        );
        let svg = render_svg(&k, (800, 500)).unwrap().0;
        // hand-derived: mean of 0.91, 0.94, 0.93, 0.90 = 3.68 / 4 = 0.92
        for text in [
            "5-fold CV",
            "fold",
            "val accuracy",
            "fold score",
            "mean = 0.92",
            "diverged",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(png_size(&render_png(&k, (640, 480)).unwrap()), (640, 480));
    }

    #[test]
    fn no_scores_or_all_diverged_is_an_error() {
        let err = render_svg(&KFoldScores::new("t", "m", vec![]), (800, 500)).unwrap_err();
        assert!(err.to_string().starts_with("scores: has 0"), "{err}");
        let err = render_svg(&KFoldScores::new("t", "m", vec![f64::NAN]), (800, 500)).unwrap_err();
        assert!(matches!(err, PlotError::Empty { .. }), "{err}");
    }

    #[test]
    fn single_fold_has_zero_std() {
        assert_eq!(
            KFoldScores::new("t", "m", vec![0.5]).mean_std(),
            Some((0.5, 0.0))
        );
    }
}
