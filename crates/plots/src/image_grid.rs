//! A grid of grayscale images with captions: inputs with their prediction and ground truth
//! ("pred 3 / true 8"), misclassified ones framed in red; the same picture serves TensorBoard's
//! misclassification grid.
//!
//! ```text
//! gray(pixel) = 255 * (v - min(image)) / (max(image) - min(image))   per image (constant -> mid grey)
//! tile k at row k / columns, column k % columns; nearest-neighbour scaling
//! ```
//! Like torchvision's `make_grid(normalize=True, scale_each=True)` plus captions.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::check;
use crate::error::{drawing, invalid, Result};
use crate::output::impl_chart;
use crate::style::{FONT, TICK_SIZE, TITLE_SIZE};

/// A grayscale image, row-major, any value range (each image is stretched to black..white).
#[derive(Debug, Clone, PartialEq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` values, row by row.
    pub pixels: Vec<f32>,
}

impl GrayImage {
    /// An image from its size and pixels.
    pub fn new(width: usize, height: usize, pixels: Vec<f32>) -> Self {
        Self {
            width,
            height,
            pixels,
        }
    }

    /// Grey levels 0..=255 after stretching the image's own range; a constant image is mid grey.
    ///
    /// ```
    /// let img = trainlab_plots::GrayImage::new(3, 1, vec![0.0, 8.0, 16.0]);
    /// assert_eq!(img.gray_levels(), vec![0, 128, 255]);
    /// ```
    pub fn gray_levels(&self) -> Vec<u8> {
        let lo = self.pixels.iter().copied().fold(f32::INFINITY, f32::min);
        let hi = self
            .pixels
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        self.pixels
            .iter()
            .map(|&v| {
                if hi > lo {
                    (255.0 * (v - lo) / (hi - lo)).round() as u8
                } else {
                    128
                }
            })
            .collect()
    }

    fn check(&self, argument: &str) -> Result<()> {
        if self.width == 0 || self.height == 0 {
            return Err(invalid(
                argument,
                format!(
                    "is {} x {} pixels; expected at least 1 x 1",
                    self.width, self.height
                ),
            ));
        }
        check::same_len(
            &format!("{argument}.pixels"),
            self.pixels.len(),
            &format!("{argument}.width * height"),
            self.width * self.height,
        )?;
        let values: Vec<f64> = self.pixels.iter().map(|&v| f64::from(v)).collect();
        check::finite(&format!("{argument}.pixels"), &values)
    }
}

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// The image.
    pub image: GrayImage,
    /// Text under it, e.g. `"pred 3 / true 8"`.
    pub caption: String,
    /// Framed in red (e.g. misclassified).
    pub highlight: bool,
}

/// Images in a grid with captions.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageGrid {
    /// Chart title.
    pub title: String,
    /// Tiles per row, >= 1.
    pub columns: usize,
    /// The tiles, row by row.
    pub tiles: Vec<Tile>,
    /// Legend text for highlighted tiles. Default: `"red frame: prediction != truth"`.
    pub highlight_meaning: String,
}

impl ImageGrid {
    /// A grid of `tiles`, `columns` per row.
    pub fn new(title: impl Into<String>, columns: usize, tiles: Vec<Tile>) -> Self {
        Self {
            title: title.into(),
            columns,
            tiles,
            highlight_meaning: "red frame: prediction != truth".to_string(),
        }
    }

    /// Inputs captioned `"pred {p} / true {t}"`, framed when `p != t`.
    ///
    /// ```
    /// use trainlab_plots::{GrayImage, ImageGrid};
    /// let img = GrayImage::new(1, 1, vec![0.0]);
    /// let g = ImageGrid::classification("digits", 8, vec![img.clone(), img],
    ///     vec!["3".into(), "1".into()], vec!["8".into(), "1".into()]).unwrap();
    /// assert_eq!(g.tiles[0].caption, "pred 3 / true 8");
    /// assert!(g.tiles[0].highlight && !g.tiles[1].highlight);
    /// ```
    pub fn classification(
        title: impl Into<String>,
        columns: usize,
        images: Vec<GrayImage>,
        predicted: Vec<String>,
        truth: Vec<String>,
    ) -> Result<Self> {
        check::same_len("predicted", predicted.len(), "images", images.len())?;
        check::same_len("truth", truth.len(), "images", images.len())?;
        let tiles = images
            .into_iter()
            .zip(predicted.into_iter().zip(truth))
            .map(|(image, (p, t))| Tile {
                image,
                highlight: p != t,
                caption: format!("pred {p} / true {t}"),
            })
            .collect();
        Ok(Self::new(title, columns, tiles))
    }

    fn rows(&self) -> usize {
        self.tiles.len().div_ceil(self.columns.max(1))
    }

