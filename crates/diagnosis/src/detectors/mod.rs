//! One detector per verdict; [`crate::diagnose`] runs them in order.

pub(crate) mod chance;
pub(crate) mod diverging;
pub(crate) mod gap;
pub(crate) mod good_fit;
pub(crate) mod not_judged;
pub(crate) mod not_learning;
pub(crate) mod overfitting;
pub(crate) mod rising;
pub(crate) mod still_improving;
pub(crate) mod underfitting;
pub(crate) mod unstable;
pub(crate) mod validation_not_improving;

/// Strings from string literals, for advice lists.
pub(crate) fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
