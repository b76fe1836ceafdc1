//! trainlab lesson crate: validation (being written).
