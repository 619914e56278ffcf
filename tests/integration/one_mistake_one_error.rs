//! One mistake, one error: a declaration refused for a mistake of its own is not reported again
//! as "unknown" (or as a copy that can never work) wherever it is named. Each case edits one
//! line of an example scenario and expects exactly the error at that line: before, a fleet with
//! a bad size also gave four "unknown volume `db-0001`" errors pointing at correct lines.

use copysim::scenario::parse;

/// The errors of `file` (under the crate root) with line `line` replaced by `with`.
fn errors_with(file: &str, line: usize, with: &str) -> Vec<(usize, String, String)> {
    let path = crate::support::root().join(file);
    let text = std::fs::read_to_string(&path).expect("an example scenario");
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert!(!lines[line - 1].trim().is_empty(), "{file}:{line} is blank");
    lines[line - 1] = with;
    let edited = lines.join("\n");
    match parse(&edited, "s.toml") {
        Ok(_) => panic!("{file} with line {line} = {with} was accepted"),
        Err(e) => e.errors().iter().map(|e| (e.line, e.field.clone(), e.message.clone())).collect(),
    }
}

/// Exactly one error, at `line`, for field `field`.
fn only_error_at(file: &str, line: usize, with: &str, field: &str) {
    let errors = errors_with(file, line, with);
    assert_eq!(errors.len(), 1, "{file}:{line} = {with}: {errors:#?}");
    assert_eq!((errors[0].0, errors[0].1.as_str()), (line, field), "{errors:#?}");
}

/// The line of `file` that reads `text` after `after` lines.
fn line_of(file: &str, text: &str, after: usize) -> usize {
    let body = std::fs::read_to_string(crate::support::root().join(file)).expect("an example scenario");
    body.lines().enumerate().skip(after).find(|(_, l)| l.trim() == text).map(|(i, _)| i + 1).expect(text)
}

#[test]
fn a_fleet_refused_for_its_size_is_not_unknown_where_its_members_are_named() {
    // quickstart: fast_restore and two events name db-0001 and db-0002.
    let f = "scenarios/quickstart.toml";
    only_error_at(f, line_of(f, "size = \"200GB\"", 0), "size = \"-1\"", "size");
    only_error_at(f, line_of(f, "count = 40", 0), "count = 0", "count");
    // size above size_max is placed at `size`, the line before; still one error.
    let errors = errors_with(f, line_of(f, "size_max = \"2TB\"", 0), "size_max = \"1GB\"");
    assert_eq!(errors.len(), 1, "{errors:#?}");
}

#[test]
fn a_member_name_past_a_refused_fleets_count_is_still_unknown() {
    // A name the fleet would never have made is a mistake of its own.
    let f = "scenarios/quickstart.toml";
    let text = std::fs::read_to_string(crate::support::root().join(f)).expect("quickstart");
    let edited = text.replacen("size = \"200GB\"", "size = \"-1\"", 1).replacen(
        "volumes = [\"db-0001\", \"db-0002\"]",
        "volumes = [\"db-0001\", \"db-0041\"]",
        1,
    );
    let e = parse(&edited, "s.toml").expect_err("refused");
    let unknown: Vec<_> = e.errors().iter().filter(|e| e.message.contains("unknown")).collect();
    assert_eq!(unknown.len(), 1, "{:#?}", e.errors());
    assert!(unknown[0].message.contains("`db-0041`"), "{:#?}", unknown[0]);
}

#[test]
fn an_instance_refused_for_its_account_or_region_is_not_unknown_where_volumes_attach() {
    let f = "scenarios/mixed-fleet-90d.toml";
    let name = line_of(f, "name = \"db-vsi-1\"", 0);
    only_error_at(f, name + 1, "account = \"ghost\"", "account");
    only_error_at(f, name + 2, "region = \"ghost\"", "region");
}

#[test]
fn a_policy_or_plan_refused_is_not_unknown_where_an_event_names_it() {
    let f = "scenarios/mixed-fleet-90d.toml";
    // The region of the policy's provider, the policy's own account, and its plan's cron.
    only_error_at(f, line_of(f, "provider = \"ibm_vpc\"", 0), "provider = \"gcp\"", "provider");
    let policy = line_of(f, "name = \"weekly-archive\"", 0);
    only_error_at(f, policy + 1, "account = \"ghost\"", "account");
    only_error_at(f, line_of(f, "cron = \"weekly\"", 0), "cron = \"fortnightly\"", "cron");
}

#[test]
fn a_region_refused_is_not_unknown_in_an_iam_condition_nor_its_copies_never_working() {
    // oci-permissions: lhr's provider misspelt; its IAM conditions name it by code.
    let f = "scenarios/oci-permissions.toml";
    only_error_at(f, line_of(f, "code = \"lhr\"", 0) + 1, "provider = \"oracle\"", "provider");
}

