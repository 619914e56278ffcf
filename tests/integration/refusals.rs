//! A refused action says why in `actions.csv`, in words that match what happened: a backup not
//! taken yet is not one that was deleted.

use crate::support::run_text;

const SCENARIO: &str = r#"
name = "refusals"
seed = 1
start = "2026-01-01T00:00:00Z"
horizon = "5d"

[[regions]]
name = "us-east-1"
provider = "aws_ebs"

[[regions]]
name = "us-west-2"
provider = "aws_ebs"

[[accounts]]
name = "prod"

[[accounts]]
name = "audit"

[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "1%"

[[schedules]]
name = "daily"
volumes = ["db"]
every = "1d"
retention_days = 1
copy_to = [{ region = "us-west-2", retention_days = 1 }]

[[events]]
at = "3d12h"
action = "share"
volume = "db"
seq = 1
account = "audit"

[[events]]
at = "3d12h"
action = "share"
volume = "db"
seq = 9
account = "audit"

[[events]]
at = "3d12h"
action = "restore"
volume = "db"
seq = 1

[[events]]
at = "3d12h"
action = "delete_copy"
volume = "db"
seq = 9
region = "us-west-2"
"#;

#[test]
fn a_refusal_names_a_deleted_backup_deleted_and_a_future_one_not_taken_yet() {
    let r = run_text(SCENARIO);
    let details: Vec<(String, String, String)> = r
        .rows("actions.csv")
        .iter()
        .map(|a| (a["action"].clone(), a["outcome"].clone(), a["detail"].clone()))
        .collect();
    let expect = |action: &str, detail: &str| (action.to_string(), "rejected".to_string(), detail.to_string());
    assert_eq!(
        details,
        vec![
            expect("share", "backup #1 was deleted"),
            expect("share", "backup #9 does not exist yet"),
            expect("restore", "backup #1 was deleted"),
            expect("delete_copy", "backup #9 does not exist yet"),
        ]
    );
}
