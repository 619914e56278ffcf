//! Real inventories in: the JSON of `aws ec2 describe-volumes` / `describe-snapshots` and of
//! `oci bv volume list`, turned into a scenario file with comments saying what was inferred.
//!
//! An importer reads its cloud's JSON into an [`Inventory`] (one file per source format); the
//! writer here turns it and the planner's choices ([`Choices`]) into TOML, which is validated
//! by the ordinary scenario parser before it is handed out.

pub mod aws_ebs;
pub mod json;
pub mod oci;

use std::collections::BTreeSet;
use std::fmt::Write;

pub use json::JsonError;

/// A volume read from an inventory.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedVolume {
    /// Scenario name (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// The cloud's id, kept in a comment.
    pub cloud_id: String,
    /// Region name.
    pub region: String,
    /// Provisioned size in bytes.
    pub size_bytes: u64,
    /// User tags (`key:value`), plus `az:<zone>`.
    pub tags: Vec<String>,
    /// Encryption key (a key of [`Inventory::keys`]).
    pub key: Option<String>,
    /// Daily change in basis points (1 % = 100), with how it was found.
    pub daily_change: Option<(u32, String)>,
}

/// An encryption key read from an inventory.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportedKey {
    /// Scenario name.
    pub name: String,
    /// Its region, when known.
    pub region: Option<String>,
    /// The cloud's id, kept in a comment.
    pub cloud_id: String,
}

/// What an importer read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inventory {
    /// Provider name (`aws_ebs`, `oci`).
    pub provider: &'static str,
    /// The account every volume belongs to.
    pub account: String,
    /// Volumes, in the file's order.
    pub volumes: Vec<ImportedVolume>,
    /// Keys, sorted by name.
    pub keys: Vec<ImportedKey>,
    /// The backup interval the inventory suggests (from snapshot times), with how it was found.
    pub every: Option<(String, String)>,
    /// What was inferred or left out, one comment line each.
    pub notes: Vec<String>,
}

