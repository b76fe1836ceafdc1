//! trainlab lesson crate: optimizers (being written).
