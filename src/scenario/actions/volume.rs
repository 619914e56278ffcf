//! Actions on a volume itself: an on-demand backup, a resize.

use super::{Act, ActionDef, Effect, Effects, Reach, region_out, span, volume_name};
use crate::model::VolumeId;

/// `backup`.
pub(super) const BACKUP: ActionDef = ActionDef {
    name: "backup",
    required: &["volume"],
    optional: &[],
    description: "an on-demand backup (no copies)",
    build: |b| Some(Box::new(Backup { volume: b.r.volume? })),
};

/// `resize`.
pub(super) const RESIZE: ActionDef = ActionDef {
    name: "resize",
    required: &["volume", "size"],
    optional: &[],
    description: "new, larger size (volumes only grow: a size not above the current one is refused); the next backup is the first after a resize",
    build: |b| {
        let size_bytes = b.r.size?;
        if size_bytes == 0 {
            b.ctx.err(span(b.e.size.as_ref()), "size", "a volume needs a size above zero");
            return None;
        }
        let volume = b.r.volume?;
        if let Some(m) = crate::providers::backup_size_problem(b.world, volume, size_bytes) {
            b.ctx.err(span(b.e.size.as_ref()), "size", format!("after this resize {m}"));
            return None;
        }
        Some(Box::new(Resize { volume, size_bytes }))
    },
};

/// Take an on-demand backup (no copies).
#[derive(Debug)]
struct Backup {
    volume: VolumeId,
}

impl Act for Backup {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    fn target(&self, cx: &dyn Effects) -> String {
        volume_name(cx.world(), self.volume)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        if let Some(refusal) = region_out(cx.world(), cx.world().volume(self.volume).region) {
            return Err(refusal);
        }
        let b = cx.take_backup(self.volume);
        Ok(format!("backup #{} taken", cx.world().backup(b).seq))
    }
}

/// Resize a volume.
#[derive(Debug)]
struct Resize {
    volume: VolumeId,
    size_bytes: u64,
}

impl Act for Resize {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    fn target(&self, cx: &dyn Effects) -> String {
        volume_name(cx.world(), self.volume)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        // Every provider here only grows a volume (block volumes, file systems, file shares):
        // a resize to its size or smaller is refused, and is no resize for OCI's rule.
        let current = cx.world().volume(self.volume).size_bytes;
        if self.size_bytes <= current {
            return Err(format!("a volume can only grow: it is {current} bytes, asked {} bytes", self.size_bytes));
        }
        cx.world_mut().resize_volume(self.volume, self.size_bytes);
        Ok(format!("resized to {} bytes", self.size_bytes))
    }

    fn resized(&self) -> Option<(VolumeId, u64)> {
        Some((self.volume, self.size_bytes))
    }
}
