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
    assert!(e.contains("no schedule copies to it"), "{e}");
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "soon"]);
    assert!(e.contains("--rpo-p95 soon: expected a duration above zero"), "{e}");
    let e = err(&["advise", "bandwidth", "s.toml", "--rpo-p95", "1h", "--resolution", "0%"]);
    assert!(e.contains("--resolution 0%: expected a percentage from 0.1% to 50%"), "{e}");
    let e = err(&["advise", "bandwidth", "missing.toml", "--rpo-p95", "1h"]);
    assert!(e.contains("missing.toml"), "{e}");
}
