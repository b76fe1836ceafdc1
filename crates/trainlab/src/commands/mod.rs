//! One module per subcommand.

pub mod compare;
pub mod cv;
pub mod diagnose;
pub mod lr_find;
pub mod sanity;
pub mod search;
pub mod split;
pub mod train;
pub mod worker;

/// The image formats a chart can be saved in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    /// `.png`
    Png,
    /// `.svg`
    Svg,
}

/// The format a chart path asks for by its extension (`.png` or `.svg`, any case); any other
/// name is an error, so PNG bytes never land in a `.txt` file. Check it before the work that
/// makes the chart.
pub fn chart_format(path: &std::path::Path) -> anyhow::Result<ChartFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("png") => Ok(ChartFormat::Png),
        Some("svg") => Ok(ChartFormat::Svg),
        _ => anyhow::bail!(
            "chart file {}: expected a name ending in .png or .svg",
            path.display()
        ),
    }
}

/// Draws `chart` to `path`, as PNG or SVG by the name's extension ([`chart_format`]).
pub fn save_chart(chart: &dyn trainlab_plots::Chart, path: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let size = chart.default_size();
    match chart_format(path)? {
        ChartFormat::Svg => trainlab_plots::save_svg(chart, path, size),
        ChartFormat::Png => trainlab_plots::save_png(chart, path, size),
    }
    .with_context(|| format!("drawing {}", path.display()))?;
    trainlab::run::say(&format!("chart: {}", path.display()));
    Ok(())
}

/// An error and its causes on one line, `context: cause: cause`, like anyhow's `{:#}`, but a
/// cause whose text the line already holds is not repeated (a thiserror message that shows its
/// `#[from]` source would otherwise read "X: X").
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_error_is_printed_once() {
        let split = trainlab_validation::SplitConfig {
            train: 0.0,
            ..Default::default()
        };
        let inner = split.validate().unwrap_err();
        let e = anyhow::Error::new(trainlab_training::TrainError::from(inner))
            .context("the config after command-line overrides");
        assert_eq!(
            error_chain(&e),
            "the config after command-line overrides: invalid config: split: split fractions \
             train + val + test = 0.2: expected them to sum to 1 (within 1e-9)"
        );
    }

    #[test]
    fn chart_names_must_end_in_png_or_svg() {
        assert_eq!(chart_format("cv.PNG".as_ref()).unwrap(), ChartFormat::Png);
        assert_eq!(chart_format("a/cv.svg".as_ref()).unwrap(), ChartFormat::Svg);
        assert_eq!(
            chart_format("x.txt".as_ref()).unwrap_err().to_string(),
            "chart file x.txt: expected a name ending in .png or .svg"
        );
        assert!(chart_format("cv".as_ref()).is_err());
    }
}
