//! TFRecord framing: how an event file stores one serialized `Event` after another.
//!
//! ```text
//! record       = len_le_u64 ++ masked_crc(len_le_u64) ++ data ++ masked_crc(data)
//! masked_crc(x) = let crc = crc32c(x);                      // CRC-32C (Castagnoli), not zlib's CRC-32
//!                 ((crc >> 15) | (crc << 17)) + 0xa282ead8  // rotate right 15, add, mod 2^32
//! ```
//!
//! The mask keeps a checksum of data that itself contains checksums from looking valid.
//! PyTorch: `torch.utils.tensorboard` uses TensorBoard's `RecordWriter`, which writes exactly
//! these bytes; this crate also reads them back ([`read_records`]) so tests can look inside.

use std::path::Path;

use crate::TrackingError;

/// Added after the rotation (TensorFlow's `kMaskDelta`).
const MASK_DELTA: u32 = 0xa282_ead8;

/// The masked CRC-32C of `data`: `((crc >> 15) | (crc << 17)) + 0xa282ead8`.
///
/// ```
/// use trainlab_tracking::tensorboard::masked_crc32c;
/// // crc32c("123456789") = 0xE3069283, rotated right by 15: 0x2507C60D, + 0xA282EAD8:
/// assert_eq!(masked_crc32c(b"123456789"), 0xC78A_B0E5);
/// ```
pub fn masked_crc32c(data: &[u8]) -> u32 {
    let crc = crc32c::crc32c(data);
    crc.rotate_right(15).wrapping_add(MASK_DELTA)
}

/// Appends `data` framed as one TFRecord to `out` (12 + `data.len()` + 4 bytes).
pub fn encode_record(data: &[u8], out: &mut Vec<u8>) {
    let len = (data.len() as u64).to_le_bytes();
    out.extend_from_slice(&len);
    out.extend_from_slice(&masked_crc32c(&len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&masked_crc32c(data).to_le_bytes());
}

/// Splits `bytes` into the records' data, checking both checksums of every record.
///
/// `path` only names the file in the error. A file cut in the middle of a record (a writer
/// killed mid-write) is an error at that offset, like a checksum that does not match.
pub fn decode_records<'a>(bytes: &'a [u8], path: &Path) -> Result<Vec<&'a [u8]>, TrackingError> {
    let corrupt = |offset: usize, what: String| TrackingError::CorruptRecord {
        path: path.to_path_buf(),
        offset,
        what,
    };
    let mut records = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let header = rest.get(..12).ok_or_else(|| {
            corrupt(
                offset,
                format!("a 12-byte header, found {} bytes", rest.len()),
            )
        })?;
        let (len_bytes, len_crc) = header.split_at(8);
        if masked_crc32c(len_bytes).to_le_bytes() != len_crc {
            return Err(corrupt(offset, "the length's checksum to match".into()));
        }
        let len = u64::from_le_bytes(len_bytes.try_into().expect("split_at(8) gives 8 bytes"));
        let len = usize::try_from(len)
            .ok()
            .filter(|len| len.checked_add(16).is_some_and(|total| total <= rest.len()))
            .ok_or_else(|| {
                corrupt(
                    offset,
                    format!(
                        "{len} bytes of data and a checksum, found {}",
                        rest.len() - 12
                    ),
                )
            })?;
        let data = &rest[12..12 + len];
        if masked_crc32c(data).to_le_bytes() != rest[12 + len..16 + len] {
            return Err(corrupt(offset, "the data's checksum to match".into()));
        }
        records.push(data);
        offset += 16 + len;
    }
    Ok(records)
}

/// Reads a TFRecord file and returns each record's data (see [`decode_records`]).
pub fn read_records(path: &Path) -> Result<Vec<Vec<u8>>, TrackingError> {
    let bytes = std::fs::read(path).map_err(|source| TrackingError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(decode_records(&bytes, path)?
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_is_castagnoli() {
        // The CRC-32C check value from the catalogue of parametrised CRCs: "123456789" -> 0xE3069283.
        // (zlib's CRC-32 of the same string is 0xCBF43926: a wrong polynomial fails here.)
        assert_eq!(crc32c::crc32c(b"123456789"), 0xE306_9283);
    }

    #[test]
    fn masked_crc_rotates_then_adds_the_delta() {
        // By hand: 0xE3069283 >> 15 = 0x0001C60D; 0xE3069283 << 17 (mod 2^32) = 0x25060000;
        // or: 0x2507C60D; + 0xA282EAD8 = 0xC78AB0E5 (mod 2^32).
        assert_eq!(masked_crc32c(b"123456789"), 0xC78A_B0E5);
        // Empty input: crc32c("") = 0, rotated 0, so the mask is the delta itself.
        assert_eq!(masked_crc32c(b""), MASK_DELTA);
    }

    #[test]
    fn record_is_length_crc_data_crc() {
        let mut out = Vec::new();
        encode_record(b"123456789", &mut out);
        assert_eq!(out.len(), 8 + 4 + 9 + 4);
        assert_eq!(&out[..8], &9u64.to_le_bytes());
        assert_eq!(
            &out[8..12],
            &masked_crc32c(&9u64.to_le_bytes()).to_le_bytes()
        );
        assert_eq!(&out[12..21], b"123456789");
        // The data's checksum is the hand-derived masked CRC above, little endian.
        assert_eq!(&out[21..], &[0xE5, 0xB0, 0x8A, 0xC7]);
    }

    #[test]
    fn records_round_trip_and_damage_is_found() {
        let path = Path::new("events.test");
        let mut out = Vec::new();
        encode_record(b"first", &mut out);
        encode_record(b"", &mut out);
        encode_record(b"third record", &mut out);
        let records = decode_records(&out, path).unwrap();
        assert_eq!(records, vec![&b"first"[..], b"", b"third record"]);

        let mut flipped = out.clone();
        flipped[14] ^= 1; // a bit of "first"
        let err = decode_records(&flipped, path).unwrap_err().to_string();
        assert!(
            err.contains("events.test")
                && err.contains("offset 0")
                && err.contains("data's checksum"),
            "{err}"
        );

        let cut = &out[..out.len() - 3];
        let err = decode_records(cut, path).unwrap_err().to_string();
        assert!(err.contains("offset 37"), "{err}"); // 21 + 16: the third record
    }
}