#[test]
fn a_region_named_twice_in_one_condition_is_placed_at_each_naming() {
    let f = "scenarios/oci-permissions.toml";
    let errors = errors_with(f, line_of(f, "code = \"fra\"", 0), "code = \"xx\"");
    let fra: Vec<_> = errors.iter().filter(|e| e.2.contains("region `fra`")).collect();
    assert!(fra.len() >= 2, "{errors:#?}");
    let text = std::fs::read_to_string(crate::support::root().join(f)).expect("oci-permissions");
    let edited = text.replacen("code = \"fra\"", "code = \"xx\"", 1);
    let e = parse(&edited, "s.toml").expect_err("refused");
    let mut at: Vec<(usize, usize)> =
        e.errors().iter().filter(|e| e.message.contains("region `fra`")).map(|e| (e.line, e.column)).collect();
    let n = at.len();
    at.sort();
    at.dedup();
    assert_eq!(at.len(), n, "two namings placed at one column: {at:?}");
    // A statement the condition made refused leaves its copies to that error.
    assert!(!e.errors().iter().any(|e| e.message.contains("can never work")), "{:#?}", e.errors());
}

#[test]
fn a_refused_zone_count_is_not_priced() {
    let f = "scenarios/quickstart.toml";
    only_error_at(f, line_of(f, "zones = 1", 0), "zones = 4294967295", "zones");
}

#[test]
fn a_refused_horizon_or_event_budget_is_not_checked_against() {
    // horizon = "0s" also said the 30 min offset "would come after the horizon"; max_events = 0
    // also said the scenario "needs about 49645 events, more than max_events = 0".
    let f = "scenarios/quickstart.toml";
    only_error_at(f, line_of(f, "horizon = \"7d\"", 0), "horizon = \"0s\"", "horizon");
    only_error_at(f, line_of(f, "seed = 42", 0), "max_events = 0", "max_events");
}

#[test]
fn a_vault_refused_is_not_missing_where_a_share_is_accepted_into_it() {
    // huawei-sharing: p01's vault `big` with a capacity of 0 (or an unknown region) also gave
    // "account p01 has no vault `big`; it declares none" at both accepts into it.
    let f = "scenarios/huawei-sharing.toml";
    let line = line_of(f, "vaults = [{ name = \"big\", region = \"cn-north-4\", capacity = \"1TB\" }]", 0);
    only_error_at(f, line, "vaults = [{ name = \"big\", region = \"cn-north-4\", capacity = \"0B\" }]", "capacity");
    only_error_at(f, line, "vaults = [{ name = \"big\", region = \"nowhere\", capacity = \"1TB\" }]", "region");
    // A vault renamed is missing where the old name is used.
    let errors = errors_with(f, line, "vaults = [{ name = \"other\", region = \"cn-north-4\", capacity = \"1TB\" }]");
    assert!(errors.iter().any(|e| e.2.contains("has no vault `big`")), "{errors:#?}");
}

#[test]
fn a_size_its_provider_refuses_is_not_also_over_the_byte_totals() {
    // ibm-stable-before-copy: size = "1EB" on a first-generation IBM volume ("Backup snapshots
    // over 10 TB are not supported for Generation 1 ...") also said "sizes too large for this
    // many backups and copies ... exceed 2^64 bytes" at the same `size`.
    let f = "scenarios/ibm-stable-before-copy.toml";
    let line = line_of(f, "size = \"3TB\"", 0);
    let errors = errors_with(f, line, "size = \"1EB\"");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].2.contains("Backup snapshots over 10 TB are not supported"), "{errors:#?}");
    // A size the provider takes is still counted: 10 EB of FSx backups overflow the totals.
    let f = "scenarios/fsx-quota-and-deletion.toml";
    let errors = errors_with(f, line_of(f, "size = \"1.2TB\"", 0), "size = \"10EB\"");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].2.contains("exceed 2^64 bytes"), "{errors:#?}");
}

#[test]
fn a_refused_retention_is_not_laid_down_by_a_warm_start() {
    // With warm_start, retention_days = 5000 on an hourly schedule also said it "keeps more
    // than 100000 runs before the start"; retention_count = 700 on a plan of generation-2 IBM
    // volumes (at most 512) also said the scenario "needs about 21060002 events ... 700 before
    // the start". The refused value is now left out of what is built on it.
    let hourly = r#"name = "t"
start = "2026-01-01T00:00:00Z"
horizon = "1d"
warm_start = true
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "10GB"
[[schedules]]
name = "s"
volumes = ["v"]
every = "1h"
retention_days = 5000
"#;
    let e = parse(hourly, "s.toml").expect_err("refused");
    let errors: Vec<_> = e.errors().iter().map(|e| (e.line, e.field.clone())).collect();
    assert_eq!(errors, [(19, "retention_days".to_string())], "{:#?}", e.errors());
    assert!(parse(&hourly.replace("5000", "1000"), "s.toml").is_ok());
    let plan = r#"name = "t"
start = "2026-01-01T00:00:00Z"
horizon = "1h"
warm_start = true
[[regions]]
name = "us-south"
provider = "ibm_vpc"
[[accounts]]
name = "a"
[[fleets]]
name = "g"
count = 15000
account = "a"
region = "us-south"
size = "1GB"
generation = 2
tags = ["t"]
[[policies]]
name = "p"
account = "a"
region = "us-south"
tags = ["t"]
[[policies.plans]]
name = "p0"
cron = "0 * * * *"
retention_count = 700
"#;
    let e = parse(plan, "s.toml").expect_err("refused");
    let errors: Vec<_> = e.errors().iter().map(|e| (e.line, e.field.clone())).collect();
    assert_eq!(errors, [(26, "retention_count".to_string())], "{:#?}", e.errors());
    assert!(parse(&plan.replace("700", "512"), "s.toml").is_ok());
}

