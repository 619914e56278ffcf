//! `oci bv volume list` JSON into an [`Inventory`].
//!
//! Field names are the CLI's: `data[].id`, `display-name`, `size-in-gbs` (or `size-in-mbs`),
//! `availability-domain`, `compartment-id`, `freeform-tags`, `defined-tags`, `kms-key-id`,
//! `lifecycle-state`. The region is read from the volume's OCID (`ocid1.volume.oc1.<region>.…`),
//! where OCI writes either the region's key (`iad`) or its name (`ap-chuncheon-1`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::json::{JsonError, Path, Reader};
use super::{ImportedKey, ImportedVolume, Inventory, safe_name, unique};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

/// OCI region keys and names, from Oracle's published region list.
const REGION_KEYS: &[(&str, &str)] = &[
    ("iad", "us-ashburn-1"),
    ("phx", "us-phoenix-1"),
    ("sjc", "us-sanjose-1"),
    ("ord", "us-chicago-1"),
    ("yyz", "ca-toronto-1"),
    ("yul", "ca-montreal-1"),
    ("lhr", "uk-london-1"),
    ("cwl", "uk-cardiff-1"),
    ("fra", "eu-frankfurt-1"),
    ("ams", "eu-amsterdam-1"),
    ("zrh", "eu-zurich-1"),
    ("mad", "eu-madrid-1"),
    ("cdg", "eu-paris-1"),
    ("lin", "eu-milan-1"),
    ("arn", "eu-stockholm-1"),
    ("mrs", "eu-marseille-1"),
    ("nrt", "ap-tokyo-1"),
    ("kix", "ap-osaka-1"),
    ("icn", "ap-seoul-1"),
    ("yny", "ap-chuncheon-1"),
    ("bom", "ap-mumbai-1"),
    ("hyd", "ap-hyderabad-1"),
    ("syd", "ap-sydney-1"),
    ("mel", "ap-melbourne-1"),
    ("sin", "ap-singapore-1"),
    ("gru", "sa-saopaulo-1"),
    ("vcp", "sa-vinhedo-1"),
    ("scl", "sa-santiago-1"),
    ("jed", "me-jeddah-1"),
    ("dxb", "me-dubai-1"),
    ("auh", "me-abudhabi-1"),
    ("jnb", "af-johannesburg-1"),
    ("mtz", "il-jerusalem-1"),
    ("qro", "mx-queretaro-1"),
    ("mty", "mx-monterrey-1"),
];

/// The region an OCID names, and whether its key was recognised.
pub fn region_of_ocid(ocid: &str) -> Option<(String, bool)> {
    let segment = ocid.split('.').nth(3).filter(|s| !s.is_empty())?;
    let segment = segment.to_ascii_lowercase();
    if segment.contains('-') {
        return Some((segment, true));
    }
    match REGION_KEYS.iter().find(|(k, _)| *k == segment) {
        Some((_, name)) => Some((name.to_string(), true)),
        None => Some((segment, false)),
    }
}

/// Reads `oci bv volume list` JSON.
pub fn read(file: &str, doc: &Value, account: Option<&str>) -> Result<Inventory, JsonError> {
    let r = Reader { file };
    let root = Path::root();
    let mut inv =
        Inventory { provider: "oci", account: safe_name(account.unwrap_or("tenancy")), ..Inventory::default() };
    let mut keys = BTreeMap::new();
    let mut names = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    let mut ids: BTreeMap<&str, Path> = BTreeMap::new();
    for (i, v) in r.array(doc, &root, "data")?.iter().enumerate() {
        let path = root.key("data").index(i);
        let v = r.object(v, &path)?;
        let id = r.str(v, &path, "id")?;
        if matches!(r.opt_str(v, &path, "lifecycle-state")?, Some("TERMINATED" | "TERMINATING")) {
            inv.notes.push(format!("{id} is terminated: left out"));
            continue;
        }
        if let Some(first) = ids.insert(id, path.clone()) {
            return Err(r.error(
                &path.key("id"),
                format!("volume {id} is listed twice (first at {}); an inventory lists each volume once", first.0),
            ));
        }
        let (region, known) = region_of_ocid(id).ok_or_else(|| {
            r.error(&path.key("id"), format!("expected a volume OCID like \"ocid1.volume.oc1.iad.…\", found {id:?}"))
        })?;
        if !known {
            unknown.insert(region.clone());
        }
        let mut volume = read_volume(&r, v, &path, id, region)?;
        volume.name = unique(&mut names, &volume.name);
        if let Some(key_id) = r.opt_str(v, &path, "kms-key-id")? {
            let key = key_of(key_id);
            volume.key = Some(key.name.clone());
            keys.insert(key.name.clone(), key);
        }
        inv.volumes.push(volume);
    }
    if inv.volumes.is_empty() {
        return Err(r.error(&root.key("data"), "no volumes to import"));
    }
    for u in unknown {
        inv.notes.push(format!("region key `{u}` is not in copysim's table of OCI regions: kept as the region's name"));
    }
    inv.keys = keys.into_values().collect();
    inv.notes.push("OCI's volume list has no backup history: set the schedule with --every".to_string());
    Ok(inv)
}

