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
    /// The fleet's backups are encrypted with key `k0` (its copies with `k1` and `k2`).
    encrypted: bool,
    /// Capacity in GB of recipient `b`'s vault in `r0` (recipient `c`'s is in `r1`).
    vault_gb: u64,
}

fn small() -> impl Strategy<Value = Small> {
    (
        (
            prop::sample::select(vec!["oci", "aws_fsx", "ibm_vpc", "aws_ebs", "huawei_cbr"]),
            1u32..7,
            1u64..400,
            0u32..30,
            10u64..400,
            1u32..6,
            50u64..5000,
            6u64..60,
            prop::collection::vec((0u64..3600, 0u8..EVENT_KINDS, 0u32..7, 1u32..6), 0..12),
            any::<u64>(),
            prop::option::of((5u64..60, 1u32..6, 1u32..3, 1u32..4)),
        ),
        (any::<bool>(), 1u64..800),
    )
        .prop_map(
            |(
                (
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
                ),
                (encrypted, vault_gb),
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
                encrypted,
                vault_gb,
            },
        )
}

/// Timed action kinds the generator picks from (see `scenario_text`).
const EVENT_KINDS: u8 = 12;

fn scenario_text(s: &Small) -> String {
    // Huawei makes no copies a quota could hold: a `copy_concurrency` for it is refused.
    let quota = if s.provider == "huawei_cbr" { 0 } else { s.concurrency };
    let mut t = format!(
        "name = \"prop\"\nseed = {}\nstart = \"2026-01-01T00:00:00Z\"\nhorizon = \"{}h\"\n[faults]\ncopy_failure_probability = \"5%\"\n[providers.{}]\ncopy_concurrency = {}\n",
        s.seed, s.horizon_h, s.provider, quota
    );
    for r in ["r0", "r1", "r2"] {
        t += &format!("[[regions]]\nname = \"{r}\"\nprovider = \"{}\"\n", s.provider);
    }
    t += &format!(
        "[[links]]\nfrom = \"r0\"\nto = \"r1\"\nbandwidth = \"{}Mbps\"\nlatency = \"50ms\"\n",
        s.bandwidth_mbps
    );
    t += "[[accounts]]\nname = \"a\"\n";
    // Recipients of shares, restores and key grants: `b` has a vault in the volumes' region (of a
    // random size, so that an accepted share may not fit), `c` one in another region (a Huawei
    // share never crosses regions), `d` none.
    // (Vaults hold Huawei shares; other providers' regions have none.)
    if s.provider == "huawei_cbr" {
        t += &format!(
            "[[accounts]]\nname = \"b\"\nvaults = [{{ name = \"vb\", region = \"r0\", capacity = \"{}GB\" }}]\n",
            s.vault_gb
        );
        t += "[[accounts]]\nname = \"c\"\nvaults = [{ name = \"vc\", region = \"r1\", capacity = \"1TB\" }]\n";
    } else {
        t += "[[accounts]]\nname = \"b\"\n\n[[accounts]]\nname = \"c\"\n";
    }
    t += "[[accounts]]\nname = \"d\"\n";
    for (k, r) in [("k0", "r0"), ("k1", "r1"), ("k2", "r2")] {
        t += &format!("[[keys]]\nname = \"{k}\"\naccount = \"a\"\nregion = \"{r}\"\n");
    }
    t += &format!(
        "[[fleets]]\nname = \"v\"\ncount = {}\naccount = \"a\"\nregion = \"r0\"\nsize = \"1GB\"\nsize_max = \"{}GB\"\ndaily_change = \"{}%\"\nkind = \"block\"\n",
        s.volumes, s.size_gb, s.change_pct
    );
    if s.encrypted {
        t += "key = \"k0\"\n";
    }
    // Huawei CBR shares and never copies: a copy target there is a validation error. An
    // encrypted volume's copies name a key in their destination (IBM requires one for a
    // customer-managed key; OCI vault keys live in the destination region).
    let huawei = s.provider == "huawei_cbr";
    let key = |k: &str| if s.encrypted { format!(", key = \"{k}\"") } else { String::new() };
    match s.plan {
        None => {
            t += &format!("[[schedules]]\nname = \"s\"\nvolumes = [\"v\"]\nevery = \"{}m\"\n", s.every_min);
            if !huawei {
                t += &format!("copy_to = [{{ region = \"r1\"{} }}, {{ region = \"r2\"{} }}]\n", key("k1"), key("k2"));
            }
        }
        Some((step, count, days, remote)) => {
            t = t.replacen("kind = \"block\"", "kind = \"block\"\ntags = [\"t\"]", 1);
            t += &format!(
                "[[policies]]\nname = \"p\"\naccount = \"a\"\nregion = \"r0\"\ntags = [\"t\"]\n[[policies.plans]]\nname = \"x\"\ncron = \"*/{step} * * * *\"\nretention_count = {count}\nretention_days = {days}\n"
            );
            if !huawei {
                t += &format!(
                    "copy_to = [{{ region = \"r1\", retention_count = {remote}{} }}, {{ region = \"r2\", retention_days = 1{} }}]\n",
                    key("k1"),
                    key("k2")
                );
            }
        }
    }
    let horizon_min = s.horizon_h * 60;
    // The last share (its minute, volume, seq, recipient): an accept, reject or restore often
    // follows it, so that shares are taken up and not only left pending.
    let mut last_share: Option<(u64, String, u32, &str)> = None;
    // Events that follow this one (in file order, which decides among equal instants).
    let mut then: Vec<(u64, String)> = Vec::new();
    for (i, &(at_min, kind, vol, seq)) in s.events.iter().enumerate() {
        let mut at = at_min.min(horizon_min);
        let v = format!("v-{:04}", vol % s.volumes + 1);
        let recipient = ["b", "c", "d"][i % 3];
        // A follow-up of the last share: its backup and recipient, a little later.
        let follow = match &last_share {
            Some((share_at, sv, sseq, sacct)) if vol % 3 != 0 && (7..=9).contains(&kind) => {
                at = (share_at + at_min % 120).min(horizon_min);
                Some((sv.clone(), *sseq, *sacct))
            }
            _ => None,
        };
        let body = match kind {
            0 => format!("action = \"copy\"\nvolume = \"{v}\"\nseq = {seq}\nto = \"r{}\"", 1 + i % 2),
            1 => format!("action = \"delete_copy\"\nvolume = \"{v}\"\nseq = {seq}\nregion = \"r1\""),
            2 => format!("action = \"delete_backup\"\nvolume = \"{v}\"\nseq = {seq}"),
            3 => format!("action = \"region_outage\"\nregion = \"r{}\"\nduration = \"{}m\"", i % 3, 10 + seq * 20),
            4 => format!("action = \"fail_copy\"\nvolume = \"{v}\""),
            5 => format!("action = \"resize\"\nvolume = \"{v}\"\nsize = \"{}GB\"", s.size_gb + u64::from(seq)),
            // Sharing is Huawei's and EBS's: elsewhere a share is a file mistake, so none is
            // written (an on-demand backup instead).
            6 if s.provider != "huawei_cbr" && s.provider != "aws_ebs" => {
                format!("action = \"backup\"\nvolume = \"{v}\"")
            }
            6 => {
                // With a project (`c`'s share across regions), or public (EBS only); soon after
                // the backup is taken (retention may delete it by the next one).
                let step = s.plan.map_or(s.every_min, |p| p.0);
                let seq = if u64::from(seq + 1) * step <= horizon_min { seq } else { 1 };
                at = (u64::from(seq) * step + 1 + at_min % step).min(horizon_min);
                let mut b = format!("action = \"share\"\nvolume = \"{v}\"\nseq = {seq}\n");
                let to = match (seq as usize + i) % 4 {
                    3 if i % 2 == 0 && s.provider == "aws_ebs" => {
                        b += "public = true";
                        "d"
                    }
                    n => {
                        let a = ["b", "b", "c", "d"][n];
                        b += &format!("account = \"{a}\"");
                        if a == "c" && i % 2 == 0 {
                            b += "\nregion = \"r1\"";
                        }
                        a
                    }
                };
                last_share = Some((at, v.clone(), seq, to));
                // Most shares are answered a little later: a key grant first (an encrypted
                // backup needs one), then an accept (a project without a vault rejects
                // instead), a reject, or an accept and a restore from the accepted backup.
                // Events at one instant run in file order, so these follow the share.
                let later = (at + 1 + at_min % 90).min(horizon_min);
                let answer = |action: &str| {
                    // An accept names a vault, and only Huawei regions have vaults.
                    let action = if action == "accept" && s.provider != "huawei_cbr" { "reject" } else { action };
                    let mut e = format!("action = \"{action}\"\nvolume = \"{v}\"\nseq = {seq}\naccount = \"{to}\"");
                    if action == "accept" {
                        e += &format!("\nvault = \"v{to}\"");
                    }
                    (later, e)
                };
                if s.encrypted && at_min % 8 < 4 {
                    then.push((later, format!("action = \"grant_key\"\nkey = \"k0\"\naccount = \"{to}\"")));
                }
                match (at_min % 4, to) {
                    (0, _) => {}
                    (1 | 3, "d") | (2, _) => then.push(answer("reject")),
                    (1, _) => then.push(answer("accept")),
                    _ => {
                        then.push(answer("accept"));
                        then.push(answer("restore"));
                    }
                }
                // Sometimes the sharer deletes the backup afterwards (its shares go with it) and
                // the recipient tries to restore from it again.
                if at_min % 16 >= 12 {
                    let gone = (later + at_min % 60).min(horizon_min);
                    then.push((gone, format!("action = \"delete_backup\"\nvolume = \"{v}\"\nseq = {seq}")));
                    let (_, again) = answer("restore");
                    then.push(((gone + 1).min(horizon_min), again));
                }
                b
            }
            7 => {
                let (v, seq, a) = follow.unwrap_or((v, seq, ["b", "c"][i % 2]));
                let vault = if a == "c" { "vc" } else { "vb" };
                let a = if a == "d" { "b" } else { a };
                if s.provider == "huawei_cbr" {
                    format!(
                        "action = \"accept\"\nvolume = \"{v}\"\nseq = {seq}\naccount = \"{a}\"\nvault = \"{vault}\""
                    )
                } else {
                    format!("action = \"reject\"\nvolume = \"{v}\"\nseq = {seq}\naccount = \"{a}\"")
                }
            }
            8 => {
                let (v, seq, a) = follow.unwrap_or((v, seq, recipient));
                format!("action = \"reject\"\nvolume = \"{v}\"\nseq = {seq}\naccount = \"{a}\"")
            }
            9 => {
                let mut b = match follow {
                    Some((v, seq, a)) => {
                        format!("action = \"restore\"\nvolume = \"{v}\"\nseq = {seq}\naccount = \"{a}\"")
                    }
                    None => {
                        let mut b = format!("action = \"restore\"\nvolume = \"{v}\"\nseq = {seq}");
                        if i % 4 != 0 {
                            b += &format!("\naccount = \"{}\"", ["a", "b", "c", "d"][i % 4]);
                        }
                        b
                    }
                };
                if seq % 4 != 0 {
                    b += &format!("\nregion = \"r{}\"", seq % 4 - 1);
                }
                b
            }
            10 => {
                let key = ["k0", "k1", "k2", "none"][(i + seq as usize) % 4];
                let mut b = format!("action = \"change_key\"\nvolume = \"{v}\"\nkey = \"{key}\"");
                if seq % 3 != 0 {
                    b += &format!("\nto = \"r{}\"", seq % 3);
                }
                b
            }
            _ => format!("action = \"grant_key\"\nkey = \"k{}\"\naccount = \"{recipient}\"", seq % 3),
        };
        t += &format!("[[events]]\nat = \"{at}m\"\n{body}\n");
        for (at, body) in then.drain(..) {
            t += &format!("[[events]]\nat = \"{at}m\"\n{body}\n");
        }
    }
    t
}

