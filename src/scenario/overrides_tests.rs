//! Tests of `--set` overrides: every kind of path, types, and errors traced to the argument.

use super::*;
use crate::scenario::QUICKSTART;

fn with(args: &[&str]) -> Result<Scenario, OverrideError> {
    let o: Vec<Override> = args.iter().map(|a| parse_arg(a).expect("well-formed")).collect();
    parse_with(QUICKSTART, "quickstart.toml", None, &o)
}

fn err(args: &[&str]) -> String {
    match with(args) {
        Ok(_) => panic!("{args:?} should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn paths_split_on_dots_and_quotes_keep_dots() {
    assert_eq!(split_path("fleets.web.count").unwrap(), ["fleets", "web", "count"]);
    assert_eq!(split_path("volumes.\"db.1\".size").unwrap(), ["volumes", "db.1", "size"]);
    assert_eq!(
        split_path("links.us-east-1->us-west-2.bandwidth").unwrap(),
        ["links", "us-east-1->us-west-2", "bandwidth"]
    );
    assert!(split_path("a..b").is_err());
    assert!(split_path("a.\"b").is_err());
}

#[test]
fn top_level_fields_take_units_and_integers() {
    let s = with(&["--set=horizon=8d", "seed=7"].map(|a| a.trim_start_matches("--set="))).unwrap();
    assert_eq!(s.horizon.as_ms(), 8 * 86_400_000);
    assert_eq!(s.seed, 7);
}

#[test]
fn named_items_are_addressed_by_name() {
    let s = with(&["fleets.web.count=10", "fleets.db.size=1TB", "schedules.db-hourly.every=4h"]).unwrap();
    assert_eq!(s.world.volumes.len(), 50);
    let db = s.schedules.iter().find(|x| x.name == "db-hourly").unwrap();
    assert_eq!(db.timing.describe(), "every 4h");
}

#[test]
fn switches_the_file_does_not_spell_out_are_set_as_booleans() {
    // Neither field is in quickstart.toml: the value must become a TOML boolean, not a string.
    let s = with(&["warm_start=true", "providers.aws_ebs.retention_waits_for_copies=true"]).unwrap();
    let ebs = crate::providers::registry::parse("aws_ebs").unwrap();
    assert!(s.warm_start);
    assert!(s.world.params(ebs).retention_waits_for_copies);
}

#[test]
fn providers_links_and_regions_can_be_set() {
    let s = with(&[
        "providers.aws_ebs.copy_concurrency=5",
        "links.us-east-1->us-west-2.bandwidth=100MiB/s",
        "regions.us-west-2.provider=aws_ebs",
        "report.rpo_target=3h",
    ])
    .unwrap();
    let ebs = crate::providers::registry::parse("aws_ebs").unwrap();
    assert_eq!(s.world.params(ebs).copy_concurrency, 5);
    assert!(s.world.links.iter().any(|l| l.params.bandwidth_bytes_per_s == 100 * 1024 * 1024));
    assert_eq!(s.report.rpo_target.map(|d| d.as_ms()), Some(3 * 3_600_000));
}

#[test]
fn policy_plans_are_entered_by_name() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ibm-retention-daily-14d.toml"))
        .unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let policy = doc["policies"][0]["name"].as_str().unwrap().to_string();
    let plan = doc["policies"][0]["plans"][0]["name"].as_str().unwrap().to_string();
    let o = parse_arg(&format!("policies.{policy}.plans.{plan}.cron=0 */6 * * *")).unwrap();
    let edited = apply(&text, std::slice::from_ref(&o)).unwrap();
    assert!(edited.text.contains("cron = \"0 */6 * * *\""), "{}", edited.text);
    let s = parse_edited(&text, &edited, "f.toml", None, &[o], false).unwrap();
    assert!(s.schedules.iter().any(|x| x.timing.describe().contains("0 */6 * * *")));
}

#[test]
fn the_rest_of_the_file_keeps_its_layout() {
    let o = parse_arg("fleets.web.count=10").unwrap();
    let edited = apply(QUICKSTART, &[o]).unwrap();
    let changed: Vec<(&str, &str)> = QUICKSTART.lines().zip(edited.text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed, [("count = 200", "count = 10")]);
}

#[test]
fn a_bad_value_names_the_argument_and_the_field() {
    let e = err(&["fleets.web.count=lots"]);
    assert!(e.starts_with("--set fleets.web.count=lots: field `count`:"), "{e}");
    let e = err(&["horizon=soon"]);
    assert!(e.starts_with("--set horizon=soon: field `horizon`: expected a duration"), "{e}");
    let e = err(&["links.us-east-1->us-west-2.bandwidth=fast"]);
    assert!(e.starts_with("--set links.us-east-1->us-west-2.bandwidth=fast: field `bandwidth`"), "{e}");
}

#[test]
fn an_unknown_path_names_the_argument() {
    let e = err(&["fleets.webx.count=3"]);
    assert!(
        e.starts_with(
            "--set fleets.webx.count=3: no item named `webx` in `fleets` (known: db, web; or an index 0 to 1)"
        ),
        "{e}"
    );
    let e = err(&["fleets.web.cuont=3"]);
    assert!(e.starts_with("--set fleets.web.cuont=3: field `cuont`: unknown field"), "{e}");
    let e = err(&["nothing.here=3"]);
    assert!(e.starts_with("--set nothing.here=3: the scenario has no `nothing`"), "{e}");
    let e = err(&["fleets.web=3"]);
    assert!(e.contains("add the field to set"), "{e}");
    assert!(parse_arg("fleets.web.count").is_err());
}

#[test]
fn a_syntax_error_keeps_the_file_name() {
    let o = parse_arg("horizon=2d").unwrap();
    let e = parse_with("name = \"x\"\nhorizon = = 3\n", "mine.toml", None, &[o]).unwrap_err().to_string();
    assert!(e.starts_with("mine.toml:2:"), "{e}");
}

#[test]
fn a_mistake_an_override_causes_elsewhere_shows_its_source_line() {
    // A six-day horizon puts the quickstart's last event after it: it is reported at its own
    // line, with that line and a caret under it, as a mistake in the file would be (several
    // after it are one error at the horizon: overrides_tests::several_things_after_the_horizon_are_one_error).
    let e = with(&["horizon=6d"]).expect_err("the last event falls after the horizon");
    let text = e.render();
    assert!(text.contains("field `at`: the event is after the horizon"), "{text}");
    assert!(text.lines().any(|l| l.contains("at = \"") && l.contains('|')), "{text}");
    assert!(text.contains('^'), "{text}");
}

#[test]
fn several_things_after_the_horizon_are_one_error() {
    // A one-day horizon gave one error per event after it (four on the quickstart), and one for
    // web-6h's offset at "1ms": one error at the horizon names each and the least that fits.
    let e = with(&["horizon=1d"]).expect_err("the events fall after the horizon");
    let OverrideError::Invalid { set, others, .. } = &e else { panic!("{}", e.render()) };
    assert!(others.is_empty(), "{}", e.render());
    let [one] = set.as_slice() else { panic!("{}", e.render()) };
    let text = one.to_string();
    assert!(text.starts_with("--set horizon=1d: field `horizon`: 4 things come after the horizon of 1d"), "{text}");
    assert!(text.contains("line 86: the event at \"2d 30m\"; line 94: the event at \"3d\""), "{text}");
    assert!(text.ends_with("lengthen `horizon` to at least 6d 12h, or move them within it"), "{text}");
    let e = with(&["horizon=1ms"]).expect_err("everything falls after it").render();
    assert!(
        e.contains("5 things come after the horizon of 1ms")
            && e.contains("schedule web-6h's first backup (offset = \"30m\")"),
        "{e}"
    );
}

#[test]
fn events_are_addressed_by_position_only() {
    // Events have no names; an event's region is what it acts on, and was listed as if it
    // were a name ("no item named 99 in events (known: us-west-2, us-east-1; …)").
    let n = QUICKSTART.matches("[[events]]").count();
    for selector in ["99", "us-west-2"] {
        let e = err(&[&format!("events.{selector}.at=1h")]);
        assert_eq!(
            e,
            format!(
                "--set events.{selector}.at=1h: no item `{selector}` in `events`: its items have no names; give an \
                 item's 0-based position in the file, 0 to {} (e.g. `events.0.at`)",
                n - 1
            )
        );
    }
    let s = with(&["events.0.at=1h"]).expect("by position");
    assert_eq!(s.actions.iter().map(|a| a.at.as_ms()).min(), Some(3_600_000));
}

#[test]
fn a_whole_number_past_toml_range_is_said_to_be_out_of_range() {
    // TOML integers are 64-bit signed: 2^64 - 1 cannot be in a scenario file. It was read as a
    // string and refused as `found string "18446744073709551615"`.
    let e = err(&["seed=18446744073709551615"]);
    assert!(e.contains("18446744073709551615 is out of range"), "{e}");
    assert!(e.contains("9223372036854775807") && e.contains("--seed"), "{e}");
    let e = err(&["max_events=9223372036854775808"]);
    assert!(e.contains("out of range") && !e.contains("--seed"), "{e}");
    // In range, or not a number at all: as before.
    assert_eq!(with(&["seed=9223372036854775807"]).unwrap().seed, i64::MAX as u64);
    assert!(err(&["seed=forty-two"]).contains("found string"));
}

#[test]
fn every_field_that_is_not_a_string_in_the_file_format_is_known_to_overrides() {
    // A field the file does not spell out gets its type from NON_STRING_FIELDS: one missing
    // there (`regional` was) makes `--set volumes.v.regional=true` a string, refused as "expected
    // true or false". Every bool and number field of the file format must be listed.
    let file = include_str!("file.rs");
    let typed = ["bool", "u8", "u16", "u32", "u64", "i64", "f64"];
    for line in file.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("pub ") else { continue };
        let Some((name, ty)) = rest.split_once(": ") else { continue };
        if typed.iter().any(|t| ty.contains(&format!("<{t}>")) || ty.starts_with(&format!("{t},"))) {
            assert!(NON_STRING_FIELDS.contains(&name), "`{name}` ({ty}) is missing from NON_STRING_FIELDS");
        }
    }
    assert!(with(&["fleets.web.regional=false"]).is_ok());
}

