//! One module per subcommand.

pub mod compare;
pub mod diagnose;
pub mod train;
