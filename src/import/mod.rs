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
    /// The cloud's id (`vol-…`, an OCID), for messages.
    pub id: String,
    /// Where it is in the inventory file (`$.Volumes[3]`), for messages.
    pub json_path: String,
    /// Per scenario field (`size`), the inventory field it was read from (`Size`), for messages.
    pub json_fields: Vec<(&'static str, &'static str)>,
    /// The cloud's id with what the comment says of it.
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
    /// The file [`Inventory::every`] was inferred from (the snapshots' JSON), for messages.
    pub every_source: String,
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

/// What a part of the written scenario came from, so that a mistake in it is named where the
/// user can fix it: a command-line choice, or a volume of the inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A command-line choice: the flag with its value (`--horizon 1 fortnight`).
    Flag(String),
    /// Volume `index` of [`Inventory::volumes`]; `field` names the scenario field the part was
    /// written from when it is not the field at fault (a region block is the volume's `region`).
    Volume {
        /// Index in [`Inventory::volumes`].
        index: usize,
        /// The scenario field the whole part stands for, if any.
        field: Option<&'static str>,
    },
    /// The copy targets: `--copy-to`, each with `--retention-days` when given.
    Targets {
        /// `--copy-to a,b`.
        copy_to: String,
        /// `--retention-days N`, if given.
        retention: Option<String>,
    },
    /// The inventory as a whole (the comments, the one schedule listing every volume).
    Inventory,
    /// A value the importer inferred: what it is and where from (`s.json: the interval
    /// inferred from its snapshots, every = "29s" (…)`), and how to give it instead.
    Inferred {
        /// What was inferred, from which file.
        what: String,
        /// How to give it instead (`give the interval with --every`).
        instead: &'static str,
    },
}

/// A scenario written from an inventory, with where each of its lines came from.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The scenario file.
    pub text: String,
    /// `(first line, origin)`, by line: each origin holds until the next one.
    origins: Vec<(usize, Origin)>,
}

impl Imported {
    /// The origin of 1-based `line`.
    pub fn origin(&self, line: usize) -> &Origin {
        let at = self.origins.partition_point(|(first, _)| *first <= line);
        at.checked_sub(1).map_or(&Origin::Inventory, |i| &self.origins[i].1)
    }

    /// Mistake `e` of the scenario as its origin names it: `--horizon 1 fortnight: …`, or
    /// `volumes.json: $.Volumes[0].Size (vol-0abc): …`; `source` is the inventory file.
    pub fn explain(&self, inv: &Inventory, source: &str, e: &crate::scenario::InputError) -> String {
        match self.origin(e.line) {
            Origin::Flag(flag) => format!("{flag}: {}", e.message),
            Origin::Targets { retention: Some(flag), .. } if e.field.ends_with("retention_days") => {
                format!("{flag}: {}", e.message)
            }
            Origin::Targets { copy_to, .. } => format!("{copy_to}: {}", e.message),
            Origin::Volume { index, field } => {
                let Some(v) = inv.volumes.get(*index) else { return format!("{source}: {}", e.message) };
                let field = field.unwrap_or(e.field.as_str());
                let place = match v.json_fields.iter().find(|(f, _)| *f == field) {
                    Some((_, key)) => format!("{}.{key}", v.json_path),
                    None => v.json_path.clone(),
                };
                format!("{source}: {place} ({}): {}", v.id, e.message)
            }
            Origin::Inventory => {
                format!("{source}: field `{}` of the scenario written from it: {}", e.field, e.message)
            }
            Origin::Inferred { what, instead } => format!("{what}: {}; or {instead}", e.message),
        }
    }
}

/// Where the region past [`MAX_REGIONS`](crate::scenario::budget::MAX_REGIONS) comes from,
/// when the inventory and `--copy-to` bring more: regions are counted in the order they come
/// (each volume's in the file's order, then each copy target, then each key's), and the one
/// that brings the first region too many is named — the scenario lists its regions sorted, so
/// its first region too many was that of a volume anywhere in the file.
pub fn regions_past_limit(inv: &Inventory, choices: &Choices, source: &str) -> Option<String> {
    let max = crate::scenario::budget::MAX_REGIONS;
    // Each region with where it comes from: a volume (by index, and the field naming the
    // region) or a copy target.
    let volumes = inv.volumes.iter().enumerate().map(|(i, v)| (v.region.as_str(), Some((i, "region"))));
    let targets = choices.copy_to.iter().map(|r| (r.as_str(), None));
    let keys = inv.volumes.iter().enumerate().filter_map(|(i, v)| {
        let key = inv.keys.iter().find(|k| Some(&k.name) == v.key.as_ref())?;
        Some((key.region.as_deref()?, Some((i, "key"))))
    });
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let (region, from) = volumes.chain(targets).chain(keys).find(|(r, _)| seen.insert(r) && seen.len() > max)?;
    let at = match from {
        Some((index, field)) => {
            let v = &inv.volumes[index];
            let place = match v.json_fields.iter().find(|(f, _)| *f == field) {
                Some((_, key)) => format!("{}.{key}", v.json_path),
                None => v.json_path.clone(),
            };
            format!("{source}: {place} ({})", v.id)
        }
        None => format!("--copy-to {region}"),
    };
    Some(format!(
        "{at}: too many regions: {} is the {}th region the inventory and --copy-to bring, and a scenario may \
         declare at most {max}; split the inventory by region",
        quote(region),
        max + 1
    ))
}

