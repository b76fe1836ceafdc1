//! trainlab training (being written).
