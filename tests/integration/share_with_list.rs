//! A schedule's `share_with` list is one list every backup it takes is shared with
//! (`model::backup::Permissions::grant_list`), not a copy of it per backup: "EBS: every backup it
//! takes is shared with these accounts (create-volume permission)" (docs/scenario.md), and an
//! `unshare` of one account takes that account off one backup, the others' sharing untouched.

use crate::support::run_text;

/// Hourly EBS backups of `v` (account `a`) shared with `c` and `b`; `b` loses #1 at 2 h.
const UNSHARE: &str = r#"name = "share-list"
start = "2026-01-01T00:00:00Z"
horizon = "6h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "eu-west-1"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[accounts]]
name = "b"
[[accounts]]
name = "c"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "10GB"
[[schedules]]
name = "s"
volumes = ["v"]
every = "1h"
share_with = ["c", "b"]
[[events]]
at = "2h"
action = "unshare"
volume = "v"
seq = 1
account = "b"
[[events]]
at = "3h"
action = "copy"
volume = "v"
seq = 1
to = "eu-west-1"
account = "b"
[[events]]
at = "3h"
action = "copy"
volume = "v"
seq = 1
to = "eu-west-1"
account = "c"
[[events]]
at = "3h"
action = "copy"
volume = "v"
seq = 2
to = "eu-west-1"
account = "b"
[[events]]
at = "4h"
action = "unshare"
volume = "v"
seq = 1
account = "b"
"#;

#[test]
fn unsharing_one_account_of_a_share_with_list_takes_it_off_that_backup_alone() {
    let ran = run_text(UNSHARE);
    let outcomes: Vec<(String, String)> =
        ran.rows("actions.csv").iter().map(|r| (r["target"].clone(), r["outcome"].clone())).collect();
    let expected = [
        ("v#1", "ok"),                 // b taken off #1
        ("v#1→eu-west-1", "rejected"), // b's copy of #1: no longer shared with b
        ("v#1→eu-west-1", "ok"),       // c's copy of #1: still shared with c
        ("v#2→eu-west-1", "ok"),       // b's copy of #2: #2 still shared with b
        ("v#1", "rejected"),           // nothing left to take off
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(t, o)| (t.to_string(), o.to_string())).collect();
    assert_eq!(outcomes, expected);
    let rows = ran.rows("actions.csv");
    assert!(rows[1]["detail"].contains("snapshot #1 of v is not shared with b"), "{rows:#?}");
    assert!(rows[4]["detail"].contains("has no such permission to remove"), "{rows:#?}");
}
