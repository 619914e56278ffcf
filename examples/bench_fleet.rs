//! Runs the benchmark fleet (or the scenario file given as the first argument) through the engine
//! alone, records discarded, and prints what it did (for profiling with perf or callgrind).
//! With a second argument `N`, runs it `N` times and prints the fastest run's wall time and
//! backups per second (the least disturbed by a busy machine).

/// The binary's allocator (mimalloc on huge pages), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: copysim::kernel::memory::Allocator = copysim::kernel::memory::Allocator;

fn main() {
    copysim::kernel::memory::prefer_huge_pages();
    let mut args = std::env::args().skip(1);
    let (text, name) = match args.next().filter(|a| a != "-") {
        Some(path) => (std::fs::read_to_string(&path).expect("readable scenario"), path),
        None => (include_str!("../benches/fleet.toml").to_string(), "benches/fleet.toml".to_string()),
    };
    let runs: u32 = args.next().map_or(1, |n| n.parse().expect("a number of runs"));
    let scenario = copysim::scenario::parse(&text, &name).expect("valid");
    let mut fastest = std::time::Duration::MAX;
    let mut taken = 0;
    for _ in 0..runs.max(1) {
        let t = std::time::Instant::now();
        let out = copysim::engine::run(&scenario).expect("runs");
        fastest = fastest.min(t.elapsed());
        // Source backups taken: each volume's chain counts one seq per backup taken (with a
        // warm start, the chain it started with too).
        taken = out.world.volumes.iter().map(|v| v.chain.len() as u64).sum::<u64>();
        if runs <= 1 {
            println!(
                "{} backups ({taken} taken at the source), {} copies, {} events",
                out.world.backups.next_index(),
                out.world.copies.next_index(),
                out.run.events_processed
            );
        }
        drop(out); // outside the timing, as in the criterion benchmark
    }
    if runs > 1 {
        let s = fastest.as_secs_f64();
        println!("fastest of {runs}: {:.1} ms, {:.2} M backups/s ({taken} taken)", s * 1e3, taken as f64 / s / 1e6);
    }
}
