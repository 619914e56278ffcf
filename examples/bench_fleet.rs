//! Runs the benchmark fleet once and prints backups per second (for profiling with perf or callgrind).

fn main() {
    let text = include_str!("../benches/fleet.toml");
    let scenario = copysim::scenario::parse(text, "benches/fleet.toml").expect("valid");
    let out = copysim::engine::run(&scenario).expect("runs");
    println!(
        "{} backups, {} copies, {} events",
        out.world.backups.next_index(),
        out.world.copies.next_index(),
        out.run.events_processed
    );
}
