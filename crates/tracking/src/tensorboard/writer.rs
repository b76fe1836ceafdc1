//! The event file writer: one `events.out.tfevents.<secs>.<host>` file per run.
//!
//! ```text
//! record 0:  Event { wall_time, file_version: "brain.Event:2" }
//! record i:  Event { wall_time, step, summary: Summary { value: [Value { tag, ... }] } }
//!   scalar:  simple_value                      -> Scalars tab
//!   text:    tensor DT_STRING + plugin "text"  -> Text tab (markdown)
//!   image:   Summary.Image with PNG bytes      -> Images tab
//!   hparams: see `hparams.rs`                  -> HPARAMS tab
//! ```
//!
//! Every event is framed ([`encode_record`](super::encode_record)) and handed to the
//! operating system in one `write` call, so a run killed at any moment (even by SIGKILL) keeps
//! every event written before; [`EventWriter::flush`] also syncs to the disk. PyTorch's
//! `SummaryWriter` instead queues events and flushes every 120 s by default, so a killed
//! PyTorch run can lose up to its last two minutes.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use prost::Message;

use super::hparams::{self, HParams, SessionStatus};
use super::image::{Pixels, Png};
use super::proto::{self, event, summary, Event, Summary};
use super::record::encode_record;
use crate::TrackingError;

/// The `file_version` TensorBoard expects in the first record.
pub const FILE_VERSION: &str = "brain.Event:2";

/// Writes TensorBoard events to a new file in a run directory.
///
/// ```
/// use trainlab_tracking::tensorboard::{read_records, EventWriter};
/// let dir = tempfile::tempdir().unwrap();
/// let mut tb = EventWriter::create(dir.path()).unwrap();
/// tb.add_scalar("train/loss", 1, 0.5).unwrap();
/// tb.add_text("config", 0, "lr = 0.1").unwrap();
/// assert!(tb.path().file_name().unwrap().to_str().unwrap().starts_with("events.out.tfevents."));
/// assert_eq!(read_records(tb.path()).unwrap().len(), 3); // file version, scalar, text
/// ```
#[derive(Debug)]
pub struct EventWriter {
    path: PathBuf,
    file: File,
    record: Vec<u8>,
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The machine's name as it goes into a file name: letters, digits, `-`, `_` and `.` only.
fn host_name() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    let name: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "localhost".to_string()
    } else {
        name
    }
}

/// Steps are `u64` in the trainer and `int64` in the file; past `i64::MAX` they saturate.
fn step_i64(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}

/// Scalars: `Summary.Value { tag, simple_value }`, no plugin metadata (as `tf.compat.v1.summary.scalar`).
fn scalar_values(values: &[(&str, f32)]) -> Vec<summary::Value> {
    values
        .iter()
        .map(|&(tag, v)| summary::Value {
            tag: tag.to_string(),
            kind: Some(summary::value::Kind::SimpleValue(v)),
            metadata: None,
        })
        .collect()
}

/// Text: a scalar `DT_STRING` tensor with the text plugin's metadata (as TensorBoard's
/// `text.summary.pb`).
fn text_value(tag: &str, markdown: &str) -> summary::Value {
    summary::Value {
        tag: tag.to_string(),
        kind: Some(summary::value::Kind::Tensor(proto::TensorProto {
            dtype: proto::DataType::String as i32,
            tensor_shape: Some(proto::TensorShapeProto { dim: Vec::new() }),
            string_val: vec![markdown.as_bytes().to_vec()],
        })),
        metadata: Some(proto::SummaryMetadata {
            plugin_data: Some(proto::PluginData {
                plugin_name: "text".to_string(),
                content: proto::TextPluginData { version: 0 }.encode_to_vec(),
            }),
        }),
    }
}

/// An image: `Summary.Image` with the PNG bytes; colorspace is the channel count.
fn image_value(tag: &str, png: &Png) -> summary::Value {
    let size = |x: u32| i32::try_from(x).unwrap_or(i32::MAX);
    summary::Value {
        tag: tag.to_string(),
        kind: Some(summary::value::Kind::Image(summary::Image {
            height: size(png.height),
            width: size(png.width),
            colorspace: i32::from(png.channels),
            encoded_image_string: png.bytes.clone(),
        })),
        metadata: None,
    }
}

