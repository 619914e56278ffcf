//! Huawei CBR sharing: "When a sharer deletes a shared backup, the backup will also be deleted
//! from the recipient's account" — and with it, the space it took in the recipient's vault.

use crate::support::run_text;

/// A 150 GB vault holds one 100 GB shared backup at a time: #1 is accepted, then the sharer
/// deletes it; #2, shared the next day, fits again only if #1's space was given back.
const SCENARIO: &str = r#"
name = "vault-space"
start = "2026-01-05T00:00:00Z"
horizon = "2d"

[[regions]]
name = "cn-north-4"
provider = "huawei_cbr"

[[accounts]]
name = "owner"

[[accounts]]
name = "p2"
vaults = [{ name = "v", region = "cn-north-4", capacity = "150GB" }]

[[volumes]]
name = "disk"
account = "owner"
region = "cn-north-4"
size = "100GB"

[[schedules]]
name = "daily"
volumes = ["disk"]
every = "1d"

[[events]]
at = "2h"
action = "share"
volume = "disk"
seq = 1
account = "p2"

[[events]]
at = "3h"
action = "accept"
volume = "disk"
seq = 1
account = "p2"
vault = "v"

[[events]]
at = "1d 2h"
action = "share"
volume = "disk"
seq = 2
account = "p2"

[[events]]
at = "1d 3h"
action = "accept"
volume = "disk"
seq = 2
account = "p2"
vault = "v"
"#;

fn outcomes(text: &str) -> Vec<(String, String)> {
    let r = run_text(text);
    r.rows("actions.csv").iter().map(|a| (a["action"].clone(), a["outcome"].clone())).collect()
}

#[test]
fn a_shared_backup_deleted_by_the_sharer_gives_its_vault_space_back() {
    let deleted = SCENARIO.replace(
        "[[events]]\nat = \"1d 2h\"",
        "[[events]]\nat = \"4h\"\naction = \"delete_backup\"\nvolume = \"disk\"\nseq = 1\n\n[[events]]\nat = \"1d 2h\"",
    );
    let ok = |a: &str| (a.to_string(), "ok".to_string());
    assert_eq!(outcomes(&deleted), vec![ok("share"), ok("accept"), ok("delete_backup"), ok("share"), ok("accept")]);
}

#[test]
fn a_shared_backup_still_held_keeps_its_vault_space() {
    // The same without the deletion: 50 GB left, not more than 100 GB.
    let o = outcomes(SCENARIO);
    assert_eq!(o.last(), Some(&("accept".to_string(), "rejected".to_string())), "{o:?}");
}

#[test]
fn cancelling_a_share_deletes_it_for_its_recipient_and_frees_its_vault_space() {
    // "Canceling sharing - Click the Cancel Sharing tab, select the projects you want to cancel
    // sharing, and click OK": the recipient's accepted share is gone (DELETED), its 100 GB of
    // the vault free again for #2, and it can no longer restore from #1; the backup stays the
    // sharer's, and may be shared again.
    let cancelled = SCENARIO.replace(
        "[[events]]\nat = \"1d 2h\"",
        "[[events]]\nat = \"4h\"\naction = \"unshare\"\nvolume = \"disk\"\nseq = 1\naccount = \"p2\"\n\n\
         [[events]]\nat = \"5h\"\naction = \"restore\"\nvolume = \"disk\"\nseq = 1\naccount = \"p2\"\n\n\
         [[events]]\nat = \"6h\"\naction = \"unshare\"\nvolume = \"disk\"\nseq = 1\naccount = \"p2\"\n\n\
         [[events]]\nat = \"1d 2h\"",
    );
    let r = run_text(&cancelled);
    let actions = r.rows("actions.csv");
    let got: Vec<(&str, &str)> = actions.iter().map(|a| (a["action"].as_str(), a["outcome"].as_str())).collect();
    assert_eq!(
        got,
        [
            ("share", "ok"),
            ("accept", "ok"),
            ("unshare", "ok"),
            ("restore", "rejected"),
            ("unshare", "rejected"),
            ("share", "ok"),
            ("accept", "ok")
        ]
    );
    assert!(actions[4]["detail"].contains("is not shared with p2"), "{}", actions[4]["detail"]);
    let first = r.copy("disk", 1, "cn-north-4");
    assert_eq!((first["state"].as_str(), first["account"].as_str()), ("DELETED", "p2"));
    assert_eq!(r.rows("backups.csv").iter().filter(|b| b["state"] == "DELETED").count(), 0, "the backup stays");
}

