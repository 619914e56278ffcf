//! Sweep throughput and overhead, measured outside criterion: the benchmark sweep's 1,000 small
//! runs one by one in-process (no sweep machinery), then as a sweep on rayon pools of 1 and 2
//! threads, and a compute-only control of the same shape. The four are measured in turn, round
//! after round, and each ratio is the median of the per-round ratios: a slow moment of a shared
//! machine then hits all four of a round alike instead of skewing one of them.
//!
//! Run: `cargo run --release --example sweep_scaling [ROUNDS]` (default 31).

use std::path::Path;
use std::time::Instant;

use copysim::sweep;
use rayon::prelude::*;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(31);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep/small.sweep.toml");
    let s = sweep::load(&file).expect("valid sweep");
    let all: Vec<usize> = (0..s.run_count()).collect();
    let pools: Vec<rayon::ThreadPool> =
        [1, 2].iter().map(|&n| rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("pool")).collect();
    let direct = || {
        for &i in &all {
            let p = &s.points[i / s.replications as usize];
            let seed = Some(sweep::run_seed(s.seed, i as u64));
            let scenario =
                copysim::scenario::overrides::parse_with(&s.base_text, "bench", seed, &p.overrides).expect("valid");
            std::hint::black_box(sweep::metrics::run_one(&scenario).expect("runs").copies.requested);
        }
    };
    let swept = |pool: &rayon::ThreadPool| {
        std::hint::black_box(pool.install(|| sweep::execute(&s, &all, &|| {}).expect("runs")));
    };
    // Control: 1,000 tasks of about the same length, pure arithmetic, no memory traffic.
    let spin = |pool: &rayon::ThreadPool| {
        let v: u64 = pool.install(|| {
            all.par_iter()
                .with_max_len(1)
                .map(|&i| {
                    let mut x = i as u64 | 1;
                    for _ in 0..200_000 {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                    }
                    x
                })
                .sum()
        });
        std::hint::black_box(v);
    };
    let (mut ms, mut overhead, mut speedup, mut control) = (Vec::<[f64; 3]>::new(), vec![], vec![], vec![]);
    for _ in 0..rounds {
        let d = timed(direct);
        let one = timed(|| swept(&pools[0]));
        let two = timed(|| swept(&pools[1]));
        let (c1, c2) = (timed(|| spin(&pools[0])), timed(|| spin(&pools[1])));
        ms.push([d, one, two]);
        overhead.push(one / d - 1.0);
        speedup.push(one / two);
        control.push(c1 / c2);
    }
    let col = |k: usize| median(ms.iter().map(|r| r[k]).collect());
    println!("{} runs, {rounds} rounds; medians", all.len());
    println!("one by one, in-process : {:7.1} ms", col(0));
    println!(
        "sweep, 1 thread        : {:7.1} ms  (overhead over one by one: {:+.1} %)",
        col(1),
        median(overhead) * 100.0
    );
    println!("sweep, 2 threads       : {:7.1} ms  (speed-up over 1 thread: {:.2}×)", col(2), median(speedup));
    println!("control, compute only  : speed-up over 1 thread: {:.2}×", median(control));
}
