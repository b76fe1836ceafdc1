//! "Become one with the data" (the lecture's recipe, step 1), then what the model gets wrong, and
//! what augmentation and less data do: the entry points of notebooks 03, 04 and 06.
//!
//! Everything shown is raw pixels (0 = background .. 16 = ink), never standardised ones: a person
//! reads the images, and standardisation per pixel would change what they look like.

use anyhow::{bail, Context, Result};
use trainlab_data::{augment, digits, AugmentConfig, Dataset, Standardizer};
use trainlab_plots::{
    Chart, ConfusionMatrix, GrayImage, ImageGrid, LearningCurves, Series, Svg, Tile,
};
use trainlab_training::{History, TrainConfig, Trainer};

/// The digits are 8 x 8 images.
const SIDE: usize = 8;

fn image(row: &[f32]) -> GrayImage {
    GrayImage::new(SIDE, SIDE, row.to_vec())
}

/// The raw (unstandardised) digits of `config`'s split: (training rows, validation rows).
fn raw_split(config: &TrainConfig) -> Result<(Dataset, Dataset)> {
    let all = digits();
    let split = trainlab_validation::split(all.len(), all.labels(), &config.split)
        .context("splitting the digits")?;
    Ok((all.subset(&split.train), all.subset(&split.val)))
}

/// The first `per_class` digits of every class (rows: classes 0..9), captioned with their label.
pub fn digit_grid(per_class: usize) -> Result<Svg> {
    if per_class == 0 {
        bail!("per_class = 0: expected at least 1 image per class");
    }
    let all = digits();
    let labels = all.labels().context("the digits have labels")?;
    let mut tiles = Vec::new();
    for class in 0..10u32 {
        for i in labels
            .iter()
            .enumerate()
            .filter(|(_, &l)| l == class)
            .map(|(i, _)| i)
            .take(per_class)
        {
            tiles.push(Tile {
                image: image(all.row(i)),
                caption: format!("label {class}"),
                highlight: false,
            });
        }
    }
    let title = format!("the first {per_class} digits of each class (8 x 8 pixels, 0..16)");
    Ok(ImageGrid::new(title, per_class, tiles).svg()?)
}

/// Rows per class in the whole data set and in `config`'s training and validation splits, with
/// the share of each, and the pixel range: the first numbers to look at.
pub fn class_balance(config: &TrainConfig) -> Result<String> {
    let all = digits();
    let (train, val) = raw_split(config)?;
    let counts = |d: &Dataset| d.class_counts().unwrap_or_default();
    let (a, t, v) = (counts(&all), counts(&train), counts(&val));
    let mut out = format!(
        "{} images, {} pixels each, values {} .. {}\nclass   all   (share)   train   val\n",
        all.len(),
        all.n_features,
        all.features.iter().copied().fold(f32::INFINITY, f32::min),
        all.features
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max),
    );
    for (c, &count) in a.iter().enumerate() {
        out.push_str(&format!(
            "{c:>5} {count:>5}   ({:>4.1} %) {:>7} {:>5}\n",
            100.0 * count as f64 / all.len() as f64,
            t.get(c).copied().unwrap_or(0),
            v.get(c).copied().unwrap_or(0),
        ));
    }
    out.push_str(&format!(
        "total {:>5}            {:>7} {:>5}\n",
        all.len(),
        train.len(),
        val.len()
    ));
    Ok(out)
}

/// A trained model's predictions on the validation split, beside the raw images.
#[derive(Clone, Debug)]
pub struct Predictions {
    /// The raw validation images, one row each.
    pub images: Dataset,
    /// The true class of each.
    pub truth: Vec<usize>,
    /// The predicted class (the arg max of the logits) of each.
    pub predicted: Vec<usize>,
    /// The run's history.
    pub history: History,
}

fn argmax(v: &[f32]) -> usize {
    v.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &x)| {
            if x > bv {
                (i, x)
            } else {
                (bi, bv)
            }
        })
        .0
}

