//! Loading memory ahead (`kernel::prefetch`): the walks and the event loop hint the CPU about
//! what they will read once the live state outgrows the caches. A hint must change no output,
//! and must never fail on what it looks at: every example scenario and a retained fleet
//! queueing behind a quota run with hints forced on and forced off, byte for byte the same.

use crate::support::{assert_same_files, load, run_scenario, scenario_files};

/// Runs `s` with hints always and never: same files, byte for byte.
fn same_outputs_with_and_without_hints(label: &str, s: copysim::scenario::Scenario) {
    let (mut on, mut off) = (s.clone(), s);
    on.hints = Some(true);
    off.hints = Some(false);
    let (a, b) = (run_scenario(on), run_scenario(off));
    assert!(a.report.summary.invariant_violations.is_empty(), "{label}");
    assert_same_files(label, "with hints", &a, &b);
}

#[test]
fn hints_change_no_output_of_any_example_scenario() {
    for file in scenario_files() {
        same_outputs_with_and_without_hints(&file, load(&file));
    }
    same_outputs_with_and_without_hints("quickstart", copysim::scenario::quickstart(None));
}

/// `benches/fleet-year.toml` in small: every path that hints runs — source and remote age
/// retention walks, copies waiting at a quota gate, an hourly run closing its copies at once,
/// backups becoming available in the same instant — plus a deletion by action of a copy in
/// the middle of a destination's list and a key change that makes the next copy full.
const RETAINED: &str = r#"
name = "retained"
seed = 3
start = "2026-01-01T00:00:00Z"
horizon = "4d"
[providers.aws_ebs]
copy_concurrency = 5
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "1GiB/s"
[[accounts]]
name = "prod"
[[fleets]]
name = "vol"
count = 60
account = "prod"
region = "us-east-1"
size = "5GB"
size_max = "20GB"
daily_change = "1%"
daily_change_max = "3%"
[[schedules]]
name = "hourly"
volumes = ["vol"]
every = "1h"
retention_days = 1
copy_to = [{ region = "us-west-2", retention_days = 1 }]
[[keys]]
name = "dr-cmk"
account = "prod"
region = "us-west-2"
[[events]]
at = "1d 6h"
action = "change_key"
volume = "vol-0007"
to = "us-west-2"
key = "dr-cmk"
[[events]]
at = "1d 12h 30m"
action = "delete_copy"
volume = "vol-0007"
seq = 30
region = "us-west-2"
"#;

#[test]
fn hints_change_no_output_of_a_retained_fleet_behind_a_quota() {
    let s = copysim::scenario::parse(RETAINED, "retained.toml").unwrap();
    let r = run_scenario(s.clone());
    let file = |name: &str| {
        r.report.files.iter().find(|(n, _)| n == name).map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    };
    let summary = file("summary.json").unwrap();
    // What the paths the hints follow had to do (so the comparison below covers them).
    assert!(summary.contains("\"encryption_changed\": 1"), "the key change made a full copy: {summary}");
    assert!(!summary.contains("\"waits\": 0,"), "copies waited at the quota: {summary}");
    assert!(summary.contains("\"ok\": 2,"), "both actions took effect: {summary}");
    same_outputs_with_and_without_hints("retained", s);
}
