//! trainlab-plots: the lecture's charts with [plotters](https://docs.rs/plotters), as SVG text
//! for notebooks (evcxr) and PNG bytes or files for the CLI.
//!
//! The crate knows numbers and series, not the trainer: every chart is a plain struct of
//! `f64` series that the caller fills, checked before drawing (an empty series, mismatched
//! lengths, a non-finite value where none is allowed or a learning rate <= 0 on a log axis is a
//! [`PlotError`] naming the argument, never a panic). Every chart implements [`Chart`].
//!
//! ```
//! use trainlab_plots::{Chart, LrSchedules, Series};
//! let chart = LrSchedules::new("step decay", vec![Series::from_y("step", vec![0.1, 0.1, 0.01])]);
//! let svg = chart.svg().unwrap();
//! assert!(svg.as_str().contains("step decay"));
//! let png = chart.png().unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```
#![warn(missing_docs)]

mod check;
mod clip;
mod error;
mod output;
mod panel;
mod png_text;
mod series;
mod style;

mod confusion;
mod contour;
mod curves;
mod image_grid;
mod kfold;
mod lr_finder;
mod schedules;
mod search;
mod surfaces;
#[cfg(test)]
mod test_util;
mod trajectories;

pub use confusion::ConfusionMatrix;
pub use curves::LearningCurves;
pub use error::{PlotError, Result};
pub use image_grid::{GrayImage, ImageGrid, Tile};
pub use kfold::KFoldScores;
pub use lr_finder::LrFinderCurve;
pub use output::{render_png, render_svg, render_svg_and_png, save_png, save_svg, Chart, Svg};
pub use png_text::Bitmap;
pub use schedules::LrSchedules;
pub use search::{RungPath, Rungs, SearchResults, Trial};
pub use series::{Mark, Series};
pub use surfaces::Surface;
pub use trajectories::{Path, Trajectories};
