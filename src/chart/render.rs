//! Draws a [`Figure`] with plotters to SVG (a string) or PNG (bytes), using only the embedded font.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Figure, Stroke};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Chart size in pixels.
pub const SIZE: (u32, u32) = (960, 540);
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

pub(crate) fn font() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
            .map_err(|_| ())
            .expect("the embedded font parses");
    });
}

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A legend entry: how its marker is drawn, its colour and its text.
type Entry = (Marker, RGBColor, String);

#[derive(Clone, Copy)]
enum Marker {
    Line,
    Dashed,
    Area,
    Block,
}

type E = String;

fn err(x: impl std::fmt::Display) -> E {
    x.to_string()
}

/// A whole number with thousands separators, or one decimal.
pub fn count_label(v: f64) -> String {
    if (v - v.round()).abs() > 1e-9 {
        return format!("{v:.1}");
    }
    let whole = crate::report::human::count(v.abs().round() as u64);
    if v < -0.5 { format!("-{whole}") } else { whole }
}

/// Height of the provenance line under a chart.
const FOOTER_H: u32 = 18;

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, fig: &Figure, footer: &str) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let root = if footer.is_empty() {
        root.clone()
    } else {
        let (w, h) = root.dim_in_pixel();
        let (above, below) = root.split_vertically(h - FOOTER_H);
        below
            .draw(&Text::new(
                footer.to_string(),
                (w as i32 - 8, 2),
                ("sans-serif", 12)
                    .into_text_style(&below)
                    .color(&RGBColor(110, 110, 110))
                    .pos(Pos::new(HPos::Right, VPos::Top)),
            ))
            .map_err(err)?;
        above
    };
    let root = &root;
    let (title, entries) = match fig {
        Figure::Lines { title, series, .. } => {
            let entries = series
                .iter()
                .map(|s| {
                    let m = match s.stroke {
                        Stroke::Line | Stroke::LinePoints => Marker::Line,
                        Stroke::Dashed => Marker::Dashed,
                        Stroke::Area => Marker::Area,
                    };
                    (m, colour(s.colour), s.name.clone())
                })
                .collect::<Vec<Entry>>();
            (title, entries)
        }
        Figure::Bars { title, legend, .. } => {
            (title, legend.iter().map(|(c, n)| (Marker::Block, colour(*c), n.clone())).collect())
        }
    };
    let (w, h) = root.dim_in_pixel();
    let (top, rest) = root.split_vertically(40);
    top.draw(&Text::new(
        title.clone(),
        (w as i32 / 2, 10),
        ("sans-serif", 22).into_text_style(&top).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(err)?;
    let rows = legend_rows(&rest, &entries, w);
    let legend_h = if rows.is_empty() { 0 } else { rows.len() as u32 * 22 + 8 };
    let (plot, legend) = rest.split_vertically(h - 40 - legend_h);
    match fig {
        Figure::Lines { x_label, y_label, y_integer, series, .. } => {
            lines(&plot, x_label, y_label, *y_integer, series)?
        }
        Figure::Bars { x_label, bars, log_scale: true, .. } => {
            let hi = bars.iter().map(|b| b.1).fold(1.0f64, f64::max);
            bars_on(&plot, (0.8f64..hi * 6.0).log_scale(), 0.8, x_label, bars, |v| v * 1.12)?
        }
        Figure::Bars { x_label, bars, .. } => {
            let hi = bars.iter().map(|b| b.1).fold(1.0f64, f64::max) * 1.18;
            bars_on(&plot, 0f64..hi, 0.0, x_label, bars, |v| v + hi * 0.01)?
        }
    }
    draw_legend(&legend, &rows)?;
    root.present().map_err(err)
}

/// Lays the legend out in rows that fit the width: entries of each row, left to right.
fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    width: u32,
) -> Vec<Vec<(Entry, u32)>> {
    let style = ("sans-serif", 13).into_text_style(area);
    let mut rows: Vec<Vec<(Entry, u32)>> = Vec::new();
    let mut used = 0u32;
    for e in entries {
        let text_w = area.estimate_text_size(&e.2, &style).map_or(e.2.len() as u32 * 7, |s| s.0);
        let entry_w = 30 + text_w + 24;
        if rows.is_empty() || used + entry_w > width.saturating_sub(40) {
            rows.push(Vec::new());
            used = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((e.clone(), entry_w));
        }
        used += entry_w;
    }
    rows
}

fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rows: &[Vec<(Entry, u32)>]) -> Result<(), E> {
    let (w, _) = area.dim_in_pixel();
    for (r, row) in rows.iter().enumerate() {
        let total: u32 = row.iter().map(|(_, ew)| ew).sum();
        let mut x = (w.saturating_sub(total) / 2) as i32;
        let y = 4 + r as i32 * 22 + 9;
        for ((marker, c, name), ew) in row {
            match marker {
                Marker::Line => area.draw(&PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(2))),
                Marker::Dashed => area
                    .draw(&PathElement::new(vec![(x, y), (x + 8, y)], c.stroke_width(2)))
                    .and_then(|()| area.draw(&PathElement::new(vec![(x + 14, y), (x + 22, y)], c.stroke_width(2)))),
                Marker::Area => area.draw(&Rectangle::new([(x, y - 6), (x + 22, y + 6)], c.mix(0.25).filled())),
                Marker::Block => area.draw(&Rectangle::new([(x, y - 6), (x + 22, y + 6)], c.filled())),
            }
            .map_err(err)?;
            area.draw(&Text::new(
                name.clone(),
                (x + 30, y),
                ("sans-serif", 13).into_text_style(area).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
            x += *ew as i32;
        }
    }
    Ok(())
}

fn lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_label: &str,
    y_label: &str,
    y_integer: bool,
    series: &[super::Series],
) -> Result<(), E> {
    let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0f64, f64::max);
    let y_top = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(1.0f64, f64::max) * 1.08;
    let y_top = if y_integer { y_top.ceil().max(2.0) } else { y_top };
    let mut chart = ChartBuilder::on(area)
        .margin_left(14)
        .margin_right(24)
        .margin_top(6)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(0f64..x_max, 0f64..y_top)
        .map_err(err)?;
    let y_fmt = |y: &f64| {
        if !y_integer && y_top >= 100.0 {
            // Whole values with thousands separators where tenths would not show (50,000 not 50000.0).
            count_label(y.round())
        } else if !y_integer {
            format!("{y:.1}")
        } else if (y - y.round()).abs() < 1e-9 {
            count_label(*y)
        } else {
            String::new()
        }
    };
    let x_fmt = |x: &f64| count_label(*x);
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(if y_integer { (y_top as usize + 1).min(11) } else { 10 })
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(err)?;
    for s in series.iter().filter(|s| s.stroke == Stroke::Area) {
        let c = colour(s.colour).mix(0.25);
        chart.draw_series(AreaSeries::new(s.points.iter().copied(), 0.0, c.filled())).map_err(err)?;
    }
    for s in series.iter().filter(|s| s.stroke != Stroke::Area) {
        let style = colour(s.colour).stroke_width(2);
        if s.stroke == Stroke::Dashed {
            chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), 8, 6, style)).map_err(err)?;
        } else {
            chart.draw_series(LineSeries::new(s.points.iter().copied(), style)).map_err(err)?;
        }
        if s.stroke == Stroke::LinePoints {
            let dot = colour(s.colour).filled();
            chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 4, dot))).map_err(err)?;
        }
    }
    Ok(())
}

fn bars_on<DB, X>(
    area: &DrawingArea<DB, Shift>,
    x_spec: X,
    x0: f64,
    x_label: &str,
    bars: &[(String, f64, usize)],
    label_at: impl Fn(f64) -> f64,
) -> Result<(), E>
where
    DB: DrawingBackend,
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
{
    let n = bars.len().max(1);
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
    let mut chart = ChartBuilder::on(area)
        .margin_left(14)
        .margin_right(24)
        .margin_top(6)
        .x_label_area_size(44)
        .y_label_area_size((longest * 8 + 16).clamp(80, 380))
        .build_cartesian_2d(x_spec, 0f64..n as f64)
        .map_err(err)?;
    let y_fmt = |y: &f64| {
        let k = (*y - 0.5).round();
        if (y - 0.5 - k).abs() < 1e-9 && k >= 0.0 {
            labels.get(n - 1 - k as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .y_labels(n * 2 + 1)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&|x: &f64| count_label(*x))
        .x_desc(x_label)
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(k, (_, v, c))| {
            let y = (n - 1 - k) as f64;
            Rectangle::new([(x0, y + 0.2), (*v, y + 0.8)], colour(*c).filled())
        }))
        .map_err(err)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(k, (_, v, _))| {
            let y = (n - 1 - k) as f64 + 0.5;
            Text::new(
                count_label(*v),
                (label_at(*v), y),
                TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(err)?;
    Ok(())
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure) -> Result<String, String> {
    svg_with(fig, "")
}

/// The figure as an SVG document, with `footer` (where it came from) in small type under it.
pub fn svg_with(fig: &Figure, footer: &str) -> Result<String, String> {
    font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        draw(&root, fig, footer)?;
    }
    Ok(s)
}

/// The figure as a PNG image.
pub fn png(fig: &Figure) -> Result<Vec<u8>, String> {
    png_with(fig, "")
}

/// The figure as a PNG image, with `footer` in small type under it.
pub fn png_with(fig: &Figure, footer: &str) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    font();
    let (w, h) = SIZE;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        draw(&root, fig, footer)?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::count_label;

    #[test]
    fn counts_read_as_whole_numbers_with_separators() {
        assert_eq!(count_label(250.0), "250");
        assert_eq!(count_label(11198.0), "11,198");
        assert_eq!(count_label(1234567.0), "1,234,567");
        assert_eq!(count_label(2.5), "2.5");
    }
}
