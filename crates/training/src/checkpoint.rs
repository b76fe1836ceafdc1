//! Checkpoints: everything a run needs to continue exactly where it stopped.
//!
//! A checkpoint is two files in a run's `checkpoints/` folder, written at the end of an epoch:
//! ```text
//! epoch-0007.safetensors   the model's parameters, the optimizer's state buffers, and (with early
//!                          stopping) the best epoch's parameters, as named f32 tensors
//! epoch-0007.json          CheckpointMeta: position (epochs done, step), the optimizer's step
//!                          count, the validation losses so far (the schedule and early stopping
//!                          are replayed from them), the report so far, and the tensor file's
//!                          length and CRC-32, so a corrupt file is caught
//! ```
//! Both are written atomically (temporary file, fsync, then rename), the tensors first: a
//! checkpoint exists once its `.json` does, and the `.json` names the tensors' length and CRC, so
//! the one rename of the `.json` makes the whole checkpoint visible. The last `keep_last` are
//! kept (newest by epoch number, not by name: `epoch-10000` is newer than `epoch-9999`).
//!
//! The best epoch (lowest validation loss) is kept as `best-0052.json` + `best-0052.safetensors`
//! (the epoch count in the name, like the periodic ones): a new best is the periodic checkpoint
//! of its epoch under a second name (hard links, [`Checkpoint::best_from_periodic`]: no second
//! write), made visible by the rename of its `.json`, and only then is the old one deleted. A crash
//! leaves the old best or the new one, never the metadata of one beside the tensors of the other.
//! On resume, [`repair_best`] checks it against the checkpoint resumed from and rebuilds it from
//! the periodic checkpoint of that epoch when it is stale or damaged.
//!
//! The batch order of an epoch depends only on the seed and the epoch number, so no
//! random-generator state needs saving: the position is the whole of it.
//!
//! A signal (Ctrl-C, or the SIGTERM Slurm and Kubernetes send) stops a run after its current
//! minibatch; the run then writes `interrupted.json` + `interrupted.safetensors`, a checkpoint
//! mid-epoch (`batches_done` minibatches into epoch `epochs_completed`, with the epoch's running
//! sums). [`latest_checkpoint`] resumes from it when it is newer than the newest periodic one,
//! and [`prune_checkpoints`] removes it once a later epoch's checkpoint is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde::{Deserialize, Serialize};
use trainlab_optimizers::OptimizerState;

use crate::{TrainError, TrainReport};

/// Version of the checkpoint layout.
pub const CHECKPOINT_FORMAT: u32 = 1;

/// The small metadata file beside a checkpoint's tensors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointMeta {
    /// [`CHECKPOINT_FORMAT`].
    pub format: u32,
    /// Epochs completed: training continues with this epoch.
    pub epochs_completed: usize,
    /// Iterations completed.
    pub step: u64,
    /// Minibatches of epoch `epochs_completed` already trained: 0 for a checkpoint at an epoch's
    /// end, more for one written mid-epoch when a signal stopped the run (`interrupted.json`).
    #[serde(default)]
    pub batches_done: usize,
    /// The running sums of that epoch's training loss and accuracy over its `batches_done`
    /// minibatches, so the epoch's mean comes out as if it had never been interrupted.
    #[serde(default)]
    pub epoch_sums: EpochSums,
    /// The model's layer sizes, input first.
    pub layer_sizes: Vec<usize>,
    /// The update rule's name, e.g. `adam`.
    pub rule: String,
    /// The optimizer's step count `k`.
    pub optimizer_k: u64,
    /// State buffers per optimizer slot.
    pub optimizer_buffers: Vec<usize>,
    /// Validation loss after each completed epoch.
    pub val_losses: Vec<f32>,
    /// The epoch whose weights are stored as the best (early stopping's restore), if any.
    pub best_weights_epoch: Option<usize>,
    /// The report as of this checkpoint.
    pub report: TrainReport,
    /// Length of the tensor file in bytes.
    pub tensors_len: u64,
    /// CRC-32 of the tensor file.
    pub tensors_crc32: u32,
}

/// The running sums of a partly trained epoch (see [`CheckpointMeta::epoch_sums`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EpochSums {
    /// Sum of the minibatch training losses.
    pub loss: f64,
    /// Sum of the minibatch training accuracies (0 for regression).
    pub accuracy: f64,
}