/// Trains `config` on the digits (standardised as the trainer does) and predicts the validation
/// split.
pub fn val_predictions(config: &TrainConfig) -> Result<Predictions> {
    let (raw_train, raw_val) = raw_split(config)?;
    let (train, val) = standardised(config, &raw_train, &raw_val);
    let mut history = History::default();
    let trained = Trainer::new(config.plan_on(train, val.clone())?).run(&mut [&mut history])?;
    let logits = trained.model.predict(&val.features);
    let classes = val.n_classes().context("the digits have classes")?;
    let predicted = logits.chunks(classes).map(argmax).collect();
    let truth = val
        .labels()
        .context("the digits have labels")?
        .iter()
        .map(|&l| l as usize)
        .collect();
    Ok(Predictions {
        images: raw_val,
        truth,
        predicted,
        history,
    })
}

/// `train` and `val` standardised with statistics of `train` (if `config` standardises).
fn standardised(config: &TrainConfig, train: &Dataset, val: &Dataset) -> (Dataset, Dataset) {
    let (mut train, mut val) = (train.clone(), val.clone());
    if config.data.standardize {
        let s = Standardizer::fit(&train);
        s.transform(&mut train);
        s.transform(&mut val);
    }
    (train, val)
}

/// Per class: validation images, how many are wrong, the error rate, and what they were taken
/// for most often.
pub fn per_class_errors(p: &Predictions) -> String {
    let classes = p
        .truth
        .iter()
        .chain(&p.predicted)
        .max()
        .map_or(0, |m| m + 1);
    let mut out = String::from("class   images  wrong   error   most often taken for\n");
    for c in 0..classes {
        let rows: Vec<usize> = (0..p.truth.len()).filter(|&i| p.truth[i] == c).collect();
        let wrong: Vec<usize> = rows
            .iter()
            .map(|&i| p.predicted[i])
            .filter(|&q| q != c)
            .collect();
        let mut taken = vec![0usize; classes];
        for &q in &wrong {
            taken[q] += 1;
        }
        let most = (0..classes)
            .filter(|&q| taken[q] > 0)
            .max_by_key(|&q| taken[q])
            .map_or(String::from("-"), |q| format!("{q} ({}x)", taken[q]));
        out.push_str(&format!(
            "{c:>5} {:>8} {:>6} {:>6.1} %   {most}\n",
            rows.len(),
            wrong.len(),
            if rows.is_empty() {
                0.0
            } else {
                100.0 * wrong.len() as f64 / rows.len() as f64
            }
        ));
    }
    let total_wrong = (0..p.truth.len())
        .filter(|&i| p.truth[i] != p.predicted[i])
        .count();
    out.push_str(&format!(
        "total {:>8} {:>6} {:>6.1} %   (one image = {:.2} %)\n",
        p.truth.len(),
        total_wrong,
        100.0 * total_wrong as f64 / p.truth.len().max(1) as f64,
        100.0 / p.truth.len().max(1) as f64
    ));
    out
}

/// Every misclassified validation image (up to `max`), captioned "pred p / true t".
pub fn plot_misclassified(p: &Predictions, max: usize) -> Result<Svg> {
    let wrong: Vec<usize> = (0..p.truth.len())
        .filter(|&i| p.truth[i] != p.predicted[i])
        .take(max)
        .collect();
    if wrong.is_empty() {
        bail!("no misclassified validation image to show");
    }
    let mut sorted = wrong;
    sorted.sort_by_key(|&i| (p.truth[i], p.predicted[i]));
    let grid = ImageGrid::classification(
        format!(
            "misclassified validation digits ({} shown), sorted by true class",
            sorted.len()
        ),
        8,
        sorted.iter().map(|&i| image(p.images.row(i))).collect(),
        sorted.iter().map(|&i| p.predicted[i].to_string()).collect(),
        sorted.iter().map(|&i| p.truth[i].to_string()).collect(),
    )?;
    Ok(grid.svg()?)
}

/// The confusion matrix of the predictions (rows: true class, columns: predicted).
pub fn plot_confusion(p: &Predictions) -> Result<Svg> {
    let labels = (0..10).map(|c| c.to_string()).collect();
    let m = ConfusionMatrix::from_predictions(
        "validation digits: true class (rows) against prediction (columns)",
        labels,
        &p.truth,
        &p.predicted,
    )?;
    Ok(m.svg()?)
}

