//! trainlab umbrella (being written).
