//! Sweep throughput and overhead, measured outside criterion (the minimum of several rounds, which
//! resists other load on the machine): the benchmark sweep's 1,000 small runs one by one
//! in-process, then as a sweep on rayon pools of 1 and 2 threads.
//!
//! Run: `cargo run --release --example sweep_scaling`.

use std::path::Path;
use std::time::{Duration, Instant};

use copysim::sweep;

fn best(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep/small.sweep.toml");
    let s = sweep::load(&file).expect("valid sweep");
    let all: Vec<usize> = (0..s.run_count()).collect();
    let rounds = 15;
    let direct = best(rounds, || {
        for &i in &all {
            let p = &s.points[i / s.replications as usize];
            let seed = Some(sweep::run_seed(s.seed, i as u64));
            let scenario = copysim::scenario::parse_with_seed(&p.edited.text, "bench", seed).expect("valid");
            std::hint::black_box(sweep::metrics::run_one(&scenario).expect("runs").copies.requested);
        }
    });
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        best(rounds, || {
            std::hint::black_box(pool.install(|| sweep::execute(&s, &all, &|| {}).expect("runs")));
        })
    };
    let (one, two) = (on(1), on(2));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} runs; best of {rounds} rounds", all.len());
    println!("one by one, in-process : {:8.1} ms", ms(direct));
    println!("sweep, 1 thread        : {:8.1} ms  (overhead {:+.1} %)", ms(one), (ms(one) / ms(direct) - 1.0) * 100.0);
    println!("sweep, 2 threads       : {:8.1} ms  (speed-up over 1 thread {:.2}×)", ms(two), ms(one) / ms(two));
}
