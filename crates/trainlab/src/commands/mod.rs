//! One module per subcommand.

pub mod compare;
pub mod cv;
pub mod diagnose;
pub mod lr_find;
pub mod sanity;
pub mod search;
pub mod split;
pub mod train;
