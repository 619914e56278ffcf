//! Queue waits per DR region: the fleet's percentiles pool every copy, so one DR region's copies
//! waiting behind its quota hide behind another's that never wait (a planner's OCI + IBM estate
//! read p95 80 s while its IBM copies waited up to about 3 days behind 3 slots).
//! `summary.json` gives `queue_wait_by_region`, the terminal and report.html a line per region
//! when there are several.

use crate::support::run_text;

/// Two DR regions from us-east-1: eu-west-1 receives 30 volumes' hourly copies over a link of
/// 100 MB/s with at most 2 copies moving (a quota of 2 per destination region), us-west-2 one
/// volume's over a fast link.
pub(crate) const TWO_DR_REGIONS: &str = r#"name = "two-dr"
start = "2026-01-05T00:00:00Z"
horizon = "1d"
warm_start = true
[providers.aws_ebs]
copy_concurrency = 2
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "100MB/s"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "10GB/s"
[[accounts]]
name = "prod"
[[fleets]]
name = "busy"
count = 30
account = "prod"
region = "us-east-1"
size = "500GB"
daily_change = "5%"
[[fleets]]
name = "quiet"
count = 1
account = "prod"
region = "us-east-1"
size = "500GB"
daily_change = "5%"
[[schedules]]
name = "busy"
volumes = ["busy"]
every = "1h"
retention_days = 2
copy_to = [{ region = "eu-west-1", retention_days = 2 }]
[[schedules]]
name = "quiet"
volumes = ["quiet"]
every = "1h"
retention_days = 2
copy_to = [{ region = "us-west-2", retention_days = 2 }]
"#;

#[test]
fn queue_waits_are_given_per_dr_region_beside_the_fleets() {
    let r = run_text(TWO_DR_REGIONS);
    let s = &r.report.summary;
    let by: Vec<(&str, u64, u64)> =
        s.queue_wait_by_region.iter().map(|q| (q.region.as_str(), q.wait.started, q.wait.max_ms)).collect();
    assert_eq!(by.len(), 2, "{by:?}");
    let (east, west) = (&s.queue_wait_by_region[0], &s.queue_wait_by_region[1]);
    assert_eq!((east.region.as_str(), west.region.as_str()), ("eu-west-1", "us-west-2"));
    // Each region's started copies add up to the fleet's, and its figures are its own copies':
    // eu-west-1's 30 hourly copies of ~1 GB each queue behind 2 slots; us-west-2's one never waits.
    assert_eq!(east.wait.started + west.wait.started, s.queue_wait.started);
    assert_eq!(east.wait.waited + west.wait.waited, s.queue_wait.waited);
    assert!(east.wait.max_ms > 0 && east.wait.max_ms == s.queue_wait.max_ms, "{east:?} {:?}", s.queue_wait);
    assert_eq!((west.wait.waited, west.wait.max_ms), (0, 0), "{west:?}");
    let json = serde_json::to_value(s).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    let line = terminal.lines().find(|l| l.starts_with("  waits in  ")).unwrap_or_else(|| panic!("{terminal}"));
    assert!(line.contains("eu-west-1 p95 ") && line.contains("; us-west-2 p95 0 s, max 0 s"), "{line}");
}

#[test]
fn one_dr_region_adds_no_line() {
    let one = TWO_DR_REGIONS.replace("copy_to = [{ region = \"us-west-2\", retention_days = 2 }]", "");
    let r = run_text(&one);
    assert_eq!(r.report.summary.queue_wait_by_region.len(), 1);
    let json = serde_json::to_value(&r.report.summary).expect("json");
    assert!(!copysim::report::terminal::render(&json, "out").contains("  waits in  "));
}
