//! Rendering any chart to SVG text (notebooks) or PNG bytes and files (the CLI).
//!
//! Every chart type implements [`Chart`]; the free functions here take `&dyn Chart`, so they
//! are compiled once in this crate and a notebook cell only calls them.

use std::path::Path;
use std::sync::OnceLock;

use base64::prelude::{Engine as _, BASE64_STANDARD};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use crate::check;
use crate::error::{drawing, PlotError, Result};
use crate::png_text::Bitmap;

/// DejaVu Sans 2.37 (Bitstream Vera licence, see `fonts/LICENSE-DejaVu.txt`): bitmaps need a
/// font file, and headless machines have none.
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Registers the embedded font as `sans-serif` once per process.
pub(crate) fn ensure_font() -> Result<()> {
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

/// An SVG document, and for notebooks the same chart as a PNG; ending a notebook cell with
/// `chart.svg()?.evcxr_display()` shows it inline.
///
/// JupyterLab renders SVG only in a trusted notebook, and a freshly cloned notebook is not
/// trusted: its committed SVG outputs would stay blank until run again. [`Chart::svg`] therefore
/// renders a PNG beside the SVG, and [`Svg::evcxr_display`] sends both in one output; the viewer
/// picks what it may show (SVG when trusted, the PNG otherwise). The SVG takes the width of the
/// notebook column (its viewBox keeps the aspect ratio) instead of a fixed pixel width.
///
/// ```
/// let svg = trainlab_plots::Svg("<svg></svg>".to_string(), None);
/// assert_eq!(svg.as_str(), "<svg></svg>");
/// assert!(svg.png().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg(
    /// The SVG text.
    pub String,
    /// The same chart as PNG bytes, for viewers that may not render the SVG; `None`: SVG alone.
    pub Option<Vec<u8>>,
);

impl Svg {
    /// The SVG text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The PNG rendered beside the SVG, if any.
    pub fn png(&self) -> Option<&[u8]> {
        self.1.as_deref()
    }

    /// Prints the chart in evcxr's rich-output protocol, so the Jupyter kernel draws it: the SVG
    /// and, when there is one, the PNG, which evcxr merges into one output with both types.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }

    /// The text [`Svg::evcxr_display`] prints.
    ///
    /// ```
    /// let svg = trainlab_plots::Svg("<svg/>".to_string(), None);
    /// assert_eq!(
    ///     svg.evcxr_content(),
    ///     "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg/>\nEVCXR_END_CONTENT"
    /// );
    /// // "PNG" in base64 is "UE5H"
    /// let both = trainlab_plots::Svg("<svg/>".to_string(), Some(b"PNG".to_vec()));
    /// assert_eq!(
    ///     both.evcxr_content(),
    ///     "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg/>\nEVCXR_END_CONTENT\n\
    ///      EVCXR_BEGIN_CONTENT image/png\nUE5H\nEVCXR_END_CONTENT"
    /// );
    /// ```
    pub fn evcxr_content(&self) -> String {
        let svg = format!(
            "EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT",
            self.0.trim_end()
        );
        match &self.1 {
            None => svg,
            Some(png) => format!(
                "{svg}\nEVCXR_BEGIN_CONTENT image/png\n{}\nEVCXR_END_CONTENT",
                BASE64_STANDARD.encode(png)
            ),
        }
    }
}

/// Lets the chart fit its notebook column: plotters writes the root as `<svg width="W"
/// height="H" viewBox="0 0 W H" ...>`; JupyterLab shows an SVG as an `<img>` whose width is the
/// SVG's own (its stylesheet limits inline `<svg>` and PNG `<img>` to the column, not SVG images),
/// so a 1100-px chart was cut off in a narrower column. With `width="100%"` and no height the
/// image takes the column's width and the viewBox's aspect ratio.
fn scalable(svg: String) -> String {
    let Some(start) = svg.find("<svg ") else {
        return svg;
    };
    let Some(len) = svg[start..].find('>') else {
        return svg;
    };
    let root = &svg[start..start + len];
    if !root.contains(" viewBox=") {
        return svg;
    }
    let mut attrs: Vec<&str> = root["<svg ".len()..]
        .split(' ')
        .filter(|a| !a.starts_with("width=") && !a.starts_with("height="))
        .collect();
    attrs.insert(0, "width=\"100%\"");
    format!(
        "{}<svg {}{}",
        &svg[..start],
        attrs.join(" "),
        &svg[start + len..]
    )
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

    /// Draws on a bitmap area (plotters' bitmap backend with correctly spaced text).
    fn draw_bitmap(&self, area: &DrawingArea<Bitmap<'_>, Shift>) -> Result<()>;

    /// SVG at the default size with a PNG of the same size beside it (see [`Svg`]): what a
    /// notebook shows.
    fn svg(&self) -> Result<Svg>
    where
        Self: Sized,
    {
        render_svg_and_png(self, self.default_size())
    }

    /// PNG bytes at the default size.
    fn png(&self) -> Result<Vec<u8>>
    where
        Self: Sized,
    {
        render_png(self, self.default_size())
    }
}

/// Renders a chart as SVG text of `size` = (width, height) pixels (no PNG beside it).
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
    Ok(Svg(scalable(text), None))
}

