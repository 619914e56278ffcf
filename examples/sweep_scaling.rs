//! Sweep throughput and overhead, measured outside criterion (the minimum of several rounds, which
//! resists other load on the machine): the benchmark sweep's 1,000 small runs one by one
//! in-process, then as a sweep on rayon pools of 1 and 2 threads.
//!
//! Run: `cargo run --release --example sweep_scaling`.

use std::path::Path;
use std::time::{Duration, Instant};

use copysim::sweep;

/// This process's user + system CPU time, from `/proc/self/stat` (Linux; zero elsewhere).
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are the 12th and 13th after the command name.
    let field = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(11) + field(12);
    Duration::from_millis(ticks * 10)
}

/// `(best wall time, mean CPU time)` over `rounds` runs of `f`.
fn best(rounds: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let c0 = cpu();
    let wall = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default();
    (wall, (cpu() - c0) / rounds as u32)
}

fn main() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep/small.sweep.toml");
    let s = sweep::load(&file).expect("valid sweep");
    let all: Vec<usize> = (0..s.run_count()).collect();
    let rounds = 30;
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
    // Control: the same shape of work (1,000 tasks of ≈ 0.2 ms) with no memory traffic at all.
    let spin = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        best(rounds, || {
            use rayon::prelude::*;
            let v: u64 = pool.install(|| {
                all.par_iter()
                    .with_max_len(1)
                    .map(|&i| {
                        let mut x = i as u64 | 1;
                        for _ in 0..400_000 {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                        }
                        x
                    })
                    .sum()
            });
            std::hint::black_box(v);
        })
    };
    let (spin1, spin2) = (spin(1), spin(2));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} runs; wall: best of {rounds} rounds; CPU: mean per round", all.len());
    println!("one by one, in-process : wall {:7.1} ms, CPU {:7.1} ms", ms(direct.0), ms(direct.1));
    println!(
        "sweep, 1 thread        : wall {:7.1} ms, CPU {:7.1} ms  (overhead: wall {:+.1} %, CPU {:+.1} %)",
        ms(one.0),
        ms(one.1),
        (ms(one.0) / ms(direct.0) - 1.0) * 100.0,
        (ms(one.1) / ms(direct.1) - 1.0) * 100.0
    );
    println!(
        "sweep, 2 threads       : wall {:7.1} ms, CPU {:7.1} ms  (speed-up over 1 thread {:.2}×)",
        ms(two.0),
        ms(two.1),
        ms(one.0) / ms(two.0)
    );
    println!(
        "control, compute only  : wall {:7.1} ms on 1 thread, {:7.1} ms on 2  (speed-up {:.2}×)",
        ms(spin1.0),
        ms(spin2.0),
        ms(spin1.0) / ms(spin2.0)
    );
}
