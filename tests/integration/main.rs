//! copysim's integration tests: one binary, one file per behaviour.

mod bad_input;
mod cli;
mod cli_input;
mod corpus;
mod determinism;
mod golden;
mod input_checks;
mod invariants;
mod policies;
mod reports;
mod scenarios;
mod support;
