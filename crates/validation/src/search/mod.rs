//! Hyperparameter search: a search space in TOML, and the lecture's ways to pick trials from it.
//!
//! | file | what |
//! |---|---|
//! | `space.rs` | [`SearchSpace`], [`Dimension`]: parsed and validated from TOML |
//! | `grid.rs` | [`grid`]: the cartesian product ("Coarse Grid Search") |
//! | `random.rs` | [`random`]: seeded random search (log-uniform for rates) |
//! | `refine.rs` | [`refine`]: narrow the space around the best trials ("Refine Grid") |
//! | `asha.rs` | [`AshaConfig`], [`promoted`]: asynchronous successive halving's rungs and rule |
//! | `apply.rs` | [`apply`]: write a trial's values into a TOML config by dotted key |
//!
//! ```
//! use trainlab_validation::search::{apply, grid, random, SearchSpace};
//! let space = SearchSpace::from_toml_str(r#"
//!     [space."optimizer.alpha"]
//!     kind = "log_uniform"
//!     low = 1e-4
//!     high = 1e-1
//!     [space."model.width"]
//!     kind = "choice"
//!     values = [32, 64]
//! "#).unwrap();
//! assert_eq!(grid(&space, 4).len(), 2 * 4);
//! let trials = random(&space, 10, 42);
//! let mut config: toml::Table = toml::from_str("[model]\nwidth = 16").unwrap();
//! apply(&mut config, &trials[0]).unwrap();
//! assert!(config["optimizer"]["alpha"].as_float().is_some());
//! ```

mod apply;
mod asha;
mod grid;
mod random;
mod refine;
mod space;

pub use apply::{apply, describe};
pub use asha::{promoted, AshaConfig};
pub use grid::grid;
pub use random::random;
pub use refine::refine;
pub use space::{Dimension, SearchSpace};

/// One configuration to try: `(dotted key, value)` pairs in the space's key order.
pub type Trial = Vec<(String, toml::Value)>;
