//! `aws ec2 describe-volumes` (and optionally `describe-snapshots`) JSON into an [`Inventory`].
//!
//! Field names are the API's: `Volumes[].VolumeId`, `Size` (GiB), `AvailabilityZone`,
//! `Encrypted`, `KmsKeyId`, `Tags[].Key/Value`, `State`; `Snapshots[].VolumeId`, `StartTime`,
//! `State`, `FullSnapshotSizeInBytes`. Unknown fields are ignored (the CLI adds fields over time).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::json::{JsonError, Path, Reader};
use super::{ImportedKey, ImportedVolume, Inventory, median, safe_name, unique};

const GIB: u64 = 1 << 30;

/// The describe-volumes field each scenario field of a volume is written from.
const JSON_FIELDS: [(&str, &str); 5] =
    [("name", "VolumeId"), ("size", "Size"), ("region", "AvailabilityZone"), ("key", "KmsKeyId"), ("tags", "Tags")];

/// Reads describe-volumes JSON (and describe-snapshots JSON when given).
pub fn read(
    volumes: (&str, &Value),
    snapshots: Option<(&str, &Value)>,
    account: Option<&str>,
) -> Result<Inventory, JsonError> {
    let (file, doc) = volumes;
    let r = Reader { file };
    let root = Path::root();
    let mut inv = Inventory { provider: "aws_ebs", ..Inventory::default() };
    let mut keys = BTreeMap::new();
    let mut owner = None;
    let mut ids: BTreeMap<&str, Path> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for (i, v) in r.array(doc, &root, "Volumes")?.iter().enumerate() {
        let path = root.key("Volumes").index(i);
        let v = r.object(v, &path)?;
        if matches!(r.opt_str(v, &path, "State")?, Some("deleting" | "deleted")) {
            inv.notes.push(format!("{} is being deleted: left out", r.str(v, &path, "VolumeId")?));
            continue;
        }
        let id = r.str(v, &path, "VolumeId")?;
        if let Some(first) = ids.insert(id, path.clone()) {
            return Err(r.error(
                &path.key("VolumeId"),
                format!("volume {id} is listed twice (first at {}); an inventory lists each volume once", first.0),
            ));
        }
        let (mut volume, key, key_owner) = read_volume(&r, v, &path)?;
        // Distinct ids may make the same name once cleaned (`a b`, `a-b`).
        volume.name = unique(&mut names, &volume.name);
        owner = owner.or(key_owner);
        if let Some(k) = key {
            keys.insert(k.name.clone(), k);
        }
        inv.volumes.push(volume);
    }
    if inv.volumes.is_empty() {
        return Err(r.error(&root.key("Volumes"), "no volumes to import"));
    }
    inv.keys = keys.into_values().collect();
    if let Some((sfile, sdoc)) = snapshots {
        let found = read_snapshots(&Reader { file: sfile }, sdoc, &mut inv)?;
        owner = owner.or(found);
    }
    inv.account = match (account, owner) {
        (Some(a), _) => safe_name(a),
        (None, Some(o)) => {
            inv.notes.push(format!("account {o}: from the key ARNs or snapshot owners"));
            safe_name(&o)
        }
        (None, None) => "aws-account".to_string(),
    };
    Ok(inv)
}

type VolumeParts = (ImportedVolume, Option<ImportedKey>, Option<String>);

