//! A sweep's answers say which points' figures leave something out: a link too slow for its
//! schedule piles copies up, and copies not made cost nothing, so that point reads the cheaper
//! month. Its runs' warnings are marked beside its figures in report.html, and the sweep's last
//! line counts the runs that gave warnings.

use super::support::{copysim, scratch};

/// Four EBS volumes of 200 GB changing 5 % a day, every hour to us-west-2; the link is the axis.
const BASE: &str = r#"
name = "slow-link"
start = "2026-05-04T00:00:00Z"
horizon = "2d"
[cost]
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "200MiB/s"
[[accounts]]
name = "a"
[[fleets]]
name = "db"
count = 4
account = "a"
region = "us-east-1"
size = "200GB"
daily_change = "5%"
[[schedules]]
name = "hourly"
volumes = ["db"]
every = "1h"
retention_count = 24
copy_to = [{ region = "us-west-2", retention_count = 24 }]
"#;

const SWEEP: &str = r#"
base = "base.toml"
[[axes]]
name = "bw"
path = "links.us-east-1->us-west-2.bandwidth"
values = ["1MiB/s", "200MiB/s"]
"#;

#[test]
fn a_sweeps_answers_mark_the_points_whose_runs_gave_warnings() {
    let d = scratch("sweep_read_first", "marks");
    std::fs::write(d.join("base.toml"), BASE).expect("base");
    std::fs::write(d.join("s.sweep.toml"), SWEEP).expect("sweep");
    let o = copysim(&["sweep", "s.sweep.toml", "--out", "o"], &d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // At 1 MiB/s the first full copies (200 GB each) take days: copies pile up (the backlog
    // warning) and the run-rate holds a cold start; at 200 MiB/s the cold start alone.
    let runs = std::fs::read_to_string(d.join("o/sweep.csv")).expect("sweep.csv");
    let warned = runs.lines().skip(1).filter(|l| !l.ends_with(",0")).count();
    assert!(warned >= 1, "{runs}");
    assert!(stdout.contains(&format!("{warned} of 2 runs gave warnings")), "{stdout}");
    let html = std::fs::read_to_string(d.join("o/report.html")).expect("report.html");
    let answers = &html[html.find("id=\"headline\"").expect("answers")..html.find("id=\"charts\"").expect("charts")];
    assert!(answers.contains("Read first:") && answers.contains("<th>read first</th>"), "{answers}");
    // (the label is escaped: `1MiB&#x2f;s`)
    let slow = answers.find("<td>1MiB").expect("the slow point's row");
    let row = &answers[slow..slow + answers[slow..].find("</tr>").expect("row end")];
    assert!(row.contains("a run") && row.contains("copies still waiting or moving at the end"), "{row}");
    let _ = std::fs::remove_dir_all(&d);
}
