//! The hparams plugin: one run's hyperparameters and metrics, for TensorBoard's HPARAMS tab.
//!
//! ```text
//! "_hparams_/experiment"          Experiment { hparam_infos: [name, type], metric_infos: [tag] }
//! "_hparams_/session_start_info"  SessionStartInfo { hparams: {name: value} }
//! "_hparams_/session_end_info"    SessionEndInfo { status }
//! each one: Summary.Value { tag, metadata: plugin "hparams" + HParamsPluginData, tensor: empty float }
//! ```
//!
//! Every run of a search writes all three, so TensorBoard pointed at the search's directory
//! shows one row per run with its values and metrics (the last value of each metric's scalar
//! tag in that run). Like PyTorch's `SummaryWriter.add_hparams`, except that PyTorch writes the
//! metrics into a new sub-run per call; here the metrics are the run's own scalar tags.

use std::collections::BTreeMap;

use super::proto::{
    self, hparams_plugin_data::Data, summary, HParamsPluginData, PluginData, SummaryMetadata,
};

/// Tag of the experiment summary (TensorBoard's `metadata.EXPERIMENT_TAG`).
pub const EXPERIMENT_TAG: &str = "_hparams_/experiment";
/// Tag of the session start (TensorBoard's `metadata.SESSION_START_INFO_TAG`).
pub const SESSION_START_INFO_TAG: &str = "_hparams_/session_start_info";
/// Tag of the session end (TensorBoard's `metadata.SESSION_END_INFO_TAG`).
pub const SESSION_END_INFO_TAG: &str = "_hparams_/session_end_info";

/// A hyperparameter's value as the HPARAMS tab shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum HParamValue {
    /// A number (learning rate, width, seed...).
    Number(f64),
    /// A name (optimizer, schedule...).
    Text(String),
    /// A switch (Nesterov on or off...).
    Bool(bool),
}

macro_rules! number_from {
    ($($t:ty),*) => {$(
        impl From<$t> for HParamValue {
            fn from(x: $t) -> Self {
                // Hyperparameters are small numbers: the f64 conversion is exact in practice.
                HParamValue::Number(x as f64)
            }
        }
    )*};
}
number_from!(f64, f32, i32, i64, u32, u64, usize);

impl From<&str> for HParamValue {
    fn from(s: &str) -> Self {
        HParamValue::Text(s.to_string())
    }
}

impl From<String> for HParamValue {
    fn from(s: String) -> Self {
        HParamValue::Text(s)
    }
}

impl From<bool> for HParamValue {
    fn from(b: bool) -> Self {
        HParamValue::Bool(b)
    }
}

/// One run's hyperparameters, and the scalar tags the HPARAMS tab shows as its metrics.
///
/// ```
/// use trainlab_tracking::tensorboard::{HParamValue, HParams};
/// let h = HParams::new().with("lr", 0.01).with("optimizer", "adam").metric("val/loss");
/// assert_eq!(h.values["lr"], HParamValue::Number(0.01));
/// assert_eq!(h.metrics, ["val/loss"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HParams {
    /// Name to value, sorted by name.
    pub values: BTreeMap<String, HParamValue>,
    /// Scalar tags of the same run, e.g. `val/loss`; the tab shows each one's last value.
    pub metrics: Vec<String>,
}

impl HParams {
    /// No hyperparameters, no metrics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a hyperparameter.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<HParamValue>) -> Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Adds a metric: a scalar tag this run writes.
    pub fn metric(mut self, tag: impl Into<String>) -> Self {
        self.metrics.push(tag.into());
        self
    }
}

/// How a run ended, the HPARAMS tab's status column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    /// Finished normally.
    Success,
    /// Diverged or failed.
    Failure,
    /// Still running (or killed before it could say).
    Running,
    /// Not known.
    Unknown,
}

impl SessionStatus {
    fn proto(self) -> proto::Status {
        match self {
            SessionStatus::Success => proto::Status::Success,
            SessionStatus::Failure => proto::Status::Failure,
            SessionStatus::Running => proto::Status::Running,
            SessionStatus::Unknown => proto::Status::Unknown,
        }
    }
}

/// The summary value of an hparams message: plugin metadata plus TensorBoard's `NULL_TENSOR`
/// (an empty float tensor of shape `[0]`), which makes TensorBoard file it as a tensor series.
fn value(tag: &str, data: Data) -> summary::Value {
    let content = HParamsPluginData {
        version: 0,
        data: Some(data),
    };
    summary::Value {
        tag: tag.to_string(),
        kind: Some(summary::value::Kind::Tensor(proto::TensorProto {
            dtype: proto::DataType::Float as i32,
            tensor_shape: Some(proto::TensorShapeProto {
                dim: vec![proto::Dim { size: 0 }],
            }),
            string_val: Vec::new(),
        })),
        metadata: Some(SummaryMetadata {
            plugin_data: Some(PluginData {
                plugin_name: "hparams".to_string(),
                content: prost::Message::encode_to_vec(&content),
            }),
        }),
    }
}

