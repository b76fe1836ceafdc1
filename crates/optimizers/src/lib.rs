//! The lecture's optimizers on dfdx 0.13: SGD, momentum (+ Nesterov), RMSProp and Adam
//! (+ decoupled weight decay, i.e. AdamW).
//!
//! An [`UpdateRule`] says how one parameter moves given its gradient (one rule per file: [`Sgd`],
//! [`Momentum`], [`RmsProp`], [`Adam`]). The [`Optimizer`] wrapper walks a dfdx model, applies
//! [`WeightDecay`], counts steps and keeps each parameter's state, for any rule, including one a
//! student writes. [`OptimizerConfig`] picks a rule at run time (a TOML `[optimizer]` table).
//!
//! The defaults are the lecture's formulas (epsilon inside the square root, RMSProp `beta = 0.9`);
//! each config's `pytorch()` preset gives PyTorch's form and defaults.
//!
//! ```
//! use dfdx::prelude::*;
//! use trainlab_optimizers::{AdamConfig, UpdateRule};
//!
//! // minimise (x - 3)^2 on a bare tensor
//! let dev: Cpu = Default::default();
//! let mut x: Tensor<Rank1<1>, f32, Cpu> = dev.tensor([0.0]);
//! let mut opt = AdamConfig { alpha: 0.1, ..Default::default() }.build().unwrap();
//! for _ in 0..500 {
//!     let loss = (x.leaky_trace() - 3.0).square().sum();
//!     opt.step(&mut x, &loss.backward()).unwrap();
//! }
//! assert!((x.array()[0] - 3.0).abs() < 1e-2);
//! ```
#![warn(missing_docs)]

mod adam;
pub mod cases;
mod config;
mod error;
mod momentum;
mod optimizer;
mod rmsprop;
mod rule;
mod sgd;
pub mod tolerance;

pub use adam::{Adam, AdamConfig};
pub use config::{AdamWConfig, OptimizerConfig};
pub use error::OptimError;
pub use momentum::{Momentum, MomentumConfig};
pub use optimizer::{Optimizer, OptimizerState, WeightDecay, PARALLEL_UPDATE_MIN, UPDATE_CHUNK};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use rule::{Epsilon, Step, UpdateRule};
pub use sgd::{Sgd, SgdConfig};
