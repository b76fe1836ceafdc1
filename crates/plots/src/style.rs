//! Colours, fonts and axis ranges shared by every chart.

use std::ops::Range;

use plotters::style::RGBColor;

/// The Okabe-Ito palette (readable with colour-vision deficiencies), most distinct first.
pub(crate) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(230, 159, 0),   // orange
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// Colours of marks (dashed vertical lines).
pub(crate) const MARK_COLORS: [RGBColor; 3] = [
    RGBColor(60, 60, 60),
    RGBColor(170, 30, 30),
    RGBColor(120, 60, 150),
];

/// The i-th series colour.
pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(crate) const FONT: &str = "sans-serif";
pub(crate) const TITLE_SIZE: u32 = 24;
pub(crate) const CAPTION_SIZE: u32 = 18;
pub(crate) const LABEL_SIZE: u32 = 15;
pub(crate) const TICK_SIZE: u32 = 13;

/// A range around `values` with 5 % padding (multiplicative on a log axis); a single value
/// gets a range around it. Non-finite values are ignored; none at all gives 0..1 (or 1..10).
pub(crate) fn padded(values: impl IntoIterator<Item = f64>, log: bool) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        if v.is_finite() && (!log || v > 0.0) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if !lo.is_finite() {
        return if log { 1.0..10.0 } else { 0.0..1.0 };
    }
    if log {
        let (a, b) = (lo.log10(), hi.log10());
        let pad = if b > a { 0.05 * (b - a) } else { 0.5 };
        return 10f64.powf(a - pad)..10f64.powf(b + pad);
    }
    let pad = if hi > lo {
        0.05 * (hi - lo)
    } else if lo != 0.0 {
        0.1 * lo.abs()
    } else {
        0.5
    };
    (lo - pad)..(hi + pad)
}

/// A compact label for a number: integers as such, else up to 4 significant digits, with
/// scientific notation for very small or large values.
pub(crate) fn short_number(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let a = v.abs();
    if v.fract() == 0.0 && a < 1e6 {
        return format!("{v:.0}");
    }
    if !(1e-3..1e5).contains(&a) {
        return format!("{v:.2e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Tick label for a logarithmic axis: `1e-3`, `0.01`, `0.1`, `1`, `10`, `100`, `1e3`; powers
/// of ten computed as `10^k` in floating point (`9.999999999999999e-5`) are snapped to them.
pub(crate) fn log_tick(v: f64) -> String {
    if v <= 0.0 || !v.is_finite() {
        return short_number(v);
    }
    let e = v.log10();
    let k = e.round();
    if (e - k).abs() < 1e-9 {
        return if (-2.0..=2.0).contains(&k) {
            short_number(10f64.powi(k as i32))
        } else {
            format!("1e{}", k as i32)
        };
    }
    if (0.01..=100.0).contains(&v) {
        short_number(v)
    } else {
        format!("{v:.1e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(12.0), "12");
        assert_eq!(short_number(0.12345), "0.1235");
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(3e-4), "3.00e-4");
        assert_eq!(log_tick(1e-3), "1e-3");
        assert_eq!(log_tick(0.1), "0.1");
        assert_eq!(log_tick(9.999999999999999e-5), "1e-4");
        assert_eq!(log_tick(1000.0000000001), "1e3");
        assert_eq!(log_tick(2.5e-4), "2.5e-4");
    }

    #[test]
    fn padding() {
        assert_eq!(padded([1.0, 3.0], false), 0.9..3.1);
        assert_eq!(padded([2.0], false), 1.8..2.2);
        assert_eq!(padded([f64::NAN], false), 0.0..1.0);
        let r = padded([1e-3, 1e-1], true);
        assert!((r.start.log10() + 3.1).abs() < 1e-12 && (r.end.log10() + 0.9).abs() < 1e-12);
    }
}
