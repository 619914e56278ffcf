//! A warm start lays down only the copies its provider would have made: a target every copy to
//! which fails held none in the steady state. EBS: "Given key ID is not accessible" when the
//! copying account may not use the snapshot's key. Worked out by hand.

use crate::support::run_text;

/// One 200 GB EBS volume of `prod` under `prod-cmk` (not granted to `vault`), every 6 h, kept
/// 4 at home; copied into `vault` in us-west-2, kept 2 days.
const KEY_NOT_GRANTED: &str = r#"name = "warm-refused"
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
[[keys]]
name = "prod-cmk"
account = "prod"
region = "us-east-1"
[[volumes]]
name = "db"
account = "prod"
region = "us-east-1"
size = "200GB"
daily_change = "10%"
key = "prod-cmk"
[[schedules]]
name = "h6"
volumes = ["db"]
every = "6h"
retention_count = 4
share_with = ["vault"]
copy_to = [{ region = "us-west-2", account = "vault", retention_days = 2 }]
"#;

#[test]
fn a_warm_start_lays_down_no_copy_its_provider_would_refuse() {
    // Every copy into `vault` fails to start: it may not use `prod-cmk`. The four scheduled
    // ones (0, 6, 12, 18 h) are FAULTY; the steady state had no copy in us-west-2 either. Nine
    // warm copies (2 days of runs) were laid down all the same, AVAILABLE, and us-west-2's RPO
    // read them (p50 18 h). Now none: us-west-2 has no restore point all day, its RPO the time
    // since the start (p50 12 h, max 1 d), and the warm backups stay at home alone.
    let r = run_text(KEY_NOT_GRANTED);
    let s = &r.report.summary;
    assert_eq!(s.copies.warm, 0);
    assert_eq!(s.copies.by_state.get("FAULTY"), Some(&4));
    let west = r.rows("backups.csv").iter().filter(|b| b["region"] == "us-west-2").count();
    assert_eq!(west, 0);
    let rpo = &s.rpo[0];
    assert_eq!((rpo.p50_ms, rpo.max_ms), (43_200_000, 86_400_000));
    // Nine runs are laid down at home for the target's 2 days; the count deletes five at the start.
    assert_eq!(s.backups.warm, 9);
}

#[test]
fn a_second_schedules_warm_copy_into_another_account_is_shared_as_its_backups_are() {
    // Key granted to `vault`; a first schedule `home` (hourly, kept 2, no copy) makes db's warm
    // backups (#1 -2 h, #2 -1 h); `h6` copies into `vault`, sharing its backups with it. Its
    // target holds a copy of the newest warm backup, which stands for h6's run: shared with
    // `vault` like every backup h6 takes, the copy is admitted (EBS: "not shared with vault"
    // refuses it otherwise) and us-west-2 has a restore point from the start.
    let text = KEY_NOT_GRANTED
        .replace("region = \"us-east-1\"\n[[volumes]]", "region = \"us-east-1\"\ngrants = [\"vault\"]\n[[volumes]]")
        .replace(
            "[[schedules]]\nname = \"h6\"",
            "[[schedules]]\nname = \"home\"\nvolumes = [\"db\"]\nevery = \"1h\"\nretention_count = 2\n[[schedules]]\nname = \"h6\"",
        );
    let r = run_text(&text);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (2, 1));
    let warm = r.copy("db", 2, "us-west-2");
    assert_eq!((warm["trigger"].as_str(), warm["account"].as_str()), ("warm", "vault"));
}

#[test]
fn a_place_whose_first_schedules_warm_copies_are_refused_is_left_to_the_next_schedule() {
    // Key granted to `vault`; a first schedule `audit` copies db into `vault` in us-west-2 under
    // `audit-cmk`, which `vault` may not use ("Given key ID is not accessible"): it lays down no
    // warm copy there. A second schedule `dr` copies to the same place under vault's default
    // key, which it may use. The place was claimed by `audit` all the same, so `dr` laid down
    // nothing and its first scheduled copy was full. Now `dr` holds the copy of the newest warm
    // backup (#9, `audit`'s 4 kept and the 5 more its target's 2 days hold), and its copies
    // through the day are incremental.
    let text = KEY_NOT_GRANTED
        .replace("region = \"us-east-1\"\n[[volumes]]", "region = \"us-east-1\"\ngrants = [\"vault\"]\n[[keys]]\nname = \"audit-cmk\"\naccount = \"prod\"\nregion = \"us-west-2\"\n[[volumes]]")
        .replace("name = \"h6\"", "name = \"audit\"")
        .replace("account = \"vault\", retention_days", "account = \"vault\", key = \"audit-cmk\", retention_days")
        + "[[schedules]]\nname = \"dr\"\nvolumes = [\"db\"]\nevery = \"6h\"\nretention_count = 4\nshare_with = [\"vault\"]\ncopy_to = [{ region = \"us-west-2\", account = \"vault\", retention_days = 2 }]\n";
    let r = run_text(&text);
    let s = &r.report.summary;
    assert_eq!((s.backups.warm, s.copies.warm), (9, 1));
    let warm = r.copy("db", 9, "us-west-2");
    assert_eq!((warm["trigger"].as_str(), warm["account"].as_str()), ("warm", "vault"));
    assert_eq!(s.copies.by_state.get("FAULTY"), Some(&4), "audit's four scheduled copies");
    assert_eq!(
        (s.copies.by_kind.get("incremental"), s.copies.by_kind.get("full")),
        (Some(&4), None),
        "dr builds on the warm copy"
    );
}
