//! Heatmaps for two-axis sweeps: one cell per point, coloured by value and labelled with it,
//! drawn with the same embedded font as every other chart (PNG and SVG).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::render::{SIZE, font};

/// A grid of values: rows are the first axis, columns the second.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// Title.
    pub title: String,
    /// Column axis label.
    pub x_label: String,
    /// Row axis label.
    pub y_label: String,
    /// Column labels.
    pub x_values: Vec<String>,
    /// Row labels.
    pub y_values: Vec<String>,
    /// `cells[row][column]`; `None` where there is no value.
    pub cells: Vec<Vec<Option<f64>>>,
    /// `labels[row][column]`: each cell's value as written in it (human units).
    pub labels: Vec<Vec<String>>,
}

fn shade(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(255, 37), mix(247, 52), mix(188, 148))
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, h: &Heatmap) -> Result<(), String> {
    let e = |x: &dyn std::fmt::Display| x.to_string();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let (nx, ny) = (h.x_values.len().max(1), h.y_values.len().max(1));
    let all: Vec<f64> = h.cells.iter().flatten().flatten().copied().collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let label = |values: &[String], v: f64| {
        let k = (v - 0.5).round();
        if (v - 0.5 - k).abs() < 1e-9 && k >= 0.0 {
            values.get(k as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let mut chart = ChartBuilder::on(root)
        .caption(&h.title, ("sans-serif", 24))
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(120)
        .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(nx * 2 + 1)
        .y_labels(ny * 2 + 1)
        .x_label_formatter(&|x| label(&h.x_values, *x))
        .y_label_formatter(&|y| label(&h.y_values, *y))
        .x_desc(h.x_label.as_str())
        .y_desc(h.y_label.as_str())
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|x| e(&x))?;
    for (row, cells) in h.cells.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            let Some(v) = cell else { continue };
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let (x, y) = (col as f64, row as f64);
            chart.draw_series([Rectangle::new([(x, y), (x + 1.0, y + 1.0)], shade(t).filled())]).map_err(|x| e(&x))?;
            let ink = if t > 0.55 { WHITE } else { BLACK };
            let style = ("sans-serif", 14).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
            let text = h.labels.get(row).and_then(|r| r.get(col)).cloned().unwrap_or_default();
            chart.draw_series([Text::new(text, (x + 0.5, y + 0.5), style)]).map_err(|x| e(&x))?;
        }
    }
    root.present().map_err(|x| e(&x))
}

/// The heatmap as an SVG document.
pub fn svg(h: &Heatmap) -> Result<String, String> {
    font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        draw(&root, h)?;
    }
    Ok(s)
}

/// The heatmap as a PNG image.
pub fn png(h: &Heatmap) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    font();
    let (w, ht) = SIZE;
    let mut rgb = vec![0u8; (w * ht * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        draw(&root, h)?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgb, w, ht, image::ColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
