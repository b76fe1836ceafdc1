//! trainlab lesson crate: schedules (being written).
