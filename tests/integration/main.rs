//! copysim's integration tests: one binary, one file per behaviour.

mod bad_input;
mod cli;
mod cli_input;
mod corpus;
mod counts;
mod detail;
mod determinism;
mod golden;
mod ibm_calibration;
mod import;
mod input_checks;
mod invariants;
mod live_state;
mod output_folder;
mod policies;
mod readme;
mod refusals;
mod reports;
mod restore_points;
mod retention_waits;
mod scenarios;
mod settling;
mod support;
mod sweeps;
mod warm;
mod window;
