//! The protocol buffer messages of a TensorBoard event file, derived by hand with `prost`.
//!
//! Each struct mirrors a message of TensorFlow's `event.proto`, `summary.proto`, `tensor.proto`
//! and `tensor_shape.proto`, TensorBoard's `plugins/hparams/api.proto` and `plugin_data.proto`,
//! and protobuf's `struct.proto`, with the real field numbers (`tag = "N"`), but only the fields
//! this crate writes. A reader ignores what a message does not carry, so leaving fields out is
//! safe; changing a number is not. Fields are declared in field-number order, so the bytes equal
//! those the Python `protobuf` package produces for the same message.
//!
//! PyTorch's `torch.utils.tensorboard` ships the generated Python classes of the same files.

use std::collections::BTreeMap;

/// `tensorflow.Event`: one record of an event file.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Event {
    /// Seconds since the Unix epoch.
    #[prost(double, tag = "1")]
    pub wall_time: f64,
    /// The training step the event belongs to.
    #[prost(int64, tag = "2")]
    pub step: i64,
    /// What the event carries.
    #[prost(oneof = "event::What", tags = "3, 5")]
    pub what: Option<event::What>,
}

/// The `oneof what` of [`Event`].
pub mod event {
    /// What an [`Event`](super::Event) carries.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum What {
        /// The first record of every file: `"brain.Event:2"`.
        #[prost(string, tag = "3")]
        FileVersion(String),
        /// Tagged values.
        #[prost(message, tag = "5")]
        Summary(super::Summary),
    }
}

/// `tensorflow.Summary`: tagged values logged at one step.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Summary {
    /// The values.
    #[prost(message, repeated, tag = "1")]
    pub value: Vec<summary::Value>,
}

/// The nested messages of [`Summary`].
pub mod summary {
    /// `tensorflow.Summary.Image`: an encoded image.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Image {
        /// Height in pixels.
        #[prost(int32, tag = "1")]
        pub height: i32,
        /// Width in pixels.
        #[prost(int32, tag = "2")]
        pub width: i32,
        /// 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA.
        #[prost(int32, tag = "3")]
        pub colorspace: i32,
        /// The PNG file's bytes.
        #[prost(bytes = "vec", tag = "4")]
        pub encoded_image_string: Vec<u8>,
    }

    /// `tensorflow.Summary.Value`: one tagged value.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Value {
        /// The tag, e.g. `train/loss`.
        #[prost(string, tag = "1")]
        pub tag: String,
        /// The value itself.
        #[prost(oneof = "value::Kind", tags = "2, 4, 8")]
        pub kind: Option<value::Kind>,
        /// Which plugin shows it (text, hparams); `None` for plain scalars and images.
        #[prost(message, optional, tag = "9")]
        pub metadata: Option<super::SummaryMetadata>,
    }

    /// The `oneof value` of [`Value`].
    pub mod value {
        /// The kinds of value this crate writes.
        #[derive(Clone, PartialEq, prost::Oneof)]
        pub enum Kind {
            /// A scalar: the Scalars tab.
            #[prost(float, tag = "2")]
            SimpleValue(f32),
            /// An image: the Images tab.
            #[prost(message, tag = "4")]
            Image(super::Image),
            /// A tensor, read by the plugin named in the metadata.
            #[prost(message, tag = "8")]
            Tensor(super::super::TensorProto),
        }
    }
}

/// `tensorflow.SummaryMetadata`: which plugin a value belongs to.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SummaryMetadata {
    /// The plugin and its own serialized data.
    #[prost(message, optional, tag = "1")]
    pub plugin_data: Option<PluginData>,
}

/// `tensorflow.SummaryMetadata.PluginData`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PluginData {
    /// `"text"`, `"hparams"`, ...
    #[prost(string, tag = "1")]
    pub plugin_name: String,
    /// The plugin's own message, serialized.
    #[prost(bytes = "vec", tag = "2")]
    pub content: Vec<u8>,
}

/// `tensorflow.DataType`: the two element types this crate writes.
///
/// `Invalid = 0` must come first: prost takes an enum's first variant as the field's default
/// and leaves a field equal to its default out of the bytes, so with `Float` first a float
/// tensor would be written without its dtype (and read back as `DT_INVALID`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum DataType {
    /// `DT_INVALID`, the proto3 default.
    Invalid = 0,
    /// `DT_FLOAT`.
    Float = 1,
    /// `DT_STRING`.
    String = 7,
}

/// `tensorflow.TensorProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TensorProto {
    /// Element type.
    #[prost(enumeration = "DataType", tag = "1")]
    pub dtype: i32,
    /// Shape; no dimensions is a scalar.
    #[prost(message, optional, tag = "2")]
    pub tensor_shape: Option<TensorShapeProto>,
    /// Elements of a string tensor.
    #[prost(bytes = "vec", repeated, tag = "8")]
    pub string_val: Vec<Vec<u8>>,
}