/// The stem of the checkpoint written mid-epoch when a signal stops a run.
pub const INTERRUPTED: &str = "interrupted";

/// A checkpoint in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// The metadata.
    pub meta: CheckpointMeta,
    /// The model's parameters in [`crate::Mlp::parameters`] order.
    pub params: Vec<Vec<f32>>,
    /// The optimizer's state.
    pub optimizer: OptimizerState,
    /// The best epoch's parameters (early stopping with `restore_best`).
    pub best_weights: Option<Vec<Vec<f32>>>,
}

fn io_err(path: &Path, e: std::io::Error) -> TrainError {
    TrainError::Checkpoint {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn bad(path: &Path, message: impl Into<String>) -> TrainError {
    TrainError::Checkpoint {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TrainError> {
    trainlab_data::atomic::write_atomic(path, bytes).map_err(|e| io_err(path, e))
}

/// The prefix of the best checkpoint's files.
pub const BEST_PREFIX: &str = "best-";

/// The epoch count in a checkpoint file's name: `epoch-0052.json` and `best-0052.json` are 52,
/// `epoch-10000.json` is 10000. `None` for any other name.
pub fn checkpoint_number(path: &Path, prefix: &str) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    let digits = name.strip_prefix(prefix)?.strip_suffix(".json")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The `.json` files `<prefix><number>.json` in `dir`, by number, oldest first.
fn numbered(dir: &Path, prefix: &str) -> Result<Vec<(u64, PathBuf)>, TrainError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut found: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| io_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| checkpoint_number(&p, prefix).map(|n| (n, p)))
        .collect();
    found.sort();
    Ok(found)
}

fn remove_checkpoint_files(meta_path: &Path) -> Result<(), TrainError> {
    for path in [
        meta_path.with_extension("json"),
        meta_path.with_extension("safetensors"),
    ] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path, e)),
        }
    }
    Ok(())
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

