//! Invariants after every run — quotas, source readiness, incremental predecessors, link
//! bandwidth, EBS lineage order — on every scenario file and on random small scenarios.

use std::rc::Rc;

use copysim::analysis::catalog::Catalog;
use copysim::analysis::invariants::TransferChecks;
use copysim::analysis::plan_checks::PlanChecks;
use copysim::kernel::SimTime;
use copysim::record::{Observer, Record};
use proptest::prelude::*;

use crate::support::{load, run_file, run_scenario, scenario_files};

#[test]
fn every_scenario_file_keeps_every_invariant() {
    for f in scenario_files() {
        let r = run_file(&f);
        assert!(r.report.summary.invariant_violations.is_empty(), "{f}: {:?}", r.report.summary.invariant_violations);
        for q in &r.report.summary.quotas {
            assert!(q.in_flight_peak <= q.limit, "{f}: {q:?}");
        }
        for l in &r.report.summary.links {
            assert!(l.rate_sum_peak_bytes_per_s <= l.bandwidth_bytes_per_s, "{f}: {l:?}");
        }
    }
}

/// Runs `file` with `checker` fed the records as `lie` rewrites them.
fn lied_to<O: Observer>(file: &str, checker: &mut O, lie: impl Fn(SimTime, &Record<'_>, &mut O)) {
    struct Liar<'a, O, F> {
        checker: &'a mut O,
        lie: F,
    }
    impl<O: Observer, F: Fn(SimTime, &Record<'_>, &mut O)> Observer for Liar<'_, O, F> {
        fn record(&mut self, at: SimTime, r: &Record<'_>) {
            (self.lie)(at, r, self.checker)
        }
    }
    copysim::engine::run_with(&load(file), &mut Liar { checker, lie }).expect("runs");
}

#[test]
fn the_checker_catches_a_broken_quota() {
    // A checker that cannot fail proves nothing: tell it every copy started at t = 1 ms and
    // never ended, and watch it object.
    let s = load("fsx-quota-and-deletion.toml");
    let mut checks = TransferChecks::new(Rc::new(Catalog::new(&s)));
    lied_to("fsx-quota-and-deletion.toml", &mut checks, |at, r, c| match r {
        Record::CopyStarted { .. } => c.record(SimTime(1), r),
        Record::CopyEnded { .. } => {}
        _ => c.record(at, r),
    });
    let v = checks.finish(&s.world);
    assert!(v.iter().any(|m| m.contains("quota")), "{v:?}");
    assert!(v.iter().any(|m| m.contains("before its source")), "{v:?}");
}

#[test]
fn the_plan_checker_catches_a_count_overrun_and_an_early_age_deletion() {
    let weekly = "ibm-retention-weekly-365d-count-8.toml";
    let mut honest = PlanChecks::new(&load(weekly));
    lied_to(weekly, &mut honest, |at, r, c| c.record(at, r));
    assert!(honest.finish().is_empty());
    let mut checks = PlanChecks::new(&load(weekly));
    lied_to(weekly, &mut checks, |at, r, c| match r {
        Record::BackupClosed { backup } if backup.deleted_by.is_some() => {} // as if retention never ran
        _ => c.record(at, r),
    });
    let v = checks.finish();
    assert!(v.iter().any(|m| m.contains("over its count of 8")), "{v:?}");
    let daily = "ibm-retention-daily-14d.toml";
    let mut checks = PlanChecks::new(&load(daily));
    lied_to(daily, &mut checks, |at, r, c| match r {
        Record::BackupClosed { backup } if backup.deleted_by.is_some() => {
            let mut early = (*backup).clone();
            early.deletion_requested_at = early.created_at.into();
            c.record(at, &Record::BackupClosed { backup: &early })
        }
        _ => c.record(at, r),
    });
    let v = checks.finish();
    assert!(v.iter().any(|m| m.contains("before reaching the age limit")), "{v:?}");
}

#[derive(Debug, Clone)]
struct Small {
    provider: &'static str,
    volumes: u32,
    size_gb: u64,
    change_pct: u32,
    every_min: u64,
    concurrency: u32,
    bandwidth_mbps: u64,
    horizon_h: u64,
    events: Vec<(u64, u8, u32, u32)>,
    seed: u64,
    /// `(cron minutes step, retention_count, retention_days, remote count)` to use a policy plan instead of a schedule.
    plan: Option<(u64, u32, u32, u32)>,
}

fn small() -> impl Strategy<Value = Small> {
    (
        prop::sample::select(vec!["oci", "aws_fsx", "ibm_vpc", "aws_ebs"]),
        1u32..7,
        1u64..400,
        0u32..30,
        10u64..400,
        1u32..6,
        50u64..5000,
        6u64..60,
        prop::collection::vec((0u64..3600, 0u8..6, 0u32..7, 1u32..6), 0..8),
        any::<u64>(),
        prop::option::of((5u64..60, 1u32..6, 1u32..3, 1u32..4)),
    )
        .prop_map(
            |(
                provider,
                volumes,
                size_gb,
                change_pct,
                every_min,
                concurrency,
                bandwidth_mbps,
                horizon_h,
                events,
                seed,
                plan,
            )| Small {
                provider,
                volumes,
                size_gb,
                change_pct,
                every_min,
                concurrency,
                bandwidth_mbps,
                horizon_h,
                events,
                seed,
                plan,
            },
        )
}

fn scenario_text(s: &Small) -> String {
    let mut t = format!(
        "name = \"prop\"\nseed = {}\nstart = \"2026-01-01T00:00:00Z\"\nhorizon = \"{}h\"\n[faults]\ncopy_failure_probability = \"5%\"\n[providers.{}]\ncopy_concurrency = {}\n",
        s.seed, s.horizon_h, s.provider, s.concurrency
    );
    for r in ["r0", "r1", "r2"] {
        t += &format!("[[regions]]\nname = \"{r}\"\nprovider = \"{}\"\n", s.provider);
    }
    t += &format!(
        "[[links]]\nfrom = \"r0\"\nto = \"r1\"\nbandwidth = \"{}Mbps\"\nlatency = \"50ms\"\n",
        s.bandwidth_mbps
    );
    t += "[[accounts]]\nname = \"a\"\n";
    t += &format!(
        "[[fleets]]\nname = \"v\"\ncount = {}\naccount = \"a\"\nregion = \"r0\"\nsize = \"1GB\"\nsize_max = \"{}GB\"\ndaily_change = \"{}%\"\nkind = \"block\"\n",
        s.volumes, s.size_gb, s.change_pct
    );
    match s.plan {
        None => {
            t += &format!(
                "[[schedules]]\nname = \"s\"\nvolumes = [\"v\"]\nevery = \"{}m\"\ncopy_to = [{{ region = \"r1\" }}, {{ region = \"r2\" }}]\n",
                s.every_min
            )
        }
        Some((step, count, days, remote)) => {
            t = t.replacen("kind = \"block\"", "kind = \"block\"\ntags = [\"t\"]", 1);
            t += &format!(
                "[[policies]]\nname = \"p\"\naccount = \"a\"\nregion = \"r0\"\ntags = [\"t\"]\n[[policies.plans]]\nname = \"x\"\ncron = \"*/{step} * * * *\"\nretention_count = {count}\nretention_days = {days}\ncopy_to = [{{ region = \"r1\", retention_count = {remote} }}, {{ region = \"r2\", retention_days = 1 }}]\n"
            );
        }
    }
    for (i, &(at_min, kind, vol, seq)) in s.events.iter().enumerate() {
        let at = at_min.min(s.horizon_h * 60);
        let v = format!("v-{:04}", vol % s.volumes + 1);
        let body = match kind {
            0 => format!("action = \"copy\"\nvolume = \"{v}\"\nseq = {seq}\nto = \"r{}\"", 1 + i % 2),
            1 => format!("action = \"delete_copy\"\nvolume = \"{v}\"\nseq = {seq}\nregion = \"r1\""),
            2 => format!("action = \"delete_backup\"\nvolume = \"{v}\"\nseq = {seq}"),
            3 => format!("action = \"region_outage\"\nregion = \"r{}\"\nduration = \"{}m\"", i % 3, 10 + seq * 20),
            4 => format!("action = \"fail_copy\"\nvolume = \"{v}\""),
            _ => format!("action = \"resize\"\nvolume = \"{v}\"\nsize = \"{}GB\"", s.size_gb + u64::from(seq)),
        };
        t += &format!("[[events]]\nat = \"{at}m\"\n{body}\n");
    }
    t
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn random_small_scenarios_keep_every_invariant(s in small()) {
        let text = scenario_text(&s);
        let scenario = copysim::scenario::parse(&text, "prop.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let r = run_scenario(scenario);
        let v = &r.report.summary.invariant_violations;
        prop_assert!(v.is_empty(), "{:?}\n{}", v, text);
        // Again, keeping every backup and copy to the horizon: settling them early (and any
        // other run of the same scenario) must not change a byte.
        let mut kept = copysim::scenario::parse(&text, "prop.toml").unwrap();
        kept.keep_settled = true;
        let again = run_scenario(kept);
        for ((name, a), (_, b)) in r.report.files.iter().zip(&again.report.files) {
            prop_assert!(a == b, "{} differs when nothing settles (or the run is not deterministic)\n{}", name, text);
        }
        prop_assert_eq!(r.report.files.len(), again.report.files.len());
    }
}
