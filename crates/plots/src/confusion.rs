//! A confusion matrix as a heat map: row = true class, column = predicted class, each cell
//! coloured by its count and labelled with it, a colour bar as the legend.
//!
//! ```text
//! counts[t][p] = number of samples of true class t predicted as p
//! colour(cell) = blues(counts[t][p] / max(counts))
//! ```
//! Same layout as scikit-learn's `ConfusionMatrixDisplay` (rows true, columns predicted);
//! PyTorch has none.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::check;
use crate::error::{drawing, invalid, Result};
use crate::output::impl_chart;
use crate::style::{self, FONT, LABEL_SIZE, TICK_SIZE, TITLE_SIZE};

/// Counts of (true class, predicted class) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix {
    /// Chart title.
    pub title: String,
    /// Class names, in the order of `counts`' rows and columns.
    pub labels: Vec<String>,
    /// `counts[true][predicted]`, a square matrix with one row per label.
    pub counts: Vec<Vec<u64>>,
}

/// White to dark blue, like matplotlib's "Blues": `t` in 0..=1.
pub(crate) fn blues(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let (a, b) = ((247.0, 251.0, 255.0), (8.0, 48.0, 107.0));
    let mix = |u: f64, v: f64| (u + (v - u) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl ConfusionMatrix {
    /// A matrix from class names and counts.
    pub fn new(title: impl Into<String>, labels: Vec<String>, counts: Vec<Vec<u64>>) -> Self {
        Self {
            title: title.into(),
            labels,
            counts,
        }
    }

    /// Counts from paired class indices: `truth[i]` and `predicted[i]` index into `labels`.
    ///
    /// ```
    /// use trainlab_plots::ConfusionMatrix;
    /// let labels = vec!["cat".to_string(), "dog".to_string()];
    /// let m = ConfusionMatrix::from_predictions("pets", labels, &[0, 0, 1], &[0, 1, 1]).unwrap();
    /// assert_eq!(m.counts, vec![vec![1, 1], vec![0, 1]]);
    /// ```
    pub fn from_predictions(
        title: impl Into<String>,
        labels: Vec<String>,
        truth: &[usize],
        predicted: &[usize],
    ) -> Result<Self> {
        check::same_len("predicted", predicted.len(), "truth", truth.len())?;
        let n = labels.len();
        let mut counts = vec![vec![0u64; n]; n];
        for (i, (&t, &p)) in truth.iter().zip(predicted).enumerate() {
            for (name, class) in [("truth", t), ("predicted", p)] {
                if class >= n {
                    return Err(invalid(
                        format!("{name}[{i}]"),
                        format!("is class {class}; expected < {n} (the number of labels)"),
                    ));
                }
            }
            counts[t][p] += 1;
        }
        Ok(Self::new(title, labels, counts))
    }

    fn check(&self) -> Result<()> {
        check::at_least("labels", self.labels.len(), 1)?;
        check::same_len("counts", self.counts.len(), "labels", self.labels.len())?;
        for (t, row) in self.counts.iter().enumerate() {
            check::same_len(
                &format!("counts[{t}]"),
                row.len(),
                "labels",
                self.labels.len(),
            )?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let n = self.labels.len();
        let max = self
            .counts
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let (w, _) = area.dim_in_pixel();
        let (matrix_area, bar_area) = area.split_horizontally(w.saturating_sub(110));
        let longest = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1);
        let label_room = (longest as u32 * 9 + 50).clamp(60, 200);
        let mut chart = ChartBuilder::on(&matrix_area)
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(label_room)
            .build_cartesian_2d(0f64..n as f64, 0f64..n as f64)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc("predicted")
            .y_desc("true")
            .axis_desc_style((FONT, LABEL_SIZE))
            .draw()
            .map_err(drawing)?;
        // row t is drawn at y = n - 1 - t so the first class is on top, as in scikit-learn
        let row_y = |t: usize| (n - 1 - t) as f64;
        chart
            .draw_series(self.counts.iter().enumerate().flat_map(|(t, row)| {
                row.iter().enumerate().map(move |(p, &c)| {
                    let color = blues(c as f64 / max as f64);
                    Rectangle::new(
                        [(p as f64, row_y(t)), (p as f64 + 1.0, row_y(t) + 1.0)],
                        color.filled(),
                    )
                })
            }))
            .map_err(drawing)?;
        let size = if n <= 12 { 15 } else { 11 };
        let center = Pos::new(HPos::Center, VPos::Center);
        chart
            .draw_series(self.counts.iter().enumerate().flat_map(|(t, row)| {
                row.iter().enumerate().map(move |(p, &c)| {
                    let dark = c as f64 / max as f64 > 0.5;
                    let color: &'static RGBColor = if dark { &WHITE } else { &BLACK };
                    let style = TextStyle::from((FONT, size).into_font())
                        .color(color)
                        .pos(center);
                    Text::new(c.to_string(), (p as f64 + 0.5, row_y(t) + 0.5), style)
                })
            }))
            .map_err(drawing)?;
        // class names: under the columns and left of the rows, offset in pixels from the edge
        let tick = TextStyle::from((FONT, LABEL_SIZE).into_font());
        let below = tick.pos(Pos::new(HPos::Center, VPos::Top));
        let left = tick.pos(Pos::new(HPos::Right, VPos::Center));
        chart
            .draw_series(self.labels.iter().enumerate().map(|(i, l)| {
                EmptyElement::at((i as f64 + 0.5, 0.0))
                    + Text::new(l.clone(), (0, 6), below.clone())
            }))
            .map_err(drawing)?;
        chart
            .draw_series(self.labels.iter().enumerate().map(|(i, l)| {
                EmptyElement::at((0.0, row_y(i) + 0.5))
                    + Text::new(l.clone(), (-8, 0), left.clone())
            }))
            .map_err(drawing)?;
        self.draw_colour_bar(&bar_area, max)
    }

    /// The legend: a vertical gradient from 0 to the largest count.
    fn draw_colour_bar<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        max: u64,
    ) -> Result<()> {
        let mut bar = ChartBuilder::on(area)
            .margin_top(40)
            .margin_bottom(82)
            .margin_right(12)
            .y_label_area_size(50)
            .caption("count", (FONT, TICK_SIZE))
            .build_cartesian_2d(0f64..1.0, 0f64..max as f64)
            .map_err(drawing)?;
        let y_tick = |v: &f64| style::short_number(*v);
        bar.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(6)
            .y_label_formatter(&y_tick)
            .label_style((FONT, TICK_SIZE))
            .draw()
            .map_err(drawing)?;
        let steps = 64;
        bar.draw_series((0..steps).map(|i| {
            let (a, b) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
            Rectangle::new(
                [(0.0, a * max as f64), (1.0, b * max as f64)],
                blues(a).filled(),
            )
        }))
        .map_err(drawing)?;
        Ok(())
    }
}

impl_chart!(ConfusionMatrix, |_| (760, 640));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    fn matrix() -> ConfusionMatrix {
        let labels = ["zero", "one", "two"].map(String::from).to_vec();
        ConfusionMatrix::new(
            "Digits",
            labels,
            vec![vec![5, 0, 1], vec![0, 7, 2], vec![1, 0, 9]],
        )
    }

    #[test]
    fn svg_has_title_axes_labels_counts_and_colour_bar() {
        let svg = render_svg(&matrix(), (760, 640)).unwrap().0;
        for text in [
            "Digits",
            "predicted",
            "true",
            "zero",
            "two",
            "\n9\n",
            "\n7\n",
            "count",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(
            png_size(&render_png(&matrix(), (500, 400)).unwrap()),
            (500, 400)
        );
    }

    #[test]
    fn blues_ends() {
        assert_eq!(blues(0.0), RGBColor(247, 251, 255));
        assert_eq!(blues(1.0), RGBColor(8, 48, 107));
    }

    #[test]
    fn ragged_or_mislabelled_counts_are_errors() {
        let mut m = matrix();
        m.counts[1].pop();
        let err = render_svg(&m, (760, 640)).unwrap_err();
        assert!(
            err.to_string().starts_with("counts[1]: has 2 values"),
            "{err}"
        );
        let mut m = matrix();
        m.labels.pop();
        assert!(matches!(
            render_svg(&m, (760, 640)),
            Err(PlotError::LengthMismatch { .. })
        ));
        let err = ConfusionMatrix::from_predictions("t", vec!["a".into()], &[0], &[3]).unwrap_err();
        assert!(
            err.to_string().starts_with("predicted[0]: is class 3"),
            "{err}"
        );
    }
}
