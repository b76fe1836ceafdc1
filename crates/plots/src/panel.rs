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

/// Draws `panel` filling `area`.
pub(crate) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel<'_>,
) -> Result<()> {
    let (xr, yr) = (panel.x_range(), panel.y_range());
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(12)
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
            fill(chart, panel, &xr, &yr)
        }
        (true, false) => {
            let chart = builder
                .build_cartesian_2d(xr.clone().log_scale(), yr.clone())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr)
        }
        (false, true) => {
            let chart = builder
                .build_cartesian_2d(xr.clone(), yr.clone().log_scale())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr)
        }
        (true, true) => {
            let chart = builder
                .build_cartesian_2d(xr.clone().log_scale(), yr.clone().log_scale())
                .map_err(chart_err)?;
            fill(chart, panel, &xr, &yr)
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
        let position = panel
            .legend
            .clone()
            .unwrap_or_else(|| emptiest_corner(panel, &box_x, &box_y, &lx, &ly));
        chart
            .configure_series_labels()
            .position(position)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .label_font((FONT, TICK_SIZE))
            .margin(8)
            .draw()
            .map_err(drawing)?;
    }
    Ok(())
}

/// The corner (or the middle of a side) of the plotting box with the fewest data under a
/// legend-sized region (45 % of the width, 35 % of the height): lines are sampled along their
/// segments, marks count where their vertical line crosses the region. Ties go to the upper
/// right, then upper left, lower right, lower left, middle right, middle left.
fn emptiest_corner(
    panel: &Panel<'_>,
    box_x: &Range<f64>,
    box_y: &Range<f64>,
    lx: &dyn Fn(f64) -> f64,
    ly: &dyn Fn(f64) -> f64,
) -> SeriesLabelPosition {
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
    let (rw, rh) = (0.45, 0.35);
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
        .map(|(_, pos)| pos)
        .unwrap_or(SeriesLabelPosition::UpperRight)
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