/// The experiment summary: one column per hyperparameter and per metric.
pub(crate) fn experiment(hparams: &HParams, now_secs: f64) -> summary::Value {
    let hparam_infos = hparams
        .values
        .iter()
        .map(|(name, v)| proto::HParamInfo {
            name: name.clone(),
            r#type: match v {
                HParamValue::Number(_) => proto::HParamType::Float64,
                HParamValue::Text(_) => proto::HParamType::String,
                HParamValue::Bool(_) => proto::HParamType::Bool,
            } as i32,
        })
        .collect();
    let metric_infos = hparams
        .metrics
        .iter()
        .map(|tag| proto::MetricInfo {
            name: Some(proto::MetricName {
                group: String::new(),
                tag: tag.clone(),
            }),
        })
        .collect();
    value(
        EXPERIMENT_TAG,
        Data::Experiment(proto::Experiment {
            time_created_secs: now_secs,
            hparam_infos,
            metric_infos,
        }),
    )
}

/// The session start: this run's values.
pub(crate) fn session_start(hparams: &HParams, now_secs: f64) -> summary::Value {
    let values = hparams
        .values
        .iter()
        .map(|(name, v)| {
            let kind = match v {
                HParamValue::Number(x) => proto::value::Kind::Number(*x),
                HParamValue::Text(s) => proto::value::Kind::Text(s.clone()),
                HParamValue::Bool(b) => proto::value::Kind::Bool(*b),
            };
            (name.clone(), proto::Value { kind: Some(kind) })
        })
        .collect();
    value(
        SESSION_START_INFO_TAG,
        Data::SessionStartInfo(proto::SessionStartInfo {
            hparams: values,
            group_name: String::new(),
            start_time_secs: now_secs,
        }),
    )
}

/// The session end: the run's status.
pub(crate) fn session_end(status: SessionStatus, now_secs: f64) -> summary::Value {
    value(
        SESSION_END_INFO_TAG,
        Data::SessionEndInfo(proto::SessionEndInfo {
            status: status.proto() as i32,
            end_time_secs: now_secs,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    fn plugin_data(v: &summary::Value) -> HParamsPluginData {
        let meta = v
            .metadata
            .as_ref()
            .and_then(|m| m.plugin_data.as_ref())
            .unwrap();
        assert_eq!(meta.plugin_name, "hparams");
        HParamsPluginData::decode(meta.content.as_slice()).unwrap()
    }

    #[test]
    fn experiment_lists_types_and_metrics() {
        let h = HParams::new()
            .with("lr", 0.1)
            .with("optimizer", "sgd")
            .with("nesterov", true)
            .metric("val/loss");
        let v = experiment(&h, 5.0);
        assert_eq!(v.tag, "_hparams_/experiment");
        let Some(Data::Experiment(e)) = plugin_data(&v).data else {
            panic!("not an experiment")
        };
        let infos: Vec<(&str, i32)> = e
            .hparam_infos
            .iter()
            .map(|i| (i.name.as_str(), i.r#type))
            .collect();
        // BTreeMap order; DATA_TYPE_BOOL = 2, DATA_TYPE_FLOAT64 = 3, DATA_TYPE_STRING = 1 (api.proto).
        assert_eq!(infos, [("lr", 3), ("nesterov", 2), ("optimizer", 1)]);
        assert_eq!(e.metric_infos[0].name.as_ref().unwrap().tag, "val/loss");
    }

    #[test]
    fn session_start_and_end_carry_values_and_status() {
        let h = HParams::new()
            .with("width", 64usize)
            .with("optimizer", "adam");
        let Some(Data::SessionStartInfo(s)) = plugin_data(&session_start(&h, 1.0)).data else {
            panic!("not a session start")
        };
        assert_eq!(
            s.hparams["width"].kind,
            Some(proto::value::Kind::Number(64.0))
        );
        assert_eq!(
            s.hparams["optimizer"].kind,
            Some(proto::value::Kind::Text("adam".into()))
        );
        let Some(Data::SessionEndInfo(e)) =
            plugin_data(&session_end(SessionStatus::Failure, 2.0)).data
        else {
            panic!("not a session end")
        };
        assert_eq!(e.status, 2); // STATUS_FAILURE
    }

    #[test]
    fn hparams_value_carries_the_null_tensor() {
        // TensorBoard's metadata.NULL_TENSOR serialises to 08 01 12 02 12 00
        // (dtype: DT_FLOAT, tensor_shape { dim { } }).
        let v = session_end(SessionStatus::Success, 0.0);
        let Some(summary::value::Kind::Tensor(t)) = v.kind else {
            panic!("no tensor")
        };
        assert_eq!(t.encode_to_vec(), [0x08, 0x01, 0x12, 0x02, 0x12, 0x00]);
    }
}