#[test]
fn budgets_past_max_events_together_are_one_error() {
    // quickstart with max_events = 1 gave four errors (the events at `every`, the RPO samples at
    // `rpo_resolution`, the drills at an outage, the cost ledger at `horizon`) for one value.
    // It is one error at max_events, naming each budget and the least value that fits all.
    let f = "scenarios/quickstart.toml";
    let seed = line_of(f, "seed = 42", 0);
    let errors = errors_with(f, seed, "max_events = 1");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (line, field, message) = &errors[0];
    assert_eq!((*line, field.as_str()), (seed, "max_events"), "{message}");
    for part in [
        "the run's events: about 49645",
        "the RPO timeline: about 40560 samples",
        "the drills of the 2 region outages",
        "the cost ledger's lines: about 14",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // 49645 events + 40560 / 2 samples + 240 restores + 14 ledger lines.
    assert!(message.contains("raise it to 70179 or more"), "{message}");
    let text = std::fs::read_to_string(crate::support::root().join(f)).expect("quickstart");
    assert!(parse(&text.replace("seed = 42", "max_events = 70179"), "s.toml").is_ok());
    assert!(parse(&text.replace("seed = 42", "max_events = 70178"), "s.toml").is_err());
    // A horizon that puts the events and the RPO samples past the default: one error at it.
    let horizon = line_of(f, "horizon = \"7d\"", 0);
    let errors = errors_with(f, horizon, "horizon = \"1000000d\"");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!((errors[0].0, errors[0].1.as_str()), (horizon, "horizon"), "{errors:#?}");
    assert!(errors[0].2.contains("over this horizon 2 budgets are past max_events = 20000000"), "{errors:#?}");
    // One budget past its limit keeps its own message, at its own field.
    let errors = errors_with(f, line_of(f, "every = \"1h\"", 0), "every = \"1s\"");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].1, "every", "{errors:#?}");
}

#[test]
fn a_blank_name_refused_is_not_listed_among_the_known() {
    // quickstart with us-west-2 renamed "" read "unknown region `us-west-2` (known: , us-east-1)".
    let f = "scenarios/quickstart.toml";
    let errors = errors_with(f, line_of(f, "name = \"us-west-2\"", 0), "name = \"\"");
    let unknown: Vec<&String> = errors.iter().map(|e| &e.2).filter(|m| m.starts_with("unknown region")).collect();
    assert!(!unknown.is_empty(), "{errors:#?}");
    assert!(unknown.iter().all(|m| m.ends_with("(known: us-east-1)")), "{unknown:#?}");
    // Nor a blank region code among the regions an IAM condition may name ("declared: , fra").
    let f = "scenarios/oci-permissions.toml";
    let errors = errors_with(f, line_of(f, "code = \"lhr\"", 0), "code = \"\"");
    let named: Vec<&String> = errors.iter().map(|e| &e.2).filter(|m| m.contains("(declared: ")).collect();
    assert!(
        !named.is_empty() && named.iter().all(|m| m.ends_with("(declared: uk-london-1, fra, phx, iad)")),
        "{errors:#?}"
    );
    // "expected a account name".
    let f = "scenarios/quickstart.toml";
    let errors = errors_with(f, line_of(f, "name = \"prod\"", 0), "name = \"\"");
    assert!(errors[0].2.starts_with("expected an account name, found an empty string"), "{errors:#?}");
}

#[test]
fn a_blank_iam_group_is_refused_at_the_group_alone() {
    // oci-permissions with group = "" was accepted, and both copy targets of the account said
    // "can never work: NotAuthorizedOrNotFound: group  lacks VOLUME_BACKUP_READ".
    let f = "scenarios/oci-permissions.toml";
    only_error_at(f, line_of(f, "group = \"MyTestGroup\"", 0), "group = \"\"", "group");
    only_error_at(f, line_of(f, "group = \"MyTestGroup\"", 0), "group = \"  \"", "group");
}
