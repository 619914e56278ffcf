//! Draws a [`Figure`] with plotters to SVG (a string) or PNG (bytes), using only the embedded font.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Figure;

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

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, fig: &Figure) -> Result<(), String> {
    let e = |x: &dyn std::fmt::Display| x.to_string();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    match fig {
        Figure::Lines { title, x_label, y_label, series } => {
            let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0f64, f64::max);
            let y_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(1.0f64, f64::max) * 1.08;
            let mut chart = ChartBuilder::on(root)
                .caption(title, ("sans-serif", 24))
                .margin(14)
                .x_label_area_size(44)
                .y_label_area_size(72)
                .build_cartesian_2d(0f64..x_max, 0f64..y_max)
                .map_err(|x| e(&x))?;
            chart
                .configure_mesh()
                .x_desc(x_label.as_str())
                .y_desc(y_label.as_str())
                .label_style(("sans-serif", 14))
                .light_line_style(WHITE)
                .bold_line_style(RGBColor(225, 225, 225))
                .draw()
                .map_err(|x| e(&x))?;
            for s in series {
                let style = colour(s.colour).stroke_width(2);
                let drawn = if s.dashed {
                    chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), 8, 6, style))
                } else {
                    chart.draw_series(LineSeries::new(s.points.iter().copied(), style))
                }
                .map_err(|x| e(&x))?;
                let c = colour(s.colour);
                drawn
                    .label(s.name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
            }
            if !series.is_empty() {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperRight)
                    .label_font(("sans-serif", 13))
                    .background_style(WHITE.mix(0.85))
                    .border_style(RGBColor(180, 180, 180))
                    .draw()
                    .map_err(|x| e(&x))?;
            }
        }
        Figure::Bars { title, x_label, bars, legend } => {
            let n = bars.len().max(1);
            let x_max = bars.iter().map(|b| b.1).fold(1.0f64, f64::max) * 1.1;
            let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
            let mut chart = ChartBuilder::on(root)
                .caption(title, ("sans-serif", 24))
                .margin(14)
                .x_label_area_size(44)
                .y_label_area_size(300)
                .build_cartesian_2d(0f64..x_max, 0f64..n as f64)
                .map_err(|x| e(&x))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .light_line_style(WHITE)
                .bold_line_style(RGBColor(225, 225, 225))
                .y_labels(n * 2 + 1)
                .y_label_formatter(&|y| {
                    let k = (*y - 0.5).round();
                    if (y - 0.5 - k).abs() < 1e-9 && k >= 0.0 {
                        labels.get(n - 1 - k as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .x_desc(x_label.as_str())
                .label_style(("sans-serif", 13))
                .draw()
                .map_err(|x| e(&x))?;
            chart
                .draw_series(bars.iter().enumerate().map(|(k, (_, v, c))| {
                    let y = (n - 1 - k) as f64;
                    Rectangle::new([(0.0, y + 0.15), (*v, y + 0.85)], colour(*c).filled())
                }))
                .map_err(|x| e(&x))?;
            for (c, name) in legend {
                let col = colour(*c);
                chart
                    .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                    .map_err(|x| e(&x))?
                    .label(name.as_str())
                    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], col.filled()));
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .label_font(("sans-serif", 13))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .draw()
                .map_err(|x| e(&x))?;
        }
    }
    root.present().map_err(|x| e(&x))
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure) -> Result<String, String> {
    font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        draw(&root, fig)?;
    }
    Ok(s)
}

/// The figure as a PNG image.
pub fn png(fig: &Figure) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    font();
    let (w, h) = SIZE;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        draw(&root, fig)?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
