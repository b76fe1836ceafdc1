//! Rendering any chart to SVG text (notebooks) or PNG bytes and files (the CLI).
//!
//! Every chart type implements [`Chart`]; the free functions here take `&dyn Chart`, so they
//! are compiled once in this crate and a notebook cell only calls them.

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use crate::check;
use crate::error::{drawing, PlotError, Result};

/// DejaVu Sans 2.37 (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`): bitmaps need a
/// font file, and headless machines have none.
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Registers the embedded font as `sans-serif` once per process.
fn ensure_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Drawing(
            "the embedded DejaVu Sans font could not be parsed".to_string(),
        ))
    }
}

/// An SVG document; ending a notebook cell with `chart.svg()?.evcxr_display()` shows it inline.
///
/// ```
/// let svg = trainlab_plots::Svg("<svg></svg>".to_string());
/// assert_eq!(svg.as_str(), "<svg></svg>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg(pub String);

impl Svg {
    /// The SVG text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Prints the SVG in evcxr's rich-output protocol, so the Jupyter kernel draws it.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }

    /// The text [`Svg::evcxr_display`] prints.
    ///
    /// ```
    /// let svg = trainlab_plots::Svg("<svg/>".to_string());
    /// assert_eq!(
    ///     svg.evcxr_content(),
    ///     "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg/>\nEVCXR_END_CONTENT"
    /// );
    /// ```
    pub fn evcxr_content(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            self.0.trim_end()
        )
    }
}

/// A chart: checked input that can draw itself on an SVG or a bitmap drawing area.
///
/// Implemented by every chart of this crate; use the provided methods or the free functions
/// [`render_svg`], [`render_png`], [`save_svg`], [`save_png`].
pub trait Chart {
    /// Pixel size used when none is given (width, height).
    fn default_size(&self) -> (u32, u32) {
        (800, 500)
    }

    /// Checks the input; every drawing method calls it first.
    fn validate(&self) -> Result<()>;

    /// Draws on an SVG area.
    fn draw_svg(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>;

    /// Draws on a bitmap area.
    fn draw_bitmap(&self, area: &DrawingArea<BitMapBackend<'_>, Shift>) -> Result<()>;

    /// SVG at the default size.
    fn svg(&self) -> Result<Svg>
    where
        Self: Sized,
    {
        render_svg(self, self.default_size())
    }

    /// PNG bytes at the default size.
    fn png(&self) -> Result<Vec<u8>>
    where
        Self: Sized,
    {
        render_png(self, self.default_size())
    }
}

/// Renders a chart as SVG text of `size` = (width, height) pixels.
pub fn render_svg(chart: &dyn Chart, size: (u32, u32)) -> Result<Svg> {
    check::size(size)?;
    chart.validate()?;
    // SVG text is left to the viewer's fonts, but plotters measures text with the font too
    ensure_font()?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        chart.draw_svg(&root)?;
        root.present().map_err(drawing)?;
    }
    Ok(Svg(text))
}

/// Renders a chart as the bytes of an 8-bit RGB PNG of `size` = (width, height) pixels.
pub fn render_png(chart: &dyn Chart, size: (u32, u32)) -> Result<Vec<u8>> {
    check::size(size)?;
    chart.validate()?;
    ensure_font()?;
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        chart.draw_bitmap(&root)?;
        root.present().map_err(drawing)?;
    }
    encode_png(&rgb, size)
}

/// Encodes an RGB buffer as PNG.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // charts are mostly flat colour: per-row filter choice shrinks them several-fold
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        encoder.set_compression(png::Compression::Best);
        let mut writer = encoder
            .write_header()
            .map_err(|e| PlotError::Png(e.to_string()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| PlotError::Png(e.to_string()))?;
    }
    Ok(bytes)
}

/// Writes a chart as a PNG file.
pub fn save_png(chart: &dyn Chart, path: &Path, size: (u32, u32)) -> Result<()> {
    let bytes = render_png(chart, size)?;
    write(path, &bytes)
}

/// Writes a chart as an SVG file.
pub fn save_svg(chart: &dyn Chart, path: &Path, size: (u32, u32)) -> Result<()> {
    let svg = render_svg(chart, size)?;
    write(path, svg.0.as_bytes())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Implements [`Chart`] for a type with inherent `check(&self)` and generic `draw(&self, area)`.
macro_rules! impl_chart {
    ($ty:ty, $size:expr) => {
        impl $crate::output::Chart for $ty {
            fn default_size(&self) -> (u32, u32) {
                let size: fn(&$ty) -> (u32, u32) = $size;
                size(self)
            }
            fn validate(&self) -> $crate::error::Result<()> {
                self.check()
            }
            fn draw_svg(
                &self,
                area: &plotters::drawing::DrawingArea<
                    plotters::backend::SVGBackend<'_>,
                    plotters::coord::Shift,
                >,
            ) -> $crate::error::Result<()> {
                self.draw(area)
            }
            fn draw_bitmap(
                &self,
                area: &plotters::drawing::DrawingArea<
                    plotters::backend::BitMapBackend<'_>,
                    plotters::coord::Shift,
                >,
            ) -> $crate::error::Result<()> {
                self.draw(area)
            }
        }
    };
}
pub(crate) use impl_chart;
