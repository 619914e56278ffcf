//! The share of full copies is one figure wherever it is read: the terminal, report.html, the
//! sweeps' `full_copy_share` and the full-copies warning count full ÷ (full + incremental)
//! completed copies; a copy that moves no data (EBS, same region) and an accepted share are
//! neither, and the terminal says what it left out.

use super::support::run_text;

/// Five EBS volumes backed up hourly and copied both to us-west-2 and within us-east-1 (same
/// account, same encryption: the in-region copies move no data), two days.
const BOTH_WAYS: &str = r#"
name = "both-ways"
start = "2026-01-05T00:00:00Z"
horizon = "2d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[fleets]]
name = "v"
count = 5
account = "a"
region = "us-east-1"
size = "10GB"
[[schedules]]
name = "h"
volumes = ["v"]
every = "1h"
retention_count = 24
copy_to = [{ region = "us-west-2", retention_count = 24 }, { region = "us-east-1", retention_count = 24 }]
"#;

#[test]
fn the_full_copy_share_leaves_out_copies_that_move_no_data_in_every_report() {
    let r = run_text(BOTH_WAYS);
    let s = &r.report.summary;
    // 48 runs copied by the end (the 49th, at the horizon, is still being taken), each to two
    // places: 240 no-data copies in us-east-1; in us-west-2 each volume's first copy is full.
    let kinds: Vec<(&str, u64)> = s.copies.by_kind.iter().map(|(k, &v)| (k.as_str(), v)).collect();
    assert_eq!(kinds, [("full", 5), ("incremental", 235), ("no_data", 240)]);
    let metrics = copysim::sweep::metrics::of(s);
    let share = metrics.iter().find(|(n, _)| n == "full_copy_share").expect("share").1;
    assert_eq!(share, 5.0 / 240.0);
    let json = serde_json::to_value(s).expect("json");
    let terminal = copysim::report::terminal::render(&json, "out");
    assert!(
        terminal.contains("2.1 % of completed copies that moved data were full (5 of 240; 240 no_data left out)"),
        "{terminal}"
    );
    let html = copysim::report::html::render(&json, &[], &[]);
    assert!(html.contains("<span title=\"5 of 240\">2.1 %</span>"), "{html}");
    assert!(html.contains("480 copies completed, 240 of them full or incremental"), "{html}");
}
