//! A copy with no byte to move (nothing changed since its base) is still a transfer on its
//! link: it takes the link's latency and counts in `links[].transfers`. docs/scenario.md: a
//! link's latency is "added once to the end of every transfer".

use crate::support::{krs, run_text};

/// IBM, a 1 GB volume that never changes, backed up every 30 minutes and copied by hand to
/// us-east over a link with 30 minutes of latency: #2 and #3 hold 0 bytes each.
const IBM_STILL: &str = r#"name = "ibm-still"
start = "2026-05-04T00:00:00Z"
horizon = "3h"
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[regions]]
name = "us-east"
provider = "ibm_vpc"
[[links]]
from = "us-south"
to = "us-east"
bandwidth = "10Gbps"
latency = "30m"
[[accounts]]
name = "acct"
[[volumes]]
name = "v"
account = "acct"
region = "us-south"
size = "1GB"
daily_change = "0%"
[[schedules]]
name = "h"
volumes = ["v"]
every = "30m"
[[events]]
at = "12m"
action = "copy"
volume = "v"
seq = 1
to = "us-east"
[[events]]
at = "45m"
action = "copy"
volume = "v"
seq = 2
to = "us-east"
[[events]]
at = "1h 12m"
action = "copy"
volume = "v"
seq = 3
to = "us-east"
"#;

#[test]
fn a_copy_with_nothing_to_move_takes_the_link_latency_and_counts_as_a_transfer() {
    let r = run_text(IBM_STILL);
    let c1 = r.copy("v", 1, "us-east");
    assert!(c1["finished_at"].as_str() < "2026-05-04T00:45:00.000Z", "{c1:?}");
    // #2 (0 bytes) starts at 00:45 over the complete #1: 30 minutes of latency like any transfer.
    let c2 = r.copy("v", 2, "us-east");
    assert_eq!(krs(&c2), ("incremental", "predecessor_stable", "AVAILABLE"));
    assert_eq!((c2["bytes_transferred"].as_str(), c2["started_at"].as_str()), ("0", "2026-05-04T00:45:00.000Z"));
    assert_eq!(c2["finished_at"], "2026-05-04T01:15:00.000Z", "the latency is added to a 0-byte transfer too");
    // IBM: "If your backup plan calls for the creation of a remote copy before the previous
    // backup copy becomes stable, the Backup service initiates a full copy, not an incremental
    // one." #3's copy is asked for at 01:12, while #2's is still arriving.
    let c3 = r.copy("v", 3, "us-east");
    assert_eq!(krs(&c3), ("full", "predecessor_not_stable", "AVAILABLE"));
    // The link counts every transfer, the 0-byte one among them.
    let json: serde_json::Value = serde_json::from_slice(r.file("summary.json")).expect("json");
    let link = &json["links"][0];
    assert_eq!((link["to"].as_str(), link["transfers"].as_u64()), (Some("us-east"), Some(3)), "{link}");
}
