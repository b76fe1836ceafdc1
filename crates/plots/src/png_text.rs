//! The bitmap backend of the PNG charts, with text laid out the way the font says.
//!
//! plotters 0.3.7 draws bitmap text with ab_glyph, but places each glyph's bounding box at the
//! pen position, ignoring the glyph's left side bearing: an `o` (wide bearings) moved left onto
//! the letter before it, an `l` did not, so words looked unevenly spaced ("con tours",
//! "step s"). [`Bitmap`] is plotters' `BitMapBackend` with only `draw_text` replaced: the
//! same measurement (`layout_box`, so labels are placed exactly as before), the same baseline,
//! and each glyph drawn where the font's advance widths, kerning and bearings put it, at
//! sub-pixel pen positions. Every chart's text is the embedded DejaVu Sans (the only font
//! registered, see `output.rs`).

use ab_glyph::{point, Font, FontRef, ScaleFont};
use plotters::backend::{BitMapBackend, DrawingBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// `BitMapBackend` with correct glyph placement (see the module documentation).
pub struct Bitmap<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

type BitMapBackendError = <BitMapBackend<'static> as DrawingBackend>::ErrorType;
type Result<T> = std::result::Result<T, DrawingErrorKind<BitMapBackendError>>;

impl<'a> Bitmap<'a> {
    /// Draws on an RGB buffer of `size` = (width, height) pixels with `font` for every text.
    pub fn with_buffer(buffer: &'a mut [u8], size: (u32, u32), font: FontRef<'static>) -> Self {
        Self {
            inner: BitMapBackend::with_buffer(buffer, size),
            font,
        }
    }
}

impl DrawingBackend for Bitmap<'_> {
    type ErrorType = BitMapBackendError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<()> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<()> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<()> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<()> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<()> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<()> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// plotters' default `draw_text` (anchor, rotation, clipping to the image) with the glyphs
    /// placed by [`glyph_pixels`].
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<()> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        let font = self.font.clone();
        let mut result = Ok(());
        glyph_pixels(&font, style.size() as f32, text, |x, y, coverage| {
            if result.is_err() {
                return;
            }
            let (x, y) = transform.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                let mixed = BackendColor {
                    alpha: color.alpha * f64::from(coverage),
                    rgb: color.rgb,
                };
                result = self.inner.draw_pixel((x, y), mixed);
            }
        });
        result
    }
}

/// Calls `pixel(x, y, coverage)` for every pixel of `text` set in `font` at `size` px (plotters'
/// scale: the font's ascent minus descent), with the pen starting at x = 0 and the baseline at
/// y = size / 2 as in plotters, each glyph at its advance, kerning and left side bearing.
pub(crate) fn glyph_pixels(
    font: &FontRef<'_>,
    size: f32,
    text: &str,
    mut pixel: impl FnMut(i32, i32, f32),
) {
    let scaled = font.as_scaled(size);
    let mut pen = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(size, point(pen, size / 2.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let (x0, y0) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    pixel(x0 + x as i32, y0 + y as i32, coverage.min(1.0));
                }
            });
        }
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dejavu() -> FontRef<'static> {
        FontRef::try_from_slice(include_bytes!("../fonts/DejaVuSans.ttf")).expect("font")
    }

    /// The leftmost column with ink of each run of inked columns, in drawing order.
    fn ink_starts(font: &FontRef<'_>, size: f32, text: &str) -> Vec<i32> {
        let mut columns = std::collections::BTreeSet::new();
        glyph_pixels(font, size, text, |x, _, c| {
            if c > 0.5 {
                columns.insert(x);
            }
        });
        let mut starts = Vec::new();
        let mut last = None;
        for x in columns {
            if last != Some(x - 1) {
                starts.push(x);
            }
            last = Some(x);
        }
        starts
    }

    /// The distance from the ink of the first glyph to the ink of the second is the font's: the
    /// first glyph's advance, the pair's kerning, and the difference of their left side
    /// bearings (the font file's horizontal metrics). plotters' own bitmap
    /// text left the bearings out, which for "lo" at 200 px is several pixels off.
    #[test]
    fn glyphs_sit_at_the_fonts_advances_and_bearings() {
        let font = dejavu();
        let size = 200.0;
        let scaled = font.as_scaled(size);
        for pair in ["lo", "ol", "il", "mw", "Hn"] {
            let mut chars = pair.chars();
            let (a, b) = (chars.next().unwrap(), chars.next().unwrap());
            let (ia, ib) = (scaled.glyph_id(a), scaled.glyph_id(b));
            let lsb = |id| scaled.h_side_bearing(id);
            let expected = scaled.h_advance(ia) + scaled.kern(ia, ib) + lsb(ib) - lsb(ia);
            let starts = ink_starts(&font, size, pair);
            assert_eq!(
                starts.len(),
                2,
                "{pair}: two separate glyphs, got {starts:?}"
            );
            let measured = (starts[1] - starts[0]) as f32;
            assert!(
                (measured - expected).abs() <= 1.5,
                "{pair}: second glyph's ink {measured} px after the first's, the font says {expected:.1}"
            );
        }
        // the bearings matter here: 'o' has a smaller left bearing than 'l' in DejaVu Sans
        let lsb_l = font
            .glyph_bounds(&scaled.glyph_id('l').with_scale(size))
            .min
            .x;
        let lsb_o = font
            .glyph_bounds(&scaled.glyph_id('o').with_scale(size))
            .min
            .x;
        assert!((lsb_l - lsb_o).abs() > 3.0, "l {lsb_l} o {lsb_o}");
    }

    /// Text drawn through the backend lands where plotters places labels: anchored by the
    /// layout box plotters measures, baseline at half the size below the box's top.
    #[test]
    fn text_through_the_backend_is_drawn_inside_its_layout_box() {
        use plotters::prelude::*;
        crate::output::ensure_font().expect("font registered");
        let (w, h) = (300u32, 100u32);
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let root = Bitmap::with_buffer(&mut rgb, (w, h), dejavu()).into_drawing_area();
            root.draw_text(
                "Hello",
                &TextStyle::from(("sans-serif", 40).into_font()).color(&BLACK),
                (20, 20),
            )
            .expect("draws");
        }
        let inked: Vec<(u32, u32)> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|(x, y)| rgb[((y * w + x) * 3) as usize] < 128)
            .collect();
        assert!(!inked.is_empty(), "no text drawn");
        let left = inked.iter().map(|p| p.0).min().unwrap();
        let right = inked.iter().map(|p| p.0).max().unwrap();
        assert!((20..25).contains(&left), "ink starts at x = {left}");
        assert!(right < 20 + 120, "ink ends at x = {right}");
    }
}
