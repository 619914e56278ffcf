//! A copy's result that is not a restore point yet — an incremental that landed before the copy
//! it builds on — has only its changes in its region: it can be neither restored nor copied on
//! (docs/model.md, RPO: "an incremental copy holds only the changes since its base, so it
//! cannot be restored while the base is still moving").

use crate::support::run_text;

/// OCI: a 1 TB volume backed up hourly, copied to Frankfurt. #1's full copy takes until 04:11;
/// #2's incremental lands at 01:24:30 and waits for it. At 01:40, #2 is copied from Frankfurt on
/// to Phoenix and restored in Frankfurt; at 04:30, after #1 landed, both again.
const OCI_HOP: &str = r#"name = "oci-hop"
start = "2026-03-02T00:00:00Z"
horizon = "6h"
[[regions]]
name = "uk-london-1"
provider = "oci"
[[regions]]
name = "eu-frankfurt-1"
provider = "oci"
[[regions]]
name = "us-phoenix-1"
provider = "oci"
[[accounts]]
name = "t"
[[volumes]]
name = "v"
account = "t"
region = "uk-london-1"
size = "1TB"
daily_change = "2.4%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "eu-frankfurt-1" }]
[[events]]
at = "1h 40m"
action = "copy"
volume = "v"
seq = 2
from = "eu-frankfurt-1"
to = "us-phoenix-1"
[[events]]
at = "1h 40m"
action = "restore"
volume = "v"
seq = 2
region = "eu-frankfurt-1"
[[events]]
at = "4h 30m"
action = "copy"
volume = "v"
seq = 2
from = "eu-frankfurt-1"
to = "us-phoenix-1"
[[events]]
at = "4h 30m"
action = "restore"
volume = "v"
seq = 2
region = "eu-frankfurt-1"
"#;

#[test]
fn a_copy_that_landed_before_its_base_is_neither_copied_on_nor_restored_until_its_base_lands() {
    let r = run_text(OCI_HOP);
    let two = r.copy("v", 2, "eu-frankfurt-1");
    assert_eq!(
        (two["kind"].as_str(), two["finished_at"].as_str(), two["restorable_at"].as_str()),
        ("incremental", "2026-03-02T01:24:30.000Z", "2026-03-02T04:11:00.000Z"),
        "the scenario's premise: #2 landed at 01:24:30 and waits for #1"
    );
    let actions = r.rows("actions.csv");
    let detail =
        |i: usize| (actions[i]["action"].as_str(), actions[i]["outcome"].as_str(), actions[i]["detail"].as_str());
    // At 01:40 Frankfurt holds #2's changes only: copying it on as a full copy moved a terabyte
    // Frankfurt did not have (Phoenix could then hold a restore point before Frankfurt did).
    let landed_early = "IncorrectState: backup #2 of v landed in eu-frankfurt-1 before the copy it builds on (#1, still being copied): it is not a restore point yet";
    assert_eq!(detail(0), ("copy", "rejected", landed_early));
    assert_eq!(
        detail(1),
        (
            "restore",
            "rejected",
            "IncorrectState: backup #2 landed before the copy it builds on (#1, still being copied) in eu-frankfurt-1: it is not a restore point yet"
        ),
        "not ready, in the words a copy from there uses — not `NotAuthorizedOrNotFound: no usable backup`"
    );
    assert_eq!(detail(2).1, "ok", "once #1 landed, #2 is a restore point and may be copied on: {:?}", detail(2));
    assert_eq!(detail(3).1, "ok", "and restored: {:?}", detail(3));
    let phx = r.copies_of("v", 2, "us-phoenix-1");
    assert_eq!(phx.len(), 1, "only the copy asked for after #1 landed ran: {phx:?}");
    assert_eq!(phx[0]["requested_at"], "2026-03-02T04:30:00.000Z");
}

#[test]
fn a_restore_of_a_copy_still_moving_says_it_is_still_being_copied() {
    // The same not-ready answer `copy … from` gives for a copy still moving there.
    let text = OCI_HOP.replace("at = \"1h 40m\"\naction = \"restore\"", "at = \"1h 24m 25s\"\naction = \"restore\"");
    let r = run_text(&text);
    let actions = r.rows("actions.csv");
    let restore = actions.iter().find(|a| a["action"] == "restore").unwrap();
    assert_eq!(
        restore["detail"],
        "IncorrectState: backup #2 is still being copied into eu-frankfurt-1: it is not a restore point yet"
    );
}
