//! A schedule whose source backups are kept by age alone holds them in one list (in the order
//! they were taken) instead of one list per volume, and each run deletes every volume's due
//! backups as it visits the volume: the same backups are deleted at the same instants, in the
//! same order, as from per-volume lists.

use crate::support::run_text;

/// Five volumes backed up every 2 h, kept 1 day in the source region and copied to a DR region,
/// with one copy failure in twenty, a 30-minute outage of the source region, and the schedule
/// disabled for 30 hours (when it runs again, two days' runs are due at once, in run order, not
/// volume order), all under `retention`.
fn fleet(retention: &str, warm: bool) -> String {
    format!(
        r#"name = "source-age-list"
seed = 5
start = "2026-03-02T00:00:00Z"
horizon = "5d"
warm_start = {warm}
[faults]
copy_failure_probability = "5%"
[cost]
prices = [{{ provider = "aws_ebs", storage_per_gb_month = 0.05, transfer_per_gb = 0.02 }}]
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "1Gbps"
[[accounts]]
name = "prod"
[[fleets]]
name = "vol"
count = 5
account = "prod"
region = "us-east-1"
size = "50GB"
size_max = "400GB"
daily_change = "5%"
daily_change_max = "20%"
[[schedules]]
name = "s"
volumes = ["vol"]
every = "2h"
{retention}
copy_to = [{{ region = "us-west-2", retention_days = 2 }}]
[[events]]
at = "1d 3h"
action = "region_outage"
region = "us-east-1"
duration = "30m"
[[events]]
at = "2d 1h"
action = "disable_plan"
policy = "s"
[[events]]
at = "3d 7h"
action = "enable_plan"
policy = "s"
"#
    )
}

#[test]
fn source_age_retention_deletes_the_same_backups_from_one_list_as_from_per_volume_lists() {
    for warm in [false, true] {
        // retention_days alone: one list. With a count never reached, the per-volume lists.
        let one = run_text(&fleet("retention_days = 1", warm));
        let per_volume = run_text(&fleet("retention_days = 1\nretention_count = 500", warm));
        let deleted = one.rows("backups.csv").iter().filter(|b| b["deleted_by"].starts_with("retention")).count();
        assert!(deleted > 100, "warm {warm}: the run deletes source backups by age ({deleted})");
        for name in ["backups.csv", "copies.csv", "cost.csv", "rpo.csv"] {
            assert_eq!(one.file(name), per_volume.file(name), "warm {warm}: {name}");
        }
    }
}
