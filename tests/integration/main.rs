//! copysim's integration tests: one binary, one file per behaviour.

mod bad_input;
mod cli;
mod detail;
mod determinism;
mod golden;
mod invariants;
mod live_state;
mod policies;
mod reports;
mod retention_waits;
mod scenarios;
mod support;
mod warm;
mod window;
