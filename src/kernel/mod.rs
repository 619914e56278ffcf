//! The simulation kernel: integer time, a `(time, seq)` event queue, named RNG streams and a bounded run loop. It knows nothing about clouds.

pub mod memory;
pub mod prefetch;
pub mod queue;
pub mod rng;
pub mod sim;
pub mod time;

pub use prefetch::{pays, prefetch};
pub use queue::EventQueue;
pub use rng::RngStreams;
pub use sim::{Handler, RunError, RunStats, Scheduler, Simulation};
pub use time::{SimDuration, SimTime, Stamp};