/// Renders a chart as SVG text and, beside it, as a PNG of the same `size`: the notebook form
/// (see [`Svg`]).
pub fn render_svg_and_png(chart: &dyn Chart, size: (u32, u32)) -> Result<Svg> {
    let Svg(text, _) = render_svg(chart, size)?;
    Ok(Svg(text, Some(render_png(chart, size)?)))
}

/// Renders a chart as the bytes of an 8-bit RGB PNG of `size` = (width, height) pixels.
pub fn render_png(chart: &dyn Chart, size: (u32, u32)) -> Result<Vec<u8>> {
    check::size(size)?;
    chart.validate()?;
    ensure_font()?;
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let font = ab_glyph::FontRef::try_from_slice(DEJAVU_SANS).map_err(|_| {
            PlotError::Drawing("the embedded DejaVu Sans font could not be parsed".to_string())
        })?;
        let root = Bitmap::with_buffer(&mut rgb, size, font).into_drawing_area();
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
                    $crate::png_text::Bitmap<'_>,
                    plotters::coord::Shift,
                >,
            ) -> $crate::error::Result<()> {
                self.draw(area)
            }
        }
    };
}
pub(crate) use impl_chart;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::png_size;
    use crate::KFoldScores;

    fn chart() -> KFoldScores {
        KFoldScores::new("k", "accuracy", vec![0.9, 0.8])
    }

    /// The `image/png` block of evcxr content, decoded.
    fn png_block(content: &str) -> Vec<u8> {
        let start = content
            .find("EVCXR_BEGIN_CONTENT image/png\n")
            .expect("a PNG block")
            + "EVCXR_BEGIN_CONTENT image/png\n".len();
        let end = start
            + content[start..]
                .find("\nEVCXR_END_CONTENT")
                .expect("its end");
        BASE64_STANDARD
            .decode(&content[start..end])
            .expect("base64")
    }

    #[test]
    fn a_notebook_chart_sends_svg_and_png_of_the_same_size() {
        let c = chart();
        let svg = c.svg().expect("renders");
        let (w, h) = c.default_size();
        assert!(svg.as_str().contains(&format!(" viewBox=\"0 0 {w} {h}\"")));
        assert_eq!(png_size(svg.png().expect("a PNG beside the SVG")), (w, h));
        let content = svg.evcxr_content();
        assert!(content.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg "));
        assert!(content.ends_with("\nEVCXR_END_CONTENT"));
        assert_eq!(png_block(&content), svg.png().unwrap());
    }

    #[test]
    fn the_svg_takes_its_columns_width_and_keeps_its_aspect_ratio() {
        let svg = render_svg(&chart(), (1100, 480)).expect("renders");
        let root = &svg.as_str()[..svg.as_str().find('>').unwrap()];
        assert_eq!(
            root,
            "<svg width=\"100%\" viewBox=\"0 0 1100 480\" xmlns=\"http://www.w3.org/2000/svg\""
        );
        // idempotent, and anything that is not plotters' root is left alone
        assert_eq!(scalable(svg.0.clone()), svg.0);
        assert_eq!(scalable("<g/>".to_string()), "<g/>");
        assert_eq!(
            scalable("<svg width=\"5\" height=\"5\">".to_string()),
            "<svg width=\"5\" height=\"5\">"
        );
    }

    #[test]
    fn files_and_render_svg_carry_no_png() {
        let svg = render_svg(&chart(), (400, 300)).expect("renders");
        assert!(svg.png().is_none());
        assert!(!svg.evcxr_content().contains("image/png"));
        let both = render_svg_and_png(&chart(), (400, 300)).expect("renders");
        assert_eq!(both.as_str(), svg.as_str());
        assert_eq!(png_size(both.png().unwrap()), (400, 300));
    }
}
