//! One module per subcommand.

pub mod compare;
pub mod cv;
pub mod diagnose;
pub mod lr_find;
pub mod sanity;
pub mod search;
pub mod split;
pub mod train;

/// Draws `chart` to `path`: SVG when the name ends in `.svg`, PNG otherwise.
pub fn save_chart(chart: &dyn trainlab_plots::Chart, path: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let size = chart.default_size();
    if path.extension().is_some_and(|e| e == "svg") {
        trainlab_plots::save_svg(chart, path, size)
    } else {
        trainlab_plots::save_png(chart, path, size)
    }
    .with_context(|| format!("drawing {}", path.display()))?;
    eprintln!("chart: {}", path.display());
    Ok(())
}