/// `tensorflow.TensorShapeProto`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TensorShapeProto {
    /// One entry per dimension.
    #[prost(message, repeated, tag = "2")]
    pub dim: Vec<Dim>,
}

/// `tensorflow.TensorShapeProto.Dim`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Dim {
    /// Length of the dimension.
    #[prost(int64, tag = "1")]
    pub size: i64,
}

/// `tensorboard.TextPluginData`: the text plugin's metadata content.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TextPluginData {
    /// Always 0.
    #[prost(int32, tag = "1")]
    pub version: i32,
}

/// `tensorboard.hparams.HParamsPluginData`: the hparams plugin's metadata content.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HParamsPluginData {
    /// Always 0 (`PLUGIN_DATA_VERSION`).
    #[prost(int32, tag = "1")]
    pub version: i32,
    /// Which of the three hparams summaries this is.
    #[prost(oneof = "hparams_plugin_data::Data", tags = "2, 3, 4")]
    pub data: Option<hparams_plugin_data::Data>,
}

/// The `oneof data` of [`HParamsPluginData`].
pub mod hparams_plugin_data {
    /// The three hparams summaries.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Data {
        /// The columns of the HPARAMS tab.
        #[prost(message, tag = "2")]
        Experiment(super::Experiment),
        /// One session's hyperparameter values.
        #[prost(message, tag = "3")]
        SessionStartInfo(super::SessionStartInfo),
        /// How the session ended.
        #[prost(message, tag = "4")]
        SessionEndInfo(super::SessionEndInfo),
    }
}

/// `tensorboard.hparams.Experiment`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Experiment {
    /// Seconds since the Unix epoch.
    #[prost(double, tag = "3")]
    pub time_created_secs: f64,
    /// The hyperparameter columns.
    #[prost(message, repeated, tag = "4")]
    pub hparam_infos: Vec<HParamInfo>,
    /// The metric columns.
    #[prost(message, repeated, tag = "5")]
    pub metric_infos: Vec<MetricInfo>,
}

/// `tensorboard.hparams.DataType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum HParamType {
    /// `DATA_TYPE_UNSET`.
    Unset = 0,
    /// `DATA_TYPE_STRING`.
    String = 1,
    /// `DATA_TYPE_BOOL`.
    Bool = 2,
    /// `DATA_TYPE_FLOAT64`.
    Float64 = 3,
}

/// `tensorboard.hparams.HParamInfo`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct HParamInfo {
    /// The hyperparameter's name, the key in [`SessionStartInfo::hparams`].
    #[prost(string, tag = "1")]
    pub name: String,
    /// Its type.
    #[prost(enumeration = "HParamType", tag = "4")]
    pub r#type: i32,
}

/// `tensorboard.hparams.MetricName`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetricName {
    /// Sub-directory of the session's run holding the scalar; empty: the run itself.
    #[prost(string, tag = "1")]
    pub group: String,
    /// The scalar's tag.
    #[prost(string, tag = "2")]
    pub tag: String,
}

/// `tensorboard.hparams.MetricInfo`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetricInfo {
    /// Where the metric's scalar is.
    #[prost(message, optional, tag = "1")]
    pub name: Option<MetricName>,
}

/// `tensorboard.hparams.Status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum Status {
    /// `STATUS_UNKNOWN`.
    Unknown = 0,
    /// `STATUS_SUCCESS`.
    Success = 1,
    /// `STATUS_FAILURE`.
    Failure = 2,
    /// `STATUS_RUNNING`.
    Running = 3,
}

/// `tensorboard.hparams.SessionStartInfo`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionStartInfo {
    /// Hyperparameter name to value.
    #[prost(btree_map = "string, message", tag = "1")]
    pub hparams: BTreeMap<String, Value>,
    /// Sessions with the same group name are averaged in one row; empty: the run's name.
    #[prost(string, tag = "4")]
    pub group_name: String,
    /// Seconds since the Unix epoch.
    #[prost(double, tag = "5")]
    pub start_time_secs: f64,
}

/// `tensorboard.hparams.SessionEndInfo`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionEndInfo {
    /// How the session ended.
    #[prost(enumeration = "Status", tag = "1")]
    pub status: i32,
    /// Seconds since the Unix epoch.
    #[prost(double, tag = "2")]
    pub end_time_secs: f64,
}

/// `google.protobuf.Value`: a hyperparameter's value.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    /// The value.
    #[prost(oneof = "value::Kind", tags = "2, 3, 4")]
    pub kind: Option<value::Kind>,
}

/// The `oneof kind` of [`Value`].
pub mod value {
    /// The three kinds the hparams plugin understands.
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Kind {
        /// A number.
        #[prost(double, tag = "2")]
        Number(f64),
        /// A string.
        #[prost(string, tag = "3")]
        Text(String),
        /// A boolean.
        #[prost(bool, tag = "4")]
        Bool(bool),
    }
}
