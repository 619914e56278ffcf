//! Memory follows live state, not the horizon: a fleet whose backups and copies are kept two
//! days, and one that keeps them all (they settle, `engine::settle`), hold the same number of
//! everything after 10 days as after 100.

use std::rc::Rc;

use copysim::analysis::catalog::Catalog;
use copysim::analysis::cost::CostMeter;
use copysim::analysis::invariants::TransferChecks;
use copysim::analysis::recovery::Recovery;
use copysim::kernel::SimTime;
use copysim::record::{Observer, Record};

const FLEET: &str = r#"
name = "retained"
seed = 3
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
retention_days = 2
copy_to = [{ region = "us-west-2", retention_days = 2 }]
"#;

struct Watch {
    cost: CostMeter,
    recovery: Recovery,
    checks: TransferChecks,
}

impl Observer for Watch {
    fn record(&mut self, at: SimTime, r: &Record<'_>) {
        self.cost.record(at, r);
        self.recovery.record(at, r);
        self.checks.record(at, r);
    }
}

/// Everything held at the horizon: world tables and windows, dest lists, observers' state.
fn live_at(fleet: &str, days: u32) -> Vec<(&'static str, usize)> {
    let s = copysim::scenario::parse(&fleet.replace("HORIZON", &format!("{days}d")), "live.toml").expect("valid");
    let cat = Rc::new(Catalog::new(&s));
    let horizon = SimTime::ZERO + s.horizon;
    let mut w = Watch {
        cost: CostMeter::new(s.cost.clone().expect("costs"), vec![], cat.world().clone(), horizon),
        recovery: Recovery::new(&s, Rc::clone(&cat), None, None),
        checks: TransferChecks::new(Rc::clone(&cat)),
    };
    let out = copysim::engine::run_with(&s, &mut w).expect("runs");
    let world = &out.world;
    let dests: usize = world.volumes.iter().flat_map(|v| v.dests.iter()).map(|d| d.started.len()).sum();
    let chains: usize = world.volumes.iter().map(|v| v.chain.window()).sum();
    vec![
        ("backups held", world.backups.live()),
        // The window gives memory back a chunk (4,096 slots) at a time: bounded, not exact.
        ("backup window bounded", usize::from(world.backups.window() <= world.backups.live() + 2 * 4096)),
        ("copies held", world.copies.live()),
        ("copy window bounded", usize::from(world.copies.window() <= world.copies.live() + 2 * 4096)),
        ("started lists", dests),
        ("chain windows", chains),
        ("planner holds", out.planner.gates().holders()),
        ("storage members", w.cost.live_members()),
        ("recoverable copies", w.recovery.live()),
        ("invariant state", w.checks.live()),
    ]
}

#[test]
fn live_state_is_the_same_at_day_10_and_day_100() {
    let (d10, d100) = (live_at(FLEET, 10), live_at(FLEET, 100));
    assert_eq!(d10, d100);
    // Kept two days, hourly, 20 volumes: about 48 source backups and 48 copies each.
    let held = d10.iter().find(|(n, _)| *n == "backups held").map(|x| x.1).unwrap();
    assert!((20 * 2 * 47..=20 * 2 * 50).contains(&held), "{d10:?}");
}

#[test]
fn live_state_of_a_fleet_that_keeps_everything_is_the_same_at_day_10_and_day_100() {
    let kept = FLEET.replace("retention_days = 2\n", "").replace(", retention_days = 2", "");
    assert!(!kept.contains("retention"), "{kept}");
    let (d10, d100) = (live_at(&kept, 10), live_at(&kept, 100));
    assert_eq!(d10, d100);
    // The newest source backup, copy and its result of each of the 20 volumes (a few more while moving).
    let held = d10.iter().find(|(n, _)| *n == "backups held").map(|x| x.1).unwrap();
    assert!(held <= 20 * 4, "{d10:?}");
}