fn read_volume(r: &Reader, v: &Value, path: &Path) -> Result<VolumeParts, JsonError> {
    let id = r.str(v, path, "VolumeId")?;
    let size_gib = r.u64(v, path, "Size")?;
    let size_bytes =
        size_gib.checked_mul(GIB).ok_or_else(|| r.error(&path.key("Size"), format!("{size_gib} GiB is too large")))?;
    let zone = r.str(v, path, "AvailabilityZone")?;
    let region = region_of_zone(zone).ok_or_else(|| {
        r.error(&path.key("AvailabilityZone"), format!("expected a zone like \"us-east-1a\", found {zone:?}"))
    })?;
    let mut tags = Vec::new();
    if let Some(Value::Array(list)) = v.get("Tags") {
        for (j, tag) in list.iter().enumerate() {
            let tp = path.key("Tags").index(j);
            tags.push(format!("{}:{}", r.str(tag, &tp, "Key")?, r.opt_str(tag, &tp, "Value")?.unwrap_or("")));
        }
    } else if v.get("Tags").is_some_and(|t| !t.is_null()) {
        return Err(r.error(&path.key("Tags"), "expected an array of { Key, Value }"));
    }
    tags.push(format!("az:{zone}"));
    let (key, owner) = if r.flag(v, path, "Encrypted")? {
        let (k, o) = key_of(r.opt_str(v, path, "KmsKeyId")?, &region);
        (Some(k), o)
    } else {
        (None, None)
    };
    let volume = ImportedVolume {
        name: safe_name(id),
        id: id.to_string(),
        json_path: path.0.clone(),
        json_fields: JSON_FIELDS.to_vec(),
        cloud_id: format!("{id}: {size_gib} GiB in {zone}"),
        region,
        size_bytes,
        tags,
        key: key.as_ref().map(|k| k.name.clone()),
        daily_change: None,
    };
    Ok((volume, key, owner))
}

