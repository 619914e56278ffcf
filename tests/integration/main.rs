//! copysim's integration tests: one binary, one file per behaviour.

mod bad_input;
mod cli;
mod cli_input;
mod corpus;
mod determinism;
mod golden;
mod ibm_calibration;
mod import;
mod input_checks;
mod invariants;
mod output_folder;
mod policies;
mod readme;
mod reports;
mod scenarios;
mod support;
