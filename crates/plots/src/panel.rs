//! One x-y panel of lines or points with marks and a legend, on linear or logarithmic axes.
//! Learning curves, schedules, the LR finder and search results are all made of these.

use std::ops::Range;

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::clip::clip_polyline;
use crate::error::{drawing, Result};
use crate::series::{Mark, Series};
use crate::style::{self, FONT, LABEL_SIZE, TICK_SIZE};

/// How series are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    Lines,
    Points,
    /// Lines with a dot at every point (a path of a few points, e.g. ASHA's rungs).
    LinesAndPoints,
}

/// Everything one panel shows.
pub(crate) struct Panel<'a> {
    pub caption: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub series: &'a [Series],
    pub marks: &'a [Mark],
    pub log_x: bool,
    pub log_y: bool,
    pub look: Look,
    /// Overrides the y range computed from the data.
    pub y_range: Option<Range<f64>>,
    /// Values above this leave the chart (a diverged run must not squash the others).
    pub y_cap: Option<f64>,
    /// Where the legend goes; `None` picks the corner with the least data under it.
    pub legend: Option<SeriesLabelPosition>,
    /// Extra points drawn as large stars with a legend entry (e.g. the best trial).
    pub stars: &'a [((f64, f64), String)],
}

impl<'a> Panel<'a> {
    pub(crate) fn new(series: &'a [Series], x_label: &'a str, y_label: &'a str) -> Self {
        Self {
            caption: "",
            x_label,
            y_label,
            series,
            marks: &[],
            log_x: false,
            log_y: false,
            look: Look::Lines,
            y_range: None,
            y_cap: None,
            legend: None,
            stars: &[],
        }
    }

    fn x_range(&self) -> Range<f64> {
        let xs = self.series.iter().flat_map(|s| s.x.iter().copied());
        let marks = self.marks.iter().map(|m| m.x);
        let stars = self.stars.iter().map(|s| s.0 .0);
        style::padded(xs.chain(marks).chain(stars), self.log_x)
    }

    fn y_range(&self) -> Range<f64> {
        if let Some(r) = &self.y_range {
            return r.clone();
        }
        let ys = self.series.iter().flat_map(|s| s.y.iter().copied());
        let marks = self.marks.iter().filter_map(|m| m.y);
        let stars = self.stars.iter().map(|s| s.0 .1);
        let cap = self.y_cap.unwrap_or(f64::INFINITY);
        let r = style::padded(
            ys.chain(marks).chain(stars).filter(|&y| y <= cap),
            self.log_y,
        );
        r.start..r.end.min(cap.max(r.start + f64::EPSILON))
    }
}

/// Where a panel's legend goes.
#[derive(Debug, Clone, PartialEq)]
enum Legend {
    /// Inside the plotting box, at this position, over no data.
    Inside(SeriesLabelPosition),
    /// At the top of the plotting box, whose y range grows to this one so the data stay below
    /// the legend: every corner of the box had data under a legend of its size.
    Above(Range<f64>),
}

/// The margin around a panel, and between the plotting box and a legend outside it.
const MARGIN: u32 = 12;
/// The legend's inner margin and the width of its sample lines (plotters' default), in pixels.
const LEGEND_MARGIN: u32 = 8;
const LEGEND_SAMPLE: u32 = 30;

/// Draws `panel` filling `area`.
pub(crate) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel<'_>,
) -> Result<()> {
    let (xr, mut yr) = (panel.x_range(), panel.y_range());
    let legend = legend_placement(area, panel, &xr, &yr);
    if let Legend::Above(grown) = &legend {
        yr = grown.clone();
    }
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(MARGIN)
        .x_label_area_size(48)
        .y_label_area_size(72);
    if !panel.caption.is_empty() {
        builder.caption(panel.caption, (FONT, style::CAPTION_SIZE));
    }
    let chart_err = drawing;
    match (panel.log_x, panel.log_y) {
        (false, false) => {
            let chart = builder
                .build_cartesian_2d::<RangedCoordf64, RangedCoordf64>(
                    xr.clone().into(),
                    yr.clone().into(),
                )
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr, &legend)
        }
        (true, false) => {
            let chart = builder
                .build_cartesian_2d(xr.clone().log_scale(), yr.clone())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr, &legend)
        }
        (false, true) => {
            let chart = builder
                .build_cartesian_2d(xr.clone(), yr.clone().log_scale())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr, &legend)
        }
        (true, true) => {
            let chart = builder
                .build_cartesian_2d(xr.clone().log_scale(), yr.clone().log_scale())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr, &legend)
        }
    }
}

