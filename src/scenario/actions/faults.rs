//! Faults injected at a time: copies in flight that fail, a region that goes out.

use super::{Act, ActionDef, Effect, Effects, Reach, volume_name};
use crate::kernel::SimDuration;
use crate::model::{ProviderError, RegionId, VolumeId};

/// `fail_copy`.
pub(super) const FAIL_COPY: ActionDef = ActionDef {
    name: "fail_copy",
    required: &[],
    optional: &["volume", "to"],
    description: "copies in flight (optionally of one volume, into one region) fail now",
    build: |b| Some(Box::new(FailCopy { volume: b.r.volume, to: b.r.to })),
};

/// `region_outage`.
pub(super) const REGION_OUTAGE: ActionDef = ActionDef {
    name: "region_outage",
    required: &["region", "duration"],
    optional: &[],
    description: "copies in flight touching the region fail; new copies wait; scheduled backups there are skipped; and a disaster drill restores every volume of the region in its DR region (`restore.csv`)",
    build: |b| Some(Box::new(RegionOutage { region: b.r.region?, duration: SimDuration(b.r.duration?) })),
};

/// Fail the copies in flight (optionally of one volume, to one region).
#[derive(Debug)]
struct FailCopy {
    volume: Option<VolumeId>,
    to: Option<RegionId>,
}

impl Act for FailCopy {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    /// The volume (`*`: every one), and with `to` the region the failed copies go to
    /// (`*→us-east`): copies into other regions went on.
    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        let volume = self.volume.map(|v| volume_name(w, v)).unwrap_or_else(|| "*".into());
        match self.to {
            Some(r) => format!("{volume}→{}", w.region(r).name),
            None => volume,
        }
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let error = ProviderError::new("InternalError", "the copy failed (injected at a time)");
        let (volume, to) = (self.volume, self.to);
        let n = cx
            .fail_in_flight(&error, &|c| volume.is_none_or(|v| v == c.volume) && to.is_none_or(|r| r == c.dest_region));
        Ok(format!("{} failed", copies(n)))
    }
}

/// A region goes down for a while.
#[derive(Debug)]
struct RegionOutage {
    region: RegionId,
    duration: SimDuration,
}

impl Act for RegionOutage {
    fn reaches(&self) -> Reach {
        Reach::Nothing
    }

    fn region_out(&self) -> Option<RegionId> {
        Some(self.region)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        cx.world().region(self.region).name.clone()
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let region = self.region;
        let error = ProviderError::new("ServiceUnavailable", "region outage");
        let until = cx.now() + self.duration;
        let n = cx.region_outage(region, until, &error, &|c| c.source_region == region || c.dest_region == region);
        Ok(format!(
            "down for {}; {} in flight failed",
            humantime::format_duration(std::time::Duration::from_millis(self.duration.as_ms())),
            copies(n)
        ))
    }
}

/// `n` copies, in words: "1 copy", "2 copies".
fn copies(n: usize) -> String {
    if n == 1 { "1 copy".to_string() } else { format!("{n} copies") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_failed_copy_reads_in_the_singular() {
        assert_eq!(super::copies(1), "1 copy");
        assert_eq!(super::copies(0), "0 copies");
        assert_eq!(super::copies(3), "3 copies");
    }
}