impl Checkpoint {
    fn tensors(&self) -> Vec<(String, Vec<u8>)> {
        let mut named = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            named.push((format!("model.{i:03}"), f32_bytes(p)));
        }
        for (i, slot) in self.optimizer.slots.iter().enumerate() {
            for (b, buf) in slot.iter().enumerate() {
                named.push((format!("optimizer.{i:03}.{b}"), f32_bytes(buf)));
            }
        }
        if let Some(best) = &self.best_weights {
            for (i, p) in best.iter().enumerate() {
                named.push((format!("best.{i:03}"), f32_bytes(p)));
            }
        }
        named
    }

    /// Writes `<dir>/<stem>.safetensors` then `<dir>/<stem>.json`, each atomically; returns the
    /// `.json` path. The stem `best` is [`Checkpoint::save_best`] (written as `best-NNNN`).
    pub fn save(&self, dir: &Path, stem: &str) -> Result<PathBuf, TrainError> {
        if stem == "best" {
            return self.save_best(dir);
        }
        self.save_as(dir, stem)
    }

    /// Writes this checkpoint as the best one, `<dir>/best-NNNN.*` (NNNN: epochs completed), then
    /// deletes every other best checkpoint. The rename of the new `.json` is the one step that
    /// replaces the old best with the new; a crash before it leaves the old best whole.
    pub fn save_best(&self, dir: &Path) -> Result<PathBuf, TrainError> {
        let stem = format!("{BEST_PREFIX}{:04}", self.meta.epochs_completed);
        let path = self.save_as(dir, &stem)?;
        remove_other_bests(dir, &path)?;
        Ok(path)
    }

    /// Makes the periodic checkpoint `periodic` (an `epoch-NNNN.json` just written) the best one,
    /// `best-NNNN.*`, without writing its bytes again: each file gets a second name (a hard link
    /// made under a temporary name, then renamed over the target, so the `.json`'s rename is
    /// still the one step that makes the new best visible), then every other best is deleted.
    /// Where the file system has no hard links the bytes are copied. Pruning the periodic
    /// checkpoint later removes only its own names.
    pub fn best_from_periodic(periodic: &Path) -> Result<PathBuf, TrainError> {
        let n = checkpoint_number(periodic, "epoch-").ok_or_else(|| {
            bad(
                periodic,
                "not a periodic checkpoint (expected epoch-NNNN.json)",
            )
        })?;
        let dir = periodic.parent().unwrap_or(Path::new("."));
        let best = dir.join(format!("{BEST_PREFIX}{n:04}.json"));
        for ext in ["safetensors", "json"] {
            let (src, dst) = (periodic.with_extension(ext), best.with_extension(ext));
            let tmp = trainlab_data::atomic::temp_path(&dst);
            let _ = std::fs::remove_file(&tmp);
            let linked = std::fs::hard_link(&src, &tmp).and_then(|()| std::fs::rename(&tmp, &dst));
            if linked.is_err() {
                let _ = std::fs::remove_file(&tmp);
                let bytes = std::fs::read(&src).map_err(|e| io_err(&src, e))?;
                write_atomic(&dst, &bytes)?;
            }
        }
        trainlab_data::atomic::sync_dir(dir).map_err(|e| io_err(dir, e))?;
        remove_other_bests(dir, &best)?;
        Ok(best)
    }

    fn save_as(&self, dir: &Path, stem: &str) -> Result<PathBuf, TrainError> {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let tensors = self.tensors();
        let views: Vec<(String, TensorView<'_>)> = tensors
            .iter()
            .map(|(name, bytes)| {
                let view = TensorView::new(Dtype::F32, vec![bytes.len() / 4], bytes)
                    .expect("a flat f32 tensor's shape matches its bytes");
                (name.clone(), view)
            })
            .collect();
        let bytes = safetensors::tensor::serialize(views, &None::<HashMap<String, String>>)
            .map_err(|e| bad(dir, format!("cannot serialise tensors: {e}")))?;
        let tensor_path = dir.join(format!("{stem}.safetensors"));
        write_atomic(&tensor_path, &bytes)?;
        let mut meta = self.meta.clone();
        meta.tensors_len = bytes.len() as u64;
        meta.tensors_crc32 = crc32fast::hash(&bytes);
        let json = serde_json::to_vec_pretty(&meta).expect("checkpoint metadata serialises");
        let meta_path = dir.join(format!("{stem}.json"));
        write_atomic(&meta_path, &json)?;
        Ok(meta_path)
    }

    /// Reads a checkpoint from its `.json` path, checking the tensor file against it.
    pub fn load(meta_path: &Path) -> Result<Checkpoint, TrainError> {
        let text = std::fs::read_to_string(meta_path).map_err(|e| io_err(meta_path, e))?;
        let meta: CheckpointMeta = serde_json::from_str(&text)
            .map_err(|e| bad(meta_path, format!("not a checkpoint metadata file: {e}")))?;
        if meta.format != CHECKPOINT_FORMAT {
            return Err(bad(
                meta_path,
                format!(
                    "format {} is not the supported {CHECKPOINT_FORMAT}",
                    meta.format
                ),
            ));
        }
        let tensor_path = meta_path.with_extension("safetensors");
        let bytes = std::fs::read(&tensor_path).map_err(|e| io_err(&tensor_path, e))?;
        if bytes.len() as u64 != meta.tensors_len {
            return Err(bad(
                &tensor_path,
                format!(
                    "corrupt: {} bytes, the metadata says {} (truncated or overwritten)",
                    bytes.len(),
                    meta.tensors_len
                ),
            ));
        }
        let crc = crc32fast::hash(&bytes);
        if crc != meta.tensors_crc32 {
            return Err(bad(
                &tensor_path,
                format!(
                    "corrupt: CRC-32 {crc:08x}, the metadata says {:08x}",
                    meta.tensors_crc32
                ),
            ));
        }
        let st = SafeTensors::deserialize(&bytes)
            .map_err(|e| bad(&tensor_path, format!("not a safetensors file: {e}")))?;
        let read = |name: &str| -> Result<Vec<f32>, TrainError> {
            let view = st
                .tensor(name)
                .map_err(|_| bad(&tensor_path, format!("tensor `{name}` is missing")))?;
            if view.dtype() != Dtype::F32 {
                return Err(bad(&tensor_path, format!("tensor `{name}` is not f32")));
            }
            Ok(view
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let n_params = 2 * meta.layer_sizes.len().saturating_sub(1);
        let params = (0..n_params)
            .map(|i| read(&format!("model.{i:03}")))
            .collect::<Result<Vec<_>, _>>()?;
        let slots = meta
            .optimizer_buffers
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                (0..n)
                    .map(|b| read(&format!("optimizer.{i:03}.{b}")))
                    .collect()
            })
            .collect::<Result<Vec<Vec<Vec<f32>>>, _>>()?;
        let best_weights = match meta.best_weights_epoch {
            Some(_) => Some(
                (0..n_params)
                    .map(|i| read(&format!("best.{i:03}")))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let optimizer = OptimizerState {
            k: meta.optimizer_k,
            slots,
        };
        Ok(Checkpoint {
            meta,
            params,
            optimizer,
            best_weights,
        })
    }
}

/// The `.json` files of the periodic checkpoints in `dir` (not the best), oldest first by epoch
/// number (`epoch-9999` before `epoch-10000`).
pub fn list_checkpoints(dir: &Path) -> Result<Vec<PathBuf>, TrainError> {
    Ok(numbered(dir, "epoch-")?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

/// The newest checkpoint in `dir`: an error if there is none, or if it is corrupt or incomplete
/// (a run is never silently restarted from scratch).
///
/// A mid-epoch checkpoint (`interrupted.json`, written when a signal stopped the run) is the
/// newest when its step is past the newest periodic one's; a damaged one is passed over for the
/// periodic checkpoint (it only saves retraining part of an epoch).
pub fn latest_checkpoint(dir: &Path) -> Result<Checkpoint, TrainError> {
    let all = list_checkpoints(dir)?;
    let interrupted = dir.join(format!("{INTERRUPTED}.json"));
    let interrupted = match interrupted.exists() {
        true => Checkpoint::load(&interrupted).ok(),
        false => None,
    };
    let Some(newest) = all.last() else {
        return interrupted.ok_or_else(|| {
            bad(
                dir,
                "no checkpoint to resume from (expected epoch-NNNN.json files)",
            )
        });
    };
    let periodic = Checkpoint::load(newest)?;
    Ok(match interrupted {
        Some(i) if i.meta.step > periodic.meta.step => i,
        _ => periodic,
    })
}

/// The best checkpoint's `.json` in `dir` (`best-NNNN.json`, the highest number if a crash left
/// two), if there is one. It is not loaded: [`Checkpoint::load`] checks it.
pub fn best_checkpoint(dir: &Path) -> Result<Option<PathBuf>, TrainError> {
    Ok(numbered(dir, BEST_PREFIX)?.pop().map(|(_, p)| p))
}

/// Removes every best checkpoint file but `keep`'s (`.json` and `.safetensors`), including the
/// tensors of a best whose `.json` a kill prevented, and the single-name layout of earlier
/// versions (`best.json`, `best.safetensors`).
fn remove_other_bests(dir: &Path, keep: &Path) -> Result<(), TrainError> {
    let keep_stem = keep.file_stem().map(|s| s.to_os_string());
    remove_files(dir, |name, stem| {
        (name.starts_with(BEST_PREFIX) || stem == "best")
            && (name.ends_with(".json") || name.ends_with(".safetensors"))
            && keep_stem.as_deref() != Some(std::ffi::OsStr::new(stem))
    })
}

/// Removes the files of `dir` for which `doomed(name, stem)` holds.
fn remove_files(dir: &Path, doomed: impl Fn(&str, &str) -> bool) -> Result<(), TrainError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let (Some(name), Some(stem)) = (
            path.file_name().and_then(|n| n.to_str()),
            path.file_stem().and_then(|n| n.to_str()),
        ) else {
            continue;
        };
        if doomed(name, stem) {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err(&path, e)),
            }
        }
    }
    Ok(())
}

