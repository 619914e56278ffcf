//! A warm start's backups are shared as the schedule's backups are: `share_with` ("EBS: every
//! backup it takes is shared with these accounts (create-volume permission)", docs/scenario.md)
//! holds for the backups of the runs before the start the warm state stands for. Worked out by hand.

use crate::support::run_text;

/// One 200 GB EBS volume in `prod`, every 6 h from midnight, kept 4 at home; copied into the
/// `vault` account in us-west-2, kept 2 days; `vault` asks for a copy of warm #8 and restores
/// warm #9 at 01:00.
const VAULT: &str = r#"name = "warm-share"
start = "2026-01-05T00:00:00Z"
horizon = "1d"
warm_start = true
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[accounts]]
name = "vault"
[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "200GB"
daily_change = "10%"
[[schedules]]
name = "h6"
volumes = ["db"]
every = "6h"
retention_count = 4
share_with = ["vault"]
copy_to = [{ region = "us-west-2", account = "vault", retention_days = 2 }]
[[events]]
at = "1h"
action = "copy"
volume = "db"
seq = 8
to = "us-west-2"
account = "vault"
[[events]]
at = "1h"
action = "restore"
volume = "db"
seq = 9
account = "vault"
"#;

#[test]
fn warm_backups_are_shared_with_the_schedules_share_with_accounts() {
    // Warm: us-west-2 keeps copies under 2 days old from 1 ms after their runs: the runs at
    // -6 h … -54 h (9; -54 h's copy is 2 d less 1 ms younger than the newest at -6 h), so
    // backups #1 (-54 h) … #9 (-6 h) are laid down; home keeps 4 (#6 … #9), #1 … #5 are gone
    // at the start. #8 and #9 stand for backups h6 took, each shared with `vault`: its copy of
    // #8 and its restore of #9 at 01:00 are allowed (they read "not shared with vault" and
    // "no usable backup #9 … for vault" before).
    let r = run_text(VAULT);
    let actions = r.rows("actions.csv");
    let outcomes: Vec<(&str, &str)> = actions.iter().map(|a| (a["outcome"].as_str(), a["detail"].as_str())).collect();
    assert_eq!(outcomes, vec![("ok", "copy 11 requested"), ("ok", "disk 1 restored")]);
}
