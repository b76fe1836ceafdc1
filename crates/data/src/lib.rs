//! trainlab lesson crate: data (being written).
