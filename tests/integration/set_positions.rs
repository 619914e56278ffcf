//! A mistake that an override does not hold is reported at its line in the user's file, drawn
//! from it, however many lines the overrides add or remove (docs/scenario.md: "A mistake
//! elsewhere that an override causes … is reported at its place in the file"). Positions were
//! those of the text as edited: one line off after a new key, three after a multi-line value.

use copysim::scenario::overrides::{self, OverrideError};

use crate::support::copysim;

/// The mistake is `size` on line 13, column 8.
const FILE: &str = r#"name = "shift"
start = "2026-01-05T00:00:00Z"
horizon = "1d"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[accounts]]
name = "prod"
[[volumes]]
name = "v"
account = "prod"
region = "us-east-1"
size = "1 furlong"
"#;

fn rendered(sets: &[&str]) -> (OverrideError, String) {
    let o: Vec<_> = sets.iter().map(|s| overrides::parse_arg(s).expect("well-formed")).collect();
    let e = overrides::parse_with(FILE, "f5.toml", None, &o).expect_err("invalid");
    let text = e.render();
    (e, text)
}

#[test]
fn a_mistake_outside_the_overrides_is_placed_at_its_line_in_the_users_file() {
    for set in [&["regions.us-east-1.code=use1"][..], &["description=\"\"\"a\nb\nc\"\"\""], &["max_events=5000000"]] {
        let (_, e) = rendered(set);
        assert!(e.contains("f5.toml:13:8: field `size`"), "{set:?}: {e}");
        assert!(e.contains("13 | size = \"1 furlong\""), "{set:?}: drawn from the user's file: {e}");
    }
    // Removing every region: the unknown region and the size keep their lines, and "declare at
    // least one [[regions]]", which has no place in the file, is the override's.
    let (e, text) = rendered(&["regions=[]"]);
    let OverrideError::Invalid { set, others, .. } = &e else { panic!("{text}") };
    assert_eq!(set.len(), 1, "{text}");
    assert!(set[0].to_string().starts_with("--set regions=[]: field `regions`: declare at least one"), "{text}");
    let at: Vec<(usize, usize, &str)> = others.iter().map(|e| (e.line, e.column, e.field.as_str())).collect();
    assert_eq!(at, [(12, 10, "region"), (13, 8, "size")], "{text}");
    assert!(text.contains("12 | region = \"us-east-1\"") && text.contains("13 | size"), "{text}");
}

#[test]
fn a_sweeps_mistake_in_its_base_is_placed_at_its_line_in_the_base() {
    let d = crate::support::scratch("set-positions", "sweep");
    let base = FILE.replace("1 furlong", "1TB")
        + "[[events]]\nat = \"20h\"\naction = \"region_outage\"\nregion = \"us-east-1\"\nduration = \"1h\"\n";
    std::fs::write(d.join("base.toml"), base).unwrap();
    std::fs::write(
        d.join("e.sweep.toml"),
        "base = \"base.toml\"\n[[axes]]\npath = \"regions.us-east-1.code\"\nvalues = [\"use1\"]\n\
         [[axes.with]]\npath = \"horizon\"\nvalues = [\"10h\"]\n",
    )
    .unwrap();
    let o = copysim(&["sweep", "e.sweep.toml", "--out", "out"], &d);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("base.toml:15:6: field `at`: the event is after the horizon"), "{e}");
    assert!(e.contains("15 | at = \"20h\""), "the base's source line: {e}");
}

#[test]
fn a_line_a_message_names_is_the_users_line_however_many_lines_the_overrides_add() {
    // The second [[volumes]] named `v` is refused "(first at line 10)", where the first is in the user's
    // file; the message read "(line 11)" after a new key, "(line 13)" after a three-line value.
    let file = FILE.replace("1 furlong", "1TB")
        + "[[volumes]]\nname = \"v\"\naccount = \"prod\"\nregion = \"us-east-1\"\nsize = \"1TB\"\n";
    for set in [&["regions.us-east-1.code=use1"][..], &["description=\"\"\"a\nb\nc\"\"\""], &[]] {
        let o: Vec<_> = set.iter().map(|s| overrides::parse_arg(s).expect("well-formed")).collect();
        let e = overrides::parse_with(&file, "twice.toml", None, &o).expect_err("invalid").render();
        assert!(e.contains("twice.toml:15:8: field `name`"), "{set:?}: {e}");
        assert!(e.contains("(first at line 10)"), "{set:?}: the first `v` is on line 10 of the file: {e}");
    }
}
