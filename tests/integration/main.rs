//! copysim's integration tests: one binary, one file per behaviour.

mod bad_input;
mod cli;
mod determinism;
mod golden;
mod invariants;
mod output_folder;
mod policies;
mod reports;
mod scenarios;
mod support;
mod sweeps;