#[test]
fn a_long_or_multi_line_argument_is_shown_on_one_line_and_cut() {
    // A 10 KB argument made a 20 KB message; a line break inside one broke the error's layout.
    let e = err(&[&format!("seed={}{}", "[".repeat(5000), "]".repeat(5000))]);
    assert!(e.len() < 400, "{} bytes: {e:.300}", e.len());
    assert!(e.starts_with(&format!("--set seed={}…: field `seed`", "[".repeat(115))), "{e:.300}");
    let e = err(&["name=\"\"\"a\nb\"\"\""]);
    assert!(e.starts_with("--set name=\"\"\"a\\nb\"\"\": field `name`"), "{e}");
}

#[test]
fn a_value_for_a_list_is_not_made_a_string() {
    // `--set fleets=5` said "found string \"5\"", though the user typed an integer.
    for path in ["regions", "fleets"] {
        let e = err(&[&format!("{path}=5")]);
        assert!(e.contains(&format!("field `{path}`: expected an array [ … ], found integer `5`")), "{e}");
    }
    let text = QUICKSTART.replace("[[fleets]]", "[[ignored]]");
    let o = parse_arg("fleets=5").unwrap();
    let e = parse_with(&text, "q.toml", None, &[o]).unwrap_err().to_string();
    assert!(e.contains("found integer `5`"), "a list the file leaves out: {e}");
}