/// Runs `s`'s scenario, which must validate, and checks every invariant; then runs it again
/// keeping every backup and copy to the horizon, which must not change a byte.
fn keeps_every_invariant(s: &Small) -> Result<(), TestCaseError> {
    let text = scenario_text(s);
    // A generated scenario that does not validate is a failure, never a pass.
    let scenario =
        copysim::scenario::parse(&text, "prop.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let r = run_scenario(scenario);
    let v = &r.report.summary.invariant_violations;
    prop_assert!(v.is_empty(), "{:?}\n{}", v, text);
    // Again, keeping every backup and copy to the horizon and hinting the CPU ahead: settling
    // early, hints (and any other run of the same scenario) must not change a byte.
    let mut kept = copysim::scenario::parse(&text, "prop.toml").unwrap();
    kept.keep_settled = true;
    kept.hints = Some(true); // and loading memory ahead, which must change nothing either
    let again = run_scenario(kept);
    for ((name, a), (_, b)) in r.report.files.iter().zip(&again.report.files) {
        prop_assert!(a == b, "{} differs when nothing settles (or the run is not deterministic)\n{}", name, text);
    }
    prop_assert_eq!(r.report.files.len(), again.report.files.len());
    // Again, measured over a window that is the whole run: every statistic (counts, peaks,
    // what plans keep, costs) must read as without a window, and every row be the same.
    let mut whole = copysim::scenario::parse(&text, "prop.toml").unwrap();
    whole.report.window = Some((copysim::kernel::SimTime::ZERO, copysim::kernel::SimTime::ZERO + whole.horizon));
    let windowed = run_scenario(whole);
    let mut summary = windowed.report.summary.clone();
    prop_assert!(summary.window.is_some());
    summary.window = None;
    prop_assert!(
        summary == r.report.summary,
        "a whole-run window changes the summary\n{:#?}\n{:#?}\n{}",
        summary,
        r.report.summary,
        text
    );
    for ((name, a), (_, b)) in r.report.files.iter().zip(&windowed.report.files) {
        if name != "summary.json" && name != "report.html" {
            prop_assert!(a == b, "{} differs with a whole-run window\n{}", name, text);
        }
    }
    Ok(())
}

/// The cases `tests/proptest-regressions/invariants.txt` saved before the generator picked
/// Huawei and sharing, restore and key actions: their seeds now draw other cases, so they are
/// kept here as written (unencrypted, recipient vault of 100 GB).
#[test]
fn random_small_regressions_from_the_narrower_generator_still_hold() {
    type Case = (
        &'static str,
        u32,
        u64,
        u32,
        u64,
        u32,
        u64,
        u64,
        &'static [(u64, u8, u32, u32)],
        u64,
        Option<(u64, u32, u32, u32)>,
    );
    let cases: &[Case] = &[
        ("aws_fsx", 1, 1, 0, 10, 1, 50, 6, &[(2, 0, 0, 1)], 845920765436499045, None),
        ("oci", 1, 1, 0, 10, 1, 50, 6, &[], 0, Some((5, 1, 1, 1))),
        (
            "oci",
            4,
            143,
            0,
            19,
            3,
            65,
            23,
            &[(567, 0, 0, 1), (9, 0, 0, 1), (294, 1, 0, 2), (312, 2, 3, 1), (477, 1, 0, 2), (444, 3, 0, 4)],
            16195168267448594296,
            None,
        ),
        (
            "oci",
            1,
            164,
            1,
            10,
            1,
            580,
            6,
            &[(121, 0, 0, 5), (0, 0, 0, 1), (61, 3, 0, 3)],
            3606262274479594525,
            Some((30, 5, 1, 1)),
        ),
        ("aws_fsx", 2, 211, 1, 225, 1, 76, 16, &[(677, 1, 1, 4)], 4952448187071336, None),
        ("oci", 3, 33, 1, 10, 1, 50, 39, &[(42, 0, 0, 1), (102, 2, 1, 5), (173, 0, 4, 5)], 12114261307521017240, None),
    ];
    for &(
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
    ) in cases
    {
        let s = Small {
            provider,
            volumes,
            size_gb,
            change_pct,
            every_min,
            concurrency,
            bandwidth_mbps,
            horizon_h,
            events: events.to_vec(),
            seed,
            plan,
            encrypted: false,
            vault_gb: 100,
        };
        if let Err(e) = keeps_every_invariant(&s) {
            panic!("{s:?}: {e}");
        }
    }
}

proptest! {
    #![proptest_config(crate::support::proptest_config(64))]

    #[test]
    fn random_small_scenarios_keep_every_invariant(s in small()) {
        keeps_every_invariant(&s)?;
    }
}

/// Extremes a user may type are the model's, not a copysim bug: a link slower than its
/// transfers in bytes per second (each moves at least 1 B/s, docs/model.md "Links and
/// bandwidth") and a quota past `i32::MAX`.
#[test]
fn a_one_byte_per_second_link_and_a_huge_quota_keep_every_invariant() {
    let base = std::fs::read_to_string(crate::support::root().join("scenarios/ebs-lineage-and-keys.toml")).unwrap();
    assert!(base.contains("bandwidth = "));
    let slow = base.replacen("bandwidth = ", "bandwidth = \"1B/s\" # ", 1);
    let huge = format!("{base}\n[providers.aws_ebs]\ncopy_concurrency = 4294967295\n");
    for (label, text) in [("1 B/s link", slow), ("quota 2^32 - 1", huge)] {
        let r = crate::support::run_text(&text);
        assert!(
            r.report.summary.invariant_violations.is_empty(),
            "{label}: {:?}",
            r.report.summary.invariant_violations
        );
    }
}
