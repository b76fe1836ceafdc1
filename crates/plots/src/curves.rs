//! Learning curves: train and validation loss (left panel) and accuracy (right panel) against
//! the epoch, with marks such as the validation minimum.
//!
//! ```text
//! left:  (epoch, loss)     one line per series, log y optional
//! right: (epoch, accuracy) one line per series (panel left out when there is none)
//! marks: dashed vertical lines on both panels, a dot at (x, y) on the loss panel
//! ```
//! PyTorch has no plotting; TensorBoard draws the same series as separate scalar charts.
//! NaN or infinite values (a diverged run) are gaps, not errors.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::check;
use crate::error::{drawing, Result};
use crate::output::impl_chart;
use crate::panel::{draw_panel, Panel};
use crate::series::{Mark, Series};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::style::{FONT, LABEL_SIZE, TITLE_SIZE};

/// Loss and accuracy curves of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct LearningCurves {
    /// Chart title.
    pub title: String,
    /// x-axis label. Default: `"epoch"`.
    pub x_label: String,
    /// Loss series (e.g. train and val); at least one.
    pub loss: Vec<Series>,
    /// Accuracy series; the right panel is left out when empty.
    pub accuracy: Vec<Series>,
    /// Marked positions (e.g. the validation minimum, early stopping). Default: none.
    pub marks: Vec<Mark>,
    /// Logarithmic loss axis (finite losses must then be > 0). Default: false.
    pub log_loss: bool,
    /// What the left panel's series are: its caption and y label. Default: `"loss"` (an error
    /// rate is `"error"`, not a loss).
    pub loss_label: String,
    /// Loss values above this leave the chart (so one diverged run does not squash the others;
    /// say so in [`LearningCurves::note`]). Default: none.
    pub loss_cap: Option<f64>,
    /// One line of text under the title, e.g. that a difference is below the validation noise.
    /// Default: none.
    pub note: Option<String>,
}

impl LearningCurves {
    /// Curves from explicit series, with the defaults above.
    pub fn new(title: impl Into<String>, loss: Vec<Series>, accuracy: Vec<Series>) -> Self {
        Self {
            title: title.into(),
            x_label: "epoch".to_string(),
            loss,
            accuracy,
            marks: Vec::new(),
            log_loss: false,
            loss_label: "loss".to_string(),
            loss_cap: None,
            note: None,
        }
    }

    /// The usual four curves over shared epochs, named `train` and `val`, with the validation
    /// loss minimum marked. Pass empty accuracy vectors to leave that panel out.
    ///
    /// ```
    /// use trainlab_plots::LearningCurves;
    /// let c = LearningCurves::train_val(
    ///     "run 1", vec![1.0, 2.0, 3.0],
    ///     vec![0.9, 0.5, 0.3], vec![1.0, 0.7, 0.8],
    ///     vec![], vec![],
    /// );
    /// assert_eq!(c.marks[0].x, 2.0);
    /// assert!(c.accuracy.is_empty());
    /// ```
    pub fn train_val(
        title: impl Into<String>,
        epochs: Vec<f64>,
        train_loss: Vec<f64>,
        val_loss: Vec<f64>,
        train_acc: Vec<f64>,
        val_acc: Vec<f64>,
    ) -> Self {
        let val = Series::new("val", epochs.clone(), val_loss);
        let marks = Mark::minimum_of(&val, "val minimum").into_iter().collect();
        let mut accuracy = Vec::new();
        if !train_acc.is_empty() {
            accuracy.push(Series::new("train", epochs.clone(), train_acc));
        }
        if !val_acc.is_empty() {
            accuracy.push(Series::new("val", epochs.clone(), val_acc));
        }
        Self {
            marks,
            ..Self::new(
                title,
                vec![Series::new("train", epochs, train_loss), val],
                accuracy,
            )
        }
    }

    /// The same curves with a note under the title.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The same curves with one more mark.
    pub fn with_mark(mut self, mark: Mark) -> Self {
        self.marks.push(mark);
        self
    }

    fn check(&self) -> Result<()> {
        check::at_least("loss", self.loss.len(), 1)?;
        for s in &self.loss {
            s.check("loss", true, false, self.log_loss)?;
        }
        for s in &self.accuracy {
            s.check("accuracy", true, false, false)?;
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
        let area = match &self.note {
            Some(note) => {
                let (top, rest) = area.split_vertically(24);
                let style = TextStyle::from((FONT, LABEL_SIZE).into_font())
                    .color(&RGBColor(90, 90, 90))
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let (w, _) = top.dim_in_pixel();
                top.draw_text(note, &style, (w as i32 / 2, 12))
                    .map_err(drawing)?;
                rest
            }
            None => area,
        };
        let mut loss = Panel::new(&self.loss, &self.x_label, &self.loss_label);
        loss.caption = &self.loss_label;
        loss.marks = &self.marks;
        loss.log_y = self.log_loss;
        loss.y_cap = self.loss_cap;
        if self.accuracy.is_empty() {
            return draw_panel(&area, &loss);
        }
        let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
        draw_panel(&left, &loss)?;
        let marks: Vec<Mark> = self
            .marks
            .iter()
            .map(|m| Mark {
                y: None,
                ..m.clone()
            })
            .collect();
        let mut accuracy = Panel::new(&self.accuracy, &self.x_label, "accuracy");
        accuracy.caption = "accuracy";
        accuracy.marks = &marks;
        draw_panel(&right, &accuracy)
    }
}

impl_chart!(LearningCurves, |c| if c.accuracy.is_empty() {
    (800, 500)
} else {
    (1100, 480)
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    fn curves() -> LearningCurves {
        LearningCurves::train_val(
            "Digits MLP",
            vec![1.0, 2.0, 3.0, 4.0],
            vec![1.2, 0.6, 0.4, 0.3],
            vec![1.3, 0.8, 0.7, 0.9],
            vec![0.6, 0.8, 0.9, 0.95],
            vec![0.55, 0.75, 0.8, 0.78],
        )
    }

    #[test]
    fn svg_has_title_axes_legend_and_mark() {
        let svg = render_svg(&curves(), (1100, 480)).unwrap().0;
        for text in [
            "Digits MLP",
            "epoch",
            "loss",
            "accuracy",
            "train",
            "val",
            "val minimum (3)",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn png_has_the_requested_size() {
        assert_eq!(
            png_size(&render_png(&curves(), (900, 400)).unwrap()),
            (900, 400)
        );
    }

    #[test]
    fn diverged_values_are_gaps_but_mismatch_is_an_error() {
        let mut c = curves();
        c.loss[1].y[3] = f64::NAN;
        if let Err(e) = render_svg(&c, (800, 500)) {
            panic!("{e}");
        }
        c.accuracy[0].y.pop();
        let err = render_svg(&c, (800, 500)).unwrap_err();
        assert!(matches!(err, PlotError::LengthMismatch { .. }), "{err}");
        assert!(err.to_string().starts_with("accuracy \"train\".y"), "{err}");
    }

    #[test]
    fn no_loss_series_is_an_error() {
        let c = LearningCurves::new("t", vec![], vec![]);
        let err = render_svg(&c, (800, 500)).unwrap_err().to_string();
        assert!(err.starts_with("loss:"), "{err}");
    }
}
