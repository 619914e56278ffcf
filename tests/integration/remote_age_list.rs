//! A copy target kept by age alone holds its copies of every volume in one list (in completion
//! order) instead of one list per volume: the same copies are deleted at the same instants.

use crate::support::{Ran, run_text};

/// Six volumes of different sizes, copied every 2 h to a DR region kept 1 day, with a
/// 30-minute outage of the DR link's source region and one copy failure in twenty: copies
/// complete out of volume order, some fail, some wait.
fn fleet(retention: &str, warm: bool) -> String {
    format!(
        r#"name = "age-list"
seed = 3
start = "2026-03-02T00:00:00Z"
horizon = "4d"
warm_start = {warm}
[faults]
copy_failure_probability = "5%"
[cost]
prices = [{{ provider = "oci", storage_per_gb_month = 0.0255, transfer_per_gb = 0.0085 }}]
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[links]]
from = "uk-london-1"
to = "eu-frankfurt-1"
bandwidth = "1Gbps"
[[accounts]]
name = "t"
[[fleets]]
name = "vol"
count = 6
account = "t"
region = "uk-london-1"
size = "50GB"
size_max = "400GB"
daily_change = "5%"
daily_change_max = "20%"
[[schedules]]
name = "s"
volumes = ["vol"]
every = "2h"
retention_days = 1
copy_to = [{{ region = "eu-frankfurt-1", {retention} }}]
[[events]]
at = "2d 3h"
action = "region_outage"
region = "uk-london-1"
duration = "30m"
"#
    )
}

/// `name`'s rows, sorted (deletions at one instant may be written in another order).
fn sorted(r: &Ran, name: &str) -> Vec<String> {
    let mut rows: Vec<String> = String::from_utf8_lossy(r.file(name)).lines().map(str::to_string).collect();
    rows.sort();
    rows
}

#[test]
fn remote_age_retention_deletes_the_same_copies_from_one_list_as_from_per_volume_lists() {
    for warm in [false, true] {
        // retention_days alone: one list. With a count never reached, the per-volume lists.
        let one = run_text(&fleet("retention_days = 1", warm));
        let per_volume = run_text(&fleet("retention_days = 1, retention_count = 500", warm));
        let deleted = one.copies().iter().filter(|c| c["deleted_by"].starts_with("remote_retention")).count();
        assert!(deleted > 100, "warm {warm}: the run deletes copies by age ({deleted})");
        let names: Vec<&str> = one.report.files.iter().map(|(n, _)| n.as_str()).collect();
        for name in ["copies.csv", "backups.csv", "cost.csv", "rpo.csv", "restore.csv"] {
            assert!(names.contains(&name), "{name} in {names:?}");
            assert_eq!(sorted(&one, name), sorted(&per_volume, name), "warm {warm}: {name}");
        }
    }
}
