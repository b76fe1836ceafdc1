//! The run configuration: one TOML file, every key optional, unknown keys rejected.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use trainlab_diagnosis::{EarlyStopping, EarlyStoppingConfig};
use trainlab_optimizers::OptimizerConfig;
use trainlab_schedules::ScheduleConfig;
use trainlab_validation::SplitConfig;

use crate::TrainError;

/// Everything a training run needs. `TrainConfig::default()` trains the default MLP on digits.
///
/// ```toml
/// seed = 0
/// [data]
/// dataset = "digits"          # digits | spirals | two_moons | csv | cifar10
/// [split]
/// train = 0.8
/// val = 0.1
/// test = 0.1
/// [model]
/// hidden = [128]              # or depth = 1, width = 128
/// activation = "relu"         # relu | tanh | sigmoid
/// [optimizer]
/// kind = "adam"               # sgd | momentum | rmsprop | adam | adamw
/// alpha = 0.001
/// [schedule]
/// kind = "constant"
/// [train]
/// epochs = 20
/// batch_size = 32
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Seeds the weights, the split and the batch order. Default: 0.
    pub seed: u64,
    /// Which data set, and how it is prepared.
    pub data: DataConfig,
    /// Train / validation / sealed test fractions.
    pub split: SplitConfig,
    /// The network.
    pub model: ModelConfig,
    /// The update rule and its hyperparameters.
    pub optimizer: OptimizerConfig,
    /// The learning-rate schedule (scales from the optimizer's `alpha`).
    pub schedule: ScheduleConfig,
    /// Epochs, batch size, evaluation.
    pub train: LoopConfig,
}