/// The planner's choices on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    /// Scenario name.
    pub name: String,
    /// Start instant.
    pub start: String,
    /// Horizon.
    pub horizon: String,
    /// Backup interval; the inventory's suggestion, else `1d`.
    pub every: Option<String>,
    /// Copy-target regions.
    pub copy_to: Vec<String>,
    /// Retention of backups and copies, in days.
    pub retention_days: Option<u32>,
    /// Destination bandwidth of each copy route.
    pub bandwidth: Option<String>,
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `text` made safe for one TOML comment line: control characters (a line break in a cloud
/// id would end the comment and leave the rest as TOML) are written escaped.
fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn percent(bp: u32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// Writes the scenario for `inv` and `choices`.
pub fn scenario_text(inv: &Inventory, choices: &Choices, source: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Imported by `copysim import` from {}: {} volumes ({}).",
        comment(source),
        inv.volumes.len(),
        inv.provider
    );
    for note in &inv.notes {
        let _ = writeln!(t, "# {}", comment(note));
    }
    let _ = writeln!(
        t,
        "# Check it with `copysim validate`, adjust what the comments say was inferred, then `copysim run` it.\n"
    );
    let _ = writeln!(
        t,
        "name = {}\nstart = {}\nhorizon = {}\n",
        quote(&choices.name),
        quote(&choices.start),
        quote(&choices.horizon)
    );
    write_regions(&mut t, inv, choices);
    let _ = writeln!(t, "[[accounts]]\nname = {}\n", quote(&inv.account));
    for k in &inv.keys {
        let _ = writeln!(
            t,
            "# {}\n[[keys]]\nname = {}\naccount = {}",
            comment(&k.cloud_id),
            quote(&k.name),
            quote(&inv.account)
        );
        if let Some(r) = &k.region {
            let _ = writeln!(t, "region = {}", quote(r));
        }
        t.push('\n');
    }
    for v in &inv.volumes {
        write_volume(&mut t, inv, v);
    }
    write_schedule(&mut t, inv, choices);
    t
}

fn write_regions(t: &mut String, inv: &Inventory, choices: &Choices) {
    let mut regions: BTreeSet<&str> = inv.volumes.iter().map(|v| v.region.as_str()).collect();
    regions.extend(choices.copy_to.iter().map(String::as_str));
    regions.extend(inv.keys.iter().filter_map(|k| k.region.as_deref()));
    for r in &regions {
        let _ = writeln!(t, "[[regions]]\nname = {}\nprovider = {}\n", quote(r), quote(inv.provider));
    }
    let Some(bandwidth) = &choices.bandwidth else { return };
    let sources: BTreeSet<&str> = inv.volumes.iter().map(|v| v.region.as_str()).collect();
    for from in &sources {
        for to in choices.copy_to.iter().filter(|to| to.as_str() != *from) {
            let _ = writeln!(
                t,
                "[[links]]\nfrom = {}\nto = {}\nbandwidth = {}\n",
                quote(from),
                quote(to),
                quote(bandwidth)
            );
        }
    }
}

fn write_volume(t: &mut String, inv: &Inventory, v: &ImportedVolume) {
    let _ = writeln!(t, "# {}", comment(&v.cloud_id));
    let _ = writeln!(
        t,
        "[[volumes]]\nname = {}\naccount = {}\nregion = {}",
        quote(&v.name),
        quote(&inv.account),
        quote(&v.region)
    );
    let _ = writeln!(t, "size = {}", quote(&size_text(v.size_bytes)));
    match &v.daily_change {
        Some((bp, how)) => {
            let _ = writeln!(t, "daily_change = {}   # {}", quote(&percent(*bp)), comment(how));
        }
        None => {
            let _ = writeln!(t, "# daily_change: not in the inventory; the default 1% applies");
        }
    }
    if let Some(k) = &v.key {
        let _ = writeln!(t, "key = {}", quote(k));
    }
    if !v.tags.is_empty() {
        let _ = writeln!(t, "tags = {}", list(&v.tags));
    }
    t.push('\n');
}

fn write_schedule(t: &mut String, inv: &Inventory, choices: &Choices) {
    let names: Vec<String> = inv.volumes.iter().map(|v| v.name.clone()).collect();
    let (every, how) = match (&choices.every, &inv.every) {
        (Some(e), _) => (e.clone(), "chosen with --every".to_string()),
        (None, Some((e, how))) => (e.clone(), how.clone()),
        (None, None) => ("1d".to_string(), "no --every and no snapshots to infer it from: daily".to_string()),
    };
    let _ = writeln!(
        t,
        "[[schedules]]\nname = \"imported\"\nvolumes = {}\nevery = {}   # {}",
        list(&names),
        quote(&every),
        comment(&how)
    );
    if let Some(days) = choices.retention_days {
        let _ = writeln!(t, "retention_days = {days}");
    }
    let targets: Vec<String> = choices
        .copy_to
        .iter()
        .map(|r| match choices.retention_days {
            Some(d) => format!("{{ region = {}, retention_days = {d} }}", quote(r)),
            None => format!("{{ region = {} }}", quote(r)),
        })
        .collect();
    if targets.is_empty() {
        let _ = writeln!(t, "# copy_to: no --copy-to given; add targets like [{{ region = \"...\" }}]");
    } else {
        let _ = writeln!(t, "copy_to = [{}]", targets.join(", "));
    }
}

/// A size as the scenario writes it: whole GiB when it is one, else bytes.
fn size_text(bytes: u64) -> String {
    const GIB: u64 = 1 << 30;
    if bytes.is_multiple_of(GIB) { format!("{}GiB", bytes / GIB) } else { bytes.to_string() }
}

/// A scenario name from a cloud's name or id: letters, digits, `-`, `_`, `.`; others become `-`.
pub fn safe_name(s: &str) -> String {
    let cleaned: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let trimmed = cleaned.trim_matches('-');
    if trimmed.is_empty() { "volume".to_string() } else { trimmed.to_string() }
}

/// The median of `values` (the lower one of the middle two), none when empty.
pub fn median(mut values: Vec<u64>) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len().checked_sub(1)? / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_safe_characters() {
        assert_eq!(safe_name("db prod/1"), "db-prod-1");
        assert_eq!(safe_name("vol-0abc"), "vol-0abc");
        assert_eq!(safe_name("///"), "volume");
    }

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(vec![]), None);
    }

    #[test]
    fn percentages_keep_two_decimals() {
        assert_eq!(percent(150), "1.50%");
        assert_eq!(percent(5), "0.05%");
    }
}
