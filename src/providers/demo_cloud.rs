//! A demonstration provider (throwaway): copies cross regions, the first full, later ones
//! incremental over the most recent available copy.

use super::{CopyRules, DefaultPrices, KindDecision, PriceDefault, Rejection, Route, full, incremental, started_in_dest};
use crate::model::{Copy, Provider, Reason, World};

/// The demo rules.
pub struct DemoCloud;

/// Its handle: position 5 in the [registry](super::registry).
pub const DEMO_CLOUD: Provider = Provider::new(5, "demo_cloud");

const NONE: PriceDefault = PriceDefault { nano_usd: None, source: "no figure: supply it", as_of: "" };

impl CopyRules for DemoCloud {
    fn provider(&self) -> Provider {
        DEMO_CLOUD
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices { storage: NONE, transfer: NONE, fast_restore: NONE, pairs: &[] }
    }

    fn starter_scenario(&self) -> &'static str {
        STARTER
    }

    fn check_route(&self, _world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        if route.cross_region() { Ok(()) } else { Err(Rejection::new("SameRegion", "copies go to another region")) }
    }

    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision {
        match started_in_dest(world, copy).rev().find(|c| c.is_available()) {
            Some(base) => incremental(world, copy, base, Reason::PreviousCopyExists),
            None => full(world, copy, Reason::FirstCopy),
        }
    }
}

const STARTER: &str = r#"# demo_cloud starter
name = "demo"
start = "2026-01-05T00:00:00Z"
horizon = "1d"

[[regions]]
name = "demo-east"
provider = "demo_cloud"

[[regions]]
name = "demo-west"
provider = "demo_cloud"

[[accounts]]
name = "a"

[[volumes]]
name = "v"
account = "a"
region = "demo-east"
size = "100GB"

[[schedules]]
name = "s"
volumes = ["v"]
every = "6h"
copy_to = [{ region = "demo-west" }]
"#;

#[cfg(test)]
mod tests {
    use crate::providers::testkit::Kit;
    use crate::model::{CopyKind, Reason};

    #[test]
    fn first_copy_full_then_incremental() {
        let mut k = Kit::new(super::DEMO_CLOUD);
        k.backups(2);
        let dst = k.dst;
        let (_, d1) = k.copy_manual(1, dst);
        let (_, d2) = k.copy_manual(2, dst);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
    }
}