/// Huawei: "A backup can be shared to a maximum of 10 projects." Ten projects are on #1's share
/// list; p01 declines (it stays listed) and p02's share is cancelled (off the list): p11 takes
/// p02's place, p12 is refused until the sharer cancels sharing with p01 too. Twelve projects
/// were once shared with at the same time as two of the ten had answered or been cancelled.
#[test]
fn a_declined_share_holds_its_place_among_the_ten_until_the_sharer_cancels_it() {
    let mut text = String::from(
        r#"name = "ten-projects"
start = "2026-06-01T00:00:00Z"
horizon = "1d"
[[regions]]
name = "cn-north-4"
provider = "huawei_cbr"
[[accounts]]
name = "owner"
[[volumes]]
name = "d"
account = "owner"
region = "cn-north-4"
size = "10GB"
[[schedules]]
name = "daily"
volumes = ["d"]
every = "1d"
"#,
    );
    let event = |at: &str, action: &str, p: u32| {
        format!("[[events]]\nat = \"{at}\"\naction = \"{action}\"\nvolume = \"d\"\nseq = 1\naccount = \"p{p:02}\"\n")
    };
    for p in 1..=12 {
        text += &format!("[[accounts]]\nname = \"p{p:02}\"\n");
    }
    for p in 1..=10 {
        text += &event("1h", "share", p);
    }
    text += &event("2h", "reject", 1);
    text += &event("2h", "unshare", 2);
    text += &event("3h", "share", 11);
    text += &event("3h", "share", 12);
    text += &event("4h", "unshare", 1);
    text += &event("5h", "share", 12);
    let r = run_text(&text);
    let later: Vec<(String, String)> = r
        .rows("actions.csv")
        .iter()
        .skip(10)
        .map(|a| (a["action"].clone(), format!("{} {}", a["outcome"], a["detail"])))
        .collect();
    let row = |action: &str, s: &str| (action.to_string(), s.to_string());
    assert_eq!(
        later,
        vec![
            row("reject", "ok share 1 rejected by the recipient"),
            row("unshare", "ok sharing cancelled: share 2 deleted for its recipient"),
            row("share", "ok share 11 pending acceptance"),
            row(
                "share",
                "rejected BackupService.ShareLimit: a backup can be shared to a maximum of 10 projects: 10 are on its \
                 share list (a project that declined stays there until sharing with it is cancelled)"
            ),
            row("unshare", "ok sharing cancelled: p01, which declined, is off the share list"),
            row("share", "ok share 13 pending acceptance"),
        ]
    );
}

#[test]
fn share_with_is_refused_for_a_huawei_disk_whose_shares_must_be_accepted() {
    // "share_with" is EBS's create-volume permission. On a Huawei disk it let p2 restore a
    // backup it never accepted ("A recipient can choose to accept or reject a backup. After
    // accepting a backup, the recipient can use the backup to create new servers or disks.");
    // a share is an event the recipient accepts.
    let text = SCENARIO.replace("every = \"1d\"\n", "every = \"1d\"\nshare_with = [\"p2\"]\n");
    let e = match copysim::scenario::parse(&text, "bad.toml") {
        Ok(_) => panic!("share_with on a Huawei disk was accepted"),
        Err(e) => e,
    };
    let first = &e.errors()[0];
    assert_eq!(first.field, "share_with", "{first}");
    assert!(first.message.contains("volume disk is huawei_cbr's"), "{first}");
}
