//! Planner tests: facts in, decisions out, no kernel.

use super::*;
use crate::kernel::SimTime;
use crate::model::Trigger;
use crate::providers::testkit::Kit;

/// Applies decisions the way the engine does, minus transfers.
fn drain(p: &mut Planner, k: &mut Kit) -> Vec<Decision> {
    let mut out = vec![];
    while let Some(d) = p.poll(&k.w) {
        if let Decision::Start { copy, kind, reason, bytes, .. } = &d {
            k.w.start_copy(*copy, *kind, *reason, *bytes, SimTime(k.now));
        }
        out.push(d);
    }
    out
}

fn starts(ds: &[Decision]) -> Vec<CopyId> {
    ds.iter().filter_map(|d| if let Decision::Start { copy, .. } = d { Some(*copy) } else { None }).collect()
}

#[test]
fn ebs_quota_queues_the_21st_copy_fifo_and_records_throttling() {
    // "Each account can have up to twenty concurrent snapshot copy requests to a single destination Region."
    let mut k = Kit::new(crate::providers::AWS_EBS);
    let mut p = Planner::new();
    let mut copies = vec![];
    for _ in 0..22 {
        // distinct volumes so the lineage gate does not serialize them
        let v = k.w.add_volume(&format!("v{}", copies.len()), k.acct, k.src, crate::model::VolumeKind::Block, 10, 0);
        let b = k.w.take_backup(v, SimTime(0));
        k.w.backups[b.index()].state = crate::model::BackupState::Available;
        let c = k.request(b, k.dst, Trigger::Schedule);
        p.submit(c);
        copies.push(c);
    }
    let ds = drain(&mut p, &mut k);
    assert_eq!(starts(&ds).len(), 20);
    assert!(matches!(ds[20], Decision::Wait { behind: Behind::Quota(_), throttled: true, .. }));
    k.w.end_copy(copies[3], SimTime(1), None, true, None);
    p.release(copies[3]);
    assert_eq!(starts(&drain(&mut p, &mut k)), vec![copies[20]], "first come, first served");
    assert_eq!(p.gates().quotas()[0].in_flight_peak, 20);
}

#[test]
fn ebs_pending_copy_of_the_lineage_holds_back_the_next() {
    // "If a copy is still pending when you start a another copy, the second copy starts only after the first copy finishes."
    let mut k = Kit::new(crate::providers::AWS_EBS);
    let mut p = Planner::new();
    let bs = k.backups(2);
    let c1 = k.request(bs[0], k.dst, Trigger::Manual);
    let c2 = k.request(bs[1], k.dst, Trigger::Manual);
    p.submit(c1);
    p.submit(c2);
    let ds = drain(&mut p, &mut k);
    assert_eq!(starts(&ds), vec![c1]);
    assert_eq!(ds[1], Decision::Wait { copy: c2, behind: Behind::Lineage(c1), throttled: false });
    k.w.end_copy(c1, SimTime(5), None, true, None);
    p.release(c1);
    let ds = drain(&mut p, &mut k);
    assert_eq!(starts(&ds), vec![c2]);
    assert!(matches!(ds[0], Decision::Start { kind: CopyKind::Incremental, .. }));
}

#[test]
fn ebs_a_copy_pending_behind_its_lineage_counts_against_the_twenty() {
    // "Each account can have up to twenty concurrent snapshot copy requests to a single
    // destination Region." / "If a copy is still pending when you start a another copy, the
    // second copy starts only after the first copy finishes": the second is a pending request,
    // one of the twenty. Twenty copies of one volume take the twenty slots (one moving, nineteen
    // pending behind it); another volume's copy is then answered ResourceLimitExceeded. A
    // waiting copy once held no slot, and one volume had any number of requests pending.
    let mut k = Kit::new(crate::providers::AWS_EBS);
    let mut p = Planner::new();
    let bs = k.backups(20);
    let lineage: Vec<CopyId> = bs.iter().map(|&b| k.request(b, k.dst, Trigger::Schedule)).collect();
    let other_volume = k.w.add_volume("other", k.acct, k.src, crate::model::VolumeKind::Block, 10, 0);
    let b = k.w.take_backup(other_volume, SimTime(0));
    k.w.backups[b.index()].state = crate::model::BackupState::Available;
    let other = k.request(b, k.dst, Trigger::Schedule);
    for &c in lineage.iter().chain([&other]) {
        p.submit(c);
    }
    let ds = drain(&mut p, &mut k);
    assert_eq!(starts(&ds), vec![lineage[0]]);
    assert!(ds[1..20].iter().all(|d| matches!(d, Decision::Wait { behind: Behind::Lineage(_), throttled: false, .. })));
    assert_eq!(ds[20], Decision::Wait { copy: other, behind: Behind::Quota(0), throttled: true });
    assert_eq!(p.gates().quotas()[0].in_flight, 20, "one moving, nineteen pending");
    // The first finishes: the next of its lineage starts on the slot it holds, and the slot
    // freed goes to the other volume's copy, retried.
    k.w.end_copy(lineage[0], SimTime(1), None, true, None);
    p.release(lineage[0]);
    assert_eq!(starts(&drain(&mut p, &mut k)), vec![lineage[1], other]);
    assert_eq!(p.gates().quotas()[0].in_flight_peak, 20);
}