/// The legend's labels, in the order `fill` adds them.
fn legend_labels<'a>(panel: &'a Panel<'_>) -> Vec<&'a str> {
    let series = panel.series.iter().map(|s| s.name.as_str());
    let marks = panel.marks.iter().map(|m| m.label.as_str());
    let stars = panel.stars.iter().map(|s| s.1.as_str());
    series.chain(marks).chain(stars).collect()
}

/// The legend's size in pixels, measured as plotters lays it out (its text in the tick font,
/// sample lines, margins).
fn legend_size(labels: &[&str]) -> (u32, u32) {
    let font: TextStyle = (FONT, TICK_SIZE).into_font().into();
    let mut text = MultiLineText::<_, &str>::new((0, 0), &font);
    for label in labels {
        text.push_line(*label);
    }
    let (w, h) = text.estimate_dimension().unwrap_or((0, 0));
    (
        w.max(0) as u32 + LEGEND_SAMPLE + 2 * LEGEND_MARGIN,
        h.max(0) as u32 + 2 * LEGEND_MARGIN,
    )
}

/// The legend's place: `panel.legend` when given; else the corner (or middle of a side) of the
/// plotting box where a legend of its real size covers no data; else, when every one would
/// cover some, at the top of a box whose y axis is extended upwards by the legend's height.
fn legend_placement<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel<'_>,
    xr: &Range<f64>,
    yr: &Range<f64>,
) -> Legend {
    if let Some(position) = &panel.legend {
        return Legend::Inside(position.clone());
    }
    let labels = legend_labels(panel);
    if labels.is_empty() {
        return Legend::Inside(SeriesLabelPosition::UpperRight);
    }
    let (w, h) = legend_size(&labels);
    // the plotting box, as ChartBuilder lays it out below
    let (aw, ah) = area.dim_in_pixel();
    let caption = if panel.caption.is_empty() {
        0
    } else {
        style::CAPTION_SIZE + 10
    };
    let box_w = f64::from(aw.saturating_sub(2 * MARGIN + 72).max(1));
    let box_h = f64::from(ah.saturating_sub(2 * MARGIN + 48 + caption).max(1));
    // plotters keeps 5 px between the legend and the box's edge
    let (rw, rh) = ((f64::from(w) + 5.0) / box_w, (f64::from(h) + 5.0) / box_h);
    let (lx, ly) = (to_linear(panel.log_x), to_linear(panel.log_y));
    let box_x = lx(xr.start)..lx(xr.end);
    let box_y = ly(yr.start)..ly(yr.end);
    match emptiest_corner(panel, &box_x, &box_y, &lx, &ly, (rw, rh)) {
        (0, position) if rw < 1.0 && rh < 1.0 => Legend::Inside(position),
        _ => {
            // the data keep the lower (1 - rh) of the box, with 2 % to spare, at least a third
            let keep = (1.0 - rh - 0.02).max(1.0 / 3.0);
            let top = box_y.start + (box_y.end - box_y.start) / keep;
            Legend::Above(yr.start..from_linear(panel.log_y)(top))
        }
    }
}

fn tick(log: bool) -> impl Fn(&f64) -> String {
    move |v: &f64| {
        if log {
            style::log_tick(*v)
        } else {
            style::short_number(*v)
        }
    }
}

