//! Charts, drawn from a run's report files alone (so `copysim chart OUTDIR` redraws any earlier
//! run): copies in flight against the quota, RPO over time, cumulative cost, full versus
//! incremental copies by reason, and restore progress after an outage. Each is a [`Figure`]
//! rendered to PNG and SVG with plotters and the embedded DejaVu Sans font: no system font is
//! read, so a chart is byte-identical on any machine.

pub mod figures;
pub mod heatmap;
pub mod inputs;
pub mod render;

pub use inputs::Inputs;

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// A report file is missing or unreadable.
    #[error("{0}")]
    Input(String),
    /// Drawing failed.
    #[error("drawing {chart}: {message}")]
    Draw {
        /// Which chart.
        chart: String,
        /// What went wrong.
        message: String,
    },
}

/// A chart, as data: what to draw, independent of the backend.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Line series over a numeric x axis.
    Lines {
        /// Title.
        title: String,
        /// X axis label, with its unit.
        x_label: String,
        /// Y axis label, with its unit.
        y_label: String,
        /// The y axis counts whole things: ticks only at integers.
        y_integer: bool,
        /// The series.
        series: Vec<Series>,
    },
    /// Horizontal bars, longest first, each labelled with its value.
    Bars {
        /// Title.
        title: String,
        /// Value axis label, with its unit.
        x_label: String,
        /// `(label, value, colour index)`.
        bars: Vec<(String, f64, usize)>,
        /// Legend: `(colour index, name)`, only for colours some bar uses.
        legend: Vec<(usize, String)>,
        /// A logarithmic value axis (counts that differ by orders of magnitude).
        log_scale: bool,
    },
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stroke {
    /// A solid line.
    Line,
    /// A solid line with a dot at each point (few points that were measured, such as a
    /// sweep's: the line between them is not data).
    LinePoints,
    /// A dashed line (limits and targets).
    Dashed,
    /// A light filled area under the points (an envelope, such as a peak).
    Area,
}

/// One series.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Points.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub stroke: Stroke,
    /// Colour index.
    pub colour: usize,
}

/// Every chart of a run: `(file name, bytes)` for each PNG and SVG.
pub fn render_all(inputs: &Inputs) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut out = Vec::new();
    let footer = figures::provenance(inputs);
    for (name, fig) in figures::all(inputs) {
        let drawing = |message| ChartError::Draw { chart: name.to_string(), message };
        let svg = render::svg_with(&fig, &footer).map_err(drawing)?;
        let png = render::png_with(&fig, &footer).map_err(drawing)?;
        out.push((format!("chart-{name}.png"), png));
        out.push((format!("chart-{name}.svg"), svg.into_bytes()));
    }
    Ok(out)
}
