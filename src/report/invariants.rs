//! Invariants checked after every run, from the final world alone (independently of the
//! planner's own counters): quotas never exceeded, no copy before its source is ready, no
//! incremental copy without the predecessor its rule needs, links within their bandwidth,
//! EBS lineages one copy at a time.

use std::collections::BTreeMap;

use crate::kernel::SimTime;
use crate::model::params::QuotaScope;
use crate::model::{Copy, CopyKind, Provider, Reason, World};
use crate::providers::rules;

/// Every broken invariant, described; empty when the run is sound.
pub fn check(w: &World) -> Vec<String> {
    let mut v = Vec::new();
    quotas(w, &mut v);
    sources_ready(w, &mut v);
    predecessors(w, &mut v);
    links(w, &mut v);
    ebs_lineage_serial(w, &mut v);
    v
}

fn started(w: &World) -> impl Iterator<Item = &Copy> {
    w.copies.iter().filter(|c| c.started_at.is_some() && c.kind != Some(CopyKind::Share))
}

fn end_of(c: &Copy) -> SimTime {
    c.finished_at.unwrap_or(SimTime::MAX)
}

/// Max overlap of `[start, end)` intervals; ends sort before starts at the same instant.
fn max_overlap(mut edges: Vec<(SimTime, i32)>) -> i32 {
    edges.sort();
    let (mut cur, mut max) = (0, 0);
    for (_, d) in edges {
        cur += d;
        max = max.max(cur);
    }
    max
}

fn quotas(w: &World, v: &mut Vec<String>) {
    let mut scopes: BTreeMap<(Provider, u16, u16), Vec<(SimTime, i32)>> = BTreeMap::new();
    for c in started(w) {
        let p = w.provider_of(c);
        let region = match w.params(p).quota_scope {
            QuotaScope::None => continue,
            QuotaScope::AccountSourceRegion => c.source_region,
            QuotaScope::AccountDestRegion => c.dest_region,
        };
        let e = scopes.entry((p, c.account.0, region.0)).or_default();
        e.push((c.started_at.expect("started"), 1));
        e.push((end_of(c), -1));
    }
    for ((p, a, r), edges) in scopes {
        let limit = w.accounts[a as usize].copy_concurrency.unwrap_or(w.params(p).copy_concurrency);
        let max = max_overlap(edges);
        if limit > 0 && max > limit as i32 {
            v.push(format!(
                "quota {}:{}/{} exceeded: {max} > {limit}",
                p.name(),
                w.accounts[a as usize].name,
                w.regions[r as usize].name
            ));
        }
    }
}

fn sources_ready(w: &World, v: &mut Vec<String>) {
    for c in started(w) {
        let src = w.backup(c.source);
        let ready = match rules(w.provider_of(c)).source_ready_state() {
            crate::model::BackupState::Stable => src.stable_at,
            _ => src.available_at,
        };
        if ready.is_none_or(|r| r > c.started_at.expect("started")) {
            v.push(format!("copy {} started before its source backup was ready", c.id.0 + 1));
        }
    }
}

fn predecessors(w: &World, v: &mut Vec<String>) {
    for c in started(w) {
        if c.kind != Some(CopyKind::Incremental)
            || c.reason == Reason::SameRegionNoData
            || c.error.is_some() && c.bytes == 0
        {
            continue;
        }
        let t = c.started_at.expect("started");
        let provider = w.provider_of(c);
        let needs_complete = provider != Provider::Oci;
        let ok = w.volume(c.volume).dest(c.dest_region, c.account).is_some_and(|d| {
            d.started.iter().map(|&p| w.copy(p)).any(|p| {
                p.id != c.id
                    && p.started_at.is_some_and(|s| s <= t)
                    && (matches!(provider, Provider::AwsEbs | Provider::AwsFsx) || p.seq < c.seq)
                    && p.deleted_at.is_none_or(|d| d >= t) // deleted at the start instant: after the decision
                    && (!needs_complete || p.finished_at.is_some_and(|f| f <= t) && p.error.is_none())
                    && !(p.error.is_some() && p.finished_at.is_some_and(|f| f < t))
            })
        });
        if !ok {
            v.push(format!(
                "incremental copy {} has no predecessor copy in {}",
                c.id.0 + 1,
                w.region(c.dest_region).name
            ));
        }
    }
}

