//! A warm start's copies age, under remote age retention, as the steady state's copies do: from
//! their completion (docs/model.md, "Remote copies": "the age at each run (age from the copy's
//! completion)"), which comes after the run their backup stands for. Worked out by hand.

use crate::support::{krs, run_text};

/// One 100 GiB EBS volume changing 5 % a day, backed up daily at midnight and copied to
/// us-west-2, where copies are kept 1 day.
const DAILY_KEPT_ONE_DAY: &str = r#"name = "warm-copy-age"
start = "2026-01-01T00:00:00Z"
horizon = "3d"
warm_start = true
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "5%"
[[schedules]]
name = "daily"
volumes = ["v"]
every = "1d"
copy_to = [{ region = "us-west-2", retention_days = 1 }]
"#;

#[test]
fn a_warm_copy_ages_from_just_after_the_run_it_stands_for() {
    // Steady state just after the run a day before the start (-1 d): its copy landed some time
    // c after it (its 5 GiB upload takes 1 min + 26.8 s, its transfer 10.2 s) and the copy of
    // the run at -2 d, c after that run, was 1 d - c old then: both are there. Warm: #1 (-2 d)
    // and #2 (-1 d), with their copies. At the run at 0 the copy of #1 is 2 d - c old and goes;
    // #2's, 1 d - c old, stays until the run at 1 d, and the DR region always holds a copy. The
    // copy of the run at 0 (#3) is then incremental over it ("previous_copy_exists"), 5 GiB:
    // 5,368,709,120 bytes, landing at 1 min 26.843 s + 10.240 s. (Before: a warm copy aged from
    // the run itself was exactly 1 day old at 0 and went at the first run; the first copy was
    // full, "most_recent_copy_deleted", 100 GiB, and us-west-2 held nothing until it landed.)
    let r = run_text(DAILY_KEPT_ONE_DAY);
    let oldest = r.copy("v", 1, "us-west-2");
    assert_eq!((oldest["trigger"].as_str(), oldest["deleted_at"].as_str()), ("warm", "2026-01-01T00:00:00.000Z"));
    let warm = r.copy("v", 2, "us-west-2");
    assert_eq!(warm["trigger"], "warm");
    assert_eq!(
        (warm["deleted_at"].as_str(), warm["deleted_by"].as_str()),
        ("2026-01-02T00:00:00.000Z", "remote_retention:daily:age")
    );
    let first = r.copy("v", 3, "us-west-2");
    assert_eq!(krs(&first), ("incremental", "previous_copy_exists", "DELETED"));
    assert_eq!(first["bytes_transferred"], (5u64 << 30).to_string());
    assert_eq!(first["finished_at"], "2026-01-01T00:01:37.083Z");
    // #3's copy completed at 1 min 37 s, so it is under a day old at 1 d and goes at 2 d, as
    // the warm copy went one run after its backup's: the same rule for both.
    assert_eq!(first["deleted_at"], "2026-01-03T00:00:00.000Z");
    let s = &r.report.summary;
    assert_eq!(s.copies.by_kind.get("full"), None, "every copy is incremental");
    assert_eq!((s.copies.requested, s.copies.bytes_transferred), (3, 3 * (5u64 << 30)));
}
