//! The issue's benchmark: the kernel and planner on 1,000 volumes backed up hourly for 30 days,
//! each backup copied to one other region behind a 20-slot quota. Reports backups per second.
//!
//! Run: `cargo bench --bench fleet`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The benchmark scenario: EBS, 1,000 volumes, hourly, 30 days, one DR copy each, 20 slots.
pub const FLEET: &str = r#"
name = "bench-fleet"
seed = 1
start = "2026-01-01T00:00:00Z"
horizon = "30d"

[providers.aws_ebs]
copy_concurrency = 20

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
count = 1000
account = "prod"
region = "us-east-1"
size = "20GB"
size_max = "200GB"
daily_change = "1%"
daily_change_max = "3%"

[[schedules]]
name = "hourly"
volumes = ["vol"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
"#;

fn fleet(c: &mut Criterion) {
    let scenario = copysim::scenario::parse(FLEET, "bench").expect("valid");
    let probe = copysim::engine::run(&scenario).expect("runs");
    let backups = probe.world.backups.iter().filter(|b| b.origin == copysim::model::Origin::Source).count() as u64;
    assert!(copysim::report::invariants::check(&probe.world).is_empty());
    drop(probe);
    let mut group = c.benchmark_group("fleet");
    group.sample_size(10);
    group.throughput(Throughput::Elements(backups));
    group.bench_function("1000_volumes_hourly_30d_one_copy_quota_20", |b| {
        b.iter(|| copysim::engine::run(&scenario).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);