fn links(w: &World, v: &mut Vec<String>) {
    for l in &w.links {
        if l.rate_sum_peak_bytes_per_s > l.params.bandwidth_bytes_per_s {
            v.push(format!(
                "link {} → {} carried {} B/s over its {} B/s",
                w.region(l.from).name,
                w.region(l.to).name,
                l.rate_sum_peak_bytes_per_s,
                l.params.bandwidth_bytes_per_s
            ));
        }
    }
}

fn ebs_lineage_serial(w: &World, v: &mut Vec<String>) {
    let mut lineages: BTreeMap<(u32, u16, u16), Vec<(SimTime, i32)>> = BTreeMap::new();
    for c in started(w).filter(|c| w.provider_of(c) == Provider::AwsEbs) {
        let e = lineages.entry((c.volume.0, c.dest_region.0, c.account.0)).or_default();
        e.push((c.started_at.expect("started"), 1));
        e.push((end_of(c), -1));
    }
    for ((vol, r, _), edges) in lineages {
        if max_overlap(edges) > 1 {
            v.push(format!(
                "two copies of {} ran at once into {}",
                w.volumes[vol as usize].name, w.regions[r as usize].name
            ));
        }
    }
}

/// Invariants of schedules and plans: retention never deletes by age a backup (or remote copy)
/// younger than the age limit; after a run a volume never holds more of a plan's backups than
/// its count; a plan never backs up a volume twice in one run.
pub fn check_plans(scenario: &crate::scenario::Scenario, w: &World) -> Vec<String> {
    use crate::model::DeletedBy;
    use crate::model::retention::RetentionRule;
    let mut v = Vec::new();
    let mut per_plan_volume: BTreeMap<(u32, u32), Vec<&crate::model::Backup>> = BTreeMap::new();
    for b in &w.backups {
        match (b.deleted_by, b.deletion_requested_at) {
            (Some(DeletedBy::Retention { schedule, rule: RetentionRule::Age }), Some(at)) => {
                let age = scenario.schedules[schedule as usize].retention.and_then(|r| r.max_age);
                if age.is_none_or(|a| at.since(b.created_at) < a) {
                    v.push(format!("backup {} was deleted by age before reaching the age limit", b.id.0 + 1));
                }
            }
            (Some(DeletedBy::RemoteRetention { schedule, rule: RetentionRule::Age }), Some(at)) => {
                let crate::model::Origin::Copy(c) = b.origin else { continue };
                let copy = w.copy(c);
                let s = &scenario.schedules[schedule as usize];
                let age = s
                    .targets
                    .iter()
                    .find(|t| t.region == copy.dest_region && t.account.is_none_or(|a| a == copy.account))
                    .and_then(|t| t.retention)
                    .and_then(|r| r.max_age);
                let born = copy.finished_at.unwrap_or(at);
                if age.is_none_or(|a| at.since(born) < a) {
                    v.push(format!("copy {} was deleted by age before reaching the age limit", c.0 + 1));
                }
            }
            _ => {}
        }
        if let (crate::model::Origin::Source, Some(s)) = (b.origin, b.schedule) {
            per_plan_volume.entry((s, b.volume.0)).or_default().push(b);
        }
    }
    for ((s, vol), backups) in per_plan_volume {
        let mut runs = std::collections::BTreeSet::new();
        for b in &backups {
            if !runs.insert(b.created_at) {
                v.push(format!(
                    "{} backed up {} twice in one run",
                    scenario.schedules[s as usize].name, w.volumes[vol as usize].name
                ));
            }
        }
        let Some(count) = scenario.schedules[s as usize].retention.and_then(|r| r.max_count) else { continue };
        for &t in &runs {
            let held =
                backups.iter().filter(|b| b.created_at <= t && b.deletion_requested_at.is_none_or(|d| d > t)).count();
            if held > count as usize {
                v.push(format!(
                    "after a run of {}, {} held {held} backups over its count of {count}",
                    scenario.schedules[s as usize].name, w.volumes[vol as usize].name
                ));
            }
        }
    }
    v
}
