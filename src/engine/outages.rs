//! Region outages: which regions are out and until when. Overlapping outages extend each
//! other; a region comes back only at the end of the latest one.

use crate::kernel::SimTime;
use crate::model::{RegionId, World};

/// When each region's outage ends.
#[derive(Debug, Default)]
pub struct Outages {
    down_until: Vec<SimTime>,
}

impl Outages {
    /// No region out, for `regions` regions.
    pub fn new(regions: usize) -> Self {
        Self { down_until: vec![SimTime::ZERO; regions] }
    }

    /// `region` goes out until `until` (an earlier outage ending later keeps its end).
    pub fn go_down(&mut self, world: &mut World, region: RegionId, until: SimTime) {
        world.region_down[region.index()] = true;
        let d = &mut self.down_until[region.index()];
        *d = (*d).max(until);
    }

    /// A region's outage may be over at `now`: whether it came back.
    pub fn maybe_up(&mut self, world: &mut World, region: RegionId, now: SimTime) -> bool {
        if now >= self.down_until[region.index()] && world.region_down[region.index()] {
            world.region_down[region.index()] = false;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Partition;
    use crate::providers::{AWS_EBS, new_world};

    #[test]
    fn overlapping_outages_end_with_the_latest() {
        let mut w = new_world();
        let r = w.add_region("r", AWS_EBS, Partition::Commercial);
        let mut o = Outages::new(1);
        o.go_down(&mut w, r, SimTime(10));
        o.go_down(&mut w, r, SimTime(5));
        assert!(!o.maybe_up(&mut w, r, SimTime(5)), "the first outage still runs");
        assert!(w.region_down[r.index()]);
        assert!(o.maybe_up(&mut w, r, SimTime(10)));
        assert!(!o.maybe_up(&mut w, r, SimTime(11)), "already up");
    }
}
