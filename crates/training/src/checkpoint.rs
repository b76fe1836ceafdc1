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
//! Both are written atomically (temporary file, then rename), the tensors first: a checkpoint
//! exists once its `.json` does. The last `keep_last` are kept, and `best.*` holds the epoch with
//! the lowest validation loss. The batch order of an epoch depends only on the seed and the epoch
//! number, so no random-generator state needs saving: the position is the whole of it.

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
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| io_err(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, e))
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

    /// Writes `<dir>/<stem>.safetensors` then `<dir>/<stem>.json`, each atomically.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<PathBuf, TrainError> {
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

/// The `.json` files of the checkpoints in `dir` (not `best`), oldest first.
pub fn list_checkpoints(dir: &Path) -> Result<Vec<PathBuf>, TrainError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("epoch-"))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The newest checkpoint in `dir`: an error if there is none, or if it is corrupt or incomplete
/// (a run is never silently restarted from scratch).
pub fn latest_checkpoint(dir: &Path) -> Result<Checkpoint, TrainError> {
    let all = list_checkpoints(dir)?;
    let newest = all.last().ok_or_else(|| {
        bad(
            dir,
            "no checkpoint to resume from (expected epoch-NNNN.json files)",
        )
    })?;
    Checkpoint::load(newest)
}

/// Deletes all but the newest `keep` checkpoints.
pub fn prune_checkpoints(dir: &Path, keep: usize) -> Result<(), TrainError> {
    let all = list_checkpoints(dir)?;
    for old in all.iter().take(all.len().saturating_sub(keep.max(1))) {
        for path in [
            old.with_extension("json"),
            old.with_extension("safetensors"),
        ] {
            std::fs::remove_file(&path).map_err(|e| io_err(&path, e))?;
        }
    }
    Ok(())
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
        prune_checkpoints(dir.path(), 2).unwrap();
        let left: Vec<String> = list_checkpoints(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["epoch-0004.json", "epoch-0005.json"]);
        assert!(!dir.path().join("epoch-0001.safetensors").exists());
    }
}
