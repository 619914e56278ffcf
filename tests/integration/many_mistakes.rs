//! A file with many mistakes is reported in time linear in its size: each mistake's line and
//! column come from a line index built once, and only the mistakes printed are drawn with their
//! source line. (Each mistake once cost a scan from the start of the file: 20,000 bad volumes
//! in a 1 MB file took two minutes in a release build; at the sizes below, the old code runs for
//! many minutes in a debug build, so a regression shows as a hung test.)

use crate::support::{copysim, scratch};

const TOP: &str = r#"name = "many"
start = "2026-01-01T00:00:00Z"
horizon = "2d"
"#;

const TABLES: &str = r#"[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[accounts]]
name = "prod"
"#;

const VOLUMES: usize = 20_000;

#[test]
fn many_mistakes_are_reported_in_linear_time() {
    let d = scratch("many_mistakes", "tables");
    let mut text = format!("{TOP}{TABLES}");
    for i in 0..VOLUMES {
        text.push_str(&format!(
            "[[volumes]]\nname = \"x{i}\"\naccount = \"nope\"\nregion = \"nope\"\nsize = \"bad\"\n"
        ));
    }
    std::fs::write(d.join("many.toml"), &text).expect("written");
    let o = copysim(&["validate", "many.toml"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err:.2000}");
    // Three mistakes per volume; the first 50 are printed with their source line.
    assert!(err.starts_with("error: many.toml:11:11: field `account`: unknown account `nope`"), "{err:.2000}");
    assert!(err.contains(&format!("… and {} more mistakes", 3 * VOLUMES - 50)), "{err:.2000}");
    let source_lines = err.lines().filter(|l| l.split(" | ").next().is_some_and(|n| n.trim().parse::<usize>().is_ok()));
    assert_eq!(source_lines.count(), 50, "{err:.2000}");
    let last = 9 + 5 * 16 + 3; // the 50th mistake: the region of the 17th volume
    assert!(err.contains(&format!("many.toml:{last}:10: field `region`")), "{err:.2000}");
}

#[test]
fn many_mistakes_on_one_line_are_reported_in_linear_time() {
    // One inline array: every mistake sits on the same 1 MB line, so drawing each one's source
    // line would be quadratic too.
    let d = scratch("many_mistakes", "one-line");
    let volumes: Vec<String> = (0..VOLUMES)
        .map(|i| format!("{{ name = \"x{i}\", account = \"prod\", region = \"us-east-1\", size = \"bad\" }}"))
        .collect();
    let text = format!("{TOP}volumes = [{}]\n{TABLES}", volumes.join(", "));
    std::fs::write(d.join("line.toml"), &text).expect("written");
    let o = copysim(&["validate", "line.toml"], &d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err:.2000}");
    assert!(err.starts_with("error: line.toml:4:"), "{err:.2000}");
    assert!(err.contains("field `size`: expected a size"), "{err:.2000}");
    assert!(err.contains(&format!("… and {} more mistakes", VOLUMES - 50)), "{err:.2000}");
}
