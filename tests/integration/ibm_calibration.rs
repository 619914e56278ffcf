//! IBM's one published figure, as the model's calibration point: "creating a copy of a 3-TB
//! storage volume in a remote region can take over 12.5 hours. Therefore, when your schedule
//! specifies the creation of a snapshot with a remote copy every 12 hours, the system initiates a
//! full copy because the previous copy is not complete and fully stable yet."

use crate::support::{krs, run_text};

fn scenario(size: &str, every: &str) -> String {
    format!(
        r#"name = "ibm-cal"
start = "2026-01-05T00:00:00Z"
horizon = "6d"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-south"
size = "{size}"
[[schedules]]
name = "s"
volumes = ["v"]
every = "{every}"
copy_to = [{{ region = "us-east" }}]
"#
    )
}

/// `(kind, reason)` of every completed copy, in request order.
fn kinds(size: &str, every: &str) -> Vec<(String, String)> {
    let r = run_text(&scenario(size, every));
    r.copies()
        .iter()
        .filter(|c| c["state"] == "AVAILABLE")
        .map(|c| (krs(c).0.to_string(), krs(c).1.to_string()))
        .collect()
}

#[test]
fn ibm_3tb_full_copy_takes_12_5_hours() {
    let r = run_text(&scenario("3TB", "2d"));
    let first = r.copy("v", 1, "us-east");
    let (start, end): (jiff::Timestamp, jiff::Timestamp) =
        (first["started_at"].parse().unwrap(), first["finished_at"].parse().unwrap());
    let secs = end.duration_since(start).as_secs();
    // 12.5 h of data movement plus the link latency, to the second.
    assert!((45_000..45_002).contains(&secs), "{secs} s");
}

#[test]
fn ibm_3tb_every_12h_never_gets_an_incremental_copy() {
    let k = kinds("3TB", "12h");
    assert!(k.len() >= 8, "{k:?}");
    assert!(k.iter().all(|(kind, _)| kind == "full"), "{k:?}");
}

#[test]
fn ibm_3tb_every_13h_copies_incrementally_once_the_first_full_copy_is_stable() {
    // #1's full copy lands 12.5 h after #1 is stable (~4.3 h: the first upload of 3 TB), so #2
    // (13 h) still finds it incomplete and is full; from #3 on the preceding copy is stable.
    let k = kinds("3TB", "13h");
    assert_eq!(k[0].0, "full");
    assert_eq!(k[1].0, "full");
    assert!(k[2..].iter().all(|(kind, reason)| kind == "incremental" && reason == "predecessor_stable"), "{k:?}");
}

#[test]
fn ibm_2tb_every_12h_copies_incrementally() {
    // 2 TB copies in 8 h 20 min: well inside a 12-hour schedule.
    let k = kinds("2TB", "12h");
    assert_eq!(k[0].0, "full");
    assert!(k[1..].iter().all(|(kind, _)| kind == "incremental"), "{k:?}");
}
