//! EBS keys are regional (aws-ebs-snapshot-copy.md, "Encryption and snapshot copying"): "If
//! `KmsKeyId` is not specified, the key that is used for encryption depends on the encryption
//! state of the source snapshot and its ownership", and the table's footnote names the key a
//! copy to another Region gets: "* This is the default CMK used for EBS encryption for the AWS
//! account and Region." A key named for the copy ("** ... used instead of the default CMK for
//! the AWS account and Region") must be one of the destination Region.

use crate::support::{krs, run_text};

/// An hourly lineage under a CMK of us-east-1, copied to us-west-2 naming no key; a copy by
/// hand within us-east-1; later copies asked under a us-east-1 key (refused) and a us-west-2 key.
const LINEAGE: &str = r#"name = "ebs-regional-keys"
start = "2026-07-06T00:00:00Z"
horizon = "6h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[keys]]
name = "east-cmk"
account = "prod"
region = "us-east-1"
[[keys]]
name = "west-cmk"
account = "prod"
region = "us-west-2"
[[volumes]]
name = "orders"
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "10%"
key = "east-cmk"
[[schedules]]
name = "hourly"
volumes = ["orders"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
[[events]]
at = "2h 30m"
action = "copy"
volume = "orders"
seq = 2
to = "us-east-1"
[[events]]
at = "2h 40m"
action = "copy"
volume = "orders"
seq = 2
to = "us-west-2"
key = "east-cmk"
[[events]]
at = "3h 30m"
action = "change_key"
volume = "orders"
to = "us-west-2"
key = "west-cmk"
"#;

#[test]
fn a_cross_region_lineage_naming_no_key_chains_under_the_destination_default_key() {
    // "* This is the default CMK used for EBS encryption for the AWS account and Region":
    // every copy of the lineage in us-west-2 is under prod's aws/ebs there, so after the first
    // full copy the next ones are incremental ("All copies of the snapshot in the destination
    // Region or account are either unencrypted or were encrypted using the same CMK").
    let r = run_text(LINEAGE);
    assert_eq!(krs(&r.copy("orders", 1, "us-west-2")), ("full", "first_copy", "AVAILABLE"));
    assert_eq!(krs(&r.copy("orders", 2, "us-west-2")), ("incremental", "previous_copy_exists", "AVAILABLE"));
    assert_eq!(krs(&r.copy("orders", 3, "us-west-2")), ("incremental", "previous_copy_exists", "AVAILABLE"));
    let backups = r.rows("backups.csv");
    let key_of = |region: &str, origin: &str, seq: &str| {
        let b = backups
            .iter()
            .find(|b| b["region"] == region && b["origin"] == origin && b["backup_seq"] == seq)
            .unwrap_or_else(|| panic!("no {origin} backup #{seq} in {region}"));
        b["key"].clone()
    };
    assert_eq!(key_of("us-east-1", "source", "1"), "east-cmk");
    for seq in ["1", "2", "3"] {
        assert_eq!(key_of("us-west-2", "copy", seq), "aws/ebs", "copy #{seq}: not the source's us-east-1 CMK");
    }
    // "Snapshot copy operations within a single account and Region do not copy any actual data
    // ... as long as the encryption status of the snapshot copy does not change": the source's
    // own CMK, no data.
    let same_region = r.copy("orders", 2, "us-east-1");
    assert_eq!(krs(&same_region), ("no_data", "same_region_no_data", "AVAILABLE"));
    assert_eq!(key_of("us-east-1", "copy", "2"), "east-cmk");
}

#[test]
fn a_copy_naming_a_key_of_another_region_is_refused_and_one_of_the_destination_is_used() {
    // "** This is a customer managed CMK specified for the copy action. This CMK is used instead
    // of the default CMK for the AWS account and Region": a key of the destination Region.
    let r = run_text(LINEAGE);
    let refused = &r.copies_of("orders", 2, "us-west-2")[1];
    assert_eq!(refused["state"], "REJECTED");
    assert_eq!(
        refused["error"],
        "InvalidParameterValue: KmsKeyId east-cmk is a key of us-east-1: a copy to us-west-2 is encrypted with a KMS key of its destination Region"
    );
    // From 3h30m (#5 on) copies to us-west-2 go under west-cmk: "If you copy a snapshot and encrypt it
    // to a new CMK, a complete (non-incremental) copy is always created" — then incremental.
    assert_eq!(krs(&r.copy("orders", 5, "us-west-2")), ("full", "key_changed", "AVAILABLE"));
    assert_eq!(krs(&r.copy("orders", 6, "us-west-2")), ("incremental", "previous_copy_exists", "AVAILABLE"));
}

#[test]
fn a_schedule_copy_target_under_a_key_of_another_region_is_a_validation_error() {
    let text = LINEAGE.replace(
        r#"copy_to = [{ region = "us-west-2" }]"#,
        r#"copy_to = [{ region = "us-west-2", key = "east-cmk" }]"#,
    );
    let err = copysim::scenario::parse(&text, "inline.toml").expect_err("refused at validation").to_string();
    assert!(err.contains("InvalidParameterValue"), "{err}");
    assert!(err.contains("KmsKeyId east-cmk is a key of us-east-1"), "{err}");
}

#[test]
fn a_scenario_key_cannot_take_the_name_of_the_default_key() {
    // backups.csv names a copy's key `aws/ebs` when it is the account's default key: a declared
    // key of that name would read the same.
    let text = LINEAGE
        .replace(r#"name = "west-cmk""#, r#"name = "aws/ebs""#)
        .replace(r#"key = "west-cmk""#, r#"key = "aws/ebs""#);
    let err = copysim::scenario::parse(&text, "inline.toml").expect_err("a reserved name").to_string();
    assert!(err.contains("field `name`: the key name `aws/ebs` is reserved"), "{err}");
}

/// An unencrypted hourly lineage copied to us-west-2 by an account with encryption by default.
const BY_DEFAULT: &str = r#"name = "ebs-encryption-by-default"
start = "2026-07-06T00:00:00Z"
horizon = "4h"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
encryption_by_default = true
[[volumes]]
name = "orders"
account = "prod"
region = "us-east-1"
size = "10GB"
daily_change = "10%"
[[schedules]]
name = "hourly"
volumes = ["orders"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
"#;

#[test]
fn encryption_by_default_encrypts_an_unencrypted_lineage_under_the_default_key() {
    // "You apply encryption to EBS snapshot copies by setting the `Encrypted` parameter to
    // `true`. (The `Encrypted` parameter is optional if encryption by default is enabled)":
    // the snapshots stay unencrypted, their copies are under prod's aws/ebs of us-west-2 —
    // full the first time ("changing the encryption status of a snapshot during a copy
    // operation results in a full (not incremental) copy"), then incremental on it.
    let r = run_text(BY_DEFAULT);
    assert_eq!(krs(&r.copy("orders", 1, "us-west-2")), ("full", "first_copy", "AVAILABLE"));
    assert_eq!(krs(&r.copy("orders", 2, "us-west-2")), ("incremental", "previous_copy_exists", "AVAILABLE"));
    let backups = r.rows("backups.csv");
    for b in &backups {
        let want = if b["origin"] == "copy" { "aws/ebs" } else { "" };
        assert_eq!(b["key"], want, "{} backup #{} in {}", b["origin"], b["backup_seq"], b["region"]);
    }
    // Without it, the copies are unencrypted, and the lineage chains all the same.
    let r = run_text(&BY_DEFAULT.replace("encryption_by_default = true", "encryption_by_default = false"));
    assert!(r.rows("backups.csv").iter().all(|b| b["key"].is_empty()));
    assert_eq!(krs(&r.copy("orders", 2, "us-west-2")), ("incremental", "previous_copy_exists", "AVAILABLE"));
}

#[test]
fn an_accounts_chosen_default_key_encrypts_its_copies_in_that_region() {
    // "By default this is a unique AWS managed CMK for EBS, or you can specify a customer
    // managed CMK."
    let text = BY_DEFAULT.replace(
        "encryption_by_default = true\n",
        "encryption_by_default = true\ndefault_key = \"west-cmk\"\n[[keys]]\nname = \"west-cmk\"\naccount = \"prod\"\nregion = \"us-west-2\"\n",
    );
    let r = run_text(&text);
    let copies: Vec<_> = r.rows("backups.csv").into_iter().filter(|b| b["origin"] == "copy").collect();
    assert!(!copies.is_empty() && copies.iter().all(|b| b["key"] == "west-cmk"));
}

#[test]
fn the_accounts_encryption_settings_are_checked_at_validation() {
    let with_key = |setting: &str, key: &str| {
        BY_DEFAULT.replace("encryption_by_default = true\n", &format!("{setting}\n[[accounts]]\nname = \"sec\"\n{key}"))
    };
    let err = |text: &str| copysim::scenario::parse(text, "inline.toml").expect_err("refused").to_string();
    // A key nobody declared.
    let e = err(&with_key("default_key = \"nope\"", ""));
    assert!(e.contains("field `default_key`") && e.contains("nope"), "{e}");
    // Another account's key, not granted.
    let lent = "[[keys]]\nname = \"sec-cmk\"\naccount = \"sec\"\n";
    let e = err(&with_key("default_key = \"sec-cmk\"", lent));
    assert!(e.contains("key `sec-cmk` belongs to account `sec` and is not granted to `prod`"), "{e}");
    // Granted: accepted.
    let granted = format!("{lent}grants = [\"prod\"]\n");
    assert!(copysim::scenario::parse(&with_key("default_key = \"sec-cmk\"", &granted), "inline.toml").is_ok());
    // A key in a region whose provider keeps no default key: the account's default key
    // applies in its key's region, so it would never be used (it was accepted, silently).
    let ibm = "[[regions]]\nname = \"us-south\"\nprovider = \"ibm_vpc\"\n[[keys]]\nname = \"ibm-cmk\"\naccount = \"prod\"\nregion = \"us-south\"\n";
    let e = err(&with_key("default_key = \"ibm-cmk\"", ibm));
    assert!(
        e.contains("field `default_key`: key `ibm-cmk` is in region us-south (ibm_vpc), which keeps no default key"),
        "{e}"
    );
    let text = with_key("default_key = \"ibm-cmk\"", ibm);
    assert_eq!(copysim::scenario::parse(&text, "inline.toml").expect_err("refused").errors().len(), 1, "{e}");
    let anywhere = ibm.replace("region = \"us-south\"\n", "");
    assert!(copysim::scenario::parse(&with_key("default_key = \"ibm-cmk\"", &anywhere), "inline.toml").is_ok());
    // No region of a provider that keeps a default key.
    let oci =
        BY_DEFAULT.replace("aws_ebs", "oci").replace("us-east-1", "us-ashburn-1").replace("us-west-2", "us-phoenix-1");
    let e = err(&oci);
    assert!(
        e.contains("field `encryption_by_default`")
            && e.contains(
                "account setting of aws_ebs (its default key per account and region), and no region here is of aws_ebs"
            ),
        "{e}"
    );
}
