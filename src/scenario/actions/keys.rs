//! Keys: the key a volume (or its scheduled copies to one region) uses, and grants of a key.

use super::{Act, ActionDef, Effect, Effects, Reach, span, volume_name};
use crate::model::{AccountId, KeyId, RegionId, VolumeId};
use crate::scenario::KeyChoice;

/// `change_key`.
pub(super) const CHANGE_KEY: ActionDef = ActionDef {
    name: "change_key",
    required: &["volume", "key"],
    optional: &["to"],
    description: "without `to`: the volume's key (future backups); with `to`: the key of its scheduled copies to that region",
    build: |b| Some(Box::new(ChangeKey { volume: b.r.volume?, key: b.r.key?, to: b.r.to })),
};

/// `grant_key`.
pub(super) const GRANT_KEY: ActionDef = ActionDef {
    name: "grant_key",
    required: &["key", "account"],
    optional: &[],
    description: "the account may use the key from now on",
    build: |b| match b.r.key? {
        KeyChoice::Key(k) => Some(Box::new(GrantKey { key: k, account: b.r.account? })),
        _ => {
            b.ctx.err(span(b.e.key.as_ref()), "key", "grant_key needs a declared key, not `none`");
            None
        }
    },
};

/// Change the volume's key, or the key of its scheduled copies to `to`.
#[derive(Debug)]
struct ChangeKey {
    volume: VolumeId,
    key: KeyChoice,
    to: Option<RegionId>,
}

impl Act for ChangeKey {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    /// The volume, and with `to` the region its copies go to (`orders→eu-west-1`, as a `copy`
    /// names one): a change of the DR copies' key reads apart from one of the volume's own.
    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        match self.to {
            Some(r) => format!("{}→{}", volume_name(w, self.volume), w.region(r).name),
            None => volume_name(w, self.volume),
        }
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        // A key its copies to that region could never use is refused now, with the provider's
        // reason, rather than taken and every later copy refused (OCI: a vault key of another
        // region).
        if let (Some(r), KeyChoice::Key(k)) = (self.to, self.key) {
            let w = cx.world();
            let vol = w.volume(self.volume);
            let route = crate::providers::Route::of_volume(w, self.volume, r, None, Some(k), false);
            crate::providers::rules(w.region(vol.region).provider).check_route(w, &route).map_err(|e| e.to_string())?;
        }
        if self.to.is_none() {
            let w = cx.world();
            let vol = w.volume(self.volume);
            let to = match self.key {
                KeyChoice::Key(k) => Some(k),
                _ => None,
            };
            let rules = crate::providers::rules(w.region(vol.region).provider);
            rules.check_volume_key_change(vol.key, to).map_err(|e| e.to_string())?;
        }
        match self.to {
            Some(r) => cx.set_copy_key(self.volume, r, self.key),
            None => {
                cx.world_mut().volumes[self.volume.index()].key = match self.key {
                    KeyChoice::Key(k) => Some(k),
                    _ => None,
                }
            }
        }
        let w = cx.world();
        let key = match self.key {
            KeyChoice::Key(k) => w.key(k).name.clone(),
            KeyChoice::Unencrypted => "none (unencrypted)".into(),
            KeyChoice::Keep => "the source's".into(),
        };
        Ok(match self.to {
            Some(r) => format!("key of its copies to {} now {key}", w.region(r).name),
            None => format!("key of its next backups now {key}"),
        })
    }
}

/// Grant an account use of a key.
#[derive(Debug)]
struct GrantKey {
    key: KeyId,
    account: AccountId,
}

impl Act for GrantKey {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        format!("{}→{}", w.key(self.key).name, w.account(self.account).name)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        cx.world_mut().keys[self.key.index()].grants.insert(self.account);
        Ok("granted".into())
    }
}
