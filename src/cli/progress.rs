//! The progress bar of `run`: simulated date, events per second and ETA on stderr, only when
//! stderr is a terminal and the run lasts more than about a second. Wall-clock time is read
//! here for display only; it never reaches a result.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::kernel::SimTime;

/// A callback for [`crate::report::run_with_progress`], or `None` when nothing should show.
pub fn bar(start: jiff::Timestamp, horizon: SimTime, quiet: bool) -> Option<Box<dyn FnMut(SimTime, u64)>> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let began = Instant::now();
    let mut shown = Clear(None);
    Some(Box::new(move |now: SimTime, events: u64| {
        let elapsed = began.elapsed();
        if shown.0.is_none() && elapsed < Duration::from_secs(1) {
            return;
        }
        let pb = shown.0.get_or_insert_with(|| {
            let pb = ProgressBar::with_draw_target(Some(horizon.as_ms() / 1000), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:30.cyan/blue} {msg} · ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            pb.set_style(style);
            pb
        });
        let date = crate::report::timestamp(start, now);
        let rate = events as f64 / elapsed.as_secs_f64().max(1e-3);
        pb.set_position(now.as_ms() / 1000);
        pb.set_message(format!("{} · {events} events · {:.2} M events/s", date.get(..10).unwrap_or(&date), rate / 1e6));
    }))
}

/// Clears the bar when the run is over (the callback is dropped).
struct Clear(Option<ProgressBar>);

impl Drop for Clear {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}