/// What [`repair_best`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BestCheck {
    /// The checkpoint resumed from has no best epoch (nothing validated yet); any best files
    /// (from epochs that will be trained again) were removed.
    NoBest,
    /// The best checkpoint matches the checkpoint resumed from and passes its CRC check.
    Intact {
        /// Its `.json`.
        path: PathBuf,
    },
    /// The best checkpoint was missing, stale or damaged and was copied, byte for byte, from the
    /// periodic checkpoint of the best epoch.
    Repaired {
        /// The new best `.json`.
        path: PathBuf,
        /// The periodic checkpoint it was copied from.
        from: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The best checkpoint is wrong and the periodic checkpoint of the best epoch is gone
    /// (pruned): it cannot be rebuilt. The files are left as they are.
    Lost {
        /// The best epoch's checkpoint name that was wanted, e.g. `best-0052`.
        wanted: String,
        /// What was wrong.
        reason: String,
    },
}

/// Checks, before a resume from `resumed`, that `dir`'s best checkpoint is the one `resumed`
/// knows of (its report's best epoch) and is whole; rebuilds it from the periodic checkpoint of
/// that epoch when it is not (a kill between the periodic checkpoint and the best one, or a
/// damaged file). Best checkpoints of later epochs (to be trained again) and temporary files
/// of dead writers are removed. Call it while holding the run's lock.
pub fn repair_best(dir: &Path, resumed: &Checkpoint) -> Result<BestCheck, TrainError> {
    remove_stale_temporaries(dir)?;
    let Some(best_epoch) = resumed.meta.report.best_epoch else {
        remove_other_bests(dir, Path::new(""))?;
        return Ok(BestCheck::NoBest);
    };
    let n = best_epoch + 1;
    let wanted = dir.join(format!("{BEST_PREFIX}{n:04}.json"));
    let reason = match Checkpoint::load(&wanted) {
        Ok(c) if c.meta.epochs_completed == n => {
            remove_other_bests(dir, &wanted)?;
            return Ok(BestCheck::Intact { path: wanted });
        }
        Ok(c) => format!(
            "{} holds epoch {}, expected {n}",
            wanted.display(),
            c.meta.epochs_completed
        ),
        Err(e) => match best_checkpoint(dir)? {
            Some(other) if !wanted.exists() => format!(
                "the best checkpoint is {}, expected {} (epoch {n})",
                other.display(),
                wanted.display()
            ),
            _ => e.to_string(),
        },
    };
    let from = dir.join(format!("epoch-{n:04}.json"));
    if Checkpoint::load(&from).is_err() {
        return Ok(BestCheck::Lost {
            wanted: format!("{BEST_PREFIX}{n:04}"),
            reason,
        });
    }
    Checkpoint::best_from_periodic(&from)?;
    Ok(BestCheck::Repaired {
        path: wanted,
        from,
        reason,
    })
}

