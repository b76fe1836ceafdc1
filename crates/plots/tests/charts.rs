//! Every chart through the public API: files on disk, PNG decoding, text actually drawn in
//! bitmaps, and the reference values from scikit-learn / numpy (tests/fixtures/gen_reference.py).

use std::path::Path as FsPath;

use trainlab_plots::*;

/// The crate's one tolerance for floating-point comparisons: relative 1e-12 (the quantities
/// checked are sums of a handful of f64 values; numpy and Rust differ only in summation order).
fn assert_close(got: f64, want: f64, what: &str) {
    let tol = 1e-12 * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (tol {tol})"
    );
}

fn reference() -> serde_json::Value {
    let text = include_str!("fixtures/reference.json");
    serde_json::from_str(text).expect("fixture is valid JSON")
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn every_chart() -> Vec<(&'static str, Box<dyn Chart>)> {
    let epochs: Vec<f64> = (1..=10).map(f64::from).collect();
    let falling: Vec<f64> = epochs.iter().map(|e| 1.0 / e).collect();
    let rising: Vec<f64> = epochs.iter().map(|e| 1.0 - 0.5 / e).collect();
    let img = GrayImage::new(2, 2, vec![0.0, 1.0, 1.0, 0.0]);
    vec![
        (
            "curves",
            Box::new(LearningCurves::train_val(
                "curves",
                epochs.clone(),
                falling.clone(),
                falling.iter().map(|l| l + 0.1).collect(),
                rising.clone(),
                rising.iter().map(|a| a - 0.1).collect(),
            )),
        ),
        (
            "schedules",
            Box::new(LrSchedules::new(
                "schedules",
                vec![Series::new("1/t", epochs.clone(), falling.clone())],
            )),
        ),
        (
            "trajectories",
            Box::new(Trajectories::new(
                "trajectories",
                Surface::Valley,
                vec![Path::new(
                    "fixed",
                    vec![(-5.0, 2.0), (-2.0, -1.0), (0.0, 0.0)],
                )],
            )),
        ),
        (
            "search",
            Box::new(SearchResults::new(
                "search",
                "val accuracy",
                vec![
                    Trial {
                        lr: 1e-3,
                        weight_decay: 0.0,
                        metric: 0.9,
                    },
                    Trial {
                        lr: 1e-2,
                        weight_decay: 1e-4,
                        metric: 0.95,
                    },
                ],
            )),
        ),
        (
            "lr_finder",
            Box::new(
                LrFinderCurve::new("lr finder", vec![1e-4, 1e-3, 1e-2], vec![2.0, 1.5, 3.0])
                    .with_suggestion(1e-3),
            ),
        ),
        (
            "kfold",
            Box::new(KFoldScores::new("kfold", "acc", vec![0.9, 0.8, 0.85])),
        ),
        (
            "confusion",
            Box::new(ConfusionMatrix::new(
                "confusion",
                vec!["a".into(), "b".into()],
                vec![vec![3, 1], vec![0, 4]],
            )),
        ),
        (
            "images",
            Box::new(
                ImageGrid::classification(
                    "images",
                    2,
                    vec![img.clone(), img],
                    vec!["1".into(), "2".into()],
                    vec!["1".into(), "1".into()],
                )
                .expect("lengths match"),
            ),
        ),
    ]
}

#[test]
fn every_chart_writes_png_and_svg_files_of_its_default_size() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, chart) in every_chart() {
        let size = chart.default_size();
        let png_path = dir.path().join(format!("{name}.png"));
        let svg_path = dir.path().join(format!("{name}.svg"));
        save_png(chart.as_ref(), &png_path, size).unwrap_or_else(|e| panic!("{name}: {e}"));
        save_svg(chart.as_ref(), &svg_path, size).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (w, h, _) = decode(&std::fs::read(&png_path).expect("png written"));
        assert_eq!((w, h), size, "{name}");
        let svg = std::fs::read_to_string(&svg_path).expect("svg written");
        assert!(svg.starts_with("<svg"), "{name}");
        // the title is the chart's name in every_chart()
        assert!(
            svg.contains(&format!("\n{}\n", name.replace('_', " "))),
            "{name}: title missing"
        );
    }
}

/// Dark pixels in the top `rows` rows of a rendered PNG.
fn dark_pixels_on_top(chart: &dyn Chart, rows: usize) -> usize {
    let (w, _, rgb) = decode(&render_png(chart, (600, 400)).expect("renders"));
    rgb[..w as usize * 3 * rows]
        .chunks(3)
        .filter(|p| p.iter().all(|&c| c < 100))
        .count()
}

#[test]
fn bitmap_text_is_really_drawn_with_the_embedded_font() {
    let series = vec![Series::from_y("lr", vec![0.1, 0.01])];
    let titled = LrSchedules::new("A TITLE IN THE BITMAP", series.clone());
    let untitled = LrSchedules::new("", series);
    // the title strip is empty without a title and has glyph pixels with one
    assert_eq!(dark_pixels_on_top(&untitled, 28), 0);
    assert!(dark_pixels_on_top(&titled, 28) > 100);
}

#[test]
fn confusion_counts_match_scikit_learn() {
    let r = reference();
    let ints = |v: &serde_json::Value| -> Vec<usize> {
        v.as_array()
            .expect("an array")
            .iter()
            .map(|x| x.as_u64().expect("an integer") as usize)
            .collect()
    };
    let truth = ints(&r["confusion"]["truth"]);
    let predicted = ints(&r["confusion"]["predicted"]);
    let want: Vec<Vec<u64>> = r["confusion"]["counts"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| ints(row).into_iter().map(|c| c as u64).collect())
        .collect();
    let labels = ["a", "b", "c", "d"].map(String::from).to_vec();
    let m = ConfusionMatrix::from_predictions("t", labels, &truth, &predicted).expect("valid");
    assert_eq!(m.counts, want);
}

#[test]
fn kfold_mean_and_std_match_numpy() {
    let r = reference();
    let scores: Vec<f64> = r["kfold"]["scores"]
        .as_array()
        .expect("scores")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect();
    let (mean, std) = KFoldScores::new("t", "m", scores)
        .mean_std()
        .expect("finite");
    assert_close(mean, r["kfold"]["mean"].as_f64().expect("mean"), "mean");
    assert_close(
        std,
        r["kfold"]["std_ddof1"].as_f64().expect("std"),
        "std (ddof 1)",
    );
}

#[test]
fn write_errors_name_the_file_and_bad_sizes_are_errors() {
    let chart = KFoldScores::new("k", "acc", vec![0.9]);
    let path = FsPath::new("/nonexistent-dir-for-trainlab/k.png");
    let err = save_png(&chart, path, (800, 500)).unwrap_err().to_string();
    assert!(
        err.starts_with("writing /nonexistent-dir-for-trainlab/k.png"),
        "{err}"
    );
    let err = render_png(&chart, (10, 10)).unwrap_err().to_string();
    assert!(err.starts_with("size: is 10 x 10"), "{err}");
}

#[test]
fn svg_shows_in_evcxr() {
    let svg = KFoldScores::new("k", "acc", vec![0.9])
        .svg()
        .expect("renders");
    let content = svg.evcxr_content();
    assert!(content.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
    assert!(content.contains("</svg>\nEVCXR_END_CONTENT\nEVCXR_BEGIN_CONTENT image/png\niVBOR"));
    assert!(content.ends_with("\nEVCXR_END_CONTENT"));
}