/// Maps to the space where the axis is linear (log10 on a log axis), for clipping.
fn to_linear(log: bool) -> impl Fn(f64) -> f64 {
    move |v| if log { v.log10() } else { v }
}

fn from_linear(log: bool) -> impl Fn(f64) -> f64 {
    move |v| if log { 10f64.powf(v) } else { v }
}

fn fill<'a, DB, X, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<X, Y>>,
    panel: &Panel<'_>,
    xr: &Range<f64>,
    yr: &Range<f64>,
    legend: &Legend,
) -> Result<()>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let (fx, fy) = (tick(panel.log_x), tick(panel.log_y));
    chart
        .configure_mesh()
        .x_desc(panel.x_label)
        .y_desc(panel.y_label)
        .axis_desc_style((FONT, LABEL_SIZE))
        .label_style((FONT, TICK_SIZE))
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .x_labels(8)
        .y_labels(8)
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(drawing)?;

    let (lx, ly) = (to_linear(panel.log_x), to_linear(panel.log_y));
    let (ux, uy) = (from_linear(panel.log_x), from_linear(panel.log_y));
    let box_x = lx(xr.start)..lx(xr.end);
    let box_y = ly(yr.start)..ly(yr.end);
    let mut labelled = false;
    for (i, series) in panel.series.iter().enumerate() {
        let color = style::color(i);
        let linear: Vec<(f64, f64)> = series
            .points()
            .into_iter()
            .map(|(x, y)| {
                // a log axis cannot show y <= 0: treat it as a gap
                let y = if panel.log_y && y <= 0.0 { f64::NAN } else { y };
                (lx(x), ly(y))
            })
            .collect();
        let runs = clip_polyline(&linear, &box_x, &box_y);
        let back = |run: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
            run.into_iter().map(|(x, y)| (ux(x), uy(y))).collect()
        };
        match panel.look {
            Look::Lines | Look::LinesAndPoints => {
                chart
                    .draw_series(LineSeries::new(
                        Vec::<(f64, f64)>::new(),
                        color.stroke_width(2),
                    ))
                    .map_err(drawing)?
                    .label(series.name.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                    });
                if panel.look == Look::LinesAndPoints {
                    // every point inside, a path of one point included
                    let dots = linear
                        .iter()
                        .filter(|(x, y)| box_x.contains(x) && box_y.contains(y))
                        .map(|&(x, y)| Circle::new((ux(x), uy(y)), 4, color.filled()));
                    chart.draw_series(dots).map_err(drawing)?;
                }
                for run in runs {
                    let run = back(run);
                    if run.len() == 1 {
                        chart
                            .draw_series(std::iter::once(Circle::new(run[0], 2, color.filled())))
                            .map_err(drawing)?;
                    } else {
                        chart
                            .draw_series(LineSeries::new(run, color.stroke_width(2)))
                            .map_err(drawing)?;
                    }
                }
            }
            Look::Points => {
                let inside: Vec<(f64, f64)> = linear
                    .iter()
                    .filter(|(x, y)| box_x.contains(x) && box_y.contains(y))
                    .map(|&(x, y)| (ux(x), uy(y)))
                    .collect();
                chart
                    .draw_series(
                        inside
                            .into_iter()
                            .map(|p| Circle::new(p, 5, color.mix(0.75).filled())),
                    )
                    .map_err(drawing)?
                    .label(series.name.as_str())
                    .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
            }
        }
        labelled = true;
    }
    for (j, mark) in panel.marks.iter().enumerate() {
        let color = style::MARK_COLORS[j % style::MARK_COLORS.len()];
        let style = color.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(mark.x, yr.start), (mark.x, yr.end)],
                8,
                6,
                style,
            ))
            .map_err(drawing)?
            .label(mark.label.as_str())
            .legend(move |(x, y)| {
                DashedPathElement::new(vec![(x, y), (x + 22, y)], 5, 3, color.stroke_width(2))
            });
        if let Some(y) = mark.y {
            if box_y.contains(&ly(y)) {
                chart
                    .draw_series([
                        Circle::new((mark.x, y), 7, color.stroke_width(2)),
                        Circle::new((mark.x, y), 3, color.filled()),
                    ])
                    .map_err(drawing)?;
            }
        }
        labelled = true;
    }
    for (point, label) in panel.stars {
        let color = RGBColor(200, 0, 0);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(*point)
                    + Polygon::new(star(12), color.filled())
                    + PathElement::new(closed(star(12)), BLACK.stroke_width(1)),
            ))
            .map_err(drawing)?
            .label(label.as_str())
            .legend(move |(x, y)| {
                EmptyElement::at((x + 10, y)) + Polygon::new(star(8), color.filled())
            });
        labelled = true;
    }
    if labelled {
        let position = match legend {
            Legend::Inside(position) => position.clone(),
            Legend::Above(_) => SeriesLabelPosition::UpperRight,
        };
        chart
            .configure_series_labels()
            .position(position)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .label_font((FONT, TICK_SIZE))
            .margin(LEGEND_MARGIN)
            .legend_area_size(LEGEND_SAMPLE)
            .draw()
            .map_err(drawing)?;
    }
    Ok(())
}

