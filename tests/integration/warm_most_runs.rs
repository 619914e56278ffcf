//! A warm start whose steady state holds more runs than a warm start lays down (100,000 a
//! schedule) is refused at validation, at the schedule's timing, instead of starting silently
//! below its steady state.

/// One EBS volume every minute, kept a year at home and in us-west-2 (`KEPT` days).
const MINUTELY: &str = r#"name = "warm-minutely"
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
name = "a"
[[volumes]]
name = "db"
account = "a"
region = "us-east-1"
size = "200GB"
[[schedules]]
name = "minutely"
volumes = ["db"]
every = "1m"
retention_days = KEPT
copy_to = [{ region = "us-west-2", retention_days = KEPT }]
"#;

#[test]
fn a_warm_steady_state_beyond_the_runs_a_warm_start_lays_down_is_refused() {
    // Kept 365 days: 525,600 runs before the start. The warm state stopped at 100,000 (69
    // days) and the run went ahead with a year's storage understated by four fifths; it is
    // refused at `every`, naming the schedule and the way out.
    let e = match copysim::scenario::parse(&MINUTELY.replace("KEPT", "365"), "minutely.toml") {
        Ok(_) => panic!("a minute schedule kept a year started warm"),
        Err(e) => e,
    };
    let first = &e.errors()[0];
    assert_eq!((first.field.as_str(), first.line), ("every", 21), "{first}");
    assert!(first.message.contains("minutely keeps (at its source or a copy target) more than 100000 runs"), "{first}");
    assert!(first.message.contains("leave warm_start off"), "{first}");
    // Kept 60 days: 86,400 runs, within what a warm start lays down.
    assert!(copysim::scenario::parse(&MINUTELY.replace("KEPT", "60"), "minutely.toml").is_ok());
    // Cold, nothing before the start is laid down: the year is no obstacle.
    let cold = MINUTELY.replace("KEPT", "365").replace("warm_start = true\n", "");
    assert!(copysim::scenario::parse(&cold, "minutely.toml").is_ok());
}
