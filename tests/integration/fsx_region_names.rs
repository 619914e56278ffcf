//! FSx: the partitions and opt-in Regions a region's AWS name puts it in, when the scenario does
//! not say. "Cross-Region backup copies are supported only between any two commercial AWS
//! Regions, between the China (Beijing) and China (Ningxia) Regions, and between the AWS
//! GovCloud (US-East) and AWS GovCloud (US-West) Regions, but not across those sets of
//! Regions." "Cross-Region backup copies are not supported in opt-in Regions."

use crate::support::run_text;

const REGIONS: &str = r#"
name = "fsx-region-names"
start = "2026-04-06T00:00:00Z"
horizon = "1d"

[[regions]]
name = "us-east-1"
provider = "aws_fsx"

[[regions]]
name = "cn-north-1"
provider = "aws_fsx"

[[regions]]
name = "cn-northwest-1"
provider = "aws_fsx"

[[regions]]
name = "us-gov-west-1"
provider = "aws_fsx"

[[regions]]
name = "us-gov-east-1"
provider = "aws_fsx"

[[regions]]
name = "af-south-1"
provider = "aws_fsx"

[[accounts]]
name = "p"

[[volumes]]
name = "home"
account = "p"
region = "us-east-1"
size = "1GB"

[[volumes]]
name = "beijing"
account = "p"
region = "cn-north-1"
size = "1GB"

[[volumes]]
name = "govwest"
account = "p"
region = "us-gov-west-1"
size = "1GB"

[[volumes]]
name = "cape"
account = "p"
region = "af-south-1"
size = "1GB"
"#;

fn copy(volume: &str, to: &str) -> String {
    format!("\n[[events]]\nat = \"1h\"\naction = \"copy\"\nvolume = \"{volume}\"\nseq = 1\nto = \"{to}\"\n")
}

fn backup(volume: &str) -> String {
    format!("\n[[events]]\nat = \"0s\"\naction = \"backup\"\nvolume = \"{volume}\"\n")
}

#[test]
fn cross_region_copies_never_cross_the_partitions_and_opt_in_regions_the_region_names_give() {
    let mut text = REGIONS.to_string();
    for v in ["home", "beijing", "govwest", "cape"] {
        text += &backup(v);
    }
    for (v, to) in [
        ("home", "cn-north-1"),
        ("home", "us-gov-west-1"),
        ("beijing", "us-gov-east-1"),
        ("beijing", "cn-northwest-1"),
        ("govwest", "us-gov-east-1"),
        ("cape", "us-east-1"),
        ("home", "af-south-1"),
        ("cape", "af-south-1"),
    ] {
        text += &copy(v, to);
    }
    let r = run_text(&text);
    let refused = |v: &str, to: &str| r.copy(v, 1, to)["error"].clone();
    assert!(refused("home", "cn-north-1").contains("across partitions"), "{}", refused("home", "cn-north-1"));
    assert!(refused("home", "us-gov-west-1").contains("across partitions"));
    assert!(refused("beijing", "us-gov-east-1").contains("across partitions"));
    assert!(refused("cape", "us-east-1").contains("opt-in"));
    assert!(refused("home", "af-south-1").contains("opt-in"));
    // Within China, within GovCloud, and in-Region in an opt-in Region ("You can make in-Region
    // backup copies within any AWS Region"), copies go.
    for (v, to) in [("beijing", "cn-northwest-1"), ("govwest", "us-gov-east-1"), ("cape", "af-south-1")] {
        assert_eq!(r.copy(v, 1, to)["state"], "AVAILABLE", "{v} → {to}");
    }
    assert!(r.report.summary.warnings.is_empty(), "{:?}", r.report.summary.warnings);
}

#[test]
fn a_region_declared_against_its_names_partition_or_opt_in_is_warned_about() {
    let text = REGIONS
        .replace("name = \"cn-north-1\"\n", "name = \"cn-north-1\"\npartition = \"commercial\"\n")
        .replace("name = \"af-south-1\"\n", "name = \"af-south-1\"\nopt_in = false\n")
        + &backup("home")
        + &copy("home", "cn-north-1")
        + &copy("home", "af-south-1");
    let r = run_text(&text);
    assert_eq!(r.copy("home", 1, "cn-north-1")["state"], "AVAILABLE", "the declared partition is used");
    assert_eq!(r.copy("home", 1, "af-south-1")["state"], "AVAILABLE", "the declared opt_in is used");
    let w = &r.report.summary.warnings;
    assert!(w.iter().any(|w| w.contains("cn-north-1") && w.contains("partition")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("af-south-1") && w.contains("opt_in = false")), "{w:?}");
}
