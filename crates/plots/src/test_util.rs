//! Helpers for the unit tests: PNG header decoding. (plotters writes SVG text as
//! `<text ...>\nCONTENT\n</text>`, so a lone word is checked as `"\nword\n"`.)

/// Width and height from a PNG's IHDR chunk (bytes 16..24), after checking the signature.
pub(crate) fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is not IHDR");
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    (w, h)
}