    fn check(&self) -> Result<()> {
        if self.columns == 0 {
            return Err(invalid("columns", "is 0; expected at least 1"));
        }
        check::at_least("tiles", self.tiles.len(), 1)?;
        for (k, tile) in self.tiles.iter().enumerate() {
            tile.image.check(&format!("tiles[{k}].image"))?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let any_highlight = self.tiles.iter().any(|t| t.highlight);
        let area = if any_highlight {
            let (_, h) = area.dim_in_pixel();
            let (grid, legend) = area.split_vertically(h.saturating_sub(26));
            let style = TextStyle::from((FONT, TICK_SIZE).into_font()).color(&RED);
            legend
                .draw(&Text::new(self.highlight_meaning.clone(), (10, 4), style))
                .map_err(drawing)?;
            grid
        } else {
            area
        };
        let cells = area.split_evenly((self.rows(), self.columns));
        let caption = TextStyle::from((FONT, TICK_SIZE).into_font())
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        for (tile, cell) in self.tiles.iter().zip(cells) {
            let (w, h) = cell.dim_in_pixel();
            let (w, h) = (w as i32, h as i32);
            let caption_room = 22;
            let side_w = (w - 12).max(1);
            let side_h = (h - caption_room - 8).max(1);
            let img = &tile.image;
            // nearest-neighbour scale keeping the aspect ratio
            let scale = (side_w as f64 / img.width as f64).min(side_h as f64 / img.height as f64);
            let (iw, ih) = (
                (scale * img.width as f64) as i32,
                (scale * img.height as f64) as i32,
            );
            let (ox, oy) = ((w - iw) / 2, 4 + (side_h - ih) / 2);
            let gray = img.gray_levels();
            let px = |i: usize| ox + (i as f64 * scale).round() as i32;
            let py = |j: usize| oy + (j as f64 * scale).round() as i32;
            for j in 0..img.height {
                for i in 0..img.width {
                    let g = gray[j * img.width + i];
                    cell.draw(&Rectangle::new(
                        [(px(i), py(j)), (px(i + 1), py(j + 1))],
                        RGBColor(g, g, g).filled(),
                    ))
                    .map_err(drawing)?;
                }
            }
            let frame = if tile.highlight {
                RED.stroke_width(3)
            } else {
                RGBColor(160, 160, 160).stroke_width(1)
            };
            cell.draw(&Rectangle::new(
                [(ox - 2, oy - 2), (ox + iw + 1, oy + ih + 1)],
                frame,
            ))
            .map_err(drawing)?;
            let color = if tile.highlight { RED } else { BLACK };
            cell.draw(&Text::new(
                tile.caption.clone(),
                (w / 2, h - 4),
                caption.clone().color(&color),
            ))
            .map_err(drawing)?;
        }
        Ok(())
    }
}

impl_chart!(ImageGrid, |g| {
    let columns = g.columns.max(1) as u32;
    let rows = g.rows().max(1) as u32;
    let legend = if g.tiles.iter().any(|t| t.highlight) {
        26
    } else {
        0
    };
    (
        (columns * 130).clamp(200, 8000),
        (rows * 150 + 50 + legend).clamp(150, 8000),
    )
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg, Chart};
    use crate::test_util::png_size;
    use crate::PlotError;

    fn grid() -> ImageGrid {
        let digit =
            |k: usize| GrayImage::new(8, 8, (0..64).map(|p| ((p * k) % 17) as f32).collect());
        ImageGrid::classification(
            "Misclassified digits",
            3,
            (0..5).map(digit).collect(),
            ["3", "1", "7", "4", "9"].map(String::from).to_vec(),
            ["8", "1", "1", "4", "4"].map(String::from).to_vec(),
        )
        .unwrap()
    }

    #[test]
    fn svg_has_title_captions_and_legend() {
        let svg = render_svg(&grid(), (600, 400)).unwrap().0;
        for text in [
            "Misclassified digits",
            "pred 3 / true 8",
            "pred 1 / true 1",
            "red frame",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
    }

    #[test]
    fn png_size_default_and_requested() {
        let g = grid();
        // 3 columns x 2 rows: 390 x (300 + 50 + 26)
        assert_eq!(g.default_size(), (390, 376));
        assert_eq!(png_size(&g.png().unwrap()), (390, 376));
        assert_eq!(png_size(&render_png(&g, (300, 200)).unwrap()), (300, 200));
    }

    #[test]
    fn wrong_pixel_count_and_nan_are_errors() {
        let mut g = grid();
        g.tiles[2].image.pixels.pop();
        let err = render_svg(&g, (600, 400)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("tiles[2].image.pixels: has 63 values"),
            "{err}"
        );
        let mut g = grid();
        g.tiles[1].image.pixels[5] = f32::NAN;
        assert!(matches!(
            render_svg(&g, (600, 400)),
            Err(PlotError::NonFinite { index: 5, .. })
        ));
        let err = ImageGrid::classification("t", 2, vec![], vec!["1".into()], vec![]).unwrap_err();
        assert!(
            err.to_string().starts_with("predicted: has 1 values"),
            "{err}"
        );
        let mut g = grid();
        g.columns = 0;
        assert!(render_svg(&g, (600, 400))
            .unwrap_err()
            .to_string()
            .starts_with("columns:"));
    }
}