/// Removes the temporary files (`.name.tmp-PID`) a killed writer left in `dir`.
fn remove_stale_temporaries(dir: &Path) -> Result<(), TrainError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let own = format!(".tmp-{}", std::process::id());
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let stale = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') && n.contains(".tmp-") && !n.ends_with(&own));
        if stale {
            std::fs::remove_file(&path).map_err(|e| io_err(&path, e))?;
        }
    }
    Ok(())
}

/// Deletes all but the newest `keep` periodic checkpoints (at least one is kept), and the tensors
/// of any checkpoint whose `.json` a kill prevented (call it between checkpoint writes).
///
/// A mid-epoch checkpoint (`interrupted.*`) goes too: a newer periodic one was just written.
pub fn prune_checkpoints(dir: &Path, keep: usize) -> Result<(), TrainError> {
    let all = list_checkpoints(dir)?;
    for old in all.iter().take(all.len().saturating_sub(keep.max(1))) {
        remove_checkpoint_files(old)?;
    }
    remove_checkpoint_files(&dir.join(format!("{INTERRUPTED}.json")))?;
    remove_files(dir, |name, stem| {
        name.starts_with("epoch-")
            && name.ends_with(".safetensors")
            && !dir.join(format!("{stem}.json")).exists()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, TimingSummary};

    fn sample() -> Checkpoint {
        Checkpoint {
            meta: CheckpointMeta {
                format: CHECKPOINT_FORMAT,
                epochs_completed: 2,
                step: 90,
                batches_done: 0,
                epoch_sums: EpochSums::default(),
                layer_sizes: vec![2, 3, 1],
                rule: "adam".into(),
                optimizer_k: 90,
                optimizer_buffers: vec![2, 2, 0, 0],
                val_losses: vec![0.5, 0.25],
                best_weights_epoch: None,
                report: TrainReport {
                    outcome: Outcome::Completed { epochs: 2 },
                    steps: 90,
                    epochs_completed: 2,
                    final_train_loss: Some(0.3),
                    final_val_loss: Some(0.25),
                    final_val_accuracy: None,
                    best_val_loss: Some(0.25),
                    best_epoch: Some(1),
                    best_val_accuracy: None,
                    timings: TimingSummary::default(),
                },
                tensors_len: 0,
                tensors_crc32: 0,
            },
            params: vec![
                vec![1.0, -2.0, 3.5, 0.0, 1e-30, f32::MIN_POSITIVE],
                vec![0.1, 0.2, 0.3],
                vec![4.0, 5.0, 6.0],
                vec![7.0],
            ],
            optimizer: OptimizerState {
                k: 90,
                slots: vec![
                    vec![vec![0.5; 6], vec![0.25; 6]],
                    vec![vec![1.0; 3], vec![2.0; 3]],
                    vec![],
                    vec![],
                ],
            },
            best_weights: None,
        }
    }

    #[test]
    fn round_trips_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let c = sample();
        let meta_path = c.save(dir.path(), "epoch-0002").unwrap();
        let back = Checkpoint::load(&meta_path).unwrap();
        assert_eq!(back.params, c.params);
        assert_eq!(back.optimizer, c.optimizer);
        assert_eq!(back.meta.val_losses, c.meta.val_losses);
        assert_eq!(latest_checkpoint(dir.path()).unwrap().params, c.params);
    }

    #[test]
    fn corruption_is_an_error_that_says_what() {
        let dir = tempfile::tempdir().unwrap();
        let meta_path = sample().save(dir.path(), "epoch-0002").unwrap();
        let tensors = meta_path.with_extension("safetensors");
        let mut bytes = std::fs::read(&tensors).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&tensors, &bytes).unwrap();
        let err = Checkpoint::load(&meta_path).unwrap_err().to_string();
        assert!(
            err.contains("CRC-32") && err.contains("epoch-0002.safetensors"),
            "{err}"
        );
        std::fs::write(&tensors, &bytes[..10]).unwrap();
        let err = Checkpoint::load(&meta_path).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn no_checkpoint_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let err = latest_checkpoint(dir.path()).unwrap_err().to_string();
        assert!(err.contains("no checkpoint to resume from"), "{err}");
    }

    #[test]
    fn pruning_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        for e in 1..=5 {
            sample().save(dir.path(), &format!("epoch-{e:04}")).unwrap();
        }
        // a kill between the tensors and the metadata of epoch 6
        sample().save(dir.path(), "epoch-0006").unwrap();
        std::fs::remove_file(dir.path().join("epoch-0006.json")).unwrap();
        prune_checkpoints(dir.path(), 2).unwrap();
        assert!(!dir.path().join("epoch-0006.safetensors").exists());
        let left: Vec<String> = list_checkpoints(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["epoch-0004.json", "epoch-0005.json"]);
        assert!(!dir.path().join("epoch-0001.safetensors").exists());
    }

    /// `sample()` at the end of epoch `n` (1-based count), the best epoch being `best` (0-based).
    fn at(n: usize, best: Option<usize>) -> Checkpoint {
        let mut c = sample();
        c.meta.epochs_completed = n;
        c.meta.report.best_epoch = best;
        c.params[3][0] = n as f32;
        c
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn checkpoints_sort_by_epoch_number_past_9999() {
        let dir = tempfile::tempdir().unwrap();
        for n in [9998, 9999, 10000, 10001] {
            at(n, None)
                .save(dir.path(), &format!("epoch-{n:04}"))
                .unwrap();
        }
        prune_checkpoints(dir.path(), 2).unwrap();
        let left: Vec<u64> = list_checkpoints(dir.path())
            .unwrap()
            .iter()
            .map(|p| checkpoint_number(p, "epoch-").unwrap())
            .collect();
        assert_eq!(left, vec![10000, 10001]);
        assert_eq!(
            latest_checkpoint(dir.path()).unwrap().meta.epochs_completed,
            10001
        );
        assert_eq!(checkpoint_number(Path::new("epoch-.json"), "epoch-"), None);
        assert_eq!(
            checkpoint_number(Path::new("epoch-1x.json"), "epoch-"),
            None
        );
        assert_eq!(checkpoint_number(Path::new("epoch-7.tmp"), "epoch-"), None);
    }

    #[test]
    fn a_new_best_replaces_the_old_one_only_once_it_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        at(47, Some(46)).save(dir.path(), "best").unwrap();
        // a kill after the new best's tensors, before its metadata: the old best is whole
        let new = at(52, Some(51));
        new.save_as(dir.path(), "best-0052").unwrap();
        std::fs::remove_file(dir.path().join("best-0052.json")).unwrap();
        let best = best_checkpoint(dir.path()).unwrap().unwrap();
        assert_eq!(best, dir.path().join("best-0047.json"));
        assert_eq!(Checkpoint::load(&best).unwrap().meta.epochs_completed, 47);
        // the next best written removes both, and orphaned tensors of any epoch
        at(50, Some(49)).save_as(dir.path(), "best-0050").unwrap();
        std::fs::remove_file(dir.path().join("best-0050.json")).unwrap();
        new.save_best(dir.path()).unwrap();
        assert_eq!(
            names(dir.path()),
            vec!["best-0052.json", "best-0052.safetensors"]
        );
    }

    #[test]
    fn resume_rebuilds_a_stale_best_from_the_periodic_checkpoint_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        at(47, Some(46)).save(dir.path(), "epoch-0047").unwrap();
        at(47, Some(46)).save(dir.path(), "best").unwrap();
        // epoch 52 is the new best; the kill lands after its periodic checkpoint
        let resumed = at(52, Some(51));
        resumed.save(dir.path(), "epoch-0052").unwrap();
        std::fs::write(dir.path().join(".best-0052.json.tmp-4194999"), "torn").unwrap();
        let check = repair_best(dir.path(), &resumed).unwrap();
        assert_eq!(
            check,
            BestCheck::Repaired {
                path: dir.path().join("best-0052.json"),
                from: dir.path().join("epoch-0052.json"),
                reason: format!(
                    "the best checkpoint is {}, expected {} (epoch 52)",
                    dir.path().join("best-0047.json").display(),
                    dir.path().join("best-0052.json").display()
                ),
            }
        );
        for ext in ["json", "safetensors"] {
            assert_eq!(
                std::fs::read(dir.path().join(format!("best-0052.{ext}"))).unwrap(),
                std::fs::read(dir.path().join(format!("epoch-0052.{ext}"))).unwrap()
            );
        }
        assert_eq!(
            names(dir.path()),
            vec![
                "best-0052.json",
                "best-0052.safetensors",
                "epoch-0047.json",
                "epoch-0047.safetensors",
                "epoch-0052.json",
                "epoch-0052.safetensors"
            ]
        );
        // a second check finds it whole
        assert_eq!(
            repair_best(dir.path(), &resumed).unwrap(),
            BestCheck::Intact {
                path: dir.path().join("best-0052.json")
            }
        );
    }

    #[test]
    fn a_damaged_best_is_rebuilt_and_a_lost_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let resumed = at(52, Some(50));
        at(51, Some(50)).save(dir.path(), "epoch-0051").unwrap();
        at(51, Some(50)).save(dir.path(), "best").unwrap();
        let tensors = dir.path().join("best-0051.safetensors");
        let mut bytes = std::fs::read(&tensors).unwrap();
        bytes[20] ^= 1;
        std::fs::write(&tensors, &bytes).unwrap();
        assert!(matches!(
            repair_best(dir.path(), &resumed).unwrap(),
            BestCheck::Repaired { reason, .. } if reason.contains("CRC-32")
        ));
        assert!(Checkpoint::load(&dir.path().join("best-0051.json")).is_ok());
        // the periodic checkpoint pruned and the best damaged: nothing to rebuild from
        std::fs::write(&tensors, b"").unwrap();
        remove_checkpoint_files(&dir.path().join("epoch-0051.json")).unwrap();
        assert!(matches!(
            repair_best(dir.path(), &resumed).unwrap(),
            BestCheck::Lost { wanted, reason } if wanted == "best-0051" && reason.contains("truncated")
        ));
    }

    #[test]
    fn bests_newer_than_the_resumed_checkpoint_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        at(3, Some(2)).save(dir.path(), "best").unwrap();
        at(9, Some(8)).save_as(dir.path(), "best-0009").unwrap();
        let resumed = at(5, Some(2));
        assert!(matches!(
            repair_best(dir.path(), &resumed).unwrap(),
            BestCheck::Intact { .. }
        ));
        assert_eq!(
            names(dir.path()),
            vec!["best-0003.json", "best-0003.safetensors"]
        );
        assert_eq!(
            repair_best(dir.path(), &at(5, None)).unwrap(),
            BestCheck::NoBest
        );
        assert!(names(dir.path()).is_empty());
    }

    mod properties {
        //! The checkpoint reader on mutated files: no panic, no hang, and nothing sized by a
        //! number read from the file (metadata claiming a billion layers or buffers must not
        //! allocate for them).
        use super::*;
        use proptest::prelude::*;

        use crate::mutate::{apply, mutation};

        /// JSON's punctuation and digits.
        const JSON: &[u8] = b"[]{}\":,0123456789e-\n";

        fn files() -> (Vec<u8>, Vec<u8>) {
            let dir = tempfile::tempdir().unwrap();
            let meta = sample().save(dir.path(), "epoch-0002").unwrap();
            (
                std::fs::read(&meta).unwrap(),
                std::fs::read(meta.with_extension("safetensors")).unwrap(),
            )
        }

        fn load(meta: &[u8], tensors: &[u8]) -> Result<Checkpoint, TrainError> {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("epoch-0002.json"), meta).unwrap();
            std::fs::write(dir.path().join("epoch-0002.safetensors"), tensors).unwrap();
            Checkpoint::load(&dir.path().join("epoch-0002.json"))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

            #[test]
            fn mutated_checkpoints_are_loaded_or_refused_never_a_panic(
                meta_mutations in prop::collection::vec(mutation(JSON), 0..4),
                tensor_mutations in prop::collection::vec(mutation(JSON), 0..4),
                fix_crc in any::<bool>(),
            ) {
                let (meta, tensors) = files();
                let tensors = apply(tensors, &tensor_mutations);
                let mut meta = apply(meta, &meta_mutations);
                if fix_crc {
                    // the metadata agrees with the mutated tensors: the reader gets past the CRC
                    // (when the mutated text is still a JSON object: a cut can leave a number)
                    if let Ok(serde_json::Value::Object(mut v)) = serde_json::from_slice(&meta) {
                        v.insert("tensors_len".into(), tensors.len().into());
                        v.insert("tensors_crc32".into(), crc32fast::hash(&tensors).into());
                        meta = serde_json::to_vec(&v).unwrap();
                    }
                }
                match load(&meta, &tensors) {
                    Ok(c) => {
                        let floats: usize = c.params.iter().map(Vec::len).sum();
                        prop_assert!(floats * 4 <= tensors.len());
                    }
                    Err(e) => prop_assert!(e.to_string().contains("epoch-0002"), "{e}"),
                }
            }

            #[test]
            fn metadata_claiming_huge_sizes_allocates_nothing_for_them(
                width in 2usize..usize::MAX,
                buffers in 0usize..usize::MAX,
            ) {
                let (meta, tensors) = files();
                let mut v: serde_json::Value = serde_json::from_slice(&meta).unwrap();
                v["layer_sizes"] = serde_json::json!([2, width, 1]);
                v["optimizer_buffers"] = serde_json::json!([buffers, buffers, buffers, buffers]);
                let meta = serde_json::to_vec(&v).unwrap();
                // the stored tensors do not have those sizes: read as stored, or refused
                if let Ok(c) = load(&meta, &tensors) {
                    prop_assert_eq!(c.params, sample().params);
                }
            }
        }
    }

    #[test]
    fn the_best_is_the_periodic_checkpoint_under_a_second_name_and_outlives_its_pruning() {
        let dir = tempfile::tempdir().unwrap();
        let periodic = sample().save(dir.path(), "epoch-0002").unwrap();
        sample().save(dir.path(), "best-0001").unwrap();
        let best = Checkpoint::best_from_periodic(&periodic).unwrap();
        assert_eq!(best, dir.path().join("best-0002.json"));
        for ext in ["json", "safetensors"] {
            assert_eq!(
                std::fs::read(best.with_extension(ext)).unwrap(),
                std::fs::read(periodic.with_extension(ext)).unwrap()
            );
        }
        assert!(
            !dir.path().join("best-0001.json").exists(),
            "the old best is gone"
        );
        remove_checkpoint_files(&periodic).unwrap();
        assert_eq!(Checkpoint::load(&best).unwrap().params, sample().params);
        let err = Checkpoint::best_from_periodic(&dir.path().join("best-0002.json")).unwrap_err();
        assert!(err.to_string().contains("epoch-NNNN.json"), "{err}");
    }
}
