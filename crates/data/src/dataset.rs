//! An in-memory dataset: row-major `f32` features and a target (class labels or real values).
//!
//! ```text
//! row(i) = features[i * n_features .. (i + 1) * n_features]
//! ```
//!
//! Differs from PyTorch: there is no `Dataset`/`DataLoader` trait pair and no tensors here; the
//! whole table lives in one `Vec<f32>` (like a NumPy array `X` of shape `(n, d)` plus `y`), and
//! minibatches are index lists from [`crate::Batches`] that the trainer gathers with [`Dataset::subset`].

use crate::DataError;

/// What each row is labelled with.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Classification: one label per row, each in `0..n_classes`.
    Classes {
        /// One label per row.
        labels: Vec<u32>,
        /// Number of classes (labels are `0..n_classes`).
        n_classes: usize,
    },
    /// Regression: one real value per row.
    Values(Vec<f32>),
}

impl Target {
    /// Number of entries (rows) in the target.
    pub fn len(&self) -> usize {
        match self {
            Target::Classes { labels, .. } => labels.len(),
            Target::Values(values) => values.len(),
        }
    }

    /// `true` when the target has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries at `indices`, in that order.
    fn subset(&self, indices: &[usize]) -> Target {
        match self {
            Target::Classes { labels, n_classes } => Target::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                n_classes: *n_classes,
            },
            Target::Values(values) => Target::Values(indices.iter().map(|&i| values[i]).collect()),
        }
    }
}

/// A dataset in memory: row-major features (`n x d`, `f32`) and a target.
///
/// Build one with [`Dataset::new`], which checks the shapes and labels; the fields are public for
/// reading, and whoever mutates them directly keeps them consistent.
///
/// ```
/// use trainlab_data::{Dataset, Target};
/// let d = Dataset::new(
///     "tiny",
///     vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
///     2,
///     Target::Classes { labels: vec![0, 1, 1], n_classes: 2 },
/// )?;
/// assert_eq!(d.len(), 3);
/// assert_eq!(d.row(1), &[2.0, 3.0]);
/// assert_eq!(d.subset(&[2, 0]).row(0), &[4.0, 5.0]);
/// assert_eq!(d.labels(), Some(&[0, 1, 1][..]));
/// # Ok::<(), trainlab_data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// A short name for messages and run directories (e.g. `digits`).
    pub name: String,
    /// Row-major features: row `i` is `features[i * n_features..(i + 1) * n_features]`.
    pub features: Vec<f32>,
    /// Number of features per row (`d`).
    pub n_features: usize,
    /// The target, one entry per row.
    pub target: Target,
}

impl Dataset {
    /// Build a dataset, checking that `features` holds whole rows, that the target has one entry
    /// per row, and that every class label is below `n_classes`.
    pub fn new(
        name: impl Into<String>,
        features: Vec<f32>,
        n_features: usize,
        target: Target,
    ) -> Result<Dataset, DataError> {
        let name = name.into();
        if n_features == 0 {
            return Err(DataError::ZeroFeatures { name });
        }
        if features.len() % n_features != 0 {
            return Err(DataError::FeatureLength {
                name,
                len: features.len(),
                n_features,
            });
        }
        let rows = features.len() / n_features;
        if target.len() != rows {
            return Err(DataError::TargetLength {
                name,
                rows,
                targets: target.len(),
            });
        }
        if let Target::Classes { labels, n_classes } = &target {
            if let Some((row, &label)) = labels
                .iter()
                .enumerate()
                .find(|(_, &l)| l as usize >= *n_classes)
            {
                return Err(DataError::LabelOutOfRange {
                    name,
                    row,
                    label,
                    n_classes: *n_classes,
                });
            }
        }
        Ok(Dataset {
            name,
            features,
            n_features,
            target,
        })
    }

    /// Number of rows (samples).
    pub fn len(&self) -> usize {
        self.features
            .len()
            .checked_div(self.n_features)
            .unwrap_or(0)
    }

