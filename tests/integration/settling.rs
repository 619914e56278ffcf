//! Settling (`engine::settle`): a backup or copy nothing can change, delete or read again
//! leaves memory with its row written early. It must change no output, and a fleet that keeps
//! everything must hold as much at day 100 as at day 10.

use crate::support::{assert_same_files, load, run_scenario, scenario_files};

/// Runs `s` as it is and with every backup and copy kept to the horizon: same files, byte for byte.
fn same_outputs_when_nothing_settles(label: &str, s: copysim::scenario::Scenario) {
    let mut kept = s.clone();
    kept.keep_settled = true;
    let (a, b) = (run_scenario(s), run_scenario(kept));
    assert_same_files(label, "when nothing settles", &a, &b);
}

#[test]
fn settling_changes_no_output_of_any_example_scenario() {
    for file in scenario_files() {
        same_outputs_when_nothing_settles(&file, load(&file));
    }
    same_outputs_when_nothing_settles("quickstart", copysim::scenario::quickstart(None));
}

/// Hourly EBS copies kept forever (no retention), one volume named by actions on day 2.
const KEPT: &str = r#"
name = "kept"
seed = 5
start = "2026-01-01T00:00:00Z"
horizon = "HORIZON"
[cost]
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[fleets]]
name = "vol"
count = 20
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "2%"
[[schedules]]
name = "hourly"
volumes = ["vol"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
[[events]]
at = "2d"
action = "delete_copy"
volume = "vol-0003"
seq = 5
region = "us-west-2"
[[events]]
at = "2d"
action = "copy"
volume = "vol-0004"
seq = 7
to = "us-west-2"
"#;

fn kept(days: u32) -> copysim::scenario::Scenario {
    copysim::scenario::parse(&KEPT.replace("HORIZON", &format!("{days}d")), "kept.toml").expect("valid")
}

#[test]
fn a_fleet_that_keeps_everything_holds_the_same_at_day_10_and_day_100() {
    let held = |days: u32| {
        let out = copysim::engine::run(&kept(days)).expect("runs");
        let w = &out.world;
        let started: usize = w.volumes.iter().flat_map(|v| v.dests.iter()).map(|d| d.started.len()).sum();
        let chains: usize = w.volumes.iter().map(|v| v.chain.window()).sum();
        (w.backups.live(), w.copies.live(), started, chains, w.backups.window() <= w.backups.live() + 2 * 4096)
    };
    let (d10, d100) = (held(10), held(100));
    assert_eq!(d10, d100);
    assert!(d10.4, "the backups' window stays within two chunks of what is held: {d10:?}");
    // 20 volumes: the newest source backup, copy and its result each (a few more while moving).
    assert!(d10.0 <= 20 * 4 && d10.1 <= 20 * 2, "{d10:?}");
    // 100 days hourly, the horizon included: 48,020 backups and their copies, all still there.
    let r = run_scenario(kept(100));
    assert_eq!(r.report.summary.backups.taken, 20 * (24 * 100 + 1));
    assert!(r.report.summary.invariant_violations.is_empty());
}

#[test]
fn settling_changes_no_output_of_a_fleet_that_keeps_everything() {
    same_outputs_when_nothing_settles("kept 10d", kept(10));
}

/// Warm start, a DR-region outage with its drill, and a measurement window, on providers
/// that settle (EBS and OCI): the restore points a drill reads and the RPO samples must not
/// depend on what has left memory.
#[test]
fn settling_changes_no_drill_rpo_or_warm_start_output() {
    for provider in ["aws_ebs", "oci", "aws_fsx"] {
        let text = format!(
            r#"name = "drill"
seed = 9
start = "2026-01-01T00:00:00Z"
horizon = "4d"
warm_start = true
[report]
rpo_resolution = "30m"
measure_from = "1d"
[[regions]]
name = "a"
provider = "{provider}"
[[regions]]
name = "b"
provider = "{provider}"
[[regions]]
name = "c"
provider = "{provider}"
[[links]]
from = "a"
to = "b"
bandwidth = "200Mbps"
[[accounts]]
name = "t"
[[fleets]]
name = "v"
count = 6
account = "t"
region = "a"
size = "20GB"
size_max = "80GB"
daily_change = "5%"
kind = "{kind}"
[[schedules]]
name = "s"
volumes = ["v"]
every = "2h"
copy_to = [{{ region = "b" }}, {{ region = "c" }}]
[[events]]
at = "2d"
action = "region_outage"
region = "a"
duration = "3h"
[[events]]
at = "3d"
action = "restore"
volume = "v-0002"
seq = 4
region = "b"
"#,
            kind = if provider == "aws_fsx" { "file" } else { "block" }
        );
        let s = copysim::scenario::parse(&text, "drill.toml").unwrap_or_else(|e| panic!("{provider}: {e}"));
        same_outputs_when_nothing_settles(provider, s);
    }
}
