//! Small seeded 2-D and 1-D datasets for pictures and quick experiments.
//!
//! Each generator is deterministic: `ChaCha8Rng::seed_from_u64(seed)`, Gaussian noise by
//! Box-Muller ([`standard_normal`]), rows in a fixed order (no shuffle: use [`crate::Batches`]
//! or a split to shuffle).

mod gaussian;
mod polynomial;
mod spirals;
mod two_moons;

pub use gaussian::standard_normal;
pub use polynomial::{chebyshev, polynomial};
pub use spirals::spirals;
pub use two_moons::two_moons;
