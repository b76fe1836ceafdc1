//! Images for TensorBoard's Images tab: raw 8-bit pixels encoded as PNG.
//!
//! ```text
//! pixels: row-major, height rows of width * channels bytes; channels 1 gray, 3 RGB, 4 RGBA
//! Summary.Image { height, width, colorspace: channels, encoded_image_string: png }
//! ```
//!
//! PyTorch's `SummaryWriter.add_image` takes a float or u8 tensor in CHW order and encodes it
//! with Pillow; here the caller passes u8 pixels in HWC order (what a PNG holds) or PNG bytes.

use crate::TrackingError;

/// Raw 8-bit pixels, row-major, channels interleaved (HWC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pixels<'a> {
    /// Columns.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// 1 grayscale, 3 RGB or 4 RGBA.
    pub channels: u8,
    /// `width * height * channels` bytes.
    pub data: &'a [u8],
}

/// An encoded PNG with its size, as TensorBoard stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Png {
    /// Columns.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// 1 grayscale, 3 RGB or 4 RGBA.
    pub channels: u8,
    /// The PNG file's bytes.
    pub bytes: Vec<u8>,
}

impl Png {
    /// Encodes `pixels` as an 8-bit PNG; `tag` only names the image in an error.
    ///
    /// ```
    /// use trainlab_tracking::tensorboard::{Pixels, Png};
    /// let px = Pixels { width: 2, height: 1, channels: 1, data: &[0, 255] };
    /// let png = Png::encode(&px, "demo").unwrap();
    /// assert_eq!(&png.bytes[1..4], b"PNG");
    /// ```
    pub fn encode(pixels: &Pixels<'_>, tag: &str) -> Result<Png, TrackingError> {
        let invalid = |what: String| TrackingError::InvalidImage {
            tag: tag.to_string(),
            what,
        };
        let color = match pixels.channels {
            1 => png::ColorType::Grayscale,
            3 => png::ColorType::Rgb,
            4 => png::ColorType::Rgba,
            c => return Err(invalid(format!("channels 1, 3 or 4, got {c}"))),
        };
        if pixels.width == 0 || pixels.height == 0 {
            return Err(invalid(format!(
                "a non-empty image, got {}x{}",
                pixels.width, pixels.height
            )));
        }
        let expected = pixels.width as usize * pixels.height as usize * pixels.channels as usize;
        if pixels.data.len() != expected {
            return Err(invalid(format!(
                "{expected} bytes for {}x{}x{}, got {}",
                pixels.width,
                pixels.height,
                pixels.channels,
                pixels.data.len()
            )));
        }
        let mut bytes = Vec::new();
        let png_err = |e: png::EncodingError| invalid(format!("a PNG encoding: {e}"));
        {
            let mut encoder = png::Encoder::new(&mut bytes, pixels.width, pixels.height);
            encoder.set_color(color);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(png_err)?;
            writer.write_image_data(pixels.data).map_err(png_err)?;
            writer.finish().map_err(png_err)?;
        }
        Ok(Png {
            width: pixels.width,
            height: pixels.height,
            channels: pixels.channels,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_decodes_to_the_same_pixels() {
        let data: Vec<u8> = (0..2 * 3 * 3).map(|i| (i * 14) as u8).collect();
        let px = Pixels {
            width: 3,
            height: 2,
            channels: 3,
            data: &data,
        };
        let png = Png::encode(&px, "t").unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png.bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut out = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut out).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(&out[..info.buffer_size()], &data[..]);
    }

    #[test]
    fn wrong_sizes_name_the_tag_and_the_expectation() {
        let px = Pixels {
            width: 2,
            height: 2,
            channels: 1,
            data: &[0; 3],
        };
        let err = Png::encode(&px, "misclassified/cat")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("misclassified/cat") && err.contains("4 bytes for 2x2x1, got 3"),
            "{err}"
        );
        let px = Pixels {
            channels: 2,
            data: &[0; 8],
            ..px
        };
        assert!(Png::encode(&px, "t")
            .unwrap_err()
            .to_string()
            .contains("channels 1, 3 or 4"));
    }
}
