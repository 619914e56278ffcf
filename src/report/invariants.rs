//! The invariant checks that read only live state at the horizon: links within their bandwidth.
//! Everything that needs history is checked online as it happens: see
//! [`crate::analysis::invariants`] and [`crate::analysis::plan_checks`].

use crate::model::World;

/// Links that carried more than their bandwidth (from each link's own peak, at the horizon).
pub fn links(w: &World) -> Vec<String> {
    let mut v = Vec::new();
    for l in &w.links {
        // Each transfer gets at least 1 B/s (docs/model.md "Links and bandwidth"): a link
        // slower than its transfers carries one byte per second each.
        if l.rate_sum_peak_bytes_per_s > l.params.bandwidth_bytes_per_s.max(u64::from(l.active_peak)) {
            v.push(format!(
                "link {} → {} carried {} B/s over its {} B/s",
                w.region(l.from).name,
                w.region(l.to).name,
                l.rate_sum_peak_bytes_per_s,
                l.params.bandwidth_bytes_per_s
            ));
        }
    }
    v
}
