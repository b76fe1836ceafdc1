//! The plain inputs the charts share: a named series of (x, y) numbers and a marked x position.

use crate::check;
use crate::error::Result;

/// A named series of points; `x[i]` pairs with `y[i]`.
///
/// ```
/// use trainlab_plots::Series;
/// let s = Series::new("train", vec![1.0, 2.0], vec![0.9, 0.5]);
/// assert_eq!(s.points(), vec![(1.0, 0.9), (2.0, 0.5)]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// Positions along the x axis (epochs, steps, learning rates...).
    pub x: Vec<f64>,
    /// Values.
    pub y: Vec<f64>,
}

impl Series {
    /// A series from its name and values.
    pub fn new(name: impl Into<String>, x: Vec<f64>, y: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            x,
            y,
        }
    }

    /// A series whose x is 1, 2, 3, ... (epochs counted from 1).
    ///
    /// ```
    /// let s = trainlab_plots::Series::from_y("val", vec![0.5, 0.4]);
    /// assert_eq!(s.x, vec![1.0, 2.0]);
    /// ```
    pub fn from_y(name: impl Into<String>, y: Vec<f64>) -> Self {
        let x = (1..=y.len()).map(|i| i as f64).collect();
        Self::new(name, x, y)
    }

    /// The (x, y) pairs.
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.x.iter().copied().zip(self.y.iter().copied()).collect()
    }

    /// Checks lengths and values: x finite (and > 0 with `log_x`), y finite unless
    /// `allow_gaps` (then NaN/infinite y are gaps, e.g. a diverged run, but one finite point is
    /// needed), y > 0 with `log_y` where finite. `role` names the argument in errors.
    pub(crate) fn check(
        &self,
        role: &str,
        allow_gaps: bool,
        log_x: bool,
        log_y: bool,
    ) -> Result<()> {
        let arg = |axis: &str| format!("{role} \"{}\".{axis}", self.name);
        check::same_len(&arg("y"), self.y.len(), &arg("x"), self.x.len())?;
        check::at_least(&arg("x"), self.x.len(), 1)?;
        if log_x {
            check::positive(&arg("x"), &self.x)?;
        } else {
            check::finite(&arg("x"), &self.x)?;
        }
        if allow_gaps {
            let finite: Vec<f64> = self.y.iter().copied().filter(|v| v.is_finite()).collect();
            check::at_least(&format!("{} (finite values)", arg("y")), finite.len(), 1)?;
            if log_y {
                // positions refer to the finite values only: report the original index instead
                if let Some(index) = self.y.iter().position(|v| v.is_finite() && *v <= 0.0) {
                    return Err(crate::PlotError::NotPositive {
                        argument: arg("y"),
                        index,
                        value: self.y[index],
                    });
                }
            }
        } else if log_y {
            check::positive(&arg("y"), &self.y)?;
        } else {
            check::finite(&arg("y"), &self.y)?;
        }
        Ok(())
    }
}

/// A marked x position, drawn as a dashed vertical line with a legend entry, and a dot at
/// `y` when given (e.g. the validation minimum, an early-stopping point, the LR suggestion).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Where along the x axis.
    pub x: f64,
    /// Optional value to dot at `x`.
    pub y: Option<f64>,
    /// Legend entry, e.g. `"val minimum"`.
    pub label: String,
}

impl Mark {
    /// A mark at `x` with no dot.
    pub fn at(x: f64, label: impl Into<String>) -> Self {
        Self {
            x,
            y: None,
            label: label.into(),
        }
    }

    /// The point of `series` with the smallest finite y (the first if tied), labelled
    /// `"{label} ({x})"`; `None` when the series has no finite point.
    ///
    /// ```
    /// use trainlab_plots::{Mark, Series};
    /// let val = Series::from_y("val", vec![0.9, 0.4, f64::NAN, 0.6]);
    /// let m = Mark::minimum_of(&val, "val minimum").unwrap();
    /// assert_eq!((m.x, m.y), (2.0, Some(0.4)));
    /// assert_eq!(m.label, "val minimum (2)");
    /// ```
    pub fn minimum_of(series: &Series, label: &str) -> Option<Self> {
        let (x, y) = series
            .points()
            .into_iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .fold(None, |best: Option<(f64, f64)>, p| match best {
                Some(b) if b.1 <= p.1 => Some(b),
                _ => Some(p),
            })?;
        Some(Self {
            x,
            y: Some(y),
            label: format!("{label} ({})", crate::style::short_number(x)),
        })
    }

    pub(crate) fn check(&self, role: &str, log_x: bool) -> Result<()> {
        let arg = format!("{role} \"{}\".x", self.label);
        if log_x {
            check::positive(&arg, &[self.x])?;
        } else {
            check::finite(&arg, &[self.x])?;
        }
        if let Some(y) = self.y {
            check::finite(&format!("{role} \"{}\".y", self.label), &[y])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_allowed_only_when_asked() {
        let s = Series::new("val", vec![1.0, 2.0], vec![0.5, f64::NAN]);
        assert!(s.check("loss", true, false, false).is_ok());
        let err = s
            .check("loss", false, false, false)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "loss \"val\".y[1] = NaN: expected a finite number");
    }

    #[test]
    fn all_gaps_is_empty() {
        let s = Series::new("val", vec![1.0], vec![f64::INFINITY]);
        assert!(matches!(
            s.check("loss", true, false, false),
            Err(crate::PlotError::Empty { .. })
        ));
    }

    #[test]
    fn minimum_takes_the_first_of_ties() {
        let s = Series::new("v", vec![1.0, 2.0, 3.0], vec![0.3, 0.2, 0.2]);
        assert_eq!(Mark::minimum_of(&s, "min").unwrap().x, 2.0);
        assert!(Mark::minimum_of(&Series::from_y("v", vec![f64::NAN]), "min").is_none());
    }
}