/// The corner (or the middle of a side) of the plotting box with the fewest data under a
/// legend of `(rw, rh)` (its width and height as fractions of the box's), and how many samples
/// of the data it covers: lines are sampled along their segments, marks count where their
/// vertical line crosses the region. Ties go to the upper right, then upper left, lower right,
/// lower left, middle right, middle left.
fn emptiest_corner(
    panel: &Panel<'_>,
    box_x: &Range<f64>,
    box_y: &Range<f64>,
    lx: &dyn Fn(f64) -> f64,
    ly: &dyn Fn(f64) -> f64,
    (rw, rh): (f64, f64),
) -> (usize, SeriesLabelPosition) {
    let (w, h) = (box_x.end - box_x.start, box_y.end - box_y.start);
    let unit = |x: f64, y: f64| ((lx(x) - box_x.start) / w, (ly(y) - box_y.start) / h);
    let mut samples: Vec<(f64, f64)> = Vec::new();
    for s in panel.series {
        let pts: Vec<(f64, f64)> = s
            .points()
            .into_iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite() && (!panel.log_y || *y > 0.0))
            .map(|(x, y)| unit(x, y))
            .collect();
        samples.extend(pts.iter().copied());
        if panel.look == Look::Lines {
            for pair in pts.windows(2) {
                let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                for k in 1..20 {
                    let t = f64::from(k) / 20.0;
                    samples.push((x0 + t * (x1 - x0), y0 + t * (y1 - y0)));
                }
            }
        }
    }
    for m in panel.marks {
        let (x, _) = unit(m.x, 1.0);
        for k in 0..=20 {
            samples.push((x, f64::from(k) / 20.0));
        }
    }
    for ((x, y), _) in panel.stars {
        samples.push(unit(*x, *y));
    }
    let corners = [
        (
            SeriesLabelPosition::UpperRight,
            1.0 - rw..1.01,
            1.0 - rh..1.01,
        ),
        (SeriesLabelPosition::UpperLeft, -0.01..rw, 1.0 - rh..1.01),
        (SeriesLabelPosition::LowerRight, 1.0 - rw..1.01, -0.01..rh),
        (SeriesLabelPosition::LowerLeft, -0.01..rw, -0.01..rh),
        (
            SeriesLabelPosition::MiddleRight,
            1.0 - rw..1.01,
            0.5 - rh / 2.0..0.5 + rh / 2.0,
        ),
        (
            SeriesLabelPosition::MiddleLeft,
            -0.01..rw,
            0.5 - rh / 2.0..0.5 + rh / 2.0,
        ),
    ];
    corners
        .into_iter()
        .map(|(pos, xs, ys)| {
            let n = samples
                .iter()
                .filter(|(x, y)| xs.contains(x) && ys.contains(y))
                .count();
            (n, pos)
        })
        .min_by_key(|(n, _)| *n)
        .unwrap_or((0, SeriesLabelPosition::UpperRight))
}

