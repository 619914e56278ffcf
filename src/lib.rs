//! # copysim
//!
//! A deterministic discrete-event simulator of cross-region backup copies, for people who plan
//! disaster recovery on the public clouds. Give it a scenario — regions, links, accounts,
//! volumes, backup schedules with copy targets, and timed events — and it answers, under each
//! cloud's documented rules, which copies turn full and why, how long they queue behind quotas
//! and bandwidth, and which are refused with what error. Same scenario and seed, same bytes.
//!
//! ## A tour, in the order data flows
//!
//! ```text
//! scenario file ─parse─▶ scenario::file (raw, spanned) ─validate─▶ scenario::Scenario (+ initial model::World)
//!                                                                         │
//! kernel (time, (time, seq) queue, named RNG streams, run loop) ◀─ engine ┘  the kernel's event handler
//!                                                                  │
//!        engine ──facts──▶ planner ──asks──▶ providers (registry: oci, aws_fsx, ibm_vpc, huawei_cbr, aws_ebs)
//!        engine ◀─decisions (Start | Wait | Reject | Fail) ─┘
//!                                                                  │
//!        engine ──records──▶ record (typed, as things happen) ──▶ analysis (online observers:
//!            rows streamed to a report::Sink, counters, cost ledger and storage (cost::storage),
//!            RPO samples and drill snapshots, invariant checks)
//!        report (run pipeline, summary.json, drills from snapshots) ─▶ chart (PNG/SVG) ─▶ report.html
//!        the world keeps live state only: closed copies and deleted backups leave it (model::table),
//!        and so do those nothing can change, delete or read again once their rows are written (engine::settle)
//! sweep: a base scenario × a grid of --set overrides × replications, run in parallel (rayon),
//!        gathered in index order ─▶ sweep.csv, points.csv, charts, report.html; shards ─merge─▶ same bytes
//! cli: glue only (run, validate, chart, sweep, merge, compare, advise)
//! ```
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`kernel`] | [`SimTime`](kernel::SimTime)/[`SimDuration`](kernel::SimDuration) (integer ms), the FIFO-on-ties [`EventQueue`](kernel::EventQueue), [`RngStreams`](kernel::RngStreams), the bounded [`Simulation`](kernel::Simulation) loop, which shows its handler the next events queued for the same instant so it can start loading their memory ([`prefetch`](mod@kernel::prefetch): a hint that changes no result). Knows nothing about clouds. |
//! | [`model`] | Plain data: regions, accounts, keys, OCI IAM statements, volumes with their backup chains, copies, links (max-min fair sharing in virtual time), per-provider parameters, typed provider errors ([`ProviderError`](model::ProviderError)). A [`Provider`](model::Provider) is an opaque handle: the model never imports `providers`. |
//! | [`providers`] | One file per cloud behind [`CopyRules`](providers::CopyRules), listed once in the [`registry`](providers::registry): route and request checks, full-or-incremental decisions (and the base an increment builds on), deletion, sharing, ceilings, fast restore, validation specifics, default parameters and prices, state names. Pure functions of the world; each rule test quotes its document sentence. Adding a provider: `docs/extending.md`. |
//! | [`planner`] | Facts in, decisions out: admit → lineage gate → quota gate (FIFO) → decide. Never touches the event queue. |
//! | [`engine`] | The kernel's handler: `handle` only dispatches to small owners — [`transfers`](engine::transfers) (copy data on links), [`outages`](engine::outages), [`deletions`](engine::deletions) (deletions that wait), [`keep`](engine::keep) (what retention deletes), [`restore`](engine::restore) (when a copy becomes a restore point: every copy it builds on complete), [`settle`](engine::settle) (what may leave memory while it still exists) — and to schedules and uploads; a timed action's effect is its definition's ([`scenario::actions`]), carried out through the few engine operations it may ask for; it applies the planner's decisions. |
//! | [`record`] | The typed records the engine emits as things happen ([`Record`](record::Record)), the [`Observer`](record::Observer) trait, and facts defined once ("transfer completed", "queue wait"). |
//! | [`analysis`] | Online observers: `copies.csv`/`backups.csv`/`actions.csv` rows streamed in id order as entities close, the summary's counters, the cost ledger, RPO and drill snapshots (`recovery`), invariant checks. |
//! | [`scenario`] | TOML scenario files: raw serde types with spans, human units, validation into a [`Scenario`](scenario::Scenario) with file:line:column errors; each timed action defined once — fields, validation, description, effect ([`scenario::actions`]); `--set` overrides ([`scenario::overrides`]). |
//! | [`cost`] | The price book (sourced defaults, overrides), online storage accounting over incremental chains, the cost ledger. Integer nano-dollars. |
//! | [`report`] | The run pipeline ([`report::run`] into a [`Sink`](report::Sink): a folder or memory; `--detail full\|summary`), `summary.json`, RPO statistics, disaster drills, `report.html`, the terminal summary. |
//! | [`output`] | Output folders that never put a user's files at risk: checks before the run, a `.copysim-run` marker, an advisory lock, a staging folder swapped in atomically. |
//! | [`chart`] | Five charts drawn from report files alone, PNG and SVG, with an embedded font. |
//! | [`sweep`] | Sweep files and their grid, run seeds (SplitMix64 of the sweep seed and the run index), parallel runs, headline metrics, Student-t intervals, sweep outputs, shards and merge, `compare`, the interval advisor. |
//! | [`import`] | Real inventories in: `aws ec2 describe-volumes`/`describe-snapshots` and `oci bv volume list` JSON into a commented scenario; errors name the JSON path. |
//! | [`cli`] | `copysim run`, `validate`, `chart`, `sweep`, `merge`, `compare`, `advise`; exit code 2 for bad input. |
//!
//! ## Using it as a library
//!
//! ```
//! let scenario = copysim::scenario::quickstart(None);
//! let (_out, report) = copysim::report::in_memory(&scenario, copysim::report::Detail::Full).expect("runs");
//! assert!(report.summary.invariant_violations.is_empty());
//! assert_eq!(report.summary.seed, 42);
//! ```
//!
//! The model's assumptions (bandwidth sharing, backup timing, defaults where the documents give
//! no figure) are in `docs/model.md`; the scenario format in `docs/scenario.md`; every output
//! column in `docs/outputs.md`.
#![warn(missing_docs)]

pub mod analysis;
pub mod chart;
pub mod cli;
pub mod cost;
pub mod engine;
pub mod import;
pub mod kernel;
pub mod model;
pub mod output;
pub mod planner;
pub mod providers;
pub mod record;
pub mod report;
pub mod scenario;
pub mod sweep;