/// `us-east-1a` → `us-east-1`; `us-west-2-lax-1a` (a Local Zone) → `us-west-2`.
pub fn region_of_zone(zone: &str) -> Option<String> {
    let base = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let parts: Vec<&str> = base.split('-').collect();
    let n = parts.iter().position(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
    (n >= 2).then(|| parts[..=n].join("-"))
}

/// A key from a `KmsKeyId` ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID` or `…:alias/NAME`), or the
/// region's AWS-managed default key; with the account the ARN names.
fn key_of(arn: Option<&str>, region: &str) -> (ImportedKey, Option<String>) {
    let Some(arn) = arn else {
        let key = ImportedKey {
            name: format!("aws-ebs-default-{region}"),
            region: Some(region.to_string()),
            cloud_id: format!("the AWS-managed default EBS key of {region} (Encrypted with no KmsKeyId)"),
        };
        return (key, None);
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (key_region, owner, resource) = match parts.as_slice() {
        [_, _, _, reg, acct, res] => (Some(reg.to_string()), Some(acct.to_string()), *res),
        _ => (None, None, arn),
    };
    let id = resource.trim_start_matches("key/");
    let short: String = id.chars().take(8).collect();
    let key = ImportedKey { name: safe_name(&format!("kms-{short}")), region: key_region, cloud_id: arn.to_string() };
    (key, owner.filter(|o| !o.is_empty()))
}

/// Infers the interval and change rates from snapshots; returns the owner account if one appears.
fn read_snapshots(r: &Reader, doc: &Value, inv: &mut Inventory) -> Result<Option<String>, JsonError> {
    let root = Path::root();
    let mut by_volume: BTreeMap<String, Vec<(i64, Option<u64>)>> = BTreeMap::new();
    let mut owner = None;
    for (i, s) in r.array(doc, &root, "Snapshots")?.iter().enumerate() {
        let path = root.key("Snapshots").index(i);
        let s = r.object(s, &path)?;
        if r.opt_str(s, &path, "State")?.is_some_and(|st| st != "completed") {
            continue;
        }
        let volume = r.str(s, &path, "VolumeId")?;
        let start = r.str(s, &path, "StartTime")?;
        let at: jiff::Timestamp = start.parse().map_err(|e| {
            r.error(
                &path.key("StartTime"),
                format!("expected an RFC 3339 time like \"2026-01-05T00:00:00Z\", found {start:?} ({e})"),
            )
        })?;
        owner = owner.or(r.opt_str(s, &path, "OwnerId")?.map(str::to_string));
        let full = r.opt_u64(s, &path, "FullSnapshotSizeInBytes")?;
        by_volume.entry(volume.to_string()).or_default().push((at.as_millisecond(), full));
    }
    let mut gaps = Vec::new();
    let mut used = 0;
    for v in &mut inv.volumes {
        let Some(snaps) = by_volume.get_mut(&v.id) else { continue };
        snaps.sort_unstable();
        used += snaps.len();
        gaps.extend(snaps.windows(2).map(|w| u64::try_from(w[1].0 - w[0].0).unwrap_or(0)).filter(|g| *g > 0));
        v.daily_change = change_from_growth(snaps, v.size_bytes);
    }
    inv.notes.push(format!("{used} completed snapshots of these volumes read"));
    if let Some(gap_ms) = median(gaps.clone()) {
        let how = format!("the median gap between {} pairs of successive snapshots", gaps.len());
        inv.every = Some(interval_of(gap_ms, &how));
        inv.every_source = r.file.to_string();
    }
    Ok(owner)
}

/// The interval for snapshots `gap_ms` apart (`how`: how the gap was found), with what the
/// comment says of it: rounded to whole minutes (hours when whole), or, under half a minute,
/// to whole seconds (milliseconds under half a second) and said so — rounding 29 s to
/// minutes wrote `every = "0m"`, refused as an interval under 1 ms.
fn interval_of(gap_ms: u64, how: &str) -> (String, String) {
    let minutes = (gap_ms + 30_000) / 60_000;
    if minutes > 0 {
        let every = if minutes.is_multiple_of(60) { format!("{}h", minutes / 60) } else { format!("{minutes}m") };
        return (every, how.to_string());
    }
    let seconds = (gap_ms + 500) / 1_000;
    let every = if seconds > 0 { format!("{seconds}s") } else { format!("{gap_ms}ms") };
    (every, format!("{how}, under a minute; check the snapshots are this close"))
}

/// Daily change from the growth of `FullSnapshotSizeInBytes` between the first and last
/// snapshot: a lower bound, since overwritten blocks do not grow it. None without growth.
fn change_from_growth(snaps: &[(i64, Option<u64>)], size_bytes: u64) -> Option<(u32, String)> {
    let sized: Vec<(i64, u64)> = snaps.iter().filter_map(|(t, f)| f.map(|f| (*t, f))).collect();
    let (first, last) = (sized.first()?, sized.last()?);
    let growth = last.1.checked_sub(first.1).filter(|g| *g > 0)?;
    let days_ms = u128::try_from(last.0 - first.0).ok().filter(|d| *d > 0)?;
    let bp = (u128::from(growth) * 10_000 * 86_400_000) / (days_ms * u128::from(size_bytes.max(1)));
    let bp = u32::try_from(bp.clamp(1, 10_000)).ok()?;
    Some((bp, "from FullSnapshotSizeInBytes growth between snapshots: a lower bound".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_volume_id_listed_twice_is_refused_and_ids_that_clean_alike_get_distinct_names() {
        let vol = |id: &str| serde_json::json!({"VolumeId": id, "Size": 8, "AvailabilityZone": "us-east-1a"});
        let doc = serde_json::json!({"Volumes": [vol("vol 1"), vol("vol-1"), vol("vol/1")]});
        let inv = read(("v.json", &doc), None, None).expect("read");
        let names: Vec<&str> = inv.volumes.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["vol-1", "vol-1-2", "vol-1-3"]);
        assert_eq!(inv.volumes[2].json_path, "$.Volumes[2]");
        let doc = serde_json::json!({"Volumes": [vol("vol-1"), vol("vol-2"), vol("vol-1")]});
        let e = read(("v.json", &doc), None, None).unwrap_err();
        assert_eq!(e.place, "$.Volumes[2].VolumeId");
        assert!(e.message.contains("first at $.Volumes[0]"), "{e}");
    }

    #[test]
    fn zones_map_to_their_regions() {
        assert_eq!(region_of_zone("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(region_of_zone("us-gov-west-1b").as_deref(), Some("us-gov-west-1"));
        assert_eq!(region_of_zone("us-west-2-lax-1a").as_deref(), Some("us-west-2"));
        assert_eq!(region_of_zone("nowhere"), None);
    }

    #[test]
    fn growth_of_ten_gib_a_day_on_a_1000_gib_volume_is_one_percent() {
        let day = 86_400_000;
        let snaps = [(0, Some(100 * GIB)), (day, Some(105 * GIB)), (2 * day, Some(120 * GIB))];
        assert_eq!(change_from_growth(&snaps, 1000 * GIB).map(|c| c.0), Some(100));
        assert_eq!(change_from_growth(&[(0, None), (day, None)], GIB), None);
    }
}