    /// `true` when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of row `i`.
    ///
    /// # Panics
    /// If `i >= self.len()`, like slice indexing.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.features[i * self.n_features..(i + 1) * self.n_features]
    }

    /// The class labels, or `None` for a regression target.
    pub fn labels(&self) -> Option<&[u32]> {
        match &self.target {
            Target::Classes { labels, .. } => Some(labels),
            Target::Values(_) => None,
        }
    }

    /// The number of classes, or `None` for a regression target.
    pub fn n_classes(&self) -> Option<usize> {
        match &self.target {
            Target::Classes { n_classes, .. } => Some(*n_classes),
            Target::Values(_) => None,
        }
    }

    /// The regression values, or `None` for a classification target.
    pub fn values(&self) -> Option<&[f32]> {
        match &self.target {
            Target::Values(values) => Some(values),
            Target::Classes { .. } => None,
        }
    }

    /// Number of rows with each label (`np.bincount(y, minlength=n_classes)`), or `None` for a
    /// regression target.
    pub fn class_counts(&self) -> Option<Vec<usize>> {
        let (labels, n_classes) = match &self.target {
            Target::Classes { labels, n_classes } => (labels, *n_classes),
            Target::Values(_) => return None,
        };
        let mut counts = vec![0; n_classes];
        for &label in labels {
            counts[label as usize] += 1;
        }
        Some(counts)
    }

    /// For training a classifier: [`DataError::SingleClass`] when every row has the same label
    /// (a model "learns" 100% accuracy from it and nothing else). Regression data and an empty
    /// dataset pass.
    ///
    /// ```
    /// use trainlab_data::{Dataset, Target};
    /// let one = Dataset::new("one", vec![1.0, 2.0], 1, Target::Classes { labels: vec![3, 3], n_classes: 4 })?;
    /// assert_eq!(
    ///     one.check_several_classes().unwrap_err().to_string(),
    ///     "dataset `one`: every sample has label 3: expected at least two classes to train a classifier"
    /// );
    /// # Ok::<(), trainlab_data::DataError>(())
    /// ```
    pub fn check_several_classes(&self) -> Result<(), DataError> {
        match self.labels() {
            Some([first, rest @ ..]) if rest.iter().all(|l| l == first) => {
                Err(DataError::SingleClass {
                    name: self.name.clone(),
                    label: *first,
                })
            }
            _ => Ok(()),
        }
    }

    /// A new dataset with the rows at `indices`, in the given order (repeats allowed), same name.
    ///
    /// # Panics
    /// If an index is `>= self.len()`, like slice indexing.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut features = Vec::with_capacity(indices.len() * self.n_features);
        for &i in indices {
            features.extend_from_slice(self.row(i));
        }
        Dataset {
            name: self.name.clone(),
            features,
            n_features: self.n_features,
            target: self.target.subset(indices),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Dataset {
        Dataset::new(
            "tiny",
            vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
            2,
            Target::Classes {
                labels: vec![0, 1, 2],
                n_classes: 3,
            },
        )
        .expect("tiny is valid")
    }

    #[test]
    fn rows_and_labels() {
        let d = tiny();
        assert_eq!(d.len(), 3);
        assert!(!d.is_empty());
        assert_eq!(d.row(2), &[4.0, 5.0]);
        assert_eq!(d.n_classes(), Some(3));
        assert_eq!(d.class_counts(), Some(vec![1, 1, 1]));
        assert_eq!(d.values(), None);
    }

    #[test]
    fn subset_keeps_order_and_repeats() {
        let s = tiny().subset(&[2, 0, 2]);
        assert_eq!(s.features, vec![4.0, 5.0, 0.0, 1.0, 4.0, 5.0]);
        assert_eq!(s.labels(), Some(&[2, 0, 2][..]));
        assert_eq!(s.n_classes(), Some(3));
        let empty = tiny().subset(&[]);
        assert!(empty.is_empty());
    }

    #[test]
    fn regression_subset() {
        let d =
            Dataset::new("r", vec![1.0, 2.0], 1, Target::Values(vec![10.0, 20.0])).expect("valid");
        assert_eq!(d.subset(&[1]).values(), Some(&[20.0][..]));
        assert_eq!(d.labels(), None);
        assert_eq!(d.class_counts(), None);
    }

    #[test]
    fn new_rejects_bad_shapes() {
        let e = Dataset::new("x", vec![1.0; 5], 2, Target::Values(vec![0.0; 2])).unwrap_err();
        assert!(
            matches!(
                e,
                DataError::FeatureLength {
                    len: 5,
                    n_features: 2,
                    ..
                }
            ),
            "{e}"
        );
        let e = Dataset::new("x", vec![1.0; 4], 2, Target::Values(vec![0.0; 3])).unwrap_err();
        assert!(
            matches!(
                e,
                DataError::TargetLength {
                    rows: 2,
                    targets: 3,
                    ..
                }
            ),
            "{e}"
        );
        let e = Dataset::new("x", vec![], 0, Target::Values(vec![])).unwrap_err();
        assert!(matches!(e, DataError::ZeroFeatures { .. }), "{e}");
    }

    #[test]
    fn new_rejects_label_out_of_range() {
        let e = Dataset::new(
            "x",
            vec![1.0; 3],
            1,
            Target::Classes {
                labels: vec![0, 1, 2],
                n_classes: 2,
            },
        )
        .unwrap_err();
        assert!(matches!(
            e,
            DataError::LabelOutOfRange {
                row: 2,
                label: 2,
                n_classes: 2,
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            "dataset `x`: row 2 has label 2, expected a label in 0..2"
        );
    }
}
