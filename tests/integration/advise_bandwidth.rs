//! `copysim advise bandwidth`: the least bandwidth of a scenario's link for an RPO p95 target,
//! as a planner asks it from the command line.

use crate::support::{copysim, scratch};

/// One 100 GiB EBS volume changing 100 MiB an hour, warm, hourly, copied to us-west-2 over a
/// 1 Mbit/s link (839 s a copy), the last two of three days measured.
const SCENARIO: &str = r#"name = "bw-cli"
start = "2026-01-01T00:00:00Z"
horizon = "3d"
warm_start = true
[report]
measure_from = "1d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "1Mbps"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "2.34375%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn advise_bandwidth_answers_with_every_trial_written() {
    // RPO climbs through each hour from the copy's landing: its p95 is about 57 min plus the
    // backup's upload plus the copy's transfer (839 s at 1 Mbit/s, a few at 10 Tbit/s). A
    // target of 1 h 5 min leaves a few minutes for the transfer: more than 1 Mbit/s, far less
    // than the ceiling.
    let d = scratch("advise_bandwidth", "answers");
    std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
    let o = copysim(&["advise", "bandwidth", "s.toml", "--rpo-p95", "65m", "--out", "bw"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(printed.contains("as declared: 1 Mbps gives RPO p95"), "{printed}");
    assert!(printed.contains("(misses the target)"), "{printed}");
    let csv = std::fs::read_to_string(d.join("bw/bandwidth.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    let answer: Vec<&&str> = rows.iter().filter(|r| r.ends_with(",true,true")).collect();
    assert_eq!(answer.len(), 1, "one answer row: {csv}");
    let bw: u64 = answer[0].split(',').nth(2).unwrap().parse().unwrap();
    assert!(bw > 125_000 && bw < 1_250_000_000_000, "{bw}");
    // Rows by bandwidth; every one under the answer misses, every one from it on meets.
    let bws: Vec<u64> = rows.iter().map(|r| r.split(',').nth(2).unwrap().parse().unwrap()).collect();
    assert!(bws.windows(2).all(|w| w[0] < w[1]), "{bws:?}");
    for r in &rows {
        let b: u64 = r.split(',').nth(2).unwrap().parse().unwrap();
        assert_eq!(r.split(',').nth(6), Some(if b >= bw { "true" } else { "false" }), "{r}");
    }
    // The same question twice: the same bytes.
    let again = copysim(&["advise", "bandwidth", "s.toml", "--rpo-p95", "65m", "--out", "bw2"], &d);
    assert!(again.status.success());
    assert_eq!(std::fs::read(d.join("bw2/bandwidth.csv")).unwrap(), csv.as_bytes());
}

#[test]
fn advise_bandwidth_refuses_what_it_cannot_answer() {
    let d = scratch("advise_bandwidth", "refuses");
    std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
    let err = |args: &[&str]| {
        let o = copysim(args, &d);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
        assert!(!d.join("outputs").exists(), "nothing written");
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "1h", "--link=us-west-2->us-east-1"]);
    assert!(e.contains("no such link is declared in s.toml (declared: us-east-1->us-west-2)"), "{e}");
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "1h", "--region", "us-east-1"]);
    assert!(e.contains("link us-east-1->us-west-2 carries copies into us-west-2, not us-east-1"), "{e}");
    // The link's destination with no schedule copying there has no RPO to size for.
    let none = SCENARIO.replace("copy_to = [{ region = \"us-west-2\" }]", "copy_to = []");
    std::fs::write(d.join("none.toml"), none).unwrap();
    let e = err(&["advise", "bandwidth", "none.toml", "--rpo-p95", "1h"]);
    assert!(e.contains("--region us-west-2: no schedule copies to it"), "{e}");
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "soon"]);
    assert!(e.contains("--rpo-p95 soon: expected a duration above zero"), "{e}");
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "1h", "--resolution", "0%"]);
    assert!(e.contains("--resolution 0%: expected a percentage from 0.1% to 50%"), "{e}");
    let e = err(&["advise", "bandwidth", "missing.toml", "--rpo-p95", "1h"]);
    assert!(e.contains("missing.toml"), "{e}");
}

