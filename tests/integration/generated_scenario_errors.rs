//! A scenario copysim writes itself (`import`, `advise interval`) is validated before use; its
//! mistakes are named where the user can fix them — the inventory's JSON path and volume id, or
//! the flag — never by a line of `<imported scenario>` or `<advise interval>`, files that do not
//! exist. An inventory with a UTF-8 byte-order mark is read like one without.

use crate::support::{copysim, scratch};

fn volume(id: &str, size: u64) -> String {
    format!("{{\"VolumeId\": \"{id}\", \"Size\": {size}, \"AvailabilityZone\": \"us-east-1a\", \"State\": \"in-use\"}}")
}

fn import(d: &std::path::Path, json: &str, flags: &[&str]) -> (Option<i32>, String) {
    std::fs::write(d.join("v.json"), json).expect("written");
    let o = copysim(&[&["import", "aws-ebs", "v.json", "--copy-to", "us-west-2"], flags].concat(), d);
    (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn import_errors_name_the_json_path_and_volume_id_or_the_flag() {
    let d = scratch("generated_scenario_errors", "import");
    let json = format!("{{\"Volumes\": [{}, {}]}}", volume("vol-1", 8), volume("vol-2", 0));
    let (code, err) = import(&d, &json, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim(), "error: v.json: $.Volumes[1].Size (vol-2): a volume needs a size above zero");

    // The same VolumeId twice is refused in the JSON, at the repeat.
    let json = format!("{{\"Volumes\": [{}, {}]}}", volume("vol-1", 8), volume("vol-1", 9));
    let (code, err) = import(&d, &json, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err.trim(),
        "error: v.json: $.Volumes[1].VolumeId: volume vol-1 is listed twice (first at $.Volumes[0]); an inventory \
         lists each volume once"
    );

    // Choices are named by their flag.
    let json = format!("{{\"Volumes\": [{}]}}", volume("vol-1", 8));
    let (code, err) = import(&d, &json, &["--horizon", "1 fortnight", "--retention-days", "0"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.starts_with("error: --horizon 1 fortnight: expected a duration"), "{err}");
    assert!(err.contains("\nerror: --retention-days 0: the retention period must be between 1 and 1000 days"), "{err}");
    assert!(!err.contains("<imported scenario>") && !err.contains("--copy-to us-west-2:"), "{err}");
    let (code, err) = import(&d, &json, &["--copy-to", "us-west-2"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--copy-to us-west-2: the region is given twice"), "{err}");
    assert!(!d.join("s.toml").exists());
}

#[test]
fn an_oci_size_of_zero_names_its_json_path_and_ocid() {
    let d = scratch("generated_scenario_errors", "oci");
    let json = r#"{"data": [{"id": "ocid1.volume.oc1.iad.abc", "display-name": "db", "size-in-gbs": 0}]}"#;
    std::fs::write(d.join("o.json"), json).expect("written");
    let o = copysim(&["import", "oci", "o.json", "--copy-to", "us-phoenix-1"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim(),
        "error: o.json: $.data[0].size-in-gbs (ocid1.volume.oc1.iad.abc): a volume needs a size above zero"
    );
}

#[test]
fn an_inventory_with_a_byte_order_mark_is_imported() {
    let d = scratch("generated_scenario_errors", "bom");
    let json = format!("\u{feff}{{\"Volumes\": [{}]}}", volume("vol-1", 8));
    let (code, err) = import(&d, &json, &["--out", "s.toml"]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(d.join("s.toml")).expect("written");
    assert!(text.contains("name = \"vol-1\"") && text.contains("size = \"8GiB\""), "{text}");
}

#[test]
fn advise_errors_name_the_flag() {
    let d = scratch("generated_scenario_errors", "advise");
    let o = copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "0", "--out", "a"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim(), "error: --sizes 0: a volume needs a size above zero");
    let o = copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "1TB", "--change", "200%"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: --change 200%: percentage \"200%\" must be between 0% and 100%"), "{err}");
    assert!(!d.join("a").exists());
    // A mistake at a field the search writes itself, caused by an override, names the `--set`
    // (it read `<advise interval>:28:9: field `every``).
    let o = copysim(
        &["advise", "interval", "--provider", "ibm_vpc", "--sizes", "1TB", "--set", "max_events=2000", "--out", "a"],
        &d,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(
            "error: --set max_events=2000: in the scenario advise interval generates, field `every`: the scenario needs about"
        ),
        "{err}"
    );
    assert!(!err.contains("<advise interval>"), "{err}");
    assert!(!d.join("a").exists());
}