impl TrainConfig {
    /// Parses a config from TOML text (unknown keys and wrong types are errors naming the key);
    /// `origin` names the file in error messages. Ranges are checked once, by [`TrainConfig::plan`]
    /// (or [`TrainConfig::validate`]).
    pub fn from_toml_str(text: &str, origin: &Path) -> Result<Self, TrainError> {
        toml::from_str(text).map_err(|e| TrainError::ParseConfig {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Reads and parses a config file (see [`TrainConfig::from_toml_str`]).
    pub fn from_file(path: &Path) -> Result<Self, TrainError> {
        // a FIFO or /dev/zero is refused, not read; so is a file past the input limit
        let bytes = trainlab_data::read_bounded(path, trainlab_data::default_max_input_bytes())
            .map_err(|e| match e {
                trainlab_data::DataError::Io { path, source } => {
                    TrainError::ReadConfig { path, source }
                }
                other => TrainError::ReadConfig {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(other.to_string()),
                },
            })?;
        let text = String::from_utf8(bytes).map_err(|e| TrainError::ReadConfig {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        })?;
        Self::from_toml_str(&text, path)
    }

    /// The config as TOML, as it is written into a run directory.
    ///
    /// `f32` values (rates, betas) are written as the shortest decimal that reads back as the
    /// same `f32` (`alpha = 0.001`, not its binary expansion `0.0010000000474974513`), so the
    /// config echoed into a run directory reads as the person wrote it and parses to the same
    /// config.
    pub fn to_toml_string(&self) -> String {
        let mut table = toml::Table::try_from(self).expect("a TrainConfig always serialises");
        if !matches!(
            self.data.dataset,
            DatasetName::Spirals | DatasetName::TwoMoons
        ) {
            // only the synthetic sets read these: a digits run's config should not list them
            if let Some(toml::Value::Table(data)) = table.get_mut("data") {
                data.remove("n_samples");
                data.remove("noise");
            }
        }
        shorten_f32s(&mut table);
        toml::to_string_pretty(&table).expect("a TOML table always serialises")
    }

    /// Checks every value that serde's types cannot: ranges, and that the parts fit together.
    /// [`TrainConfig::plan`] does the same once, building the optimizer and the schedule.
    pub fn validate(&self) -> Result<(), TrainError> {
        self.validate_fields()?;
        // The rule and the schedule validate themselves when built.
        let optimizer = self.optimizer.build()?;
        self.schedule.build(optimizer.alpha())?;
        Ok(())
    }

    /// The checks of everything but the optimizer and the schedule.
    pub(crate) fn validate_fields(&self) -> Result<(), TrainError> {
        self.model.validate()?;
        self.train.validate()?;
        self.data.validate()?;
        self.split.validate()?;
        Ok(())
    }
}

/// Rewrites every float that is exactly an `f32` as the shortest decimal of that `f32`.
fn shorten_f32s(table: &mut toml::Table) {
    fn walk(v: &mut toml::Value) {
        match v {
            toml::Value::Float(f) => {
                let single = *f as f32;
                if f64::from(single) == *f && single.is_finite() {
                    *f = single
                        .to_string()
                        .parse()
                        .expect("an f32's decimal parses as f64");
                }
            }
            toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| walk(v)),
            toml::Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    table.iter_mut().for_each(|(_, v)| walk(v));
}

fn invalid(key: &str, value: impl std::fmt::Display, expected: &str) -> TrainError {
    TrainError::InvalidConfig {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

/// The data sets `trainlab` knows by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DatasetName {
    /// The embedded 8x8 handwritten digits (1797 samples, 10 classes).
    #[default]
    Digits,
    /// Interleaved spirals (synthetic, 2-D).
    Spirals,
    /// Two interleaving half circles (synthetic, 2-D).
    TwoMoons,
    /// A CSV file of numeric features with an integer label column (`path` required).
    Csv,
    /// CIFAR-10 binary batches (`path` is a `data_batch_N.bin` file or a folder of them).
    Cifar10,
}

/// Which data set, and how it is prepared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// Default: `digits`.
    pub dataset: DatasetName,
    /// The file for `csv` and `cifar10`.
    pub path: Option<PathBuf>,
    /// Samples for the synthetic sets. Default: 600.
    pub n_samples: usize,
    /// Noise for the synthetic sets. Default: 0.2.
    pub noise: f32,
    /// Standardise features with the training split's mean and standard deviation. Default: true.
    pub standardize: bool,
}

impl Default for DataConfig {
    fn default() -> Self {
        Self {
            dataset: DatasetName::Digits,
            path: None,
            n_samples: 600,
            noise: 0.2,
            standardize: true,
        }
    }
}

impl DataConfig {
    fn validate(&self) -> Result<(), TrainError> {
        match self.dataset {
            DatasetName::Csv | DatasetName::Cifar10 if self.path.is_none() => Err(invalid(
                "data.path",
                "(missing)",
                "a file path: the csv and cifar10 data sets read a file",
            )),
            DatasetName::Spirals | DatasetName::TwoMoons if self.n_samples < 4 => Err(invalid(
                "data.n_samples",
                self.n_samples,
                "at least 4 samples",
            )),
            _ if !(self.noise >= 0.0 && self.noise.is_finite()) => {
                Err(invalid("data.noise", self.noise, "a finite number >= 0"))
            }
            _ => Ok(()),
        }
    }
}

/// Hidden-layer activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `max(0, x)`.
    #[default]
    Relu,
    /// `tanh(x)`.
    Tanh,
    /// `1 / (1 + exp(-x))`.
    Sigmoid,
}

/// The network: `depth` hidden layers of `width` units, or an explicit `hidden` list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Number of hidden layers when `hidden` is not given. Default: 1. 0 is softmax regression.
    pub depth: usize,
    /// Units per hidden layer when `hidden` is not given. Default: 128.
    pub width: usize,
    /// Explicit hidden widths, overriding `depth` and `width`, e.g. `[256, 64]`.
    pub hidden: Option<Vec<usize>>,
    /// Default: `relu`.
    pub activation: Activation,
    /// Dropout probability after every hidden activation while training, in `[0, 1)`
    /// (PyTorch's `nn.Dropout(p)`, inverted: survivors are scaled by `1 / (1 - p)`); the trainer
    /// evaluates with dropout off. Default: 0 (none).
    pub dropout: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            depth: 1,
            width: 128,
            hidden: None,
            activation: Activation::Relu,
            dropout: 0.0,
        }
    }
}

