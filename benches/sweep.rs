//! Sweep throughput: the same 1,000 small runs on a rayon pool of 1 and of 2 threads, and the same runs one
//! by one in-process without the sweep machinery — parse, simulate, summarise — (the overhead
//! baseline). Reports runs per second.
//!
//! Run: `cargo bench --bench sweep`.

use std::path::Path;

use copysim::sweep;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn sweep_throughput(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep/small.sweep.toml");
    let s = sweep::load(&file).expect("valid sweep");
    let all: Vec<usize> = (0..s.run_count()).collect();
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(all.len() as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        group.bench_function(format!("1000_runs_{threads}_threads"), |b| {
            b.iter(|| pool.install(|| sweep::execute(&s, &all, &|| {}).expect("runs")))
        });
    }
    group.bench_function("1000_runs_one_by_one_no_sweep", |b| {
        b.iter(|| {
            for &i in &all {
                let p = &s.points[i / s.replications as usize];
                let scenario = copysim::scenario::overrides::parse_with(
                    &s.base_text,
                    "bench",
                    Some(sweep::run_seed(s.seed, i as u64)),
                    &p.overrides,
                )
                .expect("valid");
                let summary = sweep::metrics::run_one(&scenario).expect("runs");
                std::hint::black_box(summary.copies.requested);
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = sweep_throughput
}
criterion_main!(benches);
