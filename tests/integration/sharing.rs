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