fn read_volume(r: &Reader, v: &Value, path: &Path, id: &str, region: String) -> Result<ImportedVolume, JsonError> {
    let size_bytes = match (r.opt_u64(v, path, "size-in-gbs")?, r.opt_u64(v, path, "size-in-mbs")?) {
        (Some(gb), _) => gb.checked_mul(GIB),
        (None, Some(mb)) => mb.checked_mul(MIB),
        (None, None) => return Err(r.error(path, "expected a field `size-in-gbs` (a whole number)")),
    }
    .ok_or_else(|| r.error(&path.key("size-in-gbs"), "the size is too large"))?;
    let display = r.opt_str(v, path, "display-name")?.unwrap_or(id);
    let mut tags = Vec::new();
    if let Some(free) = r.opt_object(v, path, "freeform-tags")? {
        for (k, val) in free {
            tags.push(format!("{k}:{}", val.as_str().unwrap_or_default()));
        }
    }
    if let Some(defined) = r.opt_object(v, path, "defined-tags")? {
        for (ns, inner) in defined {
            let Some(inner) = inner.as_object() else {
                return Err(r.error(&path.key("defined-tags").key(ns), "expected an object of tag keys"));
            };
            for (k, val) in inner {
                let text = val.as_str().map_or_else(|| val.to_string(), str::to_string);
                tags.push(format!("{ns}.{k}:{text}"));
            }
        }
    }
    if let Some(ad) = r.opt_str(v, path, "availability-domain")? {
        tags.push(format!("ad:{ad}"));
    }
    if let Some(c) = r.opt_str(v, path, "compartment-id")? {
        tags.push(format!("compartment:{c}"));
    }
    let size_key = if v.get("size-in-gbs").is_some_and(|s| !s.is_null()) { "size-in-gbs" } else { "size-in-mbs" };
    let name_key = if v.get("display-name").is_some_and(|s| !s.is_null()) { "display-name" } else { "id" };
    Ok(ImportedVolume {
        name: safe_name(display),
        id: id.to_string(),
        json_path: path.0.clone(),
        json_fields: vec![
            ("name", name_key),
            ("size", size_key),
            ("region", "id"),
            ("key", "kms-key-id"),
            ("tags", "freeform-tags"),
        ],
        cloud_id: format!("{id}: {display}, {} GiB", size_bytes / GIB),
        region,
        size_bytes,
        tags,
        key: None,
        daily_change: None,
    })
}

fn key_of(ocid: &str) -> ImportedKey {
    let tail: String =
        ocid.rsplit('.').next().unwrap_or(ocid).chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    ImportedKey {
        name: safe_name(&format!("vault-key-{tail}")),
        region: region_of_ocid(ocid).map(|(r, _)| r),
        cloud_id: ocid.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocids_name_their_region_by_key_or_name() {
        assert_eq!(region_of_ocid("ocid1.volume.oc1.iad.abuwc"), Some(("us-ashburn-1".into(), true)));
        assert_eq!(region_of_ocid("ocid1.volume.oc1.ap-chuncheon-1.ab"), Some(("ap-chuncheon-1".into(), true)));
        assert_eq!(region_of_ocid("ocid1.volume.oc1.xyz.ab"), Some(("xyz".into(), false)));
        assert_eq!(region_of_ocid("vol-1"), None);
    }

    #[test]
    fn repeated_display_names_get_a_suffix() {
        let mut names = BTreeSet::new();
        assert_eq!(unique(&mut names, "db"), "db");
        assert_eq!(unique(&mut names, "db"), "db-2");
        assert_eq!(unique(&mut names, "db"), "db-3");
    }
}
