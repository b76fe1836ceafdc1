//! [`Plan`]: a [`TrainConfig`] validated once and turned into everything a run needs: the data
//! (split, standardised on the training split), a fresh model, the optimizer, the schedule,
//! early stopping and the seeded minibatch order. A [`crate::Trainer`] runs a plan.
//!
//! ```text
//! TrainConfig --plan()--> Plan { data, model, optimizer, schedule, early stopping, batches }
//!                              --Trainer::new--> step() / epoch() / run(&mut sinks)
//! ```
//!
//! Every way of training goes through a plan: `trainlab train`, each trial of a search, each fold
//! of a cross-validation, the LR finder, the sanity ladder and the notebooks' lessons. A notebook
//! or an exercise swaps in its own update rule with [`Plan::with_rule`], and the trainer calls it
//! exactly as it calls the built-in ones.

use trainlab_data::{Batches, Dataset, Standardizer};
use trainlab_diagnosis::EarlyStopping;
use trainlab_optimizers::{Optimizer, UpdateRule, WeightDecay};
use trainlab_schedules::LrSchedule;
use trainlab_validation::SealedTest;

use crate::{DatasetName, Mlp, TrainConfig, TrainError};

/// The data of a run: training and validation splits, standardised with the training split's
/// statistics, and (for a run planned from its config) the sealed test set.
#[derive(Debug)]
pub struct LoadedData {
    /// Training samples.
    pub train: Dataset,
    /// Validation samples.
    pub val: Dataset,
    /// The sealed test set and the standardised whole it points into; `None` for a plan made
    /// from given splits ([`TrainConfig::plan_on`]: a cross-validation fold, a notebook subset).
    pub test: Option<(SealedTest, Dataset)>,
    /// The fitted standardisation, if `data.standardize` is on.
    pub standardizer: Option<Standardizer>,
}

impl LoadedData {
    /// Copies of the training and validation splits (to plan another run on them, or on a part).
    pub fn clone_splits(&self) -> (Dataset, Dataset) {
        (self.train.clone(), self.val.clone())
    }
}

/// A validated run: see the module docs.
pub struct Plan {
    pub(crate) config: TrainConfig,
    pub(crate) data: LoadedData,
    pub(crate) model: Mlp,
    pub(crate) optimizer: Optimizer<Box<dyn UpdateRule>>,
    pub(crate) schedule: Box<dyn LrSchedule>,
    pub(crate) early_stopping: Option<EarlyStopping>,
    pub(crate) batches: Batches,
    pub(crate) notes: Vec<String>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("layers", &self.model.sizes())
            .field("rule", &self.optimizer.rule().name())
            .field("alpha", &self.optimizer.alpha())
            .field("schedule", &self.schedule.name())
            .field("n_train", &self.data.train.len())
            .field("n_val", &self.data.val.len())
            .field("notes", &self.notes)
            .finish()
    }
}

impl TrainConfig {
    /// Validates the config once and loads its data: the plan of a whole run.
    ///
    /// ```
    /// use trainlab_training::TrainConfig;
    /// let plan = TrainConfig::default().plan().unwrap();
    /// assert_eq!(plan.model().sizes(), &[64, 128, 10]);
    /// assert_eq!(plan.data().train.len() + plan.data().val.len(), 1617); // 90% of 1797
    /// let mut bad = TrainConfig::default();
    /// bad.train.batch_size = 0;
    /// assert!(bad.plan().unwrap_err().to_string().contains("train.batch_size"));
    /// ```
    pub fn plan(&self) -> Result<Plan, TrainError> {
        self.validate_fields()?;
        let data = load(self)?;
        Plan::build(self.clone(), data)
    }

    /// Validates the config once and plans a run on the given splits (already standardised as
    /// the caller wants): a cross-validation fold, a smaller training set in a notebook.
    pub fn plan_on(&self, train: Dataset, val: Dataset) -> Result<Plan, TrainError> {
        self.validate_fields()?;
        Plan::build(
            self.clone(),
            LoadedData {
                train,
                val,
                test: None,
                standardizer: None,
            },
        )
    }
}