/// The corners of a five-pointed star of outer radius `r` pixels around (0, 0).
pub(crate) fn star(r: i32) -> Vec<(i32, i32)> {
    (0..10)
        .map(|k| {
            let radius = if k % 2 == 0 {
                r as f64
            } else {
                r as f64 * 0.45
            };
            let angle = -std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI / 5.0;
            (
                (radius * angle.cos()).round() as i32,
                (radius * angle.sin()).round() as i32,
            )
        })
        .collect()
}

/// A polygon's corners with the first repeated at the end, to stroke its outline.
pub(crate) fn closed(mut points: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    if let Some(first) = points.first().copied() {
        points.push(first);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the legend of `series` goes on an 800 x 500 panel.
    fn placement(series: &[Series]) -> Legend {
        let mut text = String::new();
        let area = SVGBackend::with_string(&mut text, (800, 500)).into_drawing_area();
        crate::output::ensure_font().expect("font");
        let mut panel = Panel::new(series, "x", "y");
        panel.y_range = Some(0.0..10.0);
        legend_placement(&area, &panel, &panel.x_range(), &panel.y_range())
    }

    /// A horizontal line across the middle of a 0..10 y axis, and `n - 1` more legend entries
    /// without data.
    fn middle_with(n: usize) -> Vec<Series> {
        let x: Vec<f64> = (0..=10).map(f64::from).collect();
        let mut series = vec![Series::new("middle", x.clone(), vec![5.0; x.len()])];
        for k in 1..n {
            series.push(Series::new(format!("entry {k}"), vec![0.0], vec![f64::NAN]));
        }
        series
    }

    #[test]
    fn a_small_legend_goes_to_the_empty_corner() {
        assert_eq!(
            placement(&middle_with(2)),
            Legend::Inside(SeriesLabelPosition::UpperRight)
        );
    }

    /// 14 entries are about 250 px tall: in any corner of the 416-px-tall box such a legend
    /// reaches the line across the middle, so the y axis grows until the line lies below it.
    #[test]
    fn a_tall_legend_that_would_cover_data_gets_room_above_them() {
        let rh = f64::from(legend_size(&legend_labels(&Panel::new(&middle_with(14), "x", "y"))).1)
            / (500.0 - 2.0 * f64::from(MARGIN) - 48.0);
        assert!(rh > 0.5, "a legend taller than half the box: {rh}");
        match placement(&middle_with(14)) {
            Legend::Above(grown) => {
                assert_eq!(grown.start, 0.0);
                // the line at y = 5 sits below the legend's lower edge
                let legend_bottom = grown.end * (1.0 - rh);
                assert!(
                    5.0 < legend_bottom,
                    "line 5, legend from {legend_bottom} up ({grown:?})"
                );
            }
            other => panic!("expected room above the data, got {other:?}"),
        }
    }

    #[test]
    fn data_in_every_corner_put_the_legend_above_them() {
        let x: Vec<f64> = (0..=40).map(|i| f64::from(i) / 4.0).collect();
        let zigzag = x
            .iter()
            .enumerate()
            .map(|(i, _)| if i % 2 == 0 { 0.0 } else { 10.0 })
            .collect();
        match placement(&[Series::new("zigzag", x, zigzag)]) {
            // 0..10 padded by 5 %, then a one-line legend's height on top
            Legend::Above(grown) => assert!(grown.end > 10.6 && grown.end < 13.0, "{grown:?}"),
            other => panic!("expected room above the data, got {other:?}"),
        }
    }

    #[test]
    fn the_legend_is_measured_from_its_labels() {
        let (w1, h1) = legend_size(&["a"]);
        let (w2, h2) = legend_size(&["a much longer label", "b"]);
        assert!(w2 > w1 + 80, "{w1} -> {w2}");
        assert!(h2 > h1 + 10, "{h1} -> {h2}");
    }
}