impl EventWriter {
    /// Creates `run_dir/events.out.tfevents.<secs>.<host>` (never overwriting: a second writer
    /// in the same second gets a `.1`, `.2`... suffix) and writes the file-version record.
    pub fn create(run_dir: &Path) -> Result<Self, TrackingError> {
        let wall_time = now_secs();
        let base = format!(
            "events.out.tfevents.{:010}.{}",
            wall_time as u64,
            host_name()
        );
        let mut n = 0u32;
        let (path, file) = loop {
            let name = if n == 0 {
                base.clone()
            } else {
                format!("{base}.{n}")
            };
            let path = run_dir.join(name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => break (path, file),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(source) => return Err(TrackingError::Io { path, source }),
            }
        };
        let mut writer = Self {
            path,
            file,
            record: Vec::new(),
        };
        writer.write_event(Event {
            wall_time,
            step: 0,
            what: Some(event::What::FileVersion(FILE_VERSION.to_string())),
        })?;
        Ok(writer)
    }

    /// The event file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_event(&mut self, event: Event) -> Result<(), TrackingError> {
        self.record.clear();
        encode_record(&event.encode_to_vec(), &mut self.record);
        self.file
            .write_all(&self.record)
            .map_err(|source| TrackingError::Io {
                path: self.path.clone(),
                source,
            })
    }

    fn write_values(&mut self, step: u64, value: Vec<summary::Value>) -> Result<(), TrackingError> {
        self.write_event(Event {
            wall_time: now_secs(),
            step: step_i64(step),
            what: Some(event::What::Summary(Summary { value })),
        })
    }

    /// Logs one scalar (Scalars tab) at `step`.
    pub fn add_scalar(&mut self, tag: &str, step: u64, value: f32) -> Result<(), TrackingError> {
        self.add_scalars(step, &[(tag, value)])
    }

    /// Logs several scalars at the same `step` in one event (e.g. loss, learning rate, time).
    pub fn add_scalars(&mut self, step: u64, values: &[(&str, f32)]) -> Result<(), TrackingError> {
        self.write_values(step, scalar_values(values))
    }

    /// Logs markdown text (Text tab), e.g. the run's config.
    ///
    /// TensorBoard renders it as markdown: indent a TOML file by four spaces to show it verbatim.
    pub fn add_text(&mut self, tag: &str, step: u64, markdown: &str) -> Result<(), TrackingError> {
        self.write_values(step, vec![text_value(tag, markdown)])
    }

    /// Logs an encoded PNG (Images tab).
    pub fn add_image(&mut self, tag: &str, step: u64, png: &Png) -> Result<(), TrackingError> {
        self.write_values(step, vec![image_value(tag, png)])
    }

    /// Encodes raw pixels as PNG and logs them (Images tab).
    pub fn add_image_pixels(
        &mut self,
        tag: &str,
        step: u64,
        pixels: &Pixels<'_>,
    ) -> Result<(), TrackingError> {
        let png = Png::encode(pixels, tag)?;
        self.add_image(tag, step, &png)
    }

    /// Starts an hparams session: the experiment summary (columns) and this run's values.
    ///
    /// Call once at the start of a run; [`EventWriter::end_hparams`] at its end. Until then
    /// the HPARAMS tab shows the run without a status.
    pub fn start_hparams(&mut self, hparams: &HParams) -> Result<(), TrackingError> {
        let now = now_secs();
        self.write_values(0, vec![hparams::experiment(hparams, now)])?;
        self.write_values(0, vec![hparams::session_start(hparams, now)])
    }

    /// Ends the hparams session with `status`.
    pub fn end_hparams(&mut self, status: SessionStatus) -> Result<(), TrackingError> {
        self.write_values(0, vec![hparams::session_end(status, now_secs())])
    }

    /// Writes the whole hparams record of a finished run: experiment, session start, session end.
    pub fn add_hparams(
        &mut self,
        hparams: &HParams,
        status: SessionStatus,
    ) -> Result<(), TrackingError> {
        self.start_hparams(hparams)?;
        self.end_hparams(status)
    }

    /// Syncs the file to the disk. Each event is already with the operating system when its
    /// `add_*` call returns; this also survives a power loss.
    pub fn flush(&mut self) -> Result<(), TrackingError> {
        self.file.sync_data().map_err(|source| TrackingError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensorboard::record::read_records;

    fn events(path: &Path) -> Vec<Event> {
        read_records(path)
            .unwrap()
            .iter()
            .map(|r| Event::decode(r.as_slice()).unwrap())
            .collect()
    }

    fn values(e: &Event) -> &[summary::Value] {
        match &e.what {
            Some(event::What::Summary(s)) => &s.value,
            other => panic!("expected a summary, got {other:?}"),
        }
    }

    #[test]
    fn first_record_is_the_file_version() {
        let dir = tempfile::tempdir().unwrap();
        let w = EventWriter::create(dir.path()).unwrap();
        let evs = events(w.path());
        assert_eq!(evs.len(), 1);
        assert_eq!(
            evs[0].what,
            Some(event::What::FileVersion("brain.Event:2".into()))
        );
        assert!(evs[0].wall_time > 1.6e9, "wall time is seconds since 1970");
    }

    #[test]
    fn events_are_on_disk_without_flush_or_drop() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = EventWriter::create(dir.path()).unwrap();
        w.add_scalars(7, &[("train/loss", 0.25), ("lr", 0.1)])
            .unwrap();
        // `w` is still open: what a killed process leaves is what is in the file now.
        let evs = events(w.path());
        assert_eq!(evs[1].step, 7);
        let got: Vec<_> = values(&evs[1])
            .iter()
            .map(|v| (v.tag.as_str(), v.kind.clone()))
            .collect();
        use summary::value::Kind::SimpleValue;
        assert_eq!(
            got,
            [
                ("train/loss", Some(SimpleValue(0.25))),
                ("lr", Some(SimpleValue(0.1)))
            ]
        );
        w.flush().unwrap();
    }

    #[test]
    fn two_writers_in_one_second_get_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = EventWriter::create(dir.path()).unwrap();
        let b = EventWriter::create(dir.path()).unwrap();
        assert_ne!(a.path(), b.path());
        assert_eq!(events(a.path()).len(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let err = EventWriter::create(Path::new("/nonexistent/run"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/nonexistent/run/events.out.tfevents."),
            "{err}"
        );
    }

    /// Frames `event` as the writer does.
    fn framed(event: &Event) -> String {
        let mut out = Vec::new();
        encode_record(&event.encode_to_vec(), &mut out);
        out.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn summary_event(wall_time: f64, step: u64, value: Vec<summary::Value>) -> Event {
        Event {
            wall_time,
            step: step_i64(step),
            what: Some(event::What::Summary(Summary { value })),
        }
    }

    #[test]
    fn bytes_equal_tensorboards_own_writer() {
        // Golden records from TensorBoard 2.21.0's protobuf classes and RecordWriter:
        // tests/fixtures/gen_events.py (same events, same fixed wall times).
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/events.json")).unwrap();
        assert_eq!(fixture["tensorboard"], "2.21.0");
        assert_eq!(fixture["masked_crc32c_123456789"], 0xC78A_B0E5_u32);
        let png = Png {
            width: 3,
            height: 2,
            channels: 1,
            bytes: b"\x89PNG-not-really".to_vec(),
        };
        let cases = [
            (
                "file_version",
                Event {
                    wall_time: 1.5,
                    step: 0,
                    what: Some(event::What::FileVersion(FILE_VERSION.into())),
                },
            ),
            (
                "scalars",
                summary_event(2.0, 3, scalar_values(&[("train/loss", 0.25), ("lr", 0.1)])),
            ),
            (
                "text",
                summary_event(4.25, 0, vec![text_value("config", "# Config\n\nlr = 0.1")]),
            ),
            (
                "image",
                summary_event(5.0, 7, vec![image_value("misclassified/cat", &png)]),
            ),
            (
                "session_end",
                summary_event(
                    6.5,
                    0,
                    vec![hparams::session_end(SessionStatus::Failure, 6.5)],
                ),
            ),
        ];
        for (name, event) in cases {
            assert_eq!(
                framed(&event),
                fixture["records"][name].as_str().unwrap(),
                "record {name:?}"
            );
        }
    }

    #[test]
    fn host_name_is_safe_in_a_file_name() {
        let h = host_name();
        assert!(!h.is_empty());
        assert!(
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{h}"
        );
    }
}