impl Plan {
    fn build(config: TrainConfig, data: LoadedData) -> Result<Self, TrainError> {
        if data.train.is_empty() {
            return Err(TrainError::InvalidConfig {
                key: "split.train".into(),
                value: "0 samples".into(),
                expected: "a training split of at least 1 sample".into(),
            });
        }
        let n_out = data.train.n_classes().unwrap_or(1);
        let model = Mlp::new(
            data.train.n_features,
            &config.model.hidden_layers(),
            n_out,
            config.model.activation,
            config.seed,
        )
        .with_dropout(config.model.dropout);
        let optimizer = config.optimizer.build()?;
        let schedule = config.schedule.build(optimizer.alpha())?;
        let early_stopping = config.train.early_stopping()?;
        let batches = Batches::new(data.train.len(), config.train.batch_size, config.seed)?;
        let notes = config
            .schedule
            .ignores_base_rate()
            .map(|why| vec![why.to_string()])
            .unwrap_or_default();
        Ok(Self {
            config,
            data,
            model,
            optimizer,
            schedule,
            early_stopping,
            batches,
            notes,
        })
    }

    /// Trains with `rule` instead of the config's: a student's rule from a notebook or an
    /// exercise, at the config's `alpha` (then the schedule's) and weight decay. The optimizer
    /// state starts empty.
    pub fn with_rule(mut self, rule: Box<dyn UpdateRule>) -> Self {
        let wd = self.optimizer.weight_decay();
        self.optimizer = Optimizer::new(rule, self.optimizer.alpha())
            .and_then(|o| o.with_weight_decay(wd))
            .expect("alpha and weight decay were validated with the config");
        self
    }

    /// Trains with weight decay `wd` instead of the config's (the lecture's LR recipe uses a
    /// small L2 decay for every rate). A negative `lambda` is an error naming `weight_decay`.
    pub fn with_weight_decay(mut self, wd: WeightDecay) -> Result<Self, TrainError> {
        self.optimizer = self.optimizer.with_weight_decay(wd)?;
        Ok(self)
    }

    /// Trains with `schedule` instead of the config's (the LR finder's exponential sweep).
    pub fn with_schedule(mut self, schedule: Box<dyn LrSchedule>) -> Self {
        self.schedule = schedule;
        self
    }

    /// The validated config.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The splits.
    pub fn data(&self) -> &LoadedData {
        &self.data
    }

    /// The fresh model.
    pub fn model(&self) -> &Mlp {
        &self.model
    }

    /// The optimizer (rule, starting `alpha`, weight decay).
    pub fn optimizer(&self) -> &Optimizer<Box<dyn UpdateRule>> {
        &self.optimizer
    }

    /// Things about the config worth telling the person who wrote it, e.g. that the schedule
    /// sets every rate itself and does not use `optimizer.alpha`.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

/// Loads the configured data set, splits it and standardises it (fitted on training rows only).
/// The config has been validated.
fn load(config: &TrainConfig) -> Result<LoadedData, TrainError> {
    let d = &config.data;
    let mut all = match d.dataset {
        DatasetName::Digits => trainlab_data::digits(),
        DatasetName::Spirals => {
            trainlab_data::synthetic::spirals(d.n_samples.div_ceil(3), 3, d.noise, config.seed)
        }
        DatasetName::TwoMoons => {
            trainlab_data::synthetic::two_moons(d.n_samples, d.noise, config.seed)
        }
        DatasetName::Csv => {
            let path = d.path.as_deref().ok_or_else(missing_path)?;
            trainlab_data::load_csv(path, &trainlab_data::CsvOptions::default())?
        }
        DatasetName::Cifar10 => {
            let path = d.path.as_deref().ok_or_else(missing_path)?;
            let files = if path.is_dir() {
                let entries = std::fs::read_dir(path).map_err(|source| TrainError::ReadData {
                    path: path.to_path_buf(),
                    source,
                })?;
                let mut files: Vec<_> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "bin"))
                    .collect();
                files.sort();
                files
            } else {
                vec![path.to_path_buf()]
            };
            trainlab_data::load_cifar10(&files)?
        }
    };
    let split = trainlab_validation::split(all.len(), all.labels(), &config.split)?;
    let mut train = all.subset(&split.train);
    let standardizer = if d.standardize {
        let s = Standardizer::fit(&train);
        s.transform(&mut train);
        s.transform(&mut all);
        Some(s)
    } else {
        None
    };
    let val = all.subset(&split.val);
    Ok(LoadedData {
        train,
        val,
        test: Some((split.test, all)),
        standardizer,
    })
}

fn missing_path() -> TrainError {
    TrainError::InvalidConfig {
        key: "data.path".into(),
        value: "(missing)".into(),
        expected: "a file path: the csv and cifar10 data sets read a file".into(),
    }
}