#[test]
fn oci_quota_counts_per_source_region_not_destination() {
    // "you can copy up to ten concurrent backups per tenancy at a time from a specific source region."
    let mut k = Kit::new(crate::providers::OCI);
    let mut p = Planner::new();
    for i in 0..12 {
        let v = k.w.add_volume(&format!("v{i}"), k.acct, k.src, crate::model::VolumeKind::Block, 10, 0);
        let b = k.w.take_backup(v, SimTime(0));
        k.w.backups[b.index()].state = crate::model::BackupState::Available;
        let dest = if i % 2 == 0 { k.dst } else { k.dst2 };
        p.submit(k.request(b, dest, Trigger::Schedule));
    }
    let ds = drain(&mut p, &mut k);
    assert_eq!(starts(&ds).len(), 10);
}

#[test]
fn rejection_names_the_provider_error() {
    let mut k = Kit::new(crate::providers::IBM_VPC);
    let mut p = Planner::new();
    let b = k.backup();
    let c = k.request(b, k.src, Trigger::Manual);
    p.submit(c);
    match p.poll(&k.w) {
        Some(Decision::Reject { error, .. }) => assert_eq!(error.code, "snapshot_copy_source_region"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn outage_holds_copies_until_the_region_is_back() {
    let mut k = Kit::new(crate::providers::AWS_EBS);
    let mut p = Planner::new();
    let b = k.backup();
    k.w.region_down[k.dst.index()] = true;
    let c = k.request(b, k.dst, Trigger::Schedule);
    p.submit(c);
    assert!(matches!(p.poll(&k.w), Some(Decision::Wait { behind: Behind::Outage(_), .. })));
    assert!(p.poll(&k.w).is_none());
    k.w.region_down[k.dst.index()] = false;
    p.region_up(k.dst);
    assert!(matches!(p.poll(&k.w), Some(Decision::Start { .. })));
}

#[test]
fn unlimited_when_the_provider_documents_no_quota() {
    let mut k = Kit::new(crate::providers::IBM_VPC);
    let mut p = Planner::new();
    for i in 0..50 {
        let v = k.w.add_volume(&format!("v{i}"), k.acct, k.src, crate::model::VolumeKind::Block, 10, 0);
        let b = k.w.take_backup(v, SimTime(0));
        k.w.backups[b.index()].state = crate::model::BackupState::Stable;
        p.submit(k.request(b, k.dst, Trigger::Schedule));
    }
    assert_eq!(starts(&drain(&mut p, &mut k)).len(), 50);
}

#[test]
fn oci_scheduled_copies_in_sequential_order_when_a_region_comes_back() {
    // OCI: "scheduled volume backups are always copied in sequential order". With one slot,
    // copy 1 of seq 1 queues for the slot; the destination goes down; copy 2 of seq 2 meets the
    // outage at admission; copy 1 then gets the slot, meets the outage and waits after copy 2.
    // When the region is back, copy 1 (requested first) must start first.
    let mut k = Kit::new(crate::providers::OCI);
    k.w.accounts[k.acct.index()].copy_concurrency = Some(1);
    let mut p = Planner::new();
    let bs = k.backups(3);
    let (dst, dst2) = (k.dst, k.dst2);
    let other = k.request(bs[0], dst2, Trigger::Schedule);
    let c1 = k.request(bs[1], dst, Trigger::Schedule);
    p.submit(other);
    p.submit(c1);
    assert_eq!(starts(&drain(&mut p, &mut k)), vec![other]);
    k.w.region_down[dst.index()] = true;
    let c2 = k.request(bs[2], dst, Trigger::Schedule);
    p.submit(c2);
    assert!(matches!(drain(&mut p, &mut k)[..], [Decision::Wait { behind: Behind::Outage(_), .. }]));
    k.w.end_copy(other, SimTime(k.now), None, true, None);
    p.release(other);
    assert!(matches!(drain(&mut p, &mut k)[..], [Decision::Wait { behind: Behind::Outage(_), .. }]));
    k.w.region_down[dst.index()] = false;
    p.region_up(dst);
    assert_eq!(starts(&drain(&mut p, &mut k)), vec![c1], "the earlier request goes first");
}
