//! The benchmarks on 1,000 volumes backed up hourly for 30 days, each backup copied to
//! one other region behind a 20-slot quota: the engine alone, and the whole run pipeline
//! (records, online analyses, `--detail summary` files in memory). Reports backups per second.
//!
//! Run: `cargo bench --bench fleet`. Plots are off, so a machine without fonts can run it.
//! The larger scale scenarios (`benches/fleet-year.toml`, `benches/fleet-10k-month.toml`) are
//! measured with the release binary; see README "Performance".

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The benchmark scenario: EBS, 1,000 volumes, hourly, 30 days, one DR copy each, 20 slots.
pub const FLEET: &str = include_str!("fleet.toml");

/// The binary's allocator (mimalloc on huge pages), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: copysim::kernel::memory::Allocator = copysim::kernel::memory::Allocator;

fn fleet(c: &mut Criterion) {
    copysim::kernel::memory::prefer_huge_pages();
    let scenario = copysim::scenario::parse(FLEET, "bench").expect("valid");
    let mut sink = copysim::report::Memory::default();
    let probe = copysim::report::run(&scenario, copysim::report::Detail::Summary, &mut sink).expect("runs");
    let backups = probe.summary.backups.taken;
    assert!(probe.summary.invariant_violations.is_empty());
    drop(probe);
    let mut group = c.benchmark_group("fleet");
    group.sample_size(10);
    group.throughput(Throughput::Elements(backups));
    group.bench_function("1000_volumes_hourly_30d_one_copy_quota_20", |b| {
        // Freeing the final world is not simulation work: it is dropped outside the timing.
        b.iter_with_large_drop(|| copysim::engine::run(&scenario).expect("runs"))
    });
    group.bench_function("1000_volumes_hourly_30d_pipeline_detail_summary", |b| {
        b.iter_with_large_drop(|| {
            let mut sink = copysim::report::Memory::default();
            copysim::report::run(&scenario, copysim::report::Detail::Summary, &mut sink).expect("runs")
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = fleet
}
criterion_main!(benches);
