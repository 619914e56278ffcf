//! Runs the benchmark fleet (or the scenario file given as the first argument) through the engine
//! alone, records discarded, and prints what it did (for profiling with perf or callgrind).

fn main() {
    let (text, name) = match std::env::args().nth(1) {
        Some(path) => (std::fs::read_to_string(&path).expect("readable scenario"), path),
        None => (include_str!("../benches/fleet.toml").to_string(), "benches/fleet.toml".to_string()),
    };
    let scenario = copysim::scenario::parse(&text, &name).expect("valid");
    let out = copysim::engine::run(&scenario).expect("runs");
    println!(
        "{} backups, {} copies, {} events",
        out.world.backups.next_index(),
        out.world.copies.next_index(),
        out.run.events_processed
    );
}
