//! TensorBoard event files, written in the real format so `tensorboard --logdir runs` reads them.
//!
//! - `record`: TFRecord framing with masked CRC-32C;
//! - `proto`: the `Event`/`Summary`/hparams messages, derived with `prost`;
//! - [`Png`], [`Pixels`]: images for the Images tab;
//! - [`HParams`]: the hparams plugin's experiment, session start and session end;
//! - [`EventWriter`]: one event file per run, scalars, text, images and hparams.

mod hparams;
mod image;
mod proto;
mod reader_python;
mod record;
mod writer;

pub use hparams::{
    HParamValue, HParams, SessionStatus, EXPERIMENT_TAG, SESSION_END_INFO_TAG,
    SESSION_START_INFO_TAG,
};
pub use image::{Pixels, Png};
pub use reader_python::tensorboard_python;
pub use record::{decode_records, encode_record, masked_crc32c, read_records};
pub use writer::{EventWriter, FILE_VERSION};