impl ModelConfig {
    /// The hidden widths this config describes.
    pub fn hidden_layers(&self) -> Vec<usize> {
        match &self.hidden {
            Some(h) => h.clone(),
            None => vec![self.width; self.depth],
        }
    }

    fn validate(&self) -> Result<(), TrainError> {
        if self.hidden.is_none() && self.depth > 0 && self.width == 0 {
            return Err(invalid("model.width", 0, "at least 1 unit"));
        }
        if let Some(h) = &self.hidden {
            if let Some(i) = h.iter().position(|&w| w == 0) {
                return Err(invalid(&format!("model.hidden[{i}]"), 0, "at least 1 unit"));
            }
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(invalid(
                "model.dropout",
                self.dropout,
                "a probability in [0, 1)",
            ));
        }
        Ok(())
    }
}

/// The loop: how long, how big the minibatches, how often to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoopConfig {
    /// Passes over the training split. Default: 20.
    pub epochs: usize,
    /// Samples per minibatch; the last batch of an epoch may be smaller. Default: 32.
    pub batch_size: usize,
    /// Also evaluate every this many iterations (0: only at the end of each epoch). Default: 0.
    pub eval_every: usize,
    /// Evaluate on only the first this many validation samples (0: all). Default: 0.
    pub eval_subset: usize,
    /// An iteration slower than this many milliseconds is reported as a warning. Default: 500.
    pub slow_step_ms: u64,
    /// Stop when the validation loss has not improved for `patience` epochs (off unless given):
    /// `[train.early_stopping]` with `patience`, `min_delta`, `restore_best`.
    pub early_stopping: Option<EarlyStoppingConfig>,
}

impl Default for LoopConfig {
    fn default() -> Self {
        Self {
            epochs: 20,
            batch_size: 32,
            eval_every: 0,
            eval_subset: 0,
            slow_step_ms: 500,
            early_stopping: None,
        }
    }
}

impl LoopConfig {
    fn validate(&self) -> Result<(), TrainError> {
        if self.epochs == 0 {
            return Err(invalid("train.epochs", 0, "at least 1"));
        }
        if self.batch_size == 0 {
            return Err(invalid("train.batch_size", 0, "at least 1"));
        }
        self.early_stopping()?;
        Ok(())
    }