/// `n` training digits, each followed by `copies` augmented versions (shift up to 1 pixel,
/// rotation up to 10 degrees, noise 0.5).
pub fn plot_augmented(n: usize, copies: usize) -> Result<Svg> {
    let all = digits();
    let rows: Vec<usize> = (0..n).collect();
    let some = all.subset(&rows);
    let more = augment(&some, (SIDE, SIDE), copies, &AugmentConfig::default(), 0)?;
    let mut tiles = Vec::new();
    for i in 0..n {
        for c in 0..=copies {
            tiles.push(Tile {
                image: image(more.row(c * n + i)),
                caption: if c == 0 {
                    format!("original {}", more.labels().map_or(0, |l| l[i]))
                } else {
                    format!("augmented {c}")
                },
                highlight: false,
            });
        }
    }
    Ok(ImageGrid::new("augmentation: shift, rotate, add noise", copies + 1, tiles).svg()?)
}

/// One training-set size: the final validation accuracy without and with augmentation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LessData {
    /// Training rows used (before augmentation).
    pub rows: usize,
    /// Final validation accuracy trained on the rows alone.
    pub plain: f64,
    /// Final validation accuracy trained on the rows and `copies` augmented versions of each.
    pub augmented: f64,
    /// Validation images behind each accuracy.
    pub n_val: usize,
}

/// For each size in `sizes`: trains `config` on the first `size` training rows, once as they
/// are and once with `copies` augmented versions of each row added (the same epochs, so the
/// augmented run takes `copies + 1` times as many steps). Validation images are never augmented.
pub fn less_data(config: &TrainConfig, sizes: &[usize], copies: usize) -> Result<Vec<LessData>> {
    let (raw_train, raw_val) = raw_split(config)?;
    let mut out = Vec::with_capacity(sizes.len());
    for &rows in sizes {
        if rows == 0 || rows > raw_train.len() {
            bail!(
                "size {rows}: expected 1..={} (the training split's rows)",
                raw_train.len()
            );
        }
        let first: Vec<usize> = (0..rows).collect();
        let subset = raw_train.subset(&first);
        let more = augment(&subset, (SIDE, SIDE), copies, &AugmentConfig::default(), 1)?;
        let mut accuracies = [0.0; 2];
        for (k, train) in [subset, more].iter().enumerate() {
            let (train, val) = standardised(config, train, &raw_val);
            let mut history = History::default();
            Trainer::new(config.plan_on(train, val)?).run(&mut [&mut history])?;
            accuracies[k] = history
                .epochs
                .last()
                .and_then(|e| e.val_accuracy)
                .unwrap_or(f64::NAN);
        }
        out.push(LessData {
            rows,
            plain: accuracies[0],
            augmented: accuracies[1],
            n_val: raw_val.len(),
        });
    }
    Ok(out)
}

/// Validation error against training rows, with and without augmentation.
pub fn plot_less_data(points: &[LessData]) -> Result<Svg> {
    let x: Vec<f64> = points.iter().map(|p| p.rows as f64).collect();
    let plain = Series::new(
        "without augmentation",
        x.clone(),
        points.iter().map(|p| 1.0 - p.plain).collect(),
    );
    let augmented = Series::new(
        "with augmentation",
        x,
        points.iter().map(|p| 1.0 - p.augmented).collect(),
    );
    let mut chart = LearningCurves::new(
        "validation error against training rows",
        vec![plain, augmented],
        vec![],
    );
    chart.x_label = "training rows (before augmentation)".to_string();
    chart.loss_label = "validation error".to_string();
    if let Some(p) = points.first() {
        chart.note = Some(format!(
            "{} validation images: one image = {:.2} % error",
            p.n_val,
            100.0 / p.n_val as f64
        ));
    }
    Ok(chart.svg()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_the_first_largest() {
        assert_eq!(argmax(&[0.1, 3.0, -1.0, 3.0]), 1);
    }

    #[test]
    fn balance_counts_add_up_to_the_data_set() {
        let c = crate::lessons::config("seed = 0").unwrap();
        let text = class_balance(&c).unwrap();
        assert!(
            text.starts_with("1797 images, 64 pixels each, values 0 .. 16"),
            "{text}"
        );
    }

    #[test]
    fn per_class_table_counts_mistakes() {
        let p = Predictions {
            images: digits().subset(&[0, 1, 2]),
            truth: vec![0, 1, 1],
            predicted: vec![0, 7, 1],
            history: History::default(),
        };
        let t = per_class_errors(&p);
        assert!(t.contains("    1        2      1   50.0 %   7 (1x)"), "{t}");
        assert!(t.contains("total        3      1   33.3 %"), "{t}");
    }
}
