//! `copysim import`: real inventories (the clouds' own JSON field names) become scenarios that
//! validate and run; unexpected JSON is an error naming its JSON path, exit 2.

use crate::support::copysim;

fn fixture(name: &str) -> String {
    crate::support::root().join("tests/fixtures/import").join(name).display().to_string()
}

fn tmp(name: &str) -> std::path::PathBuf {
    crate::support::scratch("import", name)
}

#[test]
fn aws_ebs_inventory_with_snapshots_becomes_a_scenario_that_runs() {
    let d = tmp("ebs");
    let (v, s) = (fixture("aws-describe-volumes.json"), fixture("aws-describe-snapshots.json"));
    let o = copysim(&["import", "aws-ebs", &v, "--snapshots", &s, "--copy-to", "us-west-2", "--out", "s.toml"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(d.join("s.toml")).unwrap();
    // Size in GiB (`Size: 500`), tags and zone kept, the deleting volume left out, the key from KmsKeyId.
    assert!(text.contains("size = \"500GiB\"") && text.contains("size = \"2048GiB\""), "{text}");
    assert!(text.contains("tags = [\"Name:orders-db\", \"env:prod\", \"az:us-east-1a\"]"), "{text}");
    assert!(text.contains("vol-0deadbeef0000001 is being deleted: left out"), "{text}");
    assert!(text.contains("key = \"kms-1234abcd\"") && text.contains("name = \"111122223333\""), "{text}");
    // Snapshots every 4 h; FullSnapshotSizeInBytes grows 5 GiB a day on 500 GiB: 1 %.
    assert!(text.contains("every = \"4h\"   # the median gap"), "{text}");
    assert!(text.contains("daily_change = \"1.00%\""), "{text}");
    let o = copysim(&["run", "s.toml", "--out", "out", "-q"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn oci_volume_list_becomes_a_scenario_that_runs() {
    let d = tmp("oci");
    let o = copysim(
        &["import", "oci", &fixture("oci-volume-list.json"), "--copy-to", "eu-frankfurt-1", "--every", "6h"],
        &d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    // `lhr` in the OCID is London; size-in-gbs; freeform and defined tags; the terminated volume left out.
    assert!(text.contains("name = \"uk-london-1\"") && text.contains("size = \"1024GiB\""), "{text}");
    assert!(text.contains("\"backup:daily\", \"Operations.CostCenter:42\""), "{text}");
    assert!(text.contains("is terminated: left out"), "{text}");
    std::fs::write(d.join("s.toml"), &text).unwrap();
    assert!(copysim(&["run", "s.toml", "--out", "out", "-q"], &d).status.success());
}

#[test]
fn unexpected_json_is_an_error_naming_its_json_path() {
    let d = tmp("bad");
    let cases = [
        (
            "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Size\": \"big\", \"AvailabilityZone\": \"us-east-1a\"}]}",
            "$.Volumes[0].Size: expected a whole number, found a string",
        ),
        (
            "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Size\": 8}]}",
            "$.Volumes[0]: expected a field `AvailabilityZone`",
        ),
        (
            "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Size\": 8, \"AvailabilityZone\": \"moon\"}]}",
            "$.Volumes[0].AvailabilityZone: expected a zone",
        ),
        (
            "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Size\": 8, \"AvailabilityZone\": \"us-east-1a\", \"Tags\": [{\"Value\": \"x\"}]}]}",
            "$.Volumes[0].Tags[0]: expected a field `Key`",
        ),
        ("{\"Volumes\": []}", "$.Volumes: no volumes to import"),
        ("{\"data\": []}", "$: expected a field `Volumes` (an array); is this the right kind of file?"),
        ("{\"Volumes\": [,]}", "line 1, column 14: not valid JSON"),
        ("[1, 2]", "$: expected a field `Volumes`"),
    ];
    for (i, (json, words)) in cases.iter().enumerate() {
        let f = format!("v{i}.json");
        std::fs::write(d.join(&f), json).unwrap();
        let o = copysim(&["import", "aws-ebs", &f], &d);
        assert_eq!(o.status.code(), Some(2), "{json}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(&format!("{f}: {words}")), "{json}\n{stderr}");
    }
    std::fs::write(d.join("o.json"), "{\"data\": [{\"id\": \"ocid1.volume.oc1.iad.x\", \"size-in-gbs\": -4}]}")
        .unwrap();
    let o = copysim(&["import", "oci", "o.json"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("o.json: $.data[0].size-in-gbs: expected a whole number ≥ 0, found -4")
    );
    std::fs::write(d.join("s.json"), "{\"Snapshots\": [{\"VolumeId\": \"vol-1\", \"StartTime\": \"yesterday\"}]}")
        .unwrap();
    std::fs::write(
        d.join("v.json"),
        "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Size\": 8, \"AvailabilityZone\": \"us-east-1a\"}]}",
    )
    .unwrap();
    let o = copysim(&["import", "aws-ebs", "v.json", "--snapshots", "s.json"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("s.json: $.Snapshots[0].StartTime: expected an RFC 3339 time"));
}

#[test]
fn import_never_overwrites_a_file() {
    let d = tmp("exists");
    std::fs::write(d.join("mine.toml"), "precious").unwrap();
    let o = copysim(&["import", "oci", &fixture("oci-volume-list.json"), "--out", "mine.toml"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("it exists"));
    assert_eq!(std::fs::read_to_string(d.join("mine.toml")).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn a_bad_choice_is_an_input_error() {
    let d = tmp("choice");
    let o = copysim(&["import", "oci", &fixture("oci-volume-list.json"), "--every", "sometimes"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("every"));
}

#[test]
fn a_cloud_id_with_a_line_break_stays_inside_its_comment() {
    let d = tmp("newline");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("aws-describe-volumes.json")).unwrap()).unwrap();
    doc["Volumes"][0]["VolumeId"] = serde_json::Value::from("vol-1\n[[regions]]\nname = \"x\"");
    std::fs::write(d.join("v.json"), doc.to_string()).unwrap();
    let o = copysim(&["import", "aws-ebs", "v.json", "--copy-to", "us-west-2", "--out", "s.toml"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(d.join("s.toml")).unwrap();
    assert!(text.contains("# vol-1\\n[[regions]]\\nname = \"x\""), "{text}");
    assert!(copysim(&["validate", "s.toml"], &d).status.success());
}
