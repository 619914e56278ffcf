//! copysim: a deterministic discrete-event simulator of cross-region backup copies.
#![warn(missing_docs)]

pub mod kernel;
pub mod cli;
pub mod engine;
pub mod model;
pub mod planner;
pub mod providers;
pub mod report;
pub mod scenario;
