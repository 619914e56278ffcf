//! EBS: a copy pending behind its lineage is one of the account's twenty concurrent copy
//! requests to its destination Region.

use crate::support::run_text;

/// Ten 200 GB EBS volumes snapshotted every 30 minutes and copied to eu-west-1 over a 100 MiB/s
/// link: the ten first (full) copies share it for about 5 h 20 min, so each volume's copies pile
/// up behind its first.
const PILE_UP: &str = r#"name = "ebs-pile-up"
start = "2026-01-05T00:00:00Z"
horizon = "12h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "100MiB/s"
[[accounts]]
name = "a"
[[fleets]]
name = "big"
count = 10
account = "a"
region = "us-east-1"
size = "200GB"
[[schedules]]
name = "s"
volumes = ["big"]
every = "30m"
copy_to = [{ region = "eu-west-1" }]
"#;

#[test]
fn an_account_has_at_most_twenty_copy_requests_pending_into_a_region() {
    // "Each account can have up to twenty concurrent snapshot copy requests to a single
    // destination Region." / "If a copy is still pending when you start a another copy, the
    // second copy starts only after the first copy finishes." A copy pending behind its
    // lineage is a request the account has made: it counts. Read from copies.csv as an outside
    // checker would: a copy never throttled (no `quota` in `waited_behind`) held its request
    // from `requested_at`, a throttled one at least from `started_at`, each until it ended; at no
    // instant do more than twenty overlap. Once, a copy waiting behind its lineage held none,
    // and the ten volumes had up to 120 requests pending at once, none of them throttled.
    let r = run_text(PILE_UP);
    let copies = r.copies();
    let mut edges: Vec<(String, i32)> = Vec::new();
    for c in &copies {
        let held_from = if c["waited_behind"].contains("quota") { &c["started_at"] } else { &c["requested_at"] };
        if held_from.is_empty() {
            continue; // throttled and still waiting at the horizon: holds nothing
        }
        edges.push((held_from.clone(), 1));
        if !c["finished_at"].is_empty() {
            edges.push((c["finished_at"].clone(), -1));
        }
    }
    edges.sort(); // at one instant an end (-1) sorts before a start (1)
    let (mut held, mut peak) = (0, 0);
    for (_, d) in &edges {
        held += d;
        peak = peak.max(held);
    }
    assert_eq!(peak, 20, "the twenty are all held while the copies pile up");
    // The ten moving firsts and the ten seconds pending behind them hold the twenty: the copies
    // of the ten runs from 1 h to 5 h 30 min are each answered ResourceLimitExceeded once, and
    // take a slot as the firsts land (5 h 35 min), then pend behind their lineage.
    assert_eq!(r.report.summary.copies.throttled_requests, 100);
    assert!(copies.iter().any(|c| c["waited_behind"] == "lineage"), "pending behind a lineage");
    assert!(copies.iter().any(|c| c["waited_behind"] == "lineage;quota"), "throttled, then pending");
    assert!(r.report.summary.invariant_violations.is_empty());
}
