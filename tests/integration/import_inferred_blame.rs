//! `copysim import` names what made a mistake in the scenario it writes: an interval inferred
//! from snapshots closer than a minute is written as the gap (29 s was rounded to `every = "0m"`
//! and refused as "field `every` of the scenario written from it"), and one still refused is
//! blamed on the snapshots file and the inference; the region past the 256 a scenario may
//! declare is blamed on the volume (or `--copy-to`) that brings it in the inventory's order, not
//! on the volume whose region sorts 257th. Exit 2, nothing written.

use crate::support::{copysim, root, scratch};

fn volumes() -> String {
    root().join("tests/fixtures/import/aws-describe-volumes.json").display().to_string()
}

/// describe-snapshots JSON: three completed snapshots of the fixture's first volume, `gap_ms` apart.
fn snapshots(gap_ms: u64) -> String {
    let snaps: Vec<String> = (0..3)
        .map(|i| {
            let at = jiff::Timestamp::from_millisecond(1_748_736_000_000 + i * gap_ms as i64).unwrap();
            format!(r#"{{"VolumeId": "vol-049df61146c4d7901", "StartTime": "{at}", "State": "completed"}}"#)
        })
        .collect();
    format!(r#"{{"Snapshots": [{}]}}"#, snaps.join(", "))
}

#[test]
fn an_interval_inferred_under_a_minute_is_the_gap_and_blamed_on_the_snapshots() {
    let d = scratch("import_inferred_blame", "interval");
    std::fs::write(d.join("s29.json"), snapshots(29_000)).unwrap();
    let o = copysim(&["import", "aws-ebs", &volumes(), "--snapshots", "s29.json", "--copy-to", "us-west-2"], &d);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        text.contains("every = \"29s\"   # the median gap between 2 pairs of successive snapshots, under a minute"),
        "{text}"
    );
    std::fs::write(d.join("s1ms.json"), snapshots(1)).unwrap();
    let o = copysim(
        &["import", "aws-ebs", &volumes(), "--snapshots", "s1ms.json", "--copy-to", "us-west-2", "--out", "x.toml"],
        &d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: s1ms.json: the interval inferred from its snapshots, every = \"1ms\" (the median gap"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("; or give the interval with --every"), "{err}");
    assert!(!err.contains("of the scenario written from it"), "{err}");
    assert!(!d.join("x.toml").exists());
}

#[test]
fn too_many_regions_is_placed_where_the_inventory_brings_the_first_one_too_many() {
    let d = scratch("import_inferred_blame", "regions");
    let vol = |i: usize| {
        format!(
            r#"{{"AvailabilityZone": "r{i}-x-1a", "Size": 100, "State": "in-use", "VolumeId": "v{i}", "Encrypted": false}}"#
        )
    };
    let doc = |n: usize| format!(r#"{{"Volumes": [{}]}}"#, (0..n).map(vol).collect::<Vec<_>>().join(", "));
    std::fs::write(d.join("300.json"), doc(300)).unwrap();
    let o = copysim(&["import", "aws-ebs", "300.json", "--copy-to", "us-west-2", "--out", "x.toml"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // r256 sorts after r2, r20, r200 …: the scenario's 257th region was volume 6's (`r6-x-1`).
    assert!(
        err.starts_with("error: 300.json: $.Volumes[256].AvailabilityZone (v256): too many regions: \"r256-x-1\" is the 257th region"),
        "{err}"
    );
    std::fs::write(d.join("255.json"), doc(255)).unwrap();
    let o = copysim(&["import", "aws-ebs", "255.json", "--copy-to", "us-west-2,eu-west-1", "--out", "x.toml"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: --copy-to eu-west-1: too many regions"), "{err}");
    let o = copysim(&["import", "aws-ebs", "255.json", "--copy-to", "us-west-2", "--out", "x.toml"], &d);
    assert!(o.status.success(), "256 regions fit: {}", String::from_utf8_lossy(&o.stderr));
}
