//! `advise interval --sizes` takes each size once: an empty one between commas and one listed
//! twice (in any unit) are refused with the list as given, exit 2, nothing written; blanks
//! around a size are not part of it.

use crate::support::{copysim, scratch};

fn refused(sizes: &str) -> String {
    let d = scratch("advise-sizes", "refused");
    let o = copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", sizes, "--out", "a"], &d);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!d.join("a").exists());
    err
}

#[test]
fn advise_sizes_are_each_a_size_once() {
    // `--sizes 100GB,` read "--sizes : expected a size like \"500GB\" or \"3TiB\", found \"\"".
    for sizes in ["100GB,", ",100GB", "100GB,,1TB"] {
        let err = refused(sizes);
        assert!(err.starts_with(&format!("error: --sizes {sizes}: an empty size between commas")), "{err}");
    }
    assert!(refused("1TB,1TB").starts_with("error: --sizes 1TB,1TB: 1TB is listed twice; list each size once"));
    assert!(
        refused("1TB,1000GB")
            .starts_with("error: --sizes 1TB,1000GB: 1000GB is the same size as 1TB (1000000000000 bytes)")
    );
    let d = scratch("advise-sizes", "blanks");
    let o = copysim(&["advise", "interval", "--provider", "ibm_vpc", "--sizes", "100GB, 1TB", "--out", "a"], &d);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(d.join("a/interval.csv")).unwrap();
    assert!(!csv.contains(" 1TB") && !csv.contains("\" 1TB"), "{csv}");
    let _ = std::fs::remove_dir_all(&d);
}
