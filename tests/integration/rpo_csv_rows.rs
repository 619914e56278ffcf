//! With `--detail full`, `rpo.csv` writes a row per volume, DR region and `rpo_resolution` step,
//! whatever the schedules do: ten volumes sampled every minute for 1,000 days wrote 817 MB of
//! rows, within the memory budget (rows are streamed). `run --detail full` and `validate` refuse
//! more than `max_events` rows at `rpo_resolution` (a row counts like an event), stating the rows, their size and the
//! coarsest resolution that fits; `--detail summary` does not write them and is not refused.

use copysim::scenario::overrides;

use crate::support::{copysim, scratch};

/// Fifteen EBS volumes copied daily to a DR region for 1,000 days, the RPO sampled every minute.
const MINUTES: &str = r#"name = "minutes"
start = "2026-01-05T00:00:00Z"
horizon = "1000d"
[report]
rpo_resolution = "1m"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[fleets]]
name = "db"
count = 15
account = "prod"
region = "us-east-1"
size = "100GB"
[[schedules]]
name = "daily"
volumes = ["db"]
every = "1d"
retention_days = 7
copy_to = [{ region = "us-west-2", retention_days = 7 }]
"#;

#[test]
fn rpo_csv_rows_past_max_events_are_refused_for_a_full_run() {
    let refused = overrides::parse_writing(MINUTES, "m.toml", None, &[], true).expect_err("refused").render();
    // 15 pairs × (1,000 days of minutes + 1) = 21,600,015 rows of about 58 bytes.
    assert!(refused.starts_with("m.toml:5:18: field `rpo_resolution`: with --detail full, rpo.csv would hold about 21600015 rows, about 1.25 GB"), "{refused}");
    assert!(refused.contains("more than max_events = 20000000 (a row counts like an event)"), "{refused}");
    assert!(refused.contains("(\"2m\" fits)") && refused.contains("--detail summary"), "{refused}");
    assert!(refused.contains("5 | rpo_resolution = \"1m\""), "{refused}");
    // The resolution it names fits; a summary run writes no rpo.csv; raising max_events allows it.
    assert!(overrides::parse_writing(&MINUTES.replace("\"1m\"", "\"2m\""), "m.toml", None, &[], true).is_ok());
    assert!(overrides::parse_writing(MINUTES, "m.toml", None, &[], false).is_ok());
    let raised = MINUTES.replace("horizon = \"1000d\"", "horizon = \"1000d\"\nmax_events = 21600015");
    assert!(overrides::parse_writing(&raised, "m.toml", None, &[], true).is_ok());
}

#[test]
fn run_and_validate_refuse_rpo_csv_rows_before_writing_anything() {
    let d = scratch("rpo-csv-rows", "cli");
    std::fs::write(d.join("m.toml"), MINUTES).unwrap();
    let o = copysim(&["run", "m.toml", "--out", "out"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: m.toml:5:18: field `rpo_resolution`: with --detail full, rpo.csv would hold"),
        "{err}"
    );
    assert!(!d.join("out").exists());
    let o = copysim(&["validate", "m.toml"], &d);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = copysim(&["validate", "--detail", "summary", "m.toml"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&d);
}

/// A row counts like an event, not more: a fleet of 2,000 volumes copied daily for a year, its
/// RPO sampled hourly (the default), writes 2,000 × (8,760 + 1) = 17,522,000 rows — a plausible
/// full run, far within the event budget otherwise, and accepted.
#[test]
fn an_hourly_rpo_timeline_of_a_two_thousand_volume_year_is_accepted_for_a_full_run() {
    let year = MINUTES
        .replace("horizon = \"1000d\"", "horizon = \"365d\"")
        .replace("rpo_resolution = \"1m\"\n", "")
        .replace("count = 15\n", "count = 2000\n");
    assert!(overrides::parse_writing(&year, "y.toml", None, &[], true).is_ok());
    // Past max_events rows, the same fleet is refused (1,200 more volumes: 28.0 M rows).
    let more = year.replace("count = 2000\n", "count = 3200\n");
    let refused = overrides::parse_writing(&more, "y.toml", None, &[], true).expect_err("refused").render();
    assert!(refused.contains("rpo.csv would hold about 28035200 rows"), "{refused}");
}