    /// The configured early stopping, validated; `None` when it is off.
    pub fn early_stopping(&self) -> Result<Option<EarlyStopping>, TrainError> {
        self.early_stopping
            .as_ref()
            .map(|es| {
                EarlyStopping::new(es.clone()).map_err(|e| TrainError::InvalidConfig {
                    key: "train.early_stopping".into(),
                    value: format!("{es:?}"),
                    expected: e.to_string(),
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<TrainConfig, TrainError> {
        let config = TrainConfig::from_toml_str(text, Path::new("test.toml"))?;
        config.validate()?;
        Ok(config)
    }

    #[test]
    fn a_device_is_refused_as_a_config_file() {
        let err = TrainConfig::from_file(Path::new("/dev/zero")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read config /dev/zero: `/dev/zero` is a character device"),
            "{err}"
        );
    }

    #[test]
    fn a_model_past_the_memory_limit_is_a_named_error_before_it_is_built() {
        // digits: 64 features, 10 classes; one hidden layer of 10^9 units has
        // 64e9 + 1e9 + 10e9 + 10 parameters, 4 bytes each: far above any limit
        let mut config = TrainConfig::default();
        config.model.width = 1_000_000_000;
        let err = config.plan().expect_err("too large");
        let text = err.to_string();
        assert!(
            text.contains("training the model [64, 1000000000, 10]")
                && text.contains("needs about"),
            "{text}"
        );
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(parse("").unwrap(), TrainConfig::default());
    }

    #[test]
    fn the_echo_writes_f32_values_as_written() {
        let c = parse("[optimizer]\nkind = \"adamw\"\nalpha = 0.003").unwrap();
        let text = c.to_toml_string();
        assert!(text.contains("alpha = 0.003\n"), "{text}");
        assert!(text.contains("weight_decay = 0.01\n"), "{text}");
        assert!(text.contains("epsilon = \"outside_sqrt\""), "{text}");
        assert_eq!(parse(&text).unwrap(), c);
    }

    /// `n_samples` and `noise` shape only the synthetic sets; the echo of any other data set
    /// leaves them out, and still reads back as the same config.
    #[test]
    fn the_echo_lists_only_the_data_keys_its_data_set_reads() {
        for (text, listed) in [
            ("", false),
            ("[data]\ndataset = \"csv\"\npath = \"x.csv\"", false),
            ("[data]\ndataset = \"spirals\"\nn_samples = 300", true),
            ("[data]\ndataset = \"two_moons\"\nnoise = 0.1", true),
        ] {
            let c = parse(text).unwrap();
            let echo = c.to_toml_string();
            assert_eq!(echo.contains("n_samples"), listed, "{echo}");
            assert_eq!(echo.contains("noise"), listed, "{echo}");
            assert_eq!(parse(&echo).unwrap(), c, "{echo}");
        }
    }

    #[test]
    fn default_round_trips_through_toml() {
        let text = TrainConfig::default().to_toml_string();
        assert_eq!(parse(&text).unwrap(), TrainConfig::default());
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        for (text, key) in [
            ("epochs = 3", "epochs"),
            ("[train]\nepoch = 3", "epoch"),
            ("[model]\nlayers = 3", "layers"),
            ("[data]\nset = \"digits\"", "set"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{text:?}: {err}");
        }
    }

    #[test]
    fn invalid_values_name_the_key() {
        for (text, key) in [
            ("[train]\nbatch_size = 0", "train.batch_size"),
            ("[train]\nepochs = 0", "train.epochs"),
            ("[model]\nhidden = [64, 0]", "model.hidden[1]"),
            ("[data]\ndataset = \"csv\"", "data.path"),
            ("[model]\ndropout = 1.0", "model.dropout"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{text:?}: {err}");
        }
    }

    #[test]
    fn wrong_types_name_the_key() {
        let err = parse("[train]\nbatch_size = \"big\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("batch_size"), "{err}");
    }

    #[test]
    fn depth_and_width_or_hidden() {
        let m = ModelConfig {
            depth: 2,
            width: 16,
            ..ModelConfig::default()
        };
        assert_eq!(m.hidden_layers(), vec![16, 16]);
        let m = ModelConfig {
            hidden: Some(vec![8, 4]),
            ..m
        };
        assert_eq!(m.hidden_layers(), vec![8, 4]);
    }
}

#[cfg(test)]
mod properties {
    //! The config reader on mutated files: no panic, no hang, an error that names the config.
    use super::*;
    use crate::mutate::{apply, mutation};
    use proptest::prelude::*;

    /// TOML's punctuation, digits and a letter.
    const TOML: &[u8] = b"[]{}\"=,.:0123456789e-\n x";

    const CONFIG: &str = "seed = 7\n\
    [model]\nhidden = [32, 16]\nactivation = \"relu\"\n\
    [optimizer]\nkind = \"adam\"\nalpha = 0.001\n\
    [schedule]\nkind = \"step_decay\"\nfactor = 0.5\n\
    [train]\nepochs = 3\nbatch_size = 32\n\
    [split]\ntrain = 0.7\nval = 0.2\ntest = 0.1\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn mutated_configs_are_parsed_or_refused_never_a_panic(
            mutations in prop::collection::vec(mutation(TOML), 1..6),
        ) {
            let bytes = apply(CONFIG.as_bytes().to_vec(), &mutations);
            let text = String::from_utf8_lossy(&bytes);
            if let Err(e) = TrainConfig::from_toml_str(&text, "fuzz.toml".as_ref()) {
                let message = e.to_string();
                prop_assert!(message.contains("config"), "{message}");
            }
        }
    }
}
