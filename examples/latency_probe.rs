//! Tells which phase a shared machine is in before timing copysim on it: the nanoseconds a
//! dependent random read over 256 MB takes (what a large fleet's run waits on), and the seconds
//! a billion dependent adds take (what arithmetic costs). copysim's large runs track the first;
//! see README "Performance". Nothing here touches copysim.
//!
//! Run: `cargo run --release --example latency_probe`.

use std::hint::black_box;
use std::time::Instant;

/// Slots of the chased array: 32 Mi × 8 bytes = 256 MB, far past any cache.
const SLOTS: usize = 1 << 25;
/// Reads timed.
const READS: usize = 20_000_000;
/// Adds timed.
const ADDS: u64 = 1_000_000_000;

fn main() {
    // One cycle through every slot (Sattolo's shuffle), from a fixed xorshift stream: each read
    // names the next, so no two loads overlap and the hardware cannot guess the next address.
    let mut next: Vec<usize> = (0..SLOTS).collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..SLOTS).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = (x % i as u64) as usize;
        next.swap(i, j);
    }
    let t = Instant::now();
    let mut p = 0;
    for _ in 0..READS {
        p = next[p];
    }
    let read_ns = t.elapsed().as_secs_f64() * 1e9 / READS as f64;
    black_box(p);
    let t = Instant::now();
    let mut sum: u64 = 0;
    for i in 0..ADDS {
        sum = black_box(sum.wrapping_add(i));
    }
    let add_s = t.elapsed().as_secs_f64();
    black_box(sum);
    println!("random read over 256 MB: {read_ns:.0} ns; {ADDS} dependent adds: {add_s:.2} s");
}
