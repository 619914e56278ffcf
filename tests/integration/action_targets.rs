//! `actions.csv` names what an action acted on: a `change_key` of a volume's DR copies reads
//! apart from one of its own backups, and a `fail_copy` into one region says which.

use super::support::run_text;

/// Two EBS volumes copied hourly to us-west-2 and eu-west-1 over slow links (copies are in
/// flight at 2 h 30 min).
const TWO_DR: &str = r#"
name = "action-targets"
start = "2026-01-05T00:00:00Z"
horizon = "4h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "10MiB/s"
[[links]]
from = "us-east-1"
to = "eu-west-1"
bandwidth = "10MiB/s"
[[accounts]]
name = "prod"
[[keys]]
name = "src-cmk"
account = "prod"
region = "us-east-1"
[[keys]]
name = "west-cmk"
account = "prod"
region = "us-west-2"
[[fleets]]
name = "db"
count = 2
account = "prod"
region = "us-east-1"
size = "100GB"
[[schedules]]
name = "hourly"
volumes = ["db"]
every = "1h"
copy_to = [{ region = "us-west-2" }, { region = "eu-west-1" }]
[[events]]
at = "1h 30m"
action = "change_key"
volume = "db-0001"
to = "us-west-2"
key = "west-cmk"
[[events]]
at = "1h 30m"
action = "change_key"
volume = "db-0002"
key = "src-cmk"
[[events]]
at = "2h 30m"
action = "fail_copy"
to = "eu-west-1"
[[events]]
at = "3h 30m"
action = "fail_copy"
volume = "db-0001"
to = "us-west-2"
"#;

#[test]
fn a_change_key_or_fail_copy_into_one_region_names_the_region() {
    let r = run_text(TWO_DR);
    let rows: Vec<(String, String, String)> = r
        .rows("actions.csv")
        .into_iter()
        .map(|a| (a["action"].clone(), a["target"].clone(), a["detail"].clone()))
        .collect();
    let row = |action: &str, target: &str| {
        rows.iter()
            .find(|(a, t, _)| a == action && t == target)
            .unwrap_or_else(|| panic!("no {action} of {target}: {rows:?}"))
            .2
            .clone()
    };
    assert_eq!(row("change_key", "db-0001→us-west-2"), "key of its copies to us-west-2 now west-cmk");
    assert_eq!(row("change_key", "db-0002"), "key of its next backups now src-cmk");
    // Every volume's copies into eu-west-1 failed, none into us-west-2.
    let failed = row("fail_copy", "*→eu-west-1");
    assert!(failed.ends_with("copies failed") && !failed.starts_with("0 "), "{failed}");
    assert!(
        r.copies()
            .iter()
            .filter(|c| c["error"].starts_with("InternalError"))
            .all(|c| c["dest_region"] == "eu-west-1" || c["volume_id"] == "db-0001" && c["dest_region"] == "us-west-2"),
        "{:?}",
        r.copies()
    );
    row("fail_copy", "db-0001→us-west-2");
}
