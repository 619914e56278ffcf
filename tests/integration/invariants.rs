//! Invariants after every run — quotas, source readiness, incremental predecessors, link
//! bandwidth, EBS lineage order — on every scenario file and on random small scenarios.

use copysim::report::invariants;
use proptest::prelude::*;

use crate::support::{run_file, run_scenario, scenario_files};

#[test]
fn every_scenario_file_keeps_every_invariant() {
    for f in scenario_files() {
        let r = run_file(&f);
        assert_eq!(invariants::check(&r.out.world), Vec::<String>::new(), "{f}");
        assert!(r.report.summary.invariant_violations.is_empty());
        for q in &r.report.summary.quotas {
            assert!(q.in_flight_peak <= q.limit, "{f}: {q:?}");
        }
        for l in &r.report.summary.links {
            assert!(l.rate_sum_peak_bytes_per_s <= l.bandwidth_bytes_per_s, "{f}: {l:?}");
        }
    }
}

#[test]
fn the_checker_catches_a_broken_quota() {
    // A checker that cannot fail proves nothing: break a run's record and watch it object.
    let mut r = run_file("fsx-quota-and-deletion.toml");
    for c in r.out.world.copies.iter_mut() {
        if c.started_at.is_some() {
            c.started_at = Some(copysim::kernel::SimTime(1));
            c.finished_at = None;
        }
    }
    let v = invariants::check(&r.out.world);
    assert!(v.iter().any(|m| m.contains("quota")), "{v:?}");
    assert!(v.iter().any(|m| m.contains("before its source")), "{v:?}");
}

#[test]
fn the_plan_checker_catches_a_count_overrun_and_an_early_age_deletion() {
    let mut r = run_file("ibm-retention-weekly-365d-count-8.toml");
    let s = &r.scenario;
    assert!(invariants::check_plans(s, &r.out.world).is_empty());
    for b in r.out.world.backups.iter_mut() {
        b.deletion_requested_at = None; // as if retention never ran
    }
    let v = invariants::check_plans(s, &r.out.world);
    assert!(v.iter().any(|m| m.contains("over its count of 8")), "{v:?}");
    let mut r = run_file("ibm-retention-daily-14d.toml");
    let victim = r.out.world.backups.iter_mut().find(|b| b.deleted_by.is_some()).unwrap();
    victim.deletion_requested_at = Some(victim.created_at);
    let v = invariants::check_plans(&r.scenario, &r.out.world);
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
    #![proptest_config(ProptestConfig { cases: crate::support::cases(64), ..ProptestConfig::default() })]

    #[test]
    fn random_small_scenarios_keep_every_invariant(s in small()) {
        let text = scenario_text(&s);
        let scenario = copysim::scenario::parse(&text, "prop.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let r = run_scenario(scenario);
        let v = &r.report.summary.invariant_violations;
        prop_assert!(v.is_empty(), "{:?}\n{}", v, text);
        let again = run_scenario(copysim::scenario::parse(&text, "prop.toml").unwrap());
        prop_assert!(again.report.files == r.report.files, "not deterministic");
    }
}