/// The scenario text being written, counting its lines as it grows.
struct Out {
    t: String,
    lines: usize,
    counted: usize,
    origins: Vec<(usize, Origin)>,
}

impl Out {
    /// What is written from here on comes from `origin`.
    fn from(&mut self, origin: Origin) -> &mut String {
        self.lines += self.t[self.counted..].matches('\n').count();
        self.counted = self.t.len();
        self.origins.push((self.lines + 1, origin));
        &mut self.t
    }
}

/// Writes the scenario for `inv` and `choices`.
pub fn scenario_text(inv: &Inventory, choices: &Choices, source: &str) -> String {
    scenario(inv, choices, source).text
}

/// Writes the scenario for `inv` and `choices`, with the origin of each part.
pub fn scenario(inv: &Inventory, choices: &Choices, source: &str) -> Imported {
    let mut out = Out { t: String::new(), lines: 0, counted: 0, origins: Vec::new() };
    let t = out.from(Origin::Inventory);
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
    let t = out.from(Origin::Flag(format!("--name {}", choices.name)));
    let _ = writeln!(t, "name = {}", quote(&choices.name));
    let t = out.from(Origin::Flag(format!("--start {}", choices.start)));
    let _ = writeln!(t, "start = {}", quote(&choices.start));
    let t = out.from(Origin::Flag(format!("--horizon {}", choices.horizon)));
    let _ = writeln!(t, "horizon = {}\n", quote(&choices.horizon));
    write_regions(&mut out, inv, choices);
    let t = out.from(Origin::Inventory);
    let _ = writeln!(t, "[[accounts]]\nname = {}\n", quote(&inv.account));
    for k in &inv.keys {
        let index = inv.volumes.iter().position(|v| v.key.as_ref() == Some(&k.name)).unwrap_or(usize::MAX);
        let t = out.from(Origin::Volume { index, field: Some("key") });
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
    for (index, v) in inv.volumes.iter().enumerate() {
        write_volume(out.from(Origin::Volume { index, field: None }), inv, v);
    }
    write_schedule(&mut out, inv, choices);
    Imported { text: out.t, origins: out.origins }
}

fn write_regions(out: &mut Out, inv: &Inventory, choices: &Choices) {
    let mut regions: BTreeSet<&str> = inv.volumes.iter().map(|v| v.region.as_str()).collect();
    regions.extend(choices.copy_to.iter().map(String::as_str));
    regions.extend(inv.keys.iter().filter_map(|k| k.region.as_deref()));
    for r in &regions {
        // A region is named by a volume's zone or OCID, else by --copy-to, else by a key.
        let origin = match inv.volumes.iter().position(|v| v.region == *r) {
            Some(index) => Origin::Volume { index, field: Some("region") },
            None if choices.copy_to.iter().any(|c| c == r) => Origin::Flag(format!("--copy-to {r}")),
            None => {
                let index = inv
                    .keys
                    .iter()
                    .find(|k| k.region.as_deref() == Some(r))
                    .and_then(|k| inv.volumes.iter().position(|v| v.key.as_ref() == Some(&k.name)));
                Origin::Volume { index: index.unwrap_or(usize::MAX), field: Some("key") }
            }
        };
        let _ = writeln!(out.from(origin), "[[regions]]\nname = {}\nprovider = {}\n", quote(r), quote(inv.provider));
    }
    let Some(bandwidth) = &choices.bandwidth else { return };
    let t = out.from(Origin::Flag(format!("--bandwidth {bandwidth}")));
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

fn write_schedule(out: &mut Out, inv: &Inventory, choices: &Choices) {
    let names: Vec<String> = inv.volumes.iter().map(|v| v.name.clone()).collect();
    let (every, how) = match (&choices.every, &inv.every) {
        (Some(e), _) => (e.clone(), "chosen with --every".to_string()),
        (None, Some((e, how))) => (e.clone(), how.clone()),
        (None, None) => ("1d".to_string(), "no --every and no snapshots to infer it from: daily".to_string()),
    };
    let t = out.from(Origin::Inventory);
    let _ = writeln!(t, "[[schedules]]\nname = \"imported\"\nvolumes = {}", list(&names));
    let every_from = match (&choices.every, &inv.every) {
        (Some(e), _) => Origin::Flag(format!("--every {e}")),
        (None, Some((e, how))) => Origin::Inferred {
            what: format!(
                "{}: the interval inferred from its snapshots, every = {} ({how})",
                inv.every_source,
                quote(e)
            ),
            instead: "give the interval with --every",
        },
        (None, None) => Origin::Inventory,
    };
    let _ = writeln!(out.from(every_from), "every = {}   # {}", quote(&every), comment(&how));
    if let Some(days) = choices.retention_days {
        let _ = writeln!(out.from(Origin::Flag(format!("--retention-days {days}"))), "retention_days = {days}");
    }
    let t = out.from(Origin::Targets {
        copy_to: format!("--copy-to {}", choices.copy_to.join(",")),
        retention: choices.retention_days.map(|d| format!("--retention-days {d}")),
    });
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

/// `base`, or `base-2`, `base-3`, … : the first not in `names` (then added to it).
pub fn unique(names: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
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

    fn volume(index: usize, region: &str) -> ImportedVolume {
        ImportedVolume {
            name: format!("v{index}"),
            id: format!("vol-{index}"),
            json_path: format!("$.Volumes[{index}]"),
            json_fields: vec![("size", "Size"), ("region", "AvailabilityZone")],
            cloud_id: format!("vol-{index}"),
            region: region.to_string(),
            size_bytes: 1 << 30,
            tags: vec!["env:prod".to_string()],
            key: None,
            daily_change: None,
        }
    }

    #[test]
    fn every_line_of_an_imported_scenario_knows_its_origin() {
        let inv = Inventory {
            provider: "aws_ebs",
            account: "acct".to_string(),
            volumes: vec![volume(0, "us-east-1"), volume(1, "eu-west-1")],
            ..Inventory::default()
        };
        let choices = Choices {
            name: "n".to_string(),
            start: "2026-01-05T00:00:00Z".to_string(),
            horizon: "30d".to_string(),
            every: Some("4h".to_string()),
            copy_to: vec!["us-west-2".to_string()],
            retention_days: Some(7),
            bandwidth: Some("1Gbps".to_string()),
        };
        let imported = scenario(&inv, &choices, "v.json");
        let origin_of = |needle: &str, nth: usize| {
            let line = imported.text.lines().enumerate().filter(|(_, l)| l.starts_with(needle)).nth(nth);
            imported.origin(line.unwrap_or_else(|| panic!("{needle}: {}", imported.text)).0 + 1).clone()
        };
        let flag = |f: &str| Origin::Flag(f.to_string());
        assert_eq!(origin_of("horizon = ", 0), flag("--horizon 30d"));
        assert_eq!(origin_of("start = ", 0), flag("--start 2026-01-05T00:00:00Z"));
        assert_eq!(origin_of("bandwidth = ", 0), flag("--bandwidth 1Gbps"));
        assert_eq!(origin_of("every = ", 0), flag("--every 4h"));
        assert_eq!(origin_of("retention_days = ", 0), flag("--retention-days 7"));
        // Regions sorted: eu-west-1 (volume 1), us-east-1 (volume 0), us-west-2 (--copy-to).
        assert_eq!(origin_of("name = \"eu-west-1\"", 0), Origin::Volume { index: 1, field: Some("region") });
        assert_eq!(origin_of("name = \"us-west-2\"", 0), flag("--copy-to us-west-2"));
        assert_eq!(origin_of("size = ", 1), Origin::Volume { index: 1, field: None });
        assert_eq!(origin_of("# vol-1", 0), Origin::Volume { index: 1, field: None });
        assert_eq!(origin_of("volumes = ", 0), Origin::Inventory);
        let e = |line, field: &str| crate::scenario::InputError {
            file: String::new(),
            line,
            column: 1,
            field: field.to_string(),
            message: "wrong".to_string(),
        };
        let size_line =
            imported.text.lines().enumerate().filter(|(_, l)| l.starts_with("size")).nth(1).map(|x| x.0 + 1);
        assert_eq!(
            imported.explain(&inv, "v.json", &e(size_line.unwrap_or(0), "size")),
            "v.json: $.Volumes[1].Size (vol-1): wrong"
        );
        let copy_to = imported.text.lines().position(|l| l.starts_with("copy_to")).map(|l| l + 1).unwrap_or(0);
        assert_eq!(
            imported.explain(&inv, "v.json", &e(copy_to, "copy_to.retention_days")),
            "--retention-days 7: wrong"
        );
        assert_eq!(imported.explain(&inv, "v.json", &e(copy_to, "copy_to.region")), "--copy-to us-west-2: wrong");
    }

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