/// Two DR regions, each with its own declared link from us-east-1.
fn two_links() -> String {
    SCENARIO
        .replace(
            "[[accounts]]",
            "[[regions]]\nname = \"eu-west-1\"\nprovider = \"aws_ebs\"\n[[links]]\nfrom = \"us-east-1\"\nto = \"eu-west-1\"\nbandwidth = \"1Mbps\"\n[[accounts]]",
        )
        .replace("copy_to = [{ region = \"us-west-2\" }]", "copy_to = [{ region = \"us-west-2\" }, { region = \"eu-west-1\" }]")
}

#[test]
fn advise_bandwidth_region_is_the_links_destination() {
    // docs/sweeps.md: "`--region`, by default the link's destination": a link's bandwidth moves
    // copies into its destination only, so a DR region elsewhere is refused, naming both, and
    // nothing is simulated or written.
    let d = scratch("advise_bandwidth", "region_is_destination");
    std::fs::write(d.join("s.toml"), two_links()).unwrap();
    let o = copysim(
        &["advise", "bandwidth", "s.toml", "--rpo-p95", "65m", "--link=us-east-1->us-west-2", "--region", "eu-west-1"],
        &d,
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains(
            "error: --region eu-west-1: link us-east-1->us-west-2 carries copies into us-west-2, not eu-west-1, so its \
             bandwidth sizes the RPO in us-west-2 (omit --region, or give --region us-west-2); for eu-west-1, size \
             --link us-east-1->eu-west-1"
        ),
        "{e}"
    );
    assert!(o.stdout.is_empty(), "nothing printed");
    assert!(!d.join("outputs").exists(), "nothing written");
    // Several links and no --link: the only declared link into --region is the one sized.
    let o = copysim(&["advise", "bandwidth", "s.toml", "--rpo-p95", "65m", "--region", "eu-west-1", "--out", "bw"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8_lossy(&o.stdout);
    assert!(
        printed.starts_with("Least bandwidth of us-east-1 -> eu-west-1 at which RPO p95 in eu-west-1"),
        "{printed}"
    );
    let csv = std::fs::read_to_string(d.join("bw/bandwidth.csv")).unwrap();
    assert!(csv.lines().skip(1).all(|r| r.starts_with("us-east-1->eu-west-1,eu-west-1,")), "{csv}");
    // Without either, which link is meant is asked.
    let o = copysim(&["advise", "bandwidth", "s.toml", "--rpo-p95", "65m"], &d);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("declares several links; name one of us-east-1->us-west-2, us-east-1->eu-west-1"), "{e}");
}

#[test]
fn advise_checks_its_output_folder_before_simulating() {
    // README: an output folder that is not copysim's is refused, "all found before the
    // simulation starts" (src/cli/advise.rs prepares the folder before `bw::answer`; no
    // wall-clock bound here: timed tests are not ours). The refusal leaves the folder as it was.
    let d = scratch("advise_bandwidth", "folder_first");
    std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
    std::fs::create_dir(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/notes.txt"), "mine").unwrap();
    let o = copysim(&["advise", "bandwidth", "s.toml", "--rpo-p95", "2h", "--out", "mine"], &d);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stdout));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("mine: the folder holds files copysim did not write (notes.txt)"), "{e}");
    assert_eq!(std::fs::read_dir(d.join("mine")).unwrap().count(), 1);
    assert_eq!(std::fs::read_to_string(d.join("mine/notes.txt")).unwrap(), "mine");
    // advise interval: a mistake in its flags is still found first, and writes nothing.
    let o = copysim(
        &["advise", "interval", "--provider", "ibm_vpc", "--sizes", "1TB", "--change", "0.5", "--out", "mine"],
        &d,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--change 0.5"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "0"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("outputs").exists(), "nothing written");
}
